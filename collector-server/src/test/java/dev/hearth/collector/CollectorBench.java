package dev.hearth.collector;

import dev.hearth.collector.auth.Tenant;
import dev.hearth.collector.labels.LabelSelector;
import dev.hearth.collector.storage.DownsampleResult;
import dev.hearth.collector.storage.ProfileStore;
import dev.hearth.collector.storage.QueryDeadline;
import dev.hearth.collector.storage.Selection;
import dev.hearth.collector.storage.StoreLocation;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.Gunzip;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.ResolvedSample;
import dev.hearth.pprof.StackFrame;
import dev.hearth.pprof.proto.Profile;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Collector benchmark: ingest throughput of realistic pprof bodies from concurrent clients over
 * loopback, against the floor of gunzip + protobuf parse of the same bodies in one thread; the
 * merge of 36,000 stored profiles of one service (100 hosts × 1 hour at 10 s); bytes on disk per
 * stored sample; the hour downsampled (rows before and after); on ClickHouse the ingest again with
 * more clients; ingest with tokens and TLS against without, in the same run. Args: [hosts]
 * [profilesPerHost] [clients] [store...] (duckdb, clickhouse, clickhouse_cluster; default all three).
 */
public final class CollectorBench {
    /** The hour the profiles cover: the last whole hour, so retention keeps them. */
    static final long HOUR_START = (System.currentTimeMillis() / 3_600_000L - 1) * 3_600_000L;

    static final int BODIES = 200;
    static final int WARMUP = 15_000;
    /**
     * Clients sending at once to a collector on ClickHouse. An ingest is answered once its rows are
     * in ClickHouse, so one collector's rate is (requests in flight) / (insert round trips of a
     * batch): a fleet's thousands of agents keep many in flight, and 8 would measure the latency.
     */
    static final int CLICKHOUSE_CLIENTS = 64;
    /**
     * Clients enough to keep a collector on ClickHouse busy: with 64 the cores idle part of the time
     * while every request waits on an insert. At 1,000 profiles/s an answer in 250 ms means 250 in
     * flight, which a fleet's agents (each sending when its period ends, not when the last answer
     * came) reach by themselves. The ingest into ClickHouse is measured with both.
     */
    static final int SATURATING_CLIENTS = 256;

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int perHost = args.length > 1 ? Integer.parseInt(args[1]) : 360;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int total = hosts * perHost;

        List<byte[]> bodies = bodies(new Random(7));
        double avgKb = bodies.stream().mapToInt(b -> b.length).average().orElse(0) / 1024;
        long pprofSamples = 0;
        for (byte[] b : bodies) pprofSamples += ProfileCodec.decode(b, 64 << 20).getSampleCount();
        System.out.printf(
                "bodies: %d distinct, %.1f KiB gzipped on average, %.0f samples (distinct stacks) each%n",
                BODIES, avgKb, pprofSamples / (double) BODIES);

        Floor before = floor(bodies);

