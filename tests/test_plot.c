/* realpath() is XSI. */
#define _XOPEN_SOURCE 700

/* Charts of a finished run and the comparison of runs: options, template
 * lookup, real gnuplot output in every format, hostile strings in a
 * manifest, a missing gnuplot, and compare.csv. */
#include "testutil.h"

#include "gs_plot.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const RUN_CHARTS[] = {"fan_share", "shares", "probabilities", "nodes", "gap",
                                         "gap_dist", "investment", "tools", NULL};
static const char *const CMP_CHARTS[] = {"compare_share", "compare_nodes", "compare_targets", NULL};

/* ---- helpers ---------------------------------------------------------- */

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Copies the regular files of src (a run folder has no subfolders) to dst. */
static void copy_dir(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    assert_non_null(d);
    struct dirent *e;
    char a[4096], b[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(a, sizeof a, "%s/%s", src, e->d_name);
        snprintf(b, sizeof b, "%s/%s", dst, e->d_name);
        size_t len;
        char *text = gs_test_slurp(a, &len);
        assert_non_null(text);
        write_file(b, text, len);
        free(text);
    }
    closedir(d);
}

static const char *fixture_copy(const char *name, const char *fixture)
{
    const char *dir = gs_test_tmpdir(name);
    copy_dir(gs_test_source_path(fixture), dir);
    return dir;
}

