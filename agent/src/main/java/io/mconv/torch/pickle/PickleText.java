package io.mconv.torch.pickle;

/** Puts text taken from a pickle into error messages: shortened, so a hostile 1 MB name cannot flood a report. */
final class PickleText {

    private static final int MAX_CHARS = 200;

    private PickleText() {
    }

    static String shorten(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "... (" + s.length() + " chars)";
    }

    /** A value's kind for messages; never its toString, which could recurse through a deep structure. */
    static String kindOf(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
