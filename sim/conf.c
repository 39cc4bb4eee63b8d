/* Helpers of the libconfig readers (gs_conf.h). */
#include "gs_conf.h"

#include <stdarg.h>
#include <stdio.h>

gs_status gs_setting_errorf(gs_error *err, gs_status code, const config_setting_t *st,
                            const char *file, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *sf = st ? config_setting_source_file(st) : NULL;
    int line = sf ? (int)config_setting_source_line(st) : 0;
    return gs_error_set(err, code, sf ? sf : file, line, "%s", msg);
}
