package io.mconv.agent.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The bundled capability tables, one per {@link CheckTarget}, read from {@code io/mconv/agent/check/<target>.caps}
 * when first asked for. One instance per checker; the tables are immutable once read.
 */
public final class CapabilityTables {

    private final Map<CheckTarget, CapabilityTable> loaded = new EnumMap<>(CheckTarget.class);

    public synchronized CapabilityTable get(CheckTarget target) {
        CapabilityTable table = loaded.get(target);
        if (table == null) {
            table = load(target);
            loaded.put(target, table);
        }
        return table;
    }

    private CapabilityTable load(CheckTarget target) {
        String name = target.resource();
        try (InputStream in = CapabilityTables.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("capability table resource " + name + " is missing from the build");
            }
            return CapabilityTableReader.read(in, name, other -> get(CheckTarget.parseList(other).get(0)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read capability table " + name, e);
        }
    }
}
