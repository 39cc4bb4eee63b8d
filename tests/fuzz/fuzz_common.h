/* Shared by the libFuzzer targets (docs/fuzzing.md): each input is written to
 * a file inside a private, otherwise empty temporary folder, so that a
 * relative `inherit` or `base` in a fuzzed file can only reach what the
 * target put there (GAPSIM_PATH is cleared for the same reason).  The working
 * folder is left alone: libFuzzer reads its corpus by relative paths. */
#ifndef GS_FUZZ_COMMON_H
#define GS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gapsim.h"

static char fuzz_dir[4096];

/* Creates the folder on the first call (one per process, under $TMPDIR,
 * which CI points into build-fuzz/). */
static inline void fuzz_make_tmpdir(void)
{
    if (fuzz_dir[0]) return;
    gs_gsl_quiet(); /* as every program using the library does (gapsim.h) */
    unsetenv("GAPSIM_PATH");
    const char *base = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/gapsim-fuzz-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(fuzz_dir)) {
        perror("gapsim fuzz: temporary folder");
        abort();
    }
}

/* The path of name inside the folder, in a static buffer of its own. */
static inline const char *fuzz_path(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", fuzz_dir, name);
    return buf;
}

/* Writes n bytes of data to the file path. */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* Copies the file src to dst, for the fixed files a target needs beside its input. */
static inline void fuzz_copy(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    if (!in) {
        perror(src);
        abort();
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    fuzz_write(dst, buf, n);
}

#endif
