/*
 * export.h - writing the registry out as the import sheets: CSV, XLSX or
 * JSON, one row per record, the columns of sheetdef.h in their order.
 *
 * An export is the importer's inverse: importing an export changes
 * nothing, and importing it into an empty registry rebuilds the same data.
 * So every value is written in the form the importer reads back to the
 * stored value (code lists as their Chinese names, yes/no as 是/否,
 * decimals with 15 significant digits).  Rows stream from one prepared
 * statement to the file inside one read transaction, so a million-row
 * export is a consistent snapshot and costs the memory of one row.
 *
 * Output goes to a staging file beside the destination, renamed over it
 * only once complete, so a failed export never leaves a truncated file
 * that looks like a good one.  The staging calls are public because the
 * templates (template.c) write their workbooks the same way, as is the
 * column width, so that a template and an export of the same sheet look
 * alike.
 */
#ifndef ZX_EXPORT_H
#define ZX_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "db.h"
#include "sheetdef.h"
#include "table.h"

enum zx_export_format { ZX_EXPORT_CSV, ZX_EXPORT_XLSX, ZX_EXPORT_JSON };

/* "csv", "xlsx" or "json", in any case, into *fmt; ZX_EINVAL otherwise. */
int zx_export_format_parse(const char *name, enum zx_export_format *fmt);

/* The format named by the extension of path (".csv", ".xlsx", ".json");
 * ZX_EINVAL when it names none of them. */
int zx_export_format_of_path(const char *path, enum zx_export_format *fmt);

/* "csv", "xlsx" or "json"; static. */
const char *zx_export_format_name(enum zx_export_format fmt);

/* Non-zero when the database holds synthetic data (meta "synthetic" is
 * "1"), which an export must then say, with zx_demo_banner (demo.h): an
 * XLSX export gets a sheet "说明" holding it, a JSON export says
 * "synthetic": true, and a CSV file, which has no room for it, leaves it
 * to the caller. */
int zx_export_synthetic(zx_db *db);

/* Writes every record of kind ("schools", "enrolment", "teachers",
 * "roles") to path (NULL = stdout) in format fmt, ordered by the sheet's
 * key.  progress, if not NULL, receives rows written and rows in all.  On
 * success *rows_out (if not NULL) is the number of rows written.  Returns
 * ZX_OK; ZX_EINVAL for an unknown kind or more rows than an XLSX sheet
 * holds; ZX_EIO when the output cannot be written; ZX_EDB; ZX_ENOMEM.  On
 * failure a Chinese message is written to errbuf (which may be NULL) and
 * no file is left at path. */
int zx_export(zx_db *db, const char *kind, enum zx_export_format fmt,
              const char *path, zx_progress_fn progress, void *pctx,
              long *rows_out, char *errbuf, size_t errlen);

/* Why a file could not be written, in Chinese, for an errno value left
 * by zx_export_file_open / _close; static. */
const char *zx_export_strerror(int errnum);

/* Width, in Excel character units, that shows col's header and typical
 * values; Chinese characters count double. */
double zx_export_col_width(const zx_coldef *col);

/* A file being written.  Either fp is set (write to it) or, for writers
 * that open a file by name themselves (libxlsxwriter), name is. */
typedef struct zx_export_file {
    FILE *fp;          /* the stream to write, or NULL */
    const char *name;  /* the file to write by name, or NULL; owned here */
    /* private */
    const char *dest;  /* destination path, or NULL for stdout */
    char *tmp;         /* staging file (malloc'd), or NULL */
    int copy;          /* at the end copy tmp to dest instead of renaming */
} zx_export_file;

/* Starts writing to dest (NULL = stdout).  With by_name the caller gets a
 * file name to open itself: standard output and other non-regular files
 * are then staged in $TMPDIR and copied at the end.  Returns ZX_OK or
 * ZX_EIO / ZX_ENOMEM with errno telling why. */
int zx_export_file_open(zx_export_file *f, const char *dest, int by_name);

/* Finishes: with commit, puts the staged output in place (or flushes the
 * stream) and returns ZX_OK or ZX_EIO (errno telling why); without,
 * removes what was staged and leaves errno as it was, so that a caller
 * abandoning a file can still report why.  Releases f either way. */
int zx_export_file_close(zx_export_file *f, int commit);

#endif
