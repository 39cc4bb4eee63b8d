/* sweep.c: sensitivity of a scenario to its own parameters (gs_sweep.h). */
#include "gs_sweep.h"

#include "gs_util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_statistics_double.h>
#include <libconfig.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_model.h"
#include "gs_output.h"
#include "gs_scenario.h"
#include "gs_sens.h"

#define MAX_METRICS 64
#define MAX_PARAMS GS_SENS_SOBOL_MAX_PARAMS
#define MAX_VALUES 1000
#define MAX_RUNS 200000

/* ------------------------------------------------------------------ */
/* small helpers                                                        */


/* A number in a CSV cell or a sentence: %.10g, "" for NaN. */
static const char *num(char *s, size_t n, double v)
{
    if (isnan(v))
        s[0] = '\0';
    else
        snprintf(s, n, "%.10g", v);
    return s;
}

static const char *const METHOD_NAMES[] = {"oat", "grid", "morris", "sobol", "goal"};

const char *gs_sweep_method_name(gs_sweep_method m)
{
    return (unsigned)m < 5 ? METHOD_NAMES[m] : "?";
}

void gs_sweep_free(gs_sweep *s)
{
    if (!s)
        return;
    free(s->file);
    free(s->name);
    free(s->base);
    for (size_t i = 0; i < s->n_metrics; i++)
        free(s->metrics[i]);
    free(s->metrics);
    for (size_t i = 0; i < s->n_sets; i++)
        free(s->sets[i]);
    free(s->sets);
    for (size_t i = 0; i < s->n_params; i++) {
        free(s->params[i].path);
        free(s->params[i].values);
    }
    free(s->params);
    free(s->by_year);
    free(s->by_year_stat);
    free(s->goal_metric);
    free(s);
}

void gs_sweep_opts_default(gs_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 1;
}

/* ------------------------------------------------------------------ */
/* reading a sweep file                                                 */

typedef struct {
    const char *file;
    gs_error *err;
} rd;

static gs_status at(const rd *r, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static gs_status at(const rd *r, const config_setting_t *s, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gs_error_set(r->err, GS_ECONFIG, r->file, s ? config_setting_source_line(s) : 0, "%s",
                        msg);
}

static int is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static gs_status get_num(const rd *r, const config_setting_t *s, const char *key, double *out)
{
    if (!is_number(s))
        return at(r, s, "%s must be a number", key);
    *out = config_setting_get_float(s);
    if (config_setting_type(s) != CONFIG_TYPE_FLOAT)
        *out = (double)config_setting_get_int64(s);
    if (!isfinite(*out))
        return at(r, s, "%s must be finite", key);
    return GS_OK;
}

static gs_status get_count(const rd *r, const config_setting_t *s, const char *key, double lo,
                           double hi, size_t *out)
{
    double v = NAN;
    gs_status st = get_num(r, s, key, &v);
    if (st)
        return st;
    if (v != floor(v) || v < lo || v > hi)
        return at(r, s, "%s must be a whole number from %.0f to %.0f, got %.10g", key, lo, hi, v);
    *out = (size_t)v;
    return GS_OK;
}

static gs_status get_str(const rd *r, const config_setting_t *s, const char *key,
                         char **out)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return at(r, s, "%s must be a string", key);
    free(*out);
    *out = gs_strdup(config_setting_get_string(s));
    return *out ? GS_OK : gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
}

static gs_status get_bool(const rd *r, const config_setting_t *s, const char *key, bool *out)
{
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return at(r, s, "%s must be true or false", key);
    *out = config_setting_get_bool(s) != 0;
    return GS_OK;
}

static gs_status get_strs(const rd *r, const config_setting_t *s, const char *key, size_t max,
                          char ***out, size_t *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return at(r, s, "%s must be a list of strings, e.g. [\"target:2030\"]", key);
    size_t k = (size_t)config_setting_length(s);
    if (k == 0 || k > max)
        return at(r, s, "%s must hold 1 to %zu strings", key, max);
    char **v = calloc(k, sizeof *v);
    if (!v)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    *out = v;
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return at(r, e, "%s: element %zu must be a string", key, i + 1);
        v[i] = gs_strdup(config_setting_get_string(e));
        if (!v[i])
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        *n = i + 1;
    }
    return GS_OK;
}

static gs_status get_nums(const rd *r, const config_setting_t *s, const char *key, size_t min_n,
                          size_t max_n, double **out, size_t *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return at(r, s, "%s must be a list of numbers, e.g. [100.0, 300.0]", key);
    size_t k = (size_t)config_setting_length(s);
    if (k < min_n || k > max_n)
        return at(r, s, "%s must hold %zu to %zu numbers, got %zu", key, min_n, max_n, k);
    double *v = malloc((k ? k : 1) * sizeof *v);
    if (!v)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < k; i++) {
        gs_status st = get_num(r, config_setting_get_elem(s, (unsigned)i), key, &v[i]);
        if (st) {
            free(v);
            return st;
        }
    }
    *out = v;
    *n = k;
    return GS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Keys of the sweep group and the methods they belong to (bit per method;
 * 31 = every method). */
typedef struct {
    const char *key;
    unsigned methods;
} keydef;

#define M_OAT (1u << GS_SWEEP_OAT)
#define M_GRID (1u << GS_SWEEP_GRID)
#define M_MORRIS (1u << GS_SWEEP_MORRIS)
#define M_SOBOL (1u << GS_SWEEP_SOBOL)
#define M_GOAL (1u << GS_SWEEP_GOAL)
#define M_ALL 31u

static const keydef SWEEP_KEYS[] = {
    {"name", M_ALL},          {"base", M_ALL},
    {"method", M_ALL},        {"trajectories", M_ALL},
    {"seed", M_ALL},          {"metrics", M_ALL},
    {"sets", M_ALL},          {"parameters", M_ALL & ~M_GOAL},
    {"levels", M_GRID | M_MORRIS},
    {"contour", M_GRID},      {"r", M_MORRIS},
    {"n", M_SOBOL},           {"second_order", M_SOBOL},
    {"by_year", M_SOBOL},     {"by_year_stat", M_SOBOL},
    {"resamples", M_MORRIS | M_SOBOL},
    {"parameter", M_GOAL},    {"metric", M_GOAL},
    {"level", M_GOAL},        {"bracket", M_GOAL},
    {"tolerance", M_GOAL},    {"max_iter", M_GOAL},
    {"repeats", M_GOAL},
};
#define N_SWEEP_KEYS (sizeof SWEEP_KEYS / sizeof SWEEP_KEYS[0])

static const char *const PARAM_KEYS[] = {"path", "min", "max", "values"};

static gs_status unknown_key(const rd *r, const config_setting_t *s, const char *where,
                             const char *const *cands, size_t n)
{
    const char *near = gs_nearest(config_setting_name(s), cands, n);
    if (near)
        return at(r, s, "unknown key \"%s\" in %s (did you mean \"%s\"?)",
                  config_setting_name(s), where, near);
    return at(r, s, "unknown key \"%s\" in %s", config_setting_name(s), where);
}

