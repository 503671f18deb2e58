/*
 * tasks.c - task supervision (see tasks.h).
 *
 * Writes go through zx_db_prepare's cached statements.  The listings call
 * back into the caller once per row while their query is still stepping,
 * so each prepares a statement of its own: a callback that calls another
 * zx_tasks function (task show lists notes inside the row listing) must
 * not find the listing's statement reset under it.
 */
#include "tasks.h"
#include "audit.h"
#include "map.h"
#include "text.h"
#include "zx.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

static const char *const status_names[] = { "未启动", "推进中", "已完成",
                                             "逾期" };

#define NSTATUS ((int)(sizeof(status_names) / sizeof(status_names[0])))

const char *zx_tasks_status_name(enum zx_task_status s)
{
    return (int)s >= 0 && (int)s < NSTATUS ? status_names[s] : "";
}

int zx_tasks_status_parse(const char *name)
{
    int i;

    for (i = 0; i < NSTATUS; i++)
        if (strcmp(name, status_names[i]) == 0)
            return i;
    return -1;
}

/* ---- expanding the responsible units ---- */

/* The plan's words for "every unit of a kind", and the registry query
 * listing those units. */
static const struct group {
    const char *name;
    const char *sql;
} groups[] = {
    { "各区镇", "SELECT name FROM org_unit WHERE kind = 'town' ORDER BY code" },
    { "各学校", "SELECT o.name FROM org_unit o JOIN school s"
                " ON s.unit_id = o.id ORDER BY o.code" },
    /* 办学类型 111 幼儿园, 119 附设幼儿班 */
    { "各幼儿园", "SELECT o.name FROM org_unit o JOIN school s"
                  " ON s.unit_id = o.id WHERE s.type_code IN (111, 119)"
                  " ORDER BY o.code" },
    /* 2xx 小学, 3xx 中学 (九年一贯制 and 完全中学 included) */
    { "各中小学", "SELECT o.name FROM org_unit o JOIN school s"
                  " ON s.unit_id = o.id WHERE s.type_code BETWEEN 200 AND 399"
                  " ORDER BY o.code" },
};

static const struct group *find_group(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
        if (strcmp(groups[i].name, name) == 0)
            return &groups[i];
    return NULL;
}

/* Names gathered in order, each once: NUL-terminated one after another. */
struct names {
    char *buf;
    size_t len, cap;
    int n;
    zx_map *seen;
};

static int names_add(struct names *a, const char *s)
{
    size_t l = strlen(s) + 1;
    long long at;

    if (!*s || zx_map_get(a->seen, s, &at))
        return ZX_OK;
    if (a->len + l > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        char *buf;

        while (cap < a->len + l)
            cap *= 2;
        if (!(buf = realloc(a->buf, cap)))
            return ZX_ENOMEM;
        a->buf = buf;
        a->cap = cap;
    }
    if (zx_map_put(a->seen, s, a->n) < 0)
        return ZX_ENOMEM;
    memcpy(a->buf + a->len, s, l);
    a->len += l;
    a->n++;
    return ZX_OK;
}

/* Appends the units one entry of a task's responsible list stands for. */
static int expand(zx_db *db, const char *entry, struct names *a)
{
    const struct group *g = find_group(entry);
    sqlite3_stmt *st;
    int rc = ZX_OK, step = SQLITE_DONE;

    if (!g)
        return names_add(a, entry);
    if (!(st = zx_db_prepare(db, g->sql)))
        return ZX_EDB;
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = names_add(a, (const char *)sqlite3_column_text(st, 0));
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_reset(st);
    return rc;
}

int zx_tasks_units(zx_db *db, const zx_task *t, const char ***names, int *n)
{
    struct names a = { NULL, 0, 0, 0, NULL };
    const char **block;
    char *p;
    int rc = ZX_ENOMEM, i;

    *names = NULL;
    *n = 0;
    if (!(a.seen = zx_map_new()))
        goto fail;
    rc = t->lead ? names_add(&a, t->lead) : ZX_OK;
    for (i = 0; rc == ZX_OK && i < t->nresponsible; i++)
        rc = expand(db, t->responsible[i], &a);
    if (rc)
        goto fail;
    /* one block: the pointers, then the strings they point to */
    rc = ZX_ENOMEM;
    block = malloc((size_t)a.n * sizeof(*block) + a.len + 1);
    if (!block)
        goto fail;
    p = (char *)(block + a.n);
    if (a.len)
        memcpy(p, a.buf, a.len);
    for (i = 0; i < a.n; i++) {
        block[i] = p;
        p += strlen(p) + 1;
    }
    *names = block;
    *n = a.n;
    rc = ZX_OK;

fail:
    free(a.buf);
    zx_map_free(a.seen);
    return rc;
}

