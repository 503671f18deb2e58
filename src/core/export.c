/*
 * export.c - the registry as CSV, XLSX or JSON (see export.h).
 *
 * One query per sheet selects the sheet's columns in order, each named
 * after the column's field; that naming is checked against sheetdef.h at
 * run time, so the sheet definition drives the output and a query that
 * drifts from it fails loudly instead of shifting columns.  How a value is
 * written then depends only on the column's type.
 */
#include "export.h"
#include "text.h"
#include "codes.h"
#include "demo.h"
#include "zx.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Indexed by enum zx_export_format. */
static const char *const format_names[] = { "csv", "xlsx", "json" };

#define NFORMATS ((int)(sizeof(format_names) / sizeof(format_names[0])))

/* Rows in key order.  Every ORDER BY follows a unique index (org_unit.code,
 * enrolment's key, teacher.teacher_no, teacher_role's key), so SQLite
 * walks the indexes instead of sorting a million rows. */
static const struct query {
    const char *kind;
    const char *count;
    const char *rows;
} queries[] = {
    { "schools", "SELECT count(*) FROM school",
      "SELECT u.code AS school_code, u.name AS name, t.name AS town,"
      " s.type_code AS school_type, s.urban_rural AS urban_rural,"
      " s.town_seat AS town_seat, s.owner AS owner, g.name AS \"group\","
      " s.group_hq AS group_hq, s.lon AS lon, s.lat AS lat"
      " FROM school s JOIN org_unit u ON u.id = s.unit_id"
      " JOIN org_unit t ON t.id = u.parent_id"
      " LEFT JOIN org_unit g ON g.id = s.group_id"
      " ORDER BY u.code" },
    { "enrolment", "SELECT count(*) FROM enrolment",
      "SELECT u.code AS school_code, e.year AS year,"
      " e.students AS students, e.classes AS classes,"
      " e.boarders AS boarders, e.special AS special"
      " FROM enrolment e JOIN org_unit u ON u.id = e.school_id"
      " ORDER BY u.code, e.year" },
    { "teachers", "SELECT count(*) FROM teacher",
      "SELECT t.teacher_no AS teacher_no, t.name AS name,"
      " t.gender AS gender, t.birth AS birth, u.code AS school_code,"
      " t.stage AS stage, t.subject AS subject, t.title AS title,"
      " t.employment AS employment, t.post AS post,"
      " t.since_year AS since_year, t.political AS political"
      " FROM teacher t JOIN org_unit u ON u.id = t.school_id"
      " ORDER BY t.teacher_no" },
    { "roles", "SELECT count(*) FROM teacher_role",
      "SELECT t.teacher_no AS teacher_no, r.title AS role,"
      " r.level AS level, r.start_year AS start_year,"
      " r.end_year AS end_year"
      " FROM teacher_role r JOIN teacher t ON t.id = r.teacher_id"
      " ORDER BY t.teacher_no, r.title, r.level, r.start_year" },
};

int zx_export_format_parse(const char *name, enum zx_export_format *fmt)
{
    int i;

    for (i = 0; i < NFORMATS; i++)
        if (strcasecmp(name, format_names[i]) == 0) {
            *fmt = (enum zx_export_format)i;
            return ZX_OK;
        }
    return ZX_EINVAL;
}

int zx_export_format_of_path(const char *path, enum zx_export_format *fmt)
{
    const char *dot = strrchr(path, '.');

    if (!dot || strchr(dot, '/'))
        return ZX_EINVAL;
    return zx_export_format_parse(dot + 1, fmt);
}

const char *zx_export_format_name(enum zx_export_format fmt)
{
    return format_names[fmt];
}

int zx_export_synthetic(zx_db *db)
{
    char *v = zx_db_meta_get(db, "synthetic");
    int yes = v && strcmp(v, "1") == 0;

    free(v);
    return yes;
}

