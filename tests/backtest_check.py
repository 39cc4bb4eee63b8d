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


def first_years(vals, output, thr, t0, T, above=False):
    traj = vals[(output, t0)].keys()
    out = []
    for j in traj:
        fy = T + 1
        for y in range(t0, T + 1):
            x = vals[(output, y)][j]
            if (x >= thr) if above else (x <= thr * (1 + 1e-9)):
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


def terms(o):
    """(output, year, weight) of an observation: every name of a sum "a+b",
    at the time "at" linearly between two years, or in the row's year."""
    at = float(o.get("at") or o["year"])
    y0 = math.floor(at)
    f = at - y0
    out = []
    for name in o["variable"].split("+"):
        out.append((name, y0, 1 - f))
        if f > 0:
            out.append((name, y0 + 1, f))
    return out


# Outputs defined only where the leader has the 7-nm class (models/observables.c).
DEFINED_WHERE = {"premium_7": ("leader_node_nm", 7.0), "yield_7": ("leader_node_nm", 7.0)}


def sample(vals, o):
    ts = terms(o)
    trajs = list(vals[(ts[0][0], ts[0][1])].keys())
    cond = DEFINED_WHERE.get(o["variable"])
    if cond:
        last = max(y for _, y, _ in ts)
        trajs = [j for j in trajs if vals[(cond[0], last)][j] <= cond[1] * (1 + 1e-9)]
    return [sum(w * vals[(v, y)][j] for v, y, w in ts) for j in trajs]


def bound_scores(xs, b, below, sd):
    """P(observed side) with the observation error, and the CRPS's lower
    bound: the integral of P(X > x)^2 over x > b (below) or of P(X < x)^2
    over x < b (above), of the sample without the error."""
    n = len(xs)
    if sd > 0:
        p = sum(Phi((b - x) / sd) for x in xs) / n
    else:
        p = (sum(x < b for x in xs) + 0.5 * sum(x == b for x in xs)) / n
    p = p if below else 1 - p
    side = sorted((x - b) if below else (b - x) for x in xs if (x > b if below else x < b))
    tail, prev, s = len(side) / n, 0.0, 0.0
    for c in side:
        s += tail * tail * (c - prev)
        prev = c
        tail -= 1 / n
    return p, s


def rank_quantile(xs, p):
    s = sorted(xs)
    n = len(s)
    k = math.ceil(p * n * (1 - 8 * 2.220446049250313e-16))
    k = 1 if p <= 0 or k < 1 else min(k, n)
    return s[k - 1]


def check(run, obs, rows, pit_col, crps_col, errors, label):
    vals, q, t0, T = run
    for r in rows:
        o = obs[r["id"]]
        var, year = o["variable"], int(o["year"])
        composite = "+" in var or (o.get("at") or "") != "" and float(o["at"]) != year \
            or var in DEFINED_WHERE
        if o["kind"] in ("below", "above"):
            xs = sample(vals, o)
            y = float(o["value"])
            p, crps = bound_scores(xs, y, o["kind"] == "below", float(o["sd"] or 0))
            e_abs = sum(abs(x - y) for x in xs) / len(xs)
            tol = 1e-9 * max(1, crps) + float(r["crps_accuracy"] or 0)
            if label == "scenario":
                if abs(float(r["p_region"]) - p) > 1e-9:
                    errors.append(f"{r['id']}: p_region {r['p_region']}, expected {p:.12g}")
                flags = (str(int(p > 0.25)), str(int(p > 0.05)))
                if flags != (r["in50"], r["in90"]):
                    errors.append(f"{r['id']}: flags {r['in50']},{r['in90']}, expected {flags}")
                if r["pit"] != "":
                    errors.append(f"{r['id']}: a bound has no PIT, got {r['pit']}")
                if float(r["crps_accuracy"]) > 2e-3 * e_abs + 1e-12:
                    errors.append(f"{r['id']}: crps_accuracy {r['crps_accuracy']} above 2 alpha E|X - y|")
            if abs(float(r[crps_col]) - crps) > tol:
                errors.append(f"{r['id']} ({label}): CRPS {r[crps_col]}, expected {crps:.12g} (tolerance {tol:.3g})")
            continue
        if o["kind"] == "value" and composite:
            xs = sample(vals, o)
            y = float(o["value"])
            pit, crps = value_scores(xs, y, float(o["sd"] or 0))
            tol = 1e-9 * max(1, abs(crps)) + float(r["crps_accuracy"] or 0)
            if label == "scenario":
                # From the probe's sketch of x - y: within alpha |x_(k) - y|.
                for k, pq in zip(("p05", "p25", "p50", "p75", "p95"), (0.05, 0.25, 0.5, 0.75, 0.95)):
                    want = rank_quantile(xs, pq)
                    if abs(float(r[k]) - want) > 1e-3 * abs(want - y) + 1e-9 * max(1, abs(want)):
                        errors.append(f"{r['id']}: {k} {r[k]}, expected {want:.12g} (sketch accuracy)")
        elif o["kind"] == "value":
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
            if var.startswith("measure:"):
                fys = first_years(vals, "control_" + var[len("measure:"):], 1.0, t0, T, above=True)
            else:
                output, thr = ("leader_node_nm", var[len("milestone:"):]) if var.startswith("milestone:") \
                    else ("frontier_nm", var[len("frontier:"):])
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
