/*
 * api_registry.c - the registry: units, schools, teachers, enrolment
 * (/api/units, /api/schools, /api/teachers, /api/enrolment); the files
 * that carry it in and out are api_files.c's.
 *
 * Records are shown as the export writes them (export.h): the sheet's
 * English field names as keys, code lists by their Chinese names, yes/no
 * as 是/否, so that what the browser shows, what it sends back and what a
 * clerk types into a sheet are one form.  Edits are validated like a cell
 * of the import and written through the registry (registry.h), so an edit
 * is audited exactly like an imported row.
 *
 * Lists filter in SQL by what the caller sees (see struct sight), so that
 * a page is one indexed query however large the city; single records are
 * checked with the scope itself, and a record outside the caller's sight
 * is answered exactly like one that does not exist.
 */
#include "api.h"
#include "codes.h"
#include "export.h"
#include "ingest.h"
#include "registry.h"
#include "sheetdef.h"
#include "text.h"
#include "zx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- what the caller sees, as SQL ---------------------------------------- */

/* scope.c's rule restated for SQL: it keeps the ids a caller reaches for
 * one check at a time, while a list needs the rule as a condition the
 * query planner can drive an index with.  Keep the two in step. */
enum sight_kind {
    SEE_ALL,        /* a city-level account: everything */
    SEE_TOWN,       /* a town's account: the town and its schools */
    SEE_UNIT,       /* a school's (or a group's) account: that unit */
    SEE_ASSIGNED    /* an inspector: the schools assigned to it */
};

struct sight {
    enum sight_kind kind;
    long long unit;
};

