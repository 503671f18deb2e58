/*
 * map.h - a string -> 64-bit integer hash map.
 *
 * Imports look up every row's key (teacher number, school code) among up to
 * millions of known ones; a SELECT per row would dominate the import time.
 * Open addressing with linear probing; keys are copied into an arena.
 */
#ifndef ZX_MAP_H
#define ZX_MAP_H

#include <stddef.h>

typedef struct zx_map zx_map;

/* Returns an empty map or NULL when out of memory; free with zx_map_free. */
zx_map *zx_map_new(void);
void zx_map_free(zx_map *m);

/* Sets key to value (inserting or replacing).  Returns 0, or -1 when out
 * of memory. */
int zx_map_put(zx_map *m, const char *key, long long value);

/* Looks key up; returns 1 and sets *value when found, else 0. */
int zx_map_get(const zx_map *m, const char *key, long long *value);

size_t zx_map_size(const zx_map *m);

#endif
