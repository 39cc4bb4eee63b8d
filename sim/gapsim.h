/* gapsim.h: the public interface of libgapsim.
 *
 * This header is the whole API, the way sqlite3.h is SQLite's: a program that
 * links libgapsim uses what is declared here and nothing else; every other
 * header in the source tree is private to the library and may change.  The
 * shared library exports exactly the names marked GS_API.
 *
 * The calls, in the order a program makes them (docs/library.md):
 *   gs_gsl_quiet()                turn GSL's aborting error handler off, once
 *   gs_scenario_load_models()     read a scenario file against a set of models
 *   gs_sim_new()                  bind the models to it (checks across keys)
 *   gs_run_into_dir()             run it and write its output folder
 *   gs_results_*()                read what the run accumulated
 *   gs_results_free(), gs_sim_free(), gs_scenario_free()
 *
 * The library never prints and never exits: a failing call fills a gs_error
 * (status, file, line, one-sentence message) and returns its status.
 *
 * A model is a static const gs_model_type (below); the built-in models are
 * listed by gs_models_builtin(), and a program may hand the simulator its own
 * list with more models in it.
 */
#ifndef GAPSIM_H
#define GAPSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define GS_API __attribute__((visibility("default")))
#define GS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GS_API
#define GS_PRINTF(f, a)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH". */
GS_API const char *gs_version(void);

/* ================================================================ limits
 * Named once; the command line, the config layer and the engine all use
 * these. */
#define GS_MAX_DIMS 256              /* parameters given as distributions in one scenario */
#define GS_SEED_MAX 4294967295.0     /* largest seed (seeds are 32-bit) */
#define GS_MAX_TRAJECTORIES 1e10     /* largest -n of a run */
#define GS_MAX_POINT_TRAJECTORIES 1e9 /* largest -n of each design point of a sweep */
#define GS_MAX_THREADS 256           /* largest --threads */
#define GS_MAX_SETS 256              /* --set overrides of one command */
#define GS_MAX_WRITE_TRAJECTORIES 1000 /* rows of trajectories.csv */
/* Two process nodes (nm) are the same node when they differ by at most this
 * fraction of the larger: nodes are decimals read from configs and files. */
#define GS_NODE_RTOL 1e-9

/* The node rule, written once: a and b are the same node. */
GS_API int gs_node_same(double a, double b);
/* A leader at node x (nm) has reached node (x is at or below it). */
GS_API int gs_node_reached(double x, double node);

/* ================================================================ errors */

/* X(name, exit status, short text) */
#define GS_STATUS_LIST(X)                                   \
    X(GS_OK, 0, "ok")                                       \
    X(GS_EUSAGE, 2, "usage error")                          \
    X(GS_ECONFIG, 2, "configuration error")                 \
    X(GS_EINPUT, 2, "bad input file")                       \
    X(GS_EOUTPUT, 2, "output folder not writable")          \
    X(GS_ENOMEM, 1, "out of memory")                        \
    X(GS_EIO, 1, "input/output error")                      \
    X(GS_ERUN, 1, "run failed")                             \
    X(GS_EPLOT, 1, "chart failed")

typedef enum {
#define GS_X_ENUM(name, exit_status, text) name,
    GS_STATUS_LIST(GS_X_ENUM)
#undef GS_X_ENUM
} gs_status;

typedef struct gs_error {
    gs_status code;   /* GS_OK when nothing went wrong */
    char file[512];   /* file the problem is in, "" when none */
    int line;         /* 1-based line in file, 0 when unknown */
    char msg[1024];   /* one sentence, no trailing newline */
} gs_error;

GS_API void gs_error_clear(gs_error *e);

/* Fills e (when e is not NULL) and returns code.  file may be NULL. */
GS_API gs_status gs_error_set(gs_error *e, gs_status code, const char *file, int line,
                              const char *fmt, ...) GS_PRINTF(5, 6);

/* "FILE:LINE: msg", "FILE: msg" or "msg". */
GS_API void gs_error_format(const gs_error *e, char *buf, size_t n);

/* The exit status a program should end with after an error of status s. */
GS_API int gs_status_exit(gs_status s);

/* Turns GSL's aborting error handler off; call once before using GSL. */
GS_API void gs_gsl_quiet(void);

/* ====================================================== parameter tables
 *
 * Every key a scenario file may hold is described once, in the table of the
 * component that uses it (a model, or the engine's own table).  The config
 * layer knows nothing else: it checks each key against these tables, fills
 * defaults, range-checks values and reports problems with file and line. */

typedef enum {
    GS_PT_NUMBER,       /* a number, or (unless GS_PF_FIXED) a distribution */
    GS_PT_STRING,
    GS_PT_BOOL,
    GS_PT_NUMBER_ARRAY, /* [1.0, 2.0, ...]; lo/hi bound every element */
    GS_PT_STRING_ARRAY
} gs_ptype;

