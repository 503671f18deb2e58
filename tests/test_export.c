/*
 * test_export.c - exports (src/core/export.c) and `zhenxing export`.
 *
 * A small registry is built through the registry API, exported in every
 * format and checked value by value; then the exports are imported again,
 * into the same database (nothing may change) and into an empty one (which
 * must export byte for byte the same).
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <zip.h>

#include "csvfile.h"
#include "demo.h"
#include "export.h"
#include "ingest.h"
#include "sheetdef.h"
#include "xlsx.h"

static const char *const kinds[] = { "schools", "enrolment", "teachers",
                                     "roles" };
#define NKINDS 4

/* ---- helpers ------------------------------------------------------- */

/* The whole file, NUL-terminated; free it. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The header line a CSV export of kind starts with, from sheetdef. */
static const char *csv_header(const char *kind)
{
    static char buf[1024];
    const zx_sheetdef *def = zx_sheetdef_get(kind);
    int i;

    strcpy(buf, "\xEF\xBB\xBF");
    for (i = 0; i < def->n; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, def->cols[i].header);
    }
    strcat(buf, "\r\n");
    return buf;
}


/* ---- the registry -------------------------------------------------- */

/* Keys are put out of order, so that the export's order is its own. */
static void fill(zx_db *d)
{
    static const zx_school_rec schools[] = {
        { .code = "3206840002", .name = "海门市\"新\"苗,小学",
          .town = "常乐镇", .type_code = 218, .urban_rural = 220,
          .town_seat = 0, .owner = 22 },
        { .code = "3206840001", .name = "海门市实验小学", .town = "海门街道",
          .group = "东洲教育集团", .type_code = 211, .urban_rural = 111,
          .town_seat = 1, .owner = 21, .group_hq = 1, .has_lonlat = 1,
          .lon = 121.18, .lat = 31.89 },
    };
    static const zx_enrol_rec enrolment[] = {
        { "3206840002", 2021, 40, 3, 0, 0 },
        { "3206840001", 2021, 510, 12, 28, 3 },
        { "3206840001", 2020, 500, 12, 30, 2 },
    };
    static const zx_teacher_rec teachers[] = {
        /* 女, 小学, 二级教师, 代课, 专任教师, no political status */
        { "T0002", "李四", 2, "1990-11", "3206840002", 2, 13, 4, 3, 1, 2020,
          0 },
        /* 男, 小学, 一级教师, 在编, 专任教师, 中共党员 */
        { "T0001", "张三", 1, "1985-03", "3206840001", 2, 14, 3, 1, 1, 2015,
          1 },
    };
    static const zx_role_rec roles[] = {
        { "T0002", "种子教师", "", 2022, 0 },
        { "T0001", "骨干教师", "县级", 2019, 0 },
        { "T0001", "学科带头人", "县级", 2021, 2023 },
    };

    tu_registry_fill(d, &(tu_city){ .schools = TU_LIST(schools),
                                    .enrol = TU_LIST(enrolment),
                                    .teachers = TU_LIST(teachers),
                                    .roles = TU_LIST(roles) });
}

static const char *const expect_rows[NKINDS] = {
    "3206840001,海门市实验小学,海门街道,小学,主城区,是,公办,东洲教育集团,是,"
    "121.18,31.89\r\n"
    "3206840002,\"海门市\"\"新\"\"苗,小学\",常乐镇,小学教学点,村庄,否,民办,,"
    "否,,\r\n",

    "3206840001,2020,500,12,30,2\r\n"
    "3206840001,2021,510,12,28,3\r\n"
    "3206840002,2021,40,3,0,0\r\n",

    "T0001,张三,男,1985-03,3206840001,小学,数学,一级教师,在编,专任教师,2015,"
    "中共党员\r\n"
    "T0002,李四,女,1990-11,3206840002,小学,语文,二级教师,代课,专任教师,2020,"
    "\r\n",

    "T0001,学科带头人,县级,2021,2023\r\n"
    "T0001,骨干教师,县级,2019,\r\n"
    "T0002,种子教师,,2022,\r\n",
};
static const long expect_n[NKINDS] = { 2, 3, 2, 3 };

static const char *dir;
static zx_db *db;
static char err[512];