static int sight_of(zx_call *c, struct sight *s)
{
    sqlite3_stmt *st;
    char kind[16] = "";

    s->unit = zx_scope_unit(c->scope);
    if (c->role == ZX_ROLE_INSPECTOR) {
        s->kind = SEE_ASSIGNED;
        return 0;
    }
    st = zx_db_prepare(c->db, "SELECT kind FROM org_unit WHERE id = ?1");
    if (!st) {
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    sqlite3_bind_int64(st, 1, s->unit);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(kind, sizeof(kind), "%s", sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    s->kind = strcmp(kind, "city") == 0   ? SEE_ALL
              : strcmp(kind, "town") == 0 ? SEE_TOWN
                                          : SEE_UNIT;
    return 0;
}

/* ---- queries built from fixed pieces ------------------------------------- */

/* The WHERE clause of a list: fixed SQL fragments joined by AND, whose
 * '?' placeholders take, in order, the values pushed with them.  User
 * input only ever travels as bound values. */
struct where {
    char text[1024];
    size_t len;
    int n, overflow;
    struct {
        const char *s;             /* text value, or NULL for i */
        long long i;
    } arg[24];
    char like[2 * 256 + 3];        /* the pattern built for ?q= */
};

static void w_add(struct where *w, const char *frag)
{
    int n = snprintf(w->text + w->len, sizeof(w->text) - w->len, " AND %s",
                     frag);

    if (n < 0 || (size_t)n >= sizeof(w->text) - w->len)
        w->overflow = 1;
    else
        w->len += (size_t)n;
}

static void w_text(struct where *w, const char *s)
{
    if (w->n == (int)(sizeof(w->arg) / sizeof(w->arg[0]))) {
        w->overflow = 1;
        return;
    }
    w->arg[w->n].s = s;
    w->arg[w->n++].i = 0;
}

static void w_int(struct where *w, long long v)
{
    if (w->n == (int)(sizeof(w->arg) / sizeof(w->arg[0]))) {
        w->overflow = 1;
        return;
    }
    w->arg[w->n].s = NULL;
    w->arg[w->n++].i = v;
}

/* Limits w to the units the caller sees; col names the unit id (a
 * constant of this file). */
static void w_sight(struct where *w, const struct sight *s, const char *col,
                    const char *account)
{
    char frag[256];

    switch (s->kind) {
    case SEE_ALL:
        return;
    case SEE_TOWN:
        snprintf(frag, sizeof(frag), "%s IN (SELECT id FROM org_unit"
                 " WHERE id = ? OR parent_id = ?)", col);
        w_add(w, frag);
        w_int(w, s->unit);
        w_int(w, s->unit);
        return;
    case SEE_UNIT:
        snprintf(frag, sizeof(frag), "%s = ?", col);
        w_add(w, frag);
        w_int(w, s->unit);
        return;
    case SEE_ASSIGNED:
        snprintf(frag, sizeof(frag), "%s IN (SELECT school_id FROM"
                 " inspector_assignment WHERE inspector = ?)", col);
        w_add(w, frag);
        w_text(w, account);
        return;
    }
}

/* ?q= as a LIKE pattern for "contains", kept in w; NULL (after
 * answering 400) when it is too long. */
static const char *w_like(zx_call *c, struct where *w, const char *q)
{
    char norm[256], *o = w->like;
    const char *p;

    if (strlen(q) >= sizeof(norm)) {
        zx_api_error(c, 400, "bad_parameter", "搜索文字过长");
        return NULL;
    }
    /* full-width digits and stray spaces, as clerks type codes */
    zx_text_norm(q, norm, 0);
    *o++ = '%';
    for (p = norm; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            *o++ = '\\';
        *o++ = *p;
    }
    *o++ = '%';
    *o = '\0';
    return w->like;
}

/* Prepares head + " WHERE 1" + w + tail and binds w's values; extra
 * values (LIMIT, OFFSET) follow.  The text varies with the filters
 * given, so the statement is not kept on the connection (zx_db_prepare
 * would keep every combination).  NULL after answering 500. */
static sqlite3_stmt *w_prepare(zx_call *c, const char *head,
                               const struct where *w, const char *tail)
{
    char sql[4096];
    sqlite3_stmt *st = NULL;
    int n, i;

    n = snprintf(sql, sizeof(sql), "%s WHERE 1%s%s", head, w->text, tail);
    if (w->overflow || n < 0 || (size_t)n >= sizeof(sql) ||
        sqlite3_prepare_v2(zx_db_sqlite(c->db), sql, -1, &st, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(st);
        zx_api_fail(c, ZX_EDB, NULL);
        return NULL;
    }
    for (i = 0; i < w->n; i++)
        if (w->arg[i].s)
            sqlite3_bind_text(st, i + 1, w->arg[i].s, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(st, i + 1, w->arg[i].i);
    return st;
}

/* Makes the item of a list from the current row; NULL when out of
 * memory or the query and the sheet disagree. */
typedef json_t *(*row_fn)(zx_call *c, sqlite3_stmt *st);

/* Answers a page of a list: the count under w, then that page of the
 * rows of head under w in order, each made by row. */
static void answer_list(zx_call *c, const char *count_head, const char *head,
                        const struct where *w, const char *order, row_fn row)
{
    sqlite3_stmt *st;
    long long off, lim, total;
    json_t *items;
    char tail[256];
    int step;

    if (zx_api_page(c, &off, &lim))
        return;
    if (!(st = w_prepare(c, count_head, w, "")))
        return;
    step = sqlite3_step(st);
    total = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW) {
        zx_api_fail(c, ZX_EDB, NULL);
        return;
    }
    snprintf(tail, sizeof(tail), " ORDER BY %s LIMIT ? OFFSET ?", order);
    if (!(st = w_prepare(c, head, w, tail)))
        return;
    sqlite3_bind_int64(st, w->n + 1, lim);
    sqlite3_bind_int64(st, w->n + 2, off);
    items = json_array();
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = row(c, st);

        if (!o || json_array_append_new(items, o)) {
            step = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        json_decref(items);
        zx_api_fail(c, step == SQLITE_NOMEM ? ZX_ENOMEM : ZX_EDB, NULL);
        return;
    }
    zx_api_list(c, items, total, off, lim);
}

/* ---- records as the export writes them ------------------------------------ */

/* Column i of st, of sheet column col, as the export writes it: a code
 * by its Chinese name (yes/no columns store 1/0, which the yes/no list
 * reads as 是/否), numbers as numbers, blanks as null. */
static json_t *cell_json(sqlite3_stmt *st, int i, const zx_coldef *col)
{
    const zx_codelist *list;
    const zx_code *item;
    const char *s;
    char buf[24];
    int k;

    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return json_null();
    case SQLITE_INTEGER:
        if (col->type != ZX_COL_CODE)
            return json_integer(sqlite3_column_int64(st, i));
        snprintf(buf, sizeof(buf), "%lld",
                 (long long)sqlite3_column_int64(st, i));
        if (!(list = zx_codes_get(col->codelist)))
            return json_string(buf);
        if (list->numeric) {
            item = zx_codes_by_code(list, buf);
            return json_string(item ? item->name : buf);
        }
        k = zx_codes_find(list, buf);
        return json_string(k >= 0 ? list->items[k].name : buf);
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    default:
        s = (const char *)sqlite3_column_text(st, i);
        return s && *s ? json_string(s) : json_null();
    }
}

/* Column index of field in def; def->n (past the sheet, a blank slot of
 * struct edit) for a field it lacks, which no caller asks for. */
static int fx(const zx_sheetdef *def, const char *field)
{
    int i;

    for (i = 0; i < def->n; i++)
        if (strcmp(def->cols[i].field, field) == 0)
            return i;
    return def->n;
}

/* Sets the fields of sheet columns from..to-1 of def on o from the
 * columns of st starting at at.  Each column of the query is named after
 * its field, as in export.c, and checked here, so that a query drifting
 * from the sheet fails instead of mislabelling values.  Returns 0 or -1. */
static int put_cells(json_t *o, sqlite3_stmt *st, int at,
                     const zx_sheetdef *def, int from, int to)
{
    int k;

    for (k = from; k < to; k++, at++) {
        const char *name = sqlite3_column_name(st, at);

        if (!name || strcmp(name, def->cols[k].field) ||
            json_object_set_new(o, def->cols[k].field,
                                cell_json(st, at, &def->cols[k])))
            return -1;
    }
    return 0;
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);

    return s ? json_string(s) : json_null();
}

/* The urban-rural codes counted as rural: the plan's, or the national
 * 乡村 codes when there is no plan. */
static const int *rural_codes(const zx_call *c, int *n)
{
    static const int national[] = { 210, 220 };

    if (c->plan)
        return zx_plan_rural(c->plan, n);
    *n = (int)(sizeof(national) / sizeof(national[0]));
    return national;
}

static int is_rural(const zx_call *c, int v)
{
    int n, i;
    const int *codes = rural_codes(c, &n);

    for (i = 0; i < n; i++)
        if (codes[i] == v)
            return 1;
    return 0;
}

/* ---- units ---------------------------------------------------------------- */

static json_t *unit_row(zx_call *c, sqlite3_stmt *st)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:o}",
                     "code", (const char *)sqlite3_column_text(st, 0),
                     "name", (const char *)sqlite3_column_text(st, 1),
                     "kind", (const char *)sqlite3_column_text(st, 2),
                     "parent", text_or_null(st, 3),
                     "group_type", text_or_null(st, 4));
}

/* GET /api/units?kind=city|town|group|school&parent=CODE&q=TEXT: the org
 * units the caller sees.  parent is a town (its schools) or a group (its
 * member schools); q matches code or name. */
