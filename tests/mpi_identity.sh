#!/usr/bin/env bash
# An MPI job writes the bytes a single process writes: every CSV file and
# summary of a run (with parameters, outcomes, trajectories, a precision
# goal, more processes than blocks), of every shipped sweep, of a backtest
# and of two calibrations, with mpirun -np 2 and -np 3, compared byte for
# byte with the same command run as one process (docs/cluster.md).
#
#   bash mpi_identity.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$src" || exit 1
. "$src/tests/mpi_job.sh"

# same NAME DIR_ONE DIR_JOB: every table and text of DIR_ONE is in DIR_JOB, byte for byte.
same() {
  local name=$1 a=$2 b=$3 n=0 f
  if [ ! -d "$b" ]; then
    echo "FAIL: $name: no output folder" >&2
    fail=$((fail + 1))
    return
  fi
  while IFS= read -r f; do
    n=$((n + 1))
    if ! cmp -s "$a/$f" "$b/$f"; then
      echo "FAIL: $name: $f differs from the single-process run" >&2
      fail=$((fail + 1))
      return
    fi
  done < <(cd "$a" && find . -type f \( -name '*.csv' -o -name '*.txt' -o -name '*.cfg' \) | sort)
  if [ "$n" -lt 2 ]; then
    echo "FAIL: $name: only $n files written" >&2
    fail=$((fail + 1))
    return
  fi
  # The job wrote nothing the single process did not.
  if ! diff <(cd "$a" && find . -type f | sort) <(cd "$b" && find . -type f | sort) >/dev/null; then
    echo "FAIL: $name: the job's folder holds other files" >&2
    fail=$((fail + 1))
    return
  fi
  pass=$((pass + 1))
}

# compare NAME K COMMAND ARGS...: the command alone and as a job of K processes.
compare() {
  local name=$1 k=$2
  shift 2
  local one=$scratch/$name-1 many=$scratch/$name-$k
  if [ ! -d "$one" ]; then
    "$gapsim" "$@" -q --no-plots -o "$one" || { echo "FAIL: $name: single run failed" >&2; fail=$((fail + 1)); return; }
  fi
  job "$k" "$@" -q --no-plots -o "$many" || { echo "FAIL: $name: job of $k failed" >&2; fail=$((fail + 1)); return; }
  same "$name (np $k)" "$one" "$many"
}

cfg=configs/baseline.cfg
for k in 2 3; do
  # 700 trajectories: three blocks, the last one short.
  compare run "$k" run "$cfg" -n 700 --seed 11 --write-parameters --write-outcomes \
    --write-trajectories 12
  # Two blocks for three processes: one has nothing to do.
  compare run-small "$k" run configs/observed.cfg -n 300 --seed 4 --threads 2 --sampler mc
  # A precision goal stops after the same wave as one process does.
  compare run-precision "$k" run "$cfg" -n 40000 --seed 2 \
    --precision 'share@2030:p50=0.004'
  for sw in configs/sweeps/*.cfg; do
    compare "sweep-$(basename "$sw" .cfg)" "$k" sweep "$sw" -n 40 --seed 5
  done
  compare backtest "$k" backtest "$cfg" --reference configs/reference_naive.cfg -n 500
  # A population's parameter vectors are dealt round the processes.
  compare calibrate "$k" calibrate "$cfg" --until 2019 --population 16 -n 4 --generations 2
  compare calibrate-importance "$k" calibrate "$cfg" --until 2019 --population 16 -n 4 \
    --method importance
done

gs_test_end "mpi identity"
