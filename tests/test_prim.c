/* PRIM on tables whose answer is known: the outcome is 1 exactly inside a box. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gs_prim.h"
#include "testutil.h"

/* n uniform points in [0, 1]^k (column-major); y = 1 inside [lo, hi]. */
static void synth(size_t n, size_t k, const double *lo, const double *hi, unsigned long seed,
                  double **x, unsigned char **y)
{
    *x = malloc(n * k * sizeof **x);
    *y = malloc(n);
    assert_non_null(*x);
    assert_non_null(*y);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < n; i++) {
        int in = 1;
        for (size_t d = 0; d < k; d++) {
            double v = gsl_rng_uniform(r);
            (*x)[d * n + i] = v;
            in &= v >= lo[d] && v <= hi[d];
        }
        (*y)[i] = (unsigned char)in;
    }
    gsl_rng_free(r);
}

/* The largest gap between neighbouring values of dimension d near v: a bound
 * PRIM puts on a data value can miss the true edge by no more than that. */
static double spacing_near(const double *x, size_t n, size_t d, double v)
{
    double below = -1, above = 2;
    for (size_t i = 0; i < n; i++) {
        double t = x[d * n + i];
        if (t < v && t > below)
            below = t;
        if (t >= v && t < above)
            above = t;
    }
    return above - below;
}

static void recovers_box(void **state)
{
    (void)state;
    const size_t n = 5000, k = 4;
    const double lo[4] = {0.2, 0.5, 0.0, 0.0}, hi[4] = {0.6, 1.0, 1.0, 1.0};
    double *x;
    unsigned char *y;
    synth(n, k, lo, hi, 20260101, &x, &y);
    gs_prim_opts o;
    gs_prim_opts_default(&o);
    o.threshold = 1.0; /* only boxes free of outcome-0 points */
    o.mass_min = 0.02;
    gs_prim_result *r;
    gs_error e;
    assert_int_equal(gs_prim_run(x, y, n, k, &o, &r, &e), GS_OK);
    assert_true(r->chosen_meets);
    const gs_prim_step *s = &r->steps[r->chosen];
    assert_close(s->density, 1.0, 0, 0);
    /* Pasting brings every bound back to the edge the last peel overshot:
     * the box holds exactly the outcome-1 points, and each bound sits on a
     * data value within the spacing of the points around the true edge
     * (about 1e-3 here). */
    assert_close(s->coverage, 1.0, 0, 0);
    assert_close(s->lower[0], 0.2, 0, spacing_near(x, n, 0, 0.2));
    assert_close(s->upper[0], 0.6, 0, spacing_near(x, n, 0, 0.6));
    assert_close(s->lower[1], 0.5, 0, spacing_near(x, n, 1, 0.5));
    assert_false(gs_prim_restricted(r, s, 2));
    assert_false(gs_prim_restricted(r, s, 3));
    assert_true(gs_prim_restricted(r, s, 0));
    assert_true(gs_prim_restricted(r, s, 1));
    /* Both real restrictions are overwhelmingly significant. */
    assert_true(r->p_value[0] < 1e-6);
    assert_true(r->p_value[1] < 1e-6);
    assert_true(isnan(r->p_value[2]));
    /* The trajectory starts at the full box and trades coverage for density. */
    assert_close(r->steps[0].coverage, 1, 0, 0);
    assert_close(r->steps[0].mass, 1, 0, 0);
    assert_close(r->steps[0].density, (double)r->n_pos / (double)n, 1e-12, 0);
    for (size_t i = 1; i < r->n_steps; i++) {
        assert_true(r->steps[i].mass <= r->steps[i - 1].mass || r->steps[i].pasted);
        assert_true(r->steps[i].mass >= o.mass_min);
    }
    gs_prim_result_free(r);
    free(x);
    free(y);
}

/* With a noisy outcome (10 % of the labels flipped) the box still stands out,
 * the threshold picks the box of greatest coverage above it, and resampling
 * finds the two real restrictions in nearly every subset. */
