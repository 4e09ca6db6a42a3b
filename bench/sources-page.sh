#!/usr/bin/env bash
# Times the sources-list web page (server side, over loopback) on an existing database:
# signs in through the real login form, then requests /Sources N times per view and prints the
# median. Use it on the large benchmark network from bench/seed-large.sh:
#
#   DB=/tmp/bench/rapport-large.db bench/sources-page.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?set DB to a SQLite file seeded with rapport demo seed}"
OUT=${OUT:-$(mktemp -d /tmp/rapport-page.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-7}
PORT=${PORT:-5391}
BASE="http://127.0.0.1:$PORT"

if [ ! -f "$OUT/bin/rapport.dll" ]; then
  dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
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

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for view in "/Sources" "/Sources?sort=Referrals12m&desc=true" "/Sources?q=house" "/Sources?page=200"; do
  curl -s -b "$jar" -o /dev/null "$BASE$view"  # warm-up
  times=$(for _ in $(seq 1 "$RUNS"); do curl -s -b "$jar" -o /dev/null -w "%{time_total}\n" "$BASE$view"; done)
  printf "  %-42s median %5.0f ms  (runs: %s)\n" "$view" "$(echo "$times" | median | awk '{print $1*1000}')" "$(echo "$times" | awk '{printf "%.0f ", $1*1000}')"
done
