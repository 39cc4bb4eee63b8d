#include "gs_error.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gs_error_clear(gs_error *e)
{
    if (!e)
        return;
    e->code = GS_OK;
    e->file[0] = '\0';
    e->line = 0;
    e->msg[0] = '\0';
}

/* Copies src into dst (n bytes) with control characters written as \n, \t
 * or \xHH, so that a message is always one line whatever text it quotes. */
static void one_line(char *dst, size_t n, const char *src)
{
    size_t at = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && at + 1 < n; p++) {
        char esc[8];
        if (*p == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (*p == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *p);
        else {
            dst[at++] = (char)*p;
            continue;
        }
        size_t k = strlen(esc);
        if (at + k >= n)
            break;
        memcpy(dst + at, esc, k);
        at += k;
    }
    dst[at] = '\0';
}

gs_status gs_error_set(gs_error *e, gs_status code, const char *file, int line,
                       const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    one_line(e->file, sizeof e->file, file ? file : "");
    e->line = line;
    char raw[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    one_line(e->msg, sizeof e->msg, raw);
    return code;
}

void gs_error_format(const gs_error *e, char *buf, size_t n)
{
    if (e->file[0] && e->line > 0)
        snprintf(buf, n, "%s:%d: %s", e->file, e->line, e->msg);
    else if (e->file[0])
        snprintf(buf, n, "%s: %s", e->file, e->msg);
    else
        snprintf(buf, n, "%s", e->msg);
}

int gs_status_exit(gs_status s)
{
    switch (s) {
#define GS_X_EXIT(name, exit_status, text) \
    case name:                             \
        return exit_status;
        GS_STATUS_LIST(GS_X_EXIT)
#undef GS_X_EXIT
    }
    return 1;
}

void gs_gsl_quiet(void)
{
    gsl_set_error_handler_off();
}
