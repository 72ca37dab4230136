package io.mconv.torch.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over pickle bytes. Every read checks the remaining length first, so a length field that
 * claims more than the input holds is refused before anything of that size is allocated.
 */
final class PickleInput {

    private final ByteBuffer data;
    private final int start;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Offset of the opcode being executed, for error messages. */
    private long opcodeOffset;

    PickleInput(ByteBuffer data) {
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.start = this.data.position();
    }

    long position() {
        return data.position() - start;
    }

    int remaining() {
        return data.remaining();
    }

    long opcodeOffset() {
        return opcodeOffset;
    }

    /** Reads the next opcode and remembers where it was. */
    int opcode() {
        opcodeOffset = position();
        if (!data.hasRemaining()) {
            throw new PickleException(opcodeOffset, "truncated: the pickle ends without STOP");
        }
        return data.get() & 0xff;
    }

    private void need(long n, String what) {
        if (n < 0 || n > data.remaining()) {
            throw new PickleException(opcodeOffset, "truncated: " + what + " needs " + n + " bytes but "
                    + data.remaining() + " remain");
        }
    }

    int u8(String what) {
        need(1, what);
        return data.get() & 0xff;
    }

    int u16(String what) {
        need(2, what);
        return data.getShort() & 0xffff;
    }

    int s32(String what) {
        need(4, what);
        return data.getInt();
    }

    long u32(String what) {
        return s32(what) & 0xffffffffL;
    }

    long s64(String what) {
        need(8, what);
        return data.getLong();
    }

    double doubleBigEndian(String what) {
        need(8, what);
        return Double.longBitsToDouble(Long.reverseBytes(data.getLong()));
    }

    byte[] bytes(long n, String what) {
        need(n, what);
        byte[] b = new byte[(int) n];
        data.get(b);
        return b;
    }

    /** Skips n bytes (a FRAME's declared length is only checked, not used). */
    void checkAvailable(long n, String what) {
        need(n, what);
    }

    /** Strict UTF-8: malformed bytes are an error, never replacement characters. */
    String utf8(long n, String what) {
        need(n, what);
        ByteBuffer slice = data.slice();
        slice.limit((int) n);
        data.position(data.position() + (int) n);
        try {
            CharBuffer chars = utf8.reset().decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new PickleException(opcodeOffset, "invalid UTF-8 in " + what);
        }
    }

    /** A newline-terminated line (GLOBAL's module and name), at most maxChars long. */
    String line(int maxChars, String what) {
        int limit = Math.min(data.remaining(), maxChars + 1);
        for (int i = 0; i < limit; i++) {
            if (data.get(data.position() + i) == '\n') {
                String s = utf8(i, what);
                data.get();
                return s;
            }
        }
        if (limit == data.remaining()) {
            throw new PickleException(opcodeOffset, "truncated: " + what + " has no terminating newline");
        }
        throw new PickleException(opcodeOffset, what + " is longer than " + maxChars + " characters");
    }
}
