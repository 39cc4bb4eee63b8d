/* gapsim sensitivity sample|analyze: global sensitivity methods on an
 * external model's outputs, with SALib's file formats.  Each method is a row
 * of one table (its design, its estimator, the options it takes); the
 * command reads one set of options and hands them to the method. */
#include "gs_cli.h"
#include "gs_util.h"
#include "gs_sens.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: gapsim sensitivity sample  --method M -p PROBLEM -N N [options]\n"
    "       gapsim sensitivity analyze --method M -p PROBLEM -Y OUTPUTS [-X SAMPLE] [options]\n"
    "\n"
    "Methods (SALib's names):\n"
    "  sobol     Saltelli design, N(D+2) rows (N(2D+2) with --max-order 2); S1, ST, S2\n"
    "  morris    r trajectories of D+1 rows; mu, mu_star, sigma (needs -X)\n"
    "  fast      eFAST search curves, N k rows (times --replicates); S1, ST\n"
    "  rbd_fast  any sample (sample: Latin hypercube of N rows); S1 (needs -X)\n"
    "  delta     any sample (sample: Latin hypercube); delta, S1 (needs -X)\n"
    "  pawn      any sample (sample: Latin hypercube); KS statistics over slides (needs -X)\n"
    "D is the number of groups, k without a group column.\n"
    "\n"
    "PROBLEM has one parameter a line: 'name lower upper [group] [dist]', dist one of\n"
    "unif, triang, norm, lognorm, logunif (SALib's meanings); '#' starts a comment.\n"
    "\n"
    "  -m, --method M        the method (the word alone also works)\n"
    "  -p, --problem FILE    the parameters (--paramfile as in SALib)\n"
    "  -d, --delimiter C     column separator of PROBLEM, SAMPLE and OUTPUTS (default: blanks,\n"
    "                        or commas on a line that has one)\n"
    "  -s, --seed S          seed of the design's draws and of the bootstrap (default 1)\n"
    "  -o, --output FILE     write there instead of stdout (the file appears only when whole)\n"
    "sample:\n"
    "  -N, -n, --samples N   sobol, fast: points per curve or base samples; morris:\n"
    "                        trajectories (candidates with -k); others: rows\n"
    "      --max-order 1|2   sobol: 2 adds the rows second-order indices need\n"
    "                        (--second-order is --max-order 2)\n"
    "  -l, --levels P        morris: grid levels, even (default 4)\n"
    "  -k, --optimal R       morris: keep the R of the N trajectories furthest apart\n"
    "  -M, --M H             fast: harmonics (default 4); rbd_fast: 10\n"
    "  -R, --replicates R    fast: R designs with their own phases, for intervals\n"
    "analyze:\n"
    "  -Y, --outputs FILE    model outputs, one row per sample row ('-' is stdin)\n"
    "  -X, --inputs FILE     the sample the outputs came from (sobol, fast: checked)\n"
    "  -c, --column C        0-based column of OUTPUTS to analyse (default 0)\n"
    "      --max-order 1|2   sobol: the design has the second-order rows; S2 goes to its\n"
    "                        own file (--output-s2, else -o's name with _S2)\n"
    "  -r, --resamples B     bootstrap resamples (default 1000 sobol, morris; 100 others)\n"
    "  -S, --slices S        pawn: slides (default 10)\n"
    "  -M, --M H, -R, --replicates R   fast, rbd_fast: as sampled\n"
    "\n"
    "  -h, --help            this text\n"
    "\n"
    "Output: a CSV table with a row per parameter (per group with groups), *_conf the\n"
    "95 % interval half-widths and a last column 'note'.  An index that cannot be\n"
    "estimated is empty and its note says why.  Same seed, same bytes.\n"
    "Exit 0 ok, 2 bad input, 1 failure.  docs/sensitivity-cli.md has the details.\n";

static int usage_error(const char *fmt, const char *arg)
{
    gs_error e;
    gs_error_clear(&e);
    gs_error_set(&e, GS_EUSAGE, NULL, 0, fmt, arg);
    char buf[2048];
    gs_error_format(&e, buf, sizeof buf);
    gs_cli_errorf("%s (see 'gapsim sensitivity --help')", buf);
    return 2;
}

static bool parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno == ERANGE || v > max)
        return false;
    *out = v;
    return true;
}

/* ---- output: a file written whole (gs_afile), or stdout ---- */

