/* gs_discover.h: scenario discovery on a run folder or on any pair of tables.
 *
 * Inputs are a CSV table of input values (one column per parameter) and a
 * CSV table of outcomes, joined by an id column; a condition on one outcome
 * column ("share@2030 >= 0.49") marks the futures of interest, and PRIM
 * (gs_prim.h) finds the box of inputs where they concentrate.  Writes
 * prim_trajectory.csv, prim_box.csv, prim_stability.csv (with resampling),
 * prim_summary.txt and the charts prim_tradeoff and prim_box into the output
 * folder.  docs/discovery.md describes the files. */
#ifndef GS_DISCOVER_H
#define GS_DISCOVER_H

#include <stddef.h>

#include "gs_error.h"
#include "gs_plot.h"
#include "gs_prim.h"

/* The options, the report and gs_discover are declared in gapsim.h. */

#endif
