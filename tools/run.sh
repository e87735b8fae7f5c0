#!/usr/bin/env bash
# Builds the desktop app and opens it on the sample district (created with the engine if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
file="${1:-lakeshore.fulcrum}"
./tools/desktop-deps.sh
cargo build --locked --release --bin fulcrum --bin fulcrum-desktop
if [ ! -e "$file" ]; then
  "$CARGO_TARGET_DIR/release/fulcrum" demo "$file"
fi
exec "$CARGO_TARGET_DIR/release/fulcrum-desktop" "$file"
