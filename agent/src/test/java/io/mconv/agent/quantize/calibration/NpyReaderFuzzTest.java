package io.mconv.agent.quantize.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mconv.ir.Tensor;
import io.mconv.onnx.io.InvalidModelException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the calibration {@code .npy} reader. The contract: a tensor whose byte count is exactly its element count
 * times the element size, or an {@link InvalidModelException} naming the file. Seeds: testdata/npy.
 */
class NpyReaderFuzzTest {

    private static final Path FILE = Path.of("calibration", "fuzz.npy");

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void parseNpy(byte[] data) {
        try {
            Tensor t = new NpyReader().parse(FILE, data, "x");
            long elements = Tensor.elementCount(t.dims());
            assertEquals(t.dataType().byteSize(elements), t.rawBytes().remaining(),
                    "tensor bytes do not match its shape");
        } catch (InvalidModelException e) {
            assertEquals(FILE, e.file());
            assertFalse(e.getMessage().contains("\n"), "refusal spans several lines");
        }
    }
}