        System.out.printf("load average before: %s%n", loadAverage());
        for (TestStore store : stores(args)) {
            System.out.printf("%n== store: %s ==%n", store);
            int storeClients = store == TestStore.DUCKDB ? clients : Math.max(clients, CLICKHOUSE_CLIENTS);
            warmUp(store, hosts, storeClients, bodies);
            measure(store, hosts, perHost, storeClients, bodies, before);
        }
        System.out.printf("load average after: %s%n", loadAverage());
        if (stores(args).contains(TestStore.DUCKDB)) secureVersusOpen(hosts, clients, Math.min(total, 6000), bodies);
    }

    /**
     * A collector runs for days: JIT compilation of the ingest path, the store's own part included,
     * is left out of the measurement by a throwaway collector on a throwaway store of the same kind,
     * in this JVM. A throwaway ClickHouse database is kept (dropping it would delete thousands of
     * part files just before the measurement, and on ext4 without a journal every file created in
     * the next minutes pays for those) and the measurement waits until its merges are done.
     */
    static void warmUp(TestStore store, int hosts, int clients, List<byte[]> bodies) throws Exception {
        Path dir = Files.createTempDirectory("hearth-bench-warmup");
        StoreLocation location = store.fresh(dir);
        try (CollectorServer warm =
                CollectorServer.start(CollectorConfig.defaults(dir).withPort(0), SecurityConfig.OPEN, location)) {
            BenchClients.run(warm.port(), clients, WARMUP, i -> ingest(i, hosts, bodies));
        } finally {
            delete(dir);
        }
        if (location instanceof StoreLocation.ClickHouse ch) ClickHouseServers.awaitMerges(ch.shards());
        System.out.printf(
                "warm-up: %d profiles into a throwaway collector and store in this JVM, not measured%n", WARMUP);
    }

    /** The stores to measure: the names given after the three numbers, else all of them. */
    static List<TestStore> stores(String[] args) {
        if (args.length <= 3) return List.of(TestStore.values());
        return java.util.Arrays.stream(args, 3, args.length)
                .map(a -> TestStore.valueOf(a.toUpperCase(java.util.Locale.ROOT)))
                .toList();
    }

    static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /** Ingest, merge of the hour and bytes per sample on one store; {@code before}: the parse floor measured first. */
    static void measure(TestStore store, int hosts, int perHost, int clients, List<byte[]> bodies, Floor before)
            throws Exception {
        int total = hosts * perHost;
        Path dir = Files.createTempDirectory("hearth-bench");
        try (CollectorServer server = CollectorServer.start(
                CollectorConfig.defaults(dir).withPort(0), SecurityConfig.OPEN, store.fresh(dir))) {
            measureIngest(server, store, hosts, total, clients, bodies, before);

            // merge of the whole hour: through the API (tree, pruning, JSON) and the storage call alone
            String fg = "http://127.0.0.1:" + server.port() + "/api/v1/flamegraph?service=bench&type=cpu&from="
                    + HOUR_START + "&until=" + (HOUR_START + 3_600_000);
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Double> api = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r =
                        http.send(HttpRequest.newBuilder(URI.create(fg)).build(), HttpResponse.BodyHandlers.ofString());
                api.add((System.nanoTime() - s) / 1e6);
                if (r.statusCode() != 200) throw new IllegalStateException(r.body());
                if (i == 0)
                    System.out.printf(
                            "merge answer: %d bytes of JSON%n", r.body().length());
            }
            ProfileStore reader = server.store();
            Selection all = new Selection(
                    Tenant.ANONYMOUS, "bench", ProfileType.CPU, HOUR_START, HOUR_START + 3_600_000, LabelSelector.ALL);
            List<Double> sql = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                reader.merge(all, new int[] {1}, QueryDeadline.NONE);
                sql.add((System.nanoTime() - s) / 1e6);
            }
            Selection tenHosts = new Selection(
                    Tenant.ANONYMOUS,
                    "bench",
                    ProfileType.CPU,
                    HOUR_START,
                    HOUR_START + 3_600_000,
                    LabelSelector.parse("host=~host-[0-9]"));
            long s = System.nanoTime();
            reader.merge(tenHosts, new int[] {1}, QueryDeadline.NONE);
            double filtered = (System.nanoTime() - s) / 1e6;
            System.out.printf(
                    "merge of %d profiles (%d hosts x %d): API first %.0f ms, median %.0f ms; storage merge median %.0f ms;"
                            + " 10 hosts by regex %.0f ms%n",
                    total, hosts, perHost, api.get(0), median(api), median(sql), filtered);

            // bytes per stored sample
            long bytes = server.store().bytesOnDisk();
            long rows = server.store().count("samples");
            System.out.printf(
                    "storage: %.1f MiB on disk, %d sample rows: %.1f bytes per stored sample"
                            + " (dictionary: %d stacks, %d locations, %d strings)%n",
                    bytes / 1048576.0,
                    rows,
                    bytes / (double) rows,
                    server.store().count("stacks"),
                    server.store().count("locations"),
                    server.store().count("strings"));
            downsampling(server, all);
        } finally {
            delete(dir);
        }
        if (store != TestStore.DUCKDB && clients < SATURATING_CLIENTS) {
            System.out.printf("ingest again into a fresh store, with %d clients:%n", SATURATING_CLIENTS);
            Path again = Files.createTempDirectory("hearth-bench");
            StoreLocation location = store.fresh(again);
            ClickHouseServers.awaitMerges(((StoreLocation.ClickHouse) location).shards());
            try (CollectorServer server =
                    CollectorServer.start(CollectorConfig.defaults(again).withPort(0), SecurityConfig.OPEN, location)) {
                measureIngest(server, store, hosts, total, SATURATING_CLIENTS, bodies, before);
            } finally {
                delete(again);
            }
        }
    }

    /** Every host sends one profile per 10 s of the hour, through {@code clients} connections; prints rate, latency and CPU. */
    static void measureIngest(
            CollectorServer server,
            TestStore store,
            int hosts,
            int total,
            int clients,
            List<byte[]> bodies,
            Floor before)
            throws Exception {
        if (store != TestStore.DUCKDB) {
            System.out.printf(
                    "file system of the ClickHouse servers: %.0f us of CPU to create a file (each INSERT writes a part,"
                            + " a folder of files, two per column on ClickHouse 18.16)%n",
                    fileCreateUs());
        }
        long cpu0 = processCpuNanos(), serverCpu0 = ClickHouseServers.cpuNanos();
        ThreadCpu threads0 = ThreadCpu.now();
        long t0 = System.nanoTime();
        BenchClients.Result sent = BenchClients.run(server.port(), clients, total, i -> ingest(i, hosts, bodies));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> split = ThreadCpu.now().since(threads0, Map.of(BenchClients.THREAD_PREFIX, sent.cpuNanos()));
        double cpuSeconds = (processCpuNanos() - cpu0 - sent.cpuNanos()) / 1e9;
        double rate = total / seconds;
        // the floor again after the ingest, so a change of machine load during the run hits both sides
        Floor after = floor(bodies);
        Floor fl = new Floor((before.wallUs() + after.wallUs()) / 2, (before.cpuUs() + after.cpuUs()) / 2);
        double cpuUs = cpuSeconds * 1e6 / total;
        System.out.printf(
                "floor: gunzip + protobuf parse in one thread: %.0f us of CPU per body, %.0f us wall"
                        + " (before the ingest %.0f/%.0f, after %.0f/%.0f)%n",
                fl.cpuUs(), fl.wallUs(), before.cpuUs(), before.wallUs(), after.cpuUs(), after.wallUs());
        System.out.printf(
                "ingest: %d profiles from %d clients in %.1f s = %.0f profiles/s (%d answered 503 and were retried);"
                        + " latency median %.0f ms, 99th percentile %.0f ms%n",
                total, clients, seconds, rate, sent.busy(), sent.latencyMs(0.5), sent.latencyMs(0.99));
        if (store != TestStore.DUCKDB) {
            System.out.printf(
                    "ClickHouse servers' CPU during the ingest: %.1f s (%.0f us per profile)%n",
                    (ClickHouseServers.cpuNanos() - serverCpu0) / 1e9,
                    (ClickHouseServers.cpuNanos() - serverCpu0) / 1e3 / total);
        }
        System.out.printf(
                "ingest cost vs floor: CPU %.1f x (%.0f us of process CPU per profile, the clients' thread left out);"
                        + " wall %.1f x (%.0f us per profile with every core vs the floor's wall in one thread)%n",
                cpuUs / fl.cpuUs(), cpuUs, (1e6 / rate) / fl.wallUs(), 1e6 / rate);
        System.out.printf(
                "CPU by thread, us per profile:%s%n",
                split.entrySet().stream()
                        .map(e -> String.format(" %s %.0f", e.getKey(), e.getValue() / 1e3 / total))
                        .collect(Collectors.joining(";")));
    }

    /**
     * The hour downsampled as if a week had passed (one profile per host): rows before and after,
     * the time the passes took, the same totals per stack, and the merge of the hour again.
     */
    static void downsampling(CollectorServer server, Selection all) throws Exception {
        ProfileStore store = server.store();
        Map<String, Long> before = perStack(store.merge(all, new int[] {0, 1}, QueryDeadline.NONE));
        long profiles = store.count("profiles"), samples = store.count("samples");
        long later =
                HOUR_START + 3_600_000 + server.config().downsampling().after().toMillis();
        DownsampleResult done = DownsampleResult.NOTHING;
        int passes = 0;
        long t0 = System.nanoTime();
        for (DownsampleResult r; (r = server.downsample(later)).merged() > 0; passes++) done = done.plus(r);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long profilesAfter = store.count("profiles"), samplesAfter = store.count("samples");
        boolean same = before.equals(perStack(store.merge(all, new int[] {0, 1}, QueryDeadline.NONE)));
        List<Double> merge = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            store.merge(all, new int[] {1}, QueryDeadline.NONE);
            merge.add((System.nanoTime() - s) / 1e6);
        }
        System.out.printf(
                "downsampling to %s: %d profiles and %d sample rows became %d and %d (%.1f x fewer rows) in %d passes,"
                        + " %.1f s (%.0f us per profile merged); totals per stack the same: %s; merge of the hour after: median %.0f ms;"
                        + " %.1f MiB on disk%n",
                server.config().downsampling().step(),
                profiles,
                samples,
                profilesAfter,
                samplesAfter,
                (profiles + samples) / (double) (profilesAfter + samplesAfter),
                passes,
                seconds,
                seconds * 1e6 / Math.max(1, done.merged()),
                same ? "yes" : "NO",
                median(merge),
                store.bytesOnDisk() / 1048576.0);
        if (!same) throw new IllegalStateException("downsampling changed the totals per stack");
    }

    /** Stack (frame names) → values, to compare merges. */
    static Map<String, Long> perStack(List<ResolvedSample> merged) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (ResolvedSample s : merged) {
            String key = s.stack().stream().map(StackFrame::name).collect(Collectors.joining(";")) + " "
                    + new java.util.TreeMap<>(s.labels());
            out.merge(key, s.values()[0] * 1_000_003L + s.values()[1], Long::sum);
        }
        return out;
    }

    /**
     * Ingest into a fresh collector with tokens and TLS against a fresh one without, alternating
     * twice (open, secure, open, secure) so that a change of machine load hits both sides.
     */
    static void secureVersusOpen(int hosts, int clients, int perRound, List<byte[]> bodies) throws Exception {
        Path dir = Files.createTempDirectory("hearth-bench-secure");
        try {
            TestCerts certs = TestCerts.make(dir.resolve("certs"));
            String token = TestTokens.writeFullAccess(dir.resolve("tokens"));
            SecurityConfig secured = new SecurityConfig(dir.resolve("tokens"), certs.cert(), certs.key());
            BenchClients.Secure client = new BenchClients.Secure(
                    token,
                    io.netty.handler.ssl.SslContextBuilder.forClient()
                            .trustManager(certs.ca().toFile())
                            .endpointIdentificationAlgorithm("HTTPS")
                            .build());
            double[] seconds = new double[2];
            for (int round = 0; round < 4; round++) {
                boolean secure = round % 2 == 1;
                Path data = dir.resolve("data-" + round);
                try (CollectorServer s = CollectorServer.start(
                        CollectorConfig.defaults(data).withPort(0), secure ? secured : SecurityConfig.OPEN)) {
                    long t0 = System.nanoTime();
                    BenchClients.run(
                            s.port(), clients, perRound, i -> ingest(i, hosts, bodies), secure ? client : null);
                    seconds[secure ? 1 : 0] += (System.nanoTime() - t0) / 1e9;
                }
            }
            double open = 2 * perRound / seconds[0], secure = 2 * perRound / seconds[1];
            System.out.printf(
                    "tokens + TLS: %d profiles each way, alternating: without %.0f profiles/s, with tokens and TLS %.0f profiles/s"
                            + " = %.2f x the throughput without%n",
                    2 * perRound, open, secure, secure / open);
        } finally {
            delete(dir);
        }
    }

    /**
     * Request i: host i % hosts sends its profile of slot i / hosts, one per 10 s of the hour. Each
     * host goes through all the bodies in an order of its own: were a host to send the same few
     * bodies again and again, a columnar store would compress its repeats beyond what real
     * profiles allow.
     */
    static BenchClients.Request ingest(int i, int hosts, List<byte[]> bodies) {
        int host = i % hosts, slot = i / hosts;
        long from = HOUR_START + slot * 10_000L;
        return new BenchClients.Request(
                "/api/v1/ingest?service=bench&type=cpu&from=" + from + "&until=" + (from + 10_000)
                        + "&labels=host%3Dhost-" + host + "%2Cversion%3D1.4&id=bench-" + i,
                bodies.get((int) ((slot + host * 37L) % BODIES)));
    }

    static void delete(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        }
    }

    /** CPU per empty file created in the temporary folder, where the test ClickHouse servers keep their data. */
    static double fileCreateUs() throws java.io.IOException {
        Path dir = Files.createTempDirectory("hearth-bench-files");
        var mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 500; i++) Files.createFile(dir.resolve("f" + i));
        double us = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / 500;
        delete(dir);
        return us;
    }

    /** Gunzip + parse of one body in one thread: microseconds of wall and of the thread's CPU. */
    record Floor(double wallUs, double cpuUs) {}

    /** Gunzip + parse of every body, one thread, for 3 s after a warm-up. */
    static Floor floor(List<byte[]> bodies) throws Exception {
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            for (byte[] b : bodies)
                sink += Profile.parseFrom(Gunzip.toBytes(b, 64 << 20)).getSampleCount();
        }
        var mx = ManagementFactory.getThreadMXBean();
        int n = 0;
        long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
        while (System.nanoTime() - t0 < 3_000_000_000L) {
            for (byte[] b : bodies) {
                sink += Profile.parseFrom(Gunzip.toBytes(b, 64 << 20)).getSampleCount();
                n++;
            }
        }
        if (sink == 42) System.out.println();
        return new Floor((System.nanoTime() - t0) / 1e3 / n, (mx.getCurrentThreadCpuTime() - c0) / 1e3 / n);
    }

    /**
     * Profiles of one Java service: a pool of 2,000 stacks 10–24 frames deep over 800 functions
     * with package-style names, 8 threads; each profile holds ~300 of the stacks, hot ones more
     * often, with 1–50 samples each.
     */
    static List<byte[]> bodies(Random r) {
        String[] packages = {
            "com.example.shop.checkout",
            "com.example.shop.catalog",
            "io.netty.channel",
            "org.eclipse.jetty.server",
            "java.util.concurrent",
            "com.fasterxml.jackson.databind",
            "org.hibernate.internal",
            "java.lang"
        };
        StackFrame[] functions = new StackFrame[800];
        for (int i = 0; i < functions.length; i++) {
            String pkg = packages[r.nextInt(packages.length)];
            FrameKind kind = i % 10 == 0 ? FrameKind.INTERPRETED : i % 7 == 0 ? FrameKind.INLINED : FrameKind.JIT;
            functions[i] = new StackFrame(
                    pkg + ".Class" + (i / 12) + ".method" + i,
                    kind,
                    "Class" + (i / 12) + ".java",
                    10 + r.nextInt(900),
                    "",
                    "");
        }
        List<List<StackFrame>> stacks = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int depth = 10 + r.nextInt(15);
            List<StackFrame> s = new ArrayList<>(depth);
            for (int d = 0; d < depth; d++) {
                // callers near the root are shared by many stacks, like thread entry points and frameworks
                int span = Math.min(functions.length, 10 + d * 30);
                s.add(0, functions[r.nextInt(span)]);
            }
            stacks.add(s);
        }
        List<byte[]> out = new ArrayList<>();
        long period = 10_101_010L;
        for (int b = 0; b < BODIES; b++) {
            ProfileBuilder p = new ProfileBuilder(ProfileType.CPU).period(period);
            for (int i = 0; i < 300; i++) {
                int pick = (int) Math.min(stacks.size() - 1, Math.abs(r.nextGaussian()) * 500);
                long n = 1 + r.nextInt(50);
                p.add(stacks.get(pick), new long[] {n, n * period}, Map.of("thread", "worker-" + r.nextInt(8)));
            }
            out.add(ProfileCodec.encodeGzip(p.build()));
        }
        return out;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
