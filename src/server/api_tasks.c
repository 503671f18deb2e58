/*
 * api_tasks.c - supervising the plan's tasks: where each unit stands, its
 * progress notes and its evidence files (/api/tasks, /api/evidence).
 *
 * Everything is read and written through tasks.h, exactly as `zhenxing
 * tasks` and `zhenxing task` do; only the caller's sight is added here.
 * The units of a task are names, not registry ids (tasks.h), so sight is
 * judged by name in one place, unit_access: a town or a school is found
 * in the registry and judged by the caller's scope like any other data of
 * it; any other name (人事科, 市教育体育局) is an office, which belongs to
 * the city: seen by city-wide roles, changed by the administrator only.
 * A row out of sight is left out of every list and of every total, and
 * is answered 404 when asked for, as if it did not exist.
 */
#include "api.h"
#include "map.h"
#include "tasks.h"
#include "text.h"
#include "zx.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What a caller may do with a unit's rows (unit_access). */
enum { SEE = 1, WRITE = 2 };

/* English ids of the statuses, for the browser to test; by enum value. */
static const char *const status_ids[] = { "not_started", "in_progress",
                                          "done", "overdue" };

/* The status named s, in Chinese as tasks.h has it or by its English
 * id; -1 when neither. */
static int status_of(const char *s)
{
    int i;

    for (i = ZX_TASK_TODO; i <= ZX_TASK_OVERDUE; i++)
        if (strcmp(s, zx_tasks_status_name((enum zx_task_status)i)) == 0 ||
            strcmp(s, status_ids[i]) == 0)
            return i;
    return -1;
}

/* The status as shown: 逾期 when overdue. */
static enum zx_task_status shown(const zx_task_row *r)
{
    return r->overdue ? ZX_TASK_OVERDUE : r->status;
}

/* Today's local date, once per request: what counts as overdue must not
 * change between the listing and the deadline shown beside it. */
static void today(const zx_call *c, char out[11])
{
    time_t now = (time_t)c->now;
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- sight ---------------------------------------------------------------- */

/* What the caller may do with the rows of the task unit called name: 0,
 * SEE or SEE | WRITE; -1 on a database error.
 *
 * The name is looked up among the registry's towns and schools as the
 * registry compares names (normalised, as name_key holds them).  School
 * names are not unique across towns, and tasks.h keeps one row per name,
 * so a name several units share is the caller's when any of them is.  A
 * name found nowhere is an office, and is judged as the city unit.
 *
 * memo (may be NULL) keeps the answers of one request: a listing asks
 * about the same few hundred names for every task. */
static int unit_access(zx_call *c, zx_map *memo, const char *name)
{
    sqlite3_stmt *st;
    char key[256];
    long long v, id, city = 0;
    int access = 0, found = 0, step;

    if (memo && zx_map_get(memo, name, &v))
        return (int)v;
    /* the registry keeps no name this long (registry.c); an office then */
    if (strlen(name) >= sizeof(key))
        key[0] = '\0';
    else
        zx_text_norm(name, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    st = zx_db_prepare(c->db, "SELECT id, 0 FROM org_unit"
                              " WHERE kind IN ('town', 'school')"
                              " AND name_key = ?1"
                              " UNION ALL SELECT id, 1 FROM org_unit"
                              " WHERE kind = 'city'");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_int(st, 1)) {
            city = id;
            continue;
        }
        found = 1;
        access |= zx_scope_sees(c->scope, id) ? SEE : 0;
        access |= zx_scope_writes(c->scope, id) ? WRITE : 0;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return -1;
    if (!found && city)
        access = (zx_scope_sees(c->scope, city) ? SEE : 0) |
                 (zx_scope_writes(c->scope, city) ? WRITE : 0);
    /* a memo that cannot grow costs only another look next time */
    if (memo)
        zx_map_put(memo, name, access);
    return access;
}

/* The task :id of the call and, in *name (malloc'd, the caller frees),
 * the unit typed for it as tasks.h stores it, with what the caller may
 * do there in *access.  NULL after answering: 404 for no such task, no
 * such unit of it or a unit out of sight (the last two alike, so that
 * the answer names nothing the caller does not see), 500 on an error. */
static const zx_task *target(zx_call *c, const char *typed, char **name,
                             int *access)
{
    zx_diag *d = zx_diag_new();
    const zx_task *t = NULL;
    int rc;

    *name = NULL;
    if (!d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return NULL;
    }
    if (!(t = zx_tasks_find(c->plan, c->params[0], d))) {
        zx_api_diag(c, 404, "not_found", NULL, d);
        goto out;
    }
    rc = zx_tasks_find_unit(c->db, t, typed, name, d);
    if (rc == ZX_OK && (*access = unit_access(c, NULL, *name)) < 0)
        rc = ZX_EDB;
    if (rc == ZX_ENOTFOUND || (rc == ZX_OK && !(*access & SEE))) {
        zx_api_error(c, 404, "not_found", "任务“%s”的承担单位中没有“%s”",
                     t->id, typed);
        rc = ZX_ENOTFOUND;
    } else if (rc) {
        zx_api_fail(c, rc, NULL);
    }
    if (rc) {
        free(*name);
        *name = NULL;
        t = NULL;
    }
out:
    zx_diag_free(d);
    return t;
}

/* ---- JSON ----------------------------------------------------------------- */

/* What a row is in every answer: the unit and where it stands. */
static json_t *row_json(const zx_task_row *r, int access)
{
    enum zx_task_status s = shown(r);

    return json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?, s:b}",
                     "unit", r->unit, "lead", r->lead, "status",
                     status_ids[s], "status_name", zx_tasks_status_name(s),
                     "recorded_status", status_ids[r->status],
                     "recorded_status_name", zx_tasks_status_name(r->status),
                     "overdue", r->overdue, "updated_at", r->updated_at,
                     "updated_by", r->updated_by, "writable",
                     (access & WRITE) != 0);
}

