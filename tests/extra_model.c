/* A fourth model defined only here, handed to the simulator beside the
 * built-in ones: its keys are checked with file and line like any other, its
 * output appears in quantiles.csv, its lines in summary.txt and its own
 * table in the run folder, and the built-in models' numbers do not move.
 *
 * The program includes gapsim.h and nothing else of the library, and links
 * the shared library, which exports only what gapsim.h declares: a model
 * that needed anything more would not link.
 *
 * The model ("tally") is deterministic: a level that starts at tally.start
 * in the base year and grows by tally.rate a year, so its mean in year t is
 * start * (1 + rate)^(t - t0) exactly up to rounding (relative 1e-12). */
#include <gapsim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* ----------------------------------------------------------- the model */

static const gs_param_def tally_params[] = {
    {"tally.start", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "count", 0, NULL, 0, 1e6,
     "level in the base year"},
    {"tally.rate", GS_PT_NUMBER, GS_PF_FIXED, "1/yr", 0.0, NULL, -0.5, 1,
     "yearly growth of the level"},
    {"tally.until", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "year", 2100, NULL, 1950, 2300,
     "last year the level grows; must lie after the base year"},
    GS_PARAM_END};

typedef struct tally_conf {
    int t0, until;
    long start, rate; /* parameter indices */
    long out_level;   /* output slot */
} tally_conf;

static gs_status tally_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    tally_conf *c = vc;
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    c->until = (int)gs_scenario_num(scn, "tally.until");
    if (c->until <= c->t0)
        return gs_scenario_errorf(scn, "tally.until", err,
                                  "tally.until = %d is not after the base year %d", c->until,
                                  c->t0);
    c->start = gs_scenario_index(scn, "tally.start");
    c->rate = gs_scenario_index(scn, "tally.rate");
    gs_output_decl d = {"tally_level", "count", NULL, 0};
    c->out_level = gs_shape_output(sh, &d);
    if (c->start < 0 || c->rate < 0 || c->out_level < 0)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    return GS_OK;
}

static void tally_unbind(void *vc) { (void)vc; }

static size_t tally_state_size(const void *vc)
{
    (void)vc;
    return sizeof(double);
}

static void tally_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    (void)vc;
    *n_init = 0;
    *n_year = 0;
}

static void tally_init(const void *vc, void *state, const double *theta, gs_world *w,
                       const double *u)
{
    const tally_conf *c = vc;
    (void)w;
    (void)u;
    *(double *)state = theta[c->start];
}

static void tally_step(const void *vc, void *state, const double *theta, gs_world *w,
                       gs_phase ph, const double *u)
{
    const tally_conf *c = vc;
    double *level = state;
    (void)u;
    if (ph == GS_PHASE_EVENTS && w->t > c->t0 && w->t <= c->until)
        *level *= 1 + theta[c->rate];
    else if (ph == GS_PHASE_RECORD)
        w->out[c->out_level] = *level;
}

/* tally.csv: the median level in every report year. */
static void tally_table(const void *vc, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    const tally_conf *c = vc;
    const double *ry;
    size_t n = gs_scenario_array(scn, "outputs.report_years", &ry);
    fputs("year,level_p50\r\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%d,%.10g\r\n", (int)ry[i],
                gs_results_quantile(r, (size_t)c->out_level, (int)ry[i], 0.5));
}

static void tally_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                          gs_summary_part part, gs_strbuf *b)
{
    const tally_conf *c = vc;
    (void)scn;
    if (part != GS_SUMMARY_DETAIL)
        return;
    int T = gs_results_T(r);
    gs_strbuf_printf(b, "Tally level in %d, median: %.1f\n", T,
                     gs_results_quantile(r, (size_t)c->out_level, T, 0.5));
}

static const gs_table_decl tally_tables[] = {{"tally.csv", tally_table}, {NULL, NULL}};

static const gs_model_type tally_model = {
    "tally",
    "a level growing at a fixed rate (test model)",
    tally_params,
    sizeof(tally_conf),
    tally_bind,
    tally_unbind,
    tally_state_size,
    tally_noise,
    tally_init,
    tally_step,
    NULL,
    tally_tables,
    tally_summary,
    NULL,
};

/* ------------------------------------------------------------ helpers */

#define MAX_MODELS 16

/* The built-in models, then tally when with_tally.  Each list outlives
 * every simulator bound to it. */
