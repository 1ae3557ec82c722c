package dev.hearth.agent.ship;

/** Sends one upload and says what became of it; never throws for network trouble. */
public interface Transport extends AutoCloseable {
    Outcome send(Upload upload);

    @Override
    default void close() {}
}
