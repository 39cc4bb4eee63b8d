/* backtest.c: observations, their probes, and the scores (gs_backtest.h).
 *
 * Scores, for a forecast distribution F and an observation y:
 *   PIT   F(y) for a continuous forecast; the mid-PIT (F(y-) + F(y)) / 2 when
 *         the forecast puts mass on y (discrete variables, point masses), so
 *         that the same data always give the same number; with an
 *         observation error sd > 0, the PIT of F convolved with N(0, sd^2).
 *   CRPS  E|X - y| - E|X - X'| / 2 (Gneiting and Raftery 2007, eq. 21), with
 *         X and X' independent draws of the (convolved) forecast.  E|X - y|
 *         is summed over the trajectories exactly; E|X - X'| comes from the
 *         level counts (discrete: exact) or from a sketch of X - y of
 *         relative accuracy alpha (continuous: the CRPS is then within
 *         alpha E|X - y| of the sample's, reported as crps_accuracy).  First years are integer-valued:
 *         CRPS = sum over years k of (F(k) - 1{k >= y})^2, exactly.
 */
#include "gs_backtest.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "gs_accum.h"
#include "gs_csv.h"
#include "gs_models.h"
#include "gs_output.h"
#include "gs_scenario.h"
#include "gs_util.h"

/* ------------------------------------------------------------ reading */

static int parse_num(const char *s, double *v)
{
    if (!s[0] || isspace((unsigned char)s[0]))
        return -1;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end || errno == ERANGE || !isfinite(*v) ? -1 : 0;
}

static int parse_year(const char *s, int *y)
{
    double v;
    if (parse_num(s, &v) || v != floor(v) || v < 1000 || v > 9999)
        return -1;
    *y = (int)v;
    return 0;
}

void gs_obs_free(gs_obs_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        free(set->obs[i].source);
    free(set->obs);
    memset(set, 0, sizeof *set);
}

/* The parameter a pin of input_of names (the first n characters of path),
 * matched against every model's table ('*' stands for an item's name), or
 * NULL. */
static const gs_param_def *pin_def(const char *path, size_t n)
{
    const gs_param_def *const *tables = gs_param_tables();
    for (size_t t = 0; tables[t]; t++)
        for (const gs_param_def *d = tables[t]; d->path; d++) {
            const char *a = d->path, *b = path, *e = path + n;
            while (*a && b < e) {
                if (*a == '*') {
                    a++;
                    if (b < e && *b == '.')
                        break; /* an empty item name */
                    while (b < e && *b != '.')
                        b++;
                } else if (*a == *b) {
                    a++;
                    b++;
                } else {
                    break;
                }
            }
            if (!*a && b == e)
                return d;
        }
    return NULL;
}

/* input_of: space-separated pins, each PATH or PATH=VALUE, that make the
 * row an input of a scenario (docs/validation.md).  Checked here, against
 * the parameter tables, so that a misspelt pin cannot leave an input scored
 * as a forecast. */
static gs_status check_pins(const char *list, const char *file, int line, const char *id,
                            gs_error *err)
{
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        size_t np = strcspn(p, "= ");
        const gs_param_def *d = pin_def(p, np);
        if (!d)
            return gs_error_set(err, GS_EINPUT, file, line,
                                "%s: input_of: \"%.*s\" names no parameter (input_of lists the "
                                "settings that make the row a scenario's input: PATH or "
                                "PATH=VALUE, e.g. tools.observed.years)",
                                id, (int)np, p);
        if (np == n && d->type != GS_PT_NUMBER && d->type != GS_PT_NUMBER_ARRAY)
            return gs_error_set(err, GS_EINPUT, file, line,
                                "%s: input_of: %.*s is not a year or a list of years: give "
                                "%.*s=VALUE",
                                id, (int)np, p, (int)np, p);
        if (np < n && np + 1 == n)
            return gs_error_set(err, GS_EINPUT, file, line, "%s: input_of: %.*s has no value",
                                id, (int)n, p);
        p += n;
    }
    return GS_OK;
}

static const char *const obs_cols[] = {"id",    "kind", "variable", "year",       "value",
                                       "basis", "sd",   "source",   "confidence", NULL};

