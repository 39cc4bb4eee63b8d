/* The Monte Carlo engine: binding, sampling, streams, blocks, threads and
 * accumulation.  See gs_engine.h for the reproducibility argument. */
#include "gs_engine.h"

#ifndef GAPSIM_VERSION
#define GAPSIM_VERSION "unknown"
#endif

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gs_accum.h"
#include "gs_job.h"
#include "gs_rng.h"
#include "gs_util.h"

const gs_param_def gs_core_params[] = {
    {"scenario.name", GS_PT_STRING, GS_PF_REQUIRED | GS_PF_IDENT, "", 0, NULL, 0, 0,
     "short name of the scenario; names the default output folder out/<name>/"},
    {"scenario.title", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "title of the scenario in charts and the summary (default: the name)"},
    {"scenario.description", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "what the scenario assumes, in a sentence or two"},
    {"scenario.share_definition", GS_PT_STRING, GS_PF_REQUIRED, "", 0, NULL, 0, 0,
     "what the domestic share counts (numerator and denominator); printed under every chart"},
    {"scenario.base_year", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT | GS_PF_REQUIRED, "year", 0,
     NULL, 1950, 2200, "the base year t0: its state is the initial state"},
    {"scenario.horizon", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT | GS_PF_REQUIRED, "year", 0, NULL,
     1950, 2300, "the last simulated year T"},
    {"run.trajectories", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 10000, NULL, 1,
     GS_MAX_TRAJECTORIES,
     "number of Monte Carlo trajectories (-n overrides)"},
    {"run.seed", GS_PT_NUMBER, GS_PF_FIXED | GS_PF_INT, "", 1, NULL, 0, GS_SEED_MAX,
     "seed of every random stream of the run (--seed overrides)"},
    {"run.sampler", GS_PT_STRING, 0, "", 0, "\"lhs\"", 0, 0,
     "\"lhs\" (Latin hypercube within each block), \"mc\" (plain Monte Carlo) or \"qmc\" "
     "(randomly shifted Sobol' points within each block)"},
    {"outputs.report_years", GS_PT_NUMBER_ARRAY, GS_PF_INT, "year", 0, "[2019, 2025, 2030]",
     1950, 2300, "years whose years-behind gap the summary and year_gap_dist.csv report"},
    {"parameters_from", GS_PT_STRING, 0, "", 0, "\"\"", 0, 0,
     "CSV file of joint parameter draws (posterior.csv of gapsim calibrate), found as an "
     "inherited file is; each trajectory takes one row, drawn by its weight"},
    {"correlations.params", GS_PT_STRING_ARRAY, 0, "", 0, "[]", 0, 0,
     "parameter paths to correlate (each given as a distribution)"},
    {"correlations.matrix", GS_PT_NUMBER_ARRAY, 0, "", 0, "[]", -1, 1,
     "their Spearman rank-correlation matrix, row by row (Gaussian copula)"},
    GS_PARAM_END};

/* ------------------------------------------------------------ shape */

struct gs_shape {
    gs_output_decl *out;
    size_t n_out;
    gs_tracker_decl *trk;
    size_t n_trk;
    struct link_block {
        char *name;
        size_t off, n;
    } *link;
    size_t n_link, link_size; /* blocks, doubles in all */
};

long gs_shape_output(gs_shape *sh, const gs_output_decl *d)
{
    gs_output_decl *n = realloc(sh->out, (sh->n_out + 1) * sizeof *n);
    if (!n)
        return -1;
    sh->out = n;
    sh->out[sh->n_out] = *d;
    return (long)sh->n_out++;
}

long gs_shape_link(gs_shape *sh, const char *name, size_t n)
{
    for (size_t i = 0; i < sh->n_link; i++)
        if (strcmp(sh->link[i].name, name) == 0)
            return sh->link[i].n == n ? (long)sh->link[i].off : -1;
    struct link_block *b = realloc(sh->link, (sh->n_link + 1) * sizeof *b);
    if (!b)
        return -1;
    sh->link = b;
    char *copy = gs_strdup(name);
    if (!copy)
        return -1;
    sh->link[sh->n_link++] = (struct link_block){copy, sh->link_size, n};
    sh->link_size += n;
    return (long)(sh->link_size - n);
}

long gs_shape_tracker(gs_shape *sh, const gs_tracker_decl *d)
{
    gs_tracker_decl *n = realloc(sh->trk, (sh->n_trk + 1) * sizeof *n);
    if (!n)
        return -1;
    sh->trk = n;
    sh->trk[sh->n_trk] = *d;
    return (long)sh->n_trk++;
}

/* ------------------------------------------------------------ sim */

struct gs_sim {
    const gs_scenario *scn;
    const gs_model_type *const *models;
    size_t n_models;
    void **conf;
    size_t *state_off;     /* offset of each model's state in a trajectory's state buffer */
    size_t state_bytes;
    size_t *noise_init_off, *noise_year_off;
    size_t noise_init, noise_year, noise_total;
    gs_shape shape;
    int t0, T, n_years;
    uint32_t *dim_key;     /* per sampled dimension: hash of its path */
};

static uint32_t fnv1a32(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* One stream: the run's seed, the block, and what the stream is for (a
 * parameter's path hash, or 0 for process noise).  Seeds are 32-bit
 * (GS_SEED_MAX). */
static void open_stream(gsl_rng *r, uint64_t seed, uint64_t block, uint32_t key)
{
    gs_rng_stream(r, (uint32_t)seed, block, key);
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static const char *const sampler_names[] = {"mc", "lhs", "qmc"}; /* gs_sampler order */

int gs_sampler_from_name(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, sampler_names[i]) == 0)
            return i;
    return -1;
}

const char *gs_sampler_name(gs_sampler s)
{
    return (unsigned)s < 3 ? sampler_names[s] : "";
}

void gs_run_opts_default(gs_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n = 10000;
    o->seed = 1;
    o->threads = 1;
    o->sampler = GS_SAMPLER_LHS;
}

void gs_sim_free(gs_sim *sim)
{
    if (!sim)
        return;
    for (size_t m = 0; m < sim->n_models; m++)
        if (sim->conf && sim->conf[m]) {
            sim->models[m]->unbind(sim->conf[m]);
            free(sim->conf[m]);
        }
    free(sim->conf);
    free(sim->state_off);
    free(sim->noise_init_off);
    free(sim->noise_year_off);
    free(sim->shape.out);
    free(sim->shape.trk);
    for (size_t i = 0; i < sim->shape.n_link; i++)
        free(sim->shape.link[i].name);
    free(sim->shape.link);
    free(sim->dim_key);
    free(sim);
}

const char *gs_version(void)
{
    return GAPSIM_VERSION;
}

const gs_param_def **gs_param_tables_of(const gs_model_type *const *models)
{
    size_t n = 0;
    while (models[n])
        n++;
    const gs_param_def **t = malloc((n + 2) * sizeof *t);
    if (!t)
        return NULL;
    t[0] = gs_core_params;
    for (size_t i = 0; i < n; i++)
        t[i + 1] = models[i]->params;
    t[n + 1] = NULL;
    return t;
}

gs_status gs_scenario_load_models(const gs_model_type *const *models, const char *file,
                                  const char *const *sets, size_t n_sets, gs_scenario **out,
                                  gs_error *err)
{
    *out = NULL;
    const gs_param_def **t = gs_param_tables_of(models);
    if (!t)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    gs_status st = gs_scenario_load(t, file, sets, n_sets, out, err);
    free(t);
    return st;
}

void gs_run_opts_from_scenario(gs_run_opts *o, const gs_scenario *scn)
{
    o->n = (uint64_t)gs_scenario_num(scn, "run.trajectories");
    o->seed = (uint64_t)gs_scenario_num(scn, "run.seed");
    o->sampler = (gs_sampler)gs_sampler_from_name(gs_scenario_str(scn, "run.sampler"));
}

/* Every error path sets the error first and frees last, through fail:, so
 * that no message reads what was freed. */
