package io.mconv.passes.opset;

import java.util.List;

/**
 * The model cannot be converted to the requested opset: every node that blocks it is listed with the reason, so a
 * user sees the whole list at once instead of fixing one refusal per run. The model passed in is left partly
 * converted and must be discarded.
 */
public final class OpsetConversionException extends IllegalArgumentException {

    private final List<String> refusals;

    public OpsetConversionException(int from, int to, List<String> refusals) {
        super("cannot convert from opset " + from + " to " + to + ": " + String.join("; ", refusals));
        this.refusals = List.copyOf(refusals);
    }

    /** One line per blocking node: {@code Op 'name': reason}. */
    public List<String> refusals() {
        return refusals;
    }
}
