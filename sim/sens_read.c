/* sens_read.c: the readers of the numeric tables of `gapsim sensitivity
 * analyze` -- a sample (-X) and a model's outputs (-Y) -- kept in the
 * library beside gs_sens_problem_read() so that the command and the fuzz
 * targets (tests/fuzz/) run the same code.  The text is split by the
 * library's table reader (gs_csv_read_text); this file turns fields into
 * numbers. */
#include "gs_sens.h"

#include "gs_csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

gs_status gs_sens_table_read(const char *path, char delim, size_t want_cols, size_t pick,
                             const char *what, gs_sens_table *t, gs_error *err)
{
    memset(t, 0, sizeof *t);
    char noun[96];
    snprintf(noun, sizeof noun, "a file of %s", what);
    gs_csv text;
    gs_status st = gs_csv_read_text(&text, path, delim, noun, err);
    if (st != GS_OK)
        return st;
    const char *name = text.path;
    size_t keep = want_cols ? want_cols : 1;
    t->cols = keep;
    if (text.nrows) {
        t->v = malloc(text.nrows * keep * sizeof *t->v);
        t->line = malloc(text.nrows * sizeof *t->line);
        if (!t->v || !t->line)
            st = gs_error_set(err, GS_ENOMEM, name, 0, "out of memory");
    }
    for (size_t r = 0; r < text.nrows && st == GS_OK; r++) {
        const gs_csv_row *row = &text.rows[r];
        int lineno = (int)row->line;
        double *out = t->v + t->rows * keep;
        for (size_t col = 0; col < row->n && st == GS_OK; col++) {
            if (want_cols ? col >= want_cols : col != pick)
                continue; /* counted, reported below */
            const char *tok = row->f[col];
            char *end;
            errno = 0;
            double x = strtod(tok, &end);
            /* Underflow (ERANGE with a subnormal or zero) is a value. */
            if (!*tok || *end || (errno == ERANGE && isinf(x)))
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu '%s' is not a number", col, tok);
            else if (!isfinite(x))
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu is '%s'; %s must be finite numbers", col, tok,
                                  what);
            else
                out[want_cols ? col : 0] = x;
        }
        if (st != GS_OK)
            break;
        if (want_cols && row->n != want_cols)
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu values, but the problem has %zu parameters", row->n,
                              want_cols);
        else if (!want_cols && row->n <= pick)
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu column%s, but --column %zu asks for column %zu (0-based)",
                              row->n, row->n == 1 ? "" : "s", pick, pick);
        else
            t->line[t->rows++] = lineno;
    }
    if (st == GS_OK && t->rows == 0)
        st = gs_error_set(err, GS_EINPUT, name, 0, "no rows of %s", what);
    gs_csv_free(&text);
    if (st != GS_OK)
        gs_sens_table_free(t);
    return st;
}
