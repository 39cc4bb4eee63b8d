/* calib.c: approximate Bayesian calibration of a scenario's parameters
 * (gapsim.h, docs/calibration.md).
 *
 * The data a trajectory is compared on are the observations the backtest
 * scores (gs_backtest_plan: the same variables, bases and year window), each
 * simulated as the backtest's forecast is convolved: the model's value plus
 * the observation's error N(0, sd), the error drawn once per trajectory slot
 * and observation and shared by every parameter vector.  A trajectory's
 * distance is the root mean square of its residuals, each divided by the
 * spread the prior predicts for it (1.4826 MAD of the prior population's
 * simulated values; their sd when the MAD is 0), so that no observation
 * counts for more because of its unit.
 *
 * Why not the backtest's CRPS of the batch as the distance: a distance
 * between a forecast distribution and the data has a minimiser, and ABC on
 * it concentrates on that one parameter vector as the tolerance falls rather
 * than on the posterior.  A per-trajectory distance is ABC proper: as the
 * tolerance falls the weighted population tends to the posterior given the
 * observations under the sd error model (Wilkinson 2013).
 *
 * Determinism: every random draw of the sampler comes from a stream seeded by
 * (seed, generation, vector, purpose); vectors are run in parallel and their
 * results written to their own slots, so the thread count changes nothing. */
#include "gs_calib.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "gs_engine.h"
#include "gs_job.h"
#include "gs_util.h"

void gs_calib_opts_default(gs_calib_opts *o)
{
    memset(o, 0, sizeof *o);
    o->method = GS_CALIB_ABC_SMC;
    o->population = 200;
    o->trajectories = 16;
    o->seed = 1;
    o->threads = 1;
    o->max_generations = 20;
    o->max_moves = 5;
    o->ess_keep = 0; /* 0: the method's default */
    o->min_acceptance = 0.01;
}

static const char *const method_names[] = {"abc-smc", "importance"};

int gs_calib_method_from_name(const char *name)
{
    for (int i = 0; i < 2; i++)
        if (strcmp(name, method_names[i]) == 0)
            return i;
    return -1;
}

const char *gs_calib_method_name(gs_calib_method m) { return method_names[m]; }

/* ------------------------------------------------------------- streams */

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

enum { S_PRIOR = 1, S_MOVE, S_RESAMPLE, S_RUN, S_PILOT };

static unsigned long calib_stream(uint64_t seed, uint64_t gen, uint64_t k, unsigned what)
{
    uint64_t h = mix64(seed ^ 0x63616c6962ULL); /* "calib" */
    h = mix64(h ^ gen);
    h = mix64(h ^ k);
    h = mix64(h ^ what);
    return (unsigned long)(h >> 32);
}

/* -------------------------------------------------------- parameters */

/* Normal scores to parameter values, the copula applied as a run does. */
static void scores_to_values(const gs_calib *c, const double *z, double *th)
{
    double u[GS_MAX_DIMS];
    for (size_t i = 0; i < c->np; i++) {
        double p = gsl_cdf_ugaussian_P(z[i]);
        u[i] = p < 0x1p-53 ? 0x1p-53 : p > 1 - 0x1p-53 ? 1 - 0x1p-53 : p;
    }
    const size_t *cd;
    const gs_copula *cop = gs_scenario_copula(c->scn, &cd);
    int in_cop = 0;
    if (cop)
        for (size_t i = 0; i < c->np; i++)
            for (size_t k = 0; k < gs_copula_dim(cop); k++)
                in_cop |= (long)cd[k] == c->pdim[i];
    if (in_cop) {
        /* every copula variable is calibrated (checked at the start) */
        size_t nk = gs_copula_dim(cop), at[GS_MAX_DIMS];
        double v[GS_MAX_DIMS];
        for (size_t k = 0; k < nk; k++)
            for (size_t i = 0; i < c->np; i++)
                if ((long)cd[k] == c->pdim[i])
                    at[k] = i;
        for (size_t k = 0; k < nk; k++)
            v[k] = u[at[k]];
        gs_copula_apply(cop, v);
        for (size_t k = 0; k < nk; k++)
            u[at[k]] = v[k];
    }
    for (size_t i = 0; i < c->np; i++)
        th[i] = gs_scenario_draw(c->scn, c->pidx[i], u[i]);
}

/* -------------------------------------------------------- evaluation */

typedef struct eval_ctx {
    const gs_calib *c;
    double *x;     /* M x K */
    double *noise; /* M x K standard normals: the observations' errors */
} eval_ctx;

