/*
 * testutil.h - helpers shared by the unit tests: a scratch directory per
 * test, a fresh database in it, writing small files, running the binary.
 */
#ifndef ZX_TESTUTIL_H
#define ZX_TESTUTIL_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "lsan.h"
#include "registry.h"
#include "zx.h"

/* A new empty directory under /tmp; the returned string is static per
 * call site only until the next call, so copy it if needed. */
static inline const char *tu_tmpdir(void)
{
    static char dir[64];

    strcpy(dir, "/tmp/zxtest.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
    return dir;
}

/* path = dir/name, in a static buffer of its own per slot (0..7). */
static inline const char *tu_path(const char *dir, const char *name)
{
    static char buf[8][512];
    static int slot;
    char *p = buf[slot++ & 7];

    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static inline void tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static inline void tu_write_str(const char *path, const char *s)
{
    tu_write(path, s, strlen(s));
}

/* A fresh database with the city created, at dir/zx.db. */
static inline zx_db *tu_db(const char *dir)
{
    zx_db *db = NULL;
    char err[256];

    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), ZX_DB_CREATE, &db, err,
                            sizeof(err)), ZX_OK, "%s", err);
    cr_assert_eq(zx_registry_init_city(db, "320684", "海门市"), ZX_OK);
    return db;
}

/* Number of entries in directory d, "." and ".." aside. */
static inline int tu_entries(const char *d)
{
    DIR *dp = opendir(d);
    struct dirent *e;
    int n = 0;

    cr_assert_not_null(dp);
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.')
            n++;
    closedir(dp);
    return n;
}

/* Runs a shell command; returns its exit status (or -1). */
static inline int tu_sh(const char *cmd)
{
    int st = system(cmd);

    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


#endif
