/* gs_job.h: the processes of a job that share one command's work.
 *
 * A job is several copies of the same program started together (an MPI job:
 * `mpirun -np K gapsim run ...`).  Every process runs the same command with
 * the same inputs and makes the same calls in the same order; where there is
 * work to share, the engine gives each process part of it (trajectory blocks
 * of a run, design points of a sweep) and the parts are merged on process 0
 * in a fixed order, so that the results are the bits a single process
 * computes (docs/cluster.md).  Only process 0 writes files, prints or draws.
 *
 * The library never calls MPI itself: the program installs a gs_job whose
 * functions move bytes between its processes (sim/mpi.c).  Without one,
 * everything runs in this process, as it always has.
 */
#ifndef GS_JOB_H
#define GS_JOB_H

#include <stddef.h>

#include "gapsim.h"

typedef struct gs_job gs_job;
struct gs_job {
    int rank;  /* this process, 0 .. size - 1 */
    int size;  /* processes in the job, >= 1 */
    /* Collective: every process calls it, in the same order.  Process 0 gets
     * every process's n bytes, concatenated in rank order into *all (malloc'd,
     * the caller frees it) with process r's length in len[r] (size entries);
     * the others get *all = NULL.  0, or -1 when out of memory or a part is
     * larger than the transport can move. */
    int (*gather)(const gs_job *j, const void *buf, size_t n, unsigned char **all, size_t *len);
    /* Collective: process 0's *n bytes at *buf reach every process; on the
     * others *buf is malloc'd (the caller frees it) and *n set.  0 or -1. */
    int (*bcast)(const gs_job *j, unsigned char **buf, size_t *n);
    void *ctx;  /* the transport's own */
};

/* Installs the job of this process (NULL: alone).  Called once, before any
 * run; the job must outlive every run. */
void gs_job_install(const gs_job *j);
/* The job the next run shares its work with: NULL when the process is alone,
 * the job has one process, or work is being done locally (gs_job_local). */
const gs_job *gs_job_active(void);
/* While depth > 0, runs stay in this process: a process evaluating its own
 * share of a sweep's design points runs each point by itself.  Nests. */
void gs_job_local_begin(void);
void gs_job_local_end(void);
/* The installed job (whether or not work is local now), or NULL. */
const gs_job *gs_job_installed(void);
/* 1 when this process writes files and prints: process 0 of a job, or a
 * process that is alone.  The others compute the same things and discard
 * what they would write (gs_afile_open gives them a sink). */
int gs_job_writes(void);
/* Collective when a job is active: what process 0 found (st and, when it
 * failed, *err) becomes every process's, for steps only process 0 takes
 * (making the output folder), so that all go on or stop together.  Alone,
 * returns st. */
gs_status gs_job_agree(gs_status st, gs_error *err);

/* Work that comes as n items known in advance (a sweep's design points, a
 * population's parameter vectors), each making width doubles.  part runs
 * the items items[0 .. n_items-1] (ascending), their outputs to out[i *
 * width ...] in that order, and on failure returns its status with the
 * first failing item in *failed and its error in *err.  Alone, part gets
 * every item; in a job, item k goes to process k mod K (neighbouring items,
 * which cost about the same, to different processes), each process runs its
 * own with runs kept local (gs_job_local_begin), and every process gets all
 * outputs in item order, or the error of the first failing item in item
 * order: the single process's outputs and error. */
typedef gs_status (*gs_job_part_fn)(void *ctx, const size_t *items, size_t n_items,
                                    double *out, size_t *failed, gs_error *err);
gs_status gs_job_map(size_t n, size_t width, gs_job_part_fn part, void *ctx, double *out,
                     gs_error *err);

#endif
