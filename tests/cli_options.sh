#!/usr/bin/env bash
# The shared option parser (gs_cli_parse, sim/cli/cli_common.c): every
# command that takes -n, --seed, --threads, -o, --format or --observations
# refuses a bad value the same way, before any work: exit status 2, exactly
# one line on stderr naming the option and what it expected, nothing on
# stdout, no output folder made.  Likewise a missing value and an unknown
# option, and --help prints the usage on stdout with status 0.
#
#   bash cli_options.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1

# refused NAME WANT CMD ARGS...: gapsim CMD ARGS... -o FRESH exits 2 with the
# one stderr line WANT, prints nothing on stdout and makes no FRESH.
refused() {
    local name=$1 want=$2
    shift 2
    local fresh="$scratch/fresh"
    rm -rf "$fresh"
    "$gapsim" "$@" >"$scratch/out" 2>"$scratch/err"
    local rc=$?
    if [ "$rc" -ne 2 ]; then
        bad "$name: exit status $rc, expected 2 ($(head -n 1 "$scratch/err"))"
    elif [ "$(wc -l <"$scratch/err")" -ne 1 ] || [ "$(cat "$scratch/err")" != "$want" ]; then
        bad "$name: stderr"$'\n'"  got:  $(cat "$scratch/err")"$'\n'"  want: $want"
    elif [ -s "$scratch/out" ]; then
        bad "$name: printed on stdout: $(head -c 200 "$scratch/out")"
    elif [ -e "$fresh" ]; then
        bad "$name: made the output folder"
    else
        ok
    fi
}

whole() { echo "gapsim: $1: expected a whole number from $2 to $3, got \"$4\""; }
huge=99999999999999999999

# The commands that run a scenario or a sweep, their operand and their
# largest -n.
for spec in "run configs/baseline.cfg 10000000000" \
    "sweep configs/sweeps/fund2_oat.cfg 1000000000" \
    "backtest configs/baseline.cfg 10000000000" \
    "calibrate configs/baseline.cfg 100000"; do
    read -r c operand max <<<"$spec"
    a=("$c" "$src/$operand" -o "$scratch/fresh")
    refused "$c -n many" "$(whole -n 1 "$max" many)" "${a[@]}" -n many
    refused "$c -n 0" "$(whole -n 1 "$max" 0)" "${a[@]}" -n 0
    refused "$c -n 2.5" "$(whole -n 1 "$max" 2.5)" "${a[@]}" -n 2.5
    refused "$c -n huge" "$(whole -n 1 "$max" $huge)" "${a[@]}" -n $huge
    refused "$c --trajectories=-5" "$(whole -n 1 "$max" -5)" "${a[@]}" --trajectories=-5
    refused "$c --threads -1" "$(whole --threads 1 256 -1)" "${a[@]}" --threads -1
    refused "$c --threads 0" "$(whole --threads 1 256 0)" "${a[@]}" --threads 0
    refused "$c --threads 257" "$(whole --threads 1 256 257)" "${a[@]}" --threads 257
    refused "$c --seed x" "$(whole --seed 0 4294967295 x)" "${a[@]}" --seed x
    refused "$c --seed 2^32" "$(whole --seed 0 4294967295 4294967296)" "${a[@]}" --seed 4294967296
    refused "$c --seed -1" "$(whole --seed 0 4294967295 -1)" "${a[@]}" --seed -1
    for o in -n --trajectories --seed --threads; do
        refused "$c $o (no value)" \
            "gapsim: $c: option '$o' needs a value (see 'gapsim help $c')" "${a[@]}" "$o"
    done
    refused "$c -o (no value)" "gapsim: $c: option '-o' needs a value (see 'gapsim help $c')" \
        "$c" "$src/$operand" -o
    refused "$c --bogus" "gapsim: $c: unknown option '--bogus' (see 'gapsim help $c')" \
        "${a[@]}" --bogus
    refused "$c -qZ" "gapsim: $c: unknown option '-Z' (see 'gapsim help $c')" "${a[@]}" -qZ
    refused "$c -o -" \
        "gapsim: $c: -o - would be standard output, but $c writes a folder of files: give a folder" \
        "$c" "$src/$operand" -o -
    "$gapsim" "$c" --help >"$scratch/out" 2>"$scratch/err"
    check "$c --help: status 0, the usage on stdout, nothing on stderr" \
        test $? -eq 0 -a ! -s "$scratch/err" -a "$(head -c 14 "$scratch/out")" = "usage: gapsim "
    "$gapsim" help "$c" | cmp -s - "$scratch/out"
    check "gapsim help $c is $c --help" test $? -eq 0
