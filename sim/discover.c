/* Scenario discovery: tables in, PRIM, files and charts out. */
#include "gs_discover.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_model.h"
#include "gs_output.h"
#include "gs_util.h"

void gs_discover_opts_default(gs_discover_opts *o)
{
    memset(o, 0, sizeof *o);
    gs_prim_opts_default(&o->prim);
    o->plots = 1;
    gs_plot_opts_default(&o->plot);
}

void gs_discover_report_clear(gs_discover_report *r)
{
    if (!r)
        return;
    free(r->summary);
    r->summary = NULL;
}

/* ------------------------------------------------------------ tables */

/* A CSV file read line by line: header fields, then one record at a time.
 * Not gs_csv_read, which holds every field of the table as text: an outcomes
 * table of millions of rows and a hundred columns would need gigabytes, while
 * discovery keeps only the columns it uses, as numbers.  Fields follow RFC
 * 4180 within a line (quotes, doubled quotes); a record spanning lines is
 * refused, as no table gapsim writes has one. */
typedef struct reader {
    const char *path;
    FILE *f;
    char *buf;
    size_t cap;
    int line;
    char **field;
    size_t n, cap_f;
} reader;

static void reader_close(reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->buf);
    free(r->field);
    memset(r, 0, sizeof *r);
}