static void list_units(zx_call *c)
{
    static const char *const kinds[] = { "city", "town", "group", "school" };
    const char *kind = zx_http_query(c->req, "kind");
    const char *parent = zx_http_query(c->req, "parent");
    const char *q = zx_http_query(c->req, "q");
    struct where w = { 0 };
    struct sight s;
    long long pid;
    char pkind[16];
    size_t i;

    if (sight_of(c, &s))
        return;
    w_sight(&w, &s, "u.id", c->account);
    if (kind && *kind) {
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (strcmp(kind, kinds[i]) == 0)
                break;
        if (i == sizeof(kinds) / sizeof(kinds[0])) {
            zx_api_error(c, 400, "bad_parameter", "kind 的值“%s”无效：应为"
                         " city、town、group 或 school", kind);
            return;
        }
        w_add(&w, "u.kind = ?");
        w_text(&w, kinds[i]);
    }
    if (parent && *parent) {
        if (zx_api_unit(c, parent, &pid, pkind))
            return;
        /* a group is not the parent of its schools in the tree */
        w_add(&w, strcmp(pkind, "group") == 0
                      ? "u.id IN (SELECT unit_id FROM school"
                        " WHERE group_id = ?)"
                      : "u.parent_id = ?");
        w_int(&w, pid);
    }
    if (q && *q) {
        const char *pat = w_like(c, &w, q);

        if (!pat)
            return;
        w_add(&w, "(u.code LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')");
        w_text(&w, pat);
        w_text(&w, pat);
    }
    answer_list(c, "SELECT count(*) FROM org_unit u",
                "SELECT u.code, u.name, u.kind, p.code, u.group_type"
                " FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id",
                &w,
                "CASE u.kind WHEN 'city' THEN 0 WHEN 'town' THEN 1"
                " WHEN 'group' THEN 2 ELSE 3 END, u.code",
                unit_row);
}

/* ---- schools -------------------------------------------------------------- */

/* The school sheet's columns in order, then the codes of town and group
 * and the latest enrolment (a primary-key probe per row). */
#define SCHOOL_SELECT                                                       \
    "SELECT u.code AS school_code, u.name AS name, t.name AS town,"         \
    " s.type_code AS school_type, s.urban_rural AS urban_rural,"            \
    " s.town_seat AS town_seat, s.owner AS owner, g.name AS \"group\","     \
    " s.group_hq AS group_hq, s.lon AS lon, s.lat AS lat,"                  \
    " t.code, g.code, e.year, e.students, e.classes, e.boarders,"           \
    " e.special"                                                            \
    " FROM school s JOIN org_unit u ON u.id = s.unit_id"                    \
    " JOIN org_unit t ON t.id = u.parent_id"                                \
    " LEFT JOIN org_unit g ON g.id = s.group_id"                            \
    " LEFT JOIN enrolment e ON e.school_id = s.unit_id AND e.year ="        \
    " (SELECT max(year) FROM enrolment WHERE school_id = s.unit_id)"
#define SCHOOL_NCOLS 11   /* sheet columns at the head of SCHOOL_SELECT */

