/* sweep_goal.c: goal seek -- the value of one parameter at which a metric
 * reaches a level, by Brent's method with common random numbers -- and its
 * keys. */
#include "gs_sweep_impl.h"

#include "gs_accum.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_statistics_double.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* goal seek: f(x) = metric(x) - level with common random numbers */
typedef struct {
    sw_ctx *c;
    uint64_t seed;
    double *y;
    gs_status st;
    size_t evals;
} goal_fn;

static double goal_f(double x, void *p)
{
    goal_fn *g = p;
    if (g->st != GS_OK)
        return NAN;
    double xv = sw_fit_value(sw_pval(g->c, 0), x);
    g->st = sw_eval(g->c, &xv, g->seed, g->y);
    g->evals++;
    /* A bisection on a value that is not there would walk to a bracket end
     * and report it as the answer. */
    if (g->st == GS_OK && isnan(g->y[0]))
        g->st = gs_error_set(g->c->err, GS_ERUN, g->c->sw->file, 0,
                             "goal: %s has no value at %s = %.10g (a percentile the quantile "
                             "sketch cannot give to %g %%); seek on another metric",
                             ((const sw_goal_opts *)g->c->sw->opts)->metric,
                             g->c->sw->params[0].path, xv,
                             100 * GS_SKETCH_ALPHA);
    return g->st == GS_OK ? g->y[0] - ((const sw_goal_opts *)g->c->sw->opts)->level : NAN;
}

typedef struct {
    uint64_t seed;
    int status;       /* 0 found, -1 stays below, +1 stays above */
    double root, lower, upper, at_root;
    double flo, fhi;  /* metric at the bracket's ends */
    size_t iterations;
} goal_res;

static gs_status seek(sw_ctx *c, uint64_t seed, goal_res *out)
{
    const gs_sweep *sw = c->sw;
    const sw_goal_opts *go = sw->opts;
    double *y = malloc((sw->n_metrics + 1) * sizeof *y);
    if (!y)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    goal_fn g = {c, seed, y, GS_OK, 0};
    memset(out, 0, sizeof *out);
    out->seed = seed;
    out->root = out->at_root = NAN;
    double a = go->bracket[0], b = go->bracket[1];
    double fa = goal_f(a, &g), fb = g.st == GS_OK ? goal_f(b, &g) : NAN;
    out->lower = a;
    out->upper = b;
    out->flo = fa + go->level;
    out->fhi = fb + go->level;
    if (g.st != GS_OK) {
        free(y);
        return g.st;
    }
    if (fa == 0 || fb == 0) {
        out->root = fa == 0 ? a : b;
        out->at_root = go->level;
    } else if ((fa < 0) == (fb < 0)) {
        out->status = fa < 0 ? -1 : 1;
    } else {
        gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
        if (!s) {
            free(y);
            return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
        }
        gsl_function F = {goal_f, &g};
        int rc = gsl_root_fsolver_set(s, &F, a, b);
        size_t it = 0;
        while (rc == GSL_SUCCESS && g.st == GS_OK && it < go->max_iter) {
            it++;
            rc = gsl_root_fsolver_iterate(s);
            if (rc != GSL_SUCCESS || g.st != GS_OK)
                break;
            out->lower = gsl_root_fsolver_x_lower(s);
            out->upper = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(out->lower, out->upper, go->tolerance, 0) == GSL_SUCCESS)
                break;
        }
        out->iterations = it;
        out->root = gsl_root_fsolver_root(s);
        gsl_root_fsolver_free(s);
        if (g.st != GS_OK) {
            free(y);
            return g.st;
        }
        if (rc != GSL_SUCCESS) {
            free(y);
            return gs_error_set(c->err, GS_ERUN, NULL, 0, "goal seek: the root finder failed: %s",
                                gsl_strerror(rc));
        }
        double fr = goal_f(out->root, &g);
        if (g.st != GS_OK) {
            free(y);
            return g.st;
        }
        out->at_root = fr + go->level;
    }
    free(y);
    return GS_OK;
}

