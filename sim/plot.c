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
#include "gs_model.h"
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
#include <time.h>
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

/* The tables are read by the library's one CSV reader (gs_csv.h). */
typedef gs_csv csv_table;
typedef gs_csv_row csv_row;

static void csv_free(csv_table *t)
{
    gs_csv_free(t);
}

/* The data line gnuplot counts for a record (0 is the first after the
 * header): the reader gives the file's line. */
static long gp_line(const csv_row *row)
{
    return row->line - 2;
}

/* The most bytes plot reads from one table or manifest: a run's tables are
 * kilobytes; a file beyond this is not one of them (or a link to /dev/zero). */
#define GS_PLOT_MAX_FILE ((size_t)64 << 20)

/* Reads a regular file of at most GS_PLOT_MAX_FILE bytes whole.  NULL with
 * why filled when it is missing, not a regular file, too large or
 * unreadable.  O_NONBLOCK: opening a FIFO must not wait for a writer. */
static char *slurp_bytes(const char *path, size_t *len, char *why, size_t whyn, int binary)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whyn, "cannot read: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(why, whyn, "not a regular file");
        close(fd);
        return NULL;
    }
    if ((uintmax_t)sb.st_size > GS_PLOT_MAX_FILE) {
        snprintf(why, whyn, "larger than %zu MiB: not a table of a run", GS_PLOT_MAX_FILE >> 20);
        close(fd);
        return NULL;
    }
    gs_strbuf b = {0};
    char chunk[8192];
    int bad = 0;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(why, whyn, "cannot read: %s", strerror(errno));
            bad = 1;
            break;
        }
        if (got == 0)
            break;
        /* A file that grows while it is read is held to the same bound. */
        if (b.n + (size_t)got > GS_PLOT_MAX_FILE) {
            snprintf(why, whyn, "larger than %zu MiB: not a table of a run", GS_PLOT_MAX_FILE >> 20);
            bad = 1;
            break;
        }
        gs_strbuf_putn(&b, chunk, (size_t)got);
    }
    close(fd);
    if (!b.p)
        gs_strbuf_putn(&b, "", 0);
    if (!bad && b.oom)
        snprintf(why, whyn, "out of memory");
    if (bad || b.oom) {
        gs_strbuf_free(&b);
        return NULL;
    }
    if (!binary && memchr(b.p, '\0', b.n)) {
        snprintf(why, whyn, "holds a NUL byte: not a text file");
        gs_strbuf_free(&b);
        return NULL;
    }
    *len = b.n;
    return b.p;
}

static char *slurp(const char *path, size_t *len, char *why, size_t whyn)
{
    return slurp_bytes(path, len, why, whyn, 0);
}

/* A table of the run folder, read only when it is a regular file within
 * the size bound (a link to /dev/zero or a FIFO is refused at once). */
static gs_status csv_read(csv_table *t, const char *dir, const char *name, gs_error *err)
{
    memset(t, 0, sizeof *t);
    char path[GS_PATH_MAX + 80];
    size_t dl = strlen(dir), nl = strlen(name);
    if (dl + nl + 2 > sizeof path)
        return gs_error_set(err, GS_EINPUT, dir, 0, "folder name too long");
    memcpy(path, dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, name, nl + 1);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot read: %s", strerror(errno));
    struct stat sb;
    int regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    close(fd);
    if (!regular)
        return gs_error_set(err, GS_EINPUT, path, 0, "not a regular file");
    if ((uintmax_t)sb.st_size > GS_PLOT_MAX_FILE)
        return gs_error_set(err, GS_EINPUT, path, 0, "larger than %zu MiB: not a table of a run",
                            GS_PLOT_MAX_FILE >> 20);
    return gs_csv_read(t, path, err);
}

static int csv_col(const csv_table *t, const char *name)
{
    return (int)gs_csv_col(t, name);
}

static const char *csv_get(const csv_table *t, size_t row, int col)
{
    return gs_csv_cell(t, row, col);
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
        if (csv_col(t, cols[i]) < 0)
            return gs_error_set(err, GS_EINPUT, t->path, 1, "no column \"%s\" in the header",
                                cols[i]);
    for (int i = 0; cols[i]; i++)
        if (csv_col(t, cols[i]) != i)
            return gs_error_set(err, GS_EINPUT, t->path, 1, "column \"%s\" out of place",
                                cols[i]);
    return GS_OK;
}

/* ------------------------------------------------------------------ */
/* a finished run                                                      */

/* A model's report table, read from the run folder. */
typedef struct {
    char name[64]; /* "year_gap_dist.csv" */
    csv_table t;
} run_table;

typedef struct {
    char dir[GS_PATH_MAX];
    json_t *manifest;
    long long y0, y1; /* scenario.base_year, scenario.horizon */
    /* The engine's tables, and the models' (gs_model_type.tables). */
    csv_table q, targets, milestones;
    run_table *tables;
    size_t ntables;
} run_info;

static const char *jstr(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* A whole number in the manifest.  A real is taken only when it is whole and
 * within 2^53, where a double holds every integer: 1e300 is no count. */
static int jint(json_t *obj, const char *key, long long *out)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 1;
    }
    double d = json_is_real(v) ? json_real_value(v) : NAN;
    if (isfinite(d) && fabs(d) <= 9007199254740992.0 && floor(d) == d) {
        *out = (long long)d;
        return 1;
    }
    return 0;
}