/* 1: a record in r->field; 0: end of file; -1: error in err. */
static int reader_next(reader *r, gs_error *err)
{
    for (;;) {
        errno = 0;
        ssize_t len = getline(&r->buf, &r->cap, r->f);
        if (len < 0) {
            if (ferror(r->f)) {
                gs_error_set(err, GS_EIO, r->path, r->line, "read failed: %s", strerror(errno));
                return -1;
            }
            return 0;
        }
        r->line++;
        if ((size_t)len != strlen(r->buf)) {
            gs_error_set(err, GS_EINPUT, r->path, r->line, "a NUL byte: not a text table");
            return -1;
        }
        while (len > 0 && (r->buf[len - 1] == '\n' || r->buf[len - 1] == '\r'))
            r->buf[--len] = '\0';
        if (len == 0)
            continue; /* blank lines carry nothing */
        r->n = 0;
        char *p = r->buf;
        for (;;) {
            if (r->n == r->cap_f) {
                size_t cap = r->cap_f ? 2 * r->cap_f : 32;
                char **nf = realloc(r->field, cap * sizeof *nf);
                if (!nf) {
                    gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                    return -1;
                }
                r->field = nf;
                r->cap_f = cap;
            }
            char *start = p, *w = p;
            if (*p == '"') {
                p++;
                for (;;) {
                    if (*p == '\0') {
                        gs_error_set(err, GS_EINPUT, r->path, r->line,
                                     "a quoted field is not closed on its line");
                        return -1;
                    }
                    if (*p == '"') {
                        if (p[1] == '"') {
                            *w++ = '"';
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    *w++ = *p++;
                }
                if (*p != ',' && *p != '\0') {
                    gs_error_set(err, GS_EINPUT, r->path, r->line,
                                 "text after a closing quote in field %zu", r->n + 1);
                    return -1;
                }
            } else {
                while (*p && *p != ',') {
                    if (*p == '"') {
                        gs_error_set(err, GS_EINPUT, r->path, r->line,
                                     "a quote inside unquoted field %zu", r->n + 1);
                        return -1;
                    }
                    *w++ = *p++;
                }
            }
            int more = *p == ',';
            *w = '\0';
            r->field[r->n++] = start;
            if (!more)
                break;
            p++;
        }
        return 1;
    }
}

static gs_status reader_open(reader *r, const char *path, gs_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot read: %s", strerror(errno));
    int k = reader_next(r, err);
    if (k < 0)
        return err->code;
    if (k == 0)
        return gs_error_set(err, GS_EINPUT, path, 0, "empty: expected a header line");
    return GS_OK;
}

static long find_col(char *const *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0)
            return (long)i;
    return -1;
}

static gs_status no_column(const reader *r, char *const *cols, size_t n, const char *name,
                           const char *what, gs_error *err)
{
    const char *near = gs_nearest(name, (const char *const *)cols, n);
    return gs_error_set(err, GS_EINPUT, r->path, 1, "no column \"%s\" (%s)%s%s%s", name, what,
                        near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno != ERANGE && isfinite(*v);
}

/* Ids: open addressing on the id text. */
typedef struct idmap {
    char **ids;          /* per row */
    int *line;           /* per row: its line in the inputs file */
    size_t n, cap;
    uint32_t *slot;      /* row + 1, 0 when free */
    size_t n_slot;
} idmap;

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static long idmap_find(const idmap *m, const char *id)
{
    size_t mask = m->n_slot - 1;
    for (size_t s = (size_t)hash_text(id) & mask;; s = (s + 1) & mask) {
        if (!m->slot[s])
            return -1;
        if (strcmp(m->ids[m->slot[s] - 1], id) == 0)
            return (long)m->slot[s] - 1;
    }
}

static int idmap_build(idmap *m)
{
    m->n_slot = 16;
    while (m->n_slot < 2 * m->n)
        m->n_slot *= 2;
    m->slot = calloc(m->n_slot, sizeof *m->slot);
    if (!m->slot)
        return -1;
    size_t mask = m->n_slot - 1;
    for (size_t i = 0; i < m->n; i++) {
        size_t s = (size_t)hash_text(m->ids[i]) & mask;
        while (m->slot[s])
            s = (s + 1) & mask;
        m->slot[s] = (uint32_t)(i + 1);
    }
    return 0;
}

static void idmap_free(idmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->ids[i]);
    free(m->ids);
    free(m->line);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

typedef struct data {
    size_t k;            /* parameters */
    char **name;         /* k */
    double *x;           /* column-major, grown by rows */
    size_t n, cap;
    idmap ids;
    unsigned char *y;
    size_t empty;        /* outcome fields left empty */
} data;

static void data_free(data *d)
{
    for (size_t j = 0; j < d->k; j++)
        free(d->name[j]);
    free(d->name);
    free(d->x);
    free(d->y);
    idmap_free(&d->ids);
    memset(d, 0, sizeof *d);
}

static int data_grow(data *d)
{
    size_t cap = d->cap ? 2 * d->cap : 4096;
    double *x = malloc(cap * d->k * sizeof *x);
    char **ids = realloc(d->ids.ids, cap * sizeof *ids);
    if (ids)
        d->ids.ids = ids;
    int *line = realloc(d->ids.line, cap * sizeof *line);
    if (line)
        d->ids.line = line;
    if (!x || !ids || !line) {
        free(x);
        return -1;
    }
    for (size_t j = 0; d->n && j < d->k; j++)
        memcpy(x + j * cap, d->x + j * d->cap, d->n * sizeof *x);
    free(d->x);
    d->x = x;
    d->cap = cap;
    return 0;
}

static gs_status read_inputs(const char *path, const char *id, const char *const *params,
                             size_t n_params, data *d, gs_error *err)
{
    reader r;
    gs_status rc = reader_open(&r, path, err);
    if (rc) {
        reader_close(&r);
        return rc;
    }
    size_t nh = r.n;
    char **head = malloc(nh * sizeof *head);
    long *col = NULL;
    if (!head) {
        reader_close(&r);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < nh; i++)
        head[i] = r.field[i]; /* valid until the next record: copied below */
    long idc = find_col(head, nh, id);
    if (idc < 0) {
        rc = no_column(&r, head, nh, id, "the id column joining the tables", err);
        goto out;
    }
    d->k = params ? n_params : nh - 1;
    d->name = calloc(d->k ? d->k : 1, sizeof *d->name);
    col = malloc((d->k ? d->k : 1) * sizeof *col);
    if (!d->name || !col) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (size_t j = 0, c = 0; j < d->k; j++) {
        if (params) {
            col[j] = find_col(head, nh, params[j]);
            if (col[j] < 0) {
                rc = no_column(&r, head, nh, params[j], "named by --params", err);
                goto out;
            }
            for (size_t i = 0; i < j; i++)
                if (col[i] == col[j]) {
                    rc = gs_error_set(err, GS_EUSAGE, NULL, 0, "--params names \"%s\" twice",
                                      params[j]);
                    goto out;
                }
        } else {
            if ((long)c == idc)
                c++;
            col[j] = (long)c++;
        }
        if (col[j] == idc) {
            rc = gs_error_set(err, GS_EUSAGE, NULL, 0, "the id column \"%s\" is no parameter", id);
            goto out;
        }
        if (!(d->name[j] = gs_strdup(head[col[j]]))) {
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
    }
    if (d->k == 0) {
        rc = gs_error_set(err, GS_EINPUT, path, 1, "no parameter columns besides \"%s\"", id);
        goto out;
    }
    for (;;) {
        int k = reader_next(&r, err);
        if (k < 0) {
            rc = err->code;
            goto out;
        }
        if (k == 0)
            break;
        if (r.n != nh) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "%zu fields where the header has %zu",
                              r.n, nh);
            goto out;
        }
        if (d->n == d->cap && data_grow(d)) {
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        for (size_t j = 0; j < d->k; j++) {
            double v;
            if (!parse_num(r.field[col[j]], &v)) {
                rc = gs_error_set(err, GS_EINPUT, path, r.line,
                                  "column \"%s\": \"%s\" is not a finite number", d->name[j],
                                  r.field[col[j]]);
                goto out;
            }
            d->x[j * d->cap + d->n] = v;
        }
        if (!r.field[idc][0]) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "empty id");
            goto out;
        }
        if (!(d->ids.ids[d->n] = gs_strdup(r.field[idc]))) {
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        d->ids.line[d->n] = r.line;
        d->n++;
        d->ids.n = d->n;
        if (d->n > 0xfffffffeu) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "more than 2^32 - 2 rows");
            goto out;
        }
    }
    if (d->n < 2) {
        rc = gs_error_set(err, GS_EINPUT, path, 0, "needs at least two rows of data");
        goto out;
    }
    /* Pack the columns to n rows. */
    for (size_t j = 1; j < d->k; j++)
        memmove(d->x + j * d->n, d->x + j * d->cap, d->n * sizeof *d->x);
    d->cap = d->n;
    if (idmap_build(&d->ids)) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < d->n; i++)
        if ((size_t)idmap_find(&d->ids, d->ids.ids[i]) != i) {
            rc = gs_error_set(err, GS_EINPUT, path, d->ids.line[i], "id \"%s\" repeats line %d",
                              d->ids.ids[i], d->ids.line[idmap_find(&d->ids, d->ids.ids[i])]);
            goto out;
        }