gs_status gs_sim_new(const gs_scenario *scn, const gs_model_type *const *models, gs_sim **out,
                     gs_error *err)
{
    *out = NULL;
    gs_status rc = GS_OK;
    gs_sim *sim = calloc(1, sizeof *sim);
    if (!sim)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    sim->scn = scn;
    sim->t0 = (int)gs_scenario_num(scn, "scenario.base_year");
    sim->T = (int)gs_scenario_num(scn, "scenario.horizon");
    if (sim->T <= sim->t0) {
        rc = gs_scenario_errorf(scn, "scenario.horizon", err,
                                "scenario.horizon = %d is not after scenario.base_year = %d",
                                sim->T, sim->t0);
        goto fail;
    }
    sim->n_years = sim->T - sim->t0 + 1;
    const gs_pval *ry = gs_scenario_get(scn, "outputs.report_years");
    for (size_t i = 0; i < ry->n_arr; i++)
        if (ry->arr[i] < sim->t0 || ry->arr[i] > sim->T) {
            rc = gs_scenario_errorf(scn, ry->path, err,
                                    "outputs.report_years: %.0f is outside the simulated "
                                    "years %d-%d",
                                    ry->arr[i], sim->t0, sim->T);
            goto fail;
        }
    const char *sampler = gs_scenario_str(scn, "run.sampler");
    if (gs_sampler_from_name(sampler) < 0) {
        rc = gs_scenario_errorf(scn, "run.sampler", err,
                                "run.sampler: unknown sampler \"%s\" (\"lhs\", \"mc\" or "
                                "\"qmc\")",
                                sampler);
        goto fail;
    }
    /* The limit of the samplers, checked before anything is run or written,
     * at the setting of the first distribution beyond it. */
    size_t nd = gs_scenario_ndims(scn);
    if (nd > GS_MAX_DIMS) {
        const char *path = gs_scenario_at(scn, gs_scenario_dim_param(scn, GS_MAX_DIMS))->path;
        rc = gs_scenario_errorf(scn, path, err,
                                "%s: more than %d parameters are given as distributions "
                                "(this is number %zu of %zu)",
                                path, GS_MAX_DIMS, (size_t)GS_MAX_DIMS + 1, nd);
        goto fail;
    }
    sim->models = models;
    while (sim->models[sim->n_models])
        sim->n_models++;
    size_t nm = sim->n_models;
    sim->conf = calloc(nm, sizeof *sim->conf);
    sim->state_off = calloc(nm, sizeof *sim->state_off);
    sim->noise_init_off = calloc(nm, sizeof *sim->noise_init_off);
    sim->noise_year_off = calloc(nm, sizeof *sim->noise_year_off);
    if (!sim->conf || !sim->state_off || !sim->noise_init_off || !sim->noise_year_off)
        goto oom;
    for (size_t m = 0; m < nm; m++) {
        const gs_model_type *mt = sim->models[m];
        sim->conf[m] = calloc(1, mt->conf_size);
        if (!sim->conf[m])
            goto oom;
        if ((rc = mt->bind(sim->conf[m], scn, &sim->shape, err)) != GS_OK)
            goto fail;
        sim->state_off[m] = sim->state_bytes;
        sim->state_bytes += align16(mt->state_size(sim->conf[m]));
        size_t ni, ny;
        mt->noise(sim->conf[m], &ni, &ny);
        sim->noise_init_off[m] = sim->noise_init;
        sim->noise_year_off[m] = sim->noise_year;
        sim->noise_init += ni;
        sim->noise_year += ny;
    }
    sim->noise_total = sim->noise_init + (size_t)sim->n_years * sim->noise_year;
    sim->dim_key = calloc(nd ? nd : 1, sizeof *sim->dim_key);
    if (!sim->dim_key)
        goto oom;
    for (size_t d = 0; d < nd; d++)
        sim->dim_key[d] = fnv1a32(gs_scenario_at(scn, gs_scenario_dim_param(scn, d))->path);
    *out = sim;
    return GS_OK;
oom:
    rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
fail:
    gs_sim_free(sim);
    return rc;
}

const gs_scenario *gs_sim_scenario(const gs_sim *sim) { return sim->scn; }
size_t gs_sim_n_models(const gs_sim *sim) { return sim->n_models; }
const gs_model_type *gs_sim_model(const gs_sim *sim, size_t i) { return sim->models[i]; }
const void *gs_sim_conf(const gs_sim *sim, size_t i) { return sim->conf[i]; }
int gs_sim_t0(const gs_sim *sim) { return sim->t0; }
int gs_sim_T(const gs_sim *sim) { return sim->T; }
size_t gs_sim_n_outputs(const gs_sim *sim) { return sim->shape.n_out; }
const gs_output_decl *gs_sim_output(const gs_sim *sim, size_t i) { return &sim->shape.out[i]; }
size_t gs_sim_n_trackers(const gs_sim *sim) { return sim->shape.n_trk; }
const gs_tracker_decl *gs_sim_tracker(const gs_sim *sim, size_t k) { return &sim->shape.trk[k]; }

/* ------------------------------------------------------ accumulators */

/* Counts of one run part (a thread's, or the total): exact integers. */
typedef struct counts {
    gs_sketch **sk;         /* [var * n_years + y], continuous outputs */
    gs_sketch *sk_all;      /* where they are: one allocation of n_sk (gs_sketch_array_new) */
    size_t n_sk;
    uint64_t **levels;      /* [var * n_years + y], discrete outputs: count per level */
    gs_passage *first;      /* per tracker */
    uint64_t *hit;          /* per tracker: target met in its year */
} counts;

struct gs_results {
    const gs_sim *sim;
    uint64_t n;
    gs_moments *mom;        /* [var * n_years + y] */
    counts c;
    gs_probe_acc *probes;   /* NULL without probes */
    double *probe_sums;     /* 2 per probe, merged in block order */
    size_t n_probes;
    int prec_state;         /* gs_results_precision */
    char prec_what[128];
    double prec_half, prec_goal;
};

static void counts_free(const gs_sim *sim, counts *c)
{
    size_t nv = sim->shape.n_out * (size_t)sim->n_years;
    gs_sketch_array_free(c->sk_all, c->n_sk);
    if (c->levels)
        for (size_t i = 0; i < nv; i++)
            free(c->levels[i]);
    free(c->sk);
    free(c->levels);
    if (c->first)
        for (size_t k = 0; k < sim->shape.n_trk; k++)
            gs_passage_free(&c->first[k]);
    free(c->first);
    free(c->hit);
    memset(c, 0, sizeof *c);
}

static int counts_init(const gs_sim *sim, counts *c)
{
    size_t ny = (size_t)sim->n_years, nv = sim->shape.n_out * ny, nt = sim->shape.n_trk;
    c->sk = calloc(nv, sizeof *c->sk);
    c->levels = calloc(nv, sizeof *c->levels);
    c->first = calloc(nt ? nt : 1, sizeof *c->first);
    c->hit = calloc(nt ? nt : 1, sizeof *c->hit);
    if (!c->sk || !c->levels || !c->first || !c->hit)
        return -1;
    /* The sketches in one allocation: a run's fixed cost is mostly its
     * accumulators' (a sweep's design point is a run). */
    size_t n_sk = 0;
    for (size_t v = 0; v < sim->shape.n_out; v++)
        n_sk += sim->shape.out[v].n_levels == 0 ? ny : 0;
    if (n_sk) {
        c->sk_all = gs_sketch_array_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS, n_sk);
        if (!c->sk_all)
            return -1;
        c->n_sk = n_sk;
    }
    size_t k = 0;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            if (d->n_levels == 0) {
                c->sk[v * ny + y] = gs_sketch_array_at(c->sk_all, k++);
            } else if (!(c->levels[v * ny + y] = calloc(d->n_levels, sizeof(uint64_t)))) {
                return -1;
            }
        }
    }
    for (size_t k = 0; k < nt; k++)
        if (gs_passage_init(&c->first[k], sim->t0, sim->T) != GS_OK)
            return -1;
    return 0;
}

static int counts_merge(const gs_sim *sim, counts *into, const counts *from)
{
    int bad = 0;
    size_t ny = (size_t)sim->n_years;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            size_t i = v * ny + y;
            if (d->n_levels == 0)
                bad |= gs_sketch_merge(into->sk[i], from->sk[i]) != GS_OK;
            else
                for (size_t l = 0; l < d->n_levels; l++)
                    into->levels[i][l] += from->levels[i][l];
        }
    }
    for (size_t k = 0; k < sim->shape.n_trk; k++) {
        gs_passage_merge(&into->first[k], &from->first[k]);
        into->hit[k] += from->hit[k];
    }
    return bad ? -1 : 0;
}

