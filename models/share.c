/* M2, capacity and domestic share: demand by segment, capital, competitiveness
 * from the node gap and export controls, and China's domestic share of its own
 * chip consumption. */
#include "gs_model.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const gs_param_def share_params[] = {
    {"market.base_share", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "fraction", 0, NULL, 0, 1,
     "domestic share of consumption in the base year, as the scenario's share definition counts "
     "it; the segments' base-year shares must add up to it"},
    {"market.demand0", GS_PT_NUMBER, GS_PF_REQUIRED, "USD bn/yr", 0, NULL, 0.001, 1e5,
     "China's chip consumption in the base year"},
    {"market.demand_growth", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -0.5, 1,
     "mean yearly growth of consumption"},
    {"market.demand_noise", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 0.5,
     "standard deviation of the yearly growth shock (process noise)"},
    {"market.depreciation", GS_PT_NUMBER, 0, "1/yr", 0.1, NULL, 0, 1,
     "share of capital retired each year (delta)"},
    {"market.decay", GS_PT_NUMBER, 0, "1/yr", 0.15, NULL, 0, 5,
     "fall of competitiveness per year of node lag beyond a segment's grace (lambda_c)"},
    {"segments.*.weight", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "fraction", 0, NULL, 0, 1,
     "the segment's share of consumption in the base year; the weights sum to 1"},
    {"segments.*.drift", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -0.2, 0.2,
     "yearly change of the weight (clipped at 0, weights renormalised)"},
    {"segments.*.node_nm", GS_PT_NUMBER, GS_PF_FIXED, "nm", 0.0, NULL, 0, 10000,
     "node the segment requires; 0 when any node can serve it"},
    {"segments.*.grace", GS_PT_NUMBER, 0, "yr", 0.0, NULL, 0, 50,
     "years of node lag before the segment's competitiveness falls"},
    {"segments.*.turnover", GS_PT_NUMBER, GS_PF_REQUIRED, "1/yr", 0, NULL, 0.01, 10,
     "output per unit of capital (asset turnover, kappa)"},
    {"segments.*.share0", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "fraction", 0, NULL, 0, 1,
     "domestic share of the segment's consumption in the base year"},
    {"segments.*.cap", GS_PT_NUMBER, 0, "fraction", 1.0, NULL, 0, 1,
     "highest share the segment can reach"},
    {"segments.*.stranded", GS_PT_NUMBER, 0, "USD bn", 0.0, NULL, 0, 1e5,
     "capital waiting in the base year for a node the segment needs but the leader lacks"},
    {"market.share_basis", GS_PT_STRING, 0, "", 0, "\"CSIA\"", 0, 0,
     "short name of what the share counts (\"CSIA\": China's IC industry sales over China's "
     "IC consumption); observations of the share, demand or sales on another basis are not "
     "compared with this scenario"},
    {"targets.years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "years of the share targets"},
    {"targets.values", GS_PT_NUMBER_ARRAY, 0, "fraction", 0, "[]", 0, 1,
     "values of the share targets: reached when the total share >= value in the year"},
    {"targets.labels", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "labels of the share targets (optional; one per target)"},
    GS_PARAM_END};

typedef struct segment {
    double weight0, share0, node_nm;
    long drift, grace, turnover, cap, stranded;
    long out_share;
} segment;

typedef struct share_conf {
    int t0;
    double start_nm;
    long demand0, growth, noise, depreciation, decay, fx;
    size_t n_seg;
    segment *seg;
    long out_total, out_capital, out_demand, out_sales;
} share_conf;

typedef struct share_state {
    double D;        /* consumption in the current year, USD bn */
    double D_used, K_used;
    double *K;       /* capital at the start of the year (n_seg) */
    double *w;       /* weights this year */
    double *s;       /* shares this year */
} share_state;

static void share_unbind(void *vc)
{
    share_conf *c = vc;
    free(c->seg);
}

