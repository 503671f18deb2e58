/*
 * xlsx.h - streaming reader for the first worksheet of an .xlsx workbook.
 *
 * Clerks hand in spreadsheets saved by Excel or WPS; this module turns the
 * first worksheet into the same row stream as a CSV file (see table.h), so
 * the importers need not know which format they were given.  The sheet is
 * parsed as it is decompressed, so only its shared strings and one row are
 * ever held in memory.
 */
#ifndef ZX_XLSX_H
#define ZX_XLSX_H

#include "table.h"

/* Reads the first worksheet of the workbook at path, calling fn once per
 * non-empty row in order.  name is used in diagnostics.  Returns ZX_OK, the
 * non-zero value fn returned, or ZX_EIO / ZX_EFORMAT (with a diagnostic in
 * diag) / ZX_ENOMEM.  progress, if not NULL, receives the uncompressed
 * bytes of the sheet consumed so far and the sheet's uncompressed size. */
int zx_xlsx_read(const char *path, const char *name, zx_row_fn fn, void *ctx,
                 zx_progress_fn progress, void *pctx, zx_diag *diag);

/* Converts an Excel date serial to a calendar date (1900 system with
 * Excel's phantom 1900-02-29, or 1904 system).  The fraction is the time
 * of day, rounded to the nearest second.  Returns ZX_OK or ZX_EINVAL (for
 * negative serials, serials past 9999-12-31, and the phantom day 60 of the
 * 1900 system). */
int zx_xlsx_serial_to_date(double serial, int date1904, int *y, int *m,
                           int *d, int *secs_of_day);

#endif
