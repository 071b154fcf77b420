#!/usr/bin/env bash
# Issue 10: the memory of `berth up` itself with N agnhost pods (default 100), the pods' own memory reported apart.
#
#   bench/up-memory.sh [pods=100]
#
# Runs the published build (./berth, ReadyToRun) with its own data directory, a free API port and free ranges (berth
# claims them machine-wide), creates a Deployment of N built-in agnhost netexec pods behind a Service, waits until all are
# Ready, then reads VmRSS and Pss (/proc/PID/smaps_rollup) of the berth process and the sum over the pods' processes
# (their process groups). Stops berth by its PID (SIGTERM: it stops its pods) and removes the data directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pods=${1:-100}
data=$(mktemp -d /tmp/berth-up-memory.XXXXXX)
"$root/berth" version >/dev/null            # builds artifacts/berth once
"$root/artifacts/berth/berth" up --data-dir "$data" --api-port 0 >"$data/berth.log" 2>&1 &
pid=$!
cleanup() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 600); do grep -q "kubeconfig" "$data/berth.log" 2>/dev/null && [ -f "$data/kubeconfig.yaml" ] && break; sleep 0.1; done
export KUBECONFIG="$data/kubeconfig.yaml"
k() { kubectl --kubeconfig "$KUBECONFIG" "$@"; }
for _ in $(seq 300); do k get nodes -o name 2>/dev/null | grep -q node && break; sleep 0.2; done
kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/${3:-status}"; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT up_memory idle berth_rss_mib=$(( $(kib $pid VmRSS) / 1024 )) berth_pss_mib=$(( $(kib $pid Pss smaps_rollup) / 1024 ))"
k create deployment mem --replicas="$pods" --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- /agnhost netexec --http-port=8080 >/dev/null
start=$(date +%s)
k rollout status deployment/mem --timeout=600s >/dev/null
echo "all $pods pods Ready after $(( $(date +%s) - start )) s"
sleep 5 # let start-up garbage settle before reading resident memory (a measurement, not a test)
pod_rss=0; pod_pss=0
for cid in $(k get pods -l app=mem -o jsonpath='{range .items[*]}{.status.containerStatuses[0].containerID}{"\n"}{end}'); do
  p=${cid#berth://}
  for q in $(pgrep -g "$p" || true); do
    pod_rss=$(( pod_rss + $(kib "$q" VmRSS || echo 0) )); pod_pss=$(( pod_pss + $(kib "$q" Pss smaps_rollup || echo 0) ))
  done
done
echo "RESULT up_memory pods=$pods berth_rss_mib=$(( $(kib $pid VmRSS) / 1024 )) berth_pss_mib=$(( $(kib $pid Pss smaps_rollup) / 1024 )) berth_hwm_mib=$(( $(kib $pid VmHWM) / 1024 )) threads=$(kib $pid Threads) pods_rss_mib=$(( pod_rss / 1024 )) pods_pss_mib=$(( pod_pss / 1024 )) goal_berth_mib=300"
