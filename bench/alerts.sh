#!/usr/bin/env bash
# Times computing every alert on the large network (bench/seed-large.sh: 20,000 sources, 2 million
# referrals), median of RUNS each, with anchors measured in the same run:
#   - GET /api/v1/alerts on a running server, warm (all alerts, unpaged): request time, against the
#     snapshot's 3 largest queries run by sqlite3 (psql on PostgreSQL) on the same database;
#   - the response's bytes, against a page of 100 (?pageSize=100);
#   - the server's RSS after RSS_REQUESTS more unpaged requests, against its RSS after /healthz only;
#   - `rapport alerts --format json`, a fresh process each run (cold): wall time, against
#     `rapport --version` (process start).
# With BASELINE set to a git revision, the same for a build of that revision on a copy of the
# database, interleaved run by run with this checkout, and a check that both return the same alerts.
# With RAPPORT_BENCH_POSTGRES (an Npgsql connection string of a database holding the large network,
# e.g. seeded with bench/seed-large.sh on PostgreSQL), the current build is timed on it too.
# Final figures are printed as RESULT<TAB>measure<TAB>figure<TAB>unit<TAB>anchor<TAB>anchor-figure.
#
#   DB=/tmp/bench/rapport-large.db bench/alerts.sh
#   BASELINE=main DB=/tmp/bench/rapport-large.db bench/alerts.sh
#
# The baseline's copy (BASELINE_DB, default $OUT/baseline.db) is made before this build opens DB,
# so make it from a database the current build has not opened yet (or pass your own copy).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?set DB to a SQLite file seeded with bench/seed-large.sh}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-alerts.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-7}
RSS_REQUESTS=${RSS_REQUESTS:-20}
PORT=${PORT:-5393}

build() { # source-folder output-folder
  if [ ! -f "$2/rapport.dll" ]; then
    dotnet build "$1/src/Rapport" -c Release -o "$2" -nologo -v quiet -p:UseAppHost=false >"$2.log" 2>&1 || { cat "$2.log"; exit 1; }
  fi
}
# A series: its label, build, provider and connection string.
labels=(current) bins=("$OUT/bin") providers=(sqlite) connections=("Data Source=$DB")
if [[ -n "${BASELINE:-}" ]]; then
  BASELINE_DB=${BASELINE_DB:-$OUT/baseline.db}
  if [ ! -f "$BASELINE_DB" ]; then
    echo "== copying $DB to $BASELINE_DB for the baseline"
    sqlite3 "$DB" ".backup '$BASELINE_DB'"
  fi
  if [ ! -d "$OUT/baseline-src" ]; then
    mkdir -p "$OUT/baseline-src" && git archive "$BASELINE" | tar -x -C "$OUT/baseline-src"
  fi
  echo "== building $BASELINE (Release)"
  build "$OUT/baseline-src" "$OUT/baseline-bin"
  labels=(baseline "${labels[@]}") bins=("$OUT/baseline-bin" "${bins[@]}") providers=(sqlite "${providers[@]}") connections=("Data Source=$BASELINE_DB" "${connections[@]}")
fi
if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
  labels+=(postgres) bins+=("$OUT/bin") providers+=(postgres) connections+=("$RAPPORT_BENCH_POSTGRES")
fi
echo "== building this checkout (Release)"
build . "$OUT/bin"

