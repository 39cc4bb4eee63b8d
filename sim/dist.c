/* dist.c: parameter distributions as a table of family types, the Gaussian
 * copula and Latin hypercube.  Reading distributions from config files lives
 * in dist_config.c. */
#include "gs_dist.h"

#include "gs_util.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A truncation keeping less than this share of the family's mass is almost
 * surely a typo (bounds on the wrong side of the mean, sd off by a factor of
 * ten); its moments would also lose precision to cancellation. */
#define TRUNC_MIN_MASS 1e-6

/* ---- the construction of a distribution from its keys --------------------- */

/* What a family's constructor reads: the keys as written, the two pNN keys
 * already collected, and where to report a fault. */
typedef struct {
    const gs_dist_type *type;
    const gs_dist_arg *args;
    size_t n;
    int npts;
    int pct[2];        /* NN of the pNN keys, ascending once sorted */
    double pct_x[2];   /* their values */
    size_t pct_at[2];  /* their indices in args */
    size_t *at;
    gs_error *err;
} build;

enum {
    DT_PCT = 1,   /* two pNN keys may replace the family's parameters */
    DT_TRUNC = 2, /* min and max truncate the family */
};

struct gs_dist_type {
    const char *name;
    const char *keys[5]; /* its own keys besides "dist" (and min/max of DT_TRUNC) */
    unsigned flags;
    gs_status (*make)(build *b, gs_dist *d); /* reads keys, checks, sets a..d */
    double (*quantile)(const gs_dist *d, double u);
    double (*cdf)(const gs_dist *d, double x);
    /* Upper tail 1 - CDF and its inverse, which keep the digits of a
     * truncation far above the median; NULL when the family is not
     * truncatable. */
    double (*sf)(const gs_dist *d, double x);
    double (*sf_inv)(const gs_dist *d, double q);
    double (*mean)(const gs_dist *d);     /* of the untruncated family */
    double (*variance)(const gs_dist *d); /* of the untruncated family */
    /* Moments of the truncated family in closed form; NULL: by quadrature. */
    void (*trunc_moments)(const gs_dist *d, double *mean, double *var);
    double (*lower)(const gs_dist *d); /* support of the untruncated family */
    double (*upper)(const gs_dist *d);
    void (*describe)(const gs_dist *d, gs_strbuf *sb);  /* "mean=.., sd=.." */
    void (*to_config)(const gs_dist *d, gs_strbuf *sb); /* " mean = ..; sd = ..;" */
};

__attribute__((format(printf, 3, 4))) static gs_status bad(build *b, size_t at, const char *fmt,
                                                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[900];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    *b->at = at;
    return gs_error_set(b->err, GS_ECONFIG, NULL, 0, "%s", msg);
}

/* Index of key in the args, GS_DIST_AT_GROUP when absent. */
static size_t at_key(const build *b, const char *key)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->args[i].key, key) == 0)
            return i;
    return GS_DIST_AT_GROUP;
}

static int has(const build *b, const char *key)
{
    return at_key(b, key) != GS_DIST_AT_GROUP;
}

static gs_status check_number(build *b, size_t i)
{
    const gs_dist_arg *a = &b->args[i];
    if (a->kind != GS_DIST_ARG_NUMBER)
        return bad(b, i, "%s must be a number", a->key);
    if (!isfinite(a->value))
        return bad(b, i, "%s must be a finite number", a->key);
    return GS_OK;
}

/* Reads a number key; a missing required key names the family. */
static gs_status num(build *b, const char *key, int required, double *out, int *found)
{
    size_t i = at_key(b, key);
    if (found)
        *found = i != GS_DIST_AT_GROUP;
    if (i == GS_DIST_AT_GROUP) {
        if (required)
            return bad(b, GS_DIST_AT_GROUP, "missing key \"%s\" for a %s distribution", key,
                       b->type->name);
        return GS_OK;
    }
    gs_status st = check_number(b, i);
    if (st == GS_OK)
        *out = b->args[i].value;
    return st;
}

#define NUM(key, req, dst, found)                                                          \
    do {                                                                                   \
        gs_status st_ = num(b, key, req, dst, found);                                      \
        if (st_ != GS_OK)                                                                  \
            return st_;                                                                    \
    } while (0)

/* A list key: up to GS_DIST_MAX_CHOICES finite numbers. */
static gs_status list(build *b, const char *key, double *out, size_t *n, int *found)
{
    size_t i = at_key(b, key);
    *found = i != GS_DIST_AT_GROUP;
    *n = 0;
    if (i == GS_DIST_AT_GROUP)
        return GS_OK;
    const gs_dist_arg *a = &b->args[i];
    if (a->kind == GS_DIST_ARG_BADLIST)
        return bad(b, i, "%s: entry %zu is not a number", key, a->bad_entry);
    if (a->kind != GS_DIST_ARG_LIST)
        return bad(b, i, "%s must be a list of numbers such as [1.0, 2.0]", key);
    if (a->len == 0)
        return bad(b, i, "%s must not be empty", key);
    if (a->len > GS_DIST_MAX_CHOICES)
        return bad(b, i, "%s has %zu entries; at most %d are allowed", key, a->len,
                   GS_DIST_MAX_CHOICES);
    for (size_t k = 0; k < a->len; k++) {
        if (!isfinite(a->list[k]))
            return bad(b, i, "%s: entry %zu is not a finite number", key, k + 1);
        out[k] = a->list[k];
    }
    *n = a->len;
    return GS_OK;
}

/* A key of the form pNN, NN = 01..99: returns NN, 0 when it is not of that form
 * at all, -1 when it looks like a percentile but is malformed ("p5", "p100"). */
static int percentile_key(const char *k)
{
    if (k[0] != 'p' || !k[1])
        return 0;
    for (const char *c = k + 1; *c; c++)
        if (*c < '0' || *c > '9')
            return 0;
    if (strlen(k) != 3)
        return -1;
    int v = (k[1] - '0') * 10 + (k[2] - '0');
    return v >= 1 ? v : -1;
}

/* Checks every key belongs to the family, collecting the pNN keys. */
static gs_status check_keys(build *b)
{
    const gs_dist_type *t = b->type;
    const char *cand[10];
    size_t nc = 0;
    cand[nc++] = "dist";
    for (size_t i = 0; t->keys[i]; i++)
        cand[nc++] = t->keys[i];
    if (t->flags & DT_TRUNC) {
        cand[nc++] = "min";
        cand[nc++] = "max";
    }
    b->npts = 0;
    for (size_t i = 0; i < b->n; i++) {
        const char *k = b->args[i].key;
        int known = 0;
        for (size_t j = 0; j < nc && !known; j++)
            known = strcmp(k, cand[j]) == 0;
        if (known)
            continue;
        int pct = (t->flags & DT_PCT) ? percentile_key(k) : 0;
        if (pct < 0)
            return bad(b, i, "percentile key \"%s\" must be written p01 to p99 (two digits)", k);
        if (pct > 0) {
            if (b->npts == 2)
                return bad(b, i, "%s: give exactly two percentiles (found %s, %s and %s)", k,
                           b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key, k);
            gs_status st = check_number(b, i);
            if (st)
                return st;
            b->pct[b->npts] = pct;
            b->pct_x[b->npts] = b->args[i].value;
            b->pct_at[b->npts] = i;
            b->npts++;
            continue;
        }
        const char *near = gs_nearest(k, cand, nc);
        if (near)
            return bad(b, i, "unknown key \"%s\" for a %s distribution (did you mean \"%s\"?)", k,
                       t->name, near);
        gs_strbuf valid = {0};
        for (size_t j = 1; j < nc; j++)
            gs_strbuf_printf(&valid, "%s%s", j > 1 ? ", " : "", cand[j]);
        if (t->flags & DT_PCT)
            gs_strbuf_printf(&valid, ", or two of p01 to p99");
        gs_status st = bad(b, i, "unknown key \"%s\" for a %s distribution (valid keys: %s)", k,
                           t->name, gs_strbuf_str(&valid));
        gs_strbuf_free(&valid);
        return st;
    }
    if (b->npts == 1)
        return bad(b, b->pct_at[0], "give two percentiles, not only %s", b->args[b->pct_at[0]].key);
    if (b->npts == 2 && b->pct[0] > b->pct[1]) {
        int p = b->pct[0];
        double x = b->pct_x[0];
        size_t a = b->pct_at[0];
        b->pct[0] = b->pct[1];
        b->pct_x[0] = b->pct_x[1];
        b->pct_at[0] = b->pct_at[1];
        b->pct[1] = p;
        b->pct_x[1] = x;
        b->pct_at[1] = a;
    }
    return GS_OK;
}

/* Refuses the family's own keys beside two percentiles. */
static gs_status pct_alone(build *b, const char *what)
{
    for (size_t i = 0; b->type->keys[i]; i++)
        if (has(b, b->type->keys[i]))
            return bad(b, at_key(b, b->type->keys[i]), "give either %s or two percentiles, not both",
                       what);
    return GS_OK;
}

/* The two percentiles in ascending order of value; x1 must exceed x0. */
static gs_status pct_ordered(build *b)
{
    if (!(b->pct_x[0] < b->pct_x[1]))
        return bad(b, b->pct_at[1], "%s (%g) must be above %s (%g)", b->args[b->pct_at[1]].key,
                   b->pct_x[1], b->args[b->pct_at[0]].key, b->pct_x[0]);
    return GS_OK;
}

/* Two percentiles of a location-scale family with standard quantile z(p)
 * fix location and scale in closed form: x_i = loc + scale z_i. */
