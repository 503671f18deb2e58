/*
 * api_files.c - the registry and the plan's values in and out as files:
 * uploads to the importers (/api/import), exports (/api/export) and the
 * blank templates (/api/templates).
 *
 * An upload goes to the very importers the command line calls, with the
 * user's file name in every row error, dry run first unless the caller
 * says otherwise.  A values sheet from a caller who does not see the
 * whole city is first checked row by row against the caller's scope, so
 * that nobody writes, or learns of, units outside it.  Files are written
 * and read in a private scratch directory (api.h), never kept.
 */
#include "api.h"
#include "export.h"
#include "ingest.h"
#include "sheetdef.h"
#include "table.h"
#include "template.h"
#include "text.h"
#include "training.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- files of one request ------------------------------------------------- */


static const char xlsx_type[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* ---- imports -------------------------------------------------------------- */

/* The name of the user's file without the folders some browsers send,
 * for messages; its extension (lower case, with the dot, or "" when it
 * has none a reader could know) into ext, since the table reader tells
 * CSV from XLSX by the name of the file it reads. */
static const char *upload_name(const char *filename, char ext[16])
{
    const char *base = filename, *p, *dot;
    size_t i, n;

    for (p = filename; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    if (!*base)
        base = "upload";
    ext[0] = '\0';
    dot = strrchr(base, '.');
    if (dot && (n = strlen(dot)) > 1 && n < 16 &&
        strspn(dot + 1, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "abcdefghijklmnopqrstuvwxyz") == n - 1) {
        for (i = 0; i <= n; i++)
            ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32
                                                           : dot[i]);
    }
    return base;
}

static int save_upload(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ssize_t n;

    if (fd < 0)
        return -1;
    while (len > 0) {
        if ((n = write(fd, data, len)) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        data += n;
        len -= (size_t)n;
    }
    return close(fd) == 0 && len == 0 ? 0 : -1;
}

#define REACH_STOP 1000        /* row callback: stop reading */

/* The check that every row of a values sheet names a unit the caller may
 * change, made before the import. */
struct reach {
    zx_call *c;
    const char *name;
    zx_diag *d;                /* the rows out of reach */
    int level;                 /* -1 until the header is read */
    int rc;                    /* ZX_EDB when a lookup failed */
    char *key;
    size_t keycap;
    long *rows;                /* the lines out of reach, ascending */
    size_t n, cap;
};

static int reach_header(struct reach *r, const zx_row *row)
{
    r->level = row->n ? zx_values_sheet_level(row->cell[0]) : -1;
    /* a header it does not know, the import reports */
    return r->level < 0 ? REACH_STOP : 0;
}

static int reach_row(void *ctx, const zx_row *row)
{
    struct reach *r = ctx;
    sqlite3_stmt *st;
    long long id = 0;
    size_t len;
    int found = 0;

    if (r->level < 0)
        return reach_header(r, row);
    len = row->n ? strlen(row->cell[0]) : 0;
    if (len + 1 > r->keycap) {
        char *k = realloc(r->key, len + 1);

        if (!k) {
            r->rc = ZX_ENOMEM;
            return REACH_STOP;
        }
        r->key = k;
        r->keycap = len + 1;
    }
    zx_text_norm(row->n ? row->cell[0] : "", r->key,
                 ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    if (!*r->key)
        return 0;              /* a blank row, or a blank key it reports */
    if (r->level == ZX_LEVEL_TEACHER)
        st = zx_db_prepare(r->c->db, "SELECT school_id FROM teacher"
                                     " WHERE teacher_no = ?1");
    else if (r->level == ZX_LEVEL_SCHOOL)
        st = zx_db_prepare(r->c->db, "SELECT id FROM org_unit"
                                     " WHERE code = ?1 AND kind = 'school'");
    else
        st = zx_db_prepare(r->c->db, "SELECT id FROM org_unit"
                                     " WHERE kind = ?2"
                                     " AND (code = ?1 OR name_key = ?1)");
    if (!st) {
        r->rc = ZX_EDB;
        return REACH_STOP;
    }
    sqlite3_bind_text(st, 1, r->key, -1, SQLITE_STATIC);
    if (r->level == ZX_LEVEL_TOWN || r->level == ZX_LEVEL_GROUP)
        sqlite3_bind_text(st, 2, zx_level_name((enum zx_level)r->level), -1,
                          SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_reset(st);
    /* a unit that does not exist is, for this caller, one out of reach:
     * the answer must not tell the two apart */
    if (found && zx_scope_writes(r->c->scope, id))
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        long *v = realloc(r->rows, cap * sizeof(*v));

        if (!v) {
            r->rc = ZX_ENOMEM;
            return REACH_STOP;
        }
        r->rows = v;
        r->cap = cap;
    }
    r->rows[r->n++] = row->line;
    zx_diag_add(r->d, r->name, row->line, 0, "第%ld行的单位不在您的管辖范围内",
                row->line);
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* Adds to out, in row order, the rows out of reach (r->d) and the
 * import's own problems (imp) except those of rows out of reach, which
 * could tell a unit that exists from one that does not. */
static void merge_problems(const struct reach *r, const zx_diag *imp,
                           zx_diag *out)
{
    size_t i = 0, j = 0, ni = zx_diag_count(r->d), nj = zx_diag_count(imp);

    while (i < ni || j < nj) {
        const zx_diag_item *a = i < ni ? zx_diag_get(r->d, i) : NULL;
        const zx_diag_item *b = j < nj ? zx_diag_get(imp, j) : NULL;

        if (a && (!b || a->row <= b->row)) {
            zx_diag_add(out, a->file, a->row, a->col, "%s", a->msg);
            i++;
        } else if (b) {
            if (!bsearch(&b->row, r->rows, r->n, sizeof(*r->rows), cmp_long))
                zx_diag_add(out, b->file, b->row, b->col, "%s", b->msg);
            j++;
        } else {
            i++;               /* an item lost to a lack of memory */
        }
    }
}

static void import_refused(zx_call *c, const zx_diag *d)
{
    char msg[160];

    snprintf(msg, sizeof(msg), "导入未完成：发现 %zu 处问题，数据库未做任何"
             "修改", zx_diag_count(d));
    zx_api_diag(c, 422, "invalid_data", msg, d);
}

/* The values import, with the check of reach first.  A caller who sees
 * everything skips it; anyone else has every row checked, and the
 * import commits only when the whole file was read and every row is in
 * reach.  Otherwise it still runs, as a dry run, so that the answer
 * lists every problem of the file at once. */
static void import_values(zx_call *c, const char *path, const char *name,
                          int dry)
{
    struct reach r = { 0 };
    zx_values_result res;
    zx_diag *d = zx_diag_new(), *all = NULL;
    int rc, checked = 1;

    r.d = zx_diag_new();
    if (!d || !r.d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if (!zx_api_sees_all(c)) {
        zx_diag *fd = zx_diag_new();   /* the file's own problems: the
                                          import reports them */

        r.c = c;
        r.name = name;
        r.level = -1;
        rc = fd ? zx_table_read(path, name, reach_row, &r, NULL, NULL, fd)
                : ZX_ENOMEM;
        zx_diag_free(fd);
        if (r.rc) {
            zx_api_fail(c, r.rc, NULL);
            goto out;
        }
        checked = rc == ZX_OK && r.level >= 0 && r.n == 0;
    }
    rc = zx_values_import(c->db, c->plan, path, name, dry || !checked,
                          c->actor, NULL, NULL, d, &res);
    if (rc && rc != ZX_EDATA && rc != ZX_EFORMAT) {
        zx_api_fail(c, rc, d);
    } else if (r.n) {
        if (!(all = zx_diag_new())) {
            zx_api_fail(c, ZX_ENOMEM, NULL);
            goto out;
        }
        merge_problems(&r, d, all);
        import_refused(c, all);
    } else if (rc) {
        import_refused(c, d);
    } else if (!checked) {
        /* the check could not read what the import read: never happens
         * with one reader, but nothing is written on a guess */
        zx_api_error(c, 422, "invalid_data", "无法核对文件中的单位，"
                     "数据库未做任何修改");
    } else {
        zx_api_json(c, 200,
                    json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I,"
                              " s:I}",
                              "kind", "values", "file", name, "format",
                              res.format, "dry_run", dry, "rows",
                              (json_int_t)res.rows, "inserted",
                              (json_int_t)res.inserted, "updated",
                              (json_int_t)res.updated, "unchanged",
                              (json_int_t)res.unchanged, "blank",
                              (json_int_t)res.blank));
    }
out:
    free(r.key);
    free(r.rows);
    zx_diag_free(r.d);
    zx_diag_free(all);
    zx_diag_free(d);
}

static void import_registry(zx_call *c, const char *kind, const char *path,
                            const char *name, int dry)
{
    zx_ingest_result res;
    zx_diag *d = zx_diag_new();
    json_t *created;
    int rc, i;

    if (!d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return;
    }
    rc = zx_ingest_file(c->db, kind, path, name, dry, c->actor, NULL, NULL,
                        d, &res);
    if (rc == ZX_EDATA || rc == ZX_EFORMAT) {
        import_refused(c, d);
    } else if (rc) {
        zx_api_fail(c, rc, d);
    } else {
        created = json_array();
        for (i = 0; i < res.ncreated; i++)
            json_array_append_new(created, json_string(res.created[i]));
        zx_api_json(c, 200,
                    json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I,"
                              " s:o}",
                              "kind", kind, "file", name, "format",
                              res.format, "dry_run", dry, "rows",
                              (json_int_t)res.rows, "inserted",
                              (json_int_t)res.inserted, "updated",
                              (json_int_t)res.updated, "unchanged",
                              (json_int_t)res.unchanged, "created",
                              created));
    }
    zx_ingest_result_free(&res);
    zx_diag_free(d);
}

/* Completion records of the training ledger (training.h), all or
 * nothing like the registry sheets. */
static void import_training(zx_call *c, const char *path, const char *name,
                            int dry)
{
    zx_training_import_result res;
    zx_diag *d = zx_diag_new();
    int rc;

    if (!d) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return;
    }
    rc = zx_training_import(c->db, c->plan, path, name, dry, NULL, c->actor,
                            NULL, NULL, d, &res);
    if (rc == ZX_EDATA || rc == ZX_EFORMAT)
        import_refused(c, d);
    else if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_json(c, 200,
                    json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I}",
                              "kind", "training", "file", name, "format",
                              res.format, "dry_run", dry, "rows",
                              (json_int_t)res.rows, "inserted",
                              (json_int_t)res.inserted, "updated",
                              (json_int_t)res.updated, "unchanged",
                              (json_int_t)res.unchanged));
    zx_diag_free(d);
}