enum {
    GS_PF_FIXED = 1u << 0,    /* a plain number: no distribution allowed */
    GS_PF_INT = 1u << 1,      /* whole numbers; drawn values are rounded */
    GS_PF_REQUIRED = 1u << 2, /* no default: the scenario must give it */
    GS_PF_IDENT = 1u << 3,    /* string limited to [A-Za-z0-9._-] (used in file names) */
    /* On an item path ("sweep.parameters.*.path"): the collection is a list
     * of unnamed groups ( { ... }, { ... } ) rather than a group of named
     * ones; its items are named by position, "[0]", "[1]", ... */
    GS_PF_LIST = 1u << 4
};

typedef struct gs_param_def {
    const char *path;    /* dotted path; "*" stands for an item of a collection, e.g. "funds.*.size" */
    gs_ptype type;
    unsigned flags;      /* GS_PF_* */
    const char *unit;    /* "USD bn", "1/yr", "fraction", "year", "nm", "" */
    double def;          /* default of a number (ignored when GS_PF_REQUIRED) */
    const char *def_text;/* default of a string or array, as libconfig text: "\"lhs\"", "[7.0, 5.0]" */
    double lo, hi;       /* allowed range of a number (inclusive) */
    const char *doc;     /* one sentence: what it means */
} gs_param_def;

/* Tables end with an entry whose path is NULL. */
#define GS_PARAM_END {NULL, GS_PT_NUMBER, 0, NULL, 0.0, NULL, 0.0, 0.0, NULL}

/* ============================================================= scenarios
 *
 * A scenario is a libconfig file, which may inherit another (docs/config.md).
 * Every key is checked against the parameter tables of the engine and of the
 * models it is loaded for. */

typedef struct gs_scenario gs_scenario;
typedef struct gs_model_type gs_model_type;
typedef struct gs_results gs_results; /* what a run accumulated */
typedef struct gs_strbuf gs_strbuf;   /* a growing string */

/* Reads file against the engine's table and the tables of models
 * (NULL-terminated).  sets: n_sets strings "PATH=VALUE", VALUE in libconfig
 * syntax, applied as the most derived layer.  Errors carry file and line. */
GS_API gs_status gs_scenario_load_models(const gs_model_type *const *models, const char *file,
                                         const char *const *sets, size_t n_sets,
                                         gs_scenario **out, gs_error *err);
/* The same against an explicit NULL-terminated list of parameter tables. */
GS_API gs_status gs_scenario_load(const gs_param_def *const *tables, const char *file,
                                  const char *const *sets, size_t n_sets, gs_scenario **out,
                                  gs_error *err);
GS_API void gs_scenario_free(gs_scenario *s);

GS_API const char *gs_scenario_file(const gs_scenario *s);
/* The layers of a scenario, most derived first: every --set override (the
 * last one given first), the scenario file, then what it inherits.  For a
 * --set, *value is its VALUE text and the path is returned with file NULL;
 * for a file, the path is NULL and *file its name as opened. */
GS_API size_t gs_scenario_n_layers(const gs_scenario *s);
GS_API const char *gs_scenario_layer(const gs_scenario *s, size_t i, const char **file,
                                     const char **value);
/* "NAME" or "NAME + PATH = VALUE + ..." (overrides in command-line order),
 * malloc'd: how charts and summaries name a run with overrides. */
GS_API char *gs_scenario_label(const gs_scenario *s);
/* Index of a parameter (what theta is indexed by), -1 when unknown. */
GS_API long gs_scenario_index(const gs_scenario *s, const char *path);
/* printf-style path, for item parameters: gs_scenario_indexf(s, "segments.%s.weight", name). */
GS_API long gs_scenario_indexf(const gs_scenario *s, const char *fmt, ...) GS_PRINTF(2, 3);
/* Value of a constant number parameter (the median when it is a distribution). */
GS_API double gs_scenario_num(const gs_scenario *s, const char *path);
GS_API const char *gs_scenario_str(const gs_scenario *s, const char *path);
/* The elements of a number array parameter ("outputs.report_years"), in
 * file order: their count, with *values pointing into the scenario; 0 and
 * NULL when path is no array. */
GS_API size_t gs_scenario_array(const gs_scenario *s, const char *path, const double **values);
/* Items of a collection ("funds", "segments", "controls"), in file order;
 * names may be NULL. */
GS_API size_t gs_scenario_items(const gs_scenario *s, const char *collection,
                                char *const **names);
/* An error located at the setting of path (or at the scenario file when the
 * value is a default).  Returns GS_ECONFIG. */
GS_API gs_status gs_scenario_errorf(const gs_scenario *s, const char *path, gs_error *err,
                                    const char *fmt, ...) GS_PRINTF(4, 5);

/* ================================================================ models
 *
 * A model is a static const gs_model_type: a name, its parameter table, the
 * size of its bound configuration and of its per-trajectory state, and the
 * functions the engine calls.  The engine knows no model by name: it calls
 * the models it is handed, in the order given.
 *
 * Order of work within a year t (docs/model.md): every model's step() is
 * called for each phase in turn, the models in list order, so that a phase
 * reads only what earlier phases (or earlier years) wrote.  The built-in
 * models use them as:
 *   GS_PHASE_EVENTS   export-control measures in force; the frontier's node
 *   GS_PHASE_INVEST   market (cycle, consumption, world prices); fund money; tool spending
 *   GS_PHASE_NODE     the leader's node arrivals, penalties, allocation to rungs
 *   GS_PHASE_SHARE    capacity, output by owner and rung, shares on each basis
 *   GS_PHASE_CAPITAL  (free for models that need a step after output)
 *   GS_PHASE_RECORD   write this year's outputs into w->out
 */