/* Nearest level (levels sorted ascending). */
static size_t level_index(const gs_output_decl *d, double x)
{
    size_t lo = 0, hi = d->n_levels - 1;
    if (x <= d->levels[0])
        return 0;
    if (x >= d->levels[hi])
        return hi;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->levels[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return x - d->levels[lo] <= d->levels[hi] - x ? lo : hi;
}

/* --------------------------------------------------------- workers */

typedef struct worker {
    gs_sim *sim;
    const gs_run_opts *o;
    counts c;
    gs_world w;
    double *theta, *theta0, *u_par, *noise, *first_year;
    size_t row_of[GS_BLOCK_SIZE]; /* parameters_from: the row of each trajectory of the block */
    double *traj_vals;      /* the trajectory's outputs, when outcomes are written */
    /* The block's outputs, [(var * n_years + y) * GS_BLOCK_SIZE + j]: each
     * accumulator then takes its block's values in one pass while it is in
     * cache, instead of every trajectory touching every accumulator. */
    double *block_vals;
    unsigned char *state;
    gsl_rng *rng;
    gsl_qrng *qrng;         /* GS_SAMPLER_QMC */
    /* the wave */
    uint64_t *next_block;   /* shared counter, under lock */
    pthread_mutex_t *lock;
    uint64_t wave_first, wave_end, n_total;
    gs_moments *wave_mom;   /* [GS_WAVE_BLOCKS][n_out * n_years] */
    gs_strbuf *wave_params, *wave_traj, *wave_outc; /* rows of each block of the wave */
    gs_probe_acc *probes;
    double *wave_psums;     /* [GS_WAVE_BLOCKS][2 * n_probes] */
    int failed;
} worker;

/* The uniforms of a block's parameters, u_par[d * GS_BLOCK_SIZE + j]. */
static void draw_parameters(const gs_sim *sim, const gs_run_opts *o, gsl_rng *rng,
                            gsl_qrng *qrng, double *u_par, uint64_t block, size_t nb)
{
    const gs_scenario *scn = sim->scn;
    size_t nd = gs_scenario_ndims(scn);
    if (o->sampler == GS_SAMPLER_QMC && nd > 0) {
        double pt[GS_QMC_MAX_DIMS];
        gsl_qrng_init(qrng);
        for (size_t j = 0; j < nb; j++) {
            gsl_qrng_get(qrng, pt);
            for (size_t d = 0; d < nd; d++)
                u_par[d * GS_BLOCK_SIZE + j] = pt[d];
        }
        /* Cranley-Patterson rotation: one uniform shift per block and
         * parameter, from the parameter's own stream. */
        for (size_t d = 0; d < nd; d++) {
            open_stream(rng, o->seed, block, sim->dim_key[d]);
            double shift = gsl_rng_uniform(rng);
            double *col = u_par + d * GS_BLOCK_SIZE;
            for (size_t j = 0; j < nb; j++) {
                double u = col[j] + shift;
                if (u >= 1)
                    u -= 1;
                col[j] = u > 0 ? u : 0x1p-53; /* quantiles need u in (0, 1) */
            }
        }
        return;
    }
    for (size_t d = 0; d < nd; d++) {
        open_stream(rng, o->seed, block, sim->dim_key[d]);
        double *col = u_par + d * GS_BLOCK_SIZE;
        if (o->sampler == GS_SAMPLER_LHS)
            gs_lhs_fill(rng, nb, 1, col);
        else
            for (size_t j = 0; j < nb; j++)
                col[j] = gsl_rng_uniform_pos(rng);
    }
}

void gs_sim_floor(const gs_sim *sim, const gs_run_opts *o, uint64_t n, double *sink)
{
    size_t nd = gs_scenario_ndims(sim->scn);
    gsl_rng *rng = gsl_rng_alloc(gs_rng_philox);
    gsl_qrng *qrng = o->sampler == GS_SAMPLER_QMC && nd > 0
                         ? gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)nd)
                         : NULL;
    double *u_par = malloc((nd ? nd : 1) * GS_BLOCK_SIZE * sizeof *u_par);
    double *noise = malloc((sim->noise_total ? sim->noise_total : 1) * sizeof *noise);
    double acc = 0;
    if (rng && u_par && noise && (qrng || !(o->sampler == GS_SAMPLER_QMC && nd > 0))) {
        for (uint64_t block = 0; block * GS_BLOCK_SIZE < n; block++) {
            uint64_t first = block * GS_BLOCK_SIZE;
            size_t nb = (size_t)(n - first < GS_BLOCK_SIZE ? n - first : GS_BLOCK_SIZE);
            draw_parameters(sim, o, rng, qrng, u_par, block, nb);
            open_stream(rng, o->seed, block, 0);
            for (size_t j = 0; j < nb; j++) {
                gs_rng_uniform_pos_fill(rng, noise, sim->noise_total);
                acc += noise[0];
            }
            acc += u_par[0];
        }
    } else {
        acc = NAN;
    }
    *sink = acc;
    free(noise);
    free(u_par);
    if (qrng)
        gsl_qrng_free(qrng);
    gsl_rng_free(rng);
}

/* parameters_from: each trajectory of the block takes a row of the table,
 * drawn with probability proportional to its weight from the block's own
 * stream, so rows are the same for any thread count. */
static void draw_rows(worker *wk, uint64_t block, size_t nb)
{
    const gs_param_rows *pr = gs_scenario_rows(wk->sim->scn);
    if (!pr)
        return;
    open_stream(wk->rng, wk->o->seed, block, fnv1a32("parameters_from"));
    for (size_t j = 0; j < nb; j++)
        wk->row_of[j] = gs_param_rows_pick(pr, wk->rng);
}

static void run_trajectory(worker *wk, uint64_t block, size_t j, uint64_t global)
{
    gs_sim *sim = wk->sim;
    const gs_scenario *scn = sim->scn;
    size_t nd = gs_scenario_ndims(scn);
    size_t ny = (size_t)sim->n_years;
    size_t np = gs_scenario_count(scn);
    memcpy(wk->theta, wk->theta0, np * sizeof *wk->theta);
    double urow[GS_MAX_DIMS];
    double *u = nd <= GS_MAX_DIMS ? urow : NULL;
    if (!u) {
        wk->failed = 1;
        return;
    }
    for (size_t d = 0; d < nd; d++)
        u[d] = wk->u_par[d * GS_BLOCK_SIZE + j];
    const size_t *cd;
    const gs_copula *cop = gs_scenario_copula(scn, &cd);
    if (cop) {
        size_t k = gs_copula_dim(cop);
        double v[GS_MAX_DIMS];
        for (size_t i = 0; i < k; i++)
            v[i] = u[cd[i]];
        gs_copula_apply(cop, v);
        for (size_t i = 0; i < k; i++)
            u[cd[i]] = v[i];
    }
    for (size_t d = 0; d < nd; d++) {
        size_t pi = gs_scenario_dim_param(scn, d);
        wk->theta[pi] = gs_scenario_draw(scn, pi, u[d]);
    }
    const gs_param_rows *pr = gs_scenario_rows(scn);
    if (pr)
        gs_param_rows_apply(pr, wk->row_of[j], wk->theta);
    for (size_t k = 0; k < wk->o->n_fixed; k++)
        wk->theta[wk->o->fixed_param[k]] = wk->o->fixed_value[k];
    if (wk->o->params_out) {
        gs_strbuf *b = &wk->wave_params[block - wk->wave_first];
        gs_strbuf_printf(b, "%llu", (unsigned long long)global);
        for (size_t d = 0; d < nd; d++)
            gs_strbuf_printf(b, ",%.17g", wk->theta[gs_scenario_dim_param(scn, d)]);
        gs_strbuf_printf(b, "\r\n");
    }

    /* Process noise: a fixed count per trajectory, whatever the draws do. */
    gs_rng_uniform_pos_fill(wk->rng, wk->noise, sim->noise_total);

    gs_world *w = &wk->w;
    w->t = sim->t0;
    memset(wk->state, 0, sim->state_bytes);
    memset(w->link, 0, (sim->shape.link_size ? sim->shape.link_size : 1) * sizeof *w->link);
    for (size_t m = 0; m < sim->n_models; m++)
        sim->models[m]->init(sim->conf[m], wk->state + sim->state_off[m], wk->theta, w,
                             wk->noise + sim->noise_init_off[m]);
    size_t nt = sim->shape.n_trk;
    for (size_t k = 0; k < nt; k++)
        wk->first_year[k] = NAN;
    int keep_traj = wk->o->traj_out && global < wk->o->traj_max;
    double *psums = wk->probes ? wk->wave_psums + (block - wk->wave_first) * 2 * wk->o->n_probes
                               : NULL;
    for (size_t y = 0; y < ny; y++) {
        int t = sim->t0 + (int)y;
        w->t = t;
        const double *uy = wk->noise + sim->noise_init + y * sim->noise_year;
        for (int ph = 0; ph < GS_PHASE_COUNT; ph++)
            for (size_t m = 0; m < sim->n_models; m++)
                sim->models[m]->step(sim->conf[m], wk->state + sim->state_off[m], wk->theta, w,
                                     (gs_phase)ph, uy + sim->noise_year_off[m]);
        double *bv = wk->block_vals + y * GS_BLOCK_SIZE + j;
        for (size_t v = 0; v < sim->shape.n_out; v++)
            bv[v * ny * GS_BLOCK_SIZE] = w->out[v];
        if (wk->traj_vals)
            for (size_t v = 0; v < sim->shape.n_out; v++)
                wk->traj_vals[v * ny + y] = w->out[v];
        if (keep_traj)
            for (size_t v = 0; v < sim->shape.n_out; v++)
                gs_strbuf_printf(&wk->wave_traj[block - wk->wave_first], "%llu,%d,%s,%.17g\r\n",
                                 (unsigned long long)global, t, sim->shape.out[v].name,
                                 w->out[v]);
        if (wk->probes)
            gs_probe_acc_year(wk->probes, t, w->out, psums);
        for (size_t k = 0; k < nt; k++) {
            const gs_tracker_decl *tr = &sim->shape.trk[k];
            double x = w->out[tr->output];
            int met = tr->kind == GS_TRACK_TARGET ? x >= tr->threshold
                                                  : gs_node_reached(x, tr->threshold);
            if (met && isnan(wk->first_year[k]))
                wk->first_year[k] = t;
            if (tr->kind == GS_TRACK_TARGET && t == tr->year && met)
                wk->c.hit[k]++;
        }
    }
    if (wk->probes)
        gs_probe_acc_end(wk->probes);
    for (size_t k = 0; k < nt; k++) {
        if (isnan(wk->first_year[k]))
            gs_passage_add_never(&wk->c.first[k]);
        else
            gs_passage_add(&wk->c.first[k], (int)wk->first_year[k]);
        if (sim->shape.trk[k].kind == GS_TRACK_MILESTONE && !isnan(wk->first_year[k]))
            wk->c.hit[k]++;
    }
    if (wk->traj_vals)
        wk->o->outcome_row(wk->o->outcome_ctx, &wk->wave_outc[block - wk->wave_first], global,
                           wk->traj_vals, wk->first_year);
}

