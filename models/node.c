/* M3, process-node progress: the frontier's introduction years, the domestic
 * leader's progress along the node ladder, export-control measures, and the
 * gap between the two. */
#include "gs_model.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const gs_param_def node_params[] = {
    {"node.ladder", GS_PT_NUMBER_ARRAY, GS_PF_REQUIRED, "nm", 0, NULL, 0.01, 10000,
     "the generations, from the oldest to the most advanced, by their marketing label in nm"},
    {"node.milestones", GS_PT_NUMBER_ARRAY, 0, "nm", 0, "[7.0, 5.0, 3.0]", 0.01, 10000,
     "nodes whose first year at the domestic leader is reported"},
    {"node.frontier.observed", GS_PT_NUMBER_ARRAY, GS_PF_REQUIRED | GS_PF_INT, "year", 0, NULL,
     1950, 2200,
     "observed volume-production years at the frontier of the first ladder generations"},
    {"node.frontier.median", GS_PT_NUMBER, GS_PF_REQUIRED, "yr", 0, NULL, 0.1, 20,
     "median years between frontier generations after the observed ones"},
    {"node.frontier.sigma", GS_PT_NUMBER, 0, "log yr", 0.0, NULL, 0, 2,
     "standard deviation of the log of a frontier interval"},
    {"node.domestic.start_nm", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "nm", 0, NULL, 0.01,
     10000, "the domestic leader's node in the base year (a ladder entry)"},
    {"node.domestic.observed", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "observed years of the domestic leader's generations after the start node"},
    {"node.domestic.median", GS_PT_NUMBER, GS_PF_REQUIRED, "yr", 0, NULL, 0.1, 30,
     "median years of a step at reference investment, before the difficulty factor "
     "difficulty^(k - k0) for a step from generation k (k0: the start node)"},
    {"node.domestic.difficulty", GS_PT_NUMBER, 0, "ratio", 1.0, NULL, 0.5, 3,
     "growth of the step length per generation beyond the start node (gamma)"},
    {"node.domestic.elasticity", GS_PT_NUMBER, 0, "", 0.0, NULL, 0, 3,
     "elasticity of the step length to investment (beta; diminishing returns)"},
    {"node.domestic.r_ref", GS_PT_NUMBER, 0, "USD bn/yr", 15.0, NULL, 0.001, 1e5,
     "reference investment rate at which the step length is the median"},
    {"node.domestic.sigma", GS_PT_NUMBER, 0, "log yr", 0.0, NULL, 0, 2,
     "standard deviation of the log of a step length (process noise)"},
    {"node.domestic.lag_min", GS_PT_NUMBER, 0, "yr", 1.0, NULL, 0, 30,
     "the domestic leader introduces no generation earlier than this after the frontier"},
    {"node.domestic.min_step", GS_PT_NUMBER, 0, "yr", 0.5, NULL, 0.25, 30,
     "shortest possible step between generations"},
    {"node.domestic.rd_segments", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "segments whose trailing three-year investment R(t) drives node progress; none: R = r_ref"},
    {"controls.*.mode", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "\"fixed\": in force from `year`; \"hazard\": starts with probability `hazard` each year "
     "from `year`"},
    {"controls.*.year", GS_PT_NUMBER, GS_PF_INT | GS_PF_REQUIRED, "year", 0, NULL, 1950, 2200,
     "year the measure takes effect (fixed) or can first start (hazard)"},
    {"controls.*.hazard", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "yearly probability that a hazard measure starts"},
    {"controls.*.wall_nm", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "nm", 0, NULL, 0, 10000,
     "the measure slows steps to generations at or below this node"},
    {"controls.*.delay", GS_PT_NUMBER, 0, "ratio", 1.0, NULL, 1, 20,
     "multiplier on the step length to a walled generation (rho)"},
    {"controls.*.penalty", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 0.99,
     "cost and yield penalty on the competitiveness of the segments touched (pi)"},
    {"controls.*.segments", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "segments whose competitiveness the penalty reduces"},
    GS_PARAM_END};

typedef struct measure {
    int hazard_mode;
    long year, hazard, delay, penalty; /* parameter indices */
    double wall_nm;
    unsigned char *touches; /* n_seg flags */
} measure;

