/*
 * yamltree.h - a YAML document as a small tree of nodes (scalar, sequence,
 * mapping), each remembering the line and column where it was written.
 *
 * Plans are YAML files edited by hand in an office, so every problem must
 * point at a line and a column.  libyaml's own document loader keeps marks
 * too, but it resolves aliases silently and accepts duplicate keys, and a
 * later reader would meet both as a confusing "wrong" value far from the
 * real mistake.  This module reads the event stream instead and refuses,
 * where they are written, what plans have no use for: anchors, aliases,
 * tags other than !!str, duplicate keys and non-text keys.
 *
 * No scalar is resolved to a number, boolean or date here: its text and
 * whether it was written plain (unquoted) are kept, and the reader decides
 * by context.  "3.1" as a section id and 3.1 as a number are then the same
 * text, as the person who wrote them meant.
 *
 * Nodes, their strings and whatever a caller allocates with zx_yaml_alloc
 * live in one arena owned by the document and go with zx_yaml_free.
 *
 * (The file is not called yaml.h: with -Isrc/core that name would hide
 * libyaml's <yaml.h>.)
 */
#ifndef ZX_YAMLTREE_H
#define ZX_YAMLTREE_H

#include <stddef.h>

#include "diag.h"

typedef struct zx_yaml_doc zx_yaml_doc;

enum zx_yaml_kind { ZX_YAML_SCALAR, ZX_YAML_SEQ, ZX_YAML_MAP };

typedef struct zx_yaml_node zx_yaml_node;
struct zx_yaml_node {
    enum zx_yaml_kind kind;
    int line, col;          /* 1-based, where the node starts (a quote,
                               a '|', the first key of a block mapping) */

    /* ZX_YAML_SCALAR */
    const char *text;       /* the value, NUL-terminated */
    size_t len;
    int plain;              /* written without quotes, block style or tag */
    int tline, tcol;        /* 1-based, the first character of the value:
                               past an opening quote, or the first content
                               line of a block scalar */

    /* ZX_YAML_SEQ: n items from first; ZX_YAML_MAP: n keys from first,
     * each scalar key pointing to its value */
    int n;
    const zx_yaml_node *first;

    const zx_yaml_node *next;   /* the next item or key of the parent */
    const zx_yaml_node *value;  /* a mapping key: its value */
};

/* Parses one YAML document from text[0..len) (UTF-8, with or without a
 * BOM).  file is the name used in diagnostics.  Every problem goes to diag
 * with row = line and col = column - 1.
 *
 * Returns ZX_OK with *out set; ZX_EDATA when problems were reported, with
 * *out still set when the document could be read to its end (an anchor, a
 * duplicate key, ...) so that the caller can report its own problems in
 * the same run, or NULL after a problem that stops the reading (a syntax
 * error, a second document, nesting deeper than 64); ZX_ENOMEM with *out
 * NULL.
 * Free *out with zx_yaml_free. */
int zx_yaml_parse(const char *text, size_t len, const char *file,
                  zx_diag *diag, zx_yaml_doc **out);

void zx_yaml_free(zx_yaml_doc *doc);

/* The root node, or NULL when the file holds no document (only comments
 * or nothing at all).  Owned by doc. */
const zx_yaml_node *zx_yaml_root(const zx_yaml_doc *doc);

/* The value of key in the mapping map, or NULL when map is not a mapping
 * or has no such key.  Owned by the document. */
const zx_yaml_node *zx_yaml_get(const zx_yaml_node *map, const char *key);

/* Non-zero for a plain empty scalar, "~" or "null": "key:" with nothing
 * after it. */
int zx_yaml_is_null(const zx_yaml_node *node);

/* size bytes of zeroed memory, aligned for any type, that live as long as
 * doc: for what a reader builds from the document and keeps with it.
 * NULL when out of memory. */
void *zx_yaml_alloc(zx_yaml_doc *doc, size_t size);

/*
 * Reading with diagnostics: the checks every reader of a document makes
 * (the keys it knows, a mapping or a list where one is expected, text,
 * numbers, years), each reporting a mismatch in Chinese at the node, with
 * row = line and col = column - 1, and carrying on so that one run finds
 * every problem.  "key" arguments name the value in messages.
 */
typedef struct zx_yaml_reader {
    const char *file;           /* the name shown in diagnostics */
    zx_diag *diag;
} zx_yaml_reader;

void zx_yaml_bad(const zx_yaml_reader *r, const zx_yaml_node *n,
                 const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports every key of map not in allowed (NULL-terminated). */
void zx_yaml_check_keys(const zx_yaml_reader *r, const zx_yaml_node *map,
                        const char *const *allowed);

/* Non-zero when n is a mapping (a list); else reported.  what is the
 * subject of the message, e.g. "每个目标" or "“plan”". */
int zx_yaml_want_map(const zx_yaml_reader *r, const zx_yaml_node *n,
                     const char *what);
int zx_yaml_want_list(const zx_yaml_reader *r, const zx_yaml_node *n,
                      const char *key);

/* The value of key in map, or NULL when it is absent or null; when
 * required, an absent key is reported at the mapping and a null one at
 * the key. */
const zx_yaml_node *zx_yaml_field(const zx_yaml_reader *r,
                                  const zx_yaml_node *map, const char *key,
                                  int required);

/* v's text, or NULL (reported) when v is not a scalar. */
const char *zx_yaml_text(const zx_yaml_reader *r, const zx_yaml_node *v,
                         const char *key);

/* The text at key, or NULL when absent, not text or empty (reported when
 * not text, or empty and required). */
const char *zx_yaml_get_text(const zx_yaml_reader *r,
                             const zx_yaml_node *map, const char *key,
                             int required);

/* A decimal number (no hex, inf or nan) or a four-digit year, from v or
 * from text; zero (reported for v) when it is not one. */
int zx_yaml_number(const zx_yaml_reader *r, const zx_yaml_node *v,
                   const char *key, double *out);
int zx_yaml_year(const zx_yaml_reader *r, const zx_yaml_node *v,
                 const char *key, int *out);
int zx_yaml_parse_number(const char *s, double *out);
int zx_yaml_parse_year(const char *s, int *out);

#endif
