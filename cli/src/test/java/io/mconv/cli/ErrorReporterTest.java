package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.OutputPathException;
import io.mconv.torch.archive.NotTorchScriptException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The exception-to-exit-code mapping for input problems. */
class ErrorReporterTest {

    @Test
    void notTorchScriptIsInvalidInput() {
        Path file = Path.of("model.pt");
        for (NotTorchScriptException.Kind kind : NotTorchScriptException.Kind.values()) {
            assertEquals(3, ErrorReporter.exitCodeFor(new NotTorchScriptException(file, kind, "not TorchScript")),
                    kind.name());
        }
        assertEquals(ExitCodes.INVALID_INPUT, ErrorReporter.exitCodeFor(new InvalidModelException(file, "bad")));
        assertEquals(ExitCodes.USAGE, ErrorReporter.exitCodeFor(new OutputPathException(file, "same as input")));
        assertEquals(ExitCodes.INTERNAL, ErrorReporter.exitCodeFor(new IllegalStateException("bug")));
    }
}
