/* gapsim backtest: score a scenario against what happened. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs_backtest.h"
#include "gs_cli.h"
#include "gs_job.h"
#include "gs_engine.h"
#include "gs_output.h"
#include "gs_plot.h"
#include "gs_scenario.h"

static const char backtest_usage[] =
    "usage: gapsim backtest CONFIG [options]\n\n"
    "Runs the scenario and scores it against observed outcomes: each observation's\n"
    "PIT (its percentile in the forecast), whether it lies in the 50 % and 90 %\n"
    "central bands, and its CRPS; with --reference, the same for a reference\n"
    "scenario and the skill 1 - CRPS / CRPS_reference (docs/validation.md).\n\n"
    "      --observations FILE  observations (default: the data/observations.csv\n"
    "                           installed with gapsim)\n"
    "      --from YEAR          first year scored (default: the base year + 1)\n"
    "      --until YEAR         last year scored (default: the horizon)\n"
    "      --reference CONFIG   score a reference scenario too, e.g.\n"
    "                           configs/reference_naive.cfg\n"
    "  -n, --trajectories N     trajectories of each run (default run.trajectories)\n"
    "      --seed S             seed (default run.seed of each scenario)\n"
    "      --threads K          worker threads; results do not depend on K (default 1)\n"
    "  -o, --output DIR         output folder (default out/backtest_<scenario name>/)\n"
    "      --no-plots           write no charts\n"
    "  -q, --quiet              print nothing on success\n"
    "  -h, --help               this text\n";

typedef struct side {
    gs_scenario *scn;
    gs_sim *sim;
    gs_backtest bt;
    gs_results *res;
} side;

static void side_free(side *s)
{
    gs_results_free(s->res);
    gs_backtest_free(&s->bt);
    gs_sim_free(s->sim);
    gs_scenario_free(s->scn);
    memset(s, 0, sizeof *s);
}

/* Loads, plans and runs one scenario against the observations. */
static gs_status run_side(side *s, const char *file, const gs_obs_set *obs, int from, int until,
                          int have_n, uint64_t n, int have_seed, uint64_t seed, int threads,
                          gs_error *e)
{
    gs_status st = gs_scenario_load(gs_param_tables(), file, NULL, 0, &s->scn, e);
    if (st == GS_OK)
        st = gs_sim_new(s->scn, gs_models_builtin(), &s->sim, e);
    if (st == GS_OK)
        st = gs_backtest_plan(s->sim, obs, from, until, &s->bt, e);
    if (st != GS_OK)
        return st;
    /* A scorecard of no observation would print empty bands and a NaN
     * calibration measure: say instead why there is nothing to score. */
    size_t scored = 0, before = 0, inputs = 0;
    int t0 = (int)gs_scenario_num(s->scn, "scenario.base_year");
    for (size_t i = 0; i < s->bt.n; i++) {
        scored += s->bt.rows[i].status == GS_BT_SCORED;
        inputs += s->bt.rows[i].status == GS_BT_INPUT;
        before += s->bt.rows[i].status == GS_BT_OUTSIDE && s->bt.rows[i].obs->year < t0;
    }
    if (scored == 0)
        return gs_error_set(e, GS_EINPUT, obs->file, 0,
                            "no observation of the years %d-%d is a forecast of %s, so there is "
                            "nothing to score (%zu of %zu rows are before its base year %d, "
                            "%zu are its inputs)",
                            s->bt.from, s->bt.until, gs_scenario_file(s->scn), before, s->bt.n,
                            t0, inputs);
    gs_run_opts ro;
    gs_run_opts_default(&ro);
    ro.n = have_n ? n : (uint64_t)gs_scenario_num(s->scn, "run.trajectories");
    ro.seed = have_seed ? seed : (uint64_t)gs_scenario_num(s->scn, "run.seed");
    ro.threads = threads;
    ro.sampler = strcmp(gs_scenario_str(s->scn, "run.sampler"), "mc") == 0 ? GS_SAMPLER_MC
                                                                            : GS_SAMPLER_LHS;
    ro.probes = s->bt.probes;
    ro.n_probes = s->bt.n_probes;
    st = gs_sim_run(s->sim, &ro, &s->res, e);
    if (st == GS_OK)
        st = gs_backtest_score(&s->bt, s->res, e);
    return st;
}

