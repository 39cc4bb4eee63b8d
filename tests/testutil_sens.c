/* Helpers of the sensitivity tests (testutil_sens.h). */
#include "testutil.h"
#include "testutil_sens.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gs_sens_problem *gs_test_problem(size_t k, const double *lo, const double *hi)
{
    gs_sens_problem *p = gs_sens_problem_new();
    assert_non_null(p);
    for (size_t i = 0; i < k; i++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", i + 1);
        assert_int_equal(gs_sens_problem_add(p, name, lo[i], hi[i], NULL), GS_OK);
    }
    return p;
}

gs_sens_problem *gs_test_cube(size_t k, double lo, double hi)
{
    double l[64], h[64];
    assert_true(k <= 64);
    for (size_t i = 0; i < k; i++) {
        l[i] = lo;
        h[i] = hi;
    }
    return gs_test_problem(k, l, h);
}

double gs_test_ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

double *gs_test_evaluate(const gs_sens_sample *s, double (*f)(const double *))
{
    double *y = malloc(s->rows * sizeof *y);
    assert_non_null(y);
    for (size_t r = 0; r < s->rows; r++)
        y[r] = f(s->x + r * s->k);
    return y;
}

double gs_test_index_col(const gs_sens_index *r, size_t i, const char *name)
{
    for (size_t c = 0; c < r->ncol; c++)
        if (strcmp(r->cols[c], name) == 0)
            return r->v[i * r->ncol + c];
    fail_msg("no column %s", name);
    return NAN;
}
