package dev.hearth.agent;

import dev.hearth.agent.query.QueryCommand;
import dev.hearth.bpf.BpfException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hearth record|agent …}: the command line of the agent module. */
@Command(
        name = "hearth",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "JVM-aware profiler for Linux: one-off recording, the per-host agent, or queries to a collector.",
        subcommands = {RecordCommand.class, AgentCommand.class, QueryCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    static {
        // Every class logs through System.Logger, the JDK's own facade (no dependency, and a library
        // such as ours should not pick the backend); here its backend is java.util.logging, one line
        // per record: time, level, logger, message
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs; returns the exit code. */
    public static int run(String[] args) {
        CommandLine cmd;
        try {
            cmd = commandLine(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("hearth agent: " + e.getMessage());
            return 2;
        }
        return cmd.execute(args);
    }

    /** The command line for {@code args}; an agent's {@code --config FILE} becomes its defaults. */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new Main());
        Version.applyTo(cmd);
        Path config = ConfigFile.find(args);
        if (config != null && args.length > 0 && args[0].equals("agent")) {
            CommandLine agent = cmd.getSubcommands().get("agent");
            agent.setDefaultValueProvider(ConfigFile.load(config, agent.getCommandSpec()));
        }
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            // expected failures (no BPF, bad setting, unreachable file) get one clear line
            if (e instanceof BpfException
                    || e instanceof IllegalArgumentException
                    || e instanceof java.io.IOException) {
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cmd;
    }
}
