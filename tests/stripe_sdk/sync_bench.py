"""Time a full sync of every charge through the official `stripe` Python SDK, for
comparison with `cargo bench --bench stripe_sync` (see BENCHMARKS.md).

Usage: PAYDECK_SIM_STRIPE_URL=... PAYDECK_SIM_STRIPE_KEY=... python3 sync_bench.py [RUNS]
"""

import os
import sys
import time

import stripe


def main() -> int:
    stripe.api_key = os.environ["PAYDECK_SIM_STRIPE_KEY"]
    stripe.api_base = os.environ["PAYDECK_SIM_STRIPE_URL"]
    stripe.max_network_retries = 0
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        count = sum(1 for _ in stripe.Charge.list(limit=100).auto_paging_iter())
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"stripe python sdk: {count} charges, median {times[len(times) // 2] * 1000:.0f} ms over {runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
