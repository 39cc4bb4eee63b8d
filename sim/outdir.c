/* Output folders replaced as a whole: staging folder, lock, swap. */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE, SYS_getdents64 */
#include "gs_outdir.h"

#include "gs_job.h"
#include "gs_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ------------------------------------------------------------ names */

/* Splits path into parent (always something: "." when there is no '/') and
 * last component; 0 when the last component cannot name a folder to replace. */
static int split(const char *path, char *parent, size_t np, char *name, size_t nn)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    char *sl = strrchr(buf, '/');
    const char *last = sl ? sl + 1 : buf;
    if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
        return 0;
    snprintf(name, nn, "%s", last);
    if (!sl)
        snprintf(parent, np, ".");
    else if (sl == buf)
        snprintf(parent, np, "/");
    else {
        *sl = '\0';
        snprintf(parent, np, "%s", buf);
    }
    return 1;
}

/* ------------------------------------------------------- removal */

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p) != 0 && errno != ENOENT ? -1 : 0;
}

static void rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The staging folder the signal handler removes: written before the handler
 * is armed, read only by it. */
static char sig_path[5300];
static volatile sig_atomic_t sig_armed;

/* Async-signal-safe removal of a folder of files (a staging folder has no
 * subfolders; an empty one is removed too): open, getdents64, unlinkat. */
