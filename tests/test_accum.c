/* Accumulators: merging pieces must equal accumulating the union, and the
 * summaries must agree with GSL's own statistics and with hand counts. */
#include "testutil.h"

#include "gs_accum.h"
#include "gs_error.h"

#include <float.h>
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

/* ---- quantile sketch -------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The order statistic the sketch promises: x_(k), k = ceil(p n), k >= 1. */
static double order_stat(const double *sorted, size_t n, double p)
{
    double t = ceil(p * (double)n * (1.0 - 8.0 * DBL_EPSILON));
    size_t k = p <= 0.0 || t < 1.0 ? 1 : t >= (double)n ? n : (size_t)t;
    return sorted[k - 1];
}

/* Relative accuracy alpha, plus a few ulps for log() and exp() rounding at a
 * bucket edge. */
static void assert_within_alpha(double got, double want, double alpha)
{
    assert_close(got, want, alpha * (1.0 + 1e-9), 0.0);
}

static void sketch_invalid_args(void **state)
{
    (void)state;
    assert_null(gs_sketch_new(0.0, 100));
    assert_null(gs_sketch_new(-0.01, 100));
    assert_null(gs_sketch_new(0.6, 100));
    assert_null(gs_sketch_new(NAN, 100));
    assert_null(gs_sketch_new(0.01, 0));
    gs_sketch_free(NULL);
    gs_sketch *s = gs_sketch_new(0.01, 100), *t = gs_sketch_new(0.02, 100),
              *u = gs_sketch_new(0.01, 99);
    assert_non_null(s);
    gs_sketch_add(t, 1.0);
    gs_sketch_add(u, 1.0);
    /* Different accuracies or windows do not merge, and leave into alone. */
    assert_int_equal(gs_sketch_merge(s, t), GS_ERUN);
    assert_int_equal(gs_sketch_merge(s, u), GS_ERUN);
    assert_int_equal(gs_sketch_count(s), 0);
    gs_sketch_flag f;
    assert_true(isnan(gs_sketch_quantile(s, 0.5, &f)));
    assert_int_equal(f, GS_SKETCH_EMPTY);
    double lo, hi;
    assert_true(isnan(gs_sketch_cdf(s, 1.0, &lo, &hi)) && isnan(lo) && isnan(hi));
    gs_sketch_free(s);
    gs_sketch_free(t);
    gs_sketch_free(u);
}

/* Zeros, negatives, infinities and NaN by hand: ten values
 * -inf, -5, -5, -1e-300, 0, 0, 3, 4e-320 (subnormal), 7, +inf and two NaN. */
static void sketch_by_hand(void **state)
{
    (void)state;
    /* 64 buckets per binade at 1 %: 1e-300 .. 7 spans 999 binades. */
    gs_sketch *s = gs_sketch_new(0.01, 70000);
    static const double xs[] = {3.0, -5.0, 0.0, NAN, -INFINITY, 4e-320, -5.0,
                                INFINITY, 0.0, -1e-300, 7.0, NAN};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        assert_int_equal(gs_sketch_add(s, xs[i]), GS_OK);
    assert_int_equal(gs_sketch_count(s), 10);
    assert_int_equal(gs_sketch_nan(s), 2);
    assert_true(gs_sketch_min(s) == -INFINITY && gs_sketch_max(s) == INFINITY);
    gs_sketch_flag f;
    /* p = 0 and 1 (and ranks 1 and n) are the exact extremes. */
    assert_true(gs_sketch_quantile(s, 0.0, &f) == -INFINITY && f == GS_SKETCH_OK);
    assert_true(gs_sketch_quantile(s, 0.1, &f) == -INFINITY);
    assert_within_alpha(gs_sketch_quantile(s, 0.2, &f), -5.0, 0.01);   /* rank 2 */
    assert_within_alpha(gs_sketch_quantile(s, 0.3, &f), -5.0, 0.01);
    assert_within_alpha(gs_sketch_quantile(s, 0.4, &f), -1e-300, 0.01);
    assert_true(gs_sketch_quantile(s, 0.5, &f) == 0.0 && f == GS_SKETCH_OK);
    assert_true(gs_sketch_quantile(s, 0.6, &f) == 0.0);
    assert_within_alpha(gs_sketch_quantile(s, 0.7, &f), 4e-320, 0.01);
    assert_within_alpha(gs_sketch_quantile(s, 0.8, &f), 3.0, 0.01);
    assert_within_alpha(gs_sketch_quantile(s, 0.9, &f), 7.0, 0.01);
    assert_true(gs_sketch_quantile(s, 0.95, &f) == INFINITY);
    assert_true(gs_sketch_quantile(s, 1.0, &f) == INFINITY);
    assert_true(isnan(gs_sketch_quantile(s, NAN, &f)) && f == GS_SKETCH_EMPTY);
    /* CDF: exact off the buckets, bracketing on them. */
    double lo, hi;
    assert_true(gs_sketch_cdf(s, -6.0, &lo, &hi) == 0.1 && lo == 0.1 && hi == 0.1);
    gs_sketch_cdf(s, -5.0, &lo, &hi);
    assert_true(lo == 0.1 && hi == 0.3);
    gs_sketch_cdf(s, 0.0, &lo, &hi);
    assert_true(lo == 0.6 && hi == 0.6);
    gs_sketch_cdf(s, 5.0, &lo, &hi);
    assert_true(lo == 0.8 && hi == 0.8);
    assert_true(gs_sketch_cdf(s, INFINITY, &lo, &hi) == 1.0);
    assert_true(isnan(gs_sketch_cdf(s, NAN, &lo, &hi)));
    gs_sketch_reset(s);
    assert_int_equal(gs_sketch_count(s), 0);
    assert_int_equal(gs_sketch_nan(s), 0);
    assert_true(isnan(gs_sketch_quantile(s, 0.5, NULL)));
    gs_sketch_free(s);
}

