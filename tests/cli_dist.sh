#!/usr/bin/env bash
# Distribution families end to end: runs with the newer families, percentile
# forms and truncation set from the command line draw values inside their
# bounds, reproduce their percentiles and the same bytes for any thread
# count; shapes beyond the numeric domain end check, run and sweep at once
# with a located message instead of hanging.
#
#   bash cli_dist.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1

# column NAME FILE: the values of a CSV column, one a line.
column() {
    awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                          { print $c }' "$2"
}

# run_with NAME N PATH=VALUE [more gapsim options]: a run that must succeed.
run_with() {
    local name=$1 n=$2 set=$3
    shift 3
    if ! timeout 120 "$gapsim" run configs/baseline.cfg -n "$n" --no-plots -q --write-parameters \
        --set "$set" -o "$scratch/$name" "$@" 2>"$scratch/$name.err"; then
        bad "$name: run failed: $(cat "$scratch/$name.err")"
        return 1
    fi
    return 0
}

# 1. Truncated families stay within [min, max] (and reach near both ends).
while read -r name path lo hi value; do
    run_with "$name" 600 "$path=$value" || continue
    column "$path" "$scratch/$name/parameters.csv" >"$scratch/$name.col"
    if awk -v lo="$lo" -v hi="$hi" '$1 < lo || $1 > hi { exit 1 }' "$scratch/$name.col" &&
        [ "$(wc -l <"$scratch/$name.col")" -eq 600 ]; then
        ok
    else
        bad "$name: $path drawn outside [$lo, $hi] or not 600 values"
    fi
done <<'CASES'
gamma_trunc leader.penalty0.euv 1.0 6.0 {dist="gamma";shape=3.0;scale=1.2;min=1.0;max=6.0;}
weibull_trunc leader.penalty0.euv 0 8.0 {dist="weibull";shape=1.5;scale=3.0;max=8.0;}
lognormal_trunc leader.penalty0.euv 0 20.0 {dist="lognormal";median=2.7;sigma=0.8;max=20.0;}
t_trunc leader.penalty0.euv 0.5 9.0 {dist="student_t";df=2.0;loc=3.0;scale=1.0;min=0.5;max=9.0;}
normal_trunc ownership.failure_share 0 1 {dist="normal";mean=0.6;sd=0.3;min=0.0;max=1.0;}
loguniform leader.penalty0.euv 0.5 12.0 {dist="loguniform";min=0.5;max=12.0;}
beta_narrow ownership.failure_share 0.45 0.55 {dist="beta";alpha=1e4;beta=1e4;}
CASES

# 2. A percentile form gives its percentiles back.  2000 draws; the empirical
# 10th percentile of a plain sample has a standard error of
# sqrt(0.1 * 0.9 / 2000) / f(1.5) = 0.034 (density f(1.5) = 0.2 for this
# gamma), the 90th 0.05 (f(4.0) = 0.13); Latin hypercube strata make both
# smaller.  0.2 is four of the larger.
if run_with gamma_pct 2000 'leader.penalty0.euv={dist="gamma";p10=1.5;p90=4.0;}'; then
    column leader.penalty0.euv "$scratch/gamma_pct/parameters.csv" | sort -g >"$scratch/gamma_pct.sorted"
    p10=$(sed -n 200p "$scratch/gamma_pct.sorted")
    p90=$(sed -n 1800p "$scratch/gamma_pct.sorted")
    if awk -v a="$p10" -v b="$p90" 'BEGIN { exit !(a > 1.3 && a < 1.7 && b > 3.8 && b < 4.2) }'; then
        ok
    else
        bad "gamma_pct: empirical p10 $p10 and p90 $p90, want 1.5 and 4.0 within 0.2"
    fi
fi

# 3. Same seed, same bytes for any thread count.
set_t='leader.penalty0.euv={dist="student_t";df=3.0;loc=3.0;scale=0.5;min=0.0;max=20.0;}'
if run_with t1 700 "$set_t" --threads 1 && run_with t2 700 "$set_t" --threads 2; then
    for f in parameters.csv quantiles.csv targets.csv; do
        if cmp -s "$scratch/t1/$f" "$scratch/t2/$f"; then ok; else bad "$f differs between 1 and 2 threads"; fi
    done
fi

# 4. check describes the canonical form: a bounded normal is a truncnormal.
out=$("$gapsim" check configs/baseline.cfg --set 'ownership.failure_share={dist="normal";mean=0.6;sd=0.3;min=0.0;max=1.0;}' 2>&1)
if grep -q 'ownership.failure_share = truncnormal(mean=0.6, sd=0.3, min=0, max=1)' <<<"$out"; then
    ok
else
    bad "check does not describe the bounded normal as a truncnormal: $out"
fi

# 5. Shapes beyond the domain: check, run and sweep stop with exit status 2
# and the located message (they hung in GSL's inverse beta before).
want="ownership.failure_share: alpha = 1e+300 is outside [0.001, 100000]"
huge='ownership.failure_share={dist="beta";alpha=1e300;beta=1e300;}'
for cmd in check run; do
    out_opt=()
    [ "$cmd" = run ] && out_opt=(-o "$scratch/huge_run")
    timeout 20 "$gapsim" "$cmd" configs/baseline.cfg --set "$huge" "${out_opt[@]}" \
        >/dev/null 2>"$scratch/huge_$cmd.err"
    rc=$?
    if [ "$rc" -eq 2 ] && grep -qF "$want" "$scratch/huge_$cmd.err"; then
        ok
    else
        bad "$cmd with beta(1e300, 1e300): exit $rc, $(cat "$scratch/huge_$cmd.err")"
    fi
done
cat >"$scratch/huge.cfg" <<'CFG'
inherit = "SRC/configs/baseline.cfg";
ownership = { failure_share = { dist = "beta"; alpha = 1e300; beta = 1e300; }; };
CFG
sed -i "s|SRC|$(pwd)|" "$scratch/huge.cfg"
cat >"$scratch/huge_sweep.cfg" <<CFG
sweep = {
  name = "huge";
  base = "$scratch/huge.cfg";
  method = "oat";
  metrics = ["target:2030"];
  parameters = ( { path = "leader.penalty0.euv"; min = 1.0; max = 4.0; } );
};
CFG
timeout 20 "$gapsim" sweep "$scratch/huge_sweep.cfg" -n 20 --no-plots -o "$scratch/huge_sw" \
    >/dev/null 2>"$scratch/huge_sweep.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -qF "$scratch/huge.cfg:2: $want" "$scratch/huge_sweep.err"; then
    ok
else
    bad "sweep over beta(1e300, 1e300): exit $rc, $(cat "$scratch/huge_sweep.err")"
fi

gs_test_end cli_dist
