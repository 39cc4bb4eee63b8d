/* The frontier and the export controls (docs/model.md, 4.1 and 4.2).
 *
 * Frontier: the best of TSMC, Samsung and Intel, as progress
 * x = ln(28 / label).  Through the record's last year it is the record;
 * after it a random walk with drift whose drift and noise are drawn per
 * trajectory from their sampling distribution given the record's yearly
 * increments (Farmer & Lafond 2016): the forecast variance grows like
 * sigma^2 (tau + tau^2 / m).
 *
 * Controls: stacked measures, each with a threshold node, a timing law and
 * its effects on the rungs it touches (every rung at or below its threshold):
 * step delays add, cost penalties add, blocked money combines as independent
 * shares, substitution adds.  No measure moves the leader to a finer rung:
 * delays are >= 1 and nothing here changes the leader's rung. */
#include "gs_v2.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

static const double flag_levels[] = {0.0, 1.0};

static const gs_param_def frontier_params[] = {
    {"frontier.record.years", GS_PT_NUMBER_ARRAY, GS_PF_INT | GS_PF_REQUIRED, "year", 0, NULL,
     1950, 2200,
     "years of the frontier's record rows (volume production at the best of TSMC, Samsung and "
     "Intel), oldest first"},
    {"frontier.record.nm", GS_PT_NUMBER_ARRAY, GS_PF_REQUIRED, "nm", 0, NULL, 0.01, 1000,
     "node label of each record row; the frontier in year t is the smallest label of the rows "
     "up to t"},
    {"frontier.record.until", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT | GS_PF_REQUIRED, "year", 0,
     NULL, 1950, 2200,
     "last year of the record: the frontier is the record through it and a random walk after "
     "it, fitted to the record's yearly increments"},
    {"frontier.drift_min", GS_PT_NUMBER, 0, "log nm/yr", 0.05, NULL, 0, 1,
     "smallest drift a trajectory may draw"},
    {"frontier.fit", GS_PT_BOOL, 0, "", 1, NULL, 0, 0,
     "true: drift and noise drawn per trajectory from their sampling distribution given the "
     "record; false: frontier.drift and frontier.noise as given"},
    {"frontier.drift", GS_PT_NUMBER, 0, "log nm/yr", 0.2, NULL, 0, 2,
     "drift of ln(28 / label) after the record when frontier.fit is false"},
    {"frontier.noise", GS_PT_NUMBER, 0, "log nm/yr", 0.0, NULL, 0, 2,
     "standard deviation of the yearly step after the record when frontier.fit is false"},
    {"controls.*.threshold_nm", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "nm", 0, NULL, 0.1,
     1000, "the measure touches every rung at or below this node label"},
    {"controls.*.class", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "tool class or kind of measure (documentation: \"EUV\", \"SME\", \"end user\", ...)"},
    {"controls.*.law", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "timing law: \"fixed\" (in force from year), \"hazard\" (starts in the first year from "
     "year in which a uniform falls below hazard, after its predecessor when it has one) or "
     "\"hazard_until\" (as hazard, and in force for certain from until)"},
    {"controls.*.year", GS_PT_NUMBER, GS_PF_INT | GS_PF_REQUIRED, "year", 0, NULL, 1950, 2200,
     "year the measure takes effect (fixed) or can first start (hazard laws)"},
    {"controls.*.hazard", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "yearly probability that a hazard measure starts"},
    {"controls.*.after", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "name of the measure this one escalates from: a hazard measure can start only in a year "
     "after that one came into force (\"\": none)"},
    {"controls.*.until", GS_PT_NUMBER, GS_PF_INT, "year", 0, NULL, 0, 2200,
     "hazard_until: the measure is in force for certain from this year"},
    {"controls.*.lifted", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "year", 0, NULL, 0, 2200,
     "year from which the measure is no longer in force, for good (0: never lifted)"},
    {"controls.*.rho", GS_PT_NUMBER, 0, "ratio", 1.0, NULL, 1, 20,
     "step delay: the leader's step to a touched rung takes rho times as long (delays of "
     "stacked measures add: 1 + sum (rho - 1))"},
    {"controls.*.pi", GS_PT_NUMBER, 0, "fraction of unit cost", 0.0, NULL, 0, 5,
     "cost penalty added to the penalty of every touched rung"},
    {"controls.*.zeta", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 1,
     "share of the leader's planned money for a touched rung that finds no tools"},
    {"controls.*.sub", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 1,
     "substitution: captive domestic demand raises the output value of a touched rung by this "
     "share"},
    {"controls.*.foreign_cut", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 1,
     "share of foreign-owned fabs' tool spending in China the measure stops (c_F)"},
    {"controls.*.tool_measure", GS_PT_BOOL, 0, "", 1, NULL, 0, 0,
     "the measure restricts tools, so that it counts in the domestic push (tools.domestic_push)"},
    GS_PARAM_END};

