/* Sobol' indices (Saltelli design) and Morris elementary effects. */
#include "gs_sens.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* problem                                                              */

gs_sens_problem *gs_sens_problem_new(void)
{
    return calloc(1, sizeof(gs_sens_problem));
}

void gs_sens_problem_free(gs_sens_problem *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->k; i++)
        free(p->names[i]);
    free(p->names);
    free(p->lower);
    free(p->upper);
    free(p->lines);
    free(p);
}

static gs_status problem_grow(gs_sens_problem *p, gs_error *err)
{
    if (p->k < p->cap)
        return GS_OK;
    size_t cap = p->cap ? 2 * p->cap : 8;
    char **names = realloc(p->names, cap * sizeof *names);
    if (names)
        p->names = names;
    double *lo = realloc(p->lower, cap * sizeof *lo);
    if (lo)
        p->lower = lo;
    double *hi = realloc(p->upper, cap * sizeof *hi);
    if (hi)
        p->upper = hi;
    int *ln = realloc(p->lines, cap * sizeof *ln);
    if (ln)
        p->lines = ln;
    if (!names || !lo || !hi || !ln)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for %zu parameters", cap);
    p->cap = cap;
    return GS_OK;
}

static gs_status problem_add_at(gs_sens_problem *p, const char *name, double lower,
                                double upper, const char *file, int line, gs_error *err)
{
    if (!name || !name[0])
        return gs_error_set(err, GS_EINPUT, file, line, "empty parameter name");
    if (!isfinite(lower) || !isfinite(upper))
        return gs_error_set(err, GS_EINPUT, file, line,
                            "bounds of '%s' must be finite numbers", name);
    if (!(lower < upper))
        return gs_error_set(err, GS_EINPUT, file, line,
                            "lower bound %.17g of '%s' is not below its upper bound %.17g",
                            lower, name, upper);
    for (size_t i = 0; i < p->k; i++) {
        if (strcmp(p->names[i], name) == 0) {
            if (p->lines[i] > 0)
                return gs_error_set(err, GS_EINPUT, file, line,
                                    "duplicate parameter name '%s' (first on line %d)", name,
                                    p->lines[i]);
            return gs_error_set(err, GS_EINPUT, file, line, "duplicate parameter name '%s'",
                                name);
        }
    }
    gs_status st = problem_grow(p, err);
    if (st != GS_OK)
        return st;
    char *copy = malloc(strlen(name) + 1);
    if (!copy)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    strcpy(copy, name);
    p->names[p->k] = copy;
    p->lower[p->k] = lower;
    p->upper[p->k] = upper;
    p->lines[p->k] = line;
    p->k++;
    return GS_OK;
}

gs_status gs_sens_problem_add(gs_sens_problem *p, const char *name, double lower,
                              double upper, gs_error *err)
{
    return problem_add_at(p, name, lower, upper, NULL, 0, err);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits line in place.  A line with a comma is split on commas only, so
 * that names may hold spaces (as SALib allows); otherwise on blanks. */
static size_t split_fields(char *line, char **f, size_t maxf)
{
    size_t n = 0;
    if (strchr(line, ',')) {
        char *s = line;
        for (;;) {
            char *c = strchr(s, ',');
            if (c)
                *c = '\0';
            if (n < maxf)
                f[n] = trim(s);
            n++;
            if (!c)
                break;
            s = c + 1;
        }
        return n;
    }
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n < maxf)
            f[n] = t;
        n++;
    }
    return n;
}

