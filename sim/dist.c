/* dist.c: parameter distributions, the Gaussian copula and Latin hypercube. */
#include "gs_dist.h"

#include "gs_util.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A truncated normal keeping less than this share of the untruncated mass is
 * almost surely a typo (bounds on the wrong side of the mean, sd off by a
 * factor of ten); its moments would also lose precision to cancellation. */
#define TRUNC_MIN_MASS 1e-6

/* ---- parsing ----------------------------------------------------------- */

typedef struct {
    const char *name;
    gs_dist_kind kind;
    int percentiles;       /* accepts two pNN keys instead of its location/scale */
    const char *keys[5];   /* besides "dist"; NULL-terminated */
} kind_spec;

static const kind_spec kinds[] = {
    {"constant", GS_DIST_CONSTANT, 0, {"value", NULL}},
    {"uniform", GS_DIST_UNIFORM, 0, {"min", "max", NULL}},
    {"normal", GS_DIST_NORMAL, 1, {"mean", "sd", NULL}},
    {"truncnormal", GS_DIST_TRUNCNORMAL, 0, {"mean", "sd", "min", "max", NULL}},
    {"lognormal", GS_DIST_LOGNORMAL, 1, {"median", "mu", "sigma", NULL}},
    {"triangular", GS_DIST_TRIANGULAR, 0, {"min", "mode", "max", NULL}},
    {"pert", GS_DIST_PERT, 0, {"min", "mode", "max", NULL}},
    {"beta", GS_DIST_BETA, 0, {"alpha", "beta", "min", "max", NULL}},
    {"bernoulli", GS_DIST_BERNOULLI, 0, {"p", NULL}},
    {"discrete", GS_DIST_DISCRETE, 0, {"values", "weights", NULL}},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static const kind_spec *spec_of(gs_dist_kind k)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (kinds[i].kind == k)
            return &kinds[i];
    return &kinds[0];
}

/* Every parse error points at the setting it is about (a key's own line when
 * the key exists, the group's line otherwise). */
__attribute__((format(printf, 4, 5))) static gs_status fail(const config_setting_t *s,
                                                            const char *name, gs_error *err,
                                                            const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gs_error_set(err, GS_ECONFIG, s ? config_setting_source_file(s) : NULL,
                        s ? (int)config_setting_source_line(s) : 0, "%s: %s", name, msg);
}

/* Appending printf that never overflows and keeps the would-be length. */
typedef struct {
    char *buf;
    size_t n, len;
} sbuf;

__attribute__((format(printf, 2, 3))) static void sb_printf(sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = sb->len < sb->n ? sb->n - sb->len : 0;
    int k = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        sb->len += (size_t)k;
}