static gs_status pct_loc_scale(build *b, double x0, double x1, double z0, double z1, double *loc,
                               double *scale)
{
    *scale = (x1 - x0) / (z1 - z0);
    *loc = x0 - *scale * z0;
    if (!(*scale > 0) || !isfinite(*scale) || !isfinite(*loc))
        return bad(b, GS_DIST_AT_GROUP, "%s and %s give no usable distribution",
                   b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key);
    return GS_OK;
}

/* Percentiles of the normal scale (of log x when log_scale). */
static gs_status pct_normal(build *b, int log_scale, double *loc, double *scale)
{
    gs_status st = pct_ordered(b);
    if (st)
        return st;
    double x0 = b->pct_x[0], x1 = b->pct_x[1];
    if (log_scale) {
        if (x0 <= 0)
            return bad(b, b->pct_at[0], "%s must be positive for a %s distribution",
                       b->args[b->pct_at[0]].key, b->type->name);
        x0 = log(x0);
        x1 = log(x1);
    }
    double z0 = gsl_cdf_ugaussian_Pinv(b->pct[0] / 100.0);
    double z1 = gsl_cdf_ugaussian_Pinv(b->pct[1] / 100.0);
    return pct_loc_scale(b, x0, x1, z0, z1, loc, scale);
}

static void put_exact(gs_strbuf *sb, double v);

/* ---- bounded root finding ------------------------------------------------ */

/* Root of f in [lo, hi] (f(lo) and f(hi) of opposite signs) by GSL's Brent
 * solver, in at most ROOT_MAX_ITER steps: bounded work whatever the
 * parameters.  NAN when f does not change sign over the bracket. */
#define ROOT_MAX_ITER 300

static double brent(double (*f)(double, void *), void *arg, double lo, double hi)
{
    double flo = f(lo, arg), fhi = f(hi, arg);
    if (flo == 0)
        return lo;
    if (fhi == 0)
        return hi;
    if (!(flo * fhi < 0))
        return NAN;
    gsl_function fn = {f, arg};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    double x = NAN;
    if (gsl_root_fsolver_set(s, &fn, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < ROOT_MAX_ITER; i++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            x = gsl_root_fsolver_root(s);
            if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                       0, 4 * DBL_EPSILON) == GSL_SUCCESS)
                break;
        }
    }
    gsl_root_fsolver_free(s);
    return x;
}

/* Inverting a CDF when GSL's own inverse fails: the x in (0, top] with
 * g(x) = p, g increasing (tail = 0) or decreasing (tail = 1), solved for
 * log x, on which the far tails of the beta and gamma CDFs (g ~ x^shape) are
 * smooth enough for Brent's interpolation.  0 when the root lies below the
 * smallest double. */
typedef struct {
    const gs_dist *d;
    double (*g)(const gs_dist *, double);
    double p;
    int tail;
} inv_arg;

static double inv_f(double t, void *v)
{
    const inv_arg *a = v;
    double r = a->g(a->d, exp(t)) - a->p;
    return a->tail ? -r : r;
}

static double invert(const gs_dist *d, double (*g)(const gs_dist *, double), double p, int tail,
                     double top)
{
    inv_arg a = {d, g, p, tail};
    double lo = log(DBL_MIN);
    if (inv_f(lo, &a) >= 0)
        return 0.0;
    return exp(brent(inv_f, &a, lo, log(top)));
}

/* Is x a quantile at u to GSL's own precision?  g is the CDF below the
 * median and the upper tail above it, where 1 - u keeps the digits. */
static int is_quantile(const gs_dist *d, double x, double u, double (*cdf)(const gs_dist *, double),
                       double (*sf)(const gs_dist *, double))
{
    if (!isfinite(x))
        return 0;
    double t = u <= 0.5 ? u : 1.0 - u, f = u <= 0.5 ? cdf(d, x) : sf(d, x);
    return fabs(f - t) <= 1e-6 * t;
}

/* ---- the numeric domains ------------------------------------------------- */

/* GSL's incomplete beta and gamma functions lose all precision (and
 * gsl_cdf_beta_Pinv stops returning) for shapes far outside these; a beta
 * with alpha and beta of 1e5 already has an sd below 0.0012 and is a normal
 * in all but name, so the domain refuses no distribution anyone means. */
#define BETA_SHAPE_MIN 1e-3
#define BETA_SHAPE_MAX 1e5
#define GAMMA_SHAPE_MIN 1e-3
#define GAMMA_SHAPE_MAX 1e7

static gs_status in_domain(build *b, const char *key, double v, double lo, double hi)
{
    if (!(v >= lo && v <= hi))
        return bad(b, at_key(b, key), "%s = %g is outside [%g, %g], the range where its quantiles "
                   "can be computed to full precision", key, v, lo, hi);
    return GS_OK;
}


/* ---- constant ------------------------------------------------------------ */

static gs_status constant_make(build *b, gs_dist *d)
{
    NUM("value", 1, &d->a, NULL);
    return GS_OK;
}
static double constant_quantile(const gs_dist *d, double u)
{
    (void)u;
    return d->a;
}
static double constant_cdf(const gs_dist *d, double x)
{
    return x < d->a ? 0.0 : 1.0;
}
static double param_a(const gs_dist *d)
{
    return d->a;
}
static double param_b(const gs_dist *d)
{
    return d->b;
}
static double param_c(const gs_dist *d)
{
    return d->c;
}
static double param_d(const gs_dist *d)
{
    return d->d;
}
static double zero(const gs_dist *d)
{
    (void)d;
    return 0.0;
}
static double minus_inf(const gs_dist *d)
{
    (void)d;
    return -INFINITY;
}
static double plus_inf(const gs_dist *d)
{
    (void)d;
    return INFINITY;
}
static void constant_describe(const gs_dist *d, gs_strbuf *sb)
{
    gs_strbuf_printf(sb, "%.10g", d->a);
}
static void constant_to_config(const gs_dist *d, gs_strbuf *sb)
{
    put_exact(sb, d->a);
}

static const gs_dist_type constant_type = {
    .name = "constant",
    .keys = {"value", NULL},
    .make = constant_make,
    .quantile = constant_quantile,
    .cdf = constant_cdf,
    .mean = param_a,
    .variance = zero,
    .lower = param_a,
    .upper = param_a,
    .describe = constant_describe,
    .to_config = constant_to_config,
};

/* Writes the family's keys in table order with values a, b, c, d. */
static void keys_to_config(const gs_dist *d, gs_strbuf *sb)
{
    const double v[4] = {d->a, d->b, d->c, d->d};
    for (size_t i = 0; i < 4 && d->type->keys[i]; i++) {
        gs_strbuf_printf(sb, " %s = ", d->type->keys[i]);
        put_exact(sb, v[i]);
        gs_strbuf_printf(sb, ";");
    }
}

static void keys_describe(const gs_dist *d, gs_strbuf *sb)
{
    const double v[4] = {d->a, d->b, d->c, d->d};
    for (size_t i = 0; i < 4 && d->type->keys[i]; i++)
        gs_strbuf_printf(sb, "%s%s=%.10g", i ? ", " : "", d->type->keys[i], v[i]);
}

/* ---- uniform ------------------------------------------------------------- */

static gs_status pct_linear(build *b, double x0, double x1, double *lo, double *hi);

static gs_status uniform_make(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        gs_status st = pct_alone(b, "min and max");
        if (!st)
            st = pct_ordered(b);
        return st ? st : pct_linear(b, b->pct_x[0], b->pct_x[1], &d->a, &d->b);
    }
    NUM("min", 1, &d->a, NULL);
    NUM("max", 1, &d->b, NULL);
    if (!(d->a < d->b))
        return bad(b, at_key(b, "max"), "min must be below max");
    return GS_OK;
}
static double uniform_quantile(const gs_dist *d, double u)
{
    return gsl_cdf_flat_Pinv(u, d->a, d->b);
}
static double uniform_cdf(const gs_dist *d, double x)
{
    return gsl_cdf_flat_P(x, d->a, d->b);
}
static double uniform_mean(const gs_dist *d)
{
    return 0.5 * (d->a + d->b);
}
static double uniform_variance(const gs_dist *d)
{
    return (d->b - d->a) * (d->b - d->a) / 12.0;
}

static const gs_dist_type uniform_type = {
    .name = "uniform",
    .keys = {"min", "max", NULL},
    .flags = DT_PCT,
    .make = uniform_make,
    .quantile = uniform_quantile,
    .cdf = uniform_cdf,
    .mean = uniform_mean,
    .variance = uniform_variance,
    .lower = param_a,
    .upper = param_b,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- normal and truncated normal ----------------------------------------- */

static gs_status normal_params(build *b, gs_dist *d)
{
    NUM("mean", 1, &d->a, NULL);
    NUM("sd", 1, &d->b, NULL);
    if (!(d->b > 0))
        return bad(b, at_key(b, "sd"), "sd must be positive");
    return GS_OK;
}
static gs_status normal_make(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        gs_status st = pct_alone(b, "mean and sd");
        return st ? st : pct_normal(b, 0, &d->a, &d->b);
    }
    return normal_params(b, d);
}
static double normal_quantile(const gs_dist *d, double u)
{
    return d->a + gsl_cdf_gaussian_Pinv(u, d->b);
}
static double normal_cdf(const gs_dist *d, double x)
{
    return gsl_cdf_gaussian_P(x - d->a, d->b);
}
static double normal_sf(const gs_dist *d, double x)
{
    return gsl_cdf_ugaussian_Q((x - d->a) / d->b);
}
static double normal_sf_inv(const gs_dist *d, double q)
{
    return d->a + d->b * gsl_cdf_ugaussian_Qinv(q);
}
static double normal_variance(const gs_dist *d)
{
    return d->b * d->b;
}

static double phi(double x)
{
    return isfinite(x) ? gsl_ran_ugaussian_pdf(x) : 0.0;
}

static double xphi(double x)
{
    return isfinite(x) ? x * gsl_ran_ugaussian_pdf(x) : 0.0;
}

