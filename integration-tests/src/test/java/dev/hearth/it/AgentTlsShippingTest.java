package dev.hearth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.agent.LabelSet;
import dev.hearth.agent.ship.BearerToken;
import dev.hearth.agent.ship.Outcome;
import dev.hearth.agent.ship.Shipper;
import dev.hearth.agent.ship.Upload;
import dev.hearth.collector.CollectorProcess;
import dev.hearth.collector.Http;
import dev.hearth.collector.TestCerts;
import dev.hearth.collector.TestTokens;
import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.ProfileBuilder;
import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.StackFrame;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own shipping code against a collector process serving HTTPS with tokens: with the CA
 * file and its token it delivers; without trusting the CA, over plain HTTP, or with an unknown
 * token nothing is stored, and each failure says why. The query command reads it back the same way.
 */
class AgentTlsShippingTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    static Upload upload(String service, long samples) {
        StackFrame main = new StackFrame("tls.Main.main", FrameKind.JIT, "Main.java", 1, "", "");
        StackFrame work = new StackFrame("tls.Main.work", FrameKind.JIT, "Main.java", 2, "", "");
        var p = new ProfileBuilder(ProfileType.CPU)
                .period(10_000_000L)
                .add(List.of(work, main), new long[] {samples, samples * 10_000_000L}, Map.of())
                .build();
        return Upload.of(
                service, "cpu", T0, T0 + 10_000, LabelSet.EMPTY.with("host", "tls-host"), ProfileCodec.encodeGzip(p));
    }

    @Test
    void theAgentShipsToATlsCollectorThatItVerifiesWithTheCaFile() throws Exception {
        TestCerts certs = TestCerts.make(dir.resolve("certs"));
        try (CollectorProcess c = CollectorProcess.start(
                dir.resolve("data"),
                "--tls-cert",
                certs.cert().toString(),
                "--tls-key",
                certs.key().toString())) {
            Path tokenFile = TestTokens.write(dir.resolve("agent.token"), c.token);
            URI https = URI.create("https://127.0.0.1:" + c.port),
                    localhost = URI.create("https://localhost:" + c.port);
            Duration t = Duration.ofSeconds(10);

            try (Shipper s = new Shipper(https, t, BearerToken.read(tokenFile), certs.ca())) {
                Outcome o = s.send(upload("tls-agent", 7));
                assertEquals(Outcome.Kind.STORED, o.kind(), o.toString());
                assertEquals(
                        Outcome.Kind.STORED,
                        s.send(upload("tls-agent", 5)).kind(),
                        "again on the kept-alive connection");
            }
            try (Shipper s = new Shipper(localhost, t, BearerToken.read(tokenFile), certs.ca())) {
                assertEquals(
                        Outcome.Kind.STORED,
                        s.send(upload("tls-agent", 1)).kind(),
                        "the certificate names localhost too");
            }
            try (Shipper s = new Shipper(https, t, BearerToken.read(tokenFile), null)) {
                Outcome o = s.send(upload("tls-untrusted", 1));
                assertEquals(Outcome.Kind.RETRY, o.kind(), o.toString());
                assertTrue(o.message().contains("SSLHandshakeException"), o.message());
            }
            try (Shipper s =
                    new Shipper(URI.create("http://127.0.0.1:" + c.port), t, BearerToken.read(tokenFile), null)) {
                Outcome o = s.send(upload("tls-plain", 1));
                assertEquals(400, o.status(), o.toString());
                assertEquals(Outcome.Kind.REJECTED, o.kind());
                assertTrue(o.message().contains("HTTPS only"), o.message());
            }
            Path wrong = TestTokens.write(dir.resolve("wrong.token"), TestTokens.newToken());
            try (Shipper s = new Shipper(https, t, BearerToken.read(wrong), certs.ca())) {
                Outcome o = s.send(upload("tls-wrong-token", 1));
                assertEquals(401, o.status(), o.toString());
                assertEquals(Outcome.Kind.RETRY, o.kind(), "kept for when the token is added to the collector");
            }

            Http h = Http.https(c.port, certs.trustingCa()).withToken(c.token);
            Http.Reply fg = h.get(Http.query(
                    "/api/v1/flamegraph",
                    "service",
                    "tls-agent",
                    "type",
                    "cpu",
                    "value",
                    "samples",
                    "from",
                    T0,
                    "until",
                    T0 + 60_000));
            assertEquals(200, fg.status(), fg.text());
            assertEquals(13, Http.num(fg.json(), "total"));
            String services = h.get("/api/v1/services").text();
            for (String refused : List.of("tls-untrusted", "tls-plain", "tls-wrong-token"))
                assertTrue(!services.contains(refused), services);

            // the query command connects as the agent ships: the same token file and CA file
            Path out = dir.resolve("services.txt");
            String[] query = {
                "query",
                "services",
                "--collector",
                https.toString(),
                "--token-file",
                tokenFile.toString(),
                "-o",
                out.toString()
            };
            assertEquals(
                    1,
                    dev.hearth.agent.Main.run(query),
                    "the collector's certificate is not trusted without --ca-file");
            String[] trusting = java.util.Arrays.copyOf(query, query.length + 2);
            trusting[query.length] = "--ca-file";
            trusting[query.length + 1] = certs.ca().toString();
            assertEquals(0, dev.hearth.agent.Main.run(trusting));
            assertTrue(
                    java.nio.file.Files.readString(out).lines().anyMatch(l -> l.startsWith("tls-agent ")),
                    java.nio.file.Files.readString(out));
        }
    }
}
