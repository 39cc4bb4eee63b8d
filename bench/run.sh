#!/usr/bin/env bash
# gapsim benchmark (docs/performance.md): speed, memory, the random-number
# floor, the numpy peer and a sweep's fixed cost, each comparison measured
# side by side in one run.
#
#   bash bench/run.sh [--ci] [BUILD_DIR]      (BUILD_DIR defaults to build)
#
# BUILD_DIR holds gapsim and gapsim_floor (a Release or RelWithDebInfo
# build).  Every repetition runs the competitors one after another (floor,
# gapsim with 1 thread, gapsim with 2 threads, the numpy peer: A B A B ...),
# so that a change of machine load hits them alike; the tables give medians
# over the repetitions and ratios of those medians.  Times are whole-process:
# wall (elapsed) and CPU (user + system), from GNU time, which also gives the
# peak resident set.  Wall time is what a user waits; on a shared machine CPU
# time is steadier, and the ratio to the single-threaded floor is taken on it.
#
# --ci: small sizes and one repetition, to show that the benchmark works and
# to print its ratios (under a minute on two cores).  Nothing here is a test:
# no ratio or time makes it fail.
set -euo pipefail
cd "$(dirname "$0")/.."
ci=0
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
fi
bdir=${1:-build}
bin=$bdir/gapsim
floor=$bdir/gapsim_floor
cfg=configs/baseline.cfg
for f in "$bin" "$floor"; do
  if [ ! -x "$f" ]; then
    echo "bench: $f is missing (cmake --build $bdir)" >&2
    exit 2
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
  exit 2
fi
# The first Python with numpy (Debian's python3-numpy is in /usr/bin's).
peer=0 py=
for p in "${PYTHON:-python3}" /usr/bin/python3; do
  if "$p" -c 'import numpy' 2>/dev/null; then
    peer=1 py=$p
    break
  fi
done
[ -f bench/peer.py ] || peer=0
[ $peer -eq 1 ] || echo "bench: bench/peer.py or python3-numpy is missing: the numpy peer is left out" >&2

if [ $ci -eq 1 ]; then
  sizes=(10000 50000)
  reps=1
  peer_max=50000
else
  sizes=(10000 100000 1000000)
  reps=${GAPSIM_BENCH_REPS:-3}
  peer_max=1000000
fi
seed=20190101
# The first base_year and horizon keys are the scenario's (later groups may
# reuse the names).
years=$(awk '/^ *base_year *=/ && b == "" { b = $3 } /^ *horizon *=/ && h == "" { h = $3 }
  END { gsub(";", "", b); gsub(";", "", h); print h - b + 1 }' "$cfg")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log=$scratch/log     # name n rep wall cpu rss_kB

# measure NAME N REP command...: one whole-process measurement.
measure() {
  local name=$1 n=$2 rep=$3
  shift 3
  /usr/bin/time -f '%e %U %S %M' -o "$scratch/t" "$@" >/dev/null
  read -r wall user sys kb <"$scratch/t"
  echo "$name $n $rep $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $kb" >>"$log"
}

echo "gapsim benchmark: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); scenario $cfg, $years years, seed $seed, $reps repetition(s)"
for ((r = 1; r <= reps; r++)); do
  for n in "${sizes[@]}"; do
    measure floor "$n" "$r" "$floor" "$cfg" "$n" "$seed"
    for k in 1 2; do
      measure "gapsim_t$k" "$n" "$r" "$bin" run "$cfg" -n "$n" --seed "$seed" --threads "$k" \
        --no-plots -q -o "$scratch/out"
    done
    # --- numpy peer rows (docs/performance.md, "The numpy peer") ---
    # The peer runs on gapsim's own parameter draws: a gapsim run with
    # --write-parameters, made once per N and not timed, writes them.  Its
    # --timing line (load of parameters.csv, simulation) goes to peer_split.
    if [ $peer -eq 1 ] && [ "$n" -le "$peer_max" ]; then
      [ -f "$scratch/par$n/parameters.csv" ] ||
        "$bin" run "$cfg" -n "$n" --seed "$seed" --write-parameters --no-plots -q -o "$scratch/par$n"
      measure peer "$n" "$r" "$py" bench/peer.py --gapsim "$bin" --parameters "$scratch/par$n/parameters.csv" \
        --seed "$seed" --timing -o "$scratch/peer" "$cfg" 2>>"$scratch/peer_split"
    fi
    # --- end of the numpy peer rows ---
  done
done

# med NAME N COLUMN: the median over repetitions (columns: 4 wall, 5 cpu, 6 rss).
med() {
  awk -v name="$1" -v n="$2" -v c="$3" '$1 == name && $2 == n { print $c }' "$log" | sort -g |
    awk '{ v[++k] = $1 } END { if (k == 0) print "nan"; else print (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.2f", a / b }'; }

echo
echo "== speed (medians; traj/s and ns per trajectory-year from wall time)"
printf '%-9s %-12s %9s %9s %12s %10s %10s\n' N program wall_s cpu_s traj_per_s ns_traj_yr peak_kB
for n in "${sizes[@]}"; do
  for p in floor gapsim_t1 gapsim_t2 peer; do
    w=$(med "$p" "$n" 4)
    [ "$w" = nan ] && continue
    c=$(med "$p" "$n" 5) kb=$(med "$p" "$n" 6)
    awk -v n="$n" -v p="$p" -v w="$w" -v c="$c" -v kb="$kb" -v y="$years" 'BEGIN {
      printf "%-9d %-12s %9.3f %9.3f %12.0f %10.1f %10d\n", n, p, w, c, (w > 0 ? n / w : 0),
        (w > 0 ? w / (n * y) * 1e9 : 0), kb }'
  done
