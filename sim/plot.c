/* plot.c: charts of finished runs through gnuplot, and the comparison table.
 *
 * Safety: gnuplot is spawned without a shell, its arguments are file names
 * this code made (absolute, inside the output folder or the template folder)
 * and numbers; every string from a manifest or CSV file goes into the
 * metadata file, encoded so that gnuplot's data reader takes it verbatim,
 * and the templates use it only as a string value (see plots/style.gp). */
/* realpath() is XSI. */
#define _XOPEN_SOURCE 700

#include "gs_plot.h"

#include "gs_csv.h"
#include "gs_output.h"
#include "gs_util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define GS_PATH_MAX 4096

/* ------------------------------------------------------------------ */
/* text made safe for the metadata file and the charts                 */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0xffu >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Appends text to b as one line of plain text: control characters become
 * spaces, invalid UTF-8 "?", and at most max_chars characters are kept (the
 * last one then "…").  NULL appends nothing. */
static void put_plain(gs_strbuf *b, const char *text, size_t max_chars)
{
    if (!text)
        return;
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text), chars = 0;
    for (size_t i = 0; i < n;) {
        if (chars + 1 >= max_chars && i + utf8_len(p + i, n - i) < n) {
            gs_strbuf_puts(b, "…");
            return;
        }
        size_t len = utf8_len(p + i, n - i);
        if (len == 0) {
            gs_strbuf_putn(b, "?", 1);
            i++;
        } else if (len == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
            gs_strbuf_putn(b, " ", 1);
            i++;
        } else {
            gs_strbuf_putn(b, text + i, len);
            i += len;
        }
        chars++;
    }
}

/* One metadata line "key<TAB>|value": the value's " and \ are encoded as
 * \037 and \036 (decoded in style.gp), the only bytes gnuplot's data reader
 * would not take verbatim once tabs and line breaks are gone. */
static void meta_put(gs_strbuf *m, const char *key, const char *plain)
{
    gs_strbuf_puts(m, key);
    gs_strbuf_puts(m, "\t|");
    for (const char *p = plain; *p; p++) {
        char c = *p;
        if (c == '"')
            c = '\037';
        else if (c == '\\')
            c = '\036';
        else if ((unsigned char)c < 0x20)
            c = ' ';
        gs_strbuf_putn(m, &c, 1);
    }
    gs_strbuf_puts(m, "\n");
}

/* meta_put of user text, cleaned and shortened. */
static void meta_text(gs_strbuf *m, const char *key, const char *text, size_t max_chars)
{
    gs_strbuf t = {0};
    put_plain(&t, text ? text : "", max_chars);
    meta_put(m, key, gs_strbuf_str(&t));
    if (t.oom)
        m->oom = 1;
    gs_strbuf_free(&t);
}

