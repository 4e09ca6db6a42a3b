#!/usr/bin/env bash
# Every benchmark of issue 16 on the large network, one after another, and one table at the end:
# measure, figure, the anchor measured in the same run, ratio, goal, pass/fail.
#
#   DB=/tmp/bench/rapport-large.db bench/run-all.sh          # an existing large network (copied, never changed)
#   bench/run-all.sh                                         # seeds one first (bench/seed-large.sh, ~10 min)
#   RAPPORT_BENCH_POSTGRES="Host=localhost;Username=rapport;Password=rapport;Database=rapport_bench_large" \
#     DB=... bench/run-all.sh                                # PostgreSQL too: a database holding the large
#                                                            # network (rapport demo seed --scale large on it)
#   TABLE_ONLY=1 OUT=/tmp/that-run bench/run-all.sh        # the table again from that run's results.tsv
#   ONLY="dashboard alerts" DB=... bench/run-all.sh          # a subset: dashboard sources alerts import two-nodes
#                                                            # (two-nodes: PostgreSQL only)
#
# Each benchmark gets its own copy of the SQLite file (the import writes to it); the PostgreSQL
# database is only read, except by the import, which makes and drops its own scratch database.
# The machine should be quiet: the figures are wall times. Ratios against anchors measured in the
# same run are what carry from one machine to another.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/rapport-run-all.XXXXXX)}
mkdir -p "$OUT"
ONLY=${ONLY:-dashboard sources alerts import two-nodes}
source bench/lib.sh

if [[ "${TABLE_ONLY:-}" != 1 ]]; then
  if [[ -z "${DB:-}" ]]; then
    echo "== no DB given: seeding the large network into $OUT/seed"
    OUT="$OUT/seed" SKIP_QUERIES=1 bench/seed-large.sh
    DB="$OUT/seed/rapport-large.db"
  fi
  bench_build "$OUT/bin"
  echo "== build: $OUT/bin; results: $OUT/results.tsv; logs: $OUT/*.log"
  : >"$OUT/results.tsv"

  copy_db() { # name → path of a fresh copy of DB
    local copy="$OUT/$1.db"
    rm -f "$copy" "$copy-wal" "$copy-shm"
    sqlite3 "$DB" ".backup '$copy'"
    echo "$copy"
  }
  run() { # name command…  (collects RESULT lines, keeps the log)
    local name=$1; shift
    echo "== $name ($(date -u +%H:%M:%S))"
    "$@" 2>&1 | tee "$OUT/$name.log" | grep -v '^RESULT' | sed 's/^/   /'
    grep '^RESULT' "$OUT/$name.log" | cut -f2- >>"$OUT/results.tsv"
    [[ -n "${COPY:-}" ]] && rm -f "$COPY" "$COPY-wal" "$COPY-shm"
    COPY=""
  }
  with_pg=(); [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]] && with_pg=(postgres)
  # A part run on a copy of the SQLite file, then on PostgreSQL when it is given.
  on_both() { # name script
    COPY=$(copy_db "$1"); mkdir -p "$OUT/$1"; ln -sfn "$OUT/bin" "$OUT/$1/bin"
    run "$1" env -u RAPPORT_BENCH_POSTGRES OUT="$OUT/$1" DB="$COPY" "$2"
    for _ in "${with_pg[@]}"; do
      mkdir -p "$OUT/$1-pg"; ln -sfn "$OUT/bin" "$OUT/$1-pg/bin"
      run "$1-pg" env OUT="$OUT/$1-pg" "$2"
    done
  }

  for part in $ONLY; do
    case $part in
      dashboard) on_both dashboard bench/dashboard-load.sh ;;
      sources) on_both sources bench/sources-page.sh ;;
      alerts)
        COPY=$(copy_db alerts); mkdir -p "$OUT/alerts"; ln -sfn "$OUT/bin" "$OUT/alerts/bin"
        run alerts env OUT="$OUT/alerts" DB="$COPY" bench/alerts.sh ;;
      import)
        server=""
        [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]] && server=$(echo "$RAPPORT_BENCH_POSTGRES" | tr ';' '\n' | grep -vi '^Database=' | paste -sd';')
        run import env RAPPORT_BENCH_POSTGRES="$server" OUT="$OUT/import" DB="$DB" RAPPORT_DLL="$OUT/bin/rapport.dll" bench/import-large.sh ;;
      two-nodes)
        for _ in "${with_pg[@]}"; do
          mkdir -p "$OUT/two-nodes"; ln -sfn "$OUT/bin" "$OUT/two-nodes/bin"
          run two-nodes env OUT="$OUT/two-nodes" bench/two-nodes.sh
        done ;;
      *) echo "unknown part: $part" ;;
    esac
  done