done

echo
echo "== side by side (ratios of medians)"
printf '%-9s %-22s %-22s %-22s %-22s\n' N gapsim/floor_cpu_1thr 2thr_speedup_wall peer/gapsim_1thr_wall peer/gapsim_2thr_wall
for n in "${sizes[@]}"; do
  printf '%-9s %-22s %-22s %-22s %-22s\n' "$n" \
    "$(ratio "$(med gapsim_t1 "$n" 5)" "$(med floor "$n" 5)")" \
    "$(ratio "$(med gapsim_t1 "$n" 4)" "$(med gapsim_t2 "$n" 4)")" \
    "$(ratio "$(med peer "$n" 4)" "$(med gapsim_t1 "$n" 4)")" \
    "$(ratio "$(med peer "$n" 4)" "$(med gapsim_t2 "$n" 4)")"
done

# --- numpy peer rows: where the peer's time goes (medians of its --timing) ---
if [ $peer -eq 1 ] && [ -s "$scratch/peer_split" ]; then
  # pmed N FIELD: median of a field of the peer's lines "peer: n=N load A s,
  # simulate+summarise B s wall; CPU C s, D s" (4 A, 7 B, 11 C, 13 D).
  pmed() {
    awk -v n="n=$1" -v f="$2" '$2 == n { print $f }' "$scratch/peer_split" | sort -g |
      awk '{ v[++k] = $1 } END { if (k == 0) print "nan"; else print (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2) }'
  }
  echo
  echo "== numpy peer: reading gapsim's parameters.csv against simulating (medians)"
  printf '%-9s %10s %10s %10s %10s %-24s\n' N load_wall sim_wall load_cpu sim_cpu peer_sim/gapsim_1thr_cpu
  for n in "${sizes[@]}"; do
    [ "$n" -le "$peer_max" ] || continue
    printf '%-9s %10s %10s %10s %10s %-24s\n' "$n" "$(pmed "$n" 4)" "$(pmed "$n" 7)" "$(pmed "$n" 11)" \
      "$(pmed "$n" 13)" "$(ratio "$(pmed "$n" 13)" "$(med gapsim_t1 "$n" 5)")"
  done
fi
# --- end of the numpy peer rows ---

