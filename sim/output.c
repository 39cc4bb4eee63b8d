/* Writers of a run's output folder: CSV tables, summary and manifest. */
#include "gs_output.h"

#include "gs_outcomes.h"

#include "gs_job.h"
#include "gs_outdir.h"
#include "gs_util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GAPSIM_VERSION
#define GAPSIM_VERSION "unknown"
#endif
#ifndef GAPSIM_GIT_REV
#define GAPSIM_GIT_REV "unknown"
#endif

/* ------------------------------------------------------------ folder */

static gs_status output_prepare(const char *dir, gs_error *err);

gs_status gs_output_prepare(const char *dir, gs_error *err)
{
    /* In a job only process 0 makes the folder; all learn whether it could. */
    if (!gs_job_writes())
        return gs_job_agree(GS_OK, err);
    gs_status st = gs_job_agree(output_prepare(dir, err), err);
    return st;
}

static gs_status output_prepare(const char *dir, gs_error *err)
{
    gs_status st = gs_mkdir_p(dir, err);
    if (st)
        return st;
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return gs_error_set(err, GS_EOUTPUT, dir, 0, "not a folder");
    if (access(dir, W_OK | X_OK) != 0)
        return gs_error_set(err, GS_EOUTPUT, dir, 0, "output folder not writable: %s",
                            strerror(errno));
    return GS_OK;
}

/* ------------------------------------------------------------- csv */

static void csv_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.10g", x);
}

static void csv_year(FILE *f, int y, int T)
{
    if (y <= T)
        fprintf(f, "%d", y);
}

static const double qlev[5] = {0.05, 0.25, 0.50, 0.75, 0.95};

static const char *const qname[5] = {"p05", "p25", "p50", "p75", "p95"};

/* The last column names the quantiles of the row that the sketch could not
 * give to its stated accuracy (their fields are empty), space-separated. */
static void write_quantiles(const void *conf, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    (void)conf;
    (void)scn;
    fputs("year,variable,mean,sd,p05,p25,p50,p75,p95,flag\r\n", f);
    int t0 = gs_results_t0(r), T = gs_results_T(r);
    for (size_t v = 0; v < gs_results_n_outputs(r); v++) {
        const gs_output_decl *d = gs_results_output(r, v);
        for (int t = t0; t <= T; t++) {
            fprintf(f, "%d,", t);
            gs_csv_field(f, d->name);
            fputc(',', f);
            csv_num(f, gs_results_mean(r, v, t));
            fputc(',', f);
            csv_num(f, gs_results_sd(r, v, t));
            gs_sketch_flag fl[5];
            for (int k = 0; k < 5; k++) {
                fputc(',', f);
                csv_num(f, gs_results_quantile_flag(r, v, t, qlev[k], &fl[k]));
            }
            fputc(',', f);
            for (int k = 0, sep = 0; k < 5; k++)
                if (fl[k] == GS_SKETCH_COLLAPSED)
                    fprintf(f, "%s%s", sep++ ? " " : "", qname[k]);
            fputs("\r\n", f);
        }
    }
}

size_t gs_quantiles_flagged(const gs_results *r, char *first, size_t n)
{
    size_t count = 0;
    if (n)
        first[0] = '\0';
    int t0 = gs_results_t0(r), T = gs_results_T(r);
    for (size_t v = 0; v < gs_results_n_outputs(r); v++)
        for (int t = t0; t <= T; t++)
            for (int k = 0; k < 5; k++) {
                gs_sketch_flag fl;
                gs_results_quantile_flag(r, v, t, qlev[k], &fl);
                if (fl != GS_SKETCH_COLLAPSED)
                    continue;
                if (count++ == 0 && n)
                    snprintf(first, n, "%s %d %s", gs_results_output(r, v)->name, t, qname[k]);
            }
    return count;
}

