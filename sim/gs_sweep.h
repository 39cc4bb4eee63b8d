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

struct gs_sweep {
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
};

/* Loading, running and charts are declared in gapsim.h. */

#endif