static json_t *school_row(zx_call *c, sqlite3_stmt *st)
{
    json_t *o = json_object(), *latest = json_null();

    if (!o || put_cells(o, st, 0, zx_sheetdef_get("schools"), 0,
                        SCHOOL_NCOLS)) {
        json_decref(o);
        return NULL;
    }
    if (sqlite3_column_type(st, 13) != SQLITE_NULL)
        latest = json_pack("{s:i, s:i, s:i, s:i, s:i}",
                           "year", sqlite3_column_int(st, 13),
                           "students", sqlite3_column_int(st, 14),
                           "classes", sqlite3_column_int(st, 15),
                           "boarders", sqlite3_column_int(st, 16),
                           "special", sqlite3_column_int(st, 17));
    json_object_set_new(o, "town_code", text_or_null(st, 11));
    json_object_set_new(o, "group_code", text_or_null(st, 12));
    json_object_set_new(o, "rural",
                        json_boolean(is_rural(c, sqlite3_column_int(st, 4))));
    if (!latest || json_object_set_new(o, "latest", latest)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A query argument naming a value of code list id (by code, name or
 * alias) into *code; 1 when given, 0 when absent, -1 after answering
 * 400. */
static int code_param(zx_call *c, const char *name, const char *id,
                      long long *code)
{
    const char *v = zx_http_query(c->req, name);
    const zx_codelist *list = zx_codes_get(id);
    char desc[2048];
    int k;

    if (!v || !*v)
        return 0;
    if ((k = zx_codes_find(list, v)) >= 0) {
        *code = atoll(list->items[k].code);
        return 1;
    }
    zx_codes_describe(list, 1, desc, sizeof(desc));
    zx_api_error(c, 400, "bad_parameter", "%s 的值“%s”无效，应为：%s", name,
                 v, desc);
    return -1;
}

/* A query argument naming a visible unit of kind want into *id; 1 when
 * given, 0 when absent, -1 after answering. */
static int unit_param(zx_call *c, const char *name, const char *want,
                      const char *what, long long *id)
{
    const char *v = zx_http_query(c->req, name);
    char kind[16];

    if (!v || !*v)
        return 0;
    if (zx_api_unit(c, v, id, kind))
        return -1;
    if (strcmp(kind, want)) {
        zx_api_error(c, 400, "bad_parameter", "%s 应为%s，“%s”不是", name,
                     what, v);
        return -1;
    }
    return 1;
}

/* The ?school= and ?town= filters of a list of rows whose school is in
 * column col.  Returns 0, or -1 after answering. */
static int where_school_town(zx_call *c, struct where *w, const char *col)
{
    char frag[96];
    long long id;
    int rc;

    if ((rc = unit_param(c, "school", "school", "学校标识码", &id)) < 0)
        return -1;
    if (rc) {
        snprintf(frag, sizeof(frag), "%s = ?", col);
        w_add(w, frag);
        w_int(w, id);
    }
    if ((rc = unit_param(c, "town", "town", "区镇编码或名称", &id)) < 0)
        return -1;
    if (rc) {
        snprintf(frag, sizeof(frag),
                 "%s IN (SELECT id FROM org_unit WHERE parent_id = ?)", col);
        w_add(w, frag);
        w_int(w, id);
    }
    return 0;
}

/* GET /api/schools?town=CODE&group=CODE&q=TEXT&type=CODE&rural=0|1:
 * the schools the caller sees, by code.  type is a 办学类型 (code or
 * name) or a stage family (primary, junior, compulsory, ... as
 * zx_codes_family knows them); rural follows the plan in force. */
static void list_schools(zx_call *c)
{
    const char *q = zx_http_query(c->req, "q");
    const char *type = zx_http_query(c->req, "type");
    struct where w = { 0 };
    struct sight s;
    long long id;
    int rc, ok = 1, rural, n, i;

    if (sight_of(c, &s))
        return;
    w_sight(&w, &s, "s.unit_id", c->account);
    if ((rc = unit_param(c, "town", "town", "区镇编码或名称", &id)) < 0)
        return;
    if (rc) {
        w_add(&w, "u.parent_id = ?");
        w_int(&w, id);
    }
    if ((rc = unit_param(c, "group", "group", "集团编码或名称", &id)) < 0)
        return;
    if (rc) {
        w_add(&w, "s.group_id = ?");
        w_int(&w, id);
    }
    if (type && *type) {
        const int *fam = zx_codes_family(type, &n);

        if (fam) {
            char frag[256] = "s.type_code IN (";

            for (i = 0; i < n; i++) {
                strcat(frag, i ? ", ?" : "?");
                w_int(&w, fam[i]);
            }
            strcat(frag, ")");
            w_add(&w, frag);
        } else {
            if (code_param(c, "type", "school_type", &id) < 0)
                return;
            w_add(&w, "s.type_code = ?");
            w_int(&w, id);
        }
    }
    rural = (int)zx_api_query_int(c, "rural", -1, 0, 1, &ok);
    if (!ok)
        return;
    if (rural >= 0) {
        const int *codes = rural_codes(c, &n);
        char frag[512];

        snprintf(frag, sizeof(frag), "s.urban_rural %sIN (",
                 rural ? "" : "NOT ");
        for (i = 0; i < n && strlen(frag) + 8 < sizeof(frag); i++) {
            strcat(frag, i ? ", ?" : "?");
            w_int(&w, codes[i]);
        }
        strcat(frag, ")");
        w_add(&w, frag);
    }
    if (q && *q) {
        const char *pat = w_like(c, &w, q);

        if (!pat)
            return;
        w_add(&w, "(u.code LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')");
        w_text(&w, pat);
        w_text(&w, pat);
    }
    answer_list(c, "SELECT count(*) FROM school s"
                   " JOIN org_unit u ON u.id = s.unit_id",
                SCHOOL_SELECT, &w, "u.code", school_row);
}

/* The school of code that the caller sees into *id; -1 after answering
 * 404 (unknown or out of sight: the same answer). */
static int find_school(zx_call *c, const char *code, long long *id)
{
    sqlite3_stmt *st = zx_db_prepare(c->db, "SELECT id FROM org_unit"
                                            " WHERE code = ?1"
                                            " AND kind = 'school'");
    int found = 0;

    if (st) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            found = 1;
        }
        sqlite3_reset(st);
    }
    if (!found || !zx_scope_sees(c->scope, *id)) {
        zx_api_error(c, 404, "not_found", "未找到学校“%s”", code);
        return -1;
    }
    return 0;
}

/* The school's teachers counted by the coded column col of the teacher
 * sheet, as {name: count}; *total (may be NULL) receives the sum.  NULL
 * on failure. */
static json_t *teacher_counts(zx_call *c, long long id, const char *sql,
                              const zx_coldef *col, long long *total)
{
    sqlite3_stmt *st = zx_db_prepare(c->db, sql);
    json_t *o = json_object(), *name;
    long long sum = 0, n;
    int step;

    if (!st || !o) {
        json_decref(o);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 1);
        sum += n;
        name = cell_json(st, 0, col);
        if (!json_is_string(name) ||
            json_object_set_new(o, json_string_value(name), json_integer(n))) {
            json_decref(name);
            break;
        }
        json_decref(name);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        json_decref(o);
        return NULL;
    }
    if (total)
        *total = sum;
    return o;
}

/* The full record of school id: the list's fields, every year of its
 * enrolment and counts of its teachers.  NULL on failure. */