/* A row of the listing: the row with its task and its counts. */
static json_t *item_json(const zx_task_row *r, int access)
{
    json_t *o = row_json(r, access);

    if (o && json_object_update_new(
                 o, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s?}", "task",
                              r->task->id, "clause", r->task->clause, "name",
                              r->task->name, "deadline", r->task->deadline,
                              "notes", (json_int_t)r->notes, "files",
                              (json_int_t)r->files, "last_note",
                              r->last_note))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *note_json(const zx_task_note *n)
{
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)n->id, "at",
                     n->at, "author", n->author, "text", n->text);
}

static json_t *file_json(const zx_task_file *f)
{
    char url[96];

    snprintf(url, sizeof(url), "/api/evidence/%s", f->sha256);
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)f->id, "name", f->name, "sha256", f->sha256,
                     "size", (json_int_t)f->size, "mime", f->mime, "at",
                     f->at, "author", f->author, "url", url);
}

/* {"未启动": n, "推进中": n, "已完成": n, "逾期": n} */
static json_t *counts_json(const long long counts[4])
{
    return json_pack("{s:I, s:I, s:I, s:I}",
                     zx_tasks_status_name(ZX_TASK_TODO),
                     (json_int_t)counts[ZX_TASK_TODO],
                     zx_tasks_status_name(ZX_TASK_DOING),
                     (json_int_t)counts[ZX_TASK_DOING],
                     zx_tasks_status_name(ZX_TASK_DONE),
                     (json_int_t)counts[ZX_TASK_DONE],
                     zx_tasks_status_name(ZX_TASK_OVERDUE),
                     (json_int_t)counts[ZX_TASK_OVERDUE]);
}

/* ---- GET /api/tasks --------------------------------------------------------- */

struct listing {
    zx_call *c;
    zx_map *memo;
    int want;                  /* status shown asked for, or -1 */
    json_t *items;
    zx_api_pager page;
    long long counts[4];       /* by status shown, whatever is asked for */
};

static int list_row(void *ctx, const zx_task_row *r)
{
    struct listing *l = ctx;
    int access = unit_access(l->c, l->memo, r->unit);
    enum zx_task_status s = shown(r);

    if (access < 0)
        return ZX_EDB;
    if (!(access & SEE))
        return 0;
    l->counts[s]++;
    if (l->want >= 0 && (int)s != l->want)
        return 0;
    if (!zx_api_pager_take(&l->page))
        return 0;
    return json_array_append_new(l->items, item_json(r, access)) ? ZX_ENOMEM
                                                                  : 0;
}

