/* gs_probe.h: the forecast distribution at observed points, accumulated
 * while a run goes, in memory that does not grow with the trajectories.
 *
 * A probe names one output and either a year and an observed value (a value
 * probe) or a threshold (a first-year probe: the first year the output is at
 * or below, or at or above, it).  A value probe counts the trajectories below
 * and equal to the observed value (the PIT exactly), sums E|X + e - y| with
 * e ~ N(0, sd) exactly per trajectory (the first term of the CRPS), and keeps
 * the output's values in GS_PROBE_BINS equal bins over the output's declared
 * range, plus the smallest and largest value outside it, for the E|X - X'|
 * term.  A first-year probe counts the first years (exact integers).
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

#define GS_PROBE_BINS 16384

typedef enum {
    GS_PROBE_VALUE,       /* output in year, against value */
    GS_PROBE_FIRST_BELOW, /* first year output <= value (relative tolerance 1e-9) */
    GS_PROBE_FIRST_ABOVE  /* first year output >= value */
} gs_probe_kind;

typedef struct gs_probe {
    gs_probe_kind kind;
    size_t output;  /* output slot */
    int year;       /* value probes: the year scored */
    double value;   /* value probes: the observed value; first-year probes: the threshold */
    double sd;      /* value probes: standard deviation of the observation's error, >= 0 */
} gs_probe;

/* What a run accumulated for one probe. */
typedef struct gs_probe_stats {
    gs_probe_kind kind;
    uint64_t n;            /* trajectories */
    uint64_t below, equal; /* value probes: x < value, x == value */
    double sum_abs;        /* value probes: sum over trajectories of E|x + e - value| */
    double sum_cdf;        /* value probes with sd > 0: sum of Phi((value - x) / sd) */
    /* value probes of continuous outputs: bin counts over [lo, hi) and the
     * values outside it, held as [min_out, lo) and [hi, max_out] */
    double lo, hi;
    const uint64_t *bins;  /* GS_PROBE_BINS entries, NULL for discrete outputs */
    uint64_t under, over;
    double under_min, over_max;
    const gs_passage *first; /* first-year probes: counts of first years */
} gs_probe_stats;

/* One run part's accumulators for every probe (a thread's, or the total). */
typedef struct gs_probe_acc gs_probe_acc;

/* continuous[i]: 1 when probe i's output is continuous; lo/hi its range. */
gs_probe_acc *gs_probe_acc_new(const gs_probe *probes, size_t n, const int *continuous,
                               const double *lo, const double *hi, int t0, int T);
void gs_probe_acc_free(gs_probe_acc *a);
/* A trajectory's year t with outputs out: counts into a, sums into sums
 * (2 doubles per probe: the slot of the trajectory's block). */
void gs_probe_acc_year(gs_probe_acc *a, int t, const double *out, double *sums);
/* The trajectory is over: first-year probes record their year (or never). */
void gs_probe_acc_end(gs_probe_acc *a);
void gs_probe_acc_merge(gs_probe_acc *into, const gs_probe_acc *from);
/* Fills st from a and the merged sums (2 per probe). */
void gs_probe_acc_stats(const gs_probe_acc *a, const double *sums, size_t i,
                        gs_probe_stats *st);

#endif
