/*
 * test_ingest.c - the registry importer: good files in every accepted
 * form, every kind of bad file, all-or-nothing, idempotence, change
 * recording and an import killed half-way.
 */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>
#include <xlsxwriter.h>

#include "audit.h"
#include "ingest.h"

static const char *dir;
static zx_db *db;
static zx_diag *diag;
static zx_ingest_result res;

static void setup(void)
{
    dir = tu_tmpdir();
    db = tu_db(dir);
    diag = zx_diag_new();
}

static void teardown(void)
{
    zx_ingest_result_free(&res);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(ingest, .init = setup, .fini = teardown);

static const char schools_csv[] =
    "学校标识码,学校名称,区镇,办学类型,城乡类型,建制镇所在地,办学性质,所属集团,集团总校\n"
    "3206840001,海门市实验小学,海门街道,211,111,是,公办,东洲教育集团,是\n"
    "3206840002,海门市常乐镇中心小学,常乐镇,小学,121,是,公办,东洲教育集团,否\n"
    "3206840003,海门市包场小学,包场镇,211,220,否,公办,,\n";

static int import_str(const char *kind, const char *fname, const char *text,
                      int dry)
{
    const char *p = tu_path(dir, fname);

    tu_write_str(p, text);
    zx_ingest_result_free(&res);
    zx_diag_clear(diag);
    return zx_ingest_file(db, kind, p, fname, dry, "test", NULL, NULL, diag,
                          &res);
}

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

static void load_schools(void)
{
    cr_assert_eq(import_str("schools", "s.csv", schools_csv, 0), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
}

Test(ingest, schools_good_file)
{
    load_schools();
    cr_assert_eq(res.rows, 3);
    cr_assert_eq(res.inserted, 3);
    cr_assert_eq(res.ncreated, 4, "3 towns + 1 group");
    cr_assert_eq(count("SELECT count(*) FROM school"), 3);
    cr_assert_eq(count("SELECT count(*) FROM org_unit WHERE kind='town'"), 3);
    cr_assert_eq(count("SELECT type_code FROM school s JOIN org_unit u"
                       " ON u.id=s.unit_id WHERE u.code='3206840002'"), 211,
                 "a Chinese name is accepted for a code");
    cr_assert_eq(count("SELECT group_hq FROM school s JOIN org_unit u"
                       " ON u.id=s.unit_id WHERE u.code='3206840001'"), 1);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE action='import'"), 1);
}

Test(ingest, same_file_twice_changes_nothing)
{
    long long audits;

    load_schools();
    audits = count("SELECT count(*) FROM audit WHERE action != 'import'");
    load_schools();
    cr_assert_eq(res.inserted, 0);
    cr_assert_eq(res.updated, 0);
    cr_assert_eq(res.unchanged, 3);
    cr_assert_eq(res.ncreated, 0);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE action != 'import'"),
                 audits);
}

Test(ingest, fullwidth_and_spaces_are_normalised)
{
    load_schools();
    /* full-width digits, an ideographic space, stray spaces: same data */
    cr_assert_eq(import_str("schools", "w.csv",
                            "学校标识码 , 学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地(是/否),办学性质（公办/民办）\n"
                            "３２０６８４０００３,海门市包场小学,\xe3\x80\x80包场镇 ,"
                            "２１１,２２０, 否 ,公办\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.unchanged, 1, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.ncreated, 0);
}

Test(ingest, utf8_bom_crlf_and_quotes)
{
    cr_assert_eq(import_str("schools", "b.csv",
                            "\xef\xbb\xbf学校标识码,学校名称,区镇,办学类型,"
                            "城乡类型,建制镇所在地,办学性质\r\n"
                            "3206840001,\"海门市实验小学,东校区\",海门街道,211,"
                            "111,是,公办\r\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM org_unit"
                       " WHERE name='海门市实验小学,东校区'"), 1);
}

Test(ingest, gbk_input)
{
    const char *u = tu_path(dir, "u.csv"), *g = tu_path(dir, "gbk.csv");
    char cmd[1200];

    tu_write_str(u, schools_csv);
    snprintf(cmd, sizeof(cmd), "iconv -f UTF-8 -t GBK '%s' > '%s'", u, g);
    cr_assert_eq(tu_sh(cmd), 0);
    cr_assert_eq(zx_ingest_file(db, "schools", g, "gbk.csv", 0, "test", NULL,
                                NULL, diag, &res),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(res.inserted, 3);
    cr_assert_eq(count("SELECT count(*) FROM org_unit"
                       " WHERE name='海门市常乐镇中心小学'"), 1);
}

Test(ingest, wrong_encoding_is_refused)
{
    /* UTF-16LE with BOM, as Excel's "Unicode text" writes */
    static const char utf16[] = "\xff\xfe\x66\x5b\x21\x68";
    /* bytes that are neither UTF-8 nor GB18030 (0xFF never starts a
     * GB18030 character) on line 2 */
    static const char junk[] = "学校标识码,学校名称\n\xff\xff\xff,x\n";

    tu_write(tu_path(dir, "x16.csv"), utf16, sizeof(utf16) - 1);
    cr_assert_eq(zx_ingest_file(db, "schools", tu_path(dir, "x16.csv"),
                                "x16.csv", 0, "test", NULL, NULL, diag, &res),
                 ZX_EFORMAT);
    cr_assert(strstr(tu_diag_text(diag, 0), "UTF-16"), "%s", tu_diag_text(diag, 0));
    cr_assert_eq(import_str("schools", "junk.csv", junk, 0), ZX_EFORMAT);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:: 文件编码无法识别"), "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM org_unit"), 1, "only the city");
}

Test(ingest, bad_code_names_row_and_column)
{
    cr_assert_eq(import_str("schools", "bad.csv",
                            "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地,办学性质\n"
                            "3206840001,甲小学,海门街道,211,111,是,公办\n"
                            "3206840002,乙大学,海门街道,大学,111,是,公办\n"
                            "320684003,丙小学,海门街道,211,999,也许,公办\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "3:D: “办学类型”的值“大学”无效"),
              "%s", tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:A: “学校标识码”应为 10 位数字"),
              "%s", tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:E: “城乡类型”的值“999”无效"),
              "%s", tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:F: "), "%s", tu_diag_text(diag, 0));
    cr_assert_eq(zx_diag_count(diag), 4, "%s", tu_diag_text(diag, 0));
    /* all or nothing: the good row 2 was not written either */
    cr_assert_eq(count("SELECT count(*) FROM org_unit"), 1);
    cr_assert_eq(count("SELECT count(*) FROM audit"), 0);
}

Test(ingest, duplicate_key_in_file)
{
    cr_assert_eq(import_str("schools", "dup.csv",
                            "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地,办学性质\n"
                            "3206840001,甲小学,海门街道,211,111,是,公办\n"
                            "3206840001,乙小学,海门街道,211,111,是,公办\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "3:A: 学校标识码与第 2 行重复"), "%s",
              tu_diag_text(diag, 0));
}

Test(ingest, missing_and_unknown_headers)
{
    cr_assert_eq(import_str("schools", "h.csv",
                            "学校标识码,学校名字,区镇,办学类型,城乡类型,办学性质\n"
                            "3206840001,甲小学,海门街道,211,111,公办\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "1:B: 未知的表头“学校名字”"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "1:: 缺少必需的表头“学校名称”"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "缺少必需的表头“建制镇所在地”"), "%s",
              tu_diag_text(diag, 0));
}

Test(ingest, non_numeric_count_and_range)
{
    load_schools();
    cr_assert_eq(import_str("enrolment", "e.csv",
                            "学校标识码,年度,在校生数,班级数,寄宿生数\n"
                            "3206840001,2020,1200,24,0\n"
                            "3206840002,2020,四百,12,\n"
                            "3206840003,1999,480,12,500\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "3:C: “在校生数”应为整数，实为“四百”"),
              "%s", tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:B: “年度”为 1999，超出允许范围"), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM enrolment"), 0);
}

Test(ingest, enrolment_good_and_cross_checks)
{
    load_schools();
    cr_assert_eq(import_str("enrolment", "e.csv",
                            "学校标识码,年度,在校生数,班级数,寄宿生数,"
                            "随班就读残疾学生数\n"
                            "3206840001,2020,\"1,200\",24,0,3\n"
                            "3206840003,2020年,499,12,,\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT students FROM enrolment WHERE year=2020"
                       " ORDER BY students DESC LIMIT 1"), 1200);
    cr_assert_eq(import_str("enrolment", "e2.csv",
                            "学校标识码,年度,在校生数,班级数,寄宿生数\n"
                            "3206840003,2020,100,12,101\n"
                            "3206849999,2020,100,12,1\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:E: 寄宿生数 101 大于在校生数 100"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "3:A: 学校标识码“3206849999”不存在"), "%s",
              tu_diag_text(diag, 0));
}

static const char teachers_head[] =
    "教师编号,姓名,性别,出生年月,学校标识码,任教学段,任教学科,职称,用工类型,"
    "岗位,本校任职起始年份,政治面貌\n";

static void load_teachers(void)
{
    char buf[2048];

    load_schools();
    snprintf(buf, sizeof(buf), "%s"
             "T0000001,张伟,男,1985-03,3206840001,小学,数学,一级教师,在编,"
             "专任教师,2010,中共党员\n"
             "T0000002,李娜,女,1992年7月,3206840003,小学,13,二级教师,代课,"
             "专任教师,2016,\n"
             "T0000003,王芳,女,198811,3206840002,小学,英语,高级教师,在编,校长,"
             "2012,群众\n", teachers_head);
    cr_assert_eq(import_str("teachers", "t.csv", buf, 0), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
}

Test(ingest, teachers_good_file)
{
    load_teachers();
    cr_assert_eq(res.inserted, 3);
    cr_assert_eq(count("SELECT count(*) FROM teacher WHERE birth='1992-07'"),
                 1);
    cr_assert_eq(count("SELECT count(*) FROM teacher WHERE birth='1988-11'"),
                 1);
    cr_assert_eq(count("SELECT subject FROM teacher WHERE name='李娜'"), 13);
    cr_assert_eq(count("SELECT count(*) FROM teacher WHERE political IS NULL"),
                 1);
}

Test(ingest, future_birth_and_unknown_school)
{
    char buf[2048];

    load_schools();
    snprintf(buf, sizeof(buf), "%s"
             "T0000001,张伟,男,2999-03,3206840001,小学,数学,一级教师,在编,"
             "专任教师,2010,\n"
             "T0000002,李娜,女,1990-01,3206840099,小学,语文,二级教师,在编,"
             "专任教师,2016,\n"
             "T0000003,王芳,女,1990-13,3206840001,小学,语文,二级教师,在编,"
             "专任教师,2016,\n", teachers_head);
    cr_assert_eq(import_str("teachers", "t.csv", buf, 0), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:D: “出生年月”为 2999-03，晚于当前日期"),
              "%s", tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "3:E: 学校标识码“3206840099”不存在"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:D: “出生年月”无法识别“1990-13”"), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM teacher"), 0);
}

Test(ingest, teacher_move_is_recorded_as_a_change)
{
    char buf[2048];

    load_teachers();
    snprintf(buf, sizeof(buf), "%s"
             "T0000001,张伟,男,1985-03,3206840003,小学,数学,一级教师,在编,"
             "专任教师,2020,中共党员\n", teachers_head);
    cr_assert_eq(import_str("teachers", "move.csv", buf, 0), ZX_OK, "%s",
                 tu_diag_text(diag, 0));
    cr_assert_eq(res.updated, 1);
    cr_assert_eq(count("SELECT count(*) FROM audit WHERE action='update'"
                       " AND tbl='teacher' AND key='T0000001'"
                       " AND old LIKE '%\"school_code\":\"3206840001\"%'"
                       " AND new LIKE '%\"school_code\":\"3206840003\"%'"),
                 1);
    long long bad;
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
}

Test(ingest, roles)
{
    load_teachers();
    cr_assert_eq(import_str("roles", "r.csv",
                            "教师编号,称号,级别,起始年份,截止年份\n"
                            "T0000001,学科带头人,海门市级,2019,\n"
                            "T0000002,种子教师,,2020,2022\n", 0),
                 ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM teacher_role WHERE level='县级'"),
                 1);
    cr_assert_eq(import_str("roles", "r2.csv",
                            "教师编号,称号,级别,起始年份,截止年份\n"
                            "T0000002,种子教师,,2020,2021\n"
                            "T0000001,骨干教师,,2019,\n"
                            "T0000009,种子教师,,2020,\n"
                            "T0000003,种子教师,,2020,2018\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "3:C: 称号“骨干教师”须填写级别"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "4:A: 教师编号“T0000009”不存在"), "%s",
              tu_diag_text(diag, 0));
    cr_assert(strstr(tu_diag_text(diag, 0), "5:E: 截止年份 2018 早于起始年份 2020"),
              "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT end_year FROM teacher_role"
                       " WHERE title='种子教师'"), 2022, "nothing written");
}

Test(ingest, group_hq_conflicts)
{
    load_schools();
    cr_assert_eq(import_str("schools", "hq.csv",
                            "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地,办学性质,所属集团,集团总校\n"
                            "3206840002,海门市常乐镇中心小学,常乐镇,211,121,"
                            "是,公办,东洲教育集团,是\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "2:I: 集团“东洲教育集团”将有不止一所总校"),
              "%s", tu_diag_text(diag, 0));
}

Test(ingest, dry_run_writes_nothing)
{
    cr_assert_eq(import_str("schools", "s.csv", schools_csv, 1), ZX_OK);
    cr_assert_eq(res.inserted, 3);
    cr_assert_eq(res.ncreated, 4);
    cr_assert_eq(count("SELECT count(*) FROM org_unit"), 1);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 0);
}

Test(ingest, blank_rows_and_row_numbers)
{
    /* a quoted line break does not start a row; blank lines do count;
     * trailing blank rows (",,,") are ignored */
    cr_assert_eq(import_str("schools", "r.csv",
                            "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地,办学性质\r\n"
                            "3206840001,\"甲\n小学\",海门街道,211,111,是,公办\r\n"
                            "\r\n"
                            "3206840002,乙小学,海门街道,211,111,是,民营\r\n"
                            ",,,,,,\r\n,,,,,,\r\n", 0),
                 ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "4:G: “办学性质”的值“民营”无效"), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(res.rows, 2);
}

Test(ingest, empty_file_and_header_only)
{
    cr_assert_eq(import_str("schools", "empty.csv", "", 0), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "没有表头"), "%s", tu_diag_text(diag, 0));
    cr_assert_eq(import_str("schools", "h.csv",
                            "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                            "建制镇所在地,办学性质\n", 0),
                 ZX_OK);
    cr_assert_eq(res.rows, 0);
}

Test(ingest, unsupported_extension)
{
    cr_assert_eq(import_str("schools", "s.xls", "x", 0), ZX_EFORMAT);
    cr_assert(strstr(tu_diag_text(diag, 0), ".xls"), "%s", tu_diag_text(diag, 0));
}

Test(ingest, xlsx_input)
{
    const char *p = tu_path(dir, "t.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "教师");
    lxw_format *date = workbook_add_format(wb);
    lxw_datetime birth = { 1986, 4, 15, 8, 30, 0 }; /* with a time */
    const char *heads[] = { "教师编号", "姓名", "性别", "出生年月",
                            "学校标识码", "任教学段", "任教学科", "职称",
                            "用工类型", "岗位", "本校任职起始年份" };
    int c;

    load_schools();
    format_set_num_format(date, "yyyy-mm-dd");
    for (c = 0; c < 11; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], NULL);
    worksheet_write_string(ws, 1, 0, "T0000001", NULL);
    worksheet_write_string(ws, 1, 1, "赵敏", NULL);
    worksheet_write_string(ws, 1, 2, "女", NULL);
    worksheet_write_datetime(ws, 1, 3, &birth, date);
    worksheet_write_number(ws, 1, 4, 3206840002.0, NULL); /* as a number */
    worksheet_write_string(ws, 1, 5, "小学", NULL);
    worksheet_write_number(ws, 1, 6, 14, NULL);
    worksheet_write_string(ws, 1, 7, "一级教师", NULL);
    worksheet_write_string(ws, 1, 8, "在编", NULL);
    worksheet_write_string(ws, 1, 9, "专任教师", NULL);
    worksheet_write_number(ws, 1, 10, 2015, NULL);
    /* row 3 left empty, row 4 bad: the error names spreadsheet row 4 */
    worksheet_write_string(ws, 3, 0, "T0000002", NULL);
    worksheet_write_string(ws, 3, 1, "钱多", NULL);
    worksheet_write_string(ws, 3, 2, "男", NULL);
    worksheet_write_number(ws, 3, 3, 31048, NULL); /* a bare serial */
    worksheet_write_string(ws, 3, 4, "3206840002", NULL);
    worksheet_write_string(ws, 3, 5, "小学", NULL);
    worksheet_write_string(ws, 3, 6, "数学", NULL);
    worksheet_write_string(ws, 3, 7, "一级教师", NULL);
    worksheet_write_string(ws, 3, 8, "临时工", NULL);
    worksheet_write_string(ws, 3, 9, "专任教师", NULL);
    worksheet_write_number(ws, 3, 10, 2015, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);

    zx_ingest_result_free(&res);
    zx_diag_clear(diag);
    cr_assert_eq(zx_ingest_file(db, "teachers", p, "t.xlsx", 0, "test", NULL,
                                NULL, diag, &res), ZX_EDATA);
    cr_assert(strstr(tu_diag_text(diag, 0), "4:I: “用工类型”的值“临时工”无效"), "%s",
              tu_diag_text(diag, 0));
    cr_assert_eq(zx_diag_count(diag), 1, "%s", tu_diag_text(diag, 0));

    /* fixed: imports, with the date cell and the serial both converted */
    wb = workbook_new(p);
    ws = workbook_add_worksheet(wb, "教师");
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    for (c = 0; c < 11; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], NULL);
    worksheet_write_string(ws, 1, 0, "T0000001", NULL);
    worksheet_write_string(ws, 1, 1, "赵敏", NULL);
    worksheet_write_string(ws, 1, 2, "女", NULL);
    worksheet_write_datetime(ws, 1, 3, &birth, date);
    worksheet_write_number(ws, 1, 4, 3206840002.0, NULL);
    worksheet_write_string(ws, 1, 5, "小学", NULL);
    worksheet_write_number(ws, 1, 6, 14, NULL);
    worksheet_write_string(ws, 1, 7, "一级教师", NULL);
    worksheet_write_string(ws, 1, 8, "在编", NULL);
    worksheet_write_string(ws, 1, 9, "专任教师", NULL);
    worksheet_write_number(ws, 1, 10, 2015, NULL);
    worksheet_write_string(ws, 2, 0, "T0000002", NULL);
    worksheet_write_string(ws, 2, 1, "钱多", NULL);
    worksheet_write_string(ws, 2, 2, "男", NULL);
    worksheet_write_number(ws, 2, 3, 31048, NULL);
    worksheet_write_string(ws, 2, 4, "3206840002", NULL);
    worksheet_write_string(ws, 2, 5, "小学", NULL);
    worksheet_write_string(ws, 2, 6, "数学", NULL);
    worksheet_write_string(ws, 2, 7, "一级教师", NULL);
    worksheet_write_string(ws, 2, 8, "在编", NULL);
    worksheet_write_string(ws, 2, 9, "专任教师", NULL);
    worksheet_write_number(ws, 2, 10, 2015, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    zx_ingest_result_free(&res);
    zx_diag_clear(diag);
    cr_assert_eq(zx_ingest_file(db, "teachers", p, "t.xlsx", 0, "test", NULL,
                                NULL, diag, &res), ZX_OK, "%s", tu_diag_text(diag, 0));
    cr_assert_eq(count("SELECT count(*) FROM teacher WHERE birth='1986-04'"
                       " AND subject=14"), 1);
    cr_assert_eq(count("SELECT count(*) FROM teacher WHERE birth='1985-01'"),
                 1, "serial 31048 is 1985-01-01");
}

/* Kills the importing process from inside, half-way through the file. */
static void die_halfway(void *ctx, long long done, long long total)
{
    (void)ctx;
    if (done * 2 >= total && done < total)
        raise(SIGKILL);
}

Test(ingest, killed_midway_leaves_database_as_before)
{
    const char *p = tu_path(dir, "big.csv");
    FILE *f;
    char before[64], after[64];
    const char *fp = "SELECT count(*) || '/' || total(since_year) ||"
                     " '/' || group_concat(teacher_no) FROM teacher";
    sqlite3_stmt *st;
    pid_t pid;
    int status, i;

    load_teachers();
    f = fopen(p, "w");
    cr_assert_not_null(f);
    fputs(teachers_head, f);
    for (i = 0; i < 40000; i++)
        fprintf(f, "N%07d,教师%d,女,1990-01,3206840002,小学,语文,二级教师,"
                   "在编,专任教师,2015,群众\n", i, i);
    /* also change an existing teacher, so an update is in flight too */
    fputs("T0000001,张伟,男,1985-03,3206840002,小学,数学,一级教师,在编,"
          "专任教师,2021,中共党员\n", f);
    fclose(f);

    sqlite3_prepare_v2(zx_db_sqlite(db), fp, -1, &st, NULL);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(before, sizeof(before), "%.60s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);

    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        zx_db *child = NULL;
        char err[256];
        zx_diag *d = zx_diag_new();
        zx_ingest_result r;
        zx_db_open(tu_path(dir, "zx.db"), 0, &child, err, sizeof(err));
        zx_ingest_file(child, "teachers", p, "big.csv", 0, "test",
                       die_halfway, NULL, d, &r);
        _exit(0); /* not reached when the kill happens */
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "the import was not killed half-way");

    zx_db_close(db);
    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), 0, &db, NULL, 0), ZX_OK);
    sqlite3_prepare_v2(zx_db_sqlite(db), fp, -1, &st, NULL);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(after, sizeof(after), "%.60s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    cr_assert_str_eq(after, before);
    cr_assert_eq(count("SELECT count(*) FROM import_batch"), 3 - 1,
                 "schools and teachers only");
    sqlite3_prepare_v2(zx_db_sqlite(db), "PRAGMA integrity_check", -1, &st,
                       NULL);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
}

/* The command line: exit 65 and FILE:ROW:COLUMN lines on bad input, the
 * created towns listed on success. */
Test(ingest, cli_exit_codes_and_messages)
{
    char cmd[2048], out[4096];
    const char *db_path = tu_path(dir, "cli.db");
    const char *bad = tu_path(dir, "坏.csv"), *good = tu_path(dir, "好.csv");
    FILE *f;
    size_t n;

    tu_write_str(bad, "学校标识码,学校名称,区镇,办学类型,城乡类型,"
                      "建制镇所在地,办学性质\n"
                      "3206840001,甲小学,海门街道,大学,111,是,公办\n");
    tu_write_str(good, schools_csv);
    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s init >/dev/null", dir,
             ZX_BIN, db_path);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s import schools 坏.csv "
             ">%s/out 2>&1", dir, ZX_BIN, db_path, dir);
    cr_assert_eq(tu_sh(cmd), 65);
    f = fopen(tu_path(dir, "out"), "r");
    n = fread(out, 1, sizeof(out) - 1, f);
    fclose(f);
    out[n] = '\0';
    cr_assert(strstr(out, "坏.csv:2:D: “办学类型”的值“大学”无效"), "%s", out);
    cr_assert(strstr(out, "数据库未做任何修改"), "%s", out);

    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s import schools 好.csv "
             ">%s/out 2>&1", dir, ZX_BIN, db_path, dir);
    cr_assert_eq(tu_sh(cmd), 0);
    f = fopen(tu_path(dir, "out"), "r");
    n = fread(out, 1, sizeof(out) - 1, f);
    fclose(f);
    out[n] = '\0';
    cr_assert(strstr(out, "新增 3"), "%s", out);
    cr_assert(strstr(out, "区镇 包场镇"), "%s", out);
    snprintf(cmd, sizeof(cmd), "%s --db %s import schools", ZX_BIN, db_path);
    cr_assert_eq(tu_sh(cmd), 64);
}
