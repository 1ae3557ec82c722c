package dev.hearth.collector;

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
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = "Stores profiles from agents and serves flame graphs, diffs, timelines and the UI.")
public final class Main implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port = 4040;

    @Option(names = "--host", description = "address to listen on (default: 127.0.0.1; any other address is open to whoever reaches it unless --tokens is given)")
    String host;

    @Option(names = "--data", description = "data directory for the DuckDB file (default ${DEFAULT-VALUE})")
    Path data = Path.of("data");

    @Option(names = "--retention-days", description = "profiles older than this are deleted (default ${DEFAULT-VALUE})")
    int retentionDays = 30;

    @Option(names = "--max-body-mib", description = "largest accepted request body (default ${DEFAULT-VALUE})")
    int maxBodyMiB = CollectorConfig.DEFAULT_MAX_BODY >> 20;

    @Option(names = "--max-decompressed-mib", description = "largest profile after gunzip (default ${DEFAULT-VALUE})")
    int maxDecompressedMiB = (int) (CollectorConfig.DEFAULT_MAX_DECOMPRESSED >> 20);

    @Option(names = "--workers", description = "threads decoding bodies and running queries (default: CPUs, at least 2)")
    Integer workers;

    @Option(names = "--queue", description = "requests that may wait for workers or the writer before 503 (default ${DEFAULT-VALUE})")
    int queue = 512;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "tokens file, one 'TOKEN TENANT SCOPE[,SCOPE]' a line (scopes: ingest, query); re-read when it changes")
    Path tokens;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve HTTPS only (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8) of --tls-cert")
    Path tlsKey;

    @Override
    public Integer call() throws Exception {
        if (retentionDays < 1 || maxBodyMiB < 1 || maxDecompressedMiB < 1 || queue < 1 || (workers != null && workers < 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "sizes, counts and days must be positive");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--tls-cert and --tls-key go together");
        }
        SecurityConfig security = new SecurityConfig(tokens, tlsCert, tlsKey);
        String host = this.host != null ? this.host : security.defaultHost();
        CollectorConfig d = CollectorConfig.defaults(data);
        CollectorConfig config = new CollectorConfig(host, port, data, Duration.ofDays(retentionDays), maxBodyMiB << 20,
                (long) maxDecompressedMiB << 20, workers != null ? workers : d.workers(), queue);
        warnIfOpen(host, security);
        CollectorServer server;
        try {
            server = CollectorServer.start(config, security);
        } catch (IllegalArgumentException e) {
            System.err.println("hearth collector: " + e.getMessage());
            return 2;
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
        System.out.println("hearth collector listening on " + (security.tls() ? "https" : "http") + "://" + host + ":" + server.port() + "/ (data in "
                + data.toAbsolutePath() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Says so when anyone who reaches the collector may use it, or would send tokens in clear text. */
    private static void warnIfOpen(String host, SecurityConfig security) throws UnknownHostException {
        if (InetAddress.getByName(host).isLoopbackAddress()) return;
        if (security.tokens() == null) {
            System.err.println("hearth collector: WARNING: listening on " + host + " without --tokens: anyone who can reach it"
                    + " can ingest profiles and read every profile");
        } else if (!security.tls()) {
            System.err.println("hearth collector: WARNING: listening on " + host + " without TLS: tokens and profiles cross"
                    + " the network in clear text (--tls-cert, --tls-key)");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
