/* Sobol' indices (Saltelli design) and Morris elementary effects. */
#include "gs_sens.h"
#include "gs_sens_impl.h"
#include "gs_csv.h"
#include "gs_util.h"

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
#include <sys/stat.h>
#include <sys/types.h>

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
    if (p->group_names)
        for (size_t g = 0; g < p->n_groups; g++)
            free(p->group_names[g]);
    free(p->group_names);
    free(p->names);
    free(p->lower);
    free(p->upper);
    free(p->dist);
    free(p->group);
    free(p->lines);
    free(p);
}

/* ---- distributions, as SALib reads the two numbers of a line ---- */

static double triang_quantile(double c, double peak, double u)
{
    /* start 0, end c, mode peak * c */
    if (u < peak)
        return c * sqrt(u * peak);
    return c * (1 - sqrt((1 - u) * (1 - peak)));
}

static double triang_cdf(double c, double peak, double x)
{
    double t = x / c;
    if (t <= 0)
        return 0;
    if (t >= 1)
        return 1;
    return t < peak ? t * t / peak : 1 - (1 - t) * (1 - t) / (1 - peak);
}

static double unif_q(double a, double b, double u)
{
    double v = a + (b - a) * u;
    /* a + (b - a) can round one ulp past b */
    return v > b ? b : v;
}
static double unif_c(double a, double b, double x) { return (x - a) / (b - a); }
static double triang_q(double a, double b, double u) { return triang_quantile(a, b, u); }
static double triang_c(double a, double b, double x) { return triang_cdf(a, b, x); }
static double norm_q(double a, double b, double u) { return a + gsl_cdf_gaussian_Pinv(u, b); }
static double norm_c(double a, double b, double x) { return gsl_cdf_gaussian_P(x - a, b); }
static double lognorm_q(double a, double b, double u)
{
    return exp(a + gsl_cdf_gaussian_Pinv(u, b));
}
static double lognorm_c(double a, double b, double x)
{
    return x > 0 ? gsl_cdf_gaussian_P(log(x) - a, b) : 0;
}
static double logunif_q(double a, double b, double u)
{
    double v = exp(log(a) + (log(b) - log(a)) * u);
    return v > b ? b : v < a ? a : v;
}
static double logunif_c(double a, double b, double x)
{
    return (log(x) - log(a)) / (log(b) - log(a));
}

/* NULL when b1, b2 suit the distribution, else what is wrong. */
static const char *unif_ok(double a, double b)
{
    if (!(a < b))
        return "lower bound is not below the upper bound";
    /* Samples are a + (b - a) u: an infinite width makes every one of them
     * an end point. */
    return isfinite(b - a) ? NULL : "the width upper - lower overflows a double";
}
static const char *triang_ok(double a, double b)
{
    return a > 0 && b >= 0 && b < 1 ? NULL
                                    : "triang needs an upper end > 0 and a peak in [0, 1)";
}
static const char *scale_ok(double a, double b)
{
    (void)a;
    return b > 0 ? NULL : "standard deviation is not above 0";
}
static const char *logunif_ok(double a, double b)
{
    return a > 0 && a < b ? NULL : "logunif needs 0 < lower < upper";
}

typedef struct {
    const char *name;
    bool bounded;
    const char *(*ok)(double b1, double b2);
    double (*quantile)(double b1, double b2, double u);
    double (*cdf)(double b1, double b2, double x);
    double (*lo)(double b1, double b2); /* support */
    double (*hi)(double b1, double b2);
} dist_type;

static double first(double a, double b) { (void)b; return a; }
static double second(double a, double b) { (void)a; return b; }
static double zero(double a, double b) { (void)a; (void)b; return 0; }
static double minus_inf(double a, double b) { (void)a; (void)b; return -INFINITY; }
static double plus_inf(double a, double b) { (void)a; (void)b; return INFINITY; }

static const dist_type dists[GS_SENS_NDIST] = {
    [GS_SENS_UNIF] = {"unif", true, unif_ok, unif_q, unif_c, first, second},
    [GS_SENS_TRIANG] = {"triang", true, triang_ok, triang_q, triang_c, zero, first},
    [GS_SENS_NORM] = {"norm", false, scale_ok, norm_q, norm_c, minus_inf, plus_inf},
    [GS_SENS_LOGNORM] = {"lognorm", false, scale_ok, lognorm_q, lognorm_c, zero, plus_inf},
    [GS_SENS_LOGUNIF] = {"logunif", true, logunif_ok, logunif_q, logunif_c, first, second},
};