static int is_number(const config_setting_t *m)
{
    int t = config_setting_type(m);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* libconfig 1.5 keeps `1` as an int and config_setting_get_float returns 0
 * for it, so each numeric type is read as itself. */
static double number_of(const config_setting_t *m)
{
    switch (config_setting_type(m)) {
    case CONFIG_TYPE_INT:
        return (double)config_setting_get_int(m);
    case CONFIG_TYPE_INT64:
        return (double)config_setting_get_int64(m);
    default:
        return config_setting_get_float(m);
    }
}

static gs_status get_num(const config_setting_t *g, const char *key, const char *name,
                         const char *kind, int required, double *out, int *found,
                         gs_error *err)
{
    const config_setting_t *m = config_setting_get_member(g, key);
    if (found)
        *found = m != NULL;
    if (!m) {
        if (required)
            return fail(g, name, err, "missing key \"%s\" for a %s distribution", key, kind);
        return GS_OK;
    }
    if (!is_number(m))
        return fail(m, name, err, "%s must be a number", key);
    *out = number_of(m);
    if (!isfinite(*out))
        return fail(m, name, err, "%s must be a finite number", key);
    return GS_OK;
}

static gs_status get_array(const config_setting_t *g, const char *key, const char *name,
                           double *out, size_t *n, int *found, gs_error *err)
{
    const config_setting_t *m = config_setting_get_member(g, key);
    *found = m != NULL;
    *n = 0;
    if (!m)
        return GS_OK;
    int t = config_setting_type(m);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return fail(m, name, err, "%s must be a list of numbers such as [1.0, 2.0]", key);
    int len = config_setting_length(m);
    if (len == 0)
        return fail(m, name, err, "%s must not be empty", key);
    if (len > GS_DIST_MAX_CHOICES)
        return fail(m, name, err, "%s has %d entries; at most %d are allowed", key, len,
                    GS_DIST_MAX_CHOICES);
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        if (!is_number(e))
            return fail(m, name, err, "%s: entry %d is not a number", key, i + 1);
        out[i] = number_of(e);
        if (!isfinite(out[i]))
            return fail(m, name, err, "%s: entry %d is not a finite number", key, i + 1);
    }
    *n = (size_t)len;
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

typedef struct {
    int pct;
    double value;
    const config_setting_t *at;
} pct_point;

/* Checks every member of the group is a key of this kind, collecting pNN. */
static gs_status check_keys(const config_setting_t *g, const char *name, const kind_spec *ks,
                            pct_point *pts, int *npts, gs_error *err)
{
    const char *cand[8];
    size_t nc = 0;
    cand[nc++] = "dist";
    for (size_t i = 0; ks->keys[i]; i++)
        cand[nc++] = ks->keys[i];
    *npts = 0;
    int len = config_setting_length(g);
    for (int i = 0; i < len; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(m);
        int known = 0;
        for (size_t j = 0; j < nc && !known; j++)
            known = strcmp(k, cand[j]) == 0;
        if (known)
            continue;
        int pct = ks->percentiles ? percentile_key(k) : 0;
        if (pct < 0)
            return fail(m, name, err,
                        "percentile key \"%s\" must be written p01 to p99 (two digits)", k);
        if (pct > 0) {
            if (*npts == 2)
                return fail(m, name, err,
                            "%s: give exactly two percentiles (found %s, %s and %s)", k,
                            config_setting_name(pts[0].at), config_setting_name(pts[1].at), k);
            if (!is_number(m))
                return fail(m, name, err, "%s must be a number", k);
            double v = number_of(m);
            if (!isfinite(v))
                return fail(m, name, err, "%s must be a finite number", k);
            pts[*npts] = (pct_point){pct, v, m};
            (*npts)++;
            continue;
        }
        const char *near = gs_nearest(k, cand, nc);
        char valid[200];
        sbuf sb = {valid, sizeof valid, 0};
        for (size_t j = 1; j < nc; j++)
            sb_printf(&sb, "%s%s", j > 1 ? ", " : "", cand[j]);
        if (ks->percentiles)
            sb_printf(&sb, ", or two of p01 to p99");
        if (near)
            return fail(m, name, err, "unknown key \"%s\" for a %s distribution (did you mean \"%s\"?)",
                        k, ks->name, near);
        return fail(m, name, err, "unknown key \"%s\" for a %s distribution (valid keys: %s)", k,
                    ks->name, valid);
    }
    return GS_OK;
}

/* Two percentiles of a normal (of log x for a lognormal) fix mean and sd in
 * closed form: x_i = mean + sd z_i with z_i the standard normal quantiles. */
static gs_status from_percentiles(const config_setting_t *g, const char *name, int log_scale,
                                  pct_point *pts, double *loc, double *scale, gs_error *err)
{
    if (pts[0].pct > pts[1].pct) {
        pct_point t = pts[0];
        pts[0] = pts[1];
        pts[1] = t;
    }
    const char *k0 = config_setting_name(pts[0].at), *k1 = config_setting_name(pts[1].at);
    if (!(pts[0].value < pts[1].value))
        return fail(pts[1].at, name, err, "%s (%g) must be above %s (%g)", k1, pts[1].value, k0,
                    pts[0].value);
    double x0 = pts[0].value, x1 = pts[1].value;
    if (log_scale) {
        if (x0 <= 0)
            return fail(pts[0].at, name, err, "%s must be positive for a lognormal distribution",
                        k0);
        x0 = log(x0);
        x1 = log(x1);
    }
    double z0 = gsl_cdf_ugaussian_Pinv(pts[0].pct / 100.0);
    double z1 = gsl_cdf_ugaussian_Pinv(pts[1].pct / 100.0);
    *scale = (x1 - x0) / (z1 - z0);
    *loc = x0 - *scale * z0;
    if (!(*scale > 0) || !isfinite(*scale) || !isfinite(*loc))
        return fail(g, name, err, "%s and %s give no usable distribution", k0, k1);
    return GS_OK;
}

static double trunc_mass(double alpha, double beta);

static gs_status parse_group(const config_setting_t *g, const char *name, gs_dist *out,
                             gs_error *err)
{
    const config_setting_t *dm = config_setting_get_member(g, "dist");
    if (!dm)
        return fail(g, name, err,
                    "a distribution group needs a \"dist\" key, e.g. dist = \"normal\"");
    if (config_setting_type(dm) != CONFIG_TYPE_STRING)
        return fail(dm, name, err, "dist must be a string naming the distribution");
    const char *dname = config_setting_get_string(dm);
    const kind_spec *ks = NULL;
    for (size_t i = 0; i < N_KINDS && !ks; i++)
        if (strcmp(dname, kinds[i].name) == 0)
            ks = &kinds[i];
    if (!ks) {
        const char *names[N_KINDS];
        char list[256];
        sbuf sb = {list, sizeof list, 0};
        for (size_t i = 0; i < N_KINDS; i++) {
            names[i] = kinds[i].name;
            sb_printf(&sb, "%s%s", i ? ", " : "", kinds[i].name);
        }
        const char *near = gs_nearest(dname, names, N_KINDS);
        if (near)
            return fail(dm, name, err,
                        "unknown distribution \"%s\" (did you mean \"%s\"?); valid distributions: %s",
                        dname, near, list);
        return fail(dm, name, err, "unknown distribution \"%s\"; valid distributions: %s", dname,
                    list);
    }

    pct_point pts[2];
    int npts;
    gs_status st = check_keys(g, name, ks, pts, &npts, err);
    if (st)
        return st;
    if (npts == 1)
        return fail(pts[0].at, name, err, "give two percentiles, not only %s",
                    config_setting_name(pts[0].at));

    const char *kn = ks->name;
    out->kind = ks->kind;
    int f1, f2, f3;
    const config_setting_t *m;
#define NUM(key, req, dst, found)                                               \
    do {                                                                        \
        if ((st = get_num(g, key, name, kn, req, dst, found, err)) != GS_OK)    \
            return st;                                                          \
    } while (0)
#define AT(key) config_setting_get_member(g, key)

    switch (ks->kind) {
    case GS_DIST_CONSTANT:
        NUM("value", 1, &out->a, NULL);
        break;
    case GS_DIST_UNIFORM:
        NUM("min", 1, &out->a, NULL);
        NUM("max", 1, &out->b, NULL);
        if (!(out->a < out->b))
            return fail(AT("max"), name, err, "min must be below max");
        break;
    case GS_DIST_NORMAL:
        if (npts == 2) {
            if ((m = AT("mean")) || (m = AT("sd")))
                return fail(m, name, err, "give either mean and sd or two percentiles, not both");
            return from_percentiles(g, name, 0, pts, &out->a, &out->b, err);
        }
        NUM("mean", 1, &out->a, NULL);
        NUM("sd", 1, &out->b, NULL);
        if (!(out->b > 0))
            return fail(AT("sd"), name, err, "sd must be positive");
        break;
    case GS_DIST_TRUNCNORMAL:
        NUM("mean", 1, &out->a, NULL);
        NUM("sd", 1, &out->b, NULL);
        out->c = -INFINITY;
        out->d = INFINITY;
        NUM("min", 0, &out->c, &f1);
        NUM("max", 0, &out->d, &f2);
        if (!(out->b > 0))
            return fail(AT("sd"), name, err, "sd must be positive");
        if (f1 && f2 && !(out->c < out->d))
            return fail(AT("max"), name, err, "min must be below max");
        if (trunc_mass((out->c - out->a) / out->b, (out->d - out->a) / out->b) < TRUNC_MIN_MASS)
            return fail(f1 ? AT("min") : AT("max"), name, err,
                        "min and max keep less than %g of the normal's probability; "
                        "check mean, sd and the bounds",
                        TRUNC_MIN_MASS);
        break;
    case GS_DIST_LOGNORMAL: {
        double median = 0;
        if (npts == 2) {
            if ((m = AT("median")) || (m = AT("mu")) || (m = AT("sigma")))
                return fail(m, name, err,
                            "give either median (or mu) and sigma or two percentiles, not both");
            return from_percentiles(g, name, 1, pts, &out->a, &out->b, err);
        }
        NUM("median", 0, &median, &f1);
        NUM("mu", 0, &out->a, &f2);
        if (f1 && f2)
            return fail(AT("mu"), name, err, "give median or mu (its log), not both");
        if (!f1 && !f2)
            return fail(g, name, err, "missing key \"median\" (or \"mu\") for a lognormal distribution");
        NUM("sigma", 1, &out->b, NULL);
        if (f1) {
            if (!(median > 0))
                return fail(AT("median"), name, err, "median must be positive");
            out->a = log(median);
        }
        if (!(out->b > 0))
            return fail(AT("sigma"), name, err, "sigma must be positive");
        break;
    }
    case GS_DIST_TRIANGULAR:
    case GS_DIST_PERT:
        NUM("min", 1, &out->a, NULL);
        NUM("mode", 1, &out->b, NULL);
        NUM("max", 1, &out->c, NULL);
        if (!(out->a < out->c))
            return fail(AT("max"), name, err, "min must be below max");
        if (!(out->a <= out->b && out->b <= out->c))
            return fail(AT("mode"), name, err, "mode must lie between min and max");
        break;
    case GS_DIST_BETA:
        NUM("alpha", 1, &out->a, NULL);
        NUM("beta", 1, &out->b, NULL);
        out->c = 0;
        out->d = 1;
        NUM("min", 0, &out->c, NULL);
        NUM("max", 0, &out->d, NULL);
        if (!(out->a > 0))
            return fail(AT("alpha"), name, err, "alpha must be positive");
        if (!(out->b > 0))
            return fail(AT("beta"), name, err, "beta must be positive");
        if (!(out->c < out->d))
            return fail(AT("max") ? AT("max") : AT("min"), name, err, "min must be below max");
        break;
    case GS_DIST_BERNOULLI:
        NUM("p", 1, &out->a, NULL);
        if (!(out->a >= 0 && out->a <= 1))
            return fail(AT("p"), name, err, "p must be between 0 and 1");
        break;
    case GS_DIST_DISCRETE: {
        double w[GS_DIST_MAX_CHOICES];
        size_t nv, nw;
        if ((st = get_array(g, "values", name, out->values, &nv, &f1, err)) != GS_OK)
            return st;
        if (!f1)
            return fail(g, name, err, "missing key \"values\" for a discrete distribution");
        if ((st = get_array(g, "weights", name, w, &nw, &f3, err)) != GS_OK)
            return st;
        if (!f3) {
            for (size_t i = 0; i < nv; i++)
                w[i] = 1.0; /* no weights: equally likely */
            nw = nv;
        }
        if (nw != nv)
            return fail(AT("weights"), name, err, "weights has %zu entries but values has %zu", nw,
                        nv);
        double sum = 0;
        for (size_t i = 0; i < nw; i++) {
            if (!(w[i] >= 0))
                return fail(AT("weights"), name, err,
                            "weights must not be negative (entry %zu is %g)", i + 1, w[i]);
            sum += w[i];
        }
        if (!(sum > 0) || !isfinite(sum))
            return fail(AT("weights"), name, err, "weights must sum to a positive number");
        /* Sorted by value (stably), so that the quantile function is monotone:
         * rank correlation and stratified sampling then mean what they say. */
        for (size_t i = 1; i < nv; i++) {
            double v = out->values[i], wi = w[i];
            size_t j = i;
            for (; j > 0 && out->values[j - 1] > v; j--) {
                out->values[j] = out->values[j - 1];
                w[j] = w[j - 1];
            }
            out->values[j] = v;
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
            out->cum[i] = run;
        }
        for (size_t i = 0; i < nv; i++)
            out->cum[i] = ldexp(nearbyint(ldexp(out->cum[i] / run, 53)), -53);
        out->n_choices = nv;
        break;
    }
    }
#undef NUM
#undef AT
    return GS_OK;
}

gs_status gs_dist_from_setting(const config_setting_t *s, const char *name, gs_dist *out,
                               gs_error *err)
{
    if (!name)
        name = "parameter";
    memset(out, 0, sizeof *out);
    if (!s)
        return gs_error_set(err, GS_ECONFIG, NULL, 0, "%s: missing", name);
    if (is_number(s)) {
        double v = number_of(s);
        if (!isfinite(v))
            return fail(s, name, err, "must be a finite number");
        *out = gs_dist_constant(v);
        return GS_OK;
    }
    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return fail(s, name, err,
                    "must be a number or a distribution group such as "
                    "{ dist = \"uniform\"; min = 0.1; max = 0.5; }");
    gs_status st = parse_group(s, name, out, err);
    if (st != GS_OK)
        memset(out, 0, sizeof *out);
    return st;
}

gs_dist gs_dist_constant(double value)
{
    gs_dist d;
    memset(&d, 0, sizeof d);
    d.kind = GS_DIST_CONSTANT;
    d.a = value;
    return d;
}

int gs_dist_is_constant(const gs_dist *d)
{
    return d->kind == GS_DIST_CONSTANT;
}

/* ---- truncated normal helpers ------------------------------------------- */

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

static double trunc_quantile(const gs_dist *d, double u)
{
    double alpha = (d->c - d->a) / d->b, beta = (d->d - d->a) / d->b, z;
    if (alpha > 0) {
        /* Interval in the upper tail: P(alpha) is near 1 and would round away
         * the interval, Q keeps it. */
        double qa = gsl_cdf_ugaussian_Q(alpha), qb = gsl_cdf_ugaussian_Q(beta);
        z = gsl_cdf_ugaussian_Qinv(qa - u * (qa - qb));
    } else {
        double pa = gsl_cdf_ugaussian_P(alpha), pb = gsl_cdf_ugaussian_P(beta);
        z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
    }
    double x = d->a + d->b * z;
    return x < d->c ? d->c : x > d->d ? d->d : x;
}

static double trunc_cdf(const gs_dist *d, double x)
{
    if (x <= d->c)
        return 0.0;
    if (x >= d->d)
        return 1.0;
    double alpha = (d->c - d->a) / d->b, beta = (d->d - d->a) / d->b, z = (x - d->a) / d->b;
    double f;
    if (alpha > 0)
        f = (gsl_cdf_ugaussian_Q(alpha) - gsl_cdf_ugaussian_Q(z)) / trunc_mass(alpha, beta);
    else
        f = (gsl_cdf_ugaussian_P(z) - gsl_cdf_ugaussian_P(alpha)) / trunc_mass(alpha, beta);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* PERT is a beta on [min, max] with lambda = 4. */
static void pert_shape(const gs_dist *d, double *al, double *be)
{
    double w = d->c - d->a;
    *al = 1.0 + 4.0 * (d->b - d->a) / w;
    *be = 1.0 + 4.0 * (d->c - d->b) / w;
}

/* Shape and range of the beta behind a PERT or a beta. */
static void beta_params(const gs_dist *d, double *al, double *be, double *lo, double *hi)
{
    if (d->kind == GS_DIST_PERT) {
        pert_shape(d, al, be);
        *lo = d->a;
        *hi = d->c;
    } else {
        *al = d->a;
        *be = d->b;
        *lo = d->c;
        *hi = d->d;
    }
}

/* ---- quantile, cdf, moments ------------------------------------------ */

double gs_dist_quantile(const gs_dist *d, double u)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        return d->a;
    case GS_DIST_UNIFORM:
        return gsl_cdf_flat_Pinv(u, d->a, d->b);
    case GS_DIST_NORMAL:
        return d->a + gsl_cdf_gaussian_Pinv(u, d->b);
    case GS_DIST_TRUNCNORMAL:
        return trunc_quantile(d, u);
    case GS_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, d->a, d->b);
    case GS_DIST_TRIANGULAR: {
        double lo = d->a, mode = d->b, hi = d->c, w = hi - lo;
        if (u * w < mode - lo)
            return lo + sqrt(u * w * (mode - lo));
        return hi - sqrt((1.0 - u) * w * (hi - mode));
    }
    case GS_DIST_PERT:
    case GS_DIST_BETA: {
        double al, be, lo, hi;
        beta_params(d, &al, &be, &lo, &hi);
        return lo + (hi - lo) * gsl_cdf_beta_Pinv(u, al, be);
    }
    case GS_DIST_BERNOULLI:
        return u <= 1.0 - d->a ? 0.0 : 1.0;
    case GS_DIST_DISCRETE: {
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
    }
    return NAN;
}