enum { LAW_FIXED, LAW_HAZARD, LAW_UNTIL };

typedef struct measure {
    int law;
    long year, hazard, until, rho, pi, zeta, sub, cut; /* parameter indices */
    int lifted;                                        /* year lifted, 0 never */
    long pred;                                         /* index of the predecessor, -1 none */
    double thr;
    int tool;
    long out_flag;
    unsigned char reach[GS_RUNGS]; /* the rungs at or below thr (gs_node_reached), once */
} measure;

typedef struct frontier_conf {
    int t0, T, t_rec, y_first;
    double *x_rec;  /* record progress by year, y_first..t_rec */
    double dhat, shat;
    int m;          /* increments in the record */
    long drift_min, drift, noise;
    int fit;
    size_t n_m;
    measure *ms;
    double *ctl_levels;
    gs_v2_links l;
    long out_front, out_active;
    double x_rung[GS_RUNGS]; /* ln(GS_X_REF / the rung's nm), once */
} frontier_conf;

typedef struct frontier_state {
    double x, xbar, mu, sigma;
    double yF[GS_RUNGS];
    int *in_force;  /* n_m: first year in force, 0 while not */
} frontier_state;

static void frontier_unbind(void *vc)
{
    frontier_conf *c = vc;
    free(c->x_rec);
    free(c->ms);
    free(c->ctl_levels);
}

static gs_status oom(gs_error *err)
{
    return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
}

static gs_status bind_record(frontier_conf *c, const gs_scenario *scn, gs_error *err)
{
    const gs_pval *ys = gs_scenario_get(scn, "frontier.record.years");
    const gs_pval *ns = gs_scenario_get(scn, "frontier.record.nm");
    if (ys->n_arr == 0 || ns->n_arr != ys->n_arr)
        return gs_scenario_errorf(scn, ns->path, err,
                                  "frontier.record.nm has %zu entries but frontier.record.years "
                                  "has %zu (one label per year, at least one)",
                                  ns->n_arr, ys->n_arr);
    for (size_t i = 1; i < ys->n_arr; i++)
        if (ys->arr[i] < ys->arr[i - 1])
            return gs_scenario_errorf(scn, ys->path, err,
                                      "frontier.record.years: years must not decrease (%.0f "
                                      "after %.0f)",
                                      ys->arr[i], ys->arr[i - 1]);
    c->y_first = (int)ys->arr[0];
    c->t_rec = (int)gs_scenario_num(scn, "frontier.record.until");
    if (c->t_rec < c->t0 || c->y_first > c->t0)
        return gs_scenario_errorf(scn, "frontier.record.until", err,
                                  "frontier.record.until = %d: the record must cover the base "
                                  "year %d (it runs %d-%d)",
                                  c->t_rec, c->t0, c->y_first, c->t_rec);
    c->m = c->t_rec - c->y_first;
    if (c->m < 3)
        return gs_scenario_errorf(scn, "frontier.record.until", err,
                                  "frontier.record.until = %d: the record needs at least three "
                                  "yearly increments to fit a drift and a noise, it has %d",
                                  c->t_rec, c->m);
    c->x_rec = malloc((size_t)(c->m + 1) * sizeof *c->x_rec);
    if (!c->x_rec)
        return oom(err);
    double best = INFINITY;
    size_t i = 0;
    for (int t = c->y_first; t <= c->t_rec; t++) {
        while (i < ys->n_arr && ys->arr[i] <= t) {
            best = fmin(best, ns->arr[i]);
            i++;
        }
        c->x_rec[t - c->y_first] = log(GS_X_REF / best);
    }
    /* The running minimum of labels never rises: increments are >= 0. */
    double sum = 0;
    for (int s = 1; s <= c->m; s++)
        sum += c->x_rec[s] - c->x_rec[s - 1];
    c->dhat = sum / c->m;
    double ss = 0;
    for (int s = 1; s <= c->m; s++) {
        double d = c->x_rec[s] - c->x_rec[s - 1] - c->dhat;
        ss += d * d;
    }
    c->shat = sqrt(ss / (c->m - 1));
    if (!(c->shat > 0))
        return gs_scenario_errorf(scn, ns->path, err,
                                  "frontier.record: every yearly increment is the same, the "
                                  "record gives no noise to fit");
    return GS_OK;
}

