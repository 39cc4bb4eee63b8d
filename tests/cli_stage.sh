#!/usr/bin/env bash
# A run's output folder is replaced as a whole: a re-run leaves no file of
# the earlier run, an interrupted or refused run leaves the earlier run as it
# was, a second writer is refused, a folder that is not a run is never
# replaced, and staging folders of dead runs are removed.
#
#   bash cli_stage.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cfg=$src/configs/baseline.cfg
cd "$scratch" || exit 1

# Waits (up to 60 s) until a staging folder of pid $1 exists.
wait_staging() {
    local i
    for i in $(seq 600); do
        ls -d "$scratch"/.r.staging."$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
snapshot() { (cd "$scratch/r" && find . -type f | sort | xargs sha256sum); }

# 1. A run with parameters.csv and charts, then one with neither: no file of
# the first survives, and the manifest lists exactly the files present.
"$gapsim" run "$cfg" -n 200 -q --write-parameters -o r
check "first run" test -f r/parameters.csv -a -f r/gap.png
check "manifest lists every file, charts included" listed_equals_present r
"$gapsim" run "$cfg" -n 100 -q --no-plots -o r
check "re-run leaves no parameters.csv" test ! -e r/parameters.csv
check "re-run leaves no charts" test -z "$(ls r | grep '\.png$')"
check "re-run manifest lists exactly its files" listed_equals_present r
check "no staging folder after runs" no_staging

# 2. SIGINT and SIGTERM mid-run: the staging folder goes, the earlier run stays.
before=$(snapshot)
for sig in INT TERM; do
    "$gapsim" run "$cfg" -n 50000000 -q -o r &
    pid=$!
    check "run $sig started staging" wait_staging $pid
    kill -s $sig $pid
    wait $pid
    rc=$?
    case $sig in INT) want=130 ;; TERM) want=143 ;; esac
    check "SIG$sig ends the run by the signal (status $rc, want $want)" test $rc -eq $want
    check "SIG$sig leaves no staging folder" no_staging
    check "SIG$sig leaves the earlier run intact" test "$(snapshot)" = "$before"
done

# 3. Two writers of one folder: the second is refused at once (exit 2, one
# line) and the folder still holds one whole run.
"$gapsim" run "$cfg" -n 50000000 -q -o r &
pid=$!
check "long run started" wait_staging $pid
"$gapsim" run "$cfg" -n 100 -q -o r 2>second.err
rc=$?
check "second writer refused with status 2 (got $rc)" test $rc -eq 2
check "second writer's message is one line" test "$(wc -l <second.err)" -eq 1
check "second writer's message says why" grep -q 'another gapsim run is writing' second.err
kill -s TERM $pid
wait $pid
check "after both, the earlier whole run" test "$(snapshot)" = "$before"
"$gapsim" run "$cfg" -n 100 -q --no-plots -o r
check "the lock is free again" listed_equals_present r

# 4. A non-empty folder that is not a run is refused, nothing touched.
mkdir notrun
echo keep >notrun/notes.txt
"$gapsim" run "$cfg" -n 100 -q -o notrun 2>notrun.err
rc=$?
check "non-run folder refused with status 2 (got $rc)" test $rc -eq 2
check "non-run folder refusal names manifest.json" grep -q 'manifest.json' notrun.err
check "non-run folder untouched" test "$(ls -A notrun)" = notes.txt
check "an empty folder is written" bash -c "mkdir empty && '$gapsim' run '$cfg' -n 100 -q --no-plots -o empty && test -f empty/manifest.json"

# 5. A staging folder of a process that is gone is removed by a later run;
# one of a live process is left alone.
dead=$(($(cat /proc/sys/kernel/pid_max) + 1))
mkdir .r.staging.$dead && touch .r.staging.$dead/quantiles.csv
mkdir .r.staging.$$ && touch .r.staging.$$/quantiles.csv
"$gapsim" run "$cfg" -n 100 -q --no-plots -o r
check "dead run's staging folder removed" test ! -e .r.staging.$dead
check "live process's staging folder kept" test -d .r.staging.$$
rm -rf .r.staging.$$

# 6. Names that would leave out/: the scenario name and -o.
"$gapsim" run "$cfg" -n 100 -q --set 'scenario.name=".."' 2>dots.err
rc=$?
check "scenario.name \"..\" refused with status 2 (got $rc)" test $rc -eq 2
check "scenario.name \"..\" message names the key" grep -q 'scenario.name' dots.err
"$gapsim" run "$cfg" -n 100 -q --set 'scenario.name="."' 2>/dev/null
check "scenario.name \".\" refused" test $? -eq 2
"$gapsim" run "$cfg" -n 100 -q --set 'scenario.name="a/b"' 2>/dev/null
check "scenario.name with / refused" test $? -eq 2
"$gapsim" run "$cfg" -n 100 -q -o r/.. 2>/dev/null
check "-o ending in .. refused" test $? -eq 2
check "nothing written by the refused names" test ! -e out

gs_test_end cli_stage
