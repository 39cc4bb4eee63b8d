/* The models of docs/model.md against hand computations and their
 * invariants:
 *   - the base year reproduces every anchor in every trajectory (4.10);
 *   - with all noise off and the price cycle at 1, the year after the base
 *     year is redone by hand from the order of work (section 3);
 *   - a control never moves the leader to a finer rung (common random
 *     numbers: the same trajectories with the measures never in force);
 *   - hazard_until is certain from its year, and hazards chain;
 *   - the baseline's median share has no saw-tooth.
 * The hand values differ from the engine's only by the order of
 * floating-point operations, hence a relative tolerance of 1e-12. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_engine.h"
#include "gs_scenario.h"
#include "testutil.h"

#define RTOL 1e-12
#define ATOL 1e-12

/* A scenario with every parameter constant and no process noise. */
static const char hand_cfg[] =
    "scenario = { name = \"hand\"; share_definition = \"test basis\";\n"
    "             base_year = 2014; horizon = 2022; };\n"
    "run = { sampler = \"mc\"; };\n"
    "outputs = { report_years = [2019]; };\n"
    "anchors = { made_in_china = 0.151; csia_share = 0.29; csia_sales_cny = 291.5; };\n"
    "market = { consumption0 = 100.0; growth = 0.05; growth_noise = 0.0;\n"
    "           cycle = { rho = 0.5; sd = 0.0; beta_domestic = 0.7; beta_foreign = 1.5; }; };\n"
    "prices = { decay = 0.2; floor = 0.5; mature_decay = 0.02; };\n"
    "fx = { base_year = 6.6; years = [2015]; values = [6.5]; };\n"
    "frontier = { record = { years = [2011, 2012, 2014, 2016, 2018];\n"
    "                        nm = [28.0, 22.0, 14.0, 10.0, 7.0]; until = 2018; }; };\n"
    "funds = { fund1 = { size = 138.7; year = 2014.5; paid_over = 3.5; lag = 0.0;\n"
    "                    fx_year = 2014; }; };\n"
    "tools = { base = 4.37; growth = 0.2; noise = 0.0; saturation = 0.6;\n"
    "          per_fund_usd = 0.2; domestic_push = 0.05; };\n"
    "ownership = { foreign0 = 0.6; leader0 = 0.4; tool_foreign0 = 0.5;\n"
    "              tool_foreign_drift = -0.03; leader_share = 0.4; failure_share = 0.05; };\n"
    "capacity = { turnover = 0.4; depreciation = 0.06; build_lag = 1.5; };\n"
    "leader = { pinned = { years = [2015, 2019]; }; advanced_share = 0.5; pilot_share = 0.05;\n"
    "           step = 4.0; step_noise = 0.0; elasticity = 0.0;\n"
    "           penalty0 = { n28 = 0.5; n14 = 0.9; n7 = 0.6; euv = 1.7; };\n"
    "           learning = 0.4; c_ref = 1.0; };\n"
    "csia = { design_growth = 0.19; design_noise = 0.0; demand_drift = 0.14; fade = 20.0; };\n"
    "controls = { m = { threshold_nm = 28.0; law = \"fixed\"; year = 2015; rho = 1.2;\n"
    "                   pi = 0.1; zeta = 0.2; sub = 0.1; foreign_cut = 0.2; }; };\n";

static char hand_path[4200];

static int setup(void **state)
{
    (void)state;
    snprintf(hand_path, sizeof hand_path, "%s/hand.cfg", gs_test_tmpdir("models"));
    FILE *f = fopen(hand_path, "w");
    if (!f)
        return -1;
    fputs(hand_cfg, f);
    return fclose(f);
}

/* One run with its trajectories kept: vals[(j * n_out + v) * years + y]. */
typedef struct run {
    gs_scenario *scn;
    gs_sim *sim;
    gs_results *res;
    uint64_t n;
    int t0, years;
    double *vals;
} run;

