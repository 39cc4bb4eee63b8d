#!/usr/bin/env bash
# gapsim calibrate end to end, on the shipped baseline with a tiny
# population (seconds): the files of a calibration, the same bytes for any
# thread count, calibrated.cfg accepted by run, backtest and sweep (and
# thread-invariant), bad options and bad posterior files (exit 2, one
# "gapsim: FILE:LINE:" line, nothing written).  Numbers are not checked
# here: tests/test_calib.c checks them against an analytic posterior and a
# known truth.
#
#   bash cli_calibrate.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1

small=(--until 2019 --population 16 -n 4 --generations 2)

# --- a calibration and its files -----------------------------------------
if "$gapsim" calibrate configs/baseline.cfg "${small[@]}" -o "$scratch/cal1" -q \
    2>"$scratch/cal1.err"; then ok; else bad "calibrate failed: $(cat "$scratch/cal1.err")"; fi
for f in posterior.csv calibration.txt calibrated.cfg manifest.json calib_marginals.csv \
    calib_pairs.csv; do
    [ -s "$scratch/cal1/$f" ] && ok || bad "calibrate wrote no $f"
done
head -1 "$scratch/cal1/posterior.csv" | grep -q '^weight,[a-z]' && ok || bad "posterior.csv header"
grep -q '^parameters_from = "posterior.csv";' "$scratch/cal1/calibrated.cfg" && ok ||
    bad "calibrated.cfg does not draw from posterior.csv"
grep -q 'Effective sample size' "$scratch/cal1/calibration.txt" && ok || bad "calibration.txt: no ESS"
grep -q 'cannot match' "$scratch/cal1/calibration.txt" && ok || bad "calibration.txt: no check"
if command -v gnuplot >/dev/null; then
    ls "$scratch"/cal1/calib_*.png >/dev/null 2>&1 && ok || bad "no charts"
fi

# --- the same bytes for another thread count ------------------------------
"$gapsim" calibrate configs/baseline.cfg "${small[@]}" --threads 3 --no-plots \
    -o "$scratch/cal3" -q 2>/dev/null || bad "calibrate --threads 3 failed"
for f in posterior.csv calibration.txt calibrated.cfg; do
    cmp -s "$scratch/cal1/$f" "$scratch/cal3/$f" && ok || bad "$f differs between 1 and 3 threads"
done

# --- the cheap method ------------------------------------------------------
"$gapsim" calibrate configs/baseline.cfg --until 2019 --population 16 -n 4 --method importance \
    --no-plots -o "$scratch/imp" -q 2>/dev/null && ok || bad "--method importance failed"
grep -q 'Method importance' "$scratch/imp/calibration.txt" && ok || bad "importance not reported"

# --- the calibrated scenario in run, backtest and sweep -------------------
cfg=$scratch/cal1/calibrated.cfg
"$gapsim" run "$cfg" -n 600 --no-plots -o "$scratch/run1" -q 2>/dev/null && ok || bad "run of calibrated.cfg"
"$gapsim" run "$cfg" -n 600 --threads 2 --no-plots -o "$scratch/run2" -q 2>/dev/null || bad "run --threads 2"
for f in quantiles.csv targets.csv; do
    cmp -s "$scratch/run1/$f" "$scratch/run2/$f" && ok || bad "run of calibrated.cfg: $f differs by threads"
done
"$gapsim" backtest "$cfg" --from 2020 -n 600 --no-plots -o "$scratch/bt" -q 2>/dev/null && ok ||
    bad "backtest of calibrated.cfg"
# A sweep of a parameter the posterior leaves to the scenario: calibrate one
# parameter only, sweep another.
p1=$(head -1 "$scratch/cal1/posterior.csv" | cut -d, -f2)
p2=$(head -1 "$scratch/cal1/posterior.csv" | cut -d, -f3)
"$gapsim" calibrate configs/baseline.cfg "${small[@]}" --params "$p1" --no-plots \
    -o "$scratch/one" -q 2>/dev/null && ok || bad "calibrate --params $p1"
