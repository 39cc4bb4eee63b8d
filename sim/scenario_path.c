/* scenario_path.c: where an `inherit = "FILE";` is looked for.
 *
 * A scenario written in the user's own folder can inherit an installed one
 * (inherit = "baseline.cfg";): the name is looked for in the inheriting
 * file's folder, then in each folder of GAPSIM_PATH (colon-separated), then
 * among the installed scenarios (GAPSIM_DATADIR/configs, then
 * ../share/gapsim/configs beside the executable, for a moved installation).
 * An absolute name is taken as it is. */
/* realpath() is XSI. */
#define _XOPEN_SOURCE 700

#include "gs_scenario_path.h"

#include "gs_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends "DIR (WHY)" to the list of places looked in. */
static void looked_add(gs_strbuf *b, const char *dir, const char *why)
{
    if (b->n)
        gs_strbuf_puts(b, ", ");
    gs_strbuf_puts(b, *dir ? dir : ".");
    if (why)
        gs_strbuf_printf(b, " (%s)", why);
}

/* dir/rel when it names an existing entry; else NULL, with *first_errno set
 * to the first error other than "no such file". */
static char *try_dir(const char *dir, size_t dlen, const char *rel, int *first_errno)
{
    char *p = dlen ? malloc(dlen + strlen(rel) + 2) : gs_strdup(rel);
    if (!p)
        return NULL;
    if (dlen) {
        memcpy(p, dir, dlen);
        p[dlen] = '/';
        strcpy(p + dlen + 1, rel);
    }
    struct stat sb;
    if (stat(p, &sb) == 0)
        return p;
    if (errno != ENOENT && !*first_errno)
        *first_errno = errno;
    free(p);
    return NULL;
}

char *gs_scenario_find_inherit(const char *from_file, const char *rel, char **looked)
{
    *looked = NULL;
    if (rel[0] == '/')
        return gs_strdup(rel);
    gs_strbuf where = {0};
    int first_errno = 0;
    const char *slash = strrchr(from_file, '/');
    size_t dlen = slash ? (size_t)(slash - from_file) : 0;
    char *own = slash ? malloc(dlen + 1) : gs_strdup(".");
    if (own && slash) {
        memcpy(own, from_file, dlen);
        own[dlen] = '\0';
    }
    /* The inheriting file's folder first: the name as it was always read. */
    char *found = try_dir(from_file, dlen, rel, &first_errno);
    looked_add(&where, own ? own : "", "the file's folder");
    free(own);
    const char *env = getenv("GAPSIM_PATH");
    for (const char *p = env; !found && p && *p;) {
        size_t n = strcspn(p, ":");
        if (n) {
            found = try_dir(p, n, rel, &first_errno);
            char d[4096];
            snprintf(d, sizeof d, "%.*s", (int)(n < 4000 ? n : 4000), p);
            looked_add(&where, d, "GAPSIM_PATH");
        }
        p += n + (p[n] == ':');
    }
#ifdef GAPSIM_DATADIR
    if (!found) {
        found = try_dir(GAPSIM_DATADIR "/configs", strlen(GAPSIM_DATADIR "/configs"), rel, &first_errno);
        looked_add(&where, GAPSIM_DATADIR "/configs", "installed");
    }
#endif
    if (!found) {
        char exe[4096];
        ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 64);
        char *s = k > 0 ? (exe[k] = '\0', strrchr(exe, '/')) : NULL;
        if (s) {
            strcpy(s, "/../share/gapsim/configs");
            char real[4096];
            if (realpath(exe, real) && (!strstr(where.p ? where.p : "", real))) {
                found = try_dir(real, strlen(real), rel, &first_errno);
                looked_add(&where, real, "beside the program");
            }
        }
    }
    if (!found) {
        if (first_errno)
            gs_strbuf_printf(&where, "; %s", strerror(first_errno));
        *looked = gs_strbuf_take(&where);
    }
    gs_strbuf_free(&where);
    return found;
}