/* The (task, unit) rows in sight, overdue first, one page of them, with
 * the totals by status of every row the other filters select: the status
 * filter is applied here rather than in zx_tasks_list so that the
 * dashboard's counts stay whole while it shows one status. */
static void list_tasks(zx_call *c)
{
    const char *task = zx_http_query(c->req, "task");
    const char *unit = zx_http_query(c->req, "unit");
    const char *status = zx_http_query(c->req, "status");
    struct listing l;
    zx_tasks_filter f;
    zx_diag *d = NULL;
    json_t *j;
    char day[11];
    long long off, lim;
    int rc;

    memset(&l, 0, sizeof(l));
    if (!zx_api_need_plan(c) || zx_api_page(c, &off, &lim))
        return;
    l.want = -1;
    if (status && *status && (l.want = status_of(status)) < 0) {
        zx_api_error(c, 400, "bad_parameter", "status 的值“%s”无效：应为 未启动、"
                     "推进中、已完成 或 逾期", status);
        return;
    }
    memset(&f, 0, sizeof(f));
    today(c, day);
    f.today = day;
    f.unit = unit && *unit ? unit : NULL;
    if (task && *task) {
        const zx_task *t;

        if (!(d = zx_diag_new())) {
            zx_api_fail(c, ZX_ENOMEM, NULL);
            return;
        }
        t = zx_tasks_find(c->plan, task, d);
        if (!t) {
            zx_api_diag(c, 404, "not_found", NULL, d);
            zx_diag_free(d);
            return;
        }
        zx_diag_free(d);
        f.task_id = t->id;
    }
    l.c = c;
    l.page.offset = off;
    l.page.limit = lim;
    l.items = json_array();
    l.memo = zx_map_new();
    if (!l.items || !l.memo) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    if ((rc = zx_tasks_list(c->db, c->plan, &f, list_row, &l)))
        goto fail;
    zx_map_free(l.memo);
    j = zx_api_list_json(l.items, l.page.total, off, lim);
    if (j && json_object_set_new(j, "counts", counts_json(l.counts))) {
        json_decref(j);
        j = NULL;
    }
    zx_api_json(c, 200, j);
    return;

fail:
    zx_map_free(l.memo);
    json_decref(l.items);
    zx_api_fail(c, rc, NULL);
}

/* ---- GET /api/tasks/:id ----------------------------------------------------- */

struct detail {
    zx_call *c;
    zx_map *memo;
    json_t *units;             /* the rows in sight, in listing order */
    json_t *by_name;           /* unit name -> its object in units */
    long long counts[4];
};

static int detail_row(void *ctx, const zx_task_row *r)
{
    struct detail *d = ctx;
    int access = unit_access(d->c, d->memo, r->unit);
    json_t *o;

    if (access < 0)
        return ZX_EDB;
    if (!(access & SEE))
        return 0;
    d->counts[shown(r)]++;
    o = row_json(r, access);
    if (json_array_append_new(d->units, o) ||
        json_object_set_new(o, "notes", json_array()) ||
        json_object_set_new(o, "files", json_array()) ||
        json_object_set(d->by_name, r->unit, o))
        return ZX_ENOMEM;
    return 0;
}

/* Notes and files are listed once for the whole task and filed under
 * their unit's row; one of a unit without a row here (out of sight, or
 * no longer answering for the task since the plan changed) is left out. */
static int detail_note(void *ctx, const zx_task_note *n)
{
    struct detail *d = ctx;
    json_t *o = json_object_get(d->by_name, n->unit);

    if (!o)
        return 0;
    return json_array_append_new(json_object_get(o, "notes"), note_json(n))
               ? ZX_ENOMEM : 0;
}

static int detail_file(void *ctx, const zx_task_file *f)
{
    struct detail *d = ctx;
    json_t *o = json_object_get(d->by_name, f->unit);

    if (!o)
        return 0;
    return json_array_append_new(json_object_get(o, "files"), file_json(f))
               ? ZX_ENOMEM : 0;
}

