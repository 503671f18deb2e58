/*
 * test_values.c - data element values (src/core/values.c): set, get and
 * delete for every type with input as clerks type it, every way a value
 * can be refused, the audit trail, sheet imports (CSV and XLSX, good and
 * bad, dry run), the templates read back, and `zhenxing values`, `import
 * values` and `template values`.
 *
 * The plan has one element of each type at school level, one at town and
 * one at teacher level; the registry two towns, one group, two schools and
 * two teachers:
 *   3206840001 甲小学, town 甲镇 (320684T001), group 东洲集团; teacher T01
 *   3206840002 乙小学, town 乙镇 (320684T002);                 teacher T02
 */
#include "testutil.h"

#include <jansson.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "audit.h"
#include "planstore.h"
#include "values.h"
#include "xlsx.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-values")
    "goals:\n"
    "  - id: conditions\n"
    "    clause: \"2.1\"\n"
    "    name: 办学条件\n"
    "data_elements:\n"
    "  - id: counselling_room\n"
    "    name: 心理咨询室\n"
    "    type: bool\n"
    "    level: school\n"
    "    yearly: false\n"
    "    clause: 3.3.2-E3\n"
    "    help: 是否建成并使用心理咨询室\n"
    "  - id: accounts\n"
    "    name: 人人通账号数\n"
    "    type: int\n"
    "    level: school\n"
    "    yearly: true\n"
    "    min: 0\n"
    "    max: 5000\n"
    "  - id: budget_share\n"
    "    name: 公用经费占比\n"
    "    type: decimal\n"
    "    level: school\n"
    "    yearly: true\n"
    "    min: 0\n"
    "    max: 100\n"
    "  - id: rule_of_law\n"
    "    name: 依法治校等级\n"
    "    type: option\n"
    "    level: school\n"
    "    yearly: true\n"
    "    options: [南通市级以上, 海门市级, 未评]\n"
    "  - id: renovated_on\n"
    "    name: 改扩建竣工日期\n"
    "    type: date\n"
    "    level: school\n"
    "    yearly: false\n"
    "  - id: motto\n"
    "    name: 校训\n"
    "    type: text\n"
    "    level: school\n"
    "    yearly: false\n"
    "  - id: town_budget\n"
    "    name: 区镇教育投入\n"
    "    type: decimal\n"
    "    level: town\n"
    "    yearly: true\n"
    "    min: 0\n"
    "  - id: promoted_year\n"
    "    name: 现任职务任职年份\n"
    "    type: int\n"
    "    level: teacher\n"
    "    yearly: false\n"
    "    min: 1980\n"
    "    max: 2035\n"
    "indicators: []\n";

static const char *dir;
static zx_db *db;
static zx_plan *plan;
static zx_diag *diag;
static zx_values_result res;

static void fill(void)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840001", .name = "甲小学", .town = "甲镇",
          .group = "东洲集团", .type_code = 211, .urban_rural = 220,
          .owner = 21, .group_hq = 1 },
        { .code = "3206840002", .name = "乙小学", .town = "乙镇",
          .type_code = 211, .urban_rural = 121, .owner = 21 },
    };
    static const zx_teacher_rec teachers[] = {
        { "T01", "张三", 1, "1985-03", "3206840001", 2, 14, 3, 1, 1, 2015,
          0 },
        { "T02", "李四", 2, "1990-11", "3206840002", 2, 13, 4, 1, 1, 2018,
          0 },
    };

    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools),
                                     .teachers = TU_LIST(teachers) });
}

static void setup(void)
{
    dir = tu_tmpdir();
    db = tu_db(dir);
    diag = zx_diag_new();
    plan = tu_plan(plan_text);
    fill();
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(values, .init = setup, .fini = teardown);

/* ---- helpers ------------------------------------------------------- */

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

static int set(const char *element, const char *unit, int year,
               const char *value, int *change)
{
    zx_diag_clear(diag);
    return zx_values_set(db, plan, element, unit, year, value, "test", diag,
                         change);
}

/* The stored value's text form, or "(none)". */
static const char *get(const char *element, const char *unit, int year)
{
    static zx_value v;

    zx_diag_clear(diag);
    cr_assert_eq(zx_values_get(db, plan, element, unit, year, &v, diag),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    return v.present ? v.text : "(none)";
}

static void set_ok(const char *element, const char *unit, int year,
                   const char *value, int want_change)
{
    int change = -1;

    cr_assert_eq(set(element, unit, year, value, &change), ZX_OK,
                 "%s %s %s: %s", element, unit, value, tu_diag_text(diag, 0));
    cr_assert_eq(change, want_change, "%s %s “%s”: change %d", element, unit,
                 value, change);
}

/* Sets and expects rc with msg among the diagnostics. */
static void set_bad(const char *element, const char *unit, int year,
                    const char *value, int rc, const char *msg)
{
    cr_assert_eq(set(element, unit, year, value, NULL), rc,
                 "%s %s “%s”: %s", element, unit, value, tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), msg), "%s %s “%s”: want “%s” in:\n%s",
              element, unit, value, msg, tu_diag_text(diag, 0));
}

