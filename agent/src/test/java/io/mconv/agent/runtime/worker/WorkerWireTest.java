package io.mconv.agent.runtime.worker;

import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker protocol's framing, without a worker: round trips, stray stdout, corrupt frames. */
class WorkerWireTest {

    private static byte[] frame(List<Tensor> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        WorkerWire.writeFrameStart(out, WorkerWire.OUTPUTS);
        WorkerWire.writeTensors(out, tensors);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void tensorsOfEveryLibtorchTypeSurviveARoundTrip() throws IOException {
        Tensor f = Tensor.ofFloats("a", new long[] {2, 2}, 1.5f, -2, Float.NaN, 0);
        Tensor l = Tensor.ofLongs("b", new long[] {3}, Long.MIN_VALUE, 0, Long.MAX_VALUE);
        Tensor scalar = Tensor.ofDoubles("c", new long[0], Math.PI);
        Tensor empty = Tensor.ofFloats("d", new long[] {0, 4});
        Tensor bool = Tensor.ofRaw("e", DataType.BOOL, new long[] {2},
                ByteBuffer.wrap(new byte[] {1, 0}).order(ByteOrder.LITTLE_ENDIAN));
        List<Tensor> sent = List.of(f, l, scalar, empty, bool);
        ByteArrayInputStream in = new ByteArrayInputStream(frame(sent));
        assertEquals(WorkerWire.OUTPUTS, WorkerWire.readFrameStart(in, new ByteArrayOutputStream()));
        List<Tensor> got = WorkerWire.readTensors(new DataInputStream(in), "out");
        assertEquals(5, got.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("out" + i, got.get(i).name());
            assertEquals(sent.get(i).dataType(), got.get(i).dataType());
            assertArrayEquals(sent.get(i).dims(), got.get(i).dims());
            assertTrue(sent.get(i).contentEquals(got.get(i)), sent.get(i) + " vs " + got.get(i));
        }
        assertEquals(-1, in.read(), "the frame was read to its end and no further");
    }

    @Test
    void textPrintedBeforeAFrameIsSkippedAndKept() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        // Includes a false start of the magic (its first byte twice) to exercise the restart of the match.
        stream.write("hello from torchscript\n".getBytes(StandardCharsets.UTF_8));
        stream.write(new byte[] {(byte) 0xFE, 'M', (byte) 0xFE});
        stream.write(frame(List.of(Tensor.ofFloats("x", new long[] {1}, 7))));
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
        assertEquals(WorkerWire.OUTPUTS, WorkerWire.readFrameStart(in, stray));
        assertArrayEquals(new float[] {7}, WorkerWire.readTensors(new DataInputStream(in), "o").get(0).toFloatArray());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write("hello from torchscript\n".getBytes(StandardCharsets.UTF_8));
        // The false start, then the lone 0xFE that the real frame's 0xFE proved to be no magic either.
        expected.write(new byte[] {(byte) 0xFE, 'M', (byte) 0xFE});
        assertArrayEquals(expected.toByteArray(), stray.toByteArray());
    }

    @Test
    void strayOutputIsBounded() throws IOException {
        byte[] noise = new byte[100_000];
        java.util.Arrays.fill(noise, (byte) 'x');
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(noise);
        stream.write(frame(List.of()));
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        assertEquals(WorkerWire.OUTPUTS, WorkerWire.readFrameStart(new ByteArrayInputStream(stream.toByteArray()),
                stray));
        assertEquals(WorkerWire.MAX_STRAY_BYTES, stray.size());
    }

    @Test
    void anEndedStreamIsAnEofAndCorruptLengthsAreRefusedBeforeAllocating() throws IOException {
        assertThrows(EOFException.class, () -> WorkerWire.readFrameStart(
                new ByteArrayInputStream("no frame".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(DataType.FLOAT.code());
        out.writeInt(1);
        out.writeLong(4);
        out.writeLong(1L << 40);
        IOException e = assertThrows(IOException.class, () -> WorkerWire.readTensor(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "t"));
        assertTrue(e.getMessage().contains("needs 16"), e.getMessage());
        ByteArrayOutputStream rank = new ByteArrayOutputStream();
        DataOutputStream r = new DataOutputStream(rank);
        r.writeInt(DataType.FLOAT.code());
        r.writeInt(1_000_000);
        assertTrue(assertThrows(IOException.class, () -> WorkerWire.readTensor(new DataInputStream(
                new ByteArrayInputStream(rank.toByteArray())), "t")).getMessage().contains("rank 1000000"));
    }
}
