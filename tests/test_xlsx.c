/*
 * test_xlsx.c - tests of the XLSX reader (src/core/xlsx.c).
 *
 * Every input is generated here, into a fresh mkdtemp directory: real
 * workbooks with libxlsxwriter (in both of its modes, which store strings
 * differently), and hand-built zips via libzip for what libxlsxwriter never
 * writes - cells without references, rich text, 1904 dates, broken XML.
 */
#include "xlsx.h"
#include "zx.h"

#include <criterion/criterion.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RNS \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define SHEET(rows) \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"" NS \
    "\"><sheetData>" rows "</sheetData></worksheet>"

static const char WB[] =
    "<workbook xmlns=\"" NS "\" xmlns:r=\"" RNS "\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"" RNS "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";

#define MAXR 64
#define MAXC 10

/* What the reader reported: the first MAXR rows, their first MAXC cells
 * and their last cell. */
typedef struct got {
    int nrows;
    long line[MAXR];
    int n[MAXR];
    char cell[MAXR][MAXC][64];
    unsigned char kind[MAXR][MAXC];
    char last[MAXR][64];
    int stop_at; /* return 42 after this many rows; 0 = never */
} got;

static char dir[] = "/tmp/test_xlsx.XXXXXX";
static zx_diag *diag;
static got g;

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_not_null(diag = zx_diag_new());
    memset(&g, 0, sizeof g);
}

static void teardown(void)
{
    char p[512];
    struct dirent *e;
    DIR *d = opendir(dir);

    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
    zx_diag_free(diag);
}

TestSuite(xlsx, .init = setup, .fini = teardown);