static gs_status frontier_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    frontier_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    c->T = (int)gs_scenario_num(scn, "scenario.horizon");
    gs_status rc = bind_record(c, scn, err);
    if (rc)
        return rc;
    c->drift_min = gs_scenario_index(scn, "frontier.drift_min");
    c->drift = gs_scenario_index(scn, "frontier.drift");
    c->noise = gs_scenario_index(scn, "frontier.noise");
    c->fit = gs_scenario_get(scn, "frontier.fit")->boolean;
    for (int n = 0; n < GS_RUNGS; n++)
        c->x_rung[n] = log(GS_X_REF / gs_rung_nm(n));

    char *const *names;
    c->n_m = gs_scenario_items(scn, "controls", &names);
    c->ms = calloc(c->n_m ? c->n_m : 1, sizeof *c->ms);
    if (!c->ms)
        return oom(err);
    for (size_t k = 0; k < c->n_m; k++) {
        measure *m = &c->ms[k];
        const char *n = names[k];
        const gs_pval *law = gs_scenario_getf(scn, "controls.%s.law", n);
        if (strcmp(law->str, "fixed") == 0)
            m->law = LAW_FIXED;
        else if (strcmp(law->str, "hazard") == 0)
            m->law = LAW_HAZARD;
        else if (strcmp(law->str, "hazard_until") == 0)
            m->law = LAW_UNTIL;
        else
            return gs_scenario_errorf(scn, law->path, err,
                                      "%s: unknown law \"%s\" (\"fixed\", \"hazard\" or "
                                      "\"hazard_until\")",
                                      law->path, law->str);
        m->year = gs_scenario_indexf(scn, "controls.%s.year", n);
        m->hazard = gs_scenario_indexf(scn, "controls.%s.hazard", n);
        m->until = gs_scenario_indexf(scn, "controls.%s.until", n);
        m->rho = gs_scenario_indexf(scn, "controls.%s.rho", n);
        m->pi = gs_scenario_indexf(scn, "controls.%s.pi", n);
        m->zeta = gs_scenario_indexf(scn, "controls.%s.zeta", n);
        m->sub = gs_scenario_indexf(scn, "controls.%s.sub", n);
        m->cut = gs_scenario_indexf(scn, "controls.%s.foreign_cut", n);
        m->thr = gs_scenario_getf(scn, "controls.%s.threshold_nm", n)->dist.a;
        const gs_pval *lift = gs_scenario_getf(scn, "controls.%s.lifted", n);
        m->lifted = (int)lift->dist.a;
        if (m->lifted && m->lifted <= gs_dist_lower(&gs_scenario_getf(scn, "controls.%s.year",
                                                                      n)->dist))
            return gs_scenario_errorf(scn, lift->path, err,
                                      "%s = %d: a measure is lifted after the year it can "
                                      "start",
                                      lift->path, m->lifted);
        for (int r = 0; r < GS_RUNGS; r++)
            m->reach[r] = (unsigned char)gs_node_reached(gs_rung_nm(r), m->thr);
        m->tool = gs_scenario_getf(scn, "controls.%s.tool_measure", n)->boolean;
        const gs_pval *until = gs_scenario_getf(scn, "controls.%s.until", n);
        if (m->law == LAW_UNTIL && until->layer < 0)
            return gs_scenario_errorf(scn, law->path, err,
                                      "controls.%s: the law \"hazard_until\" needs until (the "
                                      "year from which the measure is certain)",
                                      n);
        const gs_pval *after = gs_scenario_getf(scn, "controls.%s.after", n);
        gs_status rp = gs_v2_earlier(scn, after, names, k, "measure",
                                     "a measure escalates from one listed before it", &m->pred,
                                     err);
        if (rp != GS_OK)
            return rp;
        if (m->pred >= 0 && m->law == LAW_FIXED)
            return gs_scenario_errorf(scn, after->path, err,
                                      "%s: a \"fixed\" measure has no predecessor (use the "
                                      "law \"hazard\")",
                                      after->path);
        gs_output_decl d = {"", "0/1", flag_levels, 2};
        snprintf(d.name, sizeof d.name, "control_%s", n);
        if ((m->out_flag = gs_shape_output(sh, &d)) < 0)
            return oom(err);
    }
    c->ctl_levels = malloc((c->n_m + 1) * sizeof *c->ctl_levels);
    if (!c->ctl_levels)
        return oom(err);
    for (size_t k = 0; k <= c->n_m; k++)
        c->ctl_levels[k] = (double)k;
    gs_output_decl fr = {"frontier_nm", "nm", NULL, 0};
    gs_output_decl ca = {"controls_active", "measures", c->ctl_levels, c->n_m + 1};
    c->out_front = gs_shape_output(sh, &fr);
    c->out_active = gs_shape_output(sh, &ca);
    if (c->out_front < 0 || c->out_active < 0 || gs_v2_links_declare(sh, &c->l) < 0)
        return oom(err);
    return GS_OK;
}