typedef struct node_conf {
    int t0;
    size_t n_g;
    double *nm;            /* ladder, oldest first */
    double *levels;        /* ladder ascending, for the node outputs */
    double *gap_levels, *year_levels, *ctl_levels;
    size_t n_gap_levels, n_year_levels;
    size_t n_obs_f;
    double *obs_f;
    size_t k0;
    size_t n_obs_d;
    double *obs_d;
    long median_f, sigma_f;
    long median, difficulty, elasticity, r_ref, sigma, lag_min, min_step;
    size_t n_seg;
    unsigned char *rd;     /* segments driving R(t) */
    size_t n_rd;
    size_t n_m;
    measure *m;
    long out_dom, out_front, out_gen, out_year, out_ctl;
} node_conf;

typedef struct node_state {
    size_t kD;       /* domestic generation index */
    double prog;     /* fraction of the current step done */
    double *xi;      /* standard normal of the step from each generation (n_g) */
    double r[3];     /* trailing investment in the rd segments */
    int r_n;
    int n_active;
    double *f_year;  /* frontier introduction year of each generation (n_g) */
    int *active;     /* n_m */
} node_state;

static void node_unbind(void *vc)
{
    node_conf *c = vc;
    free(c->nm);
    free(c->levels);
    free(c->gap_levels);
    free(c->year_levels);
    free(c->ctl_levels);
    free(c->obs_f);
    free(c->obs_d);
    free(c->rd);
    for (size_t i = 0; i < c->n_m; i++)
        free(c->m[i].touches);
    free(c->m);
}

static double *dup_arr(const double *a, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, a, n * sizeof *d);
    return d;
}

