/*
 * api.c - the helpers every handler answers with (see api.h).
 */
#include "api.h"
#include "map.h"
#include "codes.h"
#include "export.h"
#include "zx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

unsigned zx_api_role_bit(const char *role)
{
    static const char *const names[] = { "管理员", "区镇", "学校", "督学",
                                         "领导" };
    unsigned i;

    for (i = 0; role && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(role, names[i]) == 0)
            return 1u << i;
    return 0;
}

void zx_api_json(zx_call *c, int status, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;

    json_decref(j);
    free(c->resp->body);
    c->resp->status = s ? status : 500;
    c->resp->type = "application/json; charset=utf-8";
    if (!s)
        s = strdup("{\"error\":{\"code\":\"internal\","
                   "\"message\":\"服务器内存不足\"}}");
    c->resp->body = s;
    c->resp->len = s ? strlen(s) : 0;
}

void zx_api_ok(zx_call *c)
{
    zx_api_json(c, 200, json_pack("{s:b}", "ok", 1));
}

static json_t *error_object(const char *code, const char *message)
{
    return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
                     message);
}

void zx_api_error(zx_call *c, int status, const char *code, const char *fmt,
                  ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    zx_api_json(c, status, error_object(code, msg));
}

/* Spreadsheet problems are placed by row and column letter, text-file
 * problems by line and column number, as each kind of file is read. */
static json_t *diag_json(const char *code, const char *message,
                         const zx_diag *diag, int text)
{
    json_t *o, *details = json_array();
    size_t i, n = diag ? zx_diag_count(diag) : 0;

    for (i = 0; i < n; i++) {
        const zx_diag_item *it = zx_diag_get(diag, i);
        char col[8] = "";

        if (!it)
            continue;
        if (text) {
            json_array_append_new(
                details, json_pack("{s:s, s:I, s:i, s:s}", "file", it->file,
                                   "row", (json_int_t)it->row, "column",
                                   it->col + 1, "message", it->msg));
            continue;
        }
        if (it->col >= 0)
            zx_diag_colname(it->col, col);
        json_array_append_new(
            details, json_pack("{s:s, s:I, s:s, s:s}", "file", it->file,
                               "row", (json_int_t)it->row, "column", col,
                               "message", it->msg));
    }
    if (!message) {
        const zx_diag_item *first = n ? zx_diag_get(diag, 0) : NULL;

        message = first && first->msg ? first->msg : "请求无法完成";
    }
    o = error_object(code, message);
    if (o && n)
        json_object_set_new(json_object_get(o, "error"), "details", details);
    else
        json_decref(details);
    return o;
}

json_t *zx_api_diag_json(const char *code, const char *message,
                         const zx_diag *diag)
{
    return diag_json(code, message, diag, 0);
}

json_t *zx_api_diag_text_json(const char *code, const char *message,
                              const zx_diag *diag)
{
    return diag_json(code, message, diag, 1);
}

void zx_api_diag(zx_call *c, int status, const char *code,
                 const char *message, const zx_diag *diag)
{
    zx_api_json(c, status, zx_api_diag_json(code, message, diag));
}

void zx_api_fail(zx_call *c, int rc, const zx_diag *diag)
{
    switch (rc) {
    case ZX_ENOTFOUND:
        zx_api_diag(c, 404, "not_found", NULL, diag);
        break;
    case ZX_EINVAL:
        zx_api_diag(c, 400, "invalid", NULL, diag);
        break;
    case ZX_EDATA:
    case ZX_EFORMAT:
        zx_api_diag(c, 422, "invalid_data", NULL, diag);
        break;
    case ZX_EEXIST:
        zx_api_diag(c, 409, "conflict", NULL, diag);
        break;
    case ZX_ENOMEM:
        zx_api_error(c, 503, "no_memory", "服务器内存不足，请稍后再试");
        break;
    default:
        zx_api_error(c, 500, "internal", "服务器内部错误：%s",
                     c->db ? zx_db_errmsg(c->db) : "");
    }
}

void zx_api_not_found(zx_call *c, const char *what)
{
    zx_api_error(c, 404, "not_found", "未找到%s", what);
}

