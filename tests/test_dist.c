/* Parameter distributions: every config form, every bad form, quantile and
 * CDF, moments in closed form, describe and the to_config round trip. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_dist_config.h"
#include "testutil.h"

/* Parses text and reads its setting "x". */
static gs_status parse(const char *text, gs_dist *d, gs_error *err)
{
    config_t cfg;
    config_init(&cfg);
    if (!config_read_string(&cfg, text)) {
        fail_msg("libconfig rejected the test input at line %d: %s\n%s", config_error_line(&cfg),
                 config_error_text(&cfg), text);
    }
    gs_error_clear(err);
    gs_status st = gs_dist_from_setting(config_lookup(&cfg, "x"), "x", d, err);
    config_destroy(&cfg);
    return st;
}

static gs_dist parse_ok(const char *text)
{
    gs_dist d;
    gs_error err;
    gs_status st = parse(text, &d, &err);
    if (st != GS_OK)
        fail_msg("rejected: line %d: %s\n%s", err.line, err.msg, text);
    return d;
}

static void test_constants(void **state)
{
    (void)state;
    /* libconfig keeps 1 as an int and 5000000000L as an int64: both must read. */
    gs_dist d = parse_ok("x = 1;");
    assert_string_equal(gs_dist_name(&d), "constant");
    assert_close(d.a, 1.0, 0, 0);
    d = parse_ok("x = -2;");
    assert_close(d.a, -2.0, 0, 0);
    d = parse_ok("x = 5000000000L;");
    assert_close(d.a, 5e9, 0, 0);
    d = parse_ok("x = 0.29;");
    assert_close(d.a, 0.29, 0, 0);
    assert_true(gs_dist_is_constant(&d));
    d = parse_ok("x = { dist = \"constant\"; value = 3; };");
    assert_string_equal(gs_dist_name(&d), "constant");
    assert_close(d.a, 3.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.123), 3.0, 0, 0);
    assert_close(gs_dist_lower(&d), 3.0, 0, 0);
    assert_close(gs_dist_upper(&d), 3.0, 0, 0);
    gs_dist c = gs_dist_constant(0.5);
    assert_string_equal(gs_dist_name(&c), "constant");
    assert_close(c.a, 0.5, 0, 0);
}

static void test_forms(void **state)
{
    (void)state;
    gs_dist d = parse_ok("x = { dist = \"uniform\"; min = 1; max = 3; };");
    assert_string_equal(gs_dist_name(&d), "uniform");
    assert_close(d.a, 1, 0, 0);
    assert_close(d.b, 3, 0, 0);
    assert_false(gs_dist_is_constant(&d));

    d = parse_ok("x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };");
    assert_string_equal(gs_dist_name(&d), "normal");
    assert_close(d.a, 0.07, 0, 0);
    assert_close(d.b, 0.015, 0, 0);
    d = parse_ok("x = { dist = \"normal\"; mean = 5; sd = 2L; };");
    assert_close(d.b, 2.0, 0, 0);

    d = parse_ok("x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; };");
    assert_string_equal(gs_dist_name(&d), "truncnormal");
    assert_close(d.lo, 0.0, 0, 0);
    assert_close(d.hi, 1.0, 0, 0);
    d = parse_ok("x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0; };");
    assert_close(d.lo, 0.0, 0, 0);
    assert_true(isinf(d.hi) && d.hi > 0);
    assert_true(isinf(gs_dist_upper(&d)));

    d = parse_ok("x = { dist = \"lognormal\"; median = 2.7; sigma = 0.15; };");
    assert_string_equal(gs_dist_name(&d), "lognormal");
    assert_close(d.a, log(2.7), 0, 0);
    assert_close(d.b, 0.15, 0, 0);
    d = parse_ok("x = { dist = \"lognormal\"; mu = 1.0; sigma = 0.5; };");
    assert_close(d.a, 1.0, 0, 0);

    d = parse_ok("x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5; };");
    assert_string_equal(gs_dist_name(&d), "triangular");
    assert_close(d.a, 1.5, 0, 0);
    assert_close(d.b, 3.0, 0, 0);
    assert_close(d.c, 5.0, 0, 0);

    d = parse_ok("x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };");
    assert_string_equal(gs_dist_name(&d), "pert");
    assert_close(d.b, 0.65, 0, 0);

    d = parse_ok("x = { dist = \"beta\"; alpha = 2; beta = 5.0; };");
    assert_string_equal(gs_dist_name(&d), "beta");
    assert_close(d.c, 0.0, 0, 0); /* defaults: the unit interval */
    assert_close(d.d, 1.0, 0, 0);
    d = parse_ok("x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; min = 10; max = 20; };");
    assert_close(d.c, 10.0, 0, 0);
    assert_close(d.d, 20.0, 0, 0);

    d = parse_ok("x = { dist = \"bernoulli\"; p = 0.3; };");
    assert_string_equal(gs_dist_name(&d), "bernoulli");
    assert_close(d.a, 0.3, 0, 0);
    d = parse_ok("x = { dist = \"bernoulli\"; p = 1; };");
    assert_close(d.a, 1.0, 0, 0);

    d = parse_ok("x = { dist = \"discrete\"; values = [2018.0, 2019.0]; weights = [0.7, 0.3]; };");
    assert_string_equal(gs_dist_name(&d), "discrete");
    assert_int_equal(d.n_choices, 2);
    assert_close(d.cum[0], 0.7, 1e-15, 0);
    assert_close(d.cum[1], 1.0, 0, 0);
    /* Unnormalised int weights in a list, values out of order: sorted by value. */
    d = parse_ok("x = { dist = \"discrete\"; values = (3, 1.0, 2); weights = (2, 1, 1); };");
    assert_int_equal(d.n_choices, 3);
    assert_close(d.values[0], 1, 0, 0);
    assert_close(d.values[1], 2, 0, 0);
    assert_close(d.values[2], 3, 0, 0);
    assert_close(d.cum[0], 0.25, 0, 0);
    assert_close(d.cum[1], 0.5, 0, 0);
    assert_close(d.cum[2], 1.0, 0, 0);
    /* No weights: equally likely. */
    d = parse_ok("x = { dist = \"discrete\"; values = [1.0, 2.0, 3.0, 4.0]; };");
    assert_close(d.cum[0], 0.25, 0, 0);
    assert_close(d.cum[2], 0.75, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.3), 2.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.25), 1.0, 0, 0); /* smallest value with cum >= u */
}

