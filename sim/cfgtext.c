/* Reading libconfig text so that what is read is what was written: see
 * gs_cfgtext.h for the cases Debian's libconfig 1.5 gets silently wrong. */
#include "gs_cfgtext.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------------------------------------------------------------- scan */

static int ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '*';
}

/* Classifies one integer literal [p, p + n): GS_CFGTEXT_NONE when libconfig
 * holds it exactly.  Decimal and hex without L must fit in 32 bits (hex up
 * to 0x7fffffff: libconfig wraps the rest to negatives); with L, in 64 bits
 * and, since parameters are doubles, within 2^53. */
static gs_cfgtext_kind classify_int(const char *p, size_t n)
{
    char buf[64];
    if (n >= sizeof buf)
        return GS_CFGTEXT_INEXACT;
    memcpy(buf, p, n);
    buf[n] = '\0';
    size_t k = n;
    int wide = 0;
    while (k > 0 && (buf[k - 1] == 'L' || buf[k - 1] == 'l')) {
        wide = 1;
        buf[--k] = '\0';
    }
    const char *digits = buf + (buf[0] == '-' || buf[0] == '+');
    int hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    errno = 0;
    char *end;
    long long v;
    if (hex) {
        unsigned long long u = strtoull(digits, &end, 16);
        if (errno == ERANGE || u > (unsigned long long)INT64_MAX)
            return GS_CFGTEXT_INEXACT;
        v = (long long)u;
        if (buf[0] == '-')
            v = -v;
    } else {
        v = strtoll(buf, &end, 10);
        if (errno == ERANGE)
            return wide ? GS_CFGTEXT_INEXACT : GS_CFGTEXT_WIDE;
    }
    if (*end != '\0')
        return GS_CFGTEXT_NONE; /* not an integer after all: libconfig will say so */
    if (!wide)
        return v < INT32_MIN || v > INT32_MAX ? GS_CFGTEXT_WIDE : GS_CFGTEXT_NONE;
    return v < -(1LL << 53) || v > (1LL << 53) ? GS_CFGTEXT_INEXACT : GS_CFGTEXT_NONE;
}

static void found(gs_cfgtext_issue *out, gs_cfgtext_kind kind, int line, const char *p, size_t n)
{
    if (out->kind != GS_CFGTEXT_NONE)
        return;
    out->kind = kind;
    out->line = line;
    size_t m = n < sizeof out->literal - 1 ? n : sizeof out->literal - 1;
    memcpy(out->literal, p, m);
    out->literal[m] = '\0';
}

void gs_cfgtext_scan(const char *t, size_t len, gs_cfgtext_issue *out)
{
    memset(out, 0, sizeof *out);
    int line = 1;
    size_t i = 0;
    while (i < len && out->kind == GS_CFGTEXT_NONE) {
        unsigned char c = (unsigned char)t[i];
        unsigned char next = i + 1 < len ? (unsigned char)t[i + 1] : 0;
        if (c == '\0') {
            found(out, GS_CFGTEXT_NUL, line, "", 0);
        } else if (c == '\n') {
            line++;
            i++;
        } else if (c == '"') {
            for (i++; i < len && t[i] != '"'; i++) {
                if (t[i] == '\\' && i + 1 < len && t[i + 1] != '\0')
                    i++;
                if (t[i] == '\n')
                    line++;
                if (t[i] == '\0')
                    found(out, GS_CFGTEXT_NUL, line, "", 0);
            }
            i++;
        } else if (c == '#' || (c == '/' && next == '/')) {
            while (i < len && t[i] != '\n' && t[i] != '\0')
                i++;
        } else if (c == '/' && next == '*') {
            for (i += 2; i < len && !(t[i] == '*' && i + 1 < len && t[i + 1] == '/'); i++) {
                if (t[i] == '\n')
                    line++;
                if (t[i] == '\0')
                    found(out, GS_CFGTEXT_NUL, line, "", 0);
            }
            i += 2;
        } else if (c == '@') {
            /* Quote at most "@include", never past the end of the text. */
            found(out, GS_CFGTEXT_DIRECTIVE, line, t + i, len - i < 8 ? len - i : 8);
            i++;
        } else if (isalpha(c) || c == '_' || c == '*') {
            while (i < len && ident_char((unsigned char)t[i]))
                i++;
        } else if (isdigit(c) || ((c == '-' || c == '+') && isdigit(next))) {
            size_t d0 = i + (c == '-' || c == '+');
            int hex = d0 + 1 < len && t[d0] == '0' && (t[d0 + 1] == 'x' || t[d0 + 1] == 'X');
            size_t j = i + 1;
            int is_float = 0;
            while (j < len) {
                unsigned char d = (unsigned char)t[j];
                if (!hex && (d == '.' || d == 'e' || d == 'E' ||
                             ((d == '+' || d == '-') && (t[j - 1] == 'e' || t[j - 1] == 'E'))))
                    is_float = 1;
                else if (!isalnum(d))
                    break;
                j++;
            }
            if (!is_float) {
                gs_cfgtext_kind k = classify_int(t + i, j - i);
                if (k != GS_CFGTEXT_NONE)
                    found(out, k, line, t + i, j - i);
            }
            i = j;
        } else {
            i++;
        }
    }
}

