/* Sampling by inverse CDF reproduces every distribution's analytic mean and
 * variance.  For each case: n = 100000 draws gs_dist_quantile(d, U), U from
 * gsl_rng_uniform_pos with mt19937 and a fixed seed.
 *
 * Tolerances, in standard errors of the estimates:
 * - sample mean: sd / sqrt(n);
 * - sample variance (n - 1 denominator): its exact standard error is
 *   sqrt((mu4 - sigma^4 (n - 3) / (n - 1)) / n), with mu4 the fourth central
 *   moment, computed here from the analytic mu4 of each kind (no bound
 *   needed: every kind has a closed form, the truncated normal through the
 *   recursion of its raw moments).
 * Both estimates are close to normal at this n (the most heavy-tailed case,
 * gamma with shape 0.5, has kurtosis 15, so its sample variance is only
 * mildly skewed), so 4 standard errors fail with probability ~6e-5 per
 * check, ~4e-3 over the 30 cases; the seed is fixed, so a pass is stable.
 * Truncated families other than the normal take their fourth moment from
 * integrals of x^4 times the density (test_truncated_moments checks the
 * library's own truncated means and variances the same way).
 * Constants must come out exact. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_dist_config.h"
#include "testutil.h"

#define N_DRAWS 100000
#define N_SE 4.0

static gs_dist parse_ok(const char *text)
{
    config_t cfg;
    config_init(&cfg);
    if (!config_read_string(&cfg, text))
        fail_msg("libconfig: %s", config_error_text(&cfg));
    gs_dist d;
    gs_error err;
    if (gs_dist_from_setting(config_lookup(&cfg, "x"), "x", &d, &err) != GS_OK)
        fail_msg("%s: %s", text, err.msg);
    config_destroy(&cfg);
    return d;
}

/* Fourth central moment of a beta(a, b) on an interval of width w. */
static double beta_mu4(double a, double b, double w)
{
    double s = a + b, var = a * b / (s * s * (s + 1));
    double exkurt = 6 * ((a - b) * (a - b) * (s + 1) - a * b * (s + 2)) / (a * b * (s + 2) * (s + 3));
    return (3 + exkurt) * var * var * w * w * w * w;
}

/* Raw moments of the standard normal restricted to (al, be):
 * M_k = (k-1) M_{k-2} + (al^{k-1} phi(al) - be^{k-1} phi(be)) / Z. */
static double truncnormal_mu4(const gs_dist *d)
{
    double al = (d->lo - d->a) / d->b, be = (d->hi - d->a) / d->b;
    double z = gsl_cdf_ugaussian_P(be) - gsl_cdf_ugaussian_P(al);
    double pa = isfinite(al) ? gsl_ran_ugaussian_pdf(al) : 0, pb = isfinite(be) ? gsl_ran_ugaussian_pdf(be) : 0;
    double fa = isfinite(al) ? al : 0, fb = isfinite(be) ? be : 0; /* x^k phi(x) -> 0 at +-inf */
    double m[5];
    m[0] = 1;
    m[1] = (pa - pb) / z;
    for (int k = 2; k <= 4; k++)
        m[k] = (k - 1) * m[k - 2] + (pow(fa, k - 1) * pa - pow(fb, k - 1) * pb) / z;
    double mu = m[1];
    double c4 = m[4] - 4 * mu * m[3] + 6 * mu * mu * m[2] - 3 * mu * mu * mu * mu;
    return c4 * pow(d->b, 4);
}

/* The density of the untruncated family behind d, for the integrals below. */
static double pdf_of(const gs_dist *d, double x)
{
    const char *k = gs_dist_name(d);
    if (strcmp(k, "gamma") == 0)
        return gsl_ran_gamma_pdf(x, d->a, d->b);
    if (strcmp(k, "weibull") == 0)
        return gsl_ran_weibull_pdf(x, d->b, d->a);
    if (strcmp(k, "lognormal") == 0)
        return gsl_ran_lognormal_pdf(x, d->a, d->b);
    if (strcmp(k, "student_t") == 0)
        return gsl_ran_tdist_pdf((x - d->b) / d->c, d->a) / d->c;
    return NAN;
}

typedef struct {
    const gs_dist *d;
    int n;
} mom_arg;

static double mom_f(double x, void *v)
{
    const mom_arg *m = v;
    return pow(x, m->n) * pdf_of(m->d, x);
}