static gs_status read_param(const rd *r, const config_setting_t *g, gs_sweep_param *p)
{
    if (!config_setting_is_group(g))
        return at(r, g, "parameters: each entry must be a group { path = \"...\"; ... }");
    p->min = p->max = NAN;
    p->line = config_setting_source_line(g);
    for (int i = 0; i < config_setting_length(g); i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(s);
        gs_status st = GS_OK;
        if (strcmp(k, "path") == 0)
            st = get_str(r, s, "path", &p->path);
        else if (strcmp(k, "min") == 0)
            st = get_num(r, s, "min", &p->min);
        else if (strcmp(k, "max") == 0)
            st = get_num(r, s, "max", &p->max);
        else if (strcmp(k, "values") == 0) {
            st = get_nums(r, s, "values", 1, MAX_VALUES, &p->values, &p->n_values);
            if (!st)
                qsort(p->values, p->n_values, sizeof *p->values, cmp_double);
        } else
            st = unknown_key(r, s, "a parameter", PARAM_KEYS, 4);
        if (st)
            return st;
    }
    if (!p->path)
        return at(r, g, "parameters: an entry has no path");
    if (isnan(p->min) != isnan(p->max))
        return at(r, g, "%s: give both min and max, or neither", p->path);
    if (!isnan(p->min) && !(p->min < p->max))
        return at(r, g, "%s: min must be below max", p->path);
    if (p->values && !isnan(p->min))
        return at(r, g, "%s: give values or min/max, not both", p->path);
    return GS_OK;
}

/* Whole numbers for GS_PF_INT parameters: the config layer refuses others. */
static double fit_value(const gs_pval *v, double x)
{
    return (v->def->flags & GS_PF_INT) ? nearbyint(x) : x;
}

/* Checks a parameter against the base scenario: a number parameter, its
 * values in range, and bounds where the method needs them. */
static gs_status check_param(const rd *r, const gs_sweep *sw, const gs_scenario *scn,
                             const gs_sweep_param *p)
{
    const gs_pval *v = gs_scenario_get(scn, p->path);
    if (!v) {
        size_t n = gs_scenario_count(scn);
        const char **c = malloc((n ? n : 1) * sizeof *c);
        const char *near = NULL;
        if (c) {
            for (size_t i = 0; i < n; i++)
                c[i] = gs_scenario_at(scn, i)->path;
            near = gs_nearest(p->path, c, n);
        }
        gs_status st = near ? gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                                           "parameter \"%s\" is not in the base scenario "
                                           "(did you mean \"%s\"?)",
                                           p->path, near)
                            : gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                                           "parameter \"%s\" is not in the base scenario "
                                           "(`gapsim params %s` lists them)",
                                           p->path, sw->base);
        free(c);
        return st;
    }
    if (v->def->type != GS_PT_NUMBER)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "parameter \"%s\" is not a number: only numbers can be swept",
                            p->path);
    double lo = v->def->lo, hi = v->def->hi;
    for (size_t i = 0; i < p->n_values; i++)
        if (p->values[i] < lo || p->values[i] > hi)
            return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                                "%s: value %.10g lies outside its range [%.10g, %.10g]", p->path,
                                p->values[i], lo, hi);
    if (!isnan(p->min) && (p->min < lo || p->max > hi))
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s: [%.10g, %.10g] leaves its range [%.10g, %.10g]", p->path,
                            p->min, p->max, lo, hi);
    int bounded = p->values || !isnan(p->min);
    if (!bounded && gs_dist_is_constant(&v->dist) && sw->method != GS_SWEEP_GOAL)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s is a constant (%.10g) in the base scenario: give min and max, "
                            "or values",
                            p->path, v->dist.a);
    if (p->values && (sw->method == GS_SWEEP_MORRIS || sw->method == GS_SWEEP_SOBOL))
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s: %s takes min and max (or nothing, for a distribution), not values",
                            p->path, gs_sweep_method_name(sw->method));
    if (p->values && sw->method == GS_SWEEP_OAT && p->n_values < 2)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s: one-at-a-time needs at least two values", p->path);
    return GS_OK;
}

/* Folder part of path, with a trailing slash, or "". */
static void dir_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    size_t k = slash ? (size_t)(slash - path) + 1 : 0;
    if (k >= n)
        k = n - 1;
    memcpy(out, path, k);
    out[k] = '\0';
}

static gs_status probe_metrics(const rd *r, gs_sweep *sw, const gs_scenario *scn,
                               const config_setting_t *g)
{
    gs_sim *sim = NULL;
    gs_results *res = NULL;
    gs_error e;
    gs_error_clear(&e);
    if (gs_sim_new(scn, &sim, &e) != GS_OK) {
        *r->err = e;
        return e.code;
    }
    gs_run_opts ro;
    gs_run_opts_default(&ro);
    ro.n = 1;
    ro.seed = 1;
    gs_status st = gs_sim_run(sim, &ro, &res, &e);
    if (st != GS_OK) {
        *r->err = e;
        gs_sim_free(sim);
        return st;
    }
    /* A goal's metric leads the list, ahead of those of metrics = [...]. */
    size_t off = sw->method == GS_SWEEP_GOAL ? 1 : 0;
    for (size_t i = 0; i < sw->n_metrics && st == GS_OK; i++) {
        double v;
        if (gs_results_metric(res, sw->metrics[i], &v, &e) == GS_OK)
            continue;
        if (i < off)
            st = at(r, config_setting_get_member(g, "metric"), "metric: %s", e.msg);
        else
            st = at(r, config_setting_get_elem(config_setting_get_member(g, "metrics"),
                                               (unsigned)(i - off)),
                    "metrics: %s", e.msg);
    }
    if (st == GS_OK && sw->by_year) {
        char m[256];
        snprintf(m, sizeof m, "%s@%d:%s", sw->by_year, gs_results_t0(res), sw->by_year_stat);
        double v;
        if (gs_results_metric(res, m, &v, &e) != GS_OK)
            st = at(r, config_setting_get_member(g, "by_year"), "by_year: %s", e.msg);
    }
    gs_results_free(res);
    gs_sim_free(sim);
    return st;
}

