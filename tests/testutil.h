/* Helpers shared by the cmocka test programs. */
#ifndef GS_TESTUTIL_H
#define GS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Debian's cmocka 1.1.5 compares floats as float only: this compares doubles
 * and passes when |actual - expected| <= atol + rtol * |expected|. */
#define assert_close(actual, expected, rtol, atol) \
    gs_assert_close((actual), (expected), (rtol), (atol), #actual, __FILE__, __LINE__)
void gs_assert_close(double actual, double expected, double rtol, double atol,
                     const char *expr, const char *file, int line);

/* The source tree (GAPSIM_SOURCE_DIR, set by CTest) joined with rel. */
const char *gs_test_source_path(const char *rel);
/* A fresh empty folder under GAPSIM_TEST_TMP (or /tmp) named after name. */
const char *gs_test_tmpdir(const char *name);
/* Whole file into a malloc'd NUL-terminated buffer, NULL when unreadable. */
char *gs_test_slurp(const char *path, size_t *len);

#endif