const char *gs_sens_dist_name(gs_sens_dist d)
{
    return d < GS_SENS_NDIST ? dists[d].name : "?";
}

double gs_sens_value(const gs_sens_problem *p, size_t i, double u)
{
    return dists[p->dist[i]].quantile(p->lower[i], p->upper[i], u);
}

double gs_sens_unit(const gs_sens_problem *p, size_t i, double x)
{
    return dists[p->dist[i]].cdf(p->lower[i], p->upper[i], x);
}

bool gs_sens_bounded(const gs_sens_problem *p)
{
    for (size_t i = 0; i < p->k; i++)
        if (!dists[p->dist[i]].bounded)
            return false;
    return true;
}

bool gs_sens_has_groups(const gs_sens_problem *p)
{
    return p->group_names != NULL && p->n_groups < p->k;
}

const char *gs_sens_group_name(const gs_sens_problem *p, size_t g)
{
    return p->group_names ? p->group_names[g] : p->names[g];
}

static gs_status problem_grow(gs_sens_problem *p, gs_error *err)
{
    if (p->k < p->cap)
        return GS_OK;
    size_t cap = p->cap ? 2 * p->cap : 8;
    bool ok = true;
#define GROW(field)                                                    \
    do {                                                               \
        void *q = realloc(p->field, cap * sizeof *p->field);           \
        if (q)                                                         \
            p->field = q;                                              \
        else                                                           \
            ok = false;                                                \
    } while (0)
    GROW(names);
    GROW(lower);
    GROW(upper);
    GROW(dist);
    GROW(group);
    GROW(lines);
#undef GROW
    if (!ok)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for %zu parameters", cap);
    p->cap = cap;
    return GS_OK;
}

/* The index of group name g, added when new.  Groups are numbered in the
 * order they first appear, as SALib does. */
static gs_status group_index(gs_sens_problem *p, const char *g, size_t *out, gs_error *err)
{
    if (!p->group_names) {
        /* So far every factor was its own group: name them. */
        char **gn = malloc((p->k + 1) * sizeof *gn);
        if (!gn)
            return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; i < p->k; i++) {
            gn[i] = gs_strdup(p->names[i]);
            if (!gn[i]) {
                while (i > 0)
                    free(gn[--i]);
                free(gn);
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            }
        }
        p->group_names = gn;
        p->n_groups = p->k;
    }
    for (size_t j = 0; j < p->n_groups; j++) {
        if (strcmp(p->group_names[j], g) == 0) {
            *out = j;
            return GS_OK;
        }
    }
    char **gn = realloc(p->group_names, (p->n_groups + 1) * sizeof *gn);
    if (!gn)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    p->group_names = gn;
    gn[p->n_groups] = gs_strdup(g);
    if (!gn[p->n_groups])
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    *out = p->n_groups++;
    return GS_OK;
}

