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
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
TMP=$3
pass=0
fail=0
check() {
    local what=$1
    shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what" >&2; fi
}
rm -rf "$TMP"
mkdir -p "$TMP"
cd "$TMP" || exit 1
cmds=$("$G" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
check "gapsim --help lists the commands" test -n "$cmds"
for c in $cmds; do
    args=()
    [ "$c" = sensitivity ] && args=(sample)
    "$G" "$c" "${args[@]}" --bogus >"$TMP/out" 2>"$TMP/err"
    check "$c --bogus exits 2" test $? -eq 2
    check "$c --bogus: nothing on stdout" test ! -s "$TMP/out"
    printf "gapsim: %s: unknown option '--bogus' (see 'gapsim help %s')\n" "$c" "$c" >"$TMP/want"
    check "$c --bogus: the one format ($(tr '\n' '|' <"$TMP/err"))" cmp -s "$TMP/err" "$TMP/want"
    "$G" "$c" "${args[@]}" -Z >/dev/null 2>"$TMP/err"
    check "$c -Z names -Z" grep -qx "gapsim: $c: unknown option '-Z' (see 'gapsim help $c')" "$TMP/err"
    "$G" help "$c" >"$TMP/help" 2>&1
    check "gapsim help $c exits 0" test $? -eq 0
    check "gapsim help $c prints its usage" grep -q "^usage: gapsim $c" "$TMP/help"
done
"$G" run "$SRC/configs/baseline.cfg" -n >/dev/null 2>"$TMP/err"
printf "gapsim: run: option '-n' needs a value (see 'gapsim help run')\n" >"$TMP/want"
check "a missing value has the same format" cmp -s "$TMP/err" "$TMP/want"
"$G" help help >"$TMP/hh"
check "gapsim help help exits 0" test $? -eq 0
"$G" help nosuch >/dev/null 2>&1
check "gapsim help nosuch exits 2" test $? -eq 2

# A folder is needed: "-" is refused and no folder "-" appears.
"$G" run "$SRC/configs/baseline.cfg" -n 50 --no-plots -o - >/dev/null 2>"$TMP/err"
check "run -o - exits 2" test $? -eq 2
check "run -o - says a folder is needed" grep -q "^gapsim: run: -o - would be standard output" "$TMP/err"
"$G" sweep "$SRC/configs/sweeps/fund2_oat.cfg" -n 20 --no-plots -o - >/dev/null 2>&1
check "sweep -o - exits 2" test $? -eq 2
"$G" run "$SRC/configs/baseline.cfg" -n 100 -q -o "$TMP/a" --no-plots
"$G" run "$SRC/configs/accelerated.cfg" -n 100 -q -o "$TMP/b" --no-plots
"$G" compare "$TMP/a" "$TMP/b" -o - >/dev/null 2>&1
check "compare -o - exits 2" test $? -eq 2
check "no folder named - was made" test ! -e "$TMP/-"

# Writing commands say where they wrote, unless -q.
"$G" compare "$TMP/a" "$TMP/b" -o "$TMP/cmp" >"$TMP/out" 2>/dev/null
check "compare says where it wrote" grep -qx "Outputs in $TMP/cmp/" "$TMP/out"
"$G" compare "$TMP/a" "$TMP/b" -o "$TMP/cmp" -q >"$TMP/out" 2>/dev/null
check "compare -q prints nothing" test ! -s "$TMP/out"
if command -v gnuplot >/dev/null 2>&1; then
    "$G" plot "$TMP/a" >"$TMP/out"
    check "plot says where it drew" grep -q "charts in $TMP/a/" "$TMP/out"
    "$G" plot "$TMP/a" -q >"$TMP/out"
    check "plot -q prints nothing" test ! -s "$TMP/out"
fi

# Progress: none when stderr is not a terminal.
"$G" sweep "$SRC/configs/sweeps/fund2_goal.cfg" -n 20 --no-plots -o "$TMP/g" >/dev/null 2>"$TMP/err"
check "no progress line off a terminal" test "$(grep -c 'sweep: run' "$TMP/err")" -eq 0
if command -v script >/dev/null 2>&1; then
    script -qec "$G sweep $SRC/configs/sweeps/fund2_goal.cfg -n 20 --no-plots -o $TMP/g2 -q" /dev/null >"$TMP/tty" 2>&1
    script -qec "$G sweep $SRC/configs/sweeps/fund2_goal.cfg -n 20 --no-plots -o $TMP/g3" /dev/null >"$TMP/tty" 2>&1
    check "on a terminal the sweep shows progress" grep -q "sweep: run 1" "$TMP/tty"
    check "no guessed total for a goal seek" test "$(grep -c 'about' "$TMP/tty")" -eq 0
    # The last progress line is erased before the summary.
    check "the progress line is erased at the end" grep -q $'\r\033\[K\r\?$\|\r\033\[K[^s]' "$TMP/tty"
fi
echo "cli_conventions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
