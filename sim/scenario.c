/* The config layer: libconfig files, inheritance, --set overrides, checking
 * against the parameter tables, and the resolved scenario. */
#include "gs_scenario.h"
#include "gs_scenario_path.h"

#include "gs_cfgtext.h"
#include "gs_conf.h"
#include "gs_dist_config.h"
#include "gs_util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GS_MAX_INHERIT 8
/* The file, what it inherits, and every --set. */
#define GS_MAX_LAYERS (GS_MAX_INHERIT + 1 + GS_MAX_SETS)

typedef struct collection {
    char *name;     /* "segments" */
    char **items;
    size_t n;
    int list;       /* a list of unnamed groups (GS_PF_LIST): items "[0]", "[1]", ... */
} collection;

struct gs_scenario {
    char *file;
    config_t *layers[GS_MAX_LAYERS]; /* most derived first */
    char *layer_name[GS_MAX_LAYERS]; /* file name, or "--set PATH" */
    char *layer_value[GS_MAX_LAYERS]; /* the VALUE text of a --set; NULL for a file */
    size_t n_layers;
    size_t n_borrowed; /* the last n_borrowed layers belong to the scenario bound onto
                        * (gs_scenario_bind), which outlives this one */
    collection *colls;
    size_t n_colls;
    gs_pval *vals;
    size_t n_vals;
    size_t *dims; /* dims[k] = index of the k-th sampled parameter */
    size_t n_dims;
    gs_copula *copula;
    size_t *copula_dims;
    gs_param_rows *rows; /* parameters_from, NULL when not given */
    /* vals by path: open addressing, slots hold index + 1 (0 = empty);
     * NULL until the values are final (gs_scenario_index scans then). */
    size_t *slot;
    size_t slot_mask;
};

/* ------------------------------------------------------------------ util */

static gs_status build_index(gs_scenario *s, gs_error *err);

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return buf;
}

static int is_key_ident(const char *s)
{
    /* libconfig's own rule for setting names. */
    if (!isalpha((unsigned char)*s) && *s != '*')
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '*')
            return 0;
    return 1;
}

static const char *setting_file(const gs_scenario *s, const config_setting_t *st, size_t layer)
{
    const char *f = config_setting_source_file(st);
    return f ? f : s->layer_name[layer];
}

/* Which layer a setting belongs to (settings know their config). */
static size_t layer_of(const gs_scenario *s, const config_setting_t *st)
{
    for (size_t i = 0; i < s->n_layers; i++)
        if (st->config == s->layers[i])
            return i;
    return 0;
}

/* A configuration error at setting st, in the file of its layer when it has
 * no file of its own (--set text). */
#define err_at(s, st, err, ...) \
    gs_setting_errorf(err, GS_ECONFIG, st, s->layer_name[layer_of(s, st)], __VA_ARGS__)

/* ------------------------------------------------------------ patterns */

/* Does the expanded path match the pattern ("*" matches one item name)? */
static int path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            while (*path && *path != '.')
                path++;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

/* Is path a group on the way to the pattern (a proper prefix at a dot)? */
static int path_is_prefix(const char *pattern, const char *path)
{
    size_t n = strlen(path);
    /* Compare component by component. */
    const char *p = pattern, *q = path;
    while (*q) {
        if (!*p)
            return 0;
        if (*p == '*') {
            while (*q && *q != '.')
                q++;
            p++;
        } else {
            if (*p != *q)
                return 0;
            p++;
            q++;
        }
    }
    (void)n;
    return *p == '.';
}

static const gs_param_def *find_def(const gs_param_def *const *tables, const char *path)
{
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++)
            if (path_matches(d->path, path))
                return d;
    return NULL;
}

static int is_group_path(const gs_param_def *const *tables, const char *path)
{
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++)
            if (path_is_prefix(d->path, path))
                return 1;
    return 0;
}

/* ---------------------------------------------------------- collections */

static collection *find_coll(const gs_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_colls; i++)
        if (strcmp(s->colls[i].name, name) == 0)
            return &s->colls[i];
    return NULL;
}

static gs_status add_coll(gs_scenario *s, const char *name, int list, gs_error *err)
{
    collection *have = find_coll(s, name);
    if (have) {
        have->list |= list;
        return GS_OK;
    }
    collection *c = realloc(s->colls, (s->n_colls + 1) * sizeof *c);
    if (!c)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    s->colls = c;
    c[s->n_colls] = (collection){gs_strdup(name), NULL, 0, list};
    s->n_colls++;
    return GS_OK;
}

static gs_status coll_add_item(collection *c, const char *item, gs_error *err)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i], item) == 0)
            return GS_OK;
    char **it = realloc(c->items, (c->n + 1) * sizeof *it);
    if (!it)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    c->items = it;
    c->items[c->n] = gs_strdup(item);
    if (!c->items[c->n])
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    c->n++;
    return GS_OK;
}

