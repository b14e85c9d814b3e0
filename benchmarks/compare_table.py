#!/usr/bin/env python3
"""Turn run-peers.sh RESULT lines into the table issue 9 asks for.

For each workload: every peer's median headline (msg/s, MB/s, conn/s, req/s), the median over
passes of Reactor / C epoll and Reactor / Kestrel (ratios paired by pass, which cancels the
machine's drift), and the server CPU time per message from /proc (server_cpu_pct).
Usage: compare_table.py results.txt
"""
import statistics
import sys
from collections import defaultdict

NAMES = {"echo-c50-d1": "(a) ping-pong 50 conns", "echo-c50-d16": "(b) pipelined 50x16",
         "echo-c1000-d1": "(c) 1,000 conns", "bulk-c1-64k": "(d) bulk 64 KiB",
         "churn-c50": "(e) churn", "echo-c1-d1": "(f) latency 1 conn", "http-c50": "HTTP hello (wrk -c50)"}
ORDER = list(NAMES)


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def main(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("RESULT "):
                rows.append(dict(p.split("=", 1) for p in line.split()[1:] if "=" in p))
    ok = [r for r in rows if r.get("rc") == "0" and r.get("server_alive", "1") == "1"
          and num(r.get("errors")) == 0 and num(r.get("mismatches", 0)) in (0, None)]
    by = defaultdict(dict)  # (workload, run) -> peer -> row
    for r in ok:
        by[(r["workload"], r["run"])][r["peer"]] = r

    def metric(r):
        return num(r.get("mb_per_s")) if r["workload"] == "bulk-c1-64k" else num(r.get("msgs_per_s"))

    def cpu_us(r):
        s, d, n = num(r.get("server_cpu_pct")), num(r.get("duration_s")), num(r.get("msgs"))
        if r["workload"] == "bulk-c1-64k":
            n = num(r.get("mb_per_s")) * d * 1e6 / 65536 if d and r.get("mb_per_s") else None
        return s / 100 * d / n * 1e6 if s is not None and d and n else None

    print("| workload | Reactor | C epoll | .NET Socket | Kestrel | Reactor / C epoll | Reactor / Kestrel | server CPU µs/msg (Reactor, C, Kestrel) |")
    print("|---|---|---|---|---|---|---|---|")
    for wl in ORDER:
        runs = [k for k in by if k[0] == wl]
        if not runs:
            continue
        me = "reactor-http" if wl == "http-c50" else "reactor"
        c, kes = ("c-epoll", "kestrel-http" if wl == "http-c50" else "kestrel")
        def med(peer, fn=metric):
            vals = [fn(by[k][peer]) for k in runs if peer in by[k]]
            vals = [v for v in vals if v is not None]
            return statistics.median(vals) if vals else None
        def ratio(a, b):
            vals = [metric(by[k][a]) / metric(by[k][b]) for k in runs
                    if a in by[k] and b in by[k] and metric(by[k][b])]
            return statistics.median(vals) if vals else None
        def f(v, d=0):
            return "—" if v is None else f"{v:,.{d}f}"
        def cell(peer):
            # "+": the load generator's own core was >= 95 % busy in most passes, so the figure is
            # the rig's ceiling rather than the server's.
            rows_ = [by[k][peer] for k in runs if peer in by[k]]
            busy = [num(r.get("client_core_busy_pct")) or 0 for r in rows_]
            mark = "+" if busy and sum(b >= 95 for b in busy) * 2 > len(busy) else ""
            return f(med(peer)) + mark
        unit = "MB/s" if wl == "bulk-c1-64k" else "req/s" if wl == "http-c50" else "conn/s" if wl == "churn-c50" else "msg/s"
        cpu = ", ".join(f(med(p, cpu_us), 2) for p in (me, c, kes))
        print(f"| {NAMES[wl]} ({unit}) | {cell(me)} | {cell(c)} | {cell('dotnet-sockets')} | {cell(kes)} "
              f"| {f(ratio(me, c), 2)} | {f(ratio(me, kes), 2)} | {cpu} |")
    disturbed = sum(1 for r in ok if (num(r.get("foreign_pct")) or 0) > 15)
    if disturbed:
        print(f"\nWARNING: {disturbed} cells ran while other processes took > 15 % of a core (foreign_pct): the machine was not quiet.")
    print(f"\n{len(ok)} of {len(rows)} cells clean; medians over passes; ratios are medians of per-pass ratios;"
          " + = the load generator's core was >= 95 % busy (the rig's ceiling, not the server's).")


if __name__ == "__main__":
    main(sys.argv[1])
