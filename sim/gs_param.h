/* gs_param.h: parameter tables.
 *
 * Every key a scenario file may hold is described once, in the table of the
 * component that uses it (a model, or the engine's own table).  The config
 * layer knows nothing else: it checks each key against these tables, fills
 * defaults, range-checks values and reports problems with file and line.
 */
#ifndef GS_PARAM_H
#define GS_PARAM_H

#include <stddef.h>

typedef enum {
    GS_PT_NUMBER,       /* a number, or (unless GS_PF_FIXED) a distribution */
    GS_PT_STRING,
    GS_PT_BOOL,
    GS_PT_NUMBER_ARRAY, /* [1.0, 2.0, ...]; lo/hi bound every element */
    GS_PT_STRING_ARRAY
} gs_ptype;

enum {
    GS_PF_FIXED = 1u << 0,    /* a plain number: no distribution allowed */
    GS_PF_INT = 1u << 1,      /* whole numbers; drawn values are rounded */
    GS_PF_REQUIRED = 1u << 2, /* no default: the scenario must give it */
    GS_PF_IDENT = 1u << 3     /* string limited to [A-Za-z0-9._-] (used in file names) */
};

typedef struct gs_param_def {
    const char *path;    /* dotted path; "*" stands for an item of a collection, e.g. "funds.*.size" */
    gs_ptype type;
    unsigned flags;      /* GS_PF_* */
    const char *unit;    /* "USD bn", "1/yr", "fraction", "year", "nm", "" */
    double def;          /* default of a number (ignored when GS_PF_REQUIRED) */
    const char *def_text;/* default of a string or array, as libconfig text: "\"lhs\"", "[7.0, 5.0]" */
    double lo, hi;       /* allowed range of a number (inclusive) */
    const char *doc;     /* one sentence: what it means */
} gs_param_def;

/* Tables end with an entry whose path is NULL. */
#define GS_PARAM_END {NULL, GS_PT_NUMBER, 0, NULL, 0.0, NULL, 0.0, 0.0, NULL}

#endif
