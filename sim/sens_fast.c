/* The Fourier methods: eFAST (Saltelli, Tarantola and Chan 1999) on its own
 * search curves and RBD-FAST (Tarantola et al. 2006; Plischke 2010) on any
 * sample.  Both read the output's power spectrum, from GSL's mixed-radix
 * real FFT, at the frequencies a factor was driven with. */
#include "gs_sens.h"
#include "gs_sens_impl.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* |F_j|^2 for j = 0 .. n/2 of y (n values), written to pw[0 .. n/2]. */
static gs_status power_spectrum(const double *y, size_t n, double *pw, gs_error *err)
{
    double *d = malloc(n * sizeof *d);
    gsl_fft_real_wavetable *w = gsl_fft_real_wavetable_alloc(n);
    gsl_fft_real_workspace *ws = gsl_fft_real_workspace_alloc(n);
    gs_status st = GS_OK;
    if (!d || !w || !ws) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for an FFT of %zu points", n);
        goto done;
    }
    memcpy(d, y, n * sizeof *d);
    if (gsl_fft_real_transform(d, 1, n, w, ws) != GSL_SUCCESS) {
        st = gs_error_set(err, GS_ERUN, NULL, 0, "the FFT of %zu points failed", n);
        goto done;
    }
    /* GSL's half-complex layout: d[0] = F_0, then Re F_j, Im F_j pairs, and
     * F_{n/2} last when n is even. */
    pw[0] = d[0] * d[0];
    for (size_t j = 1; j <= n / 2; j++) {
        if (2 * j == n)
            pw[j] = d[n - 1] * d[n - 1];
        else
            pw[j] = d[2 * j - 1] * d[2 * j - 1] + d[2 * j] * d[2 * j];
    }
done:
    gsl_fft_real_workspace_free(ws);
    gsl_fft_real_wavetable_free(w);
    free(d);
    return st;
}

/* ---- eFAST ---- */

static size_t fast_omega0(size_t n, unsigned m)
{
    return (n - 1) / (2 * (size_t)m);
}

gs_status gs_sens_fast_sample(const gs_sens_problem *p, size_t n, unsigned m,
                              unsigned long seed, gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    size_t k = p->k;
    if (m < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "fast needs M >= 1 harmonics, not %u", m);
    if (n <= 4 * (size_t)m * m)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "fast needs N > 4 M^2 = %zu points per curve, not %zu",
                            4 * (size_t)m * m, n);
    if (n > SIZE_MAX / sizeof(double) / k / k)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "N = %zu is too large", n);
    gs_sens_sample *s;
    gs_status st = gs_sens_sample_new_(n * k, k, &s, err);
    if (st != GS_OK)
        return st;
    double *omega = malloc(k * sizeof *omega), *w2 = malloc(k * sizeof *w2);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!omega || !w2 || !rng) {
        free(omega);
        free(w2);
        gsl_rng_free(rng);
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gsl_rng_set(rng, seed);
    /* The factor analysed runs at omega_0; the others at low frequencies up
     * to omega_0 / 2M, spread evenly when there is room (as SALib). */
    omega[0] = (double)fast_omega0(n, m);
    size_t top = (size_t)omega[0] / (2 * m);
    for (size_t i = 1; i < k; i++) {
        if (top >= k - 1)
            omega[i] = k == 2 ? 1 : floor(1 + (double)(top - 1) * (double)(i - 1) / (double)(k - 2));
        else
            omega[i] = (double)((i - 1) % top + 1);
    }
    for (size_t i = 0; i < k; i++) {
        w2[i] = omega[0];
        for (size_t j = 0, o = 1; j < k; j++)
            if (j != i)
                w2[j] = omega[o++];
        double phi = 2 * M_PI * gsl_rng_uniform(rng);
        for (size_t r = 0; r < n; r++) {
            double sr = 2 * M_PI / (double)n * (double)r;
            double *row = s->x + (i * n + r) * k;
            for (size_t j = 0; j < k; j++) {
                double g = 0.5 + asin(sin(w2[j] * sr + phi)) / M_PI;
                /* the curve touches the ends, where an unbounded quantile is infinite */
                if (g <= 0)
                    g = 0x1p-53;
                if (g >= 1)
                    g = 1 - 0x1p-53;
                row[j] = gs_sens_value(p, j, g);
            }
        }
    }
    free(omega);
    free(w2);
    gsl_rng_free(rng);
    *out = s;
    return GS_OK;
}