/* Raw moment E[X^n] of a truncated family: integrals of x^n times its
 * density over [lo, hi] (GSL's QAG, 1e-12 relative), an independent route
 * from the library's quadrature of the quantile function. */
static double trunc_raw_moment(const gs_dist *d, int n)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    double r[2];
    for (int j = 0; j < 2; j++) {
        mom_arg m = {d, j ? n : 0};
        gsl_function f = {mom_f, &m};
        double err;
        if (isfinite(d->lo) && isfinite(d->hi))
            gsl_integration_qag(&f, d->lo, d->hi, 0, 1e-12, 1000, GSL_INTEG_GAUSS61, w, &r[j], &err);
        else if (isfinite(d->lo))
            gsl_integration_qagiu(&f, d->lo, 0, 1e-12, 1000, w, &r[j], &err);
        else
            gsl_integration_qagil(&f, d->hi, 0, 1e-12, 1000, w, &r[j], &err);
    }
    gsl_integration_workspace_free(w);
    return r[1] / r[0];
}

static double central4(double m1, double m2, double m3, double m4)
{
    return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
}

static double mu4_of(const gs_dist *d)
{
    if (d->truncated && strcmp(gs_dist_name(d), "truncnormal") != 0)
        return central4(trunc_raw_moment(d, 1), trunc_raw_moment(d, 2), trunc_raw_moment(d, 3),
                        trunc_raw_moment(d, 4));
    double v = gs_dist_variance(d);
    const char *k = gs_dist_name(d);
    if (gs_dist_is_constant(d))
        return 0;
    if (strcmp(k, "uniform") == 0)
        return pow(d->b - d->a, 4) / 80;
    if (strcmp(k, "normal") == 0)
        return 3 * v * v;
    if (strcmp(k, "truncnormal") == 0)
        return truncnormal_mu4(d);
    if (strcmp(k, "lognormal") == 0) {
        double s2 = d->b * d->b;
        return v * v * (exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3);
    }
    if (strcmp(k, "triangular") == 0)
        return 2.4 * v * v; /* excess kurtosis -3/5 for every triangular */
    if (strcmp(k, "pert") == 0) {
        double w = d->c - d->a;
        return beta_mu4(1 + 4 * (d->b - d->a) / w, 1 + 4 * (d->c - d->b) / w, w);
    }
    if (strcmp(k, "beta") == 0)
        return beta_mu4(d->a, d->b, d->d - d->c);
    if (strcmp(k, "bernoulli") == 0) {
        double p = d->a;
        return p * (1 - p) * (1 - 3 * p + 3 * p * p);
    }
    if (strcmp(k, "gamma") == 0)
        return 3 * d->a * (d->a + 2) * pow(d->b, 4);
    if (strcmp(k, "weibull") == 0) {
        double m[5];
        for (int n = 1; n <= 4; n++)
            m[n] = pow(d->b, n) * gsl_sf_gamma(1 + n / d->a);
        return central4(m[1], m[2], m[3], m[4]);
    }
    if (strcmp(k, "loguniform") == 0) {
        double m[5], l = log(d->b / d->a);
        for (int n = 1; n <= 4; n++)
            m[n] = (pow(d->b, n) - pow(d->a, n)) / (n * l);
        return central4(m[1], m[2], m[3], m[4]);
    }
    if (strcmp(k, "student_t") == 0) /* df > 4 */
        return 3 * pow(d->c, 4) * d->a * d->a / ((d->a - 2) * (d->a - 4));
    if (strcmp(k, "discrete") == 0) {
        double m = gs_dist_mean(d), s = 0;
        for (size_t i = 0; i < d->n_choices; i++) {
            double w = i ? d->cum[i] - d->cum[i - 1] : d->cum[0];
            s += w * pow(d->values[i] - m, 4);
        }
        return s;
    }
    return NAN;
}

