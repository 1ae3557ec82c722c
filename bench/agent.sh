#!/usr/bin/env bash
# agent overhead at 99 Hz on every process: its CPU (user+sys+BPF) per wall second, RSS, and a busy JVM's throughput with vs without it
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench agent: needs root (loads BPF programs)" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}          # alternating pairs of runs (without, with the agent)
RUN=${RUN_SECONDS:-20}       # measured seconds per workload run
WARM=${AGENT_WARMUP:-15}     # agent start-up seconds before a measured run
AGENT_ARGS=${AGENT_ARGS:-}   # more agent flags, e.g. --jvm-mode ebpf
# the launcher's JVM options for the agent
eval "$(grep '^AGENT_JAVA_OPTS=' hearth)"

mvn -B -q -o -DskipTests package -pl agent,collector-server -am >/dev/null 2>&1 \
  || mvn -B -q -DskipTests package -pl agent,collector-server -am >/dev/null
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
javac -d "$work/classes" bench/agent/BusyWorkload.java

port=$((20000 + RANDOM % 20000)); mport=$((port + 1))
java -Xmx512m -cp "collector-server/target/collector-server.jar:collector-server/target/lib/*" dev.hearth.collector.Main \
  --port "$port" --data "$work/data" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/api/v1/services" >/dev/null 2>&1 && break; sleep 0.5; done

clk=$(getconf CLK_TCK)
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }   # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
bpf_ns() { curl -fsS "http://127.0.0.1:$mport/metrics" | awk '$1 == "hearth_agent_bpf_run_nanoseconds_total" {print $2}'; }
# prints "OPS_PER_WALL_SECOND OPS_PER_CPU_SECOND"
workload() { java -XX:+PreserveFramePointer -Xmx256m -cp "$work/classes" BusyWorkload 2 "$RUN" 5 | awk '$1 == "ops" {print $2, $3}'; }

baseline=(); with=(); base_eff=(); with_eff=(); cpu=(); rss=()
run_with_agent() {
  java $AGENT_JAVA_OPTS -cp "agent/target/agent.jar:agent/target/lib/*" dev.hearth.agent.Main agent \
    --collector "http://127.0.0.1:$port" --hz 99 --metrics-port "$mport" --spool-dir "$work/spool" --bpf-stats $AGENT_ARGS \
    >"$work/agent.log" 2>&1 &
  local agent=$!
  pids+=($agent)
  sleep "$WARM"
  kill -0 "$agent" || { cat "$work/agent.log" >&2; exit 1; }
  local t0 c0 b0 t1 c1 b1 ops
  t0=$(date +%s.%N); c0=$(cpu_ticks "$agent"); b0=$(bpf_ns)
  read -r ops eff < <(workload)
  t1=$(date +%s.%N); c1=$(cpu_ticks "$agent"); b1=$(bpf_ns)
  rss+=("$(rss_kb "$agent")")
  kill -TERM "$agent"; wait "$agent" || true
  with+=("$ops"); with_eff+=("$eff")
  cpu+=("$(awk -v c="$((c1 - c0))" -v k="$clk" -v b="$((b1 - b0))" -v t="$(awk -v a="$t0" -v z="$t1" 'BEGIN{print z-a}')" \
    'BEGIN {printf "%.3f", 100 * (c / k + b / 1e9) / t}')")
  printf 'round %d  with agent:    %10.1f ops/s %10.1f ops/cpu-s  agent cpu %s%% of a core (process %.2f s + BPF %.3f s)  rss %d MB\n' \
    "$r" "$ops" "$eff" "${cpu[-1]}" "$(awk -v c="$((c1 - c0))" -v k="$clk" 'BEGIN{print c/k}')" \
    "$(awk -v b="$((b1 - b0))" 'BEGIN{print b/1e9}')" "$((${rss[-1]} / 1024))"
}
run_without() {
  local ops eff; read -r ops eff < <(workload); baseline+=("$ops"); base_eff+=("$eff")
  printf 'round %d  without agent: %10.1f ops/s %10.1f ops/cpu-s\n' "$r" "$ops" "$eff"
}

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds of ${RUN}s"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then run_without; run_with_agent; else run_with_agent; run_without; fi
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mb=$(median "${baseline[@]}"); mw=$(median "${with[@]}"); mc=$(median "${cpu[@]}")
eb=$(median "${base_eff[@]}"); ew=$(median "${with_eff[@]}")
maxrss=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
echo "median throughput without agent: $mb ops/s, with: $mw ops/s, loss $(awk -v b="$mb" -v w="$mw" 'BEGIN{printf "%.2f", 100*(b-w)/b}')% (target <= 1%)"
echo "median work per CPU second of the workload without agent: $eb, with: $ew, loss $(awk -v b="$eb" -v w="$ew" 'BEGIN{printf "%.2f", 100*(b-w)/b}')% (robust to other load on the machine)"
echo "median agent CPU: $mc% of one core (target <= 1%); max RSS $((maxrss / 1024)) MB (target <= 150 MB)"