/* Charts: a fan per scored value variable, the first years, the PIT histogram. */
static void draw_charts(const side *m, const side *ref, const char *dir, const gs_plot_opts *po)
{
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error pe;
    gs_error_clear(&pe);
    const gs_scenario *scn = m->scn;
    char sub[512];
    snprintf(sub, sizeof sub, "%s, %llu trajectories%s%s", gs_scenario_str(scn, "scenario.name"),
             (unsigned long long)gs_results_trajectories(m->res), ref ? "; reference: " : "",
             ref ? gs_scenario_str(ref->scn, "scenario.name") : "");
    int failed = 0;
    char t0[16], T[16];
    int ny = gs_results_T(m->res) - gs_results_t0(m->res) + 1;
    snprintf(t0, sizeof t0, "%d", gs_results_t0(m->res));
    snprintf(T, sizeof T, "%d", gs_results_T(m->res));
    /* backtest_fan.csv holds ny rows per scored value variable, in order of
     * first appearance; backtest.csv one row per scored observation. */
    size_t n_fan = 0, n_csv = 0, n_fy = 0;
    gs_strbuf fy = {0};
    for (size_t i = 0; i < m->bt.n; i++) {
        const gs_bt_row *r = &m->bt.rows[i];
        if (r->status != GS_BT_SCORED)
            continue;
        size_t row_csv = n_csv++;
        if (r->obs->kind == GS_OBS_FIRST_YEAR) {
            n_fy++;
            gs_strbuf_printf(&fy, "fy.%zu.row\t%zu\tfy.%zu.label\t%s (%s)\t", n_fy, row_csv, n_fy,
                             r->obs->variable, r->obs->id);
            continue;
        }
        if (!gs_bt_fan_row(&m->bt, i))
            continue;
        size_t k_fan = n_fan++;
        if (rep.gnuplot_missing)
            continue;
        const gs_output_decl *d = gs_results_output(m->res, (size_t)r->output);
        char name[64], rows[64], sub1[700];
        snprintf(name, sizeof name, "backtest_fan_%.40s", r->obs->variable);
        for (char *p = name; *p; p++)
            if (!(*p == '_' || *p == '-' || (*p >= '0' && *p <= '9') ||
                  (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
                *p = '_';
        snprintf(rows, sizeof rows, "%zu %zu", k_fan * (size_t)ny, (k_fan + 1) * (size_t)ny - 1);
        snprintf(sub1, sizeof sub1, "%s (%s): %s", r->obs->variable, d->unit, sub);
        const char *kv[] = {"variable", r->obs->variable, "unit", d->unit, "subtitle1", sub1,
                            "subtitle2", gs_scenario_str(scn, "scenario.share_definition"),
                            "base_year", t0, "horizon", T, "reference", ref ? "1" : "0",
                            "rows", rows, "provenance", "gapsim backtest"};
        if (gs_plot_template("backtest_fan", dir, name, kv, sizeof kv / sizeof kv[0] / 2, po,
                             &rep, &pe) != GS_OK)
            failed = 1;
    }
    char nfy[32];
    snprintf(nfy, sizeof nfy, "%zu", n_fy);
    /* The first-year rows' keys go in as pairs split from the tab list. */
    const char *kv[64] = {"subtitle1", sub, "subtitle2",
                          "first years of the domestic leader (milestone) and the frontier",
                          "base_year", t0, "horizon", T, "reference", ref ? "1" : "0",
                          "provenance", "gapsim backtest", "nfy", nfy};
    size_t n_kv = 14;
    char *list = fy.oom ? NULL : gs_strbuf_take(&fy);
    for (char *p = list, *save = NULL, *tok = list ? strtok_r(p, "\t", &save) : NULL;
         tok && n_kv + 1 < 64; tok = strtok_r(NULL, "\t", &save))
        kv[n_kv++] = tok;
    n_kv /= 2;
    if (n_fy && !rep.gnuplot_missing &&
        gs_plot_template("backtest_years", dir, "backtest_years", kv, n_kv, po, &rep, &pe) != GS_OK)
        failed = 1;
    kv[3] = "PIT of every scored observation; mid-PIT for discrete forecasts";
    if (n_csv && !rep.gnuplot_missing &&
        gs_plot_template("backtest_pit", dir, "backtest_pit", kv, 7, po, &rep, &pe) != GS_OK)
        failed = 1;
    free(list);
    gs_strbuf_free(&fy);
    if (failed)
        gs_cli_plot_warnings(&rep, &pe);
    gs_plot_report_clear(&rep);
}

int gs_cli_backtest(int argc, char **argv)
{
    const char *obs_file = NULL, *ref_file = NULL, *outdir = NULL;
    uint64_t n = 0, seed = 0, threads = 1, from = 0, until = 0;
    int have_n = 0, have_seed = 0, plots = 1, quiet = 0;
    const gs_cli_opt opts[] = {
        GS_CLI_OBSERVATIONS(&obs_file),
        {.name = "from", .kind = GS_CLI_COUNT, .dest = &from, .lo = 1950, .hi = 2300},
        {.name = "until", .kind = GS_CLI_COUNT, .dest = &until, .lo = 1950, .hi = 2300},
        {.name = "reference", .kind = GS_CLI_STRING, .dest = &ref_file},
        GS_CLI_TRAJECTORIES(&n, GS_MAX_TRAJECTORIES, &have_n),
        GS_CLI_SEED(&seed, &have_seed),
        GS_CLI_THREADS(&threads),
        GS_CLI_OUTPUT(&outdir),
        GS_CLI_NO_PLOTS(&plots),
        GS_CLI_QUIET(&quiet),
        GS_CLI_END,
    };
    int prc = gs_cli_parse("backtest", backtest_usage, opts, argc, argv);
    if (prc >= 0)
        return prc;
    const char *config =
        gs_cli_one_operand("backtest", backtest_usage, "which scenario? (gapsim backtest CONFIG)",
                           "one scenario file at a time", argc, argv);
    if (!config)
        return 2;
    if (from && until && from > until) {
        gs_cli_errorf("--from %llu is after --until %llu", (unsigned long long)from,
                      (unsigned long long)until);
        return 2;
    }
    char obuf[PATH_MAX + 64];
    if (!obs_file && !(obs_file = gs_cli_default_observations(obuf, sizeof obuf))) {
        gs_cli_errorf("backtest: no observations installed; give --observations FILE");
        return 2;
    }
    gs_error e;
    gs_error_clear(&e);
    gs_obs_set obs;
    if (gs_obs_read(obs_file, &obs, &e) != GS_OK)
        return gs_cli_report(&e);
    side m = {0}, r = {0};
    gs_status st = run_side(&m, config, &obs, (int)from, (int)until, have_n, n, have_seed,
                            seed, (int)threads, &e);
    if (st == GS_OK && ref_file)
        st = run_side(&r, ref_file, &obs, m.bt.from, m.bt.until, have_n, n, have_seed, seed,
                      (int)threads, &e);
    char dir[4096];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else if (m.scn)
        snprintf(dir, sizeof dir, "out/backtest_%s", gs_scenario_str(m.scn, "scenario.name"));
    char *text = NULL;
    if (st == GS_OK)
        st = gs_output_prepare(dir, &e);
    if (st == GS_OK)
        st = gs_backtest_write(&m.bt, m.res, ref_file ? &r.bt : NULL, ref_file ? r.res : NULL,
                               obs_file, dir, &text, &e);
    if (st == GS_OK && plots && gs_job_writes()) { /* in a job, process 0 draws */
        gs_plot_opts po;
        gs_plot_opts_default(&po);
        draw_charts(&m, ref_file ? &r : NULL, dir, &po);
    }
    int rc = 0;
    if (st != GS_OK)
        rc = gs_cli_report(&e);
    else if (!quiet) {
        fputs(text, stdout);
        printf("\nOutputs in %s/\n", dir);
    }
    free(text);
    side_free(&m);
    side_free(&r);
    gs_obs_free(&obs);
    return rc;
}