static void meta_fmt(gs_strbuf *m, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void meta_fmt(gs_strbuf *m, const char *key, const char *fmt, ...)
{
    char v[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    meta_put(m, key, v);
}

/* ------------------------------------------------------------------ */
/* RFC 4180 files                                                      */

/* Read with the library's one reader (gs_csv.h). */
typedef gs_csv csv_table;

/* The 0-based line after the header where a record starts: what gnuplot's
 * `every` counts. */
static long data_line(const gs_csv_row *row)
{
    return row->line - 2;
}

/* gnuplot reads columns 1..ncols of the row as they are. */
static int row_ok(const csv_table *t, size_t row, size_t ncols)
{
    return t->rows[row].unsafe >= ncols;
}

static double to_num(const char *s)
{
    if (!s || !*s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end == '\0' ? v : NAN;
}

/* Every column present, in this order: the templates address columns by
 * position, so the order is part of the contract. */
static gs_status csv_require(const csv_table *t, const char *const *cols, gs_error *err)
{
    for (size_t i = 0; cols[i]; i++)
        if (gs_csv_col(t, cols[i]) < 0)
            return gs_error_set(err, GS_EINPUT, t->path, 1, "no column \"%s\" in the header",
                                cols[i]);
    for (int i = 0; cols[i]; i++)
        if (gs_csv_col(t, cols[i]) != i)
            return gs_error_set(err, GS_EINPUT, t->path, 1, "column \"%s\" out of place",
                                cols[i]);
    return GS_OK;
}

/* ------------------------------------------------------------------ */
/* a finished run                                                      */

typedef struct {
    char dir[GS_PATH_MAX];
    json_t *manifest;
    csv_table q, targets, milestones, gapdist, tranches;
} run_info;

static const char *jstr(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static int jint(json_t *obj, const char *key, long long *out)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 1;
    }
    if (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v)) {
        *out = (long long)json_real_value(v);
        return 1;
    }
    return 0;
}

static void run_free(run_info *r)
{
    json_decref(r->manifest);
    r->manifest = NULL;
    gs_csv_free(&r->q);
    gs_csv_free(&r->targets);
    gs_csv_free(&r->milestones);
    gs_csv_free(&r->gapdist);
    gs_csv_free(&r->tranches);
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static gs_status run_load(run_info *r, const char *dir, gs_error *err)
{
    memset(r, 0, sizeof *r);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return gs_error_set(err, GS_EINPUT, dir, 0, "no such run folder: %s", strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return gs_error_set(err, GS_EINPUT, dir, 0, "not a folder");
    if (!realpath(dir, r->dir))
        return gs_error_set(err, GS_EINPUT, dir, 0, "cannot resolve the folder: %s", strerror(errno));
    /* The folder name goes into the metadata file, which holds one line a key. */
    if (has_control(r->dir))
        return gs_error_set(err, GS_EINPUT, dir, 0,
                            "the folder name contains control characters; rename it to draw charts");
    char path[GS_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/manifest.json", r->dir);
    json_error_t je;
    r->manifest = json_load_file(path, 0, &je);
    if (!r->manifest)
        return gs_error_set(err, GS_EINPUT, path, je.line > 0 ? je.line : 0,
                            "not a finished run: %s", je.text);
    gs_status st;
    static const char *const qcols[] = {"year", "variable", "mean", "sd", "p05", "p25", "p50", "p75", "p95", NULL};
    static const char *const tcols[] = {"year", "value", "probability", "ci_low", "ci_high", "first_year_p05",
                                        "first_year_p50", "first_year_p95", NULL};
    static const char *const mcols[] = {"node_nm", "probability", "ci_low", "ci_high", "first_year_p05",
                                        "first_year_p50", "first_year_p95", NULL};
    static const char *const gcols[] = {"year", "years_behind", "probability", "cdf", NULL};
    static const char *const fcols[] = {"name", "start_year", "size_bn_rmb", "deploy_years", NULL};
    if ((st = gs_csv_read_in(&r->q, r->dir, "quantiles.csv", err)) != GS_OK ||
        (st = csv_require(&r->q, qcols, err)) != GS_OK ||
        (st = gs_csv_read_in(&r->targets, r->dir, "targets.csv", err)) != GS_OK ||
        (st = csv_require(&r->targets, tcols, err)) != GS_OK ||
        (st = gs_csv_read_in(&r->milestones, r->dir, "milestones.csv", err)) != GS_OK ||
        (st = csv_require(&r->milestones, mcols, err)) != GS_OK ||
        (st = gs_csv_read_in(&r->gapdist, r->dir, "year_gap_dist.csv", err)) != GS_OK ||
        (st = csv_require(&r->gapdist, gcols, err)) != GS_OK ||
        (st = gs_csv_read_in(&r->tranches, r->dir, "tranches.csv", err)) != GS_OK ||
        (st = csv_require(&r->tranches, fcols, err)) != GS_OK)
        return st;
    long long y0, y1;
    json_t *sc = json_object_get(r->manifest, "scenario");
    if (!jint(sc, "base_year", &y0) || !jint(sc, "horizon", &y1) || y1 < y0 || y0 < 1900 || y1 > 2300)
        return gs_error_set(err, GS_EINPUT, path, 0, "scenario.base_year and scenario.horizon missing or wrong");
    return GS_OK;
}

/* Rows [first, last] of quantiles.csv holding `var`, as gnuplot counts data
 * lines; 0 when absent or when gnuplot would misread them (a name with a
 * quote or a line break: the chart then leaves the variable out). */
static int q_range(const run_info *r, const char *var, long *first, long *last)
{
    int found = 0, bad = 0;
    for (size_t i = 0; i < r->q.nrows; i++) {
        if (strcmp(gs_csv_cell(&r->q, i, 1), var) != 0)
            continue;
        if (!found)
            *first = data_line(&r->q.rows[i]);
        *last = data_line(&r->q.rows[i]);
        bad |= !row_ok(&r->q, i, 9);
        found = 1;
    }
    return found && !bad;
}

/* The row of quantiles.csv with var in year, or -1. */
static long q_row(const run_info *r, const char *var, long long year)
{
    for (size_t i = 0; i < r->q.nrows; i++)
        if (strcmp(gs_csv_cell(&r->q, i, 1), var) == 0 && to_num(gs_csv_cell(&r->q, i, 0)) == (double)year)
            return (long)i;
    return -1;
}

static void meta_range(gs_strbuf *m, const char *key, const run_info *r, const char *var)
{
    long a = 0, b = 0;
    if (q_range(r, var, &a, &b))
        meta_fmt(m, key, "%ld %ld", a, b);
}

/* Thousands separators for a count of trajectories. */
static void fmt_count(char *buf, size_t n, long long v)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", v < 0 ? -v : v);
    size_t len = strlen(raw), o = 0;
    if (v < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        buf[o++] = raw[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len && o + 1 < n)
            buf[o++] = ',';
    }
    buf[o] = '\0';
}

static void meta_common_run(gs_strbuf *m, const run_info *r)
{
    json_t *man = r->manifest, *sc = json_object_get(man, "scenario");
    long long y0 = 0, y1 = 0;
    jint(sc, "base_year", &y0);
    jint(sc, "horizon", &y1);
    meta_put(m, "dir", r->dir);
    meta_fmt(m, "base_year", "%lld", y0);
    meta_fmt(m, "horizon", "%lld", y1);

    gs_strbuf t = {0};
    gs_strbuf_puts(&t, "Scenario ");
    put_plain(&t, jstr(sc, "name"), 40);
    if (*jstr(sc, "title") && strcmp(jstr(sc, "title"), jstr(sc, "name")) != 0) {
        gs_strbuf_puts(&t, ": ");
        put_plain(&t, jstr(sc, "title"), 90);
    }
    meta_put(m, "subtitle1", gs_strbuf_str(&t));
    t.n = 0;
    gs_strbuf_puts(&t, "Share = ");
    put_plain(&t, *jstr(sc, "share_definition") ? jstr(sc, "share_definition") : "(not stated)", 80);
    long long ntr = 0, seed = 0;
    char cnt[40];
    if (jint(man, "trajectories", &ntr)) {
        fmt_count(cnt, sizeof cnt, ntr);
        gs_strbuf_printf(&t, " · %s trajectories", cnt);
        if (*jstr(man, "sampler")) {
            gs_strbuf_puts(&t, " (");
            put_plain(&t, jstr(man, "sampler"), 12);
            gs_strbuf_puts(&t, ")");
        }
    }
    if (jint(man, "seed", &seed))
        gs_strbuf_printf(&t, ", seed %lld", seed);
    meta_put(m, "subtitle2", gs_strbuf_str(&t));
    t.n = 0;
    gs_strbuf_puts(&t, "gapsim ");
    put_plain(&t, *jstr(man, "gapsim_version") ? jstr(man, "gapsim_version") : "?", 20);
    if (*jstr(man, "git_revision") && strcmp(jstr(man, "git_revision"), "unknown") != 0) {
        gs_strbuf_puts(&t, " (");
        put_plain(&t, jstr(man, "git_revision"), 16);
        gs_strbuf_puts(&t, ")");
    }
    gs_strbuf_puts(&t, " · config ");
    put_plain(&t, *jstr(man, "config_hash") ? jstr(man, "config_hash") : "?", 32);
    if (*jstr(man, "finished")) {
        gs_strbuf_puts(&t, " · finished ");
        put_plain(&t, jstr(man, "finished"), 25);
    }
    meta_put(m, "provenance", gs_strbuf_str(&t));
    if (t.oom)
        m->oom = 1;
    gs_strbuf_free(&t);
}

/* The label of target j: the manifest's, else the one in targets.csv. */
static const char *target_label(const run_info *r, size_t j)
{
    json_t *tg = json_array_get(json_object_get(r->manifest, "targets"), j);
    const char *s = json_string_value(json_object_get(tg, "label"));
    if (s)
        return s;
    int c = gs_csv_col(&r->targets, "label");
    return gs_csv_cell(&r->targets, j, c);
}

static void meta_targets(gs_strbuf *m, const run_info *r, const char *prefix)
{
    char key[96];
    size_t nt = 0;
    for (size_t j = 0; j < r->targets.nrows; j++) {
        if (!row_ok(&r->targets, j, 8)) /* the numbers before the label */
            continue;
        nt++;
        snprintf(key, sizeof key, "%starget.%zu.row", prefix, nt);
        meta_fmt(m, key, "%ld", data_line(&r->targets.rows[j]));
        snprintf(key, sizeof key, "target.%zu.label", nt);
        meta_text(m, key, target_label(r, j), 50);
        snprintf(key, sizeof key, "target.%zu.short", nt);
        meta_text(m, key, target_label(r, j), 26);
        snprintf(key, sizeof key, "target.%zu.year", nt);
        meta_fmt(m, key, "%.10g", to_num(gs_csv_cell(&r->targets, j, 0)));
        snprintf(key, sizeof key, "target.%zu.value", nt);
        meta_fmt(m, key, "%.10g", to_num(gs_csv_cell(&r->targets, j, 1)));
    }
    meta_fmt(m, "ntargets", "%zu", nt);
}

static void meta_run(gs_strbuf *m, const run_info *r)
{
    meta_common_run(m, r);
    meta_range(m, "q.share_total", r, "share_total");
    meta_range(m, "q.investment_cum", r, "investment_cum");
    meta_range(m, "q.node_domestic_nm", r, "node_domestic_nm");
    meta_range(m, "q.node_frontier_nm", r, "node_frontier_nm");
    meta_range(m, "q.year_gap", r, "year_gap");

    char key[96];
    json_t *segs = json_object_get(r->manifest, "segments");
    size_t ns = 0;
    for (size_t i = 0; i < json_array_size(segs); i++) {
        const char *name = json_string_value(json_array_get(segs, i));
        if (!name)
            continue;
        gs_strbuf var = {0};
        gs_strbuf_puts(&var, "share_");
        gs_strbuf_puts(&var, name);
        long a = 0, b = 0;
        if (!var.oom && q_range(r, gs_strbuf_str(&var), &a, &b)) {
            ns++;
            snprintf(key, sizeof key, "seg.%zu.rows", ns);
            meta_fmt(m, key, "%ld %ld", a, b);
            snprintf(key, sizeof key, "seg.%zu.name", ns);
            meta_text(m, key, name, 40);
        }
        gs_strbuf_free(&var);
    }
    meta_fmt(m, "nseg", "%zu", ns);

    meta_targets(m, r, "");

    size_t nm = 0;
    for (size_t j = 0; j < r->milestones.nrows; j++) {
        if (!row_ok(&r->milestones, j, 8))
            continue;
        nm++;
        snprintf(key, sizeof key, "milestone.%zu.row", nm);
        meta_fmt(m, key, "%ld", data_line(&r->milestones.rows[j]));
    }
    meta_fmt(m, "nmilestones", "%zu", nm);

    /* Report years: consecutive rows of year_gap_dist.csv with one year. */
    size_t nr = 0;
    for (size_t i = 0; i < r->gapdist.nrows;) {
        const char *y = gs_csv_cell(&r->gapdist, i, 0);
        size_t k = i;
        while (k + 1 < r->gapdist.nrows && strcmp(gs_csv_cell(&r->gapdist, k + 1, 0), y) == 0)
            k++;
        nr++;
        snprintf(key, sizeof key, "report.%zu.rows", nr);
        meta_fmt(m, key, "%ld %ld", data_line(&r->gapdist.rows[i]), data_line(&r->gapdist.rows[k]));
        snprintf(key, sizeof key, "report.%zu.year", nr);
        meta_fmt(m, key, "%.10g", to_num(y));
        i = k + 1;
    }
    meta_fmt(m, "nreport", "%zu", nr);

    size_t nf = 0;
    for (size_t j = 0; j < r->tranches.nrows; j++) {
        if (!row_ok(&r->tranches, j, 4))
            continue;
        nf++;
        snprintf(key, sizeof key, "tranche.%zu.row", nf);
        meta_fmt(m, key, "%ld", data_line(&r->tranches.rows[j]));
        snprintf(key, sizeof key, "tranche.%zu.name", nf);
        meta_text(m, key, gs_csv_cell(&r->tranches, j, 0), 48);
    }
    meta_fmt(m, "ntranches", "%zu", nf);
}

/* ------------------------------------------------------------------ */
/* report                                                              */

void gs_plot_opts_default(gs_plot_opts *o)
{
    o->formats = GS_PLOT_PNG;
    o->width = 1600;
    o->height = 900;
}

void gs_plot_report_init(gs_plot_report *r)
{
    if (r)
        memset(r, 0, sizeof *r);
}

void gs_plot_report_clear(gs_plot_report *r)
{
    if (!r)
        return;
    free(r->charts);
    for (size_t i = 0; i < r->n_warnings; i++)
        free(r->warnings[i]);
    free(r->warnings);
    memset(r, 0, sizeof *r);
}

static void rep_warn(gs_plot_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rep_warn(gs_plot_report *r, const char *fmt, ...)
{
    char buf[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **nw = realloc(r->warnings, (r->n_warnings + 1) * sizeof *nw);
    if (!nw)
        return;
    r->warnings = nw;
    if ((nw[r->n_warnings] = strdup(buf)) != NULL)
        r->n_warnings++;
}

static void rep_chart(gs_plot_report *r, const char *file, int ok, const char *msg)
{
    gs_plot_chart *nc = realloc(r->charts, (r->n_charts + 1) * sizeof *nc);
    if (!nc)
        return;
    r->charts = nc;
    gs_plot_chart *c = &nc[r->n_charts++];
    snprintf(c->file, sizeof c->file, "%s", file);
    c->ok = ok;
    snprintf(c->message, sizeof c->message, "%s", msg ? msg : "");
    if (ok)
        r->n_ok++;
    else
        r->n_failed++;
}

/* ------------------------------------------------------------------ */
/* options                                                             */

gs_status gs_plot_parse_formats(const char *list, unsigned *formats, gs_error *err)
{
    unsigned f = 0;
    const char *p = list ? list : "";
    if (!*p)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "empty chart format list: use png, svg or pdf");
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char w[8] = "";
        if (n < sizeof w) {
            for (size_t i = 0; i < n; i++)
                w[i] = (char)tolower((unsigned char)p[i]);
            w[n] = '\0';
        }
        if (strcmp(w, "png") == 0)
            f |= GS_PLOT_PNG;
        else if (strcmp(w, "svg") == 0)
            f |= GS_PLOT_SVG;
        else if (strcmp(w, "pdf") == 0)
            f |= GS_PLOT_PDF;
        else
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "unknown chart format \"%.*s\": use png, svg or pdf, comma-separated",
                                (int)(n > 40 ? 40 : n), p);
        p += n;
        if (*p == ',') {
            p++;
            if (!*p)
                return gs_error_set(err, GS_EUSAGE, NULL, 0, "chart format list ends with a comma");
        }
    }
    *formats = f;
    return GS_OK;
}

gs_status gs_plot_parse_size(const char *text, int *width, int *height, gs_error *err)
{
    const char *s = text ? text : "";
    char *e;
    errno = 0;
    long w = strtol(s, &e, 10);
    if (e == s || (*e != 'x' && *e != 'X') || !isdigit((unsigned char)s[0]))
        goto bad;
    const char *s2 = e + 1;
    long h = strtol(s2, &e, 10);
    if (e == s2 || *e || !isdigit((unsigned char)s2[0]) || errno)
        goto bad;
    if (w < 320 || w > 10000 || h < 240 || h > 10000)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "chart size %ldx%ld out of range: width 320..10000, height 240..10000", w, h);
    *width = (int)w;
    *height = (int)h;
    return GS_OK;
bad:
    return gs_error_set(err, GS_EUSAGE, NULL, 0, "chart size \"%.40s\" is not WIDTHxHEIGHT, e.g. 1600x900", s);
}

/* ------------------------------------------------------------------ */
/* templates and gnuplot                                               */

static int has_style(const char *dir)
{
    char p[GS_PATH_MAX + 16];
    int k = snprintf(p, sizeof p, "%s/style.gp", dir);
    return k > 0 && (size_t)k < sizeof p && access(p, R_OK) == 0;
}

static gs_status use_dir(const char *dir, char *buf, size_t n, gs_error *err)
{
    char real[GS_PATH_MAX];
    if (!realpath(dir, real))
        return gs_error_set(err, GS_EINPUT, dir, 0, "chart templates: %s", strerror(errno));
    if (strlen(real) + 1 > n)
        return gs_error_set(err, GS_EINPUT, dir, 0, "chart template folder name too long");
    memcpy(buf, real, strlen(real) + 1);
    return GS_OK;
}

gs_status gs_plot_template_dir(char *buf, size_t n, gs_error *err)
{
    const char *env = getenv("GAPSIM_PLOTDIR");
    if (env && *env) {
        if (!has_style(env))
            return gs_error_set(err, GS_EINPUT, env, 0,
                                "GAPSIM_PLOTDIR names no folder of chart templates (no style.gp)");
        return use_dir(env, buf, n, err);
    }
#ifdef GAPSIM_SOURCE_PLOTDIR
    if (has_style(GAPSIM_SOURCE_PLOTDIR))
        return use_dir(GAPSIM_SOURCE_PLOTDIR, buf, n, err);
#endif
#ifdef GAPSIM_DATADIR
    if (has_style(GAPSIM_DATADIR "/plots"))
        return use_dir(GAPSIM_DATADIR "/plots", buf, n, err);
#endif
    char exe[GS_PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[GS_PATH_MAX + 64];
            snprintf(cand, sizeof cand, "%s/../share/gapsim/plots", exe);
            if (has_style(cand))
                return use_dir(cand, buf, n, err);
        }
    }
    return gs_error_set(err, GS_EINPUT, NULL, 0,
                        "chart templates not found: set GAPSIM_PLOTDIR to the folder holding style.gp");
}

