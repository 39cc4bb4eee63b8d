/* gs_outcomes.h: outcomes.csv, one row per trajectory.
 *
 * The columns are the per-trajectory values of the metrics a sweep quotes:
 * VARIABLE@YEAR for every output in each chosen year, target:YEAR (1 when the
 * target is met in its year, else 0), milestone:NODEnm (1 when the node is
 * reached by the horizon) and first_year:NODEnm (empty when it is not).
 * The trajectory ids are those of parameters.csv, so the two tables join.
 * Rows are formatted in the workers and written in trajectory order by the
 * engine (gs_run_opts.outcomes_out), so memory does not grow with the run. */
#ifndef GS_OUTCOMES_H
#define GS_OUTCOMES_H

#include <stdio.h>

#include "gs_engine.h"

typedef struct gs_outcomes gs_outcomes;

/* years: the calendar years whose VARIABLE@YEAR columns are written (each in
 * the simulated range; duplicates are dropped, order is ascending). */
gs_status gs_outcomes_new(const gs_sim *sim, const int *years, size_t n_years, gs_outcomes **out,
                          gs_error *err);
void gs_outcomes_free(gs_outcomes *oc);
/* The header row. */
void gs_outcomes_header(const gs_outcomes *oc, FILE *f);
/* Hooks a writer into run options: header first, then one row per trajectory. */
void gs_outcomes_attach(gs_outcomes *oc, gs_run_opts *o, FILE *f);
/* The default years: the report years, the target years and the horizon. */
size_t gs_outcomes_default_years(const gs_sim *sim, int *years, size_t max);

#endif
