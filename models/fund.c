/* M1, fund investment: state fund tranches, co-investment, non-fund capex,
 * funding crunches, and the split of investment to segments. */
#include "gs_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PROFILE_FLAT, PROFILE_FRONT, PROFILE_BACK };

static const double crunch_levels[] = {0.0, 1.0};

static const gs_param_def fund_params[] = {
    {"fund.fx", GS_PT_NUMBER, GS_PF_REQUIRED, "RMB per USD", 0, NULL, 0.1, 100,
     "exchange rate used to turn fund sizes in RMB into USD"},
    {"fund.leverage", GS_PT_NUMBER, 0, "ratio", 1.0, NULL, 0, 20,
     "money deployed alongside each unit of national-fund money (local guidance funds, banks, "
     "private capital), the fund's own unit included"},
    {"fund.efficiency", GS_PT_NUMBER, 0, "fraction", 1.0, NULL, 0, 1,
     "share of investment that becomes productive capacity (failed fabs and fraud are the rest)"},
    {"fund.capex0", GS_PT_NUMBER, 0, "USD bn/yr", 0.0, NULL, 0, 1000,
     "domestic capital spending outside the funds in the base year"},
    {"fund.capex_growth", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, -0.5, 1,
     "yearly growth rate of non-fund capital spending"},
    {"fund.crunch.hazard", GS_PT_NUMBER, 0, "1/yr", 0.0, NULL, 0, 1,
     "probability that a funding crunch starts in a year with none under way"},
    {"fund.crunch.years", GS_PT_NUMBER, GS_PF_INT, "yr", 2.0, NULL, 1, 30,
     "length of a funding crunch"},
    {"fund.crunch.cut", GS_PT_NUMBER, 0, "fraction", 0.4, NULL, 0, 1,
     "fraction of all investment lost while a crunch is on"},
    {"funds.*.year", GS_PT_NUMBER, GS_PF_INT | GS_PF_REQUIRED, "year", 0, NULL, 1950, 2200,
     "first year the tranche deploys money"},
    {"funds.*.size", GS_PT_NUMBER, GS_PF_REQUIRED, "RMB bn", 0, NULL, 0, 1e5,
     "money the tranche deploys in all"},
    {"funds.*.years", GS_PT_NUMBER, GS_PF_INT | GS_PF_REQUIRED, "yr", 0, NULL, 1, 50,
     "years over which the tranche deploys"},
    {"funds.*.profile", GS_PT_STRING, 0, "", 0, "\"flat\"", 0, 0,
     "deployment profile: \"flat\" (equal yearly amounts), \"front\" or \"back\" (linearly "
     "falling or rising)"},
    {"funds.*.label", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "the tranche's name on charts and in tranches.csv (its id when empty)"},
    {"segments.*.allocation", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_REQUIRED, "fraction", 0, NULL,
     0, 1, "share of all investment that goes to the segment; the shares sum to 1"},
    GS_PARAM_END};

typedef struct fund_conf {
    int t0;
    long fx, leverage, efficiency, capex0, capex_growth, hazard, cyears, cut;
    size_t n_f;
    long *f_year, *f_size, *f_years;
    int *f_profile;
    size_t n_seg;
    double *alloc;
    long out_inv, out_cum, out_crunch;
} fund_conf;

typedef struct fund_state {
    double cum;
    int crunch_until; /* last year of the crunch under way; below t0 when none */
    int crunch;       /* 1 while a funding crunch is on */
    double invest;    /* I(t), effective investment this year, USD bn */
} fund_state;

static void fund_unbind(void *vc)
{
    fund_conf *c = vc;
    free(c->f_year);
    free(c->f_size);
    free(c->f_years);
    free(c->f_profile);
    free(c->alloc);
}