out:
    free(head);
    free(col);
    reader_close(&r);
    return rc;
}

/* The condition. */
typedef enum { OP_GE, OP_GT, OP_LE, OP_LT, OP_EQ, OP_NE } op_kind;
typedef struct cond {
    char column[256];
    op_kind op;
    double value;
    char value_text[64];
} cond;

static const struct {
    const char *sym, *words;
} ops[] = {{">=", "is at least"}, {">", "exceeds"},  {"<=", "is at most"},
           {"<", "is below"},     {"==", "equals"},  {"!=", "differs from"}};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static gs_status parse_where(const char *text, cond *c, gs_error *err)
{
    char buf[512];
    if (!text || snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "--where: expected COLUMN OP NUMBER");
    char *p = NULL;
    int op = -1;
    for (char *s = buf; *s && !p; s++)
        for (int k = 0; k < 6; k++)
            if (strncmp(s, ops[k].sym, strlen(ops[k].sym)) == 0) {
                p = s;
                op = k;
                break;
            }
    c->op = OP_NE;
    c->value = 0;
    snprintf(c->value_text, sizeof c->value_text, "0");
    if (p) {
        char *rhs = trim(p + strlen(ops[op].sym));
        *p = '\0';
        if (!parse_num(rhs, &c->value))
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "--where \"%s\": \"%s\" is not a number", text, rhs);
        c->op = (op_kind)op;
        snprintf(c->value_text, sizeof c->value_text, "%s", rhs);
    }
    char *col = trim(buf);
    if (!*col || strlen(col) >= sizeof c->column)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "--where \"%s\": expected COLUMN OP NUMBER, OP one of >= > <= < == !=",
                            text);
    snprintf(c->column, sizeof c->column, "%s", col);
    return GS_OK;
}

static int holds(const cond *c, double v)
{
    switch (c->op) {
    case OP_GE: return v >= c->value;
    case OP_GT: return v > c->value;
    case OP_LE: return v <= c->value;
    case OP_LT: return v < c->value;
    case OP_EQ: return v == c->value;
    case OP_NE: return v != c->value;
    }
    return 0;
}

