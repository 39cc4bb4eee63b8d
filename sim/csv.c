/* The CSV reader (gs_csv.h). */
#include "gs_csv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gs_util.h"

void gs_csv_free(gs_csv *t)
{
    for (size_t i = 0; i < t->nhead; i++)
        free(t->head[i]);
    free(t->head);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < t->rows[r].n; i++)
            free(t->rows[r].f[i]);
        free(t->rows[r].f);
    }
    free(t->rows);
    char path[sizeof t->path];
    memcpy(path, t->path, sizeof path);
    memset(t, 0, sizeof *t);
    memcpy(t->path, path, sizeof path);
}

/* The whole stream, NUL-terminated (the length is what counts: a NUL inside
 * is kept as a byte); f is left open. */
static char *slurp_stream(FILE *f, size_t *len)
{
    gs_strbuf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        gs_strbuf_putn(&b, chunk, got);
    int bad = ferror(f);
    if (!b.p)
        gs_strbuf_putn(&b, "", 0);
    if (bad || b.oom) {
        gs_strbuf_free(&b);
        errno = bad ? EIO : ENOMEM;
        return NULL;
    }
    *len = b.n;
    return b.p;
}

/* The whole file, as slurp_stream. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = slurp_stream(f, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return text;
}

static int push_field(char ***fields, size_t *n, size_t *cap, gs_strbuf *cur)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **nf = realloc(*fields, nc * sizeof *nf);
        if (!nf)
            return -1;
        *fields = nf;
        *cap = nc;
    }
    char *s = gs_strdup(gs_strbuf_str(cur));
    if (!s)
        return -1;
    (*fields)[(*n)++] = s;
    cur->n = 0;
    if (cur->p)
        cur->p[0] = '\0';
    return 0;
}

static int push_row(gs_csv *t, size_t *cap, const gs_csv_row *row)
{
    if (t->nrows == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        gs_csv_row *nr = realloc(t->rows, nc * sizeof *nr);
        if (!nr)
            return -1;
        t->rows = nr;
        *cap = nc;
    }
    t->rows[t->nrows++] = *row;
    return 0;
}

gs_status gs_csv_read(gs_csv *t, const char *path, gs_error *err)
{
    memset(t, 0, sizeof *t);
    if (snprintf(t->path, sizeof t->path, "%s", path) >= (int)sizeof t->path)
        return gs_error_set(err, GS_EINPUT, path, 0, "path too long");
    size_t len;
    char *text = slurp(t->path, &len);
    if (!text)
        return gs_error_set(err, errno == ENOMEM ? GS_ENOMEM : GS_EINPUT, t->path, 0,
                            "cannot read: %s", strerror(errno));
    gs_status st = GS_OK;
    size_t rows_cap = 0, fcap = 0, nf = 0;
    char **fields = NULL;
    gs_strbuf cur = {0};
    long line = 1;             /* line of the character being read */
    long rec_line = 1, quote_line = 1;
    size_t unsafe = SIZE_MAX;  /* first field with a quote or a line break */
    int quoted = 0, in_field = 0, oom = 0;
    size_t i = 0;
    for (;;) {
        int end = i >= len;
        char c = end ? '\n' : text[i];
        if (quoted && !end) {
            if (c == '"') {
                if (i + 1 < len && text[i + 1] == '"') {
                    gs_strbuf_putn(&cur, "\"", 1);
                    if (unsafe == SIZE_MAX)
                        unsafe = nf;
                    i += 2;
                    continue;
                }
                quoted = 0;
            } else {
                if (c == '\n') {
                    line++;
                    if (unsafe == SIZE_MAX)
                        unsafe = nf;
                }
                gs_strbuf_putn(&cur, &c, 1);
            }
            i++;
            continue;
        }
        if (quoted && end) {
            st = gs_error_set(err, GS_EINPUT, t->path, (int)quote_line,
                              "unterminated quoted field");
            break;
        }
        if (c == '"' && cur.n == 0 && !in_field) {
            quoted = 1;
            quote_line = line;
            in_field = 1;
            i++;
            continue;
        }
        if (c == ',') {
            if (push_field(&fields, &nf, &fcap, &cur)) {
                oom = 1;
                break;
            }
            in_field = 0;
            i++;
            continue;
        }
        if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
            i++;
            continue;
        }
        if (c == '\n') {
            if (end && nf == 0 && cur.n == 0 && !in_field)
                break; /* a final line break */
            if (nf == 0 && cur.n == 0 && !in_field) {
                st = gs_error_set(err, GS_EINPUT, t->path, (int)line,
                                  "empty line (gnuplot would read it as the end of a block)");
                break;
            }
            if (push_field(&fields, &nf, &fcap, &cur)) {
                oom = 1;
                break;
            }
            if (!t->head) {
                t->head = fields;
                t->nhead = nf;
            } else {
                gs_csv_row row = {fields, nf, rec_line, unsafe == SIZE_MAX ? nf : unsafe};
                if (push_row(t, &rows_cap, &row)) {
                    oom = 1;
                    break;
                }
            }
            fields = NULL;
            nf = fcap = 0;
            in_field = 0;
            unsafe = SIZE_MAX;
            line++;
            rec_line = line;
            if (end)
                break;
            i++;
            continue;
        }
        if (c == '"' && unsafe == SIZE_MAX)
            unsafe = nf; /* a bare quote inside an unquoted field */
        in_field = 1;
        gs_strbuf_putn(&cur, &c, 1);
        i++;
    }
    for (size_t k = 0; k < nf; k++)
        free(fields[k]);
    free(fields);
    if (cur.oom)
        oom = 1;
    gs_strbuf_free(&cur);
    free(text);
    if (oom && st == GS_OK)
        st = gs_error_set(err, GS_ENOMEM, t->path, 0, "out of memory");
    if (st == GS_OK && !t->head)
        st = gs_error_set(err, GS_EINPUT, t->path, 1, "empty file: no header row");
    if (st != GS_OK)
        gs_csv_free(t);
    return st;
}

