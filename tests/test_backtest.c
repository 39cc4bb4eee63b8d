/* Backtest scores on forecasts whose distribution is known: the closed-form
 * CRPS of a normal forecast, a normal forecast made by the engine, the PIT
 * and band flags of observations placed at a run's own p50 and p95, the
 * censored first-year identity, and the reader's handling of CRLF and
 * quoted fields. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>

#include "gs_accum.h"
#include "gs_backtest.h"
#include "gs_engine.h"
#include "gs_scenario.h"
#include "testutil.h"

typedef struct fixture {
    gs_scenario *scn;
    gs_sim *sim;
} fixture;

static void fixture_load(fixture *f, const char *const *sets, size_t n)
{
    gs_error e;
    gs_error_clear(&e);
    memset(f, 0, sizeof *f);
    if (gs_scenario_load(gs_param_tables(), gs_test_source_path("configs/baseline.cfg"), sets, n,
                         &f->scn, &e) != GS_OK ||
        gs_sim_new(f->scn, gs_models_builtin(), &f->sim, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
}

static void fixture_free(fixture *f)
{
    gs_sim_free(f->sim);
    gs_scenario_free(f->scn);
}

/* Plans obs against f, runs n trajectories with the probes, scores. */
static gs_results *score(fixture *f, gs_obs_set *set, uint64_t n, gs_backtest *bt)
{
    gs_error e;
    gs_error_clear(&e);
    gs_results *r = NULL;
    if (gs_backtest_plan(f->sim, set, 0, 0, bt, &e) != GS_OK)
        goto fail;
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = n;
    o.seed = 7;
    o.probes = bt->probes;
    o.n_probes = bt->n_probes;
    if (gs_sim_run(f->sim, &o, &r, &e) != GS_OK || gs_backtest_score(bt, r, &e) != GS_OK)
        goto fail;
    return r;
fail:;
    char msg[2048];
    gs_error_format(&e, msg, sizeof msg);
    fail_msg("%s", msg);
    return NULL;
}

static gs_obs value_obs(const char *id, const char *var, int year, double y, const char *basis,
                        double sd)
{
    gs_obs o;
    memset(&o, 0, sizeof o);
    snprintf(o.id, sizeof o.id, "%s", id);
    o.kind = GS_OBS_VALUE;
    snprintf(o.variable, sizeof o.variable, "%s", var);
    o.year = year;
    o.value = y;
    snprintf(o.basis, sizeof o.basis, "%s", basis);
    o.sd = sd;
    o.line = 2;
    o.at = NAN;
    return o;
}

/* ---- the closed form against the integral it stands for --------------- */

typedef struct {
    double m, s, y;
} crps_args;

static double crps_integrand(double x, void *p)
{
    const crps_args *a = p;
    double F = gsl_cdf_gaussian_P(x - a->m, a->s) - (x >= a->y ? 1.0 : 0.0);
    return F * F;
}

