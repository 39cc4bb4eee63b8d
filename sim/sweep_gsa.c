/* sweep_gsa.c: the global methods -- Morris screening and Sobol' indices
 * over a scenario's own parameters, through the estimators of gs_sens.h --
 * and their keys. */
#include "gs_sweep_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_sens.h"

/* Morris and Sobol' factors: a parameter with min/max is uniform on them; a
 * distribution without them is moved through its own quantiles from 5 % to
 * 95 %, so the design weighs values as the scenario does. */
static int prob_space(const sw_ctx *c, size_t i)
{
    return isnan(c->sw->params[i].min);
}

static double factor_value(const sw_ctx *c, size_t i, double u)
{
    return prob_space(c, i) ? sw_quantile(c, i, u) : sw_fit_value(sw_pval(c, i), u);
}

static gs_status make_problem(sw_ctx *c, gs_sens_problem **out)
{
    gs_sens_problem *p = gs_sens_problem_new();
    if (!p)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < c->sw->n_params; i++) {
        const gs_sweep_param *sp = &c->sw->params[i];
        gs_status st = prob_space(c, i)
                           ? gs_sens_problem_add(p, sp->path, 0.05, 0.95, c->err)
                           : gs_sens_problem_add(p, sp->path, sp->min, sp->max, c->err);
        if (st) {
            gs_sens_problem_free(p);
            return st;
        }
    }
    *out = p;
    return GS_OK;
}

/* Runs every row of a design; y is rows x (metrics + extra). */
static gs_status run_design(sw_ctx *c, const gs_sens_sample *s, double **yout)
{
    size_t W = c->sw->n_metrics + c->n_extra, P = c->sw->n_params;
    double *y = malloc(s->rows * W * sizeof *y);
    double *x = malloc((s->rows ? s->rows : 1) * P * sizeof *x);
    uint64_t *seeds = malloc((s->rows ? s->rows : 1) * sizeof *seeds);
    gs_status st = (!y || !x || !seeds)
                       ? gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory")
                       : GS_OK;
    c->total = s->rows;
    for (size_t r = 0; r < s->rows && st == GS_OK; r++) {
        for (size_t i = 0; i < P; i++)
            x[r * P + i] = factor_value(c, i, s->x[r * s->k + i]);
        seeds[r] = c->ro.seed;
    }
    if (st == GS_OK)
        st = sw_eval_batch(c, s->rows, x, seeds, y);
    free(x);
    free(seeds);
    if (st != GS_OK) {
        free(y);
        return st;
    }
    *yout = y;
    return GS_OK;
}


