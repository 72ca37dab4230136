package io.mconv.passes.ort;

import io.mconv.passes.Pass;
import java.util.List;

/** The ONNX Runtime contrib-op fusion passes (target ort only), in the order the registry runs them. */
public final class OrtFusionPasses {

    private OrtFusionPasses() {
    }

    public static List<Pass> all() {
        return List.of();
    }
}
