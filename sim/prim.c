/* PRIM: peeling, pasting, box choice, quasi-p-values and resampling.
 * See gs_prim.h for the method and its conventions. */
#include "gs_prim.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void gs_prim_opts_default(gs_prim_opts *o)
{
    memset(o, 0, sizeof *o);
    /* EMA Workbench's defaults, which follow Friedman and Fisher's advice of a
     * small peel (0.05 to 0.10) and Bryant and Lempert's 0.8 density. */
    o->alpha = 0.05;
    o->paste_alpha = 0.05;
    o->mass_min = 0.05;
    o->threshold = 0.8;
    o->box = -1;
    o->resample_share = 0.5;
    o->seed = 1;
}

/* One PRIM problem: the data, each dimension's order, and the current box. */
typedef struct prim {
    const double *x;
    const unsigned char *y;
    size_t n, k;
    size_t *order;          /* [d * n + rank]: point indices by ascending x[d] */
    unsigned char *in;      /* point in the current box */
    double *lo, *hi;
    size_t n_in, pos_in;
    double *dmin, *dmax;
    gs_prim_step *steps;
    size_t n_steps, cap_steps;
} prim;

static void prim_clear(prim *p)
{
    free(p->order);
    free(p->in);
    free(p->lo);
    free(p->hi);
    free(p->dmin);
    free(p->dmax);
    for (size_t s = 0; s < p->n_steps; s++) {
        free(p->steps[s].lower);
        free(p->steps[s].upper);
    }
    free(p->steps);
    memset(p, 0, sizeof *p);
}

static int prim_init(prim *p, const double *x, const unsigned char *y, size_t n, size_t k)
{
    memset(p, 0, sizeof *p);
    p->x = x;
    p->y = y;
    p->n = n;
    p->k = k;
    p->order = malloc(n * k * sizeof *p->order);
    p->in = malloc(n);
    p->lo = malloc(k * sizeof *p->lo);
    p->hi = malloc(k * sizeof *p->hi);
    p->dmin = malloc(k * sizeof *p->dmin);
    p->dmax = malloc(k * sizeof *p->dmax);
    if (!p->order || !p->in || !p->lo || !p->hi || !p->dmin || !p->dmax)
        return -1;
    for (size_t d = 0; d < k; d++) {
        /* gsl_sort_index is a heapsort: deterministic for the same input. */
        gsl_sort_index(p->order + d * n, x + d * n, 1, n);
        p->dmin[d] = p->lo[d] = x[d * n + p->order[d * n]];
        p->dmax[d] = p->hi[d] = x[d * n + p->order[d * n + n - 1]];
    }
    memset(p->in, 1, n);
    p->n_in = n;
    p->pos_in = 0;
    for (size_t i = 0; i < n; i++)
        p->pos_in += y[i];
    return 0;
}

static int push_step(prim *p, int pasted)
{
    if (p->n_steps == p->cap_steps) {
        size_t cap = p->cap_steps ? 2 * p->cap_steps : 64;
        gs_prim_step *s = realloc(p->steps, cap * sizeof *s);
        if (!s)
            return -1;
        p->steps = s;
        p->cap_steps = cap;
    }
    gs_prim_step *s = &p->steps[p->n_steps];
    memset(s, 0, sizeof *s);
    s->lower = malloc(p->k * sizeof *s->lower);
    s->upper = malloc(p->k * sizeof *s->upper);
    if (!s->lower || !s->upper) {
        free(s->lower);
        free(s->upper);
        return -1;
    }
    p->n_steps++;
    memcpy(s->lower, p->lo, p->k * sizeof *s->lower);
    memcpy(s->upper, p->hi, p->k * sizeof *s->upper);
    s->n_in = p->n_in;
    s->pos_in = p->pos_in;
    s->mass = (double)p->n_in / (double)p->n;
    s->density = p->n_in ? (double)p->pos_in / (double)p->n_in : 0;
    size_t pos = 0;
    for (size_t i = 0; i < p->n; i++)
        pos += p->y[i];
    s->coverage = pos ? (double)p->pos_in / (double)pos : 0;
    s->pasted = pasted;
    for (size_t d = 0; d < p->k; d++)
        s->n_restricted += s->lower[d] > p->dmin[d] || s->upper[d] < p->dmax[d];
    return 0;
}

