#!/usr/bin/env bash
# Issue 16, import row: `rapport import referrals` of ROWS new referrals (default 500,000)
#   1. into a copy of the large network (DB=..., seeded by bench/seed-large.sh; 2M referrals), then
#      the same file again (every row unchanged);
#   2. into a new practice (one clinic, 5,000 sources and min(200,000, ROWS x 0.4) patients imported first);
# each under /usr/bin/time -v (peak RSS), with anchors measured in the same run:
#   - sqlite3 inserting the same rows (ids resolved) into a copy of the same indexed Referrals
#     table, in one transaction, with sqlite3's default 2 MB page cache and with a 256 MB one;
#   - `rapport --help` for the RSS and time of the process before any import.
# rows/s is the import's own time (printed by the CLI: file opened to commit), so process start
# and the migration check are left out; the wall time with them is printed too.
# With RAPPORT_BENCH_POSTGRES (an Npgsql connection string of a scratch server) the new-practice
# run is repeated on PostgreSQL (database rapport_import_large, dropped after), anchored by
# psql \copy of the same rows into a copy of the table (CREATE TABLE ... LIKE ... INCLUDING ALL).
#
#   DB=/tmp/bench16/rapport-large.db bench/import-large.sh
#   DB=... ROWS=100000 RAPPORT_DLL=/tmp/main/rapport.dll bench/import-large.sh   # another build
#   DB=... RAPPORT_BENCH_POSTGRES="Host=localhost;Username=rapport;Password=rapport" bench/import-large.sh
# Prints RESULT<TAB>measure<TAB>figure<TAB>unit<TAB>anchor<TAB>anchor figure lines at the end.
# The database copies live in OUT and are deleted at the end unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:?set DB to the large network (bench/seed-large.sh); it is copied, never opened}
ROWS=${ROWS:-500000}
OUT=${OUT:-$(mktemp -d /tmp/rapport-import-large.XXXXXX)}
mkdir -p "$OUT"
[[ "${KEEP:-}" == "1" ]] || trap 'rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm' EXIT

if [[ -z "${RAPPORT_DLL:-}" ]]; then
  echo "== building (Release) into $OUT/bin"
  dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  RAPPORT_DLL="$OUT/bin/rapport.dll"
fi

