/* gs_dist.h: the probability distributions a parameter may be given as,
 * sampling by inverse CDF (so that plain Monte Carlo, Latin hypercube and
 * quasi-random points all go through one function), and the Gaussian copula
 * that correlates named parameters by rank.
 *
 * Each family is a gs_dist_type (name, keys, construction from keys,
 * quantile, CDF, moments, bounds), listed in one registry, in the manner of
 * GSL's gsl_rng_type.  This module knows nothing of config files: the config
 * layer (gs_dist_config.h) turns a setting into the gs_dist_arg list that
 * gs_dist_make reads, and puts the file and line on its errors.
 *
 * In a scenario file a numeric parameter is either a number (a constant) or a
 * group naming its distribution:
 *
 *   x = 0.3;                                                  constant
 *   x = { dist = "constant";    value = 0.3; };
 *   x = { dist = "uniform";     min = 0.1; max = 0.5; };
 *   x = { dist = "normal";      mean = 0.07; sd = 0.015; };
 *   x = { dist = "truncnormal"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; }; min or max may be left out
 *   x = { dist = "lognormal";   median = 2.7; sigma = 0.15; }; sigma: sd of log
 *   x = { dist = "lognormal";   mu = 0.99; sigma = 0.15; };   mu: log of the median
 *   x = { dist = "loguniform";  min = 0.01; max = 1.0; };     log x uniform
 *   x = { dist = "gamma";       shape = 2.0; scale = 1.5; };
 *   x = { dist = "weibull";     shape = 1.5; scale = 3.0; };
 *   x = { dist = "student_t";   df = 4.0; loc = 0.0; scale = 1.0; };
 *   x = { dist = "triangular";  min = 1.5; mode = 3.0; max = 5.0; };
 *   x = { dist = "pert";        min = 0.4; mode = 0.65; max = 0.85; };
 *   x = { dist = "beta";        alpha = 2.0; beta = 5.0; min = 0.0; max = 1.0; }; min/max optional
 *   x = { dist = "bernoulli";   p = 0.3; };                   values 0 and 1
 *   x = { dist = "discrete";    values = [2018.0, 2019.0]; weights = [0.7, 0.3]; };
 *                                 weights optional (equal); values are kept sorted
 *
 * Two percentiles (any two of p01..p99) may replace the parameters of
 * uniform, normal, lognormal, loguniform, gamma and weibull, the shapes of
 * beta (min and max still apply), and the loc and scale of student_t (df
 * still given):
 *   x = { dist = "lognormal"; p10 = 2.0; p90 = 3.5; };
 * min and/or max truncate normal (giving a truncnormal), lognormal, gamma,
 * weibull and student_t, by inverting the CDF between the bounds:
 *   x = { dist = "lognormal"; median = 2.7; sigma = 0.5; max = 5.0; };
 * Percentiles and truncation do not combine (the percentiles would be those of
 * the untruncated family, which is not what a reader of the file expects).
 */
#ifndef GS_DIST_H
#define GS_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "gs_error.h"

#define GS_DIST_MAX_CHOICES 64

typedef struct gs_dist_type gs_dist_type;

typedef struct gs_dist {
    const gs_dist_type *type;
    /* Canonical parameters of the family, whatever form the file used:
     * constant: a = value
     * uniform: a = min, b = max
     * normal, truncnormal: a = mean, b = sd
     * lognormal: a = mu (log of the median), b = sigma (sd of the log)
     * loguniform: a = min, b = max
     * gamma, weibull: a = shape, b = scale
     * student_t: a = df, b = loc, c = scale
     * triangular, pert: a = min, b = mode, c = max
     * beta: a = alpha, b = beta, c = min, d = max
     * bernoulli: a = p */
    double a, b, c, d;
    /* Truncation to [lo, hi] when truncated (-INFINITY / INFINITY when a
     * side is open).  p_lo, p_hi are the family's
     * CDF at the bounds, q_lo, q_hi its upper tail 1 - CDF; upper_tail says
     * the kept interval lies above the median, where the upper tail keeps
     * the digits that the CDF would round away. */
    int truncated;
    double lo, hi;
    double p_lo, p_hi, q_lo, q_hi;
    int upper_tail;
    size_t n_choices;                          /* discrete only */
    double values[GS_DIST_MAX_CHOICES];        /* discrete only */
    double cum[GS_DIST_MAX_CHOICES];           /* discrete only: cumulative normalised weights */
} gs_dist;

/* One key of a distribution group as written in a file.  The config layer
 * fills these; the family's constructor checks them. */
typedef enum {
    GS_DIST_ARG_NUMBER,  /* value */
    GS_DIST_ARG_LIST,    /* list[0..len-1], every entry a number; len may exceed
                            GS_DIST_MAX_CHOICES, only that many are stored */
    GS_DIST_ARG_BADLIST, /* a list whose entry bad_entry (1-based) is not a number */
    GS_DIST_ARG_OTHER    /* a string, a boolean, a group */
} gs_dist_arg_kind;