static long seg_index(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

static gs_status seg_flags(const gs_scenario *scn, const gs_pval *p, char *const *segs,
                           size_t n_seg, unsigned char *flags, size_t *count, gs_error *err)
{
    for (size_t k = 0; k < p->n_arr; k++) {
        long i = seg_index(segs, n_seg, p->sarr[k]);
        if (i < 0) {
            const char *near = gs_nearest(p->sarr[k], (const char *const *)segs, n_seg);
            return gs_scenario_errorf(scn, p->path, err,
                                      "%s: no segment named \"%s\"%s%s%s", p->path, p->sarr[k],
                                      near ? " (did you mean \"" : "", near ? near : "",
                                      near ? "\"?)" : "");
        }
        flags[i] = 1;
    }
    if (count) {
        *count = 0;
        for (size_t i = 0; i < n_seg; i++)
            *count += flags[i];
    }
    return GS_OK;
}

static double *int_levels(int lo, int hi, size_t *n)
{
    *n = (size_t)(hi - lo + 1);
    double *l = malloc(*n * sizeof *l);
    if (l)
        for (size_t i = 0; i < *n; i++)
            l[i] = lo + (double)i;
    return l;
}

static gs_status node_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    node_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    int T = (int)gs_scenario_num(scn, "scenario.horizon");

    const gs_pval *lad = gs_scenario_get(scn, "node.ladder");
    if (lad->n_arr < 2)
        return gs_scenario_errorf(scn, lad->path, err,
                                  "node.ladder: needs at least two generations, has %zu",
                                  lad->n_arr);
    for (size_t g = 1; g < lad->n_arr; g++)
        if (!(lad->arr[g] < lad->arr[g - 1]))
            return gs_scenario_errorf(scn, lad->path, err,
                                      "node.ladder: must go from the oldest (largest nm) to the "
                                      "most advanced; entry %zu (%.10g) is not below %.10g",
                                      g, lad->arr[g], lad->arr[g - 1]);
    c->n_g = lad->n_arr;
    c->nm = dup_arr(lad->arr, c->n_g);
    c->levels = malloc(c->n_g * sizeof *c->levels);
    if (!c->nm || !c->levels)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t g = 0; g < c->n_g; g++)
        c->levels[g] = c->nm[c->n_g - 1 - g];

    const gs_pval *of = gs_scenario_get(scn, "node.frontier.observed");
    if (of->n_arr == 0 || of->n_arr > c->n_g)
        return gs_scenario_errorf(scn, of->path, err,
                                  "node.frontier.observed: needs 1 to %zu years (one per ladder "
                                  "generation from the oldest), has %zu",
                                  c->n_g, of->n_arr);
    for (size_t g = 1; g < of->n_arr; g++)
        if (of->arr[g] < of->arr[g - 1])
            return gs_scenario_errorf(scn, of->path, err,
                                      "node.frontier.observed: years must not decrease (%.0f "
                                      "after %.0f)",
                                      of->arr[g], of->arr[g - 1]);
    c->n_obs_f = of->n_arr;
    c->obs_f = dup_arr(of->arr, of->n_arr);

    const gs_pval *st = gs_scenario_get(scn, "node.domestic.start_nm");
    size_t k0 = c->n_g;
    for (size_t g = 0; g < c->n_g; g++)
        if (gs_node_same(c->nm[g], st->dist.a))
            k0 = g;
    if (k0 == c->n_g)
        return gs_scenario_errorf(scn, st->path, err,
                                  "node.domestic.start_nm = %.10g is not a node of node.ladder",
                                  st->dist.a);
    if (k0 >= c->n_obs_f || c->obs_f[k0] > c->t0)
        return gs_scenario_errorf(scn, st->path, err,
                                  "node.domestic.start_nm = %.10g: the frontier's year for it "
                                  "must be observed and not after the base year %d",
                                  st->dist.a, c->t0);
    c->k0 = k0;

    const gs_pval *od = gs_scenario_get(scn, "node.domestic.observed");
    if (k0 + od->n_arr >= c->n_g)
        return gs_scenario_errorf(scn, od->path, err,
                                  "node.domestic.observed: %zu years, but the ladder has only "
                                  "%zu generations after the start node",
                                  od->n_arr, c->n_g - k0 - 1);
    for (size_t j = 0; j < od->n_arr; j++) {
        size_t g = k0 + 1 + j;
        if (od->arr[j] <= c->t0 || (j > 0 && od->arr[j] < od->arr[j - 1]))
            return gs_scenario_errorf(scn, od->path, err,
                                      "node.domestic.observed: years must be after the base "
                                      "year and not decrease (%.0f)",
                                      od->arr[j]);
        if (g < c->n_obs_f && od->arr[j] < c->obs_f[g])
            return gs_scenario_errorf(scn, od->path, err,
                                      "node.domestic.observed: %.10g nm in %.0f is before the "
                                      "frontier's %.0f",
                                      c->nm[g], od->arr[j], c->obs_f[g]);
    }
    c->n_obs_d = od->n_arr;
    c->obs_d = dup_arr(od->arr, od->n_arr);

    c->median_f = gs_scenario_index(scn, "node.frontier.median");
    c->sigma_f = gs_scenario_index(scn, "node.frontier.sigma");
    c->median = gs_scenario_index(scn, "node.domestic.median");
    c->difficulty = gs_scenario_index(scn, "node.domestic.difficulty");
    c->elasticity = gs_scenario_index(scn, "node.domestic.elasticity");
    c->r_ref = gs_scenario_index(scn, "node.domestic.r_ref");
    c->sigma = gs_scenario_index(scn, "node.domestic.sigma");
    c->lag_min = gs_scenario_index(scn, "node.domestic.lag_min");
    c->min_step = gs_scenario_index(scn, "node.domestic.min_step");

    char *const *segs;
    c->n_seg = gs_scenario_items(scn, "segments", &segs);
    c->rd = calloc(c->n_seg ? c->n_seg : 1, 1);
    if (!c->rd)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_status rc = seg_flags(scn, gs_scenario_get(scn, "node.domestic.rd_segments"), segs,
                             c->n_seg, c->rd, &c->n_rd, err);
    if (rc)
        return rc;

    char *const *ms;
    c->n_m = gs_scenario_items(scn, "controls", &ms);
    c->m = calloc(c->n_m ? c->n_m : 1, sizeof *c->m);
    if (!c->m)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < c->n_m; i++) {
        measure *m = &c->m[i];
        const gs_pval *mode = gs_scenario_getf(scn, "controls.%s.mode", ms[i]);
        if (strcmp(mode->str, "hazard") == 0)
            m->hazard_mode = 1;
        else if (strcmp(mode->str, "fixed") != 0)
            return gs_scenario_errorf(scn, mode->path, err,
                                      "%s: unknown mode \"%s\" (\"fixed\" or \"hazard\")",
                                      mode->path, mode->str);
        m->year = gs_scenario_indexf(scn, "controls.%s.year", ms[i]);
        m->hazard = gs_scenario_indexf(scn, "controls.%s.hazard", ms[i]);
        m->delay = gs_scenario_indexf(scn, "controls.%s.delay", ms[i]);
        m->penalty = gs_scenario_indexf(scn, "controls.%s.penalty", ms[i]);
        m->wall_nm = gs_scenario_getf(scn, "controls.%s.wall_nm", ms[i])->dist.a;
        m->touches = calloc(c->n_seg ? c->n_seg : 1, 1);
        if (!m->touches)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        rc = seg_flags(scn, gs_scenario_getf(scn, "controls.%s.segments", ms[i]), segs, c->n_seg,
                       m->touches, NULL, err);
        if (rc)
            return rc;
    }

    /* The year gap is at most the horizon minus the oldest observed year. */
    c->gap_levels = int_levels(-(int)c->n_g, (int)c->n_g, &c->n_gap_levels);
    c->year_levels = int_levels(-1, T - (int)c->obs_f[0] + 1, &c->n_year_levels);
    size_t n_ctl;
    c->ctl_levels = int_levels(0, (int)c->n_m, &n_ctl);
    if (!c->gap_levels || !c->year_levels || !c->ctl_levels)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");

    gs_output_decl d1 = {"node_domestic_nm", "nm", c->levels, c->n_g};
    gs_output_decl d2 = {"node_frontier_nm", "nm", c->levels, c->n_g};
    gs_output_decl d3 = {"gen_gap", "generations", c->gap_levels, c->n_gap_levels};
    gs_output_decl d4 = {"year_gap", "yr", c->year_levels, c->n_year_levels};
    gs_output_decl d5 = {"controls_active", "measures", c->ctl_levels, n_ctl};
    c->out_dom = gs_shape_output(sh, &d1);
    c->out_front = gs_shape_output(sh, &d2);
    c->out_gen = gs_shape_output(sh, &d3);
    c->out_year = gs_shape_output(sh, &d4);
    c->out_ctl = gs_shape_output(sh, &d5);
    if (c->out_dom < 0 || c->out_front < 0 || c->out_gen < 0 || c->out_year < 0 ||
        c->out_ctl < 0)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");

    const gs_pval *mil = gs_scenario_get(scn, "node.milestones");
    for (size_t i = 0; i < mil->n_arr; i++) {
        gs_tracker_decl tr = {GS_TRACK_MILESTONE, (size_t)c->out_dom, mil->arr[i], 0, ""};
        snprintf(tr.label, sizeof tr.label, "%g nm", mil->arr[i]);
        if (gs_shape_tracker(sh, &tr) < 0)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    return GS_OK;
}