small=${sizes[0]}
large=${sizes[${#sizes[@]}-1]}
echo
echo "== peak memory, $large against $small trajectories"
for k in 1 2; do
  a=$(med "gapsim_t$k" "$small" 6) b=$(med "gapsim_t$k" "$large" 6)
  awk -v a="$a" -v b="$b" -v k="$k" -v s="$small" -v l="$large" 'BEGIN {
    printf "%d thread(s): %d kB at %d, %d kB at %d: %+.1f %% (%s 10 %%)\n", k, a, s, b, l,
      100 * (b - a) / a, (b <= 1.10 * a ? "within" : "NOT within") }'
done

echo
echo "== two threads against one (medians; load average now $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
# The wall ratio is the speedup a user sees; it needs a second idle core.
# The CPU ratio is the work the second thread adds (1.00: none), and the
# 2-thread run's CPU / wall the cores it actually got (2.00 on an idle
# machine; near 1 or below when other processes hold the cores).
printf '%-9s %-20s %-22s %-22s\n' N 2thr_speedup_wall 2thr/1thr_cpu_seconds cores_used_by_2thr
for n in "${sizes[@]}"; do
  printf '%-9s %-20s %-22s %-22s\n' "$n" \
    "$(ratio "$(med gapsim_t1 "$n" 4)" "$(med gapsim_t2 "$n" 4)")" \
    "$(ratio "$(med gapsim_t2 "$n" 5)" "$(med gapsim_t1 "$n" 5)")" \
    "$(ratio "$(med gapsim_t2 "$n" 5)" "$(med gapsim_t2 "$n" 4)")"
done

echo
echo "== a sweep's fixed cost per design point"
sweep=configs/sweeps/drivers_sobol.cfg
points=$("$bin" sweep "$sweep" -n 1 --no-plots -q -o "$scratch/sw" && tail -n +2 "$scratch/sw/points.csv" | wc -l)
rm -rf "$scratch/sw"
sw_sizes=(1 256)
[ $ci -eq 1 ] && sw_sizes=(1)
for ((r = 1; r <= reps; r++)); do
  for m in "${sw_sizes[@]}"; do
    measure "sweep" "$m" "$r" "$bin" sweep "$sweep" -n "$m" --no-plots -q -o "$scratch/sw$r$m"
    rm -rf "$scratch/sw$r$m"
  done
done
t1=$(med sweep 1 4) c1=$(med sweep 1 5)
awk -v t="$t1" -v c="$c1" -v p="$points" 'BEGIN { printf "%s, %d points x 1 trajectory: %.3f s wall, %.3f s CPU: %.3f ms wall, %.3f ms CPU per point (an upper bound: it includes one trajectory, the analysis and start-up)\n", "'"$sweep"'", p, t, c, 1000 * t / p, 1000 * c / p }'
if [ $ci -eq 0 ]; then
  t256=$(med sweep 256 4) c256=$(med sweep 256 5)
  awk -v a="$t1" -v b="$t256" -v ca="$c1" -v cb="$c256" -v p="$points" 'BEGIN {
    f = (256 * a - b) / 255 / p; c = (b - a) / 255 / p
    fc = (256 * ca - cb) / 255 / p; cc = (cb - ca) / 255 / p
    printf "  and x 256 trajectories: %.3f s wall, %.3f s CPU; straight line through both: %.3f ms fixed per point + %.2f us per trajectory (wall), %.3f ms + %.2f us (CPU)\n", b, cb, 1000 * f, 1e6 * c, 1000 * fc, 1e6 * cc }'
  echo
  echo "== a Sobol' sweep and a calibration as shipped"
  measure sobol_full 0 1 "$bin" sweep "$sweep" --no-plots -q -o "$scratch/swfull"
  n_full=$(awk '/^ *trajectories *=/ { gsub(";", "", $3); print $3; exit }' "$sweep")
  awk -v w="$(med sobol_full 0 4)" -v p="$points" -v n="$n_full" 'BEGIN {
    printf "Sobol'"'"' sweep %s: %d points x %d trajectories: %.1f s wall (%.0f trajectories/s)\n", "'"$sweep"'", p, n, w, p * n / w }'
  if "$bin" calibrate --help >/dev/null 2>&1; then
    # ABC-SMC on the observations up to 2019: 200 parameter vectors, 16
    # trajectories each, at most 3 generations after the prior's.
    measure calib 0 1 "$bin" calibrate "$cfg" --until 2019 --population 200 -n 16 \
      --generations 3 --no-plots -q -o "$scratch/cal"
    tr=$(awk '/^  generation +tolerance/ { on = 1; next } on && NF == 0 { on = 0 }
      on && $1 ~ /^[0-9]+$/ { t += $NF } END { print t + 0 }' "$scratch/cal/calibration.txt")
    awk -v w="$(med calib 0 4)" -v c="$(med calib 0 5)" -v t="$tr" 'BEGIN {
      printf "calibration (abc-smc, population 200, 16 trajectories, 3 generations, until 2019): %d trajectories, %.2f s wall, %.2f s CPU (%.0f trajectories per CPU second)\n", t, w, c, (c > 0 ? t / c : 0) }'
  else
    echo "calibration: not measured (this build has no 'gapsim calibrate')"
  fi
fi

# Instructions do not depend on the machine's load: callgrind's count of a
# whole process, gapsim against its floor at the same N, one thread.
if command -v valgrind >/dev/null; then
  echo
  echo "== instructions (valgrind --tool=callgrind, whole process, 1 thread)"
  ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      awk '/Collected :/ { print $NF }'
  }
  cn=4096
  [ $ci -eq 1 ] && cn=1024
  a=$(ir "$floor" "$cfg" "$cn" "$seed")
  b=$(ir "$bin" run "$cfg" -n "$cn" --seed "$seed" --threads 1 --no-plots -q -o "$scratch/cg")
  awk -v a="$a" -v b="$b" -v n="$cn" -v y="$years" 'BEGIN {
    printf "N = %d: floor %.0f instructions per trajectory, gapsim %.0f (%.0f per trajectory-year): %.1f times the floor\n",
      n, a / n, b / n, b / n / y, b / a }'
  if [ $ci -eq 0 ]; then
    # A design point's fixed cost: the whole sweep at one trajectory per
    # point over its points (start-up and analysis included).
    s1=$(ir "$bin" sweep "$sweep" -n 1 --threads 1 --no-plots -q -o "$scratch/cgsw")
    awk -v s="$s1" -v p="$points" 'BEGIN {
      printf "%s -n 1: %.0f instructions per design point (an upper bound, as above)\n", "'"$sweep"'", s / p }'
  fi
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
