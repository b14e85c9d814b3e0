#!/usr/bin/env bash
# compare.sh -- side-by-side TCP benchmark of Reactor against hand-written C (epoll) and Kestrel,
# self-contained: it installs what it needs (Debian: gcc, util-linux; NuGet: through dotnet), builds
# the project's own load generator (benchmarks/loadgen/loadgen.c), the C epoll server
# (benchmarks/peers/c-epoll), the Kestrel peer (benchmarks/peers/kestrel) and Reactor's Echo example,
# then runs every (pass, workload, peer) cell one at a time: server pinned to CPU 0, load generator
# pinned to CPU 1, passes interleaved so drift does not favour a peer, every server stopped by its PID.
# It reports throughput AND the server's CPU time per operation (from /proc), writes the Markdown
# table and a chart (ScottPlot), and prints the table.
#
# Usage: benchmarks/compare.sh [-r PASSES] [-d SECONDS] [-w SECONDS] [-l "a b c d e p j"] [-p "reactor c-epoll kestrel"]
#        benchmarks/compare.sh --loops "1 2" [-r PASSES] [-d SECONDS] [-w SECONDS] [-l "a c"]   (the --loops section)
#        benchmarks/compare.sh --metrics [-r PASSES] [-d SECONDS] [-w SECONDS] [-l "a c"]      (the --metrics section)
#   -r PASSES   interleaved passes (default 3; the table shows medians)
#   -d SECONDS  measured seconds per cell (default 2)
#   -w SECONDS  warm-up seconds per cell, not measured (default 8: the .NET servers finish tiered JIT.
#               At 3 s, churn's few thousand connections a second on a loaded 2-vCPU VM left .NET's
#               background compiler ~100 ms of work inside the 2 s window: ~20 µs per connection, which
#               read as "Reactor churn costs 1.9x C"; from 8 s on it measured 0.91x)
#   -l LIST     workloads (default "a b c d e p j"; see the workload_* functions; p and j are HTTP)
#   -p LIST     peers (default "reactor c-epoll kestrel"; see the peer_* and http_peer_* functions;
#               reactor-io_uring = the Echo example with --selector io_uring)
# Output: benchmarks/results/<stamp>/{results.tsv,raw.txt,table.md,chart.png,env.txt}; with -u the
# table and chart are also copied to benchmarks/compare-table.md and benchmarks/compare-chart.png,
# which the README shows.
# --loops "1 2": the multi-loop section instead (see "the --loops section" below): Reactor's Echo with
#   --loops N for each N (and --spread handoff for N > 1), server AND load generator on all CPUs.
# --metrics: the metrics section instead: examples/TelemetryEcho with no listener on the reactor's Meter
#   (--export none) and with the OpenTelemetry SDK listening to every instrument (--export console).
#
# Extending it: a workload is a workload_<id> function calling `cell` with loadgen arguments; a peer
# is a peer_<name> function that starts the server in the foreground on the port it is given (exec),
# plus a build step in build_all. Other sections (HTTP, --loops) add their own functions the same way.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PASSES=3 DUR=2 WARM=8 WORKLOADS="a b c d e p j" PEERS="reactor c-epoll kestrel" UPDATE=0 LOOPS="" METRICS=0 CHOSEN_WORKLOADS=0
args=()
for a in "$@"; do
  case $a in --loops) args+=(-L) ;; --metrics) args+=(-M) ;; *) args+=("$a") ;; esac
done
set -- ${args[@]+"${args[@]}"}
while getopts "r:d:w:l:p:uL:M" opt; do
  case $opt in
    r) PASSES=$OPTARG ;; d) DUR=$OPTARG ;; w) WARM=$OPTARG ;; l) WORKLOADS=$OPTARG CHOSEN_WORKLOADS=1 ;; p) PEERS=$OPTARG ;;
    u) UPDATE=1 ;; L) LOOPS=$OPTARG ;; M) METRICS=1 ;;
    *) sed -n "11,25p" "$0"; exit 2 ;;
  esac
done

# ---- what it needs ---------------------------------------------------------------------------------
need_debian() { # tool package
  command -v "$1" >/dev/null && return 0
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "== installing $2 (Debian)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null
  fi
  command -v "$1" >/dev/null || { echo "compare.sh: $1 is required (apt-get install $2)" >&2; exit 1; }
}
need_debian gcc gcc
need_debian taskset util-linux
need_debian timeout coreutils
http_wanted() { [[ -z $LOOPS ]] && ((!METRICS)) && [[ " $WORKLOADS " == *" p "* || " $WORKLOADS " == *" j "* ]]; }
if http_wanted; then need_debian wrk wrk; fi
command -v dotnet >/dev/null || { echo "compare.sh: the .NET 10 SDK is required" >&2; exit 1; }
cpus=$(nproc)
if ((cpus < 2)); then echo "compare.sh: needs 2 CPUs (server on CPU 0, load on CPU 1)" >&2; exit 1; fi