/* The peel of the r lowest (or highest) points of the box in dimension d,
 * ties included: the points removed, their positives, and the new bound (the
 * first value kept).  0 when it would empty the box. */
static int peel_side(const prim *p, size_t d, int upper, size_t r, size_t *rn, size_t *rp,
                     double *bound)
{
    const size_t *ord = p->order + d * p->n;
    const double *xd = p->x + d * p->n;
    size_t cnt = 0, pos = 0;
    double cut = 0;
    int have = 0;
    for (size_t t = 0; t < p->n; t++) {
        size_t i = upper ? ord[p->n - 1 - t] : ord[t];
        if (!p->in[i])
            continue;
        double v = xd[i];
        if (have && v != cut) {
            *rn = cnt;
            *rp = pos;
            *bound = v;
            return 1;
        }
        cnt++;
        pos += p->y[i];
        if (cnt == r) {
            cut = v;
            have = 1;
        }
    }
    return 0;
}

static void peel_apply(prim *p, size_t d, int upper, double bound)
{
    const double *xd = p->x + d * p->n;
    for (size_t i = 0; i < p->n; i++)
        if (p->in[i] && (upper ? xd[i] > bound : xd[i] < bound)) {
            p->in[i] = 0;
            p->n_in--;
            p->pos_in -= p->y[i];
        }
    if (upper)
        p->hi[d] = bound;
    else
        p->lo[d] = bound;
}

static size_t share_of(double a, size_t n)
{
    double r = ceil(a * (double)n - 1e-9);
    return r < 1 ? 1 : (size_t)r;
}

static int peel_all(prim *p, const gs_prim_opts *o)
{
    if (push_step(p, 0))
        return -1;
    double min_n = o->mass_min * (double)p->n;
    for (;;) {
        size_t r = share_of(o->alpha, p->n_in);
        int best_d = -1, best_up = 0;
        size_t best_rn = 0;
        double best_dens = -1, best_bound = 0;
        for (size_t d = 0; d < p->k; d++)
            for (int up = 0; up < 2; up++) {
                size_t rn, rp;
                double bound;
                if (!peel_side(p, d, up, r, &rn, &rp, &bound))
                    continue;
                size_t left = p->n_in - rn;
                if ((double)left < min_n || left == 0)
                    continue;
                double dens = (double)(p->pos_in - rp) / (double)left;
                if (dens > best_dens || (dens == best_dens && rn < best_rn)) {
                    best_dens = dens;
                    best_rn = rn;
                    best_d = (int)d;
                    best_up = up;
                    best_bound = bound;
                }
            }
        if (best_d < 0)
            return 0;
        peel_apply(p, (size_t)best_d, best_up, best_bound);
        if (push_step(p, 0))
            return -1;
    }
}

/* Pasting: widen one bound of the box by about paste_alpha of its points,
 * the widening that leaves the highest density, while the density stays at
 * least floor_density (strict: above the box's own density).  Returns 1 when
 * the box grew, 0 when not, -1 on allocation failure. */
