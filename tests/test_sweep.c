/* gapsim sweep as a library: sweep files and their errors, and every method
 * on cases whose answer is known. */
#include "testutil.h"

#include "gs_model.h"
#include "gs_sweep.h"

#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The deterministic scenario: every parameter a constant, no process noise
 * (market, tools, design sales, node steps; the frontier's drift given, not
 * drawn), no crunch and no export control, so that every trajectory is the
 * same and a target's probability is 0 or 1. */
static const char *det_scenario(const char *dir)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/det.cfg", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("scenario = { name = \"det\"; share_definition = \"made in China\";\n"
          "             base_year = 2014; horizon = 2035; };\n"
          "targets = { basis = \"made_in_china\"; years = [2030]; values = [0.8]; };\n"
          /* CSIA sales high enough for any swept consumption (the base year
           * needs production below them). */
          "anchors = { made_in_china = 0.151; csia_share = 0.29; csia_sales_cny = 1000.0; };\n"
          "market = { consumption0 = 153.0; growth = 0.055; growth_noise = 0.0;\n"
          "           cycle = { sd = 0.0; }; };\n"
          "fx = { base_year = 6.6; };\n"
          "frontier = { record = { years = [2011, 2012, 2014, 2016, 2018];\n"
          "                        nm = [28.0, 22.0, 14.0, 10.0, 7.0]; until = 2018; };\n"
          "             fit = false; drift = 0.2; noise = 0.0; };\n"
          "funds = { fund1 = { size = 138.7; year = 2014.5; paid_over = 3.5; };\n"
          "          fund2 = { size = 300.0; year = 2018.0; paid_over = 5.0; lag = 1.0; }; };\n"
          "tools = { base = 4.37; growth = 0.2; noise = 0.0; saturation = 0.6;\n"
          "          per_fund_usd = 0.2; };\n"
          "ownership = { foreign0 = 0.6; leader0 = 0.4; };\n"
          "capacity = { turnover = 0.4; };\n"
          "leader = { pinned = { years = [2015, 2019]; }; step = 4.0; step_noise = 0.0; };\n"
          "csia = { design_growth = 0.19; design_noise = 0.0; demand_drift = 0.14; };\n",
          f);
    fclose(f);
    return path;
}

/* Writes body into DIR/name and returns the path. */
static const char *write_file(const char *dir, const char *name, const char *body)
{
    static char path[8][4200];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 4200, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
    return p;
}

/* A sweep file on the deterministic scenario in dir, with the method's lines. */
static const char *sweep_file(const char *dir, const char *name, const char *lines)
{
    det_scenario(dir);
    char body[4096];
    snprintf(body, sizeof body, "sweep = {\n  name = \"%s\";\n  base = \"det.cfg\";\n%s};\n", name,
             lines);
    char fname[128];
    snprintf(fname, sizeof fname, "%s.cfg", name);
    return write_file(dir, fname, body);
}

static gs_sweep *load_ok(const char *file)
{
    gs_sweep *sw = NULL;
    gs_error e;
    gs_error_clear(&e);
    gs_status st = gs_sweep_load(file, &sw, &e);
    if (st != GS_OK)
        print_error("%s:%d: %s\n", e.file, e.line, e.msg);
    assert_int_equal(st, GS_OK);
    return sw;
}

static char *run_ok(const gs_sweep *sw, const char *out)
{
    gs_sweep_opts o;
    gs_sweep_opts_default(&o);
    gs_error e;
    gs_error_clear(&e);
    char *summary = NULL;
    gs_status st = gs_sweep_run(sw, &o, out, &summary, &e);
    if (st != GS_OK)
        print_error("%s:%d: %s\n", e.file, e.line, e.msg);
    assert_int_equal(st, GS_OK);
    assert_non_null(summary);
    return summary;
}

/* Rows of a CSV file written by a sweep (no quoted fields), header dropped. */
typedef struct {
    char *text;
    char *f[4096][16];
    size_t n;
} rows;

