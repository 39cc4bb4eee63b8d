/* gapsim_floor: the random-number floor of `gapsim run`.
 *
 *   gapsim_floor SCENARIO.cfg N [SEED]
 *
 * Loads and binds the scenario as gapsim does, then draws exactly the
 * uniforms a run of N trajectories draws (the same generator, streams,
 * sampler, Latin hypercube shuffles and process-noise counts, on one thread;
 * gs_sim_floor in sim/engine.c shares the engine's own drawing code) and
 * does nothing else with them: no inverse CDF, model step or accumulator.
 * bench/run.sh times it beside gapsim to give gapsim's multiple of it. */
#include <stdio.h>
#include <stdlib.h>

#include "gs_engine.h"

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: gapsim_floor SCENARIO.cfg N [SEED]\n");
        return 2;
    }
    gs_gsl_quiet();
    gs_error err;
    gs_error_clear(&err);
    gs_scenario *scn = NULL;
    gs_sim *sim = NULL;
    gs_status st = gs_scenario_load_models(gs_models_builtin(), argv[1], NULL, 0, &scn, &err);
    if (!st)
        st = gs_sim_new(scn, gs_models_builtin(), &sim, &err);
    if (st) {
        char msg[2048];
        gs_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "gapsim_floor: %s\n", msg);
        gs_scenario_free(scn);
        return gs_status_exit(st);
    }
    gs_run_opts o;
    gs_run_opts_default(&o);
    gs_run_opts_from_scenario(&o, scn);
    char *end;
    o.n = strtoull(argv[2], &end, 10);
    if (*end || o.n < 1) {
        fprintf(stderr, "gapsim_floor: N must be a positive whole number\n");
        return 2;
    }
    if (argc == 4)
        o.seed = strtoull(argv[3], NULL, 10);
    double sink;
    gs_sim_floor(sim, &o, o.n, &sink);
    printf("%.17g\n", sink);
    gs_sim_free(sim);
    gs_scenario_free(scn);
    return sink == sink ? 0 : 1;
}
