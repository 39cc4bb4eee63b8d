/* Fuzzes the sweep-file reader.  The input is sweeps/sweep.cfg beside a copy
 * of the baseline scenario, so that `base = "../baseline.cfg"` (what the
 * seeds say) reaches the parameter-path checks. */
#include "fuzz_common.h"

#include <sys/stat.h>

#include "gs_sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[4200];
    if (!file[0]) {
        char buf[4200];
        fuzz_make_tmpdir();
        fuzz_copy(GAPSIM_SOURCE_DIR "/configs/baseline.cfg",
                  fuzz_path("baseline.cfg", buf, sizeof buf));
        if (mkdir(fuzz_path("sweeps", buf, sizeof buf), 0755) != 0) abort();
        fuzz_path("sweeps/sweep.cfg", file, sizeof file);
    }
    fuzz_write(file, data, size);
    gs_sweep *sw = NULL;
    gs_error err;
    gs_error_clear(&err);
    if (gs_sweep_load(file, &sw, &err) == GS_OK) gs_sweep_free(sw);
    return 0;
}
