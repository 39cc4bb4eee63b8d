/* sweep_plot.c: a sweep's charts.  The templates read the sweep's CSV
 * files; this code finds the rows each chart needs and hands them, with the
 * labels, to the metadata. */
#include "gs_sweep_impl.h"
#include "gs_csv.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* charts: the templates read the sweep's CSV files; this code finds the
 * rows each chart needs and hands them, with the labels, to the metadata. */

/* The sweep's tables, through the library's one CSV reader. */
typedef gs_csv table;

static void table_free(table *t) { gs_csv_free(t); }

static gs_status table_read(table *t, const char *dir, const char *name, gs_error *err)
{
    return gs_csv_read_in(t, dir, name, err);
}

static const char *cell(const table *t, size_t r, size_t c) { return gs_csv_cell(t, r, (long)c); }

static double celln(const table *t, size_t r, size_t c) { return gs_csv_num(t, r, (long)c); }

/* Metadata as key/value pairs; every value is text to the chart. */
typedef gs_plot_meta metav;

static void mput(metav *m, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void mput(metav *m, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gs_plot_meta_vput(m, key, fmt, ap);
    va_end(ap);
}

static void mclear(metav *m) { gs_plot_meta_clear(m); }

/* A metric as part of a file name: "share_total@2030:p50" -> "share_total_2030_p50". */
static void slug(const char *metric, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = metric; *p && k + 1 < n && k < 36; p++)
        out[k++] = isalnum((unsigned char)*p) ? *p : '_';
    out[k] = '\0';
}

struct sw_plotter {
    const gs_sweep *sw;
    const char *dir;
    const gs_plot_opts *o;
    gs_plot_report *rep;
    size_t failed;
    gs_error first;
    char sub2[300];
    char footer[400];
    /* Metrics without a value at some point (named in points.csv's flagged
     * column): no chart, the summary says why. */
    unsigned char lost[SW_MAX_METRICS];
};
typedef struct sw_plotter plotter;

static void common_meta(const plotter *p, metav *m, const char *what)
{
    mput(m, "subtitle1", "Sweep %s (%s) of %s", p->sw->name, what, p->sw->base);
    mput(m, "subtitle2", "%s", p->sub2);
    mput(m, "provenance", "gapsim sweep %s", p->sw->file);
    if (p->footer[0])
        mput(m, "footer1", "%s", p->footer);
}

static void draw(plotter *p, const char *tpl, const char *name, metav *m)
{
    gs_error e;
    gs_error_clear(&e);
    if (p->rep && p->rep->gnuplot_missing)
        return; /* said once is enough */
    if (m->oom) {
        gs_error_set(&e, GS_ENOMEM, NULL, 0, "out of memory");
    } else if (gs_plot_template(tpl, p->dir, name, (const char *const *)m->kv, m->n, p->o, p->rep,
                                &e) == GS_OK) {
        return;
    }
    if (!p->failed++)
        p->first = e;
}

/* Rows of table t whose column c equals v, as [first, last]; 0 when none. */
static int row_range(const table *t, size_t c, const char *v, size_t *first, size_t *last)
{
    int found = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(cell(t, r, c), v) == 0) {
            if (!found)
                *first = r;
            *last = r;
            found = 1;
        }
    return found;
}