static size_t frontier_state_size(const void *vc)
{
    const frontier_conf *c = vc;
    return sizeof(frontier_state) + c->n_m * sizeof(int);
}

static void frontier_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    const frontier_conf *c = vc;
    *n_init = 2;          /* the chi-square of the noise, the normal of the drift */
    *n_year = c->n_m + 1; /* one uniform per measure, the frontier's normal */
}

/* The effects of the measures in force on every rung they touch. */
static void publish_controls(const frontier_conf *c, const frontier_state *s,
                             const double *theta, gs_world *w)
{
    double *phi = w->link + c->l.phi, *pic = w->link + c->l.pic;
    double *zeta = w->link + c->l.zeta, *sub = w->link + c->l.sub;
    double keep[GS_RUNGS], foreign = 1.0, n_tool = 0;
    for (int n = 0; n < GS_RUNGS; n++) {
        phi[n] = 1.0;
        pic[n] = 0.0;
        keep[n] = 1.0;
        sub[n] = 1.0;
    }
    for (size_t k = 0; k < c->n_m; k++) {
        const measure *m = &c->ms[k];
        if (!s->in_force[k])
            continue;
        foreign *= 1.0 - theta[m->cut];
        n_tool += m->tool;
        /* Loaded once: the stores below could otherwise alias theta. */
        double rho1 = theta[m->rho] - 1.0, pi = theta[m->pi], keep1 = 1.0 - theta[m->zeta];
        double sb = theta[m->sub];
        for (int n = 0; n < GS_RUNGS; n++) {
            if (!m->reach[n])
                continue;
            phi[n] += rho1;
            pic[n] += pi;
            keep[n] *= keep1;
            sub[n] += sb;
        }
    }
    for (int n = 0; n < GS_RUNGS; n++)
        zeta[n] = 1.0 - keep[n];
    w->link[c->l.foreign] = foreign;
    w->link[c->l.n_tool] = n_tool;
}

static void publish_frontier(const frontier_conf *c, frontier_state *s, gs_world *w)
{
    s->xbar = fmax(s->xbar, s->x);
    for (int n = 0; n < GS_RUNGS; n++)
        if (s->yF[n] >= GS_NEVER && s->xbar >= c->x_rung[n] - 1e-12)
            s->yF[n] = w->t;
    memcpy(w->link + c->l.yF, s->yF, sizeof s->yF);
    w->link[c->l.xbar] = s->xbar;
}

static void frontier_init(const void *vc, void *vs, const double *theta, gs_world *w,
                          const double *u)
{
    const frontier_conf *c = vc;
    frontier_state *s = vs;
    s->in_force = (int *)(s + 1);
    /* Drift and noise given the record: sigma^2 = shat^2 (m - 1) / chi2_{m-1},
     * mu ~ N(dhat, sigma^2 / m), floored at drift_min. */
    double chi = gsl_cdf_chisq_Pinv(u[0], c->m - 1.0);
    s->sigma = c->shat * sqrt((c->m - 1.0) / fmax(chi, 1e-300));
    s->mu = fmax(theta[c->drift_min],
                 c->dhat + s->sigma / sqrt((double)c->m) * gsl_cdf_ugaussian_Pinv(u[1]));
    if (!c->fit) {
        s->mu = theta[c->drift];
        s->sigma = theta[c->noise];
    }
    /* The record up to the base year: first years of the rungs it reached. */
    for (int n = 0; n < GS_RUNGS; n++)
        s->yF[n] = GS_NEVER;
    s->xbar = -INFINITY;
    for (int t = c->y_first; t <= c->t0; t++) {
        s->x = c->x_rec[t - c->y_first];
        w->t = t;
        publish_frontier(c, s, w);
    }
    w->t = c->t0;
    /* Fixed measures dated at or before the base year are in force in it. */
    for (size_t k = 0; k < c->n_m; k++)
        s->in_force[k] = c->ms[k].law == LAW_FIXED && theta[c->ms[k].year] <= c->t0 &&
                                 !(c->ms[k].lifted && c->ms[k].lifted <= c->t0)
                             ? (int)theta[c->ms[k].year]
                             : 0;
    publish_controls(c, s, theta, w);
}

