/* The industry in China (docs/model.md, 4.3 and 4.6-4.10): the market
 * (price cycle, consumption, each node's world price path), the leader's
 * node ladder, penalties with learning, allocation of money to rungs that can
 * be produced, capacity by owner and rung with a build-lag pipeline, output,
 * and the shares on three measured bases.
 *
 * Owners: L the domestic leader, D the other China-headquartered fabs, F the
 * foreign-owned fabs in China.  A capacity unit is what one USD bn buys at
 * world price index 1; it earns kappa USD bn a year at index 1.  Money spent
 * on rung n in year v buys I / p_n(v) units, so vintages of one owner and
 * rung face one price path and learning curve and add up exactly: the state
 * is [owner][rung] arrays, nothing grows with the years.
 *
 * The base year is the initial state: its outputs are the anchors in every
 * trajectory (made-in-China share, China-HQ share, CSIA share and sales). */
#include "gs_v2.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

enum { BASIS_MIC, BASIS_HQ, BASIS_CSIA, N_BASES };
static const char *const basis_name[N_BASES] = {"made_in_china", "china_hq", "csia"};
static const char *const basis_output[N_BASES] = {"share_made_in_china", "share_china_hq",
                                                   "share_csia"};

static const gs_param_def industry_params[] = {
    {"market.consumption0", GS_PT_NUMBER, GS_PF_REQUIRED, "USD bn/yr", 0, NULL, 1, 1e5,
     "China's IC consumption in the base year (D0)"},
    {"market.growth", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -0.5, 1,
     "trend log growth of consumption (g_D)"},
    {"market.growth_noise", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 0.5,
     "standard deviation of the yearly step of consumption's random walk (sigma_D)"},
    {"market.demand_limit.knee", GS_PT_NUMBER, 0, "fraction", 0.7, NULL, 0.05, 0.99,
     "share of consumption above which production in China finds buyers for less than its "
     "capacity's output (k; the demand limit)"},
    {"market.cycle.rho", GS_PT_NUMBER, 0, "", 0.5, NULL, -0.99, 0.99,
     "autocorrelation of the log world IC price cycle (rho_Pi)"},
    {"market.cycle.sd", GS_PT_NUMBER, 0, "log/yr", 0.0, NULL, 0, 1,
     "standard deviation of the cycle's yearly shock (sigma_Pi)"},
    {"market.cycle.beta_domestic", GS_PT_NUMBER, 0, "", 1.0, NULL, 0, 5,
     "exposure of China-headquartered output value to the cycle (beta_D)"},
    {"market.cycle.beta_foreign", GS_PT_NUMBER, 0, "", 1.0, NULL, 0, 5,
     "exposure of foreign-owned fabs' output value to the cycle (beta_F; mostly memory)"},
    {"prices.decay", GS_PT_NUMBER, 0, "1/yr", 0.2, NULL, 0, 5,
     "yearly decay of a node's world price index toward its floor after the frontier "
     "reached it (lambda_p)"},
    {"prices.floor", GS_PT_NUMBER, 0, "index", 0.5, NULL, 0.01, 1,
     "a node's world price index long after its launch (p_inf)"},
    {"prices.mature_decay", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "yearly log decay of the mature class's price index (lambda_M)"},
    {"capacity.turnover", GS_PT_NUMBER, GS_PF_REQUIRED, "1/yr", 0, NULL, 0.01, 10,
     "output value a year per capacity unit at price index 1 (kappa)"},
    {"capacity.depreciation", GS_PT_NUMBER, 0, "1/yr", 0.06, NULL, 0, 1,
     "share of capacity retired each year (delta)"},
    {"capacity.build_lag", GS_PT_NUMBER, 0, "yr", 2.0, NULL, 1, 3,
     "mean years from spending to capacity on line (Lbar; spread over 1-3 years)"},
    {"ownership.foreign0", GS_PT_NUMBER, GS_PF_REQUIRED, "fraction", 0, NULL, 0, 1,
     "foreign-owned fabs' share of production in China in the base year (f0)"},
    {"ownership.leader0", GS_PT_NUMBER, GS_PF_REQUIRED, "fraction", 0, NULL, 0, 1,
     "the leader's share of China-headquartered production in the base year (l0)"},
    {"leader.advanced_share", GS_PT_NUMBER, 0, "fraction", 0.5, NULL, 0, 1,
     "share of the leader's money planned for its newest rung, before yield and blocked money "
     "(alpha_adv)"},
    {"leader.pilot_share", GS_PT_NUMBER, 0, "fraction", 0.05, NULL, 0, 1,
     "share of the leader's money spent on a pilot line for the next rung (eps_dev)"},
    {"leader.step", GS_PT_NUMBER, GS_PF_REQUIRED, "yr", 0, NULL, 0.1, 50,
     "years of a step at reference spending, before difficulty, noise and controls (tau0)"},
    {"leader.difficulty", GS_PT_NUMBER, 0, "per rung", 1.0, NULL, 0.5, 3,
     "factor on the step length per rung beyond the 14 nm rung (d)"},
    {"leader.step_noise", GS_PT_NUMBER, 0, "log yr", 0.0, NULL, 0, 2,
     "standard deviation of the log step length, one draw per rung and trajectory (sigma_s)"},
    {"leader.elasticity", GS_PT_NUMBER, 0, "", 0.0, NULL, 0, 3,
     "elasticity of the step length to the leader's smoothed spending on new rungs (beta_R)"},
    {"leader.r_ref", GS_PT_NUMBER, 0, "USD bn/yr", 2.0, NULL, 0.001, 1e4,
     "reference spending at which the step is tau0 (R_ref)"},
    {"leader.lag_min", GS_PT_NUMBER, 0, "yr", 1.0, NULL, 0, 30,
     "the leader reaches no rung earlier than this after the frontier"},
    {"leader.penalty0.n28", GS_PT_NUMBER, 0, "fraction of unit cost", 0.5, NULL, 0, 10,
     "excess unit cost of a good die on the 28 nm rung when it is new (pi0)"},
    {"leader.penalty0.n14", GS_PT_NUMBER, 0, "fraction of unit cost", 0.9, NULL, 0, 10,
     "excess unit cost on the 16/14 nm rung when new"},
    {"leader.penalty0.n7", GS_PT_NUMBER, 0, "fraction of unit cost", 0.6, NULL, 0, 10,
     "excess unit cost on the 7-nm class (DUV multipatterning) when new"},
    {"leader.penalty0.euv", GS_PT_NUMBER, 0, "fraction of unit cost", 1.7, NULL, 0, 20,
     "excess unit cost on the rungs that need EUV (5 nm and finer) when new"},
    {"leader.learning", GS_PT_NUMBER, 0, "", 0.4, NULL, 0, 3,
     "learning exponent: the penalty falls as (1 + C / C_ref)^-b with cumulative output C (b)"},
    {"leader.c_ref", GS_PT_NUMBER, 0, "USD bn", 1.0, NULL, 0.001, 1e4,
     "cumulative output at which learning has halved the penalty's base (C_ref)"},
    {"leader.world_yield", GS_PT_NUMBER, GS_PF_FIXED, "fraction", 0.9, NULL, 0.01, 1,
     "the world's yield norm, against which yield_7 is reported"},
    {"leader.pinned.years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "years the leader reaches the rungs after the mature class (28, 14, 7-class, ...), given "
     "as scenario inputs; later rungs come by progress"},
    {"leader.pinned.until", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "year", 0, NULL, 0, 2200,
     "no rung comes by progress up to this year (0: the last pinned year)"},
    {"leader.milestones", GS_PT_NUMBER_ARRAY, 0, "nm", 0, "[7.0, 5.0, 3.0]", 0.1, 1000,
     "nodes whose first year at the leader is reported"},
    {"anchors.made_in_china", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "share", 0, NULL, 0.001,
     0.999, "made-in-China share of consumption in the base year"},
    {"anchors.csia_share", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "share", 0, NULL, 0.001,
     5, "CSIA-basis share (industry sales over CSIA-basis demand) in the base year"},
    {"anchors.csia_sales_cny", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "CNY bn/yr", 0, NULL,
     0.001, 1e6, "CSIA industry sales in the base year"},
    {"anchors.year", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "year", 0, NULL, 0, 2200,
     "the year whose state the anchors are; must be scenario.base_year (0: not stated)"},
    {"anchors.china_hq", GS_PT_NUMBER, GS_PF_FIXED, "share", 0, NULL, 0, 0.999,
     "China-headquartered share of consumption in the base year; with it the foreign-owned "
     "fraction of production is 1 - china_hq / made_in_china (0: not given, it is "
     "ownership.foreign0)"},
    {"anchors.leader_mix", GS_PT_NUMBER_ARRAY, 0, "fraction", 0, "[]", 0, 1,
     "the leader's revenue by rung in the base year, from the mature class to its rung then "
     "(needed when leader.pinned.years puts it above the mature class; sums to 1)"},
    {"anchors.leader_experience", GS_PT_NUMBER_ARRAY, 0, "USD bn", 0, "[]", 0, 1e4,
     "the leader's cumulative good output on each rung from 28 nm to its rung by the base "
     "year: the learning state (C) its penalties start from"},
    {"anchors.leader_progress", GS_PT_NUMBER, GS_PF_FIXED, "fraction", 0.0, NULL, 0, 0.999,
     "share of the step to the leader's next rung done by the base year (P)"},
    {"anchors.leader_penalty", GS_PT_NUMBER, GS_PF_FIXED, "fraction of unit cost", 0, NULL, 0,
     10,
     "excess unit cost on the leader's rung in the base year, the cost penalties of the "
     "measures in force included; with the experience it sets that rung's launch penalty"},
    {"csia.design_growth", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -1, 1,
     "log growth of design and packaging/test sales over consumption, fading (g_DP)"},
    {"csia.design_noise", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "standard deviation of the yearly step of design sales' random walk (sigma_DP)"},
    {"csia.demand_drift", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -1, 1,
     "log drift of CSIA-basis demand over consumption, fading (g_b)"},
    {"csia.fade", GS_PT_NUMBER, 0, "yr", 20.0, NULL, 0.1, 1000,
     "time scale over which the basis drifts fade (tau_B)"},
    {"targets.basis", GS_PT_STRING, 0, "", 0, "\"csia\"", 0, 0,
     "the share the targets refer to: \"made_in_china\", \"china_hq\" or \"csia\""},
    {"targets.years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "years of the share targets"},
    {"targets.values", GS_PT_NUMBER_ARRAY, 0, "fraction", 0, "[]", 0, 1,
     "values of the share targets: reached when the share on targets.basis >= value in the "
     "year"},
    {"targets.labels", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "labels of the share targets (optional; one per target)"},
    GS_PARAM_END};

typedef struct industry_conf {
    int t0, T;
    long D0, gD, sD, rhoPi, sPi, betaD, betaF, lp, pinf, lM;
    long kappa, delta, Lbar, f0, l0;
    long knee;
    long alpha, eps_dev, tau0, d, s_s, betaR, Rref, lag_min, pen0[GS_RUNGS], b, Cref;
    long gDP, sDP, gb, tauB, fx0;
    double world_yield, mic0, csia0, cny0;
    /* Base-year anchors beyond the shares (docs/model.md, "Initial state"):
     * hq0 > 0 when the China-HQ share is anchored; k0 the leader's rung in the
     * base year; with k0 > 0 its revenue mix, experience and penalty. */
    double hq0;
    int k0;
    double mix0[GS_RUNGS], exp0[GS_RUNGS], pen_k0, P0;
    size_t n_pin;
    int pin[GS_RUNGS];
    int pin_until;
    int basis;
    gs_v2_links l;
    double *node_levels, *gap_levels, *year_levels;
    size_t n_gap_levels, n_year_levels;
    /* output slots */
    long o_share[N_BASES], o_target, o_pic, o_hq, o_qf, o_cs, o_cny, o_D, o_Dcs;
    long o_util, o_capL, o_capD, o_capF, o_capLn[GS_RUNGS], o_rev, o_mix[GS_RUNGS];
    long o_node, o_gen, o_year, o_pen[GS_RUNGS], o_prem, o_yield;
} industry_conf;

typedef struct industry_state {
    int k;                     /* leader's rung */
    double P, V, Rbar;         /* step progress, pilot line (units), smoothed new-rung money */
    double UL[GS_RUNGS], WL[3][GS_RUNGS], C[GS_RUNGS];
    double UD, UF, WD[3], WF[3];
    double lnPi, rD, rDP;
    double xi[GS_RUNGS];
    double D0, PIC0, DP0, Dcs0;
    double pi0k; /* launch penalty of rung k0 that gives the anchored penalty (k0 > 0) */
    /* this year */
    double Pi, D, p[GS_RUNGS], pM, pen[GS_RUNGS], q[GS_RUNGS];
    double a_new, a_mat, pilot;
    double QL[GS_RUNGS], QD, QF, share[N_BASES], PIC, HQ, CS, Dcs, fx;
    double util, sold; /* the demand limit: utilisation, sold share h(X) when u < 1 */
    /* Values the year loop would compute again from the same arguments
     * (zeroed with the state, so none is valid at a trajectory's start):
     * the learning factor of a rung whose experience did not move, and the
     * step's factors of the rung in progress (node_for = that rung + 1). */
    double learn_C[GS_RUNGS], learn_f[GS_RUNGS];
    unsigned char learn_ok[GS_RUNGS];
    int node_for;
    double node_d, node_xi;
} industry_state;

static void industry_unbind(void *vc)
{
    industry_conf *c = vc;
    free(c->node_levels);
    free(c->gap_levels);
    free(c->year_levels);
}

static gs_status oom(gs_error *err)
{
    return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
}

static double *int_levels(int lo, int hi, size_t *n)
{
    *n = (size_t)(hi - lo + 1);
    double *l = malloc(*n * sizeof *l);
    if (l)
        for (size_t i = 0; i < *n; i++)
            l[i] = lo + (double)i;
    return l;
}

static long out(gs_shape *sh, const char *name, const char *unit, const double *levels,
                size_t n_levels)
{
    gs_output_decl d = {"", unit, levels, n_levels};
    snprintf(d.name, sizeof d.name, "%s", name);
    return gs_shape_output(sh, &d);
}

static gs_status bind_outputs(industry_conf *c, gs_shape *sh, gs_error *err)
{
    int bad = 0;
    /* The CSIA basis is a ratio of sales (double-counted along the chain,
     * exports included) to demand: it may exceed 1, the other two may not. */
    for (int b = 0; b < N_BASES; b++)
        bad |= (c->o_share[b] = out(sh, basis_output[b], b == BASIS_CSIA ? "ratio" : "fraction",
                                    NULL, 0)) < 0;
    /* The share on the basis the targets name: what the share chart, the
     * targets and the key figures show (scenario.share_definition says it). */
    bad |= (c->o_target = out(sh, "share", "fraction", NULL, 0)) < 0;
    bad |= (c->o_pic = out(sh, "production_in_china", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_hq = out(sh, "production_china_hq", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_qf = out(sh, "production_foreign", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_cs = out(sh, "csia_sales_usd", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_cny = out(sh, "csia_sales_cny", "CNY bn/yr", NULL, 0)) < 0;
    bad |= (c->o_D = out(sh, "consumption", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_Dcs = out(sh, "consumption_csia", "USD bn/yr", NULL, 0)) < 0;
    bad |= (c->o_util = out(sh, "utilisation", "fraction", NULL, 0)) < 0;
    bad |= (c->o_capL = out(sh, "capacity_leader", "units", NULL, 0)) < 0;
    bad |= (c->o_capD = out(sh, "capacity_other", "units", NULL, 0)) < 0;
    bad |= (c->o_capF = out(sh, "capacity_foreign", "units", NULL, 0)) < 0;
    char name[64];
    for (int n = 0; n < GS_RUNGS; n++) {
        snprintf(name, sizeof name, "capacity_leader_%s", gs_rung_name(n));
        bad |= (c->o_capLn[n] = out(sh, name, "units", NULL, 0)) < 0;
    }
    bad |= (c->o_rev = out(sh, "leader_revenue", "USD bn/yr", NULL, 0)) < 0;
    for (int n = 0; n < GS_RUNGS; n++) {
        snprintf(name, sizeof name, "leader_mix_%s", gs_rung_name(n));
        bad |= (c->o_mix[n] = out(sh, name, "fraction", NULL, 0)) < 0;
    }
    bad |= (c->o_node = out(sh, "leader_node_nm", "nm", c->node_levels, GS_RUNGS)) < 0;
    bad |= (c->o_gen = out(sh, "gen_gap", "rungs", c->gap_levels, c->n_gap_levels)) < 0;
    bad |= (c->o_year = out(sh, "year_gap", "yr", c->year_levels, c->n_year_levels)) < 0;
    for (int n = 1; n < GS_RUNGS; n++) {
        snprintf(name, sizeof name, "penalty_%s", gs_rung_name(n));
        bad |= (c->o_pen[n] = out(sh, name, "fraction of unit cost", NULL, 0)) < 0;
    }
    bad |= (c->o_prem = out(sh, "premium_7", "fraction", NULL, 0)) < 0;
    bad |= (c->o_yield = out(sh, "yield_7", "fraction", NULL, 0)) < 0;
    return bad ? oom(err) : GS_OK;
}

static gs_status bind_targets(industry_conf *c, const gs_scenario *scn, gs_shape *sh,
                              gs_error *err)
{
    const gs_pval *ba = gs_scenario_get(scn, "targets.basis");
    c->basis = -1;
    for (int b = 0; b < N_BASES; b++)
        if (strcmp(ba->str, basis_name[b]) == 0)
            c->basis = b;
    if (c->basis < 0)
        return gs_scenario_errorf(scn, ba->path, err,
                                  "targets.basis: unknown basis \"%s\" (\"made_in_china\", "
                                  "\"china_hq\" or \"csia\")",
                                  ba->str);
    const gs_pval *ty = gs_scenario_get(scn, "targets.years");
    const gs_pval *tv = gs_scenario_get(scn, "targets.values");
    const gs_pval *tl = gs_scenario_get(scn, "targets.labels");
    if (tv->n_arr != ty->n_arr)
        return gs_scenario_errorf(scn, tv->path, err,
                                  "targets.values has %zu entries but targets.years has %zu",
                                  tv->n_arr, ty->n_arr);
    if (tl->n_arr != 0 && tl->n_arr != ty->n_arr)
        return gs_scenario_errorf(scn, tl->path, err,
                                  "targets.labels has %zu entries but targets.years has %zu",
                                  tl->n_arr, ty->n_arr);
    for (size_t k = 0; k < ty->n_arr; k++) {
        int y = (int)ty->arr[k];
        if (y < c->t0 || y > c->T)
            return gs_scenario_errorf(scn, ty->path, err,
                                      "targets.years: %d is outside the simulated years %d-%d",
                                      y, c->t0, c->T);
        gs_tracker_decl tr = {GS_TRACK_TARGET, (size_t)c->o_target, tv->arr[k], y, ""};
        if (tl->n_arr)
            snprintf(tr.label, sizeof tr.label, "%s", tl->sarr[k]);
        else
            snprintf(tr.label, sizeof tr.label, "%g%% by %d", 100 * tv->arr[k], y);
        if (gs_shape_tracker(sh, &tr) < 0)
            return oom(err);
    }
    const gs_pval *mil = gs_scenario_get(scn, "leader.milestones");
    for (size_t i = 0; i < mil->n_arr; i++) {
        gs_tracker_decl tr = {GS_TRACK_MILESTONE, (size_t)c->o_node, mil->arr[i], 0, ""};
        snprintf(tr.label, sizeof tr.label, "%g nm", mil->arr[i]);
        if (gs_shape_tracker(sh, &tr) < 0)
            return oom(err);
    }
    return GS_OK;
}

/* The anchors of a base year in which the leader is already above the mature
 * class, or in which the China-HQ share is measured: each is checked so that
 * the initial state reproduces it in every trajectory, or the scenario is
 * refused. */
static gs_status bind_anchors(industry_conf *c, const gs_scenario *scn, gs_error *err)
{
    const gs_pval *ay = gs_scenario_get(scn, "anchors.year");
    if ((int)ay->dist.a != 0 && (int)ay->dist.a != c->t0)
        return gs_scenario_errorf(scn, ay->path, err,
                                  "anchors.year = %d but scenario.base_year = %d: the anchors "
                                  "are the base year's state (rebase them, or the base year)",
                                  (int)ay->dist.a, c->t0);
    const gs_pval *hq = gs_scenario_get(scn, "anchors.china_hq");
    if (hq->dist.a > 0) {
        c->hq0 = hq->dist.a;
        if (!(c->hq0 < c->mic0))
            return gs_scenario_errorf(scn, hq->path, err,
                                      "anchors.china_hq = %.10g: the China-HQ share must lie "
                                      "below the made-in-China share %.10g (the foreign-owned "
                                      "fabs make the rest)",
                                      c->hq0, c->mic0);
        /* The foreign-owned fraction is the anchors' ratio: the parameter
         * that gives it otherwise must say the same, not silently differ. */
        const gs_pval *f0 = gs_scenario_get(scn, "ownership.foreign0");
        double want = 1.0 - c->hq0 / c->mic0;
        if (!gs_dist_is_constant(&f0->dist) || fabs(f0->dist.a - want) > 5e-4)
            return gs_scenario_errorf(scn, f0->path, err,
                                      "ownership.foreign0: with anchors.china_hq the base "
                                      "year's foreign-owned fraction is 1 - %.10g / %.10g = "
                                      "%.4f; give it as that constant",
                                      c->hq0, c->mic0, want);
    }
    const gs_pval *mix = gs_scenario_get(scn, "anchors.leader_mix");
    const gs_pval *xp = gs_scenario_get(scn, "anchors.leader_experience");
    const gs_pval *pen = gs_scenario_get(scn, "anchors.leader_penalty");
    const gs_pval *prog = gs_scenario_get(scn, "anchors.leader_progress");
    c->P0 = prog->dist.a;
    if (c->k0 == 0) {
        /* Given means not at its default: a resolved config (manifest.json)
         * states every key. */
        const gs_pval *given = mix->n_arr       ? mix
                               : xp->n_arr      ? xp
                               : prog->dist.a != 0 ? prog
                               : pen->dist.a != 0  ? pen
                                                   : NULL;
        if (given)
            return gs_scenario_errorf(scn, given->path, err,
                                      "%s: the leader is on the mature class in the base year "
                                      "%d (leader.pinned.years), so there is no advanced rung "
                                      "to anchor",
                                      given->path, c->t0);
        return GS_OK;
    }
    const char *rung = gs_rung_name(c->k0);
    if (mix->layer < 0 || mix->n_arr != (size_t)c->k0 + 1)
        return gs_scenario_errorf(scn, mix->layer < 0 ? "anchors.made_in_china" : mix->path, err,
                                  "anchors.leader_mix: the leader is on the %s rung in the "
                                  "base year %d (leader.pinned.years); give its revenue mix "
                                  "as %d fractions, mature class first (%zu given)",
                                  rung, c->t0, c->k0 + 1, mix->layer < 0 ? 0 : mix->n_arr);
    double sum = 0;
    for (size_t i = 0; i < mix->n_arr; i++)
        sum += c->mix0[i] = mix->arr[i];
    if (fabs(sum - 1.0) > 1e-6)
        return gs_scenario_errorf(scn, mix->path, err,
                                  "anchors.leader_mix: the fractions sum to %.10g, not 1", sum);
    if (xp->layer < 0 || xp->n_arr != (size_t)c->k0)
        return gs_scenario_errorf(scn, xp->layer < 0 ? "anchors.made_in_china" : xp->path, err,
                                  "anchors.leader_experience: the leader is on the %s rung in "
                                  "the base year %d (leader.pinned.years); give its cumulative "
                                  "good output on each "
                                  "rung from 28 nm to it (%d numbers, %zu given)",
                                  rung, c->t0, c->k0, xp->layer < 0 ? 0 : xp->n_arr);
    for (size_t i = 0; i < xp->n_arr; i++)
        c->exp0[i + 1] = xp->arr[i];
    if (pen->layer < 0)
        return gs_scenario_errorf(scn, "anchors.made_in_china", err,
                                  "anchors.leader_penalty: the leader is on the %s rung in the "
                                  "base year %d (leader.pinned.years); give its excess unit "
                                  "cost then",
                                  rung, c->t0);
    c->pen_k0 = pen->dist.a;
    /* The penalty's learning part is the anchor less the cost penalties of
     * the measures in force in the base year: it must stay positive for any
     * draw of them. */
    char *const *names;
    size_t n_m = gs_scenario_items(scn, "controls", &names);
    double pic_max = 0;
    for (size_t k = 0; k < n_m; k++) {
        const char *law = gs_scenario_getf(scn, "controls.%s.law", names[k])->str;
        const gs_pval *yr = gs_scenario_getf(scn, "controls.%s.year", names[k]);
        double thr = gs_scenario_getf(scn, "controls.%s.threshold_nm", names[k])->dist.a;
        if (strcmp(law, "fixed") != 0 || gs_dist_upper(&yr->dist) > c->t0 ||
            !gs_node_reached(gs_rung_nm(c->k0), thr))
            continue;
        pic_max += gs_dist_upper(&gs_scenario_getf(scn, "controls.%s.pi", names[k])->dist);
    }
    if (!(c->pen_k0 > pic_max))
        return gs_scenario_errorf(scn, pen->path, err,
                                  "anchors.leader_penalty = %.10g: the measures in force in "
                                  "%d add up to %.10g to the %s rung's penalty, so the anchor "
                                  "cannot be reproduced in every trajectory",
                                  c->pen_k0, c->t0, pic_max, rung);
    return GS_OK;
}

static gs_status industry_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    industry_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    c->T = (int)gs_scenario_num(scn, "scenario.horizon");
    static const struct {
        size_t off;
        const char *path;
    } idx[] = {
#define P(field, path) {offsetof(industry_conf, field), path}
        P(D0, "market.consumption0"), P(gD, "market.growth"), P(sD, "market.growth_noise"),
        P(rhoPi, "market.cycle.rho"), P(sPi, "market.cycle.sd"),
        P(betaD, "market.cycle.beta_domestic"), P(betaF, "market.cycle.beta_foreign"),
        P(lp, "prices.decay"), P(pinf, "prices.floor"), P(lM, "prices.mature_decay"),
        P(kappa, "capacity.turnover"), P(delta, "capacity.depreciation"),
        P(Lbar, "capacity.build_lag"), P(f0, "ownership.foreign0"), P(l0, "ownership.leader0"),
        P(alpha, "leader.advanced_share"), P(eps_dev, "leader.pilot_share"),
        P(tau0, "leader.step"), P(d, "leader.difficulty"), P(s_s, "leader.step_noise"),
        P(betaR, "leader.elasticity"), P(Rref, "leader.r_ref"), P(lag_min, "leader.lag_min"),
        P(b, "leader.learning"), P(Cref, "leader.c_ref"), P(gDP, "csia.design_growth"),
        P(sDP, "csia.design_noise"), P(gb, "csia.demand_drift"), P(tauB, "csia.fade"),
        P(fx0, "fx.base_year"),
        P(knee, "market.demand_limit.knee"),
#undef P
    };
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
        *(long *)((char *)c + idx[i].off) = gs_scenario_index(scn, idx[i].path);
    c->pen0[0] = -1;
    c->pen0[1] = gs_scenario_index(scn, "leader.penalty0.n28");
    c->pen0[2] = gs_scenario_index(scn, "leader.penalty0.n14");
    c->pen0[3] = gs_scenario_index(scn, "leader.penalty0.n7");
    for (int n = GS_RUNG_EUV; n < GS_RUNGS; n++)
        c->pen0[n] = gs_scenario_index(scn, "leader.penalty0.euv");
    c->world_yield = gs_scenario_num(scn, "leader.world_yield");
    c->mic0 = gs_scenario_num(scn, "anchors.made_in_china");
    c->csia0 = gs_scenario_num(scn, "anchors.csia_share");
    c->cny0 = gs_scenario_num(scn, "anchors.csia_sales_cny");

    /* 4.10 needs CSIA-basis sales above production in the base year (design
     * and packaging sales DP0 = CS0 - PIC0 are not negative) for every
     * consumption and exchange rate a trajectory may draw. */
    {
        const gs_pval *d0 = gs_scenario_get(scn, "market.consumption0");
        const gs_pval *fx = gs_scenario_get(scn, "fx.base_year");
        double dmax = gs_dist_is_constant(&d0->dist) ? d0->dist.a
                                                     : gs_dist_quantile(&d0->dist, 1 - 1e-9);
        double fxmax = gs_dist_is_constant(&fx->dist) ? fx->dist.a
                                                      : gs_dist_quantile(&fx->dist, 1 - 1e-9);
        if (!(c->mic0 * dmax < c->cny0 / fxmax))
            return gs_scenario_errorf(scn, d0->path, err,
                                      "market.consumption0: at %.4g USD bn the made-in-China "
                                      "anchor (%.4g) gives more production than the CSIA "
                                      "anchor's sales (%.4g CNY bn at %.4g CNY/USD): the base "
                                      "year would have negative design and packaging sales",
                                      dmax, c->mic0, c->cny0, fxmax);
    }
    /* The demand limit must not bind in the base year, whose production is
     * the made-in-China anchor times consumption (p = Pi = 1). */
    {
        const gs_pval *kn = gs_scenario_get(scn, "market.demand_limit.knee");
        double kmin = gs_dist_is_constant(&kn->dist) ? kn->dist.a
                                                     : gs_dist_quantile(&kn->dist, 1e-9);
        if (!(c->mic0 <= kmin))
            return gs_scenario_errorf(scn, kn->path, err,
                                      "market.demand_limit.knee: %.4g is below the made-in-China "
                                      "anchor (%.4g): the base year's production would already "
                                      "exceed what consumption takes",
                                      kmin, c->mic0);
    }
    const gs_pval *pin = gs_scenario_get(scn, "leader.pinned.years");
    if (pin->n_arr >= GS_RUNGS)
        return gs_scenario_errorf(scn, pin->path, err,
                                  "leader.pinned.years: %zu years, but the ladder has %d rungs "
                                  "after the mature class",
                                  pin->n_arr, GS_RUNGS - 1);
    for (size_t i = 0; i < pin->n_arr; i++) {
        if (i > 0 && pin->arr[i] < pin->arr[i - 1])
            return gs_scenario_errorf(scn, pin->path, err,
                                      "leader.pinned.years: years must not decrease (%.0f after "
                                      "%.0f)",
                                      pin->arr[i], pin->arr[i - 1]);
        c->pin[i] = (int)pin->arr[i];
    }
    c->n_pin = pin->n_arr;
    c->pin_until = (int)gs_scenario_num(scn, "leader.pinned.until");
    if (c->pin_until == 0)
        c->pin_until = c->n_pin ? c->pin[c->n_pin - 1] : c->t0;
    while ((size_t)c->k0 < c->n_pin && c->k0 + 1 < GS_RUNGS && c->pin[c->k0] <= c->t0)
        c->k0++;
    gs_status rca = bind_anchors(c, scn, err);
    if (rca)
        return rca;

    c->node_levels = malloc(GS_RUNGS * sizeof *c->node_levels);
    c->gap_levels = int_levels(-(GS_RUNGS - 1), GS_RUNGS - 1, &c->n_gap_levels);
    int y_first = (int)gs_scenario_get(scn, "frontier.record.years")->arr[0];
    c->year_levels = int_levels(-(c->T - c->t0 + 1), c->T - y_first + 1, &c->n_year_levels);
    if (!c->node_levels || !c->gap_levels || !c->year_levels)
        return oom(err);
    for (int n = 0; n < GS_RUNGS; n++)
        c->node_levels[n] = gs_rung_nm(GS_RUNGS - 1 - n);
    gs_status rc = bind_outputs(c, sh, err);
    if (rc)
        return rc;
    if ((rc = bind_targets(c, scn, sh, err)))
        return rc;
    return gs_v2_links_declare(sh, &c->l) < 0 ? oom(err) : GS_OK;
}

static size_t industry_state_size(const void *vc)
{
    (void)vc;
    return sizeof(industry_state);
}

static void industry_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    (void)vc;
    *n_init = GS_RUNGS; /* one step shock per rung (xi_n) */
    *n_year = 3;        /* cycle, consumption, design sales */
}

static void industry_init(const void *vc, void *vs, const double *theta, gs_world *w,
                          const double *u)
{
    const industry_conf *c = vc;
    industry_state *s = vs;
    (void)w;
    for (int n = 0; n < GS_RUNGS; n++)
        s->xi[n] = gsl_cdf_ugaussian_Pinv(u[n]);
    s->k = c->k0;
    /* 4.10: production in the base year from the made-in-China anchor and the
     * owner shares; capacity is what produces it at p = Pi = 1, all of the
     * leader's on the mature rung when it has no other (a leader already on
     * an advanced rung gets its capacity by rung in the base year's SHARE
     * phase, where prices and yields are known). */
    s->D0 = theta[c->D0];
    s->PIC0 = c->mic0 * s->D0;
    double f0 = c->hq0 > 0 ? 1.0 - c->hq0 / c->mic0 : theta[c->f0];
    double l0 = theta[c->l0], kappa = theta[c->kappa];
    if (c->k0 == 0)
        s->UL[0] = (1.0 - f0) * l0 * s->PIC0 / kappa;
    for (int n = 1; n <= c->k0; n++)
        s->C[n] = c->exp0[n];
    s->P = c->P0;
    s->UD = (1.0 - f0) * (1.0 - l0) * s->PIC0 / kappa;
    s->UF = f0 * s->PIC0 / kappa;
    double CS0 = c->cny0 / theta[c->fx0];
    s->DP0 = CS0 - s->PIC0;
    s->Dcs0 = CS0 / c->csia0;
}

/* 4.3: cycle, consumption, price indices. */
static void market(const industry_conf *c, industry_state *s, const double *theta,
                   const gs_world *w, const double *u)
{
    int t = w->t;
    if (t > c->t0) {
        s->lnPi = theta[c->rhoPi] * s->lnPi + theta[c->sPi] * gsl_cdf_ugaussian_Pinv(u[0]);
        s->rD += theta[c->sD] * gsl_cdf_ugaussian_Pinv(u[1]);
        s->rDP += theta[c->sDP] * gsl_cdf_ugaussian_Pinv(u[2]);
    }
    s->Pi = exp(s->lnPi);
    s->D = s->D0 * exp(theta[c->gD] * (t - c->t0) + s->rD) * s->Pi;
    const double *yF = w->link + c->l.yF;
    double pinf = theta[c->pinf];
    for (int n = 1; n < GS_RUNGS; n++) {
        /* exp(-lp * 0) is 1 exactly: a rung the frontier has not reached. */
        double age = fmax(0.0, t - yF[n]);
        s->p[n] = pinf + (1.0 - pinf) * (age > 0.0 ? exp(-theta[c->lp] * age) : 1.0);
    }
    s->pM = exp(-theta[c->lM] * (t - c->t0));
    s->p[0] = s->pM;
}

static void arrive(industry_state *s)
{
    s->k++;
    s->P = 0;
    s->UL[s->k] += s->V;
    s->V = 0;
}

/* 4.6: pinned arrivals, then progress on the step k -> k+1. */
static void node(const industry_conf *c, industry_state *s, const double *theta,
                 const gs_world *w)
{
    int t = w->t;
    while ((size_t)s->k < c->n_pin && s->k + 1 < GS_RUNGS && c->pin[s->k] <= t)
        arrive(s);
    if ((size_t)s->k < c->n_pin || s->k + 1 >= GS_RUNGS)
        return; /* the next rung is pinned, or there is none */
    if (c->n_pin && t <= c->pin[c->n_pin - 1])
        return; /* the year of the last pinned arrival */
    int n = s->k + 1;
    double rel = fmax(s->Rbar / theta[c->Rref], 0.05);
    if (s->node_for != n + 1) {
        s->node_for = n + 1;
        s->node_d = pow(theta[c->d], fmax(0.0, s->k - 2.0));
        s->node_xi = exp(theta[c->s_s] * s->xi[n]);
    }
    double tau = theta[c->tau0] * s->node_d * pow(rel, -theta[c->betaR]) * s->node_xi *
                 w->link[c->l.phi + n];
    s->P += 1.0 / tau;
    const double *yF = w->link + c->l.yF;
    if (s->P >= 1.0 && t > c->pin_until && t >= yF[n] + theta[c->lag_min])
        arrive(s);
}

/* 4.7: penalties with learning; the leader's money to producible rungs. */
static void allocate(const industry_conf *c, industry_state *s, const double *theta,
                     const gs_world *w)
{
    const double *pic = w->link + c->l.pic, *zeta = w->link + c->l.zeta;
    s->pen[0] = 0;
    s->q[0] = 1;
    if (c->k0 > 0 && w->t == c->t0) {
        /* The rung the leader is on in the base year: the launch penalty
         * that, after the anchored experience, gives the anchored penalty
         * with this trajectory's measures (bind_anchors keeps it positive). */
        s->pi0k = (c->pen_k0 - pic[c->k0]) *
                  pow(1.0 + s->C[c->k0] / theta[c->Cref], theta[c->b]);
    }
    for (int n = 1; n < GS_RUNGS; n++) {
        if (!s->learn_ok[n] || s->learn_C[n] != s->C[n]) {
            s->learn_f[n] = pow(1.0 + s->C[n] / theta[c->Cref], -theta[c->b]);
            s->learn_C[n] = s->C[n];
            s->learn_ok[n] = 1;
        }
        double pi0 = c->k0 > 0 && n == c->k0 ? s->pi0k : theta[c->pen0[n]];
        s->pen[n] = pi0 * s->learn_f[n] + pic[n];
        s->q[n] = 1.0 / (1.0 + s->pen[n]);
    }
    if (c->k0 > 0 && w->t == c->t0) {
        s->pen[c->k0] = c->pen_k0; /* the anchor, not its rounding */
        s->q[c->k0] = 1.0 / (1.0 + s->pen[c->k0]);
    }
    double EL = w->link[c->l.tools + GS_TOOLS_LEADER], eps = theta[c->eps_dev];
    double delta = theta[c->delta];
    int k = s->k;
    s->pilot = 0;
    if (k + 1 < GS_RUNGS) {
        s->pilot = eps * EL;
        s->V = (1.0 - delta) * s->V + s->pilot / s->p[k + 1];
    }
    double RL = EL - s->pilot; /* at the top rung the pilot share stays with it */
    s->a_new = k > 0 ? theta[c->alpha] * RL * s->q[k] * (1.0 - zeta[k]) : 0.0;
    s->a_mat = RL - s->a_new;
    double R = s->a_new + s->pilot;
    s->Rbar = w->t == c->t0 ? R : 0.5 * (s->Rbar + R);
}

/* Adds money I spent in year v at unit price p to a pipeline whose slot j
 * comes on line in t + 1 + j (t the current year). */
static void pipe_add(double *W, double I, double p, const double l[3], int ahead)
{
    for (int s = 0; s < 3; s++) {
        int j = s - ahead; /* spent 'ahead' years before t: arrives in t + s + 1 - ahead */
        if (j >= 0)
            W[j] += l[s] * I / p;
    }
}

static void pipe_shift(double *W)
{
    W[0] = W[1];
    W[1] = W[2];
    W[2] = 0;
}

/* 8.2 (docs/model.md), the demand limit: the model has no export market, so
 * production in China sells only what China's consumption takes.  Up to the
 * knee k of the potential share X = PIC / D every fab sells its capacity's
 * output; above it sales bend smoothly (slope 1 at k) toward D and only
 * approach it, and every owner's and rung's output falls by the same
 * utilisation u = h(X) / X, before learning counts it. */
static void demand_limit(const industry_conf *c, industry_state *s, const double *theta)
{
    double pic = s->QD + s->QF;
    for (int n = 0; n < GS_RUNGS; n++)
        pic += s->QL[n];
    double k = theta[c->knee], X = pic / s->D;
    s->util = 1.0;
    if (!(X > k))
        return;
    /* k + (1 - k)(1 - e^-z), written so that rounding cannot pass 1 */
    double h = 1.0 - (1.0 - k) * exp(-(X - k) / (1.0 - k));
    s->sold = h;
    s->util = h / X;
    for (int n = 0; n < GS_RUNGS; n++)
        s->QL[n] *= s->util;
    s->QD *= s->util;
    s->QF *= s->util;
}

/* 4.8: capacity and its pipeline, then output value. */
static void capacity_output(const industry_conf *c, industry_state *s, const double *theta,
                            const gs_world *w)
{
    int t = w->t;
    double delta = theta[c->delta], Lbar = theta[c->Lbar];
    double l[3];
    l[0] = gs_clip(2.0 - Lbar, 0.0, 1.0);
    l[2] = gs_clip(Lbar - 2.0, 0.0, 1.0);
    l[1] = 1.0 - l[0] - l[2];
    if (t > c->t0) {
        for (int n = 0; n < GS_RUNGS; n++) {
            s->UL[n] = (1.0 - delta) * s->UL[n] + s->WL[0][n];
            s->WL[0][n] = s->WL[1][n];
            s->WL[1][n] = s->WL[2][n];
            s->WL[2][n] = 0;
        }
        s->UD = (1.0 - delta) * s->UD + s->WD[0];
        s->UF = (1.0 - delta) * s->UF + s->WF[0];
        pipe_shift(s->WD);
        pipe_shift(s->WF);
    }
    const double *tools = w->link + c->l.tools;
    double EDo = tools[GS_TOOLS_OTHER], EF = tools[GS_TOOLS_FOREIGN];
    /* Per rung of the leader's pipeline: a column of WL. */
    double col[3];
    for (int n = 0; n < GS_RUNGS; n++) {
        double I = n == 0 ? s->a_mat : n == s->k ? s->a_new : 0.0;
        if (!(I > 0))
            continue;
        for (int j = 0; j < 3; j++)
            col[j] = s->WL[j][n];
        pipe_add(col, I, s->p[n], l, 0);
        if (t == c->t0) {
            /* Spending of the two years before the base year at its rate
             * (no series before it): what of it is still in the pipeline,
             * at each year's price of the rung. */
            const double *yF = w->link + c->l.yF;
            double pinf = theta[c->pinf];
            for (int a = 1; a <= 2; a++)
                pipe_add(col, I,
                         n == 0 ? exp(-theta[c->lM] * -a)
                                : pinf + (1.0 - pinf) *
                                             exp(-theta[c->lp] * fmax(0.0, t - a - yF[n])),
                         l, a);
        }
        for (int j = 0; j < 3; j++)
            s->WL[j][n] = col[j];
    }
    pipe_add(s->WD, EDo, s->pM, l, 0);
    pipe_add(s->WF, EF, s->pM, l, 0);
    if (t == c->t0)
        for (int a = 1; a <= 2; a++) {
            double pa = exp(-theta[c->lM] * -a);
            pipe_add(s->WD, EDo, pa, l, a);
            pipe_add(s->WF, EF, pa, l, a);
        }

    double kappa = theta[c->kappa];
    double cycD = pow(s->Pi, theta[c->betaD]), cycF = pow(s->Pi, theta[c->betaF]);
    const double *sub = w->link + c->l.sub;
    if (t == c->t0 && c->k0 > 0) {
        /* 4.10 for a leader above the mature class: its production by rung
         * is the anchored mix of (1 - f0) l0 PIC0, and its capacity on each
         * rung what produces that at the base year's price, yield and
         * substitution (Pi = 1). */
        double f0 = c->hq0 > 0 ? 1.0 - c->hq0 / c->mic0 : theta[c->f0];
        double QL0 = (1.0 - f0) * theta[c->l0] * s->PIC0;
        s->UL[0] = c->mix0[0] * QL0 / (kappa * s->pM);
        for (int n = 1; n <= c->k0; n++)
            s->UL[n] = c->mix0[n] * QL0 / (kappa * s->p[n] * s->q[n] * sub[n]);
    }
    s->QL[0] = kappa * s->UL[0] * s->pM * cycD;
    for (int n = 1; n < GS_RUNGS; n++)
        s->QL[n] = kappa * s->UL[n] * s->p[n] * s->q[n] * sub[n] * cycD;
    s->QD = kappa * s->UD * s->pM * cycD;
    s->QF = kappa * s->UF * s->pM * cycF;
    demand_limit(c, s, theta);
    /* Learning counts good output at world prices: the captive premium of
     * substitution raises value, not experience (so that no control speeds
     * the leader through learning). */
    s->C[0] += s->QL[0];
    for (int n = 1; n < GS_RUNGS; n++)
        s->C[n] += s->QL[n] / sub[n];
}

/* 4.9: the three bases. */
static void bases(const industry_conf *c, industry_state *s, const double *theta, gs_world *w)
{
    int t = w->t;
    double QL = 0;
    for (int n = 0; n < GS_RUNGS; n++)
        QL += s->QL[n];
    s->HQ = QL + s->QD;
    s->PIC = s->HQ + s->QF;
    s->share[BASIS_MIC] = s->PIC / s->D;
    s->share[BASIS_HQ] = s->HQ / s->D;
    if (s->util < 1.0) {
        /* Limited: the sold share itself, not the rescaled sum, which may
         * round past it (and past 1); China-HQ fabs sell their part of it. */
        s->share[BASIS_MIC] = s->sold;
        s->share[BASIS_HQ] = s->sold * (s->HQ / s->PIC);
    }
    double tauB = theta[c->tauB];
    double Lam = tauB * (1.0 - exp(-(t - c->t0) / tauB));
    double ratio = s->D / s->D0;
    double DP = s->DP0 * ratio * pow(s->Pi, theta[c->betaD] - 1.0) *
                exp(theta[c->gDP] * Lam + s->rDP);
    s->CS = s->PIC + DP;
    s->Dcs = s->Dcs0 * ratio * exp(theta[c->gb] * Lam);
    s->share[BASIS_CSIA] = s->CS / s->Dcs;
    if (t == c->t0) {
        /* The base year is the initial state: the shares are their anchors,
         * which the computation above reproduces to rounding (the levels it
         * records are left as computed; tests check both), so that a target
         * of the base year at its anchor is met in every trajectory. */
        s->share[BASIS_MIC] = c->mic0;
        s->share[BASIS_HQ] = c->hq0 > 0 ? c->hq0 : (1.0 - theta[c->f0]) * c->mic0;
        s->share[BASIS_CSIA] = c->csia0;
    }
    s->fx = w->link[c->l.fx];
    w->link[c->l.share_mic] = s->share[BASIS_MIC];
}

static void record(const industry_conf *c, const industry_state *s, gs_world *w)
{
    double *o = w->out;
    for (int b = 0; b < N_BASES; b++)
        o[c->o_share[b]] = s->share[b];
    o[c->o_target] = s->share[c->basis];
    o[c->o_pic] = s->PIC;
    o[c->o_hq] = s->HQ;
    o[c->o_qf] = s->QF;
    o[c->o_cs] = s->CS;
    o[c->o_cny] = s->CS * s->fx;
    o[c->o_D] = s->D;
    o[c->o_Dcs] = s->Dcs;
    o[c->o_util] = s->util;
    double capL = 0, rev = 0;
    for (int n = 0; n < GS_RUNGS; n++) {
        capL += s->UL[n];
        rev += s->QL[n];
        o[c->o_capLn[n]] = s->UL[n];
    }
    o[c->o_capL] = capL;
    o[c->o_capD] = s->UD;
    o[c->o_capF] = s->UF;
    o[c->o_rev] = rev;
    for (int n = 0; n < GS_RUNGS; n++)
        o[c->o_mix[n]] = rev > 0 ? s->QL[n] / rev : 0.0;
    if (w->t == c->t0 && c->k0 > 0)
        for (int n = 0; n <= c->k0; n++)
            o[c->o_mix[n]] = c->mix0[n]; /* the anchors, as the shares (bases) */
    const double *yF = w->link + c->l.yF;
    int kF = 0;
    for (int n = 0; n < GS_RUNGS; n++)
        if (yF[n] <= w->t)
            kF = n;
    o[c->o_node] = gs_rung_nm(s->k);
    o[c->o_gen] = kF - s->k;
    o[c->o_year] = w->t - yF[s->k];
    for (int n = 1; n < GS_RUNGS; n++)
        o[c->o_pen[n]] = s->pen[n];
    o[c->o_prem] = s->pen[GS_RUNG_7];
    o[c->o_yield] = c->world_yield * s->q[GS_RUNG_7];
}

static void industry_step(const void *vc, void *vs, const double *theta, gs_world *w,
                          gs_phase ph, const double *u)
{
    const industry_conf *c = vc;
    industry_state *s = vs;
    switch (ph) {
    case GS_PHASE_INVEST:
        market(c, s, theta, w, u);
        break;
    case GS_PHASE_NODE:
        if (w->t > c->t0)
            node(c, s, theta, w);
        allocate(c, s, theta, w);
        break;
    case GS_PHASE_SHARE:
        capacity_output(c, s, theta, w);
        bases(c, s, theta, w);
        break;
    case GS_PHASE_RECORD:
        record(c, s, w);
        break;
    default:
        break;
    }
}

/* year_gap_dist.csv: the distribution of the years-behind gap in each
 * report year, the levels it takes with their probability and the CDF. */
static void write_gap_dist(const void *vc, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    const industry_conf *c = vc;
    fputs("year,years_behind,probability,cdf\r\n", f);
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    const gs_output_decl *d = gs_results_output(r, (size_t)c->o_year);
    for (size_t i = 0; i < n_ry; i++) {
        int year = (int)ry[i];
        double cdf = 0;
        for (size_t k = 0; k < d->n_levels; k++) {
            double p = gs_results_level_prob(r, (size_t)c->o_year, year, k);
            if (!(p > 0))
                continue;
            cdf += p;
            fprintf(f, "%d,%.10g,%.10g,%.10g\r\n", year, d->levels[k], p, fmin(cdf, 1.0));
        }
    }
}

/* The base year, the report years and the horizon, in order. */
static size_t summary_years(const gs_scenario *scn, const gs_results *r, int years[16])
{
    int t0 = gs_results_t0(r), T = gs_results_T(r);
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry), ny = 0;
    years[ny++] = t0;
    for (size_t i = 0; i < n_ry && ny < 15; i++)
        if ((int)ry[i] != t0 && (int)ry[i] != T)
            years[ny++] = (int)ry[i];
    years[ny++] = T;
    return ny;
}

/* Summary.  Headline: the shares on the three bases, then the chance of each
 * share target.  Detail: the years-behind gap in the report years, then when
 * the leader reaches each milestone node. */
static void industry_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                             gs_summary_part part, gs_strbuf *b)
{
    const industry_conf *c = vc;
    int T = gs_results_T(r);
    if (part == GS_SUMMARY_HEADLINE) {
        static const char *const title[N_BASES] = {"made in China", "China-headquartered",
                                                   "CSIA ratio"};
        int years[16];
        size_t ny = summary_years(scn, r, years);
        gs_strbuf_printf(b, "Share of China's IC consumption, median (90%% interval), by basis\n"
                            "(the CSIA ratio, industry sales over CSIA-basis demand, counts "
                            "exports and the chain twice: it may exceed 100%%):\n");
        gs_strbuf_printf(b, "  %-6s", "year");
        for (int k = 0; k < N_BASES; k++)
            gs_strbuf_printf(b, "  %-22s", title[k]);
        gs_strbuf_printf(b, "\n");
        for (size_t i = 0; i < ny; i++) {
            gs_strbuf_printf(b, "  %-6d", years[i]);
            for (int k = 0; k < N_BASES; k++) {
                size_t v = (size_t)c->o_share[k];
                char cell[64];
                snprintf(cell, sizeof cell, "%.1f%% (%.1f-%.1f%%)",
                         100 * gs_results_quantile(r, v, years[i], 0.5),
                         100 * gs_results_quantile(r, v, years[i], 0.05),
                         100 * gs_results_quantile(r, v, years[i], 0.95));
                gs_strbuf_printf(b, "  %-22s", cell);
            }
            gs_strbuf_printf(b, "\n");
        }
        int any = 0;
        for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
            const gs_tracker_decl *tr = gs_results_tracker(r, k);
            if (tr->kind != GS_TRACK_TARGET || tr->output != (size_t)c->o_target)
                continue;
            if (!any++)
                gs_strbuf_printf(b, "\nShare targets (%s basis):\n", basis_name[c->basis]);
            double p, lo, hi, pb, lob, hib;
            gs_results_tracker_prob(r, k, &p, &lo, &hi);
            gs_results_tracker_prob_by(r, k, &pb, &lob, &hib);
            char y50[32], a[16], cl[16], ch[16], e[16], f[16], g[16], h[16];
            gs_fmt_year(y50, sizeof y50, gs_results_tracker_first(r, k, 0.5), T);
            /* "in" and "by" are different claims: at least the value in the
             * target year, or at least once in some year up to it. */
            gs_strbuf_printf(b, "  %g%% in %d (%s): probability %s (95%% CI %s to %s); reached "
                                "in some year by %d: %s (95%% CI %s to %s); first reached: "
                                "median %s, not by %d in %s of trajectories\n",
                             100 * tr->threshold, tr->year, tr->label,
                             gs_fmt_pct(a, sizeof a, p), gs_fmt_pct(cl, sizeof cl, lo),
                             gs_fmt_pct(ch, sizeof ch, hi), tr->year, gs_fmt_pct(f, sizeof f, pb),
                             gs_fmt_pct(g, sizeof g, lob), gs_fmt_pct(h, sizeof h, hib), y50, T,
                             gs_fmt_pct(e, sizeof e, gs_results_tracker_never(r, k)));
        }
        return;
    }
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    size_t vg = (size_t)c->o_year;
    if (n_ry) {
        gs_strbuf_printf(b, "Years behind the frontier (since the frontier reached the leader's "
                            "rung), median (90%% interval):\n");
        for (size_t i = 0; i < n_ry; i++) {
            int y = (int)ry[i];
            gs_strbuf_printf(b, "  %d: %.0f (%.0f-%.0f)\n", y, gs_results_quantile(r, vg, y, 0.5),
                             gs_results_quantile(r, vg, y, 0.05),
                             gs_results_quantile(r, vg, y, 0.95));
        }
    }
    int any = 0;
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind != GS_TRACK_MILESTONE || tr->output != (size_t)c->o_node)
            continue;
        if (!any++)
            gs_strbuf_printf(b, "%sDomestic leader reaches, median year (90%% interval):\n",
                             n_ry ? "\n" : "");
        char a[32], m[32], z[32], nb[16];
        gs_fmt_year(a, sizeof a, gs_results_tracker_first(r, k, 0.05), T);
        gs_fmt_year(m, sizeof m, gs_results_tracker_first(r, k, 0.5), T);
        gs_fmt_year(z, sizeof z, gs_results_tracker_first(r, k, 0.95), T);
        gs_strbuf_printf(b, "  %g nm: %s (%s to %s); not by %d in %s of trajectories\n",
                         tr->threshold, m, a, z, T,
                         gs_fmt_pct(nb, sizeof nb, gs_results_tracker_never(r, k)));
    }
}