double gs_dist_cdf(const gs_dist *d, double x)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        return x < d->a ? 0.0 : 1.0;
    case GS_DIST_UNIFORM:
        return gsl_cdf_flat_P(x, d->a, d->b);
    case GS_DIST_NORMAL:
        return gsl_cdf_gaussian_P(x - d->a, d->b);
    case GS_DIST_TRUNCNORMAL:
        return trunc_cdf(d, x);
    case GS_DIST_LOGNORMAL:
        return x <= 0 ? 0.0 : gsl_cdf_lognormal_P(x, d->a, d->b);
    case GS_DIST_TRIANGULAR: {
        double lo = d->a, mode = d->b, hi = d->c, w = hi - lo;
        if (x <= lo)
            return 0.0;
        if (x <= mode)
            return (x - lo) * (x - lo) / (w * (mode - lo));
        if (x < hi)
            return 1.0 - (hi - x) * (hi - x) / (w * (hi - mode));
        return 1.0;
    }
    case GS_DIST_PERT:
    case GS_DIST_BETA: {
        double al, be, lo, hi;
        beta_params(d, &al, &be, &lo, &hi);
        if (x <= lo)
            return 0.0;
        if (x >= hi)
            return 1.0;
        return gsl_cdf_beta_P((x - lo) / (hi - lo), al, be);
    }
    case GS_DIST_BERNOULLI:
        return x < 0 ? 0.0 : x < 1 ? 1.0 - d->a : 1.0;
    case GS_DIST_DISCRETE: {
        double f = 0.0;
        for (size_t i = 0; i < d->n_choices && d->values[i] <= x; i++)
            f = d->cum[i];
        return f;
    }
    }
    return NAN;
}

