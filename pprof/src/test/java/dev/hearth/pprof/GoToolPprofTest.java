package dev.hearth.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real go tool pprof reads what we write and agrees with our totals. */
class GoToolPprofTest {
    @TempDir
    static Path dir;

    static Path file;

    @BeforeAll
    static void write() throws Exception {
        boolean haveGo = Files.isExecutable(Path.of("/usr/bin/go"));
        if (System.getenv("CI") == null)
            assumeTrue(haveGo, "skipped: go (Debian golang-go) is not installed; ./hearth test installs it");
        file = dir.resolve("shop.pb.gz");
        Files.write(file, ProfileCodec.encodeGzip(Profiles.shop()));
    }

    private static String pprof(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("go", "tool", "pprof"));
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void topAgreesWithOurTotalsAndNames() throws Exception {
        String top = pprof("-top", "-sample_index=samples");
        assertTrue(top.contains("Showing nodes accounting for 45, 100% of 45 total"), top);
        assertTrue(
                Pattern.compile("(?m)^\\s+30\\s+66\\.67%.*com\\.example\\.Shop\\.hash$")
                        .matcher(top)
                        .find(),
                top);
        assertTrue(
                Pattern.compile("(?m)^\\s+0\\s+0%\\s+\\S+\\s+40\\s+88\\.89%\\s+com\\.example\\.Shop\\.checkout$")
                        .matcher(top)
                        .find(),
                top);
    }

    @Test
    void rawSamplesSumToOurTotals() throws Exception {
        String raw = pprof("-raw");
        Matcher m = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+): [\\d ]+$").matcher(raw);
        long samples = 0, nanos = 0;
        while (m.find()) {
            samples += Long.parseLong(m.group(1));
            nanos += Long.parseLong(m.group(2));
        }
        assertEquals(45, samples, raw);
        assertEquals(450, nanos, raw);
        assertTrue(raw.contains("thread:[worker-1]"), raw);
    }
}