/* The last non-empty line of gnuplot's stderr: its error with file and line. */
static void last_line(const char *text, char *out, size_t n)
{
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    size_t start = len;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    gs_strbuf b = {0};
    gs_strbuf raw = {0};
    gs_strbuf_putn(&raw, text + start, len - start);
    put_plain(&b, gs_strbuf_str(&raw), 400);
    snprintf(out, n, "%s", b.p ? b.p : "no message");
    gs_strbuf_free(&b);
    gs_strbuf_free(&raw);
}

enum { RUN_OK, RUN_FAILED, RUN_NOGNUPLOT };

/* Runs gnuplot on one template; fills msg when it fails. */
static int run_gnuplot(const char *tpl, const char *style, const char *meta, const char *out,
                       const char *term, const gs_plot_opts *o, char *msg, size_t msgn)
{
    char w[16], h[16];
    snprintf(w, sizeof w, "%d", o->width);
    snprintf(h, sizeof h, "%d", o->height);
    char *argv[] = {"gnuplot", "-d", "-c", (char *)tpl, (char *)style, (char *)meta, (char *)out,
                    (char *)term, w, h, NULL};
    int pfd[2];
    if (pipe(pfd) != 0) {
        snprintf(msg, msgn, "cannot make a pipe: %s", strerror(errno));
        return RUN_FAILED;
    }
    fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    posix_spawn_file_actions_addclose(&fa, pfd[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (rc != 0) {
        close(pfd[0]);
        if (rc == ENOENT)
            return RUN_NOGNUPLOT;
        snprintf(msg, msgn, "cannot start gnuplot: %s", strerror(rc));
        return RUN_FAILED;
    }
    /* Keep the tail of stderr: gnuplot ends with the error that stopped it. */
    char tail[8192];
    size_t tn = 0;
    char chunk[4096];
    for (;;) {
        ssize_t k = read(pfd[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        size_t kk = (size_t)k; /* <= sizeof chunk < sizeof tail */
        if (tn + kk > sizeof tail - 1) {
            size_t drop = tn + kk - (sizeof tail - 1);
            memmove(tail, tail + drop, tn - drop);
            tn -= drop;
        }
        memcpy(tail + tn, chunk, kk);
        tn += kk;
    }
    close(pfd[0]);
    tail[tn] = '\0';
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(msg, msgn, "lost gnuplot: %s", strerror(errno));
            return RUN_FAILED;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return RUN_NOGNUPLOT;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        struct stat sb;
        if (stat(out, &sb) == 0 && sb.st_size > 0)
            return RUN_OK;
        snprintf(msg, msgn, "gnuplot wrote an empty file");
        return RUN_FAILED;
    }
    char last[600];
    last_line(tail, last, sizeof last);
    if (WIFSIGNALED(status))
        snprintf(msg, msgn, "gnuplot killed by signal %d: %s", WTERMSIG(status), last);
    else
        snprintf(msg, msgn, "%s", last);
    return RUN_FAILED;
}

static const char *const FORMAT_EXT[3] = {"png", "svg", "pdf"};

/* Draws charts[] in every requested format into outdir.  Returns GS_OK, or
 * GS_EPLOT with err filled when gnuplot is missing or a chart failed. */
static gs_status draw_all(const char *const *charts, const char *const *names, const char *outdir,
                          const char *metatext, const gs_plot_opts *o, gs_plot_report *rep,
                          gs_error *err)
{
    char tdir[GS_PATH_MAX];
    gs_error terr;
    if (gs_plot_template_dir(tdir, sizeof tdir, &terr) != GS_OK) {
        rep_warn(rep, "%s: charts skipped; the CSV files are complete", terr.msg);
        return gs_error_set(err, GS_EPLOT, terr.file, 0, "%s", terr.msg);
    }
    char style[GS_PATH_MAX + 16];
    snprintf(style, sizeof style, "%s/style.gp", tdir);

    char meta[GS_PATH_MAX + 64];
    snprintf(meta, sizeof meta, "%s/.gapsim-plot-meta.XXXXXX", outdir);
    int fd = mkstemp(meta);
    if (fd < 0)
        return gs_error_set(err, GS_EOUTPUT, outdir, 0, "cannot write in the folder: %s", strerror(errno));
    size_t len = strlen(metatext), off = 0;
    while (off < len) {
        ssize_t k = write(fd, metatext + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = errno;
            close(fd);
            unlink(meta);
            return gs_error_set(err, GS_EOUTPUT, meta, 0, "cannot write: %s", strerror(e));
        }
        off += (size_t)k;
    }
    close(fd);

    size_t failed = 0;
    int missing = 0;
    char first_fail[1200] = "";
    for (size_t c = 0; charts[c] && !missing; c++) {
        for (unsigned f = 0; f < 3 && !missing; f++) {
            if (!(o->formats & (1u << f)))
                continue;
            char file[64], tpl[GS_PATH_MAX + 80], final[GS_PATH_MAX + 80], tmp[GS_PATH_MAX + 100];
            snprintf(file, sizeof file, "%s.%s", names ? names[c] : charts[c], FORMAT_EXT[f]);
            snprintf(tpl, sizeof tpl, "%s/%s.gp", tdir, charts[c]);
            snprintf(final, sizeof final, "%s/%s", outdir, file);
            snprintf(tmp, sizeof tmp, "%s/.%s.tmp.XXXXXX", outdir, file);
            char msg[1024] = "";
            int tfd = mkstemp(tmp);
            if (tfd < 0) {
                snprintf(msg, sizeof msg, "cannot write in the folder: %s", strerror(errno));
                rep_chart(rep, file, 0, msg);
                rep_warn(rep, "chart %s failed: %s", file, msg);
                failed++;
                continue;
            }
            close(tfd);
            int r = access(tpl, R_OK) == 0
                        ? run_gnuplot(tpl, style, meta, tmp, FORMAT_EXT[f], o, msg, sizeof msg)
                        : (snprintf(msg, sizeof msg, "template %.900s not found", tpl), RUN_FAILED);
            if (r == RUN_OK && (chmod(tmp, 0644) != 0 || rename(tmp, final) != 0)) {
                snprintf(msg, sizeof msg, "cannot rename the chart into place: %s", strerror(errno));
                r = RUN_FAILED;
            }
            if (r != RUN_OK)
                unlink(tmp);
            if (r == RUN_NOGNUPLOT) {
                missing = 1;
                break;
            }
            rep_chart(rep, file, r == RUN_OK, r == RUN_OK ? "" : msg);
            if (r != RUN_OK) {
                failed++;
                rep_warn(rep, "chart %s failed: %s", file, msg);
                if (!first_fail[0])
                    snprintf(first_fail, sizeof first_fail, "chart %s failed: %s", file, msg);
            }
        }
    }
    unlink(meta);
    if (missing) {
        rep->gnuplot_missing = 1;
        rep_warn(rep, "gnuplot not found on PATH: charts skipped; the CSV files are complete");
        return gs_error_set(err, GS_EPLOT, NULL, 0,
                            "gnuplot not found on PATH: charts skipped; the CSV files are complete");
    }
    if (failed)
        return gs_error_set(err, GS_EPLOT, outdir, 0, "%zu chart%s failed; first: %s", failed,
                            failed == 1 ? "" : "s", first_fail);
    return GS_OK;
}

static gs_status check_opts(const gs_plot_opts *o, gs_error *err)
{
    if (!o || !(o->formats & (GS_PLOT_PNG | GS_PLOT_SVG | GS_PLOT_PDF)) || o->formats & ~7u)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "no chart format chosen: use png, svg or pdf");
    if (o->width < 320 || o->width > 10000 || o->height < 240 || o->height > 10000)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "chart size %dx%d out of range", o->width, o->height);
    return GS_OK;
}

gs_status gs_plot_run_dir(const char *rundir, const gs_plot_opts *o, gs_plot_report *rep,
                          gs_error *err)
{
    static const char *const charts[] = {"fan_share", "segments", "nodes", "gap", "gap_dist",
                                         "probabilities", "investment", NULL};
    gs_plot_report scratch;
    gs_plot_report_init(&scratch);
    if (!rep)
        rep = &scratch;
    gs_status st = check_opts(o, err);
    if (st != GS_OK)
        return st;
    run_info r;
    st = run_load(&r, rundir ? rundir : "", err);
    if (st != GS_OK) {
        run_free(&r);
        return st;
    }
    if (access(r.dir, W_OK) != 0) {
        st = gs_error_set(err, GS_EOUTPUT, r.dir, 0, "the run folder is not writable: %s", strerror(errno));
        run_free(&r);
        return st;
    }
    gs_strbuf m = {0};
    meta_run(&m, &r);
    if (m.oom)
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    else
        st = draw_all(charts, NULL, r.dir, gs_strbuf_str(&m), o, rep, err);
    gs_strbuf_free(&m);
    run_free(&r);
    gs_plot_report_clear(&scratch);
    return st;
}

/* ------------------------------------------------------------------ */
/* comparison                                                          */

typedef struct {
    char **name;
    size_t n, cap;
} figlist;

static int fig_index(const figlist *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->name[i], name) == 0)
            return (int)i;
    return -1;
}

