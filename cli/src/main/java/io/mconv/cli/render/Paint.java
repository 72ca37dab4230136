package io.mconv.cli.render;

/** Wraps text in ANSI colour codes when colour is on, and leaves it alone when it is off. */
public record Paint(boolean colour) {

    public static final Paint PLAIN = new Paint(false);

    /** The few styles mconv uses; SGR parameters of ECMA-48. */
    public enum Style {
        BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33"), CYAN("36");

        private final String sgr;

        Style(String sgr) {
            this.sgr = sgr;
        }
    }

    public String apply(Style style, String text) {
        return colour ? "\u001b[" + style.sgr + "m" + text + "\u001b[0m" : text;
    }
}
