/*
 * valtemplate.c - the Excel template of a sheet of data values
 * (zx_values_template, see values.h).
 *
 * Laid out like the registry templates (template.h), whose note, code
 * sheet and drop-down it uses: the sheet to fill, pre-filled with every
 * unit of the level; "填写说明" with a row per column and the rules; and,
 * when a column has a list, the hidden "代码表".  Each element column is
 * described with the words of the parser's messages (zx_values_describe,
 * zx_values_range_text), so the template never asks for what the import
 * refuses.
 */
#include "valint.h"
#include "demo.h"
#include "export.h"
#include "template.h"
#include "text.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define LAST_ROW 99999     /* checks cover spreadsheet rows 2..100000 */
#define MAX_ROW 1048575    /* Excel's last row, 0-based */

/* The sheet of each level: its title, the key column, the grey name
 * columns and the query listing the units (key, name, extra) in order. */
static const struct sheet {
    const char *title, *key, *name, *extra;
    double keywidth, namewidth;
    const char *sql;
} sheets[ZX_NLEVELS] = {
    [ZX_LEVEL_TOWN] = { "区镇数据", "区镇编码", "区镇名称", NULL, 14, 16,
                        "SELECT code, name, NULL FROM org_unit"
                        " WHERE kind = 'town' ORDER BY code" },
    [ZX_LEVEL_GROUP] = { "集团数据", "集团编码", "集团名称", NULL, 14, 24,
                         "SELECT code, name, NULL FROM org_unit"
                         " WHERE kind = 'group' ORDER BY code" },
    [ZX_LEVEL_SCHOOL] = { "学校数据", "学校标识码", "学校名称", NULL, 13, 30,
                          "SELECT code, name, NULL FROM org_unit"
                          " WHERE kind = 'school' ORDER BY code" },
    /* teachers listed school by school, as a clerk goes through them */
    [ZX_LEVEL_TEACHER] = { "教师数据", "教师编号", "姓名", "所在学校", 12, 10,
                           "SELECT t.teacher_no, t.name, u.name"
                           " FROM teacher t JOIN org_unit u"
                           " ON u.id = t.school_id"
                           " ORDER BY u.code, t.teacher_no" },
};

struct tpl {
    zx_db *db;
    const zx_plan *plan;
    const struct sheet *sh;
    const zx_data_element **els;
    int nels, year;
    int year_col, first_el;     /* columns; year_col -1 when none */
    lxw_workbook *wb;
    lxw_worksheet *data, *notes, *codes;
    lxw_format *head, *info_head, *info, *text, *date, *wrap, *bold;
    int ncodes;                 /* columns used in the code sheet */
    int nrules;                 /* rules written in the notes so far */
    int yesno_col;              /* code sheet column of 是/否, or -1 */
    lxw_row_t last;             /* last row the checks cover */
    lxw_error err;
};

static void check(struct tpl *t, lxw_error e)
{
    if (e && !t->err)
        t->err = e;
}

/* s when it has at most max characters (Excel's limit for a validation's
 * title or message), else NULL: better no prompt than a refused file. */
static char *fits(const char *s, size_t max)
{
    return s && zx_text_chars(s) <= max ? (char *)s : NULL;
}

/* Writes a list into a new column of the hidden code sheet, created on
 * first use; returns the column, or -1 (error recorded). */
