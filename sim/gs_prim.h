/* gs_prim.h: scenario discovery by PRIM (Friedman and Fisher 1999, in the
 * form Bryant and Lempert 2010 made standard).
 *
 * Given n points in k input dimensions and a 0/1 outcome, PRIM starts from the
 * box holding every point and repeatedly peels off the alpha share of the box's
 * points, at the low or high end of one dimension, choosing the peel that
 * leaves the highest density (share of points with outcome 1) in the box.
 * Every box on the way is one step of the peeling trajectory, which trades
 * coverage (share of all outcome-1 points inside the box) against density.
 * After the last peel the box is pasted: bounds are widened by alpha steps as
 * long as that raises the density; the pasted box is the trajectory's last
 * step.
 *
 * Bounds are inclusive and are always data values: a point is in the box when
 * lower[d] <= x[d] <= upper[d] for every d.  A dimension is restricted when a
 * bound lies inside the data's range.  All counts are exact and the result
 * depends only on the data and the options (ties are broken by dimension
 * order), never on memory layout or threads. */
#ifndef GS_PRIM_H
#define GS_PRIM_H

#include <stddef.h>
#include <stdint.h>

#include "gs_error.h" /* gapsim.h: gs_prim_opts */

typedef struct gs_prim_step {
    double coverage, density, mass;
    size_t n_in, pos_in;  /* points in the box, those with outcome 1 */
    size_t n_restricted;
    int pasted;           /* 1 for the pasted box */
    double *lower, *upper;/* k each */
} gs_prim_step;

typedef struct gs_prim_result {
    size_t n, k, n_pos;
    double *dmin, *dmax;  /* each dimension's data range */
    gs_prim_step *steps;
    size_t n_steps;
    size_t chosen;        /* index into steps */
    int chosen_meets;     /* 0 when no step reaches the threshold: chosen is then the densest */
    double *p_value;      /* per dimension: quasi-p-value of its restriction; NAN if unrestricted */
    /* With resamples: per dimension, the share of resampled boxes that restrict it. */
    double *restricted_share;
    size_t resamples;
} gs_prim_result;

/* x: column-major, x[d * n + i]; y[i] in {0, 1}.  Needs n >= 2 and at least one
 * point of each outcome (GS_EUSAGE otherwise). */
gs_status gs_prim_run(const double *x, const unsigned char *y, size_t n, size_t k,
                      const gs_prim_opts *o, gs_prim_result **out, gs_error *err);
void gs_prim_result_free(gs_prim_result *r);
/* Whether dimension d of a step is restricted. */
int gs_prim_restricted(const gs_prim_result *r, const gs_prim_step *s, size_t d);

#endif