static void plot_oat(plotter *p, const table *t)
{
    const gs_sweep *sw = p->sw;
    for (size_t m = 0; m < sw->n_metrics; m++) {
        if (p->lost[m])
            continue;
        size_t P = sw->n_params;
        size_t first[SW_MAX_PARAMS], last[SW_MAX_PARAMS], ord[SW_MAX_PARAMS];
        double swing[SW_MAX_PARAMS], base = NAN;
        size_t np = 0;
        for (size_t i = 0; i < P; i++) {
            size_t f = 0, l = 0;
            /* Rows of this metric and parameter: consecutive, values ascending. */
            int any = 0;
            for (size_t r = 0; r < t->nrows; r++)
                if (strcmp(cell(t, r, 0), sw->metrics[m]) == 0 &&
                    strcmp(cell(t, r, 1), sw->params[i].path) == 0) {
                    if (!any)
                        f = r;
                    l = r;
                    any = 1;
                }
            if (!any)
                continue;
            double lo = INFINITY, hi = -INFINITY;
            for (size_t r = f; r <= l; r++) {
                lo = fmin(lo, celln(t, r, 4));
                hi = fmax(hi, celln(t, r, 4));
            }
            base = celln(t, f, 5);
            first[np] = f;
            last[np] = l;
            swing[np] = hi - lo;
            ord[np] = i;
            np++;
        }
        if (!np)
            continue;
        size_t rk[SW_MAX_PARAMS];
        sw_rank_desc(swing, np, rk);
        char sl[48], name[64];
        slug(sw->metrics[m], sl, sizeof sl);
        metav mv = {0};
        common_meta(p, &mv, "one at a time");
        mput(&mv, "metric", "%s", sw->metrics[m]);
        mput(&mv, "base", "%.17g", base);
        mput(&mv, "np", "%zu", np);
        for (size_t k = 0; k < np; k++) {
            char key[64];
            size_t j = rk[k];
            snprintf(key, sizeof key, "bar.%zu.label", k + 1);
            mput(&mv, key, "%s", sw->params[ord[j]].path);
            snprintf(key, sizeof key, "bar.%zu.rows", k + 1);
            mput(&mv, key, "%zu %zu", first[j], last[j]);
        }
        snprintf(name, sizeof name, "tornado_%s", sl);
        draw(p, "sweep_tornado", name, &mv);
        snprintf(name, sizeof name, "spider_%s", sl);
        draw(p, "sweep_spider", name, &mv);
        mclear(&mv);
    }
}

static void plot_grid(plotter *p, const table *t, const table *ct)
{
    const gs_sweep *sw = p->sw;
    for (size_t m = 0; m < sw->n_metrics; m++) {
        if (p->lost[m])
            continue;
        size_t f = 0, l = 0, cf = 0, cl = 0;
        if (!row_range(t, 2, sw->metrics[m], &f, &l))
            continue;
        char sl[48], name[64];
        slug(sw->metrics[m], sl, sizeof sl);
        metav mv = {0};
        common_meta(p, &mv, "grid");
        mput(&mv, "metric", "%s", sw->metrics[m]);
        mput(&mv, "xname", "%s", sw->params[0].path);
        mput(&mv, "yname", "%s", sw->params[1].path);
        mput(&mv, "rows", "%zu %zu", f, l);
        size_t nx = 1;
        while (f + nx <= l && celln(t, f + nx, 1) == celln(t, f, 1))
            nx++;
        mput(&mv, "nx", "%zu", nx);
        mput(&mv, "ny", "%zu", (l - f + 1) / nx);
        if (ct && row_range(ct, 0, sw->metrics[m], &cf, &cl)) {
            mput(&mv, "contour", "%.17g", ((const sw_grid_opts *)sw->opts)->contour);
            mput(&mv, "crows", "%zu %zu", cf, cl);
        }
        snprintf(name, sizeof name, "heatmap_%s", sl);
        draw(p, "sweep_heatmap", name, &mv);
        mclear(&mv);
    }
}

static void plot_indices(plotter *p, const table *t, const char *tpl, const char *prefix,
                         const char *what)
{
    const gs_sweep *sw = p->sw;
    for (size_t m = 0; m < sw->n_metrics; m++) {
        if (p->lost[m])
            continue;
        size_t f = 0, l = 0;
        if (!row_range(t, 0, sw->metrics[m], &f, &l))
            continue;
        char sl[48], name[64];
        slug(sw->metrics[m], sl, sizeof sl);
        metav mv = {0};
        common_meta(p, &mv, what);
        mput(&mv, "metric", "%s", sw->metrics[m]);
        mput(&mv, "rows", "%zu %zu", f, l);
        mput(&mv, "np", "%zu", l - f + 1);
        for (size_t r = f; r <= l; r++) {
            char key[64];
            snprintf(key, sizeof key, "param.%zu", r - f + 1);
            mput(&mv, key, "%s", cell(t, r, 1));
        }
        snprintf(name, sizeof name, "%s_%s", prefix, sl);
        draw(p, tpl, name, &mv);
        mclear(&mv);
    }
}

