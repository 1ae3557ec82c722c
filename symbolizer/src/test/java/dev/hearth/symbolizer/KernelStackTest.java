package dev.hearth.symbolizer;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.pprof.FrameKind;
import dev.hearth.pprof.StackFrame;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel stacks of a process sampled inside read(2), by perf; our names must match the ones perf gives. */
class KernelStackTest {
    @Test
    void kernelFramesOfAProcessInASyscallMatchPerf(@TempDir Path dir) throws Exception {
        Privileges.assumeRootOrCi("sampling kernel stacks and reading kernel addresses");
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=64k", "count=100000000")
                .redirectErrorStream(true)
                .start();
        List<List<long[]>> samples = new ArrayList<>(); // per sample: {addr} leaf first
        List<List<String>> perfNames = new ArrayList<>();
        try {
            Path data = dir.resolve("perf.data");
            Tools.run(List.of(
                    "perf",
                    "record",
                    "-q",
                    "-e",
                    "cpu-clock",
                    "-F",
                    "499",
                    "-g",
                    "-p",
                    Long.toString(dd.pid()),
                    "-o",
                    data.toString(),
                    "--",
                    "sleep",
                    "1"));
            String script = Tools.run(List.of("perf", "script", "-i", data.toString(), "-F", "ip,sym,dso"));
            List<long[]> stack = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String line : (script + "\n\n").split("\n")) {
                line = line.trim();
                if (line.isEmpty()) {
                    if (!stack.isEmpty()) {
                        samples.add(stack);
                        perfNames.add(names);
                    }
                    stack = new ArrayList<>();
                    names = new ArrayList<>();
                } else if (line.endsWith("([kernel.kallsyms])")) {
                    String[] f = line.split("\\s+");
                    stack.add(new long[] {Long.parseUnsignedLong(f[0], 16)});
                    names.add(f[1].replaceAll("\\+0x[0-9a-f]+$", ""));
                }
            }
        } finally {
            dd.destroyForcibly().waitFor();
        }
        assertTrue(samples.size() > 20, "perf sampled the kernel stacks of dd: " + samples.size());
        int frames = 0, same = 0;
        boolean sawRead = false;
        try (Symbolizer s = new Symbolizer(SymbolizerOptions.defaults())) {
            for (int i = 0; i < samples.size(); i++) {
                long[] addrs = samples.get(i).stream().mapToLong(a -> a[0]).toArray();
                List<StackFrame> ours = s.kernel(addrs);
                assertEquals(addrs.length, ours.size());
                for (int k = 0; k < ours.size(); k++) {
                    StackFrame f = ours.get(k);
                    assertEquals(FrameKind.KERNEL, f.kind(), f.toString());
                    assertEquals("[kernel.kallsyms]", f.binary());
                    assertEquals(addrs[k], f.offset());
                    frames++;
                    if (f.name().equals(perfNames.get(i).get(k))) same++;
                    if (f.name().equals("ksys_read")) sawRead = true;
                }
            }
        }
        assertTrue(sawRead, "the read syscall path is named");
        assertTrue(same >= frames * 0.98, same + " of " + frames + " kernel frames named as perf names them");
    }
}
