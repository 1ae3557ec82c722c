#!/usr/bin/env bash
# agent overhead at 99 Hz on every process: its steady CPU (user+sys+BPF) and RSS, and a busy JVM's throughput loss in alternating windows
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench agent: needs root (loads BPF programs)" >&2; exit 1; }
# One workload JVM lives through the whole run, so every window compares the same JIT-compiled code.
# Rounds: a window without the agent, the agent starts (AGENT_WARMUP s, not measured), a window with
# it, the agent stops; a last window without. Each window with the agent is compared with the mean of
# the two windows around it (drift cancels), and the median over rounds is reported. Then the agent
# runs once more for STEADY_WARMUP s (its JIT and first periods settle) and its steady CPU and RSS are
# measured over STEADY s, again between two windows without it.
ROUNDS=${ROUNDS:-6}                 # windows with the agent in the alternation
WINDOW=${WINDOW_SECONDS:-12}        # seconds per window
WARM=${AGENT_WARMUP:-8}             # agent start-up seconds before a round's window
STEADY_WARM=${STEADY_WARMUP:-150}    # agent seconds before the steady measurement
STEADY=${STEADY_SECONDS:-60}        # seconds of the steady measurement
AGENT_ARGS=${AGENT_ARGS:-}          # more agent flags, e.g. --jvm-mode ebpf
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
now_ms() { date +%s%3N; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }   # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
bpf_ns() { curl -fsS "http://127.0.0.1:$mport/metrics" | awk '$1 == "hearth_agent_bpf_run_nanoseconds_total" {printf "%d", $2}'; }

java -XX:+PreserveFramePointer -Xmx256m -cp "$work/classes" BusyWorkload 2 100000 100 >"$work/workload.log" &
workload=$!
pids+=($workload)
sleep 15   # the workload's own JIT settles

# "OPS_PER_WALL_SECOND OPS_PER_CPU_SECOND" of the workload between two epoch-ms instants
rates() {
  awk -v a="$1" -v z="$2" '$1 == "tick" && $2 >= a && !s {s = 1; t0 = $2; o0 = $3; c0 = $4}
    $1 == "tick" && $2 <= z {t1 = $2; o1 = $3; c1 = $4}
    END {printf "%.1f %.1f\n", (o1 - o0) * 1000 / (t1 - t0), (o1 - o0) * 1e9 / (c1 - c0)}' "$work/workload.log"
}
off=(); on=()   # "WALL CPU" rates per window
window_without() {
  local a; a=$(now_ms); sleep "$WINDOW"
  off+=("$(rates "$a" "$(now_ms)")")
}
agent=
start_agent() {
  java $AGENT_JAVA_OPTS -cp "agent/target/agent.jar:agent/target/lib/*" dev.hearth.agent.Main agent \
    --collector "http://127.0.0.1:$port" --hz 99 --metrics-port "$mport" --spool-dir "$work/spool" --bpf-stats $AGENT_ARGS \
    >>"$work/agent.log" 2>&1 &
  agent=$!
  pids+=($agent)
}
stop_agent() { kill -TERM "$agent"; wait "$agent" || true; }
# sets pct proc bpf rss: the agent's CPU (% of a core, process s, BPF s) and RSS (kB) over SECONDS; the workload's rates go to on
window_with() {
  local seconds=$1 a c0 b0 t0 t1 c1 b1
  kill -0 "$agent" || { cat "$work/agent.log" >&2; exit 1; }
  a=$(now_ms); c0=$(cpu_ticks "$agent"); b0=$(bpf_ns)
  sleep "$seconds"
  t1=$(now_ms); c1=$(cpu_ticks "$agent"); b1=$(bpf_ns)
  on+=("$(rates "$a" "$t1")")
  rss=$(rss_kb "$agent")
  read -r pct proc bpf < <(awk -v c="$((c1 - c0))" -v k="$clk" -v b="$((b1 - b0))" -v t="$((t1 - a))" \
    'BEGIN {printf "%.3f %.2f %.3f\n", 100 * (c / k + b / 1e9) / (t / 1000), c / k, b / 1e9}')
}
# loss in percent of window with the agent i against the mean of its neighbours without; field f (1 wall, 2 cpu)
loss() {
  local i=$1 f=$2
  awk -v b="${off[$i]}" -v w="${on[$i]}" -v a="${off[$((i + 1))]}" -v f="$f" \
    'BEGIN {split(b, B, " "); split(w, W, " "); split(a, A, " "); m = (B[f] + A[f]) / 2; printf "%.2f", 100 * (m - W[f]) / m}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds of ${WINDOW}s windows" \
  "(agent warm-up ${WARM}s), steady: ${STEADY}s after ${STEADY_WARM}s; agent flags: ${AGENT_ARGS:-defaults}"
window_without
round_cpu=(); wall_loss=(); cpu_loss=()
for r in $(seq 1 "$ROUNDS"); do
  start_agent; sleep "$WARM"
  window_with "$WINDOW"
  stop_agent
  round_cpu+=("$pct")
  window_without
  i=$((r - 1)); wall_loss+=("$(loss "$i" 1)"); cpu_loss+=("$(loss "$i" 2)")
  printf 'round %d  ops/s without %s | with %s | without %s  loss %6s%% wall, %6s%% per workload CPU-s; agent %s%% of a core\n' \
    "$r" "${off[$i]% *}" "${on[$i]% *}" "${off[$r]% *}" "${wall_loss[-1]}" "${cpu_loss[-1]}" "$pct"
done

start_agent; sleep "$STEADY_WARM"
window_with "$STEADY"
stop_agent
window_without
i=$ROUNDS
printf 'steady   ops/s without %s | with %s | without %s  loss %6s%% wall, %6s%% per workload CPU-s\n' \
  "${off[$i]% *}" "${on[$i]% *}" "${off[$((i + 1))]% *}" "$(loss "$i" 1)" "$(loss "$i" 2)"
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s..%s", lo, hi}'; }
echo "median throughput loss over $ROUNDS rounds: $(median "${wall_loss[@]}")% per wall second (rounds $(spread "${wall_loss[@]}")), $(median "${cpu_loss[@]}")% per workload CPU second (rounds $(spread "${cpu_loss[@]}")) (target <= 1%)"
echo "steady agent CPU: $pct% of one core (process $proc s + BPF $bpf s in ${STEADY}s, after ${STEADY_WARM}s) (target <= 1%); RSS $((rss / 1024)) MB (target <= 150 MB)"
echo "agent CPU in the rounds, ${WARM}s after start (its JIT and first period included): median $(median "${round_cpu[@]}")% of a core"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# unwinding: a one-minute record with tables and without, against perf's DWARF unwinding (AGENT_ARGS=--no-unwind-tables
# gives the steady figures above without tables)
AGENT_JAVA_OPTS="$AGENT_JAVA_OPTS" bash "$(dirname "${BASH_SOURCE[0]}")/unwind.sh" agent "${UNWIND_SECONDS:-60}"
