/* The CSV reader (gs_csv.h). */
#include "gs_csv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The whole file, NUL-terminated (the length is what counts: a NUL inside is
 * kept as a byte). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    gs_strbuf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        gs_strbuf_putn(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
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
