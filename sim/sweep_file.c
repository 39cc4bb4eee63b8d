/* sweep_file.c: reading and checking a sweep file (gs_sweep.h).  The file
 * is read by the scenario layer against parameter tables, the keys every
 * method shares (here) and the method's own (its type), so that every key
 * gets a scenario's checks and messages: file, line, "did you mean". */
#include "gs_sweep_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_cfgtext.h"
#include "gs_conf.h"
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

bool sw_given(const gs_scenario *t, const char *path)
{
    const gs_pval *v = gs_scenario_get(t, path);
    return v && v->layer >= 0;
}

size_t sw_count(const gs_scenario *t, const char *path)
{
    return (size_t)gs_scenario_num(t, path);
}

char *sw_strdup(const gs_scenario *t, const char *path, bool *oom)
{
    const char *v = gs_scenario_str(t, path);
    if (!v || !v[0])
        return NULL;
    char *c = gs_strdup(v);
    if (!c)
        *oom = true;
    return c;
}

/* The keys every method shares; a method's own are in its type's params. */
static const gs_param_def COMMON_PARAMS[] = {
    {"sweep.name", GS_PT_STRING, GS_PF_REQUIRED | GS_PF_IDENT, "", 0, NULL, 0, 0,
     "the sweep's name: 1-64 characters of A-Z a-z 0-9 . _ - (it names the output folder)"},
    {"sweep.base", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "the base scenario file, relative to this file"},
    {"sweep.method", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "oat, grid, morris, sobol, goal, fast, rbd_fast, delta or pawn"},
    {"sweep.trajectories", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 0, NULL, 1,
     GS_MAX_POINT_TRAJECTORIES,
     "trajectories of each design point (default: the base scenario's run.trajectories)"},
    {"sweep.seed", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 0, NULL, 0, GS_SEED_MAX,
     "seed of every design point (default: the base scenario's run.seed)"},
    {"sweep.metrics", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "what each point reports, e.g. [\"target:2030\", \"share@2030:p50\"]"},
    {"sweep.sets", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "\"PATH=VALUE\" overrides of the base scenario at every point"},
    {"sweep.parameters.*.path", GS_PT_STRING, GS_PF_REQUIRED | GS_PF_LIST, "", 0, NULL, 0, 0,
     "the parameter moved"},
    {"sweep.parameters.*.min", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_LIST, "", 0, NULL, -HUGE_VAL,
     HUGE_VAL, "lowest value (with max)"},
    {"sweep.parameters.*.max", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_LIST, "", 0, NULL, -HUGE_VAL,
     HUGE_VAL, "highest value (with min)"},
    {"sweep.parameters.*.values", GS_PT_NUMBER_ARRAY, GS_PF_LIST, "", 0, "[]", -HUGE_VAL,
     HUGE_VAL, "the values it takes (instead of min and max)"},
    GS_PARAM_END};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Parameter i of the "parameters" list. */
static gs_status read_param(const sw_rd *r, const gs_scenario *t, size_t i, gs_sweep_param *p)
{
    char path[64], mn[64], mx[64], vs[64];
    snprintf(path, sizeof path, "sweep.parameters.[%zu].path", i);
    snprintf(mn, sizeof mn, "sweep.parameters.[%zu].min", i);
    snprintf(mx, sizeof mx, "sweep.parameters.[%zu].max", i);
    snprintf(vs, sizeof vs, "sweep.parameters.[%zu].values", i);
    p->min = p->max = NAN;
    p->line = gs_scenario_get(t, path)->line;
    p->path = gs_strdup(gs_scenario_str(t, path));
    if (!p->path)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (sw_given(t, mn))
        p->min = gs_scenario_num(t, mn);
    if (sw_given(t, mx))
        p->max = gs_scenario_num(t, mx);
    if (sw_given(t, vs)) {
        const double *v;
        size_t n = gs_scenario_array(t, vs, &v);
        if (n < 1 || n > SW_MAX_VALUES)
            return gs_scenario_errorf(t, vs, r->err, "values must hold 1 to %d numbers, got %zu",
                                      SW_MAX_VALUES, n);
        p->values = malloc(n * sizeof *p->values);
        if (!p->values)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        memcpy(p->values, v, n * sizeof *v);
        p->n_values = n;
        qsort(p->values, p->n_values, sizeof *p->values, cmp_double);
    }
    if (isnan(p->min) != isnan(p->max))
        return gs_scenario_errorf(t, isnan(p->min) ? mx : mn, r->err,
                                  "%s: give both min and max, or neither", p->path);
    if (!isnan(p->min) && !(p->min < p->max))
        return gs_scenario_errorf(t, mn, r->err, "%s: min must be below max", p->path);
    if (p->values && !isnan(p->min))
        return gs_scenario_errorf(t, vs, r->err, "%s: give values or min/max, not both",
                                  p->path);
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
                               const gs_scenario *t)
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
            st = gs_scenario_errorf(t, sw->type->lead_key, r->err, "%s: %s",
                                    sw->type->lead_key + strlen("sweep."), e.msg);
        else
            st = gs_scenario_errorf(t, "sweep.metrics", r->err, "metrics: %s", e.msg);
    }
    const char *stat = NULL;
    const char *by_year = sw->type->by_year ? sw->type->by_year(sw, &stat) : NULL;
    if (st == GS_OK && by_year) {
        char m[256];
        snprintf(m, sizeof m, "%s@%d:%s", by_year, gs_results_t0(res), stat);
        double v;
        if (gs_results_metric(res, m, &v, &e) != GS_OK)
            st = gs_scenario_errorf(t, "sweep.by_year", r->err, "by_year: %s", e.msg);
    }
    gs_results_free(res);
    gs_sim_free(sim);
    return st;
}

