/* backtest_write.c: the backtest's files (docs/validation.md describes them). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_accum.h"
#include "gs_backtest.h"
#include "gs_output.h"
#include "gs_util.h"

#include <gsl/gsl_sort.h>

static void num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.10g", x);
}

static void flag(FILE *f, int v)
{
    if (v >= 0)
        fprintf(f, "%d", v);
}

static const gs_bt_row *ref_row(const gs_backtest *ref, size_t i)
{
    return ref && ref->rows[i].status == GS_BT_SCORED ? &ref->rows[i] : NULL;
}

/* 1 - CRPS / CRPS_reference; NAN when the reference's CRPS is 0. */
static double skill_of(const gs_bt_row *a, const gs_bt_row *b)
{
    return b && b->crps > 0 ? 1 - a->crps / b->crps : NAN;
}

static const char *kind_name(gs_obs_kind k)
{
    switch (k) {
    case GS_OBS_FIRST_YEAR: return "first_year";
    case GS_OBS_BELOW: return "below";
    case GS_OBS_ABOVE: return "above";
    default: return "value";
    }
}

static int is_bound(const gs_bt_row *r)
{
    return r->obs->kind == GS_OBS_BELOW || r->obs->kind == GS_OBS_ABOVE;
}

static gs_status write_scores(const gs_backtest *bt, const gs_backtest *ref, const char *dir,
                              gs_error *err)
{
    gs_afile a = {0};
    gs_status st = gs_afile_open(&a, dir, "backtest.csv", err);
    if (st != GS_OK)
        return st;
    FILE *f = a.f;
    fprintf(f, "id,variable,year,observed,pit,p05,p25,p50,p75,p95,in50,in90,crps,crps_reference,"
               "skill,kind,censored,crps_accuracy,pit_reference,p_region,at\r\n");
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *r = &bt->rows[i];
        if (r->status != GS_BT_SCORED)
            continue;
        const gs_bt_row *rr = ref_row(ref, i);
        gs_csv_field(f, r->obs->id);
        fputc(',', f);
        gs_csv_field(f, r->obs->variable);
        fprintf(f, ",%d,", r->obs->year);
        num(f, r->obs->value);
        fputc(',', f);
        num(f, r->pit);
        for (int k = 0; k < 5; k++) {
            fputc(',', f);
            num(f, r->q[k]);
        }
        fputc(',', f);
        flag(f, r->in50);
        fputc(',', f);
        flag(f, r->in90);
        fputc(',', f);
        num(f, r->crps);
        fputc(',', f);
        if (rr)
            num(f, rr->crps);
        fputc(',', f);
        num(f, skill_of(r, rr));
        fprintf(f, ",%s,%d,", kind_name(r->obs->kind), r->censored);
        num(f, r->crps_accuracy);
        fputc(',', f);
        if (rr)
            num(f, rr->pit);
        fputc(',', f);
        if (is_bound(r))
            num(f, r->p_region);
        fputc(',', f);
        num(f, r->obs->at);
        fputs("\r\n", f);
    }
    st = gs_afile_commit(&a, err);
    if (st != GS_OK)
        return st;

    if ((st = gs_afile_open(&a, dir, "not_scored.csv", err)) != GS_OK)
        return st;
    fprintf(a.f, "id,variable,year,reason\r\n");
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *r = &bt->rows[i];
        if (r->status == GS_BT_SCORED)
            continue;
        gs_csv_field(a.f, r->obs->id);
        fputc(',', a.f);
        gs_csv_field(a.f, r->obs->variable);
        fprintf(a.f, ",%d,", r->obs->year);
        gs_csv_field(a.f, r->reason);
        fputs("\r\n", a.f);
    }
    return gs_afile_commit(&a, err);
}

