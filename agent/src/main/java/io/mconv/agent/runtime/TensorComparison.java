package io.mconv.agent.runtime;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Compares an actual tensor with an expected (reference) one the way numpy's {@code isclose(actual, expected)} does:
 * an element passes when {@code |actual - expected| <= atol + rtol * |expected|}; NaN equals NaN in the same place
 * and an infinity equals the same infinity. Floats are compared through {@code toDoubleArray} (float16 and bfloat16
 * widened exactly), integers and booleans exactly unless the tolerance allows a difference, strings byte for byte.
 * A dtype or shape difference fails with its reason and compares nothing else. Stateless.
 */
public final class TensorComparison {

    private TensorComparison() {
    }

    /** Compares with the preset tolerance of the expected tensor's dtype ({@link Tolerance#forDataType}). */
    public static ComparisonResult compare(Tensor expected, Tensor actual) {
        return compare(expected.name(), expected, actual, Tolerance.forDataType(expected.dataType()));
    }

    public static ComparisonResult compare(String name, Tensor expected, Tensor actual, Tolerance tolerance) {
        if (expected.dataType() != actual.dataType()) {
            return ComparisonResult.structuralFailure(name, "dtype differs: expected " + expected.dataType()
                    + ", got " + actual.dataType(), tolerance);
        }
        if (!Arrays.equals(expected.dims(), actual.dims())) {
            return ComparisonResult.structuralFailure(name, "shape differs: expected "
                    + Arrays.toString(expected.dims()) + ", got " + Arrays.toString(actual.dims()), tolerance);
        }
        DataType type = expected.dataType();
        if (type == DataType.STRING) {
            return compareStrings(name, expected, actual, tolerance);
        }
        if (type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.FLOAT16
                || type == DataType.BFLOAT16) {
            return compareNumbers(name, expected.dims(), expected.toDoubleArray(), actual.toDoubleArray(), tolerance);
        }
        if (isIntegerLike(type)) {
            return compareIntegers(name, expected, actual, tolerance);
        }
        // complex, float8, float4: no numeric view in the IR yet, so only a bit-exact answer is honest.
        boolean same = expected.contentEquals(actual);
        return new ComparisonResult(name, same, same ? "" : "bytes differ (" + type
                + " is compared bit-exactly: no numeric view of it)", tolerance, expected.elementCount(),
                same ? 0 : 1, Double.NaN, Double.NaN, null, Double.NaN);
    }

    private static boolean isIntegerLike(DataType type) {
        return switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, BOOL, INT4, UINT4 -> true;
            default -> false;
        };
    }

    private static ComparisonResult compareIntegers(String name, Tensor expected, Tensor actual, Tolerance tol) {
        long[] e = expected.toLongArray();
        long[] a = actual.toLongArray();
        boolean unsigned64 = expected.dataType() == DataType.UINT64;
        double[] ed = new double[e.length];
        double[] ad = new double[a.length];
        long exactMismatches = 0;
        for (int i = 0; i < e.length; i++) {
            ed[i] = unsigned64 ? unsignedToDouble(e[i]) : e[i];
            ad[i] = unsigned64 ? unsignedToDouble(a[i]) : a[i];
            if (e[i] != a[i]) {
                exactMismatches++;
            }
        }
        ComparisonResult viaDoubles = compareNumbers(name, expected.dims(), ed, ad, tol);
        if (tol.isExact() && exactMismatches != viaDoubles.mismatches()) {
            // Above 2^53 doubles merge neighbours; an exact check must not miss those.
            return new ComparisonResult(name, exactMismatches == 0, exactMismatches == 0 ? ""
                    : exactMismatches + " of " + e.length + " integers differ", tol, e.length, exactMismatches,
                    viaDoubles.maxAbsError(), viaDoubles.maxRelError(), viaDoubles.worstIndex(),
                    viaDoubles.cosineSimilarity());
        }
        return viaDoubles;
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    private static ComparisonResult compareNumbers(String name, long[] dims, double[] expected, double[] actual,
                                                   Tolerance tol) {
        long mismatches = 0;
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        double worstRatio = -1;
        double worstDiff = -1;
        double dot = 0;
        double normA = 0;
        double normE = 0;
        for (int i = 0; i < expected.length; i++) {
            double b = expected[i];
            double a = actual[i];
            double diff;
            double rel;
            double ratio;
            boolean bad;
            if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
                // NaN matches NaN and inf matches the same inf; anything else non-finite is infinitely wrong.
                bad = !(Double.isNaN(a) && Double.isNaN(b)) && !(a == b);
                diff = bad ? Double.POSITIVE_INFINITY : 0;
                rel = diff;
                ratio = diff;
            } else {
                diff = Math.abs(a - b);
                double allowed = tol.atol() + tol.rtol() * Math.abs(b);
                bad = diff > allowed;
                rel = b == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / Math.abs(b);
                ratio = allowed == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / allowed;
                dot += a * b;
                normA += a * a;
                normE += b * b;
            }
            if (bad) {
                mismatches++;
            }
            maxAbs = Math.max(maxAbs, diff);
            maxRel = Math.max(maxRel, rel);
            if (ratio > worstRatio || (ratio == worstRatio && diff > worstDiff)) {
                worst = i;
                worstRatio = ratio;
                worstDiff = diff;
            }
        }
        double cosine = cosine(dot, normA, normE);
        long[] worstIndex = worst < 0 ? null : unravel(worst, dims);
        String reason = "";
        if (mismatches > 0) {
            reason = mismatches + " of " + expected.length + " elements outside " + tol + "; worst at "
                    + Arrays.toString(worstIndex) + ": expected " + expected[worst] + ", got " + actual[worst];
        }
        return new ComparisonResult(name, mismatches == 0, reason, tol, expected.length, mismatches, maxAbs, maxRel,
                worstIndex, cosine);
    }

    private static double cosine(double dot, double normA, double normE) {
        if (normA == 0 && normE == 0) {
            return 1.0;
        }
        if (normA == 0 || normE == 0) {
            return 0.0;
        }
        return dot / (Math.sqrt(normA) * Math.sqrt(normE));
    }

    private static ComparisonResult compareStrings(String name, Tensor expected, Tensor actual, Tolerance tol) {
        List<byte[]> e = expected.strings();
        List<byte[]> a = actual.strings();
        long mismatches = 0;
        int first = -1;
        for (int i = 0; i < e.size(); i++) {
            if (!Arrays.equals(e.get(i), a.get(i))) {
                mismatches++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        long[] worstIndex = first >= 0 ? unravel(first, expected.dims()) : (e.isEmpty() ? null
                : unravel(0, expected.dims()));
        String reason = mismatches == 0 ? "" : mismatches + " of " + e.size() + " strings differ; first at "
                + Arrays.toString(worstIndex) + ": expected \"" + expected.stringsUtf8().get(first) + "\", got \""
                + actual.stringsUtf8().get(first) + "\"";
        return new ComparisonResult(name, mismatches == 0, reason, tol, e.size(), mismatches, Double.NaN, Double.NaN,
                worstIndex, Double.NaN);
    }

    /** Row-major flat index to a multi-dimensional one; a scalar's index is {@code []}. */
    static long[] unravel(long flat, long[] dims) {
        long[] index = new long[dims.length];
        long rest = flat;
        for (int d = dims.length - 1; d >= 0; d--) {
            index[d] = rest % dims[d];
            rest /= dims[d];
        }
        return index;
    }
}