static bool in_table(const gs_param_def *d, const char *path)
{
    for (; d && d->path; d++)
        if (strcmp(d->path, path) == 0)
            return true;
    return false;
}

/* The method decides which table the file is checked against, so it is
 * looked up first, with the names of the keys beside it: a key of another
 * method is refused by name, before the table would call it unknown.  A
 * missing or mistyped method is left to the table's own message. */
static gs_status read_method(const sw_rd *r, gs_sweep *sw)
{
    config_t cfg;
    config_init(&cfg);
    gs_status st = gs_cfg_read_file(&cfg, r->file, r->err);
    const config_setting_t *g = st ? NULL : config_lookup(&cfg, "sweep");
    const config_setting_t *ms = g ? config_setting_get_member(g, "method") : NULL;
    const char *method = ms ? config_setting_get_string(ms) : NULL;
    size_t nt;
    const gs_sweep_type *const *types = sw_types(&nt);
    for (size_t k = 0; method && k < nt; k++)
        if (strcmp(method, types[k]->name) == 0)
            sw->type = types[k];
    if (method && !sw->type) {
        const char *names[16];
        char list[200] = "";
        for (size_t k = 0; k < nt && k < 16; k++) {
            names[k] = types[k]->name;
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     k == 0 ? "" : k + 1 == nt ? " or " : ", ", types[k]->name);
        }
        const char *near = gs_nearest(method, names, nt < 16 ? nt : 16);
        st = near ? gs_setting_errorf(r->err, GS_ECONFIG, ms, r->file,
                                      "method \"%s\" is unknown (did you mean \"%s\"?)", method,
                                      near)
                  : gs_setting_errorf(r->err, GS_ECONFIG, ms, r->file,
                                      "method \"%s\" is unknown: use %s", method, list);
    }
    for (int i = 0; sw->type && !st && config_setting_is_group(g) && i < config_setting_length(g);
         i++) {
        const config_setting_t *k = config_setting_get_elem(g, (unsigned)i);
        char path[160];
        snprintf(path, sizeof path, "sweep.%s", config_setting_name(k));
        bool params = strcmp(path, "sweep.parameters") == 0;
        if (params ? sw->type->takes_parameters
                   : in_table(COMMON_PARAMS, path) || in_table(sw->type->params, path))
            continue;
        for (size_t t = 0; t < nt && !st; t++)
            if (params || in_table(types[t]->params, path))
                st = gs_setting_errorf(r->err, GS_ECONFIG, k, r->file,
                                       "%s does not apply to method \"%s\"",
                                       config_setting_name(k), sw->type->name);
    }
    config_destroy(&cfg);
    return st;
}

/* The sweep file against the shared keys and the method's own (only the
 * shared ones while the method is unknown: the table then reports it). */
static gs_status load_table(const char *file, const gs_sweep_type *method, gs_scenario **t,
                            gs_error *err)
{
    const gs_param_def *tables[] = {COMMON_PARAMS, method ? method->params : NULL, NULL};
    gs_status st = gs_scenario_load(tables, file, NULL, 0, t, err);
    if (!st && gs_scenario_n_layers(*t) > 1) {
        st = gs_error_set(err, GS_ECONFIG, file, 1, "a sweep file does not inherit another");
        gs_scenario_free(*t);
        *t = NULL;
    }
    return st;
}

