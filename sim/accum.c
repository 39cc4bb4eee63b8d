/* accum.c: moments, histograms, first-passage counters and Wilson intervals.
 *
 * Everything here is a fixed-size summary of a stream of values whose merge
 * gives the same result as accumulating the union (exactly for counts, to
 * rounding for moments), so that blocks of trajectories can be summarised
 * independently and combined in block order. */
#include "gs_accum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>

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

/* ---- histogram -------------------------------------------------------- */

struct gs_hist {
    gsl_histogram *g;   /* nbins equal bins on [lo, hi) */
    uint64_t under;     /* values < lo (including -inf) */
    uint64_t over;      /* values >= hi (including +inf) */
    uint64_t nan;       /* NaN values, kept out of every other count */
    uint64_t n;         /* all non-NaN values: bins + under + over */
    double min, max;    /* extremes of the non-NaN values; NAN when n == 0 */
};

gs_hist *gs_hist_new(double lo, double hi, size_t nbins)
{
    if (nbins == 0 || !isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return NULL;
    gs_hist *h = malloc(sizeof *h);
    if (!h)
        return NULL;
    h->g = gsl_histogram_alloc(nbins);
    if (!h->g || gsl_histogram_set_ranges_uniform(h->g, lo, hi) != GSL_SUCCESS) {
        gsl_histogram_free(h->g);
        free(h);
        return NULL;
    }
    gs_hist_reset(h);
    return h;
}

void gs_hist_free(gs_hist *h)
{
    if (!h)
        return;
    gsl_histogram_free(h->g);
    free(h);
}

void gs_hist_reset(gs_hist *h)
{
    gsl_histogram_reset(h->g);
    h->under = h->over = h->nan = h->n = 0;
    h->min = h->max = NAN;
}

void gs_hist_add(gs_hist *h, double x)
{
    if (isnan(x)) {
        h->nan++;
        return;
    }
    if (h->n == 0) {
        h->min = h->max = x;
    } else {
        if (x < h->min)
            h->min = x;
        if (x > h->max)
            h->max = x;
    }
    h->n++;
    if (gsl_histogram_increment(h->g, x) != GSL_SUCCESS) {
        /* GSL refuses values outside [lo, hi); keep them as tail counts.  The
         * bin search may disagree with a plain comparison only at an edge
         * value, so decide the side by the range actually stored. */
        if (x < h->g->range[0])
            h->under++;
        else
            h->over++;
    }
}

gs_status gs_hist_merge(gs_hist *into, const gs_hist *from)
{
    if (!gsl_histogram_equal_bins_p(into->g, from->g))
        return GS_ERUN;
    if (gsl_histogram_add(into->g, from->g) != GSL_SUCCESS)
        return GS_ERUN;
    into->under += from->under;
    into->over += from->over;
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

uint64_t gs_hist_count(const gs_hist *h)
{
    return h->n;
}

/* The value at position p*n of the cumulative counts, interpolating linearly
 * inside the bin that holds that position (values assumed spread evenly over
 * the bin, as gsl_histogram_pdf_sample does).  The result is therefore only
 * good to one bin width, (hi - lo) / nbins.  Clamping to the extremes seen
 * makes a variable that never varies report its exact value at every p, and
 * keeps any quantile from straying past the data into an empty part of a bin. */
double gs_hist_quantile(const gs_hist *h, double p)
{
    if (h->n == 0 || isnan(p))
        return NAN;
    if (p <= 0.0)
        return h->min;
    if (p >= 1.0)
        return h->max;
    double target = p * (double)h->n;
    double cum = (double)h->under;
    if (target < cum)
        return h->min;
    size_t nb = h->g->n;
    for (size_t i = 0; i < nb; i++) {
        double c = h->g->bin[i];
        if (c > 0.0 && cum + c >= target) {
            double lo = h->g->range[i], hi = h->g->range[i + 1];
            double x = lo + (target - cum) / c * (hi - lo);
            if (x < h->min)
                x = h->min;
            if (x > h->max)
                x = h->max;
            return x;
        }
        cum += c;
    }
    return h->max;   /* the position lies in the overflow mass */
}

double gs_hist_resolution(const gs_hist *h)
{
    return (h->g->range[h->g->n] - h->g->range[0]) / (double)h->g->n;
}

size_t gs_hist_nbins(const gs_hist *h)
{
    return h->g->n;
}

double gs_hist_bin_count(const gs_hist *h, size_t i)
{
    return i < h->g->n ? h->g->bin[i] : NAN;
}

double gs_hist_bin_lower(const gs_hist *h, size_t i)
{
    /* i == nbins gives hi, the upper edge of the last bin. */
    return i <= h->g->n ? h->g->range[i] : NAN;
}

double gs_hist_underflow(const gs_hist *h)
{
    return (double)h->under;
}

double gs_hist_overflow(const gs_hist *h)
{
    return (double)h->over;
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
