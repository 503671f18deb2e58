/*
 * zx.h - the few definitions every zhenxing module shares: error codes
 * and the growable array.
 *
 * Every library function returns one of these (0 on success) so that the
 * CLI and the server can map failures to exit statuses and HTTP codes in
 * one place.  Detail for the user travels separately, in a zx_diag list.
 */
#ifndef ZX_H
#define ZX_H

#include <stddef.h>

enum zx_err {
    ZX_OK = 0,
    ZX_EINVAL,   /* bad argument or usage */
    ZX_EIO,      /* a file could not be read or written */
    ZX_EDB,      /* the database failed */
    ZX_ENOMEM,   /* out of memory */
    ZX_EDATA,    /* input data failed validation; see the diagnostics */
    ZX_ENOTFOUND,/* a named thing does not exist */
    ZX_EEXIST,   /* a thing already exists */
    ZX_EFORMAT   /* a file is not in a format we can read */
};

/* A short Chinese description of an error code; never NULL, static. */
const char *zx_strerror(int err);

/*
 * Appends one zeroed item of sz bytes to the growable array *arr of *n
 * items in room for *cap, doubling the room when it is full, and returns
 * the new item (inside *arr, so valid until the next push).  NULL when
 * memory is short, and then *arr, *n and *cap are left as they were.
 * Start from *arr NULL and *n, *cap 0; the caller owns *arr and frees it.
 */
void *zx_push(void **arr, int *n, int *cap, size_t sz);

#define ZX_UNUSED(x) ((void)(x))

#endif
