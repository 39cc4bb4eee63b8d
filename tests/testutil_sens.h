/* Helpers of the sensitivity tests (test_sens*.c): problems on boxes, the
 * Ishigami function, a design's outputs, an index table's columns. */
#ifndef GS_TESTUTIL_SENS_H
#define GS_TESTUTIL_SENS_H

#include "gs_sens.h"

/* Parameters x1..xk, uniform on [lo[i], hi[i]]. */
gs_sens_problem *gs_test_problem(size_t k, const double *lo, const double *hi);
/* Parameters x1..xk, uniform on [lo, hi]. */
gs_sens_problem *gs_test_cube(size_t k, double lo, double hi);
/* Ishigami with a = 7, b = 0.1, on [-pi, pi]^3. */
double gs_test_ishigami(const double *x);
/* f at every row of the design: malloc'd, s->rows values. */
double *gs_test_evaluate(const gs_sens_sample *s, double (*f)(const double *));
/* Row i of r's column name (fails the test when there is none). */
double gs_test_index_col(const gs_sens_index *r, size_t i, const char *name);

#endif