static void run_free(run_info *r)
{
    json_decref(r->manifest);
    r->manifest = NULL;
    csv_free(&r->q);
    csv_free(&r->targets);
    csv_free(&r->milestones);
    for (size_t i = 0; i < r->ntables; i++)
        csv_free(&r->tables[i].t);
    free(r->tables);
    r->tables = NULL;
    r->ntables = 0;
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* Columns that hold text; every other column of a run's table holds finite
 * numbers (empty where there is none, as "not reached" in targets.csv). */
static int text_column(const char *name)
{
    static const char *const text[] = {"variable", "label", "name", "scenario", "figure", NULL};
    for (size_t i = 0; text[i]; i++)
        if (strcmp(name, text[i]) == 0)
            return 1;
    return 0;
}

/* The file's line number of a record (1 is the header). */
static int rec_lineno(const csv_table *t, size_t row)
{
    long l = t->rows[row].line;
    return l > INT_MAX ? INT_MAX : (int)l;
}

/* A table of a run is whole: no ragged rows, finite numbers in number
 * columns, the first column never empty, years inside the scenario's span. */
static gs_status table_check(const csv_table *t, const run_info *r, gs_error *err)
{
    for (size_t i = 0; i < t->nrows; i++) {
        const csv_row *row = &t->rows[i];
        if (row->n != t->nhead)
            return gs_error_set(err, GS_EINPUT, t->path, rec_lineno(t, i),
                                "%zu fields where the header has %zu (a damaged or cut table)",
                                row->n, t->nhead);
        for (size_t c = 0; c < t->nhead; c++) {
            const char *v = row->f[c], *col = t->head[c];
            if (text_column(col))
                continue;
            if (!*v && c > 0)
                continue;
            double x = to_num(v);
            if (!isfinite(x))
                return gs_error_set(err, GS_EINPUT, t->path, rec_lineno(t, i),
                                    "column \"%s\": \"%.40s\" is not a finite number", col, v);
            if (strcmp(col, "year") == 0 && (x < (double)r->y0 || x > (double)r->y1 || x != floor(x)))
                return gs_error_set(err, GS_EINPUT, t->path, rec_lineno(t, i),
                                    "column \"year\": %.40s is not a year from %lld to %lld", v,
                                    r->y0, r->y1);
        }
    }
    return GS_OK;
}

/* quantiles.csv holds every variable in one block of consecutive rows, one
 * row a year from the base year to the horizon; the variables the manifest
 * lists ("variables", when it has them) and those the models' figures name
 * are all there.  So a table cut at any line is refused. */
static gs_status quantiles_check(const run_info *r, gs_error *err)
{
    const csv_table *t = &r->q;
    long long span = r->y1 - r->y0 + 1;
    for (size_t i = 0; i < t->nrows;) {
        const char *var = t->rows[i].f[1];
        for (size_t k = 0; k < i; k += (size_t)span)
            if (strcmp(t->rows[k].f[1], var) == 0)
                return gs_error_set(err, GS_EINPUT, t->path, rec_lineno(t, i),
                                    "variable \"%.60s\" appears in two blocks", var);
        for (long long y = r->y0; y <= r->y1; y++, i++) {
            if (i >= t->nrows || strcmp(t->rows[i].f[1], var) != 0)
                return gs_error_set(err, GS_EINPUT, t->path,
                                    i >= t->nrows ? rec_lineno(t, t->nrows - 1) : rec_lineno(t, i),
                                    "variable \"%.60s\" has no row for %lld (a cut or damaged table)",
                                    var, y);
            if (to_num(t->rows[i].f[0]) != (double)y)
                return gs_error_set(err, GS_EINPUT, t->path, rec_lineno(t, i),
                                    "variable \"%.60s\": year %.20s where %lld was due", var,
                                    t->rows[i].f[0], y);
        }
    }
    json_t *vars = json_object_get(r->manifest, "variables");
    for (size_t k = 0; k < json_array_size(vars); k++) {
        const char *v = json_string_value(json_array_get(vars, k));
        int found = 0;
        for (size_t i = 0; v && i < t->nrows && !found; i += (size_t)span)
            found = strcmp(t->rows[i].f[1], v) == 0;
        if (v && !found)
            return gs_error_set(err, GS_EINPUT, t->path, 0,
                                "no rows for \"%.60s\", which manifest.json lists", v);
    }
    for (const gs_model_type *const *m = gs_models_builtin(); *m; m++) {
        const gs_figure_decl *fd = (*m)->plot ? (*m)->plot->figures : NULL;
        for (; fd && fd->variable; fd++) {
            int found = 0;
            for (size_t i = 0; i < t->nrows && !found; i += (size_t)span)
                found = strcmp(t->rows[i].f[1], fd->variable) == 0;
            if (!found)
                return gs_error_set(err, GS_EINPUT, t->path, 0,
                                    "no rows for \"%s\" (a cut table, or a run of other models)",
                                    fd->variable);
        }
    }
    return GS_OK;
}

/* targets.csv and milestones.csv hold one row per target and milestone of
 * the manifest, in its order. */
static gs_status trackers_check(const run_info *r, gs_error *err)
{
    json_t *tg = json_object_get(r->manifest, "targets");
    if (json_is_array(tg)) {
        if (json_array_size(tg) != r->targets.nrows)
            return gs_error_set(err, GS_EINPUT, r->targets.path, 0,
                                "%zu rows where manifest.json lists %zu targets", r->targets.nrows,
                                json_array_size(tg));
        for (size_t j = 0; j < r->targets.nrows; j++) {
            json_t *o = json_array_get(tg, j);
            double y = json_number_value(json_object_get(o, "year"));
            double v = json_number_value(json_object_get(o, "value"));
            if (to_num(r->targets.rows[j].f[0]) != y ||
                fabs(to_num(r->targets.rows[j].f[1]) - v) > 1e-9 * fmax(1.0, fabs(v)))
                return gs_error_set(err, GS_EINPUT, r->targets.path, rec_lineno(&r->targets, j),
                                    "target %zu is not the one manifest.json lists", j + 1);
        }
    }
    json_t *ms = json_object_get(r->manifest, "milestones_nm");
    if (json_is_array(ms) && json_array_size(ms) != r->milestones.nrows)
        return gs_error_set(err, GS_EINPUT, r->milestones.path, 0,
                            "%zu rows where manifest.json lists %zu milestones",
                            r->milestones.nrows, json_array_size(ms));
    return GS_OK;
}

static gs_status table_load(csv_table *t, const run_info *r, const char *name,
                            const char *const *cols, gs_error *err)
{
    gs_status st = csv_read(t, r->dir, name, err);
    if (st == GS_OK && cols)
        st = csv_require(t, cols, err);
    if (st == GS_OK)
        st = table_check(t, r, err);
    return st;
}

static gs_status manifest_load(run_info *r, const char *path, gs_error *err)
{
    size_t len;
    char why[128];
    char *text = slurp(path, &len, why, sizeof why);
    if (!text)
        return gs_error_set(err, GS_EINPUT, path, 0, "not a finished run: %s", why);
    json_error_t je;
    r->manifest = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!r->manifest)
        return gs_error_set(err, GS_EINPUT, path, je.line > 0 ? je.line : 0,
                            "not a finished run: %s", je.text);
    if (!json_is_object(r->manifest))
        return gs_error_set(err, GS_EINPUT, path, 1, "not a finished run: not a JSON object");
    json_t *sc = json_object_get(r->manifest, "scenario");
    if (!jint(sc, "base_year", &r->y0) || !jint(sc, "horizon", &r->y1) || r->y1 < r->y0 ||
        r->y0 < 1900 || r->y1 > 2300)
        return gs_error_set(err, GS_EINPUT, path, 0,
                            "scenario.base_year and scenario.horizon missing or wrong");
    return GS_OK;
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
    gs_status st = manifest_load(r, path, err);
    if (st != GS_OK)
        return st;
    static const char *const qcols[] = {"year", "variable", "mean", "sd", "p05", "p25", "p50", "p75", "p95", NULL};
    static const char *const tcols[] = {"year", "value", "probability", "ci_low", "ci_high", "first_year_p05",
                                        "first_year_p50", "first_year_p95", NULL};
    static const char *const mcols[] = {"node_nm", "probability", "ci_low", "ci_high", "first_year_p05",
                                        "first_year_p50", "first_year_p95", NULL};
    if ((st = table_load(&r->q, r, "quantiles.csv", qcols, err)) != GS_OK ||
        (st = quantiles_check(r, err)) != GS_OK ||
        (st = table_load(&r->targets, r, "targets.csv", tcols, err)) != GS_OK ||
        (st = table_load(&r->milestones, r, "milestones.csv", mcols, err)) != GS_OK ||
        (st = trackers_check(r, err)) != GS_OK)
        return st;
    for (const gs_model_type *const *m = gs_models_builtin(); *m; m++) {
        for (const gs_table_decl *td = (*m)->tables; td && td->file; td++) {
            const char *tb = td->file;
            run_table *nt = realloc(r->tables, (r->ntables + 1) * sizeof *nt);
            if (!nt)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            r->tables = nt;
            run_table *x = &r->tables[r->ntables++];
            memset(x, 0, sizeof *x);
            snprintf(x->name, sizeof x->name, "%s", tb);
            if ((st = table_load(&x->t, r, tb, NULL, err)) != GS_OK)
                return st;
        }
    }
    return GS_OK;
}