static bool parse_double(const char *s, double *out)
{
    if (!s[0])
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

gs_status gs_sens_problem_read(const char *path, gs_sens_problem **out, gs_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return gs_error_set(err, GS_EINPUT, path, 0, "cannot open: %s", strerror(errno));
    gs_sens_problem *p = gs_sens_problem_new();
    if (!p) {
        fclose(f);
        return gs_error_set(err, GS_ENOMEM, path, 0, "out of memory");
    }
    gs_status st = GS_OK;
    char *buf = NULL;
    size_t cap = 0;
    int lineno = 0;
    while (getline(&buf, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *line = trim(buf);
        if (!line[0])
            continue;
        char *fld[4];
        size_t nf = split_fields(line, fld, 4);
        if (nf != 3) {
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "expected 3 columns (name lower upper), found %zu", nf);
            break;
        }
        double lo, hi;
        if (!parse_double(fld[1], &lo)) {
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "lower bound '%s' of '%s' is not a number", fld[1], fld[0]);
            break;
        }
        if (!parse_double(fld[2], &hi)) {
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "upper bound '%s' of '%s' is not a number", fld[2], fld[0]);
            break;
        }
        st = problem_add_at(p, fld[0], lo, hi, path, lineno, err);
        if (st != GS_OK)
            break;
    }
    if (st == GS_OK && ferror(f))
        st = gs_error_set(err, GS_EIO, path, 0, "read error");
    if (st == GS_OK && p->k == 0)
        st = gs_error_set(err, GS_EINPUT, path, 0,
                          "no parameters (expected lines of 'name lower upper')");
    free(buf);
    fclose(f);
    if (st != GS_OK) {
        gs_sens_problem_free(p);
        return st;
    }
    *out = p;
    return GS_OK;
}

/* ------------------------------------------------------------------ */
/* samples                                                              */

void gs_sens_sample_free(gs_sens_sample *s)
{
    if (!s)
        return;
    free(s->x);
    free(s);
}

size_t gs_sens_sobol_rows(size_t n, size_t k, bool second_order)
{
    return n * (second_order ? 2 * k + 2 : k + 2);
}

size_t gs_sens_morris_rows(size_t r, size_t k)
{
    return r * (k + 1);
}

static gs_status sample_new(size_t rows, size_t k, gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    if (k != 0 && rows > SIZE_MAX / sizeof(double) / k)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "a design of %zu rows is too large", rows);
    gs_sens_sample *s = calloc(1, sizeof *s);
    double *x = malloc(rows * k * sizeof *x);
    if (!s || !x) {
        free(s);
        free(x);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for %zu x %zu sample", rows,
                            k);
    }
    s->rows = rows;
    s->k = k;
    s->x = x;
    *out = s;
    return GS_OK;
}

static double scale(const gs_sens_problem *p, size_t i, double u)
{
    double v = p->lower[i] + (p->upper[i] - p->lower[i]) * u;
    /* lower + (upper - lower) can round one ulp past upper */
    return v > p->upper[i] ? p->upper[i] : v;
}

gs_status gs_sens_sobol_sample(const gs_sens_problem *p, size_t n, bool second_order,
                               gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    size_t k = p->k;
    if (k < 1 || k > GS_SENS_SOBOL_MAX_PARAMS)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "sobol supports 1 to %d parameters (GSL's Sobol' sequence has at "
                            "most 40 dimensions and the design needs 2k), not %zu",
                            GS_SENS_SOBOL_MAX_PARAMS, k);
    if (n < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "sobol needs N >= 2 base samples, not %zu", n);
    size_t step = second_order ? 2 * k + 2 : k + 2;
    if (n > SIZE_MAX / step)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "N = %zu is too large", n);
    gs_sens_sample *s;
    gs_status st = sample_new(n * step, k, &s, err);
    if (st != GS_OK)
        return st;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!q) {
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "cannot allocate the Sobol' sequence");
    }
    double u[2 * GS_SENS_SOBOL_MAX_PARAMS];
    for (size_t j = 0; j < n; j++) {
        gsl_qrng_get(q, u);
        const double *a = u, *b = u + k;
        double *row = s->x + j * step * k;
        size_t r = 0;
        for (size_t c = 0; c < k; c++)
            row[r * k + c] = scale(p, c, a[c]);
        r++;
        for (size_t i = 0; i < k; i++, r++)
            for (size_t c = 0; c < k; c++)
                row[r * k + c] = scale(p, c, c == i ? b[c] : a[c]);
        if (second_order)
            for (size_t i = 0; i < k; i++, r++)
                for (size_t c = 0; c < k; c++)
                    row[r * k + c] = scale(p, c, c == i ? a[c] : b[c]);
        for (size_t c = 0; c < k; c++)
            row[r * k + c] = scale(p, c, b[c]);
    }
    gsl_qrng_free(q);
    *out = s;
    return GS_OK;
}

