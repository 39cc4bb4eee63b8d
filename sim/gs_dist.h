/* gs_dist.h: the probability distributions a parameter may be given as,
 * sampling by inverse CDF (so that plain Monte Carlo, Latin hypercube and
 * quasi-random points all go through one function), and the Gaussian copula
 * that correlates named parameters by rank.
 *
 * In a scenario file a numeric parameter is either a number (a constant) or a
 * group naming its distribution:
 *
 *   x = 0.3;                                                  constant
 *   x = { dist = "constant";    value = 0.3; };
 *   x = { dist = "uniform";     min = 0.1; max = 0.5; };
 *   x = { dist = "normal";      mean = 0.07; sd = 0.015; };
 *   x = { dist = "normal";      p05 = 0.045; p95 = 0.095; };  any two pNN
 *   x = { dist = "truncnormal"; mean = 0.2; sd = 0.1; min = 0.0; max = 1.0; }; min or max may be left out
 *   x = { dist = "lognormal";   median = 2.7; sigma = 0.15; }; sigma: sd of log
 *   x = { dist = "lognormal";   p10 = 2.0; p90 = 3.5; };      any two pNN
 *   x = { dist = "lognormal";   mu = 0.99; sigma = 0.15; };   mu: log of the median
 *   x = { dist = "triangular";  min = 1.5; mode = 3.0; max = 5.0; };
 *   x = { dist = "pert";        min = 0.4; mode = 0.65; max = 0.85; };
 *   x = { dist = "beta";        alpha = 2.0; beta = 5.0; min = 0.0; max = 1.0; }; min/max optional
 *   x = { dist = "bernoulli";   p = 0.3; };                   values 0 and 1
 *   x = { dist = "discrete";    values = [2018.0, 2019.0]; weights = [0.7, 0.3]; };
 *                                 weights optional (equal); values are kept sorted
 */
#ifndef GS_DIST_H
#define GS_DIST_H

#include <gsl/gsl_rng.h>
#include <libconfig.h>
#include <stddef.h>

#include "gs_error.h"

typedef enum {
    GS_DIST_CONSTANT,
    GS_DIST_UNIFORM,
    GS_DIST_NORMAL,
    GS_DIST_TRUNCNORMAL,
    GS_DIST_LOGNORMAL,
    GS_DIST_TRIANGULAR,
    GS_DIST_PERT,
    GS_DIST_BETA,
    GS_DIST_BERNOULLI,
    GS_DIST_DISCRETE
} gs_dist_kind;

#define GS_DIST_MAX_CHOICES 64

typedef struct gs_dist {
    gs_dist_kind kind;
    /* Canonical parameters, whatever form the file used:
     * constant: a = value
     * uniform: a = min, b = max
     * normal: a = mean, b = sd
     * truncnormal: a = mean, b = sd, c = min, d = max
     * lognormal: a = mu (log of the median), b = sigma (sd of the log)
     * triangular, pert: a = min, b = mode, c = max
     * beta: a = alpha, b = beta, c = min, d = max
     * bernoulli: a = p */
    double a, b, c, d;
    size_t n_choices;                          /* discrete only */
    double values[GS_DIST_MAX_CHOICES];        /* discrete only */
    double cum[GS_DIST_MAX_CHOICES];           /* discrete only: cumulative normalised weights */
} gs_dist;

/* Reads a distribution from a libconfig setting: a number (int or float) or a
 * group as above.  Errors name the setting's file and line
 * (config_setting_source_file / config_setting_source_line) and the key, e.g.
 * "x: unknown distribution \"normall\" (did you mean \"normal\"?)",
 * "x: sd must be positive", "x: min must be below max",
 * "x: unknown key \"sdd\" for a normal distribution", "x: weights must sum to a positive number".
 * name is the parameter path used in messages. Returns GS_OK or GS_ECONFIG. */
gs_status gs_dist_from_setting(const config_setting_t *s, const char *name, gs_dist *out,
                               gs_error *err);

gs_dist gs_dist_constant(double value);

/* Quantile function (inverse CDF) at u in (0, 1).  For bernoulli and
 * discrete, the smallest value whose cumulative weight is >= u. */
double gs_dist_quantile(const gs_dist *d, double u);

/* CDF at x (used by tests and by the plots of parameter ranges). */
double gs_dist_cdf(const gs_dist *d, double x);

double gs_dist_mean(const gs_dist *d);
double gs_dist_variance(const gs_dist *d);

/* Support bounds; -INFINITY / INFINITY where unbounded. */
double gs_dist_lower(const gs_dist *d);
double gs_dist_upper(const gs_dist *d);

int gs_dist_is_constant(const gs_dist *d);

/* Writes a short canonical description, e.g. "triangular(min=1.5, mode=3, max=5)"
 * or "0.29" for a constant, with %.10g numbers. */
void gs_dist_describe(const gs_dist *d, char *buf, size_t n);

/* Writes the distribution back as libconfig text that gs_dist_from_setting
 * reads to the same distribution, e.g. "{ dist = \"normal\"; mean = 0.07; sd = 0.015; }"
 * or "0.29", numbers with %.17g (used for the resolved config in manifest.json). */
void gs_dist_to_config(const gs_dist *d, char *buf, size_t n);

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
