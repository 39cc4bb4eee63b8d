/* gs_dist_config.h: reading a distribution from a libconfig setting, the
 * config layer's side of gs_dist.h (which knows nothing of files). */
#ifndef GS_DIST_CONFIG_H
#define GS_DIST_CONFIG_H

#include <libconfig.h>

#include "gs_dist.h"
#include "gs_error.h"

/* Reads a distribution from a libconfig setting: a number (int or float) or a
 * group as described in gs_dist.h.  Errors name the setting's file and line
 * (config_setting_source_file / config_setting_source_line: the key's own
 * line when the key exists, the group's otherwise) and the parameter, e.g.
 * "x: unknown distribution \"normall\" (did you mean \"normal\"?)",
 * "x: sd must be positive", "x: unknown key \"sdd\" for a normal distribution".
 * name is the parameter path used in messages. Returns GS_OK or GS_ECONFIG;
 * on error *out is the constant 0. */
gs_status gs_dist_from_setting(const config_setting_t *s, const char *name, gs_dist *out,
                               gs_error *err);

#endif
