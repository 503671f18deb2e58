/*
 * sheetdef.h - what each registry sheet looks like: its columns, their
 * Chinese headers, types and allowed values.
 *
 * One definition drives the importer's validation, the Excel templates
 * (headers, notes, drop-downs), the exports' headers and the README's
 * column tables, so that the four can never disagree.
 */
#ifndef ZX_SHEETDEF_H
#define ZX_SHEETDEF_H

enum zx_coltype {
    ZX_COL_TEXT,   /* free text up to maxlen characters */
    ZX_COL_CODE,   /* one value of a code list (codes.h) */
    ZX_COL_INT,    /* whole number in [min, max] */
    ZX_COL_DEC,    /* decimal number in [min, max] */
    ZX_COL_YEAR,   /* a year in [min, max]; max 0 = the current year */
    ZX_COL_MONTH   /* year and month, "1985-03"; not in the future */
};

typedef struct zx_coldef {
    const char *field;    /* English name: JSON key and accepted header */
    const char *header;   /* Chinese header, as in the template */
    const char *aliases;  /* other accepted headers, '|'-separated */
    int required;         /* 1: header present and every cell filled;
                             2: header present, cells may be blank */
    enum zx_coltype type;
    const char *codelist; /* ZX_COL_CODE: id of the code list */
    double min, max;      /* ZX_COL_INT, _DEC, _YEAR */
    int maxlen;           /* ZX_COL_TEXT: characters; 0 = no limit */
    int digits;           /* ZX_COL_TEXT: exactly this many digits; -1 = an
                             identifier (letters, digits, '-', '_'); 0 = any */
    const char *help;     /* Chinese note for templates and the README */
} zx_coldef;

typedef struct zx_sheetdef {
    const char *kind;     /* "schools", "enrolment", "teachers", "roles" */
    const char *title;    /* Chinese title, e.g. "学校" */
    const zx_coldef *cols;
    int n;
    const char *key;      /* Chinese description of the upsert key */
} zx_sheetdef;

/* The definition for kind, or NULL.  Static data. */
const zx_sheetdef *zx_sheetdef_get(const char *kind);

/* All definitions; *n receives their count. */
const zx_sheetdef *zx_sheetdef_all(int *n);

/* Index of the column whose header (Chinese, English field name or alias)
 * matches text after normalisation, or -1.  A trailing "(...)" note in the
 * header, such as "建制镇所在地(是/否)", is ignored. */
int zx_sheetdef_match(const zx_sheetdef *def, const char *text);

/* Upper bound of a YEAR column (resolving max 0 to the current year). */
int zx_sheetdef_year_max(const zx_coldef *col);

#endif