static gs_status run_morris(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    const sw_morris_opts *mo_ = sw->opts;
    size_t M = sw->n_metrics, P = sw->n_params;
    gs_sens_problem *prob = NULL;
    gs_sens_sample *s = NULL;
    double *y = NULL, *col = NULL;
    gs_afile a = {0};
    gs_status st = make_problem(c, &prob);
    if (st == GS_OK)
        st = gs_sens_morris_sample(prob, mo_->r, mo_->levels, (unsigned long)c->ro.seed, &s,
                                   c->err);
    if (st == GS_OK)
        st = run_design(c, s, &y);
    if (st == GS_OK) {
        col = malloc(s->rows * sizeof *col);
        if (!col)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "morris.csv", c->err);
    if (st == GS_OK)
        sw_header(a.f, "metric,name,mu,mu_star,sigma,mu_star_conf");
    gs_sens_morris_opts mo = gs_sens_morris_opts_default();
    mo.resamples = mo_->resamples;
    mo.seed = (unsigned long)c->ro.seed;
    for (size_t m = 0; m < M && st == GS_OK; m++) {
        for (size_t r = 0; r < s->rows; r++)
            col[r] = y[r * M + m];
        size_t lost = sw_placeholders(col, s->rows);
        gs_sens_morris_result *res = NULL;
        st = gs_sens_morris_analyze(prob, s->x, col, s->rows, &mo, &res, c->err);
        if (st != GS_OK)
            break;
        char s1[40], s2[40], s3[40], s4[40];
        if (lost) {
            for (size_t i = 0; i < P; i++)
                fprintf(a.f, "%s,%s,,,,\n", sw->metrics[m], sw->params[i].path);
            sw_lost_summary(sum, sw->metrics[m], lost, s->rows);
            gs_sens_morris_result_free(res);
            continue;
        }
        for (size_t i = 0; i < P; i++)
            fprintf(a.f, "%s,%s,%s,%s,%s,%s\n", sw->metrics[m], sw->params[i].path,
                    sw_num(s1, sizeof s1, res->mu[i]), sw_num(s2, sizeof s2, res->mu_star[i]),
                    sw_num(s3, sizeof s3, res->sigma[i]), sw_num(s4, sizeof s4, res->mu_star_conf[i]));
        size_t ord[SW_MAX_PARAMS];
        sw_rank_desc(res->mu_star, P, ord);
        gs_strbuf_printf(sum, "\n%s: parameters by mu* (mean absolute elementary effect over the range):\n",
              sw->metrics[m]);
        for (size_t k = 0; k < P; k++) {
            size_t i = ord[k];
            gs_strbuf_printf(sum, "  %zu. %s: mu* %.4g (+/- %.2g), mu %.4g, sigma %.4g\n", k + 1,
                  sw->params[i].path, res->mu_star[i], res->mu_star_conf[i], res->mu[i],
                  res->sigma[i]);
        }
        gs_sens_morris_result_free(res);
    }
    if (st == GS_OK)
        st = gs_afile_commit(&a, c->err);
    gs_afile_abort(&a);
    gs_sens_problem_free(prob);
    gs_sens_sample_free(s);
    free(y);
    free(col);
    return st;
}