/* Collections are the parts of patterns before a "*". */
static gs_status find_collections(gs_scenario *s, const gs_param_def *const *tables,
                                  gs_error *err)
{
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++) {
            const char *star = strstr(d->path, ".*");
            if (!star)
                continue;
            char name[256];
            size_t n = (size_t)(star - d->path);
            if (n >= sizeof name)
                n = sizeof name - 1;
            memcpy(name, d->path, n);
            name[n] = '\0';
            gs_status st = add_coll(s, name, (d->flags & GS_PF_LIST) != 0, err);
            if (st)
                return st;
        }
    /* Items in base-first order, so that a derived file's new items come last. */
    for (size_t l = s->n_layers; l-- > 0;) {
        for (size_t c = 0; c < s->n_colls; c++) {
            config_setting_t *g = config_lookup(s->layers[l], s->colls[c].name);
            if (!g)
                continue;
            if (s->colls[c].list) {
                if (config_setting_type(g) != CONFIG_TYPE_LIST)
                    return err_at(s, g, err, "%s: expected a list ( { ... }, { ... } )",
                                  s->colls[c].name);
                for (int i = 0; i < config_setting_length(g); i++) {
                    config_setting_t *it = config_setting_get_elem(g, (unsigned)i);
                    if (config_setting_type(it) != CONFIG_TYPE_GROUP)
                        return err_at(s, it, err, "%s.[%d]: expected a group { ... }",
                                      s->colls[c].name, i);
                    char item[32];
                    snprintf(item, sizeof item, "[%d]", i);
                    gs_status st = coll_add_item(&s->colls[c], item, err);
                    if (st)
                        return st;
                }
                continue;
            }
            if (config_setting_type(g) != CONFIG_TYPE_GROUP)
                return err_at(s, g, err, "%s: expected a group of named items { name = { ... }; }",
                              s->colls[c].name);
            for (int i = 0; i < config_setting_length(g); i++) {
                config_setting_t *it = config_setting_get_elem(g, (unsigned)i);
                if (config_setting_type(it) != CONFIG_TYPE_GROUP)
                    return err_at(s, it, err, "%s.%s: expected a group { ... }",
                                  s->colls[c].name, config_setting_name(it));
                gs_status st = coll_add_item(&s->colls[c], config_setting_name(it), err);
                if (st)
                    return st;
            }
        }
    }
    return GS_OK;
}

/* --------------------------------------------------------------- layers */

static gs_status read_layer(gs_scenario *s, const char *file, gs_error *err)
{
    if (s->n_layers >= GS_MAX_LAYERS)
        return gs_error_set(err, GS_ECONFIG, file, 0, "too many layers");
    config_t *cfg = malloc(sizeof *cfg);
    if (!cfg)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    config_init(cfg);
    gs_status rc = gs_cfg_read_file(cfg, file, err);
    if (rc) {
        config_destroy(cfg);
        free(cfg);
        return rc;
    }
    s->layers[s->n_layers] = cfg;
    s->layer_name[s->n_layers] = gs_strdup(file);
    s->n_layers++;
    return GS_OK;
}

static gs_status read_chain(gs_scenario *s, const char *file, gs_error *err)
{
    gs_status st = read_layer(s, file, err);
    for (int depth = 1; !st; depth++) {
        config_t *cfg = s->layers[s->n_layers - 1];
        config_setting_t *inh = config_lookup(cfg, "inherit");
        if (!inh)
            break;
        if (config_setting_type(inh) != CONFIG_TYPE_STRING)
            return err_at(s, inh, err, "inherit: expected a file name in quotes");
        if (depth > GS_MAX_INHERIT)
            return err_at(s, inh, err, "inherit: more than %d levels of inheritance (a cycle?)",
                          GS_MAX_INHERIT);
        char *looked = NULL;
        char *cur = gs_scenario_find_inherit(s->layer_name[s->n_layers - 1],
                                             config_setting_get_string(inh), &looked);
        if (!cur) {
            gs_status rc = looked ? err_at(s, inh, err, "inherit: cannot find \"%s\": looked in %s",
                                           config_setting_get_string(inh), looked)
                                  : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            free(looked);
            return rc;
        }
        struct stat sb;
        int e = stat(cur, &sb) != 0 ? errno : 0;
        if (e || !S_ISREG(sb.st_mode)) {
            gs_status rc = err_at(s, inh, err, "inherit: cannot read \"%s\": %s", cur,
                                  e ? strerror(e) : "not a regular file");
            free(cur);
            return rc;
        }
        st = read_layer(s, cur, err);
        free(cur);
    }
    return st;
}

/* A --set layer: VALUE is parsed on its own as exactly one libconfig value
 * (so that no text of it can close a group or add a setting), then placed at
 * PATH in a config of its own. */
static gs_status read_set(gs_scenario *s, const char *set, gs_error *err)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set)
        return gs_error_set(err, GS_EUSAGE, "--set", 0, "expected PATH=VALUE, got \"%s\"", set);
    size_t plen = (size_t)(eq - set);
    char *path = malloc(plen + 1);
    if (!path)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    memcpy(path, set, plen);
    path[plen] = '\0';
    /* Each component must be a valid key. */
    char *copy = gs_strdup(path);
    int ok = copy != NULL;
    for (char *tok = copy ? strtok(copy, ".") : NULL; tok && ok; tok = strtok(NULL, "."))
        ok = is_key_ident(tok) && !strchr(tok, '*');
    free(copy);
    if (!ok || path[plen - 1] == '.' || path[0] == '.' || strstr(path, "..")) {
        gs_error_set(err, GS_EUSAGE, "--set", 0, "\"%s\" is not a parameter path", path);
        free(path);
        return GS_EUSAGE;
    }
    char *name = xprintf("--set %s", path);
    if (!name) {
        free(path);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    if (strcmp(path, "inherit") == 0) {
        free(path);
        gs_error_set(err, GS_EUSAGE, name, 0, "inherit can only be given in a scenario file");
        free(name);
        return GS_EUSAGE;
    }
    if (s->n_layers >= GS_MAX_LAYERS) {
        free(path);
        free(name);
        return gs_error_set(err, GS_EUSAGE, "--set", 0, "more than %d --set options",
                            GS_MAX_SETS);
    }
    config_t scratch;
    config_init(&scratch);
    config_t *cfg = malloc(sizeof *cfg);
    config_setting_t *value = NULL;
    gs_status rc = cfg ? gs_cfg_parse_value(&scratch, eq + 1, name, &value, err)
                       : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    if (!rc) {
        config_init(cfg);
        config_setting_t *at = config_root_setting(cfg);
        char *last = path;
        for (char *dot = strchr(path, '.'); at && dot; dot = strchr(last, '.')) {
            *dot = '\0';
            at = config_setting_add(at, last, CONFIG_TYPE_GROUP);
            last = dot + 1;
        }
        if (!at || !gs_cfg_copy(at, last, value)) {
            config_destroy(cfg);
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        }
    }
    config_destroy(&scratch);
    free(path);
    if (rc) {
        free(cfg);
        free(name);
        return rc;
    }
    /* --set layers go in front: shift the file layers back. */
    memmove(s->layers + 1, s->layers, s->n_layers * sizeof *s->layers);
    memmove(s->layer_name + 1, s->layer_name, s->n_layers * sizeof *s->layer_name);
    memmove(s->layer_value + 1, s->layer_value, s->n_layers * sizeof *s->layer_value);
    s->layers[0] = cfg;
    s->layer_name[0] = name;
    s->layer_value[0] = gs_strdup(eq + 1);
    s->n_layers++;
    return GS_OK;
}

