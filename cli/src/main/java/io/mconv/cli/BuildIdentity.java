package io.mconv.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which build of mconv is running: a short hash of its own code, for cache keys and provenance. The version alone
 * ("0.1.0-SNAPSHOT") is the same for every snapshot build, so a rebuilt mconv reused the step results an older
 * build had cached, bugs included. A jar counts by its content (a reinstall of the same build keeps its identity);
 * a classes folder (a development run) by each file's path, size and modification time.
 */
final class BuildIdentity {

    /** One class from each of mconv's modules: cli, agent, passes, onnx-proto. */
    static final List<Class<?>> MODULE_ANCHORS = List.of(MconvCommand.class,
            io.mconv.agent.pipeline.ConversionAgent.class, io.mconv.ir.Model.class, io.mconv.onnx.proto.Onnx.class);

    private BuildIdentity() {
    }

    /** This build's identity, from where mconv's modules were loaded. */
    static String current() {
        return of(MODULE_ANCHORS.stream().map(BuildIdentity::codeLocation).distinct().toList());
    }

    /**
     * "build" and 12 hex digits of the code at {@code locations} (jars or classes folders, in order); "build unknown"
     * when a location is null (a class loader that hides it) or unreadable.
     */
    static String of(List<Path> locations) {
        MessageDigest digest = sha256();
        try {
            for (Path location : locations) {
                if (location == null) {
                    return "build unknown";
                }
                digest.update(location.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isDirectory(location)) {
                    addFolder(digest, location);
                } else {
                    addFile(digest, location);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "build unknown";
        }
        return "build " + HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    private static Path codeLocation(Class<?> anchor) {
        var source = anchor.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A jar by its entries' names, sizes and CRC-32s, read from the zip's central directory: as content-bound as
     * hashing its bytes, without reading and digesting megabytes in a JVM that has just started (that cost ~0.1 s).
     */
    private static void addFile(MessageDigest digest, Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String entry = e.getName() + "|" + e.getSize() + "|" + Long.toHexString(e.getCrc()) + "\n";
                digest.update(entry.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void addFolder(MessageDigest digest, Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String entry = folder.relativize(f) + "|" + Files.size(f) + "|"
                        + Files.getLastModifiedTime(f).toMillis() + "\n";
                digest.update(entry.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
