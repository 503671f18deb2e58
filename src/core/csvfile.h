/*
 * csvfile.h - reading CSV files as rows of UTF-8 cells (libcsv + iconv).
 *
 * Accepts what Excel, WPS and editors write: UTF-8 with or without BOM, or
 * GBK/GB18030; CRLF, LF or CR line ends; quoted fields with embedded line
 * breaks.  Row numbers count as a spreadsheet shows them: blank lines count,
 * a line break inside quotes does not.
 */
#ifndef ZX_CSVFILE_H
#define ZX_CSVFILE_H

#include "table.h"

/* Same contract as zx_table_read. */
int zx_csv_read(const char *path, const char *name, zx_row_fn fn, void *ctx,
                zx_progress_fn progress, void *pctx, zx_diag *diag);

#endif
