/*
 * ingest.h - importing registry sheets (schools, enrolment, teachers,
 * roles) from CSV or XLSX files.
 *
 * All or nothing: the whole file is validated and written in one
 * transaction, rolled back if any row is invalid (or always, for a dry
 * run), so a bad file, a crash or a kill never leaves part of it behind.
 * Every problem is reported, each with its row and column.
 */
#ifndef ZX_INGEST_H
#define ZX_INGEST_H

#include "db.h"
#include "diag.h"
#include "table.h"

typedef struct zx_ingest_result {
    long rows;        /* data rows read (header and blank rows excluded) */
    long inserted, updated, unchanged;
    int ncreated;     /* units (towns, groups) created by the import */
    char **created;   /* ncreated strings such as "区镇 常乐镇（编码 ...）" */
    char format[8];   /* "CSV" or "XLSX" */
} zx_ingest_result;

/* Imports the file at path as kind ("schools", "enrolment", "teachers" or
 * "roles").  name is the file name shown in diagnostics; actor is recorded
 * in the audit log.  Returns ZX_OK when the file was imported (or, with
 * dry_run, would have been), ZX_EDATA when rows are invalid, ZX_EFORMAT
 * when the file cannot be read as a table; details go to diag.  res is
 * filled in either case (overwritten: free an earlier result first);
 * release it with zx_ingest_result_free. */
int zx_ingest_file(zx_db *db, const char *kind, const char *path,
                   const char *name, int dry_run, const char *actor,
                   zx_progress_fn progress, void *pctx, zx_diag *diag,
                   zx_ingest_result *res);

void zx_ingest_result_free(zx_ingest_result *res);

#endif
