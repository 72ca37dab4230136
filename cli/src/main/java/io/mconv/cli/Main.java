package io.mconv.cli;

/** Entry point of the {@code mconv} launcher. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MconvCommand.commandLine().execute(args));
    }
}
