#!/usr/bin/env bash
# Proves that a change leaves gapsim's numbers alone: builds two revisions,
# runs every shipped scenario (configs/*.cfg) and every shipped sweep
# (configs/sweeps/*.cfg) with each at a small N and a fixed seed, and compares
# every CSV file and summary.txt byte for byte.  manifest.json (timestamps,
# build) and the charts are not compared.
#
#   bash tests/byte_identity.sh [BASE [NEW]]
#
# BASE defaults to main, NEW to the working tree (uncommitted changes
# included); either may be any git revision.  The scenarios and sweeps are
# those of NEW, run from NEW's configs/ with both programs, so a config that
# only NEW has is still run by both (and a BASE that cannot read it fails).
# Builds are cached by commit in ${GAPSIM_BYTEID_CACHE:-/tmp/gapsim-byteid}.
# Exit status 0 when every file is identical, 1 otherwise, 2 when BASE cannot
# run NEW's scenarios at all: the scenario files changed structure between
# the two (a model change, such as the move to the v2 structure), so there is
# nothing byte for byte to compare; compare NEW against a revision that has
# the same structure instead (for the v2 structure, any revision from the
# commit that made configs/baseline.cfg v2, `git log --diff-filter=A --
# models/industry.c` names it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=${1:-main}
new=${2:-WORKTREE}
cache=${GAPSIM_BYTEID_CACHE:-/tmp/gapsim-byteid}
n_run=${GAPSIM_BYTEID_N:-400}   # trajectories of a scenario run
n_sweep=${GAPSIM_BYTEID_NSWEEP:-60} # trajectories of each design point of a sweep
jobs=${GAPSIM_BYTEID_JOBS:-2}
mkdir -p "$cache"

# Builds revision $1 (or the working tree) and prints the program's path.
build() {
  local rev=$1 src bld
  if [ "$rev" = WORKTREE ]; then
    src=$root
    bld=$cache/worktree-build
  else
    local sha
    sha=$(git rev-parse --verify "$rev^{commit}")
    src=$cache/$sha/src
    bld=$cache/$sha/build
    if [ ! -x "$bld/gapsim" ]; then
      rm -rf "$cache/$sha"
      mkdir -p "$src"
      git archive "$sha" | tar -x -C "$src"
    fi
  fi
  if [ "$rev" = WORKTREE ] || [ ! -x "$bld/gapsim" ]; then
    cmake -S "$src" -B "$bld" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$bld" -j"$jobs" >/dev/null
  fi
  echo "$bld/gapsim"
}

# Runs every scenario and sweep with program $1 (of revision $3) into folder
# $2.  A scenario the program refuses as a configuration error (exit 2) ends
# the comparison with exit 2 and the program's message.
run_all() {
  local bin=$1 out=$2 rev=$3 cfg name rc
  rm -rf "$out"
  mkdir -p "$out"
  for cfg in "$root"/configs/*.cfg "$root"/configs/sweeps/*.cfg; do
    name=$(basename "$cfg" .cfg)
    rc=0
    case $cfg in
    */sweeps/*)
      "$bin" sweep "$cfg" -n "$n_sweep" --seed 5 --threads 2 --no-plots -q \
        -o "$out/sweep-$name" 2>"$out.err" || rc=$?
      ;;
    *)
      "$bin" run "$cfg" -n "$n_run" --seed 11 --threads 2 --no-plots -q \
        -o "$out/run-$name" 2>"$out.err" || rc=$?
      ;;
    esac
    if [ "$rc" -eq 2 ]; then
      echo "byte identity: $rev cannot read ${cfg#"$root"/}: $(head -n 1 "$out.err")" >&2
      echo "byte identity: the scenario files changed structure between $base and $new;" \
        "compare revisions of the same structure (see the head of this script)" >&2
      exit 2
    elif [ "$rc" -ne 0 ]; then
      cat "$out.err" >&2
      echo "byte identity: $rev failed on ${cfg#"$root"/} (exit $rc)" >&2
      exit 1
    fi
  done
}

echo "byte identity: building $base" >&2
bin_a=$(build "$base")
echo "byte identity: building $new" >&2
bin_b=$(build "$new")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "byte identity: running every scenario and sweep with both" >&2
run_all "$bin_a" "$scratch/a" "$base"
run_all "$bin_b" "$scratch/b" "$new"

status=0
compared=0
while IFS= read -r f; do
  rel=${f#"$scratch/a/"}
  compared=$((compared + 1))
  if [ ! -f "$scratch/b/$rel" ]; then
    echo "byte identity: only $base wrote $rel"
    status=1
  elif ! cmp -s "$f" "$scratch/b/$rel"; then
    echo "byte identity: $rel differs"
    status=1
  fi
done < <(find "$scratch/a" -type f \( -name '*.csv' -o -name summary.txt \) | sort)
while IFS= read -r f; do
  rel=${f#"$scratch/b/"}
  [ -f "$scratch/a/$rel" ] || { echo "byte identity: only $new wrote $rel"; status=1; }
done < <(find "$scratch/b" -type f \( -name '*.csv' -o -name summary.txt \) | sort)

if [ "$compared" -eq 0 ]; then
  echo "byte identity: no files were written" >&2
  exit 1
fi
if [ $status -eq 0 ]; then
  echo "byte identity: $compared files identical ($base vs $new)"
fi
exit $status