static int fig_add(figlist *f, const char *name)
{
    int i = fig_index(f, name);
    if (i >= 0)
        return i;
    if (f->n == f->cap) {
        size_t nc = f->cap ? 2 * f->cap : 32;
        char **nn = realloc(f->name, nc * sizeof *nn);
        if (!nn)
            return -1;
        f->name = nn;
        f->cap = nc;
    }
    if (!(f->name[f->n] = strdup(name)))
        return -1;
    return (int)f->n++;
}

/* Key figures of one run as (figure, value text) pairs, values "" when empty. */
typedef struct {
    figlist fig;
    char **val;   /* parallel to fig.name */
} figures;

static void figs_free(figures *f)
{
    for (size_t i = 0; i < f->fig.n; i++) {
        free(f->fig.name[i]);
        free(f->val[i]);
    }
    free(f->fig.name);
    free(f->val);
    memset(f, 0, sizeof *f);
}

static int figs_set(figures *f, const char *name, const char *value)
{
    size_t before = f->fig.n;
    int i = fig_add(&f->fig, name);
    if (i < 0)
        return -1;
    if (f->fig.n != before) {
        char **nv = realloc(f->val, f->fig.cap * sizeof *nv);
        if (!nv)
            return -1;
        f->val = nv;
        f->val[i] = NULL;
    }
    free(f->val[i]);
    f->val[i] = strdup(value ? value : "");
    return f->val[i] ? 0 : -1;
}

