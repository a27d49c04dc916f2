#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one at a time, each for a number of executions, on the
# corpus kept in the repository (fuzz/corpus/<target>/, seeded from fuzz/seeds/<target>/), then
# minimizes that corpus with libFuzzer's -set_cover_merge=1 so it stays small. Not part of CI:
# run it by hand and commit the corpus, so later runs build on it.
#
#   scripts/fuzz.sh                  every target, 2,000,000 executions each
#   scripts/fuzz.sh TARGET...        only these targets (parse_line script_decode shell_line session_run)
#   RUNS=100000 scripts/fuzz.sh      fewer executions
#   SANITIZER=address scripts/fuzz.sh   with AddressSanitizer (default none: the crate is safe Rust
#                                    apart from two zeroing writes; ASan costs 3 to 10 times the speed)
#   NICE=10 JOBS=1 TIMEOUT=60 RSS_MB=2048 are the other knobs (libFuzzer's -jobs, -timeout, -rss_limit_mb).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz needs nightly features; with only a
# stable toolchain this script sets RUSTC_BOOTSTRAP=1, which lets stable rustc accept them.
# Prints, per target: executions, seconds, exec/s, corpus files before and after, and crashes.
# A crash stops that target: its input is in fuzz/artifacts/<target>/ and the script exits 1
# after the remaining targets ran.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="$ROOT/fuzz"
RUNS="${RUNS:-2000000}"
SANITIZER="${SANITIZER:-none}"
NICE="${NICE:-10}"
JOBS="${JOBS:-1}"
TIMEOUT="${TIMEOUT:-60}"
RSS_MB="${RSS_MB:-2048}"
ALL=(parse_line script_decode shell_line session_run)
TARGETS=("$@")
[ "${#TARGETS[@]}" -eq 0 ] && TARGETS=("${ALL[@]}")

say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }
command -v cargo-fuzz >/dev/null 2>&1 || { echo "[fuzz] cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
cd "$FUZZ"

TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
SUMMARY=()
FAILED=0
for t in "${TARGETS[@]}"; do
  [ -f "fuzz_targets/$t.rs" ] || { echo "[fuzz] no target fuzz_targets/$t.rs" >&2; exit 2; }
  # session_run spends most of its time in the simulation, where libFuzzer's compare tracing
  # costs about a third of the speed and helps little (its input is structured by `arbitrary`).
  flags=()
  case "$t" in session_run) flags=(--no-trace-compares) ;; esac
  say "build $t (sanitizer $SANITIZER${flags[*]:+, ${flags[*]}})"
  nice -n "$NICE" cargo fuzz build -s "$SANITIZER" "${flags[@]}" "$t"
  bin="$FUZZ/target/$TRIPLE/release/$t"
  corpus="$FUZZ/corpus/$t"
  seeds="$FUZZ/seeds/$t"
  art="$FUZZ/artifacts/$t"
  mkdir -p "$corpus" "$art" "$seeds"
  before="$(find "$corpus" -type f | wc -l)"
  log="$(mktemp -d)"
  say "run $t: $RUNS executions, corpus $corpus ($before files)"
  start=$(date +%s.%N)
  status=0
  # -jobs runs the fuzzer in a child process that logs to fuzz-<job>.log in the current directory.
  (cd "$log" && nice -n "$NICE" "$bin" -runs="$RUNS" -jobs="$JOBS" -timeout="$TIMEOUT" \
      -rss_limit_mb="$RSS_MB" -artifact_prefix="$art/" -print_final_stats=1 "$corpus" "$seeds") || status=$?
  end=$(date +%s.%N)
  tail -n 25 "$log"/fuzz-*.log || true
  execs="$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$log"/fuzz-*.log | awk '{s += $2} END {print s + 0}')"
  crashed="$(grep -c 'ERROR: libFuzzer\|panicked at' "$log"/fuzz-*.log || true)"
  # Minimize: the fewest inputs that reach every edge the corpus reaches (greedy set cover over
  # edges, hit counts ignored), so it stays a few hundred files. The seeds are kept apart.
  merged="$(mktemp -d)"
  (cd "$log" && nice -n "$NICE" "$bin" -set_cover_merge=1 -use_counters=0 -timeout="$TIMEOUT" \
      -rss_limit_mb="$RSS_MB" "$merged" "$corpus" >/dev/null 2>&1) || true
  if [ -n "$(ls -A "$merged")" ]; then
    rm -rf "$corpus"
    mv "$merged" "$corpus"
  fi
  after="$(find "$corpus" -type f | wc -l)"
  secs="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", b - a}')"
  rate="$(awk -v e="$execs" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? e / s : 0)}')"
  line="$(printf '%-14s %9s execs %6ss %7s exec/s  corpus %4s -> %4s files  crashes %s' \
    "$t" "$execs" "$secs" "$rate" "$before" "$after" "${crashed:-0}")"
  say "$line"
  SUMMARY+=("$line")
  if [ "$status" -ne 0 ] || [ "${crashed:-0}" -ne 0 ]; then
    FAILED=1
    say "$t found a crash (exit $status): see $art/ and $log/"
  else
    rm -rf "$log"
  fi
done
say "summary (RUNS=$RUNS, sanitizer $SANITIZER, jobs $JOBS):"
for l in "${SUMMARY[@]}"; do say "  $l"; done
exit "$FAILED"
