#!/usr/bin/python3
"""A numpy peer of the gapsim model: a second implementation, equation for
equation from docs/model.md, vectorised over trajectories with a loop over
the years.

It reads the scenario gapsim resolved, not the config file: the constants and
the structure (measures, tranches, ladder pins, targets) from
`gapsim check CONFIG` and every sampled parameter's value, trajectory by
trajectory, from the `parameters.csv` that `gapsim run --write-parameters`
wrote.  Both implementations therefore use the same parameter draws; the
process noise (hazard draws, the frontier's steps, the cycle, the random
walks, the step shocks) is drawn here by numpy, independently of gapsim's
Philox streams.  What it does not do: sample parameters itself (no
distributions, no Latin hypercube, no copula), quantile sketches (it sorts),
backtests, sweeps, charts, MPI.

Usage:
  bench/peer.py --gapsim build/gapsim --parameters RUN/parameters.csv \\
      [--set PATH=VALUE]... [--seed S] [-o DIR] CONFIG

writes DIR/quantiles.csv, DIR/targets.csv and DIR/milestones.csv in the
formats of docs/outputs.md (the percentiles are exact order statistics
x_(ceil(p n)), where gapsim's are within 0.1 % of them).
"""
import argparse
import math
import os
import re
import subprocess
import sys
import time

import numpy as np

RUNG_NM = (40.0, 28.0, 14.0, 7.0, 5.0, 3.0, 2.0, 1.4)
RUNG_NAME = ("mature", "28nm", "14nm", "7nm", "5nm", "3nm", "2nm", "1p4nm")
RUNGS = 8
RUNG_EUV = 4
RUNG_7 = 3
X_REF = 28.0
NEVER = 1e9
NODE_RTOL = 1e-9
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


class Sampled:
    """Marks a parameter given as a distribution: its values are in parameters.csv."""

    def __init__(self, text):
        self.text = text


def parse_value(text):
    text = text.strip()
    if text.startswith('"'):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("["):
        body = text[1:-1].strip()
        if not body:
            return []
        if body.startswith('"'):
            return re.findall(r'"([^"]*)"', body)
        return [float(x) for x in body.split(",")]
    if re.match(r"^[a-z_]+\(", text):
        return Sampled(text)
    return float(text)


# Every parameter path the peer implements (or that does not change a
# trajectory: names, labels, sampling, which the peer takes from gapsim's
# draws).  A scenario that sets any other path uses a mechanism the peer does
# not have: it is refused rather than given numbers of another model.
KNOWN = """
anchors.csia_sales_cny anchors.csia_share anchors.made_in_china capacity.build_lag
capacity.depreciation capacity.turnover controls.*.after controls.*.class
controls.*.foreign_cut controls.*.hazard controls.*.law controls.*.pi controls.*.rho
controls.*.sub controls.*.threshold_nm controls.*.tool_measure controls.*.until
controls.*.year controls.*.zeta correlations.matrix correlations.params csia.demand_drift
csia.design_growth csia.design_noise csia.fade frontier.drift frontier.drift_min
frontier.fit frontier.noise frontier.record.nm frontier.record.until frontier.record.years
funds.*.delay funds.*.follows funds.*.fx_year funds.*.label funds.*.lag funds.*.paid_over
funds.*.size funds.*.size_ratio funds.*.year fx.base_year fx.values fx.years
leader.advanced_share leader.c_ref leader.difficulty leader.elasticity leader.lag_min
leader.learning leader.milestones leader.penalty0.euv leader.penalty0.n14
leader.penalty0.n28 leader.penalty0.n7 leader.pilot_share leader.pinned.until
leader.pinned.years leader.r_ref leader.step leader.step_noise leader.world_yield
market.consumption0 market.cycle.beta_domestic market.cycle.beta_foreign market.cycle.rho
market.cycle.sd market.demand_limit.knee market.growth market.growth_noise
outputs.report_years ownership.failure_share ownership.foreign0 ownership.leader0
ownership.leader_share ownership.tool_foreign0 ownership.tool_foreign_drift
parameters_from prices.decay prices.floor prices.mature_decay run.sampler run.seed
run.trajectories scenario.base_year scenario.description scenario.horizon scenario.name
scenario.share_definition scenario.title targets.basis targets.labels targets.values
targets.years tools.base tools.crunch.cut tools.crunch.hazard tools.crunch.years
tools.domestic_push tools.growth tools.growth_after_record tools.noise
tools.observed.values tools.observed.years tools.per_fund_usd tools.saturation
""".split()
KNOWN_RE = re.compile("^(%s)$" % "|".join(re.escape(k).replace(r"\*", "[^.]+") for k in KNOWN))