static const char *const fast_cols[] = {"S1", "S1_conf", "ST", "ST_conf"};

/* S1 and ST of one curve (SALib's compute_orders). */
static gs_status fast_orders(const double *y, size_t n, unsigned m, double *pw, double *s1,
                             double *st, gs_error *err)
{
    gs_status rc = power_spectrum(y, n, pw, err);
    if (rc != GS_OK)
        return rc;
    size_t omega = fast_omega0(n, m), top = (n + 1) / 2; /* frequencies 1 .. top - 1 */
    double v = 0, d1 = 0, dt = 0;
    for (size_t j = 1; j < top; j++)
        v += pw[j];
    for (size_t h = 1; h <= m; h++)
        if (h * omega < top)
            d1 += pw[h * omega];
    for (size_t j = 1; j <= omega / 2; j++)
        dt += pw[j];
    if (!(v > 0)) {
        *s1 = *st = NAN;
        return GS_OK;
    }
    *s1 = d1 / v;
    *st = 1 - dt / v;
    return GS_OK;
}

gs_status gs_sens_fast_analyze(size_t k, const double *y, size_t rows, unsigned m,
                               size_t replicates, double conf_level, gs_sens_index **out,
                               gs_error *err)
{
    *out = NULL;
    if (k < 1 || replicates < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "fast needs parameters and replicates");
    if (!(conf_level > 0 && conf_level < 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "confidence level %g is not between 0 and 1", conf_level);
    size_t per = k * replicates;
    if (rows == 0 || rows % per != 0)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but fast with %zu parameters%s needs a multiple of %zu "
                            "(N*k%s)",
                            rows, k, replicates > 1 ? " and replicates" : "", per,
                            replicates > 1 ? "*R" : "");
    size_t n = rows / per;
    if (n <= 4 * (size_t)m * m)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows are curves of N = %zu points, but fast with M = %u needs "
                            "N > %zu",
                            rows, n, m, 4 * (size_t)m * m);
    for (size_t r = 0; r < rows; r++)
        if (!isfinite(y[r]))
            return gs_error_set(err, GS_EINPUT, NULL, (int)(r + 1),
                                "output of row %zu is not a finite number", r + 1);
    gs_sens_index *res;
    gs_status st = gs_sens_index_new_(k, 4, fast_cols, &res, err);
    if (st != GS_OK)
        return st;
    double *pw = malloc((n / 2 + 1) * sizeof *pw);
    double *s1 = malloc(replicates * sizeof *s1), *tt = malloc(replicates * sizeof *tt);
    if (!pw || !s1 || !tt) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    double t = replicates > 1 ? gsl_cdf_tdist_Pinv(0.5 + conf_level / 2, (double)(replicates - 1))
                              : NAN;
    for (size_t i = 0; i < k && st == GS_OK; i++) {
        for (size_t q = 0; q < replicates && st == GS_OK; q++)
            st = fast_orders(y + (q * k + i) * n, n, m, pw, &s1[q], &tt[q], err);
        if (st != GS_OK)
            break;
        double *v = res->v + i * 4;
        v[0] = gsl_stats_mean(s1, 1, replicates);
        v[2] = gsl_stats_mean(tt, 1, replicates);
        if (isnan(v[0]) || isnan(v[2])) {
            v[0] = v[1] = v[2] = v[3] = NAN;
            res->note[i] = "the output does not vary along the curve: no variance to share out";
            continue;
        }
        if (replicates > 1) {
            v[1] = t * gsl_stats_sd(s1, 1, replicates) / sqrt((double)replicates);
            v[3] = t * gsl_stats_sd(tt, 1, replicates) / sqrt((double)replicates);
        } else {
            v[1] = v[3] = NAN;
            res->note[i] = "one search curve has no interval: resampling its points breaks its "
                           "frequencies (sample with --replicates R > 1)";
        }
    }
    if (st == GS_OK) {
        *out = res;
        res = NULL;
    }
done:
    free(pw);
    free(s1);
    free(tt);
    gs_sens_index_free(res);
    return st;
}

/* ---- RBD-FAST ---- */

static const char *const rbd_cols[] = {"S1", "S1_conf"};

/* S1 of the outputs y[idx[0..n-1]] reordered along x (Plischke's EASI
 * ordering: even ranks up, odd ranks down, so the curve is periodic), with
 * Tissot and Prieur's bias correction.  ord, yy: n scratch; pw: n/2 + 1. */
