/* The config layer: inheritance, --set overrides, the errors a scenario
 * author meets (each naming file and line), correlations, and the resolved
 * text that manifest.json records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_engine.h"
#include "gs_scenario.h"
#include "testutil.h"

static const char base_cfg[] =
    "scenario = { name = \"base\"; share_definition = \"test basis\";\n"   /* 1 */
    "             base_year = 2014; horizon = 2030; };\n"                  /* 2 */
    "tools = {\n"                                                          /* 3 */
    "  base = 4.37;\n"                                                     /* 4 */
    "  growth = { dist = \"triangular\"; min = 0.1; mode = 0.2; max = 0.3; };\n"
    "  per_fund_usd = 0.2;\n"                                              /* 6 */
    "  noise = { dist = \"uniform\"; min = 0.05; max = 0.15; };\n"         /* 7 */
    "};\n"
    "funds = { fund1 = { year = 2014.5; size = 138.7; paid_over = 3.5; }; };\n" /* 9 */
    "market = { consumption0 = 100.0; };\n"
    "fx = { base_year = 6.6; };\n"
    "anchors = { made_in_china = 0.151; csia_share = 0.29; csia_sales_cny = 291.5; };\n"
    "ownership = { foreign0 = 0.6; leader0 = 0.4; };\n"
    "capacity = { turnover = 0.4; };\n"
    "leader = { step = 4.0; };\n"
    "frontier = { record = { years = [2011, 2012, 2014, 2016, 2018];\n"
    "                        nm = [28.0, 22.0, 14.0, 10.0, 7.0]; until = 2018; }; };\n"
    "controls = { euv = { threshold_nm = 5.0; law = \"fixed\"; year = 2019; }; };\n";

static char dir[4096];
static char base_path[4200];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", gs_test_tmpdir("scenario"));
    snprintf(base_path, sizeof base_path, "%s/base.cfg", dir);
    FILE *f = fopen(base_path, "w");
    if (!f)
        return -1;
    fputs(base_cfg, f);
    return fclose(f);
}

