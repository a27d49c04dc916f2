# shellcheck shell=bash
# Environment for building and testing the playground. Source it: `. scripts/env.sh`.
# Puts the project-local tools on PATH (npm binaryen's wasm-opt in .tools/, cargo-installed
# trunk and wasm-bindgen in ~/.cargo/bin) and sets the variables the tools need on these machines.
# Safe to source several times: PATH entries are added once.

_ebs_env_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"

_ebs_path_prepend() {
  case ":${PATH}:" in
    *":$1:"*) ;;
    *) PATH="$1${PATH:+:${PATH}}" ;;
  esac
}

_ebs_path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
# Must come before /usr/bin so Debian's wasm-opt 108 (which corrupts Rust 1.95 output) is never used.
_ebs_path_prepend "${_ebs_env_root}/.tools/node_modules/.bin"
export PATH

export PROJECT_ROOT="${_ebs_env_root}"
# Trunk otherwise asks crates.io for a newer version of itself on every run.
export TRUNK_SKIP_VERSION_CHECK=true
# Browser used by wasm-bindgen-test (via webdriver.json) and by the Playwright e2e suite.
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

unset -f _ebs_path_prepend
unset _ebs_env_root