gs_status gs_obs_read(const char *file, gs_obs_set *set, gs_error *err)
{
    memset(set, 0, sizeof *set);
    snprintf(set->file, sizeof set->file, "%s", file);
    gs_csv t;
    gs_status st = gs_csv_read(&t, file, err);
    if (st != GS_OK)
        return st;
    long col[9];
    long col_at = gs_csv_col(&t, "at"); /* optional */
    long col_in = gs_csv_col(&t, "input_of");
    for (int k = 0; obs_cols[k]; k++)
        if ((col[k] = gs_csv_col(&t, obs_cols[k])) < 0) {
            gs_csv_free(&t);
            return gs_error_set(err, GS_EINPUT, file, 1, "no column \"%s\" in the header",
                                obs_cols[k]);
        }
    set->obs = calloc(t.nrows ? t.nrows : 1, sizeof *set->obs);
    if (!set->obs) {
        gs_csv_free(&t);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t r = 0; r < t.nrows && st == GS_OK; r++) {
        const gs_csv_row *R = &t.rows[r];
        int L = (int)R->line;
        if (R->n != t.nhead) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%zu fields, the header has %zu", R->n,
                              t.nhead);
            break;
        }
        const char *id = R->f[col[0]], *kind = R->f[col[1]], *var = R->f[col[2]],
                   *year = R->f[col[3]], *value = R->f[col[4]], *basis = R->f[col[5]],
                   *sd = R->f[col[6]], *src = R->f[col[7]], *conf = R->f[col[8]];
        gs_obs *o = &set->obs[set->n];
        o->line = L;
        if (!gs_is_ident(id) || strlen(id) >= sizeof o->id) {
            st = gs_error_set(err, GS_EINPUT, file, L,
                              "id \"%s\": expected letters, digits, '_', '-' or '.' (at most 63)",
                              id);
            break;
        }
        for (size_t k = 0; k < set->n; k++)
            if (strcmp(set->obs[k].id, id) == 0) {
                st = gs_error_set(err, GS_EINPUT, file, L, "duplicate id \"%s\" (first on line %d)",
                                  id, set->obs[k].line);
                break;
            }
        if (st != GS_OK)
            break;
        snprintf(o->id, sizeof o->id, "%s", id);
        if (strcmp(kind, "value") == 0) {
            o->kind = GS_OBS_VALUE;
        } else if (strcmp(kind, "first_year") == 0) {
            o->kind = GS_OBS_FIRST_YEAR;
        } else if (strcmp(kind, "below") == 0) {
            o->kind = GS_OBS_BELOW;
        } else if (strcmp(kind, "above") == 0) {
            o->kind = GS_OBS_ABOVE;
        } else {
            st = gs_error_set(err, GS_EINPUT, file, L,
                              "%s: kind \"%s\": expected value, first_year, below or above", id,
                              kind);
            break;
        }
        if (!var[0] || strlen(var) >= sizeof o->variable) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: variable missing or too long", id);
            break;
        }
        snprintf(o->variable, sizeof o->variable, "%s", var);
        if (parse_year(year, &o->year)) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: year \"%s\" is not a year", id, year);
            break;
        }
        o->at = NAN;
        const char *at = col_at >= 0 ? R->f[col_at] : "";
        if (at[0]) {
            /* A point within the row's year or next to it: a quarter's
             * mid-point lies within 0.5 of the year's value. */
            if (parse_num(at, &o->at) || !(fabs(o->at - o->year) <= 1)) {
                st = gs_error_set(err, GS_EINPUT, file, L,
                                  "%s: at \"%s\": expected a time within a year of %d", id, at,
                                  o->year);
                break;
            }
            if (o->kind == GS_OBS_FIRST_YEAR) {
                st = gs_error_set(err, GS_EINPUT, file, L,
                                  "%s: at must be empty for a first_year observation", id);
                break;
            }
        }
        if (o->kind != GS_OBS_FIRST_YEAR) {
            if (parse_num(value, &o->value)) {
                st = gs_error_set(err, GS_EINPUT, file, L, "%s: value \"%s\" is not a number", id,
                                  value);
                break;
            }
        } else if (!value[0]) {
            o->value = NAN;
        } else {
            int fy;
            if (parse_year(value, &fy) || fy > o->year) {
                st = gs_error_set(err, GS_EINPUT, file, L,
                                  "%s: value \"%s\": expected the first year, at most year %d, "
                                  "or empty for \"not reached by %d\"",
                                  id, value, o->year, o->year);
                break;
            }
            o->value = fy;
        }
        if (strlen(basis) >= sizeof o->basis || (basis[0] && !gs_is_ident(basis))) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: basis \"%s\" is not a short name", id,
                              basis);
            break;
        }
        snprintf(o->basis, sizeof o->basis, "%s", basis);
        o->sd = 0;
        if (sd[0] && (parse_num(sd, &o->sd) || o->sd < 0)) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: sd \"%s\": expected a number >= 0",
                              id, sd);
            break;
        }
        if (o->kind == GS_OBS_FIRST_YEAR && o->sd != 0) {
            st = gs_error_set(err, GS_EINPUT, file, L,
                              "%s: sd must be 0 for a first_year observation (years are counted whole)",
                              id);
            break;
        }
        if (strcmp(conf, "high") && strcmp(conf, "medium") && strcmp(conf, "low")) {
            st = gs_error_set(err, GS_EINPUT, file, L,
                              "%s: confidence \"%s\": expected high, medium or low", id, conf);
            break;
        }
        snprintf(o->confidence, sizeof o->confidence, "%s", conf);
        const char *inp = col_in >= 0 ? R->f[col_in] : "";
        if (strlen(inp) >= sizeof o->input_of) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: input_of is too long", id);
            break;
        }
        snprintf(o->input_of, sizeof o->input_of, "%s", inp);
        if ((st = check_pins(inp, file, L, id, err)) != GS_OK)
            break;
        if (!src[0]) {
            st = gs_error_set(err, GS_EINPUT, file, L, "%s: no source", id);
            break;
        }
        if (!(o->source = gs_strdup(src))) {
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        set->n++;
    }
    gs_csv_free(&t);
    if (st != GS_OK)
        gs_obs_free(set);
    return st;
}

