/*
 * substitutes.c - the yearly substitute-teacher counts and their
 * trajectory to zero (see substitutes.h).  The import reads its sheet
 * with the registry importers' pieces (zx_sheetdef_match, zx_ingest_check,
 * zx_ingest_run): one transaction, rows written while the file is clean,
 * rolled back at the first problem's end or on a dry run.
 */
#include "substitutes.h"

#include "audit.h"
#include "codes.h"
#include "ingest.h"
#include "map.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long zx_substitutes_allowance(long long baseline, int baseline_year,
                                   int target_year, int year)
{
    long long span = target_year - baseline_year, left = target_year - year;

    if (span <= 0 || left <= 0)
        return 0;
    if (left >= span)
        return baseline;
    return (baseline * left + span - 1) / span;
}

void zx_substitutes_free(zx_substitutes *s)
{
    int i;

    if (!s)
        return;
    for (i = 0; i < s->nschools; i++) {
        free(s->schools[i].code);
        free(s->schools[i].name);
    }
    for (i = 0; i < s->ntowns; i++) {
        free(s->towns[i].code);
        free(s->towns[i].name);
    }
    free(s->points);
    free(s->schools);
    free(s->towns);
    free(s);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

/* The index of the town code/name, appended unless it is the last one;
 * -1 when memory is short. */
static int town_for(zx_substitutes *s, const char *code, const char *name)
{
    zx_subst_town *t;

    if (s->ntowns && strcmp(s->towns[s->ntowns - 1].code, code) == 0)
        return s->ntowns - 1;
    if (!(t = realloc(s->towns, (size_t)(s->ntowns + 1) * sizeof(*t))))
        return -1;
    s->towns = t;
    t = &t[s->ntowns++];
    memset(t, 0, sizeof(*t));
    t->code = strdup(code);
    t->name = strdup(name);
    return t->code && t->name ? s->ntowns - 1 : -1;
}

/* The points from the baseline year on, over the schools kept. */
static int trajectory(zx_db *db, zx_substitutes *s, zx_subst_keep_fn keep,
                      void *kctx)
{
    sqlite3_stmt *st;
    int y, last = s->year > s->target_year ? s->year : s->target_year, step;
    double span = s->target_year - s->baseline_year;

    s->npoints = last - s->baseline_year + 1;
    if (!(s->points = calloc((size_t)s->npoints, sizeof(*s->points))))
        return ZX_ENOMEM;
    for (y = 0; y < s->npoints; y++) {
        zx_subst_point *p = &s->points[y];
        double left = s->target_year - (s->baseline_year + y);

        p->year = s->baseline_year + y;
        p->allowance = left <= 0 ? 0 : (double)s->baseline * left / span;
    }
    st = zx_db_prepare(db, "SELECT school_id, year, count"
                           " FROM substitute_count"
                           " WHERE year BETWEEN ?1 AND ?2");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, s->baseline_year);
    sqlite3_bind_int(st, 2, last);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_subst_point *p =
            &s->points[sqlite3_column_int(st, 1) - s->baseline_year];

        if (keep && !keep(kctx, sqlite3_column_int64(st, 0)))
            continue;
        p->actual += sqlite3_column_int64(st, 2);
        p->has_actual = 1;
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_substitutes_compute(zx_db *db, int year, const zx_rules *rules,
                           zx_subst_keep_fn keep, void *kctx,
                           zx_substitutes **out)
{
    sqlite3_stmt *st = NULL;
    zx_substitutes *s;
    double b = zx_rules_value(rules, "baseline_year"),
           t = zx_rules_value(rules, "target_year");
    int rc = ZX_EDB, step, cap = 0, town;

    *out = NULL;
    if (isnan(b) || isnan(t) || t <= b)
        return ZX_EINVAL;
    if (!(s = calloc(1, sizeof(*s))))
        return ZX_ENOMEM;
    s->year = year;
    s->baseline_year = (int)b;
    s->target_year = (int)t;
    s->factor = year <= b ? 1 : year >= t ? 0 : (t - year) / (t - b);
    st = zx_db_prepare(db,
        "SELECT u.id, u.code, u.name, coalesce(w.code, ''),"
        "  coalesce(w.name, ''),"
        "  (SELECT count FROM substitute_count WHERE school_id = u.id"
        "   AND year = ?1),"
        "  (SELECT count FROM substitute_count WHERE school_id = u.id"
        "   AND year = ?2)"
        " FROM school s JOIN org_unit u ON u.id = s.unit_id"
        " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
        " WHERE EXISTS (SELECT 1 FROM substitute_count c"
        "  WHERE c.school_id = s.unit_id AND c.year IN (?1, ?2))"
        " ORDER BY coalesce(w.code, ''), u.code");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, s->baseline_year);
    sqlite3_bind_int(st, 2, year);
    s->actual = -1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        zx_subst_school *sc;
        zx_subst_town *tw;

        if (keep && !keep(kctx, sqlite3_column_int64(st, 0)))
            continue;
        rc = ZX_ENOMEM;
        if (!(sc = zx_push((void **)&s->schools, &s->nschools, &cap,
                           sizeof(*sc))) ||
            (town = town_for(s, col(st, 3), col(st, 4))) < 0 ||
            !(sc->code = strdup(col(st, 1))) ||
            !(sc->name = strdup(col(st, 2))))
            goto fail;
        sc->id = sqlite3_column_int64(st, 0);
        sc->town = town;
        sc->baseline = sqlite3_column_int64(st, 5);
        sc->allowance = zx_substitutes_allowance(
            sc->baseline, s->baseline_year, s->target_year, year);
        sc->actual = sqlite3_column_type(st, 6) == SQLITE_NULL
                         ? -1
                         : sqlite3_column_int64(st, 6);
        sc->behind = sc->actual > sc->allowance;
        sc->shed = sc->behind ? sc->actual - sc->allowance : 0;
        tw = &s->towns[town];
        tw->baseline += sc->baseline;
        tw->allowance += sc->allowance;
        tw->actual += sc->actual > 0 ? sc->actual : 0;
        tw->shed += sc->shed;
        tw->behind += sc->behind;
        s->baseline += sc->baseline;
        if (sc->actual >= 0)
            s->actual = (s->actual < 0 ? 0 : s->actual) + sc->actual;
        s->behind += sc->behind;
        s->shed += sc->shed;
        rc = ZX_EDB;
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_reset(st);
    s->allowance = (double)s->baseline * s->factor;
    if ((rc = trajectory(db, s, keep, kctx)))
        goto fail;
    *out = s;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_substitutes_free(s);
    return rc;
}

