/*
 * training.c - the training ledger (see training.h): the plan's figures
 * (target, milestones, window), the training bases, the course catalogue
 * and enrolment; and the small helpers its other two parts share
 * (trainint.h): trainrec.c, the completions, and trainacct.c, the
 * accounting of the hours.
 *
 * Each change is checked whole, every problem reported, before one
 * transaction writes it with its audit entry (zx_train_audit).
 */
#include "trainint.h"
#include "audit.h"
#include "codes.h"
#include "text.h"
#include "xlsx.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the plan's figures ---------------------------------------------- */

double zx_training_target(const zx_plan *plan)
{
    const zx_setting *s = zx_plan_setting(plan, "training_hours");

    return s && !s->is_list && s->value > 0 ? s->value
                                            : ZX_TRAINING_HOURS_DEFAULT;
}

double zx_training_milestone(const zx_plan *plan, int year)
{
    const zx_setting *s = zx_plan_setting(plan, "training_milestones");
    const int *years;
    int n, k = 0;

    years = zx_plan_years(plan, &n);
    while (k < n && years[k] <= year)
        k++;
    if (k == 0)
        return n ? 0 : zx_training_target(plan);
    /* a list that does not give one figure per plan year is not read as
     * milestones: the ramp stands */
    if (s && s->is_list && s->nlist == n)
        return s->list[k - 1];
    return zx_training_target(plan) * k / n;
}

void zx_training_window(const zx_plan *plan, char first[11], char last[11])
{
    const int *years;
    int n;

    years = zx_plan_years(plan, &n);
    snprintf(first, 11, "%04d-01-01",
             n ? years[0] : zx_plan_baseline(plan) + 1);
    snprintf(last, 11, "%04d-12-31",
             n ? years[n - 1] : zx_plan_baseline(plan) + 1);
}

int zx_training_year(const zx_plan *plan)
{
    time_t now = time(NULL);
    struct tm tm;
    const int *years;
    int n, i, best;

    localtime_r(&now, &tm);
    years = zx_plan_years(plan, &n);
    if (n == 0)
        return zx_plan_baseline(plan) + 1;
    best = years[0];
    for (i = 0; i < n; i++)
        if (years[i] <= tm.tm_year + 1900)
            best = years[i];
    return best;
}

/* ---- small helpers, shared (trainint.h) ------------------------------ */

void zx_train_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void now_utc(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void zx_train_rural_json(const zx_plan *plan, char *buf, size_t cap)
{
    const int *codes;
    int n, i;
    size_t o;

    codes = zx_plan_rural(plan, &n);
    o = (size_t)snprintf(buf, cap, "[");
    for (i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%d", i ? "," : "",
                              codes[i]);
    if (o < cap)
        snprintf(buf + o, cap - o, "]");
}

int zx_train_norm(const char *in, char *out, size_t cap, int flags)
{
    if (strlen(in) >= cap)
        return -1;
    zx_text_norm(in, out, flags);
    return 0;
}

int zx_train_parse_day(const char *raw, int kind, char out[11])
{
    char buf[64];
    int y, m, d, secs;

    if (zx_train_norm(raw, buf, sizeof(buf), ZX_NORM_PUNCT | ZX_NORM_SQUASH))
        return -1;
    if (kind == ZX_CELL_NUMBER) {
        char *end;
        double serial = strtod(buf, &end);
        if (*end != '\0' || serial < 1 ||
            zx_xlsx_serial_to_date(serial, 0, &y, &m, &d, &secs))
            return -1;
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return 0;
    }
    /* a date-time cell: the day is its first ten characters */
    if (kind == ZX_CELL_DATE && strlen(buf) > 10)
        buf[10] = '\0';
    if (zx_text_parse_date(buf, ZX_TEXT_DATE_DAY, &y, &m, &d))
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static int is_ident(const char *s)
{
    return *s && strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "abcdefghijklmnopqrstuvwxyz-_") == strlen(s);
}

int zx_train_audit(zx_db *db, const char *actor, const char *action,
                   const char *tbl, const char *key, json_t *old,
                   json_t *new_)
{
    /* a value the action must have and lacks is a failed allocation */
    int rc = (strcmp(action, "insert") != 0 && !old) ||
                     (strcmp(action, "delete") != 0 && !new_)
                 ? ZX_ENOMEM
                 : zx_audit_append_json(db, actor, action, tbl, key, old,
                                        new_);

    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_train_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;

    sqlite3_reset(st);
    return rc;
}

sqlite3_stmt *zx_train_own_stmt(zx_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* The school with that 学校标识码: its id, or 0. */
static long long school_id(zx_db *db, const char *code, int *rc)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT unit_id FROM school s"
                                         " JOIN org_unit u ON u.id = s.unit_id"
                                         " WHERE u.code = ?1");
    long long id = 0;
    int step;

    *rc = ZX_EDB;
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        *rc = ZX_OK;
    sqlite3_reset(st);
    return id;
}

