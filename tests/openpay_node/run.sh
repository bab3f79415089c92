#!/usr/bin/env bash
# Runs check.js: Openpay's Node library `openpay`, unchanged, against `paydeck sim`.
# The latest release (2020); it needs `request`, which npm still serves.
exec bash "$(dirname "$0")/../common/node_client.sh" openpay openpay 1.0.5 tests/openpay_node/check.js
