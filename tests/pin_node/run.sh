#!/usr/bin/env bash
# Runs check.js: `pinjs`, the Pin Payments client on npm, unchanged, against `paydeck sim`.
# Needs a built paydeck (cargo build), node and npm, and the npm registry for the
# library (installed into a temporary directory; nothing is written to the repo).
set -euo pipefail
cd "$(dirname "$0")/../.."

# The latest release; it brings `got` 10, which check.js redirects.
version=1.1.3
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "pin node: skipped, node and npm are not installed"
    exit 0
fi
deps="${TMPDIR:-/tmp}/paydeck-pin-node"
mkdir -p "$deps"
if ! npm install --silent --no-audit --no-fund --prefix "$deps" "pinjs@$version" >/dev/null 2>&1; then
    echo "pin node: skipped, npm could not install pinjs@$version (is the registry reachable?)"
    exit 0
fi
. tests/common/sim.sh --charges 500
NODE_PATH="$deps/node_modules" node tests/pin_node/check.js
