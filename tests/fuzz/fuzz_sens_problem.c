/* Fuzzes the reader of SALib-style problem files (gapsim sensitivity -p),
 * with the delimiter guessed per line as the command does by default. */
#include "fuzz_common.h"

#include "gs_sens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[4200];
    if (!file[0]) {
        fuzz_make_tmpdir();
        fuzz_path("problem.txt", file, sizeof file);
    }
    fuzz_write(file, data, size);
    gs_sens_problem *p = NULL;
    gs_error err;
    gs_error_clear(&err);
    if (gs_sens_problem_read(file, 0, &p, &err) == GS_OK) gs_sens_problem_free(p);
    return 0;
}