/* A constant comes back exactly at every p, whatever its magnitude. */
static void sketch_constant_is_exact(void **state)
{
    (void)state;
    static const double values[] = {0.29, 0.3, 0.0, 2.0, -7.0, 62867.0, 1e300, -4.9e-324};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        gs_sketch *s = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
        for (int i = 0; i < 1000; i++)
            gs_sketch_add(s, values[v]);
        for (size_t j = 0; j < NPS; j++)
            assert_true(gs_sketch_quantile(s, PS[j], NULL) == values[v]);
        gs_sketch_free(s);
    }
}

/* Against the exact order statistics of samples spread over many orders of
 * magnitude and both signs: a lognormal with sigma 2.5 (20000 draws span
 * about 9 decades, inside the window of 14 decades), the same with random
 * signs, and with a tenth of exact zeros.
 * The promise is deterministic (not statistical): every quantile within
 * relative accuracy alpha of x_(ceil(p n)). */
static void sketch_matches_order_statistics(void **state)
{
    (void)state;
    enum { N = 20000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 31);
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    for (int kind = 0; kind < 3; kind++) {
        gs_sketch *s = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
        for (size_t i = 0; i < N; i++) {
            double v = gsl_ran_lognormal(r, 2.0, 2.5);
            if (kind >= 1 && gsl_rng_uniform(r) < 0.5)
                v = -v;
            if (kind == 2 && gsl_rng_uniform(r) < 0.1)
                v = 0.0;
            x[i] = v;
            assert_int_equal(gs_sketch_add(s, v), GS_OK);
        }
        qsort(x, N, sizeof *x, cmp_double);
        for (int j = 0; j <= 1000; j++) {
            double p = j / 1000.0;
            gs_sketch_flag f;
            double q = gs_sketch_quantile(s, p, &f);
            assert_int_equal(f, GS_SKETCH_OK);
            assert_within_alpha(q, order_stat(x, N, p), GS_SKETCH_ALPHA);
        }
        /* The exact empirical CDF lies within the sketch's bounds. */
        for (int j = 0; j < 200; j++) {
            double at = x[(size_t)j * (N / 200)] * (j % 3 == 0 ? 1.0 : 1.0007);
            size_t le = 0;
            while (le < N && x[le] <= at)
                le++;
            double lo, hi, mid = gs_sketch_cdf(s, at, &lo, &hi);
            double exact = (double)le / N;
            assert_true(lo <= exact && exact <= hi);
            assert_true(lo <= mid && mid <= hi);
        }
        gs_sketch_free(s);
    }
    free(x);
    gsl_rng_free(r);
}

