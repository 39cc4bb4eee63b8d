/* sweep_run.c: the design points of a sweep and the run that writes its
 * folder; the methods' designs are in their own files (gs_sweep_impl.h). */
#include "gs_sweep_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gs_accum.h"
#include "gs_job.h"
#include "gs_model.h"
#include "gs_outdir.h"

static const gs_sweep_type *const TYPES[] = {
    &sw_type_oat,  &sw_type_grid,     &sw_type_morris, &sw_type_sobol, &sw_type_goal,
    &sw_type_fast, &sw_type_rbd_fast, &sw_type_delta,  &sw_type_pawn,
};

const gs_sweep_type *const *sw_types(size_t *n)
{
    *n = sizeof TYPES / sizeof TYPES[0];
    return TYPES;
}


const char *sw_num(char *s, size_t n, double v)
{
    if (isnan(v))
        s[0] = '\0';
    else
        snprintf(s, n, "%.10g", v);
    return s;
}

double sw_fit_value(const gs_pval *v, double x)
{
    return (v->def->flags & GS_PF_INT) ? nearbyint(x) : x;
}


/* Runs scn (which the caller frees) and reads its metrics. */
static gs_status run_metrics(const gs_scenario *scn, const gs_run_opts *ro,
                             const char *const *metrics, size_t n_metrics, double *values,
                             gs_results **res_out, gs_error *err)
{
    gs_sim *sim = NULL;
    gs_results *res = NULL;
    gs_status st = gs_sim_new(scn, gs_models_builtin(), &sim, err);
    if (st == GS_OK)
        st = gs_sim_run(sim, ro, &res, err);
    for (size_t i = 0; i < n_metrics && st == GS_OK; i++)
        st = gs_results_metric(res, metrics[i], &values[i], err);
    if (st == GS_OK && res_out) {
        *res_out = res;
        res = NULL;
    }
    gs_results_free(res);
    gs_sim_free(sim);
    return st;
}

gs_status gs_sweep_point(const char *scenario, const char *const *sets, size_t n_sets,
                         const gs_run_opts *ro, const char *const *metrics, size_t n_metrics,
                         double *values, gs_results **res_out, gs_error *err)
{
    gs_scenario *scn = NULL;
    if (res_out)
        *res_out = NULL;
    gs_status st = gs_scenario_load(gs_param_tables(), scenario, sets, n_sets, &scn, err);
    if (st == GS_OK)
        st = run_metrics(scn, ro, metrics, n_metrics, values, res_out, err);
    gs_scenario_free(scn);
    return st;
}

/* Runs one point: its metrics into y, nothing written. */
static gs_status eval_point(sw_ctx *c, const double *x, uint64_t seed, double *y)
{
    const gs_sweep *sw = c->sw;
    /* The sweep's own sets are in c->scn already: the point's values are
     * bound onto it (the base is read once per sweep, not per point). */
    const char **sets = calloc(sw->n_params ? sw->n_params : 1, sizeof *sets);
    char(*own)[320] = calloc(sw->n_params ? sw->n_params : 1, sizeof *own);
    const char **metrics = calloc(sw->n_metrics + c->n_extra, sizeof *metrics);
    if (!sets || !own || !metrics) {
        free(sets);
        free(own);
        free(metrics);
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < sw->n_params; i++)
        if (!isnan(x[i])) {
            snprintf(own[i], sizeof own[i], "%s=%.17g", sw->params[i].path, x[i]);
            sets[k++] = own[i];
        }
    for (size_t i = 0; i < sw->n_metrics; i++)
        metrics[i] = sw->metrics[i];
    for (size_t i = 0; i < c->n_extra; i++)
        metrics[sw->n_metrics + i] = c->extra[i];
    gs_run_opts ro = c->ro;
    ro.seed = seed;
    gs_scenario *scn = NULL;
    gs_status st = gs_scenario_bind(gs_param_tables(), c->scn, sets, k, &scn, c->err);
    if (st == GS_OK)
        st = run_metrics(scn, &ro, metrics, sw->n_metrics + c->n_extra, y, NULL, c->err);
    gs_scenario_free(scn);
    free(sets);
    free(own);
    free(metrics);
    return st;
}