static gs_status read_outcomes(const char *path, const char *ipath, const char *id,
                               const cond *c, data *d, gs_error *err)
{
    reader r;
    gs_status rc = reader_open(&r, path, err);
    if (rc) {
        reader_close(&r);
        return rc;
    }
    size_t nh = r.n;
    long idc = find_col(r.field, nh, id), vc = find_col(r.field, nh, c->column);
    if (idc < 0)
        rc = no_column(&r, r.field, nh, id, "the id column joining the tables", err);
    else if (vc < 0)
        rc = no_column(&r, r.field, nh, c->column, "named by --where", err);
    int *seen = rc ? NULL : calloc(d->n, sizeof *seen);
    d->y = rc ? NULL : calloc(d->n, 1);
    if (!rc && (!seen || !d->y))
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    while (!rc) {
        int k = reader_next(&r, err);
        if (k < 0) {
            rc = err->code;
            break;
        }
        if (k == 0)
            break;
        if (r.n != nh) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "%zu fields where the header has %zu",
                              r.n, nh);
            break;
        }
        long i = idmap_find(&d->ids, r.field[idc]);
        if (i < 0) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "id \"%s\" has no row in %s",
                              r.field[idc], ipath);
            break;
        }
        if (seen[i]) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line, "id \"%s\" repeats line %d",
                              r.field[idc], seen[i]);
            break;
        }
        seen[i] = r.line;
        const char *s = r.field[vc];
        double v;
        if (!*s) {
            d->empty++; /* no value, e.g. a milestone not reached: the condition fails */
            d->y[i] = 0;
        } else if (!parse_num(s, &v)) {
            rc = gs_error_set(err, GS_EINPUT, path, r.line,
                              "column \"%s\": \"%s\" is not a finite number", c->column, s);
        } else {
            d->y[i] = (unsigned char)holds(c, v);
        }
    }
    for (size_t i = 0; !rc && i < d->n; i++)
        if (!seen[i])
            rc = gs_error_set(err, GS_EINPUT, ipath, d->ids.line[i], "id \"%s\" has no row in %s",
                              d->ids.ids[i], path);
    free(seen);
    reader_close(&r);
    return rc;
}

/* ------------------------------------------------------------ words */

/* The parameter table entry of a path ("funds.fund2.size" matches
 * "funds.*.size"), or NULL for a column that is no gapsim parameter. */
static const gs_param_def *param_def(const char *path)
{
    const gs_param_def *const *tables = gs_param_tables();
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++) {
            const char *a = d->path, *b = path;
            while (*a && *b) {
                if (*a == '*') {
                    a++;
                    while (*b && *b != '.')
                        b++;
                } else if (*a == *b) {
                    a++;
                    b++;
                } else {
                    break;
                }
            }
            if (!*a && !*b)
                return d;
        }
    return NULL;
}

/* "share of investment that becomes productive capacity (failed ...)" ->
 * the words before the first parenthesis or comma. */
static void meaning(const char *name, char *out, size_t n)
{
    const gs_param_def *d = param_def(name);
    if (!d || !d->doc || !d->doc[0]) {
        snprintf(out, n, "%s", name);
        return;
    }
    size_t len = strcspn(d->doc, "(,;");
    while (len && d->doc[len - 1] == ' ')
        len--;
    snprintf(out, n, "%.*s (%s)", (int)len, d->doc, name);
}

/* A bound in the parameter's unit: fractions and rates in percent. */
static void value_text(const char *name, double v, char *out, size_t n)
{
    const gs_param_def *d = param_def(name);
    const char *u = d && d->unit ? d->unit : "";
    if (strcmp(u, "fraction") == 0)
        snprintf(out, n, "%.3g %%", 100 * v);
    else if (strcmp(u, "1/yr") == 0)
        snprintf(out, n, "%.3g %% a year", 100 * v);
    else if (strcmp(u, "year") == 0)
        snprintf(out, n, "%.0f", v);
    else if (!u[0] || strcmp(u, "ratio") == 0)
        snprintf(out, n, "%.4g", v);
    else
        snprintf(out, n, "%.4g %s", v, u);
}

static void pct(char *buf, size_t n, double x)
{
    if (x > 0 && x < 0.001)
        snprintf(buf, n, "%.2g %%", 100 * x);
    else if (x > 0.999 && x < 1)
        snprintf(buf, n, "%.2f %%", 100 * x);
    else
        snprintf(buf, n, "%.1f %%", 100 * x);
}

