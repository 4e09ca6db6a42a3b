#!/usr/bin/env bash
# Times computing every alert on an existing SQLite database (the large network from
# bench/seed-large.sh: 20,000 sources, 2 million referrals), two ways, median of RUNS each:
#   - `rapport alerts --format json`, a fresh process each run: the computeMilliseconds it prints
#     (snapshot, evaluation, acknowledgements; the process's first queries, so cold) and the wall time;
#   - GET /api/v1/alerts on a running server (warm): computeMilliseconds and the request time.
# With BASELINE set to a git revision, the same for a build of that revision on a copy of the
# database, interleaved run by run with this checkout so both see the same machine load, and the
# ratio of the medians; it also checks that both builds return the same alerts.
#
#   DB=/tmp/bench/rapport-large.db bench/alerts.sh
#   BASELINE=341add7 DB=/tmp/bench/rapport-large.db bench/alerts.sh
#
# The baseline's copy (BASELINE_DB, default $OUT/baseline.db) is made before this build migrates
# DB, so make it from a database the current build has not opened yet (or pass your own copy).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?set DB to a SQLite file seeded with rapport demo seed}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-alerts.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-7}
PORT=${PORT:-5393}

build() { # source-folder output-folder
  if [ ! -f "$2/rapport.dll" ]; then
    dotnet build "$1/src/Rapport" -c Release -o "$2" -nologo -v quiet -p:UseAppHost=false >"$2.log" 2>&1 || { cat "$2.log"; exit 1; }
  fi
}
labels=(current)
dbs=("$DB")
bins=("$OUT/bin")
if [[ -n "${BASELINE:-}" ]]; then
  BASELINE_DB=${BASELINE_DB:-$OUT/baseline.db}
  if [ ! -f "$BASELINE_DB" ]; then
    echo "== copying $DB to $BASELINE_DB for the baseline"
    sqlite3 "$DB" ".backup '$BASELINE_DB'"
  fi
  if [ ! -d "$OUT/baseline-src" ]; then
    mkdir -p "$OUT/baseline-src" && git archive "$BASELINE" | tar -x -C "$OUT/baseline-src"
  fi
  newer=$(sqlite3 "$BASELINE_DB" "SELECT MigrationId FROM __EFMigrationsHistory" | while read -r m; do
    [ -f "$OUT/baseline-src/src/Rapport.Migrations.Sqlite/Migrations/$m.cs" ] || echo "$m"; done)
  if [[ -n "$newer" ]]; then
    echo "warning: $BASELINE_DB has migrations $BASELINE lacks ($newer): the baseline runs on the newer schema"
  fi
  echo "== building $BASELINE (Release)"
  build "$OUT/baseline-src" "$OUT/baseline-bin"
  labels=(baseline current)
  dbs=("$BASELINE_DB" "$DB")
  bins=("$OUT/baseline-bin" "$OUT/bin")
fi
echo "== building this checkout (Release)"
build . "$OUT/bin"

rapport() { # index args...
  local i=$1; shift
  dotnet "${bins[$i]}/rapport.dll" "$@" "--ConnectionStrings:Rapport=Data Source=${dbs[$i]}"
}
compute_ms() { python3 -c 'import json,sys; print(json.load(sys.stdin)["computeMilliseconds"])'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A runs  # "series index" -> space-separated values

# One run each first: migrations, and the alerts compared.
for i in "${!labels[@]}"; do
  rapport "$i" alerts --format json >"$OUT/alerts-${labels[$i]}.json"
  echo "  ${labels[$i]}: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["alerts"]))' "$OUT/alerts-${labels[$i]}.json") alerts"
done
if [[ ${#labels[@]} == 2 ]]; then
  python3 - "$OUT/alerts-baseline.json" "$OUT/alerts-current.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b): d.pop("computeMilliseconds")
print("  same alerts, reasons and numbers:", "yes" if a == b else "NO")
PY
fi

echo "== rapport alerts --format json, a process per run, $RUNS runs each (interleaved)"
for _ in $(seq "$RUNS"); do
  for i in "${!labels[@]}"; do
    start=$(date +%s.%N)
    ms=$(rapport "$i" alerts --format json | compute_ms)
    runs[cli_ms$i]+="$ms "
    runs[cli_wall$i]+="$(echo "$(date +%s.%N) - $start" | bc) "
  done
done

echo "== GET /api/v1/alerts on a running server, $RUNS runs each after a warm-up (interleaved)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for i in "${!labels[@]}"; do
  # dotnet itself in the background (not the rapport function, a subshell), so $! is the server's pid.
  dotnet "${bins[$i]}/rapport.dll" serve --urls "http://127.0.0.1:$((PORT + i))" "--ConnectionStrings:Rapport=Data Source=${dbs[$i]}" >"$OUT/serve-${labels[$i]}.log" 2>&1 &
  pids+=($!)
done
declare -A keys
for i in "${!labels[@]}"; do
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$((PORT + i))/healthz" >/dev/null 2>&1 && break; sleep 1; done
  keys[$i]=$(rapport "$i" apikeys create --name "bench/alerts.sh" 2>/dev/null)
  curl -fs -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts" >/dev/null  # warm-up
done
for _ in $(seq "$RUNS"); do
  for i in "${!labels[@]}"; do
    body=$(curl -fs -w '\n%{time_total}' -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts")
    runs[api_ms$i]+="$(echo "$body" | head -n -1 | compute_ms) "
    runs[api_wall$i]+="$(echo "$body" | tail -1 | awk '{ print $1 * 1000 }') "
  done
done

echo
printf '  %-10s %28s %24s %26s %24s\n' "" "CLI computeMilliseconds" "CLI process (s)" "API computeMilliseconds" "API request (ms)"
declare -A med
for i in "${!labels[@]}"; do
  for k in cli_ms cli_wall api_ms api_wall; do
    med[$k$i]=$(echo "${runs[$k$i]}" | tr ' ' '\n' | grep . | median)
  done
  printf '  %-10s %28s %24s %26s %24s\n' "${labels[$i]}" "${med[cli_ms$i]}" "${med[cli_wall$i]}" "${med[api_ms$i]}" "${med[api_wall$i]}"
  echo "    runs: CLI ${runs[cli_ms$i]}| API ${runs[api_ms$i]}"
done
if [[ ${#labels[@]} == 2 ]]; then
  printf '  %-10s %28s %24s %26s %24s\n' "ratio" \
    "$(echo "scale=1; ${med[cli_ms0]} / ${med[cli_ms1]}" | bc)x" "$(echo "scale=1; ${med[cli_wall0]} / ${med[cli_wall1]}" | bc)x" \
    "$(echo "scale=1; ${med[api_ms0]} / ${med[api_ms1]}" | bc)x" "$(echo "scale=1; ${med[api_wall0]} / ${med[api_wall1]}" | bc)x"
fi
