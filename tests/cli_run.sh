#!/usr/bin/env bash
# End to end: every scenario of configs/ runs and writes the output folder
# that docs/outputs.md describes; results do not depend on the thread count
# or the locale; check, params, --help, --version and -q behave.
#
#   bash cli_run.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1
have_python=0
python3 -c 'import json' 2>/dev/null && have_python=1

# A value of manifest.json: a top-level key, or with python3 any expression
# on the parsed object m.
manifest_py() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print($2)" "$1"; }

# The first line of a CSV file, without its CRLF.
header() { head -n 1 "$1" | tr -d '\r'; }

# Headers as documented in docs/outputs.md.
declare -A headers=(
    [quantiles.csv]="year,variable,mean,sd,p05,p25,p50,p75,p95,flag"
    [targets.csv]="year,value,probability,ci_low,ci_high,first_year_p05,first_year_p50,first_year_p95,not_by_horizon,label,probability_by_year,by_ci_low,by_ci_high"
    [milestones.csv]="node_nm,probability,ci_low,ci_high,first_year_p05,first_year_p50,first_year_p95,not_by_horizon"
    [year_gap_dist.csv]="year,years_behind,probability,cdf"
    [tranches.csv]="name,start_year,size_bn_cny,paid_over_years,label"
)

# The files docs/outputs.md documents as always written (its "## NAME"
# sections, the opt-in ones apart).
mapfile -t doc_files < <(sed -n 's/^## \([a-z_]*\.[a-z]*\)$/\1/p' docs/outputs.md)
if [ "${#doc_files[@]}" -lt 7 ]; then
    bad "docs/outputs.md lists only ${#doc_files[@]} files"
fi
for f in "${doc_files[@]}"; do
    [ -n "${headers[$f]+x}" ] || case $f in *.csv) bad "no documented header known for $f" ;; esac
done
# The quantile variables: the backquoted names of the paragraph that starts
# with "Variables", in the order the file lists them.
mapfile -t doc_vars < <(sed -n '/^Variables/,/^$/p' docs/outputs.md | grep -o '`[a-z0-9_<>]*`' |
    tr -d '`' | awk '!seen[$0]++')
[ "${#doc_vars[@]}" -ge 12 ] && ok || bad "docs/outputs.md lists only ${#doc_vars[@]} variables"

# check_run DIR CONFIG: the output folder of one run.
check_run() {
    local dir=$1 cfg=$2 f
    for f in "${doc_files[@]}"; do
        if [ ! -s "$dir/$f" ]; then
            bad "$cfg: $f missing or empty"
            return
        fi
    done
    if ls -a "$dir" | grep -q '\.tmp\.'; then
        bad "$cfg: temporary files left in $dir"
    fi
    for f in "${!headers[@]}"; do
        [ "$(header "$dir/$f")" = "${headers[$f]}" ] && ok ||
            bad "$cfg: $f header is '$(header "$dir/$f")'"
    done
    # No line with a field count other than the header's (no quoted fields
    # in these files).
    for f in quantiles.csv milestones.csv year_gap_dist.csv tranches.csv; do
        tr -d '\r' <"$dir/$f" | awk -F, 'NR == 1 { n = NF } NF != n { exit 1 }' && ok ||
            bad "$cfg: $f has rows with another number of fields"
    done

    local t0 T segs ntargets
    if [ "$have_python" -eq 1 ]; then
        if ! manifest_py "$dir/manifest.json" 'm["seed"], m["trajectories"], m["config_hash"]' >/dev/null 2>&1; then
            bad "$cfg: manifest.json does not parse or lacks seed/trajectories/config_hash"
            return
        fi
        ok
        manifest_py "$dir/manifest.json" 'm["config_hash"].startswith("fnv1a64:") and len(m["config_hash"]) == 24' |
            grep -qx True && ok || bad "$cfg: config_hash is not fnv1a64:<16 hex>"
        t0=$(manifest_py "$dir/manifest.json" 'm["scenario"]["base_year"]')
        T=$(manifest_py "$dir/manifest.json" 'm["scenario"]["horizon"]')
        segs=$(manifest_py "$dir/manifest.json" '" ".join(m["controls"])')
        ntargets=$(manifest_py "$dir/manifest.json" 'len(m["targets"])')
    else
        for k in seed trajectories config_hash; do
            grep -q "\"$k\":" "$dir/manifest.json" && ok || bad "$cfg: manifest.json has no $k"
        done
        t0=$(grep -o '"base_year": [0-9]*' "$dir/manifest.json" | grep -o '[0-9]*$')
        T=$(grep -o '"horizon": [0-9]*' "$dir/manifest.json" | grep -o '[0-9]*$')
        segs=$("$gapsim" check "$cfg" | sed -n 's/^controls\.\([^.]*\)\.law = .*/\1/p' | tr '\n' ' ')
        ntargets=$("$gapsim" check "$cfg" | sed -n 's/^targets\.years = \[\(.*\)\].*/\1/p' | tr ',' '\n' | grep -c '[0-9]')
    fi

    # Every documented variable (control_<m> for each measure, PREFIX<rung>
    # for each rung) in every year, once; rows grouped by variable with the
    # years ascending.
    local vars=() v s
    local rungs="mature 28nm 14nm 7nm 5nm 3nm 2nm 1p4nm"
    for v in "${doc_vars[@]}"; do
        case $v in
        "control_<m>") for s in $segs; do vars+=("control_$s"); done ;;
        "penalty_<rung>") for s in $rungs; do [ "$s" = mature ] || vars+=("penalty_$s"); done ;;
        *"_<rung>") for s in $rungs; do vars+=("${v%<rung>}$s"); done ;;
        *) vars+=("$v") ;;
        esac
    done
    local want got
    want=$(for v in "${vars[@]}"; do for ((y = t0; y <= T; y++)); do echo "$y,$v"; done; done | sort)
    got=$(tr -d '\r' <"$dir/quantiles.csv" | tail -n +2 | cut -d, -f1,2 | sort)
    [ "$want" = "$got" ] && ok || bad "$cfg: quantiles.csv rows are not every variable for every year $t0-$T"
    tr -d '\r' <"$dir/quantiles.csv" | tail -n +2 | awk -F, '
        $2 != v { if (seen[$2]++) exit 1; v = $2; y = $1 - 1 }
        { if ($1 != y + 1) exit 1; y = $1 }' && ok ||
        bad "$cfg: quantiles.csv rows not grouped by variable with years ascending"
    got=$(tr -d '\r' <"$dir/quantiles.csv" | tail -n +2 | cut -d, -f2 | uniq | tr '\n' ' ')
    [ "$got" = "${vars[*]} " ] && ok ||
        bad "$cfg: quantiles.csv variables in the order '$got', documented: '${vars[*]}'"

    [ "$(($(wc -l <"$dir/targets.csv") - 1))" -eq "$ntargets" ] && ok ||
        bad "$cfg: targets.csv does not have one row per target ($ntargets)"
}

