#!/usr/bin/env bash
# Runs every test of the playground, fail-fast, printing each command and how long each step took.
#
#   scripts/test.sh              all steps below, in this order
#   scripts/test.sh STEP...      only the named steps (e.g. `scripts/test.sh build e2e`)
#   scripts/test.sh --list       list the steps
#
# Steps:
#   fmt          cargo fmt --check
#   clippy       cargo clippy --all-targets -- -D warnings                  (native)
#   clippy-wasm  cargo clippy --target wasm32-unknown-unknown --bins --lib [--test 'web_*'] -- -D warnings
#   test         cargo test         (native: unit, doc, and the integration tests: one binary, tests/native)
#   web          cargo test --target wasm32-unknown-unknown --test 'web_*'  (wasm-bindgen-test in Chromium;
#                only tests/web_*.rs, which start with #![cfg(target_arch = "wasm32")])
#   build        trunk build --release -> dist/, and a sub-path build (--public-url /play/) -> target/dist-play/;
#                prints each asset's gzip -9 size and fails when their sum passes PAGE_GZIP_CEILING;
#                release builds also write .br/.gz copies (Trunk's post_build hook: scripts/precompress.mjs)
#   e2e          node e2e/run.mjs: Playwright (playwright-core + /usr/bin/chromium) against dist/ served on
#                127.0.0.1 at / and at /play/; fails on any page error, console error or foreign request
#   bench        node e2e/bench.mjs (sizes, startup, 1k/10k-message traces) and node e2e/lighthouse.mjs
#                (issue 16: Lighthouse 12.2.3 mobile, 3 runs each, on dist/ and on a Mermaid page drawing
#                the same trace, side by side). Prints numbers, never fails on them. Not in "all".
#
# Tools come from scripts/setup.sh, which this script runs first (idempotent: seconds when
# everything is installed); SKIP_SETUP=1 skips it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_SETUP:-0}" != "1" ] && [ "${1:-}" != "--list" ]; then
  "$ROOT/scripts/setup.sh"
fi
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

ALL_STEPS=(fmt clippy clippy-wasm test web build e2e)
EXTRA_STEPS=(bench)
SUBPATH="${E2E_SUBPATH:-/play/}"
SUBPATH_DIST="target/dist-play"
# Ratchet on page weight (wasm + JS + CSS + index.html, gzip -9 bytes), so size cannot creep back
# unnoticed. Issue 16's target for what the first view needs is 400 KB gzip; the page is above it
# (see `scripts/test.sh bench`). Lower this number whenever the page shrinks. Raised on 2026-12-01
# from 598,000 to 728,500 for S3 and RDS (about 40 KB gzip each), tags and the AWS CLI
# conformance members, the embedding glue, index.html counted with its inlined CSS, and the
# restructure (+9 KB; the session's closing note has the breakdown); then lowered to 715,000 when the
# crate's own json! macro (src/json_macro.rs) took 12,910 B off the wasm.
# Raised on 2026-12-01 for the classroom (presenter view, predict-the-next-call, the exam checks
# UI, progress, the waiter fold; the questions are fetched JSON, public/questions.json): main at
# c5c9ea9 measures 724,197 here (above its own 715,000), the classroom branch 755,504 (+31,307);
# then 755,972 with the S3 copy-object scenario.
# Lowered on 2026-12-01 to 715,000 (issue 10, the restructure's page weight): wasm 733,388 ->
# 692,339 B gzip -9, page about 755,700 -> 714,619: one insertion sort (src/sort.rs) instead of
# std's driftsort per element type (-9,518), the model's maps boxed (model::Table, one copy of
# the B-tree code: -10,990), wasm-opt --low-memory-unused (-4,367), no float formatting or
# parsing in the app (the speed select, the presenter zoom: -16,153, mostly dec2flt's tables),
# one JSON reader (-526); the enums cost +449.
# Raised on 2026-12-01 for issue 12's last pieces (seed 003's compliance-design scenario, the
# CloudTrail tab filtered by key, the runnable S3/EBS/RDS comparison table): main at 6900334
# measures 755,693 here, the branch 775,864 (+20,171: wasm 733,415 -> 753,332, index.html with
# the new CSS 13,536 -> 13,790).
# Raised on 2026-12-01 for issue 14, Alibaba Cloud as a second provider (the ECS, KMS and RAM
# model, the aliyun CLI with completion, the ECS card, the four-case table, eight scenarios, the
# two clouds side by side). Without it the page would be about 733,400: an estimate, the sum of
# issue 10's measured 713,238 and issue 12's measured +20,171, never built on its own. With it
# the page measures 864,013 (wasm 841,301), so Alibaba Cloud costs about +130,600, of which the model is
# the most (156 KB of raw code in model::aliyun). The Alibaba code follows the rules above (one
# B-tree, one sort): that took 13,087 B off it before this number was set.
PAGE_GZIP_CEILING="${PAGE_GZIP_CEILING:-864500}"

