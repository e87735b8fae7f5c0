#!/usr/bin/env bash
# Benchmark: a 1,000,000-row GL export through a saved mapping into a new district file.
# Not part of the test suite. Usage: tools/bench-gl.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-1000000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
mkdir "$W/pkg"
for f in district membership funds departments assumptions; do cp "tests/corpus/base/$f.csv" "$W/pkg/"; done
python3 - "$ROWS" "$W/gl.csv" <<'PY'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
# Every sub-account row of the tiny district's accounts, spread over 5,000 locations.
accts = [("10","110","120000","E","S01"),("10","210","120000","E","S01"),("10","310","252000","E","C01"),
         ("27","110","150000","E","S01"),("10","240","000000","R","DW"),("27","613","000000","R","DW")]
with open(out, "w") as f:
    f.write("Account,Acct Type,Dept,Description,Debit,Credit\n")
    for i in range(rows):
        fund, code, func, kind, dept = accts[i % len(accts)]
        loc = "%03d" % (i // len(accts) % 1000)
        proj = "%03d" % (i // 6000 % 5)
        cents = 1000 + (i * 7919) % 5000000
        amt = "%d.%02d" % (cents // 100, cents % 100)
        d, c = (amt, "") if kind == "E" else ("", amt)
        f.write(f"{fund}-{loc}-{code}-{func}-{proj},{kind},{dept},row {i},{d},{c}\n")
PY
echo "GL export: $(wc -l < "$W/gl.csv") lines, $(du -h "$W/gl.csv" | cut -f1)"
/usr/bin/time -v "$CARGO_TARGET_DIR/release/fulcrum" import "$W/new.fulcrum" --from "$W/pkg" --gl "$W/gl.csv" \
  --mapping tests/corpus/gl-combined.json 2> "$W/time.txt" | tail -3
grep -E "Elapsed|Maximum resident" "$W/time.txt"