static void run_block(worker *wk, uint64_t block)
{
    gs_sim *sim = wk->sim;
    uint64_t first = block * GS_BLOCK_SIZE;
    size_t nb = (size_t)(wk->n_total - first < GS_BLOCK_SIZE ? wk->n_total - first
                                                             : GS_BLOCK_SIZE);
    size_t nvy = sim->shape.n_out * (size_t)sim->n_years;
    gs_moments *mom = wk->wave_mom + (block - wk->wave_first) * nvy;
    for (size_t i = 0; i < nvy; i++)
        gs_moments_init(&mom[i]);
    if (wk->probes)
        memset(wk->wave_psums + (block - wk->wave_first) * 2 * wk->o->n_probes, 0,
               2 * wk->o->n_probes * sizeof(double));
    draw_parameters(sim, wk->o, wk->rng, wk->qrng, wk->u_par, block, nb);
    draw_rows(wk, block, nb);
    open_stream(wk->rng, wk->o->seed, block, 0);
    for (size_t j = 0; j < nb; j++)
        run_trajectory(wk, block, j, first + j);
    /* Each cell's values in trajectory order: the same moments, bit for bit,
     * as adding them one trajectory at a time. */
    size_t ny = (size_t)sim->n_years;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            size_t i = v * ny + y;
            const double *x = wk->block_vals + i * GS_BLOCK_SIZE;
            gs_moments_add_n(&mom[i], x, nb);
            if (d->n_levels == 0) {
                if (gs_sketch_add_n(wk->c.sk[i], x, nb) != GS_OK)
                    wk->failed = 1;
            } else {
                uint64_t *lv = wk->c.levels[i];
                for (size_t j = 0; j < nb; j++)
                    lv[level_index(d, x[j])]++;
            }
        }
    }
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    for (;;) {
        pthread_mutex_lock(wk->lock);
        uint64_t b = *wk->next_block;
        if (b < wk->wave_end)
            (*wk->next_block)++;
        pthread_mutex_unlock(wk->lock);
        if (b >= wk->wave_end)
            break;
        run_block(wk, b);
    }
    return NULL;
}

static void worker_free(worker *wk)
{
    counts_free(wk->sim, &wk->c);
    free(wk->w.link);
    free(wk->w.out);
    free(wk->theta);
    free(wk->theta0);
    free(wk->u_par);
    free(wk->noise);
    free(wk->first_year);
    free(wk->traj_vals);
    free(wk->block_vals);
    free(wk->state);
    gs_probe_acc_free(wk->probes);
    gsl_rng_free(wk->rng);
    if (wk->qrng)
        gsl_qrng_free(wk->qrng);
}

/* Probe accumulators, each knowing whether its output is continuous. */
static gs_probe_acc *probes_new(const gs_sim *sim, const gs_run_opts *o)
{
    size_t n = o->n_probes;
    int *cont = calloc(n, sizeof *cont);
    gs_probe_acc *a = NULL;
    if (cont) {
        for (size_t i = 0; i < n; i++)
            cont[i] = sim->shape.out[o->probes[i].output].n_levels == 0;
        a = gs_probe_acc_new(o->probes, n, cont, sim->t0, sim->T);
    }
    free(cont);
    return a;
}

static int worker_init(worker *wk, gs_sim *sim, const gs_run_opts *o)
{
    memset(wk, 0, sizeof *wk);
    wk->sim = sim;
    wk->o = o;
    size_t np = gs_scenario_count(sim->scn), nd = gs_scenario_ndims(sim->scn);
    size_t nvy = sim->shape.n_out * (size_t)sim->n_years;
    wk->w.t0 = sim->t0;
    wk->w.T = sim->T;
    wk->w.link = calloc(sim->shape.link_size ? sim->shape.link_size : 1, sizeof(double));
    wk->w.out = calloc(sim->shape.n_out ? sim->shape.n_out : 1, sizeof(double));
    wk->theta = calloc(np ? np : 1, sizeof(double));
    wk->theta0 = calloc(np ? np : 1, sizeof(double));
    wk->u_par = calloc((nd ? nd : 1) * GS_BLOCK_SIZE, sizeof(double));
    wk->noise = calloc(sim->noise_total ? sim->noise_total : 1, sizeof(double));
    wk->first_year = calloc(sim->shape.n_trk ? sim->shape.n_trk : 1, sizeof(double));
    wk->block_vals = malloc((nvy ? nvy : 1) * GS_BLOCK_SIZE * sizeof(double));
    wk->state = aligned_alloc(16, align16(sim->state_bytes ? sim->state_bytes : 16));
    wk->rng = gsl_rng_alloc(gs_rng_philox);
    if (!wk->w.link || !wk->w.out || !wk->theta || !wk->theta0 || !wk->u_par || !wk->noise ||
        !wk->first_year || !wk->block_vals || !wk->state || !wk->rng)
        return -1;
    if (o->sampler == GS_SAMPLER_QMC && nd > 0 && !(wk->qrng = gsl_qrng_alloc(gsl_qrng_sobol,
                                                                          (unsigned)nd)))
        return -1;
    if (o->outcome_row) {
        wk->traj_vals = calloc(sim->shape.n_out * (size_t)sim->n_years + 1, sizeof(double));
        if (!wk->traj_vals)
            return -1;
    }
    gs_scenario_fill_constants(sim->scn, wk->theta0);
    if (o->n_probes && !(wk->probes = probes_new(sim, o)))
        return -1;
    return counts_init(sim, &wk->c);
}

/* ------------------------------------------------------------ run */

static double level_quantile(const gs_output_decl *d, const uint64_t *lv, double p);

/* The sketch of cell i over every worker's counts; NULL when out of memory. */
static gs_sketch *pooled_sketch(const worker *wk, int nthreads, size_t i)
{
    gs_sketch *t = gs_sketch_new(GS_SKETCH_ALPHA, GS_SKETCH_MAX_KEYS);
    for (int w = 0; t && w < nthreads; w++)
        if (gs_sketch_merge(t, wk[w].c.sk[i]) != GS_OK) {
            gs_sketch_free(t);
            t = NULL;
        }
    return t;
}

/* The q-quantiles of cell i over every worker's counts (ps ascending). */
static int pooled_quantiles(const gs_sim *sim, worker *wk, int nthreads, size_t var, size_t i,
                            const double *ps, size_t n_ps, double *out)
{
    const gs_output_decl *d = &sim->shape.out[var];
    if (d->n_levels == 0) {
        gs_sketch *t = pooled_sketch(wk, nthreads, i);
        if (!t)
            return -1;
        for (size_t k = 0; k < n_ps; k++)
            out[k] = gs_sketch_quantile(t, ps[k], NULL);
        gs_sketch_free(t);
        return 0;
    }
    uint64_t *lv = calloc(d->n_levels, sizeof *lv);
    if (!lv)
        return -1;
    for (int w = 0; w < nthreads; w++)
        for (size_t l = 0; l < d->n_levels; l++)
            lv[l] += wk[w].c.levels[i][l];
    for (size_t k = 0; k < n_ps; k++)
        out[k] = level_quantile(d, lv, ps[k]);
    free(lv);
    return 0;
}

