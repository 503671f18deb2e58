/*
 * trainrec.c - the completions of the training ledger (see training.h):
 * zx_training_record (one completion), zx_training_import (a sheet of
 * them) and zx_training_entries (a teacher's records).
 *
 * A completion goes through one checker (resolve) and one writer
 * (write_entry) whether it comes from `record` or from a row of an
 * import, so both refuse the same things with the same words; only where
 * a problem is reported differs (struct place).  The import runs, as
 * valimport.c's does, through zx_ingest_run: one transaction, rows
 * written while the file is clean and checked to the end, so that every
 * problem is reported and any of them rolls everything back.  It needs
 * no writer thread: a row costs a few indexed reads and one write.
 */
#include "trainint.h"
#include "ingest.h"
#include "map.h"
#include "sheetdef.h"
#include "text.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- completions: one checker, one writer ----------------------------- */

/* The fields of a completion, in the order of the import's columns. */
enum { F_TEACHER, F_CODE, F_NAME, F_HOURS, F_DAY, F_SPECIAL, NF };

static const zx_coldef sheet_cols[NF] = {
    { "teacher_no", "教师编号", "工号|teacher_id", 1, ZX_COL_TEXT, NULL, 0,
      0, 32, -1, "须为已导入的教师" },
    { "course_code", "课程编号", "课程代码", 0, ZX_COL_TEXT, NULL, 0, 0, 32,
      -1, "课程目录中的课程；目录外的培训留空" },
    { "course_name", "课程名称", "培训项目|培训名称", 0, ZX_COL_TEXT, NULL, 0,
      0, 100, 0, "目录外的培训必填；填了课程编号时可空" },
    { "hours", "学时", "培训学时", 0, ZX_COL_DEC, NULL, 0,
      ZX_TRAINING_MAX_HOURS, 0, 0, "目录外的培训必填；目录中的课程空为课程学时" },
    { "done_on", "完成日期", "结业日期|培训日期", 1, ZX_COL_TEXT, NULL, 0, 0,
      0, 0, "如 2020-09-01" },
    { "special", "专项培训", "计入180学时|是否专项培训", 0, ZX_COL_CODE,
      "yesno", 0, 0, 0, 0, "目录外的培训必填（是/否）；目录中的课程可空" },
};

static const zx_sheetdef sheet = { "training_record", "培训记录", sheet_cols,
                                   NF, "教师编号 + 课程 + 完成日期" };

/* What a checker shares across the completions it sees. */
struct ledger {
    zx_db *db;
    char rural[128];           /* zx_train_rural_json of the plan */
    char today[11];
    /* import: hours per "teacher/course" checked but not written (the file
     * went bad before them), in hundredths; NULL for one record */
    zx_map *pending;
};

/* Where a problem is reported: a row of a file, or nowhere in particular
 * (pos NULL: one record). */
struct place {
    zx_diag *diag;
    const char *file;
    long row;
    const int *pos;            /* file column per field */
};

