#!/usr/bin/env bash
# Times the dashboard (home page and GET /api/v1/dashboard is the same service) on an existing
# database, server side over loopback: signs in through the real login form, then requests each
# view N times and prints the median. Use it on the large network from bench/seed-large.sh:
#
#   DB=/tmp/bench/rapport-large.db bench/dashboard-page.sh
#   COLD=1 DB=... bench/dashboard-page.sh   # also time the first refresh: empties the rollups, marks every month stale
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?set DB to a SQLite file seeded with rapport demo seed}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-dashboard.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-9}
PORT=${PORT:-5392}
BASE="http://127.0.0.1:$PORT"

if [ ! -f "$OUT/bin/rapport.dll" ]; then
  dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
fi
if [[ "${COLD:-}" == "1" ]]; then
  # As right after a bulk load: no rollup rows, every month from the first referral marked stale.
  sqlite3 "$DB" "DELETE FROM ReferralMonthStats; DELETE FROM EvaluationLagStats; DELETE FROM SourceMonthStats; DELETE FROM SourceYearStats;
    WITH RECURSIVE m(org, month, last) AS (
      SELECT OrganizationId, date(MIN(ReceivedOn), 'start of month'), MAX(ReceivedOn) FROM Referrals GROUP BY OrganizationId
      UNION ALL SELECT org, date(month, '+1 month'), last FROM m WHERE date(month, '+1 month') <= last)
    INSERT INTO RollupDirtyMonths (OrganizationId, Month) SELECT org, month FROM m;"
fi
dotnet "$OUT/bin/rapport.dll" serve --urls "$BASE" "--ConnectionStrings:Rapport=Data Source=$DB" >"$OUT/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done

jar="$OUT/cookies.txt"
token=$(curl -s -c "$jar" "$BASE/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -w "sign-in: %{http_code}\n" \
  --data-urlencode "Email=demo@rapport.test" --data-urlencode "Password=rapport-demo-1" \
  --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/Login"

if [[ "${COLD:-}" == "1" ]]; then
  curl -s -b "$jar" -o /dev/null -w "first view after marking every month stale (refresh included): %{time_total} s\n" "$BASE/"
fi
clinic=$(sqlite3 "$DB" "SELECT Id FROM Clinics ORDER BY Id LIMIT 1 OFFSET 7")
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for view in "/" "/?clinicId=$clinic" "/?from=2025-01&to=2025-12" "/Sources?page=1"; do
  curl -s -b "$jar" -o /dev/null "$BASE$view"  # warm-up
  times=$(for _ in $(seq 1 "$RUNS"); do curl -s -b "$jar" -o /dev/null -w "%{time_starttransfer}\n" "$BASE$view"; done)
  printf "  %-32s median %5.1f ms  (runs: %s)\n" "$view" "$(echo "$times" | median | awk '{print $1*1000}')" "$(echo "$times" | awk '{printf "%.0f ", $1*1000}')"
done
# The dashboard service alone, as the server logs it (Kestrel's request log gives the handler time).
grep -o "Request finished HTTP/1.1 GET $BASE/[^ ]* - 200 [^ ]* [^ ]* [0-9.]*ms" "$OUT/serve.log" | tail -3 || true