static double choice_weight(const gs_dist *d, size_t i)
{
    return i == 0 ? d->cum[0] : d->cum[i] - d->cum[i - 1];
}

double gs_dist_mean(const gs_dist *d)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        return d->a;
    case GS_DIST_UNIFORM:
        return 0.5 * (d->a + d->b);
    case GS_DIST_NORMAL:
        return d->a;
    case GS_DIST_TRUNCNORMAL: {
        double alpha = (d->c - d->a) / d->b, beta = (d->d - d->a) / d->b;
        return d->a + d->b * (phi(alpha) - phi(beta)) / trunc_mass(alpha, beta);
    }
    case GS_DIST_LOGNORMAL:
        return exp(d->a + 0.5 * d->b * d->b);
    case GS_DIST_TRIANGULAR:
        return (d->a + d->b + d->c) / 3.0;
    case GS_DIST_PERT:
    case GS_DIST_BETA: {
        double al, be, lo, hi;
        beta_params(d, &al, &be, &lo, &hi);
        return lo + (hi - lo) * al / (al + be);
    }
    case GS_DIST_BERNOULLI:
        return d->a;
    case GS_DIST_DISCRETE: {
        double m = 0;
        for (size_t i = 0; i < d->n_choices; i++)
            m += choice_weight(d, i) * d->values[i];
        return m;
    }
    }
    return NAN;
}

