/* Fund tranches and tool spending by owner (docs/model.md, 4.4 and 4.5).
 *
 * A tranche has a registered size (CNY bn) converted at one rate, is paid in
 * linearly over its paid-in period and invested a lag after it is paid in:
 * registered capital is never counted as cash.  Tool spending E is new
 * equipment shipped to mainland China (SEMI's series), all owners: non-fund
 * spending grows from the base year's SEMI figure, slowed as the made-in-China
 * share nears its saturation; a share of the fund money adds to it.  In a
 * scenario with an observed tool series, that series replaces the level
 * through its last year and the model only splits it between owners. */
#include "gs_v2.h"

#include <gsl/gsl_cdf.h>
#include <stdlib.h>
#include <string.h>

static const gs_param_def invest_params[] = {
    {"fx.base_year", GS_PT_NUMBER, GS_PF_REQUIRED, "CNY/USD", 0, NULL, 1, 20,
     "exchange rate in the base year, until the first of fx.years after it (and before "
     "fx.years' first year)"},
    {"fx.years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "years from which each rate of fx.values holds (increasing); years up to the base year "
     "convert only tranches dated before it"},
    {"fx.values", GS_PT_NUMBER_ARRAY, 0, "CNY/USD", 0, "[]", 1, 20,
     "exchange rate from the matching year of fx.years until the next one"},
    {"funds.*.label", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "the tranche's name on charts and in tranches.csv (its id when empty)"},
    {"funds.*.size", GS_PT_NUMBER, 0, "CNY bn", 0.0, NULL, 0, 1e5,
     "registered capital of the tranche (not used when it follows another)"},
    {"funds.*.year", GS_PT_NUMBER, 0, "year", 0.0, NULL, 0, 2200,
     "decimal year the tranche starts to be paid in (not used when it follows another)"},
    {"funds.*.follows", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "name of an earlier tranche this one follows: its start is that one's plus delay and its "
     "size that one's times size_ratio (\"\": none)"},
    {"funds.*.delay", GS_PT_NUMBER, 0, "yr", 0.0, NULL, 0, 50,
     "years from the followed tranche's start to this one's"},
    {"funds.*.size_ratio", GS_PT_NUMBER, 0, "ratio", 1.0, NULL, 0, 100,
     "this tranche's registered size over the followed one's"},
    {"funds.*.paid_over", GS_PT_NUMBER, GS_PF_REQUIRED, "yr", 0, NULL, 0.1, 50,
     "years over which the registered capital is paid in, linearly"},
    {"funds.*.lag", GS_PT_NUMBER, 0, "yr", 0.0, NULL, 0, 20,
     "years from paying in to investing (deployment lag)"},
    {"funds.*.fx_year", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "year", 0, NULL, 0, 2200,
     "year whose exchange rate converts the tranche (0: the year it starts)"},
    {"tools.base", GS_PT_NUMBER, GS_PF_REQUIRED, "USD bn/yr", 0, NULL, 0.001, 1e4,
     "tool spending in China (all owners) in the base year, E(t0)"},
    {"tools.growth", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -1, 2,
     "log growth of non-fund tool spending while the made-in-China share is at its base-year "
     "level (g_E)"},
    {"tools.noise", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "standard deviation of the yearly log change of tool spending (sigma_E)"},
    {"tools.saturation", GS_PT_NUMBER, 0, "share", 1.0, NULL, 0.01, 1,
     "made-in-China share at which non-fund tool spending stops growing (S_sat)"},
    {"tools.growth_after_record", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -1, 2,
     "log growth of tool spending after the observed series ends (g_E,post)"},
    {"tools.per_fund_usd", GS_PT_NUMBER, 0, "USD per USD", 0.0, NULL, 0, 5,
     "tool spending added per USD of fund money invested (nu)"},
    {"tools.domestic_push", GS_PT_NUMBER, 0, "per measure", 0.0, NULL, 0, 1,
     "rise of China-headquartered non-fund tool spending per tool measure in force (psi)"},
    {"tools.observed.years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[]", 1950, 2200,
     "years of an observed tool-spending series, consecutive from the base year"},
    {"tools.observed.values", GS_PT_NUMBER_ARRAY, 0, "USD bn/yr", 0, "[]", 0.001, 1e4,
     "observed tool spending in China in those years; it replaces the simulated level"},
    {"tools.crunch.hazard", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "probability that a funding crunch starts in a year with none under way"},
    {"tools.crunch.years", GS_PT_NUMBER, GS_PF_INT, "yr", 2.0, NULL, 1, 30,
     "length of a funding crunch"},
    {"tools.crunch.cut", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 1,
     "share of China-headquartered tool spending (fund money included) lost while a crunch is "
     "on"},
    {"ownership.tool_foreign0", GS_PT_NUMBER, 0, "fraction", 0.5, NULL, 0.001, 0.999,
     "foreign-owned fabs' share of non-fund tool spending in the base year (phi0)"},
    {"ownership.tool_foreign_drift", GS_PT_NUMBER, 0, "1/yr (logit)", 0.0, NULL, -1, 1,
     "yearly change of the logit of that share (dphi)"},
    {"ownership.leader_share", GS_PT_NUMBER, 0, "fraction", 0.4, NULL, 0, 1,
     "the leader's share of China-headquartered tool spending (lambda_L)"},
    {"ownership.failure_share", GS_PT_NUMBER, 0, "fraction", 0.0, NULL, 0, 1,
     "share of other China-headquartered tool money that never becomes capacity (w_fail)"},
    GS_PARAM_END};

