#!/bin/sh
# The sync rate against the simulator: `paydeck sync` of one profile, from
# `paydeck sim --charges N` into an empty store, timed from start to finish.
#
#   cargo build --release && scripts/sync_rate.sh [CHARGES] [GATEWAY]
#
# CHARGES defaults to 100000; GATEWAY to pin (also stripe or trx). Everything lives in a
# temporary directory that is removed at the end; the simulator is stopped.
set -eu
charges=${1:-100000}
gateway=${2:-pin}
bin=${PAYDECK_BIN:-./target/release/paydeck}
dir=$(mktemp -d)
sim=
cleanup() {
    if [ -n "$sim" ]; then kill "$sim" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"$bin" sim --listen 127.0.0.1:0 --charges "$charges" --customers $((charges / 10)) >"$dir/sim.out" 2>&1 &
sim=$!
while ! grep -q '^ready$' "$dir/sim.out"; do
    kill -0 "$sim" 2>/dev/null || { cat "$dir/sim.out" >&2; exit 1; }
    sleep 0.2
done
name=$(printf '%s' "$gateway" | tr 'a-z' 'A-Z')
url=$(sed -n "s/^PAYDECK_SIM_${name}_URL=//p" "$dir/sim.out")
key=$(sed -n "s/^PAYDECK_SIM_${name}_KEY=//p" "$dir/sim.out")
[ -n "$url" ] || { echo "the simulator serves no $gateway dialect" >&2; exit 1; }
cat >"$dir/config.toml" <<TOML
[[profile]]
name = "sim"
gateway = "$gateway"
environment = "test"
base_url = "$url"
key_env = "PAYDECK_SYNC_RATE_KEY"
TOML

start=$(date +%s.%N)
PAYDECK_DATA_DIR="$dir" PAYDECK_SYNC_RATE_KEY="$key" \
    "$bin" --config "$dir/config.toml" sync --profile sim
end=$(date +%s.%N)
awk -v n="$charges" -v s="$start" -v e="$end" -v g="$gateway" \
    'BEGIN { printf "%s: %d charges synced in %.1f s: %.0f charges/s\n", g, n, e - s, n / (e - s) }'
