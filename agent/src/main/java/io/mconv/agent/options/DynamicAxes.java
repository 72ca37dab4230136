package io.mconv.agent.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code NAME:AXIS=SYM[,AXIS=SYM...]} values (convert's {@code --dynamic-axes}, a workflow's {@code dynamic_axes}):
 * the symbolic dimensions of exported inputs.
 */
public final class DynamicAxes {

    private static final Pattern AXIS = Pattern.compile("([0-9]+)=([A-Za-z_][A-Za-z0-9_]*)");

    private DynamicAxes() {
    }

    /**
     * By input name: axis → symbol.
     *
     * @throws IllegalArgumentException naming the bad value and the expected form
     */
    public static Map<String, Map<Integer, String>> parse(List<String> values) {
        Map<String, Map<Integer, String>> out = new LinkedHashMap<>();
        for (String v : values) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(v);
            }
            Map<Integer, String> axes = out.computeIfAbsent(v.substring(0, colon), k -> new LinkedHashMap<>());
            for (String part : v.substring(colon + 1).split(",")) {
                Matcher m = AXIS.matcher(part.strip());
                if (!m.matches()) {
                    throw bad(v);
                }
                axes.put(axis(v, m.group(1)), m.group(2));
            }
        }
        return out;
    }

    /** The digits matched, but may not fit an int ("x:99999999999=b"): still the same refusal. */
    private static int axis(String v, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(v);
        }
    }

    private static IllegalArgumentException bad(String v) {
        return new IllegalArgumentException("invalid --dynamic-axes '" + v
                + "': expected NAME:AXIS=SYMBOL, for example x:0=batch or x:0=batch,1=seq");
    }
}