static void on_trajectory(void *ctx, gs_strbuf *row, uint64_t j, const double *out,
                          const double *first_year)
{
    (void)row;
    (void)first_year;
    eval_ctx *e = ctx;
    const gs_calib *c = e->c;
    int t0 = gs_sim_t0(c->sim), T = gs_sim_T(c->sim);
    size_t ny = (size_t)(T - t0 + 1);
    for (size_t i = 0; i < c->K; i++) {
        const gs_probe *p = &c->bt.probes[c->ob[i].row->probe];
        const double *col = out + p->output * ny;
        double v;
        if (p->kind == GS_PROBE_VALUE) {
            v = col[p->year - t0] + p->sd * e->noise[j * c->K + i];
        } else {
            v = T + 1;
            for (size_t y = 0; y < ny; y++) {
                int met = p->kind == GS_PROBE_FIRST_BELOW ? col[y] <= p->value * (1 + 1e-9)
                                                          : col[y] >= p->value;
                if (met) {
                    v = t0 + (int)y;
                    break;
                }
            }
        }
        e->x[j * c->K + i] = v;
    }
}

/* Runs the vector of normal scores z for M trajectories from the streams of
 * seed: x gets their simulated observations. */
static gs_status evaluate(const gs_calib *c, const double *z, uint64_t seed, double *x,
                          double *noise, gs_error *err)
{
    double th[GS_MAX_DIMS];
    scores_to_values(c, z, th);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gsl_rng_set(rng, (unsigned long)mix64(seed ^ 0x6f6273ULL)); /* "obs" */
    for (size_t t = 0; t < c->M * c->K; t++)
        noise[t] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    gsl_rng_free(rng);
    gs_run_opts ro;
    gs_run_opts_default(&ro);
    ro.n = c->M;
    ro.seed = seed;
    ro.threads = 1;
    ro.sampler = strcmp(gs_scenario_str(c->scn, "run.sampler"), "mc") == 0 ? GS_SAMPLER_MC
                                                                            : GS_SAMPLER_LHS;
    ro.fixed_param = c->pidx;
    ro.fixed_value = th;
    ro.n_fixed = c->np;
    eval_ctx e = {c, x, noise};
    ro.outcome_row = on_trajectory;
    ro.outcome_ctx = &e;
    gs_results *r = NULL;
    gs_status st = gs_sim_run(c->sim, &ro, &r, err);
    gs_results_free(r);
    return st;
}

typedef struct pool {
    const gs_calib *c;
    size_t n;
    const double *z; /* n x np */
    const uint64_t *seed; /* n: each vector's run seed */
    double *x;       /* n x M x K */
    size_t next;
    pthread_mutex_t lock;
    gs_status st;
    size_t err_job;
    gs_error err;
} pool;

static void *pool_main(void *arg)
{
    pool *p = arg;
    const gs_calib *c = p->c;
    double *noise = malloc((c->M * c->K + 1) * sizeof *noise);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (k >= p->n)
            break;
        gs_error e;
        gs_error_clear(&e);
        gs_status st = noise ? evaluate(c, p->z + k * c->np, p->seed[k], p->x + k * c->M * c->K,
                                        noise, &e)
                             : gs_error_set(&e, GS_ENOMEM, NULL, 0, "out of memory");
        if (st != GS_OK) {
            pthread_mutex_lock(&p->lock);
            /* the first failing job's error, whichever thread saw it */
            if (p->st == GS_OK || k < p->err_job) {
                p->st = st;
                p->err_job = k;
                p->err = e;
            }
            pthread_mutex_unlock(&p->lock);
        }
    }
    free(noise);
    return NULL;
}

/* Runs n vectors on the calibration's threads, vector k with seed[k]; on
 * failure *failed is the first failing vector. */
static gs_status run_local(const gs_calib *c, size_t n, const double *z, const uint64_t *seed,
                           double *x, size_t *failed, gs_error *err)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.c = c;
    p.n = n;
    p.z = z;
    p.seed = seed;
    p.x = x;
    pthread_mutex_init(&p.lock, NULL);
    int nth = c->o.threads < 1 ? 1 : c->o.threads;
    if ((size_t)nth > n)
        nth = n ? (int)n : 1;
    pthread_t tid[GS_MAX_THREADS];
    int started = 0;
    for (int i = 1; i < nth; i++) {
        if (pthread_create(&tid[started], NULL, pool_main, &p) != 0)
            break;
        started++;
    }
    pool_main(&p);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&p.lock);
    if (p.st != GS_OK) {
        *failed = p.err_job;
        if (err)
            *err = p.err;
        return p.st;
    }
    return GS_OK;
}

/* A process's share of a population in an MPI job (gs_job_map). */
typedef struct share {
    const gs_calib *c;
    const double *z;
    const uint64_t *seed;
} share;

static gs_status run_share(void *ctx, const size_t *items, size_t n_items, double *out,
                           size_t *failed, gs_error *err)
{
    const share *sh = ctx;
    size_t np = sh->c->np;
    double *z = calloc((n_items ? n_items : 1) * (np ? np : 1), sizeof *z);
    uint64_t *seed = calloc(n_items ? n_items : 1, sizeof *seed);
    gs_status st = z && seed ? GS_OK : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; st == GS_OK && i < n_items; i++) {
        memcpy(z + i * np, sh->z + items[i] * np, np * sizeof *z);
        seed[i] = sh->seed[items[i]];
    }
    size_t at = n_items;
    if (st == GS_OK && (st = run_local(sh->c, n_items, z, seed, out, &at, err)) != GS_OK &&
        at < n_items)
        *failed = items[at];
    free(z);
    free(seed);
    return st;
}