typedef struct {
    FILE *f;
    gs_afile a;  /* a.f == f for a file */
    bool to_stdout;
} out_file;

static gs_status out_open(out_file *o, const char *path, gs_error *err)
{
    memset(o, 0, sizeof *o);
    o->to_stdout = !path || strcmp(path, "-") == 0;
    if (o->to_stdout) {
        o->f = stdout;
        return GS_OK;
    }
    gs_status st = gs_afile_open_path(&o->a, path, err);
    o->f = o->a.f;
    return st;
}

/* ok false: throw the partial file away. */
static gs_status out_close(out_file *o, bool ok, gs_error *err)
{
    gs_status st = GS_OK;
    if (!o->f)
        return GS_OK;
    o->f = NULL;
    if (o->to_stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            st = ok ? gs_error_set(err, GS_EIO, "<stdout>", 0, "write failed: %s",
                                   strerror(errno))
                    : GS_EIO;
        return st;
    }
    if (!ok) {
        gs_afile_abort(&o->a);
        return GS_OK;
    }
    return gs_afile_commit(&o->a, err);
}

/* ---- reading numeric tables (gs_sens_table_read, in the library) ---- */

typedef gs_sens_table table;

/* A library error about the rows of a table: name the file, and turn the
 * 1-based row into the file's line. */
static void locate(gs_error *e, const char *path, const table *t)
{
    if (e->code != GS_EINPUT || e->file[0])
        return;
    int row = e->line;
    snprintf(e->file, sizeof e->file, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    e->line = (row > 0 && (size_t)row <= t->rows) ? t->line[row - 1] : 0;
}


/* ---- the options, read once for every method ---- */

/* Options a method may take, as bits. */
enum {
    O_N = 1 << 0,
    O_ORDER = 1 << 1,
    O_LEVELS = 1 << 2,
    O_OPTIMAL = 1 << 3,
    O_M = 1 << 4,
    O_REPL = 1 << 5,
    O_X = 1 << 6,
    O_SLICES = 1 << 7,
    O_RESAMPLES = 1 << 8,
};

typedef struct {
    bool analyze;
    const char *problem, *output, *s2_output, *ypath, *xpath;
    char delim;
    unsigned long long n, seed, levels, optimal, m, replicates, column, resamples, slices;
    int max_order;
    unsigned given; /* O_* bits the command line set */
} sens_args;

static const char *option_name(unsigned bit)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {O_N, "-N"},           {O_ORDER, "--max-order"}, {O_LEVELS, "--levels"},
        {O_OPTIMAL, "--optimal"}, {O_M, "-M"},           {O_REPL, "--replicates"},
        {O_X, "-X"},           {O_SLICES, "--slices"},  {O_RESAMPLES, "--resamples"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].bit == bit)
            return names[i].name;
    return "?";
}

typedef struct method_type method_type;

/* What an analysis needs to write its tables. */
typedef struct {
    const sens_args *a;
    const gs_sens_problem *p;
    const table *x; /* rows == 0 when no -X */
    const table *y;
    out_file *o, *o2; /* o2: the second-order file, when asked for */
} analysis;

struct method_type {
    const char *name;
    const char *aliases[3];   /* SALib's module names */
    unsigned sample_opts;     /* O_* the design takes */
    unsigned analyze_opts;    /* O_* the estimator takes */
    bool needs_x;             /* analyze cannot do without -X */
    bool uses_groups;         /* indices per group */
    unsigned long long resamples; /* default */
    unsigned long long m;     /* default harmonics */
    gs_status (*sample)(const sens_args *a, const gs_sens_problem *p, gs_sens_sample **s,
                        gs_error *e);
    gs_status (*analyze)(const analysis *an, gs_error *e);
};

/* ---- writing a table ---- */

static void cell(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.17g", v);
}

/* One row per name: the values (NaN empty) and the note. */
static void write_rows(FILE *f, const char *const *cols, size_t ncol, const gs_sens_problem *p,
                       bool by_group, size_t k, const double *v, const char *const *note,
                       const char *all_note)
{
    fputs("name", f);
    for (size_t c = 0; c < ncol; c++)
        fprintf(f, ",%s", cols[c]);
    fputs(",note\n", f);
    for (size_t i = 0; i < k; i++) {
        gs_csv_field(f, by_group ? gs_sens_group_name(p, i) : p->names[i]);
        for (size_t c = 0; c < ncol; c++)
            cell(f, v[i * ncol + c]);
        fputc(',', f);
        const char *n = note && note[i] ? note[i] : all_note;
        if (n)
            gs_csv_field(f, n);
        fputc('\n', f);
    }
}

