/* gs_rng.h: the trajectories' random numbers.
 *
 * Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers:
 * as easy as 1, 2, 3"; Random123's philox.h) wrapped as a gsl_rng_type, so
 * that every GSL distribution and gs_lhs_fill take it like any GSL generator.
 * A counter-based generator maps (key, counter) to four 32-bit words: a
 * stream is a key, so opening a stream is free (no state to seed, as
 * MT19937's 624 words are), and streams with different keys are independent
 * by construction.  It passes TestU01's BigCrush (the paper's table 2).
 *
 * Each draw is one 32-bit word, and gsl_rng_uniform gives word / 2^32, the
 * resolution of GSL's own 32-bit generators such as MT19937.
 */
#ifndef GS_RNG_H
#define GS_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* gsl_rng_alloc(gs_rng_philox): gsl_rng_set(r, s) opens the stream keyed by s
 * alone; gs_rng_stream opens the stream of one use within one block. */
extern const gsl_rng_type *gs_rng_philox;

/* The stream (seed, block, what): Philox's 64-bit key is (seed, what), its
 * 128-bit counter starts at (0, 0, block low word, block high word), so each
 * block's stream holds 2^66 draws before it could meet another's.  r must
 * come from gsl_rng_alloc(gs_rng_philox). */
void gs_rng_stream(gsl_rng *r, uint32_t seed, uint64_t block, uint32_t what);

/* The same n values as n calls of gsl_rng_uniform_pos(r), in (0, 1),
 * without a call through GSL per value. */
void gs_rng_uniform_pos_fill(gsl_rng *r, double *out, size_t n);

#endif
