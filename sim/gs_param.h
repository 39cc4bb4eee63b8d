/* gs_param.h: parameter tables (declared in gapsim.h, where a model's
 * author finds them). */
#ifndef GS_PARAM_H
#define GS_PARAM_H

#include "gapsim.h"

#endif