gs_status sw_plot_oat(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    (void)sw;
    table t = {0};
    gs_status st = table_read(&t, dir, "oat.csv", err);
    if (st == GS_OK)
        plot_oat(p, &t);
    table_free(&t);
    return st;
}

gs_status sw_plot_grid(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    const sw_grid_opts *o = sw->opts;
    table t = {0}, ct = {0};
    gs_status st = table_read(&t, dir, "grid.csv", err);
    if (st == GS_OK && !isnan(o->contour))
        st = table_read(&ct, dir, "grid_contour.csv", err);
    if (st == GS_OK)
        plot_grid(p, &t, isnan(o->contour) ? NULL : &ct);
    table_free(&t);
    table_free(&ct);
    return st;
}

gs_status sw_plot_morris(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    (void)sw;
    table t = {0};
    gs_status st = table_read(&t, dir, "morris.csv", err);
    if (st == GS_OK)
        plot_indices(p, &t, "sweep_morris", "morris", "Morris screening");
    table_free(&t);
    return st;
}

gs_status sw_plot_sobol(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    const sw_sobol_opts *o = sw->opts;
    table t = {0};
    gs_status st = table_read(&t, dir, "sobol.csv", err);
    if (st == GS_OK)
        plot_indices(p, &t, "sweep_sobol", "sobol", "Sobol' indices");
    if (st == GS_OK && o->by_year) {
        table_free(&t);
        st = table_read(&t, dir, "sobol_by_year.csv", err);
        if (st == GS_OK) {
            metav mv = {0};
            common_meta(p, &mv, "Sobol' indices by year");
            mput(&mv, "variable", "%s", o->by_year);
            mput(&mv, "stat", "%s", o->by_year_stat);
            mput(&mv, "np", "%zu", sw->n_params);
            for (size_t i = 0; i < sw->n_params; i++) {
                char key[64];
                snprintf(key, sizeof key, "param.%zu", i + 1);
                mput(&mv, key, "%s", sw->params[i].path);
            }
            draw(p, "sweep_sobol_by_year", "sobol_by_year", &mv);
            mclear(&mv);
        }
    }
    table_free(&t);
    return st;
}

gs_status sw_plot_goal(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    const sw_goal_opts *o = sw->opts;
    table t = {0};
    gs_status st = table_read(&t, dir, "goal.csv", err);
    if (st == GS_OK) {
        metav mv = {0};
        common_meta(p, &mv, "goal seek");
        mput(&mv, "metric", "%s", o->metric);
        mput(&mv, "parameter", "%s", sw->params[0].path);
        mput(&mv, "level", "%.17g", o->level);
        mput(&mv, "seed", "%s", cell(&t, 0, 3));
        mput(&mv, "status", "%s", cell(&t, 0, 4));
        mput(&mv, "root", "%s", cell(&t, 0, 5));
        mput(&mv, "lo", "%.17g", o->bracket[0]);
        mput(&mv, "hi", "%.17g", o->bracket[1]);
        draw(p, "sweep_goal", "goal", &mv);
        mclear(&mv);
    }
    table_free(&t);
    return st;
}

/* Columns (1-based) of the index bars each method draws: value, interval,
 * legend; a second bar when c2 > 0. */
static const struct {
    const char *method, *title;
    int c1, e1;
    const char *l1;
    int c2, e2;
    const char *l2;
} INDEX_BARS[] = {
    {"fast", "eFAST indices", 3, 4, "first order S1", 5, 6, "total ST"},
    {"rbd_fast", "RBD-FAST first-order indices", 3, 4, "first order S1", 0, 0, ""},
    {"delta", "delta moment-independent measure", 3, 4, "delta", 5, 6, "first order S1"},
    {"pawn", "PAWN indices", 5, 9, "median KS distance", 0, 0, ""},
};