static int paste(prim *p, const gs_prim_opts *o, int strict)
{
    size_t n = p->n, k = p->k;
    unsigned char *nviol = malloc(n);
    size_t *vdim = malloc(n * sizeof *vdim);
    if (!nviol || !vdim) {
        free(nviol);
        free(vdim);
        return -1;
    }
    int changed = 0, r_full = 1;
    size_t r = 1;
    double floor_density = 0;
    for (int iter = 0; iter < 10000; iter++) {
        for (size_t i = 0; i < n; i++) {
            nviol[i] = 0;
            for (size_t d = 0; d < k && nviol[i] < 2; d++) {
                double v = p->x[d * n + i];
                if (v < p->lo[d] || v > p->hi[d]) {
                    nviol[i]++;
                    vdim[i] = d;
                }
            }
        }
        if (iter == 0 || r_full)
            r = share_of(o->paste_alpha, p->n_in);
        r_full = 1;
        double cur = (double)p->pos_in / (double)p->n_in;
        if (iter == 0)
            floor_density = cur;
        int best_d = -1, best_up = 0;
        double best_dens = -1, best_bound = 0;
        for (size_t d = 0; d < k; d++)
            for (int up = 0; up < 2; up++) {
                const size_t *ord = p->order + d * n;
                const double *xd = p->x + d * n;
                size_t cnt = 0, pos = 0;
                double cut = 0;
                int have = 0;
                /* From the bound outward: points outside the box in d only. */
                for (size_t t = 0; t < n; t++) {
                    size_t i = up ? ord[t] : ord[n - 1 - t];
                    double v = xd[i];
                    if (up ? v <= p->hi[d] : v >= p->lo[d])
                        continue;
                    if (nviol[i] != 1 || vdim[i] != d)
                        continue;
                    if (have && v != cut)
                        break;
                    cnt++;
                    pos += p->y[i];
                    if (cnt == r) {
                        cut = v;
                        have = 1;
                    }
                }
                if (!cnt)
                    continue;
                if (!have) /* fewer than r points out there: take them all */
                    for (size_t t = 0; t < n; t++) {
                        size_t i = up ? ord[n - 1 - t] : ord[t];
                        if (nviol[i] == 1 && vdim[i] == d) {
                            cut = xd[i];
                            break;
                        }
                    }
                double dens = (double)(p->pos_in + pos) / (double)(p->n_in + cnt);
                if (strict ? !(dens > cur) : !(dens >= floor_density))
                    continue;
                if (dens > best_dens) {
                    best_dens = dens;
                    best_d = (int)d;
                    best_up = up;
                    best_bound = cut;
                }
            }
        if (best_d < 0) {
            /* A whole step would cross an edge: try half a step, down to one
             * point, so that the bound can come to rest on the edge. */
            if (r == 1)
                break;
            r /= 2;
            r_full = 0;
            continue;
        }
        size_t d = (size_t)best_d;
        if (best_up)
            p->hi[d] = best_bound;
        else
            p->lo[d] = best_bound;
        for (size_t i = 0; i < n; i++)
            if (!p->in[i] && nviol[i] == 1 && vdim[i] == d) {
                double v = p->x[d * n + i];
                if (v >= p->lo[d] && v <= p->hi[d]) {
                    p->in[i] = 1;
                    p->n_in++;
                    p->pos_in += p->y[i];
                }
            }
        changed = 1;
    }
    free(nviol);
    free(vdim);
    return changed;
}

/* Makes step s the current box. */
static void load_box(prim *p, size_t s)
{
    memcpy(p->lo, p->steps[s].lower, p->k * sizeof *p->lo);
    memcpy(p->hi, p->steps[s].upper, p->k * sizeof *p->hi);
    p->n_in = p->pos_in = 0;
    for (size_t i = 0; i < p->n; i++) {
        int in = 1;
        for (size_t d = 0; d < p->k && in; d++) {
            double v = p->x[d * p->n + i];
            in = v >= p->lo[d] && v <= p->hi[d];
        }
        p->in[i] = (unsigned char)in;
        p->n_in += (size_t)in;
        p->pos_in += (size_t)in * p->y[i];
    }
}

/* Greatest coverage among steps with density >= threshold (ties: higher
 * density, then the earlier step); else the densest step. */
static size_t choose(const gs_prim_step *s, size_t n, double threshold, int *meets)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!(s[i].density >= threshold))
            continue;
        if (best < 0 || s[i].coverage > s[best].coverage ||
            (s[i].coverage == s[best].coverage && s[i].density > s[best].density))
            best = (long)i;
    }
    *meets = best >= 0;
    if (best >= 0)
        return (size_t)best;
    size_t d = 0;
    for (size_t i = 1; i < n; i++)
        if (s[i].density > s[d].density ||
            (s[i].density == s[d].density && s[i].coverage > s[d].coverage))
            d = i;
    return d;
}

