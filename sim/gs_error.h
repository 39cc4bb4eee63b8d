/* gs_error.h: the one error type of gapsim.
 *
 * The library never prints and never exits: a failing call fills a gs_error
 * and returns its status.  The command line formats it as
 * "gapsim: FILE:LINE: message" and exits with gs_status_exit().
 */
#ifndef GS_ERROR_H
#define GS_ERROR_H

#include <stddef.h>

/* X(name, exit status, short text) */
#define GS_STATUS_LIST(X)                                   \
    X(GS_OK, 0, "ok")                                       \
    X(GS_EUSAGE, 2, "usage error")                          \
    X(GS_ECONFIG, 2, "configuration error")                 \
    X(GS_EINPUT, 2, "bad input file")                       \
    X(GS_EOUTPUT, 2, "output folder not writable")          \
    X(GS_ENOMEM, 1, "out of memory")                        \
    X(GS_EIO, 1, "input/output error")                      \
    X(GS_ERUN, 1, "run failed")                             \
    X(GS_EPLOT, 1, "chart failed")

typedef enum {
#define GS_X_ENUM(name, exit_status, text) name,
    GS_STATUS_LIST(GS_X_ENUM)
#undef GS_X_ENUM
} gs_status;

typedef struct gs_error {
    gs_status code;   /* GS_OK when nothing went wrong */
    char file[512];   /* file the problem is in, "" when none */
    int line;         /* 1-based line in file, 0 when unknown */
    char msg[1024];   /* one sentence, no trailing newline */
} gs_error;

void gs_error_clear(gs_error *e);

/* Fills e (when e is not NULL) and returns code.  file may be NULL. */
gs_status gs_error_set(gs_error *e, gs_status code, const char *file, int line,
                       const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "FILE:LINE: msg", "FILE: msg" or "msg". */
void gs_error_format(const gs_error *e, char *buf, size_t n);

int gs_status_exit(gs_status s);
const char *gs_status_text(gs_status s);

/* Turns GSL's aborting error handler off; call once before using GSL. */
void gs_gsl_quiet(void);

#endif
