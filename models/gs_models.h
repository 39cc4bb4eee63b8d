/* gs_models.h: the models of gapsim and their registry. */
#ifndef GS_MODELS_H
#define GS_MODELS_H

#include "gs_model.h"

extern const gs_model_type gs_model_fund;  /* M1: fund investment */
extern const gs_model_type gs_model_node;  /* M3: process-node progress and export controls */
extern const gs_model_type gs_model_share; /* M2: capacity and domestic share */

#endif
