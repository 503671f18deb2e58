/*
 * codes.h - the code lists of the registry: national codes (办学类型,
 * 城乡类型, 学科) and the fixed value lists of the import templates.
 *
 * One table serves validation on import (a value may be given as its code,
 * its Chinese name or an alias, in any width), the drop-downs and notes of
 * the Excel templates, exports and the README.  Values are matched after
 * zx_text_norm(PUNCT|SQUASH), so "小学 " and "211" and "２１１" all match.
 */
#ifndef ZX_CODES_H
#define ZX_CODES_H

typedef struct zx_code {
    const char *code;    /* national or local code; the name when none */
    const char *name;    /* Chinese name, the canonical written form */
    const char *aliases; /* other accepted spellings, '|'-separated, or "" */
} zx_code;

typedef struct zx_codelist {
    const char *id;      /* "school_type", "subject", ... */
    const char *title;   /* Chinese title, e.g. "办学类型" */
    int numeric;         /* codes are numbers and stored as integers */
    const zx_code *items;
    int n;
} zx_codelist;

/* The list with that id, or NULL.  Static data. */
const zx_codelist *zx_codes_get(const char *id);

/* All lists, for documentation; *n receives their count. */
const zx_codelist *zx_codes_all(int *n);

/* Index of the item matching value (code, name or alias), or -1.  value is
 * normalised here, so raw cell text may be passed. */
int zx_codes_find(const zx_codelist *list, const char *value);

/* Item whose code is `code`, or NULL. */
const zx_code *zx_codes_by_code(const zx_codelist *list, const char *code);

/* Name of the numeric code, or NULL. */
const char *zx_codes_name_of(const zx_codelist *list, int code);

/* The school type codes of a stage family: "kindergarten", "primary",
 * "junior", "senior", "compulsory", "special" or "vocational".  A school
 * spanning stages (九年一贯制, 完全中学, 十二年一贯制) is in each of them.
 * Returns static codes and sets *n, or NULL for an unknown family. */
const int *zx_codes_family(const char *family, int *n);

/* Writes "a、b、c" (names, or "code name" pairs when with_codes) into buf;
 * for error messages and template notes. */
void zx_codes_describe(const zx_codelist *list, int with_codes, char *buf,
                       unsigned long cap);

#endif