typedef struct tranche {
    long size, year, delay, ratio, paid_over, lag;
    long pred;       /* index of the followed tranche, -1 none */
    int fx_year;     /* 0: the start year */
} tranche;

typedef struct invest_conf {
    int t0;
    long fx0;
    size_t n_fx;
    double *fx_year, *fx_val;
    size_t n_f;
    tranche *f;
    long base, growth, noise, sat, growth_post, nu, psi, phi0, dphi, lambda, wfail;
    long c_hazard, c_years, c_cut;
    long anchor_mic; /* the made-in-China share of the base year (industry's anchor) */
    size_t n_obs;
    double *obs;     /* observed tool spending from t0 */
    gs_v2_links l;
    long out_E, out_EF, out_EL, out_paid, out_inv, out_money, out_crunch;
} invest_conf;

typedef struct invest_state {
    double lnE, lnE_obs, Enf0;
    double E, EF, EL, paid, inv, money;
    int crunch_until; /* last year of the crunch under way; before t0 when none */
    double *date, *cny, *usd; /* per tranche: start year, size in CNY bn and in USD bn */
} invest_state;

static void invest_unbind(void *vc)
{
    invest_conf *c = vc;
    free(c->fx_year);
    free(c->fx_val);
    free(c->f);
    free(c->obs);
}

static gs_status oom(gs_error *err)
{
    return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
}

static double *dup_arr(const double *a, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, a, n * sizeof *d);
    return d;
}

static gs_status bind_funds(invest_conf *c, const gs_scenario *scn, gs_error *err)
{
    char *const *names;
    c->n_f = gs_scenario_items(scn, "funds", &names);
    c->f = calloc(c->n_f ? c->n_f : 1, sizeof *c->f);
    if (!c->f)
        return oom(err);
    for (size_t i = 0; i < c->n_f; i++) {
        tranche *f = &c->f[i];
        const char *n = names[i];
        f->size = gs_scenario_indexf(scn, "funds.%s.size", n);
        f->year = gs_scenario_indexf(scn, "funds.%s.year", n);
        f->delay = gs_scenario_indexf(scn, "funds.%s.delay", n);
        f->ratio = gs_scenario_indexf(scn, "funds.%s.size_ratio", n);
        f->paid_over = gs_scenario_indexf(scn, "funds.%s.paid_over", n);
        f->lag = gs_scenario_indexf(scn, "funds.%s.lag", n);
        f->fx_year = (int)gs_scenario_getf(scn, "funds.%s.fx_year", n)->dist.a;
        const gs_pval *fol = gs_scenario_getf(scn, "funds.%s.follows", n);
        gs_status rp = gs_v2_earlier(scn, fol, names, i, "tranche",
                                     "a tranche follows one listed before it", &f->pred, err);
        if (rp != GS_OK)
            return rp;
        if (f->pred < 0) {
            const char *need[] = {"size", "year"};
            for (int k = 0; k < 2; k++) {
                const gs_pval *v = gs_scenario_getf(scn, "funds.%s.%s", n, need[k]);
                if (v->layer < 0)
                    return gs_scenario_errorf(scn, fol->path, err,
                                              "funds.%s: a tranche that follows no other needs "
                                              "%s",
                                              n, need[k]);
            }
        }
    }
    return GS_OK;
}