static gs_status rbd_s1(const double *x, const double *y, size_t stride, const size_t *idx,
                        size_t n, unsigned m, size_t *ord, double *xx, double *yy, double *pw,
                        double *out, gs_error *err)
{
    for (size_t j = 0; j < n; j++)
        xx[j] = x[idx[j] * stride];
    gsl_sort_index(ord, xx, 1, n);
    size_t o = 0;
    for (size_t j = 0; j < n; j += 2)
        yy[o++] = y[idx[ord[j]]];
    for (size_t q = n / 2; q > 0; q--)
        yy[o++] = y[idx[ord[2 * q - 1]]];
    double mean = gsl_stats_mean(yy, 1, n);
    for (size_t j = 0; j < n; j++)
        yy[j] -= mean;
    gs_status st = power_spectrum(yy, n, pw, err);
    if (st != GS_OK)
        return st;
    /* One-sided periodogram: every frequency but 0 and n/2 counts twice. */
    double v = 0, d1 = 0;
    for (size_t j = 1; j <= n / 2; j++) {
        double p = (2 * j == n) ? pw[j] : 2 * pw[j];
        v += p;
        if (j <= m)
            d1 += p;
    }
    if (!(v > 0)) {
        *out = NAN;
        return GS_OK;
    }
    double s1 = d1 / v, lambda = 2.0 * m / (double)n;
    *out = s1 - lambda / (1 - lambda) * (1 - s1);
    return GS_OK;
}

gs_status gs_sens_rbd_fast_analyze(size_t k, const double *x, const double *y, size_t rows,
                                   unsigned m, const gs_sens_boot_opts *opts,
                                   gs_sens_index **out, gs_error *err)
{
    *out = NULL;
    gs_sens_boot_opts o = opts ? *opts : gs_sens_boot_opts_default();
    gs_status st = gs_sens_check_boot_(o.resamples, o.conf_level, err);
    if (st != GS_OK)
        return st;
    if (m < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "rbd_fast needs M >= 1, not %u", m);
    size_t half = rows / 2;
    if (half <= 2 * (size_t)m)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but rbd_fast with M = %u needs more than %zu (its "
                            "resamples of half the rows need more than 2M)",
                            rows, m, 4 * (size_t)m + 1);
    for (size_t r = 0; r < rows; r++)
        if (!isfinite(y[r]))
            return gs_error_set(err, GS_EINPUT, NULL, (int)(r + 1),
                                "output of row %zu is not a finite number", r + 1);
    gs_sens_index *res;
    st = gs_sens_index_new_(k, 2, rbd_cols, &res, err);
    if (st != GS_OK)
        return st;
    size_t *idx = malloc(rows * sizeof *idx), *ord = malloc(rows * sizeof *ord);
    double *xx = malloc(rows * sizeof *xx), *yy = malloc(rows * sizeof *yy);
    double *pw = malloc((rows / 2 + 1) * sizeof *pw), *boot = malloc(o.resamples * sizeof *boot);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!idx || !ord || !xx || !yy || !pw || !boot || !rng) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    gsl_rng_set(rng, o.seed);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    for (size_t i = 0; i < k && st == GS_OK; i++) {
        for (size_t j = 0; j < rows; j++)
            idx[j] = j;
        double *v = res->v + i * 2;
        st = rbd_s1(x + i, y, k, idx, rows, m, ord, xx, yy, pw, &v[0], err);
        if (st != GS_OK)
            break;
        if (isnan(v[0])) {
            v[1] = NAN;
            res->note[i] = "the output does not vary: no variance to share out";
            continue;
        }
        size_t kept = 0;
        for (size_t b = 0; b < o.resamples && st == GS_OK; b++) {
            for (size_t j = 0; j < half; j++)
                idx[j] = (size_t)gsl_rng_uniform_int(rng, rows);
            st = rbd_s1(x + i, y, k, idx, half, m, ord, xx, yy, pw, &boot[kept], err);
            if (!isnan(boot[kept]))
                kept++;
        }
        if (st != GS_OK)
            break;
        if (kept >= 2 && 2 * kept >= o.resamples) {
            v[1] = z * gsl_stats_sd(boot, 1, kept);
        } else {
            v[1] = NAN;
            res->note[i] = "most resamples hold no output variance: no interval";
        }
    }
    if (st == GS_OK) {
        *out = res;
        res = NULL;
    }
done:
    gsl_rng_free(rng);
    free(idx);
    free(ord);
    free(xx);
    free(yy);
    free(pw);
    free(boot);
    gs_sens_index_free(res);
    return st;
}