static void read_rows(rows *r, const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    r->text = gs_test_slurp(path, NULL);
    assert_non_null(r->text);
    r->n = 0;
    char *save = NULL;
    int first = 1;
    for (char *line = strtok_r(r->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (first) {
            first = 0;
            continue;
        }
        assert_true(r->n < 4096);
        size_t k = 0;
        r->f[r->n][k++] = line;
        for (char *p = line; *p; p++)
            if (*p == ',' && k < 16) {
                *p = '\0';
                r->f[r->n][k++] = p + 1;
            }
        while (k < 16)
            r->f[r->n][k++] = "";
        r->n++;
    }
}

static double numf(const char *s) { return *s ? strtod(s, NULL) : NAN; }

/* ------------------------------------------------------------------ */

static void parses_a_sweep_file(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-parse");
    const char *file = sweep_file(dir, "p",
                                  "  method = \"oat\";\n  trajectories = 5;\n  seed = 11;\n"
                                  "  metrics = [\"target:2030\", \"consumption@2014:mean\"];\n"
                                  "  parameters = (\n"
                                  "    { path = \"market.consumption0\"; values = [300.0, 100.0]; },\n"
                                  "    { path = \"funds.fund2.size\"; min = 100.0; max = 900.0; }\n"
                                  "  );\n");
    gs_sweep *sw = load_ok(file);
    assert_string_equal(gs_sweep_method_name(sw), "oat");
    assert_string_equal(sw->name, "p");
    assert_int_equal(sw->trajectories, 5);
    assert_true(sw->has_seed);
    assert_int_equal(sw->seed, 11);
    assert_int_equal(sw->n_metrics, 2);
    assert_string_equal(sw->metrics[1], "consumption@2014:mean");
    assert_int_equal(sw->n_params, 2);
    assert_string_equal(sw->params[0].path, "market.consumption0");
    /* Listed values are kept sorted. */
    assert_int_equal(sw->params[0].n_values, 2);
    assert_close(sw->params[0].values[0], 100.0, 0, 0);
    assert_close(sw->params[1].max, 900.0, 0, 0);
    /* The base is found next to the sweep file. */
    assert_non_null(strstr(sw->base, "/det.cfg"));
    assert_int_equal(sw->params[1].line, 10);
    gs_sweep_free(sw);
    gs_sweep_free(NULL);
}

typedef struct {
    const char *lines;  /* the method's lines of the sweep group */
    int line;           /* expected line: 4 is the first of these */
    const char *msg;    /* expected in the message */
} bad_case;

static void rejects_bad_sweep_files(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"  method = \"oat\";\n  metrcs = [\"target:2030\"];\n", 5,
         "unknown key \"sweep.metrcs\" (did you mean \"sweep.metrics\"?)"},
        {"  method = \"sobl\";\n", 4, "method \"sobl\" is unknown (did you mean \"sobol\"?)"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  contour = 0.5;\n", 6,
         "contour does not apply to method \"oat\""},
        {"  method = \"morris\";\n  levels = 3;\n", 5, "levels must be even for Morris"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; min = 100.0; }\n  );\n",
         7, "funds.fund2.size: give both min and max, or neither"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; valus = [1.0]; }\n  );\n",
         7, "unknown key \"sweep.parameters.[0].valus\" (did you mean \"sweep.parameters.[0].values\"?)"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; }\n  );\n",
         7, "funds.fund2.size is a constant (300) in the base scenario: give min and max"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; values = [-5.0, 10.0]; }\n  );\n",
         7, "value -5 lies outside its range"},
        {"  method = \"grid\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; values = [1.0, 2.0]; }\n  );\n",
         6, "grid takes exactly two parameters"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\",\n"
         "    \"share_totl@2030:p50\"];\n  parameters = (\n"
         "    { path = \"funds.fund2.size\"; values = [1.0, 2.0]; }\n  );\n",
         5, "no output named \"share_totl\""},
        {"  method = \"goal\";\n  parameter = \"funds.fund2.size\";\n"
         "  metric = \"target:2030\";\n  level = 0.5;\n",
         1, "missing required key \"sweep.bracket\""},
        {"  method = \"goal\";\n  parameter = \"funds.fund2.size\";\n"
         "  metric = \"target:2031\";\n  level = 0.5;\n  bracket = [1.0, 2.0];\n",
         6, "metric: metric \"target:2031\": the scenario has no share target for that year"},
        {"  method = \"oat\";\n  trajectories = 2.5;\n", 5,
         "sweep.trajectories = 2.5: expected a whole number"},
        {"  method = \"oat\";\n  seed = 5000000000L;\n", 5,
         "sweep.seed = 5000000000 is out of range [0, 4294967295]"},
        {"  method = \"sobol\";\n  by_year = 3;\n", 5,
         "sweep.by_year: expected a string in quotes, not an integer"},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n  parameters = (\n"
         "    { min = 1.0; max = 2.0; }\n  );\n",
         7, "missing required key \"sweep.parameters.[0].path\""},
        {"  method = \"oat\";\n  metrics = [\"target:2030\"];\n"
         "  parameters = ( \"funds.fund2.size\" );\n",
         6, "sweep.parameters.[0]: expected a group { ... }"},
        {"  method = \"goal\";\n  parameter = \"funds.fund2.size\";\n"
         "  metric = \"target:2030\";\n  level = 0.5;\n  bracket = [2.0];\n",
         8, "bracket must be [low, high]"},
    };
    const char *dir = gs_test_tmpdir("sweep-bad");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *file = sweep_file(dir, "bad", cases[i].lines);
        gs_sweep *sw = NULL;
        gs_error e;
        gs_error_clear(&e);
        gs_status st = gs_sweep_load(file, &sw, &e);
        if (st != GS_ECONFIG || e.line != cases[i].line || !strstr(e.msg, cases[i].msg) ||
            strcmp(e.file, file) != 0)
            print_error("case %zu: status %d, %s:%d: %s\n", i, (int)st, e.file, e.line, e.msg);
        assert_int_equal(st, GS_ECONFIG);
        assert_null(sw);
        assert_string_equal(e.file, file);
        assert_int_equal(e.line, cases[i].line);
        assert_non_null(strstr(e.msg, cases[i].msg));
    }
    /* A syntax error is libconfig's, with its line. */
    const char *file = write_file(dir, "syntax.cfg", "sweep = {\n  name = \"x\";\n  method = = 1;\n};\n");
    gs_sweep *sw = NULL;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_sweep_load(file, &sw, &e), GS_ECONFIG);
    assert_int_equal(e.line, 3);
    /* So is a missing file. */
    assert_int_equal(gs_sweep_load("/nonexistent/sweep.cfg", &sw, &e), GS_ECONFIG);
    assert_null(sw);
}

