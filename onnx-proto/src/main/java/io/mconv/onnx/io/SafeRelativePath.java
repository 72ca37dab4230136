package io.mconv.onnx.io;

import java.util.regex.Pattern;

/**
 * Checks the shape of a relative path taken from a model file, before it touches the file system.
 *
 * <p>This is the lexical half of the defence against CVE-2022-25882 and its variants: an external data location
 * must be a relative path that can only go down from the model's folder. Both {@code /} and {@code \} count as
 * separators because models written on Windows use either, and a check that knows only one is how the later
 * variants of that CVE got through. The file-system half (symlinks, hard links) is in {@link ExternalDataResolver}.
 */
final class SafeRelativePath {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private SafeRelativePath() {}

    /** Returns why the path is refused, or null when its shape is acceptable. */
    static String problem(String path) {
        if (path.isEmpty()) {
            return "is empty";
        }
        if (path.indexOf('\0') >= 0) {
            return "contains a NUL byte";
        }
        if (path.startsWith("/") || path.startsWith("\\")) {
            return "is an absolute path; it must be relative to the model's folder";
        }
        if (DRIVE.matcher(path).matches()) {
            return "is an absolute (drive-letter) path; it must be relative to the model's folder";
        }
        for (String segment : path.split("[/\\\\]", -1)) {
            if (segment.equals("..")) {
                return "contains a '..' segment; it must stay inside the model's folder";
            }
        }
        return null;
    }

    /** The path with Windows separators turned into ours, for resolving against a folder. */
    static String normalizeSeparators(String path) {
        return path.replace('\\', '/');
    }
}
