#!/usr/bin/env bash
# async-profiler: JVM throughput with cpu 10 ms + alloc 512 KiB against without (alternating), agent CPU for JFR conversion
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -o test-compile -pl agent -am 2>/dev/null || mvn -B -q test-compile -pl agent -am
cpfile=agent/target/bench.classpath
mvn -B -q -o dependency:build-classpath -pl agent -Dmdep.outputFile="$PWD/$cpfile" >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -pl agent -Dmdep.outputFile="$PWD/$cpfile" >/dev/null
cp="agent/target/classes:agent/target/test-classes:pprof/target/classes:$(cat "$cpfile")"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -cp "$cp" dev.hearth.agent.jvm.AsyncProfilerBench "${1:-$(command -v java)}" "${2:-5}"