/* ---- bases ----------------------------------------------------------- */

static const char *const base_kinds[] = { "学校基地", "学科基地", "培训机构" };

static json_t *base_json(const char *kind, const char *school, int subject)
{
    return json_pack("{s:s, s:s?, s:s?}", "kind", kind, "school", school,
                     "subject", subject ? zx_codes_name_of(
                                              zx_codes_get("subject"), subject)
                                        : NULL);
}

int zx_training_base_put(zx_db *db, const zx_training_base *b,
                         const char *actor, zx_diag *diag, int *change)
{
    char name[256], school[64], oldschool[64] = "", oldkind[32] = "";
    const char *kind = b->kind ? b->kind : "";
    long long unit = 0, id = 0, oldunit = 0;
    int rc, bad = 0, notfound = 0, began = 0, oldsubject = 0, k, step;
    sqlite3_stmt *st;

    if (change)
        *change = ZX_TRAINING_UNCHANGED;
    if (!b->name || zx_train_norm(b->name, name, sizeof(name), 0) || !*name ||
        zx_text_chars(name) > 60) {
        zx_diag_add(diag, "", 0, -1, "基地名称须为 1～60 个字");
        bad = 1;
    }
    for (k = 0; k < 3 && strcmp(kind, base_kinds[k]) != 0; k++)
        ;
    if (k == 3) {
        zx_diag_add(diag, "", 0, -1, "基地类型“%s”无效，应为：%s", kind,
                    ZX_TRAINING_BASE_KINDS);
        bad = 1;
    }
    school[0] = '\0';
    if (b->school_code &&
        zx_train_norm(b->school_code, school, sizeof(school),
                      ZX_NORM_PUNCT | ZX_NORM_SQUASH)) {
        zx_diag_add(diag, "", 0, -1, "学校标识码过长");
        bad = 1;
    }
    if (k < 3 && k != 2 && !*school) {
        zx_diag_add(diag, "", 0, -1, "%s须填写所在学校的学校标识码", kind);
        bad = 1;
    } else if (k == 2 && *school) {
        zx_diag_add(diag, "", 0, -1, "培训机构不属于学校，不填学校标识码");
        bad = 1;
    }
    if (k == 1 && !zx_codes_name_of(zx_codes_get("subject"), b->subject)) {
        zx_diag_add(diag, "", 0, -1, "学科基地须填写有效的学科");
        bad = 1;
    } else if (k != 1 && b->subject) {
        zx_diag_add(diag, "", 0, -1, "只有学科基地填写学科");
        bad = 1;
    }
    if (bad)
        return ZX_EDATA;

    if ((rc = zx_db_begin(db)))
        return rc;
    began = 1;
    if (*school) {
        if (!(unit = school_id(db, school, &rc)) && rc == ZX_OK) {
            zx_diag_add(diag, "", 0, -1, "学校标识码“%s”不存在", school);
            notfound = 1;
        }
        if (rc)
            goto fail;
    }
    if (notfound) {
        rc = ZX_ENOTFOUND;
        goto fail;
    }
    rc = ZX_EDB;
    st = zx_db_prepare(db, "SELECT b.id, b.kind, b.unit_id, u.code,"
                           " coalesce(b.subject, 0) FROM training_base b"
                           " LEFT JOIN org_unit u ON u.id = b.unit_id"
                           " WHERE b.name = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        snprintf(oldkind, sizeof(oldkind), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        oldunit = sqlite3_column_int64(st, 2);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            snprintf(oldschool, sizeof(oldschool), "%s",
                     (const char *)sqlite3_column_text(st, 3));
        oldsubject = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        goto fail;
    if (id && strcmp(oldkind, kind) == 0 && oldunit == unit &&
        oldsubject == b->subject) {
        rc = ZX_OK;
        goto fail; /* unchanged: nothing to commit */
    }
    st = id ? zx_db_prepare(db, "UPDATE training_base SET kind = ?2,"
                                " unit_id = ?3, subject = ?4 WHERE id = ?5")
            : zx_db_prepare(db, "INSERT INTO training_base(name, kind,"
                                " unit_id, subject) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    if (unit)
        sqlite3_bind_int64(st, 3, unit);
    if (b->subject)
        sqlite3_bind_int(st, 4, b->subject);
    sqlite3_bind_int64(st, 5, id);
    if ((rc = zx_train_step_done(st)))
        goto fail;
    if ((rc = zx_train_audit(db, actor, id ? "update" : "insert",
                             "training_base", name,
                             id ? base_json(oldkind, *oldschool ? oldschool
                                                                : NULL,
                                            oldsubject)
                                : NULL,
                             base_json(kind, *school ? school : NULL,
                                       b->subject))) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;
    if (change)
        *change = id ? ZX_TRAINING_UPDATED : ZX_TRAINING_INSERTED;

fail:
    if (began)
        zx_db_rollback(db);
    return rc;
}

int zx_training_bases(zx_db *db,
                      int (*fn)(void *ctx, const zx_training_base *b),
                      void *ctx)
{
    sqlite3_stmt *st;
    zx_training_base b;
    int rc = ZX_OK, step;

    st = zx_train_own_stmt(db, "SELECT b.name, b.kind, u.code, u.name,"
                           " coalesce(b.subject, 0),"
                           " (SELECT count(*) FROM course c"
                           "  WHERE c.base_id = b.id)"
                           " FROM training_base b"
                           " LEFT JOIN org_unit u ON u.id = b.unit_id"
                           " ORDER BY b.name");
    if (!st)
        return ZX_EDB;
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        b.name = (const char *)sqlite3_column_text(st, 0);
        b.kind = (const char *)sqlite3_column_text(st, 1);
        b.school_code = (const char *)sqlite3_column_text(st, 2);
        b.school_name = (const char *)sqlite3_column_text(st, 3);
        b.subject = sqlite3_column_int(st, 4);
        b.courses = sqlite3_column_int64(st, 5);
        rc = fn(ctx, &b);
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

/* ---- courses --------------------------------------------------------- */

int zx_train_find_course(zx_db *db, const char *code,
                         struct zx_train_course *c)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT id, code, name, hours,"
                                         " required, special,"
                                         " coalesce(capacity, 0), starts_on"
                                         " FROM course WHERE code = ?1");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        c->id = sqlite3_column_int64(st, 0);
        snprintf(c->code, sizeof(c->code), "%s", sqlite3_column_text(st, 1));
        snprintf(c->name, sizeof(c->name), "%s", sqlite3_column_text(st, 2));
        c->hours = sqlite3_column_double(st, 3);
        c->required = sqlite3_column_int(st, 4);
        c->special = sqlite3_column_int(st, 5);
        c->capacity = (long)sqlite3_column_int64(st, 6);
        snprintf(c->starts_on, sizeof(c->starts_on), "%s",
                 sqlite3_column_text(st, 7));
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW ? ZX_OK : step == SQLITE_DONE ? ZX_ENOTFOUND
                                                            : ZX_EDB;
}

/* A course as stored, for comparing and the audit log. */
struct course_rec {
    char name[512], base[256], starts_on[11], ends_on[11];
    double hours;
    int subject, stage, required, special;
    long capacity;
};

static json_t *course_json(const struct course_rec *c)
{
    return json_pack("{s:s, s:s?, s:f, s:i, s:i, s:b, s:I, s:s, s:s, s:b}",
                     "name", c->name, "base", *c->base ? c->base : NULL,
                     "hours", c->hours, "subject", c->subject, "stage",
                     c->stage, "required", c->required, "capacity",
                     (json_int_t)c->capacity, "starts_on", c->starts_on,
                     "ends_on", c->ends_on, "special", c->special);
}

static int same_course(const struct course_rec *a, const struct course_rec *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->base, b->base) == 0 &&
           strcmp(a->starts_on, b->starts_on) == 0 &&
           strcmp(a->ends_on, b->ends_on) == 0 &&
           fabs(a->hours - b->hours) < ZX_TRAIN_EPS &&
           a->subject == b->subject && a->stage == b->stage &&
           a->required == b->required &&
           a->special == b->special && a->capacity == b->capacity;
}