static gs_status share_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    share_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    int T = (int)gs_scenario_num(scn, "scenario.horizon");
    c->start_nm = gs_scenario_num(scn, "node.domestic.start_nm");
    c->demand0 = gs_scenario_index(scn, "market.demand0");
    c->growth = gs_scenario_index(scn, "market.demand_growth");
    c->noise = gs_scenario_index(scn, "market.demand_noise");
    c->depreciation = gs_scenario_index(scn, "market.depreciation");
    c->decay = gs_scenario_index(scn, "market.decay");
    c->fx = gs_scenario_index(scn, "fund.fx");

    char *const *names;
    c->n_seg = gs_scenario_items(scn, "segments", &names);
    c->seg = calloc(c->n_seg ? c->n_seg : 1, sizeof *c->seg);
    if (!c->seg)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    double wsum = 0, ssum = 0;
    for (size_t i = 0; i < c->n_seg; i++) {
        segment *g = &c->seg[i];
        const char *n = names[i];
        g->weight0 = gs_scenario_getf(scn, "segments.%s.weight", n)->dist.a;
        g->share0 = gs_scenario_getf(scn, "segments.%s.share0", n)->dist.a;
        g->node_nm = gs_scenario_getf(scn, "segments.%s.node_nm", n)->dist.a;
        g->drift = gs_scenario_indexf(scn, "segments.%s.drift", n);
        g->grace = gs_scenario_indexf(scn, "segments.%s.grace", n);
        g->turnover = gs_scenario_indexf(scn, "segments.%s.turnover", n);
        g->cap = gs_scenario_indexf(scn, "segments.%s.cap", n);
        g->stranded = gs_scenario_indexf(scn, "segments.%s.stranded", n);
        wsum += g->weight0;
        ssum += g->weight0 * g->share0;
        const gs_pval *cap = gs_scenario_getf(scn, "segments.%s.cap", n);
        if (g->share0 > gs_dist_lower(&cap->dist) &&
            g->share0 > (gs_dist_is_constant(&cap->dist) ? cap->dist.a : -1)) {
            char path[256];
            snprintf(path, sizeof path, "segments.%s.share0", n);
            return gs_scenario_errorf(scn, path, err,
                                      "%s = %.10g is above the segment's cap", path, g->share0);
        }
        if (g->share0 > 0 && g->node_nm > 0 && !gs_node_reached(c->start_nm, g->node_nm)) {
            char path[256];
            snprintf(path, sizeof path, "segments.%s.share0", n);
            return gs_scenario_errorf(scn, path, err,
                                      "%s = %.10g, but the segment needs %.10g nm and the "
                                      "domestic leader starts at %.10g nm",
                                      path, g->share0, g->node_nm, c->start_nm);
        }
    }
    char first[256];
    snprintf(first, sizeof first, "segments.%s.weight", c->n_seg ? names[0] : "");
    if (fabs(wsum - 1.0) > 1e-9)
        return gs_scenario_errorf(scn, first, err,
                                  "segments.*.weight: the weights sum to %.10g, they must sum "
                                  "to 1",
                                  wsum);
    /* The base-year shares are the scenario's anchor: they must agree with the
     * configured total, to the precision a share is quoted with. */
    double base = gs_scenario_num(scn, "market.base_share");
    if (fabs(ssum - base) > 1e-6)
        return gs_scenario_errorf(scn, "market.base_share", err,
                                  "market.base_share = %.10g, but the segments' weights and "
                                  "base-year shares give %.10g (sum of weight * share0)",
                                  base, ssum);

    gs_output_decl tot = {"share_total", "fraction", NULL, 0};
    c->out_total = gs_shape_output(sh, &tot);
    for (size_t i = 0; i < c->n_seg; i++) {
        gs_output_decl d = {"", "fraction", NULL, 0};
        snprintf(d.name, sizeof d.name, "share_%s", names[i]);
        c->seg[i].out_share = gs_shape_output(sh, &d);
        if (c->seg[i].out_share < 0)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gs_output_decl cap = {"capital_total", "USD bn", NULL, 0};
    gs_output_decl dem = {"demand", "USD bn/yr", NULL, 0};
    c->out_capital = gs_shape_output(sh, &cap);
    c->out_demand = gs_shape_output(sh, &dem);
    /* Sales in RMB, the unit the industry's own statistics use, at the
     * scenario's exchange rate. */
    gs_output_decl sal = {"sales_rmb", "RMB bn/yr", NULL, 0};
    c->out_sales = gs_shape_output(sh, &sal);
    if (c->out_total < 0 || c->out_capital < 0 || c->out_demand < 0 || c->out_sales < 0)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");

    const gs_pval *ty = gs_scenario_get(scn, "targets.years");
    const gs_pval *tv = gs_scenario_get(scn, "targets.values");
    const gs_pval *tl = gs_scenario_get(scn, "targets.labels");
    if (tv->n_arr != ty->n_arr)
        return gs_scenario_errorf(scn, tv->path, err,
                                  "targets.values has %zu entries but targets.years has %zu",
                                  tv->n_arr, ty->n_arr);
    if (tl->n_arr != 0 && tl->n_arr != ty->n_arr)
        return gs_scenario_errorf(scn, tl->path, err,
                                  "targets.labels has %zu entries but targets.years has %zu",
                                  tl->n_arr, ty->n_arr);
    for (size_t k = 0; k < ty->n_arr; k++) {
        int y = (int)ty->arr[k];
        if (y < c->t0 || y > T)
            return gs_scenario_errorf(scn, ty->path, err,
                                      "targets.years: %d is outside the simulated years %d-%d",
                                      y, c->t0, T);
        gs_tracker_decl tr = {GS_TRACK_TARGET, (size_t)c->out_total, tv->arr[k], y, ""};
        if (tl->n_arr)
            snprintf(tr.label, sizeof tr.label, "%s", tl->sarr[k]);
        else
            snprintf(tr.label, sizeof tr.label, "%g%% by %d", 100 * tv->arr[k], y);
        if (gs_shape_tracker(sh, &tr) < 0)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    return GS_OK;
}

static size_t share_state_size(const void *vc)
{
    const share_conf *c = vc;
    return sizeof(share_state) + 3 * c->n_seg * sizeof(double);
}

static void share_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    (void)vc;
    *n_init = 0;
    *n_year = 1; /* the demand growth shock */
}

