/*
 * stamp.h - change stamps: a version number per kind of data that
 * indicators read, raised by every write of that data.
 *
 * The engine caches each indicator's results with the versions of what it
 * read, and reuses them while those versions hold: a dashboard read right
 * after one value is written recomputes only the indicators that read that
 * value.  Keys: "registry:school" (schools and org units),
 * "registry:enrolment", "registry:teacher", "registry:role" (raised by
 * registry.c once per session), "value:ELEMENT" and "table:TABLE" (raised
 * by triggers, migration 4).
 */
#ifndef ZX_STAMP_H
#define ZX_STAMP_H

#include "db.h"
#include "map.h"

/* Raises key's version, inside the caller's transaction. */
int zx_stamp_bump(zx_db *db, const char *key);

/* Every stamp as a map key -> version (a key never raised is absent:
 * version 0).  The caller frees *out with zx_map_free. */
int zx_stamp_snapshot(zx_db *db, zx_map **out);

/* key's version in a snapshot. */
long long zx_stamp_version(const zx_map *snap, const char *key);

#endif