static const char *tpath(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static int collect(void *ctx, const zx_row *row)
{
    got *r = ctx;
    int i, k = r->nrows++;

    if (k < MAXR) {
        r->line[k] = row->line;
        r->n[k] = row->n;
        for (i = 0; i < row->n && i < MAXC; i++) {
            snprintf(r->cell[k][i], sizeof r->cell[k][i], "%s", row->cell[i]);
            r->kind[k][i] = row->kind[i];
        }
        snprintf(r->last[k], sizeof r->last[k], "%s", row->cell[row->n - 1]);
    }
    return r->nrows == r->stop_at ? 42 : 0;
}

static int rd(const char *path)
{
    return zx_xlsx_read(path, "t.xlsx", collect, &g, NULL, NULL, diag);
}

/* Writes a zip at path from (entry name, content) pairs ending in NULL. */
static void make_zip(const char *path, ...)
{
    va_list ap;
    const char *name, *data;
    zip_source_t *src;
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

    cr_assert_not_null(za);
    va_start(ap, path);
    while ((name = va_arg(ap, const char *))) {
        data = va_arg(ap, const char *);
        src = zip_source_buffer(za, data, strlen(data), 0);
        cr_assert_not_null(src);
        cr_assert(zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    va_end(ap);
    cr_assert_eq(zip_close(za), 0);
}

/* A one-sheet workbook with the standard workbook and rels parts. */
static void make_simple(const char *path, const char *sheet, const char *sst)
{
    if (sst)
        make_zip(path, "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels",
                 RELS, "xl/worksheets/sheet1.xml", sheet,
                 "xl/sharedStrings.xml", sst, NULL);
    else
        make_zip(path, "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels",
                 RELS, "xl/worksheets/sheet1.xml", sheet, NULL);
}

static void expect_cell(int r, int c, const char *text, int kind)
{
    cr_expect_str_eq(g.cell[r][c], text, "row %d col %d", r, c);
    cr_expect_eq(g.kind[r][c], kind, "row %d col %d kind", r, c);
}

static const zx_diag_item *only_diag(void)
{
    cr_assert_eq(zx_diag_count(diag), 1);
    return zx_diag_get(diag, 0);
}

/* ---- workbooks written by libxlsxwriter ---- */

static void write_book(const char *path, int constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory,
                                .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws, *ws2;
    lxw_format *fd, *fc, *ft;
    lxw_datetime d1 = {2020, 1, 1, 0, 0, 0}, d2 = {2021, 3, 15, 0, 0, 0};
    lxw_datetime d3 = {2020, 1, 1, 12, 30, 0};

    cr_assert_not_null(wb);
    ws = workbook_add_worksheet(wb, "名单");
    ws2 = workbook_add_worksheet(wb, "其他");
    fd = workbook_add_format(wb);
    format_set_num_format(fd, "yyyy-mm-dd");
    fc = workbook_add_format(wb);
    format_set_num_format(fc, "yyyy\"年\"m\"月\"");
    ft = workbook_add_format(wb);
    format_set_num_format(ft, "yyyy-mm-dd hh:mm:ss");

    worksheet_write_string(ws, 0, 0, "学校", NULL);
    worksheet_write_string(ws, 0, 1, "人数", NULL);
    worksheet_write_string(ws, 0, 2, "比例", NULL);
    worksheet_write_string(ws, 1, 0, "海门市实验小学", NULL);
    worksheet_write_number(ws, 1, 1, 1200, NULL);
    worksheet_write_number(ws, 1, 2, 3.5, NULL);
    /* row index 2 (spreadsheet row 3) stays empty */
    worksheet_write_datetime(ws, 3, 0, &d1, fd);
    worksheet_write_datetime(ws, 3, 1, &d2, fc);
    worksheet_write_boolean(ws, 3, 2, 1, NULL);
    worksheet_write_formula_str(ws, 3, 3, "=\"A\"&\"B\"", NULL, "AB");
    worksheet_write_string(ws, 4, 0, "x & <y>", NULL);
    worksheet_write_datetime(ws, 4, 3, &d3, ft);
    worksheet_write_string(ws2, 0, 0, "不应读取", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
}

static void check_book(void)
{
    cr_assert_eq(g.nrows, 4);
    cr_expect_eq(g.line[0], 1);
    cr_expect_eq(g.n[0], 3);
    expect_cell(0, 0, "学校", ZX_CELL_TEXT);
    expect_cell(0, 2, "比例", ZX_CELL_TEXT);

    cr_expect_eq(g.line[1], 2);
    expect_cell(1, 0, "海门市实验小学", ZX_CELL_TEXT);
    expect_cell(1, 1, "1200", ZX_CELL_NUMBER);
    expect_cell(1, 2, "3.5", ZX_CELL_NUMBER);

    cr_expect_eq(g.line[2], 4); /* row 3 is skipped */
    cr_expect_eq(g.n[2], 4);
    expect_cell(2, 0, "2020-01-01", ZX_CELL_DATE);
    expect_cell(2, 1, "2021-03-15", ZX_CELL_DATE);
    expect_cell(2, 2, "TRUE", ZX_CELL_BOOL);
    expect_cell(2, 3, "AB", ZX_CELL_TEXT);

    cr_expect_eq(g.line[3], 5);
    cr_expect_eq(g.n[3], 4);
    expect_cell(3, 0, "x & <y>", ZX_CELL_TEXT);
    expect_cell(3, 1, "", ZX_CELL_TEXT);
    expect_cell(3, 2, "", ZX_CELL_TEXT);
    expect_cell(3, 3, "2020-01-01 12:30:00", ZX_CELL_DATE);
    cr_expect_eq(zx_diag_count(diag), 0);
}

Test(xlsx, libxlsxwriter_shared_strings)
{
    write_book(tpath("a.xlsx"), 0);
    cr_assert_eq(rd(tpath("a.xlsx")), ZX_OK);
    check_book();
}

Test(xlsx, libxlsxwriter_constant_memory_inline_strings)
{
    write_book(tpath("b.xlsx"), 1);
    cr_assert_eq(rd(tpath("b.xlsx")), ZX_OK);
    check_book();
}

/* ---- hand-built workbooks ---- */

Test(xlsx, cells_without_references)
{
    make_simple(tpath("c.xlsx"), SHEET(
        "<row><c t=\"inlineStr\"><is><t>a</t></is></c><c/><c><v>2</v></c>"
        "</row><row r=\"5\"><c r=\"C5\"><v>3</v></c><c t=\"e\"><v>#N/A</v>"
        "</c></row><row><c s=\"0\"/><c><v></v></c></row>"
        "<row><c t=\"str\"><f>A1</f><v>s</v></c></row>"), NULL);
    cr_assert_eq(rd(tpath("c.xlsx")), ZX_OK);
    cr_assert_eq(g.nrows, 3);
    cr_expect_eq(g.line[0], 1);
    cr_expect_eq(g.n[0], 3);
    expect_cell(0, 0, "a", ZX_CELL_TEXT);
    expect_cell(0, 1, "", ZX_CELL_TEXT);
    expect_cell(0, 2, "2", ZX_CELL_NUMBER);
    cr_expect_eq(g.line[1], 5);
    cr_expect_eq(g.n[1], 4);
    expect_cell(1, 2, "3", ZX_CELL_NUMBER);
    expect_cell(1, 3, "#N/A", ZX_CELL_ERROR);
    cr_expect_eq(g.line[2], 7); /* row 6 has only empty cells */
    cr_expect_eq(g.n[2], 1);
    expect_cell(2, 0, "s", ZX_CELL_TEXT);
}

Test(xlsx, rich_text_shared_strings_and_prefixed_names)
{
    make_simple(tpath("d.xlsx"),
        "<x:worksheet xmlns:x=\"" NS "\"><x:sheetData><x:row r=\"1\">"
        "<x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>"
        "<x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
        "<x:c r=\"C1\" t=\"s\"><x:v>2</x:v></x:c>"
        "<x:c r=\"D1\" t=\"s\"><x:v>3</x:v></x:c>"
        "</x:row></x:sheetData></x:worksheet>",
        "<sst xmlns=\"" NS "\" count=\"4\" uniqueCount=\"4\">"
        "<si><t>普通</t></si>"
        "<si><r><rPr><b/></rPr><t>海门</t></r>"
        "<r><t xml:space=\"preserve\"> 小学</t></r>"
        "<rPh sb=\"0\" eb=\"2\"><t>ハイモン</t></rPh>"
        "<phoneticPr fontId=\"1\"/></si>"
        "<si><t>A&amp;B&lt;&#x4E2D;</t></si>"
        "<si><t></t></si></sst>");
    cr_assert_eq(rd(tpath("d.xlsx")), ZX_OK);
    cr_assert_eq(g.nrows, 1);
    cr_expect_eq(g.n[0], 3); /* D1 is the empty string */
    expect_cell(0, 0, "普通", ZX_CELL_TEXT);
    expect_cell(0, 1, "海门 小学", ZX_CELL_TEXT);
    expect_cell(0, 2, "A&B<中", ZX_CELL_TEXT);
}

Test(xlsx, date1904_and_number_formats)
{
    static const char wb[] =
        "<workbook xmlns=\"" NS "\" xmlns:r=\"" RNS "\">"
        "<workbookPr date1904=\"true\"/><sheets>"
        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char styles[] =
        "<styleSheet xmlns=\"" NS "\"><numFmts count=\"3\">"
        "<numFmt numFmtId=\"164\" formatCode=\"0.00&quot;d&quot;\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[Red]0;\\-0_m\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"yyyy/m/d\"/></numFmts>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
        "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/>"
        "<xf numFmtId=\"167\"/></cellXfs>"
        "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"167\" formatCode=\"yyyy\"/>"
        "</dxf></dxfs></styleSheet>";

    make_zip(tpath("e.xlsx"), "xl/workbook.xml", wb,
             "xl/_rels/workbook.xml.rels", RELS, "xl/styles.xml", styles,
             "xl/worksheets/sheet1.xml", SHEET(
             "<row r=\"1\"><c r=\"A1\"><v>0</v></c>"
             "<c r=\"B1\" s=\"1\"><v>0</v></c>"
             "<c r=\"C1\" s=\"1\"><v>1462.5</v></c>"
             "<c r=\"D1\" s=\"2\"><v>5</v></c>"
             "<c r=\"E1\" s=\"3\"><v>7</v></c>"
             "<c r=\"F1\" s=\"4\"><v>1</v></c>"
             "<c r=\"G1\" s=\"5\"><v>3</v></c>"
             "<c r=\"H1\" s=\"99\"><v>1</v></c>"
             "<c r=\"I1\" s=\"1\"><v>-1</v></c></row>"), NULL);
    cr_assert_eq(rd(tpath("e.xlsx")), ZX_OK);
    cr_assert_eq(g.nrows, 1);
    cr_expect_eq(g.n[0], 9);
    expect_cell(0, 0, "0", ZX_CELL_NUMBER);
    expect_cell(0, 1, "1904-01-01", ZX_CELL_DATE);
    expect_cell(0, 2, "1908-01-02 12:00:00", ZX_CELL_DATE);
    expect_cell(0, 3, "5", ZX_CELL_NUMBER);      /* "d" is quoted */
    expect_cell(0, 4, "7", ZX_CELL_NUMBER);      /* [Red], \-, _m */
    expect_cell(0, 5, "1904-01-02", ZX_CELL_DATE);
    expect_cell(0, 6, "3", ZX_CELL_NUMBER);      /* 167 is only a dxf */
    expect_cell(0, 7, "1", ZX_CELL_NUMBER);      /* no such style */
    expect_cell(0, 8, "-1", ZX_CELL_NUMBER);     /* not a valid date */
}

Test(xlsx, absolute_sheet_target_and_other_prefix)
{
    static const char wb[] =
        "<workbook xmlns=\"" NS "\" xmlns:rel=\"" RNS "\"><sheets>"
        "<sheet name=\"A\" sheetId=\"1\" rel:id=\"rId7\"/>"
        "<sheet name=\"B\" sheetId=\"2\" rel:id=\"rId1\"/>"
        "</sheets></workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" RNS "/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"" RNS "/worksheet\" "
        "Target=\"/xl/worksheets/data.xml\"/></Relationships>";

    make_zip(tpath("f.xlsx"), "xl/workbook.xml", wb,
             "xl/_rels/workbook.xml.rels", rels,
             "xl/worksheets/sheet1.xml",
             SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"),
             "xl/worksheets/data.xml",
             SHEET("<row r=\"2\"><c r=\"B2\"><v>2</v></c></row>"), NULL);
    cr_assert_eq(rd(tpath("f.xlsx")), ZX_OK);
    cr_assert_eq(g.nrows, 1);
    cr_expect_eq(g.line[0], 2);
    cr_expect_eq(g.n[0], 2);
    expect_cell(0, 1, "2", ZX_CELL_NUMBER);
}

Test(xlsx, shared_string_index_out_of_range)
{
    const zx_diag_item *it;

    make_simple(tpath("g.xlsx"),
                SHEET("<row r=\"3\"><c r=\"C3\" t=\"s\"><v>5</v></c></row>"),
                "<sst xmlns=\"" NS "\"><si><t>x</t></si></sst>");
    cr_assert_eq(rd(tpath("g.xlsx")), ZX_EFORMAT);
    it = only_diag();
    cr_expect_str_eq(it->file, "t.xlsx");
    cr_expect_eq(it->row, 3);
    cr_expect_eq(it->col, 2);
    cr_expect_not_null(strstr(it->msg, "共享字符串"));
    cr_expect_eq(g.nrows, 0);
}

Test(xlsx, malformed_sheet_xml)
{
    const zx_diag_item *it;

    make_simple(tpath("h.xlsx"), SHEET(
        "\n<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\">"),
        NULL);
    cr_assert_eq(rd(tpath("h.xlsx")), ZX_EFORMAT);
    it = only_diag();
    cr_expect_eq(it->row, 0);
    cr_expect_eq(it->col, -1);
    cr_expect(strstr(it->msg, "工作表 XML 格式错误（第 4 行）: ") == it->msg,
              "%s", it->msg);
}

Test(xlsx, malformed_shared_strings)
{
    make_simple(tpath("i.xlsx"), SHEET(""), "<sst><si><t>x</si></sst>");
    cr_assert_eq(rd(tpath("i.xlsx")), ZX_EFORMAT);
    cr_expect_not_null(strstr(only_diag()->msg, "xl/sharedStrings.xml"));
}

Test(xlsx, not_a_zip)
{
    FILE *f = fopen(tpath("j.xlsx"), "w");

    cr_assert_not_null(f);
    fputs("姓名,学校\n张三,海门\n", f);
    fclose(f);
    cr_assert_eq(rd(tpath("j.xlsx")), ZX_EFORMAT);
    cr_expect_str_eq(only_diag()->msg,
                     "不是有效的 XLSX 文件（无法作为 zip 打开）");
    cr_expect_eq(only_diag()->col, -1);
}

Test(xlsx, empty_file)
{
    fclose(fopen(tpath("k.xlsx"), "w"));
    cr_assert_eq(rd(tpath("k.xlsx")), ZX_EFORMAT);
    cr_expect_str_eq(only_diag()->msg,
                     "不是有效的 XLSX 文件（无法作为 zip 打开）");
}

Test(xlsx, unreadable_file)
{
    cr_assert_eq(rd(tpath("missing.xlsx")), ZX_EIO);
    cr_expect_not_null(strstr(only_diag()->msg, "t.xlsx"));
}

Test(xlsx, zip_without_workbook)
{
    make_zip(tpath("l.xlsx"), "hello.txt", "hi", NULL);
    cr_assert_eq(rd(tpath("l.xlsx")), ZX_EFORMAT);
    cr_expect_not_null(strstr(only_diag()->msg, "xl/workbook.xml"));
}

Test(xlsx, missing_sheet_part)
{
    make_zip(tpath("m.xlsx"), "xl/workbook.xml", WB,
             "xl/_rels/workbook.xml.rels", RELS, NULL);
    cr_assert_eq(rd(tpath("m.xlsx")), ZX_EFORMAT);
    cr_expect_not_null(strstr(only_diag()->msg, "xl/worksheets/sheet1.xml"));
}

Test(xlsx, callback_stops_reading)
{
    make_simple(tpath("n.xlsx"), SHEET(
        "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c>"
        "</row><row r=\"3\"><c><v>3</v></c></row>"), NULL);
    g.stop_at = 2;
    cr_assert_eq(rd(tpath("n.xlsx")), 42);
    cr_expect_eq(g.nrows, 2);
    cr_expect_eq(zx_diag_count(diag), 0);
}

Test(xlsx, column_references)
{
    make_simple(tpath("o.xlsx"), SHEET(
        "<row r=\"1\"><c r=\"Z1\"><v>1</v></c><c r=\"AA1\"><v>2</v></c>"
        "<c r=\"XFD1\"><v>3</v></c></row>"), NULL);
    cr_assert_eq(rd(tpath("o.xlsx")), ZX_OK);
    cr_assert_eq(g.nrows, 1);
    cr_expect_eq(g.n[0], 16384);
    cr_expect_str_eq(g.last[0], "3");

    make_simple(tpath("p.xlsx"),
                SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL);
    cr_expect_eq(rd(tpath("p.xlsx")), ZX_EFORMAT);
    make_simple(tpath("q.xlsx"),
                SHEET("<row r=\"1\"><c r=\"a1\"><v>1</v></c></row>"), NULL);
    cr_expect_eq(rd(tpath("q.xlsx")), ZX_EFORMAT);
    cr_expect_eq(zx_diag_count(diag), 2);
}

struct prog {
    int calls;
    long long done, total;
    int backwards;
};

static void on_progress(void *ctx, long long done, long long total)
{
    struct prog *p = ctx;

    p->backwards |= done < p->done;
    p->calls++;
    p->done = done;
    p->total = total;
}

Test(xlsx, large_sheet_streams_with_progress)
{
    enum { ROWS = 60000 };
    size_t cap = (size_t)ROWS * 128, len = 0;
    char *xml = malloc(cap);
    struct prog p = {0};
    int i;

    cr_assert_not_null(xml);
    len += (size_t)snprintf(xml, cap, "<worksheet xmlns=\"" NS "\">"
                            "<sheetData>");
    for (i = 1; i <= ROWS; i++)
        len += (size_t)snprintf(xml + len, cap - len,
            "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>第%d行</t>"
            "</is></c><c r=\"C%d\"><v>%d</v></c></row>\n", i, i, i, i, i);
    snprintf(xml + len, cap - len, "</sheetData></worksheet>");
    make_simple(tpath("r.xlsx"), xml, NULL);

    cr_assert_eq(zx_xlsx_read(tpath("r.xlsx"), "r.xlsx", collect, &g,
                              on_progress, &p, diag), ZX_OK);
    cr_expect_eq(g.nrows, ROWS);
    cr_expect_str_eq(g.cell[9][0], "第10行");
    cr_expect_str_eq(g.cell[9][2], "10");
    cr_expect_eq(p.total, (long long)strlen(xml));
    cr_expect_eq(p.done, p.total);
    /* about every MiB of a ~5 MiB sheet, and once at the end */
    cr_expect_geq(p.calls, 4);
    cr_expect_leq(p.calls, 7);
    cr_expect_not(p.backwards);
    free(xml);
}

/* ---- serial dates ---- */

static void expect_date(double serial, int date1904, int y, int m, int d,
                        int secs)
{
    int yy = 0, mm = 0, dd = 0, ss = -1;

    cr_assert_eq(zx_xlsx_serial_to_date(serial, date1904, &yy, &mm, &dd, &ss),
                 ZX_OK, "serial %f", serial);
    cr_expect(yy == y && mm == m && dd == d && ss == secs,
              "serial %f (1904=%d): got %04d-%02d-%02d +%ds", serial,
              date1904, yy, mm, dd, ss);
}

Test(xlsx, serial_to_date)
{
    int y, m, d, s;

    expect_date(1, 0, 1900, 1, 1, 0);
    expect_date(59, 0, 1900, 2, 28, 0);
    expect_date(61, 0, 1900, 3, 1, 0);
    expect_date(43831, 0, 2020, 1, 1, 0);
    expect_date(43831.5, 0, 2020, 1, 1, 43200);
    expect_date(43831.999999999, 0, 2020, 1, 2, 0); /* rounds up */
    expect_date(2958465, 0, 9999, 12, 31, 0);
    expect_date(0, 1, 1904, 1, 1, 0);
    expect_date(1462, 1, 1908, 1, 2, 0);
    cr_expect_eq(zx_xlsx_serial_to_date(60, 0, &y, &m, &d, &s), ZX_EINVAL);
    cr_expect_eq(zx_xlsx_serial_to_date(60.5, 0, &y, &m, &d, &s), ZX_EINVAL);
    cr_expect_eq(zx_xlsx_serial_to_date(-1, 0, &y, &m, &d, &s), ZX_EINVAL);
    cr_expect_eq(zx_xlsx_serial_to_date(2958466, 0, &y, &m, &d, &s),
                 ZX_EINVAL);
    cr_expect_eq(zx_xlsx_serial_to_date(2958465, 1, &y, &m, &d, &s),
                 ZX_EINVAL);
    cr_expect_eq(zx_xlsx_serial_to_date(NAN, 0, &y, &m, &d, &s),
                 ZX_EINVAL);
}
