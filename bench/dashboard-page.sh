#!/usr/bin/env bash
# Times the dashboard (home page and GET /api/v1/dashboard is the same service) on an existing
# database, server side over loopback: signs in through the real login form, then requests each
# view N times and prints the median. Use it on the large network from bench/seed-large.sh:
#
#   DB=/tmp/bench/rapport-large.db bench/dashboard-page.sh
#   COLD=1 DB=... bench/dashboard-page.sh   # also time the first refresh: empties the rollups, marks every month stale
#   BASELINE=341add7 DB=... bench/dashboard-page.sh   # also a build of that revision on a copy of the
#       database (BASELINE_DB, default $OUT/baseline.db, copied before this build migrates DB),
#       requested turn about with this checkout, and the ratio of the medians
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?set DB to a SQLite file seeded with rapport demo seed}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-dashboard.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-9}
PORT=${PORT:-5392}

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
  [ -f "$BASELINE_DB" ] || sqlite3 "$DB" ".backup '$BASELINE_DB'"
  [ -d "$OUT/baseline-src" ] || { mkdir -p "$OUT/baseline-src" && git archive "$BASELINE" | tar -x -C "$OUT/baseline-src"; }
  build "$OUT/baseline-src" "$OUT/baseline-bin"
  labels=(baseline current)
  dbs=("$BASELINE_DB" "$DB")
  bins=("$OUT/baseline-bin" "$OUT/bin")
fi
build . "$OUT/bin"

if [[ "${COLD:-}" == "1" ]]; then
  # As right after a bulk load: no rollup rows, every month from the first referral marked stale.
  for db in "${dbs[@]}"; do
    sqlite3 "$db" "DELETE FROM ReferralMonthStats; DELETE FROM EvaluationLagStats; DELETE FROM SourceMonthStats; DELETE FROM SourceYearStats;
      WITH RECURSIVE m(org, month, last) AS (
        SELECT OrganizationId, date(MIN(ReceivedOn), 'start of month'), MAX(ReceivedOn) FROM Referrals GROUP BY OrganizationId
        UNION ALL SELECT org, date(month, '+1 month'), last FROM m WHERE date(month, '+1 month') <= last)
      INSERT INTO RollupDirtyMonths (OrganizationId, Month) SELECT org, month FROM m;"
  done
fi
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for i in "${!labels[@]}"; do
  # Kestrel's "Request finished … ms" lines give the server's own time per request.
  dotnet "${bins[$i]}/rapport.dll" serve --urls "http://127.0.0.1:$((PORT + i))" "--ConnectionStrings:Rapport=Data Source=${dbs[$i]}" \
    --Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information >"$OUT/serve-${labels[$i]}.log" 2>&1 &
  pids+=($!)
done
for i in "${!labels[@]}"; do
  base="http://127.0.0.1:$((PORT + i))"
  for _ in $(seq 1 90); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done
  jar="$OUT/cookies-${labels[$i]}.txt"
  token=$(curl -s -c "$jar" "$base/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$jar" -c "$jar" -o /dev/null -w "${labels[$i]} sign-in: %{http_code}\n" \
    --data-urlencode "Email=demo@rapport.test" --data-urlencode "Password=rapport-demo-1" \
    --data-urlencode "__RequestVerificationToken=$token" "$base/Account/Login"
  if [[ "${COLD:-}" == "1" ]]; then
    curl -s -b "$jar" -o /dev/null -w "  ${labels[$i]}: first view after marking every month stale (refresh included): %{time_total} s\n" "$base/"
  fi
done

clinic=$(sqlite3 "$DB" "SELECT Id FROM Clinics ORDER BY Id LIMIT 1 OFFSET 7")
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for view in "/" "/?clinicId=$clinic" "/?from=2025-01&to=2025-12" "/Sources?page=1"; do
  declare -A times=()
  for i in "${!labels[@]}"; do
    curl -s -b "$OUT/cookies-${labels[$i]}.txt" -o /dev/null "http://127.0.0.1:$((PORT + i))$view"  # warm-up
  done
  for _ in $(seq 1 "$RUNS"); do
    for i in "${!labels[@]}"; do
      times[$i]+="$(curl -s -b "$OUT/cookies-${labels[$i]}.txt" -o /dev/null -w "%{time_starttransfer}" "http://127.0.0.1:$((PORT + i))$view") "
    done
  done
  echo "  $view"
  declare -A med=() server=()
  for i in "${!labels[@]}"; do
    med[$i]=$(echo "${times[$i]}" | tr ' ' '\n' | grep . | median | awk '{print $1*1000}')
    sleep 0.2  # the request log is written after the response
    server[$i]=$(grep -F "Request finished HTTP/1.1 GET http://127.0.0.1:$((PORT + i))$view - 200" "$OUT/serve-${labels[$i]}.log" \
      | tail -"$RUNS" | grep -o '[0-9.]*ms$' | tr -d ms | median)
    printf "    %-9s server median %5.1f ms, to first byte %5.1f ms (runs: %s)\n" "${labels[$i]}" "${server[$i]}" "${med[$i]}" \
      "$(echo "${times[$i]}" | tr ' ' '\n' | grep . | awk '{printf "%.0f ", $1*1000}')"
  done
  if [[ ${#labels[@]} == 2 ]]; then
    printf "    ratio     server %.1fx, to first byte %.1fx\n" "$(echo "${server[0]} / ${server[1]}" | bc -l)" "$(echo "${med[0]} / ${med[1]}" | bc -l)"
  fi
done
