package io.mconv.agent.quantize.advisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU features that decide whether int8 kernels pay off in ONNX Runtime: VNNI (x86 AVX512-VNNI or AVX-VNNI) and
 * ARM's dot-product instructions multiply-accumulate int8 in one step; plain AVX2 needs vpmaddubsw, which saturates
 * int16 intermediate sums (hence reduce-range) and gains little over float FMA.
 *
 * @param arch       the JVM's os.arch (amd64, aarch64, ...)
 * @param avx2       x86 AVX2
 * @param avx512     x86 AVX-512 Foundation
 * @param vnni       x86 AVX512-VNNI or AVX-VNNI
 * @param armDotProd ARMv8.2 dot product (the "asimddp" flag)
 * @param known      false when /proc/cpuinfo could not be read: the flags are then all false and say nothing
 */
public record CpuFeatures(String arch, boolean avx2, boolean avx512, boolean vnni, boolean armDotProd,
                          boolean known) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** This machine's features, from /proc/cpuinfo (Linux); unknown elsewhere. */
    public static CpuFeatures detect() {
        String arch = System.getProperty("os.arch", "unknown");
        try {
            return parse(arch, Files.readString(CPUINFO));
        } catch (IOException | SecurityException e) {
            return new CpuFeatures(arch, false, false, false, false, false);
        }
    }

    /** Reads the first processor's "flags" (x86) or "Features" (ARM) line; every core of a machine shares them. */
    public static CpuFeatures parse(String arch, String cpuinfo) {
        Set<String> flags = new HashSet<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (key.equals("flags") || key.equals("features")) {
                for (String f : line.substring(colon + 1).trim().split("\\s+")) {
                    flags.add(f.toLowerCase(Locale.ROOT));
                }
                break;
            }
        }
        return new CpuFeatures(arch, flags.contains("avx2"), flags.contains("avx512f"),
                flags.contains("avx512_vnni") || flags.contains("avx_vnni"), flags.contains("asimddp"),
                !flags.isEmpty());
    }

    /** Whether int8 products have a one-instruction multiply-accumulate (VNNI or ARM dot product). */
    public boolean fastInt8() {
        return vnni || armDotProd;
    }

    /** "amd64: AVX2, no AVX-512, no VNNI" and the like. */
    public String describe() {
        if (!known) {
            return arch + ": CPU flags unknown (no /proc/cpuinfo)";
        }
        List<String> parts = new ArrayList<>();
        if (arch.contains("aarch64") || arch.contains("arm")) {
            parts.add(armDotProd ? "dot product" : "no dot product");
        } else {
            parts.add(avx2 ? "AVX2" : "no AVX2");
            parts.add(avx512 ? "AVX-512" : "no AVX-512");
            parts.add(vnni ? "VNNI" : "no VNNI");
        }
        return arch + ": " + String.join(", ", parts);
    }

    /** The instruction set int8 products run on, as a reason line names it ("AVX2 without VNNI"). */
    public String int8Kernel() {
        if (vnni) {
            return "VNNI";
        }
        if (armDotProd) {
            return "ARM dot product";
        }
        if (avx512) {
            return "AVX-512 without VNNI";
        }
        return avx2 ? "AVX2 without VNNI" : known ? "a CPU without AVX2" : "this CPU";
    }
}