/* The task as the plan has it, as `zhenxing task show` prints it. */
static json_t *task_json(const zx_plan *plan, const zx_task *t,
                         const char *day)
{
    const zx_goal *g = t->goal ? zx_plan_goal(plan, t->goal) : NULL;
    json_t *inds = json_array();
    int i;

    for (i = 0; i < t->nindicators; i++) {
        const zx_indicator *ind = zx_plan_indicator(plan, t->indicators[i]);

        json_array_append_new(inds, json_pack("{s:s, s:s?}", "id",
                                              t->indicators[i], "name",
                                              ind ? ind->name : NULL));
    }
    return json_pack("{s:s, s:s, s:o, s:s, s:s?, s:o, s:s, s:b, s:s?, s:o}",
                     "id", t->id, "clause", t->clause, "goal",
                     g ? json_pack("{s:s, s:s, s:s}", "id", g->id, "clause",
                                   g->clause, "name", g->name)
                       : json_null(),
                     "name", t->name, "lead", t->lead, "responsible",
                     zx_api_strings(t->responsible, t->nresponsible), "deadline",
                     t->deadline, "past_deadline",
                     strcmp(t->deadline, day) < 0, "evidence", t->evidence,
                     "indicators", inds);
}

static void show_task(zx_call *c)
{
    const char *typed = zx_http_query(c->req, "unit");
    struct detail d;
    zx_tasks_filter f;
    zx_diag *diag;
    const zx_task *t;
    char *unit = NULL, day[11];
    json_t *j = NULL;
    int access, rc;

    memset(&d, 0, sizeof(d));
    if (!zx_api_need_plan(c))
        return;
    if (typed && *typed) {
        /* one unit: out of sight is as unknown */
        if (!(t = target(c, typed, &unit, &access)))
            return;
    } else {
        if (!(diag = zx_diag_new())) {
            zx_api_fail(c, ZX_ENOMEM, NULL);
            return;
        }
        if (!(t = zx_tasks_find(c->plan, c->params[0], diag)))
            zx_api_diag(c, 404, "not_found", NULL, diag);
        zx_diag_free(diag);
        if (!t)
            return;
    }
    today(c, day);
    memset(&f, 0, sizeof(f));
    f.task_id = t->id;
    f.unit = unit;
    f.today = day;
    d.c = c;
    d.units = json_array();
    d.by_name = json_object();
    d.memo = zx_map_new();
    rc = ZX_ENOMEM;
    if (!d.units || !d.by_name || !d.memo)
        goto out;
    if ((rc = zx_tasks_list(c->db, c->plan, &f, detail_row, &d)) ||
        (rc = zx_tasks_notes(c->db, c->plan, t->id, unit, detail_note, &d)) ||
        (rc = zx_tasks_files(c->db, c->plan, t->id, unit, detail_file, &d)))
        goto out;
    rc = ZX_ENOMEM;
    if (!(j = task_json(c->plan, t, day)) ||
        json_object_set(j, "units", d.units) ||
        json_object_set_new(j, "counts", counts_json(d.counts)))
        goto out;
    zx_api_json(c, 200, j);
    j = NULL;
    rc = ZX_OK;
out:
    if (rc)
        zx_api_fail(c, rc, NULL);
    json_decref(j);
    json_decref(d.units);
    json_decref(d.by_name);
    zx_map_free(d.memo);
    free(unit);
}

/* ---- changes ---------------------------------------------------------------- */

/* The row of (t, unit) as the listing gives it, after a change. */
struct after {
    int access;
    json_t *row;
};

static int after_row(void *ctx, const zx_task_row *r)
{
    struct after *a = ctx;

    json_decref(a->row);
    a->row = item_json(r, a->access);
    return a->row ? 0 : ZX_ENOMEM;
}

/* Answers {"ok": true, "row": ROW} plus, when not NULL, the field
 * extra_name: extra (stolen). */
