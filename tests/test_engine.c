/* The Monte Carlo engine: results that do not depend on the thread count,
 * reproducible seeds, partial blocks, early stopping on precision, memory
 * that does not grow with the number of trajectories, both samplers, the
 * optional per-trajectory files, and one statistical check of a mean. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gs_engine.h"
#include "gs_output.h"
#include "gs_scenario.h"
#include "testutil.h"

/* The baseline, cut to 2014-2020 to keep the runs short, with a 2019 target
 * (CSIA share >= 0.28) whose probability is near 0.5, so that its Wilson
 * interval narrows only slowly. */
static const char *const short_sets[] = {
    "scenario.horizon=2020", "outputs.report_years=[2019]", "targets.years=[2014, 2019]",
    "targets.values=[0.29, 0.28]", "targets.labels=[\"reference\", \"twenty-eight\"]"};
#define N_SHORT (sizeof short_sets / sizeof short_sets[0])

typedef struct fixture {
    gs_scenario *scn;
    gs_sim *sim;
} fixture;

static void fixture_load(fixture *f, const char *rel, const char *const *sets, size_t n)
{
    gs_error e;
    gs_error_clear(&e);
    memset(f, 0, sizeof *f);
    if (gs_scenario_load(gs_param_tables(), gs_test_source_path(rel), sets, n, &f->scn, &e) !=
            GS_OK ||
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

static gs_results *run(fixture *f, const gs_run_opts *o)
{
    gs_results *r = NULL;
    gs_error e;
    gs_error_clear(&e);
    if (gs_sim_run(f->sim, o, &r, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return r;
}

/* Every number a run reports, as raw bytes: equal fingerprints mean
 * bit-identical results. */
typedef struct fp {
    double *v;
    size_t n, cap;
} fp;

static void fp_add(fp *f, double x)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 1024;
        f->v = realloc(f->v, f->cap * sizeof *f->v);
        assert_non_null(f->v);
    }
    f->v[f->n++] = x;
}

static fp fingerprint(const gs_results *r)
{
    static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    fp f = {0};
    fp_add(&f, (double)gs_results_trajectories(r));
    for (size_t v = 0; v < gs_results_n_outputs(r); v++) {
        const gs_output_decl *d = gs_results_output(r, v);
        for (int t = gs_results_t0(r); t <= gs_results_T(r); t++) {
            fp_add(&f, gs_results_mean(r, v, t));
            fp_add(&f, gs_results_sd(r, v, t));
            for (size_t k = 0; k < 5; k++)
                fp_add(&f, gs_results_quantile(r, v, t, qs[k]));
            for (size_t l = 0; l < d->n_levels; l++)
                fp_add(&f, gs_results_level_prob(r, v, t, l));
        }
    }
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        double p, lo, hi;
        gs_results_tracker_prob(r, k, &p, &lo, &hi);
        fp_add(&f, p);
        fp_add(&f, lo);
        fp_add(&f, hi);
        for (size_t i = 0; i < 5; i++)
            fp_add(&f, gs_results_tracker_first(r, k, qs[i]));
        fp_add(&f, gs_results_tracker_never(r, k));
    }
    return f;
}

static int fp_equal(const fp *a, const fp *b)
{
    return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof *a->v) == 0;
}

