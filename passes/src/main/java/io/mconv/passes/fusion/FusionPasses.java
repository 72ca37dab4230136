package io.mconv.passes.fusion;

import io.mconv.passes.Pass;
import java.util.List;

/**
 * The standard-op fusion passes, in the order the registry runs them. Conv folding first (BatchNormalization, then
 * the Mul and Add a decomposed norm leaves, so Conv→Mul→Add collapses in one round), then Gemm forming (MatMul+Add
 * before Transpose folding, so a Transpose feeding a new Gemm is absorbed in the same round), then the AGGRESSIVE
 * fusions into newer ops: LayerNormalization before Gelu (independent, but a model is usually read top down),
 * HardSwish before HardSigmoid (so x·relu6(x+3)/6 becomes one HardSwish, not x·HardSigmoid), then Mish.
 */
public final class FusionPasses {

    private FusionPasses() {
    }

    public static List<Pass> all() {
        return List.of(
                new FuseConvBn(),
                new FuseConvMul(),
                new FuseConvAdd(),
                new FuseMatMulAddIntoGemm(),
                new FuseTransposeIntoGemm(),
                new FuseLayerNorm(),
                new FuseGelu(),
                new FuseHardSwish(),
                new FuseHardSigmoid(),
                new FuseMish());
    }
}
