#!/usr/bin/env bash
# Berth's service proxy against its peer (HAProxy 2.6, mode tcp) and the physical limit (a direct connection), in one
# run, with the peer baseline's backends and method (../shared/bench, docs: ../shared/docs/peer-baseline.md).
#
#   bench/proxy-vs-haproxy.sh [-n reps] [-d seconds] [-c "configs"]
#
#   -n reps (3)   each repetition runs every config through Berth, HAProxy and direct, interleaved
#   -d seconds per run (10)
#   -c configs (all 7): iperf3-P1 iperf3-P8 iperf2-P8 http-ka-c1 http-ka-c64 http-close-c1 http-close-c64
#
# What runs: a Release `berth up` with its own data directory, a free API port and its own ranges (service CIDR
# 127.90.0.0/20; never 127.0.0.2-4 or 127.96.0.10, which the shared baseline uses), a selector-less Service `bench`
# on cluster IP 127.90.0.20 (:80 and :5201, round robin) and a Service `bench-affinity` on 127.90.0.21 (:5202 with
# sessionAffinity ClientIP: iperf3's control and data connections must meet one server; affinity is per Service, and
# Kubernetes refuses loopback external IPs, so it has its own cluster IP and the iperf3 rows go there), both with
# hand-written EndpointSlices pointing at the baseline backends 127.0.0.2-4. The backends and
# HAProxy (127.96.0.10) are started unless they already run, and stopped again only if this script started them.
# Proxy CPU comes from /proc (PB_CPU_PIDS): for Berth that is the whole `berth up` process (API server, controllers and
# node agent idle along). Environment: BERTH_PROXY_SPLICE=0 turns splice(2) off in the proxy under test.
# Prints every run's RESULT lines, then the ratios. Results: $PB_RESULTS (default /tmp/perfbase/results/proxy-*.tsv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="$(cd "$root/../shared/bench" && pwd)"
reps=3 dur=10 configs="iperf3-P1 iperf3-P8 iperf2-P8 http-ka-c1 http-ka-c64 http-close-c1 http-close-c64"
while getopts "n:d:c:" o; do
  case "$o" in
    n) reps="$OPTARG" ;; d) dur="$OPTARG" ;; c) configs="$OPTARG" ;; *) sed -n '2,22p' "$0"; exit 1 ;;
  esac
done
export PB_RESULTS="${PB_RESULTS:-/tmp/perfbase/results/proxy-$(date +%Y%m%d-%H%M%S).tsv}"
. "$shared/lib.sh"

VIP=127.90.0.20 AFFINITY_VIP=127.90.0.21 HAPROXY_VIP=127.96.0.10 DIRECT=127.0.0.2
data="$(mktemp -d /tmp/berth-bench-proxy.XXXXXX)"
berth_pid="" started_backends=0 started_haproxy=0

cleanup() {
  if [ -n "$berth_pid" ] && kill -0 "$berth_pid" 2>/dev/null; then
    kill "$berth_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$berth_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$berth_pid" 2>/dev/null || true
  fi
  [ "$started_haproxy" = 1 ] && "$shared/haproxy.sh" stop || true
  [ "$started_backends" = 1 ] && "$shared/backends.sh" stop || true
  rm -rf "$data"
}
trap cleanup EXIT

pb_log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build -c Release "$root/src/Berth" -v q -nologo >/dev/null
berth_dll="$root/src/Berth/bin/Release/net10.0/berth.dll"

if [ ! -f "$PB_RUN/backends-root.ips" ]; then "$shared/backends.sh" start; started_backends=1; fi
if ! pb_alive haproxy; then "$shared/haproxy.sh" start "$HAPROXY_VIP"; started_haproxy=1; fi

rm -f "$PB_LOGS/berth-proxy.log"
api_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
dotnet "$berth_dll" up --data-dir "$data" --api-port "$api_port" --log-level Warning \
  --service-cidr 127.90.0.0/20 --cluster-cidr 127.90.64.0/18 --lb-pool 127.90.128.0/24 \
  --node-address 127.90.200.1 --node-name bench-proxy >"$PB_LOGS/berth-proxy.log" 2>&1 &
berth_pid=$!
for _ in $(seq 600); do
  grep -qs "^berth: ready in" "$PB_LOGS/berth-proxy.log" && break
  kill -0 "$berth_pid" 2>/dev/null || { cat "$PB_LOGS/berth-proxy.log" >&2; exit 1; }
  sleep 0.2
done

kubeconfig="$data/kubeconfig.yaml"
KUBECONFIG="$kubeconfig" kubectl --kubeconfig "$kubeconfig" --cache-dir "$data/kubectl-cache" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: bench}
spec:
  clusterIP: $VIP
  ports:
  - {name: http, port: 80}
  - {name: iperf2, port: 5201}
---
apiVersion: v1
kind: Service
metadata: {name: bench-affinity}
spec:
  clusterIP: $AFFINITY_VIP
  sessionAffinity: ClientIP
  ports:
  - {name: iperf3, port: 5202}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bench-1, labels: {kubernetes.io/service-name: bench}}
addressType: IPv4
ports: [{name: http, port: 80}, {name: iperf2, port: 5201}]
endpoints: [{addresses: [127.0.0.2]}, {addresses: [127.0.0.3]}, {addresses: [127.0.0.4]}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: bench-affinity-1, labels: {kubernetes.io/service-name: bench-affinity}}
addressType: IPv4
ports: [{name: iperf3, port: 5202}]
endpoints: [{addresses: [127.0.0.2]}, {addresses: [127.0.0.3]}, {addresses: [127.0.0.4]}]
YAML
pb_wait_listen tcp "$VIP" 80
pb_wait_listen tcp "$VIP" 5201
pb_wait_listen tcp "$AFFINITY_VIP" 5202
curl -sf "http://$VIP/" >/dev/null
haproxy_pid="$(cat "$PB_RUN/haproxy.pid")"
pb_log "berth up (pid $berth_pid) serves $VIP and $AFFINITY_VIP:5202; haproxy (pid $haproxy_pid) $HAPROXY_VIP; direct $DIRECT"

# Warm-up, not recorded: Berth's code paths get compiled and optimized (.NET tiered JIT) before the first run
# measures them; HAProxy gets the same traffic so both start warm.
for t in "$VIP" "$HAPROXY_VIP"; do
  wrk -t 2 -c 16 -d 3s "http://$t/" >/dev/null 2>&1 || true
  wrk -t 2 -c 16 -d 3s -H "Connection: close" "http://$t/" >/dev/null 2>&1 || true
  iperf -c "$t" -p 5201 -t 2 -P 2 >/dev/null 2>&1 || true
done

mark=$(wc -l <"$PB_RESULTS")
for r in $(seq "$reps"); do
  for path in berth haproxy direct; do
    case "$path" in
      berth) target=$VIP pids=$berth_pid ;;
      haproxy) target=$HAPROXY_VIP pids=$haproxy_pid ;;
      direct) target=$DIRECT pids="" ;;
    esac
    pb_log "repetition $r/$reps: $path"
    for c in $configs; do
      t="$target"
      [ "$path" = berth ] && [ "${c#iperf3}" != "$c" ] && t="$AFFINITY_VIP"
      PB_CPU_PIDS="$pids" "$shared/bench-target.sh" -n 1 -d "$dur" -c "$c" -l "$path" "$t" | grep -E '^RESULT' || true
    done
  done
done
pb_log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

tail -n +"$((mark + 1))" "$PB_RESULTS" | python3 "$here/proxy-ratios.py" "$configs"
