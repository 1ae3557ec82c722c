#!/usr/bin/env bash
# Flame graph UI in headless Chromium: render and zoom times of a 100,000-node tree vs 1,000 nodes
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ui=$root/flamegraph-ui/src/test
profile=$(mktemp -d)
log=$(mktemp)
node "$ui/tools/fixture-server.mjs" 0 >"$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$profile" "$log"' EXIT
for _ in $(seq 1 50); do grep -q listening "$log" && break; sleep 0.1; done
port=$(awk '/listening/ {print $2}' "$log")
echo "chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(nproc) cores"
timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --disable-sync --user-data-dir="$profile" \
  --window-size=1280,800 --dump-dom "http://127.0.0.1:$port/bench/" 2>/dev/null |
  sed -n '/<pre id="out">/,/<\/pre>/p' | sed -e 's/.*<pre id="out">//' -e 's/<\/pre>.*//' \
    -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