static int import_file(const char *fname, int dry)
{
    zx_diag_clear(diag);
    return zx_values_import(db, plan, tu_path(dir, fname), fname, dry,
                            "test", NULL, NULL, diag, &res);
}

static int import_str(const char *fname, const char *text, int dry)
{
    tu_write_str(tu_path(dir, fname), text);
    return import_file(fname, dry);
}

static void want_diag(const char *where, const char *msg)
{
    char line[512];

    snprintf(line, sizeof(line), "%s: ", where);
    cr_assert(strstr(tu_diag_text(diag, 0), line), "no problem at %s in:\n%s", where,
              tu_diag_text(diag, 0));
    if (msg)
        cr_assert(strstr(strstr(tu_diag_text(diag, 0), line), msg),
                  "want “%s” at %s in:\n%s", msg, where, tu_diag_text(diag, 0));
}

/* ---- one value at a time -------------------------------------------- */

Test(values, bool_accepts_every_spelling)
{
    set_ok("counselling_room", "3206840001", 0, "是", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("counselling_room", "3206840001", 0), "是");
    set_ok("counselling_room", "3206840001", 0, " Y ", ZX_VALUES_UNCHANGED);
    set_ok("counselling_room", "3206840001", 0, "true", ZX_VALUES_UNCHANGED);
    set_ok("counselling_room", "3206840001", 0, "√", ZX_VALUES_UNCHANGED);
    set_ok("counselling_room", "3206840001", 0, "１", ZX_VALUES_UNCHANGED);
    set_ok("counselling_room", "3206840001", 0, "×", ZX_VALUES_UPDATED);
    cr_assert_str_eq(get("counselling_room", "3206840001", 0), "否");
    set_ok("counselling_room", "3206840001", 0, "N", ZX_VALUES_UNCHANGED);
    set_ok("counselling_room", "3206840001", 0, "0", ZX_VALUES_UNCHANGED);
    set_ok("心理咨询室", "3206840001", 0, "false", ZX_VALUES_UNCHANGED);
    cr_assert_eq(count("SELECT num FROM data_value"
                       " WHERE element = 'counselling_room'"), 0);
    cr_assert_eq(count("SELECT text IS NULL FROM data_value"
                       " WHERE element = 'counselling_room'"), 1);
}

Test(values, numbers_normalised_and_stored_in_num)
{
    set_ok("accounts", "3206840001", 2020, "１２００", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("accounts", "3206840001", 2020), "1200");
    set_ok("accounts", "3206840001", 2020, "1,200", ZX_VALUES_UNCHANGED);
    set_ok("accounts", "3206840001", 2020, "1200.0", ZX_VALUES_UNCHANGED);
    set_ok("accounts", "3206840001", 2021, "1300", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("accounts", "3206840001", 2020), "1200");
    cr_assert_str_eq(get("accounts", "3206840001", 2021), "1300");
    cr_assert_str_eq(get("accounts", "3206840001", 2022), "(none)");

    set_ok("budget_share", "3206840002", 2019, " １２.５ ",
           ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("budget_share", "3206840002", 2019), "12.5");
    set_ok("budget_share", "3206840002", 2019, "100", ZX_VALUES_UPDATED);
    set_ok("budget_share", "3206840002", 2019, "0", ZX_VALUES_UPDATED);
    cr_assert_str_eq(get("budget_share", "3206840002", 2019), "0");
    cr_assert_eq(count("SELECT count(*) FROM data_value"
                       " WHERE num IS NOT NULL AND text IS NULL"), 3);
}

Test(values, option_by_label_or_number)
{
    set_ok("rule_of_law", "3206840001", 2020, "2", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("rule_of_law", "3206840001", 2020), "海门市级");
    set_ok("rule_of_law", "3206840001", 2020, "海门市级", ZX_VALUES_UNCHANGED);
    set_ok("rule_of_law", "3206840001", 2020, "２", ZX_VALUES_UNCHANGED);
    set_ok("依法治校等级", "3206840001", 2020, " 南通市级以上",
           ZX_VALUES_UPDATED);
    /* the engine reads the label from text; the index is kept in num */
    cr_assert_eq(count("SELECT num FROM data_value"
                       " WHERE element = 'rule_of_law'"), 1);
    cr_assert_eq(count("SELECT count(*) FROM data_value"
                       " WHERE text = '南通市级以上'"), 1);
}