static void answer_after(zx_call *c, const zx_task *t, const char *unit,
                         int access, const char *extra_name, json_t *extra)
{
    struct after a = { access, NULL };
    zx_tasks_filter f;
    char day[11];
    json_t *j;
    int rc;

    memset(&f, 0, sizeof(f));
    today(c, day);
    f.task_id = t->id;
    f.unit = unit;
    f.today = day;
    if ((rc = zx_tasks_list(c->db, c->plan, &f, after_row, &a))) {
        json_decref(a.row);
        json_decref(extra);
        zx_api_fail(c, rc, NULL);
        return;
    }
    j = json_pack("{s:b, s:o}", "ok", 1, "row",
                  a.row ? a.row : json_null());
    if (j && extra_name && json_object_set_new(j, extra_name, extra)) {
        json_decref(j);
        j = NULL;
    } else if (!j) {
        json_decref(extra);
    }
    zx_api_json(c, 200, j);
}

/* Text field name of b in *out (NULL when absent or null).  Returns 0,
 * or -1 after answering 400 for a value that is not text. */
static int text_field(zx_call *c, json_t *b, const char *name,
                      const char **out)
{
    json_t *v = json_object_get(b, name);

    *out = json_is_string(v) ? json_string_value(v) : NULL;
    if (!v || json_is_null(v) || *out)
        return 0;
    zx_api_error(c, 400, "invalid", "字段 %s 应为文字", name);
    return -1;
}

/* Body {"unit", "status"?, "note"?}: a new status and/or a progress note
 * for one unit of the task, as `zhenxing task update`.  The status may be
 * given in Chinese or by its English id. */
