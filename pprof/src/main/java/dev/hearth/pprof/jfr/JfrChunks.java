package dev.hearth.pprof.jfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the chunk headers of a recording (a JFR file is chunks back to back, each starting with
 * "FLR\0", a version and its own size) to find how many leading bytes hold whole chunks. The
 * consumer API refuses a file whose last chunk is cut short (a JVM that died mid-write), so the
 * whole chunks before it are read on their own.
 */
final class JfrChunks {
    private static final int HEADER = 16;
    private static final int MAGIC = 0x464c5200;

    private JfrChunks() {}

    /** Bytes from the start of {@code file} that are complete chunks; 0 when the first is not. */
    static long completePrefix(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                if (ch.read(header, pos) < HEADER) break;
                header.flip();
                if (header.getInt(0) != MAGIC) break;
                long chunkSize = header.getLong(8);
                if (chunkSize < HEADER || chunkSize > size - pos) break;
                pos += chunkSize;
            }
            return pos;
        }
    }

    static boolean startsWithMagic(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            return ch.read(head, 0) == 4 && head.getInt(0) == MAGIC;
        }
    }
}
