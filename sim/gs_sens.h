/* gs_sens.h: global sensitivity analysis -- Sobol' indices from a Saltelli
 * design, Morris elementary effects, eFAST, RBD-FAST, the delta
 * moment-independent measure and PAWN.
 *
 * The estimators are generic over "a model evaluated at the rows of a
 * sample": a caller makes a sample, runs its model once per row (an external
 * program, or gapsim itself), and hands the outputs back in the same order.
 * Nothing here reads or writes files except the readers of problem files,
 * samples and outputs (gs_sens_problem_read, gs_sens_table_read).
 *
 * Row layouts are those of SALib, so designs and outputs can be exchanged
 * with it:
 *   Sobol', per base row j:  A_j, AB_j1 .. AB_jk, [BA_j1 .. BA_jk,] B_j
 *   Morris, per trajectory:  k + 1 rows, each one factor away from the last.
 *
 * Every random draw comes from the seed the caller passes (GSL's mt19937),
 * so the same seed gives the same sample and the same intervals.
 *
 * An index that cannot be estimated from the outputs given is NaN in the
 * result and its row carries a note saying why; writers print it empty.
 */
#ifndef GS_SENS_H
#define GS_SENS_H

#include "gs_error.h"

#include <stdbool.h>
#include <stddef.h>

/* GSL's Sobol' generator stops at 40 dimensions and the design needs 2k. */
#define GS_SENS_SOBOL_MAX_PARAMS 20

/* ---- the problem: k factors, each with a distribution ---- */

/* SALib's distributions and the meaning it gives the two numbers of a
 * problem line:
 *   unif    lower, upper
 *   triang  upper end c, peak as a fraction of [0, c] (the start is 0)
 *   norm    mean, standard deviation
 *   lognorm mean and standard deviation of the logarithm
 *   logunif lower, upper (both > 0), uniform in the logarithm */
typedef enum {
    GS_SENS_UNIF,
    GS_SENS_TRIANG,
    GS_SENS_NORM,
    GS_SENS_LOGNORM,
    GS_SENS_LOGUNIF,
    GS_SENS_NDIST
} gs_sens_dist;

typedef struct gs_sens_problem {
    size_t k;             /* number of parameters */
    char **names;         /* k names, owned */
    double *lower;        /* k first numbers of the line (unif: lower bound) */
    double *upper;        /* k second numbers (unif: upper bound) */
    unsigned char *dist;  /* k gs_sens_dist */
    size_t *group;        /* k indices into group_names */
    char **group_names;   /* n_groups names, owned; NULL when every factor is its own group */
    size_t n_groups;      /* groups; k when there are none */
    int *lines;           /* k 1-based lines of the file each came from, 0 if none */
    size_t cap;           /* allocated slots */
} gs_sens_problem;

gs_sens_problem *gs_sens_problem_new(void);
void gs_sens_problem_free(gs_sens_problem *p);

/* Appends a parameter uniform on [lower, upper]; refuses an empty or
 * duplicate name, non-finite bounds and lower >= upper (GS_EINPUT). */
gs_status gs_sens_problem_add(gs_sens_problem *p, const char *name, double lower,
                              double upper, gs_error *err);

/* Appends a parameter with a distribution (SALib's name, NULL: "unif") and a
 * group (NULL or "NA": its own). */
gs_status gs_sens_problem_add_full(gs_sens_problem *p, const char *name, double b1, double b2,
                                   const char *group, const char *dist, gs_error *err);

/* Reads a problem file as SALib writes it: one parameter a line,
 * "name b1 b2 [group] [dist]".  delim 0 splits a line on commas when it has
 * one, else on blanks; any other character splits on that character only.
 * '#' starts a comment; blank lines are skipped.  Errors carry the file and
 * line. */
gs_status gs_sens_problem_read(const char *path, char delim, gs_sens_problem **out,
                               gs_error *err);

/* A numeric table read from a sample (-X) or output (-Y) file. */
typedef struct gs_sens_table {
    size_t rows, cols;
    double *v;   /* rows * cols (cols: want_cols, or 1 for a picked column) */
    int *line;   /* rows: 1-based file line of each row */
} gs_sens_table;

