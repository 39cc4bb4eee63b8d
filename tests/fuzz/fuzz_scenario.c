/* Fuzzes the scenario loader through the public call, against the built-in
 * models, as `gapsim check` and `gapsim run` load a scenario. */
#include "fuzz_common.h"

#include "gapsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[4200];
    if (!file[0]) {
        fuzz_make_tmpdir();
        fuzz_path("scenario.cfg", file, sizeof file);
    }
    fuzz_write(file, data, size);
    gs_scenario *s = NULL;
    gs_error err;
    gs_error_clear(&err);
    if (gs_scenario_load_models(gs_models_builtin(), file, NULL, 0, &s, &err) == GS_OK)
        gs_scenario_free(s);
    return 0;
}
