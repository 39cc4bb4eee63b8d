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
    /* One line, as every other bad input. */
    if (c == ':')
        gs_cli_errorf("%s: option '%s' needs a value (see 'gapsim help %s')", cmd, shown, cmd);
    else
        gs_cli_errorf("%s: unknown option '%s' (see 'gapsim help %s')", cmd, shown, cmd);
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

/* ---- the option parser every command uses ---- */

#define MAX_OPTS 40

/* The name an option's messages use: -n for one with a letter, as typed
 * most often; --name for one without. */
static void opt_shown(const gs_cli_opt *o, char *buf, size_t n)
{
    if (o->letter)
        snprintf(buf, n, "-%c", o->letter);
    else
        snprintf(buf, n, "--%s", o->name);
}

static int opt_take(const char *cmd, const gs_cli_opt *o, const char *arg)
{
    char shown[64];
    switch (o->kind) {
    case GS_CLI_FLAG: *(int *)o->dest = o->value; break;
    case GS_CLI_STRING: *(const char **)o->dest = arg; break;
    case GS_CLI_COUNT:
        opt_shown(o, shown, sizeof shown);
        if (gs_cli_count(shown, arg, o->lo, o->hi, o->dest))
            return 2;
        break;
    case GS_CLI_NUMBER: {
        char *end;
        double v = strtod(arg, &end);
        if (end == arg || *end || !(v >= o->lo && v <= o->hi)) {
            opt_shown(o, shown, sizeof shown);
            gs_cli_errorf("%s: expected a number from %g to %g, got \"%s\"", shown, o->lo, o->hi,
                          arg);
            return 2;
        }
        *(double *)o->dest = v;
        break;
    }
    case GS_CLI_FOLDER:
        if (gs_cli_folder_arg(cmd, arg))
            return 2;
        *(const char **)o->dest = arg;
        break;
    case GS_CLI_FORMATS: {
        gs_error e;
        gs_error_clear(&e);
        if (gs_plot_parse_formats(arg, o->dest, &e) != GS_OK)
            return gs_cli_report(&e);
        break;
    }
    case GS_CLI_CALL: {
        int rc = o->call(arg, o->dest);
        if (rc)
            return rc;
        break;
    }
    }
    if (o->given)
        *o->given = 1;
    return 0;
}

int gs_cli_parse(const char *cmd, const char *usage, const gs_cli_opt *opts, int argc, char **argv)
{
    struct option longopts[MAX_OPTS + 2];
    char shortopts[3 * MAX_OPTS + 4];
    size_t n = 0, ns = 0;
    shortopts[ns++] = ':'; /* a missing value is ':', told apart from an unknown option */
    for (; opts[n].name; n++) {
        if (n == MAX_OPTS)
            abort(); /* a command declares more options than the parser holds */
        int arg = opts[n].kind == GS_CLI_FLAG ? no_argument : required_argument;
        longopts[n] = (struct option){opts[n].name, arg, NULL,
                                      opts[n].letter ? opts[n].letter : 256 + (int)n};
        if (opts[n].letter) {
            shortopts[ns++] = (char)opts[n].letter;
            if (arg == required_argument)
                shortopts[ns++] = ':';
        }
    }
    longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n + 1] = (struct option){NULL, 0, NULL, 0};
    shortopts[ns++] = 'h';
    shortopts[ns] = '\0';
    /* glibc re-initialises getopt only with optind 0, and a process (a test)
     * may run several commands. */
#ifdef __GLIBC__
    optind = 0;
#else
    optind = 1;
#endif
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        }
        const gs_cli_opt *o = NULL;
        for (size_t i = 0; i < n && !o; i++)
            if (longopts[i].val == c)
                o = &opts[i];
        if (!o)
            return gs_cli_option_error(cmd, c, argv);
        int rc = opt_take(cmd, o, optarg);
        if (rc)
            return rc;
    }
    return -1;
}

const char *gs_cli_one_operand(const char *cmd, const char *usage, const char *what,
                               const char *one, int argc, char **argv)
{
    if (optind == argc - 1)
        return argv[optind];
    if (optind >= argc)
        gs_cli_errorf("%s: %s", cmd, what);
    else
        gs_cli_errorf("%s: %s", cmd, one);
    fputs(usage, stderr);
    return NULL;
}

const char **gs_cli_command_line(int argc, char **argv, size_t *n)
{
    static const char *line[1024];
    size_t k = 0;
    line[k++] = "gapsim";
    for (int i = 0; i < argc && k < sizeof line / sizeof line[0]; i++)
        line[k++] = argv[i];
    *n = k;
    return line;
}

void gs_cli_plot_warnings(const gs_plot_report *rep, const gs_error *e)
{
    for (size_t i = 0; i < rep->n_warnings; i++)
        gs_cli_errorf("warning: %s", rep->warnings[i]);
    if (rep->n_warnings == 0) {
        char buf[2048];
        gs_error_format(e, buf, sizeof buf);
        gs_cli_errorf("warning: %s", buf);
    }
}