/* Reads whitespace- or comma-separated numbers (delim 0), or numbers split
 * on delim only; "-" reads standard input.  '#' starts a comment; blank
 * lines are skipped.  want_cols > 0: every row must have exactly that many
 * (a sample); else only column pick (0-based) is kept (an output file may
 * carry more columns than the one analysed).  NUL bytes, text and
 * non-finite numbers are errors naming the file and line; what ("samples",
 * "outputs") names the contents in messages.  On failure t is left empty. */
gs_status gs_sens_table_read(const char *path, char delim, size_t want_cols, size_t pick,
                             const char *what, gs_sens_table *t, gs_error *err);
void gs_sens_table_free(gs_sens_table *t); /* harmless on an empty table */
/* Every index is a ratio of variances: outputs whose running variance
 * overflows a double are an error naming the row's line (name: the file). */
gs_status gs_sens_outputs_check(const gs_sens_table *y, const char *name, gs_error *err);

/* The name of group g (a factor's own name when there are no groups). */
const char *gs_sens_group_name(const gs_sens_problem *p, size_t g);
/* Whether any two factors share a group. */
bool gs_sens_has_groups(const gs_sens_problem *p);
/* Whether every factor's distribution has finite bounds (unif, triang,
 * logunif): a grid design (Morris) needs its ends. */
bool gs_sens_bounded(const gs_sens_problem *p);
/* Factor i at probability u in [0, 1]: its quantile function. */
double gs_sens_value(const gs_sens_problem *p, size_t i, double u);
/* Factor i's cumulative distribution at x. */
double gs_sens_unit(const gs_sens_problem *p, size_t i, double x);
const char *gs_sens_dist_name(gs_sens_dist d);

/* ---- samples ---- */

typedef struct gs_sens_sample {
    size_t rows;  /* model runs */
    size_t k;     /* values per row */
    double *x;    /* rows * k, row-major, scaled to the bounds */
} gs_sens_sample;

void gs_sens_sample_free(gs_sens_sample *s);

/* Model runs a design needs: N(D+2), N(2D+2) with second order, r(D+1),
 * with D the number of groups (k without groups); eFAST N k. */
size_t gs_sens_sobol_rows(size_t n, size_t k, bool second_order);
size_t gs_sens_morris_rows(size_t r, size_t k);

/* Saltelli design from N base points of the 2k-dimensional Sobol' sequence
 * (A = the first k coordinates, B = the last k), shifted at random modulo 1
 * (Cranley and Patterson 1976) by a shift drawn from seed.  The unshifted
 * GSL sequence puts the same dyadic fractions in different coordinates
 * (its first point is (1/2, ..., 1/2)), so A and B would share values and
 * the design would repeat rows; the shift keeps the sequence's spacing and
 * makes every row distinct.  With groups, AB_g takes from B every column of
 * group g.  Needs 1 <= k <= GS_SENS_SOBOL_MAX_PARAMS and N >= 2. */
gs_status gs_sens_sobol_sample(const gs_sens_problem *p, size_t n, bool second_order,
                               unsigned long seed, gs_sens_sample **out, gs_error *err);

/* r Morris trajectories on a p-level grid (p even, >= 2), step
 * delta = p / (2 (p - 1)) in unit scale (Morris 1991, Campolongo et al.
 * 2007): a random base point on the lower levels, the D groups moved once
 * each in a random order, every factor of a group together and each in its
 * own random direction.  Needs r >= 2 and bounded distributions. */
gs_status gs_sens_morris_sample(const gs_sens_problem *p, size_t r, unsigned levels,
                                unsigned long seed, gs_sens_sample **out, gs_error *err);

/* Campolongo et al. (2007): draws `candidates` trajectories as above and
 * keeps the r of them that are furthest apart (the sum of the squared
 * distances between them, each distance the sum of the Euclidean distances
 * between their points in unit scale), chosen greedily from the pair that
 * is furthest apart, adding the trajectory that adds most, then swapping
 * while a swap gains (a local search in the manner of Ruano et al. 2012).
 * Needs 2 <= r < candidates. */
gs_status gs_sens_morris_optimal(const gs_sens_problem *p, size_t candidates, size_t r,
                                 unsigned levels, unsigned long seed, gs_sens_sample **out,
                                 gs_error *err);

