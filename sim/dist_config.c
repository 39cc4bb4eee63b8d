/* dist_config.c: distributions read from libconfig settings.  The setting's
 * keys become gs_dist_arg entries for gs_dist_make; its faults come back with
 * the key they are about, which is given its file and line here. */
#include "gs_dist_config.h"

#include "gs_conf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A message at setting s (gs_setting_errorf), prefixed with the parameter's
 * name.  No file is given, so text read from memory keeps its line: the
 * caller that reads --set text names its layer instead. */
__attribute__((format(printf, 4, 5))) static gs_status fail(const config_setting_t *s,
                                                            const char *name, gs_error *err,
                                                            const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gs_setting_errorf(err, GS_ECONFIG, s, NULL, "%s: %s", name, msg);
}

/* The keys of a group (all but "dist"), lists copied into store. */
typedef struct {
    gs_dist_arg arg[GS_DIST_MAX_ARGS];
    const config_setting_t *at[GS_DIST_MAX_ARGS];
    double store[GS_DIST_MAX_ARGS][GS_DIST_MAX_CHOICES];
    size_t n;
} group_args;

static void read_arg(const config_setting_t *m, gs_dist_arg *a, double *store)
{
    memset(a, 0, sizeof *a);
    a->key = config_setting_name(m);
    int t = config_setting_type(m);
    if (gs_setting_is_number(m)) {
        a->kind = GS_DIST_ARG_NUMBER;
        a->value = gs_setting_number(m);
        return;
    }
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        a->kind = GS_DIST_ARG_OTHER;
        return;
    }
    int len = config_setting_length(m);
    a->kind = GS_DIST_ARG_LIST;
    a->list = store;
    a->len = len > 0 ? (size_t)len : 0;
    for (int i = 0; i < len && i < GS_DIST_MAX_CHOICES; i++) {
        const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
        if (!gs_setting_is_number(e)) {
            a->kind = GS_DIST_ARG_BADLIST;
            a->bad_entry = (size_t)i + 1;
            return;
        }
        store[i] = gs_setting_number(e);
    }
}

static gs_status read_group(const config_setting_t *g, const char *name, gs_dist *out,
                            gs_error *err)
{
    const config_setting_t *dm = config_setting_get_member(g, "dist");
    if (!dm)
        return fail(g, name, err,
                    "a distribution group needs a \"dist\" key, e.g. dist = \"normal\"");
    if (config_setting_type(dm) != CONFIG_TYPE_STRING)
        return fail(dm, name, err, "dist must be a string naming the distribution");
    group_args ga;
    ga.n = 0;
    int len = config_setting_length(g);
    for (int i = 0; i < len && ga.n < GS_DIST_MAX_ARGS; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        if (m == dm)
            continue;
        read_arg(m, &ga.arg[ga.n], ga.store[ga.n]);
        ga.at[ga.n] = m;
        ga.n++;
    }
    size_t at;
    gs_error e;
    gs_status st = gs_dist_make(config_setting_get_string(dm), ga.arg, ga.n, out, &at, &e);
    if (st == GS_OK)
        return GS_OK;
    const config_setting_t *where = at == GS_DIST_AT_FAMILY ? dm : at < ga.n ? ga.at[at] : g;
    return fail(where, name, err, "%s", e.msg);
}

gs_status gs_dist_from_setting(const config_setting_t *s, const char *name, gs_dist *out,
                               gs_error *err)
{
    if (!name)
        name = "parameter";
    *out = gs_dist_constant(0.0);
    if (!s)
        return gs_error_set(err, GS_ECONFIG, NULL, 0, "%s: missing", name);
    if (gs_setting_is_number(s)) {
        double v = gs_setting_number(s);
        if (!isfinite(v))
            return fail(s, name, err, "must be a finite number");
        *out = gs_dist_constant(v);
        return GS_OK;
    }
    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return fail(s, name, err,
                    "must be a number or a distribution group such as "
                    "{ dist = \"uniform\"; min = 0.1; max = 0.5; }");
    gs_status st = read_group(s, name, out, err);
    if (st != GS_OK)
        *out = gs_dist_constant(0.0);
    return st;
}