/* Runs n vectors, vector k with seed[k]: on the calibration's threads, and
 * in an MPI job dealt round its processes (docs/cluster.md), each vector
 * giving the same simulated observations wherever it runs. */
static gs_status run_vectors(gs_calib *c, size_t n, const double *z, const uint64_t *seed,
                             double *x, gs_error *err)
{
    size_t failed = n;
    share sh = {c, z, seed};
    gs_status st = gs_job_active() ? gs_job_map(n, c->M * c->K, run_share, &sh, x, err)
                                   : run_local(c, n, z, seed, x, &failed, err);
    c->trajectories += (uint64_t)n * c->M;
    return st;
}

/* ---------------------------------------------------------- distances */

static double residual(const calib_obs *ob, double v)
{
    const gs_obs *o = ob->row->obs;
    /* A bound (below / above): only the side beyond it is a miss. */
    if (o->kind == GS_OBS_BELOW)
        return v <= o->value ? 0 : v - o->value;
    if (o->kind == GS_OBS_ABOVE)
        return v >= o->value ? 0 : o->value - v;
    if (ob->row->censored)
        return v > o->year ? 0 : o->year + 1 - v;
    return v - o->value;
}

static double distance(const gs_calib *c, const double *xj)
{
    double s = 0;
    for (size_t i = 0; i < c->K; i++)
        if (c->ob[i].informative) {
            double r = residual(&c->ob[i], xj[i]) / c->ob[i].scale;
            s += r * r;
        }
    return sqrt(s / (double)c->n_inf);
}

static void distances(const gs_calib *c, size_t n, const double *x, double *d)
{
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < c->M; j++)
            d[k * c->M + j] = distance(c, x + (k * c->M + j) * c->K);
}

static size_t within(const gs_calib *c, const double *dk, double eps)
{
    size_t a = 0;
    for (size_t j = 0; j < c->M; j++)
        a += dk[j] <= eps;
    return a;
}

static double ess_of(const double *w, size_t n)
{
    double s = 0, s2 = 0;
    for (size_t k = 0; k < n; k++) {
        s += w[k];
        s2 += w[k] * w[k];
    }
    return s2 > 0 ? s * s / s2 : 0;
}

/* The weights at eps, from those at prev (unnormalised into w1). */
static double ess_at(const gs_calib *c, double prev, double eps, double *w1)
{
    for (size_t k = 0; k < c->N; k++) {
        const double *dk = c->d + k * c->M;
        size_t a0 = isinf(prev) ? c->M : within(c, dk, prev);
        w1[k] = c->w[k] > 0 && a0 > 0 ? c->w[k] * (double)within(c, dk, eps) / (double)a0 : 0;
    }
    return ess_of(w1, c->N);
}

/* The smallest tolerance below prev among the distances whose weights keep
 * at least target of the ESS (Del Moral et al. 2012, by bisection). */
static gs_status next_tolerance(const gs_calib *c, double prev, double target, double *eps,
                                gs_error *err)
{
    size_t n = 0;
    double *cand = malloc(c->N * c->M * sizeof *cand);
    double *w1 = malloc(c->N * sizeof *w1);
    if (!cand || !w1) {
        free(cand);
        free(w1);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t k = 0; k < c->N; k++)
        if (c->w[k] > 0)
            for (size_t j = 0; j < c->M; j++)
                if (c->d[k * c->M + j] <= prev)
                    cand[n++] = c->d[k * c->M + j];
    if (n == 0) {
        *eps = prev;
        free(cand);
        free(w1);
        return GS_OK;
    }
    gsl_sort(cand, 1, n);
    size_t lo = 0, hi = n - 1; /* ess_at(cand[hi]) >= target: it keeps every weight */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ess_at(c, prev, cand[mid], w1) >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    *eps = cand[hi];
    free(cand);
    free(w1);
    return GS_OK;
}

static void normalise(double *w, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += w[k];
    for (size_t k = 0; k < n; k++)
        w[k] = s > 0 ? w[k] / s : 0;
}