static void write_passage_cols(const gs_results *r, size_t k, FILE *f)
{
    int T = gs_results_T(r);
    double p, lo, hi;
    gs_results_tracker_prob(r, k, &p, &lo, &hi);
    csv_num(f, p);
    fputc(',', f);
    csv_num(f, lo);
    fputc(',', f);
    csv_num(f, hi);
    fputc(',', f);
    csv_year(f, gs_results_tracker_first(r, k, 0.05), T);
    fputc(',', f);
    csv_year(f, gs_results_tracker_first(r, k, 0.50), T);
    fputc(',', f);
    csv_year(f, gs_results_tracker_first(r, k, 0.95), T);
    fputc(',', f);
    csv_num(f, gs_results_tracker_never(r, k));
}

static void write_targets(const void *conf, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    (void)conf;
    (void)scn;
    fputs("year,value,probability,ci_low,ci_high,first_year_p05,first_year_p50,"
          "first_year_p95,not_by_horizon,label,probability_by_year,by_ci_low,by_ci_high\r\n",
          f);
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind != GS_TRACK_TARGET)
            continue;
        fprintf(f, "%d,", tr->year);
        csv_num(f, tr->threshold);
        fputc(',', f);
        write_passage_cols(r, k, f);
        fputc(',', f);
        gs_csv_field(f, tr->label);
        double p, lo, hi;
        gs_results_tracker_prob_by(r, k, &p, &lo, &hi);
        fputc(',', f);
        csv_num(f, p);
        fputc(',', f);
        csv_num(f, lo);
        fputc(',', f);
        csv_num(f, hi);
        fputs("\r\n", f);
    }
}

static void write_milestones(const void *conf, const gs_scenario *scn, const gs_results *r, FILE *f)
{
    (void)conf;
    (void)scn;
    fputs("node_nm,probability,ci_low,ci_high,first_year_p05,first_year_p50,first_year_p95,"
          "not_by_horizon\r\n",
          f);
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind != GS_TRACK_MILESTONE)
            continue;
        csv_num(f, tr->threshold);
        fputc(',', f);
        write_passage_cols(r, k, f);
        fputs("\r\n", f);
    }
}

/* --------------------------------------------------------- metrics */

static gs_status parse_stat(const char *s, double *p, int *kind, gs_error *err,
                            const char *metric)
{
    /* kind: 0 quantile, 1 mean, 2 sd */
    if (strcmp(s, "mean") == 0) {
        *kind = 1;
        return GS_OK;
    }
    if (strcmp(s, "sd") == 0) {
        *kind = 2;
        return GS_OK;
    }
    char *end;
    if (s[0] == 'p' && s[1] >= '0' && s[1] <= '9') {
        long q = strtol(s + 1, &end, 10);
        if (*end == '\0' && q >= 0 && q <= 100) {
            *kind = 0;
            *p = q / 100.0;
            return GS_OK;
        }
    }
    return gs_error_set(err, GS_EUSAGE, NULL, 0,
                        "metric \"%s\": unknown statistic \"%s\" (mean, sd or pNN)", metric, s);
}

