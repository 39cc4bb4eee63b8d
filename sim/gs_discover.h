/* gs_discover.h: scenario discovery on a run folder or on any pair of tables.
 *
 * Inputs are a CSV table of input values (one column per parameter) and a
 * CSV table of outcomes, joined by an id column; a condition on one outcome
 * column ("share_total@2030 >= 0.49") marks the futures of interest, and PRIM
 * (gs_prim.h) finds the box of inputs where they concentrate.  Writes
 * prim_trajectory.csv, prim_box.csv, prim_stability.csv (with resampling),
 * prim_summary.txt and the charts prim_tradeoff and prim_box into the output
 * folder.  docs/discovery.md describes the files. */
#ifndef GS_DISCOVER_H
#define GS_DISCOVER_H

#include <stddef.h>

#include "gs_error.h"
#include "gs_plot.h"
#include "gs_prim.h"

typedef struct gs_discover_opts {
    const char *run_dir;   /* a run folder with parameters.csv and outcomes.csv, or NULL */
    const char *inputs;    /* else: the two tables */
    const char *outcomes;
    const char *id;        /* join column; NULL: "trajectory" in a run folder, else "id" */
    const char *where;     /* "COLUMN OP NUMBER", OP one of >= > <= < == !=; or "COLUMN" (!= 0) */
    const char *const *params; /* input columns to use (NULL: all but the id) */
    size_t n_params;
    gs_prim_opts prim;
    const char *outdir;    /* NULL: RUN_DIR/discover, else out/discover */
    int plots;             /* draw the charts */
    gs_plot_opts plot;
    const char *command;   /* the command line, for the provenance of the files */
} gs_discover_opts;

void gs_discover_opts_default(gs_discover_opts *o);

typedef struct gs_discover_report {
    char *summary;         /* the text of prim_summary.txt, malloc'd */
    char outdir[4096];
    int no_box;            /* 1 when no box reached the density threshold */
    size_t empty_values;   /* rows whose outcome field was empty (counted as not meeting it) */
} gs_discover_report;

/* Runs the discovery and writes its files.  Bad tables are GS_EINPUT with
 * file and line; a chart that fails is reported in rep (status GS_OK). */
gs_status gs_discover(const gs_discover_opts *o, gs_discover_report *out, gs_plot_report *rep,
                      gs_error *err);
void gs_discover_report_clear(gs_discover_report *r);

#endif
