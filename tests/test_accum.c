/* Accumulators: merging pieces must equal accumulating the union, and the
 * summaries must agree with GSL's own statistics and with hand counts. */
#include "testutil.h"

#include "gs_accum.h"
#include "gs_error.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

static const double PS[] = {0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0};
#define NPS (sizeof PS / sizeof PS[0])

static double *normal_sample(unsigned long seed, size_t n, double mu, double sigma)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = mu + gsl_ran_gaussian(r, sigma);
    gsl_rng_free(r);
    return x;
}

/* Splits [0, n) into uneven pieces, some of them empty: returns the number of
 * pieces and fills ends[] with their exclusive end indices. */
static size_t uneven_pieces(size_t n, size_t *ends, size_t max)
{
    static const size_t sizes[] = {1, 0, 7, 123, 2, 0, 555, 31, 1000, 3};
    size_t k = 0, at = 0;
    while (at < n && k + 1 < max) {
        size_t s = sizes[k % (sizeof sizes / sizeof sizes[0])];
        at = at + s > n ? n : at + s;
        ends[k++] = at;
    }
    ends[k++] = n;
    return k;
}

/* ---- moments ---------------------------------------------------------- */

static void moments_match_gsl(void **state)
{
    (void)state;
    enum { N = 5000 };
    /* A large offset against a small spread: the naive sum-of-squares formula
     * loses digits here; Welford must not. */
    double *x = normal_sample(11, N, 1.0e6, 2.5);
    gs_moments m;
    gs_moments_init(&m);
    for (size_t i = 0; i < N; i++)
        gs_moments_add(&m, x[i]);
    double mn, mx;
    gsl_stats_minmax(&mn, &mx, x, 1, N);
    assert_int_equal(m.n, N);
    /* Both are accurate to a few ulps of the mean; 1e-13 of 1e6 is 1e-7. */
    assert_close(gs_moments_mean(&m), gsl_stats_mean(x, 1, N), 1e-13, 0);
    /* GSL uses two passes; Welford's one pass loses a little more as n and
     * mean/sd (4e5 here) grow: about 6e-13 relative is seen, 1e-10 allowed. */
    assert_close(gs_moments_sd(&m), gsl_stats_sd(x, 1, N), 1e-10, 0);
    assert_true(m.min == mn);
    assert_true(m.max == mx);
    free(x);
}

static void moments_small_n(void **state)
{
    (void)state;
    gs_moments m;
    gs_moments_init(&m);
    assert_true(isnan(gs_moments_mean(&m)));
    assert_true(isnan(gs_moments_sd(&m)));
    gs_moments_add(&m, 0.29);
    assert_true(gs_moments_mean(&m) == 0.29);
    assert_true(isnan(gs_moments_sd(&m)));
    assert_true(m.min == 0.29 && m.max == 0.29);
    gs_moments_add(&m, 0.29);
    assert_true(gs_moments_mean(&m) == 0.29);
    assert_true(gs_moments_sd(&m) == 0.0);
    gs_moments_add(&m, 1.0);
    gs_moments_add(&m, 3.0);
    /* {0.29, 0.29, 1, 3}: mean 1.145, sample variance 1.6540333... */
    assert_close(gs_moments_mean(&m), 1.145, 1e-15, 0);
    assert_close(gs_moments_sd(&m), sqrt((2 * 0.855 * 0.855 + 0.145 * 0.145 + 1.855 * 1.855) / 3),
                 1e-14, 0);
}

static void check_moments_equal(const gs_moments *a, const gs_moments *b)
{
    assert_int_equal(a->n, b->n);
    /* Pairwise and sequential updates round differently; 1e-12 relative is
     * thousands of ulps, far above either's error on 5000 values. */
    assert_close(gs_moments_mean(a), gs_moments_mean(b), 1e-12, 0);
    assert_close(gs_moments_sd(a), gs_moments_sd(b), 1e-12, 0);
    assert_true(a->min == b->min);
    assert_true(a->max == b->max);
}