static gs_status run_sobol(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    const sw_sobol_opts *so_ = sw->opts;
    size_t M = sw->n_metrics, P = sw->n_params, W = M + c->n_extra;
    gs_sens_problem *prob = NULL;
    gs_sens_sample *s = NULL;
    double *y = NULL, *col = NULL;
    gs_afile a = {0}, b = {0};
    gs_status st = make_problem(c, &prob);
    if (st == GS_OK)
        st = gs_sens_sobol_sample(prob, so_->n, so_->second_order, (unsigned long)c->ro.seed, &s,
                                  c->err);
    if (st == GS_OK)
        st = run_design(c, s, &y);
    if (st == GS_OK) {
        col = malloc(s->rows * sizeof *col);
        if (!col)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gs_sens_sobol_opts so = gs_sens_sobol_opts_default();
    so.second_order = so_->second_order;
    so.resamples = so_->resamples;
    so.seed = (unsigned long)c->ro.seed;
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "sobol.csv", c->err);
    if (st == GS_OK)
        sw_header(a.f, "metric,name,S1,S1_conf,ST,ST_conf");
    for (size_t m = 0; m < W && st == GS_OK; m++) {
        for (size_t r = 0; r < s->rows; r++)
            col[r] = y[r * W + m];
        size_t lost = sw_placeholders(col, s->rows);
        gs_sens_sobol_result *res = NULL;
        st = gs_sens_sobol_analyze(P, col, s->rows, &so, &res, c->err);
        if (st != GS_OK)
            break;
        if (lost) {
            for (size_t i = 0; i < P; i++) {
                res->S1[i] = res->S1_conf[i] = res->ST[i] = res->ST_conf[i] = NAN;
                res->note[i] = SW_LOST_NOTE;
            }
            if (m < M) {
                for (size_t i = 0; i < P; i++)
                    fprintf(a.f, "%s,%s,,,,\n", sw->metrics[m], sw->params[i].path);
                sw_lost_summary(sum, sw->metrics[m], lost, s->rows);
                gs_sens_sobol_result_free(res);
                continue;
            }
        }
        /* The estimators divide by the variance over the A and B rows: when
         * those are all equal (a probability stuck at 0) the indices mean
         * nothing, however the other rows vary.  Say so instead. */
        size_t per = so_->second_order ? 2 * P + 2 : P + 2;
        double first = col[0];
        int flat = 1;
        for (size_t r = 0; r < s->rows && flat; r += per)
            flat = col[r] == first && col[r + per - 1] == first;
        if (flat && !lost)
            for (size_t i = 0; i < P; i++)
                res->S1[i] = res->S1_conf[i] = res->ST[i] = res->ST_conf[i] = NAN;
        char s1[40], s2[40], s3[40], s4[40];
        if (m < M && flat && !lost) {
            for (size_t i = 0; i < P; i++)
                fprintf(a.f, "%s,%s,,,,\n", sw->metrics[m], sw->params[i].path);
            gs_strbuf_printf(sum, "\n%s: %.4g at every base point of the design: no variance to share out, "
                       "no indices (use a continuous metric, e.g. a share's median).\n",
                  sw->metrics[m], first);
        } else if (m < M) {
            for (size_t i = 0; i < P; i++)
                fprintf(a.f, "%s,%s,%s,%s,%s,%s\n", sw->metrics[m], sw->params[i].path,
                        sw_num(s1, sizeof s1, res->S1[i]), sw_num(s2, sizeof s2, res->S1_conf[i]),
                        sw_num(s3, sizeof s3, res->ST[i]), sw_num(s4, sizeof s4, res->ST_conf[i]));
            /* Indices that cannot be estimated rank last and say why. */
            size_t ord[SW_MAX_PARAMS], lost = 0;
            double key[SW_MAX_PARAMS];
            for (size_t i = 0; i < P; i++)
                key[i] = isnan(res->ST[i]) ? -INFINITY : res->ST[i];
            sw_rank_desc(key, P, ord);
            double s1sum = 0;
            for (size_t i = 0; i < P; i++) {
                if (isnan(res->S1[i]))
                    lost++;
                else
                    s1sum += res->S1[i];
            }
            gs_strbuf_printf(sum, "\n%s: parameters by total index ST (first-order S1; 95 %% intervals):\n",
                  sw->metrics[m]);
            for (size_t k = 0; k < P; k++) {
                size_t i = ord[k];
                if (isnan(res->ST[i]) || isnan(res->S1[i])) {
                    char t1[64], t2[64];
                    if (isnan(res->ST[i]))
                        snprintf(t1, sizeof t1, "no estimate");
                    else
                        snprintf(t1, sizeof t1, "%.3f (+/- %.3f)", res->ST[i], res->ST_conf[i]);
                    if (isnan(res->S1[i]))
                        snprintf(t2, sizeof t2, "no estimate");
                    else
                        snprintf(t2, sizeof t2, "%.3f (+/- %.3f)", res->S1[i], res->S1_conf[i]);
                    gs_strbuf_printf(sum, "  %zu. %s: ST %s, S1 %s (%s)\n", k + 1,
                                     sw->params[i].path, t1, t2,
                                     res->note[i] ? res->note[i] : "not estimable");
                }
                else
                    gs_strbuf_printf(sum, "  %zu. %s: ST %.3f (+/- %.3f), S1 %.3f (+/- %.3f)\n",
                                     k + 1, sw->params[i].path, res->ST[i], res->ST_conf[i],
                                     res->S1[i], res->S1_conf[i]);
            }
            if (lost)
                gs_strbuf_printf(sum, "  sum of S1 over the %zu parameters with an estimate %.3f\n",
                                 P - lost, s1sum);
            else
                gs_strbuf_printf(sum, "  sum of S1 %.3f: %s\n", s1sum,
                                 s1sum > 0.9 ? "the effects are nearly additive"
                                             : "the rest comes from interactions between parameters");
        } else {
            if (!b.f) {
                st = gs_afile_open(&b, dir, "sobol_by_year.csv", c->err);
                if (st != GS_OK) {
                    gs_sens_sobol_result_free(res);
                    break;
                }
                sw_header(b.f, "year,name,S1,S1_conf,ST,ST_conf,S1_cum");
            }
            int year = c->t0 + (int)(m - M);
            /* S1_cum stacks the first-order indices (negative estimates as 0)
             * in file order, for the stacked-area chart. */
            double cum = 0;
            char s5[40];
            for (size_t i = 0; i < P; i++) {
                cum += fmax(res->S1[i], 0);
                fprintf(b.f, "%d,%s,%s,%s,%s,%s,%s\n", year, sw->params[i].path,
                        sw_num(s1, sizeof s1, res->S1[i]), sw_num(s2, sizeof s2, res->S1_conf[i]),
                        sw_num(s3, sizeof s3, res->ST[i]), sw_num(s4, sizeof s4, res->ST_conf[i]),
                        sw_num(s5, sizeof s5, cum));
            }
        }
        gs_sens_sobol_result_free(res);
    }
    if (st == GS_OK)
        st = gs_afile_commit(&a, c->err);
    if (st == GS_OK && b.f)
        st = gs_afile_commit(&b, c->err);
    gs_afile_abort(&a);
    gs_afile_abort(&b);
    gs_sens_problem_free(prob);
    gs_sens_sample_free(s);
    free(y);
    free(col);
    return st;
}

