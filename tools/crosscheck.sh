#!/usr/bin/env bash
# Checks the engine against tools/crosscheck.py, a second implementation of MODEL.md
# written from the contract alone: every figure and lever effect of every scenario of
# the sample district, the test fixtures and generated packages, to the cent.
# Usage: tools/crosscheck.sh [path/to/fulcrum]   (default: the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
bin="${1:-$CARGO_TARGET_DIR/debug/fulcrum}"
if ! command -v python3 >/dev/null; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -y -q install python3
fi
[ -x "$bin" ] || cargo build --locked --quiet --bin fulcrum
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() {  # name, package folder
  "$bin" new "$work/$1.fulcrum" --from "$2" >/dev/null
  printf '%-28s ' "$1:"
  python3 tools/crosscheck.py "$2" "$work/$1.fulcrum" "$bin"
}
"$bin" demo "$work/sample.fulcrum" >/dev/null
"$bin" export package "$work/sample.fulcrum" --out "$work/sample" >/dev/null
check sample-district "$work/sample"
for fixture in tests/fixtures/*/; do
  check "$(basename "$fixture")" "$fixture"
done
for seed in 1 2 3; do
  "$bin" generate --lines 2000 --seed "$seed" "$work/gen$seed" >/dev/null
  check "generated (seed $seed)" "$work/gen$seed"
done
