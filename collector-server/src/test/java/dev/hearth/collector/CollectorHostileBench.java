package dev.hearth.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collector under hostile clients, with its default limits, in its own process: its RSS
 * after an ordinary ingest, while and after 40 slow uploads (each announcing the largest body,
 * sending all but the end of it at once, then a byte a second), after the timeline requests that
 * used to overflow, and after a fuzz run. Args: [fuzzSeconds] [slowUploads].
 */
public final class CollectorHostileBench {
    public static void main(String[] args) throws Exception {
        int fuzzSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int slow = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path dir = Files.createTempDirectory("hearth-hostile");
        try (CollectorProcess c = CollectorProcess.start(dir.resolve("data"))) {
            long pid = c.process.pid();
            System.out.printf("collector pid %d, default limits (%s)%n", pid, CollectorLimits.defaults());
            System.out.printf("RSS at start: %d MiB%n", mib(pid));

            List<byte[]> bodies = CollectorBench.bodies(new Random(7));
            BenchClients.run(
                    c.port,
                    4,
                    2000,
                    i -> CollectorBench.ingest(i, 100, bodies),
                    new BenchClients.Secure(c.token, null));
            for (int i = 0; i < 5; i++) {
                c.http.get("/api/v1/flamegraph?service=bench&type=cpu&from=" + CollectorBench.HOUR_START + "&until="
                        + (CollectorBench.HOUR_START + 3_600_000));
            }
            long base = mib(pid);
            System.out.printf("RSS after ingesting 2,000 profiles and 5 merges: %d MiB%n", base);

            slowUploads(c, pid, slow, base);

            for (String q : new String[] {
                "&from=-9000000000000000000&until=9000000000000000000",
                "&step=9223372036854775807",
                "&from=-9223372032859808513&until=9223372036854775807&step=1"
            }) {
                Http.Reply r = c.http.get("/api/v1/timeline?service=bench&type=cpu" + q);
                System.out.printf("timeline%s: %d %s%n", q, r.status(), r.text());
            }
            System.out.printf("RSS after the overflowing timelines: %d MiB%n", mib(pid));

            CollectorFuzz fuzz = new CollectorFuzz(
                    c.port, pid, c.token, CollectorFuzz.pprofSeeds(), List.of(CollectorFuzz.jfrSeed(dir)));
            CollectorFuzz.Result r = fuzz.run(Duration.ofSeconds(fuzzSeconds), 3, 7);
            System.out.printf(
                    "fuzz: %d requests in %d s, statuses %s, %d closed without an answer, %d broke a rule%n",
                    r.requests(),
                    fuzzSeconds,
                    r.statuses(),
                    r.closedWithoutAnswer(),
                    r.failures().size());
            r.failures().forEach(f -> System.out.println("  " + f));
            System.out.printf(
                    "RSS during the fuzz run: max %d MiB; after it: %d MiB%n", r.maxRssKb() >> 10, r.lastRssKb() >> 10);
            System.out.printf(
                    "still serving: services %d%n",
                    c.http.get("/api/v1/services").status());
            if (System.getProperty("hearth.collector.jvm", "").contains("NativeMemoryTracking")) {
                Process j = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                        .toString(),
                                String.valueOf(pid),
                                "VM.native_memory",
                                "summary")
                        .redirectErrorStream(true)
                        .start();
                new String(j.getInputStream().readAllBytes())
                        .lines()
                        .filter(l -> l.contains("committed=") && !l.contains("(mmap"))
                        .limit(20)
                        .forEach(l -> System.out.println("  " + l.trim()));
            }
        } finally {
            CollectorBench.delete(dir);
        }
    }

    /** Slow uploads, all at once: how many were held or refused, and the RSS while and after. */
    static void slowUploads(CollectorProcess c, long pid, int n, long baseMib) throws Exception {
        int length = CollectorConfig.DEFAULT_MAX_BODY;
        byte[] most = new byte[length - 1024];
        new Random(1).nextBytes(most);
        ConcurrentHashMap<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger sentAll = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Thread> uploads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(
                    () -> {
                        try (RawHttp h = new RawHttp(c.port)) {
                            int status = 0;
                            try {
                                h.send(
                                        "POST /api/v1/ingest?service=slow&type=cpu HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                                + c.token + "\r\nContent-Length: " + length + "\r\n\r\n");
                                h.send(most);
                                sentAll.incrementAndGet();
                                for (int b = 0; b < 1024; b++) { // a byte a second, until the collector gives up on it
                                    h.send(new byte[1]);
                                    Thread.sleep(1000);
                                }
                            } catch (IOException closed) {
                                // answered and closed: read why
                            }
                            try {
                                RawHttp.Answer a = h.read(5_000);
                                status = a == null ? -1 : a.status();
                            } catch (IOException e) {
                                status = -1;
                            }
                            answers.computeIfAbsent(status, k -> new AtomicInteger())
                                    .incrementAndGet();
                        } catch (Exception e) {
                            answers.computeIfAbsent(-2, k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    },
                    "slow-" + i);
            t.setDaemon(true);
            t.start();
            uploads.add(t);
        }
        long peak = 0;
        while (uploads.stream().anyMatch(Thread::isAlive) && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(3)) {
            peak = Math.max(peak, mib(pid));
            Thread.sleep(500);
        }
        System.out.printf(
                "%d slow uploads of %d MiB: %d sent all but the end; answers %s (-1: closed without one);"
                        + " RSS peak %d MiB (+%d), after %.0f s %d MiB%n",
                n,
                length >> 20,
                sentAll.get(),
                answers,
                peak,
                peak - baseMib,
                (System.nanoTime() - t0) / 1e9,
                mib(pid));
    }

    static long mib(long pid) {
        return CollectorFuzz.rssKb(pid) >> 10;
    }
}