/* ---- finding the task and the unit a request is about ---- */

/* Unit names are compared as typed by hand: without spaces, full-width
 * letters and punctuation folded.  Longer names are compared exactly. */
#define UNIT_MAX 256

static int unit_key(const char *s, char key[UNIT_MAX])
{
    if (strlen(s) >= UNIT_MAX) {
        key[0] = '\0';
        return 0;
    }
    zx_text_norm(s, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    return key[0] != '\0';
}

/* Non-zero when name is the unit typed (key: unit_key of typed). */
static int unit_is(const char *typed, const char *key, const char *name)
{
    char k[UNIT_MAX];

    if (strcmp(typed, name) == 0)
        return 1;
    return *key && unit_key(name, k) && strcmp(key, k) == 0;
}

/* Appends to a message, dropping what does not fit at a character
 * boundary so that the message stays valid UTF-8. */
static void msg_add(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void msg_add(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf), end, lead, need;
    va_list ap;
    int w;

    if (n + 1 >= cap)
        return;
    va_start(ap, fmt);
    w = vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w < cap - n)
        return;
    end = strlen(buf);
    lead = end;
    while (lead > n && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == n || (unsigned char)buf[lead - 1] < 0x80)
        return;
    lead--;
    need = (unsigned char)buf[lead] >= 0xF0 ? 4
         : (unsigned char)buf[lead] >= 0xE0 ? 3 : 2;
    if (end - lead < need)
        buf[lead] = '\0';
}

/* Edit distance of two short ASCII ids; SIZE_MAX for long ones. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[65], i, j, diag, up;

    if (la > 64 || lb > 64)
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        d[j] = j;
    for (i = 1; i <= la; i++) {
        diag = d[0];
        d[0] = i;
        for (j = 1; j <= lb; j++) {
            up = d[j];
            d[j] = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < d[j])
                d[j] = up + 1;
            if (d[j - 1] + 1 < d[j])
                d[j] = d[j - 1] + 1;
            diag = up;
        }
    }
    return d[lb];
}

const zx_task *zx_tasks_find(const zx_plan *plan, const char *id,
                             zx_diag *diag)
{
    const zx_task *tasks, *best = NULL, *t = zx_plan_task(plan, id);
    size_t bestd = SIZE_MAX, d, limit = strlen(id) / 3;
    int n, i;

    if (t)
        return t;
    tasks = zx_plan_tasks(plan, &n);
    for (i = 0; i < n && bestd; i++) {
        /* a clause number is what a reader of the plan has at hand */
        d = strcmp(tasks[i].clause, id) == 0 ? 0 : distance(id, tasks[i].id);
        if (d < bestd) {
            bestd = d;
            best = &tasks[i];
        }
    }
    if (best && bestd <= (limit > 2 ? limit : 2))
        zx_diag_add(diag, "", 0, -1, "计划中没有编号为“%s”的任务；是否指“%s”"
                    "（%s %s）？", id, best->id, best->clause, best->name);
    else
        zx_diag_add(diag, "", 0, -1, "计划中没有编号为“%s”的任务", id);
    return NULL;
}

static void no_unit(zx_db *db, const zx_task *t, const char *const *units,
                    int nunits, const char *unit, zx_diag *diag)
{
    char msg[1000] = "", key[UNIT_MAX], k[UNIT_MAX];
    int i, j;

    msg_add(msg, sizeof(msg), "任务“%s”的承担单位中没有“%s”。", t->id, unit);
    /* a unit whose name contains what was typed, or the other way round */
    if (unit_key(unit, key))
        for (i = 0; i < nunits; i++)
            if (unit_key(units[i], k) && (strstr(k, key) || strstr(key, k))) {
                msg_add(msg, sizeof(msg), "是否指“%s”？", units[i]);
                break;
            }
    msg_add(msg, sizeof(msg), "牵头单位：%s；责任单位：",
            t->lead ? t->lead : "（未写明）");
    for (i = 0; i < t->nresponsible; i++) {
        const char *e = t->responsible[i];
        struct names a = { NULL, 0, 0, 0, NULL };
        const char *p;

        msg_add(msg, sizeof(msg), "%s%s", i ? "、" : "", e);
        if (!find_group(e) || !(a.seen = zx_map_new()) ||
            expand(db, e, &a) != ZX_OK) {
            zx_map_free(a.seen);
            free(a.buf);
            continue;
        }
        if (a.n == 0)
            msg_add(msg, sizeof(msg), "（登记中暂无）");
        else
            msg_add(msg, sizeof(msg), "（共 %d 个：", a.n);
        for (j = 0, p = a.buf; j < a.n && j < 4; j++, p += strlen(p) + 1)
            msg_add(msg, sizeof(msg), "%s%s", j ? "、" : "", p);
        if (a.n)
            msg_add(msg, sizeof(msg), "%s）", a.n > 4 ? "等" : "");
        zx_map_free(a.seen);
        free(a.buf);
    }
    zx_diag_add(diag, "", 0, -1, "%s", msg);
}