/* ---------------------------------------------------------------- tree */

void gs_cfg_path(const config_setting_t *st, char *buf, size_t n)
{
    const config_setting_t *chain[64];
    size_t depth = 0;
    for (const config_setting_t *p = st; p && config_setting_parent(p) && depth < 64;
         p = config_setting_parent(p))
        chain[depth++] = p;
    size_t at = 0;
    buf[0] = '\0';
    while (depth-- > 0 && at < n) {
        const config_setting_t *p = chain[depth];
        const char *name = config_setting_name(p);
        int w = name ? snprintf(buf + at, n - at, "%s%s", at ? "." : "", name)
                     : snprintf(buf + at, n - at, "[%d]", config_setting_index(p));
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* The last scalar setting of type type (any type when type < 0) that starts
 * on line, or NULL.  The last, because a NUL in a string cuts the line after
 * the setting that holds it. */
static const config_setting_t *at_line(const config_setting_t *g, unsigned line, int type)
{
    const config_setting_t *last = NULL;
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        const config_setting_t *in = NULL;
        if (config_setting_is_aggregate(e))
            in = at_line(e, line, type);
        else if (config_setting_source_line(e) == line &&
                 (type < 0 || config_setting_type(e) == type))
            in = e;
        if (in)
            last = in;
    }
    return last;
}

/* The first number in g that is not finite (libconfig reads 1e999 as inf). */
static const config_setting_t *non_finite(const config_setting_t *g)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        if (config_setting_is_aggregate(e)) {
            const config_setting_t *in = non_finite(e);
            if (in)
                return in;
        } else if (config_setting_type(e) == CONFIG_TYPE_FLOAT &&
                   !isfinite(config_setting_get_float(e))) {
            return e;
        }
    }
    return NULL;
}

/* "KEY: " for the setting on line that the issue is about (an integer, or
 * a string for a NUL), or "" when none is found. */
static void key_prefix(const config_t *cfg, const gs_cfgtext_issue *is, char *buf, size_t n)
{
    const config_setting_t *root = config_root_setting(cfg), *st = NULL;
    if (is->line > 0) {
        int type = is->kind == GS_CFGTEXT_NUL ? CONFIG_TYPE_STRING : CONFIG_TYPE_INT;
        st = at_line(root, (unsigned)is->line, type);
        if (!st && is->kind != GS_CFGTEXT_NUL)
            st = at_line(root, (unsigned)is->line, CONFIG_TYPE_INT64);
        if (!st)
            st = at_line(root, (unsigned)is->line, -1);
    }
    buf[0] = '\0';
    if (st) {
        char path[400];
        gs_cfg_path(st, path, sizeof path);
        snprintf(buf, n, "%s: ", path);
    }
}

static gs_status issue_error(const config_t *cfg, const gs_cfgtext_issue *is, const char *file,
                             int line, gs_status code, gs_error *err)
{
    char key[420];
    key_prefix(cfg, is, key, sizeof key);
    switch (is->kind) {
    case GS_CFGTEXT_NUL:
        return gs_error_set(err, code, file, line, "%sa NUL byte in the text (libconfig would cut "
                            "the text short there)", key);
    case GS_CFGTEXT_WIDE:
        return gs_error_set(err, code, file, line,
                            "%s%s does not fit in 32 bits, and libconfig would read another "
                            "number; write %sL", key, is->literal, is->literal);
    case GS_CFGTEXT_INEXACT:
        return gs_error_set(err, code, file, line,
                            "%s%s cannot be held exactly (integers are exact up to 2^53 = "
                            "9007199254740992)", key, is->literal);
    case GS_CFGTEXT_DIRECTIVE:
        return gs_error_set(err, code, file, line, "%s@include is not allowed here", key);
    case GS_CFGTEXT_NONE:
        break;
    }
    return GS_OK;
}

static gs_status finite_check(const config_t *cfg, const char *file, int with_lines,
                              gs_status code, gs_error *err)
{
    const config_setting_t *bad = non_finite(config_root_setting(cfg));
    if (!bad)
        return GS_OK;
    char path[400] = "";
    /* In a file, name the key; a single value is named by the caller. */
    if (with_lines) {
        gs_cfg_path(bad, path, sizeof path);
        strcat(path, ": ");
    }
    return gs_error_set(err, code, file, with_lines ? (int)config_setting_source_line(bad) : 0,
                        "%sthe number is too large for a double (read as %g)", path,
                        config_setting_get_float(bad));
}