/* "share@2030 >= 0.49" -> "share in 2030 is at least 0.49". */
static void outcome_text(const cond *c, int bare, char *out, size_t n)
{
    const char *at = strchr(c->column, '@');
    char col[300];
    if (at && at[1])
        snprintf(col, sizeof col, "%.*s in %s", (int)(at - c->column), c->column, at + 1);
    else
        snprintf(col, sizeof col, "%s", c->column);
    if (bare)
        snprintf(out, n, "%s holds", col);
    else
        snprintf(out, n, "%s %s %s", col, ops[c->op].words, c->value_text);
}

/* Restricted dimensions of the chosen box, most significant first. */
static size_t restricted_order(const gs_prim_result *r, size_t *idx)
{
    const gs_prim_step *s = &r->steps[r->chosen];
    size_t m = 0;
    for (size_t d = 0; d < r->k; d++)
        if (gs_prim_restricted(r, s, d))
            idx[m++] = d;
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && r->p_value[idx[j]] < r->p_value[idx[j - 1]]; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return m;
}

static void condition_text(const gs_prim_result *r, const data *d, size_t j, gs_strbuf *b)
{
    const gs_prim_step *s = &r->steps[r->chosen];
    char mean[300], lo[64], hi[64];
    meaning(d->name[j], mean, sizeof mean);
    value_text(d->name[j], s->lower[j], lo, sizeof lo);
    value_text(d->name[j], s->upper[j], hi, sizeof hi);
    int rl = s->lower[j] > r->dmin[j], ru = s->upper[j] < r->dmax[j];
    if (rl && ru)
        gs_strbuf_printf(b, "%s lies between %s and %s", mean, lo, hi);
    else if (rl)
        gs_strbuf_printf(b, "%s is at least %s", mean, lo);
    else
        gs_strbuf_printf(b, "%s is at most %s", mean, hi);
}

static char *summary(const gs_discover_opts *o, const gs_prim_result *r, const data *d,
                     const cond *c, int bare)
{
    gs_strbuf b = {0};
    const gs_prim_step *s = &r->steps[r->chosen];
    char out[400], cov[32], den[32], mass[32], base[32];
    outcome_text(c, bare, out, sizeof out);
    pct(cov, sizeof cov, s->coverage);
    pct(den, sizeof den, s->density);
    pct(mass, sizeof mass, s->mass);
    pct(base, sizeof base, (double)r->n_pos / (double)r->n);
    gs_strbuf_printf(&b, "Scenario discovery (PRIM) of \"%s\" over %zu futures: it holds in %zu "
                         "(%s).\n\n",
                     o->where, r->n, r->n_pos, base);
    size_t *idx = malloc(r->k * sizeof *idx);
    size_t m = idx ? restricted_order(r, idx) : 0;
    if (m == 0) {
        gs_strbuf_printf(&b, "The chosen box restricts no parameter: %s in %s of all futures.\n",
                         out, den);
    } else {
        gs_strbuf_puts(&b, "Where ");
        for (size_t i = 0; i < m; i++) {
            if (i)
                gs_strbuf_puts(&b, i + 1 == m ? " and " : ", ");
            condition_text(r, d, idx[i], &b);
        }
        gs_strbuf_printf(&b, " (%s of all futures), %s in %s of the futures; these hold %s of "
                             "all futures in which it does.\n",
                         mass, out, den, cov);
    }
    gs_strbuf_printf(&b, "\nBox: step %zu of the peeling trajectory (0-%zu)%s; coverage %s, "
                         "density %s, mass %s, %zu of %zu parameters restricted.\n",
                     r->chosen, r->n_steps - 1,
                     o->prim.box >= 0 ? ", chosen by index"
                     : r->chosen_meets
                         ? ", the greatest coverage among boxes with density >= the threshold"
                         : "",
                     cov, den, mass, m, r->k);
    if (o->prim.box < 0 && !r->chosen_meets) {
        gs_strbuf_printf(&b, "No box reaches the density threshold %.3g: this is the densest "
                             "box, density %s.",
                         o->prim.threshold, den);
        /* A box of the minimum mass holds at most every future of interest. */
        double cap = (double)r->n_pos / (o->prim.mass_min * (double)r->n);
        if (cap < o->prim.threshold)
            gs_strbuf_printf(&b, " With a minimum mass of %.3g no box can exceed density %.3g "
                                 "(the condition holds in %.3g of all futures): lower "
                                 "--mass-min or --threshold.",
                             o->prim.mass_min, cap, (double)r->n_pos / (double)r->n);
        gs_strbuf_puts(&b, "\n");
    }
    if (m) {
        gs_strbuf_puts(&b, "Quasi-p-values (one-sided binomial test of each restriction, as in "
                           "EMA Workbench; below 0.05 is significant):\n");
        for (size_t i = 0; i < m; i++) {
            double pv = r->p_value[idx[i]];
            char pt[32];
            /* Below the smallest double the binomial tail reads 0: say so. */
            snprintf(pt, sizeof pt, pv < 1e-300 ? "p < 1e-300" : "p = %.3g", pv);
            gs_strbuf_printf(&b, "  %-32s [%.6g, %.6g]  %s%s\n", d->name[idx[i]],
                             s->lower[idx[i]], s->upper[idx[i]], pt,
                             pv < 0.05 ? "" : "  (not significant)");
        }
    }
    if (r->restricted_share) {
        gs_strbuf_printf(&b, "Stability: PRIM on %zu random subsets of %.0f %% of the futures; "
                             "share of their boxes restricting each parameter:\n",
                         r->resamples, 100 * o->prim.resample_share);
        for (size_t j = 0; j < r->k; j++)
            gs_strbuf_printf(&b, "  %-32s %3.0f %%%s\n", d->name[j],
                             100 * r->restricted_share[j],
                             gs_prim_restricted(r, s, j) ? "  (restricted in the box)" : "");
    }
    if (d->empty)
        gs_strbuf_printf(&b, "%zu futures have no value of %s (for example a milestone not "
                             "reached by the horizon) and count as not meeting the condition.\n",
                         d->empty, c->column);
    gs_strbuf_printf(&b, "Peeling alpha %.3g, pasting alpha %.3g, minimum mass %.3g.\n",
                     o->prim.alpha, o->prim.paste_alpha, o->prim.mass_min);
    if (o->command)
        gs_strbuf_printf(&b, "Command: %s\n", o->command);
    free(idx);
    return gs_strbuf_take(&b);
}

