#!/usr/bin/env bash
# gapsim benchmark: speed (trajectories per second) and peak memory of
# `gapsim run` on the baseline, by trajectories and threads.
#
#   bash bench/run.sh [GAPSIM] [--quick]
#
# Memory must not grow with the number of trajectories: the last line checks
# that the peak resident set at the largest N is within 10 % (plus 4 MB of
# allocator slack) of the one at the smallest N, and fails otherwise.
# Results go to stdout as a table; nothing here is a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/gapsim}
quick=0
[ "${2:-}" = "--quick" ] && quick=1
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi
sizes=(10000 100000 1000000)
[ $quick -eq 1 ] && sizes=(10000 100000)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

printf '%-12s %-8s %-10s %-14s %-10s\n' trajectories threads seconds traj_per_s max_rss_kB
declare -A rss
for n in "${sizes[@]}"; do
  for k in 1 2; do
    /usr/bin/time -f '%e %M' -o "$scratch/t" "$bin" run configs/baseline.cfg -n "$n" --threads "$k" \
      --no-plots -q -o "$scratch/out"
    read -r secs kb <"$scratch/t"
    rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    printf '%-12s %-8s %-10s %-14s %-10s\n' "$n" "$k" "$secs" "$rate" "$kb"
    rss[$n,$k]=$kb
  done
done
small=${sizes[0]}
large=${sizes[${#sizes[@]}-1]}
for k in 1 2; do
  awk -v a="${rss[$small,$k]}" -v b="${rss[$large,$k]}" -v k="$k" -v s="$small" -v l="$large" 'BEGIN {
    if (b > a * 1.10 + 4096) {
      printf "bench: memory grows with trajectories (%d kB at %d, %d kB at %d, %d threads)\n", a, s, b, l, k
      exit 1
    }
    printf "bench: memory flat in trajectories (%d kB at %d, %d kB at %d, %d threads)\n", a, s, b, l, k
  }'
done