static void say(const struct place *p, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(const struct place *p, int field, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    zx_diag_add(p->diag, p->file, p->row, p->pos ? p->pos[field] : -1, "%s",
                buf);
}

/* A completion as given, normalised. */
struct raw {
    const char *teacher;
    const char *course;        /* code, or NULL */
    const char *name;          /* or NULL */
    int has_hours;
    double hours;
    const char *day;
    int day_kind;              /* zx_cell_kind of the day's cell */
    int special;               /* -1: not given */
};

/* A completion checked, ready to write. */
struct entry {
    const char *teacher;       /* the number */
    long long teacher_id;
    int has_course;
    struct zx_train_course c;
    const char *name;          /* what training_record.course holds */
    double hours;
    char day[11];
    int special;
    /* the record of the same teacher, course and day, if any */
    long long old_id;
    double old_hours;
    int old_special;
};

/* The record of e's teacher, course and day into e->old_*. */
static int find_record(zx_db *db, struct entry *e)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT id, hours, special"
                                         " FROM training_record"
                                         " WHERE teacher_id = ?1"
                                         " AND coalesce(course_id, course) = ?2"
                                         " AND done_on = ?3");
    int step;

    e->old_id = 0;
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, e->teacher_id);
    if (e->has_course)
        sqlite3_bind_int64(st, 2, e->c.id);
    else
        sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->day, -1, SQLITE_STATIC);
    if ((step = sqlite3_step(st)) == SQLITE_ROW) {
        e->old_id = sqlite3_column_int64(st, 0);
        e->old_hours = sqlite3_column_double(st, 1);
        e->old_special = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* Hours e's teacher has from e's course besides the record e replaces,
 * and besides rows of the import not written. */
static int course_hours(struct ledger *L, const struct entry *e, double *sum)
{
    sqlite3_stmt *st = zx_db_prepare(L->db, "SELECT total(hours)"
                                            " FROM training_record"
                                            " WHERE teacher_id = ?1"
                                            " AND course_id = ?2"
                                            " AND done_on <> ?3");
    char key[64];
    long long cents;
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, e->teacher_id);
    sqlite3_bind_int64(st, 2, e->c.id);
    sqlite3_bind_text(st, 3, e->day, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    *sum = step == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW)
        return ZX_EDB;
    snprintf(key, sizeof(key), "%lld/%lld", e->teacher_id, e->c.id);
    if (L->pending && zx_map_get(L->pending, key, &cents))
        *sum += (double)cents / 100;
    return ZX_OK;
}

/* Checks r into *e, reporting every problem at p.  Returns ZX_OK;
 * ZX_ENOTFOUND (an unknown teacher or course) or ZX_EDATA, reported;
 * ZX_EDB. */