void zx_api_bytes(zx_call *c, char *data, size_t len, const char *type,
                  const char *filename)
{
    free(c->resp->body);
    c->resp->status = 200;
    c->resp->type = type;
    c->resp->body = data;
    c->resp->len = len;
    if (filename) {
        /* RFC 6266: an ASCII fallback, and the UTF-8 name percent-encoded */
        char h[1024];
        size_t o, i;

        o = (size_t)snprintf(h, sizeof(h),
                             "attachment; filename=\"download\"; "
                             "filename*=UTF-8''");
        for (i = 0; filename[i] && o + 4 < sizeof(h); i++) {
            unsigned char ch = (unsigned char)filename[i];

            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                (ch >= '0' && ch <= '9') || strchr("-._~", ch))
                h[o++] = (char)ch;
            else
                o += (size_t)snprintf(h + o, sizeof(h) - o, "%%%02X", ch);
        }
        h[o] = '\0';
        zx_http_resp_header(c->resp, "Content-Disposition", h);
    }
}

json_t *zx_api_body(zx_call *c)
{
    json_error_t err;
    json_t *j = json_loadb(c->req->body, c->req->body_len, 0, &err);

    if (!j || !json_is_object(j)) {
        json_decref(j);
        zx_api_error(c, 400, "bad_json",
                     "请求内容不是有效的 JSON 对象（第 %d 行第 %d 列）",
                     err.line, err.column);
        return NULL;
    }
    return j;
}

const char *zx_api_str(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

long long zx_api_query_int(zx_call *c, const char *name, long long def,
                           long long lo, long long hi, int *ok)
{
    const char *s = zx_http_query(c->req, name);
    char *end;
    long long v;

    if (!s || !*s)
        return def;
    v = strtoll(s, &end, 10);
    if (*end || v < lo || v > hi) {
        zx_api_error(c, 400, "bad_parameter",
                     "参数 %s 的值“%s”无效：应为 %lld～%lld 的整数", name, s,
                     lo, hi);
        *ok = 0;
        return 0;
    }
    return v;
}

int zx_api_body_year(zx_call *c, json_t *o, int def, int *year)
{
    json_t *y = json_object_get(o, "year");

    if (!y || json_is_null(y)) {
        *year = def;
        return 0;
    }
    if (!json_is_integer(y) || json_integer_value(y) < 1900 ||
        json_integer_value(y) > 2100) {
        zx_api_error(c, 400, "bad_parameter",
                     "year 应为 1900～2100 的整数年份");
        return -1;
    }
    *year = (int)json_integer_value(y);
    return 0;
}

int zx_api_page(zx_call *c, long long *offset, long long *limit)
{
    int ok = 1;
    long long page = zx_api_query_int(c, "page", 1, 1, 1000000000, &ok);
    long long size = ok ? zx_api_query_int(c, "size", 50, 1, 500, &ok) : 0;

    if (!ok)
        return -1;
    *offset = (page - 1) * size;
    *limit = size;
    return 0;
}

json_t *zx_api_list_json(json_t *items, long long total, long long offset,
                         long long limit)
{
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
                     (json_int_t)total, "page",
                     (json_int_t)(offset / limit + 1), "size",
                     (json_int_t)limit);
}

int zx_api_pager_take(zx_api_pager *p)
{
    return p->total++ >= p->offset && p->total <= p->offset + p->limit;
}

json_t *zx_api_strings(const char *const *v, int n)
{
    json_t *a = json_array();
    int i;

    for (i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

void zx_api_list(zx_call *c, json_t *items, long long total,
                 long long offset, long long limit)
{
    zx_api_json(c, 200, zx_api_list_json(items, total, offset, limit));
}

int zx_api_unit(zx_call *c, const char *code, long long *id, char *kind)
{
    sqlite3_stmt *st = zx_db_prepare(
        c->db, "SELECT id, kind FROM org_unit WHERE code = ?1"
               " UNION ALL SELECT id, kind FROM org_unit"
               " WHERE kind IN ('town', 'group') AND name = ?1 LIMIT 1");
    int found = 0;

    if (st && code) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            if (kind)
                snprintf(kind, 16, "%s",
                         (const char *)sqlite3_column_text(st, 1));
            found = 1;
        }
        sqlite3_reset(st);
    }
    if (!found || !c->scope || !zx_scope_sees(c->scope, *id)) {
        zx_api_error(c, 404, "not_found", "未找到单位“%s”",
                     code ? code : "");
        return -1;
    }
    return 0;
}

