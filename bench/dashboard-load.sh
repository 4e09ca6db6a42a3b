#!/usr/bin/env bash
# The dashboard on the large network (bench/seed-large.sh), all clinics:
#   - the server's own time for the page and for GET /api/v1/dashboard (median of RUNS, warm),
#     against the anchor: the raw per-source-per-month GROUP BY over 24 months in the database
#     engine alone (what the dashboard would cost without its rollups);
#   - the page under `wrk -t2 -c32` (requests/s, p99, errors), against /healthz under the same wrk;
#   - the server's resident memory after that load.
# SQLite by default (DB=file); PostgreSQL when RAPPORT_BENCH_POSTGRES holds an Npgsql connection
# string of a database seeded with `rapport demo seed --scale large`.
#
#   DB=/tmp/bench/rapport-large.db bench/dashboard-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/rapport-dashboard-load.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-9}
PORT=${PORT:-5394}
BASE="http://127.0.0.1:$PORT"
source bench/lib.sh
[[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]] || : "${DB:?set DB to a SQLite file seeded with rapport demo seed --scale large}"
kind=$(bench_db_kind)

bench_build
bench_serve "$OUT/bin" "$PORT" "$OUT/serve.log"
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
echo "sign-in: $(bench_sign_in "$BASE" "$OUT/cookies.txt")"
cookie=$(bench_cookie_header "$OUT/cookies.txt")
key=$(bench_api_key "$OUT/bin")

if [[ $kind == postgres ]]; then
  anchor_sql='SELECT COUNT(*) FROM (SELECT "SourceId", date_trunc('"'"'month'"'"', "ReceivedOn"), COUNT(*) FROM "Referrals" WHERE "ReceivedOn" >= (date_trunc('"'"'month'"'"', now()) - interval '"'"'23 months'"'"')::date GROUP BY 1, 2) t'
else
  anchor_sql="SELECT COUNT(*) FROM (SELECT SourceId, strftime('%Y-%m', ReceivedOn), COUNT(*) FROM Referrals WHERE ReceivedOn >= date('now', 'start of month', '-23 months') GROUP BY 1, 2)"
fi
anchor=$(bench_sql_ms "$anchor_sql")
echo "anchor: raw per-source-per-month GROUP BY over 24 months: $anchor ms"

for view in "/" "/api/v1/dashboard"; do
  auth=(-b "$OUT/cookies.txt"); [[ $view == /api/* ]] && auth=(-H "Authorization: Bearer $key")
  curl -s "${auth[@]}" -o /dev/null "$BASE$view"; curl -s "${auth[@]}" -o /dev/null "$BASE$view"  # warm-up
  for _ in $(seq 1 "$RUNS"); do curl -s "${auth[@]}" -o /dev/null "$BASE$view"; done
  ms=$(bench_server_ms "$OUT/serve.log" "$PORT" "$view" "$RUNS")
  echo "$view: server median $ms ms"
  name=$([[ $view == / ]] && echo "dashboard page, all clinics (server)" || echo "GET /api/v1/dashboard, all clinics (server)")
  bench_result "$kind: $name" "$ms" ms "raw GROUP BY 24 months" "$anchor"
done

# Under wrk, a server without the request log (it is there for the server times above).
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
BENCH_REQUEST_LOG=0 bench_serve "$OUT/bin" "$PORT" "$OUT/serve-wrk.log"
read -r hz_rps hz_p99 hz_err < <(bench_wrk "$BASE/healthz")
echo "/healthz under wrk: $hz_rps req/s, p99 $hz_p99 ms, $hz_err errors"
read -r rps p99 errors < <(bench_wrk "$BASE/" "Cookie: $cookie")
echo "/ under wrk: $rps req/s, p99 $p99 ms, $errors errors"
bench_result "$kind: dashboard page under wrk -c32 (req/s)" "$rps" "req/s" "/healthz req/s" "$hz_rps"
bench_result "$kind: dashboard page under wrk -c32 (p99)" "$p99" ms
bench_result "$kind: dashboard page under wrk -c32 (errors)" "$errors" count
rss=$(bench_rss_mb "$SERVER_PID")
echo "server RSS after the load: $rss MiB"
bench_result "$kind: server RSS after dashboard load" "$rss" MiB