/* Systematic resampling: N equally weighted copies drawn by weight. */
static gs_status resample(gs_calib *c, size_t gen, gs_error *err)
{
    size_t N = c->N, np = c->np, MK = c->M * c->K, M = c->M;
    double *z = malloc(N * (np ? np : 1) * sizeof *z), *x = malloc(N * MK * sizeof *x),
           *d = malloc(N * M * sizeof *d);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!z || !x || !d || !rng) {
        free(z);
        free(x);
        free(d);
        if (rng)
            gsl_rng_free(rng);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    gsl_rng_set(rng, calib_stream(c->o.seed, gen, 0, S_RESAMPLE));
    double u = gsl_rng_uniform(rng) / (double)N, cum = c->w[0];
    size_t src = 0;
    for (size_t k = 0; k < N; k++) {
        double at = u + (double)k / (double)N;
        while (cum < at && src + 1 < N)
            cum += c->w[++src];
        memcpy(z + k * np, c->z + src * np, np * sizeof *z);
        memcpy(x + k * MK, c->x + src * MK, MK * sizeof *x);
        memcpy(d + k * M, c->d + src * M, M * sizeof *d);
    }
    gsl_rng_free(rng);
    free(c->z);
    free(c->x);
    free(c->d);
    c->z = z;
    c->x = x;
    c->d = d;
    for (size_t k = 0; k < N; k++)
        c->w[k] = 1.0 / (double)N;
    return GS_OK;
}

/* L with L L' = lambda x the weighted covariance of the scores: lambda = 2
 * (Beaumont et al. 2009) for up to two parameters, 2.38^2 / d beyond (the
 * random walk's optimal scaling in d dimensions, Roberts and Rosenthal
 * 2001), without which almost no move is accepted when many parameters are
 * calibrated.  A little ridge is added when the population has collapsed
 * onto a lower-dimensional set. */
static gs_status proposal_factor(const gs_calib *c, gsl_matrix *L, gs_error *err)
{
    size_t np = c->np;
    double mean[GS_MAX_DIMS] = {0};
    for (size_t k = 0; k < c->N; k++)
        for (size_t i = 0; i < np; i++)
            mean[i] += c->w[k] * c->z[k * np + i];
    double sw2 = 0;
    for (size_t k = 0; k < c->N; k++)
        sw2 += c->w[k] * c->w[k];
    double norm = 1 - sw2 > 1e-12 ? 1 / (1 - sw2) : 1; /* unbiased weighted covariance */
    double lambda = fmin(2.0, 2.38 * 2.38 / (double)np);
    for (size_t a = 0; a < np; a++)
        for (size_t b = 0; b <= a; b++) {
            double s = 0;
            for (size_t k = 0; k < c->N; k++)
                s += c->w[k] * (c->z[k * np + a] - mean[a]) * (c->z[k * np + b] - mean[b]);
            gsl_matrix_set(L, a, b, lambda * s * norm);
            gsl_matrix_set(L, b, a, lambda * s * norm);
        }
    double maxd = 0;
    for (size_t a = 0; a < np; a++)
        maxd = fmax(maxd, gsl_matrix_get(L, a, a));
    gsl_matrix *A = gsl_matrix_alloc(np, np);
    if (!A)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (double ridge = 0;; ridge = ridge ? ridge * 100 : 1e-10 * (maxd > 0 ? maxd : 1)) {
        gsl_matrix_memcpy(A, L);
        for (size_t a = 0; a < np; a++)
            gsl_matrix_set(A, a, a, gsl_matrix_get(A, a, a) + ridge);
        if (gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS)
            break;
        if (ridge > 1) {
            /* nothing left to spread: a small isotropic kernel */
            gsl_matrix_set_identity(A);
            gsl_matrix_scale(A, 1e-3);
            break;
        }
    }
    for (size_t a = 0; a < np; a++)
        for (size_t b = 0; b < np; b++)
            gsl_matrix_set(L, a, b, b <= a ? gsl_matrix_get(A, a, b) : 0);
    gsl_matrix_free(A);
    return GS_OK;
}

static double sq_norm(const double *z, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += z[i] * z[i];
    return s;
}

/* One Metropolis-Hastings move of every weighted vector at tolerance eps,
 * with a Gaussian kernel; the prior of the scores is N(0, I).  Returns the
 * share of moves accepted in *acc. */