/* c_i(t): 0 until the leader has the segment's node, else the lag decay times
 * the export-control penalties; segments that need no particular node only
 * feel the penalties. */
static double competitiveness(const share_conf *c, const segment *g, const double *theta,
                              const gs_world *w, size_t i)
{
    if (g->node_nm <= 0)
        return w->seg_penalty[i]; /* any node serves it: the leading-edge lag does not matter */
    if (!gs_node_reached(w->node_domestic_nm, g->node_nm))
        return 0.0;
    double lag = fmax(0.0, w->year_gap - theta[g->grace]);
    return exp(-theta[c->decay] * lag) * w->seg_penalty[i];
}

static void weights(const share_conf *c, const double *theta, int t, double *w)
{
    double sum = 0;
    for (size_t i = 0; i < c->n_seg; i++) {
        w[i] = fmax(0.0, c->seg[i].weight0 + theta[c->seg[i].drift] * (t - c->t0));
        sum += w[i];
    }
    for (size_t i = 0; i < c->n_seg; i++)
        w[i] = sum > 0 ? w[i] / sum : 0;
}

static void share_init(const void *vc, void *vs, const double *theta, gs_world *w,
                       const double *u)
{
    const share_conf *c = vc;
    share_state *s = vs;
    (void)u;
    s->K = (double *)(s + 1);
    s->w = s->K + c->n_seg;
    s->s = s->w + c->n_seg;
    s->D = theta[c->demand0];
    /* Initial capital is whatever makes the base-year shares come out. */
    for (size_t i = 0; i < c->n_seg; i++) {
        const segment *g = &c->seg[i];
        double ci = competitiveness(c, g, theta, w, i);
        double K = theta[g->stranded];
        if (g->share0 > 0)
            K = g->share0 * g->weight0 * s->D / (theta[g->turnover] * ci);
        s->K[i] = K;
    }
}

static void share_step(const void *vc, void *vs, const double *theta, gs_world *w, gs_phase ph,
                       const double *u)
{
    const share_conf *c = vc;
    share_state *s = vs;
    int t = w->t;
    switch (ph) {
    case GS_PHASE_SHARE:
        weights(c, theta, t, s->w);
        s->D_used = s->D;
        s->K_used = 0;
        for (size_t i = 0; i < c->n_seg; i++) {
            const segment *g = &c->seg[i];
            s->K_used += s->K[i];
            if (t == c->t0) {
                s->s[i] = g->share0; /* the base year is the initial state */
                continue;
            }
            double P = theta[g->turnover] * s->K[i] * competitiveness(c, g, theta, w, i);
            double need = s->w[i] * s->D;
            s->s[i] = need > 0 ? fmin(P / need, theta[g->cap]) : 0.0;
        }
        break;
    case GS_PHASE_CAPITAL: {
        double delta = theta[c->depreciation];
        for (size_t i = 0; i < c->n_seg; i++)
            s->K[i] = (1.0 - delta) * s->K[i] + w->invest_seg[i];
        double z = gsl_cdf_ugaussian_Pinv(u[0]);
        s->D = fmax(0.0, s->D * (1.0 + theta[c->growth] + theta[c->noise] * z));
        break;
    }
    case GS_PHASE_RECORD: {
        double S = 0;
        for (size_t i = 0; i < c->n_seg; i++) {
            S += s->w[i] * s->s[i];
            w->out[c->seg[i].out_share] = s->s[i];
        }
        w->out[c->out_total] = S;
        w->out[c->out_capital] = s->K_used;
        w->out[c->out_demand] = s->D_used;
        w->out[c->out_sales] = S * s->D_used * theta[c->fx];
        break;
    }
    default:
        break;
    }
}

