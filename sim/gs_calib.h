/* gs_calib.h: what calib.c and calib_write.c share; not part of the API. */
#ifndef GS_CALIB_H
#define GS_CALIB_H

#include "gapsim.h"
#include "gs_backtest.h"
#include "gs_scenario.h"

typedef struct calib_gen {
    double eps, ess, acceptance;
    uint64_t trajectories;
} calib_gen;

/* One observation the distance uses (a scored row of the backtest plan). */
typedef struct calib_obs {
    const gs_bt_row *row;
    int informative;  /* 0: no parameter vector moved it (left out of the distance) */
    double scale;     /* the prior predictive's spread of the residual */
    /* predictive checks of the prior (gen 0) and the posterior */
    double prior_q[3], post_q[3]; /* p05 p50 p95 of the simulated observation */
    double prior_pit, post_pit;   /* weighted share below the observed value (+ half ties) */
    double post_far;              /* censored: share of the posterior not reached by the year */
    int post_in90;                /* the observed value lies within the posterior's 90 % band */
} calib_obs;

struct gs_calib {
    gs_sim *sim;
    const gs_scenario *scn;
    gs_calib_opts o;
    gs_obs_set obs;
    gs_backtest bt;
    size_t np;             /* calibrated parameters */
    size_t *pidx;          /* gs_scenario_index of each */
    long *pdim;            /* its sampled dimension */
    size_t N, M, K;        /* population, trajectories per vector, observations used */
    calib_obs *ob;         /* K */
    size_t n_inf;          /* informative observations */
    double *z;             /* N x np normal scores */
    double *theta;         /* N x np values */
    double *x;             /* N x M x K simulated observations */
    double *d;             /* N x M distances */
    double *w;             /* N weights, summing to 1 */
    double eps;
    calib_gen *gen;
    size_t n_gen;
    uint64_t trajectories;
};

/* The strongest posterior correlations (at most max, strongest first):
 * parameter indices and the correlation of their normal scores. */
size_t gs_calib_pairs(const gs_calib *c, size_t *a, size_t *b, double *r, size_t max);
/* The distinct weighted draws (resampling makes copies), in order of first
 * appearance: first[i] a copy's index, wsum[i] the copies' weight; first
 * and wsum hold N entries.  Returns how many (0 when out of memory). */
size_t gs_calib_distinct(const gs_calib *c, size_t *first, double *wsum);

#endif