static void run_cfg(run *r, const char *file, const char *const *sets, size_t n_sets,
                    uint64_t n, uint64_t seed)
{
    gs_error e;
    gs_error_clear(&e);
    memset(r, 0, sizeof *r);
    char msg[2048];
    if (gs_scenario_load(gs_param_tables(), file, sets, n_sets, &r->scn, &e) != GS_OK ||
        gs_sim_new(r->scn, gs_models_builtin(), &r->sim, &e) != GS_OK) {
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = n;
    o.seed = seed;
    o.threads = 2;
    char *buf = NULL;
    size_t len = 0;
    FILE *tf = open_memstream(&buf, &len);
    assert_non_null(tf);
    o.traj_out = tf;
    o.traj_max = n;
    if (gs_sim_run(r->sim, &o, &r->res, &e) != GS_OK) {
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    fclose(tf);
    r->n = n;
    r->t0 = gs_results_t0(r->res);
    r->years = gs_results_T(r->res) - r->t0 + 1;
    size_t n_out = gs_results_n_outputs(r->res);
    r->vals = calloc(n * n_out * (size_t)r->years, sizeof *r->vals);
    assert_non_null(r->vals);
    size_t rows = 0;
    for (char *line = strtok(buf, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        unsigned long long j;
        int year;
        char var[64];
        double x;
        if (sscanf(line, "%llu,%d,%63[^,],%lf", &j, &year, var, &x) != 4)
            continue;
        long v = gs_results_find(r->res, var);
        assert_true(v >= 0 && j < n && year >= r->t0 && year < r->t0 + r->years);
        r->vals[(j * n_out + (size_t)v) * (size_t)r->years + (size_t)(year - r->t0)] = x;
        rows++;
    }
    assert_int_equal(rows, n * n_out * (size_t)r->years);
    free(buf);
}

static void run_free(run *r)
{
    free(r->vals);
    gs_results_free(r->res);
    gs_sim_free(r->sim);
    gs_scenario_free(r->scn);
}

/* Trajectory j's value of var in year. */
static double val(const run *r, uint64_t j, const char *var, int year)
{
    long v = gs_results_find(r->res, var);
    if (v < 0)
        fail_msg("no output %s", var);
    size_t n_out = gs_results_n_outputs(r->res);
    return r->vals[(j * n_out + (size_t)v) * (size_t)r->years + (size_t)(year - r->t0)];
}

/* ------------------------------------------------------------- anchors */

static void anchors_in_every_trajectory(const char *rel)
{
    run r;
    run_cfg(&r, gs_test_source_path(rel), NULL, 0, 100, 11);
    double mic = gs_scenario_num(r.scn, "anchors.made_in_china");
    double csia = gs_scenario_num(r.scn, "anchors.csia_share");
    double cny = gs_scenario_num(r.scn, "anchors.csia_sales_cny");
    int t0 = r.t0;
    for (uint64_t j = 0; j < r.n; j++) {
        double D = val(&r, j, "consumption", t0);
        /* The levels as computed (not the recorded shares) give the anchors. */
        assert_close(val(&r, j, "production_in_china", t0) / D, mic, RTOL, 0);
        assert_close(val(&r, j, "csia_sales_cny", t0), cny, RTOL, 0);
        assert_close(val(&r, j, "csia_sales_usd", t0) / val(&r, j, "consumption_csia", t0), csia,
                     RTOL, 0);
        assert_close(val(&r, j, "production_china_hq", t0) / D, val(&r, j, "share_china_hq", t0),
                     RTOL, 0);
        assert_close(val(&r, j, "production_china_hq", t0) + val(&r, j, "production_foreign", t0),
                     val(&r, j, "production_in_china", t0), RTOL, 0);
        /* ...and the recorded shares are the anchors exactly. */
        assert_true(val(&r, j, "share_made_in_china", t0) == mic);
        assert_true(val(&r, j, "share_csia", t0) == csia);
        /* The SEMI figure whatever the fund money; everything on the mature rung. */
        assert_close(val(&r, j, "tools_china", t0), gs_scenario_num(r.scn, "tools.base"), RTOL, 0);
        assert_close(val(&r, j, "leader_mix_mature", t0), 1.0, RTOL, 0);
        assert_close(val(&r, j, "leader_node_nm", t0), 40.0, 0, 0);
    }
    /* The anchors hold although the parameters vary between trajectories. */
    long hq = gs_results_find(r.res, "share_china_hq");
    assert_true(gs_results_sd(r.res, (size_t)hq, t0) > 0);
    run_free(&r);
}

static void anchors_baseline(void **state)
{
    (void)state;
    anchors_in_every_trajectory("configs/baseline.cfg");
}

static void anchors_observed(void **state)
{
    (void)state;
    anchors_in_every_trajectory("configs/observed.cfg");
}

/* A base year other than 2014 (configs/rebase-2025.cfg): the leader already
 * on the 7-nm class, the China-HQ share anchored, measures and funds under
 * way.  Every anchor holds in the base year in every trajectory, the levels
 * as computed to RTOL and the recorded values exactly. */
static void anchors_rebase(void **state)
{
    (void)state;
    run r;
    run_cfg(&r, gs_test_source_path("configs/rebase-2025.cfg"), NULL, 0, 100, 11);
    assert_int_equal(r.t0, 2025);
    double mic = gs_scenario_num(r.scn, "anchors.made_in_china");
    double hq = gs_scenario_num(r.scn, "anchors.china_hq");
    double csia = gs_scenario_num(r.scn, "anchors.csia_share");
    double cny = gs_scenario_num(r.scn, "anchors.csia_sales_cny");
    double pen = gs_scenario_num(r.scn, "anchors.leader_penalty");
    const double *mix;
    size_t n_mix = gs_scenario_array(r.scn, "anchors.leader_mix", &mix);
    assert_int_equal(n_mix, 4);
    static const char *const rung[] = {"mature", "28nm", "14nm", "7nm"};
    static const char *const in_force[] = {"euv",     "leader_el", "oct2022", "duv2023",
                                           "oct2023", "dec2024",   "huawei"};
    /* Registered capital of the three tranches in USD at their own years'
     * rates (6.6, 6.8, 7.2 CNY/USD): what can ever be paid in. */
    double registered = 138.7 / 6.6 + 204.15 / 6.8 + 344.0 / 7.2;
    int t0 = r.t0;
    for (uint64_t j = 0; j < r.n; j++) {
        double D = val(&r, j, "consumption", t0);
        assert_close(val(&r, j, "production_in_china", t0) / D, mic, RTOL, 0);
        assert_close(val(&r, j, "production_china_hq", t0) / D, hq, RTOL, 0);
        assert_close(val(&r, j, "production_china_hq", t0) + val(&r, j, "production_foreign", t0),
                     val(&r, j, "production_in_china", t0), RTOL, 0);
        assert_close(val(&r, j, "csia_sales_cny", t0), cny, RTOL, 0);
        assert_close(val(&r, j, "csia_sales_usd", t0) / val(&r, j, "consumption_csia", t0), csia,
                     RTOL, 0);
        assert_true(val(&r, j, "share_made_in_china", t0) == mic);
        assert_true(val(&r, j, "share_china_hq", t0) == hq);
        assert_true(val(&r, j, "share_csia", t0) == csia);
        /* The leader: its rung, its revenue mix (as produced and as
         * recorded), its penalty and yield with this trajectory's measures. */
        assert_true(val(&r, j, "leader_node_nm", t0) == 7.0);
        double rev = val(&r, j, "leader_revenue", t0);
        double l0 = rev / val(&r, j, "production_china_hq", t0);
        assert_true(l0 >= 0.42 - 1e-12 && l0 <= 0.55 + 1e-12);
        for (size_t n = 0; n < n_mix; n++) {
            char name[64];
            snprintf(name, sizeof name, "leader_mix_%s", rung[n]);
            assert_true(val(&r, j, name, t0) == mix[n]);
            snprintf(name, sizeof name, "capacity_leader_%s", rung[n]);
            assert_true(val(&r, j, name, t0) > 0);
        }
        assert_true(val(&r, j, "capacity_leader_5nm", t0) == 0);
        assert_true(val(&r, j, "premium_7", t0) == pen);
        assert_close(val(&r, j, "yield_7", t0), 0.9 / (1.0 + pen), RTOL, 0);
        /* The frontier at its 2025 record (Intel 18A), the measures of
         * 2019-2024 in force and servicing not yet. */
        assert_close(val(&r, j, "frontier_nm", t0), 1.8, RTOL, 0);
        for (size_t m = 0; m < sizeof in_force / sizeof in_force[0]; m++) {
            char name[64];
            snprintf(name, sizeof name, "control_%s", in_force[m]);
            assert_true(val(&r, j, name, t0) == 1);
        }
        assert_true(val(&r, j, "control_servicing", t0) == 0);
        /* Tool spending is 2024's SEMI figure after the measures' foreign cut
         * and push; Fund III has most of its capital still to pay in. */
        assert_close(val(&r, j, "tools_china", t0), gs_scenario_num(r.scn, "tools.base"), RTOL,
                     0);
        double paid = val(&r, j, "fund_paid_in", t0);
        assert_true(registered - paid > 30.0);
    }
    /* The anchors hold although the parameters vary between trajectories. */
    assert_true(gs_results_sd(r.res, (size_t)gs_results_find(r.res, "leader_revenue"), t0) > 0);
    assert_true(gs_results_sd(r.res, (size_t)gs_results_find(r.res, "penalty_28nm"), t0) > 0);
    assert_true(gs_results_sd(r.res, (size_t)gs_results_find(r.res, "consumption"), t0) > 0);
    run_free(&r);
}

/* ------------------------------------------------------- one year by hand */

static void pipe_add(double W[3], double I, double p, const double l[3], int ahead)
{
    for (int s = 0; s < 3; s++)
        if (s - ahead >= 0)
            W[s - ahead] += l[s] * I / p;
}

static void one_year_by_hand(void **state)
{
    (void)state;
    run r;
    run_cfg(&r, hand_path, NULL, 0, 1, 7);
    assert_int_equal(gs_scenario_ndims(r.scn), 0);
    const double kappa = 0.4, delta = 0.06, f0 = 0.6, l0 = 0.4, D0 = 100.0;
    const double l[3] = {0.5, 0.5, 0.0}; /* build lag 1.5 years */
    const double lM = 0.02, p_inf = 0.5, lp = 0.2;

    /* 2014, the initial state (4.10). */
    double PIC0 = 0.151 * D0;
    double UL0 = (1 - f0) * l0 * PIC0 / kappa, UD = (1 - f0) * (1 - l0) * PIC0 / kappa;
    double UF = f0 * PIC0 / kappa;
    double usd = 138.7 / 6.6;
    double F14 = usd * 0.5 / 3.5; /* paid in from mid-2014 over 3.5 years, no lag */
    double Enf0 = 4.37 - 0.2 * F14;
    double EF14 = 0.5 * Enf0, ED14 = 0.5 * Enf0 + 0.2 * F14; /* phi0 = 0.5, no measure yet */
    double EL14 = 0.4 * ED14, EDo14 = 0.6 * ED14 * 0.95;
    double p1_14 = p_inf + (1 - p_inf) * exp(-lp * (2014 - 2011)); /* 28 nm at the frontier 2011 */
    double pilot14 = 0.05 * EL14, V = pilot14 / p1_14;
    double amat14 = EL14 - pilot14;
    double WL0[3] = {0}, WD[3] = {0}, WF[3] = {0};
    pipe_add(WL0, amat14, 1.0, l, 0);
    pipe_add(WL0, amat14, exp(lM * 1), l, 1); /* 2013's spending at 2014's rate */
    pipe_add(WL0, amat14, exp(lM * 2), l, 2);
    pipe_add(WD, EDo14, 1.0, l, 0);
    pipe_add(WD, EDo14, exp(lM), l, 1);
    pipe_add(WF, EF14, 1.0, l, 0);
    pipe_add(WF, EF14, exp(lM), l, 1);
    assert_close(val(&r, 0, "fund_money", 2014), F14, RTOL, ATOL);
    assert_close(val(&r, 0, "fund_paid_in", 2014), F14, RTOL, ATOL);
    assert_close(val(&r, 0, "tools_china", 2014), 4.37, RTOL, ATOL);
    assert_close(val(&r, 0, "tools_leader", 2014), EL14, RTOL, ATOL);
    assert_close(val(&r, 0, "capacity_leader_mature", 2014), UL0, RTOL, ATOL);
    assert_close(val(&r, 0, "leader_revenue", 2014), kappa * UL0, RTOL, ATOL);
    assert_close(val(&r, 0, "controls_active", 2014), 0.0, 0, 0);

    /* 2015.  EVENTS: the measure (28 nm and finer) comes into force. */
    assert_close(val(&r, 0, "control_m", 2015), 1.0, 0, 0);
    assert_close(val(&r, 0, "frontier_nm", 2015), 14.0, RTOL, 0);
    /* MARKET: no cycle shock (Pi = 1), trend growth, price paths. */
    double D = D0 * exp(0.05);
    double p1 = p_inf + (1 - p_inf) * exp(-lp * (2015 - 2011));
    double p2 = p_inf + (1 - p_inf) * exp(-lp * (2015 - 2014)); /* 14 nm at the frontier 2014 */
    double pM = exp(-lM);
    /* FUNDS. */
    double F15 = usd * (1.5 / 3.5 - 0.5 / 3.5);
    /* INVEST: last year's share at the anchor, so the brake is the base year's. */
    double Enf = Enf0 * exp(0.2);
    double phi = 1.0 / (1.0 + exp(0.03)); /* logit(0.5) - 0.03 */
    double EF = phi * Enf * (1 - 0.2);    /* foreign cut 0.2 */
    double push = (1 - phi) * Enf * 0.05 * 1; /* one tool measure */
    double ED = (1 - phi) * Enf + 0.2 * F15;
    double EL = 0.4 * ED;
    assert_close(val(&r, 0, "fund_money", 2015), F15, RTOL, ATOL);
    assert_close(val(&r, 0, "fund_paid_in", 2015), usd * 1.5 / 3.5, RTOL, ATOL);
    assert_close(val(&r, 0, "fund_invested", 2015), usd * 1.5 / 3.5, RTOL, ATOL);
    assert_close(val(&r, 0, "tools_foreign", 2015), EF, RTOL, ATOL);
    assert_close(val(&r, 0, "tools_leader", 2015), EL, RTOL, ATOL);
    assert_close(val(&r, 0, "tools_china", 2015), EF + ED + push, RTOL, ATOL);
    /* NODE: 28 nm pinned in 2015; the pilot line joins it. */
    double UL1 = V;
    V = 0;
    assert_close(val(&r, 0, "leader_node_nm", 2015), 28.0, 0, 0);
    /* PENALTY: no output on 28 nm yet, plus the measure's cost penalty. */
    double pen1 = 0.5 * pow(1 + 0.0 / 1.0, -0.4) + 0.1, q1 = 1 / (1 + pen1);
    assert_close(val(&r, 0, "penalty_28nm", 2015), pen1, RTOL, ATOL);
    /* ALLOCATE. */
    double pilot = 0.05 * EL;
    V = (1 - delta) * V + pilot / p2;
    double RL = EL - pilot;
    double anew = 0.5 * RL * q1 * (1 - 0.2), amat = RL - anew;
    /* CAPACITY: last year's pipeline comes on line, this year's money enters. */
    UL0 = (1 - delta) * UL0 + WL0[0];
    UL1 = (1 - delta) * UL1;
    UD = (1 - delta) * UD + WD[0];
    UF = (1 - delta) * UF + WF[0];
    assert_close(val(&r, 0, "capacity_leader_mature", 2015), UL0, RTOL, ATOL);
    assert_close(val(&r, 0, "capacity_leader_28nm", 2015), UL1, RTOL, ATOL);
    assert_close(val(&r, 0, "capacity_other", 2015), UD, RTOL, ATOL);
    assert_close(val(&r, 0, "capacity_foreign", 2015), UF, RTOL, ATOL);
    /* OUTPUT (Pi = 1, so the betas drop out) and BASES. */
    double QL0 = kappa * UL0 * pM, QL1 = kappa * UL1 * p1 * q1 * 1.1;
    double QD = kappa * UD * pM, QF = kappa * UF * pM;
    double HQ = QL0 + QL1 + QD, PIC = HQ + QF;
    double Lam = 20 * (1 - exp(-1.0 / 20));
    double CS0 = 291.5 / 6.6;
    double CS = PIC + (CS0 - PIC0) * (D / D0) * exp(0.19 * Lam);
    double Dcs = CS0 / 0.29 * (D / D0) * exp(0.14 * Lam);
    assert_close(val(&r, 0, "leader_revenue", 2015), QL0 + QL1, RTOL, ATOL);
    assert_close(val(&r, 0, "leader_mix_28nm", 2015), QL1 / (QL0 + QL1), RTOL, ATOL);
    assert_close(val(&r, 0, "production_foreign", 2015), QF, RTOL, ATOL);
    assert_close(val(&r, 0, "production_china_hq", 2015), HQ, RTOL, ATOL);
    assert_close(val(&r, 0, "consumption", 2015), D, RTOL, ATOL);
    assert_close(val(&r, 0, "share_made_in_china", 2015), PIC / D, RTOL, ATOL);
    assert_close(val(&r, 0, "share_china_hq", 2015), HQ / D, RTOL, ATOL);
    assert_close(val(&r, 0, "consumption_csia", 2015), Dcs, RTOL, ATOL);
    assert_close(val(&r, 0, "share_csia", 2015), CS / Dcs, RTOL, ATOL);
    assert_close(val(&r, 0, "csia_sales_cny", 2015), CS * 6.5, RTOL, ATOL);
    (void)amat; /* rung 0 money comes on line from 2016 */
    run_free(&r);
}

/* -------------------------------------------------------------- controls */

/* Every measure of the scenario made never to come into force (a fixed law
 * beyond the horizon): the same noise, so the same trajectories otherwise. */
static size_t no_controls(const gs_scenario *scn, char sets[][128], const char **ptr,
                          size_t max)
{
    char *const *names;
    size_t n = gs_scenario_items(scn, "controls", &names), k = 0;
    for (size_t i = 0; i < n && k + 3 <= max; i++) {
        snprintf(sets[k], 128, "controls.%s.law=\"fixed\"", names[i]);
        snprintf(sets[k + 1], 128, "controls.%s.year=2200", names[i]);
        snprintf(sets[k + 2], 128, "controls.%s.after=\"\"", names[i]);
        k += 3;
    }
    for (size_t i = 0; i < k; i++)
        ptr[i] = sets[i];
    return k;
}

static void controls_never_advance(const char *rel)
{
    const char *file = gs_test_source_path(rel);
    run with;
    run_cfg(&with, file, NULL, 0, 200, 5);
    char sets[64][128];
    const char *ptr[64];
    size_t ns = no_controls(with.scn, sets, ptr, 64);
    run without;
    run_cfg(&without, file, ptr, ns, 200, 5);
    int slower = 0;
    for (uint64_t j = 0; j < with.n; j++)
        for (int t = with.t0; t < with.t0 + with.years; t++) {
            double a = val(&with, j, "leader_node_nm", t), b = val(&without, j, "leader_node_nm", t);
            if (a < b)
                fail_msg("%s: trajectory %llu is at %g nm in %d with the controls and at %g nm "
                         "without",
                         rel, (unsigned long long)j, a, t, b);
            slower += a > b;
            assert_true(val(&without, j, "controls_active", t) == 0);
        }
    /* The comparison has teeth: the controls do slow some steps. */
    assert_true(slower > 0);
    run_free(&with);
    run_free(&without);
}

static void controls_baseline(void **state)
{
    (void)state;
    controls_never_advance("configs/baseline.cfg");
}

static void controls_observed(void **state)
{
    (void)state;
    controls_never_advance("configs/observed.cfg");
}

static void hazard_until_and_chains(void **state)
{
    (void)state;
    /* Hazard 0: never by chance, so in force exactly from `until`; a chained
     * hazard of 1 starts the year after its predecessor; a fixed one in its year. */
    const char *sets[] = {
        "controls={a={threshold_nm=16.0; law=\"hazard_until\"; year=2015; hazard=0.0; "
        "until=2018;}; b={threshold_nm=7.0; law=\"hazard\"; year=2015; hazard=1.0; after=\"a\";}; "
        "c={threshold_nm=5.0; law=\"fixed\"; year=2020;}; d={threshold_nm=5.0; law=\"hazard\"; "
        "year=2015; hazard=0.0;};}"};
    run r;
    run_cfg(&r, hand_path, sets, 1, 50, 3);
    for (uint64_t j = 0; j < r.n; j++)
        for (int t = 2014; t <= 2022; t++) {
            assert_true(val(&r, j, "control_a", t) == (t >= 2018));
            assert_true(val(&r, j, "control_b", t) == (t >= 2019));
            assert_true(val(&r, j, "control_c", t) == (t >= 2020));
            assert_true(val(&r, j, "control_d", t) == 0);
            /* ...beside the hand scenario's own measure m, in force from 2015. */
            assert_true(val(&r, j, "controls_active", t) ==
                        (t >= 2015) + (t >= 2018) + (t >= 2019) + (t >= 2020));
        }
    run_free(&r);
    /* A hazard of 0.5 a year starts by chance: by 2022 in most trajectories,
     * never before its first year, and it never lapses. */
    const char *sets2[] = {"controls={a={threshold_nm=16.0; law=\"hazard\"; year=2017; "
                           "hazard=0.5;};}"};
    run_cfg(&r, hand_path, sets2, 1, 200, 3);
    int on = 0;
    for (uint64_t j = 0; j < r.n; j++) {
        for (int t = 2014; t <= 2022; t++) {
            if (t < 2017)
                assert_true(val(&r, j, "control_a", t) == 0);
            if (t > 2014 && val(&r, j, "control_a", t - 1) == 1)
                assert_true(val(&r, j, "control_a", t) == 1);
        }
        on += val(&r, j, "control_a", 2022) == 1;
    }
    /* P(in force by 2022) = 1 - 0.5^6 = 0.984: 200 draws give at least 185
     * with probability 1 - 1e-5 (binomial: mean 196.9, sd 1.8). */
    assert_true(on >= 185);
    run_free(&r);
}

/* --------------------------------------------------------------- saw-tooth */

/* The baseline's median share on each basis: no move of over half a point
 * reversed by one of over half a point the next year, and no move over 3
 * points but a rise while capacity comes on line (the mechanism docs/model.md
 * names for the steeper rises after 2025: tools bought in earlier years
 * producing; total capacity, as the sum of the owners' mean capacities,
 * grows by at least 8 % in such a year). */
static void no_sawtooth_in_baseline(void **state)
{
    (void)state;
    gs_scenario *scn;
    gs_sim *sim;
    gs_results *res;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_scenario_load(gs_param_tables(),
                                      gs_test_source_path("configs/baseline.cfg"), NULL, 0, &scn,
                                      &e),
                     GS_OK);
    assert_int_equal(gs_sim_new(scn, gs_models_builtin(), &sim, &e), GS_OK);
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 2000;
    o.seed = 1;
    o.threads = 2;
    assert_int_equal(gs_sim_run(sim, &o, &res, &e), GS_OK);
    static const char *const bases[] = {"share_made_in_china", "share_china_hq", "share_csia"};
    static const char *const owners[] = {"capacity_leader", "capacity_other", "capacity_foreign"};
    for (size_t b = 0; b < 3; b++) {
        long v = gs_results_find(res, bases[b]);
        assert_true(v >= 0);
        double prev = NAN, prev_d = NAN;
        for (int t = gs_results_t0(res); t <= gs_results_T(res); t++) {
            double m = gs_results_quantile(res, (size_t)v, t, 0.5);
            if (!isnan(prev)) {
                double d = m - prev;
                if (fabs(d) > 0.03) {
                    double cap[2] = {0, 0};
                    for (int k = 0; k < 2; k++)
                        for (size_t i = 0; i < 3; i++)
                            cap[k] += gs_results_mean(
                                res, (size_t)gs_results_find(res, owners[i]), t - 1 + k);
                    if (d < 0 || cap[1] < 1.08 * cap[0])
                        fail_msg("%s moves %+.3f in %d with capacity growing %.1f %%", bases[b],
                                 d, t, 100 * (cap[1] / cap[0] - 1));
                }
                /* A reversal: a move of over half a point undone by one of
                 * over half a point the next year. */
                if (!isnan(prev_d) && fabs(prev_d) > 0.005 && fabs(d) > 0.005 &&
                    (d > 0) != (prev_d > 0))
                    fail_msg("%s: %+.3f in %d reversed by %+.3f in %d", bases[b], prev_d, t - 1,
                             d, t);
                prev_d = d;
            }
            prev = m;
        }
    }
    gs_results_free(res);
    gs_sim_free(sim);
    gs_scenario_free(scn);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anchors_baseline),
        cmocka_unit_test(anchors_observed),
        cmocka_unit_test(anchors_rebase),
        cmocka_unit_test(one_year_by_hand),
        cmocka_unit_test(controls_baseline),
        cmocka_unit_test(controls_observed),
        cmocka_unit_test(hazard_until_and_chains),
        cmocka_unit_test(no_sawtooth_in_baseline),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
