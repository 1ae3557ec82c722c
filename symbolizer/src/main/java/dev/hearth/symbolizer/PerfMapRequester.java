package dev.hearth.symbolizer;

import java.io.IOException;

/**
 * Asks a JVM to write its perf map ({@code /tmp/perf-N.map} in its own namespace). The symbolizer
 * only reads maps; attaching to and signalling processes is the caller's job (the agent's).
 */
public interface PerfMapRequester {
    /** Whether process {@code pid} may be asked at all (attach allowed, SIGQUIT handled); asked once per process. */
    boolean canAsk(int pid);

    /** Asks the JVM to write its map now; IOException when it did not. */
    void request(int pid) throws IOException;

    /** Never asks: only maps written by someone else are read. */
    PerfMapRequester NONE = new PerfMapRequester() {
        @Override
        public boolean canAsk(int pid) {
            return false;
        }

        @Override
        public void request(int pid) throws IOException {
            throw new IOException("no perf map requester");
        }
    };
}