Test(values, dates_in_every_form)
{
    set_ok("renovated_on", "3206840001", 0, "2020年9月1日",
           ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("renovated_on", "3206840001", 0), "2020-09-01");
    set_ok("renovated_on", "3206840001", 0, "2020/9/1", ZX_VALUES_UNCHANGED);
    set_ok("renovated_on", "3206840001", 0, "２０２０-０９-０１",
           ZX_VALUES_UNCHANGED);
    set_ok("renovated_on", "3206840001", 0, "2020.9.1", ZX_VALUES_UNCHANGED);
    set_ok("renovated_on", "3206840001", 0, "20200901", ZX_VALUES_UNCHANGED);
    set_ok("renovated_on", "3206840001", 0, "2020-02-29", ZX_VALUES_UPDATED);
    cr_assert_str_eq(get("renovated_on", "3206840001", 0), "2020-02-29");
}

Test(values, text_trimmed_and_limited)
{
    char longtext[ZX_VALUES_MAXTEXT * 3 + 8];
    int i;

    set_ok("motto", "3206840001", 0, "  勤学\u3000 笃行  ", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("motto", "3206840001", 0), "勤学 笃行");
    /* 500 characters are fine, 501 are not */
    longtext[0] = '\0';
    for (i = 0; i < ZX_VALUES_MAXTEXT; i++)
        strcat(longtext, "字");
    set_ok("motto", "3206840002", 0, longtext, ZX_VALUES_INSERTED);
    strcat(longtext, "字");
    set_bad("motto", "3206840002", 0, longtext, ZX_EDATA, "最多 500 个字");
}

Test(values, empty_deletes)
{
    int change = -1;

    set_ok("motto", "3206840001", 0, "勤学", ZX_VALUES_INSERTED);
    set_ok("motto", "3206840001", 0, "", ZX_VALUES_DELETED);
    cr_assert_str_eq(get("motto", "3206840001", 0), "(none)");
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
    /* deleting nothing changes nothing */
    set_ok("motto", "3206840001", 0, "  ", ZX_VALUES_UNCHANGED);
    cr_assert_eq(set("motto", "3206840001", 0, NULL, &change), ZX_OK);
    cr_assert_eq(change, ZX_VALUES_UNCHANGED);
}

Test(values, town_by_code_or_name_teacher_by_number)
{
    set_ok("town_budget", "320684T001", 2020, "350.5", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("town_budget", "甲镇", 2020), "350.5");
    set_ok("town_budget", " 甲镇 ", 2020, "350.50", ZX_VALUES_UNCHANGED);
    set_ok("promoted_year", "T01", 0, "2015", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("promoted_year", "T01", 0), "2015");
    cr_assert_str_eq(get("promoted_year", "T02", 0), "(none)");
    /* teacher values are keyed by the teacher's id */
    cr_assert_eq(count("SELECT count(*) FROM data_value d JOIN teacher t"
                       " ON t.id = d.unit_id WHERE t.teacher_no = 'T01'"
                       " AND d.element = 'promoted_year'"), 1);
}

Test(values, non_yearly_ignores_the_year)
{
    set_ok("counselling_room", "3206840001", 2021, "是", ZX_VALUES_INSERTED);
    cr_assert_str_eq(get("counselling_room", "3206840001", 0), "是");
    cr_assert_str_eq(get("counselling_room", "3206840001", 1999), "是");
    cr_assert_eq(count("SELECT year FROM data_value"), 0);
}