static gs_status move(gs_calib *c, size_t gen, double *acc, gs_error *err)
{
    size_t N = c->N, np = c->np, M = c->M, MK = c->M * c->K;
    gsl_matrix *L = gsl_matrix_alloc(np, np);
    double *zp = malloc(N * np * sizeof *zp), *xp = malloc(N * MK * sizeof *xp),
           *dp = malloc(N * M * sizeof *dp), *lu = malloc(N * sizeof *lu);
    size_t *who = malloc(N * sizeof *who);
    uint64_t *seed = malloc(N * sizeof *seed);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gs_status st = GS_OK;
    if (!L || !zp || !xp || !dp || !lu || !who || !seed || !rng)
        st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    if (st == GS_OK)
        st = proposal_factor(c, L, err);
    size_t n = 0;
    for (size_t k = 0; k < N && st == GS_OK; k++) {
        if (!(c->w[k] > 0))
            continue;
        gsl_rng_set(rng, calib_stream(c->o.seed, gen, k, S_MOVE));
        double xi[GS_MAX_DIMS];
        for (size_t i = 0; i < np; i++)
            xi[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
        for (size_t a = 0; a < np; a++) {
            double s = c->z[k * np + a];
            for (size_t b = 0; b <= a; b++)
                s += gsl_matrix_get(L, a, b) * xi[b];
            zp[n * np + a] = s;
        }
        lu[n] = log(gsl_rng_uniform_pos(rng));
        seed[n] = calib_stream(c->o.seed, gen, k, S_RUN);
        who[n++] = k;
    }
    if (st == GS_OK)
        st = run_vectors(c, n, zp, seed, xp, err);
    size_t accepted = 0;
    if (st == GS_OK) {
        distances(c, n, xp, dp);
        for (size_t m = 0; m < n; m++) {
            size_t k = who[m];
            size_t a0 = within(c, c->d + k * M, c->eps), a1 = within(c, dp + m * M, c->eps);
            if (a1 == 0)
                continue;
            double lr = -0.5 * (sq_norm(zp + m * np, np) - sq_norm(c->z + k * np, np)) +
                        log((double)a1) - log((double)(a0 ? a0 : 1));
            if (a0 == 0 || lu[m] < lr) {
                memcpy(c->z + k * np, zp + m * np, np * sizeof *zp);
                memcpy(c->x + k * MK, xp + m * MK, MK * sizeof *xp);
                memcpy(c->d + k * M, dp + m * M, M * sizeof *dp);
                accepted++;
            }
        }
    }
    *acc = n ? (double)accepted / (double)n : 0;
    gsl_matrix_free(L);
    free(zp);
    free(xp);
    free(dp);
    free(lu);
    free(who);
    free(seed);
    if (rng)
        gsl_rng_free(rng);
    return st;
}

/* --------------------------------------------------- predictive checks */

typedef struct wv {
    double v, w;
} wv;

static int cmp_wv(const void *a, const void *b)
{
    double x = ((const wv *)a)->v, y = ((const wv *)b)->v;
    return x < y ? -1 : x > y;
}

/* Weighted p-quantile of sorted (value, weight) pairs summing to 1: the
 * smallest value with cumulative weight >= p. */
static double wq(const wv *s, size_t n, double p)
{
    double cum = 0;
    for (size_t i = 0; i < n; i++) {
        cum += s[i].w;
        if (cum >= p * (1 - 1e-12))
            return s[i].v;
    }
    return n ? s[n - 1].v : NAN;
}

/* The simulated observations of the population with weights w: quantiles,
 * PIT and (censored) the share beyond the year. */
static gs_status check_obs(const gs_calib *c, const double *w, int post, gs_error *err)
{
    size_t n = c->N * c->M;
    wv *s = malloc(n * sizeof *s);
    if (!s)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < c->K; i++) {
        calib_obs *ob = &c->ob[i];
        const gs_obs *o = ob->row->obs;
        size_t m = 0;
        for (size_t k = 0; k < c->N; k++)
            for (size_t j = 0; j < c->M; j++)
                s[m++] = (wv){c->x[(k * c->M + j) * c->K + i], w[k] / (double)c->M};
        qsort(s, m, sizeof *s, cmp_wv);
        double q[3] = {wq(s, m, 0.05), wq(s, m, 0.5), wq(s, m, 0.95)};
        double below = 0, equal = 0, far = 0;
        for (size_t t = 0; t < m; t++) {
            if (o->kind == GS_OBS_BELOW || o->kind == GS_OBS_ABOVE) {
                /* a bound: the share on its side */
                far += (o->kind == GS_OBS_BELOW ? s[t].v <= o->value : s[t].v >= o->value)
                           ? s[t].w
                           : 0;
                continue;
            }
            if (ob->row->censored) {
                far += s[t].v > o->year ? s[t].w : 0;
                continue;
            }
            below += s[t].v < o->value ? s[t].w : 0;
            equal += s[t].v == o->value ? s[t].w : 0;
        }
        double pit = ob->row->censored ? NAN : below + 0.5 * equal;
        if (post) {
            memcpy(ob->post_q, q, sizeof q);
            ob->post_pit = pit;
            ob->post_far = far;
            ob->post_in90 = ob->row->censored ? far >= 0.05 : q[0] <= o->value && o->value <= q[2];
        } else {
            memcpy(ob->prior_q, q, sizeof q);
            ob->prior_pit = pit;
        }
    }
    free(s);
    return GS_OK;
}

/* Which observations any vector moves, and the scale of each residual.
 * Whether a parameter moves an observation is seen with common random
 * numbers: a pilot of the first vectors of the prior population, all run
 * with one seed, differs at an observation only through the parameters. */
#define CALIB_PILOT 16