static int resolve(struct ledger *L, const struct place *p,
                   const struct raw *r, struct entry *e)
{
    int rc, bad = 0, notfound = 0, day_ok = 0, rural, yes;
    double sum;

    memset(e, 0, sizeof(*e));
    e->teacher = r->teacher;
    rc = zx_train_find_teacher(L->db, L->rural, r->teacher, &e->teacher_id,
                               &rural, NULL, 0);
    if (rc == ZX_ENOTFOUND) {
        say(p, F_TEACHER, "教师编号“%s”不存在，请先导入该教师", r->teacher);
        notfound = 1;
    } else if (rc) {
        return rc;
    }
    if (zx_train_parse_day(r->day, r->day_kind, e->day)) {
        say(p, F_DAY, "“完成日期”无法识别“%s”，请写成 2020-09-01 或 "
            "2020年9月1日", r->day);
        bad = 1;
    } else if (strcmp(e->day, L->today) > 0) {
        say(p, F_DAY, "“完成日期”为 %s，晚于今天（%s）", e->day, L->today);
        bad = 1;
    } else {
        day_ok = 1;
    }
    if (r->has_hours && !(r->hours > 0)) {
        say(p, F_HOURS, "“学时”须大于 0");
        bad = 1;
    }

    if (r->course) {
        rc = zx_train_find_course(L->db, r->course, &e->c);
        if (rc == ZX_ENOTFOUND) {
            say(p, F_CODE, "课程编号“%s”不在课程目录中（zhenxing training "
                "courses 列出全部课程）", r->course);
            notfound = 1;
        } else if (rc) {
            return rc;
        }
    }
    if (r->course && rc == ZX_OK) {
        e->has_course = 1;
        e->name = e->c.name;
        e->special = e->c.special;
        e->hours = r->has_hours ? r->hours : e->c.hours;
        if (r->name && strcmp(r->name, e->c.name) != 0) {
            say(p, F_NAME, "课程名称“%s”与课程编号 %s 的名称“%s”不符",
                r->name, e->c.code, e->c.name);
            bad = 1;
        }
        if (r->special >= 0 && r->special != e->c.special) {
            say(p, F_SPECIAL, "课程 %s 是%s，“专项培训”应为“%s”或留空",
                e->c.code, e->c.special ? "专项培训" : "继续教育课程",
                e->c.special ? "是" : "否");
            bad = 1;
        }
        if (r->has_hours && r->hours > e->c.hours + ZX_TRAIN_EPS) {
            say(p, F_HOURS, "学时 %g 超过课程 %s 的 %g 学时", r->hours,
                e->c.code, e->c.hours);
            bad = 1;
        }
        if (day_ok && strcmp(e->day, e->c.starts_on) < 0) {
            say(p, F_DAY, "完成日期 %s 早于课程 %s 的开课日期 %s", e->day,
                e->c.code, e->c.starts_on);
            bad = 1;
        }
        if (!notfound && !e->c.required) {
            if ((rc = zx_train_is_enrolled(L->db, e->c.id, e->teacher_id,
                                           &yes)))
                return rc;
            if (!yes) {
                say(p, F_CODE, "教师 %s 没有选修课程 %s：选修课程须先选课"
                    "（zhenxing training enrol）", r->teacher, e->c.code);
                bad = 1;
            }
        }
    } else if (!r->course) {
        e->name = r->name;
        e->hours = r->hours;
        e->special = r->special;
        if (!r->name) {
            say(p, F_NAME, "未填写课程编号时须填写“课程名称”");
            bad = 1;
        }
        if (!r->has_hours) {
            say(p, F_HOURS, "目录外的培训须填写“学时”");
            bad = 1;
        } else if (r->hours > ZX_TRAINING_MAX_HOURS) {
            say(p, F_HOURS, "学时 %g 超过单条记录的上限 %d", r->hours,
                ZX_TRAINING_MAX_HOURS);
            bad = 1;
        }
        if (r->special < 0) {
            say(p, F_SPECIAL, "目录外的培训须填写“专项培训”（是/否）");
            bad = 1;
        }
    }
    if (notfound)
        return ZX_ENOTFOUND;
    if (bad)
        return ZX_EDATA;
    if ((rc = find_record(L->db, e)))
        return rc;
    if (e->has_course) {
        if ((rc = course_hours(L, e, &sum)))
            return rc;
        if (sum + e->hours > e->c.hours + ZX_TRAIN_EPS) {
            say(p, F_HOURS, "教师 %s 在课程 %s 已记 %g 学时，加上本条 %g 学时"
                "超过课程的 %g 学时", r->teacher, e->c.code, sum, e->hours,
                e->c.hours);
            return ZX_EDATA;
        }
    }
    return ZX_OK;
}

static json_t *entry_json(const struct entry *e, double hours, int special)
{
    return json_pack("{s:s, s:s?, s:f, s:b}", "course", e->name,
                     "course_code", e->has_course ? e->c.code : NULL,
                     "hours", hours, "special", special);
}

/* Writes e (an insert, or an update of the record it keys), with its audit
 * entry unless it is an insert of an import (the import's own entry
 * covers those, as for the registry).  *change: zx_training_change. */
