/* Reading libconfig text exactly: the scan that finds integers libconfig 1.5
 * would read as other numbers, NUL bytes and directives, skipping strings and
 * comments; single values for --set; copies of settings. */
#include "testutil.h"

#include "gs_cfgtext.h"

#include <stdlib.h>
#include <string.h>

static gs_cfgtext_issue scan(const char *text)
{
    gs_cfgtext_issue is;
    gs_cfgtext_scan(text, strlen(text), &is);
    return is;
}

static void scan_finds_wide_integers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        gs_cfgtext_kind kind;
        int line;
        const char *literal;
    } cases[] = {
        {"a = 2147483647;", GS_CFGTEXT_NONE, 0, ""},
        {"a = -2147483648;", GS_CFGTEXT_NONE, 0, ""},
        {"a = 2147483648;", GS_CFGTEXT_WIDE, 1, "2147483648"},
        {"a = -2147483649;", GS_CFGTEXT_WIDE, 1, "-2147483649"},
        {"\n\na = [1, 2,\n 4294967297];", GS_CFGTEXT_WIDE, 4, "4294967297"},
        {"a = 4294967297L;", GS_CFGTEXT_NONE, 0, ""},
        {"a = 0x7fffffff;", GS_CFGTEXT_NONE, 0, ""},
        {"a = 0x80000000;", GS_CFGTEXT_WIDE, 1, "0x80000000"},
        {"a = 0xFFFFFFFFL;", GS_CFGTEXT_NONE, 0, ""},
        {"a = 9007199254740992L;", GS_CFGTEXT_NONE, 0, ""},
        {"a = 9007199254740993L;", GS_CFGTEXT_INEXACT, 1, "9007199254740993L"},
        {"a = 99999999999999999999L;", GS_CFGTEXT_INEXACT, 1, "99999999999999999999L"},
        {"a = 99999999999999999999;", GS_CFGTEXT_WIDE, 1, "99999999999999999999"},
        /* Not integers: floats, names with digits, strings, comments. */
        {"a = 4294967297.0; b = 1e10; c = 5e+20; d = 3.5E-400;", GS_CFGTEXT_NONE, 0, ""},
        {"fund2 = { x9999999999 = 1; };", GS_CFGTEXT_NONE, 0, ""},
        {"a = \"4294967297 \\\" 4294967297\";", GS_CFGTEXT_NONE, 0, ""},
        {"# 4294967297\n// 4294967297\n/* 4294967297\n*/ a = 1;", GS_CFGTEXT_NONE, 0, ""},
        {"/* two\nlines */ a = 4294967297;", GS_CFGTEXT_WIDE, 2, "4294967297"},
        {"a = \"x\";\n@include \"y\"", GS_CFGTEXT_DIRECTIVE, 2, "@include"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gs_cfgtext_issue is = scan(cases[i].text);
        if (is.kind != cases[i].kind || is.line != cases[i].line ||
            strcmp(is.literal, cases[i].literal) != 0)
            print_error("case %zu \"%s\": kind %d line %d \"%s\"\n", i, cases[i].text,
                        (int)is.kind, is.line, is.literal);
        assert_int_equal(is.kind, cases[i].kind);
        assert_int_equal(is.line, cases[i].line);
        assert_string_equal(is.literal, cases[i].literal);
    }
}

static void scan_finds_nul(void **state)
{
    (void)state;
    static const char text[] = "a = 1;\nb = \"x\0y\";\n";
    gs_cfgtext_issue is;
    gs_cfgtext_scan(text, sizeof text - 1, &is);
    assert_int_equal(is.kind, GS_CFGTEXT_NUL);
    assert_int_equal(is.line, 2);
}

/* A directive at the very end of the text: the quoted literal stops there
 * (the text is a heap block of exactly its length, so ASan sees a read past it). */
static void scan_directive_at_end(void **state)
{
    (void)state;
    char *t = malloc(5);
    assert_non_null(t);
    memcpy(t, "a=1\n@", 5);
    gs_cfgtext_issue is;
    gs_cfgtext_scan(t, 5, &is);
    assert_int_equal(is.kind, GS_CFGTEXT_DIRECTIVE);
    assert_int_equal(is.line, 2);
    assert_string_equal(is.literal, "@");
    free(t);
}

static void value_is_exactly_one(void **state)
{
    (void)state;
    static const char *const good[] = {"6.8", "\"text; } x = 1\"", "[1, 2, 3]",
                                       "{ dist = \"normal\"; mean = 1.0; sd = 0.5; }",
                                       "4294967297L", "2.5 # a comment", "true"};
    static const char *const badv[] = {"6.8; w = 1",   "6.8; }; s = { n = 1",
                                       "4294967297",   "1e999",
                                       "1\n@include \"/etc/hostname\"", "", "6.8;;"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        config_t c;
        config_init(&c);
        config_setting_t *v;
        gs_error e;
        gs_error_clear(&e);
        if (gs_cfg_parse_value(&c, good[i], "--set x", &v, &e) != GS_OK)
            print_error("\"%s\": %s\n", good[i], e.msg);
        assert_non_null(v);
        /* A copy under a new parent keeps type and value. */
        config_t d;
        config_init(&d);
        config_setting_t *g = config_setting_add(config_root_setting(&d), "g", CONFIG_TYPE_GROUP);
        config_setting_t *cp = gs_cfg_copy(g, "x", v);
        assert_non_null(cp);
        assert_int_equal(config_setting_type(cp), config_setting_type(v));
        assert_int_equal(config_setting_length(cp), config_setting_length(v));
        config_destroy(&d);
        config_destroy(&c);
    }
    for (size_t i = 0; i < sizeof badv / sizeof badv[0]; i++) {
        config_t c;
        config_init(&c);
        config_setting_t *v;
        gs_error e;
        gs_error_clear(&e);
        assert_int_equal(gs_cfg_parse_value(&c, badv[i], "--set x", &v, &e), GS_EUSAGE);
        assert_null(v);
        assert_string_equal(e.file, "--set x");
        assert_null(strchr(e.msg, '\n'));
        config_destroy(&c);
    }
}

static void int64_copy_is_exact(void **state)
{
    (void)state;
    config_t c, d;
    config_init(&c);
    config_init(&d);
    config_setting_t *v;
    assert_int_equal(gs_cfg_parse_value(&c, "[4294967297L, 9007199254740992L]", "x", &v, NULL),
                     GS_OK);
    config_setting_t *cp = gs_cfg_copy(config_root_setting(&d), "y", v);
    assert_non_null(cp);
    assert_true(config_setting_get_int64_elem(cp, 0) == 4294967297LL);
    assert_true(config_setting_get_int64_elem(cp, 1) == 9007199254740992LL);
    char path[64];
    gs_cfg_path(config_setting_get_elem(cp, 1), path, sizeof path);
    assert_string_equal(path, "y[1]");
    config_destroy(&c);
    config_destroy(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_finds_wide_integers),
        cmocka_unit_test(scan_finds_nul),
        cmocka_unit_test(scan_directive_at_end),
        cmocka_unit_test(value_is_exactly_one),
        cmocka_unit_test(int64_copy_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
