#!/usr/bin/env bash
# Runs every sweep in configs/sweeps/ with a small number of trajectories and
# checks what any sane version of the model must satisfy:
#   - (no fund invariant: a larger fund lifts the share, which slows the
#     non-fund tool spending that follows through its saturation brake,
#     tools.saturation, so near saturation a larger fund can end lower; the
#     sweeps show it, docs/sensitivity.md explains it)
#   - a harsher export control (higher hazard, longer step delay rho, larger
#     cost penalty pi, more blocked money zeta) never shrinks the node gap
#     (gen_gap, year_gap) nor moves the leader's first years earlier; it may
#     raise a share (substitution, money pushed to mature rungs), so shares
#     carry no control invariant;
#   - Sobol' indices lie in [0, 1] within their intervals, and the
#     first-order ones sum to at most one within their intervals;
#   - Morris mu* >= |mu|.
# Monotonicity is checked between design points that differ in that one
# parameter only and share their seed: with common random numbers every
# trajectory sees the same draws, so a model that is monotone trajectory by
# trajectory is monotone in every statistic above, exactly (ties allowed).
#
# usage: sweep-invariants.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR" >&2
    exit 2
fi
gapsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
scratch=$3
N=${SWEEP_INVARIANTS_N:-400}
export LC_ALL=C
rm -rf "$scratch" && mkdir -p "$scratch" || { echo "sweep-invariants: cannot make $scratch"; exit 1; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; }

# Monotone pairs in points.csv: prints "ok ..." per (parameter, metric) pair
# checked and "FAILED ..." per violation.
monotone_awk='
BEGIN { FS = "," }
function dir(p, m) {
    if (p ~ /^controls\.[^.]+\.(hazard|rho|pi|zeta)$/ &&
        (m ~ /^(gen_gap|year_gap)@[0-9]+:(mean|p[0-9]+)$/ || m ~ /^milestone:/))
        return 1
    return 0
}
NR == 1 {
    nc = NF
    for (i = 3; i <= NF; i++) {
        name[i] = $i
        if (index($i, ":")) metric[++nm] = i; else param[++np] = i
    }
    next
}
{ nr++; for (i = 1; i <= NF; i++) v[nr, i] = $i }
END {
    for (a = 1; a <= np; a++) for (b = 1; b <= nm; b++) {
        pc = param[a]; mc = metric[b]
        s = dir(name[pc], name[mc])
        if (!s) continue
        split("", list); split("", keys); nk = 0
        for (r = 1; r <= nr; r++) {
            if (v[r, pc] == "" || v[r, mc] == "") continue
            key = v[r, 2]
            for (c = 1; c <= np; c++) if (param[c] != pc) key = key "|" v[r, param[c]]
            if (!(key in list)) { keys[++nk] = key; list[key] = "" }
            list[key] = list[key] " " r
        }
        comps = 0; bad = 0
        for (k = 1; k <= nk; k++) {
            n = split(list[keys[k]], idx, " ")
            # insertion sort of the rows by the parameter value
            for (i = 2; i <= n; i++) {
                t = idx[i]; j = i - 1
                while (j >= 1 && v[idx[j], pc] + 0 > v[t, pc] + 0) { idx[j + 1] = idx[j]; j-- }
                idx[j + 1] = t
            }
            for (i = 1; i < n; i++) {
                r1 = idx[i]; r2 = idx[i + 1]
                x1 = v[r1, pc] + 0; x2 = v[r2, pc] + 0
                if (x2 <= x1) continue
                y1 = v[r1, mc] + 0; y2 = v[r2, mc] + 0
                tol = 1e-9 * (1 + (y1 < 0 ? -y1 : y1))
                comps++
                if (s * (y2 - y1) < -tol) {
                    bad++
                    if (bad <= 3)
                        printf "FAILED %s falls from %.10g to %.10g when %s rises from %.10g to %.10g (runs %s and %s, seed %s)\n", \
                            name[mc], y1, y2, name[pc], x1, x2, v[r1, 1], v[r2, 1], v[r1, 2]
                }
            }
        }
        if (comps > 0 && bad == 0)
            printf "ok %s never falls as %s rises (%d pairs of points)\n", name[mc], name[pc], comps
    }
}'