static void check_sketch_equal(const gs_sketch *a, const gs_sketch *b)
{
    assert_int_equal(gs_sketch_count(a), gs_sketch_count(b));
    assert_int_equal(gs_sketch_nan(a), gs_sketch_nan(b));
    for (int j = 0; j <= 200; j++) {
        gs_sketch_flag fa, fb;
        double qa = gs_sketch_quantile(a, j / 200.0, &fa), qb = gs_sketch_quantile(b, j / 200.0, &fb);
        assert_int_equal(fa, fb);
        assert_true(qa == qb || (isnan(qa) && isnan(qb)));
    }
    for (double at = -50.0; at <= 50.0; at += 0.37) {
        double la, ha, lb, hb;
        gs_sketch_cdf(a, at, &la, &ha);
        gs_sketch_cdf(b, at, &lb, &hb);
        assert_true(la == lb && ha == hb);
    }
}

/* Merging pieces, in any grouping and order, gives the sketch of the union
 * bit for bit: this is what makes results independent of the thread count.
 * A small window (64 buckets at 1 %, a spread of about 3.6) forces collapses,
 * whose outcome must not depend on the order either. */
static void sketch_merge_equals_union(void **state)
{
    (void)state;
    enum { N = 3000 };
    double *x = normal_sample(12, N, 0.0, 10.0);
    for (int w = 0; w < 2; w++) {
        size_t keys = w ? 64 : GS_SKETCH_MAX_KEYS;
        gs_sketch *all = gs_sketch_new(0.01, keys);
        for (size_t i = 0; i < N; i++)
            gs_sketch_add(all, x[i]);
        size_t ends[64];
        size_t np = uneven_pieces(N, ends, 64);
        gs_sketch *fwd = gs_sketch_new(0.01, keys), *rev = gs_sketch_new(0.01, keys),
                  *piece = gs_sketch_new(0.01, keys);
        size_t at = 0;
        for (size_t k = 0; k < np; k++) {
            gs_sketch_reset(piece);
            for (; at < ends[k]; at++)
                gs_sketch_add(piece, x[at]);
            assert_int_equal(gs_sketch_merge(fwd, piece), GS_OK);
        }
        /* Reverse: pieces taken from the end, values added backwards. */
        for (size_t k = np; k-- > 0;) {
            gs_sketch_reset(piece);
            size_t from = k ? ends[k - 1] : 0;
            for (size_t i = ends[k]; i-- > from;)
                gs_sketch_add(piece, x[i]);
            assert_int_equal(gs_sketch_merge(rev, piece), GS_OK);
        }
        check_sketch_equal(all, fwd);
        check_sketch_equal(all, rev);
        assert_int_equal(gs_sketch_merge(all, all), GS_ERUN);
        gs_sketch_free(all);
        gs_sketch_free(fwd);
        gs_sketch_free(rev);
        gs_sketch_free(piece);
    }
    free(x);
}

/* Values spanning more buckets than the window: the quantiles nearest zero
 * are flagged and left NAN, never a clipped number; those inside the window
 * keep their accuracy, and the CDF bounds still hold the exact CDF. */
static void sketch_collapse_is_flagged(void **state)
{
    (void)state;
    enum { N = 1000 };
    /* 1e-6 .. 1e6 evenly in log: 12 decades; a 1 % sketch has 64 buckets
     * per binade, so 1024 buckets keep 16 binades, the top 4.8 decades: the
     * window starts within one bucket (a factor 1 + 1/64) of 1e6 / 2^16. */
    gs_sketch *s = gs_sketch_new(0.01, 1024);
    double x[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = pow(10.0, -6.0 + 12.0 * (double)i / (N - 1));
        gs_sketch_add(s, x[i]);
    }
    double gamma = 1.0 + 1.0 / 64;
    double floor_value = 1e6 / 65536.0;
    int flagged = 0, ok = 0;
    for (int j = 1; j < 100; j++) {
        double p = j / 100.0;
        gs_sketch_flag f;
        double q = gs_sketch_quantile(s, p, &f);
        double want = order_stat(x, N, p);
        if (f == GS_SKETCH_COLLAPSED) {
            assert_true(isnan(q));
            assert_true(want <= floor_value * gamma);
            flagged++;
        } else {
            assert_int_equal(f, GS_SKETCH_OK);
            assert_within_alpha(q, want, 0.01);
            assert_true(want >= floor_value / gamma);
            ok++;
        }
    }
    assert_true(flagged > 50 && ok > 30);
    /* The extremes are kept exactly even when collapsed. */
    assert_true(gs_sketch_quantile(s, 0.0, NULL) == 1e-6);
    assert_true(gs_sketch_quantile(s, 1.0, NULL) == x[N - 1]);
    for (size_t i = 0; i < N; i += 7) {
        double lo, hi;
        gs_sketch_cdf(s, x[i], &lo, &hi);
        double exact = (double)(i + 1) / N;
        assert_true(lo <= exact && exact <= hi);
    }
    assert_true(gs_sketch_buckets(s) <= 1024);
    gs_sketch_free(s);
}