static void test_crps_normal_closed_form(void **state)
{
    (void)state;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    const crps_args cases[] = {{0, 1, 0}, {0, 1, 1.5}, {10, 3, 2}, {-4, 0.5, -4.2}, {1e3, 50, 1e3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        crps_args a = cases[i];
        gsl_function fn = {crps_integrand, &a};
        double lo, hi, elo, ehi;
        /* Split at y, where the integrand jumps. */
        gsl_integration_qagil(&fn, a.y, 1e-12, 1e-10, 1000, w, &lo, &elo);
        gsl_integration_qagiu(&fn, a.y, 1e-12, 1e-10, 1000, w, &hi, &ehi);
        assert_close(gs_crps_normal(a.m, a.s, a.y), lo + hi, 1e-8, 1e-10);
    }
    /* CRPS(N(0,1), 0) = 2 phi(0) - 1/sqrt(pi) = (sqrt(2) - 1) / sqrt(pi). */
    assert_close(gs_crps_normal(0, 1, 0), (sqrt(2.0) - 1) / sqrt(M_PI), 1e-14, 0);
    gsl_integration_workspace_free(w);
}

/* ---- a normal forecast made by the engine ----------------------------- */

/* Consumption in 2015 is D0 e^g with D0 ~ N(1000, 50), e^g = 1.2 and no
 * process noise (no cycle, no random walk): N(1200, 60) exactly, sampled
 * by Latin hypercube.  (The CSIA anchor is raised so that the base year's
 * design and packaging sales stay positive at that consumption.) */
static const char *const normal_sets[] = {
    "market.consumption0={dist=\"normal\"; mean=1000; sd=50;}", "market.growth=0.1823215568",
    "market.growth_noise=0", "market.cycle.sd=0", "anchors.csia_sales_cny=100000",
    "scenario.horizon=2016",
    "outputs.report_years=[2015]", "targets.years=[]", "targets.values=[]", "targets.labels=[]"};

static void test_normal_forecast(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, normal_sets, sizeof normal_sets / sizeof normal_sets[0]);
    const double m = 1200, s = 60, ys[] = {1200, 1298.7, 1100, 1400, 1190};
    const size_t k = sizeof ys / sizeof ys[0];
    gs_obs obs[8];
    for (size_t i = 0; i < k; i++) {
        char id[16];
        snprintf(id, sizeof id, "n%zu", i);
        obs[i] = value_obs(id, "consumption", 2015, ys[i], "made_in_china", 0);
    }
    /* One with an observation error: the forecast is then N(m, s^2 + sd^2). */
    obs[k] = value_obs("err", "consumption", 2015, 1250, "made_in_china", 30);
    gs_obs_set set = {.obs = obs, .n = k + 1};
    gs_backtest bt;
    const uint64_t N = 20000;
    gs_results *r = score(&f, &set, N, &bt);
    for (size_t i = 0; i <= k; i++) {
        const gs_bt_row *row = &bt.rows[i];
        double sd = obs[i].sd, tot = sqrt(s * s + sd * sd);
        double pit = gsl_cdf_gaussian_P(obs[i].value - m, tot);
        double crps = gs_crps_normal(m, tot, obs[i].value);
        /* Latin hypercube within blocks of B = GS_BLOCK_SIZE: each block has
         * one draw of g in each 1/B stratum, and only the draw in the stratum
         * holding y can fall on either side, so the count below y has
         * variance <= 1/4 per block: sd(PIT) <= 1 / (2 sqrt(B N)).  For a
         * 1-Lipschitz f(X) (both CRPS terms are), a block's mean has variance
         * <= sum_k Var(X | stratum k) / B^2 = 0.19 s^2 / B^2 for a normal
         * (computed for B = 256), so each term has sd <= s sqrt(0.19 / (B N)).
         * Tolerances: 4 sd, plus the stated sketch bound for the CRPS. */
        double B = GS_BLOCK_SIZE;
        assert_true(row->status == GS_BT_SCORED);
        assert_close(row->pit, pit, 0, 4 / (2 * sqrt(B * N)));
        assert_close(row->crps, crps, 0, row->crps_accuracy + 4 * 2 * s * sqrt(0.19 / (B * N)));
        /* The bound is small against the score: the test means something. */
        assert_true(row->crps_accuracy > 0 && row->crps_accuracy < 0.05 * crps);
    }
    gs_results_free(r);
    gs_backtest_free(&bt);
    fixture_free(&f);
}

/* ---- bounds and times between years on the same normal forecast ------- */

typedef struct {
    double m, s, b;
    int below;
} bound_args;

/* P(X > x)^2 beyond a "below b" bound, P(X < x)^2 before an "above b" one. */
static double bound_integrand(double x, void *p)
{
    const bound_args *a = p;
    double F = gsl_cdf_gaussian_P(x - a->m, a->s);
    return a->below ? (1 - F) * (1 - F) : F * F;
}

