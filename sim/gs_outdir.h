/* gs_outdir.h: an output folder replaced as a whole.  A run writes into a
 * staging folder beside its target (PARENT/.NAME.staging.PID) and is put in
 * place only when every file is complete, so a failure or an interrupt at
 * any point leaves the earlier run untouched. */
#ifndef GS_OUTDIR_H
#define GS_OUTDIR_H

#include "gapsim.h"

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
/* Adds to manifest.json's "files" every file of the staging folder it does
 * not list yet (charts), then swaps the staging folder into place
 * (renameat2 RENAME_EXCHANGE, atomic), removes the earlier contents and
 * releases the lock.  On failure the earlier run stays and the staging
 * folder is removed. */
gs_status gs_stage_commit(gs_stage *s, gs_error *err);
/* Removes the staging folder and releases the lock; idempotent. */
void gs_stage_abort(gs_stage *s);

#endif