/* ------------------------------------------------------------- planning */

void gs_backtest_free(gs_backtest *bt)
{
    if (!bt)
        return;
    free(bt->rows);
    free(bt->probes);
    memset(bt, 0, sizeof *bt);
}

/* Does the scenario pin the observation, by one of the settings its
 * input_of names?  PATH=VALUE: when the setting has that value.  A bare
 * PATH: a list of years pins the rows up to its last year, a year the rows up
 * to it (a distribution pins nothing).  The scenario may set them itself or
 * inherit them: what counts is the resolved value, not the scenario's name.
 * why gets the pin that matched. */
static int pins_row(const gs_scenario *scn, const gs_obs *o, char *why, size_t n_why)
{
    for (const char *p = o->input_of; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        size_t np = strcspn(p, "= ");
        char path[256], want[256];
        snprintf(path, sizeof path, "%.*s", (int)np, p);
        snprintf(want, sizeof want, "%.*s", np < n ? (int)(n - np - 1) : 0, p + np + 1);
        p += n;
        const gs_pval *v = gs_scenario_get(scn, path);
        if (!v)
            continue; /* e.g. a measure this scenario does not have */
        int hit = 0;
        double last = -HUGE_VAL; /* a bare PATH: the last year it gives */
        int konst = v->def->type == GS_PT_NUMBER && gs_dist_is_constant(&v->dist);
        if (np < n) {
            char *end;
            double x = strtod(want, &end);
            if (v->def->type == GS_PT_STRING)
                hit = strcmp(v->str, want) == 0;
            else if (v->def->type == GS_PT_BOOL)
                hit = strcmp(want, v->boolean ? "true" : "false") == 0;
            else if (konst)
                hit = *want && !*end && v->dist.a == x;
        } else if (v->def->type == GS_PT_NUMBER_ARRAY) {
            for (size_t k = 0; k < v->n_arr; k++)
                last = fmax(last, v->arr[k]);
            hit = last >= o->year;
        } else if (konst) {
            last = v->dist.a;
            hit = last >= o->year;
        }
        if (hit) {
            if (np < n)
                snprintf(why, n_why, "%.120s = %.120s", path, want);
            else
                snprintf(why, n_why, v->def->type == GS_PT_NUMBER_ARRAY ? "%.120s through %.0f"
                                                                       : "%.120s = %.0f",
                         path, last);
            return 1;
        }
    }
    return 0;
}