fi

# The goals of issue 16, matched on the measure's name: kind (max: figure ≤ limit; min: figure ≥
# limit; zero; ratio-min: anchor ÷ figure ≥ limit for times, figure ÷ anchor for rates).
goal_of() { # measure unit anchor
  case "$1|$2|$3" in
    *"dashboard page, all clinics (server)"*) echo "max 10|ratio-time 25" ;;
    *"api/v1/dashboard"*"(server)"*) echo "max 10" ;;
    *"two nodes"*"req/s together"*) echo "min 1000" ;;
    *"two nodes"*p99*) echo "max 100" ;;
    *"two nodes"*errors*|*"two nodes"*"logs"*) echo "zero" ;;
    *"two nodes"*"sign-in"*) echo "equal 200" ;;
    *"two nodes"*RSS*) echo "max 300" ;;
    *wrk*"|req/s|"*) echo "min 1000" ;;
    *wrk*p99*"|ms|"*) echo "max 100" ;;
    *wrk*errors*) echo "zero" ;;
    *"|ms|ranking query alone"*) echo "max 20" ;;
    alerts_all_warm*) echo "max 250" ;;
    server_rss*|*"server RSS"*) echo "max 300" ;;
    cli_alerts_cold*) echo "max 1.5" ;;
    import_network_rows_per_s\|*) echo "ratio-rate 1" ;;
    import_new_practice_rows_per_s\|*|pg_import_new_practice_rows_per_s\|*) echo "min 200000" ;;
    *import*peak_rss*) echo "max 300" ;;
    *) echo "" ;;
  esac
}
echo
echo "== issue 16 benchmarks (SQLite file: ${DB:-as given}${RAPPORT_BENCH_POSTGRES:+; PostgreSQL too}), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %s | %s | %s | %s | %s | %s |\n' "measure" "figure" "anchor (same run)" "ratio" "goal" "pass"
printf '|---|---|---|---|---|---|\n'
pass=0 fail=0
while IFS=$'\t' read -r measure figure unit anchor anchor_figure; do
  goals=$(goal_of "$measure" "$unit" "$anchor")
  ratio="" verdict="—" goal_text=""
  [[ "$anchor" == "-" ]] && anchor="" anchor_figure=""
  if [[ -n "$anchor_figure" && "$anchor_figure" != "0" && -n "$figure" ]]; then
    ratio=$(awk -v f="$figure" -v a="$anchor_figure" 'BEGIN { if (f > 0) printf "%.2f", f / a }')
  fi
  if [[ -n "$goals" ]]; then
    verdict=pass
    IFS='|' read -ra parts <<<"$goals"
    for g in "${parts[@]}"; do
      read -r kind limit <<<"$g"
      ok=$(awk -v f="$figure" -v a="${anchor_figure:-0}" -v k="$kind" -v l="${limit:-0}" 'BEGIN {
        if (f == "") { print 0; exit }
        if (k == "max") print (f <= l) ? 1 : 0
        else if (k == "min") print (f >= l) ? 1 : 0
        else if (k == "zero") print (f == 0) ? 1 : 0
        else if (k == "equal") print (f == l) ? 1 : 0
        else if (k == "ratio-time") print (a > 0 && f > 0 && a / f >= l) ? 1 : 0
        else if (k == "ratio-rate") print (a > 0 && f / a >= l) ? 1 : 0 }')
      case $kind in
        max) goal_text+="≤ $limit $unit " ;; min) goal_text+="≥ $limit $unit " ;; zero) goal_text+="0 " ;; equal) goal_text+="$limit " ;;
        ratio-time) goal_text+="anchor ≥ ${limit}× figure " ;; ratio-rate) goal_text+="≥ ${limit}× anchor " ;;
      esac
      [[ "$ok" == 1 ]] || verdict=FAIL
    done
    [[ $verdict == pass ]] && pass=$((pass + 1)) || fail=$((fail + 1))
  fi
  printf '| %s | %s %s | %s | %s | %s | %s |\n' "$measure" "$figure" "$unit" "${anchor:+$anchor: $anchor_figure}" "${ratio:+${ratio}×}" "${goal_text% }" "$verdict"
done <"$OUT/results.tsv"
echo
echo "$pass goals met, $fail not met"