static int figs_quantile(figures *f, const run_info *r, const char *var, long long year, const char *col)
{
    char name[128];
    snprintf(name, sizeof name, "%s@%lld:%s", var, year, col);
    long row = q_row(r, var, year);
    return figs_set(f, name, row >= 0 ? gs_csv_cell(&r->q, (size_t)row, gs_csv_col(&r->q, col)) : "");
}

static int collect_figures(figures *f, const run_info *r, const run_info *first)
{
    char name[128];
    int bad = 0;
    for (size_t j = 0; j < r->targets.nrows; j++) {
        double y = to_num(gs_csv_cell(&r->targets, j, 0)), v = to_num(gs_csv_cell(&r->targets, j, 1));
        snprintf(name, sizeof name, "target:%g@%g", v, y);
        bad |= figs_set(f, name, gs_csv_cell(&r->targets, j, 2));
        snprintf(name, sizeof name, "target:%g@%g:first_year_p50", v, y);
        bad |= figs_set(f, name, gs_csv_cell(&r->targets, j, 6));
    }
    /* Years: the first run's report years and horizon, so that rows line up. */
    json_t *fm = first->manifest;
    json_t *ry = json_object_get(fm, "report_years");
    long long years[64];
    size_t ny = 0;
    for (size_t i = 0; i < json_array_size(ry) && ny < 63; i++)
        if (json_is_integer(json_array_get(ry, i)))
            years[ny++] = json_integer_value(json_array_get(ry, i));
    long long hz = 0;
    if (jint(json_object_get(fm, "scenario"), "horizon", &hz)) {
        int dup = 0;
        for (size_t i = 0; i < ny; i++)
            dup |= years[i] == hz;
        if (!dup)
            years[ny++] = hz;
    }
    for (size_t i = 0; i < ny; i++) {
        bad |= figs_quantile(f, r, "share_total", years[i], "p50");
        bad |= figs_quantile(f, r, "share_total", years[i], "p05");
        bad |= figs_quantile(f, r, "share_total", years[i], "p95");
        bad |= figs_quantile(f, r, "year_gap", years[i], "p50");
        bad |= figs_quantile(f, r, "node_domestic_nm", years[i], "p50");
    }
    for (size_t j = 0; j < r->milestones.nrows; j++) {
        const char *nm = gs_csv_cell(&r->milestones, j, 0);
        snprintf(name, sizeof name, "milestone:%.20snm:probability", nm);
        bad |= figs_set(f, name, gs_csv_cell(&r->milestones, j, 1));
        snprintf(name, sizeof name, "milestone:%.20snm:p50", nm);
        bad |= figs_set(f, name, gs_csv_cell(&r->milestones, j, 5));
    }
    if (hz)
        bad |= figs_quantile(f, r, "investment_cum", hz, "p50");
    return bad;
}

