#!/usr/bin/env bash
# A sweep metric that is a percentile the quantile sketch flags (it cannot be
# given to the stated accuracy) never becomes a number, nor a silent gap: it
# is empty in points.csv and named in its last column "flagged", the summary
# and stderr warn, the manifest counts the points, no analysis or chart of
# the metric is made (the method's rows are empty with a note), and a goal
# seek on it fails with a message.  Metrics that can be given are untouched.
# The scenario: tests/data/flagged/base.cfg.
#
#   bash cli_sweep_flags.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
data=$src/tests/data/flagged
cd "$scratch" || exit 1

# points_ok FILE FLAGGED_METRIC KEPT_METRIC: every row has the flagged
# metric empty and named in "flagged", and the kept metric a finite number
# not named there.
points_ok() {
    awk -F, -v fm="$2" -v km="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
                  if (!(fm in col) || !(km in col) || $NF != "flagged") { print "header"; exit 1 }
                  next }
        { n++
          if ($col[fm] != "") { print "value " NR; bad++ }
          if ((" " $NF " ") !~ (" " fm " ")) { print "not named " NR; bad++ }
          if ($col[km] !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) { print "kept " NR; bad++ }
          if ((" " $NF " ") ~ (" " km " ")) { print "kept named " NR; bad++ } }
        END { exit !(n > 0 && bad == 0) }' "$1" >/dev/null
}

# The scenario does what the test needs: a run flags demand 2035 p05 and
# gives its median.
"$gapsim" run "$data/base.cfg" -n 300 --seed 3 --no-plots -q -o run 2>run.err
row=$(tr -d '\r' <run/quantiles.csv | grep '^2035,consumption,')
IFS=, read -r _ _ _ _ p05 _ p50 _ _ flag <<<"$row"
check "fixture: demand 2035 p05 flagged in a run ($row)" test -z "$p05" -a "$flag" = p05 -a -n "$p50"

# 1. One at a time.
"$gapsim" sweep "$data/oat.cfg" -q -o oat 2>oat.err
rc=$?
check "oat: exit 0 (got $rc)" test $rc -eq 0
check "oat: points.csv empty and flagged for the p05, a number for the share" \
    points_ok oat/points.csv 'consumption@2035:p05' 'share@2030:p50'
check "oat: the median of the same variable is not flagged" \
    points_ok oat/points.csv 'consumption@2035:p05' 'consumption@2035:p50'
check "oat: stderr warns and points to points.csv" grep -q 'warning: at 3 design points a metric has no value.*points.csv' oat.err
check "oat: summary warns, naming the metric" grep -q '^Warning: at 3 of 3 design points (first: run 1) a metric has no value: consumption@2035:p05 (3)' oat/summary.txt
check "oat: summary gives no swing for it" grep -q '^consumption@2035:p05: no analysis: it has no value at 3 of 3 design points' oat/summary.txt
check "oat: summary still ranks the share" grep -q '^share@2030:p50: base run' oat/summary.txt
check "oat: manifest counts the points" grep -q '"metrics_flagged": 3' oat/manifest.json
check "oat: no chart of the flagged metric" test -z "$(ls oat | grep 'consumption_2035_p05')"
check "oat: no chart warning for it" bash -c "! grep -q 'chart .*p05' oat.err"
check "oat: oat.csv has no number for it" \
    awk -F, '$1 == "consumption@2035:p05" && ($5 != "" || $7 != "") { exit 1 }' oat/oat.csv

# 2. A method that pools every point: the rows are empty with a note.
"$gapsim" sweep "$data/delta.cfg" -q --no-plots -o delta 2>delta.err
rc=$?
check "delta: exit 0 (got $rc)" test $rc -eq 0
check "delta: points.csv flags every point" points_ok delta/points.csv 'consumption@2035:p05' 'share_made_in_china@2030:p50'
check "delta: the flagged metric's indices are empty with the note" \
    awk -F, '$1 == "consumption@2035:p05" { n++; if ($3 != "" || $4 != "" || $5 != "" || $6 != "" || $7 !~ /flagged percentile/) bad++ }
             END { exit !(n == 2 && bad == 0) }' delta/delta.csv
check "delta: the share's indices are numbers" \
    awk -F, '$1 == "share_made_in_china@2030:p50" { n++; if ($3 !~ /^[0-9.]+/) bad++ } END { exit !(n == 2 && bad == 0) }' delta/delta.csv
check "delta: summary says no analysis" grep -q '^consumption@2035:p05: no analysis' delta/summary.txt

# 3. A goal seek cannot bisect a value that is not there.
"$gapsim" sweep "$data/goal.cfg" -q --no-plots -o goal 2>goal.err
rc=$?
check "goal: exit 1 (got $rc)" test $rc -eq 1
check "goal: one line naming the metric and the point" \
    test "$(wc -l <goal.err)" -eq 1 -a -n "$(grep 'goal: consumption@2035:p05 has no value at funds.fund2.size = 150' goal.err)"
check "goal: nothing written" test ! -e goal

# 4. A sweep without flagged metrics has an empty flagged column.
"$gapsim" sweep "$src/configs/sweeps/fund2_oat.cfg" -n 100 -q --no-plots -o plain 2>plain.err
check "plain: no warning" test ! -s plain.err
check "plain: flagged column empty in every row" \
    awk -F, 'NR == 1 { exit ($NF != "flagged") } $NF != "" { exit 1 }' plain/points.csv
check "plain: manifest counts none" grep -q '"metrics_flagged": 0' plain/manifest.json

gs_test_end cli_sweep_flags
