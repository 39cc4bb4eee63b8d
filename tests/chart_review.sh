#!/bin/bash
# Chart review: draws every chart of every shipped scenario, of a comparison
# of all of them and of every shipped sweep, at small N, puts them all on one
# contact sheet (contact-sheet.png in SCRATCH_DIR) for a reviewer to look at
# at once, and checks by program what a program can check
# (tests/review/check_svg.py): no text outside the canvas, no legend inside
# the data area, a goal level inside the y-range.  The checker is first shown
# a chart with each fault, so that it is known to catch them.
# Usage: bash chart_review.sh GAPSIM SOURCE_DIR SCRATCH_DIR
set -u
GAPSIM=$1
SRC=$2
TMP=$3
N=${CHART_REVIEW_N:-200}
fail=0
rm -rf "$TMP"
mkdir -p "$TMP/runs" "$TMP/sweeps" "$TMP/selftest"

# The checker catches each fault it claims to.
cat >"$TMP/selftest/bad.svg" <<'SVG'
<?xml version="1.0" encoding="utf-8"?>
<svg viewBox="0 0 1600 900" xmlns="http://www.w3.org/2000/svg">
<title>bad</title>
<metadata id="gapsim-layout">
area 100 1500 100 800 canvas 160000 90000
yrange 0 10
level 12
</metadata>
<g id="gnuplot_plot_1" ><title>median</title>
<g transform="translate(700,300)" font-size="20" text-anchor="start"><text>median</text></g>
</g>
<g transform="translate(1590,50)" font-size="20" text-anchor="start"><text>a label off the right edge</text></g>
</svg>
SVG
out=$(python3 "$SRC/tests/review/check_svg.py" "$TMP/selftest/bad.svg")
for want in "text outside the canvas" "legend entry 'median' inside the data area" "level 12 outside the y-range"; do
    if ! grep -qF "$want" <<<"$out"; then
        echo "FAIL: the checker misses: $want" >&2
        fail=$((fail + 1))
    fi
done

for cfg in "$SRC"/configs/*.cfg; do
    name=$(basename "$cfg" .cfg)
    if ! "$GAPSIM" run "$cfg" -n "$N" -o "$TMP/runs/$name" --format png,svg -q; then
        echo "FAIL: run $name" >&2
        fail=$((fail + 1))
    fi
done
runs=("$TMP"/runs/*)
if ! "$GAPSIM" compare "${runs[@]}" -o "$TMP/compare" --format png,svg -q 2>"$TMP/compare.err"; then
    cat "$TMP/compare.err" >&2
    echo "FAIL: compare" >&2
    fail=$((fail + 1))
fi
for sw in "$SRC"/configs/sweeps/*.cfg; do
    name=$(basename "$sw" .cfg)
    if ! "$GAPSIM" sweep "$sw" -n 50 -o "$TMP/sweeps/$name" --format png,svg -q; then
        echo "FAIL: sweep $name" >&2
        fail=$((fail + 1))
    fi
done

mapfile -t svgs < <(find "$TMP/runs" "$TMP/compare" "$TMP/sweeps" -name '*.svg' | sort)
mapfile -t pngs < <(find "$TMP/runs" "$TMP/compare" "$TMP/sweeps" -name '*.png' | sort)
if ! python3 "$SRC/tests/review/check_svg.py" "${svgs[@]}"; then
    fail=$((fail + 1))
fi

# The contact sheet: four charts a row at 480x270 each, the file under each.
# File names are made here (run folders and chart names), never taken from
# a config, so they are safe to hand to gnuplot.
cols=4
rows=$(( (${#pngs[@]} + cols - 1) / cols ))
{
    echo "set terminal pngcairo size $((cols * 480)),$((rows * 300)) font 'DejaVu Sans,9' background 'white'"
    echo "set output '$TMP/contact-sheet.png'"
    echo "set multiplot layout $rows,$cols margins 0,1,0,1 spacing 0,0"
    echo "unset border; unset tics; unset key; set size ratio -1"
    for p in "${pngs[@]}"; do
        rel=${p#"$TMP"/}
        echo "set title '$rel' offset 0,-0.8"
        echo "plot '$p' binary filetype=png with rgbimage"
    done
    echo "unset multiplot"
} >"$TMP/contact-sheet.gp"
if ! gnuplot "$TMP/contact-sheet.gp" || [ ! -s "$TMP/contact-sheet.png" ]; then
    echo "FAIL: contact sheet" >&2
    fail=$((fail + 1))
fi
echo "chart_review: ${#pngs[@]} charts on $TMP/contact-sheet.png, $fail failures"
[ "$fail" -eq 0 ]
