/*
 * diag.c - the diagnostics list (see diag.h).
 *
 * Items live in one growable array; their strings in an arena of chunks so
 * that a file with a million bad rows costs a few allocations, not millions.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
};

struct zx_diag {
    zx_diag_item *items;
    size_t n, cap;
    struct chunk *chunks;
    int oom;
};

zx_diag *zx_diag_new(void)
{
    return calloc(1, sizeof(zx_diag));
}

void zx_diag_clear(zx_diag *d)
{
    struct chunk *c, *next;

    if (!d)
        return;
    for (c = d->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    d->chunks = NULL;
    d->n = 0;
    d->oom = 0;
}

void zx_diag_free(zx_diag *d)
{
    if (!d)
        return;
    zx_diag_clear(d);
    free(d->items);
    free(d);
}

static char *arena_copy(zx_diag *d, const char *s, size_t len)
{
    struct chunk *c = d->chunks;
    char *p;

    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > 64 * 1024 ? len + 1 : 64 * 1024;
        c = malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = d->chunks;
        d->chunks = c;
    }
    p = c->data + c->used;
    memcpy(p, s, len);
    p[len] = '\0';
    c->used += len + 1;
    return p;
}

void zx_diag_add(zx_diag *d, const char *file, long row, int col,
                 const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int len;
    zx_diag_item *it;

    if (!d)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        zx_diag_item *items = realloc(d->items, cap * sizeof(*items));
        if (!items) {
            d->oom = 1;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    va_start(ap, fmt);
    len = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (len < 0)
        len = 0;
    if ((size_t)len >= sizeof(buf))
        len = sizeof(buf) - 1;
    it = &d->items[d->n];
    it->file = arena_copy(d, file ? file : "", strlen(file ? file : ""));
    it->msg = arena_copy(d, buf, (size_t)len);
    if (!it->file || !it->msg) {
        d->oom = 1;
        return;
    }
    it->row = row;
    it->col = col;
    d->n++;
}

size_t zx_diag_count(const zx_diag *d)
{
    if (!d)
        return 0;
    return d->n + (d->oom && d->n == 0);
}

const zx_diag_item *zx_diag_get(const zx_diag *d, size_t i)
{
    static const zx_diag_item oom = { "", 0, -1, "内存不足，部分错误信息丢失" };

    if (!d || i >= d->n)
        return &oom;
    return &d->items[i];
}

void zx_diag_colname(int col, char *buf)
{
    char tmp[8];
    int n = 0, i;

    if (col < 0) {
        buf[0] = '\0';
        return;
    }
    col++;
    while (col > 0 && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
}
