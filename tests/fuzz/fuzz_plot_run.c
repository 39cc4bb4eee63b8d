/* Fuzzes the reader of a run folder that `gapsim plot` and `compare` use
 * (gs_plot_check_run_dir: manifest.json and every table, whole, finite and
 * consistent with the manifest).  The input is the folder's files joined by
 * form feeds (0x0c), in this order: manifest.json, quantiles.csv,
 * targets.csv, milestones.csv, then the tables the built-in models declare
 * (gs_model_type.tables); a file without its section is absent. */
#include "fuzz_common.h"

#include "gs_plot.h"

#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[4200], path[MAX_FILES][4300];
    static size_t nfiles;
    if (!dir[0]) {
        fuzz_make_tmpdir();
        fuzz_path("run", dir, sizeof dir);
        if (mkdir(dir, 0755) != 0)
            abort();
        static const char *const fixed[] = {"manifest.json", "quantiles.csv", "targets.csv",
                                            "milestones.csv"};
        for (size_t i = 0; i < 4; i++)
            snprintf(path[nfiles++], sizeof path[0], "%s/%s", dir, fixed[i]);
        for (const gs_model_type *const *m = gs_models_builtin(); *m; m++)
            for (const gs_table_decl *td = (*m)->tables; td && td->file && nfiles < MAX_FILES;
                 td++)
                snprintf(path[nfiles++], sizeof path[0], "%s/%s", dir, td->file);
    }
    size_t start = 0, k = 0;
    for (; k < nfiles && start <= size; k++) {
        const uint8_t *ff = size > start ? memchr(data + start, '\f', size - start) : NULL;
        size_t end = ff ? (size_t)(ff - data) : size;
        fuzz_write(path[k], data + start, end - start);
        start = end + 1;
    }
    for (; k < nfiles; k++)
        unlink(path[k]);
    gs_error err;
    gs_error_clear(&err);
    gs_plot_check_run_dir(dir, &err);
    return 0;
}
