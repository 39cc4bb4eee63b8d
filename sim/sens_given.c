/* Methods that work from any sample: the delta moment-independent measure
 * (Borgonovo 2007, with the given-data estimator of Plischke, Borgonovo and
 * Smith 2013) and PAWN (Pianosi and Wagener 2015, 2018); and the Latin
 * hypercube that gives them a sample when there is none. */
#include "gs_sens.h"
#include "gs_sens_impl.h"
#include "gs_dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

gs_sens_boot_opts gs_sens_boot_opts_default(void)
{
    return (gs_sens_boot_opts){.resamples = 100, .conf_level = 0.95, .seed = 1};
}

void gs_sens_index_free(gs_sens_index *r)
{
    if (!r)
        return;
    free(r->v);
    free(r->note);
    free(r);
}

gs_status gs_sens_index_new_(size_t k, size_t ncol, const char *const *cols, gs_sens_index **out,
                             gs_error *err)
{
    *out = NULL;
    gs_sens_index *r = calloc(1, sizeof *r);
    if (r) {
        r->v = malloc(k * ncol * sizeof *r->v);
        r->note = calloc(k, sizeof *r->note);
    }
    if (!r || !r->v || !r->note) {
        gs_sens_index_free(r);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    r->k = k;
    r->ncol = ncol;
    r->cols = cols;
    for (size_t i = 0; i < k * ncol; i++)
        r->v[i] = NAN;
    *out = r;
    return GS_OK;
}

gs_status gs_sens_latin_sample(const gs_sens_problem *p, size_t n, unsigned long seed,
                               gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    if (n < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "a Latin hypercube needs N >= 2, not %zu", n);
    gs_sens_sample *s;
    gs_status st = gs_sens_sample_new_(n, p->k, &s, err);
    if (st != GS_OK)
        return st;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) {
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gsl_rng_set(rng, seed);
    gs_lhs_fill(rng, n, p->k, s->x);
    gsl_rng_free(rng);
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < p->k; i++)
            s->x[r * p->k + i] = gs_sens_value(p, i, s->x[r * p->k + i]);
    *out = s;
    return GS_OK;
}

static gs_status check_xy(const double *y, size_t rows, size_t min_rows, const char *what,
                          gs_error *err)
{
    if (rows < min_rows)
        return gs_error_set(err, GS_EINPUT, NULL, 0, "%zu rows, but %s needs at least %zu", rows,
                            what, min_rows);
    for (size_t r = 0; r < rows; r++)
        if (!isfinite(y[r]))
            return gs_error_set(err, GS_EINPUT, NULL, (int)(r + 1),
                                "output of row %zu is not a finite number", r + 1);
    return GS_OK;
}

/* ---- delta ---- */

#define DELTA_GRID 100 /* points of the output's density, as SALib */

static const char *const delta_cols[] = {"delta", "delta_conf", "S1", "S1_conf"};

typedef struct {
    size_t n, classes;
    double grid[DELTA_GRID];
    double *fy;    /* DELTA_GRID: the density of the rows in hand */
    double *fc;    /* DELTA_GRID scratch */
    double *xx, *yy, *yc;
    size_t *ord;
} delta_ws;

/* Gaussian kernel density of y[0..n-1] at the grid, Silverman's bandwidth
 * (as scipy's gaussian_kde with bw_method "silverman"). */
static void kde(const double *y, size_t n, const double *grid, double *f)
{
    double sd = gsl_stats_sd(y, 1, n);
    double h = sd * pow(0.75 * (double)n, -0.2);
    double c = 1 / (h * sqrt(2 * M_PI) * (double)n);
    for (size_t g = 0; g < DELTA_GRID; g++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) {
            double z = (grid[g] - y[i]) / h;
            s += exp(-0.5 * z * z);
        }
        f[g] = c * s;
    }
}

/* delta and S1 of the rows idx[0..n-1]: classes of equal size along x
 * (ranks, ties in row order), delta = sum over classes of n_c / 2n times the
 * L1 distance between the output's density and its density in the class;
 * S1 = the variance of the class means over the output's variance. */
