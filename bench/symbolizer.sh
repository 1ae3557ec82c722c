#!/usr/bin/env bash
# symbolizer: warm resolve of 100k addresses, first load and memory of libjvm.so's symbols, vs an nm + TreeMap baseline; unwind table build time and size for libjvm.so and libc.so.6
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# compiled, and the classpath of its dependencies (JNA, for safefs) in the same reactor run; the
# symbolizer is the reactor's last module to write the file
cpfile=symbolizer/target/bench.classpath
mvn -B -q -DskipTests test-compile dependency:build-classpath -pl symbolizer -am -Dmdep.outputFile="$PWD/$cpfile"
CP="symbolizer/target/classes:symbolizer/target/test-classes:$(cat "$cpfile")"
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -cp "$CP" dev.hearth.symbolizer.SymbolizerBench "$@"
exec java -Xmx1g -cp "$CP" dev.hearth.symbolizer.UnwindTableBench