/* eFAST search curves (Saltelli, Tarantola and Chan 1999): N points per
 * factor, factor i at the high frequency omega_0 = floor((N - 1) / 2M) and
 * the others at low ones, each block with a random phase from seed; rows in
 * SALib's order (block i is rows i N .. (i + 1) N - 1).  Needs N > 4 M^2. */
gs_status gs_sens_fast_sample(const gs_sens_problem *p, size_t n, unsigned m,
                              unsigned long seed, gs_sens_sample **out, gs_error *err);

/* Latin hypercube of N rows (McKay et al. 1979), for the methods that work
 * from any sample (RBD-FAST, delta, PAWN). */
gs_status gs_sens_latin_sample(const gs_sens_problem *p, size_t n, unsigned long seed,
                               gs_sens_sample **out, gs_error *err);

/* Checks that x (rows x p->k) could come from the problem: every value
 * inside its distribution's support.  GS_EINPUT with line = the 1-based row
 * and a message naming the parameter otherwise. */
gs_status gs_sens_check_sample(const gs_sens_problem *p, const double *x, size_t rows,
                               gs_error *err);

/* Checks that x is a Saltelli design of the problem with or without the
 * second-order rows, so that a design analysed with the other order, or
 * with another problem, is an error that says what the rows look like. */
gs_status gs_sens_sobol_check_design(const gs_sens_problem *p, const double *x, size_t rows,
                                     bool second_order, gs_error *err);

/* ---- Sobol' indices ---- */

typedef struct gs_sens_sobol_opts {
    bool second_order;   /* the design has the BA_i rows; estimate S2 */
    size_t resamples;    /* bootstrap resamples of the base rows, >= 2 (SALib: 1000) */
    double conf_level;   /* of the reported intervals, in (0, 1) (SALib: 0.95) */
    unsigned long seed;  /* of the bootstrap */
} gs_sens_sobol_opts;

/* resamples 1000, conf_level 0.95, seed 1, first order only. */
gs_sens_sobol_opts gs_sens_sobol_opts_default(void);

typedef struct gs_sens_sobol_result {
    size_t k;
    size_t n;          /* base rows the outputs held */
    double *S1;        /* k first-order indices (Saltelli et al. 2010) */
    double *S1_conf;   /* k half-widths of the conf_level bootstrap interval */
    double *ST;        /* k total indices (Jansen 1999) */
    double *ST_conf;
    double *S2;        /* k*k, S2[i*k + j] for i < j, NaN elsewhere; NULL without second order */
    double *S2_conf;
    const char **note; /* k: NULL, or why the row's indices are NaN */
    size_t dropped;    /* bootstrap resamples left out: (almost) no output variance */
} gs_sens_sobol_result;

void gs_sens_sobol_result_free(gs_sens_sobol_result *r);

/* y holds one output per row of the design, in its order; k is the number
 * of groups of the design (factors without groups).  A row count that is not
 * a multiple of k+2 (2k+2) is GS_EINPUT with a message saying what was
 * expected; so is a non-finite output (err->line = its 1-based row).
 * Indices that cannot be estimated are NaN with a note: all of them when the
 * A and B rows do not vary; one whose estimate lies outside [0, 1] by more
 * than its interval, or whose interval is wider than +/- 0.5 (it would
 * cover every share from 0 to 1).  Bootstrap resamples whose A and B rows hold less than
 * 1e-6 of the sample's variance are left out (the ratio estimators divide by
 * that variance and would return huge values); when more than half are, the
 * intervals are NaN. */
gs_status gs_sens_sobol_analyze(size_t k, const double *y, size_t rows,
                                const gs_sens_sobol_opts *opts,
                                gs_sens_sobol_result **out, gs_error *err);

/* ---- Morris elementary effects ---- */

typedef struct gs_sens_morris_opts {
    size_t resamples;    /* bootstrap resamples of the trajectories, >= 2 */
    double conf_level;   /* in (0, 1) */
    unsigned long seed;  /* of the bootstrap */
} gs_sens_morris_opts;

/* resamples 1000, conf_level 0.95, seed 1. */
gs_sens_morris_opts gs_sens_morris_opts_default(void);