/* ------------------------------------------------------------ files */

static void names_field(FILE *f, const gs_prim_result *r, const gs_prim_step *s, const data *d)
{
    gs_strbuf b = {0};
    for (size_t j = 0; j < r->k; j++)
        if (gs_prim_restricted(r, s, j))
            gs_strbuf_printf(&b, "%s%s", b.n ? " " : "", d->name[j]);
    gs_csv_field(f, gs_strbuf_str(&b));
    gs_strbuf_free(&b);
}

static void write_trajectory(FILE *f, const gs_prim_result *r, const data *d)
{
    fputs("step,coverage,density,mass,n_restricted,restricted,pasted,chosen\r\n", f);
    for (size_t i = 0; i < r->n_steps; i++) {
        const gs_prim_step *s = &r->steps[i];
        fprintf(f, "%zu,%.10g,%.10g,%.10g,%zu,", i, s->coverage, s->density, s->mass,
                s->n_restricted);
        names_field(f, r, s, d);
        fprintf(f, ",%d,%d\r\n", s->pasted, i == r->chosen);
    }
}

static void write_box(FILE *f, const gs_prim_result *r, const data *d)
{
    const gs_prim_step *s = &r->steps[r->chosen];
    fputs("parameter,lower,upper,restricted,p_value\r\n", f);
    for (size_t j = 0; j < r->k; j++) {
        gs_csv_field(f, d->name[j]);
        int rs = gs_prim_restricted(r, s, j);
        fprintf(f, ",%.17g,%.17g,%d,", s->lower[j], s->upper[j], rs);
        if (rs)
            fprintf(f, "%.6g", r->p_value[j]);
        fputs("\r\n", f);
    }
}

static void write_stability(FILE *f, const gs_prim_result *r, const data *d)
{
    fputs("parameter,restricted_share,restricted_in_box\r\n", f);
    for (size_t j = 0; j < r->k; j++) {
        gs_csv_field(f, d->name[j]);
        fprintf(f, ",%.6g,%d\r\n", r->restricted_share[j],
                gs_prim_restricted(r, &r->steps[r->chosen], j));
    }
}

typedef void (*table_fn)(FILE *, const gs_prim_result *, const data *);

