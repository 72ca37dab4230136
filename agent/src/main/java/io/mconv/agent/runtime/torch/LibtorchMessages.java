package io.mconv.agent.runtime.torch;

/**
 * Turns a libtorch/DJL exception into the part a user can act on. libtorch's c10::Error messages carry a C++
 * backtrace ("Exception raised from ... frame #0: ...") and TorchScript's a source excerpt; the backtrace says
 * nothing to a user and can be kilobytes long, so it is cut.
 */
final class LibtorchMessages {

    private static final int MAX_CHARS = 1500;

    private LibtorchMessages() {
    }

    static String summarize(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        int backtrace = message.indexOf("Exception raised from");
        if (backtrace >= 0) {
            message = message.substring(0, backtrace);
        }
        message = message.strip();
        if (message.length() > MAX_CHARS) {
            message = message.substring(0, MAX_CHARS) + " [...]";
        }
        return message;
    }
}
