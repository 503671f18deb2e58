/*
 * planstore.h - the plan in force, kept in the database.
 *
 * The database carries the text of every plan version it was given, so it
 * is self-contained (a copy of the file is all a server needs) and every
 * change of targets is on record.  The plan built into the binary
 * (plans/haimen-2020-2022.yaml, embedded at build time) is what `zhenxing
 * init` starts with; the office replaces it with `zhenxing plan load`.
 */
#ifndef ZX_PLANSTORE_H
#define ZX_PLANSTORE_H

#include <stddef.h>

#include "db.h"
#include "diag.h"
#include "plan.h"

/* The built-in plan's YAML text (NUL-terminated) and its length. */
extern const char zx_builtin_plan[];
extern const size_t zx_builtin_plan_len;

/* Checks text (the whole plan, expressions included) and, when it is
 * sound, stores it as the plan in force, with an audit entry; name is the
 * file name shown in diagnostics and kept with the version.  Returns
 * ZX_OK, ZX_EDATA (problems in diag, nothing stored) or ZX_EDB. */
int zx_planstore_put(zx_db *db, const char *text, size_t len,
                     const char *name, const char *actor, zx_diag *diag);

/* Loads the plan in force into *out (free with zx_plan_free).  Returns
 * ZX_ENOTFOUND when the database has no plan. */
int zx_planstore_get(zx_db *db, zx_plan **out, zx_diag *diag);

#endif
