/* gapsim sensitivity sample|analyze: Sobol' and Morris on an external
 * model's outputs, with SALib's file formats. */
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
    "usage: gapsim sensitivity sample  --method sobol|morris -p PROBLEM -N N [options]\n"
    "       gapsim sensitivity analyze --method sobol|morris -p PROBLEM -Y OUTPUTS [options]\n"
    "\n"
    "PROBLEM has one parameter a line: 'name lower upper' (spaces or commas; '#' comments).\n"
    "\n"
    "sample: writes one row per model run, values separated by spaces.\n"
    "  -m, --method M        sobol (Saltelli design, N(k+2) rows) or morris (N(k+1) rows)\n"
    "  -p, --problem FILE    the parameters and their bounds\n"
    "  -N, -n, --samples N   sobol: base samples; morris: trajectories\n"
    "      --second-order    sobol: add the rows for second-order indices (N(2k+2) rows)\n"
    "  -l, --levels P        morris: grid levels, even (default 4)\n"
    "  -s, --seed S          morris: seed of the trajectories (default 1)\n"
    "  -o, --output FILE     write there instead of stdout ('-' is stdout)\n"
    "\n"
    "analyze: reads one output a line (the design's row order), writes a CSV table.\n"
    "  -m, --method M        sobol or morris, as sampled\n"
    "  -p, --problem FILE    the problem the design was made from\n"
    "  -Y, --outputs FILE    model outputs ('-' is stdin)\n"
    "  -X, --inputs FILE     the sample the outputs came from (needed by morris)\n"
    "  -c, --column C        0-based column of OUTPUTS to analyse (default 0)\n"
    "      --second-order    sobol: the design has the second-order rows; add S2\n"
    "  -r, --resamples B     bootstrap resamples for the intervals (default 1000)\n"
    "  -s, --seed S          seed of the bootstrap (default 1)\n"
    "  -o, --output FILE     write there instead of stdout\n"
    "\n"
    "  -h, --help            this text\n"
    "\n"
    "Sobol columns: name,S1,S1_conf,ST,ST_conf (then name_i,name_j,S2,S2_conf);\n"
    "Morris columns: name,mu,mu_star,sigma,mu_star_conf.  *_conf are 95 % bootstrap\n"
    "half-widths.  The same seed gives the same bytes.  Exit 0 ok, 2 bad input, 1 failure.\n";

typedef enum { METHOD_NONE, METHOD_SOBOL, METHOD_MORRIS } method;

static int report(const gs_error *e)
{
    char buf[2048];
    gs_error_format(e, buf, sizeof buf);
    gs_cli_errorf("%s", buf);
    return gs_status_exit(e->code);
}

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

static bool parse_method(const char *s, method *m)
{
    if (strcmp(s, "sobol") == 0 || strcmp(s, "saltelli") == 0)
        *m = METHOD_SOBOL;
    else if (strcmp(s, "morris") == 0)
        *m = METHOD_MORRIS;
    else
        return false;
    return true;
}

/* ---- output through a temporary file renamed when whole ---- */

typedef struct {
    FILE *f;
    const char *path;  /* NULL: stdout */
    char *tmp;
} out_file;

