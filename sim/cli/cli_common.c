/* What the subcommands share: error reporting and number options. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

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

/* The observations installed with gapsim, or those of the source tree for a
 * build that is not installed. */
const char *gs_cli_default_observations(char *buf, size_t n)
{
    const char *cands[3] = {NULL, NULL, NULL};
#ifdef GAPSIM_SOURCE_DATADIR
    cands[0] = GAPSIM_SOURCE_DATADIR "/observations.csv";
#endif
#ifdef GAPSIM_DATADIR
    cands[1] = GAPSIM_DATADIR "/data/observations.csv";
#endif
    for (int i = 0; i < 2; i++)
        if (cands[i] && access(cands[i], R_OK) == 0) {
            snprintf(buf, n, "%s", cands[i]);
            return buf;
        }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, n, "%s/../share/gapsim/data/observations.csv", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    return NULL;
}