/* The output slot named name, or -1. */
static long find_output(const gs_sim *sim, const char *name)
{
    for (size_t k = 0; k < gs_sim_n_outputs(sim); k++)
        if (strcmp(gs_sim_output(sim, k)->name, name) == 0)
            return (long)k;
    return -1;
}

/* Resolves one name of an observation's variable (a sum "a+b" has several):
 * its observable and output slot; errors at the observation's line. */
static gs_status resolve_one(const gs_sim *sim, const gs_obs_set *set, const gs_obs *o,
                             const char *name, gs_observable *ob, long *slot, gs_error *err)
{
    const gs_scenario *scn = gs_sim_scenario(sim);
    char why[256];
    if (gs_observable_resolve(scn, name, ob, why, sizeof why) != 0)
        return gs_error_set(err, GS_EINPUT, set->file, o->line, "%s: unknown variable %s", o->id,
                            why);
    if ((*slot = find_output(sim, ob->output)) < 0)
        return gs_error_set(err, GS_EINPUT, set->file, o->line,
                            "%s: unknown variable \"%s\": %s has no output of that name "
                            "(see quantiles.csv of a run)",
                            o->id, name, gs_scenario_file(scn));
    return GS_OK;
}

/* Fills the probe's terms for an observation: every name of the sum, at
 * o->at between two years (linear) or in the year.  Returns the number of
 * terms. */
static size_t plan_terms(const gs_obs *o, const long *slots, size_t n_names, gs_probe *p)
{
    double at = isnan(o->at) ? o->year : o->at;
    int y0 = (int)floor(at);
    double f = at - y0;
    size_t n = 0;
    for (size_t j = 0; j < n_names; j++) {
        p->term[n++] = (gs_probe_term){(size_t)slots[j], y0, 1 - f};
        if (f > 0)
            p->term[n++] = (gs_probe_term){(size_t)slots[j], y0 + 1, f};
    }
    p->year = f > 0 ? y0 + 1 : y0;
    return n;
}