/* ------------------------------------------------------ unknown keys */

typedef struct cand_list {
    char **v;
    size_t n, cap;
} cand_list;

static void cand_add(cand_list *c, char *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i], s) == 0) {
            free(s);
            return;
        }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        char **nv = realloc(c->v, nc * sizeof *nv);
        if (!nv) {
            free(s);
            return;
        }
        c->v = nv;
        c->cap = nc;
    }
    c->v[c->n++] = s;
}

static void cand_free(cand_list *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
}

/* Known paths, with "*" replaced by the item name the user wrote (so that
 * "segments.advnced.weight" is compared with "segments.advnced.weight"'s
 * siblings) and by each known item. */
static void known_paths(const gs_scenario *s, const gs_param_def *const *tables,
                        const char *user_path, cand_list *out)
{
    char item[128] = "";
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++) {
            const char *star = strstr(d->path, "*");
            if (!star) {
                cand_add(out, gs_strdup(d->path));
                continue;
            }
            size_t pre = (size_t)(star - d->path);
            /* The collection itself, for a misspelt collection name. */
            cand_add(out, xprintf("%.*s", (int)(pre - 1), d->path));
            if (strncmp(user_path, d->path, pre) == 0) {
                const char *u = user_path + pre;
                size_t k = strcspn(u, ".");
                if (k < sizeof item) {
                    memcpy(item, u, k);
                    item[k] = '\0';
                    cand_add(out, xprintf("%.*s%s%s", (int)pre, d->path, item, star + 1));
                }
            }
            for (size_t c = 0; c < s->n_colls; c++) {
                if (strlen(s->colls[c].name) != pre - 1 ||
                    strncmp(s->colls[c].name, d->path, pre - 1) != 0)
                    continue;
                for (size_t i = 0; i < s->colls[c].n; i++)
                    cand_add(out, xprintf("%.*s%s%s", (int)pre, d->path, s->colls[c].items[i],
                                          star + 1));
            }
        }
}

static gs_status check_keys(const gs_scenario *s, const gs_param_def *const *tables,
                            config_setting_t *g, const char *prefix, gs_error *err)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        config_setting_t *st = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(st);
        char *path = prefix[0] ? xprintf("%s.%s", prefix, name) : gs_strdup(name);
        if (!path)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        gs_status rc = GS_OK;
        if (!prefix[0] && strcmp(name, "inherit") == 0) {
            /* handled by read_chain */
        } else if (find_def(tables, path)) {
            /* a parameter: its value is checked when it is resolved */
        } else if (is_group_path(tables, path) && config_setting_type(st) == CONFIG_TYPE_LIST &&
                   find_coll(s, path) && find_coll(s, path)->list) {
            /* A list collection: find_collections checked that its elements are groups. */
            for (int k = 0; k < config_setting_length(st) && !rc; k++) {
                char *ip = xprintf("%s.[%d]", path, k);
                rc = ip ? check_keys(s, tables, config_setting_get_elem(st, (unsigned)k), ip, err)
                        : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                free(ip);
            }
        } else if (is_group_path(tables, path)) {
            if (config_setting_type(st) != CONFIG_TYPE_GROUP)
                rc = err_at(s, st, err, "%s: expected a group { ... }", path);
            else
                rc = check_keys(s, tables, st, path, err);
        } else {
            cand_list c = {0};
            known_paths(s, tables, path, &c);
            const char *near = gs_nearest(path, (const char *const *)c.v, c.n);
            if (near)
                rc = err_at(s, st, err, "unknown key \"%s\" (did you mean \"%s\"?)", path, near);
            else
                rc = err_at(s, st, err, "unknown key \"%s\" (see `gapsim params`)", path);
            cand_free(&c);
        }
        free(path);
        if (rc)
            return rc;
    }
    return GS_OK;
}

/* ------------------------------------------------------------ resolution */

static const char *type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "true or false";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "nothing";
    }
}

