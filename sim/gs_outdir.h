/* gs_outdir.h: an output folder replaced as a whole.  A run writes into a
 * staging folder beside its target (PARENT/.NAME.staging.PID) and is put in
 * place only when every file is complete, so a failure or an interrupt at
 * any point leaves the earlier run untouched. */
#ifndef GS_OUTDIR_H
#define GS_OUTDIR_H

#include "gapsim.h"

struct json_t; /* jansson */

typedef struct gs_stage {
    char target[5300]; /* the folder as given, without trailing '/' */
    char path[5300];   /* the staging folder: write here */
    char lock[5300];   /* PARENT/.NAME.lock, held (flock) from begin to commit/abort */
    int lock_fd;       /* -1 when not held */
    int sink;          /* a process of a job that does not write: nothing is made or removed */
} gs_stage;

/* Takes the lock (a second writer gets GS_EOUTPUT at once, it does not
 * wait), refuses a target that exists and is neither an empty folder nor a
 * folder holding manifest.json (GS_EOUTPUT, nothing touched), removes the
 * staging folders of runs whose process is gone, makes the staging folder
 * and arms SIGINT and SIGTERM to remove it. */
gs_status gs_stage_begin(gs_stage *s, const char *target, gs_error *err);
/* (In a job (gs_job.h), process 0 does all of this and the others learn
 * whether it succeeded: their stage is a sink, path an existing folder, and
 * their files go nowhere.) */
/* The same for a folder of another kind: a run's ("run", manifest.json
 * without "kind"), a sweep's ("sweep") or a comparison's ("compare").  A
 * target holding a gapsim folder of another kind is refused too (GS_EOUTPUT,
 * nothing touched): a sweep never replaces a run. */
gs_status gs_stage_begin_kind(gs_stage *s, const char *target, const char *kind, gs_error *err);
/* Puts into the staging folder the target's files for which keep(name) is
 * true (hard links, copies where links fail: the target is not changed) and
 * drops from the carried manifest.json's "files" every name not carried.
 * For a command that rewrites part of a folder (plot redraws the charts). */
gs_status gs_stage_carry(gs_stage *s, int (*keep)(const char *name), gs_error *err);
/* Writes dir/manifest.json for a folder that is not a run's: "kind", the
 * gapsim version and git revision, the command line (when n_command_line >
 * 0), the members of fields (a JSON object, consumed; may be NULL) and
 * "files": the folder's files in name order, manifest.json last
 * (gs_stage_commit adds what is written after it). */
gs_status gs_stage_write_manifest(const char *dir, const char *kind, struct json_t *fields,
                                  const char *const *command_line, size_t n_command_line,
                                  gs_error *err);
/* Writes m as dir/manifest.json (indented, in m's order), whole or not at
 * all. */
gs_status gs_write_manifest_json(const char *dir, struct json_t *m, gs_error *err);
/* Adds to manifest.json's "files" every file of the staging folder it does
 * not list yet (charts), then swaps the staging folder into place
 * (renameat2 RENAME_EXCHANGE, atomic), removes the earlier contents and
 * releases the lock.  On failure the earlier run stays and the staging
 * folder is removed. */
gs_status gs_stage_commit(gs_stage *s, gs_error *err);
/* A message about a file of the staging folder names it as it will be
 * known, inside the target ("out/baseline/quantiles.csv"). */
void gs_stage_blame(const gs_stage *s, gs_error *err);
/* Removes the staging folder and releases the lock; idempotent. */
void gs_stage_abort(gs_stage *s);

#endif