static int write_entry(zx_db *db, const struct entry *e, const char *actor,
                       int audit_insert, int *change)
{
    char key[768];
    sqlite3_stmt *st;
    int rc;

    *change = ZX_TRAINING_UNCHANGED;
    if (e->old_id && fabs(e->old_hours - e->hours) < ZX_TRAIN_EPS &&
        e->old_special == e->special)
        return ZX_OK;
    if (e->old_id) {
        st = zx_db_prepare(db, "UPDATE training_record SET hours = ?2,"
                               " special = ?3 WHERE id = ?1");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 1, e->old_id);
    } else {
        st = zx_db_prepare(db, "INSERT INTO training_record(teacher_id,"
                               " course, hours, done_on, special, course_id)"
                               " VALUES (?4, ?5, ?2, ?6, ?3, ?7)");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_int64(st, 4, e->teacher_id);
        sqlite3_bind_text(st, 5, e->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, e->day, -1, SQLITE_STATIC);
        if (e->has_course)
            sqlite3_bind_int64(st, 7, e->c.id);
    }
    sqlite3_bind_double(st, 2, e->hours);
    sqlite3_bind_int(st, 3, e->special);
    if ((rc = zx_train_step_done(st)))
        return rc;
    *change = e->old_id ? ZX_TRAINING_UPDATED : ZX_TRAINING_INSERTED;
    if (!e->old_id && !audit_insert)
        return ZX_OK;
    snprintf(key, sizeof(key), "%s/%s/%s", e->teacher,
             e->has_course ? e->c.code : e->name, e->day);
    return zx_train_audit(db, actor, e->old_id ? "update" : "insert",
                          "training_record", key,
                          e->old_id ? entry_json(e, e->old_hours,
                                                 e->old_special)
                                    : NULL,
                          entry_json(e, e->hours, e->special));
}

static int ledger_init(struct ledger *L, zx_db *db, const zx_plan *plan,
                       const char *today)
{
    memset(L, 0, sizeof(*L));
    L->db = db;
    zx_train_rural_json(plan, L->rural, sizeof(L->rural));
    if (today)
        snprintf(L->today, sizeof(L->today), "%s", today);
    else
        zx_train_today(L->today);
    return ZX_OK;
}

