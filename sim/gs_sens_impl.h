/* gs_sens_impl.h: what the sensitivity files share among themselves; not
 * part of the API. */
#ifndef GS_SENS_IMPL_H
#define GS_SENS_IMPL_H

#include "gs_sens.h"

/* A sample of rows x k, uninitialised. */
gs_status gs_sens_sample_new_(size_t rows, size_t k, gs_sens_sample **out, gs_error *err);
/* A table of k rows and ncol columns, values NaN, notes NULL. */
gs_status gs_sens_index_new_(size_t k, size_t ncol, const char *const *cols, gs_sens_index **out,
                             gs_error *err);
/* At least 2 resamples, a level in (0, 1). */
gs_status gs_sens_check_boot_(size_t resamples, double conf, gs_error *err);

#endif
