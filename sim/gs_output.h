/* gs_output.h: writers that turn a run's results into its output folder.
 * Every file is written through gs_afile (gs_util.h): whole or absent. */
#ifndef GS_OUTPUT_H
#define GS_OUTPUT_H

#include <stdio.h>

#include "gs_engine.h" /* gapsim.h: run info, summary, writers */
#include "gs_util.h"   /* gs_afile */

/* mkdir -p of dir, then a check that it is a folder this process may write,
 * so that an unwritable folder is found before a run (GS_EOUTPUT). */
gs_status gs_output_prepare(const char *dir, gs_error *err);

/* The sentence saying whether a precision goal was met ("" without one):
 * when the cap came first it names the figure that did not converge. */
void gs_precision_note(const gs_results *r, char *buf, size_t n);

/* How many of quantiles.csv's p05..p95 fields the quantile sketch could not
 * give to its stated accuracy (left empty and named in the flag column);
 * the first one as "VARIABLE YEAR pNN" in first (n bytes; may be NULL, 0). */
size_t gs_quantiles_flagged(const gs_results *r, char *first, size_t n);

/* FNV-1a 64 of the text, as "fnv1a64:<16 hex digits>". */
void gs_config_hash(const char *text, char out[32]);
/* The same hash of a file's bytes, "" when it cannot be read. */
void gs_file_hash(const char *file, char out[32]);

#endif