static void setup(void)
{
    dir = tu_tmpdir();
    db = tu_db(dir);
    fill(db);
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(export, .init = setup, .fini = teardown);

static const char *export_to(zx_db *d, const char *kind,
                             enum zx_export_format fmt, const char *name)
{
    const char *p = tu_path(dir, name);
    long n = -1;

    cr_assert_eq(zx_export(d, kind, fmt, p, NULL, NULL, &n, err, sizeof(err)),
                 ZX_OK, "%s", err);
    cr_assert_geq(n, 0);
    return p;
}

/* ---- formats ------------------------------------------------------- */

Test(export, csv_bytes)
{
    char name[32], *got, want[2048];
    long n;
    int k;

    for (k = 0; k < NKINDS; k++) {
        snprintf(name, sizeof(name), "%s.csv", kinds[k]);
        cr_assert_eq(zx_export(db, kinds[k], ZX_EXPORT_CSV,
                               tu_path(dir, name), NULL, NULL, &n, err,
                               sizeof(err)),
                     ZX_OK, "%s", err);
        cr_assert_eq(n, expect_n[k]);
        got = slurp(tu_path(dir, name));
        snprintf(want, sizeof(want), "%s%s", csv_header(kinds[k]),
                 expect_rows[k]);
        cr_assert_str_eq(got, want);
        free(got);
    }
    /* the database's own tu_db files plus the four exports: no leftovers */
    cr_assert_eq(tu_entries(dir), 3 + NKINDS);
}

Test(export, json_values)
{
    json_t *j, *rows, *r;
    json_error_t je;

    j = json_load_file(export_to(db, "schools", ZX_EXPORT_JSON, "s.json"), 0,
                       &je);
    cr_assert_not_null(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "kind")),
                     "schools");
    cr_assert(json_is_false(json_object_get(j, "synthetic")));
    rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 2);
    r = json_array_get(rows, 0);
    cr_assert_eq(json_object_size(r), (size_t)zx_sheetdef_get("schools")->n);
    cr_assert_str_eq(json_string_value(json_object_get(r, "school_code")),
                     "3206840001");
    cr_assert_str_eq(json_string_value(json_object_get(r, "school_type")),
                     "小学");
    cr_assert_str_eq(json_string_value(json_object_get(r, "town_seat")), "是");
    cr_assert_str_eq(json_string_value(json_object_get(r, "group")),
                     "东洲教育集团");
    cr_assert(json_is_real(json_object_get(r, "lon")));
    cr_assert_float_eq(json_real_value(json_object_get(r, "lon")), 121.18,
                       1e-12);
    r = json_array_get(rows, 1);
    cr_assert_str_eq(json_string_value(json_object_get(r, "name")),
                     "海门市\"新\"苗,小学");
    cr_assert(json_is_null(json_object_get(r, "group")));
    cr_assert(json_is_null(json_object_get(r, "lon")));
    cr_assert_str_eq(json_string_value(json_object_get(r, "group_hq")), "否");
    json_decref(j);

    j = json_load_file(export_to(db, "enrolment", ZX_EXPORT_JSON, "e.json"),
                       0, &je);
    r = json_array_get(json_object_get(j, "rows"), 2);
    cr_assert(json_is_integer(json_object_get(r, "year")));
    cr_assert_eq(json_integer_value(json_object_get(r, "students")), 40);
    json_decref(j);

    j = json_load_file(export_to(db, "teachers", ZX_EXPORT_JSON, "t.json"), 0,
                       &je);
    r = json_array_get(json_object_get(j, "rows"), 1);
    cr_assert_str_eq(json_string_value(json_object_get(r, "subject")), "语文");
    cr_assert_str_eq(json_string_value(json_object_get(r, "birth")),
                     "1990-11");
    cr_assert(json_is_null(json_object_get(r, "political")));
    json_decref(j);

    j = json_load_file(export_to(db, "roles", ZX_EXPORT_JSON, "r.json"), 0,
                       &je);
    rows = json_object_get(j, "rows");
    r = json_array_get(rows, 0);
    cr_assert_str_eq(json_string_value(json_object_get(r, "role")),
                     "学科带头人");
    cr_assert_eq(json_integer_value(json_object_get(r, "end_year")), 2023);
    r = json_array_get(rows, 2);
    cr_assert(json_is_null(json_object_get(r, "level")));
    cr_assert(json_is_null(json_object_get(r, "end_year")));
    json_decref(j);
}

Test(export, json_of_nothing)
{
    zx_db *empty;
    const char *d2 = tu_tmpdir();
    char *got;
    json_t *j;

    empty = tu_db(d2);
    cr_assert_eq(zx_export(empty, "roles", ZX_EXPORT_JSON,
                           tu_path(d2, "r.json"), NULL, NULL, NULL, err,
                           sizeof(err)),
                 ZX_OK, "%s", err);
    got = slurp(tu_path(d2, "r.json"));
    cr_assert_str_eq(got,
                     "{\"kind\": \"roles\", \"synthetic\": false, "
                     "\"rows\": []}\n");
    j = json_loads(got, 0, NULL);
    cr_assert_not_null(j);
    json_decref(j);
    free(got);
    zx_db_close(empty);
}

