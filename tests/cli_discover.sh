#!/bin/bash
# outcomes.csv and gapsim discover through the real binary: rows and ids,
# byte identity across threads, the run-folder and table forms, bad input.
# usage: cli_discover.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1

# 1. outcomes.csv: one row per trajectory (no cap), the ids of parameters.csv,
# the same bytes for any thread count.  N = 3000 is not a multiple of the
# block size, so the last block is partial.
n=3000
"$gapsim" run "$src/configs/baseline.cfg" -n $n --seed 5 --write-parameters --write-outcomes \
    --no-plots -q -o t1
rc1=$?
"$gapsim" run "$src/configs/baseline.cfg" -n $n --seed 5 --write-parameters --write-outcomes \
    --threads 3 --no-plots -q -o t3
check "runs with --write-outcomes exit 0" test $rc1 -eq 0 -a $? -eq 0
check "outcomes.csv has a header and $n rows" test "$(wc -l < t1/outcomes.csv)" -eq $((n + 1))
check "outcomes.csv is byte-identical with 1 and 3 threads" cmp -s t1/outcomes.csv t3/outcomes.csv
check "trajectory ids of outcomes.csv are those of parameters.csv, in order" \
    cmp -s <(cut -d, -f1 t1/outcomes.csv | tail -n +2) <(cut -d, -f1 t1/parameters.csv | tail -n +2)
check "ids run 0..N-1" test "$(tail -n 1 t1/outcomes.csv | cut -d, -f1)" = $((n - 1))
head -n 1 t1/outcomes.csv | tr -d '\r' | tr ',' '\n' > cols.txt
for c in trajectory share@2030 year_gap@2025 target:2030 milestone:7nm first_year:7nm; do
    check "outcomes.csv has column $c" grep -qxF "$c" cols.txt
done
check "manifest lists outcomes.csv" grep -q '"outcomes.csv"' t1/manifest.json
# The 0/1 target column counts exactly what targets.csv reports.
col=$(grep -nxF 'target:2030' cols.txt | cut -d: -f1)
hits=$(tail -n +2 t1/outcomes.csv | cut -d, -f"$col" | awk '{ s += $1 } END { print s }')
prob=$(awk -F, '$1 == 2030 { print $3 }' t1/targets.csv)
check "target:2030 column sums to targets.csv's probability ($hits / $n vs $prob)" \
    awk -v h="$hits" -v n=$n -v p="$prob" 'BEGIN { exit !(h / n - p < 1e-9 && p - h / n < 1e-9) }'
# first_year:7nm is empty exactly when milestone:7nm is 0.
m=$(grep -nxF 'milestone:7nm' cols.txt | cut -d: -f1)
check "first_year:7nm is empty exactly when milestone:7nm is 0" \
    awk -F, -v m="$m" 'NR > 1 { if (($m == 0) != ($(m + 1) == "")) bad = 1 } END { exit bad }' \
    t1/outcomes.csv
"$gapsim" run "$src/configs/baseline.cfg" -n 300 --write-outcomes --outcome-years all --no-plots \
    -q -o tall
check "--outcome-years all gives every year" grep -q 'share@2035' tall/outcomes.csv
"$gapsim" run "$src/configs/baseline.cfg" -n 300 --outcome-years 2050 --no-plots -q -o tbad \
    2> err.txt
check "an outcome year beyond the horizon is a usage error (exit 2)" test $? -eq 2
check "... and leaves no outcomes.csv" test ! -e tbad/outcomes.csv

# Quasi-random runs: randomly shifted Sobol' points per block, so the same
# bytes for any thread count, from the command line or the config.
# (The baseline samples more parameters than Sobol' takes: a reduced copy.)
qcfg="$src/tests/data/qmc_baseline.cfg"
"$gapsim" run "$qcfg" -n 1000 --sampler qmc --write-parameters \
    --write-outcomes --no-plots -q -o q1
rcq=$?
"$gapsim" run "$qcfg" -n 1000 --set 'run.sampler="qmc"' --threads 3 \
    --write-parameters --write-outcomes --no-plots -q -o q3
