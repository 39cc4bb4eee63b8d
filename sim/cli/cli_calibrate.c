/* gapsim calibrate: learn a scenario's uncertain parameters from observations. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_calib.h"
#include "gs_cli.h"
#include "gs_job.h"
#include "gs_engine.h"
#include "gs_outdir.h"
#include "gs_plot.h"
#include "gs_scenario.h"

static const char calibrate_usage[] =
    "usage: gapsim calibrate CONFIG [options]\n\n"
    "Bayesian calibration of the parameters the scenario gives as distributions\n"
    "(their priors) against observed outcomes, by approximate Bayesian computation\n"
    "(docs/calibration.md).  Writes posterior.csv (weighted joint draws),\n"
    "calibration.txt (prior against posterior, diagnostics, the observations the\n"
    "posterior cannot match), charts, and calibrated.cfg: the scenario with its\n"
    "parameters drawn from the posterior (parameters_from).\n\n"
    "      --observations FILE  observations (default: the data/observations.csv\n"
    "                           installed with gapsim)\n"
    "      --until YEAR         last year of the observations used (default: the horizon)\n"
    "      --params PATH,...    parameters to calibrate, each given as a distribution\n"
    "                           (default: every one the scenario gives as a distribution)\n"
    "      --method M           abc-smc (default) or importance (prior draws weighted\n"
    "                           by their ABC likelihood: one generation, cheap)\n"
    "      --population N       parameter vectors (default 200)\n"
    "  -n, --trajectories N     trajectories per parameter vector (default 16)\n"
    "      --generations G      abc-smc: at most G generations after the prior's (default 20)\n"
    "      --seed S             seed (default run.seed)\n"
    "      --threads K          worker threads; results do not depend on K (default 1)\n"
    "  -o, --output DIR         output folder (default out/calibrate_<scenario name>/)\n"
    "      --no-plots           write no charts\n"
    "  -q, --quiet              print nothing on success\n"
    "  -h, --help               this text\n";

static void progress(void *ctx, size_t g, double eps, double ess, double acc)
{
    (void)ctx;
    if (isinf(eps))
        fprintf(stderr, "gapsim: calibrate: generation 0 (prior): ESS %.1f\n", ess);
    else
        fprintf(stderr, "gapsim: calibrate: generation %zu: tolerance %.4g, ESS %.1f, "
                        "acceptance %.3f\n",
                g, eps, ess, acc);
}

/* [A-Za-z0-9_-] of s, at most n - 1 characters. */
static void chart_name(char *buf, size_t n, const char *prefix, const char *s)
{
    snprintf(buf, n, "%s%.40s", prefix, s);
    for (char *p = buf; *p; p++)
        if (!(*p == '_' || *p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            *p = '_';
}

static void draw_charts(const gs_calib *c, const char *dir, const gs_plot_opts *po)
{
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error pe;
    gs_error_clear(&pe);
    const gs_scenario *scn = gs_sim_scenario(c->sim);
    char sub[512], foot[512];
    snprintf(sub, sizeof sub, "%s: %s, %zu parameter vectors x %zu trajectories, observations %d-%d",
             gs_scenario_str(scn, "scenario.name"), gs_calib_method_name(c->o.method), c->N, c->M,
             c->bt.from, c->bt.until);
    snprintf(foot, sizeof foot, "seed %llu; effective sample size %.0f; %llu trajectories",
             (unsigned long long)c->o.seed, gs_calib_ess(c),
             (unsigned long long)gs_calib_trajectories(c));
    int failed = 0;
    for (size_t i = 0; i < c->np && !rep.gnuplot_missing; i++) {
        const char *path = gs_calib_param(c, i);
        char name[64], rows[64], s2[512], med[128];
        chart_name(name, sizeof name, "calib_", path);
        snprintf(rows, sizeof rows, "%zu %zu", i * 40, i * 40 + 39);
        snprintf(s2, sizeof s2, "%s (%s): prior and posterior density; bars below: 90 %% intervals", path,
                 gs_scenario_at(scn, c->pidx[i])->def->unit[0]
                     ? gs_scenario_at(scn, c->pidx[i])->def->unit
                     : "no unit");
        snprintf(med, sizeof med, "%.4g %.4g %.4g %.4g", gs_calib_quantile(c, i, 0.05),
                 gs_calib_quantile(c, i, 0.95), gs_calib_prior_quantile(c, i, 0.05),
                 gs_calib_prior_quantile(c, i, 0.95));
        const char *kv[] = {"subtitle1", sub,     "subtitle2", s2,       "footer1", foot,
                            "rows",      rows,    "path",      path,     "bands",   med,
                            "provenance", "gapsim calibrate"};
        if (gs_plot_template("calib_marginal", dir, name, kv, sizeof kv / sizeof kv[0] / 2, po,
                             &rep, &pe) != GS_OK)
            failed = 1;
    }
    size_t a[3], b[3];
    double r[3];
    size_t np = gs_calib_pairs(c, a, b, r, 3), nw = 0;
    size_t *first = malloc(c->N * sizeof *first);
    double *wsum = malloc(c->N * sizeof *wsum);
    if (first && wsum)
        nw = gs_calib_distinct(c, first, wsum);
    free(first);
    free(wsum);
    if (nw == 0)
        np = 0;
    for (size_t q = 0; q < np && !rep.gnuplot_missing; q++) {
        char name[64], rows[64], s2[512], rr[32];
        snprintf(name, sizeof name, "calib_pair_%zu", q + 1);
        snprintf(rows, sizeof rows, "%zu %zu", q * nw, (q + 1) * nw - 1);
        snprintf(s2, sizeof s2, "posterior draws of %s against %s (rank correlation %+.2f)",
                 gs_calib_param(c, b[q]), gs_calib_param(c, a[q]), r[q]);
        snprintf(rr, sizeof rr, "%+.2f", r[q]);
        const char *kv[] = {"subtitle1", sub,
                            "subtitle2", s2,
                            "footer1",   foot,
                            "rows",      rows,
                            "xname",     gs_calib_param(c, a[q]),
                            "yname",     gs_calib_param(c, b[q]),
                            "r",         rr,
                            "provenance", "gapsim calibrate"};
        if (gs_plot_template("calib_pair", dir, name, kv, sizeof kv / sizeof kv[0] / 2, po, &rep,
                             &pe) != GS_OK)
            failed = 1;
    }
    if (failed || rep.gnuplot_missing)
        gs_cli_plot_warnings(&rep, &pe);
    gs_plot_report_clear(&rep);
}

/* Splits "a,b,c" into paths (malloc'd copy in *store). */
static size_t split_params(char *list, const char **out, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && n < max;
         tok = strtok_r(NULL, ",", &save))
        if (*tok)
            out[n++] = tok;
    return n;
}

static int take_method(const char *arg, void *dest)
{
    int m = gs_calib_method_from_name(arg);
    if (m < 0) {
        gs_cli_errorf("--method: expected abc-smc or importance, got \"%s\"", arg);
        return 2;
    }
    *(gs_calib_method *)dest = (gs_calib_method)m;
    return 0;
}

int gs_cli_calibrate(int argc, char **argv)
{
    const char *obs_file = NULL, *outdir = NULL, *params = NULL;
    gs_calib_opts co;
    gs_calib_opts_default(&co);
    uint64_t until = (uint64_t)co.until, population = co.population,
             generations = co.max_generations, threads = (uint64_t)co.threads;
    int have_seed = 0, plots = 1, quiet = 0;
    const gs_cli_opt opts[] = {
        GS_CLI_OBSERVATIONS(&obs_file),
        {.name = "until", .kind = GS_CLI_COUNT, .dest = &until, .lo = 1950, .hi = 2300},
        {.name = "params", .kind = GS_CLI_STRING, .dest = &params},
        {.name = "method", .kind = GS_CLI_CALL, .dest = &co.method, .call = take_method},
        {.name = "population", .kind = GS_CLI_COUNT, .dest = &population, .lo = 4, .hi = 1e6},
        GS_CLI_TRAJECTORIES(&co.trajectories, 1e5, NULL),
        {.name = "generations", .kind = GS_CLI_COUNT, .dest = &generations, .lo = 1,
         .hi = 1000},
        GS_CLI_SEED(&co.seed, &have_seed),
        GS_CLI_THREADS(&threads),
        GS_CLI_OUTPUT(&outdir),
        GS_CLI_NO_PLOTS(&plots),
        GS_CLI_QUIET(&quiet),
        GS_CLI_END,
    };
    int prc = gs_cli_parse("calibrate", calibrate_usage, opts, argc, argv);
    if (prc >= 0)
        return prc;
    co.until = (int)until;
    co.population = (size_t)population;
    co.max_generations = (size_t)generations;
    co.threads = (int)threads;
    const char *config =
        gs_cli_one_operand("calibrate", calibrate_usage, "which scenario? (gapsim calibrate CONFIG)",
                           "one scenario file at a time", argc, argv);
    if (!config)
        return 2;
    char obuf[PATH_MAX + 64];
    if (!obs_file && !(obs_file = gs_cli_default_observations(obuf, sizeof obuf))) {
        gs_cli_errorf("calibrate: no observations installed; give --observations FILE");
        return 2;
    }
    char *plist = params ? gs_strdup(params) : NULL;
    const char *paths[GS_MAX_DIMS];
    if (params) {
        if (!plist) {
            gs_cli_errorf("out of memory");
            return 1;
        }
        co.n_params = split_params(plist, paths, GS_MAX_DIMS);
        co.params = paths;
        if (co.n_params == 0) {
            free(plist);
            gs_cli_errorf("--params: expected parameter paths separated by commas");
            return 2;
        }
    }
    gs_error e;
    gs_error_clear(&e);
    gs_scenario *scn = NULL;
    gs_sim *sim = NULL;
    gs_calib *cal = NULL;
    gs_stage stage = {.lock_fd = -1};
    char *text = NULL;
    int rc = 0;
    if (gs_scenario_load(gs_param_tables(), config, NULL, 0, &scn, &e) != GS_OK ||
        gs_sim_new(scn, gs_models_builtin(), &sim, &e) != GS_OK)
        goto fail;
    if (!have_seed)
        co.seed = (uint64_t)gs_scenario_num(scn, "run.seed");
    co.observations = obs_file;
    if (!quiet)
        co.progress = progress;
    if (gs_calibrate(sim, &co, &cal, &e) != GS_OK)
        goto fail;
    for (size_t i = 0; i < cal->K; i++)
        if (!cal->ob[i].informative && !quiet)
            gs_cli_errorf("warning: %s:%d: %s: no calibrated parameter moves %s; left out of "
                          "the distance",
                          cal->obs.file, cal->ob[i].row->obs->line, cal->ob[i].row->obs->id,
                          cal->ob[i].row->obs->variable);
    char dir[4096];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        snprintf(dir, sizeof dir, "out/calibrate_%s", gs_scenario_str(scn, "scenario.name"));
    if (gs_stage_begin(&stage, dir, &e) != GS_OK)
        goto fail;
    if (gs_calib_write(cal, config, stage.path, (const char *const *)argv, (size_t)argc, &text,
                       &e) != GS_OK)
        goto fail;
    if (plots && gs_job_writes()) { /* in a job, process 0 draws */
        gs_plot_opts po;
        gs_plot_opts_default(&po);
        draw_charts(cal, stage.path, &po);
    }
    if (gs_stage_commit(&stage, &e) != GS_OK)
        goto fail;
    if (!quiet) {
        fputs(text, stdout);
        printf("\nOutputs in %s/\n", dir);
    }
    goto done;
fail:
    rc = gs_cli_report(&e);
    gs_stage_abort(&stage);
done:
    free(text);
    free(plist);
    gs_calib_free(cal);
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return rc;
}
