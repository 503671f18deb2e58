/*
 * diag.h - a list of diagnostics: problems found in user input.
 *
 * Imports report every problem of a file at once, each tied to a place
 * (file, spreadsheet row, column) so that the clerk can fix the file in one
 * go.  The library only collects; the CLI prints them as
 * "FILE:ROW:COLUMN: message" and the server returns them as JSON.
 */
#ifndef ZX_DIAG_H
#define ZX_DIAG_H

#include <stddef.h>

typedef struct zx_diag zx_diag;

typedef struct zx_diag_item {
    const char *file;  /* file name as given by the user, or "" */
    long row;          /* 1-based spreadsheet row (header = 1); 0 if none */
    int col;           /* 0-based column; -1 if the problem is not in a cell */
    const char *msg;   /* Chinese, UTF-8 */
} zx_diag_item;

/* Returns a new empty list, or NULL when out of memory.  Free with
 * zx_diag_free. */
zx_diag *zx_diag_new(void);
void zx_diag_free(zx_diag *d);

/* Appends a problem.  The strings are copied.  Out of memory is remembered
 * and reported by zx_diag_count as at least one item so a failing import
 * never looks clean. */
void zx_diag_add(zx_diag *d, const char *file, long row, int col,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

size_t zx_diag_count(const zx_diag *d);

/* The i-th item; the pointer is owned by the list and valid until the list
 * is freed or cleared. */
const zx_diag_item *zx_diag_get(const zx_diag *d, size_t i);

void zx_diag_clear(zx_diag *d);

/* Writes the spreadsheet column name of a 0-based column ("A", "AB") into
 * buf (at least 8 bytes). */
void zx_diag_colname(int col, char *buf);

#endif