static json_t *school_detail(zx_call *c, long long id)
{
    const zx_sheetdef *en = zx_sheetdef_get("enrolment");
    const zx_sheetdef *te = zx_sheetdef_get("teachers");
    struct where w = { 0 };
    sqlite3_stmt *st;
    json_t *o = NULL, *years = json_array(), *stage, *title;
    long long total = 0;
    int step = SQLITE_ERROR;

    w_add(&w, "s.unit_id = ?");
    w_int(&w, id);
    if (!years || !(st = w_prepare(c, SCHOOL_SELECT, &w, ""))) {
        json_decref(years);
        return NULL;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        o = school_row(c, st);
    sqlite3_finalize(st);
    st = zx_db_prepare(c->db, "SELECT year AS year, students AS students,"
                              " classes AS classes, boarders AS boarders,"
                              " special AS special FROM enrolment"
                              " WHERE school_id = ?1 ORDER BY year");
    if (o && st) {
        sqlite3_bind_int64(st, 1, id);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *y = json_object();

            if (!y || put_cells(y, st, 0, en, 1, en->n)) {
                json_decref(y);
                break;
            }
            if (json_array_append_new(years, y))
                break;
        }
        sqlite3_reset(st);
    }
    stage = teacher_counts(c, id, "SELECT stage, count(*) FROM teacher"
                                  " WHERE school_id = ?1 GROUP BY stage",
                           &te->cols[fx(te, "stage")], &total);
    title = teacher_counts(c, id, "SELECT title, count(*) FROM teacher"
                                  " WHERE school_id = ?1 GROUP BY title",
                           &te->cols[fx(te, "title")], NULL);
    if (!o || step != SQLITE_DONE || !stage || !title) {
        json_decref(o);
        json_decref(years);
        json_decref(stage);
        json_decref(title);
        return NULL;
    }
    json_object_set_new(o, "enrolment", years);
    json_object_set_new(o, "teachers",
                        json_pack("{s:I, s:o, s:o}", "total",
                                  (json_int_t)total, "by_stage", stage,
                                  "by_title", title));
    return o;
}

/* GET /api/schools/:code */
static void get_school(zx_call *c)
{
    long long id;
    json_t *o;

    if (find_school(c, c->params[0], &id))
        return;
    if (!(o = school_detail(c, id))) {
        zx_api_fail(c, ZX_EDB, NULL);
        return;
    }
    zx_api_json(c, 200, o);
}

/* ---- edits: fields checked as the importer checks cells ------------------- */

/* One field of an edited record, as ingest.c's check_cell reads a cell. */
struct fval {
    int set;                   /* not blank */
    char s[1024];              /* the normalised text */
    long long i;               /* INT, YEAR; CODE: numeric code */
    double d;                  /* DEC */
    const zx_code *code;       /* CODE */
    char month[24];            /* MONTH: "YYYY-MM" */
};

/* Checks raw as a cell of col into *v, with the importer's rules and
 * words (zx_ingest_check).  Returns 0, or -1 with the problem in err. */
static int check_field(const zx_coldef *col, const char *raw, struct fval *v,
                       char *err, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    zx_cell cell;
    int rc;

    memset(v, 0, sizeof(*v));
    if (strlen(raw) >= sizeof(v->s)) {
        snprintf(err, cap, "“%s”过长", col->header);
        return -1;
    }
    localtime_r(&now, &tm);
    rc = zx_ingest_check(col, raw, ZX_CELL_TEXT,
                         (tm.tm_year + 1900) * 100 + tm.tm_mon + 1, v->s,
                         &cell, err, cap);
    /* a filled field that fails is still filled: the checks across
     * fields must not take it for blank */
    v->set = cell.set;
    v->i = cell.i;
    v->d = cell.d;
    v->code = cell.code;
    memcpy(v->month, cell.month, sizeof(v->month));
    return rc;
}

/* Whether two checked values of col are the same value (as the registry
 * compares them: names by their normalised key). */
static int same_value(const zx_coldef *col, const struct fval *a,
                      const struct fval *b)
{
    char ka[1024], kb[1024];

    if (a->set != b->set)
        return 0;
    if (!a->set)
        return 1;
    if (col->type == ZX_COL_CODE && a->code && b->code)
        return a->code == b->code;
    zx_text_norm(a->s, ka, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    zx_text_norm(b->s, kb, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    return strcmp(ka, kb) == 0;
}

/* A JSON value as the text a clerk would type in its cell, into buf:
 * strings as they are, numbers in full, true/false as 是/否, null as
 * blank.  NULL for arrays and objects. */
static const char *value_text(json_t *v, char *buf, size_t cap)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_string_value(v);
    case JSON_INTEGER:
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    case JSON_REAL:
        snprintf(buf, cap, "%.15g", json_real_value(v));
        return buf;
    case JSON_TRUE:
        return "是";
    case JSON_FALSE:
        return "否";
    case JSON_NULL:
        return "";
    default:
        return NULL;
    }
}

/* An edit in progress: the record as stored (cur, in the export's form),
 * overlaid with the body's fields, and every field checked. */
struct edit {
    const zx_sheetdef *def;
    json_t *cur;               /* the stored record (borrowed) */
    const char *text[32];      /* per column: the merged text */
    char num[32][32];          /* room for numbers turned into text */
    struct fval now[32];       /* per column: stored, checked */
    struct fval v[32];         /* per column: merged, checked */
    zx_diag *d;                /* per field: file = the field's name */
};

/* Merges body into the stored record cur and checks every field; fields
 * the body leaves out keep their stored values.  Keys are a column's
 * English field name, Chinese header or alias (as a sheet's header
 * would be).  key_col is the record's key, which cannot change.
 * Problems go to e->d. */
