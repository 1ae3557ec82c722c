#!/usr/bin/env bash
# bpf-profile: BPF ns per on-CPU sample and per sched_switch, drain time for 10k keys, map memory, JVM fold ratio, table walk against frame pointer
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench bpf: needs root (loads BPF programs)" >&2; exit 1; }
cpfile=bpf-profile/target/bench.classpath
# with -am: the class path names the reactor's own modules (test-support) by their target/classes, and the
# file is written per module, this one last
mvn -B -q -o test-compile dependency:build-classpath -pl bpf-profile -am -Dmdep.outputFile="$PWD/$cpfile" >/dev/null 2>&1 \
  || mvn -B -q test-compile dependency:build-classpath -pl bpf-profile -am -Dmdep.outputFile="$PWD/$cpfile" >/dev/null
cp="bpf-profile/target/classes:bpf-profile/target/test-classes:$(cat "$cpfile")"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$cp" dev.hearth.bpf.BpfBench "$(command -v java)"
# the table walk needs the agent's tables (from the symbolizer): its figures come from the agent's test classes
bash "$(dirname "${BASH_SOURCE[0]}")/unwind.sh" bpf