static gs_status out_open(out_file *o, const char *path, gs_error *err)
{
    o->f = NULL;
    o->tmp = NULL;
    o->path = (path && strcmp(path, "-") != 0) ? path : NULL;
    if (!o->path) {
        o->f = stdout;
        return GS_OK;
    }
    size_t n = strlen(path) + 16;
    o->tmp = malloc(n);
    if (!o->tmp)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        gs_status st = gs_error_set(err, GS_EOUTPUT, path, 0, "cannot write: %s", strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return st;
    }
    /* mkstemp makes the file 0600; give it the mode a plain fopen would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        gs_status st = gs_error_set(err, GS_EIO, path, 0, "cannot write: %s", strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return st;
    }
    return GS_OK;
}

/* ok false: throw the partial file away. */
static gs_status out_close(out_file *o, bool ok, gs_error *err)
{
    gs_status st = GS_OK;
    if (!o->f)
        return GS_OK;
    if (!o->path) {
        if (fflush(stdout) != 0 || ferror(stdout))
            st = ok ? gs_error_set(err, GS_EIO, "<stdout>", 0, "write failed: %s",
                                   strerror(errno))
                    : GS_EIO;
        o->f = NULL;
        return st;
    }
    bool bad = ferror(o->f) != 0;
    int saved = errno;
    if (fclose(o->f) != 0) {
        bad = true;
        saved = errno;
    }
    o->f = NULL;
    if (ok && bad)
        st = gs_error_set(err, GS_EIO, o->path, 0, "write failed: %s", strerror(saved));
    if (ok && !bad && rename(o->tmp, o->path) != 0)
        st = gs_error_set(err, GS_EIO, o->path, 0, "cannot rename %s into place: %s", o->tmp,
                          strerror(errno));
    if (!ok || st != GS_OK)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return st;
}

/* ---- reading numeric tables ---- */

typedef struct {
    size_t rows, cols;
    double *v;   /* rows * cols */
    int *line;   /* rows: 1-based file line of each row */
} table;

static void table_free(table *t)
{
    free(t->v);
    free(t->line);
    t->v = NULL;
    t->line = NULL;
}

static char *trim_blank(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return s;
}

/* Reads whitespace- or comma-separated numbers.  want_cols > 0: every row
 * must have exactly that many (a sample); else pick is the column kept (an
 * output file may carry more columns than the one analysed). */
static gs_status table_read(const char *path, size_t want_cols, size_t pick, const char *what,
                            table *t, gs_error *err)
{
    memset(t, 0, sizeof *t);
    bool use_stdin = strcmp(path, "-") == 0;
    const char *name = use_stdin ? "<stdin>" : path;
    FILE *f = use_stdin ? stdin : fopen(path, "r");
    if (!f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot open: %s", strerror(errno));
    size_t keep = want_cols ? want_cols : 1, cap = 0;
    gs_status st = GS_OK;
    char *buf = NULL;
    size_t bufcap = 0;
    int lineno = 0;
    while (getline(&buf, &bufcap, f) >= 0) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = trim_blank(buf);
        if (!*s)
            continue;
        if (t->rows == cap) {
            cap = cap ? 2 * cap : 1024;
            double *v = realloc(t->v, cap * keep * sizeof *v);
            if (v)
                t->v = v;
            int *ln = realloc(t->line, cap * sizeof *ln);
            if (ln)
                t->line = ln;
            if (!v || !ln) {
                st = gs_error_set(err, GS_ENOMEM, name, lineno, "out of memory");
                break;
            }
        }
        double *row = t->v + t->rows * keep;
        size_t col = 0;
        char *save = NULL;
        for (char *tok = strtok_r(s, " \t\r\n,", &save); tok;
             tok = strtok_r(NULL, " \t\r\n,", &save), col++) {
            if (!want_cols && col != pick)
                continue;
            if (want_cols && col >= want_cols)
                continue; /* counted, reported below */
            char *end;
            errno = 0;
            double x = strtod(tok, &end);
            if (*end || errno == ERANGE) {
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu '%s' is not a number", col, tok);
                break;
            }
            if (!isfinite(x)) {
                st = gs_error_set(err, GS_EINPUT, name, lineno,
                                  "column %zu is '%s'; %s must be finite numbers", col, tok,
                                  what);
                break;
            }
            row[want_cols ? col : 0] = x;
        }
        if (st != GS_OK)
            break;
        if (want_cols && col != want_cols) {
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu values, but the problem has %zu parameters", col, want_cols);
            break;
        }
        if (!want_cols && col <= pick) {
            st = gs_error_set(err, GS_EINPUT, name, lineno,
                              "%zu column%s, but --column %zu asks for column %zu (0-based)", col,
                              col == 1 ? "" : "s", pick, pick);
            break;
        }
        t->line[t->rows++] = lineno;
    }
    if (st == GS_OK && ferror(f))
        st = gs_error_set(err, GS_EIO, name, 0, "read error");
    if (st == GS_OK && t->rows == 0)
        st = gs_error_set(err, GS_EINPUT, name, 0, "no rows of %s", what);
    free(buf);
    if (!use_stdin)
        fclose(f);
    if (st != GS_OK)
        table_free(t);
    return st;
}

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


/* ---- sample ---- */

enum { OPT_SECOND_ORDER = 256, OPT_MAX_ORDER };

static int finish(out_file *o, gs_status st, gs_error *e)
{
    gs_status cst = out_close(o, st == GS_OK, e);
    if (st == GS_OK)
        st = cst;
    return st == GS_OK ? 0 : report(e);
}

static int cmd_sample(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"method", required_argument, NULL, 'm'},
        {"problem", required_argument, NULL, 'p'},
        {"paramfile", required_argument, NULL, 'p'},
        {"samples", required_argument, NULL, 'N'},
        {"seed", required_argument, NULL, 's'},
        {"levels", required_argument, NULL, 'l'},
        {"second-order", no_argument, NULL, OPT_SECOND_ORDER},
        {"max-order", required_argument, NULL, OPT_MAX_ORDER},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    method m = METHOD_NONE;
    const char *problem = NULL, *output = NULL;
    unsigned long long n = 0, seed = 1, levels = 4, v;
    bool have_n = false, second = false;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":m:p:N:n:s:l:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!parse_method(optarg, &m))
                return usage_error("unknown method '%s' (expected sobol or morris)", optarg);
            break;
        case 'p':
            problem = optarg;
            break;
        case 'N':
        case 'n':
            if (!parse_count(optarg, 1ULL << 40, &n) || n == 0)
                return usage_error("-N '%s' is not a positive whole number", optarg);
            have_n = true;
            break;
        case 's':
            if (!parse_count(optarg, 0xffffffffULL, &seed))
                return usage_error("--seed '%s' is not a whole number from 0 to 4294967295",
                                   optarg);
            break;
        case 'l':
            if (!parse_count(optarg, 1000000, &levels))
                return usage_error("--levels '%s' is not a whole number", optarg);
            break;
        case OPT_SECOND_ORDER:
            second = true;
            break;
        case OPT_MAX_ORDER:
            if (!parse_count(optarg, 2, &v) || v < 1)
                return usage_error("--max-order '%s' must be 1 or 2", optarg);
            second = v == 2;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    /* SALib style: the method as a word ("sample morris ..."). */
    if (optind < argc && m == METHOD_NONE && parse_method(argv[optind], &m))
        optind++;
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (m == METHOD_NONE)
        return usage_error("%s", "sample needs --method sobol or --method morris");
    if (!problem)
        return usage_error("%s", "sample needs -p PROBLEM");
    if (!have_n)
        return usage_error("%s", m == METHOD_SOBOL ? "sample needs -N (base samples)"
                                                   : "sample needs -N (trajectories)");

    gs_error e;
    gs_error_clear(&e);
    gs_sens_problem *p = NULL;
    gs_status st = gs_sens_problem_read(problem, &p, &e);
    if (st != GS_OK)
        return report(&e);
    if (m == METHOD_SOBOL && p->k > GS_SENS_SOBOL_MAX_PARAMS) {
        gs_error_set(&e, GS_EINPUT, problem, 0,
                     "%zu parameters, but sobol supports at most %d (GSL's Sobol' sequence "
                     "has 40 dimensions and the design needs 2 per parameter)",
                     p->k, GS_SENS_SOBOL_MAX_PARAMS);
        gs_sens_problem_free(p);
        return report(&e);
    }
    gs_sens_sample *s = NULL;
    st = m == METHOD_SOBOL ? gs_sens_sobol_sample(p, (size_t)n, second, &s, &e)
                           : gs_sens_morris_sample(p, (size_t)n, (unsigned)levels,
                                                   (unsigned long)seed, &s, &e);
    gs_sens_problem_free(p);
    if (st != GS_OK)
        return report(&e);
    out_file o;
    st = out_open(&o, output, &e);
    if (st != GS_OK) {
        gs_sens_sample_free(s);
        return report(&e);
    }
    for (size_t r = 0; r < s->rows && !ferror(o.f); r++) {
        const double *row = s->x + r * s->k;
        for (size_t i = 0; i < s->k; i++)
            fprintf(o.f, i ? " %.17g" : "%.17g", row[i]);
        fputc('\n', o.f);
    }
    gs_sens_sample_free(s);
    return finish(&o, GS_OK, &e);
}