int zx_api_sees_all(zx_call *c)
{
    sqlite3_stmt *st;
    int all = 0;

    /* an inspector's unit is the city, but it sees its schools only */
    if (!c->scope || c->role == ZX_ROLE_INSPECTOR)
        return 0;
    st = zx_db_prepare(c->db, "SELECT kind = 'city' FROM org_unit"
                              " WHERE id = ?1");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, zx_scope_unit(c->scope));
    if (sqlite3_step(st) == SQLITE_ROW)
        all = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return all;
}

int zx_api_may_write(zx_call *c, long long unit_id)
{
    if (c->scope && zx_scope_writes(c->scope, unit_id))
        return 1;
    zx_api_error(c, 403, "forbidden", "您无权修改该单位的数据");
    return 0;
}

/* A private directory (mode 0700, under $TMPDIR or /tmp) for the one file
 * a request reads or writes: an upload or a generated workbook holds
 * personal data, and the exporters stage their output beside it, so
 * nothing of it should be readable by other local users even briefly. */
int zx_api_scratch_open(zx_call *c, zx_api_scratch *s, const char *leaf)
{
    const char *tmp = getenv("TMPDIR");
    int n;

    s->path[0] = '\0';
    if (!tmp || !*tmp)
        tmp = "/tmp";
    n = snprintf(s->dir, sizeof(s->dir), "%s/zhenxing-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof(s->dir) - 64 || !mkdtemp(s->dir)) {
        s->dir[0] = '\0';
        zx_api_error(c, 500, "internal", "无法创建临时文件：%s",
                     zx_export_strerror(errno));
        return -1;
    }
    snprintf(s->path, sizeof(s->path), "%s/%.60s", s->dir, leaf);
    return 0;
}

/* Removes the file and the directory; safe to call twice. */
void zx_api_scratch_close(zx_api_scratch *s)
{
    if (!s->dir[0])
        return;
    unlink(s->path);
    rmdir(s->dir);
    s->dir[0] = '\0';
}

/* Answers with the file at s->path, offered for download as filename.
 * The file is removed at once: the descriptor keeps it readable until
 * the HTTP layer has sent it (and closes it), so a big export is never
 * copied into memory and nothing is left behind. */