/* Index in units of the unit typed, or -1 after the explanation. */
static int match_unit(zx_db *db, const zx_task *t, const char *const *units,
                      int nunits, const char *typed, zx_diag *diag)
{
    char key[UNIT_MAX];
    int i;

    unit_key(typed, key);
    for (i = 0; i < nunits; i++)
        if (unit_is(typed, key, units[i]))
            return i;
    no_unit(db, t, units, nunits, typed, diag);
    return -1;
}

int zx_tasks_find_unit(zx_db *db, const zx_task *t, const char *typed,
                       char **name, zx_diag *diag)
{
    const char **units = NULL;
    int n, i, rc;

    *name = NULL;
    if ((rc = zx_tasks_units(db, t, &units, &n)))
        return rc;
    if ((i = match_unit(db, t, units, n, typed, diag)) < 0)
        rc = ZX_ENOTFOUND;
    else if (!(*name = strdup(units[i])))
        rc = ZX_ENOMEM;
    free(units);
    return rc;
}

/* A (task, unit) a change is about. */
struct target {
    const zx_task *task;
    const char **units;     /* zx_tasks_units block */
    int nunits;
    const char *unit;       /* the unit's name as stored, inside units */
};

/* Fills t; the caller frees t->units in every case. */
static int resolve(zx_db *db, const zx_plan *plan, const char *task_id,
                   const char *unit, struct target *t, zx_diag *diag)
{
    int rc, i;

    if (!(t->task = zx_tasks_find(plan, task_id, diag)))
        return ZX_ENOTFOUND;
    if ((rc = zx_tasks_units(db, t->task, &t->units, &t->nunits)))
        return rc;
    if ((i = match_unit(db, t->task, t->units, t->nunits, unit, diag)) < 0)
        return ZX_ENOTFOUND;
    t->unit = t->units[i];
    return ZX_OK;
}

/* ---- writing ---- */

static void now_utc(char at[32])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(at, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Appends an audit entry; takes the references of old and new_. */
static int audit(zx_db *db, const char *actor, const char *action,
                 const char *tbl, const char *key, json_t *old, json_t *new_)
{
    /* a NULL new value is a failed allocation of the caller's */
    int rc = new_ ? zx_audit_append_json(db, actor, action, tbl, key, old,
                                         new_)
                  : ZX_ENOMEM;

    json_decref(old);
    json_decref(new_);
    return rc;
}

static int put_status(zx_db *db, const zx_plan *plan, const struct target *t,
                      int status, const char *actor, const char *at)
{
    const char *plan_id = zx_plan_id(plan);
    sqlite3_stmt *st;
    json_t *was = NULL;
    char *key = NULL;
    int old = -1, rc = ZX_EDB;

    st = zx_db_prepare(db, "SELECT status FROM task_progress WHERE"
                           " plan_id = ?1 AND task_id = ?2 AND unit = ?3");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->task->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->unit, -1, SQLITE_STATIC);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        old = zx_tasks_status_parse((const char *)sqlite3_column_text(st, 0));
        break;
    case SQLITE_DONE:
        break;
    default:
        sqlite3_reset(st);
        return ZX_EDB;
    }
    sqlite3_reset(st);
    /* no record is 未启动: setting that again is no change either */
    if (status == (old < 0 ? ZX_TASK_TODO : old))
        return ZX_OK;

    st = zx_db_prepare(db, "INSERT INTO task_progress(plan_id, task_id, unit,"
                           " status, updated_at, updated_by)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                           " ON CONFLICT (plan_id, task_id, unit) DO UPDATE"
                           " SET status = excluded.status,"
                           " updated_at = excluded.updated_at,"
                           " updated_by = excluded.updated_by");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->task->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, status_names[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    rc = ZX_ENOMEM;
    if (asprintf(&key, "%s/%s/%s", plan_id, t->task->id, t->unit) < 0) {
        key = NULL;
        goto fail;
    }
    if (old >= 0 && !(was = json_pack("{s:s}", "status", status_names[old])))
        goto fail;
    rc = audit(db, actor, old < 0 ? "insert" : "update", "task_progress", key,
               was, json_pack("{s:s}", "status", status_names[status]));
    was = NULL;

fail:
    json_decref(was);
    free(key);
    return rc;
}