gs_status gs_results_metric(const gs_results *r, const char *metric, double *value,
                            gs_error *err)
{
    *value = NAN;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", metric);
    if (strncmp(buf, "target:", 7) == 0) {
        char *end;
        long year = strtol(buf + 7, &end, 10);
        if (*end == '\0')
            for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
                const gs_tracker_decl *tr = gs_results_tracker(r, k);
                if (tr->kind == GS_TRACK_TARGET && tr->year == year) {
                    double lo, hi;
                    gs_results_tracker_prob(r, k, value, &lo, &hi);
                    return GS_OK;
                }
            }
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "metric \"%s\": the scenario has no share target for that year",
                            metric);
    }
    if (strncmp(buf, "milestone:", 10) == 0) {
        char *nm = buf + 10;
        char *colon = strchr(nm, ':');
        if (!colon)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "metric \"%s\": expected milestone:NNnm:STAT", metric);
        *colon = '\0';
        char *end;
        double node = strtod(nm, &end);
        if (strcmp(end, "nm") != 0 && *end != '\0')
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "metric \"%s\": expected a node like 7nm", metric);
        for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
            const gs_tracker_decl *tr = gs_results_tracker(r, k);
            if (tr->kind != GS_TRACK_MILESTONE || !gs_node_same(tr->threshold, node))
                continue;
            const char *st = colon + 1;
            if (strcmp(st, "prob") == 0) {
                double lo, hi;
                gs_results_tracker_prob(r, k, value, &lo, &hi);
                return GS_OK;
            }
            double p;
            int kind;
            gs_status rc = parse_stat(st, &p, &kind, err, metric);
            if (rc)
                return rc;
            if (kind != 0)
                return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                    "metric \"%s\": milestones take prob or pNN", metric);
            int y = gs_results_tracker_first(r, k, p);
            /* Beyond the horizon: reported as horizon + 1, the earliest it could be. */
            *value = y;
            return GS_OK;
        }
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "metric \"%s\": the scenario has no such node milestone", metric);
    }
    char *at = strchr(buf, '@');
    char *colon = at ? strchr(at, ':') : NULL;
    if (!at || !colon)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "metric \"%s\": expected target:YEAR, VARIABLE@YEAR:STAT or "
                            "milestone:NNnm:STAT",
                            metric);
    *at = '\0';
    *colon = '\0';
    long v = gs_results_find(r, buf);
    if (v < 0)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "metric \"%s\": no output named \"%s\"",
                            metric, buf);
    char *end;
    long year = strtol(at + 1, &end, 10);
    if (*end != '\0' || year < gs_results_t0(r) || year > gs_results_T(r))
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "metric \"%s\": year must lie in %d-%d", metric, gs_results_t0(r),
                            gs_results_T(r));
    double p = 0;
    int kind = 0;
    gs_status rc = parse_stat(colon + 1, &p, &kind, err, metric);
    if (rc)
        return rc;
    if (kind == 1)
        *value = gs_results_mean(r, (size_t)v, (int)year);
    else if (kind == 2)
        *value = gs_results_sd(r, (size_t)v, (int)year);
    else
        *value = gs_results_quantile(r, (size_t)v, (int)year, p);
    return GS_OK;
}

/* --------------------------------------------------------- summary */

const char *gs_fmt_pct(char *buf, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(buf, n, "n/a");
    else if (x <= 0)
        snprintf(buf, n, "0%%");
    else if (x >= 1)
        snprintf(buf, n, "100%%");
    else if (x < 0.001)
        snprintf(buf, n, "%.2g%%", 100 * x);
    else if (x > 0.999)
        snprintf(buf, n, "%.2f%%", 100 * x);
    else
        snprintf(buf, n, "%.1f%%", 100 * x);
    return buf;
}

const char *gs_fmt_year(char *buf, size_t n, int y, int T)
{
    if (y > T)
        snprintf(buf, n, "after %d", T);
    else
        snprintf(buf, n, "%d", y);
    return buf;
}

void gs_precision_note(const gs_results *r, char *buf, size_t n)
{
    const char *what;
    double half, goal;
    int st = gs_results_precision(r, &what, &half, &goal);
    if (st < 0)
        snprintf(buf, n, "%s", "");
    else if (st > 0)
        snprintf(buf, n, "Precision: every figure reached its 95%% half-width goal after %llu "
                         "trajectories.",
                 (unsigned long long)gs_results_trajectories(r));
    else
        snprintf(buf, n, "Precision NOT reached: the run stopped at its cap of %llu trajectories "
                         "before %s reached a 95%% half-width of %.3g (it is %.3g); raise -n.",
                 (unsigned long long)gs_results_trajectories(r), what, goal, half);
}

