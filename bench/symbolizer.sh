#!/usr/bin/env bash
# symbolizer: warm resolve of 100k addresses, first load and memory of libjvm.so's symbols, vs an nm + TreeMap baseline
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -q -DskipTests test-compile -pl symbolizer -am
exec java -Xmx1g -cp symbolizer/target/classes:symbolizer/target/test-classes dev.hearth.symbolizer.SymbolizerBench "$@"
