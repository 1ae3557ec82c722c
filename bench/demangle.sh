#!/usr/bin/env bash
# demangle: our bounded demangler vs libstdc++'s __cxa_demangle through JNA over whole symbol tables, and __cxa_demangle on hostile names in a bounded child
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -q -o -DskipTests package -pl agent -am >/dev/null 2>&1 || mvn -B -q -DskipTests package -pl agent -am >/dev/null
libstdcxx=$(readlink -f "$(gcc -print-file-name=libstdc++.so.6)")
jdk17=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/server/libjvm.so
bins=("$libstdcxx" "$jdk17" /usr/lib/jvm/temurin-25-jdk-amd64/lib/server/libjvm.so "$@")
# the launcher's JVM options for the agent: the demangler runs inside the agent
eval "$(grep '^AGENT_JAVA_OPTS=' hearth)"
java $AGENT_JAVA_OPTS -cp "symbolizer/target/classes:symbolizer/target/test-classes:$(ls agent/target/lib/jna-*.jar)" \
  dev.hearth.symbolizer.DemanglerBench "${bins[@]}"

# __cxa_demangle has no bound of its own on a name's printed size: try it on the hostile names in a
# child process limited to 2 GB of address space and 60 s
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/cxa" bench/demangle/cxa_demangle.c -lstdc++
hostile() { # "nested LEVELS" | "doubling GROUPS": the names of the symbolizer's HostileNames
  local kind=$1 n=$2 s g
  if [ "$kind" = nested ]; then printf '_Z1f%*sv\n' "$n" '' | tr ' ' P; return; fi
  s=_Z1f1PI1AS0_E
  for ((g = 1; g <= n; g++)); do s+="S_IS$(b36 "$g")_S$(b36 "$g")_E"; done
  echo "$s"
}
b36() { local n=$1 d=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ t=; while :; do t=${d:n%36:1}$t; n=$((n / 36)); [ "$n" -eq 0 ] && break; done; echo "$t"; }
echo "__cxa_demangle on hostile names (status 0 = demangled, -2 = refused as invalid):"
for h in "nested 5000" "doubling 21" "doubling 23" "doubling 25"; do
  name=$(hostile $h)
  printf '  %-12s (%3d characters): ' "$h" "${#name}"
  ( ulimit -v 2000000; timeout 60 "$work/cxa" <<<"$name" ) 2>&1 | tail -1 || echo "failed (out of memory or time)"
done
echo "ours on the same names: cut at $(grep -o 'MAX_NAME = [^;]*' symbolizer/src/main/java/dev/hearth/symbolizer/Demangler.java), after at most $(grep -o 'MAX_WORK = [^;]*' symbolizer/src/main/java/dev/hearth/symbolizer/Demangler.java) characters of work (DemanglerTest)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
