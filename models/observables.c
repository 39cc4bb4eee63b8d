/* The backtest's vocabulary (gs_models.h): observation names in terms of the
 * models' outputs, and the basis each one is counted on. */
#include "gs_models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outputs counted on the scenario's share basis (market.share_basis): the
 * shares, consumption and the industry's sales all depend on what is counted
 * as domestic and as consumption. */
static int has_basis(const char *output)
{
    return strncmp(output, "share_", 6) == 0 || strcmp(output, "demand") == 0 ||
           strcmp(output, "sales_rmb") == 0;
}

/* "7nm" -> 7; -1 when it is not a positive number followed by "nm". */
static double node_label(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || strcmp(end, "nm") != 0 || !(v > 0) || !isfinite(v))
        return -1;
    return v;
}

int gs_observable_resolve(const gs_scenario *scn, const char *name, gs_observable *o, char *why,
                          size_t n)
{
    memset(o, 0, sizeof *o);
    static const struct {
        const char *prefix, *output;
    } passages[] = {{"milestone:", "leader_node_nm"}, {"frontier:", "frontier_nm"}};
    for (size_t i = 0; i < sizeof passages / sizeof passages[0]; i++) {
        size_t k = strlen(passages[i].prefix);
        if (strncmp(name, passages[i].prefix, k) != 0)
            continue;
        double nm = node_label(name + k);
        if (nm < 0) {
            snprintf(why, n, "\"%s\": expected a node such as %s7nm", name, passages[i].prefix);
            return -1;
        }
        snprintf(o->output, sizeof o->output, "%s", passages[i].output);
        o->kind = GS_PROBE_FIRST_BELOW;
        o->threshold = nm;
        return 0;
    }
    if (strchr(name, ':')) {
        snprintf(why, n, "\"%s\": the first-year variables are milestone:NODEnm and frontier:NODEnm",
                 name);
        return -1;
    }
    if (strlen(name) >= sizeof o->output) {
        snprintf(why, n, "variable name too long");
        return -1;
    }
    snprintf(o->output, sizeof o->output, "%s", name);
    o->kind = GS_PROBE_VALUE;
    const char *basis = gs_scenario_str(scn, "market.share_basis");
    if (has_basis(name) && basis)
        snprintf(o->basis, sizeof o->basis, "%s", basis);
    return 0;
}