rapport() { # series args...
  local i=$1; shift
  dotnet "${bins[$i]}/rapport.dll" "$@" "--Database:Provider=${providers[$i]}" "--ConnectionStrings:Rapport=${connections[$i]}"
}
now() { date +%s.%N; }
ms_since() { echo "($(now) - $1) * 1000" | bc; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A runs  # "measure series" -> space-separated values

# The anchor: the snapshot's three largest reads, as the database runs them alone — every source with
# its first and last referral, last touch and last refer-back (correlated look-ups); every source's
# months from the rollup (35 months); the clinics' 12-month shares by source.
anchor_sql() { # org as-of first-month current-month start-month
  cat <<SQL
SELECT COUNT(*), MAX(f), MAX(l), MAX(t), MAX(b) FROM (SELECT r.Id,
  (SELECT MIN(ReceivedOn) FROM Referrals x WHERE x.OrganizationId = $1 AND x.SourceId = r.Id AND x.ReceivedOn <= '$2') AS f,
  (SELECT MAX(ReceivedOn) FROM Referrals x WHERE x.OrganizationId = $1 AND x.SourceId = r.Id AND x.ReceivedOn <= '$2') AS l,
  (SELECT MAX(OccurredOn) FROM Touchpoints t WHERE t.OrganizationId = $1 AND t.SourceId = r.Id AND t.OccurredOn <= '$2') AS t,
  (SELECT MAX(SentOn) FROM ReferralsOut o WHERE o.OrganizationId = $1 AND o.ToSourceId = r.Id AND o.SentOn <= '$2') AS b
  FROM ReferralSources r WHERE r.OrganizationId = $1 AND r.ArchivedAt IS NULL) q;
SELECT COUNT(*), SUM(Received) FROM (SELECT SourceId, Received FROM SourceMonthStats WHERE OrganizationId = $1 AND ClinicId = 0 AND Month >= '$3' AND Month < '$4') q;
SELECT COUNT(*), SUM(n) FROM (SELECT ClinicId, SourceId, SUM(Received) AS n FROM SourceMonthStats WHERE OrganizationId = $1 AND ClinicId <> 0 AND Month > '$5' AND Month < '$4' GROUP BY ClinicId, SourceId) q;
SQL
}
sql() { # series sql
  if [[ ${providers[$1]} == postgres ]]; then
    # Npgsql's "Host=…;Username=…" to libpq's "host=… user=…".
    local conninfo
    conninfo=$(echo "${connections[$1]}" | tr ';' '\n' | grep . | sed -E 's/^Host=/host=/I; s/^Port=/port=/I; s/^(Username|User ID)=/user=/I; s/^Password=/password=/I; s/^Database=/dbname=/I' | grep -E '^(host|port|user|password|dbname)=' | tr '\n' ' ')
    # Quoted names on PostgreSQL: EF creates them case-sensitive.
    echo "$2" | sed -E 's/\b(Referrals|ReferralSources|Touchpoints|ReferralsOut|SourceMonthStats|Organizations|OrganizationId|SourceId|ReceivedOn|OccurredOn|SentOn|ToSourceId|ArchivedAt|ClinicId|Month|Received|Id)\b/"\1"/g' | psql -qAt "$conninfo"
  else
    sqlite3 "${connections[$1]#Data Source=}" "$2"
  fi
}
as_of=$(date +%F)
current_month=$(date +%Y-%m-01)
first_month=$(date -d "$current_month -35 months" +%F)
start_month=$(date -d "$current_month -12 months" +%F)

echo "== one run each first: migrations, rollups, and the alerts compared"
for i in "${!labels[@]}"; do
  rapport "$i" alerts --format json >"$OUT/alerts-${labels[$i]}.json"
  echo "  ${labels[$i]}: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["alerts"]))' "$OUT/alerts-${labels[$i]}.json") alerts"
done
if [[ ${labels[0]} == baseline ]]; then
  python3 - "$OUT/alerts-baseline.json" "$OUT/alerts-current.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b): d.pop("computeMilliseconds")
print("  same alerts, reasons and numbers:", "yes" if a["alerts"] == b["alerts"] else "NO")
PY
fi

echo "== rapport alerts --format json and rapport --version, a process per run, $RUNS runs each (interleaved)"
for _ in $(seq "$RUNS"); do
  for i in "${!labels[@]}"; do
    start=$(now); dotnet "${bins[$i]}/rapport.dll" --version >/dev/null; runs[version$i]+="$(ms_since "$start") "
    start=$(now); rapport "$i" alerts --format json >/dev/null; runs[cli$i]+="$(ms_since "$start") "
  done
done

echo "== GET /api/v1/alerts on a running server, $RUNS runs each after a warm-up (interleaved), and the anchor queries"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
for i in "${!labels[@]}"; do
  # dotnet itself in the background (not the rapport function, a subshell), so $! is the server's pid.
  dotnet "${bins[$i]}/rapport.dll" serve --urls "http://127.0.0.1:$((PORT + i))" "--Database:Provider=${providers[$i]}" "--ConnectionStrings:Rapport=${connections[$i]}" >"$OUT/serve-${labels[$i]}.log" 2>&1 &
  pids+=($!)
done
declare -A keys orgs
rss_mb() { echo $(( $(awk '/VmRSS/ { print $2 }' "/proc/$1/status") / 1024 )); }
for i in "${!labels[@]}"; do
  for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$((PORT + i))/healthz" >/dev/null 2>&1 && break; sleep 1; done
  curl -fs "http://127.0.0.1:$((PORT + i))/healthz" >/dev/null
  runs[rss_idle$i]=$(rss_mb "${pids[$i]}")
  keys[$i]=$(rapport "$i" apikeys create --name "bench/alerts.sh" 2>/dev/null)
  orgs[$i]=$(sql "$i" "SELECT OrganizationId FROM ReferralSources GROUP BY OrganizationId ORDER BY COUNT(*) DESC LIMIT 1;")
  curl -fs -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts" >/dev/null  # warm-up
done
for _ in $(seq "$RUNS"); do
  for i in "${!labels[@]}"; do
    read -r ms bytes < <(curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts" | awk '{ print $1 * 1000, $2 }')
    runs[api$i]+="$ms " runs[bytes$i]=$bytes
    runs[page_bytes$i]=$(curl -fs -o /dev/null -w '%{size_download}' -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts?pageSize=100")
    start=$(now); sql "$i" "$(anchor_sql "${orgs[$i]}" "$as_of" "$first_month" "$current_month" "$start_month")" >/dev/null; runs[anchor$i]+="$(ms_since "$start") "
  done
done
echo "== $RSS_REQUESTS more unpaged requests each, then the servers' RSS"
for i in "${!labels[@]}"; do
  for _ in $(seq "$RSS_REQUESTS"); do curl -fs -o /dev/null -H "Authorization: Bearer ${keys[$i]}" "http://127.0.0.1:$((PORT + i))/api/v1/alerts"; done
  runs[rss$i]=$(rss_mb "${pids[$i]}")
done

echo
printf '  %-10s %14s %14s %12s %12s %14s %14s %10s %10s\n' "" "API all (ms)" "anchor (ms)" "bytes" "page bytes" "RSS after (MB)" "RSS idle (MB)" "CLI (ms)" "start (ms)"
declare -A med
for i in "${!labels[@]}"; do
  for k in api anchor cli version; do med[$k$i]=$(echo "${runs[$k$i]}" | median); done
  printf '  %-10s %14.0f %14.0f %12s %12s %14s %14s %10.0f %10.0f\n' "${labels[$i]}" "${med[api$i]}" "${med[anchor$i]}" "${runs[bytes$i]}" "${runs[page_bytes$i]}" \
    "${runs[rss$i]}" "${runs[rss_idle$i]}" "${med[cli$i]}" "${med[version$i]}"
  echo "    runs: API ${runs[api$i]}| anchor ${runs[anchor$i]}| CLI ${runs[cli$i]}"
done
for i in "${!labels[@]}"; do
  db=${providers[$i]}; [[ ${labels[$i]} == baseline ]] && db="$db-baseline"
  printf 'RESULT\talerts_all_warm_%s\t%.0f\tms\tsnapshot_3_largest_queries_%s\t%.0f\n' "$db" "${med[api$i]}" "$db" "${med[anchor$i]}"
  printf 'RESULT\talerts_response_bytes_%s\t%s\tbytes\tpage_of_100_bytes\t%s\n' "$db" "${runs[bytes$i]}" "${runs[page_bytes$i]}"
  printf 'RESULT\tserver_rss_after_%s_alerts_%s\t%s\tMB\tserver_rss_idle\t%s\n' "$((RSS_REQUESTS + RUNS + 1))" "$db" "${runs[rss$i]}" "${runs[rss_idle$i]}"
  printf 'RESULT\tcli_alerts_cold_%s\t%.2f\ts\trapport_version\t%.2f\n' "$db" "$(echo "${med[cli$i]} / 1000" | bc -l)" "$(echo "${med[version$i]} / 1000" | bc -l)"
done
