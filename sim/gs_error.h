/* gs_error.h: the one error type of gapsim (declared in gapsim.h).
 *
 * The library never prints and never exits: a failing call fills a gs_error
 * and returns its status.  The command line formats it as
 * "gapsim: FILE:LINE: message" and exits with gs_status_exit().
 */
#ifndef GS_ERROR_H
#define GS_ERROR_H

#include "gapsim.h"

#endif
