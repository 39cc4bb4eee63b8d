/* gapsim run | check | params */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gs_cli.h"
#include "gs_job.h"
#include "gs_engine.h"
#include "gs_outcomes.h"
#include "gs_outdir.h"
#include "gs_output.h"
#include "gs_plot.h"
#include "gs_scenario.h"




static void progress_bar(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    int width = 40;
    int fill = total ? (int)((double)done / (double)total * width) : width;
    fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu", fill,
            "########################################", width - fill, "",
            total ? (int)(100.0 * (double)done / (double)total) : 100,
            (unsigned long long)done, (unsigned long long)total);
    /* Done: the bar is erased, so that what follows starts on a clean line. */
    if (done >= total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* Loads and binds a scenario; prints the error and returns the exit status. */
static int load(const char *file, const char *const *sets, size_t n_sets, gs_scenario **scn,
                gs_sim **sim)
{
    gs_error e;
    gs_error_clear(&e);
    *scn = NULL;
    *sim = NULL;
    if (gs_scenario_load_models(gs_models_builtin(), file, sets, n_sets, scn, &e) != GS_OK)
        return gs_cli_report(&e);
    if (gs_sim_new(*scn, gs_models_builtin(), sim, &e) != GS_OK) {
        gs_scenario_free(*scn);
        *scn = NULL;
        return gs_cli_report(&e);
    }
    return 0;
}

/* ------------------------------------------------------------- run */

/* "share@2030:p50=0.002" (or :mean) against the bound models. */
static int parse_precision(const gs_sim *sim, const char *text, gs_precision_quantile *q)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    char *eq = strchr(buf, '='), *at = strchr(buf, '@');
    char *colon = at ? strchr(at, ':') : NULL;
    char *end;
    if (!eq || !at || !colon || colon > eq) {
        gs_cli_errorf("--precision \"%s\": expected VARIABLE@YEAR:STAT=H, STAT pNN or mean",
                      text);
        return -1;
    }
    *eq = *at = *colon = '\0';
    q->h = strtod(eq + 1, &end);
    if (*end || !(q->h > 0) || !isfinite(q->h)) {
        gs_cli_errorf("--precision \"%s\": the half-width must be a positive number", text);
        return -1;
    }
    long year = strtol(at + 1, &end, 10);
    if (*end || year < gs_sim_t0(sim) || year > gs_sim_T(sim)) {
        gs_cli_errorf("--precision \"%s\": the year must lie in %d-%d", text, gs_sim_t0(sim),
                      gs_sim_T(sim));
        return -1;
    }
    q->year = (int)year;
    const char *st = colon + 1;
    long pct = -1;
    if (strcmp(st, "mean") != 0) {
        pct = st[0] == 'p' ? strtol(st + 1, &end, 10) : -1;
        if (st[0] != 'p' || *end || end == st + 1 || pct < 1 || pct > 99) {
            gs_cli_errorf("--precision \"%s\": the statistic is pNN (p01 to p99) or mean", text);
            return -1;
        }
    }
    q->p = pct < 0 ? -1 : (double)pct / 100;
    const char *names[512];
    size_t n = gs_sim_n_outputs(sim) < 512 ? gs_sim_n_outputs(sim) : 512;
    for (size_t v = 0; v < n; v++) {
        names[v] = gs_sim_output(sim, v)->name;
        if (strcmp(names[v], buf) == 0) {
            q->var = v;
            return 0;
        }
    }
    const char *near = gs_nearest(buf, names, n);
    gs_cli_errorf("--precision \"%s\": no output named \"%s\"%s%s%s", text, buf,
                  near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
    return -1;
}

static const char run_usage[] =
    "usage: gapsim run CONFIG [options]\n\n"
    "Projects the scenario in CONFIG and writes its output folder (docs/outputs.md).\n\n"
    "  -o, --output DIR         output folder (default out/<scenario name>/)\n"
    "  -n, --trajectories N     number of trajectories (default run.trajectories)\n"
    "      --seed S             seed of all random streams (default run.seed)\n"
    "      --threads K          worker threads; results do not depend on K (default 1)\n"
    "      --sampler mc|lhs|qmc plain Monte Carlo, Latin hypercube or randomly shifted\n"
    "                           Sobol' points (default run.sampler)\n"
    "      --set PATH=VALUE     override a parameter (repeatable); VALUE in config syntax,\n"
    "                           e.g. --set funds.fund2.size=400 or\n"
    "                           --set 'fund.leverage={dist=\"uniform\";min=1.0;max=4.0;}'\n"
    "      --precision H        run blocks until every target probability's 95 %\n"
    "      --precision VAR@YEAR:STAT=H  ... and until that quantile's (pNN) or mean's\n"
    "                           95 % half-width is <= H, e.g. share@2030:p50=0.002\n"
    "                           (repeatable; either form alone works too)\n"
    "                           half-width is <= H, up to -n trajectories (default 1e6)\n"
    "      --write-parameters   also write parameters.csv (drawn parameters per trajectory)\n"
    "      --write-trajectories M  also write trajectories.csv with the first M (<= 1000)\n"
    "      --write-outcomes     also write outcomes.csv: every trajectory's metrics\n"
    "      --outcome-years LIST years of outcomes.csv's VARIABLE@YEAR columns, e.g.\n"
    "                           2025,2030, or all (default: report years, target\n"
    "                           years and the horizon)\n"
    "      --format LIST        chart formats: png,svg,pdf (default png)\n"
    "      --no-plots           write no charts\n"
    "  -q, --quiet              print nothing on success\n"
    "  -h, --help               this text\n";

/* --sampler, --set and --precision: what gs_cli_run reads them into. */
typedef struct run_args {
    const char *sampler;
    const char *sets[GS_MAX_SETS];
    size_t n_sets;
    double precision;
    const char *prec_text[GS_MAX_SETS];
    size_t n_prec_text;
} run_args;

static int take_sampler(const char *arg, void *dest)
{
    if (gs_sampler_from_name(arg) < 0) {
        gs_cli_errorf("--sampler: expected mc, lhs or qmc, got \"%s\"", arg);
        return 2;
    }
    ((run_args *)dest)->sampler = arg;
    return 0;
}

static int take_set(const char *arg, void *dest)
{
    run_args *a = dest;
    if (a->n_sets == GS_MAX_SETS) {
        gs_cli_errorf("--set: at most %d overrides", GS_MAX_SETS);
        return 2;
    }
    a->sets[a->n_sets++] = arg;
    return 0;
}

/* H alone: the target probabilities' half-width; VARIABLE@YEAR:STAT=H: a
 * figure's, read once the models are bound (parse_precision). */
static int take_precision(const char *arg, void *dest)
{
    run_args *a = dest;
    if (strchr(arg, '=')) {
        if (a->n_prec_text == GS_MAX_SETS) {
            gs_cli_errorf("--precision: at most %d figures", GS_MAX_SETS);
            return 2;
        }
        a->prec_text[a->n_prec_text++] = arg;
        return 0;
    }
    char *end;
    a->precision = strtod(arg, &end);
    if (*end || !(a->precision > 0 && a->precision < 0.5)) {
        gs_cli_errorf("--precision: expected a half-width in (0, 0.5) or "
                      "VARIABLE@YEAR:STAT=H, got \"%s\"",
                      arg);
        return 2;
    }
    return 0;
}

int gs_cli_run(int argc, char **argv)
{
    size_t n_cmdline;
    const char **cmdline = gs_cli_command_line(argc, argv, &n_cmdline);
    const char *outdir = NULL;
    run_args a = {0};
    uint64_t n = 0, seed = 0, threads = 1, traj = 0;
    int have_n = 0, have_seed = 0, quiet = 0, plots = 1, write_params = 0, write_outc = 0;
    const char *outc_years = NULL;
    gs_plot_opts popts;
    gs_plot_opts_default(&popts);
    gs_error e;
    gs_error_clear(&e);
    const gs_cli_opt opts[] = {
        GS_CLI_OUTPUT(&outdir),
        GS_CLI_TRAJECTORIES(&n, GS_MAX_TRAJECTORIES, &have_n),
        GS_CLI_SEED(&seed, &have_seed),
        GS_CLI_THREADS(&threads),
        {.name = "sampler", .kind = GS_CLI_CALL, .dest = &a, .call = take_sampler},
        {.name = "set", .kind = GS_CLI_CALL, .dest = &a, .call = take_set},
        {.name = "precision", .kind = GS_CLI_CALL, .dest = &a, .call = take_precision},
        {.name = "write-parameters", .kind = GS_CLI_FLAG, .dest = &write_params, .value = 1},
        {.name = "write-trajectories", .kind = GS_CLI_COUNT, .dest = &traj, .lo = 1,
         .hi = GS_MAX_WRITE_TRAJECTORIES},
        GS_CLI_FORMAT(&popts.formats),
        GS_CLI_NO_PLOTS(&plots),
        {.name = "write-outcomes", .kind = GS_CLI_FLAG, .dest = &write_outc, .value = 1},
        {.name = "outcome-years", .kind = GS_CLI_STRING, .dest = &outc_years},
        GS_CLI_QUIET(&quiet),
        GS_CLI_END,
    };
    int prc = gs_cli_parse("run", run_usage, opts, argc, argv);
    if (prc >= 0)
        return prc;
    const char *file = gs_cli_one_operand("run", run_usage, "which scenario? (gapsim run CONFIG)",
                                          "one scenario file at a time", argc, argv);
    if (!file)
        return 2;
    gs_scenario *scn;
    gs_sim *sim;
    int rc = load(file, a.sets, a.n_sets, &scn, &sim);
    if (rc)
        return rc;

    gs_run_opts ro;
    gs_run_opts_default(&ro);
    gs_run_opts_from_scenario(&ro, scn);
    gs_precision_quantile prec_q[GS_MAX_SETS];
    for (size_t j = 0; j < a.n_prec_text; j++)
        if (parse_precision(sim, a.prec_text[j], &prec_q[j])) {
            gs_sim_free(sim);
            gs_scenario_free(scn);
            return 2;
        }
    ro.prec_q = prec_q;
    ro.n_prec_q = a.n_prec_text;
    ro.precision_goals = a.prec_text;
    ro.n_precision_goals = a.n_prec_text;
    if (have_n)
        ro.n = n;
    else if (a.precision > 0 || a.n_prec_text > 0)
        ro.n = 1000000;
    if (have_seed)
        ro.seed = seed;
    ro.threads = (int)threads;
    if (a.sampler)
        ro.sampler = (gs_sampler)gs_sampler_from_name(a.sampler);
    ro.precision = a.precision;
    ro.write_parameters = write_params;
    ro.write_trajectories = traj;
    if (!quiet && isatty(STDERR_FILENO))
        ro.progress = progress_bar;

    char dir[4096];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        snprintf(dir, sizeof dir, "out/%s", gs_scenario_str(scn, "scenario.name"));

    gs_outcomes *outc = NULL;
    gs_stage stage = {.lock_fd = -1};
    gs_results *res = NULL;
    gs_run_info info;
    if (write_outc || outc_years) {
        int years[512];
        size_t ny = 0;
        if (!outc_years) {
            ny = gs_outcomes_default_years(sim, years, 512);
        } else if (strcmp(outc_years, "all") == 0) {
            for (int t = gs_sim_t0(sim); t <= gs_sim_T(sim) && ny < 512; t++)
                years[ny++] = t;
        } else {
            const char *p = outc_years;
            for (;;) {
                char *end;
                long y = strtol(p, &end, 10);
                if (end == p || (*end && *end != ',') || ny == 512) {
                    gs_error_set(&e, GS_EUSAGE, NULL, 0,
                                 "--outcome-years: expected years like 2025,2030 or all, "
                                 "got \"%s\"",
                                 outc_years);
                    goto fail;
                }
                years[ny++] = (int)y;
                if (!*end)
                    break;
                p = end + 1;
            }
        }
        if (gs_outcomes_new(sim, years, ny, &outc, &e) != GS_OK)
            goto fail;
        ro.outcomes = outc;
    }
    ro.command_line = cmdline;
    ro.n_command_line = n_cmdline;
    /* The run and its charts go to a staging folder that replaces dir as a
     * whole once complete: an interrupt or failure leaves the earlier run. */
    if (gs_stage_begin(&stage, dir, &e) != GS_OK)
        goto fail;
    if (gs_run_into_dir(sim, &ro, stage.path, &res, &info, &e) != GS_OK)
        goto fail;
    char where[128];
    size_t nfl = gs_quantiles_flagged(res, where, sizeof where);
    if (nfl)
        gs_cli_errorf("warning: %zu quantile%s (first: %s) could not be given to %g %% and "
                      "%s left empty; see the flag column of %s/quantiles.csv",
                      nfl, nfl == 1 ? "" : "s", where, 100 * GS_SKETCH_ALPHA,
                      nfl == 1 ? "is" : "are", dir);

    if (plots && gs_job_writes()) { /* in a job, process 0 draws */
        gs_plot_report rep;
        gs_plot_report_init(&rep);
        gs_error pe;
        gs_error_clear(&pe);
        /* A chart that fails is a warning, never a failed run. */
        if (gs_plot_run_dir(stage.path, &popts, &rep, &pe) != GS_OK)
            gs_cli_plot_warnings(&rep, &pe);
        gs_plot_report_clear(&rep);
    }
    if (gs_stage_commit(&stage, &e) != GS_OK)
        goto fail;
    {
        const char *what;
        double half, goal;
        if (gs_results_precision(res, &what, &half, &goal) == 0) {
            char note[512];
            gs_precision_note(res, note, sizeof note);
            gs_cli_errorf("warning: %s", note);
        }
    }
    if (!quiet) {
        char *text = gs_summary_text(sim, res, &info);
        if (text)
            fputs(text, stdout);
        free(text);
        printf("\nOutputs in %s/\n", dir);
    }
    gs_outcomes_free(outc);
    gs_results_free(res);
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return 0;

fail:
    gs_stage_blame(&stage, &e);
    gs_stage_abort(&stage);
    gs_outcomes_free(outc);
    gs_results_free(res);
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return gs_cli_report(&e);
}

/* ----------------------------------------------------------- check */

static const char check_usage[] =
    "usage: gapsim check CONFIG [--set PATH=VALUE]...\n\n"
    "Validates the scenario (every key, type, range and cross-check a run makes)\n"
    "and prints each resolved parameter with its value or distribution, its unit\n"
    "and where it was set.  Runs nothing; exit 0 when the scenario is valid.\n";

static void print_value(const gs_pval *v)
{
    char buf[4096];
    switch (v->def->type) {
    case GS_PT_NUMBER:
        gs_dist_describe(&v->dist, buf, sizeof buf);
        fputs(buf, stdout);
        break;
    case GS_PT_STRING:
        printf("\"%s\"", v->str);
        break;
    case GS_PT_BOOL:
        fputs(v->boolean ? "true" : "false", stdout);
        break;
    case GS_PT_NUMBER_ARRAY:
        putchar('[');
        for (size_t i = 0; i < v->n_arr; i++)
            printf("%s%.10g", i ? ", " : "", v->arr[i]);
        putchar(']');
        break;
    case GS_PT_STRING_ARRAY:
        putchar('[');
        for (size_t i = 0; i < v->n_arr; i++)
            printf("%s\"%s\"", i ? ", " : "", v->sarr[i]);
        putchar(']');
        break;
    }
}

/* The options of check and params: --set alone. */
static int parse_sets(const char *cmd, const char *usage, int argc, char **argv, run_args *a)
{
    const gs_cli_opt opts[] = {
        {.name = "set", .kind = GS_CLI_CALL, .dest = a, .call = take_set},
        GS_CLI_END,
    };
    return gs_cli_parse(cmd, usage, opts, argc, argv);
}

int gs_cli_check(int argc, char **argv)
{
    run_args a = {0};
    int p = parse_sets("check", check_usage, argc, argv, &a);
    if (p >= 0)
        return p;
    if (optind != argc - 1) {
        fputs(check_usage, stderr);
        return 2;
    }
    gs_scenario *scn;
    gs_sim *sim;
    int rc = load(argv[optind], a.sets, a.n_sets, &scn, &sim);
    if (rc)
        return rc;
    /* A derived scenario that renames itself but keeps its parent's title
     * or description would be presented under the parent's words. */
    const gs_pval *nm = gs_scenario_get(scn, "scenario.name");
    static const char *const words[] = {"scenario.title", "scenario.description"};
    for (size_t w = 0; nm && nm->layer >= 0 && w < 2; w++) {
        const gs_pval *t = gs_scenario_get(scn, words[w]);
        if (t && t->str && t->str[0] && t->layer > nm->layer && t->file)
            gs_cli_errorf("warning: %s:%d: scenario.name is \"%s\" but %s is inherited from "
                          "%s:%d (\"%.60s\"); give the derived scenario its own",
                          nm->file ? nm->file : "--set", nm->line, nm->str, words[w], t->file,
                          t->line, t->str);
    }
    printf("# %s: valid; %zu parameters, %zu given as distributions\n", argv[optind],
           gs_scenario_count(scn), gs_scenario_ndims(scn));
    for (size_t i = 0; i < gs_scenario_count(scn); i++) {
        const gs_pval *v = gs_scenario_at(scn, i);
        printf("%s = ", v->path);
        print_value(v);
        if (v->def->unit && v->def->unit[0])
            printf("  [%s]", v->def->unit);
        if (v->file && v->line)
            printf("  (%s:%d)\n", v->file, v->line);
        else if (v->file)
            printf("  (%s)\n", v->file);
        else
            printf("  (default)\n");
    }
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return 0;
}

/* ---------------------------------------------------------- params */

static const char params_usage[] =
    "usage: gapsim params [CONFIG]\n\n"
    "Lists every parameter: path, type, unit, default, allowed range and meaning.\n"
    "\"*\" in a path stands for an item of a collection (a fund tranche, a segment,\n"
    "an export-control measure).  With CONFIG, the items are expanded and the\n"
    "scenario's value is shown too.\n";

static const char *type_text(const gs_param_def *d)
{
    switch (d->type) {
    case GS_PT_NUMBER:
        if (d->flags & GS_PF_FIXED)
            return d->flags & GS_PF_INT ? "whole number" : "number";
        return d->flags & GS_PF_INT ? "whole number or distribution" : "number or distribution";
    case GS_PT_STRING: return "string";
    case GS_PT_BOOL: return "true/false";
    case GS_PT_NUMBER_ARRAY: return "array of numbers";
    case GS_PT_STRING_ARRAY: return "array of strings";
    }
    return "";
}

static void print_def(const gs_param_def *d, const char *path)
{
    printf("%s\n", path);
    printf("    type: %s", type_text(d));
    if (d->unit && d->unit[0])
        printf("; unit: %s", d->unit);
    if (d->flags & GS_PF_REQUIRED)
        printf("; required");
    else if (d->type == GS_PT_NUMBER)
        printf("; default: %.10g", d->def);
    else if (d->def_text)
        printf("; default: %s", d->def_text);
    if (d->type == GS_PT_NUMBER || d->type == GS_PT_NUMBER_ARRAY)
        printf("; range: [%.10g, %.10g]", d->lo, d->hi);
    printf("\n    %s\n", d->doc);
}

int gs_cli_params(int argc, char **argv)
{
    run_args a = {0};
    int p = parse_sets("params", params_usage, argc, argv, &a);
    if (p >= 0)
        return p;
    if (optind < argc - 1) {
        fputs(params_usage, stderr);
        return 2;
    }
    if (optind == argc) {
        const gs_param_def *const *tables = gs_param_tables();
        for (size_t t = 0; tables[t]; t++)
            for (const gs_param_def *d = tables[t]; d->path; d++)
                print_def(d, d->path);
        return 0;
    }
    gs_scenario *scn;
    gs_sim *sim;
    int rc = load(argv[optind], a.sets, a.n_sets, &scn, &sim);
    if (rc)
        return rc;
    for (size_t i = 0; i < gs_scenario_count(scn); i++) {
        const gs_pval *v = gs_scenario_at(scn, i);
        print_def(v->def, v->path);
        printf("    value: ");
        print_value(v);
        putchar('\n');
    }
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return 0;
}