static gs_status problem_add_at(gs_sens_problem *p, const char *name, double lower,
                                double upper, const char *group, const char *dist,
                                const char *file, int line, gs_error *err)
{
    if (!name || !name[0])
        return gs_error_set(err, GS_EINPUT, file, line, "empty parameter name");
    size_t d = GS_SENS_UNIF;
    if (dist) {
        for (d = 0; d < GS_SENS_NDIST; d++)
            if (strcmp(dists[d].name, dist) == 0)
                break;
        if (d == GS_SENS_NDIST)
            return gs_error_set(err, GS_EINPUT, file, line,
                                "unknown distribution '%s' of '%s' (expected unif, triang, norm, "
                                "lognorm or logunif)",
                                dist, name);
    }
    if (!isfinite(lower) || !isfinite(upper))
        return gs_error_set(err, GS_EINPUT, file, line,
                            "bounds of '%s' must be finite numbers", name);
    if (d == GS_SENS_UNIF && !(lower < upper))
        return gs_error_set(err, GS_EINPUT, file, line,
                            "lower bound %.17g of '%s' is not below its upper bound %.17g",
                            lower, name, upper);
    const char *why = dists[d].ok(lower, upper);
    if (why)
        return gs_error_set(err, GS_EINPUT, file, line, "%s '%s' %.17g %.17g: %s",
                            dists[d].name, name, lower, upper, why);
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
    char *copy = gs_strdup(name);
    if (!copy)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    /* SALib: no group, or "NA", is the factor's own group. */
    const char *g = (group && group[0] && strcmp(group, "NA") != 0) ? group : name;
    size_t gi = p->k;
    if (g != name || p->group_names) {
        p->names[p->k] = copy; /* group_index names the groups so far from names */
        st = group_index(p, g, &gi, err);
        if (st != GS_OK) {
            free(copy);
            return st;
        }
    } else {
        p->n_groups = p->k + 1;
    }
    p->names[p->k] = copy;
    p->lower[p->k] = lower;
    p->upper[p->k] = upper;
    p->dist[p->k] = (unsigned char)d;
    p->group[p->k] = gi;
    p->lines[p->k] = line;
    p->k++;
    return GS_OK;
}

gs_status gs_sens_problem_add(gs_sens_problem *p, const char *name, double lower,
                              double upper, gs_error *err)
{
    return problem_add_at(p, name, lower, upper, NULL, NULL, NULL, 0, err);
}

gs_status gs_sens_problem_add_full(gs_sens_problem *p, const char *name, double b1, double b2,
                                   const char *group, const char *dist, gs_error *err)
{
    return problem_add_at(p, name, b1, b2, group, dist, NULL, 0, err);
}

static bool parse_double(const char *s, double *out)
{
    if (!s[0])
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    /* ERANGE on underflow still gives the nearest double (a subnormal or
     * zero); only an overflow has no value. */
    if (*end != '\0' || (errno == ERANGE && isinf(v)))
        return false;
    *out = v;
    return true;
}

gs_status gs_sens_problem_read(const char *path, char delim, gs_sens_problem **out,
                               gs_error *err)
{
    *out = NULL;
    gs_csv text;
    gs_status st = gs_csv_read_text(&text, path, delim, "a problem file", err);
    if (st != GS_OK)
        return st;
    gs_sens_problem *p = gs_sens_problem_new();
    if (!p)
        st = gs_error_set(err, GS_ENOMEM, path, 0, "out of memory");
    for (size_t r = 0; r < text.nrows && st == GS_OK; r++) {
        char *const *fld = text.rows[r].f;
        size_t nf = text.rows[r].n;
        int lineno = (int)text.rows[r].line;
        double lo, hi;
        if (nf < 3 || nf > 5)
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "expected 3 to 5 columns (name lower upper [group] [dist]), "
                              "found %zu",
                              nf);
        else if (!parse_double(fld[1], &lo))
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "lower bound '%s' of '%s' is not a number", fld[1], fld[0]);
        else if (!parse_double(fld[2], &hi))
            st = gs_error_set(err, GS_EINPUT, path, lineno,
                              "upper bound '%s' of '%s' is not a number", fld[2], fld[0]);
        else
            st = problem_add_at(p, fld[0], lo, hi, nf > 3 ? fld[3] : NULL,
                                nf > 4 ? fld[4] : NULL, path, lineno, err);
    }
    gs_csv_free(&text);
    if (st == GS_OK && p->k == 0)
        st = gs_error_set(err, GS_EINPUT, path, 0,
                          "no parameters (expected lines of 'name lower upper')");
    /* SALib: one group for every factor leaves nothing to tell apart. */
    if (st == GS_OK && p->k > 1 && p->n_groups == 1)
        st = gs_error_set(err, GS_EINPUT, path, 0,
                          "every parameter is in group '%s': groups need at least two",
                          p->group_names[0]);
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

gs_status gs_sens_sample_new_(size_t rows, size_t k, gs_sens_sample **out, gs_error *err)
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
    return gs_sens_value(p, i, u);
}