static char *read_stream(FILE *f, size_t *len)
{
    fflush(f);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void write_dir(fixture *f, const gs_results *r, const char *dir, int threads)
{
    gs_run_info info;
    memset(&info, 0, sizeof info);
    info.config_file = "configs/baseline.cfg";
    info.seed = 5;
    info.trajectories_asked = gs_results_trajectories(r);
    info.sampler = "lhs";
    info.threads = threads;
    gs_error e;
    gs_error_clear(&e);
    if (gs_write_outputs(f->sim, r, &info, dir, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
}

static void same_file(const char *a_dir, const char *b_dir, const char *name)
{
    char pa[4300], pb[4300];
    snprintf(pa, sizeof pa, "%s/%s", a_dir, name);
    snprintf(pb, sizeof pb, "%s/%s", b_dir, name);
    size_t na, nb;
    char *a = gs_test_slurp(pa, &na), *b = gs_test_slurp(pb, &nb);
    assert_non_null(a);
    assert_non_null(b);
    if (na != nb || memcmp(a, b, na) != 0)
        fail_msg("%s and %s differ", pa, pb);
    free(a);
    free(b);
}

static void threads_do_not_matter(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    /* 5000 = 19 full blocks and one of 136, in two waves. */
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 5000;
    o.seed = 5;
    o.traj_max = 40;
    fp ref = {0};
    char *ref_params = NULL, *ref_traj = NULL;
    size_t ref_np = 0, ref_nt = 0;
    const char *dirs[3];
    for (int th = 1; th <= 3; th++) {
        o.threads = th;
        o.params_out = tmpfile();
        o.traj_out = tmpfile();
        assert_non_null(o.params_out);
        assert_non_null(o.traj_out);
        gs_results *r = run(&f, &o);
        fp got = fingerprint(r);
        size_t np, nt;
        char *params = read_stream(o.params_out, &np);
        char *traj = read_stream(o.traj_out, &nt);
        fclose(o.params_out);
        fclose(o.traj_out);
        char name[32];
        snprintf(name, sizeof name, "engine-threads%d", th);
        dirs[th - 1] = gs_test_tmpdir(name);
        write_dir(&f, r, dirs[th - 1], th);
        if (th == 1) {
            ref = got;
            ref_params = params;
            ref_traj = traj;
            ref_np = np;
            ref_nt = nt;
        } else {
            if (!fp_equal(&ref, &got))
                fail_msg("%d threads give other results than 1", th);
            assert_true(np == ref_np && memcmp(params, ref_params, np) == 0);
            assert_true(nt == ref_nt && memcmp(traj, ref_traj, nt) == 0);
            free(got.v);
            free(params);
            free(traj);
            /* The files, manifest.json apart (it records the thread count and
             * the clock), byte for byte. */
            static const char *files[] = {"quantiles.csv",     "targets.csv",
                                          "milestones.csv",    "year_gap_dist.csv",
                                          "tranches.csv",      "summary.txt"};
            for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
                same_file(dirs[0], dirs[th - 1], files[i]);
        }
        gs_results_free(r);
    }
    free(ref.v);
    free(ref_params);
    free(ref_traj);
    fixture_free(&f);
}

static void seeds_reproduce_and_differ(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 700;
    o.threads = 2;
    o.seed = 99;
    gs_results *a = run(&f, &o), *b = run(&f, &o);
    o.seed = 100;
    gs_results *c = run(&f, &o);
    fp fa = fingerprint(a), fb = fingerprint(b), fc = fingerprint(c);
    assert_true(fp_equal(&fa, &fb));
    assert_false(fp_equal(&fa, &fc));
    long s = gs_results_find(a, "share_csia");
    assert_true(s >= 0);
    /* Continuous means of 700 draws agree between seeds only by accident. */
    assert_true(gs_results_mean(a, (size_t)s, 2020) != gs_results_mean(c, (size_t)s, 2020));
    free(fa.v);
    free(fb.v);
    free(fc.v);
    gs_results_free(a);
    gs_results_free(b);
    gs_results_free(c);
    fixture_free(&f);
}

static void partial_block_and_files(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 300; /* one full block of 256 and 44 */
    o.seed = 3;
    o.traj_max = 7;
    o.params_out = tmpfile();
    o.traj_out = tmpfile();
    assert_non_null(o.params_out);
    assert_non_null(o.traj_out);
    gs_results *r = run(&f, &o);
    assert_int_equal(gs_results_trajectories(r), 300);
    /* Every trajectory counted once: discrete levels add up to all of them. */
    long g = gs_results_find(r, "gen_gap");
    assert_true(g >= 0);
    const gs_output_decl *d = gs_results_output(r, (size_t)g);
    double tot = 0;
    for (size_t l = 0; l < d->n_levels; l++)
        tot += gs_results_level_prob(r, (size_t)g, 2020, l);
    assert_close(tot, 1.0, 1e-12, 0);

    size_t np, nt;
    char *params = read_stream(o.params_out, &np);
    char *traj = read_stream(o.traj_out, &nt);
    fclose(o.params_out);
    fclose(o.traj_out);
    /* parameters.csv: a header and one row per trajectory, one column per
     * sampled parameter after the trajectory number. */
    assert_int_equal(count_lines(params), 1 + 300);
    size_t commas = 0;
    for (const char *p = params; *p != '\n'; p++)
        commas += *p == ',';
    assert_int_equal(commas, gs_scenario_ndims(f.scn));
    assert_true(strncmp(params, "trajectory,", 11) == 0);
    /* trajectories.csv: a header and one row per kept trajectory, year and
     * output. */
    size_t years = (size_t)(gs_results_T(r) - gs_results_t0(r) + 1);
    assert_int_equal(count_lines(traj), 1 + 7 * years * gs_results_n_outputs(r));
    assert_true(strncmp(traj, "trajectory,year,variable,value\r\n", 32) == 0);
    /* The base year is the initial state: every trajectory's 2014 CSIA
     * share is the configured anchor 0.29. */
    size_t seen = 0;
    for (char *line = strtok(traj, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        unsigned long long j;
        int year;
        char var[64];
        double x;
        if (sscanf(line, "%llu,%d,%63[^,],%lf", &j, &year, var, &x) != 4)
            continue;
        assert_true(j < 7);
        if (year == 2014 && strcmp(var, "share_csia") == 0) {
            assert_close(x, 0.29, 1e-12, 0);
            seen++;
        }
    }
    assert_int_equal(seen, 7);
    free(params);
    free(traj);
    gs_results_free(r);
    fixture_free(&f);
}

static void base_year_share_has_no_spread(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 1000;
    o.seed = 8;
    gs_results *r = run(&f, &o);
    long s = gs_results_find(r, "share_csia");
    assert_true(s >= 0);
    double p05 = gs_results_quantile(r, (size_t)s, 2014, 0.05);
    double p50 = gs_results_quantile(r, (size_t)s, 2014, 0.50);
    double p95 = gs_results_quantile(r, (size_t)s, 2014, 0.95);
    assert_true(p05 == p95 && p50 == p95);
    assert_close(p05, 0.29, 1e-12, 0);
    assert_close(gs_results_mean(r, (size_t)s, 2014), 0.29, 1e-12, 0);
    assert_close(gs_results_sd(r, (size_t)s, 2014), 0.0, 0, 1e-12);
    /* ...and it spreads once the years run. */
    assert_true(gs_results_sd(r, (size_t)s, 2016) > 0);
    gs_results_free(r);
    fixture_free(&f);
}

static void precision_stops_at_a_wave(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    const uint64_t wave = (uint64_t)GS_BLOCK_SIZE * GS_WAVE_BLOCKS;
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 200000;
    o.seed = 21;
    o.threads = 2;
    o.precision = 0.01;
    gs_results *r = run(&f, &o);
    uint64_t n = gs_results_trajectories(r);
    /* p near 0.5 needs n >= 1.96^2 * 0.25 / 0.01^2 = 9600 or so: the third
     * wave, long before the cap. */
    assert_true(n < o.n);
    assert_int_equal(n % wave, 0);
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        if (gs_results_tracker(r, k)->kind != GS_TRACK_TARGET)
            continue;
        double p, lo, hi;
        gs_results_tracker_prob(r, k, &p, &lo, &hi);
        assert_true((hi - lo) / 2 <= o.precision);
    }
    gs_results_free(r);

    /* A half-width no affordable run reaches: the cap ends the run, in the
     * middle of a wave. */
    o.n = 5000;
    o.precision = 1e-4;
    r = run(&f, &o);
    assert_int_equal(gs_results_trajectories(r), 5000);
    gs_results_free(r);
    fixture_free(&f);
}

/* Peak resident memory (kB) of the largest child so far (getrusage keeps the
 * maximum over waited-for children), after one more that runs n trajectories
 * having touched extra_mb megabytes.  Called in increasing order of what the
 * children use, so each call reports the child it made. */
static long child_peak_kb(fixture *f, uint64_t n, size_t extra_mb)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (extra_mb) {
            volatile char *p = malloc(extra_mb << 20);
            if (!p)
                _exit(3);
            for (size_t i = 0; i < (extra_mb << 20); i += 4096)
                p[i] = 1;
            free((void *)p); /* the peak is kept; valgrind sees no leak */
        }
        if (n) {
            gs_run_opts o;
            gs_run_opts_default(&o);
            o.seed = 4;
            o.threads = 2;
            o.n = n;
            gs_results *r = NULL;
            gs_error e;
            gs_error_clear(&e);
            if (gs_sim_run(f->sim, &o, &r, &e) != GS_OK || gs_results_trajectories(r) != n)
                _exit(4);
            gs_results_free(r);
        }
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
    return ru.ru_maxrss;
}

static void memory_does_not_grow_with_n(void **state)
{
    (void)state;
    /* Memory is shaped by outputs, years and the spread of values, never by
     * trajectories: the peak resident set of a run of 40000 trajectories is
     * within 10 % plus 4 MB (allocator slack) of one of 2000.  A run that kept
     * even one double per trajectory and output would need about 40 MB more.
     * A three-year horizon keeps the large run short. */
    static const char *const sets[] = {"scenario.horizon=2016", "outputs.report_years=[2015]",
                                       "targets.years=[2014]", "targets.values=[0.29]",
                                       "targets.labels=[\"reference\"]"};
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", sets, 5);
    long small = child_peak_kb(&f, 2000, 0);
    long big = child_peak_kb(&f, 40000, 0);
    print_message("peak resident memory: %ld kB at 2000 trajectories, at most %ld kB at 40000\n", small,
                  big);
    assert_true(small > 0);
    assert_true(big <= small + small / 10 + 4096);
    /* The measurement sees growth: a child that touches 128 MB (before its
     * run, so the peak is the larger of the two) shows at least 96 MB. */
    long grown = child_peak_kb(&f, 2000, 128);
    assert_true(grown >= 96 * 1024 && grown > small);
    fixture_free(&f);
}

static void samplers_agree_with_the_analytic_mean(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "configs/baseline.cfg", short_sets, N_SHORT);
    /* Production in China in 2014 is the made-in-China anchor times
     * consumption D0 (docs/model.md, the initial state), and D0 is the only
     * drawn parameter it depends on: its mean is 0.151 E[D0], E[D0] the
     * analytic mean of the lognormal read from the scenario (about 16.6). */
    const gs_scenario *scn = f.scn;
    double expect = gs_scenario_num(scn, "anchors.made_in_china") *
                    gs_dist_mean(&gs_scenario_get(scn, "market.consumption0")->dist);
    double means[2];
    for (int s = 0; s < 2; s++) {
        gs_run_opts o;
        gs_run_opts_default(&o);
        o.n = 20000;
        o.seed = 12345;
        o.threads = 2;
        o.sampler = s == 0 ? GS_SAMPLER_MC : GS_SAMPLER_LHS;
        gs_results *r = run(&f, &o);
        long v = gs_results_find(r, "production_in_china");
        assert_true(v >= 0);
        double m = gs_results_mean(r, (size_t)v, 2014);
        double se = gs_results_sd(r, (size_t)v, 2014) / sqrt((double)o.n);
        /* 4 Monte Carlo standard errors (sd about 1.3, so se about 0.01):
         * a false alarm has probability 6e-5 under plain Monte Carlo, and
         * Latin hypercube sampling only shrinks the error of a mean. */
        assert_close(m, expect, 0, 4 * se);
        means[s] = m;
        gs_results_free(r);
    }
    /* Two samplers, two sets of draws. */
    assert_true(means[0] != means[1]);
    fixture_free(&f);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_do_not_matter),
        cmocka_unit_test(seeds_reproduce_and_differ),
        cmocka_unit_test(partial_block_and_files),
        cmocka_unit_test(base_year_share_has_no_spread),
        cmocka_unit_test(precision_stops_at_a_wave),
        cmocka_unit_test(memory_does_not_grow_with_n),
        cmocka_unit_test(samplers_agree_with_the_analytic_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
