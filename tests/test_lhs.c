/* Latin hypercube: one point per stratum in every column, values in (0, 1),
 * the same points for the same seed, and the variance reduction it exists for. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs_dist.h"
#include "testutil.h"

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

static void check_strata(size_t n, size_t d, unsigned long seed)
{
    double *u = malloc(n * d * sizeof *u);
    int *hits = malloc(n * sizeof *hits);
    assert_non_null(u);
    assert_non_null(hits);
    gsl_rng *r = rng(seed);
    gs_lhs_fill(r, n, d, u);
    for (size_t j = 0; j < d; j++) {
        memset(hits, 0, n * sizeof *hits);
        for (size_t i = 0; i < n; i++) {
            double v = u[i * d + j];
            assert_true(v > 0.0 && v < 1.0);
            hits[(size_t)(v * (double)n)]++;
        }
        for (size_t s = 0; s < n; s++)
            if (hits[s] != 1)
                fail_msg("n %zu, column %zu: stratum %zu has %d points", n, j, s, hits[s]);
    }
    gsl_rng_free(r);
    free(hits);
    free(u);
}

static void test_one_point_per_stratum(void **state)
{
    (void)state;
    check_strata(1, 1, 1);
    check_strata(1, 4, 2);
    check_strata(7, 1, 3);
    check_strata(100, 5, 4);
    check_strata(1000, 12, 5);
}

static void test_columns_are_shuffled(void **state)
{
    (void)state;
    /* Were the strata not permuted, or permuted alike, the columns would
     * agree on the stratum of every row; independent permutations of 100
     * strata put two columns in the same stratum in about one row. */
    enum { N = 100, D = 3 };
    double u[N * D];
    gsl_rng *r = rng(11);
    gs_lhs_fill(r, N, D, u);
    int same01 = 0, sorted0 = 1;
    for (size_t i = 0; i < N; i++) {
        same01 += (int)(u[i * D] * N) == (int)(u[i * D + 1] * N);
        if (i && u[i * D] < u[(i - 1) * D])
            sorted0 = 0;
    }
    /* Matches are ~Poisson(1): 10 or more has probability ~1e-7. */
    assert_true(same01 < 10);
    assert_false(sorted0);
    gsl_rng_free(r);
}

static void test_deterministic(void **state)
{
    (void)state;
    enum { N = 50, D = 4 };
    double a[N * D], b[N * D], c[N * D];
    gsl_rng *r = rng(2014);
    gs_lhs_fill(r, N, D, a);
    gsl_rng_free(r);
    r = rng(2014);
    gs_lhs_fill(r, N, D, b);
    gsl_rng_free(r);
    r = rng(2015);
    gs_lhs_fill(r, N, D, c);
    gsl_rng_free(r);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
}

/* Estimating E[u] = 1/2 by the mean of n points:
 * - plain Monte Carlo: sd of the estimate sqrt(1/(12 n)) = 0.02887 for n = 100;
 * - LHS: the mean is (sum of stratum indices + sum of n jitters) / n^2, whose
 *   only randomness is the jitters: sd sqrt(n / 12) / n^2 = 0.0002887, a
 *   factor n = 100 smaller.
 * Over 50 replications each sample sd has a relative standard error of about
 * 1/sqrt(2 * 49) = 10 %, so each is required within 35 % (3.5 of those) of its
 * theoretical value, and their ratio above 20 (the expected ratio is 100). */
static void test_variance_reduction(void **state)
{
    (void)state;
    enum { N = 100, REPS = 50 };
    double u[N], lhs[REPS], mc[REPS];
    gsl_rng *r = rng(7);
    for (size_t k = 0; k < REPS; k++) {
        gs_lhs_fill(r, N, 1, u);
        lhs[k] = gsl_stats_mean(u, 1, N);
        for (size_t i = 0; i < N; i++)
            u[i] = gsl_rng_uniform_pos(r);
        mc[k] = gsl_stats_mean(u, 1, N);
    }
    gsl_rng_free(r);
    double sd_lhs = gsl_stats_sd(lhs, 1, REPS), sd_mc = gsl_stats_sd(mc, 1, REPS);
    assert_close(sd_mc, sqrt(1.0 / (12.0 * N)), 0.35, 0);
    assert_close(sd_lhs, sqrt(N / 12.0) / (N * N), 0.35, 0);
    assert_true(sd_mc > 20 * sd_lhs);
    /* and both are unbiased: 4 standard errors of the mean of 50 estimates */
    assert_close(gsl_stats_mean(lhs, 1, REPS), 0.5, 0, 4 * sqrt(N / 12.0) / (N * N) / sqrt(REPS));
    assert_close(gsl_stats_mean(mc, 1, REPS), 0.5, 0, 4 * sqrt(1.0 / (12.0 * N)) / sqrt(REPS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_point_per_stratum),
        cmocka_unit_test(test_columns_are_shuffled),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_variance_reduction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