static int is_number_setting(const config_setting_t *st)
{
    int t = config_setting_type(st);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double number_of(const config_setting_t *st)
{
    switch (config_setting_type(st)) {
    case CONFIG_TYPE_INT: return (double)config_setting_get_int(st);
    case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(st);
    default: return config_setting_get_float(st);
    }
}

static void fmt_range(const gs_param_def *d, char *buf, size_t n)
{
    snprintf(buf, n, "[%.10g, %.10g]", d->lo, d->hi);
}

static gs_status resolve_number(gs_scenario *s, gs_pval *v, config_setting_t *st, gs_error *err)
{
    const gs_param_def *d = v->def;
    char range[96];
    fmt_range(d, range, sizeof range);
    if (d->flags & GS_PF_FIXED) {
        if (!is_number_setting(st))
            return err_at(s, st, err, "%s: expected a plain number, not %s%s", v->path,
                          type_name(config_setting_type(st)),
                          config_setting_type(st) == CONFIG_TYPE_GROUP
                              ? " (this parameter may not be a distribution)"
                              : "");
        v->dist = gs_dist_constant(number_of(st));
    } else {
        if (!is_number_setting(st) && config_setting_type(st) != CONFIG_TYPE_GROUP)
            return err_at(s, st, err, "%s: expected a number or a distribution, not %s", v->path,
                          type_name(config_setting_type(st)));
        gs_status rc = gs_dist_from_setting(st, v->path, &v->dist, err);
        if (rc) {
            /* Strings read from --set have no file: name the layer instead. */
            if (err && !config_setting_source_file(st)) {
                snprintf(err->file, sizeof err->file, "%s", s->layer_name[layer_of(s, st)]);
                err->line = 0;
            }
            return rc;
        }
    }
    /* The range a distribution reaches in practice: draws beyond its 1e-9
     * quantiles are clamped (gs_scenario_draw), which moves no statistic. */
    double lo = gs_dist_is_constant(&v->dist) ? v->dist.a : gs_dist_quantile(&v->dist, 1e-9);
    double hi = gs_dist_is_constant(&v->dist) ? v->dist.a : gs_dist_quantile(&v->dist, 1 - 1e-9);
    if (!(lo >= d->lo && hi <= d->hi)) {
        if (gs_dist_is_constant(&v->dist))
            return err_at(s, st, err, "%s = %.10g is out of range %s", v->path, v->dist.a, range);
        char advice[256];
        gs_dist_range_advice(&v->dist, d->lo, d->hi, advice, sizeof advice);
        return err_at(s, st, err,
                      "%s: the distribution reaches [%.6g, %.6g], outside the allowed range %s "
                      "(%s)",
                      v->path, lo, hi, range, advice);
    }
    if ((d->flags & GS_PF_INT) && gs_dist_is_constant(&v->dist) &&
        v->dist.a != floor(v->dist.a))
        return err_at(s, st, err, "%s = %.10g: expected a whole number", v->path, v->dist.a);
    return GS_OK;
}

static gs_status resolve_value(gs_scenario *s, gs_pval *v, config_setting_t *st, gs_error *err)
{
    const gs_param_def *d = v->def;
    int t = config_setting_type(st);
    switch (d->type) {
    case GS_PT_NUMBER:
        return resolve_number(s, v, st, err);
    case GS_PT_STRING:
        if (t != CONFIG_TYPE_STRING)
            return err_at(s, st, err, "%s: expected a string in quotes, not %s", v->path,
                          type_name(t));
        v->str = gs_strdup(config_setting_get_string(st));
        if (!v->str)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        if ((d->flags & GS_PF_IDENT) && !gs_is_ident(v->str))
            return err_at(s, st, err,
                          "%s: \"%s\" may only hold letters, digits, '.', '_' and '-' "
                          "and may not be \".\" or \"..\" (it names files)",
                          v->path, v->str);
        if ((d->flags & GS_PF_REQUIRED) && !v->str[0])
            return err_at(s, st, err, "%s: must not be empty", v->path);
        return GS_OK;
    case GS_PT_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            return err_at(s, st, err, "%s: expected true or false, not %s", v->path, type_name(t));
        v->boolean = config_setting_get_bool(st);
        return GS_OK;
    case GS_PT_NUMBER_ARRAY:
    case GS_PT_STRING_ARRAY: {
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
            return err_at(s, st, err, "%s: expected an array [ ... ], not %s", v->path,
                          type_name(t));
        size_t n = (size_t)config_setting_length(st);
        v->n_arr = n;
        if (d->type == GS_PT_NUMBER_ARRAY) {
            v->arr = calloc(n ? n : 1, sizeof *v->arr);
            if (!v->arr)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        } else {
            v->sarr = calloc(n ? n : 1, sizeof *v->sarr);
            if (!v->sarr)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            config_setting_t *e = config_setting_get_elem(st, (unsigned)i);
            if (d->type == GS_PT_NUMBER_ARRAY) {
                if (!is_number_setting(e))
                    return err_at(s, e, err, "%s[%zu]: expected a number, not %s", v->path, i,
                                  type_name(config_setting_type(e)));
                double x = number_of(e);
                if (!(x >= d->lo && x <= d->hi))
                    return err_at(s, e, err, "%s[%zu] = %.10g is out of range [%.10g, %.10g]",
                                  v->path, i, x, d->lo, d->hi);
                if ((d->flags & GS_PF_INT) && x != floor(x))
                    return err_at(s, e, err, "%s[%zu] = %.10g: expected a whole number", v->path,
                                  i, x);
                v->arr[i] = x;
            } else {
                if (config_setting_type(e) != CONFIG_TYPE_STRING)
                    return err_at(s, e, err, "%s[%zu]: expected a string, not %s", v->path, i,
                                  type_name(config_setting_type(e)));
                v->sarr[i] = gs_strdup(config_setting_get_string(e));
                if (!v->sarr[i])
                    return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            }
        }
        return GS_OK;
    }
    }
    return GS_OK;
}

/* The setting for path in the most derived layer that has it. */
static config_setting_t *lookup(const gs_scenario *s, const char *path)
{
    for (size_t l = 0; l < s->n_layers; l++) {
        config_setting_t *st = config_lookup(s->layers[l], path);
        if (st)
            return st;
    }
    return NULL;
}

/* The setting of the closest enclosing group of path that exists, for the
 * line of a "missing key" message. */
static config_setting_t *lookup_parent(const gs_scenario *s, const char *path)
{
    char *p = gs_strdup(path);
    config_setting_t *st = NULL;
    while (p && !st) {
        char *dot = strrchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        st = lookup(s, p);
    }
    free(p);
    return st;
}

/* The line a message about something absent points at: the first setting of
 * the scenario file (the file named on the command line), else line 1. */
static int file_line(const gs_scenario *s)
{
    for (size_t l = 0; l < s->n_layers; l++) {
        const config_setting_t *root = config_root_setting(s->layers[l]);
        const config_setting_t *first = config_setting_get_elem(root, 0);
        const char *f = first ? config_setting_source_file(first) : NULL;
        if (f && strcmp(f, s->file) == 0)
            return (int)config_setting_source_line(first);
    }
    return 1;
}

static gs_status resolve_default(gs_scenario *s, gs_pval *v, gs_error *err)
{
    const gs_param_def *d = v->def;
    if (d->flags & GS_PF_REQUIRED) {
        config_setting_t *parent = lookup_parent(s, v->path);
        if (parent && config_setting_type(parent) == CONFIG_TYPE_GROUP &&
            config_setting_parent(parent))
            return err_at(s, parent, err, "missing required key \"%s\" (%s)", v->path, d->doc);
        return gs_error_set(err, GS_ECONFIG, s->file, file_line(s),
                            "missing required key \"%s\" (%s)", v->path, d->doc);
    }
    if (d->type == GS_PT_NUMBER) {
        v->dist = gs_dist_constant(d->def);
        return GS_OK;
    }
    if (d->type == GS_PT_BOOL) {
        v->boolean = d->def != 0.0;
        return GS_OK;
    }
    /* Strings and arrays: parse the table's default text through libconfig. */
    config_t cfg;
    config_init(&cfg);
    char *text = xprintf("x = %s;", d->def_text ? d->def_text : "\"\"");
    gs_status rc = GS_OK;
    if (!text || config_read_string(&cfg, text) != CONFIG_TRUE) {
        rc = gs_error_set(err, GS_ERUN, NULL, 0, "internal: bad default for %s", d->path);
    } else {
        config_setting_t *st = config_lookup(&cfg, "x");
        rc = resolve_value(s, v, st, err);
    }
    free(text);
    config_destroy(&cfg);
    return rc;
}

/* Resolves the value at path into v (cleared first). */
static gs_status init_val(gs_scenario *s, gs_pval *v, const gs_param_def *d, const char *path,
                          gs_error *err)
{
    memset(v, 0, sizeof *v);
    v->def = d;
    v->dim = -1;
    v->layer = -1;
    v->path = gs_strdup(path);
    if (!v->path)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    config_setting_t *st = lookup(s, path);
    if (!st)
        return resolve_default(s, v, err);
    size_t l = layer_of(s, st);
    v->layer = (int)l;
    v->file = gs_strdup(setting_file(s, st, l));
    v->line = config_setting_source_file(st) ? (int)config_setting_source_line(st) : 0;
    return resolve_value(s, v, st, err);
}

static gs_status add_val(gs_scenario *s, const gs_param_def *d, const char *path, gs_error *err)
{
    gs_pval *nv = realloc(s->vals, (s->n_vals + 1) * sizeof *nv);
    if (!nv)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    s->vals = nv;
    gs_pval *v = &s->vals[s->n_vals++];
    return init_val(s, v, d, path, err);
}

static gs_status resolve_all(gs_scenario *s, const gs_param_def *const *tables, gs_error *err)
{
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++) {
            const char *star = strstr(d->path, ".*");
            gs_status rc = GS_OK;
            if (!star) {
                rc = add_val(s, d, d->path, err);
            } else {
                char coll[256];
                size_t n = (size_t)(star - d->path);
                snprintf(coll, sizeof coll, "%.*s", (int)n, d->path);
                collection *c = find_coll(s, coll);
                for (size_t i = 0; c && i < c->n && !rc; i++) {
                    char *p = xprintf("%s.%s%s", coll, c->items[i], star + 2);
                    rc = p ? add_val(s, d, p, err)
                           : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                    free(p);
                }
            }
            if (rc)
                return rc;
        }
    return GS_OK;
}