static gs_status write_fan(const gs_backtest *bt, const gs_results *r, const gs_results *rr,
                           const char *dir, gs_error *err)
{
    gs_afile a = {0};
    gs_status st = gs_afile_open(&a, dir, "backtest_fan.csv", err);
    if (st != GS_OK)
        return st;
    fprintf(a.f, "variable,year,p05,p25,p50,p75,p95,reference_p05,reference_p50,reference_p95\r\n");
    static const double qs[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *row = &bt->rows[i];
        if (!gs_bt_fan_row(bt, i))
            continue;
        long rv = rr ? gs_results_find(rr, row->obs->variable) : -1;
        for (int y = gs_results_t0(r); y <= gs_results_T(r); y++) {
            gs_csv_field(a.f, row->obs->variable);
            fprintf(a.f, ",%d", y);
            for (int k = 0; k < 5; k++) {
                fputc(',', a.f);
                num(a.f, gs_results_quantile(r, (size_t)row->output, y, qs[k]));
            }
            for (int k = 0; k < 5; k += 2) {
                fputc(',', a.f);
                if (rv >= 0 && y >= gs_results_t0(rr) && y <= gs_results_T(rr))
                    num(a.f, gs_results_quantile(rr, (size_t)rv, y, qs[k]));
            }
            fputs("\r\n", a.f);
        }
    }
    return gs_afile_commit(&a, err);
}

/* ------------------------------------------------------------- summary */

static void coverage_line(gs_strbuf *b, const char *band, uint64_t k, uint64_t m, double nominal)
{
    double p, lo, hi;
    gs_wilson(k, m, &p, &lo, &hi);
    if (m == 0) {
        gs_strbuf_printf(b, "  %s band: no observation\n", band);
        return;
    }
    const char *verdict = nominal < lo   ? "above nominal"
                          : nominal > hi ? "below nominal"
                                         : "consistent with nominal";
    gs_strbuf_printf(b, "  %s band: %llu of %llu (%.0f %%; 95 %% interval %.0f-%.0f %%), nominal "
                        "%.0f %%: %s\n",
                     band, (unsigned long long)k, (unsigned long long)m, 100 * p, 100 * lo,
                     100 * hi, 100 * nominal, verdict);
}

/* Sharpness, beside coverage (a band is only worth its width): the 90 %
 * band's width relative to the median over the continuous value rows
 * (bounds included: their forecast has a width too), and in years over the
 * first-year rows ("not by the horizon" counts as horizon + 1). */
static void sharpness(gs_strbuf *b, const gs_backtest *bt)
{
    double *w = malloc((bt->n ? bt->n : 1) * sizeof *w);
    if (!w) {
        b->oom = 1;
        return;
    }
    size_t n = 0, n_zero = 0, n_y = 0;
    double sum = 0, sum_y = 0, sum50 = 0;
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *r = &bt->rows[i];
        if (r->status != GS_BT_SCORED)
            continue;
        if (r->obs->kind == GS_OBS_FIRST_YEAR) {
            sum_y += r->q[4] - r->q[0];
            n_y++;
        } else if (!r->discrete) {
            if (!(fabs(r->q[2]) > 0)) {
                n_zero++;
                continue;
            }
            w[n] = (r->q[4] - r->q[0]) / fabs(r->q[2]);
            sum += w[n++];
            sum50 += (r->q[3] - r->q[1]) / fabs(r->q[2]);
        }
    }
    gs_strbuf_printf(b, "Sharpness (width of the 90 %% band; coverage is only worth its width)\n");
    if (n) {
        gsl_sort(w, 1, n);
        double med = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
        gs_strbuf_printf(b, "  continuous (%zu): (p95 - p05) / |median| mean %.3f, median %.3f; "
                            "50 %% band (p75 - p25) / |median| mean %.3f\n",
                         n, sum / (double)n, med, sum50 / (double)n);
    } else {
        gs_strbuf_printf(b, "  continuous: no observation\n");
    }
    if (n_zero)
        gs_strbuf_printf(b, "  %zu continuous observation%s with a median of 0 left out\n", n_zero,
                         n_zero == 1 ? "" : "s");
    if (n_y)
        gs_strbuf_printf(b, "  first years (%zu): mean p95 - p05 %.2f years\n", n_y,
                         sum_y / (double)n_y);
    else
        gs_strbuf_printf(b, "  first years: no observation\n");
    gs_strbuf_putn(b, "\n", 1);
    free(w);
}

