#!/bin/bash
# Conventions every command keeps: one option-error format (exit 2,
# the one line "gapsim: CMD: unknown option '--bogus' (see 'gapsim help CMD')",
# nothing on stdout); "-o -" refused where a folder is written, and no folder
# named "-" made; `gapsim help CMD` for every command, `gapsim help help`
# too; compare and plot say where they wrote unless -q; no progress line
# when stderr is not a terminal; on a terminal (script(1)) the sweep's
# progress line is erased at the end and shows no guessed total.
# Usage: bash cli_conventions.sh GAPSIM SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1
cmds=$("$gapsim" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
check "gapsim --help lists the commands" test -n "$cmds"
for c in $cmds; do
    args=()
    [ "$c" = sensitivity ] && args=(sample)
    "$gapsim" "$c" "${args[@]}" --bogus >"$scratch/out" 2>"$scratch/err"
    check "$c --bogus exits 2" test $? -eq 2
    check "$c --bogus: nothing on stdout" test ! -s "$scratch/out"
    printf "gapsim: %s: unknown option '--bogus' (see 'gapsim help %s')\n" "$c" "$c" >"$scratch/want"
    check "$c --bogus: the one format ($(tr '\n' '|' <"$scratch/err"))" cmp -s "$scratch/err" "$scratch/want"
    "$gapsim" "$c" "${args[@]}" -Z >/dev/null 2>"$scratch/err"
    check "$c -Z names -Z" grep -qx "gapsim: $c: unknown option '-Z' (see 'gapsim help $c')" "$scratch/err"
    "$gapsim" help "$c" >"$scratch/help" 2>&1
    check "gapsim help $c exits 0" test $? -eq 0
    check "gapsim help $c prints its usage" grep -q "^usage: gapsim $c" "$scratch/help"
done
"$gapsim" run "$src/configs/baseline.cfg" -n >/dev/null 2>"$scratch/err"
printf "gapsim: run: option '-n' needs a value (see 'gapsim help run')\n" >"$scratch/want"
check "a missing value has the same format" cmp -s "$scratch/err" "$scratch/want"
"$gapsim" help help >"$scratch/hh"
check "gapsim help help exits 0" test $? -eq 0
"$gapsim" help nosuch >/dev/null 2>&1
check "gapsim help nosuch exits 2" test $? -eq 2

# A folder is needed: "-" is refused and no folder "-" appears.
"$gapsim" run "$src/configs/baseline.cfg" -n 50 --no-plots -o - >/dev/null 2>"$scratch/err"
check "run -o - exits 2" test $? -eq 2
check "run -o - says a folder is needed" grep -q "^gapsim: run: -o - would be standard output" "$scratch/err"
"$gapsim" sweep "$src/configs/sweeps/fund2_oat.cfg" -n 20 --no-plots -o - >/dev/null 2>&1
check "sweep -o - exits 2" test $? -eq 2
"$gapsim" run "$src/configs/baseline.cfg" -n 100 -q -o "$scratch/a" --no-plots
"$gapsim" run "$src/configs/accelerated.cfg" -n 100 -q -o "$scratch/b" --no-plots
"$gapsim" compare "$scratch/a" "$scratch/b" -o - >/dev/null 2>&1
check "compare -o - exits 2" test $? -eq 2
check "no folder named - was made" test ! -e "$scratch/-"

# Writing commands say where they wrote, unless -q.
"$gapsim" compare "$scratch/a" "$scratch/b" -o "$scratch/cmp" >"$scratch/out" 2>/dev/null
check "compare says where it wrote" grep -qx "Outputs in $scratch/cmp/" "$scratch/out"
"$gapsim" compare "$scratch/a" "$scratch/b" -o "$scratch/cmp" -q >"$scratch/out" 2>/dev/null
check "compare -q prints nothing" test ! -s "$scratch/out"
if command -v gnuplot >/dev/null 2>&1; then
    "$gapsim" plot "$scratch/a" >"$scratch/out"
    check "plot says where it drew" grep -q "charts in $scratch/a/" "$scratch/out"
    "$gapsim" plot "$scratch/a" -q >"$scratch/out"
    check "plot -q prints nothing" test ! -s "$scratch/out"
fi

# Progress: none when stderr is not a terminal.
"$gapsim" sweep "$src/configs/sweeps/fund2_goal.cfg" -n 20 --no-plots -o "$scratch/g" >/dev/null 2>"$scratch/err"
check "no progress line off a terminal" test "$(grep -c 'sweep: run' "$scratch/err")" -eq 0
if command -v script >/dev/null 2>&1; then
    script -qec "$gapsim sweep $src/configs/sweeps/fund2_goal.cfg -n 20 --no-plots -o $scratch/g2 -q" /dev/null >"$scratch/tty" 2>&1
    script -qec "$gapsim sweep $src/configs/sweeps/fund2_goal.cfg -n 20 --no-plots -o $scratch/g3" /dev/null >"$scratch/tty" 2>&1
    check "on a terminal the sweep shows progress" grep -q "sweep: run 1" "$scratch/tty"
    check "no guessed total for a goal seek" test "$(grep -c 'about' "$scratch/tty")" -eq 0
    # The last progress line is erased before the summary.
    check "the progress line is erased at the end" grep -q $'\r\033\[K\r\?$\|\r\033\[K[^s]' "$scratch/tty"
fi
gs_test_end cli_conventions