gs_status gs_sens_morris_sample(const gs_sens_problem *p, size_t r, unsigned levels,
                                unsigned long seed, gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    size_t k = p->k;
    if (k < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "morris needs at least one parameter");
    if (levels < 2 || levels % 2 != 0)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "morris needs an even number of levels >= 2, not %u", levels);
    if (r < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "morris needs at least 2 trajectories, not %zu", r);
    if (r > SIZE_MAX / (k + 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "%zu trajectories are too many", r);
    gs_sens_sample *s;
    gs_status st = sample_new(r * (k + 1), k, &s, err);
    if (st != GS_OK)
        return st;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_permutation *perm = gsl_permutation_alloc(k);
    unsigned *lev = malloc(k * sizeof *lev);
    if (!rng || !perm || !lev) {
        gsl_rng_free(rng);
        gsl_permutation_free(perm);
        free(lev);
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gsl_rng_set(rng, seed);
    /* Work in integer grid levels 0..p-1 so every point lies exactly on the
     * grid: delta = p / (2 (p - 1)) is p/2 levels. */
    const unsigned half = levels / 2;
    const double unit = 1.0 / (double)(levels - 1);
    for (size_t t = 0; t < r; t++) {
        double *rows = s->x + t * (k + 1) * k;
        for (size_t i = 0; i < k; i++) {
            unsigned base = (unsigned)gsl_rng_uniform_int(rng, half);
            bool up = gsl_rng_uniform_int(rng, 2) == 1;
            lev[i] = up ? base : base + half;
        }
        gsl_permutation_init(perm);
        gsl_ran_shuffle(rng, perm->data, k, sizeof(size_t));
        for (size_t i = 0; i < k; i++)
            rows[i] = scale(p, i, lev[i] * unit);
        for (size_t m = 0; m < k; m++) {
            size_t f = gsl_permutation_get(perm, m);
            lev[f] = lev[f] < half ? lev[f] + half : lev[f] - half;
            double *row = rows + (m + 1) * k;
            memcpy(row, row - k, k * sizeof *row);
            row[f] = scale(p, f, lev[f] * unit);
        }
    }
    free(lev);
    gsl_permutation_free(perm);
    gsl_rng_free(rng);
    *out = s;
    return GS_OK;
}

/* ------------------------------------------------------------------ */
/* Sobol' indices                                                       */

gs_sens_sobol_opts gs_sens_sobol_opts_default(void)
{
    return (gs_sens_sobol_opts){.second_order = false, .resamples = 1000, .conf_level = 0.95,
                                .seed = 1};
}

void gs_sens_sobol_result_free(gs_sens_sobol_result *r)
{
    if (!r)
        return;
    free(r->S1);
    free(r->S1_conf);
    free(r->ST);
    free(r->ST_conf);
    free(r->S2);
    free(r->S2_conf);
    free(r);
}

/* Outputs of one design split by role; all centred on the grand mean. */
typedef struct {
    size_t n, k;
    bool so;
    double *a, *b;   /* n */
    double *ab, *ba; /* n*k, [j*k + i] */
} sobol_data;

/* S1 (Saltelli et al. 2010), ST (Jansen 1999) and S2 (Saltelli 2002) over
 * the base rows idx[0..n-1] (idx NULL: all, in order).  s2 is k*k or NULL.
 * The variance is that of f(A) and f(B) together, divided by 2n, as SALib. */
static void sobol_estimate(const sobol_data *d, const size_t *idx, double *s1, double *st,
                           double *s2)
{
    size_t n = d->n, k = d->k;
    double sum = 0;
    for (size_t m = 0; m < n; m++) {
        size_t j = idx ? idx[m] : m;
        sum += d->a[j] + d->b[j];
    }
    double mean = sum / (2.0 * n), ss = 0;
    for (size_t m = 0; m < n; m++) {
        size_t j = idx ? idx[m] : m;
        ss += (d->a[j] - mean) * (d->a[j] - mean) + (d->b[j] - mean) * (d->b[j] - mean);
    }
    double var = ss / (2.0 * n);
    if (!(var > 0)) {
        /* No spread: the output depends on no factor in these rows. */
        for (size_t i = 0; i < k; i++)
            s1[i] = st[i] = 0;
        if (s2)
            for (size_t i = 0; i < k * k; i++)
                s2[i] = 0;
        return;
    }
    for (size_t i = 0; i < k; i++) {
        double f = 0, t = 0;
        for (size_t m = 0; m < n; m++) {
            size_t j = idx ? idx[m] : m;
            double a = d->a[j], ab = d->ab[j * k + i];
            f += d->b[j] * (ab - a);
            t += (a - ab) * (a - ab);
        }
        s1[i] = f / n / var;
        st[i] = 0.5 * t / n / var;
    }
    if (!s2)
        return;
    for (size_t i = 0; i < k; i++) {
        for (size_t l = 0; l < k; l++) {
            if (l <= i) {
                s2[i * k + l] = NAN;
                continue;
            }
            double v = 0;
            for (size_t m = 0; m < n; m++) {
                size_t j = idx ? idx[m] : m;
                v += d->ba[j * k + i] * d->ab[j * k + l] - d->a[j] * d->b[j];
            }
            s2[i * k + l] = v / n / var - s1[i] - s1[l];
        }
    }
}

static gs_status check_boot_opts(size_t resamples, double conf, gs_error *err)
{
    if (resamples < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "the bootstrap needs at least 2 resamples, not %zu", resamples);
    if (!(conf > 0 && conf < 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "confidence level %g is not between 0 and 1", conf);
    return GS_OK;
}

gs_status gs_sens_sobol_analyze(size_t k, const double *y, size_t rows,
                                const gs_sens_sobol_opts *opts, gs_sens_sobol_result **out,
                                gs_error *err)
{
    *out = NULL;
    gs_sens_sobol_opts o = opts ? *opts : gs_sens_sobol_opts_default();
    gs_status st = check_boot_opts(o.resamples, o.conf_level, err);
    if (st != GS_OK)
        return st;
    if (k < 1 || k > GS_SENS_SOBOL_MAX_PARAMS)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "sobol supports 1 to %d parameters, not %zu",
                            GS_SENS_SOBOL_MAX_PARAMS, k);
    size_t step = o.second_order ? 2 * k + 2 : k + 2;
    if (rows == 0 || rows % step != 0)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but sobol with %zu parameters needs a multiple of %zu "
                            "(N*(%s))",
                            rows, k, step, o.second_order ? "2k+2" : "k+2");
    size_t n = rows / step;
    if (n < 2)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows are one base sample; sobol needs N >= 2 (%zu rows or more)",
                            rows, 2 * step);
    double mean = 0;
    for (size_t r = 0; r < rows; r++) {
        if (!isfinite(y[r]))
            return gs_error_set(err, GS_EINPUT, NULL, (int)(r + 1),
                                "output of row %zu is not a finite number", r + 1);
        mean += (y[r] - mean) / (double)(r + 1);
    }

    sobol_data d = {.n = n, .k = k, .so = o.second_order};
    d.a = malloc(n * sizeof *d.a);
    d.b = malloc(n * sizeof *d.b);
    d.ab = malloc(n * k * sizeof *d.ab);
    d.ba = o.second_order ? malloc(n * k * sizeof *d.ba) : NULL;
    gs_sens_sobol_result *res = calloc(1, sizeof *res);
    size_t kk = o.second_order ? k * k : 0;
    size_t nest = 2 * k + kk; /* estimates per bootstrap replicate */
    double *boot = malloc(o.resamples * nest * sizeof *boot);
    double *col = malloc(o.resamples * sizeof *col);
    size_t *idx = malloc(n * sizeof *idx);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (res) {
        res->k = k;
        res->n = n;
        res->S1 = malloc(k * sizeof(double));
        res->S1_conf = malloc(k * sizeof(double));
        res->ST = malloc(k * sizeof(double));
        res->ST_conf = malloc(k * sizeof(double));
        if (o.second_order) {
            res->S2 = malloc(kk * sizeof(double));
            res->S2_conf = malloc(kk * sizeof(double));
        }
    }
    if (!d.a || !d.b || !d.ab || (o.second_order && !d.ba) || !res || !boot || !col || !idx ||
        !rng || !res->S1 || !res->S1_conf || !res->ST || !res->ST_conf ||
        (o.second_order && (!res->S2 || !res->S2_conf))) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory analysing %zu rows", rows);
        goto done;
    }

    /* Centring on the grand mean, as SALib does, keeps f(B) (f(AB) - f(A))
     * from carrying the output's mean into S1's sampling error. */
    for (size_t j = 0; j < n; j++) {
        const double *yr = y + j * step;
        d.a[j] = yr[0] - mean;
        for (size_t i = 0; i < k; i++)
            d.ab[j * k + i] = yr[1 + i] - mean;
        if (o.second_order)
            for (size_t i = 0; i < k; i++)
                d.ba[j * k + i] = yr[1 + k + i] - mean;
        d.b[j] = yr[step - 1] - mean;
    }

    sobol_estimate(&d, NULL, res->S1, res->ST, res->S2);

    gsl_rng_set(rng, o.seed);
    for (size_t b = 0; b < o.resamples; b++) {
        for (size_t m = 0; m < n; m++)
            idx[m] = (size_t)gsl_rng_uniform_int(rng, n);
        double *e = boot + b * nest;
        sobol_estimate(&d, idx, e, e + k, o.second_order ? e + 2 * k : NULL);
    }
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    for (size_t c = 0; c < nest; c++) {
        double *dst = c < k ? &res->S1_conf[c]
                    : c < 2 * k ? &res->ST_conf[c - k]
                                : &res->S2_conf[c - 2 * k];
        if (c >= 2 * k) {
            size_t i = (c - 2 * k) / k, l = (c - 2 * k) % k;
            if (l <= i) {
                *dst = NAN;
                continue;
            }
        }
        for (size_t b = 0; b < o.resamples; b++)
            col[b] = boot[b * nest + c];
        *dst = z * gsl_stats_sd(col, 1, o.resamples);
    }
    *out = res;
    res = NULL;