const char *zx_export_strerror(int errnum)
{
    switch (errnum) {
    case ENOENT:  return "目录不存在";
    case EACCES:
    case EPERM:   return "没有写入权限";
    case ENOSPC:  return "磁盘空间不足";
    case EDQUOT:  return "超出磁盘配额";
    case EROFS:   return "文件系统只读";
    case EISDIR:  return "这是一个目录";
    case ENOTDIR: return "路径中有一段不是目录";
    case EPIPE:   return "输出管道已关闭";
    }
    return strerror(errnum);
}

static void say(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!errbuf || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

/* ---- display width ------------------------------------------------- */

double zx_export_col_width(const zx_coldef *col)
{
    const zx_codelist *list;
    int w = 0, hw = zx_text_width(col->header), i;

    switch (col->type) {
    case ZX_COL_TEXT:
        /* free text is mostly short Chinese names; the long ones (school
         * and group names) get more room */
        w = col->digits > 0 ? col->digits : col->maxlen >= 60 ? 30 : 16;
        break;
    case ZX_COL_CODE:
        list = zx_codes_get(col->codelist);
        for (i = 0; list && i < list->n; i++)
            if (zx_text_width(list->items[i].name) > w)
                w = zx_text_width(list->items[i].name);
        break;
    case ZX_COL_INT:
    case ZX_COL_YEAR:
        w = 8;
        break;
    case ZX_COL_DEC:
        w = 12;
        break;
    case ZX_COL_MONTH:
        w = 9;
        break;
    }
    return (double)(hw > w ? hw : w) + 2;
}

/* ---- staged output ------------------------------------------------- */

/* Creates "<base>.<pid>.<n>.tmp" exclusively (never following a planted
 * link), with the mode a plain fopen would give.  Returns the descriptor
 * and the malloc'd name, or -1. */
static int stage(const char *base, char **name)
{
    size_t cap = strlen(base) + 48;
    int n, fd;

    *name = malloc(cap);
    if (!*name) {
        errno = ENOMEM;
        return -1;
    }
    for (n = 0; n < 1000; n++) {
        snprintf(*name, cap, "%s.%ld.%d.tmp", base, (long)getpid(), n);
        fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST)
            break;
    }
    free(*name);
    *name = NULL;
    return -1;
}

int zx_export_file_open(zx_export_file *f, const char *dest, int by_name)
{
    struct stat st;
    const char *tmpdir;
    char *base = NULL;
    int fd;

    memset(f, 0, sizeof(*f));
    f->dest = dest;
    /* Standard output, a pipe or a device cannot be renamed over: stream
     * into it, or for a writer that needs a name, stage in $TMPDIR and
     * copy into it at the end. */
    if (!dest || (stat(dest, &st) == 0 && !S_ISREG(st.st_mode))) {
        if (!by_name) {
            f->fp = dest ? fopen(dest, "wb") : stdout;
            return f->fp ? ZX_OK : ZX_EIO;
        }
        tmpdir = getenv("TMPDIR");
        if (!tmpdir || !*tmpdir)
            tmpdir = "/tmp";
        base = malloc(strlen(tmpdir) + 16);
        if (!base)
            return ZX_ENOMEM;
        sprintf(base, "%s/zhenxing", tmpdir);
        fd = stage(base, &f->tmp);
        free(base);
        f->copy = 1;
    } else {
        fd = stage(dest, &f->tmp);
    }
    if (fd < 0)
        return errno == ENOMEM ? ZX_ENOMEM : ZX_EIO;
    if (by_name) {
        close(fd);
        f->name = f->tmp;
        return ZX_OK;
    }
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
        errno = e;
        return ZX_EIO;
    }
    return ZX_OK;
}

static int copy_out(const char *from, const char *dest)
{
    char buf[1 << 16];
    FILE *in = fopen(from, "rb"), *out;
    size_t n;
    int rc = ZX_OK;

    if (!in)
        return ZX_EIO;
    out = dest ? fopen(dest, "wb") : stdout;
    if (!out) {
        fclose(in);
        return ZX_EIO;
    }
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            rc = ZX_EIO;
            break;
        }
    if (ferror(in) || fflush(out) != 0)
        rc = ZX_EIO;
    if (out != stdout && fclose(out) != 0)
        rc = ZX_EIO;
    fclose(in);
    return rc;
}

