package dev.hearth.collector;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Posts OTLP request bodies from files to /v1development/profiles as an unprivileged user would,
 * then asks for the services: one line per answer ("FILE STATUS"). Uses the JDK and
 * {@link RawHttp} only, so it runs as nobody from a copy of the test classes.
 */
public final class OtlpHostileClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String auth = "Host: x\r\nAuthorization: Bearer " + args[1] + "\r\n";
        for (int i = 2; i < args.length; i++) {
            byte[] body = Files.readAllBytes(Path.of(args[i]));
            String head = "POST /v1development/profiles HTTP/1.1\r\n" + auth
                    + "Content-Type: application/x-protobuf\r\nContent-Length: " + body.length + "\r\n\r\n";
            try (RawHttp h = new RawHttp(port)) {
                RawHttp.Answer a = h.send(head.getBytes(StandardCharsets.ISO_8859_1))
                        .send(body)
                        .read(60_000);
                System.out.println(Path.of(args[i]).getFileName() + " " + (a == null ? 0 : a.status()));
            }
        }
        System.out.println(
                "services " + HostileClient.status(port, "GET /api/v1/services HTTP/1.1\r\n" + auth + "\r\n", 30_000));
    }
}