def read_resolved(lines):
    """Parses `gapsim check` output: `path = value  [unit]  (origin)`.
    Returns the values and the paths set away from their defaults that the
    peer does not implement."""
    vals = {}
    unknown = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        path, _, rest = line.partition(" = ")
        m = re.search(r"  \(([^()]*)\)$", rest.rstrip("\n"))
        origin = m.group(1) if m else ""
        rest = re.sub(r"  \([^()]*\)$", "", rest.rstrip("\n"))
        rest = re.sub(r"  \[[^\]]*\]$", "", rest)
        vals[path] = parse_value(rest)
        if origin != "default" and not KNOWN_RE.match(path):
            unknown.append(path)
    return vals, unknown


def items(vals, coll):
    """Item names of a collection, in gapsim's order (that of `gapsim check`)."""
    names = []
    pre = coll + "."
    for p in vals:
        if p.startswith(pre):
            name = p[len(pre):].split(".")[0]
            if name not in names:
                names.append(name)
    return names


class Scenario:
    def __init__(self, vals, params, n):
        self.v = vals
        self.n = n
        self.cols = params

    def __call__(self, path):
        """A number parameter, one value per trajectory (sampled or constant)."""
        x = self.v[path]
        if isinstance(x, Sampled):
            return self.cols[path]
        return np.full(self.n, float(x))

    def raw(self, path):
        return self.v[path]


def read_parameters(path):
    with open(path, newline="") as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    order = np.argsort(data[:, 0], kind="stable")
    data = data[order]
    return {h: data[:, i].copy() for i, h in enumerate(header) if h != "trajectory"}, len(data)


def clip(a, lo, hi):
    return np.minimum(np.maximum(a, lo), hi)


def logistic(a):
    return 1.0 / (1.0 + np.exp(-a))


def node_reached(x, node):
    return x <= node * (1 + NODE_RTOL)


