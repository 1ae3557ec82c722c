package dev.hearth.collector.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB file in the data directory. DuckDB is in-process: one database instance,
 * and one connection per thread that uses it (connections are not thread-safe).
 */
public final class Database implements AutoCloseable {
    public static final String FILE = "hearth.duckdb";

    private final Path file;
    private final DuckDBConnection root;
    private final List<Connection> opened = new ArrayList<>();
    private final ThreadLocal<Connection> perThread = ThreadLocal.withInitial(this::newConnection);

    private Database(Path file, DuckDBConnection root) {
        this.file = file;
        this.root = root;
    }

    public static Database open(Path dataDir) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        try (Statement s = root.createStatement()) {
            for (String ddl : Schema.TABLES) s.execute(ddl);
            for (String ddl : Schema.MIGRATIONS) s.execute(ddl);
            s.execute("SET threads = " + queryThreads());
        }
        return new Database(file, root);
    }

    /**
     * DuckDB's own threads: half the cores. With a thread per core, every small statement of the
     * writer (an append, a commit) hands its tasks across threads, which on two cores cost the
     * writer a third more CPU than running them itself, and took CPU from decoding; a merge still
     * scans in parallel where there are cores to spare.
     */
    static int queryThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** A new connection for a thread that keeps it (the writer). */
    public synchronized Connection newConnection() {
        try {
            Connection c = root.duplicate();
            opened.add(c);
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a DuckDB connection: " + e.getMessage(), e);
        }
    }

    /** This thread's own connection (query threads). */
    Connection connection() {
        return perThread.get();
    }

    /** Size on disk of the database and its write-ahead log. */
    public long bytesOnDisk() throws IOException {
        long n = Files.size(file);
        Path wal = file.resolveSibling(file.getFileName() + ".wal");
        if (Files.exists(wal)) n += Files.size(wal);
        return n;
    }

    /** Flushes the write-ahead log into the database file (for size measurements). */
    public void checkpoint() throws SQLException {
        try (Statement s = newStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Row counts of every table, for tests and benchmarks. */
    public long count(String table) throws SQLException {
        if (!table.matches("[a-z_]+")) throw new IllegalArgumentException(table);
        try (Statement s = newStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private synchronized Statement newStatement() throws SQLException {
        return root.createStatement();
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    interface Row {
        void read(ResultSet r) throws SQLException;
    }

    static void query(Connection c, String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) row.read(r);
        }
    }

    /** A query the deadline can cancel; past it, throws {@link QueryDeadline.Exceeded}. */
    static void query(Connection c, String sql, QueryDeadline deadline, Row row) throws SQLException {
        deadline.check();
        try (Statement s = c.createStatement()) {
            deadline.running(s);
            deadline.check(); // expired between the first check and now: cancel() may have missed s
            int seconds = deadline.remainingSeconds();
            if (seconds > 0) s.setQueryTimeout(seconds); // DuckDB's own timer, a backstop to cancel()
            try (ResultSet r = s.executeQuery(sql)) {
                for (int n = 0; r.next(); n++) {
                    if ((n & 1023) == 0) deadline.check();
                    row.read(r);
                }
            } catch (SQLException e) {
                deadline.check(); // a cancelled statement fails with DuckDB's "interrupted"
                throw e;
            } finally {
                deadline.running(null);
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        for (Connection c : opened) c.close();
        opened.clear();
        root.close();
    }
}
