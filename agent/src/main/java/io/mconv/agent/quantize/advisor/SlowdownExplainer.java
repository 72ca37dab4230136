package io.mconv.agent.quantize.advisor;

/**
 * Says why a plan runs slower than the float model on this CPU, from the ops in the plan's model and the CPU's
 * features. The explanations are what ONNX Runtime's CPU kernels do; the measurement is what decides.
 */
final class SlowdownExplainer {

    private final CpuFeatures cpu;

    SlowdownExplainer(CpuFeatures cpu) {
        this.cpu = cpu;
    }

    String explain(MeasuredPlan p) {
        String kernel = cpu.int8Kernel();
        if (p.candidate().kind() == PlanKind.FP16) {
            return "float16 on CPU: ONNX Runtime has few float16 CPU kernels and runs the rest in float32 behind "
                    + "Casts; float16 is for GPUs and for size";
        }
        if (p.has("ConvInteger")) {
            return "ConvInteger on " + kernel + " has no fast int8 convolution kernel";
        }
        if (p.has("MatMulInteger") && !cpu.fastInt8()) {
            return "MatMulInteger on " + kernel + ": the int8 products gain little, and DynamicQuantizeLinear plus "
                    + "the Cast/Mul rescaling cost more at this size";
        }
        if (p.has("DynamicQuantizeLinear")) {
            return "activations are quantized at run time (DynamicQuantizeLinear) and the layers are too small for "
                    + "int8 products to repay it";
        }
        if (p.has("com.microsoft::MatMulNBits")) {
            return "MatMulNBits unpacks 4-bit blocks on every run; it pays off when loading weights dominates "
                    + "(large models), not for small layers";
        }
        if (p.candidate().kind() == PlanKind.STATIC_INT8) {
            return "QuantizeLinear/DequantizeLinear pairs ORT did not fuse into integer kernels run as extra ops "
                    + "(int8 on " + kernel + ")";
        }
        if (p.has("DequantizeLinear")) {
            return "weights are dequantized to float on every run (QDQ form) before the float kernels";
        }
        return "no kernel of this plan is faster than its float32 counterpart here";
    }
}