static int code_column(struct tpl *t, const char *title,
                       const char *const *items, int n)
{
    if (!t->codes) {
        t->codes = workbook_add_worksheet(t->wb, ZX_TEMPLATE_CODES_SHEET);
        if (!t->codes) {
            check(t, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return -1;
        }
        worksheet_hide(t->codes);
        worksheet_protect(t->codes, NULL, NULL);
    }
    check(t, zx_template_list(t->codes, (lxw_col_t)t->ncodes, t->bold, title,
                              items, n));
    return t->ncodes++;
}

/* The code sheet column listing what de allows, *n items (是/否 written
 * once for every yes/no column); -1 on error (recorded). */
static int list_of(struct tpl *t, const zx_data_element *de, int *n)
{
    static const char *const yesno[] = { "是", "否" };

    if (de->type == ZX_DE_BOOL) {
        if (t->yesno_col < 0)
            t->yesno_col = code_column(t, "是否", yesno, 2);
        *n = 2;
        return t->yesno_col;
    }
    *n = de->noptions;
    return code_column(t, de->name, de->options, de->noptions);
}

/* Excel's own check of de's column: a drop-down, a range or a length; the
 * importer checks everything again. */
static void add_validation(struct tpl *t, lxw_col_t col,
                           const zx_data_element *de)
{
    lxw_data_validation v = { 0 };
    char title[] = "输入有误", msg[512], range[96], formula[160];
    int cc, n;

    switch (de->type) {
    case ZX_DE_BOOL:
    case ZX_DE_OPTION:
        if ((cc = list_of(t, de, &n)) < 0 || n == 0)
            return;
        /* a drop-down that only warns: the importer also takes Y/N, 1/0
         * and option numbers */
        zx_template_dropdown(&v, (lxw_col_t)cc, n, formula, sizeof(formula));
        snprintf(msg, sizeof(msg), "请从下拉列表中选择%s。",
                 de->type == ZX_DE_OPTION ? "，或填写选项的序号" : "");
        break;
    case ZX_DE_INT:
    case ZX_DE_DECIMAL:
        zx_values_range_text(de, range, sizeof(range));
        v.validate = de->type == ZX_DE_INT ? LXW_VALIDATION_TYPE_INTEGER
                                           : LXW_VALIDATION_TYPE_DECIMAL;
        /* without bounds Excel still refuses text in a number column */
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = de->has_min ? de->min : -1e15;
        v.maximum_number = de->has_max ? de->max : 1e15;
        snprintf(msg, sizeof(msg), "须为%s%s%s。",
                 de->type == ZX_DE_INT ? "整数" : "数字", *range ? "，" : "",
                 range);
        break;
    case ZX_DE_TEXT:
        v.validate = LXW_VALIDATION_TYPE_LENGTH;
        v.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
        v.value_number = ZX_VALUES_MAXTEXT;
        snprintf(msg, sizeof(msg), "不能超过 %d 个字。", ZX_VALUES_MAXTEXT);
        break;
    default:
        return; /* dates are typed in many forms; only the importer can tell */
    }
    v.error_title = title;
    v.error_message = msg;
    v.input_title = fits(de->name, 32);
    v.input_message = fits(de->help, 255);
    check(t, worksheet_data_validation_range(t->data, 1, col, t->last, col,
                                             &v));
}

static void element_column(struct tpl *t, lxw_col_t col,
                           const zx_data_element *de)
{
    char desc[1024], note[3072];
    int w = zx_text_width(de->name) + 2;

    zx_values_describe(de, desc, sizeof(desc));
    snprintf(note, sizeof(note), "%s\n标识：%s\n类型：%s\n%s%s%s%s%s%s"
             "留空表示不修改已填的值", de->name, de->id, desc,
             de->yearly ? "按年度填报：填写“年度”列所示年份的值\n"
                        : "不按年度：一个值，修改前一直有效\n",
             de->clause ? "条款：" : "", de->clause ? de->clause : "",
             de->clause ? "\n" : "", de->help ? de->help : "",
             de->help ? "\n" : "");
    worksheet_set_column(t->data, col, col, w < 10 ? 10 : w > 40 ? 40 : w,
                         de->type == ZX_DE_TEXT   ? t->text
                         : de->type == ZX_DE_DATE ? t->date
                                                  : NULL);
    check(t, worksheet_write_string(t->data, 0, col, de->name, t->head));
    check(t, zx_template_note(t->data, col, note));
    add_validation(t, col, de);
}

/* The pre-filled rows: every unit of the level.  Returns the count, or -1
 * when the database fails. */
static long write_units(struct tpl *t)
{
    sqlite3_stmt *st = zx_db_prepare(t->db, t->sh->sql);
    lxw_row_t r = 1;
    int step;

    if (!st)
        return -1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && !t->err) {
        if (r > MAX_ROW) {
            check(t, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
            break;
        }
        check(t, worksheet_write_string(t->data, r, 0,
                                        (const char *)sqlite3_column_text(st, 0),
                                        t->text));
        check(t, worksheet_write_string(t->data, r, 1,
                                        (const char *)sqlite3_column_text(st, 1),
                                        t->info));
        if (t->sh->extra)
            check(t, worksheet_write_string(
                         t->data, r, 2,
                         (const char *)sqlite3_column_text(st, 2), t->info));
        if (t->year_col >= 0)
            check(t, worksheet_write_number(t->data, r,
                                            (lxw_col_t)t->year_col, t->year,
                                            NULL));
        r++;
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? (long)r - 1 : -1;
}

static void notes_row(struct tpl *t, lxw_row_t r, const char *const cells[6])
{
    int i;

    for (i = 0; i < 6; i++)
        if (cells[i] && *cells[i])
            check(t, worksheet_write_string(t->notes, r, (lxw_col_t)i,
                                            cells[i], NULL));
}

/* Writes text as the next numbered rule at row *r, moving *r on; rules
 * are numbered as written, so an omitted one leaves no gap. */
static void rule(struct tpl *t, lxw_row_t *r, const char *text)
{
    char buf[1100]; /* a note of write_notes' 1024 and the number */

    snprintf(buf, sizeof(buf), "%d. %s", ++t->nrules, text);
    check(t, worksheet_write_string(t->notes, (*r)++, 0, buf, NULL));
}

static void write_notes(struct tpl *t)
{
    static const char *const heads[6] = { "表头", "数据项标识", "按年度",
                                          "类型与取值", "条款", "说明" };
    static const double widths[6] = { 24, 22, 8, 50, 12, 50 };
    char buf[1024], years[256], desc[1024];
    lxw_row_t r = 0;
    int i;

    for (i = 0; i < 6; i++)
        worksheet_set_column(t->notes, (lxw_col_t)i, (lxw_col_t)i, widths[i],
                             i >= 3 ? t->wrap : NULL);
    snprintf(buf, sizeof(buf), "%s数据填报模板填写说明",
             zx_values_level_title((enum zx_level)(t->sh - sheets)));
    check(t, worksheet_write_string(t->notes, r++, 0, buf, t->bold));
    snprintf(buf, sizeof(buf), "计划：%s", zx_plan_name(t->plan));
    check(t, worksheet_write_string(t->notes, r++, 0, buf, NULL));
    if (zx_export_synthetic(t->db))
        check(t, worksheet_write_string(t->notes, r++, 0, zx_demo_banner,
                                        t->bold));
    r++;
    for (i = 0; i < 6; i++)
        check(t, worksheet_write_string(t->notes, r, (lxw_col_t)i, heads[i],
                                        t->head));
    r++;
    {
        const char *key[6] = { t->sh->key, "", "", "必填：每行一个单位，"
                               "已按登记信息预填", "", "" };
        const char *name[6] = { t->sh->name, "", "", "仅供核对（灰色），导入"
                                "时忽略", "", "" };
        notes_row(t, r++, key);
        notes_row(t, r++, name);
        if (t->sh->extra) {
            name[0] = t->sh->extra;
            notes_row(t, r++, name);
        }
    }
    zx_values_years_text(t->plan, years, sizeof(years));
    if (t->year_col >= 0) {
        const char *year[6] = { "年度", "", "", buf, "", "" };
        snprintf(buf, sizeof(buf), "%s 之一；已预填 %d 年，填报其他年度时请"
                 "修改", years, t->year);
        notes_row(t, r++, year);
    }
    for (i = 0; i < t->nels; i++) {
        const zx_data_element *de = t->els[i];
        const char *row[6] = { de->name, de->id, de->yearly ? "是" : "否",
                               desc, de->clause, de->help };
        zx_values_describe(de, desc, sizeof(desc));
        notes_row(t, r++, row);
    }

    r++;
    check(t, worksheet_write_string(t->notes, r++, 0, "填写规则", t->bold));
    snprintf(buf, sizeof(buf), "只导入第一个工作表“%s”，本说明及其他工作表"
             "不会导入", t->sh->title);
    rule(t, &r, buf);
    snprintf(buf, sizeof(buf), "第 1 行是表头，请勿修改表头文字；第一列"
             "“%s”标识单位，不能修改或留空；灰色的列仅供核对", t->sh->key);
    rule(t, &r, buf);
    rule(t, &r, "留空的格子表示“不修改”：只填需要填报或更正的值；不需要的"
                "数据项列和单位行可以删除");
    if (t->year_col >= 0)
        rule(t, &r, "按年度填报的数据项填“年度”列所示年份的值；同一单位填报"
                    "多个年度时，可复制该行并修改年度");
    rule(t, &r, "是/否和选项类的列可从下拉列表选择，选项也可填序号；鼠标移到"
                "表头上可看说明");
    rule(t, &r, "整个文件全部通过检查才会导入：任何一处有错，都不会写入任何"
                "数据，并会列出每个错误所在的行和列，改正后重新导入即可");
    rule(t, &r, "导入：zhenxing import values 文件；也可另存为 CSV 文件"
                "（UTF-8 或 GBK 编码）后导入");
}

int zx_values_template(zx_db *db, const zx_plan *plan, enum zx_level level,
                       const char *path, long *units)
{
    const zx_data_element *all;
    zx_export_file out;
    struct tpl t;
    long n = 0;
    int rc, i, nall, opened = 0, yearly = 0;
    lxw_col_t c;

    if (units)
        *units = 0;
    if ((unsigned)level >= ZX_NLEVELS || !sheets[level].sql)
        return ZX_EINVAL;
    memset(&t, 0, sizeof(t));
    t.db = db;
    t.plan = plan;
    t.sh = &sheets[level];
    t.year = zx_values_current_year(plan);
    t.year_col = -1;
    t.yesno_col = -1;
    all = zx_plan_elements(plan, &nall);
    if (!(t.els = calloc((size_t)nall + 1, sizeof(*t.els))))
        return ZX_ENOMEM;
    for (i = 0; i < nall; i++)
        if (all[i].level == level) {
            t.els[t.nels++] = &all[i];
            yearly |= all[i].yearly;
        }
    rc = ZX_ENOTFOUND;
    if (t.nels == 0)
        goto fail;
    /* key, name(s), then 年度 when needed, then the elements */
    t.first_el = t.sh->extra ? 3 : 2;
    if (yearly)
        t.year_col = t.first_el++;

    if ((rc = zx_export_file_open(&out, path, 1)))
        goto fail;
    opened = 1;
    rc = ZX_ENOMEM;
    if (!(t.wb = workbook_new(out.name)) ||
        !(t.data = workbook_add_worksheet(t.wb, t.sh->title)) ||
        !(t.notes = workbook_add_worksheet(t.wb, ZX_TEMPLATE_NOTES_SHEET)) ||
        !(t.head = workbook_add_format(t.wb)) ||
        !(t.info_head = workbook_add_format(t.wb)) ||
        !(t.info = workbook_add_format(t.wb)) ||
        !(t.text = workbook_add_format(t.wb)) ||
        !(t.date = workbook_add_format(t.wb)) ||
        !(t.wrap = workbook_add_format(t.wb)) ||
        !(t.bold = workbook_add_format(t.wb)))
        goto fail;
    format_set_bold(t.head);
    format_set_pattern(t.head, LXW_PATTERN_SOLID);
    format_set_bg_color(t.head, 0xDDEBF7);
    format_set_bold(t.info_head);
    format_set_pattern(t.info_head, LXW_PATTERN_SOLID);
    format_set_bg_color(t.info_head, 0xEDEDED);
    format_set_font_color(t.info_head, 0x808080);
    format_set_font_color(t.info, 0x808080);
    format_set_num_format(t.info, "@");
    format_set_num_format(t.text, "@");
    format_set_num_format(t.date, "yyyy-mm-dd");
    format_set_text_wrap(t.wrap);
    format_set_align(t.wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(t.bold);

    /* the key in text format, so Excel keeps "0123" as typed */
    worksheet_set_column(t.data, 0, 0, t.sh->keywidth, t.text);
    check(&t, worksheet_write_string(t.data, 0, 0, t.sh->key, t.head));
    worksheet_set_column(t.data, 1, 1, t.sh->namewidth, t.info);
    check(&t, worksheet_write_string(t.data, 0, 1, t.sh->name, t.info_head));
    if (t.sh->extra) {
        worksheet_set_column(t.data, 2, 2, 30, t.info);
        check(&t, worksheet_write_string(t.data, 0, 2, t.sh->extra,
                                         t.info_head));
    }
    if ((n = write_units(&t)) < 0) {
        rc = ZX_EDB;
        goto fail;
    }
    t.last = (lxw_row_t)(n > LAST_ROW ? n : LAST_ROW);
    if (t.year_col >= 0) {
        lxw_data_validation v = { 0 };
        char title[] = "输入有误", msg[320], years[256];
        const int *py;
        int ny;
        c = (lxw_col_t)t.year_col;
        py = zx_plan_years(plan, &ny);
        zx_values_years_text(plan, years, sizeof(years));
        snprintf(msg, sizeof(msg), "年度应为 %s 之一。", years);
        worksheet_set_column(t.data, c, c, 8, NULL);
        check(&t, worksheet_write_string(t.data, 0, c, "年度", t.head));
        v.validate = LXW_VALIDATION_TYPE_INTEGER;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = zx_plan_baseline(plan);
        v.maximum_number = ny ? py[ny - 1] : zx_plan_baseline(plan);
        v.error_title = title;
        v.error_message = msg;
        check(&t, worksheet_data_validation_range(t.data, 1, c, t.last, c,
                                                  &v));
    }
    for (i = 0; i < t.nels; i++)
        element_column(&t, (lxw_col_t)(t.first_el + i), t.els[i]);
    worksheet_freeze_panes(t.data, 1, (lxw_col_t)t.first_el);
    write_notes(&t);
    rc = zx_template_finish(t.wb, t.err, &out);
    t.wb = NULL;
    opened = 0;
    if (rc == ZX_OK && units)
        *units = n;

fail:
    if (t.wb)
        lxw_workbook_free(t.wb);
    if (opened)
        zx_export_file_close(&out, 0);
    free(t.els);
    return rc;
}