static const gs_model_type *const *model_list(int with_tally)
{
    static const gs_model_type *lists[2][MAX_MODELS + 2];
    const gs_model_type **list = lists[with_tally != 0];
    size_t n = 0;
    for (const gs_model_type *const *m = gs_models_builtin(); *m && n < MAX_MODELS; m++)
        list[n++] = *m;
    if (with_tally)
        list[n++] = &tally_model;
    list[n] = NULL;
    return list;
}

/* A scenario file: the baseline with the given lines after it. */
static const char *write_cfg(const char *name, const char *body)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s.cfg", gs_test_tmpdir(name), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "inherit = \"%s\";\n%s", gs_test_source_path("configs/baseline.cfg"), body);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* A run and what it depends on: results point into the simulator. */
typedef struct run {
    gs_scenario *scn;
    gs_sim *sim;
    gs_results *res;
} run;

static void run_free(run *r)
{
    gs_results_free(r->res);
    gs_sim_free(r->sim);
    gs_scenario_free(r->scn);
    memset(r, 0, sizeof *r);
}

/* Runs file with the models into out; returns its status and fills err. */
static gs_status run_into(const char *file, int with_tally, const char *out, run *r,
                          gs_error *err)
{
    const gs_model_type *const *models = model_list(with_tally);
    memset(r, 0, sizeof *r);
    gs_error_clear(err);
    gs_status st = gs_scenario_load_models(models, file, NULL, 0, &r->scn, err);
    if (!st)
        st = gs_sim_new(r->scn, models, &r->sim, err);
    if (!st) {
        gs_run_opts o;
        gs_run_opts_default(&o);
        o.n = 300;
        o.seed = 7;
        o.threads = 2;
        st = gs_run_into_dir(r->sim, &o, out, &r->res, NULL, err);
    }
    return st;
}

static char *slurp_in(const char *dir, const char *file)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return gs_test_slurp(path, NULL);
}

/* The quantiles.csv lines of variable var, concatenated. */
static char *rows_of(const char *csv, const char *var)
{
    size_t cap = strlen(csv) + 1, n = 0;
    char *out = calloc(cap, 1);
    assert_non_null(out);
    char needle[80];
    snprintf(needle, sizeof needle, ",%s,", var);
    for (const char *line = csv; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *comma = memchr(line, ',', len);
        if (comma && strncmp(comma, needle, strlen(needle)) == 0) {
            memcpy(out + n, line, len);
            n += len;
        }
        line += len;
    }
    return out;
}

/* -------------------------------------------------------------- tests */

static const char tally_body[] = "tally = {\n  start = 100.0;\n  rate = 0.05;\n};\n";

static void outputs_summary_and_table(void **state)
{
    (void)state;
    const char *cfg = write_cfg("extra_model_run", tally_body);
    char out[4300];
    snprintf(out, sizeof out, "%s/run", gs_test_tmpdir("extra_model_out"));
    run rn;
    gs_error err;
    if (run_into(cfg, 1, out, &rn, &err))
        fail_msg("run: %s:%d: %s", err.file, err.line, err.msg);
    const gs_results *res = rn.res;

    /* Its output, every year, with the mean the equation gives. */
    long v = gs_results_find(res, "tally_level");
    assert_true(v >= 0);
    int t0 = gs_results_t0(res), T = gs_results_T(res);
    char *q = slurp_in(out, "quantiles.csv");
    assert_non_null(q);
    char *rows = rows_of(q, "tally_level");
    int years = 0;
    for (const char *p = rows; *p; p = strchr(p, '\n') + 1, years++) {
        int y;
        double mean;
        assert_int_equal(sscanf(p, "%d,tally_level,%lg,", &y, &mean), 2);
        assert_int_equal(y, t0 + years);
        double want = 100.0 * pow(1.05, y - t0);
        assert_close(gs_results_mean(res, (size_t)v, y), want, 1e-12, 0);
        assert_close(mean, want, 1e-9, 0); /* written with 10 digits */
    }
    assert_int_equal(years, T - t0 + 1);
    free(rows);
    free(q);

    /* Its summary line, after the built-in blocks and one blank line. */
    char *sum = slurp_in(out, "summary.txt");
    assert_non_null(sum);
    char want[128];
    snprintf(want, sizeof want, "\n\nTally level in %d, median: ", T);
    const char *at = strstr(sum, want);
    assert_non_null(at);
    double med = strtod(at + strlen(want), NULL);
    assert_close(med, 100.0 * pow(1.05, T - t0), 0.02, 0); /* the sketch's accuracy, 1 % */
    free(sum);

    /* Its own table, and the manifest lists it. */
    char *tab = slurp_in(out, "tally.csv");
    assert_non_null(tab);
    assert_true(strncmp(tab, "year,level_p50\r\n", 16) == 0);
    int rows_t = 0;
    for (const char *p = tab + 16; *p; p = strchr(p, '\n') + 1, rows_t++) {
        int y;
        double p50;
        assert_int_equal(sscanf(p, "%d,%lg\r\n", &y, &p50), 2);
        assert_close(p50, 100.0 * pow(1.05, y - t0), 0.02, 0);
    }
    assert_true(rows_t >= 1);
    free(tab);
    char *man = slurp_in(out, "manifest.json");
    assert_non_null(man);
    assert_non_null(strstr(man, "\"tally.csv\""));
    free(man);
    run_free(&rn);
}

