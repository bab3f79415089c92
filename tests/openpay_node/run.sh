#!/usr/bin/env bash
# Runs check.js: Openpay's Node library `openpay`, unchanged, against `paydeck sim`.
# Needs a built paydeck (cargo build), node and npm, and the npm registry for the
# library (installed into a temporary directory; nothing is written to the repo).
set -euo pipefail
cd "$(dirname "$0")/../.."

# The latest release (2020); it needs `request`, which npm still serves.
version=1.0.5
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "openpay node: skipped, node and npm are not installed"
    exit 0
fi
deps="${TMPDIR:-/tmp}/paydeck-openpay-node"
mkdir -p "$deps"
if ! npm install --silent --no-audit --no-fund --prefix "$deps" "openpay@$version" >/dev/null 2>&1; then
    echo "openpay node: skipped, npm could not install openpay@$version (is the registry reachable?)"
    exit 0
fi
. tests/common/sim.sh --charges 500
NODE_PATH="$deps/node_modules" node tests/openpay_node/check.js