static gs_status setup_sampling(gs_scenario *s, gs_error *err)
{
    for (size_t i = 0; i < s->n_vals; i++)
        if (s->vals[i].def->type == GS_PT_NUMBER && !gs_dist_is_constant(&s->vals[i].dist)) {
            size_t *nd = realloc(s->dims, (s->n_dims + 1) * sizeof *nd);
            if (!nd)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            s->dims = nd;
            s->vals[i].dim = (long)s->n_dims;
            s->dims[s->n_dims++] = i;
        }
    const gs_pval *names = gs_scenario_get(s, "correlations.params");
    const gs_pval *mat = gs_scenario_get(s, "correlations.matrix");
    if (names && mat && names->n_arr == 0 && mat->n_arr > 0)
        return gs_scenario_errorf(s, "correlations.matrix", err,
                                  "correlations.matrix: a matrix without correlations.params "
                                  "(the parameters its rows and columns stand for)");
    if (!names || !mat || names->n_arr == 0)
        return GS_OK;
    size_t n = names->n_arr;
    if (mat->n_arr != n * n)
        return gs_scenario_errorf(s, "correlations.matrix", err,
                                  "correlations.matrix has %zu entries; %zu parameters need "
                                  "%zu x %zu = %zu",
                                  mat->n_arr, n, n, n, n * n);
    s->copula_dims = calloc(n, sizeof *s->copula_dims);
    if (!s->copula_dims)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < n; k++) {
        const gs_pval *p = gs_scenario_get(s, names->sarr[k]);
        if (!p || p->def->type != GS_PT_NUMBER)
            return gs_scenario_errorf(s, "correlations.params", err,
                                      "correlations.params: \"%s\" is not a number parameter",
                                      names->sarr[k]);
        if (p->dim < 0)
            return gs_scenario_errorf(s, "correlations.params", err,
                                      "correlations.params: \"%s\" is a constant; only "
                                      "parameters given as distributions can be correlated",
                                      names->sarr[k]);
        for (size_t j = 0; j < k; j++)
            if (s->copula_dims[j] == (size_t)p->dim)
                return gs_scenario_errorf(s, "correlations.params", err,
                                          "correlations.params: \"%s\" is listed twice",
                                          names->sarr[k]);
        s->copula_dims[k] = (size_t)p->dim;
    }
    s->copula = gs_copula_new(n, mat->arr, err);
    if (!s->copula) {
        if (err && err->code == GS_ECONFIG) {
            char msg[sizeof err->msg];
            memcpy(msg, err->msg, sizeof msg);
            return gs_scenario_errorf(s, "correlations.matrix", err, "correlations.matrix: %.800s",
                                      msg);
        }
        return err ? err->code : GS_ECONFIG;
    }
    return GS_OK;
}

