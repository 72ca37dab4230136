package io.mconv.agent.runtime.ort;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * ORT's graph optimization levels. Validation uses {@link #NONE} so that ORT's own fusions cannot hide (or
 * reproduce) a bug in our rewrites; {@link #BASIC} with an optimized-model path saves ORT's constant-folded,
 * redundancy-eliminated model.
 */
public enum GraphOptimizationLevel {
    NONE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    private final OptLevel ortLevel;

    GraphOptimizationLevel(OptLevel ortLevel) {
        this.ortLevel = ortLevel;
    }

    OptLevel ortLevel() {
        return ortLevel;
    }

    /** Parses {@code none}, {@code basic}, {@code extended} or {@code all}, ignoring case. */
    public static GraphOptimizationLevel parse(String text) {
        for (GraphOptimizationLevel l : values()) {
            if (l.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown graph optimization level '" + text + "'; accepted: "
                + Arrays.stream(values()).map(l -> l.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }
}
