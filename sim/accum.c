/* accum.c: moments, quantile sketches, first-passage counters and Wilson intervals.
 *
 * Everything here is a fixed-size summary of a stream of values whose merge
 * gives the same result as accumulating the union (exactly for counts, to
 * rounding for moments), so that blocks of trajectories can be summarised
 * independently and combined in block order. */
#include "gs_accum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

/* ---- moments ---------------------------------------------------------- */

void gs_moments_init(gs_moments *m)
{
    m->n = 0;
    m->mean = 0.0;
    m->m2 = 0.0;
    /* NAN rather than +/-inf so that an empty summary never prints a bound. */
    m->min = NAN;
    m->max = NAN;
}

void gs_moments_add(gs_moments *m, double x)
{
    m->n++;
    if (m->n == 1) {
        m->mean = x;
        m->m2 = 0.0;
        m->min = x;
        m->max = x;
        return;
    }
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
    if (x < m->min)
        m->min = x;
    if (x > m->max)
        m->max = x;
}

void gs_moments_add_n(gs_moments *m, const double *x, size_t n)
{
    size_t i = 0;
    if (n == 0)
        return;
    if (m->n == 0)
        gs_moments_add(m, x[i++]);
    /* Welford's update with the state in registers; the count as a signed
     * integer, whose conversion to double is one instruction (an unsigned
     * one takes a branch and several), the same value below 2^63. */
    int64_t k = (int64_t)m->n;
    double mean = m->mean, m2 = m->m2, lo = m->min, hi = m->max;
    for (; i < n; i++) {
        double v = x[i];
        k++;
        double d = v - mean;
        mean += d / (double)k;
        m2 += d * (v - mean);
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    m->n = (uint64_t)k;
    m->mean = mean;
    m->m2 = m2;
    m->min = lo;
    m->max = hi;
}

void gs_moments_merge(gs_moments *into, const gs_moments *from)
{
    if (from->n == 0)
        return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    double na = (double)into->n, nb = (double)from->n;
    double n = na + nb;
    double d = from->mean - into->mean;
    /* Chan, Golub & LeVeque (1979): the cross term carries the spread
     * between the two partial means. */
    into->mean += d * (nb / n);
    into->m2 += from->m2 + d * d * (na * nb / n);
    into->n += from->n;
    if (from->min < into->min)
        into->min = from->min;
    if (from->max > into->max)
        into->max = from->max;
}

double gs_moments_mean(const gs_moments *m)
{
    return m->n == 0 ? NAN : m->mean;
}

double gs_moments_sd(const gs_moments *m)
{
    if (m->n < 2)
        return NAN;
    double v = m->m2 / (double)(m->n - 1);
    /* m2 is a sum of non-negative terms in exact arithmetic; guard rounding. */
    return v > 0.0 ? sqrt(v) : 0.0;
}

/* ---- quantile sketch -------------------------------------------------- */

/* The buckets of one sign: dense counts of keys off .. off + len - 1, plus
 * the values whose keys fell below the window [top - max_keys + 1, top]. */
typedef struct store {
    uint64_t *c;
    size_t len, alloc;
    int64_t off;
    uint64_t collapsed;
} store;

struct gs_sketch {
    double alpha;
    int bits;                  /* mantissa bits in a key: 2^bits buckets per binade */
    size_t max_keys;
    store pos, neg;            /* neg keyed on |x| */
    uint64_t zero, pinf, ninf, nan;
    uint64_t n;                /* every non-NaN value */
    double min, max;           /* exact extremes; NAN when n == 0 */
    int failed;                /* a bucket array could not grow */
};

gs_sketch *gs_sketch_new(double alpha, size_t max_keys)
{
    if (!(alpha > 0.0 && alpha <= 0.5) || max_keys < 1 || max_keys > ((size_t)1 << 30))
        return NULL;
    gs_sketch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->alpha = alpha;
    /* The widest bucket relative to its values is [1, 1 + 2^-bits): its
     * representative is within 1 / (2^(bits+1) + 1) of both ends. */
    s->bits = 0;
    for (double w = 2.0; 1.0 / (w + 1.0) > alpha; w *= 2.0)
        s->bits++;
    s->max_keys = max_keys;
    gs_sketch_reset(s);
    return s;
}

gs_sketch *gs_sketch_array_new(double alpha, size_t max_keys, size_t n)
{
    gs_sketch *one = gs_sketch_new(alpha, max_keys);
    gs_sketch *a = one && n && n <= SIZE_MAX / sizeof *a ? malloc(n * sizeof *a) : NULL;
    for (size_t i = 0; a && i < n; i++)
        a[i] = *one; /* empty: no bucket array yet, every field written */
    gs_sketch_free(one);
    return a;
}

gs_sketch *gs_sketch_array_at(gs_sketch *a, size_t i) { return &a[i]; }

void gs_sketch_array_free(gs_sketch *a, size_t n)
{
    if (!a)
        return;
    for (size_t i = 0; i < n; i++) {
        free(a[i].pos.c);
        free(a[i].neg.c);
    }
    free(a);
}

void gs_sketch_free(gs_sketch *s)
{
    if (!s)
        return;
    free(s->pos.c);
    free(s->neg.c);
    free(s);
}

static void store_reset(store *st)
{
    /* Keep the memory: a reset sketch is usually filled again. */
    st->len = 0;
    st->off = 0;
    st->collapsed = 0;
}

void gs_sketch_reset(gs_sketch *s)
{
    store_reset(&s->pos);
    store_reset(&s->neg);
    s->zero = s->pinf = s->ninf = s->nan = s->n = 0;
    s->min = s->max = NAN;
    s->failed = 0;
}

/* Key of a finite |x| > 0: its binary exponent and the top s->bits bits of
 * its mantissa, read off the IEEE 754 bits (a positive double's bits as an
 * integer are monotone in its value), so no log() is needed.  A subnormal is
 * first scaled by 2^64 (exactly) so that it keeps the relative width of a
 * normal number's bucket; its keys continue below those of the normals.
 * Monotone in x, which is all that the CDF bounds rely on. */
static int64_t sketch_key(const gs_sketch *s, double ax)
{
    int64_t bias = 0;
    if (ax < DBL_MIN) {
        ax *= 0x1p64;
        bias = (int64_t)64 << s->bits;
    }
    uint64_t u;
    memcpy(&u, &ax, sizeof u);
    return (int64_t)(u >> (52 - s->bits)) - bias;
}

/* The lower end of bucket k, and its mantissa part in [1, 2) with its
 * binary exponent. */
static double key_low(const gs_sketch *s, int64_t k, double *mant, int *e)
{
    int64_t per = (int64_t)1 << s->bits;
    int64_t be = k >= 0 ? k / per : -((-k + per - 1) / per);   /* floor(k / per) */
    *mant = 1.0 + ldexp((double)(k - be * per), -s->bits);
    *e = (int)be - 1023;
    return ldexp(*mant, *e);
}

static int store_reserve(store *st, size_t need, size_t max_keys)
{
    if (need <= st->alloc)
        return 0;
    size_t a = st->alloc ? st->alloc : 64;
    while (a < need)
        a *= 2;
    if (a > max_keys)
        a = max_keys;
    uint64_t *c = realloc(st->c, a * sizeof *c);
    if (!c)
        return -1;
    st->c = c;
    st->alloc = a;
    return 0;
}

static uint64_t store_sum(const store *st, size_t from, size_t to)
{
    uint64_t n = 0;
    for (size_t i = from; i < to; i++)
        n += st->c[i];
    return n;
}

/* Adds cnt values of key k.  The window always ends at the largest key seen,
 * so the kept counts and the collapsed count depend only on the multiset of
 * keys, not on the order in which they arrive. */
static int store_add(store *st, int64_t k, uint64_t cnt, size_t max_keys)
{
    int64_t m = (int64_t)max_keys;
    if (st->len == 0) {
        if (store_reserve(st, 1, max_keys))
            return -1;
        st->off = k;
        st->len = 1;
        st->c[0] = cnt;
        return 0;
    }
    int64_t top = st->off + (int64_t)st->len - 1;
    if (k > top) {
        int64_t floor = k - m + 1;
        if (floor > st->off) {
            size_t drop = (size_t)(floor - st->off);
            if (drop >= st->len) {
                st->collapsed += store_sum(st, 0, st->len);
                st->c[0] = cnt;
                st->off = k;
                st->len = 1;
                return 0;
            }
            st->collapsed += store_sum(st, 0, drop);
            memmove(st->c, st->c + drop, (st->len - drop) * sizeof *st->c);
            st->len -= drop;
            st->off = floor;
        }
        size_t len = (size_t)(k - st->off) + 1;
        if (store_reserve(st, len, max_keys))
            return -1;
        memset(st->c + st->len, 0, (len - st->len) * sizeof *st->c);
        st->len = len;
    } else if (k < st->off) {
        if (k < top - m + 1) {
            st->collapsed += cnt;
            return 0;
        }
        size_t shift = (size_t)(st->off - k);
        if (store_reserve(st, st->len + shift, max_keys))
            return -1;
        memmove(st->c + shift, st->c, st->len * sizeof *st->c);
        memset(st->c, 0, shift * sizeof *st->c);
        st->len += shift;
        st->off = k;
    }
    st->c[k - st->off] += cnt;
    return 0;
}

static int64_t store_floor(const store *st, size_t max_keys)
{
    return st->off + (int64_t)st->len - (int64_t)max_keys;
}

gs_status gs_sketch_add(gs_sketch *s, double x)
{
    if (isnan(x)) {
        s->nan++;
        return GS_OK;
    }
    if (x == 0.0) {
        s->zero++;
    } else if (isinf(x)) {
        if (x > 0)
            s->pinf++;
        else
            s->ninf++;
    } else if (store_add(x > 0 ? &s->pos : &s->neg, sketch_key(s, fabs(x)), 1, s->max_keys)) {
        s->failed = 1;
        return GS_ENOMEM;
    }
    if (s->n == 0) {
        s->min = s->max = x;
    } else {
        if (x < s->min)
            s->min = x;
        if (x > s->max)
            s->max = x;
    }
    s->n++;
    return GS_OK;
}

/* The common case inline: a positive normal value whose bucket is already in
 * the window; everything else goes through gs_sketch_add. */
gs_status gs_sketch_add_n(gs_sketch *s, const double *x, size_t n)
{
    gs_status rc = GS_OK;
    int shift = 52 - s->bits;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (s->n > 0 && v >= DBL_MIN && v <= DBL_MAX && s->pos.len > 0) {
            uint64_t u;
            memcpy(&u, &v, sizeof u);
            uint64_t at = (uint64_t)((int64_t)(u >> shift) - s->pos.off);
            if (at < s->pos.len) {
                s->pos.c[at]++;
                if (v < s->min)
                    s->min = v;
                if (v > s->max)
                    s->max = v;
                s->n++;
                continue;
            }
        }
        if (gs_sketch_add(s, v) != GS_OK)
            rc = GS_ENOMEM;
    }
    return rc;
}

