#!/usr/bin/env bash
# The folders of `sweep`, `compare` and `plot` are replaced as a whole, like
# a run's (cli_stage.sh): a re-run with fewer outputs leaves no file of the
# earlier one, an interrupt leaves the earlier folder as it was, a second
# writer is refused, a folder of another kind or not gapsim's is never
# replaced, names that leave the parent are refused, and staging folders of
# dead processes are removed.  A stand-in gnuplot that waits holds each
# command at a known point (its charts), so no timing is guessed.
#
#   bash cli_stage_commands.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u
. "$(dirname "$0")/lib.sh"
gs_test_setup "$@"
cfg=$src/configs/baseline.cfg
cd "$scratch" || exit 1

kind_is() {
    python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])).get("kind", "run") != sys.argv[2])' \
        "$1/manifest.json" "$2"
}
snapshot() { (cd "$scratch/$1" && find . -type f | sort | xargs sha256sum); }
charts_in() { ls "$1" | grep -E '\.(png|svg|pdf)$' | sort | tr '\n' ' '; }

# A gnuplot that records its process id, then waits until killed: the
# command that started it is then inside its staging folder, drawing.
mkdir -p slowbin failbin
cat >slowbin/gnuplot <<EOF
#!/usr/bin/env bash
echo \$\$ >>"$scratch/gnuplot.pids"
exec sleep 120
EOF
# A gnuplot that fails every chart.
printf '#!/bin/sh\necho "gnuplot: stand-in failure" >&2\nexit 1\n' >failbin/gnuplot
chmod +x slowbin/gnuplot failbin/gnuplot
wait_gnuplot() {
    local i
    for i in $(seq 600); do
        test -s gnuplot.pids && return 0
        sleep 0.1
    done
    return 1
}
stop_gnuplot() {
    local p
    for p in $(cat gnuplot.pids 2>/dev/null); do kill "$p" 2>/dev/null; done
    rm -f gnuplot.pids
}

# held CMD ARGS...: starts gapsim CMD with the waiting gnuplot; its pid is in
# $held_pid once it is drawing (inside its staging folder).
held() {
    rm -f gnuplot.pids
    PATH="$scratch/slowbin:$PATH" "$gapsim" "$@" >/dev/null 2>held.err &
    held_pid=$!
    wait_gnuplot
}

# interrupts NAME CMD ARGS...: SIGINT and SIGTERM while drawing end the
# command by the signal, remove the staging folder and leave NAME as it was;
# a second writer meanwhile is refused at once with one line.
interrupts() {
    local name=$1 before sig rc want
    shift
    before=$(snapshot "$name")
    for sig in INT TERM; do
        check "$name: $sig: the command reached its charts" held "$@"
        if [ $sig = INT ]; then
            "$gapsim" "$@" -q 2>second.err
            rc=$?
            check "$name: second writer refused with status 2 (got $rc)" test $rc -eq 2
            check "$name: second writer's message is one line" test "$(wc -l <second.err)" -eq 1
            check "$name: second writer's message says why" grep -q 'another gapsim run is writing' second.err
        fi
        kill -s $sig "$held_pid"
        wait "$held_pid"
        rc=$?
        stop_gnuplot
        case $sig in INT) want=130 ;; TERM) want=143 ;; esac
        check "$name: SIG$sig ends it by the signal (status $rc, want $want)" test $rc -eq $want
        check "$name: SIG$sig leaves no staging folder" no_staging
        check "$name: SIG$sig leaves the earlier folder intact" test "$(snapshot "$name")" = "$before"
    done
}

# ----------------------------------------------------------------- sweep
# A small sweep of its own: two points of one parameter, two metrics.
cat >small.cfg <<EOF
sweep = {
  name = "small";
  base = "$cfg";
  method = "oat";
  trajectories = 200;
  seed = 3;
  metrics = ["share@2030:p50", "target:2030"];
  parameters = ( { path = "funds.fund2.size"; values = [150.0, 600.0]; } );
};
EOF
cat >grid.cfg <<EOF
sweep = {
  name = "grid";
  base = "$cfg";
  method = "grid";
  trajectories = 100;
  seed = 3;
  metrics = ["share@2030:p50"];
  parameters = ( { path = "funds.fund2.size"; values = [150.0, 600.0]; },
                 { path = "controls.euv.hazard"; values = [0.0, 0.2]; } );
};
EOF
"$gapsim" sweep small.cfg -q --format png,svg -o s
check "sweep: first sweep with PNG and SVG charts" test -f s/points.csv -a -n "$(ls s | grep '\.svg$')"
check "sweep: manifest says kind sweep" kind_is s sweep
check "sweep: manifest lists every file, charts included" listed_equals_present s
"$gapsim" sweep small.cfg -q --no-plots -o s
check "sweep: re-run without charts leaves none" test -z "$(charts_in s)"
check "sweep: re-run manifest lists exactly its files" listed_equals_present s
"$gapsim" sweep grid.cfg -q --no-plots -o s
check "sweep: another method's re-run leaves no oat.csv" test ! -e s/oat.csv -a -f s/grid.csv
check "sweep: and lists exactly its files" listed_equals_present s
"$gapsim" sweep small.cfg -q -o s
interrupts s sweep small.cfg -o s
"$gapsim" sweep small.cfg -q --no-plots -o s
check "sweep: the lock is free again" listed_equals_present s

