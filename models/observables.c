/* The backtest's vocabulary (gs_models.h): observation names in terms of the
 * models' outputs, the basis each output is counted on, and where an output
 * is defined. */
#include "gs_models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each share and the production, consumption and sales behind it count one
 * measured basis (docs/model.md, "Shares on three measured bases"): an
 * observation names the basis it counts, and it must be the output's. */
static const struct {
    const char *output, *basis;
} bases[] = {
    {"share_made_in_china", "made_in_china"}, {"production_in_china", "made_in_china"},
    {"consumption", "made_in_china"},         {"share_china_hq", "china_hq"},
    {"production_china_hq", "china_hq"},      {"share_csia", "csia"},
    {"csia_sales_usd", "csia"},               {"csia_sales_cny", "csia"},
    {"consumption_csia", "csia"},
};

/* The 7-nm class's premium and yield exist only where the leader has the
 * node: elsewhere the model's value is the penalty it would start with. */
static const struct {
    const char *output, *cond;
    double max;
} defined_where[] = {{"premium_7", "leader_node_nm", 7.0}, {"yield_7", "leader_node_nm", 7.0}};

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
    (void)scn;
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
    /* measure:NAME: the first year the measure controls.NAME is in force. */
    if (strncmp(name, "measure:", 8) == 0) {
        const char *m = name + 8;
        if (!m[0] || strlen(m) + 8 >= sizeof o->output) {
            snprintf(why, n, "\"%s\": expected a measure such as measure:euv", name);
            return -1;
        }
        snprintf(o->output, sizeof o->output, "control_%s", m);
        o->kind = GS_PROBE_FIRST_ABOVE;
        o->threshold = 1;
        return 0;
    }
    if (strchr(name, ':')) {
        snprintf(why, n,
                 "\"%s\": the first-year variables are milestone:NODEnm, frontier:NODEnm and "
                 "measure:NAME",
                 name);
        return -1;
    }
    if (strlen(name) >= sizeof o->output) {
        snprintf(why, n, "variable name too long");
        return -1;
    }
    snprintf(o->output, sizeof o->output, "%s", name);
    o->kind = GS_PROBE_VALUE;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (strcmp(name, bases[i].output) == 0)
            snprintf(o->basis, sizeof o->basis, "%s", bases[i].basis);
    for (size_t i = 0; i < sizeof defined_where / sizeof defined_where[0]; i++)
        if (strcmp(name, defined_where[i].output) == 0) {
            snprintf(o->cond_output, sizeof o->cond_output, "%s", defined_where[i].cond);
            o->cond_max = defined_where[i].max;
        }
    return 0;
}