static void moments_merge_equals_union(void **state)
{
    (void)state;
    enum { N = 5000 };
    double *x = normal_sample(12, N, -3.0, 7.0);
    gs_moments all;
    gs_moments_init(&all);
    for (size_t i = 0; i < N; i++)
        gs_moments_add(&all, x[i]);

    /* Two halves. */
    gs_moments a, b;
    gs_moments_init(&a);
    gs_moments_init(&b);
    for (size_t i = 0; i < N / 2; i++)
        gs_moments_add(&a, x[i]);
    for (size_t i = N / 2; i < N; i++)
        gs_moments_add(&b, x[i]);
    gs_moments_merge(&a, &b);
    check_moments_equal(&a, &all);

    /* Many uneven pieces, some empty, merged in order into an empty total. */
    size_t ends[64];
    size_t k = uneven_pieces(N, ends, 64);
    gs_moments total;
    gs_moments_init(&total);
    size_t at = 0;
    for (size_t j = 0; j < k; j++) {
        gs_moments piece;
        gs_moments_init(&piece);
        for (; at < ends[j]; at++)
            gs_moments_add(&piece, x[at]);
        gs_moments_merge(&total, &piece);
    }
    check_moments_equal(&total, &all);

    /* Merging an empty one changes nothing, in either direction. */
    gs_moments empty, copy = all;
    gs_moments_init(&empty);
    gs_moments_merge(&copy, &empty);
    assert_memory_equal(&copy, &all, sizeof all);
    gs_moments_merge(&empty, &all);
    assert_memory_equal(&empty, &all, sizeof all);
    free(x);
}

/* ---- histogram -------------------------------------------------------- */

static void hist_invalid_args(void **state)
{
    (void)state;
    assert_null(gs_hist_new(0.0, 1.0, 0));
    assert_null(gs_hist_new(1.0, 1.0, 10));
    assert_null(gs_hist_new(2.0, 1.0, 10));
    assert_null(gs_hist_new(NAN, 1.0, 10));
    assert_null(gs_hist_new(0.0, INFINITY, 10));
    gs_hist_free(NULL);
}

static void hist_accessors(void **state)
{
    (void)state;
    gs_hist *h = gs_hist_new(-1.0, 3.0, 8);
    assert_non_null(h);
    assert_int_equal(gs_hist_nbins(h), 8);
    assert_true(gs_hist_resolution(h) == 0.5);
    assert_true(gs_hist_bin_lower(h, 0) == -1.0);
    assert_true(gs_hist_bin_lower(h, 3) == 0.5);
    assert_true(gs_hist_bin_lower(h, 8) == 3.0);
    assert_int_equal(gs_hist_count(h), 0);
    assert_true(isnan(gs_hist_quantile(h, 0.5)));
    gs_hist_add(h, 0.7);
    assert_true(gs_hist_bin_count(h, 3) == 1.0);
    assert_true(gs_hist_bin_count(h, 2) == 0.0);
    gs_hist_reset(h);
    assert_int_equal(gs_hist_count(h), 0);
    assert_true(gs_hist_bin_count(h, 3) == 0.0);
    assert_true(isnan(gs_hist_quantile(h, 0.5)));
    gs_hist_free(h);
}

static void check_hist_equal(const gs_hist *a, const gs_hist *b)
{
    assert_int_equal(gs_hist_count(a), gs_hist_count(b));
    assert_true(gs_hist_underflow(a) == gs_hist_underflow(b));
    assert_true(gs_hist_overflow(a) == gs_hist_overflow(b));
    for (size_t i = 0; i < gs_hist_nbins(a); i++)
        assert_true(gs_hist_bin_count(a, i) == gs_hist_bin_count(b, i));
    /* Same counts and extremes give the same quantiles, bit for bit. */
    for (size_t j = 0; j < NPS; j++)
        assert_true(gs_hist_quantile(a, PS[j]) == gs_hist_quantile(b, PS[j]));
}