def simulate(sc, rng, on_year):
    """Runs every trajectory through t0..T; calls on_year(t, outputs) with a
    dict name -> array over trajectories, in quantiles.csv's order.  Noise is
    drawn in a fixed layout per year, used or not (as gapsim does)."""
    n = sc.n
    ones = np.ones(n)
    t0 = int(sc.raw("scenario.base_year"))
    T = int(sc.raw("scenario.horizon"))

    # ------------------------------------------------------------ frontier
    ys = sc.raw("frontier.record.years")
    ns = sc.raw("frontier.record.nm")
    t_rec = int(sc.raw("frontier.record.until"))
    y_first = int(ys[0])
    x_rec = {}
    for t in range(y_first, t_rec + 1):
        x_rec[t] = math.log(X_REF / min(l for y, l in zip(ys, ns) if y <= t))
    m = t_rec - y_first
    incr = [x_rec[t] - x_rec[t - 1] for t in range(y_first + 1, t_rec + 1)]
    dhat = sum(incr) / m
    shat = math.sqrt(sum((d - dhat) ** 2 for d in incr) / (m - 1))
    # Drift and noise given the record (Farmer and Lafond): scaled inverse
    # chi-square for sigma^2, a normal around dhat for mu.
    chi = rng.chisquare(m - 1.0, n)
    sigma = shat * np.sqrt((m - 1.0) / np.maximum(chi, 1e-300))
    mu = np.maximum(sc("frontier.drift_min"),
                    dhat + sigma / math.sqrt(m) * rng.standard_normal(n))
    if not sc.raw("frontier.fit"):
        mu = sc("frontier.drift")
        sigma = sc("frontier.noise")
    x_lvl = np.array([math.log(X_REF / l) for l in RUNG_NM])
    yF = np.full((n, RUNGS), NEVER)
    xbar = np.full(n, -np.inf)
    x = np.zeros(n)

    def publish_frontier(t):
        nonlocal xbar
        xbar = np.maximum(xbar, x)
        new = (yF >= NEVER) & (xbar[:, None] >= x_lvl[None, :] - 1e-12)
        yF[new] = t

    for t in range(y_first, t0 + 1):
        x[:] = x_rec[t]
        publish_frontier(t)

    mnames = items(sc.v, "controls")
    M = len(mnames)
    meas = []
    for k, name in enumerate(mnames):
        g = lambda key, name=name: sc("controls.%s.%s" % (name, key))
        after = sc.raw("controls.%s.after" % name)
        meas.append({
            "law": sc.raw("controls.%s.law" % name),
            "year": g("year"), "hazard": g("hazard"), "until": g("until"),
            "rho": g("rho"), "pi": g("pi"), "zeta": g("zeta"), "sub": g("sub"),
            "cut": g("foreign_cut"),
            "thr": sc.raw("controls.%s.threshold_nm" % name),
            "tool": 1.0 if sc.raw("controls.%s.tool_measure" % name) else 0.0,
            "pred": mnames.index(after) if after else -1,
        })
    in_force = np.zeros((n, max(M, 1)))  # first year in force, 0 while not
    for k, me in enumerate(meas):
        if me["law"] == "fixed":
            yr = me["year"]
            in_force[:, k] = np.where(yr <= t0, yr, 0.0)

    ctl = {}

    def publish_controls():
        phi = np.ones((n, RUNGS))
        pic = np.zeros((n, RUNGS))
        keep = np.ones((n, RUNGS))
        sub = np.ones((n, RUNGS))
        foreign = np.ones(n)
        n_tool = np.zeros(n)
        for k, me in enumerate(meas):
            on = in_force[:, k] != 0
            foreign = np.where(on, foreign * (1.0 - me["cut"]), foreign)
            n_tool = n_tool + on * me["tool"]
            for r in range(RUNGS):
                if not node_reached(RUNG_NM[r], me["thr"]):
                    continue
                phi[:, r] += on * (me["rho"] - 1.0)
                pic[:, r] += on * me["pi"]
                keep[:, r] = np.where(on, keep[:, r] * (1.0 - me["zeta"]), keep[:, r])
                sub[:, r] += on * me["sub"]
        ctl.update(phi=phi, pic=pic, zeta=1.0 - keep, sub=sub, foreign=foreign,
                   n_tool=n_tool)

    publish_controls()

    # -------------------------------------------------------------- invest
    fx_years = sc.raw("fx.years")
    fx_vals = sc.raw("fx.values")
    fx0 = sc("fx.base_year")

    def fx_at(t):
        fx = fx0.copy()
        for y, v in zip(fx_years, fx_vals):
            fx = np.where(y <= t, v, fx)
        return fx

    fnames = items(sc.v, "funds")
    funds = []
    for i, name in enumerate(fnames):
        g = lambda key, name=name: sc("funds.%s.%s" % (name, key))
        fol = sc.raw("funds.%s.follows" % name)
        if fol:
            p = funds[fnames.index(fol)]
            date = p["date"] + g("delay") * ones
            cny = p["cny"] * g("size_ratio")
        else:
            date = g("year") * ones
            cny = g("size") * ones
        fxy = int(sc.raw("funds.%s.fx_year" % name))
        fy = fxy * ones if fxy else np.floor(date)
        funds.append({"date": date, "cny": cny, "usd": cny / fx_at(fy),
                      "over": g("paid_over"), "lag": g("lag")})

    def paid_in(f, tau):
        return f["usd"] * clip((tau - f["date"]) / f["over"], 0.0, 1.0)

    def invested(f, tau):
        return paid_in(f, tau - f["lag"])

    obs = sc.raw("tools.observed.values")
    n_obs = len(obs)
    base = sc("tools.base")
    g_E, s_E = sc("tools.growth"), sc("tools.noise")
    S_sat, g_post = sc("tools.saturation"), sc("tools.growth_after_record")
    nu, psi = sc("tools.per_fund_usd"), sc("tools.domestic_push")
    phi0, dphi = sc("ownership.tool_foreign0"), sc("ownership.tool_foreign_drift")
    lam, wfail = sc("ownership.leader_share"), sc("ownership.failure_share")
    S0 = sc("anchors.made_in_china")
    c_haz, c_years, c_cut = (sc("tools.crunch.hazard"), sc("tools.crunch.years"),
                             sc("tools.crunch.cut"))
    lnE = np.zeros(n)
    lnE_obs = np.zeros(n)
    Enf0 = np.zeros(n)
    crunch_until = np.full(n, t0 - 1.0)

    # ------------------------------------------------------------ industry
    xi = rng.standard_normal((n, RUNGS))
    pins = [int(y) for y in sc.raw("leader.pinned.years")]
    n_pin = len(pins)
    pin_until = int(sc.raw("leader.pinned.until"))
    if pin_until == 0:
        pin_until = pins[-1] if pins else t0
    k = np.zeros(n, dtype=np.int64)
    while k[0] < n_pin and pins[k[0]] <= t0:
        k += 1
    D0 = sc("market.consumption0")
    mic0 = sc("anchors.made_in_china")
    csia0 = sc("anchors.csia_share")
    cny0 = sc("anchors.csia_sales_cny")
    PIC0 = mic0 * D0
    f0, l0, kappa = sc("ownership.foreign0"), sc("ownership.leader0"), sc("capacity.turnover")
    UL = np.zeros((n, RUNGS))
    UL[:, 0] = (1.0 - f0) * l0 * PIC0 / kappa
    UD = (1.0 - f0) * (1.0 - l0) * PIC0 / kappa
    UF = f0 * PIC0 / kappa
    WL = np.zeros((3, n, RUNGS))
    WD = np.zeros((3, n))
    WF = np.zeros((3, n))
    C = np.zeros((n, RUNGS))
    CS0 = cny0 / fx0
    DP0 = CS0 - PIC0
    Dcs0 = CS0 / csia0
    P = np.zeros(n)
    V = np.zeros(n)
    Rbar = np.zeros(n)
    lnPi = np.zeros(n)
    rD = np.zeros(n)
    rDP = np.zeros(n)
    share_mic = mic0.copy()

    gD, sD = sc("market.growth"), sc("market.growth_noise")
    knee = sc("market.demand_limit.knee")
    rhoPi, sPi = sc("market.cycle.rho"), sc("market.cycle.sd")
    betaD, betaF = sc("market.cycle.beta_domestic"), sc("market.cycle.beta_foreign")
    lp, pinf, lM = sc("prices.decay"), sc("prices.floor"), sc("prices.mature_decay")
    delta, Lbar = sc("capacity.depreciation"), sc("capacity.build_lag")
    alpha, eps_dev = sc("leader.advanced_share"), sc("leader.pilot_share")
    tau0, dfac, s_s = sc("leader.step"), sc("leader.difficulty"), sc("leader.step_noise")
    betaR, Rref, lag_min = sc("leader.elasticity"), sc("leader.r_ref"), sc("leader.lag_min")
    pen0 = [None, sc("leader.penalty0.n28"), sc("leader.penalty0.n14"),
            sc("leader.penalty0.n7")] + [sc("leader.penalty0.euv")] * (RUNGS - RUNG_EUV)
    b, Cref = sc("leader.learning"), sc("leader.c_ref")
    world_yield = sc("leader.world_yield")
    gDP, sDP = sc("csia.design_growth"), sc("csia.design_noise")
    gb, tauB = sc("csia.demand_drift"), sc("csia.fade")
    basis = {"made_in_china": "share_made_in_china", "china_hq": "share_china_hq",
             "csia": "share_csia"}[sc.raw("targets.basis")]
    lker = [clip(2.0 - Lbar, 0.0, 1.0), None, clip(Lbar - 2.0, 0.0, 1.0)]
    lker[1] = 1.0 - lker[0] - lker[2]
    rows = np.arange(n)

    def arrive(mask):
        nonlocal P, V
        k[mask] += 1
        UL[rows[mask], k[mask]] += V[mask]
        P = np.where(mask, 0.0, P)
        V = np.where(mask, 0.0, V)

    def pipe_add(W, I, p, ahead):
        # Money spent 'ahead' years before this one: its part s arrives in
        # t + s + 1 - ahead, slot j = s - ahead of the pipeline.
        for s in range(3):
            j = s - ahead
            if j >= 0:
                W[j] += lker[s] * I / p

    for t in range(t0, T + 1):
        # ---- EVENTS (frontier): measures, their effects, the frontier
        u_haz = rng.random((n, M))
        eps_front = rng.standard_normal(n)
        if t > t0:
            for kk, me in enumerate(meas):
                off = in_force[:, kk] == 0
                if me["law"] == "fixed":
                    on = t >= me["year"]
                else:
                    if me["pred"] < 0:
                        pred_ok = np.ones(n, dtype=bool)
                    else:
                        pf = in_force[:, me["pred"]]
                        pred_ok = (pf != 0) & (pf < t)
                    on = (t >= me["year"]) & pred_ok & (u_haz[:, kk] < me["hazard"])
                    if me["law"] == "hazard_until":
                        on = on | (t >= me["until"])
                in_force[:, kk] = np.where(off & on, t, in_force[:, kk])
            publish_controls()
            if t <= t_rec:
                x[:] = x_rec[t]
            else:
                x = x + mu + sigma * eps_front
            publish_frontier(t)

        # ---- INVEST: funds and tools (invest), then the market (industry)
        F = np.zeros(n)
        paid = np.zeros(n)
        inv = np.zeros(n)
        for f in funds:
            F += invested(f, t + 1.0) - invested(f, float(t))
            paid += paid_in(f, t + 1.0)
            inv += invested(f, t + 1.0)
        eps_E = rng.standard_normal(n)
        u_crunch = rng.random(n)
        if t == t0:
            Enf0 = np.maximum(0.0, base - nu * F)
        else:
            brake = clip(1.0 - share_mic / S_sat, -1.0, 1.0)
            lnE = lnE + g_E * brake / (1.0 - S0 / S_sat) + s_E * eps_E
            if t - t0 >= n_obs:
                lnE_obs = lnE_obs + g_post * brake + s_E * eps_E
        Enf = Enf0 * np.exp(lnE)
        phi = logistic(np.log(phi0 / (1.0 - phi0)) + dphi * (t - t0))
        EF = phi * Enf * ctl["foreign"]
        push = (1.0 - phi) * Enf * psi * ctl["n_tool"]
        ED = (1.0 - phi) * Enf + nu * F
        if t > t0:
            start = (t > crunch_until) & (u_crunch < c_haz)
            crunch_until = np.where(start, t + c_years - 1, crunch_until)
        crunch = t <= crunch_until
        ED = np.where(crunch, ED * (1.0 - c_cut), ED)
        push = np.where(crunch, push * (1.0 - c_cut), push)
        if n_obs:
            i = t - t0
            Eobs = obs[i] * ones if i < n_obs else obs[-1] * np.exp(lnE_obs)
            tot = EF + ED + push
            kfac = np.where(tot > 0, Eobs / np.where(tot > 0, tot, 1.0), 0.0)
            EF, ED, push = EF * kfac, ED * kfac, push * kfac
        E = EF + ED + push
        EL = lam * ED
        EDo = ((1.0 - lam) * ED + push) * (1.0 - wfail)
        fx = fx_at(t * ones)

        eps_cyc = rng.standard_normal(n)
        eps_D = rng.standard_normal(n)
        eps_DP = rng.standard_normal(n)
        if t > t0:
            lnPi = rhoPi * lnPi + sPi * eps_cyc
            rD = rD + sD * eps_D
            rDP = rDP + sDP * eps_DP
        Pi = np.exp(lnPi)
        D = D0 * np.exp(gD * (t - t0) + rD) * Pi
        pr = np.empty((n, RUNGS))
        pM = np.exp(-lM * (t - t0))
        pr[:, 0] = pM
        pr[:, 1:] = pinf[:, None] + (1.0 - pinf)[:, None] * np.exp(
            -lp[:, None] * np.maximum(0.0, t - yF[:, 1:]))

        # ---- NODE: arrivals, penalties, allocation of the leader's money
        if t > t0:
            while True:
                kk = np.minimum(k, n_pin - 1) if n_pin else k
                due = (k < n_pin) & (k + 1 < RUNGS)
                if n_pin:
                    due &= np.array(pins)[kk] <= t
                if not due.any():
                    break
                arrive(due)
            work = (k >= n_pin) & (k + 1 < RUNGS)
            if n_pin and t <= pins[-1]:
                work[:] = False
            if work.any():
                nxt = np.minimum(k + 1, RUNGS - 1)
                rel = np.maximum(Rbar / Rref, 0.05)
                tau = (tau0 * dfac ** np.maximum(0.0, k - 2.0) * rel ** (-betaR)
                       * np.exp(s_s * xi[rows, nxt]) * ctl["phi"][rows, nxt])
                P = np.where(work, P + 1.0 / tau, P)
                go = work & (P >= 1.0) & (t > pin_until) & (t >= yF[rows, nxt] + lag_min)
                if go.any():
                    arrive(go)
        pen = np.zeros((n, RUNGS))
        for r in range(1, RUNGS):
            pen[:, r] = pen0[r] * (1.0 + C[:, r] / Cref) ** (-b) + ctl["pic"][:, r]
        q = 1.0 / (1.0 + pen)
        has_next = k + 1 < RUNGS
        pilot = np.where(has_next, eps_dev * EL, 0.0)
        p_next = pr[rows, np.minimum(k + 1, RUNGS - 1)]
        V = np.where(has_next, (1.0 - delta) * V + pilot / p_next, V)
        RL = EL - pilot
        a_new = np.where(k > 0, alpha * RL * q[rows, k] * (1.0 - ctl["zeta"][rows, k]), 0.0)
        a_mat = RL - a_new
        R = a_new + pilot
        Rbar = R if t == t0 else 0.5 * (Rbar + R)

        # ---- SHARE: capacity and pipelines, output, learning, the bases
        if t > t0:
            UL = (1.0 - delta)[:, None] * UL + WL[0]
            WL = np.stack([WL[1], WL[2], np.zeros((n, RUNGS))])
            UD = (1.0 - delta) * UD + WD[0]
            UF = (1.0 - delta) * UF + WF[0]
            WD = np.stack([WD[1], WD[2], np.zeros(n)])
            WF = np.stack([WF[1], WF[2], np.zeros(n)])
        # The leader's money: a_mature on rung 0, a_new on rung k.
        Im = np.where(a_mat > 0, a_mat, 0.0)
        col = [WL[j][:, 0] for j in range(3)]
        pipe_add(col, Im, pM, 0)
        if t == t0:
            for a in (1, 2):
                pipe_add(col, Im, np.exp(-lM * -a), a)
        for j in range(3):
            WL[j][:, 0] = col[j]
        In = np.where((k > 0) & (a_new > 0), a_new, 0.0)
        pk = pr[rows, k]
        for j in range(3):
            WL[j][rows, k] += lker[j] * In / pk
        pipe_add(WD, EDo, pM, 0)
        pipe_add(WF, EF, pM, 0)
        if t == t0:
            for a in (1, 2):
                pa = np.exp(-lM * -a)
                pipe_add(WD, EDo, pa, a)
                pipe_add(WF, EF, pa, a)
        cycD = Pi ** betaD
        cycF = Pi ** betaF
        sub = ctl["sub"]
        QL = np.empty((n, RUNGS))
        QL[:, 0] = kappa * UL[:, 0] * pM * cycD
        QL[:, 1:] = (kappa * cycD)[:, None] * UL[:, 1:] * pr[:, 1:] * q[:, 1:] * sub[:, 1:]
        QD = kappa * UD * pM * cycD
        QF = kappa * UF * pM * cycF
        # The demand limit (8.2): above the knee k of the potential share X,
        # sales bend toward consumption, h(X) = k + (1 - k)(1 - e^(-(X - k) / (1 - k))),
        # and every owner and rung sells the same fraction u = h(X) / X.
        X = (QL.sum(axis=1) + QD + QF) / D
        over = X > knee
        h = knee + (1.0 - knee) * (1.0 - np.exp(-(X - knee) / (1.0 - knee)))
        util = np.where(over, h / np.where(over, X, 1.0), 1.0)
        QL *= util[:, None]
        QD = QD * util
        QF = QF * util
        C[:, 0] += QL[:, 0]
        C[:, 1:] += QL[:, 1:] / sub[:, 1:]

        rev = QL.sum(axis=1)
        HQ = rev + QD
        PIC = HQ + QF
        sh_mic = PIC / D
        sh_hq = HQ / D
        Lam = tauB * (1.0 - np.exp(-(t - t0) / tauB))
        ratio = D / D0
        DP = DP0 * ratio * Pi ** (betaD - 1.0) * np.exp(gDP * Lam + rDP)
        CS = PIC + DP
        Dcs = Dcs0 * ratio * np.exp(gb * Lam)
        sh_csia = CS / Dcs
        if t == t0:
            sh_mic = mic0.copy()
            sh_hq = (1.0 - f0) * mic0
            sh_csia = csia0.copy()
        share_mic = sh_mic

        # ---- RECORD
        out = {}
        for kk, name in enumerate(mnames):
            out["control_" + name] = (in_force[:, kk] != 0).astype(float)
        out["frontier_nm"] = X_REF * np.exp(-xbar)
        out["controls_active"] = (in_force[:, :M] != 0).sum(axis=1).astype(float)
        out["tools_china"] = E
        out["tools_foreign"] = EF
        out["tools_leader"] = EL
        out["fund_paid_in"] = paid
        out["fund_invested"] = inv
        out["fund_money"] = F
        out["crunch_active"] = crunch.astype(float)
        shares = {"share_made_in_china": sh_mic, "share_china_hq": sh_hq,
                  "share_csia": sh_csia}
        out.update(shares)
        out["share"] = shares[basis]
        out["production_in_china"] = PIC
        out["production_china_hq"] = HQ
        out["production_foreign"] = QF
        out["csia_sales_usd"] = CS
        out["csia_sales_cny"] = CS * fx
        out["consumption"] = D
        out["consumption_csia"] = Dcs
        out["utilisation"] = util
        out["capacity_leader"] = UL.sum(axis=1)
        out["capacity_other"] = UD
        out["capacity_foreign"] = UF
        for r in range(RUNGS):
            out["capacity_leader_" + RUNG_NAME[r]] = UL[:, r].copy()
        out["leader_revenue"] = rev
        safe = np.where(rev > 0, rev, 1.0)
        for r in range(RUNGS):
            out["leader_mix_" + RUNG_NAME[r]] = np.where(rev > 0, QL[:, r] / safe, 0.0)
        kF = np.zeros(n, dtype=np.int64)
        for r in range(RUNGS):
            kF = np.where(yF[:, r] <= t, r, kF)
        out["leader_node_nm"] = np.array(RUNG_NM)[k]
        out["gen_gap"] = (kF - k).astype(float)
        out["year_gap"] = t - yF[rows, k]
        for r in range(1, RUNGS):
            out["penalty_" + RUNG_NAME[r]] = pen[:, r].copy()
        out["premium_7"] = pen[:, RUNG_7].copy()
        out["yield_7"] = world_yield * q[:, RUNG_7]
        on_year(t, out)
    return t0, T, mnames


