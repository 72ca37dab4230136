package io.mconv.cli.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --dynamic-axes NAME:AXIS=SYM[,AXIS=SYM...]}, repeatable: symbolic dimensions of exported inputs. */
public final class DynamicAxesOptions {

    private static final Pattern AXIS = Pattern.compile("([0-9]+)=([A-Za-z_][A-Za-z0-9_]*)");

    @Option(names = "--dynamic-axes", paramLabel = "NAME:AXIS=SYM",
            description = "Make an input dimension symbolic in the exported model, e.g. x:0=batch (repeatable; "
                    + "several axes as x:0=batch,1=seq).")
    List<String> values = List.of();

    /** By input name: axis → symbol. */
    public Map<String, Map<Integer, String>> axes(CommandLine commandLine) {
        Map<String, Map<Integer, String>> out = new LinkedHashMap<>();
        for (String v : values) {
            int colon = v.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(commandLine, v);
            }
            Map<Integer, String> axes = out.computeIfAbsent(v.substring(0, colon), k -> new LinkedHashMap<>());
            for (String part : v.substring(colon + 1).split(",")) {
                Matcher m = AXIS.matcher(part.strip());
                if (!m.matches()) {
                    throw bad(commandLine, v);
                }
                axes.put(axis(commandLine, v, m.group(1)), m.group(2));
            }
        }
        return out;
    }

    /** The digits matched, but may not fit an int ("x:99999999999=b"): still a usage error, never exit 4. */
    private static int axis(CommandLine commandLine, String v, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(commandLine, v);
        }
    }

    private static CommandLine.ParameterException bad(CommandLine commandLine, String v) {
        return new CommandLine.ParameterException(commandLine, "invalid --dynamic-axes '" + v
                + "': expected NAME:AXIS=SYMBOL, for example x:0=batch or x:0=batch,1=seq");
    }
}