void zx_api_answer_file(zx_call *c, zx_api_scratch *s, const char *type,
                        const char *filename)
{
    int fd = open(s->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;

    zx_api_scratch_close(s);
    if (fd < 0 || fstat(fd, &sb)) {
        if (fd >= 0)
            close(fd);
        zx_api_error(c, 500, "internal", "无法读取生成的文件：%s",
                     zx_export_strerror(errno));
        return;
    }
    zx_api_bytes(c, NULL, 0, type, filename);
    c->resp->fd = fd;
    c->resp->fd_size = sb.st_size;
}

/* ---- shared by the teacher-development handlers and others ---------- */

int zx_api_need_plan(zx_call *c)
{
    if (c->plan && c->engine)
        return 1;
    zx_api_error(c, 503, "no_plan", "数据库中还没有计划，请先载入计划");
    return 0;
}

/* Today's local date, from the request's clock. */
void zx_api_today(const zx_call *c, char out[11])
{
    time_t now = (time_t)c->now;
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The name of code in the code list (subject, stage), or NULL. */
const char *zx_api_code_name(const char *list, int code)
{
    return code ? zx_codes_name_of(zx_codes_get(list), code) : NULL;
}

/* The codes of every unit the caller sees, mapped to their ids.  NULL
 * after answering 500/503. */
zx_map *zx_api_sight_load(zx_call *c)
{
    zx_map *m = zx_map_new();
    sqlite3_stmt *st = zx_db_prepare(c->db, "SELECT id, code FROM org_unit");
    int step = SQLITE_DONE;

    if (!m || !st) {
        zx_map_free(m);
        zx_api_fail(c, m ? ZX_EDB : ZX_ENOMEM, NULL);
        return NULL;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);

        if (zx_scope_sees(c->scope, id) &&
            zx_map_put(m, (const char *)sqlite3_column_text(st, 1), id)) {
            step = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        zx_map_free(m);
        zx_api_fail(c, step == SQLITE_NOMEM ? ZX_ENOMEM : ZX_EDB, NULL);
        return NULL;
    }
    return m;
}

int zx_api_sight_has(const zx_map *sight, const char *code)
{
    long long id;

    return code && zx_map_get(sight, code, &id);
}

/* The unit typed in ?unit= (a code, or a town's or group's name) that the
 * caller sees: *id, its code into code (64 bytes; the core takes codes
 * only) and its kind into kind (16 bytes).  Returns 0, or -1 after
 * answering (404 alike for unknown and out of sight). */
int zx_api_unit_code(zx_call *c, const char *typed, long long *id,
                      char *code, char *kind)
{
    sqlite3_stmt *st;

    if (zx_api_unit(c, typed, id, kind))
        return -1;
    if (!(st = zx_db_prepare(c->db, "SELECT code FROM org_unit"
                                    " WHERE id = ?1"))) {
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    sqlite3_bind_int64(st, 1, *id);
    code[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(code, 64, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return 0;
}

/* The year of ?year=, def when absent (0: the core's default).  Returns
 * 0, or -1 after answering 400. */
int zx_api_year_param(zx_call *c, int def, int *year)
{
    int ok = 1;

    *year = (int)zx_api_query_int(c, "year", def, 1900, 2100, &ok);
    return ok ? 0 : -1;
}

/* The teacher numbered no, when the caller may change its school's data:
 * 404 for no such teacher and for one of a school out of sight, with the
 * same words; 403 for one in sight the caller may not change.  Returns 0,
 * or -1 after answering. */
int zx_api_teacher_writable(zx_call *c, const char *no)
{
    sqlite3_stmt *st = zx_db_prepare(c->db, "SELECT school_id FROM teacher"
                                            " WHERE teacher_no = ?1");
    long long school = 0;
    int found = 0;

    if (!st) {
        zx_api_fail(c, ZX_EDB, NULL);
        return -1;
    }
    sqlite3_bind_text(st, 1, no, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        school = sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_reset(st);
    if (!found || !zx_scope_sees(c->scope, school)) {
        zx_api_error(c, 404, "not_found", "未找到教师“%s”", no);
        return -1;
    }
    return zx_api_may_write(c, school) ? 0 : -1;
}

/* Text field name of b, required: NULL after answering 400. */
const char *zx_api_need_str(zx_call *c, json_t *b, const char *name)
{
    const char *s = zx_api_str(b, name);

    if (s && *s)
        return s;
    zx_api_error(c, 400, "invalid", "缺少字段 %s（文字）", name);
    return NULL;
}

/* Optional fields of a body: each leaves *out as it is when the field is
 * absent or null, and returns -1 after answering 400 when it has the
 * wrong type. */
int zx_api_opt_str(zx_call *c, json_t *b, const char *name, const char **out)
{
    json_t *v = json_object_get(b, name);

    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return 0;
    }
    zx_api_error(c, 400, "invalid", "字段 %s 应为文字", name);
    return -1;
}

int zx_api_opt_num(zx_call *c, json_t *b, const char *name, double *out)
{
    json_t *v = json_object_get(b, name);

    if (!v || json_is_null(v))
        return 0;
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    zx_api_error(c, 400, "invalid", "字段 %s 应为数", name);
    return -1;
}

int zx_api_opt_int(zx_call *c, json_t *b, const char *name, long long lo,
                   long long hi, long long *out)
{
    json_t *v = json_object_get(b, name);

    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v) && json_integer_value(v) >= lo &&
        json_integer_value(v) <= hi) {
        *out = json_integer_value(v);
        return 0;
    }
    zx_api_error(c, 400, "invalid", "字段 %s 应为 %lld～%lld 的整数", name,
                 lo, hi);
    return -1;
}

int zx_api_opt_bool(zx_call *c, json_t *b, const char *name, int *out)
{
    json_t *v = json_object_get(b, name);

    if (!v || json_is_null(v))
        return 0;
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return 0;
    }
    zx_api_error(c, 400, "invalid", "字段 %s 应为 true 或 false", name);
    return -1;
}
