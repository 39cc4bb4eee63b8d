/* gs_conf.h: what every reader of a libconfig file shares. */
#ifndef GS_CONF_H
#define GS_CONF_H

#include <libconfig.h>

#include "gapsim.h"

/* The one located message: fills err with code, the file and line of setting
 * st and the message.  file is used when the setting has no source file
 * (text given on the command line), and then the line is 0 (it would mean
 * nothing); with file NULL too, the line is the setting's line of the text it
 * was read from (a caller that knows the text's name puts it in).  st may be
 * NULL (file, line 0). */
gs_status gs_setting_errorf(gs_error *err, gs_status code, const config_setting_t *st,
                            const char *file, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Is st a number (int, 64-bit int or float)?  libconfig 1.5 keeps `1` as
 * an int, and config_setting_get_float returns 0 for it. */
int gs_setting_is_number(const config_setting_t *st);
/* The value of a number setting, each numeric type read as itself. */
double gs_setting_number(const config_setting_t *st);

#endif
