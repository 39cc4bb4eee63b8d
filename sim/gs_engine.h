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

#include "gapsim.h"
#include "gs_accum.h"
#include "gs_model.h"
#include "gs_probe.h"
#include "gs_scenario.h"
#include "gs_util.h"

#define GS_BLOCK_SIZE 256
#define GS_WAVE_BLOCKS 16
/* GS_MAX_DIMS (gapsim.h): most parameters given as distributions. */

/* The engine's own parameters (scenario, run, outputs, correlations). */
extern const gs_param_def gs_core_params[];

/* The NULL-terminated list of tables for models: gs_core_params first, then
 * each model's, in a malloc'd array. */
const gs_param_def **gs_param_tables_of(const gs_model_type *const *models);

/* gs_results_quantile with the sketch's flag: *flag GS_SKETCH_COLLAPSED when
 * the quantile cannot be given to accuracy GS_SKETCH_ALPHA (it is then NAN).
 * flag may be NULL. */
double gs_results_quantile_flag(const gs_results *r, size_t var, int year, double p,
                                gs_sketch_flag *flag);

/* The models a simulator was bound to, in list order, and the bound
 * configuration of each (what the report hooks are handed). */
size_t gs_sim_n_models(const gs_sim *sim);
const gs_model_type *gs_sim_model(const gs_sim *sim, size_t i);
const void *gs_sim_conf(const gs_sim *sim, size_t i);

/* The random-number floor of a run: draws exactly the uniforms that
 * gs_sim_run draws for n trajectories with options o (the same generator,
 * streams, sampler and counts, one thread) and does nothing else with them;
 * *sink receives a sum of some of them (NAN when out of memory), so that no
 * draw can be optimised away.  bench/floor.c times it. */
void gs_sim_floor(const gs_sim *sim, const gs_run_opts *o, uint64_t n, double *sink);

/* Probe i of the run's options (i < n_probes); st points into r. */
size_t gs_results_n_probes(const gs_results *r);
void gs_results_probe(const gs_results *r, size_t i, gs_probe_stats *st);

#endif