static void delta_one(delta_ws *w, const double *x, size_t stride, const double *y,
                      const size_t *idx, double *delta, double *s1)
{
    size_t n = w->n;
    for (size_t j = 0; j < n; j++) {
        w->xx[j] = x[idx[j] * stride];
        w->yy[j] = y[idx[j]];
    }
    gsl_sort_index(w->ord, w->xx, 1, n);
    kde(w->yy, n, w->grid, w->fy);
    double mean = gsl_stats_mean(w->yy, 1, n), var = gsl_stats_variance_m(w->yy, 1, n, mean);
    var *= (double)(n - 1) / (double)n;
    double d = 0, vi = 0;
    for (size_t c = 0; c < w->classes; c++) {
        size_t lo = (size_t)floor((double)n * (double)c / (double)w->classes + 0.5),
               hi = (size_t)floor((double)n * (double)(c + 1) / (double)w->classes + 0.5);
        size_t nc = hi - lo;
        if (nc == 0)
            continue;
        double cm = 0, ymin = INFINITY, ymax = -INFINITY;
        for (size_t j = 0; j < nc; j++) {
            w->yc[j] = w->yy[w->ord[lo + j]];
            cm += w->yc[j];
            ymin = fmin(ymin, w->yc[j]);
            ymax = fmax(ymax, w->yc[j]);
        }
        cm /= (double)nc;
        vi += (double)nc / (double)n * (cm - mean) * (cm - mean);
        /* A class of one value has no density; it is left out, as SALib. */
        if (nc < 2 || !(ymax > ymin))
            continue;
        kde(w->yc, nc, w->grid, w->fc);
        double area = 0;
        for (size_t g = 0; g + 1 < DELTA_GRID; g++)
            area += 0.5 * (fabs(w->fy[g] - w->fc[g]) + fabs(w->fy[g + 1] - w->fc[g + 1])) *
                    (w->grid[g + 1] - w->grid[g]);
        d += (double)nc / (2.0 * (double)n) * area;
    }
    *delta = d;
    *s1 = var > 0 ? vi / var : NAN;
}

gs_status gs_sens_delta_analyze(size_t k, const double *x, const double *y, size_t rows,
                                const gs_sens_boot_opts *opts, gs_sens_index **out,
                                gs_error *err)
{
    *out = NULL;
    gs_sens_boot_opts o = opts ? *opts : gs_sens_boot_opts_default();
    gs_status st = gs_sens_check_boot_(o.resamples, o.conf_level, err);
    if (st == GS_OK)
        st = check_xy(y, rows, 20, "delta", err);
    if (st != GS_OK)
        return st;
    gs_sens_index *res;
    st = gs_sens_index_new_(k, 4, delta_cols, &res, err);
    if (st != GS_OK)
        return st;
    delta_ws w = {.n = rows};
    /* Plischke et al.'s rule for the number of classes, capped at 48. */
    double ex = 2.0 / (7.0 + tanh((1500.0 - (double)rows) / 500.0));
    double mc = ceil(pow((double)rows, ex));
    w.classes = (size_t)(mc < 48 ? mc : 48);
    w.fy = malloc(DELTA_GRID * sizeof *w.fy);
    w.fc = malloc(DELTA_GRID * sizeof *w.fc);
    w.xx = malloc(rows * sizeof *w.xx);
    w.yy = malloc(rows * sizeof *w.yy);
    w.yc = malloc(rows * sizeof *w.yc);
    w.ord = malloc(rows * sizeof *w.ord);
    size_t *idx = malloc(rows * sizeof *idx);
    double *bd = malloc(o.resamples * sizeof *bd), *bs = malloc(o.resamples * sizeof *bs);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!w.fy || !w.fc || !w.xx || !w.yy || !w.yc || !w.ord || !idx || !bd || !bs || !rng) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    double ymin = gsl_stats_min(y, 1, rows), ymax = gsl_stats_max(y, 1, rows);
    if (!(ymax > ymin)) {
        for (size_t i = 0; i < k; i++)
            res->note[i] = "the output does not vary: no distribution to compare";
        *out = res;
        res = NULL;
        goto done;
    }
    for (size_t g = 0; g < DELTA_GRID; g++)
        w.grid[g] = ymin + (ymax - ymin) * (double)g / (DELTA_GRID - 1);
    gsl_rng_set(rng, o.seed);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    for (size_t i = 0; i < k; i++) {
        double d_hat, s_hat;
        for (size_t j = 0; j < rows; j++)
            idx[j] = j;
        delta_one(&w, x + i, k, y, idx, &d_hat, &s_hat);
        for (size_t b = 0; b < o.resamples; b++) {
            for (size_t j = 0; j < rows; j++)
                idx[j] = (size_t)gsl_rng_uniform_int(rng, rows);
            delta_one(&w, x + i, k, y, idx, &bd[b], &bs[b]);
            /* Plischke et al.'s bias reduction: 2 d_hat - d_b. */
            bd[b] = 2 * d_hat - bd[b];
        }
        double *v = res->v + i * 4;
        v[0] = gsl_stats_mean(bd, 1, o.resamples);
        v[1] = z * gsl_stats_sd(bd, 1, o.resamples);
        v[2] = s_hat;
        v[3] = z * gsl_stats_sd(bs, 1, o.resamples);
    }
    *out = res;
    res = NULL;
