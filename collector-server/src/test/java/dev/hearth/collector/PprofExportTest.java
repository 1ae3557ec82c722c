package dev.hearth.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.proto.Profile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The merged pprof export is read by the real go tool pprof, with the merge's totals. On every store. */
@ParameterizedClass
@EnumSource(TestStore.class)
class PprofExportTest {
    @Parameter
    TestStore store;

    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void goToolPprofReadsTheMerge() throws Exception {
        if (System.getenv("CI") == null) {
            assumeTrue(
                    Files.isExecutable(Path.of("/usr/bin/go")),
                    "skipped: go (Debian golang-go) is not installed; ./hearth test installs it");
        }
        try (TestCollector c = new TestCollector(dir.resolve("data"), store)) {
            for (int i = 0; i < 3; i++) {
                Http.Reply r = c.http.post(
                        Fixtures.ingest(
                                "shop", "cpu", T0 + i * 10_000L, T0 + (i + 1) * 10_000L, "host=h" + i, "id" + i),
                        Fixtures.gz(Fixtures.shop(30, 10, 5)));
                assertEquals(200, r.status(), r.text());
            }
            Http.Reply r = c.http.get(
                    Http.query("/api/v1/pprof", "service", "shop", "type", "cpu", "from", T0, "until", T0 + 60_000));
            assertEquals(200, r.status(), r.text());
            Profile p = ProfileCodec.decode(r.body(), 1 << 20);
            assertEquals(2, p.getSampleTypeCount());
            Path file = dir.resolve("merged.pb.gz");
            Files.write(file, r.body());

            String top = goPprof("-top", "-sample_index=samples", file.toString());
            assertTrue(top.contains("Showing nodes accounting for 135, 100% of 135 total"), top);
            assertTrue(
                    Pattern.compile("(?m)^\\s+90\\s+66\\.67%.*com\\.example\\.Shop\\.hash$")
                            .matcher(top)
                            .find(),
                    top);
            String threads = goPprof("-tags", file.toString());
            assertTrue(threads.contains("worker-1") && threads.contains("worker, 2"), threads);
        }
    }

    static String goPprof(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "go";
        cmd[1] = "tool";
        cmd[2] = "pprof";
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
