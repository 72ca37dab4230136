package io.mconv.agent.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a capability table resource. The format is line-oriented ({@code #} starts a comment):
 * <pre>
 * target cpu
 * describes ONNX Runtime 1.29.0 CPUExecutionProvider (...)
 * ir_version 3-13
 * opset ai.onnx 1-26
 * unlisted reject | fallback-to-cpu
 * dynamic_shapes supported | needs-profiles | fallback-to-cpu
 * external_data yes | no
 * max_model_bytes 4294967296
 * note free text
 * kernels_from cpu
 * refuse ai.onnx GRU layout=1 reason in words
 * caveat ai.onnx StringNormalizer reason in words
 * op ai.onnx Add 7-13 T=double,float,int32
 * op ai.onnx If 1+ *
 * op ai.onnx.ml LabelEncoder 2+ ?
 * </pre>
 * In an {@code op} line, types are short names ({@code float} for {@code tensor(float)}); {@code *} means any
 * type; {@code ?} means the kernel is assumed but was not confirmed.
 */
public final class CapabilityTableReader {

    private CapabilityTableReader() {
    }

    /** Reads a table that names no other table ({@code kernels_from}). */
    public static CapabilityTable read(InputStream in, String sourceName) throws IOException {
        return read(in, sourceName, other -> {
            throw new IllegalArgumentException("kernels_from " + other + " cannot be resolved here");
        });
    }

    /**
     * @param others resolves {@code kernels_from TARGET}: the kernel lines and attribute rules of another table
     *               (ORT Web's wasm backend is the CPU kernels compiled to WebAssembly)
     * @throws IllegalArgumentException naming the source and line of a malformed entry
     */
    public static CapabilityTable read(InputStream in, String sourceName,
                                       java.util.function.Function<String, CapabilityTable> others)
            throws IOException {
        String target = null;
        String describes = null;
        int irMin = 0;
        int irMax = Integer.MAX_VALUE;
        Map<String, int[]> opsets = new LinkedHashMap<>();
        CapabilityTable.Unlisted unlisted = CapabilityTable.Unlisted.REJECT;
        CapabilityTable.DynamicShapes dynamic = CapabilityTable.DynamicShapes.SUPPORTED;
        boolean externalData = true;
        long maxBytes = Long.MAX_VALUE;
        List<String> notes = new ArrayList<>();
        Map<String, List<KernelEntry>> kernels = new LinkedHashMap<>();
        List<AttributeRule> rules = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String text = stripComment(line).trim();
            if (text.isEmpty()) {
                continue;
            }
            String[] f = text.split("\\s+", 2);
            String rest = f.length > 1 ? f[1].trim() : "";
            try {
                switch (f[0]) {
                    case "target" -> target = rest;
                    case "describes" -> describes = rest;
                    case "ir_version" -> {
                        int[] range = range(rest);
                        irMin = range[0];
                        irMax = range[1];
                    }
                    case "opset" -> {
                        String[] p = rest.split("\\s+");
                        opsets.put(p[0], range(p[1]));
                    }
                    case "unlisted" -> unlisted = CapabilityTable.Unlisted.valueOf(enumName(rest));
                    case "dynamic_shapes" -> dynamic = CapabilityTable.DynamicShapes.valueOf(enumName(rest));
                    case "external_data" -> externalData = rest.equals("yes");
                    case "max_model_bytes" -> maxBytes = Long.parseLong(rest);
                    case "note" -> notes.add(rest);
                    case "kernels_from" -> {
                        CapabilityTable base = others.apply(rest);
                        base.kernels().forEach((k, v) -> kernels.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                        rules.addAll(base.attributeRules());
                    }
                    case "op" -> {
                        KernelEntry k = entry(rest);
                        kernels.computeIfAbsent(CapabilityTable.key(k.domain(), k.opType()), x -> new ArrayList<>())
                                .add(k);
                    }
                    case "refuse" -> {
                        String[] p = rest.split("\\s+", 4);
                        int eq = p[2].indexOf('=');
                        rules.add(new AttributeRule(p[0], p[1], true, p[2].substring(0, eq),
                                Long.parseLong(p[2].substring(eq + 1)), p[3]));
                    }
                    case "caveat" -> {
                        String[] p = rest.split("\\s+", 3);
                        rules.add(new AttributeRule(p[0], p[1], false, null, 0, p[2]));
                    }
                    default -> throw new IllegalArgumentException("unknown key '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(sourceName + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (target == null || describes == null) {
            throw new IllegalArgumentException(sourceName + ": a table needs 'target' and 'describes' lines");
        }
        kernels.values().forEach(list -> list.sort((a, b) -> Integer.compare(a.from(), b.from())));
        return new CapabilityTable(target, describes, irMin, irMax, opsets, unlisted, dynamic, externalData, maxBytes,
                notes, kernels, rules);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static String enumName(String text) {
        return text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code 7-12}, {@code 14+}, {@code 5}. */
    static int[] range(String text) {
        if (text.endsWith("+")) {
            return new int[] {Integer.parseInt(text.substring(0, text.length() - 1)), Integer.MAX_VALUE};
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            int v = Integer.parseInt(text);
            return new int[] {v, v};
        }
        return new int[] {Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1))};
    }

    private static KernelEntry entry(String text) {
        String[] p = text.split("\\s+");
        if (p.length < 4) {
            throw new IllegalArgumentException("an op line is 'op DOMAIN OP RANGE TYPES': " + text);
        }
        int[] range = range(p[2]);
        Map<String, Set<String>> types = new LinkedHashMap<>();
        boolean confirmed = true;
        for (int i = 3; i < p.length; i++) {
            if (p[i].equals("*")) {
                continue;
            }
            if (p[i].equals("?")) {
                confirmed = false;
                continue;
            }
            int eq = p[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected CONSTRAINT=type,type: " + p[i]);
            }
            Set<String> allowed = new LinkedHashSet<>();
            for (String t : splitTypes(p[i].substring(eq + 1))) {
                allowed.add(TypeNames.fromShortName(t));
            }
            types.put(p[i].substring(0, eq), allowed);
        }
        return new KernelEntry(p[0], p[1], range[0], range[1], types, confirmed);
    }

    /** Splits at commas outside parentheses, so {@code map(int64, float)} would stay one type. */
    private static List<String> splitTypes(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        if (start < list.length()) {
            out.add(list.substring(start));
        }
        return out;
    }
}