gs_status gs_backtest_plan(const gs_sim *sim, const gs_obs_set *set, int from, int until,
                           gs_backtest *bt, gs_error *err)
{
    memset(bt, 0, sizeof *bt);
    const gs_scenario *scn = gs_sim_scenario(sim);
    int t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    int T = (int)gs_scenario_num(scn, "scenario.horizon");
    bt->sim = sim;
    bt->from = from ? from : t0 + 1;
    bt->until = until ? until : T;
    bt->rows = calloc(set->n ? set->n : 1, sizeof *bt->rows);
    bt->probes = calloc(set->n ? set->n : 1, sizeof *bt->probes);
    if (!bt->rows || !bt->probes) {
        gs_backtest_free(bt);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    bt->n = set->n;
    gs_status st = GS_OK;
    for (size_t i = 0; i < set->n && st == GS_OK; i++) {
        const gs_obs *o = &set->obs[i];
        gs_bt_row *row = &bt->rows[i];
        row->obs = o;
        /* A sum of outputs ("leader_mix_28+leader_mix_14") resolves name by
         * name; every name must share the first one's kind and basis. */
        enum { MAX_NAMES = GS_PROBE_MAX_TERMS / 2 };
        long slots[MAX_NAMES];
        size_t n_names = 0;
        gs_observable ob, obj;
        size_t len = strlen(o->variable);
        if (o->variable[0] == '+' || o->variable[len - 1] == '+' || strstr(o->variable, "++")) {
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: unknown variable \"%s\": a sum names an output on each side "
                              "of every +",
                              o->id, o->variable);
            break;
        }
        char names[sizeof o->variable];
        snprintf(names, sizeof names, "%s", o->variable);
        char *save = NULL;
        for (char *tok = strtok_r(names, "+", &save); tok && st == GS_OK;
             tok = strtok_r(NULL, "+", &save)) {
            if (n_names == MAX_NAMES) {
                st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                                  "%s: variable \"%s\": at most %d outputs in a sum", o->id,
                                  o->variable, MAX_NAMES);
                break;
            }
            st = resolve_one(sim, set, o, tok, n_names ? &obj : &ob, &slots[n_names], err);
            if (st == GS_OK && n_names &&
                (obj.kind != GS_PROBE_VALUE || ob.kind != GS_PROBE_VALUE ||
                 strcmp(obj.basis, ob.basis) != 0))
                st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                                  "%s: variable \"%s\": a sum needs value outputs on one basis",
                                  o->id, o->variable);
            n_names++;
        }
        if (st != GS_OK)
            break;
        row->output = slots[0];
        const gs_output_decl *d = gs_sim_output(sim, (size_t)slots[0]);
        int is_first = ob.kind != GS_PROBE_VALUE;
        if (is_first != (o->kind == GS_OBS_FIRST_YEAR)) {
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: variable \"%s\" needs kind %s", o->id, o->variable,
                              is_first ? "first_year" : "value, below or above");
            break;
        }
        double at = isnan(o->at) || is_first ? o->year : o->at;
        if (o->year < t0 && at < t0) {
            /* A record longer than the scenario (a rebased scenario, or
             * history before a base year) is not damaged: its early rows
             * are the past the scenario starts from. */
            row->status = GS_BT_OUTSIDE;
            snprintf(row->reason, sizeof row->reason,
                     "before the base year %d (the past the scenario starts from, not a forecast)",
                     t0);
            continue;
        }
        if (o->year < t0 || o->year > T || floor(at) < t0 || ceil(at) > T ||
            (is_first && !isnan(o->value) && o->value < t0)) {
            double shown = is_first && !isnan(o->value) && o->value < t0 ? o->value
                           : o->year < t0 || o->year > T                 ? o->year
                                                                         : at;
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: year %g is outside the years %d-%d of %s", o->id, shown, t0,
                              T, gs_scenario_file(scn));
            break;
        }
        if (!ob.basis[0] && o->basis[0]) {
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: variable \"%s\" has no basis; leave basis empty", o->id,
                              o->variable);
            break;
        }
        if (ob.basis[0] && !o->basis[0]) {
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: variable \"%s\" is counted on a basis; say which (its "
                              "basis is %s)",
                              o->id, o->variable, ob.basis);
            break;
        }
        gs_probe p = {0};
        int sum = n_names > 1 || at != o->year;
        if (sum) {
            for (size_t j = 0; j < n_names; j++)
                if (gs_sim_output(sim, (size_t)slots[j])->n_levels > 0) {
                    st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                                      "%s: variable \"%s\": a sum or a time between years needs "
                                      "continuous outputs",
                                      o->id, o->variable);
                    break;
                }
            if (st != GS_OK)
                break;
            p.n_terms = plan_terms(o, slots, n_names, &p);
        } else {
            p.year = (int)at;
        }
        if ((o->kind == GS_OBS_BELOW || o->kind == GS_OBS_ABOVE) && d->n_levels > 0) {
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: variable \"%s\": a bound (below, above) needs a continuous "
                              "output",
                              o->id, o->variable);
            break;
        }
        row->composite = sum;
        row->discrete = is_first || d->n_levels > 0;
        row->censored = (is_first && isnan(o->value)) || o->kind == GS_OBS_BELOW ||
                        o->kind == GS_OBS_ABOVE;
        if (ob.basis[0] && strcmp(ob.basis, o->basis) != 0) {
            /* Each output counts one basis: a row on another basis is a
             * row of another variable, mislabelled. */
            st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                              "%s: variable \"%s\" counts the %s basis, the row says %s (score "
                              "it against the output of its own basis)",
                              o->id, o->variable, ob.basis, o->basis);
            break;
        }
        char why[256];
        if (pins_row(scn, o, why, sizeof why)) {
            row->status = GS_BT_INPUT;
            snprintf(row->reason, sizeof row->reason,
                     "an input of scenario %.64s, which sets %.255s (given, not a forecast)",
                     gs_scenario_str(scn, "scenario.name"), why);
            continue;
        }
        if (o->year < bt->from || o->year > bt->until) {
            row->status = GS_BT_OUTSIDE;
            snprintf(row->reason, sizeof row->reason, "outside the years scored, %d-%d%s",
                     bt->from, bt->until,
                     o->year == t0 ? " (the base year is the initial state, not a forecast)" : "");
            continue;
        }
        row->status = GS_BT_SCORED;
        row->probe = bt->n_probes;
        p.kind = ob.kind;
        p.output = (size_t)row->output;
        if (is_first)
            p.year = o->year;
        p.value = is_first ? ob.threshold : o->value;
        p.sd = o->sd;
        if (ob.cond_output[0] && !is_first) {
            long c = find_output(sim, ob.cond_output);
            if (c < 0) {
                st = gs_error_set(err, GS_EINPUT, set->file, o->line,
                                  "%s: variable \"%s\" is defined where %s <= %g, and %s has no "
                                  "output %s",
                                  o->id, o->variable, ob.cond_output, ob.cond_max,
                                  gs_scenario_file(scn), ob.cond_output);
                break;
            }
            p.has_cond = 1;
            p.cond_output = (size_t)c;
            p.cond_max = ob.cond_max;
            row->composite = 1;
        }
        bt->probes[bt->n_probes++] = p;
    }
    if (st != GS_OK)
        gs_backtest_free(bt);
    return st;
}