static gs_status write_file(const char *dir, const char *name, table_fn fn, const char *text,
                            const gs_prim_result *r, const data *d, gs_error *err)
{
    gs_afile a;
    gs_status rc = gs_afile_open(&a, dir, name, err);
    if (rc)
        return rc;
    if (fn)
        fn(a.f, r, d);
    else
        fputs(text, a.f);
    return gs_afile_commit(&a, err);
}

/* ------------------------------------------------------------ charts */


static gs_status chart(const char *tpl, const char *dir, gs_plot_meta *m, const gs_plot_opts *po,
                       gs_plot_report *rep, gs_error *err)
{
    if (rep && rep->gnuplot_missing)
        return GS_OK;
    if (m->oom)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_error e;
    gs_error_clear(&e);
    gs_status rc = gs_plot_template(tpl, dir, tpl, (const char *const *)m->kv, m->n, po, rep, &e);
    if (rc == GS_EPLOT || rc == GS_EINPUT)
        return GS_OK; /* in rep: a chart is a convenience on top of the tables */
    if (rc)
        *err = e;
    return rc;
}

static gs_status charts(const gs_discover_opts *o, const char *dir, const gs_prim_result *r,
                        const data *d, const cond *c, int bare, gs_plot_report *rep,
                        gs_error *err)
{
    const gs_prim_step *s = &r->steps[r->chosen];
    char out[400], cov[32], den[32], mass[32];
    outcome_text(c, bare, out, sizeof out);
    pct(cov, sizeof cov, s->coverage);
    pct(den, sizeof den, s->density);
    pct(mass, sizeof mass, s->mass);
    const char *src = o->run_dir ? o->run_dir : o->inputs;
    gs_plot_meta m = {0};
    char base[32];
    pct(base, sizeof base, (double)r->n_pos / (double)r->n);
    gs_plot_meta_put(&m, "subtitle1", "Futures where %s: %zu of %zu (%s)", out, r->n_pos, r->n, base);
    gs_plot_meta_put(&m, "subtitle2", "Chosen box (step %zu): coverage %s, density %s, mass %s", r->chosen,
         cov, den, mass);
    gs_plot_meta_put(&m, "provenance", "gapsim discover %s", src);
    gs_plot_meta_put(&m, "threshold", "%.10g", o->prim.threshold);
    gs_plot_meta_put(&m, "chosen", "%zu", r->chosen);
    gs_plot_meta_put(&m, "chosen_coverage", "%.10g", s->coverage);
    gs_plot_meta_put(&m, "chosen_density", "%.10g", s->density);
    gs_plot_meta_put(&m, "max_restricted", "%zu", r->steps[r->n_steps - 1].n_restricted);
    gs_status rc = chart("prim_tradeoff", dir, &m, &o->plot, rep, err);
    gs_plot_meta_clear(&m);
    if (rc)
        return rc;

    /* The box chart: restricted parameters first (most significant on top). */
    size_t *idx = malloc(r->k * sizeof *idx);
    if (!idx)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    size_t nr = restricted_order(r, idx), np = nr;
    for (size_t j = 0; j < r->k; j++)
        if (!gs_prim_restricted(r, s, j))
            idx[np++] = j;
    gs_plot_meta_put(&m, "subtitle1", "Box of the futures where %s, on each parameter's sampled range",
         out);
    gs_plot_meta_put(&m, "subtitle2", "Coverage %s, density %s, mass %s; %zu of %zu parameters restricted",
         cov, den, mass, nr, r->k);
    gs_plot_meta_put(&m, "provenance", "gapsim discover %s", src);
    gs_plot_meta_put(&m, "np", "%zu", np);
    for (size_t i = 0; i < np; i++) {
        size_t j = idx[i];
        double w = r->dmax[j] - r->dmin[j];
        double lo = w > 0 ? (s->lower[j] - r->dmin[j]) / w : 0;
        double hi = w > 0 ? (s->upper[j] - r->dmin[j]) / w : 1;
        char a[64], b2[64], mn[64], mx[64];
        value_text(d->name[j], s->lower[j], a, sizeof a);
        value_text(d->name[j], s->upper[j], b2, sizeof b2);
        value_text(d->name[j], r->dmin[j], mn, sizeof mn);
        value_text(d->name[j], r->dmax[j], mx, sizeof mx);
        char key[64];
        snprintf(key, sizeof key, "dim.%zu.label", i + 1);
        gs_plot_meta_put(&m, key, "%s", d->name[j]);
        snprintf(key, sizeof key, "dim.%zu.box", i + 1);
        gs_plot_meta_put(&m, key, "%.6f %.6f %d", lo, hi, i < nr);
        snprintf(key, sizeof key, "dim.%zu.text", i + 1);
        if (i < nr)
            gs_plot_meta_put(&m, key, r->p_value[j] < 1e-300 ? "%s to %s  (p < 1e-300)" : "%s to %s  (p = %.2g)",
                 a, b2, r->p_value[j]);
        else
            gs_plot_meta_put(&m, key, "not restricted");
        snprintf(key, sizeof key, "dim.%zu.range", i + 1);
        gs_plot_meta_put(&m, key, "%s to %s", mn, mx);
    }
    free(idx);
    rc = chart("prim_box", dir, &m, &o->plot, rep, err);
    gs_plot_meta_clear(&m);
    return rc;
}

