#!/usr/bin/env bash
# compare.sh -- side-by-side load benchmark: Reactor's Echo (and HttpHello) examples against the
# reference servers in ../shared/bench (C epoll, plain .NET Socket async, Kestrel), one server at
# a time, server pinned to CPU 0 and the C load generator pinned to CPU 1, interleaved passes,
# every server stopped by its PID (run-peers.sh does the pinning, quiet-waiting and stopping).
#
# Usage: benchmarks/compare.sh [-r RUNS] [-d SECONDS] [-w SECONDS] [-l "a b c d e"] [-H]
#   -r RUNS     interleaved passes (default 3; the table shows medians)
#   -d SECONDS  measured seconds per cell (default 3)
#   -w SECONDS  warm-up seconds per cell, not measured (default 3)
#   -l LIST     workloads (default "a b c d e")
#   -H          skip the HTTP comparison (wrk against HttpHello and Kestrel)
# Output: benchmarks/results/<stamp>/{results.txt,table.md,...}; the table is printed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bench_src=${BENCH_DIR:-$root/../shared/bench}
RUNS=3 DUR=3 WARM=3 WORKLOADS="a b c d e" HTTP=1
while getopts "r:d:w:l:H" opt; do
  case $opt in
    r) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; l) WORKLOADS=$OPTARG ;; H) HTTP=0 ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
[[ -d $bench_src ]] || { echo "compare.sh: no benchmark harness at $bench_src (set BENCH_DIR)" >&2; exit 1; }
for tool in gcc taskset nc timeout; do
  command -v $tool >/dev/null || { echo "compare.sh: $tool is required" >&2; exit 1; }
done
if ((HTTP)) && ! command -v wrk >/dev/null; then
  echo "compare.sh: wrk not found; skipping HTTP (apt-get install wrk)" >&2; HTTP=0
fi

stamp=$(date +%Y%m%d-%H%M%S)
out=$here/results/$stamp
work=$here/results/.harness
mkdir -p "$out" "$work"
# The shared harness is read-only: copy it and build there.
rsync -a --delete --exclude 'results/' --exclude 'out/' --exclude 'bin/' --exclude 'obj/' "$bench_src/" "$work/" 2>/dev/null \
  || { rm -rf "$work"; mkdir -p "$work"; cp -r "$bench_src/." "$work/"; }
chmod -R u+w "$work"

echo "== build (Release)"
gcc -O2 -Wall -Wextra -o "$work/loadgen/loadgen" "$work/loadgen/loadgen.c"
gcc -O2 -Wall -Wextra -o "$work/peers/c-epoll/echo_server" "$work/peers/c-epoll/echo_server.c"
peers_dotnet="dotnet-sockets kestrel"
((HTTP)) && peers_dotnet+=" kestrel-http"
for p in $peers_dotnet; do
  dotnet publish "$work/peers/$p/$p.csproj" -c Release -o "$work/peers/$p/out" --nologo -v q >/dev/null
done
dotnet publish "$root/examples/Echo/Echo.csproj" -c Release -o "$work/peers/reactor/out" --nologo -v q >/dev/null
cat >"$work/peers/reactor/run.sh" <<'RUN'
#!/usr/bin/env bash
# Reactor's Echo example in the foreground on 127.0.0.1:PORT (exec: the PID is the server's).
set -euo pipefail
cd "$(dirname "$0")"
exec ./out/Echo --port "${1:?usage: run.sh PORT}"
RUN
chmod +x "$work/peers/reactor/run.sh"
http_peers=""
if ((HTTP)); then
  dotnet publish "$root/examples/HttpHello/HttpHello.csproj" -c Release -o "$work/peers/reactor-http/out" --nologo -v q >/dev/null
  cat >"$work/peers/reactor-http/run.sh" <<'RUN'
#!/usr/bin/env bash
# Reactor's HttpHello example in the foreground on 127.0.0.1:PORT (exec: the PID is the server's).
set -euo pipefail
cd "$(dirname "$0")"
exec ./out/HttpHello --port "${1:?usage: run.sh PORT}"
RUN
  chmod +x "$work/peers/reactor-http/run.sh"
  http_peers="reactor-http kestrel-http"
fi

echo "== run ($RUNS passes, warm-up ${WARM}s, ${DUR}s measured per cell)"
"$work/run-peers.sh" -B -r "$RUNS" -d "$DUR" -w "$WARM" -l "$WORKLOADS" \
  -p "c-epoll reactor dotnet-sockets kestrel" -t "$http_peers" -o "$out"
python3 "$here/compare_table.py" "$out/results.txt" | tee "$out/table.md"
