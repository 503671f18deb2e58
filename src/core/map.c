/*
 * map.c - string hash map (see map.h).  FNV-1a hashing with a final mix;
 * the table doubles at 50% load.
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    const char *key; /* NULL = empty */
    uint64_t hash;
    long long value;
};

struct arena {
    struct arena *next;
    size_t used, cap;
    char data[];
};

struct zx_map {
    struct slot *slots;
    size_t cap, n;
    struct arena *arena;
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
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void zx_map_free(zx_map *m)
{
    struct arena *a, *next;

    if (!m)
        return;
    for (a = m->arena; a; a = next) {
        next = a->next;
        free(a);
    }
    free(m->slots);
    free(m);
}

static const char *arena_dup(zx_map *m, const char *s)
{
    size_t len = strlen(s) + 1;
    struct arena *a = m->arena;
    char *p;

    if (!a || a->cap - a->used < len) {
        size_t cap = len > 256 * 1024 ? len : 256 * 1024;
        a = malloc(sizeof(*a) + cap);
        if (!a)
            return NULL;
        a->used = 0;
        a->cap = cap;
        a->next = m->arena;
        m->arena = a;
    }
    p = a->data + a->used;
    memcpy(p, s, len);
    a->used += len;
    return p;
}

static struct slot *find(struct slot *slots, size_t cap, const char *key,
                         uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);

    while (slots[i].key &&
           (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(zx_map *m)
{
    size_t cap = m->cap * 2, i;
    struct slot *slots = calloc(cap, sizeof(*slots));

    if (!slots)
        return -1;
    for (i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find(slots, cap, m->slots[i].key, m->slots[i].hash) =
                m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int zx_map_put(zx_map *m, const char *key, long long value)
{
    uint64_t h = hash_str(key);
    struct slot *s;

    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    s = find(m->slots, m->cap, key, h);
    if (!s->key) {
        s->key = arena_dup(m, key);
        if (!s->key)
            return -1;
        s->hash = h;
        m->n++;
    }
    s->value = value;
    return 0;
}

int zx_map_get(const zx_map *m, const char *key, long long *value)
{
    const struct slot *s = find(m->slots, m->cap, key, hash_str(key));

    if (!s->key)
        return 0;
    *value = s->value;
    return 1;
}

size_t zx_map_size(const zx_map *m)
{
    return m->n;
}
