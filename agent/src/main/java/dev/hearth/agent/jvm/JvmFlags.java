package dev.hearth.agent.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Boolean {@code -XX:±Name} flags of a running HotSpot JVM as it reads them: from
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, the command line and {@code _JAVA_OPTIONS}
 * in that order, the last one winning.
 */
final class JvmFlags {
    /** Where HotSpot reads options besides the command line, in the order it applies them ("" is the command line). */
    private static final List<String> OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "", "_JAVA_OPTIONS");

    private JvmFlags() {}

    /** The flag's value in the process at {@code pidDir}; empty when no option sets it (HotSpot's default holds). */
    static Optional<Boolean> bool(Path pidDir, String name) throws IOException {
        List<String> environ = nulSeparated(pidDir.resolve("environ"));
        List<String> cmdline = nulSeparated(pidDir.resolve("cmdline"));
        Boolean value = null;
        for (String variable : OPTION_VARIABLES) {
            List<String> words = variable.isEmpty() ? cmdline : variableWords(environ, variable);
            for (String w : words) {
                if (w.equals("-XX:+" + name)) value = true;
                if (w.equals("-XX:-" + name)) value = false;
            }
        }
        return Optional.ofNullable(value);
    }

    private static List<String> variableWords(List<String> environ, String name) {
        for (String e : environ) {
            if (e.startsWith(name + "="))
                return List.of(e.substring(name.length() + 1).trim().split("\\s+"));
        }
        return List.of();
    }

    private static List<String> nulSeparated(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String s : new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\0")) {
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