int zx_export_file_close(zx_export_file *f, int commit)
{
    int rc = ZX_OK, e = errno; /* an abort keeps the caller's errno */

    if (f->fp) {
        if (fflush(f->fp) != 0 || ferror(f->fp))
            rc = ZX_EIO;
        if (f->fp != stdout && fclose(f->fp) != 0)
            rc = ZX_EIO;
        if (rc)
            e = errno;
    }
    if (commit && rc == ZX_OK && f->tmp) {
        if (f->copy)
            rc = copy_out(f->tmp, f->dest);
        else if (rename(f->tmp, f->dest) != 0)
            rc = ZX_EIO;
        if (rc)
            e = errno;
    }
    if (f->tmp && (!commit || rc || f->copy))
        unlink(f->tmp);
    free(f->tmp);
    memset(f, 0, sizeof(*f));
    errno = e;
    return commit ? rc : ZX_OK;
}

/* ---- values -------------------------------------------------------- */

enum cell_type { CELL_EMPTY, CELL_TEXT, CELL_INT, CELL_REAL };

typedef struct cell {
    enum cell_type type;
    const char *text;  /* CELL_TEXT: valid until the next row is read */
    long long i;
    double d;
    char buf[24];      /* a code the code list does not know, as text */
} cell;

/* The name of a stored code.  Numeric lists store the national code;
 * yes/no columns store 1 or 0, which the list itself accepts as spellings
 * of 是 and 否, so asking it keeps those names out of this file.  A code
 * the list lacks (never written by the importer) is shown as it is. */
static const char *code_name(const zx_coldef *col, long long v, cell *c)
{
    const zx_codelist *list = zx_codes_get(col->codelist);
    const zx_code *item;
    int i;

    snprintf(c->buf, sizeof(c->buf), "%lld", v);
    if (!list)
        return c->buf;
    if (list->numeric) {
        item = zx_codes_by_code(list, c->buf);
        return item ? item->name : c->buf;
    }
    i = zx_codes_find(list, c->buf);
    return i >= 0 ? list->items[i].name : c->buf;
}

static void cell_read(sqlite3_stmt *st, int i, const zx_coldef *col, cell *c)
{
    c->type = CELL_EMPTY;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return;
    switch (col->type) {
    case ZX_COL_INT:
    case ZX_COL_YEAR:
        c->type = CELL_INT;
        c->i = sqlite3_column_int64(st, i);
        return;
    case ZX_COL_DEC:
        c->type = CELL_REAL;
        c->d = sqlite3_column_double(st, i);
        return;
    case ZX_COL_CODE:
        if (sqlite3_column_type(st, i) == SQLITE_INTEGER) {
            c->type = CELL_TEXT;
            c->text = code_name(col, sqlite3_column_int64(st, i), c);
            return;
        }
        break;
    case ZX_COL_TEXT:
    case ZX_COL_MONTH:
        break;
    }
    c->text = (const char *)sqlite3_column_text(st, i);
    if (c->text && *c->text)
        c->type = CELL_TEXT;
}

/* ---- writers ------------------------------------------------------- */

typedef struct writer {
    enum zx_export_format fmt;
    const zx_sheetdef *def;
    FILE *fp;              /* CSV, JSON */
    lxw_workbook *wb;      /* XLSX */
    lxw_worksheet *ws;
    lxw_row_t row;         /* XLSX: next row */
    lxw_error lxw;         /* XLSX: the first error */
    json_t *obj;           /* JSON: the row object, reused */
    long n;                /* rows written */
} writer;

/* Quotes only fields that need it, so that plain files stay plain: those
 * with a separator, quote or line break, or with edge blanks the reader
 * would trim. */
