/* rng.c: Philox4x32-10 as a gsl_rng_type (see gs_rng.h). */
#include "gs_rng.h"

#include <string.h>

#include <Random123/philox.h>

typedef struct philox_state {
    philox4x32_ctr_t ctr;   /* counter of the next block of four words */
    philox4x32_key_t key;
    uint32_t word[4];       /* the current block of four words */
    unsigned next;          /* next unused word; 4 when none is left */
} philox_state;

static void refill(philox_state *s)
{
    philox4x32_ctr_t out = philox4x32_R(10, s->ctr, s->key);
    memcpy(s->word, out.v, sizeof s->word);
    s->next = 0;
    /* 64 bits of draw counter: ctr.v[2..3] hold the block and never change. */
    if (++s->ctr.v[0] == 0)
        s->ctr.v[1]++;
}

static inline uint32_t next_word(philox_state *s)
{
    if (s->next == 4)
        refill(s);
    return s->word[s->next++];
}

static void philox_open(philox_state *s, uint32_t k0, uint32_t k1, uint64_t block)
{
    s->key.v[0] = k0;
    s->key.v[1] = k1;
    s->ctr.v[0] = 0;
    s->ctr.v[1] = 0;
    s->ctr.v[2] = (uint32_t)block;
    s->ctr.v[3] = (uint32_t)(block >> 32);
    s->next = 4;
}

static void philox_set(void *vs, unsigned long seed)
{
    uint64_t s64 = (uint64_t)seed;
    philox_open(vs, (uint32_t)s64, (uint32_t)(s64 >> 32), 0);
}

static unsigned long philox_get(void *vs)
{
    return next_word(vs);
}

static double philox_get_double(void *vs)
{
    return next_word(vs) / 4294967296.0;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", 0xffffffffUL, 0, sizeof(philox_state),
    philox_set, philox_get, philox_get_double};

const gsl_rng_type *gs_rng_philox = &philox_type;

void gs_rng_stream(gsl_rng *r, uint32_t seed, uint64_t block, uint32_t what)
{
    philox_open(r->state, seed, what, block);
}

void gs_rng_uniform_pos_fill(gsl_rng *r, double *out, size_t n)
{
    philox_state *s = r->state;
    for (size_t i = 0; i < n; i++) {
        uint32_t w;
        do
            w = next_word(s);
        while (w == 0);   /* gsl_rng_uniform_pos refuses 0 the same way */
        out[i] = w / 4294967296.0;
    }
}
