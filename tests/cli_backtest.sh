#!/usr/bin/env bash
# gapsim backtest end to end: bad observation files (exit 2, the expected
# one-line message, no output folder), the files and charts of a backtest
# with a reference, its numbers against an independent computation from the
# written trajectories of the same runs (tests/backtest_check.py), thread
# independence, every basis scored against its own output, inputs of a
# scenario left out, the year window, observation errors and censored first
# years.
#
#   bash cli_backtest.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1

# --- bad observation files: data beside their expected message -----------
for f in tests/data/bad_obs/*.csv; do
    name=$(basename "$f" .csv)
    out="$scratch/bad_$name"
    "$gapsim" backtest configs/baseline.cfg --observations "$f" -n 10 -o "$out" \
        >"$scratch/stdout" 2>"$scratch/stderr"
    rc=$?
    want=$(cat "tests/data/bad_obs/$name.expected")
    got=$(cat "$scratch/stderr")
    if [ "$rc" -ne 2 ]; then
        bad "$name: exit status $rc, expected 2"
    elif [ "$got" != "$want" ]; then
        bad "$name: stderr"$'\n'"  got:  $got"$'\n'"  want: $want"
    elif [ -s "$scratch/stdout" ] || [ -e "$out" ]; then
        bad "$name: printed on stdout or created $out"
    else
        ok
    fi
done
"$gapsim" backtest configs/baseline.cfg --reference tests/data/no_such.cfg -n 10 \
    -o "$scratch/noref" >/dev/null 2>"$scratch/stderr"
[ $? -eq 2 ] && grep -q "no_such.cfg" "$scratch/stderr" && [ ! -e "$scratch/noref" ] && ok ||
    bad "a missing reference config is not a clean exit 2"
"$gapsim" backtest configs/baseline.cfg --from 2030 --until 2020 >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--from after --until is not a usage error"

# --- the shipped observations are what the script derives from history.csv
python3 data/derive_observations.py --check && ok || bad "data/observations.csv is stale"

# --- the command of the documentation, with a reference -------------------
# 300 trajectories: backtest_check.py sums every pair of trajectories for the
# rows with an observation error (nearly all), in Python.
N=300
bt="$scratch/bt"
"$gapsim" backtest configs/baseline.cfg --reference configs/reference_naive.cfg -n $N \
    -o "$bt" >"$scratch/bt.out" 2>"$scratch/bt.err"
rc=$?
[ $rc -eq 0 ] && ok || bad "backtest with a reference: exit $rc: $(cat "$scratch/bt.err")"
for f in backtest.csv backtest.txt not_scored.csv backtest_fan.csv; do
    [ -s "$bt/$f" ] && ok || bad "no $f"
done
head -1 "$bt/backtest.csv" | tr -d '\r' | grep -q '^id,variable,year,observed,pit,p05,p25,p50,p75,p95,in50,in90,crps,crps_reference,skill' &&
    ok || bad "backtest.csv header"
grep -q "^Coverage" "$scratch/bt.out" && grep -q "50 % band" "$scratch/bt.out" &&
    grep -q "lower CRPS than the reference on" "$scratch/bt.out" && grep -q "median skill" "$scratch/bt.out" && grep -q "^Worst 5" "$scratch/bt.out" &&
    cmp -s "$scratch/bt.out" <(cat "$bt/backtest.txt"; printf '\nOutputs in %s/\n' "$bt") &&
    ok || bad "the printed scorecard is not backtest.txt with its coverage, skill and worst five"
if command -v gnuplot >/dev/null; then
    for f in backtest_pit.png backtest_years.png backtest_fan_share_made_in_china.png \
        backtest_fan_share_china_hq.png backtest_fan_share_csia.png \
        backtest_fan_csia_sales_cny.png backtest_fan_tools_china.png; do
        [ -s "$bt/$f" ] && ok || bad "no chart $f"
    done
    [ ! -s "$scratch/bt.err" ] && ok || bad "warnings: $(cat "$scratch/bt.err")"
fi
# Every share basis with data is scored against its own output.
for v in share_made_in_china share_china_hq share_csia; do
    grep -q "^[a-z_0-9]*,$v,20" "$bt/backtest.csv" && ok || bad "no $v row scored"
done
grep -q '^csia_sales_cny_2014,csia_sales_cny,2014,"outside the years scored, 2015-2035 (the base year' \
    "$bt/not_scored.csv" && ok || bad "the base-year row is not listed as outside the window"
# A scenario's own inputs are listed, not scored.
"$gapsim" backtest configs/observed.cfg -n 200 --no-plots -q -o "$scratch/obs" &&
    grep -q '^tools_china_2020,tools_china,2020,"an input of scenario observed' "$scratch/obs/not_scored.csv" &&
    grep -q '^control_oct2022,measure:oct2022,2022,"an input of scenario observed' "$scratch/obs/not_scored.csv" &&
    ! grep -q '^tools_china\|^control_\|^frontier_\|^smic_' "$scratch/obs/backtest.csv" &&
    grep -q '^tools_china_2020,' "$bt/backtest.csv" && ok || bad "inputs of the observed scenario were scored"

# --- independent computation from the written trajectories of the same runs
"$gapsim" run configs/baseline.cfg -n $N --write-trajectories $N --no-plots -q -o "$scratch/run" &&
    "$gapsim" run configs/reference_naive.cfg -n $N --write-trajectories $N --no-plots -q \
        -o "$scratch/ref" && ok || bad "runs with trajectories failed"
python3 tests/backtest_check.py "$scratch/run" data/observations.csv "$bt/backtest.csv" \
    "$scratch/ref" >"$scratch/check.out" 2>&1 && ok ||
    bad "backtest.csv disagrees with the trajectories:"$'\n'"$(cat "$scratch/check.out")"

# Observation errors (sd > 0), empty sd, 0/1 and signed discrete outputs, a
# censored first year at 2030.
"$gapsim" backtest configs/baseline.cfg --observations tests/data/backtest_obs_sd.csv -n $N \
    --no-plots -q -o "$scratch/sd" && ok || bad "backtest with observation errors failed"
python3 tests/backtest_check.py "$scratch/run" tests/data/backtest_obs_sd.csv \
    "$scratch/sd/backtest.csv" >"$scratch/check_sd.out" 2>&1 && ok ||
    bad "observation errors:"$'\n'"$(cat "$scratch/check_sd.out")"
awk -F, '$1 == "not_by_2030" { exit !($11 == "" && $12 == "" && $17 == 1 && $4 == "") }' \
    "$scratch/sd/backtest.csv" && ok || bad "censored row: flags should be open, observed empty"
awk -F, 'NR > 1 && $15 != "" { exit 1 }' "$scratch/sd/backtest.csv" && ok ||
    bad "skill written without a reference"

# Sums of outputs, times between years (quarters' mid-points) and bounds
# (below, above), against the same trajectories.
"$gapsim" backtest configs/baseline.cfg --observations tests/data/backtest_obs_terms.csv -n $N \
    --no-plots -q -o "$scratch/terms" && ok || bad "backtest with sums, times and bounds failed"
python3 tests/backtest_check.py "$scratch/run" tests/data/backtest_obs_terms.csv \
    "$scratch/terms/backtest.csv" >"$scratch/check_terms.out" 2>&1 && ok ||
    bad "sums, times, bounds:"$'\n'"$(cat "$scratch/check_terms.out")"
tr -d '\r' <"$scratch/terms/backtest.csv" | awk -F, '$1 == "q4_2019" { f = ($21 == 2019.375) } END { exit !f }' &&
    ok || bad "the time of a quarter's row is not in backtest.csv"
# Fans only for outputs scored in whole years: sums and quarters have none.
[ "$(tr -d '\r' <"$scratch/terms/backtest_fan.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')" = \
    "share_made_in_china tools_china variable " ] && ok || bad "a sum or a time between years got a fan"

# Sharpness and the overall comparison, recomputed from backtest.csv.
python3 - "$scratch/terms/backtest.csv" "$scratch/terms/backtest.txt" <<'PY' && ok || bad "sharpness line"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
w = [(float(r["p95"]) - float(r["p05"])) / abs(float(r["p50"])) for r in rows if r["kind"] != "first_year"]
want = f"continuous ({len(w)}): (p95 - p05) / |median| mean {statistics.mean(w):.3f}, median {statistics.median(w):.3f}"
sys.exit(0 if want in open(sys.argv[2]).read() else f"missing: {want}")
PY
python3 - "$bt/backtest.csv" "$bt/backtest.txt" <<'PY' && ok || bad "first-year width or overall line"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
text = open(sys.argv[2]).read()
fy = [float(r["p95"]) - float(r["p05"]) for r in rows if r["kind"] == "first_year"]
want = f"first years ({len(fy)}): mean p95 - p05 {sum(fy) / len(fy):.2f} years"
rel = [float(r["crps"]) / (float(r["crps"]) + float(r["crps_reference"])) for r in rows
       if float(r["crps"]) + float(r["crps_reference"]) > 0]
want2 = f"overall: mean CRPS / (CRPS + CRPS_reference) {sum(rel) / len(rel):.3f} over the {len(rel)} observations"
for w in (want, want2):
    if w not in text:
        sys.exit(f"missing: {w}")
PY
grep -q "^By basis" "$bt/backtest.txt" && grep -q "^  csia .* scored" "$bt/backtest.txt" && ok ||
    bad "no scored count by basis"

# --- same numbers for any thread count --------------------------------------
"$gapsim" backtest configs/baseline.cfg --reference configs/reference_naive.cfg -n $N \
    --threads 2 --no-plots -q -o "$scratch/bt2" &&
    cmp -s "$bt/backtest.csv" "$scratch/bt2/backtest.csv" &&
    cmp -s "$bt/backtest_fan.csv" "$scratch/bt2/backtest_fan.csv" && ok ||
    bad "--threads 2 changed the scores"

# --- the year window ----------------------------------------------------------
"$gapsim" backtest configs/baseline.cfg --from 2020 --until 2023 -n 200 --no-plots -q \
    -o "$scratch/win" &&
    awk -F, 'NR > 1 && ($3 < 2020 || $3 > 2023) { exit 1 }' "$scratch/win/backtest.csv" &&
    grep -q '^csia_sales_cny_2019,csia_sales_cny,2019,"outside the years scored, 2020-2023"' \
        "$scratch/win/not_scored.csv" &&
    grep -q '^smic_7nm,' "$scratch/win/backtest.csv" && ok || bad "--from/--until window"

# --- nothing to score ---------------------------------------------------------
# A rebased scenario starts where the record ends: its earlier rows are the
# past (not damaged input), and with no row left to forecast the backtest
# says so at exit 2 and writes nothing, instead of an empty scorecard.
"$gapsim" backtest configs/rebase-2025.cfg -n 50 --no-plots -o "$scratch/rb" \
    >"$scratch/rb.out" 2>"$scratch/rb.err"
rc=$?
[ $rc -eq 2 ] && [ ! -e "$scratch/rb" ] && [ "$(wc -l <"$scratch/rb.err")" -eq 1 ] &&
    grep -q 'observations.csv: no observation of the years 2026-2040 is a forecast of configs/rebase-2025.cfg, so there is nothing to score ([0-9]* of [0-9]* rows are before its base year 2025' \
        "$scratch/rb.err" && ok || bad "rebase backtest: rc $rc, $(cat "$scratch/rb.err")"
"$gapsim" backtest configs/baseline.cfg --from 2030 -n 50 --no-plots -o "$scratch/late" \
    2>"$scratch/late.err"
rc=$?
[ $rc -eq 2 ] && [ ! -e "$scratch/late" ] && grep -q 'nothing to score' "$scratch/late.err" &&
    ok || bad "--from past the record: rc $rc, $(cat "$scratch/late.err")"
# A record that begins before the base year (here a 2019 row relabelled 2012,
# a test input only): its early rows are listed as
# before the base year, the rest scored.
head -1 data/observations.csv >"$scratch/early.csv"
grep -E '^(csia_sales_cny_2019|made_in_china_share_2019),' data/observations.csv >>"$scratch/early.csv"
grep -E '^csia_sales_cny_2019,' data/observations.csv | sed -e 's/^csia_sales_cny_2019,/csia_sales_cny_2012,/' \
    -e 's/,2019,/,2012,/' >>"$scratch/early.csv"
"$gapsim" backtest configs/baseline.cfg --observations "$scratch/early.csv" -n 50 --no-plots -q \
    -o "$scratch/early" 2>"$scratch/early.err" &&
    grep -q '^csia_sales_cny_2012,csia_sales_cny,2012,"before the base year 2014' "$scratch/early/not_scored.csv" &&
    grep -q '^csia_sales_cny_2019,' "$scratch/early/backtest.csv" && ok ||
    bad "rows before the base year: $(cat "$scratch/early.err")"

gs_test_end cli_backtest
