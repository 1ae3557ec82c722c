package dev.hearth.collector;

import dev.hearth.collector.storage.ClickHouseCredentials;
import dev.hearth.collector.storage.Downsampling;
import dev.hearth.collector.storage.StoreLocation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth collector}: runs the server until it is stopped. */
@Command(
        name = "collector",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Stores profiles from agents and serves flame graphs, diffs, timelines and the UI.")
public final class Main implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port = 4040;

    @Option(
            names = "--host",
            description =
                    "address to listen on (default: 127.0.0.1; any other address is open to whoever reaches it unless --tokens is given)")
    String host;

    @Option(
            names = "--data",
            description = "data directory for the DuckDB file, short for --store duckdb:DIR (default ${DEFAULT-VALUE})")
    Path data = Path.of("data");

    @Option(
            names = "--store",
            paramLabel = "duckdb:DIR|clickhouse:URLS",
            description =
                    "where profiles are kept: duckdb:DIR (the default, in --data), or"
                            + " clickhouse:http://HOST:PORT[,http://HOST:PORT...][?cluster=NAME&database=DB] (one URL per shard of the cluster NAME)")
    String store;

    @Option(
            names = "--store-credentials",
            paramLabel = "FILE",
            description =
                    "ClickHouse user and password, 'user=NAME' and 'password=SECRET' lines, in a file only its owner may read"
                            + " (else $" + ClickHouseCredentials.USER_ENV + " and $"
                            + ClickHouseCredentials.PASSWORD_ENV + ")")
    Path storeCredentials;

    @Option(names = "--retention-days", description = "profiles older than this are deleted (default ${DEFAULT-VALUE})")
    int retentionDays = 30;

    @Option(
            names = "--downsample-after",
            converter = DurationFlag.class,
            description =
                    "profiles older than this are merged into one per series per --downsample-step, e.g. 7d; 0: never"
                            + " (default ${DEFAULT-VALUE})")
    Duration downsampleAfter = Downsampling.DEFAULT_AFTER;

    @Option(
            names = "--downsample-step",
            converter = DurationFlag.class,
            description = "the step old profiles are merged into, e.g. 1h (default ${DEFAULT-VALUE})")
    Duration downsampleStep = Downsampling.DEFAULT_STEP;

    @Option(names = "--max-body-mib", description = "largest accepted request body (default ${DEFAULT-VALUE})")
    int maxBodyMiB = CollectorConfig.DEFAULT_MAX_BODY >> 20;

    @Option(names = "--max-decompressed-mib", description = "largest profile after gunzip (default ${DEFAULT-VALUE})")
    int maxDecompressedMiB = (int) (CollectorConfig.DEFAULT_MAX_DECOMPRESSED >> 20);

    @Option(
            names = "--workers",
            description = "threads decoding bodies and running queries (default: CPUs, at least 2)")
    Integer workers;

    @Option(
            names = "--queue",
            description = "requests that may wait for workers or the writer before 503 (default ${DEFAULT-VALUE})")
    int queue = 512;

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description =
                    "tokens file, one 'TOKEN TENANT SCOPE[,SCOPE]' a line (scopes: ingest, query); re-read when it changes")
    Path tokens;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate chain: serve HTTPS only (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8) of --tls-cert")
    Path tlsKey;

    // Limits on requests and connections (CollectorLimits; docs/security.md, "Collector: limits")
    @Option(
            names = "--query-timeout",
            converter = DurationFlag.class,
            description =
                    "a query running longer is cancelled and answered 503, e.g. 30s, 500ms (default ${DEFAULT-VALUE})")
    Duration queryTimeout = CollectorLimits.DEFAULT_QUERY_TIMEOUT;

    @Option(
            names = "--max-stack-depth",
            description = "frames kept per stack at ingest; deeper stacks lose root-side frames"
                    + " to one [truncated] frame (default ${DEFAULT-VALUE})")
    int maxStackDepth = CollectorLimits.DEFAULT_MAX_STACK_DEPTH;

    @Option(
            names = "--idle-timeout",
            converter = DurationFlag.class,
            description = "a kept-alive connection with no request is closed after this (default ${DEFAULT-VALUE})")
    Duration idleTimeout = CollectorLimits.DEFAULT_IDLE_TIMEOUT;

    @Option(
            names = "--header-timeout",
            converter = DurationFlag.class,
            description =
                    "time from a request's first byte to the end of its headers, then 408 (default ${DEFAULT-VALUE})")
    Duration headerTimeout = CollectorLimits.DEFAULT_HEADER_TIMEOUT;

    @Option(
            names = "--body-timeout",
            converter = DurationFlag.class,
            description =
                    "time from the end of a request's headers to the end of its body, then 408 (default ${DEFAULT-VALUE})")
    Duration bodyTimeout = CollectorLimits.DEFAULT_BODY_TIMEOUT;

    @Option(
            names = "--max-connections",
            description = "open connections; more are answered 503 and closed (default ${DEFAULT-VALUE})")
    int maxConnections = CollectorLimits.DEFAULT_MAX_CONNECTIONS;

    @Option(
            names = "--max-bodies-in-flight-mib",
            description =
                    "request bodies held at once across all connections; past it 503 with Retry-After (default ${DEFAULT-VALUE})")
    int maxBodiesInFlightMiB = (int) (CollectorLimits.DEFAULT_MAX_BODY_BYTES_IN_FLIGHT >> 20);

    /** Durations as people write them: 30s, 500ms, 2m, 1h, 7d (a bare number is seconds); also ISO-8601 (PT30S), as defaults print. */
    static final class DurationFlag implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            if (v.startsWith("P")) {
                try {
                    return Duration.parse(v);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException(
                            "'" + v + "' is not a duration like 30s, 500ms, 2m, 1h or 7d");
                }
            }
            var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?").matcher(v.trim());
            if (!m.matches())
                throw new CommandLine.TypeConversionException(
                        "'" + v + "' is not a duration like 30s, 500ms, 2m, 1h or 7d");
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    CollectorLimits limits() {
        try {
            return new CollectorLimits(
                    queryTimeout,
                    maxStackDepth,
                    idleTimeout,
                    headerTimeout,
                    bodyTimeout,
                    maxConnections,
                    (long) maxBodiesInFlightMiB << 20);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    Downsampling downsampling() {
        try {
            return new Downsampling(downsampleAfter, downsampleStep, Downsampling.DEFAULT_MAX_PROFILES_PER_PASS);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (retentionDays < 1
                || maxBodyMiB < 1
                || maxDecompressedMiB < 1
                || queue < 1
                || (workers != null && workers < 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "sizes, counts and days must be positive");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--tls-cert and --tls-key go together");
        }
        StoreLocation location;
        try {
            location = storeLocation();
        } catch (IllegalArgumentException e) {
            System.err.println("hearth collector: " + e.getMessage());
            return 2;
        }
        SecurityConfig security = new SecurityConfig(tokens, tlsCert, tlsKey);
        String host = this.host != null ? this.host : security.defaultHost();
        CollectorConfig d = CollectorConfig.defaults(data);
        CollectorConfig config = new CollectorConfig(
                host,
                port,
                data,
                Duration.ofDays(retentionDays),
                maxBodyMiB << 20,
                (long) maxDecompressedMiB << 20,
                workers != null ? workers : d.workers(),
                queue,
                limits(),
                downsampling());
        warnIfOpen(host, security);
        CollectorServer server;
        try {
            server = CollectorServer.start(config, security, location);
        } catch (IllegalArgumentException e) {
            System.err.println("hearth collector: " + e.getMessage());
            return 2;
        } catch (StartupException e) {
            System.err.println("hearth collector: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        String scheme = security.tls() ? "https" : "http";
        System.out.println("hearth collector listening on " + scheme + "://" + host + ":" + server.port() + "/ ("
                + (location instanceof StoreLocation.DuckDb duck
                        ? "data in " + duck.dir().toAbsolutePath()
                        : location) + ")");
        System.out.println("hearth collector: the UI is at " + UiAddress.of(scheme, host, server.port()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** --store, or DuckDB in --data; ClickHouse credentials from --store-credentials or the environment. */
    private StoreLocation storeLocation() {
        if (store == null) {
            if (storeCredentials != null)
                throw new IllegalArgumentException("--store-credentials goes with --store clickhouse:...");
            return new StoreLocation.DuckDb(data);
        }
        ClickHouseCredentials credentials = store.startsWith("clickhouse:")
                ? (storeCredentials != null
                        ? ClickHouseCredentials.read(storeCredentials)
                        : ClickHouseCredentials.fromEnvironment(System.getenv()))
                : null;
        if (credentials == null && storeCredentials != null)
            throw new IllegalArgumentException("--store-credentials goes with --store clickhouse:...");
        return StoreLocation.parse(store, credentials);
    }

    /** Says so when anyone who reaches the collector may use it, or would send tokens in clear text. */
    private static void warnIfOpen(String host, SecurityConfig security) throws UnknownHostException {
        if (InetAddress.getByName(host).isLoopbackAddress()) return;
        if (security.tokens() == null) {
            System.err.println("hearth collector: WARNING: listening on " + host
                    + " without --tokens: anyone who can reach it" + " can ingest profiles and read every profile");
        } else if (!security.tls()) {
            System.err.println("hearth collector: WARNING: listening on " + host
                    + " without TLS: tokens and profiles cross" + " the network in clear text (--tls-cert, --tls-key)");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
