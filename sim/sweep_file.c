/* sweep_file.c: reading and checking a sweep file (gs_sweep.h).  The keys
 * every method shares are read here; a method's own keys go to its type. */
#include "gs_sweep_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_cfgtext.h"
#include "gs_model.h"

const char *gs_sweep_method_name(const gs_sweep *s)
{
    return s && s->type ? s->type->name : "?";
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
    if (s->opts && s->type && s->type->free)
        s->type->free(s->opts);
    free(s->opts);
    free(s);
}

void gs_sweep_opts_default(gs_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 1;
}

/* ------------------------------------------------------------------ */
/* reading a sweep file                                                 */

gs_status sw_at(const sw_rd *r, const config_setting_t *s, const char *fmt, ...)
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

gs_status sw_get_num(const sw_rd *r, const config_setting_t *s, const char *key, double *out)
{
    if (!is_number(s))
        return sw_at(r, s, "%s must be a number", key);
    *out = config_setting_get_float(s);
    if (config_setting_type(s) != CONFIG_TYPE_FLOAT)
        *out = (double)config_setting_get_int64(s);
    if (!isfinite(*out))
        return sw_at(r, s, "%s must be finite", key);
    return GS_OK;
}

gs_status sw_get_count(const sw_rd *r, const config_setting_t *s, const char *key, double lo,
                           double hi, size_t *out)
{
    double v = NAN;
    gs_status st = sw_get_num(r, s, key, &v);
    if (st)
        return st;
    if (v != floor(v) || v < lo || v > hi)
        return sw_at(r, s, "%s must be a whole number from %.0f to %.0f, got %.10g", key, lo, hi, v);
    *out = (size_t)v;
    return GS_OK;
}

gs_status sw_get_str(const sw_rd *r, const config_setting_t *s, const char *key,
                         char **out)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return sw_at(r, s, "%s must be a string", key);
    free(*out);
    *out = gs_strdup(config_setting_get_string(s));
    return *out ? GS_OK : gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
}

gs_status sw_get_bool(const sw_rd *r, const config_setting_t *s, const char *key, bool *out)
{
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return sw_at(r, s, "%s must be true or false", key);
    *out = config_setting_get_bool(s) != 0;
    return GS_OK;
}

static gs_status get_strs(const sw_rd *r, const config_setting_t *s, const char *key, size_t max,
                          char ***out, size_t *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return sw_at(r, s, "%s must be a list of strings, e.g. [\"target:2030\"]", key);
    size_t k = (size_t)config_setting_length(s);
    if (k == 0 || k > max)
        return sw_at(r, s, "%s must hold 1 to %zu strings", key, max);
    char **v = calloc(k, sizeof *v);
    if (!v)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    *out = v;
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return sw_at(r, e, "%s: element %zu must be a string", key, i + 1);
        v[i] = gs_strdup(config_setting_get_string(e));
        if (!v[i])
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        *n = i + 1;
    }
    return GS_OK;
}

