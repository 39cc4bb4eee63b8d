/* The job this process belongs to (gs_job.h): set once by the program. */
#include "gs_job.h"

#include "gs_accum.h"

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

gs_status gs_job_map(size_t n, size_t width, gs_job_part_fn part, void *ctx, double *out,
                     gs_error *err)
{
    const gs_job *j = gs_job_active();
    size_t failed = n;
    size_t K = j ? (size_t)j->size : 1, rank = j ? (size_t)j->rank : 0;
    size_t mine = n > rank ? (n - rank + K - 1) / K : 0;
    size_t *items = malloc((mine ? mine : 1) * sizeof *items);
    double *buf = malloc((mine ? mine : 1) * (width ? width : 1) * sizeof *buf);
    gs_error e;
    gs_error_clear(&e);
    gs_status st = items && buf ? GS_OK : gs_error_set(&e, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; st == GS_OK && i < mine; i++)
        items[i] = rank + i * K;
    if (st == GS_OK) {
        if (j)
            gs_job_local_begin();
        st = part(ctx, items, mine, buf, &failed, &e);
        if (j)
            gs_job_local_end();
    }
    if (!j) {
        if (st == GS_OK)
            memcpy(out, buf, n * width * sizeof *out);
        else if (err)
            *err = e;
        free(items);
        free(buf);
        return st;
    }
    /* Each process: its status (with the failing item and error) or outputs. */
    gs_pack b = {0};
    gs_pack_u64(&b, (uint64_t)st);
    if (st != GS_OK) {
        gs_pack_u64(&b, st == GS_ENOMEM && failed >= n ? rank : failed);
        gs_pack_put(&b, &e, sizeof e);
    } else {
        gs_pack_put(&b, buf, mine * width * sizeof *buf);
    }
    free(buf);
    unsigned char *all = NULL;
    size_t *len = calloc(K, sizeof *len);
    int bad = j->gather(j, b.oom ? NULL : b.p, b.oom ? 0 : b.n, &all, len) != 0 || !len;
    gs_pack_free(&b);
    /* Process 0: every output in item order, or the first failure. */
    gs_pack reply = {0};
    if (j->rank == 0) {
        uint64_t first = n;
        gs_error first_err;
        gs_error_clear(&first_err);
        if (bad) {
            first = 0;
            gs_error_set(&first_err, GS_ERUN, NULL, 0,
                         "the processes of the job could not gather their results");
        }
        size_t off = 0;
        for (size_t r = 0; !bad && r < K; r++) {
            gs_unpack rd;
            gs_unpack_init(&rd, all + off, len[r]);
            off += len[r];
            gs_status rs = (gs_status)gs_unpack_u64(&rd);
            if (!rd.bad && rs != GS_OK) {
                uint64_t at = gs_unpack_u64(&rd);
                gs_error re;
                gs_unpack_get(&rd, &re, sizeof re);
                if (!rd.bad && at <= first) {
                    first = at;
                    first_err = re;
                    first_err.code = rs;
                }
            } else if (!rd.bad) {
                for (size_t k = r; k < n && !rd.bad; k += K)
                    gs_unpack_get(&rd, out + k * width, width * sizeof *out);
            }
            if (rd.bad && first == n) {
                first = 0;
                gs_error_set(&first_err, GS_ERUN, NULL, 0,
                             "the results of process %zu of %zu could not be gathered", r, K);
            }
        }
        gs_pack_u64(&reply, first);
        if (first < n)
            gs_pack_put(&reply, &first_err, sizeof first_err);
        else
            gs_pack_put(&reply, out, n * width * sizeof *out);
        if (reply.oom) {
            gs_pack_free(&reply);
            gs_error_set(&first_err, GS_ENOMEM, NULL, 0, "out of memory");
            gs_pack_u64(&reply, 0);
            gs_pack_put(&reply, &first_err, sizeof first_err);
        }
    }
    free(all);
    free(len);
    free(items);
    unsigned char *p = j->rank == 0 ? reply.p : NULL;
    size_t pn = reply.n;
    if (j->bcast(j, &p, &pn) != 0) {
        gs_pack_free(&reply);
        return gs_error_set(err, GS_ERUN, NULL, 0,
                            "the processes of the job could not share their results");
    }
    gs_unpack rd;
    gs_unpack_init(&rd, p, pn);
    uint64_t first = gs_unpack_u64(&rd);
    gs_error fe;
    gs_error_clear(&fe);
    st = GS_OK;
    if (first < n) {
        gs_unpack_get(&rd, &fe, sizeof fe);
        st = fe.code != GS_OK ? fe.code : GS_ERUN;
    } else if (j->rank != 0) {
        gs_unpack_get(&rd, out, n * width * sizeof *out);
    }
    if (rd.bad) {
        st = GS_ERUN;
        gs_error_set(&fe, GS_ERUN, NULL, 0, "the processes of the job could not share their "
                                           "results");
    }
    if (j->rank != 0)
        free(p);
    gs_pack_free(&reply);
    if (st != GS_OK && err)
        *err = fe;
    return st;
}