typedef enum {
    GS_PHASE_EVENTS,
    GS_PHASE_INVEST,
    GS_PHASE_NODE,
    GS_PHASE_SHARE,
    GS_PHASE_CAPITAL,
    GS_PHASE_RECORD,
    GS_PHASE_COUNT
} gs_phase;

/* What one trajectory's models see of each other in the current year.  The
 * coupling area is declared by the models themselves (gs_shape_link at bind):
 * named blocks of doubles that a model writes in one phase and others read in
 * a later phase or year.  The engine only allocates it and zeroes it at the
 * start of every trajectory; it knows none of the names. */
typedef struct gs_world {
    int t0, T, t;           /* base year, horizon, current year */
    double *link;           /* the coupling area (blocks declared with gs_shape_link) */
    /* outputs of the current year, indexed by the slots declared at bind */
    double *out;
} gs_world;

/* What a model declares at bind: output variables and passage trackers. */
typedef struct gs_output_decl {
    char name[64];
    const char *unit;
    /* Discrete variables list the sorted values they take; a continuous one
     * has none (n_levels == 0) and is summarised by a quantile sketch of
     * stated relative accuracy over any range (docs/outputs.md). */
    const double *levels;
    size_t n_levels;
} gs_output_decl;

typedef enum { GS_TRACK_TARGET, GS_TRACK_MILESTONE } gs_track_kind;

/* A tracker follows one output: the first year it satisfies
 * out >= threshold (GS_TRACK_TARGET) or out <= threshold (milestone), and, for
 * targets, whether it does in the target year. */
typedef struct gs_tracker_decl {
    gs_track_kind kind;
    size_t output;          /* slot of the variable it follows */
    double threshold;       /* share value, or node in nm */
    int year;               /* target year (targets only) */
    char label[128];
} gs_tracker_decl;

/* A key figure compare.csv lists for an output variable: quantiles.csv
 * columns of that variable in every report year and the horizon, or in the
 * horizon only. */
typedef struct gs_figure_decl {
    const char *variable;   /* output name in quantiles.csv; NULL ends a list */
    const char *stats;      /* quantiles.csv columns, comma-separated: "p50,p05,p95" */
    int horizon_only;       /* 1: the horizon only */
} gs_figure_decl;

/* What the charts and compare.csv show of a model.  Chart names are
 * templates in the chart folder (plots/NAME.gp), which may read the model's
 * tables (gs_table_decl; plot checks them whole before drawing).  Every list
 * ends with NULL ({NULL} for figures); a NULL list is empty. */
typedef struct gs_plot_decl {
    const char *const *charts;         /* drawn for every run */
    const char *const *compare_charts; /* drawn by compare */
    const gs_figure_decl *figures;
} gs_plot_decl;

/* ------------------------------------------------------- report hooks
 *
 * What a run folder says of a model beyond its rows of quantiles.csv comes
 * from the model itself, through three declarations in its gs_model_type:
 *
 *   tables    report tables (CSV files) it writes into the run folder;
 *   summary   the lines it contributes to summary.txt;
 *   manifest  the collections whose item names manifest.json lists.
 *
 * Each hook is handed the model's bound configuration (what its bind()
 * filled in: output slots, item names), the scenario and the results, and
 * only reads them.  The library knows no model's outputs by name. */

/* A report table: file name in the run folder ("year_gap_dist.csv") and the
 * function that writes the whole file (header included, CRLF line ends,
 * fields through gs_csv_field) to f.  Write errors are caught when the file
 * is committed: the table is written whole or not at all.  Lists end with
 * {NULL, NULL}. */
typedef struct gs_table_decl {
    const char *file;
    void (*write)(const void *conf, const gs_scenario *scn, const gs_results *r, FILE *f);
} gs_table_decl;

/* summary.txt is a heading (scenario, trajectories, precision note), then
 * every model's headline block, then every model's detail block (models in
 * list order within a part), then any warning.  A model's summary hook is
 * called once per part and appends its block for that part to b, or nothing:
 * lines ending in "\n", no blank line at either end (the library puts one
 * blank line between two blocks). */
typedef enum {
    GS_SUMMARY_HEADLINE, /* the figures a reader quotes first */
    GS_SUMMARY_DETAIL,   /* supporting figures */
    GS_SUMMARY_PARTS
} gs_summary_part;

/* Appending to a growing string (summary blocks, outcome rows). */
GS_API void gs_strbuf_printf(gs_strbuf *b, const char *fmt, ...) GS_PRINTF(2, 3);
GS_API void gs_strbuf_puts(gs_strbuf *b, const char *s);

/* Report formatting shared by every model, so that all summaries read alike.
 * A probability as a percentage with the digits that tell small and
 * near-certain ones apart ("0.05%", "31.7%", "99.96%", "n/a" when not finite);
 * returns buf. */