/* What the charts and compare.csv show of this model (docs/charts.md). */
static const char *const industry_charts[] = {"fan_share", "shares", "probabilities", "nodes",
                                              "gap", "gap_dist", NULL};
static const char *const industry_compare_charts[] = {"compare_share", "compare_targets",
                                                      "compare_nodes", NULL};
static const gs_figure_decl industry_figures[] = {{"share", "p50,p05,p95", 0},
                                                  {"share_made_in_china", "p50", 0},
                                                  {"year_gap", "p50", 0},
                                                  {"leader_node_nm", "p50", 0},
                                                  {NULL, NULL, 0}};
static const gs_plot_decl industry_plot = {industry_charts, industry_compare_charts,
                                           industry_figures};
static const gs_table_decl industry_tables[] = {{"year_gap_dist.csv", write_gap_dist},
                                                {NULL, NULL}};

const gs_model_type gs_model_industry = {
    "industry",
    "China's IC market, the leader's node ladder, capacity by owner and rung, and the shares "
    "on three measured bases",
    industry_params,
    sizeof(industry_conf),
    industry_bind,
    industry_unbind,
    industry_state_size,
    industry_noise,
    industry_init,
    industry_step,
    &industry_plot,
    industry_tables,
    industry_summary,
    NULL,
};
