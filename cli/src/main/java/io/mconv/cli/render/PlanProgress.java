package io.mconv.cli.render;

import io.mconv.agent.pipeline.PlanListener;
import io.mconv.agent.pipeline.StepResult;
import io.mconv.agent.pipeline.Tool;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line per step on standard error while a plan runs ({@code [2/5] optimize ...} then its time), for a terminal
 * only: the command leaves it out with {@code --json} or when standard error is redirected.
 */
public final class PlanProgress implements PlanListener {

    private final PrintWriter err;
    private final String label;

    /** @param label the model's name, for batch runs where lines of several models interleave */
    public PlanProgress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public synchronized void started(Tool step, int index, int total) {
        err.printf(Locale.ROOT, "%s[%d/%d] %s: %s ...%n", label, index, total, step.name(), step.description());
        err.flush();
    }

    @Override
    public synchronized void finished(StepResult result, int index, int total) {
        err.printf(Locale.ROOT, "%s[%d/%d] %s %s%n", label, index, total, result.name(),
                result.cached() ? "taken from the cache" : String.format(Locale.ROOT, "done in %.1f s",
                        result.millis() / 1e3));
        err.flush();
    }
}