done:
    gsl_rng_free(rng);
    free(idx);
    free(col);
    free(boot);
    free(d.a);
    free(d.b);
    free(d.ab);
    free(d.ba);
    gs_sens_sobol_result_free(res);
    return st;
}

/* ------------------------------------------------------------------ */
/* Morris                                                               */

gs_sens_morris_opts gs_sens_morris_opts_default(void)
{
    return (gs_sens_morris_opts){.resamples = 1000, .conf_level = 0.95, .seed = 1};
}

void gs_sens_morris_result_free(gs_sens_morris_result *r)
{
    if (!r)
        return;
    free(r->mu);
    free(r->mu_star);
    free(r->sigma);
    free(r->mu_star_conf);
    free(r->ee);
    free(r);
}

/* Fills ee[t*k + i] from trajectory t; on a bad layout returns GS_EINPUT with
 * line = the 1-based row at fault. */
static gs_status morris_effects(const gs_sens_problem *p, const double *x, const double *y,
                                size_t r, double *ee, unsigned char *seen, gs_error *err)
{
    size_t k = p->k;
    for (size_t t = 0; t < r; t++) {
        memset(seen, 0, k);
        for (size_t m = 0; m < k; m++) {
            size_t row = t * (k + 1) + m; /* 0-based row before the step */
            const double *x0 = x + row * k, *x1 = x0 + k;
            size_t moved = k, nmoved = 0;
            for (size_t i = 0; i < k; i++) {
                if (x1[i] != x0[i]) {
                    moved = i;
                    nmoved++;
                }
            }
            if (nmoved != 1)
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "row %zu differs from row %zu in %zu factors, but a Morris "
                                    "trajectory (%zu rows) moves exactly one at a time",
                                    row + 2, row + 1, nmoved, k + 1);
            if (seen[moved])
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "row %zu moves '%s' a second time in trajectory %zu, but "
                                    "each factor moves once",
                                    row + 2, p->names[moved], t + 1);
            seen[moved] = 1;
            double step = (x1[moved] - x0[moved]) / (p->upper[moved] - p->lower[moved]);
            double dy = y[row + 1] - y[row];
            if (!isfinite(dy))
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "output of row %zu or %zu is not a finite number", row + 1,
                                    row + 2);
            ee[t * k + moved] = dy / step;
        }
    }
    return GS_OK;
}