static gs_status invest_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    invest_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    c->fx0 = gs_scenario_index(scn, "fx.base_year");
    const gs_pval *fy = gs_scenario_get(scn, "fx.years"), *fv = gs_scenario_get(scn, "fx.values");
    if (fy->n_arr != fv->n_arr)
        return gs_scenario_errorf(scn, fv->path, err,
                                  "fx.values has %zu entries but fx.years has %zu", fv->n_arr,
                                  fy->n_arr);
    for (size_t i = 1; i < fy->n_arr; i++)
        if (fy->arr[i] <= fy->arr[i - 1])
            return gs_scenario_errorf(scn, fy->path, err,
                                      "fx.years: years must increase (%.0f after %.0f)",
                                      fy->arr[i], fy->arr[i - 1]);
    c->n_fx = fy->n_arr;
    c->fx_year = dup_arr(fy->arr, fy->n_arr);
    c->fx_val = dup_arr(fv->arr, fv->n_arr);
    if (!c->fx_year || !c->fx_val)
        return oom(err);
    gs_status rc = bind_funds(c, scn, err);
    if (rc)
        return rc;

    c->base = gs_scenario_index(scn, "tools.base");
    c->growth = gs_scenario_index(scn, "tools.growth");
    c->noise = gs_scenario_index(scn, "tools.noise");
    c->sat = gs_scenario_index(scn, "tools.saturation");
    c->growth_post = gs_scenario_index(scn, "tools.growth_after_record");
    c->nu = gs_scenario_index(scn, "tools.per_fund_usd");
    c->psi = gs_scenario_index(scn, "tools.domestic_push");
    c->phi0 = gs_scenario_index(scn, "ownership.tool_foreign0");
    c->dphi = gs_scenario_index(scn, "ownership.tool_foreign_drift");
    c->lambda = gs_scenario_index(scn, "ownership.leader_share");
    c->wfail = gs_scenario_index(scn, "ownership.failure_share");
    c->anchor_mic = gs_scenario_index(scn, "anchors.made_in_china");
    c->c_hazard = gs_scenario_index(scn, "tools.crunch.hazard");
    c->c_years = gs_scenario_index(scn, "tools.crunch.years");
    c->c_cut = gs_scenario_index(scn, "tools.crunch.cut");
    /* Growth is scaled by 1 / (1 - S(t0) / S_sat): a saturation at or below
     * the base-year share has no meaning. */
    const gs_pval *sat = gs_scenario_get(scn, "tools.saturation");
    double s0 = gs_scenario_num(scn, "anchors.made_in_china");
    if (!(gs_dist_lower(&sat->dist) > s0))
        return gs_scenario_errorf(scn, sat->path, err,
                                  "tools.saturation must lie above the base-year made-in-China "
                                  "share %.10g (its lowest value is %.10g)",
                                  s0, gs_dist_lower(&sat->dist));

    const gs_pval *oy = gs_scenario_get(scn, "tools.observed.years");
    const gs_pval *ov = gs_scenario_get(scn, "tools.observed.values");
    if (oy->n_arr != ov->n_arr)
        return gs_scenario_errorf(scn, ov->path, err,
                                  "tools.observed.values has %zu entries but "
                                  "tools.observed.years has %zu",
                                  ov->n_arr, oy->n_arr);
    for (size_t i = 0; i < oy->n_arr; i++)
        if ((int)oy->arr[i] != c->t0 + (int)i)
            return gs_scenario_errorf(scn, oy->path, err,
                                      "tools.observed.years: the series must run year by year "
                                      "from the base year %d (entry %zu is %.0f)",
                                      c->t0, i + 1, oy->arr[i]);
    if (oy->n_arr) {
        const gs_pval *base = gs_scenario_get(scn, "tools.base");
        if (!gs_dist_is_constant(&base->dist) || fabs(base->dist.a - ov->arr[0]) > 1e-9)
            return gs_scenario_errorf(scn, base->path, err,
                                      "tools.base must equal the observed series' base-year "
                                      "value %.10g",
                                      ov->arr[0]);
    }
    c->n_obs = ov->n_arr;
    c->obs = dup_arr(ov->arr, ov->n_arr);
    if (!c->obs)
        return oom(err);

    gs_output_decl d[] = {{"tools_china", "USD bn/yr", NULL, 0},
                          {"tools_foreign", "USD bn/yr", NULL, 0},
                          {"tools_leader", "USD bn/yr", NULL, 0},
                          {"fund_paid_in", "USD bn", NULL, 0},
                          {"fund_invested", "USD bn", NULL, 0},
                          {"fund_money", "USD bn/yr", NULL, 0}};
    long *slot[] = {&c->out_E, &c->out_EF, &c->out_EL, &c->out_paid, &c->out_inv, &c->out_money};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if ((*slot[i] = gs_shape_output(sh, &d[i])) < 0)
            return oom(err);
    static const double flag_levels[] = {0.0, 1.0};
    gs_output_decl cr = {"crunch_active", "0/1", flag_levels, 2};
    if ((c->out_crunch = gs_shape_output(sh, &cr)) < 0)
        return oom(err);
    if (gs_v2_links_declare(sh, &c->l) < 0)
        return oom(err);
    return GS_OK;
}