static void test_percentiles(void **state)
{
    (void)state;
    /* p05/p95 of a normal sit at mean -/+ 1.6448536269514722 sd. */
    gs_dist d = parse_ok("x = { dist = \"normal\"; p05 = 0.045; p95 = 0.095; };");
    assert_string_equal(gs_dist_name(&d), "normal");
    assert_close(d.a, 0.07, 1e-12, 0);
    assert_close(d.b, 0.05 / (2 * 1.6448536269514722), 1e-12, 0);

    /* Order in the file does not matter, and the result reproduces both. */
    d = parse_ok("x = { dist = \"normal\"; p80 = 14.0; p10 = 3; };");
    assert_close(gs_dist_quantile(&d, 0.10), 3.0, 1e-12, 1e-12);
    assert_close(gs_dist_quantile(&d, 0.80), 14.0, 1e-12, 0);

    /* A known normal: mean 10, sd 2 -> p25 = 10 - 2 * 0.6744897501960817 etc. */
    d = parse_ok("x = { dist = \"normal\"; p25 = 8.6510204996078366; p99 = 14.652695748081682; };");
    assert_close(d.a, 10.0, 1e-12, 0);
    assert_close(d.b, 2.0, 1e-12, 0);

    d = parse_ok("x = { dist = \"lognormal\"; p10 = 2.0; p90 = 3.5; };");
    assert_string_equal(gs_dist_name(&d), "lognormal");
    assert_close(d.a, 0.5 * (log(2.0) + log(3.5)), 1e-12, 0);
    assert_close(d.b, (log(3.5) - log(2.0)) / (2 * 1.2815515655446004), 1e-12, 0);
    assert_close(gs_dist_quantile(&d, 0.10), 2.0, 1e-12, 0);
    assert_close(gs_dist_quantile(&d, 0.90), 3.5, 1e-12, 0);

    /* median 2.7, sigma 0.15 -> p50 = 2.7 and p01 = 2.7 exp(-0.15 * 2.3263478740408408) */
    d = parse_ok("x = { dist = \"lognormal\"; p50 = 2.7; p01 = 1.9046525279283777; };");
    assert_close(exp(d.a), 2.7, 1e-12, 0);
    assert_close(d.b, 0.15, 1e-10, 0);
}

/* The families added to the first ten, their percentile forms and truncation. */
static void test_more_families(void **state)
{
    (void)state;
    gs_dist d = parse_ok("x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; };");
    assert_string_equal(gs_dist_name(&d), "gamma");
    assert_close(d.a, 2.0, 0, 0);
    assert_close(d.b, 1.5, 0, 0);
    /* gamma(2, 1.5): median 1.5 * 1.6783469900166608 */
    assert_close(gs_dist_quantile(&d, 0.5), 1.5 * 1.6783469900166608, 1e-12, 0);
    d = parse_ok("x = { dist = \"weibull\"; shape = 2.0; scale = 3.0; };");
    /* F(x) = 1 - exp(-(x/3)^2): the median is 3 sqrt(ln 2) */
    assert_close(gs_dist_quantile(&d, 0.5), 3.0 * sqrt(log(2.0)), 1e-14, 0);
    d = parse_ok("x = { dist = \"loguniform\"; min = 0.01; max = 100.0; };");
    assert_close(gs_dist_quantile(&d, 0.5), 1.0, 1e-14, 0);
    assert_close(gs_dist_quantile(&d, 0.25), 0.1, 1e-14, 0);
    d = parse_ok("x = { dist = \"student_t\"; df = 1.0; loc = 2.0; scale = 3.0; };");
    /* df 1 is the Cauchy: quantile loc + scale tan(pi (u - 1/2)) */
    assert_close(gs_dist_quantile(&d, 0.75), 5.0, 1e-14, 0);
    assert_true(isnan(gs_dist_mean(&d)));
    d = parse_ok("x = { dist = \"student_t\"; df = 2.0; loc = 0.0; scale = 1.0; };");
    assert_close(gs_dist_mean(&d), 0.0, 0, 0);
    assert_true(isinf(gs_dist_variance(&d)));

    /* A normal with bounds is the truncnormal. */
    d = parse_ok("x = { dist = \"normal\"; mean = 0.2; sd = 0.1; min = 0.0; };");
    assert_string_equal(gs_dist_name(&d), "truncnormal");
    assert_close(gs_dist_lower(&d), 0.0, 0, 0);

    /* Truncation keeps the CDF between its bounds and renormalises it. */
    d = parse_ok("x = { dist = \"lognormal\"; median = 2.7; sigma = 0.5; max = 5.0; };");
    assert_close(gs_dist_upper(&d), 5.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 1 - 1e-12), 5.0, 1e-9, 0);
    double z = gsl_cdf_lognormal_P(5.0, log(2.7), 0.5);
    assert_close(gs_dist_cdf(&d, 3.0), gsl_cdf_lognormal_P(3.0, log(2.7), 0.5) / z, 1e-13, 0);
    d = parse_ok("x = { dist = \"gamma\"; shape = 3.0; scale = 2.0; min = 20.0; };");
    /* far in the upper tail (1 - CDF = 2.8e-3): the upper-tail route keeps the digits */
    double q20 = gsl_cdf_gamma_Q(20.0, 3.0, 2.0);
    assert_close(gs_dist_cdf(&d, 25.0), 1 - gsl_cdf_gamma_Q(25.0, 3.0, 2.0) / q20 + 0.0, 0,
                 1e-13);
    assert_close(gs_dist_quantile(&d, 0.5), gsl_cdf_gamma_Qinv(0.5 * q20, 3.0, 2.0), 1e-12, 0);

    /* Percentile forms reproduce both percentiles. */
    static const struct {
        const char *text;
        double p0, x0, p1, x1;
    } pct[] = {
        {"x = { dist = \"uniform\"; p10 = 2.0; p90 = 10.0; };", 0.10, 2.0, 0.90, 10.0},
        {"x = { dist = \"loguniform\"; p05 = 0.01; p95 = 10.0; };", 0.05, 0.01, 0.95, 10.0},
        {"x = { dist = \"gamma\"; p10 = 1.5; p90 = 4.0; };", 0.10, 1.5, 0.90, 4.0},
        {"x = { dist = \"gamma\"; p50 = 0.001; p99 = 30.0; };", 0.50, 0.001, 0.99, 30.0},
        {"x = { dist = \"gamma\"; p25 = 1000.0; p75 = 1001.0; };", 0.25, 1000.0, 0.75, 1001.0},
        {"x = { dist = \"weibull\"; p10 = 1.5; p90 = 4.0; };", 0.10, 1.5, 0.90, 4.0},
        {"x = { dist = \"student_t\"; df = 3.0; p05 = -1.0; p80 = 2.0; };", 0.05, -1.0, 0.80, 2.0},
        {"x = { dist = \"beta\"; p10 = 0.2; p90 = 0.6; };", 0.10, 0.2, 0.90, 0.6},
        {"x = { dist = \"beta\"; p05 = 12.0; p95 = 18.0; min = 10.0; max = 20.0; };", 0.05, 12.0,
         0.95, 18.0},
        {"x = { dist = \"beta\"; p01 = 0.001; p50 = 0.01; };", 0.01, 0.001, 0.50, 0.01},
        {"x = { dist = \"beta\"; p40 = 0.49; p60 = 0.51; };", 0.40, 0.49, 0.60, 0.51},
    };
    for (size_t i = 0; i < sizeof pct / sizeof pct[0]; i++) {
        d = parse_ok(pct[i].text);
        double y0 = gs_dist_quantile(&d, pct[i].p0), y1 = gs_dist_quantile(&d, pct[i].p1);
        /* 1e-9: the gamma shape is a root found to 4 ulps of its log; the
         * closed forms agree to the last few digits */
        if (!(fabs(y0 - pct[i].x0) <= 1e-9 * fabs(pct[i].x0)) ||
            !(fabs(y1 - pct[i].x1) <= 1e-9 * fabs(pct[i].x1)))
            fail_msg("%s gives %.17g and %.17g", pct[i].text, y0, y1);
    }
    /* beta(2, 5) back from its own quartiles */
    char text[200];
    snprintf(text, sizeof text, "x = { dist = \"beta\"; p25 = %.17g; p75 = %.17g; };",
             gsl_cdf_beta_Pinv(0.25, 2.0, 5.0), gsl_cdf_beta_Pinv(0.75, 2.0, 5.0));
    d = parse_ok(text);
    assert_close(d.a, 2.0, 1e-8, 0);
    assert_close(d.b, 5.0, 1e-8, 0);
    /* weibull percentiles in closed form: shape = log(log 10 / log(10/9)) / log(4 / 1.5) */
    d = parse_ok("x = { dist = \"weibull\"; p10 = 1.5; p90 = 4.0; };");
    assert_close(d.a, log(log(10.0) / log(10.0 / 9.0)) / log(4.0 / 1.5), 1e-13, 0);
}

