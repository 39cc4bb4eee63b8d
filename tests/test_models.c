/* The three models against years worked out by hand.
 *
 * Every scenario here is deterministic: all parameters are constants and all
 * process noise is switched off (sigmas 0, hazards 0 or 1), so one trajectory
 * (n = 1) is the whole answer and the engine's mean of it is that
 * trajectory's value.  The expected values below are the equations of
 * docs/model.md evaluated step by step; they differ from the engine's only
 * by the order of floating-point operations, hence a relative tolerance of
 * 1e-12 (with 1e-12 absolute for values that are 0). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_engine.h"
#include "gs_scenario.h"
#include "testutil.h"

#define RTOL 1e-12
#define ATOL 1e-12

/* The hand scenario: three segments, one fund tranche, a node ladder with
 * frontier years observed to 7 nm and projected every 2.5 years after, and a
 * domestic leader whose steps take 1.6 * 1.25^(k - k0) years. */
static const char base_cfg[] =
    "scenario = { name = \"hand\"; share_definition = \"test basis\";\n"
    "             base_year = 2014; horizon = 2030; };\n"
    "run = { sampler = \"mc\"; };\n"
    "outputs = { report_years = [2019]; };\n"
    "fund = { fx = 6.8; leverage = 1.0; efficiency = 1.0; capex0 = 0.0; capex_growth = 0.0;\n"
    "         crunch = { hazard = 0.0; years = 2; cut = 0.4; }; };\n"
    "funds = { fund1 = { year = 2014; size = 138.7; years = 4; }; };\n"
    "market = { base_share = 0.29; demand0 = 100.0; demand_growth = 0.0; demand_noise = 0.0;\n"
    "           depreciation = 0.1; decay = 0.15; };\n"
    "segments = {\n"
    "  adv  = { weight = 0.3; node_nm = 14.0; grace = 1.0; turnover = 0.9; share0 = 0.0;\n"
    "           cap = 0.9; allocation = 0.5; };\n"
    "  main = { weight = 0.2; node_nm = 40.0; grace = 3.0; turnover = 0.8; share0 = 0.35;\n"
    "           cap = 0.95; allocation = 0.25; };\n"
    "  mat  = { weight = 0.5; turnover = 0.8; share0 = 0.44; cap = 0.95; allocation = 0.25; };\n"
    "};\n"
    "node = {\n"
    "  ladder = [90.0, 65.0, 40.0, 28.0, 14.0, 10.0, 7.0, 5.0, 3.0, 2.0];\n"
    "  milestones = [7.0, 5.0, 3.0];\n"
    "  frontier = { observed = [2004, 2006, 2008, 2011, 2014, 2016, 2018];\n"
    "               median = 2.5; sigma = 0.0; };\n"
    "  domestic = { start_nm = 40.0; median = 1.6; difficulty = 1.25; elasticity = 0.0;\n"
    "               sigma = 0.0; lag_min = 1.0; };\n"
    "};\n";

static char cfg_path[4200];

typedef struct run1 {
    gs_scenario *scn;
    gs_sim *sim;
    gs_results *res;
} run1;

static int setup(void **state)
{
    (void)state;
    snprintf(cfg_path, sizeof cfg_path, "%s/hand.cfg", gs_test_tmpdir("models"));
    FILE *f = fopen(cfg_path, "w");
    if (!f)
        return -1;
    fputs(base_cfg, f);
    return fclose(f);
}