static void csv_field(FILE *fp, const char *s)
{
    size_t n = strlen(s);

    if (strpbrk(s, ",\"\r\n") ||
        (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
               s[n - 1] == '\t')))
        csv_fwrite(fp, s, n);
    else
        fwrite(s, 1, n, fp);
}

static int csv_begin(writer *w)
{
    int i;

    /* the BOM tells Excel the file is UTF-8, not the ANSI code page */
    fputs("\xEF\xBB\xBF", w->fp);
    for (i = 0; i < w->def->n; i++) {
        if (i)
            fputc(',', w->fp);
        csv_field(w->fp, w->def->cols[i].header);
    }
    fputs("\r\n", w->fp);
    return ferror(w->fp) ? ZX_EIO : ZX_OK;
}

static int csv_row(writer *w, const cell *c)
{
    int i;

    for (i = 0; i < w->def->n; i++) {
        if (i)
            fputc(',', w->fp);
        switch (c[i].type) {
        case CELL_EMPTY:
            break;
        case CELL_TEXT:
            csv_field(w->fp, c[i].text);
            break;
        case CELL_INT:
            fprintf(w->fp, "%lld", c[i].i);
            break;
        case CELL_REAL:
            fprintf(w->fp, "%.15g", c[i].d);
            break;
        }
    }
    fputs("\r\n", w->fp);
    return ferror(w->fp) ? ZX_EIO : ZX_OK;
}

static int json_begin(writer *w, int synthetic)
{
    w->obj = json_object();
    if (!w->obj)
        return ZX_ENOMEM;
    fprintf(w->fp, "{\"kind\": \"%s\", \"synthetic\": %s, \"rows\": [",
            w->def->kind, synthetic ? "true" : "false");
    return ferror(w->fp) ? ZX_EIO : ZX_OK;
}

static int json_row(writer *w, const cell *c)
{
    json_t *v = NULL;
    int i;

    for (i = 0; i < w->def->n; i++) {
        switch (c[i].type) {
        case CELL_EMPTY:
            v = json_null();
            break;
        case CELL_TEXT:
            v = json_string(c[i].text);
            break;
        case CELL_INT:
            v = json_integer(c[i].i);
            break;
        case CELL_REAL:
            v = json_real(c[i].d);
            break;
        }
        /* json_string refuses bad UTF-8, which the importer never stores */
        if (!v || json_object_set_new(w->obj, w->def->cols[i].field, v))
            return ZX_ENOMEM;
    }
    /* One row per line: a million rows stay greppable and streamable. */
    fputs(w->n ? ",\n" : "\n", w->fp);
    if (json_dumpf(w->obj, w->fp, JSON_REAL_PRECISION(15)) != 0)
        return ZX_EIO;
    return ferror(w->fp) ? ZX_EIO : ZX_OK;
}

static int json_end(writer *w)
{
    fputs(w->n ? "\n]}\n" : "]}\n", w->fp);
    return ferror(w->fp) ? ZX_EIO : ZX_OK;
}

static int xlsx_begin(writer *w, const char *name, int synthetic)
{
    lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
    lxw_worksheet *notes;
    lxw_format *bold;
    int i;

    /* constant_memory writes each row out as soon as the next begins,
     * which is what lets a million rows through in little memory */
    w->wb = workbook_new_opt(name, &opt);
    if (!w->wb)
        return ZX_ENOMEM;
    w->ws = workbook_add_worksheet(w->wb, w->def->title);
    bold = workbook_add_format(w->wb);
    if (!w->ws || !bold)
        return ZX_ENOMEM;
    format_set_bold(bold);
    for (i = 0; i < w->def->n; i++) {
        worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
                             zx_export_col_width(&w->def->cols[i]), NULL);
        w->lxw = worksheet_write_string(w->ws, 0, (lxw_col_t)i,
                                        w->def->cols[i].header, bold);
        if (w->lxw)
            return ZX_EIO;
    }
    worksheet_freeze_panes(w->ws, 1, 0);
    w->row = 1;
    if (synthetic) {
        notes = workbook_add_worksheet(w->wb, "说明");
        if (!notes)
            return ZX_ENOMEM;
        worksheet_set_column(notes, 0, 0, 60, NULL);
        w->lxw = worksheet_write_string(notes, 0, 0,
                                        zx_demo_banner, bold);
        if (w->lxw)
            return ZX_EIO;
    }
    return ZX_OK;
}