static int put_note(zx_db *db, const zx_plan *plan, const struct target *t,
                    const char *text, const char *actor, const char *at)
{
    sqlite3_stmt *st;
    char key[24];

    st = zx_db_prepare(db, "INSERT INTO task_note(plan_id, task_id, unit, at,"
                           " author, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, zx_plan_id(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->task->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(db)));
    return audit(db, actor, "insert", "task_note", key, NULL,
                 json_pack("{s:s, s:s, s:s, s:s}", "plan", zx_plan_id(plan),
                           "task", t->task->id, "unit", t->unit, "text",
                           text));
}

static int check_note(const char *text, zx_diag *diag)
{
    size_t len = strlen(text), chars = 0, i;
    int blank = 1;

    if (!zx_utf8_valid(text, len)) {
        zx_diag_add(diag, "", 0, -1, "进展说明不是有效的 UTF-8 文字");
        return ZX_EINVAL;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if ((c & 0xC0) != 0x80)
            chars++;
        if (!strchr(" \t\r\n", c))
            blank = 0;
    }
    if (blank) {
        zx_diag_add(diag, "", 0, -1, "进展说明不能为空");
        return ZX_EINVAL;
    }
    if (chars > ZX_TASKS_NOTE_MAX) {
        zx_diag_add(diag, "", 0, -1, "进展说明过长：%zu 字，最多 %d 字",
                    chars, ZX_TASKS_NOTE_MAX);
        return ZX_EINVAL;
    }
    return ZX_OK;
}

int zx_tasks_update(zx_db *db, const zx_plan *plan, const char *task_id,
                    const char *unit, const char *status, const char *note,
                    const char *actor, zx_diag *diag)
{
    struct target t = { NULL, NULL, 0, NULL };
    char at[32];
    int rc = ZX_EINVAL, st = -1, in_tx = 0;

    if (!status && !note) {
        zx_diag_add(diag, "", 0, -1, "需要指定新的状态或进展说明");
        goto fail;
    }
    if (status && (st = zx_tasks_status_parse(status)) == ZX_TASK_OVERDUE) {
        zx_diag_add(diag, "", 0, -1, "“逾期”由截止日期自动判定，不能手工设置；"
                    "可设置的状态为 未启动、推进中、已完成");
        goto fail;
    }
    if (status && st < 0) {
        zx_diag_add(diag, "", 0, -1, "状态“%s”无效：应为 未启动、推进中 或 "
                    "已完成", status);
        goto fail;
    }
    if (note && (rc = check_note(note, diag)))
        goto fail;
    if ((rc = resolve(db, plan, task_id, unit, &t, diag)))
        goto fail;
    now_utc(at);
    if ((rc = zx_db_begin(db)))
        goto fail;
    in_tx = 1;
    if (status && (rc = put_status(db, plan, &t, st, actor, at)))
        goto fail;
    if (note && (rc = put_note(db, plan, &t, note, actor, at)))
        goto fail;
    if ((rc = zx_db_commit(db)))
        goto fail;
    in_tx = 0;

fail:
    if (in_tx)
        zx_db_rollback(db);
    free(t.units);
    return rc;
}

int zx_tasks_set_status(zx_db *db, const zx_plan *plan, const char *task_id,
                        const char *unit, const char *status,
                        const char *actor, zx_diag *diag)
{
    if (!status) {
        zx_diag_add(diag, "", 0, -1, "需要指定新的状态");
        return ZX_EINVAL;
    }
    return zx_tasks_update(db, plan, task_id, unit, status, NULL, actor,
                           diag);
}

int zx_tasks_add_note(zx_db *db, const zx_plan *plan, const char *task_id,
                      const char *unit, const char *text, const char *actor,
                      zx_diag *diag)
{
    if (!text) {
        zx_diag_add(diag, "", 0, -1, "进展说明不能为空");
        return ZX_EINVAL;
    }
    return zx_tasks_update(db, plan, task_id, unit, NULL, text, actor, diag);
}

/* ---- evidence files ---- */

/* Word, Excel and PowerPoint 2007+ files are ZIP archives; what tells them
 * from any other archive (which could carry a program) is their main
 * part. */
static const char *ooxml_type(const void *data, size_t len)
{
    static const struct {
        const char *part, *mime;
    } parts[] = {
        { "word/document.xml", "application/vnd.openxmlformats-"
                               "officedocument.wordprocessingml.document" },
        { "xl/workbook.xml", "application/vnd.openxmlformats-"
                             "officedocument.spreadsheetml.sheet" },
        { "ppt/presentation.xml", "application/vnd.openxmlformats-"
                                  "officedocument.presentationml."
                                  "presentation" },
    };
    const char *mime = NULL;
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za;
    size_t i;

    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(data, len, 0, &ze)))
        goto fail;
    if (!(za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
        zip_source_free(src);
        goto fail;
    }
    if (zip_name_locate(za, "[Content_Types].xml", 0) >= 0)
        for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && !mime; i++)
            if (zip_name_locate(za, parts[i].part, 0) >= 0)
                mime = parts[i].mime;
    zip_discard(za);