/* Checks c into *r and its normalised code; reports every problem. */
static int check_course(const zx_course *c, struct course_rec *r,
                        char code[64], zx_diag *diag)
{
    int bad = 0, dates = 1;

    memset(r, 0, sizeof(*r));
    if (!c->code ||
        zx_train_norm(c->code, code, 64, ZX_NORM_PUNCT | ZX_NORM_SQUASH) ||
        !is_ident(code) || zx_text_chars(code) > 32) {
        zx_diag_add(diag, "", 0, -1, "课程编号须为 1～32 个字母、数字、- 或 _");
        bad = 1;
    }
    if (!c->name || zx_train_norm(c->name, r->name, sizeof(r->name), 0) ||
        !*r->name || zx_text_chars(r->name) > 100) {
        zx_diag_add(diag, "", 0, -1, "课程名称须为 1～100 个字");
        bad = 1;
    }
    if (c->base && zx_train_norm(c->base, r->base, sizeof(r->base), 0)) {
        zx_diag_add(diag, "", 0, -1, "基地名称过长");
        bad = 1;
    }
    if (!(c->hours > 0) || c->hours > ZX_TRAINING_MAX_HOURS) {
        zx_diag_add(diag, "", 0, -1, "学时须大于 0，且不超过 %d",
                    ZX_TRAINING_MAX_HOURS);
        bad = 1;
    }
    r->hours = c->hours;
    if (c->subject && !zx_codes_name_of(zx_codes_get("subject"), c->subject)) {
        zx_diag_add(diag, "", 0, -1, "学科代码 %d 无效", c->subject);
        bad = 1;
    }
    if (c->stage && !zx_codes_name_of(zx_codes_get("stage"), c->stage)) {
        zx_diag_add(diag, "", 0, -1, "学段代码 %d 无效", c->stage);
        bad = 1;
    }
    r->subject = c->subject;
    r->stage = c->stage;
    r->required = c->required != 0;
    r->special = c->special != 0;
    if (c->capacity < 0) {
        zx_diag_add(diag, "", 0, -1, "名额不能为负数");
        bad = 1;
    } else if (c->capacity > 0 && r->required) {
        zx_diag_add(diag, "", 0, -1, "必修课程全体乡村教师都参加，不设名额");
        bad = 1;
    }
    r->capacity = c->capacity;
    if (!c->starts_on ||
        zx_train_parse_day(c->starts_on, ZX_CELL_TEXT, r->starts_on)) {
        zx_diag_add(diag, "", 0, -1, "开课日期“%s”无法识别，请写成 2020-09-01",
                    c->starts_on ? c->starts_on : "");
        bad = 1;
        dates = 0;
    }
    if (!c->ends_on ||
        zx_train_parse_day(c->ends_on, ZX_CELL_TEXT, r->ends_on)) {
        zx_diag_add(diag, "", 0, -1, "结课日期“%s”无法识别，请写成 2020-12-31",
                    c->ends_on ? c->ends_on : "");
        bad = 1;
        dates = 0;
    }
    if (dates && strcmp(r->ends_on, r->starts_on) < 0) {
        zx_diag_add(diag, "", 0, -1, "结课日期 %s 早于开课日期 %s", r->ends_on,
                    r->starts_on);
        bad = 1;
    }
    return bad ? ZX_EDATA : ZX_OK;
}

