#!/usr/bin/env bash
# Times the sources list on an existing database (the large network from bench/seed-large.sh):
#   - the /Sources page and /api/v1/sources for each sort, search and deep page: median of RUNS
#     requests over loopback (signed in through the real login form; the API with a key made by
#     `rapport apikeys create`), against the ANCHOR of the same run: the metric ranking query alone
#     (20,000 correlated counts, what a metric sort cost before SourceListMetrics) in sqlite3/psql;
#   - `wrk -t2 -c32 -d10s` on /api/v1/sources (default sort, and sorted by a metric), against
#     /healthz under the same wrk;
#   - the server's resident memory after the load.
# Prints RESULT<TAB>measure<TAB>figure<TAB>unit<TAB>anchor-name<TAB>anchor-figure lines (for
# bench/run-all.sh) after the human-readable ones.
#
#   DB=/tmp/bench/rapport-large.db bench/sources-page.sh
#   BIN=/tmp/main-build DB=/tmp/copy.db bench/sources-page.sh     # a prebuilt rapport (e.g. main) instead of this checkout
#   RAPPORT_BENCH_POSTGRES="Host=…;Database=…" bench/sources-page.sh  # the same on PostgreSQL (the network loaded there)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/rapport-page.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-9}
PORT=${PORT:-5391}
DURATION=${DURATION:-10s}
BASE="http://127.0.0.1:$PORT"
BIN=${BIN:-$OUT/bin}

if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
  db=(--Database:Provider=postgres "--ConnectionStrings:Rapport=$RAPPORT_BENCH_POSTGRES")
  engine=postgres
  # libpq's environment from the Npgsql connection string, for psql.
  eval "$(python3 - "$RAPPORT_BENCH_POSTGRES" <<'EOF'
import shlex, sys
names = {"host": "PGHOST", "port": "PGPORT", "username": "PGUSER", "user id": "PGUSER", "password": "PGPASSWORD", "database": "PGDATABASE"}
for part in sys.argv[1].split(";"):
    if "=" in part:
        key, value = part.split("=", 1)
        if key.strip().lower() in names:
            print(f"export {names[key.strip().lower()]}={shlex.quote(value.strip())}")
EOF
)"
else
  : "${DB:?set DB to a SQLite file seeded with rapport demo seed (or RAPPORT_BENCH_POSTGRES)}"
  db=("--ConnectionStrings:Rapport=Data Source=$DB")
  engine=sqlite
fi

if [ ! -f "$BIN/rapport.dll" ]; then
  dotnet build src/Rapport -c Release -o "$BIN" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
fi
rapport() { dotnet "$BIN/rapport.dll" "$@" "${db[@]}"; }
# Migrate (a database seeded by an older build) before anything is timed.
rapport db migrate >/dev/null 2>&1 || true
key=$(rapport apikeys create --name "bench/sources-page.sh" 2>/dev/null | tail -1)
dotnet "$BIN/rapport.dll" serve --urls "$BASE" "${db[@]}" >"$OUT/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done

