/* probe.c: per-observation accumulators (gs_probe.h). */
#include "gs_probe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

typedef struct probe_state {
    gs_probe p;
    uint64_t n, below, equal;
    gs_sketch *diff; /* continuous outputs: x - value */
    gs_passage first;
    int first_year; /* this trajectory's first year, 0 while not reached */
    double partial; /* probes with terms: this trajectory's sum so far */
} probe_state;

struct gs_probe_acc {
    size_t n;
    int t0, T;
    probe_state *ps;
};

void gs_probe_acc_free(gs_probe_acc *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        gs_sketch_free(a->ps[i].diff);
        gs_passage_free(&a->ps[i].first);
    }
    free(a->ps);
    free(a);
}

gs_probe_acc *gs_probe_acc_new(const gs_probe *probes, size_t n, const int *continuous, int t0,
                               int T)
{
    gs_probe_acc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->n = n;
    a->t0 = t0;
    a->T = T;
    a->ps = calloc(n ? n : 1, sizeof *a->ps);
    if (!a->ps) {
        free(a);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        probe_state *s = &a->ps[i];
        s->p = probes[i];
        if (probes[i].kind == GS_PROBE_VALUE) {
            if (continuous[i] &&
                !(s->diff = gs_sketch_new(GS_PROBE_ALPHA, GS_PROBE_MAX_KEYS))) {
                gs_probe_acc_free(a);
                return NULL;
            }
        } else if (gs_passage_init(&s->first, t0, T) != GS_OK) {
            gs_probe_acc_free(a);
            return NULL;
        }
    }
    return a;
}

/* E|m + s Z| for Z standard normal: the folded normal's mean. */
static double folded_mean(double m, double s)
{
    if (!(s > 0))
        return fabs(m);
    double z = m / s;
    return m * (2 * gsl_cdf_ugaussian_P(z) - 1) + 2 * s * gsl_ran_ugaussian_pdf(z);
}

int gs_probe_check(const gs_probe *p, size_t n_out, int t0, int T)
{
    if (p->output >= n_out || p->n_terms > GS_PROBE_MAX_TERMS ||
        (p->has_cond && p->cond_output >= n_out))
        return -1;
    if (p->kind != GS_PROBE_VALUE)
        return 0;
    if (p->year < t0 || p->year > T)
        return -1;
    for (size_t k = 0; k < p->n_terms; k++)
        if (p->term[k].output >= n_out || p->term[k].year < t0 || p->term[k].year > p->year ||
            !isfinite(p->term[k].weight))
            return -1;
    return 0;
}

void gs_probe_acc_year(gs_probe_acc *a, int t, const double *out, double *sums)
{
    for (size_t i = 0; i < a->n; i++) {
        probe_state *s = &a->ps[i];
        double x = out[s->p.output];
        if (s->p.n_terms) {
            /* Years arrive in order: the sum is complete in the last one. */
            for (size_t k = 0; k < s->p.n_terms; k++)
                if (s->p.term[k].year == t)
                    s->partial += s->p.term[k].weight * out[s->p.term[k].output];
            if (t != s->p.year)
                continue;
            x = s->partial;
            s->partial = 0;
        }
        if (s->p.kind == GS_PROBE_VALUE && s->p.has_cond && t == s->p.year &&
            !(out[s->p.cond_output] <= s->p.cond_max * (1 + 1e-9)))
            continue;
        if (s->p.kind != GS_PROBE_VALUE) {
            int met = s->p.kind == GS_PROBE_FIRST_BELOW ? x <= s->p.value * (1 + 1e-9)
                                                        : x >= s->p.value;
            if (met && !s->first_year)
                s->first_year = t;
            continue;
        }
        if (t != s->p.year)
            continue;
        s->n++;
        double y = s->p.value;
        if (x < y)
            s->below++;
        else if (x == y)
            s->equal++;
        sums[2 * i] += folded_mean(x - y, s->p.sd);
        if (s->p.sd > 0)
            sums[2 * i + 1] += gsl_cdf_ugaussian_P((y - x) / s->p.sd);
        if (s->diff)
            gs_sketch_add(s->diff, x - y); /* a failure marks the sketch */
    }
}

int gs_probe_acc_failed(const gs_probe_acc *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->ps[i].diff && gs_sketch_failed(a->ps[i].diff))
            return 1;
    return 0;
}

void gs_probe_acc_end(gs_probe_acc *a)
{
    for (size_t i = 0; i < a->n; i++) {
        probe_state *s = &a->ps[i];
        s->partial = 0;
        if (s->p.kind == GS_PROBE_VALUE)
            continue;
        if (s->first_year)
            gs_passage_add(&s->first, s->first_year);
        else
            gs_passage_add_never(&s->first);
        s->first_year = 0;
    }
}

void gs_probe_acc_merge(gs_probe_acc *into, const gs_probe_acc *from)
{
    for (size_t i = 0; i < into->n; i++) {
        probe_state *d = &into->ps[i];
        const probe_state *s = &from->ps[i];
        if (d->p.kind != GS_PROBE_VALUE) {
            gs_passage_merge(&d->first, &s->first);
            continue;
        }
        d->n += s->n;
        d->below += s->below;
        d->equal += s->equal;
        if (d->diff)
            gs_sketch_merge(d->diff, s->diff);
    }
}

void gs_probe_acc_pack(gs_pack *b, const gs_probe_acc *a)
{
    gs_pack_u64(b, a->n);
    for (size_t i = 0; i < a->n; i++) {
        const probe_state *s = &a->ps[i];
        if (s->p.kind != GS_PROBE_VALUE) {
            gs_passage_pack(b, &s->first);
            continue;
        }
        uint64_t v[4] = {s->n, s->below, s->equal, s->diff != NULL};
        gs_pack_put(b, v, sizeof v);
        if (s->diff)
            gs_sketch_pack(b, s->diff);
    }
}

gs_status gs_probe_acc_unpack_merge(gs_probe_acc *into, gs_unpack *r)
{
    if (gs_unpack_u64(r) != into->n || r->bad)
        return GS_ERUN;
    for (size_t i = 0; i < into->n; i++) {
        probe_state *d = &into->ps[i];
        gs_status st;
        if (d->p.kind != GS_PROBE_VALUE) {
            if ((st = gs_passage_unpack_merge(&d->first, r)) != GS_OK)
                return st;
            continue;
        }
        uint64_t v[4];
        gs_unpack_get(r, v, sizeof v);
        if (r->bad || (v[3] != 0) != (d->diff != NULL))
            return GS_ERUN;
        d->n += v[0];
        d->below += v[1];
        d->equal += v[2];
        if (d->diff && (st = gs_sketch_unpack_merge(d->diff, r)) != GS_OK)
            return st;
    }
    return GS_OK;
}

void gs_probe_acc_stats(const gs_probe_acc *a, const double *sums, size_t i, gs_probe_stats *st)
{
    const probe_state *s = &a->ps[i];
    memset(st, 0, sizeof *st);
    st->kind = s->p.kind;
    if (s->p.kind != GS_PROBE_VALUE) {
        st->n = gs_passage_total(&s->first);
        st->first = &s->first;
        return;
    }
    st->n = s->n;
    st->below = s->below;
    st->equal = s->equal;
    st->sum_abs = sums[2 * i];
    st->sum_cdf = sums[2 * i + 1];
    st->diff = s->diff;
}
