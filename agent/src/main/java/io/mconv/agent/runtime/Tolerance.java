package io.mconv.agent.runtime;

import io.mconv.ir.DataType;

/**
 * How far two tensors may differ, with numpy {@code isclose} semantics: an element passes when
 * {@code |actual - expected| <= atol + rtol * |expected|}. One flat number cannot serve every precision, so the
 * presets are per precision:
 * <ul>
 *   <li>{@link #FP64}: rtol 1e-7, atol 1e-9: double kernels differ only by summation order.</li>
 *   <li>{@link #FP32}: rtol 1e-4, atol 1e-5: float32 has ~7 significant digits; a rewrite that reorders a long
 *       reduction (a fused MatMul+Add, a folded BatchNorm) moves results by ~1e-6 relative, and ten times that
 *       still flags a real bug. atol covers outputs near zero where relative error explodes.</li>
 *   <li>{@link #FP16}: rtol 1e-2, atol 1e-3: float16 has a machine epsilon of ~9.8e-4 and accumulates it.</li>
 *   <li>{@link #BF16}: rtol 2e-2, atol 1e-2: bfloat16 keeps 8 significant bits (epsilon ~7.8e-3).</li>
 *   <li>{@link #INT8}: rtol 1e-1, atol 1e-1: a statically quantized model against its float model; every
 *       activation is rounded to one of 256 steps, so element-wise errors of a few steps are normal. Check the
 *       cosine similarity too for these.</li>
 *   <li>{@link #EXACT}: integers, booleans and strings (and bit-exact float checks).</li>
 * </ul>
 */
public record Tolerance(String name, double atol, double rtol) {

    public static final Tolerance EXACT = new Tolerance("exact", 0, 0);
    public static final Tolerance FP64 = new Tolerance("fp64", 1e-9, 1e-7);
    public static final Tolerance FP32 = new Tolerance("fp32", 1e-5, 1e-4);
    public static final Tolerance FP16 = new Tolerance("fp16", 1e-3, 1e-2);
    public static final Tolerance BF16 = new Tolerance("bf16", 1e-2, 2e-2);
    public static final Tolerance INT8 = new Tolerance("int8", 1e-1, 1e-1);

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative numbers: atol " + atol
                    + ", rtol " + rtol);
        }
    }

    /** A custom tolerance (for a user's {@code --atol/--rtol}). */
    public static Tolerance of(double atol, double rtol) {
        return new Tolerance("custom", atol, rtol);
    }

    /** The preset for outputs of this element type; exact for integers, booleans and strings. */
    public static Tolerance forDataType(DataType type) {
        return switch (type) {
            case DOUBLE -> FP64;
            case FLOAT -> FP32;
            case FLOAT16 -> FP16;
            case BFLOAT16 -> BF16;
            default -> EXACT;
        };
    }

    public boolean isExact() {
        return atol == 0 && rtol == 0;
    }

    @Override
    public String toString() {
        return name + " (atol " + atol + ", rtol " + rtol + ")";
    }
}
