package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mconv.onnx.proto.Onnx.StringStringEntryProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes external-data resolution (BAD_INPUTS 7 and 8): the fuzzer writes a tensor's {@code external_data} keys
 * and values, and the resolver runs against a real model folder that holds the traps the CVEs used: a symlink
 * and a hard link to a file outside the folder, a sub-folder, and a file outside reachable by {@code ..}. The
 * contract: either a mapped region that lies inside a regular file of the folder and is exactly as long as asked,
 * or an {@link InvalidModelException}. Reading the outside file's bytes is a finding, whatever the route.
 */
class ExternalDataFuzzTest {

    /** Bytes of the file outside the model's folder; seeing them in a mapped region means an escape. */
    private static final byte[] SECRET = "outside-secret-outside-secret!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int WEIGHTS_BYTES = 64;
    /** Locations worth trying whole; the fuzzer also writes its own. */
    private static final String[] LOCATIONS = {"weights.bin", "sub/w.bin", "sub\\w.bin", "./weights.bin",
        "link_out.bin", "hard_out.bin", "sub", "../outside.bin", "sub/../../outside.bin", "missing.bin", "",
        "/etc/passwd", "C:\\x.bin", "weights.bin\0.txt", "sub/link_dir/outside.bin", "."};
    private static final String[] KEYS = {ExternalDataLocation.LOCATION, ExternalDataLocation.OFFSET,
        ExternalDataLocation.LENGTH, ExternalDataLocation.CHECKSUM};

    @TempDir
    static Path root;
    private static Path modelDir;

    @BeforeAll
    static void modelFolderWithTraps() throws IOException {
        Path outside = Files.write(root.resolve("outside.bin"), SECRET);
        modelDir = Files.createDirectories(root.resolve("model"));
        byte[] weights = new byte[WEIGHTS_BYTES];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (byte) i;
        }
        Files.write(modelDir.resolve("weights.bin"), weights);
        Files.createDirectories(modelDir.resolve("sub"));
        Files.write(modelDir.resolve("sub/w.bin"), weights);
        Files.createSymbolicLink(modelDir.resolve("link_out.bin"), outside);
        Files.createSymbolicLink(modelDir.resolve("sub/link_dir"), root);
        Files.createLink(modelDir.resolve("hard_out.bin"), outside);
    }

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void resolveExternalData(FuzzedDataProvider in) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(in.consumeString(8))
                .setDataLocation(in.consumeBoolean() ? TensorProto.DataLocation.EXTERNAL : TensorProto.DataLocation.DEFAULT);
        int entries = in.consumeInt(0, 5);
        for (int i = 0; i < entries; i++) {
            String key = in.consumeBoolean() ? in.pickValue(KEYS) : in.consumeString(12);
            String value = switch (key) {
                case ExternalDataLocation.LOCATION -> in.consumeBoolean() ? in.pickValue(LOCATIONS) : in.consumeString(40);
                case ExternalDataLocation.OFFSET, ExternalDataLocation.LENGTH -> in.consumeBoolean()
                        ? Long.toString(in.consumeLong(-2, WEIGHTS_BYTES + 2)) : in.consumeString(24);
                default -> in.consumeString(40);
            };
            tensor.addExternalData(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        }
        TensorProto t = tensor.build();
        try (ExternalDataResolver resolver = new ExternalDataResolver(modelDir.resolve("m.onnx"), modelDir)) {
            ByteBuffer region = resolver.externalData(t);
            ExternalDataLocation loc = ExternalDataLocation.parse(t, null);
            Path real = resolver.resolvePath(t);
            assertTrue(real.startsWith(modelDir.toRealPath()), () -> "resolved outside the folder: " + real);
            long fileSize = Files.size(real);
            assertEquals(loc.hasLength() ? loc.length() : fileSize - loc.offset(), region.remaining());
            assertTrue(loc.offset() + region.remaining() <= fileSize);
            for (int i = 0; i < region.remaining(); i++) {
                assertEquals((byte) (loc.offset() + i), region.get(i), "the region holds bytes of another file");
            }
        } catch (InvalidModelException e) {
            FuzzContract.assertOneLineRefusal(e);
        } catch (IOException e) {
            throw new AssertionError("the test's own file checks failed", e);
        }
    }
}