gs_status sw_get_nums(const sw_rd *r, const config_setting_t *s, const char *key, size_t min_n,
                          size_t max_n, double **out, size_t *n)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return sw_at(r, s, "%s must be a list of numbers, e.g. [100.0, 300.0]", key);
    size_t k = (size_t)config_setting_length(s);
    if (k < min_n || k > max_n)
        return sw_at(r, s, "%s must hold %zu to %zu numbers, got %zu", key, min_n, max_n, k);
    double *v = malloc((k ? k : 1) * sizeof *v);
    if (!v)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < k; i++) {
        gs_status st = sw_get_num(r, config_setting_get_elem(s, (unsigned)i), key, &v[i]);
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

static const char *const PARAM_KEYS[] = {"path", "min", "max", "values"};

static gs_status unknown_key(const sw_rd *r, const config_setting_t *s, const char *where,
                             const char *const *cands, size_t n)
{
    const char *near = gs_nearest(config_setting_name(s), cands, n);
    if (near)
        return sw_at(r, s, "unknown key \"%s\" in %s (did you mean \"%s\"?)",
                  config_setting_name(s), where, near);
    return sw_at(r, s, "unknown key \"%s\" in %s", config_setting_name(s), where);
}

static gs_status read_param(const sw_rd *r, const config_setting_t *g, gs_sweep_param *p)
{
    if (!config_setting_is_group(g))
        return sw_at(r, g, "parameters: each entry must be a group { path = \"...\"; ... }");
    p->min = p->max = NAN;
    p->line = config_setting_source_line(g);
    for (int i = 0; i < config_setting_length(g); i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *k = config_setting_name(s);
        gs_status st = GS_OK;
        if (strcmp(k, "path") == 0)
            st = sw_get_str(r, s, "path", &p->path);
        else if (strcmp(k, "min") == 0)
            st = sw_get_num(r, s, "min", &p->min);
        else if (strcmp(k, "max") == 0)
            st = sw_get_num(r, s, "max", &p->max);
        else if (strcmp(k, "values") == 0) {
            st = sw_get_nums(r, s, "values", 1, SW_MAX_VALUES, &p->values, &p->n_values);
            if (!st)
                qsort(p->values, p->n_values, sizeof *p->values, cmp_double);
        } else
            st = unknown_key(r, s, "a parameter", PARAM_KEYS, 4);
        if (st)
            return st;
    }
    if (!p->path)
        return sw_at(r, g, "parameters: an entry has no path");
    if (isnan(p->min) != isnan(p->max))
        return sw_at(r, g, "%s: give both min and max, or neither", p->path);
    if (!isnan(p->min) && !(p->min < p->max))
        return sw_at(r, g, "%s: min must be below max", p->path);
    if (p->values && !isnan(p->min))
        return sw_at(r, g, "%s: give values or min/max, not both", p->path);
    return GS_OK;
}

static gs_status check_param(const sw_rd *r, const gs_sweep *sw, const gs_scenario *scn,
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
    if (!bounded && gs_dist_is_constant(&v->dist) && sw->type->needs_spread)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s is a constant (%.10g) in the base scenario: give min and max, "
                            "or values",
                            p->path, v->dist.a);
    if (p->values && sw->type->ranges_only)
        return gs_error_set(r->err, GS_ECONFIG, r->file, p->line,
                            "%s: %s takes min and max (or nothing, for a distribution), not values",
                            p->path, gs_sweep_method_name(sw));
    return sw->type->check_param ? sw->type->check_param(r, p) : GS_OK;
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

static gs_status probe_metrics(const sw_rd *r, gs_sweep *sw, const gs_scenario *scn,
                               const config_setting_t *g)
{
    gs_sim *sim = NULL;
    gs_results *res = NULL;
    gs_error e;
    gs_error_clear(&e);
    if (gs_sim_new(scn, gs_models_builtin(), &sim, &e) != GS_OK) {
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
    size_t off = sw->type->lead_key ? 1 : 0;
    for (size_t i = 0; i < sw->n_metrics && st == GS_OK; i++) {
        double v;
        if (gs_results_metric(res, sw->metrics[i], &v, &e) == GS_OK)
            continue;
        if (i < off)
            st = sw_at(r, config_setting_get_member(g, sw->type->lead_key), "%s: %s",
                       sw->type->lead_key, e.msg);
        else
            st = sw_at(r, config_setting_get_elem(config_setting_get_member(g, "metrics"),
                                               (unsigned)(i - off)),
                    "metrics: %s", e.msg);
    }
    const char *stat = NULL;
    const char *by_year = sw->type->by_year ? sw->type->by_year(sw, &stat) : NULL;
    if (st == GS_OK && by_year) {
        char m[256];
        snprintf(m, sizeof m, "%s@%d:%s", by_year, gs_results_t0(res), stat);
        double v;
        if (gs_results_metric(res, m, &v, &e) != GS_OK)
            st = sw_at(r, config_setting_get_member(g, "by_year"), "by_year: %s", e.msg);
    }
    gs_results_free(res);
    gs_sim_free(sim);
    return st;
}

/* The keys every method shares. */
static const char *const COMMON_KEYS[] = {"name", "base",    "method", "trajectories",
                                          "seed", "metrics", "sets",   "parameters", NULL};
#define N_COMMON (sizeof COMMON_KEYS / sizeof COMMON_KEYS[0] - 1)

static bool has_key(const char *const *keys, const char *k)
{
    for (size_t i = 0; keys && keys[i]; i++)
        if (strcmp(keys[i], k) == 0)
            return true;
    return false;
}

/* Every key of every method, once, for "did you mean". */
static size_t all_keys(const char **out, size_t cap)
{
    size_t n = 0, nt;
    for (size_t i = 0; i < N_COMMON && n < cap; i++)
        out[n++] = COMMON_KEYS[i];
    const gs_sweep_type *const *types = sw_types(&nt);
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; types[t]->keys && types[t]->keys[i] && n < cap; i++) {
            size_t j = 0;
            while (j < n && strcmp(out[j], types[t]->keys[i]) != 0)
                j++;
            if (j == n)
                out[n++] = types[t]->keys[i];
        }
    return n;
}

static gs_status read_method(const sw_rd *r, config_setting_t *g, gs_sweep *sw)
{
    size_t nt;
    const gs_sweep_type *const *types = sw_types(&nt);
    char list[200] = "";
    for (size_t t = 0; t < nt; t++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 t == 0 ? "" : t + 1 == nt ? " or " : ", ", types[t]->name);
    config_setting_t *ms = config_setting_get_member(g, "method");
    if (!ms)
        return sw_at(r, g, "sweep: method is missing (%s)", list);
    char *method = NULL;
    gs_status st = sw_get_str(r, ms, "method", &method);
    if (st)
        return st;
    for (size_t t = 0; t < nt; t++)
        if (strcmp(method, types[t]->name) == 0)
            sw->type = types[t];
    if (!sw->type) {
        const char *names[16];
        for (size_t t = 0; t < nt && t < 16; t++)
            names[t] = types[t]->name;
        const char *near = gs_nearest(method, names, nt < 16 ? nt : 16);
        st = near ? sw_at(r, ms, "method \"%s\" is unknown (did you mean \"%s\"?)", method, near)
                  : sw_at(r, ms, "method \"%s\" is unknown: use %s", method, list);
        free(method);
        return st;
    }
    free(method);
    sw->opts = calloc(1, sw->type->opts_size ? sw->type->opts_size : 1);
    if (!sw->opts)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (sw->type->init)
        sw->type->init(sw->opts);
    return GS_OK;
}

static gs_status read_name(const sw_rd *r, const config_setting_t *s, gs_sweep *sw)
{
    gs_status st = sw_get_str(r, s, "name", &sw->name);
    if (st)
        return st;
    int okname = gs_is_ident(sw->name) && sw->name[0] != '.' && strlen(sw->name) <= 64;
    if (!okname)
        return sw_at(r, s, "name \"%s\" must be 1-64 characters of A-Z a-z 0-9 . _ - "
                           "(it names the output folder)",
                     sw->name);
    return GS_OK;
}

/* One key of the sweep group. */
static gs_status read_key(const sw_rd *r, config_setting_t *s, gs_sweep *sw,
                          config_setting_t **params_s)
{
    const char *k = config_setting_name(s);
    const gs_sweep_type *t = sw->type;
    bool common = has_key(COMMON_KEYS, k) && (strcmp(k, "parameters") != 0 || t->takes_parameters);
    if (!common && !has_key(t->keys, k)) {
        const char *cands[64];
        size_t n = all_keys(cands, 64);
        for (size_t i = 0; i < n; i++)
            if (strcmp(cands[i], k) == 0)
                return sw_at(r, s, "%s does not apply to method \"%s\"", k, t->name);
        return unknown_key(r, s, "sweep", cands, n);
    }
    if (!common)
        return t->read(r, s, k, sw->opts);
    size_t n;
    gs_status st = GS_OK;
    if (strcmp(k, "name") == 0)
        st = read_name(r, s, sw);
    else if (strcmp(k, "base") == 0)
        st = sw_get_str(r, s, k, &sw->base);
    else if (strcmp(k, "trajectories") == 0) {
        st = sw_get_count(r, s, k, 1, GS_MAX_POINT_TRAJECTORIES, &n);
        sw->trajectories = n;
    } else if (strcmp(k, "seed") == 0) {
        st = sw_get_count(r, s, k, 0, GS_SEED_MAX, &n);
        sw->seed = n;
        sw->has_seed = true;
    } else if (strcmp(k, "metrics") == 0)
        st = get_strs(r, s, k, SW_MAX_METRICS, &sw->metrics, &sw->n_metrics);
    else if (strcmp(k, "sets") == 0)
        st = get_strs(r, s, k, GS_MAX_SETS, &sw->sets, &sw->n_sets);
    else if (strcmp(k, "parameters") == 0)
        *params_s = s;
    return st;
}

static gs_status read_params(const sw_rd *r, config_setting_t *g, config_setting_t *params_s,
                             gs_sweep *sw)
{
    const gs_sweep_type *t = sw->type;
    if (!params_s)
        return sw_at(r, g, "sweep: parameters is missing");
    if (!config_setting_is_list(params_s) && !config_setting_is_array(params_s))
        return sw_at(r, params_s, "parameters must be a list ( { path = \"...\"; }, ... )");
    size_t k = (size_t)config_setting_length(params_s);
    if (k == 0 || k > SW_MAX_PARAMS)
        return sw_at(r, params_s, "parameters must hold 1 to %d entries", SW_MAX_PARAMS);
    if (k < t->min_params || k > t->max_params)
        return sw_at(r, params_s, t->count_rule, k);
    sw->params = calloc(k, sizeof *sw->params);
    if (!sw->params)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < k; i++) {
        sw->n_params = i + 1;
        gs_status st =
            read_param(r, config_setting_get_elem(params_s, (unsigned)i), &sw->params[i]);
        if (st)
            return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sw->params[j].path, sw->params[i].path) == 0)
                return gs_error_set(r->err, GS_ECONFIG, r->file, sw->params[i].line,
                                    "%s is listed twice", sw->params[i].path);
    }
    return GS_OK;
}