/* ------------------------------------------------------------ all */

gs_status gs_discover(const gs_discover_opts *o, gs_discover_report *out, gs_plot_report *rep,
                      gs_error *err)
{
    memset(out, 0, sizeof *out);
    char xin[4096], yin[4096];
    const char *id = o->id;
    if (o->run_dir) {
        if (o->inputs || o->outcomes)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "a run folder or --inputs and --outcomes, not both");
        snprintf(xin, sizeof xin, "%s/parameters.csv", o->run_dir);
        snprintf(yin, sizeof yin, "%s/outcomes.csv", o->run_dir);
        if (!id)
            id = "trajectory";
        snprintf(out->outdir, sizeof out->outdir, "%s/discover", o->run_dir);
    } else {
        if (!o->inputs || !o->outcomes)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "which futures? a run folder, or --inputs X.csv and --outcomes "
                                "Y.csv");
        snprintf(xin, sizeof xin, "%s", o->inputs);
        snprintf(yin, sizeof yin, "%s", o->outcomes);
        if (!id)
            id = "id";
        snprintf(out->outdir, sizeof out->outdir, "out/discover");
    }
    if (o->outdir)
        snprintf(out->outdir, sizeof out->outdir, "%s", o->outdir);
    cond c;
    gs_status rc = parse_where(o->where, &c, err);
    if (rc)
        return rc;
    int bare = strpbrk(o->where, "<>=!") == NULL;
    data d;
    memset(&d, 0, sizeof d);
    gs_prim_result *r = NULL;
    if ((rc = read_inputs(xin, id, o->params, o->n_params, &d, err)))
        goto done;
    if ((rc = read_outcomes(yin, xin, id, &c, &d, err)))
        goto done;
    if ((rc = gs_prim_run(d.x, d.y, d.n, d.k, &o->prim, &r, err))) {
        if (strstr(err->msg, "nothing to discover")) {
            char msg[sizeof err->msg];
            memcpy(msg, err->msg, sizeof msg);
            rc = gs_error_set(err, GS_EINPUT, yin, 0, "--where \"%s\": %s", o->where, msg);
        }
        goto done;
    }
    out->no_box = o->prim.box < 0 && !r->chosen_meets;
    out->empty_values = d.empty;
    if (!(out->summary = summary(o, r, &d, &c, bare))) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    if ((rc = gs_output_prepare(out->outdir, err)))
        goto done;
    if ((rc = write_file(out->outdir, "prim_trajectory.csv", write_trajectory, NULL, r, &d, err)) ||
        (rc = write_file(out->outdir, "prim_box.csv", write_box, NULL, r, &d, err)) ||
        (r->restricted_share &&
         (rc = write_file(out->outdir, "prim_stability.csv", write_stability, NULL, r, &d, err))) ||
        (rc = write_file(out->outdir, "prim_summary.txt", NULL, out->summary, r, &d, err)))
        goto done;
    if (!r->restricted_share) {
        /* A stability table of an earlier call would describe another box. */
        char stale[4200];
        snprintf(stale, sizeof stale, "%s/prim_stability.csv", out->outdir);
        remove(stale);
    }
    if (o->plots)
        rc = charts(o, out->outdir, r, &d, &c, bare, rep, err);
done:
    gs_prim_result_free(r);
    data_free(&d);
    if (rc)
        gs_discover_report_clear(out);
    return rc;
}
