package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools tests compare against (gcc, objcopy, nm, readelf, c++filt). */
final class Tools {
    private Tools() {}

    static String run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, null);
    }

    static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(stdin == null).start();
        if (stdin != null) {
            Thread feeder = new Thread(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the tool stopped reading; its exit code tells
                }
            });
            feeder.start();
        } else {
            p.getOutputStream().close();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed: " + out);
        return out;
    }

    /** The symbol's value (ELF virtual address) as nm prints it. */
    static long nmValue(Path binary, String symbol) throws Exception {
        for (String line : run(List.of("nm", binary.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(symbol)) return Long.parseUnsignedLong(f[0], 16);
        }
        throw new AssertionError(symbol + " not in nm output of " + binary);
    }

    static String buildId(Path binary) throws Exception {
        for (String line : run(List.of("readelf", "-n", binary.toString())).split("\n")) {
            if (line.contains("Build ID:"))
                return line.substring(line.indexOf(':') + 1).trim();
        }
        return null;
    }
}
