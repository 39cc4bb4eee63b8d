/* sweep_oat.c: the local methods -- one parameter at a time (oat) and a
 * two-parameter grid -- and their keys. */
#include "gs_sweep_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gs_status run_oat(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t P = sw->n_params, M = sw->n_metrics;
    double **vals = calloc(P, sizeof *vals);
    size_t *nv = calloc(P, sizeof *nv);
    double *base = calloc(M, sizeof *base);
    double *x = malloc(P * sizeof *x);
    double **y = calloc(P, sizeof *y);
    gs_afile a = {0};
    gs_status st = (!vals || !nv || !base || !x || !y)
                       ? gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory")
                       : GS_OK;
    c->total = 1;
    for (size_t i = 0; i < P && st == GS_OK; i++) {
        if (sw->params[i].values || !isnan(sw->params[i].min)) {
            st = sw_axis_values(c, i, 2, &vals[i], &nv[i]);
        } else {
            /* A distribution: its 5th and 95th percentiles. */
            vals[i] = malloc(2 * sizeof **vals);
            if (!vals[i])
                st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
            else {
                vals[i][0] = sw_quantile(c, i, 0.05);
                vals[i][1] = sw_quantile(c, i, 0.95);
                nv[i] = 2;
            }
        }
        c->total += nv[i];
    }
    /* NaN marks "as in the base": the base run moves no parameter. */
    for (size_t i = 0; x && i < P; i++)
        x[i] = NAN;
    /* Every point first (the base, then each parameter's values), so that
     * they can run side by side; then the metrics back into place. */
    size_t W = M + c->n_extra, rows = c->total;
    double *X = st == GS_OK ? malloc(rows * (P ? P : 1) * sizeof *X) : NULL;
    double *Y = st == GS_OK ? malloc(rows * W * sizeof *Y) : NULL;
    uint64_t *seeds = st == GS_OK ? malloc(rows * sizeof *seeds) : NULL;
    if (st == GS_OK && (!X || !Y || !seeds))
        st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t r = 0, i = 0; st == GS_OK && i <= P; i++)
        for (size_t j = 0; j < (i == 0 ? 1 : nv[i - 1]); j++, r++) {
            memcpy(X + r * P, x, P * sizeof *x);
            if (i > 0)
                X[r * P + i - 1] = vals[i - 1][j];
            seeds[r] = c->ro.seed;
        }
    if (st == GS_OK)
        st = sw_eval_batch(c, rows, X, seeds, Y);
    if (st == GS_OK)
        memcpy(base, Y, M * sizeof *base);
    for (size_t i = 0, r = 1; i < P && st == GS_OK; i++) {
        y[i] = malloc(nv[i] * M * sizeof **y);
        if (!y[i]) {
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        for (size_t j = 0; j < nv[i]; j++, r++)
            memcpy(&y[i][j * M], Y + r * W, M * sizeof **y);
    }
    free(X);
    free(Y);
    free(seeds);
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "oat.csv", c->err);
    if (st == GS_OK) {
        sw_header(a.f, "metric,parameter,value,position,metric_value,base_value,delta");
        char s1[40], s2[40], s3[40], s4[40], s5[40];
        for (size_t m = 0; m < M; m++)
            for (size_t i = 0; i < P; i++) {
                double pb = gs_scenario_num(c->scn, sw->params[i].path);
                double span = vals[i][nv[i] - 1] - vals[i][0];
                for (size_t j = 0; j < nv[i]; j++) {
                    double v = y[i][j * M + m];
                    fprintf(a.f, "%s,%s,%s,%s,%s,%s,%s\n", sw->metrics[m], sw->params[i].path,
                            sw_num(s1, sizeof s1, vals[i][j]),
                            sw_num(s2, sizeof s2, span > 0 ? (vals[i][j] - pb) / span : 0),
                            sw_num(s3, sizeof s3, v), sw_num(s4, sizeof s4, base[m]),
                            sw_num(s5, sizeof s5, v - base[m]));
                }
            }
        st = gs_afile_commit(&a, c->err);
    }
    if (st == GS_OK) {
        /* Headline: the parameters ranked by swing, per metric; none for a
         * metric that has no value at some point (a swing would be
         * computed from the others and look like one). */
        for (size_t m = 0; m < M; m++) {
            if (c->flagged && c->flagged[m]) {
                sw_lost_summary(sum, sw->metrics[m], c->flagged[m], c->runs);
                continue;
            }
            gs_strbuf_printf(sum, "\n%s: base run %.4g; parameters by swing (metric at the lowest and "
                       "highest value):\n",
                  sw->metrics[m], base[m]);
            double *sw_ = malloc(P * sizeof *sw_);
            size_t *ord = malloc(P * sizeof *ord);
            if (!sw_ || !ord) {
                free(sw_);
                free(ord);
                st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
                break;
            }
            for (size_t i = 0; i < P; i++) {
                double lo = INFINITY, hi = -INFINITY;
                for (size_t j = 0; j < nv[i]; j++) {
                    lo = fmin(lo, y[i][j * M + m]);
                    hi = fmax(hi, y[i][j * M + m]);
                }
                sw_[i] = hi - lo;
            }
            sw_rank_desc(sw_, P, ord);
            for (size_t r = 0; r < P; r++) {
                size_t i = ord[r];
                gs_strbuf_printf(sum, "  %zu. %s: %.4g at %.6g, %.4g at %.6g (swing %.4g)\n", r + 1,
                      sw->params[i].path, y[i][m], vals[i][0], y[i][(nv[i] - 1) * M + m],
                      vals[i][nv[i] - 1], sw_[i]);
            }
            free(sw_);
            free(ord);
        }
    }
    gs_afile_abort(&a);
    for (size_t i = 0; i < P; i++) {
        if (vals)
            free(vals[i]);
        if (y)
            free(y[i]);
    }
    free(vals);
    free(nv);
    free(base);
    free(x);
    free(y);
    return st;
}

