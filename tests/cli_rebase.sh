#!/usr/bin/env bash
# A rebased scenario end to end (configs/rebase-2025.cfg and its variants,
# small -n): it runs, its summary starts from the 2025 anchors, its bytes are
# the same for any thread count, and bad input for the base-year anchors (a
# missing anchor, an anchor outside its range, anchors of another year, a
# mix that does not sum to 1, a penalty the measures in force exceed, a
# foreign-owned fraction that contradicts the anchors, a measure lifted
# before it starts) is refused with one
# "gapsim: FILE:LINE: ..." line, exit status 2 and nothing written.
#
#   bash cli_rebase.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$1" "$2" "$3"
cd "$src" || exit 1

# --- runs and starts from the 2025 state ----------------------------------
for cfg in rebase-2025 rebase-2025-euv2030 rebase-2025-duv2026 rebase-2025-fund4 rebase-2025-stockpile; do
    if "$gapsim" run "configs/$cfg.cfg" -n 48 --threads 1 --no-plots -q -o "$scratch/$cfg" \
        2>"$scratch/$cfg.err"; then ok; else bad "$cfg did not run: $(cat "$scratch/$cfg.err")"; fi
done
sum=$scratch/rebase-2025/summary.txt
grep -q '^  2025    23.3% (23.3-23.3%)      9.2% (9.2-9.2%)         30.0% (30.0-30.0%)' "$sum" &&
    ok || bad "the summary does not start from the 2025 anchors"
grep -q '^  2040 ' "$sum" && ok || bad "the summary does not run to 2040"
# The first year of quantiles.csv is the base year, at the anchors.
python3 - "$scratch/rebase-2025/quantiles.csv" <<'EOF' && ok || bad "quantiles.csv's 2025 is not the anchors"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
years = sorted({int(r["year"]) for r in rows})
assert years[0] == 2025 and years[-1] == 2040, years
want = {"share_made_in_china": 0.233, "share_china_hq": 0.092, "share_csia": 0.30,
        "premium_7": 0.45, "leader_node_nm": 7.0, "tools_china": 49.6}
for r in rows:
    if int(r["year"]) == 2025 and r["variable"] in want:
        for q in ("p05", "p50", "p95"):
            v = float(r[q])
            assert abs(v - want[r["variable"]]) <= 1e-9 * max(1, abs(v)), (r["variable"], q, v)
        want.pop(r["variable"])
assert not want, want
EOF

# EUV access from 2030: the EUV measure is in force to 2029 and lifted for
# good from 2030 (controls.euv.lifted) in every trajectory.
python3 - "$scratch/rebase-2025-euv2030/quantiles.csv" <<'EOF2' && ok || bad "euv2030: the EUV measure is not lifted in 2030"
import csv, sys
p = {int(r["year"]): (float(r["p05"]), float(r["p95"]))
     for r in csv.DictReader(open(sys.argv[1])) if r["variable"] == "control_euv"}
assert all(p[y] == (1.0, 1.0) for y in range(2025, 2030)), p
assert all(p[y] == (0.0, 0.0) for y in range(2030, 2041)), p
EOF2

# A stockpiled tool wave: the tool money that becomes capacity in 2025 lies
# between the 2021-22 level and the 2024 billings, and with less of it (the
# same random numbers otherwise) the 2030 made-in-China share is lower at
# every reported quantile than the rebase's.
python3 - "$scratch/rebase-2025-stockpile/quantiles.csv" "$scratch/rebase-2025/quantiles.csv" <<'EOF3' && ok || bad "stockpile: tools or shares not as the variant says"
import csv, sys
def q(path, var, year):
    for r in csv.DictReader(open(path)):
        if r["variable"] == var and int(r["year"]) == year:
            return [float(r[k]) for k in ("p05", "p25", "p50", "p75", "p95")]
    raise SystemExit(f"{var} {year} missing in {path}")
t = q(sys.argv[1], "tools_china", 2025)
assert 29.0 <= t[0] and t[-1] <= 49.6 and t[0] < t[-1], t
s, r = q(sys.argv[1], "share_made_in_china", 2030), q(sys.argv[2], "share_made_in_china", 2030)
assert all(a < b for a, b in zip(s, r)), (s, r)
EOF3

# --- the same bytes for any thread count ------------------------------------
"$gapsim" run configs/rebase-2025.cfg -n 48 --threads 2 --no-plots -q -o "$scratch/t2" 2>/dev/null
for f in quantiles.csv summary.txt targets.csv milestones.csv tranches.csv year_gap_dist.csv; do
    cmp -s "$scratch/rebase-2025/$f" "$scratch/t2/$f" && ok || bad "$f differs between 1 and 2 threads"
done