static size_t invest_state_size(const void *vc)
{
    const invest_conf *c = vc;
    return sizeof(invest_state) + 3 * c->n_f * sizeof(double);
}

static void invest_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    (void)vc;
    *n_init = 0;
    *n_year = 2; /* the tool-spending normal, the crunch uniform */
}

/* CNY per USD in year t: from the base year on, fx.base_year until a later
 * entry of fx.years; before it, the entries of fx.years (a tranche registered
 * before a rebased base year is converted at its own year's rate). */
static double fx_at(const invest_conf *c, const double *theta, double t)
{
    double fx = theta[c->fx0];
    for (size_t i = 0; i < c->n_fx && c->fx_year[i] <= t; i++)
        if (t < c->t0 || c->fx_year[i] > c->t0)
            fx = c->fx_val[i];
    return fx;
}

/* Paid in (USD bn) by decimal year tau. */
static double paid_in(const invest_state *s, const invest_conf *c, size_t f,
                      const double *theta, double tau)
{
    return s->usd[f] * gs_clip((tau - s->date[f]) / theta[c->f[f].paid_over], 0.0, 1.0);
}

static double invested(const invest_state *s, const invest_conf *c, size_t f,
                       const double *theta, double tau)
{
    return paid_in(s, c, f, theta, tau - theta[c->f[f].lag]);
}

static void invest_init(const void *vc, void *vs, const double *theta, gs_world *w,
                        const double *u)
{
    const invest_conf *c = vc;
    invest_state *s = vs;
    (void)u;
    s->date = (double *)(s + 1);
    s->cny = s->date + c->n_f;
    s->usd = s->cny + c->n_f;
    for (size_t f = 0; f < c->n_f; f++) {
        const tranche *tr = &c->f[f];
        double size;
        if (tr->pred >= 0) {
            s->date[f] = s->date[tr->pred] + theta[tr->delay];
            size = s->cny[tr->pred] * theta[tr->ratio];
        } else {
            s->date[f] = theta[tr->year];
            size = theta[tr->size];
        }
        s->cny[f] = size;
        int fy = tr->fx_year ? tr->fx_year : (int)floor(s->date[f]);
        s->usd[f] = size / fx_at(c, theta, fy);
    }
    s->lnE = 0;
    s->lnE_obs = 0;
    s->crunch_until = c->t0 - 1;
    w->link[c->l.fx] = fx_at(c, theta, c->t0);
}