/* First x where the row crosses level, by linear interpolation, and its
 * fractional index among the xs (*cell); NaN when none. */
static double crossing(const double *xs, const double *v, size_t n, double level, double *cell)
{
    *cell = NAN;
    for (size_t j = 0; j + 1 < n; j++) {
        double a = v[j] - level, b = v[j + 1] - level;
        if (a == 0) {
            *cell = (double)j;
            return xs[j];
        }
        if ((a < 0) != (b < 0) || b == 0) {
            double f = a / (a - b);
            *cell = (double)j + f;
            return xs[j] + (xs[j + 1] - xs[j]) * f;
        }
    }
    if (n && v[n - 1] == level) {
        *cell = (double)(n - 1);
        return xs[n - 1];
    }
    return NAN;
}

static gs_status run_grid(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t M = sw->n_metrics, nx = 0, ny = 0;
    double *xs = NULL, *ys = NULL, *y = NULL, *row = NULL;
    gs_afile a = {0}, b = {0};
    const sw_grid_opts *go = sw->opts;
    gs_status st = sw_axis_values(c, 0, go->levels, &xs, &nx);
    if (st == GS_OK)
        st = sw_axis_values(c, 1, go->levels, &ys, &ny);
    if (st == GS_OK) {
        y = malloc(nx * ny * M * sizeof *y);
        row = malloc(nx * sizeof *row);
        if (!y || !row)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    c->total = nx * ny;
    {
        /* Every point first, so that they can run side by side. */
        size_t W = M + c->n_extra, rows = nx * ny;
        double *X = st == GS_OK ? malloc(rows * 2 * sizeof *X) : NULL;
        double *Y = st == GS_OK ? malloc(rows * W * sizeof *Y) : NULL;
        uint64_t *seeds = st == GS_OK ? malloc(rows * sizeof *seeds) : NULL;
        if (st == GS_OK && (!X || !Y || !seeds))
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t iy = 0; iy < ny && st == GS_OK; iy++)
            for (size_t ix = 0; ix < nx; ix++) {
                size_t r = iy * nx + ix;
                X[2 * r] = xs[ix];
                X[2 * r + 1] = ys[iy];
                seeds[r] = c->ro.seed;
            }
        if (st == GS_OK)
            st = sw_eval_batch(c, rows, X, seeds, Y);
        for (size_t r = 0; r < rows && st == GS_OK; r++)
            memcpy(&y[r * M], Y + r * W, M * sizeof *y);
        free(X);
        free(Y);
        free(seeds);
    }
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "grid.csv", c->err);
    if (st == GS_OK) {
        sw_header(a.f, "x,y,metric,value");
        char s1[40], s2[40], s3[40];
        for (size_t m = 0; m < M; m++)
            for (size_t iy = 0; iy < ny; iy++)
                for (size_t ix = 0; ix < nx; ix++)
                    fprintf(a.f, "%s,%s,%s,%s\n", sw_num(s1, sizeof s1, xs[ix]),
                            sw_num(s2, sizeof s2, ys[iy]), sw->metrics[m],
                            sw_num(s3, sizeof s3, y[(iy * nx + ix) * M + m]));
        st = gs_afile_commit(&a, c->err);
    }
    gs_strbuf_printf(sum, "\nx = %s (%zu values, %.6g to %.6g), y = %s (%zu values, %.6g to %.6g)\n",
          sw->params[0].path, nx, xs ? xs[0] : NAN, xs ? xs[nx ? nx - 1 : 0] : NAN,
          sw->params[1].path, ny, ys ? ys[0] : NAN, ys ? ys[ny ? ny - 1 : 0] : NAN);
    if (st == GS_OK) {
        for (size_t m = 0; m < M; m++) {
            if (c->flagged && c->flagged[m]) {
                sw_lost_summary(sum, sw->metrics[m], c->flagged[m], c->runs);
                continue;
            }
            double lo = INFINITY, hi = -INFINITY;
            size_t ilo = 0, ihi = 0;
            for (size_t k = 0; k < nx * ny; k++) {
                double v = y[k * M + m];
                if (v < lo)
                    lo = v, ilo = k;
                if (v > hi)
                    hi = v, ihi = k;
            }
            gs_strbuf_printf(sum, "%s: lowest %.4g at (%.6g, %.6g), highest %.4g at (%.6g, %.6g)\n",
                  sw->metrics[m], lo, xs[ilo % nx], ys[ilo / nx], hi, xs[ihi % nx],
                  ys[ihi / nx]);
        }
    }
    /* The contour is a level of the first metric: the line the map is read for. */
    if (st == GS_OK && !isnan(go->contour) && c->flagged && c->flagged[0])
        gs_strbuf_printf(sum, "\nNo contour of %s: it has no value at some points.\n",
                         sw->metrics[0]);
    else if (st == GS_OK && !isnan(go->contour)) {
        st = gs_afile_open(&b, dir, "grid_contour.csv", c->err);
        if (st == GS_OK) {
            sw_header(b.f, "metric,y,x,x_cell");
            char s1[40], s2[40], s3[40];
            gs_strbuf_printf(sum, "\n%s = %.6g is reached at %s =\n", sw->metrics[0], go->contour,
                  sw->params[0].path);
            for (size_t iy = 0; iy < ny; iy++) {
                for (size_t ix = 0; ix < nx; ix++)
                    row[ix] = y[(iy * nx + ix) * M];
                double cellx;
                double xc = crossing(xs, row, nx, go->contour, &cellx);
                fprintf(b.f, "%s,%s,%s,%s\n", sw->metrics[0], sw_num(s1, sizeof s1, ys[iy]),
                        sw_num(s2, sizeof s2, xc), sw_num(s3, sizeof s3, cellx));
                if (isnan(xc))
                    gs_strbuf_printf(sum, "  not within [%.6g, %.6g] when %s = %.6g (%.4g to %.4g)\n",
                          xs[0], xs[nx - 1], sw->params[1].path, ys[iy], row[0], row[nx - 1]);
                else
                    gs_strbuf_printf(sum, "  %.6g when %s = %.6g (interpolated)\n", xc, sw->params[1].path,
                          ys[iy]);
            }
            st = gs_afile_commit(&b, c->err);
        }
    }
    gs_afile_abort(&a);
    gs_afile_abort(&b);
    free(xs);
    free(ys);
    free(y);
    free(row);
    return st;
}

