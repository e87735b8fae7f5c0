#!/usr/bin/env bash
# Benchmarks: engine (criterion) and loading a 1,000,000-row package into a new file.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo bench --locked --bench engine
cargo build --locked --release --quiet --bin fulcrum
bin="$CARGO_TARGET_DIR/release/fulcrum"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" generate --lines 1000000 --seed 1 "$work/pkg" >/dev/null
echo "== load a 1,000,000-row package into a new file"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "elapsed %e s, peak RSS %M KiB" "$bin" new "$work/big.fulcrum" --from "$work/pkg"
else
  time "$bin" new "$work/big.fulcrum" --from "$work/pkg"
fi
ls -l "$work/big.fulcrum"