/* OAT on a metric equal to its parameter: the base-year demand is
 * market.consumption0, exactly, in every trajectory. */
static void oat_known_answer(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-oat");
    const char *file = sweep_file(dir, "oat",
                                  "  method = \"oat\";\n  trajectories = 3;\n  seed = 5;\n"
                                  "  metrics = [\"consumption@2014:mean\", \"target:2030\", "
                                  "\"share@2030:mean\"];\n"
                                  "  parameters = (\n"
                                  "    { path = \"market.consumption0\"; values = [100.0, 200.0, 300.0]; },\n"
                                  "    { path = \"funds.fund2.size\"; values = [1000.0, 3000.0, "
                                  "10000.0, 50000.0]; }\n"
                                  "  );\n");
    gs_sweep *sw = load_ok(file);
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *summary = run_ok(sw, out);
    assert_non_null(strstr(summary, "8 model runs of 3 trajectories each, seed 5"));
    rows r;
    read_rows(&r, out, "oat.csv");
    /* 3 metrics x (3 + 4) values. */
    assert_int_equal(r.n, 21);
    /* Rows 0-2: consumption@2014:mean against market.consumption0: the value itself,
     * base 153 (the scenario's), delta = value - 153, position relative to
     * the swept range (300 - 100). */
    for (size_t i = 0; i < 3; i++) {
        double v = numf(r.f[i][2]);
        assert_string_equal(r.f[i][0], "consumption@2014:mean");
        assert_string_equal(r.f[i][1], "market.consumption0");
        assert_close(numf(r.f[i][4]), v, 1e-12, 0);
        assert_close(numf(r.f[i][5]), 153.0, 1e-12, 0);
        assert_close(numf(r.f[i][6]), v - 153.0, 1e-9, 1e-9);
        assert_close(numf(r.f[i][3]), (v - 153.0) / 200.0, 1e-9, 1e-12);
    }
    /* Rows 3-6: Fund II does not touch the base year. */
    for (size_t i = 3; i < 7; i++)
        assert_close(numf(r.f[i][4]), 153.0, 1e-12, 0);
    /* The target's probability is a step function of Fund II here: every
     * trajectory is the same, so it is 1 exactly when the share reaches 0.8
     * (row 7 + 4 of the same parameter, 14 + 3 of the share). */
    int zeros = 0, ones = 0;
    for (size_t j = 0; j < 4; j++) {
        double p = numf(r.f[10 + j][4]), share = numf(r.f[17 + j][4]);
        assert_string_equal(r.f[10 + j][0], "target:2030");
        assert_string_equal(r.f[17 + j][0], "share@2030:mean");
        assert_close(numf(r.f[10 + j][2]), numf(r.f[17 + j][2]), 0, 0);
        assert_close(p, share >= 0.8 ? 1.0 : 0.0, 0, 0);
        zeros += p == 0;
        ones += p == 1;
    }
    assert_true(zeros > 0 && ones > 0);
    assert_non_null(strstr(summary, "1. market.consumption0: 100 at 100, 300 at 300 (swing 200)"));
    free(r.text);
    free(summary);
    gs_sweep_free(sw);
}

