/* gs_util.h: small helpers the library shares, one copy each: a growing
 * string, typo suggestions, the RFC 4180 field writer, files written whole or
 * not at all, mkdir -p and the identifier rule.  (The CSV reader is
 * gs_csv.h; a message at a config setting is gs_conf.h.) */
#ifndef GS_UTIL_H
#define GS_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "gapsim.h"

/* A string that grows as it is printed to.  An allocation failure sets oom
 * and makes every later call a no-op, so callers check once at the end. */
typedef struct gs_strbuf {
    char *p;     /* NUL-terminated once anything was printed; may be NULL */
    size_t n;    /* length */
    size_t cap;
    int oom;
} gs_strbuf;

/* gs_strbuf_printf and gs_strbuf_puts are declared in gapsim.h. */
/* Appends n bytes (which may hold no NUL) and keeps the text terminated. */
void gs_strbuf_putn(gs_strbuf *b, const char *p, size_t n);
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

/* The CSV field writer, gs_csv_field, is declared in gapsim.h. */

/* A file written whole or not at all: FILE *f goes to DIR/.NAME.tmp.PID until
 * committed, then is renamed over DIR/NAME (atomic within a folder).  On a
 * process of a job that does not write (gs_job_writes), f is a sink and
 * nothing is created. */
typedef struct gs_afile {
    FILE *f;
    char tmp[4096];
    char final[4096];
    int sink;    /* f is /dev/null: commit and abort only close it */
} gs_afile;

gs_status gs_afile_open(gs_afile *a, const char *dir, const char *name, gs_error *err);
/* The same for a whole path; the temporary file is beside it. */
gs_status gs_afile_open_path(gs_afile *a, const char *path, gs_error *err);
gs_status gs_afile_commit(gs_afile *a, gs_error *err); /* fclose, check, rename */
void gs_afile_abort(gs_afile *a);                      /* fclose and remove; idempotent */
/* DIR/NAME holding text, whole or not at all. */
gs_status gs_afile_write(const char *dir, const char *name, const char *text, gs_error *err);

/* mkdir -p (mode 0777 less the umask); GS_EOUTPUT naming the part that
 * could not be made. */
gs_status gs_mkdir_p(const char *dir, gs_error *err);

/* The identifier rule of names that become file names (scenario and sweep
 * names, item names): non-empty, only [A-Za-z0-9._-], not "." or "..". */
int gs_is_ident(const char *s);

#endif
