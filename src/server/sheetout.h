/*
 * sheetout.h - a list answered as a workbook: the one writer behind
 * `?format=xlsx` of the teaching-force lists (/api/gaps,
 * /api/training/units, /api/training/teachers,
 * /api/pairing/:programme/pairs) and behind /api/indicators/export.
 *
 * A handler describes its columns (Chinese titles, text or number) and
 * gives a fill function that runs its listing, writing one row per item
 * it keeps; zx_sheetout_answer does the rest: a private scratch file
 * (libxlsxwriter writes only to a named file), the bold header row,
 * frozen, an autofilter over the rows, column widths from the titles and
 * the values written (Chinese characters count double), numbers as
 * numbers, a sheet 说明 with zx_demo_banner when the data are synthetic
 * (and the X-Zhenxing-Synthetic header), and the file answered for
 * download under the handler's name.
 *
 * Every row a listing offers goes through zx_sheetout_row, but at most
 * ZX_SHEETOUT_MAX_ROWS are written: the rest are counted only, and the
 * sheet then says below its rows (and in 说明) how many were left out.
 */
#ifndef ZX_SHEETOUT_H
#define ZX_SHEETOUT_H

#include <xlsxwriter.h>

#include "api.h"

/* Rows written at most; the rest are counted and said to be left out. */
#define ZX_SHEETOUT_MAX_ROWS 100000

enum zx_sheetout_kind {
    ZX_SHEETOUT_TEXT,          /* a string */
    ZX_SHEETOUT_NUM,           /* a number as it is (a count, a year) */
    ZX_SHEETOUT_FIG            /* a figure, two decimals shown */
};

typedef struct zx_sheetout_col {
    const char *title;
    enum zx_sheetout_kind kind;
    double width;              /* in Excel's units; 0: from the values */
} zx_sheetout_col;

typedef struct zx_sheetout zx_sheetout;

/* Fills the sheet: runs the listing, calling zx_sheetout_row and the
 * cell writers per item kept.  Returns 0, or a ZX_ error (the writer's
 * own, zx_sheetout_status, included) that zx_sheetout_answer answers. */
typedef int (*zx_sheetout_fill_fn)(zx_sheetout *w, void *ctx);

typedef struct zx_sheetout_spec {
    const char *sheet;         /* the data sheet's name (at most 31 chars) */
    const zx_sheetout_col *cols;
    int ncols;
    const char *filename;      /* offered for download, "…_2021年.xlsx" */
} zx_sheetout_spec;

/* The ?format= of a list: 0 for JSON (absent, "json"), 1 for "xlsx";
 * -1 after answering 400 for anything else. */
int zx_sheetout_wanted(zx_call *c);

/* Writes the workbook of spec, filled by fill(ctx), and answers it; on
 * failure answers the error instead: fill's ZX_ code with diag (may be
 * NULL) as zx_api_fail does, 500 when the file cannot be written. */
void zx_sheetout_answer(zx_call *c, const zx_sheetout_spec *spec,
                        zx_sheetout_fill_fn fill, void *ctx,
                        const zx_diag *diag);

/* The download name: "UNIT_" (the name of the unit of code unit, when
 * unit is given and known) and then fmt's text, into out (cap bytes). */
void zx_sheetout_filename(zx_call *c, char *out, size_t cap,
                          const char *unit, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Starts the next row: 1 when it is written, 0 when the sheet is full
 * (the row is counted, and the cell writers do nothing until the next). */
int zx_sheetout_row(zx_sheetout *w);

/* Cells of the current row; NULL text and NaN numbers leave the cell
 * empty. */
void zx_sheetout_text(zx_sheetout *w, int col, const char *s);
void zx_sheetout_num(zx_sheetout *w, int col, double v);
void zx_sheetout_yes(zx_sheetout *w, int col, int yes);   /* 是 / 否 */

/* A line for the sheet 说明 (a check the plan leaves out, ...). */
void zx_sheetout_note(zx_sheetout *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ZX_OK, or the first error of the writer as ZX_EIO / ZX_ENOMEM: what a
 * row callback returns so that a listing stops at a failure. */
int zx_sheetout_status(const zx_sheetout *w);

/* For a fill adding more than rows (a chart): the workbook, the data
 * sheet, the rows written so far (below the header), and a failure of
 * libxlsxwriter to record. */
lxw_workbook *zx_sheetout_workbook(zx_sheetout *w);
lxw_worksheet *zx_sheetout_worksheet(zx_sheetout *w);
long long zx_sheetout_rows(const zx_sheetout *w);
void zx_sheetout_error(zx_sheetout *w, lxw_error err);

#endif