static int fan_kind(const gs_bt_row *r)
{
    return r->status == GS_BT_SCORED && r->obs->kind != GS_OBS_FIRST_YEAR && !r->composite;
}

int gs_bt_fan_row(const gs_backtest *bt, size_t i)
{
    if (!fan_kind(&bt->rows[i]))
        return 0;
    for (size_t k = 0; k < i; k++)
        if (fan_kind(&bt->rows[k]) && strcmp(bt->rows[k].obs->variable, bt->rows[i].obs->variable) == 0)
            return 0;
    return 1;
}

/* -------------------------------------------------------------- scoring */

double gs_crps_normal(double m, double s, double y)
{
    double z = (y - m) / s;
    return s * (z * (2 * gsl_cdf_ugaussian_P(z) - 1) + 2 * gsl_ran_ugaussian_pdf(z) -
                1 / sqrt(M_PI));
}

/* E|m + s Z| for Z standard normal (s = 0: |m|). */
static double folded(double m, double s)
{
    if (!(s > 0))
        return fabs(m);
    double z = m / s;
    return m * (2 * gsl_cdf_ugaussian_P(z) - 1) + 2 * s * gsl_ran_ugaussian_pdf(z);
}

/* Point masses sorted by position. */
typedef struct mass {
    double c, m;
} mass;

/* E|D - D'| for point masses in ascending order. */
static double pair_mean_abs(const mass *ms, size_t k)
{
    double sum = 0, cum_m = 0, cum_mc = 0;
    for (size_t i = 0; i < k; i++) {
        sum += 2 * ms[i].m * (ms[i].c * cum_m - cum_mc);
        cum_m += ms[i].m;
        cum_mc += ms[i].m * ms[i].c;
    }
    return sum;
}

/* Merges neighbouring masses pairwise (at their mean) until at most max
 * remain; returns the mass-weighted distance the values moved. */
static double thin_masses(mass *ms, size_t *k, size_t max)
{
    double moved = 0;
    while (*k > max) {
        size_t j = 0;
        for (size_t i = 0; i < *k; i += 2, j++) {
            if (i + 1 == *k) {
                ms[j] = ms[i];
                continue;
            }
            double m = ms[i].m + ms[i + 1].m;
            double c = m > 0 ? (ms[i].m * ms[i].c + ms[i + 1].m * ms[i + 1].c) / m : ms[i].c;
            moved += ms[i].m * fabs(ms[i].c - c) + ms[i + 1].m * fabs(ms[i + 1].c - c);
            ms[j] = (mass){c, m};
        }
        *k = j;
    }
    return moved;
}

/* The p-quantile of a first-year distribution, horizon + 1 beyond it. */
static double first_quantile(const gs_passage *p, double q)
{
    return gs_passage_quantile(p, q);
}