/* Summary, headline: the total share in the base year, the report years and
 * the horizon, then the chance of each share target. */
static void share_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                          gs_summary_part part, gs_strbuf *b)
{
    const share_conf *c = vc;
    if (part != GS_SUMMARY_HEADLINE)
        return;
    int t0 = gs_results_t0(r), T = gs_results_T(r);
    size_t vs = (size_t)c->out_total;
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    gs_strbuf_printf(b, "Domestic share of consumption, median (90%% interval):\n");
    int years[16];
    size_t ny = 0;
    years[ny++] = t0;
    for (size_t i = 0; i < n_ry && ny < 15; i++)
        if ((int)ry[i] != t0 && (int)ry[i] != T)
            years[ny++] = (int)ry[i];
    years[ny++] = T;
    for (size_t i = 0; i < ny; i++)
        gs_strbuf_printf(b, "  %d: %.1f%% (%.1f-%.1f%%)\n", years[i],
                         100 * gs_results_quantile(r, vs, years[i], 0.5),
                         100 * gs_results_quantile(r, vs, years[i], 0.05),
                         100 * gs_results_quantile(r, vs, years[i], 0.95));
    int any = 0;
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind != GS_TRACK_TARGET || tr->output != vs)
            continue;
        if (!any++)
            gs_strbuf_printf(b, "\nShare targets:\n");
        double p, lo, hi, pb, lob, hib;
        gs_results_tracker_prob(r, k, &p, &lo, &hi);
        gs_results_tracker_prob_by(r, k, &pb, &lob, &hib);
        char y50[32], a[16], cl[16], ch[16], e[16], f[16], g[16], h[16];
        gs_fmt_year(y50, sizeof y50, gs_results_tracker_first(r, k, 0.5), T);
        /* "in" and "by" are different claims: at least the value in the
         * target year, or at least once in some year up to it. */
        gs_strbuf_printf(b, "  %g%% in %d (%s): probability %s (95%% CI %s to %s); reached in "
                            "some year by %d: %s (95%% CI %s to %s); first reached: median %s, "
                            "not by %d in %s of trajectories\n",
                         100 * tr->threshold, tr->year, tr->label, gs_fmt_pct(a, sizeof a, p),
                         gs_fmt_pct(cl, sizeof cl, lo), gs_fmt_pct(ch, sizeof ch, hi), tr->year,
                         gs_fmt_pct(f, sizeof f, pb), gs_fmt_pct(g, sizeof g, lob),
                         gs_fmt_pct(h, sizeof h, hib), y50, T,
                         gs_fmt_pct(e, sizeof e, gs_results_tracker_never(r, k)));
    }
}

/* What the charts and compare.csv show of this model (docs/charts.md). */
static const char *const share_charts[] = {"fan_share", "segments", "probabilities", NULL};
static const char *const share_compare_charts[] = {"compare_share", "compare_targets", NULL};
static const gs_figure_decl share_figures[] = {{"share_total", "p50,p05,p95", 0}, {NULL, NULL, 0}};
static const gs_plot_decl share_plot = {share_charts, share_compare_charts, share_figures};
/* manifest.json lists the segments (the segments chart reads them). */
static const char *const share_manifest[] = {"segments", NULL};

const gs_model_type gs_model_share = {
    "share",
    "capacity, competitiveness and China's domestic share of its chip consumption",
    share_params,
    sizeof(share_conf),
    share_bind,
    share_unbind,
    share_state_size,
    share_noise,
    share_init,
    share_step,
    &share_plot,
    NULL,
    share_summary,
    share_manifest,
};