/* 1 for "1", "true", "yes", "on"; 0 for "0", "false", "no", "off";
 * -1 otherwise. */
static int flag(const char *s)
{
    static const char *const on[] = { "1", "true", "yes", "on" };
    static const char *const off[] = { "0", "false", "no", "off" };
    size_t i;

    for (i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
        if (strcasecmp(s, on[i]) == 0)
            return 1;
        if (strcasecmp(s, off[i]) == 0)
            return 0;
    }
    return -1;
}

/* POST /api/import/:kind, kind schools|enrolment|teachers|roles|values|
 * training: multipart/form-data with the file in field "file" and,
 * optionally, "dry_run" (also accepted as ?dry_run=).  An upload is a dry
 * run unless dry_run is 0/false: committing is the step a user takes on
 * purpose, after a dry run came back clean.  The registry sheets and the
 * training completions (which span every school) are 管理员's; values may
 * come from 区镇 and 学校 for the units they may change.  Answers the
 * counts, or 422 with every problem of the file. */
static void import(zx_call *c)
{
    const char *kind = c->params[0], *name, *dtext;
    const zx_http_part *file = zx_http_part_get(c->req, "file");
    const zx_http_part *dpart = zx_http_part_get(c->req, "dry_run");
    int values = strcmp(kind, "values") == 0, dry = 1;
    int training = strcmp(kind, "training") == 0;
    zx_api_scratch s;
    char ext[16], leaf[32];

    if (!values && !training && !zx_sheetdef_get(kind)) {
        zx_api_error(c, 404, "not_found", "没有这类导入：“%s”（应为 schools、"
                     "enrolment、teachers、roles、values 或 training）",
                     kind);
        return;
    }
    if (!values && c->role != ZX_ROLE_ADMIN) {
        zx_api_error(c, 403, "forbidden", training ? "只有管理员可以导入培训"
                     "结业记录" : "只有管理员可以导入登记数据");
        return;
    }
    if ((values || training) && !zx_api_need_plan(c))
        return;
    dtext = dpart ? dpart->data : zx_http_query(c->req, "dry_run");
    if (dtext && *dtext && (dry = flag(dtext)) < 0) {
        zx_api_error(c, 400, "bad_parameter", "dry_run 的值“%s”无效：应为 1"
                     " 或 0", dtext);
        return;
    }
    if (!file || !file->filename) {
        zx_api_error(c, 400, "invalid", "请选择要上传的文件（表单字段 file）");
        return;
    }
    name = upload_name(file->filename, ext);
    snprintf(leaf, sizeof(leaf), "upload%s", ext);
    if (zx_api_scratch_open(c, &s, leaf))
        return;
    if (save_upload(s.path, file->data, file->len)) {
        zx_api_error(c, 500, "internal", "无法保存上传的文件：%s",
                     zx_export_strerror(errno));
        zx_api_scratch_close(&s);
        return;
    }
    if (values)
        import_values(c, s.path, name, dry);
    else if (training)
        import_training(c, s.path, name, dry);
    else
        import_registry(c, kind, s.path, name, dry);
    zx_api_scratch_close(&s);
}