Test(values, bad_values_are_refused)
{
    set_bad("counselling_room", "3206840001", 0, "也许", ZX_EDATA,
            "应填 是 或 否");
    set_bad("accounts", "3206840001", 2020, "5001", ZX_EDATA,
            "超出允许范围 0～5000");
    set_bad("accounts", "3206840001", 2020, "-1", ZX_EDATA, "超出允许范围");
    set_bad("accounts", "3206840001", 2020, "1.5", ZX_EDATA, "应为整数");
    set_bad("accounts", "3206840001", 2020, "很多", ZX_EDATA, "应为整数");
    set_bad("budget_share", "3206840001", 2020, "100.01", ZX_EDATA,
            "超出允许范围 0～100");
    set_bad("budget_share", "3206840001", 2020, "abc", ZX_EDATA,
            "应为数字");
    set_bad("budget_share", "3206840001", 2020, "inf", ZX_EDATA,
            "应为数字");
    set_bad("town_budget", "甲镇", 2020, "-1", ZX_EDATA, "不小于 0");
    set_bad("rule_of_law", "3206840001", 2020, "省级", ZX_EDATA,
            "应为选项：南通市级以上、海门市级、未评（也可填序号 1～3）");
    set_bad("rule_of_law", "3206840001", 2020, "4", ZX_EDATA, "无效");
    set_bad("rule_of_law", "3206840001", 2020, "0", ZX_EDATA, "无效");
    set_bad("renovated_on", "3206840001", 0, "2021-02-29", ZX_EDATA,
            "不是有效的日期");
    set_bad("renovated_on", "3206840001", 0, "2020-13-01", ZX_EDATA,
            "不是有效的日期");
    set_bad("renovated_on", "3206840001", 0, "下个月", ZX_EDATA,
            "不是有效的日期");
    set_bad("promoted_year", "T01", 0, "1979", ZX_EDATA, "1980～2035");
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
    cr_assert_eq(count("SELECT count(*) FROM audit"
                       " WHERE tbl = 'data_value'"), 0);
}

Test(values, level_year_element_and_unit_checked)
{
    set_bad("counselling_room", "T01", 0, "是", ZX_EDATA,
            "“T01”是教师编号，而数据项“心理咨询室”按学校填报，"
            "应填写学校标识码");
    set_bad("promoted_year", "3206840001", 0, "2015", ZX_EDATA,
            "是学校“甲小学”的编码");
    set_bad("town_budget", "3206840001", 2020, "1", ZX_EDATA,
            "应填写区镇编码或名称");
    set_bad("counselling_room", "320684T001", 0, "是", ZX_EDATA,
            "是区镇“甲镇”的编码");
    set_bad("accounts", "3206840001", 2018, "1", ZX_EDATA,
            "年度 2018 不在计划之内，应为 2019（基线）、2020、2021、2022 之一");
    set_bad("accounts", "3206840001", 0, "1", ZX_EDATA, "须指定年度");
    set_bad("no_such", "3206840001", 0, "1", ZX_ENOTFOUND,
            "计划中没有数据项“no_such”");
    set_bad("counselling_room", "3206849999", 0, "是", ZX_ENOTFOUND,
            "没有学校标识码为“3206849999”的学校");
    set_bad("town_budget", "丙镇", 2020, "1", ZX_ENOTFOUND,
            "没有区镇编码或名称为“丙镇”的区镇");
    set_bad("promoted_year", "T99", 0, "2015", ZX_ENOTFOUND,
            "没有教师编号为“T99”的教师");
    set_bad("counselling_room", "", 0, "是", ZX_EDATA, "须指定单位");
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
}

Test(values, changes_are_audited_unchanged_are_not)
{
    long long bad_id = -1;
    const char *q = "SELECT count(*) FROM audit WHERE tbl = 'data_value'";
    sqlite3_stmt *st;

    set_ok("counselling_room", "3206840001", 0, "是", ZX_VALUES_INSERTED);
    set_ok("counselling_room", "3206840001", 0, "Y", ZX_VALUES_UNCHANGED);
    cr_assert_eq(count(q), 1, "an unchanged value leaves the log alone");
    set_ok("counselling_room", "3206840001", 0, "否", ZX_VALUES_UPDATED);
    set_ok("counselling_room", "3206840001", 0, "", ZX_VALUES_DELETED);
    set_ok("accounts", "3206840002", 2021, "88", ZX_VALUES_INSERTED);
    cr_assert_eq(count(q), 4);

    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db),
                                    "SELECT action, key, old, new FROM audit"
                                    " WHERE tbl = 'data_value' ORDER BY id",
                                    -1, &st, NULL), SQLITE_OK);
    {
        static const char *const want[4][4] = {
            { "insert", "counselling_room/3206840001/0", NULL,
              "{\"value\":true}" },
            { "update", "counselling_room/3206840001/0", "{\"value\":true}",
              "{\"value\":false}" },
            { "delete", "counselling_room/3206840001/0", "{\"value\":false}",
              NULL },
            { "insert", "accounts/3206840002/2021", NULL, "{\"value\":88}" },
        };
        int i, k;
        for (i = 0; i < 4; i++) {
            cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
            for (k = 0; k < 4; k++) {
                const char *got = (const char *)sqlite3_column_text(st, k);
                if (want[i][k])
                    cr_assert_str_eq(got, want[i][k], "entry %d field %d", i,
                                     k);
                else
                    cr_assert_null(got, "entry %d field %d", i, k);
            }
        }
    }
    sqlite3_finalize(st);
    cr_assert_eq(zx_audit_verify(db, &bad_id), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM data_value"
                       " WHERE entered_by = 'test' AND entered_at LIKE '20%Z'"),
                 1);
}