check "qmc runs exit 0" test $rcq -eq 0 -a $? -eq 0
for f in quantiles.csv targets.csv parameters.csv outcomes.csv; do
    check "qmc $f is byte-identical with 1 and 3 threads" cmp -s q1/$f q3/$f
done
"$gapsim" run "$qcfg" -n 1000 --write-parameters --no-plots -q -o l1
check "qmc draws differ from lhs draws at the same seed" test -n "$(cmp q1/parameters.csv l1/parameters.csv 2>&1)"
check "the manifest names the sampler" grep -q '"sampler": "qmc"' q1/manifest.json
"$gapsim" run "$src/configs/baseline.cfg" -n 10 --sampler sobol -q --no-plots -o qbad 2> err.txt
check "an unknown sampler is a usage error naming the choices" \
    test $? -eq 2 -a -n "$(grep -l 'expected mc, lhs or qmc' err.txt)"

# --precision on a quantile: stops once it is met, and when the -n cap comes
# first the summary, the manifest and stderr name the figure.
"$gapsim" run "$src/configs/baseline.cfg" -n 40000 --precision share@2030:p50=0.003 \
    --no-plots -q -o pm 2> err.txt
check "a quantile precision goal exits 0" test $? -eq 0
check "... and stops before the cap" \
    test "$(grep -o '"trajectories": [0-9]*' pm/manifest.json | grep -o '[0-9]*$')" -lt 40000
check "... and the manifest says it was met" grep -q '"precision_met": true' pm/manifest.json
"$gapsim" run "$src/configs/baseline.cfg" -n 4096 --precision share@2030:p50=0.0001 \
    --precision 0.4 --no-plots -q -o pc 2> err.txt
check "a goal the cap cuts short exits 0" test $? -eq 0
check "... stderr names the figure" grep -q "before share@2030:p50 reached" err.txt
check "... so does summary.txt" grep -q "Precision NOT reached.*share@2030:p50" pc/summary.txt
check "... and the manifest" grep -q '"figure": "share@2030:p50"' pc/manifest.json
"$gapsim" run "$src/configs/baseline.cfg" -n 100 --precision shar@2030:p50=0.01 -q \
    --no-plots -o pbad 2> err.txt
check "an unknown precision figure is a usage error with a suggestion" \
    test $? -eq 2 -a -n "$(grep -l 'did you mean "share"' err.txt)"

# 2. discover on the run folder.
"$gapsim" discover t1 --where "share@2030 >= 0.45" --threshold 0.5 --mass-min 0.02 \
    --resample 3 --no-plots > sum.txt 2> err.txt
check "discover on a run folder exits 0" test $? -eq 0
for f in prim_trajectory.csv prim_box.csv prim_summary.txt prim_stability.csv; do
    check "discover writes $f" test -s "t1/discover/$f"
done
check "prim_box.csv header" \
    test "$(head -n 1 t1/discover/prim_box.csv | tr -d '\r')" = "parameter,lower,upper,restricted,p_value"
check "prim_box.csv has one row per parameter" \
    test "$(wc -l < t1/discover/prim_box.csv)" -eq "$(head -n 1 t1/parameters.csv | tr ',' '\n' | wc -l)"
check "prim_trajectory.csv header" \
    test "$(head -n 1 t1/discover/prim_trajectory.csv | tr -d '\r')" = \
    "step,coverage,density,mass,n_restricted,restricted,pasted,chosen"
check "the summary has a sentence with coverage and mass" \
    grep -q "of all futures), share in 2030 is at least 0.45 in" sum.txt
check "the sentence names parameters by their meaning" grep -q "(csia\.demand_drift)" sum.txt

# 3. discover on any pair of tables: the outcome is 1 exactly inside
# a in [0.25, 0.75], b >= 0.5; c is noise.  PRIM must find those bounds to
# within the spacing of the points (1/2000 on a regular lattice).
awk 'BEGIN { srand(11); print "id,a,b,c"; for (i = 0; i < 2000; i++)
       printf "r%d,%.6f,%.6f,%.6f\n", i, (i * 0.618034) % 1, (i * 0.754878) % 1, rand() }' > X.csv