/* ---- analyze ---- */

static void write_sobol(FILE *f, const gs_sens_problem *p, const gs_sens_sobol_result *r)
{
    fputs("name,S1,S1_conf,ST,ST_conf\n", f);
    for (size_t i = 0; i < r->k; i++) {
        gs_csv_field(f, p->names[i]);
        fprintf(f, ",%.17g,%.17g,%.17g,%.17g\n", r->S1[i], r->S1_conf[i], r->ST[i],
                r->ST_conf[i]);
    }
    if (!r->S2)
        return;
    fputs("\nname_i,name_j,S2,S2_conf\n", f);
    for (size_t i = 0; i < r->k; i++) {
        for (size_t j = i + 1; j < r->k; j++) {
            gs_csv_field(f, p->names[i]);
            fputc(',', f);
            gs_csv_field(f, p->names[j]);
            fprintf(f, ",%.17g,%.17g\n", r->S2[i * r->k + j], r->S2_conf[i * r->k + j]);
        }
    }
}

static void write_morris(FILE *f, const gs_sens_problem *p, const gs_sens_morris_result *r)
{
    fputs("name,mu,mu_star,sigma,mu_star_conf\n", f);
    for (size_t i = 0; i < r->k; i++) {
        gs_csv_field(f, p->names[i]);
        fprintf(f, ",%.17g,%.17g,%.17g,%.17g\n", r->mu[i], r->mu_star[i], r->sigma[i],
                r->mu_star_conf[i]);
    }
}

