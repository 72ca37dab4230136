package io.mconv.onnx.io;

import java.nio.file.Path;

/** Formats the one-line error messages shared by the I/O exceptions. */
final class ErrorLine {
    /** What stands for the file name when a model was parsed from bytes in memory. */
    static final String IN_MEMORY = "<in-memory model>";

    private ErrorLine() {}

    static String of(Path file, String reason) {
        // Line breaks in a reason would let a hostile file name or key forge extra output lines.
        String where = file == null ? IN_MEMORY : file.toString();
        return oneLine(where) + ": " + oneLine(reason);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                b.append(' ');
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Quotes a value taken from the file (a location, a key) so odd characters stay visible. */
    static String quote(String s) {
        return "'" + oneLine(s) + "'";
    }
}
