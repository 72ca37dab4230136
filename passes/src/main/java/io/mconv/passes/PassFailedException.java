package io.mconv.passes;

import java.util.List;

/**
 * A pass threw or broke an IR invariant. The message names the pass and the passes that ran before it, so a bug
 * report points at the culprit: "pass fuse-conv-bn failed after passes eliminate-identity, fold-constants: ...".
 */
public class PassFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String pass;

    public PassFailedException(String pass, List<String> before, String cause, Throwable throwable) {
        super("pass " + pass + " failed" + (before.isEmpty() ? "" : " after passes " + String.join(", ", before))
                + ": " + cause, throwable);
        this.pass = pass;
    }

    public String pass() {
        return pass;
    }
}