static int store_merge(store *into, const store *from, size_t max_keys)
{
    if (from->len == 0)
        return 0;
    /* The top key first, so that the window moves once and from's collapsed
     * values (below from's floor, hence below the merged floor) stay collapsed. */
    size_t top = from->len - 1;
    if (store_add(into, from->off + (int64_t)top, from->c[top], max_keys))
        return -1;
    for (size_t i = 0; i < top; i++)
        if (from->c[i] && store_add(into, from->off + (int64_t)i, from->c[i], max_keys))
            return -1;
    into->collapsed += from->collapsed;
    return 0;
}

gs_status gs_sketch_merge(gs_sketch *into, const gs_sketch *from)
{
    if (into->alpha != from->alpha || into->max_keys != from->max_keys)
        return GS_ERUN;
    if (into == from)
        return GS_ERUN;
    if (store_merge(&into->pos, &from->pos, into->max_keys) ||
        store_merge(&into->neg, &from->neg, into->max_keys)) {
        into->failed = 1;
        return GS_ENOMEM;
    }
    into->failed |= from->failed;
    into->zero += from->zero;
    into->pinf += from->pinf;
    into->ninf += from->ninf;
    into->nan += from->nan;
    if (from->n > 0) {
        if (into->n == 0) {
            into->min = from->min;
            into->max = from->max;
        } else {
            if (from->min < into->min)
                into->min = from->min;
            if (from->max > into->max)
                into->max = from->max;
        }
    }
    into->n += from->n;
    return GS_OK;
}