Test(values, element_lookup_and_current_year)
{
    cr_assert_str_eq(zx_values_element(plan, "心理咨询室")->id,
                     "counselling_room");
    cr_assert_str_eq(zx_values_element(plan, " COUNSELLING_ROOM")->id,
                     "counselling_room");
    cr_assert_null(zx_values_element(plan, "操场"));
    cr_assert_null(zx_values_element(plan, ""));
    /* the plan ended in 2022; today is later */
    cr_assert_eq(zx_values_current_year(plan), 2022);
    cr_assert_str_eq(zx_values_level_title(ZX_LEVEL_TOWN), "区镇");
}

/* ---- importing a sheet ---------------------------------------------- */

static const char school_csv[] =
    "学校标识码,学校名称,年度,心理咨询室,人人通账号数,公用经费占比,"
    "依法治校等级,改扩建竣工日期,校训\n"
    "3206840001,甲小学,2020,是,１２００,12.5,2,2020年9月1日,勤学笃行\n"
    "3206840002,乙小学,2020,否,,,,,\n";

static void load_school_csv(void)
{
    cr_assert_eq(import_str("s.csv", school_csv, 0), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
}

Test(values, import_csv)
{
    load_school_csv();
    cr_assert_eq(res.rows, 2);
    cr_assert_eq(res.inserted, 7);
    cr_assert_eq(res.updated, 0);
    cr_assert_eq(res.unchanged, 0);
    cr_assert_eq(res.blank, 5);
    cr_assert_str_eq(res.format, "CSV");
    cr_assert_str_eq(get("accounts", "3206840001", 2020), "1200");
    cr_assert_str_eq(get("budget_share", "3206840001", 2020), "12.5");
    cr_assert_str_eq(get("rule_of_law", "3206840001", 2020), "海门市级");
    cr_assert_str_eq(get("renovated_on", "3206840001", 0), "2020-09-01");
    cr_assert_str_eq(get("motto", "3206840001", 0), "勤学笃行");
    cr_assert_str_eq(get("counselling_room", "3206840002", 0), "否");
    cr_assert_str_eq(get("accounts", "3206840002", 2020), "(none)");
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'data_value'"
                       " AND action = 'insert'"), 7);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"
                       " WHERE kind = 'values' AND rows = 2"
                       " AND inserted = 7"), 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE action = 'import'"
                       " AND tbl = 'values'"), 1);
}

