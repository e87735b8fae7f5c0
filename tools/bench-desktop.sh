#!/usr/bin/env bash
# Measures the release desktop app on the sample district under Xvfb: start time, slider latency, memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
profile="${PROFILE:-release}"
./tools/desktop-deps.sh --e2e
flag=(); [ "$profile" = release ] && flag=(--release)
# The bench example's dev-dependencies and the app are built together, once.
cargo build --locked "${flag[@]}" -p fulcrum-desktop --bins --examples
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24 -noreset" \
  "$CARGO_TARGET_DIR/$profile/examples/bench" "$CARGO_TARGET_DIR/$profile/fulcrum-desktop" "${RUNS:-5}"