# 1. Every scenario.
n_cfg=0
for cfg in configs/*.cfg; do
    name=$(basename "$cfg" .cfg)
    out="$scratch/run_$name"
    if "$gapsim" run "$cfg" -n 600 --no-plots -o "$out" >"$scratch/stdout" 2>"$scratch/stderr"; then
        ok
        check_run "$out" "$cfg"
    else
        bad "$cfg: run failed: $(cat "$scratch/stderr")"
    fi
    n_cfg=$((n_cfg + 1))
done
[ "$n_cfg" -ge 5 ] && ok || bad "only $n_cfg scenarios in configs/"

# 2. The base year of the baseline is its initial state: no spread at all.
row=$(tr -d '\r' <"$scratch/run_baseline/quantiles.csv" | grep '^2014,share_csia,')
[ "$(echo "$row" | cut -d, -f3,4,5,7,9)" = "0.29,0,0.29,0.29,0.29" ] && ok ||
    bad "baseline 2014 share_csia: $row"

# 3. Threads change nothing: CSV files byte for byte.
"$gapsim" run configs/baseline.cfg -n 1500 --seed 77 --threads 1 --no-plots -q -o "$scratch/t1" &&
    "$gapsim" run configs/baseline.cfg -n 1500 --seed 77 --threads 2 --no-plots -q -o "$scratch/t2"
check "runs for the thread comparison" test $? -eq 0
for f in "$scratch"/t1/*.csv "$scratch"/t1/summary.txt; do
    cmp -s "$f" "$scratch/t2/$(basename "$f")" && ok || bad "threads 1 and 2 differ in $(basename "$f")"
done

# 4. The opt-in files.
"$gapsim" run configs/baseline.cfg -n 300 --write-parameters --write-trajectories 5 --no-plots -q \
    -o "$scratch/optin"
check "run with --write-parameters --write-trajectories" test $? -eq 0
check "parameters.csv: a header and 300 rows" test "$(wc -l <"$scratch/optin/parameters.csv")" -eq 301
check "parameters.csv header" test "$(header "$scratch/optin/parameters.csv" | cut -d, -f1)" = trajectory
check "trajectories.csv header" test "$(header "$scratch/optin/trajectories.csv")" = "trajectory,year,variable,value"
n2014=$(tr -d '\r' <"$scratch/optin/trajectories.csv" | awk -F, '$2 == 2014 && $3 == "share_csia"' | wc -l)
ok2014=$(tr -d '\r' <"$scratch/optin/trajectories.csv" |
    awk -F, '$2 == 2014 && $3 == "share_csia" && $4 - 0.29 < 1e-12 && 0.29 - $4 < 1e-12' | wc -l)
check "trajectories.csv: 5 trajectories with a 2014 share of 0.29 ($ok2014 of $n2014)" \
    test "$n2014" -eq 5 -a "$ok2014" -eq 5

# 5. check and params list the same parameters, and every pattern of the
# tables is used by the baseline.
"$gapsim" check configs/baseline.cfg >"$scratch/check.txt"
check "gapsim check exits 0" test $? -eq 0
"$gapsim" params >"$scratch/params.txt"
check "gapsim params exits 0" test $? -eq 0
"$gapsim" params configs/baseline.cfg >"$scratch/params_cfg.txt"
check "gapsim params CONFIG exits 0" test $? -eq 0
grep -v '^#' "$scratch/check.txt" | sed 's/ = .*//' | sort >"$scratch/check_paths"
grep -v '^ ' "$scratch/params_cfg.txt" | sort >"$scratch/params_cfg_paths"
check "check and params CONFIG list the same paths" cmp -s "$scratch/check_paths" "$scratch/params_cfg_paths"
missing=0
while read -r pattern; do
    re="^$(echo "$pattern" | sed 's/\./\\./g; s/\*/[^.]*/g')\$"
    grep -q "$re" "$scratch/check_paths" || {
        missing=1
        echo "  $pattern is not in gapsim check configs/baseline.cfg" >&2
    }