Test(export, xlsx_reads_back_like_csv)
{
    char name[32];
    tu_sheet x, c;
    int k, r, i;

    for (k = 0; k < NKINDS; k++) {
        const zx_sheetdef *def = zx_sheetdef_get(kinds[k]);
        snprintf(name, sizeof(name), "%s.xlsx", kinds[k]);
        tu_read_table(export_to(db, kinds[k], ZX_EXPORT_XLSX, name), 1, &x);
        snprintf(name, sizeof(name), "%s.csv", kinds[k]);
        tu_read_table(export_to(db, kinds[k], ZX_EXPORT_CSV, name), 0, &c);
        cr_assert_eq(x.nrows, expect_n[k] + 1);
        cr_assert_eq(x.nrows, c.nrows);
        for (r = 0; r < x.nrows; r++)
            for (i = 0; i < def->n; i++) {
                /* the XLSX reader drops trailing empty cells */
                cr_assert_str_eq(i < x.n[r] ? x.cell[r][i] : "",
                                 c.cell[r][i], "%s row %d col %d", kinds[k],
                                 r + 1, i);
                if (r == 0 || !*c.cell[r][i])
                    continue;
                /* numbers as numbers, everything else (codes) as text */
                cr_assert_eq(x.kind[r][i],
                             def->cols[i].type == ZX_COL_INT ||
                                     def->cols[i].type == ZX_COL_YEAR ||
                                     def->cols[i].type == ZX_COL_DEC
                                 ? ZX_CELL_NUMBER
                                 : ZX_CELL_TEXT,
                             "%s row %d col %d", kinds[k], r + 1, i);
            }
    }
}

Test(export, xlsx_layout)
{
    const char *p = export_to(db, "teachers", ZX_EXPORT_XLSX, "t.xlsx");
    char *xml;

    xml = tu_zip_member(p, "xl/worksheets/sheet1.xml");
    cr_assert_not_null(xml);
    cr_assert(strstr(xml, "state=\"frozen\""), "header row frozen");
    cr_assert(strstr(xml, "<col "), "column widths set");
    free(xml);
    xml = tu_zip_member(p, "xl/workbook.xml");
    cr_assert(strstr(xml, zx_sheetdef_get("teachers")->title));
    cr_assert_null(strstr(xml, "说明"), "no notice for real data");
    free(xml);
    cr_assert_null(tu_zip_find(p, "xl/worksheets/sheet2.xml"));
}

Test(export, synthetic_data_says_so)
{
    const char *p;
    char *xml, cmd[1024];
    json_t *j;

    cr_assert_eq(zx_db_meta_set(db, "synthetic", "1"), ZX_OK);
    j = json_load_file(export_to(db, "schools", ZX_EXPORT_JSON, "s.json"), 0,
                       NULL);
    cr_assert(json_is_true(json_object_get(j, "synthetic")));
    json_decref(j);

    p = export_to(db, "schools", ZX_EXPORT_XLSX, "s.xlsx");
    xml = tu_zip_member(p, "xl/workbook.xml");
    cr_assert(strstr(xml, "name=\"说明\""));
    free(xml);
    xml = tu_zip_member(p, "xl/worksheets/sheet2.xml");
    cr_assert_not_null(xml);
    cr_assert(strstr(xml, zx_demo_banner));
    free(xml);

    /* CSV has no room for it: the command says it on stderr */
    snprintf(cmd, sizeof(cmd), "%s --db %s export schools --out %s 2>%s",
             ZX_BIN, tu_path(dir, "zx.db"), tu_path(dir, "s.csv"),
             tu_path(dir, "err"));
    cr_assert_eq(tu_sh(cmd), 0);
    xml = slurp(tu_path(dir, "err"));
    cr_assert(strstr(xml, zx_demo_banner), "stderr: %s", xml);
    free(xml);
}

static void on_progress(void *ctx, long long done, long long total)
{
    long long *last = ctx;

    cr_assert_leq(done, total);
    last[0] = done;
    last[1] = total;
}

