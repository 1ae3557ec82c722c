package dev.hearth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class MainTest {
    @TempDir
    Path tmp;

    static AgentCommand agent(String... args) {
        CommandLine cmd = Main.commandLine(args);
        cmd.parseArgs(args);
        return cmd.getSubcommands().get("agent").getCommand();
    }

    @Test
    void everyOptionIsDocumentedInHelp() {
        for (String sub : List.of("record", "agent")) {
            CommandLine c = Main.commandLine(new String[0]).getSubcommands().get(sub);
            String help = c.getUsageMessage();
            for (OptionSpec o : c.getCommandSpec().options()) {
                assertTrue(
                        o.description().length > 0 && !o.description()[0].isBlank(),
                        sub + " " + o.longestName() + " has no description");
                String shown = o.negatable() ? "--[no-]" + o.longestName().substring(2) : o.longestName();
                assertTrue(help.contains(shown), sub + " help lacks " + shown);
            }
        }
    }

    @Test
    void agentDefaults() {
        AgentCommand a = agent("agent", "--collector", "http://c:4040");
        assertEquals(URI.create("http://c:4040"), a.collector);
        assertEquals(Duration.ofSeconds(10), a.period);
        assertEquals(99, a.sampling.hz);
        assertTrue(a.cpu);
        assertFalse(a.offcpu);
        assertEquals(100L << 20, a.spoolMax);
    }

    @Test
    void asyncProfilerRecordsCpuOnlyByDefaultAndAllocAndLockAreOneFlagEach() {
        var defaults = agent("agent", "--collector", "http://c:4040").asyncProfilerOptions();
        assertEquals(Duration.ofMillis(10), defaults.cpuInterval());
        assertEquals(0, defaults.allocBytes());
        assertTrue(defaults.lockThreshold().isZero());
        var rich = agent(
                        "agent",
                        "--collector",
                        "http://c:4040",
                        "--async-profiler-alloc",
                        "512k",
                        "--async-profiler-lock",
                        "10ms")
                .asyncProfilerOptions();
        assertEquals(512 * 1024, rich.allocBytes());
        assertEquals(Duration.ofMillis(10), rich.lockThreshold());
    }

    @Test
    void configFileSetsDefaultsAndFlagsWin() throws Exception {
        Path f = tmp.resolve("agent.properties");
        Files.writeString(
                f, "collector = http://file:4040\nperiod = 30s\nlabel = env=prod,team=core\noffcpu = true\nhz = 49\n");
        AgentCommand a = agent("agent", "--config", f.toString(), "--hz", "19");
        assertEquals(URI.create("http://file:4040"), a.collector);
        assertEquals(Duration.ofSeconds(30), a.period);
        assertEquals(List.of("env=prod", "team=core"), a.labels);
        assertTrue(a.offcpu);
        assertEquals(19, a.sampling.hz, "the flag wins over the file");
    }

    @Test
    void aTypoInTheConfigFileIsAnError() throws Exception {
        Path f = tmp.resolve("agent.properties");
        Files.writeString(f, "collecter = http://file:4040\n");
        CommandLine.ParameterException e = assertThrows(
                CommandLine.ParameterException.class,
                () -> Main.commandLine(new String[] {"agent", "--config", f.toString()}));
        assertTrue(e.getMessage().contains("unknown setting 'collecter'"), e.getMessage());
        assertEquals(2, Main.run(new String[] {
            "agent", "--config", tmp.resolve("missing").toString()
        }));
    }

    @Test
    void badInputGetsAClearErrorBeforeAnythingStarts() {
        assertTrue(run("record", "--type", "uprobe").contains("--type uprobe needs --uprobe BINARY:SYMBOL"));
        assertTrue(run("record", "--pid", "999999999").contains("no process with pid 999999999"));
        assertTrue(run("record", "--duration", "ten").contains("not a duration"));
        assertTrue(run("agent").contains("no collector"));
        assertTrue(run("agent", "--collector", "http://c:1", "--label", "pid=3")
                .contains("label 'pid' is set by the agent"));
        assertTrue(run("agent", "--collector", "http://c:1", "--label", "nolabel")
                .contains("label must be key=value, got 'nolabel'"));
    }

    /** Runs the command line and returns what it printed to standard error. */
    private static String run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cmd = Main.commandLine(args);
            cmd.setErr(new java.io.PrintWriter(System.err, true));
            int code = cmd.execute(args);
            assertTrue(code != 0, "exit code of " + List.of(args));
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
