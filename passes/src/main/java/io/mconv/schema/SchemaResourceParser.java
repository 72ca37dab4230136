package io.mconv.schema;

import io.mconv.ir.AttributeKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the line-oriented operator schema format (docs/formats/operator-schemas.md) into a registry builder. Kept
 * apart from the registry so the format has one owner; JDK only, one pass, no reflection, so the standard set loads
 * in a few milliseconds.
 */
final class SchemaResourceParser {
    private static final int FORMAT_VERSION = 1;

    private final String source;
    private final OpSchemaRegistry.Builder target;
    private int lineNo;
    private boolean sawVersion;

    // the operator being read
    private String[] op;
    private int opLine;
    private final List<FormalParameter> inputs = new ArrayList<>();
    private final List<FormalParameter> outputs = new ArrayList<>();
    private final List<AttributeSchema> attributes = new ArrayList<>();
    private final List<TypeConstraint> constraints = new ArrayList<>();
    private final List<Set<String>> typeSets = new ArrayList<>();

    private SchemaResourceParser(String source, OpSchemaRegistry.Builder target) {
        this.source = source;
        this.target = target;
    }

    static void parse(InputStream in, String source, OpSchemaRegistry.Builder target) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        new SchemaResourceParser(source, target).run(text);
    }

    private void run(String text) {
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = n;
            }
            lineNo++;
            String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            try {
                record(split(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        lineNo = opLine;
        try {
            finishOp();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
        }
        if (!sawVersion) {
            throw new IllegalArgumentException(source + ": no VERSION record");
        }
    }

    private void record(String[] f) {
        if (!sawVersion && !f[0].equals("VERSION")) {
            throw new IllegalArgumentException(f[0] + " record before the VERSION record");
        }
        switch (f[0]) {
            case "VERSION" -> {
                need(f, 2, 2);
                if (Integer.parseInt(f[1]) != FORMAT_VERSION) {
                    throw new IllegalArgumentException("unsupported format version " + f[1]);
                }
                sawVersion = true;
            }
            case "MAXOPSET" -> {
                need(f, 3, 3);
                target.maxOpset(f[1], Integer.parseInt(f[2]));
            }
            case "OP" -> {
                need(f, 9, 9);
                finishOp();
                op = f;
                opLine = lineNo;
            }
            case "IN" -> inputs.add(parameter(f));
            case "OUT" -> outputs.add(parameter(f));
            case "AT" -> attributes.add(attribute(f));
            case "TS" -> {
                if (f.length < 3) {
                    throw new IllegalArgumentException("type set without types");
                }
                if (Integer.parseInt(f[1]) != typeSets.size()) {
                    throw new IllegalArgumentException("type set " + f[1] + " out of order");
                }
                LinkedHashSet<String> types = new LinkedHashSet<>();
                for (int i = 2; i < f.length; i++) {
                    types.add(f[i]);
                }
                typeSets.add(types);
            }
            case "TC" -> {
                inOp(f);
                need(f, 3, 3);
                int id = Integer.parseInt(f[2]);
                if (id < 0 || id >= typeSets.size()) {
                    throw new IllegalArgumentException("undefined type set " + f[2]);
                }
                constraints.add(new TypeConstraint(f[1], typeSets.get(id)));
            }
            default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
    }

    private void finishOp() {
        if (op == null) {
            return;
        }
        OpSchema schema = new OpSchema(op[1], op[2], Integer.parseInt(op[3]), flag(op[4]), inputs, outputs,
                attributes, constraints, Integer.parseInt(op[5]), Integer.parseInt(op[6]),
                Integer.parseInt(op[7]), Integer.parseInt(op[8]));
        target.add(schema);
        op = null;
        inputs.clear();
        outputs.clear();
        attributes.clear();
        constraints.clear();
    }

    private FormalParameter parameter(String[] f) {
        inOp(f);
        need(f, 4, 6);
        return switch (f[3]) {
            case "S" -> {
                need(f, 4, 4);
                yield FormalParameter.single(f[1], f[2]);
            }
            case "O" -> {
                need(f, 4, 4);
                yield FormalParameter.optional(f[1], f[2]);
            }
            case "V" -> {
                need(f, 6, 6);
                yield FormalParameter.variadic(f[1], f[2], flag(f[4]), Integer.parseInt(f[5]));
            }
            default -> throw new IllegalArgumentException("unknown parameter option " + f[3]);
        };
    }

    private AttributeSchema attribute(String[] f) {
        inOp(f);
        need(f, 4, Integer.MAX_VALUE);
        AttributeKind kind = AttributeKind.fromSpecName(f[2]).orElse(null);
        if (kind == null) {
            throw new IllegalArgumentException("unknown attribute kind " + f[2]);
        }
        switch (f[3]) {
            case "R" -> {
                need(f, 4, 4);
                return AttributeSchema.required(f[1], kind);
            }
            case "O" -> {
                need(f, 4, 4);
                return AttributeSchema.optional(f[1], kind);
            }
            case "D" -> {
                return AttributeSchema.withDefault(f[1], kind, defaultValue(kind, f));
            }
            default -> throw new IllegalArgumentException("unknown attribute mode " + f[3]);
        }
    }

    private static Object defaultValue(AttributeKind kind, String[] f) {
        int first = 4;
        int count = f.length - first;
        switch (kind) {
            case INT:
                need(f, 5, 5);
                return Long.parseLong(f[first]);
            case FLOAT:
                need(f, 5, 5);
                return Float.parseFloat(f[first]);
            case STRING:
                need(f, 5, 5);
                return f[first];
            case INTS: {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = Long.parseLong(f[first + i]);
                }
                return v;
            }
            case FLOATS: {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = Float.parseFloat(f[first + i]);
                }
                return v;
            }
            case STRINGS:
                return List.of(f).subList(first, f.length);
            default:
                throw new IllegalArgumentException("defaults of kind " + kind.specName() + " are not supported");
        }
    }

    private void inOp(String[] f) {
        if (op == null) {
            throw new IllegalArgumentException(f[0] + " record before any OP record");
        }
    }

    private static boolean flag(String s) {
        return switch (s) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("expected 0 or 1, got " + s);
        };
    }

    private static void need(String[] f, int min, int max) {
        if (f.length < min || f.length > max) {
            throw new IllegalArgumentException(f[0] + " record has " + (f.length - 1) + " fields");
        }
    }

    /** Splits at tabs and undoes the backslash escapes ({@code \\ \t \n \r}). */
    static String[] split(String line) {
        int count = 1;
        for (int i = line.indexOf('\t'); i >= 0; i = line.indexOf('\t', i + 1)) {
            count++;
        }
        String[] out = new String[count];
        int start = 0;
        for (int k = 0; k < count; k++) {
            int end = k == count - 1 ? line.length() : line.indexOf('\t', start);
            String field = line.substring(start, end);
            out[k] = field.indexOf('\\') < 0 ? field : unescape(field);
            start = end + 1;
        }
        return out;
    }

    private static String unescape(String field) {
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= field.length()) {
                throw new IllegalArgumentException("dangling backslash");
            }
            char e = field.charAt(i);
            sb.append(switch (e) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            });
        }
        return sb.toString();
    }
}