/* A model that draws no noise and no parameters leaves every other model's
 * numbers exactly as they were. */
static void builtin_numbers_unchanged(void **state)
{
    (void)state;
    const char *with = write_cfg("extra_model_with", tally_body);
    char out_a[4300], out_b[4300];
    snprintf(out_a, sizeof out_a, "%s/run", gs_test_tmpdir("extra_model_a"));
    snprintf(out_b, sizeof out_b, "%s/run", gs_test_tmpdir("extra_model_b"));
    gs_error err;
    run a, b;
    if (run_into(with, 1, out_a, &a, &err))
        fail_msg("with: %s:%d: %s", err.file, err.line, err.msg);
    if (run_into(gs_test_source_path("configs/baseline.cfg"), 0, out_b, &b, &err))
        fail_msg("without: %s:%d: %s", err.file, err.line, err.msg);
    char *qa = slurp_in(out_a, "quantiles.csv"), *qb = slurp_in(out_b, "quantiles.csv");
    char *ta = slurp_in(out_a, "targets.csv"), *tb = slurp_in(out_b, "targets.csv");
    assert_non_null(qa);
    assert_non_null(qb);
    /* Without the tally rows, the files are the same bytes. */
    char *extra = rows_of(qa, "tally_level");
    assert_true(strlen(qa) == strlen(qb) + strlen(extra));
    assert_memory_equal(qa, qb, strlen(qb));
    assert_string_equal(ta, tb);
    assert_int_equal(gs_results_n_outputs(a.res), gs_results_n_outputs(b.res) + 1);
    for (size_t i = 0; i < gs_results_n_outputs(b.res); i++)
        assert_string_equal(gs_results_output(a.res, i)->name, gs_results_output(b.res, i)->name);
    free(extra);
    free(qa);
    free(qb);
    free(ta);
    free(tb);
    run_free(&a);
    run_free(&b);
}

/* Bad values of the model's keys are reported at their line, like any key. */
static void expect_error(const char *name, const char *body, int with_tally, int line,
                         const char *words)
{
    const char *cfg = write_cfg(name, body);
    char out[4300];
    snprintf(out, sizeof out, "%s/run", cfg); /* beside it: cfg's folder is fresh */
    *strrchr(out, '/') = '\0';
    *strrchr(out, '/') = '\0';
    strcat(out, "/run");
    gs_error err;
    run r;
    gs_status st = run_into(cfg, with_tally, out, &r, &err);
    run_free(&r);
    if (st != GS_ECONFIG || strcmp(err.file, cfg) != 0 || err.line != line ||
        !strstr(err.msg, words))
        fail_msg("%s: status %d, %s:%d: %s (expected line %d, \"%s\")", name, (int)st, err.file,
                 err.line, err.msg, line, words);
    FILE *f = fopen(out, "r");
    assert_null(f); /* nothing written */
}

static void params_checked_with_lines(void **state)
{
    (void)state;
    /* Line 1 is the inherit line. */
    expect_error("extra_model_range", "tally = {\n  start = 100.0;\n  rate = 7.0;\n};\n", 1, 4,
                 "tally.rate");
    expect_error("extra_model_typo", "tally = {\n  start = 100.0;\n  rat = 0.05;\n};\n", 1, 4,
                 "did you mean \"tally.rate\"");
    expect_error("extra_model_missing", "tally = {\n  rate = 0.05;\n};\n", 1, 2,
                 "missing required key \"tally.start\"");
    expect_error("extra_model_bind", "tally = {\n  start = 1.0;\n  until = 1990;\n};\n", 1, 4,
                 "not after the base year");
    /* Without the model its keys are no keys at all. */
    expect_error("extra_model_absent", tally_body, 0, 2, "tally");
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(outputs_summary_and_table),
        cmocka_unit_test(builtin_numbers_unchanged),
        cmocka_unit_test(params_checked_with_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
