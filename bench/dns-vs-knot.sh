#!/usr/bin/env bash
# Issue 9: Berth's cluster DNS against knot, one after the other in one run, on the same 1,000 Services.
#
#   bench/dns-vs-knot.sh [-n reps] [-l seconds]        (defaults: 3 reps of 10 s per measurement)
#
# Starts a Release `berth up` (own data dir, free API port, its own 127.X/16 block — the same lock files as the
# tests' AddressBlock, so no test or other bench holds it), creates svc-0001 … svc-1000 in `default` with a port named
# `http` (the names ../shared/bench/gen-dns-data.py queries), and starts knot on the same zone from gen-dns-data.py on
# a spare address of the block. Then, for Berth and knot in turn: A, SRV and NXDOMAIN at maximum rate and A at a fixed
# 20k q/s (p50/p99), with the server's CPU per query (PB_CPU_PIDS). Prints the ratios. Stops what it started by PID.
# Traffic stays on 127/8: Berth forwards nothing (its upstream is a dead address of the block).
set -euo pipefail
reps=3 secs=10
while getopts "n:l:" o; do case "$o" in n) reps="$OPTARG" ;; l) secs="$OPTARG" ;; *) sed -n '2,12p' "$0"; exit 2 ;; esac; done
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="$root/../shared/bench"
export PB_ROOT="${PB_ROOT:-/tmp/berth-dns-bench}" PB_SETTLE=1
export PB_RESULTS="$PB_ROOT/results.tsv"
rm -rf "$PB_ROOT"; mkdir -p "$PB_ROOT"
work="$(mktemp -d /tmp/berth-dns-bench-XXXXXX)"
berth_pid=""

# Claim a 127.X/16 block as tests/Shared/AddressBlock.cs does (flock on /tmp/berth-test-blocks/127.X.lock).
mkdir -p /tmp/berth-test-blocks
for x in $(shuf -i 100-199); do
  exec 9>"/tmp/berth-test-blocks/127.$x.lock"
  if flock -n 9; then octet=$x; break; fi
  exec 9>&-
done
[ -n "${octet:-}" ] || { echo "no free address block" >&2; exit 1; }
berth_dns="127.$octet.0.10" knot_dns="127.$octet.200.53"

cleanup() {
  "$shared/dns-servers.sh" stop knot "$knot_dns" >/dev/null 2>&1 || true
  if [ -n "$berth_pid" ] && kill -0 "$berth_pid" 2>/dev/null; then
    kill "$berth_pid"; for _ in $(seq 100); do kill -0 "$berth_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$berth_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build (Release)" >&2
dotnet build -c Release "$root/src/Berth" -v q -nologo >/dev/null
api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$shared/gen-dns-data.py" -n 1000 -o "$PB_ROOT/data" >&2

echo "== berth up on block 127.$octet (DNS $berth_dns:53)" >&2
dotnet "$root/src/Berth/bin/Release/net10.0/berth.dll" up --data-dir "$work/data" --api-port "$api_port" --node-name "bench-$octet" \
  --service-cidr "127.$octet.0.0/20" --cluster-cidr "127.$octet.64.0/18" --lb-pool "127.$octet.128.0/24" \
  --service-node-port-range "$((30000 + 27 * (octet - 100)))-$((30026 + 27 * (octet - 100)))" \
  --dns-upstream "127.$octet.200.99" >"$work/berth.log" 2>&1 &
berth_pid=$!
for _ in $(seq 300); do grep -q "^berth: ready in" "$work/berth.log" && break; sleep 0.2; done
grep -q "^berth: ready in" "$work/berth.log" || { cat "$work/berth.log" >&2; exit 1; }
kubeconfig="$work/data/kubeconfig.yaml"

echo "== creating 1,000 Services" >&2
python3 - "$work/services.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 1001):
        f.write(f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i:04d}\n  namespace: default\n"
                f"spec:\n  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n")
PY
KUBECONFIG="$kubeconfig" kubectl --kubeconfig "$kubeconfig" apply -f "$work/services.yaml" >/dev/null
for _ in $(seq 300); do
  [ -n "$(dig +short +time=1 +tries=1 @"$berth_dns" svc-1000.default.svc.cluster.local A)" ] && break; sleep 0.2
done
rss() { awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$1/status"; }
echo "== berth RSS with 1,000 Services: $(rss "$berth_pid")" >&2

DNS_THREADS=2 "$shared/dns-servers.sh" start knot "$knot_dns" >&2
knot_pid="$(cat "$PB_ROOT/run/dns-knot-root-$knot_dns.pid")"

measure() { # name address pid
  local name="$1" addr="$2" pid="$3"
  for q in a srv nx; do
    PB_CPU_PIDS="$pid" "$shared/bench-dns.sh" -n "$reps" -l "$secs" -f "$PB_ROOT/data/queries-$q.txt" -L "$name-$q" "$addr" 53 | grep '^SUMMARY' || true
  done
  PB_CPU_PIDS="$pid" "$shared/bench-dns.sh" -n "$reps" -l "$secs" -Q 20000 -L "$name-a-q20k" "$addr" 53 | grep '^SUMMARY' || true
}
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
measure berth "$berth_dns" "$berth_pid"
measure knot "$knot_dns" "$knot_pid"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$PB_RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, label, metric, value, *_ = line.rstrip("\n").split("\t")
    try: rows.setdefault((label, metric), []).append(float(value))
    except ValueError: pass
med = lambda l, m: statistics.median(rows[(l, m)]) if (l, m) in rows else float("nan")
print(f"{'measure':32} {'berth':>12} {'knot':>12} {'berth/knot':>11}")
for case, metric in [("a", "qps"), ("srv", "qps"), ("nx", "qps"), ("a", "cpu_us_per_query"), ("srv", "cpu_us_per_query"),
                     ("nx", "cpu_us_per_query"), ("a-q20k", "p50_us"), ("a-q20k", "p99_us"), ("a-q20k", "cpu_us_per_query")]:
    b, k = med(f"berth-{case}", metric), med(f"knot-{case}", metric)
    print(f"{case + ' ' + metric:32} {b:12.1f} {k:12.1f} {b / k if k else float('nan'):11.2f}")
PY
