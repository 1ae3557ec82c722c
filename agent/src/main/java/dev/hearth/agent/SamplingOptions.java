package dev.hearth.agent;

import dev.hearth.bpf.UprobeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code agent} and {@code record} share: what the kernel samples, and how Java frames get their names. */
public final class SamplingOptions {
    @Option(
            names = "--pid",
            paramLabel = "PID",
            split = ",",
            description = "profile only these processes (repeatable); every process when none is given")
    List<Integer> pids = new ArrayList<>();

    @Option(
            names = "--hz",
            defaultValue = "99",
            description = "on-CPU samples per second per CPU (default: ${DEFAULT-VALUE})")
    int hz;

    @Option(
            names = "--uprobe",
            paramLabel = "BINARY:SYMBOL[:latency]",
            split = ",",
            description = "count calls of a function (repeatable); with :latency its time too")
    List<String> uprobes = new ArrayList<>();

    @Option(
            names = "--offcpu-min-block",
            paramLabel = "TIME",
            defaultValue = "1us",
            converter = Units.DurationConverter.class,
            description = "shorter blocks are not counted off-CPU (default: ${DEFAULT-VALUE})")
    Duration minBlock;

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            defaultValue = RunDir.DEFAULT,
            description =
                    "the agent's host-wide lock and the list of JVMs it profiles; one agent per run dir (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(
            names = "--jvm-perf-map",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "ask JVMs to write their perf map, to name JIT-compiled Java frames (default: on)")
    boolean jvmPerfMap;

    List<UprobeSpec> uprobeSpecs() {
        return uprobes.stream().map(UprobeSpec::parse).toList();
    }
}