static gs_status scales(gs_calib *c, gs_error *err)
{
    size_t n = c->N * c->M, P = c->N < CALIB_PILOT ? c->N : CALIB_PILOT;
    double *v = malloc(n * sizeof *v), *xp = malloc(P * c->M * c->K * sizeof *xp);
    uint64_t seed[CALIB_PILOT];
    for (size_t k = 0; k < P; k++)
        seed[k] = calib_stream(c->o.seed, 0, 0, S_PILOT);
    gs_status st = v && xp ? run_vectors(c, P, c->z, seed, xp, err)
                           : gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    if (st != GS_OK) {
        free(v);
        free(xp);
        return st;
    }
    c->n_inf = 0;
    for (size_t i = 0; i < c->K; i++) {
        calib_obs *ob = &c->ob[i];
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < P; k++) {
            double m = 0;
            for (size_t j = 0; j < c->M; j++)
                m += xp[(k * c->M + j) * c->K + i];
            lo = fmin(lo, m);
            hi = fmax(hi, m);
        }
        for (size_t t = 0; t < n; t++)
            v[t] = c->x[t * c->K + i];
        gsl_sort(v, 1, n);
        double med = gsl_stats_median_from_sorted_data(v, 1, n);
        for (size_t t = 0; t < n; t++)
            v[t] = fabs(v[t] - med);
        gsl_sort(v, 1, n);
        double mad = 1.4826 * gsl_stats_median_from_sorted_data(v, 1, n);
        for (size_t t = 0; t < n; t++)
            v[t] = c->x[t * c->K + i];
        double sd = gsl_stats_sd(v, 1, n);
        ob->scale = mad > 0 ? mad : sd;
        ob->informative = hi > lo && ob->scale > 0 && isfinite(ob->scale);
        c->n_inf += (size_t)ob->informative;
    }
    free(v);
    free(xp);
    if (c->n_inf == 0) {
        const gs_obs *o = c->ob[0].row->obs;
        return gs_error_set(err, GS_EINPUT, c->obs.file, o->line,
                            "%s: no calibrated parameter moves %s (every parameter vector "
                            "simulates the same values), nor any other observation of the "
                            "years %d-%d: nothing to calibrate on",
                            o->id, o->variable, c->bt.from, c->bt.until);
    }
    return GS_OK;
}

/* ---------------------------------------------------------------- setup */

static gs_status choose_params(gs_calib *c, const gs_calib_opts *o, gs_error *err)
{
    const gs_scenario *s = c->scn;
    size_t n = o->n_params ? o->n_params : gs_scenario_ndims(s);
    if (n == 0)
        return gs_error_set(err, GS_ECONFIG, gs_scenario_file(s), 0,
                            "no parameter is given as a distribution: nothing to calibrate");
    if (n > GS_MAX_DIMS)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "more than %d parameters", GS_MAX_DIMS);
    c->pidx = calloc(n, sizeof *c->pidx);
    c->pdim = calloc(n, sizeof *c->pdim);
    if (!c->pidx || !c->pdim)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    c->np = n;
    for (size_t i = 0; i < n; i++) {
        if (!o->n_params) {
            c->pidx[i] = gs_scenario_dim_param(s, i);
            c->pdim[i] = (long)i;
            continue;
        }
        const char *path = o->params[i];
        const gs_pval *v = gs_scenario_get(s, path);
        if (!v || v->def->type != GS_PT_NUMBER) {
            size_t nn = gs_scenario_ndims(s);
            const char **cand = malloc((nn ? nn : 1) * sizeof *cand);
            if (!cand)
                return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
            for (size_t k = 0; k < nn; k++)
                cand[k] = gs_scenario_at(s, gs_scenario_dim_param(s, k))->path;
            const char *near = gs_nearest(path, cand, nn);
            gs_status st =
                near ? gs_error_set(err, GS_EUSAGE, gs_scenario_file(s), 0,
                                    "--params: \"%s\" is no number parameter of the scenario "
                                    "(did you mean \"%s\"?)",
                                    path, near)
                     : gs_error_set(err, GS_EUSAGE, gs_scenario_file(s), 0,
                                    "--params: \"%s\" is no number parameter of the scenario "
                                    "(see `gapsim params`)",
                                    path);
            free(cand);
            return st;
        }
        if (v->dim < 0)
            return gs_scenario_errorf(s, path, err,
                                      "--params: %s is a constant; calibrating it needs a prior: "
                                      "give it a distribution",
                                      path);
        for (size_t k = 0; k < i; k++)
            if (c->pidx[k] == (size_t)gs_scenario_index(s, path))
                return gs_error_set(err, GS_EUSAGE, NULL, 0, "--params: %s is given twice", path);
        c->pidx[i] = (size_t)gs_scenario_index(s, path);
        c->pdim[i] = v->dim;
    }
    /* A rank correlation binds its parameters: calibrate all or none. */
    const size_t *cd;
    const gs_copula *cop = gs_scenario_copula(s, &cd);
    if (cop) {
        size_t in = 0, nk = gs_copula_dim(cop);
        for (size_t k = 0; k < nk; k++)
            for (size_t i = 0; i < c->np; i++)
                in += (long)cd[k] == c->pdim[i];
        if (in > 0 && in < nk)
            return gs_scenario_errorf(s, "correlations.params", err,
                                      "correlations.params: calibrate every rank-correlated "
                                      "parameter or none of them (%zu of %zu are in --params)",
                                      in, nk);
    }
    return GS_OK;
}

