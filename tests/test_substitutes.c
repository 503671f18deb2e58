/*
 * test_substitutes.c - substitute-teacher counts and their trajectory
 * (src/core/substitutes.c), default rules: baseline 2019, zero by 2024,
 * so the factor of year Y is (2024 - Y) / 5.
 *
 *   甲镇 0001 甲小学: 5 代课 teachers now; counts 2019 6, 2020 5
 *   甲镇 0002 乙小学: 1 代课 teacher now;  counts 2019 3, 2020 4
 *   乙镇 0003 丙小学: none;                 counts 2019 1, 2020 0
 *
 * City baseline 10: allowance 2020 8, 2021 6, 2022 4, 2023 2, 2024 0.
 * 2020 (0.8): 0001 6 x 0.8 = 4.8 -> 5, actual 5, on track; 0002 3 x 0.8
 *   = 2.4 -> 3, actual 4: behind by 1; 0003 0.8 -> 1, actual 0.
 * 2021 (0.6) after the snapshot: 0001 3.6 -> 4, actual 5: behind by 1;
 *   0002 1.8 -> 2, actual 1; 0003 0.6 -> 1, actual 0.
 */
#include "testutil.h"

#include <math.h>
#include <xlsxwriter.h>

#include "rules.h"
#include "substitutes.h"

static zx_db *db;
static const char *dir;

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .owner = 21 },
        { .code = "3206840002", .name = "乙小学", .town = "甲镇",
          .type_code = 211, .urban_rural = 220, .owner = 21 },
        { .code = "3206840003", .name = "丙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 220, .owner = 21 },
    };
    static const zx_teacher_rec teachers[] = {
        { "S1", "代一", 1, "1980-01", "3206840001", 2, 13, 3, 3, 1, 2015, 0 },
        { "S2", "代二", 1, "1980-01", "3206840001", 2, 13, 3, 3, 1, 2015, 0 },
        { "S3", "代三", 1, "1980-01", "3206840001", 2, 13, 3, 3, 1, 2015, 0 },
        { "S4", "代四", 1, "1980-01", "3206840001", 2, 13, 3, 3, 1, 2015, 0 },
        { "S5", "代五", 1, "1980-01", "3206840001", 2, 13, 3, 3, 1, 2015, 0 },
        { "P1", "编一", 1, "1980-01", "3206840001", 2, 13, 3, 1, 1, 2015, 0 },
        { "S6", "代六", 1, "1980-01", "3206840002", 2, 13, 3, 3, 1, 2015, 0 },
        { "P2", "编二", 1, "1980-01", "3206840003", 2, 13, 3, 1, 1, 2015, 0 },
    };
    static const struct { const char *code; int year, count; } counts[] = {
        { "3206840001", 2019, 6 }, { "3206840002", 2019, 3 },
        { "3206840003", 2019, 1 }, { "3206840001", 2020, 5 },
        { "3206840002", 2020, 4 }, { "3206840003", 2020, 0 },
    };
    size_t i;

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(teachers) });
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
        cr_assert_eq(zx_substitutes_set(db, counts[i].code, counts[i].year,
                                        counts[i].count, "test"), ZX_OK);
}

