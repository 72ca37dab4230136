package io.mconv.torch.pickle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the {@link Unpickler} (BAD_INPUTS 13 and 14) with each of the three allowlists torch files are read with:
 * TorchScript (with an in-memory storage source), state_dict, and the legacy scan. The contract: a value, or a
 * {@link PickleException} (a {@link DisallowedGlobalException} for a refused global) with a reason and an offset
 * inside the input. Any other exception, a stack overflow or a hang is a finding.
 */
class UnpicklerFuzzTest {

    /** 64 bytes under any key: enough for the seeds' tensors, and a too-large numel is refused as the archive would. */
    private static final StorageSource STORAGES = (key, dtype, numel) -> {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        if (numel > 64 / dtype.elementSize()) {
            throw new IllegalArgumentException("storage " + key + " has 64 bytes, fewer than " + numel + " elements");
        }
        return b.limit((int) (numel * dtype.elementSize())).slice().asReadOnlyBuffer();
    };

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void unpickle(byte[] data) {
        for (PickleGlobals globals : new PickleGlobals[] {TorchGlobals.forTorchScript(STORAGES),
            TorchGlobals.forStateDict(STORAGES), TorchGlobals.forLegacyScan()}) {
            Unpickler unpickler = new Unpickler(ByteBuffer.wrap(data), globals, PickleLimits.DEFAULT);
            try {
                unpickler.load();
                assertTrue(unpickler.position() <= data.length, "read past the end of the pickle");
            } catch (PickleException e) {
                assertFalse(e.reason() == null || e.reason().isBlank(), "refusal without a reason");
                assertTrue(e.offset() >= 0 && e.offset() <= data.length, () -> "offset outside the input: " + e.offset());
            }
        }
    }
}
