/* gs_sweep_impl.h: what the sweep files share; not part of the API.
 *
 * A sweep method is a type, in the manner of GSL's minimisers: a static
 * table row with its name, its own keys and the size of its option struct,
 * hooks to read and check them, the number of runs its design needs, the
 * run itself and its charts.  sweep_file.c reads the keys every method
 * shares and hands the others to the method; sweep_run.c runs the design
 * points; each method family has its file; sweep_plot.c draws. */
#ifndef GS_SWEEP_IMPL_H
#define GS_SWEEP_IMPL_H

#include "gs_sweep.h"

#include "gs_output.h"
#include "gs_scenario.h"
#include "gs_sens.h"
#include "gs_util.h"

#define SW_MAX_METRICS 64
#define SW_MAX_PARAMS GS_SENS_SOBOL_MAX_PARAMS
#define SW_MAX_VALUES 1000
#define SW_MAX_RUNS 200000

/* ---- reading (sweep_file.c) ----
 *
 * A sweep file is read by the scenario layer against parameter tables, as a
 * scenario is: the keys every method shares (sweep_file.c) and the method's
 * own (its type's params, paths "sweep.KEY").  Every message about a key
 * therefore has the file, the line and "did you mean" of a scenario's. */

typedef struct {
    const char *file;
    gs_error *err;
} sw_rd;

/* Was path set in the file (not left at its table default)? */
bool sw_given(const gs_scenario *t, const char *path);
/* A whole-number key's value (GS_PF_INT: the table checked it). */
size_t sw_count(const gs_scenario *t, const char *path);
/* A string key's value, copied (NULL when it is empty or out of memory:
 * *oom then says which). */
char *sw_strdup(const gs_scenario *t, const char *path, bool *oom);

/* ---- running (sweep_run.c) ---- */

/* The state of a running sweep: the base scenario (for quantiles of
 * distributions), run options, points.csv as it grows. */
typedef struct {
    const gs_sweep *sw;
    const gs_sweep_opts *o;
    gs_scenario *scn;
    gs_run_opts ro;
    size_t n_extra;      /* per-year metrics after sw->metrics */
    char **extra;
    int t0, T;
    gs_afile points;
    size_t runs, total;
    gs_error *err;
    /* Per metric (n_metrics + n_extra): design points where it has no value
     * (a percentile the quantile sketch flags, GS_SKETCH_COLLAPSED, or no
     * values at all); flagged_runs counts points with any, first_flagged is
     * the run number of the first. */
    size_t *flagged;
    size_t flagged_runs, first_flagged;
} sw_ctx;

/* Why an analysis of a metric was not made: it has no value at some points. */
extern const char SW_LOST_NOTE[];
/* The design rows of a metric that have no value (NaN) are counted, and
 * given placeholders (the row number) so that an estimator can still lay out
 * its table; the caller then discards every value computed from them and
 * writes the metric's rows empty with SW_LOST_NOTE.  Returns the count. */
size_t sw_placeholders(double *col, size_t rows);
/* The summary's sentence for a metric with lost rows. */
void sw_lost_summary(gs_strbuf *sum, const char *metric, size_t lost, size_t rows);

/* A number in a CSV cell or a sentence: %.10g, "" for NaN. */
const char *sw_num(char *s, size_t n, double v);
/* Whole numbers for GS_PF_INT parameters: the config layer refuses others. */
double sw_fit_value(const gs_pval *v, double x);
/* Runs the point where parameter i is x[i] (NaN: the base's own value or
 * distribution), with seed; writes its row of points.csv; y gets
 * n_metrics + n_extra values. */
gs_status sw_eval(sw_ctx *c, const double *x, uint64_t seed, double *y);
/* sw_eval of n points known in advance: point r is x[r * n_params ...] with
 * seeds[r], its values y[r * (n_metrics + n_extra) ...], rows of points.csv
 * in point order.  In a job (gs_job.h) the points are dealt round its
 * processes, each running its own alone, and gathered in point order: the
 * same rows and values as one process; the first point that fails, in point
 * order, gives the error. */
gs_status sw_eval_batch(sw_ctx *c, size_t n, const double *x, const uint64_t *seeds, double *y);
const gs_pval *sw_pval(const sw_ctx *c, size_t i);
/* The value of a distribution's quantile u (rounded and clamped as a draw). */
double sw_quantile(const sw_ctx *c, size_t i, double u);
/* The values a parameter takes in an OAT or grid sweep. */
gs_status sw_axis_values(const sw_ctx *c, size_t i, size_t levels, double **out, size_t *n);
void sw_header(FILE *f, const char *cols);
/* Indices of v by decreasing value; stable, so ties keep the file's order. */
void sw_rank_desc(const double *v, size_t n, size_t *ord);

