/* gs_cli.h: the subcommands of the gapsim program.  Each takes the arguments
 * after the command name (argv[0] is the command name) and returns the exit
 * status: 0 ok, 1 run failed, 2 usage or configuration error. */
#ifndef GS_CLI_H
#define GS_CLI_H

#include <stddef.h>
#include <stdint.h>

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
 * opterr is 0): "gapsim: CMD: unknown option '--bogus'" and the line "Try
 * 'gapsim help CMD'." on stderr.  Returns 2, the exit status. */
int gs_cli_option_error(const char *cmd, int c, char *const *argv);
/* "-" names standard output, which holds one table; a command that writes a
 * folder refuses it: prints why and returns 2; else 0. */
int gs_cli_folder_arg(const char *cmd, const char *dir);
/* Reads a whole-number option value in [lo, hi] (1e6 allowed); on a bad
 * value prints a message naming opt and returns -1. */
int gs_cli_count(const char *opt, const char *s, double lo, double hi, uint64_t *out);

/* The observations installed with gapsim (or the source tree's, for a build
 * that is not installed) in buf, or NULL when there are none. */
const char *gs_cli_default_observations(char *buf, size_t n);

#endif