GS_API const char *gs_fmt_pct(char *buf, size_t n, double p);
/* A first year: "2031", or "after T" when it lies beyond the horizon T. */
GS_API const char *gs_fmt_year(char *buf, size_t n, int year, int T);
/* One CSV field (RFC 4180): quoted when it holds a comma, quote, line break,
 * or leading or trailing space, with quotes doubled. */
GS_API void gs_csv_field(FILE *f, const char *s);

typedef struct gs_shape gs_shape;
/* Declares an output slot; returns its index or -1 on allocation failure. */
GS_API long gs_shape_output(gs_shape *sh, const gs_output_decl *d);
GS_API long gs_shape_tracker(gs_shape *sh, const gs_tracker_decl *d);
/* Declares a block of n doubles named name in the coupling area (w->link)
 * and returns its offset.  Every model that declares the same name with the
 * same n gets the same block, so a writer and its readers find each other by
 * name; -1 on allocation failure or when name was declared with another n. */
GS_API long gs_shape_link(gs_shape *sh, const char *name, size_t n);

struct gs_model_type {
    const char *name;
    const char *doc;
    const gs_param_def *params;  /* the model's keys; ends with GS_PARAM_END */
    size_t conf_size;            /* bytes of the bound configuration */
    /* Reads the resolved scenario into conf (parameter indices, structure),
     * checks what the table cannot (sums, cross references), declares
     * outputs and trackers.  Errors point at the offending setting. */
    gs_status (*bind)(void *conf, const gs_scenario *scn, gs_shape *sh, gs_error *err);
    void (*unbind)(void *conf);
    size_t (*state_size)(const void *conf);
    /* Uniforms the model consumes: n_init at the start of a trajectory and
     * n_year every year.  Fixed by the structure of the scenario, never by
     * drawn values, so that trajectory j sees the same process noise at every
     * design point of a sweep (common random numbers). */
    void (*noise)(const void *conf, size_t *n_init, size_t *n_year);
    /* State at the base year.  theta holds every parameter's value for this
     * trajectory (indexed as gs_scenario_index). */
    void (*init)(const void *conf, void *state, const double *theta, gs_world *w,
                 const double *u);
    void (*step)(const void *conf, void *state, const double *theta, gs_world *w, gs_phase ph,
                 const double *u);
    const gs_plot_decl *plot;    /* charts and key figures; NULL: none */
    /* Report hooks (above); each may be NULL. */
    const gs_table_decl *tables; /* report tables in the run folder */
    void (*summary)(const void *conf, const gs_scenario *scn, const gs_results *r,
                    gs_summary_part part, gs_strbuf *b);
    const char *const *manifest; /* collections manifest.json lists: {"segments", NULL} */
};

/* The models of gapsim, in the order the engine calls them; ends with NULL. */
GS_API const gs_model_type *const *gs_models_builtin(void);
GS_API extern const gs_model_type gs_model_frontier; /* frontier random walk and export controls */
GS_API extern const gs_model_type gs_model_invest;   /* fund tranches and tool spending by owner */
GS_API extern const gs_model_type gs_model_industry; /* market, node ladder, capacity, shares */

/* ============================================================ simulation
 *
 * Trajectories are split into blocks; block b draws its parameters and its
 * process noise from streams derived from (seed, b): results are
 * byte-identical for any thread count.  Memory depends on the number of
 * outputs and years and on the spread of each output's values, not on the
 * number of trajectories. */

/* How a block draws its parameters' uniforms: plain Monte Carlo, a Latin
 * hypercube, or the block's points of Sobol' sequence (GSL, at most
 * GS_QMC_MAX_DIMS sampled parameters) under a random shift modulo 1 drawn per
 * block and parameter, so that every block is an independent randomised
 * quasi-Monte Carlo sample and the run stays byte-identical for any thread
 * count. */
typedef enum { GS_SAMPLER_MC, GS_SAMPLER_LHS, GS_SAMPLER_QMC } gs_sampler;
#define GS_QMC_MAX_DIMS 40
/* "mc", "lhs" or "qmc"; -1 for any other name. */
GS_API int gs_sampler_from_name(const char *name);
/* The name of a sampler ("mc", "lhs", "qmc"). */
GS_API const char *gs_sampler_name(gs_sampler s);

/* An accumulator of one observed variable, for the backtest. */
typedef struct gs_probe gs_probe;
/* Per-trajectory outcomes (outcomes.csv), made for a bound simulator. */
typedef struct gs_outcomes gs_outcomes;

/* A figure --precision also bounds: the p-quantile (or, with p < 0, the
 * mean) of output var in year, to a 95 % half-width of at most h. */
typedef struct gs_precision_quantile {
    size_t var;
    int year;
    double p;
    double h;
} gs_precision_quantile;

