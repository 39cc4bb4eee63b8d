/* gs_model.h: the interface every model implements (declared in gapsim.h:
 * gs_model_type, gs_world, output and tracker declarations, phases). */
#ifndef GS_MODEL_H
#define GS_MODEL_H

#include "gapsim.h"
#include "gs_scenario.h"

/* Every parameter table of the built-in models (the engine's own first),
 * NULL-terminated. */
const gs_param_def *const *gs_param_tables(void);

#endif
