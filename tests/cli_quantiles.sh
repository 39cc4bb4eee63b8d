#!/usr/bin/env bash
# Every quantile in quantiles.csv agrees with the exact order statistic of all
# trajectories within the documented relative accuracy (docs/outputs.md), or
# is flagged, on scenarios whose values lie far outside any fixed range:
# consumption started at 5000 bn, the accelerated scenario, and a Fund II of
# 10,000 bn CNY.  1000 trajectories are all written to trajectories.csv.
#
#   bash cli_quantiles.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1

# The relative accuracy the sketch promises (GS_SKETCH_ALPHA).
alpha=0.001

# check_quantiles NAME DIR: compares every p05..p95 of DIR/quantiles.csv with
# x_(ceil(p n)) of the trajectories.  Allowed: alpha |x| for the sketch, plus
# 1e-9 |x| for the %.10g printing.  A flagged quantile must be empty.
check_quantiles() {
    local name=$1 dir=$2 out
    out=$( (tr -d '\r' <"$dir/quantiles.csv" | tail -n +2 | sed 's/^/Q,/'
            tr -d '\r' <"$dir/trajectories.csv" | tail -n +2 | sed 's/^/T,/') |
        sort -t, -k1,1 -k4,4 -k3,3n -k5,5g |
        awk -F, -v alpha="$alpha" '
        function abs(x) { return x < 0 ? -x : x }
        # Q rows sort first: Q,year,variable,mean,sd,p05,p25,p50,p75,p95,flag
        $1 == "Q" { key = $3 SUBSEP $2; for (i = 0; i < 5; i++) q[key, i] = $(6 + i); fl[key] = $11; next }
        {
            key = $4 SUBSEP $3
            if (key != cur) { if (cur != "") done(cur); cur = key; n = 0 }
            v[++n] = $5
        }
        function done(k,   i, p, r, want, got, tol) {
            split("0.05 0.25 0.5 0.75 0.95", ps, " ")
            split("p05 p25 p50 p75 p95", nm, " ")
            for (i = 1; i <= 5; i++) {
                p = ps[i]; r = p * n; if (r != int(r)) r = int(r) + 1; if (r < 1) r = 1
                want = v[r]; got = q[k, i - 1]
                cells++
                if (index(" " fl[k] " ", " " nm[i] " ")) {
                    if (got != "") { printf "bad: %s %s flagged but not empty\n", k, nm[i]; bad++ }
                    flagged++
                    continue
                }
                tol = (alpha * (1 + 1e-6) + 1e-9) * abs(want) + 1e-300
                if (got == "" || abs(got - want) > tol) {
                    split(k, kk, SUBSEP)
                    printf "bad: %s %s %s: quantiles.csv %s, order statistic %s\n", kk[1], kk[2], nm[i], got, want
                    bad++
                }
            }
        }
        END { if (cur != "") done(cur); printf "cells %d flagged %d bad %d\n", cells, flagged, bad }')
    local summary=${out##*$'\n'}
    if [[ $summary == "cells "*" bad 0" && $summary != "cells 0 "* ]]; then
        ok
    else
        bad "$name: quantiles disagree with the order statistics"
        printf '%s\n' "$out" | head -n 20 >&2
    fi
    echo "cli_quantiles: $name: $summary"
}

run() {
    local name=$1
    shift
    if "$gapsim" run "$@" -n 1000 --seed 3 --no-plots -q --write-trajectories 1000 \
        -o "$scratch/$name" 2>"$scratch/$name.err"; then
        ok
        check_quantiles "$name" "$scratch/$name"
    else
        bad "$name: run failed: $(cat "$scratch/$name.err")"
    fi
}

run demand5000 configs/baseline.cfg --set market.consumption0=5000 --set anchors.csia_sales_cny=100000
run accelerated configs/accelerated.cfg
run fund2_10000 configs/baseline.cfg --set funds.fund2.size=10000

# The case a fixed histogram got wrong: demand in 2035 has a spread, so its
# 5th, 50th and 95th percentiles differ.
row=$(tr -d '\r' <"$scratch/demand5000/quantiles.csv" | grep '^2035,consumption,')
IFS=, read -r _ _ _ _ p05 _ p50 _ p95 _ <<<"$row"
if awk -v a="$p05" -v b="$p50" -v c="$p95" 'BEGIN { exit !(a < b && b < c && c > 10000) }'; then
    ok
else
    bad "consumption 2035 with consumption0 = 5000: p05 $p05, p50 $p50, p95 $p95"
fi

# The accuracy is recorded with the run.
if grep -q '"quantile_relative_accuracy": 0.001' "$scratch/accelerated/manifest.json"; then ok; else
    bad "manifest.json does not state quantile_relative_accuracy 0.001"; fi

# Provenance: a run with overrides records the command line, the overrides,
# the inherit chain with hashes and its label, and says so in summary.txt.
"$gapsim" run configs/baseline.cfg -n 200 --no-plots -q --set funds.fund2.size=600 \
    --set 'fx.base_year=6.9' -o "$scratch/prov"
m="$scratch/prov/manifest.json"
for want in '"label": "baseline + funds.fund2.size = 600 + fx.base_year = 6.9"' \
    '"path": "funds.fund2.size"' '"value": "600"' '"file": "configs/baseline.cfg"' \
    '"hash": "fnv1a64:' '"build": {' '"fx.base_year=6.9"'; do
    if grep -qF "$want" "$m"; then ok; else bad "manifest.json lacks $want"; fi
done
if [ "$(head -c 9 "$m" >/dev/null; grep -c '"command_line"' "$m")" = 1 ] &&
    head -n 1 "$scratch/prov/summary.txt" | grep -qF 'Scenario baseline + funds.fund2.size = 600 + fx.base_year = 6.9: '; then
    ok
else
    bad "summary.txt does not name the overrides: $(head -n 1 "$scratch/prov/summary.txt")"
fi

gs_test_end cli_quantiles