done:
    gsl_rng_free(rng);
    free(w.fy);
    free(w.fc);
    free(w.xx);
    free(w.yy);
    free(w.yc);
    free(w.ord);
    free(idx);
    free(bd);
    free(bs);
    gs_sens_index_free(res);
    return st;
}

/* ---- PAWN ---- */

static const char *const pawn_cols[] = {"minimum", "mean", "median", "maximum",
                                        "CV",      "stdev", "median_conf"};

/* The two-sample Kolmogorov-Smirnov statistic of sorted a[na], b[nb]. */
static double ks_stat(const double *a, size_t na, const double *b, size_t nb)
{
    size_t i = 0, j = 0;
    double d = 0;
    while (i < na && j < nb) {
        double v = a[i] < b[j] ? a[i] : b[j];
        while (i < na && a[i] <= v)
            i++;
        while (j < nb && b[j] <= v)
            j++;
        double e = fabs((double)i / (double)na - (double)j / (double)nb);
        if (e > d)
            d = e;
    }
    return d;
}

/* numpy's default quantile (linear between order statistics) of sorted v. */
static double quantile_sorted(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

typedef struct {
    size_t n, slides;
    double *xs, *ys, *ysel, *ks, *q;
    size_t *ord;
} pawn_ws;

/* The S slide statistics of factor column x (stride) over rows idx, into
 * stats[6]: minimum, mean, median, maximum, CV, stdev. */
static void pawn_one(pawn_ws *w, const double *x, size_t stride, const double *y,
                     const size_t *idx, double *stats)
{
    size_t n = w->n, S = w->slides;
    for (size_t j = 0; j < n; j++) {
        w->xs[j] = x[idx[j] * stride];
        w->ys[j] = y[idx[j]];
    }
    double *xsorted = w->ysel; /* scratch before the slides */
    memcpy(xsorted, w->xs, n * sizeof *xsorted);
    gsl_sort(xsorted, 1, n);
    for (size_t s = 0; s <= S; s++)
        w->q[s] = quantile_sorted(xsorted, n, (double)s / (double)S);
    double *yall = w->ysel + n;
    memcpy(yall, w->ys, n * sizeof *yall);
    gsl_sort(yall, 1, n);
    size_t used = 0;
    for (size_t s = 0; s < S; s++) {
        size_t m = 0;
        /* [q_s, q_s+1), the last slide closed at the top so no row is lost */
        for (size_t j = 0; j < n; j++)
            if (w->xs[j] >= w->q[s] && (w->xs[j] < w->q[s + 1] || (s + 1 == S && w->xs[j] <= w->q[s + 1])))
                w->ysel[m++] = w->ys[j];
        if (m == 0)
            continue;
        gsl_sort(w->ysel, 1, m);
        w->ks[used++] = ks_stat(w->ysel, m, yall, n);
    }
    if (used == 0) {
        for (int c = 0; c < 6; c++)
            stats[c] = NAN;
        return;
    }
    double mean = gsl_stats_mean(w->ks, 1, used);
    double sd = sqrt(gsl_stats_variance_m(w->ks, 1, used, mean) * (double)(used - 1) / (double)used);
    if (used == 1)
        sd = 0;
    gsl_sort(w->ks, 1, used);
    stats[0] = w->ks[0];
    stats[1] = mean;
    stats[2] = gsl_stats_median_from_sorted_data(w->ks, 1, used);
    stats[3] = w->ks[used - 1];
    stats[4] = mean > 0 ? sd / mean : NAN;
    stats[5] = sd;
}

gs_status gs_sens_pawn_analyze(const gs_sens_problem *p, const double *x, const double *y,
                               size_t rows, size_t slides, const gs_sens_boot_opts *opts,
                               gs_sens_index **out, gs_error *err)
{
    *out = NULL;
    gs_sens_boot_opts o = opts ? *opts : gs_sens_boot_opts_default();
    gs_status st = gs_sens_check_boot_(o.resamples, o.conf_level, err);
    if (st != GS_OK)
        return st;
    if (slides < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "pawn needs at least 2 slides, not %zu",
                            slides);
    st = check_xy(y, rows, 2 * slides, "pawn with this many slides", err);
    if (st != GS_OK)
        return st;
    size_t k = p->k, D = p->n_groups;
    gs_sens_index *res;
    st = gs_sens_index_new_(D, 7, pawn_cols, &res, err);
    if (st != GS_OK)
        return st;
    pawn_ws w = {.n = rows, .slides = slides};
    w.xs = malloc(rows * sizeof *w.xs);
    w.ys = malloc(rows * sizeof *w.ys);
    w.ysel = malloc(2 * rows * sizeof *w.ysel);
    w.ks = malloc(slides * sizeof *w.ks);
    w.q = malloc((slides + 1) * sizeof *w.q);
    size_t *idx = malloc(rows * sizeof *idx), *cnt = calloc(D, sizeof *cnt);
    double *fac = malloc(k * 6 * sizeof *fac), *med = malloc(o.resamples * k * sizeof *med);
    double *gm = malloc(o.resamples * sizeof *gm);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!w.xs || !w.ys || !w.ysel || !w.ks || !w.q || !idx || !cnt || !fac || !med || !gm ||
        !rng) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < rows; j++)
        idx[j] = j;
    for (size_t i = 0; i < k; i++)
        pawn_one(&w, x + i, k, y, idx, fac + i * 6);
    /* One set of resampled rows serves every factor. */
    gsl_rng_set(rng, o.seed);
    double stats[6];
    for (size_t b = 0; b < o.resamples; b++) {
        for (size_t j = 0; j < rows; j++)
            idx[j] = (size_t)gsl_rng_uniform_int(rng, rows);
        for (size_t i = 0; i < k; i++) {
            pawn_one(&w, x + i, k, y, idx, stats);
            med[b * k + i] = stats[2];
        }
    }
    for (size_t i = 0; i < k; i++)
        cnt[p->group[i]]++;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    for (size_t g = 0; g < D; g++) {
        double *v = res->v + g * 7;
        for (int c = 0; c < 6; c++) {
            double s = 0;
            for (size_t i = 0; i < k; i++)
                if (p->group[i] == g)
                    s += fac[i * 6 + c];
            v[c] = s / (double)cnt[g];
        }
        for (size_t b = 0; b < o.resamples; b++) {
            double s = 0;
            for (size_t i = 0; i < k; i++)
                if (p->group[i] == g)
                    s += med[b * k + i];
            gm[b] = s / (double)cnt[g];
        }
        v[6] = z * gsl_stats_sd(gm, 1, o.resamples);
        if (isnan(v[4]))
            res->note[g] = "the output does not change with this factor in any slide: CV has no mean to divide by";
    }
    *out = res;
    res = NULL;
done:
    gsl_rng_free(rng);
    free(w.xs);
    free(w.ys);
    free(w.ysel);
    free(w.ks);
    free(w.q);
    free(idx);
    free(cnt);
    free(fac);
    free(med);
    free(gm);
    gs_sens_index_free(res);
    return st;
}