typedef struct gs_run_opts {
    uint64_t n;            /* trajectories; with precision > 0, the most to run */
    uint64_t seed;
    int threads;           /* >= 1 */
    gs_sampler sampler;
    double precision;      /* > 0: stop once every target's 95 % half-width is <= this */
    const gs_precision_quantile *prec_q; /* and once each of these figures' is <= its h */
    size_t n_prec_q;
    /* Called after each wave with trajectories done and the most that will run. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    FILE *params_out;      /* gs_sim_run: parameters.csv rows, header included, when set */
    FILE *traj_out;        /* gs_sim_run: trajectories.csv rows of the first traj_max */
    uint64_t traj_max;
    /* When n_fixed > 0: parameter fixed_param[k] (a gs_scenario_index of a
     * number parameter) takes fixed_value[k] in every trajectory, over its
     * draw and over parameters_from (calibration evaluates a parameter vector
     * this way: the other parameters and the process noise are drawn as
     * usual, so that every vector sees the same random numbers). */
    const size_t *fixed_param;
    const double *fixed_value;
    size_t n_fixed;
    const gs_probe *probes; /* when n_probes > 0: per-observation accumulators (backtest) */
    size_t n_probes;
    /* When outcome_row is set, it is called once per trajectory (in a worker
     * thread) with its outputs out[var * years + (t - t0)] and the first
     * year each tracker was met (NAN when never); when outcomes_out is set
     * too, what it appends to row is written there in trajectory order. */
    FILE *outcomes_out;
    void (*outcome_row)(void *ctx, gs_strbuf *row, uint64_t trajectory, const double *out,
                        const double *first_year);
    void *outcome_ctx;
    /* gs_run_into_dir only (it opens the files itself): */
    int write_parameters;        /* also write parameters.csv */
    uint64_t write_trajectories; /* > 0: also write trajectories.csv with the first this many */
    gs_outcomes *outcomes;       /* when set: also write outcomes.csv, one row a trajectory */
    const char *const *precision_goals; /* the texts of prec_q, for the manifest */
    size_t n_precision_goals;
    const char *const *command_line;    /* argv of the command, for the manifest (may be NULL) */
    size_t n_command_line;
} gs_run_opts;

/* n = 10000, seed 1, one thread, Latin hypercube, no precision target, no files. */
GS_API void gs_run_opts_default(gs_run_opts *o);
/* The scenario's own run.trajectories, run.seed and run.sampler. */
GS_API void gs_run_opts_from_scenario(gs_run_opts *o, const gs_scenario *scn);

typedef struct gs_sim gs_sim; /* a scenario bound to the models */

/* Binds models (NULL-terminated, called in this order) to the scenario; the
 * scenario must have been loaded for the same models.  Both must outlive the
 * gs_sim. */
GS_API gs_status gs_sim_new(const gs_scenario *scn, const gs_model_type *const *models,
                            gs_sim **out, gs_error *err);
GS_API void gs_sim_free(gs_sim *sim);
GS_API const gs_scenario *gs_sim_scenario(const gs_sim *sim);
/* What the bound models declared: output slots and trackers. */
GS_API int gs_sim_t0(const gs_sim *sim);
GS_API int gs_sim_T(const gs_sim *sim);
GS_API size_t gs_sim_n_outputs(const gs_sim *sim);
GS_API const gs_output_decl *gs_sim_output(const gs_sim *sim, size_t i);
GS_API size_t gs_sim_n_trackers(const gs_sim *sim);
GS_API const gs_tracker_decl *gs_sim_tracker(const gs_sim *sim, size_t k);

GS_API gs_status gs_sim_run(gs_sim *sim, const gs_run_opts *o, gs_results **out,
                            gs_error *err);

GS_API void gs_results_free(gs_results *r);
/* With a precision goal: 1 when every figure met it; 0 when the run stopped at
 * its trajectory cap first, with what naming the first figure that did not
 * ("target:2030", "share_total@2030:p50", "share_total@2030:mean"), its 95 %
 * half-width and the goal; -1 without a precision goal.  The quantile
 * half-width is distribution-free: half the distance between the quantiles
 * at p -+ 1.96 sqrt(p (1 - p) / n). */
GS_API int gs_results_precision(const gs_results *r, const char **what, double *half_width,
                                double *goal);
GS_API int gs_results_t0(const gs_results *r);
GS_API int gs_results_T(const gs_results *r);
GS_API uint64_t gs_results_trajectories(const gs_results *r);
GS_API size_t gs_results_n_outputs(const gs_results *r);
GS_API const gs_output_decl *gs_results_output(const gs_results *r, size_t i);
GS_API long gs_results_find(const gs_results *r, const char *name); /* -1 when absent */
GS_API double gs_results_mean(const gs_results *r, size_t var, int year);
GS_API double gs_results_sd(const gs_results *r, size_t var, int year);
/* The p-quantile (0..1) as the inverse empirical CDF: for continuous outputs
 * from the run's quantile sketch, within its stated relative accuracy of the
 * order statistic, or NAN when it cannot be given to that accuracy; for
 * discrete ones the smallest level with cumulative share >= p (exact). */
GS_API double gs_results_quantile(const gs_results *r, size_t var, int year, double p);
/* The empirical CDF of an output in a year at x (share of trajectories with
 * value <= x), with bounds: exact for discrete outputs, for continuous ones
 * the values in the sketch bucket holding x are counted in *hi but not in
 * *lo.  Returns the midpoint; lo and hi may be NULL. */
GS_API double gs_results_cdf(const gs_results *r, size_t var, int year, double x, double *lo,
                             double *hi);
