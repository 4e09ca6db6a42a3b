#!/usr/bin/env bash
# Two `rapport serve` nodes on one PostgreSQL database holding the large network, every background
# job enabled on both (outbox, weekly digest, report-card and import queues), under load at once:
#   - the dashboard page and GET /api/v1/sources on both nodes together (wrk -c16 on each, run at the
#     same time): requests/s summed, p99 and errors of each, against one node alone under wrk -c32;
#   - one sign-in, made on node A, used on node B (the keys are in the database, shared);
#   - the RSS of each node after the load.
# Two nodes on this 2-core machine share its CPU with PostgreSQL and wrk: the figure to read is that
# two nodes serve together what one does, with no error; a second machine is what adds throughput.
#
#   RAPPORT_BENCH_POSTGRES="Host=localhost;Username=rapport;Password=rapport;Database=rapport_bench_large" bench/two-nodes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RAPPORT_BENCH_POSTGRES:?set RAPPORT_BENCH_POSTGRES to a database seeded with rapport demo seed --scale large}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-two-nodes.XXXXXX)}
mkdir -p "$OUT"
PORT_A=${PORT_A:-5396}
PORT_B=${PORT_B:-5397}
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"
SECONDS_RUN=${WRK_SECONDS:-10}
WARMUP=${WRK_WARMUP_SECONDS:-20}
source bench/lib.sh

bench_build
# The same data-protection key on both nodes, as the README's "Scaling out" asks: the key file the
# other benchmarks' servers use on this database (DataFolder/data-protection.key, from the
# repository root), so the keys already stored in the database stay readable. Jobs on everywhere.
jobs=(--Digest:Enabled=true "--DataProtection:KeyFile=$PWD/data/data-protection.key")
BENCH_REQUEST_LOG=0 bench_serve "$OUT/bin" "$PORT_A" "$OUT/node-a.log" "${jobs[@]}"; pid_a=$SERVER_PID
BENCH_REQUEST_LOG=0 bench_serve "$OUT/bin" "$PORT_B" "$OUT/node-b.log" "${jobs[@]}"; pid_b=$SERVER_PID
trap 'kill $pid_a $pid_b 2>/dev/null || true' EXIT

echo "sign-in on node A: $(bench_sign_in "$A" "$OUT/cookies.txt")"
cookie=$(bench_cookie_header "$OUT/cookies.txt")
shared=$(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: $cookie" "$B/")
echo "node A's session on node B: GET / → $shared"
bench_result "two nodes: node A's sign-in on node B (HTTP status)" "$shared" status
api_key=$(bench_api_key "$OUT/bin")

wrk_report() { # seconds connections header url → "rps p99 errors"
  local out
  out=$(wrk -t1 -c"$2" -d"$1s" --latency -H "$3" "$4")
  local rps p99 errors
  rps=$(echo "$out" | sed -n 's/^Requests\/sec:\s*\([0-9.]*\).*/\1/p')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  echo "$rps $p99 $errors"
}

for view in "/" "/api/v1/sources"; do
  header="Cookie: $cookie"; [[ $view == /api/* ]] && header="Authorization: Bearer $api_key"
  name=$([[ $view == / ]] && echo "dashboard page" || echo "GET /api/v1/sources")
  # Warm each node alone (tiered JIT: warmed at the same time, each gets half the CPU and a node
  # still compiling measured half its warm throughput), then one node alone as the anchor, then
  # both at once.
  wrk -t2 -c32 -d"${WARMUP}s" -H "$header" "$A$view" >/dev/null
  wrk -t2 -c32 -d"${WARMUP}s" -H "$header" "$B$view" >/dev/null
  read -r one_rps one_p99 one_err < <(wrk_report "$SECONDS_RUN" 32 "$header" "$A$view")
  echo "$name, node A alone, wrk -c32: $one_rps req/s, p99 $one_p99 ms, $one_err errors"
  # (`wait` names its jobs: a bare `wait` would wait for the two servers too.)
  wrk_report "$SECONDS_RUN" 16 "$header" "$A$view" >"$OUT/a.txt" & run_a=$!
  wrk_report "$SECONDS_RUN" 16 "$header" "$B$view" >"$OUT/b.txt" & run_b=$!
  wait "$run_a" "$run_b"
  read -r a_rps a_p99 a_err <"$OUT/a.txt"
  read -r b_rps b_p99 b_err <"$OUT/b.txt"
  both=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.0f", a + b }')
  echo "$name, both nodes at once, wrk -c16 each: A $a_rps req/s (p99 $a_p99 ms, $a_err errors), B $b_rps req/s (p99 $b_p99 ms, $b_err errors), together $both req/s"
  bench_result "two nodes: $name, both under wrk -c16 (req/s together)" "$both" req/s "one node, wrk -c32 req/s" "$one_rps"
  bench_result "two nodes: $name, p99 of the slower node" "$(awk -v a="$a_p99" -v b="$b_p99" 'BEGIN { print (a > b ? a : b) }')" ms
  bench_result "two nodes: $name (errors)" "$((a_err + b_err))" count
done

rss_a=$(bench_rss_mb "$pid_a"); rss_b=$(bench_rss_mb "$pid_b")
echo "RSS after the load: node A $rss_a MiB, node B $rss_b MiB"
bench_result "two nodes: RSS of the larger node after load" "$((rss_a > rss_b ? rss_a : rss_b))" MiB
# Both nodes ran every job for the whole run: any failure to take a lease would be in their logs.
if grep -qiE "fail|exception" "$OUT/node-a.log" "$OUT/node-b.log"; then
  echo "errors in the nodes' logs:"; grep -iE "fail|exception" "$OUT/node-a.log" "$OUT/node-b.log" | head -10
  bench_result "two nodes: errors in the nodes' logs" "$(grep -ciE "fail|exception" "$OUT/node-a.log" "$OUT/node-b.log" | awk -F: '{ n += $NF } END { print n }')" count
else
  echo "no errors in the nodes' logs"
  bench_result "two nodes: errors in the nodes' logs" 0 count
fi