/* The PERT and beta quantile on the shapes PERTs have (1 to 5) and beyond
 * (to 100): the tail probability of the answer meets its target to 1e-12
 * relative on the side where the target keeps its digits (P below the
 * median, Q above it), from 1e-12 to 1 - 1e-12, or to the resolution of a
 * double x; and it agrees with GSL's own
 * inverse wherever that one passes the same test, to 1e-9 relative (the
 * x-width of a 1e-12 tolerance on the CDF is far smaller away from the very
 * tails, where both answers are then tied to the same CDF). */
static void test_beta_quantile_meets_its_cdf(void **state)
{
    (void)state;
    static const double shapes[][2] = {{1, 1}, {1, 5}, {5, 1}, {2.6, 2.4}, {1.01, 4.99},
                                       {3, 3}, {2, 5}, {40, 3}, {100, 100}, {1, 100}};
    static const double us[] = {1e-12, 1e-9, 1e-6, 1e-3, 0.01, 0.1,  0.25, 0.5,
                                0.6,   0.75, 0.9,  0.99, 0.999, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        double al = shapes[k][0], be = shapes[k][1];
        char text[200];
        snprintf(text, sizeof text, "x = { dist = \"beta\"; alpha = %.17g; beta = %.17g; };", al,
                 be);
        gs_dist d = parse_ok(text);
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            double u = us[i], x = gs_dist_quantile(&d, u);
            int upper = u > 0.5;
            double t = upper ? 1 - u : u;
            /* Where x is close to 1 a double cannot resolve the tail to
             * 1e-12: then 4 ulps of x either side must bracket it. */
            double g = upper ? gsl_cdf_beta_Q(x, al, be) : gsl_cdf_beta_P(x, al, be);
            double xl = x, xh = x;
            for (int j = 0; j < 4; j++) {
                xl = nextafter(xl, 0.0);
                xh = nextafter(xh, 1.0);
            }
            double gl = upper ? gsl_cdf_beta_Q(xh, al, be) : gsl_cdf_beta_P(xl, al, be);
            double gh = upper ? gsl_cdf_beta_Q(xl, al, be) : gsl_cdf_beta_P(xh, al, be);
            if (!(fabs(g - t) <= 1e-12 * t || (gl <= t && t <= gh)))
                fail_msg("%s: quantile(%g) = %.17g has tail %.17g", text, u, x, g);
            double xg = gsl_cdf_beta_Pinv(u, al, be);
            double gg = upper ? gsl_cdf_beta_Q(xg, al, be) : gsl_cdf_beta_P(xg, al, be);
            if (fabs(gg - t) <= 1e-12 * t && !(fabs(x - xg) <= 1e-9 * xg))
                fail_msg("%s: quantile(%g) = %.17g, GSL's %.17g", text, u, x, xg);
        }
    }
    /* A PERT is that beta on [min, max]. */
    gs_dist p = parse_ok("x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };");
    double al = 1 + 4 * 0.25 / 0.45, be = 1 + 4 * 0.20 / 0.45;
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
        double x = (gs_dist_quantile(&p, us[i]) - 0.4) / 0.45;
        assert_close(us[i] <= 0.5 ? gsl_cdf_beta_P(x, al, be) : gsl_cdf_beta_Q(x, al, be),
                     us[i] <= 0.5 ? us[i] : 1 - us[i], 1e-11, 0);
    }
}

/* beta(1e4, 1e4) is valid and its range check must give numbers; the
 * quantile at any u costs bounded work (a hang is a ctest timeout). */
