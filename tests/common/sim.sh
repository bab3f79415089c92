# Sourced by the third-party client checks' run.sh: start `paydeck sim` (a built
# ./target/debug/paydeck) on a free loopback port, wait for its `ready` line and
# export the PAYDECK_SIM_* URLs and keys it prints. Stops it on exit.
# Usage: . tests/common/sim.sh [extra `paydeck sim` arguments]

sim_env=$(mktemp)
./target/debug/paydeck sim --listen 127.0.0.1:0 "$@" > "$sim_env" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null; rm -f "$sim_env"' EXIT
# Wait for the `ready` line (the condition, not a fixed sleep), up to 30 s.
for _ in $(seq 300); do
    grep -qx ready "$sim_env" && break
    sleep 0.1
done
grep -qx ready "$sim_env" || { echo "the simulator did not start"; exit 1; }
set -a
# shellcheck disable=SC1090
. <(grep '^PAYDECK_SIM_' "$sim_env")
set +a
