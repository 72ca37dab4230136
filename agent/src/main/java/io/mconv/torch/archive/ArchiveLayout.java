package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of a torch zip seen relative to its one top-level folder. torch names the folder after the file it
 * wrote ({@code resnet18/data.pkl}) or {@code archive/}; any name is accepted, but every entry must be inside it.
 */
final class ArchiveLayout {

    private final String prefix;
    private final Map<String, ArchiveEntry> byRelativeName;

    private ArchiveLayout(String prefix, Map<String, ArchiveEntry> byRelativeName) {
        this.prefix = prefix;
        this.byRelativeName = byRelativeName;
    }

    static ArchiveLayout of(ZipArchive zip) {
        List<ArchiveEntry> entries = zip.entries();
        if (entries.isEmpty()) {
            throw new InvalidModelException(zip.path(), "the zip archive is empty");
        }
        String first = entries.get(0).name();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new InvalidModelException(zip.path(), "entry " + ZipDirectory.quote(first)
                    + " is not inside a top-level folder, as every entry of a PyTorch archive is");
        }
        String prefix = first.substring(0, slash);
        Map<String, ArchiveEntry> relative = new LinkedHashMap<>();
        for (ArchiveEntry e : entries) {
            if (!e.name().startsWith(prefix + "/")) {
                throw new InvalidModelException(zip.path(), "entries lie in more than one top-level folder ("
                        + ZipDirectory.quote(prefix) + " and " + ZipDirectory.quote(e.name()) + ")");
            }
            relative.put(e.name().substring(prefix.length() + 1), e);
        }
        return new ArchiveLayout(prefix, Collections.unmodifiableMap(relative));
    }

    String prefix() {
        return prefix;
    }

    Optional<ArchiveEntry> find(String relativeName) {
        return Optional.ofNullable(byRelativeName.get(relativeName));
    }

    boolean hasFolder(String relativeFolder) {
        return byRelativeName.keySet().stream().anyMatch(n -> n.startsWith(relativeFolder));
    }

    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(byRelativeName.keySet()));
    }
}