static void edit_merge(struct edit *e, json_t *body, int key_col)
{
    unsigned char given[32] = { 0 };
    const char *k, *t;
    json_t *v;
    char err[2048];
    int i;

    for (i = 0; i < e->def->n; i++) {
        t = value_text(json_object_get(e->cur, e->def->cols[i].field),
                       e->num[i], sizeof(e->num[i]));
        e->text[i] = t ? t : "";
        /* kept even when it fails: a stored value the rules have since
         * tightened against is reported below, unless the body mends it */
        check_field(&e->def->cols[i], e->text[i], &e->now[i], err,
                    sizeof(err));
    }
    json_object_foreach(body, k, v) {
        if ((i = zx_sheetdef_match(e->def, k)) < 0) {
            zx_diag_add(e->d, k, 0, -1, "未知的字段“%s”：%s表没有这一项", k,
                        e->def->title);
            continue;
        }
        if (given[i]++) {
            zx_diag_add(e->d, e->def->cols[i].field, 0, -1,
                        "“%s”重复给出", e->def->cols[i].header);
            continue;
        }
        if (!(t = value_text(v, e->num[i], sizeof(e->num[i])))) {
            zx_diag_add(e->d, e->def->cols[i].field, 0, -1,
                        "“%s”应为文字或数字", e->def->cols[i].header);
            continue;
        }
        e->text[i] = t;
    }
    for (i = 0; i < e->def->n; i++) {
        const zx_coldef *col = &e->def->cols[i];

        if (check_field(col, e->text[i], &e->v[i], err, sizeof(err)))
            zx_diag_add(e->d, col->field, 0, -1, "%s", err);
        else if (i == key_col && !same_value(col, &e->v[i], &e->now[i]))
            zx_diag_add(e->d, col->field, 0, -1, "“%s”不能修改（应与网址中的"
                        "“%s”相同）", col->header, e->now[i].s);
    }
}

static int yes(const struct fval *v)
{
    return v->set && v->code && strcmp(v->code->name, "是") == 0;
}

/* Answers 422 with the problems of an edit, each under its field. */
static void edit_refused(zx_call *c, const zx_diag *d)
{
    char msg[128];

    snprintf(msg, sizeof(msg), "修改未保存：发现 %zu 处问题",
             zx_diag_count(d));
    zx_api_diag(c, 422, "invalid_data", msg, d);
}

static void hq_conflict(void *ctx, const char *group, const char *schools)
{
    zx_diag_add(ctx, "group_hq", 0, -1, "集团“%s”将有不止一所总校（学校标识码"
                " %s），每个集团只能有一所总校：请先把原总校的“集团总校”改为"
                "“否”", group, schools);
}

/* Units the edit created (a town or group named for the first time). */
static json_t *created_json(const zx_registry *reg)
{
    json_t *a = json_array();
    int i;

    for (i = 0; i < zx_registry_created_count(reg); i++) {
        const char *kind, *name, *code;

        zx_registry_created(reg, i, &kind, &name, &code);
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "kind", kind,
                                           "name", name, "code", code));
    }
    return a;
}

/* PUT /api/schools/:code with a JSON object of the school sheet's fields
 * (English field names such as "name", "school_type", or the Chinese
 * headers such as "学校名称"; values as text or numbers, code lists by
 * code or name, yes/no as 是/否 or true/false, null or "" to blank an
 * optional field).  Fields left out keep their values.  Only 管理员 may
 * move a school to another town or change its group: for a town or a
 * school the tree is the bureau's to draw, and a move would take the
 * school out of the editor's own sight.  Answers {"changed", "created",
 * "school"}. */
static void put_school(zx_call *c)
{
    static const char *const admin_only[] = { "town", "group", "group_hq" };
    const zx_sheetdef *def = zx_sheetdef_get("schools");
    struct edit *e = calloc(1, sizeof(*e));
    json_t *body = NULL, *cur = NULL, *created = NULL, *school;
    zx_registry *reg = NULL;
    zx_school_rec r;
    long long id;
    size_t i;
    int rc, put = ZX_PUT_UNCHANGED, began = 0;

    if (!e || !(e->d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if (find_school(c, c->params[0], &id) || !zx_api_may_write(c, id) ||
        !(body = zx_api_body(c)))
        goto out;
    if (!(cur = school_detail(c, id))) {
        zx_api_fail(c, ZX_EDB, NULL);
        goto out;
    }
    e->def = def;
    e->cur = cur;
    edit_merge(e, body, fx(def, "school_code"));
    if (c->role != ZX_ROLE_ADMIN)
        for (i = 0; i < sizeof(admin_only) / sizeof(admin_only[0]); i++) {
            int k = fx(def, admin_only[i]);

            if (!same_value(&def->cols[k], &e->v[k], &e->now[k]))
                zx_diag_add(e->d, admin_only[i], 0, -1,
                            "“%s”只有管理员可以修改", def->cols[k].header);
        }
#define V(f) (&e->v[fx(def, f)])
    if (yes(V("group_hq")) && !V("group")->set)
        zx_diag_add(e->d, "group_hq", 0, -1,
                    "填写了“集团总校”为“是”，但“所属集团”为空");
    if (V("lon")->set != V("lat")->set)
        zx_diag_add(e->d, V("lon")->set ? "lat" : "lon", 0, -1,
                    "经度和纬度须同时填写");
    if (zx_diag_count(e->d)) {
        edit_refused(c, e->d);
        goto out;
    }
    memset(&r, 0, sizeof(r));
    r.code = V("school_code")->s;
    r.name = V("name")->s;
    r.town = V("town")->s;
    r.group = V("group")->set ? V("group")->s : NULL;
    r.type_code = (int)V("school_type")->i;
    r.urban_rural = (int)V("urban_rural")->i;
    r.town_seat = yes(V("town_seat"));
    r.owner = (int)V("owner")->i;
    r.group_hq = yes(V("group_hq"));
    r.has_lonlat = V("lon")->set && V("lat")->set;
    r.lon = V("lon")->d;
    r.lat = V("lat")->d;
#undef V

    /* one transaction, as an import: the put, its audit entry and any
     * unit it creates stand or fall together */
    if ((rc = zx_db_begin(c->db)))
        goto fail;
    began = 1;
    if ((rc = zx_registry_open(c->db, c->actor, &reg)) ||
        (rc = zx_registry_put_school(reg, &r, &put)) ||
        (rc = zx_registry_hq_conflicts(reg, hq_conflict, e->d)))
        goto fail;
    if (zx_diag_count(e->d)) {
        edit_refused(c, e->d);
        goto out;
    }
    created = created_json(reg);
    if ((rc = zx_db_commit(c->db)))
        goto fail;
    began = 0;
    if (!(school = school_detail(c, id))) {
        rc = ZX_EDB;
        goto fail;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:O, s:o}", "changed",
                                  put != ZX_PUT_UNCHANGED, "created", created,
                                  "school", school));
    goto out;
fail:
    zx_api_fail(c, rc, NULL);
out:
    if (began)
        zx_db_rollback(c->db);
    zx_registry_close(reg);
    json_decref(created);
    json_decref(cur);
    json_decref(body);
    if (e)
        zx_diag_free(e->d);
    free(e);
}

