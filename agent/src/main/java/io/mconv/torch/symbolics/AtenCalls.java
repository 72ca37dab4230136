package io.mconv.torch.symbolics;

import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicException;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.List;

/**
 * Lets a symbolic lower a fused operator as the ATen calls it stands for (the transformer fast paths are
 * layer_norm, linear, gelu... in one kernel): each piece goes through the registry at the export's opset, so it
 * gets the same per-opset lowering (LayerNormalization from 17, Gelu from 20) and any user override.
 */
final class AtenCalls {

    private final SymbolicRegistry registry;

    AtenCalls(SymbolicRegistry registry) {
        this.registry = registry;
    }

    SValue call(SymbolicContext ctx, String op, SValue... positional) {
        SymbolicRegistry.Registration reg = registry.lookup(op, ctx.opset()).orElseThrow(() ->
                new SymbolicException(op + " has no symbolic at opset " + ctx.opset()));
        return reg.symbolic().apply(ctx, reg.signature().bind(op, List.of(positional), List.of(), List.of()));
    }
}
