/* What the subcommands share: error reporting and number options. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_cli.h"

void gs_cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gapsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int gs_cli_report(const gs_error *e)
{
    char buf[2048];
    gs_error_format(e, buf, sizeof buf);
    gs_cli_errorf("%s", buf);
    return gs_status_exit(e->code);
}

int gs_cli_count(const char *opt, const char *s, double lo, double hi, uint64_t *out)
{
    char *end;
    errno = 0;
    /* strtod, so that 1e6 reads as well as 1000000: analysts write counts that way. */
    double d = strtod(s, &end);
    if (errno || end == s || *end || !(d >= lo && d <= hi) || d != floor(d)) {
        gs_cli_errorf("%s: expected a whole number from %.0f to %.0f, got \"%s\"", opt, lo, hi,
                      s);
        return -1;
    }
    *out = (uint64_t)d;
    return 0;
}

int gs_cli_option_error(const char *cmd, int c, char *const *argv)
{
    /* getopt leaves the option it choked on in argv[optind - 1]; an unknown
     * short option is optopt inside a cluster such as -xq. */
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    char shown[80];
    if (optopt && !(arg[0] == '-' && arg[1] == '-'))
        snprintf(shown, sizeof shown, "-%c", optopt);
    else
        snprintf(shown, sizeof shown, "%.*s", (int)strcspn(arg, "="), arg);
    if (c == ':')
        gs_cli_errorf("%s: option '%s' needs a value", cmd, shown);
    else
        gs_cli_errorf("%s: unknown option '%s'", cmd, shown);
    fprintf(stderr, "Try 'gapsim help %s'.\n", cmd);
    return 2;
}

int gs_cli_folder_arg(const char *cmd, const char *dir)
{
    if (dir && strcmp(dir, "-") == 0) {
        gs_cli_errorf("%s: -o - would be standard output, but %s writes a folder of files: give a folder",
                      cmd, cmd);
        return 2;
    }
    return 0;
}