/* ---- oat ---- */

static gs_status oat_check_param(const sw_rd *r, const gs_sweep_param *p)
{
    if (p->values && p->n_values < 2)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s: one-at-a-time needs at least two values", p->path);
    return GS_OK;
}

const gs_sweep_type sw_type_oat = {
    .name = "oat",
    .takes_parameters = true,
    .needs_spread = true,
    .min_params = 1,
    .max_params = SW_MAX_PARAMS,
    .count_rule = "oat takes 1 to 20 parameters, got %zu",
    .check_param = oat_check_param,
    .run = run_oat,
    .plot = sw_plot_oat,
};

/* ---- grid ---- */

static const gs_param_def GRID_PARAMS[] = {
    {"sweep.levels", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 5, NULL, 2, 1000,
     "points on the axis of a parameter that lists no values"},
    {"sweep.contour", GS_PT_NUMBER, GS_PF_FIXED, "", 0, NULL, -HUGE_VAL, HUGE_VAL,
     "level of the first metric drawn as a contour line (none when not given)"},
    GS_PARAM_END};

static void grid_init(void *opts)
{
    sw_grid_opts *o = opts;
    o->levels = 5;
    o->contour = NAN;
}

static gs_status grid_read(const sw_rd *r, const gs_scenario *t, void *opts)
{
    sw_grid_opts *o = opts;
    (void)r;
    o->levels = sw_count(t, "sweep.levels");
    if (sw_given(t, "sweep.contour"))
        o->contour = gs_scenario_num(t, "sweep.contour");
    return GS_OK;
}

const gs_sweep_type sw_type_grid = {
    .name = "grid",
    .opts_size = sizeof(sw_grid_opts),
    .params = GRID_PARAMS,
    .takes_parameters = true,
    .needs_spread = true,
    .min_params = 2,
    .max_params = 2,
    .count_rule = "grid takes exactly two parameters (x and y), got %zu",
    .init = grid_init,
    .read = grid_read,
    .run = run_grid,
    .plot = sw_plot_grid,
};