typedef struct gs_dist_arg {
    const char *key;
    gs_dist_arg_kind kind;
    double value;
    const double *list;
    size_t len;
    size_t bad_entry;
} gs_dist_arg;

/* Where the fault of a failed gs_dist_make lies: an index into its args, or
 * one of these. */
#define GS_DIST_AT_GROUP ((size_t)-1)  /* the group as a whole (a missing key) */
#define GS_DIST_AT_FAMILY ((size_t)-2) /* the family name (the "dist" key) */

/* Builds a distribution of the named family from its keys (args need not be
 * in any order; at most GS_DIST_MAX_ARGS are read).  On error returns
 * GS_ECONFIG with err->msg a sentence without file or line, e.g.
 * "sd must be positive", "unknown key \"sdd\" for a normal distribution
 * (did you mean \"sd\"?)", and *at saying which key it is about. */
#define GS_DIST_MAX_ARGS 16
gs_status gs_dist_make(const char *family, const gs_dist_arg *args, size_t n, gs_dist *out,
                       size_t *at, gs_error *err);

gs_dist gs_dist_constant(double value);

/* Family name ("normal", "constant", ...). */
const char *gs_dist_name(const gs_dist *d);

/* The registry of families, in the order error messages list them. */
size_t gs_dist_n_types(void);
const gs_dist_type *gs_dist_type_at(size_t i);
const char *gs_dist_type_name(const gs_dist_type *t);
/* NULL when no family has that name. */
const gs_dist_type *gs_dist_type_find(const char *name);

/* Quantile function (inverse CDF) at u in (0, 1).  For bernoulli and
 * discrete, the smallest value whose cumulative weight is >= u.  This is the
 * one entry point of every sampler (plain, Latin hypercube, quasi-random). */
double gs_dist_quantile(const gs_dist *d, double u);

/* CDF at x. */
double gs_dist_cdf(const gs_dist *d, double x);

/* Mean and variance, truncation included; INFINITY (variance) or NAN (mean)
 * where the moment does not exist (student_t with df <= 2 or df <= 1). */
double gs_dist_mean(const gs_dist *d);
double gs_dist_variance(const gs_dist *d);

/* Support bounds; -INFINITY / INFINITY where unbounded. */
double gs_dist_lower(const gs_dist *d);
double gs_dist_upper(const gs_dist *d);

int gs_dist_is_constant(const gs_dist *d);

/* Writes a short canonical description, e.g. "triangular(min=1.5, mode=3, max=5)"
 * or "0.29" for a constant, with %.10g numbers. */
void gs_dist_describe(const gs_dist *d, char *buf, size_t n);

/* Writes the distribution back as libconfig text that the config layer
 * reads to the same distribution, e.g. "{ dist = \"normal\"; mean = 0.07; sd = 0.015; }"
 * or "0.29", numbers with %.17g (used for the resolved config in manifest.json). */
void gs_dist_to_config(const gs_dist *d, char *buf, size_t n);

/* What to change in a distribution whose 1e-9 quantiles reach beyond a
 * parameter's allowed range [lo, hi], naming only what its family's syntax
 * allows, e.g. "set max = 20 in the group to truncate it, or change its
 * parameters" or "keep its min and max within the range"; one clause
 * without a full stop. */
void gs_dist_range_advice(const gs_dist *d, double lo, double hi, char *buf, size_t n);

/* Gaussian copula for rank correlation.  rho is an n x n row-major matrix of
 * Spearman rank correlations (symmetric, unit diagonal, entries in [-1, 1]).
 * Converted to the normal scale by r = 2 sin(pi rho / 6) and factored with
 * gsl_linalg_cholesky_decomp1; a matrix that is not positive definite is an
 * error: returns NULL with GS_ECONFIG and a message naming the matrix. */
typedef struct gs_copula gs_copula;
gs_copula *gs_copula_new(size_t n, const double *rho, gs_error *err);
void gs_copula_free(gs_copula *c); /* NULL is harmless */
size_t gs_copula_dim(const gs_copula *c);
/* u: n independent uniforms in (0,1), replaced by n uniforms whose normal
 * scores have the copula's correlation (each stays uniform marginally). */
void gs_copula_apply(const gs_copula *c, double *u);

/* Latin hypercube: fills u (n rows x d columns, row-major) with one point
 * in each of the n equal strata of every column, strata permuted independently
 * per column with gsl_ran_shuffle and a uniform jitter within the stratum,
 * all drawn from r.  Values are in (0, 1). */
void gs_lhs_fill(gsl_rng *r, size_t n, size_t d, double *u);

#endif
