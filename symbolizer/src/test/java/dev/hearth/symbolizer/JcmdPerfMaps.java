package dev.hearth.symbolizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The symbolizer's tests ask JVMs for their perf maps with the JDK's own jcmd (the agent has its own
 * attach client); a JVM started with attach disabled is not asked.
 */
final class JcmdPerfMaps implements PerfMapRequester {
    private final Path jcmd;

    JcmdPerfMaps(Path javaHome) {
        this.jcmd = javaHome.resolve("bin/jcmd");
    }

    @Override
    public boolean canAsk(int pid) {
        try {
            String cmdline =
                    Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1);
            return !List.of(cmdline.split("\0")).contains("-XX:+DisableAttachMechanism");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void request(int pid) throws IOException {
        try {
            Tools.run(List.of(jcmd.toString(), Integer.toString(pid), "Compiler.perfmap"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (AssertionError e) {
            throw new IOException(e.getMessage());
        }
    }
}
