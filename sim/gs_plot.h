/* gs_plot.h: briefing charts of finished runs, drawn by gnuplot from the
 * run's CSV files and manifest.json, and the side-by-side comparison of runs.
 *
 * gnuplot is started without a shell (posix_spawnp of `gnuplot -d -c
 * TEMPLATE ...`); every string that comes from a config or a manifest reaches
 * it only through a data file the templates read as data, so no scenario can
 * make gnuplot run a command or write outside the output folder.  Each chart
 * is written under a temporary name and renamed when gnuplot succeeded:
 * charts are whole or absent.  docs/charts.md describes the charts. */
#ifndef GS_PLOT_H
#define GS_PLOT_H

#include "gs_error.h"

#include <stdarg.h>
#include <stddef.h>

#define GS_PLOT_PNG 1u /* pngcairo, the default */
#define GS_PLOT_SVG 2u
#define GS_PLOT_PDF 4u

typedef struct {
    unsigned formats; /* GS_PLOT_PNG | GS_PLOT_SVG | GS_PLOT_PDF, at least one */
    int width;        /* pixels (PDF: 160 pixels to the inch), 320..10000 */
    int height;       /* pixels, 240..10000 */
} gs_plot_opts;

/* PNG, 1600 x 900. */
void gs_plot_opts_default(gs_plot_opts *o);

typedef struct {
    char file[64];     /* chart file name in the output folder, "fan_share.png" */
    int ok;            /* 1 when the chart was written */
    char message[1024];/* when not ok: why (gnuplot's last error line); else "" */
} gs_plot_chart;

typedef struct {
    gs_plot_chart *charts; /* one per chart and format tried */
    size_t n_charts;
    size_t n_ok, n_failed;
    int gnuplot_missing;   /* 1 when gnuplot could not be started: nothing drawn */
    char **warnings;       /* one sentence each, for "gapsim: %s\n" on stderr */
    size_t n_warnings;
} gs_plot_report;

void gs_plot_report_init(gs_plot_report *r);
/* Frees what the report holds and empties it; NULL is harmless. */
void gs_plot_report_clear(gs_plot_report *r);

/* "png", "svg,pdf", ...: comma-separated, case-insensitive, no repeats needed. */
gs_status gs_plot_parse_formats(const char *list, unsigned *formats, gs_error *err);
/* "1600x900" */
gs_status gs_plot_parse_size(const char *text, int *width, int *height, gs_error *err);

/* The folder holding the chart templates: $GAPSIM_PLOTDIR, else
 * <folder of the executable>/../share/gapsim/plots (an installed program
 * uses its installed templates), else the source tree's plots/ (a build
 * that is not installed), else GAPSIM_DATADIR/plots; absolute. */
gs_status gs_plot_template_dir(char *buf, size_t n, gs_error *err);

/* Draws every chart of the run in rundir into rundir.  GS_OK when all were
 * written; GS_EPLOT when gnuplot is missing or a chart failed (rep says
 * which; the CSV files are untouched); GS_EINPUT for a folder that is not a
 * finished run; GS_EOUTPUT when the folder is not writable. */
gs_status gs_plot_run_dir(const char *rundir, const gs_plot_opts *o, gs_plot_report *rep,
                          gs_error *err);
/* Reads and checks rundir as gs_plot_run_dir does -- manifest.json and every
 * table whole, finite and consistent with it -- and draws and writes
 * nothing.  GS_OK for a finished run, GS_EINPUT with file and line else. */
gs_status gs_plot_check_run_dir(const char *rundir, gs_error *err);

/* Compares n >= 2 finished runs: writes outdir/compare.csv (key figures of
 * each scenario and their differences from the first) and the compare charts.
 * outdir is created when missing.  Status as gs_plot_run_dir (GS_EUSAGE for
 * n < 2); compare.csv is written even when charts fail. */
gs_status gs_compare_dirs(const char **dirs, size_t n, const char *outdir, const gs_plot_opts *o,
                          gs_plot_report *rep, gs_error *err);

/* Metadata for gs_plot_template: key/value pairs, every value text to the
 * chart (kv[2 i] the key, kv[2 i + 1] its value).  An allocation failure sets
 * oom and makes later calls no-ops, so callers check once before drawing. */
typedef struct gs_plot_meta {
    char **kv;
    size_t n, cap;
    int oom;
} gs_plot_meta;

void gs_plot_meta_put(gs_plot_meta *m, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gs_plot_meta_vput(gs_plot_meta *m, const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void gs_plot_meta_clear(gs_plot_meta *m); /* frees and empties */

/* Draws one chart from TEMPLATE.gp of the template folder into outdir as
 * NAME.png (and the other formats asked), for tables that are not a run's.
 * kv holds n_kv pairs key, value for the metadata file; every value is
 * text to the chart (cleaned, at most 200 characters), "dir" is set to the
 * absolute outdir.  tpl and name: [A-Za-z0-9_-], 48 characters at most.
 * Status as gs_plot_run_dir. */
gs_status gs_plot_template(const char *tpl, const char *outdir, const char *name,
                           const char *const *kv, size_t n_kv, const gs_plot_opts *o,
                           gs_plot_report *rep, gs_error *err);

#endif