double gs_dist_variance(const gs_dist *d)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        return 0.0;
    case GS_DIST_UNIFORM:
        return (d->b - d->a) * (d->b - d->a) / 12.0;
    case GS_DIST_NORMAL:
        return d->b * d->b;
    case GS_DIST_TRUNCNORMAL: {
        double alpha = (d->c - d->a) / d->b, beta = (d->d - d->a) / d->b;
        double z = trunc_mass(alpha, beta);
        double m = (phi(alpha) - phi(beta)) / z;
        return d->b * d->b * (1.0 + (xphi(alpha) - xphi(beta)) / z - m * m);
    }
    case GS_DIST_LOGNORMAL: {
        double s2 = d->b * d->b;
        return expm1(s2) * exp(2.0 * d->a + s2);
    }
    case GS_DIST_TRIANGULAR: {
        double a = d->a, c = d->b, b = d->c;
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    }
    case GS_DIST_PERT:
    case GS_DIST_BETA: {
        double al, be, lo, hi;
        beta_params(d, &al, &be, &lo, &hi);
        double s = al + be;
        return (hi - lo) * (hi - lo) * al * be / (s * s * (s + 1.0));
    }
    case GS_DIST_BERNOULLI:
        return d->a * (1.0 - d->a);
    case GS_DIST_DISCRETE: {
        double m = gs_dist_mean(d), v = 0;
        for (size_t i = 0; i < d->n_choices; i++)
            v += choice_weight(d, i) * (d->values[i] - m) * (d->values[i] - m);
        return v;
    }
    }
    return NAN;
}

