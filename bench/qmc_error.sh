#!/bin/bash
# Monte Carlo error of a run's headline figures under the lhs and qmc
# samplers at the same N: the standard deviation over R independent seeds of
# each target and milestone probability and of the 2030 median share.
# usage: bench/qmc_error.sh GAPSIM CONFIG [N] [R]
set -eu
gapsim=$1
cfg=$2
n=${3:-4096}
reps=${4:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
for s in lhs qmc; do
    for r in $(seq 1 "$reps"); do
        "$gapsim" run "$cfg" -n "$n" --seed "$r" --sampler "$s" --no-plots -q -o "$tmp/$s$r"
        {
            tr -d '\r' < "$tmp/$s$r/targets.csv" | awk -F, 'NR > 1 { print "target:" $1, $3 }'
            tr -d '\r' < "$tmp/$s$r/milestones.csv" | awk -F, 'NR > 1 { print "milestone:" $1 "nm", $2 }'
            tr -d '\r' < "$tmp/$s$r/quantiles.csv" |
                awk -F, '$1 == 2030 && $2 == "share_total" { print "share_total@2030:p50", $7 }'
        } | sed "s/^/$s /"
    done
done > "$tmp/all.txt"
printf '%-24s %12s %12s %12s %8s\n' figure mean sd_lhs sd_qmc ratio
awk '{ k = $2; s = $1; n[s, k]++; m[s, k] += $3; q[s, k] += $3 * $3; keys[k] = 1 }
     END {
         for (k in keys) {
             ml = m["lhs", k] / n["lhs", k]; mq = m["qmc", k] / n["qmc", k]
             vl = (q["lhs", k] - n["lhs", k] * ml * ml) / (n["lhs", k] - 1)
             vq = (q["qmc", k] - n["qmc", k] * mq * mq) / (n["qmc", k] - 1)
             sl = vl > 0 ? sqrt(vl) : 0; sq = vq > 0 ? sqrt(vq) : 0
             printf "%-24s %12.6g %12.3g %12.3g %8s\n", k, (ml + mq) / 2, sl, sq,
                 (sl > 0 ? sprintf("%.2f", sq / sl) : "-")
         }
     }' "$tmp/all.txt" | sort