char *gs_summary_text(const gs_sim *sim, const gs_results *r, const gs_run_info *info)
{
    const gs_scenario *scn = gs_sim_scenario(sim);
    gs_strbuf b = {0};
    const char *name = gs_scenario_str(scn, "scenario.name");
    const char *title = gs_scenario_str(scn, "scenario.title");
    /* With --set overrides the run is not the scenario its title describes:
     * the label says what was changed ("baseline + funds.fund2.size = 600"). */
    char *label = gs_scenario_label(scn);
    gs_strbuf_printf(&b, "Scenario %s%s%s\n", label ? label : name, title[0] ? ": " : "", title);
    free(label);
    gs_strbuf_printf(&b, "Share: %s\n", gs_scenario_str(scn, "scenario.share_definition"));
    gs_strbuf_printf(&b, "%llu trajectories (%s), seed %llu; intervals are 5th-95th percentiles across "
            "trajectories, probabilities carry 95%% Monte Carlo intervals.\n\n",
        (unsigned long long)gs_results_trajectories(r), info->sampler,
        (unsigned long long)info->seed);
    char note[512];
    gs_precision_note(r, note, sizeof note);
    if (note[0])
        gs_strbuf_printf(&b, "%s\n\n", note);

    /* The models' blocks, headlines first, one blank line between two. */
    int blocks = 0;
    for (int part = 0; part < GS_SUMMARY_PARTS; part++)
        for (size_t m = 0; m < gs_sim_n_models(sim); m++) {
            const gs_model_type *mt = gs_sim_model(sim, m);
            if (!mt->summary)
                continue;
            gs_strbuf block = {0};
            mt->summary(gs_sim_conf(sim, m), scn, r, (gs_summary_part)part, &block);
            if (block.oom)
                b.oom = 1;
            if (block.n)
                gs_strbuf_printf(&b, "%s%s", blocks++ ? "\n" : "", gs_strbuf_str(&block));
            gs_strbuf_free(&block);
        }
    char where[128];
    size_t nfl = gs_quantiles_flagged(r, where, sizeof where);
    if (nfl)
        gs_strbuf_printf(&b, "%sWarning: %zu quantile%s of quantiles.csv (first: %s) could not be given "
                "to the stated %g %% relative accuracy (values spread over more than %d buckets); "
                "they are left empty and named in its flag column.\n",
            blocks ? "\n" : "", nfl, nfl == 1 ? "" : "s", where, 100 * GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
    return gs_strbuf_take(&b);
}

/* -------------------------------------------------------- manifest */

void gs_config_hash(const char *text, char out[32])
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    snprintf(out, 32, "fnv1a64:%016llx", (unsigned long long)h);
}

void gs_file_hash(const char *file, char out[32])
{
    out[0] = '\0';
    FILE *f = fopen(file, "rb");
    if (!f)
        return;
    gs_strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        gs_strbuf_putn(&b, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (!bad && !b.oom)
        gs_config_hash(gs_strbuf_str(&b), out);
    gs_strbuf_free(&b);
}

/* What made the run, beyond the resolved config: the command line, the
 * --set overrides in the order given, each file of the inherit chain with the
 * hash of its bytes, the label charts and summaries use, and the build. */
static void provenance(json_t *m, const gs_scenario *scn, const gs_run_info *info)
{
    json_t *cl = json_array();
    for (size_t i = 0; info->command_line && i < info->n_command_line; i++)
        json_array_append_new(cl, json_string(info->command_line[i]));
    json_object_set_new(m, "command_line", cl);
    json_t *ov = json_array(), *inh = json_array();
    size_t nl = gs_scenario_n_layers(scn);
    for (size_t i = nl; i-- > 0;) {
        const char *file, *value, *path = gs_scenario_layer(scn, i, &file, &value);
        if (!path)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "path", json_string(path));
        json_object_set_new(o, "value", json_string(value));
        json_array_append_new(ov, o);
    }
    for (size_t i = 0; i < nl; i++) {
        const char *file, *value;
        gs_scenario_layer(scn, i, &file, &value);
        if (!file)
            continue;
        char h[32];
        gs_file_hash(file, h);
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(file));
        json_object_set_new(o, "hash", h[0] ? json_string(h) : json_null());
        json_array_append_new(inh, o);
    }
    json_object_set_new(m, "overrides", ov);
    json_object_set_new(m, "inherits", inh);
    char *label = gs_scenario_label(scn);
    json_object_set_new(m, "label", json_string(label ? label : ""));
    free(label);
    json_t *b = json_object();
    json_object_set_new(b, "version", json_string(GAPSIM_VERSION));
    json_object_set_new(b, "git_revision", json_string(GAPSIM_GIT_REV));
