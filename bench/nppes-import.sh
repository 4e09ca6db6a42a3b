#!/usr/bin/env bash
# Benchmarks `rapport import nppes` against the issue's goals, with the anchor measured in the same run:
#   1. generates a file in the exact NPPES layout (default 1,000,000 records, ~1.3 KB each);
#   2. filtered import (--states CA,NV,AZ,OR,WA --taxonomy-groups pt-referrers) into a fresh SQLite
#      database under /usr/bin/time -v: rows/s = file records / wall time of the whole command
#      (start-up and migrations included), and peak RSS;
#   3. anchor: PostgreSQL `\copy … CSV HEADER` of the same file into a 330-column text table;
#   4. the same filtered import into PostgreSQL, and an unfiltered import into SQLite (reported, no goal).
# Goals: >= 150,000 rows/s, >= 2x the COPY rate, peak RSS <= 250 MB.
# Usage: bench/nppes-import.sh [records]   (needs /usr/bin/time, python3; psql for the anchor)
# RAPPORT_BENCH_POSTGRES: an Npgsql connection string of a server where databases may be created
# (default Host=localhost;Port=5432;Username=rapport;Password=rapport;Database=postgres when reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
states="CA,NV,AZ,OR,WA"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/Rapport -v quiet -nologo >/dev/null
rapport=(dotnet src/Rapport/bin/Release/net10.0/rapport.dll)
file="$work/npidata_pfile_20050523-20261108.csv"
"${rapport[@]}" registry generate --rows "$rows" --out "$file" --seed 14
cat "$file" > /dev/null   # every measurement reads the file from the page cache

# Runs a command under /usr/bin/time -v; prints "seconds rss_mb" on fd 3.
measure() {
  local log="$work/time.log"
  /usr/bin/time -v "$@" > "$work/out.log" 2> "$log" || { cat "$work/out.log" "$log" >&2; exit 1; }
  python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1).split(":")
seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
print(f"{seconds:.2f} {rss:.0f}")
PY
}

echo "== filtered import into SQLite (--states $states --taxonomy-groups pt-referrers)"
read -r sqlite_s sqlite_rss < <(measure "${rapport[@]}" import nppes "$file" --states "$states" --taxonomy-groups pt-referrers \
  --Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$work/filtered.db")
sed -n '/lines read/,$p' "$work/out.log"

pg="${RAPPORT_BENCH_POSTGRES:-Host=localhost;Port=5432;Username=rapport;Password=rapport;Database=postgres}"
eval "$(python3 - "$pg" <<'PY'
import shlex, sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
get = lambda *keys, default="": next((parts[k] for k in parts if k.lower() in keys), default)
print(f"export PGHOST={shlex.quote(get('host', 'server'))} PGPORT={shlex.quote(get('port', default='5432'))} "
      f"PGUSER={shlex.quote(get('username', 'user id', 'userid', 'user'))} PGPASSWORD={shlex.quote(get('password'))} "
      f"PGDATABASE={shlex.quote(get('database', default='postgres'))}")
PY
)"
copy_s=""; pg_s=""; pg_rss=""
if command -v psql >/dev/null && psql -qAtc "select 1" >/dev/null 2>&1; then
  scratch="nppes_bench_$$"
  psql -qc "CREATE DATABASE $scratch" >/dev/null
  trap 'psql -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT
  columns="$(python3 -c 'print(", ".join(f"c{i} text" for i in range(1, 331)))')"
  PGDATABASE=$scratch psql -qc "CREATE UNLOGGED TABLE nppes_copy ($columns)"
  echo "== anchor: PostgreSQL \\copy of the same file into a 330-column text table"
  start=$(date +%s.%N)
  PGDATABASE=$scratch psql -qc "\\copy nppes_copy FROM '$file' CSV HEADER"
  copy_s=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
  echo "copied $(PGDATABASE=$scratch psql -qAtc 'select count(*) from nppes_copy') rows in $copy_s s"
  PGDATABASE=$scratch psql -qc "DROP TABLE nppes_copy"
  echo "== filtered import into PostgreSQL"
  read -r pg_s pg_rss < <(measure "${rapport[@]}" import nppes "$file" --states "$states" --taxonomy-groups pt-referrers \
    --Database:Provider=postgres "--ConnectionStrings:Rapport=Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$scratch")
  sed -n '/rows kept/p;/elapsed/p' "$work/out.log"
else
  echo "(no PostgreSQL reachable: the COPY anchor and the PostgreSQL import are skipped)"
fi

echo "== unfiltered import into SQLite"
read -r all_s all_rss < <(measure "${rapport[@]}" import nppes "$file" \
  --Database:Provider=sqlite "--ConnectionStrings:Rapport=Data Source=$work/all.db")
sed -n '/rows kept/p;/elapsed/p' "$work/out.log"

python3 - "$rows" "$(stat -c %s "$file")" "$sqlite_s" "$sqlite_rss" "${copy_s:-0}" "${pg_s:-0}" "${pg_rss:-0}" "$all_s" "$all_rss" <<'PY'
import sys
rows, size, sqlite_s, sqlite_rss, copy_s, pg_s, pg_rss, all_s, all_rss = map(float, sys.argv[1:])
rate = rows / sqlite_s
print(f"\nfile: {rows:,.0f} records, {size / 2**20:,.0f} MiB ({size / rows:,.0f} bytes a record)")
print(f"{'measurement':<44}{'seconds':>9}{'rows/s':>12}{'peak RSS MB':>13}")
print(f"{'filtered import, SQLite':<44}{sqlite_s:>9.2f}{rate:>12,.0f}{sqlite_rss:>13,.0f}")
if copy_s:
    print(f"{'PostgreSQL COPY, 330 text columns (anchor)':<44}{copy_s:>9.2f}{rows / copy_s:>12,.0f}{'':>13}")
    print(f"{'filtered import, PostgreSQL':<44}{pg_s:>9.2f}{rows / pg_s:>12,.0f}{pg_rss:>13,.0f}")
print(f"{'unfiltered import, SQLite':<44}{all_s:>9.2f}{rows / all_s:>12,.0f}{all_rss:>13,.0f}")
ok = lambda b: "PASS" if b else "FAIL"
print(f"\n{ok(rate >= 150_000)}  >= 150,000 rows/s (filtered, SQLite): {rate:,.0f}")
if copy_s:
    print(f"{ok(rate >= 2 * rows / copy_s)}  >= 2x PostgreSQL COPY: {rate / (rows / copy_s):.2f}x")
print(f"{ok(max(sqlite_rss, pg_rss, all_rss) <= 250)}  peak RSS <= 250 MB: {max(sqlite_rss, pg_rss, all_rss):,.0f} MB")
PY