/* ---- teachers ------------------------------------------------------------- */

/* The teacher sheet's columns in order, then the school's name. */
#define TEACHER_SELECT                                                      \
    "SELECT t.teacher_no AS teacher_no, t.name AS name,"                    \
    " t.gender AS gender, t.birth AS birth, u.code AS school_code,"         \
    " t.stage AS stage, t.subject AS subject, t.title AS title,"            \
    " t.employment AS employment, t.post AS post,"                          \
    " t.since_year AS since_year, t.political AS political, u.name, t.id,"  \
    " t.school_id"                                                          \
    " FROM teacher t JOIN org_unit u ON u.id = t.school_id"
#define TEACHER_NCOLS 12

static json_t *teacher_row(zx_call *c, sqlite3_stmt *st)
{
    json_t *o = json_object();

    if (!o || put_cells(o, st, 0, zx_sheetdef_get("teachers"), 0,
                        TEACHER_NCOLS) ||
        json_object_set_new(o, "school_name", text_or_null(st, 12))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* GET /api/teachers?school=CODE&town=CODE&q=TEXT&subject=..&stage=..
 * &title=..: the teachers of the schools the caller sees, by number.  q
 * matches number or name; subject, stage and title by code or name. */
static void list_teachers(zx_call *c)
{
    static const struct { const char *param, *list, *frag; } codes[] = {
        { "subject", "subject", "t.subject = ?" },
        { "stage", "stage", "t.stage = ?" },
        { "title", "title", "t.title = ?" },
    };
    const char *q = zx_http_query(c->req, "q");
    struct where w = { 0 };
    struct sight s;
    long long id;
    size_t i;
    int rc;

    if (sight_of(c, &s))
        return;
    w_sight(&w, &s, "t.school_id", c->account);
    if (where_school_town(c, &w, "t.school_id"))
        return;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if ((rc = code_param(c, codes[i].param, codes[i].list, &id)) < 0)
            return;
        if (rc) {
            w_add(&w, codes[i].frag);
            w_int(&w, id);
        }
    }
    if (q && *q) {
        const char *pat = w_like(c, &w, q);

        if (!pat)
            return;
        w_add(&w, "(t.teacher_no LIKE ? ESCAPE '\\'"
                  " OR t.name LIKE ? ESCAPE '\\')");
        w_text(&w, pat);
        w_text(&w, pat);
    }
    answer_list(c, "SELECT count(*) FROM teacher t", TEACHER_SELECT, &w,
                "t.teacher_no", teacher_row);
}


/* The teacher numbered no, with its school's name and its titles, into
 * *out if the caller sees its school (*school: the school's id).
 * Returns 0, or -1 after answering (404 when unknown or out of sight,
 * alike). */
static int teacher_detail(zx_call *c, const char *no, json_t **out,
                          long long *school)
{
    const zx_sheetdef *ro = zx_sheetdef_get("roles");
    struct where w = { 0 };
    sqlite3_stmt *st;
    json_t *o = NULL, *roles;
    long long tid = 0;
    int step, seen = 0;

    w_add(&w, "t.teacher_no = ?");
    w_text(&w, no);
    if (!(st = w_prepare(c, TEACHER_SELECT, &w, "")))
        return -1;
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        tid = sqlite3_column_int64(st, 13);
        *school = sqlite3_column_int64(st, 14);
        if ((seen = zx_scope_sees(c->scope, *school)))
            o = teacher_row(c, st);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    if (!seen) {
        zx_api_error(c, 404, "not_found", "未找到教师“%s”", no);
        return -1;
    }
    st = zx_db_prepare(c->db, "SELECT title AS role, level AS level,"
                              " start_year AS start_year,"
                              " end_year AS end_year FROM teacher_role"
                              " WHERE teacher_id = ?1"
                              " ORDER BY start_year, title, level");
    roles = json_array();
    if (!o || !st || !roles) {
        json_decref(o);
        json_decref(roles);
        zx_api_fail(c, st ? ZX_ENOMEM : ZX_EDB, NULL);
        return -1;
    }
    sqlite3_bind_int64(st, 1, tid);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *r = json_object();

        if (!r || put_cells(r, st, 0, ro, 1, ro->n)) {
            json_decref(r);
            break;
        }
        if (json_array_append_new(roles, r))
            break;
    }
    sqlite3_reset(st);
    json_object_set_new(o, "roles", roles);
    if (step != SQLITE_DONE) {
        json_decref(o);
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    *out = o;
    return 0;
}

/* GET /api/teachers/:no */
static void get_teacher(zx_call *c)
{
    json_t *o;
    long long school;

    if (teacher_detail(c, c->params[0], &o, &school) == 0)
        zx_api_json(c, 200, o);
}

/* PUT /api/teachers/:no with a JSON object of the teacher sheet's fields,
 * read as put_school reads a school's.  A teacher belongs to its school:
 * the caller must be able to change the school it is in and, for a move
 * (school_code), the school it goes to.  Answers {"changed",
 * "teacher"}. */
static void put_teacher(zx_call *c)
{
    const zx_sheetdef *def = zx_sheetdef_get("teachers");
    struct edit *e = calloc(1, sizeof(*e));
    json_t *body = NULL, *cur = NULL, *teacher;
    zx_registry *reg = NULL;
    zx_teacher_rec r;
    sqlite3_stmt *st;
    long long school, to = 0;
    int rc, put = ZX_PUT_UNCHANGED, began = 0, found = 0;

    if (!e || !(e->d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if (teacher_detail(c, c->params[0], &cur, &school) ||
        !zx_api_may_write(c, school) || !(body = zx_api_body(c)))
        goto out;
    e->def = def;
    e->cur = cur;
    edit_merge(e, body, fx(def, "teacher_no"));
#define V(f) (&e->v[fx(def, f)])
    if (V("school_code")->set) {
        if (!(st = zx_db_prepare(c->db, "SELECT id FROM org_unit"
                                        " WHERE code = ?1"
                                        " AND kind = 'school'"))) {
            zx_api_fail(c, ZX_EDB, NULL);
            goto out;
        }
        sqlite3_bind_text(st, 1, V("school_code")->s, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            to = sqlite3_column_int64(st, 0);
            found = 1;
        }
        sqlite3_reset(st);
        /* a school out of reach is named like one that does not exist */
        if (!found || !zx_scope_writes(c->scope, to))
            zx_diag_add(e->d, "school_code", 0, -1,
                        "学校标识码“%s”不存在，或您无权修改该校的数据",
                        V("school_code")->s);
    }
    if (V("since_year")->set && V("birth")->set &&
        V("since_year")->i < atoi(V("birth")->month) + 16)
        zx_diag_add(e->d, "since_year", 0, -1,
                    "本校任职起始年份 %lld 早于该教师 16 岁",
                    V("since_year")->i);
    if (zx_diag_count(e->d)) {
        edit_refused(c, e->d);
        goto out;
    }
    memset(&r, 0, sizeof(r));
    r.teacher_no = V("teacher_no")->s;
    r.name = V("name")->s;
    r.gender = (int)V("gender")->i;
    r.birth = V("birth")->month;
    r.school_code = V("school_code")->s;
    r.stage = (int)V("stage")->i;
    r.subject = (int)V("subject")->i;
    r.title = (int)V("title")->i;
    r.employment = (int)V("employment")->i;
    r.post = (int)V("post")->i;
    r.since_year = (int)V("since_year")->i;
    r.political = (int)V("political")->i;    /* 0 when blank */
#undef V

    if ((rc = zx_db_begin(c->db)))
        goto fail;
    began = 1;
    if ((rc = zx_registry_open(c->db, c->actor, &reg)) ||
        (rc = zx_registry_put_teacher(reg, &r, &put)) ||
        (rc = zx_db_commit(c->db)))
        goto fail;
    began = 0;
    if (teacher_detail(c, c->params[0], &teacher, &school))
        goto out;
    zx_api_json(c, 200, json_pack("{s:b, s:o}", "changed",
                                  put != ZX_PUT_UNCHANGED, "teacher",
                                  teacher));
    goto out;
fail:
    zx_api_fail(c, rc, NULL);
out:
    if (began)
        zx_db_rollback(c->db);
    zx_registry_close(reg);
    json_decref(cur);
    json_decref(body);
    if (e)
        zx_diag_free(e->d);
    free(e);
}

/* ---- enrolment ------------------------------------------------------------ */

static json_t *enrolment_row(zx_call *c, sqlite3_stmt *st)
{
    const zx_sheetdef *def = zx_sheetdef_get("enrolment");
    json_t *o = json_object();

    if (!o || put_cells(o, st, 0, def, 0, def->n) ||
        json_object_set_new(o, "school_name", text_or_null(st, def->n))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* GET /api/enrolment?school=CODE&town=CODE&year=Y: enrolment rows of the
 * schools the caller sees, by school and year. */
static void list_enrolment(zx_call *c)
{
    struct where w = { 0 };
    struct sight s;
    long long year;
    int ok = 1;

    if (sight_of(c, &s))
        return;
    w_sight(&w, &s, "e.school_id", c->account);
    if (where_school_town(c, &w, "e.school_id"))
        return;
    year = zx_api_query_int(c, "year", 0, 2000, 2100, &ok);
    if (!ok)
        return;
    if (year) {
        w_add(&w, "e.year = ?");
        w_int(&w, year);
    }
    answer_list(c, "SELECT count(*) FROM enrolment e",
                "SELECT u.code AS school_code, e.year AS year,"
                " e.students AS students, e.classes AS classes,"
                " e.boarders AS boarders, e.special AS special, u.name"
                " FROM enrolment e JOIN org_unit u ON u.id = e.school_id",
                &w, "u.code, e.year", enrolment_row);
}

const zx_route zx_api_registry_routes[] = {
    { "GET", "/api/units", ZX_ROLE_ANY, list_units, ZX_ROUTE_CACHED },
    { "GET", "/api/schools", ZX_ROLE_ANY, list_schools, ZX_ROUTE_CACHED },
    { "GET", "/api/schools/:code", ZX_ROLE_ANY, get_school,
      ZX_ROUTE_CACHED },
    { "PUT", "/api/schools/:code", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, put_school, 0 },
    { "GET", "/api/teachers", ZX_ROLE_ANY, list_teachers, ZX_ROUTE_CACHED },
    { "GET", "/api/teachers/:no", ZX_ROLE_ANY, get_teacher,
      ZX_ROUTE_CACHED },
    { "PUT", "/api/teachers/:no", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, put_teacher, 0 },
    { "GET", "/api/enrolment", ZX_ROLE_ANY, list_enrolment,
      ZX_ROUTE_CACHED },
    { NULL, NULL, 0, NULL, 0 }
};
