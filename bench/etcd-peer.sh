#!/usr/bin/env bash
# Starts a private etcd (Debian's etcd-server) on loopback for the peer comparison in
# `dotnet run -c Release --project bench/Berth.Benchmarks -- api`, which measures it through its v3 JSON gateway
# with the same concurrency as Berth's creates. Usage: bench/etcd-peer.sh start|stop. Stops only the PID it started.
set -euo pipefail
dir=${ETCD_PEER_DIR:-/tmp/berth-etcd-peer}
case "${1:-}" in
  start)
    command -v etcd >/dev/null || { echo "etcd not installed: apt-get install -y etcd-server" >&2; exit 1; }
    rm -rf "$dir"; mkdir -p "$dir"
    etcd --name peer --data-dir "$dir/data" \
      --listen-client-urls http://127.0.0.1:23790 --advertise-client-urls http://127.0.0.1:23790 \
      --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
      --initial-cluster peer=http://127.0.0.1:23800 >"$dir/etcd.log" 2>&1 &
    echo $! >"$dir/etcd.pid"
    for _ in $(seq 50); do curl -sf http://127.0.0.1:23790/health >/dev/null && { echo "etcd up (pid $(cat "$dir/etcd.pid"))"; exit 0; }; sleep 0.2; done
    echo "etcd did not start; see $dir/etcd.log" >&2; exit 1 ;;
  stop)
    [ -f "$dir/etcd.pid" ] && kill "$(cat "$dir/etcd.pid")" 2>/dev/null || true
    rm -rf "$dir" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