results=()
printf '\n%-52s %9s %9s %9s %9s %9s\n' "run" "rows" "wall s" "import s" "peak MB" "rows/s"
# measure LABEL ROWS -- command...: one line of the table; sets wall, rss, secs (the CLI's own time when printed, else wall) and rate.
measure() {
  local label="$1" rows="$2"; shift 3
  if ! /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/out.txt" 2>"$OUT/err.txt"; then
    echo "FAILED: $label"; tail -5 "$OUT/err.txt" "$OUT/out.txt"; exit 1
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$OUT/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$OUT/time.txt")
  secs=$(grep -oE '\(([0-9.]+) s\)$' "$OUT/out.txt" | tail -1 | tr -d '()s ' || true)
  [[ -n "$secs" ]] || secs=$wall
  rate="-"
  [[ $rows -gt 0 ]] && rate=$(awk -v r="$rows" -v w="$secs" 'BEGIN { printf "%.0f", r / (w > 0 ? w : 0.01) }')
  printf '%-52s %9s %9s %9s %9s %9s\n' "$label" "$rows" "$wall" "$secs" "$rss" "$rate"
  grep -i "rejected\|added\|unchanged" "$OUT/out.txt" | sed 's/^/    /' || true
}
result() { results+=("$(printf 'RESULT\t%s\t%s\t%s\t%s\t%s' "$@")"); }
rapport_sqlite() { local file="$1"; shift; dotnet "$RAPPORT_DLL" "$@" --Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$file"; }

# The anchor's insert: the staged rows (ids resolved) into Referrals in one transaction.
COLUMNS='OrganizationId, ExternalId, PatientId, SourceId, ClinicId, Therapist, ReceivedOn, ScheduledOn, EvaluatedOn, DischargedOn, LostOn, LostReason, Status, DiagnosisCodes, BodyRegion, PayerCategory, AcquisitionChannel, VisitCount, CreatedAt, UpdatedAt'
anchor_sql() { # CACHE_PRAGMA CSV
  cat <<SQL
$1
.import --csv --schema temp $2 staged
BEGIN;
INSERT INTO Referrals ($COLUMNS)
SELECT OrganizationId, ExternalId, PatientId, NULLIF(SourceId, ''), ClinicId, Therapist, ReceivedOn, NULLIF(ScheduledOn, ''), NULLIF(EvaluatedOn, ''),
       NULLIF(DischargedOn, ''), NULLIF(LostOn, ''), NULLIF(LostReason, ''), Status, DiagnosisCodes, BodyRegion, PayerCategory, AcquisitionChannel,
       VisitCount, CreatedAt, UpdatedAt FROM temp.staged;
COMMIT;
SQL
}

# Generates the rapport file and the anchor's file (same rows, ids resolved) from "kind<TAB>key<TAB>id" lines.
generate() { # REFS OUT_PREFIX ORG_ID PREFIX
  python3 - "$1" "$2" "$ROWS" "$3" "$4" <<'PY'
import csv, random, sys, datetime
refs, prefix, rows, org, key_prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
random.seed(20190320)
kinds = {"source": [], "patient": [], "clinic": []}
for line in open(refs):
    kind, key, id_ = line.rstrip("\n").split("\t")
    kinds[kind].append((key, id_))
sources, patients, clinics = kinds["source"], kinds["patient"], kinds["clinic"]
one_clinic = len(clinics) == 1
start = datetime.date(2022, 1, 1)
iso = lambda d: d.isoformat() if d else ""
with open(f"{prefix}.csv", "w", newline="") as f, open(f"{prefix}-anchor.csv", "w", newline="") as a:
    w, wa = csv.writer(f), csv.writer(a)
    w.writerow(["external_id", "source_npi", "patient_external_id", "clinic", "therapist", "received_date", "scheduled_date",
                "evaluated_date", "discharged_date", "lost_date", "lost_reason", "diagnosis", "body_region", "payer_category", "visits"])
    wa.writerow(["OrganizationId", "ExternalId", "PatientId", "SourceId", "ClinicId", "Therapist", "ReceivedOn", "ScheduledOn", "EvaluatedOn",
                 "DischargedOn", "LostOn", "LostReason", "Status", "DiagnosisCodes", "BodyRegion", "PayerCategory", "AcquisitionChannel",
                 "VisitCount", "CreatedAt", "UpdatedAt"])
    for i in range(rows):
        received = start + datetime.timedelta(days=random.randint(0, 900))
        step = random.random()
        scheduled = received + datetime.timedelta(days=2) if step > 0.1 else None
        evaluated = received + datetime.timedelta(days=5) if step > 0.2 else None
        discharged = received + datetime.timedelta(days=25) if step > 0.5 else None
        lost = received + datetime.timedelta(days=3) if step <= 0.1 else None
        source = None if i % 10 == 0 else random.choice(sources)
        patient = random.choice(patients)
        clinic = random.choice(clinics)
        payer = random.choice(["Medicare", "Commercial", "WorkersComp"])
        visits = random.randint(0, 20)
        status = "Lost" if lost else "Discharged" if discharged else "Evaluated" if evaluated else "Scheduled" if scheduled else "Received"
        w.writerow([f"{key_prefix}{i:07d}", source[0] if source else "", patient[0], "" if one_clinic else clinic[0], "J. Doe, DPT",
                    iso(received), iso(scheduled), iso(evaluated), iso(discharged), iso(lost), "No answer" if lost else "",
                    "M17.11;Z96.651", "Knee", payer, visits])
        wa.writerow([org, f"{key_prefix}{i:07d}", patient[1], source[1] if source else "", clinic[1], "J. Doe, DPT", iso(received), iso(scheduled),
                     iso(evaluated), iso(discharged), iso(lost), "No answer" if lost else "", status, "M17.11,Z96.651", "Knee", payer,
                     "Physician" if source else "DirectAccess", visits, "2026-01-01 00:00:00", "2026-01-01 00:00:00"])
PY
}

network=(--Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$OUT/network.db")
echo "== copying $DB into $OUT (sqlite3 .backup) and migrating the copy"
sqlite3 "$DB" ".backup '$OUT/network.db'"
rapport_sqlite "$OUT/network.db" db migrate >/dev/null
sqlite3 "$OUT/network.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$OUT/network.db" "$OUT/anchor-network.db"
cp "$OUT/network.db" "$OUT/anchor-network-256.db"
org_id=$(sqlite3 "$OUT/network.db" "SELECT Id FROM Organizations ORDER BY Id LIMIT 1")
org=$(sqlite3 "$OUT/network.db" "SELECT Slug FROM Organizations WHERE Id = $org_id")
sqlite3 -separator $'\t' "$OUT/network.db" "SELECT 'source', Npi, Id FROM ReferralSources WHERE OrganizationId = $org_id AND Npi IS NOT NULL;
  SELECT 'patient', ExternalId, Id FROM Patients WHERE OrganizationId = $org_id; SELECT 'clinic', Name, Id FROM Clinics WHERE OrganizationId = $org_id;" >"$OUT/network-refs.tsv"
echo "== generating $ROWS referrals for $org ($(grep -c '^source' "$OUT/network-refs.tsv") sources, $(grep -c '^patient' "$OUT/network-refs.tsv") patients)"
generate "$OUT/network-refs.tsv" "$OUT/network" "$org_id" "BENCH-"

measure "anchor: rapport --help" 0 -- dotnet "$RAPPORT_DLL" --help
help_rss=$rss
anchor_sql "" "$OUT/network-anchor.csv" >"$OUT/anchor.sql"
measure "anchor: sqlite3 insert into network copy (2 MB cache)" "$ROWS" -- sqlite3 "$OUT/anchor-network.db" ".read $OUT/anchor.sql"
anchor_network=$rate
anchor_sql "PRAGMA cache_size = -262144;" "$OUT/network-anchor.csv" >"$OUT/anchor.sql"
measure "anchor: sqlite3 insert, 256 MB page cache" "$ROWS" -- sqlite3 "$OUT/anchor-network-256.db" ".read $OUT/anchor.sql"
anchor_network_256=$rate
rm -f "$OUT"/anchor-network*.db*
measure "rapport import into the network (2M referrals)" "$ROWS" -- dotnet "$RAPPORT_DLL" import referrals "$OUT/network.csv" --org "$org" "${network[@]}"
network_rate=$rate network_rss=$rss
measure "the same file again (all unchanged)" "$ROWS" -- dotnet "$RAPPORT_DLL" import referrals "$OUT/network.csv" --org "$org" "${network[@]}"
again_rate=$rate again_rss=$rss
result import_network_rows_per_s "$network_rate" rows/s sqlite3_insert_same_table "$anchor_network"
result import_network_rows_per_s_vs_256mb_cache "$network_rate" rows/s sqlite3_insert_256mb_cache "$anchor_network_256"
result import_network_peak_rss "$network_rss" MB rapport_help_rss "$help_rss"
result reimport_unchanged_rows_per_s "$again_rate" rows/s sqlite3_insert_same_table "$anchor_network"
result reimport_unchanged_peak_rss "$again_rss" MB rapport_help_rss "$help_rss"
rm -f "$OUT"/network.db*

# A new practice: one clinic, 5,000 of the network's sources and 200,000 patients (fewer for a small ROWS), no referrals.
echo "== new practice"
python3 - "$OUT" "$ROWS" <<'PY'
import csv, sys
out, rows = sys.argv[1], int(sys.argv[2])
npis = [l.split("\t")[1] for l in open(f"{out}/network-refs.tsv") if l.startswith("source\t")][:5000]
with open(f"{out}/new-sources.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["npi", "first_name", "last_name", "credential"])
    for i, n in enumerate(npis): w.writerow([n, f"First{i}", f"Last{i}", "MD"])
with open(f"{out}/new-patients.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["external_id", "first_name", "last_name", "birth_date"])
    for i in range(min(200000, rows * 2 // 5)): w.writerow([f"NP-{i:07d}", f"Pat{i}", f"Ient{i}", f"19{40 + i % 60}-0{1 + i % 9}-1{i % 9}"])
PY
new_db="$OUT/new.db"
rapport_sqlite "$new_db" db migrate >/dev/null
sqlite3 "$new_db" "INSERT INTO Organizations (Slug, Name, TimeZoneId, CreatedAt) VALUES ('bench', 'Bench PT', 'UTC', datetime('now'));
  INSERT INTO Clinics (OrganizationId, Name) SELECT Id, 'Main' FROM Organizations;"
rapport_sqlite "$new_db" import sources "$OUT/new-sources.csv" --org bench >/dev/null
rapport_sqlite "$new_db" import patients "$OUT/new-patients.csv" --org bench >/dev/null
sqlite3 "$new_db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
sqlite3 -separator $'\t' "$new_db" "SELECT 'source', Npi, Id FROM ReferralSources; SELECT 'patient', ExternalId, Id FROM Patients; SELECT 'clinic', Name, Id FROM Clinics;" >"$OUT/new-refs.tsv"
generate "$OUT/new-refs.tsv" "$OUT/new" "$(sqlite3 "$new_db" "SELECT Id FROM Organizations")" "NEW-"
cp "$new_db" "$OUT/anchor-new.db"
anchor_sql "" "$OUT/new-anchor.csv" >"$OUT/anchor.sql"
measure "anchor: sqlite3 insert into the new practice" "$ROWS" -- sqlite3 "$OUT/anchor-new.db" ".read $OUT/anchor.sql"
anchor_new=$rate
measure "rapport import into a new practice" "$ROWS" -- dotnet "$RAPPORT_DLL" import referrals "$OUT/new.csv" --org bench --Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$new_db"
result import_new_practice_rows_per_s "$rate" rows/s sqlite3_insert_empty_table "$anchor_new"
result import_new_practice_peak_rss "$rss" MB rapport_help_rss "$help_rss"

if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
  echo "== PostgreSQL: new practice"
  pg_url() {
    python3 - "$RAPPORT_BENCH_POSTGRES" "$1" <<'PY'
import sys, urllib.parse
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
get = lambda *keys, default="": next((parts[k] for k in parts if k.lower() in keys), default)
user, password = urllib.parse.quote(get("username", "user id", "user")), urllib.parse.quote(get("password"))
print(f"postgresql://{user}:{password}@{get('host', 'server', default='localhost')}:{get('port', default='5432')}/{sys.argv[2]}")
PY
  }
  name=rapport_import_large
  psql "$(pg_url postgres)" -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  pg=(--Database:Provider=postgres "--ConnectionStrings:Rapport=$RAPPORT_BENCH_POSTGRES;Database=$name")
  dotnet "$RAPPORT_DLL" db migrate "${pg[@]}" >/dev/null
  psql "$(pg_url $name)" -q -c "INSERT INTO \"Organizations\" (\"Slug\", \"Name\", \"TimeZoneId\", \"CreatedAt\") VALUES ('bench', 'Bench PT', 'UTC', now());
    INSERT INTO \"Clinics\" (\"OrganizationId\", \"Name\") SELECT \"Id\", 'Main' FROM \"Organizations\";" >/dev/null
  dotnet "$RAPPORT_DLL" import sources "$OUT/new-sources.csv" --org bench "${pg[@]}" >/dev/null
  dotnet "$RAPPORT_DLL" import patients "$OUT/new-patients.csv" --org bench "${pg[@]}" >/dev/null
  # The anchor's copy of the table has its indexes (INCLUDING ALL) but not its foreign keys, so the SQLite ids do.
  psql "$(pg_url $name)" -q -c 'CREATE TABLE anchor_referrals (LIKE "Referrals" INCLUDING ALL)' >/dev/null
  cols=$(echo "$COLUMNS" | sed -E 's/([A-Za-z]+)/"\1"/g')
  measure "anchor: psql \\copy into a copy of Referrals" "$ROWS" -- psql "$(pg_url $name)" -q -c "\\copy anchor_referrals ($cols) FROM '$OUT/new-anchor.csv' WITH (FORMAT csv, HEADER true)"
  anchor_pg=$rate
  measure "rapport import into a new practice (PostgreSQL)" "$ROWS" -- dotnet "$RAPPORT_DLL" import referrals "$OUT/new.csv" --org bench "${pg[@]}"
  result pg_import_new_practice_rows_per_s "$rate" rows/s psql_copy_same_table "$anchor_pg"
  result pg_import_new_practice_peak_rss "$rss" MB rapport_help_rss "$help_rss"
  psql "$(pg_url postgres)" -q -c "DROP DATABASE IF EXISTS $name" >/dev/null
fi

echo
echo "rows/s = rows / the import's own time (the CLI's figure); wall includes process start. Work folder: $OUT"
printf '%s\n' "${results[@]}"