# --- the rebase posterior's calibration ------------------------------------
# observed.cfg to 2025 scores yield_7_2024, a bound ("below 50 %"): only a
# yield above it is a miss.  Read as a first-year observation it gave every
# trajectory a distance of about 2000 (a year in its residual), the
# tolerance could not fall and the posterior was the prior.  Distances are
# root mean squares of residuals scaled to the prior's spread: with the
# bound read right the first tolerance is of order 1 (0.99 at population
# 1500), far below 100.
"$gapsim" calibrate configs/observed.cfg --until 2025 --population 16 -n 4 --generations 1 \
    --params leader.learning,capacity.turnover --no-plots -q -o "$scratch/cal" 2>"$scratch/cal.err" &&
    ok || bad "calibrate observed.cfg: $(cat "$scratch/cal.err")"
awk '$1 == "1" { t = $2 } END { exit !(t != "" && t + 0 < 100) }' "$scratch/cal/calibration.txt" &&
    ok || bad "a bound observation dominates the distance: $(grep -A3 '^  generation' "$scratch/cal/calibration.txt")"
grep -q 'yield_7_2024 .* <= 0.5 ' "$scratch/cal/calibration.txt" && ok ||
    bad "calibration.txt does not show yield_7_2024 as a bound"
# The shipped posterior's columns are parameters rebase-2025.cfg gives as
# distributions (else parameters_from refuses it: checked by the runs above),
# and a column the scenario gives as a constant is refused.
mkdir -p "$scratch/cfg"
sed -e 's/^  base = 49.6;/  base = 49.6;\n  noise = 0.12;/' configs/rebase-2025.cfg >"$scratch/cfg/const_col.cfg"
rc=0
GAPSIM_PATH="$src/configs" "$gapsim" run "$scratch/cfg/const_col.cfg" -n 8 --no-plots -q \
    -o "$scratch/out-const" 2>"$scratch/const.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q 'observed-2025.csv:1: column "tools.noise"' "$scratch/const.err" && ok ||
    bad "a posterior column given as a constant: exit $rc, $(cat "$scratch/const.err")"

# --- bad input ---------------------------------------------------------------
# A copy of the scenario with one line changed, beside the files it inherits.
variant() { # NAME SED-EXPRESSION
    sed -e "$2" configs/rebase-2025.cfg >"$scratch/cfg/$1.cfg"
    cmp -s configs/rebase-2025.cfg "$scratch/cfg/$1.cfg" && bad "$1: the edit changed nothing"
}
refused() { # NAME KEY: exit 2, one "gapsim: FILE:LINE:" line naming KEY, no output folder
    local name=$1 key=$2 rc=0
    GAPSIM_PATH="$src/configs" "$gapsim" run "$scratch/cfg/$name.cfg" -n 8 --no-plots -q \
        -o "$scratch/out-$name" 2>"$scratch/$name.err" || rc=$?
    [ "$rc" -eq 2 ] && ok || bad "$name: exit $rc, not 2"
    [ "$(wc -l <"$scratch/$name.err")" -eq 1 ] && ok || bad "$name: not one line: $(cat "$scratch/$name.err")"
    grep -q "^gapsim: $scratch/cfg/$name.cfg:[0-9][0-9]*: .*$key" "$scratch/$name.err" && ok ||
        bad "$name: no FILE:LINE naming $key: $(cat "$scratch/$name.err")"
    [ ! -e "$scratch/out-$name" ] && ok || bad "$name: wrote $scratch/out-$name"
}
variant missing_mix '/^  leader_mix = /d'
refused missing_mix 'anchors.leader_mix'
variant missing_penalty '/^  leader_penalty = /d'
refused missing_penalty 'anchors.leader_penalty'
variant hq_above_one 's/^  china_hq = 0.092;/  china_hq = 1.5;/'
refused hq_above_one 'anchors.china_hq'
variant mix_above_one 's/^  leader_mix = .*/  leader_mix = [1.2, -0.1, -0.05, -0.05];/'
refused mix_above_one 'anchors.leader_mix'
variant mix_sum 's/^  leader_mix = .*/  leader_mix = [0.8, 0.1, 0.1, 0.1];/'
refused mix_sum 'anchors.leader_mix'
variant other_year 's/^  base_year = 2025; /  base_year = 2024; /'
refused other_year 'anchors.year'
variant low_penalty 's/^  leader_penalty = 0.45;/  leader_penalty = 0.1;/'
refused low_penalty 'anchors.leader_penalty'
variant foreign 's/^  foreign0 = 0.605;/  foreign0 = 0.65;/'
refused foreign 'ownership.foreign0'
# A measure lifted before it can start (the EUV variant's key, wrong).
sed -e 's/^  euv = { lifted = 2030; };/  euv = { lifted = 2019; };/' configs/rebase-2025-euv2030.cfg \
    >"$scratch/cfg/lifted_early.cfg"
cp configs/rebase-2025.cfg "$scratch/cfg/rebase-2025.cfg"
refused lifted_early 'controls.euv.lifted'

gs_test_end cli_rebase
