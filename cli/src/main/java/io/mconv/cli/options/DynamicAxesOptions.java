package io.mconv.cli.options;

import io.mconv.agent.options.DynamicAxes;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --dynamic-axes NAME:AXIS=SYM[,AXIS=SYM...]}, repeatable: symbolic dimensions of exported inputs. */
public final class DynamicAxesOptions {

    @Option(names = "--dynamic-axes", paramLabel = "NAME:AXIS=SYM",
            description = "Make an input dimension symbolic in the exported model, e.g. x:0=batch (repeatable; "
                    + "several axes as x:0=batch,1=seq).")
    List<String> values = List.of();

    /** By input name: axis → symbol. */
    public Map<String, Map<Integer, String>> axes(CommandLine commandLine) {
        try {
            return DynamicAxes.parse(values);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
