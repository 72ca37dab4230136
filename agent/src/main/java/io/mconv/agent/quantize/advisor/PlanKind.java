package io.mconv.agent.quantize.advisor;

/** The family of a candidate plan, which the reasons use to explain a slowdown. */
public enum PlanKind {
    FP32, DYNAMIC_INT8, STATIC_INT8, WEIGHT_ONLY_INT4, FP16;

    public boolean int8() {
        return this == DYNAMIC_INT8 || this == STATIC_INT8;
    }
}