static size_t node_state_size(const void *vc)
{
    const node_conf *c = vc;
    return sizeof(node_state) + 2 * c->n_g * sizeof(double) + c->n_m * sizeof(int);
}

static void node_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    const node_conf *c = vc;
    /* Frontier intervals, then one step shock per generation: a step's shock
     * belongs to the step, not to the year it starts in, so a trajectory that
     * arrives earlier faces the same shocks (common random numbers keep more
     * investment from ever delaying a node, trajectory by trajectory). */
    *n_init = 2 * c->n_g;
    *n_year = c->n_m;                        /* measure hazards */
}

static void update_penalties(const node_conf *c, node_state *s, const double *theta,
                             gs_world *w)
{
    s->n_active = 0;
    for (size_t i = 0; i < c->n_seg; i++)
        w->seg_penalty[i] = 1.0;
    for (size_t k = 0; k < c->n_m; k++) {
        if (!s->active[k])
            continue;
        s->n_active++;
        for (size_t i = 0; i < c->n_seg; i++)
            if (c->m[k].touches[i])
                w->seg_penalty[i] *= 1.0 - theta[c->m[k].penalty];
    }
}

static size_t frontier_gen(const node_conf *c, const node_state *s, int t)
{
    size_t g = 0;
    while (g + 1 < c->n_g && s->f_year[g + 1] <= t)
        g++;
    return g;
}

static void publish(const node_conf *c, const node_state *s, gs_world *w)
{
    w->node_domestic_nm = c->nm[s->kD];
    w->year_gap = w->t - s->f_year[s->kD];
}

