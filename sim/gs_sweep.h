/* gs_sweep.h: sensitivity of a scenario to its own parameters.
 *
 * A sweep file (libconfig, configs/sweeps/) names a base scenario, a method
 * and the parameters to move.  Every design point is the base scenario with
 * "PATH=VALUE" overrides (a parameter given as a distribution becomes a
 * constant there), run with the SAME seed and number of trajectories as every
 * other point: the engine derives each parameter's stream from (seed, block,
 * path) and the process noise from (seed, block), so two points share every
 * draw but those of the parameters they set (common random numbers).  Every
 * metric of a point comes from gs_results_metric(), the code behind a run's
 * own files.  docs/sensitivity.md describes the methods and the files.
 */
#ifndef GS_SWEEP_H
#define GS_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gs_engine.h"
#include "gs_error.h"
#include "gs_plot.h"

/* A sweep method (oat, grid, morris, sobol, goal, ...): a type table row,
 * private to the library. */
typedef struct gs_sweep_type gs_sweep_type;

typedef struct gs_sweep_param {
    char *path;      /* "funds.fund2.size" */
    double min, max; /* NaN when not given */
    double *values;  /* listed values, ascending; NULL when not given */
    size_t n_values;
    int line;        /* line of the entry in the sweep file */
} gs_sweep_param;

typedef struct gs_sweep {
    char *file;             /* the sweep file as given */
    char *name;             /* [A-Za-z0-9._-]: used as a folder name */
    char *base;             /* base scenario, resolved against the sweep file's folder */
    const gs_sweep_type *type; /* the method */
    uint64_t trajectories;  /* 0: the base scenario's run.trajectories */
    uint64_t seed;          /* used when has_seed; else the base scenario's run.seed */
    bool has_seed;
    char **metrics;         /* gs_results_metric names */
    size_t n_metrics;
    char **sets;            /* extra "PATH=VALUE" overrides of the base, every point */
    size_t n_sets;
    gs_sweep_param *params;
    size_t n_params;
    void *opts;             /* the method's own options (its struct, private) */
} gs_sweep;

/* Reads and checks a sweep file; errors carry the file and line of the key.
 * The base scenario is loaded once to check every parameter path. */
gs_status gs_sweep_load(const char *file, gs_sweep **out, gs_error *err);
void gs_sweep_free(gs_sweep *s);
/* The method's name: "oat", "grid", "morris", "sobol", "goal", ... */
const char *gs_sweep_method_name(const gs_sweep *s);

/* One design point: the scenario file with sets applied, run with ro, and
 * the metrics through gs_results_metric into values[n_metrics].  Also
 * returns the results when res is not NULL (the caller frees them). */
gs_status gs_sweep_point(const char *scenario, const char *const *sets, size_t n_sets,
                         const gs_run_opts *ro, const char *const *metrics, size_t n_metrics,
                         double *values, gs_results **res, gs_error *err);

typedef struct gs_sweep_opts {
    uint64_t n;        /* trajectories per point; 0: the sweep's, else the base's */
    uint64_t seed;     /* used when has_seed */
    bool has_seed;
    int threads;       /* per run, >= 1 */
    /* Called after each design point. */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* The command as typed, for manifest.json; none when n_command_line is 0. */
    const char *const *command_line;
    size_t n_command_line;
    /* When not NULL, receives the number of design points at which a metric
     * had no value (flagged percentiles: empty in points.csv, named in its
     * "flagged" column, and left out of every analysis). */
    size_t *flagged_points;
} gs_sweep_opts;

void gs_sweep_opts_default(gs_sweep_opts *o);

/* Runs the sweep and writes its files (points.csv, the method's tables,
 * run_options.csv, summary.txt, and manifest.json, "kind": "sweep", last)
 * whole into outdir, which is created.  *summary (when not
 * NULL) receives the text of summary.txt, malloc'd.  An unreachable goal is
 * a result, not an error. */
gs_status gs_sweep_run(const gs_sweep *sw, const gs_sweep_opts *o, const char *outdir,
                       char **summary, gs_error *err);

/* Draws the charts of a finished sweep in outdir from its CSV files.  Status
 * as gs_plot_run_dir. */
gs_status gs_sweep_plot(const gs_sweep *sw, const char *outdir, const gs_plot_opts *o,
                        gs_plot_report *rep, gs_error *err);

#endif