/* ---- morris ---- */

static const gs_param_def MORRIS_PARAMS[] = {
    {"sweep.r", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 10, NULL, 2, 10000,
     "Morris trajectories through the parameter space"},
    {"sweep.levels", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 4, NULL, 2, 1000,
     "levels of the Morris grid (even)"},
    {"sweep.resamples", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 500, NULL, 2, 100000,
     "bootstrap resamples of the confidence intervals"},
    GS_PARAM_END};

static void morris_init(void *opts)
{
    sw_morris_opts *o = opts;
    o->r = 10;
    o->levels = 4;
    o->resamples = 500;
}

static gs_status morris_read(const sw_rd *r, const gs_scenario *t, void *opts)
{
    sw_morris_opts *o = opts;
    o->r = sw_count(t, "sweep.r");
    o->resamples = sw_count(t, "sweep.resamples");
    size_t levels = sw_count(t, "sweep.levels");
    if (levels % 2)
        return gs_scenario_errorf(t, "sweep.levels", r->err,
                                  "levels must be even for Morris, got %zu", levels);
    o->levels = (unsigned)levels;
    return GS_OK;
}

static size_t morris_runs(const gs_sweep *sw)
{
    const sw_morris_opts *o = sw->opts;
    return gs_sens_morris_rows(o->r, sw->n_params);
}

const gs_sweep_type sw_type_morris = {
    .name = "morris",
    .opts_size = sizeof(sw_morris_opts),
    .params = MORRIS_PARAMS,
    .takes_parameters = true,
    .needs_spread = true,
    .ranges_only = true,
    .min_params = 2,
    .max_params = SW_MAX_PARAMS,
    .count_rule = "morris needs at least two parameters, got %zu",
    .init = morris_init,
    .read = morris_read,
    .runs = morris_runs,
    .run = run_morris,
    .plot = sw_plot_morris,
};

/* ---- sobol ---- */

static const gs_param_def SOBOL_PARAMS[] = {
    {"sweep.n", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 64, NULL, 2, 100000,
     "base samples of Saltelli's design"},
    {"sweep.second_order", GS_PT_BOOL, 0, "", 0, NULL, 0, 0, "also the second-order indices"},
    {"sweep.by_year", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "output variable whose indices are computed for every year (none when empty)"},
    {"sweep.by_year_stat", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "statistic of by_year: mean (the default when by_year is given), sd or pNN"},
    {"sweep.resamples", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 500, NULL, 2, 100000,
     "bootstrap resamples of the confidence intervals"},
    GS_PARAM_END};

static void sobol_init(void *opts)
{
    sw_sobol_opts *o = opts;
    o->n = 64;
    o->resamples = 500;
}