class Summary:
    """What gapsim reports: moments and percentiles of every output per year,
    the share targets and the node milestones."""

    def __init__(self, sc):
        self.sc = sc
        self.rows = []
        self.tyears = [int(y) for y in sc.raw("targets.years")]
        self.tvals = sc.raw("targets.values")
        self.tlabels = sc.raw("targets.labels")
        self.miles = sc.raw("leader.milestones")
        n = sc.n
        self.t_first = np.full((n, len(self.tyears)), np.nan)
        self.t_hit = np.zeros(len(self.tyears))
        self.m_first = np.full((n, len(self.miles)), np.nan)

    def year(self, t, out):
        n = self.sc.n
        # x_(ceil(p n)) of each percentile, by selection rather than a sort.
        kth = [min(n, max(1, math.ceil(p * n - 1e-9))) - 1 for p in QUANTILES]
        for name, xv in out.items():
            part = np.partition(xv, kth)
            mean = float(xv.mean())
            sd = float(xv.std(ddof=1)) if n > 1 else 0.0
            self.rows.append((name, t, mean, sd, [part[k] for k in kth]))
        share = out["share"]
        for i, (y, v) in enumerate(zip(self.tyears, self.tvals)):
            met = share >= v
            new = met & np.isnan(self.t_first[:, i])
            self.t_first[new, i] = t
            if t == y:
                self.t_hit[i] = met.sum()
        node = out["leader_node_nm"]
        for i, lab in enumerate(self.miles):
            met = node_reached(node, lab)
            new = met & np.isnan(self.m_first[:, i])
            self.m_first[new, i] = t

    def write(self, outdir, t0, T):
        os.makedirs(outdir, exist_ok=True)
        n = self.sc.n
        order = []
        for name, *_ in self.rows:
            if name not in order:
                order.append(name)
        by = {}
        for r in self.rows:
            by.setdefault(r[0], []).append(r)
        with open(os.path.join(outdir, "quantiles.csv"), "w", newline="") as f:
            f.write("year,variable,mean,sd,p05,p25,p50,p75,p95,flag\r\n")
            for name in order:
                for (_, t, mean, sd, qs) in by[name]:
                    f.write("%d,%s,%s,%s,%s,\r\n" % (t, name, g10(mean), g10(sd),
                                                      ",".join(g10(q) for q in qs)))
        with open(os.path.join(outdir, "targets.csv"), "w", newline="") as f:
            f.write("year,value,probability,ci_low,ci_high,first_year_p05,first_year_p50,"
                    "first_year_p95,not_by_horizon,label,probability_by_year,by_ci_low,"
                    "by_ci_high\r\n")
            for i, (y, v) in enumerate(zip(self.tyears, self.tvals)):
                p = self.t_hit[i] / n
                lo, hi = wilson(self.t_hit[i], n)
                fy = first_year_quantiles(self.t_first[:, i], t0, T)
                fv = self.t_first[:, i]
                by_k = float(np.sum(fv <= y))
                blo, bhi = wilson(by_k, n)
                label = self.tlabels[i] if self.tlabels else "%g%% by %d" % (100 * v, y)
                f.write("%d,%s,%s,%s,%s,%s,%s,%s,%s\r\n" % (
                    y, g10(v), g10(p), g10(lo), g10(hi), ",".join(fy),
                    g10(np.mean(np.isnan(fv))), csv_field(label),
                    ",".join(g10(z) for z in (by_k / n, blo, bhi))))
        with open(os.path.join(outdir, "milestones.csv"), "w", newline="") as f:
            f.write("node_nm,probability,ci_low,ci_high,first_year_p05,first_year_p50,"
                    "first_year_p95,not_by_horizon\r\n")
            for i, lab in enumerate(self.miles):
                fv = self.m_first[:, i]
                kk = float(np.sum(~np.isnan(fv)))
                lo, hi = wilson(kk, n)
                f.write("%s,%s,%s,%s,%s,%s\r\n" % (
                    g10(lab), g10(kk / n), g10(lo), g10(hi),
                    ",".join(first_year_quantiles(fv, t0, T)), g10(1 - kk / n)))