/* The stored course of that code into *r and its id (0 when none). */
static int read_course(zx_db *db, const char *code, long long *id,
                       struct course_rec *r)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT c.id, c.name,"
                                         " coalesce(b.name, ''), c.hours,"
                                         " coalesce(c.subject, 0),"
                                         " coalesce(c.stage, 0), c.required,"
                                         " coalesce(c.capacity, 0),"
                                         " c.starts_on, c.ends_on, c.special"
                                         " FROM course c LEFT JOIN"
                                         " training_base b ON b.id = c.base_id"
                                         " WHERE c.code = ?1");
    int step;

    *id = 0;
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        snprintf(r->name, sizeof(r->name), "%s", sqlite3_column_text(st, 1));
        snprintf(r->base, sizeof(r->base), "%s", sqlite3_column_text(st, 2));
        r->hours = sqlite3_column_double(st, 3);
        r->subject = sqlite3_column_int(st, 4);
        r->stage = sqlite3_column_int(st, 5);
        r->required = sqlite3_column_int(st, 6);
        r->capacity = (long)sqlite3_column_int64(st, 7);
        snprintf(r->starts_on, sizeof(r->starts_on), "%s",
                 sqlite3_column_text(st, 8));
        snprintf(r->ends_on, sizeof(r->ends_on), "%s",
                 sqlite3_column_text(st, 9));
        r->special = sqlite3_column_int(st, 10);
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_training_course_put(zx_db *db, const zx_course *c, const char *actor,
                           zx_diag *diag, int *change)
{
    struct course_rec r, old;
    char code[64];
    long long id, base = 0, done, enrolled;
    sqlite3_stmt *st;
    int rc, began = 0;

    if (change)
        *change = ZX_TRAINING_UNCHANGED;
    if ((rc = check_course(c, &r, code, diag)))
        return rc;
    if ((rc = zx_db_begin(db)))
        return rc;
    began = 1;
    if (*r.base) {
        base = zx_db_int(db, "SELECT id FROM training_base WHERE name = ?1",
                         r.base, 0);
        if (!base) {
            zx_diag_add(diag, "", 0, -1, "培训基地“%s”不存在（zhenxing "
                        "training bases 列出全部基地）", r.base);
            rc = ZX_ENOTFOUND;
            goto fail;
        }
    }
    memset(&old, 0, sizeof(old));
    if ((rc = read_course(db, code, &id, &old)))
        goto fail;
    if (id && same_course(&old, &r))
        goto fail; /* unchanged: nothing to commit */
    if (id) {
        /* the hours already counted must not move behind anyone's back */
        rc = ZX_EDB;
        if (!(st = zx_db_prepare(db, "SELECT (SELECT count(*) FROM"
                                     " training_record WHERE course_id = ?1),"
                                     " (SELECT count(*) FROM course_enrolment"
                                     " WHERE course_id = ?1)")))
            goto fail;
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            goto fail;
        }
        done = sqlite3_column_int64(st, 0);
        enrolled = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        rc = ZX_EDATA;
        if (done && (fabs(old.hours - r.hours) >= ZX_TRAIN_EPS ||
                     old.special != r.special)) {
            zx_diag_add(diag, "", 0, -1, "课程 %s 已有 %lld 条结业记录，学时和"
                        "是否专项培训不能再改（已计入的学时不应变动）", code,
                        done);
            goto fail;
        }
        if (r.capacity && r.capacity < enrolled) {
            zx_diag_add(diag, "", 0, -1, "课程 %s 已有 %lld 人选修，名额不能"
                        "少于此数", code, enrolled);
            goto fail;
        }
    }
    rc = ZX_EDB;
    st = id ? zx_db_prepare(db, "UPDATE course SET name = ?2, base_id = ?3,"
                                " hours = ?4, subject = ?5, stage = ?6,"
                                " required = ?7, capacity = ?8,"
                                " starts_on = ?9, ends_on = ?10,"
                                " special = ?11 WHERE code = ?1")
            : zx_db_prepare(db, "INSERT INTO course(code, name, base_id,"
                                " hours, subject, stage, required, capacity,"
                                " starts_on, ends_on, special) VALUES (?1,"
                                " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r.name, -1, SQLITE_STATIC);
    if (base)
        sqlite3_bind_int64(st, 3, base);
    sqlite3_bind_double(st, 4, r.hours);
    if (r.subject)
        sqlite3_bind_int(st, 5, r.subject);
    if (r.stage)
        sqlite3_bind_int(st, 6, r.stage);
    sqlite3_bind_int(st, 7, r.required);
    if (r.capacity)
        sqlite3_bind_int64(st, 8, r.capacity);
    sqlite3_bind_text(st, 9, r.starts_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r.ends_on, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, r.special);
    if ((rc = zx_train_step_done(st)) ||
        (rc = zx_train_audit(db, actor, id ? "update" : "insert", "course",
                             code, id ? course_json(&old) : NULL,
                             course_json(&r))) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;
    if (change)
        *change = id ? ZX_TRAINING_UPDATED : ZX_TRAINING_INSERTED;

fail:
    if (began)
        zx_db_rollback(db);
    return rc;
}

int zx_training_courses(zx_db *db, const char *code,
                        int (*fn)(void *ctx, const zx_course *c), void *ctx)
{
    sqlite3_stmt *st;
    zx_course c;
    int rc = ZX_OK, step, n = 0;

    st = zx_train_own_stmt(db, "SELECT c.code, c.name, b.name, c.hours,"
                           " coalesce(c.subject, 0), coalesce(c.stage, 0),"
                           " c.required, coalesce(c.capacity, 0),"
                           " c.starts_on, c.ends_on, c.special,"
                           " (SELECT count(*) FROM course_enrolment e"
                           "  WHERE e.course_id = c.id),"
                           " (SELECT count(DISTINCT teacher_id)"
                           "  FROM training_record r WHERE r.course_id = c.id)"
                           " FROM course c"
                           " LEFT JOIN training_base b ON b.id = c.base_id"
                           " WHERE ?1 IS NULL OR c.code = ?1 ORDER BY c.code");
    if (!st)
        return ZX_EDB;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        c.code = (const char *)sqlite3_column_text(st, 0);
        c.name = (const char *)sqlite3_column_text(st, 1);
        c.base = (const char *)sqlite3_column_text(st, 2);
        c.hours = sqlite3_column_double(st, 3);
        c.subject = sqlite3_column_int(st, 4);
        c.stage = sqlite3_column_int(st, 5);
        c.required = sqlite3_column_int(st, 6);
        c.capacity = (long)sqlite3_column_int64(st, 7);
        c.starts_on = (const char *)sqlite3_column_text(st, 8);
        c.ends_on = (const char *)sqlite3_column_text(st, 9);
        c.special = sqlite3_column_int(st, 10);
        c.enrolled = (long)sqlite3_column_int64(st, 11);
        c.completed = (long)sqlite3_column_int64(st, 12);
        n++;
        rc = fn(ctx, &c);
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    if (rc == ZX_OK && code && n == 0)
        rc = ZX_ENOTFOUND;
    return rc;
}

/* ---- teachers -------------------------------------------------------- */

int zx_train_find_teacher(zx_db *db, const char *rural, const char *no,
                          long long *id, int *is_rural, char *name,
                          size_t namecap)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT t.id, "
                                         ZX_TRAIN_RURAL("t", "s", "?2")
                                         ", t.name FROM teacher t JOIN school s"
                                         " ON s.unit_id = t.school_id"
                                         " WHERE t.teacher_no = ?1");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rural, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *is_rural = sqlite3_column_int(st, 1);
        if (name)
            snprintf(name, namecap, "%s", sqlite3_column_text(st, 2));
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW ? ZX_OK : step == SQLITE_DONE ? ZX_ENOTFOUND
                                                            : ZX_EDB;
}