Test(export, progress_and_errors)
{
    long long last[2] = { -1, -1 };
    char bad[600];
    long n = 7;

    cr_assert_eq(zx_export(db, "roles", ZX_EXPORT_CSV, tu_path(dir, "r.csv"),
                           on_progress, last, &n, err, sizeof(err)),
                 ZX_OK);
    cr_assert_eq(last[0], 3, "the last call reports every row");
    cr_assert_eq(last[1], 3);

    cr_assert_eq(zx_export(db, "pupils", ZX_EXPORT_CSV, tu_path(dir, "x"),
                           NULL, NULL, &n, err, sizeof(err)),
                 ZX_EINVAL);
    cr_assert_eq(n, 0);
    snprintf(bad, sizeof(bad), "%s/no/such/dir/t.csv", dir);
    cr_assert_eq(zx_export(db, "teachers", ZX_EXPORT_CSV, bad, NULL, NULL,
                           NULL, err, sizeof(err)),
                 ZX_EIO);
    cr_assert(strstr(err, "目录不存在"), "%s", err);
    snprintf(bad, sizeof(bad), "%s/no/such/dir/t.xlsx", dir);
    cr_assert_eq(zx_export(db, "teachers", ZX_EXPORT_XLSX, bad, NULL, NULL,
                           NULL, err, sizeof(err)),
                 ZX_EIO);
    cr_assert(strstr(err, "目录不存在"), "%s", err);
}

Test(export, formats_by_name)
{
    enum zx_export_format f;

    cr_assert_eq(zx_export_format_parse("XLSX", &f), ZX_OK);
    cr_assert_eq(f, ZX_EXPORT_XLSX);
    cr_assert_eq(zx_export_format_parse("xls", &f), ZX_EINVAL);
    cr_assert_eq(zx_export_format_of_path("a/教师.Json", &f), ZX_OK);
    cr_assert_eq(f, ZX_EXPORT_JSON);
    cr_assert_eq(zx_export_format_of_path("a.d/teachers", &f), ZX_EINVAL);
    cr_assert_str_eq(zx_export_format_name(ZX_EXPORT_CSV), "csv");
}

Test(export, too_many_rows_for_a_sheet)
{
    /* one more role than an Excel sheet has rows below its header */
    cr_assert_eq(zx_db_exec(db,
                            "WITH RECURSIVE n(i) AS (SELECT 3000 UNION ALL "
                            "SELECT i + 1 FROM n WHERE i < 3000 + 1048575) "
                            "INSERT INTO teacher_role(teacher_id, title, "
                            "start_year) SELECT (SELECT min(id) FROM teacher),"
                            " 'x', i FROM n"),
                 ZX_OK);
    cr_assert_eq(zx_export(db, "roles", ZX_EXPORT_XLSX, tu_path(dir, "r.xlsx"),
                           NULL, NULL, NULL, err, sizeof(err)),
                 ZX_EINVAL);
    cr_assert(strstr(err, "CSV"), "%s", err);
    cr_assert_eq(access(tu_path(dir, "r.xlsx"), F_OK), -1);
}

/* ---- round trips --------------------------------------------------- */

static void import(zx_db *d, const char *kind, const char *path,
                   zx_ingest_result *res)
{
    zx_diag *diag = zx_diag_new();
    char msgs[2048] = "";
    size_t i;

    int rc = zx_ingest_file(d, kind, path, path, 0, "test", NULL, NULL, diag,
                            res);
    for (i = 0; i < zx_diag_count(diag) && strlen(msgs) < 1500; i++)
        snprintf(msgs + strlen(msgs), sizeof(msgs) - strlen(msgs), "%ld: %s\n",
                 zx_diag_get(diag, i)->row, zx_diag_get(diag, i)->msg);
    cr_assert_eq(rc, ZX_OK, "import of %s: %s", path, msgs);
    zx_diag_free(diag);
}

static void reimport_changes_nothing(enum zx_export_format fmt)
{
    zx_ingest_result res;
    char name[32];
    int k;

    for (k = 0; k < NKINDS; k++) {
        snprintf(name, sizeof(name), "%s.%s", kinds[k],
                 zx_export_format_name(fmt));
        import(db, kinds[k], export_to(db, kinds[k], fmt, name), &res);
        cr_assert_eq(res.rows, expect_n[k], "%s", kinds[k]);
        cr_assert_eq(res.inserted, 0, "%s", kinds[k]);
        cr_assert_eq(res.updated, 0, "%s", kinds[k]);
        cr_assert_eq(res.unchanged, expect_n[k], "%s", kinds[k]);
        cr_assert_eq(res.ncreated, 0, "%s", kinds[k]);
        zx_ingest_result_free(&res);
    }
}

Test(export, csv_reimport_changes_nothing)
{
    reimport_changes_nothing(ZX_EXPORT_CSV);
}

