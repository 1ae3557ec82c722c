package dev.hearth.agent.ship;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command proves itself to the collector and checks the collector's certificate: one set of flags for the agent and query. */
public final class CollectorCredentials {
    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "a private file (mode 600) whose first line is the collector token (the agent needs the ingest scope,"
                            + " query the query scope); re-read when it changes")
    Path tokenFile;

    @Option(
            names = "--ca-file",
            paramLabel = "FILE",
            description = "PEM certificates to trust for an https:// collector (default: the system's trust store)")
    Path caFile;

    /** The token of --token-file, or null without one. */
    public BearerToken token() {
        return tokenFile == null ? null : BearerToken.read(tokenFile);
    }

    /** The certificates to trust, or null for the system's. */
    public Path caFile() {
        return caFile;
    }
}