/* Rows [first, last] of quantiles.csv holding `var`, as gnuplot counts data
 * lines; 0 when absent or when gnuplot would misread them (a name with a
 * quote or a line break: the chart then leaves the variable out). */
static int q_range(const run_info *r, const char *var, long *first, long *last)
{
    int found = 0, bad = 0;
    for (size_t i = 0; i < r->q.nrows; i++) {
        if (strcmp(csv_get(&r->q, i, 1), var) != 0)
            continue;
        if (!found)
            *first = gp_line(&r->q.rows[i]);
        *last = gp_line(&r->q.rows[i]);
        bad |= !row_ok(&r->q, i, 9);
        found = 1;
    }
    return found && !bad;
}

/* The row of quantiles.csv with var in year, or -1. */
static long q_row(const run_info *r, const char *var, long long year)
{
    for (size_t i = 0; i < r->q.nrows; i++)
        if (strcmp(csv_get(&r->q, i, 1), var) == 0 && to_num(csv_get(&r->q, i, 0)) == (double)year)
            return (long)i;
    return -1;
}

/* A name that can be part of a metadata key as it is: printable ASCII
 * without the blank, quote and backslash gnuplot's data reader would take
 * apart (keys are not encoded as values are). */
static int key_safe(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (*s <= ' ' || *s > '~' || *s == '"' || *s == '\\')
            return 0;
    return 1;
}

/* "PREFIXq.VAR" = "first last" for every variable of quantiles.csv: the
 * templates, which belong to the models, pick the variables they draw. */
static void meta_quantiles(gs_strbuf *m, const run_info *r, const char *prefix)
{
    char key[160];
    for (size_t i = 0; i < r->q.nrows; i++) {
        const char *var = csv_get(&r->q, i, 1);
        if ((i > 0 && strcmp(var, csv_get(&r->q, i - 1, 1)) == 0) || !key_safe(var))
            continue;
        long a = 0, b = 0;
        if (q_range(r, var, &a, &b)) {
            snprintf(key, sizeof key, "%sq.%s", prefix, var);
            meta_fmt(m, key, "%ld %ld", a, b);
        }
    }
}

/* Every row of a table as metadata, for the templates: "T.n" rows, and for
 * row k "T.k.row" (the line gnuplot counts), "T.k.COLUMN" (its text, 50
 * characters, and "T.k.COLUMN.short", 26, for text columns); "T.g.n" groups
 * of consecutive rows with one first column, "T.g.k.rows" and "T.g.k.key".
 * T is the file name without ".csv".  A row gnuplot would misread in a
 * number column (a quote or a line break before it) is left out. */
static void meta_table(gs_strbuf *m, const csv_table *t, const char *tname)
{
    char key[200], prefix[80];
    const char *slash = strrchr(tname, '/');
    snprintf(prefix, sizeof prefix, "%s", slash ? slash + 1 : tname);
    char *dot = strstr(prefix, ".csv");
    if (dot)
        *dot = '\0';
    size_t last_num = 0;
    for (size_t c = 0; c < t->nhead; c++)
        if (!text_column(t->head[c]))
            last_num = c + 1;
    size_t n = 0;
    for (size_t j = 0; j < t->nrows && n < 2000; j++) {
        if (!row_ok(t, j, last_num))
            continue;
        n++;
        snprintf(key, sizeof key, "%s.%zu.row", prefix, n);
        meta_fmt(m, key, "%ld", gp_line(&t->rows[j]));
        for (size_t c = 0; c < t->nhead; c++) {
            if (!key_safe(t->head[c]))
                continue;
            snprintf(key, sizeof key, "%s.%zu.%s", prefix, n, t->head[c]);
            meta_text(m, key, csv_get(t, j, (int)c), 50);
            if (text_column(t->head[c])) {
                snprintf(key, sizeof key, "%s.%zu.%s.short", prefix, n, t->head[c]);
                meta_text(m, key, csv_get(t, j, (int)c), 26);
            }
        }
    }
    snprintf(key, sizeof key, "%s.n", prefix);
    meta_fmt(m, key, "%zu", n);
    size_t ng = 0;
    for (size_t i = 0; i < t->nrows && ng < 500;) {
        const char *y = csv_get(t, i, 0);
        size_t k = i;
        while (k + 1 < t->nrows && strcmp(csv_get(t, k + 1, 0), y) == 0)
            k++;
        ng++;
        snprintf(key, sizeof key, "%s.g.%zu.rows", prefix, ng);
        meta_fmt(m, key, "%ld %ld", gp_line(&t->rows[i]), gp_line(&t->rows[k]));
        snprintf(key, sizeof key, "%s.g.%zu.key", prefix, ng);
        meta_text(m, key, y, 40);
        i = k + 1;
    }
    snprintf(key, sizeof key, "%s.g.n", prefix);
    meta_fmt(m, key, "%zu", ng);
}

