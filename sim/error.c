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

gs_status gs_error_set(gs_error *e, gs_status code, const char *file, int line,
                       const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
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