static int xlsx_row(writer *w, const cell *c)
{
    lxw_col_t i;

    for (i = 0; i < (lxw_col_t)w->def->n && !w->lxw; i++) {
        switch (c[i].type) {
        case CELL_EMPTY:
            break;
        case CELL_TEXT:
            w->lxw = worksheet_write_string(w->ws, w->row, i, c[i].text,
                                            NULL);
            break;
        case CELL_INT:
            w->lxw = worksheet_write_number(w->ws, w->row, i,
                                            (double)c[i].i, NULL);
            break;
        case CELL_REAL:
            w->lxw = worksheet_write_number(w->ws, w->row, i, c[i].d, NULL);
            break;
        }
    }
    w->row++;
    return w->lxw ? ZX_EIO : ZX_OK;
}

static int xlsx_end(writer *w)
{
    lxw_workbook *wb = w->wb;

    w->wb = NULL; /* workbook_close frees it, whatever it returns */
    w->lxw = workbook_close(wb);
    return w->lxw ? ZX_EIO : ZX_OK;
}

static int writer_begin(writer *w, zx_export_file *f, int synthetic)
{
    switch (w->fmt) {
    case ZX_EXPORT_CSV:
        w->fp = f->fp;
        return csv_begin(w);
    case ZX_EXPORT_XLSX:
        return xlsx_begin(w, f->name, synthetic);
    case ZX_EXPORT_JSON:
        w->fp = f->fp;
        return json_begin(w, synthetic);
    }
    return ZX_EINVAL;
}

static int writer_row(writer *w, const cell *c)
{
    int rc = ZX_EINVAL;

    switch (w->fmt) {
    case ZX_EXPORT_CSV:
        rc = csv_row(w, c);
        break;
    case ZX_EXPORT_XLSX:
        rc = xlsx_row(w, c);
        break;
    case ZX_EXPORT_JSON:
        rc = json_row(w, c);
        break;
    }
    if (rc == ZX_OK)
        w->n++;
    return rc;
}

static int writer_end(writer *w)
{
    switch (w->fmt) {
    case ZX_EXPORT_CSV:
        return ZX_OK;
    case ZX_EXPORT_XLSX:
        return xlsx_end(w);
    case ZX_EXPORT_JSON:
        return json_end(w);
    }
    return ZX_EINVAL;
}

/* Releases what a failed export leaves (a finished one has none). */
static void writer_free(writer *w)
{
    if (w->wb)
        lxw_workbook_free(w->wb);
    json_decref(w->obj);
}

/* ---- the export ---------------------------------------------------- */

static const struct query *query_of(const char *kind)
{
    size_t i;

    for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
        if (strcmp(queries[i].kind, kind) == 0)
            return &queries[i];
    return NULL;
}

/* The query must yield the sheet's columns, in order, by field name. */
static int query_matches(sqlite3_stmt *st, const zx_sheetdef *def)
{
    int i;

    if (sqlite3_column_count(st) != def->n)
        return 0;
    for (i = 0; i < def->n; i++)
        if (strcmp(sqlite3_column_name(st, i), def->cols[i].field) != 0)
            return 0;
    return 1;
}

static int db_error(zx_db *db, char *errbuf, size_t errlen)
{
    say(errbuf, errlen, "读取数据库失败：%s", zx_db_errmsg(db));
    return ZX_EDB;
}

/* Explains a failure of the output (rc from a writer or the staging
 * calls, errno as they left it). */