gs_status gs_sens_sobol_sample(const gs_sens_problem *p, size_t n, bool second_order,
                               unsigned long seed, gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    size_t k = p->k, D = p->n_groups;
    if (k < 1 || k > GS_SENS_SOBOL_MAX_PARAMS)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "sobol supports 1 to %d parameters (GSL's Sobol' sequence has at "
                            "most 40 dimensions and the design needs 2k), not %zu",
                            GS_SENS_SOBOL_MAX_PARAMS, k);
    if (n < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "sobol needs N >= 2 base samples, not %zu", n);
    size_t step = second_order ? 2 * D + 2 : D + 2;
    if (n > SIZE_MAX / step)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "N = %zu is too large", n);
    gs_sens_sample *s;
    gs_status st = gs_sens_sample_new_(n * step, k, &s, err);
    if (st != GS_OK)
        return st;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!q || !rng) {
        gsl_qrng_free(q);
        gsl_rng_free(rng);
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "cannot allocate the Sobol' sequence");
    }
    gsl_rng_set(rng, seed);
    double shift[2 * GS_SENS_SOBOL_MAX_PARAMS];
    for (size_t c = 0; c < 2 * k; c++)
        shift[c] = gsl_rng_uniform_pos(rng);
    double u[2 * GS_SENS_SOBOL_MAX_PARAMS];
    for (size_t j = 0; j < n; j++) {
        gsl_qrng_get(q, u);
        for (size_t c = 0; c < 2 * k; c++) {
            u[c] += shift[c];
            if (u[c] >= 1)
                u[c] -= 1;
            /* The ends map to infinity under an unbounded quantile. */
            if (u[c] <= 0)
                u[c] = 0x1p-53;
        }
        const double *a = u, *b = u + k;
        double *row = s->x + j * step * k;
        size_t r = 0;
        for (size_t c = 0; c < k; c++)
            row[r * k + c] = scale(p, c, a[c]);
        r++;
        for (size_t g = 0; g < D; g++, r++)
            for (size_t c = 0; c < k; c++)
                row[r * k + c] = scale(p, c, p->group[c] == g ? b[c] : a[c]);
        if (second_order)
            for (size_t g = 0; g < D; g++, r++)
                for (size_t c = 0; c < k; c++)
                    row[r * k + c] = scale(p, c, p->group[c] == g ? a[c] : b[c]);
        for (size_t c = 0; c < k; c++)
            row[r * k + c] = scale(p, c, b[c]);
    }
    gsl_rng_free(rng);
    gsl_qrng_free(q);
    *out = s;
    return GS_OK;
}

/* Rows of the Saltelli block j that should equal A_j or B_j in column c. */
gs_status gs_sens_sobol_check_design(const gs_sens_problem *p, const double *x, size_t rows,
                                     bool second_order, gs_error *err)
{
    size_t k = p->k, D = p->n_groups;
    size_t step = second_order ? 2 * D + 2 : D + 2, other = second_order ? D + 2 : 2 * D + 2;
    const char *what = second_order ? "with" : "without";
    if (rows % step != 0)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but a sobol design %s second order for %zu %s needs a "
                            "multiple of %zu%s",
                            rows, what, D, gs_sens_has_groups(p) ? "groups" : "parameters", step,
                            rows % other == 0 ? " (they fit the other order)" : "");
    for (size_t j = 0; j < rows / step; j++) {
        const double *a = x + j * step * k, *b = a + (step - 1) * k;
        for (size_t r = 1; r + 1 < step; r++) {
            const double *row = a + r * k;
            bool ab = r <= D;
            size_t g = ab ? r - 1 : r - 1 - D;
            for (size_t c = 0; c < k; c++) {
                bool from_b = (p->group[c] == g) == ab;
                double want = from_b ? b[c] : a[c];
                if (row[c] != want) {
                    size_t line = j * step + r + 1;
                    return gs_error_set(
                        err, GS_EINPUT, NULL, (int)line,
                        "row %zu is not %s_%zu of a sobol design %s second order: column %zu "
                        "should repeat the %s row of its block (rows %zu to %zu)%s",
                        line, ab ? "AB" : "BA", g + 1, what, c + 1, from_b ? "last" : "first",
                        j * step + 1, (j + 1) * step,
                        rows % other == 0 ? "; was it sampled with the other --max-order?" : "");
                }
            }
        }
    }
    return GS_OK;
}

