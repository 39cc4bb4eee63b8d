#!/usr/bin/env bash
# Bad input on the command line: every case must exit with status 2, print
# exactly the expected one-line message on stderr and nothing on stdout, and
# leave output folders alone (a fresh -o path is not created; an existing
# folder keeps its listing and times).
#
#   bash cli_bad_input.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
#
# The configs under tests/data/bad/ are run by their path relative to the
# source folder, so that the messages (which quote the path) are stable; each
# NAME.cfg has its expected stderr line in NAME.expected.
set -u

. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1

# Listing with full times, of the folder itself and what it holds.
snapshot() { ls -la --time-style=full-iso "$1"; stat -c '%n %s %Y %y' "$1" "$1"/* 2>/dev/null; }

# refused NAME EXPECTED_STDERR_LINE ARGS...: runs gapsim ARGS twice, once with
# -o into a fresh path and once into an existing folder.
refused() {
    local name=$1 want=$2
    shift 2
    local fresh="$scratch/fresh_$name" kept="$scratch/kept_$name"
    "$gapsim" "$@" -o "$fresh" >"$scratch/out" 2>"$scratch/err"
    local rc=$?
    local got
    got=$(cat "$scratch/err")
    if [ "$rc" -ne 2 ]; then
        bad "$name: exit status $rc, expected 2"
    elif [ "$got" != "$want" ]; then
        bad "$name: stderr"$'\n'"  got:  $got"$'\n'"  want: $want"
    elif [ -s "$scratch/out" ]; then
        bad "$name: printed on stdout: $(head -c 200 "$scratch/out")"
    elif [ -e "$fresh" ]; then
        bad "$name: created the output folder $fresh"
    else
        ok
    fi

    mkdir -p "$kept"
    echo "an earlier run" >"$kept/summary.txt"
    touch -d '2020-01-02 03:04:05' "$kept/summary.txt" "$kept"
    local before after
    before=$(snapshot "$kept")
    "$gapsim" "$@" -o "$kept" >/dev/null 2>&1
    rc=$?
    after=$(snapshot "$kept")
    if [ "$rc" -ne 2 ]; then
        bad "$name (existing folder): exit status $rc, expected 2"
    elif [ "$before" != "$after" ]; then
        bad "$name: changed the existing output folder"$'\n'"$before"$'\n'"---"$'\n'"$after"
    else
        ok
    fi
}

# 1. The configs of tests/data/bad/.
n_cfg=0
for cfg in tests/data/bad/*.cfg; do
    name=$(basename "$cfg" .cfg)
    exp="tests/data/bad/$name.expected"
    if [ ! -f "$exp" ]; then
        bad "$name: no $exp"
        continue
    fi
    refused "$name" "$(cat "$exp")" run "$cfg" --no-plots -n 50
    n_cfg=$((n_cfg + 1))
done
[ "$n_cfg" -ge 13 ] && ok || bad "only $n_cfg configs in tests/data/bad"

# 2. A config file that does not exist.
refused missing_file "gapsim: tests/data/bad/does_not_exist.cfg: cannot read: No such file or directory" \
    run tests/data/bad/does_not_exist.cfg --no-plots -n 50

# 3. A config file that cannot be read.  Root reads it whatever its mode, as
# in CI containers: there the case runs as the unprivileged user nobody
# (setpriv), from a copy of the binary and a scratch folder nobody can reach.
# In CI (GAPSIM_CI=1) a skip is a failure.
cp configs/baseline.cfg "$scratch/unreadable.cfg"
chmod 000 "$scratch/unreadable.cfg"
if [ "$(id -u)" -ne 0 ]; then
    refused unreadable "gapsim: $scratch/unreadable.cfg: cannot read: Permission denied" \
        run "$scratch/unreadable.cfg" --no-plots -n 50
elif command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    nb=$(mktemp -d /tmp/gapsim-nobody.XXXXXX)
    chmod 755 "$nb"
    cp "$gapsim" "$nb/gapsim"
    cp configs/baseline.cfg "$nb/unreadable.cfg"
    chmod 000 "$nb/unreadable.cfg"
    (cd "$nb" && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
        ./gapsim run unreadable.cfg --no-plots -n 50 -o "$nb/out") >"$scratch/out" 2>"$scratch/err"
    rc=$?
    want="gapsim: unreadable.cfg: cannot read: Permission denied"
    if [ "$rc" -eq 2 ] && [ "$(cat "$scratch/err")" = "$want" ] && [ ! -s "$scratch/out" ] && [ ! -e "$nb/out" ]; then
        ok
    else
        bad "unreadable (as nobody): exit $rc, stderr: $(cat "$scratch/err")"
    fi
    rm -rf "$nb"
elif [ "${GAPSIM_CI:-0}" = 1 ]; then
    bad "unreadable: running as root without setpriv or a user nobody, the case cannot run"
else
    echo "cli_bad_input: skipped the unreadable-config case (root reads any file; no setpriv)"
fi
chmod 644 "$scratch/unreadable.cfg"

# 4. Bad --set options.
refused set_syntax 'gapsim: --set tools.base: cannot read the value "abc": syntax error' \
    run configs/baseline.cfg --set tools.base=abc --no-plots -n 50
refused set_unknown 'gapsim: --set tools.grwth: unknown key "tools.grwth" (did you mean "tools.growth"?)' \
    run configs/baseline.cfg --set tools.grwth=0.2 --no-plots -n 50
refused set_no_value 'gapsim: --set: expected PATH=VALUE, got "tools.base"' \
    run configs/baseline.cfg --set tools.base --no-plots -n 50
refused set_range 'gapsim: --set ownership.failure_share: ownership.failure_share = 1.5 is out of range [0, 1]' \
    run configs/baseline.cfg --set ownership.failure_share=1.5 --no-plots -n 50
# A cross-check at bind names the value set, not the base file.
refused set_saturation 'gapsim: --set tools.saturation: tools.saturation must lie above the base-year made-in-China share 0.151 (its lowest value is 0.1)' \
    run configs/baseline.cfg --set tools.saturation=0.1 --no-plots -n 50

# A --set value is exactly one value: text that would close a group or add a
# setting is refused, never pasted into the config.
refused set_injection 'gapsim: --set tools.base: cannot read the value "6.8; }; scenario = { name = "pwn"": syntax error' \
    run configs/baseline.cfg --set 'tools.base=6.8; }; scenario = { name = "pwn"' --no-plots -n 50
refused set_two_values 'gapsim: --set tools.base: the value "6.8; w = 1" is more than one value (a number, string, array, list or group { ... }); quote a string with "..."' \
    run configs/baseline.cfg --set 'tools.base=6.8; w = 1' --no-plots -n 50
refused set_inherit 'gapsim: --set inherit: inherit can only be given in a scenario file' \
    run configs/baseline.cfg --set 'inherit="x.cfg"' --no-plots -n 50
refused set_include 'gapsim: --set tools.base: @include is not allowed here' \
    run configs/baseline.cfg --set $'tools.base=6.8\n@include "/etc/hostname"' --no-plots -n 50
refused set_multiline 'gapsim: --set tools.base: cannot read the value "1\n2": syntax error' \
    run configs/baseline.cfg --set $'tools.base=1\n2' --no-plots -n 50
refused set_wide 'gapsim: --set run.seed: 4294967297 does not fit in 32 bits, and libconfig would read another number; write 4294967297L' \
    run configs/baseline.cfg --set run.seed=4294967297 --no-plots -n 50
refused set_non_finite 'gapsim: --set tools.base: the number is too large for a double (read as inf)' \
    run configs/baseline.cfg --set tools.base=1e999 --no-plots -n 50
many=()
for i in $(seq 1 257); do many+=(--set tools.base=6.8); done
refused set_too_many 'gapsim: --set: at most 256 overrides' run configs/baseline.cfg "${many[@]}" --no-plots -n 50

# More distributions than the samplers take: refused at the first one beyond
# the limit, before any folder is made.
{
    echo 'inherit = "'"$(pwd)"'/configs/baseline.cfg";'
    echo 'funds = {'
    for i in $(seq 1 257); do
        echo "  f$i = { year = 2016.0; size = { dist = \"uniform\"; min = 1.0; max = 2.0; }; paid_over = 2.0; };"
    done
    echo '};'
} >"$scratch/many_dists.cfg"
line=$("$gapsim" check "$scratch/many_dists.cfg" 2>&1 >/dev/null)
case $line in
"gapsim: $scratch/many_dists.cfg:"*": more than 256 parameters are given as distributions"*) ok ;;
*) bad "257 distributions: $line" ;;
esac
want=$line
refused many_dists "$want" run "$scratch/many_dists.cfg" --no-plots -n 50

# Sweep files are read the same way.
printf 'sweep = { name = "w"; base = "%s/configs/baseline.cfg"; method = "oat";\n  trajectories = 4294967297; parameters = ["funds.fund2.size"]; };\n' \
    "$(pwd)" >"$scratch/wide_sweep.cfg"
refused sweep_wide "gapsim: $scratch/wide_sweep.cfg:2: sweep.trajectories: 4294967297 does not fit in 32 bits, and libconfig would read another number; write 4294967297L" \
    sweep "$scratch/wide_sweep.cfg"

# The L suffix keeps the documented maximum seed exact.
if "$gapsim" check configs/baseline.cfg --set run.seed=4294967295L | grep -q '^run.seed = 4294967295 '; then
    ok
else
    bad "--set run.seed=4294967295L is not read as 4294967295"
fi

# A derived scenario that renames itself but keeps its parent's title: valid,
# with a warning at the name's line, once for the title and once for the
# description; the shipped scenarios give none.
printf 'inherit = "%s/configs/baseline.cfg";\nscenario = { name = "derived"; };\n' "$(pwd)" \
    >"$scratch/derived.cfg"
warn=$("$gapsim" check "$scratch/derived.cfg" 2>&1 >/dev/null)
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c "^gapsim: warning: $scratch/derived.cfg:2: scenario.name is \"derived\" but scenario.\(title\|description\) is inherited from " <<<"$warn")" = 2 ]; then
    ok
else
    bad "check of a derived scenario with its parent's title (rc $rc): $warn"
fi
for cfg in configs/*.cfg; do
    w=$("$gapsim" check "$cfg" 2>&1 >/dev/null)
    [ -z "$w" ] && ok || bad "check $cfg warns: $w"
done

# 5. An output folder that cannot be made: a regular file stands where the
# folder or one of its parents should be (root can write anywhere else).
plain="$scratch/plain_file"
echo "not a folder" >"$plain"
touch -d '2020-01-02 03:04:05' "$plain"
before=$(stat -c '%s %Y' "$plain"; cat "$plain")
for target in "$plain/out" "$plain"; do
    "$gapsim" run configs/baseline.cfg --no-plots -n 50 -o "$target" >"$scratch/out" 2>"$scratch/err"
    rc=$?
    got=$(cat "$scratch/err")
    case $target in
    */out) want="gapsim: $plain/out: cannot create the output folder: Not a directory" ;;
    *) want="gapsim: $plain: not a folder" ;;
    esac
    if [ "$rc" -ne 2 ]; then
        bad "output $target: exit status $rc, expected 2"
    elif [ "$got" != "$want" ]; then
        bad "output $target: stderr"$'\n'"  got:  $got"$'\n'"  want: $want"
    elif [ "$before" != "$(stat -c '%s %Y' "$plain"; cat "$plain")" ]; then
        bad "output $target: the file in the way was changed"
    else
        ok
    fi
done

# 6. Usage errors: a bad option value never starts a run.
refused bad_n 'gapsim: -n: expected a whole number from 1 to 10000000000, got "many"' \
    run configs/baseline.cfg -n many --no-plots

gs_test_end cli_bad_input
