/* gs_probe.h: the forecast distribution at observed points, accumulated
 * while a run goes, in memory that does not grow with the trajectories.
 *
 * A probe names one output and either a year and an observed value (a value
 * probe) or a threshold (a first-year probe: the first year the output is at
 * or below, or at or above, it).  A value probe counts the trajectories below
 * and equal to the observed value (the PIT exactly), sums E|X + e - y| with
 * e ~ N(0, sd) exactly per trajectory (the first term of the CRPS), and keeps
 * the differences x - y in a quantile sketch of relative accuracy
 * GS_PROBE_ALPHA (gs_accum.h) for the E|X - X'| term, whose error is then at
 * most 2 GS_PROBE_ALPHA E|X - y| whatever the range of the output.  A
 * first-year probe counts the first years (exact integers).
 *
 * Integer counts merge in any order; the two floating sums are merged in
 * block order by the engine, so results are the same for any thread count.
 */
#ifndef GS_PROBE_H
#define GS_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "gs_accum.h"
#include "gs_error.h"

#define GS_PROBE_ALPHA GS_SKETCH_ALPHA
/* Buckets per sign: |x - y| may span 384 binades (2^384 ~ 3.9e115, at 512
 * buckets per binade) before the buckets nearest y collapse (and the CRPS
 * says it cannot be given). */
#define GS_PROBE_MAX_KEYS 196608

typedef enum {
    GS_PROBE_VALUE,       /* output in year, against value */
    GS_PROBE_FIRST_BELOW, /* first year output <= value (relative tolerance 1e-9) */
    GS_PROBE_FIRST_ABOVE  /* first year output >= value */
} gs_probe_kind;

/* Terms of a value probe that scores a weighted sum of outputs and years
 * (a quarter's value between two years, the sum of two revenue shares). */
#define GS_PROBE_MAX_TERMS 8

typedef struct gs_probe_term {
    size_t output;
    int year;
    double weight;
} gs_probe_term;

typedef struct gs_probe {
    gs_probe_kind kind;
    size_t output;  /* output slot */
    int year;       /* value probes: the year scored (with terms: their last year) */
    double value;   /* value probes: the observed value; first-year probes: the threshold */
    double sd;      /* value probes: standard deviation of the observation's error, >= 0 */
    /* Value probes with n_terms > 0 score x = sum of weight * output in year
     * over the terms (every output continuous); output and year then name
     * the first term's output and the last term's year.  n_terms = 0: the
     * output in year. */
    size_t n_terms;
    gs_probe_term term[GS_PROBE_MAX_TERMS];
    /* Value probes with has_cond: only trajectories whose output cond_output
     * is at most cond_max in the (last) year count, the forecast of a
     * quantity defined only there (a node's premium where the node is
     * reached). */
    int has_cond;
    size_t cond_output;
    double cond_max;
} gs_probe;

/* 0 when p names outputs below n_out and years in t0..T, else -1. */
int gs_probe_check(const gs_probe *p, size_t n_out, int t0, int T);

/* What a run accumulated for one probe. */
typedef struct gs_probe_stats {
    gs_probe_kind kind;
    uint64_t n;            /* trajectories */
    uint64_t below, equal; /* value probes: x < value, x == value */
    double sum_abs;        /* value probes: sum over trajectories of E|x + e - value| */
    double sum_cdf;        /* value probes with sd > 0: sum of Phi((value - x) / sd) */
    /* value probes of continuous outputs: the sketch of x - value; NULL
     * for discrete outputs (their level counts are exact) */
    const gs_sketch *diff;
    const gs_passage *first; /* first-year probes: counts of first years */
} gs_probe_stats;

/* One run part's accumulators for every probe (a thread's, or the total). */
typedef struct gs_probe_acc gs_probe_acc;

/* continuous[i]: 1 when probe i's output is continuous. */
gs_probe_acc *gs_probe_acc_new(const gs_probe *probes, size_t n, const int *continuous, int t0,
                               int T);
void gs_probe_acc_free(gs_probe_acc *a);
/* A trajectory's year t with outputs out: counts into a, sums into sums
 * (2 doubles per probe: the slot of the trajectory's block). */
void gs_probe_acc_year(gs_probe_acc *a, int t, const double *out, double *sums);
/* 1 when a sketch could not grow (out of memory): the run has failed. */
int gs_probe_acc_failed(const gs_probe_acc *a);
/* The trajectory is over: first-year probes record their year (or never). */
void gs_probe_acc_end(gs_probe_acc *a);
void gs_probe_acc_merge(gs_probe_acc *into, const gs_probe_acc *from);
/* The counts of a as bytes, and their merge into an accumulator of the same
 * probes on another process of a job (gs_accum.h); GS_ERUN for an image
 * that does not fit. */
void gs_probe_acc_pack(gs_pack *b, const gs_probe_acc *a);
gs_status gs_probe_acc_unpack_merge(gs_probe_acc *into, gs_unpack *r);
/* Fills st from a and the merged sums (2 per probe). */
void gs_probe_acc_stats(const gs_probe_acc *a, const double *sums, size_t i,
                        gs_probe_stats *st);

#endif
