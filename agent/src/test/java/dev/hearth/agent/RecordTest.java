package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.pprof.ProfileCodec;
import dev.hearth.pprof.ProfileReader;
import dev.hearth.pprof.ProfileType;
import dev.hearth.pprof.proto.Profile;
import dev.hearth.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hearth record} on real workloads, with real BPF and the real symbolizer. */
class RecordTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsBpf() {
        Privileges.assumeRootOrCi("loads BPF programs");
    }

    @Test
    void namesTheHotJavaMethodsWithTheirKnownShares() throws Exception {
        Process w = Workloads.jvm(30);
        try {
            Thread.sleep(2000); // let the JIT compile both methods
            List<String> folded = record(w.pid(), "--hz", "999", "--duration", "5s");
            assertSplit("java workload", folded, "java", "SplitWorkload.hotSeventy", "SplitWorkload.hotThirty");
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void namesTheHotCFunctionsWithTheirKnownShares() throws Exception {
        Process w = Workloads.c(tmp, 30);
        try {
            List<String> folded = record(w.pid(), "--hz", "999", "--duration", "5s");
            assertSplit("C workload", folded, "split", "hot_seventy", "hot_thirty");
            assertTrue(folded.stream().anyMatch(l -> l.contains(";main;hot_seventy ")), "whole stacks: " + folded);
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesPprofWithTheProcessAsRoot() throws Exception {
        Process w = Workloads.c(tmp, 30);
        try {
            Path out = tmp.resolve("cpu.pb.gz");
            assertEquals(0, Main.run(new String[] {
                "record", "--pid", Long.toString(w.pid()), "--duration", "2s", "--format", "pprof", "-o", out.toString()
            }));
            Profile p = ProfileCodec.decode(Files.readAllBytes(out), 64 << 20);
            assertEquals(ProfileType.CPU.valueTypes(), ProfileReader.valueTypes(p));
            assertTrue(p.getDurationNanos() >= 1_900_000_000L, "duration " + p.getDurationNanos());
            var samples = ProfileReader.samples(p);
            assertFalse(samples.isEmpty());
            assertTrue(samples.stream()
                    .allMatch(s -> s.stack().get(s.stack().size() - 1).name().equals("split")));
            assertTrue(samples.stream().allMatch(s -> s.values()[1] == s.values()[0] * (1_000_000_000L / 99)));
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The HTML page holds the recorded tree: the process under the root, its hot function as a frame with its samples. */
    @Test
    void writesAnHtmlFlameGraph() throws Exception {
        Process w = Workloads.c(tmp, 30);
        try {
            Path out = tmp.resolve("cpu.html");
            assertEquals(0, Main.run(new String[] {
                "record", "--pid", Long.toString(w.pid()), "--duration", "2s", "--format", "html", "-o", out.toString()
            }));
            String html = Files.readString(out);
            assertTrue(html.startsWith("<!DOCTYPE html>"));
            assertTrue(
                    html.matches(
                            "(?s).*\\[\"all\",\"root\",0,[1-9][0-9]*,\\[\\[\"split\",\"[a-z]+\",[0-9]+,[1-9][0-9]*,.*"),
                    "root, then the process");
            assertTrue(
                    html.matches("(?s).*\\[\"hot_seventy\",\"native\",[1-9][0-9]*,.*"), "the hot function has samples");
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ctrlCEndsEarlyAndStillWritesTheProfile() throws Exception {
        Process w = Workloads.c(tmp, 60);
        Path out = tmp.resolve("folded.txt");
        try {
            Process rec = new ProcessBuilder(
                            Workloads.javaBin(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "record",
                            "--pid",
                            Long.toString(w.pid()),
                            "--duration",
                            "60s",
                            "-o",
                            out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("record.log").toFile())
                    .start();
            Thread.sleep(4000);
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-INT", Long.toString(rec.pid())).start().waitFor();
            assertTrue(rec.waitFor(20, TimeUnit.SECONDS), "record ends on SIGINT");
            assertTrue(System.nanoTime() - start < 20e9);
            List<String> folded = Files.readAllLines(out);
            assertFalse(
                    Workloads.linesWith(folded, "hot_seventy").isEmpty(),
                    "profile written: " + folded + "\n" + Files.readString(tmp.resolve("record.log")));
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A JVM without frame pointers: record says why its stacks stop at [unknown] and what to do. */
    @Test
    void saysWhyAJvmWithoutFramePointersHasUnknownFrames() throws Exception {
        Process w = Workloads.jvm(30, "-XX:-PreserveFramePointer");
        try {
            Process rec = new ProcessBuilder(
                            Workloads.javaBin(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Main.class.getName(),
                            "record",
                            "--pid",
                            Long.toString(w.pid()),
                            "--duration",
                            "2s",
                            "-o",
                            tmp.resolve("jvm.folded").toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(rec.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(rec.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, rec.exitValue(), out);
            assertTrue(
                    out.contains("hearth record: JVM " + w.pid()
                            + ": stacks stop at the first Java frame ([unknown]): the JVM runs without"
                            + " -XX:+PreserveFramePointer"),
                    out);
            assertTrue(
                    out.contains(
                            "Run it with -XX:+PreserveFramePointer, or let the agent profile it with async-profiler"),
                    out);
        } finally {
            w.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Off-CPU stacks end where the thread blocked ({@code schedule}), not in the profiler's BPF program that took them. */
    @Test
    void offCpuStacksEndWhereTheThreadBlocked() throws Exception {
        Process sleeper = new ProcessBuilder("bash", "-c", "while :; do sleep 0.01; done").start();
        try {
            List<String> folded = record(sleeper.pid(), "--type", "offcpu", "--duration", "2s");
            assertFalse(folded.isEmpty(), "the shell blocked waiting for its children");
            for (String line : folded) {
                assertFalse(line.contains("bpf_prog_") || line.contains("bpf_trace_run"), "no profiler frame: " + line);
            }
            assertTrue(
                    folded.stream().anyMatch(l -> l.matches(".*;(__)?schedule \\d+")),
                    "stacks end in the scheduler: " + folded);
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The 70% function is named, under the process's name, with its share within 5 points. */
    private static void assertSplit(String what, List<String> folded, String process, String seventy, String thirty) {
        String simple = seventy.substring(seventy.lastIndexOf('.') + 1);
        List<String> hot = Workloads.linesWith(folded, simple);
        assertFalse(hot.isEmpty(), simple + " is named: " + folded);
        assertTrue(
                hot.stream().allMatch(l -> l.startsWith(process + ";")), "the process name is the first frame: " + hot);
        double[] s = Workloads.share(folded, seventy, thirty);
        assertTrue(s[1] >= 300, "enough samples of the two: " + s[1]);
        System.out.printf("%s: %s %.1f%% of %d samples (expected 70%%)%n", what, simple, 100 * s[0], (long) s[1]);
        assertEquals(0.70, s[0], 0.05, simple + "'s share of the two");
    }

    private List<String> record(long pid, String... more) throws Exception {
        Path out = tmp.resolve("out-" + pid + ".folded");
        String[] args = new String[5 + more.length];
        args[0] = "record";
        args[1] = "--pid";
        args[2] = Long.toString(pid);
        args[3] = "-o";
        args[4] = out.toString();
        System.arraycopy(more, 0, args, 5, more.length);
        assertEquals(0, Main.run(args));
        return Files.readAllLines(out);
    }
}