[ "$(head -1 "$scratch/one/posterior.csv")" = "weight,$p1" ] && ok || bad "--params: posterior columns"
cat >"$scratch/sweep.cfg" <<EOF
sweep = {
  name = "calibrated_oat";
  base = "one/calibrated.cfg";
  method = "oat";
  trajectories = 300;
  seed = 3;
  metrics = ["target:2030"];
  parameters = ( { path = "$p2"; } );
};
EOF
"$gapsim" sweep "$scratch/sweep.cfg" --no-plots -o "$scratch/sw" -q 2>"$scratch/sw.err" && ok ||
    bad "sweep over calibrated.cfg: $(cat "$scratch/sw.err")"

# --- bad options: exit 2, one line, no folder -----------------------------
expect2() { # NAME PATTERN ARGS...
    local name=$1 pat=$2
    shift 2
    "$gapsim" "$@" >"$scratch/$name.out" 2>"$scratch/$name.err"
    local rc=$?
    [ $rc -eq 2 ] && ok || bad "$name: exit $rc, expected 2"
    [ "$(wc -l <"$scratch/$name.err")" -eq 1 ] && grep -q "$pat" "$scratch/$name.err" && ok ||
        bad "$name: expected one line matching '$pat', got: $(cat "$scratch/$name.err")"
}
expect2 params '^gapsim: configs/baseline.cfg: --params: "no.such.parameter" is no number parameter' \
    calibrate configs/baseline.cfg "${small[@]}" --params no.such.parameter -o "$scratch/x1"
[ ! -e "$scratch/x1" ] && ok || bad "a refused calibration left a folder"
expect2 method '^gapsim: --method: expected abc-smc or importance' \
    calibrate configs/baseline.cfg --method mcmc -o "$scratch/x2"
expect2 until '^gapsim: --until 2000: expected a year after the base year' \
    calibrate configs/baseline.cfg --until 2000 --population 8 -n 2 -o "$scratch/x3"
expect2 pop '^gapsim: --population: expected a whole number' \
    calibrate configs/baseline.cfg --population 2 -o "$scratch/x4"
printf 'id,kind,variable,year,value,basis,sd,source,confidence\n' >"$scratch/empty_obs.csv"
expect2 noobs 'empty_obs.csv: no observation of the years' \
    calibrate configs/baseline.cfg "${small[@]}" --observations "$scratch/empty_obs.csv" -o "$scratch/x5"

# --- bad posterior files ---------------------------------------------------
damage() { # NAME PATTERN: the posterior made by the sed program in $prog
    local name=$1 pat=$2
    rm -rf "$scratch/$name"
    cp -r "$scratch/cal1" "$scratch/$name"
    sed -i "$prog" "$scratch/$name/posterior.csv"
    expect2 "$name" "$pat" run "$scratch/$name/calibrated.cfg" -n 100 --no-plots -o "$scratch/$name.run"
    [ ! -e "$scratch/$name.run" ] && ok || bad "$name: a refused run left a folder"
}
prog='s/^[^,]*,//' damage noweight 'posterior.csv:1: no column "weight"'
prog='1s/,[^,]*$/,no.such.parameter/' damage unknown 'posterior.csv:1: column "no.such.parameter" is no number parameter'
prog='2s/,[^,]*$/,inf/' damage nonfinite 'posterior.csv:2: .*"inf" is not a finite number'
prog='2s/^[^,]*,/-1,/' damage negweight 'posterior.csv:2: weight "-1"'
prog='2s/,[^,]*$//' damage short 'posterior.csv:2: .* fields, the header has'
prog='2s/^/"/' damage quote 'posterior.csv:2: '
rm -f "$scratch/cal1/posterior.csv.gone"
mv "$scratch/cal1/posterior.csv" "$scratch/cal1/posterior.csv.gone"
expect2 missing 'calibrated.cfg:[0-9]*: parameters_from: cannot find "posterior.csv"' \
    run "$cfg" -n 100 --no-plots -o "$scratch/missing.run"
mv "$scratch/cal1/posterior.csv.gone" "$scratch/cal1/posterior.csv"

gs_test_end cli_calibrate