int gs_sketch_failed(const gs_sketch *s) { return s->failed; }
uint64_t gs_sketch_count(const gs_sketch *s) { return s->n; }
uint64_t gs_sketch_nan(const gs_sketch *s) { return s->nan; }
double gs_sketch_alpha(const gs_sketch *s) { return s->alpha; }
double gs_sketch_min(const gs_sketch *s) { return s->min; }
double gs_sketch_max(const gs_sketch *s) { return s->max; }
size_t gs_sketch_buckets(const gs_sketch *s) { return s->pos.len + s->neg.len; }

/* The representative of bucket k = [lo, hi): 2 lo hi / (lo + hi), the point
 * at the same relative distance (hi - lo) / (hi + lo) <= alpha from both
 * ends, computed on the mantissa so that the top bucket does not overflow. */
static double sketch_value(const gs_sketch *s, int64_t k)
{
    double lo, hi;
    int e;
    key_low(s, k, &lo, &e);
    hi = lo + ldexp(1.0, -s->bits);
    return ldexp(2.0 * lo * hi / (lo + hi), e);
}

static double clamp_seen(const gs_sketch *s, double x)
{
    /* Moving toward the extremes seen never moves away from the order
     * statistic, which lies between them. */
    return x < s->min ? s->min : x > s->max ? s->max : x;
}

