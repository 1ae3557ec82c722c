#!/usr/bin/env bash
# collector-hostile: collector RSS (own process, default limits) with 40 slow uploads, overflowing timelines and a fuzz run
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -q -DskipTests package -pl collector-server -am
echo "load before: $(uptime)"
java -cp "collector-server/target/test-classes:collector-server/target/collector-server.jar:collector-server/target/lib/*" \
  dev.hearth.collector.CollectorHostileBench "$@"
echo "load after: $(uptime)"