bold() { printf '\033[1m%s\033[0m' "$*"; }
say() { printf '%s %s\n' "$(bold '[test]')" "$*"; }
die() { printf '\033[1;31m[test] error:\033[0m %s\n' "$*" >&2; exit 1; }
run() { printf '%s %s\n' "$(bold '[test] $')" "$*"; "$@"; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: run scripts/setup.sh first (then '. scripts/env.sh')."
}

web_test_files() {
  local f
  for f in tests/web_*.rs; do
    [ -f "$f" ] && grep -q '#!\[cfg(target_arch = "wasm32")\]' "$f" && printf '%s\n' "$f"
  done
  return 0
}

step_fmt() { need cargo; run cargo fmt --check; }

step_clippy() { need cargo; run cargo clippy --all-targets -- -D warnings; }

step_clippy_wasm() {
  need cargo
  local extra=()
  # The web_* test files only compile for wasm32, so lint them here too.
  [ -n "$(web_test_files)" ] && extra=(--test 'web_*')
  run cargo clippy --target wasm32-unknown-unknown --bins --lib "${extra[@]}" -- -D warnings
}

step_test() { need cargo; run cargo test; }

step_web() {
  local files
  files="$(web_test_files)"
  if [ -z "$files" ]; then
    say "no tests/web_*.rs with #![cfg(target_arch = \"wasm32\")]: nothing to run"
    return 0
  fi
  need wasm-bindgen-test-runner
  [ -x "$CHROMEDRIVER" ] || die "chromedriver not found at $CHROMEDRIVER: run scripts/setup.sh"
  [ -f webdriver.json ] || die "webdriver.json missing at the crate root"
  say "browser tests: $(echo "$files" | tr '\n' ' ')"
  # The runner comes from .cargo/config.toml; browser options from webdriver.json.
  run env CHROMEDRIVER="$CHROMEDRIVER" cargo test --target wasm32-unknown-unknown --test 'web_*'
}

step_build() {
  need trunk
  need wasm-opt
  case "$(wasm-opt --version)" in
    "wasm-opt version 132"*) ;;
    *) die "wasm-opt on PATH is $(command -v wasm-opt) ($(wasm-opt --version)), expected npm binaryen 132 from .tools/: run scripts/setup.sh" ;;
  esac
  run trunk build --release
  run trunk build --release --public-url "$SUBPATH" --dist "$SUBPATH_DIST"
  local f gz total=0
  # index.html counts too: it carries the inlined CSS and the static first view.
  for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
    [ -f "$f" ] || continue
    # embed.js and sw.js are not loaded by the page itself.
    case "$f" in dist/embed.js | dist/sw.js) continue ;; esac
    gz="$(gzip -9 -c "$f" | wc -c)"
    total=$((total + gz))
    printf '[test]   %-48s %8d bytes, %7d gzip -9\n' "$f" "$(stat -c %s "$f")" "$gz"
  done
  say "page weight: $total bytes gzip -9 (ceiling $PAGE_GZIP_CEILING)"
  # The docs embedding files the post_build hook adds (not part of the page weight).
  for f in dist/embed.js dist/sw.js dist/docs/index.html "$SUBPATH_DIST/embed.js" "$SUBPATH_DIST/sw.js"; do
    [ -f "$f" ] || die "$f is missing: the Trunk post_build hook (scripts/post-build.sh) did not run"
  done
  printf '[test]   %-48s %8d bytes, %7d gzip -9 (separate, loaded by docs pages)\n' dist/embed.js \
    "$(stat -c %s dist/embed.js)" "$(gzip -9 -c dist/embed.js | wc -c)"
  [ "$total" -le "$PAGE_GZIP_CEILING" ] ||
    die "page weight $total bytes gzip -9 is over the ceiling of $PAGE_GZIP_CEILING: find what grew (twiggy top) or, if the growth is deliberate, raise PAGE_GZIP_CEILING in scripts/test.sh"
}

