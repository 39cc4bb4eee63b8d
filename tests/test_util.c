/* The shared helpers: growing strings, typo suggestions, CSV fields. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_util.h"

static void strbuf_grows_and_hands_over(void **state)
{
    (void)state;
    gs_strbuf b = {0};
    char *empty = gs_strbuf_take(&b);
    assert_string_equal(empty, "");
    free(empty);
    for (int i = 0; i < 1000; i++)
        gs_strbuf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.n, 2000);
    assert_false(b.oom);
    char *s = gs_strbuf_take(&b);
    assert_int_equal(strlen(s), 2000);
    assert_memory_equal(s, "0,1,2,3,4,", 10);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
    free(s);

    /* Bytes, NULs included, and the text stays terminated for gs_strbuf_str. */
    gs_strbuf_putn(&b, "ab\0cd", 5);
    gs_strbuf_puts(&b, "ef");
    assert_int_equal(b.n, 7);
    assert_memory_equal(b.p, "ab\0cdef", 8);
    assert_string_equal(gs_strbuf_str(&b), "ab");
    gs_strbuf_free(&b);
    assert_string_equal(gs_strbuf_str(&b), "");
}

static void edit_distance_counts_swaps_as_one(void **state)
{
    (void)state;
    assert_int_equal(gs_edit_distance("mean", "mean"), 0);
    assert_int_equal(gs_edit_distance("mena", "mean"), 1);
    assert_int_equal(gs_edit_distance("levrage", "leverage"), 1);
    assert_int_equal(gs_edit_distance("", "abc"), 3);
    assert_int_equal(gs_edit_distance("kitten", "sitting"), 3);
}

static void nearest_only_when_plausible(void **state)
{
    (void)state;
    const char *c[] = {"fund.leverage", "fund.efficiency", "fund.fx"};
    assert_string_equal(gs_nearest("fund.levrage", c, 3), "fund.leverage");
    assert_string_equal(gs_nearest("fund.efficency", c, 3), "fund.efficiency");
    assert_null(gs_nearest("market.demand0", c, 3));
    assert_null(gs_nearest("x", c, 0));
}

static void csv_fields_follow_rfc4180(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("util");
    char path[4200];
    assert_true(snprintf(path, sizeof path, "%s/f.csv", dir) < (int)sizeof path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    const char *in[] = {"plain", "a,b", "say \"hi\"", "two\nlines", " padded", ""};
    for (size_t i = 0; i < 6; i++) {
        gs_csv_field(f, in[i]);
        fputc('|', f);
    }
    fclose(f);
    char *got = gs_test_slurp(path, NULL);
    assert_string_equal(got,
                        "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" padded\"||");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strbuf_grows_and_hands_over),
        cmocka_unit_test(edit_distance_counts_swaps_as_one),
        cmocka_unit_test(nearest_only_when_plausible),
        cmocka_unit_test(csv_fields_follow_rfc4180),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