int zx_training_record(zx_db *db, const zx_plan *plan,
                       const zx_training_completion *c, const char *today,
                       const char *actor, zx_diag *diag)
{
    struct ledger L;
    struct place p = { diag, "", 0, NULL };
    struct raw r;
    struct entry e;
    char no[64], code[64], name[512];
    int rc, change, began = 0;

    ledger_init(&L, db, plan, today);
    memset(&r, 0, sizeof(r));
    if (!c->teacher || zx_train_norm(c->teacher, no, sizeof(no),
                                     ZX_NORM_PUNCT | ZX_NORM_SQUASH)) {
        zx_diag_add(diag, "", 0, -1, "教师编号过长");
        return ZX_EDATA;
    }
    r.teacher = no;
    if (c->course && (zx_train_norm(c->course, code, sizeof(code),
                                    ZX_NORM_PUNCT | ZX_NORM_SQUASH) ||
                      !*code)) {
        zx_diag_add(diag, "", 0, -1, "课程编号须为 1～32 个字母、数字、- 或 _");
        return ZX_EDATA;
    }
    r.course = c->course ? code : NULL;
    if (c->name && (zx_train_norm(c->name, name, sizeof(name), 0) ||
                    !*name || zx_text_chars(name) > 100)) {
        zx_diag_add(diag, "", 0, -1, "课程名称须为 1～100 个字");
        return ZX_EDATA;
    }
    r.name = c->name ? name : NULL;
    r.has_hours = c->hours != 0;
    r.hours = c->hours;
    r.day = c->done_on ? c->done_on : "";
    r.day_kind = ZX_CELL_TEXT;
    r.special = c->special < 0 ? -1 : c->special != 0;

    if ((rc = zx_db_begin(db)))
        return rc;
    began = 1;
    if ((rc = resolve(&L, &p, &r, &e)))
        goto fail;
    if (e.old_id) {
        zx_diag_add(diag, "", 0, -1, "已有教师 %s 在 %s 完成“%s”的记录（%g "
                    "学时）", no, e.day, e.name, e.old_hours);
        rc = ZX_EEXIST;
        goto fail;
    }
    if ((rc = write_entry(db, &e, actor, 1, &change)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;

fail:
    if (began)
        zx_db_rollback(db);
    return rc;
}

/* ---- the import ------------------------------------------------------ */

struct imp {
    struct ledger L;
    const char *name, *actor;
    zx_diag *diag;
    int pos[NF];               /* field -> file column, or -1 */
    char *text[NF];            /* normalised cells */
    size_t cap[NF];
    zx_cell v[NF];
    zx_map *seen;              /* record key -> first row */
    zx_ingest_counts n;
};

static int header(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;
    int bad = zx_ingest_header(&sheet, row, in->pos, in->name,
                               "培训记录表不认识这一列（应为 教师编号、"
                               "课程编号、课程名称、学时、完成日期、专项培训）",
                               in->diag);

    if (in->pos[F_CODE] < 0 && in->pos[F_NAME] < 0) {
        zx_diag_add(in->diag, in->name, row->line, -1,
                    "缺少表头“课程编号”或“课程名称”：至少要有其中一列");
        bad = ZX_INGEST_STOP_HEADER;
    }
    return bad;
}

/* Whether a cell holds nothing but spaces, as typed with an IME too
 * (the ideographic space, no-break space). */
static int is_blank(const char *s)
{
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
            s += 3;
        else if (strncmp(s, "\xc2\xa0", 2) == 0)
            s += 2;
        else
            return 0;
    }
    return 1;
}

/* Checks cell f of row into in->v[f]: 0, -1 (reported) or
 * ZX_INGEST_STOP_NOMEM. */
static int check_cell(struct imp *in, const zx_row *row, int f)
{
    int c = in->pos[f];
    const char *raw = c >= 0 && c < row->n ? row->cell[c] : "";
    int kind = c >= 0 && c < row->n ? row->kind[c] : ZX_CELL_TEXT;
    size_t len = strlen(raw);
    char err[768];

    if (len + 1 > in->cap[f]) {
        char *t = realloc(in->text[f], len + 64);
        if (!t)
            return ZX_INGEST_STOP_NOMEM;
        in->text[f] = t;
        in->cap[f] = len + 64;
    }
    /* no column is a month, so the current month (for months not in
     * the future) is not needed */
    if (zx_ingest_check(&sheet_cols[f], raw, kind, 0, in->text[f],
                        &in->v[f], err, sizeof(err))) {
        zx_diag_add(in->diag, in->name, row->line, c, "%s", err);
        return -1;
    }
    return 0;
}

static int data_row(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;
    struct place p = { in->diag, in->name, row->line, in->pos };
    struct raw r;
    struct entry e;
    char key[768];
    long long first, cents;
    int f, rc, bad = 0, change;

    /* a row of spaces is as blank as an empty one */
    for (f = 0; f < row->n && is_blank(row->cell[f]); f++)
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
    memset(&r, 0, sizeof(r));
    r.teacher = in->v[F_TEACHER].s;
    r.course = in->v[F_CODE].set ? in->v[F_CODE].s : NULL;
    r.name = in->v[F_NAME].set ? in->v[F_NAME].s : NULL;
    r.has_hours = in->v[F_HOURS].set;
    r.hours = in->v[F_HOURS].d;
    r.day = in->v[F_DAY].s;
    r.day_kind = in->pos[F_DAY] < row->n ? row->kind[in->pos[F_DAY]]
                                         : ZX_CELL_TEXT;
    r.special = !in->v[F_SPECIAL].set ? -1
                : strcmp(in->v[F_SPECIAL].code->name, "是") == 0;
    rc = resolve(&in->L, &p, &r, &e);
    if (rc == ZX_EDB)
        return ZX_INGEST_STOP_DB;
    if (rc) {
        in->n.bad++;
        return 0;
    }
    snprintf(key, sizeof(key), "%lld/%s/%s", e.teacher_id,
             e.has_course ? e.c.code : e.name, e.day);
    if (zx_map_get(in->seen, key, &first)) {
        say(&p, F_DAY, "与第 %lld 行重复：同一教师、课程和完成日期只能填写一次",
            first);
        in->n.bad++;
        return 0;
    }
    if (zx_map_put(in->seen, key, row->line))
        return ZX_INGEST_STOP_NOMEM;
    if (in->n.bad) {
        /* nothing more is written, but later rows of the same course are
         * still checked against these hours */
        if (e.has_course) {
            snprintf(key, sizeof(key), "%lld/%lld", e.teacher_id, e.c.id);
            if (!zx_map_get(in->L.pending, key, &cents))
                cents = 0;
            cents += llround((e.hours - (e.old_id ? e.old_hours : 0)) * 100);
            if (zx_map_put(in->L.pending, key, cents))
                return ZX_INGEST_STOP_NOMEM;
        }
        return 0;
    }
    if (write_entry(in->L.db, &e, in->actor, 0, &change)) {
        zx_diag_add(in->diag, in->name, row->line, -1, "数据库写入失败：%s",
                    zx_db_errmsg(in->L.db));
        return ZX_INGEST_STOP_DB;
    }
    if (change == ZX_TRAINING_INSERTED)
        in->n.inserted++;
    else if (change == ZX_TRAINING_UPDATED)
        in->n.updated++;
    else
        in->n.unchanged++;
    return 0;
}

static const zx_ingest_importer importer = {
    "training_record", header, data_row, NULL
};

int zx_training_import(zx_db *db, const zx_plan *plan, const char *path,
                       const char *name, int dry_run, const char *today,
                       const char *actor, zx_progress_fn progress,
                       void *pctx, zx_diag *diag,
                       zx_training_import_result *res)
{
    struct imp in;
    zx_ingest_job job = { .importer = &importer, .ctx = &in, .counts = &in.n,
                          .path = path, .name = name ? name : path,
                          .actor = actor, .dry_run = dry_run,
                          .progress = progress, .pctx = pctx, .diag = diag };
    int rc = ZX_ENOMEM, f;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    ledger_init(&in.L, db, plan, today);
    in.name = job.name;
    in.actor = actor;
    in.diag = diag;
    snprintf(res->format, sizeof(res->format), "%s", zx_ingest_format(path));
    if (!(in.seen = zx_map_new()) || !(in.L.pending = zx_map_new()))
        goto fail;
    rc = zx_ingest_run(db, &job);
    res->rows = in.n.rows;
    res->inserted = in.n.inserted;
    res->updated = in.n.updated;
    res->unchanged = in.n.unchanged;

fail:
    zx_map_free(in.seen);
    zx_map_free(in.L.pending);
    for (f = 0; f < NF; f++)
        free(in.text[f]);
    return rc;
}

int zx_training_entries(zx_db *db, const zx_plan *plan, const char *teacher,
                        int (*fn)(void *ctx, const zx_training_entry *e),
                        void *ctx)
{
    char no[64], first[11], last[11];
    zx_training_entry e;
    sqlite3_stmt *st;
    int rc = ZX_OK, step;

    if (zx_train_norm(teacher, no, sizeof(no),
                      ZX_NORM_PUNCT | ZX_NORM_SQUASH))
        return ZX_ENOTFOUND;
    if (!zx_db_int(db, "SELECT count(*) FROM teacher WHERE teacher_no = ?1",
                   no, 0))
        return ZX_ENOTFOUND;
    zx_training_window(plan, first, last);
    st = zx_train_own_stmt(db, "SELECT c.code, r.course, r.hours, r.done_on,"
                           " r.special FROM training_record r"
                           " JOIN teacher t ON t.id = r.teacher_id"
                           " LEFT JOIN course c ON c.id = r.course_id"
                           " WHERE t.teacher_no = ?1"
                           " ORDER BY r.done_on, r.id");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, no, -1, SQLITE_STATIC);
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        e.course_code = (const char *)sqlite3_column_text(st, 0);
        e.course = (const char *)sqlite3_column_text(st, 1);
        e.hours = sqlite3_column_double(st, 2);
        e.done_on = (const char *)sqlite3_column_text(st, 3);
        e.special = sqlite3_column_int(st, 4);
        e.counted = e.special && strcmp(e.done_on, first) >= 0 &&
                    strcmp(e.done_on, last) <= 0;
        rc = fn(ctx, &e);
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}