/* P(alpha < Z < beta), taken from whichever tail keeps the digits. */
static double trunc_mass(double alpha, double beta)
{
    if (alpha >= 0)
        return gsl_cdf_ugaussian_Q(alpha) - gsl_cdf_ugaussian_Q(beta);
    if (beta <= 0)
        return gsl_cdf_ugaussian_P(beta) - gsl_cdf_ugaussian_P(alpha);
    return 1.0 - gsl_cdf_ugaussian_P(alpha) - gsl_cdf_ugaussian_Q(beta);
}

static void normal_trunc_moments(const gs_dist *d, double *mean, double *var)
{
    double alpha = (d->lo - d->a) / d->b, beta = (d->hi - d->a) / d->b;
    double z = trunc_mass(alpha, beta);
    double m = (phi(alpha) - phi(beta)) / z;
    *mean = d->a + d->b * m;
    *var = d->b * d->b * (1.0 + (xphi(alpha) - xphi(beta)) / z - m * m);
}

static const gs_dist_type normal_type = {
    .name = "normal",
    .keys = {"mean", "sd", NULL},
    .flags = DT_PCT | DT_TRUNC,
    .make = normal_make,
    .quantile = normal_quantile,
    .cdf = normal_cdf,
    .sf = normal_sf,
    .sf_inv = normal_sf_inv,
    .mean = param_a,
    .variance = normal_variance,
    .trunc_moments = normal_trunc_moments,
    .lower = minus_inf,
    .upper = plus_inf,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* A normal between min and max (either may be left out). */
static const gs_dist_type truncnormal_type = {
    .name = "truncnormal",
    .keys = {"mean", "sd", NULL},
    .flags = DT_TRUNC,
    .make = normal_params,
    .quantile = normal_quantile,
    .cdf = normal_cdf,
    .sf = normal_sf,
    .sf_inv = normal_sf_inv,
    .mean = param_a,
    .variance = normal_variance,
    .trunc_moments = normal_trunc_moments,
    .lower = minus_inf,
    .upper = plus_inf,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- lognormal ----------------------------------------------------------- */

static gs_status lognormal_make(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        gs_status st = pct_alone(b, "median (or mu) and sigma");
        return st ? st : pct_normal(b, 1, &d->a, &d->b);
    }
    double median = 0;
    int f1, f2;
    NUM("median", 0, &median, &f1);
    NUM("mu", 0, &d->a, &f2);
    if (f1 && f2)
        return bad(b, at_key(b, "mu"), "give median or mu (its log), not both");
    if (!f1 && !f2)
        return bad(b, GS_DIST_AT_GROUP,
                   "missing key \"median\" (or \"mu\") for a lognormal distribution");
    NUM("sigma", 1, &d->b, NULL);
    if (f1) {
        if (!(median > 0))
            return bad(b, at_key(b, "median"), "median must be positive");
        d->a = log(median);
    }
    if (!(d->b > 0))
        return bad(b, at_key(b, "sigma"), "sigma must be positive");
    return GS_OK;
}
static double lognormal_quantile(const gs_dist *d, double u)
{
    return gsl_cdf_lognormal_Pinv(u, d->a, d->b);
}
static double lognormal_cdf(const gs_dist *d, double x)
{
    return x <= 0 ? 0.0 : gsl_cdf_lognormal_P(x, d->a, d->b);
}
static double lognormal_sf(const gs_dist *d, double x)
{
    return x <= 0 ? 1.0 : gsl_cdf_lognormal_Q(x, d->a, d->b);
}
static double lognormal_sf_inv(const gs_dist *d, double q)
{
    return gsl_cdf_lognormal_Qinv(q, d->a, d->b);
}
static double lognormal_mean(const gs_dist *d)
{
    return exp(d->a + 0.5 * d->b * d->b);
}
static double lognormal_variance(const gs_dist *d)
{
    double s2 = d->b * d->b;
    return expm1(s2) * exp(2.0 * d->a + s2);
}
static void lognormal_describe(const gs_dist *d, gs_strbuf *sb)
{
    gs_strbuf_printf(sb, "median=%.10g, sigma=%.10g", exp(d->a), d->b);
}
/* mu rather than median: exp then log would not give mu back exactly. */
static void lognormal_to_config(const gs_dist *d, gs_strbuf *sb)
{
    gs_strbuf_printf(sb, " mu = ");
    put_exact(sb, d->a);
    gs_strbuf_printf(sb, "; sigma = ");
    put_exact(sb, d->b);
    gs_strbuf_printf(sb, ";");
}

static const gs_dist_type lognormal_type = {
    .name = "lognormal",
    .keys = {"median", "mu", "sigma", NULL},
    .flags = DT_PCT | DT_TRUNC,
    .make = lognormal_make,
    .quantile = lognormal_quantile,
    .cdf = lognormal_cdf,
    .sf = lognormal_sf,
    .sf_inv = lognormal_sf_inv,
    .mean = lognormal_mean,
    .variance = lognormal_variance,
    .lower = zero,
    .upper = plus_inf,
    .describe = lognormal_describe,
    .to_config = lognormal_to_config,
};

/* ---- triangular ---------------------------------------------------------- */

static gs_status min_mode_max(build *b, gs_dist *d)
{
    NUM("min", 1, &d->a, NULL);
    NUM("mode", 1, &d->b, NULL);
    NUM("max", 1, &d->c, NULL);
    if (!(d->a < d->c))
        return bad(b, at_key(b, "max"), "min must be below max");
    if (!(d->a <= d->b && d->b <= d->c))
        return bad(b, at_key(b, "mode"), "mode must lie between min and max");
    return GS_OK;
}
static double triangular_quantile(const gs_dist *d, double u)
{
    double lo = d->a, mode = d->b, hi = d->c, w = hi - lo;
    if (u * w < mode - lo)
        return lo + sqrt(u * w * (mode - lo));
    return hi - sqrt((1.0 - u) * w * (hi - mode));
}
static double triangular_cdf(const gs_dist *d, double x)
{
    double lo = d->a, mode = d->b, hi = d->c, w = hi - lo;
    if (x <= lo)
        return 0.0;
    if (x <= mode)
        return (x - lo) * (x - lo) / (w * (mode - lo));
    if (x < hi)
        return 1.0 - (hi - x) * (hi - x) / (w * (hi - mode));
    return 1.0;
}
static double triangular_mean(const gs_dist *d)
{
    return (d->a + d->b + d->c) / 3.0;
}
static double triangular_variance(const gs_dist *d)
{
    double a = d->a, c = d->b, b = d->c;
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
}

static const gs_dist_type triangular_type = {
    .name = "triangular",
    .keys = {"min", "mode", "max", NULL},
    .make = min_mode_max,
    .quantile = triangular_quantile,
    .cdf = triangular_cdf,
    .mean = triangular_mean,
    .variance = triangular_variance,
    .lower = param_a,
    .upper = param_c,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- beta and PERT --------------------------------------------------------- */

/* Shape and range of the beta behind a PERT (a beta on [min, max] with
 * lambda = 4) or a beta. */
static void beta_params(const gs_dist *d, double *al, double *be, double *lo, double *hi);

static double beta_unit_cdf(const gs_dist *d, double x)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    return gsl_cdf_beta_P(x, al, be);
}
static double beta_unit_sf(const gs_dist *d, double x)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    return gsl_cdf_beta_Q(x, al, be);
}
/* Above 0.5 a beta is the beta with its shapes swapped, evaluated at
 * 1 - x: solved there, 1 - x keeps its digits. */
static double beta_swap_cdf(const gs_dist *d, double y)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    return gsl_cdf_beta_P(y, be, al);
}
/* gsl_cdf_beta_Pinv returns NAN where its Newton steps do not converge
 * (beta(1e4, 1e4) in the tails, beta(0.01, 5) at the median) and a wrong
 * number at some small shapes; each answer is checked against the CDF, and
 * Brent's method on log x takes over in bounded work where it fails. */
/* The unit beta's quantile by Halley's method on the incomplete beta, for
 * shapes in [1, 100] (every PERT has shapes in [1, 5]), where the density is
 * bounded and the A&S 26.5.22 normal approximation starts within a few
 * digits: two or three CDF evaluations instead of gsl_cdf_beta_Pinv's eight
 * and its separate check.  Below the median it solves P(x) = u, above it
 * Q(x) = 1 - u (exact there), so each tail keeps its digits.  The answer is
 * accepted only when its own tail probability meets the target to 1e-12
 * relative (a million times tighter than the check of GSL's answer), or to
 * the resolution of x itself (4 ulps of x move the tail across the target);
 * otherwise (NAN returned) the general path below takes over. */
/* The regularised incomplete beta I_x(a, b) for x below its mean-ish
 * switch point (a + 1) / (a + b + 2), where the continued fraction of DLMF
 * 8.17.22 converges in a few dozen terms (modified Lentz), given
 * lnb = log B(a, b).  GSL's gsl_cdf_beta_P evaluates the same fraction but
 * recomputes log B (three log-gammas) on every call; a quantile search calls
 * it several times with the same shapes. */
static double beta_inc_cf(double x, double a, double b, double lnb)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double f = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        if (fabs(c) < tiny)
            c = tiny;
        f *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        if (fabs(c) < tiny)
            c = tiny;
        double delta = d * c;
        f *= delta;
        if (fabs(delta - 1.0) < 4.0 * DBL_EPSILON)
            break;
    }
    return exp(a * log(x) + b * log1p(-x) - lnb) * f / a;
}

/* The lower (upper = 0) or upper tail of the unit beta at x in (0, 1), each
 * from the side where it is computed directly (no 1 - rounding). */
