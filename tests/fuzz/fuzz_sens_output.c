/* Fuzzes the reader of output files (gapsim sensitivity analyze -Y): the
 * first byte chooses the delimiter and the column analysed (0 to 3), the
 * rest is the file.  Outputs that read are then checked for a variance that
 * overflows, as the command does. */
#include "fuzz_common.h"

#include "gs_sens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[4200];
    if (!file[0]) {
        fuzz_make_tmpdir();
        fuzz_path("outputs.txt", file, sizeof file);
    }
    if (size == 0)
        return 0;
    static const char delims[4] = {0, ',', '\t', ' '};
    size_t pick = data[0] & 3;
    char delim = delims[(data[0] >> 2) & 3];
    fuzz_write(file, data + 1, size - 1);
    gs_sens_table t;
    gs_error err;
    gs_error_clear(&err);
    if (gs_sens_table_read(file, delim, 0, pick, "outputs", &t, &err) == GS_OK) {
        gs_error_clear(&err);
        gs_sens_outputs_check(&t, file, &err);
        gs_sens_table_free(&t);
    }
    return 0;
}