static gs_status parse(const rd *r, config_t *cfg, gs_sweep *sw)
{
    config_setting_t *root = config_root_setting(cfg);
    config_setting_t *g = NULL;
    static const char *const top[] = {"sweep"};
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        if (strcmp(config_setting_name(s), "sweep") != 0)
            return unknown_key(r, s, "the sweep file (everything goes in sweep = { ... })", top,
                               1);
        g = s;
    }
    if (!g || !config_setting_is_group(g))
        return gs_error_set(r->err, GS_ECONFIG, r->file, g ? config_setting_source_line(g) : 0,
                            "the file must hold a group sweep = { ... }");

    /* The method first: it decides which keys belong. */
    config_setting_t *ms = config_setting_get_member(g, "method");
    if (!ms)
        return at(r, g, "sweep: method is missing (oat, grid, morris, sobol or goal)");
    char *method = NULL;
    gs_status st = get_str(r, ms, "method", &method);
    if (st)
        return st;
    int mi = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(method, METHOD_NAMES[i]) == 0)
            mi = i;
    if (mi < 0) {
        const char *near = gs_nearest(method, METHOD_NAMES, 5);
        st = near ? at(r, ms, "method \"%s\" is unknown (did you mean \"%s\"?)", method, near)
                  : at(r, ms, "method \"%s\" is unknown: use oat, grid, morris, sobol or goal",
                       method);
        free(method);
        return st;
    }
    free(method);
    sw->method = (gs_sweep_method)mi;
    unsigned mbit = 1u << mi;

    /* Defaults. */
    sw->levels = sw->method == GS_SWEEP_MORRIS ? 4 : 5;
    sw->contour = NAN;
    sw->r = 10;
    sw->morris_levels = 4;
    sw->n = 64;
    sw->resamples = 500;
    sw->level = NAN;
    sw->bracket[0] = sw->bracket[1] = NAN;
    sw->tolerance = NAN;
    sw->max_iter = 60;
    sw->repeats = 4;

    config_setting_t *params_s = NULL, *goal_param_s = NULL;
    const char *cands[N_SWEEP_KEYS];
    for (size_t i = 0; i < N_SWEEP_KEYS; i++)
        cands[i] = SWEEP_KEYS[i].key;
    char *goal_param = NULL;
    for (int i = 0; i < config_setting_length(g) && st == GS_OK; i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(s);
        size_t ki = 0;
        while (ki < N_SWEEP_KEYS && strcmp(SWEEP_KEYS[ki].key, k) != 0)
            ki++;
        if (ki == N_SWEEP_KEYS) {
            st = unknown_key(r, s, "sweep", cands, N_SWEEP_KEYS);
            break;
        }
        if (!(SWEEP_KEYS[ki].methods & mbit)) {
            st = at(r, s, "%s does not apply to method \"%s\"", k, METHOD_NAMES[mi]);
            break;
        }
        double d;
        if (strcmp(k, "name") == 0) {
            st = get_str(r, s, k, &sw->name);
            if (!st) {
                int okname = sw->name[0] != '\0' && sw->name[0] != '.' && strlen(sw->name) <= 64;
                for (const char *c = sw->name; *c; c++)
                    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
                        okname = 0;
                if (!okname)
                    st = at(r, s, "name \"%s\" must be 1-64 characters of A-Z a-z 0-9 . _ - "
                                  "(it names the output folder)",
                            sw->name);
            }
        } else if (strcmp(k, "base") == 0)
            st = get_str(r, s, k, &sw->base);
        else if (strcmp(k, "method") == 0)
            continue;
        else if (strcmp(k, "trajectories") == 0) {
            size_t n;
            st = get_count(r, s, k, 1, 1e9, &n);
            sw->trajectories = n;
        } else if (strcmp(k, "seed") == 0) {
            size_t n;
            st = get_count(r, s, k, 0, 4294967295.0, &n);
            sw->seed = n;
            sw->has_seed = true;
        } else if (strcmp(k, "metrics") == 0) {
            st = get_strs(r, s, k, MAX_METRICS, &sw->metrics, &sw->n_metrics);
        } else if (strcmp(k, "sets") == 0)
            st = get_strs(r, s, k, 256, &sw->sets, &sw->n_sets);
        else if (strcmp(k, "parameters") == 0)
            params_s = s;
        else if (strcmp(k, "levels") == 0) {
            st = get_count(r, s, k, 2, 1000, &sw->levels);
            if (!st && sw->method == GS_SWEEP_MORRIS) {
                if (sw->levels % 2)
                    st = at(r, s, "levels must be even for Morris, got %zu", sw->levels);
                sw->morris_levels = (unsigned)sw->levels;
            }
        } else if (strcmp(k, "contour") == 0)
            st = get_num(r, s, k, &sw->contour);
        else if (strcmp(k, "r") == 0)
            st = get_count(r, s, k, 2, 10000, &sw->r);
        else if (strcmp(k, "n") == 0)
            st = get_count(r, s, k, 2, 100000, &sw->n);
        else if (strcmp(k, "second_order") == 0)
            st = get_bool(r, s, k, &sw->second_order);
        else if (strcmp(k, "by_year") == 0)
            st = get_str(r, s, k, &sw->by_year);
        else if (strcmp(k, "by_year_stat") == 0)
            st = get_str(r, s, k, &sw->by_year_stat);
        else if (strcmp(k, "resamples") == 0)
            st = get_count(r, s, k, 2, 100000, &sw->resamples);
        else if (strcmp(k, "parameter") == 0) {
            goal_param_s = s;
            st = get_str(r, s, k, &goal_param);
        } else if (strcmp(k, "metric") == 0) {
            st = get_str(r, s, k, &sw->goal_metric);
        } else if (strcmp(k, "level") == 0)
            st = get_num(r, s, k, &sw->level);
        else if (strcmp(k, "bracket") == 0) {
            double *b = NULL;
            size_t nb = 0;
            st = get_nums(r, s, k, 2, 2, &b, &nb);
            if (!st) {
                sw->bracket[0] = b[0];
                sw->bracket[1] = b[1];
                if (!(b[0] < b[1]))
                    st = at(r, s, "bracket must be [low, high] with low < high");
            }
            free(b);
        } else if (strcmp(k, "tolerance") == 0) {
            st = get_num(r, s, k, &d);
            sw->tolerance = d;
            if (!st && !(d > 0))
                st = at(r, s, "tolerance must be positive");
        } else if (strcmp(k, "max_iter") == 0)
            st = get_count(r, s, k, 2, 1000, &sw->max_iter);
        else if (strcmp(k, "repeats") == 0)
            st = get_count(r, s, k, 0, 100, &sw->repeats);
    }
    if (st) {
        free(goal_param);
        return st;
    }
    if (!sw->name) {
        free(goal_param);
        return at(r, g, "sweep: name is missing");
    }
    if (!sw->base) {
        free(goal_param);
        return at(r, g, "sweep: base is missing (the scenario file, relative to this file)");
    }
    if (sw->by_year_stat && !sw->by_year) {
        free(goal_param);
        return at(r, g, "by_year_stat needs by_year");
    }
    if (sw->by_year && !sw->by_year_stat)
        sw->by_year_stat = gs_strdup("mean");

    if (sw->method == GS_SWEEP_GOAL) {
        static const char *const need[] = {"parameter", "metric", "level", "bracket"};
        int have[] = {goal_param != NULL, sw->goal_metric != NULL, !isnan(sw->level),
                      !isnan(sw->bracket[0])};
        for (int i = 0; i < 4; i++)
            if (!have[i]) {
                free(goal_param);
                return at(r, g, "goal: %s is missing", need[i]);
            }
        sw->params = calloc(1, sizeof *sw->params);
        if (!sw->params) {
            free(goal_param);
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        }
        sw->n_params = 1;
        sw->params[0].path = goal_param;
        sw->params[0].min = sw->bracket[0];
        sw->params[0].max = sw->bracket[1];
        sw->params[0].line = config_setting_source_line(goal_param_s);
        if (isnan(sw->tolerance))
            sw->tolerance = 1e-3 * (sw->bracket[1] - sw->bracket[0]);
    } else {
        if (!params_s)
            return at(r, g, "sweep: parameters is missing");
        if (!config_setting_is_list(params_s) && !config_setting_is_array(params_s))
            return at(r, params_s, "parameters must be a list ( { path = \"...\"; }, ... )");
        size_t k = (size_t)config_setting_length(params_s);
        if (k == 0 || k > MAX_PARAMS)
            return at(r, params_s, "parameters must hold 1 to %d entries", MAX_PARAMS);
        if (sw->method == GS_SWEEP_GRID && k != 2)
            return at(r, params_s, "grid takes exactly two parameters (x and y), got %zu", k);
        if ((sw->method == GS_SWEEP_MORRIS || sw->method == GS_SWEEP_SOBOL) && k < 2)
            return at(r, params_s, "%s needs at least two parameters", METHOD_NAMES[mi]);
        sw->params = calloc(k, sizeof *sw->params);
        if (!sw->params)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; i < k; i++) {
            sw->n_params = i + 1;
            st = read_param(r, config_setting_get_elem(params_s, (unsigned)i), &sw->params[i]);
            if (st)
                return st;
            for (size_t j = 0; j < i; j++)
                if (strcmp(sw->params[j].path, sw->params[i].path) == 0)
                    return gs_error_set(r->err, GS_ECONFIG, r->file, sw->params[i].line,
                                        "%s is listed twice", sw->params[i].path);
        }
    }
    if (!sw->metrics && sw->method != GS_SWEEP_GOAL)
        return at(r, g, "sweep: metrics is missing, e.g. metrics = [\"target:2030\"]");
    if (sw->method == GS_SWEEP_GOAL) {
        /* The goal's metric leads the list; the others ride along. */
        size_t n = sw->n_metrics + 1;
        char **m = calloc(n, sizeof *m);
        if (!m)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        m[0] = gs_strdup(sw->goal_metric);
        size_t k = 1;
        for (size_t i = 0; i < sw->n_metrics; i++) {
            if (strcmp(sw->metrics[i], sw->goal_metric) == 0)
                free(sw->metrics[i]);
            else
                m[k++] = sw->metrics[i];
        }
        free(sw->metrics);
        sw->metrics = m;
        sw->n_metrics = k;
        if (!m[0])
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    }

    /* The base scenario, resolved against this file's folder. */
    char d[4096];
    dir_of(r->file, d, sizeof d);
    config_setting_t *bs = config_setting_get_member(g, "base");
    if (sw->base[0] != '/' && d[0]) {
        size_t need = strlen(d) + strlen(sw->base) + 1;
        char *p = malloc(need);
        if (!p)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        snprintf(p, need, "%s%s", d, sw->base);
        free(sw->base);
        sw->base = p;
    }
    gs_scenario *scn = NULL;
    gs_error e;
    gs_error_clear(&e);
    if (gs_scenario_load(gs_param_tables(), sw->base, (const char *const *)sw->sets, sw->n_sets,
                         &scn, &e) != GS_OK) {
        /* A missing base is this file's error; a broken base is the base's. */
        if (e.file[0] && strcmp(e.file, sw->base) == 0 && e.line == 0)
            return at(r, bs, "base: %s", e.msg);
        *r->err = e;
        return e.code;
    }
    for (size_t i = 0; i < sw->n_params && st == GS_OK; i++)
        st = check_param(r, sw, scn, &sw->params[i]);
    if (st == GS_OK && sw->method == GS_SWEEP_GOAL) {
        const gs_pval *v = gs_scenario_get(scn, sw->params[0].path);
        if (sw->bracket[0] < v->def->lo || sw->bracket[1] > v->def->hi)
            st = at(r, config_setting_get_member(g, "bracket"),
                    "bracket [%.10g, %.10g] leaves the range of %s [%.10g, %.10g]",
                    sw->bracket[0], sw->bracket[1], v->path, v->def->lo, v->def->hi);
    }
    if (st == GS_OK)
        st = probe_metrics(r, sw, scn, g);
    gs_scenario_free(scn);
    return st;
}

