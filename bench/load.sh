#!/usr/bin/env bash
# 200 signed-in people at once on PostgreSQL holding a million returnees: a mixed load
# (case pages, caseload lists, registrations, visits; tests/scale_out/load.py) through
# HAProxy to one server, then to two. Prints throughput, p50/p95/p99, errors and the
# servers' peak memory, and the ratio of the two runs' throughput.
#
#   bench/load.sh [path/to/homeward]       (default target/release/homeward)
#   BENCH_RETURNEES=1000000 BENCH_USERS=200 BENCH_SECONDS=60 bench/load.sh
#   BENCH_PG=postgres://…  reuse a database loaded before (homeward demo --returnees N)
#
# Needs haproxy (Debian), PostgreSQL at 127.0.0.1:5432, python3. Everything runs on this
# machine: on a small one the load generator takes its share of the processors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${1:-$here/../target/release/homeward}")"
returnees="${BENCH_RETURNEES:-1000000}"
users="${BENCH_USERS:-200}"
seconds="${BENCH_SECONDS:-60}"
pg_admin="${HOMEWARD_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v haproxy >/dev/null || { echo "haproxy is missing (apt-get install haproxy)" >&2; exit 1; }

t="$(mktemp -d /tmp/homeward-load.XXXXXX)"
db="homeward_load_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "${BENCH_PG:-}" ] && psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
  rm -rf "$t"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ -n "${BENCH_PG:-}" ]; then
  url="$BENCH_PG"
  password="$("$bin" demo --database-url "$url" --projects 0 --returnees 1 2>&1 | sed -n 's/.*password: \(.*\)$/\1/p' | tail -1)"
else
  psql -q "$pg_admin" -c "CREATE DATABASE $db"
  url="${pg_admin%/*}/$db"
  echo "== loading $returnees returnees into PostgreSQL"
  started=$(date +%s)
  "$bin" demo --database-url "$url" --projects 200 --returnees "$returnees" >"$t/demo.log" 2>&1
  echo "   $(( $(date +%s) - started )) s"
  password="$(sed -n 's/.*password: \(.*\)$/\1/p' "$t/demo.log" | tail -1)"
fi

run() { # servers
  local n=$1 ports=() servers=() proxy
  for i in $(seq 1 "$n"); do
    local p
    p=$(port)
    HOMEWARD_LOG=warn "$bin" serve --database-url "$url" --listen "127.0.0.1:$p" --metrics-listen off >"$t/serve$i.log" 2>&1 &
    servers+=("$!"); pids+=("$!"); ports+=("$p")
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$p/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  done
  proxy=$(port)
  {
    printf 'global\n  maxconn 4000\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n  timeout server 60s\n'
    printf 'frontend web\n  bind 127.0.0.1:%s\n  default_backend homeward\nbackend homeward\n  balance roundrobin\n' "$proxy"
    for i in "${!ports[@]}"; do printf '  server s%s 127.0.0.1:%s maxconn 256\n' "$i" "${ports[$i]}"; done
  } >"$t/haproxy.cfg"
  haproxy -db -f "$t/haproxy.cfg" >"$t/haproxy.log" 2>&1 &
  local hp=$!
  pids+=("$hp")
  sleep 1
  python3 "$here/../tests/scale_out/load.py" --base "http://127.0.0.1:$proxy" \
    --email caseworker.tirana@homeward.example --password "$password" \
    --staff "$users" --public 0 --seconds "$seconds" --timeout 30 \
    --ready-file "$t/ready$n" --out "$t/results$n.json"
  local mem=0
  for s in "${servers[@]}"; do
    local m
    m=$(awk '/VmHWM/ {print $2}' "/proc/$s/status")
    mem=$((mem + m))
  done
  python3 - "$t/results$n.json" "$n" "$mem" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n, mem_kb = int(sys.argv[2]), int(sys.argv[3])
started = r["started"]
# Only what was asked once every person had signed in.
reqs = [q for q in r["requests"] if q[0] >= started]
ok = [q for q in reqs if 200 <= q[3] < 400]
span = max(q[1] for q in reqs) - started
lat = sorted((q[1] - q[0]) * 1000 for q in ok)
pct = lambda p: lat[min(len(lat) - 1, round((len(lat) - 1) * p))]
print(f"   {n} server(s): {len(ok) / span:.0f} req/s, p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, "
      f"p99 {pct(0.99):.0f} ms, errors {len(reqs) - len(ok)} of {len(reqs)}, "
      f"peak memory {mem_kb / 1024:.0f} MiB")
kinds = sorted({q[2] for q in ok})
by = lambda k: sorted((q[1] - q[0]) * 1000 for q in ok if q[2] == k)
print("     p50 by kind: " + ", ".join(f"{k} {by(k)[len(by(k)) // 2]:.0f} ms ({len(by(k))})" for k in kinds))
open(sys.argv[1] + ".rps", "w").write(str(len(ok) / span))
PY
  kill "$hp" "${servers[@]}"
  wait "$hp" "${servers[@]}" 2>/dev/null || true
}

echo "== $users signed-in people for $seconds s, mixed: case pages, lists, registrations, visits"
run 1
run 2
python3 -c "import sys; a, b = (float(open(f).read()) for f in sys.argv[1:]); print(f'   two servers / one: {b / a:.2f}x throughput')" "$t/results1.json.rps" "$t/results2.json.rps"