static void test_bounds_and_times(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, normal_sets, sizeof normal_sets / sizeof normal_sets[0]);
    /* Consumption at 2014.5 is (D0 + 1.2 D0) / 2: N(1100, 55) exactly. */
    gs_obs obs[5];
    obs[0] = value_obs("mid", "consumption", 2015, 1110, "made_in_china", 0);
    obs[0].at = 2014.5;
    obs[1] = value_obs("below", "consumption", 2015, 1230, "made_in_china", 0);
    obs[1].kind = GS_OBS_BELOW;
    obs[1].at = NAN;
    obs[2] = value_obs("above", "consumption", 2015, 1230, "made_in_china", 0);
    obs[2].kind = GS_OBS_ABOVE;
    obs[2].at = NAN;
    obs[3] = value_obs("above_far", "consumption", 2015, 1300, "made_in_china", 0);
    obs[3].kind = GS_OBS_ABOVE;
    obs[3].at = NAN;
    obs[4] = value_obs("sum", "consumption+consumption", 2015, 2500, "made_in_china", 0);
    obs[4].at = NAN;
    gs_obs_set set = {.obs = obs, .n = 5};
    gs_backtest bt;
    const uint64_t N = 20000;
    gs_results *r = score(&f, &set, N, &bt);
    double B = GS_BLOCK_SIZE, tol_p = 4 / (2 * sqrt(B * N));
    /* Between two years: a normal forecast N(1100, 25). */
    const gs_bt_row *mid = &bt.rows[0];
    assert_true(mid->composite && mid->status == GS_BT_SCORED);
    assert_close(mid->pit, gsl_cdf_gaussian_P(10, 55), 0, tol_p);
    assert_close(mid->q[2], 1100, 0, 3);
    assert_close(mid->q[4] - mid->q[0], 2 * 1.6449 * 55, 0.03, 0);
    assert_close(mid->crps, gs_crps_normal(1100, 55, 1110),
                 0, mid->crps_accuracy + 4 * 2 * 55 * sqrt(0.19 / (B * N)));
    /* A sum of one output with itself: N(2400, 120). */
    assert_close(bt.rows[4].pit, gsl_cdf_gaussian_P(100, 120), 0, tol_p);
    /* Bounds: the mass on the observed side decides the bands; the CRPS is
     * the integral over the other side (within the sketch's bound and the
     * sampling error of an integral of a 1-Lipschitz-in-x tail). */
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    for (int i = 1; i <= 3; i++) {
        const gs_bt_row *row = &bt.rows[i];
        bound_args a = {1200, 60, obs[i].value, obs[i].kind == GS_OBS_BELOW};
        gsl_function fn = {bound_integrand, &a};
        double want, err;
        if (a.below)
            gsl_integration_qagiu(&fn, a.b, 1e-12, 1e-10, 1000, w, &want, &err);
        else
            gsl_integration_qagil(&fn, a.b, 1e-12, 1e-10, 1000, w, &want, &err);
        double side = a.below ? gsl_cdf_gaussian_P(a.b - 1200, 60)
                              : gsl_cdf_gaussian_Q(a.b - 1200, 60);
        assert_true(isnan(row->pit) && row->censored);
        assert_close(row->p_region, side, 0, tol_p);
        assert_int_equal(row->in90, side > 0.05);
        assert_int_equal(row->in50, side > 0.25);
        assert_close(row->crps, want, 0, row->crps_accuracy + 4 * 2 * 60 * sqrt(0.19 / (B * N)));
    }
    /* 1230 lies at z = 0.5: below holds 69 %, above 31 %; 1300 (z = 1.67) 4.8 %. */
    assert_int_equal(bt.rows[3].in90, 0);
    assert_int_equal(bt.rows[2].in50, 1);
    gsl_integration_workspace_free(w);
    gs_results_free(r);
    gs_backtest_free(&bt);
    fixture_free(&f);
}

/* ---- PIT and bands at a run's own quantiles ---------------------------- */

/* The baseline cut at 2025, the year scored. */
static const char *const to_2025[] = {"scenario.horizon=2025", "outputs.report_years=[2025]",
                                      "targets.years=[2019]", "targets.values=[0.49]",
                                      "targets.labels=[\"CSIA claim\"]"};