double gs_dist_lower(const gs_dist *d)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
    case GS_DIST_UNIFORM:
    case GS_DIST_TRIANGULAR:
    case GS_DIST_PERT:
        return d->a;
    case GS_DIST_NORMAL:
        return -INFINITY;
    case GS_DIST_TRUNCNORMAL:
    case GS_DIST_BETA:
        return d->c;
    case GS_DIST_LOGNORMAL:
        return 0.0;
    case GS_DIST_BERNOULLI:
        return d->a < 1 ? 0.0 : 1.0;
    case GS_DIST_DISCRETE:
        for (size_t i = 0; i < d->n_choices; i++)
            if (choice_weight(d, i) > 0)
                return d->values[i];
        return NAN;
    }
    return NAN;
}

double gs_dist_upper(const gs_dist *d)
{
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        return d->a;
    case GS_DIST_UNIFORM:
        return d->b;
    case GS_DIST_TRIANGULAR:
    case GS_DIST_PERT:
        return d->c;
    case GS_DIST_NORMAL:
    case GS_DIST_LOGNORMAL:
        return INFINITY;
    case GS_DIST_TRUNCNORMAL:
    case GS_DIST_BETA:
        return d->d;
    case GS_DIST_BERNOULLI:
        return d->a > 0 ? 1.0 : 0.0;
    case GS_DIST_DISCRETE:
        for (size_t i = d->n_choices; i-- > 0;)
            if (choice_weight(d, i) > 0)
                return d->values[i];
        return NAN;
    }
    return NAN;
}