jar="$OUT/cookies.txt"
token=$(curl -s -c "$jar" "$BASE/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -w "sign-in: %{http_code}\n" \
  --data-urlencode "Email=demo@rapport.test" --data-urlencode "Password=rapport-demo-1" \
  --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/Login"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# The anchor: ranking every active source by its referrals in the last 12 months, alone.
since=$(date -u -d '12 months ago' +%F)
anchor_sql="SELECT s.\"Id\" FROM \"ReferralSources\" s WHERE s.\"OrganizationId\" = (SELECT MIN(\"Id\") FROM \"Organizations\") AND s.\"ArchivedAt\" IS NULL
  ORDER BY (SELECT COUNT(*) FROM \"Referrals\" r WHERE r.\"SourceId\" = s.\"Id\" AND r.\"ReceivedOn\" > '$since') DESC, s.\"Id\" LIMIT 50;"
anchor_once() {
  if [[ $engine == sqlite ]]; then
    printf '.timer on\n%s\n' "$anchor_sql" | sqlite3 "$DB" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | awk '{ print $1 * 1000 }'
  else
    psql -qAt -c '\timing on' -c "$anchor_sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
  fi
}
anchor_once >/dev/null  # warm-up
anchor=$(for _ in $(seq 1 "$RUNS"); do anchor_once; done | median)
printf "  %-56s median %6.1f ms\n" "anchor: ranking query alone ($engine)" "$anchor"

results=()
time_view() { # label url [curl args...]
  local label=$1 url=$2; shift 2
  curl -s "$@" -o /dev/null "$url"  # warm-up (and, for a metric sort, today's ranking)
  local times ms
  times=$(for _ in $(seq 1 "$RUNS"); do curl -s "$@" -o /dev/null -w "%{time_total}\n" "$url"; done)
  ms=$(echo "$times" | median | awk '{ printf "%.1f", $1 * 1000 }')
  printf "  %-56s median %6.1f ms  (runs: %s)\n" "$label" "$ms" "$(echo "$times" | awk '{ printf "%.0f ", $1 * 1000 }')"
  results+=("$(printf 'RESULT\t%s (%s)\t%s\tms\tranking query alone (%s)\t%s' "$label" "$engine" "$ms" "$engine" "$anchor")")
}
for view in "/Sources" "/Sources?sort=Referrals12m&desc=true" "/Sources?sort=ActivePatients&desc=true" "/Sources?sort=DaysSinceTouch&desc=true" \
            "/Sources?sort=LastReferBackAt" "/Sources?q=house" "/Sources?q=house&sort=Referrals90d&desc=true" "/Sources?page=200"; do
  time_view "$view" "$BASE$view" -b "$jar"
done
for view in "/api/v1/sources" "/api/v1/sources?sort=Referrals12m&descending=true" "/api/v1/sources?search=house" "/api/v1/sources?page=200"; do
  time_view "$view" "$BASE$view" -H "Authorization: Bearer $key"
done

# wrk: requests/s, p99 latency (ms) and errors (non-2xx + socket errors).
load() { # url [header]
  local report
  # Warm-up first, not counted (tiered JIT: see bench_wrk in bench/lib.sh).
  if [[ "${WRK_WARMUP_SECONDS:-20}" != 0 ]]; then
    if [[ $# -gt 1 ]]; then wrk -t2 -c32 -d"${WRK_WARMUP_SECONDS:-20}s" -H "$2" "$1" >/dev/null; else wrk -t2 -c32 -d"${WRK_WARMUP_SECONDS:-20}s" "$1" >/dev/null; fi
  fi
  if [[ $# -gt 1 ]]; then report=$(wrk -t2 -c32 -d"$DURATION" --latency -H "$2" "$1"); else report=$(wrk -t2 -c32 -d"$DURATION" --latency "$1"); fi
  echo "$report" >>"$OUT/wrk.log"
  local rps p99 errors
  rps=$(echo "$report" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
  p99=$(echo "$report" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.1f", v }')
  errors=$(echo "$report" | awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  echo "$rps $p99 $errors"
}
read -r h_rps h_p99 h_err < <(load "$BASE/healthz")
printf "  %-56s %6s req/s  p99 %6s ms  errors %s\n" "wrk -c32 /healthz" "$h_rps" "$h_p99" "$h_err"
for view in "/api/v1/sources" "/api/v1/sources?sort=Referrals12m&descending=true"; do
  read -r rps p99 err < <(load "$BASE$view" "Authorization: Bearer $key")
  printf "  %-56s %6s req/s  p99 %6s ms  errors %s\n" "wrk -c32 $view" "$rps" "$p99" "$err"
  results+=("$(printf 'RESULT\twrk -c32 %s req/s (%s)\t%s\treq/s\t/healthz req/s\t%s' "$view" "$engine" "$rps" "$h_rps")")
  results+=("$(printf 'RESULT\twrk -c32 %s p99 (%s)\t%s\tms\t/healthz p99\t%s' "$view" "$engine" "$p99" "$h_p99")")
  results+=("$(printf 'RESULT\twrk -c32 %s errors (%s)\t%s\terrors\t/healthz errors\t%s' "$view" "$engine" "$err" "$h_err")")
done
rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")
printf "  %-56s %6s MB\n" "server RSS after the load" "$rss"
results+=("$(printf 'RESULT\tsources server RSS after load (%s)\t%s\tMB\t-\t-' "$engine" "$rss")")
printf '%s\n' "${results[@]}"
