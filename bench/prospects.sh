#!/usr/bin/env bash
# Times the prospects page and API for a clinic with 10,000 registry physicians of its niche within
# 25 miles (goal: at most 100 ms server time at a 25-mile radius; docs/prospects.md).
#
#   bench/prospects.sh                 # RUNS=9 requests per view after a warm-up, median reported
#
# It seeds the small demo into a fresh SQLite database (Riverside Downtown, ZIP 92501, niche
# "orthopaedics, joint replacement"), adds PHYSICIANS (default 10,000) orthopaedic and sports-medicine
# physicians in practices of 1–6 at ZCTAs within 25 miles of 92501 plus NOISE (default 20,000) of other
# specialties, then times over loopback, after a warm-up:
#   - GET /Prospects?clinic=1&radius=25 (the page: ranked table of the first 100 rows and the scatter);
#   - GET /api/v1/prospects?clinic=1&radius=25&limit=100, and the same with every row (JSON of ~10,000 rows);
#   - the anchor: the raw index range the search reads, in sqlite3 (.timer), and the row count it returns.
# curl's time_total over loopback is the server time plus a negligible transfer.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/rapport-prospects.XXXXXX)}
mkdir -p "$OUT"
RUNS=${RUNS:-9}
PORT=${PORT:-5394}
PHYSICIANS=${PHYSICIANS:-10000}
NOISE=${NOISE:-20000}
BASE="http://127.0.0.1:$PORT"
DB="$OUT/rapport.db"
CS="--ConnectionStrings:Rapport=Data Source=$DB"

if [ ! -f "$OUT/bin/rapport.dll" ]; then
  echo "== building (Release)"
  dotnet build src/Rapport -c Release -o "$OUT/bin" -nologo -v quiet -p:UseAppHost=false >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== seeding the demo"
start=$(date +%s.%N)
dotnet "$OUT/bin/rapport.dll" demo seed "$CS" >"$OUT/seed.log" 2>&1 || { cat "$OUT/seed.log"; exit 1; }
printf "   demo seeded in %.1f s (%s)\n" "$(echo "$(date +%s.%N) - $start" | bc)" "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM RegistryProviders') registry NPIs from the demo"

echo "== adding $PHYSICIANS orthopaedic/sports physicians and $NOISE others within 25 miles of 92501"
python3 - "$DB" "$PHYSICIANS" "$NOISE" src/Rapport.Core/Registry/Reference/zcta_gazetteer_2010.tsv <<'PY'
import math, random, re, sqlite3, sys
db, physicians, noise, gazetteer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = [line.rstrip("\n").split("\t") for line in open(gazetteer)]
head = [h.strip() for h in rows[0]]
gi, la, lo = head.index("GEOID"), head.index("INTPTLAT"), head.index("INTPTLONG")
points = {r[gi].strip(): (float(r[la]), float(r[lo])) for r in rows[1:]}
def miles(a, b):
    r = math.radians
    h = math.sin(r(b[0] - a[0]) / 2) ** 2 + math.cos(r(a[0])) * math.cos(r(b[0])) * math.sin(r(b[1] - a[1]) / 2) ** 2
    return 2 * 3958.8 * math.asin(min(1, math.sqrt(h)))
centre = points["92501"]
near = sorted(z for z, p in points.items() if miles(centre, p) <= 24.5)
def luhn(nine):
    digits = "80840" + nine
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return nine + str((10 - total % 10) % 10)
rnd = random.Random(20261203)
con = sqlite3.connect(db)
codes_ortho = ["207X00000X", "207X00000X", "207XS0114X", "207XX0005X", "207QS0010X"]
codes_other = ["207Q00000X", "207R00000X", "208000000X", "207V00000X", "2084N0400X", "213E00000X", "111N00000X"]
n, made = 300_000_000, []
def add(count, codes):
    global n
    done = 0
    while done < count:
        zip5 = rnd.choice(near)
        lat, lon = points[zip5]
        street = f"{rnd.randint(100, 9999)} {rnd.choice(['MAIN ST', 'MAGNOLIA AVE', 'MARKET ST', 'UNIVERSITY AVE', 'CENTRAL AVE'])}"
        key = re.sub(r"\s+", " ", re.sub(r"[^A-Z0-9 ]", "", street)) + " " + zip5
        for _ in range(min(rnd.randint(1, 6), count - done)):
            n += 1
            made.append((luhn(str(n)), 1, "BENCH", f"DOC{n}", "M.D.", rnd.choice(codes), street, "RIVERSIDE", "CA", zip5, zip5, "US",
                         "9515550100", "9515550101", "F", lat, lon, key))
            done += 1
