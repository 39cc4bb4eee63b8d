/* gs_accum.h: accumulators that merge exactly.
 *
 * A run never keeps its trajectories: each block of trajectories fills its own
 * accumulators, which are merged in block order.  Memory is fixed by the
 * number of variables and years and by the spread of the values, never by the
 * number of trajectories.
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
/* The same as n calls of gs_moments_add, in order, to the same bits. */
void gs_moments_add_n(gs_moments *m, const double *x, size_t n);
void gs_moments_merge(gs_moments *into, const gs_moments *from);
double gs_moments_mean(const gs_moments *m);  /* NAN when n == 0 */
double gs_moments_sd(const gs_moments *m);    /* sample sd (n-1); NAN when n < 2 */

/* Quantile sketch with a stated relative accuracy over any range (the
 * relative-error buckets of DDSketch, Masson, Rim & Lee 2019, laid out
 * log-linearly as in HdrHistogram so that a key is read off the bits of the
 * double, with no log()).  A positive value x = m 2^e, m in [1, 2), falls in
 * the bucket of its exponent e and the top b bits of m: 2^b equal buckets per
 * binade, b the smallest with 1 / (2^(b+1) + 1) <= a (b = 9 at a = 0.001).
 * Bucket [lo, hi) is reported as 2 lo hi / (lo + hi), within relative
 * distance (hi - lo) / (hi + lo) <= a of every value in it; subnormals are
 * scaled by 2^64 first and keep that accuracy.  Negative values have their own buckets keyed on |x|; zeros, +-infinity and
 * NaN are counted exactly and apart.  Counts are integers, so a merge gives
 * the same sketch as adding the union, in any order.
 *
 * Memory grows with the spread of log|x|, never with the number of values: at
 * most max_keys buckets per sign.  When the values of one sign span more than
 * max_keys buckets, the buckets nearest zero are folded into one "collapsed"
 * count (the kept window is always the max_keys buckets up to the largest key
 * seen, so the result does not depend on the order of adds or merges).  A
 * quantile whose rank falls in a collapsed count cannot be given to the
 * stated accuracy: it is reported as NAN with GS_SKETCH_COLLAPSED. */
#define GS_SKETCH_ALPHA 0.001     /* relative accuracy of the run's quantiles */
#define GS_SKETCH_MAX_KEYS 24576  /* buckets per sign: 48 binades, a spread of 2^48 ~ 2.8e14 */

typedef enum {
    GS_SKETCH_OK = 0,          /* within relative accuracy alpha of the order statistic */
    GS_SKETCH_EMPTY = 1,       /* no values (or p is NaN): NAN */
    GS_SKETCH_COLLAPSED = 2    /* rank in the collapsed mass near zero: NAN */
} gs_sketch_flag;

typedef struct gs_sketch gs_sketch;
/* alpha in (0, 0.5], max_keys >= 1; NULL otherwise or when out of memory. */
gs_sketch *gs_sketch_new(double alpha, size_t max_keys);
void gs_sketch_free(gs_sketch *s);   /* NULL is harmless */
/* n empty sketches in one allocation (a run keeps one per output and year):
 * the i-th is gs_sketch_array_at(a, i), never given to gs_sketch_free;
 * gs_sketch_array_free(a, n) frees them all.  NULL when n == 0, the
 * arguments are invalid or memory is short. */
gs_sketch *gs_sketch_array_new(double alpha, size_t max_keys, size_t n);
gs_sketch *gs_sketch_array_at(gs_sketch *a, size_t i);
void gs_sketch_array_free(gs_sketch *a, size_t n);
void gs_sketch_reset(gs_sketch *s);
/* NaN values are counted apart and take no part in quantiles.
 * Returns GS_ENOMEM when a bucket array cannot grow (the value is then lost
 * and the sketch marked failed: see gs_sketch_failed). */
