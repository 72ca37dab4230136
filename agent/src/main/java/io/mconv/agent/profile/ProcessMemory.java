package io.mconv.agent.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's resident memory from Linux's {@code /proc/self/status}: the current size (VmRSS) and the peak
 * (VmHWM). The peak can be reset by writing 5 to {@code /proc/self/clear_refs} (Linux 4.0 and later), which lets
 * each profiled model get its own peak instead of the largest of all earlier ones. Elsewhere every figure is
 * empty.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    public OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    public OptionalLong peakBytes() {
        return field("VmHWM:");
    }

    /** Sets the peak to the current size; false when the kernel or the sandbox does not allow it. */
    boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    // "VmHWM:     2108 kB"
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
    }
}