done < <(grep -v '^ ' "$scratch/params.txt")
check "every parameter of gapsim params appears in gapsim check" test "$missing" -eq 0
for cfg in configs/*.cfg; do
    "$gapsim" check "$cfg" >/dev/null && ok || bad "gapsim check $cfg"
done

# 6. --help, --version, -q.
out=$("$gapsim" --help)
check "gapsim --help" test $? -eq 0 -a -n "$out"
out=$("$gapsim" run --help)
check "gapsim run --help" test $? -eq 0 -a -n "$out"
ver=$("$gapsim" --version)
check "gapsim --version" test $? -eq 0
if [ "$have_python" -eq 1 ]; then
    check "--version matches the manifest ($ver)" test "$ver" = \
        "gapsim $(manifest_py "$scratch/run_baseline/manifest.json" 'm["gapsim_version"]')"
fi
"$gapsim" run configs/baseline.cfg -n 100 --no-plots -q -o "$scratch/quiet" >"$scratch/q.out" 2>"$scratch/q.err"
check "-q run succeeds" test $? -eq 0
check "-q prints nothing" test ! -s "$scratch/q.out" -a ! -s "$scratch/q.err"
"$gapsim" run configs/baseline.cfg -n 100 --no-plots -o "$scratch/loud" >"$scratch/l.out" 2>/dev/null
check "without -q the summary is printed" grep -q "Outputs in" "$scratch/l.out"

# 7. A locale with a decimal comma changes nothing in the files.
de=$(locale -a 2>/dev/null | grep -i -m1 '^de_DE\.utf-\?8$')
if [ -n "$de" ]; then
    LC_ALL=$de "$gapsim" run configs/baseline.cfg -n 1500 --seed 77 --threads 1 --no-plots -q \
        -o "$scratch/de"
    check "run under $de" test $? -eq 0
    for f in "$scratch"/t1/*.csv; do
        cmp -s "$f" "$scratch/de/$(basename "$f")" && ok || bad "$de changes $(basename "$f")"
    done
elif [ "${GAPSIM_CI:-0}" = 1 ]; then
    bad "no de_DE.UTF-8 locale: .ci/setup-debian generates it, so CI must run this check"
else
    echo "cli_run: skipped the locale check (no de_DE.UTF-8 locale installed)"
fi

# 8. Charts, when gnuplot is there.
if command -v gnuplot >/dev/null 2>&1; then
    "$gapsim" run configs/baseline.cfg -n 600 -q -o "$scratch/plots" 2>"$scratch/plots.err"
    check "run with charts" test $? -eq 0
    check "no chart warnings: $(head -c 300 "$scratch/plots.err")" test ! -s "$scratch/plots.err"
    n_png=$(find "$scratch/plots" -name '*.png' -size +1k | wc -l)
    check "charts written ($n_png png files)" test "$n_png" -ge 1
else
    echo "cli_run: skipped the chart run (no gnuplot on PATH)"
fi

# 9. Without gnuplot: the run still succeeds, its CSV files are whole, no
# chart or temporary file is left, and one warning names the missing program.
mkdir -p "$scratch/emptybin"
PATH="$scratch/emptybin" "$gapsim" run configs/baseline.cfg -n 300 -q -o "$scratch/nognuplot" \
    2>"$scratch/nognuplot.err"
check "run without gnuplot exits 0" test $? -eq 0
check "the warning names gnuplot" grep -q '^gapsim: warning: gnuplot not found on PATH' \
    "$scratch/nognuplot.err"
for f in quantiles.csv targets.csv milestones.csv year_gap_dist.csv tranches.csv summary.txt \
    manifest.json; do
    check "$f written without gnuplot" test -s "$scratch/nognuplot/$f"
done
check "no chart without gnuplot" test -z "$(find "$scratch/nognuplot" -name '*.png')"
check "no temporary file without gnuplot" test -z "$(find "$scratch/nognuplot" -name '.*')"

gs_test_end cli_run
