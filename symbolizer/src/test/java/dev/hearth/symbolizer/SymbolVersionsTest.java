package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.StackFrame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library whose symbol table names its functions with versions ({@code spin@@VERS_2},
 * {@code spin@VERS_1}, as glibc does for {@code clock_gettime@@GLIBC_2.17}): both versions of the
 * function show as {@code spin}, one function in a profile.
 */
class SymbolVersionsTest {
    private static final String LIB = """
            __attribute__((noinline)) int spin_old(int n) { int s = 0; for (int i = 0; i < n; i++) s += i * i; return s; }
            __attribute__((noinline)) int spin_new(int n) { int s = 1; for (int i = 0; i < n; i++) s += i ^ s; return s; }
            void *spin_old_addr(void) { return (void *) spin_old; }
            __asm__(".symver spin_old,spin@VERS_1");
            __asm__(".symver spin_new,spin@@VERS_2");
            """;
    private static final String MAIN = """
            #include <stdio.h>
            #include <unistd.h>
            int spin(int);
            void *spin_old_addr(void);
            int main(void) {
                printf("%d %p %p\\n", getpid(), (void *) spin, spin_old_addr());
                fflush(stdout);
                char c;
                while (read(0, &c, 1) > 0) {}
                return 0;
            }
            """;

    @Test
    void bothVersionsOfAFunctionHaveItsPlainName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("v.c"), LIB);
        Files.writeString(
                dir.resolve("v.map"),
                "VERS_1 { global: spin; spin_old_addr; local: *; };\nVERS_2 { global: spin; } VERS_1;\n");
        Files.writeString(dir.resolve("main.c"), MAIN);
        Path lib = dir.resolve("libv.so");
        Tools.run(List.of(
                "gcc",
                "-O1",
                "-fPIC",
                "-shared",
                "-Wl,--version-script=" + dir.resolve("v.map"),
                "-o",
                lib.toString(),
                dir.resolve("v.c").toString()));
        assertTrue(
                Tools.run(List.of("readelf", "-sW", lib.toString())).contains("spin@@VERS_2"),
                "the table carries versioned names");
        Path main = dir.resolve("main");
        Tools.run(List.of(
                "gcc",
                "-O1",
                "-fPIE",
                "-pie",
                "-o",
                main.toString(),
                dir.resolve("main.c").toString(),
                "-L" + dir,
                "-lv",
                "-Wl,-rpath," + dir));
        Process p = new ProcessBuilder(main.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            String[] f = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()
                    .split(" ");
            int pid = Integer.parseInt(f[0]);
            long current = Long.parseUnsignedLong(f[1].substring(2), 16),
                    old = Long.parseUnsignedLong(f[2].substring(2), 16);
            List<StackFrame> frames = s.user(pid, new long[] {current + 2, old + 2});
            assertEquals(
                    List.of("spin", "spin"),
                    frames.stream().map(StackFrame::name).toList());
            assertEquals(lib.toString(), frames.get(0).binary());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void onlyAVersionSuffixIsDropped() {
        assertEquals("clock_gettime", SymbolVersions.strip("clock_gettime@@GLIBC_2.17"));
        assertEquals("memcpy", SymbolVersions.strip("memcpy@GLIBC_2.2.5"));
        assertEquals("plain", SymbolVersions.strip("plain"));
        assertEquals("a@b c", SymbolVersions.strip("a@b c"), "not a version: kept");
        assertEquals("trailing@", SymbolVersions.strip("trailing@"));
        assertEquals("@only", SymbolVersions.strip("@only"));
    }
}