done

for c in run sweep; do
    [ $c = run ] && operand=configs/baseline.cfg || operand=configs/sweeps/fund2_oat.cfg
    refused "$c --format gif" \
        'gapsim: unknown chart format "gif": use png, svg or pdf, comma-separated' \
        $c "$src/$operand" -o "$scratch/fresh" --format gif
done

for c in backtest calibrate; do
    refused "$c --observations (no value)" \
        "gapsim: $c: option '--observations' needs a value (see 'gapsim help $c')" \
        $c "$src/configs/baseline.cfg" -o "$scratch/fresh" --observations
    refused "$c --until 1900" "$(whole --until 1950 2300 1900)" \
        $c "$src/configs/baseline.cfg" -o "$scratch/fresh" --until 1900
done

# discover reads its options before any table.
d=(discover --inputs x.csv --outcomes y.csv --where "a > 1" -o "$scratch/fresh")
refused "discover --seed x" "$(whole --seed 0 4294967295 x)" "${d[@]}" --seed x
refused "discover --resample 0" "$(whole --resample 1 10000 0)" "${d[@]}" --resample 0
refused "discover --threshold 2" 'gapsim: --threshold: expected a number from 0 to 1, got "2"' \
    "${d[@]}" --threshold 2
refused "discover --alpha x" 'gapsim: --alpha: expected a number from 1e-06 to 0.49, got "x"' \
    "${d[@]}" --alpha x
refused "discover --seed (no value)" \
    "gapsim: discover: option '--seed' needs a value (see 'gapsim help discover')" "${d[@]}" --seed
refused "discover --bogus" "gapsim: discover: unknown option '--bogus' (see 'gapsim help discover')" \
    "${d[@]}" --bogus
refused "discover -o -" \
    "gapsim: discover: -o - would be standard output, but discover writes a folder of files: give a folder" \
    discover --inputs x.csv --outcomes y.csv --where "a > 1" -o -

# plot and compare: -f, -s, -q; plot has no -o.
refused "plot -s 10" 'gapsim: chart size "10" is not WIDTHxHEIGHT, e.g. 1600x900' plot "$scratch" -s 10
refused "plot -f (no value)" "gapsim: plot: option '-f' needs a value (see 'gapsim help plot')" \
    plot "$scratch" -f
refused "plot -o" "gapsim: plot: unknown option '-o' (see 'gapsim help plot')" plot "$scratch" -o x
refused "plot --output" "gapsim: plot: unknown option '--output' (see 'gapsim help plot')" \
    plot "$scratch" --output x
refused "compare -o (no value)" "gapsim: compare: option '-o' needs a value (see 'gapsim help compare')" \
    compare "$scratch" "$scratch" -o

# check and params: --set only.
refused "check --set (no value)" "gapsim: check: option '--set' needs a value (see 'gapsim help check')" \
    check "$src/configs/baseline.cfg" --set
refused "params -q" "gapsim: params: unknown option '-q' (see 'gapsim help params')" params -q

# sensitivity keeps SALib's option names and messages; its unknown options
# and missing values answer as every command's.
refused "sensitivity sample -N 0" \
    "gapsim: -N '0' is not a positive whole number (see 'gapsim sensitivity --help')" \
    sensitivity sample --method sobol -p x -N 0
refused "sensitivity sample -n many" \
    "gapsim: -N 'many' is not a positive whole number (see 'gapsim sensitivity --help')" \
    sensitivity sample --method sobol -p x -n many
refused "sensitivity sample -N (no value)" \
    "gapsim: sensitivity: option '-N' needs a value (see 'gapsim help sensitivity')" \
    sensitivity sample --method sobol -p x -N
refused "sensitivity sample --threads" \
    "gapsim: sensitivity: unknown option '--threads' (see 'gapsim help sensitivity')" \
    sensitivity sample --method sobol -p x --threads 2

# Accepted forms: 1e3 for a count, --opt=value, abbreviations getopt allows.
"$gapsim" run "$src/configs/baseline.cfg" -n 1e2 --seed=7 --thr 2 --no-plots -q -o "$scratch/r1"
check "run -n 1e2 --seed=7 --thr 2 runs" test $? -eq 0 -a -f "$scratch/r1/summary.txt"
check "run -n 1e2 ran 100 trajectories" grep -q '"trajectories": 100' "$scratch/r1/manifest.json"

gs_test_end cli_options
