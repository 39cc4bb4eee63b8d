/* Sobol' and Morris estimators against functions whose indices are known. */
#include "testutil.h"
#include "testutil_sens.h"

#include "gs_sens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* Sobol' G function on [0,1]^k. */
static const double g_a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
static double gfun(const double *x)
{
    double g = 1;
    for (size_t i = 0; i < 8; i++)
        g *= (fabs(4 * x[i] - 2) + g_a[i]) / (1 + g_a[i]);
    return g;
}

/* A fixed design and seed make these checks deterministic; the tolerance
 * says why they would hold for any seed.  *_conf is the 95 % bootstrap
 * half-width, 1.96 bootstrap standard errors, so 2 * conf is about 4 standard
 * errors (a normal estimator strays that far with probability 6e-5).  The
 * bootstrap treats the quasi-random rows as independent, which overstates
 * their error, so this is conservative for the random part.  The ratio
 * estimators also carry a bias of order 1/N, far below the 0.01 absolute
 * allowed at N = 8192; that term keeps indices whose interval is near zero
 * (an inert factor's S1) from failing on rounding-level noise. */
static void assert_index(double est, double conf, double exact)
{
    /* A wide interval would make the check vacuous. */
    assert_true(conf > 0 && conf < 0.06);
    assert_close(est, exact, 0, 2 * conf + 0.01);
}

static void test_sobol_layout(void **state)
{
    (void)state;
    const double lo[3] = {0, -2, 10}, hi[3] = {1, 5, 20};
    gs_sens_problem *p = gs_test_problem(3, lo, hi);
    for (int so = 0; so <= 1; so++) {
        gs_sens_sample *s = NULL;
        assert_int_equal(gs_sens_sobol_sample(p, 16, so, 1, &s, NULL), GS_OK);
        size_t k = 3, step = so ? 2 * k + 2 : k + 2;
        assert_int_equal(s->rows, 16 * step);
        assert_int_equal(s->rows, gs_sens_sobol_rows(16, 3, so));
        assert_int_equal(s->k, 3);
        for (size_t r = 0; r < s->rows; r++)
            for (size_t i = 0; i < k; i++) {
                assert_true(s->x[r * k + i] >= lo[i]);
                assert_true(s->x[r * k + i] <= hi[i]);
            }
        /* No two rows of the design are the same point: the shift keeps A
         * and B apart in every column (unshifted, GSL's first point is
         * (1/2, ..., 1/2) in A and B alike and its k + 2 rows coincide). */
        for (size_t r = 0; r < s->rows; r++)
            for (size_t q = r + 1; q < s->rows; q++)
                assert_memory_not_equal(s->x + r * k, s->x + q * k, k * sizeof(double));
        for (size_t j = 0; j < 16; j++) {
            const double *a = s->x + j * step * k, *b = a + (step - 1) * k;
            for (size_t i = 0; i < k; i++) {
                const double *ab = a + (1 + i) * k;
                for (size_t c = 0; c < k; c++)
                    assert_true(ab[c] == (c == i ? b[c] : a[c]));
                if (so) {
                    const double *ba = a + (1 + k + i) * k;
                    for (size_t c = 0; c < k; c++)
                        assert_true(ba[c] == (c == i ? a[c] : b[c]));
                }
            }
        }
        gs_sens_sample_free(s);
    }
    gs_sens_problem_free(p);
}

