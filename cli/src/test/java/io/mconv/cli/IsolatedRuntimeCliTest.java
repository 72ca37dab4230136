package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * BAD_INPUTS 20 at the command line: {@code mconv validate --isolate} runs ONNX Runtime in a worker; when the worker
 * aborts, mconv (a real child process here, started as the launcher starts it) exits 4 with one message naming
 * onnxruntime and the signal, and prints nothing on stdout. The abort comes from the worker's test hook
 * ({@code -Dmconv.worker.testHook=abort-on-run}, forwarded to the worker only), as no model known to us makes ORT
 * raise SIGABRT; real crafted models that hang or crash (SIGFPE) the runtimes are in
 * {@link CraftedModelIsolationCliTest}.
 */
class IsolatedRuntimeCliTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run mconv(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void anOnnxruntimeAbortDuringValidationIsExit4NamingTheRuntime() throws Exception {
        String model = Fixtures.generated("tiny_cnn.onnx").toString();
        Run r = mconv(List.of("-Dmconv.worker.testHook=abort-on-run"), Map.of(), "validate", model, model, "--isolate",
                "--json");
        assertEquals(ExitCodes.INTERNAL, r.exit(), r.err());
        assertEquals("", r.out(), "no JSON document for a validation that did not happen");
        assertTrue(r.err().startsWith("mconv: error: onnxruntime crashed (signal 6 (SIGABRT)) during the run of "),
                r.err());
    }

    @Test
    void isolatedValidationPassesAndSaysSoAndTheEnvironmentTurnsItOn() throws Exception {
        String model = Fixtures.generated("tiny_cnn.onnx").toString();
        Run flag = mconv(List.of(), Map.of(), "validate", model, model, "--isolate", "--runtime-timeout", "2m", "--json");
        assertEquals(ExitCodes.OK, flag.exit(), flag.err());
        assertTrue(flag.out().contains("\"schema\" : \"mconv.validate/1\"") || flag.out().contains("mconv.validate/1"),
                flag.out());
        assertTrue(flag.out().contains(", isolated"), "the report names the isolated runtime: " + flag.out());
        Run env = mconv(List.of(), Map.of("MCONV_ISOLATE", "1"), "validate", model, model, "--json");
        assertEquals(ExitCodes.OK, env.exit(), env.err());
        assertTrue(env.out().contains(", isolated"), "MCONV_ISOLATE=1 isolates without the flag: " + env.out());
        Run plain = mconv(List.of(), Map.of("MCONV_ISOLATE", "0"), "validate", model, model, "--json");
        assertEquals(ExitCodes.OK, plain.exit(), plain.err());
        assertTrue(!plain.out().contains(", isolated"), "in-process without the flag or the variable");
    }
}