def first_year_quantiles(fv, t0, T):
    """The q-quantile of a first-passage year: the smallest y with
    P(first <= y) >= q, "not by T" counting as later than every year."""
    n = len(fv)
    res = []
    for q in (0.05, 0.5, 0.95):
        cell = ""
        for y in range(t0, T + 1):
            if np.sum(fv <= y) >= q * n - 1e-9:
                cell = "%d" % y
                break
        res.append(cell)
    return res


def wilson(k, n):
    z = 1.959964
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo = 0.0 if k == 0 else centre - half
    hi = 1.0 if k == n else centre + half
    return lo, hi


def g10(x):
    s = "%.10g" % x
    return "0" if s == "-0" else s


def csv_field(s):
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def load(gapsim, config, sets, parameters):
    cmd = [gapsim, "check", config]
    for s in sets:
        cmd += ["--set", s]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("peer: gapsim check failed: " + res.stderr.strip())
    vals, unknown = read_resolved(res.stdout.splitlines())
    if unknown:
        print("peer: %s sets %s, which bench/peer.py does not implement (docs/model.md has "
              "more than the peer): no numbers" % (config, unknown[0]), file=sys.stderr)
        sys.exit(2)
    params, n = read_parameters(parameters)
    missing = [p for p, v in vals.items() if isinstance(v, Sampled) and p not in params]
    if missing:
        sys.exit("peer: %s has no column for the sampled parameter %s" % (parameters, missing[0]))
    return Scenario(vals, params, n)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config")
    ap.add_argument("--gapsim", default="build/gapsim", help="the gapsim binary (for `check`)")
    ap.add_argument("--parameters", required=True,
                    help="parameters.csv of `gapsim run --write-parameters` on the same config")
    ap.add_argument("--set", action="append", default=[], help="as gapsim's --set")
    ap.add_argument("--seed", type=int, default=1, help="seed of numpy's process noise")
    ap.add_argument("-o", "--output", default="out/peer")
    ap.add_argument("--timing", action="store_true", help="print load and run times to stderr")
    a = ap.parse_args(argv)
    w0, c0 = time.perf_counter(), time.process_time()
    sc = load(a.gapsim, a.config, a.set, a.parameters)
    w1, c1 = time.perf_counter(), time.process_time()
    summ = Summary(sc)
    t0, T, _ = simulate(sc, np.random.default_rng(a.seed), summ.year)
    summ.write(a.output, t0, T)
    if a.timing:
        w2, c2 = time.perf_counter(), time.process_time()
        print("peer: n=%d load %.3f s, simulate+summarise %.3f s wall; CPU %.3f s, %.3f s" %
              (sc.n, w1 - w0, w2 - w1, c1 - c0, c2 - c1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
