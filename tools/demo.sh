#!/usr/bin/env bash
# The main job on the sample district: create it, compare the two referendum scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --locked --release --quiet --bin fulcrum
bin="$CARGO_TARGET_DIR/release/fulcrum"
"$bin" demo --force lakeshore.fulcrum
"$bin" compare lakeshore.fulcrum referendum-passes referendum-fails
