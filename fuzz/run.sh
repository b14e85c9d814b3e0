#!/usr/bin/env bash
# Runs one SharpFuzz harness under AFL++ for a bounded time.
#   fuzz/run.sh TARGET [SECONDS] [OUTDIR]
# Needs: afl++ (Debian: apt-get install afl++) and the SharpFuzz instrumenter
# (dotnet tool install --global SharpFuzz.CommandLine). Targets: fuzz/run.sh --list.
# Prints AFL's final statistics (execs_done, execs_per_sec, saved_crashes, saved_hangs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--list" ] || [ -z "${1:-}" ]; then
    dotnet run --project "$here/Reactor.Fuzz" -c Release -- --list
    exit 0
fi
target="$1"
seconds="${2:-600}"
out="${3:-$here/findings/$target}"
build="${FUZZ_BUILD_DIR:-$here/bin}"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found (apt-get install afl++)" >&2; exit 1; }
sharpfuzz="$(command -v sharpfuzz || echo "$HOME/.dotnet/tools/sharpfuzz")"
[ -x "$sharpfuzz" ] || { echo "sharpfuzz not found (dotnet tool install --global SharpFuzz.CommandLine)" >&2; exit 1; }

# Build once per output folder, then instrument the assemblies whose code is fuzzed.
if [ ! -f "$build/.instrumented" ]; then
    dotnet publish "$here/Reactor.Fuzz" -c Release -o "$build" >/dev/null
    "$sharpfuzz" "$build/Reactor.dll"
    "$sharpfuzz" "$build/Reactor.Web.dll"
    "$sharpfuzz" "$build/Reactor.Fuzz.dll" Reactor.Examples.HttpHello
    touch "$build/.instrumented"
fi

mkdir -p "$out"
# No CPU pinning: the machine is shared, and two harnesses may run side by side.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
afl-fuzz -V "$seconds" -i "$here/corpus/$target" -o "$out" -t 10000 -m none \
    -- dotnet "$build/Reactor.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || true
stats="$out/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz produced no statistics; see $out/afl.log" >&2; tail -20 "$out/afl.log" >&2; exit 1; }
grep -E "^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|stability|bitmap_cvg) " "$stats"