static gs_status run_goal(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    const sw_goal_opts *go = sw->opts;
    size_t R = 1 + go->repeats;
    goal_res *gr = calloc(R, sizeof *gr);
    gs_afile a = {0};
    if (!gr)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    /* No total: Brent's iterations are not known in advance, and a guessed
     * total would be a wrong number on the progress line. */
    c->total = 0;
    gs_status st = GS_OK;
    for (size_t k = 0; k < R && st == GS_OK; k++)
        st = seek(c, c->ro.seed + k, &gr[k]);
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "goal.csv", c->err);
    if (st == GS_OK) {
        sw_header(a.f, "parameter,metric,level,seed,status,root,lower,upper,metric_at_root,"
                             "metric_at_low,metric_at_high,iterations");
        char s[8][40];
        for (size_t k = 0; k < R; k++) {
            const goal_res *g = &gr[k];
            fprintf(a.f, "%s,%s,%s,%llu,%s,%s,%s,%s,%s,%s,%s,%zu\n", sw->params[0].path,
                    go->metric, sw_num(s[0], 40, go->level), (unsigned long long)g->seed,
                    g->status == 0 ? "found" : g->status < 0 ? "below" : "above",
                    sw_num(s[1], 40, g->root), sw_num(s[2], 40, g->lower), sw_num(s[3], 40, g->upper),
                    sw_num(s[4], 40, g->at_root), sw_num(s[5], 40, g->flo), sw_num(s[6], 40, g->fhi),
                    g->iterations);
        }
        st = gs_afile_commit(&a, c->err);
    }
    if (st == GS_OK) {
        const goal_res *g = &gr[0];
        const char *p = sw->params[0].path, *m = go->metric;
        if (g->status == 0) {
            double roots[101];
            size_t nf = 0;
            for (size_t k = 0; k < R; k++)
                if (gr[k].status == 0)
                    roots[nf++] = gr[k].root;
            gs_strbuf_printf(sum, "\n%s reaches %.6g at %s = %.6g (metric there %.4g; bracket narrowed to "
                       "[%.6g, %.6g] after %zu iterations).\n",
                  m, go->level, p, g->root, g->at_root, g->lower, g->upper, g->iterations);
            if (R > 1) {
                double lo = roots[0], hi = roots[0];
                for (size_t k = 1; k < nf; k++) {
                    lo = fmin(lo, roots[k]);
                    hi = fmax(hi, roots[k]);
                }
                double sd = nf > 1 ? gsl_stats_sd(roots, 1, nf) : NAN;
                gs_strbuf_printf(sum, "Monte Carlo uncertainty: the same search with seeds %llu-%llu gives "
                           "roots from %.6g to %.6g (sd %.3g over %zu seeds",
                      (unsigned long long)gr[0].seed, (unsigned long long)gr[R - 1].seed, lo, hi,
                      sd, nf);
                if (nf < R)
                    gs_strbuf_printf(sum, "; with %zu other seeds the goal lies outside the bracket",
                          R - nf);
                gs_strbuf_printf(sum, ").\n");
            }
        } else if (g->status < 0) {
            int hi_end = g->fhi >= g->flo;
            gs_strbuf_printf(sum, "\n%s stays below %.6g for %s in [%.6g, %.6g]: highest %.4g at %.6g.\n", m,
                  go->level, p, go->bracket[0], go->bracket[1], hi_end ? g->fhi : g->flo,
                  hi_end ? go->bracket[1] : go->bracket[0]);
        } else {
            int lo_end = g->flo <= g->fhi;
            gs_strbuf_printf(sum, "\n%s stays above %.6g for %s in [%.6g, %.6g]: lowest %.4g at %.6g.\n", m,
                  go->level, p, go->bracket[0], go->bracket[1], lo_end ? g->flo : g->fhi,
                  lo_end ? go->bracket[0] : go->bracket[1]);
        }
    }
    gs_afile_abort(&a);
    free(gr);
    return st;
}

static const gs_param_def GOAL_PARAMS[] = {
    {"sweep.parameter", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "the parameter path the goal seek moves"},
    {"sweep.metric", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "the metric that must reach the level"},
    {"sweep.level", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "", 0, NULL, -HUGE_VAL,
     HUGE_VAL, "the level the metric must reach"},
    {"sweep.bracket", GS_PT_NUMBER_ARRAY, GS_PF_REQUIRED, "", 0, NULL, -HUGE_VAL, HUGE_VAL,
     "[low, high]: the parameter values the root is sought between"},
    {"sweep.tolerance", GS_PT_NUMBER, GS_PF_FIXED, "", 0, NULL, -HUGE_VAL, HUGE_VAL,
     "absolute tolerance of the root, in the parameter's unit (default 1e-3 of the bracket)"},
    {"sweep.max_iter", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 60, NULL, 2, 1000,
     "most iterations of the root finder"},
    {"sweep.repeats", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 4, NULL, 0, 100,
     "extra seeds the goal seek is repeated with, for the root's Monte Carlo spread"},
    GS_PARAM_END};

