/* gapsim sweep */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gs_cli.h"
#include "gs_outdir.h"
#include "gs_job.h"
#include "gs_plot.h"
#include "gs_sweep.h"

static const char sweep_usage[] =
    "usage: gapsim sweep SWEEP.cfg [options]\n\n"
    "Sensitivity of a scenario to its own parameters: the sweep file names a base\n"
    "scenario, a method (oat, grid, morris, sobol, goal, fast, rbd_fast, delta,\n"
    "pawn), the parameters to move and the metrics to watch (docs/sensitivity.md).\n"
    "Every design point is run with\n"
    "the same seed, so points differ only through the parameters they set.\n\n"
    "  -o, --output DIR         output folder (default out/sweeps/<sweep name>/)\n"
    "  -n, --trajectories N     trajectories per design point (default: the sweep's,\n"
    "                           else the base scenario's run.trajectories)\n"
    "      --seed S             seed of every design point (default: the sweep's, else\n"
    "                           the base scenario's run.seed)\n"
    "      --threads K          worker threads of each run; points run one after another\n"
    "      --format LIST        chart formats: png,svg,pdf (default png)\n"
    "      --no-plots           write no charts\n"
    "  -q, --quiet              print nothing on success\n"
    "  -h, --help               this text\n";



static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    /* A total only when it is known (not for a goal seek); the line is
     * erased when the sweep ends (progress_clear). */
    if (total && done <= total)
        fprintf(stderr, "\r\033[Ksweep: run %zu of %zu", done, total);
    else
        fprintf(stderr, "\r\033[Ksweep: run %zu", done);
    fflush(stderr);
}

int gs_cli_sweep(int argc, char **argv)
{
    size_t n_cmdline;
    const char **cmdline = gs_cli_command_line(argc, argv, &n_cmdline);
    const char *outdir = NULL;
    int quiet = 0, plots = 1;
    gs_sweep_opts so;
    gs_sweep_opts_default(&so);
    uint64_t threads = (uint64_t)so.threads;
    int have_seed = 0;
    gs_plot_opts popts;
    gs_plot_opts_default(&popts);
    gs_error e;
    gs_error_clear(&e);
    const gs_cli_opt opts[] = {
        GS_CLI_OUTPUT(&outdir),
        GS_CLI_TRAJECTORIES(&so.n, GS_MAX_POINT_TRAJECTORIES, NULL),
        GS_CLI_SEED(&so.seed, &have_seed),
        GS_CLI_THREADS(&threads),
        GS_CLI_FORMAT(&popts.formats),
        GS_CLI_NO_PLOTS(&plots),
        GS_CLI_QUIET(&quiet),
        GS_CLI_END,
    };
    int rc = gs_cli_parse("sweep", sweep_usage, opts, argc, argv);
    if (rc >= 0)
        return rc;
    so.has_seed = have_seed;
    so.threads = (int)threads;
    const char *file =
        gs_cli_one_operand("sweep", sweep_usage, "which sweep file? (gapsim sweep SWEEP.cfg)",
                           "one sweep file at a time", argc, argv);
    if (!file)
        return 2;
    gs_sweep *sw = NULL;
    if (gs_sweep_load(file, &sw, &e) != GS_OK)
        return gs_cli_report(&e);
    char dir[4096];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        snprintf(dir, sizeof dir, "out/sweeps/%s", sw->name);
    if (!quiet && isatty(STDERR_FILENO))
        so.progress = progress;
    so.command_line = cmdline;
    so.n_command_line = n_cmdline;
    size_t flagged = 0;
    so.flagged_points = &flagged;
    /* As for a run: the sweep and its charts go to a staging folder that
     * replaces dir as a whole once complete. */
    gs_stage stage;
    if (gs_stage_begin_kind(&stage, dir, "sweep", &e) != GS_OK) {
        gs_sweep_free(sw);
        return gs_cli_report(&e);
    }
    char *summary = NULL;
    gs_status sst = gs_sweep_run(sw, &so, stage.path, &summary, &e);
    if (so.progress) {
        fputs("\r\033[K", stderr); /* the progress line is erased, done or not */
        fflush(stderr);
    }
    if (sst != GS_OK) {
        gs_stage_blame(&stage, &e);
        gs_stage_abort(&stage);
        gs_sweep_free(sw);
        return gs_cli_report(&e);
    }
    if (plots && gs_job_writes()) { /* in a job, process 0 draws */
        gs_plot_report rep;
        gs_plot_report_init(&rep);
        gs_error pe;
        gs_error_clear(&pe);
        /* As for a run: the tables are the result, charts a convenience. */
        if (gs_sweep_plot(sw, stage.path, &popts, &rep, &pe) != GS_OK)
            gs_cli_plot_warnings(&rep, &pe);
        gs_plot_report_clear(&rep);
    }
    if (gs_stage_commit(&stage, &e) != GS_OK) {
        gs_stage_blame(&stage, &e);
        free(summary);
        gs_sweep_free(sw);
        return gs_cli_report(&e);
    }
    if (flagged)
        gs_cli_errorf("warning: at %zu design point%s a metric has no value (a percentile the "
                      "quantile sketch flags): empty in %s/points.csv and named in its flagged "
                      "column; see summary.txt",
                      flagged, flagged == 1 ? "" : "s", dir);
    if (!quiet) {
        fputs(summary, stdout);
        printf("\nOutputs in %s/\n", dir);
    }
    free(summary);
    gs_sweep_free(sw);
    return 0;
}