static void test_pit_at_own_quantiles(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, to_2025, sizeof to_2025 / sizeof to_2025[0]);
    const uint64_t N = 4000;
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = N;
    o.seed = 7;
    gs_results *r0 = NULL;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_sim_run(f.sim, &o, &r0, &e), GS_OK);
    long v = gs_results_find(r0, "share_made_in_china");
    double p50 = gs_results_quantile(r0, (size_t)v, 2025, 0.50);
    double p95 = gs_results_quantile(r0, (size_t)v, 2025, 0.95);
    double p05 = gs_results_quantile(r0, (size_t)v, 2025, 0.05);
    /* The sketch gives the order statistic to relative accuracy alpha. */
    double r50 = 2 * GS_SKETCH_ALPHA * p50, r95 = 2 * GS_SKETCH_ALPHA * p95,
           r05 = 2 * GS_SKETCH_ALPHA * p05;
    gs_results_free(r0);
    /* The same seed and n: the same trajectories, now with probes at the
     * quantiles and twice the sketch's accuracy either side of them. */
    gs_obs obs[] = {value_obs("p50", "share_made_in_china", 2025, p50, "made_in_china", 0),
                    value_obs("p95", "share_made_in_china", 2025, p95, "made_in_china", 0),
                    value_obs("p50lo", "share_made_in_china", 2025, p50 - r50, "made_in_china", 0),
                    value_obs("p50hi", "share_made_in_china", 2025, p50 + r50, "made_in_china", 0),
                    value_obs("p95lo", "share_made_in_china", 2025, p95 - r95, "made_in_china", 0),
                    value_obs("p95hi", "share_made_in_china", 2025, p95 + r95, "made_in_china", 0),
                    value_obs("below", "share_made_in_china", 2025, p05 - r05, "made_in_china", 0)};
    gs_obs_set set = {.obs = obs, .n = sizeof obs / sizeof obs[0]};
    gs_backtest bt;
    gs_results *r = score(&f, &set, N, &bt);
    const gs_bt_row *R = bt.rows;
    /* Within the quantile's accuracy: the PIT lies between the exact PITs one
     * bin below and above, and those are near the nominal level. */
    assert_true(R[2].pit <= R[0].pit && R[0].pit <= R[3].pit);
    assert_true(R[4].pit <= R[1].pit && R[1].pit <= R[5].pit);
    assert_true(R[2].pit <= 0.50 + 1.0 / N && R[3].pit >= 0.50 - 1.0 / N);
    assert_true(R[4].pit <= 0.95 + 1.0 / N && R[5].pit >= 0.95 - 1.0 / N);
    assert_close(R[0].pit, 0.50, 0, 0.01);
    assert_close(R[1].pit, 0.95, 0, 0.01);
    /* The bands are the run's own quantiles, closed at both ends. */
    assert_close(R[0].q[2], p50, 0, 0);
    assert_int_equal(R[0].in50, 1);
    assert_int_equal(R[0].in90, 1);
    assert_int_equal(R[1].in50, 0);
    assert_int_equal(R[1].in90, 1);
    assert_int_equal(R[5].in90, 0);
    assert_int_equal(R[6].in90, 0);
    assert_true(R[6].pit < 0.05);
    gs_results_free(r);
    gs_backtest_free(&bt);
    fixture_free(&f);
}

/* ---- censored first years ---------------------------------------------- */

static void test_censored_first_year(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, NULL, 0);
    gs_obs obs[3];
    memset(obs, 0, sizeof obs);
    for (int i = 0; i < 3; i++) {
        snprintf(obs[i].id, sizeof obs[i].id, "c%d", i);
        obs[i].kind = GS_OBS_FIRST_YEAR;
        snprintf(obs[i].variable, sizeof obs[i].variable, "milestone:5nm");
        obs[i].line = 2 + i;
    }
    obs[0].year = 2027; /* not reached by 2027 */
    obs[0].value = NAN;
    obs[1].year = 2028; /* reached in 2028 */
    obs[1].value = 2028;
    obs[2].year = 2035; /* not reached by the horizon */
    obs[2].value = NAN;
    gs_obs_set set = {.obs = obs, .n = 3};
    gs_backtest bt;
    gs_results *r = score(&f, &set, 1000, &bt);
    const gs_bt_row *c = &bt.rows[0], *u = &bt.rows[1], *h = &bt.rows[2];
    assert_true(c->censored && !u->censored);
    /* "Not by 2027" carries the CRPS terms of the years up to 2027 that any
     * outcome after 2027 shares; "in 2028" adds the rest, so it is at least
     * as large, and F(2027) is 2 * PIT - 1 of the censored row. */
    double F27 = 2 * c->pit - 1;
    assert_true(F27 >= 0 && F27 <= 1);
    assert_true(u->crps >= c->crps - 1e-12);
    assert_true(u->pit >= F27 - 1e-12);
    /* Open band flags unless the band ends before the censoring year. */
    assert_true(c->in90 == -1 || (c->in90 == 0 && c->q[4] <= 2027));
    /* At the horizon the observation agrees with every "never": the PIT
     * counts them as above it in the middle of [F(T), 1]. */
    assert_true(h->pit >= 0.5);
    gs_results_free(r);
    gs_backtest_free(&bt);
    fixture_free(&f);
}