static json_t *count_json(long long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

json_t *zx_substitutes_json(const zx_substitutes *s)
{
    json_t *points = json_array(), *towns = json_array(),
           *schools = json_array(), *j;
    int i;

    for (i = 0; points && i < s->npoints; i++) {
        const zx_subst_point *p = &s->points[i];

        j = json_pack("{s:i, s:f, s:o}", "year", p->year, "allowance",
                      p->allowance, "actual",
                      count_json(p->has_actual ? p->actual : -1));
        if (!j || json_array_append_new(points, j))
            goto fail;
    }
    for (i = 0; towns && i < s->ntowns; i++) {
        const zx_subst_town *t = &s->towns[i];

        j = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:i}", "code", t->code,
                      "name", t->name, "baseline", (json_int_t)t->baseline,
                      "allowance", (json_int_t)t->allowance, "actual",
                      (json_int_t)t->actual, "shed", (json_int_t)t->shed,
                      "behind", t->behind);
        if (!j || json_array_append_new(towns, j))
            goto fail;
    }
    for (i = 0; schools && i < s->nschools; i++) {
        const zx_subst_school *c = &s->schools[i];

        j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:b, s:I}", "code",
                      c->code, "name", c->name, "town",
                      s->towns[c->town].name, "baseline",
                      (json_int_t)c->baseline, "allowance",
                      (json_int_t)c->allowance, "actual",
                      count_json(c->actual), "behind", c->behind, "shed",
                      (json_int_t)c->shed);
        if (!j || json_array_append_new(schools, j))
            goto fail;
    }
    if (!points || !towns || !schools)
        goto fail;
    return json_pack("{s:i, s:i, s:i, s:f, s:I, s:f, s:o, s:i, s:I, s:o,"
                     " s:o, s:o}",
                     "year", s->year, "baseline_year", s->baseline_year,
                     "target_year", s->target_year, "factor", s->factor,
                     "baseline", (json_int_t)s->baseline, "allowance",
                     s->allowance, "actual", count_json(s->actual), "behind",
                     s->behind, "shed", (json_int_t)s->shed, "points",
                     points, "towns", towns, "schools", schools);

fail:
    json_decref(points);
    json_decref(towns);
    json_decref(schools);
    return NULL;
}

/* ---- counts: snapshot, set, import -------------------------------------- */