/* Whether every precision goal is met after n trajectories; the first one
 * that is not goes into res.  -1 on allocation failure. */
static int precise_enough(const gs_sim *sim, const gs_run_opts *o, worker *wk, int nthreads,
                          uint64_t n, gs_results *res)
{
    const double z = 1.959963984540054;
    int any = 0;
    for (size_t k = 0; o->precision > 0 && k < sim->shape.n_trk; k++) {
        if (sim->shape.trk[k].kind != GS_TRACK_TARGET)
            continue;
        any = 1;
        uint64_t hit = 0;
        for (int i = 0; i < nthreads; i++)
            hit += wk[i].c.hit[k];
        double p, lo, hi;
        gs_wilson(hit, n, &p, &lo, &hi);
        if (!((hi - lo) / 2 <= o->precision)) {
            snprintf(res->prec_what, sizeof res->prec_what, "target:%d", sim->shape.trk[k].year);
            res->prec_half = (hi - lo) / 2;
            res->prec_goal = o->precision;
            return 0;
        }
    }
    size_t ny = (size_t)sim->n_years;
    for (size_t j = 0; j < o->n_prec_q; j++) {
        const gs_precision_quantile *q = &o->prec_q[j];
        size_t i = q->var * ny + (size_t)(q->year - sim->t0);
        double half;
        any = 1;
        if (q->p < 0) {
            half = z * gs_moments_sd(&res->mom[i]) / sqrt((double)n);
            snprintf(res->prec_what, sizeof res->prec_what, "%s@%d:mean",
                     sim->shape.out[q->var].name, q->year);
        } else {
            double e = z * sqrt(q->p * (1 - q->p) / (double)n);
            double ps[2] = {fmax(q->p - e, 0), fmin(q->p + e, 1)}, v[2];
            if (pooled_quantiles(sim, wk, nthreads, q->var, i, ps, 2, v))
                return -1;
            half = (v[1] - v[0]) / 2;
            snprintf(res->prec_what, sizeof res->prec_what, "%s@%d:p%02.0f",
                     sim->shape.out[q->var].name, q->year, 100 * q->p);
        }
        if (!(half <= q->h)) {
            res->prec_half = half;
            res->prec_goal = q->h;
            return 0;
        }
    }
    res->prec_what[0] = '\0';
    return any;
}

/* ------------------------------------------------------------ jobs */

/* Sharing a run with the other processes of a job (gs_job.h).  Each wave's
 * blocks are cut into one contiguous share per process; after the wave every
 * process sends process 0 what its blocks made (their moments, probe sums and
 * rows, which process 0 merges and writes in block order exactly as it would
 * its own) and process 0 answers whether the run goes on.  At the end the
 * counts (exact integers) are merged on process 0 in rank order and the
 * finished results go back to every process, so that all of them continue
 * with the same numbers. */

static void job_share(const gs_job *job, int rank, uint64_t first, uint64_t end, uint64_t *a,
                      uint64_t *b)
{
    if (!job) {
        *a = first;
        *b = end;
        return;
    }
    uint64_t n = end - first, k = (uint64_t)job->size;
    *a = first + n * (uint64_t)rank / k;
    *b = first + n * (uint64_t)(rank + 1) / k;
}

static void pack_text(gs_pack *b, const gs_strbuf *t)
{
    gs_pack_u64(b, t->n);
    gs_pack_put(b, t->p, t->n);
}

static int unpack_text(gs_unpack *r, gs_strbuf *t)
{
    uint64_t n = gs_unpack_u64(r);
    if (r->bad || n > r->n - r->at)
        return -1;
    gs_strbuf_putn(t, (const char *)r->p + r->at, (size_t)n);
    r->at += (size_t)n;
    return t->oom ? -1 : 0;
}

static void counts_pack(gs_pack *b, const gs_sim *sim, const counts *c)
{
    size_t ny = (size_t)sim->n_years;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            size_t i = v * ny + y;
            if (d->n_levels == 0)
                gs_sketch_pack(b, c->sk[i]);
            else
                gs_pack_put(b, c->levels[i], d->n_levels * sizeof(uint64_t));
        }
    }
    for (size_t k = 0; k < sim->shape.n_trk; k++) {
        gs_passage_pack(b, &c->first[k]);
        gs_pack_u64(b, c->hit[k]);
    }
}

static int counts_unpack_merge(gs_unpack *r, const gs_sim *sim, counts *c)
{
    size_t ny = (size_t)sim->n_years;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            size_t i = v * ny + y;
            if (d->n_levels == 0) {
                if (gs_sketch_unpack_merge(c->sk[i], r) != GS_OK)
                    return -1;
            } else {
                for (size_t l = 0; l < d->n_levels; l++)
                    c->levels[i][l] += gs_unpack_u64(r);
            }
        }
    }
    for (size_t k = 0; k < sim->shape.n_trk; k++) {
        if (gs_passage_unpack_merge(&c->first[k], r) != GS_OK)
            return -1;
        c->hit[k] += gs_unpack_u64(r);
    }
    return r->bad ? -1 : 0;
}

/* The counts a precision goal reads: hits per tracker and the cells of the
 * quantile goals, pooled over this process's workers (pack_precision), and
 * added up over the processes into pool (unpack_precision). */
static int pack_precision(gs_pack *b, const gs_sim *sim, const gs_run_opts *o, const worker *wk,
                          int nth)
{
    size_t ny = (size_t)sim->n_years;
    for (size_t k = 0; k < sim->shape.n_trk; k++) {
        uint64_t hit = 0;
        for (int w = 0; w < nth; w++)
            hit += wk[w].c.hit[k];
        gs_pack_u64(b, hit);
    }
    for (size_t j = 0; j < o->n_prec_q; j++) {
        const gs_precision_quantile *q = &o->prec_q[j];
        if (q->p < 0)
            continue;
        size_t i = q->var * ny + (size_t)(q->year - sim->t0);
        const gs_output_decl *d = &sim->shape.out[q->var];
        if (d->n_levels == 0) {
            gs_sketch *t = pooled_sketch(wk, nth, i);
            if (!t)
                return -1;
            gs_sketch_pack(b, t);
            gs_sketch_free(t);
        } else {
            for (size_t l = 0; l < d->n_levels; l++) {
                uint64_t n = 0;
                for (int w = 0; w < nth; w++)
                    n += wk[w].c.levels[i][l];
                gs_pack_u64(b, n);
            }
        }
    }
    return b->oom ? -1 : 0;
}

static int unpack_precision(gs_unpack *r, const gs_sim *sim, const gs_run_opts *o, counts *pool)
{
    size_t ny = (size_t)sim->n_years;
    for (size_t k = 0; k < sim->shape.n_trk; k++)
        pool->hit[k] += gs_unpack_u64(r);
    for (size_t j = 0; j < o->n_prec_q; j++) {
        const gs_precision_quantile *q = &o->prec_q[j];
        if (q->p < 0)
            continue;
        size_t i = q->var * ny + (size_t)(q->year - sim->t0);
        const gs_output_decl *d = &sim->shape.out[q->var];
        if (d->n_levels == 0) {
            if (gs_sketch_unpack_merge(pool->sk[i], r) != GS_OK)
                return -1;
        } else {
            for (size_t l = 0; l < d->n_levels; l++)
                pool->levels[i][l] += gs_unpack_u64(r);
        }
    }
    return r->bad ? -1 : 0;
}

/* Empties the cells and trackers of a pool for the next wave's sums. */
static void counts_clear(const gs_sim *sim, counts *c)
{
    size_t ny = (size_t)sim->n_years;
    for (size_t v = 0; v < sim->shape.n_out; v++) {
        const gs_output_decl *d = &sim->shape.out[v];
        for (size_t y = 0; y < ny; y++) {
            size_t i = v * ny + y;
            if (d->n_levels == 0)
                gs_sketch_reset(c->sk[i]);
            else
                memset(c->levels[i], 0, d->n_levels * sizeof(uint64_t));
        }
    }
    for (size_t k = 0; k < sim->shape.n_trk; k++) {
        gs_passage_reset(&c->first[k]);
        c->hit[k] = 0;
    }
}

/* After a wave: the other processes send their blocks' sums and rows to
 * process 0, which slots them in; with a precision goal, the counts it reads
 * too, pooled into pool.  Returns the rank of a process that failed (its own
 * failure included) + 1, or 0; -1 when the exchange itself failed. */