/* ---- charts (sweep_plot.c) ---- */

typedef struct sw_plotter sw_plotter;

gs_status sw_plot_oat(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
gs_status sw_plot_grid(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
gs_status sw_plot_morris(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
gs_status sw_plot_sobol(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
gs_status sw_plot_goal(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
/* fast, rbd_fast, delta, pawn: bars of the method's index per metric. */
gs_status sw_plot_index(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);

/* ---- the methods' options ---- */

typedef struct {
    size_t levels;   /* per axis when a parameter lists no values */
    double contour;  /* NaN: none */
} sw_grid_opts;

typedef struct {
    size_t r;        /* trajectories */
    unsigned levels;
    size_t resamples;
} sw_morris_opts;

typedef struct {
    size_t n;             /* base samples */
    bool second_order;
    char *by_year;        /* output variable for per-year indices, NULL: none */
    char *by_year_stat;   /* "mean", "p50", ... */
    size_t resamples;
} sw_sobol_opts;

typedef struct {
    char *parameter;
    int parameter_line;
    char *metric;
    double level;
    double bracket[2];
    double tolerance;     /* absolute, in the parameter's unit */
    size_t max_iter;
    size_t repeats;       /* extra seeds (seed+1 ...) for the root's Monte Carlo spread */
} sw_goal_opts;

/* fast, rbd_fast, delta, pawn */
typedef struct {
    size_t n;            /* rows (fast: points per curve) */
    unsigned harmonics;  /* fast, rbd_fast: M */
    size_t replicates;   /* fast: designs with their own phases */
    size_t slides;       /* pawn */
    size_t resamples;
    unsigned long seed;  /* of the bootstrap: the run's seed, set at run time */
} sw_index_opts;

/* ---- the method type ---- */

struct gs_sweep_type {
    const char *name;
    size_t opts_size;
    const gs_param_def *params; /* the method's own keys ("sweep.levels"); NULL: none */
    bool takes_parameters;    /* a "parameters" list (else the method builds its own) */
    bool needs_spread;        /* a parameter that is a constant needs min/max or values */
    bool ranges_only;         /* min/max or a distribution, never values */
    size_t min_params;        /* in "parameters" */
    size_t max_params;
    const char *count_rule;   /* the message when the count is off, with %zu: the count */
    const char *lead_key;     /* a key whose metric leads the metrics ("sweep.metric"), or NULL */
    /* Defaults of the options the method's keys do not set. */
    void (*init)(void *opts);
    /* The method's keys, checked against params, into opts: the rules a
     * table cannot state (an even number, a positive tolerance), located at
     * the key with gs_scenario_errorf. */
    gs_status (*read)(const sw_rd *r, const gs_scenario *t, void *opts);
    /* After every key: defaults that depend on others, parameters the
     * method builds (goal). */
    gs_status (*finish)(const sw_rd *r, const gs_scenario *t, gs_sweep *sw);
    /* With the base scenario loaded; NULL: nothing more. */
    gs_status (*check)(const sw_rd *r, const gs_scenario *t, const gs_sweep *sw,
                       const gs_scenario *scn);
    /* A per-parameter rule beyond the flags; NULL: none. */
    gs_status (*check_param)(const sw_rd *r, const gs_sweep_param *p);
    /* The variable and statistic of per-year metrics, NULL: none. */
    const char *(*by_year)(const gs_sweep *sw, const char **stat);
    /* Model runs of the design, 0 when not known in advance. */
    size_t (*runs)(const gs_sweep *sw);
    gs_status (*run)(sw_ctx *c, const char *dir, gs_strbuf *sum);
    /* Appended to the summary's first sentence; NULL: nothing. */
    void (*note)(const sw_ctx *c, gs_strbuf *head);
    gs_status (*plot)(sw_plotter *p, const gs_sweep *sw, const char *dir, gs_error *err);
    void (*free)(void *opts);
};

extern const gs_sweep_type sw_type_oat, sw_type_grid, sw_type_morris, sw_type_sobol,
    sw_type_goal, sw_type_fast, sw_type_rbd_fast, sw_type_delta, sw_type_pawn;

/* Every method, in the order the documentation lists them. */
const gs_sweep_type *const *sw_types(size_t *n);

#endif
