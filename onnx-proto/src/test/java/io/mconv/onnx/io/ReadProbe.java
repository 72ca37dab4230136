package io.mconv.onnx.io;

import java.nio.file.Path;

/** Reads a model in a child process and prints the error line; used by the unreadable-file test. */
public final class ReadProbe {
    private ReadProbe() {}

    public static void main(String[] args) {
        try (LoadedModel m = new ModelReader().read(Path.of(args[0]))) {
            System.out.println("ok " + m.model().getGraph().getName());
        } catch (InvalidModelException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
