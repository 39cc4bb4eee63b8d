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
    double *x = malloc(P * sizeof *x);
    gs_status st = (!y || !x) ? gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory") : GS_OK;
    c->total = s->rows;
    for (size_t r = 0; r < s->rows && st == GS_OK; r++) {
        for (size_t i = 0; i < P; i++)
            x[i] = factor_value(c, i, s->x[r * s->k + i]);
        st = sw_eval(c, x, c->ro.seed, &y[r * W]);
    }
    free(x);
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
        gs_sens_morris_result *res = NULL;
        st = gs_sens_morris_analyze(prob, s->x, col, s->rows, &mo, &res, c->err);
        if (st != GS_OK)
            break;
        char s1[40], s2[40], s3[40], s4[40];
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
        gs_sens_sobol_result *res = NULL;
        st = gs_sens_sobol_analyze(P, col, s->rows, &so, &res, c->err);
        if (st != GS_OK)
            break;
        /* The estimators divide by the variance over the A and B rows: when
         * those are all equal (a probability stuck at 0) the indices mean
         * nothing, however the other rows vary.  Say so instead. */
        size_t per = so_->second_order ? 2 * P + 2 : P + 2;
        double first = col[0];
        int flat = 1;
        for (size_t r = 0; r < s->rows && flat; r += per)
            flat = col[r] == first && col[r + per - 1] == first;
        if (flat)
            for (size_t i = 0; i < P; i++)
                res->S1[i] = res->S1_conf[i] = res->ST[i] = res->ST_conf[i] = NAN;
        char s1[40], s2[40], s3[40], s4[40];
        if (m < M && flat) {
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
            size_t ord[SW_MAX_PARAMS];
            sw_rank_desc(res->ST, P, ord);
            double s1sum = 0;
            for (size_t i = 0; i < P; i++)
                s1sum += res->S1[i];
            gs_strbuf_printf(sum, "\n%s: parameters by total index ST (first-order S1; 95 %% intervals):\n",
                  sw->metrics[m]);
            for (size_t k = 0; k < P; k++) {
                size_t i = ord[k];
                gs_strbuf_printf(sum, "  %zu. %s: ST %.3f (+/- %.3f), S1 %.3f (+/- %.3f)\n", k + 1,
                      sw->params[i].path, res->ST[i], res->ST_conf[i], res->S1[i],
                      res->S1_conf[i]);
            }
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

static const char *const MORRIS_KEYS[] = {"levels", "r", "resamples", NULL};

static void morris_init(void *opts)
{
    sw_morris_opts *o = opts;
    o->r = 10;
    o->levels = 4;
    o->resamples = 500;
}

static gs_status morris_read(const sw_rd *r, const config_setting_t *s, const char *k,
                             void *opts)
{
    sw_morris_opts *o = opts;
    if (strcmp(k, "r") == 0)
        return sw_get_count(r, s, k, 2, 10000, &o->r);
    if (strcmp(k, "resamples") == 0)
        return sw_get_count(r, s, k, 2, 100000, &o->resamples);
    size_t levels;
    gs_status st = sw_get_count(r, s, k, 2, 1000, &levels);
    if (st)
        return st;
    if (levels % 2)
        return sw_at(r, s, "levels must be even for Morris, got %zu", levels);
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
    .keys = MORRIS_KEYS,
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

static const char *const SOBOL_KEYS[] = {"n", "second_order", "by_year", "by_year_stat",
                                         "resamples", NULL};

static void sobol_init(void *opts)
{
    sw_sobol_opts *o = opts;
    o->n = 64;
    o->resamples = 500;
}

static gs_status sobol_read(const sw_rd *r, const config_setting_t *s, const char *k,
                            void *opts)
{
    sw_sobol_opts *o = opts;
    if (strcmp(k, "n") == 0)
        return sw_get_count(r, s, k, 2, 100000, &o->n);
    if (strcmp(k, "second_order") == 0)
        return sw_get_bool(r, s, k, &o->second_order);
    if (strcmp(k, "by_year") == 0)
        return sw_get_str(r, s, k, &o->by_year);
    if (strcmp(k, "by_year_stat") == 0)
        return sw_get_str(r, s, k, &o->by_year_stat);
    return sw_get_count(r, s, k, 2, 100000, &o->resamples);
}

static gs_status sobol_finish(const sw_rd *r, const config_setting_t *g, gs_sweep *sw)
{
    sw_sobol_opts *o = sw->opts;
    if (o->by_year_stat && !o->by_year)
        return sw_at(r, g, "by_year_stat needs by_year");
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
    .keys = SOBOL_KEYS,
    .takes_parameters = true,
    .needs_spread = true,
    .ranges_only = true,
    .min_params = 2,
    .max_params = SW_MAX_PARAMS,
    .count_rule = "sobol needs at least two parameters, got %zu",
    .init = sobol_init,
    .read = sobol_read,
    .finish = sobol_finish,
    .by_year = sobol_by_year,
    .runs = sobol_runs,
    .run = run_sobol,
    .plot = sw_plot_sobol,
    .free = sobol_free,
};