/* What a loaded and a bound scenario both end with: the path index, the
 * sampling plan and the posterior rows; on failure (rc or any of these) s
 * is freed. */
static gs_status finish(gs_scenario *s, gs_status rc, gs_scenario **out, gs_error *err)
{
    if (!rc)
        rc = build_index(s, err);
    if (!rc)
        rc = setup_sampling(s, err);
    if (!rc && gs_scenario_get(s, "parameters_from"))
        rc = gs_param_rows_load(s, &s->rows, err);
    if (rc) {
        gs_scenario_free(s);
        return rc;
    }
    *out = s;
    return GS_OK;
}

gs_status gs_scenario_load(const gs_param_def *const *tables, const char *file,
                           const char *const *sets, size_t n_sets, gs_scenario **out,
                           gs_error *err)
{
    *out = NULL;
    gs_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    s->file = gs_strdup(file);
    gs_status rc = read_chain(s, file, err);
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = read_set(s, sets[i], err);
    if (!rc)
        rc = find_collections(s, tables, err);
    for (size_t l = 0; !rc && l < s->n_layers; l++)
        rc = check_keys(s, tables, config_root_setting(s->layers[l]), "", err);
    if (!rc)
        rc = resolve_all(s, tables, err);
    return finish(s, rc, out, err);
}

/* Does a --set at set_path reach the value at path?  It does when either
 * path lies on the other's way (a group set whole, or a key inside a
 * distribution's group): a superset of what lookup() would find there. */
static int set_reaches(const char *set_path, const char *path)
{
    size_t n = strlen(set_path), m = strlen(path);
    size_t k = n < m ? n : m;
    if (strncmp(set_path, path, k) != 0)
        return 0;
    return n == m || (n < m ? path[n] == '.' : set_path[m] == '.');
}

static int same_collections(const gs_scenario *a, const gs_scenario *b)
{
    if (a->n_colls != b->n_colls)
        return 0;
    for (size_t c = 0; c < a->n_colls; c++) {
        const collection *x = &a->colls[c], *y = &b->colls[c];
        if (x->n != y->n || x->list != y->list || strcmp(x->name, y->name) != 0)
            return 0;
        for (size_t i = 0; i < x->n; i++)
            if (strcmp(x->items[i], y->items[i]) != 0)
                return 0;
    }
    return 1;
}

/* A copy of the base's value, its layer index moved behind the k new
 * layers in front. */
static gs_status copy_val(gs_pval *v, const gs_pval *b, size_t k, gs_error *err)
{
    *v = *b;
    v->path = v->file = v->str = NULL;
    v->arr = NULL;
    v->sarr = NULL;
    v->n_arr = 0;
    v->dim = -1;
    if (b->layer >= 0)
        v->layer = b->layer + (int)k;
    int ok = (v->path = gs_strdup(b->path)) != NULL;
    if (ok && b->file)
        ok = (v->file = gs_strdup(b->file)) != NULL;
    if (ok && b->str)
        ok = (v->str = gs_strdup(b->str)) != NULL;
    if (ok && b->arr) {
        ok = (v->arr = malloc((b->n_arr ? b->n_arr : 1) * sizeof *v->arr)) != NULL;
        if (ok)
            memcpy(v->arr, b->arr, b->n_arr * sizeof *v->arr);
    }
    if (ok && b->sarr) {
        ok = (v->sarr = calloc(b->n_arr ? b->n_arr : 1, sizeof *v->sarr)) != NULL;
        for (size_t i = 0; ok && i < b->n_arr; i++)
            ok = (v->sarr[i] = gs_strdup(b->sarr[i])) != NULL;
    }
    v->n_arr = (v->arr || v->sarr) ? b->n_arr : 0;
    return ok ? GS_OK : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
}

/* What gs_scenario_load(tables, base's file, base's sets + sets) gives,
 * without reading the files again: base's layers are shared, the --set
 * layers go in front, and only the values a --set reaches are resolved
 * again; every other value is the base's (the same setting would be found
 * for it).  When a --set adds an item to a collection, every value is
 * resolved, as gs_scenario_load does. */
gs_status gs_scenario_bind(const gs_param_def *const *tables, const gs_scenario *base,
                           const char *const *sets, size_t n_sets, gs_scenario **out,
                           gs_error *err)
{
    *out = NULL;
    gs_scenario *s = calloc(1, sizeof *s);
    if (!s)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    s->file = gs_strdup(base->file);
    memcpy(s->layers, base->layers, base->n_layers * sizeof *s->layers);
    memcpy(s->layer_name, base->layer_name, base->n_layers * sizeof *s->layer_name);
    memcpy(s->layer_value, base->layer_value, base->n_layers * sizeof *s->layer_value);
    s->n_layers = s->n_borrowed = base->n_layers;
    gs_status rc = s->file ? GS_OK : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = read_set(s, sets[i], err);
    size_t k = s->n_layers - s->n_borrowed; /* the new layers, in front */
    if (!rc)
        rc = find_collections(s, tables, err);
    int same = !rc && same_collections(s, base);
    /* The base's layers passed these checks with the base's collections;
     * more items cannot make them fail. */
    for (size_t l = 0; !rc && l < (same ? k : s->n_layers); l++)
        rc = check_keys(s, tables, config_root_setting(s->layers[l]), "", err);
    if (!rc && !same)
        rc = resolve_all(s, tables, err);
    if (!rc && same) {
        /* Every entry is written whole below (init_val or copy_val). */
        s->vals = malloc((base->n_vals ? base->n_vals : 1) * sizeof *s->vals);
        if (!s->vals)
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; !rc && i < base->n_vals; i++) {
            const gs_pval *b = &base->vals[i];
            int reached = 0;
            for (size_t l = 0; l < k && !reached; l++)
                reached = set_reaches(s->layer_name[l] + strlen("--set "), b->path);
            if (reached) {
                rc = init_val(s, &s->vals[s->n_vals], b->def, b->path, err);
                s->n_vals++;
            } else {
                rc = copy_val(&s->vals[s->n_vals], b, k, err);
                s->n_vals++;
            }
        }
    }
    return finish(s, rc, out, err);
}

