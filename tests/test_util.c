/* The shared helpers: growing strings, typo suggestions, CSV fields and the
 * CSV reader, whole-or-absent files, mkdir -p, names and the node rule. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "gs_csv.h"
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

static const char *write_file(const char *dir, const char *name, const char *text, size_t n)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
    return path;
}

static void csv_reader_reads_rfc4180(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("csv_reader");
    /* CRLF line ends, a quoted comma, a doubled quote, a quoted line break,
     * an empty field and no final line break. */
    static const char text[] = "a,b,c\r\n1,\"x,y\",\r\n\"say \"\"hi\"\"\",\"two\nlines\",3";
    gs_csv t;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_csv_read(&t, write_file(dir, "ok.csv", text, sizeof text - 1), &e),
                     GS_OK);
    assert_int_equal(t.nhead, 3);
    assert_string_equal(t.head[2], "c");
    assert_int_equal(t.nrows, 2);
    assert_int_equal(t.rows[0].n, 3);
    assert_string_equal(t.rows[0].f[1], "x,y");
    assert_string_equal(t.rows[0].f[2], "");
    assert_int_equal(t.rows[0].line, 2);
    assert_int_equal(t.rows[0].unsafe, 3); /* a comma in quotes is safe for gnuplot */
    assert_string_equal(t.rows[1].f[0], "say \"hi\"");
    assert_string_equal(t.rows[1].f[1], "two\nlines");
    assert_int_equal(t.rows[1].line, 3);
    assert_int_equal(t.rows[1].unsafe, 0);
    assert_int_equal(gs_csv_col(&t, "b"), 1);
    assert_int_equal(gs_csv_col(&t, "z"), -1);
    assert_string_equal(gs_csv_cell(&t, 1, 2), "3");
    assert_string_equal(gs_csv_cell(&t, 5, 0), "");
    assert_close(gs_csv_num(&t, 1, 2), 3.0, 0, 0);
    assert_true(isnan(gs_csv_num(&t, 0, 2)));
    gs_csv_free(&t);
    gs_csv_free(&t); /* harmless twice */

    /* Damaged files: each error names the file and the line. */
    static const struct {
        const char *text;
        int line;
        const char *msg;
    } bad[] = {{"a,b\n1,\"open\n2,3\n", 2, "unterminated quoted field"},
               {"a,b\n1,2\n\n3,4\n", 3, "empty line"},
               {"", 1, "no header row"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p = write_file(dir, "bad.csv", bad[i].text, strlen(bad[i].text));
        gs_error_clear(&e);
        assert_int_equal(gs_csv_read(&t, p, &e), GS_EINPUT);
        assert_string_equal(e.file, p);
        assert_int_equal(e.line, bad[i].line);
        assert_non_null(strstr(e.msg, bad[i].msg));
        assert_int_equal(t.nrows, 0);
        assert_null(t.head);
    }
    gs_error_clear(&e);
    assert_int_equal(gs_csv_read_in(&t, dir, "absent.csv", &e), GS_EINPUT);
    assert_non_null(strstr(e.file, "absent.csv"));
}

static void afile_is_whole_or_absent(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("afile");
    char path[4200];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    gs_afile a;
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_afile_open_path(&a, path, &e), GS_OK);
    fputs("partial", a.f);
    assert_int_equal(access(path, F_OK), -1); /* not there until committed */
    gs_afile_abort(&a);
    gs_afile_abort(&a);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(access(a.tmp, F_OK), -1);
    assert_int_equal(gs_afile_open(&a, dir, "out.txt", &e), GS_OK);
    fputs("whole", a.f);
    assert_int_equal(gs_afile_commit(&a, &e), GS_OK);
    size_t n;
    char *text = gs_test_slurp(path, &n);
    assert_string_equal(text, "whole");
    free(text);
    /* A folder that does not exist: an output error naming the file. */
    snprintf(path, sizeof path, "%s/no/such/out.txt", dir);
    assert_int_equal(gs_afile_open_path(&a, path, &e), GS_EOUTPUT);
}

static void mkdir_p_makes_every_level(void **state)
{
    (void)state;
    const char *dir = gs_test_tmpdir("mkdir_p");
    char path[4200];
    snprintf(path, sizeof path, "%s/a/b/c/", dir);
    gs_error e;
    gs_error_clear(&e);
    assert_int_equal(gs_mkdir_p(path, &e), GS_OK);
    assert_int_equal(gs_mkdir_p(path, &e), GS_OK); /* already there */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    /* A file in the way. */
    const char *file = write_file(dir, "plain", "x", 1);
    /* The length is checked so that a release build's truncation warning
       (file may fill path) has nothing to warn of. */
    assert_true(strlen(file) + sizeof "/sub" <= sizeof path);
    snprintf(path, sizeof path, "%.4100s/sub", file);
    assert_int_equal(gs_mkdir_p(path, &e), GS_EOUTPUT);
    assert_int_equal(gs_mkdir_p("", &e), GS_EOUTPUT);
}

static void names_and_nodes(void **state)
{
    (void)state;
    assert_true(gs_is_ident("baseline_2.v-1"));
    assert_false(gs_is_ident(""));
    assert_false(gs_is_ident("a b"));
    assert_false(gs_is_ident("a/b"));
    assert_false(gs_is_ident("caf\xc3\xa9"));
    assert_true(gs_node_same(5.0, 5.0 + 1e-12));
    assert_true(gs_node_same(1.4, 1.4000000001));
    assert_false(gs_node_same(5.0, 5.001));
    assert_false(gs_node_same(3.0, 2.0));
    assert_true(gs_node_reached(2.0, 3.0));
    assert_true(gs_node_reached(3.0 * (1 + 1e-12), 3.0));
    assert_false(gs_node_reached(3.1, 3.0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strbuf_grows_and_hands_over),
        cmocka_unit_test(edit_distance_counts_swaps_as_one),
        cmocka_unit_test(nearest_only_when_plausible),
        cmocka_unit_test(csv_fields_follow_rfc4180),
        cmocka_unit_test(csv_reader_reads_rfc4180),
        cmocka_unit_test(afile_is_whole_or_absent),
        cmocka_unit_test(mkdir_p_makes_every_level),
        cmocka_unit_test(names_and_nodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