/* ---- exports and templates ------------------------------------------------ */

/* GET /api/export/:kind?format=xlsx|csv|json (xlsx when absent): every
 * record of the sheet, as `zhenxing export` writes it.  zx_export writes
 * the whole registry, so only a caller who sees all of it may ask.  A
 * CSV cannot say its data are synthetic, so the answer does, in the
 * header X-Zhenxing-Synthetic. */
static void export_kind(zx_call *c)
{
    static const char *const types[] = {
        "text/csv; charset=utf-8", xlsx_type,
        "application/json; charset=utf-8",
    };
    const char *kind = c->params[0], *fname = zx_http_query(c->req, "format");
    const zx_sheetdef *def = zx_sheetdef_get(kind);
    enum zx_export_format fmt = ZX_EXPORT_XLSX;
    zx_api_scratch s;
    char err[512], leaf[32], filename[128];
    int rc;

    if (!def) {
        zx_api_error(c, 404, "not_found", "没有这类数据：“%s”（应为 schools、"
                     "enrolment、teachers 或 roles）", kind);
        return;
    }
    if (fname && *fname && zx_export_format_parse(fname, &fmt)) {
        zx_api_error(c, 400, "bad_parameter", "format 的值“%s”无效：应为 "
                     "xlsx、csv 或 json", fname);
        return;
    }
    if (!zx_api_sees_all(c)) {
        zx_api_error(c, 403, "forbidden", "导出包含全市的数据，只有市级账户"
                     "可以导出");
        return;
    }
    snprintf(leaf, sizeof(leaf), "export.%s", zx_export_format_name(fmt));
    if (zx_api_scratch_open(c, &s, leaf))
        return;
    rc = zx_export(c->db, kind, fmt, s.path, NULL, NULL, NULL, err,
                   sizeof(err));
    if (rc) {
        zx_api_scratch_close(&s);
        zx_api_error(c, rc == ZX_EINVAL ? 422 : 500,
                     rc == ZX_EINVAL ? "invalid" : "internal", "%s", err);
        return;
    }
    if (zx_export_synthetic(c->db))
        zx_http_resp_header(c->resp, "X-Zhenxing-Synthetic", "1");
    snprintf(filename, sizeof(filename), "%s.%s", def->title,
             zx_export_format_name(fmt));
    zx_api_answer_file(c, &s, types[fmt], filename);
}