Test(export, xlsx_reimport_changes_nothing)
{
    reimport_changes_nothing(ZX_EXPORT_XLSX);
}

/* Exports of db in fmt, imported into an empty database, export as CSV
 * exactly as db does. */
static void rebuild(enum zx_export_format fmt)
{
    const char *d2 = tu_tmpdir();
    zx_ingest_result res;
    char name[32], *a, *b;
    zx_db *fresh;
    int k;

    fresh = tu_db(d2);
    for (k = 0; k < NKINDS; k++) {
        snprintf(name, sizeof(name), "%s.%s", kinds[k],
                 zx_export_format_name(fmt));
        import(fresh, kinds[k], export_to(db, kinds[k], fmt, name), &res);
        cr_assert_eq(res.inserted, expect_n[k], "%s", kinds[k]);
        zx_ingest_result_free(&res);
    }
    for (k = 0; k < NKINDS; k++) {
        snprintf(name, sizeof(name), "%s-1.csv", kinds[k]);
        a = slurp(export_to(db, kinds[k], ZX_EXPORT_CSV, name));
        snprintf(name, sizeof(name), "%s-2.csv", kinds[k]);
        b = slurp(export_to(fresh, kinds[k], ZX_EXPORT_CSV, name));
        cr_assert_str_eq(b, a, "%s", kinds[k]);
        free(a);
        free(b);
    }
    zx_db_close(fresh);
}

Test(export, csv_rebuilds_the_registry)
{
    rebuild(ZX_EXPORT_CSV);
}

Test(export, xlsx_rebuilds_the_registry)
{
    rebuild(ZX_EXPORT_XLSX);
}

/* ---- the command --------------------------------------------------- */

static int run(const char *args)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "%s --db %s export %s 2>%s", ZX_BIN,
             tu_path(dir, "zx.db"), args, tu_path(dir, "err"));
    return tu_sh(cmd);
}

static int err_has(const char *text)
{
    char *e = slurp(tu_path(dir, "err"));
    int yes = strstr(e, text) != NULL;

    free(e);
    return yes;
}

Test(export, cli)
{
    char args[1024], want[1024], *a, *b;
    tu_sheet s;

    /* the format follows the extension; the summary names the file */
    snprintf(args, sizeof(args), "teachers --out %s", tu_path(dir, "t.json"));
    cr_assert_eq(run(args), 0);
    snprintf(want, sizeof(want), "已导出 2 条%s记录到 %s",
             zx_sheetdef_get("teachers")->title, tu_path(dir, "t.json"));
    cr_assert(err_has(want));
    a = slurp(tu_path(dir, "t.json"));
    b = slurp(export_to(db, "teachers", ZX_EXPORT_JSON, "t2.json"));
    cr_assert_str_eq(a, b);
    free(a);
    free(b);

    /* CSV by default, to standard output */
    snprintf(args, sizeof(args), "enrolment > %s", tu_path(dir, "e.csv"));
    cr_assert_eq(run(args), 0);
    a = slurp(tu_path(dir, "e.csv"));
    snprintf(want, sizeof(want), "%s%s", csv_header("enrolment"),
             expect_rows[1]);
    cr_assert_str_eq(a, want);
    free(a);
    cr_assert(err_has("标准输出"));

    /* XLSX through a redirect */
    snprintf(args, sizeof(args), "roles -f xlsx > %s", tu_path(dir, "r.xlsx"));
    cr_assert_eq(run(args), 0);
    tu_read_table(tu_path(dir, "r.xlsx"), 1, &s);
    cr_assert_eq(s.nrows, 4);
    cr_assert_str_eq(s.cell[3][1], "种子教师");

    cr_assert_eq(run("pupils"), 64);
    cr_assert(err_has("teachers"), "the valid kinds are listed");
    cr_assert_eq(run("teachers --format xml"), 64);
    cr_assert(err_has("json"), "the valid formats are listed");
    snprintf(args, sizeof(args), "teachers --out %s", tu_path(dir, "t.txt"));
    cr_assert_eq(run(args), 64);
    cr_assert_eq(run(""), 64);
    cr_assert_eq(run("teachers --out"), 64);
    snprintf(args, sizeof(args), "teachers -f csv --out %s",
             tu_path(dir, "zx.db"));
    cr_assert_eq(run(args), 64, "the database is never overwritten");
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM teacher", NULL, 0), 2);
    snprintf(args, sizeof(args), "teachers --out %s/no/t.csv", dir);
    cr_assert_eq(run(args), 74);
    cr_assert(err_has("目录不存在"));
}
