/* docs/model.md must name every parameter a scenario can set and every output
 * a run writes: a parameter or output added without its documentation fails
 * here, so the reference that analysts quote cannot silently fall behind. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_engine.h"
#include "gs_model.h"

static char *model_md;

static int setup(void **state)
{
    (void)state;
    model_md = gs_test_slurp(gs_test_source_path("docs/model.md"), NULL);
    return model_md ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(model_md);
    model_md = NULL;
    return 0;
}

/* Names are looked for in backticks, as the reference writes them, so that
 * "fund.crunch.years" is not found inside "funds.*.years" by accident. */
static int documented(const char *name)
{
    char quoted[256];
    snprintf(quoted, sizeof quoted, "`%s`", name);
    return strstr(model_md, quoted) != NULL;
}

static void test_every_parameter_path_is_documented(void **state)
{
    (void)state;
    size_t n = 0, missing = 0;
    for (const gs_param_def *const *t = gs_param_tables(); *t; t++)
        for (const gs_param_def *d = *t; d->path; d++) {
            n++;
            if (!documented(d->path)) {
                print_error("docs/model.md does not document parameter `%s`\n", d->path);
                missing++;
            }
        }
    /* The engine and the three models declare dozens of keys; far fewer means
     * the tables were not walked. */
    assert_true(n >= 50);
    assert_int_equal(missing, 0);
}

/* The output names listed in docs/outputs.md: every `name` in the paragraph
 * that starts with "Variables:". */
static size_t listed_outputs(char names[][64], size_t max)
{
    char *md = gs_test_slurp(gs_test_source_path("docs/outputs.md"), NULL);
    assert_non_null(md);
    const char *p = strstr(md, "Variables:");
    assert_non_null(p);
    const char *end = strstr(p, "\n\n");
    if (!end)
        end = p + strlen(p);
    size_t n = 0;
    while (n < max) {
        const char *open = strchr(p, '`');
        if (!open || open >= end)
            break;
        const char *close = strchr(open + 1, '`');
        if (!close || close >= end)
            break;
        size_t len = (size_t)(close - open - 1);
        if (len > 0 && len < 64) {
            memcpy(names[n], open + 1, len);
            names[n][len] = '\0';
            n++;
        }
        p = close + 1;
    }
    free(md);
    return n;
}

static void test_every_listed_output_is_documented(void **state)
{
    (void)state;
    char names[64][64];
    size_t n = listed_outputs(names, 64), missing = 0;
    for (size_t i = 0; i < n; i++)
        if (!documented(names[i])) {
            print_error("docs/model.md does not document output `%s` (docs/outputs.md)\n",
                        names[i]);
            missing++;
        }
    /* docs/outputs.md lists twelve names today (share_<segment> is one). */
    assert_true(n >= 12);
    assert_int_equal(missing, 0);
}

/* What the models actually declare, bound to the baseline: catches an output
 * added in code but in neither document.  One trajectory is enough to bind. */
static void test_every_declared_output_is_documented(void **state)
{
    (void)state;
    gs_gsl_quiet();
    gs_error err;
    gs_error_clear(&err);
    gs_scenario *scn = NULL;
    assert_int_equal(gs_scenario_load(gs_param_tables(), gs_test_source_path("configs/baseline.cfg"),
                                      NULL, 0, &scn, &err),
                     GS_OK);
    gs_sim *sim = NULL;
    assert_int_equal(gs_sim_new(scn, gs_models_builtin(), &sim, &err), GS_OK);
    gs_run_opts o;
    gs_run_opts_default(&o);
    o.n = 1;
    gs_results *res = NULL;
    assert_int_equal(gs_sim_run(sim, &o, &res, &err), GS_OK);

    char *const *ms;
    size_t n_m = gs_scenario_items(scn, "controls", &ms);
    static const char *const rungs[] = {"mature", "28nm", "14nm", "7nm", "5nm", "3nm", "2nm",
                                        "1p4nm"};
    static const char *const per_rung[] = {"capacity_leader_", "leader_mix_", "penalty_"};
    size_t n_out = gs_results_n_outputs(res), missing = 0;
    for (size_t v = 0; v < n_out; v++) {
        const char *name = gs_results_output(res, v)->name;
        char generic[64];
        /* Per-measure and per-rung outputs are documented once, as
         * control_<m> and PREFIX<rung>. */
        for (size_t i = 0; i < n_m; i++)
            if (strncmp(name, "control_", 8) == 0 && strcmp(name + 8, ms[i]) == 0)
                name = "control_<m>";
        for (size_t k = 0; k < 3; k++)
            for (size_t i = 0; i < 8; i++) {
                size_t len = strlen(per_rung[k]);
                if (strncmp(name, per_rung[k], len) == 0 && strcmp(name + len, rungs[i]) == 0) {
                    snprintf(generic, sizeof generic, "%s<rung>", per_rung[k]);
                    name = generic;
                }
            }
        if (!documented(name)) {
            print_error("docs/model.md does not document output `%s`\n", name);
            missing++;
        }
    }
    assert_true(n_out >= 12);
    assert_int_equal(missing, 0);
    gs_results_free(res);
    gs_sim_free(sim);
    gs_scenario_free(scn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_parameter_path_is_documented),
        cmocka_unit_test(test_every_listed_output_is_documented),
        cmocka_unit_test(test_every_declared_output_is_documented),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