/* GET /api/templates/:kind: the blank import workbook of a registry sheet
 * (schools, enrolment, teachers, roles), for anyone logged in; or, as
 * values-school, values-town, values-group and values-teacher, the
 * values sheet of a level.  A values template is pre-filled with every
 * unit of its level in the city, so for now only 管理员 may have it; a
 * template limited to the caller's units needs zx_values_template to
 * take a scope. */
static void template(zx_call *c)
{
    const char *kind = c->params[0];
    const zx_sheetdef *def = NULL;
    zx_api_scratch s;
    char filename[128];
    int level = -1, rc, e;

    if (strncmp(kind, "values-", 7) == 0) {
        level = zx_level_parse(kind + 7);
        if (level < 0 || level == ZX_LEVEL_CITY) {
            zx_api_error(c, 404, "not_found", "没有这类模板：“%s”（应为 "
                         "values-school、values-town、values-group 或 "
                         "values-teacher）", kind);
            return;
        }
        if (c->role != ZX_ROLE_ADMIN) {
            zx_api_error(c, 403, "forbidden", "数据填报模板列有全市的单位，"
                         "目前只有管理员可以下载");
            return;
        }
        if (!zx_api_need_plan(c))
            return;
    } else if (!(def = zx_sheetdef_get(kind))) {
        zx_api_error(c, 404, "not_found", "没有这类模板：“%s”（应为 schools、"
                     "enrolment、teachers 或 roles）", kind);
        return;
    }
    if (zx_api_scratch_open(c, &s, "template.xlsx"))
        return;
    rc = def ? zx_template_write(kind, s.path)
             : zx_values_template(c->db, c->plan, (enum zx_level)level,
                                  s.path, NULL);
    e = errno;
    if (rc) {
        zx_api_scratch_close(&s);
        if (rc == ZX_ENOTFOUND)
            zx_api_error(c, 404, "not_found", "现行计划中没有按%s填报的数据项",
                         zx_values_level_title((enum zx_level)level));
        else if (rc == ZX_EIO)
            zx_api_error(c, 500, "internal", "无法生成模板：%s",
                         zx_export_strerror(e));
        else
            zx_api_fail(c, rc, NULL);
        return;
    }
    if (def)
        snprintf(filename, sizeof(filename), "%s导入模板.xlsx", def->title);
    else
        snprintf(filename, sizeof(filename), "%s数据填报模板.xlsx",
                 zx_values_level_title((enum zx_level)level));
    zx_api_answer_file(c, &s, xlsx_type, filename);
}

const zx_route zx_api_files_routes[] = {
    { "POST", "/api/import/:kind", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, import, 0 },
    { "GET", "/api/export/:kind", ZX_ROLE_ADMIN | ZX_ROLE_LEADER,
      export_kind, 0 },
    { "GET", "/api/templates/:kind", ZX_ROLE_ANY, template, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