static void run_one(run1 *r, const char *const *sets, size_t n_sets)
{
    gs_error e;
    gs_error_clear(&e);
    memset(r, 0, sizeof *r);
    char msg[2048];
    if (gs_scenario_load(gs_param_tables(), cfg_path, sets, n_sets, &r->scn, &e) != GS_OK ||
        gs_sim_new(r->scn, gs_models_builtin(), &r->sim, &e) != GS_OK) {
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 1;
    o.seed = 7;
    if (gs_sim_run(r->sim, &o, &r->res, &e) != GS_OK) {
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    assert_int_equal(gs_results_trajectories(r->res), 1);
    /* Everything here is constant: no sampled dimension at all. */
    assert_int_equal(gs_scenario_ndims(r->scn), 0);
}

static void run_free(run1 *r)
{
    gs_results_free(r->res);
    gs_sim_free(r->sim);
    gs_scenario_free(r->scn);
}

static double out(const run1 *r, const char *var, int year)
{
    long v = gs_results_find(r->res, var);
    if (v < 0)
        fail_msg("no output %s", var);
    return gs_results_mean(r->res, (size_t)v, year);
}

/* First year of a milestone; T + 1 when not reached. */
static int milestone(const run1 *r, double nm)
{
    for (size_t k = 0; k < gs_results_n_trackers(r->res); k++) {
        const gs_tracker_decl *t = gs_results_tracker(r->res, k);
        if (t->kind == GS_TRACK_MILESTONE && t->threshold == nm)
            return gs_results_tracker_first(r->res, k, 0.5);
    }
    fail_msg("no milestone %g nm", nm);
    return 0;
}

/* ------------------------------------------------------------------ M1 */

static void fund_flat_tranche(void **state)
{
    (void)state;
    run1 r;
    run_one(&r, NULL, 0);
    /* Fund I: 138.7 bn RMB at 6.8 RMB/USD over 4 years, leverage and
     * efficiency 1, no other capex: a quarter in each of 2014-2017. */
    double y = 138.7 / 6.8 / 4;
    double cum = 0;
    for (int t = 2014; t <= 2020; t++) {
        double expect = t <= 2017 ? y : 0.0;
        cum += expect;
        assert_close(out(&r, "investment", t), expect, RTOL, ATOL);
        assert_close(out(&r, "investment_cum", t), cum, RTOL, ATOL);
        assert_close(out(&r, "crunch_active", t), 0.0, 0, 0);
    }
    assert_close(out(&r, "investment_cum", 2030), 138.7 / 6.8, RTOL, ATOL);
    run_free(&r);
}

static void fund_profiles_and_second_tranche(void **state)
{
    (void)state;
    const char *front[] = {"funds.fund1.profile=\"front\"",
                           "funds.fund2={year=2018;size=300.0;years=5;profile=\"back\";}"};
    run1 r;
    run_one(&r, front, 2);
    /* Front over 4 years: 4/10, 3/10, 2/10, 1/10 of the fund; back over 5
     * years: 1/15 ... 5/15, from 2018. */
    double f1 = 138.7 / 6.8, f2 = 300.0 / 6.8;
    const double w1[] = {0.4, 0.3, 0.2, 0.1};
    for (int t = 2014; t <= 2024; t++) {
        double expect = 0;
        if (t <= 2017)
            expect += f1 * w1[t - 2014];
        if (t >= 2018 && t <= 2022)
            expect += f2 * (t - 2017) / 15.0;
        assert_close(out(&r, "investment", t), expect, RTOL, ATOL);
    }
    assert_close(out(&r, "investment_cum", 2030), f1 + f2, RTOL, ATOL);
    run_free(&r);

    const char *back[] = {"funds.fund1.profile=\"back\""};
    run_one(&r, back, 1);
    for (int t = 2014; t <= 2017; t++)
        assert_close(out(&r, "investment", t), f1 * (t - 2013) / 10.0, RTOL, ATOL);
    run_free(&r);
}

static void fund_leverage_capex_efficiency(void **state)
{
    (void)state;
    const char *sets[] = {"fund.leverage=2.0", "fund.efficiency=0.5", "fund.capex0=3.0",
                          "fund.capex_growth=0.1"};
    run1 r;
    run_one(&r, sets, 4);
    /* I(t) = (leverage F(t) + C0 (1 + g)^(t - t0)) * efficiency. */
    for (int t = 2014; t <= 2030; t++) {
        double F = t <= 2017 ? 138.7 / 6.8 / 4 : 0.0;
        double expect = (2.0 * F + 3.0 * pow(1.1, t - 2014)) * 0.5;
        assert_close(out(&r, "investment", t), expect, RTOL, ATOL);
    }
    run_free(&r);
}

static void fund_crunch(void **state)
{
    (void)state;
    /* Hazard 1: a crunch starts in every year with none under way, but never
     * in the base year, which is the initial state.  So 2015-2016 is the first
     * crunch, 2017-2018 the next, and so on: every year after 2014 is cut. */
    const char *sets[] = {"fund.crunch.hazard=1.0", "fund.crunch.cut=0.4",
                          "fund.crunch.years=2"};
    run1 r;
    run_one(&r, sets, 3);
    double y = 138.7 / 6.8 / 4, cum = 0;
    for (int t = 2014; t <= 2020; t++) {
        double B = t == 2014 ? 1.0 : 0.6;
        double expect = t <= 2017 ? y * B : 0.0;
        cum += expect;
        assert_close(out(&r, "crunch_active", t), t == 2014 ? 0.0 : 1.0, 0, 0);
        assert_close(out(&r, "investment", t), expect, RTOL, ATOL);
        assert_close(out(&r, "investment_cum", t), cum, RTOL, ATOL);
    }
    run_free(&r);

    /* The cut falls on capex outside the funds too. */
    const char *sets2[] = {"fund.crunch.hazard=1.0", "fund.crunch.cut=0.25", "fund.capex0=8.0"};
    run_one(&r, sets2, 3);
    assert_close(out(&r, "investment", 2014), y + 8.0, RTOL, ATOL);
    assert_close(out(&r, "investment", 2016), (y + 8.0) * 0.75, RTOL, ATOL);
    assert_close(out(&r, "investment", 2019), 8.0 * 0.75, RTOL, ATOL);
    run_free(&r);
}

/* ------------------------------------------------------------------ M3 */

/* Frontier: observed to 7 nm in 2018, then every 2.5 years, floored:
 * 5 nm 2020 (2020.5), 3 nm 2023, 2 nm 2025 (2025.5). */
static double frontier_nm(int t)
{
    if (t >= 2025)
        return 2;
    if (t >= 2023)
        return 3;
    if (t >= 2020)
        return 5;
    if (t >= 2018)
        return 7;
    if (t >= 2016)
        return 10;
    return 14; /* 2014-2015 */
}

static size_t ladder_index(double nm)
{
    static const double ladder[] = {90, 65, 40, 28, 14, 10, 7, 5, 3, 2};
    for (size_t g = 0; g < sizeof ladder / sizeof ladder[0]; g++)
        if (ladder[g] == nm)
            return g;
    fail_msg("%g nm is not on the ladder", nm);
    return 0;
}

/* Frontier year of a generation (the observed ones and the projected above). */
static int frontier_year(double nm)
{
    static const int years[] = {2004, 2006, 2008, 2011, 2014, 2016, 2018, 2020, 2023, 2025};
    return years[ladder_index(nm)];
}

static void check_node_path(const run1 *r, const double *dom, int from, int to)
{
    for (int t = from; t <= to; t++) {
        double d = dom[t - from];
        assert_close(out(r, "node_domestic_nm", t), d, 0, 0);
        assert_close(out(r, "node_frontier_nm", t), frontier_nm(t), 0, 0);
        assert_close(out(r, "year_gap", t), t - frontier_year(d), 0, 0);
        assert_close(out(r, "gen_gap", t),
                     (double)ladder_index(frontier_nm(t)) - (double)ladder_index(d), 0, 0);
    }
}

static void node_fractional_progress(void **state)
{
    (void)state;
    run1 r;
    run_one(&r, NULL, 0);
    /* Steps from 40 nm (k0): tau = 1.6 * 1.25^(k - k0) = 1.6, 2.0, 2.5,
     * 3.125, 3.90625, 4.8828125 years.  One year of effort a year from 2015
     * (the base year has none), left-over effort carried into the next step:
     * cumulative effort 1.6 -> 28 nm in 2016, 3.6 -> 14 nm in 2018,
     * 6.1 -> 10 nm in 2021, 9.225 -> 7 nm in 2024, 13.13125 -> 5 nm in 2028,
     * 18.01 -> 3 nm in 2033, after the horizon.  The follower bound (frontier
     * year + 1) never binds: 2012, 2015, 2017, 2019, 2021. */
    const double dom[] = {40, 40, 28, 28, 14, 14, 14, 10, 10, 10, 7, 7, 7, 7, 5, 5, 5};
    check_node_path(&r, dom, 2014, 2030);
    assert_int_equal(milestone(&r, 7.0), 2024);
    assert_int_equal(milestone(&r, 5.0), 2028);
    assert_int_equal(milestone(&r, 3.0), 2031);
    assert_close(out(&r, "controls_active", 2030), 0.0, 0, 0);
    /* 2015: 40 nm came in 2008 at the frontier, which is at 14 nm, two
     * generations on; 2024: 7 nm (2018) against 3 nm. */
    assert_close(out(&r, "year_gap", 2015), 7.0, 0, 0);
    assert_close(out(&r, "gen_gap", 2015), 2.0, 0, 0);
    assert_close(out(&r, "year_gap", 2024), 6.0, 0, 0);
    assert_close(out(&r, "gen_gap", 2024), 2.0, 0, 0);
    run_free(&r);
}

static void node_investment_elasticity(void **state)
{
    (void)state;
    /* Elasticity 1 with R(t) = the adv segment's trailing investment: no fund,
     * capex 10, half of it to adv, so R = 5 in every year and R / r_ref = 0.5
     * doubles each step.  A median of 0.8 then gives the same steps, and the
     * same years, as the 1.6 of node_fractional_progress. */
    const char *sets[] = {"funds.fund1.size=0.0", "fund.capex0=10.0",
                          "node.domestic.elasticity=1.0", "node.domestic.r_ref=10.0",
                          "node.domestic.median=0.8", "node.domestic.rd_segments=[\"adv\"]"};
    run1 r;
    run_one(&r, sets, 6);
    const double dom[] = {40, 40, 28, 28, 14, 14, 14, 10, 10, 10, 7, 7, 7, 7, 5, 5, 5};
    check_node_path(&r, dom, 2014, 2030);
    run_free(&r);
}

static void node_follower_bound(void **state)
{
    (void)state;
    /* Steps of 0.9 years, but no generation earlier than 4 years after the
     * frontier's: 28 nm 2015 (effort 0.9; bound 2015), then each finished step
     * waits for its bound: 14 nm 2018, 10 nm 2020, 7 nm 2022, 5 nm 2024,
     * 3 nm 2027, 2 nm 2029 (frontier 2014, 2016, 2018, 2020, 2023, 2025 + 4).
     * Held at the bound, the year gap on arrival is exactly lag_min. */
    const char *sets[] = {"node.domestic.median=0.9", "node.domestic.difficulty=1.0",
                          "node.domestic.lag_min=4.0"};
    run1 r;
    run_one(&r, sets, 3);
    const double dom[] = {40, 28, 28, 28, 14, 14, 10, 10, 7, 7, 5, 5, 5, 3, 3, 2, 2};
    check_node_path(&r, dom, 2014, 2030);
    const int arrivals[] = {2015, 2018, 2020, 2022, 2024, 2027, 2029};
    for (size_t i = 0; i < sizeof arrivals / sizeof arrivals[0]; i++)
        assert_close(out(&r, "year_gap", arrivals[i]), 4.0, 0, 0);
    assert_int_equal(milestone(&r, 7.0), 2022);
    assert_int_equal(milestone(&r, 5.0), 2024);
    assert_int_equal(milestone(&r, 3.0), 2027);
    run_free(&r);
}

static void node_control_delay(void **state)
{
    (void)state;
    /* As node_fractional_progress, with a measure in force from 2023 that
     * doubles steps to 7 nm and below.  The 10 -> 7 nm step (3.125 years)
     * began in 2021 with 0.9 years of effort left over: progress 0.288, then
     * 0.608 after 2022.  Unwalled, the 1.225 years left would end in 2024;
     * doubled from 2023 they are 2.45: 1 in 2023, 1 in 2024, 0.45 in 2025,
     * so 7 nm arrives in 2025.  The 5 nm step, doubled to 7.8125 years, starts
     * with 0.55 years in 2025 and would end in 2033: never by 2030. */
    const char *sets[] = {"controls.wall={mode=\"fixed\";year=2023;wall_nm=7.0;delay=2.0;}"};
    run1 r;
    run_one(&r, sets, 1);
    const double dom[] = {40, 40, 28, 28, 14, 14, 14, 10, 10, 10, 10, 7, 7, 7, 7, 7, 7};
    check_node_path(&r, dom, 2014, 2030);
    for (int t = 2014; t <= 2030; t++)
        assert_close(out(&r, "controls_active", t), t >= 2023 ? 1.0 : 0.0, 0, 0);
    assert_int_equal(milestone(&r, 7.0), 2025);
    assert_int_equal(milestone(&r, 5.0), 2031);
    run_free(&r);

    /* A hazard measure with hazard 1 starts in its first possible year;
     * with hazard 0 it never does. */
    const char *h1[] = {"controls.wall={mode=\"hazard\";year=2023;hazard=1.0;wall_nm=7.0;"
                        "delay=2.0;}"};
    run_one(&r, h1, 1);
    check_node_path(&r, dom, 2014, 2030);
    assert_close(out(&r, "controls_active", 2022), 0.0, 0, 0);
    assert_close(out(&r, "controls_active", 2023), 1.0, 0, 0);
    run_free(&r);
    const char *h0[] = {"controls.wall={mode=\"hazard\";year=2015;hazard=0.0;wall_nm=7.0;"
                        "delay=2.0;}"};
    run_one(&r, h0, 1);
    assert_close(out(&r, "controls_active", 2030), 0.0, 0, 0);
    assert_int_equal(milestone(&r, 7.0), 2024);
    run_free(&r);
}

/* ------------------------------------------------------------------ M2 */

/* The share model's recurrence for the hand scenario with the domestic
 * leader's generations observed in 2016 (28 nm) and 2019 (14 nm) and no
 * later step before 2030 (median 30 years).  penalty[i] multiplies segment
 * i's competitiveness from pen_year on. */
typedef struct share_case {
    double I[17];          /* investment by year from 2014 */
    double alloc[3], weight0[3], drift[3], share0[3], turnover[3], cap[3], stranded[3];
    double node[3], grace[3];
    double penalty[3];
    int pen_year;
    double D, delta, decay;
} share_case;

static double dom_node(int t) { return t >= 2019 ? 14 : t >= 2016 ? 28 : 40; }

static double comp(const share_case *c, size_t i, int t)
{
    double pen = t >= c->pen_year ? c->penalty[i] : 1.0;
    if (c->node[i] <= 0)
        return pen;
    if (dom_node(t) > c->node[i])
        return 0.0;
    double gap = t - frontier_year(dom_node(t));
    return exp(-c->decay * fmax(0.0, gap - c->grace[i])) * pen;
}

static void check_shares(const run1 *r, const share_case *c, int last)
{
    static const char *names[3] = {"adv", "main", "mat"};
    double K[3];
    for (size_t i = 0; i < 3; i++)
        K[i] = c->share0[i] > 0
                   ? c->share0[i] * c->weight0[i] * c->D / (c->turnover[i] * comp(c, i, 2014))
                   : c->stranded[i];
    for (int t = 2014; t <= last; t++) {
        double w[3], wsum = 0;
        for (size_t i = 0; i < 3; i++) {
            w[i] = fmax(0.0, c->weight0[i] + c->drift[i] * (t - 2014));
            wsum += w[i];
        }
        double S = 0, Ksum = 0;
        for (size_t i = 0; i < 3; i++) {
            w[i] /= wsum;
            double s = c->share0[i];
            if (t > 2014) {
                double need = w[i] * c->D;
                double P = c->turnover[i] * K[i] * comp(c, i, t);
                s = need > 0 ? fmin(P / need, c->cap[i]) : 0.0;
            }
            char var[64];
            snprintf(var, sizeof var, "share_%s", names[i]);
            assert_close(out(r, var, t), s, RTOL, ATOL);
            S += w[i] * s;
            Ksum += K[i];
        }
        assert_close(out(r, "share_total", t), S, RTOL, ATOL);
        assert_close(out(r, "capital_total", t), Ksum, RTOL, ATOL);
        assert_close(out(r, "demand", t), c->D, RTOL, 0);
        assert_close(out(r, "investment", t), c->I[t - 2014], RTOL, ATOL);
        for (size_t i = 0; i < 3; i++)
            K[i] = (1 - c->delta) * K[i] + c->alloc[i] * c->I[t - 2014];
    }
}

static void base_case(share_case *c, double capex0)
{
    memset(c, 0, sizeof *c);
    for (int t = 2014; t <= 2030; t++)
        c->I[t - 2014] = capex0 + (t <= 2017 ? 138.7 / 6.8 / 4 : 0.0);
    const double alloc[] = {0.5, 0.25, 0.25}, w0[] = {0.3, 0.2, 0.5}, s0[] = {0, 0.35, 0.44},
                 kap[] = {0.9, 0.8, 0.8}, cap[] = {0.9, 0.95, 0.95}, node[] = {14, 40, 0},
                 grace[] = {1, 3, 0};
    for (size_t i = 0; i < 3; i++) {
        c->alloc[i] = alloc[i];
        c->weight0[i] = w0[i];
        c->share0[i] = s0[i];
        c->turnover[i] = kap[i];
        c->cap[i] = cap[i];
        c->node[i] = node[i];
        c->grace[i] = grace[i];
        c->penalty[i] = 1.0;
    }
    c->pen_year = 9999;
    c->D = 100;
    c->delta = 0.1;
    c->decay = 0.15;
}

#define SHARE_NODE_SETS "node.domestic.observed=[2016, 2019]", "node.domestic.median=30.0"

static void share_by_hand(void **state)
{
    (void)state;
    /* Constant demand 100, capex 10 plus Fund I; the adv segment (14 nm)
     * starts with 5 of stranded capital and earns nothing until 14 nm arrives
     * in 2019, while its capital grows by half of all investment a year. */
    const char *sets[] = {SHARE_NODE_SETS, "fund.capex0=10.0", "segments.adv.stranded=5.0"};
    run1 r;
    run_one(&r, sets, 4);
    share_case c;
    base_case(&c, 10.0);
    c.stranded[0] = 5.0;
    check_shares(&r, &c, 2030);

    /* The base year is the initial state: the configured shares, exactly. */
    assert_close(out(&r, "share_total", 2014), 0.29, RTOL, 0);
    assert_close(out(&r, "share_main", 2014), 0.35, RTOL, 0);
    /* Initial capital makes the base-year shares come out: main needs 40 nm
     * with a grace of 3 years and is 6 years behind (40 nm in 2008). */
    double K_main = 0.35 * 0.2 * 100 / (0.8 * exp(-0.15 * 3));
    double K_mat = 0.44 * 0.5 * 100 / 0.8;
    assert_close(out(&r, "capital_total", 2014), 5.0 + K_main + K_mat, RTOL, 0);
    /* 2015 by hand: K(2015) = 0.9 K(2014) + a_i I(2014). */
    double I0 = 10 + 138.7 / 6.8 / 4;
    double Km15 = 0.9 * K_mat + 0.25 * I0;
    assert_close(out(&r, "share_mat", 2015), 0.8 * Km15 / 50.0, RTOL, 0);
    double Kn15 = 0.9 * K_main + 0.25 * I0;
    assert_close(out(&r, "share_main", 2015), 0.8 * Kn15 * exp(-0.15 * 4) / 20.0, RTOL, 0);
    /* Stranded: no share before 14 nm, capital accumulating all the while. */
    double Ka = 5.0;
    for (int t = 2014; t <= 2018; t++) {
        assert_close(out(&r, "share_adv", t), 0.0, 0, 0);
        Ka = 0.9 * Ka + 0.5 * (10 + (t <= 2017 ? 138.7 / 6.8 / 4 : 0));
    }
    /* 2019: K_adv(2019) = Ka, 14 nm five years after the frontier, grace 1. */
    assert_close(out(&r, "share_adv", 2019), 0.9 * Ka * exp(-0.15 * 4) / 30.0, RTOL, 0);
    assert_true(out(&r, "share_adv", 2019) > 0);
    run_free(&r);
}

static void share_cap_binds(void **state)
{
    (void)state;
    /* Capex of 100 a year, a quarter of it to mat: K(2015) = 0.9 * 27.5 +
     * 0.25 * 105.1 = 51.0 gives 0.816 of mat's demand of 50, K(2016) = 72.2
     * gives 1.16, capped at 0.95 from then on. */
    const char *sets[] = {SHARE_NODE_SETS, "fund.capex0=100.0"};
    run1 r;
    run_one(&r, sets, 3);
    share_case c;
    base_case(&c, 100.0);
    check_shares(&r, &c, 2030);
    assert_true(out(&r, "share_mat", 2015) < 0.95);
    for (int t = 2016; t <= 2030; t++)
        assert_close(out(&r, "share_mat", t), 0.95, 0, 0);
    run_free(&r);
}

static void share_weights_drift(void **state)
{
    (void)state;
    /* adv gains 0.05 a year, mat loses 0.1: mat's weight reaches 0 in 2019
     * and stays clipped there, the others renormalised to sum to 1; a segment
     * of weight 0 has share 0. */
    const char *sets[] = {SHARE_NODE_SETS, "fund.capex0=10.0", "segments.adv.drift=0.05",
                          "segments.mat.drift=-0.1"};
    run1 r;
    run_one(&r, sets, 5);
    share_case c;
    base_case(&c, 10.0);
    c.drift[0] = 0.05;
    c.drift[2] = -0.1;
    check_shares(&r, &c, 2030);
    assert_close(out(&r, "share_mat", 2020), 0.0, 0, 0);
    /* 2016 weights: 0.4, 0.2, 0.3 over 0.9. */
    double Km = 0.44 * 0.5 * 100 / 0.8;
    double I0 = 10 + 138.7 / 6.8 / 4;
    Km = 0.9 * (0.9 * Km + 0.25 * I0) + 0.25 * I0;
    assert_close(out(&r, "share_mat", 2016), fmin(0.8 * Km / (0.3 / 0.9 * 100), 0.95), RTOL, 0);
    assert_close(out(&r, "share_total", 2014), 0.29, RTOL, 0);
    run_free(&r);
}

static void share_control_penalty(void **state)
{
    (void)state;
    /* A measure from 2016 with a 20 % penalty on main and mat: mat needs no
     * particular node and feels only the penalty; the wall at 2 nm is never
     * reached, so the node path is unchanged. */
    const char *sets[] = {SHARE_NODE_SETS, "fund.capex0=10.0",
                          "controls.m={mode=\"fixed\";year=2016;wall_nm=2.0;penalty=0.2;"
                          "segments=[\"main\",\"mat\"];}"};
    run1 r;
    run_one(&r, sets, 4);
    share_case c;
    base_case(&c, 10.0);
    c.penalty[1] = c.penalty[2] = 0.8;
    c.pen_year = 2016;
    check_shares(&r, &c, 2030);
    run_free(&r);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fund_flat_tranche),
        cmocka_unit_test(fund_profiles_and_second_tranche),
        cmocka_unit_test(fund_leverage_capex_efficiency),
        cmocka_unit_test(fund_crunch),
        cmocka_unit_test(node_fractional_progress),
        cmocka_unit_test(node_investment_elasticity),
        cmocka_unit_test(node_follower_bound),
        cmocka_unit_test(node_control_delay),
        cmocka_unit_test(share_by_hand),
        cmocka_unit_test(share_cap_binds),
        cmocka_unit_test(share_weights_drift),
        cmocka_unit_test(share_control_penalty),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