gs_status gs_sens_check_sample(const gs_sens_problem *p, const double *x, size_t rows,
                               gs_error *err)
{
    for (size_t r = 0; r < rows; r++) {
        for (size_t i = 0; i < p->k; i++) {
            const dist_type *d = &dists[p->dist[i]];
            double v = x[r * p->k + i], lo = d->lo(p->lower[i], p->upper[i]),
                   hi = d->hi(p->lower[i], p->upper[i]);
            if (!(v >= lo && v <= hi))
                return gs_error_set(err, GS_EINPUT, NULL, (int)(r + 1),
                                    "value %.17g of '%s' is outside its %s support [%g, %g]: "
                                    "is this sample from another problem?",
                                    v, p->names[i], d->name, lo, hi);
        }
    }
    return GS_OK;
}

/* One Morris trajectory into rows (D + 1 rows of k), from integer grid
 * levels 0..levels-1 so every point lies exactly on the grid: delta =
 * p / (2 (p - 1)) is p/2 levels. */
static void morris_trajectory(const gs_sens_problem *p, unsigned levels, gsl_rng *rng,
                              gsl_permutation *perm, unsigned *lev, double *rows)
{
    size_t k = p->k, D = p->n_groups;
    const unsigned half = levels / 2;
    const double unit = 1.0 / (double)(levels - 1);
    for (size_t i = 0; i < k; i++) {
        unsigned base = (unsigned)gsl_rng_uniform_int(rng, half);
        bool up = gsl_rng_uniform_int(rng, 2) == 1;
        lev[i] = up ? base : base + half;
    }
    gsl_permutation_init(perm);
    gsl_ran_shuffle(rng, perm->data, D, sizeof(size_t));
    for (size_t i = 0; i < k; i++)
        rows[i] = scale(p, i, lev[i] * unit);
    for (size_t m = 0; m < D; m++) {
        size_t g = gsl_permutation_get(perm, m);
        double *row = rows + (m + 1) * k;
        memcpy(row, row - k, k * sizeof *row);
        for (size_t f = 0; f < k; f++) {
            if (p->group[f] != g)
                continue;
            lev[f] = lev[f] < half ? lev[f] + half : lev[f] - half;
            row[f] = scale(p, f, lev[f] * unit);
        }
    }
}

static gs_status morris_check(const gs_sens_problem *p, size_t r, unsigned levels, gs_error *err)
{
    if (p->k < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "morris needs at least one parameter");
    if (levels < 2 || levels % 2 != 0)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "morris needs an even number of levels >= 2, not %u", levels);
    if (r < 2)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "morris needs at least 2 trajectories, not %zu", r);
    if (r > SIZE_MAX / (p->n_groups + 1) / (p->k + 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "%zu trajectories are too many", r);
    for (size_t i = 0; i < p->k; i++)
        if (!dists[p->dist[i]].bounded)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "morris moves '%s' between the ends of its range, but a %s "
                                "distribution has none (use unif, triang or logunif)",
                                p->names[i], dists[p->dist[i]].name);
    return GS_OK;
}

static gs_status morris_draw(const gs_sens_problem *p, size_t r, unsigned levels,
                             unsigned long seed, gs_sens_sample **out, gs_error *err)
{
    *out = NULL;
    gs_status st = morris_check(p, r, levels, err);
    if (st != GS_OK)
        return st;
    size_t k = p->k, D = p->n_groups;
    gs_sens_sample *s;
    st = gs_sens_sample_new_(r * (D + 1), k, &s, err);
    if (st != GS_OK)
        return st;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_permutation *perm = gsl_permutation_alloc(D);
    unsigned *lev = malloc(k * sizeof *lev);
    if (!rng || !perm || !lev) {
        gsl_rng_free(rng);
        gsl_permutation_free(perm);
        free(lev);
        gs_sens_sample_free(s);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gsl_rng_set(rng, seed);
    for (size_t t = 0; t < r; t++)
        morris_trajectory(p, levels, rng, perm, lev, s->x + t * (D + 1) * k);
    free(lev);
    gsl_permutation_free(perm);
    gsl_rng_free(rng);
    *out = s;
    return GS_OK;
}

gs_status gs_sens_morris_sample(const gs_sens_problem *p, size_t r, unsigned levels,
                                unsigned long seed, gs_sens_sample **out, gs_error *err)
{
    return morris_draw(p, r, levels, seed, out, err);
}

/* Campolongo et al.'s distance between trajectories a and b: the sum of the
 * Euclidean distances between every point of one and every point of the
 * other, in unit scale. */
static double traj_distance(const gs_sens_problem *p, const double *u, size_t a, size_t b)
{
    size_t k = p->k, rows = p->n_groups + 1;
    const double *ta = u + a * rows * k, *tb = u + b * rows * k;
    double d = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < rows; j++) {
            double s = 0;
            for (size_t c = 0; c < k; c++) {
                double e = ta[i * k + c] - tb[j * k + c];
                s += e * e;
            }
            d += sqrt(s);
        }
    return d;
}

