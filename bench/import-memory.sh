#!/usr/bin/env bash
# Peak memory and speed of `rapport import` on 1,000,000-row files (issue 12, item 11: under 300 MB).
# Generates deterministic files (fixed seed and dates), then imports, each under /usr/bin/time -v:
#   sources   1M into a new practice, and into one that already has the first 200k of them;
#   referrals 1M into a new practice (5k sources, 200k patients imported first), and into one that
#             already has the first 200k referrals (so 200k rows are unchanged and 800k added).
# Prints peak RSS (MB) and rows/s for each, with two anchors measured in the same run: the RSS of
# `rapport --help` (what the runtime and app cost before any import) and `sqlite3 .import` of the
# same referrals file into a plain table (the floor for "read a CSV into SQLite").
#
#   bench/import-memory.sh                      # SQLite, work folder under /tmp
#   ROWS=200000 bench/import-memory.sh          # smaller files
#   RAPPORT_DLL=/tmp/old/bin/rapport.dll bench/import-memory.sh   # measure another build (e.g. before a change)
#   BENCH_POSTGRES="Host=localhost;Username=rapport;Password=rapport" bench/import-memory.sh
#       # PostgreSQL: each scenario gets a throwaway database rapport_import_bench_N (dropped after)
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
EXISTING=${EXISTING:-$((ROWS / 5))}
OUT=${OUT:-$(mktemp -d /tmp/rapport-import-bench.XXXXXX)}
mkdir -p "$OUT"

if [[ -z "${RAPPORT_DLL:-}" ]]; then
  echo "== building (Release) into $OUT/bin"
  dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  RAPPORT_DLL="$OUT/bin/rapport.dll"
fi

echo "== generating files ($ROWS rows) in $OUT"
python3 - "$OUT" "$ROWS" <<'PY'
import csv, random, sys, datetime
out, rows = sys.argv[1], int(sys.argv[2])
random.seed(20190320)

def npi(nine):
    # Luhn over 80840 + nine digits; 24 stands for the prefix.
    total, double = 24, True
    for ch in reversed(nine):
        d = int(ch) * (2 if double else 1)
        total += d - 9 if d > 9 else d
        double = not double
    return nine + str((10 - total % 10) % 10)

with open(f"{out}/sources.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["npi", "first_name", "last_name", "credential", "taxonomy_code", "practice_name", "address", "city", "state", "zip",
                "phone", "email", "status", "touch_cadence_days", "tags"])
    for i in range(rows):
        w.writerow([npi(str(100000000 + i * 37)), f"First{i}", f"Müller-Last{i}", "MD", "207X00000X", f"Practice {i % 5000}",
                    f"{i % 9999 + 1} Main St", "Springfield", "IL", "62701", f"217-555-{i % 10000:04d}", f"doc{i}@example.org",
                    "Active", 30, "hip, knee" if i % 3 == 0 else ""])

