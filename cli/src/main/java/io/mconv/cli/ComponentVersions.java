package io.mconv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

/**
 * The versions of what mconv runs on, read from jar manifests and the properties files DJL ships, so that
 * {@code --version} starts neither ONNX Runtime nor libtorch (loading their native libraries takes seconds and
 * can fail on a machine where the version is exactly what the user wants to find out).
 */
final class ComponentVersions {

    private final ClassLoader loader;

    ComponentVersions(ClassLoader loader) {
        this.loader = loader;
    }

    Optional<String> mconv() {
        return Optional.ofNullable(MconvCommand.class.getPackage().getImplementationVersion());
    }

    String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")";
    }

    /** From the onnxruntime jar's manifest; naming the class does not initialise it, so no native code loads. */
    Optional<String> onnxRuntime() {
        return Optional.ofNullable(ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion());
    }

    Optional<String> djl() {
        return property("ai/djl/engine/api.properties", "djl_version");
    }

    /** The libtorch version DJL's PyTorch engine is built against. */
    Optional<String> libtorch() {
        return property("pytorch-engine.properties", "pytorch_version");
    }

    /** The libtorch build bundled in the pytorch-native jar, e.g. "2.7.1-20250812 cpu linux-x86_64". */
    Optional<String> bundledLibtorch() {
        Optional<String> version = property("native/lib/pytorch.properties", "version");
        return version.map(v -> v + property("native/lib/pytorch.properties", "flavor").map(f -> " " + f).orElse("")
                + property("native/lib/pytorch.properties", "classifier").map(c -> " " + c).orElse(""));
    }

    private Optional<String> property(String resource, String key) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty(key)).map(String::strip).filter(v -> !v.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
