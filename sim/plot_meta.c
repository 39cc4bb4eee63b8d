/* Key/value metadata handed to the chart templates (gs_plot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gs_plot.h"
#include "gs_util.h"

void gs_plot_meta_vput(gs_plot_meta *m, const char *key, const char *fmt, va_list ap)
{
    if (m->oom)
        return;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        char **kv = realloc(m->kv, 2 * cap * sizeof *kv);
        if (!kv) {
            m->oom = 1;
            return;
        }
        m->kv = kv;
        m->cap = cap;
    }
    char v[512];
    vsnprintf(v, sizeof v, fmt, ap);
    m->kv[2 * m->n] = gs_strdup(key);
    m->kv[2 * m->n + 1] = gs_strdup(v);
    if (!m->kv[2 * m->n] || !m->kv[2 * m->n + 1]) {
        free(m->kv[2 * m->n]);
        free(m->kv[2 * m->n + 1]);
        m->oom = 1;
        return;
    }
    m->n++;
}

void gs_plot_meta_put(gs_plot_meta *m, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gs_plot_meta_vput(m, key, fmt, ap);
    va_end(ap);
}

void gs_plot_meta_clear(gs_plot_meta *m)
{
    for (size_t i = 0; i < 2 * m->n; i++)
        free(m->kv[i]);
    free(m->kv);
    memset(m, 0, sizeof *m);
}
