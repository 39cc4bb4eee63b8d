/* calib_write.c: the files of a calibration (gapsim.h, docs/calibration.md):
 * posterior.csv, calibration.txt, calibrated.cfg, the tables its charts
 * read, manifest.json.  Every file goes through gs_afile: whole or absent. */
#define _XOPEN_SOURCE 700 /* realpath */

#include "gs_calib.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "gs_util.h"

#define CALIB_BINS 40
#define CALIB_PAIRS 3

static void num(gs_strbuf *b, double x) { gs_strbuf_printf(b, "%.17g", x); }

/* Writes b as dir/name (out of memory when b ran out) and frees it. */
static gs_status write_buf(const char *dir, const char *name, gs_strbuf *b, gs_error *err)
{
    gs_status st = b->oom ? gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory")
                          : gs_afile_write(dir, name, gs_strbuf_str(b), err);
    gs_strbuf_free(b);
    return st;
}

/* ----------------------------------------------------------- posterior */

/* Resampling copies a vector; posterior.csv lists each distinct vector
 * once with the sum of its copies' weights, in order of first appearance. */
typedef struct draw_key {
    const gs_calib *c;
    size_t k;
} draw_key;

static int cmp_draw(const void *a, const void *b)
{
    const draw_key *x = a, *y = b;
    int r = memcmp(x->c->theta + x->k * x->c->np, y->c->theta + y->k * y->c->np,
                   x->c->np * sizeof(double));
    return r ? r : (x->k > y->k) - (x->k < y->k);
}

typedef struct group {
    size_t first;
    double w;
} group;

static int cmp_group(const void *a, const void *b)
{
    size_t x = ((const group *)a)->first, y = ((const group *)b)->first;
    return (x > y) - (x < y);
}

/* The distinct weighted draws: first[n] their first copies, wsum[n] weights. */
size_t gs_calib_distinct(const gs_calib *c, size_t *first, double *wsum)
{
    draw_key *key = malloc(c->N * sizeof *key);
    group *g = malloc(c->N * sizeof *g);
    size_t n = 0, m = 0;
    if (!key || !g) {
        free(key);
        free(g);
        return 0;
    }
    for (size_t k = 0; k < c->N; k++)
        if (c->w[k] > 0)
            key[m++] = (draw_key){c, k};
    /* equal vectors end up side by side, the earliest copy first */
    qsort(key, m, sizeof *key, cmp_draw);
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || memcmp(c->theta + key[i].k * c->np, c->theta + key[i - 1].k * c->np,
                             c->np * sizeof(double)) != 0)
            g[n++] = (group){key[i].k, 0};
        g[n - 1].w += c->w[key[i].k];
    }
    qsort(g, n, sizeof *g, cmp_group);
    for (size_t i = 0; i < n; i++) {
        first[i] = g[i].first;
        wsum[i] = g[i].w;
    }
    free(key);
    free(g);
    return n;
}

/* The distinct weighted draws (gs_calib_distinct): *n of them, in *first
 * and *wsum, malloc'd. */
