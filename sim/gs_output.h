/* gs_output.h: writers that turn a run's results into its output folder.
 * Every file is written under a temporary name in the folder and renamed
 * when complete: a file is whole or absent. */
#ifndef GS_OUTPUT_H
#define GS_OUTPUT_H

#include <stdio.h>

#include "gs_engine.h" /* gapsim.h: run info, summary, writers */

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

/* FNV-1a 64 of the text, as "fnv1a64:<16 hex digits>". */
void gs_config_hash(const char *text, char out[32]);

#endif
