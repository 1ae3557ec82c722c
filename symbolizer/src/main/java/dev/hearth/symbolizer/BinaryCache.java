package dev.hearth.symbolizer;

import dev.hearth.symbolizer.safefs.SafeFile;
import dev.hearth.symbolizer.safefs.UnsafeFileException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Symbol tables, one per binary, shared by every process mapping it. A binary is known by its
 * build-id (so copies in different containers share a table), or by device and inode when it has
 * none. Least recently used tables are dropped beyond the bound.
 */
final class BinaryCache {
    private static final long RETRY_UNREADABLE_NANOS = 10_000_000_000L;

    private final Map<String, BinarySymbols> tables;
    private final Map<String, String> keyOfFile; // dev:inode -> table key
    private final Map<String, Long> unreadableSince; // dev:inode -> when opening last failed
    private long loads;
    private long refused;
    private long badBinaries;
    private long generation;

    BinaryCache(int maxTables) {
        tables = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BinarySymbols> eldest) {
                if (size() <= maxTables) return false;
                generation++;
                return true;
            }
        };
        keyOfFile = lru(maxTables * 8);
        unreadableSince = lru(maxTables * 8);
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** The symbols of the file behind mapping {@code m} of process {@code pid}; UNREADABLE if it cannot be opened. */
    BinarySymbols get(Path proc, int pid, Mapping m) {
        String fileKey = m.fileKey();
        String key = keyOfFile.get(fileKey);
        if (key != null) {
            BinarySymbols t = tables.get(key);
            if (t != null) return t;
        }
        Long failed = unreadableSince.get(fileKey);
        if (failed != null && System.nanoTime() - failed < RETRY_UNREADABLE_NANOS) return BinarySymbols.UNREADABLE;
        try (SafeFile file = ProcessFiles.open(proc, pid, m)) {
            Path p = file.path();
            if (key == null) {
                String id = BinaryLoader.buildId(p);
                key = id != null ? "build-id:" + id : "file:" + fileKey;
                keyOfFile.put(fileKey, key);
                BinarySymbols t = tables.get(key);
                if (t != null) return t;
            }
            BinarySymbols t = BinaryLoader.load(p, m.path(), ProcessFiles.root(proc, pid));
            loads++;
            if (t.partial()) badBinaries++;
            tables.put(key, t);
            unreadableSince.remove(fileKey);
            return t;
        } catch (UnsafeFileException e) {
            refused++; // not a regular file, or too large: never read
        } catch (FileSystemException e) {
            // gone, or not ours to read
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // not ELF, malformed, or built to exhaust its reader (each allocation is bounded, so an
            // OutOfMemoryError here is one bounded allocation that did not fit): counted once, and
            // not tried again for a while
            badBinaries++;
        }
        unreadableSince.put(fileKey, System.nanoTime());
        return BinarySymbols.UNREADABLE;
    }

    int size() {
        return tables.size();
    }

    /** Changes whenever a table leaves the cache: a table remembered elsewhere is still cached while it stays. */
    long generation() {
        return generation;
    }

    long loads() {
        return loads;
    }

    /** Mapped files refused unread: not a regular file, or too large. */
    long refused() {
        return refused;
    }

    /** Binaries that could not be read as ELF, or only in part (malformed, or past a bound). */
    long badBinaries() {
        return badBinaries;
    }

    long bytes() {
        long sum = 0;
        for (BinarySymbols t : tables.values()) sum += t.bytes();
        return sum;
    }

    void clear() {
        generation++;
        tables.clear();
        keyOfFile.clear();
        unreadableSince.clear();
    }
}
