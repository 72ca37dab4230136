package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.Node;
import io.mconv.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Which ops static QDQ quantizes, and which of their inputs are activations and which are weights. */
final class StaticQdqOps {

    /** Ops with a weight input whose integer kernels (QLinearConv, QLinearMatMul, QGemm) do the real work. */
    static final Set<String> WEIGHTED = Set.of("Conv", "MatMul", "Gemm");
    /** Element-wise ops with two quantized inputs (QLinearAdd/QLinearMul in ORT). */
    static final Set<String> BINARY = Set.of("Add", "Mul");
    /**
     * Ops whose output takes its input's parameters: they only move, pick or average values, so the input's range
     * covers the output, and equal parameters let ORT run them on the integers directly (or drop the DQ/Q pair).
     */
    static final Set<String> SHARING = Set.of("MaxPool", "GlobalAveragePool", "Reshape", "Flatten", "Transpose",
            "Relu", "Clip");
    /** Concat: every input and the output quantized, each from its own range. */
    static final Set<String> CONCAT = Set.of("Concat");
    /** Activations that fold into the producer's output quantization when activations are asymmetric. */
    static final Set<String> FUSABLE_ACTIVATIONS = Set.of("Relu", "Clip");
    /** Producers an activation may fold into. */
    static final Set<String> ACTIVATION_PRODUCERS = Set.of("Conv", "MatMul", "Gemm", "Add");

    private StaticQdqOps() {
    }

    static boolean candidate(Node n) {
        String op = n.opType();
        return n.isDefaultDomain() && (WEIGHTED.contains(op) || BINARY.contains(op) || SHARING.contains(op)
                || CONCAT.contains(op));
    }

    /** A constant the model cannot override: an initializer that is not also a graph input. */
    static boolean isConstant(Value v) {
        return v != null && v.constValue() != null && v.isInitializer() && !v.isGraphInput();
    }

    /** The input slot holding the weight, or -1 when the op has no constant weight input. */
    static int weightIndex(Node n) {
        return switch (n.opType()) {
            case "Conv", "Gemm" -> 1;
            case "MatMul" -> isConstant(n.input(1)) ? 1 : -1;
            default -> -1;
        };
    }

    /** The input slots quantized as activations (from calibrated ranges). */
    static List<Integer> activationInputs(Node n) {
        List<Integer> idx = new ArrayList<>();
        switch (n.opType()) {
            case "Conv", "Gemm" -> idx.add(0);
            case "MatMul" -> {
                idx.add(0);
                if (!isConstant(n.input(1))) {
                    idx.add(1);
                }
            }
            case "Add", "Mul", "Concat" -> {
                for (int i = 0; i < n.inputCount(); i++) {
                    if (n.input(i) != null && !isConstant(n.input(i))) {
                        idx.add(i);
                    }
                }
            }
            default -> idx.add(0);
        }
        return idx;
    }

    /** Constant float inputs of Add/Mul/Concat: quantized per tensor from their own values. */
    static List<Integer> constantOperands(Node n) {
        List<Integer> idx = new ArrayList<>();
        if (BINARY.contains(n.opType()) || CONCAT.contains(n.opType())) {
            for (int i = 0; i < n.inputCount(); i++) {
                if (isConstant(n.input(i))) {
                    idx.add(i);
                }
            }
        }
        return idx;
    }
}
