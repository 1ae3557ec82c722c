#!/usr/bin/env bash
# symbolizer: warm resolve of 100k addresses, first load and memory of libjvm.so's symbols, vs an nm + TreeMap baseline; unwind table build time and size for libjvm.so and libc.so.6
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -q -DskipTests test-compile -pl symbolizer -am
CP=symbolizer/target/classes:symbolizer/target/test-classes
java -Xmx1g -cp "$CP" dev.hearth.symbolizer.SymbolizerBench "$@"
exec java -Xmx1g -cp "$CP" dev.hearth.symbolizer.UnwindTableBench