static size_t count_entries(const char *dir, int dotfiles_only)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!dotfiles_only || e->d_name[0] == '.')
            n++;
    }
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static void check_png(const char *dir, const char *chart, unsigned w, unsigned h)
{
    char path[4200];
    assert_true(snprintf(path, sizeof path, "%s/%s.png", dir, chart) < (int)sizeof path);
    size_t len;
    unsigned char *p = (unsigned char *)gs_test_slurp(path, &len);
    if (!p)
        fail_msg("no chart %s", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(len > 33);
    assert_memory_equal(p, sig, 8);
    /* The first chunk is IHDR: length 13, then width and height. */
    assert_memory_equal(p + 12, "IHDR", 4);
    assert_int_equal(be32(p + 16), w);
    assert_int_equal(be32(p + 20), h);
    free(p);
}

static char *read_chart(const char *dir, const char *chart, const char *ext, size_t *len)
{
    char path[4200];
    assert_true(snprintf(path, sizeof path, "%s/%s.%s", dir, chart, ext) < (int)sizeof path);
    char *p = gs_test_slurp(path, len);
    if (!p)
        fail_msg("no chart %s", path);
    return p;
}

static void check_svg(const char *dir, const char *chart)
{
    size_t len;
    char *p = read_chart(dir, chart, "svg", &len);
    assert_true(strncmp(p, "<?xml", 5) == 0 || strncmp(p, "<svg", 4) == 0);
    assert_non_null(strstr(p, "</svg>"));
    free(p);
}

static void check_pdf(const char *dir, const char *chart)
{
    size_t len;
    char *p = read_chart(dir, chart, "pdf", &len);
    assert_true(len > 20);
    assert_memory_equal(p, "%PDF-", 5);
    /* %%EOF ends the file, perhaps followed by a line break. */
    const char *tail = p + (len > 16 ? len - 16 : 0);
    int found = 0;
    for (const char *q = tail; q + 5 <= p + len; q++)
        found |= memcmp(q, "%%EOF", 5) == 0;
    assert_true(found);
    free(p);
}

/* The SVG's text with &amp; &lt; &gt; &quot; &apos; turned back, in place. */
static void xml_unescape(char *s)
{
    static const struct { const char *ent; char c; } map[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''},
        {"&#34;", '"'}};
    char *w = s;
    for (char *r = s; *r;) {
        size_t i, k = sizeof map / sizeof map[0];
        for (i = 0; i < k; i++)
            if (strncmp(r, map[i].ent, strlen(map[i].ent)) == 0)
                break;
        if (i < k) {
            *w++ = map[i].c;
            r += strlen(map[i].ent);
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static void draw(const char *dir, unsigned formats, gs_plot_report *rep)
{
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.formats = formats;
    gs_error err;
    gs_error_clear(&err);
    gs_status st = gs_plot_run_dir(dir, &o, rep, &err);
    if (st != GS_OK) {
        for (size_t i = 0; i < rep->n_warnings; i++)
            print_error("%s\n", rep->warnings[i]);
        fail_msg("gs_plot_run_dir: %s", err.msg);
    }
}

/* ---- options and templates ---------------------------------------------- */

static void test_parse_formats(void **state)
{
    (void)state;
    unsigned f = 0;
    gs_error err;
    assert_int_equal(gs_plot_parse_formats("png", &f, &err), GS_OK);
    assert_int_equal(f, GS_PLOT_PNG);
    assert_int_equal(gs_plot_parse_formats("svg,PDF", &f, &err), GS_OK);
    assert_int_equal(f, GS_PLOT_SVG | GS_PLOT_PDF);
    assert_int_equal(gs_plot_parse_formats("png,svg,pdf,png", &f, &err), GS_OK);
    assert_int_equal(f, GS_PLOT_PNG | GS_PLOT_SVG | GS_PLOT_PDF);
    assert_int_equal(gs_plot_parse_formats("", &f, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_formats("png,gif", &f, &err), GS_EUSAGE);
    assert_non_null(strstr(err.msg, "gif"));
    assert_int_equal(gs_plot_parse_formats("png,", &f, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_formats(",png", &f, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_formats("pngsvg", &f, &err), GS_EUSAGE);
}

static void test_parse_size(void **state)
{
    (void)state;
    int w = 0, h = 0;
    gs_error err;
    assert_int_equal(gs_plot_parse_size("1920x1080", &w, &h, &err), GS_OK);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    assert_int_equal(gs_plot_parse_size("800X600", &w, &h, &err), GS_OK);
    assert_int_equal(gs_plot_parse_size("1600", &w, &h, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_size("1600x", &w, &h, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_size("-5x900", &w, &h, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_size("10x10", &w, &h, &err), GS_EUSAGE);
    assert_int_equal(gs_plot_parse_size("1600x900x2", &w, &h, &err), GS_EUSAGE);
}

static void test_template_dir(void **state)
{
    (void)state;
    char dir[4096], want[4096];
    gs_error err;
    assert_non_null(realpath(gs_test_source_path("plots"), want));

    setenv("GAPSIM_PLOTDIR", gs_test_source_path("plots"), 1);
    assert_int_equal(gs_plot_template_dir(dir, sizeof dir, &err), GS_OK);
    assert_string_equal(dir, want);

    /* An explicit folder without templates is an error, not a silent fallback. */
    setenv("GAPSIM_PLOTDIR", gs_test_tmpdir("plot_empty_templates"), 1);
    assert_int_equal(gs_plot_template_dir(dir, sizeof dir, &err), GS_EINPUT);
    assert_non_null(strstr(err.msg, "GAPSIM_PLOTDIR"));

    /* Unset: the source tree's plots/ of this build. */
    unsetenv("GAPSIM_PLOTDIR");
    assert_int_equal(gs_plot_template_dir(dir, sizeof dir, &err), GS_OK);
    assert_string_equal(dir, want);
    assert_true(dir[0] == '/');
}

/* ---- charts ------------------------------------------------------------- */

static void test_png_charts(void **state)
{
    (void)state;
    const char *dir = fixture_copy("plot_png", "tests/data/run_fixture");
    size_t before = count_entries(dir, 0);
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    draw(dir, GS_PLOT_PNG, &rep);
    assert_int_equal(rep.n_charts, 8);
    assert_int_equal(rep.n_ok, 8);
    assert_int_equal(rep.n_failed, 0);
    assert_int_equal(rep.n_warnings, 0);
    for (size_t i = 0; RUN_CHARTS[i]; i++)
        check_png(dir, RUN_CHARTS[i], 1600, 900);
    /* Eight charts more, and no temporary or metadata file left. */
    assert_int_equal(count_entries(dir, 0), before + 8);
    assert_int_equal(count_entries(dir, 1), 0);
    gs_plot_report_clear(&rep);
    gs_plot_report_clear(&rep);
    gs_plot_report_clear(NULL);

    /* Another size. */
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.width = 800;
    o.height = 500;
    gs_error err;
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_OK);
    check_png(dir, "fan_share", 800, 500);
    gs_plot_report_clear(&rep);
}

static void test_svg_pdf_charts(void **state)
{
    (void)state;
    const char *dir = fixture_copy("plot_svgpdf", "tests/data/run_fixture");
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    draw(dir, GS_PLOT_SVG | GS_PLOT_PDF, &rep);
    assert_int_equal(rep.n_ok, 16);
    for (size_t i = 0; RUN_CHARTS[i]; i++) {
        check_svg(dir, RUN_CHARTS[i]);
        check_pdf(dir, RUN_CHARTS[i]);
    }
    char png[4200];
    snprintf(png, sizeof png, "%s/fan_share.png", dir);
    assert_false(exists(png));
    /* The scenario's title is in the chart. */
    size_t len;
    char *svg = read_chart(dir, "fan_share", "svg", &len);
    xml_unescape(svg);
    assert_non_null(strstr(svg, "Baseline: the report's figures"));
    assert_non_null(strstr(svg, "Made in China 2025 goal"));
    free(svg);
    gs_plot_report_clear(&rep);
}

/* ---- hostile strings ------------------------------------------------------ */

#define SENTINEL "/tmp/gapsim_pwned_plot"

/* Every way a string could try to escape into gnuplot or a shell. */
static const char *const HOSTILE[] = {
    "`touch " SENTINEL "_1`",
    "system(\"touch " SENTINEL "_2\")",
    "\"; system(\"touch " SENTINEL "_3\"); \"",
    "'; system('touch " SENTINEL "_4'); '",
    "line one\nline two !touch " SENTINEL "_5",
    "@ARG1 @ARG3 @x | touch " SENTINEL "_6",
    "< /etc/passwd ../../x/../y \\\\ back\\slash",
    "^{x}_{y}@{}&{} &amp; <b>bold</b> %s %d %%",
    "eval \"set output '" SENTINEL "_7'\"",
};
#define N_HOSTILE (sizeof HOSTILE / sizeof HOSTILE[0])

static void check_no_sentinel(void)
{
    char p[128];
    for (int i = 1; i <= 7; i++) {
        snprintf(p, sizeof p, SENTINEL "_%d", i);
        if (exists(p))
            fail_msg("%s was created", p);
    }
}

/* Writes text to a CSV field, quoted as RFC 4180 says. */
static void csv_quote(char *out, size_t n, const char *s)
{
    size_t o = 0;
    out[o++] = '"';
    for (; *s && o + 3 < n; s++) {
        if (*s == '"')
            out[o++] = '"';
        out[o++] = *s;
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* Replaces every occurrence of `from` in the file by `to`. */
static void replace_in_file(const char *path, const char *from, const char *to)
{
    size_t len;
    char *text = gs_test_slurp(path, &len);
    assert_non_null(text);
    size_t cap = len * 8 + 4096, o = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (const char *p = text; *p;) {
        if (strncmp(p, from, strlen(from)) == 0) {
            size_t k = strlen(to);
            assert_true(o + k < cap);
            memcpy(out + o, to, k);
            o += k;
            p += strlen(from);
        } else {
            assert_true(o + 1 < cap);
            out[o++] = *p++;
        }
    }
    write_file(path, out, o);
    free(out);
    free(text);
}

static void make_hostile_run(const char *dir)
{
    char path[4200];
    assert_true(snprintf(path, sizeof path, "%s/manifest.json", dir) < (int)sizeof path);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    assert_non_null(m);
    json_t *sc = json_object_get(m, "scenario");
    /* name + title fit the subtitle without being shortened (40 and 90 chars) */
    json_object_set_new(sc, "name", json_string("x\"`touch " SENTINEL "_1`"));
    /* The run's label is its name (no overrides). */
    json_object_set_new(m, "label", json_string("x\"`touch " SENTINEL "_1`"));
    json_object_set_new(sc, "title", json_string("T'\"; system(\"touch " SENTINEL "_3\"); \" ^{x}_{y}@ARG1&<b>"));
    json_object_set_new(sc, "share_definition", json_string(HOSTILE[4]));
    json_object_set_new(m, "sampler", json_string(HOSTILE[5]));
    json_object_set_new(m, "config_hash", json_string(HOSTILE[8]));
    json_object_set_new(m, "finished", json_string(HOSTILE[6]));
    json_t *tg = json_object_get(m, "targets");
    static const int label_of[3] = {1, 6, 7};
    for (size_t i = 0; i < json_array_size(tg) && i < 3; i++)
        json_object_set_new(json_array_get(tg, i), "label", json_string(HOSTILE[label_of[i]]));
    assert_int_equal(json_dump_file(m, path, JSON_INDENT(2)), 0);
    json_decref(m);

    /* Target labels come from targets.csv too, quoted as RFC 4180 says. */
    assert_true(snprintf(path, sizeof path, "%s/targets.csv", dir) < (int)sizeof path);
    static const char *const old_labels[3] = {",CSIA 2014 reference,", ",CSIA claim for 2019,",
                                              ",Made in China 2025 goal,"};
    for (int i = 0; i < 3; i++) {
        char q[1100], rep[1200];
        csv_quote(q, sizeof q, HOSTILE[label_of[i]]);
        snprintf(rep, sizeof rep, ",%s,", q);
        replace_in_file(path, old_labels[i], rep);
    }
    /* Tranche names come from tranches.csv. */
    assert_true(snprintf(path, sizeof path, "%s/tranches.csv", dir) < (int)sizeof path);
    replace_in_file(path, "fund1,", "\"$(touch " SENTINEL "_2), @ARG1\",");
    replace_in_file(path, "fund2,", "`touch " SENTINEL "_1`,");
    /* ...and so do their labels, which the chart shows. */
    replace_in_file(path, ",Fund I\r\n", ",\"$(touch " SENTINEL "_2), @ARG1\"\r\n");
    replace_in_file(path, ",Fund II\r\n", ",`touch " SENTINEL "_1`\r\n");
}

static void test_hostile_strings(void **state)
{
    (void)state;
    check_no_sentinel();
    const char *parent = gs_test_tmpdir("plot_hostile");
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/run", parent);
    assert_int_equal(mkdir(dir, 0755), 0);
    copy_dir(gs_test_source_path("tests/data/run_fixture"), dir);
    make_hostile_run(dir);
    size_t before = count_entries(dir, 0);

    gs_plot_report rep;
    gs_plot_report_init(&rep);
    draw(dir, GS_PLOT_PNG | GS_PLOT_SVG, &rep);
    assert_int_equal(rep.n_ok, 16);
    for (size_t i = 0; RUN_CHARTS[i]; i++) {
        check_png(dir, RUN_CHARTS[i], 1600, 900);
        check_svg(dir, RUN_CHARTS[i]);
    }
    check_no_sentinel();
    /* Nothing beside the run folder, nothing in it but the 16 charts. */
    assert_int_equal(count_entries(parent, 0), 1);
    assert_int_equal(count_entries(dir, 0), before + 16);
    assert_int_equal(count_entries(dir, 1), 0);

    /* The text is shown verbatim: XML-escaped in the SVG, nothing interpreted. */
    size_t len;
    char *svg = read_chart(dir, "fan_share", "svg", &len);
    xml_unescape(svg);
    assert_non_null(strstr(svg, "T'\"; system(\"touch " SENTINEL "_3\"); \" ^{x}_{y}@ARG1&<b>"));
    assert_non_null(strstr(svg, "Scenario x\"`touch " SENTINEL "_1` · 10,000 trajectories"));
    /* The line break became a space; backslashes survive. */
    assert_non_null(strstr(svg, "Share = line one line two !touch " SENTINEL "_5"));
    /* The target labels, with the format characters and markup as typed.  A
     * label with a quote comes before number columns of targets.csv
     * (probability_by_year ...), which gnuplot's CSV reader would misread:
     * that target is left out rather than drawn from shifted columns. */
    assert_null(strstr(svg, HOSTILE[1]));
    assert_null(strstr(svg, "share ≥ 29 % in 2014"));
    assert_non_null(strstr(svg, "< /etc/passwd ../../x/../y \\\\ back\\slash"));
    assert_non_null(strstr(svg, "^{x}_{y}@{}&{} &amp; <b>bold</b> %s %d %%"));
    assert_non_null(strstr(svg, "share ≥ 80 % in 2030"));
    free(svg);
    svg = read_chart(dir, "investment", "svg", &len);
    xml_unescape(svg);
    assert_non_null(strstr(svg, "$(touch " SENTINEL "_2), @ARG1: 139 bn CNY"));
    assert_non_null(strstr(svg, "`touch " SENTINEL "_1`: 235 bn CNY"));
    /* The SVG's title is the chart's, its description the footer's text. */
    assert_non_null(strstr(svg, "<title>State fund money invested (cumulative, USD bn)</title>"));
    free(svg);
    svg = read_chart(dir, "probabilities", "svg", &len);
    xml_unescape(svg);
    assert_non_null(strstr(svg, "gapsim 0.1.0"));
    assert_non_null(strstr(svg, "config eval \"set output '/tmp/gapsim_p…"));
    free(svg);
    gs_plot_report_clear(&rep);

    /* The hostile run compared with a plain one. */
    const char *out = gs_test_tmpdir("plot_hostile_cmp");
    const char *dirs[2] = {dir, gs_test_source_path("tests/data/run_fixture_b")};
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.formats = GS_PLOT_SVG;
    gs_error err;
    assert_int_equal(gs_compare_dirs(dirs, 2, out, &o, &rep, &err), GS_OK);
    assert_int_equal(rep.n_ok, 3);
    check_no_sentinel();
    assert_int_equal(count_entries(out, 0), 4);
    gs_plot_report_clear(&rep);
}

/* ---- gnuplot missing ------------------------------------------------------ */

static void test_missing_gnuplot(void **state)
{
    (void)state;
    const char *dir = fixture_copy("plot_nognuplot", "tests/data/run_fixture");
    const char *empty = gs_test_tmpdir("plot_emptypath");
    size_t before = count_entries(dir, 0);
    char *old = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    assert_non_null(old);
    setenv("PATH", empty, 1);
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.formats = GS_PLOT_PNG | GS_PLOT_SVG | GS_PLOT_PDF;
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    gs_status st = gs_plot_run_dir(dir, &o, &rep, &err);
    setenv("PATH", old, 1);
    free(old);
    assert_int_equal(st, GS_EPLOT);
    assert_int_equal(rep.gnuplot_missing, 1);
    assert_int_equal(rep.n_ok, 0);
    assert_int_equal(rep.n_warnings, 1);
    assert_string_equal(rep.warnings[0], "gnuplot not found on PATH: charts skipped; the CSV files are complete");
    assert_non_null(strstr(err.msg, "gnuplot not found"));
    /* No chart, no temporary file, no metadata file. */
    assert_int_equal(count_entries(dir, 0), before);
    assert_int_equal(count_entries(dir, 1), 0);
    gs_plot_report_clear(&rep);
}

/* ---- bad folders ---------------------------------------------------------- */

static void test_bad_folders(void **state)
{
    (void)state;
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    const char *t = gs_test_tmpdir("plot_bad");
    char p[4200];
    snprintf(p, sizeof p, "%s/none", t);
    assert_int_equal(gs_plot_run_dir(p, &o, &rep, &err), GS_EINPUT);
    /* An empty folder: no manifest. */
    assert_int_equal(gs_plot_run_dir(t, &o, &rep, &err), GS_EINPUT);
    assert_non_null(strstr(err.file, "manifest.json"));
    /* A manifest but a quantiles.csv with a column missing. */
    const char *dir = fixture_copy("plot_badcsv", "tests/data/run_fixture");
    snprintf(p, sizeof p, "%s/quantiles.csv", dir);
    const char *text = "year,variable,mean\n2014,share_total,0.29\n";
    write_file(p, text, strlen(text));
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    assert_non_null(strstr(err.msg, "sd"));
    /* An unterminated quote names its line. */
    text = "year,variable,mean,sd,p05,p25,p50,p75,p95\n2014,\"share_total,1,0,1,1,1,1,1\n";
    write_file(p, text, strlen(text));
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    assert_int_equal(err.line, 2);
    /* Bad options. */
    o.formats = 0;
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EUSAGE);
    const char *one[1] = {dir};
    gs_plot_opts_default(&o);
    assert_int_equal(gs_compare_dirs(one, 1, t, &o, &rep, &err), GS_EUSAGE);
    assert_int_equal(rep.n_charts, 0);
    gs_plot_report_clear(&rep);
}

/* A table of a damaged run is refused with its file and line, before any
 * chart is drawn. */
static void expect_damaged(const char *name, const char *file, const char *text, const char *msg,
                           int line)
{
    const char *dir = fixture_copy(name, "tests/data/run_fixture");
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    size_t len;
    char *orig = gs_test_slurp(p, &len);
    assert_non_null(orig);
    write_file(p, text ? text : orig, text ? strlen(text) : len);
    free(orig);
    size_t before = count_entries(dir, 0);
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    gs_error_clear(&err);
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    if (!strstr(err.msg, msg))
        fail_msg("%s: expected \"%s\", got \"%s\"", name, msg, err.msg);
    assert_non_null(strstr(err.file, file));
    if (line >= 0)
        assert_int_equal(err.line, line);
    assert_int_equal(rep.n_charts, 0);
    assert_int_equal(count_entries(dir, 0), before);
    gs_plot_report_clear(&rep);
}

/* The fixture's quantiles.csv with its line k replaced by `line` (k = 1 is
 * the header), or cut after k lines when line is NULL. */
static char *quantiles_edit(int k, const char *line)
{
    size_t len;
    char *q = gs_test_slurp(gs_test_source_path("tests/data/run_fixture/quantiles.csv"), &len);
    assert_non_null(q);
    char *out = malloc(len + 256);
    assert_non_null(out);
    size_t o = 0;
    int ln = 1;
    for (char *p = q; *p;) {
        char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p + 1) : strlen(p);
        if (ln == k && !line)
            break;
        if (ln == k) {
            memcpy(out + o, line, strlen(line));
            o += strlen(line);
            out[o++] = '\n';
        } else {
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
        ln++;
    }
    out[o] = '\0';
    free(q);
    return out;
}

static void test_damaged_tables(void **state)
{
    (void)state;
    /* Line 2 of the fixture is its first variable's 2014 row: damage it in turn. */
    char *t = quantiles_edit(2, "2014,share_total,0.29,0,0.29,0.29,0.29,0.29");
    expect_damaged("plot_ragged", "quantiles.csv", t, "8 fields where the header has 10", 2);
    free(t);
    t = quantiles_edit(2, "2014,share_total,nan,0,0.29,0.29,0.29,0.29,0.29,");
    expect_damaged("plot_nan", "quantiles.csv", t, "column \"mean\": \"nan\" is not a finite number", 2);
    free(t);
    t = quantiles_edit(2, "2014,share_total,0.29,0,0.29,0.29,high,0.29,0.29,");
    expect_damaged("plot_text", "quantiles.csv", t, "column \"p50\": \"high\" is not a finite number", 2);
    free(t);
    t = quantiles_edit(2, "2014,share_total,1e999,0,0.29,0.29,0.29,0.29,0.29,");
    expect_damaged("plot_inf", "quantiles.csv", t, "is not a finite number", 2);
    free(t);
    t = quantiles_edit(2, "99999999,share_total,0.29,0,0.29,0.29,0.29,0.29,0.29,");
    expect_damaged("plot_year", "quantiles.csv", t, "is not a year from 2014 to 2035", 2);
    free(t);
    /* Cut in half, at a line break: a variable loses its last years. */
    t = quantiles_edit(160, NULL);
    expect_damaged("plot_cut", "quantiles.csv", t, "has no row for", -1);
    free(t);
    /* Cut at the end of a variable's block: the variables after it are missing. */
    t = quantiles_edit(2 + 22 * 9, NULL);
    expect_damaged("plot_cut_block", "quantiles.csv", t, "no rows for", -1);
    free(t);
    /* A target row lost. */
    expect_damaged("plot_targets", "targets.csv",
                   "year,value,probability,ci_low,ci_high,first_year_p05,first_year_p50,first_year_p95,"
                   "not_by_horizon,label\n2014,0.29,1,0.99,1,2014,2014,2014,0,ref\n",
                   "1 rows where manifest.json lists 3 targets", 0);
    /* A model's table too. */
    expect_damaged("plot_gapdist", "year_gap_dist.csv", "year,years_behind,probability,cdf\n2019,5,x,1\n",
                   "column \"probability\": \"x\" is not a finite number", 2);

    /* Only regular files, of bounded size: /dev/zero would be read until memory ran out. */
    const char *dir = fixture_copy("plot_devzero", "tests/data/run_fixture");
    char p[4200];
    snprintf(p, sizeof p, "%s/quantiles.csv", dir);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(symlink("/dev/zero", p), 0);
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    assert_non_null(strstr(err.msg, "not a regular file"));
    /* A FIFO with no writer must not block. */
    assert_int_equal(unlink(p), 0);
    assert_int_equal(mkfifo(p, 0644), 0);
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    assert_non_null(strstr(err.msg, "not a regular file"));
    /* A manifest too large to be one. */
    dir = fixture_copy("plot_bigmanifest", "tests/data/run_fixture");
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(65 << 20), SEEK_SET), 0);
    assert_int_equal(fputc(' ', f), ' ');
    assert_int_equal(fclose(f), 0);
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_EINPUT);
    assert_non_null(strstr(err.msg, "larger than 64 MiB"));
    gs_plot_report_clear(&rep);
}

/* "trajectories": 1e300 is no count: the footer says so, nothing overflows. */
static void test_huge_count(void **state)
{
    (void)state;
    const char *dir = fixture_copy("plot_hugecount", "tests/data/run_fixture");
    char p[4200];
    snprintf(p, sizeof p, "%s/manifest.json", dir);
    replace_in_file(p, "\"trajectories\": 10000", "\"trajectories\": 1e300");
    replace_in_file(p, "\"seed\": 42", "\"seed\": -9223372036854775808");
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.formats = GS_PLOT_SVG | GS_PLOT_PDF;
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    assert_int_equal(gs_plot_run_dir(dir, &o, &rep, &err), GS_OK);
    size_t len;
    char *svg = read_chart(dir, "gap", "svg", &len);
    assert_non_null(strstr(svg, "trajectories not stated, seed -9223372036854775808"));
    free(svg);
    /* The PDF names itself: an information dictionary with the chart's title. */
    char *pdf = read_chart(dir, "gap", "pdf", &len);
    int found = 0;
    for (size_t i = 0; i + 8 < len && !found; i++)
        found = memcmp(pdf + i, "/Title <FEFF", 12) == 0;
    assert_true(found);
    assert_true(len > 8 && memcmp(pdf + len - 6, "%%EOF\n", 6) == 0);
    free(pdf);
    gs_plot_report_clear(&rep);
}

/* compare says when its runs differ in N, seed, sampler or version. */
static void test_compare_warnings(void **state)
{
    (void)state;
    const char *a = fixture_copy("plot_cmpw_a", "tests/data/run_fixture");
    const char *b = fixture_copy("plot_cmpw_b", "tests/data/run_fixture_b");
    char p[4200];
    snprintf(p, sizeof p, "%s/manifest.json", b);
    replace_in_file(p, "\"trajectories\": 10000", "\"trajectories\": 500");
    replace_in_file(p, "\"gapsim_version\": \"0.1.0\"", "\"gapsim_version\": \"0.0.9\"");
    const char *dirs[2] = {a, b};
    const char *out = gs_test_tmpdir("plot_cmpw_out");
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    o.formats = GS_PLOT_SVG;
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    assert_int_equal(gs_compare_dirs(dirs, 2, out, &o, &rep, &err), GS_OK);
    int n_n = 0, n_v = 0;
    for (size_t i = 0; i < rep.n_warnings; i++) {
        n_n += strstr(rep.warnings[i], "differ in trajectories (baseline 10000, accelerated 500)") != NULL;
        n_v += strstr(rep.warnings[i], "differ in gapsim version (baseline 0.1.0, accelerated 0.0.9)") != NULL;
    }
    assert_int_equal(n_n, 1);
    assert_int_equal(n_v, 1);
    assert_int_equal(rep.n_warnings, 2);
    /* And the footer of every compare chart shows both sizes and versions. */
    size_t len;
    char *svg = read_chart(out, "compare_share", "svg", &len);
    assert_non_null(strstr(svg, "N baseline 10,000, accelerated 500"));
    assert_non_null(strstr(svg, "gapsim 0.0.9"));
    free(svg);
    gs_plot_report_clear(&rep);
}

/* ---- compare -------------------------------------------------------------- */

static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

static void test_compare(void **state)
{
    (void)state;
    const char *out = gs_test_tmpdir("plot_compare");
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/made/here", out); /* made when missing */
    const char *dirs[2] = {gs_test_source_path("tests/data/run_fixture"),
                           gs_test_source_path("tests/data/run_fixture_b")};
    gs_plot_opts o;
    gs_plot_opts_default(&o);
    gs_plot_report rep;
    gs_plot_report_init(&rep);
    gs_error err;
    gs_status st = gs_compare_dirs(dirs, 2, sub, &o, &rep, &err);
    if (st != GS_OK)
        fail_msg("gs_compare_dirs: %s", err.msg);
    assert_int_equal(rep.n_ok, 3);
    for (size_t i = 0; CMP_CHARTS[i]; i++)
        check_png(sub, CMP_CHARTS[i], 1600, 900);
    assert_int_equal(count_entries(sub, 0), 4);
    assert_int_equal(count_entries(sub, 1), 0);

    char path[4300];
    assert_true(snprintf(path, sizeof path, "%s/compare.csv", sub) < (int)sizeof path);
    size_t len;
    char *csv = gs_test_slurp(path, &len);
    assert_non_null(csv);
    assert_true(strncmp(csv, "scenario,figure,value,diff_from_first\n", 38) == 0);
    /* Values from the fixtures' CSV files; differences from the first run. */
    assert_true(has_line(csv, "baseline,target:0.49@2019,0.0018,0"));
    assert_true(has_line(csv, "accelerated,target:0.49@2019,0.0021,0.0003"));
    assert_true(has_line(csv, "accelerated,target:0.8@2030,0.0716,0.0161"));
    assert_true(has_line(csv, "baseline,share@2030:p50,0.3787038326,0"));
    assert_true(has_line(csv, "accelerated,share@2030:p50,0.4127138452,0.0340100126"));
    assert_true(has_line(csv, "accelerated,year_gap@2030:p50,11,-1"));
    assert_true(has_line(csv, "accelerated,milestone:7nm:p50,2023,-2"));
    assert_true(has_line(csv, "accelerated,milestone:5nm:probability,0.8291,0.3174"));
    /* An empty value (median beyond the horizon) has no difference either. */
    assert_true(has_line(csv, "accelerated,target:0.49@2019:first_year_p50,,"));
    size_t lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    /* 49 figures a scenario: 3 targets x 2, 3 milestones x 2, and the models'
     * key figures: share p50/p05/p95, made-in-China share, year gap, leader
     * node, tools, frontier node and measures in force in 4 years (36), fund
     * money invested at the horizon (1). */
    assert_int_equal(lines, 1 + 2 * 49);
    free(csv);
    gs_plot_report_clear(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_formats),   cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_template_dir),    cmocka_unit_test(test_png_charts),
        cmocka_unit_test(test_svg_pdf_charts),  cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_missing_gnuplot), cmocka_unit_test(test_bad_folders),
        cmocka_unit_test(test_compare),         cmocka_unit_test(test_damaged_tables),
        cmocka_unit_test(test_huge_count),      cmocka_unit_test(test_compare_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