/* Discrete outputs: share of trajectories at level k in year. */
GS_API double gs_results_level_prob(const gs_results *r, size_t var, int year, size_t k);

GS_API size_t gs_results_n_trackers(const gs_results *r);
GS_API const gs_tracker_decl *gs_results_tracker(const gs_results *r, size_t k);
/* Targets: P(output >= threshold in the target year); milestones: P(reached
 * by the horizon); with the 95 % Wilson interval. */
GS_API void gs_results_tracker_prob(const gs_results *r, size_t k, double *p, double *lo,
                                    double *hi);
/* Targets: P(output >= threshold in some year up to the target year), the
 * "reached by" probability, with its 95 % Wilson interval; for milestones
 * the same as gs_results_tracker_prob. */
GS_API void gs_results_tracker_prob_by(const gs_results *r, size_t k, double *p, double *lo,
                                       double *hi);
/* q-quantile of the first year; T + 1 when it lies beyond the horizon. */
GS_API int gs_results_tracker_first(const gs_results *r, size_t k, double q);
GS_API double gs_results_tracker_never(const gs_results *r, size_t k);

/* The metrics a sweep or a comparison quotes, computed by the same code as
 * the files:  "target:2030" (probability of the target of that year),
 * "share_total@2030:p50" (or :mean, :sd, :p05 ... :p95, any :pNN),
 * "milestone:7nm:p50" (median first year; p05/p95 too; "milestone:7nm:prob").
 * Returns GS_EUSAGE with a message for an unknown metric. */
GS_API gs_status gs_results_metric(const gs_results *r, const char *metric, double *value,
                                   gs_error *err);

/* ======================================================= output folders */

/* What made the run, for manifest.json. */
typedef struct gs_run_info {
    const char *config_file;
    uint64_t seed;
    uint64_t trajectories_asked;
    const char *sampler;   /* "mc", "lhs" or "qmc" */
    int threads;
    double precision;      /* 0 when off */
    const char *const *precision_goals; /* the --precision FIGURE=H texts */
    size_t n_precision_goals;
    char started[32], finished[32]; /* ISO 8601 UTC */
    double elapsed_seconds;
    int wrote_parameters;    /* parameters.csv is part of the run */
    int wrote_trajectories;  /* trajectories.csv is part of the run */
    int wrote_outcomes;      /* outcomes.csv is part of the run */
    const char *const *command_line; /* argv, for the manifest's "command_line" */
    size_t n_command_line;
} gs_run_info;

/* Runs sim with o and writes its output folder dir (docs/outputs.md):
 * creates the folder, writes parameters.csv and trajectories.csv when o asks,
 * every table, summary.txt and manifest.json, each file whole or absent.
 * Charts are drawn separately (gapsim plot).  On success *res (when res is
 * not NULL) holds the results, for the caller to free, and *info (when not
 * NULL) what the manifest records. */
GS_API gs_status gs_run_into_dir(gs_sim *sim, const gs_run_opts *o, const char *dir,
                                 gs_results **res, gs_run_info *info, gs_error *err);

/* The headline text (summary.txt), malloc'd; NULL when out of memory. */
GS_API char *gs_summary_text(const gs_sim *sim, const gs_results *r, const gs_run_info *info);

/* Writes quantiles.csv, targets.csv, milestones.csv, the models' report
 * tables, summary.txt and manifest.json into the existing folder dir. */
GS_API gs_status gs_write_outputs(const gs_sim *sim, const gs_results *r,
                                  const gs_run_info *info, const char *dir, gs_error *err);

/* ========================================================== calibration
 *
 * gs_calibrate learns the parameters a scenario gives as distributions (its
 * priors) from observations (the backtest's file and plan: gs_backtest.h),
 * by approximate Bayesian computation (docs/calibration.md).  Every
 * parameter vector is run for a small batch of trajectories that share
 * common random numbers (the same seed for every vector: the other
 * parameters and the process noise are the same draws), and each trajectory
 * is compared with the observations as a data set would be: its value at
 * each observed point plus the observation's error N(0, sd), each residual
 * divided by the spread the prior predicts for it.  A vector's ABC
 * likelihood at tolerance eps is the share of its trajectories within eps.
 *
 * abc-smc: a sequential Monte Carlo sampler (Toni et al. 2009) with the
 * adaptive tolerances of Del Moral, Doucet and Jasra (2012): each generation
 * lowers eps as far as keeps the share ess_keep of the effective sample
 * size, resamples when the ESS falls below half the population, and moves
 * every vector by Metropolis-Hastings steps with a Gaussian kernel of the
 * weighted population covariance times min(2, 2.38^2 / parameters) (as many steps as give each vector a
 * 90 % chance to have moved, Drovandi and Pettitt 2011, at most max_moves).  importance: prior draws weighted by
 * their ABC likelihood at the eps that keeps ess_keep of the population.
 *
 * Both work in the priors' normal scores (z with Phi(z) the prior's
 * probability, the rank correlations' copula applied as a run applies it),
 * where every prior family is a standard normal: no density of a family is
 * needed, and no move leaves a prior's support.  Deterministic: the same
 * seed gives the same posterior for any thread count.  Memory grows with the
 * population, trajectories per vector and observations, not with the runs. */