add(physicians, codes_ortho)
add(noise, codes_other)
con.executemany("""INSERT INTO RegistryProviders (Npi, EntityType, LastName, FirstName, Credential, TaxonomyCode, AddressLine1, City, State,
  PostalCode, Zip5, CountryCode, Phone, Fax, Gender, Latitude, Longitude, AddressKey, ContentHash, UpdatedAt)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,'2026-12-01 00:00:00')""", made)
con.commit()
con.execute("ANALYZE")
con.close()
print(f"   {len(made):,} rows at {len(near)} ZCTAs")
PY

echo "== anchor: the raw index range in sqlite3 (Orthopaedic surgery + Sports medicine codes, 25-mile box around 92501)"
codes=$(python3 -c "import csv; r=csv.DictReader(open('src/Rapport.Core/Sources/Taxonomy/nucc_251_pt_referral_sources.csv')); print(','.join(sorted({repr(x['Code']) for x in r if x['Category'] in ('Orthopaedic surgery','Sports medicine')})))")
box=$(python3 -c "
import math
rows = [l.rstrip().split('\t') for l in open('src/Rapport.Core/Registry/Reference/zcta_gazetteer_2010.tsv')]
h = [c.strip() for c in rows[0]]
r = next(r for r in rows[1:] if r[h.index('GEOID')].strip() == '92501')
lat, lon, m = float(r[h.index('INTPTLAT')]), float(r[h.index('INTPTLONG')]), 25
d = m / 3958.8 * 180 / math.pi
e = d / math.cos(math.radians(abs(lat) + d))
print(lat - d, lat + d, lon - e, lon + e)")
read -r minlat maxlat minlon maxlon <<<"$box"
sqlite3 "$DB" <<SQL | sed 's/^/   /'
.timer on
SELECT COUNT(*) AS rows_in_box FROM RegistryProviders WHERE TaxonomyCode IN ($codes) AND Latitude BETWEEN $minlat AND $maxlat AND Longitude BETWEEN $minlon AND $maxlon;
SELECT COUNT(*) AS rows_read, MAX(Npi), MAX(LastName), MAX(AddressLine1), MAX(AddressKey), MAX(Phone), MAX(Latitude) FROM (SELECT * FROM RegistryProviders WHERE TaxonomyCode IN ($codes) AND Latitude BETWEEN $minlat AND $maxlat AND Longitude BETWEEN $minlon AND $maxlon);
SQL
sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT * FROM RegistryProviders WHERE TaxonomyCode IN ($codes) AND Latitude BETWEEN $minlat AND $maxlat AND Longitude BETWEEN $minlon AND $maxlon;" | sed 's/^/   plan: /'

key=$(dotnet "$OUT/bin/rapport.dll" apikeys create --name bench "$CS" 2>/dev/null | tail -1)
dotnet "$OUT/bin/rapport.dll" serve --urls "$BASE" "$CS" >"$OUT/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 1; done
jar="$OUT/cookies.txt"
token=$(curl -s -c "$jar" "$BASE/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -w "== sign-in: %{http_code}\n" \
  --data-urlencode "Email=demo@rapport.test" --data-urlencode "Password=rapport-demo-1" \
  --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/Login"
total=$(curl -s -H "Authorization: Bearer $key" "$BASE/api/v1/prospects?clinic=1&radius=25&limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], "prospects in", " + ".join(d["specialties"]))')
echo "== $total within 25 miles of Riverside Downtown"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_view() { # label url auth...
  local label=$1 url=$2; shift 2
  for _ in 1 2 3; do curl -s "$@" -o /dev/null "$BASE$url"; done  # warm-up (JIT, caches)
  times=$(for _ in $(seq 1 "$RUNS"); do curl -s "$@" -o /dev/null -w "%{time_total}\n" "$BASE$url"; done)
  printf "   %-52s median %5.0f ms  (runs: %s)\n" "$label" "$(echo "$times" | median | awk '{print $1*1000}')" "$(echo "$times" | awk '{printf "%.0f ", $1*1000}')"
}
echo "== timings (goal: page ≤ 100 ms); machine load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
time_view "page /Prospects?clinic=1&radius=25" "/Prospects?clinic=1&radius=25" -b "$jar"
time_view "api  /api/v1/prospects?clinic=1&radius=25&limit=100" "/api/v1/prospects?clinic=1&radius=25&limit=100" -H "Authorization: Bearer $key"
time_view "api  /api/v1/prospects?clinic=1&radius=25 (all rows)" "/api/v1/prospects?clinic=1&radius=25" -H "Authorization: Bearer $key"
time_view "page /Prospects?clinic=1&radius=10" "/Prospects?clinic=1&radius=10" -b "$jar"
