#!/usr/bin/env bash
# Runs every test of Fulcrum. Installs what it needs on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

echo "== engine: unit, golden, property and validation tests"
cargo test --locked --workspace