/* ---- inputs, outputs defined only where a node is reached, measures --- */

static void test_inputs_and_conditions(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, NULL, 0);
    gs_obs obs[5];
    /* An input where the scenario has the setting input_of names (the
     * baseline's EUV measure is a hazard), scored where it has not (the
     * baseline observes no tool series, and has no "fixed" EUV measure). */
    obs[0] = value_obs("input", "tools_china", 2020, 18.72, "", 0);
    snprintf(obs[0].input_of, sizeof obs[0].input_of,
             "tools.observed.years controls.euv.law=hazard");
    obs[1] = value_obs("not_input", "tools_china", 2020, 18.72, "", 0);
    snprintf(obs[1].input_of, sizeof obs[1].input_of,
             "tools.observed.years controls.euv.law=fixed leader.pinned.until");
    /* The baseline pins 14 nm in 2019: no trajectory has the 7-nm class in
     * 2016, some have it by 2030. */
    obs[2] = value_obs("premium_2016", "premium_7", 2016, 0.45, "", 0);
    obs[3] = value_obs("premium_2030", "premium_7", 2030, 0.45, "", 0);
    memset(&obs[4], 0, sizeof obs[4]);
    snprintf(obs[4].id, sizeof obs[4].id, "euv");
    obs[4].kind = GS_OBS_FIRST_YEAR;
    snprintf(obs[4].variable, sizeof obs[4].variable, "measure:euv");
    obs[4].year = 2019;
    obs[4].value = 2019;
    obs[4].line = 6;
    gs_obs_set set = {.obs = obs, .n = 5};
    gs_backtest bt;
    const uint64_t N = 1000;
    gs_results *r = score(&f, &set, N, &bt);
    assert_int_equal(bt.rows[0].status, GS_BT_INPUT);
    assert_int_equal(bt.rows[1].status, GS_BT_SCORED);
    assert_int_equal(bt.rows[2].status, GS_BT_UNDEFINED);
    assert_true(strstr(bt.rows[2].reason, "leader_node_nm <= 7") != NULL);
    /* Only the trajectories with the 7-nm class by 2030 count, and their
     * premium is the 7-nm penalty. */
    const gs_bt_row *p = &bt.rows[3];
    assert_int_equal(p->status, GS_BT_SCORED);
    long node = gs_results_find(r, "leader_node_nm");
    double p7 = 0;
    for (size_t a = 0; a < gs_results_output(r, (size_t)node)->n_levels; a++)
        if (gs_results_output(r, (size_t)node)->levels[a] <= 7)
            p7 += gs_results_level_prob(r, (size_t)node, 2030, a);
    assert_true(p->n_defined > 0 && p->n_defined < N);
    assert_close((double)p->n_defined / N, p7, 0, 1e-12);
    /* measure:euv is the first year control_euv is 1. */
    const gs_bt_row *m = &bt.rows[4];
    assert_int_equal(m->status, GS_BT_SCORED);
    assert_true(m->q[0] >= 2015 && m->q[4] <= 2036);
    gs_results_free(r);
    gs_backtest_free(&bt);
    fixture_free(&f);
}

/* An observation is an input of every scenario that pins its series,
 * whatever the scenario's name: a copy of the observed scenario under
 * another name (as a calibration writes one) lists the same rows as inputs
 * as observed.cfg itself, and the baseline, which pins none of them, lists
 * none.  Planning only: the statuses do not need a run. */
