package dev.hearth.collector;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real ClickHouse servers (Debian's clickhouse-server) for tests: each its own process with its own
 * config file, free ports on 127.0.0.1 and a data folder, started once per test JVM and stopped at
 * its exit. Test classes share them, each in a database of its own. {@link #cluster()} is two
 * servers that both know the cluster {@value #CLUSTER} of two shards, one on each.
 */
public final class ClickHouseServers {
    public static final String CLUSTER = "hearth_test";
    /** A user with a password on every test server, besides ClickHouse's passwordless {@code default}. */
    public static final String USER = "hearth_test";

    public static final String PASSWORD = TestTokens.newToken();
    private static final Path BINARY = Path.of("/usr/sbin/clickhouse-server");
    private static List<URI> single, cluster;
    private static final List<Process> started = new ArrayList<>();
    private static Path root;

    private ClickHouseServers() {}

    /** Skips the test outside CI when ClickHouse is not installed; in CI (CI set) a missing server fails it. */
    public static void assumeInstalled() {
        if (System.getenv("CI") == null) {
            assumeTrue(
                    Files.isExecutable(BINARY),
                    "skipped: needs clickhouse-server (apt-get install clickhouse-server clickhouse-client;"
                            + " ./hearth test installs it)");
        }
    }

    /** The HTTP URL of one server. */
    public static synchronized List<URI> single() throws Exception {
        if (single == null) {
            int[] http = ports(1), tcp = ports(1);
            single = List.of(start("single", http[0], tcp[0], ""));
        }
        return single;
    }

    /** The HTTP URLs of the two shards of {@value #CLUSTER}, in shard order. */
    public static synchronized List<URI> cluster() throws Exception {
        if (cluster == null) {
            int[] http = ports(2), tcp = ports(2);
            String shards = "<remote_servers><" + CLUSTER + ">"
                    + "<shard><replica><host>127.0.0.1</host><port>" + tcp[0] + "</port></replica></shard>"
                    + "<shard><replica><host>127.0.0.1</host><port>" + tcp[1] + "</port></replica></shard>"
                    + "</" + CLUSTER + "></remote_servers>";
            cluster = List.of(start("shard1", http[0], tcp[0], shards), start("shard2", http[1], tcp[1], shards));
        }
        return cluster;
    }

    /** CPU time the servers started so far have used, for benchmarks. */
    public static synchronized long cpuNanos() {
        long n = 0;
        for (Process p : started)
            n += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return n;
    }

    /** Waits (up to a minute) until no server of {@code shards} is merging parts, for benchmarks. */
    public static void awaitMerges(List<URI> shards) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (URI shard : shards) {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(shard.resolve("/?query=SELECT%20count()%20FROM%20system.merges"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200)
                    throw new IllegalStateException("system.merges on " + shard + ": " + r.body());
                if (r.body().strip().equals("0")) break;
                Thread.sleep(200);
            }
        }
    }

    /** Free ports, asked of the kernel together so they differ. */
    private static int[] ports(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] out = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                out[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) s.close();
            }
        }
        return out;
    }

    private static URI start(String name, int httpPort, int tcpPort, String extra) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            assumeInstalled(); // a test outside CI skips here; in CI, and in benchmarks, it is an error
            throw new IllegalStateException(
                    BINARY + " is missing: apt-get install clickhouse-server (./hearth test installs it)");
        }
        if (root == null) {
            root = Files.createTempDirectory("hearth-clickhouse-");
            Runtime.getRuntime().addShutdownHook(new Thread(ClickHouseServers::stopAll));
        }
        Path dir = Files.createDirectories(root.resolve(name));
        Path config = dir.resolve("config.xml");
        Files.writeString(config, config(dir, httpPort, tcpPort, extra));
        Process p = new ProcessBuilder(BINARY.toString(), "--config-file=" + config)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        started.add(p);
        URI url = URI.create("http://127.0.0.1:" + httpPort + "/");
        awaitReady(url, p, dir);
        return url;
    }

    /** A server's whole configuration: loopback only, its own ports and folders, the default user without password. */
    static String config(Path dir, int httpPort, int tcpPort, String extra) {
        return "<?xml version=\"1.0\"?>\n<yandex>\n"
                + "  <logger><level>warning</level><log>" + dir.resolve("server.log") + "</log><errorlog>"
                + dir.resolve("error.log")
                + "</errorlog><console>0</console></logger>\n"
                + "  <http_port>" + httpPort + "</http_port>\n  <tcp_port>" + tcpPort + "</tcp_port>\n"
                + "  <listen_host>127.0.0.1</listen_host>\n"
                + "  <path>" + dir.resolve("data") + "/</path>\n  <tmp_path>" + dir.resolve("tmp") + "/</tmp_path>\n"
                + "  <mark_cache_size>67108864</mark_cache_size>\n"
                + "  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
                + "<quota>default</quota></default>"
                + "<" + USER + "><password>" + PASSWORD
                + "</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
                + "<quota>default</quota></" + USER + "></users>\n"
                + "  <profiles><default></default></profiles>\n  <quotas><default></default></quotas>\n"
                + "  " + extra + "\n</yandex>\n";
    }

    private static void awaitReady(URI url, Process p, Path dir) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive())
                throw new IllegalStateException(
                        "clickhouse-server exited: " + Files.readString(dir.resolve("stdout.log")));
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(url.resolve("/?query=SELECT%201"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("clickhouse-server on " + url + " did not answer within 60 s");
    }

    private static void stopAll() {
        for (Process p : started) p.destroy();
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
