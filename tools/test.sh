#!/usr/bin/env bash
# Runs every test of Fulcrum. Installs what it needs on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# The desktop shell links WebKitGTK; its end-to-end tests need Xvfb and WebKitWebDriver.
./tools/desktop-deps.sh --e2e

# One build for everything: the end-to-end tests are #[ignore]d in a plain `cargo test`
# (they need a display), so they are included here, under Xvfb.
echo "== engine, command layer, security policy, and the desktop app end to end (Xvfb, tauri-driver)"
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24 -noreset" \
  cargo test --locked --workspace -- --include-ignored
echo "screenshots of each view: tests/artifacts/"

echo "== the engine against an independent implementation of MODEL.md (tools/crosscheck.py)"
./tools/crosscheck.sh