int zx_substitutes_snapshot(zx_db *db, int year, const char *actor,
                            int *schools, long long *total)
{
    const zx_codelist *emp = zx_codes_get("employment");
    int k = zx_codes_find(emp, "代课"), step, rc = ZX_EDB;
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    long long before, after;
    char key[16];

    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    st = zx_db_prepare(db, "SELECT count(*), coalesce(sum(count), 0)"
                           " FROM substitute_count WHERE year = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        goto fail;
    }
    before = sqlite3_column_int64(st, 0);
    rc = ZX_ENOMEM;
    old = before ? json_pack("{s:I, s:I}", "schools", (json_int_t)before,
                             "total",
                             (json_int_t)sqlite3_column_int64(st, 1))
                 : NULL;
    sqlite3_reset(st);
    if (before && !old)
        goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "INSERT INTO substitute_count(school_id, year,"
                           " count) SELECT s.unit_id, ?1, (SELECT count(*)"
                           " FROM teacher t WHERE t.school_id = s.unit_id"
                           " AND t.employment = ?2) FROM school s WHERE true"
                           " ON CONFLICT(school_id, year)"
                           " DO UPDATE SET count = excluded.count");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int(st, 2, atoi(emp->items[k].code));
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    st = zx_db_prepare(db, "SELECT count(*), coalesce(sum(count), 0)"
                           " FROM substitute_count WHERE year = ?1");
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        goto fail;
    }
    after = sqlite3_column_int64(st, 1);
    if (schools)
        *schools = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:I, s:I, s:s}", "schools",
                           (json_int_t)(schools ? *schools : 0), "total",
                           (json_int_t)after, "from", "teacher")))
        goto fail;
    snprintf(key, sizeof(key), "%d", year);
    if ((rc = zx_audit_append_json(db, actor, "snapshot", "substitute_count",
                                   key, old, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    if (total)
        *total = after;
    json_decref(old);
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    json_decref(old);
    json_decref(new_);
    return rc;
}

/* Writes one count inside the caller's transaction, audited unless
 * quiet (an import has its own entry); *change gets 0 unchanged, 1
 * inserted, 2 updated. */
static int put_count(zx_db *db, long long school, const char *code,
                     int year, long long count, const char *actor, int quiet,
                     int *change)
{
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    long long was = -1;
    char key[48];
    int step, rc;

    st = zx_db_prepare(db, "SELECT count FROM substitute_count"
                           " WHERE school_id = ?1 AND year = ?2");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, school);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        was = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return ZX_EDB;
    *change = was < 0 ? 1 : was != count ? 2 : 0;
    if (!*change)
        return ZX_OK;
    st = zx_db_prepare(db, "INSERT INTO substitute_count(school_id, year,"
                           " count) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(school_id, year)"
                           " DO UPDATE SET count = excluded.count");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, school);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, count);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    if (quiet)
        return ZX_OK;
    rc = ZX_ENOMEM;
    if ((was >= 0 && !(old = json_pack("{s:I}", "count", (json_int_t)was))) ||
        !(new_ = json_pack("{s:I}", "count", (json_int_t)count)))
        goto done;
    snprintf(key, sizeof(key), "%s/%d", code, year);
    rc = zx_audit_append_json(db, actor, was < 0 ? "insert" : "update",
                              "substitute_count", key, old, new_);
done:
    json_decref(old);
    json_decref(new_);
    return rc;
}

/* The school id of code, 0 when there is none, -1 on a database error. */
static long long school_id(zx_db *db, const char *code)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT s.unit_id FROM school s"
                                         " JOIN org_unit u ON u.id ="
                                         " s.unit_id WHERE u.code = ?1");
    long long id;
    int step;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0)
         : step == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return id;
}

int zx_substitutes_set(zx_db *db, const char *code, int year,
                       long long count, const char *actor)
{
    long long id;
    int rc, change;

    if (count < 0)
        return ZX_EINVAL;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    id = school_id(db, code);
    rc = id < 0 ? ZX_EDB : id == 0 ? ZX_ENOTFOUND
                                   : put_count(db, id, code, year, count,
                                               actor, 0, &change);
    if (rc || zx_db_commit(db) != ZX_OK) {
        zx_db_rollback(db);
        return rc ? rc : ZX_EDB;
    }
    return ZX_OK;
}

enum { F_SCHOOL, F_YEAR, F_COUNT, NF };

static const zx_coldef sheet_cols[NF] = {
    { "school_code", "学校标识码", "标识码|school_id", 1, ZX_COL_TEXT, NULL,
      0, 0, 10, 10, "10 位数字的全国学校标识码，须为已导入的学校" },
    { "year", "年度", "统计年度", 1, ZX_COL_INT, NULL, 2000, 2100, 0, 0,
      "如 2021" },
    { "count", "代课教师数", "代课教师人数|代课人数", 1, ZX_COL_INT, NULL, 0,
      100000, 0, 0, "该校该年度在岗代课教师人数" },
};

static const zx_sheetdef sheet = { "substitute_count", "代课教师人数",
                                   sheet_cols, NF, "学校标识码 + 年度" };