/* ---- text ------------------------------------------------------------ */

/* %.17g, with ".0" added to integral values so that libconfig reads them
 * back as floats (arrays must not mix ints and floats, and a large integral
 * value would overflow libconfig's int). */
static void put_exact(sbuf *sb, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.17g", v);
    sb_printf(sb, "%s%s", t, strpbrk(t, ".eEni") ? "" : ".0");
}

void gs_dist_describe(const gs_dist *d, char *buf, size_t n)
{
    sbuf sb = {buf, n, 0};
    if (n)
        buf[0] = '\0';
    const char *kn = spec_of(d->kind)->name;
    switch (d->kind) {
    case GS_DIST_CONSTANT:
        sb_printf(&sb, "%.10g", d->a);
        break;
    case GS_DIST_UNIFORM:
        sb_printf(&sb, "uniform(min=%.10g, max=%.10g)", d->a, d->b);
        break;
    case GS_DIST_NORMAL:
        sb_printf(&sb, "normal(mean=%.10g, sd=%.10g)", d->a, d->b);
        break;
    case GS_DIST_TRUNCNORMAL:
        sb_printf(&sb, "truncnormal(mean=%.10g, sd=%.10g", d->a, d->b);
        if (isfinite(d->c))
            sb_printf(&sb, ", min=%.10g", d->c);
        if (isfinite(d->d))
            sb_printf(&sb, ", max=%.10g", d->d);
        sb_printf(&sb, ")");
        break;
    case GS_DIST_LOGNORMAL:
        sb_printf(&sb, "lognormal(median=%.10g, sigma=%.10g)", exp(d->a), d->b);
        break;
    case GS_DIST_TRIANGULAR:
    case GS_DIST_PERT:
        sb_printf(&sb, "%s(min=%.10g, mode=%.10g, max=%.10g)", kn, d->a, d->b, d->c);
        break;
    case GS_DIST_BETA:
        sb_printf(&sb, "beta(alpha=%.10g, beta=%.10g, min=%.10g, max=%.10g)", d->a, d->b, d->c,
                  d->d);
        break;
    case GS_DIST_BERNOULLI:
        sb_printf(&sb, "bernoulli(p=%.10g)", d->a);
        break;
    case GS_DIST_DISCRETE:
        sb_printf(&sb, "discrete(");
        for (size_t i = 0; i < d->n_choices; i++)
            sb_printf(&sb, "%s%.10g: %.10g", i ? ", " : "", d->values[i], choice_weight(d, i));
        sb_printf(&sb, ")");
        break;
    }
}