#ifdef __VERSION__
    json_object_set_new(b, "compiler", json_string(__VERSION__));
#endif
#ifdef NDEBUG
    json_object_set_new(b, "assertions", json_false());
#else
    json_object_set_new(b, "assertions", json_true());
#endif
    json_object_set_new(m, "build", b);
}

static json_t *manifest(const gs_sim *sim, const gs_results *r, const gs_run_info *info,
                        const char *const *files, size_t n_files)
{
    const gs_scenario *scn = gs_sim_scenario(sim);
    char *text = gs_scenario_resolved_text(scn);
    if (!text)
        return NULL;
    char hash[32];
    gs_config_hash(text, hash);
    json_t *m = json_object();
    json_object_set_new(m, "gapsim_version", json_string(GAPSIM_VERSION));
    json_object_set_new(m, "git_revision", json_string(GAPSIM_GIT_REV));
    json_t *s = json_object();
    const char *title = gs_scenario_str(scn, "scenario.title");
    json_object_set_new(s, "name", json_string(gs_scenario_str(scn, "scenario.name")));
    json_object_set_new(s, "title",
                        json_string(title[0] ? title : gs_scenario_str(scn, "scenario.name")));
    json_object_set_new(s, "description",
                        json_string(gs_scenario_str(scn, "scenario.description")));
    json_object_set_new(s, "share_definition",
                        json_string(gs_scenario_str(scn, "scenario.share_definition")));
    json_object_set_new(s, "config_file", json_string(info->config_file));
    json_object_set_new(s, "base_year", json_integer(gs_results_t0(r)));
    json_object_set_new(s, "horizon", json_integer(gs_results_T(r)));
    json_object_set_new(m, "scenario", s);
    json_object_set_new(m, "config_hash", json_string(hash));
    provenance(m, scn, info);
    json_object_set_new(m, "resolved_config", json_string(text));
    free(text);
    json_object_set_new(m, "seed", json_integer((json_int_t)info->seed));
    json_object_set_new(m, "trajectories", json_integer((json_int_t)gs_results_trajectories(r)));
    json_object_set_new(m, "trajectories_asked", json_integer((json_int_t)info->trajectories_asked));
    json_object_set_new(m, "precision", json_real(info->precision));
    json_t *pg = json_array();
    for (size_t i = 0; i < info->n_precision_goals; i++)
        json_array_append_new(pg, json_string(info->precision_goals[i]));
    json_object_set_new(m, "precision_goals", pg);
    {
        const char *what;
        double half, goal;
        int st = gs_results_precision(r, &what, &half, &goal);
        json_object_set_new(m, "precision_met", st < 0 ? json_null() : json_boolean(st > 0));
        json_t *un = json_null();
        if (st == 0) {
            un = json_object();
            json_object_set_new(un, "figure", json_string(what));
            json_object_set_new(un, "half_width", json_real(half));
            json_object_set_new(un, "goal", json_real(goal));
        }
        json_object_set_new(m, "precision_unmet", un);
    }
    json_object_set_new(m, "sampler", json_string(info->sampler));
    json_object_set_new(m, "threads", json_integer(info->threads));
    json_object_set_new(m, "block_size", json_integer(GS_BLOCK_SIZE));
    json_object_set_new(m, "quantile_relative_accuracy", json_real(GS_SKETCH_ALPHA));
    json_object_set_new(m, "quantiles_flagged",
                        json_integer((json_int_t)gs_quantiles_flagged(r, NULL, 0)));
    json_object_set_new(m, "started", json_string(info->started));
    json_object_set_new(m, "finished", json_string(info->finished));
    json_object_set_new(m, "elapsed_seconds", json_real(info->elapsed_seconds));
    /* The collections the models name (gs_model_type.manifest). */
    for (size_t k = 0; k < gs_sim_n_models(sim); k++)
        for (const char *const *c = gs_sim_model(sim, k)->manifest; c && *c; c++) {
            json_t *items = json_array();
            char *const *names;
            size_t n = gs_scenario_items(scn, *c, &names);
            for (size_t i = 0; i < n; i++)
                json_array_append_new(items, json_string(names[i]));
            json_object_set_new(m, *c, items);
        }
    json_t *tg = json_array(), *ms = json_array();
    for (size_t k = 0; k < gs_results_n_trackers(r); k++) {
        const gs_tracker_decl *tr = gs_results_tracker(r, k);
        if (tr->kind == GS_TRACK_TARGET) {
            json_t *o = json_object();
            json_object_set_new(o, "year", json_integer(tr->year));
            json_object_set_new(o, "value", json_real(tr->threshold));
            json_object_set_new(o, "label", json_string(tr->label));
            json_array_append_new(tg, o);
        } else {
            json_array_append_new(ms, json_real(tr->threshold));
        }
    }
    json_object_set_new(m, "targets", tg);
    json_object_set_new(m, "milestones_nm", ms);
    json_t *ry = json_array();
    const gs_pval *pv = gs_scenario_get(scn, "outputs.report_years");
    for (size_t i = 0; i < pv->n_arr; i++)
        json_array_append_new(ry, json_integer((json_int_t)pv->arr[i]));
    json_object_set_new(m, "report_years", ry);
    json_t *fl = json_array();
    for (size_t i = 0; i < n_files; i++)
        json_array_append_new(fl, json_string(files[i]));
    json_object_set_new(m, "files", fl);
    return m;
}

