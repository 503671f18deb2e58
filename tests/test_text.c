/*
 * test_text.c - UTF-8 validation, encoding detection and the
 * normalisation every imported value goes through.
 */
#include "testutil.h"

#include "text.h"

static const char *norm(const char *in, int flags)
{
    static char buf[256];

    zx_text_norm(in, buf, flags);
    return buf;
}

Test(text, normalises_width_and_spaces)
{
    cr_assert_str_eq(norm("  ２１１ ", 0), "211");
    cr_assert_str_eq(norm("\xe3\x80\x80海门\t\t街道 ", 0), "海门 街道");
    cr_assert_str_eq(norm("ＡＢｃ－１", 0), "ABc-1");
    /* full-width punctuation is kept in names unless asked */
    cr_assert_str_eq(norm("实验小学（东校区）", 0), "实验小学（东校区）");
    cr_assert_str_eq(norm("实验小学（东校区）", ZX_NORM_PUNCT),
                     "实验小学(东校区)");
    cr_assert_str_eq(norm(" 1 9 8 5 ", ZX_NORM_SQUASH), "1985");
    cr_assert_str_eq(norm("", 0), "");
}

Test(text, normalises_in_place)
{
    char s[] = "  Ｔ０００１  ";

    zx_text_norm(s, s, 0);
    cr_assert_str_eq(s, "T0001");
}

Test(text, utf8_validation)
{
    cr_assert(zx_utf8_valid("海门", strlen("海门")));
    cr_assert(!zx_utf8_valid("\xc0\xaf", 2), "overlong");
    cr_assert(!zx_utf8_valid("\xed\xa0\x80", 3), "surrogate");
    cr_assert(!zx_utf8_valid("\xe6\xb5", 2), "truncated");
    cr_assert(zx_utf8_valid("\xf0\x9f\x98\x80", 4));
}

Test(text, detects_bom_and_gb18030)
{
    static const char bom[] = "\xef\xbb\xbf" "a,b";
    static const char gbk[] = "\xba\xa3\xc3\xc5"; /* 海门 in GBK */
    char *out;
    size_t len;
    int owned;
    enum zx_encoding enc;
    long bad;

    cr_assert_eq(zx_text_to_utf8(bom, sizeof(bom) - 1, &out, &len, &owned,
                                 &enc, &bad), ZX_OK);
    cr_assert_eq(enc, ZX_ENC_UTF8_BOM);
    cr_assert_eq(len, 3);
    cr_assert_eq(owned, 0);
    cr_assert_eq(zx_text_to_utf8(gbk, sizeof(gbk) - 1, &out, &len, &owned,
                                 &enc, &bad), ZX_OK);
    cr_assert_eq(enc, ZX_ENC_GB18030);
    cr_assert_str_eq(out, "海门");
    cr_assert_eq(owned, 1);
    free(out);
    cr_assert_eq(zx_text_to_utf8("\xff\xfe" "a\0", 4, &out, &len, &owned,
                                 &enc, &bad), ZX_EFORMAT);
    cr_assert_eq(bad, 0, "UTF-16 is named, not placed");
}
static int month(const char *s, int *y, int *m, int *d)
{
    return zx_text_parse_date(s, 0, y, m, d);
}

static int date(const char *s, int *y, int *m, int *d)
{
    return zx_text_parse_date(s, ZX_TEXT_DATE_DAY, y, m, d);
}

Test(text, parse_date_month_day_optional)
{
    int y, m, d;

    /* the registry's birth month: a month, or a date whose day is 1..31 */
    cr_assert_eq(month("1985-03", &y, &m, &d), 0);
    cr_assert(y == 1985 && m == 3 && d == 0);
    cr_assert_eq(month("1985年3月", &y, &m, &d), 0);
    cr_assert(y == 1985 && m == 3 && d == 0);
    cr_assert_eq(month("198503", &y, &m, &d), 0);
    cr_assert(y == 1985 && m == 3 && d == 0);
    cr_assert_eq(month("1985/3", &y, &m, &d), 0);
    cr_assert_eq(month("1985.3", &y, &m, &d), 0);
    cr_assert_eq(month("1985-03-12", &y, &m, &d), 0);
    cr_assert(y == 1985 && m == 3 && d == 12);
    cr_assert_eq(month("1985年3月12日", &y, &m, &d), 0);
    cr_assert_eq(month("1985年3月-12", &y, &m, &d), 0);
    cr_assert_eq(month("1985-0312", &y, &m, &d), 0);
    cr_assert_eq(month("1985-02-30", &y, &m, &d), 0, "only 1..31 is checked");
    cr_assert_eq(month("1985-03-32", &y, &m, &d), -1);
    cr_assert_eq(month("1985-03-00", &y, &m, &d), -1);
    cr_assert_eq(month("1985-13", &y, &m, &d), -1);
    cr_assert_eq(month("0985-03", &y, &m, &d), -1);
    cr_assert_eq(month("19850312", &y, &m, &d), -1, "digits-only is YYYYMM");
    cr_assert_eq(month("1985", &y, &m, &d), -1);
    cr_assert_eq(month("1985-03-", &y, &m, &d), -1);
    cr_assert_eq(month("", &y, &m, &d), -1);
}

Test(text, parse_date_whole)
{
    int y, m, d;

    /* data values: a full date that exists */
    cr_assert_eq(date("2020-09-01", &y, &m, &d), 0);
    cr_assert(y == 2020 && m == 9 && d == 1);
    cr_assert_eq(date("2020/9/1", &y, &m, &d), 0);
    cr_assert_eq(date("2020.9.1", &y, &m, &d), 0);
    cr_assert_eq(date("2020年9月1日", &y, &m, &d), 0);
    cr_assert_eq(date("2020年9月1", &y, &m, &d), 0);
    cr_assert_eq(date("20200901", &y, &m, &d), 0);
    cr_assert(y == 2020 && m == 9 && d == 1);
    cr_assert_eq(date("2020-02-29", &y, &m, &d), 0);
    cr_assert_eq(date("2021-02-29", &y, &m, &d), -1);
    cr_assert_eq(date("2020-04-31", &y, &m, &d), -1);
    cr_assert_eq(date("2020-09", &y, &m, &d), -1, "a day is required");
    cr_assert_eq(date("202009", &y, &m, &d), -1);
    cr_assert_eq(date("2020-0901", &y, &m, &d), -1);
    cr_assert_eq(date("2020-09月-01", &y, &m, &d), -1);
    cr_assert_eq(date("2020-09-01 08:00", &y, &m, &d), -1);
}

Test(text, parse_int_forms)
{
    long long v;

    cr_assert(zx_text_parse_int("1,234", &v) == 0 && v == 1234);
    cr_assert(zx_text_parse_int("12.0", &v) == 0 && v == 12);
    cr_assert(zx_text_parse_int("-5", &v) == 0 && v == -5);
    cr_assert(zx_text_parse_int("+7", &v) == 0 && v == 7);
    cr_assert_eq(zx_text_parse_int("12.5", &v), -1);
    cr_assert_eq(zx_text_parse_int("1e3", &v), -1);
    cr_assert_eq(zx_text_parse_int("0x10", &v), -1);
    cr_assert_eq(zx_text_parse_int("", &v), -1);
    cr_assert(zx_text_parse_int("2000000000000000", &v) == 0 &&
              v == 2000000000000000LL);
    cr_assert_eq(zx_text_parse_int("2000000000000000.0", &v), -1);
    cr_assert_eq(zx_text_parse_int("000000000000000000000000000000012",
                                   &v), -1);
}