stamp=$(date -u +%Y%m%d-%H%M%S)
out=$here/results/$stamp
build=$here/results/.build
mkdir -p "$out" "$build"
results=$out/results.tsv
: >"$results"

# ---- build -------------------------------------------------------------------------------------------
publish() { # DIR PROJECT: Release build; its log is shown only when it fails
  local log
  if ! log=$(dotnet publish "$2" -c Release -o "$1" --nologo 2>&1); then
    echo "$log" >&2; echo "compare.sh: dotnet publish $2 failed" >&2; exit 1
  fi
}
build_all() {
  echo "== build (Release)"
  gcc -O2 -Wall -Wextra -o "$build/loadgen" "$here/loadgen/loadgen.c"
  publish "$build/reactor" "$root/examples/Echo/Echo.csproj"
  publish "$build/report" "$here/report/Report.csproj"
  if ((METRICS)); then publish "$build/telemetry" "$root/examples/TelemetryEcho/TelemetryEcho.csproj"; return 0; fi
  [[ -n $LOOPS ]] && return 0 # the --loops section runs Reactor only
  gcc -O2 -Wall -Wextra -o "$build/c-epoll" "$here/peers/c-epoll/echo_server.c"
  # Kestrel takes the longest to publish: only when it is one of the peers.
  if [[ " $PEERS " == *" kestrel "* ]]; then publish "$build/kestrel" "$here/peers/kestrel/KestrelEcho.csproj"; fi
  if http_wanted; then http_build; fi
}

# ---- peers: each execs its server in the foreground on port $1, first stdout line = its address -----
peer_reactor() { exec "$build/reactor/Echo" --port "$1"; }
# The same Echo on the io_uring backend (falls back to epoll with one line on stderr where io_uring is refused).
peer_reactor-io_uring() { exec "$build/reactor/Echo" --port "$1" --selector io_uring; }
peer_c-epoll() { exec "$build/c-epoll" "$1"; }
peer_kestrel() { exec "$build/kestrel/KestrelEcho" "$1"; }