void gs_calib_free(gs_calib *c)
{
    if (!c)
        return;
    gs_backtest_free(&c->bt);
    gs_obs_free(&c->obs);
    free(c->pidx);
    free(c->pdim);
    free(c->ob);
    free(c->z);
    free(c->theta);
    free(c->x);
    free(c->d);
    free(c->w);
    free(c->gen);
    free(c);
}

static gs_status add_gen(gs_calib *c, double eps, double ess, double acc, uint64_t traj,
                         gs_error *err)
{
    calib_gen *g = realloc(c->gen, (c->n_gen + 1) * sizeof *g);
    if (!g)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    c->gen = g;
    c->gen[c->n_gen++] = (calib_gen){eps, ess, acc, traj};
    if (c->o.progress)
        c->o.progress(c->o.progress_ctx, c->n_gen - 1, eps, ess, acc);
    return GS_OK;
}

static gs_status run_abc(gs_calib *c, gs_error *err)
{
    size_t N = c->N, np = c->np;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < N; k++) {
        gsl_rng_set(rng, calib_stream(c->o.seed, 0, k, S_PRIOR));
        for (size_t i = 0; i < np; i++)
            c->z[k * np + i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
    }
    gsl_rng_free(rng);
    uint64_t before = c->trajectories;
    uint64_t *seed = malloc(N * sizeof *seed);
    if (!seed)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < N; k++)
        seed[k] = calib_stream(c->o.seed, 0, k, S_RUN);
    gs_status st = run_vectors(c, N, c->z, seed, c->x, err);
    free(seed);
    if (st == GS_OK)
        st = scales(c, err);
    if (st != GS_OK)
        return st;
    distances(c, N, c->x, c->d);
    for (size_t k = 0; k < N; k++)
        c->w[k] = 1.0 / (double)N;
    c->eps = INFINITY;
    if ((st = check_obs(c, c->w, 0, err)) != GS_OK ||
        (st = add_gen(c, INFINITY, (double)N, 1, c->trajectories - before, err)) != GS_OK)
        return st;
    double keep = c->o.ess_keep > 0 ? c->o.ess_keep
                                    : c->o.method == GS_CALIB_IMPORTANCE ? 0.1 : 0.5;
    double *w1 = malloc(N * sizeof *w1);
    if (!w1)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    size_t gens = c->o.method == GS_CALIB_IMPORTANCE ? 1 : c->o.max_generations;
    for (size_t g = 1; g <= gens && st == GS_OK; g++) {
        before = c->trajectories;
        double ess0 = ess_of(c->w, N), eps = c->eps;
        if ((st = next_tolerance(c, c->eps, keep * ess0, &eps, err)) != GS_OK)
            break;
        if (!(eps < c->eps))
            break; /* ties: the tolerance cannot fall while keeping the ESS */
        ess_at(c, c->eps, eps, w1);
        memcpy(c->w, w1, N * sizeof *w1);
        normalise(c->w, N);
        c->eps = eps;
        double ess = ess_of(c->w, N), acc = 1;
        if (c->o.method == GS_CALIB_ABC_SMC) {
            if (ess < 0.5 * (double)N && (st = resample(c, g, err)) != GS_OK)
                break;
            if ((st = move(c, g * 64, &acc, err)) != GS_OK)
                break;
            /* R steps move a vector with probability 1 - (1 - acc)^R. */
            size_t R = acc >= 0.9 ? 1 : acc > 0 ? (size_t)ceil(log(0.1) / log(1 - acc)) : 1;
            R = R < 1 ? 1 : R > c->o.max_moves ? c->o.max_moves : R;
            for (size_t r = 1; r < R && st == GS_OK; r++) {
                double a2;
                st = move(c, g * 64 + r, &a2, err);
            }
            if (st != GS_OK)
                break;
        }
        if ((st = add_gen(c, eps, ess, acc, c->trajectories - before, err)) != GS_OK)
            break;
        if (acc < c->o.min_acceptance)
            break;
        /* Converged: the last tolerance step was under 1 %. */
        if (g > 1 && c->n_gen >= 3 && c->gen[c->n_gen - 2].eps - eps < 0.01 * eps)
            break;
    }
    free(w1);
    if (st != GS_OK)
        return st;
    for (size_t k = 0; k < N; k++)
        scores_to_values(c, c->z + k * np, c->theta + k * np);
    return check_obs(c, c->w, 1, err);
}

