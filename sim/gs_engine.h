/* gs_engine.h: the Monte Carlo engine.
 *
 * Trajectories are split into blocks of GS_BLOCK_SIZE.  Block b draws its
 * parameters from streams derived from (seed, b, parameter path) and its
 * process noise from a stream derived from (seed, b): which thread runs a
 * block changes nothing, so results are byte-identical for any thread count.
 * Blocks run in waves of GS_WAVE_BLOCKS; floating-point moments are merged in
 * block order after each wave, and counts (quantile sketches, passages) are exact
 * integers, so their merge order does not matter.  Memory depends on the
 * number of outputs and years and on the spread of each output's values
 * (gs_accum.h), not on the number of trajectories.
 */
#ifndef GS_ENGINE_H
#define GS_ENGINE_H

#include <stdint.h>
#include <stdio.h>

#include "gs_accum.h"
#include "gs_error.h"
#include "gs_model.h"
#include "gs_probe.h"
#include "gs_scenario.h"
#include "gs_util.h"

#define GS_BLOCK_SIZE 256
#define GS_WAVE_BLOCKS 16

/* How a block draws its parameters' uniforms: plain Monte Carlo, a Latin
 * hypercube, or the block's points of Sobol' sequence (GSL, at most
 * GS_QMC_MAX_DIMS sampled parameters) under a random shift modulo 1 drawn per
 * block and parameter, so that every block is an independent randomised
 * quasi-Monte Carlo sample and the run stays byte-identical for any thread
 * count. */
typedef enum { GS_SAMPLER_MC, GS_SAMPLER_LHS, GS_SAMPLER_QMC } gs_sampler;
#define GS_QMC_MAX_DIMS 40
/* "mc", "lhs" or "qmc"; -1 for any other name. */
int gs_sampler_from_name(const char *name);

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
    FILE *params_out;      /* when set: parameters.csv rows, header included */
    FILE *traj_out;        /* when set: trajectories.csv rows of the first traj_max */
    uint64_t traj_max;
    const gs_probe *probes; /* when n_probes > 0: per-observation accumulators (gs_probe.h) */
    size_t n_probes;
    /* When outcomes_out is set, outcome_row is called once per trajectory (in
     * a worker thread) with its outputs out[var * years + (t - t0)] and the
     * first year each tracker was met (NAN when never); what it appends to
     * row is written to outcomes_out in trajectory order, every trajectory. */
    FILE *outcomes_out;
    void (*outcome_row)(void *ctx, gs_strbuf *row, uint64_t trajectory, const double *out,
                        const double *first_year);
    void *outcome_ctx;
} gs_run_opts;

void gs_run_opts_default(gs_run_opts *o);

typedef struct gs_sim gs_sim;         /* a scenario bound to the models */
typedef struct gs_results gs_results; /* what a run accumulated */

/* Binds every model of the registry to the scenario (checks across keys). */
gs_status gs_sim_new(const gs_scenario *scn, gs_sim **out, gs_error *err);
void gs_sim_free(gs_sim *sim);
const gs_scenario *gs_sim_scenario(const gs_sim *sim);
/* What the bound models declared: output slots and trackers. */
int gs_sim_t0(const gs_sim *sim);
int gs_sim_T(const gs_sim *sim);
size_t gs_sim_n_outputs(const gs_sim *sim);
const gs_output_decl *gs_sim_output(const gs_sim *sim, size_t i);
size_t gs_sim_n_trackers(const gs_sim *sim);
const gs_tracker_decl *gs_sim_tracker(const gs_sim *sim, size_t k);

gs_status gs_sim_run(gs_sim *sim, const gs_run_opts *o, gs_results **out, gs_error *err);

void gs_results_free(gs_results *r);
/* With a precision goal: 1 when every figure met it; 0 when the run stopped at
 * its trajectory cap first, with what naming the first figure that did not
 * ("target:2030", "share_total@2030:p50", "share_total@2030:mean"), its 95 %
 * half-width and the goal; -1 without a precision goal.  The quantile
 * half-width is distribution-free: half the distance between the quantiles
 * at p -+ 1.96 sqrt(p (1 - p) / n). */
int gs_results_precision(const gs_results *r, const char **what, double *half_width,
                         double *goal);
int gs_results_t0(const gs_results *r);
int gs_results_T(const gs_results *r);
uint64_t gs_results_trajectories(const gs_results *r);
size_t gs_results_n_outputs(const gs_results *r);
const gs_output_decl *gs_results_output(const gs_results *r, size_t i);
long gs_results_find(const gs_results *r, const char *name); /* -1 when absent */
double gs_results_mean(const gs_results *r, size_t var, int year);
double gs_results_sd(const gs_results *r, size_t var, int year);
/* The p-quantile (0..1) as the inverse empirical CDF: for continuous outputs
 * from the run's quantile sketch, within relative accuracy GS_SKETCH_ALPHA of
 * the order statistic, or NAN with *flag GS_SKETCH_COLLAPSED when it cannot
 * be given to that accuracy; for discrete ones the smallest level with
 * cumulative share >= p (exact).  flag may be NULL. */
double gs_results_quantile(const gs_results *r, size_t var, int year, double p);
double gs_results_quantile_flag(const gs_results *r, size_t var, int year, double p,
                                gs_sketch_flag *flag);
/* The empirical CDF of an output in a year at x (share of trajectories with
 * value <= x), with bounds: exact for discrete outputs, for continuous ones
 * the values in the sketch bucket holding x are counted in *hi but not in
 * *lo (the bucket spans a relative width of about 2 GS_SKETCH_ALPHA).
 * Returns the midpoint; lo and hi may be NULL. */
double gs_results_cdf(const gs_results *r, size_t var, int year, double x, double *lo, double *hi);
/* Discrete outputs: share of trajectories at level k in year. */
double gs_results_level_prob(const gs_results *r, size_t var, int year, size_t k);

/* Probe i of the run's options (i < n_probes); st points into r. */
size_t gs_results_n_probes(const gs_results *r);
void gs_results_probe(const gs_results *r, size_t i, gs_probe_stats *st);

size_t gs_results_n_trackers(const gs_results *r);
const gs_tracker_decl *gs_results_tracker(const gs_results *r, size_t k);
/* Targets: P(output >= threshold in the target year); milestones: P(reached
 * by the horizon); with the 95 % Wilson interval. */
void gs_results_tracker_prob(const gs_results *r, size_t k, double *p, double *lo, double *hi);
/* q-quantile of the first year; T + 1 when it lies beyond the horizon. */
int gs_results_tracker_first(const gs_results *r, size_t k, double q);
double gs_results_tracker_never(const gs_results *r, size_t k);

#endif