/* The quantile of rank k by the ascending masses (gs_sketch_masses), with
 * c_lo collapsed values below the first mass and c_hi above the last: the
 * reference gs_sketch_quantile must equal bit for bit, whichever end it
 * counts from.  NaN stands for "collapsed". */
static double rank_reference(const gs_sketch *s, double p, uint64_t c_lo, uint64_t c_hi)
{
    static double v[8192];
    static uint64_t c[8192];
    uint64_t coll;
    double cmax;
    size_t m = gs_sketch_masses(s, v, c, 8192, &coll, &cmax);
    assert_true(m <= 8192);
    assert_int_equal(coll, c_lo + c_hi);
    uint64_t n = gs_sketch_count(s);
    double target = ceil(p * (double)n * (1.0 - 8.0 * DBL_EPSILON));
    uint64_t k = p <= 0.0 || target < 1.0 ? 1 : target >= (double)n ? n : (uint64_t)target;
    if (k == 1)
        return gs_sketch_min(s);
    if (k == n)
        return gs_sketch_max(s);
    uint64_t cum = c_lo;
    if (cum >= k)
        return NAN;
    for (size_t i = 0; i < m; i++) {
        cum += c[i];
        if (cum >= k)
            return v[i];
    }
    return NAN;
}

static void check_every_rank(const gs_sketch *s, uint64_t c_lo, uint64_t c_hi)
{
    uint64_t n = gs_sketch_count(s);
    for (uint64_t j = 0; j <= n + 1; j++) {
        double p = (double)j / (double)n;
        gs_sketch_flag f;
        double got = gs_sketch_quantile(s, p, &f);
        double want = rank_reference(s, p, c_lo, c_hi);
        if (isnan(want)) {
            assert_int_equal(f, GS_SKETCH_COLLAPSED);
            assert_true(isnan(got));
        } else {
            assert_int_equal(f, GS_SKETCH_OK);
            if (!(got == want || (isinf(got) && got == want)))
                fail_msg("p = %g: %.17g, want %.17g", p, got, want);
        }
    }
}

/* Every rank, counted from the bottom or from the top, falls in the same
 * bucket: mixed signs, zeros and infinities; values collapsed below the
 * window (the small positives) or above it (the negatives nearest zero). */
static void sketch_quantile_either_end(void **state)
{
    (void)state;
    gs_sketch *s = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
    double *x = normal_sample(11, 3001, 0.5, 2.0);
    for (size_t i = 0; i < 3001; i++)
        gs_sketch_add(s, i % 97 == 0 ? 0.0 : x[i]);
    gs_sketch_add(s, INFINITY);
    gs_sketch_add(s, INFINITY);
    gs_sketch_add(s, -INFINITY);
    gs_sketch_add(s, NAN);
    check_every_rank(s, 0, 0);
    gs_sketch_free(s);

    /* Positives over 12 decades into 1024 buckets: the smallest collapse. */
    s = gs_sketch_new(0.01, 1024);
    uint64_t below = 0;
    for (size_t i = 0; i < 1000; i++)
        gs_sketch_add(s, pow(10.0, -6.0 + 12.0 * (double)i / 999));
    double v[1];
    uint64_t c[1];
    double cmax;
    gs_sketch_masses(s, v, c, 0, &below, &cmax);
    assert_true(below > 0);
    check_every_rank(s, below, 0);
    gs_sketch_free(s);

    /* The same negated: the collapsed values are the largest. */
    s = gs_sketch_new(0.01, 1024);
    for (size_t i = 0; i < 1000; i++)
        gs_sketch_add(s, -pow(10.0, -6.0 + 12.0 * (double)i / 999));
    uint64_t above = 0;
    gs_sketch_masses(s, v, c, 0, &above, &cmax);
    assert_true(above > 0);
    check_every_rank(s, 0, above);
    gs_sketch_free(s);
    free(x);
}