fail:
    zip_error_fini(&ze);
    return mime;
}

/* Non-zero when the 128-byte compound-file directory entry e names a
 * stream called name (UTF-16LE, length in bytes with the terminator). */
static int ole_stream(const unsigned char *e, const char *name)
{
    size_t n = strlen(name), i;

    if ((size_t)(e[64] | e[65] << 8) != 2 * (n + 1) || e[66] != 2)
        return 0;
    for (i = 0; i < n; i++)
        if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
            return 0;
    return 1;
}

/* Word and Excel 97-2003 files are OLE compound files, as are installer
 * packages (.msi); the document is known by its main stream.  Directory
 * entries sit at multiples of 128 bytes (sectors are 512 or 4096 bytes
 * after a 512-byte header), so scanning those is enough without following
 * the sector chains. */
static const char *ole_type(const unsigned char *p, size_t len)
{
    size_t off;

    for (off = 512; off + 128 <= len; off += 128) {
        if (ole_stream(p + off, "WordDocument"))
            return "application/msword";
        if (ole_stream(p + off, "Workbook") || ole_stream(p + off, "Book"))
            return "application/vnd.ms-excel";
    }
    return NULL;
}

/* UTF-8 text: no NUL or other control characters than tab, line breaks
 * and form feed, which no binary file avoids for long. */
static const char *text_type(const unsigned char *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (p[i] < 0x20 && !strchr("\t\n\r\f", p[i]))
            return NULL;
    return zx_utf8_valid((const char *)p, len) ? "text/plain; charset=utf-8"
                                                : NULL;
}

const char *zx_tasks_file_type(const void *data, size_t len)
{
    static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                          0x1A, '\n' };
    static const unsigned char ole[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1,
                                          0x1A, 0xE1 };
    const unsigned char *p = data;

    if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return "application/pdf";
    if (len >= 8 && memcmp(p, png, 8) == 0)
        return "image/png";
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return "image/jpeg";
    if (len >= 4 && memcmp(p, "PK\3\4", 4) == 0)
        return ooxml_type(data, len);
    if (len >= 8 && memcmp(p, ole, 8) == 0)
        return ole_type(p, len);
    return text_type(p, len);
}

