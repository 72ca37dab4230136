package io.mconv.cli.render;

import io.mconv.agent.profile.BatchProfile;
import io.mconv.agent.profile.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The side-by-side rows of several profiled models: one per model and batch size, with the speedup of the median
 * latency over the first model's at the same batch size ({@code first p50 / this p50}; 2.0 means twice as fast).
 * The first model is the baseline, as in {@code mconv profile original.onnx optimized.onnx int8.onnx}.
 */
public final class ProfileComparison {

    /** @param speedup NaN when the first model has no run at this batch size */
    public record Row(ModelProfile model, BatchProfile batch, double speedup) {
    }

    private ProfileComparison() {
    }

    public static List<Row> rows(List<ModelProfile> models) {
        List<Row> rows = new ArrayList<>();
        if (models.isEmpty()) {
            return rows;
        }
        ModelProfile baseline = models.get(0);
        for (ModelProfile m : models) {
            for (BatchProfile b : m.batches()) {
                rows.add(new Row(m, b, speedup(baseline, b)));
            }
        }
        return rows;
    }

    /** The speedup of {@code b} over the baseline's run at the same batch size. */
    public static double speedup(ModelProfile baseline, BatchProfile b) {
        for (BatchProfile base : baseline.batches()) {
            if (Objects.equals(base.batch(), b.batch())) {
                return base.latency().p50() / b.latency().p50();
            }
        }
        return Double.NaN;
    }
}