/* Writes text to DIR/name and returns the path (one of a few static buffers). */
static const char *write_cfg(const char *name, const char *text)
{
    static char buf[4][4300];
    static int slot;
    char *p = buf[slot++ % 4];
    snprintf(p, 4300, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return p;
}

static gs_scenario *load_ok(const char *path, const char *const *sets, size_t n)
{
    gs_scenario *s = NULL;
    gs_error e;
    gs_error_clear(&e);
    if (gs_scenario_load(gs_param_tables(), path, sets, n, &s, &e) != GS_OK) {
        char msg[2048];
        gs_error_format(&e, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return s;
}

/* Loading (and, when bind is set, binding) fails with this status, file,
 * line and message. */
static void expect_error(const char *path, const char *const *sets, size_t n, int bind,
                         gs_status code, const char *file, int line, const char *msg)
{
    gs_scenario *s = NULL;
    gs_error e;
    gs_error_clear(&e);
    gs_status rc = gs_scenario_load(gs_param_tables(), path, sets, n, &s, &e);
    if (rc == GS_OK && bind) {
        gs_sim *sim = NULL;
        rc = gs_sim_new(s, gs_models_builtin(), &sim, &e);
        assert_null(sim);
    }
    gs_scenario_free(s);
    if (rc == GS_OK)
        fail_msg("%s loaded, expected: %s", path, msg);
    assert_int_equal(rc, code);
    assert_int_equal(e.code, code);
    assert_string_equal(e.file, file);
    assert_int_equal(e.line, line);
    assert_string_equal(e.msg, msg);
}

static void inherit_overrides_and_unions(void **state)
{
    (void)state;
    const char *mid = write_cfg("mid.cfg", "inherit = \"base.cfg\";\n"
                                           "tools = { base = 7.0; };\n"
                                           "funds = {\n"
                                           "  fund1 = { size = 100.0; };\n"
                                           "  fund2 = { year = 2018; size = 300.0; paid_over = 5; };\n"
                                           "};\n");
    const char *top = write_cfg("top.cfg", "inherit = \"mid.cfg\";\n"
                                           "scenario = { name = \"top\"; };\n"
                                           "funds = { fund3 = { year = 2024; size = 344.0; "
                                           "paid_over = 10; }; };\n"
                                           "tools = { per_fund_usd = 0.5; };\n");
    gs_scenario *s = load_ok(top, NULL, 0);
    /* The most derived file wins, key by key. */
    assert_string_equal(gs_scenario_str(s, "scenario.name"), "top");
    assert_string_equal(gs_scenario_str(s, "scenario.share_definition"), "test basis");
    assert_close(gs_scenario_num(s, "tools.base"), 7.0, 0, 0);
    assert_close(gs_scenario_num(s, "tools.per_fund_usd"), 0.5, 0, 0);
    assert_close(gs_scenario_num(s, "funds.fund1.size"), 100.0, 0, 0);
    assert_close(gs_scenario_num(s, "funds.fund1.paid_over"), 3.5, 0, 0);
    /* Each value remembers where it was set. */
    const gs_pval *fx = gs_scenario_get(s, "tools.base");
    assert_string_equal(fx->file, mid);
    assert_int_equal(fx->line, 2);
    const gs_pval *lev = gs_scenario_get(s, "tools.growth");
    assert_string_equal(lev->file, base_path);
    assert_int_equal(lev->line, 5);
    assert_string_equal(gs_dist_name(&lev->dist), "triangular");
    const gs_pval *dflt = gs_scenario_get(s, "tools.saturation");
    assert_null(dflt->file);
    assert_int_equal(dflt->line, 0);
    /* Items are the union, the base's first. */
    char *const *names;
    size_t n = gs_scenario_items(s, "funds", &names);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "fund1");
    assert_string_equal(names[1], "fund2");
    assert_string_equal(names[2], "fund3");
    assert_int_equal(gs_scenario_items(s, "controls", NULL), 1);
    assert_string_equal(gs_scenario_file(s), top);
    gs_scenario_free(s);
}

static void set_overrides(void **state)
{
    (void)state;
    const char *top = write_cfg("set.cfg", "inherit = \"base.cfg\";\ntools = { base = 7.0; };\n");
    gs_scenario *plain = load_ok(top, NULL, 0);
    size_t dims = gs_scenario_ndims(plain);
    gs_scenario_free(plain);

    const char *sets[] = {"tools.base=7.25",
                          "tools.per_fund_usd={dist=\"pert\";min=0.4;mode=0.6;max=0.8;}",
                          "tools.growth=1",
                          "scenario.title=\"Set from the command line\"",
                          "leader.milestones=[7.0, 3.0]",
                          "controls.euv.rho=1.8"};
    gs_scenario *s = load_ok(top, sets, 6);
    /* --set is the most derived layer: it beats the file's 7.0. */
    assert_close(gs_scenario_num(s, "tools.base"), 7.25, 0, 0);
    const gs_pval *fx = gs_scenario_get(s, "tools.base");
    assert_string_equal(fx->file, "--set tools.base");
    const gs_pval *eff = gs_scenario_get(s, "tools.per_fund_usd");
    assert_string_equal(gs_dist_name(&eff->dist), "pert");
    assert_close(eff->dist.a, 0.4, 0, 0);
    assert_close(eff->dist.b, 0.6, 0, 0);
    assert_close(eff->dist.c, 0.8, 0, 0);
    /* An integer where the file had a distribution: now a constant. */
    const gs_pval *cx = gs_scenario_get(s, "tools.growth");
    assert_true(gs_dist_is_constant(&cx->dist));
    assert_close(cx->dist.a, 1.0, 0, 0);
    /* per_fund_usd became a distribution, growth stopped being one. */
    assert_int_equal(gs_scenario_ndims(s), dims);
    assert_true(eff->dim >= 0);
    assert_int_equal(cx->dim, -1);
    assert_string_equal(gs_scenario_str(s, "scenario.title"), "Set from the command line");
    const gs_pval *ms = gs_scenario_get(s, "leader.milestones");
    assert_int_equal(ms->n_arr, 2);
    assert_close(ms->arr[1], 3.0, 0, 0);
    assert_close(gs_scenario_num(s, "controls.euv.rho"), 1.8, 0, 0);
    gs_scenario_free(s);

    /* A bad --set names the override. */
    const char *bad[] = {"tools.base=abc"};
    expect_error(top, bad, 1, 0, GS_EUSAGE, "--set tools.base", 0,
                 "cannot read the value \"abc\": syntax error");
    const char *noeq[] = {"tools.base"};
    expect_error(top, noeq, 1, 0, GS_EUSAGE, "--set", 0, "expected PATH=VALUE, got \"tools.base\"");
    const char *range[] = {"tools.per_fund_usd=6.0"};
    expect_error(top, range, 1, 0, GS_ECONFIG, "--set tools.per_fund_usd", 0,
                 "tools.per_fund_usd = 6 is out of range [0, 5]");
}

static void unknown_keys(void **state)
{
    (void)state;
    const char *p = write_cfg("unknown.cfg", "inherit = \"base.cfg\";\n"
                                             "\n"
                                             "tools = {\n"
                                             "  grwth = 2.0;\n"
                                             "};\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 4,
                 "unknown key \"tools.grwth\" (did you mean \"tools.growth\"?)");
    p = write_cfg("unknown2.cfg", "inherit = \"base.cfg\";\n"
                                  "controls = { euv = { thresold_nm = 5.0; }; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "unknown key \"controls.euv.thresold_nm\" (did you mean "
                 "\"controls.euv.threshold_nm\"?)");
    p = write_cfg("unknown3.cfg", "inherit = \"base.cfg\";\nzzzzzz = 1;\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "unknown key \"zzzzzz\" (see `gapsim params`)");
}

static void wrong_values(void **state)
{
    (void)state;
    const char *p = write_cfg("type.cfg", "inherit = \"base.cfg\";\ntools = { base = \"4.37\"; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "tools.base: expected a number or a distribution, not a string");
    p = write_cfg("range.cfg", "inherit = \"base.cfg\";\ntools = { per_fund_usd = 5.5; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2, "tools.per_fund_usd = 5.5 is out of range [0, 5]");
    p = write_cfg("whole.cfg",
                  "inherit = \"base.cfg\";\ntools = { crunch = { years = 2.5; }; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "tools.crunch.years = 2.5: expected a whole number");
    p = write_cfg("fixed.cfg", "inherit = \"base.cfg\";\n"
                               "anchors = {\n"
                               "  made_in_china = { dist = \"uniform\"; min = 0.1; max = 0.2; };\n"
                               "};\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 3,
                 "anchors.made_in_china: expected a plain number, not a group (this parameter "
                 "may not be a distribution)");
    p = write_cfg("reach.cfg", "inherit = \"base.cfg\";\n"
                               "tools = { noise = { dist = \"normal\"; mean = 0.6; sd = 0.1; "
                               "}; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "tools.noise: the distribution reaches [0.000219298, 1.19978], outside the "
                 "allowed range [0, 1] (set max = 1 in the group to truncate it, or change its "
                 "parameters)");
    p = write_cfg("badmode.cfg", "inherit = \"base.cfg\";\n"
                                 "tools = { growth = { dist = \"triangular\"; min = 0.1; "
                                 "mode = 0.6; max = 0.3; }; };\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 2,
                 "tools.growth: mode must lie between min and max");
}

static void required_keys(void **state)
{
    (void)state;
    /* A new measure without its threshold: the line is its group's. */
    const char *p = write_cfg("required.cfg",
                              "inherit = \"base.cfg\";\n"
                              "controls = {\n"
                              "  ai = { law = \"fixed\"; year = 2020; };\n"
                              "};\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 3,
                 "missing required key \"controls.ai.threshold_nm\" (the measure touches every "
                 "rung at or below this node label)");
    /* A file missing a top-level required key: the message names the file. */
    char *text = malloc(sizeof base_cfg);
    assert_non_null(text);
    memcpy(text, base_cfg, sizeof base_cfg);
    char *fx = strstr(text, "  base = 4.37;\n");
    assert_non_null(fx);
    memset(fx, ' ', strlen("  base = 4.37;")); /* blank it, keeping the line numbers */
    p = write_cfg("nofx.cfg", text);
    free(text);
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 3,
                 "missing required key \"tools.base\" (tool spending in China (all owners) in "
                 "the base year, E(t0))");
    /* A missing inherited file: the message points at the inherit line and
     * says where the file was looked for: the file's folder, GAPSIM_PATH,
     * the installed scenarios. */
    p = write_cfg("orphan.cfg", "inherit = \"nowhere.cfg\";\n");
    char want[4400];
    setenv("GAPSIM_PATH", "/nonexistent/a::/nonexistent/b", 1);
    assert_true(snprintf(want, sizeof want,
                         "inherit: cannot find \"nowhere.cfg\": looked in %s (the file's folder), "
                         "/nonexistent/a (GAPSIM_PATH), /nonexistent/b (GAPSIM_PATH), "
                         GAPSIM_DATADIR "/configs (installed)",
                         dir) < (int)sizeof want);
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 1, want);
    /* Found in a GAPSIM_PATH folder when the file's own folder lacks it. */
    char envp[4400];
    snprintf(envp, sizeof envp, "/nonexistent/a:%s", gs_test_source_path("configs"));
    setenv("GAPSIM_PATH", envp, 1);
    p = write_cfg("mine.cfg", "inherit = \"baseline.cfg\";\nfunds = { fund2 = { size = 600.0; }; };\n");
    gs_scenario *sc = NULL;
    gs_error e;
    if (gs_scenario_load(gs_param_tables(), p, NULL, 0, &sc, &e) != GS_OK)
        fail_msg("inherit through GAPSIM_PATH: %s", e.msg);
    gs_scenario_free(sc);
    unsetenv("GAPSIM_PATH");
}

static void cross_checks_at_bind(void **state)
{
    (void)state;
    const char *p = write_cfg("sat.cfg",
                              "inherit = \"base.cfg\";\ntools = { saturation = 0.1; };\n");
    expect_error(p, NULL, 0, 1, GS_ECONFIG, p, 2,
                 "tools.saturation must lie above the base-year made-in-China share 0.151 (its "
                 "lowest value is 0.1)");
    p = write_cfg("ctl.cfg", "inherit = \"base.cfg\";\n"
                             "controls = { m = { threshold_nm = 7.0; law = \"hazard\"; year = 2019;\n"
                             "  after = \"eux\"; }; };\n");
    expect_error(p, NULL, 0, 1, GS_ECONFIG, p, 3,
                 "controls.m.after: no earlier measure named \"eux\" (did you mean \"euv\"?) (a "
                 "measure escalates from one listed before it)");
    p = write_cfg("horizon.cfg",
                  "inherit = \"base.cfg\";\nscenario = { horizon = 2014; };\n");
    expect_error(p, NULL, 0, 1, GS_ECONFIG, p, 2,
                 "scenario.horizon = 2014 is not after scenario.base_year = 2014");
}

static void correlations(void **state)
{
    (void)state;
    const char *p = write_cfg("corr_ok.cfg",
                              "inherit = \"base.cfg\";\n"
                              "correlations = {\n"
                              "  params = [\"tools.noise\", \"tools.growth\"];\n"
                              "  matrix = [1.0, 0.5, 0.5, 1.0];\n"
                              "};\n");
    gs_scenario *s = load_ok(p, NULL, 0);
    const size_t *dims;
    const gs_copula *c = gs_scenario_copula(s, &dims);
    assert_non_null(c);
    assert_int_equal(gs_copula_dim(c), 2);
    assert_int_equal(dims[0], (size_t)gs_scenario_get(s, "tools.noise")->dim);
    assert_int_equal(dims[1], (size_t)gs_scenario_get(s, "tools.growth")->dim);
    gs_scenario_free(s);

    p = write_cfg("corr_pd.cfg", "inherit = \"base.cfg\";\n"
                                 "tools = { per_fund_usd = { dist = \"uniform\"; min = 0.5; "
                                 "max = 0.9; }; };\n"
                                 "correlations = {\n"
                                 "  params = [\"tools.noise\", \"tools.growth\", "
                                 "\"tools.per_fund_usd\"];\n"
                                 "  matrix = [1.0, 0.9, 0.9,\n"
                                 "            0.9, 1.0, -0.9,\n"
                                 "            0.9, -0.9, 1.0];\n"
                                 "};\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 5,
                 "correlations.matrix: correlation matrix is not positive definite: its rank "
                 "correlations contradict each other");
    p = write_cfg("corr_const.cfg", "inherit = \"base.cfg\";\n"
                                    "correlations = {\n"
                                    "  params = [\"tools.noise\", \"tools.base\"];\n"
                                    "  matrix = [1.0, 0.5, 0.5, 1.0];\n"
                                    "};\n");
    expect_error(p, NULL, 0, 0, GS_ECONFIG, p, 3,
                 "correlations.params: \"tools.base\" is a constant; only parameters given as "
                 "distributions can be correlated");
}

static void same_value(const gs_pval *a, const gs_pval *b)
{
    assert_string_equal(a->path, b->path);
    assert_ptr_equal(a->def, b->def);
    assert_int_equal(a->dim, b->dim);
    switch (a->def->type) {
    case GS_PT_NUMBER:
        assert_ptr_equal(a->dist.type, b->dist.type);
        /* %.17g round-trips a double exactly. */
        assert_true(a->dist.a == b->dist.a && a->dist.b == b->dist.b);
        assert_true(a->dist.c == b->dist.c && a->dist.d == b->dist.d);
        assert_true(a->dist.lo == b->dist.lo && a->dist.hi == b->dist.hi);
        assert_int_equal(a->dist.n_choices, b->dist.n_choices);
        for (size_t k = 0; k < a->dist.n_choices; k++)
            assert_true(a->dist.values[k] == b->dist.values[k] &&
                        a->dist.cum[k] == b->dist.cum[k]);
        break;
    case GS_PT_STRING:
        assert_string_equal(a->str, b->str);
        break;
    case GS_PT_BOOL:
        assert_int_equal(a->boolean, b->boolean);
        break;
    case GS_PT_NUMBER_ARRAY:
        assert_int_equal(a->n_arr, b->n_arr);
        for (size_t k = 0; k < a->n_arr; k++)
            assert_true(a->arr[k] == b->arr[k]);
        break;
    case GS_PT_STRING_ARRAY:
        assert_int_equal(a->n_arr, b->n_arr);
        for (size_t k = 0; k < a->n_arr; k++)
            assert_string_equal(a->sarr[k], b->sarr[k]);
        break;
    }
}

static void round_trip(const char *path, const char *const *sets, size_t n)
{
    gs_scenario *a = load_ok(path, sets, n);
    char *text = gs_scenario_resolved_text(a);
    assert_non_null(text);
    const char *p = write_cfg("resolved.cfg", text);
    gs_scenario *b = load_ok(p, NULL, 0);
    assert_int_equal(gs_scenario_count(a), gs_scenario_count(b));
    assert_int_equal(gs_scenario_ndims(a), gs_scenario_ndims(b));
    for (size_t i = 0; i < gs_scenario_count(a); i++)
        same_value(gs_scenario_at(a, i), gs_scenario_at(b, i));
    /* And the text of the reloaded scenario is the same text. */
    char *again = gs_scenario_resolved_text(b);
    assert_non_null(again);
    assert_string_equal(text, again);
    free(again);
    free(text);
    gs_scenario_free(a);
    gs_scenario_free(b);
}

static void resolved_text_round_trip(void **state)
{
    (void)state;
    round_trip(gs_test_source_path("configs/baseline.cfg"), NULL, 0);
    /* Every distribution kind, strings that need escaping, and correlations. */
    const char *sets[] = {
        "scenario.description=\"Quotes \\\"here\\\", a backslash \\\\ and a tab\\t.\"",
        "market.growth_noise={dist=\"truncnormal\";mean=0.03;sd=0.01;min=0.0;}",
        "tools.per_fund_usd={dist=\"lognormal\";p10=0.1;p90=0.3;}",
        "market.growth={dist=\"beta\";alpha=2.0;beta=5.0;min=0.0;max=0.2;}",
        "tools.crunch.hazard={dist=\"bernoulli\";p=0.3;}",
        "funds.fund2.year={dist=\"discrete\";values=[2019.0,2018.0];weights=[0.3,0.7];}",
        "csia.design_growth={dist=\"normal\";p05=0.15;p95=0.23;}",
        "ownership.failure_share={dist=\"uniform\";min=0.0;max=0.1;}",
        "correlations.params=[\"tools.per_fund_usd\",\"ownership.failure_share\"]",
        "correlations.matrix=[1.0,0.3,0.3,1.0]",
    };
    round_trip(gs_test_source_path("configs/baseline.cfg"), sets, sizeof sets / sizeof sets[0]);
}

/* Binding overrides onto a loaded scenario is loading with them: the same
 * values (file, line and layer included), layers, dimensions and text. */
static void same_scenario(const gs_scenario *a, const gs_scenario *b)
{
    assert_int_equal(gs_scenario_count(a), gs_scenario_count(b));
    assert_int_equal(gs_scenario_ndims(a), gs_scenario_ndims(b));
    for (size_t i = 0; i < gs_scenario_count(a); i++) {
        const gs_pval *x = gs_scenario_at(a, i), *y = gs_scenario_at(b, i);
        same_value(x, y);
        assert_true((x->file == NULL) == (y->file == NULL));
        if (x->file)
            assert_string_equal(x->file, y->file);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->layer, y->layer);
    }
    assert_int_equal(gs_scenario_n_layers(a), gs_scenario_n_layers(b));
    for (size_t l = 0; l < gs_scenario_n_layers(a); l++) {
        const char *fa, *va, *fb, *vb;
        const char *pa = gs_scenario_layer(a, l, &fa, &va);
        const char *pb = gs_scenario_layer(b, l, &fb, &vb);
        assert_string_equal(pa ? pa : fa, pb ? pb : fb);
        assert_string_equal(va ? va : "", vb ? vb : "");
    }
    const size_t *da, *db;
    const gs_copula *ca = gs_scenario_copula(a, &da), *cb = gs_scenario_copula(b, &db);
    assert_true((ca == NULL) == (cb == NULL));
    char *ta = gs_scenario_resolved_text(a), *tb = gs_scenario_resolved_text(b);
    assert_non_null(ta);
    assert_non_null(tb);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    char *la = gs_scenario_label(a), *lb = gs_scenario_label(b);
    assert_string_equal(la, lb);
    free(la);
    free(lb);
}

static void bind_is_load(void **state)
{
    (void)state;
    const char *file = gs_test_source_path("configs/baseline.cfg");
    const char *sets0[] = {
        "tools.per_fund_usd={dist=\"lognormal\";p10=0.1;p90=0.3;}",
        "ownership.failure_share={dist=\"uniform\";min=0.0;max=0.1;}",
        "correlations.params=[\"tools.per_fund_usd\",\"ownership.failure_share\"]",
        "correlations.matrix=[1.0,0.3,0.3,1.0]",
    };
    enum { N0 = sizeof sets0 / sizeof sets0[0] };
    gs_scenario *base = load_ok(file, sets0, N0);
    /* Each case: the point's overrides, as a sweep gives them (and more). */
    const char *cases[][4] = {
        {NULL},
        {"tools.per_fund_usd=0.25", NULL},                   /* a sampled value made constant */
        {"market.growth=0.05", "scenario.horizon=2031", NULL},
        {"funds={fundx={year=2024.0;size=10.0;paid_over=3.0;};}", NULL}, /* a new item */
        {"funds.fund2.size={dist=\"uniform\";min=100.0;max=300.0;}", NULL},
        {"tools.per_fund_usd.p90=0.4", NULL},                /* a key inside a distribution */
        {"market={growth=0.04;}", "market.growth=0.06", NULL}, /* a group, then a key in it */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *all[N0 + 4];
        size_t n = 0, k = 0;
        for (; n < N0; n++)
            all[n] = sets0[n];
        for (; k < 4 && cases[c][k]; k++)
            all[n++] = cases[c][k];
        gs_scenario *want = NULL, *got = NULL;
        gs_error e1, e2;
        gs_error_clear(&e1);
        gs_error_clear(&e2);
        gs_status r1 = gs_scenario_load(gs_param_tables(), file, all, n, &want, &e1);
        gs_status r2 = gs_scenario_bind(gs_param_tables(), base, cases[c], k, &got, &e2);
        assert_int_equal(r1, r2);
        if (r1 == GS_OK) {
            same_scenario(want, got);
        } else {
            /* The same error as loading gives, at the same place. */
            assert_string_equal(e1.file, e2.file);
            assert_int_equal(e1.line, e2.line);
            assert_string_equal(e1.msg, e2.msg);
        }
        gs_scenario_free(want);
        gs_scenario_free(got);
    }
    /* Bad overrides: the load's error, file and line. */
    const char *bad[][2] = {
        {"market.growth=7.0", NULL},                 /* out of range */
        {"market.grwth=0.1", NULL},                  /* unknown key */
        {"market.growth={dist=\"pert\";min=0.1;}", NULL}, /* an incomplete distribution */
        {"market.growth=(", NULL},                   /* not a value */
        {"tools.per_fund_usd=0.2", "correlations.params=[\"market.growth\"]"},
        {"funds.fund2.size=-1.0", NULL},
    };
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        size_t k = bad[c][1] ? 2 : 1;
        const char *all[N0 + 2];
        for (size_t i = 0; i < N0; i++)
            all[i] = sets0[i];
        for (size_t i = 0; i < k; i++)
            all[N0 + i] = bad[c][i];
        gs_scenario *want = NULL, *got = NULL;
        gs_error e1, e2;
        gs_error_clear(&e1);
        gs_error_clear(&e2);
        gs_status r1 = gs_scenario_load(gs_param_tables(), file, all, N0 + k, &want, &e1);
        gs_status r2 = gs_scenario_bind(gs_param_tables(), base, bad[c], k, &got, &e2);
        if (r1 == GS_OK)
            fail_msg("case %zu (%s) loaded", c, bad[c][0]);
        assert_int_equal(r1, r2);
        assert_null(want);
        assert_null(got);
        assert_int_equal(e1.code, e2.code);
        assert_string_equal(e1.file, e2.file);
        assert_int_equal(e1.line, e2.line);
        assert_string_equal(e1.msg, e2.msg);
        assert_true(e2.file[0] != '\0');
    }
    gs_scenario_free(base);
}

static void nearest(void **state)
{
    (void)state;
    const char *c[] = {"fund.leverage", "fund.efficiency", "fund.fx"};
    assert_string_equal(gs_nearest("fund.levrage", c, 3), "fund.leverage");
    assert_string_equal(gs_nearest("fund.fxx", c, 3), "fund.fx");
    assert_null(gs_nearest("market.decay", c, 3));
}

int main(void)
{
    gs_gsl_quiet();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inherit_overrides_and_unions),
        cmocka_unit_test(set_overrides),
        cmocka_unit_test(unknown_keys),
        cmocka_unit_test(wrong_values),
        cmocka_unit_test(required_keys),
        cmocka_unit_test(cross_checks_at_bind),
        cmocka_unit_test(correlations),
        cmocka_unit_test(resolved_text_round_trip),
        cmocka_unit_test(bind_is_load),
        cmocka_unit_test(nearest),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