gs_status gs_cfg_read_file(config_t *cfg, const char *file, gs_error *err)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return gs_error_set(err, GS_EINPUT, file, 0, "cannot read: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return gs_error_set(err, GS_EINPUT, file, 0, "not a regular file");
    }
    if ((unsigned long long)sb.st_size > GS_CFG_MAX_BYTES) {
        fclose(f);
        return gs_error_set(err, GS_EINPUT, file, 0, "larger than %u MB: not a config file",
                            GS_CFG_MAX_BYTES >> 20);
    }
    size_t cap = (size_t)sb.st_size + 1;
    char *text = malloc(cap);
    if (!text) {
        fclose(f);
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    }
    size_t len = fread(text, 1, cap, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || len >= cap) {
        free(text);
        return gs_error_set(err, GS_EINPUT, file, 0, "cannot read: the file changed or failed");
    }
    gs_cfgtext_issue is;
    gs_cfgtext_scan(text, len, &is);
    free(text);
    int parsed = config_read_file(cfg, file) == CONFIG_TRUE;
    /* A NUL cuts what libconfig sees: say so whether or not the rest parsed
     * (when it did, the message can name the key). */
    if (is.kind == GS_CFGTEXT_NUL) {
        if (!parsed) {
            config_destroy(cfg);
            config_init(cfg);
        }
        return issue_error(cfg, &is, file, is.line, GS_ECONFIG, err);
    }
    if (!parsed) {
        const char *ef = config_error_file(cfg);
        return gs_error_set(err, GS_ECONFIG, ef ? ef : file, config_error_line(cfg), "%s",
                            config_error_text(cfg));
    }
    if (is.kind == GS_CFGTEXT_WIDE || is.kind == GS_CFGTEXT_INEXACT)
        return issue_error(cfg, &is, file, is.line, GS_ECONFIG, err);
    return finite_check(cfg, file, 1, GS_ECONFIG, err);
}

/* --------------------------------------------------------------- values */

gs_status gs_cfg_parse_value(config_t *cfg, const char *text, const char *name,
                             config_setting_t **value, gs_error *err)
{
    *value = NULL;
    gs_cfgtext_issue is;
    gs_cfgtext_scan(text, strlen(text), &is);
    if (is.kind == GS_CFGTEXT_DIRECTIVE || is.kind == GS_CFGTEXT_WIDE ||
        is.kind == GS_CFGTEXT_INEXACT)
        return issue_error(cfg, &is, name, 0, GS_EUSAGE, err);
    /* The value goes on its own lines, so that a trailing comment cannot
     * swallow the closing semicolon. */
    size_t n = strlen(text) + 16;
    char *doc = malloc(n);
    if (!doc)
        return gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
    snprintf(doc, n, "v =\n%s\n;", text);
    int ok = config_read_string(cfg, doc) == CONFIG_TRUE;
    free(doc);
    if (!ok)
        return gs_error_set(err, GS_EUSAGE, name, 0, "cannot read the value \"%s\": %s", text,
                            config_error_text(cfg));
    config_setting_t *root = config_root_setting(cfg);
    config_setting_t *v = config_setting_get_member(root, "v");
    if (config_setting_length(root) != 1 || !v)
        return gs_error_set(err, GS_EUSAGE, name, 0,
                            "the value \"%s\" is more than one value (a number, string, array, "
                            "list or group { ... }); quote a string with \"...\"", text);
    gs_status st = finite_check(cfg, name, 0, GS_EUSAGE, err);
    if (st)
        return st;
    *value = v;
    return GS_OK;
}

config_setting_t *gs_cfg_copy(config_setting_t *parent, const char *name,
                              const config_setting_t *src)
{
    int t = config_setting_type(src);
    config_setting_t *d = config_setting_add(parent, name, t);
    if (!d)
        return NULL;
    int ok = CONFIG_TRUE;
    switch (t) {
    case CONFIG_TYPE_INT: ok = config_setting_set_int(d, config_setting_get_int(src)); break;
    case CONFIG_TYPE_INT64: ok = config_setting_set_int64(d, config_setting_get_int64(src)); break;
    case CONFIG_TYPE_FLOAT: ok = config_setting_set_float(d, config_setting_get_float(src)); break;
    case CONFIG_TYPE_BOOL: ok = config_setting_set_bool(d, config_setting_get_bool(src)); break;
    case CONFIG_TYPE_STRING:
        ok = config_setting_set_string(d, config_setting_get_string(src));
        break;
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST:
        for (int i = 0; i < config_setting_length(src); i++) {
            const config_setting_t *e = config_setting_get_elem(src, (unsigned)i);
            if (!gs_cfg_copy(d, t == CONFIG_TYPE_GROUP ? config_setting_name(e) : NULL, e))
                return NULL;
        }
        break;
    default:
        return NULL;
    }
    return ok == CONFIG_TRUE ? d : NULL;
}
