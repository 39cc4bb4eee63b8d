/* calib_rows.c: `parameters_from = "FILE";`, a table of joint parameter
 * draws (the posterior.csv of gapsim calibrate) that trajectories take rows
 * of (gs_scenario.h).
 *
 * The file is read with the library's CSV reader: a "weight" column and one
 * column per parameter path.  Each trajectory takes one whole row, drawn
 * with probability proportional to its weight by GSL's Walker alias table
 * (gsl_ran_discrete), so the joint distribution of the columns, their
 * correlations included, is the file's.  Every parameter a column names
 * must be one the scenario gives as a distribution: that is what makes it a
 * per-trajectory value every model reads from theta, and the distribution
 * stays in the scenario as the prior the draws were made under. */
#include "gs_scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "gs_csv.h"
#include "gs_scenario_path.h"
#include "gs_util.h"

struct gs_param_rows {
    char file[4096];
    size_t n_rows, n_cols;
    size_t *param;   /* gs_scenario_index of each column */
    char **path;     /* each column's parameter path */
    double *val;     /* n_rows x n_cols, row-major */
    double *weight;  /* n_rows, normalised to sum 1 */
    gsl_ran_discrete_t *table;
};

void gs_param_rows_free(gs_param_rows *r)
{
    if (!r)
        return;
    for (size_t c = 0; c < r->n_cols; c++)
        free(r->path[c]);
    free(r->path);
    free(r->param);
    free(r->val);
    free(r->weight);
    if (r->table)
        gsl_ran_discrete_free(r->table);
    free(r);
}

size_t gs_param_rows_pick(const gs_param_rows *r, gsl_rng *rng)
{
    return gsl_ran_discrete(rng, r->table);
}

void gs_param_rows_apply(const gs_param_rows *r, size_t row, double *theta)
{
    for (size_t c = 0; c < r->n_cols; c++)
        theta[r->param[c]] = r->val[row * r->n_cols + c];
}

const char *gs_param_rows_file(const gs_param_rows *r) { return r->file; }
size_t gs_param_rows_n(const gs_param_rows *r) { return r->n_rows; }
size_t gs_param_rows_cols(const gs_param_rows *r) { return r->n_cols; }
const char *gs_param_rows_path(const gs_param_rows *r, size_t c) { return r->path[c]; }
double gs_param_rows_value(const gs_param_rows *r, size_t row, size_t c)
{
    return r->val[row * r->n_cols + c];
}
double gs_param_rows_weight(const gs_param_rows *r, size_t row) { return r->weight[row]; }

/* A whole field as a finite number. */
static int field_num(const char *s, double *v)
{
    if (!s[0] || isspace((unsigned char)s[0]))
        return -1;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end || errno == ERANGE || !isfinite(*v) ? -1 : 0;
}

/* Every number parameter's path, for the typo suggestion. */
static const char *nearest_param(const gs_scenario *s, const char *word)
{
    size_t n = gs_scenario_count(s), k = 0;
    const char **c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (gs_scenario_at(s, i)->def->type == GS_PT_NUMBER)
            c[k++] = gs_scenario_at(s, i)->path;
    const char *near = gs_nearest(word, c, k);
    free(c);
    return near;
}