/* How many rows of each basis were scored, and how many not. */
static void by_basis(gs_strbuf *b, const gs_backtest *bt)
{
    int any = 0;
    for (size_t i = 0; i < bt->n; i++) {
        const char *basis = bt->rows[i].obs->basis;
        if (!basis[0])
            continue;
        int seen = 0;
        for (size_t k = 0; k < i; k++)
            seen |= strcmp(bt->rows[k].obs->basis, basis) == 0;
        if (seen)
            continue;
        size_t sc = 0, in90 = 0, other = 0;
        for (size_t k = i; k < bt->n; k++) {
            const gs_bt_row *r = &bt->rows[k];
            if (strcmp(r->obs->basis, basis))
                continue;
            if (r->status == GS_BT_SCORED) {
                sc++;
                in90 += r->in90 == 1;
            } else {
                other++;
            }
        }
        if (!any)
            gs_strbuf_printf(b, "By basis (rows counted on a measured basis)\n");
        any = 1;
        gs_strbuf_printf(b, "  %-16s %3zu scored (%zu inside the 90 %% band), %zu not\n", basis, sc,
                         in90, other);
    }
    if (any)
        gs_strbuf_putn(b, "\n", 1);
}

static void value_text(char *buf, size_t n, const gs_bt_row *r)
{
    if (r->censored)
        snprintf(buf, n, "not by %d", r->obs->year);
    else
        snprintf(buf, n, "%.6g", r->obs->value);
}

