/* gs_model.h: the one small interface every model implements.
 *
 * A model is a static const gs_model_type: a name, its parameter table, the
 * size of its bound configuration and of its per-trajectory state, and the
 * functions the engine calls.  The engine knows no model by name: it walks
 * the registry (gs_models()).  Models talk to each other only through the
 * gs_world of a trajectory, whose fields are the coupling variables.
 *
 * Order of work within a year t (part of the model, documented in
 * docs/model.md): every model's step() is called for each phase in turn, the
 * models in registry order (fund, node, share):
 *   GS_PHASE_EVENTS   funding crunch starts and ends; export-control measures
 *   GS_PHASE_INVEST   investment I(t) and its split to segments
 *   GS_PHASE_NODE     node progress; a generation arriving in t is current in t
 *   GS_PHASE_SHARE    competitiveness, output and shares from the capital at the start of t
 *   GS_PHASE_CAPITAL  capital and demand for t+1
 *   GS_PHASE_RECORD   write this year's outputs into w->out
 */
#ifndef GS_MODEL_H
#define GS_MODEL_H

#include <stddef.h>

#include "gs_error.h"
#include "gs_param.h"
#include "gs_scenario.h"

typedef enum {
    GS_PHASE_EVENTS,
    GS_PHASE_INVEST,
    GS_PHASE_NODE,
    GS_PHASE_SHARE,
    GS_PHASE_CAPITAL,
    GS_PHASE_RECORD,
    GS_PHASE_COUNT
} gs_phase;

/* The coupling variables of one trajectory in the current year. */
typedef struct gs_world {
    int t0, T, t;           /* base year, horizon, current year */
    size_t n_seg;           /* segments of the scenario, in config order */
    /* fund -> node, share */
    double invest;          /* I(t), effective investment, USD bn a year */
    double *invest_seg;     /* I_i(t), USD bn a year (n_seg) */
    int crunch;             /* 1 while a funding crunch is on */
    /* node -> share */
    double node_domestic_nm;/* domestic leader's current node, nm */
    double year_gap;        /* years since the frontier introduced the domestic node */
    double *seg_penalty;    /* prod (1 - pi_m) over active measures touching segment i (n_seg) */
    /* outputs of the current year, indexed by the slots declared at bind */
    double *out;
} gs_world;

/* What a model declares at bind: output variables and passage trackers. */
typedef struct gs_output_decl {
    char name[64];
    const char *unit;
    /* Discrete variables list the sorted values they take; a continuous one
     * has none (n_levels == 0) and is summarised by a quantile sketch of
     * relative accuracy GS_SKETCH_ALPHA over any range. */
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
 * templates in the chart folder (plots/NAME.gp); tables are CSV files the
 * model writes into a run folder and its charts read (plot checks them
 * whole before drawing).  Every list ends with NULL ({NULL} for figures);
 * a NULL list is empty. */
typedef struct gs_plot_decl {
    const char *const *charts;         /* drawn for every run */
    const char *const *compare_charts; /* drawn by compare */
    const char *const *tables;         /* "year_gap_dist.csv" */
    const gs_figure_decl *figures;
} gs_plot_decl;

typedef struct gs_shape gs_shape;
/* Declares an output slot; returns its index or -1 on allocation failure. */
long gs_shape_output(gs_shape *sh, const gs_output_decl *d);
long gs_shape_tracker(gs_shape *sh, const gs_tracker_decl *d);

typedef struct gs_model_type {
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
     * trajectory (indexed as the scenario's gs_pval). */
    void (*init)(const void *conf, void *state, const double *theta, gs_world *w,
                 const double *u);
    void (*step)(const void *conf, void *state, const double *theta, gs_world *w, gs_phase ph,
                 const double *u);
    const gs_plot_decl *plot;    /* charts and key figures; NULL: none */
} gs_model_type;

/* The registry, in the order the engine calls the models; ends with NULL. */
const gs_model_type *const *gs_models(void);
/* Every parameter table (the engine's own first), NULL-terminated. */
const gs_param_def *const *gs_param_tables(void);

#endif
