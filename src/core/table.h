/*
 * table.h - row-by-row reading of a tabular file, CSV or XLSX.
 *
 * The importers see a file as a stream of rows of UTF-8 cells, whatever its
 * format or encoding, and never hold the whole sheet: a million-row file
 * costs the memory of one row (plus, for XLSX, its shared strings).
 */
#ifndef ZX_TABLE_H
#define ZX_TABLE_H

#include "diag.h"

enum zx_cell_kind {
    ZX_CELL_TEXT = 0, /* a string (every CSV cell is text) */
    ZX_CELL_NUMBER,   /* an XLSX number, cell text as stored: "12", "3.5" */
    ZX_CELL_DATE,     /* an XLSX number with a date format, already
                         converted to "YYYY-MM-DD" (or "YYYY-MM-DD HH:MM:SS") */
    ZX_CELL_BOOL,     /* an XLSX boolean, "TRUE" or "FALSE" */
    ZX_CELL_ERROR     /* an XLSX error value such as "#N/A" */
};

typedef struct zx_row {
    long line;                  /* row number a spreadsheet shows (header 1) */
    int n;                      /* number of cells */
    const char *const *cell;    /* n UTF-8 strings, "" when empty */
    const unsigned char *kind;  /* n zx_cell_kind values */
} zx_row;

/* Called once per row in file order.  A non-zero return stops reading and
 * is returned by the reader.  The row and its strings are valid only during
 * the call. */
typedef int (*zx_row_fn)(void *ctx, const zx_row *row);

/* Called now and then with the bytes consumed so far and the total (both
 * of the input file, so a caller can draw a progress bar).  May be NULL. */
typedef void (*zx_progress_fn)(void *ctx, long long done, long long total);

/* Reads path, choosing the format by its extension (.csv, .xlsx; case does
 * not matter).  `name` is the file name used in diagnostics.  Problems of
 * the file itself (unreadable, bad encoding, not a zip) are added to diag
 * and an error code is returned. */
int zx_table_read(const char *path, const char *name, zx_row_fn fn,
                  void *ctx, zx_progress_fn progress, void *pctx,
                  zx_diag *diag);

#endif
