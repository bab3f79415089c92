#!/usr/bin/env bash
# Runs check.js: the official `stripe` Node library, unchanged, against `paydeck sim`.
# Needs a built paydeck (cargo build), node and npm, and the npm registry for the
# library (installed into a temporary directory; nothing is written to the repo).
set -euo pipefail
cd "$(dirname "$0")/../.."

# The release whose pinned API version is the adapter's (2026-06-24.dahlia).
version=22.3.2
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "stripe node: skipped, node and npm are not installed"
    exit 0
fi
deps="${TMPDIR:-/tmp}/paydeck-stripe-node"
mkdir -p "$deps"
if ! npm install --silent --no-audit --no-fund --prefix "$deps" "stripe@$version" >/dev/null 2>&1; then
    echo "stripe node: skipped, npm could not install stripe@$version (is the registry reachable?)"
    exit 0
fi
. tests/common/sim.sh --charges 500
NODE_PATH="$deps/node_modules" node tests/stripe_node/check.js
