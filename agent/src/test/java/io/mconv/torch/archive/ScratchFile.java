package io.mconv.torch.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one file a fuzz test hands each input to, rewritten in place. Truncating it to zero first (what
 * {@code Files.write} does) made ext4 write the data to disk at close (its auto_da_alloc rule for files rewritten
 * after a truncate to zero), about 2 ms per input on the development machine, more than the parsing itself.
 * Writing over the old bytes and then cutting the file to the new length leaves the data in the page cache.
 */
final class ScratchFile {

    private ScratchFile() {
    }

    /** Makes {@code data} the whole content of {@code file} (created if missing) and returns the file. */
    static Path overwrite(Path file, byte[] data) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            long at = 0;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.truncate(data.length);
        }
        return file;
    }
}