/* Arrays of names in the manifest ("segments": [...]) as "manifest.KEY.n"
 * and "manifest.KEY.i". */
static void meta_manifest_lists(gs_strbuf *m, const run_info *r)
{
    const char *k;
    json_t *v;
    char key[160];
    json_object_foreach(r->manifest, k, v) {
        if (!json_is_array(v) || !key_safe(k))
            continue;
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(v) && n < 200; i++) {
            const char *s = json_string_value(json_array_get(v, i));
            if (!s)
                continue;
            n++;
            snprintf(key, sizeof key, "manifest.%s.%zu", k, n);
            meta_text(m, key, s, 40);
        }
        if (n) {
            snprintf(key, sizeof key, "manifest.%s.n", k);
            meta_fmt(m, key, "%zu", n);
        }
    }
}

/* Thousands separators for a count of trajectories. */
static void fmt_count(char *buf, size_t n, long long v)
{
    char raw[32];
    /* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
    unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    snprintf(raw, sizeof raw, "%llu", mag);
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

/* What the run is: the manifest's label ("baseline + funds.fund2.size =
 * 600"), else the name and the overrides, else the name. */
static void put_label(gs_strbuf *t, const run_info *r, size_t max_chars)
{
    json_t *man = r->manifest, *sc = json_object_get(man, "scenario");
    if (*jstr(man, "label")) {
        put_plain(t, jstr(man, "label"), max_chars);
        return;
    }
    gs_strbuf l = {0};
    gs_strbuf_puts(&l, jstr(sc, "name"));
    json_t *ov = json_object_get(man, "overrides");
    for (size_t i = 0; i < json_array_size(ov); i++) {
        json_t *o = json_array_get(ov, i), *val = json_object_get(o, "value");
        gs_strbuf_printf(&l, i ? ", %s = " : " + %s = ", jstr(o, "path"));
        if (json_is_string(val))
            gs_strbuf_puts(&l, json_string_value(val));
        else if (json_is_number(val))
            gs_strbuf_printf(&l, "%.10g", json_number_value(val));
        else
            gs_strbuf_puts(&l, "…");
    }
    put_plain(t, gs_strbuf_str(&l), max_chars);
    if (l.oom)
        t->oom = 1;
    gs_strbuf_free(&l);
}

/* "10,000 trajectories (lhs), seed 20190101" */
static void put_size(gs_strbuf *t, const run_info *r)
{
    long long ntr = 0, seed = 0;
    char cnt[40];
    if (jint(r->manifest, "trajectories", &ntr)) {
        fmt_count(cnt, sizeof cnt, ntr);
        gs_strbuf_printf(t, "%s trajector%s", cnt, ntr == 1 ? "y" : "ies");
        if (*jstr(r->manifest, "sampler")) {
            gs_strbuf_puts(t, " (");
            put_plain(t, jstr(r->manifest, "sampler"), 12);
            gs_strbuf_puts(t, ")");
        }
    } else {
        gs_strbuf_puts(t, "trajectories not stated");
    }
    if (jint(r->manifest, "seed", &seed))
        gs_strbuf_printf(t, ", seed %lld", seed);
}

/* "gapsim 0.1.0 (cc936d65b379)" */
static void put_version(gs_strbuf *t, const run_info *r)
{
    json_t *man = r->manifest;
    gs_strbuf_puts(t, "gapsim ");
    put_plain(t, *jstr(man, "gapsim_version") ? jstr(man, "gapsim_version") : "?", 20);
    const char *rev = *jstr(man, "build") ? jstr(man, "build") : jstr(man, "git_revision");
    if (*rev && strcmp(rev, "unknown") != 0) {
        gs_strbuf_puts(t, " (");
        put_plain(t, rev, 40);
        gs_strbuf_puts(t, ")");
    }
}

static void meta_common_run(gs_strbuf *m, const run_info *r)
{
    json_t *man = r->manifest, *sc = json_object_get(man, "scenario");
    meta_put(m, "dir", r->dir);
    meta_fmt(m, "base_year", "%lld", r->y0);
    meta_fmt(m, "horizon", "%lld", r->y1);

    /* Subtitle: what the scenario is, said once ("Baseline: the report's
     * figures"); a run with overrides says so first. */
    gs_strbuf t = {0};
    const char *title = *jstr(sc, "title") ? jstr(sc, "title") : jstr(sc, "name");
    int changed = *jstr(man, "label") ? strcmp(jstr(man, "label"), jstr(sc, "name")) != 0
                                      : json_array_size(json_object_get(man, "overrides")) > 0;
    if (changed) {
        put_label(&t, r, 90);
        gs_strbuf_puts(&t, " (from ");
        put_plain(&t, title, 60);
        gs_strbuf_puts(&t, ")");
    } else {
        put_plain(&t, title, 120);
    }
    meta_put(m, "subtitle1", gs_strbuf_str(&t));
    meta_text(m, "share_definition",
              *jstr(sc, "share_definition") ? jstr(sc, "share_definition") : "(not stated)", 90);

    /* Footer: scenario (and overrides), N, seed, version, date. */
    t.n = 0;
    gs_strbuf_puts(&t, "Scenario ");
    put_label(&t, r, 70);
    gs_strbuf_puts(&t, " · ");
    put_size(&t, r);
    meta_put(m, "footer1", gs_strbuf_str(&t));
    t.n = 0;
    put_version(&t, r);
    gs_strbuf_puts(&t, " · config ");
    put_plain(&t, *jstr(man, "config_hash") ? jstr(man, "config_hash") : "?", 32);
    if (*jstr(man, "finished")) {
        gs_strbuf_puts(&t, " · ");
        put_plain(&t, jstr(man, "finished"), 25);
    }
    meta_put(m, "provenance", gs_strbuf_str(&t));
    if (t.oom)
        m->oom = 1;
    gs_strbuf_free(&t);
}

static void meta_run(gs_strbuf *m, const run_info *r)
{
    meta_common_run(m, r);
    meta_quantiles(m, r, "");
    meta_manifest_lists(m, r);
    meta_table(m, &r->targets, "targets");
    meta_table(m, &r->milestones, "milestones");
    for (size_t i = 0; i < r->ntables; i++)
        meta_table(m, &r->tables[i].t, r->tables[i].name);
}

/* The chart templates the models declare, in registry order, deduplicated. */
static size_t model_charts(const char **out, size_t cap, int compare)
{
    size_t n = 0;
    for (const gs_model_type *const *m = gs_models_builtin(); *m; m++) {
        const gs_plot_decl *pd = (*m)->plot;
        const char *const *c = pd ? (compare ? pd->compare_charts : pd->charts) : NULL;
        for (; c && *c && n + 1 < cap; c++) {
            int dup = 0;
            for (size_t i = 0; i < n; i++)
                dup |= strcmp(out[i], *c) == 0;
            if (!dup)
                out[n++] = *c;
        }
    }
    out[n] = NULL;
    return n;
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
    /* An installed program uses the templates installed beside it, even when
     * the source tree it was built from is still there. */
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
#ifdef GAPSIM_SOURCE_PLOTDIR
    if (has_style(GAPSIM_SOURCE_PLOTDIR))
        return use_dir(GAPSIM_SOURCE_PLOTDIR, buf, n, err);
#endif
#ifdef GAPSIM_DATADIR
    if (has_style(GAPSIM_DATADIR "/plots"))
        return use_dir(GAPSIM_DATADIR "/plots", buf, n, err);
#endif
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

/* The chart's title and description, written by style.gp beside the
 * output as two lines, then check.gp's layout lines; "" when absent. */
static void read_title(const char *tmp, char *title, size_t tn, char *desc, size_t dn, char *layout,
                       size_t ln)
{
    char path[GS_PATH_MAX + 120];
    snprintf(path, sizeof path, "%s.title", tmp);
    title[0] = desc[0] = layout[0] = '\0';
    size_t len;
    char why[128];
    char *text = slurp(path, &len, why, sizeof why);
    unlink(path);
    if (!text)
        return;
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    snprintf(title, tn, "%s", text);
    if (nl) {
        char *d = nl + 1, *e = strchr(d, '\n');
        if (e)
            *e = '\0';
        snprintf(desc, dn, "%s", d);
        if (e)
            snprintf(layout, ln, "%s", e + 1);
    }
    free(text);
}

static void xml_put(gs_strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': gs_strbuf_puts(b, "&lt;"); break;
        case '>': gs_strbuf_puts(b, "&gt;"); break;
        case '&': gs_strbuf_puts(b, "&amp;"); break;
        case '"': gs_strbuf_puts(b, "&quot;"); break;
        default: gs_strbuf_putn(b, s, 1);
        }
    }
}

