package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build part of mconv's version, which cache keys and provenance record. */
class BuildIdentityTest {

    @TempDir
    Path dir;

    @Test
    void theRunningBuildHasAStableIdentityInItsVersionLine() {
        String id = BuildIdentity.current();
        assertTrue(id.matches("build [0-9a-f]{12}"), id);
        assertEquals(id, BuildIdentity.current());
        String line = new VersionProvider().getVersion()[0];
        assertTrue(line.startsWith("mconv ") && line.endsWith(" (" + id + ")"), line);
    }

    private static void jar(Path file, String... nameThenContent) throws Exception {
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < nameThenContent.length; i += 2) {
                out.putNextEntry(new java.util.zip.ZipEntry(nameThenContent[i]));
                out.write(nameThenContent[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    @Test
    void aJarCountsByItsContent() throws Exception {
        Path jar = dir.resolve("agent.jar");
        jar(jar, "io/mconv/A.class", "aaaa", "io/mconv/B.class", "bbbb");
        String before = BuildIdentity.of(List.of(jar));
        // The same content installed again later: same build.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        assertEquals(before, BuildIdentity.of(List.of(jar)));
        jar(jar, "io/mconv/A.class", "aaaa", "io/mconv/B.class", "bbbb");
        assertEquals(before, BuildIdentity.of(List.of(jar)), "rewritten with the same classes");
        // One class changed, even to the same size: another build.
        jar(jar, "io/mconv/A.class", "aaab", "io/mconv/B.class", "bbbb");
        assertNotEquals(before, BuildIdentity.of(List.of(jar)));
        jar(jar, "io/mconv/A.class", "aaaa", "io/mconv/B.class", "bbbb", "io/mconv/C.class", "c");
        assertNotEquals(before, BuildIdentity.of(List.of(jar)), "a class added");
    }

    @Test
    void aClassesFolderCountsByItsFilesNamesSizesAndTimes() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/io/mconv"));
        Path a = Files.writeString(classes.resolve("A.class"), "aaaa");
        Files.writeString(classes.resolve("B.class"), "bbbb");
        List<Path> where = List.of(dir.resolve("classes"));
        String before = BuildIdentity.of(where);
        assertEquals(before, BuildIdentity.of(where));
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 2000));
        String recompiled = BuildIdentity.of(where);
        assertNotEquals(before, recompiled, "a recompiled class");
        Files.writeString(classes.resolve("C.class"), "cccc");
        assertNotEquals(recompiled, BuildIdentity.of(where), "a new class");
    }

    @Test
    void theOrderAndTheSetOfModulesMatter() throws Exception {
        Path one = dir.resolve("one.jar");
        jar(one, "One.class", "1");
        Path two = dir.resolve("two.jar");
        jar(two, "Two.class", "2");
        assertNotEquals(BuildIdentity.of(List.of(one)), BuildIdentity.of(List.of(one, two)));
        assertNotEquals(BuildIdentity.of(List.of(one, two)), BuildIdentity.of(List.of(two, one)));
    }

    @Test
    void aFileThatIsNotAJarIsUnknown() throws Exception {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip");
        assertEquals("build unknown", BuildIdentity.of(List.of(notAJar)));
    }

    @Test
    void anUnknownOrUnreadableLocationIsSaidSo() {
        assertEquals("build unknown", BuildIdentity.of(Arrays.asList((Path) null)));
        assertEquals("build unknown", BuildIdentity.of(List.of(dir.resolve("missing.jar"))));
    }
}