static const char *const cases[] = {
    "x = 0.29;",
    "x = { dist = \"uniform\"; min = 0.1; max = 0.5; };",
    "x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };",
    "x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; };",
    "x = { dist = \"truncnormal\"; mean = 0.0; sd = 1.0; min = 2.5; };",
    "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.15; };",
    "x = { dist = \"lognormal\"; median = 1.0; sigma = 0.5; };",
    "x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5.0; };",
    "x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };",
    "x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; min = 0.0; max = 1.0; };",
    "x = { dist = \"beta\"; alpha = 0.5; beta = 0.7; min = -2.0; max = 2.0; };",
    "x = { dist = \"bernoulli\"; p = 0.3; };",
    "x = { dist = \"discrete\"; values = [2018.0, 2019.0, 2021.0]; weights = [0.6, 0.3, 0.1]; };",
    "x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; };",
    "x = { dist = \"gamma\"; shape = 0.5; scale = 3.0; };",
    "x = { dist = \"gamma\"; p10 = 1.5; p90 = 4.0; };",
    "x = { dist = \"weibull\"; shape = 1.5; scale = 2.0; };",
    "x = { dist = \"weibull\"; p10 = 1.5; p90 = 4.0; };",
    "x = { dist = \"loguniform\"; min = 0.01; max = 10.0; };",
    "x = { dist = \"student_t\"; df = 8.0; loc = 1.0; scale = 0.5; };",
    "x = { dist = \"uniform\"; p10 = 2.0; p90 = 10.0; };",
    "x = { dist = \"beta\"; p05 = 12.0; p95 = 18.0; min = 10.0; max = 20.0; };",
    /* truncation of every truncatable family */
    "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.8; max = 20.0; };",
    "x = { dist = \"lognormal\"; median = 1.0; sigma = 1.0; min = 0.5; max = 4.0; };",
    "x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; min = 0.5; max = 6.0; };",
    "x = { dist = \"gamma\"; shape = 3.0; scale = 2.0; min = 15.0; };",
    "x = { dist = \"weibull\"; shape = 0.8; scale = 2.0; max = 5.0; };",
    "x = { dist = \"student_t\"; df = 2.0; loc = 0.0; scale = 1.0; min = -3.0; max = 5.0; };",
    "x = { dist = \"student_t\"; df = 1.0; loc = 3.0; scale = 0.3; min = 0.0; max = 20.0; };",
    "x = { dist = \"normal\"; mean = 0.6; sd = 0.2; max = 1.0; };",
};

/* The library's moments of truncated families (quadrature of the quantile
 * function) against the integrals of x^n times the density: 1e-8 relative,
 * well above both quadratures' 1e-11 and 1e-12 targets. */
static void test_truncated_moments(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        gs_dist d = parse_ok(cases[k]);
        if (!d.truncated || strcmp(gs_dist_name(&d), "truncnormal") == 0)
            continue;
        double m1 = trunc_raw_moment(&d, 1), m2 = trunc_raw_moment(&d, 2);
        double mean = gs_dist_mean(&d), var = gs_dist_variance(&d);
        if (!(fabs(mean - m1) <= 1e-8 * fabs(m1)) || !(fabs(var - (m2 - m1 * m1)) <= 1e-8 * var))
            fail_msg("%s: mean %.12g vs %.12g, variance %.12g vs %.12g", cases[k], mean, m1, var,
                     m2 - m1 * m1);
    }
}

static void test_sample_moments(void **state)
{
    (void)state;
    double *x = malloc(N_DRAWS * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        gs_dist d = parse_ok(cases[k]);
        gsl_rng_set(r, 1000 + k);
        for (size_t i = 0; i < N_DRAWS; i++)
            x[i] = gs_dist_quantile(&d, gsl_rng_uniform_pos(r));
        double mean = gsl_stats_mean(x, 1, N_DRAWS), var = gsl_stats_variance(x, 1, N_DRAWS);
        double mu = gs_dist_mean(&d), s2 = gs_dist_variance(&d), mu4 = mu4_of(&d);
        double n = N_DRAWS;
        double se_mean = sqrt(s2 / n);
        double se_var = sqrt((mu4 - s2 * s2 * (n - 3) / (n - 1)) / n);
        /* 1e-12: slack for the rounding of the sums, so that constants,
         * whose standard errors are 0, must match to the last digits. */
        double tol_m = N_SE * se_mean + 1e-12 * (1 + fabs(mu));
        double tol_v = N_SE * se_var + 1e-12 * (1 + s2);
        if (!(fabs(mean - mu) <= tol_m) || !(fabs(var - s2) <= tol_v))
            fail_msg("%s\n  mean %.10g vs %.10g (tolerance %.3g), variance %.10g vs %.10g "
                     "(tolerance %.3g)",
                     cases[k], mean, mu, tol_m, var, s2, tol_v);
    }
    gsl_rng_free(r);
    free(x);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_moments),
        cmocka_unit_test(test_truncated_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
