#!/usr/bin/env python3
"""An independent computation of a backtest's scores from written
trajectories: reads a run's trajectories.csv (every trajectory of the run)
and quantiles.csv, the observations file and backtest.csv, recomputes the
PIT, band flags and CRPS of every scored observation from the sample itself,
and exits 1 listing every disagreement.

    backtest_check.py RUNDIR OBSERVATIONS BACKTEST_CSV [REF_RUNDIR]

Tolerances: PIT and the CRPS of discrete variables and first years are exact
sums over the same trajectories (1e-9); the CRPS of a continuous variable may
differ by its reported crps_accuracy (the binning bound of E|X - X'|) and
1e-9 of rounding.
"""
import csv
import math
import sys
from collections import defaultdict


def load_run(d):
    vals = defaultdict(dict)  # (variable, year) -> {trajectory: value}
    with open(f"{d}/trajectories.csv", newline="") as f:
        for r in csv.DictReader(f):
            vals[(r["variable"], int(r["year"]))][int(r["trajectory"])] = float(r["value"])
    q = {}
    with open(f"{d}/quantiles.csv", newline="") as f:
        for r in csv.DictReader(f):
            q[(r["variable"], int(r["year"]))] = [float(r[k]) for k in ("p05", "p25", "p50", "p75", "p95")]
    years = sorted({y for (_, y) in vals})
    return vals, q, years[0], years[-1]


def phi(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def Phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2))


def folded(m, s):
    if s <= 0:
        return abs(m)
    z = m / s
    return m * (2 * Phi(z) - 1) + 2 * s * phi(z)


def mean_abs_pairs(xs):
    xs = sorted(xs)
    n = len(xs)
    s = sum((2 * i - n + 1) * x for i, x in enumerate(xs))  # sum_{i<j} (x_j - x_i)
    return 2 * s / (n * n)


def value_scores(xs, y, sd):
    n = len(xs)
    if sd > 0:
        pit = sum(Phi((y - x) / sd) for x in xs) / n
        e1 = sum(folded(x - y, sd) for x in xs) / n
        e2 = sum(folded(a - b, math.sqrt(2) * sd) for a in xs for b in xs) / (n * n)
    else:
        pit = (sum(x < y for x in xs) + 0.5 * sum(x == y for x in xs)) / n
        e1 = sum(abs(x - y) for x in xs) / n
        e2 = mean_abs_pairs(xs)
    return pit, max(0.0, e1 - e2 / 2)


def first_years(vals, output, thr, t0, T):
    traj = vals[(output, t0)].keys()
    out = []
    for j in traj:
        fy = T + 1
        for y in range(t0, T + 1):
            if vals[(output, y)][j] <= thr * (1 + 1e-9):
                fy = y
                break
        out.append(fy)
    return out


def first_scores(fys, obs_year, value, t0, T):
    n = len(fys)
    F = lambda k: sum(f <= k for f in fys) / n
    if value == "":
        c = obs_year
        return (1 + F(c)) / 2, sum(F(k) ** 2 for k in range(t0, c + 1))
    y = int(value)
    pit = (F(y) + (F(y - 1) if y > t0 else 0)) / 2
    return pit, sum((F(k) - (1 if k >= y else 0)) ** 2 for k in range(t0, T + 1))


def quantile_years(fys, p):
    s = sorted(fys)
    n = len(s)
    for k in range(min(s), max(s) + 1):
        if sum(f <= k for f in s) >= p * n - 1e-9 * n:
            return k
    return s[-1]


def check(run, obs, rows, pit_col, crps_col, errors, label):
    vals, q, t0, T = run
    for r in rows:
        o = obs[r["id"]]
        var, year = o["variable"], int(o["year"])
        if o["kind"] == "value":
            xs = list(vals[(var, year)].values())
            pit, crps = value_scores(xs, float(o["value"]), float(o["sd"] or 0))
            # crps_accuracy is 0 for discrete variables (exact level counts).
            tol = 1e-9 * max(1, abs(crps)) + float(r["crps_accuracy"] or 0)
            if label == "scenario":
                want = q[(var, year)]
                got = [float(r[k]) for k in ("p05", "p25", "p50", "p75", "p95")]
                if any(abs(a - b) > 1e-9 * max(1, abs(a)) for a, b in zip(want, got)):
                    errors.append(f"{r['id']}: quantiles {got} differ from quantiles.csv {want}")
                if float(o["sd"] or 0) == 0:
                    y = float(o["value"])
                    in50 = int(got[1] <= y <= got[3])
                    in90 = int(got[0] <= y <= got[4])
                    if (str(in50), str(in90)) != (r["in50"], r["in90"]):
                        errors.append(f"{r['id']}: flags {r['in50']},{r['in90']}, expected {in50},{in90}")
        else:
            output, thr = ("node_domestic_nm", var[len("milestone:"):]) if var.startswith("milestone:") \
                else ("node_frontier_nm", var[len("frontier:"):])
            fys = first_years(vals, output, float(thr[:-2]), t0, T)
            pit, crps = first_scores(fys, year, o["value"], t0, T)
            tol = 1e-9
            if label == "scenario":
                want = [quantile_years(fys, p) for p in (0.05, 0.25, 0.5, 0.75, 0.95)]
                got = [int(float(r[k])) for k in ("p05", "p25", "p50", "p75", "p95")]
                if want != got:
                    errors.append(f"{r['id']}: first-year quantiles {got}, expected {want}")
        if abs(float(r[pit_col]) - pit) > 1e-9:
            errors.append(f"{r['id']} ({label}): PIT {r[pit_col]}, expected {pit:.12g}")
        if abs(float(r[crps_col]) - crps) > tol:
            errors.append(f"{r['id']} ({label}): CRPS {r[crps_col]}, expected {crps:.12g} (tolerance {tol:.3g})")
        if label == "reference" and float(r["crps_reference"]) > 0:
            skill = 1 - float(r["crps"]) / float(r["crps_reference"])
            if abs(float(r["skill"]) - skill) > 1e-9 * max(1, abs(skill)):
                errors.append(f"{r['id']}: skill {r['skill']}, expected {skill:.12g}")


def main():
    rundir, obsfile, btfile = sys.argv[1:4]
    refdir = sys.argv[4] if len(sys.argv) > 4 else None
    with open(obsfile, newline="") as f:
        obs = {r["id"]: r for r in csv.DictReader(f)}
    with open(btfile, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("backtest_check: backtest.csv scores nothing")
    errors = []
    check(load_run(rundir), obs, rows, "pit", "crps", errors, "scenario")
    if refdir:
        check(load_run(refdir), obs, [r for r in rows if r["crps_reference"] != ""],
              "pit_reference", "crps_reference", errors, "reference")
    for e in errors:
        print("backtest_check:", e)
    print(f"backtest_check: {len(rows)} observations, {len(errors)} disagreements")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