static gs_status sobol_read(const sw_rd *r, const gs_scenario *t, void *opts)
{
    sw_sobol_opts *o = opts;
    bool oom = false;
    o->n = sw_count(t, "sweep.n");
    o->resamples = sw_count(t, "sweep.resamples");
    o->second_order = gs_scenario_get(t, "sweep.second_order")->boolean != 0;
    o->by_year = sw_strdup(t, "sweep.by_year", &oom);
    o->by_year_stat = sw_strdup(t, "sweep.by_year_stat", &oom);
    if (oom)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (o->by_year_stat && !o->by_year)
        return gs_scenario_errorf(t, "sweep.by_year_stat", r->err, "by_year_stat needs by_year");
    if (o->by_year && !o->by_year_stat) {
        o->by_year_stat = gs_strdup("mean");
        if (!o->by_year_stat)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    return GS_OK;
}

static const char *sobol_by_year(const gs_sweep *sw, const char **stat)
{
    const sw_sobol_opts *o = sw->opts;
    *stat = o->by_year_stat;
    return o->by_year;
}

static size_t sobol_runs(const gs_sweep *sw)
{
    const sw_sobol_opts *o = sw->opts;
    return gs_sens_sobol_rows(o->n, sw->n_params, o->second_order);
}

static void sobol_free(void *opts)
{
    sw_sobol_opts *o = opts;
    free(o->by_year);
    free(o->by_year_stat);
}

const gs_sweep_type sw_type_sobol = {
    .name = "sobol",
    .opts_size = sizeof(sw_sobol_opts),
    .params = SOBOL_PARAMS,
    .takes_parameters = true,
    .needs_spread = true,
    .ranges_only = true,
    .min_params = 2,
    .max_params = SW_MAX_PARAMS,
    .count_rule = "sobol needs at least two parameters, got %zu",
    .init = sobol_init,
    .read = sobol_read,
    .by_year = sobol_by_year,
    .runs = sobol_runs,
    .run = run_sobol,
    .plot = sw_plot_sobol,
    .free = sobol_free,
};

/* ---- fast, rbd_fast, delta, pawn: one table of indices per metric ---- */

/* How one of these methods makes its design and reads its indices. */
typedef struct {
    const char *file;    /* <file>.csv and the chart's name */
    const char *what;    /* the summary's and chart's words */
    const char *rank;    /* the column the summary ranks by */
    const char *conf;    /* its interval's column */
    gs_status (*sample)(const sw_index_opts *o, const gs_sens_problem *p, unsigned long seed,
                        gs_sens_sample **s, gs_error *e);
    gs_status (*analyze)(const sw_index_opts *o, const gs_sens_problem *p,
                         const gs_sens_sample *s, const double *y, gs_sens_index **r,
                         gs_error *e);
} index_method;

static gs_status run_index(sw_ctx *c, const char *dir, gs_strbuf *sum, const index_method *im)
{
    const gs_sweep *sw = c->sw;
    /* The bootstrap draws from the run's seed, as Morris' and Sobol' do. */
    sw_index_opts oc = *(const sw_index_opts *)sw->opts;
    oc.seed = (unsigned long)c->ro.seed;
    const sw_index_opts *o = &oc;
    size_t M = sw->n_metrics, P = sw->n_params;
    gs_sens_problem *prob = NULL;
    gs_sens_sample *s = NULL;
    double *y = NULL, *col = NULL;
    gs_afile a = {0};
    char file[64];
    snprintf(file, sizeof file, "%s.csv", im->file);
    gs_status st = make_problem(c, &prob);
    if (st == GS_OK)
        st = im->sample(o, prob, (unsigned long)c->ro.seed, &s, c->err);
    if (st == GS_OK)
        st = run_design(c, s, &y);
    if (st == GS_OK) {
        col = malloc(s->rows * sizeof *col);
        if (!col)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, file, c->err);
    for (size_t m = 0; m < M && st == GS_OK; m++) {
        for (size_t r = 0; r < s->rows; r++)
            col[r] = y[r * M + m];
        size_t lost = sw_placeholders(col, s->rows);
        gs_sens_index *res = NULL;
        st = im->analyze(o, prob, s, col, &res, c->err);
        if (st != GS_OK)
            break;
        for (size_t i = 0; lost && i < P; i++) {
            for (size_t k = 0; k < res->ncol; k++)
                res->v[i * res->ncol + k] = NAN;
            res->note[i] = SW_LOST_NOTE;
        }
        if (m == 0) {
            fputs("metric,name", a.f);
            for (size_t k = 0; k < res->ncol; k++)
                fprintf(a.f, ",%s", res->cols[k]);
            fputs(",note\n", a.f);
        }
        size_t ci = 0, ei = 0;
        for (size_t k = 0; k < res->ncol; k++) {
            if (strcmp(res->cols[k], im->rank) == 0)
                ci = k;
            if (strcmp(res->cols[k], im->conf) == 0)
                ei = k;
        }
        char s1[40];
        double rankv[SW_MAX_PARAMS];
        for (size_t i = 0; i < P; i++) {
            fprintf(a.f, "%s,%s", sw->metrics[m], sw->params[i].path);
            for (size_t k = 0; k < res->ncol; k++)
                fprintf(a.f, ",%s", sw_num(s1, sizeof s1, res->v[i * res->ncol + k]));
            fprintf(a.f, ",%s\n", res->note[i] ? res->note[i] : "");
            double v = res->v[i * res->ncol + ci];
            rankv[i] = isnan(v) ? -INFINITY : v;
        }
        size_t ord[SW_MAX_PARAMS];
        sw_rank_desc(rankv, P, ord);
        if (lost) {
            sw_lost_summary(sum, sw->metrics[m], lost, s->rows);
            gs_sens_index_free(res);
            continue;
        }
        gs_strbuf_printf(sum, "\n%s: parameters by %s (%s; 95 %% intervals):\n", sw->metrics[m],
                         im->rank, im->what);
        for (size_t k = 0; k < P; k++) {
            size_t i = ord[k];
            double v = res->v[i * res->ncol + ci], e = res->v[i * res->ncol + ei];
            if (isnan(v))
                gs_strbuf_printf(sum, "  %zu. %s: no estimate (%s)\n", k + 1, sw->params[i].path,
                                 res->note[i] ? res->note[i] : "not estimable");
            else if (isnan(e))
                gs_strbuf_printf(sum, "  %zu. %s: %s %.3f (no interval: %s)\n", k + 1,
                                 sw->params[i].path, im->rank, v,
                                 res->note[i] ? res->note[i] : "not estimable");
            else
                gs_strbuf_printf(sum, "  %zu. %s: %s %.3f (+/- %.3f)\n", k + 1,
                                 sw->params[i].path, im->rank, v, e);
        }
        gs_sens_index_free(res);
    }
    if (st == GS_OK)
        st = gs_afile_commit(&a, c->err);
    gs_afile_abort(&a);
    gs_sens_problem_free(prob);
    gs_sens_sample_free(s);
    free(y);
    free(col);
    return st;
}

static gs_sens_boot_opts boot_of(const sw_index_opts *o, unsigned long seed)
{
    gs_sens_boot_opts b = gs_sens_boot_opts_default();
    b.resamples = o->resamples;
    b.seed = seed;
    return b;
}

static gs_status latin(const sw_index_opts *o, const gs_sens_problem *p, unsigned long seed,
                       gs_sens_sample **s, gs_error *e)
{
    return gs_sens_latin_sample(p, o->n, seed, s, e);
}

/* R eFAST designs stacked, replicate q with phases from seed + q. */
static gs_status fast_design(const sw_index_opts *o, const gs_sens_problem *p,
                             unsigned long seed, gs_sens_sample **s, gs_error *e)
{
    gs_sens_sample *all = NULL;
    for (size_t q = 0; q < o->replicates; q++) {
        gs_sens_sample *one = NULL;
        gs_status st = gs_sens_fast_sample(p, o->n, o->harmonics, seed + q, &one, e);
        if (st != GS_OK) {
            gs_sens_sample_free(all);
            return st;
        }
        if (!all) {
            all = one;
            double *x = realloc(all->x, o->replicates * one->rows * one->k * sizeof *x);
            if (!x) {
                gs_sens_sample_free(all);
                return gs_error_set(e, GS_ENOMEM, NULL, 0, "out of memory");
            }
            all->x = x;
            continue;
        }
        memcpy(all->x + all->rows * all->k, one->x, one->rows * one->k * sizeof *one->x);
        all->rows += one->rows;
        gs_sens_sample_free(one);
    }
    *s = all;
    return GS_OK;
}

static gs_status fast_an(const sw_index_opts *o, const gs_sens_problem *p, const gs_sens_sample *s,
                         const double *y, gs_sens_index **r, gs_error *e)
{
    return gs_sens_fast_analyze(p->k, y, s->rows, o->harmonics, o->replicates, 0.95, r, e);
}

static gs_status rbd_an(const sw_index_opts *o, const gs_sens_problem *p, const gs_sens_sample *s,
                        const double *y, gs_sens_index **r, gs_error *e)
{
    gs_sens_boot_opts b = boot_of(o, o->seed);
    return gs_sens_rbd_fast_analyze(p->k, s->x, y, s->rows, o->harmonics, &b, r, e);
}

static gs_status delta_an(const sw_index_opts *o, const gs_sens_problem *p,
                          const gs_sens_sample *s, const double *y, gs_sens_index **r,
                          gs_error *e)
{
    gs_sens_boot_opts b = boot_of(o, o->seed);
    return gs_sens_delta_analyze(p->k, s->x, y, s->rows, &b, r, e);
}

static gs_status pawn_an(const sw_index_opts *o, const gs_sens_problem *p, const gs_sens_sample *s,
                         const double *y, gs_sens_index **r, gs_error *e)
{
    gs_sens_boot_opts b = boot_of(o, o->seed);
    return gs_sens_pawn_analyze(p, s->x, y, s->rows, o->slides, &b, r, e);
}

static const index_method FAST = {"fast", "eFAST first-order S1, total ST", "S1", "S1_conf",
                                  fast_design, fast_an};
static const index_method RBD = {"rbd_fast", "RBD-FAST first-order S1", "S1", "S1_conf", latin,
                                 rbd_an};
static const index_method DELTA = {"delta", "moment-independent delta, first-order S1", "delta",
                                   "delta_conf", latin, delta_an};
static const index_method PAWN = {"pawn", "PAWN: median KS distance over the slides", "median",
                                  "median_conf", latin, pawn_an};

static gs_status run_fast(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    return run_index(c, dir, sum, &FAST);
}
static gs_status run_rbd(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    return run_index(c, dir, sum, &RBD);
}
static gs_status run_delta(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    return run_index(c, dir, sum, &DELTA);
}
static gs_status run_pawn(sw_ctx *c, const char *dir, gs_strbuf *sum)
{
    return run_index(c, dir, sum, &PAWN);
}

/* Keys: n (rows, or points per curve for fast), harmonics, replicates,
 * slides, resamples; each method takes those it uses. */
#define SW_COUNT(PATH, DEF, LO, HI, DOC) \
    {PATH, GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", DEF, NULL, LO, HI, DOC}
#define SW_RESAMPLES SW_COUNT("sweep.resamples", 100, 2, 100000, "bootstrap resamples of the confidence intervals")
#define SW_HARMONICS(DEF) SW_COUNT("sweep.harmonics", DEF, 1, 100, "harmonics M of the Fourier estimate")
#define SW_N(DEF, DOC) SW_COUNT("sweep.n", DEF, 10, 100000, DOC)
static const gs_param_def FAST_PARAMS[] = {
    SW_N(129, "points per search curve"), SW_HARMONICS(4),
    SW_COUNT("sweep.replicates", 3, 1, 100, "designs, each with its own random phases"),
    GS_PARAM_END};
static const gs_param_def RBD_PARAMS[] = {SW_N(256, "rows of the Latin hypercube sample"),
                                          SW_HARMONICS(10), SW_RESAMPLES, GS_PARAM_END};
static const gs_param_def DELTA_PARAMS[] = {SW_N(256, "rows of the Latin hypercube sample"),
                                            SW_RESAMPLES, GS_PARAM_END};
static const gs_param_def PAWN_PARAMS[] = {
    SW_N(256, "rows of the Latin hypercube sample"),
    SW_COUNT("sweep.slides", 10, 2, 1000, "conditioning slices of each parameter's range"),
    SW_RESAMPLES, GS_PARAM_END};

static void fast_init(void *opts)
{
    sw_index_opts *o = opts;
    o->n = 129;
    o->harmonics = 4;
    o->replicates = 3;
    o->resamples = 100;
    o->slides = 10;
}

static void given_init(void *opts)
{
    fast_init(opts);
    sw_index_opts *o = opts;
    o->n = 256;
    o->harmonics = 10;
}

/* The keys of the method's table; the others keep their init defaults. */
static gs_status index_read(const sw_rd *r, const gs_scenario *t, void *opts)
{
    sw_index_opts *o = opts;
    (void)r;
    if (gs_scenario_get(t, "sweep.n"))
        o->n = sw_count(t, "sweep.n");
    if (gs_scenario_get(t, "sweep.replicates"))
        o->replicates = sw_count(t, "sweep.replicates");
    if (gs_scenario_get(t, "sweep.slides"))
        o->slides = sw_count(t, "sweep.slides");
    if (gs_scenario_get(t, "sweep.resamples"))
        o->resamples = sw_count(t, "sweep.resamples");
    if (gs_scenario_get(t, "sweep.harmonics"))
        o->harmonics = (unsigned)sw_count(t, "sweep.harmonics");
    return GS_OK;
}

static gs_status fast_finish(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    const sw_index_opts *o = sw->opts;
    if (o->n <= 4 * (size_t)o->harmonics * o->harmonics)
        return gs_scenario_errorf(t, "sweep.n", r->err,
                                  "fast: n = %zu points per curve, but %u harmonics need more "
                                  "than %zu",
                                  o->n, o->harmonics, 4 * (size_t)o->harmonics * o->harmonics);
    return GS_OK;
}

static gs_status given_finish(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    const sw_index_opts *o = sw->opts;
    if (strcmp(sw->type->name, "pawn") == 0 && o->n < 2 * o->slides)
        return gs_scenario_errorf(t, "sweep.n", r->err,
                                  "pawn: n = %zu rows are too few for %zu slides", o->n,
                                  o->slides);
    if (strcmp(sw->type->name, "rbd_fast") == 0 && o->n / 2 <= 2 * (size_t)o->harmonics)
        return gs_scenario_errorf(t, "sweep.n", r->err,
                                  "rbd_fast: n = %zu rows are too few for %u harmonics (more "
                                  "than %zu)",
                                  o->n, o->harmonics, 4 * (size_t)o->harmonics + 1);
    return GS_OK;
}

static size_t fast_runs(const gs_sweep *sw)
{
    const sw_index_opts *o = sw->opts;
    return o->n * sw->n_params * o->replicates;
}

static size_t given_runs(const gs_sweep *sw)
{
    const sw_index_opts *o = sw->opts;
    return o->n;
}

#define INDEX_TYPE(NAME, KEYS, INIT, FINISH, RUNS, RUN)                                      \
    {                                                                                        \
        .name = NAME, .opts_size = sizeof(sw_index_opts), .params = KEYS,                    \
        .takes_parameters = true, .needs_spread = true, .ranges_only = true,                 \
        .min_params = 2, .max_params = SW_MAX_PARAMS,                                        \
        .count_rule = NAME " needs at least two parameters, got %zu", .init = INIT,          \
        .read = index_read, .finish = FINISH, .runs = RUNS, .run = RUN,                      \
        .plot = sw_plot_index,                                                               \
    }

const gs_sweep_type sw_type_fast = INDEX_TYPE("fast", FAST_PARAMS, fast_init, fast_finish,
                                              fast_runs, run_fast);
const gs_sweep_type sw_type_rbd_fast = INDEX_TYPE("rbd_fast", RBD_PARAMS, given_init,
                                                  given_finish, given_runs, run_rbd);
const gs_sweep_type sw_type_delta = INDEX_TYPE("delta", DELTA_PARAMS, given_init, given_finish,
                                               given_runs, run_delta);
const gs_sweep_type sw_type_pawn = INDEX_TYPE("pawn", PAWN_PARAMS, given_init, given_finish,
                                              given_runs, run_pawn);
