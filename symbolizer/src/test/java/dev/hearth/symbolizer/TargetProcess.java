package dev.hearth.symbolizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The compiled test target, running: its pid and the addresses it printed of its own functions. */
final class TargetProcess implements AutoCloseable {
    final Process process;
    final int pid;
    final long alpha, beta, local, getpid, vdsoClock, jitPage;

    private TargetProcess(Process process, String line) {
        this.process = process;
        String[] f = line.trim().split(" ");
        pid = Integer.parseInt(f[0]);
        alpha = addr(f[1]);
        beta = addr(f[2]);
        local = addr(f[3]);
        getpid = addr(f[4]);
        vdsoClock = f[5].equals("(nil)") ? 0 : addr(f[5]);
        jitPage = addr(f[6]);
    }

    private static long addr(String s) {
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    static TargetProcess start(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new IllegalStateException("target printed nothing: " + command);
        return new TargetProcess(p, line);
    }

    static TargetProcess start(Path binary) throws Exception {
        return start(List.of(binary.toString()));
    }

    void stop() throws Exception {
        process.getOutputStream().close();
        process.waitFor();
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor();
    }
}
