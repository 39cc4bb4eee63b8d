#!/bin/bash
# An installed gapsim: cmake --install into a scratch prefix, then its manual
# (every page renders with man -l without a warning, and lists every option
# its command's --help lists; `man gapsim-run` finds it), its documents
# under share/doc/gapsim, a scenario in the user's own folder that inherits
# the installed baseline, and charts drawn from the installed templates.
# Usage: bash installed.sh GAPSIM SOURCE_DIR SCRATCH_DIR BUILD_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$1" "$2" "$3"
BUILD=$4
P="$scratch/prefix"
if ! cmake --install "$BUILD" --prefix "$P" >"$scratch/install.log" 2>&1; then
    cat "$scratch/install.log" >&2
    echo "installed: cmake --install failed" >&2
    exit 1
fi
G="$P/bin/gapsim"
check "the program is installed" test -x "$G"

# The manual.
if ! command -v man >/dev/null 2>&1; then
    if [ "${GAPSIM_CI:-0}" = 1 ]; then
        echo "FAIL: no man program (.ci/setup-debian installs man-db)" >&2
        fail=$((fail + 1))
    else
        echo "installed: skipped the manual checks (no man program)"
    fi
else
    check "gapsim(1) is installed" test -f "$P/share/man/man1/gapsim.1"
    cmds=$("$G" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
    check "gapsim --help lists commands" test -n "$cmds"
    for page in gapsim $(printf 'gapsim-%s ' $cmds); do
        f="$P/share/man/man1/$page.1"
        if [ ! -f "$f" ]; then
            check "$page.1 is installed" false
            continue
        fi
        MANWIDTH=80 man --warnings -l "$f" >"$scratch/$page.txt" 2>"$scratch/$page.err"
        check "man -l $page.1 exits 0" test $? -eq 0
        check "man -l $page.1 warns of nothing: $(head -c 300 "$scratch/$page.err")" test ! -s "$scratch/$page.err"
        # Every option of the command's --help is in its page.
        cmd=${page#gapsim}
        cmd=${cmd#-}
        # shellcheck disable=SC2086
        for opt in $("$G" $cmd --help | grep -oE '^ +(-[A-Za-z0-9], )?--?[A-Za-z0-9][A-Za-z0-9-]*' | grep -oE -- '--?[A-Za-z0-9][A-Za-z0-9-]*$' | sort -u); do
            check "$page(1) lists $opt" grep -qF -- "$opt" "$scratch/$page.txt"
        done
    done
    MANPATH="$P/share/man" MANWIDTH=80 man gapsim-run >"$scratch/man-run.txt" 2>&1
    check "man gapsim-run works with the installed MANPATH" grep -qE "gapsim-run +- " "$scratch/man-run.txt"
fi
"$G" help help >"$scratch/hh.out"
check "gapsim help help exits 0" test $? -eq 0
check "gapsim help help prints the usage" grep -q '^usage: gapsim COMMAND' "$scratch/hh.out"

# The documents.
check "README.md is installed" test -f "$P/share/doc/gapsim/README.md"
check "docs/charts.md is installed" test -f "$P/share/doc/gapsim/charts.md"

# A scenario in the user's own folder inherits the installed baseline.
mkdir -p "$scratch/home"
printf 'inherit = "baseline.cfg";\nfunds = { fund2 = { size = 600.0; }; };\n' >"$scratch/home/mine.cfg"
(cd "$scratch/home" && "$G" check mine.cfg >"$scratch/check.out" 2>"$scratch/check.err")
check "the installed baseline is inherited: $(cat "$scratch/check.err")" grep -q "$P/share/gapsim/configs/baseline.cfg" "$scratch/check.out"
# And when it is nowhere, the message says where it looked.
printf 'inherit = "nosuch.cfg";\n' >"$scratch/home/bad.cfg"
(cd "$scratch/home" && GAPSIM_PATH="$scratch/extra" "$G" check bad.cfg >/dev/null 2>"$scratch/bad.err")
check "a missing inherit exits 2" test $? -eq 2
check "it names the folders tried: $(cat "$scratch/bad.err")" grep -qF "looked in . (the file's folder), $scratch/extra (GAPSIM_PATH), " "$scratch/bad.err"

# The installed program draws from the installed templates, not the source
# tree's: a template broken in the installed copy only breaks the installed run.
if command -v gnuplot >/dev/null 2>&1; then
    echo 'this is not gnuplot' >>"$P/share/gapsim/plots/gap.gp"
    "$G" run "$scratch/home/mine.cfg" -n 100 -o "$scratch/run" -q 2>"$scratch/run.err"
    check "the installed run used the installed gap.gp" grep -q "gap.png failed" "$scratch/run.err"
    "$gapsim" plot "$scratch/run" -q 2>"$scratch/plot.err"
    check "the build's program still uses the source templates" test $? -eq 0
fi

gs_test_end installed
