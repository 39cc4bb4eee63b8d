#!/usr/bin/env bash
# A job that fails leaves nothing half-written and says why once: a bad
# config (every process meets it) gives one "gapsim: FILE:LINE:" line and
# exit 2; an output folder process 0 refuses stops every process; a process
# with a failure of its own (here: a config only it reads) stops the job
# with its message; a process killed by a signal mid-run stops the job, and
# in each case the earlier run in the folder stays as it was and no staging
# folder is left (docs/cluster.md).
#
#   bash mpi_failure.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cd "$scratch" || exit 1
. "$src/tests/mpi_job.sh"
cfg=$src/configs/baseline.cfg

gapsim_lines() { grep -c '^gapsim: ' "$1"; }

# An earlier run that every failure below must leave alone.
"$gapsim" run "$cfg" -n 300 --seed 1 -q --no-plots -o prev || exit 1
( cd prev && find . -type f -exec md5sum {} + | sort ) > prev.sum
prev_intact() { diff <(cd prev && find . -type f -exec md5sum {} + | sort) prev.sum >/dev/null; }

# 1. A bad config: every process finds the same error; it is printed once.
printf 'scenario: { name = "bad"; base_year = 2014;\n  horizon = "soon"; };\n' > bad.cfg
job 3 run bad.cfg -n 300 -q --no-plots -o prev 2>err1.txt
rc=$?
check "bad config: exit 2 (got $rc)" test "$rc" -eq 2
check "bad config: one gapsim line" test "$(gapsim_lines err1.txt)" -eq 1
check "bad config: the line names file and line" grep -q '^gapsim: bad.cfg:[0-9]*: ' err1.txt
check "bad config: earlier run intact" prev_intact
# ... and for a sweep file and a backtest.
printf 'sweep: {\n  name = ;\n};\n' > bad_sweep.cfg
job 2 sweep bad_sweep.cfg -n 40 -q --no-plots -o sw 2>err1s.txt
rc=$?
check "bad sweep: exit 2 (got $rc)" test "$rc" -eq 2
check "bad sweep: one gapsim line naming file and line" \
  test "$(grep -c '^gapsim: bad_sweep.cfg:[0-9]*: ' err1s.txt)" -eq 1 -a "$(gapsim_lines err1s.txt)" -eq 1
check "bad sweep: no folder" test ! -e sw
job 3 backtest bad.cfg -n 300 -q --no-plots -o bt 2>err1b.txt
rc=$?
check "bad backtest: exit 2 (got $rc)" test "$rc" -eq 2
check "bad backtest: one gapsim line naming file and line" \
  test "$(grep -c '^gapsim: bad.cfg:[0-9]*: ' err1b.txt)" -eq 1 -a "$(gapsim_lines err1b.txt)" -eq 1
check "bad backtest: no folder" test ! -e bt

# 2. A folder that is not a run: process 0 refuses it, the others stop too.
mkdir -p notarun && echo keep > notarun/notes.txt
job 3 run "$cfg" -n 300 -q --no-plots -o notarun 2>err2.txt
rc=$?
check "refused folder: exit 2 (got $rc)" test "$rc" -eq 2
check "refused folder: one gapsim line" test "$(gapsim_lines err2.txt)" -eq 1
check "refused folder: left alone" test "$(ls notarun)" = notes.txt
check "refused folder: no staging folder" no_staging

# 3. A process with a failure of its own: process 1 is given a scenario
#    only it finds wrong (an MPMD job), while process 0 starts the run.
timeout 120 "$MPIRUN" "${mpi_flags[@]}" -np 1 "$gapsim" run "$cfg" -n 20000 -q --no-plots -o prev : \
  -np 1 "$gapsim" run "$cfg" -n 20000 -q --no-plots -o prev --set 'run.sampler="bogus"' 2>err3.txt
rc=$?
check "own failure: non-zero exit (got $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
check "own failure: the process's message is shown" \
  grep -q 'process 1 of 2 failed on its own' err3.txt
check "own failure: with its reason" grep -q 'run.sampler' err3.txt
check "own failure: earlier run intact" prev_intact
check "own failure: no staging folder" no_staging

# 4. A process killed mid-run: the job stops, process 0's staging folder goes.
#    Open MPI sends the others SIGTERM, and SIGKILL after
#    odls_base_sigkill_timeout seconds (1 by default): on a loaded machine a
#    process may not run its handler that soon, so the test allows 20.
export OMPI_MCA_odls_base_sigkill_timeout=20
job 3 run "$cfg" -n 3000000 -q --no-plots -o prev 2>err4.txt &
mp=$!
victim=
for _ in $(seq 1 600); do
  if ls -a "$scratch" | grep -q '\.prev\.staging\.'; then
    # Process 1 of this job: a gapsim whose environment says so.
    for e in /proc/[0-9]*/environ; do
      p=${e#/proc/}
      p=${p%/environ}
      if [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$scratch" ] &&
        tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q -- "gapsim run .* -o prev" &&
        tr '\0' '\n' 2>/dev/null <"$e" | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then
        victim=$p
      fi
    done
  fi
  [ -n "$victim" ] && break
  sleep 0.1
done
check "signal: found process 1" test -n "$victim"
[ -n "$victim" ] && kill -TERM "$victim"
wait "$mp"
rc=$?
check "signal: non-zero exit (got $rc)" test "$rc" -ne 0
check "signal: earlier run intact" prev_intact
check "signal: no staging folder" no_staging

gs_test_end "mpi failure"
