package io.mconv.agent.export;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.archive.TorchDType;
import io.mconv.torch.archive.TorchTensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Assigns a state_dict's tensors to the Linear layers of an {@link ArchSpec}, in file order: each layer takes a
 * weight {@code [out, in]} and, when the next tensor is 1-D, its bias {@code [out]} (nn.Linear(bias=False) saves
 * none). torch.save keeps the module order, so file order is layer order. Every shape is checked against the arch,
 * and anything the arch has no place for is refused rather than dropped: a BatchNorm's running statistics, say,
 * change what the network computes.
 */
public final class LinearLayers {

    /** One Linear layer's tensors with their state_dict names; {@code bias} is null for bias=False. */
    public record Layer(String weightName, TorchTensor weight, String biasName, TorchTensor bias) {
    }

    /** Buffers that only normalization layers save; their presence means the model is not a plain Linear stack. */
    private static final List<String> NORMALIZATION_BUFFERS = List.of("running_mean", "running_var",
            "num_batches_tracked");

    private LinearLayers() {
    }

    /**
     * @throws InvalidModelException naming the tensor, its shape and what the arch expects there; or listing the
     *                               tensors the arch cannot place
     */
    public static List<Layer> match(Path file, Map<String, TorchTensor> tensors, ArchSpec arch) {
        refuseNormalization(file, tensors, arch);
        List<Map.Entry<String, TorchTensor>> entries = new ArrayList<>(tensors.entrySet());
        List<Layer> layers = new ArrayList<>();
        int next = 0;
        for (int layer = 0; layer < arch.layers(); layer++) {
            long out = arch.outFeatures(layer);
            long in = arch.inFeatures(layer);
            if (next >= entries.size()) {
                throw new InvalidModelException(file, "the state_dict holds " + layer + " Linear layer(s) but --arch "
                        + arch + " describes " + arch.layers() + "; layer " + layer + " (weight [" + out + ", " + in
                        + "]) has no tensors");
            }
            Map.Entry<String, TorchTensor> weight = entries.get(next++);
            expect(file, arch, weight, new long[]{out, in}, "the weight of Linear layer " + layer + " (" + in + " -> "
                    + out + ")");
            Map.Entry<String, TorchTensor> bias = null;
            if (next < entries.size() && entries.get(next).getValue().sizes().length == 1) {
                bias = entries.get(next++);
                expect(file, arch, bias, new long[]{out}, "the bias of Linear layer " + layer);
            }
            layers.add(new Layer(weight.getKey(), weight.getValue(), bias == null ? null : bias.getKey(),
                    bias == null ? null : bias.getValue()));
        }
        if (next < entries.size()) {
            List<String> extra = entries.subList(next, entries.size()).stream()
                    .map(e -> e.getKey() + " " + Arrays.toString(e.getValue().sizes())).toList();
            throw new InvalidModelException(file, extra.size() + " tensor(s) left over after the " + arch.layers()
                    + " Linear layers of --arch " + arch + ": " + String.join(", ", extra)
                    + "; the arch has no place for them (is the state_dict of another architecture?)");
        }
        return layers;
    }

    private static void refuseNormalization(Path file, Map<String, TorchTensor> tensors, ArchSpec arch) {
        List<String> buffers = tensors.keySet().stream()
                .filter(name -> NORMALIZATION_BUFFERS.stream().anyMatch(b -> name.equals(b) || name.endsWith("." + b)))
                .toList();
        if (!buffers.isEmpty()) {
            throw new InvalidModelException(file, "the state_dict holds normalization buffers (" + String.join(", ",
                    buffers) + "), so it has BatchNorm-like layers that --arch " + arch + " (Linear layers and "
                    + "activations only) cannot express; export the model itself with torch.jit.trace instead");
        }
    }

    private static void expect(Path file, ArchSpec arch, Map.Entry<String, TorchTensor> e, long[] shape,
                               String what) {
        TorchTensor t = e.getValue();
        if (!Arrays.equals(t.sizes(), shape)) {
            throw new InvalidModelException(file, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.sizes())
                    + ", but --arch " + arch + " expects " + Arrays.toString(shape) + " for " + what);
        }
        if (t.dtype() != TorchDType.FLOAT32) {
            throw new InvalidModelException(file, "tensor '" + e.getKey() + "' is " + t.dtype() + "; --arch builds "
                    + "float32 models, so re-save the state_dict after model.float()");
        }
    }
}
