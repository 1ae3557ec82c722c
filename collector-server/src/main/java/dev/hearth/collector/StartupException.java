package dev.hearth.collector;

import dev.hearth.collector.storage.DuckDbStore;
import dev.hearth.collector.storage.StoreLocation;
import java.nio.file.Path;

/** Why the collector cannot start, as one line naming the port or file and what to do. */
public final class StartupException extends Exception {
    private StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    static StartupException cannotListen(String host, int port, Throwable e) {
        return new StartupException(
                "cannot listen on " + host + ":" + port + " (" + reason(e) + "): stop what uses the port,"
                        + " or choose another with --port (and --host)",
                e);
    }

    static StartupException cannotOpenStore(StoreLocation store, Throwable e) {
        if (store instanceof StoreLocation.DuckDb d) return cannotOpenDatabase(DuckDbStore.file(d.dir()), e);
        return new StartupException(
                "cannot open the store, " + store + " (" + reason(e) + "): check that the servers run and answer"
                        + " on those URLs, the cluster and its shards in their remote_servers, and the user (--store-credentials)",
                e);
    }

    static StartupException cannotOpenDatabase(Path file, Throwable e) {
        String reason = reason(e);
        String todo = reason.contains("lock")
                ? "another collector uses this data directory: stop it, or choose another with --data"
                : "if the file is damaged, move it away (or restore a backup) and the collector starts with an empty one,"
                        + " or choose another directory with --data";
        return new StartupException(
                "cannot open the database " + file.toAbsolutePath() + " (" + reason + "): " + todo, e);
    }

    /** The root cause's message on one line. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m =
                root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return m.replaceAll("\\s+", " ").trim();
    }
}