static void test_beta_extreme_shapes(void **state)
{
    (void)state;
    static const double shapes[][2] = {{1e4, 1e4}, {1e5, 1e5}, {1e5, 1.0}, {0.01, 5.0},
                                       {1e-3, 1e-3}, {0.5, 1e5}, {3e4, 7.0}};
    static const double us[] = {1e-9, 1e-6, 0.01, 0.5, 0.99, 1 - 1e-6, 1 - 1e-9};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        char text[200];
        snprintf(text, sizeof text, "x = { dist = \"beta\"; alpha = %.17g; beta = %.17g; };",
                 shapes[k][0], shapes[k][1]);
        gs_dist d = parse_ok(text);
        double prev = 0;
        for (size_t i = 0; i < sizeof us / sizeof us[0]; i++) {
            double x = gs_dist_quantile(&d, us[i]);
            double t = us[i] <= 0.5 ? us[i] : 1 - us[i];
            /* x is the quantile to 4 ulps: the tail probability at 4 ulps
             * either side brackets t (to the 1e-6 relative accuracy of
             * GSL's incomplete beta), or x is 0 where the quantile is
             * below the smallest double. */
            double xl = x, xh = x;
            for (int j = 0; j < 4; j++) {
                xl = nextafter(xl, 0.0);
                xh = nextafter(xh, 1.0);
            }
            double al = shapes[k][0], be = shapes[k][1];
            int ok = us[i] <= 0.5
                         ? gsl_cdf_beta_P(xl, al, be) <= t * (1 + 1e-6) &&
                               (x == 0 || gsl_cdf_beta_P(xh, al, be) >= t * (1 - 1e-6))
                         : gsl_cdf_beta_Q(xh, al, be) <= t * (1 + 1e-6) &&
                               gsl_cdf_beta_Q(xl, al, be) >= t * (1 - 1e-6);
            if (!(x >= prev && x <= 1) || !ok)
                fail_msg("%s: quantile(%g) = %.17g", text, us[i], x);
            prev = x;
        }
    }
    /* symmetric: the 1e-9 quantiles sit 6.0 sd either side of 0.5 (normal
     * limit).  Each meets its tail to 1e-6 relative, which at 6 sd moves x
     * by about 1e-6 sd / 6 = 6e-10: hence 2e-9. */
    gs_dist d = parse_ok("x = { dist = \"beta\"; alpha = 1e4; beta = 1e4; };");
    double sd = sqrt(gs_dist_variance(&d));
    assert_close(gs_dist_quantile(&d, 1e-9) + gs_dist_quantile(&d, 1 - 1e-9), 1.0, 0, 2e-9);
    assert_close((0.5 - gs_dist_quantile(&d, 1e-9)) / sd, 5.9978, 2e-3, 0);
}

typedef struct {
    const char *text;
    int line;
    const char *msg; /* must occur in the message */
} bad_case;