static void write_index(const analysis *an, bool by_group, const gs_sens_index *r)
{
    write_rows(an->o->f, r->cols, r->ncol, an->p, by_group, r->k, r->v, r->note, NULL);
}

/* ---- the methods ---- */

static void warn_groups(const analysis *an, const char *method)
{
    if (gs_sens_has_groups(an->p))
        gs_cli_errorf("warning: %s gives indices per parameter; the group column of %s is not "
                      "used",
                      method, an->a->problem);
}

static gs_status check_x(const analysis *an, gs_error *e)
{
    if (!an->x->rows)
        return GS_OK;
    gs_status st = gs_sens_check_sample(an->p, an->x->v, an->x->rows, e);
    if (st != GS_OK)
        locate(e, an->a->xpath, an->x);
    return st;
}

static gs_status sobol_sample(const sens_args *a, const gs_sens_problem *p, gs_sens_sample **s,
                              gs_error *e)
{
    if (p->k > GS_SENS_SOBOL_MAX_PARAMS)
        return gs_error_set(e, GS_EINPUT, a->problem, 0,
                            "%zu parameters, but sobol supports at most %d (GSL's Sobol' "
                            "sequence has 40 dimensions and the design needs 2 per parameter)",
                            p->k, GS_SENS_SOBOL_MAX_PARAMS);
    return gs_sens_sobol_sample(p, (size_t)a->n, a->max_order == 2, (unsigned long)a->seed, s, e);
}