static int cmd_analyze(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"method", required_argument, NULL, 'm'},
        {"problem", required_argument, NULL, 'p'},
        {"paramfile", required_argument, NULL, 'p'},
        {"outputs", required_argument, NULL, 'Y'},
        {"model-output-file", required_argument, NULL, 'Y'},
        {"inputs", required_argument, NULL, 'X'},
        {"model-input-file", required_argument, NULL, 'X'},
        {"column", required_argument, NULL, 'c'},
        {"seed", required_argument, NULL, 's'},
        {"resamples", required_argument, NULL, 'r'},
        {"levels", required_argument, NULL, 'l'},
        {"second-order", no_argument, NULL, OPT_SECOND_ORDER},
        {"max-order", required_argument, NULL, OPT_MAX_ORDER},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    method m = METHOD_NONE;
    const char *problem = NULL, *ypath = NULL, *xpath = NULL, *output = NULL;
    unsigned long long column = 0, seed = 1, resamples = 1000, v;
    bool second = false;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":m:p:Y:X:c:s:r:l:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (!parse_method(optarg, &m))
                return usage_error("unknown method '%s' (expected sobol or morris)", optarg);
            break;
        case 'p':
            problem = optarg;
            break;
        case 'Y':
            ypath = optarg;
            break;
        case 'X':
            xpath = optarg;
            break;
        case 'c':
            if (!parse_count(optarg, 1000000, &column))
                return usage_error("--column '%s' is not a 0-based column number", optarg);
            break;
        case 's':
            if (!parse_count(optarg, 0xffffffffULL, &seed))
                return usage_error("--seed '%s' is not a whole number from 0 to 4294967295",
                                   optarg);
            break;
        case 'r':
            if (!parse_count(optarg, 100000000, &resamples) || resamples < 2)
                return usage_error("--resamples '%s' is not a whole number >= 2", optarg);
            break;
        case 'l':
            /* Accepted for SALib's command lines; the step is read from -X. */
            if (!parse_count(optarg, 1000000, &v) || v < 2 || v % 2)
                return usage_error("--levels '%s' is not an even whole number >= 2", optarg);
            break;
        case OPT_SECOND_ORDER:
            second = true;
            break;
        case OPT_MAX_ORDER:
            if (!parse_count(optarg, 2, &v) || v < 1)
                return usage_error("--max-order '%s' must be 1 or 2", optarg);
            second = v == 2;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc && m == METHOD_NONE && parse_method(argv[optind], &m))
        optind++;
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (m == METHOD_NONE)
        return usage_error("%s", "analyze needs --method sobol or --method morris");
    if (!problem)
        return usage_error("%s", "analyze needs -p PROBLEM");
    if (!ypath)
        return usage_error("%s", "analyze needs -Y OUTPUTS");
    if (m == METHOD_MORRIS && !xpath)
        return usage_error("%s", "morris analyze needs -X SAMPLES (to see which factor moved "
                                 "in each step)");

    gs_error e;
    gs_error_clear(&e);
    gs_sens_problem *p = NULL;
    gs_status st = gs_sens_problem_read(problem, &p, &e);
    if (st != GS_OK)
        return report(&e);
    table y = {0}, x = {0};
    gs_sens_sobol_result *sr = NULL;
    gs_sens_morris_result *mr = NULL;
    out_file o = {0};
    if (m == METHOD_SOBOL && p->k > GS_SENS_SOBOL_MAX_PARAMS) {
        st = gs_error_set(&e, GS_EINPUT, problem, 0,
                          "%zu parameters, but sobol supports at most %d", p->k,
                          GS_SENS_SOBOL_MAX_PARAMS);
        goto fail;
    }
    st = table_read(ypath, 0, (size_t)column, "outputs", &y, &e);
    if (st != GS_OK)
        goto fail;
    if (xpath) {
        st = table_read(xpath, p->k, 0, "samples", &x, &e);
        if (st != GS_OK)
            goto fail;
        if (x.rows != y.rows) {
            st = gs_error_set(&e, GS_EINPUT, strcmp(ypath, "-") ? ypath : "<stdin>", 0,
                              "%zu rows, but the samples %s have %zu", y.rows, xpath, x.rows);
            goto fail;
        }
    }
    if (m == METHOD_SOBOL) {
        gs_sens_sobol_opts so = gs_sens_sobol_opts_default();
        so.second_order = second;
        so.resamples = (size_t)resamples;
        so.seed = (unsigned long)seed;
        st = gs_sens_sobol_analyze(p->k, y.v, y.rows, &so, &sr, &e);
        if (st != GS_OK) {
            locate(&e, ypath, &y);
            goto fail;
        }
    } else {
        gs_sens_morris_opts mo = gs_sens_morris_opts_default();
        mo.resamples = (size_t)resamples;
        mo.seed = (unsigned long)seed;
        st = gs_sens_morris_analyze(p, x.v, y.v, y.rows, &mo, &mr, &e);
        if (st != GS_OK) {
            /* Outputs were checked finite on reading, so a fault at a row is
             * the samples' layout; one without is the outputs' row count. */
            if (e.line > 0)
                locate(&e, xpath, &x);
            else
                locate(&e, ypath, &y);
            goto fail;
        }
    }
    st = out_open(&o, output, &e);
    if (st != GS_OK)
        goto fail;
    if (sr)
        write_sobol(o.f, p, sr);
    else
        write_morris(o.f, p, mr);
    gs_sens_sobol_result_free(sr);
    gs_sens_morris_result_free(mr);
    table_free(&x);
    table_free(&y);
    gs_sens_problem_free(p);
    return finish(&o, GS_OK, &e);

fail:
    gs_sens_sobol_result_free(sr);
    gs_sens_morris_result_free(mr);
    table_free(&x);
    table_free(&y);
    gs_sens_problem_free(p);
    return report(&e);
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
