#!/usr/bin/env bash
# The scale-out test: a pg_auto_failover monitor, a primary and a synchronous standby; two
# `homeward serve` behind HAProxy; a mixed load of signed-in staff and the public; the
# primary killed with SIGKILL in the middle. Prints the seconds without service and the
# failed requests, checks that every write answered 2xx is in the database and that
# `homeward audit verify` passes. Everything runs on loopback in a temporary folder, stops
# itself within a time bound and is cleaned up.
#
#   tests/scale_out/run.sh [path/to/homeward]      (default target/debug/homeward)
#
# Needs Debian's postgresql-15-auto-failover, pg-auto-failover-cli and haproxy, and root
# (PostgreSQL runs as the postgres user). Without them it skips, except under CI=true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${1:-$here/../../target/debug/homeward}")"
limit="${SCALE_OUT_TIME_LIMIT:-420}"
load_seconds="${SCALE_OUT_LOAD_SECONDS:-45}"
kill_after="${SCALE_OUT_KILL_AFTER:-15}"

missing=()
for c in pg_autoctl haproxy psql python3 runuser; do
  command -v "$c" >/dev/null || missing+=("$c")
done
[ -x "$bin" ] || missing+=("$bin")
[ "$(id -u)" = 0 ] || missing+=("root")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${CI:-}" = true ]; then
    echo "scale-out test: missing ${missing[*]}" >&2
    exit 1
  fi
  echo "scale-out test skipped: missing ${missing[*]}"
  exit 0
fi

pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
t="$(mktemp -d /tmp/homeward-scale-out.XXXXXX)"
chmod 755 "$t"
mkdir -p "$t/pg"
chown postgres:postgres "$t/pg"
groups=()

cleanup() {
  # The shell would report each job it reaps as killed: nothing to read there.
  exec 2>/dev/null
  for g in "${groups[@]}"; do kill -9 -- "-$g" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$t"
}
trap cleanup EXIT
# The bound on the whole run: whatever hangs, the test ends and cleans up.
setsid bash -c "sleep $limit; echo 'scale-out test: over $limit s, stopping' >&2; kill -TERM $$" &
groups+=("$!")

# Starts a command in a session of its own (so the whole tree can be killed), logging to
# $t/<name>.log; remembers the group.
start() {
  local name=$1
  shift
  setsid "$@" >"$t/$name.log" 2>&1 &
  groups+=("$!")
  eval "pid_$name=$!"
}

pgenv=(runuser -u postgres -- env PATH="$pgbin:$PATH" HOME="$t/pg"
  XDG_CONFIG_HOME="$t/pg/config" XDG_DATA_HOME="$t/pg/data")