static int job_wave(const gs_job *job, const gs_sim *sim, const gs_run_opts *o, worker *wk,
                    int nth, int failed, uint64_t first, uint64_t end, size_t nvy, size_t nps,
                    gs_moments *wave_mom, double *wave_psums, gs_strbuf *wave_params,
                    gs_strbuf *wave_traj, gs_strbuf *wave_outc, counts *pool)
{
    int prec = o->precision > 0 || o->n_prec_q > 0;
    gs_pack b = {0};
    gs_pack_u64(&b, (uint64_t)failed);
    uint64_t a, e;
    job_share(job, job->rank, first, end, &a, &e);
    if (!failed && job->rank != 0)
        for (uint64_t blk = a; blk < e; blk++) {
            size_t slot = (size_t)(blk - first);
            gs_moments_pack(&b, wave_mom + slot * nvy, nvy);
            gs_pack_put(&b, wave_psums + slot * nps, nps * sizeof(double));
            pack_text(&b, &wave_params[slot]);
            pack_text(&b, &wave_traj[slot]);
            pack_text(&b, &wave_outc[slot]);
        }
    if (!failed && prec && pack_precision(&b, sim, o, wk, nth) != 0)
        b.oom = 1;
    if (b.oom) {
        gs_pack_free(&b);
        gs_pack_u64(&b, 1);
    }
    unsigned char *all = NULL;
    size_t *len = calloc((size_t)job->size, sizeof *len);
    int bad = 0;
    if (job->gather(job, b.p, b.n, &all, len) != 0 || !len)
        bad = -1;
    gs_pack_free(&b);
    uint64_t verdict = bad < 0 ? (uint64_t)-1 : 0;
    if (job->rank == 0 && bad == 0) {
        if (prec && pool->sk)
            counts_clear(sim, pool);
        size_t off = 0;
        for (int r = 0; r < job->size && verdict == 0; r++) {
            gs_unpack rd;
            gs_unpack_init(&rd, all + off, len[r]);
            off += len[r];
            if (gs_unpack_u64(&rd) != 0 || rd.bad) {
                verdict = (uint64_t)r + 1;
                break;
            }
            uint64_t ra, re;
            job_share(job, r, first, end, &ra, &re);
            for (uint64_t blk = ra; r != 0 && blk < re && !rd.bad; blk++) {
                size_t slot = (size_t)(blk - first);
                gs_moments_unpack(&rd, wave_mom + slot * nvy, nvy);
                gs_unpack_get(&rd, wave_psums + slot * nps, nps * sizeof(double));
                if (unpack_text(&rd, &wave_params[slot]) || unpack_text(&rd, &wave_traj[slot]) ||
                    unpack_text(&rd, &wave_outc[slot]))
                    rd.bad = 1;
            }
            if (prec && !rd.bad && unpack_precision(&rd, sim, o, pool) != 0)
                rd.bad = 1;
            if (rd.bad)
                verdict = (uint64_t)r + 1;
        }
    }
    free(all);
    free(len);
    /* Every process learns the verdict, so that all stop together. */
    unsigned char *vb = (unsigned char *)&verdict;
    size_t vn = sizeof verdict;
    if (job->rank == 0) {
        if (job->bcast(job, &vb, &vn) != 0)
            return -1;
    } else {
        vb = NULL;
        if (job->bcast(job, &vb, &vn) != 0 || vn != sizeof verdict) {
            free(vb);
            return -1;
        }
        memcpy(&verdict, vb, sizeof verdict);
        free(vb);
    }
    return verdict == (uint64_t)-1 ? -1 : (int)verdict;
}

/* Process 0 sends a flag (stop or go on) to every process. */
static int job_flag(const gs_job *job, int *flag)
{
    uint64_t v = (uint64_t)*flag;
    unsigned char *vb = (unsigned char *)&v;
    size_t vn = sizeof v;
    if (job->rank != 0)
        vb = NULL;
    if (job->bcast(job, &vb, &vn) != 0)
        return -1;
    if (job->rank != 0) {
        if (vn != sizeof v) {
            free(vb);
            return -1;
        }
        memcpy(&v, vb, sizeof v);
        free(vb);
    }
    *flag = (int)v;
    return 0;
}

/* The end of a shared run: counts merged on process 0 in rank order, then
 * the finished results sent to every process.  0, or the rank + 1 of a
 * process whose counts could not be merged; -1 when the exchange failed. */
static int job_finish(const gs_job *job, const gs_sim *sim, const gs_run_opts *o,
                      gs_results *res, size_t nvy, size_t nps, int failed)
{
    gs_pack b = {0};
    if (failed) {
        gs_pack_u64(&b, 1);
    } else if (job->rank != 0) {
        gs_pack_u64(&b, 0);
        counts_pack(&b, sim, &res->c);
        if (res->probes)
            gs_probe_acc_pack(&b, res->probes);
        if (b.oom) {
            gs_pack_free(&b);
            gs_pack_u64(&b, 1);
        }
    } else {
        gs_pack_u64(&b, 0);
    }
    unsigned char *all = NULL;
    size_t *len = calloc((size_t)job->size, sizeof *len);
    int rc = job->gather(job, b.p, b.n, &all, len) != 0 || !len ? -1 : 0;
    gs_pack_free(&b);
    uint64_t verdict = rc < 0 ? (uint64_t)-1 : failed && job->rank == 0 ? 1 : 0;
    if (job->rank == 0 && rc == 0) {
        size_t off = len[0];
        for (int r = 1; r < job->size && verdict == 0; r++) {
            gs_unpack rd;
            gs_unpack_init(&rd, all + off, len[r]);
            off += len[r];
            if (gs_unpack_u64(&rd) != 0 || counts_unpack_merge(&rd, sim, &res->c) != 0 ||
                (res->probes && gs_probe_acc_unpack_merge(res->probes, &rd) != GS_OK) ||
                rd.bad)
                verdict = (uint64_t)r + 1;
        }
    }
    free(all);
    free(len);
    /* The finished results, or the verdict alone. */
    if (job->rank == 0) {
        gs_pack_u64(&b, verdict);
        if (verdict == 0) {
            gs_pack_u64(&b, res->n);
            gs_pack_u64(&b, (uint64_t)(int64_t)res->prec_state);
            gs_pack_put(&b, res->prec_what, sizeof res->prec_what);
            gs_pack_f64(&b, res->prec_half);
            gs_pack_f64(&b, res->prec_goal);
            gs_moments_pack(&b, res->mom, nvy);
            gs_pack_put(&b, res->probe_sums, nps * sizeof(double));
            counts_pack(&b, sim, &res->c);
            if (res->probes)
                gs_probe_acc_pack(&b, res->probes);
        }
        if (b.oom) {
            gs_pack_free(&b);
            gs_pack_u64(&b, (uint64_t)-1);
        }
        unsigned char *p = b.p;
        size_t n = b.n;
        rc = job->bcast(job, &p, &n);
        gs_pack_free(&b);
        if (rc != 0)
            return -1;
        return verdict == (uint64_t)-1 ? -1 : (int)verdict;
    }
    unsigned char *p = NULL;
    size_t n = 0;
    if (job->bcast(job, &p, &n) != 0)
        return -1;
    gs_unpack rd;
    gs_unpack_init(&rd, p, n);
    verdict = gs_unpack_u64(&rd);
    if (rd.bad)
        verdict = (uint64_t)-1;
    if (verdict == 0) {
        /* Start from empty counts: what this process counted is in the total. */
        counts_clear(sim, &res->c);
        gs_probe_acc *fresh = o->n_probes ? probes_new(sim, o) : NULL;
        if (o->n_probes && !fresh)
            verdict = (uint64_t)-1;
        gs_probe_acc_free(res->probes);
        res->probes = fresh;
        res->n = gs_unpack_u64(&rd);
        res->prec_state = (int)(int64_t)gs_unpack_u64(&rd);
        gs_unpack_get(&rd, res->prec_what, sizeof res->prec_what);
        res->prec_what[sizeof res->prec_what - 1] = '\0';
        res->prec_half = gs_unpack_f64(&rd);
        res->prec_goal = gs_unpack_f64(&rd);
        gs_moments_unpack(&rd, res->mom, nvy);
        gs_unpack_get(&rd, res->probe_sums, nps * sizeof(double));
        if (verdict == 0 && (counts_unpack_merge(&rd, sim, &res->c) != 0 ||
                             (res->probes && gs_probe_acc_unpack_merge(res->probes, &rd) != GS_OK) ||
                             rd.bad))
            verdict = (uint64_t)-1;
    }
    free(p);
    return verdict == (uint64_t)-1 ? -1 : (int)verdict;
}