static gs_status parse(const sw_rd *r, config_t *cfg, gs_sweep *sw)
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
    gs_status st = read_method(r, g, sw);
    config_setting_t *params_s = NULL;
    for (int i = 0; i < config_setting_length(g) && st == GS_OK; i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        if (strcmp(config_setting_name(s), "method") != 0)
            st = read_key(r, s, sw, &params_s);
    }
    if (st)
        return st;
    if (!sw->name)
        return sw_at(r, g, "sweep: name is missing");
    if (!sw->base)
        return sw_at(r, g, "sweep: base is missing (the scenario file, relative to this file)");
    if (sw->type->finish && (st = sw->type->finish(r, g, sw)) != GS_OK)
        return st;
    if (sw->type->takes_parameters && (st = read_params(r, g, params_s, sw)) != GS_OK)
        return st;
    if (!sw->metrics && !sw->type->lead_key)
        return sw_at(r, g, "sweep: metrics is missing, e.g. metrics = [\"target:2030\"]");

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
            return sw_at(r, bs, "base: %s", e.msg);
        *r->err = e;
        return e.code;
    }
    for (size_t i = 0; i < sw->n_params && st == GS_OK; i++)
        st = check_param(r, sw, scn, &sw->params[i]);
    if (st == GS_OK && sw->type->check)
        st = sw->type->check(r, g, sw, scn);
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
    /* Read as scenarios are: no integer wrapped to 32 bits, no NUL, finite. */
    if ((st = gs_cfg_read_file(&cfg, file, err)) == GS_OK) {
        sw_rd r = {file, err};
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
