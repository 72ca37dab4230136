package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Positional reads that either fill the buffer or say the file ended early. */
final class ChannelReads {

    private ChannelReads() {
    }

    static ByteBuffer readFully(FileChannel channel, long offset, int length, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, offset, b, file);
        return b.flip();
    }

    static void readFully(FileChannel channel, long offset, ByteBuffer into, Path file) throws IOException {
        long at = offset;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new InvalidModelException(file, "the file ends at " + at + " bytes, inside a zip record");
            }
            at += n;
        }
    }
}