/* The value of rank r counted from the top (r = 1 the largest), by the
 * categories of gs_sketch_quantile in the opposite order. */
static double quantile_from_top(const gs_sketch *s, uint64_t r, gs_sketch_flag *flag)
{
    uint64_t cum = s->pinf;
    if (cum >= r)
        return INFINITY;
    for (size_t i = s->pos.len; i-- > 0;) {
        cum += s->pos.c[i];
        if (cum >= r)
            return clamp_seen(s, sketch_value(s, s->pos.off + (int64_t)i));
    }
    cum += s->pos.collapsed;
    if (cum < r) {
        cum += s->zero;
        if (cum >= r)
            return 0.0;
        cum += s->neg.collapsed;
    }
    if (cum >= r) {
        if (flag)
            *flag = GS_SKETCH_COLLAPSED;
        return NAN;
    }
    for (size_t i = 0; i < s->neg.len; i++) {
        cum += s->neg.c[i];
        if (cum >= r)
            return clamp_seen(s, -sketch_value(s, s->neg.off + (int64_t)i));
    }
    return -INFINITY;
}

double gs_sketch_quantile(const gs_sketch *s, double p, gs_sketch_flag *flag)
{
    gs_sketch_flag f = GS_SKETCH_OK;
    double v;
    if (flag)
        *flag = GS_SKETCH_OK;
    if (s->n == 0 || isnan(p)) {
        if (flag)
            *flag = GS_SKETCH_EMPTY;
        return NAN;
    }
    /* Rank k = ceil(p n), with a few ulps of slack so that 0.07 * 100 is the
     * 7th value, not the 8th. */
    double target = ceil(p * (double)s->n * (1.0 - 8.0 * DBL_EPSILON));
    uint64_t k = p <= 0.0 || target < 1.0 ? 1 : target >= (double)s->n ? s->n : (uint64_t)target;
    if (k == 1)
        return s->min;
    if (k == s->n)
        return s->max;
    /* Above the median rank, count down from the top: the category where
     * the count from the bottom first reaches k is the one where the count
     * from the top first reaches n - k + 1, since the categories hold all n
     * values (which a failed sketch may not: it takes the long way). */
    if (!s->failed && k > s->n - k)
        return quantile_from_top(s, s->n - k + 1, flag);
    uint64_t cum = s->ninf;
    if (cum >= k)
        return -INFINITY;
    for (size_t i = s->neg.len; i-- > 0;) {
        cum += s->neg.c[i];
        if (cum >= k)
            return clamp_seen(s, -sketch_value(s, s->neg.off + (int64_t)i));
    }
    cum += s->neg.collapsed;
    if (cum >= k) {
        f = GS_SKETCH_COLLAPSED;
        v = NAN;
        goto out;
    }
    cum += s->zero;
    if (cum >= k)
        return 0.0;
    cum += s->pos.collapsed;
    if (cum >= k) {
        f = GS_SKETCH_COLLAPSED;
        v = NAN;
        goto out;
    }
    for (size_t i = 0; i < s->pos.len; i++) {
        cum += s->pos.c[i];
        if (cum >= k)
            return clamp_seen(s, sketch_value(s, s->pos.off + (int64_t)i));
    }
    return s->pinf ? INFINITY : s->max;
out:
    if (flag)
        *flag = f;
    return v;
}