/* ------------------------------------------------------------ all */

/* The engine's own tables, written before the models'. */
static const gs_table_decl engine_tables[] = {{"quantiles.csv", write_quantiles},
                                              {"targets.csv", write_targets},
                                              {"milestones.csv", write_milestones},
                                              {NULL, NULL}};

/* Writes one table through gs_afile (whole or absent). */
static gs_status write_table(const char *dir, const gs_table_decl *td, const void *conf,
                             const gs_sim *sim, const gs_results *r, gs_error *err)
{
    gs_afile a;
    gs_status rc = gs_afile_open(&a, dir, td->file, err);
    if (rc)
        return rc;
    td->write(conf, gs_sim_scenario(sim), r, a.f);
    return gs_afile_commit(&a, err);
}

gs_status gs_write_outputs(const gs_sim *sim, const gs_results *r, const gs_run_info *info,
                           const char *dir, gs_error *err)
{
    size_t nm = gs_sim_n_models(sim), n_tables = 0;
    for (const gs_table_decl *td = engine_tables; td->file; td++)
        n_tables++;
    for (size_t k = 0; k < nm; k++)
        for (const gs_table_decl *td = gs_sim_model(sim, k)->tables; td && td->file; td++)
            n_tables++;
    /* The tables, summary.txt, three optional files and manifest.json. */
    const char **files = malloc((n_tables + 5) * sizeof *files);
    if (!files)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    size_t nf = 0;
    gs_status rc = GS_OK;
    for (const gs_table_decl *td = engine_tables; !rc && td->file; td++)
        if (!(rc = write_table(dir, td, NULL, sim, r, err)))
            files[nf++] = td->file;
    for (size_t k = 0; !rc && k < nm; k++)
        for (const gs_table_decl *td = gs_sim_model(sim, k)->tables; !rc && td && td->file;
             td++)
            if (!(rc = write_table(dir, td, gs_sim_conf(sim, k), sim, r, err)))
                files[nf++] = td->file;
    char *sum = rc ? NULL : gs_summary_text(sim, r, info);
    if (!rc && !sum)
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    if (!rc && !(rc = gs_afile_write(dir, "summary.txt", sum, err)))
        files[nf++] = "summary.txt";
    free(sum);
    if (!rc) {
        if (info->wrote_parameters)
            files[nf++] = "parameters.csv";
        if (info->wrote_trajectories)
            files[nf++] = "trajectories.csv";
        if (info->wrote_outcomes)
            files[nf++] = "outcomes.csv";
        files[nf++] = "manifest.json";
        json_t *m = manifest(sim, r, info, files, nf);
        rc = m ? gs_write_manifest_json(dir, m, err) : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        json_decref(m);
    }
    free(files);
    return rc;
}

