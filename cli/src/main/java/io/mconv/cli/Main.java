package io.mconv.cli;

import io.mconv.onnx.io.ProtoWarmup;

/** Entry point of the {@code mconv} launcher. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        ProtoWarmup.start();
        System.exit(MconvCommand.commandLine().execute(args));
    }
}
