package io.mconv.torch.archive;

import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.pickle.DisallowedGlobalException;
import io.mconv.torch.pickle.PickleException;
import io.mconv.torch.pickle.PickleLimits;
import io.mconv.torch.pickle.TorchGlobals;
import io.mconv.torch.pickle.Unpickler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Recognises files that are pickles rather than zips: the legacy torch.save format (torch before 1.6, or
 * {@code _use_new_zipfile_serialization=False}) and plain Python pickles, and says what they hold.
 *
 * <p>A legacy file is a sequence of pickles: a magic number, the protocol version, a sys_info dict, the saved
 * object, the storage keys, then raw storage bytes. Only the object pickle is read, with the state_dict allowlist
 * and without its storages (tensors become placeholders), which is enough to tell a state_dict (and count its
 * tensors) from a whole pickled module (whose class the allowlist refuses before anything could run).
 */
final class LegacyTorchFile {

    /** PROTO 2, LONG1 of 10 bytes: torch's legacy magic number 0x1950a86a20f9469cfc6c, then STOP. */
    private static final byte[] MAGIC_PICKLE = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc,
            (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};
    private static final long LEGACY_PROTOCOL_VERSION = 1001;

    private LegacyTorchFile() {
    }

    static boolean isLegacy(byte[] head) {
        return head.length >= MAGIC_PICKLE.length
                && Arrays.equals(Arrays.copyOf(head, MAGIC_PICKLE.length), MAGIC_PICKLE);
    }

    /** A pickle's first opcode is PROTO (0x80) followed by a protocol number from 2 to 5. */
    static boolean isPickle(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    /** The exception that says what this legacy file holds; its pickles are read under {@code limits}. */
    static RuntimeException describe(Path file, Limits limits) {
        PickleLimits pickleLimits = PickleLimits.of(limits);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // The object pickle comes first; the storage bytes after it are never touched.
            long length = Math.min(channel.size(), Integer.MAX_VALUE);
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
            bytes.position(MAGIC_PICKLE.length);
            Unpickler header = new Unpickler(bytes, TorchGlobals.forLegacyScan(), pickleLimits);
            Object protocol = header.load();
            bytes.position(bytes.position() + (int) header.position());
            Unpickler sysInfo = new Unpickler(bytes, TorchGlobals.forLegacyScan(), pickleLimits);
            sysInfo.load();
            bytes.position(bytes.position() + (int) sysInfo.position());
            if (!Long.valueOf(LEGACY_PROTOCOL_VERSION).equals(protocol)) {
                return new NotTorchScriptException(file, NotTorchScriptException.Kind.OTHER_PICKLE,
                        TorchSaveAdvice.otherPickle("a legacy torch.save file of unknown protocol version"));
            }
            Object saved;
            try {
                saved = new Unpickler(bytes, TorchGlobals.forLegacyScan(), pickleLimits).load();
            } catch (DisallowedGlobalException e) {
                if (SavedObjects.looksLikeClass(e)) {
                    return new NotTorchScriptException(file, NotTorchScriptException.Kind.PICKLED_MODULE,
                            TorchSaveAdvice.pickledModule(" in the legacy (non-zip) format", e.qualifiedName()));
                }
                throw e;
            }
            return SavedObjects.describe(file, saved, " in the legacy (non-zip) torch.save format");
        } catch (PickleException e) {
            return new InvalidModelException(file, "a legacy (non-zip) torch.save file whose pickle is unreadable: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            return new InvalidModelException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
