/*
 * scope.h - what an account may see and change: its role applied to the
 * org tree.
 *
 *   管理员  sees and changes everything;
 *   领导    sees its unit's subtree (the city: everything; a town: the town
 *           and its schools) and changes nothing;
 *   区镇    sees and changes its town and the town's schools;
 *   学校    sees and changes its own school;
 *   督学    sees the schools assigned to it (inspector_assignment, by
 *           account name) and changes none of their data.
 *
 * Education groups span towns, so only city-wide roles see them.  Every
 * request of the server is checked here, never in the browser; the scope
 * is computed once per request from the database, so a reassignment
 * takes effect at the next request.
 */
#ifndef ZX_SCOPE_H
#define ZX_SCOPE_H

#include "db.h"

typedef struct zx_scope zx_scope;

/* The scope of account id.  Returns ZX_OK; ZX_ENOTFOUND (no such
 * enabled account); ZX_EDB; ZX_ENOMEM.  Free with zx_scope_free. */
int zx_scope_load(zx_db *db, long long account_id, zx_scope **out);
void zx_scope_free(zx_scope *s);

/* The account's role ("管理员", ...) and unit; owned by s. */
const char *zx_scope_role(const zx_scope *s);
long long zx_scope_unit(const zx_scope *s);

/* Whether the account may see / change the data of org unit id (a city,
 * town, group or school). */
int zx_scope_sees(const zx_scope *s, long long unit_id);
int zx_scope_writes(const zx_scope *s, long long unit_id);

#endif
