#!/usr/bin/env bash
# docs/library.md's programs, exactly as printed there, compiled against an
# installed copy of the library through pkg-config: the first runs the
# baseline, the second a small sweep with its charts.
#   library_program.sh BUILD_DIR SOURCE_DIR TMP
set -euo pipefail
build=$1 src=$2 tmp=$3
rm -rf "$tmp"
mkdir -p "$tmp"
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(find "$tmp/prefix" -name gapsim.pc -printf '%h\n' | head -1)
[ -n "$libdir" ] || { echo "FAIL: no gapsim.pc installed" >&2; exit 1; }
[ -f "$tmp/prefix/include/gapsim.h" ] || { echo "FAIL: no gapsim.h installed" >&2; exit 1; }
# The first C block of the page.
awk '/^```c$/ { on = 1; next } on && /^```$/ { exit } on { print }' "$src/docs/library.md" \
  >"$tmp/run_scenario.c"
[ -s "$tmp/run_scenario.c" ] || { echo "FAIL: no C program in docs/library.md" >&2; exit 1; }
export PKG_CONFIG_PATH="$libdir"
# shellcheck disable=SC2046 # pkg-config's output is a list of words
cc -std=c17 -Wall -Wextra -Wpedantic -Werror -o "$tmp/run_scenario" "$tmp/run_scenario.c" \
  $(pkg-config --cflags --libs gapsim)
# It must be the installed shared library that runs, not a build-tree copy.
# (grep reads all of ldd's output: with -q, ldd could die of SIGPIPE and
# pipefail would fail the check at random.)
export LD_LIBRARY_PATH="$(dirname "$libdir")"
ldd "$tmp/run_scenario" | grep "$tmp/prefix/.*libgapsim.so" >/dev/null \
  || { echo "FAIL: the program does not load the installed libgapsim.so" >&2; exit 1; }
out=$("$tmp/run_scenario" "$src/configs/baseline.cfg" "$tmp/out")
grep -Eq '^median share in [0-9]{4}: 0\.[0-9]{4}$' <<<"$out" \
  || { echo "FAIL: unexpected output: $out" >&2; exit 1; }
for f in quantiles.csv targets.csv milestones.csv summary.txt manifest.json; do
  [ -s "$tmp/out/$f" ] || { echo "FAIL: the program wrote no $f" >&2; exit 1; }
done
grep -q '"trajectories": 2000' "$tmp/out/manifest.json" \
  || { echo "FAIL: manifest does not record the 2000 trajectories asked" >&2; exit 1; }
# A bad file: the library's located message and the configuration exit status.
set +e
"$tmp/run_scenario" "$src/tests/data/does-not-exist.cfg" "$tmp/bad" 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || { echo "FAIL: a missing scenario exits $rc, not 2" >&2; exit 1; }
grep -q '^run_scenario: .*does-not-exist.cfg' "$tmp/err" \
  || { echo "FAIL: the error does not name the file: $(cat "$tmp/err")" >&2; exit 1; }
[ ! -e "$tmp/bad" ] || { echo "FAIL: a failed load left a folder behind" >&2; exit 1; }
# The second C block: a sweep and its charts, on a two-point sweep of the
# baseline whose metric is the first output the run above wrote, at its horizon.
awk '/^```c$/ { n++; if (n == 2) { on = 1; next } } on && /^```$/ { exit } on { print }' \
  "$src/docs/library.md" >"$tmp/sweep_charts.c"
[ -s "$tmp/sweep_charts.c" ] || { echo "FAIL: no second C program in docs/library.md" >&2; exit 1; }
# shellcheck disable=SC2046 # pkg-config's output is a list of words
cc -std=c17 -Wall -Wextra -Wpedantic -Werror -o "$tmp/sweep_charts" "$tmp/sweep_charts.c" \
  $(pkg-config --cflags --libs gapsim)
var=$(sed -n 2p "$tmp/out/quantiles.csv" | cut -d, -f2)
horizon=$(awk -F, -v v="$var" '$2 == v { y = $1 } END { print y }' "$tmp/out/quantiles.csv")
metric="$var@$horizon:mean"
cat >"$tmp/two.cfg" <<EOF
sweep = {
  name = "two";
  base = "$src/configs/baseline.cfg";
  method = "oat";
  metrics = ["$metric"];
  parameters = ( { path = "funds.fund2.size"; values = [150.0, 300.0]; } );
};
EOF
out=$("$tmp/sweep_charts" "$tmp/two.cfg" "$tmp/sweep")
grep -q '^oat: Sweep two ' <<<"$out" || { echo "FAIL: unexpected sweep output: $out" >&2; exit 1; }
grep -Eq '^charts: [0-9]+ drawn, [0-9]+ failed$' <<<"$out" \
  || { echo "FAIL: no chart report: $out" >&2; exit 1; }
[ "$(wc -l <"$tmp/sweep/points.csv")" -eq 4 ] \
  || { echo "FAIL: points.csv does not hold the header, the base and two points" >&2; exit 1; }
printf 'sweep = { name = "x"; base = "%s"; method = "oat"; levles = 3; };\n' \
  "$src/configs/baseline.cfg" >"$tmp/bad_sweep.cfg"
set +e
"$tmp/sweep_charts" "$tmp/bad_sweep.cfg" "$tmp/bad_sweep" 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || { echo "FAIL: a bad sweep file exits $rc, not 2" >&2; exit 1; }
grep -q "^sweep_charts: $tmp/bad_sweep.cfg:1: unknown key" "$tmp/err" \
  || { echo "FAIL: the sweep error is not located: $(cat "$tmp/err")" >&2; exit 1; }
echo "library_program: ok"
