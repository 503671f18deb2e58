/*
 * values.h - the values of the plan's data elements: the facts a plan
 * reads besides the registry (a school's counselling room, a town's
 * spending, the year a teacher was promoted), one per element, unit and,
 * for a yearly element, year.
 *
 * Values arrive three ways that must agree: one at a time (zx_values_set,
 * from the command line and later the server), as a wide sheet per level
 * (zx_values_import: one row per unit, one column per element) and through
 * the Excel template of that sheet (zx_values_template).  All three check a
 * value with the same parser, and every accepted value is stored in the
 * one form the indicator engine reads (compile.c): bool 0/1, int and
 * decimal in data_value.num; an option as its 1-based index in num and its
 * label in text; a date as "YYYY-MM-DD" and free text in text.
 *
 * Writes are keyed upserts: a new value is inserted, a changed one
 * updated, an identical one left alone (no audit entry, so re-importing a
 * sheet changes nothing), an empty one deleted.  Each insert, update and
 * delete is appended to the audit log in the same transaction, as tbl
 * "data_value", key "ELEMENT/UNIT/YEAR" (UNIT = the unit's code or the
 * teacher number; YEAR = 0 for an element that is not yearly) and the old
 * and new values as JSON {"value": ...}.
 *
 * This is the one public header of the module, which is three files:
 * values.c (one value: parsing, storing, zx_values_set/get), valimport.c
 * (zx_values_import) and valtemplate.c (zx_values_template); what they
 * share among themselves is in valint.h.
 */
#ifndef ZX_VALUES_H
#define ZX_VALUES_H

#include <stddef.h>

#include "db.h"
#include "diag.h"
#include "plan.h"
#include "table.h"

/* Longest text value, in characters. */
#define ZX_VALUES_MAXTEXT 500

enum zx_values_change {
    ZX_VALUES_UNCHANGED = 0, ZX_VALUES_INSERTED, ZX_VALUES_UPDATED,
    ZX_VALUES_DELETED
};

/* One stored value, as zx_values_get reads it. */
typedef struct zx_value {
    int present;               /* 0: nothing is stored (the rest is empty) */
    int year;                  /* the year it is stored under, 0 if none */
    double num;                /* bool 0/1, int, decimal, option index */
    /* The value as a clerk writes it, which the importer reads back to the
     * same value: 是/否, "12", "3.5", the option label, "2020-09-01", the
     * text. */
    char text[ZX_VALUES_MAXTEXT * 4 + 1];
    char entered_by[128];
    char entered_at[32];       /* "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
} zx_value;

/* The element of plan whose id, or Chinese name, is ref (any width and
 * spacing); NULL when none. */
const zx_data_element *zx_values_element(const zx_plan *plan,
                                         const char *ref);

/* The year a form is for by default: the last of the baseline and plan
 * years that is not later than this calendar year (the baseline when the
 * plan has not started). */
int zx_values_current_year(const zx_plan *plan);

/* "学校", "区镇", "集团", "教师" or "全市"; static. */
const char *zx_values_level_title(enum zx_level level);

/* What de accepts, in Chinese, for template notes and messages, e.g.
 * "整数，0～5000" or "选项：甲、乙（也可填序号 1～2）". */
void zx_values_describe(const zx_data_element *de, char *buf, size_t cap);

/* Sets the value of element (id or Chinese name) for unit, in its own
 * transaction (so not inside an open one).  unit is the org unit's code
 * (学校标识码, 区镇/集团/市 编码; towns, groups and the city also by name)
 * or, for a teacher-level element, the teacher number; its kind must be
 * the element's level.  year is the baseline or a plan year for a yearly
 * element and ignored otherwise.  value is raw text as typed (normalised
 * here); empty or NULL deletes the stored value.  *change (may be NULL)
 * receives what happened.  Returns ZX_OK; ZX_ENOTFOUND for an unknown
 * element or unit; ZX_EDATA for a value, level or year that does not fit,
 * or a change of values the approval workflow locks (review.h: the unit's
 * year is submitted, approved or accepted); ZX_EDB.  Every problem is
 * explained in diag, in Chinese. */
int zx_values_set(zx_db *db, const zx_plan *plan, const char *element,
                  const char *unit, int year, const char *value,
                  const char *actor, zx_diag *diag, int *change);

/* Reads the value of element for unit and year (as for zx_values_set)
 * into *out; out->present is 0 when none is stored.  Returns ZX_OK,
 * ZX_ENOTFOUND, ZX_EDATA or ZX_EDB like zx_values_set. */
int zx_values_get(zx_db *db, const zx_plan *plan, const char *element,
                  const char *unit, int year, zx_value *out, zx_diag *diag);

typedef struct zx_values_result {
    long rows;                 /* data rows read (header, blank rows aside) */
    long inserted, updated, unchanged;   /* values, one per filled cell */
    long blank;                /* element cells left blank: no change */
    char format[8];            /* "CSV" or "XLSX" */
} zx_values_result;

/* Imports a sheet of values at path (CSV or XLSX, first sheet).  The first
 * column names the unit and so the level: 学校标识码 (schools), 区镇编码 or
 * 区镇 (towns, by code or name), 集团编码 or 集团 (groups), 教师编号
 * (teachers).  Name columns (学校名称, 姓名, ...) are ignored; 年度 gives
 * the year of the row's yearly elements and is required when the sheet
 * has any; every other column is a data element of that level, headed
 * with its Chinese name or id.  A blank cell changes nothing; a cell that
 * would change a value the approval workflow locks (review.h) is a
 * problem of its row, reported once per row and lock.  All or
 * nothing, in one transaction, like the registry import (ingest.h): every
 * problem goes to diag as FILE:ROW:COLUMN, with name the file name shown;
 * any problem, or dry_run, leaves the database as it was.  The import is
 * recorded in import_batch (kind "values") with an audit entry.  Returns
 * ZX_OK (imported, or would have been), ZX_EDATA (problems in the file),
 * ZX_EFORMAT (not a readable table), ZX_EDB or ZX_ENOMEM; res is filled
 * in every case. */
int zx_values_import(zx_db *db, const zx_plan *plan, const char *path,
                     const char *name, int dry_run, const char *actor,
                     zx_progress_fn progress, void *pctx, zx_diag *diag,
                     zx_values_result *res);

/* The level (school, town, group or teacher) that header, the first
 * column of a values sheet, names as zx_values_import reads it; -1 for
 * none. */
int zx_values_sheet_level(const char *header);

/* Writes the XLSX template for the data elements of level (school, town,
 * group or teacher) to path, or stdout when path is NULL; the file appears
 * only when complete.  The sheet is pre-filled with every unit of the
 * level (its key and, in grey, its name) and, when the level has yearly
 * elements, with the current plan year (zx_values_current_year); each
 * element column carries a note, a drop-down or a range check.  *units
 * (may be NULL) receives the number of rows written.  Returns ZX_OK;
 * ZX_EINVAL for the city level; ZX_ENOTFOUND when the plan has no element
 * at level; ZX_EIO (errno telling why, see zx_export_strerror); ZX_EDB;
 * ZX_ENOMEM. */
int zx_values_template(zx_db *db, const zx_plan *plan, enum zx_level level,
                       const char *path, long *units);

#endif