/* Peels, pastes the last box (Friedman and Fisher's order), chooses a step,
 * and pastes the chosen box while its density does not fall, so that a bound
 * the last peel overshot moves back to the edge; that box is appended and
 * chosen.  box >= 0 takes that step as it is.  Returns -1 on allocation
 * failure. */
static int run_core(prim *p, const double *x, const unsigned char *y, size_t n, size_t k,
                    const gs_prim_opts *o, double threshold, long box, size_t *chosen,
                    int *meets)
{
    if (prim_init(p, x, y, n, k))
        return -1;
    if (peel_all(p, o))
        return -1;
    int g = paste(p, o, 1);
    if (g < 0 || (g && push_step(p, 1)))
        return -1;
    if (box >= 0) {
        if ((size_t)box >= p->n_steps)
            return -2;
        *chosen = (size_t)box;
        *meets = p->steps[box].density >= threshold;
        return 0;
    }
    *chosen = choose(p->steps, p->n_steps, threshold, meets);
    if (p->steps[*chosen].pasted)
        return 0;
    load_box(p, *chosen);
    g = paste(p, o, 0);
    if (g < 0 || (g && push_step(p, 1)))
        return -1;
    if (g)
        *chosen = p->n_steps - 1;
    return 0;
}

int gs_prim_restricted(const gs_prim_result *r, const gs_prim_step *s, size_t d)
{
    return s->lower[d] > r->dmin[d] || s->upper[d] < r->dmax[d];
}

void gs_prim_result_free(gs_prim_result *r)
{
    if (!r)
        return;
    for (size_t s = 0; r->steps && s < r->n_steps; s++) {
        free(r->steps[s].lower);
        free(r->steps[s].upper);
    }
    free(r->steps);
    free(r->dmin);
    free(r->dmax);
    free(r->p_value);
    free(r->restricted_share);
    free(r);
}

/* Quasi-p-value of dimension d's restriction (as in EMA Workbench): the
 * chance that a box drawn from the box without that restriction, of the
 * box's size, holds at least as many outcome-1 points (one-sided binomial). */
static double quasi_p(const double *x, const unsigned char *y, size_t n, size_t k,
                      const gs_prim_step *s, size_t d)
{
    size_t ne = 0, ke = 0;
    for (size_t i = 0; i < n; i++) {
        int in = 1;
        for (size_t e = 0; e < k && in; e++) {
            if (e == d)
                continue;
            double v = x[e * n + i];
            in = v >= s->lower[e] && v <= s->upper[e];
        }
        if (in) {
            ne++;
            ke += y[i];
        }
    }
    if (s->pos_in == 0 || ne == 0)
        return 1;
    double pe = (double)ke / (double)ne;
    return gsl_cdf_binomial_Q((unsigned)(s->pos_in - 1), pe, (unsigned)s->n_in);
}