typedef enum { GS_CALIB_ABC_SMC, GS_CALIB_IMPORTANCE } gs_calib_method;

typedef struct gs_calib_opts {
    gs_calib_method method;
    const char *observations;   /* the observations file (required) */
    int until;                  /* last year of observations used; 0: the horizon */
    const char *const *params;  /* parameter paths; n_params 0: every distribution */
    size_t n_params;
    size_t population;          /* parameter vectors (default 200) */
    uint64_t trajectories;      /* trajectories per vector (default 16) */
    uint64_t seed;
    int threads;                /* >= 1; results do not depend on it */
    size_t max_generations;     /* abc-smc: at most this many after the prior's (default 20) */
    size_t max_moves;           /* abc-smc: moves a generation makes at most (default 5): as many
                                 * as leave each vector a 90 % chance of having moved */
    double ess_keep;            /* share of the ESS a tolerance step keeps (abc-smc 0.5; importance 0.1) */
    double min_acceptance;      /* abc-smc stops when the moves' acceptance falls below (0.01),
                                 * or when a generation lowers the tolerance by under 1 % */
    /* Called after each generation (0: the prior's). */
    void (*progress)(void *ctx, size_t generation, double tolerance, double ess,
                     double acceptance);
    void *progress_ctx;
} gs_calib_opts;

/* abc-smc, population 200, 16 trajectories, seed 1, one thread, the rest as above. */
GS_API void gs_calib_opts_default(gs_calib_opts *o);
/* "abc-smc" or "importance"; -1 for any other name. */
GS_API int gs_calib_method_from_name(const char *name);
GS_API const char *gs_calib_method_name(gs_calib_method m);

typedef struct gs_calib gs_calib;

/* Calibrates the scenario of sim.  Unknown or constant --params paths,
 * observations outside the scenario and observations no parameter moves are
 * errors with file and line (status 2). */
GS_API gs_status gs_calibrate(gs_sim *sim, const gs_calib_opts *o, gs_calib **out,
                              gs_error *err);
GS_API void gs_calib_free(gs_calib *c);
GS_API size_t gs_calib_n_params(const gs_calib *c);
GS_API const char *gs_calib_param(const gs_calib *c, size_t i);
/* The posterior: n_draws weighted parameter vectors (weights sum to 1). */
GS_API size_t gs_calib_n_draws(const gs_calib *c);
GS_API double gs_calib_value(const gs_calib *c, size_t draw, size_t i);
GS_API double gs_calib_weight(const gs_calib *c, size_t draw);
/* The weighted p-quantile of parameter i under the posterior, and under the prior. */
GS_API double gs_calib_quantile(const gs_calib *c, size_t i, double p);
GS_API double gs_calib_prior_quantile(const gs_calib *c, size_t i, double p);
GS_API double gs_calib_ess(const gs_calib *c);
/* Generations, the prior's (0) included: tolerance (INFINITY for the
 * prior's), ESS after reweighting, acceptance of the moves (1 for the
 * prior's), trajectories run. */
GS_API size_t gs_calib_n_generations(const gs_calib *c);
GS_API void gs_calib_generation(const gs_calib *c, size_t g, double *tolerance, double *ess,
                                double *acceptance, uint64_t *trajectories);
/* Trajectories run in all. */
GS_API uint64_t gs_calib_trajectories(const gs_calib *c);

/* Writes posterior.csv, calibration.txt, calibrated.cfg (inheriting
 * config_file, found from dir's folder as given), the chart tables and
 * manifest.json into the existing folder dir; *text (when text is set) gets
 * calibration.txt's text (malloc'd).  argv: the command line, for the
 * manifest (may be NULL). */
GS_API gs_status gs_calib_write(const gs_calib *c, const char *config_file, const char *dir,
                                const char *const *argv, size_t argc, char **text,
                                gs_error *err);

/* ============================================ sweeps, charts, discovery
 *
 * The work of `gapsim sweep`, `plot`, `compare` and `discover` as calls;
 * the commands are thin layers over these (docs/library.md). */

/* ---- charts (gnuplot, started without a shell; docs/charts.md) ---- */

#define GS_PLOT_PNG 1u /* pngcairo, the default */
#define GS_PLOT_SVG 2u
#define GS_PLOT_PDF 4u

typedef struct gs_plot_opts {
    unsigned formats; /* GS_PLOT_PNG | GS_PLOT_SVG | GS_PLOT_PDF, at least one */
    int width;        /* pixels (PDF: 160 pixels to the inch), 320..10000 */
    int height;       /* pixels, 240..10000 */
} gs_plot_opts;

/* PNG, 1600 x 900. */
GS_API void gs_plot_opts_default(gs_plot_opts *o);

typedef struct gs_plot_chart {
    char file[64];     /* chart file name in the output folder, "fan_share.png" */
    int ok;            /* 1 when the chart was written */
    char message[1024];/* when not ok: why (gnuplot's last error line); else "" */
} gs_plot_chart;

