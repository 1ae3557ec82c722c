package dev.hearth.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test program from resources/unwind, compiled with the flags a test names and started; its
 * functions' runtime address ranges come from nm and /proc/PID/maps, so tests can tell which
 * functions a raw stack passes through without the symbolizer under test.
 */
final class NativeProgram implements AutoCloseable {
    static final String RT_PRIORITY = "10";

    private final Process process;
    private final Path binary;
    private final Map<String, long[]> functions = new HashMap<>();

    private NativeProgram(Process process, Path binary) {
        this.process = process;
        this.binary = binary;
    }

    /** Compiles resources/unwind/{@code source} into {@code dir} with gcc or g++ and these flags. */
    static Path compile(Path dir, String source, String... flags) throws IOException, InterruptedException {
        Path src = dir.resolve(source);
        try (InputStream in = NativeProgram.class.getResourceAsStream("/unwind/" + source)) {
            Files.copy(in, src);
        }
        Path exe = dir.resolve(source.substring(0, source.lastIndexOf('.')));
        List<String> cmd = new ArrayList<>(List.of(source.endsWith(".cpp") ? "g++" : "gcc", "-g", "-pthread"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", exe.toString(), src.toString()));
        Process cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cc.waitFor() != 0) throw new IllegalStateException("compiling " + source + " failed: " + log);
        return exe;
    }

    /**
     * Starts the program under SCHED_FIFO (a loaded machine neither delays nor shares its CPU), above
     * the priority 1 other tests spin at, and waits for "ready".
     */
    static NativeProgram start(Path exe, double seconds) throws IOException {
        Process p = new ProcessBuilder(
                        "chrt", "-f", NativeProgram.RT_PRIORITY, exe.toString(), Double.toString(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException(exe + " did not start: " + line);
        }
        return new NativeProgram(p, exe);
    }

    int pid() {
        return (int) process.pid();
    }

    Path binary() {
        return binary;
    }

    boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** [start, end) of function {@code name} of the program in this process */
    synchronized long[] function(String name) throws IOException, InterruptedException {
        if (functions.isEmpty()) {
            Process nm = new ProcessBuilder("nm", "-S", binary.toString()).start();
            String syms = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            nm.waitFor();
            long base = loadBase();
            for (String line : syms.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && (f[2].equalsIgnoreCase("t"))) {
                    long start = base + Long.parseUnsignedLong(f[0], 16);
                    functions.put(f[3], new long[] {start, start + Long.parseUnsignedLong(f[1], 16)});
                }
            }
        }
        long[] r = functions.get(name);
        if (r == null) throw new IllegalStateException("no function " + name + " in " + binary);
        return r;
    }

    /** the name of the program's function holding {@code addr}, or null when it is elsewhere */
    String functionAt(long addr) throws IOException, InterruptedException {
        function("main");
        for (Map.Entry<String, long[]> e : functions.entrySet()) {
            if (addr >= e.getValue()[0] && addr < e.getValue()[1]) return e.getKey();
        }
        return null;
    }

    /** [start, end) of the executable mapping of the library whose file name starts with {@code prefix} */
    long[] library(String prefix) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/maps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6
                    && f[1].charAt(2) == 'x'
                    && Path.of(f[5]).getFileName().toString().startsWith(prefix)) {
                String[] r = f[0].split("-");
                return new long[] {Long.parseUnsignedLong(r[0], 16), Long.parseUnsignedLong(r[1], 16)};
            }
        }
        throw new IllegalStateException("no executable mapping of " + prefix + "* in " + pid());
    }

    private long loadBase() throws IOException {
        String self = binary.toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/maps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[5].equals(self) && Long.parseLong(f[2], 16) == 0) {
                return Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
            }
        }
        throw new IllegalStateException("no mapping of " + self + " in /proc/" + pid() + "/maps");
    }

    static boolean contains(long[] stack, long[] range) {
        for (long a : stack) if (a >= range[0] && a < range[1]) return true;
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
