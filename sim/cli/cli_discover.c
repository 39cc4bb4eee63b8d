/* gapsim discover */
#include <getopt.h>
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

static int share_opt(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi)) {
        gs_cli_errorf("%s: expected a number from %g to %g, got \"%s\"", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int gs_cli_discover(int argc, char **argv)
{
    static const struct option opts[] = {{"where", required_argument, NULL, 'w'},
                                         {"inputs", required_argument, NULL, 1},
                                         {"outcomes", required_argument, NULL, 2},
                                         {"id", required_argument, NULL, 3},
                                         {"params", required_argument, NULL, 4},
                                         {"threshold", required_argument, NULL, 5},
                                         {"box", required_argument, NULL, 6},
                                         {"alpha", required_argument, NULL, 7},
                                         {"paste-alpha", required_argument, NULL, 8},
                                         {"mass-min", required_argument, NULL, 9},
                                         {"resample", required_argument, NULL, 10},
                                         {"seed", required_argument, NULL, 11},
                                         {"output", required_argument, NULL, 'o'},
                                         {"format", required_argument, NULL, 12},
                                         {"no-plots", no_argument, NULL, 13},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    gs_discover_opts o;
    gs_discover_opts_default(&o);
    gs_error e;
    gs_error_clear(&e);
    char *plist = NULL;
    const char *params[MAX_PARAMS];
    int quiet = 0, rc = 2;
    uint64_t u;
    /* The command line as typed (getopt reorders argv), for the summary. */
    gs_strbuf cmd = {0};
    gs_strbuf_puts(&cmd, "gapsim");
    for (int i = 0; i < argc; i++)
        gs_strbuf_printf(&cmd, strpbrk(argv[i], " \"'<>=!$;&|*?") ? " '%s'" : " %s", argv[i]);
    optind = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":w:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'w': o.where = optarg; break;
        case 1: o.inputs = optarg; break;
        case 2: o.outcomes = optarg; break;
        case 3: o.id = optarg; break;
        case 4:
            free(plist);
            plist = gs_strdup(optarg);
            o.n_params = 0;
            for (char *s = strtok(plist, ","); s; s = strtok(NULL, ",")) {
                if (o.n_params == MAX_PARAMS) {
                    gs_cli_errorf("--params: at most %d", MAX_PARAMS);
                    goto out;
                }
                params[o.n_params++] = s;
            }
            if (!o.n_params) {
                gs_cli_errorf("--params: expected names separated by commas");
                goto out;
            }
            o.params = params;
            break;
        case 5:
            if (share_opt("--threshold", optarg, 0, 1, &o.prim.threshold))
                goto out;
            break;
        case 6:
            if (gs_cli_count("--box", optarg, 0, 1e9, &u))
                goto out;
            o.prim.box = (long)u;
            break;
        case 7:
            if (share_opt("--alpha", optarg, 1e-6, 0.49, &o.prim.alpha))
                goto out;
            break;
        case 8:
            if (share_opt("--paste-alpha", optarg, 1e-6, 0.49, &o.prim.paste_alpha))
                goto out;
            break;
        case 9:
            if (share_opt("--mass-min", optarg, 1e-9, 0.99, &o.prim.mass_min))
                goto out;
            break;
        case 10:
            if (gs_cli_count("--resample", optarg, 1, 10000, &u))
                goto out;
            o.prim.resamples = (size_t)u;
            break;
        case 11:
            if (gs_cli_count("--seed", optarg, 0, GS_SEED_MAX, &o.prim.seed))
                goto out;
            break;
        case 'o':
            if (gs_cli_folder_arg("discover", optarg))
                goto out;
            o.outdir = optarg;
            break;
        case 12:
            if (gs_plot_parse_formats(optarg, &o.plot.formats, &e) != GS_OK) {
                rc = gs_cli_report(&e);
                goto out;
            }
            break;
        case 13: o.plots = 0; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(discover_usage, stdout); rc = 0; goto out;
        default: rc = gs_cli_option_error("discover", c, argv); goto out;
        }
    }
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
    free(plist);
    return rc;
}
