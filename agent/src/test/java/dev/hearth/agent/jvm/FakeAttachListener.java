package dev.hearth.agent.jvm;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An attacker's stand-in for a JVM's attach socket: listens on the path given (mode 0600, like
 * HotSpot's), prints "ready", then "connected" for every client that connects.
 */
public final class FakeAttachListener {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            System.out.println("ready");
            for (; ; ) {
                try (SocketChannel c = server.accept()) {
                    System.out.println("connected");
                }
            }
        }
    }
}