static const bad_case bad_cases[] = {
    {"x = \"0.3\";", 1, "must be a number or a distribution group"},
    {"\nx = true;", 2, "must be a number or a distribution group"},
    {"x = [1.0, 2.0];", 1, "must be a number or a distribution group"},
    {"x = {\n mean = 1.0;\n};", 1, "needs a \"dist\" key"},
    {"x = {\n dist = 3;\n};", 2, "dist must be a string"},
    {"x = {\n dist = \"normall\";\n mean = 0.0; sd = 1.0; };", 2,
     "unknown distribution \"normall\" (did you mean \"normal\"?)"},
    {"x = {\n dist = \"trinagular\"; };", 2, "(did you mean \"triangular\"?)"},
    {"x = { dist = \"gaussian\"; };", 1,
     "unknown distribution \"gaussian\"; valid distributions: constant, uniform, normal, "
     "truncnormal, lognormal, triangular, pert, beta, bernoulli, discrete, loguniform, gamma, "
     "weibull, student_t"},
    {"x = {\n dist = \"normal\";\n mean = 0.0;\n sdd = 1.0; };", 4,
     "unknown key \"sdd\" for a normal distribution (did you mean \"sd\"?)"},
    {"x = {\n dist = \"normal\";\n mena = 0.0;\n sd = 1.0; };", 3, "(did you mean \"mean\"?)"},
    {"x = {\n dist = \"uniform\";\n zzz = 1.0; };", 3,
     "unknown key \"zzz\" for a uniform distribution (valid keys: min, max, or two of p01 to p99)"},
    {"x = {\n dist = \"triangular\";\n p05 = 1.0; p95 = 2.0; };", 3, "unknown key \"p05\""},
    {"x = {\n dist = \"gamma\";\n zzz = 1.0; };", 3,
     "unknown key \"zzz\" for a gamma distribution (valid keys: shape, scale, min, max, or two of "
     "p01 to p99)"},
    {"x = {\n dist = \"beta\";\n alpha = 1e300;\n beta = 1e300; };", 3,
     "alpha = 1e+300 is outside [0.001, 100000]"},
    {"x = {\n dist = \"beta\";\n alpha = 2.0;\n beta = 2e5; };", 4,
     "beta = 200000 is outside [0.001, 100000]"},
    {"x = {\n dist = \"gamma\";\n shape = 0.0;\n scale = 1.0; };", 3, "shape must be positive"},
    {"x = {\n dist = \"beta\";\n p10 = 0.2;\n p90 = 1.5; };", 4,
     "p90 must lie strictly between min (0) and max (1)"},
    {"x = {\n dist = \"beta\";\n p10 = 0.2; p90 = 0.5;\n alpha = 2.0; };", 4,
     "give either alpha and beta or two percentiles, not both"},
    {"x = {\n dist = \"beta\";\n p10 = 0.5;\n p90 = 0.5000000001; };", 4,
     "give no beta on [0, 1] with alpha and beta in [0.001, 100000]"},
    {"x = {\n dist = \"gamma\";\n shape = 1e300;\n scale = 1.0; };", 3,
     "shape = 1e+300 is outside [0.001, 1e+07]"},
    {"x = {\n dist = \"gamma\";\n shape = 2.0;\n scale = -1.0; };", 4, "scale must be positive"},
    {"x = {\n dist = \"gamma\";\n shape = 2.0; };", 1, "missing key \"scale\" for a gamma"},
    {"x = {\n dist = \"gamma\";\n p49 = 1.0;\n p51 = 1e30; };", 4,
     "need a gamma shape outside [0.001, 1e+07] (their ratio is too large)"},
    {"x = {\n dist = \"gamma\";\n p10 = 1.0;\n p90 = 1.0000000001; };", 4,
     "(their ratio is too small)"},
    {"x = {\n dist = \"gamma\";\n p10 = 0.0;\n p90 = 1.0; };", 3, "p10 must be positive"},
    {"x = {\n dist = \"weibull\";\n shape = -1.0;\n scale = 1.0; };", 3, "shape must be positive"},
    {"x = {\n dist = \"weibull\";\n shape = 1e-3;\n scale = 1.0; };", 1,
     "1e-9 quantiles beyond the range of numbers"},
    {"x = {\n dist = \"loguniform\";\n min = 0.0;\n max = 1.0; };", 3,
     "min must be positive for a loguniform"},
    {"x = {\n dist = \"loguniform\";\n min = 2.0;\n max = 1.0; };", 4, "min must be below max"},
    {"x = {\n dist = \"student_t\";\n df = 0.0;\n loc = 0.0; scale = 1.0; };", 3,
     "df must be positive"},
    {"x = {\n dist = \"student_t\";\n df = 3.0;\n loc = 0.0;\n scale = 0.0; };", 5,
     "scale must be positive"},
    {"x = {\n dist = \"student_t\";\n p10 = 1.0; p90 = 2.0; };", 1, "missing key \"df\""},
    {"x = {\n dist = \"student_t\";\n df = 3.0;\n p10 = 1.0; p90 = 2.0;\n loc = 0.0; };", 5,
     "give either loc and scale or two percentiles"},
    {"x = {\n dist = \"lognormal\";\n p10 = 1.0; p90 = 2.0;\n max = 3.0; };", 4,
     "give two percentiles or min and max, not both"},
    {"x = {\n dist = \"lognormal\";\n median = 1.0; sigma = 0.1;\n min = 5.0; };", 4,
     "keep less than 1e-06 of the lognormal's probability"},
    {"x = {\n dist = \"gamma\";\n shape = 2.0; scale = 1.0;\n min = 3.0;\n max = 2.0; };", 5,
     "min must be below max"},
    {"x = {\n dist = \"normal\";\n mean = 0.0;\n sd = 1e999; };", 4, "sd must be a finite number"},
    {"x = {\n dist = \"normal\";\n p05 = -1e999;\n p95 = 1.0; };", 3,
     "p05 must be a finite number"},
    {"x = {\n dist = \"discrete\";\n values = [1.0, 1e999]; };", 3,
     "values: entry 2 is not a finite number"},
    {"x = {\n dist = \"uniform\";\n min = -1e999;\n max = 1.0; };", 3,
     "min must be a finite number"},
    {"\nx = 1e999;", 2, "must be a finite number"},
    {"x = {\n dist = \"lognormal\";\n median = 1.0;\n sigma = 1e3; };", 1,
     "1e-9 quantiles beyond the range of numbers"},
    {"x = {\n dist = \"normal\";\n mean = 0.0;\n sd = -1.0; };", 4, "sd must be positive"},
    {"x = {\n dist = \"normal\";\n mean = 0.0;\n sd = 0; };", 4, "sd must be positive"},
    {"x = {\n dist = \"normal\";\n mean = 0.0;\n sd = \"1\"; };", 4, "sd must be a number"},
    {"x = {\n dist = \"normal\";\n mean = [0.0];\n sd = 1.0; };", 3, "mean must be a number"},
    {"x = {\n dist = \"normal\";\n mean = 0.0; };", 1, "missing key \"sd\" for a normal distribution"},
    {"x = {\n dist = \"uniform\";\n min = 2.0;\n max = 1; };", 4, "min must be below max"},
    {"x = {\n dist = \"uniform\";\n min = 1.0;\n max = 1.0; };", 4, "min must be below max"},
    {"x = {\n dist = \"uniform\";\n max = 1.0; };", 1, "missing key \"min\""},
    {"x = {\n dist = \"triangular\";\n min = 1.0;\n mode = 5.0;\n max = 3.0; };", 4,
     "mode must lie between min and max"},
    {"x = {\n dist = \"pert\";\n min = 1.0;\n mode = 1.0;\n max = 0.5; };", 5, "min must be below max"},
    {"x = {\n dist = \"beta\";\n alpha = 0;\n beta = 1.0; };", 3, "alpha must be positive"},
    {"x = {\n dist = \"beta\";\n alpha = 1.0;\n beta = -2.0; };", 4, "beta must be positive"},
    {"x = {\n dist = \"beta\";\n alpha = 1.0;\n beta = 2.0;\n min = 1.0; };", 5,
     "min must be below max"},
    {"x = {\n dist = \"bernoulli\";\n p = 1.5; };", 3, "p must be between 0 and 1"},
    {"x = {\n dist = \"bernoulli\";\n p = -0.1; };", 3, "p must be between 0 and 1"},
    {"x = {\n dist = \"discrete\";\n values = [1.0, 2.0];\n weights = [0.5, -0.1]; };", 4,
     "weights must not be negative"},
    {"x = {\n dist = \"discrete\";\n values = [1.0, 2.0];\n weights = [0.0, 0.0]; };", 4,
     "weights must sum to a positive number"},
    {"x = {\n dist = \"discrete\";\n values = [1.0, 2.0];\n weights = [0.2, 0.3, 0.5]; };", 4,
     "weights has 3 entries but values has 2"},
    {"x = {\n dist = \"discrete\";\n values = [];\n weights = []; };", 3, "values must not be empty"},
    {"x = {\n dist = \"discrete\";\n values = \"a\"; };", 3, "values must be a list of numbers"},
    {"x = {\n dist = \"discrete\";\n values = (1.0, \"b\"); };", 3, "values: entry 2 is not a number"},
    {"x = {\n dist = \"discrete\";\n weights = [1.0]; };", 1, "missing key \"values\""},
    {"x = {\n dist = \"truncnormal\";\n mean = 0.0; sd = 1.0;\n min = 6.0; max = 7.0; };", 4,
     "keep less than"},
    {"x = {\n dist = \"truncnormal\";\n mean = 0.0; sd = 1.0;\n min = 1.0;\n max = 0.0; };", 5,
     "min must be below max"},
    {"x = {\n dist = \"normal\";\n p05 = 1.0; };", 3, "give two percentiles, not only p05"},
    {"x = {\n dist = \"normal\";\n p05 = 1.0; p50 = 2.0;\n p95 = 3.0; };", 4,
     "give exactly two percentiles"},
    {"x = {\n dist = \"normal\";\n p5 = 1.0; p95 = 3.0; };", 3,
     "percentile key \"p5\" must be written p01 to p99"},
    {"x = {\n dist = \"normal\";\n p00 = 1.0; p95 = 3.0; };", 3, "\"p00\""},
    {"x = {\n dist = \"normal\";\n p100 = 1.0; p95 = 3.0; };", 3, "\"p100\""},
    {"x = {\n dist = \"normal\";\n p05 = 1.0; p95 = 3.0;\n sd = 1.0; };", 4,
     "give either mean and sd or two percentiles"},
    {"x = {\n dist = \"normal\";\n p05 = 0.045;\n p95 = 0.04; };", 4, "p95 (0.04) must be above p05 (0.045)"},
    {"x = {\n dist = \"normal\";\n p05 = 0.045;\n p95 = \"hi\"; };", 4, "p95 must be a number"},
    {"x = {\n dist = \"lognormal\";\n p10 = -1.0;\n p90 = 2.0; };", 3,
     "p10 must be positive for a lognormal"},
    {"x = {\n dist = \"lognormal\";\n median = 0.0;\n sigma = 1.0; };", 3, "median must be positive"},
    {"x = {\n dist = \"lognormal\";\n median = 1.0;\n sigma = 0.0; };", 4, "sigma must be positive"},
    {"x = {\n dist = \"lognormal\";\n median = 1.0;\n mu = 0.0;\n sigma = 1.0; };", 4,
     "give median or mu"},
    {"x = {\n dist = \"lognormal\";\n sigma = 1.0; };", 1, "missing key \"median\""},
    {"x = {\n dist = \"lognormal\";\n median = 1.0; };", 1, "missing key \"sigma\""},
};

