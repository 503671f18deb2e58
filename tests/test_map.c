/*
 * test_map.c - the string hash map: put, replace, get, growth past many
 * doublings, keys that share a hash prefix pattern.
 */
#include "testutil.h"

#include "map.h"

Test(map, put_get_replace)
{
    zx_map *m = zx_map_new();
    long long v = 0;

    cr_assert_not_null(m);
    cr_assert_eq(zx_map_get(m, "甲", &v), 0);
    cr_assert_eq(zx_map_put(m, "甲", 1), 0);
    cr_assert_eq(zx_map_put(m, "", 2), 0, "the empty key is a key");
    cr_assert_eq(zx_map_get(m, "甲", &v), 1);
    cr_assert_eq(v, 1);
    cr_assert_eq(zx_map_put(m, "甲", -7), 0);
    cr_assert_eq(zx_map_get(m, "甲", &v), 1);
    cr_assert_eq(v, -7);
    cr_assert_eq(zx_map_get(m, "", &v), 1);
    cr_assert_eq(v, 2);
    cr_assert_eq(zx_map_size(m), 2);
    zx_map_free(m);
}

Test(map, many_sequential_keys)
{
    zx_map *m = zx_map_new();
    char key[32];
    long long v;
    int i;

    for (i = 0; i < 300000; i++) {
        snprintf(key, sizeof(key), "T%09d", i);
        cr_assert_eq(zx_map_put(m, key, (long long)i * 3), 0);
    }
    cr_assert_eq(zx_map_size(m), 300000);
    for (i = 0; i < 300000; i += 7) {
        snprintf(key, sizeof(key), "T%09d", i);
        cr_assert_eq(zx_map_get(m, key, &v), 1, "%s lost", key);
        cr_assert_eq(v, (long long)i * 3);
    }
    cr_assert_eq(zx_map_get(m, "T000300000", &v), 0);
    cr_assert_eq(zx_map_get(m, "T00000000", &v), 0, "a prefix is not a key");
    zx_map_free(m);
}
