#!/usr/bin/env bash
# table unwinding: BPF time per sample by table against frame pointer, map memory, CPU against perf --call-graph dwarf (bpf|agent [SECONDS])
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench unwind: needs root (loads BPF programs)" >&2; exit 1; }
mvn -B -q -o test-compile -pl agent -am 2>/dev/null || mvn -B -q test-compile -pl agent -am
cpfile=agent/target/bench.classpath
mvn -B -q -o dependency:build-classpath -pl agent -Dmdep.outputFile="$PWD/$cpfile" >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -pl agent -Dmdep.outputFile="$PWD/$cpfile" >/dev/null
cp="agent/target/classes:agent/target/test-classes:bpf-profile/target/classes:symbolizer/target/classes:pprof/target/classes:$(cat "$cpfile")"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$cp" dev.hearth.agent.UnwindBench "$@"
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
