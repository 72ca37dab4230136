package io.mconv.torch.pickle;

import io.mconv.limits.Limit;
import io.mconv.torch.archive.PyGlobal;
import io.mconv.torch.archive.PyTuple;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safe unpickler for the pickles torch writes (protocols 2 to 5): it builds plain values (null, Boolean, Long,
 * Double, String, byte[], {@link PyTuple}, {@code ArrayList}, {@code LinkedHashMap}, and what the
 * {@link PickleGlobals} make of globals) and executes nothing. Globals outside the allowlist stop it at the GLOBAL
 * opcode. It runs iteratively, so no input can overflow the Java stack, and it bounds nesting, the number of values
 * and every length by what is left of the input. Every failure is a {@link PickleException} with the byte offset.
 *
 * <p>One instance reads one pickle; {@link #position()} says where it ended, for files that hold several pickles
 * one after another (the legacy torch.save format).
 */
public final class Unpickler {

    // Opcodes of protocols 2-5 that torch writes (see Python's pickletools for the definitions).
    private static final int MARK = '(';
    private static final int STOP = '.';
    private static final int BININT = 'J';
    private static final int BININT1 = 'K';
    private static final int BININT2 = 'M';
    private static final int NONE = 'N';
    private static final int BINPERSID = 'Q';
    private static final int REDUCE = 'R';
    private static final int BINUNICODE = 'X';
    private static final int EMPTY_LIST = ']';
    private static final int APPEND = 'a';
    private static final int BUILD = 'b';
    private static final int GLOBAL = 'c';
    private static final int APPENDS = 'e';
    private static final int BINGET = 'h';
    private static final int LONG_BINGET = 'j';
    private static final int EMPTY_DICT = '}';
    private static final int BINPUT = 'q';
    private static final int LONG_BINPUT = 'r';
    private static final int SETITEM = 's';
    private static final int TUPLE = 't';
    private static final int EMPTY_TUPLE = ')';
    private static final int SETITEMS = 'u';
    private static final int BINFLOAT = 'G';
    private static final int BINBYTES = 'B';
    private static final int SHORT_BINBYTES = 'C';
    private static final int PROTO = 0x80;
    private static final int NEWOBJ = 0x81;
    private static final int TUPLE1 = 0x85;
    private static final int TUPLE2 = 0x86;
    private static final int TUPLE3 = 0x87;
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int LONG1 = 0x8a;
    private static final int LONG4 = 0x8b;
    private static final int SHORT_BINUNICODE = 0x8c;
    private static final int BINUNICODE8 = 0x8d;
    private static final int STACK_GLOBAL = 0x93;
    private static final int MEMOIZE = 0x94;
    private static final int FRAME = 0x95;

    /** Longest module or class name GLOBAL may carry; Python's own are far shorter. */
    private static final int MAX_GLOBAL_NAME = 1000;

    private final PickleInput in;
    private final PickleGlobals globals;
    private final PickleLimits limits;
    private final ArrayList<Object> stack = new ArrayList<>();
    /** Stack sizes at each open MARK. */
    private final ArrayDeque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long created;

    public Unpickler(ByteBuffer data, PickleGlobals globals, PickleLimits limits) {
        this.in = new PickleInput(data);
        this.globals = globals;
        this.limits = limits;
    }

    public Unpickler(byte[] data, PickleGlobals globals) {
        this(ByteBuffer.wrap(data), globals, PickleLimits.DEFAULT);
    }

    /** Bytes consumed so far (after {@link #load()}: the offset just past STOP). */
    public long position() {
        return in.position();
    }

    /** Reads up to STOP and returns the value, checked for nesting depth and cycles. */
    public Object load() {
        while (true) {
            int op = in.opcode();
            if (op == STOP) {
                if (stack.size() != 1 || !marks.isEmpty()) {
                    throw error("STOP with " + stack.size() + " values on the stack and " + marks.size()
                            + " open marks (expected exactly one value)");
                }
                Object result = stack.get(0);
                NestingCheck.check(result, limits.maxDepth(), in.opcodeOffset());
                return result;
            }
            try {
                execute(op);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new PickleException(in.opcodeOffset(), e.getMessage(), e);
            }
        }
    }

    private void execute(int op) {
        switch (op) {
            case PROTO -> {
                int version = in.u8("PROTO");
                if (version < 2 || version > 5) {
                    throw error("unsupported pickle protocol " + version + " (torch writes 2 to 5)");
                }
            }
            case FRAME -> in.checkAvailable(in.s64("FRAME"), "FRAME");
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case BININT -> push((long) in.s32("BININT"));
            case BININT1 -> push((long) in.u8("BININT1"));
            case BININT2 -> push((long) in.u16("BININT2"));
            case LONG1 -> push(littleEndianLong(in.u8("LONG1")));
            case LONG4 -> push(littleEndianLong(in.s32("LONG4")));
            case BINFLOAT -> push(in.doubleBigEndian("BINFLOAT"));
            case SHORT_BINUNICODE -> push(in.utf8(in.u8("SHORT_BINUNICODE"), "SHORT_BINUNICODE"));
            case BINUNICODE -> push(in.utf8(in.u32("BINUNICODE"), "BINUNICODE"));
            case BINUNICODE8 -> push(in.utf8(in.s64("BINUNICODE8"), "BINUNICODE8"));
            case SHORT_BINBYTES -> push(in.bytes(in.u8("SHORT_BINBYTES"), "SHORT_BINBYTES"));
            case BINBYTES -> push(in.bytes(in.u32("BINBYTES"), "BINBYTES"));
            case EMPTY_TUPLE -> push(new PyTuple(List.of()));
            case TUPLE1 -> push(tupleOfTop(1));
            case TUPLE2 -> push(tupleOfTop(2));
            case TUPLE3 -> push(tupleOfTop(3));
            case TUPLE -> push(new PyTuple(popToMark()));
            case EMPTY_LIST -> push(new ArrayList<>());
            case EMPTY_DICT -> push(new LinkedHashMap<>());
            case APPEND -> {
                Object value = pop();
                asList(peek(), "APPEND").add(value);
            }
            case APPENDS -> {
                List<Object> items = popToMark();
                asList(peek(), "APPENDS").addAll(items);
            }
            case SETITEM -> {
                Object value = pop();
                Object key = pop();
                put(peek(), key, value);
            }
            case SETITEMS -> {
                List<Object> items = popToMark();
                if (items.size() % 2 != 0) {
                    throw error("SETITEMS with an odd number of items (" + items.size() + ")");
                }
                Object dict = peek();
                for (int i = 0; i < items.size(); i += 2) {
                    put(dict, items.get(i), items.get(i + 1));
                }
            }
            case MARK -> {
                if (marks.size() >= limits.maxDepth()) {
                    throw error("more than " + limits.maxDepth() + " nested MARKs: "
                            + Limit.PICKLE_DEPTH.exceeded(limits.maxDepth()));
                }
                marks.push(stack.size());
            }
            case BINPUT -> memo.put((long) in.u8("BINPUT"), peek());
            case LONG_BINPUT -> memo.put(in.u32("LONG_BINPUT"), peek());
            case MEMOIZE -> memo.put((long) memo.size(), peek());
            case BINGET -> push(memoGet(in.u8("BINGET")));
            case LONG_BINGET -> push(memoGet(in.u32("LONG_BINGET")));
            case GLOBAL -> {
                String module = in.line(MAX_GLOBAL_NAME, "GLOBAL module");
                String name = in.line(MAX_GLOBAL_NAME, "GLOBAL name");
                push(global(module, name));
            }
            case STACK_GLOBAL -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw error("STACK_GLOBAL needs two strings, got " + PickleText.kindOf(module) + " and "
                            + PickleText.kindOf(name));
                }
                push(global(m, n));
            }
            case REDUCE -> {
                PyTuple args = asTuple(pop(), "REDUCE arguments");
                PyGlobal callable = asGlobal(pop(), "REDUCE");
                push(globals.call(callable, args));
            }
            case NEWOBJ -> {
                PyTuple args = asTuple(pop(), "NEWOBJ arguments");
                PyGlobal cls = asGlobal(pop(), "NEWOBJ");
                push(globals.newObject(cls, args));
            }
            case BUILD -> {
                Object state = pop();
                globals.build(peek(), state);
            }
            case BINPERSID -> push(globals.persistentLoad(pop()));
            default -> throw error(String.format("unknown or unsupported opcode 0x%02x", op));
        }
    }

    private PyGlobal global(String module, String name) {
        if (!globals.allows(module, name)) {
            throw new DisallowedGlobalException(in.opcodeOffset(), module, name);
        }
        return new PyGlobal(module, name);
    }

    /** LONG1/LONG4: a little-endian two's complement integer of n bytes; wider than 64 bits is refused. */
    private long littleEndianLong(long n) {
        if (n < 0 || n > 8) {
            throw error("integer of " + n + " bytes does not fit in 64 bits");
        }
        byte[] b = in.bytes(n, "LONG");
        long value = 0;
        for (int i = (int) n - 1; i >= 0; i--) {
            value = (value << 8) | (b[i] & 0xff);
        }
        if (n > 0 && n < 8 && b[(int) n - 1] < 0) {
            value |= -1L << (8 * n);
        }
        return value;
    }

    private void push(Object value) {
        if (++created > limits.maxObjects()) {
            throw error("more than " + limits.maxObjects() + " values: "
                    + Limit.PICKLE_OBJECTS.exceeded(limits.maxObjects()));
        }
        stack.add(value);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= floor) {
            throw error("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() <= floor) {
            throw error("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw error("no MARK to pop to");
        }
        int at = marks.pop();
        List<Object> top = stack.subList(at, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private PyTuple tupleOfTop(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new PyTuple(Arrays.asList(items));
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) {
            throw error("memo key " + key + " was never stored (dangling BINGET)");
        }
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object value, String op) {
        if (value instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw error(op + " on a " + PickleText.kindOf(value) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private void put(Object dict, Object key, Object value) {
        if (!(dict instanceof LinkedHashMap<?, ?> map)) {
            throw error("SETITEM on a " + PickleText.kindOf(dict) + ", not a dict");
        }
        DictKeys.requireHashable(key, limits.maxDepth(), in.opcodeOffset());
        ((Map<Object, Object>) map).put(key, value);
    }

    private PyTuple asTuple(Object value, String what) {
        if (value instanceof PyTuple t) {
            return t;
        }
        throw error(what + " must be a tuple, got " + PickleText.kindOf(value));
    }

    private PyGlobal asGlobal(Object value, String op) {
        if (value instanceof PyGlobal g) {
            return g;
        }
        throw error(op + " on a " + PickleText.kindOf(value) + ", which is not a global");
    }

    private PickleException error(String reason) {
        return new PickleException(in.opcodeOffset(), reason);
    }
}
