#!/bin/bash
# gapsim plot and gapsim compare through the real binary.
# Usage: bash cli_plot.sh GAPSIM SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
is_svg() { head -c 5 "$1" | grep -q '^<?xml\|^<svg' && grep -q '</svg>' "$1"; }
is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ] && tail -c 16 "$1" | grep -q '%%EOF'; }
no_dotfiles() { [ -z "$(find "$1" -maxdepth 1 -name '.*' ! -name . -print)" ]; }

CHARTS="fan_share shares probabilities nodes gap gap_dist investment tools"

cp -r "$src/tests/data/run_fixture" "$scratch/run"

# Redraw a finished run: PNG by default.
"$gapsim" plot "$scratch/run" 2>"$scratch/err"
check "plot exits 0" [ $? -eq 0 ]
check "plot prints nothing on success" [ ! -s "$scratch/err" ]
for c in $CHARTS; do
    check "$c.png is a PNG" is_png "$scratch/run/$c.png"
done
check "no temporary files after plot" no_dotfiles "$scratch/run"

# SVG and PDF on request, options after the folder.
"$gapsim" plot "$scratch/run" --format svg,pdf --size 1280x720
check "plot --format svg,pdf exits 0" [ $? -eq 0 ]
for c in $CHARTS; do
    check "$c.svg is SVG" is_svg "$scratch/run/$c.svg"
    check "$c.pdf is PDF" is_pdf "$scratch/run/$c.pdf"
done

# Without gnuplot on PATH: exit 1, a message naming gnuplot, nothing drawn.
mkdir -p "$scratch/emptybin" "$scratch/run2"
cp "$src"/tests/data/run_fixture/* "$scratch/run2/"
before=$(ls -A "$scratch/run2" | wc -l)
PATH="$scratch/emptybin" "$gapsim" plot "$scratch/run2" 2>"$scratch/err"
rc=$?
check "plot without gnuplot exits 1" [ $rc -eq 1 ]
check "the message names gnuplot" grep -q '^gapsim: gnuplot not found on PATH' "$scratch/err"
check "no files left without gnuplot" [ "$(ls -A "$scratch/run2" | wc -l)" -eq "$before" ]

# Bad folder and bad usage: exit 2 with a gapsim: message.
"$gapsim" plot "$scratch/no-such-run" 2>"$scratch/err"
check "plot of a missing folder exits 2" [ $? -eq 2 ]
check "the message starts with gapsim:" grep -q '^gapsim: .*no-such-run' "$scratch/err"
"$gapsim" plot 2>/dev/null
check "plot without a folder exits 2" [ $? -eq 2 ]
"$gapsim" plot "$scratch/run" --format gif 2>"$scratch/err"
check "an unknown format exits 2" [ $? -eq 2 ]
check "the unknown format is named" grep -q 'gif' "$scratch/err"
"$gapsim" plot --help >"$scratch/help.txt"
check "plot --help exits 0" [ $? -eq 0 ]
check "plot --help prints usage" grep -q '^usage: gapsim plot DIR' "$scratch/help.txt"

# Compare two scenarios.
"$gapsim" compare "$src/tests/data/run_fixture" "$src/tests/data/run_fixture_b" -o "$scratch/cmp"
check "compare exits 0" [ $? -eq 0 ]
check "compare.csv has its header" [ "$(head -n 1 "$scratch/cmp/compare.csv")" = "scenario,figure,value,diff_from_first" ]
check "compare.csv has the 2030 share difference" grep -qx 'accelerated,share@2030:p50,0.4127138452,0.0340100126' "$scratch/cmp/compare.csv"
for c in compare_share compare_nodes compare_targets; do
    check "$c.png is a PNG" is_png "$scratch/cmp/$c.png"
done
check "no temporary files after compare" no_dotfiles "$scratch/cmp"
"$gapsim" compare "$src/tests/data/run_fixture" 2>/dev/null
check "compare of one run exits 2" [ $? -eq 2 ]
(cd "$scratch" && "$gapsim" compare "$src/tests/data/run_fixture" "$src/tests/data/run_fixture_b" --format svg)
check "compare defaults to out/compare/" is_svg "$scratch/out/compare/compare_share.svg"

gs_test_end cli_plot
