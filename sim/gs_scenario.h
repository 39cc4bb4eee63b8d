/* gs_scenario.h: the config layer.
 *
 * A scenario is a libconfig file.  It may start from another one with
 *   inherit = "baseline.cfg";      (relative to the including file)
 * and then gives only what differs: a key found in the more derived file wins,
 * and the items of a collection (funds, segments, controls) are the union of
 * all files' items.  Command-line overrides (`--set PATH=VALUE`) are the most
 * derived layer.  Every key is checked against the parameter tables
 * (gs_param.h): unknown keys, wrong types and values out of range are errors
 * that carry the file and line of the offending setting.
 *
 * Nothing outside this layer reads a config value: models and writers ask the
 * resolved scenario.
 */
#ifndef GS_SCENARIO_H
#define GS_SCENARIO_H

#include <stddef.h>

#include "gapsim.h"
#include "gs_dist.h"
#include "gs_util.h" /* gs_nearest, used with scenario paths */

typedef struct gs_pval gs_pval;
struct gs_pval {
    const gs_param_def *def;
    char *path;          /* expanded path, e.g. "funds.fund2.size" */
    char *file;          /* where it was set; NULL for a default */
    int line;            /* 0 for a default or a --set value */
    int layer;           /* 0 for the most derived layer (--set, then the file named on the
                          * command line, then what it inherits); -1 for a default */
    gs_dist dist;        /* GS_PT_NUMBER (constants are GS_DIST_CONSTANT) */
    char *str;           /* GS_PT_STRING */
    int boolean;         /* GS_PT_BOOL */
    double *arr;         /* GS_PT_NUMBER_ARRAY */
    char **sarr;         /* GS_PT_STRING_ARRAY */
    size_t n_arr;        /* elements of arr or sarr */
    long dim;            /* index among the sampled dimensions, -1 when constant */
};

/* Loading, the constant and string values, items and located errors are
 * declared in gapsim.h. */
/* What gs_scenario_load(tables, FILE, SETS0 + sets) gives, where base was
 * loaded as gs_scenario_load(tables, FILE, SETS0): the same values, errors
 * and layers, without reading FILE and what it inherits again.  base must
 * outlive the result (its layers are shared). */
gs_status gs_scenario_bind(const gs_param_def *const *tables, const gs_scenario *base,
                           const char *const *sets, size_t n_sets, gs_scenario **out,
                           gs_error *err);
size_t gs_scenario_count(const gs_scenario *s);
const gs_pval *gs_scenario_at(const gs_scenario *s, size_t i);
const gs_pval *gs_scenario_get(const gs_scenario *s, const char *path); /* NULL when unknown */
/* printf-style path, for item parameters: gs_scenario_getf(s, "segments.%s.weight", name). */
const gs_pval *gs_scenario_getf(const gs_scenario *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sampling support.  Parameters given as distributions are the sampled
 * dimensions, numbered in table order. */
size_t gs_scenario_ndims(const gs_scenario *s);
size_t gs_scenario_dim_param(const gs_scenario *s, size_t dim); /* index of its gs_pval */
/* The copula of the rank correlations, or NULL; dims[k] is the sampled
 * dimension of the copula's k-th variable. */
const gs_copula *gs_scenario_copula(const gs_scenario *s, const size_t **dims);
/* theta has gs_scenario_count() entries: every number parameter's constant
 * value (medians for sampled ones, which the sampler overwrites). */
void gs_scenario_fill_constants(const gs_scenario *s, double *theta);
/* Value of parameter i at probability u: quantile, rounded for whole-number
 * parameters, clamped to the parameter's range (which the distribution's
 * support already lies in but for tails below 1e-9). */
double gs_scenario_draw(const gs_scenario *s, size_t i, double u);

/* parameters_from = "FILE";: a CSV table of joint parameter draws (the
 * posterior.csv of gapsim calibrate: a "weight" column and one column per
 * parameter path, each a parameter the scenario gives as a distribution),
 * found as an inherited file is.  Each trajectory takes one row, drawn with
 * probability proportional to its weight from the trajectory's block's own
 * stream (gs_engine.h), so the columns keep their joint distribution and a
 * run its bytes for any thread count.  Bad files are GS_EINPUT at the
 * file's line (calib_rows.c). */
typedef struct gs_param_rows gs_param_rows;
/* NULL when the scenario names no file. */
const gs_param_rows *gs_scenario_rows(const gs_scenario *s);
gs_status gs_param_rows_load(const gs_scenario *s, gs_param_rows **out, gs_error *err);
void gs_param_rows_free(gs_param_rows *r);
/* A row index, drawn by weight. */
size_t gs_param_rows_pick(const gs_param_rows *r, gsl_rng *rng);
/* Writes row's values into theta (indexed as gs_scenario_index). */
void gs_param_rows_apply(const gs_param_rows *r, size_t row, double *theta);
const char *gs_param_rows_file(const gs_param_rows *r); /* as found */
size_t gs_param_rows_n(const gs_param_rows *r);
size_t gs_param_rows_cols(const gs_param_rows *r);
const char *gs_param_rows_path(const gs_param_rows *r, size_t c);
double gs_param_rows_value(const gs_param_rows *r, size_t row, size_t c);
double gs_param_rows_weight(const gs_param_rows *r, size_t row); /* normalised */

/* The resolved scenario as libconfig text (every parameter, defaults
 * included), loadable by gs_scenario_load.  malloc'd. */
char *gs_scenario_resolved_text(const gs_scenario *s);

#endif