gs_status gs_sens_morris_analyze(const gs_sens_problem *p, const double *x, const double *y,
                                 size_t rows, const gs_sens_morris_opts *opts,
                                 gs_sens_morris_result **out, gs_error *err)
{
    *out = NULL;
    gs_sens_morris_opts o = opts ? *opts : gs_sens_morris_opts_default();
    gs_status st = check_boot_opts(o.resamples, o.conf_level, err);
    if (st != GS_OK)
        return st;
    size_t k = p->k;
    if (k < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "morris needs at least one parameter");
    if (rows == 0 || rows % (k + 1) != 0)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but morris with %zu parameters needs a multiple of %zu "
                            "(r*(k+1))",
                            rows, k, k + 1);
    size_t r = rows / (k + 1);
    if (r < 2)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows are one trajectory; morris needs r >= 2 (%zu rows or more)",
                            rows, 2 * (k + 1));

    gs_sens_morris_result *res = calloc(1, sizeof *res);
    unsigned char *seen = malloc(k);
    double *col = malloc((r > o.resamples ? r : o.resamples) * sizeof *col);
    double *boot = malloc(o.resamples * k * sizeof *boot);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (res) {
        res->k = k;
        res->r = r;
        res->mu = malloc(k * sizeof(double));
        res->mu_star = malloc(k * sizeof(double));
        res->sigma = malloc(k * sizeof(double));
        res->mu_star_conf = malloc(k * sizeof(double));
        res->ee = malloc(r * k * sizeof(double));
    }
    if (!res || !seen || !col || !boot || !rng || !res->mu || !res->mu_star || !res->sigma ||
        !res->mu_star_conf || !res->ee) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory analysing %zu rows", rows);
        goto done;
    }
    st = morris_effects(p, x, y, r, res->ee, seen, err);
    if (st != GS_OK)
        goto done;

    for (size_t i = 0; i < k; i++) {
        for (size_t t = 0; t < r; t++)
            col[t] = res->ee[t * k + i];
        res->mu[i] = gsl_stats_mean(col, 1, r);
        res->sigma[i] = gsl_stats_sd_m(col, 1, r, res->mu[i]);
        res->mu_star[i] = gsl_stats_absdev_m(col, 1, r, 0.0);
    }

    /* One set of resampled trajectories serves every factor, as in SALib. */
    gsl_rng_set(rng, o.seed);
    for (size_t b = 0; b < o.resamples; b++) {
        double *e = boot + b * k;
        for (size_t i = 0; i < k; i++)
            e[i] = 0;
        for (size_t m = 0; m < r; m++) {
            size_t t = (size_t)gsl_rng_uniform_int(rng, r);
            for (size_t i = 0; i < k; i++)
                e[i] += fabs(res->ee[t * k + i]);
        }
        for (size_t i = 0; i < k; i++)
            e[i] /= (double)r;
    }
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    for (size_t i = 0; i < k; i++)
        res->mu_star_conf[i] = z * gsl_stats_sd(boot + i, k, o.resamples);
    *out = res;
    res = NULL;

done:
    gsl_rng_free(rng);
    free(boot);
    free(col);
    free(seen);
    gs_sens_morris_result_free(res);
    return st;
}
