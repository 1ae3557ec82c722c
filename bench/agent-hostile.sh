#!/usr/bin/env bash
# agent-hostile: the agent's peak and final RSS on a host with a 1 GB perf map, a binary of pathological C++ symbols and 500 short-lived processes a second, against a quiet-host baseline and its 150 MB budget
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench agent-hostile: needs root (loads BPF programs)" >&2; exit 1; }
# Two runs of the real agent (the launcher's JVM options, every process of the host, 99 Hz), each
# SECONDS long: a baseline with nothing of ours running, then one with, as unprivileged users would
# set them up: a process that looks like a JVM (maps a libjvm.so, spins in anonymous executable code)
# with a PERF_MAP_BYTES perf map; a program whose hot functions carry mangled names that print as
# 54 MB and 218 MB and nest 5,000 deep; RATE short-lived processes a second. Peak RSS is the kernel's
# high-water mark (VmHWM) over the whole run, start-up included.
# JVMs elsewhere on the host are neither attached nor asked for perf maps (--jvm-mode ebpf
# --no-jvm-perf-map): the perf maps read are those already written, such as ours.
SECONDS_PER_RUN=${SECONDS_PER_RUN:-60}
PERF_MAP_BYTES=${PERF_MAP_BYTES:-$((1 << 30))}
RATE=${RATE:-500}
BUDGET_MB=150
AGENT_ARGS=${AGENT_ARGS:-}          # more agent flags, e.g. a private lock or config
# the launcher's JVM options for the agent
eval "$(grep '^AGENT_JAVA_OPTS=' hearth)"

mvn -B -q -o -DskipTests package -pl agent,collector-server -am >/dev/null 2>&1 \
  || mvn -B -q -DskipTests package -pl agent,collector-server -am >/dev/null
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP_WORK:-}" ]; then echo "logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
as_user=()
command -v setpriv >/dev/null && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
for c in jvmlike spawner shortlived; do gcc -O2 -o "$work/$c" "bench/agent-hostile/$c.c"; done
gcc -O2 -g -fno-omit-frame-pointer -fPIE -pie -o "$work/hostile" agent/src/test/resources/workload/hostile.c
head -c 65536 /dev/zero >"$work/libjvm.so"   # a file of that name is what makes a process look like HotSpot

port=$((20000 + RANDOM % 20000)); mport=$((port + 1))
java -Xmx512m -cp "collector-server/target/collector-server.jar:collector-server/target/lib/*" dev.hearth.collector.Main \
  --port "$port" --data "$work/data" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/api/v1/services" >/dev/null 2>&1 && break; sleep 0.5; done

kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
# runs the agent for SECONDS_PER_RUN s; sets peak, final (kB) and metrics (its /metrics at the end)
run_agent() {
  local name=$1 agent max=0 r
  java $AGENT_JAVA_OPTS -cp "agent/target/agent.jar:agent/target/lib/*" dev.hearth.agent.Main agent \
    --collector "http://127.0.0.1:$port" --hz 99 --metrics-port "$mport" --spool-dir "$work/spool-$name" \
    --jvm-mode ebpf --no-jvm-perf-map $AGENT_ARGS >"$work/agent-$name.log" 2>&1 &
  agent=$!
  pids+=($agent)
  for _ in $(seq 1 "$SECONDS_PER_RUN"); do
    sleep 1
    kill -0 "$agent" 2>/dev/null || { echo "the agent died ($name run):" >&2; tail -30 "$work/agent-$name.log" >&2; exit 1; }
    r=$(kb "$agent" VmRSS); [ "$r" -gt "$max" ] && max=$r
  done
  peak=$(kb "$agent" VmHWM); final=$(kb "$agent" VmRSS)
  metrics=$(curl -fsS -m 20 "http://127.0.0.1:$mport/metrics" || echo "no answer")
  kill -TERM "$agent"
  for _ in $(seq 1 30); do kill -0 "$agent" 2>/dev/null || break; sleep 1; done
  kill -0 "$agent" 2>/dev/null && { echo "($name run: the agent did not stop within 30 s of SIGTERM; killed)"; kill -KILL "$agent"; }
  wait "$agent" || true
}
metric() { awk -v m="$1" '$1 == m {printf "%d", $2; found = 1} END {if (!found) printf "?"}' <<<"$metrics"; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); ${SECONDS_PER_RUN}s per run;" \
  "agent: $AGENT_JAVA_OPTS; flags: --jvm-mode ebpf --no-jvm-perf-map ${AGENT_ARGS}"
run_agent quiet
base_peak=$peak base_final=$final
printf 'quiet host:   agent RSS peak %4d MB, final %4d MB\n' $((base_peak / 1024)) $((base_final / 1024))

# the hostile host
"${as_user[@]}" "$work/jvmlike" $((SECONDS_PER_RUN + 120)) "$PERF_MAP_BYTES" "$work/libjvm.so" >"$work/jvmlike.log" 2>&1 &
jvmlike=$!; pids+=($jvmlike)
for _ in $(seq 1 300); do grep -q ready "$work/jvmlike.log" 2>/dev/null && break; sleep 0.5; done
grep -q ready "$work/jvmlike.log" || { cat "$work/jvmlike.log" >&2; exit 1; }
map=$(ls -l /tmp/perf-*.map 2>/dev/null | awk -v u=nobody '$3 == u' | awk '{s += $5} END {print s + 0}')
"${as_user[@]}" "$work/hostile" $((SECONDS_PER_RUN + 60)) >"$work/hostile.log" 2>&1 &
pids+=($!)
"${as_user[@]}" "$work/spawner" "$RATE" $((SECONDS_PER_RUN + 5)) "$work/shortlived" >"$work/spawner.log" 2>&1 &
spawner=$!; pids+=($spawner)
run_agent hostile
wait "$spawner" || true
fg=$(curl -fsS -m 30 "http://127.0.0.1:$port/api/v1/flamegraph?service=hostile&type=cpu&from=0&until=$(date +%s%3N)" || true)
named() { grep -o "\"name\":\"$1[^\"]*\"" <<<"$fg" | awk '{n++; if (length($0) - 9 > m) m = length($0) - 9} END {printf "%d nodes, longest %d characters", n, m}'; }
printf 'hostile host: agent RSS peak %4d MB, final %4d MB  (perf map %d MB; %s)\n' $((peak / 1024)) $((final / 1024)) \
  $((map >> 20)) "$(cat "$work/spawner.log")"
echo "budget $BUDGET_MB MB: quiet peak $((base_peak / 1024)) MB, hostile peak $((peak / 1024)) MB ($((peak * 100 / base_peak - 100))% over quiet):" \
  "$([ $((peak / 1024)) -le $BUDGET_MB ] && echo within || echo OVER)"
echo "the pathological program's profile: doubling names $(named 'f(P<A, A>'), nested name $(named _Z1fPPPP), main $(named main)"
[ "$metrics" = "no answer" ] && echo "the agent's /metrics did not answer at the end of the hostile run"
echo "hostile run's counters: symbols cut $(metric hearth_agent_symbols_cut_total), bad binaries $(metric hearth_agent_bad_binaries_total)," \
  "bad /proc data $(metric hearth_agent_bad_proc_data_total), frame failures $(metric hearth_agent_frame_failures_total)," \
  "perf map reloads $(metric hearth_agent_perf_map_reloads_total), frames left unknown $(metric hearth_agent_symbolization_misses_total)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