patients = max(1, rows // 5)
with open(f"{out}/patients.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "first_name", "last_name", "birth_date", "sex", "zip", "payer", "acquisition_channel"])
    for i in range(patients):
        w.writerow([f"MRN-{i:07d}", f"Pat{i}", f"Ient{i}", f"{random.randint(1,12):02d}/{random.randint(1,28):02d}/{random.randint(1940,2010)}",
                    random.choice("FM"), "62701", "Aetna", "Physician"])

sources = [npi(str(100000000 + i * 37)) for i in range(min(rows, 5000))]
start = datetime.date(2022, 1, 1)
with open(f"{out}/referrals.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "source_npi", "patient_external_id", "clinic", "therapist", "received_date", "scheduled_date",
                "evaluated_date", "discharged_date", "lost_date", "lost_reason", "diagnosis", "body_region", "payer_category", "visits"])
    iso = lambda d: d.isoformat() if d else ""
    for i in range(rows):
        received = start + datetime.timedelta(days=random.randint(0, 900))
        step = random.random()
        scheduled = received + datetime.timedelta(days=2) if step > 0.1 else None
        evaluated = received + datetime.timedelta(days=5) if step > 0.2 else None
        discharged = received + datetime.timedelta(days=25) if step > 0.5 else None
        lost = received + datetime.timedelta(days=3) if step <= 0.1 else None
        w.writerow([f"REF-{i:07d}", "" if i % 10 == 0 else random.choice(sources), f"MRN-{random.randrange(patients):07d}", "",
                    "J. Doe, DPT", iso(received), iso(scheduled), iso(evaluated), iso(discharged), iso(lost),
                    "No answer" if lost else "", "M17.11;Z96.651", "Knee", random.choice(["Medicare", "commercial", "workers comp"]),
                    random.randint(0, 20)])
PY
head -n $((EXISTING + 1)) "$OUT/sources.csv" >"$OUT/sources-existing.csv"
head -n $((EXISTING + 1)) "$OUT/referrals.csv" >"$OUT/referrals-existing.csv"
head -n 5001 "$OUT/sources.csv" >"$OUT/sources-5k.csv"

scenario=0
db=()
# A new database with one practice ("bench", one clinic) and nothing else.
new_practice() {
  scenario=$((scenario + 1))
  if [[ -n "${BENCH_POSTGRES:-}" ]]; then
    local name="rapport_import_bench_$scenario"
    psql "$(pg_url postgres)" -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    db=(--Database:Provider=postgres "--ConnectionStrings:Rapport=$BENCH_POSTGRES;Database=$name")
    dotnet "$RAPPORT_DLL" db migrate "${db[@]}" >/dev/null
    psql "$(pg_url "$name")" -q -c "INSERT INTO \"Organizations\" (\"Slug\", \"Name\", \"TimeZoneId\", \"CreatedAt\") VALUES ('bench', 'Bench PT', 'UTC', now());
      INSERT INTO \"Clinics\" (\"OrganizationId\", \"Name\") SELECT \"Id\", 'Main' FROM \"Organizations\";" >/dev/null
  else
    local file="$OUT/bench-$scenario.db"
    rm -f "$file" "$file-wal" "$file-shm"
    db=(--Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$file")
    dotnet "$RAPPORT_DLL" db migrate "${db[@]}" >/dev/null
    sqlite3 "$file" "INSERT INTO Organizations (Slug, Name, TimeZoneId, CreatedAt) VALUES ('bench', 'Bench PT', 'UTC', datetime('now'));
      INSERT INTO Clinics (OrganizationId, Name) SELECT Id, 'Main' FROM Organizations;"
  fi
}
# Npgsql keywords → a libpq URL for psql (host, port, user, password), with the given database.
pg_url() {
  python3 - "$BENCH_POSTGRES" "$1" <<'PY'
import sys, urllib.parse
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
get = lambda *keys, default="": next((parts[k] for k in parts if k.lower() in keys), default)
user, password = urllib.parse.quote(get("username", "user id", "user")), urllib.parse.quote(get("password"))
print(f"postgresql://{user}:{password}@{get('host', 'server', default='localhost')}:{get('port', default='5432')}/{sys.argv[2]}")
PY
}

printf '\n%-44s %10s %10s %10s %12s\n' "run" "rows" "wall s" "peak MB" "rows/s"
# measure LABEL FILE -- command...: one row of the table.
measure() {
  local label="$1" file="$2"; shift 3
  local rows=0
  [[ -n "$file" ]] && rows=$(($(wc -l <"$file") - 1))
  if ! /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/out.txt" 2>"$OUT/err.txt"; then
    echo "FAILED: $label"; tail -5 "$OUT/err.txt" "$OUT/out.txt"; exit 1
  fi
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$OUT/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$OUT/time.txt")
  local rate="-"
  [[ $rows -gt 0 ]] && rate=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')
  printf '%-44s %10s %10s %10s %12s\n' "$label" "$rows" "$wall" "$rss" "$rate"
  grep -i "read as\|rejected" "$OUT/out.txt" | sed 's/^/    /' || true
}
run_import() { measure "$1" "$3" -- dotnet "$RAPPORT_DLL" import "$2" "$3" --org bench "${db[@]}"; }

measure "anchor: rapport --help" "" -- dotnet "$RAPPORT_DLL" --help
measure "anchor: sqlite3 .import referrals (plain)" "$OUT/referrals.csv" -- \
  sqlite3 "$OUT/anchor.db" "DROP TABLE IF EXISTS r" ".mode csv" ".import $OUT/referrals.csv r"

new_practice
run_import "sources into a new practice" sources "$OUT/sources.csv"

new_practice
run_import "  (setup: $EXISTING sources)" sources "$OUT/sources-existing.csv"
run_import "sources into a practice with data" sources "$OUT/sources.csv"

new_practice
run_import "  (setup: 5k sources)" sources "$OUT/sources-5k.csv"
run_import "  (setup: patients)" patients "$OUT/patients.csv"
run_import "referrals into a new practice" referrals "$OUT/referrals.csv"
run_import "referrals again (all unchanged)" referrals "$OUT/referrals.csv"

new_practice
run_import "  (setup: 5k sources)" sources "$OUT/sources-5k.csv"
run_import "  (setup: patients)" patients "$OUT/patients.csv"
run_import "  (setup: $EXISTING referrals)" referrals "$OUT/referrals-existing.csv"
run_import "referrals into a practice with data" referrals "$OUT/referrals.csv"

if [[ -n "${BENCH_POSTGRES:-}" ]]; then
  for n in $(seq 1 $scenario); do psql "$(pg_url postgres)" -q -c "DROP DATABASE IF EXISTS rapport_import_bench_$n" >/dev/null; done
fi
echo
echo "Wall time includes process start (see the --help anchor). Files and databases: $OUT"
