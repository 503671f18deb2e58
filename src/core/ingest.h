/*
 * ingest.h - importing registry sheets (schools, enrolment, teachers,
 * roles) from CSV or XLSX files.
 *
 * All or nothing: the whole file is validated and written in one
 * transaction, rolled back if any row is invalid (or always, for a dry
 * run), so a bad file, a crash or a kill never leaves part of it behind.
 * Every problem is reported, each with its row and column.
 *
 * Each import that commits is written down the same way, whatever was
 * imported (zx_ingest_record, also used by the values import in
 * valimport.c): a row of import_batch and an audit entry naming the file
 * by its hash.
 */
#ifndef ZX_INGEST_H
#define ZX_INGEST_H

#include <jansson.h>

#include "db.h"
#include "diag.h"
#include "codes.h"
#include "sheetdef.h"
#include "table.h"

/* A cell's value as the importer reads it. */
typedef struct zx_cell {
    int set;            /* the cell was filled */
    const char *s;      /* normalised text (in the caller's buffer) */
    long long i;        /* INT, YEAR; CODE: numeric code */
    double d;           /* DEC */
    const zx_code *code;/* CODE */
    char month[24];     /* MONTH: "YYYY-MM" */
} zx_cell;

/* Checks raw, a cell of col, into *v with the importer's rules and
 * words, so that a form (the server's record edits) says what an import
 * would: the text normalised into buf (at least strlen(raw) + 1 bytes),
 * then read by the column's type.  kind is the cell's ZX_CELL_* (a form
 * gives ZX_CELL_TEXT); now_ym this month as YYYYMM, for dates not in the
 * future.  Returns 0, or -1 with the problem, in Chinese, in err. */
int zx_ingest_check(const zx_coldef *col, const char *raw, int kind,
                    int now_ym, char *buf, zx_cell *v, char *err,
                    size_t errcap);

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

/* An import that went through, as zx_ingest_record writes it down.  The
 * strings and extra are borrowed. */
typedef struct zx_ingest_batch {
    const char *kind;   /* "schools", ... or "values": import_batch.kind
                           and the audit entry's tbl */
    const char *path;   /* the file read, to be hashed */
    const char *name;   /* the file name to record */
    const char *actor;
    const char *at;     /* "YYYY-MM-DDTHH:MM:SSZ" (UTC), or NULL for now */
    long rows, inserted, updated, unchanged;
    json_t *extra;      /* more fields for the audit entry's JSON, or NULL */
} zx_ingest_batch;

/* Records the import b inside the caller's transaction: a row of
 * import_batch, and an "import" audit entry keyed by that row's id whose
 * JSON has the kind, file name, counts and the file's BLAKE2b-256 (as
 * "blake2b"; import_batch keeps it in its sha256 column), so the log
 * identifies exactly which file was loaded.  Returns ZX_OK, ZX_EIO when
 * the file cannot be read, ZX_EDB or ZX_ENOMEM. */
int zx_ingest_record(zx_db *db, const zx_ingest_batch *b);

#endif
