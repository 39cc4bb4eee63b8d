/* The trajectories' generator: Philox4x32-10 behind GSL's interface. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "gs_rng.h"

/* Random123's known-answer vector for philox4x32 with 10 rounds, counter
 * and key zero (its kat_vectors file): the first four draws of stream
 * (seed 0, block 0, use 0). */
static void philox_known_answer(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gs_rng_philox);
    assert_non_null(r);
    assert_string_equal(gsl_rng_name(r), "philox4x32-10");
    assert_true(gsl_rng_max(r) == 0xffffffffUL && gsl_rng_min(r) == 0);
    static const unsigned long want[4] = {0x6627e8d5UL, 0xe169c58dUL, 0xbc57ac4cUL,
                                          0x9b00dbd8UL};
    gs_rng_stream(r, 0, 0, 0);
    for (int i = 0; i < 4; i++)
        assert_true(gsl_rng_get(r) == want[i]);
    /* gsl_rng_set(r, 0) opens the same stream. */
    gsl_rng_set(r, 0);
    for (int i = 0; i < 4; i++)
        assert_true(gsl_rng_get(r) == want[i]);
    /* Uniforms are word / 2^32. */
    gs_rng_stream(r, 0, 0, 0);
    assert_true(gsl_rng_uniform(r) == (double)want[0] / 4294967296.0);
    gsl_rng_free(r);
}

/* The fill gives what gsl_rng_uniform_pos gives, value for value, across
 * refills of the four-word buffer; streams differ in each part of their key
 * (seed, block, use, and the block's high word); reopening a stream replays it. */
static void streams_replay_and_differ(void **state)
{
    (void)state;
    enum { N = 1001 };
    static double a[N], b[N];
    gsl_rng *r = gsl_rng_alloc(gs_rng_philox);
    gs_rng_stream(r, 20190101, 7, 0x9e3779b9u);
    gs_rng_uniform_pos_fill(r, a, 3);
    gs_rng_uniform_pos_fill(r, a + 3, N - 3);
    gs_rng_stream(r, 20190101, 7, 0x9e3779b9u);
    for (size_t i = 0; i < N; i++) {
        b[i] = gsl_rng_uniform_pos(r);
        assert_true(a[i] == b[i]);
        assert_true(a[i] > 0 && a[i] < 1);
    }
    const struct { uint32_t seed; uint64_t block; uint32_t what; } other[] = {
        {20190102, 7, 0x9e3779b9u},
        {20190101, 8, 0x9e3779b9u},
        {20190101, 7, 0x9e3779bau},
        {20190101, 7 + ((uint64_t)1 << 32), 0x9e3779b9u},
    };
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
        gs_rng_stream(r, other[k].seed, other[k].block, other[k].what);
        gs_rng_uniform_pos_fill(r, b, N);
        size_t same = 0;
        for (size_t i = 0; i < N; i++)
            same += a[i] == b[i];
        assert_true(same == 0);
    }
    gsl_rng_free(r);
}

/* Uniformity of one stream: a chi-square test on 64 equal cells of 2^16
 * draws (fixed stream, so deterministic); the statistic has 63 degrees of
 * freedom and must lie inside its central 99.9 % range (32.2 .. 103.4),
 * which a broken counter or word order (repeats, a stuck word) leaves far
 * behind. */
static void stream_is_uniform(void **state)
{
    (void)state;
    enum { N = 1 << 16, K = 64 };
    unsigned cell[K] = {0};
    gsl_rng *r = gsl_rng_alloc(gs_rng_philox);
    gs_rng_stream(r, 1, 0, 0);
    for (size_t i = 0; i < N; i++)
        cell[(size_t)(gsl_rng_uniform(r) * K)]++;
    double e = (double)N / K, chi2 = 0;
    for (size_t k = 0; k < K; k++)
        chi2 += (cell[k] - e) * (cell[k] - e) / e;
    assert_true(chi2 > gsl_cdf_chisq_Pinv(0.0005, K - 1));
    assert_true(chi2 < gsl_cdf_chisq_Qinv(0.0005, K - 1));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(philox_known_answer),
        cmocka_unit_test(streams_replay_and_differ),
        cmocka_unit_test(stream_is_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