gs_status gs_sens_morris_optimal(const gs_sens_problem *p, size_t candidates, size_t r,
                                 unsigned levels, unsigned long seed, gs_sens_sample **out,
                                 gs_error *err)
{
    *out = NULL;
    if (r >= candidates)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "optimal trajectories choose r from more candidates: %zu of %zu",
                            r, candidates);
    if (candidates > 10000)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "%zu candidate trajectories are too many to compare pairwise (at "
                            "most 10000)",
                            candidates);
    gs_sens_sample *all = NULL;
    gs_status st = morris_draw(p, candidates, levels, seed, &all, err);
    if (st != GS_OK)
        return st;
    size_t k = p->k, rows = p->n_groups + 1, M = candidates;
    double *u = malloc(all->rows * k * sizeof *u);
    double *d2 = malloc(M * M * sizeof *d2);
    size_t *pick = malloc(r * sizeof *pick);
    unsigned char *in = calloc(M, 1);
    gs_sens_sample *s = NULL;
    if (!u || !d2 || !pick || !in) {
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory for %zu candidates", M);
        goto done;
    }
    for (size_t row = 0; row < all->rows; row++)
        for (size_t c = 0; c < k; c++)
            u[row * k + c] = gs_sens_unit(p, c, all->x[row * k + c]);
    for (size_t a = 0; a < M; a++) {
        d2[a * M + a] = 0;
        for (size_t b = a + 1; b < M; b++) {
            double d = traj_distance(p, u, a, b);
            d2[a * M + b] = d2[b * M + a] = d * d;
        }
    }
    /* Start from the pair furthest apart (the first such, for reproducible
     * ties), add the candidate that adds most, then swap while it gains. */
    size_t ba = 0, bb = 1;
    for (size_t a = 0; a < M; a++)
        for (size_t b = a + 1; b < M; b++)
            if (d2[a * M + b] > d2[ba * M + bb]) {
                ba = a;
                bb = b;
            }
    pick[0] = ba;
    pick[1] = bb;
    in[ba] = in[bb] = 1;
    for (size_t n = 2; n < r; n++) {
        size_t best = M;
        double gain = -1;
        for (size_t c = 0; c < M; c++) {
            if (in[c])
                continue;
            double g = 0;
            for (size_t m = 0; m < n; m++)
                g += d2[c * M + pick[m]];
            if (g > gain) {
                gain = g;
                best = c;
            }
        }
        pick[n] = best;
        in[best] = 1;
    }
    for (int pass = 0; pass < 100; pass++) {
        bool improved = false;
        for (size_t m = 0; m < r; m++) {
            double cur = 0;
            for (size_t l = 0; l < r; l++)
                if (l != m)
                    cur += d2[pick[m] * M + pick[l]];
            for (size_t c = 0; c < M; c++) {
                if (in[c])
                    continue;
                double g = 0;
                for (size_t l = 0; l < r; l++)
                    if (l != m)
                        g += d2[c * M + pick[l]];
                if (g > cur * (1 + 1e-12)) {
                    in[pick[m]] = 0;
                    in[c] = 1;
                    pick[m] = c;
                    cur = g;
                    improved = true;
                }
            }
        }
        if (!improved)
            break;
    }
    st = gs_sens_sample_new_(r * rows, k, &s, err);
    if (st != GS_OK)
        goto done;
    for (size_t m = 0; m < r; m++)
        memcpy(s->x + m * rows * k, all->x + pick[m] * rows * k, rows * k * sizeof(double));
    *out = s;