static int out_error(const writer *w, int rc, const char *where,
                     char *errbuf, size_t errlen)
{
    int e = errno;

    if (rc == ZX_ENOMEM) {
        say(errbuf, errlen, "内存不足");
        return rc;
    }
    if (w->lxw && w->lxw != LXW_ERROR_CREATING_XLSX_FILE)
        say(errbuf, errlen, "写入 %s 失败：%s", where, lxw_strerror(w->lxw));
    else
        say(errbuf, errlen, "无法写入 %s：%s", where, zx_export_strerror(e));
    return ZX_EIO;
}

int zx_export(zx_db *db, const char *kind, enum zx_export_format fmt,
              const char *path, zx_progress_fn progress, void *pctx,
              long *rows_out, char *errbuf, size_t errlen)
{
    const zx_sheetdef *def = zx_sheetdef_get(kind);
    const struct query *q = query_of(kind);
    const char *where = path ? path : "标准输出";
    sqlite3 *h = zx_db_sqlite(db);
    sqlite3_stmt *st = NULL;
    zx_export_file file;
    writer w;
    cell *cells = NULL;
    long long total;
    int rc = ZX_OK, step = SQLITE_DONE, i, in_txn = 0, opened = 0;

    memset(&w, 0, sizeof(w));
    if (rows_out)
        *rows_out = 0;
    if (!def || !q || (int)fmt < 0 || (int)fmt >= NFORMATS) {
        say(errbuf, errlen, "未知的导出类型或格式");
        return ZX_EINVAL;
    }
    w.fmt = fmt;
    w.def = def;

    /* one snapshot for the count and every row, without blocking writers;
     * a caller already inside a transaction has its own snapshot */
    if (sqlite3_get_autocommit(h)) {
        if (zx_db_exec(db, "BEGIN") != ZX_OK) {
            rc = db_error(db, errbuf, errlen);
            goto fail;
        }
        in_txn = 1;
    }
    total = zx_db_int(db, q->count, NULL, 0);
    if (fmt == ZX_EXPORT_XLSX && total >= LXW_ROW_MAX) {
        say(errbuf, errlen,
            "共 %lld 条%s记录，超过 Excel 工作表的上限 %d 行，"
            "请改用 CSV 或 JSON 格式导出",
            total, def->title, LXW_ROW_MAX - 1);
        rc = ZX_EINVAL;
        goto fail;
    }
    if (sqlite3_prepare_v2(h, q->rows, -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(db, errbuf, errlen);
        goto fail;
    }
    if (!query_matches(st, def)) {
        say(errbuf, errlen, "内部错误：%s的导出查询与表格定义不一致",
            def->title);
        rc = ZX_EINVAL;
        goto fail;
    }
    cells = calloc((size_t)def->n, sizeof(*cells));
    if (!cells) {
        rc = out_error(&w, ZX_ENOMEM, where, errbuf, errlen);
        goto fail;
    }

    rc = zx_export_file_open(&file, path, fmt == ZX_EXPORT_XLSX);
    if (rc) {
        rc = out_error(&w, rc, where, errbuf, errlen);
        goto fail;
    }
    opened = 1;
    rc = writer_begin(&w, &file, zx_export_synthetic(db));
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < def->n; i++)
            cell_read(st, i, &def->cols[i], &cells[i]);
        rc = writer_row(&w, cells);
        if (progress && (w.n & 1023) == 0)
            progress(pctx, w.n, total);
    }
    if (rc == ZX_OK && step != SQLITE_DONE) {
        rc = db_error(db, errbuf, errlen);
        goto fail;
    }
    if (rc == ZX_OK)
        rc = writer_end(&w);
    if (rc == ZX_OK) {
        opened = 0;
        rc = zx_export_file_close(&file, 1);
    }
    if (rc) {
        rc = out_error(&w, rc, where, errbuf, errlen);
        goto fail;
    }
    if (progress)
        progress(pctx, w.n, total);
    if (rows_out)
        *rows_out = w.n;

fail:
    if (opened)
        zx_export_file_close(&file, 0);
    writer_free(&w);
    free(cells);
    sqlite3_finalize(st);
    if (in_txn)
        zx_db_exec(db, "COMMIT");
    return rc;
}
