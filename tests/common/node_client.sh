#!/usr/bin/env bash
# Runs a third-party Node client's check script, unchanged, against `paydeck sim`:
#   node_client.sh LABEL PACKAGE VERSION CHECK_JS
# Needs a built paydeck (cargo build), node and npm, and the npm registry for the
# library (installed into a temporary directory; nothing is written to the repo).
# Skips, saying why, when node, npm or the registry is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
label=$1 package=$2 version=$3 check=$4

if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "$label node: skipped, node and npm are not installed"
    exit 0
fi
deps="${TMPDIR:-/tmp}/paydeck-$label-node"
mkdir -p "$deps"
# npm retries an unreachable registry for minutes: bound it.
if ! timeout 300 npm install --silent --no-audit --no-fund --prefix "$deps" "$package@$version" >/dev/null 2>&1; then
    echo "$label node: skipped, npm could not install $package@$version (is the registry reachable?)"
    exit 0
fi
. tests/common/sim.sh --charges 500
NODE_PATH="$deps/node_modules" node "$check"