static void rm_flat_signal_safe(const char *path)
{
    for (int pass = 0; pass < 3; pass++) {
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return;
        char buf[8192];
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                /* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
                unsigned short reclen;
                memcpy(&reclen, buf + off + 16, sizeof reclen);
                const char *nm = buf + off + 19;
                if (!(nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))))
                    if (unlinkat(fd, nm, 0) != 0)
                        unlinkat(fd, nm, AT_REMOVEDIR);
                off += reclen;
            }
        }
        close(fd);
        if (rmdir(path) == 0 || errno == ENOENT)
            return;
    }
}

static void on_signal(int sig)
{
    if (sig_armed)
        rm_flat_signal_safe(sig_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static struct sigaction old_int, old_term;

/* A process that exits while a stage is armed (a library it uses ends it:
 * MPI stops a job whose other process died) leaves no staging folder. */
static void at_exit(void)
{
    if (sig_armed)
        rm_flat_signal_safe(sig_path);
}

static void arm(const char *path)
{
    static int registered;
    if (!registered)
        registered = atexit(at_exit) == 0;
    sig_armed = 0;
    snprintf(sig_path, sizeof sig_path, "%s", path);
    sig_armed = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
}

static void disarm(void)
{
    if (!sig_armed)
        return;
    sig_armed = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

/* Staging folders .NAME.staging.PID of processes that are gone. */
static void remove_stale(const char *parent, const char *name)
{
    char prefix[4200];
    snprintf(prefix, sizeof prefix, ".%s.staging.", name);
    size_t pl = strlen(prefix);
    DIR *d = opendir(parent);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, pl) != 0)
            continue;
        char *end;
        long pid = strtol(de->d_name + pl, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[8300];
        snprintf(p, sizeof p, "%s/%s", parent, de->d_name);
        rm_tree(p);
    }
    closedir(d);
}

/* 1 when dir has no entries but . and .. */
static int is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    int empty = 1;
    while (empty && (de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    return empty;
}

/* ------------------------------------------------------------ stage */

/* The kind of gapsim folder manifest.json man describes ("run" when it
 * names none) into kind; GS_EOUTPUT when it cannot be read as one. */
static gs_status manifest_kind(const char *man, const char *target, char *kind, size_t n,
                               gs_error *err)
{
    struct stat sb;
    if (stat(man, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (64 << 20))
        return gs_error_set(err, GS_EOUTPUT, target, 0,
                            "manifest.json is not a gapsim manifest; refusing to replace the "
                            "folder");
    json_error_t je;
    json_t *m = json_load_file(man, 0, &je);
    const char *k = m ? json_string_value(json_object_get(m, "kind")) : NULL;
    if (m && json_is_object(m))
        snprintf(kind, n, "%s", k ? k : "run");
    json_decref(m);
    if (!m)
        return gs_error_set(err, GS_EOUTPUT, target, 0,
                            "manifest.json cannot be read (%s); refusing to replace the folder",
                            je.text);
    return GS_OK;
}

static gs_status stage_begin(gs_stage *s, const char *target, const char *want, gs_error *err)
{
    memset(s, 0, sizeof *s);
    s->lock_fd = -1;
    char parent[4096], name[1024];
    if (!split(target, parent, sizeof parent, name, sizeof name))
        return gs_error_set(err, GS_EOUTPUT, target, 0,
                            "cannot replace this folder as a whole; name a folder by its own "
                            "name");
    snprintf(s->target, sizeof s->target, "%s%s%s", strcmp(parent, "/") ? parent : "",
             "/", name);
    gs_status st = gs_mkdir_p(parent, err);
    struct stat sb;
    if (!st && (stat(parent, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        st = GS_EOUTPUT;
    if (st) {
        /* the same failure, named as for the folder itself */
        gs_error_clear(err);
        st = gs_mkdir_p(s->target, err);
        return st ? st : gs_error_set(err, GS_EOUTPUT, target, 0, "cannot create the output folder");
    }
    snprintf(s->lock, sizeof s->lock, "%s/.%s.lock", parent, name);
    s->lock_fd = open(s->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (s->lock_fd < 0)
        return gs_error_set(err, GS_EOUTPUT, s->lock, 0, "cannot open the lock file: %s",
                            strerror(errno));
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(s->lock_fd);
        s->lock_fd = -1;
        if (e == EWOULDBLOCK)
            return gs_error_set(err, GS_EOUTPUT, target, 0,
                                "another gapsim run is writing this folder; try again when it "
                                "has finished");
        return gs_error_set(err, GS_EOUTPUT, s->lock, 0, "cannot lock: %s", strerror(e));
    }
    if (lstat(s->target, &sb) == 0) {
        char man[5400];
        snprintf(man, sizeof man, "%s/manifest.json", s->target);
        if (!S_ISDIR(sb.st_mode))
            st = gs_error_set(err, GS_EOUTPUT, target, 0, "not a folder");
        else if (!is_empty(s->target) && access(man, F_OK) != 0)
            st = gs_error_set(err, GS_EOUTPUT, target, 0,
                              "not empty and not a gapsim run (no manifest.json); refusing to "
                              "replace it");
        else if (access(s->target, W_OK | X_OK) != 0)
            st = gs_error_set(err, GS_EOUTPUT, target, 0, "output folder not writable: %s",
                              strerror(errno));
        char kind[64] = "";
        if (!st && access(man, F_OK) == 0 &&
            !(st = manifest_kind(man, target, kind, sizeof kind, err)) && strcmp(kind, want) != 0)
            st = gs_error_set(err, GS_EOUTPUT, target, 0,
                              "holds a gapsim %s, not a %s; refusing to replace it (choose "
                              "another folder)",
                              strcmp(kind, "compare") == 0 ? "comparison" : kind,
                              strcmp(want, "compare") == 0 ? "comparison" : want);
    } else if (errno != ENOENT) {
        st = gs_error_set(err, GS_EOUTPUT, target, 0, "%s", strerror(errno));
    }
    if (st) {
        gs_stage_abort(s);
        return st;
    }
    remove_stale(parent, name);
    snprintf(s->path, sizeof s->path, "%s/.%s.staging.%ld", parent, name, (long)getpid());
    rm_tree(s->path); /* a leftover of this process (a library caller's earlier stage) */
    if (mkdir(s->path, 0777) != 0) {
        st = gs_error_set(err, GS_EOUTPUT, s->path, 0, "cannot make the staging folder: %s",
                          strerror(errno));
        s->path[0] = '\0';
        gs_stage_abort(s);
        return st;
    }
    arm(s->path);
    return GS_OK;
}

gs_status gs_stage_begin(gs_stage *s, const char *target, gs_error *err)
{
    return gs_stage_begin_kind(s, target, "run", err);
}

gs_status gs_stage_begin_kind(gs_stage *s, const char *target, const char *want, gs_error *err)
{
    if (gs_job_writes())
        return gs_job_agree(stage_begin(s, target, want, err), err);
    memset(s, 0, sizeof *s);
    s->lock_fd = -1;
    s->sink = 1;
    snprintf(s->target, sizeof s->target, "%s", target);
    /* Nothing is written here, but a path computed from it (a scenario's
     * path relative to the run) must resolve as it does on process 0: the
     * target's parent, where process 0 stages, when it exists. */
    char parent[4096], name[1024];
    struct stat sb;
    if (split(target, parent, sizeof parent, name, sizeof name) && stat(parent, &sb) == 0 &&
        S_ISDIR(sb.st_mode))
        snprintf(s->path, sizeof s->path, "%s", parent);
    else
        snprintf(s->path, sizeof s->path, ".");
    return gs_job_agree(GS_OK, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

gs_status gs_write_manifest_json(const char *dir, json_t *m, gs_error *err)
{
    gs_afile a;
    gs_status st = gs_afile_open(&a, dir, "manifest.json", err);
    if (st)
        return st;
    if (json_dumpf(m, a.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        gs_afile_abort(&a);
        return gs_error_set(err, GS_EIO, dir, 0, "cannot write manifest.json");
    }
    fputc('\n', a.f);
    return gs_afile_commit(&a, err);
}

/* manifest.json's "files" gains the staging folder's files it lacks, in
 * name order after the ones it lists (the writer's order is kept). */
static gs_status complete_manifest(const gs_stage *s, gs_error *err)
{
    char man[5400];
    snprintf(man, sizeof man, "%s/manifest.json", s->path);
    json_error_t je;
    json_t *m = json_load_file(man, JSON_PRESERVE_ORDER, &je);
    if (!m)
        return gs_error_set(err, GS_EOUTPUT, man, 0, "cannot read back: %s", je.text);
    json_t *fl = json_object_get(m, "files");
    if (!json_is_array(fl)) {
        json_decref(m);
        return gs_error_set(err, GS_EOUTPUT, man, 0, "has no \"files\" list");
    }
    DIR *d = opendir(s->path);
    if (!d) {
        json_decref(m);
        return gs_error_set(err, GS_EOUTPUT, s->path, 0, "%s", strerror(errno));
    }
    char **extra = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    gs_status st = GS_OK;
    while (!st && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        int listed = 0;
        for (size_t i = 0; i < json_array_size(fl) && !listed; i++)
            listed = strcmp(json_string_value(json_array_get(fl, i)), de->d_name) == 0;
        if (listed)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nx = realloc(extra, cap * sizeof *nx);
            if (!nx) {
                st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                break;
            }
            extra = nx;
        }
        if (!(extra[n] = gs_strdup(de->d_name)))
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        else
            n++;
    }
    closedir(d);
    if (!st && n) {
        qsort(extra, n, sizeof *extra, cmp_str);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(fl, json_string(extra[i]));
        st = gs_write_manifest_json(s->path, m, err);
    }
    for (size_t i = 0; i < n; i++)
        free(extra[i]);
    free(extra);
    json_decref(m);
    return st;
}

gs_status gs_stage_commit(gs_stage *s, gs_error *err)
{
    if (s->sink) {
        s->path[0] = '\0';
        return GS_OK;
    }
    gs_status st = complete_manifest(s, err);
    if (st) {
        gs_stage_blame(s, err);
        gs_stage_abort(s);
        return st;
    }
    if (renameat2(AT_FDCWD, s->path, AT_FDCWD, s->target, RENAME_EXCHANGE) == 0) {
        /* the staging name now holds the earlier run */
    } else if (errno == ENOENT) {
        if (rename(s->path, s->target) != 0)
            st = gs_error_set(err, GS_EOUTPUT, s->target, 0, "cannot put the run in place: %s",
                              strerror(errno));
        else
            s->path[0] = '\0';
    } else if (errno == EINVAL || errno == ENOSYS) {
        /* no exchange on this file system: the earlier run steps aside first */
        char old[5400];
        snprintf(old, sizeof old, "%s.old", s->path);
        if (rename(s->target, old) != 0 || rename(s->path, s->target) != 0) {
            st = gs_error_set(err, GS_EOUTPUT, s->target, 0, "cannot put the run in place: %s",
                              strerror(errno));
            rename(old, s->target);
        } else {
            rm_tree(old);
            s->path[0] = '\0';
        }
    } else {
        st = gs_error_set(err, GS_EOUTPUT, s->target, 0, "cannot put the run in place: %s",
                          strerror(errno));
    }
    gs_stage_abort(s);
    return st;
}

void gs_stage_blame(const gs_stage *s, gs_error *err)
{
    size_t n = strlen(s->path);
    if (!err || !n || strncmp(err->file, s->path, n) != 0 || err->file[n] != '/')
        return;
    char buf[sizeof s->target + sizeof err->file];
    size_t tl = strlen(s->target), rl = strlen(err->file + n);
    memcpy(buf, s->target, tl);
    memcpy(buf + tl, err->file + n, rl + 1);
    if (tl + rl < sizeof err->file)
        memcpy(err->file, buf, tl + rl + 1);
}

void gs_stage_abort(gs_stage *s)
{
    if (s->sink) {
        s->path[0] = '\0';
        return;
    }
    if (s->path[0]) {
        rm_tree(s->path);
        s->path[0] = '\0';
    }
    disarm();
    if (s->lock_fd >= 0) {
        close(s->lock_fd);
        s->lock_fd = -1;
    }
}

/* ------------------------------------------------------------ carry */

/* Copies the regular file src to dst (a new file). */
static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n = 0;
    int bad = 0;
    while (!bad && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            bad = errno != EINTR;
            continue;
        }
        for (ssize_t off = 0; off < n && !bad;) {
            ssize_t k = write(out, buf + off, (size_t)(n - off));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                bad = 1;
            else
                off += k;
        }
    }
    int e = errno;
    close(in);
    if (close(out) != 0)
        bad = 1;
    if (bad) {
        unlink(dst);
        errno = e ? e : EIO;
        return -1;
    }
    return 0;
}

gs_status gs_stage_carry(gs_stage *s, int (*keep)(const char *name), gs_error *err)
{
    if (s->sink)
        return GS_OK; /* a process of a job that writes nothing */
    DIR *d = opendir(s->target);
    if (!d)
        return gs_error_set(err, GS_EINPUT, s->target, 0, "cannot read the folder: %s",
                            strerror(errno));
    gs_status st = GS_OK;
    struct dirent *de;
    while (!st && (de = readdir(d))) {
        if (de->d_name[0] == '.' || !keep(de->d_name))
            continue;
        char from[5600], to[5600];
        snprintf(from, sizeof from, "%s/%s", s->target, de->d_name);
        snprintf(to, sizeof to, "%s/%s", s->path, de->d_name);
        struct stat sb;
        if (lstat(from, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue; /* only the regular files gapsim writes travel */
        if (link(from, to) != 0 && copy_file(from, to) != 0)
            st = gs_error_set(err, GS_EOUTPUT, to, 0, "cannot carry the file over: %s",
                              strerror(errno));
    }
    closedir(d);
    if (st)
        return st;
    /* The carried manifest lists only what was carried. */
    char man[5400];
    snprintf(man, sizeof man, "%s/manifest.json", s->path);
    if (access(man, F_OK) != 0)
        return GS_OK;
    json_error_t je;
    json_t *m = json_load_file(man, JSON_PRESERVE_ORDER, &je);
    if (!m)
        return gs_error_set(err, GS_EINPUT, s->target, 0, "manifest.json: %s", je.text);
    json_t *fl = json_object_get(m, "files");
    for (size_t i = json_array_size(fl); i-- > 0;) {
        const char *f = json_string_value(json_array_get(fl, i));
        char p[5600];
        snprintf(p, sizeof p, "%s/%s", s->path, f ? f : "");
        if (!f || strchr(f, '/') || access(p, F_OK) != 0)
            json_array_remove(fl, i);
    }
    /* Through a new file: the carried one is a link to the target's. */
    st = gs_write_manifest_json(s->path, m, err);
    json_decref(m);
    return st;
}

/* --------------------------------------------------------- manifest */

#ifndef GAPSIM_VERSION
#define GAPSIM_VERSION "unknown"
#endif
#ifndef GAPSIM_GIT_REV
#define GAPSIM_GIT_REV "unknown"
#endif

gs_status gs_stage_write_manifest(const char *dir, const char *kind, json_t *fields,
                                  const char *const *command_line, size_t n_command_line,
                                  gs_error *err)
{
    if (!gs_job_writes()) {
        json_decref(fields);
        return GS_OK; /* process 0 of the job writes the folder */
    }
    json_t *m = json_object();
    json_object_set_new(m, "kind", json_string(kind));
    json_object_set_new(m, "gapsim_version", json_string(GAPSIM_VERSION));
    json_object_set_new(m, "git_revision", json_string(GAPSIM_GIT_REV));
    if (n_command_line) {
        json_t *cl = json_array();
        for (size_t i = 0; i < n_command_line; i++)
            json_array_append_new(cl, json_string(command_line[i] ? command_line[i] : ""));
        json_object_set_new(m, "command_line", cl);
    }
    if (fields) {
        json_object_update(m, fields);
        json_decref(fields);
    }
    json_t *fl = json_array();
    json_object_set_new(m, "files", fl);
    gs_status st = GS_OK;
    DIR *d = opendir(dir);
    if (!d)
        st = gs_error_set(err, GS_EOUTPUT, dir, 0, "%s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while (!st && (de = readdir(d))) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "manifest.json") == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nx = realloc(names, cap * sizeof *nx);
            if (!nx) {
                st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
                break;
            }
            names = nx;
        }
        if (!(names[n] = gs_strdup(de->d_name)))
            st = gs_error_set(err, GS_ENOMEM, NULL, 0, "out of memory");
        else
            n++;
    }
    if (d)
        closedir(d);
    if (!st) {
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(fl, json_string(names[i]));
        json_array_append_new(fl, json_string("manifest.json"));
        st = gs_write_manifest_json(dir, m, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    json_decref(m);
    return st;
}
