/* gs_scenario_path.h: the search path of `inherit` (scenario_path.c). */
#ifndef GS_SCENARIO_PATH_H
#define GS_SCENARIO_PATH_H

/* The file `inherit = "rel";` in from_file names: rel beside from_file,
 * else in a folder of GAPSIM_PATH, else among the installed scenarios; an
 * absolute rel as it is.  Returns the path (free it), or NULL with *looked
 * set to a one-line list of the folders tried (free it; NULL when out of
 * memory). */
char *gs_scenario_find_inherit(const char *from_file, const char *rel, char **looked);

#endif