static double beta_tail(double x, double a, double b, double lnb, int upper)
{
    if (x < (a + 1.0) / (a + b + 2.0)) {
        double p = beta_inc_cf(x, a, b, lnb);
        return upper ? 1.0 - p : p;
    }
    double q = beta_inc_cf(1.0 - x, b, a, lnb);
    return upper ? q : 1.0 - q;
}

static double beta_halley(double u, double al, double be)
{
    if (!(al >= 1 && al <= 100 && be >= 1 && be <= 100 && u > 0 && u < 1))
        return NAN;
    int upper = u > 0.5;
    double t = upper ? 1.0 - u : u;
    /* Abramowitz & Stegun 26.5.22: x = a / (a + b e^(2w)). */
    double y = gsl_cdf_ugaussian_Qinv(u);
    double l = (y * y - 3.0) / 6.0;
    double ra = 1.0 / (2.0 * al - 1.0), rb = 1.0 / (2.0 * be - 1.0);
    double h = 2.0 / (ra + rb);
    double w = y * sqrt(h + l) / h - (rb - ra) * (l + 5.0 / 6.0 - 2.0 / (3.0 * h));
    double x = al / (al + be * exp(2.0 * w));
    double lnb = gsl_sf_lnbeta(al, be);
    double blo = 0.0, bhi = 1.0;
    if (!(x > 0 && x < 1))
        x = al / (al + be);
    for (int it = 0; it < 12; it++) {
        double g = beta_tail(x, al, be, lnb, upper);
        double r = g - t;
        double pdf = exp((al - 1.0) * log(x) + (be - 1.0) * log1p(-x) - lnb);
        /* Met to 1e-12, or as far as a double x can resolve: moving x by 4
         * ulps either way would cross the target. */
        if (fabs(r) <= 1e-12 * t + 4.0 * DBL_EPSILON * x * pdf)
            return x;
        /* Keep a bracket: P rises with x, Q falls. */
        if ((r < 0) != upper)
            blo = x;
        else
            bhi = x;
        double step = (upper ? -r : r) / pdf;
        double curv = (al - 1.0) / x - (be - 1.0) / (1.0 - x);
        double den = 1.0 - 0.5 * step * curv;
        if (den > 0.5)
            step /= den;
        double xn = x - step;
        if (!(xn > blo && xn < bhi))
            xn = 0.5 * (blo + bhi);
        x = xn;
    }
    return NAN;
}

static double beta_quantile(const gs_dist *d, double u)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    double x = beta_halley(u, al, be);
    if (x == x)
        return lo + (hi - lo) * x;
    x = gsl_cdf_beta_Pinv(u, al, be);
    if (!(x >= 0 && x <= 1) || !is_quantile(d, x, u, beta_unit_cdf, beta_unit_sf))
        x = u <= gsl_cdf_beta_P(0.5, al, be) ? invert(d, beta_unit_cdf, u, 0, 0.5)
                                             : 1.0 - invert(d, beta_swap_cdf, 1.0 - u, 0, 0.5);
    return lo + (hi - lo) * x;
}
static double beta_cdf(const gs_dist *d, double x)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    if (x <= lo)
        return 0.0;
    if (x >= hi)
        return 1.0;
    return gsl_cdf_beta_P((x - lo) / (hi - lo), al, be);
}
static double beta_mean(const gs_dist *d)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    return lo + (hi - lo) * al / (al + be);
}
static double beta_variance(const gs_dist *d)
{
    double al, be, lo, hi;
    beta_params(d, &al, &be, &lo, &hi);
    double s = al + be;
    return (hi - lo) * (hi - lo) * al * be / (s * s * (s + 1.0));
}

