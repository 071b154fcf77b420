#!/usr/bin/env bash
# Issue 10: how long `berth up` takes to start, with the published build (./berth, ReadyToRun).
#
#   bench/startup.sh [runs=7]
#
# Each run starts `berth up` on a fresh data directory (cold: a new store, new certificates) and then once more on the
# same directory (warm: the store and certificates are there), and measures from just before the exec to
#   api   the API's HTTPS port answering (any HTTP status of GET /version),
#   node  the Node reported Ready by the API (GET /api/v1/nodes/NAME with the admin token),
#   dns   the cluster DNS answering kubernetes.default.svc.cluster.local with the kubernetes Service's IP,
#   ready what berth prints in its ready block ("berth: ready in …": its own clock, from the process's start).
# A warm start's Node is still Ready from the run before (until the node lifecycle's grace period), so its "node"
# figure is not reported.
# Polls every ~10 ms (curl and dig processes: resolution ~20 ms). The DNS listens on a free loopback port
# (--dns-addr 127.0.0.1:PORT) so that no privilege is needed and nothing is assumed about the service range berth picks.
# Each berth is stopped by its PID with SIGTERM; the data directories are removed. Prints one RESULT line per measure
# with median/min/max in milliseconds, and the machine's load average before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
"$root/berth" version >/dev/null            # builds artifacts/berth once
bin="$root/artifacts/berth/berth"
work=$(mktemp -d /tmp/berth-startup.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One start of berth up on $1; prints "api node dns ready" in ms after the exec.
measure() {
  local data=$1 api_port dns_port node="startup-bench-$$" t0 api= ready_node= dns= ready= token
  api_port=$(free_port); dns_port=$(free_port)
  t0=$(now_ms)
  "$bin" up --data-dir "$data" --api-port "$api_port" --node-name "$node" --dns-addr "127.0.0.1:$dns_port" >"$data.log" 2>&1 &
  pid=$!
  while [ -z "$api" ] || [ -z "$ready_node" ] || [ -z "$dns" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "berth exited:" >&2; cat "$data.log" >&2; exit 1; }
    (( $(now_ms) - t0 < 180000 )) || { echo "not started within 3 minutes (api=$api node=$ready_node dns=$dns):" >&2; cat "$data.log" >&2; exit 1; }
    if [ -z "$api" ] && [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 1 "https://127.0.0.1:$api_port/version" || true)" != 000 ]; then
      api=$(( $(now_ms) - t0 ))
    fi
    if [ -n "$api" ] && [ -z "$ready_node" ] && [ -f "$data/admin.token" ]; then
      token=$(cat "$data/admin.token")
      if curl -sk --max-time 1 -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/api/v1/nodes/$node" 2>/dev/null \
          | tr -d ' \n' | grep -o '{[^{}]*"type":"Ready"[^{}]*}' | grep -q '"status":"True"'; then
        ready_node=$(( $(now_ms) - t0 ))
      fi
    fi
    if [ -z "$dns" ] && [ -n "$(dig +short +time=1 +tries=1 @127.0.0.1 -p "$dns_port" kubernetes.default.svc.cluster.local A 2>/dev/null | grep -E '^[0-9.]+$' || true)" ]; then
      dns=$(( $(now_ms) - t0 ))
    fi
    sleep 0.01
  done
  until grep -q "ready in" "$data.log"; do sleep 0.01; done
  ready=$(sed -n 's/^berth: ready in \([0-9.]*\) \(m\?s\)$/\1 \2/p' "$data.log" | awk '{ printf "%d", $2 == "s" ? $1 * 1000 : $1 }')
  kill -TERM "$pid"; wait "$pid" || true; pid=
  echo "$api $ready_node $dns $ready"
}

stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median_ms=%d min_ms=%d max_ms=%d", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (before)"
: >"$work/cold"; : >"$work/warm"
for i in $(seq "$runs"); do
  data="$work/run$i"
  mkdir -p "$data"
  cold=$(measure "$data"); warm=$(measure "$data")
  echo "run $i: api/node/dns/ready ms: cold $cold; warm $warm"
  echo "$cold" >>"$work/cold"; echo "$warm" >>"$work/warm"
  rm -rf "$data" "$data.log"
done
for start in cold warm; do
  for column in 1:api 2:node_ready 3:dns_answering 4:berth_ready; do
    [ "$start:$column" = warm:2:node_ready ] && continue
    echo "RESULT startup $start ${column#*:} runs=$runs $(cut -d' ' -f"${column%%:*}" "$work/$start" | stats)"
  done
done
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
