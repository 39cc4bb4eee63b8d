/* The job this process belongs to (gs_job.h): set once by the program. */
#include "gs_job.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const gs_job *installed;
static int local_depth;

void gs_job_install(const gs_job *j) { installed = j; }

const gs_job *gs_job_installed(void) { return installed; }

const gs_job *gs_job_active(void)
{
    if (!installed || installed->size < 2 || local_depth > 0)
        return 0;
    return installed;
}

void gs_job_local_begin(void) { local_depth++; }

void gs_job_local_end(void)
{
    if (local_depth > 0)
        local_depth--;
}

int gs_job_writes(void) { return !installed || installed->rank == 0; }

gs_status gs_job_agree(gs_status st, gs_error *err)
{
    const gs_job *j = gs_job_active();
    if (!j)
        return st;
    struct {
        int64_t st;
        gs_error e;
    } msg;
    memset(&msg, 0, sizeof msg);
    msg.st = st;
    if (st != GS_OK && err)
        msg.e = *err;
    unsigned char *p = (unsigned char *)&msg;
    size_t n = sizeof msg;
    if (j->rank == 0)
        return j->bcast(j, &p, &n) == 0 ? st : gs_error_set(err, GS_ERUN, NULL, 0,
                                                           "the processes of the job cannot "
                                                           "reach each other");
    p = NULL;
    if (j->bcast(j, &p, &n) != 0 || n != sizeof msg) {
        free(p);
        return gs_error_set(err, GS_ERUN, NULL, 0, "the processes of the job cannot reach "
                                                   "each other");
    }
    memcpy(&msg, p, sizeof msg);
    free(p);
    if (msg.st != GS_OK && err)
        *err = msg.e;
    return (gs_status)msg.st;
}