typedef struct gs_plot_report {
    gs_plot_chart *charts; /* one per chart and format tried */
    size_t n_charts;
    size_t n_ok, n_failed;
    int gnuplot_missing;   /* 1 when gnuplot could not be started: nothing drawn */
    char **warnings;       /* one sentence each, for "gapsim: %s\n" on stderr */
    size_t n_warnings;
} gs_plot_report;

GS_API void gs_plot_report_init(gs_plot_report *r);
/* Frees what the report holds and empties it; NULL is harmless. */
GS_API void gs_plot_report_clear(gs_plot_report *r);

/* "png", "svg,pdf", ...: comma-separated, case-insensitive, no repeats needed. */
GS_API gs_status gs_plot_parse_formats(const char *list, unsigned *formats, gs_error *err);
/* "1600x900" */
GS_API gs_status gs_plot_parse_size(const char *text, int *width, int *height, gs_error *err);

/* Draws every chart of the run in rundir into rundir.  GS_OK when all were
 * written; GS_EPLOT when gnuplot is missing or a chart failed (rep says
 * which; the CSV files are untouched); GS_EINPUT for a folder that is not a
 * finished run; GS_EOUTPUT when the folder is not writable. */
GS_API gs_status gs_plot_run_dir(const char *rundir, const gs_plot_opts *o, gs_plot_report *rep,
                                 gs_error *err);

/* Compares n >= 2 finished runs: writes outdir/compare.csv (key figures of
 * each scenario and their differences from the first) and the compare charts.
 * outdir is created when missing.  Status as gs_plot_run_dir (GS_EUSAGE for
 * n < 2); compare.csv is written even when charts fail. */
GS_API gs_status gs_compare_dirs(const char **dirs, size_t n, const char *outdir,
                                 const gs_plot_opts *o, gs_plot_report *rep, gs_error *err);

/* ---- sweeps (docs/sensitivity.md) ---- */

/* A sweep file, read and checked. */
typedef struct gs_sweep gs_sweep;

/* Reads and checks a sweep file; errors carry the file and line of the key.
 * The base scenario is loaded once to check every parameter path. */
GS_API gs_status gs_sweep_load(const char *file, gs_sweep **out, gs_error *err);
GS_API void gs_sweep_free(gs_sweep *s);
/* The method's name: "oat", "grid", "morris", "sobol", "goal", ... */
GS_API const char *gs_sweep_method_name(const gs_sweep *s);

/* One design point: the scenario file with sets applied, run with ro, and
 * the metrics through gs_results_metric into values[n_metrics].  Also
 * returns the results when res is not NULL (the caller frees them). */
GS_API gs_status gs_sweep_point(const char *scenario, const char *const *sets, size_t n_sets,
                                const gs_run_opts *ro, const char *const *metrics,
                                size_t n_metrics, double *values, gs_results **res,
                                gs_error *err);

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

GS_API void gs_sweep_opts_default(gs_sweep_opts *o);

/* Runs the sweep and writes its files (points.csv, the method's tables,
 * run_options.csv, summary.txt, and manifest.json, "kind": "sweep", last)
 * whole into outdir, which is created.  *summary (when not
 * NULL) receives the text of summary.txt, malloc'd.  An unreachable goal is
 * a result, not an error. */
GS_API gs_status gs_sweep_run(const gs_sweep *sw, const gs_sweep_opts *o, const char *outdir,
                              char **summary, gs_error *err);

/* Draws the charts of a finished sweep in outdir from its CSV files.  Status
 * as gs_plot_run_dir. */
GS_API gs_status gs_sweep_plot(const gs_sweep *sw, const char *outdir, const gs_plot_opts *o,
                               gs_plot_report *rep, gs_error *err);

/* ---- scenario discovery (PRIM; docs/discovery.md) ---- */

typedef struct gs_prim_opts {
    double alpha;         /* share of the box's points one peel removes (0.05) */
    double paste_alpha;   /* share of the box's points one paste adds (0.05) */
    double mass_min;      /* no box with fewer than this share of all points (0.05) */
    double threshold;     /* box choice: greatest coverage with density >= this (0.8) */
    long box;             /* >= 0: choose this trajectory step instead */
    size_t resamples;     /* stability check: PRIM on this many random subsets (0: none) */
    double resample_share;/* size of each subset as a share of the points (0.5) */
    uint64_t seed;        /* of the subsets */
} gs_prim_opts;

GS_API void gs_prim_opts_default(gs_prim_opts *o);

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

GS_API void gs_discover_opts_default(gs_discover_opts *o);

typedef struct gs_discover_report {
    char *summary;         /* the text of prim_summary.txt, malloc'd */
    char outdir[4096];
    int no_box;            /* 1 when no box reached the density threshold */
    size_t empty_values;   /* rows whose outcome field was empty (counted as not meeting it) */
} gs_discover_report;

/* Runs the discovery and writes its files.  Bad tables are GS_EINPUT with
 * file and line; a chart that fails is reported in rep (status GS_OK). */
GS_API gs_status gs_discover(const gs_discover_opts *o, gs_discover_report *out,
                             gs_plot_report *rep, gs_error *err);
GS_API void gs_discover_report_clear(gs_discover_report *r);

#ifdef __cplusplus
}
#endif

#endif
