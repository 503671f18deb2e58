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
#include <zip.h>

#include "db.h"
#include "diag.h"
#include "csvfile.h"
#include "table.h"
#include "xlsx.h"
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

/* The first rows of a table file, read back through the project's own
 * readers: XLSX when xlsx is set, else CSV (whatever the file's name). */
#define TU_MAXROWS 8
#define TU_MAXCELLS 24

typedef struct tu_sheet {
    int nrows;
    int n[TU_MAXROWS];
    char cell[TU_MAXROWS][TU_MAXCELLS][128];
    unsigned char kind[TU_MAXROWS][TU_MAXCELLS];
} tu_sheet;

static inline int tu_collect(void *ctx, const zx_row *row)
{
    tu_sheet *s = ctx;
    int i;

    if (s->nrows == TU_MAXROWS)
        return 0; /* only the first rows are looked at */
    s->n[s->nrows] = row->n;
    for (i = 0; i < row->n && i < TU_MAXCELLS; i++) {
        snprintf(s->cell[s->nrows][i], 128, "%s", row->cell[i]);
        s->kind[s->nrows][i] = row->kind[i];
    }
    s->nrows++;
    return 0;
}

static inline void tu_read_table(const char *path, int xlsx, tu_sheet *s)
{
    zx_diag *d = zx_diag_new();

    memset(s, 0, sizeof(*s));
    cr_assert_eq((xlsx ? zx_xlsx_read : zx_csv_read)(path, "t", tu_collect, s,
                                                     NULL, NULL, d),
                 ZX_OK, "cannot read back %s", path);
    zx_diag_free(d);
}

/* A diagnostics list as lines "ROW:COL: msg", for substring assertions;
 * COL is the spreadsheet letter, or with numeric_col the 1-based number
 * (plan files).  The text is in a static buffer. */
static inline const char *tu_diag_text(const zx_diag *d, int numeric_col)
{
    static char buf[16384];
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; i < zx_diag_count(d) && used < sizeof(buf) - 1; i++) {
        const zx_diag_item *it = zx_diag_get(d, i);
        char col[16];
        if (numeric_col)
            snprintf(col, sizeof(col), "%d", it->col + 1);
        else
            zx_diag_colname(it->col, col);
        used += (size_t)snprintf(buf + used, sizeof(buf) - used,
                                 "%ld:%s: %s\n", it->row, col, it->msg);
    }
    return buf;
}

/* The zip member `name` of the file at path (an XLSX is a zip of XML),
 * NUL-terminated; free it.  NULL when the zip has no such member. */
static inline char *tu_zip_find(const char *path, const char *name)
{
    zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
    zip_stat_t st;
    zip_file_t *f;
    char *buf;

    cr_assert_not_null(z, "%s is not a zip", path);
    if (zip_stat(z, name, 0, &st) != 0) {
        zip_close(z);
        return NULL;
    }
    buf = malloc(st.size + 1);
    f = zip_fopen(z, name, 0);
    cr_assert(buf && f);
    cr_assert_eq(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(f);
    zip_close(z);
    return buf;
}

/* The same, for a member that must be there. */
static inline char *tu_zip_member(const char *path, const char *name)
{
    char *buf = tu_zip_find(path, name);

    cr_assert_not_null(buf, "%s has no %s", path, name);
    return buf;
}

/* Runs a shell command; returns its exit status (or -1). */
static inline int tu_sh(const char *cmd)
{
    int st = system(cmd);

    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


#endif
