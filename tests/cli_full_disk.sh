#!/usr/bin/env bash
# A run or a sweep that finds its disk full fails with exit status 1 and a
# one-line message naming the file and the reason, leaves the earlier complete
# folder exactly as it was and leaves no staging or temporary file.  The disk
# is a 256 KB tmpfs, mounted in a private mount namespace (unshare), so that
# nothing stays mounted if the test dies.  Mounting needs CAP_SYS_ADMIN (CI
# runs as root): only where it is not permitted (a container without the
# capability, a user without root) is the test skipped, with status 77 and
# a line saying why; under GAPSIM_CI=1 that line says CI did not test it.
#
#   bash cli_full_disk.sh GAPSIM_BINARY SOURCE_DIR SCRATCH_DIR
set -u

gapsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
scratch=$3

if [ "${GS_FULL_DISK_INSIDE:-0}" != 1 ]; then
    rm -rf "$scratch"
    mkdir -p "$scratch/disk"
    scratch=$(cd "$scratch" && pwd)
    if ! unshare --mount --propagation private \
        mount -t tmpfs -o size=256k gapsim-full-disk "$scratch/disk" 2>"$scratch/mount.err"; then
        why=$(head -n 1 "$scratch/mount.err")
        if [ "${GAPSIM_CI:-0}" = 1 ]; then
            echo "cli_full_disk: SKIPPED IN CI: this machine does not permit mounting a tmpfs ($why): the full-disk behaviour was not tested" >&2
        fi
        echo "cli_full_disk: SKIPPED: mounting a tmpfs is not permitted here ($why); run as root to test a full disk"
        exit 77
    fi
    exec env GS_FULL_DISK_INSIDE=1 unshare --mount --propagation private \
        bash "$0" "$1" "$2" "$scratch"
fi

# Inside the private mount namespace.
disk=$scratch/disk
mount -t tmpfs -o size=256k gapsim-full-disk "$disk" || exit 1
cfg=$src/configs/baseline.cfg
cd "$scratch" || exit 1
export LC_ALL=C
. "$src/tests/lib.sh"
snapshot() { (cd "$disk/$1" && find . -type f | sort | xargs sha256sum); }
# Nothing on the disk but the folders and their lock files.
only() {
    local want=$1 got
    got=$(ls -A "$disk" | grep -v '^filler$' | sort | tr '\n' ' ')
    test "$got" = "$want"
}
# fill BYTES: a filler file takes all but BYTES of the free space.
fill() {
    rm -f "$disk/filler"
    local free
    free=$(($(stat -f -c '%a * %S' "$disk")))
    if [ "$free" -gt "$1" ]; then
        head -c $((free - $1)) /dev/zero >"$disk/filler" 2>/dev/null
    fi
    return 0
}

# fails_whole NAME CMD...: the command fails with status 1 and one line
# naming a file inside NAME and the reason, NAME is as it was, and nothing
# else is left on the disk.
fails_whole() {
    local name=$1 before rc
    shift
    before=$(snapshot "$name")
    "$@" 2>"$scratch/err"
    rc=$?
    check "$name: $*: exit status 1 on a full disk (got $rc)" test $rc -eq 1
    check "$name: the message is one line" test "$(wc -l <"$scratch/err")" -eq 1
    check "$name: the message names the folder and the reason ($(cat "$scratch/err"))" \
        grep -qE "$disk/$name/[a-z_]+\.(csv|json|txt).*(No space left on device|disk full)" "$scratch/err"
    check "$name: the earlier folder is untouched" test "$(snapshot "$name")" = "$before"
    check "$name: no staging or temporary file is left" only ".$name.lock $name "
}

# 1. A complete run, then the same run with parameters.csv, which does not fit.
"$gapsim" run "$cfg" -n 200 --no-plots -q -o "$disk/r"
check "a first run fits the disk" listed_equals_present "$disk/r"
fails_whole r "$gapsim" run "$cfg" -n 5000 --seed 9 --no-plots -q --write-parameters -o "$disk/r"

# 2. The disk full at every point of a re-run: with a little space left the
# re-run fails at some file (the staging folder cannot hold it all), with
# enough it succeeds; either way the folder holds one whole run.
failed=0
for left in 0 4096 16384 32768 65536; do
    fill $left
    before=$(snapshot r)
    "$gapsim" run "$cfg" -n 200 --seed $((left + 1)) --no-plots -q -o "$disk/r" 2>"$scratch/err"
    rc=$?
    if [ $rc -eq 1 ]; then
        failed=$((failed + 1))
        check "r: $left bytes left: the earlier run is untouched" test "$(snapshot r)" = "$before"
        check "r: $left bytes left: the message names the reason" grep -qE 'No space left on device|disk full' "$scratch/err"
    else
        check "r: $left bytes left: status 0 or 1 (got $rc)" test $rc -eq 0
        check "r: $left bytes left: the new run is whole" listed_equals_present "$disk/r"
        check "r: $left bytes left: and new" grep -q "\"seed\": $((left + 1))," "$disk/r/manifest.json"
    fi
    check "r: $left bytes left: nothing else on the disk" only ".r.lock r "
done
check "with little space left the re-runs failed ($failed of 5)" test $failed -ge 2
rm -f "$disk/filler"

# 3. A sweep: a complete one, then a re-run on a full disk.
cat >"$scratch/small.cfg" <<EOF
sweep = {
  name = "small"; base = "$cfg"; method = "oat"; trajectories = 100; seed = 3;
  metrics = ["share@2030:p50", "target:2030"];
  parameters = ( { path = "funds.fund2.size"; values = [150.0, 600.0]; } );
};
EOF
rm -rf "$disk/r" "$disk/.r.lock"
"$gapsim" sweep "$scratch/small.cfg" --no-plots -q -o "$disk/s"
check "a first sweep fits the disk" listed_equals_present "$disk/s"
fill 0
fails_whole s "$gapsim" sweep "$scratch/small.cfg" --seed 4 --no-plots -q -o "$disk/s"
rm -f "$disk/filler"

umount "$disk"
gs_test_end cli_full_disk
