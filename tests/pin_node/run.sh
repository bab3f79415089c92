#!/usr/bin/env bash
# Runs check.js: `pinjs`, the Pin Payments client on npm, unchanged, against `paydeck sim`.
# The latest release; it brings `got` 10, which check.js redirects.
exec bash "$(dirname "$0")/../common/node_client.sh" pin pinjs 1.1.3 tests/pin_node/check.js
