#!/usr/bin/env bash
# Runs check.js: the official `stripe` Node library, unchanged, against `paydeck sim`.
# The release whose pinned API version is the adapter's (2026-06-24.dahlia).
exec bash "$(dirname "$0")/../common/node_client.sh" stripe stripe 22.3.2 tests/stripe_node/check.js