gs_status gs_sweep_load(const char *file, gs_sweep **out, gs_error *err)
{
    *out = NULL;
    gs_sweep *sw = calloc(1, sizeof *sw);
    if (!sw)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    sw->file = gs_strdup(file);
    if (!sw->file) {
        free(sw);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    FILE *f = fopen(file, "r");
    if (!f) {
        gs_sweep_free(sw);
        return gs_error_set(err, GS_ECONFIG, file, 0, "cannot read the sweep file");
    }
    fclose(f);
    config_t cfg;
    config_init(&cfg);
    gs_status st;
    if (config_read_file(&cfg, file) != CONFIG_TRUE) {
        st = gs_error_set(err, GS_ECONFIG, config_error_file(&cfg) ? config_error_file(&cfg) : file,
                          config_error_line(&cfg), "%s", config_error_text(&cfg));
    } else {
        rd r = {file, err};
        st = parse(&r, &cfg, sw);
    }
    config_destroy(&cfg);
    if (st != GS_OK) {
        gs_sweep_free(sw);
        return st;
    }
    *out = sw;
    return GS_OK;
}

/* ------------------------------------------------------------------ */
/* a design point                                                       */

gs_status gs_sweep_point(const char *scenario, const char *const *sets, size_t n_sets,
                         const gs_run_opts *ro, const char *const *metrics, size_t n_metrics,
                         double *values, gs_results **res_out, gs_error *err)
{
    gs_scenario *scn = NULL;
    gs_sim *sim = NULL;
    gs_results *res = NULL;
    if (res_out)
        *res_out = NULL;
    gs_status st = gs_scenario_load(gs_param_tables(), scenario, sets, n_sets, &scn, err);
    if (st == GS_OK)
        st = gs_sim_new(scn, &sim, err);
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
    gs_scenario_free(scn);
    return st;
}

/* The state of a running sweep: the base scenario (for quantiles of
 * distributions), run options, points.csv as it grows. */
typedef struct {
    const gs_sweep *sw;
    const gs_sweep_opts *o;
    gs_scenario *scn;
    gs_run_opts ro;
    size_t n_extra;      /* per-year metrics after sw->metrics */
    char **extra;
    int t0, T;
    gs_afile points;
    size_t runs, total;
    gs_error *err;
} ctx;

/* Runs the point where parameter i is x[i] (NaN: the base's own value or
 * distribution), with seed; writes its row of points.csv; y gets
 * n_metrics + n_extra values. */
static gs_status eval(ctx *c, const double *x, uint64_t seed, double *y)
{
    const gs_sweep *sw = c->sw;
    size_t ns = sw->n_sets + sw->n_params;
    const char **sets = calloc(ns ? ns : 1, sizeof *sets);
    char(*own)[320] = calloc(sw->n_params ? sw->n_params : 1, sizeof *own);
    const char **metrics = calloc(sw->n_metrics + c->n_extra, sizeof *metrics);
    if (!sets || !own || !metrics) {
        free(sets);
        free(own);
        free(metrics);
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < sw->n_sets; i++)
        sets[k++] = sw->sets[i];
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
    gs_status st = gs_sweep_point(sw->base, sets, k, &ro, metrics, sw->n_metrics + c->n_extra, y,
                                  NULL, c->err);
    free(sets);
    free(own);
    free(metrics);
    if (st != GS_OK)
        return st;
    char s[40];
    FILE *f = c->points.f;
    fprintf(f, "%zu,%llu", c->runs + 1, (unsigned long long)seed);
    for (size_t i = 0; i < sw->n_params; i++)
        fprintf(f, ",%s", isnan(x[i]) ? "" : (snprintf(s, sizeof s, "%.17g", x[i]), s));
    for (size_t i = 0; i < sw->n_metrics; i++)
        fprintf(f, ",%s", num(s, sizeof s, y[i]));
    fputc('\n', f);
    c->runs++;
    if (c->o->progress)
        c->o->progress(c->o->progress_ctx, c->runs, c->total);
    return GS_OK;
}

static const gs_pval *pval(const ctx *c, size_t i)
{
    return gs_scenario_get(c->scn, c->sw->params[i].path);
}

/* The value of a distribution's quantile u (rounded and clamped as a draw). */
static double quantile(const ctx *c, size_t i, double u)
{
    long idx = gs_scenario_index(c->scn, c->sw->params[i].path);
    return gs_scenario_draw(c->scn, (size_t)idx, u);
}

/* The values a parameter takes in an OAT or grid sweep. */
static gs_status axis_values(const ctx *c, size_t i, size_t levels, double **out, size_t *n)
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
        lo = quantile(c, i, 0.05);
        hi = quantile(c, i, 0.95);
    }
    *out = malloc(levels * sizeof **out);
    if (!*out)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    size_t k = 0;
    for (size_t j = 0; j < levels; j++) {
        double v = fit_value(pval(c, i), lo + (hi - lo) * (double)j / (double)(levels - 1));
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

/* ------------------------------------------------------------------ */
/* the methods                                                          */

static void csv_header_line(FILE *f, const char *cols) { fprintf(f, "%s\n", cols); }

/* Indices of v by decreasing value; a stable insertion sort, so that ties
 * keep the order of the sweep file. */
static void rank_desc(const double *v, size_t n, size_t *ord)
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

static gs_status run_oat(ctx *c, const char *dir, gs_strbuf *sum)
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
            st = axis_values(c, i, 2, &vals[i], &nv[i]);
        } else {
            /* A distribution: its 5th and 95th percentiles. */
            vals[i] = malloc(2 * sizeof **vals);
            if (!vals[i])
                st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
            else {
                vals[i][0] = quantile(c, i, 0.05);
                vals[i][1] = quantile(c, i, 0.95);
                nv[i] = 2;
            }
        }
        c->total += nv[i];
    }
    /* NaN marks "as in the base": the base run moves no parameter. */
    for (size_t i = 0; x && i < P; i++)
        x[i] = NAN;
    uint64_t seed = c->ro.seed;
    if (st == GS_OK)
        st = eval(c, x, seed, base);
    for (size_t i = 0; i < P && st == GS_OK; i++) {
        y[i] = malloc(nv[i] * M * sizeof **y);
        if (!y[i]) {
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        for (size_t j = 0; j < nv[i] && st == GS_OK; j++) {
            x[i] = vals[i][j];
            st = eval(c, x, seed, &y[i][j * M]);
        }
        x[i] = NAN;
    }
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "oat.csv", c->err);
    if (st == GS_OK) {
        csv_header_line(a.f, "metric,parameter,value,position,metric_value,base_value,delta");
        char s1[40], s2[40], s3[40], s4[40], s5[40];
        for (size_t m = 0; m < M; m++)
            for (size_t i = 0; i < P; i++) {
                double pb = gs_scenario_num(c->scn, sw->params[i].path);
                double span = vals[i][nv[i] - 1] - vals[i][0];
                for (size_t j = 0; j < nv[i]; j++) {
                    double v = y[i][j * M + m];
                    fprintf(a.f, "%s,%s,%s,%s,%s,%s,%s\n", sw->metrics[m], sw->params[i].path,
                            num(s1, sizeof s1, vals[i][j]),
                            num(s2, sizeof s2, span > 0 ? (vals[i][j] - pb) / span : 0),
                            num(s3, sizeof s3, v), num(s4, sizeof s4, base[m]),
                            num(s5, sizeof s5, v - base[m]));
                }
            }
        st = gs_afile_commit(&a, c->err);
    }
    if (st == GS_OK) {
        /* Headline: the parameters ranked by swing, per metric. */
        for (size_t m = 0; m < M; m++) {
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
            rank_desc(sw_, P, ord);
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

static gs_status run_grid(ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t M = sw->n_metrics, nx = 0, ny = 0;
    double *xs = NULL, *ys = NULL, *y = NULL, *row = NULL;
    gs_afile a = {0}, b = {0};
    gs_status st = axis_values(c, 0, sw->levels, &xs, &nx);
    if (st == GS_OK)
        st = axis_values(c, 1, sw->levels, &ys, &ny);
    if (st == GS_OK) {
        y = malloc(nx * ny * M * sizeof *y);
        row = malloc(nx * sizeof *row);
        if (!y || !row)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    c->total = nx * ny;
    for (size_t iy = 0; iy < ny && st == GS_OK; iy++)
        for (size_t ix = 0; ix < nx && st == GS_OK; ix++) {
            double x[2] = {xs[ix], ys[iy]};
            st = eval(c, x, c->ro.seed, &y[(iy * nx + ix) * M]);
        }
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "grid.csv", c->err);
    if (st == GS_OK) {
        csv_header_line(a.f, "x,y,metric,value");
        char s1[40], s2[40], s3[40];
        for (size_t m = 0; m < M; m++)
            for (size_t iy = 0; iy < ny; iy++)
                for (size_t ix = 0; ix < nx; ix++)
                    fprintf(a.f, "%s,%s,%s,%s\n", num(s1, sizeof s1, xs[ix]),
                            num(s2, sizeof s2, ys[iy]), sw->metrics[m],
                            num(s3, sizeof s3, y[(iy * nx + ix) * M + m]));
        st = gs_afile_commit(&a, c->err);
    }
    gs_strbuf_printf(sum, "\nx = %s (%zu values, %.6g to %.6g), y = %s (%zu values, %.6g to %.6g)\n",
          sw->params[0].path, nx, xs ? xs[0] : NAN, xs ? xs[nx ? nx - 1 : 0] : NAN,
          sw->params[1].path, ny, ys ? ys[0] : NAN, ys ? ys[ny ? ny - 1 : 0] : NAN);
    if (st == GS_OK) {
        for (size_t m = 0; m < M; m++) {
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
    if (st == GS_OK && !isnan(sw->contour)) {
        st = gs_afile_open(&b, dir, "grid_contour.csv", c->err);
        if (st == GS_OK) {
            csv_header_line(b.f, "metric,y,x,x_cell");
            char s1[40], s2[40], s3[40];
            gs_strbuf_printf(sum, "\n%s = %.6g is reached at %s =\n", sw->metrics[0], sw->contour,
                  sw->params[0].path);
            for (size_t iy = 0; iy < ny; iy++) {
                for (size_t ix = 0; ix < nx; ix++)
                    row[ix] = y[(iy * nx + ix) * M];
                double cellx;
                double xc = crossing(xs, row, nx, sw->contour, &cellx);
                fprintf(b.f, "%s,%s,%s,%s\n", sw->metrics[0], num(s1, sizeof s1, ys[iy]),
                        num(s2, sizeof s2, xc), num(s3, sizeof s3, cellx));
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

/* Morris and Sobol' factors: a parameter with min/max is uniform on them; a
 * distribution without them is moved through its own quantiles from 5 % to
 * 95 %, so the design weighs values as the scenario does. */
static int prob_space(const ctx *c, size_t i)
{
    return isnan(c->sw->params[i].min);
}

static double factor_value(const ctx *c, size_t i, double u)
{
    return prob_space(c, i) ? quantile(c, i, u) : fit_value(pval(c, i), u);
}

static gs_status make_problem(ctx *c, gs_sens_problem **out)
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
static gs_status run_design(ctx *c, const gs_sens_sample *s, double **yout)
{
    size_t W = c->sw->n_metrics + c->n_extra, P = c->sw->n_params;
    double *y = malloc(s->rows * W * sizeof *y);
    double *x = malloc(P * sizeof *x);
    gs_status st = (!y || !x) ? gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory") : GS_OK;
    c->total = s->rows;
    for (size_t r = 0; r < s->rows && st == GS_OK; r++) {
        for (size_t i = 0; i < P; i++)
            x[i] = factor_value(c, i, s->x[r * s->k + i]);
        st = eval(c, x, c->ro.seed, &y[r * W]);
    }
    free(x);
    if (st != GS_OK) {
        free(y);
        return st;
    }
    *yout = y;
    return GS_OK;
}


static gs_status run_morris(ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t M = sw->n_metrics, P = sw->n_params;
    gs_sens_problem *prob = NULL;
    gs_sens_sample *s = NULL;
    double *y = NULL, *col = NULL;
    gs_afile a = {0};
    gs_status st = make_problem(c, &prob);
    if (st == GS_OK)
        st = gs_sens_morris_sample(prob, sw->r, sw->morris_levels, (unsigned long)c->ro.seed, &s,
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
        csv_header_line(a.f, "metric,name,mu,mu_star,sigma,mu_star_conf");
    gs_sens_morris_opts mo = gs_sens_morris_opts_default();
    mo.resamples = sw->resamples;
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
                    num(s1, sizeof s1, res->mu[i]), num(s2, sizeof s2, res->mu_star[i]),
                    num(s3, sizeof s3, res->sigma[i]), num(s4, sizeof s4, res->mu_star_conf[i]));
        size_t ord[MAX_PARAMS];
        rank_desc(res->mu_star, P, ord);
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

static gs_status run_sobol(ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t M = sw->n_metrics, P = sw->n_params, W = M + c->n_extra;
    gs_sens_problem *prob = NULL;
    gs_sens_sample *s = NULL;
    double *y = NULL, *col = NULL;
    gs_afile a = {0}, b = {0};
    gs_status st = make_problem(c, &prob);
    if (st == GS_OK)
        st = gs_sens_sobol_sample(prob, sw->n, sw->second_order, (unsigned long)c->ro.seed, &s,
                                  c->err);
    if (st == GS_OK)
        st = run_design(c, s, &y);
    if (st == GS_OK) {
        col = malloc(s->rows * sizeof *col);
        if (!col)
            st = gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gs_sens_sobol_opts so = gs_sens_sobol_opts_default();
    so.second_order = sw->second_order;
    so.resamples = sw->resamples;
    so.seed = (unsigned long)c->ro.seed;
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "sobol.csv", c->err);
    if (st == GS_OK)
        csv_header_line(a.f, "metric,name,S1,S1_conf,ST,ST_conf");
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
        size_t per = sw->second_order ? 2 * P + 2 : P + 2;
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
                        num(s1, sizeof s1, res->S1[i]), num(s2, sizeof s2, res->S1_conf[i]),
                        num(s3, sizeof s3, res->ST[i]), num(s4, sizeof s4, res->ST_conf[i]));
            size_t ord[MAX_PARAMS];
            rank_desc(res->ST, P, ord);
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
                csv_header_line(b.f, "year,name,S1,S1_conf,ST,ST_conf,S1_cum");
            }
            int year = c->t0 + (int)(m - M);
            /* S1_cum stacks the first-order indices (negative estimates as 0)
             * in file order, for the stacked-area chart. */
            double cum = 0;
            char s5[40];
            for (size_t i = 0; i < P; i++) {
                cum += fmax(res->S1[i], 0);
                fprintf(b.f, "%d,%s,%s,%s,%s,%s,%s\n", year, sw->params[i].path,
                        num(s1, sizeof s1, res->S1[i]), num(s2, sizeof s2, res->S1_conf[i]),
                        num(s3, sizeof s3, res->ST[i]), num(s4, sizeof s4, res->ST_conf[i]),
                        num(s5, sizeof s5, cum));
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

/* goal seek: f(x) = metric(x) - level with common random numbers */
typedef struct {
    ctx *c;
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
    double xv = fit_value(pval(g->c, 0), x);
    g->st = eval(g->c, &xv, g->seed, g->y);
    g->evals++;
    return g->st == GS_OK ? g->y[0] - g->c->sw->level : NAN;
}

typedef struct {
    uint64_t seed;
    int status;       /* 0 found, -1 stays below, +1 stays above */
    double root, lower, upper, at_root;
    double flo, fhi;  /* metric at the bracket's ends */
    size_t iterations;
} goal_res;

static gs_status seek(ctx *c, uint64_t seed, goal_res *out)
{
    const gs_sweep *sw = c->sw;
    double *y = malloc((sw->n_metrics + 1) * sizeof *y);
    if (!y)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    goal_fn g = {c, seed, y, GS_OK, 0};
    memset(out, 0, sizeof *out);
    out->seed = seed;
    out->root = out->at_root = NAN;
    double a = sw->bracket[0], b = sw->bracket[1];
    double fa = goal_f(a, &g), fb = g.st == GS_OK ? goal_f(b, &g) : NAN;
    out->lower = a;
    out->upper = b;
    out->flo = fa + sw->level;
    out->fhi = fb + sw->level;
    if (g.st != GS_OK) {
        free(y);
        return g.st;
    }
    if (fa == 0 || fb == 0) {
        out->root = fa == 0 ? a : b;
        out->at_root = sw->level;
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
        while (rc == GSL_SUCCESS && g.st == GS_OK && it < sw->max_iter) {
            it++;
            rc = gsl_root_fsolver_iterate(s);
            if (rc != GSL_SUCCESS || g.st != GS_OK)
                break;
            out->lower = gsl_root_fsolver_x_lower(s);
            out->upper = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(out->lower, out->upper, sw->tolerance, 0) == GSL_SUCCESS)
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
        out->at_root = fr + sw->level;
    }
    free(y);
    return GS_OK;
}

static gs_status run_goal(ctx *c, const char *dir, gs_strbuf *sum)
{
    const gs_sweep *sw = c->sw;
    size_t R = 1 + sw->repeats;
    goal_res *gr = calloc(R, sizeof *gr);
    gs_afile a = {0};
    if (!gr)
        return gs_error_set(c->err, GS_ENOMEM, NULL, 0, "out of memory");
    /* The count is a guess: Brent's iterations are not known in advance. */
    c->total = R * 12;
    gs_status st = GS_OK;
    for (size_t k = 0; k < R && st == GS_OK; k++)
        st = seek(c, c->ro.seed + k, &gr[k]);
    if (st == GS_OK)
        st = gs_afile_open(&a, dir, "goal.csv", c->err);
    if (st == GS_OK) {
        csv_header_line(a.f, "parameter,metric,level,seed,status,root,lower,upper,metric_at_root,"
                             "metric_at_low,metric_at_high,iterations");
        char s[8][40];
        for (size_t k = 0; k < R; k++) {
            const goal_res *g = &gr[k];
            fprintf(a.f, "%s,%s,%s,%llu,%s,%s,%s,%s,%s,%s,%s,%zu\n", sw->params[0].path,
                    sw->goal_metric, num(s[0], 40, sw->level), (unsigned long long)g->seed,
                    g->status == 0 ? "found" : g->status < 0 ? "below" : "above",
                    num(s[1], 40, g->root), num(s[2], 40, g->lower), num(s[3], 40, g->upper),
                    num(s[4], 40, g->at_root), num(s[5], 40, g->flo), num(s[6], 40, g->fhi),
                    g->iterations);
        }
        st = gs_afile_commit(&a, c->err);
    }
    if (st == GS_OK) {
        const goal_res *g = &gr[0];
        const char *p = sw->params[0].path, *m = sw->goal_metric;
        if (g->status == 0) {
            double roots[101];
            size_t nf = 0;
            for (size_t k = 0; k < R; k++)
                if (gr[k].status == 0)
                    roots[nf++] = gr[k].root;
            gs_strbuf_printf(sum, "\n%s reaches %.6g at %s = %.6g (metric there %.4g; bracket narrowed to "
                       "[%.6g, %.6g] after %zu iterations).\n",
                  m, sw->level, p, g->root, g->at_root, g->lower, g->upper, g->iterations);
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
                  sw->level, p, sw->bracket[0], sw->bracket[1], hi_end ? g->fhi : g->flo,
                  hi_end ? sw->bracket[1] : sw->bracket[0]);
        } else {
            int lo_end = g->flo <= g->fhi;
            gs_strbuf_printf(sum, "\n%s stays above %.6g for %s in [%.6g, %.6g]: lowest %.4g at %.6g.\n", m,
                  sw->level, p, sw->bracket[0], sw->bracket[1], lo_end ? g->flo : g->fhi,
                  lo_end ? sw->bracket[0] : sw->bracket[1]);
        }
    }
    gs_afile_abort(&a);
    free(gr);
    return st;
}

/* ------------------------------------------------------------------ */
/* the whole sweep                                                      */

static size_t design_runs(const gs_sweep *sw)
{
    size_t P = sw->n_params;
    switch (sw->method) {
    case GS_SWEEP_MORRIS: return gs_sens_morris_rows(sw->r, P);
    case GS_SWEEP_SOBOL: return gs_sens_sobol_rows(sw->n, P, sw->second_order);
    default: return 0;
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
    size_t dr = design_runs(sw);
    if (dr > MAX_RUNS)
        return gs_error_set(err, GS_ECONFIG, sw->file, 0,
                            "the design needs %zu runs, more than %d: lower n or r", dr, MAX_RUNS);
    ctx c;
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

    if (sw->method == GS_SWEEP_SOBOL && sw->by_year) {
        c.n_extra = (size_t)(c.T - c.t0 + 1);
        c.extra = calloc(c.n_extra, sizeof *c.extra);
        if (!c.extra)
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; i < c.n_extra && st == GS_OK; i++) {
            char m[256];
            snprintf(m, sizeof m, "%s@%d:%s", sw->by_year, c.t0 + (int)i, sw->by_year_stat);
            c.extra[i] = gs_strdup(m);
            if (!c.extra[i])
                st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        }
    }

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
        fputc('\n', c.points.f);
        switch (sw->method) {
        case GS_SWEEP_OAT: st = run_oat(&c, outdir, &sum); break;
        case GS_SWEEP_GRID: st = run_grid(&c, outdir, &sum); break;
        case GS_SWEEP_MORRIS: st = run_morris(&c, outdir, &sum); break;
        case GS_SWEEP_SOBOL: st = run_sobol(&c, outdir, &sum); break;
        case GS_SWEEP_GOAL: st = run_goal(&c, outdir, &sum); break;
        }
    }
    if (st == GS_OK)
        st = gs_afile_commit(&c.points, err);
    gs_afile_abort(&c.points);

    char *text = NULL;
    if (st == GS_OK) {
        gs_strbuf head = {0};
        gs_strbuf_printf(&head, "Sweep %s (%s) of %s\n", sw->name, gs_sweep_method_name(sw->method),
              sw->base);
        gs_strbuf_printf(&head, "%zu model runs of %llu trajectories each, seed %llu for every run "
                     "(common random numbers)",
              c.runs, (unsigned long long)c.ro.n, (unsigned long long)c.ro.seed);
        if (sw->method == GS_SWEEP_GOAL && sw->repeats)
            gs_strbuf_printf(&head, "; the goal seek is repeated with seeds %llu-%llu",
                  (unsigned long long)c.ro.seed + 1, (unsigned long long)(c.ro.seed + sw->repeats));
        gs_strbuf_printf(&head, ".\n");
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
    if (st == GS_OK && summary)
        *summary = text;
    else
        free(text);
    for (size_t i = 0; i < c.n_extra; i++)
        free(c.extra[i]);
    free(c.extra);
    gs_scenario_free(c.scn);
    return st;
}

/* ------------------------------------------------------------------ */
/* charts: the templates read the sweep's CSV files; this code finds the
 * rows each chart needs and hands them, with the labels, to the metadata. */

typedef struct {
    char *text;
    char ***rows; /* rows[i][j]: field j of data row i (header excluded) */
    size_t *nf;
    size_t n;
} table;

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i]);
    free(t->rows);
    free(t->nf);
    free(t->text);
    memset(t, 0, sizeof *t);
}

/* The sweep's own files: no field holds a comma, a quote or a line break. */
static gs_status table_read(table *t, const char *dir, const char *name, gs_error *err)
{
    memset(t, 0, sizeof *t);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot read the sweep's table");
    gs_strbuf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        gs_strbuf_printf(&b, "%.*s", (int)k, chunk);
    fclose(f);
    if (b.oom || !b.p) {
        free(b.p);
        return gs_error_set(err, GS_EINPUT, path, 0, "empty or unreadable table");
    }
    t->text = b.p;
    size_t lines = 0;
    for (char *p = b.p; *p; p++)
        lines += *p == '\n';
    t->rows = calloc(lines + 1, sizeof *t->rows);
    t->nf = calloc(lines + 1, sizeof *t->nf);
    if (!t->rows || !t->nf) {
        table_free(t);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    char *save = NULL, *line = strtok_r(b.p, "\n", &save);
    int header = 1;
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        if (header) {
            header = 0;
            continue;
        }
        size_t nf = 1;
        for (char *p = line; *p; p++)
            nf += *p == ',';
        char **fl = malloc(nf * sizeof *fl);
        if (!fl) {
            table_free(t);
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        }
        size_t j = 0;
        fl[j++] = line;
        for (char *p = line; *p; p++)
            if (*p == ',') {
                *p = '\0';
                fl[j++] = p + 1;
            }
        t->rows[t->n] = fl;
        t->nf[t->n++] = nf;
    }
    return GS_OK;
}

static const char *cell(const table *t, size_t r, size_t c)
{
    return r < t->n && c < t->nf[r] ? t->rows[r][c] : "";
}

static double celln(const table *t, size_t r, size_t c)
{
    const char *s = cell(t, r, c);
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

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

typedef struct {
    const gs_sweep *sw;
    const char *dir;
    const gs_plot_opts *o;
    gs_plot_report *rep;
    size_t failed;
    gs_error first;
    char sub2[300];
} plotter;

static void common_meta(const plotter *p, metav *m, const char *what)
{
    mput(m, "subtitle1", "Sweep %s (%s) of %s", p->sw->name, what, p->sw->base);
    mput(m, "subtitle2", "%s", p->sub2);
    mput(m, "provenance", "gapsim sweep %s", p->sw->file);
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
    for (size_t r = 0; r < t->n; r++)
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
        size_t P = sw->n_params;
        size_t first[MAX_PARAMS], last[MAX_PARAMS], ord[MAX_PARAMS];
        double swing[MAX_PARAMS], base = NAN;
        size_t np = 0;
        for (size_t i = 0; i < P; i++) {
            size_t f = 0, l = 0;
            /* Rows of this metric and parameter: consecutive, values ascending. */
            int any = 0;
            for (size_t r = 0; r < t->n; r++)
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
        size_t rk[MAX_PARAMS];
        rank_desc(swing, np, rk);
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
            mput(&mv, "contour", "%.17g", sw->contour);
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
    table pts, t = {0}, ct = {0};
    gs_status st = table_read(&pts, outdir, "points.csv", err);
    if (st != GS_OK)
        return st;
    snprintf(p.sub2, sizeof p.sub2, "%zu model runs, seed %s for every run (common random numbers)",
             pts.n, cell(&pts, 0, 1));
    switch (sw->method) {
    case GS_SWEEP_OAT:
        st = table_read(&t, outdir, "oat.csv", err);
        if (st == GS_OK)
            plot_oat(&p, &t);
        break;
    case GS_SWEEP_GRID:
        st = table_read(&t, outdir, "grid.csv", err);
        if (st == GS_OK && !isnan(sw->contour))
            st = table_read(&ct, outdir, "grid_contour.csv", err);
        if (st == GS_OK)
            plot_grid(&p, &t, isnan(sw->contour) ? NULL : &ct);
        break;
    case GS_SWEEP_MORRIS:
        st = table_read(&t, outdir, "morris.csv", err);
        if (st == GS_OK)
            plot_indices(&p, &t, "sweep_morris", "morris", "Morris screening");
        break;
    case GS_SWEEP_SOBOL:
        st = table_read(&t, outdir, "sobol.csv", err);
        if (st == GS_OK)
            plot_indices(&p, &t, "sweep_sobol", "sobol", "Sobol' indices");
        if (st == GS_OK && sw->by_year) {
            table_free(&t);
            st = table_read(&t, outdir, "sobol_by_year.csv", err);
            if (st == GS_OK) {
                metav mv = {0};
                common_meta(&p, &mv, "Sobol' indices by year");
                mput(&mv, "variable", "%s", sw->by_year);
                mput(&mv, "stat", "%s", sw->by_year_stat);
                mput(&mv, "np", "%zu", sw->n_params);
                for (size_t i = 0; i < sw->n_params; i++) {
                    char key[64];
                    snprintf(key, sizeof key, "param.%zu", i + 1);
                    mput(&mv, key, "%s", sw->params[i].path);
                }
                draw(&p, "sweep_sobol_by_year", "sobol_by_year", &mv);
                mclear(&mv);
            }
        }
        break;
    case GS_SWEEP_GOAL:
        st = table_read(&t, outdir, "goal.csv", err);
        if (st == GS_OK) {
            metav mv = {0};
            common_meta(&p, &mv, "goal seek");
            mput(&mv, "metric", "%s", sw->goal_metric);
            mput(&mv, "parameter", "%s", sw->params[0].path);
            mput(&mv, "level", "%.17g", sw->level);
            mput(&mv, "seed", "%s", cell(&t, 0, 3));
            mput(&mv, "status", "%s", cell(&t, 0, 4));
            mput(&mv, "root", "%s", cell(&t, 0, 5));
            mput(&mv, "lo", "%.17g", sw->bracket[0]);
            mput(&mv, "hi", "%.17g", sw->bracket[1]);
            draw(&p, "sweep_goal", "goal", &mv);
            mclear(&mv);
        }
        break;
    }
    table_free(&pts);
    table_free(&t);
    table_free(&ct);
    if (st != GS_OK)
        return st;
    if (p.failed) {
        *err = p.first;
        return p.first.code ? p.first.code : GS_EPLOT;
    }
    return GS_OK;
}