gs_status gs_sim_run(gs_sim *sim, const gs_run_opts *o, gs_results **out, gs_error *err)
{
    *out = NULL;
    if (o->n < 1 || o->threads < 1)
        return gs_error_set(err, GS_EUSAGE, NULL, 0, "need at least one trajectory and thread");
    for (size_t i = 0; i < o->n_probes; i++)
        if (gs_probe_check(&o->probes[i], sim->shape.n_out, sim->t0, sim->T) != 0)
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "probe %zu names no output or a year outside the run", i);
    for (size_t k = 0; k < o->n_fixed; k++)
        if (o->fixed_param[k] >= gs_scenario_count(sim->scn) ||
            gs_scenario_at(sim->scn, o->fixed_param[k])->def->type != GS_PT_NUMBER ||
            !isfinite(o->fixed_value[k]))
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "fixed parameter %zu is not a number parameter or not finite", k);
    if (gs_scenario_ndims(sim->scn) > GS_MAX_DIMS)
        return gs_error_set(err, GS_ECONFIG, gs_scenario_file(sim->scn), 0,
                            "more than %d parameters are given as distributions", GS_MAX_DIMS);
    for (size_t j = 0; j < o->n_prec_q; j++) {
        const gs_precision_quantile *q = &o->prec_q[j];
        if (q->var >= sim->shape.n_out || q->year < sim->t0 || q->year > sim->T ||
            !(q->p <= 1) || !(q->h > 0))
            return gs_error_set(err, GS_EUSAGE, NULL, 0,
                                "precision goal %zu: no such output, year, quantile or width", j);
    }
    if (o->sampler == GS_SAMPLER_QMC && gs_scenario_ndims(sim->scn) > GS_QMC_MAX_DIMS)
        return gs_error_set(err, GS_EUSAGE, gs_scenario_file(sim->scn), 0,
                            "the qmc sampler takes at most %d parameters given as distributions "
                            "(GSL's Sobol' sequence), the scenario has %zu: use lhs",
                            GS_QMC_MAX_DIMS, gs_scenario_ndims(sim->scn));
    int nth = o->threads;
    size_t nvy = sim->shape.n_out * (size_t)sim->n_years;
    /* Shared with a job, a wave gives every process GS_WAVE_BLOCKS blocks;
     * a precision goal is checked after every GS_WAVE_BLOCKS blocks, so its
     * waves stay that long (and stop where a single process stops). */
    const gs_job *job = gs_job_active();
    int prec = o->precision > 0 || o->n_prec_q > 0;
    size_t wave_blocks = GS_WAVE_BLOCKS * (job && !prec ? (size_t)job->size : 1);
    gs_results *res = calloc(1, sizeof *res);
    worker *wk = calloc((size_t)nth, sizeof *wk);
    pthread_t *tid = calloc((size_t)nth, sizeof *tid);
    /* Each block initialises its own slot: no need to clear them here. */
    gs_moments *wave_mom = malloc(wave_blocks * (nvy ? nvy : 1) * sizeof *wave_mom);
    size_t nps = 2 * o->n_probes;
    double *wave_psums = calloc(wave_blocks * (nps ? nps : 1), sizeof *wave_psums);
    gs_strbuf *wave_params = calloc(wave_blocks, sizeof *wave_params);
    gs_strbuf *wave_traj = calloc(wave_blocks, sizeof *wave_traj);
    gs_strbuf *wave_outc = calloc(wave_blocks, sizeof *wave_outc);
    counts pool = {0};      /* a job's pooled counts for precision goals (process 0) */
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    gs_status rc = GS_OK;
    int ready = res && wk && tid && wave_mom && wave_psums && wave_params && wave_traj &&
                wave_outc;
    if (ready && job && prec && job->rank == 0)
        ready = counts_init(sim, &pool) == 0;
    if (ready) {
        res->sim = sim;
        res->prec_state = -1;
        res->mom = calloc(nvy ? nvy : 1, sizeof *res->mom);
        res->probe_sums = calloc(nps ? nps : 1, sizeof *res->probe_sums);
        ready = res->mom != NULL && res->probe_sums != NULL;
        for (size_t i = 0; ready && i < nvy; i++)
            gs_moments_init(&res->mom[i]);
    }
    for (int i = 0; ready && i < nth; i++)
        ready = worker_init(&wk[i], sim, o) == 0;
    if (!ready) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        /* The other processes wait for this one's first wave: say it failed. */
        if (job)
            job_wave(job, sim, o, wk, 0, 1, 0, 1, nvy, nps, NULL, NULL, NULL, NULL, NULL, &pool);
        goto done;
    }
    if (o->params_out) {
        fprintf(o->params_out, "trajectory");
        for (size_t d = 0; d < gs_scenario_ndims(sim->scn); d++)
            fprintf(o->params_out, ",%s",
                    gs_scenario_at(sim->scn, gs_scenario_dim_param(sim->scn, d))->path);
        fprintf(o->params_out, "\r\n");
    }
    if (o->traj_out)
        fprintf(o->traj_out, "trajectory,year,variable,value\r\n");

    uint64_t n_blocks = (o->n + GS_BLOCK_SIZE - 1) / GS_BLOCK_SIZE;
    uint64_t next = 0;
    uint64_t done_n = 0;
    for (uint64_t wave = 0; wave * wave_blocks < n_blocks; wave++) {
        uint64_t first = wave * wave_blocks;
        uint64_t end = first + wave_blocks < n_blocks ? first + wave_blocks : n_blocks;
        uint64_t mine_first, mine_end; /* this process's blocks of the wave */
        job_share(job, job ? job->rank : 0, first, end, &mine_first, &mine_end);
        next = mine_first;
        for (int i = 0; i < nth; i++) {
            wk[i].next_block = &next;
            wk[i].lock = &lock;
            wk[i].wave_first = first;
            wk[i].wave_end = mine_end;
            wk[i].n_total = o->n;
            wk[i].wave_mom = wave_mom;
            wk[i].wave_params = wave_params;
            wk[i].wave_traj = wave_traj;
            wk[i].wave_psums = wave_psums;
            wk[i].wave_outc = wave_outc;
        }
        int started = 0;
        for (int i = 1; i < nth; i++) {
            if (pthread_create(&tid[i], NULL, worker_main, &wk[i]) != 0)
                break;
            started = i;
        }
        worker_main(&wk[0]);
        for (int i = 1; i <= started; i++)
            pthread_join(tid[i], NULL);
        for (size_t b = 0; b < wave_blocks; b++)
            if (wave_params[b].oom || wave_traj[b].oom || wave_outc[b].oom)
                wk[0].failed = 1;
        int failed = 0;
        for (int i = 0; i < nth; i++)
            if (wk[i].failed || (wk[i].probes && gs_probe_acc_failed(wk[i].probes)))
                failed = 1;
        if (job) {
            int who = job_wave(job, sim, o, wk, nth, failed, first, end, nvy, nps, wave_mom,
                               wave_psums, wave_params, wave_traj, wave_outc, &pool);
            if (who != 0) {
                rc = who < 0 ? gs_error_set(err, GS_ERUN, NULL, 0,
                                            "the processes of the job could not exchange "
                                            "their blocks (out of memory?)")
                             : gs_error_set(err, GS_ENOMEM, NULL, 0,
                                            "out of memory during the run (process %d of %d)",
                                            who - 1, job->size);
                goto done;
            }
        } else if (failed) {
            rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory during the run");
            goto done;
        }
        /* Merge in block order: the same bits for any thread count and any
         * number of processes (only process 0 of a job merges and writes). */
        for (uint64_t b = first; job && job->rank != 0 && b < end; b++) {
            size_t slot = (size_t)(b - first);
            wave_params[slot].n = wave_traj[slot].n = wave_outc[slot].n = 0;
        }
        for (uint64_t b = first; (!job || job->rank == 0) && b < end; b++) {
            size_t slot = (size_t)(b - first);
            for (size_t i = 0; i < nvy; i++)
                gs_moments_merge(&res->mom[i], &wave_mom[slot * nvy + i]);
            for (size_t i = 0; i < nps; i++)
                res->probe_sums[i] += wave_psums[slot * nps + i];
            if (o->params_out && wave_params[slot].p)
                fwrite(wave_params[slot].p, 1, wave_params[slot].n, o->params_out);
            if (o->traj_out && wave_traj[slot].p)
                fwrite(wave_traj[slot].p, 1, wave_traj[slot].n, o->traj_out);
            if (o->outcomes_out && wave_outc[slot].p)
                fwrite(wave_outc[slot].p, 1, wave_outc[slot].n, o->outcomes_out);
            /* Keep the memory for the next wave, forget the text. */
            wave_params[slot].n = wave_traj[slot].n = wave_outc[slot].n = 0;
        }
        done_n = end * GS_BLOCK_SIZE < o->n ? end * GS_BLOCK_SIZE : o->n;
        if (o->progress)
            o->progress(o->progress_ctx, done_n, o->n);
        if (prec) {
            int ok = 0;
            if (!job) {
                ok = precise_enough(sim, o, wk, nth, done_n, res);
            } else {
                /* Process 0 judges the pooled counts and tells the others. */
                worker whole;
                memset(&whole, 0, sizeof whole);
                whole.c = pool;
                if (job->rank == 0)
                    ok = precise_enough(sim, o, &whole, 1, done_n, res);
                if (job_flag(job, &ok) != 0) {
                    rc = gs_error_set(err, GS_ERUN, NULL, 0,
                                      "the processes of the job could not agree to stop");
                    goto done;
                }
            }
            if (ok < 0) {
                rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                goto done;
            }
            res->prec_state = ok;
            if (ok)
                break;
        }
    }
    res->n = done_n;
    res->n_probes = o->n_probes;
    /* Counts are exact integers: the first worker's become the run's, and
     * the others' are added to them, in any order. */
    res->c = wk[0].c;
    memset(&wk[0].c, 0, sizeof wk[0].c);
    int merged = 1;
    for (int i = 1; merged && i < nth; i++)
        merged = counts_merge(sim, &res->c, &wk[i].c) == 0;
    if (merged && o->n_probes) {
        merged = (res->probes = probes_new(sim, o)) != NULL;
        for (int i = 0; merged && i < nth; i++)
            gs_probe_acc_merge(res->probes, wk[i].probes);
    }
    if (!merged && !job) {
        rc = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    if (job) {
        int who = job_finish(job, sim, o, res, nvy, nps, !merged);
        if (who != 0) {
            rc = who < 0 ? gs_error_set(err, GS_ERUN, NULL, 0,
                                        "the processes of the job could not merge their counts "
                                        "(out of memory?)")
                         : gs_error_set(err, GS_ERUN, NULL, 0,
                                        "the counts of process %d of %d could not be merged",
                                        who - 1, job->size);
            goto done;
        }
    }

done:
    for (int i = 0; wk && i < nth; i++)
        if (wk[i].sim)
            worker_free(&wk[i]);
    for (size_t s = 0; s < wave_blocks && wave_params && wave_traj && wave_outc; s++) {
        gs_strbuf_free(&wave_params[s]);
        gs_strbuf_free(&wave_traj[s]);
        gs_strbuf_free(&wave_outc[s]);
    }
    free(wave_params);
    free(wave_traj);
    free(wave_outc);
    if (pool.sk)
        counts_free(sim, &pool);
    free(wk);
    free(tid);
    free(wave_mom);
    free(wave_psums);
    if (rc) {
        gs_results_free(res);
        return rc;
    }
    *out = res;
    return GS_OK;
}

