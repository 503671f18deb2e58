/*
 * rules.h - the rates, ratios and thresholds of the mechanisms, as data:
 * a value per kind ("funding", "subsidy", ...), year and key, edited by
 * the office and versioned in the audit log.
 *
 * Issue 7 asks that no rate live as a constant in C.  A year without a
 * stored rule uses the built-in default of rules.c, whose one table is
 * the only place the figures are written, each with its source (mostly
 * ../shared/domain.md).  The keys of a kind are exactly those of that
 * table: a mechanism that needs a new figure adds its row there, and
 * setting an unknown key is refused, so a typo cannot go unnoticed.
 */
#ifndef ZX_RULES_H
#define ZX_RULES_H

#include <jansson.h>

#include "db.h"

/* Non-zero when kind has built-in keys ("funding", "subsidy"). */
int zx_rules_kind_known(const char *kind);

/* The kinds with built-in keys, in the order of the defaults table,
 * into out (at most cap; static strings).  Returns how many. */
int zx_rules_kinds(const char **out, int cap);

/* The value of key for kind and year into *value: the stored rule, else
 * the default; *is_set (may be NULL) says which.  Returns ZX_OK,
 * ZX_ENOTFOUND (unknown kind or key) or ZX_EDB. */
int zx_rules_get(zx_db *db, const char *kind, int year, const char *key,
                 double *value, int *is_set);

/* Stores value (note, may be NULL, says why: a document number, say) as
 * the rule of kind, key and year, with an audit entry of the old and new
 * value, in one transaction of its own.  Setting the value already in
 * force changes nothing and records nothing.  Returns ZX_OK; ZX_ENOTFOUND
 * for an unknown kind or key; ZX_EINVAL for a value outside the key's
 * range (see zx_rules_range); ZX_EDB. */
int zx_rules_set(zx_db *db, const char *kind, int year, const char *key,
                 double value, const char *note, const char *actor);

/* The range a key accepts, inclusive; ZX_ENOTFOUND for an unknown key. */
int zx_rules_range(const char *kind, const char *key, double *lo,
                   double *hi);

/* One rule as listed; strings static or valid during the callback. */
typedef struct zx_rule_row {
    const char *kind, *key;
    const char *title;         /* Chinese, e.g. "小学生均公用经费（元/生·年）" */
    const char *source;        /* where the default comes from */
    double value;              /* in force for the year */
    double def;                /* the built-in default */
    int is_set;                /* value is a stored rule of the year */
    const char *note;          /* the stored rule's note, or NULL */
} zx_rule_row;

/* Calls fn for every key of kind, in the order of the defaults table, with
 * its value for year.  Returns ZX_OK, ZX_ENOTFOUND (unknown kind), ZX_EDB
 * or fn's non-zero return. */
int zx_rules_list(zx_db *db, const char *kind, int year,
                  int (*fn)(void *ctx, const zx_rule_row *r), void *ctx);

/* Every value of one kind and year, read once for a computation, which may
 * override some in memory (a what-if) without touching the database. */
typedef struct zx_rules zx_rules;

/* Loads kind's values for year into *out (free with zx_rules_free).
 * Returns ZX_OK, ZX_ENOTFOUND (unknown kind), ZX_EDB or ZX_ENOMEM. */
int zx_rules_load(zx_db *db, const char *kind, int year, zx_rules **out);

/* A copy of r (for a what-if beside the real values); NULL when memory is
 * short. */
zx_rules *zx_rules_copy(const zx_rules *r);

void zx_rules_free(zx_rules *r);

/* The value of key; key must be one of the kind's (a mechanism asks only
 * for its own keys), otherwise NaN. */
double zx_rules_value(const zx_rules *r, const char *key);

/* Replaces key's value in memory.  Returns ZX_OK, ZX_ENOTFOUND or
 * ZX_EINVAL (outside the key's range). */
int zx_rules_override(zx_rules *r, const char *key, double value);

/* The values as a JSON object key -> value, for audit entries and JSON
 * output; the caller owns it; NULL when memory is short. */
json_t *zx_rules_json(const zx_rules *r);

#endif