static void node_init(const void *vc, void *vs, const double *theta, gs_world *w,
                      const double *u)
{
    const node_conf *c = vc;
    node_state *s = vs;
    s->f_year = (double *)(s + 1);
    s->xi = s->f_year + c->n_g;
    s->active = (int *)(s->xi + c->n_g);
    /* Projected frontier intervals run on from the last observed year. */
    double arrival = 0;
    for (size_t g = 0; g < c->n_g; g++) {
        if (g < c->n_obs_f) {
            arrival = c->obs_f[g];
        } else {
            double z = gsl_cdf_ugaussian_Pinv(u[g]);
            arrival += theta[c->median_f] * exp(theta[c->sigma_f] * z);
        }
        s->f_year[g] = floor(arrival);
    }
    s->kD = c->k0;
    s->prog = 0;
    for (size_t g = 0; g < c->n_g; g++)
        s->xi[g] = gsl_cdf_ugaussian_Pinv(u[c->n_g + g]);
    s->r_n = 0;
    for (size_t k = 0; k < c->n_m; k++)
        s->active[k] = !c->m[k].hazard_mode && theta[c->m[k].year] <= c->t0;
    update_penalties(c, s, theta, w);
    publish(c, s, w);
}

/* Years of effort the step from generation k to k+1 takes at investment R. */
static double step_length(const node_conf *c, const node_state *s, const double *theta,
                          size_t k, double R)
{
    double beta = theta[c->elasticity];
    double rel = c->n_rd ? R / theta[c->r_ref] : 1.0;
    if (beta > 0 && rel <= 0)
        return INFINITY;
    double phi = 1.0;
    for (size_t m = 0; m < c->n_m; m++)
        if (s->active[m] && c->nm[k + 1] <= c->m[m].wall_nm)
            phi *= theta[c->m[m].delay];
    double tau = theta[c->median] * pow(theta[c->difficulty], (double)(k - c->k0)) *
                 pow(rel, -beta) * phi * exp(theta[c->sigma] * s->xi[k]);
    return fmax(tau, theta[c->min_step]);
}

static void progress(const node_conf *c, node_state *s, const double *theta, gs_world *w)
{
    int t = w->t;
    /* Observed generations arrive in their observed years. */
    while (s->kD + 1 < c->n_g && s->kD - c->k0 < c->n_obs_d &&
           c->obs_d[s->kD - c->k0] <= t)
        s->kD++;
    if (s->kD - c->k0 < c->n_obs_d)
        return; /* the next generation is still an observed one */

    double R = 0;
    for (int i = 0; i < s->r_n; i++)
        R += s->r[i];
    R = s->r_n ? R / s->r_n : 0;

    double left = 1.0; /* this year's effort, in years */
    while (s->kD + 1 < c->n_g && left > 0) {
        double tau = step_length(c, s, theta, s->kD, R);
        double need = (1.0 - s->prog) * tau;
        if (need > left) {
            s->prog += left / tau;
            break;
        }
        /* Follower bound: not before the frontier's year plus the minimum lag. */
        if (t < s->f_year[s->kD + 1] + theta[c->lag_min]) {
            s->prog = 1.0;
            break;
        }
        s->kD++;
        left -= need;
        s->prog = 0;
    }
}

static void node_step(const void *vc, void *vs, const double *theta, gs_world *w, gs_phase ph,
                      const double *u)
{
    const node_conf *c = vc;
    node_state *s = vs;
    int t = w->t;
    switch (ph) {
    case GS_PHASE_EVENTS:
        if (t == c->t0)
            break;
        for (size_t k = 0; k < c->n_m; k++) {
            const measure *m = &c->m[k];
            if (s->active[k])
                continue;
            if (!m->hazard_mode)
                s->active[k] = t >= theta[m->year];
            else
                s->active[k] = t >= theta[m->year] && u[k] < theta[m->hazard];
        }
        update_penalties(c, s, theta, w);
        break;
    case GS_PHASE_NODE: {
        double rd = 0;
        for (size_t i = 0; i < c->n_seg; i++)
            if (c->rd[i])
                rd += w->invest_seg[i];
        if (s->r_n < 3) {
            s->r[s->r_n++] = rd;
        } else {
            s->r[0] = s->r[1];
            s->r[1] = s->r[2];
            s->r[2] = rd;
        }
        if (t > c->t0)
            progress(c, s, theta, w);
        publish(c, s, w);
        break;
    }
    case GS_PHASE_RECORD: {
        size_t kF = frontier_gen(c, s, t);
        w->out[c->out_dom] = c->nm[s->kD];
        w->out[c->out_front] = c->nm[kF];
        w->out[c->out_gen] = (double)kF - (double)s->kD;
        w->out[c->out_year] = w->year_gap;
        w->out[c->out_ctl] = s->n_active;
        break;
    }
    default:
        break;
    }
}