int zx_train_is_enrolled(zx_db *db, long long course, long long teacher,
                         int *yes)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT 1 FROM course_enrolment"
                                         " WHERE course_id = ?1"
                                         " AND teacher_id = ?2");
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, course);
    sqlite3_bind_int64(st, 2, teacher);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    *yes = step == SQLITE_ROW;
    return step == SQLITE_ROW || step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* ---- enrolment ------------------------------------------------------- */

/* Course and teacher of an enrolment, looked up with their problems in
 * diag: ZX_OK, ZX_ENOTFOUND or ZX_EDB. */
static int enrol_parties(zx_db *db, const char *rural, const char *course,
                         const char *teacher, struct zx_train_course *c,
                         char no[64], long long *tid, int *is_rural,
                         char *tname, size_t tcap, zx_diag *diag)
{
    char code[64];
    int rc, rc2;

    if (!course || zx_train_norm(course, code, sizeof(code),
                                 ZX_NORM_PUNCT | ZX_NORM_SQUASH))
        code[0] = '\0';
    if (!teacher ||
        zx_train_norm(teacher, no, 64, ZX_NORM_PUNCT | ZX_NORM_SQUASH))
        no[0] = '\0';
    rc = *code ? zx_train_find_course(db, code, c) : ZX_ENOTFOUND;
    if (rc == ZX_ENOTFOUND)
        zx_diag_add(diag, "", 0, -1, "课程编号“%s”不在课程目录中（zhenxing "
                    "training courses 列出全部课程）", code);
    rc2 = *no ? zx_train_find_teacher(db, rural, no, tid, is_rural, tname,
                                      tcap)
              : ZX_ENOTFOUND;
    if (rc2 == ZX_ENOTFOUND)
        zx_diag_add(diag, "", 0, -1, "教师编号“%s”不存在", no);
    if (rc == ZX_EDB || rc2 == ZX_EDB)
        return ZX_EDB;
    return rc ? rc : rc2;
}