gs_status sw_plot_index(plotter *p, const gs_sweep *sw, const char *dir, gs_error *err)
{
    size_t b = 0, nb = sizeof INDEX_BARS / sizeof INDEX_BARS[0];
    while (b < nb && strcmp(INDEX_BARS[b].method, sw->type->name) != 0)
        b++;
    if (b == nb)
        return gs_error_set(err, GS_EPLOT, NULL, 0, "no chart for method %s", sw->type->name);
    char file[64];
    snprintf(file, sizeof file, "%s.csv", sw->type->name);
    table t = {0};
    gs_status st = table_read(&t, dir, file, err);
    for (size_t m = 0; st == GS_OK && m < sw->n_metrics; m++) {
        if (p->lost[m])
            continue;
        size_t f = 0, l = 0;
        if (!row_range(&t, 0, sw->metrics[m], &f, &l))
            continue;
        char sl[48], name[96];
        slug(sw->metrics[m], sl, sizeof sl);
        metav mv = {0};
        common_meta(p, &mv, INDEX_BARS[b].title);
        mput(&mv, "file", "%s", file);
        mput(&mv, "title", "%s", INDEX_BARS[b].title);
        mput(&mv, "metric", "%s", sw->metrics[m]);
        mput(&mv, "rows", "%zu %zu", f, l);
        mput(&mv, "np", "%zu", l - f + 1);
        mput(&mv, "c1", "%d", INDEX_BARS[b].c1);
        mput(&mv, "e1", "%d", INDEX_BARS[b].e1);
        mput(&mv, "l1", "%s", INDEX_BARS[b].l1);
        mput(&mv, "c2", "%d", INDEX_BARS[b].c2);
        mput(&mv, "e2", "%d", INDEX_BARS[b].e2);
        mput(&mv, "l2", "%s", INDEX_BARS[b].l2);
        for (size_t r = f; r <= l; r++) {
            char key[64];
            snprintf(key, sizeof key, "param.%zu", r - f + 1);
            mput(&mv, key, "%s", cell(&t, r, 1));
        }
        snprintf(name, sizeof name, "%s_%s", sw->type->name, sl);
        draw(p, "sweep_index", name, &mv);
        mclear(&mv);
    }
    table_free(&t);
    return st;
}

gs_status gs_sweep_plot(const gs_sweep *sw, const char *outdir, const gs_plot_opts *o,
                        gs_plot_report *rep, gs_error *err)
{
    plotter p;
    memset(&p, 0, sizeof p);
    p.sw = sw;
    p.dir = outdir;
    p.o = o;
    p.rep = rep;
    /* The run size, from points.csv's first row, for the subtitle. */
    table pts;
    gs_status st = table_read(&pts, outdir, "points.csv", err);
    if (st != GS_OK)
        return st;
    snprintf(p.sub2, sizeof p.sub2, "%zu model runs, seed %s for every run (common random numbers)",
             pts.nrows, cell(&pts, 0, 1));
    long fc = gs_csv_col(&pts, "flagged");
    for (size_t r = 0; fc >= 0 && r < pts.nrows; r++) {
        const char *fl = cell(&pts, r, (size_t)fc);
        for (size_t m = 0; *fl && m < sw->n_metrics && m < SW_MAX_METRICS; m++) {
            size_t len = strlen(sw->metrics[m]);
            for (const char *q = strstr(fl, sw->metrics[m]); q; q = strstr(q + 1, sw->metrics[m]))
                if ((q == fl || q[-1] == ' ') && (q[len] == ' ' || q[len] == '\0'))
                    p.lost[m] = 1;
        }
    }
    /* N, seed and sampler as the sweep ran them; a folder written before
     * run_options.csv existed gets no footer rather than a guessed N. */
    table ro;
    gs_error roe;
    gs_error_clear(&roe);
    if (gs_csv_read_in(&ro, outdir, "run_options.csv", &roe) == GS_OK) {
        double n = celln(&ro, 0, 0);
        if (ro.nrows == 1 && isfinite(n) && n >= 1 && n < 1e15 && cell(&ro, 0, 1)[0])
            snprintf(p.footer, sizeof p.footer,
                     "Sweep %s of %s · %.0f trajector%s per point (%s), seed %s, %zu runs",
                     sw->name, sw->base, n, n == 1 ? "y" : "ies", cell(&ro, 0, 2), cell(&ro, 0, 1),
                     pts.nrows);
        table_free(&ro);
    }
    table_free(&pts);
    st = sw->type->plot(&p, sw, outdir, err);
    if (st != GS_OK)
        return st;
    if (p.failed) {
        *err = p.first;
        return p.first.code ? p.first.code : GS_EPLOT;
    }
    return GS_OK;
}