static int write_all(const char *path, const char *text, size_t len, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (!f)
        return -1;
    int bad = fwrite(text, 1, len, f) != len;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

/* gnuplot names every SVG "Gnuplot": the chart's own title and a
 * description (scenario, N, seed, version) go in its place. */
static int svg_metadata(const char *tmp, const char *title, const char *desc, const char *layout)
{
    size_t len;
    char why[128];
    char *text = slurp(tmp, &len, why, sizeof why);
    if (!text)
        return -1;
    const char *at = strstr(text, "<title>Gnuplot</title>");
    int rc = 0;
    if (at) {
        gs_strbuf b = {0};
        gs_strbuf_putn(&b, text, (size_t)(at - text));
        gs_strbuf_puts(&b, "<title>");
        xml_put(&b, title);
        gs_strbuf_puts(&b, "</title>\n<desc>");
        xml_put(&b, desc);
        gs_strbuf_puts(&b, "</desc>");
        /* The layout tests/chart_review.sh checks: data area, y-range. */
        if (*layout) {
            gs_strbuf_puts(&b, "\n<metadata id=\"gapsim-layout\">\n");
            xml_put(&b, layout);
            gs_strbuf_puts(&b, "</metadata>");
        }
        gs_strbuf_puts(&b, at + strlen("<title>Gnuplot</title>"));
        rc = b.oom ? -1 : write_all(tmp, b.p, b.n, "wb");
        gs_strbuf_free(&b);
    }
    free(text);
    return rc;
}

/* A PDF text string: UTF-16BE with its byte-order mark, in hex, so that any
 * character of the title is kept and none can end the string. */
static void pdf_text(gs_strbuf *b, const char *s)
{
    gs_strbuf_puts(b, "<FEFF");
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(p + i, n - i);
        unsigned cp = '?';
        if (len == 1) {
            cp = p[i];
        } else if (len > 1) {
            cp = p[i] & (0xffu >> (len + 1));
            for (size_t k = 1; k < len; k++)
                cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        i += len ? len : 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            gs_strbuf_printf(b, "%04X%04X", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
            gs_strbuf_printf(b, "%04X", cp);
        }
    }
    gs_strbuf_puts(b, ">");
}

/* The last occurrence of word in the n bytes at p, or NULL. */
static char *last_of(char *p, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = n >= w ? n - w + 1 : 0; i-- > 0;)
        if (memcmp(p + i, word, w) == 0)
            return p + i;
    return NULL;
}

/* cairo's PDF has no title: an incremental update (PDF 1.7, 7.5.6) appends
 * a new document information dictionary and a trailer that points at it,
 * leaving every byte cairo wrote in place. */
