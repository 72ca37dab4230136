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

    @Test
    void aJarCountsByItsBytes() throws Exception {
        byte[] bytes = new byte[200_000];
        Arrays.fill(bytes, (byte) 7);
        Path jar = Files.write(dir.resolve("agent.jar"), bytes);
        String before = BuildIdentity.of(List.of(jar));
        // The same bytes installed again later: same build.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        assertEquals(before, BuildIdentity.of(List.of(jar)));
        // One byte in the middle changed: another build.
        bytes[100_000] = 8;
        Files.write(jar, bytes);
        assertNotEquals(before, BuildIdentity.of(List.of(jar)));
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
        Path one = Files.writeString(dir.resolve("one.jar"), "one");
        Path two = Files.writeString(dir.resolve("two.jar"), "two");
        assertNotEquals(BuildIdentity.of(List.of(one)), BuildIdentity.of(List.of(one, two)));
        assertNotEquals(BuildIdentity.of(List.of(one, two)), BuildIdentity.of(List.of(two, one)));
    }

    @Test
    void anUnknownOrUnreadableLocationIsSaidSo() {
        assertEquals("build unknown", BuildIdentity.of(Arrays.asList((Path) null)));
        assertEquals("build unknown", BuildIdentity.of(List.of(dir.resolve("missing.jar"))));
    }
}
