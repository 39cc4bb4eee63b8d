#!/bin/bash
# gapsim plot and gapsim compare through the real binary.
# Usage: bash cli_plot.sh GAPSIM SOURCE_DIR SCRATCH_DIR
set -u
GAPSIM=$1
SRC=$2
TMP=$3
pass=0
fail=0

check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $what" >&2
    fi
}

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
is_svg() { head -c 5 "$1" | grep -q '^<?xml\|^<svg' && grep -q '</svg>' "$1"; }
is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ] && tail -c 16 "$1" | grep -q '%%EOF'; }
no_dotfiles() { [ -z "$(find "$1" -maxdepth 1 -name '.*' ! -name . -print)" ]; }

CHARTS="fan_share shares probabilities nodes gap gap_dist investment tools"

rm -rf "$TMP"
mkdir -p "$TMP"
cp -r "$SRC/tests/data/run_fixture" "$TMP/run"

# Redraw a finished run: PNG by default.
"$GAPSIM" plot "$TMP/run" 2>"$TMP/err"
check "plot exits 0" [ $? -eq 0 ]
check "plot prints nothing on success" [ ! -s "$TMP/err" ]
for c in $CHARTS; do
    check "$c.png is a PNG" is_png "$TMP/run/$c.png"
done
check "no temporary files after plot" no_dotfiles "$TMP/run"

# SVG and PDF on request, options after the folder.
"$GAPSIM" plot "$TMP/run" --format svg,pdf --size 1280x720
check "plot --format svg,pdf exits 0" [ $? -eq 0 ]
for c in $CHARTS; do
    check "$c.svg is SVG" is_svg "$TMP/run/$c.svg"
    check "$c.pdf is PDF" is_pdf "$TMP/run/$c.pdf"
done

# Without gnuplot on PATH: exit 1, a message naming gnuplot, nothing drawn.
mkdir -p "$TMP/emptybin" "$TMP/run2"
cp "$SRC"/tests/data/run_fixture/* "$TMP/run2/"
before=$(ls -A "$TMP/run2" | wc -l)
PATH="$TMP/emptybin" "$GAPSIM" plot "$TMP/run2" 2>"$TMP/err"
rc=$?
check "plot without gnuplot exits 1" [ $rc -eq 1 ]
check "the message names gnuplot" grep -q '^gapsim: gnuplot not found on PATH' "$TMP/err"
check "no files left without gnuplot" [ "$(ls -A "$TMP/run2" | wc -l)" -eq "$before" ]

# Bad folder and bad usage: exit 2 with a gapsim: message.
"$GAPSIM" plot "$TMP/no-such-run" 2>"$TMP/err"
check "plot of a missing folder exits 2" [ $? -eq 2 ]
check "the message starts with gapsim:" grep -q '^gapsim: .*no-such-run' "$TMP/err"
"$GAPSIM" plot 2>/dev/null
check "plot without a folder exits 2" [ $? -eq 2 ]
"$GAPSIM" plot "$TMP/run" --format gif 2>"$TMP/err"
check "an unknown format exits 2" [ $? -eq 2 ]
check "the unknown format is named" grep -q 'gif' "$TMP/err"
"$GAPSIM" plot --help >"$TMP/help.txt"
check "plot --help exits 0" [ $? -eq 0 ]
check "plot --help prints usage" grep -q '^usage: gapsim plot DIR' "$TMP/help.txt"

# Compare two scenarios.
"$GAPSIM" compare "$SRC/tests/data/run_fixture" "$SRC/tests/data/run_fixture_b" -o "$TMP/cmp"
check "compare exits 0" [ $? -eq 0 ]
check "compare.csv has its header" [ "$(head -n 1 "$TMP/cmp/compare.csv")" = "scenario,figure,value,diff_from_first" ]
check "compare.csv has the 2030 share difference" grep -qx 'accelerated,share@2030:p50,0.4127138452,0.0340100126' "$TMP/cmp/compare.csv"
for c in compare_share compare_nodes compare_targets; do
    check "$c.png is a PNG" is_png "$TMP/cmp/$c.png"
done
check "no temporary files after compare" no_dotfiles "$TMP/cmp"
"$GAPSIM" compare "$SRC/tests/data/run_fixture" 2>/dev/null
check "compare of one run exits 2" [ $? -eq 2 ]
(cd "$TMP" && "$GAPSIM" compare "$SRC/tests/data/run_fixture" "$SRC/tests/data/run_fixture_b" --format svg)
check "compare defaults to out/compare/" is_svg "$TMP/out/compare/compare_share.svg"

echo "cli_plot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