static void test_bad_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        gs_dist d;
        gs_error err;
        gs_status st = parse(bc->text, &d, &err);
        if (st != GS_ECONFIG || err.code != GS_ECONFIG || err.line != bc->line ||
            !strstr(err.msg, bc->msg) || strncmp(err.msg, "x: ", 3) != 0 || err.file[0])
            fail_msg("case %zu:\n%s\ngave status %d, line %d (want %d), file \"%s\", message:\n%s\n"
                     "want a message containing: %s",
                     i, bc->text, (int)st, err.line, bc->line, err.file, err.msg, bc->msg);
    }
}

/* More choices than a gs_dist holds. */
static void test_too_many_choices(void **state)
{
    (void)state;
    char text[2048];
    size_t len = (size_t)snprintf(text, sizeof text, "x = {\n dist = \"discrete\";\n values = [");
    for (int i = 0; i <= GS_DIST_MAX_CHOICES; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%d.0", i ? ", " : "", i);
    snprintf(text + len, sizeof text - len, "]; };");
    gs_dist d;
    gs_error err;
    assert_int_equal(parse(text, &d, &err), GS_ECONFIG);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "values has 65 entries; at most 64"));
}

/* A setting read from a file carries the file's name into the error. */
static void test_error_names_file(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/bad.cfg", gs_test_tmpdir("dist"));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("a = 1.0;\nx = {\n  dist = \"uniform\";\n  min = 1.0;\n  max = 0.5;\n};\n", f);
    fclose(f);
    config_t cfg;
    config_init(&cfg);
    assert_true(config_read_file(&cfg, path));
    gs_dist d;
    gs_error err;
    assert_int_equal(gs_dist_from_setting(config_lookup(&cfg, "x"), "x", &d, &err), GS_ECONFIG);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 5);
    assert_string_equal(err.msg, "x: min must be below max");
    assert_int_equal(gs_dist_from_setting(config_lookup(&cfg, "a"), "a", &d, &err), GS_OK);
    config_destroy(&cfg);
}

static const char *const continuous[] = {
    "x = { dist = \"uniform\"; min = -1.0; max = 3.0; };",
    "x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };",
    "x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; };",
    "x = { dist = \"truncnormal\"; mean = 0.0; sd = 1.0; max = -3.0; };",
    /* far in the upper tail: only 3.4e-6 of the normal's mass is kept */
    "x = { dist = \"truncnormal\"; mean = 0.0; sd = 1.0; min = 4.5; };",
    "x = { dist = \"truncnormal\"; mean = 10.0; sd = 1.0; min = 13.0; max = 14.0; };",
    "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.15; };",
    "x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5.0; };",
    "x = { dist = \"triangular\"; min = 0.0; mode = 0.0; max = 1.0; };",
    "x = { dist = \"triangular\"; min = 0.0; mode = 1.0; max = 1.0; };",
    "x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };",
    "x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; min = 1.0; max = 3.0; };",
    "x = { dist = \"beta\"; alpha = 0.5; beta = 0.5; };",
    "x = { dist = \"loguniform\"; min = 0.001; max = 10.0; };",
    "x = { dist = \"gamma\"; shape = 0.3; scale = 2.0; };",
    "x = { dist = \"gamma\"; shape = 30.0; scale = 0.1; };",
    "x = { dist = \"weibull\"; shape = 0.7; scale = 2.0; };",
    "x = { dist = \"weibull\"; shape = 5.0; scale = 2.0; };",
    "x = { dist = \"student_t\"; df = 2.5; loc = 1.0; scale = 0.5; };",
    "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.5; min = 1.0; max = 5.0; };",
    "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.5; min = 6.0; };",
    "x = { dist = \"gamma\"; shape = 2.0; scale = 1.0; max = 0.5; };",
    "x = { dist = \"gamma\"; shape = 2.0; scale = 1.0; min = 8.0; max = 12.0; };",
    "x = { dist = \"weibull\"; shape = 1.5; scale = 1.0; min = 0.5; max = 2.0; };",
    "x = { dist = \"student_t\"; df = 3.0; loc = 0.0; scale = 1.0; min = -2.0; max = 10.0; };",
    "x = { dist = \"student_t\"; df = 1.0; loc = 0.0; scale = 1.0; min = 50.0; };",
};

static void test_quantile_cdf_inverse(void **state)
{
    (void)state;
    static const double us[] = {1e-6, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 1 - 1e-6};
    const size_t nu = sizeof us / sizeof us[0];
    for (size_t k = 0; k < sizeof continuous / sizeof continuous[0]; k++) {
        gs_dist d = parse_ok(continuous[k]);
        double prev = -INFINITY;
        for (size_t i = 0; i < nu; i++) {
            double x = gs_dist_quantile(&d, us[i]);
            /* GSL's quantiles and CDFs agree to near double precision; beta's
             * Pinv is an iterative solve, hence 1e-9 relative. */
            double f = gs_dist_cdf(&d, x);
            if (!(fabs(f - us[i]) <= 1e-9 * us[i] + 1e-13) || !(x >= prev) ||
                !(x >= gs_dist_lower(&d) && x <= gs_dist_upper(&d)))
                fail_msg("%s: quantile(%g) = %.17g, cdf of it %.17g", continuous[k], us[i], x, f);
            prev = x;
        }
        assert_close(gs_dist_cdf(&d, gs_dist_lower(&d)), 0.0, 0, 0);
        assert_close(gs_dist_cdf(&d, gs_dist_upper(&d)), 1.0, 0, 0);
    }
}