static void test_sobol_ishigami(void **state)
{
    (void)state;
    gs_sens_problem *p = gs_test_cube(3, -PI, PI);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_sobol_sample(p, 8192, true, 1, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, gs_test_ishigami);
    gs_sens_sobol_opts o = gs_sens_sobol_opts_default();
    o.second_order = true;
    gs_sens_sobol_result *r = NULL;
    assert_int_equal(gs_sens_sobol_analyze(3, y, s->rows, &o, &r, NULL), GS_OK);
    assert_int_equal(r->n, 8192);

    const double a = 7, b = 0.1, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
    const double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8,
                 v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    const double v = v1 + v2 + v13;
    const double s1[3] = {v1 / v, v2 / v, 0}, st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    assert_close(s1[0], 0.3139, 0, 1e-4); /* the literature's rounded values */
    assert_close(st[2], 0.2437, 0, 1e-4);
    for (size_t i = 0; i < 3; i++) {
        assert_index(r->S1[i], r->S1_conf[i], s1[i]);
        assert_index(r->ST[i], r->ST_conf[i], st[i]);
    }
    assert_index(r->S2[0 * 3 + 1], r->S2_conf[0 * 3 + 1], 0);
    assert_index(r->S2[0 * 3 + 2], r->S2_conf[0 * 3 + 2], v13 / v);
    assert_index(r->S2[1 * 3 + 2], r->S2_conf[1 * 3 + 2], 0);
    assert_true(isnan(r->S2[1 * 3 + 0]));
    gs_sens_sobol_result_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

static void test_sobol_gfunction(void **state)
{
    (void)state;
    gs_sens_problem *p = gs_test_cube(8, 0, 1);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_sobol_sample(p, 8192, true, 1, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, gfun);
    gs_sens_sobol_opts o = gs_sens_sobol_opts_default();
    o.second_order = true;
    o.seed = 12345;
    gs_sens_sobol_result *r = NULL;
    assert_int_equal(gs_sens_sobol_analyze(8, y, s->rows, &o, &r, NULL), GS_OK);

    double vi[8], prod = 1;
    for (size_t i = 0; i < 8; i++) {
        vi[i] = 1.0 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
        prod *= 1 + vi[i];
    }
    double v = prod - 1;
    for (size_t i = 0; i < 8; i++) {
        assert_index(r->S1[i], r->S1_conf[i], vi[i] / v);
        assert_index(r->ST[i], r->ST_conf[i], vi[i] * prod / (1 + vi[i]) / v);
    }
    /* The pair of the two strong factors interacts: S2 = V1 V2 / V. */
    assert_index(r->S2[0 * 8 + 1], r->S2_conf[0 * 8 + 1], vi[0] * vi[1] / v);
    assert_index(r->S2[2 * 8 + 7], r->S2_conf[2 * 8 + 7], vi[2] * vi[7] / v);
    gs_sens_sobol_result_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

static void test_sobol_errors(void **state)
{
    (void)state;
    gs_error e;
    gs_sens_problem *p = gs_test_cube(3, 0, 1);
    double y[999] = {0};
    gs_sens_sobol_result *r = NULL;
    assert_int_equal(gs_sens_sobol_analyze(3, y, 999, NULL, &r, &e), GS_EINPUT);
    assert_null(r);
    assert_string_equal(e.msg,
                        "999 rows, but sobol with 3 parameters needs a multiple of 5 (N*(k+2))");
    gs_sens_sobol_opts o = gs_sens_sobol_opts_default();
    o.second_order = true;
    assert_int_equal(gs_sens_sobol_analyze(3, y, 995, &o, &r, &e), GS_EINPUT);
    assert_non_null(strstr(e.msg, "multiple of 8 (N*(2k+2))"));
    y[7] = NAN;
    assert_int_equal(gs_sens_sobol_analyze(3, y, 10, NULL, &r, &e), GS_EINPUT);
    assert_int_equal(e.line, 8);
    gs_sens_problem_free(p);

    gs_sens_problem *big = gs_test_cube(21, 0, 1);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_sobol_sample(big, 16, false, 1, &s, &e), GS_EUSAGE);
    assert_null(s);
    assert_non_null(strstr(e.msg, "1 to 20 parameters"));
    gs_sens_problem_free(big);

    /* A constant output has no variance to share out: 0 / 0, so no index,
     * and a note that says why. */
    double c[20];
    for (size_t i = 0; i < 20; i++)
        c[i] = 3.5;
    assert_int_equal(gs_sens_sobol_analyze(3, c, 20, NULL, &r, &e), GS_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_true(isnan(r->S1[i]) && isnan(r->ST[i]) && isnan(r->S1_conf[i]));
        assert_non_null(strstr(r->note[i], "does not vary"));
    }
    gs_sens_sobol_result_free(r);

    /* The output varies only in the AB rows, and over the A and B rows by
     * one part in 1e9: the estimators would divide by that.  Every index is
     * then far outside [0, 1] beyond its interval, or its resamples have no
     * variance; either way it is empty with a reason, never a huge number. */
    double t[5 * 40];
    for (size_t j = 0; j < 40; j++) {
        double *b = t + 5 * j;
        b[0] = b[4] = (j == 7) ? 1e-9 : 0;
        b[1] = (double)(j % 3);
        b[2] = (double)(j % 5);
        b[3] = 0;
    }
    assert_int_equal(gs_sens_sobol_analyze(3, t, 200, NULL, &r, &e), GS_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_true(isnan(r->S1[i]) || fabs(r->S1[i]) < 2);
        assert_true(isnan(r->ST[i]) || fabs(r->ST[i]) < 2);
        assert_non_null(r->note[i]);
    }
    gs_sens_sobol_result_free(r);
}

static void test_morris_layout(void **state)
{
    (void)state;
    const double lo[4] = {0, -3, 100, -1}, hi[4] = {1, 7, 101, 1};
    gs_sens_problem *p = gs_test_problem(4, lo, hi);
    const unsigned levels = 6;
    const double delta = levels / (2.0 * (levels - 1));
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_morris_sample(p, 30, levels, 99, &s, NULL), GS_OK);
    assert_int_equal(s->rows, 30 * 5);
    assert_int_equal(s->rows, gs_sens_morris_rows(30, 4));
    for (size_t r = 0; r < s->rows; r++) {
        for (size_t i = 0; i < 4; i++) {
            double x = s->x[r * 4 + i];
            assert_true(x >= lo[i] && x <= hi[i]);
            /* on the grid: (x - lo) / (hi - lo) * (p - 1) is a whole level */
            double lev = (x - lo[i]) / (hi[i] - lo[i]) * (levels - 1);
            assert_close(lev, round(lev), 0, 1e-9);
        }
    }
    for (size_t t = 0; t < 30; t++) {
        int moved[4] = {0};
        for (size_t m = 0; m < 4; m++) {
            const double *x0 = s->x + (t * 5 + m) * 4, *x1 = x0 + 4;
            int n = 0;
            for (size_t i = 0; i < 4; i++) {
                if (x0[i] != x1[i]) {
                    n++;
                    moved[i]++;
                    assert_close(fabs(x1[i] - x0[i]) / (hi[i] - lo[i]), delta, 1e-12, 0);
                }
            }
            assert_int_equal(n, 1);
        }
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(moved[i], 1);
    }
    gs_sens_sample_free(s);

    gs_error e;
    assert_int_equal(gs_sens_morris_sample(p, 30, 5, 1, &s, &e), GS_EUSAGE);
    assert_non_null(strstr(e.msg, "even number of levels"));
    gs_sens_problem_free(p);
}