static gs_status distinct_draws(const gs_calib *c, size_t **first, double **wsum, size_t *n,
                                gs_error *err)
{
    *n = 0; /* set on every path, so a caller's count is never read unset */
    *first = malloc(c->N * sizeof **first);
    *wsum = malloc(c->N * sizeof **wsum);
    if (!*first || !*wsum) {
        free(*first);
        free(*wsum);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    *n = gs_calib_distinct(c, *first, *wsum);
    return GS_OK;
}

static gs_status write_posterior(const gs_calib *c, const char *dir, gs_error *err)
{
    size_t *first, n;
    double *wsum;
    gs_status st = distinct_draws(c, &first, &wsum, &n, err);
    if (st != GS_OK)
        return st;
    gs_strbuf b = {0};
    gs_strbuf_puts(&b, "weight");
    for (size_t i = 0; i < c->np; i++) {
        gs_strbuf_puts(&b, ",");
        gs_strbuf_puts(&b, gs_calib_param(c, i));
    }
    gs_strbuf_puts(&b, "\n");
    for (size_t d = 0; d < n; d++) {
        num(&b, wsum[d]);
        for (size_t i = 0; i < c->np; i++) {
            gs_strbuf_puts(&b, ",");
            num(&b, c->theta[first[d] * c->np + i]);
        }
        gs_strbuf_puts(&b, "\n");
    }
    free(first);
    free(wsum);
    b.oom |= n == 0; /* gs_calib_distinct ran out of memory */
    return write_buf(dir, "posterior.csv", &b, err);
}

/* ------------------------------------------------------- correlations */

typedef struct pair {
    size_t a, b;
    double r;
} pair;

/* Weighted Pearson correlation of the normal scores of a and b: a rank
 * correlation of the values, the prior's CDF being monotone. */
static double score_corr(const gs_calib *c, size_t a, size_t b)
{
    double ma = 0, mb = 0;
    for (size_t k = 0; k < c->N; k++) {
        ma += c->w[k] * c->z[k * c->np + a];
        mb += c->w[k] * c->z[k * c->np + b];
    }
    double sab = 0, saa = 0, sbb = 0;
    for (size_t k = 0; k < c->N; k++) {
        double da = c->z[k * c->np + a] - ma, db = c->z[k * c->np + b] - mb;
        sab += c->w[k] * da * db;
        saa += c->w[k] * da * da;
        sbb += c->w[k] * db * db;
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* The strongest pairs, at most CALIB_PAIRS, strongest first. */
static size_t strongest_pairs(const gs_calib *c, pair *out)
{
    size_t n = 0;
    for (size_t a = 0; a < c->np; a++)
        for (size_t b = a + 1; b < c->np; b++) {
            double r = score_corr(c, a, b);
            if (isnan(r))
                continue;
            pair p = {a, b, r};
            size_t at = n < CALIB_PAIRS ? n++ : CALIB_PAIRS;
            if (at == CALIB_PAIRS) {
                if (fabs(r) <= fabs(out[CALIB_PAIRS - 1].r))
                    continue;
                at = CALIB_PAIRS - 1;
            }
            out[at] = p;
            for (size_t i = at; i > 0 && fabs(out[i].r) > fabs(out[i - 1].r); i--) {
                pair t = out[i];
                out[i] = out[i - 1];
                out[i - 1] = t;
            }
        }
    return n;
}

/* ------------------------------------------------------------- tables */

static gs_status write_marginals(const gs_calib *c, const char *dir, gs_error *err)
{
    gs_strbuf b = {0};
    gs_strbuf_puts(&b, "param,path,x,prior_density,posterior_density,prior_p50,posterior_p50\n");
    for (size_t i = 0; i < c->np; i++) {
        const gs_pval *v = gs_scenario_at(c->scn, c->pidx[i]);
        double lo = gs_calib_prior_quantile(c, i, 0.001), hi = gs_calib_prior_quantile(c, i, 0.999);
        for (size_t k = 0; k < c->N; k++) {
            lo = fmin(lo, c->theta[k * c->np + i]);
            hi = fmax(hi, c->theta[k * c->np + i]);
        }
        if (!(hi > lo))
            hi = lo + 1;
        double h = (hi - lo) / CALIB_BINS, post[CALIB_BINS] = {0};
        for (size_t k = 0; k < c->N; k++) {
            long bin = (long)((c->theta[k * c->np + i] - lo) / h);
            bin = bin < 0 ? 0 : bin >= CALIB_BINS ? CALIB_BINS - 1 : bin;
            post[bin] += c->w[k];
        }
        double pm = gs_calib_prior_quantile(c, i, 0.5), qm = gs_calib_quantile(c, i, 0.5);
        for (int k = 0; k < CALIB_BINS; k++) {
            double a = lo + k * h, e = a + h;
            double prior = gs_dist_cdf(&v->dist, e) - gs_dist_cdf(&v->dist, a);
            gs_strbuf_printf(&b, "%zu,", i + 1);
            gs_strbuf_puts(&b, v->path);
            gs_strbuf_printf(&b, ",%.10g,%.10g,%.10g,%.10g,%.10g\n", a + h / 2, prior / h,
                             post[k] / h, pm, qm);
        }
    }
    return write_buf(dir, "calib_marginals.csv", &b, err);
}

static gs_status write_pairs(const gs_calib *c, const pair *p, size_t n, const char *dir,
                             gs_error *err)
{
    size_t *first, nd;
    double *wsum;
    gs_status st = distinct_draws(c, &first, &wsum, &nd, err);
    if (st != GS_OK)
        return st;
    gs_strbuf b = {0};
    /* weight: the draw's weight relative to an equal share */
    gs_strbuf_puts(&b, "pair,x,y,weight\n");
    for (size_t q = 0; q < n; q++)
        for (size_t d = 0; d < nd; d++)
            gs_strbuf_printf(&b, "%zu,%.10g,%.10g,%.10g\n", q + 1,
                             c->theta[first[d] * c->np + p[q].a],
                             c->theta[first[d] * c->np + p[q].b], wsum[d] * (double)nd);
    free(first);
    free(wsum);
    return write_buf(dir, "calib_pairs.csv", &b, err);
}

/* ------------------------------------------------------------- report */

static const char *unit_of(const gs_calib *c, size_t i)
{
    const char *u = gs_scenario_at(c->scn, c->pidx[i])->def->unit;
    return u && u[0] ? u : "-";
}

static void value_of(char *buf, size_t n, const calib_obs *ob)
{
    const gs_obs *o = ob->row->obs;
    if (o->kind == GS_OBS_BELOW || o->kind == GS_OBS_ABOVE)
        snprintf(buf, n, "%s %.4g", o->kind == GS_OBS_BELOW ? "<=" : ">=", o->value);
    else if (ob->row->censored)
        snprintf(buf, n, "not by %d", o->year);
    else
        snprintf(buf, n, "%.4g", o->value);
}

static char *report(const gs_calib *c, const char *config_file, const pair *pr, size_t npr)
{
    gs_strbuf b = {0};
    const char *name = gs_scenario_str(c->scn, "scenario.name");
    gs_strbuf_printf(&b, "Calibration of %s (%s) against %s, observations of %d-%d.\n", name,
                     config_file, c->obs.file, c->bt.from, c->bt.until);
    gs_strbuf_printf(&b,
                     "Method %s: %zu parameter vectors, each run for %zu trajectories of its "
                     "own (seed %llu); %llu trajectories in all.\n",
                     gs_calib_method_name(c->o.method), c->N, c->M,
                     (unsigned long long)c->o.seed, (unsigned long long)c->trajectories);
    double ess = gs_calib_ess(c);
    size_t *first = malloc(c->N * sizeof *first);
    double *wsum = malloc(c->N * sizeof *wsum);
    size_t nd = first && wsum ? gs_calib_distinct(c, first, wsum) : 0;
    free(first);
    free(wsum);
    gs_strbuf_printf(&b, "Effective sample size of the posterior: %.1f of %zu draws, %zu of them "
                         "distinct.%s\n",
                     ess, c->N, nd,
                     ess < 50 || nd < 50
                         ? " Fewer than 50: its quantiles are rough; raise --population or -n."
                         : "");
    gs_strbuf_puts(&b, "\nGenerations (tolerance: the largest distance a trajectory may have; "
                       "ESS after reweighting; acceptance of the moves):\n");
    gs_strbuf_printf(&b, "  %-10s %12s %10s %11s %13s\n", "generation", "tolerance", "ESS",
                     "acceptance", "trajectories");
    for (size_t g = 0; g < c->n_gen; g++) {
        const calib_gen *x = &c->gen[g];
        char tol[32];
        if (isinf(x->eps))
            snprintf(tol, sizeof tol, "(prior)");
        else
            snprintf(tol, sizeof tol, "%.4g", x->eps);
        gs_strbuf_printf(&b, "  %-10zu %12s %10.1f %11.3f %13llu\n", g, tol, x->ess,
                         x->acceptance, (unsigned long long)x->trajectories);
    }
    if (c->o.method == GS_CALIB_ABC_SMC && c->n_gen > 1) {
        const calib_gen *x = &c->gen[c->n_gen - 1];
        if (x->acceptance < c->o.min_acceptance)
            gs_strbuf_printf(&b, "Stopped: the moves' acceptance %.3f fell below %.3f.\n",
                             x->acceptance, c->o.min_acceptance);
        else if (c->n_gen - 1 >= c->o.max_generations)
            gs_strbuf_printf(&b,
                             "Stopped after %zu generations (--generations): the tolerance "
                             "could still fall.\n",
                             c->n_gen - 1);
        else if (c->n_gen >= 3 && c->gen[c->n_gen - 2].eps - x->eps < 0.01 * x->eps)
            gs_strbuf_puts(&b, "Stopped: the last generation lowered the tolerance by under "
                               "1 %.\n");
        else
            gs_strbuf_puts(&b, "Stopped: the tolerance could not fall further while keeping "
                               "the effective sample size.\n");
    }
    gs_strbuf_puts(&b, "\nParameters: median [5 %, 95 %] under the prior and the posterior; "
                       "narrowing = 1 - posterior 90 % width / prior 90 % width.\n");
    size_t wp = 9;
    for (size_t i = 0; i < c->np; i++)
        wp = strlen(gs_calib_param(c, i)) > wp ? strlen(gs_calib_param(c, i)) : wp;
    gs_strbuf_printf(&b, "  %-*s %-10s %-30s %-30s %9s\n", (int)wp, "parameter", "unit", "prior",
                     "posterior", "narrowing");
    for (size_t i = 0; i < c->np; i++) {
        double a[3] = {gs_calib_prior_quantile(c, i, 0.05), gs_calib_prior_quantile(c, i, 0.5),
                       gs_calib_prior_quantile(c, i, 0.95)};
        double q[3] = {gs_calib_quantile(c, i, 0.05), gs_calib_quantile(c, i, 0.5),
                       gs_calib_quantile(c, i, 0.95)};
        char sa[64], sq[64];
        snprintf(sa, sizeof sa, "%.4g [%.4g, %.4g]", a[1], a[0], a[2]);
        snprintf(sq, sizeof sq, "%.4g [%.4g, %.4g]", q[1], q[0], q[2]);
        double wpr = a[2] - a[0], wpo = q[2] - q[0];
        char nar[32];
        if (wpr > 0)
            snprintf(nar, sizeof nar, "%.0f %%", 100 * (1 - wpo / wpr));
        else
            snprintf(nar, sizeof nar, "-");
        gs_strbuf_printf(&b, "  %-*s %-10s %-30s %-30s %9s\n", (int)wp, gs_calib_param(c, i),
                         unit_of(c, i), sa, sq, nar);
    }
    if (npr) {
        gs_strbuf_puts(&b, "\nStrongest posterior correlations (weighted correlation of the "
                           "normal scores, a rank correlation):\n");
        for (size_t q = 0; q < npr; q++)
            gs_strbuf_printf(&b, "  %s ~ %s: %+.2f\n", gs_calib_param(c, pr[q].a),
                             gs_calib_param(c, pr[q].b), pr[q].r);
    }
    gs_strbuf_printf(&b,
                     "\nObservations (%zu in the distance of %zu comparable): the simulated "
                     "observation (model plus the observation's error) as median [5 %%, 95 %%];"
                     " PIT: share of it below the observed value.\n",
                     c->n_inf, c->K);
    size_t wid = 2, wv = 8;
    for (size_t i = 0; i < c->K; i++) {
        size_t l = strlen(c->ob[i].row->obs->id), m = strlen(c->ob[i].row->obs->variable);
        wid = l > wid ? l : wid;
        wv = m > wv ? m : wv;
    }
    gs_strbuf_printf(&b, "  %-*s %-*s %5s %10s %-28s %-28s %6s\n", (int)wid, "id", (int)wv,
                     "variable", "year", "observed", "prior", "posterior", "PIT");
    for (size_t i = 0; i < c->K; i++) {
        const calib_obs *ob = &c->ob[i];
        char v[32], sa[64], sq[64], pit[16];
        value_of(v, sizeof v, ob);
        snprintf(sa, sizeof sa, "%.4g [%.4g, %.4g]", ob->prior_q[1], ob->prior_q[0],
                 ob->prior_q[2]);
        snprintf(sq, sizeof sq, "%.4g [%.4g, %.4g]", ob->post_q[1], ob->post_q[0], ob->post_q[2]);
        if (ob->row->censored)
            snprintf(pit, sizeof pit, "-");
        else
            snprintf(pit, sizeof pit, "%.3f", ob->post_pit);
        gs_strbuf_printf(&b, "  %-*s %-*s %5d %10s %-28s %-28s %6s%s\n", (int)wid, ob->row->obs->id,
                         (int)wv, ob->row->obs->variable, ob->row->obs->year, v, sa, sq, pit,
                         ob->informative ? "" : "  (not moved by any parameter)");
    }
    size_t bad = 0;
    gs_strbuf_puts(&b, "\nObservations the posterior still cannot match (outside its 90 % "
                       "band; censored: not reached by the year, or on the bound's side, in under 5 % of "
                       "it):\n");
    for (size_t i = 0; i < c->K; i++) {
        const calib_obs *ob = &c->ob[i];
        if (ob->post_in90)
            continue;
        char v[32];
        value_of(v, sizeof v, ob);
        bad++;
        if (ob->row->censored)
            gs_strbuf_printf(&b, "  %s (%s %d): observed %s; the posterior gives it %.1f %%\n",
                             ob->row->obs->id, ob->row->obs->variable, ob->row->obs->year, v,
                             100 * ob->post_far);
        else
            gs_strbuf_printf(&b,
                             "  %s (%s %d): observed %s, posterior 90 %% band [%.4g, %.4g]%s\n",
                             ob->row->obs->id, ob->row->obs->variable, ob->row->obs->year, v,
                             ob->post_q[0], ob->post_q[2],
                             ob->informative ? "" : "; no calibrated parameter moves it");
    }
    if (!bad)
        gs_strbuf_puts(&b, "  none\n");
    size_t fixed = c->K - c->n_inf;
    if (fixed)
        gs_strbuf_printf(&b,
                         "\n%zu observation%s no calibrated parameter moves %s left out of the "
                         "distance: they cannot inform it (marked above).\n",
                         fixed, fixed == 1 ? "" : "s", fixed == 1 ? "is" : "are");
    gs_strbuf_puts(&b, "\nThe posterior is an approximation at the last tolerance; "
                       "docs/calibration.md says when not to trust it.\n");
    return gs_strbuf_take(&b);
}

/* ------------------------------------------------------ calibrated.cfg */

/* The path of target relative to the folder dir (both made absolute). */
static char *relative_to(const char *dir, const char *target)
{
    char rd[PATH_MAX], rt[PATH_MAX];
    if (!realpath(dir, rd) || !realpath(target, rt))
        return NULL;
    size_t i = 0, last = 0;
    while (rd[i] && rd[i] == rt[i]) {
        if (rd[i] == '/')
            last = i;
        i++;
    }
    if (!rd[i] && (rt[i] == '/' || !rt[i]))
        last = i;
    gs_strbuf b = {0};
    for (const char *p = rd + last; *p; p++)
        if (*p == '/')
            gs_strbuf_puts(&b, "../");
    gs_strbuf_puts(&b, rt + last + (rt[last] == '/'));
    return gs_strbuf_take(&b);
}

static void cfg_string(gs_strbuf *b, const char *s)
{
    gs_strbuf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            gs_strbuf_printf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            gs_strbuf_puts(b, " ");
        else
            gs_strbuf_printf(b, "%c", *s);
    }
    gs_strbuf_puts(b, "\"");
}

static gs_status write_cfg(const gs_calib *c, const char *config_file, const char *dir,
                           gs_error *err)
{
    char *rel = relative_to(dir, config_file);
    if (!rel)
        return gs_error_set(err, GS_EIO, config_file, 0, "cannot find the scenario's path");
    const char *name = gs_scenario_str(c->scn, "scenario.name");
    const char *title = gs_scenario_str(c->scn, "scenario.title");
    gs_strbuf b = {0};
    gs_strbuf_printf(&b,
                     "# Written by gapsim calibrate: the scenario below with the %zu parameters "
                     "of\n# posterior.csv drawn jointly from that file (calibration.txt says how "
                     "it was\n# made: observations of %d-%d, method %s).\n",
                     c->np, c->bt.from, c->bt.until, gs_calib_method_name(c->o.method));
    gs_strbuf_puts(&b, "inherit = ");
    cfg_string(&b, rel);
    gs_strbuf_puts(&b, ";\n\nscenario = {\n  name = ");
    char nm[128];
    snprintf(nm, sizeof nm, "%.100s_calibrated", name);
    cfg_string(&b, nm);
    gs_strbuf_puts(&b, ";\n  title = ");
    char tt[512];
    snprintf(tt, sizeof tt, "%.400s, calibrated to %d", title[0] ? title : name, c->bt.until);
    cfg_string(&b, tt);
    gs_strbuf_puts(&b, ";\n};\n\nparameters_from = \"posterior.csv\";\n");
    free(rel);
    return write_buf(dir, "calibrated.cfg", &b, err);
}

/* -------------------------------------------------------------- manifest */

static gs_status write_manifest(const gs_calib *c, const char *config_file, const char *dir,
                                const char *const *argv, size_t argc, gs_error *err)
{
    json_t *m = json_object();
    json_object_set_new(m, "command", json_string("calibrate"));
    json_object_set_new(m, "gapsim_version", json_string(gs_version()));
    json_t *s = json_object();
    json_object_set_new(s, "name", json_string(gs_scenario_str(c->scn, "scenario.name")));
    json_object_set_new(s, "config_file", json_string(config_file));
    json_object_set_new(s, "base_year", json_integer(gs_sim_t0(c->sim)));
    json_object_set_new(s, "horizon", json_integer(gs_sim_T(c->sim)));
    json_object_set_new(m, "scenario", s);
    json_object_set_new(m, "observations", json_string(c->obs.file));
    json_object_set_new(m, "years", json_pack("[ii]", c->bt.from, c->bt.until));
    json_object_set_new(m, "method", json_string(gs_calib_method_name(c->o.method)));
    json_object_set_new(m, "population", json_integer((json_int_t)c->N));
    json_object_set_new(m, "trajectories_per_vector", json_integer((json_int_t)c->M));
    json_object_set_new(m, "seed", json_integer((json_int_t)c->o.seed));
    json_object_set_new(m, "threads", json_integer(c->o.threads));
    json_object_set_new(m, "trajectories", json_integer((json_int_t)c->trajectories));
    json_object_set_new(m, "ess", json_real(gs_calib_ess(c)));
    json_t *p = json_array();
    for (size_t i = 0; i < c->np; i++)
        json_array_append_new(p, json_string(gs_calib_param(c, i)));
    json_object_set_new(m, "parameters", p);
    json_t *cl = json_array();
    for (size_t i = 0; argv && i < argc; i++)
        json_array_append_new(cl, json_string(argv[i]));
    json_object_set_new(m, "command_line", cl);
    json_t *f = json_array();
    static const char *const files[] = {"posterior.csv", "calibration.txt", "calibrated.cfg",
                                        "calib_marginals.csv", "calib_pairs.csv",
                                        "manifest.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        json_array_append_new(f, json_string(files[i]));
    json_object_set_new(m, "files", f);
    char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(m);
    if (!text)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_strbuf b = {0};
    gs_strbuf_puts(&b, text);
    gs_strbuf_puts(&b, "\n");
    free(text);
    return write_buf(dir, "manifest.json", &b, err);
}

gs_status gs_calib_write(const gs_calib *c, const char *config_file, const char *dir,
                         const char *const *argv, size_t argc, char **text, gs_error *err)
{
    if (text)
        *text = NULL;
    pair pr[CALIB_PAIRS];
    size_t npr = strongest_pairs(c, pr);
    char *rep = report(c, config_file, pr, npr);
    if (!rep)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_status st = write_posterior(c, dir, err);
    if (st == GS_OK)
        st = gs_afile_write(dir, "calibration.txt", rep, err);
    if (st == GS_OK)
        st = write_cfg(c, config_file, dir, err);
    if (st == GS_OK)
        st = write_marginals(c, dir, err);
    if (st == GS_OK)
        st = write_pairs(c, pr, npr, dir, err);
    if (st == GS_OK)
        st = write_manifest(c, config_file, dir, argv, argc, err);
    if (st == GS_OK && text)
        *text = rep;
    else
        free(rep);
    return st;
}

/* The strongest pairs, for the charts: indices into the parameters. */
size_t gs_calib_pairs(const gs_calib *c, size_t *a, size_t *b, double *r, size_t max)
{
    pair pr[CALIB_PAIRS];
    size_t n = strongest_pairs(c, pr);
    n = n < max ? n : max;
    for (size_t i = 0; i < n; i++) {
        a[i] = pr[i].a;
        b[i] = pr[i].b;
        r[i] = pr[i].r;
    }
    return n;
}
