/* gapsim discover */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_cli.h"
#include "gs_discover.h"
#include "gs_util.h"

#define MAX_PARAMS 256

static const char discover_usage[] =
    "usage: gapsim discover RUN_DIR --where CONDITION [options]\n"
    "       gapsim discover --inputs X.csv --outcomes Y.csv --where CONDITION [options]\n\n"
    "Scenario discovery: which combination of inputs leads to the futures where\n"
    "CONDITION holds?  PRIM peels the input space down to a box of high density\n"
    "and reports its coverage, density and mass, a quasi-p-value per restricted\n"
    "parameter, and a sentence to quote (docs/discovery.md).  A run folder needs\n"
    "`gapsim run ... --write-parameters --write-outcomes`.\n\n"
    "  -w, --where COND         \"COLUMN OP NUMBER\" on an outcome column, OP one of\n"
    "                           >= > <= < == !=, e.g. \"share@2030 >= 0.49\";\n"
    "                           a bare COLUMN means COLUMN != 0 (e.g. target:2030)\n"
    "      --inputs X.csv       table of inputs, one column per parameter\n"
    "      --outcomes Y.csv     table of outcomes\n"
    "      --id COLUMN          column joining the two tables (default: id, or\n"
    "                           trajectory in a run folder)\n"
    "      --params P,Q,...     input columns to use (default: all but the id)\n"
    "      --threshold D        choose the box of greatest coverage with density\n"
    "                           >= D (default 0.8)\n"
    "      --box I              choose step I of the peeling trajectory instead\n"
    "      --alpha A            peeling share (default 0.05)\n"
    "      --paste-alpha A      pasting share (default 0.05)\n"
    "      --mass-min M         smallest box, as a share of the futures (default 0.05)\n"
    "      --resample R         stability: rerun PRIM on R random halves (default 0)\n"
    "      --seed S             seed of the resampling (default 1)\n"
    "  -o, --output DIR         output folder (default RUN_DIR/discover or out/discover)\n"
    "      --format LIST        chart formats: png,svg,pdf (default png)\n"
    "      --no-plots           write no charts\n"
    "  -q, --quiet              print nothing on success\n"
    "  -h, --help               this text\n";

/* --params P,Q,...: the last one given counts. */
typedef struct param_list {
    char *copy;
    const char *names[MAX_PARAMS];
    size_t n;
} param_list;

static int take_params(const char *arg, void *dest)
{
    param_list *l = dest;
    free(l->copy);
    l->copy = gs_strdup(arg);
    l->n = 0;
    for (char *s = strtok(l->copy, ","); s; s = strtok(NULL, ",")) {
        if (l->n == MAX_PARAMS) {
            gs_cli_errorf("--params: at most %d", MAX_PARAMS);
            return 2;
        }
        l->names[l->n++] = s;
    }
    if (!l->n) {
        gs_cli_errorf("--params: expected names separated by commas");
        return 2;
    }
    return 0;
}

int gs_cli_discover(int argc, char **argv)
{
    gs_discover_opts o;
    gs_discover_opts_default(&o);
    gs_error e;
    gs_error_clear(&e);
    param_list pl = {0};
    int quiet = 0, rc = 2, have_box = 0;
    uint64_t box = 0, resamples = o.prim.resamples;
    /* The command line as typed (getopt reorders argv), for the summary. */
    gs_strbuf cmd = {0};
    gs_strbuf_puts(&cmd, "gapsim");
    for (int i = 0; i < argc; i++)
        gs_strbuf_printf(&cmd, strpbrk(argv[i], " \"'<>=!$;&|*?") ? " '%s'" : " %s", argv[i]);
    const gs_cli_opt opts[] = {
        {.name = "where", .letter = 'w', .kind = GS_CLI_STRING, .dest = &o.where},
        {.name = "inputs", .kind = GS_CLI_STRING, .dest = &o.inputs},
        {.name = "outcomes", .kind = GS_CLI_STRING, .dest = &o.outcomes},
        {.name = "id", .kind = GS_CLI_STRING, .dest = &o.id},
        {.name = "params", .kind = GS_CLI_CALL, .dest = &pl, .call = take_params},
        {.name = "threshold", .kind = GS_CLI_NUMBER, .dest = &o.prim.threshold, .lo = 0, .hi = 1},
        {.name = "box", .kind = GS_CLI_COUNT, .dest = &box, .given = &have_box, .lo = 0,
         .hi = 1e9},
        {.name = "alpha", .kind = GS_CLI_NUMBER, .dest = &o.prim.alpha, .lo = 1e-6, .hi = 0.49},
        {.name = "paste-alpha", .kind = GS_CLI_NUMBER, .dest = &o.prim.paste_alpha, .lo = 1e-6,
         .hi = 0.49},
        {.name = "mass-min", .kind = GS_CLI_NUMBER, .dest = &o.prim.mass_min, .lo = 1e-9,
         .hi = 0.99},
        {.name = "resample", .kind = GS_CLI_COUNT, .dest = &resamples, .lo = 1, .hi = 10000},
        GS_CLI_SEED(&o.prim.seed, NULL),
        GS_CLI_OUTPUT(&o.outdir),
        GS_CLI_FORMAT(&o.plot.formats),
        GS_CLI_NO_PLOTS(&o.plots),
        GS_CLI_QUIET(&quiet),
        GS_CLI_END,
    };
    int prc = gs_cli_parse("discover", discover_usage, opts, argc, argv);
    if (prc >= 0) {
        rc = prc;
        goto out;
    }
    if (pl.n) {
        o.params = pl.names;
        o.n_params = pl.n;
    }
    if (have_box)
        o.prim.box = (long)box;
    o.prim.resamples = (size_t)resamples;
    if (optind < argc - 1) {
        gs_cli_errorf("discover: one run folder at a time");
        goto out;
    }
    if (optind == argc - 1)
        o.run_dir = argv[optind];
    if (!o.where) {
        gs_cli_errorf("discover: which futures? give --where, e.g. --where \"share@2030 "
                      ">= 0.49\"");
        fputs(discover_usage, stderr);
        goto out;
    }
    o.command = gs_strbuf_str(&cmd);
    gs_discover_report dr;
    gs_plot_report pr;
    gs_plot_report_init(&pr);
    if (gs_discover(&o, &dr, &pr, &e) != GS_OK) {
        rc = gs_cli_report(&e);
    } else {
        for (size_t i = 0; i < pr.n_warnings; i++)
            gs_cli_errorf("warning: %s", pr.warnings[i]);
        for (size_t i = 0; i < pr.n_charts; i++)
            if (!pr.charts[i].ok && !pr.gnuplot_missing)
                gs_cli_errorf("warning: chart %s: %s", pr.charts[i].file, pr.charts[i].message);
        if (dr.no_box)
            gs_cli_errorf("warning: no box reaches density %g; reporting the densest box",
                          o.prim.threshold);
        if (!quiet) {
            fputs(dr.summary, stdout);
            printf("\nOutputs in %s/\n", dr.outdir);
        }
        rc = 0;
    }
    gs_discover_report_clear(&dr);
    gs_plot_report_clear(&pr);
out:
    gs_strbuf_free(&cmd);
    free(pl.copy);
    return rc;
}