/* Sketches allocated together are sketches like any other: the same
 * quantiles as one made alone, filled apart, merged into each other. */
static void sketch_array_is_sketches(void **state)
{
    (void)state;
    assert_null(gs_sketch_array_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS, 0));
    assert_null(gs_sketch_array_new(0.0, GS_SKETCH_MAX_KEYS, 3));
    enum { K = 5, N = 2000 };
    gs_sketch *a = gs_sketch_array_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS, K);
    assert_non_null(a);
    gs_sketch *alone = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
    double *x = normal_sample(5, N, 3.0, 1.0);
    for (size_t k = 0; k < K; k++) {
        gs_sketch *s = gs_sketch_array_at(a, k);
        assert_int_equal(gs_sketch_count(s), 0);
        assert_int_equal(gs_sketch_add_n(s, x + k * (N / K), N / K), GS_OK);
    }
    assert_int_equal(gs_sketch_add_n(alone, x, N), GS_OK);
    for (size_t k = 1; k < K; k++)
        assert_int_equal(gs_sketch_merge(gs_sketch_array_at(a, 0), gs_sketch_array_at(a, k)),
                         GS_OK);
    assert_int_equal(gs_sketch_count(gs_sketch_array_at(a, 0)), N);
    for (size_t i = 0; i < NPS; i++)
        assert_true(gs_sketch_quantile(gs_sketch_array_at(a, 0), PS[i], NULL) ==
                    gs_sketch_quantile(alone, PS[i], NULL));
    assert_int_equal(gs_sketch_count(gs_sketch_array_at(a, 1)), N / K);
    gs_sketch_array_free(a, K);
    gs_sketch_array_free(NULL, 0);
    gs_sketch_free(alone);
    free(x);
}

/* Memory follows the spread of log|x|, not the count: a million values in a
 * factor of 10 need at most 1665 buckets at 0.1 % (512 per binade: keys of 1
 * and of 10 = 1.25 * 2^3 are 3 * 512 + 128 apart), as a hundred thousand do. */
static void sketch_memory_flat(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 41);
    gs_sketch *s = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
    size_t at_1e5 = 0;
    for (size_t i = 0; i < 1000000; i++) {
        gs_sketch_add(s, 1.0 + 9.0 * gsl_rng_uniform(r));
        if (i == 99999)
            at_1e5 = gs_sketch_buckets(s);
    }
    assert_true(gs_sketch_buckets(s) <= 1665);
    assert_true(at_1e5 > 1600 && gs_sketch_buckets(s) - at_1e5 < 20);
    gs_sketch_free(s);
    gsl_rng_free(r);
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

/* ---- byte images ------------------------------------------------------ */

/* Pieces packed (as the processes of a job send them) and merged from their
 * bytes give the sketch, passage and moments of the union bit for bit, with
 * collapses, zeros, infinities and NaN; a cut-off or mismatched image is
 * refused, never half-read into a plausible number. */