static const double lin_c[4] = {2.5, -1.25, 0, 4};
static double linear(const double *x)
{
    return 10 + lin_c[0] * x[0] + lin_c[1] * x[1] + lin_c[2] * x[2] + lin_c[3] * x[3];
}

static void test_morris_linear(void **state)
{
    (void)state;
    /* On [0,1] a step of delta changes f by c_i delta: every effect is c_i,
     * up to rounding (1e-12).  On [-3, 7] the unit-scale effect is 10 c_i. */
    const double lo[4] = {0, 0, 0, -3}, hi[4] = {1, 1, 1, 7};
    gs_sens_problem *p = gs_test_problem(4, lo, hi);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_morris_sample(p, 20, 4, 5, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, linear);
    gs_sens_morris_result *r = NULL;
    assert_int_equal(gs_sens_morris_analyze(p, s->x, y, s->rows, NULL, &r, NULL), GS_OK);
    assert_int_equal(r->r, 20);
    for (size_t i = 0; i < 4; i++) {
        double c = lin_c[i] * (hi[i] - lo[i]);
        assert_close(r->mu[i], c, 1e-12, 1e-12);
        assert_close(r->mu_star[i], fabs(c), 1e-12, 1e-12);
        assert_close(r->sigma[i], 0, 0, 1e-12);
        assert_close(r->mu_star_conf[i], 0, 0, 1e-12);
    }
    gs_sens_morris_result_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

static double ishigami_plus(const double *x)
{
    return gs_test_ishigami(x) + 2.5 * x[3];
}

static void test_morris_ishigami(void **state)
{
    (void)state;
    const double lo[4] = {-PI, -PI, -PI, 0}, hi[4] = {PI, PI, PI, 1};
    gs_sens_problem *p = gs_test_problem(4, lo, hi);
    const size_t ntraj = 200;
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_morris_sample(p, ntraj, 4, 2024, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, ishigami_plus);
    gs_sens_morris_result *r = NULL;
    assert_int_equal(gs_sens_morris_analyze(p, s->x, y, s->rows, NULL, &r, NULL), GS_OK);

    /* The linear term: mu is its coefficient, no spread. */
    assert_close(r->mu[3], 2.5, 1e-12, 0);
    assert_close(r->sigma[3], 0, 0, 1e-12);

    /* x3 acts only through 0.1 x3^4 sin(x1).  On 4 levels a step of x3 is
     * between -pi and pi/3 or -pi/3 and pi, so |EE3| = 0.1 |sin x1|
     * (80/81) pi^4 / (2/3), and sin x1 is +-sqrt(3)/2 at half the levels and
     * 0 at the others: |EE3| is 0 or 12.50 with even odds, mean 6.249, sd
     * 6.249.  4 standard errors of a mean of 200: 4 * 6.249 / sqrt(200) = 1.77. */
    double big = 0.1 * (sqrt(3) / 2) * (80.0 / 81) * pow(PI, 4) / (2.0 / 3);
    assert_close(r->mu_star[2], big / 2, 0, 4 * (big / 2) / sqrt((double)ntraj));
    /* The sign of sin x1 flips the effect: |mu| well below mu*. */
    assert_true(fabs(r->mu[2]) < 0.5 * r->mu_star[2]);
    /* Every step of x2 changes 7 sin^2 x2 by 7 * 3/4 either way: |EE2| = 7.875. */
    assert_close(r->mu_star[1], 7.875, 1e-12, 0);
    assert_true(r->mu_star_conf[2] > 0);
    gs_sens_morris_result_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

static void test_morris_errors(void **state)
{
    (void)state;
    gs_sens_problem *p = gs_test_cube(2, 0, 1);
    gs_error e;
    gs_sens_morris_result *r = NULL;
    double x[7 * 2] = {0}, y[7] = {0};
    assert_int_equal(gs_sens_morris_analyze(p, x, y, 7, NULL, &r, &e), GS_EINPUT);
    assert_string_equal(e.msg,
                        "7 rows, but morris with 2 parameters needs a multiple of 3 (r*(k+1))");
    /* Rows 1 and 2 equal: no factor moved; the fault is at row 2. */
    assert_int_equal(gs_sens_morris_analyze(p, x, y, 6, NULL, &r, &e), GS_EINPUT);
    assert_int_equal(e.line, 2);
    assert_null(r);
    gs_sens_problem_free(p);
}

static void test_determinism(void **state)
{
    (void)state;
    gs_sens_problem *p = gs_test_cube(3, -PI, PI);
    gs_sens_sample *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(gs_sens_morris_sample(p, 10, 4, 42, &a, NULL), GS_OK);
    assert_int_equal(gs_sens_morris_sample(p, 10, 4, 42, &b, NULL), GS_OK);
    assert_int_equal(gs_sens_morris_sample(p, 10, 4, 43, &c, NULL), GS_OK);
    assert_memory_equal(a->x, b->x, a->rows * a->k * sizeof(double));
    assert_memory_not_equal(a->x, c->x, a->rows * a->k * sizeof(double));
    gs_sens_sample_free(a);
    gs_sens_sample_free(b);
    gs_sens_sample_free(c);

    assert_int_equal(gs_sens_sobol_sample(p, 64, false, 1, &a, NULL), GS_OK);
    double *y = gs_test_evaluate(a, gs_test_ishigami);
    gs_sens_sobol_opts o = gs_sens_sobol_opts_default();
    o.seed = 7;
    gs_sens_sobol_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
    assert_int_equal(gs_sens_sobol_analyze(3, y, a->rows, &o, &r1, NULL), GS_OK);
    assert_int_equal(gs_sens_sobol_analyze(3, y, a->rows, &o, &r2, NULL), GS_OK);
    o.seed = 8;
    assert_int_equal(gs_sens_sobol_analyze(3, y, a->rows, &o, &r3, NULL), GS_OK);
    assert_memory_equal(r1->S1_conf, r2->S1_conf, 3 * sizeof(double));
    assert_memory_equal(r1->ST_conf, r2->ST_conf, 3 * sizeof(double));
    /* The seed moves only the bootstrap, never the point estimates. */
    assert_memory_equal(r1->S1, r3->S1, 3 * sizeof(double));
    assert_memory_not_equal(r1->S1_conf, r3->S1_conf, 3 * sizeof(double));
    gs_sens_sobol_result_free(r1);
    gs_sens_sobol_result_free(r2);
    gs_sens_sobol_result_free(r3);
    free(y);
    gs_sens_sample_free(a);
    gs_sens_problem_free(p);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_problem_read(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("sens_problem");
    char path[4200];
    snprintf(path, sizeof path, "%s/problem.txt", dir);
    write_file(path, "# name lower upper\n\nalpha 0 1\nbeta, -2.5, 3 # comma form\n"
                     "gamma\t1e-3\t2e3\n");
    gs_sens_problem *p = NULL;
    gs_error e;
    assert_int_equal(gs_sens_problem_read(path, 0, &p, &e), GS_OK);
    assert_int_equal(p->k, 3);
    assert_string_equal(p->names[1], "beta");
    assert_close(p->lower[1], -2.5, 0, 0);
    assert_close(p->upper[2], 2e3, 0, 0);
    assert_int_equal(p->lines[2], 5);
    gs_sens_problem_free(p);

    static const struct {
        const char *text;
        int line;
        const char *msg;
    } bad[] = {
        {"a 0 1\nb 1 1\n", 2, "lower bound 1 of 'b' is not below its upper bound 1"},
        {"a 0 1\n\n# c\nb 0 x\n", 4, "upper bound 'x' of 'b' is not a number"},
        {"a 0\n", 1, "expected 3 to 5 columns (name lower upper [group] [dist]), found 2"},
        {"a 0 1 g unif x\n", 1,
         "expected 3 to 5 columns (name lower upper [group] [dist]), found 6"},
        {"a 0 1 NA beta\n", 1,
         "unknown distribution 'beta' of 'a' (expected unif, triang, norm, lognorm or logunif)"},
        {"a 0 0 NA norm\n", 1, "norm 'a' 0 0: standard deviation is not above 0"},
        {"a 0 1 g\nb 0 1 g\n", 0, "every parameter is in group 'g': groups need at least two"},
        {"a 0 1\na 2 3\n", 2, "duplicate parameter name 'a' (first on line 1)"},
        {"# nothing\n", 0, "no parameters (expected lines of 'name lower upper')"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i].text);
        p = (gs_sens_problem *)&e; /* must come back NULL */
        assert_int_equal(gs_sens_problem_read(path, 0, &p, &e), GS_EINPUT);
        assert_null(p);
        assert_string_equal(e.file, path);
        assert_int_equal(e.line, bad[i].line);
        assert_string_equal(e.msg, bad[i].msg);
    }
    gs_sens_problem_free(NULL);
    gs_sens_sample_free(NULL);
    gs_sens_sobol_result_free(NULL);
    gs_sens_morris_result_free(NULL);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sobol_layout),   cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_sobol_gfunction), cmocka_unit_test(test_sobol_errors),
        cmocka_unit_test(test_morris_layout),  cmocka_unit_test(test_morris_linear),
        cmocka_unit_test(test_morris_ishigami), cmocka_unit_test(test_morris_errors),
        cmocka_unit_test(test_determinism),    cmocka_unit_test(test_problem_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