/* --------------------------------------------------------- results */

void gs_results_free(gs_results *r)
{
    if (!r)
        return;
    if (r->sim)
        counts_free(r->sim, &r->c);
    gs_probe_acc_free(r->probes);
    free(r->probe_sums);
    free(r->mom);
    free(r);
}

int gs_results_precision(const gs_results *r, const char **what, double *half_width,
                         double *goal)
{
    *what = r->prec_state == 0 ? r->prec_what : NULL;
    *half_width = r->prec_state == 0 ? r->prec_half : NAN;
    *goal = r->prec_state == 0 ? r->prec_goal : NAN;
    return r->prec_state;
}

int gs_results_t0(const gs_results *r) { return r->sim->t0; }
int gs_results_T(const gs_results *r) { return r->sim->T; }
uint64_t gs_results_trajectories(const gs_results *r) { return r->n; }
size_t gs_results_n_outputs(const gs_results *r) { return r->sim->shape.n_out; }
const gs_output_decl *gs_results_output(const gs_results *r, size_t i)
{
    return &r->sim->shape.out[i];
}

long gs_results_find(const gs_results *r, const char *name)
{
    for (size_t i = 0; i < r->sim->shape.n_out; i++)
        if (strcmp(r->sim->shape.out[i].name, name) == 0)
            return (long)i;
    return -1;
}

static long cell(const gs_results *r, size_t var, int year)
{
    if (var >= r->sim->shape.n_out || year < r->sim->t0 || year > r->sim->T)
        return -1;
    return (long)(var * (size_t)r->sim->n_years + (size_t)(year - r->sim->t0));
}

double gs_results_mean(const gs_results *r, size_t var, int year)
{
    long i = cell(r, var, year);
    return i < 0 ? NAN : gs_moments_mean(&r->mom[i]);
}

double gs_results_sd(const gs_results *r, size_t var, int year)
{
    long i = cell(r, var, year);
    return i < 0 ? NAN : gs_moments_sd(&r->mom[i]);
}

/* Discrete outputs: the smallest level whose cumulative count reaches p n
 * (inverse CDF); the small allowance absorbs rounding in p n. */
static double level_quantile(const gs_output_decl *d, const uint64_t *lv, double p)
{
    uint64_t total = 0;
    for (size_t l = 0; l < d->n_levels; l++)
        total += lv[l];
    if (total == 0)
        return NAN;
    double target = p * (double)total - 1e-9 * (double)total;
    uint64_t cum = 0;
    for (size_t l = 0; l < d->n_levels; l++) {
        cum += lv[l];
        if (lv[l] && (double)cum >= target)
            return d->levels[l];
    }
    return d->levels[d->n_levels - 1];
}

double gs_results_quantile(const gs_results *r, size_t var, int year, double p)
{
    return gs_results_quantile_flag(r, var, year, p, NULL);
}

double gs_results_quantile_flag(const gs_results *r, size_t var, int year, double p,
                                gs_sketch_flag *flag)
{
    long i = cell(r, var, year);
    if (flag)
        *flag = GS_SKETCH_EMPTY;
    if (i < 0)
        return NAN;
    const gs_output_decl *d = &r->sim->shape.out[var];
    if (d->n_levels == 0)
        return gs_sketch_quantile(r->c.sk[i], p, flag);
    double v = level_quantile(d, r->c.levels[i], p);
    if (flag)
        *flag = isnan(v) ? GS_SKETCH_EMPTY : GS_SKETCH_OK;
    return v;
}

double gs_results_cdf(const gs_results *r, size_t var, int year, double x, double *lo, double *hi)
{
    long i = cell(r, var, year);
    double l, h;
    if (!lo)
        lo = &l;
    if (!hi)
        hi = &h;
    *lo = *hi = NAN;
    if (i < 0)
        return NAN;
    const gs_output_decl *d = &r->sim->shape.out[var];
    if (d->n_levels == 0)
        return gs_sketch_cdf(r->c.sk[i], x, lo, hi);
    /* Discrete levels are exact: both bounds are the share at levels <= x. */
    const uint64_t *lv = r->c.levels[i];
    uint64_t total = 0, le = 0;
    for (size_t k = 0; k < d->n_levels; k++) {
        total += lv[k];
        if (d->levels[k] <= x)
            le += lv[k];
    }
    if (total == 0 || isnan(x))
        return NAN;
    *lo = *hi = (double)le / (double)total;
    return *lo;
}

double gs_results_level_prob(const gs_results *r, size_t var, int year, size_t k)
{
    long i = cell(r, var, year);
    const gs_output_decl *d = i < 0 ? NULL : &r->sim->shape.out[var];
    if (!d || d->n_levels == 0 || k >= d->n_levels || r->n == 0)
        return NAN;
    return (double)r->c.levels[i][k] / (double)r->n;
}

size_t gs_results_n_probes(const gs_results *r) { return r->n_probes; }

void gs_results_probe(const gs_results *r, size_t i, gs_probe_stats *st)
{
    gs_probe_acc_stats(r->probes, r->probe_sums, i, st);
}

size_t gs_results_n_trackers(const gs_results *r) { return r->sim->shape.n_trk; }
const gs_tracker_decl *gs_results_tracker(const gs_results *r, size_t k)
{
    return &r->sim->shape.trk[k];
}

void gs_results_tracker_prob(const gs_results *r, size_t k, double *p, double *lo, double *hi)
{
    gs_wilson(r->c.hit[k], r->n, p, lo, hi);
}

void gs_results_tracker_prob_by(const gs_results *r, size_t k, double *p, double *lo, double *hi)
{
    const gs_passage *ps = &r->c.first[k];
    const gs_tracker_decl *tr = &r->sim->shape.trk[k];
    int y = tr->kind == GS_TRACK_TARGET && tr->year < ps->T ? tr->year : ps->T;
    uint64_t hit = 0;
    for (int t = ps->t0; t <= y; t++)
        hit += ps->count[t - ps->t0];
    gs_wilson(hit, gs_passage_total(ps), p, lo, hi);
}

int gs_results_tracker_first(const gs_results *r, size_t k, double q)
{
    return gs_passage_quantile(&r->c.first[k], q);
}

double gs_results_tracker_never(const gs_results *r, size_t k)
{
    uint64_t n = gs_passage_total(&r->c.first[k]);
    return n ? (double)r->c.first[k].never / (double)n : NAN;
}