static void events(const frontier_conf *c, frontier_state *s, const double *theta, int t,
                   const double *u)
{
    for (size_t k = 0; k < c->n_m; k++) {
        const measure *m = &c->ms[k];
        if (m->lifted && t >= m->lifted) {
            s->in_force[k] = 0; /* lifted for good: it cannot start again */
            continue;
        }
        if (s->in_force[k])
            continue; /* measures never lapse unless lifted */
        int on;
        if (m->law == LAW_FIXED) {
            on = t >= theta[m->year];
        } else {
            int pred_ok = m->pred < 0 || (s->in_force[m->pred] && s->in_force[m->pred] < t);
            on = t >= theta[m->year] && pred_ok && u[k] < theta[m->hazard];
            if (m->law == LAW_UNTIL && t >= theta[m->until])
                on = 1;
        }
        if (on)
            s->in_force[k] = t;
    }
}

static void frontier_step(const void *vc, void *vs, const double *theta, gs_world *w,
                          gs_phase ph, const double *u)
{
    const frontier_conf *c = vc;
    frontier_state *s = vs;
    int t = w->t;
    switch (ph) {
    case GS_PHASE_EVENTS:
        if (t == c->t0)
            break; /* the base year is the initial state */
        events(c, s, theta, t, u);
        publish_controls(c, s, theta, w);
        if (t <= c->t_rec)
            s->x = c->x_rec[t - c->y_first];
        else
            s->x += s->mu + s->sigma * gsl_cdf_ugaussian_Pinv(u[c->n_m]);
        publish_frontier(c, s, w);
        break;
    case GS_PHASE_RECORD: {
        int n_in = 0;
        for (size_t k = 0; k < c->n_m; k++) {
            w->out[c->ms[k].out_flag] = s->in_force[k] != 0;
            n_in += s->in_force[k] != 0;
        }
        w->out[c->out_active] = n_in;
        w->out[c->out_front] = GS_X_REF * exp(-s->xbar);
        break;
    }
    default:
        break;
    }
}

/* Summary, detail: the frontier's node and each measure's chance of being in
 * force in the report years. */
static void frontier_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                             gs_summary_part part, gs_strbuf *b)
{
    const frontier_conf *c = vc;
    if (part != GS_SUMMARY_DETAIL)
        return;
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    if (!n_ry)
        return;
    size_t vf = (size_t)c->out_front;
    gs_strbuf_printf(b, "Frontier node (nm), median (90%% interval):\n");
    for (size_t i = 0; i < n_ry; i++) {
        int y = (int)ry[i];
        /* Low-high like every interval of the summary: the finer node first. */
        gs_strbuf_printf(b, "  %d: %.2g (%.2g-%.2g)\n", y, gs_results_quantile(r, vf, y, 0.5),
                         gs_results_quantile(r, vf, y, 0.05), gs_results_quantile(r, vf, y, 0.95));
    }
    if (!c->n_m)
        return;
    char *const *names;
    gs_scenario_items(scn, "controls", &names);
    gs_strbuf_printf(b, "\nExport-control measures, probability in force:\n  %-12s", "measure");
    for (size_t i = 0; i < n_ry; i++)
        gs_strbuf_printf(b, "  %6d", (int)ry[i]);
    gs_strbuf_printf(b, "\n");
    for (size_t k = 0; k < c->n_m; k++) {
        gs_strbuf_printf(b, "  %-12s", names[k]);
        for (size_t i = 0; i < n_ry; i++) {
            char pc[16];
            gs_strbuf_printf(b, "  %6s",
                             gs_fmt_pct(pc, sizeof pc,
                                        gs_results_level_prob(r, (size_t)c->ms[k].out_flag,
                                                              (int)ry[i], 1)));
        }
        gs_strbuf_printf(b, "\n");
    }
}

static const gs_figure_decl frontier_figures[] = {{"frontier_nm", "p50", 0},
                                                  {"controls_active", "p50", 0},
                                                  {NULL, NULL, 0}};
static const gs_plot_decl frontier_plot = {NULL, NULL, frontier_figures};
/* manifest.json lists the measures. */
static const char *const frontier_manifest[] = {"controls", NULL};

const gs_model_type gs_model_frontier = {
    "frontier",
    "the world frontier's node (record, then a random walk with drawn drift) and the export "
    "control measures in force",
    frontier_params,
    sizeof(frontier_conf),
    frontier_bind,
    frontier_unbind,
    frontier_state_size,
    frontier_noise,
    frontier_init,
    frontier_step,
    &frontier_plot,
    NULL,
    frontier_summary,
    frontier_manifest,
};
