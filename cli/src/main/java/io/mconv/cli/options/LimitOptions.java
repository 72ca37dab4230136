package io.mconv.cli.options;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --limit NAME=VALUE}, repeatable: raises (or lowers) one of the resource limits mconv applies to the files
 * it reads. A bad name or value is a usage error (exit 2) that lists the valid names.
 */
public final class LimitOptions {

    @Option(names = "--limit", paramLabel = "NAME=VALUE", converter = SettingConverter.class,
            description = "Raise a resource limit for this run, e.g. --limit pickle-depth=5000 or "
                    + "--limit pickle-size=256MiB (repeatable). Names: protobuf-depth, graph-depth, "
                    + "zip-directory-size, inflate-ratio, pickle-size, pickle-depth, pickle-objects, code-size, "
                    + "script-nesting-depth, script-call-depth, script-loop-iterations, profile-input-size, "
                    + "test-input-size.")
    List<Setting> settings = new ArrayList<>();

    /** One {@code NAME=VALUE} as parsed. */
    public record Setting(Limit limit, long value) {
    }

    /** The defaults with every {@code --limit} applied in order (a later one for the same name wins). */
    public Limits limits() {
        Limits limits = Limits.defaults();
        for (Setting s : settings) {
            limits = limits.with(s.limit(), s.value());
        }
        return limits;
    }

    /** picocli converter: its TypeConversionException is a usage error (exit 2). */
    public static final class SettingConverter implements CommandLine.ITypeConverter<Setting> {
        @Override
        public Setting convert(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.TypeConversionException("--limit takes NAME=VALUE, not '" + text
                        + "'; names: " + Limit.names());
            }
            String name = text.substring(0, eq);
            Limit limit = Limit.byName(name).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "unknown limit '" + name + "'; names: " + Limit.names()));
            String raw = text.substring(eq + 1).trim();
            long value;
            try {
                value = limit.unit() == Limit.Unit.BYTES ? ByteSize.parse(raw) : Long.parseLong(raw);
            } catch (NumberFormatException | CommandLine.TypeConversionException e) {
                throw new CommandLine.TypeConversionException("--limit " + limit.flagName() + ": '" + raw
                        + "' is not a " + (limit.unit() == Limit.Unit.BYTES ? "size (e.g. 64MiB)" : "whole number"));
            }
            if (value < 1) {
                throw new CommandLine.TypeConversionException("--limit " + limit.flagName() + " must be 1 or more, "
                        + "not " + raw);
            }
            return new Setting(limit, value);
        }
    }
}
