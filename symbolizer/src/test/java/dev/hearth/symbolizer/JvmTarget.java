package dev.hearth.symbolizer;

import dev.hearth.symbolizer.jvmapp.Shop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A running JVM with the test workload, and jcmd's Compiler.codelist as an independent source of JIT addresses. */
final class JvmTarget implements AutoCloseable {
    final Path javaHome;
    final Process process;
    final int pid;

    private JvmTarget(Path javaHome, Process process, int pid) {
        this.javaHome = javaHome;
        this.process = process;
        this.pid = pid;
    }

    static JvmTarget start(Path javaHome, String... jvmOptions) throws Exception {
        return start(javaHome, List.of(), jvmOptions);
    }

    /** Starts the JVM under {@code wrapper} (such as unshare); the pid is then the JVM's, found among the wrapper's descendants. */
    static JvmTarget start(Path javaHome, List<String> wrapper, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(javaHome.resolve("bin/java").toString(), "-XX:+PreserveFramePointer"));
        cmd.addAll(List.of(jvmOptions));
        String classes = Path.of(Shop.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        cmd.addAll(List.of("-cp", classes, Shop.class.getName()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(first)) throw new IllegalStateException("workload did not start: " + first);
        int pid = wrapper.isEmpty()
                ? (int) p.pid()
                : (int) p.descendants()
                        .filter(h ->
                                h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no JVM under " + wrapper))
                        .pid();
        return new JvmTarget(javaHome, p, pid);
    }

    void send(String line) throws Exception {
        OutputStream out = process.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * An address inside the code of the newest in-use C2 (tier 4) compilation of {@code method}
     * ("Shop.checkout"), waiting for it to be compiled. Compiler.codelist does not touch the perf map file.
     */
    long compiledAddress(String method, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            String out = Tools.run(
                    List.of(javaHome.resolve("bin/jcmd").toString(), Integer.toString(pid), "Compiler.codelist"));
            long found = 0;
            for (String line : out.split("\n")) {
                // 7 4 0 dev.hearth...Shop.checkout(J)J [0xblob, 0xcode - 0xend]
                String[] f = line.trim().split("\\s+");
                if (f.length < 8 || !f[1].equals("4") || !f[2].equals("0") || !f[3].contains(method + "(")) continue;
                long code = Long.parseUnsignedLong(f[5].replace("0x", "").replace(",", ""), 16);
                long end = Long.parseUnsignedLong(f[7].replace("0x", "").replace("]", ""), 16);
                found = code + Math.min(16, (end - code) / 2);
            }
            if (found != 0) return found;
            Thread.sleep(200);
        }
        throw new AssertionError(method + " was not compiled by C2 in time");
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the workload exits when stdin closes
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
            process.destroyForcibly().waitFor();
        java.nio.file.Files.deleteIfExists(Path.of("/tmp/perf-" + pid + ".map"));
    }
}