static gs_status sobol_analyze(const analysis *an, gs_error *e)
{
    const sens_args *a = an->a;
    const gs_sens_problem *p = an->p;
    bool so = a->max_order == 2;
    size_t D = p->n_groups;
    if (p->k > GS_SENS_SOBOL_MAX_PARAMS)
        return gs_error_set(e, GS_EINPUT, a->problem, 0,
                            "%zu parameters, but sobol supports at most %d", p->k,
                            GS_SENS_SOBOL_MAX_PARAMS);
    if (an->x->rows) {
        gs_status st = check_x(an, e);
        if (st != GS_OK)
            return st;
        st = gs_sens_sobol_check_design(p, an->x->v, an->x->rows, so, e);
        if (st != GS_OK) {
            locate(e, a->xpath, an->x);
            return st;
        }
    } else if (an->y->rows % (D + 2) == 0 && an->y->rows % (2 * D + 2) == 0) {
        gs_cli_errorf("warning: %zu rows fit a sobol design with and without second order; "
                      "give -X SAMPLE to check that --max-order matches it",
                      an->y->rows);
    }
    gs_sens_sobol_opts o = gs_sens_sobol_opts_default();
    o.second_order = so;
    o.resamples = (size_t)a->resamples;
    o.seed = (unsigned long)a->seed;
    gs_sens_sobol_result *r = NULL;
    gs_status st = gs_sens_sobol_analyze(D, an->y->v, an->y->rows, &o, &r, e);
    if (st != GS_OK) {
        locate(e, a->ypath, an->y);
        return st;
    }
    static const char *const cols[] = {"S1", "S1_conf", "ST", "ST_conf"};
    double *v = malloc(D * 4 * sizeof *v);
    if (!v) {
        gs_sens_sobol_result_free(r);
        return gs_error_set(e, GS_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < D; i++) {
        v[i * 4 + 0] = r->S1[i];
        v[i * 4 + 1] = r->S1_conf[i];
        v[i * 4 + 2] = r->ST[i];
        v[i * 4 + 3] = r->ST_conf[i];
    }
    write_rows(an->o->f, cols, 4, p, true, D, v, r->note, NULL);
    free(v);
    if (r->dropped)
        gs_cli_errorf("warning: %zu of %zu bootstrap resamples held no output variance and "
                      "were left out of the intervals",
                      r->dropped, (size_t)a->resamples);
    if (so) {
        FILE *f = an->o2->f;
        fputs("name_i,name_j,S2,S2_conf,note\n", f);
        for (size_t i = 0; i < D; i++) {
            for (size_t j = i + 1; j < D; j++) {
                gs_csv_field(f, gs_sens_group_name(p, i));
                fputc(',', f);
                gs_csv_field(f, gs_sens_group_name(p, j));
                double s2 = r->S2[i * D + j], c2 = r->S2_conf[i * D + j];
                const char *why = r->note[i] ? r->note[i] : r->note[j];
                if (!why && !isnan(c2) && (s2 - c2 > 1 || s2 + c2 < -1)) {
                    s2 = c2 = NAN;
                    why = "estimate outside [-1, 1] beyond its interval: too few base samples";
                }
                if (why)
                    s2 = c2 = NAN;
                cell(f, s2);
                cell(f, c2);
                fputc(',', f);
                if (why)
                    gs_csv_field(f, why);
                fputc('\n', f);
            }
        }
    }
    gs_sens_sobol_result_free(r);
    return GS_OK;
}

static gs_status morris_sample(const sens_args *a, const gs_sens_problem *p, gs_sens_sample **s,
                               gs_error *e)
{
    if (a->given & O_OPTIMAL)
        return gs_sens_morris_optimal(p, (size_t)a->n, (size_t)a->optimal, (unsigned)a->levels,
                                      (unsigned long)a->seed, s, e);
    return gs_sens_morris_sample(p, (size_t)a->n, (unsigned)a->levels, (unsigned long)a->seed, s,
                                 e);
}

static gs_status morris_analyze(const analysis *an, gs_error *e)
{
    const sens_args *a = an->a;
    gs_sens_morris_opts o = gs_sens_morris_opts_default();
    o.resamples = (size_t)a->resamples;
    o.seed = (unsigned long)a->seed;
    gs_sens_morris_result *r = NULL;
    gs_status st = gs_sens_morris_analyze(an->p, an->x->v, an->y->v, an->y->rows, &o, &r, e);
    if (st != GS_OK) {
        /* Outputs were checked finite on reading, so a fault at a row is
         * the samples' layout; one without is the outputs' row count. */
        if (e->line > 0)
            locate(e, a->xpath, an->x);
        else
            locate(e, a->ypath, an->y);
        return st;
    }
    static const char *const cols[] = {"mu", "mu_star", "sigma", "mu_star_conf"};
    double *v = malloc(r->k * 4 * sizeof *v);
    if (!v) {
        gs_sens_morris_result_free(r);
        return gs_error_set(e, GS_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < r->k; i++) {
        v[i * 4 + 0] = r->mu[i];
        v[i * 4 + 1] = r->mu_star[i];
        v[i * 4 + 2] = r->sigma[i];
        v[i * 4 + 3] = r->mu_star_conf[i];
    }
    write_rows(an->o->f, cols, 4, an->p, true, r->k, v, NULL, r->note);
    free(v);
    gs_sens_morris_result_free(r);
    return GS_OK;
}

static gs_status fast_sample(const sens_args *a, const gs_sens_problem *p, gs_sens_sample **s,
                             gs_error *e)
{
    size_t R = (size_t)a->replicates;
    gs_sens_sample *all = NULL;
    for (size_t q = 0; q < R; q++) {
        gs_sens_sample *one = NULL;
        /* Replicate q draws its phases from seed + q. */
        gs_status st = gs_sens_fast_sample(p, (size_t)a->n, (unsigned)a->m,
                                           (unsigned long)(a->seed + q), &one, e);
        if (st != GS_OK) {
            gs_sens_sample_free(all);
            return st;
        }
        if (!all) {
            all = one;
            if (R > 1) {
                double *x = realloc(all->x, R * one->rows * one->k * sizeof *x);
                if (!x) {
                    gs_sens_sample_free(all);
                    return gs_error_set(e, GS_ENOMEM, NULL, 0, "out of memory");
                }
                all->x = x;
            }
            continue;
        }
        memcpy(all->x + all->rows * all->k, one->x, one->rows * one->k * sizeof *one->x);
        all->rows += one->rows;
        gs_sens_sample_free(one);
    }
    *s = all;
    return GS_OK;
}

static gs_status given_done(const analysis *an, gs_status st, gs_sens_index *r, bool by_group,
                            gs_error *e)
{
    if (st != GS_OK) {
        locate(e, an->a->ypath, an->y);
        return st;
    }
    write_index(an, by_group, r);
    gs_sens_index_free(r);
    return GS_OK;
}

static gs_status fast_analyze(const analysis *an, gs_error *e)
{
    warn_groups(an, "fast");
    gs_status st = check_x(an, e);
    if (st != GS_OK)
        return st;
    gs_sens_index *r = NULL;
    st = gs_sens_fast_analyze(an->p->k, an->y->v, an->y->rows, (unsigned)an->a->m,
                              (size_t)an->a->replicates, 0.95, &r, e);
    return given_done(an, st, r, false, e);
}

static gs_status latin_sample(const sens_args *a, const gs_sens_problem *p, gs_sens_sample **s,
                              gs_error *e)
{
    return gs_sens_latin_sample(p, (size_t)a->n, (unsigned long)a->seed, s, e);
}

static gs_sens_boot_opts boot_of(const sens_args *a)
{
    gs_sens_boot_opts o = gs_sens_boot_opts_default();
    o.resamples = (size_t)a->resamples;
    o.seed = (unsigned long)a->seed;
    return o;
}

static gs_status rbd_fast_analyze(const analysis *an, gs_error *e)
{
    warn_groups(an, "rbd_fast");
    gs_status st = check_x(an, e);
    if (st != GS_OK)
        return st;
    gs_sens_boot_opts o = boot_of(an->a);
    gs_sens_index *r = NULL;
    st = gs_sens_rbd_fast_analyze(an->p->k, an->x->v, an->y->v, an->y->rows, (unsigned)an->a->m,
                                  &o, &r, e);
    return given_done(an, st, r, false, e);
}

static gs_status delta_analyze(const analysis *an, gs_error *e)
{
    warn_groups(an, "delta");
    gs_status st = check_x(an, e);
    if (st != GS_OK)
        return st;
    gs_sens_boot_opts o = boot_of(an->a);
    gs_sens_index *r = NULL;
    st = gs_sens_delta_analyze(an->p->k, an->x->v, an->y->v, an->y->rows, &o, &r, e);
    return given_done(an, st, r, false, e);
}

static gs_status pawn_analyze(const analysis *an, gs_error *e)
{
    gs_status st = check_x(an, e);
    if (st != GS_OK)
        return st;
    gs_sens_boot_opts o = boot_of(an->a);
    gs_sens_index *r = NULL;
    st = gs_sens_pawn_analyze(an->p, an->x->v, an->y->v, an->y->rows, (size_t)an->a->slices, &o,
                              &r, e);
    return given_done(an, st, r, true, e);
}

static const method_type methods[] = {
    {"sobol", {"saltelli", "sobol_sequence", NULL}, O_N | O_ORDER, O_ORDER | O_X | O_RESAMPLES,
     false, true, 1000, 0, sobol_sample, sobol_analyze},
    {"morris", {NULL}, O_N | O_LEVELS | O_OPTIMAL, O_X | O_RESAMPLES | O_LEVELS, true, true,
     1000, 0, morris_sample, morris_analyze},
    {"fast", {"fast_sampler", "efast", NULL}, O_N | O_M | O_REPL, O_X | O_M | O_REPL, false,
     false, 0, 4, fast_sample, fast_analyze},
    {"rbd_fast", {"rbd-fast", NULL}, O_N, O_X | O_M | O_RESAMPLES, true, false, 100, 10,
     latin_sample, rbd_fast_analyze},
    {"delta", {NULL}, O_N, O_X | O_RESAMPLES, true, false, 100, 0, latin_sample, delta_analyze},
    {"pawn", {NULL}, O_N, O_X | O_RESAMPLES | O_SLICES, true, true, 100, 0, latin_sample,
     pawn_analyze},
};
#define N_METHODS (sizeof methods / sizeof methods[0])

static const method_type *method_find(const char *s)
{
    for (size_t i = 0; i < N_METHODS; i++) {
        if (strcmp(s, methods[i].name) == 0)
            return &methods[i];
        for (size_t j = 0; j < 3 && methods[i].aliases[j]; j++)
            if (strcmp(s, methods[i].aliases[j]) == 0)
                return &methods[i];
    }
    return NULL;
}

static int unknown_method(const char *s)
{
    const char *names[N_METHODS];
    for (size_t i = 0; i < N_METHODS; i++)
        names[i] = methods[i].name;
    const char *near = gs_nearest(s, names, N_METHODS);
    char msg[400];
    if (near)
        snprintf(msg, sizeof msg, "unknown method '%%s' (did you mean %s?)", near);
    else
        snprintf(msg, sizeof msg,
                 "unknown method '%%s' (expected sobol, morris, fast, rbd_fast, delta or pawn)");
    return usage_error(msg, s);
}

enum { OPT_SECOND_ORDER = 256, OPT_MAX_ORDER, OPT_S2 };

/* Reads the command line of sample (analyze false) or analyze into a.
 * Returns -1 when the command should go on, else the exit status. */
static int parse_args(int argc, char **argv, bool analyze, const method_type **mt, sens_args *a)
{
    static const struct option longopts[] = {
        {"method", required_argument, NULL, 'm'},
        {"problem", required_argument, NULL, 'p'},
        {"paramfile", required_argument, NULL, 'p'},
        {"delimiter", required_argument, NULL, 'd'},
        {"samples", required_argument, NULL, 'N'},
        {"seed", required_argument, NULL, 's'},
        {"levels", required_argument, NULL, 'l'},
        {"num_levels", required_argument, NULL, 'l'},
        {"optimal", required_argument, NULL, 'k'},
        {"k-optimal", required_argument, NULL, 'k'},
        {"M", required_argument, NULL, 'M'},
        {"m-coef", required_argument, NULL, 'M'},
        {"replicates", required_argument, NULL, 'R'},
        {"outputs", required_argument, NULL, 'Y'},
        {"model-output-file", required_argument, NULL, 'Y'},
        {"inputs", required_argument, NULL, 'X'},
        {"model-input-file", required_argument, NULL, 'X'},
        {"column", required_argument, NULL, 'c'},
        {"resamples", required_argument, NULL, 'r'},
        {"slices", required_argument, NULL, 'S'},
        {"second-order", no_argument, NULL, OPT_SECOND_ORDER},
        {"max-order", required_argument, NULL, OPT_MAX_ORDER},
        {"output-s2", required_argument, NULL, OPT_S2},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->analyze = analyze;
    a->seed = 1;
    a->levels = 4;
    a->replicates = 1;
    a->slices = 10;
    a->max_order = 1;
    *mt = NULL;
    const char *cmd = analyze ? "analyze" : "sample";
    unsigned long long v;
    optind = 0;
    opterr = 0;
    int c;
#define GIVEN(bit) (a->given |= (bit))
    while ((c = getopt_long(argc, argv, ":m:p:d:N:n:s:l:k:M:R:Y:X:c:r:S:o:h", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 'm':
            if (!(*mt = method_find(optarg)))
                return unknown_method(optarg);
            break;
        case 'p':
            a->problem = optarg;
            break;
        case 'd':
            if (strcmp(optarg, "\\t") == 0 || strcmp(optarg, "tab") == 0)
                a->delim = '\t';
            else if (strlen(optarg) == 1 && optarg[0] != '#' && optarg[0] != '\n')
                a->delim = optarg[0];
            else
                return usage_error("--delimiter '%s' is not one character (use '\\t' for a tab)",
                                   optarg);
            break;
        case 'N':
        case 'n':
            if (!parse_count(optarg, 1ULL << 40, &a->n) || a->n == 0)
                return usage_error("-N '%s' is not a positive whole number", optarg);
            GIVEN(O_N);
            break;
        case 's':
            if (!parse_count(optarg, (unsigned long long)GS_SEED_MAX, &a->seed)) {
                char fmt[80];
                snprintf(fmt, sizeof fmt, "--seed '%%s' is not a whole number from 0 to %.0f",
                         GS_SEED_MAX);
                return usage_error(fmt, optarg);
            }
            break;
        case 'l':
            if (!parse_count(optarg, 1000000, &a->levels) || a->levels < 2 || a->levels % 2)
                return usage_error("--levels '%s' is not an even whole number >= 2", optarg);
            GIVEN(O_LEVELS);
            break;
        case 'k':
            if (!parse_count(optarg, 1000000, &a->optimal) || a->optimal < 2)
                return usage_error("--optimal '%s' is not a whole number >= 2", optarg);
            GIVEN(O_OPTIMAL);
            break;
        case 'M':
            if (!parse_count(optarg, 1000, &a->m) || a->m < 1)
                return usage_error("-M '%s' is not a whole number from 1 to 1000", optarg);
            GIVEN(O_M);
            break;
        case 'R':
            if (!parse_count(optarg, 10000, &a->replicates) || a->replicates < 1)
                return usage_error("--replicates '%s' is not a whole number from 1 to 10000",
                                   optarg);
            GIVEN(O_REPL);
            break;
        case 'Y':
            a->ypath = optarg;
            break;
        case 'X':
            a->xpath = optarg;
            GIVEN(O_X);
            break;
        case 'c':
            if (!parse_count(optarg, 1000000, &a->column))
                return usage_error("--column '%s' is not a 0-based column number", optarg);
            break;
        case 'r':
            if (!parse_count(optarg, 100000000, &a->resamples) || a->resamples < 2)
                return usage_error("--resamples '%s' is not a whole number >= 2", optarg);
            GIVEN(O_RESAMPLES);
            break;
        case 'S':
            if (!parse_count(optarg, 100000, &a->slices) || a->slices < 2)
                return usage_error("--slices '%s' is not a whole number >= 2", optarg);
            GIVEN(O_SLICES);
            break;
        case OPT_SECOND_ORDER:
            a->max_order = 2;
            GIVEN(O_ORDER);
            break;
        case OPT_MAX_ORDER:
            if (!parse_count(optarg, 2, &v) || v < 1)
                return usage_error("--max-order '%s' must be 1 or 2", optarg);
            a->max_order = (int)v;
            GIVEN(O_ORDER);
            break;
        case OPT_S2:
            a->s2_output = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return gs_cli_option_error("sensitivity", c, argv);
        }
    }
#undef GIVEN
    /* SALib style: the method as a word ("sample morris ..."). */
    if (optind < argc && !*mt && (*mt = method_find(argv[optind])))
        optind++;
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    char msg[200];
    if (!*mt) {
        snprintf(msg, sizeof msg, "%s needs --method (sobol, morris, fast, rbd_fast, delta or pawn)",
                 cmd);
        return usage_error("%s", msg);
    }
    const method_type *m = *mt;
    unsigned allowed = analyze ? m->analyze_opts : m->sample_opts;
    if (analyze)
        allowed |= O_REPL & m->sample_opts;
    unsigned stray = a->given & ~allowed;
    if (stray) {
        unsigned bit = stray & -stray;
        snprintf(msg, sizeof msg, "option '%s' does not apply to %s %s", option_name(bit),
                 m->name, cmd);
        return usage_error("%s", msg);
    }
    if (!a->problem) {
        snprintf(msg, sizeof msg, "%s needs -p PROBLEM", cmd);
        return usage_error("%s", msg);
    }
    if (!(a->given & O_RESAMPLES))
        a->resamples = m->resamples;
    if (!(a->given & O_M))
        a->m = m->m;
    if (!analyze) {
        if (!(a->given & O_N))
            return usage_error("sample needs -N (%s)",
                               m->sample == morris_sample ? "trajectories"
                               : m->sample == sobol_sample ? "base samples"
                               : m->sample == fast_sample  ? "points per search curve"
                                                           : "rows");
        if ((a->given & O_OPTIMAL) && a->optimal >= a->n)
            return usage_error("%s", "--optimal R keeps R of the N trajectories: R must be "
                                     "below N");
        return -1;
    }
    if (!a->ypath)
        return usage_error("%s", "analyze needs -Y OUTPUTS");
    if (m->needs_x && !a->xpath) {
        snprintf(msg, sizeof msg, "%s analyze needs -X SAMPLE (the rows the outputs came from)",
                 m->name);
        return usage_error("%s", msg);
    }
    if (a->max_order == 2 && !a->s2_output && (!a->output || strcmp(a->output, "-") == 0))
        return usage_error("%s", "second-order indices go to their own file: give -o FILE "
                                 "(they go to FILE's name with _S2) or --output-s2 FILE");
    return -1;
}

/* parse_args, then the problem file read into *p.  Returns -1 when the
 * command should go on, else the exit status. */
static int parse_problem(int argc, char **argv, bool analyze, const method_type **mt,
                         sens_args *a, gs_sens_problem **p, gs_error *e)
{
    int rc = parse_args(argc, argv, analyze, mt, a);
    if (rc >= 0)
        return rc;
    gs_error_clear(e);
    if (gs_sens_problem_read(a->problem, a->delim, p, e) != GS_OK)
        return gs_cli_report(e);
    return -1;
}

/* ---- sample ---- */

static int cmd_sample(int argc, char **argv)
{
    const method_type *m;
    sens_args a;
    gs_error e;
    gs_sens_problem *p = NULL;
    int rc = parse_problem(argc, argv, false, &m, &a, &p, &e);
    if (rc >= 0)
        return rc;
    gs_sens_sample *s = NULL;
    gs_status st = m->sample(&a, p, &s, &e);
    gs_sens_problem_free(p);
    if (st != GS_OK)
        return gs_cli_report(&e);
    out_file o;
    st = out_open(&o, a.output, &e);
    if (st != GS_OK) {
        gs_sens_sample_free(s);
        return gs_cli_report(&e);
    }
    char sep = a.delim ? a.delim : ' ';
    for (size_t r = 0; r < s->rows && !ferror(o.f); r++) {
        const double *row = s->x + r * s->k;
        for (size_t i = 0; i < s->k; i++) {
            if (i)
                fputc(sep, o.f);
            fprintf(o.f, "%.17g", row[i]);
        }
        fputc('\n', o.f);
    }
    gs_sens_sample_free(s);
    st = out_close(&o, true, &e);
    return st == GS_OK ? 0 : gs_cli_report(&e);
}

/* ---- analyze ---- */

/* FILE.csv -> FILE_S2.csv; FILE -> FILE_S2. */
static char *s2_name(const char *out)
{
    size_t n = strlen(out);
    const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
    if (!dot || (slash && dot < slash) || dot == out || (slash && dot == slash + 1))
        dot = out + n;
    char *r = malloc(n + 4);
    if (r)
        snprintf(r, n + 4, "%.*s_S2%s", (int)(dot - out), out, dot);
    return r;
}

static int cmd_analyze(int argc, char **argv)
{
    const method_type *m;
    sens_args a;
    gs_error e;
    gs_sens_problem *p = NULL;
    int rc = parse_problem(argc, argv, true, &m, &a, &p, &e);
    if (rc >= 0)
        return rc;
    gs_status st;
    table y = {0}, x = {0};
    out_file o = {0}, o2 = {0};
    char *s2 = NULL;
    st = gs_sens_table_read(a.ypath, a.delim, 0, (size_t)a.column, "outputs", &y, &e);
    if (st == GS_OK)
        st = gs_sens_outputs_check(&y, strcmp(a.ypath, "-") ? a.ypath : "<stdin>", &e);
    if (st == GS_OK && a.xpath) {
        st = gs_sens_table_read(a.xpath, a.delim, p->k, 0, "samples", &x, &e);
        if (st == GS_OK && x.rows != y.rows)
            st = gs_error_set(&e, GS_EINPUT, strcmp(a.ypath, "-") ? a.ypath : "<stdin>", 0,
                              "%zu rows, but the sample %s has %zu", y.rows, a.xpath, x.rows);
    }
    if (st == GS_OK && a.max_order == 2) {
        s2 = a.s2_output ? gs_strdup(a.s2_output) : s2_name(a.output);
        if (!s2)
            st = gs_error_set(&e, GS_ENOMEM, NULL, 0, "out of memory");
    }
    if (st == GS_OK)
        st = out_open(&o, a.output, &e);
    if (st == GS_OK && s2)
        st = out_open(&o2, s2, &e);
    if (st == GS_OK) {
        analysis an = {.a = &a, .p = p, .x = &x, .y = &y, .o = &o, .o2 = &o2};
        st = m->analyze(&an, &e);
    }
    /* Both files appear, or neither. */
    bool ok = st == GS_OK;
    gs_status c1 = out_close(&o, ok, &e);
    if (ok && c1 != GS_OK) {
        st = c1;
        ok = false;
    }
    bool committed = ok && a.output && strcmp(a.output, "-") != 0;
    gs_status c2 = out_close(&o2, ok, &e);
    if (ok && c2 != GS_OK) {
        st = c2;
        if (committed)
            unlink(a.output);
    }
    free(s2);
    gs_sens_table_free(&x);
    gs_sens_table_free(&y);
    gs_sens_problem_free(p);
    return st == GS_OK ? 0 : gs_cli_report(&e);
}

int gs_cli_sensitivity(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(sub, "sample") == 0)
        return cmd_sample(argc - 1, argv + 1);
    if (strcmp(sub, "analyze") == 0 || strcmp(sub, "analyse") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    return usage_error("unknown sensitivity command '%s' (expected sample or analyze)", sub);
}
