/*
 * valint.h - what values.c shares with the two other parts of the values
 * module, valimport.c (the sheet import) and valtemplate.c (the sheet's
 * Excel template).  Internal: other modules use values.h.
 *
 * The module is three files so that none grows past a reviewable size, but
 * it keeps one parser and one writer: the import checks and stores each
 * cell through zx_values_parse and zx_values_write exactly as
 * zx_values_set does, and the template describes values with the words
 * the parser's messages use.
 */
#ifndef ZX_VALINT_H
#define ZX_VALINT_H

#include <stddef.h>

#include "values.h"

/* A value as it will be stored. */
typedef struct zx_values_parsed {
    int empty;          /* nothing given: delete (set) or no change (sheet) */
    int has_num;
    double num;
    const char *text;   /* NULL, buf, or an option label of the plan */
    char *buf;          /* the normalised input; malloc'd, reused: the
                           caller frees it */
    size_t cap;
} zx_values_parsed;

/* Where a value goes. */
typedef struct zx_values_target {
    const zx_data_element *de;
    long long unit_id;        /* org_unit id, or teacher id */
    const char *unit_code;    /* its code or teacher number, for the audit */
    int year;                 /* as stored: 0 when not yearly */
} zx_values_target;

/* Checks raw (the text of a cell of the given zx_cell_kind; NULL is empty)
 * as a value of de into *p, whose buf is reused.  Returns ZX_OK, ZX_EDATA
 * with a Chinese message in err, or ZX_ENOMEM. */
int zx_values_parse(const zx_data_element *de, const char *raw, int kind,
                    zx_values_parsed *p, char *err, size_t errcap);

/* Inserts, updates or deletes (p->empty) the value at t, inside the
 * caller's transaction, with its audit entry; an identical value is left
 * alone.  at is the time recorded (zx_values_now).  *change receives a
 * zx_values_change.  Returns ZX_OK, ZX_EDB or ZX_ENOMEM. */
int zx_values_write(zx_db *db, const zx_values_target *t,
                    const zx_values_parsed *p, const char *actor,
                    const char *at, int *change);

/* Asks the approval workflow (review.h) whether p may be written at t:
 * ZX_OK when t's unit and year are not locked, or when p changes nothing
 * (so a sheet imported again still passes); ZX_EDATA with the reason in
 * err when it would change a locked value; ZX_EDB; ZX_ENOMEM. */
int zx_values_check_lock(zx_db *db, const zx_plan *plan,
                         const zx_values_target *t,
                         const zx_values_parsed *p, char *err,
                         size_t errcap);

/* Normalises s (zx_text_norm with flags) into the buffer *buf of *cap
 * bytes, grown as needed with room for a reformatted date; returns *buf,
 * or NULL when out of memory. */
char *zx_values_norm(const char *s, char **buf, size_t *cap, int flags);

/* Non-zero when year is the plan's baseline or one of its years. */
int zx_values_has_year(const zx_plan *plan, int year);

/* The years of the plan, e.g. "2019（基线）、2020、2021、2022". */
void zx_values_years_text(const zx_plan *plan, char *buf, size_t cap);

/* The range de allows, e.g. "0～5000", "不小于 0", or "" when none. */
void zx_values_range_text(const zx_data_element *de, char *buf, size_t cap);

/* "2020-09-01T08:00:00Z": now, as import_batch and data_value record
 * times. */
void zx_values_now(char *buf, size_t cap);

#endif