int zx_training_enrol(zx_db *db, const zx_plan *plan, const char *course,
                      const char *teacher, const char *today,
                      const char *actor, zx_diag *diag)
{
    struct zx_train_course c;
    char rural[128], no[64], tname[256], day[11], at[32], key[160];
    long long tid = 0, n;
    int rc, is_rural = 0, yes, began = 0;
    sqlite3_stmt *st;

    zx_train_rural_json(plan, rural, sizeof(rural));
    if (today)
        snprintf(day, sizeof(day), "%s", today);
    else
        zx_train_today(day);
    if ((rc = zx_db_begin(db)))
        return rc;
    began = 1;
    if ((rc = enrol_parties(db, rural, course, teacher, &c, no, &tid,
                            &is_rural, tname, sizeof(tname), diag)))
        goto fail;
    rc = ZX_EDATA;
    if (c.required) {
        zx_diag_add(diag, "", 0, -1, "课程 %s“%s”是必修课程，全体乡村教师都"
                    "参加，无需选课", c.code, c.name);
        goto fail;
    }
    if (!is_rural) {
        zx_diag_add(diag, "", 0, -1, "教师 %s（%s）不是乡村教师：选修课程只"
                    "面向乡村学校的教师", no, tname);
        goto fail;
    }
    if ((rc = zx_train_is_enrolled(db, c.id, tid, &yes)))
        goto fail;
    if (yes) {
        zx_diag_add(diag, "", 0, -1, "教师 %s（%s）已选修课程 %s", no, tname,
                    c.code);
        rc = ZX_EEXIST;
        goto fail;
    }
    rc = ZX_EDATA;
    if (strcmp(day, c.starts_on) > 0) {
        zx_diag_add(diag, "", 0, -1, "课程 %s 已于 %s 开课，选课已截止",
                    c.code, c.starts_on);
        goto fail;
    }
    if (c.capacity) {
        rc = ZX_EDB;
        if (!(st = zx_db_prepare(db, "SELECT count(*) FROM course_enrolment"
                                     " WHERE course_id = ?1")))
            goto fail;
        sqlite3_bind_int64(st, 1, c.id);
        n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_reset(st);
        if (n < 0)
            goto fail;
        rc = ZX_EDATA;
        if (n >= c.capacity) {
            zx_diag_add(diag, "", 0, -1, "课程 %s 名额已满（%ld 人）", c.code,
                        c.capacity);
            goto fail;
        }
    }
    rc = ZX_EDB;
    now_utc(at);
    if (!(st = zx_db_prepare(db, "INSERT INTO course_enrolment(course_id,"
                                 " teacher_id, enrolled_at)"
                                 " VALUES (?1, ?2, ?3)")))
        goto fail;
    sqlite3_bind_int64(st, 1, c.id);
    sqlite3_bind_int64(st, 2, tid);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
    snprintf(key, sizeof(key), "%s/%s", c.code, no);
    if ((rc = zx_train_step_done(st)) ||
        (rc = zx_train_audit(db, actor, "insert", "course_enrolment", key,
                             NULL, json_pack("{s:s}", "enrolled_at", at))) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;

fail:
    if (began)
        zx_db_rollback(db);
    return rc;
}

int zx_training_withdraw(zx_db *db, const char *course, const char *teacher,
                         const char *actor, zx_diag *diag)
{
    struct zx_train_course c;
    char no[64], tname[256], key[160], at[32] = "";
    long long tid = 0;
    int rc, is_rural, step, began = 0;
    sqlite3_stmt *st;

    if ((rc = zx_db_begin(db)))
        return rc;
    began = 1;
    /* rurality does not matter here: an empty list of codes */
    if ((rc = enrol_parties(db, "[]", course, teacher, &c, no, &tid,
                            &is_rural, tname, sizeof(tname), diag)))
        goto fail;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "SELECT enrolled_at, EXISTS (SELECT 1 FROM"
                                 " training_record WHERE course_id = ?1"
                                 " AND teacher_id = ?2) FROM course_enrolment"
                                 " WHERE course_id = ?1 AND teacher_id = ?2")))
        goto fail;
    sqlite3_bind_int64(st, 1, c.id);
    sqlite3_bind_int64(st, 2, tid);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(at, sizeof(at), "%s", sqlite3_column_text(st, 0));
        rc = sqlite3_column_int(st, 1) ? ZX_EDATA : ZX_OK;
    } else if (step == SQLITE_DONE) {
        rc = ZX_ENOTFOUND;
    }
    sqlite3_reset(st);
    if (rc == ZX_ENOTFOUND)
        zx_diag_add(diag, "", 0, -1, "教师 %s（%s）没有选修课程 %s", no, tname,
                    c.code);
    else if (rc == ZX_EDATA)
        zx_diag_add(diag, "", 0, -1, "教师 %s（%s）已有课程 %s 的结业记录，"
                    "不能退选", no, tname, c.code);
    if (rc)
        goto fail;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "DELETE FROM course_enrolment"
                                 " WHERE course_id = ?1 AND teacher_id = ?2")))
        goto fail;
    sqlite3_bind_int64(st, 1, c.id);
    sqlite3_bind_int64(st, 2, tid);
    snprintf(key, sizeof(key), "%s/%s", c.code, no);
    if ((rc = zx_train_step_done(st)) ||
        (rc = zx_train_audit(db, actor, "delete", "course_enrolment", key,
                             json_pack("{s:s}", "enrolled_at", at), NULL)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;

fail:
    if (began)
        zx_db_rollback(db);
    return rc;
}
