/* gs_sens.h: global sensitivity analysis -- Sobol' indices from a Saltelli
 * design and Morris elementary effects.
 *
 * The estimators are generic over "a model evaluated at the rows of a
 * sample": a caller makes a sample, runs its model once per row (an external
 * program, or gapsim itself), and hands the outputs back in the same order.
 * Nothing here reads or writes files except gs_sens_problem_read().
 *
 * Row layouts are those of SALib, so designs and outputs can be exchanged
 * with it:
 *   Sobol', per base row j:  A_j, AB_j1 .. AB_jk, [BA_j1 .. BA_jk,] B_j
 *   Morris, per trajectory:  k + 1 rows, each one factor away from the last.
 *
 * Every random draw comes from the seed the caller passes (GSL's mt19937);
 * the Sobol' sample itself is the unscrambled GSL sequence and depends only
 * on N and k.
 */
#ifndef GS_SENS_H
#define GS_SENS_H

#include "gs_error.h"

#include <stdbool.h>
#include <stddef.h>

/* GSL's Sobol' generator stops at 40 dimensions and the design needs 2k. */
#define GS_SENS_SOBOL_MAX_PARAMS 20

/* ---- the problem: k uniform factors on [lower, upper] ---- */

typedef struct gs_sens_problem {
    size_t k;        /* number of parameters */
    char **names;    /* k names, owned */
    double *lower;   /* k lower bounds */
    double *upper;   /* k upper bounds, upper[i] > lower[i] */
    int *lines;      /* k 1-based lines of the file each came from, 0 if none */
    size_t cap;      /* allocated slots */
} gs_sens_problem;

gs_sens_problem *gs_sens_problem_new(void);
void gs_sens_problem_free(gs_sens_problem *p);

/* Appends a parameter; refuses an empty or duplicate name, non-finite bounds
 * and lower >= upper (GS_EINPUT). */
gs_status gs_sens_problem_add(gs_sens_problem *p, const char *name, double lower,
                              double upper, gs_error *err);

/* Reads a problem file: one parameter a line, "name lower upper", separated
 * by spaces, tabs or commas; '#' starts a comment; blank lines are skipped.
 * Errors carry the file and line. */
gs_status gs_sens_problem_read(const char *path, gs_sens_problem **out, gs_error *err);

/* ---- samples ---- */

typedef struct gs_sens_sample {
    size_t rows;  /* model runs */
    size_t k;     /* values per row */
    double *x;    /* rows * k, row-major, scaled to the bounds */
} gs_sens_sample;

void gs_sens_sample_free(gs_sens_sample *s);

/* Model runs a design needs: N(k+2), N(2k+2) with second order, r(k+1). */
size_t gs_sens_sobol_rows(size_t n, size_t k, bool second_order);
size_t gs_sens_morris_rows(size_t r, size_t k);

/* Saltelli design from N base points of the 2k-dimensional Sobol' sequence
 * (A = the first k coordinates, B = the last k).  GSL's generator already
 * leaves out the all-zero first point, so base point 1 is (0.5, ..., 0.5).
 * Needs 1 <= k <= GS_SENS_SOBOL_MAX_PARAMS and N >= 2. */
gs_status gs_sens_sobol_sample(const gs_sens_problem *p, size_t n, bool second_order,
                               gs_sens_sample **out, gs_error *err);

/* r Morris trajectories on a p-level grid (p even, >= 2), step
 * delta = p / (2 (p - 1)) in unit scale (Morris 1991, Campolongo et al.
 * 2007): a random base point on the lower levels, the k factors moved once
 * each in a random order and direction.  Needs r >= 2. */
gs_status gs_sens_morris_sample(const gs_sens_problem *p, size_t r, unsigned levels,
                                unsigned long seed, gs_sens_sample **out, gs_error *err);

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
} gs_sens_sobol_result;

void gs_sens_sobol_result_free(gs_sens_sobol_result *r);

/* y holds one output per row of the design, in its order.  A row count that
 * is not a multiple of k+2 (2k+2) is GS_EINPUT with a message saying what was
 * expected; so is a non-finite output (err->line = its 1-based row).
 * Outputs that do not vary at all give indices and intervals of 0. */
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
} gs_sens_morris_result;

void gs_sens_morris_result_free(gs_sens_morris_result *r);

/* x is the design the outputs y came from (rows x p->k, scaled).  Within a
 * trajectory each row must differ from the one before in exactly one factor;
 * the elementary effect is (f(after) - f(before)) / step, the step measured
 * in unit scale (x / (upper - lower)) and signed, so a step down counts
 * like a step up.  Bad layouts are GS_EINPUT with line = the offending row
 * (1-based). */
gs_status gs_sens_morris_analyze(const gs_sens_problem *p, const double *x, const double *y,
                                 size_t rows, const gs_sens_morris_opts *opts,
                                 gs_sens_morris_result **out, gs_error *err);

#endif
