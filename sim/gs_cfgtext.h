/* gs_cfgtext.h: reading libconfig text so that what is read is what was written.
 *
 * Debian's libconfig 1.5 reads a decimal integer into 32 bits without a word
 * (seed = 4294967297 becomes 1, 4294967295 becomes -1), saturates an L
 * integer beyond 64 bits, reads 1e999 as infinity and cuts a string at a NUL
 * byte.  These helpers find each of those in the source text or the parsed
 * tree and turn it into a located error instead: FILE:LINE, the key, and
 * what to write instead (an L suffix keeps an integer in 64 bits).
 */
#ifndef GS_CFGTEXT_H
#define GS_CFGTEXT_H

#include <stddef.h>

#include <libconfig.h>

#include "gs_error.h"

/* Largest config file read, in bytes: a scenario is a few kilobytes. */
#define GS_CFG_MAX_BYTES (16u << 20)

/* What a scan of libconfig text found first (kind GS_CFGTEXT_NONE: nothing). */
typedef enum {
    GS_CFGTEXT_NONE,
    GS_CFGTEXT_NUL,        /* a NUL byte */
    GS_CFGTEXT_WIDE,       /* an integer libconfig would wrap to 32 bits (no L suffix) */
    GS_CFGTEXT_INEXACT,    /* an integer beyond 64 bits, or beyond 2^53 (not exact as a number) */
    GS_CFGTEXT_DIRECTIVE   /* an @include outside strings and comments */
} gs_cfgtext_kind;

typedef struct gs_cfgtext_issue {
    gs_cfgtext_kind kind;
    int line;              /* 1-based line of the text */
    char literal[48];      /* the integer as written (possibly cut) */
} gs_cfgtext_issue;

/* Scans len bytes of libconfig text, skipping strings and comments. */
void gs_cfgtext_scan(const char *text, size_t len, gs_cfgtext_issue *out);

/* Reads a config file: a regular file of at most GS_CFG_MAX_BYTES with no
 * NUL byte, parsed by libconfig, with no integer libconfig would hold as
 * another number and no non-finite number.  Errors are GS_EINPUT (cannot
 * read) or GS_ECONFIG (located FILE:LINE: KEY: ...).  cfg must be
 * config_init'ed; on error it may hold a partial tree (config_destroy it). */
gs_status gs_cfg_read_file(config_t *cfg, const char *file, gs_error *err);

/* Parses text as exactly one libconfig value (a number, string, array, list
 * or group) into cfg, which must be config_init'ed; *value is its setting.
 * name labels errors ("--set funds.fund2.size").  Anything else (a second
 * setting, a closing brace, an @include) is GS_EUSAGE naming name. */
gs_status gs_cfg_parse_value(config_t *cfg, const char *text, const char *name,
                             config_setting_t **value, gs_error *err);

/* Copies src (recursively) into parent as a new setting called name (NULL
 * inside arrays and lists).  Returns the copy, NULL when out of memory or
 * when libconfig refuses the shape. */
config_setting_t *gs_cfg_copy(config_setting_t *parent, const char *name,
                              const config_setting_t *src);

/* The dotted path of a setting ("run.seed", "targets.years[2]"). */
void gs_cfg_path(const config_setting_t *st, char *buf, size_t n);

#endif
