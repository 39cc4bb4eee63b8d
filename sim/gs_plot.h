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

#include "gs_error.h" /* gapsim.h: options, reports, run and compare charts */

#include <stdarg.h>
#include <stddef.h>

/* The folder holding the chart templates: $GAPSIM_PLOTDIR, else
 * <folder of the executable>/../share/gapsim/plots (an installed program
 * uses its installed templates), else the source tree's plots/ (a build
 * that is not installed), else GAPSIM_DATADIR/plots; absolute. */
gs_status gs_plot_template_dir(char *buf, size_t n, gs_error *err);

/* Reads and checks rundir as gs_plot_run_dir does -- manifest.json and every
 * table whole, finite and consistent with it -- and draws and writes
 * nothing.  GS_OK for a finished run, GS_EINPUT with file and line else. */
gs_status gs_plot_check_run_dir(const char *rundir, gs_error *err);

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
