#!/bin/bash
# gapsim sweep through the real binary: usage, bad sweep files, an unreachable
# goal, charts, determinism, and the invariants CI checks on every shipped sweep.
# usage: cli_sweep.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1

# 1. help, and the command in the list
"$gapsim" sweep --help > help.txt 2>&1
check "sweep --help exits 0 with the usage" test $? -eq 0 -a -n "$(grep -l 'gapsim sweep SWEEP.cfg' help.txt)"
"$gapsim" --help > top.txt 2>&1
check "gapsim --help lists sweep" grep -q '^  sweep ' top.txt

# 2. errors name the file and line, exit 2
cat > typo.cfg <<EOF
sweep = {
  name = "typo";
  base = "$src/configs/baseline.cfg";
  method = "oat";
  metrics = ["target:2030"];
  parameter = ( { path = "funds.fund2.size"; values = [100.0, 200.0]; } );
};
EOF
"$gapsim" sweep typo.cfg -o out_typo > typo.out 2>&1
rc=$?
check "a key of another method is refused with exit 2 (rc $rc)" test $rc -eq 2
check "... naming the file and line 6" grep -q 'typo.cfg:6: parameter does not apply to method "oat"' typo.out
check "... and nothing is written" test ! -e out_typo/points.csv

sed -e 's/parameter = (/paramters = (/' -e 's/"oat"/"oat"/' typo.cfg > near.cfg
"$gapsim" sweep near.cfg > near.out 2>&1
check "an unknown key gets a did-you-mean (exit $?)" grep -q 'near.cfg:6: unknown key "sweep.paramters" (did you mean "sweep.parameters"?)' near.out

cat > badpath.cfg <<EOF
sweep = {
  name = "badpath";
  base = "$src/configs/baseline.cfg";
  method = "oat";
  metrics = ["target:2030"];
  parameters = (
    { path = "funds.fund2.sise"; values = [100.0, 200.0]; }
  );
};
EOF
"$gapsim" sweep badpath.cfg > badpath.out 2>&1
rc=$?
check "an unknown parameter path: exit 2 at its line with a did-you-mean (rc $rc)" \
    grep -q 'badpath.cfg:7: parameter "funds.fund2.sise" is not in the base scenario (did you mean "funds.fund2.size"?)' badpath.out
printf 'sweep = { name = "x"; method = "oat"\n' > syntax.cfg
"$gapsim" sweep syntax.cfg > syntax.out 2>&1
rc=$?
check "a syntax error: exit 2 with file and line (rc $rc)" test $rc -eq 2 -a -n "$(grep -l 'syntax.cfg:[0-9]' syntax.out)"

# 3. an unreachable goal is an answer, exit 0
cat > unreach.cfg <<EOF
sweep = {
  name = "unreach";
  base = "$src/configs/baseline.cfg";
  method = "goal";
  trajectories = 256;
  seed = 3;
  parameter = "funds.fund2.size";
  metric = "target:2030";
  level = 0.5;
  bracket = [100.0, 400.0];
  repeats = 0;
};
EOF
"$gapsim" sweep unreach.cfg -o out_unreach > unreach.out 2>&1
rc=$?
check "unreachable goal: exit 0 (rc $rc)" test $rc -eq 0
check "... said plainly in summary.txt" \
    grep -q 'target:2030 stays below 0.5 for funds.fund2.size in \[100, 400\]: highest .* at ' out_unreach/summary.txt
check "... and goal.csv records it" grep -q ',below,' out_unreach/goal.csv
if command -v gnuplot > /dev/null; then
    check "... with its chart" test -s out_unreach/goal.png
fi

# 3b. the effective run options, recorded for the charts' footers: -n and
# --seed override the sweep file, and the footer says what was run.
"$gapsim" sweep "$src/configs/sweeps/fund2_oat.cfg" -n 50 --seed 11 --format svg -q -o out_ro \
    > ro.out 2>&1
check "run_options.csv records N, seed, sampler and runs" \
    test "$(sed -n 2p out_ro/run_options.csv 2>/dev/null)" = "50,11,lhs,$(($(wc -l < out_ro/points.csv) - 1))"
if command -v gnuplot > /dev/null; then
    check "... and a sweep chart's footer carries them" \
        grep -q 'Sweep fund2_oat of .*baseline.cfg · 50 trajectories per point (lhs), seed 11, 27 runs' \
        out_ro/tornado_target_2030.svg
fi

# 4. the default folder, and the same numbers for any thread count
mkdir -p cwd && cd cwd || exit 1
"$gapsim" sweep "$src/configs/sweeps/fund2_controls_grid.cfg" -n 256 --no-plots -q
check "default output folder out/sweeps/<name>/" test -s out/sweeps/fund2_controls_grid/grid.csv
"$gapsim" sweep "$src/configs/sweeps/fund2_controls_grid.cfg" -n 256 --threads 2 --no-plots -q -o t2
check "grid.csv is byte-identical with 2 threads" cmp -s out/sweeps/fund2_controls_grid/grid.csv t2/grid.csv
cd "$scratch" || exit 1

# 5. the invariants of every shipped sweep
bash "$src/.ci/sweep-invariants.sh" "$gapsim" "$src" "$scratch/invariants" > invariants.out 2>&1
rc=$?
tail -n 1 invariants.out
check "sweep-invariants passes (rc $rc; see $scratch/invariants.out)" test $rc -eq 0
[ $rc -eq 0 ] || grep FAILED invariants.out

gs_test_end cli_sweep
