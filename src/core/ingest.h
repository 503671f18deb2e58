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
 * imported (zx_ingest_record): a row of import_batch and an audit entry
 * naming the file by its hash.
 *
 * The other sheet importers (values, training records, substitute counts)
 * share that contract but not the registry's machinery (its writer thread,
 * its units created on the way), so zx_ingest_run holds the part they have
 * in common: the transaction, the reading, the verdict and the record.  An
 * importer brings only what a row means: its callbacks, constant
 * (zx_ingest_importer), and the counts they keep for the driver to judge
 * and record (zx_ingest_counts).
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

/* Maps the header row of a sheet of def onto pos (def->n entries: the
 * file column of each sheetdef column, or -1), reporting in diag under
 * file every unknown header ("未知的表头“X”：" then unknown), every
 * header given twice, and every required column missing.  Returns 0, or
 * ZX_INGEST_STOP_HEADER when anything was reported. */
int zx_ingest_header(const zx_sheetdef *def, const zx_row *row, int *pos,
                     const char *file, const char *unknown, zx_diag *diag);

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

/* "XLSX" when path ends in .xlsx (any case), else "CSV": the format
 * zx_table_read will take it for, to report.  Static. */
const char *zx_ingest_format(const char *path);

/* A row callback of zx_ingest_run returns one of these to stop reading,
 * having put the reason in diag (ZX_INGEST_STOP_DB, as the database is
 * failing, may say nothing more); zx_ingest_run returns the ZX_ code. */
enum zx_ingest_stop {
    ZX_INGEST_STOP_HEADER = 1000, /* the header is unusable: ZX_EDATA */
    ZX_INGEST_STOP_DB,            /* the database failed: ZX_EDB */
    ZX_INGEST_STOP_NOMEM          /* out of memory: ZX_ENOMEM */
};

/* What the data row callback counts as it goes.  The driver cannot see
 * what a row means, so the callback says it here, and the driver reads it
 * for its verdict and the batch record. */
typedef struct zx_ingest_counts {
    long rows;                       /* data rows read */
    long inserted, updated, unchanged; /* what the rows wrote */
    long bad;                        /* rows with a problem (in diag) */
} zx_ingest_counts;

/* An importer as zx_ingest_run drives it: what does not change from one
 * file to the next, so each importer keeps it in one static constant. */
typedef struct zx_ingest_importer {
    const char *kind;     /* import_batch.kind, as zx_ingest_batch */
    zx_row_fn header;     /* called with the first row */
    zx_row_fn row;        /* called with each later row */
    /* The batch's extra audit fields (zx_ingest_batch.extra), asked for
     * only when the import is to be recorded, as they may depend on what
     * was read; a new reference, or NULL when out of memory.  NULL for
     * none. */
    json_t *(*extra)(void *ctx);
} zx_ingest_importer;

/* One all-or-nothing import for zx_ingest_run.  All borrowed. */
typedef struct zx_ingest_job {
    const zx_ingest_importer *importer;
    void *ctx;            /* of the importer's callbacks */
    zx_ingest_counts *counts; /* kept by its row callback; zeroed here */
    const char *path;     /* the file to read */
    const char *name;     /* the file name in diagnostics and the record */
    const char *actor;
    const char *at;       /* as zx_ingest_batch.at: NULL for now */
    int dry_run;          /* check only: always rolled back */
    zx_progress_fn progress; /* as zx_table_read; may be NULL */
    void *pctx;
    zx_diag *diag;
} zx_ingest_job;

/* Runs job in one transaction: reads the file through the importer's
 * callbacks, then rolls everything back if the file had no header row,
 * any row was bad (counts->bad) or job->dry_run, and otherwise records
 * the batch (zx_ingest_record) and commits.  Every failure is said in
 * diag, naming the file.  Returns ZX_OK (also for a clean dry run),
 * ZX_EDATA, the reader's ZX_EFORMAT or ZX_EIO, ZX_EDB or ZX_ENOMEM. */
int zx_ingest_run(zx_db *db, const zx_ingest_job *job);

#endif