/* RFC 4180 field: quoted only when it holds a comma, quote or line break. */
static void csv_field(gs_strbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        gs_strbuf_puts(b, s);
        return;
    }
    gs_strbuf_putn(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            gs_strbuf_putn(b, "\"", 1);
        gs_strbuf_putn(b, s, 1);
    }
    gs_strbuf_putn(b, "\"", 1);
}

/* A file written whole or not at all, with the writers' gs_afile. */
static gs_status write_whole(const char *dir, const char *name, const char *text, gs_error *err)
{
    gs_afile a;
    gs_status st = gs_afile_open(&a, dir, name, err);
    if (st != GS_OK)
        return st;
    fputs(text, a.f);
    return gs_afile_commit(&a, err);
}

static gs_status write_compare_csv(const char *outdir, run_info *runs, size_t n, gs_error *err)
{
    figures *f = calloc(n, sizeof *f);
    if (!f)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    figlist all = {0};
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        bad |= collect_figures(&f[k], &runs[k], &runs[0]);
        for (size_t i = 0; i < f[k].fig.n; i++)
            bad |= fig_add(&all, f[k].fig.name[i]) < 0;
    }
    gs_strbuf b = {0};
    gs_strbuf_puts(&b, "scenario,figure,value,diff_from_first\n");
    for (size_t k = 0; k < n; k++) {
        const char *name = jstr(json_object_get(runs[k].manifest, "scenario"), "name");
        for (size_t i = 0; i < all.n; i++) {
            int a = fig_index(&f[k].fig, all.name[i]), a0 = fig_index(&f[0].fig, all.name[i]);
            const char *v = a >= 0 ? f[k].val[a] : "";
            double x = to_num(v), x0 = a0 >= 0 ? to_num(f[0].val[a0]) : NAN;
            csv_field(&b, name);
            gs_strbuf_puts(&b, ",");
            csv_field(&b, all.name[i]);
            gs_strbuf_puts(&b, ",");
            if (isfinite(x))
                gs_strbuf_printf(&b, "%.10g", x);
            gs_strbuf_puts(&b, ",");
            if (isfinite(x) && isfinite(x0))
                gs_strbuf_printf(&b, "%.10g", x - x0);
            gs_strbuf_puts(&b, "\n");
        }
    }
    gs_status st = bad || b.oom ? gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory")
                                : write_whole(outdir, "compare.csv", gs_strbuf_str(&b), err);
    gs_strbuf_free(&b);
    for (size_t k = 0; k < n; k++)
        figs_free(&f[k]);
    free(f);
    for (size_t i = 0; i < all.n; i++)
        free(all.name[i]);
    free(all.name);
    return st;
}