void gs_scenario_free(gs_scenario *s)
{
    if (!s)
        return;
    for (size_t l = 0; l + s->n_borrowed < s->n_layers; l++) {
        config_destroy(s->layers[l]);
        free(s->layers[l]);
        free(s->layer_name[l]);
        free(s->layer_value[l]);
    }
    for (size_t c = 0; c < s->n_colls; c++) {
        for (size_t i = 0; i < s->colls[c].n; i++)
            free(s->colls[c].items[i]);
        free(s->colls[c].items);
        free(s->colls[c].name);
    }
    free(s->colls);
    for (size_t i = 0; i < s->n_vals; i++) {
        gs_pval *v = &s->vals[i];
        free(v->path);
        free(v->file);
        free(v->str);
        free(v->arr);
        if (v->sarr)
            for (size_t k = 0; k < v->n_arr; k++)
                free(v->sarr[k]);
        free(v->sarr);
    }
    free(s->vals);
    free(s->slot);
    free(s->dims);
    gs_copula_free(s->copula);
    free(s->copula_dims);
    gs_param_rows_free(s->rows);
    free(s->file);
    free(s);
}

/* ------------------------------------------------------------- access */

const char *gs_scenario_file(const gs_scenario *s) { return s->file; }

size_t gs_scenario_n_layers(const gs_scenario *s) { return s->n_layers; }

const char *gs_scenario_layer(const gs_scenario *s, size_t i, const char **file,
                              const char **value)
{
    *file = *value = NULL;
    if (i >= s->n_layers)
        return NULL;
    if (!s->layer_value[i]) {
        *file = s->layer_name[i];
        return NULL;
    }
    *value = s->layer_value[i];
    return s->layer_name[i] + strlen("--set ");
}

char *gs_scenario_label(const gs_scenario *s)
{
    gs_strbuf b = {0};
    gs_strbuf_puts(&b, gs_scenario_str(s, "scenario.name"));
    for (size_t i = s->n_layers; i-- > 0;)
        if (s->layer_value[i])
            gs_strbuf_printf(&b, " + %s = %s", s->layer_name[i] + strlen("--set "),
                             s->layer_value[i]);
    return gs_strbuf_take(&b);
}
size_t gs_scenario_count(const gs_scenario *s) { return s->n_vals; }
const gs_pval *gs_scenario_at(const gs_scenario *s, size_t i) { return &s->vals[i]; }

static size_t path_hash(const char *p)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

/* Models look up a few hundred paths when they bind, once per run (every
 * design point of a sweep): a table instead of a scan of every value.  The
 * first value of a path wins, as in the scan. */
static gs_status build_index(gs_scenario *s, gs_error *err)
{
    size_t n = 16;
    while (n < 2 * s->n_vals)
        n *= 2;
    s->slot = calloc(n, sizeof *s->slot);
    if (!s->slot)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    s->slot_mask = n - 1;
    for (size_t i = 0; i < s->n_vals; i++) {
        size_t h = path_hash(s->vals[i].path) & s->slot_mask;
        while (s->slot[h] && strcmp(s->vals[s->slot[h] - 1].path, s->vals[i].path) != 0)
            h = (h + 1) & s->slot_mask;
        if (!s->slot[h])
            s->slot[h] = i + 1;
    }
    return GS_OK;
}

long gs_scenario_index(const gs_scenario *s, const char *path)
{
    if (s->slot) {
        for (size_t h = path_hash(path) & s->slot_mask; s->slot[h]; h = (h + 1) & s->slot_mask)
            if (strcmp(s->vals[s->slot[h] - 1].path, path) == 0)
                return (long)(s->slot[h] - 1);
        return -1;
    }
    for (size_t i = 0; i < s->n_vals; i++)
        if (strcmp(s->vals[i].path, path) == 0)
            return (long)i;
    return -1;
}

const gs_pval *gs_scenario_get(const gs_scenario *s, const char *path)
{
    long i = gs_scenario_index(s, path);
    return i < 0 ? NULL : &s->vals[i];
}

const gs_pval *gs_scenario_getf(const gs_scenario *s, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return gs_scenario_get(s, path);
}

long gs_scenario_indexf(const gs_scenario *s, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return gs_scenario_index(s, path);
}

double gs_scenario_num(const gs_scenario *s, const char *path)
{
    const gs_pval *v = gs_scenario_get(s, path);
    if (!v || v->def->type != GS_PT_NUMBER)
        return NAN;
    return gs_dist_is_constant(&v->dist) ? v->dist.a : gs_dist_quantile(&v->dist, 0.5);
}

const char *gs_scenario_str(const gs_scenario *s, const char *path)
{
    const gs_pval *v = gs_scenario_get(s, path);
    return v && v->def->type == GS_PT_STRING ? v->str : NULL;
}

size_t gs_scenario_array(const gs_scenario *s, const char *path, const double **values)
{
    const gs_pval *v = gs_scenario_get(s, path);
    int ok = v && v->def->type == GS_PT_NUMBER_ARRAY;
    *values = ok ? v->arr : NULL;
    return ok ? v->n_arr : 0;
}

size_t gs_scenario_items(const gs_scenario *s, const char *collection, char *const **names)
{
    for (size_t i = 0; i < s->n_colls; i++)
        if (strcmp(s->colls[i].name, collection) == 0) {
            if (names)
                *names = s->colls[i].items;
            return s->colls[i].n;
        }
    if (names)
        *names = NULL;
    return 0;
}

