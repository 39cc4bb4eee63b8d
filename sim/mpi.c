/* The MPI layer of the program (gs_mpi.h): a gs_job whose gather and
 * broadcast are MPI's, and the start and end of a job.
 *
 * Only process 0 prints: the others' standard output goes to /dev/null and
 * their standard error into memory, which is shown only when a process
 * fails differently from process 0 (a failure of its own: a file it cannot
 * read, memory).  A failure every process meets alike (a bad config) is
 * thus printed once. */
#define _GNU_SOURCE /* open_memstream, dup */
#include "gs_mpi.h"

#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gs_job.h"

/* How long a failed process waits for the others to finish too before it
 * decides that the failure is its own and stops the job (seconds).  The
 * processes of a job meet the same input errors at the same point, within
 * moments of each other. */
#define GS_MPI_EXIT_WAIT 10.0

static int started;
static MPI_Comm work_comm = MPI_COMM_NULL, exit_comm = MPI_COMM_NULL;
static gs_job job;
static char *err_text;        /* a silenced process's standard error */
static size_t err_len;
static FILE *err_mem, *err_real;

/* Out of memory in the middle of an exchange: the others wait in it, so the
 * job ends here. */
static void die_oom(void)
{
    FILE *f = err_real ? err_real : stderr;
    fprintf(f, "gapsim: process %d of %d: out of memory while exchanging results\n", job.rank,
            job.size);
    fflush(f);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom();
    return p;
}

static int mpi_gather(const gs_job *j, const void *buf, size_t n, unsigned char **all,
                      size_t *len)
{
    int size = j->size, root = j->rank == 0;
    if (root && !len)
        die_oom(); /* the caller could not allocate the lengths */
    /* A part larger than MPI's int count goes as nothing: process 0 sees an
     * empty part, which no caller sends, and counts it as a failure. */
    int fits = n <= (size_t)INT_MAX;
    uint64_t mine = fits ? (uint64_t)n : 0;
    uint64_t *lens = root ? xmalloc((size_t)size * sizeof *lens) : NULL;
    MPI_Gather(&mine, 1, MPI_UINT64_T, lens, 1, MPI_UINT64_T, 0, work_comm);
    int *counts = NULL, *displs = NULL;
    int go = 1;
    if (root) {
        counts = xmalloc((size_t)size * sizeof *counts);
        displs = xmalloc((size_t)size * sizeof *displs);
        uint64_t total = 0;
        for (int r = 0; r < size; r++) {
            if (total + lens[r] > (uint64_t)INT_MAX)
                go = 0;
            counts[r] = (int)lens[r];
            displs[r] = (int)total;
            total += lens[r];
        }
        if (!go)
            for (int r = 0; r < size; r++)
                counts[r] = displs[r] = 0;
        *all = xmalloc(go ? (size_t)total : 1);
        for (int r = 0; r < size; r++)
            len[r] = go ? (size_t)lens[r] : 0;
    } else {
        *all = NULL;
    }
    MPI_Bcast(&go, 1, MPI_INT, 0, work_comm);
    MPI_Gatherv(buf, go && fits ? (int)mine : 0, MPI_BYTE, root ? *all : NULL, counts, displs,
                MPI_BYTE, 0, work_comm);
    free(lens);
    free(counts);
    free(displs);
    return go && fits ? 0 : -1;
}

static int mpi_bcast(const gs_job *j, unsigned char **buf, size_t *n)
{
    uint64_t len = j->rank == 0 ? (uint64_t)*n : 0;
    MPI_Bcast(&len, 1, MPI_UINT64_T, 0, work_comm);
    if (j->rank != 0) {
        *buf = xmalloc((size_t)len);
        *n = (size_t)len;
    }
    /* In pieces MPI's int count can name. */
    for (uint64_t at = 0; at < len;) {
        uint64_t k = len - at < (uint64_t)(INT_MAX / 2) ? len - at : (uint64_t)(INT_MAX / 2);
        MPI_Bcast(*buf + at, (int)k, MPI_BYTE, 0, work_comm);
        at += k;
    }
    return 0;
}

