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
    int line = st && (sf || !file) ? (int)config_setting_source_line(st) : 0;
    return gs_error_set(err, code, sf ? sf : file, line, "%s", msg);
}

int gs_setting_is_number(const config_setting_t *st)
{
    int t = config_setting_type(st);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

double gs_setting_number(const config_setting_t *st)
{
    switch (config_setting_type(st)) {
    case CONFIG_TYPE_INT:
        return (double)config_setting_get_int(st);
    case CONFIG_TYPE_INT64:
        return (double)config_setting_get_int64(st);
    default:
        return config_setting_get_float(st);
    }
}
