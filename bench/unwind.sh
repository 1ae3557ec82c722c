#!/usr/bin/env bash
# table unwinding: BPF time per sample by table against frame pointer, map memory, CPU against perf --call-graph dwarf (bpf|agent [SECONDS])
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench unwind: needs root (loads BPF programs)" >&2; exit 1; }
# package builds the agent's jar and its runtime libraries (target/lib); the bench class is a test class
mvn -B -q -o package -DskipTests -pl agent -am >/dev/null 2>&1 || mvn -B -q package -DskipTests -pl agent -am >/dev/null
cp="agent/target/agent.jar:agent/target/lib/*:agent/target/test-classes"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$cp" dev.hearth.agent.UnwindBench "$@"
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