Test(values, import_twice_changes_nothing_then_blank_means_no_change)
{
    long long audits;

    load_school_csv();
    audits = count("SELECT count(*) FROM audit WHERE tbl = 'data_value'");
    load_school_csv();
    cr_assert_eq(res.inserted, 0);
    cr_assert_eq(res.updated, 0);
    cr_assert_eq(res.unchanged, 7);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'data_value'"),
                 audits);
    /* a partial sheet by ids, columns in another order: only the filled
     * cell changes, the blank one keeps its value */
    cr_assert_eq(import_str("p.csv",
                            "school_code,motto,Accounts,year\n"
                            "3206840001,,1300,2020\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.updated, 1);
    cr_assert_eq(res.blank, 1);
    cr_assert_str_eq(get("accounts", "3206840001", 2020), "1300");
    cr_assert_str_eq(get("motto", "3206840001", 0), "勤学笃行");
}

Test(values, import_town_and_teacher_sheets)
{
    cr_assert_eq(import_str("t.csv",
                            "区镇,年度,区镇教育投入（万元）\n"
                            "甲镇,2021,100\n"
                            "320684T002,2021年,\"1,250.5\"\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.inserted, 2);
    cr_assert_str_eq(get("town_budget", "320684T001", 2021), "100");
    cr_assert_str_eq(get("town_budget", "乙镇", 2021), "1250.5");
    /* no yearly element: no 年度 column needed */
    cr_assert_eq(import_str("te.csv",
                            "教师编号,姓名,所在学校,现任职务任职年份\n"
                            "T01,张三,甲小学,2016\n"
                            "T02,李四,乙小学,\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.inserted, 1);
    cr_assert_eq(res.blank, 1);
    cr_assert_str_eq(get("promoted_year", "T01", 0), "2016");
}

Test(values, import_xlsx_with_typed_cells)
{
    const char *p = tu_path(dir, "s.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "学校数据");
    lxw_format *datefmt = workbook_add_format(wb);
    lxw_datetime day = { 2021, 3, 15, 0, 0, 0 };
    static const char *const heads[] = { "学校标识码", "学校名称", "年度",
                                         "心理咨询室", "人人通账号数",
                                         "公用经费占比", "依法治校等级",
                                         "改扩建竣工日期" };
    int i;

    format_set_num_format(datefmt, "yyyy-mm-dd");
    for (i = 0; i < 8; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, heads[i], NULL);
    worksheet_write_string(ws, 1, 0, "3206840001", NULL);
    worksheet_write_string(ws, 1, 1, "甲小学", NULL);
    worksheet_write_number(ws, 1, 2, 2021, NULL);
    worksheet_write_boolean(ws, 1, 3, 1, NULL);
    worksheet_write_number(ws, 1, 4, 800, NULL);
    worksheet_write_number(ws, 1, 5, 7.25, NULL);
    worksheet_write_number(ws, 1, 6, 3, NULL);
    worksheet_write_datetime(ws, 1, 7, &day, datefmt);
    /* a school code typed as a number, a date typed as text */
    worksheet_write_number(ws, 2, 0, 3206840002, NULL);
    worksheet_write_number(ws, 2, 2, 2021, NULL);
    worksheet_write_string(ws, 2, 3, "否", NULL);
    worksheet_write_string(ws, 2, 7, "2019/12/1", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);

    cr_assert_eq(import_file("s.xlsx", 0), ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_str_eq(res.format, "XLSX");
    cr_assert_eq(res.rows, 2);
    cr_assert_eq(res.inserted, 7);
    cr_assert_str_eq(get("counselling_room", "3206840001", 0), "是");
    cr_assert_str_eq(get("accounts", "3206840001", 2021), "800");
    cr_assert_str_eq(get("budget_share", "3206840001", 2021), "7.25");
    cr_assert_str_eq(get("rule_of_law", "3206840001", 2021), "未评");
    cr_assert_str_eq(get("renovated_on", "3206840001", 0), "2021-03-15");
    cr_assert_str_eq(get("renovated_on", "3206840002", 0), "2019-12-01");
}

Test(values, import_row_errors_located_nothing_written)
{
    long long audits = count("SELECT count(*) FROM audit");

    cr_assert_eq(import_str("bad.csv",
                            "学校标识码,学校名称,年度,心理咨询室,人人通账号数,"
                            "依法治校等级,改扩建竣工日期\n"
                            /* 2: good, and would be written */
                            "3206840001,甲小学,2020,是,100,1,2020-01-01\n"
                            /* 3: unknown school */
                            "3206849999,丙小学,2020,否,,,\n"
                            /* 4: year outside the plan */
                            "3206840002,乙小学,2018,,5,,\n"
                            /* 5: four bad cells */
                            "3206840002,乙小学,2020,也许,6000,省级,"
                            "2021-02-30\n"
                            /* 6: school 1's room a second time */
                            "3206840001,甲小学,2021,否,,,\n"
                            /* 7: no school code */
                            ",无码小学,2020,是,,,\n"
                            /* 8: a yearly value without its year */
                            "3206840002,乙小学,,,7,,\n", 0),
                 ZX_EDATA);
    want_diag("3:A", "学校标识码“3206849999”不存在");
    want_diag("4:C", "“年度”应为 2019（基线）、2020、2021、2022 之一");
    want_diag("5:D", "应填 是 或 否");
    want_diag("5:E", "超出允许范围 0～5000");
    want_diag("5:F", "无效");
    want_diag("5:G", "不是有效的日期");
    want_diag("6:D", "与第 2 行重复");
    want_diag("7:A", "“学校标识码”不能为空");
    want_diag("8:C", "“年度”不能为空");
    cr_assert_eq(zx_diag_count(diag), 9, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 0);
    cr_assert_eq(count("SELECT count(*) FROM audit"), audits);
}

Test(values, import_header_errors)
{
    cr_assert_eq(import_str("h1.csv",
                            "学校标识码,年度,心理咨询室,操场面积,区镇教育投入,"
                            "现任职务任职年份,心理咨询室\n"
                            "3206840001,2020,是,1,2,3,是\n", 0),
                 ZX_EDATA);
    want_diag("1:D", "未知的表头“操场面积”");
    want_diag("1:E", "请使用区镇模板（zhenxing template values --level town）");
    want_diag("1:F", "“现任职务任职年份”是按教师填报的数据项");
    want_diag("1:G", "数据项“心理咨询室”重复（与第 C 列相同）");
    cr_assert_eq(zx_diag_count(diag), 4, "%s", tu_diag_text(diag, 0));

    cr_assert_eq(import_str("h2.csv", "学校标识码,人人通账号数\n"
                                      "3206840001,100\n", 0),
                 ZX_EDATA);
    want_diag("1:", "缺少“年度”列");

    cr_assert_eq(import_str("h3.csv", "学校名称,学校标识码,校训\n"
                                      "甲小学,3206840001,勤学\n", 0),
                 ZX_EDATA);
    want_diag("1:A", "第一列应为单位的标识");

    cr_assert_eq(import_str("h4.csv", "学校标识码,学校名称\n"
                                      "3206840001,甲小学\n", 0),
                 ZX_EDATA);
    want_diag("1:", "表中没有数据项列");

    cr_assert_eq(import_str("h5.csv", "", 0), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "文件是空的"), "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
}

Test(values, dry_run_counts_but_writes_nothing)
{
    cr_assert_eq(import_str("s.csv", school_csv, 1), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
    cr_assert_eq(res.inserted, 7);
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 0);
    cr_assert_eq(count("SELECT count(*) FROM audit"
                       " WHERE tbl IN ('data_value', 'values')"), 0);
}

/* ---- templates ------------------------------------------------------ */

static void want_row(const tu_sheet *s, int r, const char *const *cells, int n)
{
    int i;

    cr_assert_eq(s->n[r], n, "row %d has %d cells", r + 1, s->n[r]);
    for (i = 0; i < n; i++)
        cr_assert_str_eq(s->cell[r][i], cells[i], "row %d cell %d", r + 1,
                         i);
}

Test(values, school_template)
{
    static const char *const head[] = {
        "学校标识码", "学校名称", "年度", "心理咨询室", "人人通账号数",
        "公用经费占比", "依法治校等级", "改扩建竣工日期", "校训"
    };
    static const char *const r1[] = { "3206840001", "甲小学", "2022" };
    static const char *const r2[] = { "3206840002", "乙小学", "2022" };
    const char *p = tu_path(dir, "school.xlsx");
    char *xml;
    tu_sheet s;
    long n = -1;

    cr_assert_eq(zx_values_template(db, plan, ZX_LEVEL_SCHOOL, p, &n), ZX_OK);
    cr_assert_eq(n, 2);
    tu_read_table(p, 1, &s);
    cr_assert_eq(s.nrows, 3);
    want_row(&s, 0, head, 9);
    want_row(&s, 1, r1, 3);
    want_row(&s, 2, r2, 3);

    /* drop-downs from the hidden code sheet, range checks, notes */
    xml = tu_zip_member(p, "xl/worksheets/sheet1.xml");
    cr_assert(strstr(xml, "'代码表'!$A$2:$A$3"), "是/否 list");
    cr_assert(strstr(xml, "'代码表'!$B$2:$B$4"), "option list");
    cr_assert(strstr(xml, "type=\"whole\""));
    cr_assert(strstr(xml, "<formula2>5000</formula2>"));
    cr_assert(strstr(xml, "type=\"textLength\""));
    free(xml);
    xml = tu_zip_member(p, "xl/workbook.xml");
    cr_assert(strstr(xml, "name=\"填写说明\""));
    cr_assert(strstr(xml, "name=\"代码表\" sheetId=\"3\" state=\"hidden\""));
    free(xml);
    xml = tu_zip_member(p, "xl/comments1.xml");
    cr_assert(strstr(xml, "标识：counselling_room"));
    cr_assert(strstr(xml, "条款：3.3.2-E3"));
    free(xml);

    /* the untouched template imports as all blank */
    cr_assert_eq(import_file("school.xlsx", 0), ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.rows, 2);
    cr_assert_eq(res.inserted, 0);
    cr_assert_eq(res.blank, 2 * 6);
}

Test(values, town_and_teacher_templates)
{
    static const char *const town_head[] = { "区镇编码", "区镇名称", "年度",
                                             "区镇教育投入" };
    static const char *const town_row[] = { "320684T001", "甲镇", "2022" };
    static const char *const teacher_head[] = { "教师编号", "姓名",
                                                "所在学校",
                                                "现任职务任职年份" };
    static const char *const teacher_row[] = { "T02", "李四", "乙小学" };
    const char *tp = tu_path(dir, "town.xlsx");
    const char *ep = tu_path(dir, "teacher.xlsx");
    tu_sheet s;
    long n;

    cr_assert_eq(zx_values_template(db, plan, ZX_LEVEL_TOWN, tp, &n), ZX_OK);
    cr_assert_eq(n, 2);
    tu_read_table(tp, 1, &s);
    want_row(&s, 0, town_head, 4);
    want_row(&s, 1, town_row, 3);

    cr_assert_eq(zx_values_template(db, plan, ZX_LEVEL_TEACHER, ep, &n),
                 ZX_OK);
    cr_assert_eq(n, 2);
    tu_read_table(ep, 1, &s);
    want_row(&s, 0, teacher_head, 4);
    want_row(&s, 2, teacher_row, 3);

    /* no group element, and no template for the city */
    cr_assert_eq(zx_values_template(db, plan, ZX_LEVEL_GROUP,
                                    tu_path(dir, "g.xlsx"), &n), ZX_ENOTFOUND);
    cr_assert_eq(zx_values_template(db, plan, ZX_LEVEL_CITY,
                                    tu_path(dir, "c.xlsx"), &n), ZX_EINVAL);
    cr_assert_eq(access(tu_path(dir, "g.xlsx"), F_OK), -1);
}

/* ---- the command line ----------------------------------------------- */

/* Runs zhenxing on the test database; stdout and stderr go to dir/out. */
static int zx(const char *args)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s/zx.db %s >out 2>&1", dir,
             ZX_BIN, dir, args);
    return tu_sh(cmd);
}

static const char *out(void)
{
    static char buf[8192];
    FILE *f = fopen(tu_path(dir, "out"), "rb");
    size_t n;

    cr_assert_not_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Stores the plan in the database, for the binary to read. */
static void store_plan(void)
{
    cr_assert_eq(zx_planstore_put(db, plan_text, strlen(plan_text),
                                  "plan.yaml", "test", diag),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
}

Test(values, cli_get_and_set)
{
    store_plan();
    cr_assert_eq(zx("values set counselling_room 3206840001 Y"), 0, "%s",
                 out());
    cr_assert(strstr(out(), "已新增：心理咨询室 3206840001 = 是"), "%s", out());
    cr_assert_eq(zx("values get 心理咨询室 3206840001"), 0, "%s", out());
    cr_assert_str_eq(out(), "是\n");
    cr_assert_eq(zx("values set accounts 3206840001 120 --year 2021"), 0,
                 "%s", out());
    cr_assert(strstr(out(), "2021 年度 = 120"), "%s", out());
    cr_assert_eq(zx("values get accounts 3206840001 --year=2021"), 0);
    cr_assert_str_eq(out(), "120\n");
    cr_assert_eq(zx("values get accounts 3206840001"), 1, "the default "
                 "year is 2022: nothing there");
    cr_assert(strstr(out(), "未填报"), "%s", out());
    cr_assert_eq(zx("values set accounts 3206840001 9999 --year 2021"), 65);
    cr_assert(strstr(out(), "超出允许范围"), "%s", out());
    cr_assert_eq(zx("values set no_such 3206840001 1"), 66);
    cr_assert_eq(zx("values set counselling_room T01 是"), 65);
    cr_assert_eq(zx("values set counselling_room 3206840001 ''"), 0);
    cr_assert(strstr(out(), "已删除"), "%s", out());
    cr_assert_eq(zx("values frob"), 64);
    cr_assert_eq(zx("values get counselling_room"), 64);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE tbl = 'data_value'"
                       " AND actor LIKE 'cli:%'"), 3);
}

Test(values, cli_import_and_template)
{
    store_plan();
    tu_write_str(tu_path(dir, "s.csv"), school_csv);
    tu_write_str(tu_path(dir, "bad.csv"), "学校标识码,心理咨询室\n"
                                          "3206840001,也许\n");
    cr_assert_eq(zx("import values s.csv --dry-run"), 0, "%s", out());
    cr_assert(strstr(out(), "试运行"), "%s", out());
    cr_assert_eq(count("SELECT count(*) FROM data_value"), 0);
    cr_assert_eq(zx("import values s.csv"), 0, "%s", out());
    cr_assert(strstr(out(), "新增 7"), "%s", out());
    cr_assert_eq(zx("import values bad.csv"), 65, "%s", out());
    cr_assert(strstr(out(), "bad.csv:2:B: “心理咨询室”应填 是 或 否"), "%s",
              out());

    cr_assert_eq(zx("template values --level town --out town.xlsx"), 0, "%s",
                 out());
    cr_assert_eq(access(tu_path(dir, "town.xlsx"), F_OK), 0);
    {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "%s --db %s/zx.db template values"
                 " > %s/school.xlsx 2>/dev/null", ZX_BIN, dir, dir);
        cr_assert_eq(tu_sh(cmd), 0, "a template to a pipe or file");
    }
    cr_assert_eq(access(tu_path(dir, "school.xlsx"), F_OK), 0);
    cr_assert_eq(zx("template values --level city --out c.xlsx"), 64);
    cr_assert_eq(zx("template values --level group --out g.xlsx"), 1);
}
