#!/usr/bin/env bash
# Soak: the Echo example (Release) under steady load: 10,000 connections held, 1 % replaced every
# second, one 64-byte message per connection per second, for 60 s. Prints errors, server RSS per
# connection and server CPU. Needs python3 and a hard descriptor limit above 10,100.
#   benchmarks/soak/run.sh [CONNECTIONS] [SECONDS] [SELECTOR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
connections="${1:-10000}"
seconds="${2:-60}"
selector="${3:-epoll}"
dotnet build "$root/examples/Echo" -c Release >/dev/null
ulimit -n "$(ulimit -Hn)"
out="$(mktemp)"
dotnet "$root/examples/Echo/bin/Release/net10.0/Echo.dll" --port 0 --selector "$selector" >"$out" 2>"$out.err" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$out" "$out.err"' EXIT
for _ in $(seq 100); do grep -q "listening" "$out" && break; sleep 0.1; done
port="$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out" | head -1)"
python3 "$here/soak.py" --port "$port" --pid "$server" --connections "$connections" --seconds "$seconds"