gs_status gs_csv_read_in(gs_csv *t, const char *dir, const char *name, gs_error *err)
{
    char path[sizeof t->path];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        memset(t, 0, sizeof *t);
        return gs_error_set(err, GS_EINPUT, dir, 0, "path too long");
    }
    return gs_csv_read(t, path, err);
}

long gs_csv_col(const gs_csv *t, const char *name)
{
    for (size_t i = 0; i < t->nhead; i++)
        if (strcmp(t->head[i], name) == 0)
            return (long)i;
    return -1;
}

const char *gs_csv_cell(const gs_csv *t, size_t r, long c)
{
    if (r >= t->nrows || c < 0 || (size_t)c >= t->rows[r].n)
        return "";
    return t->rows[r].f[c];
}

double gs_csv_num(const gs_csv *t, size_t r, long c)
{
    const char *s = gs_csv_cell(t, r, c);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return *s && !*end && isfinite(v) ? v : NAN;
}

/* ------------------------------------------------------ text tables */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims blanks at both ends of [*b, *e). */
static void trim_span(const char **b, const char **e)
{
    while (*b < *e && is_blank(**b))
        (*b)++;
    while (*e > *b && is_blank((*e)[-1]))
        (*e)--;
}

static int push_span(char ***fields, size_t *n, size_t *cap, const char *b, const char *e)
{
    gs_strbuf cur = {0};
    gs_strbuf_putn(&cur, b, (size_t)(e - b));
    int rc = cur.oom ? -1 : push_field(fields, n, cap, &cur);
    gs_strbuf_free(&cur);
    return rc;
}

/* Splits the line [b, e) (comment removed, trimmed, not empty) into a row. */
static int split_text(const char *b, const char *e, char delim, gs_csv_row *row)
{
    char **f = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (delim == 0 && memchr(b, ',', (size_t)(e - b)))
        delim = ',';
    if (delim && delim != ' ' && delim != '\t') {
        for (const char *s = b;;) {
            const char *c = memchr(s, delim, (size_t)(e - s));
            const char *fe = c ? c : e, *fb = s;
            trim_span(&fb, &fe);
            if ((rc = push_span(&f, &n, &cap, fb, fe)) != 0 || !c)
                break;
            s = c + 1;
        }
    } else {
        for (const char *s = b; s < e && !rc;) {
            while (s < e && is_blank(*s))
                s++;
            const char *fb = s;
            while (s < e && !is_blank(*s))
                s++;
            if (s > fb)
                rc = push_span(&f, &n, &cap, fb, s);
        }
    }
    row->f = f;
    row->n = n;
    row->unsafe = n;
    return rc;
}

gs_status gs_csv_read_text(gs_csv *t, const char *path, char delim, const char *what,
                           gs_error *err)
{
    memset(t, 0, sizeof *t);
    int use_stdin = strcmp(path, "-") == 0;
    if (snprintf(t->path, sizeof t->path, "%s", use_stdin ? "<stdin>" : path) >=
        (int)sizeof t->path)
        return gs_error_set(err, GS_EINPUT, path, 0, "path too long");
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (!use_stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return gs_error_set(err, GS_EINPUT, path, 0, "is a directory, not %s", what);
    }
    size_t len = 0;
    char *text = slurp_stream(f, &len);
    int saved = errno;
    if (!use_stdin)
        fclose(f);
    if (!text)
        return gs_error_set(err, saved == ENOMEM ? GS_ENOMEM : GS_EIO, t->path, 0,
                            saved == ENOMEM ? "out of memory" : "read error");
    gs_status st = GS_OK;
    size_t rows_cap = 0;
    long line = 0;
    for (const char *s = text; s < text + len && st == GS_OK;) {
        const char *nl = memchr(s, '\n', (size_t)(text + len - s));
        const char *e = nl ? nl : text + len;
        line++;
        if (memchr(s, '\0', (size_t)(e - s))) {
            st = gs_error_set(err, GS_EINPUT, t->path, (int)line, "contains a NUL byte");
            break;
        }
        const char *hash = memchr(s, '#', (size_t)(e - s));
        const char *b = s, *end = hash ? hash : e;
        trim_span(&b, &end);
        if (b < end) {
            gs_csv_row row = {NULL, 0, line, 0};
            if (split_text(b, end, delim, &row) || push_row(t, &rows_cap, &row)) {
                for (size_t k = 0; k < row.n; k++)
                    free(row.f[k]);
                free(row.f);
                st = gs_error_set(err, GS_ENOMEM, t->path, (int)line, "out of memory");
            }
        }
        s = nl ? nl + 1 : text + len;
    }
    free(text);
    if (st != GS_OK)
        gs_csv_free(t);
    return st;
}
