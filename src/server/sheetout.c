/*
 * sheetout.c - a list answered as a workbook (see sheetout.h).
 */
#include "sheetout.h"
#include "demo.h"
#include "export.h"
#include "zx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32
#define MAX_WIDTH 60.0
#define MAX_NOTES 64

struct zx_sheetout {
    const zx_sheetout_spec *spec;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *fig;
    long long offered;         /* rows offered, written or not */
    lxw_row_t row;             /* the current row; 0 before the first */
    int writing;               /* the current row is written */
    lxw_error err;             /* the first error of libxlsxwriter */
    int nomem;
    double width[MAX_COLS];    /* the widest value of each column */
    char *notes[MAX_NOTES];
    int nnotes;
};

static const char xlsx_type[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

int zx_sheetout_wanted(zx_call *c)
{
    const char *f = zx_http_query(c->req, "format");

    if (!f || !*f || strcmp(f, "json") == 0)
        return 0;
    if (strcmp(f, "xlsx") == 0)
        return 1;
    zx_api_error(c, 400, "bad_parameter",
                 "format 的值“%s”无效：应为 json 或 xlsx", f);
    return -1;
}

void zx_sheetout_filename(zx_call *c, char *out, size_t cap,
                          const char *unit, const char *fmt, ...)
{
    sqlite3_stmt *st;
    size_t n = 0;
    va_list ap;

    out[0] = '\0';
    if (unit && *unit &&
        (st = zx_db_prepare(c->db, "SELECT name FROM org_unit"
                                   " WHERE code = ?1"))) {
        sqlite3_bind_text(st, 1, unit, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(out, cap, "%s_", (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        n = strlen(out);
    }
    va_start(ap, fmt);
    vsnprintf(out + n, cap - n, fmt, ap);
    va_end(ap);
}

/* How wide s shows, in Excel's units: a character of the CJK ranges and
 * the full-width forms counts two, any other one. */
static double text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;

    while (*p) {
        unsigned cp = *p;
        int n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4, i;

        if (n > 1) {
            cp &= 0x3f >> (n - 1);
            for (i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
                cp = cp << 6 | (p[i] & 0x3f);
            n = i;
        }
        w += cp >= 0x1100 && cp != 0x2013 && cp != 0x2014 ? 2 : 1;
        p += n;
    }
    return w;
}

static void seen(zx_sheetout *w, int col, double width)
{
    if (width > w->width[col])
        w->width[col] = width;
}

int zx_sheetout_row(zx_sheetout *w)
{
    w->offered++;
    w->writing = w->offered <= ZX_SHEETOUT_MAX_ROWS;
    if (w->writing)
        w->row = (lxw_row_t)w->offered;
    return w->writing;
}

static int writable(const zx_sheetout *w, int col)
{
    return w->writing && !w->err && col >= 0 && col < w->spec->ncols;
}

void zx_sheetout_text(zx_sheetout *w, int col, const char *s)
{
    if (!writable(w, col) || !s || !*s)
        return;
    w->err = worksheet_write_string(w->ws, w->row, (lxw_col_t)col, s, NULL);
    seen(w, col, text_width(s));
}

void zx_sheetout_num(zx_sheetout *w, int col, double v)
{
    char buf[64];
    int fig;

    if (!writable(w, col) || isnan(v))
        return;
    fig = w->spec->cols[col].kind == ZX_SHEETOUT_FIG;
    /* 15 significant digits, as the JSON answer gives them: a sum of
     * terms is 1.4, not 1.399999999999999 */
    snprintf(buf, sizeof(buf), "%.15g", v);
    v = strtod(buf, NULL);
    w->err = worksheet_write_number(w->ws, w->row, (lxw_col_t)col, v,
                                    fig ? w->fig : NULL);
    snprintf(buf, sizeof(buf), fig ? "%.2f" : "%.15g", v);
    seen(w, col, (double)strlen(buf));
}

void zx_sheetout_yes(zx_sheetout *w, int col, int yes)
{
    zx_sheetout_text(w, col, yes ? "是" : "否");
}

void zx_sheetout_note(zx_sheetout *w, const char *fmt, ...)
{
    va_list ap;
    char *s;

    if (w->nnotes >= MAX_NOTES)
        return;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        w->nomem = 1;
    else
        w->notes[w->nnotes++] = s;
    va_end(ap);
}

int zx_sheetout_status(const zx_sheetout *w)
{
    if (w->nomem || w->err == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return ZX_ENOMEM;
    return w->err ? ZX_EIO : ZX_OK;
}

lxw_workbook *zx_sheetout_workbook(zx_sheetout *w)
{
    return w->wb;
}

lxw_worksheet *zx_sheetout_worksheet(zx_sheetout *w)
{
    return w->ws;
}

long long zx_sheetout_rows(const zx_sheetout *w)
{
    return w->offered < ZX_SHEETOUT_MAX_ROWS ? w->offered
                                             : ZX_SHEETOUT_MAX_ROWS;
}

void zx_sheetout_error(zx_sheetout *w, lxw_error err)
{
    if (!w->err)
        w->err = err;
}

/* The header row, bold and frozen. */
static void write_head(zx_sheetout *w)
{
    int i;

    for (i = 0; i < w->spec->ncols && !w->err; i++) {
        w->err = worksheet_write_string(w->ws, 0, (lxw_col_t)i,
                                        w->spec->cols[i].title, w->head);
        /* room for the autofilter's arrow */
        w->width[i] = text_width(w->spec->cols[i].title) + 3;
    }
    worksheet_freeze_panes(w->ws, 1, 0);
}

/* What follows the rows: widths, the autofilter, the note of rows left
 * out, and the sheet 说明. */
static void write_tail(zx_call *c, zx_sheetout *w)
{
    long long rows = zx_sheetout_rows(w);
    int synthetic = zx_export_synthetic(c->db), i;
    lxw_worksheet *notes;
    lxw_row_t at = 0;

    for (i = 0; i < w->spec->ncols && !w->err; i++) {
        double wd = w->spec->cols[i].width;

        if (wd <= 0)
            wd = fmin(w->width[i] + 1, MAX_WIDTH);
        w->err = worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, wd,
                                      NULL);
    }
    if (!w->err && rows > 0)
        w->err = worksheet_autofilter(w->ws, 0, 0, (lxw_row_t)rows,
                                      (lxw_col_t)(w->spec->ncols - 1));
    if (w->offered > rows) {
        char cut[256];

        snprintf(cut, sizeof(cut), "仅导出前 %lld 行（共 %lld 行），其余未导出；"
                 "请缩小范围后分批导出。", rows, w->offered);
        if (!w->err)
            w->err = worksheet_write_string(w->ws, (lxw_row_t)rows + 2, 0,
                                            cut, w->head);
        zx_sheetout_note(w, "%s", cut);
    }
    if (w->err || (!synthetic && !w->nnotes))
        return;
    if (!(notes = workbook_add_worksheet(w->wb, "说明"))) {
        w->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    w->err = worksheet_set_column(notes, 0, 0, 80, NULL);
    if (synthetic && !w->err)
        w->err = worksheet_write_string(notes, at++, 0, zx_demo_banner,
                                        w->head);
    for (i = 0; i < w->nnotes && !w->err; i++)
        w->err = worksheet_write_string(notes, at++, 0, w->notes[i], NULL);
}

/* Writes the workbook into path; ZX_OK or the error to answer. */
static int write_book(zx_call *c, zx_sheetout *w, const char *path,
                      zx_sheetout_fill_fn fill, void *ctx)
{
    int rc;

    if (!(w->wb = workbook_new(path)))
        return ZX_ENOMEM;
    w->ws = workbook_add_worksheet(w->wb, w->spec->sheet);
    w->head = workbook_add_format(w->wb);
    w->fig = workbook_add_format(w->wb);
    if (!w->ws || !w->head || !w->fig) {
        lxw_workbook_free(w->wb);
        return ZX_ENOMEM;
    }
    format_set_bold(w->head);
    format_set_num_format(w->fig, "0.00");
    write_head(w);
    rc = w->err ? ZX_OK : fill(w, ctx);
    w->writing = 0;
    if (!rc && !w->err)
        write_tail(c, w);
    if (!rc)
        rc = zx_sheetout_status(w);
    if (rc) {
        lxw_workbook_free(w->wb);
        return rc;
    }
    return workbook_close(w->wb) ? ZX_EIO : ZX_OK; /* frees wb either way */
}

void zx_sheetout_answer(zx_call *c, const zx_sheetout_spec *spec,
                        zx_sheetout_fill_fn fill, void *ctx,
                        const zx_diag *diag)
{
    zx_sheetout w;
    zx_api_scratch tmp;
    int rc, i;

    memset(&w, 0, sizeof(w));
    w.spec = spec;
    if (spec->ncols < 1 || spec->ncols > MAX_COLS) {
        zx_api_error(c, 500, "internal", "导出表的列数无效");
        return;
    }
    if (zx_api_scratch_open(c, &tmp, "export.xlsx"))
        return;
    rc = write_book(c, &w, tmp.path, fill, ctx);
    for (i = 0; i < w.nnotes; i++)
        free(w.notes[i]);
    if (rc) {
        zx_api_scratch_close(&tmp);
        if (rc == ZX_EIO)
            zx_api_error(c, 500, "internal", "无法生成导出文件");
        else
            zx_api_fail(c, rc, diag);
        return;
    }
    if (zx_export_synthetic(c->db))
        zx_http_resp_header(c->resp, "X-Zhenxing-Synthetic", "1");
    zx_api_answer_file(c, &tmp, xlsx_type, spec->filename);
}
