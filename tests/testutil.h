/*
 * testutil.h - helpers shared by the unit tests: a scratch directory per
 * test, a fresh database in it, a hand-built city and a plan in it,
 * writing small files, running the binary.
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
#include "plan.h"
#include "planstore.h"
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

/* ---- hand-built cities and plans ------------------------------------ */

#define TU_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The records of a hand-built city, each list an array and its length
 * (TU_LIST of an array); any list may be left empty. */
typedef struct tu_city {
    struct { const zx_school_rec *r; size_t n; } schools;
    struct { const zx_enrol_rec *r; size_t n; } enrol;
    struct { const zx_teacher_rec *r; size_t n; } teachers;
    struct { const zx_role_rec *r; size_t n; } roles;
} tu_city;

#define TU_LIST(a) { (a), TU_LEN(a) }

/* A registry writer in a transaction of its own, for records put one by
 * one; tu_registry_end closes it and commits. */
static inline zx_registry *tu_registry_begin(zx_db *db)
{
    zx_registry *reg = NULL;

    cr_assert_eq(zx_db_begin(db), ZX_OK);
    cr_assert_eq(zx_registry_open(db, "test", &reg), ZX_OK);
    return reg;
}

static inline void tu_registry_end(zx_db *db, zx_registry *reg)
{
    zx_registry_close(reg);
    cr_assert_eq(zx_db_commit(db), ZX_OK);
}

/* Puts c through the registry in one transaction, schools first so that
 * the enrolment, teachers and roles find what they refer to.  Each list
 * goes in its order, on which the ids (and some tests' orders) depend. */
static inline void tu_registry_fill(zx_db *db, const tu_city *c)
{
    zx_registry *reg = tu_registry_begin(db);
    size_t i;
    int put;

    for (i = 0; i < c->schools.n; i++)
        cr_assert_eq(zx_registry_put_school(reg, &c->schools.r[i], &put),
                     ZX_OK, "school %s", c->schools.r[i].code);
    for (i = 0; i < c->enrol.n; i++)
        cr_assert_eq(zx_registry_put_enrolment(reg, &c->enrol.r[i], &put),
                     ZX_OK, "enrolment %s %d", c->enrol.r[i].school_code,
                     c->enrol.r[i].year);
    for (i = 0; i < c->teachers.n; i++)
        cr_assert_eq(zx_registry_put_teacher(reg, &c->teachers.r[i], &put),
                     ZX_OK, "teacher %s", c->teachers.r[i].teacher_no);
    for (i = 0; i < c->roles.n; i++)
        cr_assert_eq(zx_registry_put_role(reg, &c->roles.r[i], &put), ZX_OK,
                     "role %s %s", c->roles.r[i].teacher_no,
                     c->roles.r[i].title);
    tu_registry_end(db, reg);
}

/* n teachers like *like but numbered PREFIX00001, PREFIX00002, ... on
 * from the test's counter *seq, in one transaction: staff that only
 * count. */
static inline void tu_put_numbered(zx_db *db, const zx_teacher_rec *like,
                                   int n, const char *prefix, int *seq)
{
    zx_registry *reg = tu_registry_begin(db);
    zx_teacher_rec t = *like;
    char no[32];
    int put;

    while (n-- > 0) {
        snprintf(no, sizeof(no), "%s%05d", prefix, ++*seq);
        t.teacher_no = no;
        cr_assert_eq(zx_registry_put_teacher(reg, &t, &put), ZX_OK,
                     "teacher %s", no);
    }
    tu_registry_end(db, reg);
}

/* The opening of a test plan with id (a string literal): baseline 2019,
 * years 2020..2022 and the usual rural codes; the test's settings,
 * goals and indicators follow it. */
#define TU_PLAN_HEAD(id)                                                  \
    "plan:\n"                                                             \
    "  id: " id "\n"                                                      \
    "  name: 测试计划\n"                                              \
    "  baseline: 2019\n"                                                  \
    "  years: [2020, 2021, 2022]\n"                                       \
    "  rural: [121, 122, 123, 210, 220]\n"

/* The plan in text, which must load; free it with zx_plan_free. */
static inline zx_plan *tu_plan(const char *text)
{
    zx_plan *plan = NULL;
    zx_diag *d = zx_diag_new();

    cr_assert_eq(zx_plan_load_text(text, strlen(text), "plan.yaml", &plan, d),
                 ZX_OK, "%s", tu_diag_text(d, 1));
    zx_diag_free(d);
    return plan;
}

/* The same stored as the database's plan in force and read back from
 * it, for code (and the command line) that takes the plan from there. */
static inline zx_plan *tu_plan_stored(zx_db *db, const char *text)
{
    zx_plan *plan = NULL;
    zx_diag *d = zx_diag_new();

    cr_assert_eq(zx_planstore_put(db, text, strlen(text), "plan.yaml", "test",
                                  d), ZX_OK, "%s", tu_diag_text(d, 1));
    cr_assert_eq(zx_planstore_get(db, &plan, d), ZX_OK, "%s",
                 tu_diag_text(d, 1));
    zx_diag_free(d);
    return plan;
}

/* Runs a shell command; returns its exit status (or -1). */
static inline int tu_sh(const char *cmd)
{
    int st = system(cmd);

    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


#endif