static gs_status fund_bind(void *vc, const gs_scenario *scn, gs_shape *sh, gs_error *err)
{
    fund_conf *c = vc;
    memset(c, 0, sizeof *c);
    c->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    c->fx = gs_scenario_index(scn, "fund.fx");
    c->leverage = gs_scenario_index(scn, "fund.leverage");
    c->efficiency = gs_scenario_index(scn, "fund.efficiency");
    c->capex0 = gs_scenario_index(scn, "fund.capex0");
    c->capex_growth = gs_scenario_index(scn, "fund.capex_growth");
    c->hazard = gs_scenario_index(scn, "fund.crunch.hazard");
    c->cyears = gs_scenario_index(scn, "fund.crunch.years");
    c->cut = gs_scenario_index(scn, "fund.crunch.cut");

    char *const *names;
    c->n_f = gs_scenario_items(scn, "funds", &names);
    size_t nf = c->n_f ? c->n_f : 1;
    c->f_year = calloc(nf, sizeof *c->f_year);
    c->f_size = calloc(nf, sizeof *c->f_size);
    c->f_years = calloc(nf, sizeof *c->f_years);
    c->f_profile = calloc(nf, sizeof *c->f_profile);
    if (!c->f_year || !c->f_size || !c->f_years || !c->f_profile)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t f = 0; f < c->n_f; f++) {
        c->f_year[f] = gs_scenario_indexf(scn, "funds.%s.year", names[f]);
        c->f_size[f] = gs_scenario_indexf(scn, "funds.%s.size", names[f]);
        c->f_years[f] = gs_scenario_indexf(scn, "funds.%s.years", names[f]);
        const gs_pval *p = gs_scenario_getf(scn, "funds.%s.profile", names[f]);
        if (strcmp(p->str, "flat") == 0)
            c->f_profile[f] = PROFILE_FLAT;
        else if (strcmp(p->str, "front") == 0)
            c->f_profile[f] = PROFILE_FRONT;
        else if (strcmp(p->str, "back") == 0)
            c->f_profile[f] = PROFILE_BACK;
        else
            return gs_scenario_errorf(scn, p->path, err,
                                      "%s: unknown profile \"%s\" (one of \"flat\", \"front\", "
                                      "\"back\")",
                                      p->path, p->str);
    }

    c->n_seg = gs_scenario_items(scn, "segments", &names);
    if (c->n_seg == 0)
        return gs_scenario_errorf(scn, "segments", err,
                                  "segments: the scenario defines no market segment");
    c->alloc = calloc(c->n_seg, sizeof *c->alloc);
    if (!c->alloc)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    double sum = 0;
    const gs_pval *latest = NULL;
    for (size_t i = 0; i < c->n_seg; i++) {
        const gs_pval *a = gs_scenario_getf(scn, "segments.%s.allocation", names[i]);
        c->alloc[i] = a->dist.a;
        sum += c->alloc[i];
        if (!latest || (a->layer >= 0 && (latest->layer < 0 || a->layer < latest->layer)))
            latest = a;
    }
    /* Allocations are shares of one budget; a loose sum would create or lose
     * money.  The message points at the allocation set last, the likeliest edit. */
    if (fabs(sum - 1.0) > 1e-9) {
        return gs_scenario_errorf(scn, latest->path, err,
                                  "segments.*.allocation: the allocations sum to %.10g, they "
                                  "must sum to 1",
                                  sum);
    }

    gs_output_decl inv = {"investment", "USD bn/yr", NULL, 0};
    gs_output_decl cum = {"investment_cum", "USD bn", NULL, 0};
    gs_output_decl cr = {"crunch_active", "0/1", crunch_levels, 2};
    c->out_inv = gs_shape_output(sh, &inv);
    c->out_cum = gs_shape_output(sh, &cum);
    c->out_crunch = gs_shape_output(sh, &cr);
    if (c->out_inv < 0 || c->out_cum < 0 || c->out_crunch < 0)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    return GS_OK;
}

static size_t fund_state_size(const void *vc)
{
    (void)vc;
    return sizeof(fund_state);
}

static void fund_noise(const void *vc, size_t *n_init, size_t *n_year)
{
    (void)vc;
    *n_init = 0;
    *n_year = 1; /* the crunch draw */
}

static void fund_init(const void *vc, void *vs, const double *theta, gs_world *w,
                      const double *u)
{
    const fund_conf *c = vc;
    fund_state *s = vs;
    (void)theta;
    (void)u;
    s->cum = 0;
    s->crunch_until = c->t0 - 1;
    s->crunch = 0;
    (void)w;
}

