#!/usr/bin/env python3
"""Soak load for an echo server (issue 12, scope 10): holds N connections, churns a share of them
every second, and sends one message per connection per second, checking every echo.
Prints errors, echoes, the server's RSS per connection and its CPU. Run it through run.sh."""
import argparse, os, random, resource, selectors, socket, sys, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

class Conn:
    __slots__ = ("sock", "expected", "received")
    def __init__(self, sock):
        self.sock, self.expected, self.received = sock, 0, 0

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True, help="the server's pid (RSS and CPU are read from /proc)")
    p.add_argument("--connections", type=int, default=10000)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--churn", type=float, default=0.01, help="share of connections replaced every second")
    p.add_argument("--size", type=int, default=64, help="bytes per message")
    a = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < a.connections + 100:
        sys.exit(f"soak: the descriptor limit ({hard}) is below {a.connections + 100}")

    sel = selectors.DefaultSelector()
    errors = {"connect": 0, "lost": 0, "mismatch": 0}
    message = b"x" * a.size
    conns = set()

    def open_one():
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", a.port))
        c = Conn(s)
        sel.register(s, selectors.EVENT_READ, c)
        conns.add(c)

    def close_one(c):
        sel.unregister(c.sock)
        c.sock.close()
        conns.discard(c)

    rss_idle = rss_kib(a.pid)
    for _ in range(a.connections):
        open_one()
    echoes = 0
    start = time.monotonic()
    cpu_start = cpu_seconds(a.pid)
    next_tick = start
    while time.monotonic() - start < a.seconds:
        now = time.monotonic()
        if now >= next_tick:
            next_tick += 1
            # Churn: replace connections whose echoes are all in.
            done = [c for c in conns if c.expected == c.received]
            for c in random.sample(done, min(len(done), int(a.connections * a.churn))):
                close_one(c)
                open_one()
            for c in list(conns):
                try:
                    c.sock.send(message)
                    c.expected += len(message)
                except BlockingIOError:
                    pass
                except OSError:
                    errors["connect"] += 1
                    close_one(c)
                    open_one()
        for key, _ in sel.select(timeout=max(0.0, next_tick - time.monotonic())):
            c = key.data
            try:
                data = c.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                errors["lost"] += 1
                close_one(c)
                open_one()
                continue
            if not data:
                errors["lost"] += 1
                close_one(c)
                open_one()
                continue
            c.received += len(data)
            echoes += len(data) // a.size
            if c.received > c.expected:
                errors["mismatch"] += 1
    wall = time.monotonic() - start
    cpu = cpu_seconds(a.pid) - cpu_start
    rss = rss_kib(a.pid)
    print(f"connections {a.connections}, churn {a.churn:.0%}/s, {a.seconds} s, {a.size}-byte messages")
    print(f"echoed messages {echoes} ({echoes / wall:.0f}/s)")
    print(f"errors {sum(errors.values())} {errors}")
    print(f"server RSS {rss_idle} KiB idle -> {rss} KiB loaded: {(rss - rss_idle) / a.connections:.1f} KiB per connection")
    print(f"server CPU {cpu:.1f} s over {wall:.1f} s ({cpu / wall:.0%} of one core)")
    sys.exit(1 if sum(errors.values()) else 0)

main()