awk -F, 'NR == 1 { print "id,hit,score"; next }
         { h = ($2 >= 0.25 && $2 <= 0.75 && $3 >= 0.5); print $1 "," h "," $2 + $3 }' X.csv \
    | { read -r head; echo "$head"; sort -t, -k1,1; } > Y.csv
"$gapsim" discover --inputs X.csv --outcomes Y.csv --where hit --threshold 1 -o tab -q \
    --format png,svg
check "discover on tables exits 0" test $? -eq 0
box() { awk -F, -v p="$1" -v k="$2" '$1 == p { print $k }' tab/prim_box.csv; }
near() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x - y < 0.002 && y - x < 0.002) }'; }
check "recovers a >= 0.25 ($(box a 2))" near "$(box a 2)" 0.25
check "recovers a <= 0.75 ($(box a 3))" near "$(box a 3)" 0.75
check "recovers b >= 0.5 ($(box b 2))" near "$(box b 2)" 0.5
check "c is not restricted" test "$(box c 4)" = 0
check "rows join by id although Y.csv is in another order" test "$(box a 4)" = 1
if command -v gnuplot > /dev/null; then
    for f in prim_tradeoff.png prim_box.png prim_tradeoff.svg prim_box.svg; do
        check "chart $f is written" test -s "tab/$f"
    done
fi
"$gapsim" discover --inputs X.csv --outcomes Y.csv --where "score > 1.2" --box 3 -o tab2 -q \
    --no-plots
check "--box picks a trajectory step" \
    test "$(tr -d '\r' < tab2/prim_trajectory.csv | awk -F, '$8 == 1 { print $1 }')" = 3

# 4. Bad input: FILE:LINE: message, exit 2, nothing written.
bad_case() { # description, expected stderr pattern, args...
    local what=$1 pat=$2; shift 2
    rm -rf badout
    "$gapsim" discover "$@" -o badout -q --no-plots 2> err.txt
    local rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$pat" err.txt && [ ! -e badout/prim_box.csv ]; then
        ok "$what"
    else
        bad "$what (rc $rc: $(cat err.txt))"
    fi
}
sed '4s/.*/r2,0.5,oops,0.1/' X.csv > Xbad.csv
bad_case "a non-number names file and line" '^gapsim: Xbad.csv:4: column "b": "oops"' \
    --inputs Xbad.csv --outcomes Y.csv --where hit
sed '5s/.*/r1,0,1/' Y.csv > Ydup.csv
bad_case "a repeated id names its line" '^gapsim: Ydup.csv:5: id "r1" repeats line' \
    --inputs X.csv --outcomes Ydup.csv --where hit
head -n 100 Y.csv > Yshort.csv
bad_case "an id without an outcome row names the inputs line" \
    '^gapsim: X.csv:[0-9]*: id "r[0-9]*" has no row in Yshort.csv' \
    --inputs X.csv --outcomes Yshort.csv --where hit
bad_case "an unknown --where column suggests the nearest" \
    'no column "hti" (named by --where); did you mean "hit"' \
    --inputs X.csv --outcomes Y.csv --where "hti >= 1"
bad_case "an unknown id column" '^gapsim: X.csv:1: no column "key"' \
    --inputs X.csv --outcomes Y.csv --where hit --id key
bad_case "a condition no row meets" 'holds in none of the 2000 points' \
    --inputs X.csv --outcomes Y.csv --where "score > 5"
bad_case "a where without a number" 'is not a number' \
    --inputs X.csv --outcomes Y.csv --where "score > high"
mkdir -p noout && cp t1/parameters.csv noout/
bad_case "a run folder without outcomes.csv" "noout/outcomes.csv: cannot read" noout --where hit
printf 'id,a\n"r0,1\n' > Xq.csv
bad_case "an unclosed quote" '^gapsim: Xq.csv:2: a quoted field is not closed' \
    --inputs Xq.csv --outcomes Y.csv --where hit
bad_case "no --where" "which futures" t1

gs_test_end cli_discover
