#!/usr/bin/env bash
# collector: ingest throughput (DuckDB 8 clients; ClickHouse 64, then 256; ~24 KB pprof) with latency, vs a gunzip+parse floor, merge of 36,000 profiles, bytes per stored sample, downsampling (rows before/after), ingest with tokens + TLS vs without
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -q -DskipTests package -pl collector-server -am
exec java -Xmx4g -cp "collector-server/target/test-classes:collector-server/target/collector-server.jar:collector-server/target/lib/*" \
  dev.hearth.collector.CollectorBench "$@"