gs_status gs_scenario_errorf(const gs_scenario *s, const char *path, gs_error *err,
                             const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const gs_pval *v = gs_scenario_get(s, path);
    if (v && v->file)
        return gs_error_set(err, GS_ECONFIG, v->file, v->line, "%s", msg);
    /* A default or a group: the setting itself, else its closest enclosing
     * group, else the first line of the scenario file. */
    const config_setting_t *st = lookup(s, path);
    if (!st)
        st = lookup_parent(s, path);
    if (st && config_setting_parent(st))
        return err_at(s, st, err, "%s", msg);
    return gs_error_set(err, GS_ECONFIG, s->file, file_line(s), "%s", msg);
}

size_t gs_scenario_ndims(const gs_scenario *s) { return s->n_dims; }
const gs_param_rows *gs_scenario_rows(const gs_scenario *s) { return s->rows; }
size_t gs_scenario_dim_param(const gs_scenario *s, size_t dim) { return s->dims[dim]; }

const gs_copula *gs_scenario_copula(const gs_scenario *s, const size_t **dims)
{
    if (dims)
        *dims = s->copula_dims;
    return s->copula;
}

void gs_scenario_fill_constants(const gs_scenario *s, double *theta)
{
    for (size_t i = 0; i < s->n_vals; i++) {
        const gs_pval *v = &s->vals[i];
        if (v->def->type == GS_PT_NUMBER)
            theta[i] = gs_dist_is_constant(&v->dist) ? v->dist.a
                                                     : gs_scenario_draw(s, i, 0.5);
        else if (v->def->type == GS_PT_BOOL)
            theta[i] = v->boolean;
        else
            theta[i] = NAN;
    }
}

double gs_scenario_draw(const gs_scenario *s, size_t i, double u)
{
    const gs_pval *v = &s->vals[i];
    double x = gs_dist_quantile(&v->dist, u);
    if (v->def->flags & GS_PF_INT)
        x = nearbyint(x);
    if (x < v->def->lo)
        x = v->def->lo;
    if (x > v->def->hi)
        x = v->def->hi;
    return x;
}

/* ------------------------------------------------------- resolved text */

static void sb_string(gs_strbuf *b, const char *s)
{
    gs_strbuf_printf(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            gs_strbuf_printf(b, "\\%c", c);
        else if (c == '\n')
            gs_strbuf_printf(b, "\\n");
        else if (c == '\t')
            gs_strbuf_printf(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            gs_strbuf_printf(b, "\\x%02x", c);
        else
            gs_strbuf_printf(b, "%c", c);
    }
    gs_strbuf_printf(b, "\"");
}

static void sb_value(gs_strbuf *b, const gs_pval *v)
{
    char buf[4096];
    switch (v->def->type) {
    case GS_PT_NUMBER:
        gs_dist_to_config(&v->dist, buf, sizeof buf);
        gs_strbuf_printf(b, "%s", buf);
        break;
    case GS_PT_STRING:
        sb_string(b, v->str ? v->str : "");
        break;
    case GS_PT_BOOL:
        gs_strbuf_printf(b, "%s", v->boolean ? "true" : "false");
        break;
    case GS_PT_NUMBER_ARRAY:
        gs_strbuf_printf(b, "[");
        for (size_t i = 0; i < v->n_arr; i++) {
            /* Floats keep libconfig's array homogeneous whatever the values. */
            snprintf(buf, sizeof buf, "%.17g", v->arr[i]);
            if (!strpbrk(buf, ".eEn"))
                strcat(buf, ".0");
            gs_strbuf_printf(b, "%s%s", i ? ", " : "", buf);
        }
        gs_strbuf_printf(b, "]");
        break;
    case GS_PT_STRING_ARRAY:
        gs_strbuf_printf(b, "[");
        for (size_t i = 0; i < v->n_arr; i++) {
            if (i)
                gs_strbuf_printf(b, ", ");
            sb_string(b, v->sarr[i]);
        }
        gs_strbuf_printf(b, "]");
        break;
    }
}

/* Emits the values whose paths start with prefix, nesting groups in the
 * order they first appear. */
static void emit_group(gs_strbuf *b, const gs_scenario *s, const char *prefix, int indent)
{
    size_t plen = strlen(prefix);
    char **done = NULL;
    size_t n_done = 0;
    for (size_t i = 0; i < s->n_vals; i++) {
        const char *p = s->vals[i].path;
        if (plen && (strncmp(p, prefix, plen) != 0 || p[plen] != '.'))
            continue;
        const char *rest = plen ? p + plen + 1 : p;
        const char *dot = strchr(rest, '.');
        if (!dot) {
            gs_strbuf_printf(b, "%*s%s = ", indent, "", rest);
            sb_value(b, &s->vals[i]);
            gs_strbuf_printf(b, ";\n");
            continue;
        }
        size_t k = (size_t)(dot - rest);
        int seen = 0;
        for (size_t j = 0; j < n_done; j++)
            if (strlen(done[j]) == k && strncmp(done[j], rest, k) == 0)
                seen = 1;
        if (seen)
            continue;
        char **nd = realloc(done, (n_done + 1) * sizeof *nd);
        if (!nd) {
            b->oom = 1;
            break;
        }
        done = nd;
        done[n_done++] = xprintf("%.*s", (int)k, rest);
        char *sub = plen ? xprintf("%s.%.*s", prefix, (int)k, rest) : xprintf("%.*s", (int)k, rest);
        if (!sub) {
            b->oom = 1;
            break;
        }
        gs_strbuf_printf(b, "%*s%.*s = {\n", indent, "", (int)k, rest);
        emit_group(b, s, sub, indent + 2);
        gs_strbuf_printf(b, "%*s};\n", indent, "");
        free(sub);
    }
    for (size_t j = 0; j < n_done; j++)
        free(done[j]);
    free(done);
}

char *gs_scenario_resolved_text(const gs_scenario *s)
{
    gs_strbuf b = {0};
    emit_group(&b, s, "", 0);
    return gs_strbuf_take(&b);
}
