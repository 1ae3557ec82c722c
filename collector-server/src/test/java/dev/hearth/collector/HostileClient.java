package dev.hearth.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP client doing what an unprivileged user on the network can: two backtracking-regex
 * queries at once, then a plain query, a backtracking function search, a malformed escape, a Pyroscope upload of thousands of
 * multipart parts, and headers that never end, with a
 * query token of its own tenant (a hostile tenant, not an anonymous one). Prints one
 * line per answer ("what STATUS"). Uses the JDK and {@link RawHttp} only, so it runs as nobody
 * from a copy of the test classes.
 */
public final class HostileClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String h = "Host: x\r\nAuthorization: Bearer " + args[1] + "\r\n";
        String evil = "GET /api/v1/flamegraph?service=re&type=cpu&from=1600000000000&until=1800000000000"
                + "&labels=k%3D~((a%2B)%2B)%2Bx HTTP/1.1\r\n" + h + "\r\n";
        List<CompletableFuture<Integer>> regex = new ArrayList<>();
        for (int i = 0; i < 2; i++) regex.add(CompletableFuture.supplyAsync(() -> status(port, evil, 60_000)));
        for (CompletableFuture<Integer> f : regex) System.out.println("regex " + f.get(90, TimeUnit.SECONDS));
        System.out.println("services " + status(port, "GET /api/v1/services HTTP/1.1\r\n" + h + "\r\n", 30_000));
        System.out.println("search-regex "
                + status(
                        port,
                        "GET /api/v1/functions?service=re&type=cpu&from=1600000000000&until=1800000000000"
                                + "&search=((a%2B)%2B)%2Bx&regex=true&limit=1 HTTP/1.1\r\n" + h + "\r\n",
                        30_000));
        System.out.println(
                "escape " + status(port, "GET /api/v1/services?service=a%ZZ HTTP/1.1\r\n" + h + "\r\n", 30_000));
        System.out.println("pyroscope-parts " + status(port, manyParts(h, 2000), 30_000));
        System.out.println("endless-headers " + status(port, "GET /api/v1/services HTTP/1.1\r\n" + h, 30_000));
    }

    /** A Pyroscope multipart upload of {@code n} tiny parts: the collector's part limit refuses it. */
    static String manyParts(String h, int n) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++)
            body.append("--b\r\nContent-Disposition: form-data; name=\"p")
                    .append(i)
                    .append("\"\r\n\r\nx\r\n");
        body.append("--b--\r\n");
        return "POST /ingest?name=hostile&format=pprof HTTP/1.1\r\n" + h
                + "Content-Type: multipart/form-data; boundary=b\r\n" + "Content-Length: " + body.length() + "\r\n\r\n"
                + body;
    }

    /** The answer's status; 0 when the collector closed without one, -1 when nothing came in time. */
    static int status(int port, String request, int timeoutMs) {
        try (RawHttp h = new RawHttp(port)) {
            RawHttp.Answer a = h.send(request).read(timeoutMs);
            return a == null ? 0 : a.status();
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        } catch (Exception e) {
            return -2;
        }
    }
}
