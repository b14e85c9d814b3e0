#!/usr/bin/env bash
# compare.sh -- side-by-side load benchmark: Reactor's Echo (and HttpHello) examples against the
# reference servers in ../shared/bench (C epoll, plain .NET Socket async, Kestrel), one server at
# a time, server pinned to CPU 0 and the C load generator pinned to CPU 1, interleaved passes,
# every server stopped by its PID (run-peers.sh does the pinning, quiet-waiting and stopping).
#
# Usage: benchmarks/compare.sh [-r RUNS] [-d SECONDS] [-w SECONDS] [-l "a b c d e"] [-H] [-q SECONDS] [-f PCT]
#   -r RUNS     interleaved passes (default 3; the table shows medians)
#   -d SECONDS  measured seconds per cell (default 2)
#   -w SECONDS  warm-up seconds per cell, not measured (default 3)
#   -l LIST     workloads (default "a b c d e")
#   -H          skip the HTTP comparison (wrk against HttpHello and Kestrel)
#   -q SECONDS  longest wait for a quiet machine before each cell (default 120, as run-peers.sh;
#               0 = do not wait: for smoke tests on a busy machine, numbers are then meaningless)
#   -f PCT      re-run a cell when other processes took more than PCT % of a core (default 15)
# Output: benchmarks/results/<stamp>/{results.txt,table.md,...}; the table is printed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# The harness sits next to the repository (../shared/bench); from a worktree one level deeper.
bench_src=${BENCH_DIR:-}
if [[ -z $bench_src ]]; then
  for d in "$root/../shared/bench" "$root/../../shared/bench"; do
    [[ -d $d ]] && { bench_src=$(cd "$d" && pwd); break; }
  done
fi
bench_src=${bench_src:-$root/../shared/bench}
RUNS=3 DUR=2 WARM=3 WORKLOADS="a b c d e" HTTP=1 QUIET=120 FOREIGN=15
while getopts "r:d:w:l:Hq:f:" opt; do
  case $opt in
    r) RUNS=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; l) WORKLOADS=$OPTARG ;; H) HTTP=0 ;;
    q) QUIET=$OPTARG ;; f) FOREIGN=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
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
# Build outputs (out/, obj/) stay between invocations, so a second run builds incrementally.
chmod -R u+w "$work"
if command -v rsync >/dev/null; then
  rsync -a --exclude 'results/' --exclude 'out/' --exclude 'bin/' --exclude 'obj/' "$bench_src/" "$work/"
else
  cp -r "$bench_src/." "$work/"
fi
chmod -R u+w "$work"
# The quiet wait (240 probes of 0.5 s) and the interference threshold are constants in the copy.
probes=$((QUIET * 2))
# The pause after each cell is dropped: the quiet check before the next cell already waits 0.5 s
# (this keeps the default matrix, 3 passes x 22 cells, under 10 minutes with the build).
grep -q 'i < 240; i++' "$work/run-peers.sh" && grep -q '^FOREIGN_MAX=15' "$work/run-peers.sh" \
  && grep -q '^  sleep 0.5$' "$work/run-peers.sh" \
  || { echo "compare.sh: run-peers.sh changed upstream; cannot set -q/-f" >&2; exit 1; }
sed -i -e "s/i < 240; i++/i < $probes; i++/" -e "s/still busy after 120 s/still busy after $QUIET s/" \
  -e "s/^FOREIGN_MAX=15/FOREIGN_MAX=$FOREIGN/" -e '/^  sleep 0.5$/d' "$work/run-peers.sh"

start=$(date +%s)
# publish DIR PROJECT: Release build of a .NET project; its log is shown only when it fails.
publish() {
  local log
  if ! log=$(dotnet publish "$2" -c Release -o "$1" --nologo 2>&1); then
    echo "$log" >&2
    echo "compare.sh: dotnet publish $2 failed" >&2
    exit 1
  fi
}

echo "== build (Release)"
gcc -O2 -Wall -Wextra -o "$work/loadgen/loadgen" "$work/loadgen/loadgen.c"
gcc -O2 -Wall -Wextra -o "$work/peers/c-epoll/echo_server" "$work/peers/c-epoll/echo_server.c"
peers_dotnet="dotnet-sockets kestrel"
((HTTP)) && peers_dotnet+=" kestrel-http"
for p in $peers_dotnet; do
  echo "-- $p"
  publish "$work/peers/$p/out" "$work/peers/$p/$p.csproj"
done
echo "-- reactor (examples/Echo)"
publish "$work/peers/reactor/out" "$root/examples/Echo/Echo.csproj"
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
  echo "-- reactor-http (examples/HttpHello)"
  publish "$work/peers/reactor-http/out" "$root/examples/HttpHello/HttpHello.csproj"
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

echo "== built in $(($(date +%s) - start)) s"
echo "== run ($RUNS passes, warm-up ${WARM}s, ${DUR}s measured per cell)"
"$work/run-peers.sh" -B -r "$RUNS" -d "$DUR" -w "$WARM" -l "$WORKLOADS" \
  -p "c-epoll reactor dotnet-sockets kestrel" -t "$http_peers" -o "$out"
python3 "$here/compare_table.py" "$out/results.txt" | tee "$out/table.md"
echo "== total $(($(date +%s) - start)) s; results in $out"
