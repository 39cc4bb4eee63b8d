# tests/lib.sh: what the shell tests of the command line share.  Sourced by a
# test after `set -u`; it prints nothing and changes no folder by itself.

# gs_test_setup GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR: gapsim and src become
# absolute, scratch a fresh empty absolute folder; LC_ALL=C.
gs_test_setup() {
    gapsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    src=$(cd "$2" && pwd)
    scratch=$3
    rm -rf "$scratch"
    mkdir -p "$scratch"
    scratch=$(cd "$scratch" && pwd)
    export LC_ALL=C
}

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
# check WHAT CMD...: one pass when CMD succeeds, else one failure named WHAT.
check() {
    local what=$1
    shift
    if "$@"; then ok; else bad "$what"; fi
}
# gs_test_end NAME: the count line; the status of the test.
gs_test_end() {
    echo "$1: $pass passed, $fail failed"
    test $fail -eq 0
}

# listed_equals_present DIR: the folder's files (not hidden) are exactly
# those its manifest.json lists in "files".
listed_equals_present() {
    diff <(ls "$1" | sort) \
        <(python3 -c 'import json,sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["files"])))' \
            "$1/manifest.json") >/dev/null
}

# no_staging: no staging folder (.NAME.staging.*) is left in the scratch folder.
no_staging() { ! ls -a "$scratch" | grep -q '\.staging\.'; }