/* year_gap_dist.csv: the distribution of the years-behind gap in each
 * report year, the levels it takes with their probability and the CDF. */
static void write_gap_dist(const void *vc, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    const node_conf *c = vc;
    fputs("year,years_behind,probability,cdf\r\n", f);
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    const gs_output_decl *d = gs_results_output(r, (size_t)c->out_year);
    for (size_t i = 0; i < n_ry; i++) {
        int year = (int)ry[i];
        double cdf = 0;
        for (size_t k = 0; k < d->n_levels; k++) {
            double p = gs_results_level_prob(r, (size_t)c->out_year, year, k);
            if (!(p > 0))
                continue;
            cdf += p;
            fprintf(f, "%d,%.10g,%.10g,%.10g\r\n", year, d->levels[k], p, fmin(cdf, 1.0));
        }
    }
}

/* Summary, detail: the years-behind gap in the report years, then when the
 * domestic leader reaches each milestone node. */
static void node_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                         gs_summary_part part, gs_strbuf *b)
{
    const node_conf *c = vc;
    if (part != GS_SUMMARY_DETAIL)
        return;
    int T = gs_results_T(r);
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    size_t vg = (size_t)c->out_year;
    if (n_ry) {
        gs_strbuf_printf(b, "Years behind the frontier, median (90%% interval):\n");
        for (size_t i = 0; i < n_ry; i++) {
            int y = (int)ry[i];
            gs_strbuf_printf(b, "  %d: %.0f (%.0f-%.0f)\n", y, gs_results_quantile(r, vg, y, 0.5),
                             gs_results_quantile(r, vg, y, 0.05),
                             gs_results_quantile(r, vg, y, 0.95));
        }
    }
    int any = 0;
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind != GS_TRACK_MILESTONE || tr->output != (size_t)c->out_dom)
            continue;
        if (!any++)
            gs_strbuf_printf(b, "%sDomestic leader reaches, median year (90%% interval):\n",
                             n_ry ? "\n" : "");
        char a[32], m[32], z[32], nb[16];
        gs_fmt_year(a, sizeof a, gs_results_tracker_first(r, k, 0.05), T);
        gs_fmt_year(m, sizeof m, gs_results_tracker_first(r, k, 0.5), T);
        gs_fmt_year(z, sizeof z, gs_results_tracker_first(r, k, 0.95), T);
        gs_strbuf_printf(b, "  %g nm: %s (%s to %s); not by %d in %s of trajectories\n",
                         tr->threshold, m, a, z, T,
                         gs_fmt_pct(nb, sizeof nb, gs_results_tracker_never(r, k)));
    }
}

/* What the charts and compare.csv show of this model (docs/charts.md). */
static const char *const node_charts[] = {"nodes", "gap", "gap_dist", NULL};
static const char *const node_compare_charts[] = {"compare_nodes", NULL};
static const gs_figure_decl node_figures[] = {{"year_gap", "p50", 0}, {"node_domestic_nm", "p50", 0}, {NULL, NULL, 0}};
static const gs_plot_decl node_plot = {node_charts, node_compare_charts, node_figures};
static const gs_table_decl node_tables[] = {{"year_gap_dist.csv", write_gap_dist}, {NULL, NULL}};

const gs_model_type gs_model_node = {
    "node",
    "process-node progress of the frontier and the domestic leader, and export controls",
    node_params,
    sizeof(node_conf),
    node_bind,
    node_unbind,
    node_state_size,
    node_noise,
    node_init,
    node_step,
    &node_plot,
    node_tables,
    node_summary,
    NULL,
};