static char *summary(const gs_backtest *bt, const gs_results *r, const gs_backtest *ref,
                     const gs_results *rr, const char *obs_file)
{
    gs_strbuf b = {0};
    const gs_scenario *scn = gs_sim_scenario(bt->sim);
    gs_strbuf_printf(&b, "Backtest of %s (%s)\n", gs_scenario_str(scn, "scenario.name"),
                     gs_scenario_file(scn));
    gs_strbuf_printf(&b, "  observations: %s; years scored %d-%d; %llu trajectories\n", obs_file,
                     bt->from, bt->until, (unsigned long long)gs_results_trajectories(r));
    if (ref)
        gs_strbuf_printf(&b, "  reference: %s (%s), %llu trajectories\n",
                         gs_scenario_str(gs_sim_scenario(ref->sim), "scenario.name"),
                         gs_scenario_file(gs_sim_scenario(ref->sim)),
                         (unsigned long long)gs_results_trajectories(rr));
    size_t n_sc = 0, n_nc = 0, n_out = 0, n_in = 0, n_undef = 0;
    uint64_t k50 = 0, m50 = 0, k90 = 0, m90 = 0;
    double dev = 0, worst_acc = 0;
    size_t n_dev = 0;
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *row = &bt->rows[i];
        if (row->status == GS_BT_NOT_COMPARABLE) {
            n_nc++;
            continue;
        }
        if (row->status == GS_BT_OUTSIDE) {
            n_out++;
            continue;
        }
        if (row->status == GS_BT_INPUT || row->status == GS_BT_UNDEFINED) {
            if (row->status == GS_BT_INPUT)
                n_in++;
            else
                n_undef++;
            continue;
        }
        n_sc++;
        if (row->in50 >= 0) {
            m50++;
            k50 += (uint64_t)row->in50;
        }
        if (row->in90 >= 0) {
            m90++;
            k90 += (uint64_t)row->in90;
        }
        /* A censored observation has an interval of PITs, not one. */
        if (!row->censored) {
            dev += fabs(row->pit - 0.5);
            n_dev++;
        }
        if (row->crps_accuracy > 0 && row->crps > 0)
            worst_acc = fmax(worst_acc, row->crps_accuracy / row->crps);
    }
    gs_strbuf_printf(&b, "  %zu scored, %zu not comparable, %zu outside the years scored", n_sc,
                     n_nc, n_out);
    if (n_in)
        gs_strbuf_printf(&b, ", %zu inputs of the scenario", n_in);
    if (n_undef)
        gs_strbuf_printf(&b, ", %zu not defined in any trajectory", n_undef);
    gs_strbuf_printf(&b, " (not_scored.csv)\n\n");
    gs_strbuf_printf(&b, "Coverage (observations inside the forecast's central bands; "
                         "censored ones only when the band settles it)\n");
    coverage_line(&b, "50 %", k50, m50, 0.50);
    coverage_line(&b, "90 %", k90, m90, 0.90);
    gs_strbuf_printf(&b, "  mean |PIT - 0.5| over %zu uncensored observations: %.3f (0.25 for a "
                         "calibrated forecast; 0.5 when every observation lies outside the "
                         "forecast)\n\n",
                     n_dev, n_dev ? dev / (double)n_dev : NAN);
    sharpness(&b, bt);
    by_basis(&b, bt);

    gs_strbuf_printf(&b, "CRPS by variable (lower is better; units of the variable)\n");
    gs_strbuf_printf(&b, "  %-22s %4s %14s %14s %9s\n", "variable", "n", "CRPS",
                     ref ? "reference" : "", ref ? "skill" : "");
    size_t beats = 0, ties = 0, loses = 0, n_skill = 0, n_ratio = 0;
    double rel_sum = 0;
    double *skills = malloc((bt->n ? bt->n : 1) * sizeof *skills);
    for (size_t i = 0; i < bt->n; i++) {
        const gs_bt_row *row = &bt->rows[i];
        if (row->status != GS_BT_SCORED)
            continue;
        const gs_bt_row *rf = ref_row(ref, i);
        double s = skill_of(row, rf);
        if (rf) {
            beats += row->crps < rf->crps;
            ties += row->crps == rf->crps;
            loses += row->crps > rf->crps;
        }
        if (isfinite(s) && skills)
            skills[n_skill++] = s;
        /* CRPS / (CRPS + CRPS_reference) is scale-free, so variables of
         * any unit pool; 0.5 is a tie, and a zero on one side counts. */
        if (rf && row->crps + rf->crps > 0) {
            rel_sum += row->crps / (row->crps + rf->crps);
            n_ratio++;
        }
        int first = 1;
        for (size_t k = 0; k < i; k++)
            if (bt->rows[k].status == GS_BT_SCORED &&
                strcmp(bt->rows[k].obs->variable, row->obs->variable) == 0)
                first = 0;
        if (!first)
            continue;
        size_t n = 0, nr = 0;
        double c = 0, cr = 0;
        for (size_t k = i; k < bt->n; k++) {
            const gs_bt_row *o = &bt->rows[k];
            if (o->status != GS_BT_SCORED || strcmp(o->obs->variable, row->obs->variable))
                continue;
            n++;
            c += o->crps;
            const gs_bt_row *of = ref_row(ref, k);
            if (of) {
                nr++;
                cr += of->crps;
            }
        }
        gs_strbuf_printf(&b, "  %-22s %4zu %14.6g", row->obs->variable, n, c / (double)n);
        if (ref && nr == n) {
            gs_strbuf_printf(&b, " %14.6g", cr / (double)nr);
            if (cr > 0)
                gs_strbuf_printf(&b, " %9.3f", 1 - c / cr);
            else
                gs_strbuf_printf(&b, " %9s", "exact ref");
        }
        gs_strbuf_putn(&b, "\n", 1);
    }
    if (ref) {
        gs_strbuf_printf(&b, "  in all: lower CRPS than the reference on %zu, equal on %zu, higher "
                             "on %zu of %zu observations\n",
                         beats, ties, loses, beats + ties + loses);
        if (n_ratio) {
            double rel = rel_sum / (double)n_ratio;
            gs_strbuf_printf(&b, "  overall: mean CRPS / (CRPS + CRPS_reference) %.3f over the %zu "
                                 "observations not both exact (0.5 ties; %s the reference)\n",
                             rel, n_ratio, rel < 0.5 ? "below: beats" : "not below: does not beat");
        }
        if (n_skill) {
            gsl_sort(skills, 1, n_skill);
            double med = n_skill % 2 ? skills[n_skill / 2]
                                     : (skills[n_skill / 2 - 1] + skills[n_skill / 2]) / 2;
            gs_strbuf_printf(&b, "  median skill %.3f over the %zu observations the reference does "
                                 "not forecast exactly (skill = 1 - CRPS / CRPS_reference)\n",
                             med, n_skill);
        }
    }
    free(skills);
    gs_strbuf_printf(&b, "  CRPS of continuous variables from a sketch of X - y of relative "
                         "accuracy %g: error at most %.2g %% of the CRPS\n\n",
                     GS_PROBE_ALPHA, 100 * worst_acc);

    /* The five observations the forecast found least likely. */
    size_t order[5];
    size_t n_worst = 0;
    for (size_t w = 0; w < 5; w++) {
        long best = -1;
        for (size_t i = 0; i < bt->n; i++) {
            const gs_bt_row *row = &bt->rows[i];
            int taken = 0;
            for (size_t k = 0; k < n_worst; k++)
                taken |= order[k] == i;
            if (row->status != GS_BT_SCORED || taken || isnan(row->pit))
                continue;
            if (best < 0 || fabs(row->pit - 0.5) > fabs(bt->rows[best].pit - 0.5))
                best = (long)i;
        }
        if (best < 0)
            break;
        order[n_worst++] = (size_t)best;
    }
    gs_strbuf_printf(&b, "Worst %zu (PIT farthest from 0.5)\n", n_worst);
    for (size_t w = 0; w < n_worst; w++) {
        const gs_bt_row *row = &bt->rows[order[w]];
        char v[64];
        value_text(v, sizeof v, row);
        gs_strbuf_printf(&b, "  %-22s %-18s %d: observed %s, PIT %.3f, forecast 5-95 %% %.6g to "
                             "%.6g (median %.6g)\n",
                         row->obs->id, row->obs->variable, row->obs->year, v, row->pit, row->q[0],
                         row->q[4], row->q[2]);
    }
    if (n_nc) {
        gs_strbuf_printf(&b, "\nNot comparable\n");
        for (size_t i = 0; i < bt->n; i++)
            if (bt->rows[i].status == GS_BT_NOT_COMPARABLE)
                gs_strbuf_printf(&b, "  %-22s %s\n", bt->rows[i].obs->id, bt->rows[i].reason);
    }
    gs_strbuf_printf(&b, "\nPIT: mid-PIT for discrete forecasts (node years, counts); first "
                         "years beyond the horizon count as horizon + 1.\n"
                         "Censored first years (\"not by YEAR\"): mid-PIT over [F(YEAR), 1]; CRPS "
                         "is the part every later outcome shares, a lower bound.\n");
    return gs_strbuf_take(&b);
}

gs_status gs_backtest_write(const gs_backtest *bt, const gs_results *r, const gs_backtest *ref,
                            const gs_results *rr, const char *obs_file, const char *dir,
                            char **text, gs_error *err)
{
    gs_status st = write_scores(bt, ref, dir, err);
    if (st == GS_OK)
        st = write_fan(bt, r, rr, dir, err);
    if (st != GS_OK)
        return st;
    char *s = summary(bt, r, ref, rr, obs_file);
    if (!s)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_afile a = {0};
    if ((st = gs_afile_open(&a, dir, "backtest.txt", err)) != GS_OK) {
        free(s);
        return st;
    }
    fputs(s, a.f);
    st = gs_afile_commit(&a, err);
    if (st == GS_OK && text)
        *text = s;
    else
        free(s);
    return st;
}
