package dev.hearth.collector.storage;

import java.nio.file.Path;

/** Where a collector keeps its profiles: what {@code --store} names. */
public sealed interface StoreLocation {
    /** Opens (or creates) the store; {@code queueCapacity} bounds the writes that may wait. */
    ProfileStore open(int queueCapacity) throws Exception;

    /** The embedded DuckDB file in a data directory. */
    record DuckDb(Path dir) implements StoreLocation {
        @Override
        public ProfileStore open(int queueCapacity) throws Exception {
            return DuckDbStore.open(dir, queueCapacity);
        }

        @Override
        public String toString() {
            return "DuckDB in " + dir.toAbsolutePath();
        }
    }
}
