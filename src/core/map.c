/*
 * map.c - string hash map (see map.h).
 *
 * The table is an array of 8-byte slots (32 bits of hash, 32-bit position
 * of the entry), so a probe touches one cache line for eight slots and a
 * miss never leaves the table.  Entries (value, then the key) sit in one
 * growing arena addressed in 8-byte units.  Linear probing; the table
 * doubles at 50% load.
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    uint32_t hash;
    uint32_t pos;   /* entry position in 8-byte units; 0 = empty */
};

struct zx_map {
    struct slot *slots;
    size_t cap, n;
    char *arena;    /* entries: long long value, then the NUL-ended key */
    size_t used, acap;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    /* FNV's low bits depend only on the keys' low bits, and the table is
     * indexed by them: keys such as "T000000123" would cluster.  The
     * murmur3 finaliser spreads every bit over the word. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

zx_map *zx_map_new(void)
{
    zx_map *m = calloc(1, sizeof(*m));

    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof(*m->slots));
    m->used = 8; /* position 0 means an empty slot */
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void zx_map_free(zx_map *m)
{
    if (!m)
        return;
    free(m->arena);
    free(m->slots);
    free(m);
}

static long long *value_at(const zx_map *m, uint32_t pos)
{
    return (long long *)(void *)(m->arena + (size_t)pos * 8);
}

static const char *key_at(const zx_map *m, uint32_t pos)
{
    return m->arena + (size_t)pos * 8 + sizeof(long long);
}

/* The slot holding key, or the empty slot where it would go. */
static struct slot *find(const zx_map *m, const char *key, uint32_t h)
{
    size_t i = h & (m->cap - 1);

    while (m->slots[i].pos &&
           (m->slots[i].hash != h ||
            strcmp(key_at(m, m->slots[i].pos), key) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static int grow(zx_map *m)
{
    size_t cap = m->cap * 2, i, j;
    struct slot *slots = calloc(cap, sizeof(*slots));

    if (!slots)
        return -1;
    for (i = 0; i < m->cap; i++) {
        if (!m->slots[i].pos)
            continue;
        j = m->slots[i].hash & (cap - 1);
        while (slots[j].pos)
            j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

/* Appends an entry; returns its position, or 0 when out of memory. */
static uint32_t append(zx_map *m, const char *key, long long value)
{
    size_t len = strlen(key) + 1;
    size_t need = (sizeof(long long) + len + 7) & ~(size_t)7;
    size_t pos = m->used / 8;

    if (pos > UINT32_MAX)
        return 0;
    if (m->used + need > m->acap) {
        size_t acap = m->acap ? m->acap * 2 : 64 * 1024;
        char *a;
        while (acap < m->used + need)
            acap *= 2;
        a = realloc(m->arena, acap);
        if (!a)
            return 0;
        m->arena = a;
        m->acap = acap;
    }
    memcpy(m->arena + m->used, &value, sizeof(value));
    memcpy(m->arena + m->used + sizeof(value), key, len);
    m->used += need;
    return (uint32_t)pos;
}

int zx_map_put(zx_map *m, const char *key, long long value)
{
    uint32_t h = (uint32_t)hash_str(key);
    struct slot *s;

    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    s = find(m, key, h);
    if (s->pos) {
        memcpy(value_at(m, s->pos), &value, sizeof(value));
        return 0;
    }
    s->pos = append(m, key, value);
    if (!s->pos)
        return -1;
    s->hash = h;
    m->n++;
    return 0;
}

int zx_map_get(const zx_map *m, const char *key, long long *value)
{
    const struct slot *s = find(m, key, (uint32_t)hash_str(key));

    if (!s->pos)
        return 0;
    memcpy(value, value_at(m, s->pos), sizeof(*value));
    return 1;
}

size_t zx_map_size(const zx_map *m)
{
    return m->n;
}
