#!/usr/bin/env bash
# Installs what building, serving and testing the playground needs on a fresh Debian 12 machine
# of this project's kind (network: crates.io, the npm registry, Debian's archive; no release-page
# downloads). Idempotent: every step checks first and skips what is already there, so a second
# run costs a few seconds. See ../shared/reference/toolchain.md for why each tool comes from where.
#
# Installs: the wasm32 Rust target; trunk 0.21.14 and wasm-bindgen-cli (exact Cargo.lock version)
# with cargo; wasm-opt from npm binaryen@132 into .tools/; Debian chromium + chromium-driver
# (+ nodejs/npm if missing); the e2e/ npm packages (playwright-core only, no browser download).
# Afterwards `. scripts/env.sh` puts the tools on PATH (the other scripts source it themselves).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs one named step and prints how long it took.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  "$@"
  say "step '${name}' finished in $((SECONDS - t0))s"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

check_rust() {
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first (rustc >= 1.85)."
  command -v rustup >/dev/null 2>&1 || die "rustup not found: the wasm32 target is added with rustup."
  say "rust: $(rustc --version)"
}

install_system_packages() {
  local missing=()
  command -v cc >/dev/null 2>&1 || missing+=(build-essential pkg-config)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v gzip >/dev/null 2>&1 || missing+=(gzip)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "system packages present: $(/usr/bin/chromium --version 2>/dev/null), node $(node --version)"
  else
    apt_install "${missing[@]}"
  fi
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$node_major" -ge 18 ] || die "node $(node --version) is too old: the e2e suite needs node >= 18."
}

install_wasm_target() {
  if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    say "rust target wasm32-unknown-unknown present"
  else
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

install_trunk() {
  local have=""
  have="$(trunk --version 2>/dev/null || true)"
  if [ "$have" = "trunk ${TRUNK_VERSION}" ]; then
    say "trunk ${TRUNK_VERSION} present"
  else
    say "cargo install --locked trunk --version ${TRUNK_VERSION} (found: '${have:-none}'; about 6-11 min on 2 cores)"
    cargo install --locked trunk --version "${TRUNK_VERSION}"
  fi
}

wasm_bindgen_lock_version() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

install_wasm_bindgen() {
  local want have=""
  want="$(wasm_bindgen_lock_version)"
  [ -n "$want" ] || die "could not read the wasm-bindgen version from Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" = "wasm-bindgen ${want}" ] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    say "wasm-bindgen-cli ${want} present (matches Cargo.lock)"
  else
    # Deliberately without --locked: with it cargo asks for a webpki-roots version the registry
    # does not serve. Trunk only uses a wasm-bindgen on PATH whose version equals Cargo.lock's.
    say "cargo install wasm-bindgen-cli --version ${want} (found: '${have:-none}'; about 2-4 min)"
    cargo install --force wasm-bindgen-cli --version "${want}"
  fi
}

install_binaryen() {
  local bin="$ROOT/.tools/node_modules/.bin/wasm-opt" have=""
  [ -x "$bin" ] && have="$("$bin" --version 2>/dev/null || true)"
  case "$have" in
    "wasm-opt version ${BINARYEN_VERSION}"*) say "wasm-opt (npm binaryen@${BINARYEN_VERSION}) present in .tools/" ;;
    *)
      say "npm install binaryen@${BINARYEN_VERSION} into .tools/ (found: '${have:-none}')"
      mkdir -p "$ROOT/.tools"
      [ -f "$ROOT/.tools/package.json" ] || printf '{ "name": "tools", "private": true }\n' >"$ROOT/.tools/package.json"
      npm install --prefix "$ROOT/.tools" --no-audit --no-fund "binaryen@${BINARYEN_VERSION}"
      ;;
  esac
  [ "$(command -v wasm-opt)" = "$bin" ] || die "wasm-opt on PATH is $(command -v wasm-opt), expected $bin"
}

install_e2e_packages() {
  local want have=""
  want="$(node -p 'require("./e2e/package.json").dependencies["playwright-core"]')"
  have="$(node -p 'require("./e2e/node_modules/playwright-core/package.json").version' 2>/dev/null || true)"
  if [ "$have" = "$want" ]; then
    say "e2e npm packages present (playwright-core ${have})"
  else
    # playwright-core has no install script and downloads no browser; never `npx playwright install`.
    if [ -f e2e/package-lock.json ]; then
      say "npm ci in e2e/ (playwright-core ${want})"
      (cd e2e && npm ci --no-audit --no-fund)
    else
      say "npm install in e2e/ (playwright-core ${want})"
      (cd e2e && npm install --no-audit --no-fund)
    fi
  fi
}

T0=$SECONDS
step "rust toolchain" check_rust
step "system packages (chromium, chromium-driver, node)" install_system_packages
step "wasm32 target" install_wasm_target
step "wasm-opt (binaryen ${BINARYEN_VERSION})" install_binaryen
step "e2e packages" install_e2e_packages
step "wasm-bindgen-cli" install_wasm_bindgen
step "trunk" install_trunk
say "tools: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version), $(/usr/bin/chromium --version 2>/dev/null)"
say "setup complete in $((SECONDS - T0))s. In an interactive shell run: . scripts/env.sh"