/* ------------------------------------------------ run into a folder */

static void iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

gs_status gs_run_into_dir(gs_sim *sim, const gs_run_opts *o, const char *dir, gs_results **res,
                          gs_run_info *info_out, gs_error *err)
{
    if (res)
        *res = NULL;
    gs_run_opts ro = *o;
    ro.params_out = NULL;
    ro.traj_out = NULL;
    ro.traj_max = 0;
    ro.outcomes_out = NULL;
    ro.outcome_row = NULL;
    gs_afile fp = {0}, ft = {0}, fo = {0};
    gs_results *r = NULL;
    gs_run_info info;
    memset(&info, 0, sizeof info);
    info.config_file = gs_scenario_file(gs_sim_scenario(sim));
    info.seed = ro.seed;
    info.trajectories_asked = ro.n;
    info.sampler = gs_sampler_name(ro.sampler);
    info.threads = ro.threads;
    info.precision = ro.precision;
    info.precision_goals = ro.precision_goals;
    info.n_precision_goals = ro.n_precision_goals;
    info.command_line = ro.command_line;
    info.n_command_line = ro.n_command_line;

    gs_status st = gs_output_prepare(dir, err);
    if (!st && o->write_parameters) {
        st = gs_afile_open(&fp, dir, "parameters.csv", err);
        ro.params_out = fp.f;
    }
    if (!st && o->write_trajectories) {
        st = gs_afile_open(&ft, dir, "trajectories.csv", err);
        ro.traj_out = ft.f;
        ro.traj_max = o->write_trajectories;
    }
    if (!st && o->outcomes) {
        st = gs_afile_open(&fo, dir, "outcomes.csv", err);
        if (!st)
            gs_outcomes_attach(o->outcomes, &ro, fo.f);
    }
    if (st)
        goto fail;
    iso_now(info.started, sizeof info.started);
    double t_start = now_seconds();
    if ((st = gs_sim_run(sim, &ro, &r, err)))
        goto fail;
    info.elapsed_seconds = now_seconds() - t_start;
    iso_now(info.finished, sizeof info.finished);
    info.wrote_parameters = fp.f != NULL;
    info.wrote_trajectories = ft.f != NULL;
    info.wrote_outcomes = fo.f != NULL;
    if (fp.f && (st = gs_afile_commit(&fp, err)))
        goto fail;
    if (ft.f && (st = gs_afile_commit(&ft, err)))
        goto fail;
    if (fo.f && (st = gs_afile_commit(&fo, err)))
        goto fail;
    if ((st = gs_write_outputs(sim, r, &info, dir, err)))
        goto fail;
    if (info_out)
        *info_out = info;
    if (res)
        *res = r;
    else
        gs_results_free(r);
    return GS_OK;

fail:
    gs_afile_abort(&fp);
    gs_afile_abort(&ft);
    gs_afile_abort(&fo);
    gs_results_free(r);
    return st;
}
