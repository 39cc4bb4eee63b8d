/* sens_read.c: the readers of the numeric tables of `gapsim sensitivity
 * analyze` -- a sample (-X) and a model's outputs (-Y) -- kept in the
 * library beside gs_sens_problem_read() so that the command and the fuzz
 * targets (tests/fuzz/) run the same code. */
#include "gs_sens.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void gs_sens_table_free(gs_sens_table *t)
{
    free(t->v);
    free(t->line);
    t->v = NULL;
    t->line = NULL;
    t->rows = t->cols = 0;
}

/* Every index is a ratio of variances: outputs whose variance overflows a
 * double would give zeros or NaN, not indices.  Welford's update names the
 * first row at which the running variance stops being finite. */
gs_status gs_sens_outputs_check(const gs_sens_table *y, const char *name, gs_error *err)
{
    double mean = 0, m2 = 0;
    for (size_t r = 0; r < y->rows; r++) {
        double d = y->v[r] - mean;
        mean += d / (double)(r + 1);
        m2 += d * (y->v[r] - mean);
        if (!isfinite(d) || !isfinite(mean) || !isfinite(m2))
            return gs_error_set(err, GS_EINPUT, name, y->line[r],
                                "output %.17g makes the variance of the outputs overflow a "
                                "double; rescale the outputs",
                                y->v[r]);
    }
    return GS_OK;
}

static char *trim_blank(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return s;
}

gs_status gs_sens_table_read(const char *path, char delim, size_t want_cols, size_t pick,
                             const char *what, gs_sens_table *t, gs_error *err)
{
    memset(t, 0, sizeof *t);
    bool use_stdin = strcmp(path, "-") == 0;
    const char *name = use_stdin ? "<stdin>" : path;
    FILE *f = use_stdin ? stdin : fopen(path, "r");
    if (!f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (!use_stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return gs_error_set(err, GS_EINPUT, path, 0, "is a directory, not a file of %s", what);
    }
    size_t keep = want_cols ? want_cols : 1, cap = 0;
    t->cols = keep;
    gs_status st = GS_OK;
    char *buf = NULL;
    size_t bufcap = 0;
    int lineno = 0;
    ssize_t len;
    while ((len = getline(&buf, &bufcap, f)) >= 0) {
        lineno++;
        if (strlen(buf) != (size_t)len) {
            st = gs_error_set(err, GS_EINPUT, name, lineno, "contains a NUL byte");
            break;
        }
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = trim_blank(buf);
        if (!*s)
            continue;
        if (t->rows == cap) {
            cap = cap ? 2 * cap : 1024;
            double *v = realloc(t->v, cap * keep * sizeof *v);
            if (v)
                t->v = v;
            int *ln = realloc(t->line, cap * sizeof *ln);
            if (ln)
                t->line = ln;
            if (!v || !ln) {
                st = gs_error_set(err, GS_ENOMEM, name, lineno, "out of memory");
                break;
            }
        }
        double *row = t->v + t->rows * keep;
        size_t col = 0;
        char *save = NULL;
        char seps[8] = " \t\r\n,";
        if (delim) {
            seps[0] = delim;
            seps[1] = '\r';
            seps[2] = '\n';
            seps[3] = '\0';
        }
        for (char *tok = strtok_r(s, seps, &save); tok; tok = strtok_r(NULL, seps, &save), col++) {
            if (!want_cols && col != pick)
                continue;
            if (want_cols && col >= want_cols)
                continue; /* counted, reported below */
            char *end;
            errno = 0;
            double x = strtod(tok, &end);
            /* Underflow (ERANGE with a subnormal or zero) is a value. */
            if (*end || (errno == ERANGE && isinf(x))) {
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu '%s' is not a number", col, tok);
                break;
            }
            if (!isfinite(x)) {
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu is '%s'; %s must be finite numbers", col, tok,
                                  what);
                break;
            }
            row[want_cols ? col : 0] = x;
        }
        if (st != GS_OK)
            break;
        if (want_cols && col != want_cols) {
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu values, but the problem has %zu parameters", col, want_cols);
            break;
        }
        if (!want_cols && col <= pick) {
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu column%s, but --column %zu asks for column %zu (0-based)", col,
                              col == 1 ? "" : "s", pick, pick);
            break;
        }
        t->line[t->rows++] = lineno;
    }
    if (st == GS_OK && ferror(f))
        st = gs_error_set(err, GS_EIO, name, 0, "read error");
    if (st == GS_OK && t->rows == 0)
        st = gs_error_set(err, GS_EINPUT, name, 0, "no rows of %s", what);
    free(buf);
    if (!use_stdin)
        fclose(f);
    if (st != GS_OK)
        gs_sens_table_free(t);
    return st;
}
