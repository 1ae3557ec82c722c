package dev.hearth.agent.ship;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.LabelSet;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static Upload upload(int size) {
        return Upload.of("shop", "cpu", 1000, 2000, LabelSet.EMPTY.with("env", "prod,eu"), new byte[size]);
    }

    @Test
    void aSpoolFolderOthersCanWriteOrLinkIsRefused() throws Exception {
        Privileges.assumeRootOrCi("a folder owned by nobody");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> new Spool(theirs.resolve("spool"), 1 << 20));
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> new Spool(open, 1 << 20));
        Path mine = Files.createDirectory(dir.resolve("mine"));
        Files.createSymbolicLink(dir.resolve("link"), mine);
        org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> new Spool(dir.resolve("link"), 1 << 20));
        new Spool(mine, 1 << 20);
    }

    @Test
    void keepsUploadsOldestFirstAndReadsThemBackWhole() throws Exception {
        Spool s = new Spool(dir, 1 << 20);
        Upload a = upload(10), b = upload(20);
        s.put(a);
        s.put(b);
        assertEquals(2, s.size());
        Map.Entry<Spool.Entry, Upload> first = s.oldest();
        assertEquals(a.id(), first.getValue().id());
        assertEquals(a.labels(), first.getValue().labels());
        assertEquals(a.query(), first.getValue().query());
        assertArrayEquals(a.body(), first.getValue().body());
        s.remove(first.getKey());
        assertEquals(b.id(), s.oldest().getValue().id());
        s.remove(s.oldest().getKey());
        assertNull(s.oldest());
        assertEquals(0, s.bytes());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void dropsTheOldestWhenTheBudgetIsExceeded() throws Exception {
        Upload probe = upload(1000);
        long one = probe.query().length() + 1 + 1000;
        Spool s = new Spool(dir, one * 3);
        Upload[] ups = {upload(1000), upload(1000), upload(1000), upload(1000), upload(1000)};
        for (Upload u : ups) s.put(u);
        assertEquals(3, s.size());
        assertEquals(2, s.dropped());
        assertTrue(s.bytes() <= one * 3);
        assertEquals(ups[2].id(), s.oldest().getValue().id());
        s.put(upload((int) one * 4));
        assertEquals(3, s.dropped(), "an upload bigger than the whole spool is dropped, the others stay");
        assertEquals(3, s.size());
    }

    @Test
    void survivesARestartAndDiscardsBrokenFiles() throws Exception {
        Spool s = new Spool(dir, 1 << 20);
        Upload a = upload(5), b = upload(6);
        s.put(a);
        s.put(b);
        Files.writeString(dir.resolve("00000000000000000000-broken.upload"), "no header line");
        Files.writeString(dir.resolve("00000000000000000009-half.upload.tmp"), "partial");
        Spool again = new Spool(dir, 1 << 20);
        assertEquals(3, again.size());
        assertEquals(a.id(), again.oldest().getValue().id(), "the broken file is skipped");
        assertEquals(1, again.corrupt());
        again.remove(again.oldest().getKey());
        Upload c = upload(7);
        again.put(c);
        assertEquals(b.id(), again.oldest().getValue().id(), "new uploads go after the old ones");
        assertTrue(Files.notExists(dir.resolve("00000000000000000009-half.upload.tmp")));
    }
}
