#!/usr/bin/env bash
# The demand limit at the edge (docs/model.md 8.2): tool spending growing at
# the largest rate the parameter table allows (2 a year, e^2 a year) with no
# brake before full supply, against consumption that does not grow, to 2040.
# Capacity's output then passes consumption many times over; no made-in-China
# or China-HQ share may exceed 1 in any trajectory, year or percentile, and
# the limit must visibly act (utilisation far below 1).  The CSIA basis is a
# ratio: it may pass 1, and the summary must call it one.  Bad knees are
# refused.  Exact checks on every trajectory: no tolerance is involved.
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$1" "$2" "$3"
cd "$scratch" || exit 1

printf '%s\n' "inherit = \"$src/configs/baseline.cfg\";" \
    'scenario = { name = "fast"; title = "Edge: tools far outrun consumption"; description = "Tool growth 2 a year, no saturation brake before full supply, flat consumption, to 2040."; horizon = 2040; };' \
    'tools = { growth = 2.0; saturation = 1.0; };' \
    'market = { growth = 0.0; growth_noise = 0.001; };' >fast.cfg

if "$gapsim" run fast.cfg -n 300 --seed 7 --write-trajectories 300 --no-plots -q -o run \
    2>err.txt; then ok; else bad "the fast scenario does not run: $(cat err.txt)"; fi

# Every trajectory and year: the two shares of consumption are at most 1 and
# ordered; the limit is what holds them (capacity's output over consumption,
# production / utilisation / consumption, passes 1); utilisation is 1 in the
# base year.
check "shares within their bounds in every trajectory and year" python3 - run <<'EOF'
import csv, math, sys
v = {}
for r in csv.DictReader(open(sys.argv[1] + "/trajectories.csv")):
    v[(int(r["trajectory"]), int(r["year"]), r["variable"])] = float(r["value"])
keys = {(j, y) for (j, y, _) in v}
bad = 0
worst = 0.0
for j, y in sorted(keys):
    mic = v[(j, y, "share_made_in_china")]
    hq = v[(j, y, "share_china_hq")]
    cs = v[(j, y, "share_csia")]
    u = v[(j, y, "utilisation")]
    if not (0 <= hq <= mic <= 1) or not (0 < u <= 1) or not (math.isfinite(cs) and cs > 0):
        print(f"trajectory {j} year {y}: mic {mic} hq {hq} csia {cs} utilisation {u}")
        bad += 1
    if y == 2014 and u != 1:
        print(f"trajectory {j}: utilisation {u} in the base year")
        bad += 1
    pot = v[(j, y, "production_in_china")] / u / v[(j, y, "consumption")]
    worst = max(worst, pot)
if worst < 10:
    print(f"capacity's output reaches only {worst} times consumption: not an edge")
    bad += 1
sys.exit(1 if bad else 0)
EOF

# Every percentile and the mean of every year in quantiles.csv; the limit is
# visibly active (median utilisation in 2040 below 0.1) and the CSIA ratio
# does pass 1 in its upper tail (it is not bounded, and must not be).
check "quantiles within their bounds, the limit active" python3 - run <<'EOF'
import csv, sys
bad = 0
u40 = None
cs_max = 0.0
for r in csv.DictReader(open(sys.argv[1] + "/quantiles.csv")):
    var = r["variable"]
    cols = [float(r[c]) for c in ("mean", "p05", "p25", "p50", "p75", "p95") if r[c] != ""]
    if var in ("share_made_in_china", "share_china_hq", "utilisation"):
        if max(cols) > 1 or min(cols) < 0:
            print(f"{r['year']} {var}: {cols}")
            bad += 1
    if var == "utilisation" and r["year"] == "2040":
        u40 = float(r["p50"])
    if var == "share_csia":
        cs_max = max(cs_max, float(r["p95"]))
if u40 is None or not u40 < 0.1:
    print(f"median utilisation in 2040 is {u40}: the limit does not visibly act")
    bad += 1
if not cs_max > 1:
    print(f"the CSIA ratio's 95th percentile never passes 1 ({cs_max})")
    bad += 1
sys.exit(1 if bad else 0)
EOF

check "the summary calls the CSIA basis a ratio" grep -q 'CSIA ratio' run/summary.txt
check "the summary says the ratio may exceed 100%" grep -q 'may exceed 100%' run/summary.txt

# The baseline: utilisation 1 wherever the potential share is below the knee;
# the made-in-China share's 95th percentile stays below 1 in every year.
if "$gapsim" run "$src/configs/baseline.cfg" -n 2000 --threads 2 --no-plots -q -o base \
    --set scenario.horizon=2040 2>err.txt; then ok; else bad "baseline to 2040: $(cat err.txt)"; fi
check "baseline to 2040: every share percentile at most 1" python3 - base <<'EOF'
import csv, sys
bad = 0
for r in csv.DictReader(open(sys.argv[1] + "/quantiles.csv")):
    if r["variable"] in ("share_made_in_china", "share_china_hq"):
        if float(r["p95"]) >= 1:
            print(r)
            bad += 1
    if r["variable"] == "utilisation" and int(r["year"]) <= 2025 and float(r["p05"]) != 1:
        print("the limit acts in the record's years:", r)
        bad += 1
sys.exit(1 if bad else 0)
EOF

# Every interval the summary prints runs low-high, the frontier's node
# (nm, where lower is further ahead) included.
check "summary intervals run low-high" python3 - base/summary.txt <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
pairs = re.findall(r"\(([0-9.]+)%?-([0-9.]+)%?\)", text)
front = re.search(r"Frontier node \(nm\).*?\n\n", text, re.S)
bad = [p for p in pairs if float(p[0]) > float(p[1])]
if bad or len(pairs) < 20 or not front or len(re.findall(r"\(", front.group(0))) < 4:
    print("reversed:", bad, "found", len(pairs))
    sys.exit(1)
EOF

# A knee below the made-in-China anchor (0.151) would limit the base year:
# refused with the setting's origin, exit 2, no folder left behind.
"$gapsim" run "$src/configs/baseline.cfg" -n 50 --no-plots -q -o knee \
    --set market.demand_limit.knee=0.1 >/dev/null 2>err.txt
rc=$?
check "a knee below the anchor exits 2" test $rc -eq 2
check "a knee below the anchor names the key" grep -q '^gapsim: .*market.demand_limit.knee: 0.1 is below the made-in-China anchor' err.txt
check "a knee below the anchor leaves no folder" test ! -e knee
"$gapsim" run "$src/configs/baseline.cfg" -n 50 --no-plots -q -o knee2 \
    --set 'market.demand_limit.knee={dist="uniform";min=0.1;max=0.9;}' >/dev/null 2>err.txt
rc=$?
check "a knee distribution reaching below the anchor exits 2" test $rc -eq 2
"$gapsim" run "$src/configs/baseline.cfg" -n 50 --no-plots -q -o knee3 \
    --set market.demand_limit.knee=1.0 >/dev/null 2>err.txt
rc=$?
check "a knee of 1 (outside the range) exits 2" test $rc -eq 2

gs_test_end cli_shares
