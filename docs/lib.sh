# docs/lib.sh: what the generators of docs/ share.  Sourced by a generator
# after `set -euo pipefail` and `cd` to the repository's top.

# doc_start "$@": check=1 after a leading --check; gapsim the binary the
# next argument names (default build/gapsim); scratch a fresh folder,
# removed on exit.
doc_start() {
    check=0
    if [ "${1:-}" = "--check" ]; then
        check=1
        shift
    fi
    gapsim=${1:-build/gapsim}
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
}

# doc_install NEW TARGET GENERATOR: with --check, exit 1 with the first lines
# of the difference when TARGET is not NEW; without, NEW replaces TARGET.
doc_install() {
    local new=$1 target=$2 gen=$3
    if [ "$check" = 1 ]; then
        if ! cmp -s "$new" "$target"; then
            diff -u "$target" "$new" | head -n 40 >&2 || true
            echo "$target is stale: run bash $gen" >&2
            exit 1
        fi
        echo "$target is up to date"
    else
        cp "$new" "$target"
        echo "wrote $target"
    fi
}
