#!/usr/bin/env bash
# Seeds the large benchmark network (about 100 clinics, 20,000 sources, 2,000,000 referrals)
# into a fresh SQLite file, then reports wall time, peak RSS, database size, and the time of
# the sources list (default sort, and by referrals in the last 12 months), median of 5 runs.
#
#   bench/seed-large.sh                 # work folder under /tmp, default seed
#   OUT=/tmp/bench SEED=7 bench/seed-large.sh
#   SKIP_QUERIES=1 bench/seed-large.sh  # seeding only
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-$(mktemp -d /tmp/rapport-bench.XXXXXX)}
SEED=${SEED:-20190320}
RUNS=${RUNS:-5}
mkdir -p "$OUT"
DB="$OUT/rapport-large.db"
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== building (Release) into $OUT/bin"
dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
rapport() { dotnet "$OUT/bin/rapport.dll" "$@" "--ConnectionStrings:Rapport=Data Source=$DB"; }

echo "== seeding --scale large --seed $SEED into $DB"
export -f rapport; export OUT DB
/usr/bin/time -v -o "$OUT/time.txt" bash -c 'rapport demo seed --scale large --seed '"$SEED"
echo
echo "== seed figures"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$OUT/time.txt" | sed 's/^\s*/  /'
awk -F': ' '/Maximum resident set size/ { printf "  peak RSS: %.0f MiB\n", $2 / 1024 }' "$OUT/time.txt"
sizes=$(du -cb "$DB"* | tail -1 | cut -f1)
echo "  database files: $(du -h "$DB" | cut -f1) ($(ls "$DB"* | xargs -n1 basename | tr '\n' ' ')), total $((sizes / 1024 / 1024)) MiB"
sqlite3 "$DB" "SELECT 'rows: ' || (SELECT COUNT(*) FROM Clinics) || ' clinics, ' || (SELECT COUNT(*) FROM ReferralSources) || ' sources, '
  || (SELECT COUNT(*) FROM Patients) || ' patients, ' || (SELECT COUNT(*) FROM Referrals) || ' referrals, '
  || (SELECT COUNT(*) FROM ReferralsOut) || ' refer-backs, ' || (SELECT COUNT(*) FROM Touchpoints) || ' touchpoints'" 2>/dev/null | sed 's/^/  /' || true

if [[ "${SKIP_QUERIES:-}" == "1" ]]; then exit 0; fi

# Times one CLI run in seconds (process start included; the first line measures that alone).
time_run() { /usr/bin/time -f "%e" -o "$OUT/t.txt" bash -c "rapport $* >/dev/null"; cat "$OUT/t.txt"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "== sources list, median of $RUNS runs (seconds, including ~process start)"
for query in "sources list --format json --search no-such-source" \
             "sources list --format json" \
             "sources list --format json --sort Referrals12m --desc"; do
  times=()
  for _ in $(seq "$RUNS"); do times+=("$(time_run "$query")"); done
  printf '  %-58s median %s  (runs: %s)\n' "$query" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
done

echo
echo "== SourceQueries.ListAsync in-process, page 1 of 50, median of $RUNS runs"
dotnet run bench/list-query.cs -- "Data Source=$DB" "$RUNS"
