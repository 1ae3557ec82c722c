package dev.hearth.bpf;

import com.sun.jna.Memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads a BPF hash map in batches (one syscall per few thousand entries), optionally deleting. */
final class HashMapReader {
    private static final int ENOENT = 2;
    private static final int CHUNK = 4096;

    interface Entry {
        /** key and value are little-endian buffers positioned at this entry's bytes */
        void accept(ByteBuffer key, ByteBuffer value);
    }

    private HashMapReader() {
    }

    /** Visits every entry; with {@code delete}, each batch is removed atomically as it is read. */
    static int forEach(int fd, int keySize, int valueSize, boolean delete, Entry visitor) {
        int total = 0;
        try (Memory keys = new Memory((long) CHUNK * keySize);
             Memory values = new Memory((long) CHUNK * valueSize);
             Memory in = new Memory(Math.max(8, keySize));
             Memory out = new Memory(Math.max(8, keySize));
             Memory count = new Memory(4)) {
            boolean first = true;
            byte[] k = new byte[CHUNK * keySize];
            byte[] v = new byte[CHUNK * valueSize];
            while (true) {
                count.setInt(0, CHUNK);
                int err = delete
                        ? LibBpf.bpf_map_lookup_and_delete_batch(fd, first ? null : in, out, keys, values, count, null)
                        : LibBpf.bpf_map_lookup_batch(fd, first ? null : in, out, keys, values, count, null);
                if (err < 0 && err != -ENOENT) {
                    throw new BpfException("reading BPF map (fd " + fd + ") failed: " + LibC.errorName(-err));
                }
                int n = count.getInt(0);
                keys.read(0, k, 0, n * keySize);
                values.read(0, v, 0, n * valueSize);
                ByteBuffer kb = ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer vb = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    visitor.accept(kb.position(i * keySize).slice().order(ByteOrder.LITTLE_ENDIAN),
                            vb.position(i * valueSize).slice().order(ByteOrder.LITTLE_ENDIAN));
                }
                total += n;
                if (err == -ENOENT) {
                    return total;
                }
                in.write(0, out.getByteArray(0, (int) out.size()), 0, (int) out.size());
                first = false;
            }
        }
    }
}