static void score_first_year(gs_bt_row *row, const gs_probe_stats *st)
{
    const gs_passage *p = st->first;
    const gs_obs *o = row->obs;
    static const double qs[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    for (int k = 0; k < 5; k++)
        row->q[k] = first_quantile(p, qs[k]);
    row->crps_accuracy = 0;
    if (row->censored) {
        int c = o->year;
        double Fc = gs_passage_cdf(p, c);
        row->pit = (1 + Fc) / 2;
        double s = 0;
        for (int k = p->t0; k <= c; k++) {
            double F = gs_passage_cdf(p, k);
            s += F * F;
        }
        row->crps = s;
        /* Known outside only when the whole band ends by c. */
        row->in50 = row->q[3] <= c ? 0 : -1;
        row->in90 = row->q[4] <= c ? 0 : -1;
        return;
    }
    int y = (int)o->value;
    double Fy = gs_passage_cdf(p, y), Fy1 = y > p->t0 ? gs_passage_cdf(p, y - 1) : 0;
    row->pit = (Fy + Fy1) / 2;
    double s = 0;
    for (int k = p->t0; k <= p->T; k++) {
        double F = gs_passage_cdf(p, k), H = k >= y ? 1 : 0;
        s += (F - H) * (F - H);
    }
    row->crps = s;
    row->in50 = row->q[1] <= y && y <= row->q[3];
    row->in90 = row->q[0] <= y && y <= row->q[4];
}

/* The CRPS of a bound "below y" (or "above y") is that of some outcome on
 * the observed side; what every such outcome shares is the integral over the
 * other side, the integral of P(X > x)^2 over x > y (of P(X < x)^2 over
 * x < y): a lower bound, computed from the sketch of d = x - y without the
 * observation error (the masses beyond y are sorted; between two of them the
 * tail probability is constant). */
static gs_status score_bound(gs_bt_row *row, const gs_probe_stats *st)
{
    double n = (double)st->n;
    int below = row->obs->kind == GS_OBS_BELOW;
    size_t cap = gs_sketch_buckets(st->diff) + 3;
    double *v = malloc(cap * sizeof *v);
    uint64_t *cnt = malloc(cap * sizeof *cnt);
    if (!v || !cnt) {
        free(v);
        free(cnt);
        return GS_ENOMEM;
    }
    uint64_t collapsed;
    double cmax;
    size_t k = gs_sketch_masses(st->diff, v, cnt, cap, &collapsed, &cmax);
    double tail = 0, prev = 0, s = 0, e_abs = 0;
    for (size_t i = 0; i < k; i++) {
        e_abs += fabs(v[i]) * (double)cnt[i] / n;
        if (below ? v[i] > 0 : v[i] < 0)
            tail += (double)cnt[i] / n;
    }
    /* Walk away from y: below, ascending over d > 0; above, descending
     * over d < 0. */
    for (size_t j = 0; j < k; j++) {
        size_t i = below ? j : k - 1 - j;
        double c = fabs(v[i]);
        if (below ? !(v[i] > 0) : !(v[i] < 0))
            continue;
        s += tail * tail * (c - prev);
        prev = c;
        tail -= (double)cnt[i] / n;
    }
    free(v);
    free(cnt);
    row->crps = fmax(0.0, s);
    /* Each mass is within alpha |d| of its values; collapsed ones sit
     * within cmax of y. */
    row->crps_accuracy = GS_PROBE_ALPHA * e_abs + (double)collapsed / n * cmax;
    return GS_OK;
}

static gs_status score_value(gs_bt_row *row, const gs_probe_stats *st, const gs_results *r)
{
    const gs_obs *o = row->obs;
    double n = (double)st->n, y = o->value, sd = o->sd;
    static const double qs[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    for (int k = 0; k < 5; k++)
        row->q[k] = row->composite ? y + gs_sketch_quantile(st->diff, qs[k], NULL)
                                   : gs_results_quantile(r, (size_t)row->output, o->year, qs[k]);
    row->pit = sd > 0 ? st->sum_cdf / n : ((double)st->below + 0.5 * (double)st->equal) / n;
    if (o->kind == GS_OBS_BELOW || o->kind == GS_OBS_ABOVE) {
        /* No point to place the observation at: the forecast's mass on
         * the observed side decides the bands (more than 25 % or 5 %). */
        row->p_region = o->kind == GS_OBS_BELOW ? row->pit : 1 - row->pit;
        row->pit = NAN;
        row->in50 = row->p_region > 0.25;
        row->in90 = row->p_region > 0.05;
        return score_bound(row, st);
    }
    if (sd > 0) {
        row->in50 = row->pit >= 0.25 && row->pit <= 0.75;
        row->in90 = row->pit >= 0.05 && row->pit <= 0.95;
    } else {
        row->in50 = row->q[1] <= y && y <= row->q[3];
        row->in90 = row->q[0] <= y && y <= row->q[4];
    }
    double e_xy = st->sum_abs / n, e_xx = 0;
    row->crps_accuracy = 0;
    if (row->discrete) {
        const gs_output_decl *d = gs_results_output(r, (size_t)row->output);
        for (size_t a = 0; a < d->n_levels; a++) {
            double pa = gs_results_level_prob(r, (size_t)row->output, o->year, a);
            if (!(pa > 0))
                continue;
            for (size_t b = 0; b < d->n_levels; b++) {
                double pb = gs_results_level_prob(r, (size_t)row->output, o->year, b);
                if (pb > 0)
                    e_xx += pa * pb * folded(d->levels[a] - d->levels[b], M_SQRT2 * sd);
            }
        }
    } else {
        /* The sketch holds d = x - y within relative distance alpha of
         * each value, so moving every d to its representative moves
         * E|D - D'| by at most 2 alpha E|D|, and the CRPS by half that. */
        size_t cap = gs_sketch_buckets(st->diff) + 3;
        mass *ms = malloc(cap * sizeof *ms);
        double *v = malloc(cap * sizeof *v);
        uint64_t *cnt = malloc(cap * sizeof *cnt);
        if (!ms || !v || !cnt) {
            free(ms);
            free(v);
            free(cnt);
            return GS_ENOMEM;
        }
        uint64_t collapsed;
        double cmax;
        size_t k = gs_sketch_masses(st->diff, v, cnt, cap, &collapsed, &cmax);
        for (size_t i = 0; i < k; i++)
            ms[i] = (mass){v[i], (double)cnt[i] / n};
        double moved = 0;
        if (collapsed) {
            /* Values the sketch folded together near y: placed at y, each
             * moved by at most cmax. */
            size_t at = 0;
            while (at < k && ms[at].c < 0)
                at++;
            memmove(ms + at + 1, ms + at, (k - at) * sizeof *ms);
            ms[at] = (mass){0.0, (double)collapsed / n};
            k++;
            moved += (double)collapsed / n * cmax;
        }
        free(v);
        free(cnt);
        if (sd > 0) {
            /* Every pair of masses: thin them to 2048 first. */
            moved += thin_masses(ms, &k, 2048);
            for (size_t a = 0; a < k; a++)
                for (size_t b = 0; b < k; b++)
                    e_xx += ms[a].m * ms[b].m * folded(ms[a].c - ms[b].c, M_SQRT2 * sd);
        } else {
            e_xx = pair_mean_abs(ms, k);
        }
        free(ms);
        /* E|D| <= e_xy (with sd > 0, e_xy = E|D + e| >= E|D|). */
        row->crps_accuracy = GS_PROBE_ALPHA * e_xy + moved;
    }
    row->crps = fmax(0.0, e_xy - e_xx / 2);
    return GS_OK;
}

gs_status gs_backtest_score(gs_backtest *bt, const gs_results *r, gs_error *err)
{
    if (gs_results_n_probes(r) != bt->n_probes)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the run was not made with the backtest's probes");
    for (size_t i = 0; i < bt->n; i++) {
        gs_bt_row *row = &bt->rows[i];
        if (row->status != GS_BT_SCORED)
            continue;
        gs_probe_stats st;
        gs_results_probe(r, row->probe, &st);
        row->n_defined = st.n;
        if (st.n == 0 && bt->probes[row->probe].has_cond) {
            row->status = GS_BT_UNDEFINED;
            snprintf(row->reason, sizeof row->reason,
                     "not defined: %s exists only where %s <= %g, in no trajectory in %d",
                     row->obs->variable, gs_sim_output(bt->sim, bt->probes[row->probe].cond_output)->name,
                     bt->probes[row->probe].cond_max, bt->probes[row->probe].year);
            continue;
        }
        if (st.n == 0)
            return gs_error_set(err, GS_ERUN, NULL, 0, "no trajectory reached the probe of %s",
                                row->obs->id);
        if (st.kind == GS_PROBE_VALUE) {
            if (score_value(row, &st, r) != GS_OK)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        } else {
            score_first_year(row, &st);
        }
    }
    return GS_OK;
}
