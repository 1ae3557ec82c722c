package dev.hearth.collector;

import dev.hearth.pprof.Gunzip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded mutation fuzzer against a running collector: mutated pprof and JFR bodies (raw and
 * re-gzipped), mutated query strings, and hand-written request lines and headers, from several
 * connections at once. Every request must get an answer or a close within {@link #ANSWER_TIMEOUT_MS}
 * (no hang) and never a 5xx other than 503 (the documented limits); the collector's RSS is
 * sampled throughout. The seed corpus is what the other tests send: the shop fixtures, the
 * benchmark's service profiles, a deep stack, and a real JVM's flight recording.
 */
public final class CollectorFuzz {
    static final int ANSWER_TIMEOUT_MS = 30_000;
    static final long T0 = 1_700_000_000_000L;
    static final String[] HOSTILE = {
        "",
        "-1",
        "0",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "1e99",
        "NaN",
        "%",
        "%ZZ",
        "%00",
        "%u0041",
        "((a+)+)+x",
        "k=~((a+)+)+x",
        "k=~(",
        "k=~.*",
        "k=~\\\\",
        "a".repeat(5000),
        "\u0000",
        "\r\nX-Injected: 1",
        "../../etc/passwd",
        "cpu",
        "alloc",
        "x{1,1000}{1,1000}",
        "k=v,k=v",
        "\uD800",
        "😀",
        "true",
        "yes",
        "1700000000000",
        "253402300799999",
        "253402300800000"
    };
    static final String[] PARAMS = {
        "service",
        "type",
        "from",
        "until",
        "step",
        "labels",
        "maxNodes",
        "value",
        "baseFrom",
        "baseUntil",
        "baseLabels",
        "absolute",
        "key",
        "id",
        "format"
    };
    static final String[] PATHS = {
        "/api/v1/flamegraph",
        "/api/v1/diff",
        "/api/v1/timeline",
        "/api/v1/pprof",
        "/api/v1/services",
        "/api/v1/labels",
        "/api/v1/ingest",
        "/",
        "/hearth-ui/app.js",
        "/api/v2/x",
        "/api/"
    };
    static final String[] METHODS = {
        "GET", "POST", "PUT", "HEAD", "OPTIONS", "CONNECT", "TRACE", "G E T", "get", "\u00ff", ""
    };

    /** What a run did. {@code failures}: requests that broke a rule, with what was sent. */
    public record Result(
            long requests,
            Map<Integer, Long> statuses,
            long closedWithoutAnswer,
            List<String> failures,
            long maxRssKb,
            long lastRssKb) {}

    private final int port;
    private final long pid;
    private final List<byte[]> pprofSeeds;
    private final List<byte[]> jfrSeeds;
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong(), closed = new AtomicLong(), maxRss = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** "Authorization: Bearer TOKEN\r\n" for a collector with tokens (most requests carry it, so they get past auth), or "". */
    private final String auth;

    public CollectorFuzz(int port, long pid, String token, List<byte[]> pprofSeeds, List<byte[]> jfrSeeds) {
        this.port = port;
        this.auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
        this.pid = pid;
        this.pprofSeeds = pprofSeeds;
        this.jfrSeeds = jfrSeeds;
    }

    /** The seed profiles: raw pprof bytes (not gzipped), as the other tests make them. */
    public static List<byte[]> pprofSeeds() {
        List<byte[]> out = new ArrayList<>();
        out.add(Fixtures.shop(30, 10, 5).toByteArray());
        out.add(Fixtures.shopWithPrice(3, 9).toByteArray());
        out.add(Fixtures.deep(1500, 2).toByteArray());
        List<byte[]> bench = CollectorBench.bodies(new Random(7));
        for (int i = 0; i < 3; i++) {
            try {
                out.add(Gunzip.toBytes(bench.get(i), 64 << 20));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** A real flight recording: a JVM running {@link JfrWorkload} for a second and a half. */
    public static byte[] jfrSeed(Path dir) throws Exception {
        Path file = dir.resolve("seed.jfr");
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-XX:StartFlightRecording=filename=" + file + ",settings=profile",
                        "-cp",
                        Paths.get(JfrWorkload.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString(),
                        JfrWorkload.class.getName(),
                        "1500")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException("the JFR workload failed");
        return Files.readAllBytes(file);
    }

    /** Runs {@code threads} fuzzing connections for {@code budget}, each from its own seed. */
    public Result run(Duration budget, int threads, long seed) throws Exception {
        long end = System.nanoTime() + budget.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random r = new Random(seed * 31 + t);
            Thread w = new Thread(
                    () -> {
                        while (System.nanoTime() < end && failures.size() < 20) one(r);
                    },
                    "fuzz-" + t);
            w.start();
            workers.add(w);
        }
        Thread rss = new Thread(
                () -> {
                    while (workers.stream().anyMatch(Thread::isAlive)) {
                        sampleRss();
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "fuzz-rss");
        rss.setDaemon(true);
        rss.start();
        for (Thread w : workers) w.join();
        long last = sampleRss();
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        return new Result(requests.get(), byStatus, closed.get(), List.copyOf(failures), maxRss.get(), last);
    }

    long sampleRss() {
        long kb = rssKb(pid);
        maxRss.accumulateAndGet(kb, Math::max);
        return kb;
    }

    /** VmRSS of a process, in KiB. */
    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            // the process is gone
        }
        return 0;
    }

    private void one(Random r) {
        int kind = r.nextInt(10);
        byte[] request;
        boolean framed = true; // a well-formed HTTP message: it must be answered, not just closed
        if (kind < 3) {
            request = post(ingestQuery(r, null), pprofBody(r));
        } else if (kind < 5) {
            request = post(ingestQuery(r, "jfr"), jfrBody(r));
        } else if (kind < 8) {
            request = get(query(r));
        } else {
            request = raw(r);
            framed = false;
        }
        send(request, framed);
    }

    private void send(byte[] request, boolean framed) {
        requests.incrementAndGet();
        try (RawHttp h = new RawHttp(port)) {
            try {
                h.send(request);
                // a hand-written request may announce more than it sends: end it rather than wait for the body timeout
                if (!framed) h.endOutput();
            } catch (IOException closedEarly) {
                // the collector answered (413, 400) and closed before the whole body was sent: read the answer
            }
            RawHttp.Answer a;
            try {
                a = h.read(ANSWER_TIMEOUT_MS);
                if (a != null && a.status() == 100) a = h.read(ANSWER_TIMEOUT_MS); // the body was sent already
            } catch (SocketTimeoutException e) {
                fail("no answer within " + ANSWER_TIMEOUT_MS + " ms", request);
                return;
            } catch (IOException reset) {
                a = null;
            }
            if (a == null) {
                closed.incrementAndGet();
                if (framed) fail("closed without an answer", request);
                return;
            }
            statuses.computeIfAbsent(a.status(), k -> new AtomicLong()).incrementAndGet();
            if (a.status() >= 500 && a.status() != 503) fail("answered " + a.status() + " " + a.text(), request);
            else if (a.status() >= 400 && !head(request) && !a.text().startsWith("{\"error\":"))
                fail("a " + a.status() + " without a JSON error", request);
        } catch (IOException e) {
            fail("cannot connect: " + e, request);
        }
    }

    /** An answer to HEAD has no body, by HTTP's rules. */
    private static boolean head(byte[] request) {
        return new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).equals("HEAD ");
    }

    private void fail(String what, byte[] request) {
        String head = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
        failures.add(what + " for: " + head.replaceAll("[\\r\\n]+", " | "));
    }

    // ---- bodies

    private byte[] pprofBody(Random r) {
        byte[] raw = mutate(r, pprofSeeds.get(r.nextInt(pprofSeeds.size())), pprofSeeds);
        return r.nextBoolean() ? gzip(raw) : raw;
    }

    private byte[] jfrBody(Random r) {
        byte[] raw = r.nextInt(8) == 0
                ? jfrSeeds.get(r.nextInt(jfrSeeds.size()))
                : mutate(r, jfrSeeds.get(r.nextInt(jfrSeeds.size())), jfrSeeds);
        return r.nextInt(4) == 0 ? gzip(raw) : raw;
    }

    /** One to eight mutations: bit flips, interesting bytes, inserts, deletes, copies, cuts, splices, long varints. */
    static byte[] mutate(Random r, byte[] seed, List<byte[]> others) {
        byte[] b = seed.clone();
        int n = 1 + r.nextInt(8);
        for (int m = 0; m < n && b.length > 0; m++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80, 0x01, 0x0a, 0x12}[r.nextInt(7)];
                case 2 -> b = splice(b, at, 0, randomBytes(r, 1 + r.nextInt(16)));
                case 3 -> b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(64)), new byte[0]);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(256));
                    b = splice(b, r.nextInt(b.length), 0, java.util.Arrays.copyOfRange(b, at, at + len));
                }
                case 5 -> b = java.util.Arrays.copyOf(b, at);
                case 6 -> {
                    byte[] o = others.get(r.nextInt(others.size()));
                    int from = r.nextInt(o.length);
                    b = splice(
                            b,
                            at,
                            b.length - at,
                            java.util.Arrays.copyOfRange(o, from, Math.min(o.length, from + r.nextInt(4096))));
                }
                default ->
                    b = splice(b, at, Math.min(b.length - at, 1), new byte[] {
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        (byte) 0xff,
                        0x01
                    }); // a varint of 2^64-1
            }
        }
        return b;
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    // ---- query strings

    private String ingestQuery(Random r, String format) {
        List<String[]> p = new ArrayList<>(List.of(
                new String[] {"service", "fuzz-" + r.nextInt(4)},
                new String[] {"type", "cpu"},
                new String[] {"from", String.valueOf(T0 + r.nextInt(100) * 10_000L)},
                new String[] {"until", String.valueOf(T0 + 3_600_000)},
                new String[] {"labels", "host=h" + r.nextInt(3) + ",k=" + "a".repeat(r.nextInt(30)) + "!"}));
        if (format != null) p.add(new String[] {"format", format});
        if (r.nextInt(3) == 0) p.add(new String[] {"id", "id-" + r.nextInt(50)});
        return "/api/v1/ingest?" + mutateParams(r, p, r.nextInt(4) == 0);
    }

    private String query(Random r) {
        String path = PATHS[r.nextInt(PATHS.length)];
        List<String[]> p = new ArrayList<>(List.of(
                new String[] {"service", "fuzz-" + r.nextInt(4)},
                new String[] {"type", r.nextBoolean() ? "cpu" : "alloc"},
                new String[] {"from", String.valueOf(T0)},
                new String[] {"until", String.valueOf(T0 + 3_600_000)}));
        if (r.nextBoolean())
            p.add(new String[] {"labels", "k=~" + new String[] {"a+!", "(a+)+x", "((a+)+)+x", ".*"}[r.nextInt(4)]});
        if (path.endsWith("timeline") && r.nextBoolean())
            p.add(new String[] {"step", String.valueOf(1 + r.nextInt(1_000_000))});
        if (path.endsWith("labels")) p.add(new String[] {"key", "host"});
        return path + "?" + mutateParams(r, p, r.nextInt(3) != 0);
    }

    /** The parameters, some replaced by hostile values, dropped, repeated or added; values URL-encoded or left raw. */
    private static String mutateParams(Random r, List<String[]> p, boolean mutate) {
        if (mutate) {
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(4)) {
                    case 0 -> p.get(r.nextInt(p.size()))[1] = HOSTILE[r.nextInt(HOSTILE.length)];
                    case 1 -> {
                        if (p.size() > 1) p.remove(r.nextInt(p.size()));
                    }
                    case 2 -> p.add(p.get(r.nextInt(p.size())).clone());
                    default ->
                        p.add(new String[] {PARAMS[r.nextInt(PARAMS.length)], HOSTILE[r.nextInt(HOSTILE.length)]});
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean rawValues = mutate && r.nextInt(4) == 0;
        for (String[] kv : p) {
            if (sb.length() > 0) sb.append('&');
            String v = rawValues
                    ? kv[1].replaceAll("[\\s\\x00-\\x1f\\x7f]", "_")
                    : URLEncoder.encode(kv[1], StandardCharsets.UTF_8);
            sb.append(kv[0]).append('=').append(v);
        }
        return sb.toString().replaceAll("[^\\x21-\\x7e]", "%C3%BF");
    }

    // ---- whole requests

    private byte[] get(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: fuzz\r\n" + auth + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] post(String target, byte[] body) {
        byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: fuzz\r\n" + auth
                        + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return splice(head, head.length, 0, body);
    }

    /** A request written by hand: odd methods, targets, versions, headers and framing, or plain mutated bytes. */
    private byte[] raw(Random r) {
        String method = METHODS[r.nextInt(METHODS.length)];
        String target = r.nextInt(4) == 0
                ? new String[] {"*", "http://x/", "", "/%", "/\u00ff", "//", "/?" + "a=".repeat(3000)}[r.nextInt(7)]
                : query(r);
        String version = new String[] {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "", "HTTP/9"}[r.nextInt(6)];
        StringBuilder h = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(' ')
                .append(version)
                .append("\r\n");
        if (r.nextInt(4) != 0) h.append("Host: fuzz\r\n");
        if (r.nextInt(4) != 0) h.append(auth);
        else if (r.nextInt(4) == 0)
            h.append(new String[] {
                        "Authorization: Bearer\r\n",
                        "Authorization: Basic Og==\r\n",
                        "Authorization: Bearer " + "x".repeat(10_000) + "\r\n",
                        "X-Scope-OrgID: ../other\r\n"
                    }
                    [r.nextInt(4)]);
        byte[] body = r.nextBoolean() ? pprofBody(r) : new byte[0];
        int headers = r.nextInt(5);
        boolean chunked = false;
        for (int i = 0; i < headers; i++) {
            switch (r.nextInt(9)) {
                case 0 ->
                    h.append("Content-Length: ")
                            .append(new String[] {"-1", "abc", "99999999999999999999", "0", "5, 6"}[r.nextInt(5)])
                            .append("\r\n");
                case 1 -> {
                    h.append("Transfer-Encoding: chunked\r\n");
                    chunked = true;
                }
                case 2 -> h.append("Expect: 100-continue\r\n");
                case 3 -> h.append("X-").append("a".repeat(r.nextInt(20_000))).append(": v\r\n");
                case 4 -> h.append("Connection: keep-alive, upgrade\r\nUpgrade: websocket\r\n");
                case 5 -> h.append("Bad Header\r\n");
                case 6 ->
                    h.append("X-Bin: ")
                            .append(new String(randomBytes(r, 20), StandardCharsets.ISO_8859_1))
                            .append("\r\n");
                case 7 -> h.append(" folded: continuation\r\n");
                default ->
                    h.append("Content-Type: multipart/form-data; boundary=")
                            .append("-".repeat(r.nextInt(100)))
                            .append("\r\n");
            }
        }
        byte[] framing;
        if (chunked) {
            String size = r.nextInt(3) == 0
                    ? new String[] {"zz", "-1", "ffffffffffffffff", ""}[r.nextInt(4)]
                    : Integer.toHexString(body.length);
            framing = splice((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1), size.length() + 2, 0, body);
            framing = splice(framing, framing.length, 0, "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            body = framing;
        } else {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("Connection: close\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = splice(head, head.length, 0, body);
        return r.nextInt(5) == 0 ? mutate(r, all, List.of(all)) : all;
    }
}
