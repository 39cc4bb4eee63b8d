/* Gaussian copula: achieved rank correlations, uniform marginals, the open
 * interval at the extremes, and rejection of matrices that cannot be one. */
#include <float.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs_dist.h"
#include "testutil.h"

#define N_DRAWS 20000

/* Largest distance between the empirical CDF of x (sorted here) and the
 * uniform CDF on (0, 1). */
static double ks_uniform(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double lo = x[i] - (double)i / n, hi = (double)(i + 1) / n - x[i];
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

static void test_rank_correlation_and_marginals(void **state)
{
    (void)state;
    enum { D = 3 };
    const double rho[D * D] = {1.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 1.0};
    gs_error err;
    gs_copula *c = gs_copula_new(D, rho, &err);
    assert_non_null(c);
    assert_int_equal(gs_copula_dim(c), D);

    double *col = malloc(D * N_DRAWS * sizeof *col); /* column-major: col[j * N + i] */
    double *work = malloc(2 * N_DRAWS * sizeof *work);
    assert_non_null(col);
    assert_non_null(work);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31337);
    for (size_t i = 0; i < N_DRAWS; i++) {
        double u[D];
        for (size_t j = 0; j < D; j++)
            u[j] = gsl_rng_uniform_pos(r);
        gs_copula_apply(c, u);
        for (size_t j = 0; j < D; j++) {
            assert_true(u[j] > 0 && u[j] < 1);
            col[j * N_DRAWS + i] = u[j];
        }
    }
    gsl_rng_free(r);

    /* Spearman's rho of a bivariate normal with correlation r is
     * (6/pi) asin(r/2) exactly, which the copula inverts, so the sample
     * coefficient is unbiased up to O(1/n).  Its sd: the Fisher z of a
     * Spearman coefficient has variance about 1.06/(n-3) under normality
     * (Fieller, Hartley and Pearson 1957), and dz/drho = 1/(1 - rho^2), so
     * sd ~ 1.03 (1 - rho^2) / sqrt(n - 3), about (1 - rho^2)/sqrt(n - 1)
     * (at most 0.0073 here).  Tolerance: 4 of those sds. */
    for (size_t a = 0; a < D; a++)
        for (size_t b = a + 1; b < D; b++) {
            double target = rho[a * D + b];
            double got = gsl_stats_spearman(col + a * N_DRAWS, 1, col + b * N_DRAWS, 1, N_DRAWS, work);
            double sd = 1.03 * (1 - target * target) / sqrt(N_DRAWS - 3.0);
            if (!(fabs(got - target) <= 4 * sd))
                fail_msg("columns %zu,%zu: Spearman %.4f, target %.4f, tolerance %.4f", a, b, got,
                         target, 4 * sd);
        }

    /* Each marginal stays uniform: 1.63/sqrt(n) is the 1 % critical value of
     * the Kolmogorov-Smirnov statistic (0.0115 at n = 20000). */
    for (size_t j = 0; j < D; j++) {
        double dn = ks_uniform(col + j * N_DRAWS, N_DRAWS);
        if (!(dn < 1.63 / sqrt(N_DRAWS)))
            fail_msg("column %zu: KS distance %.5f from uniform", j, dn);
    }
    free(work);
    free(col);
    gs_copula_free(c);
}

static void test_identity_keeps_draws(void **state)
{
    (void)state;
    const double rho[4] = {1, 0, 0, 1};
    gs_copula *c = gs_copula_new(2, rho, NULL);
    assert_non_null(c);
    double u[2] = {0.123, 0.987};
    gs_copula_apply(c, u);
    /* Phi(Phi^-1(u)): GSL's pair agrees to ~1e-15 relative. */
    assert_close(u[0], 0.123, 1e-13, 0);
    assert_close(u[1], 0.987, 1e-13, 0);
    gs_copula_free(c);
}

static void test_extremes_stay_open(void **state)
{
    (void)state;
    /* With correlation 0.99 two extreme normal scores add up beyond what the
     * double CDF can tell from 0 or 1. */
    const double rho[4] = {1, 0.99, 0.99, 1};
    gs_copula *c = gs_copula_new(2, rho, NULL);
    assert_non_null(c);
    double lo[2] = {1e-300, 1e-300}, hi[2] = {1 - DBL_EPSILON / 2, 1 - DBL_EPSILON / 2};
    gs_copula_apply(c, lo);
    gs_copula_apply(c, hi);
    for (int j = 0; j < 2; j++) {
        assert_true(lo[j] > 0 && lo[j] < 1e-200);
        assert_true(hi[j] < 1 && hi[j] > 1 - 1e-10);
    }
    gs_copula_free(c);
}

typedef struct {
    size_t n;
    double rho[9];
    const char *msg;
} bad_matrix;

static const bad_matrix bad[] = {
    /* pairwise fine, jointly impossible: 1 and 2 alike, 1 and 3 opposite, 2 and 3 alike */
    {3, {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1}, "correlation matrix is not positive definite"},
    {2, {1, 0.5, 0.4, 1}, "not symmetric: row 2, column 1 is 0.4 but row 1, column 2 is 0.5"},
    {2, {1, 0.5, 0.5, 0.9}, "row 2, column 2 is 0.9; the diagonal must be 1"},
    {2, {1, 1.5, 1.5, 1}, "row 1, column 2 is 1.5; rank correlations lie between -1 and 1"},
    {2, {1, NAN, NAN, 1}, "row 1, column 2"},
    {0, {0}, "correlation matrix is empty"},
};

static void test_rejects_bad_matrices(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gs_error err;
        gs_error_clear(&err);
        gs_copula *c = gs_copula_new(bad[k].n, bad[k].rho, &err);
        if (c || err.code != GS_ECONFIG || !strstr(err.msg, bad[k].msg))
            fail_msg("case %zu: status %d, message \"%s\", want \"%s\"", k, (int)err.code, err.msg,
                     bad[k].msg);
    }
    gs_copula_free(NULL);
    assert_int_equal(gs_copula_dim(NULL), 0);
}

int main(void)
{
    gs_gsl_quiet(); /* the Cholesky of a bad matrix must return, not abort */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_correlation_and_marginals),
        cmocka_unit_test(test_identity_keeps_draws),
        cmocka_unit_test(test_extremes_stay_open),
        cmocka_unit_test(test_rejects_bad_matrices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
