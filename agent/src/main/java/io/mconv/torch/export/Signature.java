package io.mconv.torch.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parameter list of an ATen operator as symbolics declare it, in the style of native_functions.yaml without
 * types: {@code "self, other, alpha=1"}. Defaults are Python literals (None, True, False, ints, floats, strings,
 * lists of those). Binding turns a call's positional and keyword arguments into {@link BoundArgs}.
 */
public final class Signature {

    private final List<String> names = new ArrayList<>();
    private final List<SValue> defaults = new ArrayList<>();
    private final boolean varargs;

    private Signature(boolean varargs) {
        this.varargs = varargs;
    }

    /** Parses {@code "self, dim=-1, keepdim=False"}; a final {@code *rest} collects extra positionals as a list. */
    public static Signature parse(String text) {
        List<String> parts = splitTopLevel(text);
        boolean varargs = !parts.isEmpty() && parts.get(parts.size() - 1).startsWith("*");
        Signature s = new Signature(varargs);
        for (String raw : parts) {
            String p = raw.strip();
            if (p.startsWith("*")) {
                s.names.add(p.substring(1));
                s.defaults.add(new SValue.ListV(List.of()));
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                s.names.add(p);
                s.defaults.add(null);
            } else {
                s.names.add(p.substring(0, eq).strip());
                s.defaults.add(parseDefault(p.substring(eq + 1).strip()));
            }
        }
        return s;
    }

    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    /**
     * Binds positional and keyword arguments.
     *
     * @throws SymbolicException on too many arguments, an unknown keyword, or a missing required argument
     */
    public BoundArgs bind(String opName, List<SValue> positional, List<String> keywordNames,
                          List<SValue> keywordValues) {
        SValue[] bound = new SValue[names.size()];
        int fixed = varargs ? names.size() - 1 : names.size();
        List<SValue> rest = new ArrayList<>();
        for (int i = 0; i < positional.size(); i++) {
            if (i < fixed) {
                bound[i] = positional.get(i);
            } else if (varargs) {
                rest.add(positional.get(i));
            } else {
                throw new SymbolicException(opName + " takes at most " + fixed + " arguments (" + String.join(", ",
                        names) + ") but got " + positional.size());
            }
        }
        if (varargs) {
            bound[fixed] = new SValue.ListV(rest);
        }
        for (int k = 0; k < keywordNames.size(); k++) {
            int idx = names.indexOf(keywordNames.get(k));
            if (idx < 0) {
                throw new SymbolicException(opName + " has no argument named '" + keywordNames.get(k) + "' ("
                        + String.join(", ", names) + ")");
            }
            bound[idx] = keywordValues.get(k);
        }
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == null) {
                if (defaults.get(i) == null) {
                    throw new SymbolicException(opName + ": missing argument '" + names.get(i) + "'");
                }
                bound[i] = defaults.get(i);
            }
        }
        return new BoundArgs(opName, names, List.of(bound), positional.size());
    }

    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static SValue parseDefault(String text) {
        if (text.startsWith("[") && text.endsWith("]")) {
            List<SValue> items = new ArrayList<>();
            for (String item : splitTopLevel(text.substring(1, text.length() - 1))) {
                items.add(parseDefault(item.strip()));
            }
            return new SValue.ListV(items);
        }
        return switch (text) {
            case "None" -> SValue.Const.NONE;
            case "True" -> new SValue.Const(Boolean.TRUE);
            case "False" -> new SValue.Const(Boolean.FALSE);
            default -> {
                if (text.startsWith("'") || text.startsWith("\"")) {
                    yield new SValue.Const(text.substring(1, text.length() - 1));
                }
                if (text.contains(".") || text.contains("e")) {
                    yield new SValue.Const(Double.parseDouble(text));
                }
                yield new SValue.Const(Long.parseLong(text));
            }
        };
    }
}