gs_status gs_sketch_add(gs_sketch *s, double x);
/* n values at once (the same sketch as n calls of gs_sketch_add). */
gs_status gs_sketch_add_n(gs_sketch *s, const double *x, size_t n);
/* into and from must have the same alpha and max_keys: GS_ERUN otherwise. */
gs_status gs_sketch_merge(gs_sketch *into, const gs_sketch *from);
int gs_sketch_failed(const gs_sketch *s);
uint64_t gs_sketch_count(const gs_sketch *s);   /* values added, excluding NaN */
uint64_t gs_sketch_nan(const gs_sketch *s);
double gs_sketch_alpha(const gs_sketch *s);
double gs_sketch_min(const gs_sketch *s);       /* exact; NAN when empty */
double gs_sketch_max(const gs_sketch *s);
/* The p-quantile, p in [0, 1], as the inverse of the empirical CDF: the
 * order statistic x_(k) with k = ceil(p n) (k = 1 at p = 0), so p = 0 and 1
 * give the exact minimum and maximum.  The result is within relative distance
 * alpha of x_(k) (exact for zeros and infinities) when *flag is GS_SKETCH_OK;
 * flag may be NULL. */
double gs_sketch_quantile(const gs_sketch *s, double p, gs_sketch_flag *flag);
/* The empirical CDF at x, the fraction of values <= x, as bounds: values in
 * the bucket holding x (or in a collapsed count holding x) may lie on either
 * side, so *lo counts none of them and *hi all of them.  Returns the midpoint;
 * NAN (and NAN bounds) when empty or x is NaN. */
double gs_sketch_cdf(const gs_sketch *s, double x, double *lo, double *hi);
/* Buckets in use (both signs), for memory accounting. */
size_t gs_sketch_buckets(const gs_sketch *s);
/* The sketch as point masses in ascending order of value, for statistics
 * other than quantiles: each bucket's representative (within relative
 * distance alpha of every value it counts), zeros and infinities exact.
 * Writes at most cap pairs and returns the number there are (at most
 * gs_sketch_buckets + 3).  Collapsed counts have no place to that accuracy:
 * they are left out, their count in *collapsed and the largest |x| they can
 * hold in *collapsed_max. */
size_t gs_sketch_masses(const gs_sketch *s, double *value, uint64_t *count, size_t cap,
                        uint64_t *collapsed, double *collapsed_max);

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

/* ---- byte images: merging accumulators across the processes of a job ----
 *
 * An accumulator packs into a gs_pack; the bytes travel to another process
 * (gs_job.h), which merges them into its own accumulator from a gs_unpack.
 * Merging the image is merging the accumulator itself, so a job merges in
 * the same order as threads do and gets the same bits.  The bytes are the
 * machine's own representation: the processes of a job run one build on one
 * architecture. */
typedef struct gs_pack {
    unsigned char *p;
    size_t n, cap;
    int oom;     /* an allocation failed: every later call is a no-op */
} gs_pack;

void gs_pack_put(gs_pack *b, const void *src, size_t n);
void gs_pack_u64(gs_pack *b, uint64_t v);
void gs_pack_f64(gs_pack *b, double v);
void gs_pack_free(gs_pack *b);

typedef struct gs_unpack {
    const unsigned char *p;
    size_t n, at;
    int bad;     /* a read went past the end or met a malformed image */
} gs_unpack;

void gs_unpack_init(gs_unpack *r, const void *p, size_t n);
/* Copies n bytes to dst; past the end, zeros and sets bad. */
void gs_unpack_get(gs_unpack *r, void *dst, size_t n);
uint64_t gs_unpack_u64(gs_unpack *r);
double gs_unpack_f64(gs_unpack *r);

/* n moments, as they are (an image of m[0 .. n-1]); unpack overwrites. */
void gs_moments_pack(gs_pack *b, const gs_moments *m, size_t n);
gs_status gs_moments_unpack(gs_unpack *r, gs_moments *m, size_t n);
/* A sketch's counts; unpack_merge adds them to into, which must have the
 * same alpha and max_keys (GS_ERUN otherwise, or for a malformed image). */
void gs_sketch_pack(gs_pack *b, const gs_sketch *s);
gs_status gs_sketch_unpack_merge(gs_sketch *into, gs_unpack *r);
/* A passage's counts; into must have the same years (GS_ERUN otherwise). */
void gs_passage_pack(gs_pack *b, const gs_passage *p);
gs_status gs_passage_unpack_merge(gs_passage *into, gs_unpack *r);

#endif
