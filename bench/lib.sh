# Shared by the bench scripts: build once, start a server, sign in, time requests, run wrk, and
# print RESULT lines that bench/run-all.sh collects into one table:
#   RESULT<TAB>measure<TAB>figure<TAB>unit<TAB>anchor-name<TAB>anchor-figure
# Source it from a script that has cd'ed to the repository root and set OUT.

bench_build() { # output folder (default $OUT/bin)
  local bin=${1:-$OUT/bin}
  if [ ! -f "$bin/rapport.dll" ]; then
    dotnet build src/Rapport -c Release -o "$bin" -nologo -v quiet -p:UseAppHost=false >"$bin.log" 2>&1 || { cat "$bin.log"; exit 1; }
  fi
}

# The database arguments for `rapport`: PostgreSQL when RAPPORT_BENCH_POSTGRES is set, else the SQLite file $DB.
bench_db_args() {
  if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
    echo "--Database:Provider=postgres"; echo "--ConnectionStrings:Rapport=$RAPPORT_BENCH_POSTGRES"
  else
    echo "--Database:Provider=sqlite"; echo "--ConnectionStrings:Rapport=Data Source=$DB"
  fi
}
bench_db_kind() { [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]] && echo postgres || echo sqlite; }

# Runs one SQL statement against the benchmark database and prints its output (no headers).
bench_sql() {
  if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
    psql "$(bench_pg_uri)" -qAtX -c "$1"
  else
    sqlite3 "$DB" "$1"
  fi
}
# Milliseconds one statement takes inside the database engine (median of RUNS, after one warm-up).
bench_sql_ms() {
  local runs=${RUNS:-7} times=""
  for i in $(seq 0 "$runs"); do
    local ms
    if [[ -n "${RAPPORT_BENCH_POSTGRES:-}" ]]; then
      ms=$(psql "$(bench_pg_uri)" -qAtX -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
    else
      ms=$(printf ".timer on\n%s;\n" "$1" | sqlite3 "$DB" 2>&1 | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | tail -1 | awk '{print $1*1000}')
    fi
    [[ $i -gt 0 ]] && times+="$ms"$'\n'
  done
  echo "$times" | grep . | bench_median
}
# Npgsql "Key=Value;…" to a libpq URI for psql.
bench_pg_uri() {
  local host=localhost port=5432 user="" pass="" db=""
  IFS=';' read -ra parts <<<"$RAPPORT_BENCH_POSTGRES"
  for kv in "${parts[@]}"; do
    case "${kv%%=*}" in
      Host|Server) host=${kv#*=} ;; Port) port=${kv#*=} ;; Username|User\ ID|User) user=${kv#*=} ;;
      Password) pass=${kv#*=} ;; Database) db=${kv#*=} ;;
    esac
  done
  echo "postgresql://$user:$pass@$host:$port/$db"
}

bench_median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Starts `rapport serve` on PORT with request logging (the server's own time per request); sets SERVER_PID.
# BENCH_REQUEST_LOG=0: without it (two log lines a request cost throughput under wrk).
bench_serve() { # bin port log [extra args…]
  local bin=$1 port=$2 log=$3; shift 3
  mapfile -t dbargs < <(bench_db_args)
  local logging=(--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information)
  [[ "${BENCH_REQUEST_LOG:-1}" == 0 ]] && logging=()
  dotnet "$bin/rapport.dll" serve --urls "http://127.0.0.1:$port" "${dbargs[@]}" "${logging[@]}" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "server on port $port did not start:"; tail -20 "$log"; return 1
}

# Signs in through the real form as the demo user; writes the cookie jar.
bench_sign_in() { # base jar
  local token
  token=$(curl -s -c "$2" "$1/Account/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$2" -c "$2" -o /dev/null -w "%{http_code}" \
    --data-urlencode "Email=demo@rapport.test" --data-urlencode "Password=rapport-demo-1" \
    --data-urlencode "__RequestVerificationToken=$token" "$1/Account/Login"
}
# The jar's cookies as one Cookie header value (for wrk).
bench_cookie_header() { awk -F'\t' 'NF >= 7 && $1 !~ /^# / || $1 ~ /^#HttpOnly_/ { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$1"; }

# Median server time (ms) of the last N requests of PATH, read from the server's request log.
bench_server_ms() { # log port path n
  sleep 0.3
  { grep -F "Request finished HTTP/1.1 GET http://127.0.0.1:$2$3 - 200" "$1" || true; } | tail -"$4" | grep -o '[0-9.]*ms$' | tr -d ms | bench_median
}

# Runs wrk and prints "rps p99_ms errors".
bench_wrk() { # url [header…]
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local out
  # A warm-up run first, not counted: .NET compiles hot methods again with profile data after some
  # thousands of calls (tiered compilation), so the first seconds of load measure the JIT, not the
  # server a practice runs for weeks (a cold 15 s run of the dashboard: 500 req/s; warm: 1,480).
  if [[ "${WRK_WARMUP_SECONDS:-20}" != 0 ]]; then
    wrk -t2 -c"${WRK_CONNECTIONS:-32}" -d"${WRK_WARMUP_SECONDS:-20}s" "${args[@]}" "$url" >/dev/null
  fi
  out=$(wrk -t2 -c"${WRK_CONNECTIONS:-32}" -d"${WRK_SECONDS:-10}s" --latency "${args[@]}" "$url")
  local rps p99 errors
  rps=$(echo "$out" | sed -n 's/^Requests\/sec:\s*\([0-9.]*\).*/\1/p')
  p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }')
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  echo "$rps $p99 $errors"
}

bench_result() { # measure figure unit [anchor-name anchor-figure]
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" "${5:-}"
}

# Resident set size of a process in MiB.
bench_rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Creates an API key for the demo practice and prints it (for Authorization: Bearer …).
bench_api_key() { # bin
  mapfile -t dbargs < <(bench_db_args)
  dotnet "$1/rapport.dll" apikeys create --name "bench $(date +%s%N)" "${dbargs[@]}" 2>/dev/null | tail -1
}