static size_t put_mass(double *value, uint64_t *count, size_t cap, size_t k, double v,
                       uint64_t c)
{
    if (c == 0)
        return k;
    if (k < cap) {
        value[k] = v;
        count[k] = c;
    }
    return k + 1;
}

size_t gs_sketch_masses(const gs_sketch *s, double *value, uint64_t *count, size_t cap,
                        uint64_t *collapsed, double *collapsed_max)
{
    size_t k = 0;
    k = put_mass(value, count, cap, k, -INFINITY, s->ninf);
    for (size_t i = s->neg.len; i-- > 0;)
        k = put_mass(value, count, cap, k, clamp_seen(s, -sketch_value(s, s->neg.off + (int64_t)i)),
                     s->neg.c[i]);
    k = put_mass(value, count, cap, k, 0.0, s->zero);
    for (size_t i = 0; i < s->pos.len; i++)
        k = put_mass(value, count, cap, k, clamp_seen(s, sketch_value(s, s->pos.off + (int64_t)i)),
                     s->pos.c[i]);
    k = put_mass(value, count, cap, k, INFINITY, s->pinf);
    *collapsed = s->neg.collapsed + s->pos.collapsed;
    double m = 0.0, mant;
    int e;
    if (s->neg.collapsed)
        m = key_low(s, store_floor(&s->neg, s->max_keys), &mant, &e);
    if (s->pos.collapsed)
        m = fmax(m, key_low(s, store_floor(&s->pos, s->max_keys), &mant, &e));
    *collapsed_max = m;
    return k;
}

/* Adds a category of cnt values to the bounds: certainly <= x (side < 0),
 * possibly (side == 0) or certainly above (side > 0). */
static void cdf_part(uint64_t cnt, int side, uint64_t *lo, uint64_t *hi)
{
    if (side < 0)
        *lo += cnt;
    if (side <= 0)
        *hi += cnt;
}