step_e2e() {
  need node
  [ -f dist/index.html ] || die "dist/ is not built: run 'scripts/test.sh build e2e'"
  [ -d e2e/node_modules/playwright-core ] || die "e2e packages missing: run scripts/setup.sh"
  [ -x "${CHROMIUM}" ] || die "Chromium not found at ${CHROMIUM}: run scripts/setup.sh"
  run env E2E_DIST="$ROOT/dist" E2E_SUBPATH="$SUBPATH" E2E_SUBPATH_DIST="$ROOT/$SUBPATH_DIST" node e2e/run.mjs
}

step_bench() {
  need node
  [ -f dist/index.html ] || die "dist/ is not built: run 'scripts/test.sh build bench'"
  run env E2E_DIST="$ROOT/dist" node e2e/bench.mjs
  # The Mermaid anchor draws what the runner exports for the same scenario (79 arrows in 2026-12).
  local trace="target/bench-trace.mmd"
  run cargo run --quiet --release --bin ebs-kms -- run --trace mermaid examples/scripts/encrypted-volume-from-snapshot.sh >"$trace"
  say "anchor trace: $(grep -c -- "->>" "$trace") arrows (requests and responses)"
  run env E2E_DIST="$ROOT/dist" BENCH_TRACE="$ROOT/$trace" node e2e/lighthouse.mjs ${BENCH_ENCODING:+--encoding "$BENCH_ENCODING"}
}

# --- argument handling ---------------------------------------------------------------------------
if [ "${1:-}" = "--list" ] || [ "${1:-}" = "-l" ]; then
  printf '%s\n' "${ALL_STEPS[@]}" "${EXTRA_STEPS[@]}"
  exit 0
fi
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi
STEPS=("$@")
[ "${#STEPS[@]}" -eq 0 ] && STEPS=("${ALL_STEPS[@]}")
for s in "${STEPS[@]}"; do
  case " ${ALL_STEPS[*]} ${EXTRA_STEPS[*]} " in
    *" $s "*) ;;
    *) die "unknown step '$s' (steps: ${ALL_STEPS[*]} ${EXTRA_STEPS[*]})" ;;
  esac
done

# --- run ------------------------------------------------------------------------------------------
SUMMARY=()
T_ALL=$SECONDS
CURRENT=""
T_STEP=$SECONDS
on_exit() {
  local code=$?
  if [ "$code" -ne 0 ] && [ -n "$CURRENT" ]; then
    printf '\033[1;31m[test] FAILED step %s after %ss (exit %s). Re-run it alone: scripts/test.sh %s\033[0m\n' \
      "$CURRENT" "$((SECONDS - T_STEP))" "$code" "$CURRENT" >&2
  fi
}
trap on_exit EXIT

for s in "${STEPS[@]}"; do
  CURRENT="$s"
  T_STEP=$SECONDS
  say "==> step $(bold "$s")"
  "step_${s//-/_}"
  SUMMARY+=("$(printf '%-12s ok  %5ss' "$s" "$((SECONDS - T_STEP))")")
  say "<== step $s ok ($((SECONDS - T_STEP))s)"
done
CURRENT=""
say "summary:"
for line in "${SUMMARY[@]}"; do say "  $line"; done
say "all ${#STEPS[@]} step(s) passed in $((SECONDS - T_ALL))s"
