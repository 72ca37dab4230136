package io.mconv.agent.check;

/** The answer for one target. */
public enum Verdict {
    RUNS("runs"),
    RUNS_WITH_CPU_FALLBACK("runs with CPU fallback"),
    WONT_RUN("won't run");

    private final String words;

    Verdict(String words) {
        this.words = words;
    }

    /** How reports print it. */
    public String words() {
        return words;
    }

    /** The JSON spelling: {@code runs}, {@code runs-with-cpu-fallback}, {@code wont-run}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean runs() {
        return this != WONT_RUN;
    }
}