/* Grid: the base-year demand is x whatever y; the contour at 150 crosses
 * each row at x = 150 exactly, since linear interpolation of a linear
 * function is exact. */
static void grid_known_answer(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-grid");
    const char *file = sweep_file(dir, "grid",
                                  "  method = \"grid\";\n  trajectories = 2;\n"
                                  "  metrics = [\"consumption@2014:mean\"];\n  contour = 150.0;\n"
                                  "  levels = 3;\n"
                                  "  parameters = (\n"
                                  "    { path = \"market.consumption0\"; min = 100.0; max = 200.0; },\n"
                                  "    { path = \"funds.fund2.size\"; values = [300.0, 600.0]; }\n"
                                  "  );\n");
    gs_sweep *sw = load_ok(file);
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *summary = run_ok(sw, out);
    rows r;
    read_rows(&r, out, "grid.csv");
    assert_int_equal(r.n, 6);
    static const double xs[3] = {100, 150, 200}, ys[2] = {300, 600};
    for (size_t i = 0; i < 6; i++) {
        /* y outer, x inner. */
        assert_close(numf(r.f[i][0]), xs[i % 3], 0, 0);
        assert_close(numf(r.f[i][1]), ys[i / 3], 0, 0);
        assert_close(numf(r.f[i][3]), xs[i % 3], 1e-12, 0);
    }
    free(r.text);
    read_rows(&r, out, "grid_contour.csv");
    assert_int_equal(r.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_close(numf(r.f[i][2]), 150.0, 1e-12, 0);
        assert_close(numf(r.f[i][3]), 1.0, 1e-12, 0);
    }
    free(r.text);
    free(summary);
    gs_sweep_free(sw);
}

/* Morris and Sobol' where the metric is one factor: the base-year demand
 * equals market.consumption0 and ignores Fund II. */
