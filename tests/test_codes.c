/*
 * test_codes.c - code lists: a value is found by code, Chinese name or
 * alias, in any width and with stray spaces; unknown values are not.
 */
#include "testutil.h"

#include "codes.h"

static const char *found(const char *list, const char *value)
{
    const zx_codelist *l = zx_codes_get(list);
    int i;

    cr_assert_not_null(l, "no list %s", list);
    i = zx_codes_find(l, value);
    return i < 0 ? NULL : l->items[i].code;
}

Test(codes, by_code_name_alias_and_width)
{
    cr_assert_str_eq(found("school_type", "211"), "211");
    cr_assert_str_eq(found("school_type", "小学"), "211");
    cr_assert_str_eq(found("school_type", " ２１１ "), "211");
    cr_assert_str_eq(found("school_type", "九年一贯制"), "312");
    cr_assert_str_eq(found("subject", "品德与生活（社会）"), "11");
    cr_assert_str_eq(found("subject", "道德与法治"), "11");
    cr_assert_str_eq(found("gender", "m"), "1", "aliases ignore case");
    cr_assert_str_eq(found("political", "党员"), "1");
    cr_assert_str_eq(found("role_level", "海门市级"), "县级");
    cr_assert_str_eq(found("yesno", "√"), "是");
    cr_assert_null(found("school_type", "大学"));
    cr_assert_null(found("school_type", ""));
    cr_assert_null(found("owner", "23"));
}

Test(codes, names_and_descriptions)
{
    char buf[256];

    cr_assert_str_eq(zx_codes_name_of(zx_codes_get("urban_rural"), 220),
                     "村庄");
    cr_assert_null(zx_codes_name_of(zx_codes_get("urban_rural"), 999));
    zx_codes_describe(zx_codes_get("owner"), 1, buf, sizeof(buf));
    cr_assert_str_eq(buf, "21 公办、22 民办");
    zx_codes_describe(zx_codes_get("yesno"), 1, buf, sizeof(buf));
    cr_assert_str_eq(buf, "是、否");
}
