/* gs_output.h: writers that turn a run's results into its output folder.
 * Every file is written under a temporary name in the folder and renamed
 * when complete: a file is whole or absent. */
#ifndef GS_OUTPUT_H
#define GS_OUTPUT_H

#include <stdio.h>

#include "gs_engine.h"

/* A file being written: FILE *f goes to DIR/.NAME.tmp.PID until committed. */
typedef struct gs_afile {
    FILE *f;
    char tmp[4096];
    char final[4096];
} gs_afile;

gs_status gs_afile_open(gs_afile *a, const char *dir, const char *name, gs_error *err);
gs_status gs_afile_commit(gs_afile *a, gs_error *err); /* fclose, check, rename */
void gs_afile_abort(gs_afile *a);                      /* fclose and remove; idempotent */

/* mkdir -p of dir, then a probe file, so that an unwritable folder is found
 * before a run (GS_EOUTPUT). */
gs_status gs_output_prepare(const char *dir, gs_error *err);

/* What made the run, for manifest.json. */
typedef struct gs_run_info {
    const char *config_file;
    uint64_t seed;
    uint64_t trajectories_asked;
    const char *sampler;   /* "lhs" or "mc" */
    int threads;
    double precision;      /* 0 when off */
    const char *const *precision_goals; /* the --precision FIGURE=H texts */
    size_t n_precision_goals;
    char started[32], finished[32]; /* ISO 8601 UTC */
    double elapsed_seconds;
    int wrote_parameters;    /* parameters.csv is part of the run */
    int wrote_trajectories;  /* trajectories.csv is part of the run */
    int wrote_outcomes;      /* outcomes.csv is part of the run */
} gs_run_info;

/* The sentence saying whether a precision goal was met ("" without one):
 * when the cap came first it names the figure that did not converge. */
void gs_precision_note(const gs_results *r, char *buf, size_t n);

/* The headline text (summary.txt), malloc'd. */
char *gs_summary_text(const gs_sim *sim, const gs_results *r, const gs_run_info *info);

/* The metrics a sweep or a comparison quotes, computed by the same code as
 * the files:  "target:2030" (probability of the target of that year),
 * "share_total@2030:p50" (or :mean, :sd, :p05 ... :p95, any :pNN),
 * "milestone:7nm:p50" (median first year; p05/p95 too; "milestone:7nm:prob").
 * Returns GS_EUSAGE with a message for an unknown metric. */
gs_status gs_results_metric(const gs_results *r, const char *metric, double *value,
                            gs_error *err);

/* How many of quantiles.csv's p05..p95 fields the quantile sketch could not
 * give to its stated accuracy (left empty and named in the flag column);
 * the first one as "VARIABLE YEAR pNN" in first (n bytes; may be NULL, 0). */
size_t gs_quantiles_flagged(const gs_results *r, char *first, size_t n);

/* Writes quantiles.csv, targets.csv, milestones.csv, year_gap_dist.csv,
 * tranches.csv, summary.txt and manifest.json into dir. */
gs_status gs_write_outputs(const gs_sim *sim, const gs_results *r, const gs_run_info *info,
                           const char *dir, gs_error *err);

/* FNV-1a 64 of the text, as "fnv1a64:<16 hex digits>". */
void gs_config_hash(const char *text, char out[32]);

#endif