static int cmp_key(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

double gs_sketch_cdf(const gs_sketch *s, double x, double *lo, double *hi)
{
    if (s->n == 0 || isnan(x)) {
        *lo = *hi = NAN;
        return NAN;
    }
    if (x >= s->max) {
        *lo = *hi = 1.0;
        return 1.0;
    }
    if (x < s->min) {
        *lo = *hi = 0.0;
        return 0.0;
    }
    /* min <= x < max, so x is finite.  The key is monotone in |x|: a value
     * whose key differs from x's lies on a known side of x. */
    uint64_t l = 0, h = 0;
    int64_t kx = x != 0.0 ? sketch_key(s, fabs(x)) : 0;
    cdf_part(s->ninf, -1, &l, &h);
    for (size_t i = 0; i < s->neg.len; i++) {
        int64_t k = s->neg.off + (int64_t)i;
        /* A negative value v is <= x when |v| >= |x| (x < 0) or always (x >= 0). */
        cdf_part(s->neg.c[i], x >= 0.0 ? -1 : -cmp_key(k, kx), &l, &h);
    }
    if (s->neg.collapsed) {
        int side = x >= 0.0 ? -1 : kx < store_floor(&s->neg, s->max_keys) ? 0 : 1;
        cdf_part(s->neg.collapsed, side, &l, &h);
    }
    cdf_part(s->zero, x >= 0.0 ? -1 : 1, &l, &h);
    if (s->pos.collapsed) {
        int side = x <= 0.0 ? 1 : kx >= store_floor(&s->pos, s->max_keys) ? -1 : 0;
        cdf_part(s->pos.collapsed, side, &l, &h);
    }
    for (size_t i = 0; i < s->pos.len; i++) {
        int64_t k = s->pos.off + (int64_t)i;
        cdf_part(s->pos.c[i], x <= 0.0 ? 1 : cmp_key(k, kx), &l, &h);
    }
    cdf_part(s->pinf, 1, &l, &h);
    double n = (double)s->n;
    *lo = (double)l / n;
    *hi = (double)h / n;
    return 0.5 * (*lo + *hi);
}

/* ---- first passage ---------------------------------------------------- */

gs_status gs_passage_init(gs_passage *p, int t0, int T)
{
    p->t0 = t0;
    p->T = T;
    p->count = NULL;
    p->never = 0;
    if (T < t0)
        return GS_ERUN;
    p->count = calloc((size_t)(T - t0) + 1, sizeof *p->count);
    return p->count ? GS_OK : GS_ENOMEM;
}

void gs_passage_free(gs_passage *p)
{
    if (!p)
        return;
    free(p->count);
    p->count = NULL;
}

void gs_passage_reset(gs_passage *p)
{
    for (int y = p->t0; y <= p->T; y++)
        p->count[y - p->t0] = 0;
    p->never = 0;
}

void gs_passage_add(gs_passage *p, int year)
{
    if (year > p->T) {
        p->never++;
        return;
    }
    if (year < p->t0)
        year = p->t0;
    p->count[year - p->t0]++;
}

void gs_passage_add_never(gs_passage *p)
{
    p->never++;
}

gs_status gs_passage_merge(gs_passage *into, const gs_passage *from)
{
    if (into->t0 != from->t0 || into->T != from->T)
        return GS_ERUN;
    for (int y = into->t0; y <= into->T; y++)
        into->count[y - into->t0] += from->count[y - from->t0];
    into->never += from->never;
    return GS_OK;
}

uint64_t gs_passage_total(const gs_passage *p)
{
    uint64_t n = p->never;
    for (int y = p->t0; y <= p->T; y++)
        n += p->count[y - p->t0];
    return n;
}

/* An empty counter has no quantile; T + 1 ("not by the horizon") is returned
 * so that the caller always gets a year, and should check the total first. */
int gs_passage_quantile(const gs_passage *p, double q)
{
    uint64_t n = gs_passage_total(p);
    if (n == 0)
        return p->T + 1;
    /* q * n is compared with a few ulps of slack: 0.07 * 100 rounds to
     * 7.000000000000001, yet the 7 % point of 100 trajectories is the 7th. */
    double target = q * (double)n * (1.0 - 8.0 * DBL_EPSILON);
    uint64_t cum = 0;
    for (int y = p->t0; y <= p->T; y++) {
        cum += p->count[y - p->t0];
        if ((double)cum >= target)
            return y;
    }
    return p->T + 1;
}

double gs_passage_cdf(const gs_passage *p, int year)
{
    uint64_t n = gs_passage_total(p);
    if (n == 0)
        return NAN;
    if (year < p->t0)
        return 0.0;
    if (year > p->T)
        year = p->T;
    uint64_t cum = 0;
    for (int y = p->t0; y <= year; y++)
        cum += p->count[y - p->t0];
    return (double)cum / (double)n;
}

/* ---- Wilson interval -------------------------------------------------- */

void gs_wilson(uint64_t k, uint64_t n, double *p, double *lo, double *hi)
{
    if (n == 0 || k > n) {
        *p = *lo = *hi = NAN;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    double nn = (double)n;
    double ph = (double)k / nn;
    double z2n = z * z / nn;
    double denom = 1.0 + z2n;
    double centre = (ph + 0.5 * z2n) / denom;
    double half = z / denom * sqrt(ph * (1.0 - ph) / nn + 0.25 * z2n / nn);
    *p = ph;
    /* At k == 0 or k == n one end is 0 or 1 in exact arithmetic; say so
     * exactly rather than leaving a rounding residue. */
    *lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = k == n ? 1.0 : fmin(1.0, centre + half);
}

/* ---- byte images ------------------------------------------------------ */

void gs_pack_put(gs_pack *b, const void *src, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

void gs_pack_u64(gs_pack *b, uint64_t v) { gs_pack_put(b, &v, sizeof v); }
void gs_pack_f64(gs_pack *b, double v) { gs_pack_put(b, &v, sizeof v); }

void gs_pack_free(gs_pack *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void gs_unpack_init(gs_unpack *r, const void *p, size_t n)
{
    r->p = p;
    r->n = p ? n : 0;
    r->at = 0;
    r->bad = 0;
}

void gs_unpack_get(gs_unpack *r, void *dst, size_t n)
{
    if (n == 0)
        return;
    if (r->bad || n > r->n - r->at) {
        r->bad = 1;
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p + r->at, n);
    r->at += n;
}

uint64_t gs_unpack_u64(gs_unpack *r)
{
    uint64_t v;
    gs_unpack_get(r, &v, sizeof v);
    return v;
}

double gs_unpack_f64(gs_unpack *r)
{
    double v;
    gs_unpack_get(r, &v, sizeof v);
    return v;
}

void gs_moments_pack(gs_pack *b, const gs_moments *m, size_t n)
{
    gs_pack_put(b, m, n * sizeof *m);
}

gs_status gs_moments_unpack(gs_unpack *r, gs_moments *m, size_t n)
{
    gs_unpack_get(r, m, n * sizeof *m);
    return r->bad ? GS_ERUN : GS_OK;
}

static void store_pack(gs_pack *b, const store *st)
{
    gs_pack_u64(b, (uint64_t)st->off);
    gs_pack_u64(b, st->len);
    gs_pack_u64(b, st->collapsed);
    gs_pack_put(b, st->c, st->len * sizeof *st->c);
}

static int store_unpack(gs_unpack *r, store *st, size_t max_keys)
{
    st->off = (int64_t)gs_unpack_u64(r);
    uint64_t len = gs_unpack_u64(r);
    st->collapsed = gs_unpack_u64(r);
    if (r->bad || len > max_keys || len > (r->n - r->at) / sizeof *st->c)
        return -1;
    if (store_reserve(st, (size_t)len, max_keys))
        return -1;
    st->len = (size_t)len;
    gs_unpack_get(r, st->c, st->len * sizeof *st->c);
    return r->bad ? -1 : 0;
}

void gs_sketch_pack(gs_pack *b, const gs_sketch *s)
{
    gs_pack_f64(b, s->alpha);
    gs_pack_u64(b, s->max_keys);
    store_pack(b, &s->pos);
    store_pack(b, &s->neg);
    uint64_t v[6] = {s->zero, s->pinf, s->ninf, s->nan, s->n, (uint64_t)s->failed};
    gs_pack_put(b, v, sizeof v);
    gs_pack_f64(b, s->min);
    gs_pack_f64(b, s->max);
}

gs_status gs_sketch_unpack_merge(gs_sketch *into, gs_unpack *r)
{
    double alpha = gs_unpack_f64(r);
    uint64_t max_keys = gs_unpack_u64(r);
    if (r->bad || alpha != into->alpha || max_keys != into->max_keys)
        return GS_ERUN;
    gs_sketch *t = gs_sketch_new(into->alpha, into->max_keys);
    if (!t)
        return GS_ENOMEM;
    gs_status st = GS_OK;
    if (store_unpack(r, &t->pos, t->max_keys) || store_unpack(r, &t->neg, t->max_keys))
        st = r->bad ? GS_ERUN : GS_ENOMEM;
    uint64_t v[6];
    gs_unpack_get(r, v, sizeof v);
    t->zero = v[0];
    t->pinf = v[1];
    t->ninf = v[2];
    t->nan = v[3];
    t->n = v[4];
    t->failed = v[5] != 0;
    t->min = gs_unpack_f64(r);
    t->max = gs_unpack_f64(r);
    if (st == GS_OK && r->bad)
        st = GS_ERUN;
    /* The categories hold every value counted (gs_sketch_quantile counts
     * from either end on it) unless the sender's sketch had failed. */
    if (st == GS_OK && !t->failed &&
        t->zero + t->pinf + t->ninf + t->pos.collapsed + t->neg.collapsed +
                store_sum(&t->pos, 0, t->pos.len) + store_sum(&t->neg, 0, t->neg.len) !=
            t->n)
        st = GS_ERUN;
    if (st == GS_OK)
        st = gs_sketch_merge(into, t);
    gs_sketch_free(t);
    return st;
}

void gs_passage_pack(gs_pack *b, const gs_passage *p)
{
    gs_pack_u64(b, (uint64_t)(int64_t)p->t0);
    gs_pack_u64(b, (uint64_t)(int64_t)p->T);
    gs_pack_put(b, p->count, (size_t)(p->T - p->t0 + 1) * sizeof *p->count);
    gs_pack_u64(b, p->never);
}

gs_status gs_passage_unpack_merge(gs_passage *into, gs_unpack *r)
{
    int t0 = (int)(int64_t)gs_unpack_u64(r), T = (int)(int64_t)gs_unpack_u64(r);
    if (r->bad || t0 != into->t0 || T != into->T)
        return GS_ERUN;
    for (int y = t0; y <= T; y++)
        into->count[y - t0] += gs_unpack_u64(r);
    into->never += gs_unpack_u64(r);
    return r->bad ? GS_ERUN : GS_OK;
}
