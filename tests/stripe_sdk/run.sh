#!/usr/bin/env bash
# Runs check.py: the official `stripe` Python SDK, unchanged, against `paydeck sim`.
# Needs a built paydeck (cargo build) and network access to PyPI for the SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=../common/pyvenv.sh
. tests/common/pyvenv.sh stripe "stripe sdk"

env_file=$(mktemp)
./target/debug/paydeck sim --listen 127.0.0.1:0 --charges 500 > "$env_file" &
sim=$!
trap 'kill "$sim" 2>/dev/null; rm -f "$env_file"' EXIT
# Wait for the simulator's `ready` line (the condition, not a fixed sleep), up to 30 s.
for _ in $(seq 300); do
    grep -qx ready "$env_file" && break
    sleep 0.1
done
grep -qx ready "$env_file" || { echo "the simulator did not start"; exit 1; }
set -a
# shellcheck disable=SC1090
. <(grep '^PAYDECK_SIM_' "$env_file")
set +a
"$python" tests/stripe_sdk/check.py