static void setup(void)
{
    dir = tu_tmpdir();
    db = tu_db(dir);
    fill();
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(substitutes, .init = setup, .fini = teardown);

static zx_substitutes *compute(int year)
{
    zx_rules *r;
    zx_substitutes *s = NULL;

    cr_assert_eq(zx_rules_load(db, "substitutes", year, &r), ZX_OK);
    cr_assert_eq(zx_substitutes_compute(db, year, r, NULL, NULL, &s), ZX_OK);
    zx_rules_free(r);
    return s;
}

static const zx_subst_school *school(const zx_substitutes *s,
                                     const char *code)
{
    int i;

    for (i = 0; i < s->nschools; i++)
        if (strcmp(s->schools[i].code, code) == 0)
            return &s->schools[i];
    return NULL;
}

Test(substitutes, allowance_rounds_up)
{
    cr_assert_eq(zx_substitutes_allowance(10, 2019, 2024, 2020), 8);
    cr_assert_eq(zx_substitutes_allowance(10, 2019, 2024, 2021), 6);
    cr_assert_eq(zx_substitutes_allowance(10, 2019, 2024, 2024), 0);
    cr_assert_eq(zx_substitutes_allowance(10, 2019, 2024, 2026), 0);
    cr_assert_eq(zx_substitutes_allowance(10, 2019, 2024, 2018), 10);
    cr_assert_eq(zx_substitutes_allowance(3, 2019, 2024, 2021), 2,
                 "3 x 0.6 = 1.8 -> 2");
    cr_assert_eq(zx_substitutes_allowance(5, 2019, 2024, 2020), 4,
                 "5 x 0.8 = 4 exactly, not 5");
    cr_assert_eq(zx_substitutes_allowance(1, 2019, 2024, 2023), 1,
                 "1 x 0.2 -> 1");
}

Test(substitutes, trajectory_and_behind)
{
    zx_substitutes *s = compute(2020);
    int i;
    static const double want[] = { 10, 8, 6, 4, 2, 0 };

    cr_assert_eq(s->baseline, 10);
    cr_assert_eq(s->npoints, 6, "2019..2024");
    for (i = 0; i < 6; i++) {
        cr_assert_eq(s->points[i].year, 2019 + i);
        cr_assert_float_eq(s->points[i].allowance, want[i], 1e-9);
    }
    cr_assert_eq(s->points[0].actual, 10);
    cr_assert_eq(s->points[1].actual, 9, "5 + 4 + 0");
    cr_assert_eq(s->points[2].has_actual, 0);
    cr_assert_float_eq(s->allowance, 8, 1e-9);
    cr_assert_eq(s->actual, 9);
    cr_assert_eq(school(s, "3206840001")->allowance, 5, "4.8 -> 5");
    cr_assert_eq(school(s, "3206840001")->behind, 0);
    cr_assert_eq(school(s, "3206840002")->allowance, 3, "2.4 -> 3");
    cr_assert_eq(school(s, "3206840002")->behind, 1);
    cr_assert_eq(school(s, "3206840002")->shed, 1);
    cr_assert_eq(school(s, "3206840003")->allowance, 1);
    cr_assert_eq(s->behind, 1);
    cr_assert_eq(s->shed, 1);
    cr_assert_eq(s->ntowns, 2);
    cr_assert_str_eq(s->towns[0].name, "甲镇");
    cr_assert_eq(s->towns[0].baseline, 9);
    cr_assert_eq(s->towns[0].allowance, 8, "5 + 3");
    cr_assert_eq(s->towns[0].actual, 9);
    cr_assert_eq(s->towns[0].behind, 1);
    cr_assert_eq(s->towns[1].allowance, 1);
    zx_substitutes_free(s);
}

static int only_town_b(void *ctx, long long id)
{
    return id == *(long long *)ctx;
}

Test(substitutes, kept_schools_only)
{
    zx_rules *r;
    zx_substitutes *s = NULL;
    long long id = zx_db_int(db, "SELECT id FROM org_unit WHERE code ="
                                 " '3206840003'", NULL, 0);

    /* 丙小学 alone: baseline 1, 2020 count 0; allowance 0.8 */
    cr_assert_eq(zx_rules_load(db, "substitutes", 2020, &r), ZX_OK);
    cr_assert_eq(zx_substitutes_compute(db, 2020, r, only_town_b, &id, &s),
                 ZX_OK);
    zx_rules_free(r);
    cr_assert_eq(s->nschools, 1);
    cr_assert_eq(s->baseline, 1);
    cr_assert_eq(s->points[1].actual, 0);
    cr_assert_eq(s->points[1].has_actual, 1);
    cr_assert_float_eq(s->points[1].allowance, 0.8, 1e-9);
    cr_assert_eq(s->ntowns, 1);
    zx_substitutes_free(s);
}

Test(substitutes, snapshot_counts_the_registry)
{
    zx_substitutes *s;
    long long total = -1;
    int n = -1;

    cr_assert_eq(zx_substitutes_snapshot(db, 2021, "test", &n, &total),
                 ZX_OK);
    cr_assert_eq(n, 3, "every school, 0 included");
    cr_assert_eq(total, 6, "5 + 1 + 0");
    s = compute(2021);
    cr_assert_eq(school(s, "3206840001")->actual, 5);
    cr_assert_eq(school(s, "3206840001")->allowance, 4, "3.6 -> 4");
    cr_assert_eq(school(s, "3206840001")->shed, 1);
    cr_assert_eq(school(s, "3206840002")->allowance, 2, "1.8 -> 2");
    cr_assert_eq(school(s, "3206840002")->behind, 0);
    cr_assert_eq(school(s, "3206840003")->actual, 0);
    cr_assert_eq(s->actual, 6);
    cr_assert_float_eq(s->allowance, 6, 1e-9);
    cr_assert_eq(s->behind, 1);
    zx_substitutes_free(s);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE tbl ="
                               " 'substitute_count' AND action ="
                               " 'snapshot'", NULL, 0), 1);
}

Test(substitutes, set_refuses_unknown_and_negative)
{
    cr_assert_eq(zx_substitutes_set(db, "3206849999", 2021, 1, "test"),
                 ZX_ENOTFOUND);
    cr_assert_eq(zx_substitutes_set(db, "3206840001", 2021, -1, "test"),
                 ZX_EINVAL);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM audit WHERE tbl ="
                               " 'substitute_count'", NULL, 0), 6,
                 "one entry per count set in fill");
}

