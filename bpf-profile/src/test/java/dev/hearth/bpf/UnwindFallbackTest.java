package dev.hearth.bpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.testsupport.Privileges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table walk where no table is known: frame pointers, as before, through the same program. */
class UnwindFallbackTest {
    @BeforeAll
    static void root() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    /** lists mappings from /proc, and has no table for any of them */
    private static final class NoTables implements UnwindTableSource {
        @Override
        public List<Mapping> executableMappings(int pid) {
            List<Mapping> out = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f[1].charAt(2) != 'x') {
                        continue;
                    }
                    String[] range = f[0].split("-");
                    boolean file = !f[4].equals("0");
                    out.add(new Mapping(
                            Long.parseUnsignedLong(range[0], 16),
                            Long.parseUnsignedLong(range[1], 16),
                            Long.parseUnsignedLong(range[0], 16) - Long.parseUnsignedLong(f[2], 16),
                            file ? f[3] + ":" + f[4] : "",
                            f.length > 5 ? f[5] : ""));
                }
            } catch (IOException e) {
                if (Files.exists(Path.of("/proc/" + pid))) {
                    throw new UncheckedIOException(e);
                }
            }
            return out;
        }

        @Override
        public Optional<UnwindRows> table(int pid, Mapping mapping) {
            return Optional.empty();
        }
    }

    @Test
    void withoutTablesAFramePointerBuildStillReachesItsFunctions() throws Exception {
        try (Workload w = Workload.startRealtime("spin", "2000");
                BpfProfiler p = BpfProfiler.start(
                        ProfilerConfig.defaults().withPids(Set.of(w.pid())),
                        new Unwinding(new NoTables(), Unwinding.DEFAULT_BUDGET))) {
            assertTrue(p.unwindsByTable(), "the kernel refused the table walk");
            long[] spinFn = w.functionRange("spin_fn");
            long[] main = w.functionRange("main");
            w.go();
            w.awaitDone();
            List<RawSample> samples = p.drain();
            long all = Samples.sum(samples, w.pid(), SampleType.ON_CPU);
            long inSpin = Samples.sumWithFrameIn(samples, w.pid(), SampleType.ON_CPU, spinFn);
            long inMain = Samples.sumWithFrameIn(samples, w.pid(), SampleType.ON_CPU, main);
            UnwindStats stats = p.unwindStats();
            System.out.printf("no tables: %d samples, %d in spin_fn, %d reach main; %s%n", all, inSpin, inMain, stats);
            assertTrue(all >= 50, "too few samples to judge: " + all);
            assertTrue(
                    inSpin >= 0.9 * all && inMain >= 0.9 * all,
                    inSpin + " in spin_fn, " + inMain + " reach main of " + all);
            // glibc keeps no frame pointer: without its table the walk cannot tell its end from a fault
            assertTrue(stats.complete() + stats.noTable() >= all, "every sample's walk is counted: " + stats);
            assertTrue(stats.processes() == 1 && stats.tables() == 0, stats.toString());
        }
    }
}