static void test_discrete_quantile(void **state)
{
    (void)state;
    gs_dist d = parse_ok("x = { dist = \"discrete\"; values = [5.0, 1.0, 3.0, 4.0]; "
                         "weights = [0.1, 0.2, 0.0, 0.7]; };");
    /* sorted: 1 (0.2), 3 (0), 4 (0.7), 5 (0.1); cum 0.2, 0.2, 0.9, 1 */
    assert_close(gs_dist_quantile(&d, 0.1), 1.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.2), 1.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.2000001), 4.0, 0, 0);
    /* (the cumulative 0.9 is a rounded sum, so stay off the exact boundary) */
    assert_close(gs_dist_quantile(&d, 0.8999), 4.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 0.9001), 5.0, 0, 0);
    assert_close(gs_dist_quantile(&d, 1 - 1e-12), 5.0, 0, 0);
    assert_close(gs_dist_cdf(&d, 0.5), 0.0, 0, 0);
    assert_close(gs_dist_cdf(&d, 3.5), 0.2, 1e-15, 0);
    assert_close(gs_dist_cdf(&d, 4.0), 0.9, 1e-15, 0);
    assert_close(gs_dist_cdf(&d, 7.0), 1.0, 0, 0);
    assert_close(gs_dist_lower(&d), 1.0, 0, 0);
    assert_close(gs_dist_upper(&d), 5.0, 0, 0);
    /* cdf(quantile(u)) >= u, and just below the value the cdf is < u */
    for (double u = 0.01; u < 1; u += 0.01) {
        double x = gs_dist_quantile(&d, u);
        assert_true(gs_dist_cdf(&d, x) >= u);
        assert_true(gs_dist_cdf(&d, nextafter(x, -INFINITY)) < u);
    }
    d = parse_ok("x = { dist = \"discrete\"; values = [1.0, 2.0]; weights = [0.0, 1.0]; };");
    assert_close(gs_dist_lower(&d), 2.0, 0, 0);

    gs_dist b = parse_ok("x = { dist = \"bernoulli\"; p = 0.3; };");
    assert_close(gs_dist_quantile(&b, 0.69), 0.0, 0, 0);
    assert_close(gs_dist_quantile(&b, 0.71), 1.0, 0, 0);
    assert_close(gs_dist_cdf(&b, -0.5), 0.0, 0, 0);
    assert_close(gs_dist_cdf(&b, 0.0), 0.7, 1e-15, 0);
    assert_close(gs_dist_cdf(&b, 1.0), 1.0, 0, 0);
    assert_close(gs_dist_lower(&b), 0.0, 0, 0);
    assert_close(gs_dist_upper(&b), 1.0, 0, 0);
    b = parse_ok("x = { dist = \"bernoulli\"; p = 0.0; };");
    assert_close(gs_dist_quantile(&b, 1 - 1e-12), 0.0, 0, 0);
    assert_close(gs_dist_upper(&b), 0.0, 0, 0);
}

/* Analytic moments against closed forms worked out by hand. */
static void test_moments_closed_form(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double mean, var;
    } cases[] = {
        {"x = 4.5;", 4.5, 0.0},
        {"x = { dist = \"uniform\"; min = 1.0; max = 3.0; };", 2.0, 4.0 / 12.0},
        {"x = { dist = \"normal\"; mean = -1.0; sd = 3.0; };", -1.0, 9.0},
        /* standard normal on [-1, 1]: 1 - 2 phi(1) / (2 Phi(1) - 1) */
        {"x = { dist = \"truncnormal\"; mean = 0.0; sd = 1.0; min = -1.0; max = 1.0; };", 0.0,
         1.0 - 2 * 0.24197072451914337 / 0.68268949213708585},
        /* half-normal: sqrt(2/pi), 1 - 2/pi; shifted and scaled */
        {"x = { dist = \"truncnormal\"; mean = 5.0; sd = 2.0; min = 5.0; };",
         5.0 + 2.0 * 0.79788456080286536, 4.0 * (1.0 - 0.63661977236758134)},
        {"x = { dist = \"lognormal\"; median = 1.0; sigma = 1.0; };", 1.6487212707001282,
         (2.7182818284590452 - 1.0) * 2.7182818284590452},
        {"x = { dist = \"triangular\"; min = 0.0; mode = 0.0; max = 1.0; };", 1.0 / 3.0, 1.0 / 18.0},
        {"x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5.0; };", 9.5 / 3.0,
         (1.5 * 1.5 + 9.0 + 25.0 - 4.5 - 7.5 - 15.0) / 18.0},
        /* PERT(0, 0.5, 1) is beta(3, 3): variance 9 / (36 * 7) */
        {"x = { dist = \"pert\"; min = 0.0; mode = 0.5; max = 1.0; };", 0.5, 1.0 / 28.0},
        /* PERT mean is (min + 4 mode + max) / 6 */
        {"x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };", 3.85 / 6.0,
         /* alpha = 1 + 4 * .25/.45 = 29/9, beta = 1 + 4 * .2/.45 = 25/9 */
         0.45 * 0.45 * (29.0 / 9) * (25.0 / 9) / ((54.0 / 9) * (54.0 / 9) * (63.0 / 9))},
        {"x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; };", 2.0 / 7.0, 10.0 / (49.0 * 8.0)},
        {"x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; min = 10.0; max = 20.0; };",
         10.0 + 20.0 / 7.0, 100.0 * 10.0 / (49.0 * 8.0)},
        {"x = { dist = \"bernoulli\"; p = 0.3; };", 0.3, 0.21},
        {"x = { dist = \"discrete\"; values = [1.0, 2.0, 3.0]; weights = [1.0, 1.0, 2.0]; };", 2.25,
         0.6875},
        {"x = { dist = \"gamma\"; shape = 2.5; scale = 3.0; };", 7.5, 22.5},
        /* weibull(2, 3): 3 Gamma(1.5) = 1.5 sqrt(pi); 9 (1 - pi/4) */
        {"x = { dist = \"weibull\"; shape = 2.0; scale = 3.0; };", 1.5 * 1.7724538509055160,
         9.0 * (1.0 - 0.78539816339744831)},
        /* loguniform(1, e): (e - 1), (e^2 - 1)/2 - (e - 1)^2 */
        {"x = { dist = \"loguniform\"; min = 1.0; max = 2.7182818284590452; };",
         1.7182818284590452, 0.5 * (7.3890560989306502 - 1.0) - 1.7182818284590452 * 1.7182818284590452},
        {"x = { dist = \"student_t\"; df = 5.0; loc = 1.0; scale = 2.0; };", 1.0, 4.0 * 5.0 / 3.0},
        /* truncated lognormal by quadrature against its closed form:
         * E[X^n] = exp(n mu + n^2 s^2/2) [Phi((ln b - mu - n s^2)/s) - Phi((ln a - mu - n s^2)/s)] / Z,
         * here mu = 0, s = 1, a = 0.5, b = 4 */
        {"x = { dist = \"lognormal\"; median = 1.0; sigma = 1.0; min = 0.5; max = 4.0; };",
         1.4823557264627543, 0.7246584478040088},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gs_dist d = parse_ok(cases[i].text);
        double m = gs_dist_mean(&d), v = gs_dist_variance(&d);
        if (!(fabs(m - cases[i].mean) <= 1e-12 * (1 + fabs(cases[i].mean))) ||
            !(fabs(v - cases[i].var) <= 1e-12 * (1 + fabs(cases[i].var))))
            fail_msg("%s: mean %.17g (want %.17g), variance %.17g (want %.17g)", cases[i].text, m,
                     cases[i].mean, v, cases[i].var);
    }
}

