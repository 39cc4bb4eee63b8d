/* gapsim: the command line.  Thin by design: find the command, hand it the
 * arguments, return its exit status. */
#include <stdio.h>
#include <string.h>

#include "gs_cli.h"
#include "gs_error.h"
#include "gs_job.h"
#ifdef GAPSIM_MPI
#include "gs_mpi.h"
#endif

#ifndef GAPSIM_VERSION
#define GAPSIM_VERSION "unknown"
#endif

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"run", gs_cli_run, "project a scenario: CSV tables, summary, manifest and charts"},
    {"check", gs_cli_check, "validate a scenario and print its resolved parameters"},
    {"params", gs_cli_params, "list every parameter with unit, default, range and meaning"},
    {"plot", gs_cli_plot, "redraw the charts of a finished run from its CSV files"},
    {"compare", gs_cli_compare, "set finished runs side by side: charts and compare.csv"},
    {"sweep", gs_cli_sweep, "sensitivity of a scenario: one-at-a-time, grid, Morris, Sobol, goal seek"},
    {"sensitivity", gs_cli_sensitivity, "Sobol and Morris sample/analyze for external models"},
    {"backtest", gs_cli_backtest, "score a scenario against observed outcomes: PIT, coverage, CRPS, skill"},
    {"calibrate", gs_cli_calibrate, "learn the parameters from observations (ABC): posterior.csv, calibrated.cfg"},
    {"discover", gs_cli_discover, "scenario discovery (PRIM): which inputs lead to an outcome"},
};


static void usage(FILE *f)
{
    fprintf(f, "usage: gapsim COMMAND [ARGS]...\n\n"
               "Monte Carlo scenarios of the semiconductor gap between China and the global\n"
               "frontier: process nodes, China's domestic share of its chip consumption, and\n"
               "state fund investment.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`gapsim help COMMAND` or `gapsim COMMAND --help` describes a command.\n"
               "Exit status: 0 ok, 1 run failed, 2 usage or configuration error.\n");
}

static int gapsim_main(int argc, char **argv)
{
    gs_gsl_quiet();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("gapsim %s\n", GAPSIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3 || strcmp(argv[2], "help") == 0) {
            usage(stdout);
            return 0;
        }
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *args[] = {argv[2], "--help", NULL};
                return commands[i].fn(2, args);
            }
        gs_cli_errorf("no command named \"%s\" (see `gapsim --help`)", argv[2]);
        return 2;
    }
    /* In an MPI job, the commands that share their work run on every
     * process; the others on process 0 alone, as a single process
     * (docs/cluster.md). */
    static const char *const shared[] = {"run", "sweep", "backtest", "calibrate"};
    int shares = 0;
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        shares |= strcmp(cmd, shared[i]) == 0;
    if (!shares) {
        if (!gs_job_writes())
            return 0;
        gs_job_local_begin();
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    gs_cli_errorf("no command named \"%s\" (see `gapsim --help`)", cmd);
    return 2;
}

int main(int argc, char **argv)
{
#ifdef GAPSIM_MPI
    /* Under mpirun every process runs the command; the work is shared
     * (docs/cluster.md). */
    gs_mpi_start(&argc, &argv);
    return gs_mpi_finish(gapsim_main(argc, argv));
#else
    return gapsim_main(argc, argv);
#endif
}