static void images_merge_equals_union(void **state)
{
    (void)state;
    enum { N = 3000 };
    double *x = normal_sample(17, N, 0.0, 10.0);
    x[5] = 0.0;
    x[9] = INFINITY;
    x[11] = -INFINITY;
    x[13] = NAN;
    for (int w = 0; w < 2; w++) {
        size_t keys = w ? 64 : GS_SKETCH_MAX_KEYS;
        gs_sketch *all = gs_sketch_new(0.01, keys), *got = gs_sketch_new(0.01, keys),
                  *piece = gs_sketch_new(0.01, keys);
        for (size_t i = 0; i < N; i++)
            gs_sketch_add(all, x[i]);
        size_t ends[64];
        size_t np = uneven_pieces(N, ends, 64), at = 0;
        for (size_t k = 0; k < np; k++) {
            gs_sketch_reset(piece);
            for (; at < ends[k]; at++)
                gs_sketch_add(piece, x[at]);
            gs_pack b = {0};
            gs_sketch_pack(&b, piece);
            assert_false(b.oom);
            gs_unpack r;
            gs_unpack_init(&r, b.p, b.n);
            assert_int_equal(gs_sketch_unpack_merge(got, &r), GS_OK);
            assert_int_equal(r.at, b.n);
            /* Cut short by one byte: refused. */
            gs_unpack_init(&r, b.p, b.n - 1);
            gs_sketch *scrap = gs_sketch_new(0.01, keys);
            assert_int_equal(gs_sketch_unpack_merge(scrap, &r), GS_ERUN);
            gs_sketch_free(scrap);
            /* Another accuracy: refused. */
            gs_unpack_init(&r, b.p, b.n);
            scrap = gs_sketch_new(0.02, keys);
            assert_int_equal(gs_sketch_unpack_merge(scrap, &r), GS_ERUN);
            gs_sketch_free(scrap);
            gs_pack_free(&b);
        }
        check_sketch_equal(all, got);
        assert_true(gs_sketch_min(all) == gs_sketch_min(got));
        assert_true(gs_sketch_max(all) == gs_sketch_max(got));
        gs_sketch_free(all);
        gs_sketch_free(got);
        gs_sketch_free(piece);
    }

    /* Moments travel as they are; merged in order, the same bits. */
    gs_moments m[3], back[3], fwd, again;
    gs_moments_init(&fwd);
    gs_moments_init(&again);
    for (int k = 0; k < 3; k++) {
        gs_moments_init(&m[k]);
        for (size_t i = (size_t)k * 1000; i < (size_t)(k + 1) * 1000; i++)
            if (!isnan(x[i]) && isfinite(x[i]))
                gs_moments_add(&m[k], x[i]);
        gs_moments_merge(&fwd, &m[k]);
    }
    gs_pack b = {0};
    gs_moments_pack(&b, m, 3);
    gs_unpack r;
    gs_unpack_init(&r, b.p, b.n);
    assert_int_equal(gs_moments_unpack(&r, back, 3), GS_OK);
    for (int k = 0; k < 3; k++)
        gs_moments_merge(&again, &back[k]);
    assert_memory_equal(&fwd, &again, sizeof fwd);
    gs_unpack_init(&r, b.p, b.n - 8);
    assert_int_equal(gs_moments_unpack(&r, back, 3), GS_ERUN);
    gs_pack_free(&b);

    /* Passages: counts added; other years refused. */
    gs_passage p, q, other;
    assert_int_equal(gs_passage_init(&p, 2025, 2035), GS_OK);
    assert_int_equal(gs_passage_init(&q, 2025, 2035), GS_OK);
    assert_int_equal(gs_passage_init(&other, 2024, 2035), GS_OK);
    for (int y = 2020; y < 2040; y++)
        gs_passage_add(&p, y);
    gs_passage_pack(&b, &p);
    gs_unpack_init(&r, b.p, b.n);
    assert_int_equal(gs_passage_unpack_merge(&q, &r), GS_OK);
    gs_unpack_init(&r, b.p, b.n);
    assert_int_equal(gs_passage_unpack_merge(&q, &r), GS_OK);
    assert_int_equal(q.never, 2 * p.never);
    for (int y = 0; y <= 10; y++)
        assert_int_equal(q.count[y], 2 * p.count[y]);
    gs_unpack_init(&r, b.p, b.n);
    assert_int_equal(gs_passage_unpack_merge(&other, &r), GS_ERUN);
    gs_unpack_init(&r, b.p, 20);
    assert_int_equal(gs_passage_unpack_merge(&q, &r), GS_ERUN);
    gs_pack_free(&b);
    gs_passage_free(&p);
    gs_passage_free(&q);
    gs_passage_free(&other);
    free(x);
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
        cmocka_unit_test(sketch_invalid_args),
        cmocka_unit_test(sketch_by_hand),
        cmocka_unit_test(sketch_constant_is_exact),
        cmocka_unit_test(sketch_matches_order_statistics),
        cmocka_unit_test(sketch_merge_equals_union),
        cmocka_unit_test(sketch_collapse_is_flagged),
        cmocka_unit_test(sketch_quantile_either_end),
        cmocka_unit_test(sketch_array_is_sketches),
        cmocka_unit_test(sketch_memory_flat),
        cmocka_unit_test(passage_by_hand),
        cmocka_unit_test(passage_decimal_quantiles),
        cmocka_unit_test(passage_merge_equals_union),
        cmocka_unit_test(images_merge_equals_union),
        cmocka_unit_test(wilson_known_values),
    };
    return cmocka_run_group_tests(tests, quiet_gsl, NULL);
}