static gs_status resample(const double *x, const unsigned char *y, size_t n, size_t k,
                          const gs_prim_opts *o, double threshold, gs_prim_result *res,
                          gs_error *err)
{
    size_t m = (size_t)llround(o->resample_share * (double)n);
    res->restricted_share = calloc(k, sizeof(double));
    size_t *all = malloc(n * sizeof *all), *pick = malloc((m ? m : 1) * sizeof *pick);
    double *xs = malloc((m ? m : 1) * k * sizeof *xs);
    unsigned char *ys = malloc(m ? m : 1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gs_status rc = GS_OK;
    if (!res->restricted_share || !all || !pick || !xs || !ys || !rng) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    if (m < 2 || m >= n) {
        rc = gs_error_set(err, GS_EUSAGE, NULL, 0,
                          "resampling: a subset of %zu of %zu points is no subset", m, n);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        all[i] = i;
    gsl_rng_set(rng, (unsigned long)(o->seed & 0xffffffffu));
    size_t used = 0;
    for (size_t rep = 0; rep < o->resamples; rep++) {
        gsl_ran_choose(rng, pick, m, all, n, sizeof *all);
        size_t pos = 0;
        for (size_t j = 0; j < m; j++) {
            ys[j] = y[pick[j]];
            pos += ys[j];
            for (size_t d = 0; d < k; d++)
                xs[d * m + j] = x[d * n + pick[j]];
        }
        if (pos == 0 || pos == m)
            continue;
        prim p;
        int meets;
        size_t c;
        if (run_core(&p, xs, ys, m, k, o, threshold, -1, &c, &meets)) {
            prim_clear(&p);
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        for (size_t d = 0; d < k; d++)
            res->restricted_share[d] +=
                p.steps[c].lower[d] > p.dmin[d] || p.steps[c].upper[d] < p.dmax[d];
        used++;
        prim_clear(&p);
    }
    for (size_t d = 0; d < k; d++)
        res->restricted_share[d] = used ? res->restricted_share[d] / (double)used : NAN;
    res->resamples = used;
out:
    free(all);
    free(pick);
    free(xs);
    free(ys);
    gsl_rng_free(rng);
    return rc;
}

gs_status gs_prim_run(const double *x, const unsigned char *y, size_t n, size_t k,
                      const gs_prim_opts *o, gs_prim_result **out, gs_error *err)
{
    *out = NULL;
    if (!(o->alpha > 0 && o->alpha < 0.5) || !(o->paste_alpha > 0 && o->paste_alpha < 0.5))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "peeling and pasting alpha lie in (0, 0.5)");
    if (!(o->mass_min > 0 && o->mass_min < 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the minimum mass lies in (0, 1)");
    if (!(o->threshold >= 0 && o->threshold <= 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the density threshold lies in [0, 1]");
    if (o->resamples && !(o->resample_share > 0 && o->resample_share < 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the resample share lies in (0, 1)");
    if (n < 2 || k < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "PRIM needs at least two points and one input dimension");
    if (n > 0xffffffffu)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "PRIM takes at most 2^32 - 1 points");
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] != 0;
    if (pos == 0 || pos == n)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "the condition holds in %s of the %zu points: nothing to discover",
                            pos ? "all" : "none", n);
    prim p;
    gs_prim_result *r = calloc(1, sizeof *r);
    size_t chosen = 0;
    int meets = 0;
    int rc = r ? run_core(&p, x, y, n, k, o, o->threshold, o->box, &chosen, &meets) : -1;
    if (rc) {
        size_t ns = r ? p.n_steps : 0;
        if (r)
            prim_clear(&p);
        free(r);
        if (rc == -2)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "box %ld: the peeling trajectory has steps 0-%zu", o->box,
                                ns - 1);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    r->n = n;
    r->k = k;
    r->n_pos = pos;
    r->steps = p.steps;
    r->n_steps = p.n_steps;
    r->dmin = p.dmin;
    r->dmax = p.dmax;
    r->chosen = chosen;
    r->chosen_meets = meets;
    p.steps = NULL;
    p.n_steps = 0;
    p.dmin = p.dmax = NULL;
    prim_clear(&p);
    /* Resampled boxes are chosen at the density of this one when it was
     * picked by index. */
    double threshold = o->box >= 0 ? r->steps[chosen].density : o->threshold;
    r->p_value = malloc(k * sizeof *r->p_value);
    if (!r->p_value) {
        gs_prim_result_free(r);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    const gs_prim_step *s = &r->steps[r->chosen];
    for (size_t d = 0; d < k; d++)
        r->p_value[d] = gs_prim_restricted(r, s, d) ? quasi_p(x, y, n, k, s, d) : NAN;
    if (o->resamples) {
        gs_status rc = resample(x, y, n, k, o, threshold, r, err);
        if (rc) {
            gs_prim_result_free(r);
            return rc;
        }
    }
    *out = r;
    return GS_OK;
}
