/* gs_util.h: small helpers the library shares: a growing string, typo
 * suggestions, RFC 4180 fields. */
#ifndef GS_UTIL_H
#define GS_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* A string that grows as it is printed to.  An allocation failure sets oom
 * and makes every later call a no-op, so callers check once at the end. */
typedef struct gs_strbuf {
    char *p;     /* NUL-terminated once anything was printed; may be NULL */
    size_t n;    /* length */
    size_t cap;
    int oom;
} gs_strbuf;

void gs_strbuf_printf(gs_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes (which may hold no NUL) and keeps the text terminated. */
void gs_strbuf_putn(gs_strbuf *b, const char *p, size_t n);
void gs_strbuf_puts(gs_strbuf *b, const char *s);
/* The text so far, "" when empty. */
const char *gs_strbuf_str(const gs_strbuf *b);
/* The text, handed over to the caller (free it); "" when empty; NULL after an
 * allocation failure.  The buffer is left empty. */
char *gs_strbuf_take(gs_strbuf *b);
void gs_strbuf_free(gs_strbuf *b);

/* strdup that passes NULL through. */
char *gs_strdup(const char *s);

/* Optimal string alignment distance (Levenshtein plus adjacent swaps, so
 * that "mena" is one edit from "mean"); words over 200 bytes compare as far. */
size_t gs_edit_distance(const char *a, const char *b);
/* The candidate nearest to word when it is close enough to be a plausible
 * typo (at most 1 + strlen(word) / 4 edits), else NULL. */
const char *gs_nearest(const char *word, const char *const *cands, size_t n);

/* One CSV field (RFC 4180): quoted when it holds a comma, quote, line break,
 * or leading or trailing space, with quotes doubled. */
void gs_csv_field(FILE *f, const char *s);

#endif
