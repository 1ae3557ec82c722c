package dev.hearth.bpf;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads one BPF hash map in batches (one syscall per {@code chunk} entries), optionally deleting.
 * The batch buffers and their views are made once and visited in place.
 */
final class HashMapReader implements AutoCloseable {
    private static final int ENOENT = 2;

    interface Entry {
        /**
         * One entry: its key at {@code keyAt} in {@code keys}, its value at {@code valueAt} in
         * {@code values} (little-endian views of the batch, valid during the call). Offsets, not a
         * slice per entry: a drain visits tens of thousands of entries.
         */
        void accept(ByteBuffer keys, int keyAt, ByteBuffer values, int valueAt);
    }

    private final int fd;
    private final int keySize;
    private final int valueSize;
    private final int chunk;
    private final Memory keys;
    private final Memory values;
    private final ByteBuffer keyView;
    private final ByteBuffer valueView;
    private final Memory in = new Memory(8);
    private final Memory out = new Memory(8);
    private final Memory count = new Memory(4);

    HashMapReader(int fd, int keySize, int valueSize, int chunk) {
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.chunk = chunk;
        this.keys = new Memory((long) chunk * keySize);
        this.values = new Memory((long) chunk * valueSize);
        this.keyView = keys.getByteBuffer(0, keys.size()).order(ByteOrder.LITTLE_ENDIAN);
        this.valueView = values.getByteBuffer(0, values.size()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Visits every entry; with {@code delete}, each batch is removed atomically as it is read. */
    int forEach(boolean delete, Entry visitor) {
        int total = 0;
        boolean first = true;
        while (true) {
            count.setInt(0, chunk);
            // hash maps page by bucket index: a u32 cursor
            int err = delete
                    ? LibBpf.bpf_map_lookup_and_delete_batch(fd, first ? null : in, out, keys, values, count, null)
                    : LibBpf.bpf_map_lookup_batch(fd, first ? null : in, out, keys, values, count, null);
            if (err < 0 && err != -ENOENT) {
                throw new BpfException("reading BPF map (fd " + fd + ") failed: " + LibC.errorName(-err));
            }
            int n = count.getInt(0);
            for (int i = 0; i < n; i++) {
                visitor.accept(keyView, i * keySize, valueView, i * valueSize);
            }
            total += n;
            if (err == -ENOENT) {
                return total;
            }
            in.setLong(0, out.getLong(0));
            first = false;
        }
    }

    @Override
    public void close() {
        keys.close();
        values.close();
        in.close();
        out.close();
        count.close();
    }
}