/* Launched by an MPI starter: Open MPI's mpirun, MPICH's Hydra, Slurm's srun
 * (PMI or PMIx).  Otherwise the program is a single process and MPI stays
 * untouched, so that the MPI build runs anywhere as the plain one does. */
static int launched_by_mpi(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

/* MPI found the job broken (another process died): say so and end as a
 * terminated process does, which removes a staging folder (gs_outdir.h). */
static void on_mpi_error(MPI_Comm *comm, int *code, ...)
{
    (void)comm;
    char msg[MPI_MAX_ERROR_STRING];
    int n = 0;
    MPI_Error_string(*code, msg, &n);
    FILE *f = err_real ? err_real : stderr;
    fprintf(f, "gapsim: process %d of %d: the job broke off (%.*s)\n", job.rank, job.size, n,
            msg);
    fflush(f);
    raise(SIGTERM);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

void gs_mpi_start(int *argc, char ***argv)
{
    if (!launched_by_mpi())
        return;
    int provided;
    /* MPI is called from the main thread only; the engine's workers are threads. */
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    started = 1;
    MPI_Errhandler eh;
    MPI_Comm_create_errhandler(on_mpi_error, &eh);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, eh);
    MPI_Comm_dup(MPI_COMM_WORLD, &work_comm);
    MPI_Comm_dup(MPI_COMM_WORLD, &exit_comm);
    MPI_Comm_set_errhandler(work_comm, eh);
    MPI_Comm_set_errhandler(exit_comm, eh);
    MPI_Errhandler_free(&eh);
    MPI_Comm_rank(work_comm, &job.rank);
    MPI_Comm_size(work_comm, &job.size);
    job.gather = mpi_gather;
    job.bcast = mpi_bcast;
    gs_job_install(&job);
    if (job.rank == 0)
        return;
    fflush(stdout);
    fflush(stderr);
    FILE *out = freopen("/dev/null", "w", stdout);
    (void)out; /* when it fails, output goes where it went */
    int fd = dup(STDERR_FILENO);
    err_real = fd >= 0 ? fdopen(fd, "w") : NULL;
    err_mem = open_memstream(&err_text, &err_len);
    if (err_mem)
        stderr = err_mem; /* glibc's stderr is an ordinary variable */
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The silenced standard error of this process, on the real one. */
static void show_errors(void)
{
    if (!err_mem || !err_real)
        return;
    fflush(err_mem);
    if (err_len)
        fprintf(err_real, "gapsim: process %d of %d failed on its own:\n%s", job.rank, job.size,
                err_text);
    fflush(err_real);
}

int gs_mpi_finish(int status)
{
    if (!started)
        return status;
    int rc = status;
    if (job.size > 1) {
        MPI_Request rq;
        MPI_Ibarrier(exit_comm, &rq);
        int done = 0;
        double t0 = MPI_Wtime();
        while (!done) {
            MPI_Test(&rq, &done, MPI_STATUS_IGNORE);
            if (done)
                break;
            if (status != 0 && MPI_Wtime() - t0 > GS_MPI_EXIT_WAIT) {
                /* The others are still at work: this failure is this
                 * process's alone, and they would wait for it forever. */
                show_errors();
                MPI_Abort(MPI_COMM_WORLD, status);
            }
            sleep_ms(2);
        }
        int *all = xmalloc((size_t)job.size * sizeof *all);
        MPI_Allgather(&status, 1, MPI_INT, all, 1, MPI_INT, exit_comm);
        if (job.rank != 0 && status != 0 && status != all[0])
            show_errors();
        /* Process 0 ends with the first failure of any process. */
        for (int r = 0; job.rank == 0 && rc == 0 && r < job.size; r++)
            if (all[r] != 0)
                rc = all[r];
        free(all);
    }
    if (err_mem) {
        stderr = err_real ? err_real : stderr;
        fclose(err_mem);
        free(err_text);
        err_mem = NULL;
    }
    MPI_Comm_free(&work_comm);
    MPI_Comm_free(&exit_comm);
    MPI_Finalize();
    return rc;
}