as_pg() { "${pgenv[@]}" "$@"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for() { # seconds, description, command...
  local n=$1 what=$2
  shift 2
  for _ in $(seq 1 $((n * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "scale-out test: $what did not happen within $n s" >&2
  for f in "$t"/*.log; do echo "== $f"; tail -20 "$f"; done >&2
  exit 1
}

state() { as_pg pg_autoctl show state --pgdata "$t/pg/monitor" 2>/dev/null; }

pm=$(free_port); p1=$(free_port); p2=$(free_port)
a1=$(free_port); a2=$(free_port); proxy=$(free_port)
monitor="postgres://autoctl_node@127.0.0.1:$pm/pg_auto_failover?sslmode=disable"
began=$(date +%s)

echo "== pg_auto_failover: monitor on $pm, nodes on $p1 and $p2"
start monitor "${pgenv[@]}" pg_autoctl create monitor --pgdata "$t/pg/monitor" --pgport "$pm" \
  --hostname 127.0.0.1 --auth trust --no-ssl --run
wait_for 60 "the monitor" psql "postgres://postgres@127.0.0.1:$pm/pg_auto_failover" -Atc "SELECT 1 FROM pgautofailover.formation"
# Notice a dead node within seconds, not the default tens of seconds.
psql -q "postgres://postgres@127.0.0.1:$pm/pg_auto_failover" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
  -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
  -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 5000" \
  -c "SELECT pg_reload_conf()" >/dev/null
start node1 "${pgenv[@]}" pg_autoctl create postgres --pgdata "$t/pg/node1" --pgport "$p1" \
  --hostname 127.0.0.1 --auth trust --no-ssl --dbname homeward --monitor "$monitor" --run
first_single() { state | grep -Eq 'node_1 .*\| +single'; }
wait_for 90 "the first node" first_single
start node2 "${pgenv[@]}" pg_autoctl create postgres --pgdata "$t/pg/node2" --pgport "$p2" \
  --hostname 127.0.0.1 --auth trust --no-ssl --dbname homeward --monitor "$monitor" --run
# The standby's base backup waits for a checkpoint on the primary: ask for it at once.
standby_ready() {
  psql -q "postgres://postgres@127.0.0.1:$p1/homeward" -c CHECKPOINT >/dev/null 2>&1 || true
  state | grep -Eq 'node_2 .*\| +secondary \| +secondary'
}
wait_for 120 "the standby" standby_ready
uri="$(as_pg pg_autoctl show uri --formation default --pgdata "$t/pg/monitor")"
uri="${uri/sslmode=prefer/sslmode=disable}&connect_timeout=2"
# Connections go as postgres (trust on loopback).
uri="${uri/postgres:\/\//postgres://postgres@}"
sync="$(psql "postgres://postgres@127.0.0.1:$p1/homeward" -Atc 'SHOW synchronous_standby_names')"
echo "   ready in $(( $(date +%s) - began )) s; $uri; synchronous_standby_names = $sync"
[ -n "$sync" ] || { echo "scale-out test: replication is not synchronous" >&2; exit 1; }

echo "== Homeward: demo data, two servers on $a1 and $a2, HAProxy on $proxy"
"$bin" demo --database-url "$uri" --projects 30 --returnees 60 >"$t/demo.log" 2>&1 || { cat "$t/demo.log"; exit 1; }
password="$(sed -n 's/.*password: \(.*\)$/\1/p' "$t/demo.log" | tail -1)"
for n in 1 2; do
  port_var="a$n"
  start "serve$n" env HOMEWARD_LOG=warn "$bin" serve --database-url "$uri" \
    --listen "127.0.0.1:${!port_var}" --metrics-listen off --grace-seconds 5
done
wait_for 60 "server 1" curl -fsS "http://127.0.0.1:$a1/readyz"
wait_for 60 "server 2" curl -fsS "http://127.0.0.1:$a2/readyz"
cat >"$t/haproxy.cfg" <<EOF
global
  maxconn 2000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
frontend web
  bind 127.0.0.1:$proxy
  default_backend homeward
backend homeward
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 1
  server one 127.0.0.1:$a1 check
  server two 127.0.0.1:$a2 check
EOF
start haproxy haproxy -db -f "$t/haproxy.cfg"
wait_for 30 "the proxy" curl -fsS "http://127.0.0.1:$proxy/readyz"

echo "== load for $load_seconds s; the primary is killed after $kill_after s"
start load python3 "$here/load.py" --base "http://127.0.0.1:$proxy" \
  --email caseworker.tirana@homeward.example --password "$password" \
  --seconds "$load_seconds" --ready-file "$t/ready" --out "$t/results.json"
load=$pid_load
wait_for 60 "the load" test -s "$t/ready"
sleep "$kill_after"
killed_at="$(date +%s.%N)"
kill -9 -- "-$pid_node1"
echo "   killed the primary (node 1, SIGKILL to pg_autoctl and PostgreSQL)"
wait "$load" || { echo "scale-out test: the load failed" >&2; cat "$t/load.log" >&2; exit 1; }
state | sed 's/^/   /'

echo "== what the load saw"
verdict=0
python3 "$here/report.py" --results "$t/results.json" --killed-at "$killed_at" --uri "$uri" --bound 30 || verdict=$?

# The servers seal the audit trail as they stop; then it must verify on the new primary.
kill -TERM "$pid_serve1" "$pid_serve2"
wait_for 20 "server 1 to stop" sh -c "! kill -0 $pid_serve1"
wait_for 20 "server 2 to stop" sh -c "! kill -0 $pid_serve2"
"$bin" audit verify --database-url "$uri"
echo "scale-out test passed in $(( $(date +%s) - began )) s"
exit "$verdict"