static void noisy_box_and_stability(void **state)
{
    (void)state;
    const size_t n = 4000, k = 3;
    const double lo[3] = {0.0, 0.4, 0.0}, hi[3] = {0.5, 1.0, 1.0};
    double *x;
    unsigned char *y;
    synth(n, k, lo, hi, 7, &x, &y);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 8);
    for (size_t i = 0; i < n; i++)
        if (gsl_rng_uniform(g) < 0.1)
            y[i] = !y[i];
    gsl_rng_free(g);
    gs_prim_opts o;
    gs_prim_opts_default(&o);
    o.resamples = 10;
    gs_prim_result *r;
    gs_error e;
    assert_int_equal(gs_prim_run(x, y, n, k, &o, &r, &e), GS_OK);
    assert_true(r->chosen_meets);
    const gs_prim_step *s = &r->steps[r->chosen];
    assert_true(s->density >= 0.8);
    for (size_t i = 0; i < r->n_steps; i++)
        if (r->steps[i].density >= 0.8)
            assert_true(r->steps[i].coverage <= s->coverage);
    /* Inside the true box the density is 0.9 * 1 + 0.1 * 0 plus flipped
     * outsiders: the upper bound of x0 and lower bound of x1 lie within 0.05
     * of the truth (one peel of 5 % of a box of mass 0.3 moves a bound by
     * less than 0.03). */
    assert_close(s->upper[0], 0.5, 0, 0.05);
    assert_close(s->lower[1], 0.4, 0, 0.05);
    assert_true(r->restricted_share[0] >= 0.9);
    assert_true(r->restricted_share[1] >= 0.9);
    assert_int_equal(r->resamples, 10);
    gs_prim_result_free(r);
    free(x);
    free(y);
}

static void refuses_what_it_cannot_answer(void **state)
{
    (void)state;
    double x[4] = {1, 2, 3, 4};
    unsigned char none[4] = {0, 0, 0, 0}, some[4] = {0, 1, 1, 0};
    gs_prim_opts o;
    gs_prim_opts_default(&o);
    gs_prim_result *r;
    gs_error e;
    assert_int_equal(gs_prim_run(x, none, 4, 1, &o, &r, &e), GS_EUSAGE);
    assert_non_null(strstr(e.msg, "nothing to discover"));
    o.box = 99;
    assert_int_equal(gs_prim_run(x, some, 4, 1, &o, &r, &e), GS_EUSAGE);
    assert_non_null(strstr(e.msg, "steps 0-"));
    gs_prim_opts_default(&o);
    o.alpha = 0.7;
    assert_int_equal(gs_prim_run(x, some, 4, 1, &o, &r, &e), GS_EUSAGE);
}

/* Ties: a discrete parameter (0/1) is peeled whole or not at all. */
static void discrete_parameter(void **state)
{
    (void)state;
    const size_t n = 2000;
    double *x = malloc(2 * n * sizeof *x);
    unsigned char *y = malloc(n);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 3);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(gsl_rng_uniform(g) < 0.5);
        x[n + i] = gsl_rng_uniform(g);
        y[i] = x[i] == 1 && x[n + i] < 0.7;
    }
    gsl_rng_free(g);
    gs_prim_opts o;
    gs_prim_opts_default(&o);
    o.threshold = 1.0;
    gs_prim_result *r;
    gs_error e;
    assert_int_equal(gs_prim_run(x, y, n, 2, &o, &r, &e), GS_OK);
    const gs_prim_step *s = &r->steps[r->chosen];
    assert_close(s->lower[0], 1, 0, 0);
    assert_close(s->upper[0], 1, 0, 0);
    assert_close(s->upper[1], 0.7, 0, spacing_near(x, n, 1, 0.7));
    assert_close(s->coverage, 1, 0, 0);
    assert_close(s->density, 1, 0, 0);
    gs_prim_result_free(r);
    free(x);
    free(y);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_box),
        cmocka_unit_test(noisy_box_and_stability),
        cmocka_unit_test(refuses_what_it_cannot_answer),
        cmocka_unit_test(discrete_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