done:
    free(in);
    free(pick);
    free(d2);
    free(u);
    gs_sens_sample_free(all);
    return st;
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
    free(r->note);
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
static double sobol_estimate(const sobol_data *d, const size_t *idx, double *s1, double *st,
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
        /* No spread: the ratios are 0 / 0. */
        for (size_t i = 0; i < k; i++)
            s1[i] = st[i] = NAN;
        if (s2)
            for (size_t i = 0; i < k * k; i++)
                s2[i] = NAN;
        return var;
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
        return var;
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
    return var;
}

gs_status gs_sens_check_boot_(size_t resamples, double conf, gs_error *err)
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
    gs_status st = gs_sens_check_boot_(o.resamples, o.conf_level, err);
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
        res->note = calloc(k, sizeof *res->note);
        if (o.second_order) {
            res->S2 = malloc(kk * sizeof(double));
            res->S2_conf = malloc(kk * sizeof(double));
        }
    }
    if (!d.a || !d.b || !d.ab || (o.second_order && !d.ba) || !res || !boot || !col || !idx ||
        !rng || !res->S1 || !res->S1_conf || !res->ST || !res->ST_conf || !res->note ||
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

    double var = sobol_estimate(&d, NULL, res->S1, res->ST, res->S2);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + o.conf_level / 2);
    if (!(var > 0)) {
        for (size_t c = 0; c < k; c++) {
            res->S1_conf[c] = res->ST_conf[c] = NAN;
            res->note[c] =
                "the output does not vary over the A and B rows: no variance to share out";
        }
        for (size_t c = 0; c < kk; c++)
            res->S2_conf[c] = NAN;
        *out = res;
        res = NULL;
        goto done;
    }

    /* A resample that holds (almost) none of the variance of the A and B
     * rows divides the spread of the other rows by next to nothing; such
     * replicates estimate nothing and are left out, and counted. */
    gsl_rng_set(rng, o.seed);
    size_t kept = 0;
    for (size_t b = 0; b < o.resamples; b++) {
        for (size_t m = 0; m < n; m++)
            idx[m] = (size_t)gsl_rng_uniform_int(rng, n);
        double *e = boot + kept * nest;
        double vb = sobol_estimate(&d, idx, e, e + k, o.second_order ? e + 2 * k : NULL);
        if (vb > 1e-6 * var)
            kept++;
    }
    res->dropped = o.resamples - kept;
    bool no_conf = kept < 2 || 2 * kept < o.resamples;
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
        if (no_conf) {
            *dst = NAN;
            continue;
        }
        for (size_t b = 0; b < kept; b++)
            col[b] = boot[b * nest + c];
        *dst = z * gsl_stats_sd(col, 1, kept);
    }
    for (size_t i = 0; i < k; i++) {
        if (no_conf) {
            res->note[i] = "most bootstrap resamples hold no output variance: no interval (more "
                           "base samples needed)";
            continue;
        }
        /* An index is a share of variance: an estimate outside [0, 1] by
         * more than its interval is the estimator failing, not a value. */
        double *est[2] = {&res->S1[i], &res->ST[i]}, *cf[2] = {&res->S1_conf[i], &res->ST_conf[i]};
        for (int q = 0; q < 2; q++) {
            if (*est[q] - *cf[q] > 1 || *est[q] + *cf[q] < 0) {
                *est[q] = *cf[q] = NAN;
                res->note[i] = "estimate outside [0, 1] beyond its interval: too few base "
                               "samples for this output";
            } else if (*cf[q] > 0.5) {
                /* An interval of +/- 0.5 or more covers every share from 0
                 * to 1: the estimate says nothing (rare events, N small). */
                *est[q] = *cf[q] = NAN;
                res->note[i] = "95 % interval wider than the whole range [0, 1]: too few base "
                               "samples for this output";
            }
        }
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

/* Fills ee[t*D + g] from trajectory t; on a bad layout returns GS_EINPUT
 * with line = the 1-based row at fault.  seen holds D flags, moved k. */
static gs_status morris_effects(const gs_sens_problem *p, const double *x, const double *y,
                                size_t r, double *ee, unsigned char *seen, unsigned char *moved,
                                gs_error *err)
{
    size_t k = p->k, D = p->n_groups;
    bool groups = gs_sens_has_groups(p);
    for (size_t t = 0; t < r; t++) {
        memset(seen, 0, D);
        for (size_t m = 0; m < D; m++) {
            size_t row = t * (D + 1) + m; /* 0-based row before the step */
            const double *x0 = x + row * k, *x1 = x0 + k;
            size_t first = k, nmoved = 0;
            for (size_t i = 0; i < k; i++) {
                moved[i] = x1[i] != x0[i];
                if (moved[i]) {
                    if (first == k)
                        first = i;
                    nmoved++;
                }
            }
            if (!groups && nmoved != 1)
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "row %zu differs from row %zu in %zu factors, but a Morris "
                                    "trajectory (%zu rows) moves exactly one at a time",
                                    row + 2, row + 1, nmoved, k + 1);
            if (first == k)
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "row %zu equals row %zu, but each step of a Morris "
                                    "trajectory (%zu rows) moves one group",
                                    row + 2, row + 1, D + 1);
            size_t g = p->group[first];
            for (size_t i = 0; i < k; i++)
                if (moved[i] != (p->group[i] == g))
                    return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                        "row %zu moves group '%s' but %s '%s', while a step of a "
                                        "Morris trajectory with groups moves every factor of one "
                                        "group and no other",
                                        row + 2, gs_sens_group_name(p, g),
                                        moved[i] ? "also" : "not", p->names[i]);
            if (seen[g])
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "row %zu moves '%s' a second time in trajectory %zu, but "
                                    "each %s moves once",
                                    row + 2, gs_sens_group_name(p, g), t + 1,
                                    groups ? "group" : "factor");
            seen[g] = 1;
            /* The step in unit scale; a group's factors all move by delta. */
            double step = p->dist[first] == GS_SENS_UNIF
                              ? (x1[first] - x0[first]) / (p->upper[first] - p->lower[first])
                              : gs_sens_unit(p, first, x1[first]) -
                                    gs_sens_unit(p, first, x0[first]);
            if (groups)
                step = fabs(step);
            double dy = y[row + 1] - y[row];
            if (!isfinite(dy))
                return gs_error_set(err, GS_EINPUT, NULL, (int)(row + 2),
                                    "output of row %zu or %zu is not a finite number", row + 1,
                                    row + 2);
            ee[t * D + g] = dy / step;
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
    gs_status st = gs_sens_check_boot_(o.resamples, o.conf_level, err);
    if (st != GS_OK)
        return st;
    size_t K = p->k, k = p->n_groups;
    bool groups = gs_sens_has_groups(p);
    if (K < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "morris needs at least one parameter");
    if (rows == 0 || rows % (k + 1) != 0)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows, but morris with %zu %s needs a multiple of %zu "
                            "(r*(%s+1))",
                            rows, k, groups ? "groups" : "parameters", k + 1,
                            groups ? "g" : "k");
    size_t r = rows / (k + 1);
    if (r < 2)
        return gs_error_set(err, GS_EINPUT, NULL, 0,
                            "%zu rows are one trajectory; morris needs r >= 2 (%zu rows or more)",
                            rows, 2 * (k + 1));

    gs_sens_morris_result *res = calloc(1, sizeof *res);
    unsigned char *seen = malloc(k + K);
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
    st = morris_effects(p, x, y, r, res->ee, seen, seen + k, err);
    if (st != GS_OK)
        goto done;

    for (size_t i = 0; i < k; i++) {
        for (size_t t = 0; t < r; t++)
            col[t] = res->ee[t * k + i];
        res->mu[i] = gsl_stats_mean(col, 1, r);
        res->sigma[i] = gsl_stats_sd_m(col, 1, r, res->mu[i]);
        res->mu_star[i] = gsl_stats_absdev_m(col, 1, r, 0.0);
        if (groups)
            res->mu[i] = res->sigma[i] = NAN;
    }
    if (groups)
        res->note = "a group's factors move in their own directions, so its effects have no "
                    "sign: only mu_star is defined";
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