static void morris_and_sobol_known_answer(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-gsa");
    const char *params = "  parameters = (\n"
                         "    { path = \"market.consumption0\"; min = 100.0; max = 300.0; },\n"
                         "    { path = \"funds.fund2.size\"; min = 100.0; max = 900.0; }\n"
                         "  );\n";
    char lines[1024];
    snprintf(lines, sizeof lines,
             "  method = \"morris\";\n  trajectories = 1;\n  r = 4;\n  resamples = 50;\n"
             "  metrics = [\"consumption@2014:mean\"];\n%s",
             params);
    gs_sweep *sw = load_ok(sweep_file(dir, "mor", lines));
    char out[4200];
    snprintf(out, sizeof out, "%s/mor", dir);
    char *summary = run_ok(sw, out);
    rows r;
    read_rows(&r, out, "morris.csv");
    assert_int_equal(r.n, 2);
    /* Every elementary effect of demand0, in units of its range, is the
     * range itself (200); Fund II's are 0. */
    assert_close(numf(r.f[0][2]), 200.0, 1e-9, 0);
    assert_close(numf(r.f[0][3]), 200.0, 1e-9, 0);
    assert_close(numf(r.f[0][4]), 0.0, 0, 1e-9);
    assert_close(numf(r.f[1][3]), 0.0, 0, 0);
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    snprintf(lines, sizeof lines,
             "  method = \"sobol\";\n  trajectories = 1;\n  n = 64;\n  resamples = 200;\n"
             "  metrics = [\"consumption@2014:mean\"];\n  by_year = \"consumption\";\n%s",
             params);
    sw = load_ok(sweep_file(dir, "sob", lines));
    snprintf(out, sizeof out, "%s/sob", dir);
    summary = run_ok(sw, out);
    /* N (k + 2) = 16 * 4 runs. */
    assert_non_null(strstr(summary, "256 model runs"));
    read_rows(&r, out, "sobol.csv");
    assert_int_equal(r.n, 2);
    /* A function of demand0 alone: S1 = ST = 1 for it, 0 for Fund II.  For
     * Fund II the estimators are exact (its AB rows repeat A's outputs); for
     * demand0 they are Monte Carlo estimates from 64 base points, and their
     * 95 % bootstrap intervals must cover 1. */
    assert_close(numf(r.f[0][2]), 1.0, 0, numf(r.f[0][3]));
    assert_close(numf(r.f[0][4]), 1.0, 0, numf(r.f[0][5]));
    assert_close(numf(r.f[1][2]), 0.0, 0, 1e-12);
    assert_close(numf(r.f[1][4]), 0.0, 0, 1e-12);
    free(r.text);
    read_rows(&r, out, "sobol_by_year.csv");
    /* Every year from 2014 to 2035, two parameters each. */
    assert_int_equal(r.n, 2 * 22);
    assert_string_equal(r.f[0][0], "2014");
    assert_close(numf(r.f[0][2]), 1.0, 0, numf(r.f[0][3]));
    free(r.text);
    free(summary);
    gs_sweep_free(sw);
}

/* fast, rbd_fast, delta and pawn where the metric is one factor:
 * consumption@2014:mean = market.consumption0, and Fund II has no effect. */