# ---------------------------------------------------------------- compare
"$gapsim" run "$cfg" -n 200 -q --no-plots -o r1
"$gapsim" run "$cfg" -n 200 -q --no-plots --set funds.fund2.size=600 -o r2
"$gapsim" compare r1 r2 -q --format png,svg -o c
check "compare: first comparison with PNG and SVG" test -f c/compare.csv -a -n "$(ls c | grep '\.svg$')"
check "compare: manifest says kind compare" kind_is c compare
check "compare: manifest lists every file" listed_equals_present c
"$gapsim" compare r1 r2 -q --format pdf -o c
check "compare: re-run in PDF leaves no PNG or SVG" test -z "$(ls c | grep -E '\.(png|svg)$')"
check "compare: re-run manifest lists exactly its files" listed_equals_present c
interrupts c compare r1 r2 -o c
PATH="$scratch/failbin:$PATH" "$gapsim" compare r1 r2 -q -o c 2>/dev/null
rc=$?
check "compare: failing charts exit 1 (got $rc)" test $rc -eq 1
check "compare: compare.csv is still put in place" test -f c/compare.csv -a -z "$(charts_in c)"
check "compare: and listed" listed_equals_present c

# ------------------------------------------------------------------- plot
"$gapsim" run "$cfg" -n 200 -q --format png,svg -o p
tables=$(cd p && sha256sum ./*.csv summary.txt)
"$gapsim" plot p -q --format pdf
check "plot: a redraw in PDF leaves no PNG or SVG" test -z "$(ls p | grep -E '\.(png|svg)$')" -a -n "$(ls p | grep '\.pdf$')"
check "plot: the tables are the run's, unchanged" test "$(cd p && sha256sum ./*.csv summary.txt)" = "$tables"
check "plot: manifest lists exactly the files present" listed_equals_present p
check "plot: manifest still the run's" kind_is p run
ln -s p plink
"$gapsim" plot plink -q --format svg
check "plot: through a link the run is redrawn and the link stays" \
    test -L plink -a -n "$(ls p | grep '\.svg$')" -a -z "$(ls p | grep '\.pdf$')"
interrupts p plot p
before=$(snapshot p)
PATH="$scratch/failbin:$PATH" "$gapsim" plot p -q 2>plotfail.err
rc=$?
check "plot: failing charts exit 1 (got $rc)" test $rc -eq 1
check "plot: failing charts leave the folder as it was" test "$(snapshot p)" = "$before"
check "plot: failing charts leave no staging folder" no_staging

# ----------------------------------------------- folders not to replace
"$gapsim" sweep small.cfg -q --no-plots -o r1 2>kind.err
rc=$?
check "sweep into a run folder refused with status 2 (got $rc)" test $rc -eq 2
check "sweep into a run folder: the message says so" grep -q 'holds a gapsim run, not a sweep' kind.err
check "the run folder untouched" test -f r1/quantiles.csv -a ! -e r1/points.csv
"$gapsim" compare r1 r2 -q -o s 2>kind.err
check "compare into a sweep folder refused (status $?)" grep -q 'holds a gapsim sweep, not a comparison' kind.err
"$gapsim" run "$cfg" -n 100 -q --no-plots -o c 2>kind.err
check "run into a comparison folder refused (status $?)" grep -q 'holds a gapsim comparison, not a run' kind.err
"$gapsim" plot s 2>/dev/null
check "plot of a sweep folder refused with status 2" test $? -eq 2
mkdir notours && echo keep >notours/notes.txt
for cmd in "sweep small.cfg" "compare r1 r2"; do
    "$gapsim" $cmd -q -o notours 2>notours.err
    rc=$?
    check "$cmd into a folder not gapsim's refused with status 2 (got $rc)" test $rc -eq 2
    check "$cmd: refusal names manifest.json" grep -q 'manifest.json' notours.err
    check "$cmd: folder untouched" test "$(ls -A notours)" = notes.txt
done
for o in . .. s/.. ./; do
    "$gapsim" sweep small.cfg -q --no-plots -o "$o" 2>/dev/null
    check "sweep -o $o refused" test $? -eq 2
    "$gapsim" compare r1 r2 -q -o "$o" 2>/dev/null
    check "compare -o $o refused" test $? -eq 2
done
(cd p && "$gapsim" plot . -q 2>/dev/null)
check "plot . refused (it would swap the working folder away)" test $? -eq 2

# -------------------------------------------- stale staging folders
dead=$(($(cat /proc/sys/kernel/pid_max) + 1))
for d in s c p; do mkdir .$d.staging.$dead && touch .$d.staging.$dead/points.csv; done
"$gapsim" sweep small.cfg -q --no-plots -o s
"$gapsim" compare r1 r2 -q -o c
"$gapsim" plot p -q
for d in s c p; do check "$d: dead process's staging folder removed" test ! -e .$d.staging.$dead; done
check "no staging folder at the end" no_staging

gs_test_end cli_stage_commands