static void goal_init(void *opts)
{
    sw_goal_opts *o = opts;
    o->level = NAN;
    o->bracket[0] = o->bracket[1] = NAN;
    o->tolerance = NAN;
    o->max_iter = 60;
    o->repeats = 4;
}

static gs_status goal_read(const sw_rd *r, const gs_scenario *t, void *opts)
{
    sw_goal_opts *o = opts;
    bool oom = false;
    o->parameter = sw_strdup(t, "sweep.parameter", &oom);
    o->parameter_line = gs_scenario_get(t, "sweep.parameter")->line;
    o->metric = sw_strdup(t, "sweep.metric", &oom);
    if (oom)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (!o->parameter || !o->metric)
        return gs_scenario_errorf(t, o->parameter ? "sweep.metric" : "sweep.parameter", r->err,
                                  "%s must not be empty", o->parameter ? "metric" : "parameter");
    o->level = gs_scenario_num(t, "sweep.level");
    const double *b;
    if (gs_scenario_array(t, "sweep.bracket", &b) != 2 || !(b[0] < b[1]))
        return gs_scenario_errorf(t, "sweep.bracket", r->err,
                                  "bracket must be [low, high] with low < high");
    o->bracket[0] = b[0];
    o->bracket[1] = b[1];
    if (sw_given(t, "sweep.tolerance")) {
        o->tolerance = gs_scenario_num(t, "sweep.tolerance");
        if (!(o->tolerance > 0))
            return gs_scenario_errorf(t, "sweep.tolerance", r->err,
                                      "tolerance must be positive");
    }
    o->max_iter = sw_count(t, "sweep.max_iter");
    o->repeats = sw_count(t, "sweep.repeats");
    return GS_OK;
}

/* The goal's parameter is the one parameter of the sweep, its bracket the
 * range; the goal's metric leads the metrics, the others ride along. */
static gs_status goal_finish(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    sw_goal_opts *o = sw->opts;
    (void)t;
    sw->params = calloc(1, sizeof *sw->params);
    if (!sw->params)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    sw->n_params = 1;
    sw->params[0].path = o->parameter;
    o->parameter = NULL;
    sw->params[0].min = o->bracket[0];
    sw->params[0].max = o->bracket[1];
    sw->params[0].line = o->parameter_line;
    if (isnan(o->tolerance))
        o->tolerance = 1e-3 * (o->bracket[1] - o->bracket[0]);
    size_t n = sw->n_metrics + 1;
    char **m = calloc(n, sizeof *m);
    if (!m)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    m[0] = gs_strdup(o->metric);
    size_t k = 1;
    for (size_t i = 0; i < sw->n_metrics; i++) {
        if (strcmp(sw->metrics[i], o->metric) == 0)
            free(sw->metrics[i]);
        else
            m[k++] = sw->metrics[i];
    }
    free(sw->metrics);
    sw->metrics = m;
    sw->n_metrics = k;
    if (!m[0])
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    return GS_OK;
}

static gs_status goal_check(const sw_rd *r, const gs_scenario *t, const gs_sweep *sw,
                            const gs_scenario *scn)
{
    const sw_goal_opts *o = sw->opts;
    const gs_pval *v = gs_scenario_get(scn, sw->params[0].path);
    if (o->bracket[0] < v->def->lo || o->bracket[1] > v->def->hi)
        return gs_scenario_errorf(t, "sweep.bracket", r->err,
                                  "bracket [%.10g, %.10g] leaves the range of %s [%.10g, %.10g]",
                                  o->bracket[0], o->bracket[1], v->path, v->def->lo,
                                  v->def->hi);
    return GS_OK;
}

static void goal_note(const sw_ctx *c, gs_strbuf *head)
{
    const sw_goal_opts *o = c->sw->opts;
    if (o->repeats)
        gs_strbuf_printf(head, "; the goal seek is repeated with seeds %llu-%llu",
                         (unsigned long long)c->ro.seed + 1,
                         (unsigned long long)(c->ro.seed + o->repeats));
}

static void goal_free(void *opts)
{
    sw_goal_opts *o = opts;
    free(o->parameter);
    free(o->metric);
}

const gs_sweep_type sw_type_goal = {
    .name = "goal",
    .opts_size = sizeof(sw_goal_opts),
    .params = GOAL_PARAMS,
    .lead_key = "sweep.metric",
    .init = goal_init,
    .read = goal_read,
    .finish = goal_finish,
    .check = goal_check,
    .run = run_goal,
    .note = goal_note,
    .plot = sw_plot_goal,
    .free = goal_free,
};
