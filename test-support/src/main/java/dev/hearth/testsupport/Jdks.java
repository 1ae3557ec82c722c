package dev.hearth.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * JDKs installed on this machine, found by the {@code JAVA_VERSION} of their {@code release} file,
 * not by a path written into a test: the running JVM's home, the homes next to it, and
 * /usr/lib/jvm. The first match in name order wins.
 */
public final class Jdks {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Jdks() {}

    /** The home of an installed JDK of this feature release (17, 25, …), if there is one. */
    public static Optional<Path> find(int feature) {
        for (Path home : candidates()) {
            if (feature(home) == feature && Files.isExecutable(home.resolve("bin/java"))) return Optional.of(home);
        }
        return Optional.empty();
    }

    /** The home of a JDK of this feature release; a test that needs one skips without it outside CI and fails in CI. */
    public static Path require(int feature) {
        Optional<Path> home = find(feature);
        if (home.isEmpty()) {
            String where = "no JDK " + feature + " next to " + System.getProperty("java.home") + " or in /usr/lib/jvm";
            if (System.getenv("CI") != null) throw new IllegalStateException(where);
            assumeTrue(false, "skipped: " + where);
        }
        return home.get();
    }

    /** The java launcher of a JDK of this feature release, as {@link #require}. */
    public static String java(int feature) {
        return require(feature).resolve("bin/java").toString();
    }

    private static List<Path> candidates() {
        TreeSet<Path> out = new TreeSet<>();
        Path running = Path.of(System.getProperty("java.home"));
        out.add(running);
        for (Path dir : new Path[] {running.getParent(), Path.of("/usr/lib/jvm")}) {
            if (dir == null || !Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isDirectory).forEach(out::add);
            } catch (IOException e) {
                // unreadable: nothing found there
            }
        }
        return new ArrayList<>(out);
    }

    private static int feature(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
