package io.mconv.agent.quantize;

import java.nio.file.Path;
import java.util.List;

/** {@link OnnxCheckScript} for the pass tests of another package. */
public final class OnnxCheckScriptAccess {

    private OnnxCheckScriptAccess() {
    }

    public static void assertValid(List<Path> models) throws Exception {
        OnnxCheckScript.assertValid(models);
    }
}
