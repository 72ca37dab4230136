package io.mconv.agent.runtime.worker;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary HotSpot prints when native code crashes inside it ("# SIGSEGV (0xb) at pc=..., "# Problematic
 * frame:", the hs_err file). A segfault in libtorch is caught by the JVM's signal handler, which prints this and
 * then exits with status 1 (no core dump), so the exit status alone would hide the signal: it is read from here.
 *
 * @param signal      the signal name, e.g. {@code SIGSEGV}
 * @param number      its number, e.g. 11
 * @param frame       the problematic frame ({@code C  [libtorch_cpu.so+0x...]  at::...}), or null
 * @param reportFile  the hs_err file the JVM wrote, or null
 */
public record JvmCrashHeader(String signal, int number, String frame, String reportFile) {

    private static final Pattern SIGNAL = Pattern.compile("#\\s+(SIG[A-Z]+) \\(0x([0-9a-fA-F]+)\\) at pc=.*");
    private static final Pattern REPORT = Pattern.compile("#\\s+(\\S*hs_err_pid\\d+\\.log)\\s*");

    public static Optional<JvmCrashHeader> find(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = SIGNAL.matcher(strip(lines.get(i)));
            if (!m.matches()) {
                continue;
            }
            String frame = null;
            String report = null;
            for (int j = i + 1; j < lines.size(); j++) {
                String line = strip(lines.get(j));
                if (line.startsWith("# Problematic frame:") && j + 1 < lines.size()) {
                    frame = strip(lines.get(j + 1)).replaceFirst("^#\\s*", "").replaceAll("\\s+", " ");
                }
                Matcher r = REPORT.matcher(line);
                if (r.matches()) {
                    report = r.group(1);
                }
            }
            return Optional.of(new JvmCrashHeader(m.group(1), Integer.parseInt(m.group(2), 16), frame, report));
        }
        return Optional.empty();
    }

    /** Tail lines carry an origin prefix ("(stdout) ") when they came through the protocol's stream. */
    private static String strip(String line) {
        return line.startsWith(OutputTail.STDOUT_PREFIX) ? line.substring(OutputTail.STDOUT_PREFIX.length()) : line;
    }

    /** The lines of the tail that are not part of the crash header (what libtorch itself said before). */
    public static List<String> withoutHeader(List<String> lines) {
        return lines.stream().filter(l -> !strip(l).startsWith("#")).toList();
    }
}
