package io.mconv.torch.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.archive.TorchDType;
import io.mconv.torch.archive.TorchTensor;
import io.mconv.torch.testing.PickleBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The safe unpickler: every supported opcode gives the documented value; BAD_INPUTS 13 and 14 are refused. */
class UnpicklerTest {

    /** Storages of four floats 1, 2, 3, 4 under any key. */
    private static final StorageSource FOUR_FLOATS = (key, dtype, numel) -> {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).flip();
        if (numel * dtype.elementSize() > 16) {
            throw new IllegalArgumentException("storage " + key + " is too small");
        }
        return b.limit((int) (numel * dtype.elementSize())).slice();
    };

    private static Object load(PickleBuilder p) {
        return new Unpickler(p.bytes(), TorchGlobals.forTorchScript(FOUR_FLOATS)).load();
    }

    private static PickleException refused(PickleBuilder p) {
        return assertThrows(PickleException.class, () -> load(p));
    }

    @Test
    void scalarsStringsAndBytes() {
        PickleBuilder p = new PickleBuilder().proto(2).mark()
                .op('N').op(0x88).op(0x89)
                .int1(200).op('M').raw(0x34, 0x12).binint(-5)
                .op(0x8a).raw(2, 0xff, 0x7f)        // LONG1 2 bytes: 0x7fff
                .op(0x8a).raw(1, 0xff)              // LONG1 1 byte: -1
                .op(0x8b).int32(8).int64(Long.MIN_VALUE)
                .binfloat(-1.25).string("héllo").shortString("x")
                .op('C').raw(2, 7, 8).op('B').int32(1).raw(9)
                .tuple().stop();
        PyTuple t = (PyTuple) load(p);
        assertEquals(14, t.size());
        assertNull(t.get(0));
        assertEquals(Boolean.TRUE, t.get(1));
        assertEquals(Boolean.FALSE, t.get(2));
        assertEquals(200L, t.get(3));
        assertEquals(0x1234L, t.get(4));
        assertEquals(-5L, t.get(5));
        assertEquals(0x7fffL, t.get(6));
        assertEquals(-1L, t.get(7));
        assertEquals(Long.MIN_VALUE, t.get(8));
        assertEquals(-1.25, t.get(9));
        assertEquals("héllo", t.get(10));
        assertEquals("x", t.get(11));
        assertArrayEquals(new byte[] {7, 8}, (byte[]) t.get(12));
        assertArrayEquals(new byte[] {9}, (byte[]) t.get(13));
    }

    @Test
    void containersMemoAndTypeTags() {
        PickleBuilder p = new PickleBuilder().proto(2)
                .op('}').op('q').raw(0)                                 // dict, memo 0
                .mark()
                .string("ints").global("torch.jit._pickle", "build_intlist")
                .op(']').mark().int1(1).int1(2).int1(3).op('e').op(0x85).reduce()
                .string("table").global("torch.jit._pickle", "restore_type_tag")
                .op('}').string("a").binfloat(1.5).op('s').string("Dict[str, float]").op(0x86).reduce()
                .string("pair").int1(1).int1(2).op(0x86)
                .string("self_ref_copy").op(']').op('q').raw(1).int1(4).op('a')
                .string("again").op('h').raw(1)
                .string("triple").int1(1).int1(2).int1(3).op(0x87)
                .string("empty").op(')')
                .string("dtype").global("torch", "float16")
                .op('u').stop();
        @SuppressWarnings("unchecked")
        Map<Object, Object> d = (Map<Object, Object>) load(p);
        assertEquals(List.of("ints", "table", "pair", "self_ref_copy", "again", "triple", "empty", "dtype"),
                List.copyOf(d.keySet()), "insertion order is kept");
        assertEquals(List.of(1L, 2L, 3L), d.get("ints"));
        assertEquals(Map.of("a", 1.5), d.get("table"));
        assertEquals(new PyTuple(List.of(1L, 2L)), d.get("pair"));
        assertTrue(d.get("again") == d.get("self_ref_copy"), "BINGET returns the memoized object itself");
        assertEquals(List.of(4L), d.get("again"));
        assertEquals(3, ((PyTuple) d.get("triple")).size());
        assertEquals(0, ((PyTuple) d.get("empty")).size());
        assertEquals(new PyGlobal("torch", "float16"), d.get("dtype"));
    }

    @Test
    void protocol4FramesStackGlobalAndMemoize() {
        PickleBuilder body = new PickleBuilder()
                .shortString("collections").op(0x94).shortString("OrderedDict").op(0x94).op(0x93).op(0x94)
                .op(')').reduce().op(0x94)
                .shortString("k").op(0x94).op('h').raw(0).op('s')     // memo 0 is the string "collections"
                .op(0x8d).int64(2).raw('o', 'k').op(0x94)
                .op(0x86)
                .stop();
        byte[] b = body.bytes();
        PickleBuilder p = new PickleBuilder().proto(4).op(0x95).int64(b.length).raw(b);
        PyTuple t = (PyTuple) load(p);
        assertEquals(Map.of("k", "collections"), t.get(0));
        assertEquals("ok", t.get(1));
    }

    @Test
    void scriptObjectsFromNewobjBuildAndSetstateAndReduce() {
        PickleBuilder p = new PickleBuilder().proto(2)
                .global("__torch__", "M").op(')').op(0x81)
                .op('}').mark()
                .string("child").global("__torch__.a.b", "C").op(')').op(0x81).int1(5).op('b')
                .string("color").global("__torch__", "Color").string("red").op(0x85).reduce()
                .string("weight").tensor("FloatStorage", "0", 4, 1, new long[] {3}, new long[] {1})
                .op('u').op('b').stop();
        ScriptObject m = (ScriptObject) load(p);
        assertEquals("__torch__.M", m.className());
        assertEquals(List.of("child", "color", "weight"), List.copyOf(m.attributes().keySet()));
        ScriptObject child = (ScriptObject) m.attribute("child");
        assertEquals("__torch__.a.b.C", child.className());
        assertEquals(5L, child.attribute(TorchGlobals.STATE_ATTRIBUTE), "a non-dict state is kept whole");
        ScriptObject color = (ScriptObject) m.attribute("color");
        assertEquals(new PyTuple(List.of("red")), color.attribute(TorchGlobals.ARGS_ATTRIBUTE));
        TorchTensor w = (TorchTensor) m.attribute("weight");
        assertEquals(TorchDType.FLOAT32, w.dtype());
        assertArrayEquals(new long[] {3}, w.sizes());
        assertEquals(1, w.storageOffset());
        assertArrayEquals(new float[] {2, 3, 4}, w.toIrTensor("w").toFloatArray());
    }

    @Test
    void parameterRebuildKeepsTheStorageAndSetsRequiresGrad() {
        PickleBuilder p = new PickleBuilder().proto(2)
                .global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                .op(0x88).global("collections", "OrderedDict").op(')').reduce()
                .tuple().reduce().stop();
        TorchTensor t = (TorchTensor) load(p);
        assertTrue(t.requiresGrad());
        assertArrayEquals(new float[] {1, 2}, t.toIrTensor("p").toFloatArray());
    }

    // ---- BAD_INPUTS 13: globals outside the allowlist never run ------------------------------------------------

    @Test
    void disallowedGlobalsAreRefusedByName() {
        String[][] globals = {{"os", "system"}, {"builtins", "eval"}, {"subprocess", "Popen"}, {"posix", "system"},
                {"__builtin__", "exec"}, {"torch", "load"}, {"torch._utils", "_rebuild_qtensor"}};
        for (String[] g : globals) {
            PickleBuilder p = new PickleBuilder().proto(2).global(g[0], g[1]).string("echo pwned").op(0x85).reduce()
                    .stop();
            PickleException e = refused(p);
            DisallowedGlobalException d = assertInstanceOf(DisallowedGlobalException.class, e);
            assertEquals(g[0] + "." + g[1], d.qualifiedName());
            assertTrue(e.getMessage().contains("disallowed global " + g[0] + "." + g[1]), e.getMessage());
            assertEquals(2, e.offset(), "stopped at the GLOBAL opcode, before REDUCE");
        }
    }

    @Test
    void stackGlobalIsCheckedToo() {
        PickleBuilder p = new PickleBuilder().proto(4).shortString("os").shortString("system").op(0x93)
                .shortString("id").op(0x85).reduce().stop();
        PickleException e = refused(p);
        assertTrue(e.getMessage().contains("disallowed global os.system"), e.getMessage());
    }

    @Test
    void scriptClassesAreRefusedInStateDicts() {
        PickleBuilder p = new PickleBuilder().proto(2).global("__torch__", "M").op(')').op(0x81).stop();
        PickleException e = assertThrows(PickleException.class,
                () -> new Unpickler(p.bytes(), TorchGlobals.forStateDict(FOUR_FLOATS)).load());
        assertTrue(e.getMessage().contains("disallowed global __torch__.M"), e.getMessage());
    }

    // ---- BAD_INPUTS 14: malformed pickles, one exception type with the offset -----------------------------------

    @Test
    void stackUnderflow() {
        PickleException e = refused(new PickleBuilder().proto(2).op('a').stop());
        assertEquals("stack underflow", e.reason());
        assertEquals(2, e.offset());
        assertEquals("stack underflow", refused(new PickleBuilder().proto(2).op(0x86).stop()).reason());
        assertTrue(refused(new PickleBuilder().proto(2).op('t').stop()).reason().contains("no MARK"));
    }

    @Test
    void truncatedOpcodes() {
        assertTrue(refused(new PickleBuilder().proto(2).op('J').raw(1, 2)).reason().startsWith("truncated"));
        assertTrue(refused(new PickleBuilder().proto(2).op('X').int32(1000).raw('a')).reason().contains("needs 1000"));
        assertTrue(refused(new PickleBuilder().proto(2).op('X').int32(-1)).reason().startsWith("truncated"),
                "a 4 GB length is refused before allocating");
        assertTrue(refused(new PickleBuilder().proto(2).op(0x8d).int64(Long.MAX_VALUE)).reason().startsWith("truncated"));
        assertTrue(refused(new PickleBuilder().proto(2).raw('c').raw("os".getBytes())).reason().contains("newline"));
        assertTrue(refused(new PickleBuilder().proto(2).op('N')).reason().contains("without STOP"));
        assertTrue(refused(new PickleBuilder().proto(4).op(0x95).int64(99).op('N').stop()).reason().startsWith("truncated"));
    }

    @Test
    void danglingMemoReference() {
        PickleException e = refused(new PickleBuilder().proto(2).op('h').raw(3).stop());
        assertTrue(e.reason().contains("memo key 3"), e.reason());
        assertTrue(refused(new PickleBuilder().proto(2).op('j').int32(70000).stop()).reason().contains("70000"));
    }

    @Test
    void invalidUtf8() {
        PickleException e = refused(new PickleBuilder().proto(2).op('X').int32(2).raw(0xc3, 0x28).stop());
        assertTrue(e.reason().contains("invalid UTF-8"), e.reason());
        assertTrue(refused(new PickleBuilder().proto(2).op(0x8c).raw(3).raw(0xed, 0xa0, 0x80).stop()).reason()
                .contains("invalid UTF-8"), "a UTF-8 encoded surrogate is invalid");
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        PickleBuilder marks = new PickleBuilder().proto(2);
        for (int i = 0; i < 100_000; i++) {
            marks.mark();
        }
        assertTrue(refused(marks.stop()).reason().contains("nested MARKs"));

        PickleBuilder lists = new PickleBuilder().proto(2);
        for (int i = 0; i < 100_000; i++) {
            lists.op(']');
        }
        for (int i = 0; i < 99_999; i++) {
            lists.op('a');
        }
        assertTrue(refused(lists.stop()).reason().contains("nested deeper than 1000"));

        PickleBuilder tuples = new PickleBuilder().proto(2).op('N');
        for (int i = 0; i < 100_000; i++) {
            tuples.op(0x85);
        }
        assertTrue(refused(tuples.stop()).reason().contains("nested deeper than 1000"));

        // A deep tuple as a dict key would be hashed recursively: refused before hashing.
        PickleBuilder key = new PickleBuilder().proto(2).op('}').op('N');
        for (int i = 0; i < 100_000; i++) {
            key.op(0x85);
        }
        assertTrue(refused(key.op('N').op('s').stop()).reason().contains("dict key nested deeper"));
    }

    @Test
    void cyclesAndSharedReferences() {
        PickleBuilder cycle = new PickleBuilder().proto(2).op(']').op('q').raw(0).op('h').raw(0).op('a').stop();
        assertTrue(refused(cycle).reason().contains("cyclic"));

        // 60 levels of "a list holding the level below twice": 2^60 paths, one object per level; linear to check.
        PickleBuilder laughs = new PickleBuilder().proto(2).mark().op('N').op('q').raw(0);
        for (int i = 0; i < 60; i++) {
            laughs.op(']').op('h').raw(0).op('h').raw(0).op(0x86).op('a').op('q').raw(0);
        }
        PyTuple all = (PyTuple) load(laughs.tuple().stop());
        assertEquals(61, all.size());
        PyTuple top = (PyTuple) ((List<?>) all.get(60)).get(0);
        assertTrue(top.get(0) == top.get(1) && top.get(0) == all.get(59), "shared, not copied");
    }

    @Test
    void otherMalformations() {
        assertTrue(refused(new PickleBuilder().proto(2).op(0x8a).raw(9).raw(new byte[9]).stop()).reason()
                .contains("64 bits"));
        assertTrue(refused(new PickleBuilder().proto(2).op('V').stop()).reason().contains("unknown or unsupported "
                + "opcode 0x56"), "protocol 0 UNICODE is not something torch writes");
        assertTrue(refused(new PickleBuilder().proto(9).op('N').stop()).reason().contains("protocol 9"));
        assertTrue(refused(new PickleBuilder().proto(2).op('}').op(']').op('N').op('s').stop()).reason()
                .contains("unhashable"));
        assertTrue(refused(new PickleBuilder().proto(2).op('N').op('N').stop()).reason().contains("2 values"));
        assertTrue(refused(new PickleBuilder().proto(2).string("x").op(')').reduce().stop()).reason()
                .contains("not a global"));
        assertTrue(refused(new PickleBuilder().proto(2).global("torch", "FloatStorage").op(')').reduce().stop())
                .reason().contains("cannot be called"));
        assertTrue(refused(new PickleBuilder().proto(2).mark().string("storage").global("torch", "FloatStorage")
                .string("../code/x").string("cpu").int1(1).tuple().op('Q').stop()).reason().contains("storage key"));
        assertTrue(refused(new PickleBuilder().proto(2).mark().string("storage").global("torch", "FloatStorage")
                .string("0").string("cpu").int1(1).tuple().op('Q').stop()).reason().contains("StorageRef"),
                "a storage outside a tensor does not leak into the value");
    }

    @Test
    void objectCountIsBounded() {
        PickleBuilder p = new PickleBuilder().proto(2).op(']');
        for (int i = 0; i < 2000; i++) {
            p.op('N').op('a');
        }
        PickleException e = assertThrows(PickleException.class, () -> new Unpickler(ByteBuffer.wrap(p.stop().bytes()),
                TorchGlobals.forTorchScript(FOUR_FLOATS), new PickleLimits(1000, 1000)).load());
        assertTrue(e.reason().contains("more than 1000 values"), e.reason());
    }

    @Test
    void tensorChecksAreReportedAtTheirOpcode() {
        PickleException small = refused(new PickleBuilder().proto(2)
                .tensor("FloatStorage", "0", 2, 0, new long[] {3}, new long[] {1}).stop());
        assertTrue(small.reason().contains("storage 0 has 8 bytes but the tensor needs 12"), small.reason());
        PickleException negative = refused(new PickleBuilder().proto(2)
                .tensor("FloatStorage", "0", 4, 3, new long[] {2}, new long[] {-1}).stop());
        assertTrue(negative.reason().contains("negative stride"), negative.reason());
        PickleException missing = refused(new PickleBuilder().proto(2)
                .tensor("FloatStorage", "0", 5, 0, new long[] {5}, new long[] {1}).stop());
        assertTrue(missing.reason().contains("too small"), missing.reason());
    }
}
