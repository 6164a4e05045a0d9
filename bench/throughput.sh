#!/usr/bin/env bash
# Throughput of signed-in pages against the public catalogue, on the same server and
# database, with 64 connections (wrk): the audit trail must not make staff pages queue
# behind each other. Target: signed-in /cases on PostgreSQL within 1.5x the catalogue's
# throughput. Prints requests/s and latency for each, and the ratio measured in the run.
#
#   bench/throughput.sh [path/to/homeward]     (default target/release/homeward)
#   BENCH_RETURNEES=100000 BENCH_SECONDS=15 BENCH_CONNECTIONS=64 bench/throughput.sh
#   HOMEWARD_BENCH_SQLITE=skip or HOMEWARD_BENCH_PG=skip leaves one database out.
#
# Needs wrk (Debian), PostgreSQL at 127.0.0.1:5432 (createdb/dropdb), python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${1:-$here/../target/release/homeward}")"
returnees="${BENCH_RETURNEES:-100000}"
seconds="${BENCH_SECONDS:-15}"
conns="${BENCH_CONNECTIONS:-64}"
pg_admin="${HOMEWARD_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

t="$(mktemp -d /tmp/homeward-throughput.XXXXXX)"
db="homeward_bench_$$"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
  rm -rf "$t"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk's summary as "req/s p50 p99".
measure() { # url [cookie]
  local args=(-t2 -c"$conns" -d"${seconds}s" --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  wrk "${args[@]}" "$1" >"$t/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$t/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$t/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$t/wrk.txt")
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$t/wrk.txt")
  echo "$rps $p50 $p99 ${errors:-0}"
}

run() { # backend url
  local name=$1 url=$2
  echo "== $name: $returnees returnees"
  local started=$(date +%s)
  "$bin" demo --database-url "$url" --projects 200 --returnees "$returnees" >"$t/demo.log" 2>&1
  echo "   loaded in $(( $(date +%s) - started )) s"
  local password
  password="$(sed -n 's/.*password: \(.*\)$/\1/p' "$t/demo.log" | tail -1)"
  local p
  p=$(port)
  HOMEWARD_LOG=warn "$bin" serve --database-url "$url" --listen "127.0.0.1:$p" --metrics-listen off >"$t/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$p/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  local cookie
  cookie="$(python3 "$here/session.py" "http://127.0.0.1:$p" caseworker.tirana@homeward.example "$password")"
  # Warm both (facets, plans, caches) before measuring.
  wrk -t1 -c4 -d2s "http://127.0.0.1:$p/projects" >/dev/null
  wrk -t1 -c4 -d2s -H "Cookie: $cookie" "http://127.0.0.1:$p/cases" >/dev/null
  read -r c_rps c_p50 c_p99 c_err <<<"$(measure "http://127.0.0.1:$p/projects")"
  read -r s_rps s_p50 s_p99 s_err <<<"$(measure "http://127.0.0.1:$p/cases" "$cookie")"
  read -r k_rps k_p50 k_p99 k_err <<<"$(measure "http://127.0.0.1:$p/cases/5" "$cookie")"
  printf '   %-34s %9s req/s  p50 %8s  p99 %8s  non-2xx %s\n' \
    "public catalogue /projects" "$c_rps" "$c_p50" "$c_p99" "$c_err" \
    "signed-in caseload /cases" "$s_rps" "$s_p50" "$s_p99" "$s_err" \
    "signed-in case page /cases/5" "$k_rps" "$k_p50" "$k_p99" "$k_err"
  python3 - "$c_rps" "$s_rps" "$k_rps" <<'PY'
import sys
c, s, k = map(float, sys.argv[1:])
print(f"   catalogue / caseload throughput: {c / s:.2f}x (target at most 1.5x); "
      f"catalogue / case page: {c / k:.2f}x")
PY
  "$bin" audit verify --database-url "$url" | sed 's/^/   /'
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

if [ "${HOMEWARD_BENCH_PG:-}" != skip ]; then
  psql -q "$pg_admin" -c "CREATE DATABASE $db"
  run PostgreSQL "${pg_admin%/*}/$db"
fi
[ "${HOMEWARD_BENCH_SQLITE:-}" = skip ] || run SQLite "$t/bench.db"