Test(substitutes, import_all_or_nothing)
{
    const char *bad = tu_path(dir, "bad.csv"), *good = tu_path(dir, "ok.csv");
    zx_subst_import_result res;
    zx_diag *d = zx_diag_new();
    const char *text;

    tu_write_str(bad, "学校标识码,年度,代课教师数\n"
                      "3206840001,2021,4\n"
                      "3206849999,2021,1\n"
                      "3206840002,2021,-1\n"
                      "3206840001,2021,3\n");
    cr_assert_eq(zx_substitutes_import(db, bad, "bad.csv", 0, "test", NULL,
                                       NULL, d, &res), ZX_EDATA);
    text = tu_diag_text(d, 0);
    cr_assert(strstr(text, "3:A: 没有标识码为 3206849999 的学校"), "%s", text);
    cr_assert(strstr(text, "4:C: "), "%s", text);
    cr_assert(strstr(text, "5:B: 与第 2 行重复"), "%s", text);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM substitute_count"
                               " WHERE year = 2021", NULL, 0), 0,
                 "nothing written");
    zx_diag_clear(d);
    tu_write_str(good, "学校标识码,年度,代课教师数\n"
                       "3206840001,2021,4\n"
                       "3206840002,2020,4\n");
    cr_assert_eq(zx_substitutes_import(db, good, "ok.csv", 1, "test", NULL,
                                       NULL, d, &res), ZX_OK);
    cr_assert_eq(res.inserted, 1);
    cr_assert_eq(res.unchanged, 1);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM substitute_count"
                               " WHERE year = 2021", NULL, 0), 0,
                 "a dry run writes nothing");
    cr_assert_eq(zx_substitutes_import(db, good, "ok.csv", 0, "test", NULL,
                                       NULL, d, &res), ZX_OK);
    cr_assert_eq(zx_db_int(db, "SELECT count FROM substitute_count"
                               " WHERE year = 2021", NULL, 0), 4);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM import_batch WHERE"
                               " kind = 'substitute_count'", NULL, 0), 1);
    zx_diag_free(d);
}

Test(substitutes, import_bad_header)
{
    const char *p = tu_path(dir, "h.csv");
    zx_subst_import_result res;
    zx_diag *d = zx_diag_new();
    const char *text;

    tu_write_str(p, "学校标识码,人数\n3206840001,4\n");
    cr_assert_eq(zx_substitutes_import(db, p, "h.csv", 0, "test", NULL, NULL,
                                       d, &res), ZX_EDATA);
    text = tu_diag_text(d, 0);
    cr_assert(strstr(text, "1:B: 未知的表头“人数”"), "%s", text);
    cr_assert(strstr(text, "缺少必需的表头“年度”"), "%s", text);
    zx_diag_free(d);
}

Test(substitutes, import_xlsx_numbers)
{
    const char *p = tu_path(dir, "c.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "代课教师");
    zx_subst_import_result res;
    zx_diag *d = zx_diag_new();

    /* years and counts as numeric cells, as Excel keeps them; row 3's
     * count 2.5 is no head count */
    worksheet_write_string(ws, 0, 0, "学校标识码", NULL);
    worksheet_write_string(ws, 0, 1, "年度", NULL);
    worksheet_write_string(ws, 0, 2, "代课教师人数", NULL);
    worksheet_write_string(ws, 1, 0, "3206840003", NULL);
    worksheet_write_number(ws, 1, 1, 2021, NULL);
    worksheet_write_number(ws, 1, 2, 2, NULL);
    worksheet_write_string(ws, 2, 0, "3206840002", NULL);
    worksheet_write_number(ws, 2, 1, 2021, NULL);
    worksheet_write_number(ws, 2, 2, 2.5, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    cr_assert_eq(zx_substitutes_import(db, p, "c.xlsx", 0, "test", NULL, NULL,
                                       d, &res), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(d, 0), "3:C: "), "%s", tu_diag_text(d, 0));
    cr_assert_str_eq(res.format, "XLSX");
    zx_diag_clear(d);
    wb = workbook_new(p);
    ws = workbook_add_worksheet(wb, "代课教师");
    worksheet_write_string(ws, 0, 0, "学校标识码", NULL);
    worksheet_write_string(ws, 0, 1, "年度", NULL);
    worksheet_write_string(ws, 0, 2, "代课教师人数", NULL);
    worksheet_write_string(ws, 1, 0, "3206840003", NULL);
    worksheet_write_number(ws, 1, 1, 2021, NULL);
    worksheet_write_number(ws, 1, 2, 2, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    cr_assert_eq(zx_substitutes_import(db, p, "c.xlsx", 0, "test", NULL, NULL,
                                       d, &res), ZX_OK, "%s",
                 tu_diag_text(d, 0));
    cr_assert_eq(zx_db_int(db, "SELECT count FROM substitute_count"
                               " WHERE year = 2021", NULL, -1), 2);
    zx_diag_free(d);
}