static int pdf_metadata(const char *tmp, const char *title, const char *desc)
{
    size_t len;
    char why[128];
    char *text = slurp_bytes(tmp, &len, why, sizeof why, 1);
    if (!text)
        return -1;
    int rc = -1;
    /* The last trailer and startxref; the streams before them may hold NULs,
     * the tail after them is text, which slurp_bytes ended with a NUL. */
    char *tr = last_of(text, len, "trailer"), *sx = last_of(text, len, "startxref");
    char *sz = tr ? strstr(tr, "/Size") : NULL, *root = tr ? strstr(tr, "/Root") : NULL;
    long size, prev, r0, r1;
    if (sz && root && sx && sscanf(sz, "/Size %ld", &size) == 1 &&
        sscanf(root, "/Root %ld %ld R", &r0, &r1) == 2 && sscanf(sx, "startxref %ld", &prev) == 1 &&
        size > 0 && size < 10000000) {
        gs_strbuf b = {0};
        size_t obj = len;
        gs_strbuf_printf(&b, "\n%ld 0 obj\n<< /Title ", size);
        pdf_text(&b, title);
        gs_strbuf_puts(&b, " /Subject ");
        pdf_text(&b, desc);
        gs_strbuf_puts(&b, " /Creator (gapsim " GAPSIM_VERSION ") >>\nendobj\n");
        size_t xref = len + b.n;
        gs_strbuf_printf(&b,
                         "xref\n0 1\n0000000000 65535 f \n%ld 1\n%010zu 00000 n \ntrailer\n"
                         "<< /Size %ld /Root %ld %ld R /Info %ld 0 R /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n",
                         size, obj + 1, size + 1, r0, r1, size, prev, xref);
        rc = b.oom ? -1 : write_all(tmp, b.p, b.n, "ab");
        gs_strbuf_free(&b);
    }
    free(text);
    return rc;
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
            char title[600], desc[1400], layout[600];
            read_title(tmp, title, sizeof title, desc, sizeof desc, layout, sizeof layout);
            if (r == RUN_OK && f == 1 && svg_metadata(tmp, title, desc, layout) != 0) {
                snprintf(msg, sizeof msg, "cannot put the title into the SVG");
                r = RUN_FAILED;
            }
            if (r == RUN_OK && f == 2 && pdf_metadata(tmp, title, desc) != 0) {
                snprintf(msg, sizeof msg, "cannot put the title into the PDF");
                r = RUN_FAILED;
            }
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

gs_status gs_plot_check_run_dir(const char *rundir, gs_error *err)
{
    run_info r;
    gs_status st = run_load(&r, rundir ? rundir : "", err);
    run_free(&r);
    return st;
}

gs_status gs_plot_run_dir(const char *rundir, const gs_plot_opts *o, gs_plot_report *rep,
                          gs_error *err)
{
    const char *charts[64];
    model_charts(charts, 64, 0);
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
    return figs_set(f, name, row >= 0 ? csv_get(&r->q, (size_t)row, csv_col(&r->q, col)) : "");
}

static int collect_figures(figures *f, const run_info *r, const run_info *first)
{
    char name[128];
    int bad = 0;
    for (size_t j = 0; j < r->targets.nrows; j++) {
        double y = to_num(csv_get(&r->targets, j, 0)), v = to_num(csv_get(&r->targets, j, 1));
        snprintf(name, sizeof name, "target:%g@%g", v, y);
        bad |= figs_set(f, name, csv_get(&r->targets, j, 2));
        snprintf(name, sizeof name, "target:%g@%g:first_year_p50", v, y);
        bad |= figs_set(f, name, csv_get(&r->targets, j, 6));
    }
    /* Years: the first run's report years and horizon, so that rows line up. */
    json_t *fm = first->manifest;
    json_t *ry = json_object_get(fm, "report_years");
    long long years[64];
    size_t ny = 0;
    for (size_t i = 0; i < json_array_size(ry) && ny < 63; i++)
        if (json_is_integer(json_array_get(ry, i)))
            years[ny++] = json_integer_value(json_array_get(ry, i));
    long long hz = first->y1;
    int dup = 0;
    for (size_t i = 0; i < ny; i++)
        dup |= years[i] == hz;
    if (!dup)
        years[ny++] = hz;
    /* The models' key figures, year by year. */
    for (size_t i = 0; i < ny; i++)
        for (const gs_model_type *const *m = gs_models_builtin(); *m; m++) {
            const gs_figure_decl *fd = (*m)->plot ? (*m)->plot->figures : NULL;
            for (; fd && fd->variable; fd++) {
                if (fd->horizon_only && years[i] != hz)
                    continue;
                char stats[64];
                snprintf(stats, sizeof stats, "%s", fd->stats);
                for (char *save = NULL, *c = strtok_r(stats, ",", &save); c; c = strtok_r(NULL, ",", &save))
                    bad |= figs_quantile(f, r, fd->variable, years[i], c);
            }
        }
    for (size_t j = 0; j < r->milestones.nrows; j++) {
        const char *nm = csv_get(&r->milestones, j, 0);
        snprintf(name, sizeof name, "milestone:%.20snm:probability", nm);
        bad |= figs_set(f, name, csv_get(&r->milestones, j, 1));
        snprintf(name, sizeof name, "milestone:%.20snm:p50", nm);
        bad |= figs_set(f, name, csv_get(&r->milestones, j, 5));
    }
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
                                : gs_afile_write(outdir, "compare.csv", gs_strbuf_str(&b), err);
    gs_strbuf_free(&b);
    for (size_t k = 0; k < n; k++)
        figs_free(&f[k]);
    free(f);
    for (size_t i = 0; i < all.n; i++)
        free(all.name[i]);
    free(all.name);
    return st;
}

/* json_equal, with two absent values equal. */
static int jsame(json_t *a, json_t *b)
{
    return (!a && !b) || json_equal(a, b);
}

/* What differs between the runs that a comparison should not hide: one
 * warning per manifest key whose value is not the same in every run. */
static void compare_warnings(gs_plot_report *rep, run_info *runs, size_t n)
{
    static const struct {
        const char *key, *what, *why;
    } keys[] = {
        {"trajectories", "trajectories", "their intervals are not equally precise"},
        {"seed", "seed", "their differences include sampling noise of different draws"},
        {"sampler", "sampler", "their sampling errors differ"},
        {"gapsim_version", "gapsim version", "the model may differ between them"},
        {"build", "build", "the model may differ between them"},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        gs_strbuf t = {0};
        int differ = 0;
        json_t *v0 = json_object_get(runs[0].manifest, keys[k].key);
        for (size_t i = 1; i < n; i++)
            differ |= !jsame(v0, json_object_get(runs[i].manifest, keys[k].key));
        if (!differ)
            continue;
        for (size_t i = 0; i < n && i < 6; i++) {
            json_t *v = json_object_get(runs[i].manifest, keys[k].key);
            if (i)
                gs_strbuf_puts(&t, ", ");
            put_plain(&t, jstr(json_object_get(runs[i].manifest, "scenario"), "name"), 30);
            gs_strbuf_puts(&t, " ");
            long long x;
            if (json_is_string(v))
                put_plain(&t, json_string_value(v), 30);
            else if (jint(runs[i].manifest, keys[k].key, &x))
                gs_strbuf_printf(&t, "%lld", x);
            else
                gs_strbuf_puts(&t, "(none)");
        }
        if (n > 6)
            gs_strbuf_puts(&t, ", …");
        rep_warn(rep, "compare: the runs differ in %s (%s): %s", keys[k].what, gs_strbuf_str(&t),
                 keys[k].why);
        gs_strbuf_free(&t);
    }
}

/* The date of today, UTC, for the footer of a comparison. */
static void put_today(gs_strbuf *t)
{
    time_t now = time(NULL);
    struct tm tm;
    char d[32];
    if (gmtime_r(&now, &tm) && strftime(d, sizeof d, "%Y-%m-%d", &tm))
        gs_strbuf_puts(t, d);
}

static void meta_compare(gs_strbuf *m, run_info *runs, size_t n)
{
    char key[96];
    long long y0 = LLONG_MAX, y1 = LLONG_MIN;
    gs_strbuf t = {0};
    gs_strbuf_puts(&t, n == 2 ? "Scenarios " : "Scenarios: ");
    size_t listed = 0;
    for (size_t k = 0; k < n; k++) {
        y0 = runs[k].y0 < y0 ? runs[k].y0 : y0;
        y1 = runs[k].y1 > y1 ? runs[k].y1 : y1;
        snprintf(key, sizeof key, "run.%zu.dir", k + 1);
        meta_put(m, key, runs[k].dir);
        gs_strbuf l = {0};
        put_label(&l, &runs[k], 40);
        snprintf(key, sizeof key, "run.%zu.name", k + 1);
        meta_put(m, key, gs_strbuf_str(&l));
        gs_strbuf_free(&l);
        snprintf(key, sizeof key, "run.%zu.", k + 1);
        meta_quantiles(m, &runs[k], key);
        /* The subtitle holds one line of the canvas: past about 100
         * characters the rest of the runs are counted, not named. */
        if (listed < k) {
            /* already cut short */
        } else if (k > 0 && strlen(gs_strbuf_str(&t)) > 100) {
            gs_strbuf_printf(&t, " and %zu more", n - k);
        } else {
            if (k > 0)
                gs_strbuf_puts(&t, k + 1 == n && n == 2 ? " and " : ", ");
            put_label(&t, &runs[k], n > 3 ? 24 : 40);
            listed = k + 1;
        }
        /* Target j of the first run, found by year and value in each run. */
        for (size_t j = 0, jj = 0; j < runs[0].targets.nrows; j++) {
            if (!row_ok(&runs[0].targets, j, 8))
                continue;
            jj++;
            const char *ty = csv_get(&runs[0].targets, j, 0), *tv = csv_get(&runs[0].targets, j, 1);
            for (size_t i = 0; i < runs[k].targets.nrows; i++) {
                if (row_ok(&runs[k].targets, i, 8) &&
                    to_num(csv_get(&runs[k].targets, i, 0)) == to_num(ty) &&
                    to_num(csv_get(&runs[k].targets, i, 1)) == to_num(tv)) {
                    snprintf(key, sizeof key, "run.%zu.targets.%zu.row", k + 1, jj);
                    meta_fmt(m, key, "%ld", gp_line(&runs[k].targets.rows[i]));
                    break;
                }
            }
        }
    }
    meta_fmt(m, "nruns", "%zu", n);
    meta_fmt(m, "base_year", "%lld", y0);
    meta_fmt(m, "horizon", "%lld", y1);
    meta_table(m, &runs[0].targets, "targets");
    meta_put(m, "subtitle1", gs_strbuf_str(&t));

    t.n = 0;
    json_t *sc0 = json_object_get(runs[0].manifest, "scenario");
    const char *def0 = jstr(sc0, "share_definition");
    int same = 1;
    for (size_t k = 1; k < n; k++)
        same &= strcmp(def0, jstr(json_object_get(runs[k].manifest, "scenario"), "share_definition")) == 0;
    put_plain(&t, *def0 ? def0 : "(not stated)", 80);
    if (!same)
        gs_strbuf_puts(&t, " (first scenario; the definitions differ between scenarios)");
    meta_put(m, "share_definition", gs_strbuf_str(&t));

    /* Footer: every run's N and seed (once when they agree), the version
     * and build of each when they differ, and the date of the comparison. */
    t.n = 0;
    int same_size = 1, same_version = 1;
    for (size_t k = 1; k < n; k++) {
        same_size &= jsame(json_object_get(runs[0].manifest, "trajectories"),
                                json_object_get(runs[k].manifest, "trajectories")) &&
                     jsame(json_object_get(runs[0].manifest, "seed"),
                                json_object_get(runs[k].manifest, "seed")) &&
                     jsame(json_object_get(runs[0].manifest, "sampler"),
                                json_object_get(runs[k].manifest, "sampler"));
        same_version &= strcmp(jstr(runs[0].manifest, "gapsim_version"),
                               jstr(runs[k].manifest, "gapsim_version")) == 0 &&
                        strcmp(jstr(runs[0].manifest, "git_revision"),
                               jstr(runs[k].manifest, "git_revision")) == 0 &&
                        strcmp(jstr(runs[0].manifest, "build"), jstr(runs[k].manifest, "build")) == 0;
    }
    (void)same_size;
    /* N, sampler and seed, each said once when every run agrees, else run
     * by run. */
    static const char *const what[3] = {"trajectories", "sampler", "seed"};
    for (int w = 0; w < 3; w++) {
        int same = 1;
        for (size_t k = 1; k < n; k++)
            same &= jsame(json_object_get(runs[0].manifest, what[w]),
                          json_object_get(runs[k].manifest, what[w]));
        if (w)
            gs_strbuf_puts(&t, " · ");
        gs_strbuf_puts(&t, w == 0 ? "N " : w == 1 ? "sampler " : "seed ");
        for (size_t k = 0; k < (same ? 1 : n) && k < 6; k++) {
            json_t *v = json_object_get(runs[k].manifest, what[w]);
            long long x;
            char cnt[40];
            if (k)
                gs_strbuf_puts(&t, ", ");
            if (!same) {
                put_plain(&t, jstr(json_object_get(runs[k].manifest, "scenario"), "name"), 16);
                gs_strbuf_puts(&t, " ");
            }
            if (json_is_string(v)) {
                put_plain(&t, json_string_value(v), 12);
            } else if (jint(runs[k].manifest, what[w], &x)) {
                fmt_count(cnt, sizeof cnt, x);
                gs_strbuf_puts(&t, w == 0 ? cnt : "");
                if (w)
                    gs_strbuf_printf(&t, "%lld", x);
            } else {
                gs_strbuf_puts(&t, "not stated");
            }
        }
        if (!same && n > 6)
            gs_strbuf_puts(&t, ", …");
        if (same && n > 1)
            gs_strbuf_puts(&t, " (every run)");
    }
    meta_put(m, "footer1", gs_strbuf_str(&t));
    t.n = 0;
    for (size_t k = 0; k < (same_version ? 1 : n) && k < 6; k++) {
        if (k)
            gs_strbuf_puts(&t, ", ");
        put_version(&t, &runs[k]);
    }
    gs_strbuf_puts(&t, " · compared ");
    put_today(&t);
    meta_put(m, "provenance", gs_strbuf_str(&t));
    if (t.oom)
        m->oom = 1;
    gs_strbuf_free(&t);
}

static gs_status mkdir_p(const char *path, gs_error *err)
{
    char buf[GS_PATH_MAX];
    if (strlen(path) >= sizeof buf)
        return gs_error_set(err, GS_EOUTPUT, path, 0, "folder name too long");
    strcpy(buf, path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return gs_error_set(err, GS_EOUTPUT, buf, 0, "cannot make the folder: %s", strerror(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return gs_error_set(err, GS_EOUTPUT, path, 0, "not a folder");
    return GS_OK;
}

gs_status gs_compare_dirs(const char **dirs, size_t n, const char *outdir, const gs_plot_opts *o,
                          gs_plot_report *rep, gs_error *err)
{
    const char *charts[64];
    model_charts(charts, 64, 1);
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
        st = mkdir_p(outdir, err);
    if (st == GS_OK && !realpath(outdir, out))
        st = gs_error_set(err, GS_EOUTPUT, outdir, 0, "cannot resolve the folder: %s", strerror(errno));
    if (st == GS_OK)
        compare_warnings(rep, runs, n);
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

/* A parameter's meaning and unit from the parameter tables, for an axis or
 * a bar label: "fund2: money the tranche deploys in all, RMB bn" for
 * funds.fund2.size.  The id itself belongs in the footer.  "" when the
 * tables do not know it. */
static void describe_param(const char *id, char *out, size_t n)
{
    out[0] = '\0';
    const gs_param_def *const *tabs = gs_param_tables();
    for (size_t t = 0; tabs && tabs[t]; t++) {
        for (const gs_param_def *d = tabs[t]; d->path; d++) {
            /* Segment by segment; "*" matches one item's name. */
            const char *p = d->path, *q = id, *item = NULL;
            size_t item_len = 0;
            int ok = 1;
            while (ok && *p && *q) {
                size_t pl = strcspn(p, "."), ql = strcspn(q, ".");
                if (pl == 1 && *p == '*') {
                    item = q;
                    item_len = ql;
                } else if (pl != ql || strncmp(p, q, pl) != 0) {
                    ok = 0;
                }
                p += pl + (p[pl] == '.');
                q += ql + (q[ql] == '.');
            }
            if (!ok || *p || *q || !d->doc)
                continue;
            /* The doc's first clause: up to " (", ";" or ", ". */
            size_t dl = strlen(d->doc);
            const char *cut[3] = {strstr(d->doc, " ("), strchr(d->doc, ';'), strstr(d->doc, ", ")};
            for (int k = 0; k < 3; k++)
                if (cut[k] && (size_t)(cut[k] - d->doc) < dl)
                    dl = (size_t)(cut[k] - d->doc);
            gs_strbuf b = {0};
            if (item)
                gs_strbuf_printf(&b, "%.*s: ", (int)item_len, item);
            /* At most 46 characters of it, cut at a word. */
            if (dl > 46) {
                size_t k = 46;
                while (k > 20 && d->doc[k] != ' ')
                    k--;
                gs_strbuf_putn(&b, d->doc, k);
                gs_strbuf_puts(&b, "…");
            } else {
                gs_strbuf_putn(&b, d->doc, dl);
            }
            if (d->unit && *d->unit)
                gs_strbuf_printf(&b, ", %s", d->unit);
            if (!item && b.p && b.p[0] >= 'a' && b.p[0] <= 'z')
                b.p[0] = (char)(b.p[0] - 'a' + 'A');
            snprintf(out, n, "%s", gs_strbuf_str(&b));
            gs_strbuf_free(&b);
            return;
        }
    }
}

/* A sweep metric in words: "share@2030:p50" -> "share in 2030,
 * median"; "target:2030" -> "chance of the 2030 share target".  "" when it
 * is not of those forms. */
static void describe_metric(const char *id, char *out, size_t n)
{
    out[0] = '\0';
    const char *at = strchr(id, '@'), *colon = at ? strchr(at, ':') : NULL;
    if (at && colon) {
        const char *st = colon + 1;
        char word[40];
        if (strcmp(st, "p50") == 0)
            snprintf(word, sizeof word, "median");
        else if (strcmp(st, "mean") == 0 || strcmp(st, "sd") == 0)
            snprintf(word, sizeof word, "%s", strcmp(st, "sd") == 0 ? "standard deviation" : "mean");
        else if (st[0] == 'p' && isdigit((unsigned char)st[1]))
            snprintf(word, sizeof word, "%ld%s percentile", strtol(st + 1, NULL, 10),
                     strtol(st + 1, NULL, 10) % 10 == 1 ? "st" : strtol(st + 1, NULL, 10) % 10 == 2 ? "nd" : "th");
        else
            snprintf(word, sizeof word, "%.30s", st);
        snprintf(out, n, "%.*s in %.*s, %s", (int)(at - id), id, (int)(colon - at - 1), at + 1, word);
    } else if (strncmp(id, "target:", 7) == 0) {
        snprintf(out, n, "chance of the share target of %.20s", id + 7);
    }
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
    for (size_t i = 0; i < n_kv; i++) {
        const char *k = kv[2 * i] ? kv[2 * i] : "", *v = kv[2 * i + 1] ? kv[2 * i + 1] : "";
        /* Every chart says which gapsim drew it, and when. */
        if (strcmp(k, "provenance") == 0) {
            gs_strbuf t = {0};
            put_plain(&t, v, 120);
            gs_strbuf_puts(&t, " · gapsim " GAPSIM_VERSION " · drawn ");
            put_today(&t);
            meta_put(&m, k, gs_strbuf_str(&t));
            gs_strbuf_free(&t);
            continue;
        }
        meta_text(&m, k, v, 200);
        /* Parameters and metrics by meaning and unit: KEY.text. */
        char text[200], key[80];
        const char *dot = strrchr(k, '.');
        int is_param = strcmp(k, "parameter") == 0 || strcmp(k, "xname") == 0 ||
                       strcmp(k, "yname") == 0 || strncmp(k, "param.", 6) == 0 ||
                       (strncmp(k, "bar.", 4) == 0 && dot && strcmp(dot, ".label") == 0);
        int is_metric = strcmp(k, "metric") == 0;
        if (!is_param && !is_metric)
            continue;
        if (is_param)
            describe_param(v, text, sizeof text);
        else
            describe_metric(v, text, sizeof text);
        snprintf(key, sizeof key, "%.70s.text", k);
        meta_text(&m, key, *text ? text : v, 120);
    }
    const char *charts[] = {tpl, NULL}, *names[] = {name, NULL};
    st = m.oom ? gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory")
               : draw_all(charts, names, out, gs_strbuf_str(&m), o, rep, err);
    gs_strbuf_free(&m);
    gs_plot_report_clear(&scratch);
    return st;
}
