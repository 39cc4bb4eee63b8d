/* gs_v2.h: what the three models of the simulated industry (frontier,
 * invest, industry) share: the node ladder and the blocks of the coupling
 * area through which they talk (docs/model.md, "Order of work within a
 * year").  Private to models/. */
#ifndef GS_V2_H
#define GS_V2_H

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "gs_model.h"
#include "gs_scenario.h"

/* The leader's ladder.  Rung 0 is the mature class (40 nm and older,
 * specialty); 16/14/12 nm is one rung; there is no 10 nm rung (the leader
 * went from 14 nm to the 7-nm class).  Rungs 1-3 can be reached with DUV
 * tools, rungs from GS_RUNG_EUV on need EUV. */
enum { GS_RUNGS = 8, GS_RUNG_EUV = 4, GS_RUNG_7 = 3 };
static inline double gs_rung_nm(int n)
{
    static const double nm[GS_RUNGS] = {40.0, 28.0, 14.0, 7.0, 5.0, 3.0, 2.0, 1.4};
    return nm[n];
}
/* Rung names in output names ("capacity_leader_7nm"): no dots. */
static inline const char *gs_rung_name(int n)
{
    static const char *const name[GS_RUNGS] = {"mature", "28nm", "14nm", "7nm",
                                               "5nm",    "3nm",  "2nm",  "1p4nm"};
    return name[n];
}

/* Frontier progress is measured as ln(GS_X_REF / label). */
#define GS_X_REF 28.0
/* A year no trajectory reaches: the frontier's year of a rung not yet reached. */
#define GS_NEVER 1e9

/* Offsets of the coupling blocks in gs_world.link.  Writer (phase) -> readers. */
typedef struct gs_v2_links {
    long yF;        /* [GS_RUNGS] frontier's first year at each rung (EVENTS) -> industry */
    long xbar;      /* [1] frontier progress, running maximum (EVENTS) -> industry */
    long phi;       /* [GS_RUNGS] step delay of the step to rung n, 1 + sum (rho - 1) (EVENTS) */
    long pic;       /* [GS_RUNGS] cost penalty of the measures touching rung n (EVENTS) */
    long zeta;      /* [GS_RUNGS] share of planned money on rung n that finds no tools (EVENTS) */
    long sub;       /* [GS_RUNGS] substitution factor on rung n's output value (EVENTS) */
    long foreign;   /* [1] multiplier on foreign-owned fabs' tool spending (EVENTS) -> invest */
    long n_tool;    /* [1] tool measures in force (EVENTS) -> invest */
    long fx;        /* [1] CNY per USD this year (INVEST) -> industry */
    long tools;     /* [3] leader, other China-HQ (after failures), foreign (INVEST) -> industry */
    long share_mic; /* [1] made-in-China share of the latest year (SHARE) -> invest next year */
} gs_v2_links;

/* Declares every block (the same names give every model the same offsets).
 * Returns 0, or -1 on allocation failure. */
static inline int gs_v2_links_declare(gs_shape *sh, gs_v2_links *l)
{
    l->yF = gs_shape_link(sh, "frontier.first_year", GS_RUNGS);
    l->xbar = gs_shape_link(sh, "frontier.progress", 1);
    l->phi = gs_shape_link(sh, "controls.step_delay", GS_RUNGS);
    l->pic = gs_shape_link(sh, "controls.cost_penalty", GS_RUNGS);
    l->zeta = gs_shape_link(sh, "controls.blocked", GS_RUNGS);
    l->sub = gs_shape_link(sh, "controls.substitution", GS_RUNGS);
    l->foreign = gs_shape_link(sh, "controls.foreign_factor", 1);
    l->n_tool = gs_shape_link(sh, "controls.tool_measures", 1);
    l->fx = gs_shape_link(sh, "market.fx", 1);
    l->tools = gs_shape_link(sh, "tools.by_owner", 3);
    l->share_mic = gs_shape_link(sh, "share.made_in_china", 1);
    const long *all = &l->yF;
    for (size_t i = 0; i < sizeof *l / sizeof(long); i++)
        if (all[i] < 0)
            return -1;
    return 0;
}

enum { GS_TOOLS_LEADER, GS_TOOLS_OTHER, GS_TOOLS_FOREIGN };

static inline double gs_clip(double a, double lo, double hi)
{
    return a < lo ? lo : a > hi ? hi : a;
}

/* The entry of names[0..k) that ref names (a measure's after, a tranche's
 * follows): its index in *pred, -1 when ref is empty.  A name that is not
 * among them is an error at ref's line, with the nearest name offered;
 * kind names the entries, rule says why only earlier ones count. */
static inline gs_status gs_v2_earlier(const gs_scenario *scn, const gs_pval *ref,
                                      char *const *names, size_t k, const char *kind,
                                      const char *rule, long *pred, gs_error *err)
{
    *pred = -1;
    if (!ref->str[0])
        return GS_OK;
    for (size_t j = 0; j < k; j++)
        if (strcmp(names[j], ref->str) == 0)
            *pred = (long)j;
    if (*pred >= 0)
        return GS_OK;
    const char *near = gs_nearest(ref->str, (const char *const *)names, k);
    return gs_scenario_errorf(scn, ref->path, err, "%s: no earlier %s named \"%s\"%s%s%s (%s)",
                              ref->path, kind, ref->str, near ? " (did you mean \"" : "",
                              near ? near : "", near ? "\"?)" : "", rule);
}

#endif
