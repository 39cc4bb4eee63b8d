/* gs_backtest.h: scoring a scenario against what happened.
 *
 * Observations (data/observations.csv, docs/validation.md) are read once,
 * checked against a bound scenario (every variable must mean something in
 * it, every year must lie in it), turned into engine probes, and scored from
 * what the run accumulated at those probes: the PIT, the 50 % and 90 % band
 * flags and the CRPS.  Nothing here keeps trajectories.
 */
#ifndef GS_BACKTEST_H
#define GS_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "gs_engine.h"
#include "gs_error.h"

/* value: the variable's value in a year; first_year: the first year a node
 * or a measure was reached (or "not by year"); below, above: the value is
 * known only to lie below or above the given bound (censored). */
typedef enum { GS_OBS_VALUE, GS_OBS_FIRST_YEAR, GS_OBS_BELOW, GS_OBS_ABOVE } gs_obs_kind;

typedef struct gs_obs {
    char id[64];
    gs_obs_kind kind;
    char variable[64];
    int year;           /* value: the year; first_year: the last year the observation covers */
    double at;          /* value, below, above: the model time compared (year + offset, e.g.
                           a quarter's mid-point); NAN: the year itself */
    double value;       /* NAN for a first_year observation "not reached by year"; below,
                           above: the bound */
    char basis[64];     /* "" when the variable has no basis */
    double sd;          /* the observation's own error, >= 0 */
    char *source;
    char confidence[16];
    char input_of[256]; /* the settings that make it a scenario's input, space-separated: PATH
                           (a year, or a list of years, reaching the row's year) or PATH=VALUE */
    int line;           /* line in the file */
} gs_obs;

typedef struct gs_obs_set {
    char file[1024];
    gs_obs *obs;
    size_t n;
} gs_obs_set;

/* Reads and checks an observations file (columns
 * id,kind,variable,year,value,basis,sd,source,confidence, and optionally at
 * and input_of;
 * RFC 4180).  Errors name the file and line (GS_EINPUT). */
gs_status gs_obs_read(const char *file, gs_obs_set *set, gs_error *err);
void gs_obs_free(gs_obs_set *set);

typedef enum {
    GS_BT_SCORED,
    GS_BT_NOT_COMPARABLE, /* another basis than the scenario's */
    GS_BT_OUTSIDE,        /* outside the year window */
    GS_BT_INPUT,          /* an input of the scenario (in-sample) */
    GS_BT_UNDEFINED       /* the output is defined in no trajectory (after the run) */
} gs_bt_status;

/* One observation against one scenario. */
typedef struct gs_bt_row {
    const gs_obs *obs;
    gs_bt_status status;
    char reason[512];     /* not scored: why */
    size_t probe;         /* scored: the probe's index */
    long output;          /* the output slot followed */
    int discrete;         /* the forecast is discrete (node years, counts) */
    int censored;         /* first_year "not reached by year", or a below/above bound */
    int composite;        /* a sum over outputs or years, or conditional: quantiles from the
                             probe's sketch */
    uint64_t n_defined;   /* trajectories that count (conditional rows: where defined) */
    double pit;           /* mid-PIT for discrete forecasts; PIT of the forecast convolved with
                             sd; NAN for below/above (no point to place); for below/above,
                             p_region is the forecast's probability of the observed side */
    double p_region;
    double q[5];          /* p05 p25 p50 p75 p95 (first years: horizon + 1 = not by the horizon) */
    int in50, in90;       /* 1, 0, or -1 when a censored observation leaves it open; below,
                             above: the observed side has more than 25 % (5 %) of the forecast */
    double crps;          /* censored: the part every outcome on the observed side shares (a
                             lower bound) */
    double crps_accuracy; /* bound on the CRPS's error from binning, same unit */
} gs_bt_row;

typedef struct gs_backtest {
    const gs_sim *sim;
    gs_bt_row *rows;      /* one per observation, in file order */
    size_t n;
    gs_probe *probes;
    size_t n_probes;
    int from, until;
} gs_backtest;

/* Checks every observation against the scenario of sim and plans its probes
 * for the year window [from, until] (from = 0: the base year + 1; until = 0:
 * the horizon).  Unknown variables and years outside the scenario are
 * errors at the observation's line (GS_EINPUT). */
gs_status gs_backtest_plan(const gs_sim *sim, const gs_obs_set *set, int from, int until,
                           gs_backtest *bt, gs_error *err);
/* Scores the scored rows from a run made with bt->probes. */
gs_status gs_backtest_score(gs_backtest *bt, const gs_results *r, gs_error *err);
void gs_backtest_free(gs_backtest *bt);

/* 1 when row i opens a fan in backtest_fan.csv: the first scored row of a
 * variable whose value is scored in a whole year (first years and sums
 * have no fan). */
int gs_bt_fan_row(const gs_backtest *bt, size_t i);

/* The CRPS of a normal forecast N(m, s) at y (Gneiting and Raftery 2007). */
double gs_crps_normal(double m, double s, double y);

/* Writes backtest.csv, not_scored.csv, backtest_fan.csv, backtest.txt into
 * dir (ref: the same observations scored against the reference scenario, or
 * NULL) and returns the text of backtest.txt in *text (malloc'd) when text is
 * set. */
gs_status gs_backtest_write(const gs_backtest *bt, const gs_results *r, const gs_backtest *ref,
                            const gs_results *rr, const char *obs_file, const char *dir,
                            char **text, gs_error *err);

#endif