/* The last component of a path as a browser or a shell may give it. */
static const char *base_name(const char *name)
{
    const char *s = name, *p;

    for (p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            s = p + 1;
    return s;
}

static int check_file(const char *base, size_t len, const char **mime,
                      const void *data, zx_diag *diag)
{
    size_t n = strlen(base), i;

    for (i = 0; i < n && (unsigned char)base[i] >= 0x20; i++)
        ;
    if (n == 0 || n > 255 || i < n || !zx_utf8_valid(base, n)) {
        zx_diag_add(diag, "", 0, -1, "佐证文件的文件名无效（须为不超过 255 "
                    "字节的 UTF-8 文字）");
        return ZX_EINVAL;
    }
    if (len == 0) {
        zx_diag_add(diag, "", 0, -1, "文件“%s”是空文件", base);
        return ZX_EINVAL;
    }
    if (len > ZX_TASKS_FILE_MAX) {
        zx_diag_add(diag, "", 0, -1, "文件“%s”过大（%.1f MB）：单个佐证文件"
                    "不能超过 %d MB", base, (double)len / (1024 * 1024),
                    ZX_TASKS_FILE_MAX / (1024 * 1024));
        return ZX_EINVAL;
    }
    if (!(*mime = zx_tasks_file_type(data, len))) {
        zx_diag_add(diag, "", 0, -1, "文件“%s”的类型不被接受：佐证材料只能是 "
                    "PDF、PNG 或 JPEG 图片、Word/Excel/PowerPoint 文档（docx、"
                    "xlsx、pptx，或 97-2003 版的 doc、xls）或 UTF-8 纯文本",
                    base);
        return ZX_EFORMAT;
    }
    return ZX_OK;
}

int zx_tasks_add_evidence(zx_db *db, const zx_plan *plan,
                          const char *task_id, const char *unit,
                          const char *name, const void *data, size_t len,
                          const char *actor, char sha_out[65], zx_diag *diag)
{
    struct target t = { NULL, NULL, 0, NULL };
    unsigned char h[crypto_hash_sha256_BYTES];
    const char *base = base_name(name), *mime = NULL;
    char at[32], key[24];
    sqlite3_stmt *st;
    int rc, in_tx = 0, fresh;

    sha_out[0] = '\0';
    if ((rc = resolve(db, plan, task_id, unit, &t, diag)) ||
        (rc = check_file(base, len, &mime, data, diag)))
        goto fail;
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(sha_out, 65, h, sizeof(h));
    now_utc(at);

    if ((rc = zx_db_begin(db)))
        goto fail;
    in_tx = 1;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "INSERT OR IGNORE INTO evidence_blob(sha256, size,"
                           " mime, data) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, sha_out, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
    sqlite3_bind_text(st, 3, mime, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 4, data, len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    fresh = sqlite3_changes(zx_db_sqlite(db)) > 0;
    sqlite3_reset(st);

    st = zx_db_prepare(db, "INSERT INTO task_evidence(plan_id, task_id, unit,"
                           " sha256, name, at, author)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, zx_plan_id(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t.task->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t.unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sha_out, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, base, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, actor, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(db)));
    rc = audit(db, actor, "insert", "task_evidence", key, NULL,
               json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "plan",
                         zx_plan_id(plan), "task", t.task->id, "unit", t.unit,
                         "name", base, "sha256", sha_out, "size",
                         (json_int_t)len, "mime", mime, "new_blob", fresh));
    if (rc || (rc = zx_db_commit(db)))
        goto fail;
    in_tx = 0;

fail:
    if (in_tx)
        zx_db_rollback(db);
    if (rc)
        sha_out[0] = '\0';
    free(t.units);
    return rc;
}

/* Lowercases a hash or hash prefix of min..64 hex digits into out;
 * returns its length, or 0 when it is not one. */
static size_t hex_key(const char *s, size_t min, char out[65])
{
    size_t n = strlen(s), i;

    if (n < min || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return 0;
        out[i] = (char)tolower((unsigned char)s[i]);
    }
    out[n] = '\0';
    return n;
}

int zx_tasks_find_evidence(zx_db *db, const char *prefix, char sha_out[65])
{
    char lo[65], hi[66];
    sqlite3_stmt *st;
    size_t n;
    int rows = 0, step;

    sha_out[0] = '\0';
    if (!(n = hex_key(prefix, 8, lo)))
        return ZX_EINVAL;
    /* every hash starting with lo sorts before lo followed by 'g' */
    memcpy(hi, lo, n);
    hi[n] = 'g';
    hi[n + 1] = '\0';
    st = zx_db_prepare(db, "SELECT sha256 FROM evidence_blob WHERE"
                           " sha256 >= ?1 AND sha256 < ?2 ORDER BY sha256"
                           " LIMIT 2");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (rows++ == 0)
            snprintf(sha_out, 65, "%s", (const char *)sqlite3_column_text(st,
                                                                        0));
    sqlite3_reset(st);
    if (step != SQLITE_DONE || rows != 1)
        sha_out[0] = '\0';
    return step != SQLITE_DONE ? ZX_EDB
         : rows == 0           ? ZX_ENOTFOUND
         : rows > 1            ? ZX_EEXIST
                               : ZX_OK;
}

int zx_tasks_get_evidence(zx_db *db, const char *sha, void **data,
                          size_t *len, char **mime)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char key[65], hex[65];
    sqlite3_stmt *st;
    const void *blob;
    unsigned char *buf = NULL;
    char *m = NULL;
    size_t n = 0;
    int rc = ZX_EINVAL, step;

    *data = NULL;
    *len = 0;
    if (mime)
        *mime = NULL;
    if (!hex_key(sha, 64, key))
        return ZX_EINVAL;
    if (!(st = zx_db_prepare(db, "SELECT data, mime FROM evidence_blob"
                                 " WHERE sha256 = ?1")))
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    rc = step == SQLITE_DONE ? ZX_ENOTFOUND : ZX_EDB;
    if (step != SQLITE_ROW)
        goto fail;
    rc = ZX_ENOMEM;
    blob = sqlite3_column_blob(st, 0);
    n = (size_t)sqlite3_column_bytes(st, 0);
    if (!(buf = malloc(n ? n : 1)) ||
        !(m = strdup((const char *)sqlite3_column_text(st, 1))))
        goto fail;
    if (n)
        memcpy(buf, blob, n);
    crypto_hash_sha256(h, buf, n);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    rc = strcmp(hex, key) == 0 ? ZX_OK : ZX_EDATA;

fail:
    sqlite3_reset(st);
    if (rc) {
        free(buf);
        free(m);
        return rc;
    }
    *data = buf;
    *len = n;
    if (mime)
        *mime = m;
    else
        free(m);
    return ZX_OK;
}

/* ---- listing ---- */

static void today_local(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

struct order {
    const char *deadline;
    int i;
};

static int by_deadline(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    int c = strcmp(x->deadline, y->deadline);

    return c ? c : (x->i > y->i) - (x->i < y->i);
}

struct listing {
    const zx_tasks_filter *f;
    char key[UNIT_MAX];     /* the filter's unit, normalised */
    int want;               /* status shown, or -1 for any */
    sqlite3_stmt *st;
    const char *plan_id;
    zx_task_row_fn fn;
    void *ctx;
};

/* Reports (t, unit) when it belongs to this pass (overdue rows in the
 * first, the others in the second) and passes the status filter. */
static int emit(struct listing *l, const zx_task *t, const char *unit,
                int past, int pass)
{
    sqlite3_stmt *st = l->st;
    zx_task_row r;
    int rc = ZX_OK, s;

    sqlite3_bind_text(st, 1, l->plan_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return ZX_EDB;
    }
    s = sqlite3_column_type(st, 0) == SQLITE_NULL ? ZX_TASK_TODO
        : zx_tasks_status_parse((const char *)sqlite3_column_text(st, 0));
    r.task = t;
    r.unit = unit;
    r.lead = t->lead && strcmp(unit, t->lead) == 0;
    r.status = s < 0 ? ZX_TASK_TODO : (enum zx_task_status)s;
    r.overdue = past && r.status != ZX_TASK_DONE;
    r.updated_at = (const char *)sqlite3_column_text(st, 1);
    r.updated_by = (const char *)sqlite3_column_text(st, 2);
    r.notes = (long)sqlite3_column_int64(st, 3);
    r.last_note = (const char *)sqlite3_column_text(st, 4);
    r.files = (long)sqlite3_column_int64(st, 5);
    if (r.overdue == (pass == 0) &&
        (l->want < 0 ||
         l->want == (r.overdue ? ZX_TASK_OVERDUE : (int)r.status)))
        rc = l->fn(l->ctx, &r);
    sqlite3_reset(st);
    return rc;
}

int zx_tasks_list(zx_db *db, const zx_plan *plan,
                  const zx_tasks_filter *filter, zx_task_row_fn fn,
                  void *ctx)
{
    static const zx_tasks_filter all;
    struct listing l;
    const zx_task *tasks;
    struct order *ord = NULL;
    const char ***units = NULL;
    int *nunits = NULL;
    char today[11];
    int ntasks, i, k, u, pass, first, last, rc = ZX_ENOMEM;

    memset(&l, 0, sizeof(l));
    l.f = filter ? filter : &all;
    l.want = -1;
    if (l.f->status && (l.want = zx_tasks_status_parse(l.f->status)) < 0)
        return ZX_EINVAL;
    if (l.f->unit)
        unit_key(l.f->unit, l.key);
    if (l.f->today)
        snprintf(today, sizeof(today), "%s", l.f->today);
    else
        today_local(today);
    l.plan_id = zx_plan_id(plan);
    l.fn = fn;
    l.ctx = ctx;

    tasks = zx_plan_tasks(plan, &ntasks);
    ord = calloc((size_t)ntasks + 1, sizeof(*ord));
    units = calloc((size_t)ntasks + 1, sizeof(*units));
    nunits = calloc((size_t)ntasks + 1, sizeof(*nunits));
    if (!ord || !units || !nunits)
        goto fail;
    for (i = 0; i < ntasks; i++) {
        ord[i].deadline = tasks[i].deadline;
        ord[i].i = i;
    }
    qsort(ord, (size_t)ntasks, sizeof(*ord), by_deadline);

    rc = ZX_EDB;
    if (sqlite3_prepare_v2(zx_db_sqlite(db),
            "SELECT p.status, p.updated_at, p.updated_by,"
            " (SELECT count(*) FROM task_note n WHERE n.plan_id = ?1"
            "   AND n.task_id = ?2 AND n.unit = ?3),"
            " (SELECT text FROM task_note n WHERE n.plan_id = ?1"
            "   AND n.task_id = ?2 AND n.unit = ?3 ORDER BY n.id DESC"
            "   LIMIT 1),"
            " (SELECT count(*) FROM task_evidence e WHERE e.plan_id = ?1"
            "   AND e.task_id = ?2 AND e.unit = ?3)"
            " FROM (SELECT 1) LEFT JOIN task_progress p ON p.plan_id = ?1"
            "   AND p.task_id = ?2 AND p.unit = ?3",
            -1, &l.st, NULL) != SQLITE_OK)
        goto fail;

    /* Two passes rather than a sort of all rows: overdue rows, then the
     * rest, each in deadline order.  Nothing but the current row is held
     * in memory, however many schools answer for "各学校". */
    first = l.want >= 0 && l.want != ZX_TASK_OVERDUE;
    last = l.want == ZX_TASK_OVERDUE ? 0 : 1;
    rc = ZX_OK;
    for (pass = first; pass <= last && !rc; pass++) {
        for (k = 0; k < ntasks && !rc; k++) {
            const zx_task *t = &tasks[ord[k].i];
            int past = strcmp(t->deadline, today) < 0;

            if (l.f->task_id && strcmp(l.f->task_id, t->id) != 0)
                continue;
            if (pass == 0 && !past)
                continue;
            i = ord[k].i;
            if (!units[i] && (rc = zx_tasks_units(db, t, &units[i],
                                                  &nunits[i])))
                break;
            for (u = 0; u < nunits[i] && !rc; u++)
                if (!l.f->unit || unit_is(l.f->unit, l.key, units[i][u]))
                    rc = emit(&l, t, units[i][u], past, pass);
        }
    }

fail:
    sqlite3_finalize(l.st);
    if (units)
        for (i = 0; i < ntasks; i++)
            free(units[i]);
    free(units);
    free(nunits);
    free(ord);
    return rc;
}

int zx_tasks_notes(zx_db *db, const zx_plan *plan, const char *task_id,
                   const char *unit,
                   int (*fn)(void *ctx, const zx_task_note *n), void *ctx)
{
    sqlite3_stmt *st = NULL;
    zx_task_note n;
    int rc = ZX_EDB, step = SQLITE_DONE;

    if (sqlite3_prepare_v2(zx_db_sqlite(db),
                           "SELECT id, unit, at, author, text FROM task_note"
                           " WHERE plan_id = ?1 AND task_id = ?2"
                           " AND (?3 IS NULL OR unit = ?3) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, zx_plan_id(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
    if (unit)
        sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
    rc = ZX_OK;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        n.id = sqlite3_column_int64(st, 0);
        n.unit = (const char *)sqlite3_column_text(st, 1);
        n.at = (const char *)sqlite3_column_text(st, 2);
        n.author = (const char *)sqlite3_column_text(st, 3);
        n.text = (const char *)sqlite3_column_text(st, 4);
        rc = fn(ctx, &n);
    }
    if (!rc && step != SQLITE_DONE)
        rc = ZX_EDB;

fail:
    sqlite3_finalize(st);
    return rc;
}

int zx_tasks_files(zx_db *db, const zx_plan *plan, const char *task_id,
                   const char *unit,
                   int (*fn)(void *ctx, const zx_task_file *f), void *ctx)
{
    sqlite3_stmt *st = NULL;
    zx_task_file f;
    int rc = ZX_EDB, step = SQLITE_DONE;

    if (sqlite3_prepare_v2(zx_db_sqlite(db),
                           "SELECT e.id, e.unit, e.name, e.sha256, b.mime,"
                           " e.at, e.author, b.size FROM task_evidence e"
                           " JOIN evidence_blob b ON b.sha256 = e.sha256"
                           " WHERE e.plan_id = ?1 AND e.task_id = ?2"
                           " AND (?3 IS NULL OR e.unit = ?3) ORDER BY e.id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, zx_plan_id(plan), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
    if (unit)
        sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
    rc = ZX_OK;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        f.id = sqlite3_column_int64(st, 0);
        f.unit = (const char *)sqlite3_column_text(st, 1);
        f.name = (const char *)sqlite3_column_text(st, 2);
        f.sha256 = (const char *)sqlite3_column_text(st, 3);
        f.mime = (const char *)sqlite3_column_text(st, 4);
        f.at = (const char *)sqlite3_column_text(st, 5);
        f.author = (const char *)sqlite3_column_text(st, 6);
        f.size = sqlite3_column_int64(st, 7);
        rc = fn(ctx, &f);
    }
    if (!rc && step != SQLITE_DONE)
        rc = ZX_EDB;

fail:
    sqlite3_finalize(st);
    return rc;
}
