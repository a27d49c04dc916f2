#!/usr/bin/env bash
# Installs whatever is missing (scripts/setup.sh), then builds the playground in release mode and
# serves it on http://127.0.0.1:8080/ with live rebuilds. PORT=9000 picks another port; extra
# arguments go to `trunk serve` (e.g. `scripts/serve.sh --public-url /play/` for sub-path hosting).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

export TRUNK_SKIP_VERSION_CHECK=true
echo "[serve] trunk serve --release --address 127.0.0.1 --port ${PORT:-8080} $*"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}" "$@"
