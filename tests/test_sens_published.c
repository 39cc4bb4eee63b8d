/* The delta and PAWN estimators against values published for them on the
 * Ishigami function, at the design size they were published for.
 *
 * SALib, the reference implementation of both in Python, cannot be run here
 * (it is not packaged for Debian and PyPI is out of reach), so these are
 * the numbers its authors and the methods' authors wrote down:
 *
 *   delta: SALib's regression test of its delta estimator (Plischke,
 *   Borgonovo and Smith 2013, the estimator gapsim implements):
 *   github.com/SALib/SALib, tests/test_regression.py (commit 1c37548),
 *   test_regression_delta: Ishigami
 *   (a = 7, b = 0.1) on a Latin hypercube of 10,000 rows, 10 resamples,
 *   delta = [0.210, 0.358, 0.155] and S1 = [0.31, 0.44, 0.00].
 *
 *   PAWN: Pianosi and Wagener (2018), Environmental Modelling & Software
 *   108, 197-207, section 3.1, as taken into SALib's own test
 *   (tests/test_pawn.py at commit 3c16382, test_pawn_analyze): Ishigami-Homma with
 *   a = 2, b = 1 on a Latin hypercube of 500 rows, 10 conditioning
 *   intervals, the median KS statistic = [0.5, 0.16, 0.29].
 *
 * Tolerance.  A published value is itself one estimate from another random
 * design of the same size, so ours and it differ by two independent
 * sampling errors: a standard deviation of sqrt(2) se, where se is the
 * bootstrap standard error our *_conf gives as a 95 % half-width (1.96 se).
 * 2 * conf = 3.92 se = 2.8 such standard deviations: a correct estimator
 * fails this with probability about 0.5 %, at a fixed seed never.  The
 * rounding of the published digits is added (half a unit of the last
 * digit).  S1 is compared with Ishigami's analytic first-order indices. */
#include "testutil.h"
#include "testutil_sens.h"

#include "gs_sens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static double ish_a, ish_b;

static double ishigami(const double *x)
{
    return sin(x[0]) + ish_a * sin(x[1]) * sin(x[1]) + ish_b * pow(x[2], 4) * sin(x[0]);
}

static void test_delta_ishigami(void **state)
{
    (void)state;
    ish_a = 7;
    ish_b = 0.1;
    gs_sens_problem *p = gs_test_cube(3, -PI, PI);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_latin_sample(p, 10000, 1, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, ishigami);
    gs_sens_boot_opts o = gs_sens_boot_opts_default();
    o.resamples = 10; /* as the published run */
    gs_sens_index *r = NULL;
    assert_int_equal(gs_sens_delta_analyze(3, s->x, y, s->rows, &o, &r, NULL), GS_OK);
    static const double published[3] = {0.210, 0.358, 0.155};
    /* Ishigami's analytic S1 (a = 7, b = 0.1): V1 / V and V2 / V with
     * V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50). */
    const double v1 = 0.5 * pow(1 + 0.1 * pow(PI, 4) / 5, 2), v2 = 49.0 / 8,
                 v13 = 0.01 * pow(PI, 8) * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
    const double s1[3] = {v1 / v, v2 / v, 0};
    for (size_t i = 0; i < 3; i++) {
        double c = gs_test_index_col(r, i, "delta_conf");
        assert_true(c > 0 && c < 0.03);
        assert_close(gs_test_index_col(r, i, "delta"), published[i], 0, 2 * c + 0.0005);
        /* against the exact value only our own error counts: 2 conf is
         * about 4 standard errors */
        assert_close(gs_test_index_col(r, i, "S1"), s1[i], 0, 2 * gs_test_index_col(r, i, "S1_conf") + 0.005);
    }
    gs_sens_index_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

static void test_pawn_ishigami(void **state)
{
    (void)state;
    ish_a = 2;
    ish_b = 1;
    gs_sens_problem *p = gs_test_cube(3, -PI, PI);
    gs_sens_sample *s = NULL;
    assert_int_equal(gs_sens_latin_sample(p, 500, 1, &s, NULL), GS_OK);
    double *y = gs_test_evaluate(s, ishigami);
    gs_sens_boot_opts o = gs_sens_boot_opts_default(); /* 100 resamples, 95 % */
    gs_sens_index *r = NULL;
    assert_int_equal(gs_sens_pawn_analyze(p, s->x, y, s->rows, 10, &o, &r, NULL), GS_OK);
    static const double published[3] = {0.5, 0.16, 0.29};
    for (size_t i = 0; i < 3; i++) {
        double c = gs_test_index_col(r, i, "median_conf");
        assert_true(c > 0 && c < 0.08);
        assert_close(gs_test_index_col(r, i, "median"), published[i], 0, 2 * c + 0.005);
    }
    /* The ranking the paper draws from them: x1, then x3, then x2. */
    assert_true(gs_test_index_col(r, 0, "median") > gs_test_index_col(r, 2, "median"));
    assert_true(gs_test_index_col(r, 2, "median") > gs_test_index_col(r, 1, "median"));
    gs_sens_index_free(r);
    free(y);
    gs_sens_sample_free(s);
    gs_sens_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delta_ishigami),
        cmocka_unit_test(test_pawn_ishigami),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