typedef struct gs_sens_morris_result {
    size_t k;
    size_t r;              /* trajectories */
    double *mu;            /* k means of the elementary effects */
    double *mu_star;       /* k means of their absolute values */
    double *sigma;         /* k sample standard deviations (n - 1) */
    double *mu_star_conf;  /* k bootstrap half-widths of mu_star */
    double *ee;            /* r*k elementary effects, ee[t*k + i] */
    const char *note;      /* NULL, or why mu and sigma are NaN (groups) */
} gs_sens_morris_result;

void gs_sens_morris_result_free(gs_sens_morris_result *r);

/* x is the design the outputs y came from (rows x p->k, scaled).  Within a
 * trajectory each row must differ from the one before in exactly one factor
 * (with groups: in exactly the factors of one group); the elementary effect
 * is (f(after) - f(before)) / step, the step measured in unit scale (the
 * factor's CDF) and signed, so a step down counts like a step up.  With
 * groups, result k is the number of groups and only mu_star is defined: the
 * factors of a group move in their own directions, so an effect has no sign
 * (Campolongo et al. 2007); mu and sigma are NaN.  Bad layouts are GS_EINPUT with line = the offending row
 * (1-based). */
gs_status gs_sens_morris_analyze(const gs_sens_problem *p, const double *x, const double *y,
                                 size_t rows, const gs_sens_morris_opts *opts,
                                 gs_sens_morris_result **out, gs_error *err);

/* ---- the other methods: one table of indices ---- */

typedef struct gs_sens_index {
    size_t k;                 /* rows (factors, or groups for PAWN) */
    size_t ncol;
    const char *const *cols;  /* ncol column names, static */
    double *v;                /* k * ncol, v[i * ncol + c]; NaN: see note */
    const char **note;        /* k: NULL, or why a value of the row is NaN */
} gs_sens_index;

void gs_sens_index_free(gs_sens_index *r);

typedef struct gs_sens_boot_opts {
    size_t resamples;    /* bootstrap resamples, >= 2 */
    double conf_level;   /* in (0, 1) */
    unsigned long seed;
} gs_sens_boot_opts;

/* resamples 100, conf_level 0.95, seed 1 (SALib's defaults for these methods). */
gs_sens_boot_opts gs_sens_boot_opts_default(void);

/* eFAST from the outputs of gs_sens_fast_sample's design (rows = N k):
 * columns S1, S1_conf, ST, ST_conf.  A search curve is one ordered series,
 * so resampling its points says nothing about the error; the intervals come
 * from the spread over R phases instead: `replicates` > 1 designs stacked
 * (rows = R N k, each with its own phases), indices the mean over them and
 * *_conf the t interval of that mean.  With one replicate *_conf are NaN
 * with a note. */
gs_status gs_sens_fast_analyze(size_t k, const double *y, size_t rows, unsigned m,
                               size_t replicates, double conf_level, gs_sens_index **out,
                               gs_error *err);

/* RBD-FAST from any sample (Tarantola et al. 2006; Plischke 2010), bias
 * corrected (Tissot and Prieur 2012), M harmonics: columns S1, S1_conf, the
 * interval from resamples of half the rows, as SALib. */
gs_status gs_sens_rbd_fast_analyze(size_t k, const double *x, const double *y, size_t rows,
                                   unsigned m, const gs_sens_boot_opts *o, gs_sens_index **out,
                                   gs_error *err);

/* Borgonovo's delta from any sample with Plischke et al.'s (2013) estimator:
 * classes of equal size along each factor, kernel densities of the output,
 * bias-reduced by the bootstrap; also the first-order index from the same
 * classes.  Columns delta, delta_conf, S1, S1_conf. */
gs_status gs_sens_delta_analyze(size_t k, const double *x, const double *y, size_t rows,
                                const gs_sens_boot_opts *o, gs_sens_index **out, gs_error *err);

/* PAWN (Pianosi and Wagener 2015, 2018) from any sample: the Kolmogorov-
 * Smirnov distance between the output's CDF and its CDF with factor i in
 * each of S slides of equal count; columns minimum, mean, median, maximum,
 * CV, stdev over the slides (SALib's), and median_conf from the bootstrap.
 * With groups, a group's row is the mean of its factors', as SALib. */
gs_status gs_sens_pawn_analyze(const gs_sens_problem *p, const double *x, const double *y,
                               size_t rows, size_t slides, const gs_sens_boot_opts *o,
                               gs_sens_index **out, gs_error *err);

#endif
