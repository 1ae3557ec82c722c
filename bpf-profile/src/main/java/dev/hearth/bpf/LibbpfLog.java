package dev.hearth.bpf;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives libbpf's messages instead of letting it print to stderr: all go to the logger at DEBUG
 * level, and the recent warnings and notes (not debug lines) are kept so that a failure can quote
 * what libbpf and the verifier said.
 */
final class LibbpfLog {
    private static final int LEVEL_DEBUG = 2;
    private static final int KEEP = 200;
    private static final System.Logger LOG = System.getLogger("dev.hearth.bpf.libbpf");
    private static final ArrayDeque<String> RECENT = new ArrayDeque<>();
    private static long written;
    /** strongly held: libbpf keeps only the native pointer */
    private static final LibBpf.PrintFn CALLBACK = LibbpfLog::print;

    static {
        LibBpf.libbpf_set_print(CALLBACK);
    }

    private LibbpfLog() {}

    /** Returns a mark to pass to {@link #tail}; the first call installs the callback. */
    static synchronized long mark() {
        return written;
    }

    /** The messages logged after {@code mark}, oldest first. */
    static synchronized List<String> since(long mark) {
        int n = (int) Math.min(RECENT.size(), written - mark);
        List<String> all = new ArrayList<>(RECENT);
        return all.subList(all.size() - n, all.size());
    }

    /** The last lines after {@code mark}, joined, for an exception message. */
    static String tail(long mark, int lines) {
        List<String> s = since(mark);
        List<String> last = s.subList(Math.max(0, s.size() - lines), s.size());
        return last.isEmpty() ? "" : "\nlibbpf said:\n  " + String.join("\n  ", last);
    }

    private static int print(int level, Pointer format, Pointer args) {
        try {
            byte[] buf = new byte[1024];
            int n = LibC.vsnprintf(buf, buf.length, format, args);
            String line = new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8)
                    .stripTrailing();
            if (line.isEmpty()) {
                return 0;
            }
            LOG.log(System.Logger.Level.DEBUG, line);
            if (level == LEVEL_DEBUG) {
                return 0;
            }
            synchronized (LibbpfLog.class) {
                if (RECENT.size() == KEEP) {
                    RECENT.removeFirst();
                }
                RECENT.addLast(line);
                written++;
            }
        } catch (Throwable t) {
            // never let an exception unwind into libbpf
        }
        return 0;
    }
}