struct imp {
    zx_db *db;
    const char *name, *actor;
    zx_diag *diag;
    int pos[NF];
    char *text[NF];
    size_t cap[NF];
    zx_cell v[NF];
    zx_map *seen;              /* "code/year" -> first row */
    zx_ingest_counts n;
};

static int header(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;

    return zx_ingest_header(&sheet, row, in->pos, in->name,
                            "代课教师人数表应为 学校标识码、年度、代课教师数",
                            in->diag);
}

/* Checks cell f of row into in->v[f]: 0, -1 (reported) or
 * ZX_INGEST_STOP_NOMEM. */
static int check_cell(struct imp *in, const zx_row *row, int f)
{
    int c = in->pos[f];
    const char *raw = c < row->n ? row->cell[c] : "";
    int kind = c < row->n ? row->kind[c] : ZX_CELL_TEXT;
    size_t len = strlen(raw);
    char err[512];

    if (len + 1 > in->cap[f]) {
        char *t = realloc(in->text[f], len + 64);

        if (!t)
            return ZX_INGEST_STOP_NOMEM;
        in->text[f] = t;
        in->cap[f] = len + 64;
    }
    if (zx_ingest_check(&sheet_cols[f], raw, kind, 0, in->text[f], &in->v[f],
                        err, sizeof(err))) {
        zx_diag_add(in->diag, in->name, row->line, c, "%s", err);
        return -1;
    }
    return 0;
}

static int data_row(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;
    char key[64];
    long long id, first;
    int f, rc, bad = 0, change;

    for (f = 0; f < row->n && !*row->cell[f]; f++)
        ;
    if (f == row->n)
        return 0;
    in->n.rows++;
    for (f = 0; f < NF; f++) {
        if ((rc = check_cell(in, row, f)) == ZX_INGEST_STOP_NOMEM)
            return rc;
        bad |= rc != 0;
    }
    if (bad) {
        in->n.bad++;
        return 0;
    }
    if ((id = school_id(in->db, in->v[F_SCHOOL].s)) < 0)
        return ZX_INGEST_STOP_DB;
    if (!id) {
        zx_diag_add(in->diag, in->name, row->line, in->pos[F_SCHOOL],
                    "没有标识码为 %s 的学校（请先导入学校）",
                    in->v[F_SCHOOL].s);
        in->n.bad++;
        return 0;
    }
    snprintf(key, sizeof(key), "%s/%lld", in->v[F_SCHOOL].s,
             in->v[F_YEAR].i);
    if (zx_map_get(in->seen, key, &first)) {
        zx_diag_add(in->diag, in->name, row->line, in->pos[F_YEAR],
                    "与第 %lld 行重复：同一学校同一年度只能填写一次", first);
        in->n.bad++;
        return 0;
    }
    if (zx_map_put(in->seen, key, row->line))
        return ZX_INGEST_STOP_NOMEM;
    if (in->n.bad)
        return 0;      /* nothing more is written once a row is bad */
    if (put_count(in->db, id, in->v[F_SCHOOL].s, (int)in->v[F_YEAR].i,
                  in->v[F_COUNT].i, in->actor, 1, &change)) {
        zx_diag_add(in->diag, in->name, row->line, -1, "数据库写入失败：%s",
                    zx_db_errmsg(in->db));
        return ZX_INGEST_STOP_DB;
    }
    if (change == 1)
        in->n.inserted++;
    else if (change == 2)
        in->n.updated++;
    else
        in->n.unchanged++;
    return 0;
}

static const zx_ingest_importer importer = {
    "substitute_count", header, data_row, NULL
};

int zx_substitutes_import(zx_db *db, const char *path, const char *name,
                          int dry_run, const char *actor,
                          zx_progress_fn progress, void *pctx, zx_diag *diag,
                          zx_subst_import_result *res)
{
    struct imp in;
    zx_ingest_job job = { .importer = &importer, .ctx = &in, .counts = &in.n,
                          .path = path, .name = name ? name : path,
                          .actor = actor, .dry_run = dry_run,
                          .progress = progress, .pctx = pctx, .diag = diag };
    int rc = ZX_ENOMEM, f;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    in.db = db;
    in.name = job.name;
    in.actor = actor;
    in.diag = diag;
    snprintf(res->format, sizeof(res->format), "%s", zx_ingest_format(path));
    if (!(in.seen = zx_map_new()))
        goto fail;
    rc = zx_ingest_run(db, &job);
    res->rows = in.n.rows;
    res->inserted = in.n.inserted;
    res->updated = in.n.updated;
    res->unchanged = in.n.unchanged;

fail:
    zx_map_free(in.seen);
    for (f = 0; f < NF; f++)
        free(in.text[f]);
    return rc;
}