static gs_status read_common(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    bool oom = false;
    sw->name = sw_strdup(t, "sweep.name", &oom);
    sw->base = sw_strdup(t, "sweep.base", &oom);
    if (oom)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (sw->name[0] == '.' || strlen(sw->name) > 64)
        return gs_scenario_errorf(t, "sweep.name", r->err,
                                  "name \"%s\" must be 1-64 characters of A-Z a-z 0-9 . _ - "
                                  "(it names the output folder)",
                                  sw->name);
    if (!sw->base)
        return gs_scenario_errorf(t, "sweep.base", r->err, "base must not be empty");
    if (sw_given(t, "sweep.trajectories"))
        sw->trajectories = sw_count(t, "sweep.trajectories");
    if (sw_given(t, "sweep.seed")) {
        sw->seed = (uint64_t)gs_scenario_num(t, "sweep.seed");
        sw->has_seed = true;
    }
    static const struct {
        const char *path;
        size_t max;
    } lists[] = {{"sweep.metrics", SW_MAX_METRICS}, {"sweep.sets", GS_MAX_SETS}};
    for (int l = 0; l < 2; l++) {
        if (!sw_given(t, lists[l].path))
            continue;
        const gs_pval *v = gs_scenario_get(t, lists[l].path);
        if (v->n_arr == 0 || v->n_arr > lists[l].max)
            return gs_scenario_errorf(t, lists[l].path, r->err, "%s must hold 1 to %zu strings",
                                      lists[l].path + strlen("sweep."), lists[l].max);
        char **out = calloc(v->n_arr, sizeof *out);
        if (!out)
            return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
        if (l == 0) {
            sw->metrics = out;
            sw->n_metrics = v->n_arr;
        } else {
            sw->sets = out;
            sw->n_sets = v->n_arr;
        }
        for (size_t i = 0; i < v->n_arr; i++)
            if (!(out[i] = gs_strdup(v->sarr[i])))
                return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    return GS_OK;
}

static gs_status read_params(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    const gs_sweep_type *ty = sw->type;
    size_t k = gs_scenario_items(t, "sweep.parameters", NULL);
    if (k == 0)
        return gs_scenario_errorf(t, "sweep.parameters", r->err,
                                  "sweep: parameters is missing: a list ( { path = \"...\"; min "
                                  "= ...; max = ...; }, ... )");
    if (k > SW_MAX_PARAMS)
        return gs_scenario_errorf(t, "sweep.parameters", r->err,
                                  "parameters must hold 1 to %d entries", SW_MAX_PARAMS);
    if (k < ty->min_params || k > ty->max_params)
        return gs_scenario_errorf(t, "sweep.parameters", r->err, ty->count_rule, k);
    sw->params = calloc(k, sizeof *sw->params);
    if (!sw->params)
        return gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < k; i++) {
        sw->n_params = i + 1;
        gs_status st = read_param(r, t, i, &sw->params[i]);
        if (st)
            return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sw->params[j].path, sw->params[i].path) == 0)
                return gs_error_set(r->err, GS_ECONFIG, r->file, sw->params[i].line,
                                    "%s is listed twice", sw->params[i].path);
    }
    return GS_OK;
}

/* The base scenario, resolved against this file's folder, loaded once to
 * check every parameter and metric. */
static gs_status load_base(const sw_rd *r, const gs_scenario *t, gs_sweep *sw)
{
    char d[4096];
    dir_of(r->file, d, sizeof d);
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
            return gs_scenario_errorf(t, "sweep.base", r->err, "base: %s", e.msg);
        *r->err = e;
        return e.code;
    }
    gs_status st = GS_OK;
    for (size_t i = 0; i < sw->n_params && st == GS_OK; i++)
        st = check_param(r, sw, scn, &sw->params[i]);
    if (st == GS_OK && sw->type->check)
        st = sw->type->check(r, t, sw, scn);
    if (st == GS_OK)
        st = probe_metrics(r, sw, scn, t);
    gs_scenario_free(scn);
    return st;
}

static gs_status parse(const sw_rd *r, gs_sweep *sw)
{
    gs_scenario *t = NULL;
    gs_status st = read_method(r, sw);
    if (!st)
        st = load_table(r->file, sw->type, &t, r->err);
    if (!st && !sw->type) /* the table found nothing wrong with the method it lacks */
        st = gs_scenario_errorf(t, "sweep.method", r->err, "sweep: method is missing");
    if (st) {
        gs_scenario_free(t);
        return st;
    }
    sw->opts = calloc(1, sw->type->opts_size ? sw->type->opts_size : 1);
    if (!sw->opts)
        st = gs_error_set(r->err, GS_ENOMEM, NULL, 0, "out of memory");
    if (!st && sw->type->init)
        sw->type->init(sw->opts);
    if (!st)
        st = read_common(r, t, sw);
    if (!st && sw->type->read)
        st = sw->type->read(r, t, sw->opts);
    if (!st && sw->type->finish)
        st = sw->type->finish(r, t, sw);
    if (!st && sw->type->takes_parameters)
        st = read_params(r, t, sw);
    if (!st && !sw->metrics && !sw->type->lead_key)
        st = gs_scenario_errorf(t, "sweep.metrics", r->err,
                                "sweep: metrics is missing, e.g. metrics = [\"target:2030\"]");
    if (!st)
        st = load_base(r, t, sw);
    gs_scenario_free(t);
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
    sw_rd r = {file, err};
    gs_status st = parse(&r, sw);
    if (st != GS_OK) {
        gs_sweep_free(sw);
        return st;
    }
    *out = sw;
    return GS_OK;
}
