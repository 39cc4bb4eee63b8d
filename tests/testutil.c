#include "testutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gs_assert_close(double actual, double expected, double rtol, double atol,
                     const char *expr, const char *file, int line)
{
    double tol = atol + rtol * fabs(expected);
    if (!(fabs(actual - expected) <= tol)) {
        print_error("%s = %.17g, expected %.17g within %.3g (rtol %.3g, atol %.3g)\n",
                    expr, actual, expected, tol, rtol, atol);
        _fail(file, line);
    }
}

const char *gs_test_source_path(const char *rel)
{
    static char buf[8][4096];
    static int slot;
    const char *root = getenv("GAPSIM_SOURCE_DIR");
    char *out = buf[slot++ % 8];
    snprintf(out, 4096, "%s/%s", root ? root : "..", rel);
    return out;
}

static int rm_rf(const char *path)
{
    char cmd[4600];
    /* Test-only: the path is ours, made below from a fixed prefix and a test name. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    return system(cmd);
}

const char *gs_test_tmpdir(const char *name)
{
    static char buf[8][4096];
    static int slot;
    const char *root = getenv("GAPSIM_TEST_TMP");
    char *out = buf[slot++ % 8];
    if (!root)
        root = "/tmp/gapsim-test";
    mkdir(root, 0755);
    snprintf(out, 4096, "%s/%s-%ld", root, name, (long)getpid());
    if (rm_rf(out) != 0 || mkdir(out, 0755) != 0) {
        fprintf(stderr, "cannot make %s: %s\n", out, strerror(errno));
        abort();
    }
    return out;
}

char *gs_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