static void test_describe(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"x = 0.29;", "0.29"},
        {"x = { dist = \"uniform\"; min = 0.1; max = 0.5; };", "uniform(min=0.1, max=0.5)"},
        {"x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };", "normal(mean=0.07, sd=0.015)"},
        {"x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0; };",
         "truncnormal(mean=0.2, sd=0.1, min=0)"},
        {"x = { dist = \"lognormal\"; median = 2.7; sigma = 0.15; };",
         "lognormal(median=2.7, sigma=0.15)"},
        {"x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5.0; };",
         "triangular(min=1.5, mode=3, max=5)"},
        {"x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };",
         "pert(min=0.4, mode=0.65, max=0.85)"},
        {"x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; };", "beta(alpha=2, beta=5, min=0, max=1)"},
        {"x = { dist = \"bernoulli\"; p = 0.3; };", "bernoulli(p=0.3)"},
        {"x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; max = 9; };",
         "gamma(shape=2, scale=1.5, max=9)"},
        {"x = { dist = \"student_t\"; df = 4.0; loc = 0.0; scale = 1.0; };",
         "student_t(df=4, loc=0, scale=1)"},
        {"x = { dist = \"loguniform\"; min = 0.01; max = 1.0; };", "loguniform(min=0.01, max=1)"},
        {"x = { dist = \"discrete\"; values = [2018.0, 2019.0]; weights = [7, 3]; };",
         "discrete(2018: 0.7, 2019: 0.3)"},
    };
    char buf[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gs_dist d = parse_ok(cases[i].text);
        gs_dist_describe(&d, buf, sizeof buf);
        assert_string_equal(buf, cases[i].want);
    }
    /* A short buffer is truncated, never overrun. */
    gs_dist d = parse_ok(cases[5].text);
    char small[8];
    gs_dist_describe(&d, small, sizeof small);
    assert_string_equal(small, "triangu");
}

static void assert_dist_equal(const gs_dist *x, const gs_dist *y, const char *text)
{
    int same = x->type == y->type && x->a == y->a && x->b == y->b && x->c == y->c &&
               x->d == y->d && x->truncated == y->truncated && x->lo == y->lo &&
               x->hi == y->hi && x->n_choices == y->n_choices;
    for (size_t i = 0; same && i < x->n_choices; i++)
        same = x->values[i] == y->values[i] && x->cum[i] == y->cum[i];
    if (!same)
        fail_msg("round trip changed the distribution:\n%s", text);
}

static void round_trip(const gs_dist *d)
{
    char buf[8192], text[8300];
    gs_dist_to_config(d, buf, sizeof buf);
    snprintf(text, sizeof text, "x = %s;", buf);
    gs_dist back = parse_ok(text);
    assert_dist_equal(d, &back, text);
}

static void test_to_config_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "x = 0.29;",
        "x = 3;",
        "x = 1e20;",
        "x = -1.2345678901234567e-300;",
        "x = { dist = \"uniform\"; min = 0.1; max = 0.30000000000000004; };",
        "x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };",
        "x = { dist = \"normal\"; p05 = 0.045; p95 = 0.095; };",
        "x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; };",
        "x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; max = 1.0; };",
        "x = { dist = \"truncnormal\"; mean = 0.2; sd = 0.1; min = 0; };",
        "x = { dist = \"lognormal\"; median = 2.7; sigma = 0.15; };",
        "x = { dist = \"lognormal\"; p10 = 2.0; p90 = 3.5; };",
        "x = { dist = \"triangular\"; min = 1.5; mode = 3.0; max = 5.0; };",
        "x = { dist = \"pert\"; min = 0.4; mode = 0.65; max = 0.85; };",
        "x = { dist = \"beta\"; alpha = 2.0; beta = 5.0; };",
        "x = { dist = \"beta\"; alpha = 0.3; beta = 5.0; min = -1; max = 7; };",
        "x = { dist = \"bernoulli\"; p = 0.3; };",
        "x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; };",
        "x = { dist = \"gamma\"; p10 = 1.5; p90 = 4.0; };",
        "x = { dist = \"gamma\"; shape = 2.0; scale = 1.5; min = 0.3; max = 9; };",
        "x = { dist = \"weibull\"; shape = 2.0; scale = 1.5; min = 0.1; };",
        "x = { dist = \"loguniform\"; p10 = 0.1; p90 = 3.0; };",
        "x = { dist = \"student_t\"; df = 4.0; loc = 0.0; scale = 1.0; max = 3.0; };",
        "x = { dist = \"lognormal\"; mu = 0.3; sigma = 0.5; min = 0.2; max = 4.0; };",
        "x = { dist = \"normal\"; mean = 0.3; sd = 0.5; max = 4.0; };",
        "x = { dist = \"discrete\"; values = [2018.0, 2019.0]; weights = [0.7, 0.3]; };",
        "x = { dist = \"discrete\"; values = [3.0, 1.0, 2.0, 1.0]; weights = [0.1, 0.0, 0.7, 0.3]; };",
        "x = { dist = \"discrete\"; values = [1e20, -5.0]; weights = [1, 2]; };",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        gs_dist d = parse_ok(texts[i]);
        round_trip(&d);
    }
    char buf[128];
    gs_dist d = parse_ok("x = { dist = \"normal\"; mean = 0.07; sd = 0.015; };");
    gs_dist_to_config(&d, buf, sizeof buf);
    assert_string_equal(buf, "{ dist = \"normal\"; mean = 0.070000000000000007; sd = 0.014999999999999999; }");

    /* Random weights of every size: the written weights must rebuild the
     * stored cumulative values bit for bit. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20140601);
    for (int rep = 0; rep < 200; rep++) {
        size_t n = 1 + gsl_rng_uniform_int(r, GS_DIST_MAX_CHOICES);
        char text[8192];
        size_t len = (size_t)snprintf(text, sizeof text, "x = { dist = \"discrete\"; values = [");
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%.17g", i ? ", " : "",
                                    gsl_rng_uniform(r) * 100 + 0.5);
        len += (size_t)snprintf(text + len, sizeof text - len, "]; weights = [");
        for (size_t i = 0; i < n; i++) {
            double w = gsl_rng_uniform(r);
            w = w < 0.1 ? 0.0 : w * w * w * 37.0; /* some zeros, uneven sizes */
            if (i == 0)
                w += 0.5;
            /* a float array: a bare 0 would be an int and libconfig rejects the mix */
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%.17g%s", i ? ", " : "", w,
                                    w == 0 ? ".0" : "");
        }
        snprintf(text + len, sizeof text - len, "]; };");
        d = parse_ok(text);
        round_trip(&d);
    }
    gsl_rng_free(r);
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_more_families),
        cmocka_unit_test(test_beta_extreme_shapes),
        cmocka_unit_test(test_beta_quantile_meets_its_cdf),
        cmocka_unit_test(test_bad_forms),
        cmocka_unit_test(test_too_many_choices),
        cmocka_unit_test(test_error_names_file),
        cmocka_unit_test(test_quantile_cdf_inverse),
        cmocka_unit_test(test_discrete_quantile),
        cmocka_unit_test(test_moments_closed_form),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_to_config_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
