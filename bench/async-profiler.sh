#!/usr/bin/env bash
# async-profiler: JVM throughput with cpu 10 ms + alloc 512 KiB against without (alternating), agent CPU for JFR conversion
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cpfile=agent/target/bench.classpath
# with -am: the class path names the reactor's own modules (test-support) by their target/classes, and the
# file is written per module, this one last
mvn -B -q -o test-compile dependency:build-classpath -pl agent -am -Dmdep.outputFile="$PWD/$cpfile" >/dev/null 2>&1 \
  || mvn -B -q test-compile dependency:build-classpath -pl agent -am -Dmdep.outputFile="$PWD/$cpfile" >/dev/null
cp="agent/target/classes:agent/target/test-classes:pprof/target/classes:$(cat "$cpfile")"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -cp "$cp" dev.hearth.agent.jvm.AsyncProfilerBench "${1:-$(command -v java)}" "${2:-5}"
