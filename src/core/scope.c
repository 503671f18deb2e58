/*
 * scope.c - roles applied to the org tree (see scope.h).
 *
 * A scope holds the sorted ids of the units it reaches (empty for the
 * city-wide roles, which reach everything), so a check is a binary search
 * whatever the size of the city.
 */
#include "scope.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zx_scope {
    char role[16];
    long long unit;
    int all;                  /* reaches every unit */
    int writes;               /* may change what it reaches */
    long long *ids;           /* sorted, when not all */
    size_t n;
};

static int cmp_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

static int add_ids(zx_db *db, zx_scope *s, const char *sql, long long key,
                   const char *text)
{
    sqlite3_stmt *st = NULL;
    size_t cap = s->n;
    int step;

    if (sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return ZX_EDB;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, key);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n == cap) {
            size_t c2 = cap ? cap * 2 : 64;
            long long *v = realloc(s->ids, c2 * sizeof(*v));
            if (!v) {
                sqlite3_finalize(st);
                return ZX_ENOMEM;
            }
            s->ids = v;
            cap = c2;
        }
        s->ids[s->n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_scope_load(zx_db *db, long long account_id, zx_scope **out)
{
    zx_scope *s = calloc(1, sizeof(*s));
    sqlite3_stmt *st;
    char name[128] = "", kind[16] = "";
    int rc = ZX_ENOTFOUND;

    *out = NULL;
    if (!s)
        return ZX_ENOMEM;
    st = zx_db_prepare(db, "SELECT a.role, a.unit_id, u.kind, a.name"
                           " FROM account a JOIN org_unit u"
                           " ON u.id = a.unit_id"
                           " WHERE a.id = ?1 AND a.disabled = 0");
    if (!st) {
        rc = ZX_EDB;
        goto fail;
    }
    sqlite3_bind_int64(st, 1, account_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(s->role, sizeof(s->role), "%s", sqlite3_column_text(st, 0));
        s->unit = sqlite3_column_int64(st, 1);
        snprintf(kind, sizeof(kind), "%s", sqlite3_column_text(st, 2));
        snprintf(name, sizeof(name), "%s", sqlite3_column_text(st, 3));
        rc = ZX_OK;
    }
    sqlite3_reset(st);
    if (rc)
        goto fail;

    s->writes = strcmp(s->role, "领导") != 0 && strcmp(s->role, "督学") != 0;
    if (strcmp(s->role, "督学") == 0)
        rc = add_ids(db, s, "SELECT school_id FROM inspector_assignment"
                            " WHERE inspector = ?1", 0, name);
    else if (strcmp(kind, "city") == 0)
        s->all = 1;
    else if (strcmp(kind, "town") == 0)
        rc = add_ids(db, s, "SELECT id FROM org_unit WHERE id = ?1"
                            " OR parent_id = ?1", s->unit, NULL);
    else
        rc = add_ids(db, s, "SELECT ?1", s->unit, NULL);
    if (rc)
        goto fail;
    if (s->n)
        qsort(s->ids, s->n, sizeof(*s->ids), cmp_id);
    *out = s;
    return ZX_OK;

fail:
    zx_scope_free(s);
    return rc;
}

void zx_scope_free(zx_scope *s)
{
    if (!s)
        return;
    free(s->ids);
    free(s);
}

const char *zx_scope_role(const zx_scope *s)
{
    return s->role;
}

long long zx_scope_unit(const zx_scope *s)
{
    return s->unit;
}

int zx_scope_sees(const zx_scope *s, long long unit_id)
{
    return s->all || (s->n && bsearch(&unit_id, s->ids, s->n,
                                      sizeof(*s->ids), cmp_id) != NULL);
}

int zx_scope_writes(const zx_scope *s, long long unit_id)
{
    return s->writes && zx_scope_sees(s, unit_id);
}
