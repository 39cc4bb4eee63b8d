/* gs_accum.h: accumulators that merge exactly.
 *
 * A run never keeps its trajectories: each block of trajectories fills its own
 * accumulators, which are merged in block order.  Memory is fixed by the
 * number of variables, years and bins, never by the number of trajectories.
 */
#ifndef GS_ACCUM_H
#define GS_ACCUM_H

#include <stddef.h>
#include <stdint.h>

#include "gs_error.h"

/* Count, mean and sum of squared deviations (Welford per value; Chan et
 * al.'s pairwise formula for merges).  Merging in the same order gives the
 * same bits, which is why the engine merges blocks in block order. */
typedef struct gs_moments {
    uint64_t n;
    double mean;
    double m2;
    double min, max;
} gs_moments;

void gs_moments_init(gs_moments *m);
void gs_moments_add(gs_moments *m, double x);
void gs_moments_merge(gs_moments *into, const gs_moments *from);
double gs_moments_mean(const gs_moments *m);  /* NAN when n == 0 */
double gs_moments_sd(const gs_moments *m);    /* sample sd (n-1); NAN when n < 2 */

/* Fixed-bin histogram on [lo, hi) with nbins equal bins (built on
 * gsl_histogram), plus counts below lo and at/above hi, so that no value is
 * lost.  Quantiles interpolate linearly within the bin (the same rule as
 * gsl_histogram_pdf_sample), so their resolution is (hi - lo) / nbins;
 * a quantile falling in the underflow or overflow mass is reported as the
 * smallest or largest value seen. */
typedef struct gs_hist gs_hist;
gs_hist *gs_hist_new(double lo, double hi, size_t nbins);
void gs_hist_free(gs_hist *h);           /* NULL is harmless */
void gs_hist_reset(gs_hist *h);
void gs_hist_add(gs_hist *h, double x);  /* NaN values are ignored and counted apart */
/* into and from must have the same lo, hi and nbins: returns GS_ERUN otherwise. */
gs_status gs_hist_merge(gs_hist *into, const gs_hist *from);
uint64_t gs_hist_count(const gs_hist *h);  /* all values added, excluding NaN */
double gs_hist_quantile(const gs_hist *h, double p); /* p in [0,1]; NAN when empty */
double gs_hist_resolution(const gs_hist *h);
/* Bin counts for writers (nbins entries), underflow and overflow counts. */
size_t gs_hist_nbins(const gs_hist *h);
double gs_hist_bin_count(const gs_hist *h, size_t i);
double gs_hist_bin_lower(const gs_hist *h, size_t i);
double gs_hist_underflow(const gs_hist *h);
double gs_hist_overflow(const gs_hist *h);

/* First-passage years: for each trajectory, the first year (t0..T) an event
 * happened, or "not by the horizon".  Stored as integer counts per year. */
typedef struct gs_passage {
    int t0, T;
    uint64_t *count;   /* T - t0 + 1 entries */
    uint64_t never;    /* trajectories where it did not happen by T */
} gs_passage;

gs_status gs_passage_init(gs_passage *p, int t0, int T);
void gs_passage_free(gs_passage *p);
void gs_passage_reset(gs_passage *p);
void gs_passage_add(gs_passage *p, int year);  /* year < t0 counts as t0; year > T as never */
void gs_passage_add_never(gs_passage *p);
gs_status gs_passage_merge(gs_passage *into, const gs_passage *from);
uint64_t gs_passage_total(const gs_passage *p);
/* The smallest year y with P(first year <= y) >= q, counting "never" as later
 * than T; returns T + 1 when that quantile lies in the "never" mass. */
int gs_passage_quantile(const gs_passage *p, double q);
/* Fraction of trajectories whose first year is <= year. */
double gs_passage_cdf(const gs_passage *p, int year);

/* Binomial proportion k/n with its 95 % Wilson score interval (z = 1.959964);
 * when n == 0 all three are NAN. */
void gs_wilson(uint64_t k, uint64_t n, double *p, double *lo, double *hi);

#endif