/* The point's row of points.csv, and progress. */
static void write_row(sw_ctx *c, const double *x, uint64_t seed, const double *y)
{
    const gs_sweep *sw = c->sw;
    char s[40];
    FILE *f = c->points.f;
    fprintf(f, "%zu,%llu", c->runs + 1, (unsigned long long)seed);
    for (size_t i = 0; i < sw->n_params; i++)
        fprintf(f, ",%s", isnan(x[i]) ? "" : (snprintf(s, sizeof s, "%.17g", x[i]), s));
    for (size_t i = 0; i < sw->n_metrics; i++)
        fprintf(f, ",%s", sw_num(s, sizeof s, y[i]));
    /* A metric without a value is empty above and named here, never a
     * number: the last column lists them, separated by blanks. */
    fputc(',', f);
    int any = 0;
    for (size_t i = 0; i < sw->n_metrics + c->n_extra; i++) {
        if (!isnan(y[i]))
            continue;
        if (c->flagged)
            c->flagged[i]++;
        if (i < sw->n_metrics)
            fprintf(f, "%s%s", any ? " " : "", sw->metrics[i]);
        any = 1;
    }
    fputc('\n', f);
    if (any && c->flagged_runs++ == 0)
        c->first_flagged = c->runs + 1;
    c->runs++;
    if (c->o->progress)
        c->o->progress(c->o->progress_ctx, c->runs, c->total);
}

gs_status sw_eval(sw_ctx *c, const double *x, uint64_t seed, double *y)
{
    /* In a job, one point's trajectory blocks are shared (gs_sim_run). */
    gs_status st = eval_point(c, x, seed, y);
    if (st == GS_OK)
        write_row(c, x, seed, y);
    return st;
}

/* A process's share of a batch: its points in order, stopping at the first
 * that fails (gs_job_map). */
typedef struct {
    sw_ctx *c;
    const double *x;
    const uint64_t *seeds;
} batch;

static gs_status batch_part(void *ctx, const size_t *items, size_t n_items, double *out,
                            size_t *failed, gs_error *err)
{
    batch *bt = ctx;
    sw_ctx *c = bt->c;
    size_t P = c->sw->n_params, W = c->sw->n_metrics + c->n_extra;
    gs_error *keep = c->err;
    gs_status st = GS_OK;
    c->err = err;
    for (size_t i = 0; i < n_items && st == GS_OK; i++) {
        st = eval_point(c, bt->x + items[i] * P, bt->seeds[items[i]], out + i * W);
        if (st != GS_OK)
            *failed = items[i];
    }
    c->err = keep;
    return st;
}

gs_status sw_eval_batch(sw_ctx *c, size_t n, const double *x, const uint64_t *seeds, double *y)
{
    size_t P = c->sw->n_params, W = c->sw->n_metrics + c->n_extra;
    if (!gs_job_active()) {
        for (size_t r = 0; r < n; r++) {
            gs_status st = sw_eval(c, x + r * P, seeds[r], y + r * W);
            if (st != GS_OK)
                return st;
        }
        return GS_OK;
    }
    batch bt = {c, x, seeds};
    gs_status st = gs_job_map(n, W, batch_part, &bt, y, c->err);
    if (st != GS_OK)
        return st;
    for (size_t r = 0; r < n; r++)
        write_row(c, x + r * P, seeds[r], y + r * W);
    return GS_OK;
}

const gs_pval *sw_pval(const sw_ctx *c, size_t i)
{
    return gs_scenario_get(c->scn, c->sw->params[i].path);
}

double sw_quantile(const sw_ctx *c, size_t i, double u)
{
    long idx = gs_scenario_index(c->scn, c->sw->params[i].path);
    return gs_scenario_draw(c->scn, (size_t)idx, u);
}

gs_status sw_axis_values(const sw_ctx *c, size_t i, size_t levels, double **out, size_t *n)
{
    const gs_sweep_param *p = &c->sw->params[i];
    double lo = p->min, hi = p->max;
    if (p->values) {
        *out = malloc(p->n_values * sizeof **out);
        if (!*out)
            return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
        memcpy(*out, p->values, p->n_values * sizeof **out);
        *n = p->n_values;
        return GS_OK;
    }
    if (isnan(lo)) {
        lo = sw_quantile(c, i, 0.05);
        hi = sw_quantile(c, i, 0.95);
    }
    *out = malloc(levels * sizeof **out);
    if (!*out)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    size_t k = 0;
    for (size_t j = 0; j < levels; j++) {
        double v = sw_fit_value(sw_pval(c, i), lo + (hi - lo) * (double)j / (double)(levels - 1));
        if (k == 0 || v != (*out)[k - 1])
            (*out)[k++] = v;
    }
    *n = k;
    if (k < 2)
        return gs_error_set(c->err, GS_ECONFIG, c->sw->file, p->line,
                            "%s: its range [%.10g, %.10g] holds fewer than two distinct values",
                            p->path, lo, hi);
    return GS_OK;
}

