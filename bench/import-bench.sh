#!/usr/bin/env bash
# Times `rapport import` on SQLite with generated files: 2,000 sources, 40,000 patients and
# 50,000 referrals, then re-imports the referrals (nothing should change).
# Usage: bench/import-bench.sh [referral count]   (needs python3 and /usr/bin/time)
# Set BENCH_POSTGRES to an Npgsql connection string for a scratch database to time PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-50000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/Rapport -v quiet -nologo >/dev/null
rapport=(dotnet src/Rapport/bin/Release/net10.0/rapport.dll)
if [[ -n "${BENCH_POSTGRES:-}" ]]; then
  db=(--Database:Provider=postgres "--ConnectionStrings:Rapport=$BENCH_POSTGRES")
else
  db=(--Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$work/rapport.db")
fi

python3 - "$work" "$count" <<'PY'
import csv, random, sys, datetime
work, count = sys.argv[1], int(sys.argv[2])
random.seed(20190320)

def npi(nine):
    # Luhn over 80840 + nine digits; 24 stands for the prefix.
    total, double = 24, True
    for ch in reversed(nine):
        d = int(ch) * (2 if double else 1)
        total += d - 9 if d > 9 else d
        double = not double
    return nine + str((10 - total % 10) % 10)

sources = [npi(str(100000000 + i * 37)) for i in range(2000)]
with open(f"{work}/sources.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["npi", "first_name", "last_name", "credential", "taxonomy_code", "city", "state", "zip", "phone", "status", "touch_cadence_days"])
    for i, n in enumerate(sources):
        w.writerow([n, f"First{i}", f"Last{i}", "MD", "207X00000X", "Springfield", "IL", "62701", f"217-555-{i % 10000:04d}", "Active", 30])

patients = [f"MRN-{i:07d}" for i in range(max(1, count * 4 // 5))]
with open(f"{work}/patients.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "first_name", "last_name", "birth_date", "sex", "zip", "payer", "acquisition_channel"])
    for i, p in enumerate(patients):
        w.writerow([p, f"Pat{i}", f"Ient{i}", f"{random.randint(1,12):02d}/{random.randint(1,28):02d}/{random.randint(1940,2010)}",
                    random.choice("FM"), "62701", "Aetna", "Physician"])

today = datetime.date.today()
with open(f"{work}/referrals.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "source_npi", "patient_external_id", "clinic", "therapist", "received_date", "scheduled_date",
                "evaluated_date", "discharged_date", "lost_date", "lost_reason", "diagnosis", "body_region", "payer_category", "visits"])
    for i in range(count):
        received = today - datetime.timedelta(days=random.randint(30, 900))
        step = random.random()
        scheduled = received + datetime.timedelta(days=2) if step > 0.1 else None
        evaluated = received + datetime.timedelta(days=5) if step > 0.2 else None
        discharged = received + datetime.timedelta(days=25) if step > 0.5 else None
        lost = received + datetime.timedelta(days=3) if step <= 0.1 else None
        iso = lambda d: d.isoformat() if d else ""
        w.writerow([f"REF-{i:07d}", "" if i % 10 == 0 else random.choice(sources), random.choice(patients), "", "J. Doe, DPT",
                    iso(received), iso(scheduled), iso(evaluated), iso(discharged), iso(lost), "No answer" if lost else "",
                    "M17.11;Z96.651", "Knee", random.choice(["Medicare", "commercial", "workers comp"]), random.randint(0, 20)])
PY

"${rapport[@]}" demo seed "${db[@]}" >/dev/null

run() {
  local label="$1"; shift
  /usr/bin/time -v "${rapport[@]}" import "$@" "${db[@]}" 2>"$work/time.txt" | tail -1
  local wall rss cpu
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {sum += $2} END {printf "%.1f", sum}' "$work/time.txt")
  # Wall time includes process start-up and the migration check (~1-2 s); CPU is user + system.
  printf '%-22s wall %8s   cpu %6ss   peak RSS %6d MB\n' "$label" "$wall" "$cpu" $((rss / 1024))
}

run "sources ($(($(wc -l <"$work/sources.csv") - 1)))" sources "$work/sources.csv"
run "patients ($(($(wc -l <"$work/patients.csv") - 1)))" patients "$work/patients.csv"
run "referrals ($count)" referrals "$work/referrals.csv"
run "referrals again" referrals "$work/referrals.csv"
