package io.mconv.passes.ort;

import io.mconv.passes.Pass;
import java.util.List;

/**
 * The ONNX Runtime contrib-op fusion passes (target ort only), in the order the registry runs them: the
 * normalization and activation fusions first (they see the plain ops), then attention (before FusedMatMul: it
 * matches the plain QKᵀ MatMul and scale Mul, although it also accepts the FusedMatMul form), FusedMatMul last (it
 * would otherwise take a bias-free MatMul that another pattern needs intact).
 */
public final class OrtFusionPasses {

    private OrtFusionPasses() {
    }

    public static List<Pass> all() {
        return List.of(FuseSkipLayerNorm.pass(), FuseGelu.pass(), FuseConvActivation.pass(),
                FuseAttention.pass(), FuseFusedMatMul.pass());
    }
}
