package io.mconv.cli;

import picocli.CommandLine;

/**
 * {@code mconv --version}: mconv's version with its build (see {@link BuildIdentity}; the first line is also what
 * cache keys and provenance record) and those of the runtimes it uses, without starting them.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        ComponentVersions v = new ComponentVersions(VersionProvider.class.getClassLoader());
        String unknown = "(not found)";
        return new String[] {
            "mconv " + v.mconv().orElse("(development build)") + " (" + BuildIdentity.current() + ")",
            "Java " + v.java(),
            "ONNX Runtime " + v.onnxRuntime().orElse(unknown),
            "DJL " + v.djl().orElse(unknown) + ", libtorch " + v.libtorch().orElse(unknown)
                    + v.bundledLibtorch().map(b -> " (bundled: " + b + ")").orElse(""),
        };
    }
}
