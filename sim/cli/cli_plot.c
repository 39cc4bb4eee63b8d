/* cli_plot.c: `gapsim plot DIR` and `gapsim compare DIR DIR...`. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "gs_cli.h"
#include "gs_outdir.h"
#include "gs_plot.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char PLOT_USAGE[] =
    "usage: gapsim plot DIR [--format png,svg,pdf] [--size WxH]\n"
    "Redraws the charts of a finished run from its CSV files and manifest.json,\n"
    "into DIR.\n"
    "  -f, --format LIST  chart formats, comma-separated: png (default), svg, pdf\n"
    "  -s, --size WxH     chart size in pixels (default 1600x900; PDF: 160 to the inch)\n"
    "  -h, --help         this text\n"
    "Exit status: 0 all charts drawn, 1 gnuplot missing or a chart failed,\n"
    "2 bad folder or usage.\n";

static const char COMPARE_USAGE[] =
    "usage: gapsim compare DIR DIR... [-o OUT] [--format png,svg,pdf] [--size WxH]\n"
    "Puts two or more finished runs side by side: OUT/compare.csv (key figures\n"
    "of each scenario and their differences from the first) and the charts\n"
    "compare_share, compare_nodes and compare_targets.\n"
    "  -o, --output OUT   output folder (default out/compare/), made when missing\n"
    "  -f, --format LIST  chart formats, comma-separated: png (default), svg, pdf\n"
    "  -s, --size WxH     chart size in pixels (default 1600x900)\n"
    "  -h, --help         this text\n"
    "Exit status: 0 ok, 1 gnuplot missing or a chart failed (compare.csv is\n"
    "still written), 2 bad folder or usage.\n";


/* A chart of a run folder, by its name: plot redraws these. */
static int not_a_chart(const char *name)
{
    static const char *const ext[] = {".png", ".svg", ".pdf"};
    size_t n = strlen(name);
    for (size_t i = 0; i < 3; i++)
        if (n > 4 && strcmp(name + n - 4, ext[i]) == 0)
            return 0;
    return 1;
}

static void print_warnings(const gs_plot_report *rep)
{
    for (size_t i = 0; i < rep->n_warnings; i++)
        gs_cli_errorf("%s", rep->warnings[i]);
}

static int take_size(const char *arg, void *dest)
{
    gs_plot_opts *o = dest;
    gs_error err;
    gs_error_clear(&err);
    if (gs_plot_parse_size(arg, &o->width, &o->height, &err) != GS_OK) {
        gs_cli_report(&err);
        return 2;
    }
    return 0;
}

/* The options of both commands; compare has -o too.  Returns -1 to go on,
 * else an exit status. */
static int parse_opts(int argc, char **argv, const char *usage, gs_plot_opts *o, const char **out,
                      int *quiet)
{
    const gs_cli_opt opts[] = {
        {.name = "format", .letter = 'f', .kind = GS_CLI_FORMATS, .dest = &o->formats},
        {.name = "size", .letter = 's', .kind = GS_CLI_CALL, .dest = o, .call = take_size},
        GS_CLI_QUIET(quiet),
        /* compare only (plot writes into its run); the folder is checked
         * once the runs are counted (gs_cli_compare). */
        out ? (gs_cli_opt){.name = "output", .letter = 'o', .kind = GS_CLI_STRING, .dest = out}
            : (gs_cli_opt)GS_CLI_END,
        GS_CLI_END,
    };
    return gs_cli_parse(argv[0], usage, opts, argc, argv);
}

int gs_cli_plot(int argc, char **argv)
{
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    int quiet = 0;
    int rc = parse_opts(argc, argv, PLOT_USAGE, &o, NULL, &quiet);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1) {
        gs_cli_errorf("plot: give exactly one run folder (see gapsim plot --help)");
        return 2;
    }
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    gs_error_clear(&err);
    /* The charts are redrawn in a staging copy of the run (its tables linked,
     * its old charts left out) that replaces the folder only when every
     * chart was drawn: a failure or an interrupt leaves the folder as it
     * was, and no chart of another size or format survives a redraw. */
    gs_stage stage = {.lock_fd = -1};
    /* A link to a run is redrawn where the run is: the link stays a link. */
    const char *dir = argv[optind];
    char real[4096];
    struct stat lsb;
    if (lstat(dir, &lsb) == 0 && S_ISLNK(lsb.st_mode) && realpath(dir, real))
        dir = real;
    gs_status st = gs_plot_check_run_dir(dir, &err);
    if (st == GS_OK)
        st = gs_stage_begin_kind(&stage, dir, "run", &err);
    if (st == GS_OK)
        st = gs_stage_carry(&stage, not_a_chart, &err);
    if (st == GS_OK)
        st = gs_plot_run_dir(stage.path, &o, &rep, &err);
    if (st == GS_OK)
        st = gs_stage_commit(&stage, &err);
    gs_stage_blame(&stage, &err);
    gs_stage_abort(&stage);
    if (st == GS_EPLOT)
        print_warnings(&rep); /* one line per failed chart, or "gnuplot not found" */
    else if (st != GS_OK)
        gs_cli_report(&err);
    if (st == GS_OK && !quiet)
        printf("%zu chart%s in %s/\n", rep.n_ok, rep.n_ok == 1 ? "" : "s", argv[optind]);
    gs_plot_report_clear(&rep);
    return gs_status_exit(st);
}

int gs_cli_compare(int argc, char **argv)
{
    size_t ncl;
    const char **cmdline = gs_cli_command_line(argc, argv, &ncl);
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    const char *out = "out/compare";
    int quiet = 0;
    int rc = parse_opts(argc, argv, COMPARE_USAGE, &o, &out, &quiet);
    if (rc >= 0)
        return rc;
    size_t n = (size_t)(argc - optind);
    if (n < 2) {
        gs_cli_errorf("compare: give two or more run folders (see gapsim compare --help)");
        return 2;
    }
    /* compare writes a folder: "-" (standard output) cannot hold it. */
    if (gs_cli_folder_arg("compare", out))
        return 2;
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    gs_error_clear(&err);
    /* As a run: written into a staging folder that replaces out whole. */
    gs_stage stage;
    gs_status st = gs_stage_begin_kind(&stage, out, "compare", &err);
    if (st == GS_OK)
        st = gs_compare_dirs((const char **)(argv + optind), n, stage.path, &o, &rep, &err);
    if (st == GS_OK || st == GS_EPLOT) {
        /* What was compared, for the folder's manifest. */
        json_t *f = json_object(), *runs = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(runs, json_string(argv[optind + (int)i]));
        json_object_set_new(f, "runs", runs);
        gs_status ms = gs_stage_write_manifest(stage.path, "compare", f, cmdline, ncl, &err);
        if (ms == GS_OK)
            ms = gs_stage_commit(&stage, &err);
        if (ms != GS_OK)
            st = ms;
    }
    gs_stage_blame(&stage, &err);
    gs_stage_abort(&stage);
    /* Warnings come with a whole comparison too: runs that differ in N,
     * seed, sampler or version. */
    if (st == GS_OK || st == GS_EPLOT)
        print_warnings(&rep);
    else
        gs_cli_report(&err);
    if ((st == GS_OK || st == GS_EPLOT) && !quiet)
        printf("Outputs in %s/\n", out);
    gs_plot_report_clear(&rep);
    return gs_status_exit(st);
}