static void index_methods_known_answer(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-index");
    const char *params = "  trajectories = 1;\n  metrics = [\"consumption@2014:mean\"];\n"
                         "  parameters = (\n"
                         "    { path = \"market.consumption0\"; min = 100.0; max = 300.0; },\n"
                         "    { path = \"funds.fund2.size\"; min = 100.0; max = 900.0; }\n"
                         "  );\n";
    char lines[1024], out[4200];
    rows r;

    /* eFAST, 65 points per curve, 2 replicates: 65 * 2 * 2 runs.  Along a
     * curve demand0 is a triangle wave, whose power lies at odd harmonics
     * (falling as 1 / h^4): the 4 harmonics of omega_0 = 8 hold 99.77 % of
     * it, so S1 = ST = 0.998 for demand0; Fund II's curve carries demand0
     * at frequency 1, whose odd harmonics miss omega_0's even multiples, so
     * its S1 is 0 and its ST the 0.2 % above omega_0 / 2.  0.01 bounds
     * both. */
    snprintf(lines, sizeof lines, "  method = \"fast\";\n  n = 65;\n  replicates = 2;\n%s",
             params);
    gs_sweep *sw = load_ok(sweep_file(dir, "fa", lines));
    snprintf(out, sizeof out, "%s/fa", dir);
    char *summary = run_ok(sw, out);
    assert_non_null(strstr(summary, "260 model runs"));
    read_rows(&r, out, "fast.csv");
    assert_int_equal(r.n, 2);
    assert_close(numf(r.f[0][2]), 1.0, 0, 0.01);
    assert_close(numf(r.f[0][4]), 1.0, 0, 0.01);
    assert_close(numf(r.f[1][2]), 0.0, 0, 0.01);
    assert_close(numf(r.f[1][4]), 0.0, 0, 0.01);
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    /* RBD-FAST on 256 Latin hypercube rows: demand0's reordered outputs are
     * one smooth period, S1 near 1; Fund II's are in random order, S1 0
     * within its interval (0.02 for the correction's residual bias). */
    snprintf(lines, sizeof lines, "  method = \"rbd_fast\";\n  n = 256;\n%s", params);
    sw = load_ok(sweep_file(dir, "rb", lines));
    snprintf(out, sizeof out, "%s/rb", dir);
    summary = run_ok(sw, out);
    read_rows(&r, out, "rbd_fast.csv");
    assert_true(numf(r.f[0][2]) > 0.95);
    assert_close(numf(r.f[1][2]), 0.0, 0, 2 * numf(r.f[1][3]) + 0.02);
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    /* delta: the output is a function of demand0 alone, so its S1 from the
     * classes is 1 less the variance within a class: with C classes of
     * equal count on a uniform factor, 1 / C^2 of it.  Plischke et al.'s
     * rule gives C = ceil(256^(2 / (7 + tanh(2.488)))) = 5 classes: S1 =
     * 0.96, to 0.005 for the hypercube's jitter.  Its delta is well above
     * Fund II's. */
    snprintf(lines, sizeof lines, "  method = \"delta\";\n  n = 256;\n  resamples = 30;\n%s",
             params);
    sw = load_ok(sweep_file(dir, "de", lines));
    snprintf(out, sizeof out, "%s/de", dir);
    summary = run_ok(sw, out);
    read_rows(&r, out, "delta.csv");
    assert_close(numf(r.f[0][4]), 1.0 - 1.0 / 25, 0, 0.005);
    assert_true(numf(r.f[0][2]) - numf(r.f[0][3]) > numf(r.f[1][2]) + numf(r.f[1][3]));
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    /* PAWN, 10 slides of a 400-row Latin hypercube: given demand0 in a
     * slide [a, b] of its range the output is uniform there, at KS distance
     * max(a, 1 - b) from the whole: median 0.7.  The hypercube puts exactly
     * one point in each 1/400 of the range, so the empirical CDFs are within
     * 1/40 (a slide) and 1/400 (all rows) of theirs: 0.03 bounds the error.
     * Fund II: each slide's outputs are a stratified draw of the whole, so
     * its distance is small (under 0.25, the 1 % DKW bound for 40 rows). */
    snprintf(lines, sizeof lines, "  method = \"pawn\";\n  n = 400;\n  resamples = 20;\n%s",
             params);
    sw = load_ok(sweep_file(dir, "pa", lines));
    snprintf(out, sizeof out, "%s/pa", dir);
    summary = run_ok(sw, out);
    read_rows(&r, out, "pawn.csv");
    assert_close(numf(r.f[0][4]), 0.7, 0, 0.03);
    assert_true(numf(r.f[1][4]) < 0.25);
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    /* fast with too few points per curve for its harmonics. */
    gs_error e;
    snprintf(lines, sizeof lines, "  method = \"fast\";\n  n = 40;\n%s", params);
    sw = NULL;
    assert_int_equal(gs_sweep_load(sweep_file(dir, "bad", lines), &sw, &e), GS_ECONFIG);
    assert_non_null(strstr(e.msg, "4 harmonics need more than 64"));
}

/* Goal seek on a known root: consumption@2014:mean = market.consumption0. */
static void goal_known_root(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-goal");
    gs_sweep *sw = load_ok(sweep_file(dir, "g",
                                      "  method = \"goal\";\n  trajectories = 1;\n"
                                      "  parameter = \"market.consumption0\";\n"
                                      "  metric = \"consumption@2014:mean\";\n  level = 200.0;\n"
                                      "  bracket = [100.0, 300.0];\n  tolerance = 0.01;\n"
                                      "  repeats = 1;\n"));
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *summary = run_ok(sw, out);
    rows r;
    read_rows(&r, out, "goal.csv");
    assert_int_equal(r.n, 2);
    for (size_t k = 0; k < 2; k++) {
        assert_string_equal(r.f[k][4], "found");
        /* Brent on a straight line converges within the tolerance asked (0.01). */
        assert_close(numf(r.f[k][5]), 200.0, 0, 0.01);
    }
    assert_non_null(strstr(summary, "consumption@2014:mean reaches 200 at market.consumption0 = 200"));
    free(r.text);
    free(summary);
    gs_sweep_free(sw);
}