static void invest_year(const invest_conf *c, invest_state *s, const double *theta, gs_world *w,
                        const double *u)
{
    int t = w->t;
    double F = 0;
    s->paid = s->inv = 0;
    for (size_t f = 0; f < c->n_f; f++) {
        F += invested(s, c, f, theta, t + 1.0) - invested(s, c, f, theta, t);
        s->paid += paid_in(s, c, f, theta, t + 1.0);
        s->inv += invested(s, c, f, theta, t + 1.0);
    }
    s->money = F;
    double eps = gsl_cdf_ugaussian_Pinv(u[0]);
    double S_sat = theta[c->sat], S0 = theta[c->anchor_mic];
    if (t == c->t0) {
        /* E_nf(t0) = E(t0) - nu F(t0): the base year's tool spending is the
         * SEMI figure whatever the fund money.  With measures already in
         * force in the base year (a rebased scenario), E_nf(t0) is what gives
         * that figure after their foreign cut and domestic push. */
        s->Enf0 = fmax(0.0, theta[c->base] - theta[c->nu] * F);
        double fc = w->link[c->l.foreign], nt = w->link[c->l.n_tool];
        if (fc != 1.0 || nt != 0.0) {
            double p0 = theta[c->phi0];
            s->Enf0 /= p0 * fc + (1.0 - p0) * (1.0 + theta[c->psi] * nt);
        }
    } else {
        double S = w->link[c->l.share_mic];
        double brake = gs_clip(1.0 - S / S_sat, -1.0, 1.0);
        s->lnE += theta[c->growth] * brake / (1.0 - S0 / S_sat) + theta[c->noise] * eps;
        if ((size_t)(t - c->t0) >= c->n_obs)
            s->lnE_obs += theta[c->growth_post] * brake + theta[c->noise] * eps;
    }
    double Enf = s->Enf0 * exp(s->lnE);
    double phi = 1.0 / (1.0 + exp(-(log(theta[c->phi0] / (1.0 - theta[c->phi0])) +
                                    theta[c->dphi] * (t - c->t0))));
    double EF = phi * Enf * w->link[c->l.foreign];
    /* The domestic push (tool measures in force raise China-HQ buying) goes
     * to the other China-HQ fabs' capacity, not to the leader: a control
     * must never speed the leader's steps through its money. */
    double push = (1.0 - phi) * Enf * theta[c->psi] * w->link[c->l.n_tool];
    double ED = (1.0 - phi) * Enf + theta[c->nu] * F;
    /* A funding crunch (a shock to China-HQ spending; never in the base
     * year, which is the initial state). */
    if (t > c->t0 && t > s->crunch_until && u[1] < theta[c->c_hazard])
        s->crunch_until = t + (int)theta[c->c_years] - 1;
    if (t <= s->crunch_until) {
        ED *= 1.0 - theta[c->c_cut];
        push *= 1.0 - theta[c->c_cut];
    }
    if (c->n_obs) {
        /* The observed series sets the level; the model only splits it.
         * After its last year the level walks on from its last value. */
        size_t i = (size_t)(t - c->t0);
        double Eobs = i < c->n_obs ? c->obs[i] : c->obs[c->n_obs - 1] * exp(s->lnE_obs);
        double k = EF + ED + push > 0 ? Eobs / (EF + ED + push) : 0.0;
        EF *= k;
        ED *= k;
        push *= k;
    }
    s->E = EF + ED + push;
    s->EF = EF;
    s->EL = theta[c->lambda] * ED;
    double *tools = w->link + c->l.tools;
    tools[GS_TOOLS_LEADER] = s->EL;
    tools[GS_TOOLS_OTHER] = ((1.0 - theta[c->lambda]) * ED + push) * (1.0 - theta[c->wfail]);
    tools[GS_TOOLS_FOREIGN] = EF;
    w->link[c->l.fx] = fx_at(c, theta, t);
}

static void invest_step(const void *vc, void *vs, const double *theta, gs_world *w,
                        gs_phase ph, const double *u)
{
    const invest_conf *c = vc;
    invest_state *s = vs;
    switch (ph) {
    case GS_PHASE_INVEST:
        invest_year(c, s, theta, w, u);
        break;
    case GS_PHASE_RECORD:
        w->out[c->out_E] = s->E;
        w->out[c->out_EF] = s->EF;
        w->out[c->out_EL] = s->EL;
        w->out[c->out_paid] = s->paid;
        w->out[c->out_inv] = s->inv;
        w->out[c->out_money] = s->money;
        w->out[c->out_crunch] = w->t <= s->crunch_until;
        break;
    default:
        break;
    }
}