static void plan_statuses(const char *cfg, const gs_obs_set *set, int *status)
{
    gs_error e;
    gs_error_clear(&e);
    gs_scenario *scn = NULL;
    gs_sim *sim = NULL;
    gs_backtest bt;
    memset(&bt, 0, sizeof bt);
    if (gs_scenario_load(gs_param_tables(), cfg, NULL, 0, &scn, &e) != GS_OK ||
        gs_sim_new(scn, gs_models_builtin(), &sim, &e) != GS_OK ||
        gs_backtest_plan(sim, set, 0, 0, &bt, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s: %s", cfg, msg);
    }
    assert_int_equal(bt.n, set->n);
    for (size_t i = 0; i < set->n; i++)
        status[i] = (int)bt.rows[i].status;
    gs_backtest_free(&bt);
    gs_sim_free(sim);
    gs_scenario_free(scn);
}

static void test_inputs_inherited(void **state)
{
    (void)state;
    gs_error e;
    gs_error_clear(&e);
    gs_obs_set set;
    if (gs_obs_read(gs_test_source_path("data/observations.csv"), &set, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    const char *dir = gs_test_tmpdir("backtest_inputs");
    char renamed[4096], obs_cfg[4096];
    snprintf(renamed, sizeof renamed, "%s/calibrated.cfg", dir);
    snprintf(obs_cfg, sizeof obs_cfg, "%s", gs_test_source_path("configs/observed.cfg"));
    FILE *fp = fopen(renamed, "w");
    assert_non_null(fp);
    fprintf(fp,
            "inherit = \"%s\";\n"
            "scenario = { name = \"calibrated\"; title = \"A renamed copy\";\n"
            "  description = \"observed.cfg under another name\"; };\n",
            obs_cfg);
    fclose(fp);
    int *st_obs = calloc(set.n, sizeof *st_obs), *st_ren = calloc(set.n, sizeof *st_ren),
        *st_base = calloc(set.n, sizeof *st_base);
    assert_true(st_obs && st_ren && st_base);
    plan_statuses(obs_cfg, &set, st_obs);
    plan_statuses(renamed, &set, st_ren);
    plan_statuses(gs_test_source_path("configs/baseline.cfg"), &set, st_base);
    size_t n_inputs = 0, n_pinned = 0;
    for (size_t i = 0; i < set.n; i++) {
        const gs_obs *o = &set.obs[i];
        if (st_obs[i] != st_ren[i])
            fail_msg("%s: status %d in observed.cfg, %d in its renamed copy", o->id, st_obs[i],
                     st_ren[i]);
        n_inputs += st_ren[i] == GS_BT_INPUT;
        n_pinned += o->input_of[0] != 0;
        /* Every row with a pin is an input of the observed scenario (it
         * pins all of them), none of the baseline (it pins none). */
        if (o->input_of[0] && st_ren[i] != GS_BT_INPUT)
            fail_msg("%s (input_of %s) is not an input of the renamed copy", o->id, o->input_of);
        if (st_base[i] == GS_BT_INPUT)
            fail_msg("%s is an input of the baseline", o->id);
    }
    /* 11 SEMI years, SMIC's 7-nm class and "no 5 nm by 2025", the frontier's
     * 5, 3 and 2 nm, the seven measures' years. */
    assert_int_equal(n_pinned, 23);
    assert_int_equal(n_inputs, 23);
    free(st_obs);
    free(st_ren);
    free(st_base);
    gs_obs_free(&set);
}

/* ---- the reader ---------------------------------------------------------- */

static void test_reader_crlf_quotes(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("backtest_reader");
    char path[4096];
    snprintf(path, sizeof path, "%s/obs.csv", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("note,id,kind,variable,year,value,basis,sd,source,confidence\r\n"
          "\"a, b\",x1,value,share_total,2019,0.3,CSIA,,\"line one\r\nline \"\"two\"\"\",high\r\n"
          ",x2,first_year,milestone:7nm,2023,,,0,s,low\r\n",
          fp);
    fclose(fp);
    gs_obs_set set;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_obs_read(path, &set, &e), GS_OK);
    assert_int_equal(set.n, 2);
    assert_string_equal(set.obs[0].source, "line one\r\nline \"two\"");
    assert_int_equal(set.obs[0].line, 2);
    assert_close(set.obs[0].sd, 0, 0, 0);
    /* The second record starts on line 4: the quoted line break counts. */
    assert_int_equal(set.obs[1].line, 4);
    assert_true(isnan(set.obs[1].value));
    gs_obs_free(&set);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crps_normal_closed_form),
        cmocka_unit_test(test_normal_forecast),
        cmocka_unit_test(test_bounds_and_times),
        cmocka_unit_test(test_pit_at_own_quantiles),
        cmocka_unit_test(test_censored_first_year),
        cmocka_unit_test(test_inputs_and_conditions),
        cmocka_unit_test(test_inputs_inherited),
        cmocka_unit_test(test_reader_crlf_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
