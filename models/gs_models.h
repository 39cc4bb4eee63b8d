/* gs_models.h: what the built-in models offer besides their type tables
 * (which gapsim.h declares): the backtest's observables. */
#ifndef GS_MODELS_H
#define GS_MODELS_H

#include "gs_model.h"
#include "gs_probe.h"

/* What an observation's variable means in a scenario: the names the
 * backtest accepts, owned by the models that produce them.
 *   any output ("share_made_in_china", "csia_sales_cny", "controls_active", ...): its value in a year;
 *   "milestone:7nm": first year the domestic leader is at 7 nm or below;
 *   "frontier:5nm":  first year the frontier is at 5 nm or below. */
typedef struct gs_observable {
    char output[64];     /* the output followed */
    gs_probe_kind kind;  /* GS_PROBE_VALUE or GS_PROBE_FIRST_BELOW */
    double threshold;    /* first-year observables: the node, nm */
    char basis[64];      /* the scenario's basis for this variable; "" when it has none */
    /* Value observables defined only where an output is at most a value (a
     * node's premium where the node is reached); cond_output "" when none. */
    char cond_output[64];
    double cond_max;
} gs_observable;

/* Resolves name for scenario scn.  Returns 0, or -1 with the reason in why
 * when the name is not one of the above; does not check that the output
 * exists (the engine knows the outputs). */
int gs_observable_resolve(const gs_scenario *scn, const char *name, gs_observable *o, char *why,
                          size_t n);

#endif
