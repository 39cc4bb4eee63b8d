/* gs_csv.h: the one CSV reader of the library (RFC 4180).
 *
 * Fields may be quoted; a quoted field may hold commas, doubled quotes and
 * line breaks.  Lines end with LF or CRLF; the final line break is optional.
 * The first record is the header.  An empty line is an error (gnuplot, which
 * reads the same files, would take it for the end of a data block), and so is
 * an unterminated quoted field; every error names the file and line.
 *
 * Written here rather than taken from Debian's libcsv: libcsv reports records
 * through callbacks without line numbers, so every caller would count lines
 * around it to give the FILE:LINE messages gapsim promises, and its upstream
 * has been dormant since 2013.  The parser is one small state machine. */
#ifndef GS_CSV_H
#define GS_CSV_H

#include <stddef.h>

#include "gapsim.h"

typedef struct gs_csv_row {
    char **f;      /* fields, unquoted */
    size_t n;
    long line;     /* 1-based line of the file where the record starts */
    size_t unsafe; /* first field that holds a quote or a line break (a reader
                      that splits on commas and lines would misread it and what
                      follows); n when none */
} gs_csv_row;

typedef struct gs_csv {
    char path[4096];
    char **head;   /* header fields */
    size_t nhead;
    gs_csv_row *rows;
    size_t nrows;
} gs_csv;

/* Reads the whole file path into t (GS_EINPUT with file and line on a bad
 * file, GS_ENOMEM).  On failure t is left empty. */
gs_status gs_csv_read(gs_csv *t, const char *path, gs_error *err);
/* The same for dir/name. */
gs_status gs_csv_read_in(gs_csv *t, const char *dir, const char *name, gs_error *err);
void gs_csv_free(gs_csv *t); /* harmless on an empty or freed table */

/* The other form of table the library reads: SALib's text files (problem
 * files, samples, outputs of `gapsim sensitivity`).  No header and no
 * quoting; '#' starts a comment to the end of the line; blank lines are
 * skipped; a NUL byte is an error at its line.  delim 0 splits a line that
 * holds a comma on commas (so that names may hold spaces, as SALib's sniffer
 * allows) and any other line on runs of blanks; ' ' or '\t' splits on runs of
 * blanks; another delim on that character only, fields trimmed of blanks.
 * path "-" reads standard input (named "<stdin>" in messages); what names
 * the file in the message for a folder ("a problem file").  Every record is
 * a row of t (t->head is empty), with its line. */
gs_status gs_csv_read_text(gs_csv *t, const char *path, char delim, const char *what,
                           gs_error *err);

/* Column of a header name, -1 when absent. */
long gs_csv_col(const gs_csv *t, const char *name);
/* Field c of data row r, "" when the row is shorter or r, c out of range. */
const char *gs_csv_cell(const gs_csv *t, size_t r, long c);
/* The field as a finite number, or NAN when it is empty or not one. */
double gs_csv_num(const gs_csv *t, size_t r, long c);

#endif