void sw_header(FILE *f, const char *cols) { fprintf(f, "%s\n", cols); }

const char SW_LOST_NOTE[] = "no value at some design points (flagged percentile, see points.csv)";

size_t sw_placeholders(double *col, size_t rows)
{
    size_t lost = 0;
    for (size_t r = 0; r < rows; r++)
        if (isnan(col[r])) {
            col[r] = (double)r;
            lost++;
        }
    return lost;
}

void sw_lost_summary(gs_strbuf *sum, const char *metric, size_t lost, size_t rows)
{
    gs_strbuf_printf(sum,
                     "\n%s: no analysis: it has no value at %zu of %zu design points (a "
                     "percentile the quantile sketch cannot give to %g %%; the flagged column of "
                     "points.csv names them).\n",
                     metric, lost, rows, 100 * GS_SKETCH_ALPHA);
}

void sw_rank_desc(const double *v, size_t n, size_t *ord)
{
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[ord[j]] > v[ord[j - 1]]; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
}

gs_status gs_sweep_run(const gs_sweep *sw, const gs_sweep_opts *o, const char *outdir,
                       char **summary, gs_error *err)
{
    if (summary)
        *summary = NULL;
    gs_sweep_opts od;
    if (!o) {
        gs_sweep_opts_default(&od);
        o = &od;
    }
    if (o->threads < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "threads must be at least 1");
    size_t dr = sw->type->runs ? sw->type->runs(sw) : 0;
    if (dr > SW_MAX_RUNS)
        return gs_error_set(err, GS_ECONFIG, sw->file, 0,
                            "the design needs %zu runs, more than %d: lower n or r", dr, SW_MAX_RUNS);
    sw_ctx c;
    memset(&c, 0, sizeof c);
    c.sw = sw;
    c.o = o;
    c.err = err;
    gs_status st = gs_scenario_load(gs_param_tables(), sw->base, (const char *const *)sw->sets,
                                    sw->n_sets, &c.scn, err);
    if (st != GS_OK)
        return st;
    gs_run_opts_default(&c.ro);
    c.ro.n = o->n ? o->n
                  : sw->trajectories ? sw->trajectories
                                     : (uint64_t)gs_scenario_num(c.scn, "run.trajectories");
    c.ro.seed = o->has_seed ? o->seed
                            : sw->has_seed ? sw->seed : (uint64_t)gs_scenario_num(c.scn, "run.seed");
    c.ro.threads = o->threads;
    c.ro.sampler = (gs_sampler)gs_sampler_from_name(gs_scenario_str(c.scn, "run.sampler"));
    c.t0 = (int)gs_scenario_num(c.scn, "scenario.base_year");
    c.T = (int)gs_scenario_num(c.scn, "scenario.horizon");

    const char *stat = NULL;
    const char *by_year = sw->type->by_year ? sw->type->by_year(sw, &stat) : NULL;
    if (by_year) {
        c.n_extra = (size_t)(c.T - c.t0 + 1);
        c.extra = calloc(c.n_extra, sizeof *c.extra);
        if (!c.extra)
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; i < c.n_extra && st == GS_OK; i++) {
            char m[256];
            snprintf(m, sizeof m, "%s@%d:%s", by_year, c.t0 + (int)i, stat);
            c.extra[i] = gs_strdup(m);
            if (!c.extra[i])
                st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        }
    }

    c.flagged = calloc(sw->n_metrics + c.n_extra + 1, sizeof *c.flagged);
    if (!c.flagged)
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_strbuf sum = {0};
    if (st == GS_OK)
        st = gs_output_prepare(outdir, err);
    if (st == GS_OK)
        st = gs_afile_open(&c.points, outdir, "points.csv", err);
    if (st == GS_OK) {
        fputs("run,seed", c.points.f);
        for (size_t i = 0; i < sw->n_params; i++)
            fprintf(c.points.f, ",%s", sw->params[i].path);
        for (size_t i = 0; i < sw->n_metrics; i++)
            fprintf(c.points.f, ",%s", sw->metrics[i]);
        fputs(",flagged\n", c.points.f);
        st = sw->type->run(&c, outdir, &sum);
    }
    if (st == GS_OK)
        st = gs_afile_commit(&c.points, err);
    gs_afile_abort(&c.points);
    /* The effective run options, for the charts' footers: drawn later from
     * the folder alone, they cannot know what -n or --seed said. */
    if (st == GS_OK) {
        gs_afile a = {0};
        st = gs_afile_open(&a, outdir, "run_options.csv", err);
        if (st == GS_OK) {
            fprintf(a.f, "trajectories,seed,sampler,runs\n%llu,%llu,%s,%zu\n",
                    (unsigned long long)c.ro.n, (unsigned long long)c.ro.seed,
                    gs_sampler_name(c.ro.sampler), c.runs);
            st = gs_afile_commit(&a, err);
        }
        gs_afile_abort(&a);
    }

    char *text = NULL;
    if (st == GS_OK) {
        gs_strbuf head = {0};
        gs_strbuf_printf(&head, "Sweep %s (%s) of %s\n", sw->name, gs_sweep_method_name(sw),
              sw->base);
        gs_strbuf_printf(&head, "%zu model runs of %llu trajectories each, seed %llu for every run "
                     "(common random numbers)",
              c.runs, (unsigned long long)c.ro.n, (unsigned long long)c.ro.seed);
        if (sw->type->note)
            sw->type->note(&c, &head);
        gs_strbuf_printf(&head, ".\n");
        if (c.flagged_runs) {
            gs_strbuf_printf(&head, "Warning: at %zu of %zu design points (first: run %zu) a metric "
                             "has no value:", c.flagged_runs, c.runs, c.first_flagged);
            size_t shown = 0;
            for (size_t i = 0; i < sw->n_metrics + c.n_extra; i++)
                if (c.flagged[i] && shown++ < 8)
                    gs_strbuf_printf(&head, "%s %s (%zu)", shown > 1 ? "," : "",
                                     i < sw->n_metrics ? sw->metrics[i] : c.extra[i - sw->n_metrics],
                                     c.flagged[i]);
            gs_strbuf_printf(&head, ".  A percentile the quantile sketch cannot give to %g %% is "
                             "left empty in points.csv and named in its flagged column; no "
                             "analysis uses those metrics.\n",
                             100 * GS_SKETCH_ALPHA);
        }
        gs_strbuf_printf(&head, "%s", sum.p ? sum.p : "");
        if (head.oom)
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        text = head.p;
    }
    free(sum.p);
    if (st == GS_OK) {
        gs_afile a = {0};
        st = gs_afile_open(&a, outdir, "summary.txt", err);
        if (st == GS_OK) {
            fputs(text, a.f);
            st = gs_afile_commit(&a, err);
        }
        gs_afile_abort(&a);
    }
    /* Last: a folder with a manifest is a whole sweep, and staging
     * (gs_stage_begin_kind "sweep") recognises it as one. */
    if (st == GS_OK) {
        char hash[32];
        gs_file_hash(sw->file, hash);
        json_t *f = json_object(), *d = json_object();
        json_object_set_new(d, "name", json_string(sw->name));
        json_object_set_new(d, "file", json_string(sw->file));
        json_object_set_new(d, "hash", hash[0] ? json_string(hash) : json_null());
        json_object_set_new(d, "method", json_string(gs_sweep_method_name(sw)));
        json_object_set_new(d, "base", json_string(sw->base));
        json_object_set_new(f, "sweep", d);
        json_object_set_new(f, "trajectories", json_integer((json_int_t)c.ro.n));
        json_object_set_new(f, "seed", json_integer((json_int_t)c.ro.seed));
        json_object_set_new(f, "sampler", json_string(gs_sampler_name(c.ro.sampler)));
        json_object_set_new(f, "threads", json_integer(c.ro.threads));
        json_object_set_new(f, "runs", json_integer((json_int_t)c.runs));
        json_object_set_new(f, "quantile_relative_accuracy", json_real(GS_SKETCH_ALPHA));
        json_object_set_new(f, "metrics_flagged", json_integer((json_int_t)c.flagged_runs));
        st = gs_stage_write_manifest(outdir, "sweep", f, o->command_line, o->n_command_line, err);
    }
    if (st == GS_OK && o->flagged_points)
        *o->flagged_points = c.flagged_runs;
    if (st == GS_OK && summary)
        *summary = text;
    else
        free(text);
    free(c.flagged);
    for (size_t i = 0; i < c.n_extra; i++)
        free(c.extra[i]);
    free(c.extra);
    gs_scenario_free(c.scn);
    return st;
}
