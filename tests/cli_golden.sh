#!/usr/bin/env bash
# Golden answers: the baseline's quantiles.csv and targets.csv at 2000
# trajectories, seed 20190101, two threads, compared with the files in
# tests/golden/ to a relative tolerance of 1e-8 (printing digits only; see
# golden_compare.py).  A change that moves the numbers fails here until the
# golden files are regenerated in the same commit, which makes it a visible,
# reviewed change:
#   gapsim run configs/baseline.cfg -n 2000 --seed 20190101 --threads 2 --no-plots -q -o DIR
#   cp DIR/quantiles.csv DIR/targets.csv tests/golden/
set -euo pipefail
bin=$1 src=$2 tmp=$3
rm -rf "$tmp"
mkdir -p "$tmp"
"$bin" run "$src/configs/baseline.cfg" -n 2000 --seed 20190101 --threads 2 --no-plots -q \
  -o "$tmp/run"
fail=0
for f in quantiles.csv targets.csv; do
  python3 "$src/tests/golden_compare.py" "$src/tests/golden/baseline_$f" "$tmp/run/$f" 1e-8 \
    || fail=1
done
# The comparison itself must catch a change: one digit moved fails it.
sed '3s/,\([0-9]\)\([0-9]*\),/,\1\2,/; 3s/^\(2015,[a-z_]*,\)\([0-9]\)/\1 9\2/' \
  "$src/tests/golden/baseline_quantiles.csv" | tr -d ' ' >"$tmp/moved.csv"
if python3 "$src/tests/golden_compare.py" "$src/tests/golden/baseline_quantiles.csv" \
  "$tmp/moved.csv" 1e-8 >/dev/null; then
  echo "FAIL: the golden comparison accepts a changed number" >&2
  fail=1
fi
[ $fail -eq 0 ] && echo "cli_golden: ok"
exit $fail