static void meta_compare(gs_strbuf *m, run_info *runs, size_t n)
{
    char key[96];
    long long y0 = LLONG_MAX, y1 = LLONG_MIN;
    gs_strbuf t = {0};
    gs_strbuf_puts(&t, n == 2 ? "Scenarios " : "Scenarios: ");
    for (size_t k = 0; k < n; k++) {
        json_t *sc = json_object_get(runs[k].manifest, "scenario");
        long long a, b;
        if (jint(sc, "base_year", &a) && a < y0)
            y0 = a;
        if (jint(sc, "horizon", &b) && b > y1)
            y1 = b;
        snprintf(key, sizeof key, "run.%zu.dir", k + 1);
        meta_put(m, key, runs[k].dir);
        snprintf(key, sizeof key, "run.%zu.name", k + 1);
        meta_text(m, key, jstr(sc, "name"), 40);
        snprintf(key, sizeof key, "run.%zu.q.share_total", k + 1);
        meta_range(m, key, &runs[k], "share_total");
        snprintf(key, sizeof key, "run.%zu.q.node_domestic_nm", k + 1);
        meta_range(m, key, &runs[k], "node_domestic_nm");
        snprintf(key, sizeof key, "run.%zu.q.node_frontier_nm", k + 1);
        meta_range(m, key, &runs[k], "node_frontier_nm");
        if (k > 0)
            gs_strbuf_puts(&t, k + 1 == n && n == 2 ? " and " : ", ");
        put_plain(&t, jstr(sc, "name"), n > 3 ? 20 : 40);
        /* Target j of the first run, found by year and value in each run. */
        for (size_t j = 0, jj = 0; j < runs[0].targets.nrows; j++) {
            if (!row_ok(&runs[0].targets, j, 8))
                continue;
            jj++;
            const char *ty = gs_csv_cell(&runs[0].targets, j, 0), *tv = gs_csv_cell(&runs[0].targets, j, 1);
            for (size_t i = 0; i < runs[k].targets.nrows; i++) {
                if (row_ok(&runs[k].targets, i, 8) &&
                    to_num(gs_csv_cell(&runs[k].targets, i, 0)) == to_num(ty) &&
                    to_num(gs_csv_cell(&runs[k].targets, i, 1)) == to_num(tv)) {
                    snprintf(key, sizeof key, "run.%zu.target.%zu.row", k + 1, jj);
                    meta_fmt(m, key, "%ld", data_line(&runs[k].targets.rows[i]));
                    break;
                }
            }
        }
    }
    meta_fmt(m, "nruns", "%zu", n);
    meta_fmt(m, "base_year", "%lld", y0);
    meta_fmt(m, "horizon", "%lld", y1);
    meta_targets(m, &runs[0], "first.");
    meta_put(m, "subtitle1", gs_strbuf_str(&t));

    t.n = 0;
    json_t *sc0 = json_object_get(runs[0].manifest, "scenario");
    const char *def0 = jstr(sc0, "share_definition");
    int same = 1;
    for (size_t k = 1; k < n; k++)
        same &= strcmp(def0, jstr(json_object_get(runs[k].manifest, "scenario"), "share_definition")) == 0;
    gs_strbuf_puts(&t, "Share = ");
    put_plain(&t, *def0 ? def0 : "(not stated)", 80);
    if (!same)
        gs_strbuf_puts(&t, " (first scenario; the definitions differ between scenarios)");
    gs_strbuf_puts(&t, " · targets of the first scenario");
    meta_put(m, "subtitle2", gs_strbuf_str(&t));

    t.n = 0;
    gs_strbuf_puts(&t, "gapsim " GAPSIM_VERSION " compare · configs ");
    for (size_t k = 0; k < n && k < 6; k++) {
        if (k)
            gs_strbuf_puts(&t, ", ");
        put_plain(&t, jstr(runs[k].manifest, "config_hash"), 28);
    }
    if (n > 6)
        gs_strbuf_puts(&t, ", …");
    meta_put(m, "provenance", gs_strbuf_str(&t));
    if (t.oom)
        m->oom = 1;
    gs_strbuf_free(&t);
}