void gs_dist_to_config(const gs_dist *d, char *buf, size_t n)
{
    sbuf sb = {buf, n, 0};
    if (n)
        buf[0] = '\0';
    if (d->kind == GS_DIST_CONSTANT) {
        put_exact(&sb, d->a);
        return;
    }
    const kind_spec *ks = spec_of(d->kind);
    sb_printf(&sb, "{ dist = \"%s\";", ks->name);
    const char *keys[4] = {NULL, NULL, NULL, NULL};
    double vals[4] = {d->a, d->b, d->c, d->d};
    switch (d->kind) {
    case GS_DIST_LOGNORMAL:
        /* mu rather than median: exp then log would not give mu back exactly. */
        keys[0] = "mu";
        keys[1] = "sigma";
        break;
    case GS_DIST_TRUNCNORMAL:
        keys[0] = "mean";
        keys[1] = "sd";
        keys[2] = isfinite(d->c) ? "min" : NULL;
        keys[3] = isfinite(d->d) ? "max" : NULL;
        break;
    case GS_DIST_DISCRETE:
        sb_printf(&sb, " values = [");
        for (size_t i = 0; i < d->n_choices; i++) {
            sb_printf(&sb, "%s", i ? ", " : "");
            put_exact(&sb, d->values[i]);
        }
        sb_printf(&sb, "]; weights = [");
        for (size_t i = 0; i < d->n_choices; i++) {
            sb_printf(&sb, "%s", i ? ", " : "");
            put_exact(&sb, choice_weight(d, i)); /* exact: see the parser */
        }
        sb_printf(&sb, "];");
        break;
    default:
        for (size_t i = 0; i < 4 && ks->keys[i]; i++)
            keys[i] = ks->keys[i];
        break;
    }
    for (size_t i = 0; i < 4; i++)
        if (keys[i]) {
            sb_printf(&sb, " %s = ", keys[i]);
            put_exact(&sb, vals[i]);
            sb_printf(&sb, ";");
        }
    sb_printf(&sb, " }");
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