static void hist_merge_equals_union(void **state)
{
    (void)state;
    enum { N = 5000 };
    /* The range cuts off both tails so that underflow and overflow merge too. */
    double *x = normal_sample(13, N, 0.0, 1.0);
    x[17] = NAN;
    x[4000] = INFINITY;
    gs_hist *all = gs_hist_new(-2.0, 2.5, 45);
    for (size_t i = 0; i < N; i++)
        gs_hist_add(all, x[i]);
    assert_true(gs_hist_underflow(all) > 0 && gs_hist_overflow(all) > 0);

    gs_hist *a = gs_hist_new(-2.0, 2.5, 45), *b = gs_hist_new(-2.0, 2.5, 45);
    for (size_t i = 0; i < N / 3; i++)
        gs_hist_add(a, x[i]);
    for (size_t i = N / 3; i < N; i++)
        gs_hist_add(b, x[i]);
    assert_int_equal(gs_hist_merge(a, b), GS_OK);
    check_hist_equal(a, all);

    size_t ends[64];
    size_t k = uneven_pieces(N, ends, 64);
    gs_hist *total = gs_hist_new(-2.0, 2.5, 45), *piece = gs_hist_new(-2.0, 2.5, 45);
    size_t at = 0;
    for (size_t j = 0; j < k; j++) {
        gs_hist_reset(piece);
        for (; at < ends[j]; at++)
            gs_hist_add(piece, x[at]);
        assert_int_equal(gs_hist_merge(total, piece), GS_OK);
    }
    check_hist_equal(total, all);

    gs_hist_free(all);
    gs_hist_free(a);
    gs_hist_free(b);
    gs_hist_free(total);
    gs_hist_free(piece);
    free(x);
}

static void hist_merge_mismatch(void **state)
{
    (void)state;
    gs_hist *h = gs_hist_new(0.0, 1.0, 10);
    gs_hist *other[3] = {gs_hist_new(0.0, 1.0, 11), gs_hist_new(0.0, 2.0, 10),
                         gs_hist_new(-0.5, 1.0, 10)};
    gs_hist_add(h, 0.55);
    for (size_t i = 0; i < 3; i++) {
        gs_hist_add(other[i], 0.25);
        assert_int_equal(gs_hist_merge(h, other[i]), GS_ERUN);
        gs_hist_free(other[i]);
    }
    /* A refused merge leaves the target as it was. */
    assert_int_equal(gs_hist_count(h), 1);
    assert_true(gs_hist_bin_count(h, 5) == 1.0);
    assert_true(gs_hist_quantile(h, 0.5) == 0.55);
    gs_hist_free(h);
}

static void hist_tails_and_nan(void **state)
{
    (void)state;
    gs_hist *h = gs_hist_new(0.0, 10.0, 10);
    gs_hist_add(h, -1.0);
    gs_hist_add(h, -1.0);
    gs_hist_add(h, -INFINITY);
    for (int i = 0; i < 4; i++)
        gs_hist_add(h, 5.0);
    gs_hist_add(h, 10.0);   /* the upper edge is outside [lo, hi) */
    gs_hist_add(h, 10.0);
    gs_hist_add(h, 20.0);
    gs_hist_add(h, NAN);
    gs_hist_add(h, NAN);
    assert_int_equal(gs_hist_count(h), 10);
    assert_true(gs_hist_underflow(h) == 3.0);
    assert_true(gs_hist_overflow(h) == 3.0);
    assert_true(gs_hist_bin_count(h, 5) == 4.0);
    /* Positions 1 and 2.5 of 10 lie in the underflow mass: the smallest value. */
    assert_true(gs_hist_quantile(h, 0.1) == -INFINITY);
    assert_true(gs_hist_quantile(h, 0.25) == -INFINITY);
    /* Position 5 is 2 of the 4 values into bin [5, 6): 5.5. */
    assert_true(gs_hist_quantile(h, 0.5) == 5.5);
    /* Position 7 is the top of that bin. */
    assert_true(gs_hist_quantile(h, 0.7) == 6.0);
    /* Position 9.5 lies in the overflow mass: the largest value. */
    assert_true(gs_hist_quantile(h, 0.95) == 20.0);
    assert_true(gs_hist_quantile(h, 1.0) == 20.0);

    /* Only NaN: nothing counted, no quantile. */
    gs_hist *g = gs_hist_new(0.0, 1.0, 4);
    gs_hist_add(g, NAN);
    assert_int_equal(gs_hist_count(g), 0);
    assert_true(isnan(gs_hist_quantile(g, 0.5)));
    /* Merging it in changes no count of h. */
    assert_int_equal(gs_hist_merge(g, g), GS_OK);
    gs_hist *h2 = gs_hist_new(0.0, 10.0, 10);
    gs_hist_add(h2, NAN);
    assert_int_equal(gs_hist_merge(h, h2), GS_OK);
    assert_int_equal(gs_hist_count(h), 10);
    assert_true(gs_hist_quantile(h, 0.5) == 5.5);
    gs_hist_free(g);
    gs_hist_free(h2);
    gs_hist_free(h);
}