gs_status gs_calibrate(gs_sim *sim, const gs_calib_opts *o, gs_calib **out, gs_error *err)
{
    *out = NULL;
    if (!o->observations)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "calibration needs observations");
    if (o->population < 4 || o->population > 1000000)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the population must be 4 to 1000000");
    if (o->trajectories < 1 || o->trajectories > 100000)
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "trajectories per parameter vector must be 1 to 100000");
    if (o->max_moves < 1 || o->max_moves > 63)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "moves per generation must be 1 to 63");
    if (o->threads < 1 || o->threads > GS_MAX_THREADS)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "threads must be 1 to %d", GS_MAX_THREADS);
    if (!(o->ess_keep >= 0 && o->ess_keep < 1))
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "the ESS share kept must lie in (0, 1)");
    const gs_scenario *scn = gs_sim_scenario(sim);
    int t0 = gs_sim_t0(sim), T = gs_sim_T(sim);
    if (o->until && (o->until <= t0 || o->until > T))
        return gs_error_set(err, GS_EUSAGE, NULL, 0,
                            "--until %d: expected a year after the base year %d, at most the "
                            "horizon %d",
                            o->until, t0, T);
    gs_calib *c = calloc(1, sizeof *c);
    if (!c)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    c->sim = sim;
    c->scn = scn;
    c->o = *o;
    c->o.params = NULL;
    c->o.n_params = 0;
    c->o.observations = NULL;
    c->N = o->population;
    c->M = (size_t)o->trajectories;
    gs_status st = choose_params(c, o, err);
    if (st == GS_OK)
        st = gs_obs_read(o->observations, &c->obs, err);
    if (st == GS_OK)
        st = gs_backtest_plan(sim, &c->obs, 0, o->until, &c->bt, err);
    if (st == GS_OK) {
        for (size_t r = 0; r < c->bt.n; r++)
            c->K += c->bt.rows[r].status == GS_BT_SCORED;
        if (c->K == 0)
            st = gs_error_set(err, GS_EINPUT, c->obs.file, 0,
                              "no observation of the years %d-%d is comparable with %s "
                              "(gapsim backtest lists why each is not)",
                              c->bt.from, c->bt.until, gs_scenario_file(scn));
    }
    if (st == GS_OK) {
        size_t N = c->N, MK = c->M * c->K;
        c->ob = calloc(c->K, sizeof *c->ob);
        c->z = calloc(N * c->np, sizeof *c->z);
        c->theta = calloc(N * c->np, sizeof *c->theta);
        c->x = calloc(N * MK, sizeof *c->x);
        c->d = calloc(N * c->M, sizeof *c->d);
        c->w = calloc(N, sizeof *c->w);
        if (!c->ob || !c->z || !c->theta || !c->x || !c->d || !c->w)
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    if (st == GS_OK) {
        size_t i = 0;
        for (size_t r = 0; r < c->bt.n; r++)
            if (c->bt.rows[r].status == GS_BT_SCORED)
                c->ob[i++].row = &c->bt.rows[r];
    }
    if (st == GS_OK)
        st = run_abc(c, err);
    if (st != GS_OK) {
        gs_calib_free(c);
        return st;
    }
    *out = c;
    return GS_OK;
}

/* ------------------------------------------------------------- access */

size_t gs_calib_n_params(const gs_calib *c) { return c->np; }
const char *gs_calib_param(const gs_calib *c, size_t i)
{
    return gs_scenario_at(c->scn, c->pidx[i])->path;
}
size_t gs_calib_n_draws(const gs_calib *c) { return c->N; }
double gs_calib_value(const gs_calib *c, size_t draw, size_t i)
{
    return c->theta[draw * c->np + i];
}
double gs_calib_weight(const gs_calib *c, size_t draw) { return c->w[draw]; }
double gs_calib_ess(const gs_calib *c) { return ess_of(c->w, c->N); }
size_t gs_calib_n_generations(const gs_calib *c) { return c->n_gen; }
void gs_calib_generation(const gs_calib *c, size_t g, double *tolerance, double *ess,
                         double *acceptance, uint64_t *trajectories)
{
    const calib_gen *x = &c->gen[g];
    if (tolerance)
        *tolerance = x->eps;
    if (ess)
        *ess = x->ess;
    if (acceptance)
        *acceptance = x->acceptance;
    if (trajectories)
        *trajectories = x->trajectories;
}
uint64_t gs_calib_trajectories(const gs_calib *c) { return c->trajectories; }

double gs_calib_quantile(const gs_calib *c, size_t i, double p)
{
    wv *s = malloc(c->N * sizeof *s);
    if (!s)
        return NAN;
    for (size_t k = 0; k < c->N; k++)
        s[k] = (wv){c->theta[k * c->np + i], c->w[k]};
    qsort(s, c->N, sizeof *s, cmp_wv);
    double q = wq(s, c->N, p);
    free(s);
    return q;
}

double gs_calib_prior_quantile(const gs_calib *c, size_t i, double p)
{
    return gs_scenario_draw(c->scn, c->pidx[i], p);
}