static const gs_dist_type pert_type = {
    .name = "pert",
    .keys = {"min", "mode", "max", NULL},
    .make = min_mode_max,
    .quantile = beta_quantile,
    .cdf = beta_cdf,
    .mean = beta_mean,
    .variance = beta_variance,
    .lower = param_a,
    .upper = param_c,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* Two percentiles of a beta on a given [min, max]: alpha and beta solve
 * I_x0(alpha, beta) = p0 and I_x1(alpha, beta) = p1 (x scaled to [0, 1]).
 * I_x rises with beta, so for each alpha the second equation has one root
 * beta(alpha), found by Brent's method on log beta; the first is then a
 * root in log alpha, found the same way: two nested bounded searches over
 * the shape domain. */
typedef struct {
    double x[2], p[2];
    double la; /* log alpha of the inner search */
} beta_fit;

static double beta_inner_f(double lb, void *arg)
{
    const beta_fit *g = arg;
    return gsl_cdf_beta_P(g->x[1], exp(g->la), exp(lb)) - g->p[1];
}

static double beta_of_alpha(beta_fit *g, double la)
{
    g->la = la;
    return brent(beta_inner_f, g, log(BETA_SHAPE_MIN), log(BETA_SHAPE_MAX));
}

static double beta_outer_f(double la, void *arg)
{
    beta_fit *g = arg;
    double lb = beta_of_alpha(g, la);
    /* no beta for this alpha: I_x1 stays above p1 when alpha is small and
     * below it when alpha is large, which orders the outer bracket */
    if (isnan(lb))
        return gsl_cdf_beta_P(g->x[1], exp(la), BETA_SHAPE_MIN) > g->p[1] ? -1.0 : 1.0;
    return g->p[0] - gsl_cdf_beta_P(g->x[0], exp(la), exp(lb));
}

static gs_status beta_from_percentiles(build *b, gs_dist *d)
{
    const char *k0 = b->args[b->pct_at[0]].key, *k1 = b->args[b->pct_at[1]].key;
    beta_fit g;
    for (size_t i = 0; i < 2; i++) {
        g.x[i] = (b->pct_x[i] - d->c) / (d->d - d->c);
        g.p[i] = b->pct[i] / 100.0;
        if (!(g.x[i] > 0 && g.x[i] < 1))
            return bad(b, b->pct_at[i], "%s must lie strictly between min (%g) and max (%g)",
                       b->args[b->pct_at[i]].key, d->c, d->d);
    }
    double la = brent(beta_outer_f, &g, log(BETA_SHAPE_MIN), log(BETA_SHAPE_MAX));
    double lb = isnan(la) ? NAN : beta_of_alpha(&g, la);
    d->a = exp(la);
    d->b = exp(lb);
    /* the fit must give back both percentiles */
    if (isnan(la) || isnan(lb) ||
        !(fabs(gsl_cdf_beta_P(g.x[0], d->a, d->b) - g.p[0]) <= 1e-9 * g.p[0]) ||
        !(fabs(gsl_cdf_beta_Q(g.x[1], d->a, d->b) - (1 - g.p[1])) <= 1e-9 * (1 - g.p[1])))
        return bad(b, b->pct_at[1],
                   "%s and %s give no beta on [%g, %g] with alpha and beta in [%g, %g]", k0, k1,
                   d->c, d->d, BETA_SHAPE_MIN, BETA_SHAPE_MAX);
    return GS_OK;
}

static gs_status beta_make(build *b, gs_dist *d)
{
    d->c = 0;
    d->d = 1;
    NUM("min", 0, &d->c, NULL);
    NUM("max", 0, &d->d, NULL);
    if (b->npts == 2) {
        if (has(b, "alpha") || has(b, "beta"))
            return bad(b, has(b, "alpha") ? at_key(b, "alpha") : at_key(b, "beta"),
                       "give either alpha and beta or two percentiles, not both");
        if (!(d->c < d->d))
            return bad(b, has(b, "max") ? at_key(b, "max") : at_key(b, "min"),
                       "min must be below max");
        gs_status st = pct_ordered(b);
        return st ? st : beta_from_percentiles(b, d);
    }
    NUM("alpha", 1, &d->a, NULL);
    NUM("beta", 1, &d->b, NULL);
    if (!(d->a > 0))
        return bad(b, at_key(b, "alpha"), "alpha must be positive");
    if (!(d->b > 0))
        return bad(b, at_key(b, "beta"), "beta must be positive");
    if (!(d->c < d->d))
        return bad(b, has(b, "max") ? at_key(b, "max") : at_key(b, "min"),
                   "min must be below max");
    gs_status st = in_domain(b, "alpha", d->a, BETA_SHAPE_MIN, BETA_SHAPE_MAX);
    return st ? st : in_domain(b, "beta", d->b, BETA_SHAPE_MIN, BETA_SHAPE_MAX);
}

static const gs_dist_type beta_type = {
    .name = "beta",
    .keys = {"alpha", "beta", "min", "max", NULL},
    .flags = DT_PCT,
    .make = beta_make,
    .quantile = beta_quantile,
    .cdf = beta_cdf,
    .mean = beta_mean,
    .variance = beta_variance,
    .lower = param_c,
    .upper = param_d,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

static void beta_params(const gs_dist *d, double *al, double *be, double *lo, double *hi)
{
    if (d->type == &pert_type) {
        double w = d->c - d->a;
        *al = 1.0 + 4.0 * (d->b - d->a) / w;
        *be = 1.0 + 4.0 * (d->c - d->b) / w;
        *lo = d->a;
        *hi = d->c;
    } else {
        *al = d->a;
        *be = d->b;
        *lo = d->c;
        *hi = d->d;
    }
}

/* ---- bernoulli ----------------------------------------------------------- */

static gs_status bernoulli_make(build *b, gs_dist *d)
{
    NUM("p", 1, &d->a, NULL);
    if (!(d->a >= 0 && d->a <= 1))
        return bad(b, at_key(b, "p"), "p must be between 0 and 1");
    return GS_OK;
}
static double bernoulli_quantile(const gs_dist *d, double u)
{
    return u <= 1.0 - d->a ? 0.0 : 1.0;
}
static double bernoulli_cdf(const gs_dist *d, double x)
{
    return x < 0 ? 0.0 : x < 1 ? 1.0 - d->a : 1.0;
}
static double bernoulli_variance(const gs_dist *d)
{
    return d->a * (1.0 - d->a);
}
static double bernoulli_lower(const gs_dist *d)
{
    return d->a < 1 ? 0.0 : 1.0;
}
static double bernoulli_upper(const gs_dist *d)
{
    return d->a > 0 ? 1.0 : 0.0;
}

static const gs_dist_type bernoulli_type = {
    .name = "bernoulli",
    .keys = {"p", NULL},
    .make = bernoulli_make,
    .quantile = bernoulli_quantile,
    .cdf = bernoulli_cdf,
    .mean = param_a,
    .variance = bernoulli_variance,
    .lower = bernoulli_lower,
    .upper = bernoulli_upper,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- discrete ------------------------------------------------------------ */

static gs_status discrete_make(build *b, gs_dist *d)
{
    double w[GS_DIST_MAX_CHOICES];
    size_t nv, nw;
    int fv, fw;
    gs_status st = list(b, "values", d->values, &nv, &fv);
    if (st != GS_OK)
        return st;
    if (!fv)
        return bad(b, GS_DIST_AT_GROUP, "missing key \"values\" for a discrete distribution");
    if ((st = list(b, "weights", w, &nw, &fw)) != GS_OK)
        return st;
    if (!fw) {
        for (size_t i = 0; i < nv; i++)
            w[i] = 1.0; /* no weights: equally likely */
        nw = nv;
    }
    size_t wat = at_key(b, "weights");
    if (nw != nv)
        return bad(b, wat, "weights has %zu entries but values has %zu", nw, nv);
    double sum = 0;
    for (size_t i = 0; i < nw; i++) {
        if (!(w[i] >= 0))
            return bad(b, wat, "weights must not be negative (entry %zu is %g)", i + 1, w[i]);
        sum += w[i];
    }
    if (!(sum > 0) || !isfinite(sum))
        return bad(b, wat, "weights must sum to a positive number");
    /* Sorted by value (stably), so that the quantile function is monotone:
     * rank correlation and stratified sampling then mean what they say. */
    for (size_t i = 1; i < nv; i++) {
        double v = d->values[i], wi = w[i];
        size_t j = i;
        for (; j > 0 && d->values[j - 1] > v; j--) {
            d->values[j] = d->values[j - 1];
            w[j] = w[j - 1];
        }
        d->values[j] = v;
        w[j] = wi;
    }
    /* Normalised by the sum in sorted order (so the last entry is exactly
     * 1), then rounded to multiples of 2^-53: on that grid every
     * difference of two entries is a double and every running sum of
     * them is exact, so weights written back as differences rebuild the
     * same entries bit for bit.  The rounding moves no weight by more
     * than 2^-54, far below the 2^-32 resolution of a uniform draw. */
    double run = 0;
    for (size_t i = 0; i < nv; i++) {
        run += w[i];
        d->cum[i] = run;
    }
    for (size_t i = 0; i < nv; i++)
        d->cum[i] = ldexp(nearbyint(ldexp(d->cum[i] / run, 53)), -53);
    d->n_choices = nv;
    return GS_OK;
}
static double discrete_quantile(const gs_dist *d, double u)
{
    /* Binary search for the first cum >= u (cum[n-1] == 1 ends it). */
    size_t lo = 0, hi = d->n_choices - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->cum[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return d->values[lo];
}
static double discrete_cdf(const gs_dist *d, double x)
{
    double f = 0.0;
    for (size_t i = 0; i < d->n_choices && d->values[i] <= x; i++)
        f = d->cum[i];
    return f;
}
static double choice_weight(const gs_dist *d, size_t i)
{
    return i == 0 ? d->cum[0] : d->cum[i] - d->cum[i - 1];
}
static double discrete_mean(const gs_dist *d)
{
    double m = 0;
    for (size_t i = 0; i < d->n_choices; i++)
        m += choice_weight(d, i) * d->values[i];
    return m;
}
static double discrete_variance(const gs_dist *d)
{
    double m = discrete_mean(d), v = 0;
    for (size_t i = 0; i < d->n_choices; i++)
        v += choice_weight(d, i) * (d->values[i] - m) * (d->values[i] - m);
    return v;
}
static double discrete_lower(const gs_dist *d)
{
    for (size_t i = 0; i < d->n_choices; i++)
        if (choice_weight(d, i) > 0)
            return d->values[i];
    return NAN;
}
static double discrete_upper(const gs_dist *d)
{
    for (size_t i = d->n_choices; i-- > 0;)
        if (choice_weight(d, i) > 0)
            return d->values[i];
    return NAN;
}
static void discrete_describe(const gs_dist *d, gs_strbuf *sb)
{
    for (size_t i = 0; i < d->n_choices; i++)
        gs_strbuf_printf(sb, "%s%.10g: %.10g", i ? ", " : "", d->values[i], choice_weight(d, i));
}
static void discrete_to_config(const gs_dist *d, gs_strbuf *sb)
{
    gs_strbuf_printf(sb, " values = [");
    for (size_t i = 0; i < d->n_choices; i++) {
        gs_strbuf_printf(sb, "%s", i ? ", " : "");
        put_exact(sb, d->values[i]);
    }
    gs_strbuf_printf(sb, "]; weights = [");
    for (size_t i = 0; i < d->n_choices; i++) {
        gs_strbuf_printf(sb, "%s", i ? ", " : "");
        put_exact(sb, choice_weight(d, i)); /* exact: see discrete_make */
    }
    gs_strbuf_printf(sb, "];");
}

static const gs_dist_type discrete_type = {
    .name = "discrete",
    .keys = {"values", "weights", NULL},
    .make = discrete_make,
    .quantile = discrete_quantile,
    .cdf = discrete_cdf,
    .mean = discrete_mean,
    .variance = discrete_variance,
    .lower = discrete_lower,
    .upper = discrete_upper,
    .describe = discrete_describe,
    .to_config = discrete_to_config,
};

/* ---- log-uniform ---------------------------------------------------------- */

static gs_status pct_linear(build *b, double x0, double x1, double *lo, double *hi)
{
    double p0 = b->pct[0] / 100.0, p1 = b->pct[1] / 100.0;
    double w = (x1 - x0) / (p1 - p0);
    *lo = x0 - p0 * w;
    *hi = *lo + w;
    if (!(w > 0) || !isfinite(*lo) || !isfinite(*hi))
        return bad(b, GS_DIST_AT_GROUP, "%s and %s give no usable distribution",
                   b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key);
    return GS_OK;
}

static gs_status loguniform_make(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        gs_status st = pct_alone(b, "min and max");
        if (!st)
            st = pct_ordered(b);
        if (st)
            return st;
        if (!(b->pct_x[0] > 0))
            return bad(b, b->pct_at[0], "%s must be positive for a loguniform distribution",
                       b->args[b->pct_at[0]].key);
        double llo, lhi;
        if ((st = pct_linear(b, log(b->pct_x[0]), log(b->pct_x[1]), &llo, &lhi)))
            return st;
        d->a = exp(llo);
        d->b = exp(lhi);
        if (!(d->a > 0 && d->b > d->a && isfinite(d->b)))
            return bad(b, GS_DIST_AT_GROUP, "%s and %s give no usable distribution",
                       b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key);
        return GS_OK;
    }
    NUM("min", 1, &d->a, NULL);
    NUM("max", 1, &d->b, NULL);
    if (!(d->a > 0))
        return bad(b, at_key(b, "min"), "min must be positive for a loguniform distribution");
    if (!(d->a < d->b))
        return bad(b, at_key(b, "max"), "min must be below max");
    return GS_OK;
}
static double loguniform_quantile(const gs_dist *d, double u)
{
    double x = exp(log(d->a) + u * (log(d->b) - log(d->a)));
    return x < d->a ? d->a : x > d->b ? d->b : x;
}
static double loguniform_cdf(const gs_dist *d, double x)
{
    if (x <= d->a)
        return 0.0;
    if (x >= d->b)
        return 1.0;
    return (log(x) - log(d->a)) / (log(d->b) - log(d->a));
}
static double loguniform_mean(const gs_dist *d)
{
    return (d->b - d->a) / (log(d->b) - log(d->a));
}
static double loguniform_variance(const gs_dist *d)
{
    double l = log(d->b) - log(d->a), m = loguniform_mean(d);
    return (d->b * d->b - d->a * d->a) / (2.0 * l) - m * m;
}

static const gs_dist_type loguniform_type = {
    .name = "loguniform",
    .keys = {"min", "max", NULL},
    .flags = DT_PCT,
    .make = loguniform_make,
    .quantile = loguniform_quantile,
    .cdf = loguniform_cdf,
    .mean = loguniform_mean,
    .variance = loguniform_variance,
    .lower = param_a,
    .upper = param_b,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* The shape and scale of a gamma or a Weibull, both positive. */
static gs_status shape_scale(build *b, gs_dist *d)
{
    NUM("shape", 1, &d->a, NULL);
    NUM("scale", 1, &d->b, NULL);
    if (!(d->a > 0))
        return bad(b, at_key(b, "shape"), "shape must be positive");
    if (!(d->b > 0))
        return bad(b, at_key(b, "scale"), "scale must be positive");
    return GS_OK;
}

/* ---- gamma ------------------------------------------------------------------ */

static double gamma_unit_cdf(const gs_dist *d, double x)
{
    return gsl_cdf_gamma_P(x, d->a, 1.0);
}
static double gamma_unit_sf(const gs_dist *d, double x)
{
    return gsl_cdf_gamma_Q(x, d->a, 1.0);
}
/* A bracket [0, hi] of the unit-scale gamma holding all but p of its upper
 * tail, grown by doubling (bounded: at most 64 steps). */
static double gamma_unit_top(const gs_dist *d, double p)
{
    double hi = d->a + 10.0 * sqrt(d->a) + 10.0;
    for (int i = 0; i < 64 && gsl_cdf_gamma_Q(hi, d->a, 1.0) > p; i++)
        hi *= 2.0;
    return hi;
}
static double gamma_unit_quantile(const gs_dist *d, double u)
{
    double x = gsl_cdf_gamma_Pinv(u, d->a, 1.0);
    if (!(x >= 0) || !is_quantile(d, x, u, gamma_unit_cdf, gamma_unit_sf)) {
        double top = gamma_unit_top(d, u < 0.5 ? 0.5 * u : 0.5 * (1.0 - u));
        x = u <= 0.5 ? invert(d, gamma_unit_cdf, u, 0, top)
                     : invert(d, gamma_unit_sf, 1.0 - u, 1, top);
    }
    return x;
}
static double gamma_unit_sf_inv(const gs_dist *d, double q)
{
    double x = gsl_cdf_gamma_Qinv(q, d->a, 1.0);
    if (!(x >= 0) || !is_quantile(d, x, 1.0 - q, gamma_unit_cdf, gamma_unit_sf)) {
        double top = gamma_unit_top(d, 0.5 * q);
        x = q >= 0.5 ? invert(d, gamma_unit_cdf, 1.0 - q, 0, top)
                     : invert(d, gamma_unit_sf, q, 1, top);
    }
    return x;
}

/* Two percentiles fix the shape through the ratio of the quantiles, which
 * falls from infinity to 1 as the shape grows, then the scale. */
typedef struct {
    gs_dist d;
    double p0, p1, lratio;
} gamma_fit;

static double gamma_fit_f(double lk, void *v)
{
    gamma_fit *g = v;
    g->d.a = exp(lk);
    double q0 = gamma_unit_quantile(&g->d, g->p0), q1 = gamma_unit_quantile(&g->d, g->p1);
    double f = log(q1) - log(q0) - g->lratio;
    /* GSL's solver refuses non-finite values: a quantile that underflows to 0
     * at a tiny shape means a ratio far above any target. */
    return isnan(f) || f > 1e300 ? 1e300 : f < -1e300 ? -1e300 : f;
}

static gs_status gamma_params(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        gs_status st = pct_alone(b, "shape and scale");
        if (!st)
            st = pct_ordered(b);
        if (st)
            return st;
        if (!(b->pct_x[0] > 0))
            return bad(b, b->pct_at[0], "%s must be positive for a gamma distribution",
                       b->args[b->pct_at[0]].key);
        gamma_fit g = {.d = *d, .p0 = b->pct[0] / 100.0, .p1 = b->pct[1] / 100.0,
                       .lratio = log(b->pct_x[1]) - log(b->pct_x[0])};
        double lk = brent(gamma_fit_f, &g, log(GAMMA_SHAPE_MIN), log(GAMMA_SHAPE_MAX));
        /* A sign change where the lower quantile underflows to 0 is no root:
         * the fit must give back both percentiles. */
        if (isfinite(lk)) {
            g.d.a = exp(lk);
            double q0 = gamma_unit_quantile(&g.d, g.p0), q1 = gamma_unit_quantile(&g.d, g.p1);
            if (!(q0 > 0) || !(fabs(q1 / q0 * b->pct_x[0] / b->pct_x[1] - 1.0) <= 1e-6))
                lk = NAN;
        }
        if (!isfinite(lk))
            return bad(b, b->pct_at[1],
                       "%s and %s need a gamma shape outside [%g, %g] (their ratio is too %s)",
                       b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key, GAMMA_SHAPE_MIN,
                       GAMMA_SHAPE_MAX, gamma_fit_f(log(GAMMA_SHAPE_MAX), &g) > 0 ? "small" : "large");
        d->a = exp(lk);
        d->b = b->pct_x[0] / gamma_unit_quantile(d, g.p0);
        if (!(d->b > 0) || !isfinite(d->b))
            return bad(b, GS_DIST_AT_GROUP, "%s and %s give no usable distribution",
                       b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key);
        return GS_OK;
    }
    gs_status st = shape_scale(b, d);
    return st ? st : in_domain(b, "shape", d->a, GAMMA_SHAPE_MIN, GAMMA_SHAPE_MAX);
}
static double gamma_quantile(const gs_dist *d, double u)
{
    return d->b * gamma_unit_quantile(d, u);
}
static double gamma_cdf(const gs_dist *d, double x)
{
    return x <= 0 ? 0.0 : gsl_cdf_gamma_P(x, d->a, d->b);
}
static double gamma_sf(const gs_dist *d, double x)
{
    return x <= 0 ? 1.0 : gsl_cdf_gamma_Q(x, d->a, d->b);
}
static double gamma_sf_inv(const gs_dist *d, double q)
{
    return d->b * gamma_unit_sf_inv(d, q);
}
static double gamma_mean(const gs_dist *d)
{
    return d->a * d->b;
}
static double gamma_variance(const gs_dist *d)
{
    return d->a * d->b * d->b;
}

static const gs_dist_type gamma_type = {
    .name = "gamma",
    .keys = {"shape", "scale", NULL},
    .flags = DT_PCT | DT_TRUNC,
    .make = gamma_params,
    .quantile = gamma_quantile,
    .cdf = gamma_cdf,
    .sf = gamma_sf,
    .sf_inv = gamma_sf_inv,
    .mean = gamma_mean,
    .variance = gamma_variance,
    .lower = zero,
    .upper = plus_inf,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- Weibull ---------------------------------------------------------------- */

static gs_status weibull_make(build *b, gs_dist *d)
{
    if (b->npts == 2) {
        /* log(-log(1 - p)) = shape (log x - log scale): a line through both. */
        gs_status st = pct_alone(b, "shape and scale");
        if (!st)
            st = pct_ordered(b);
        if (st)
            return st;
        if (!(b->pct_x[0] > 0))
            return bad(b, b->pct_at[0], "%s must be positive for a weibull distribution",
                       b->args[b->pct_at[0]].key);
        double y0 = log(-log1p(-b->pct[0] / 100.0)), y1 = log(-log1p(-b->pct[1] / 100.0));
        double l0 = log(b->pct_x[0]), l1 = log(b->pct_x[1]);
        d->a = (y1 - y0) / (l1 - l0);
        d->b = exp(l0 - y0 / d->a);
        if (!(d->a > 0) || !isfinite(d->a) || !(d->b > 0) || !isfinite(d->b))
            return bad(b, GS_DIST_AT_GROUP, "%s and %s give no usable distribution",
                       b->args[b->pct_at[0]].key, b->args[b->pct_at[1]].key);
        return GS_OK;
    }
    return shape_scale(b, d);
}
static double weibull_quantile(const gs_dist *d, double u)
{
    return gsl_cdf_weibull_Pinv(u, d->b, d->a);
}
static double weibull_cdf(const gs_dist *d, double x)
{
    return x <= 0 ? 0.0 : gsl_cdf_weibull_P(x, d->b, d->a);
}
static double weibull_sf(const gs_dist *d, double x)
{
    return x <= 0 ? 1.0 : gsl_cdf_weibull_Q(x, d->b, d->a);
}
static double weibull_sf_inv(const gs_dist *d, double q)
{
    return gsl_cdf_weibull_Qinv(q, d->b, d->a);
}
static double weibull_mean(const gs_dist *d)
{
    return d->b * gsl_sf_gamma(1.0 + 1.0 / d->a);
}
static double weibull_variance(const gs_dist *d)
{
    double g1 = gsl_sf_gamma(1.0 + 1.0 / d->a), g2 = gsl_sf_gamma(1.0 + 2.0 / d->a);
    return d->b * d->b * (g2 - g1 * g1);
}

static const gs_dist_type weibull_type = {
    .name = "weibull",
    .keys = {"shape", "scale", NULL},
    .flags = DT_PCT | DT_TRUNC,
    .make = weibull_make,
    .quantile = weibull_quantile,
    .cdf = weibull_cdf,
    .sf = weibull_sf,
    .sf_inv = weibull_sf_inv,
    .mean = weibull_mean,
    .variance = weibull_variance,
    .lower = zero,
    .upper = plus_inf,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- Student t -------------------------------------------------------------- */

static gs_status student_t_make(build *b, gs_dist *d)
{
    NUM("df", 1, &d->a, NULL);
    if (!(d->a > 0))
        return bad(b, at_key(b, "df"), "df must be positive");
    if (b->npts == 2) {
        /* With df given, two percentiles fix loc and scale in closed form. */
        if (has(b, "loc") || has(b, "scale"))
            return bad(b, has(b, "loc") ? at_key(b, "loc") : at_key(b, "scale"),
                       "give either loc and scale or two percentiles (with df), not both");
        gs_status st = pct_ordered(b);
        if (st)
            return st;
        double z0 = gsl_cdf_tdist_Pinv(b->pct[0] / 100.0, d->a);
        double z1 = gsl_cdf_tdist_Pinv(b->pct[1] / 100.0, d->a);
        return pct_loc_scale(b, b->pct_x[0], b->pct_x[1], z0, z1, &d->b, &d->c);
    }
    NUM("loc", 1, &d->b, NULL);
    NUM("scale", 1, &d->c, NULL);
    if (!(d->c > 0))
        return bad(b, at_key(b, "scale"), "scale must be positive");
    return GS_OK;
}
static double student_t_quantile(const gs_dist *d, double u)
{
    return d->b + d->c * gsl_cdf_tdist_Pinv(u, d->a);
}
static double student_t_cdf(const gs_dist *d, double x)
{
    return gsl_cdf_tdist_P((x - d->b) / d->c, d->a);
}
static double student_t_sf(const gs_dist *d, double x)
{
    return gsl_cdf_tdist_Q((x - d->b) / d->c, d->a);
}
static double student_t_sf_inv(const gs_dist *d, double q)
{
    return d->b + d->c * gsl_cdf_tdist_Qinv(q, d->a);
}
static double student_t_mean(const gs_dist *d)
{
    return d->a > 1 ? d->b : NAN;
}
static double student_t_variance(const gs_dist *d)
{
    if (d->a > 2)
        return d->c * d->c * d->a / (d->a - 2.0);
    return d->a > 1 ? INFINITY : NAN;
}

static const gs_dist_type student_t_type = {
    .name = "student_t",
    .keys = {"df", "loc", "scale", NULL},
    .flags = DT_PCT | DT_TRUNC,
    .make = student_t_make,
    .quantile = student_t_quantile,
    .cdf = student_t_cdf,
    .sf = student_t_sf,
    .sf_inv = student_t_sf_inv,
    .mean = student_t_mean,
    .variance = student_t_variance,
    .lower = minus_inf,
    .upper = plus_inf,
    .describe = keys_describe,
    .to_config = keys_to_config,
};

/* ---- the registry -------------------------------------------------------- */

static const gs_dist_type *const types[] = {
    &constant_type, &uniform_type,    &normal_type, &truncnormal_type,
    &lognormal_type, &triangular_type, &pert_type,   &beta_type,
    &bernoulli_type, &discrete_type, &loguniform_type, &gamma_type,
    &weibull_type,   &student_t_type,
};
#define N_TYPES (sizeof types / sizeof types[0])

size_t gs_dist_n_types(void)
{
    return N_TYPES;
}

const gs_dist_type *gs_dist_type_at(size_t i)
{
    return i < N_TYPES ? types[i] : NULL;
}

const char *gs_dist_type_name(const gs_dist_type *t)
{
    return t ? t->name : NULL;
}

const gs_dist_type *gs_dist_type_find(const char *name)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (strcmp(name, types[i]->name) == 0)
            return types[i];
    return NULL;
}

/* A zeroed gs_dist is the constant 0. */
static const gs_dist_type *type_of(const gs_dist *d)
{
    return d->type ? d->type : &constant_type;
}

const char *gs_dist_name(const gs_dist *d)
{
    return type_of(d)->name;
}

static void untruncated(gs_dist *d)
{
    d->truncated = 0;
    d->lo = -INFINITY;
    d->hi = INFINITY;
    d->p_lo = 0.0;
    d->p_hi = 1.0;
    d->q_lo = 1.0;
    d->q_hi = 0.0;
    d->upper_tail = 0;
}

gs_dist gs_dist_constant(double value)
{
    gs_dist d;
    memset(&d, 0, sizeof d);
    d.type = &constant_type;
    d.a = value;
    untruncated(&d);
    return d;
}

int gs_dist_is_constant(const gs_dist *d)
{
    return type_of(d) == &constant_type;
}

/* ---- truncation ---------------------------------------------------------- */

/* Reads min and max of a truncatable family and keeps [min, max] of it. */
static gs_status truncate(build *b, gs_dist *d)
{
    const gs_dist_type *t = d->type;
    int f1, f2;
    double lo = -INFINITY, hi = INFINITY;
    NUM("min", 0, &lo, &f1);
    NUM("max", 0, &hi, &f2);
    if (!f1 && !f2 && t != &truncnormal_type)
        return GS_OK;
    if (b->npts == 2)
        return bad(b, f1 ? at_key(b, "min") : at_key(b, "max"),
                   "give two percentiles or min and max, not both (percentiles of a truncated "
                   "distribution are not those of its family)");
    if (f1 && f2 && !(lo < hi))
        return bad(b, at_key(b, "max"), "min must be below max");
    if (t == &normal_type)
        d->type = t = &truncnormal_type; /* one name for a bounded normal */
    d->truncated = 1;
    d->lo = lo;
    d->hi = hi;
    d->p_lo = f1 ? t->cdf(d, lo) : 0.0;
    d->p_hi = f2 ? t->cdf(d, hi) : 1.0;
    d->q_lo = f1 ? t->sf(d, lo) : 1.0;
    d->q_hi = f2 ? t->sf(d, hi) : 0.0;
    d->upper_tail = f1 && lo > t->quantile(d, 0.5);
    double mass = d->upper_tail ? d->q_lo - d->q_hi : d->p_hi - d->p_lo;
    if (!(mass >= TRUNC_MIN_MASS))
        return bad(b, f1 ? at_key(b, "min") : at_key(b, "max"),
                   "min and max keep less than %g of the %s's probability; "
                   "check its parameters and the bounds",
                   TRUNC_MIN_MASS, t == &truncnormal_type ? "normal" : t->name);
    return GS_OK;
}

/* The tail below and above which no draw is used (gs_scenario_draw clamps
 * there): the quantiles at these levels must be finite numbers. */
#define RANGE_TAIL 1e-9

static int reaches_finite(const gs_dist *d)
{
    return isfinite(gs_dist_quantile(d, RANGE_TAIL)) && isfinite(gs_dist_quantile(d, 0.5)) &&
           isfinite(gs_dist_quantile(d, 1.0 - RANGE_TAIL));
}

gs_status gs_dist_make(const char *family, const gs_dist_arg *args, size_t n, gs_dist *out,
                       size_t *at, gs_error *err)
{
    size_t at_dummy;
    build b = {.args = args, .n = n < GS_DIST_MAX_ARGS ? n : GS_DIST_MAX_ARGS,
               .at = at ? at : &at_dummy, .err = err};
    *out = gs_dist_constant(0.0);
    *b.at = GS_DIST_AT_GROUP;
    b.type = gs_dist_type_find(family);
    if (!b.type) {
        const char *names[N_TYPES];
        gs_strbuf list = {0};
        for (size_t i = 0; i < N_TYPES; i++) {
            names[i] = types[i]->name;
            gs_strbuf_printf(&list, "%s%s", i ? ", " : "", types[i]->name);
        }
        const char *near = gs_nearest(family, names, N_TYPES);
        gs_status st;
        if (near)
            st = bad(&b, GS_DIST_AT_FAMILY,
                     "unknown distribution \"%s\" (did you mean \"%s\"?); valid distributions: %s",
                     family, near, gs_strbuf_str(&list));
        else
            st = bad(&b, GS_DIST_AT_FAMILY, "unknown distribution \"%s\"; valid distributions: %s",
                     family, gs_strbuf_str(&list));
        gs_strbuf_free(&list);
        return st;
    }
    gs_status st = check_keys(&b);
    if (st == GS_OK) {
        out->type = b.type;
        st = b.type->make(&b, out);
    }
    if (st == GS_OK && (b.type->flags & DT_TRUNC))
        st = truncate(&b, out);
    if (st == GS_OK && !reaches_finite(out))
        st = bad(&b, GS_DIST_AT_GROUP,
                 "these parameters put the distribution's 1e-9 quantiles beyond the range of "
                 "numbers (%g, %g)",
                 gs_dist_quantile(out, RANGE_TAIL), gs_dist_quantile(out, 1.0 - RANGE_TAIL));
    if (st != GS_OK)
        *out = gs_dist_constant(0.0);
    return st;
}

/* ---- quantile, cdf, moments ------------------------------------------ */

double gs_dist_quantile(const gs_dist *d, double u)
{
    const gs_dist_type *t = type_of(d);
    if (!d->truncated)
        return t->quantile(d, u);
    double x = d->upper_tail ? t->sf_inv(d, d->q_lo - u * (d->q_lo - d->q_hi))
                             : t->quantile(d, d->p_lo + u * (d->p_hi - d->p_lo));
    return x < d->lo ? d->lo : x > d->hi ? d->hi : x;
}

double gs_dist_cdf(const gs_dist *d, double x)
{
    const gs_dist_type *t = type_of(d);
    if (isinf(x)) /* GSL's CDFs are not all defined at the infinities */
        return x > 0 ? 1.0 : 0.0;
    if (!d->truncated)
        return t->cdf(d, x);
    if (x <= d->lo)
        return 0.0;
    if (x >= d->hi)
        return 1.0;
    double f = d->upper_tail ? (d->q_lo - t->sf(d, x)) / (d->q_lo - d->q_hi)
                             : (t->cdf(d, x) - d->p_lo) / (d->p_hi - d->p_lo);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Moments of a truncated family without a closed form: the integrals of the
 * quantile function Q(u) and (Q(u) - mean)^2 over (0, 1) by GSL's adaptive
 * QAGS, which copes with the integrable endpoint singularities of a
 * one-sided truncation.  NAN (mean) or INFINITY (variance) when the
 * integral does not converge: the moment does not exist. */
typedef struct {
    const gs_dist *d;
    double center;
    int power;
} quad_arg;

static double quad_f(double u, void *v)
{
    const quad_arg *q = v;
    double x = gs_dist_quantile(q->d, u) - q->center;
    return q->power == 1 ? x : x * x;
}

static double quad(const gs_dist *d, double center, int power)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
    if (!w)
        return NAN;
    quad_arg q = {d, center, power};
    gsl_function fn = {quad_f, &q};
    double r, abserr;
    int st = gsl_integration_qags(&fn, 0.0, 1.0, 0.0, 1e-11, 500, w, &r, &abserr);
    gsl_integration_workspace_free(w);
    return st == GSL_SUCCESS ? r : NAN;
}

static void moments(const gs_dist *d, double *mean, double *var)
{
    const gs_dist_type *t = type_of(d);
    if (!d->truncated) {
        *mean = t->mean(d);
        *var = t->variance(d);
    } else if (t->trunc_moments) {
        t->trunc_moments(d, mean, var);
    } else {
        /* Shifted by the median so that the mean's integrand has no large
         * constant part to cancel. */
        double med = gs_dist_quantile(d, 0.5);
        *mean = med + quad(d, med, 1);
        *var = isfinite(*mean) ? quad(d, *mean, 2) : NAN;
        if (isfinite(*mean) && !isfinite(*var))
            *var = INFINITY;
    }
}

double gs_dist_mean(const gs_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return m;
}

double gs_dist_variance(const gs_dist *d)
{
    double m, v;
    moments(d, &m, &v);
    return v;
}

double gs_dist_lower(const gs_dist *d)
{
    double x = type_of(d)->lower(d);
    return d->truncated && d->lo > x ? d->lo : x;
}

double gs_dist_upper(const gs_dist *d)
{
    double x = type_of(d)->upper(d);
    return d->truncated && d->hi < x ? d->hi : x;
}

/* ---- text ------------------------------------------------------------ */

/* %.17g, with ".0" added to integral values so that libconfig reads them
 * back as floats (arrays must not mix ints and floats, and a large integral
 * value would overflow libconfig's int). */
static void put_exact(gs_strbuf *sb, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.17g", v);
    gs_strbuf_printf(sb, "%s%s", t, strpbrk(t, ".eEni") ? "" : ".0");
}

static void copy_out(gs_strbuf *sb, char *buf, size_t n)
{
    if (n)
        snprintf(buf, n, "%s", sb->oom ? "" : gs_strbuf_str(sb));
    gs_strbuf_free(sb);
}

void gs_dist_describe(const gs_dist *d, char *buf, size_t n)
{
    const gs_dist_type *t = type_of(d);
    gs_strbuf sb = {0};
    if (t == &constant_type) {
        t->describe(d, &sb);
    } else {
        gs_strbuf_printf(&sb, "%s(", t->name);
        t->describe(d, &sb);
        if (d->truncated && isfinite(d->lo))
            gs_strbuf_printf(&sb, ", min=%.10g", d->lo);
        if (d->truncated && isfinite(d->hi))
            gs_strbuf_printf(&sb, ", max=%.10g", d->hi);
        gs_strbuf_printf(&sb, ")");
    }
    copy_out(&sb, buf, n);
}

void gs_dist_to_config(const gs_dist *d, char *buf, size_t n)
{
    const gs_dist_type *t = type_of(d);
    gs_strbuf sb = {0};
    if (t == &constant_type) {
        t->to_config(d, &sb);
    } else {
        gs_strbuf_printf(&sb, "{ dist = \"%s\";", t->name);
        t->to_config(d, &sb);
        if (d->truncated && isfinite(d->lo)) {
            gs_strbuf_printf(&sb, " min = ");
            put_exact(&sb, d->lo);
            gs_strbuf_printf(&sb, ";");
        }
        if (d->truncated && isfinite(d->hi)) {
            gs_strbuf_printf(&sb, " max = ");
            put_exact(&sb, d->hi);
            gs_strbuf_printf(&sb, ";");
        }
        gs_strbuf_printf(&sb, " }");
    }
    copy_out(&sb, buf, n);
}

void gs_dist_range_advice(const gs_dist *d, double lo, double hi, char *buf, size_t n)
{
    const gs_dist_type *t = type_of(d);
    double reach_lo = gs_dist_quantile(d, RANGE_TAIL), reach_hi = gs_dist_quantile(d, 1 - RANGE_TAIL);
    int low = !(reach_lo >= lo), high = !(reach_hi <= hi);
    gs_strbuf sb = {0};
    if (t->flags & DT_TRUNC) {
        gs_strbuf_printf(&sb, "set ");
        if (low)
            gs_strbuf_printf(&sb, "min = %.10g", lo);
        if (low && high)
            gs_strbuf_printf(&sb, " and ");
        if (high)
            gs_strbuf_printf(&sb, "max = %.10g", hi);
        gs_strbuf_printf(&sb, " in the group to truncate it, or change its parameters");
    } else if (t == &discrete_type) {
        gs_strbuf_printf(&sb, "keep its values within the range");
    } else if (t == &bernoulli_type) {
        gs_strbuf_printf(&sb, "a bernoulli takes the values 0 and 1; use a discrete distribution "
                              "with values in the range");
    } else if (t == &constant_type) {
        gs_strbuf_printf(&sb, "change the value");
    } else {
        gs_strbuf_printf(&sb, "keep its min and max within the range");
    }
    copy_out(&sb, buf, n);
}

/* ---- Gaussian copula ------------------------------------------------- */

struct gs_copula {
    size_t n;
    gsl_matrix *chol; /* lower triangle: L with L L^T the normal-scale correlation */
};

gs_copula *gs_copula_new(size_t n, const double *rho, gs_error *err)
{
    if (n == 0) {
        gs_error_set(err, GS_ECONFIG, NULL, 0, "correlation matrix is empty");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double v = rho[i * n + j];
            if (!isfinite(v) || fabs(v) > 1) {
                gs_error_set(err, GS_ECONFIG, NULL, 0,
                             "correlation matrix: row %zu, column %zu is %g; rank correlations "
                             "lie between -1 and 1",
                             i + 1, j + 1, v);
                return NULL;
            }
            if (i == j && v != 1.0) {
                gs_error_set(err, GS_ECONFIG, NULL, 0,
                             "correlation matrix: row %zu, column %zu is %g; the diagonal must be 1",
                             i + 1, j + 1, v);
                return NULL;
            }
            /* Written by hand, so exact symmetry is what a correct file has;
             * the slack only forgives computed input. */
            if (j < i && fabs(v - rho[j * n + i]) > 1e-12) {
                gs_error_set(err, GS_ECONFIG, NULL, 0,
                             "correlation matrix is not symmetric: row %zu, column %zu is %g but "
                             "row %zu, column %zu is %g",
                             i + 1, j + 1, v, j + 1, i + 1, rho[j * n + i]);
                return NULL;
            }
        }
    gs_copula *c = malloc(sizeof *c);
    gsl_matrix *m = gsl_matrix_alloc(n, n);
    if (!c || !m) {
        free(c);
        gsl_matrix_free(m);
        gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for a %zu x %zu correlation matrix",
                     n, n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            /* Spearman's rho of a bivariate normal with correlation r is
             * (6/pi) asin(r/2); inverted here. */
            double r = i == j ? 1.0 : 2.0 * sin(M_PI * rho[i * n + j] / 6.0);
            gsl_matrix_set(m, i, j, r);
            gsl_matrix_set(m, j, i, r);
        }
    int rc = gsl_linalg_cholesky_decomp1(m);
    if (rc != GSL_SUCCESS) {
        gsl_matrix_free(m);
        free(c);
        if (rc == GSL_EDOM)
            gs_error_set(err, GS_ECONFIG, NULL, 0,
                         "correlation matrix is not positive definite: its rank correlations "
                         "contradict each other");
        else
            gs_error_set(err, GS_ECONFIG, NULL, 0, "correlation matrix: Cholesky factorisation failed (%s)",
                         gsl_strerror(rc));
        return NULL;
    }
    c->n = n;
    c->chol = m;
    return c;
}

void gs_copula_free(gs_copula *c)
{
    if (!c)
        return;
    gsl_matrix_free(c->chol);
    free(c);
}

size_t gs_copula_dim(const gs_copula *c)
{
    return c ? c->n : 0;
}

/* Phi(z) kept strictly inside (0, 1): a uniform of exactly 0 or 1 maps to an
 * infinite quantile for unbounded marginals. */
static double open_phi(double z)
{
    double u = z <= 0 ? gsl_cdf_ugaussian_P(z) : 1.0 - gsl_cdf_ugaussian_Q(z);
    if (u < DBL_MIN)
        u = DBL_MIN;
    if (u >= 1.0)
        u = 1.0 - DBL_EPSILON / 2;
    return u;
}

void gs_copula_apply(const gs_copula *c, double *u)
{
    size_t n = c->n;
    for (size_t i = 0; i < n; i++)
        u[i] = gsl_cdf_ugaussian_Pinv(u[i]);
    /* z' = L z in place from the last row up: row i reads only z_0..z_i,
     * which the rows below have not overwritten. */
    for (size_t i = n; i-- > 0;) {
        double s = 0;
        for (size_t j = 0; j <= i; j++)
            s += gsl_matrix_get(c->chol, i, j) * u[j];
        u[i] = s;
    }
    for (size_t i = 0; i < n; i++)
        u[i] = open_phi(u[i]);
}

/* ---- Latin hypercube ------------------------------------------------- */

static double lhs_point(gsl_rng *r, size_t stratum, size_t n)
{
    double v = ((double)stratum + gsl_rng_uniform_pos(r)) / (double)n;
    /* stratum n-1 plus a jitter near 1 can round up to 1 when n is large */
    return v < 1.0 ? v : 1.0 - DBL_EPSILON / 2;
}

void gs_lhs_fill(gsl_rng *r, size_t n, size_t d, double *u)
{
    if (n == 0 || d == 0)
        return;
    size_t *perm = malloc(n * sizeof *perm);
    if (perm) {
        for (size_t j = 0; j < d; j++) {
            for (size_t i = 0; i < n; i++)
                perm[i] = i;
            gsl_ran_shuffle(r, perm, n, sizeof *perm);
            for (size_t i = 0; i < n; i++)
                u[i * d + j] = lhs_point(r, perm[i], n);
        }
        free(perm);
        return;
    }
    /* No memory for a permutation: fill column j in stratum order and then
     * shuffle whole rows.  Column j ends up permuted by the shuffles j..d-1,
     * and each new shuffle is independent of all before it, so the columns'
     * permutations are still uniform and mutually independent. */
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            u[i * d + j] = lhs_point(r, i, n);
        gsl_ran_shuffle(r, u, n, d * sizeof *u);
    }
}