/* Goal seek on a step: with identical trajectories target:2030 jumps from 0
 * to 1 where the share reaches 0.8; the final bracket must straddle that
 * point, and be no wider than the tolerance. */
static void goal_on_a_step(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-step");
    gs_sweep *sw = load_ok(sweep_file(dir, "s",
                                      "  method = \"goal\";\n  trajectories = 1;\n"
                                      "  parameter = \"funds.fund2.size\";\n"
                                      "  metric = \"target:2030\";\n  level = 0.5;\n"
                                      "  bracket = [1000.0, 50000.0];\n  tolerance = 10.0;\n"
                                      "  repeats = 0;\n"));
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *summary = run_ok(sw, out);
    rows r;
    read_rows(&r, out, "goal.csv");
    assert_int_equal(r.n, 1);
    assert_string_equal(r.f[0][4], "found");
    double lo = numf(r.f[0][6]), hi = numf(r.f[0][7]);
    assert_true(hi - lo <= 10.0 + 1e-9 * hi);
    const char *metric = "share@2030:mean";
    gs_run_opts ro;
    gs_run_opts_default(&ro);
    ro.n = 1;
    ro.seed = 1;
    char set_lo[64], set_hi[64];
    snprintf(set_lo, sizeof set_lo, "funds.fund2.size=%.17g", lo);
    snprintf(set_hi, sizeof set_hi, "funds.fund2.size=%.17g", hi);
    const char *sl[] = {set_lo}, *sh[] = {set_hi};
    double vlo, vhi;
    gs_error e;
    assert_int_equal(gs_sweep_point(sw->base, sl, 1, &ro, &metric, 1, &vlo, NULL, &e), GS_OK);
    assert_int_equal(gs_sweep_point(sw->base, sh, 1, &ro, &metric, 1, &vhi, NULL, &e), GS_OK);
    assert_true(vlo < 0.8);
    assert_true(vhi >= 0.8);
    free(r.text);
    free(summary);
    gs_sweep_free(sw);
}

/* A goal outside the bracket is an answer, said plainly. */
static void goal_unreachable(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-unreach");
    gs_sweep *sw = load_ok(sweep_file(dir, "u",
                                      "  method = \"goal\";\n  trajectories = 1;\n"
                                      "  parameter = \"market.consumption0\";\n"
                                      "  metric = \"consumption@2014:mean\";\n  level = 1000.0;\n"
                                      "  bracket = [100.0, 300.0];\n  repeats = 0;\n"));
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    char *summary = run_ok(sw, out);
    assert_non_null(strstr(summary, "consumption@2014:mean stays below 1000 for market.consumption0 in "
                                    "[100, 300]: highest 300 at 300."));
    rows r;
    read_rows(&r, out, "goal.csv");
    assert_string_equal(r.f[0][4], "below");
    assert_string_equal(r.f[0][5], "");
    free(r.text);
    free(summary);
    gs_sweep_free(sw);

    /* And from above. */
    sw = load_ok(sweep_file(dir, "a",
                            "  method = \"goal\";\n  trajectories = 1;\n"
                            "  parameter = \"market.consumption0\";\n"
                            "  metric = \"consumption@2014:mean\";\n  level = 50.0;\n"
                            "  bracket = [100.0, 300.0];\n  repeats = 0;\n"));
    summary = run_ok(sw, out);
    assert_non_null(strstr(summary, "stays above 50 for market.consumption0 in [100, 300]: lowest 100 "
                                    "at 100."));
    free(summary);
    gs_sweep_free(sw);
}

/* Common random numbers: the difference of a metric between two nearby
 * design points varies far less across seeds when both points share the
 * seed than when they do not. */
