package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mconv.cli.render.Paint;
import io.mconv.cli.render.ProfileProgress;
import io.mconv.cli.render.TtyProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProfileProgressTest {

    @Test
    void oneSelfOverwritingLineClearedAtTheEnd() {
        StringWriter s = new StringWriter();
        ProfileProgress p = new ProfileProgress(new PrintWriter(s), Paint.PLAIN);
        p.update("m.onnx", "op profile", -1);
        p.update("m.onnx", "batch 8", 0.5);
        p.finish();
        String first = "profiling m.onnx: op profile...";
        String second = "profiling m.onnx: batch 8  50%";
        // the shorter second line pads over the longer first one
        assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
                + "\r" + " ".repeat(second.length()) + "\r", s.toString());
        assertFalse(s.toString().contains("\n"), "never a new line: the report starts on a clean one");
    }

    @Test
    void underMavenStandardErrorIsNoTerminal() {
        // surefire pipes the forked JVM's stderr, so the command must stay quiet (ProfileCommandTest checks stderr)
        assertFalse(TtyProbe.SYSTEM.stderrIsTerminal());
    }
}
