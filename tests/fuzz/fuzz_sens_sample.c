/* Fuzzes the reader of sample files (gapsim sensitivity analyze -X): the
 * first byte chooses the delimiter and how many parameters the problem has
 * (1 to 4, of the four families), the rest is the file.  A sample that reads
 * is then checked against the problem, as the command does. */
#include "fuzz_common.h"

#include "gs_sens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[4200];
    static gs_sens_problem *prob[4];
    static const char *const lines[4] = {"a 0 1 NA unif", "b 2 0.5 NA triang",
                                         "c 10 2 NA norm", "d 0 0.5 NA lognorm"};
    if (!file[0]) {
        fuzz_make_tmpdir();
        for (size_t k = 0; k < 4; k++) {
            char pf[4200], text[256] = "";
            fuzz_path("problem.txt", pf, sizeof pf);
            for (size_t i = 0; i <= k; i++) {
                strcat(text, lines[i]);
                strcat(text, "\n");
            }
            fuzz_write(pf, (const uint8_t *)text, strlen(text));
            gs_error err;
            gs_error_clear(&err);
            if (gs_sens_problem_read(pf, 0, &prob[k], &err) != GS_OK)
                abort();
        }
        fuzz_path("sample.txt", file, sizeof file);
    }
    if (size == 0)
        return 0;
    static const char delims[4] = {0, ',', '\t', ' '};
    const gs_sens_problem *p = prob[data[0] & 3];
    char delim = delims[(data[0] >> 2) & 3];
    fuzz_write(file, data + 1, size - 1);
    gs_sens_table t;
    gs_error err;
    gs_error_clear(&err);
    if (gs_sens_table_read(file, delim, p->k, 0, "samples", &t, &err) == GS_OK) {
        gs_error_clear(&err);
        gs_sens_check_sample(p, t.v, t.rows, &err);
        gs_sens_table_free(&t);
    }
    return 0;
}
