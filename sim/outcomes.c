/* outcomes.csv: per-trajectory values of the sweep metrics. */
#include "gs_outcomes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gs_outcomes {
    const gs_sim *sim;
    int *years;      /* ascending */
    size_t n_years;
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

gs_status gs_outcomes_new(const gs_sim *sim, const int *years, size_t n_years, gs_outcomes **out,
                          gs_error *err)
{
    *out = NULL;
    int t0 = gs_sim_t0(sim), T = gs_sim_T(sim);
    for (size_t i = 0; i < n_years; i++)
        if (years[i] < t0 || years[i] > T)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "outcome year %d is outside the simulated years %d-%d", years[i],
                                t0, T);
    gs_outcomes *oc = calloc(1, sizeof *oc);
    int *y = malloc((n_years ? n_years : 1) * sizeof *y);
    if (!oc || !y) {
        free(oc);
        free(y);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    memcpy(y, years, n_years * sizeof *y);
    qsort(y, n_years, sizeof *y, cmp_int);
    size_t n = 0;
    for (size_t i = 0; i < n_years; i++)
        if (n == 0 || y[n - 1] != y[i])
            y[n++] = y[i];
    oc->sim = sim;
    oc->years = y;
    oc->n_years = n;
    *out = oc;
    return GS_OK;
}

void gs_outcomes_free(gs_outcomes *oc)
{
    if (!oc)
        return;
    free(oc->years);
    free(oc);
}

size_t gs_outcomes_default_years(const gs_sim *sim, int *years, size_t max)
{
    size_t n = 0;
    const gs_pval *ry = gs_scenario_get(gs_sim_scenario(sim), "outputs.report_years");
    for (size_t i = 0; ry && i < ry->n_arr && n < max; i++)
        years[n++] = (int)ry->arr[i];
    for (size_t k = 0; k < gs_sim_n_trackers(sim) && n < max; k++)
        if (gs_sim_tracker(sim, k)->kind == GS_TRACK_TARGET)
            years[n++] = gs_sim_tracker(sim, k)->year;
    if (n < max)
        years[n++] = gs_sim_T(sim);
    return n;
}

void gs_outcomes_header(const gs_outcomes *oc, FILE *f)
{
    const gs_sim *sim = oc->sim;
    fputs("trajectory", f);
    for (size_t v = 0; v < gs_sim_n_outputs(sim); v++)
        for (size_t i = 0; i < oc->n_years; i++)
            fprintf(f, ",%s@%d", gs_sim_output(sim, v)->name, oc->years[i]);
    for (size_t k = 0; k < gs_sim_n_trackers(sim); k++) {
        const gs_tracker_decl *tr = gs_sim_tracker(sim, k);
        if (tr->kind == GS_TRACK_TARGET)
            fprintf(f, ",target:%d", tr->year);
        else
            fprintf(f, ",milestone:%gnm,first_year:%gnm", tr->threshold, tr->threshold);
    }
    fputs("\r\n", f);
}

static void row(void *ctx, gs_strbuf *b, uint64_t id, const double *out,
                const double *first_year)
{
    const gs_outcomes *oc = ctx;
    const gs_sim *sim = oc->sim;
    int t0 = gs_sim_t0(sim);
    size_t ny = (size_t)(gs_sim_T(sim) - t0 + 1);
    gs_strbuf_printf(b, "%llu", (unsigned long long)id);
    for (size_t v = 0; v < gs_sim_n_outputs(sim); v++)
        for (size_t i = 0; i < oc->n_years; i++)
            gs_strbuf_printf(b, ",%.10g", out[v * ny + (size_t)(oc->years[i] - t0)]);
    for (size_t k = 0; k < gs_sim_n_trackers(sim); k++) {
        const gs_tracker_decl *tr = gs_sim_tracker(sim, k);
        if (tr->kind == GS_TRACK_TARGET) {
            /* The engine's own test, on the unrounded value. */
            double x = out[tr->output * ny + (size_t)(tr->year - t0)];
            gs_strbuf_puts(b, x >= tr->threshold ? ",1" : ",0");
        } else if (isnan(first_year[k])) {
            gs_strbuf_puts(b, ",0,");
        } else {
            gs_strbuf_printf(b, ",1,%d", (int)first_year[k]);
        }
    }
    gs_strbuf_puts(b, "\r\n");
}

void gs_outcomes_attach(gs_outcomes *oc, gs_run_opts *o, FILE *f)
{
    gs_outcomes_header(oc, f);
    o->outcomes_out = f;
    o->outcome_row = row;
    o->outcome_ctx = oc;
}