/* Share of tranche f deployed in year t. */
static double deployed(const fund_conf *c, size_t f, const double *theta, int t)
{
    int y = (int)theta[c->f_year[f]];
    int L = (int)theta[c->f_years[f]];
    int j = t - y;
    if (L < 1 || j < 0 || j >= L)
        return 0.0;
    double sum = 0.5 * L * (L + 1.0);
    switch (c->f_profile[f]) {
    case PROFILE_FRONT:
        return (L - j) / sum;
    case PROFILE_BACK:
        return (j + 1) / sum;
    default:
        return 1.0 / L;
    }
}

static void fund_step(const void *vc, void *vs, const double *theta, gs_world *w, gs_phase ph,
                      const double *u)
{
    const fund_conf *c = vc;
    fund_state *s = vs;
    int t = w->t;
    switch (ph) {
    case GS_PHASE_EVENTS:
        /* The base year is the initial state: events start the year after. */
        if (t > c->t0 && t > s->crunch_until && u[0] < theta[c->hazard])
            s->crunch_until = t + (int)theta[c->cyears] - 1;
        s->crunch = t <= s->crunch_until;
        break;
    case GS_PHASE_INVEST: {
        double F = 0;
        for (size_t f = 0; f < c->n_f; f++)
            F += theta[c->f_size[f]] / theta[c->fx] * deployed(c, f, theta, t);
        double capex = theta[c->capex0] * pow(1.0 + theta[c->capex_growth], t - c->t0);
        double B = s->crunch ? 1.0 - theta[c->cut] : 1.0;
        s->invest = (theta[c->leverage] * F + capex) * theta[c->efficiency] * B;
        for (size_t i = 0; i < c->n_seg; i++)
            w->invest_seg[i] = c->alloc[i] * s->invest;
        s->cum += s->invest;
        break;
    }
    case GS_PHASE_RECORD:
        w->out[c->out_inv] = s->invest;
        w->out[c->out_cum] = s->cum;
        w->out[c->out_crunch] = s->crunch;
        break;
    default:
        break;
    }
}

/* tranches.csv: each tranche as configured (sizes are the median of a
 * distribution), for the investment chart's annotations. */
static void write_tranches(const void *vc, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    (void)vc;
    (void)r;
    fputs("name,start_year,size_bn_rmb,deploy_years,label\r\n", f);
    char *const *names;
    size_t n = gs_scenario_items(scn, "funds", &names);
    for (size_t i = 0; i < n; i++) {
        char p[4][300];
        snprintf(p[0], sizeof p[0], "funds.%s.year", names[i]);
        snprintf(p[1], sizeof p[1], "funds.%s.size", names[i]);
        snprintf(p[2], sizeof p[2], "funds.%s.years", names[i]);
        snprintf(p[3], sizeof p[3], "funds.%s.label", names[i]);
        gs_csv_field(f, names[i]);
        for (int k = 0; k < 3; k++)
            fprintf(f, ",%.10g", gs_scenario_num(scn, p[k]));
        /* Charts show the label; an unlabelled tranche falls back to its id. */
        const char *label = gs_scenario_str(scn, p[3]);
        fputc(',', f);
        gs_csv_field(f, label && *label ? label : names[i]);
        fputs("\r\n", f);
    }
}

/* What the charts and compare.csv show of this model (docs/charts.md). */
static const char *const fund_charts[] = {"investment", NULL};
static const gs_figure_decl fund_figures[] = {{"investment_cum", "p50", 1}, {NULL, NULL, 0}};
static const gs_plot_decl fund_plot = {fund_charts, NULL, fund_figures};
static const gs_table_decl fund_tables[] = {{"tranches.csv", write_tranches}, {NULL, NULL}};

const gs_model_type gs_model_fund = {
    "fund",
    "state fund tranches, co-investment, non-fund capex and funding crunches",
    fund_params,
    sizeof(fund_conf),
    fund_bind,
    fund_unbind,
    fund_state_size,
    fund_noise,
    fund_init,
    fund_step,
    &fund_plot,
    fund_tables,
    NULL,
    NULL,
};
