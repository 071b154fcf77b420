#!/usr/bin/env python3
"""Ratios of bench/proxy-vs-haproxy.sh: results TSV on stdin (labels berth|haproxy|direct/<config>), medians per row.

  proxy-ratios.py "config config ..." < results.tsv
"""
import statistics
import sys

configs = sys.argv[1].split()
rows = {}
for line in sys.stdin:
    p = line.rstrip("\n").split("\t")
    if len(p) < 5:
        continue
    try:
        v = float(p[3])
    except ValueError:
        continue
    rows.setdefault((p[1], p[2]), []).append(v)


def med(path, config, metric):
    v = rows.get((f"{path}/{config}", metric))
    return statistics.median(v) if v else None


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def num(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


print("\n| config | Berth | HAProxy | direct | Berth/HAProxy rate | Berth/HAProxy p99 | Berth/direct | CPU µs/req Berth | CPU µs/req HAProxy |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in configs:
    if c.startswith("iperf"):
        b, h, d = (med(x, c, "gbit_s") for x in ("berth", "haproxy", "direct"))
        bc, hc = med("berth", c, "cpu_pct"), med("haproxy", c, "cpu_pct")
        print(f"| {c} (Gbit/s; proxy CPU {num(bc)} % / {num(hc)} %) | {num(b, 1)} | {num(h, 1)} | {num(d, 1)} | {ratio(b, h)} | - | {ratio(b, d)} | - | - |")
    else:
        b, h, d = (med(x, c, "req_s") for x in ("berth", "haproxy", "direct"))
        bp, hp = med("berth", c, "p99_us"), med("haproxy", c, "p99_us")
        bc, hc = med("berth", c, "cpu_us_per_req"), med("haproxy", c, "cpu_us_per_req")
        print(f"| {c} (req/s; p99 {num(bp)} / {num(hp)} µs) | {num(b)} | {num(h)} | {num(d)} | {ratio(b, h)} | {ratio(bp, hp)} | {ratio(b, d)} | {num(bc, 1)} | {num(hc, 1)} |")
print("\nGoals (issue 8): rate ratio >= 1, p99 ratio <= 1, Berth/direct >= 0.70 on the bulk rows, CPU per request <= HAProxy's.")