static void hist_constant_is_exact(void **state)
{
    (void)state;
    /* 0.29 inside a bin, 0.3 on a computed bin edge, 2.0 in the overflow and
     * -7 in the underflow: each must come back exactly at every p. */
    static const double values[] = {0.29, 0.3, 0.0, 2.0, -7.0};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        gs_hist *h = gs_hist_new(0.0, 1.0, 100);
        for (int i = 0; i < 1000; i++)
            gs_hist_add(h, values[v]);
        for (size_t j = 0; j < NPS; j++)
            assert_true(gs_hist_quantile(h, PS[j]) == values[v]);
        gs_hist_free(h);
    }
}

/* Standard error of the sample p-quantile: sqrt(p (1 - p) / n) / f(x_p). */
static double quantile_se(double p, size_t n, double density)
{
    return sqrt(p * (1.0 - p) / (double)n) / density;
}

static void hist_quantiles_uniform(void **state)
{
    (void)state;
    enum { N = 100000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    gs_hist *h = gs_hist_new(0.0, 1.0, 100);
    for (size_t i = 0; i < N; i++)
        gs_hist_add(h, gsl_rng_uniform(r));
    for (size_t j = 0; j < NPS; j++) {
        double p = PS[j];
        /* One bin width (0.01) for the binning, plus 4 standard errors of the
         * sample quantile (density 1: at most 4 * 0.0016 = 0.0063 at p = 0.5);
         * at p = 0 or 1 the sample extreme is within ~1e-4 of 0 or 1. */
        double tol = gs_hist_resolution(h) + 4.0 * quantile_se(p, N, 1.0) + 1e-3;
        assert_close(gs_hist_quantile(h, p), p, 0, tol);
    }
    gs_hist_free(h);
    gsl_rng_free(r);
}

static void hist_quantiles_normal(void **state)
{
    (void)state;
    enum { N = 100000 };
    double *x = normal_sample(22, N, 10.0, 2.0);
    gs_hist *h = gs_hist_new(0.0, 20.0, 200);
    for (size_t i = 0; i < N; i++)
        gs_hist_add(h, x[i]);
    /* p = 0 and 1 are the sample extremes, which have no fixed true value. */
    for (size_t j = 1; j + 1 < NPS; j++) {
        double p = PS[j];
        double q = gsl_cdf_gaussian_Pinv(p, 2.0) + 10.0;
        double f = gsl_ran_gaussian_pdf(q - 10.0, 2.0);
        /* One bin width (0.1) plus 4 standard errors of the sample quantile
         * (largest at p = 0.01: 4 * 0.0021 = 0.034). */
        double tol = gs_hist_resolution(h) + 4.0 * quantile_se(p, N, f);
        assert_close(gs_hist_quantile(h, p), q, 0, tol);
    }
    double mn, mx;
    gsl_stats_minmax(&mn, &mx, x, 1, N);
    assert_true(gs_hist_quantile(h, 0.0) == mn);
    assert_true(gs_hist_quantile(h, 1.0) == mx);
    gs_hist_free(h);
    free(x);
}

/* ---- first passage ---------------------------------------------------- */

static void passage_by_hand(void **state)
{
    (void)state;
    gs_passage p;
    assert_int_equal(gs_passage_init(&p, 2025, 2030), GS_OK);
    assert_int_equal(gs_passage_total(&p), 0);
    assert_true(isnan(gs_passage_cdf(&p, 2027)));
    assert_int_equal(gs_passage_quantile(&p, 0.5), 2031);

    gs_passage_add(&p, 2025);
    gs_passage_add(&p, 2020);   /* before t0: counts as t0 */
    gs_passage_add(&p, 2027);
    gs_passage_add(&p, 2027);
    gs_passage_add(&p, 2030);
    gs_passage_add(&p, 2031);   /* after T: never */
    gs_passage_add(&p, 2099);
    for (int i = 0; i < 3; i++)
        gs_passage_add_never(&p);
    /* 2 in 2025, 2 in 2027, 1 in 2030, 5 never. */
    assert_int_equal(gs_passage_total(&p), 10);
    assert_int_equal(p.never, 5);
    assert_true(gs_passage_cdf(&p, 2024) == 0.0);
    assert_true(gs_passage_cdf(&p, 2025) == 0.2);
    assert_true(gs_passage_cdf(&p, 2026) == 0.2);
    assert_true(gs_passage_cdf(&p, 2027) == 0.4);
    assert_true(gs_passage_cdf(&p, 2029) == 0.4);
    assert_true(gs_passage_cdf(&p, 2030) == 0.5);
    assert_true(gs_passage_cdf(&p, 2050) == 0.5);

    assert_int_equal(gs_passage_quantile(&p, 0.05), 2025);
    assert_int_equal(gs_passage_quantile(&p, 0.2), 2025);
    assert_int_equal(gs_passage_quantile(&p, 0.25), 2027);
    assert_int_equal(gs_passage_quantile(&p, 0.4), 2027);
    assert_int_equal(gs_passage_quantile(&p, 0.5), 2030);
    /* Beyond half, the quantile lies in the "never" mass. */
    assert_int_equal(gs_passage_quantile(&p, 0.51), 2031);
    assert_int_equal(gs_passage_quantile(&p, 0.95), 2031);
    assert_int_equal(gs_passage_quantile(&p, 1.0), 2031);

    gs_passage_reset(&p);
    assert_int_equal(gs_passage_total(&p), 0);
    gs_passage_free(&p);
    gs_passage_free(&p);   /* a second free is harmless */
    gs_passage_free(NULL);
}

static void passage_decimal_quantiles(void **state)
{
    (void)state;
    /* Decimal fractions are not exact in binary, and 0.07 * 100 rounds to
     * 7.000000000000001: of 100 trajectories the 7 % point must still be the
     * 7th, as it is when counted by hand. */
    gs_passage p;
    assert_int_equal(gs_passage_init(&p, 2025, 2030), GS_OK);
    for (int i = 0; i < 7; i++)
        gs_passage_add(&p, 2026);
    for (int i = 0; i < 88; i++)
        gs_passage_add(&p, 2028);
    for (int i = 0; i < 5; i++)
        gs_passage_add(&p, 2029);
    assert_int_equal(gs_passage_quantile(&p, 0.05), 2026);
    assert_int_equal(gs_passage_quantile(&p, 0.07), 2026);
    assert_int_equal(gs_passage_quantile(&p, 0.08), 2028);
    assert_int_equal(gs_passage_quantile(&p, 0.95), 2028);
    assert_int_equal(gs_passage_quantile(&p, 0.96), 2029);
    gs_passage_free(&p);
}

static void passage_merge_equals_union(void **state)
{
    (void)state;
    enum { N = 3000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31);
    int years[N];
    for (size_t i = 0; i < N; i++)
        years[i] = 2023 + (int)gsl_rng_uniform_int(r, 15);   /* 2023..2037 */
    gsl_rng_free(r);

    gs_passage all, total, piece;
    assert_int_equal(gs_passage_init(&all, 2025, 2035), GS_OK);
    assert_int_equal(gs_passage_init(&total, 2025, 2035), GS_OK);
    assert_int_equal(gs_passage_init(&piece, 2025, 2035), GS_OK);
    for (size_t i = 0; i < N; i++)
        gs_passage_add(&all, years[i]);

    size_t ends[64];
    size_t k = uneven_pieces(N, ends, 64);
    size_t at = 0;
    for (size_t j = 0; j < k; j++) {
        gs_passage_reset(&piece);
        for (; at < ends[j]; at++)
            gs_passage_add(&piece, years[at]);
        assert_int_equal(gs_passage_merge(&total, &piece), GS_OK);
    }
    assert_int_equal(gs_passage_total(&total), N);
    assert_int_equal(total.never, all.never);
    assert_memory_equal(total.count, all.count, 11 * sizeof *all.count);

    gs_passage other;
    assert_int_equal(gs_passage_init(&other, 2025, 2036), GS_OK);
    assert_int_equal(gs_passage_merge(&total, &other), GS_ERUN);
    gs_passage_free(&other);
    assert_int_equal(gs_passage_init(&other, 2024, 2035), GS_OK);
    assert_int_equal(gs_passage_merge(&total, &other), GS_ERUN);
    gs_passage_free(&other);
    assert_int_equal(gs_passage_total(&total), N);

    assert_int_equal(gs_passage_init(&other, 2030, 2029), GS_ERUN);
    gs_passage_free(&other);

    gs_passage_free(&all);
    gs_passage_free(&total);
    gs_passage_free(&piece);
}

/* ---- Wilson ----------------------------------------------------------- */

static void wilson_known_values(void **state)
{
    (void)state;
    double p, lo, hi;
    /* References from the closed form evaluated independently in double
     * precision with z = Phi^-1(0.975) = 1.9599639845400536; they match the
     * published 4-digit values (0/100: 0 to 0.0370; 50/100: 0.4038 to
     * 0.5962; 3/10: 0.1078 to 0.6032). */
    gs_wilson(0, 100, &p, &lo, &hi);
    assert_true(p == 0.0 && lo == 0.0);
    assert_close(hi, 0.03699349820698566, 1e-12, 0);
    gs_wilson(50, 100, &p, &lo, &hi);
    assert_true(p == 0.5);
    assert_close(lo, 0.4038315303659957, 1e-12, 0);
    assert_close(hi, 0.5961684696340044, 1e-12, 0);
    gs_wilson(3, 10, &p, &lo, &hi);
    assert_close(p, 0.3, 1e-15, 0);
    assert_close(lo, 0.10779126740630104, 1e-12, 0);
    assert_close(hi, 0.6032218525388545, 1e-12, 0);
    gs_wilson(1, 1, &p, &lo, &hi);
    assert_true(p == 1.0 && hi == 1.0);
    assert_close(lo, 0.20654931437723745, 1e-12, 0);

    /* Symmetry: the interval of k/n mirrors that of (n-k)/n. */
    double p2, lo2, hi2;
    gs_wilson(17, 60, &p, &lo, &hi);
    gs_wilson(43, 60, &p2, &lo2, &hi2);
    assert_close(lo, 1.0 - hi2, 0, 1e-15);
    assert_close(hi, 1.0 - lo2, 0, 1e-15);
    assert_true(lo < p && p < hi);

    gs_wilson(0, 0, &p, &lo, &hi);
    assert_true(isnan(p) && isnan(lo) && isnan(hi));
    gs_wilson(5, 4, &p, &lo, &hi);
    assert_true(isnan(p) && isnan(lo) && isnan(hi));
}

static int quiet_gsl(void **state)
{
    (void)state;
    gs_gsl_quiet();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moments_match_gsl),
        cmocka_unit_test(moments_small_n),
        cmocka_unit_test(moments_merge_equals_union),
        cmocka_unit_test(hist_invalid_args),
        cmocka_unit_test(hist_accessors),
        cmocka_unit_test(hist_merge_equals_union),
        cmocka_unit_test(hist_merge_mismatch),
        cmocka_unit_test(hist_tails_and_nan),
        cmocka_unit_test(hist_constant_is_exact),
        cmocka_unit_test(hist_quantiles_uniform),
        cmocka_unit_test(hist_quantiles_normal),
        cmocka_unit_test(passage_by_hand),
        cmocka_unit_test(passage_decimal_quantiles),
        cmocka_unit_test(passage_merge_equals_union),
        cmocka_unit_test(wilson_known_values),
    };
    return cmocka_run_group_tests(tests, quiet_gsl, NULL);
}
