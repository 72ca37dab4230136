package io.mconv.torch.export;

import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.archive.TorchTensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Module parameters, buffers and code constants become initializers once each: a tensor reached twice (shared
 * weights, or one parameter read by two methods) maps to the same initializer, named after the first module path
 * that reached it ({@code layer1.0.conv1.weight}). Contiguous tensors alias the archive's mapped storage.
 */
final class WeightTable {

    private final SymbolicContext ctx;
    private final Map<TorchTensor, Value> initializers = new IdentityHashMap<>();

    WeightTable(SymbolicContext ctx) {
        this.ctx = ctx;
    }

    Value initializer(TorchTensor tensor, String name) {
        Value existing = initializers.get(tensor);
        if (existing != null) {
            return existing;
        }
        String unique = ctx.freshName(name);
        Value v = ctx.mainGraph().addInitializer(tensor.toIrTensor(unique));
        v.setType(new ValueType.TensorType(v.constValue().dataType(), Shape.of(tensor.sizes())));
        initializers.put(tensor, v);
        return v;
    }
}
