#include "gs_util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "gs_job.h"

/* Room for n more characters and the NUL, doubling; -1 (oom set) when the
 * memory runs out. */
static int reserve(gs_strbuf *b, size_t n)
{
    if (b->n + n + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1)
        cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) {
        b->oom = 1;
        return -1;
    }
    b->p = np;
    b->cap = cap;
    return 0;
}

void gs_strbuf_printf(gs_strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if (reserve(b, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void gs_strbuf_putn(gs_strbuf *b, const char *p, size_t n)
{
    if (b->oom)
        return;
    if (n > (size_t)-1 / 4) {
        b->oom = 1;
        return;
    }
    if (reserve(b, n))
        return;
    memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void gs_strbuf_puts(gs_strbuf *b, const char *s)
{
    gs_strbuf_putn(b, s, strlen(s));
}

const char *gs_strbuf_str(const gs_strbuf *b)
{
    return b->p ? b->p : "";
}

char *gs_strbuf_take(gs_strbuf *b)
{
    char *p = b->p;
    int oom = b->oom;
    memset(b, 0, sizeof *b);
    if (oom) {
        free(p);
        return NULL;
    }
    return p ? p : calloc(1, 1);
}

void gs_strbuf_free(gs_strbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

char *gs_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

size_t gs_edit_distance(const char *a, const char *b)
{
    enum { M = 200 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > M || lb > M)
        return la > lb ? la : lb;
    /* Three rows are enough for adjacent swaps. */
    size_t r0[M + 1], r1[M + 1], r2[M + 1];
    size_t *pp = r0, *prev = r1, *cur = r2;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *gs_nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = gs_edit_distance(word, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return bestd <= 1 + strlen(word) / 4 ? best : NULL;
}

void gs_csv_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---------------------------------------------- whole-or-absent files */

static gs_status afile_fopen(gs_afile *a, gs_error *err)
{
    if (!gs_job_writes()) {
        a->sink = 1;
        a->f = fopen("/dev/null", "wb");
        if (!a->f)
            return gs_error_set(err, GS_EOUTPUT, "/dev/null", 0, "cannot write: %s",
                                strerror(errno));
        return GS_OK;
    }
    a->f = fopen(a->tmp, "wb");
    /* Named by the file asked for: the temporary name is ours, not the user's. */
    if (!a->f)
        return gs_error_set(err, GS_EOUTPUT, a->final, 0, "cannot write: %s", strerror(errno));
    return GS_OK;
}

gs_status gs_afile_open(gs_afile *a, const char *dir, const char *name, gs_error *err)
{
    memset(a, 0, sizeof *a);
    int n1 = snprintf(a->final, sizeof a->final, "%s/%s", dir, name);
    int n2 = snprintf(a->tmp, sizeof a->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof a->final || (size_t)n2 >= sizeof a->tmp)
        return gs_error_set(err, GS_EOUTPUT, dir, 0, "output path too long");
    return afile_fopen(a, err);
}

gs_status gs_afile_open_path(gs_afile *a, const char *path, gs_error *err)
{
    memset(a, 0, sizeof *a);
    const char *slash = strrchr(path, '/');
    int dl = slash ? (int)(slash - path) + 1 : 0;
    int n1 = snprintf(a->final, sizeof a->final, "%s", path);
    int n2 = snprintf(a->tmp, sizeof a->tmp, "%.*s.%s.tmp.%ld", dl, path, path + dl,
                      (long)getpid());
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof a->final || (size_t)n2 >= sizeof a->tmp)
        return gs_error_set(err, GS_EOUTPUT, path, 0, "output path too long");
    return afile_fopen(a, err);
}

gs_status gs_afile_commit(gs_afile *a, gs_error *err)
{
    /* The buffer is flushed apart from the close so that the reason (a full
     * disk: "No space left on device") reaches the message. */
    int bad = ferror(a->f), e = 0;
    if (fflush(a->f) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(a->f) != 0) {
        bad = 1;
        e = e ? e : errno;
    }
    a->f = NULL;
    if (a->sink)
        return GS_OK;
    /* An error met by an earlier fprintf has lost its errno: a file system
     * with no block left is the reason then. */
    struct statvfs vfs;
    if (bad && !e && statvfs(a->tmp, &vfs) == 0 && vfs.f_bavail == 0)
        e = ENOSPC;
    if (bad) {
        remove(a->tmp);
        return e ? gs_error_set(err, GS_EIO, a->final, 0, "write failed: %s", strerror(e))
                 : gs_error_set(err, GS_EIO, a->final, 0, "write failed (disk full?)");
    }
    if (rename(a->tmp, a->final) != 0) {
        e = errno;
        remove(a->tmp);
        return gs_error_set(err, GS_EIO, a->final, 0, "cannot rename into place: %s",
                            strerror(e));
    }
    return GS_OK;
}

void gs_afile_abort(gs_afile *a)
{
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
        if (!a->sink)
            remove(a->tmp);
    }
}

gs_status gs_afile_write(const char *dir, const char *name, const char *text, gs_error *err)
{
    gs_afile a;
    gs_status st = gs_afile_open(&a, dir, name, err);
    if (st != GS_OK)
        return st;
    fputs(text, a.f);
    return gs_afile_commit(&a, err);
}

/* ------------------------------------------------------------ folders */

gs_status gs_mkdir_p(const char *dir, gs_error *err)
{
    char path[4096];
    if (!gs_job_writes())
        return GS_OK;
    if (!*dir || snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return gs_error_set(err, GS_EOUTPUT, dir, 0, "output path empty or too long");
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return gs_error_set(err, GS_EOUTPUT, path, 0, "cannot create the output folder: %s",
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return gs_error_set(err, GS_EOUTPUT, dir, 0, "cannot create the output folder: %s",
                            strerror(errno));
    return GS_OK;
}

/* -------------------------------------------------------------- names */

int gs_is_ident(const char *s)
{
    /* "." and ".." would name the folder itself or its parent */
    if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

/* -------------------------------------------------------------- nodes */

int gs_node_same(double a, double b)
{
    return fabs(a - b) <= GS_NODE_RTOL * fmax(fabs(a), fabs(b));
}

int gs_node_reached(double x, double node)
{
    return x <= node * (1 + GS_NODE_RTOL);
}
