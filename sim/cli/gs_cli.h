/* gs_cli.h: the subcommands of the gapsim program.  Each takes the arguments
 * after the command name (argv[0] is the command name) and returns the exit
 * status: 0 ok, 1 run failed, 2 usage or configuration error. */
#ifndef GS_CLI_H
#define GS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <unistd.h> /* optind: where gs_cli_parse leaves the operands */

#include "gs_error.h"

int gs_cli_run(int argc, char **argv);
int gs_cli_check(int argc, char **argv);
int gs_cli_params(int argc, char **argv);
int gs_cli_plot(int argc, char **argv);
int gs_cli_compare(int argc, char **argv);
int gs_cli_sweep(int argc, char **argv);
int gs_cli_sensitivity(int argc, char **argv);
int gs_cli_backtest(int argc, char **argv);
int gs_cli_discover(int argc, char **argv);
int gs_cli_calibrate(int argc, char **argv);

/* "gapsim: " + message on stderr. */
void gs_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "gapsim: FILE:LINE: message" and returns the exit status of e. */
int gs_cli_report(const gs_error *e);
/* The one option-error format of every command, for getopt's '?' (unknown
 * option) and ':' (missing value; the option string starts with ':' and
 * opterr is 0): the one line "gapsim: CMD: unknown option '--bogus' (see
 * 'gapsim help CMD')" on stderr.  Returns 2, the exit status. */
int gs_cli_option_error(const char *cmd, int c, char *const *argv);
/* "-" names standard output, which holds one table; a command that writes a
 * folder refuses it: prints why and returns 2; else 0. */
int gs_cli_folder_arg(const char *cmd, const char *dir);
/* Reads a whole-number option value in [lo, hi] (1e6 allowed); on a bad
 * value prints a message naming opt and returns -1. */
int gs_cli_count(const char *opt, const char *s, double lo, double hi, uint64_t *out);

/* ---- the options of a command, declared once and parsed by gs_cli_parse ---- */

typedef enum {
    GS_CLI_FLAG,    /* no value: *(int *)dest = value */
    GS_CLI_STRING,  /* *(const char **)dest = the value */
    GS_CLI_COUNT,   /* a whole number in [lo, hi] (gs_cli_count): *(uint64_t *)dest */
    GS_CLI_NUMBER,  /* a number in [lo, hi]: *(double *)dest */
    GS_CLI_FOLDER,  /* an output folder: "-" refused (gs_cli_folder_arg); *(const char **)dest */
    GS_CLI_FORMATS, /* chart formats png,svg,pdf: *(unsigned *)dest */
    GS_CLI_CALL,    /* call(value, dest): 0, or the exit status */
} gs_cli_kind;

typedef struct gs_cli_opt {
    const char *name; /* the long name, without "--" */
    int letter;       /* the short option, or 0 */
    gs_cli_kind kind;
    void *dest;
    int *given;       /* set to 1 when the option is seen, if not NULL */
    double lo, hi;    /* GS_CLI_COUNT, GS_CLI_NUMBER */
    int value;        /* GS_CLI_FLAG */
    int (*call)(const char *value, void *dest); /* GS_CLI_CALL */
} gs_cli_opt;

/* The options most commands share, with the same names, ranges and
 * messages everywhere. */
#define GS_CLI_OUTPUT(dir) {.name = "output", .letter = 'o', .kind = GS_CLI_FOLDER, .dest = (dir)}
#define GS_CLI_TRAJECTORIES(n, max, seen)                                                      \
    {.name = "trajectories", .letter = 'n', .kind = GS_CLI_COUNT, .dest = (n), .given = (seen), \
     .lo = 1, .hi = (max)}
#define GS_CLI_SEED(s, seen)                                                                   \
    {.name = "seed", .kind = GS_CLI_COUNT, .dest = (s), .given = (seen), .lo = 0,             \
     .hi = GS_SEED_MAX}
#define GS_CLI_THREADS(k)                                                                      \
    {.name = "threads", .kind = GS_CLI_COUNT, .dest = (k), .lo = 1, .hi = GS_MAX_THREADS}
#define GS_CLI_FORMAT(f) {.name = "format", .kind = GS_CLI_FORMATS, .dest = (f)}
#define GS_CLI_NO_PLOTS(plots) {.name = "no-plots", .kind = GS_CLI_FLAG, .dest = (plots), .value = 0}
#define GS_CLI_QUIET(q) {.name = "quiet", .letter = 'q', .kind = GS_CLI_FLAG, .dest = (q), .value = 1}
#define GS_CLI_OBSERVATIONS(file) {.name = "observations", .kind = GS_CLI_STRING, .dest = (file)}
#define GS_CLI_END {.name = NULL}

/* Reads the options of command cmd (-h/--help is always one: usage on
 * stdout).  A bad value or an unknown option prints one message and ends
 * the parse.  Returns -1 when the command should go on, with optind at the
 * first operand; else the exit status (0 after --help, 2 on bad input). */
int gs_cli_parse(const char *cmd, const char *usage, const gs_cli_opt *opts, int argc, char **argv);
/* The command's one operand (a scenario or sweep file): argv[optind], or
 * NULL after printing what (none given) or "one ... at a time" (several)
 * and the usage on stderr. */
const char *gs_cli_one_operand(const char *cmd, const char *usage, const char *what,
                               const char *one, int argc, char **argv);
/* The command as typed, "gapsim" first, for a manifest: to be taken before
 * getopt permutes argv.  The array lives until the next call. */
const char **gs_cli_command_line(int argc, char **argv, size_t *n);

/* Charts are a convenience on top of complete tables: a chart that failed
 * is a warning, one line per report warning, or the error when there is
 * none. */
void gs_cli_plot_warnings(const gs_plot_report *rep, const gs_error *e);

/* The observations installed with gapsim (or the source tree's, for a build
 * that is not installed) in buf, or NULL when there are none. */
const char *gs_cli_default_observations(char *buf, size_t n);

#endif