/* tranches.csv: each tranche as configured, for the investment chart's
 * annotations: start, registered size and paid-in period (the medians of
 * their distributions; a tranche that follows another, the median start and
 * size of the one it follows plus the median delay, times the median ratio). */
static void write_tranches(const void *vc, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    const invest_conf *c = vc;
    (void)r;
    fputs("name,start_year,size_bn_cny,paid_over_years,label\r\n", f);
    char *const *names;
    size_t n = gs_scenario_items(scn, "funds", &names);
    double *year = calloc(n ? n : 1, sizeof *year), *size = calloc(n ? n : 1, sizeof *size);
    if (!year || !size) {
        free(year);
        free(size);
        return; /* the short file fails the chart's check: never a wrong table */
    }
    for (size_t i = 0; i < n && i < c->n_f; i++) {
        const tranche *tr = &c->f[i];
        char p[300];
        snprintf(p, sizeof p, "funds.%s.%s", names[i], tr->pred >= 0 ? "delay" : "year");
        year[i] = gs_scenario_num(scn, p) + (tr->pred >= 0 ? year[tr->pred] : 0.0);
        snprintf(p, sizeof p, "funds.%s.%s", names[i], tr->pred >= 0 ? "size_ratio" : "size");
        size[i] = gs_scenario_num(scn, p) * (tr->pred >= 0 ? size[tr->pred] : 1.0);
        snprintf(p, sizeof p, "funds.%s.paid_over", names[i]);
        double over = gs_scenario_num(scn, p);
        gs_csv_field(f, names[i]);
        fprintf(f, ",%.10g,%.10g,%.10g", year[i], size[i], over);
        snprintf(p, sizeof p, "funds.%s.label", names[i]);
        /* Charts show the label; an unlabelled tranche falls back to its id. */
        const char *label = gs_scenario_str(scn, p);
        fputc(',', f);
        gs_csv_field(f, label && *label ? label : names[i]);
        fputs("\r\n", f);
    }
    free(year);
    free(size);
}

/* Summary, detail: fund money invested and tool spending in the report years. */
static void invest_summary(const void *vc, const gs_scenario *scn, const gs_results *r,
                           gs_summary_part part, gs_strbuf *b)
{
    const invest_conf *c = vc;
    if (part != GS_SUMMARY_DETAIL)
        return;
    const double *ry;
    size_t n_ry = gs_scenario_array(scn, "outputs.report_years", &ry);
    if (!n_ry)
        return;
    gs_strbuf_printf(b, "Tool spending in China and state fund money invested to date, USD bn, "
                        "median (90%% interval):\n");
    for (size_t i = 0; i < n_ry; i++) {
        int y = (int)ry[i];
        size_t e = (size_t)c->out_E, v = (size_t)c->out_inv;
        gs_strbuf_printf(b, "  %d: tools %.1f (%.1f-%.1f) a year; funds %.1f (%.1f-%.1f)\n", y,
                         gs_results_quantile(r, e, y, 0.5), gs_results_quantile(r, e, y, 0.05),
                         gs_results_quantile(r, e, y, 0.95), gs_results_quantile(r, v, y, 0.5),
                         gs_results_quantile(r, v, y, 0.05), gs_results_quantile(r, v, y, 0.95));
    }
}

/* What the charts and compare.csv show of this model (docs/charts.md). */
static const char *const invest_charts[] = {"investment", "tools", NULL};
static const gs_figure_decl invest_figures[] = {{"fund_invested", "p50", 1},
                                                {"tools_china", "p50", 0},
                                                {NULL, NULL, 0}};
static const gs_plot_decl invest_plot = {invest_charts, NULL, invest_figures};
static const gs_table_decl invest_tables[] = {{"tranches.csv", write_tranches}, {NULL, NULL}};

const gs_model_type gs_model_invest = {
    "invest",
    "state fund tranches (registered, paid in, invested) and tool spending in China by owner",
    invest_params,
    sizeof(invest_conf),
    invest_bind,
    invest_unbind,
    invest_state_size,
    invest_noise,
    invest_init,
    invest_step,
    &invest_plot,
    invest_tables,
    invest_summary,
    NULL,
};