static void common_random_numbers(void **state)
{
    (void)state;
    const char *base = gs_test_source_path("configs/baseline.cfg");
    const char *metric = "share@2030:mean";
    const char *lo[] = {"funds.fund2.size=300"}, *hi[] = {"funds.fund2.size=330"};
    enum { R = 8 };
    double same[R], other[R];
    gs_run_opts ro;
    gs_run_opts_default(&ro);
    ro.n = 512;
    gs_error e;
    for (int s = 0; s < R; s++) {
        double a, b, c;
        ro.seed = 100 + (uint64_t)s;
        assert_int_equal(gs_sweep_point(base, lo, 1, &ro, &metric, 1, &a, NULL, &e), GS_OK);
        assert_int_equal(gs_sweep_point(base, hi, 1, &ro, &metric, 1, &b, NULL, &e), GS_OK);
        ro.seed = 900 + (uint64_t)s;
        assert_int_equal(gs_sweep_point(base, hi, 1, &ro, &metric, 1, &c, NULL, &e), GS_OK);
        same[s] = b - a;
        other[s] = c - a;
    }
    double v_same = gsl_stats_variance(same, 1, R), v_other = gsl_stats_variance(other, 1, R);
    print_message("variance of the difference: same seed %.3g, different seeds %.3g\n", v_same,
                  v_other);
    /* With different seeds the difference carries two independent Monte
     * Carlo errors: at most 2 sd^2 / n = 2 * 0.1^2 / 512 = 4e-5 (sd of the
     * 2030 share across trajectories about 0.1; Latin hypercube sampling
     * lowers it, to about 1e-5 measured).  With one seed only the
     * trajectories' response to 10 % more Fund II differs from seed to seed,
     * of order (0.0005)^2 (1.3e-7 measured).  Asking for a factor of 10
     * where about 80 is expected leaves room for 8-sample variance
     * estimates, whose 99.9 % range is about 0.1 to 3.5 times the truth. */
    assert_true(v_same * 10 < v_other);
    /* And the same seed gives a fund's effect its sign every time. */
    for (int s = 0; s < R; s++)
        assert_true(same[s] >= 0);
}

/* A design point the models refuse (a horizon before the base year, which
 * only the binding of the models checks) stops the sweep with the error a
 * run with the same --set gives, and leaves no points.csv behind. */
static void a_bad_point_is_an_error(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sweep-badpoint");
    const char *file = sweep_file(dir, "badpoint",
                                  "  method = \"oat\";\n  trajectories = 2;\n  seed = 5;\n"
                                  "  metrics = [\"target:2030\"];\n"
                                  "  sets = [\"market.growth=0.05\"];\n"
                                  "  parameters = (\n"
                                  "    { path = \"scenario.horizon\"; values = [2035.0, 2013.0]; }\n"
                                  "  );\n");
    gs_sweep *sw = load_ok(file);
    char out[4200];
    snprintf(out, sizeof out, "%s/out", dir);
    gs_sweep_opts o;
    gs_sweep_opts_default(&o);
    gs_error e, want;
    gs_error_clear(&e);
    gs_error_clear(&want);
    char *summary = NULL;
    assert_int_equal(gs_sweep_run(sw, &o, out, &summary, &e), GS_ECONFIG);
    assert_null(summary);
    /* The same scenario loaded with the same overrides, then bound. */
    const char *sets[] = {"market.growth=0.05", "scenario.horizon=2013"};
    gs_scenario *scn = NULL;
    gs_sim *sim = NULL;
    assert_int_equal(gs_scenario_load(gs_param_tables(), sw->base, sets, 2, &scn, &want), GS_OK);
    assert_int_equal(gs_sim_new(scn, gs_models_builtin(), &sim, &want), GS_ECONFIG);
    gs_scenario_free(scn);
    assert_string_equal(e.file, want.file);
    assert_int_equal(e.line, want.line);
    assert_string_equal(e.msg, want.msg);
    assert_non_null(strstr(e.msg, "scenario.horizon = 2013 is not after"));
    char pts[4300];
    snprintf(pts, sizeof pts, "%s/points.csv", out);
    FILE *f = fopen(pts, "r");
    assert_null(f);
    gs_sweep_free(sw);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_a_sweep_file),
        cmocka_unit_test(rejects_bad_sweep_files),
        cmocka_unit_test(oat_known_answer),
        cmocka_unit_test(grid_known_answer),
        cmocka_unit_test(morris_and_sobol_known_answer),
        cmocka_unit_test(index_methods_known_answer),
        cmocka_unit_test(goal_known_root),
        cmocka_unit_test(goal_on_a_step),
        cmocka_unit_test(goal_unreachable),
        cmocka_unit_test(common_random_numbers),
        cmocka_unit_test(a_bad_point_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