# ---- one cell: start the peer on CPU 0, wait for its address line, load it from CPU 1, stop it -------
cell() { # PASS PEER WORKLOAD-ID TITLE UNIT LOADGEN-ARGS...
  local pass=$1 peer=$2 id=$3 title=$4 unit=$5
  shift 5
  local fifo=$build/first-line.$$ pid port line result value
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c "$SERVER_CPUS" bash -c "$(declare -f "peer_$peer"); build=$build; peer_$peer 0" >"$fifo" 2>"$out/server-$peer.log" &
  pid=$!
  exec 3<"$fifo"
  if ! read -r -t 30 line <&3; then
    echo "compare.sh: $peer printed no address" >&2; kill "$pid" 2>/dev/null; exec 3<&-; rm -f "$fifo"; return 1
  fi
  port=${line##*:}
  result=$(taskset -c "$CLIENT_CPUS" timeout $((WARM + DUR + 90)) "$build/loadgen" --port "$port" "$@" \
             --warmup "$WARM" --duration "$DUR" --server-pid "$pid") || result="FAILED ${result:-}"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  exec 3<&-; rm -f "$fifo"
  echo "pass=$pass peer=$peer workload=$id $result" >>"$out/raw.txt"
  if [[ $result != RESULT* ]]; then echo "   $peer $id: $result" >&2; return 0; fi
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  value=$(field ops_per_s)
  [[ $unit == MB/s ]] && value=$(field mb_per_s)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$peer" "$id" "$title" "$unit" "$value" \
    "$(field server_us_per_op)" "$(field client_cpu_pct)" >>"$results"
  printf '   %-8s %-3s %12s %-5s  server %7s µs/op  client core %5s %%\n' "$peer" "$id" "$value" "$unit" \
    "$(field server_us_per_op)" "$(field client_cpu_pct)"
}

# ---- workloads: one function each ----------------------------------------------------------------------
workload_a() { cell "$1" "$2" a "ping-pong, 50 conns" msg/s --mode echo --conns 50 --size 64 --depth 1; }
workload_b() { cell "$1" "$2" b "pipelined 50x16" msg/s --mode echo --conns 50 --size 64 --depth 16; }
workload_c() { cell "$1" "$2" c "1,000 conns" msg/s --mode echo --conns 1000 --size 64 --depth 1; }
workload_d() { cell "$1" "$2" d "bulk 64 KiB x16" MB/s --mode echo --conns 1 --size 65536 --depth 16; }
workload_e() { cell "$1" "$2" e "connection churn" conn/s --mode churn --conns 50 --size 64; }

# ---- HTTP workloads (TechEmpower's plaintext and JSON tests), driven by wrk -----------------------------
# Reactor's HttpHello (examples/HttpHello, on Reactor.Web) against Kestrel (benchmarks/peers/kestrel-http),
# same answers: /plaintext "Hello, World!", /json {"message":"Hello, World!"} serialized per request.
# c-epoll has no HTTP peer: its cells are left out. wrk runs on CPU 1 with one thread; pipelining
# is our own wrk script ($build/pipeline.lua) sending DEPTH requests per write. Server CPU per
# request is the server's CPU time (/proc/PID/task/*/schedstat) over wrk's measured run.
http_build() {
  publish "$build/reactor-http" "$root/examples/HttpHello/HttpHello.csproj"
  publish "$build/kestrel-http" "$here/peers/kestrel-http/KestrelHttp.csproj"
  cat >"$build/pipeline.lua" <<'LUA'
-- DEPTH requests (wrk's own request, repeated) in one write; wrk counts every response.
init = function(args)
  local depth = tonumber(args[1]) or 1
  local one = wrk.format()
  local all = {}
  for i = 1, depth do all[i] = one end
  request_text = table.concat(all)
end
request = function() return request_text end
LUA
}
http_peer_reactor() { exec "$build/reactor-http/HttpHello" --port "$1"; }
http_peer_kestrel() { exec "$build/kestrel-http/KestrelHttp" "$1"; }

server_cpu_ns() { # PID: CPU time of all its threads, in ns
  local total=0 t
  for t in /proc/"$1"/task/*/schedstat; do read -r ns _ <"$t" && total=$((total + ns)); done 2>/dev/null
  echo "$total"
}

http_cell() { # PASS PEER WORKLOAD-ID TITLE PATH DEPTH CONNECTIONS
  local pass=$1 peer=$2 id=$3 title=$4 path=$5 depth=$6 conns=$7
  declare -F "http_peer_$peer" >/dev/null || return 0
  local fifo=$build/first-line.$$ pid port line url report before after requests rps errors client us
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 0 bash -c "$(declare -f "http_peer_$peer"); build=$build; http_peer_$peer 0" >"$fifo" 2>"$out/server-http-$peer.log" &
  pid=$!
  exec 3<"$fifo"
  if ! read -r -t 30 line <&3; then
    echo "compare.sh: $peer (HTTP) printed no address" >&2; kill "$pid" 2>/dev/null; exec 3<&-; rm -f "$fifo"; return 1
  fi
  port=${line##*:}
  url="http://127.0.0.1:$port$path"
  taskset -c 1 wrk -t1 -c"$conns" -d"${WARM}s" -s "$build/pipeline.lua" "$url" -- "$depth" >/dev/null 2>&1 || true
  before=$(server_cpu_ns "$pid")
  report=$(taskset -c 1 bash -c 'wrk "$@"; times' wrk -t1 -c"$conns" -d"${DUR}s" -s "$build/pipeline.lua" "$url" -- "$depth" 2>&1) || true
  after=$(server_cpu_ns "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  exec 3<&-; rm -f "$fifo"
  echo "pass=$pass peer=$peer workload=$id $(tr '\n' ' ' <<<"$report")" >>"$out/raw.txt"
  requests=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$report")
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$report")
  errors=$( (sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' <<<"$report";
             sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' <<<"$report") | tr ' ' '\n' | awk '{s+=$1} END {print s+0}')
  if [[ -z $requests || -z $rps || $requests == 0 ]]; then echo "   $peer $id: wrk failed: $report" >&2; return 0; fi
  if ((errors > 0)); then echo "   $peer $id: $errors socket errors or non-2xx responses" >&2; fi
  # `times`: its second line is the children's (wrk's) user and system time, as 0m1.234s 0m0.567s.
  client=$(tail -1 <<<"$report" | awk -v d="$DUR" '{ split($1,u,/[ms]/); split($2,s,/[ms]/); printf "%.1f", (u[1]*60+u[2]+s[1]*60+s[2])*100/d }')
  us=$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN { printf "%.3f", (b-a)/1000/n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$peer" "$id" "$title" "req/s" "$rps" "$us" "$client" >>"$results"
  printf '   %-8s %-3s %12s %-5s  server %7s µs/op  client core %5s %%\n' "$peer" "$id" "$rps" "req/s" "$us" "$client"
}
workload_p() { http_cell "$1" "$2" p "HTTP plaintext, pipelined x16, 256 conns" /plaintext 16 256; }
workload_j() { http_cell "$1" "$2" j "HTTP JSON, 256 conns" /json 1 256; }

# ---- the --loops section: one program on N loops -------------------------------------------------------
# Reactor's Echo with --loops N (a ReactorGroup: N loops on N threads; SO_REUSEPORT per loop by default)
# and, for N > 1, --spread handoff (one loop accepts and deals connections out). To scale, the server
# needs the cores, so here the server and the load generator BOTH run on every CPU: on a 2-core machine
# they compete, and the figures show the CPU each operation costs the server and whether a second loop
# adds throughput while the load generator takes its share; they cannot show linear scaling (that needs
# cores to spare beyond the load generator's: check >= 0.85 x linear on an 8+ core machine).
SERVER_CPUS=0 CLIENT_CPUS=1
if [[ -n $LOOPS ]]; then
  SERVER_CPUS="0-$((cpus - 1))" CLIENT_CPUS="0-$((cpus - 1))"
  rm -rf "$out"; out=$out-loops; mkdir -p "$out"; results=$out/results.tsv; : >"$results"
  ((CHOSEN_WORKLOADS)) || WORKLOADS="a c"
  PEERS=""
  for n in $LOOPS; do
    eval "peer_reactor-loops$n() { exec \"\$build/reactor/Echo\" --port \"\$1\" --loops $n; }"
    PEERS+=" reactor-loops$n"
    if ((n > 1)); then
      eval "peer_reactor-loops$n-handoff() { exec \"\$build/reactor/Echo\" --port \"\$1\" --loops $n --spread handoff; }"
      PEERS+=" reactor-loops$n-handoff"
    fi
  done
fi

# ---- the --metrics section: what a listener on the reactor's Meter costs -----------------------------------
# examples/TelemetryEcho without OpenTelemetry (nobody listens: instruments are off) and with the SDK's
# console exporter listening to every instrument (the loop then times each iteration). Pinned as the main
# matrix (server CPU 0, load CPU 1); the server CPU per operation includes the exporter's own thread.
# The exports after the first line go to the fifo nobody reads: the 3600 s interval keeps it to the one at exit.
if ((METRICS)); then
  rm -rf "$out"; out=$out-metrics; mkdir -p "$out"; results=$out/results.tsv; : >"$results"
  ((CHOSEN_WORKLOADS)) || WORKLOADS="a c"
  peer_metrics-off() { exec "$build/telemetry/TelemetryEcho" --port "$1" --export none; }
  peer_metrics-on() { exec "$build/telemetry/TelemetryEcho" --port "$1" --export console --export-interval 3600; }
  PEERS="metrics-off metrics-on"
fi

# ---- the run --------------------------------------------------------------------------------------------
build_all
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $cpus"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version)"
  echo "gcc: $(gcc -dumpfullversion)"
  if ((METRICS)); then
    echo "command: benchmarks/compare.sh --metrics -r $PASSES -d $DUR -w $WARM -l \"$WORKLOADS\""
  elif [[ -n $LOOPS ]]; then
    echo "command: benchmarks/compare.sh --loops \"$LOOPS\" -r $PASSES -d $DUR -w $WARM -l \"$WORKLOADS\""
    echo "cpus: server on $SERVER_CPUS, load generator on $CLIENT_CPUS (shared)"
  else
    echo "command: benchmarks/compare.sh -r $PASSES -d $DUR -w $WARM -l \"$WORKLOADS\" -p \"$PEERS\""
  fi
} >"$out/env.txt"
cat "$out/env.txt"
for pass in $(seq "$PASSES"); do
  echo "== pass $pass of $PASSES"
  for w in $WORKLOADS; do
    for peer in $PEERS; do "workload_$w" "$pass" "$peer"; done
  done
done

echo "== report"
"$build/report/Report" "$results" "$out"
if ((UPDATE)) && ((METRICS)); then
  cp "$out/table.md" "$here/compare-metrics-table.md"
  cp "$out/env.txt" "$here/compare-metrics-env.txt"
elif ((UPDATE)) && [[ -n $LOOPS ]]; then
  cp "$out/table.md" "$here/compare-loops-table.md"
  cp "$out/env.txt" "$here/compare-loops-env.txt"
elif ((UPDATE)); then
  cp "$out/table.md" "$here/compare-table.md"
  cp "$out/chart.png" "$here/compare-chart.png"
  cp "$out/env.txt" "$here/compare-env.txt"
fi
echo "results: $out"
