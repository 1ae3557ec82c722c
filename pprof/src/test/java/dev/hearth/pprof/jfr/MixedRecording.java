package dev.hearth.pprof.jfr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** One recording of {@link MixedWorkload} on JDK 17, made once and shared by the test classes. */
record MixedRecording(Path dir, Path file, long allocatedBytes) {
    static final String OPTIONS = "event=cpu,interval=5ms,alloc=512k,lock=10ms";
    private static MixedRecording instance;

    static synchronized MixedRecording get() throws Exception {
        if (instance != null) return instance;
        Path dir = Files.createTempDirectory("hearth-jfr-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Path file = dir.resolve("mixed.jfr");
        String out = Recordings.record(
                Recordings.defaultJava(), dir, OPTIONS, file, List.of(), MixedWorkload.class.getName(), "800", "6000");
        long bytes = Long.parseLong(out.lines()
                .filter(l -> l.startsWith("allocated "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no allocation total in: " + out))
                .substring(10)
                .trim());
        return instance = new MixedRecording(dir, file, bytes);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