static void post_progress(zx_call *c)
{
    json_t *b = zx_api_body(c);
    zx_diag *d = zx_diag_new();
    const char *unit, *status, *note;
    const zx_task *t;
    char *name = NULL;
    int access, rc, s;

    if (!b)
        goto out;
    if (!d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if (!zx_api_need_plan(c) || text_field(c, b, "unit", &unit) ||
        text_field(c, b, "status", &status) ||
        text_field(c, b, "note", &note))
        goto out;
    if (!unit || !*unit) {
        zx_api_error(c, 400, "invalid", "需要指定承担单位（unit）");
        goto out;
    }
    if (!(t = target(c, unit, &name, &access)))
        goto out;
    if (!(access & WRITE)) {
        zx_api_error(c, 403, "forbidden", "您无权修改该单位的任务进展");
        goto out;
    }
    /* an English id becomes the Chinese name tasks.h takes; anything
     * else goes as given, for tasks.h to explain what is wrong with it */
    if (status && (s = status_of(status)) >= 0)
        status = zx_tasks_status_name(s);
    rc = zx_tasks_update(c->db, c->plan, t->id, name, status, note, c->actor,
                         d);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        answer_after(c, t, name, access, NULL, NULL);
out:
    free(name);
    zx_diag_free(d);
    json_decref(b);
}

/* The attachment just made: the newest of the unit's files with the
 * hash, as stored (the name cut to its last component). */
struct stored {
    const char *sha;
    json_t *file;
};

static int stored_file(void *ctx, const zx_task_file *f)
{
    struct stored *s = ctx;

    if (strcmp(f->sha256, s->sha) != 0)
        return 0;
    json_decref(s->file);
    s->file = file_json(f);
    return s->file ? 0 : ZX_ENOMEM;
}

/* multipart/form-data with the fields "unit" and "file": one evidence
 * file for one unit of the task, as `zhenxing task attach`. */
static void post_evidence(zx_call *c)
{
    const zx_http_part *unit = zx_http_part_get(c->req, "unit");
    const zx_http_part *file = zx_http_part_get(c->req, "file");
    struct stored s = { NULL, NULL };
    zx_diag *d = NULL;
    const zx_task *t;
    char *name = NULL, sha[65];
    int access, rc;

    if (!zx_api_need_plan(c))
        return;
    if (!unit || !*unit->data || !file || !file->filename) {
        zx_api_error(c, 400, "invalid", "请以 multipart/form-data 上传：字段 "
                     "unit 为承担单位，字段 file 为佐证文件");
        return;
    }
    if (!(t = target(c, unit->data, &name, &access)))
        return;
    if (!(access & WRITE)) {
        zx_api_error(c, 403, "forbidden", "您无权为该单位上传佐证材料");
        goto out;
    }
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    rc = zx_tasks_add_evidence(c->db, c->plan, t->id, name, file->filename,
                               file->data, file->len, c->actor, sha, d);
    if (rc == ZX_EINVAL && file->len > ZX_TASKS_FILE_MAX)
        zx_api_diag(c, 413, "too_large", NULL, d);
    else if (rc == ZX_EFORMAT)
        zx_api_diag(c, 415, "unsupported_type", NULL, d);
    else if (rc == ZX_EINVAL)
        zx_api_diag(c, 422, "invalid_file", NULL, d);
    else if (rc)
        zx_api_fail(c, rc, d);
    if (rc)
        goto out;
    s.sha = sha;
    if ((rc = zx_tasks_files(c->db, c->plan, t->id, name, stored_file, &s))) {
        json_decref(s.file);
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    answer_after(c, t, name, access, "file", s.file ? s.file : json_null());
out:
    zx_diag_free(d);
    free(name);
}

/* ---- GET /api/evidence/:sha --------------------------------------------- */

/* The file with that SHA-256, under the name it was attached with, when
 * at least one of its attachments belongs to a unit in sight; 404 in
 * every other case. */
static void get_evidence(zx_call *c)
{
    const char *p = c->params[0];
    sqlite3_stmt *st;
    char sha[65], *name = NULL, *mime = NULL;
    void *data = NULL;
    size_t len = 0, i;
    int access, step, rc = ZX_ENOTFOUND;

    for (i = 0; i < 64 && isxdigit((unsigned char)p[i]); i++)
        sha[i] = (char)tolower((unsigned char)p[i]);
    sha[i] = '\0';
    if (i < 64 || p[i]) {
        zx_api_not_found(c, "佐证文件");
        return;
    }
    st = zx_db_prepare(c->db, "SELECT unit, name FROM task_evidence"
                              " WHERE sha256 = ?1 ORDER BY id");
    if (!st) {
        zx_api_fail(c, ZX_EDB, NULL);
        return;
    }
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        access = unit_access(c, NULL,
                             (const char *)sqlite3_column_text(st, 0));
        if (access < 0) {
            rc = ZX_EDB;
            break;
        }
        if (access & SEE) {
            name = strdup((const char *)sqlite3_column_text(st, 1));
            rc = name ? ZX_OK : ZX_ENOMEM;
            break;
        }
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_reset(st);
    if (rc == ZX_OK)
        rc = zx_tasks_get_evidence(c->db, sha, &data, &len, &mime);
    if (rc == ZX_EDATA)
        zx_api_error(c, 500, "corrupt", "佐证文件“%s”已损坏：内容与 SHA-256 "
                     "不符", name);
    else if (rc == ZX_ENOTFOUND)
        zx_api_not_found(c, "佐证文件");
    else if (rc)
        zx_api_fail(c, rc, NULL);
    if (!rc) {
        /* the stored type is not a static string, as the response's type
         * must be: it goes as a header, which the layer copies */
        zx_api_bytes(c, data, len, NULL, name);
        zx_http_resp_header(c->resp, "Content-Type", mime);
    }
    free(mime);
    free(name);
}

const zx_route zx_api_tasks_routes[] = {
    { "GET", "/api/tasks", ZX_ROLE_ANY, list_tasks, ZX_ROUTE_CACHED },
    { "GET", "/api/tasks/:id", ZX_ROLE_ANY, show_task, ZX_ROUTE_CACHED },
    { "POST", "/api/tasks/:id/progress",
      ZX_ROLE_ADMIN | ZX_ROLE_TOWN | ZX_ROLE_SCHOOL, post_progress, 0 },
    { "POST", "/api/tasks/:id/evidence",
      ZX_ROLE_ADMIN | ZX_ROLE_TOWN | ZX_ROLE_SCHOOL, post_evidence, 0 },
    { "GET", "/api/evidence/:sha", ZX_ROLE_ANY, get_evidence, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
