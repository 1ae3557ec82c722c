package dev.hearth.collector.storage;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ClickHouse's HTTP interface, which every version speaks (the one we test with is from 2018): a
 * statement in the body and TabSeparated back, or an INSERT in the URL and {@link RowBinary} rows
 * in the body. The JDK's client is enough for that; an answer other than 200 is the statement's
 * failure, with ClickHouse's message.
 */
final class ClickHouseHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Writes and DDL have no query deadline; this bounds a hung server. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_QUERY_BYTES = 16 << 20;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String authorization;
    private final String database;

    ClickHouseHttp(ClickHouseCredentials credentials, String database) {
        this.authorization = credentials.basicAuthorization();
        this.database = database;
    }

    /** Runs a statement on a server; returns its rows (TabSeparated, fields still escaped). */
    List<String[]> query(URI server, String sql, QueryDeadline deadline) throws SQLException {
        deadline.check();
        Duration timeout =
                deadline == QueryDeadline.NONE ? WRITE_TIMEOUT : Duration.ofSeconds(deadline.remainingSeconds());
        // max_query_size: a selection's series and a stack chunk's ids go into the SQL text as IN lists
        String body = send(
                server,
                "database=" + database + "&max_execution_time=" + timeout.toSeconds() + "&max_query_size="
                        + MAX_QUERY_BYTES,
                HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8),
                timeout,
                deadline);
        List<String[]> rows = new ArrayList<>();
        int start = 0;
        while (start < body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) end = body.length();
            rows.add(body.substring(start, end).split("\t", -1));
            start = end + 1;
        }
        return rows;
    }

    /** Runs a statement that returns nothing (DDL, INSERT … SELECT), on a server, in the default database. */
    void execute(URI server, String sql) throws SQLException {
        send(
                server,
                "max_query_size=" + MAX_QUERY_BYTES, // downsampling's INSERT … SELECT lists a step's member ids
                HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8),
                WRITE_TIMEOUT,
                QueryDeadline.NONE);
    }

    /**
     * Inserts rows into a table; returns once the server has written them (into every shard's local
     * table when the table is Distributed: insert_distributed_sync).
     */
    void insert(URI server, String table, RowBinary rows) throws SQLException {
        String q = "INSERT INTO " + table + " FORMAT RowBinary";
        send(
                server,
                "database=" + database + "&insert_distributed_sync=1&query="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofByteArray(rows.buffer(), 0, rows.size()),
                WRITE_TIMEOUT,
                QueryDeadline.NONE);
    }

    private String send(
            URI server, String params, HttpRequest.BodyPublisher body, Duration timeout, QueryDeadline deadline)
            throws SQLException {
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/?" + params))
                .timeout(timeout)
                .header("Authorization", authorization)
                .POST(body)
                .build();
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.http.HttpTimeoutException e) {
            deadline.check();
            throw new SQLException(
                    "ClickHouse at " + server + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new SQLException("cannot reach ClickHouse at " + server + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for ClickHouse at " + server, e);
        }
        String text = r.body();
        if (r.statusCode() != 200) {
            deadline.check();
            String message = text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
            throw new SQLException("ClickHouse at " + server + " answered " + r.statusCode() + ": " + message.strip());
        }
        return text;
    }
}
