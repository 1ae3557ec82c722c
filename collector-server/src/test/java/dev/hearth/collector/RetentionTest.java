package dev.hearth.collector;

import static dev.hearth.collector.Http.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes old profiles and the dictionary rows only they used; shared rows stay. */
class RetentionTest {
    @TempDir
    Path dir;

    @Test
    void deletesOldProfilesAndTheirOwnDictionaryRows() throws Exception {
        long now = System.currentTimeMillis();
        long old = now - Duration.ofDays(40).toMillis();
        try (TestCollector c = new TestCollector(dir)) {
            var onlyOld = new ProfileBuilder(ProfileType.CPU)
                    .add(
                            List.of(StackFrame.of("OldOnly.run", FrameKind.JIT), Fixtures.MAIN),
                            new long[] {1, 10},
                            Map.of())
                    .add(List.of(Fixtures.MAIN), new long[] {1, 10}, Map.of())
                    .build();
            assertEquals(
                    200,
                    c.http.post(
                                    Fixtures.ingest("shop", "cpu", old, old + 10_000, "version=0", "old"),
                                    Fixtures.gz(onlyOld))
                            .status());
            assertEquals(
                    200,
                    c.http.post(
                                    Fixtures.ingest("shop", "cpu", now - 10_000, now, "version=1", "new"),
                                    Fixtures.gz(Fixtures.shop(3, 2, 1)))
                            .status());
            long strings = c.count("strings"), locations = c.count("locations"), stacks = c.count("stacks");

            assertEquals(1, c.server.applyRetention(now));

            assertEquals(1, c.count("profiles"));
            assertEquals(1, c.count("series"));
            assertEquals(3, c.count("samples"));
            assertEquals(stacks - 1, c.count("stacks")); // OldOnly;main went, main alone is shared
            assertEquals(locations - 1, c.count("locations"));
            assertEquals(strings - 1, c.count("strings")); // "OldOnly.run"
            assertTrue(c.count("stack_frames") > 0);
            var fg = c.http.get(Http.query(
                            "/api/v1/flamegraph", "service", "shop", "type", "cpu", "from", old - 1, "until", now + 1))
                    .json();
            assertEquals(60_000_000, num(fg, "total"));
            assertEquals(0, c.server.applyRetention(now));

            // the deleted rows can come back: the writer forgot them too
            assertEquals(
                    200,
                    c.http.post(
                                    Fixtures.ingest("shop", "cpu", now - 5_000, now, "version=0", "again"),
                                    Fixtures.gz(onlyOld))
                            .status());
            assertEquals(stacks, c.count("stacks"));
            fg = c.http.get(Http.query(
                            "/api/v1/flamegraph",
                            "service",
                            "shop",
                            "type",
                            "cpu",
                            "from",
                            now - 5_000,
                            "until",
                            now + 1,
                            "labels",
                            "version=0"))
                    .json();
            assertEquals(20, num(fg, "total"));
        }
    }
}