gs_status gs_compare_dirs(const char **dirs, size_t n, const char *outdir, const gs_plot_opts *o,
                          gs_plot_report *rep, gs_error *err)
{
    static const char *const charts[] = {"compare_share", "compare_nodes", "compare_targets", NULL};
    gs_plot_report scratch;
    gs_plot_report_init(&scratch);
    if (!rep)
        rep = &scratch;
    if (n < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "compare needs two or more run folders");
    gs_status st = check_opts(o, err);
    if (st != GS_OK)
        return st;
    if (!outdir || !*outdir)
        outdir = "out/compare";
    run_info *runs = calloc(n, sizeof *runs);
    if (!runs)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < n && st == GS_OK; k++)
        st = run_load(&runs[k], dirs[k] ? dirs[k] : "", err);
    char out[GS_PATH_MAX];
    if (st == GS_OK)
        st = gs_output_prepare(outdir, err);
    if (st == GS_OK && !realpath(outdir, out))
        st = gs_error_set(err, GS_EOUTPUT, outdir, 0, "cannot resolve the folder: %s", strerror(errno));
    if (st == GS_OK)
        st = write_compare_csv(out, runs, n, err);
    if (st == GS_OK) {
        gs_strbuf m = {0};
        meta_compare(&m, runs, n);
        st = m.oom ? gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory")
                   : draw_all(charts, NULL, out, gs_strbuf_str(&m), o, rep, err);
        gs_strbuf_free(&m);
    }
    for (size_t k = 0; k < n; k++)
        run_free(&runs[k]);
    free(runs);
    gs_plot_report_clear(&scratch);
    return st;
}

/* ------------------------------------------------------------------ */
/* one template, for callers with their own tables                     */

static int is_ident(const char *s, size_t max)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '_' && s[n] != '-')
            return 0;
    return n > 0 && n <= max;
}

gs_status gs_plot_template(const char *tpl, const char *outdir, const char *name,
                           const char *const *kv, size_t n_kv, const gs_plot_opts *o,
                           gs_plot_report *rep, gs_error *err)
{
    gs_plot_report scratch;
    gs_plot_report_init(&scratch);
    if (!rep)
        rep = &scratch;
    gs_status st = check_opts(o, err);
    if (st != GS_OK)
        return st;
    /* Both become file names: keep them inside their folders. */
    if (!is_ident(tpl, 48) || !is_ident(name, 48))
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "chart and template names are limited to [A-Za-z0-9_-], 48 characters");
    char out[GS_PATH_MAX];
    if (!outdir || !realpath(outdir, out))
        return gs_error_set(err, GS_EOUTPUT, outdir, 0, "cannot resolve the folder: %s",
                            strerror(errno));
    gs_strbuf m = {0};
    meta_put(&m, "dir", out);
    for (size_t i = 0; i < n_kv; i++)
        meta_text(&m, kv[2 * i] ? kv[2 * i] : "", kv[2 * i + 1] ? kv[2 * i + 1] : "", 200);
    const char *charts[] = {tpl, NULL}, *names[] = {name, NULL};
    st = m.oom ? gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory")
               : draw_all(charts, names, out, gs_strbuf_str(&m), o, rep, err);
    gs_strbuf_free(&m);
    gs_plot_report_clear(&scratch);
    return st;
}
