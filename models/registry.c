/* The registry of the built-in models: the order the engine calls them in
 * every phase of a year.  Adding a model means adding it here (or handing the
 * simulator a list of one's own), and nowhere in the engine. */
#include "gs_engine.h"
#include "gs_model.h"

#include <stddef.h>

/* Within a phase the models run in this order; across phases each reads
 * only what earlier phases wrote (docs/model.md, "Order of work within a
 * year"): the frontier and the controls first, then money, then the industry. */
static const gs_model_type *const registry[] = {&gs_model_frontier, &gs_model_invest,
                                                &gs_model_industry, NULL};

const gs_model_type *const *gs_models_builtin(void)
{
    return registry;
}

const gs_param_def *const *gs_param_tables(void)
{
    /* Built on first use (from the main thread, before any run starts): a
     * model's table is not a constant expression in this file. */
    static const gs_param_def *tables[sizeof registry / sizeof registry[0] + 1];
    if (!tables[0]) {
        size_t n = 0;
        tables[n++] = gs_core_params;
        for (const gs_model_type *const *m = registry; *m; m++)
            tables[n++] = (*m)->params;
        tables[n] = NULL;
    }
    return tables;
}
