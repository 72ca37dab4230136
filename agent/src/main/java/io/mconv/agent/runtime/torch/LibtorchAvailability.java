package io.mconv.agent.runtime.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks, before a worker is started, that the class path has what the worker needs to run libtorch without a
 * download: DJL's PyTorch engine, its JNI library and the native libtorch jar for this platform. Without this check
 * a missing jar shows up as DJL trying to download (refused offline) inside the worker, with a far less useful
 * message.
 */
public final class LibtorchAvailability {

    static final String ENGINE = "ai.djl.pytorch:pytorch-engine:0.35.1";
    static final String JNI = "ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1";
    static final String NATIVE = "ai.djl.pytorch:pytorch-native-cpu:2.7.1";
    static final String SUPPORTED_CLASSIFIER = "linux-x86_64";

    private LibtorchAvailability() {
    }

    /** What is missing in this JVM, with how to get it; empty when libtorch can run. */
    public static Optional<String> problem() {
        return problem(LibtorchAvailability.class.getClassLoader(), System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""));
    }

    /** @throws TorchRuntimeUnavailableException with {@link #problem()}'s message */
    public static void require() {
        problem().ifPresent(p -> {
            throw new TorchRuntimeUnavailableException(p);
        });
    }

    static Optional<String> problem(ClassLoader loader, String osName, String osArch) {
        String classifier = classifier(osName, osArch);
        if (!SUPPORTED_CLASSIFIER.equals(classifier)) {
            return Optional.of("libtorch is not available: this mconv build carries libtorch for "
                    + SUPPORTED_CLASSIFIER + " only, and this machine is " + classifier + ". Add " + NATIVE
                    + " with classifier " + classifier + " to agent/pom.xml and rebuild with ./install.sh.");
        }
        List<String> missing = new ArrayList<>();
        if (loader.getResource("ai/djl/pytorch/engine/PtEngine.class") == null) {
            missing.add(ENGINE);
        }
        if (loader.getResource("jnilib/pytorch.properties") == null) {
            missing.add(JNI);
        }
        if (loader.getResource("native/lib/pytorch.properties") == null) {
            missing.add(NATIVE + " (classifier " + SUPPORTED_CLASSIFIER + ")");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("libtorch is not available: " + String.join(", ", missing) + (missing.size() == 1
                ? " is" : " are") + " not on the class path. Build mconv with ./install.sh (Maven downloads them "
                + "once; from a source tree: mvn -pl agent dependency:resolve). mconv never downloads libtorch "
                + "while it runs.");
    }

    /** DJL's platform name: {@code linux-x86_64}, {@code osx-aarch64}, ... */
    static String classifier(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx"
                : os.startsWith("windows") ? "win" : os.replace(' ', '_');
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return system + "-" + arch;
    }
}