# Indices: sobol.csv / sobol_by_year.csv (label column, name, S1, S1_conf,
# ST, ST_conf) and morris.csv (metric, name, mu, mu_star, sigma, conf).
sobol_awk='
BEGIN { FS = ","; eps = 1e-9 }
NR == 1 { next }
$3 == "" { next }
{
    g = $1; seen[g] = 1
    s1 = $3 + 0; c1 = $4 + 0; st = $5 + 0; ct = $6 + 0
    if (s1 - c1 > 1 + eps || s1 + c1 < -eps)
        printf "FAILED %s %s: S1 = %.4g +/- %.4g lies outside [0, 1]\n", g, $2, s1, c1
    if (st - ct > 1 + eps || st + ct < -eps)
        printf "FAILED %s %s: ST = %.4g +/- %.4g lies outside [0, 1]\n", g, $2, st, ct
    sum[g] += s1; conf[g] += c1
}
END {
    for (g in seen) {
        n++
        if (sum[g] - conf[g] > 1 + eps)
            printf "FAILED %s: the first-order indices sum to %.4g, above 1 by more than their intervals (%.4g)\n", g, sum[g], conf[g]
    }
    printf "ok %d groups of indices checked\n", n
}'
morris_awk='
BEGIN { FS = "," }
NR == 1 { next }
{
    n++
    mu = $3 + 0; ms = $4 + 0; amu = mu < 0 ? -mu : mu
    if (ms < amu - 1e-12 * (1 + amu))
        printf "FAILED %s %s: mu* = %.10g is below |mu| = %.10g\n", $1, $2, ms, amu
}
END { printf "ok %d rows checked\n", n }'

report() { # what, output of an awk check
    local what=$1 out=$2 line
    if [ -z "$out" ]; then
        bad "$what: nothing to check"
        return
    fi
    if grep -q '^FAILED' <<<"$out"; then
        while IFS= read -r line; do
            case $line in FAILED*) bad "$what: ${line#FAILED }" ;; esac
        done <<<"$out"
    else
        while IFS= read -r line; do ok "$what: ${line#ok }"; done <<<"$out"
    fi
}

shopt -s nullglob
sweeps=("$src"/configs/sweeps/*.cfg)
if [ ${#sweeps[@]} -eq 0 ]; then
    bad "no sweep files in $src/configs/sweeps"
fi
for cfg in "${sweeps[@]}"; do
    name=$(basename "$cfg" .cfg)
    out="$scratch/$name"
    if ! "$gapsim" sweep "$cfg" -n "$N" --no-plots -q -o "$out" > "$scratch/$name.log" 2>&1; then
        bad "$name: gapsim sweep failed: $(tail -n 3 "$scratch/$name.log")"
        continue
    fi
    if [ -s "$out/summary.txt" ] && [ -s "$out/points.csv" ]; then
        ok "$name: ran, wrote summary.txt and points.csv"
    else
        bad "$name: summary.txt or points.csv missing"
        continue
    fi
    mono=$(awk "$monotone_awk" "$out/points.csv")
    # A sweep that moves no control has nothing to check here.
    [ -n "$mono" ] && report "$name monotonicity" "$mono"
    [ -f "$out/sobol.csv" ] && report "$name sobol.csv" "$(awk "$sobol_awk" "$out/sobol.csv")"
    [ -f "$out/sobol_by_year.csv" ] &&
        report "$name sobol_by_year.csv" "$(awk "$sobol_awk" "$out/sobol_by_year.csv")"
    [ -f "$out/morris.csv" ] && report "$name morris.csv" "$(awk "$morris_awk" "$out/morris.csv")"
done

echo "sweep-invariants: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