static gs_status read_table(const gs_scenario *s, gs_param_rows *r, const gs_csv *t,
                            gs_error *err)
{
    const char *F = r->file;
    long wcol = gs_csv_col(t, "weight");
    if (wcol < 0)
        return gs_error_set(err, GS_EINPUT, F, 1,
                            "no column \"weight\" in the header (parameters_from needs one "
                            "weight per row)");
    if (t->nhead < 2)
        return gs_error_set(err, GS_EINPUT, F, 1, "no parameter column beside \"weight\"");
    r->n_cols = t->nhead - 1;
    r->param = calloc(r->n_cols, sizeof *r->param);
    r->path = calloc(r->n_cols, sizeof *r->path);
    if (!r->param || !r->path)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    long *colof = calloc(r->n_cols, sizeof *colof);
    if (!colof)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_status st = GS_OK;
    size_t c = 0;
    for (size_t h = 0; h < t->nhead && st == GS_OK; h++) {
        if ((long)h == wcol)
            continue;
        const char *name = t->head[h];
        for (size_t k = 0; k < h; k++)
            if (strcmp(t->head[k], name) == 0) {
                st = gs_error_set(err, GS_EINPUT, F, 1, "column \"%s\" is given twice", name);
                break;
            }
        if (st != GS_OK)
            break;
        const gs_pval *v = gs_scenario_get(s, name);
        if (!v || v->def->type != GS_PT_NUMBER) {
            const char *near = nearest_param(s, name);
            st = near ? gs_error_set(err, GS_EINPUT, F, 1,
                                     "column \"%s\" is no number parameter of %s (did you mean "
                                     "\"%s\"?)",
                                     name, gs_scenario_file(s), near)
                      : gs_error_set(err, GS_EINPUT, F, 1,
                                     "column \"%s\" is no number parameter of %s (see `gapsim "
                                     "params`)",
                                     name, gs_scenario_file(s));
            break;
        }
        if (v->dim < 0) {
            st = gs_error_set(err, GS_EINPUT, F, 1,
                              "column \"%s\": %s gives it as a constant; give it a distribution "
                              "(the prior the rows were drawn under) to take it from this file",
                              name, gs_scenario_file(s));
            break;
        }
        r->param[c] = (size_t)gs_scenario_index(s, name);
        if (!(r->path[c] = gs_strdup(name)))
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        colof[c++] = (long)h;
    }
    if (st == GS_OK && t->nrows == 0)
        st = gs_error_set(err, GS_EINPUT, F, 1, "no rows under the header");
    if (st == GS_OK) {
        r->n_rows = t->nrows;
        r->val = malloc(r->n_rows * r->n_cols * sizeof *r->val);
        r->weight = malloc(r->n_rows * sizeof *r->weight);
        if (!r->val || !r->weight)
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    double sum = 0;
    for (size_t i = 0; i < r->n_rows && st == GS_OK; i++) {
        const gs_csv_row *R = &t->rows[i];
        int L = (int)R->line;
        if (R->n != t->nhead) {
            st = gs_error_set(err, GS_EINPUT, F, L, "%zu fields, the header has %zu", R->n,
                              t->nhead);
            break;
        }
        double w;
        if (field_num(R->f[wcol], &w) || w < 0) {
            st = gs_error_set(err, GS_EINPUT, F, L,
                              "weight \"%s\": expected a finite number >= 0", R->f[wcol]);
            break;
        }
        r->weight[i] = w;
        sum += w;
        for (size_t k = 0; k < r->n_cols; k++) {
            const gs_pval *v = gs_scenario_at(s, r->param[k]);
            double x;
            if (field_num(R->f[colof[k]], &x)) {
                st = gs_error_set(err, GS_EINPUT, F, L, "%s: \"%s\" is not a finite number",
                                  r->path[k], R->f[colof[k]]);
                break;
            }
            if (x < v->def->lo || x > v->def->hi) {
                st = gs_error_set(err, GS_EINPUT, F, L,
                                  "%s: %.10g is outside its range [%.10g, %.10g]", r->path[k], x,
                                  v->def->lo, v->def->hi);
                break;
            }
            if ((v->def->flags & GS_PF_INT) && x != floor(x)) {
                st = gs_error_set(err, GS_EINPUT, F, L, "%s: %.10g is not a whole number",
                                  r->path[k], x);
                break;
            }
            r->val[i * r->n_cols + k] = x;
        }
    }
    free(colof);
    if (st != GS_OK)
        return st;
    if (!(sum > 0) || !isfinite(sum))
        return gs_error_set(err, GS_EINPUT, F, 2, "the weights sum to %g: nothing to draw", sum);
    for (size_t i = 0; i < r->n_rows; i++)
        r->weight[i] /= sum;
    if (!(r->table = gsl_ran_discrete_preproc(r->n_rows, r->weight)))
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    return GS_OK;
}

gs_status gs_param_rows_load(const gs_scenario *s, gs_param_rows **out, gs_error *err)
{
    *out = NULL;
    const gs_pval *v = gs_scenario_get(s, "parameters_from");
    if (!v || !v->str || !v->str[0])
        return GS_OK;
    char *looked = NULL;
    char *path = gs_scenario_find_inherit(v->file ? v->file : "", v->str, &looked);
    if (!path) {
        gs_status rc = gs_scenario_errorf(s, "parameters_from", err,
                                          "parameters_from: cannot find \"%s\": looked in %s",
                                          v->str, looked ? looked : "(out of memory)");
        free(looked);
        return rc;
    }
    free(looked);
    gs_param_rows *r = calloc(1, sizeof *r);
    if (!r) {
        free(path);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    snprintf(r->file, sizeof r->file, "%s", path);
    free(path);
    gs_csv t;
    gs_status st = gs_csv_read(&t, r->file, err);
    if (st == GS_OK) {
        st = read_table(s, r, &t, err);
        gs_csv_free(&t);
    }
    if (st != GS_OK) {
        gs_param_rows_free(r);
        return st;
    }
    *out = r;
    return GS_OK;
}
