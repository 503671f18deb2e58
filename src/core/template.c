/*
 * template.c - blank import workbooks (see template.h).
 *
 * Three sheets: the sheet to fill (named after the sheet's title, so it is
 * the first one the importer reads), "填写说明" with a row per column, and
 * a hidden, protected "代码表" holding each code list the sheet uses.  The
 * drop-downs refer to ranges of that sheet because Excel caps an inline
 * list at 255 characters, which the subject list exceeds.
 */
#include "template.h"
#include "codes.h"
#include "export.h"
#include "sheetdef.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks cover spreadsheet rows 2 to 100000 (0-based 1..99999): more than
 * any county sheet, and the header row stays free of them. */
#define FIRST_ROW 1
#define LAST_ROW 99999

#define MAXLISTS 16

typedef struct tpl {
    const zx_sheetdef *def;
    lxw_workbook *wb;
    lxw_worksheet *data, *notes, *codes;
    lxw_format *required;  /* header of a required column: bold, filled */
    lxw_format *text;      /* text columns, so Excel keeps "0123" as typed */
    lxw_format *wrap;      /* long note cells */
    lxw_format *bold;
    const zx_codelist *lists[MAXLISTS]; /* columns of the code sheet */
    int nlists;
    lxw_error err;         /* the first libxlsxwriter error */
} tpl;

static void check(tpl *t, lxw_error e)
{
    if (e && !t->err)
        t->err = e;
}

/* The column of the code sheet holding list, writing it there first. */
static lxw_col_t list_column(tpl *t, const zx_codelist *list)
{
    const char **names;
    int i;

    for (i = 0; i < t->nlists; i++)
        if (t->lists[i] == list)
            return (lxw_col_t)i;
    if (t->nlists == MAXLISTS) {
        check(t, LXW_ERROR_PARAMETER_VALIDATION);
        return 0;
    }
    if (!(names = malloc((size_t)list->n * sizeof(*names)))) {
        check(t, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return 0;
    }
    for (i = 0; i < list->n; i++)
        names[i] = list->items[i].name;
    t->lists[t->nlists] = list;
    check(t, zx_template_list(t->codes, (lxw_col_t)t->nlists, t->bold,
                              list->title, names, list->n));
    free(names);
    return (lxw_col_t)t->nlists++;
}

/* What the column asks of a row: required 1 must be filled in every row;
 * 2 must be present as a column but may be blank. */
const char *zx_template_need(const zx_coldef *col)
{
    return col->required == 1 ? "必填"
           : col->required   ? "必须有此列，可留空"
                             : "选填";
}

void zx_template_type(const zx_coldef *col, char *buf, size_t cap)
{
    const zx_codelist *list;

    switch (col->type) {
    case ZX_COL_TEXT:
        snprintf(buf, cap, "文本");
        break;
    case ZX_COL_CODE:
        list = zx_codes_get(col->codelist);
        snprintf(buf, cap, "%s（下拉选择%s）", list->title,
                 list->numeric ? "，也可填代码" : "");
        break;
    case ZX_COL_INT:
        snprintf(buf, cap, "整数");
        break;
    case ZX_COL_DEC:
        snprintf(buf, cap, "小数");
        break;
    case ZX_COL_YEAR:
        snprintf(buf, cap, "年份（4 位数字）");
        break;
    case ZX_COL_MONTH:
        snprintf(buf, cap, "年月，如 1985-03");
        break;
    }
}

void zx_template_values(const zx_coldef *col, char *buf, size_t cap)
{
    buf[0] = '\0';
    switch (col->type) {
    case ZX_COL_TEXT:
        if (col->digits > 0)
            snprintf(buf, cap, "%d 位数字", col->digits);
        else if (col->digits < 0)
            snprintf(buf, cap, "字母、数字、- 和 _，不超过 %d 个字符",
                     col->maxlen);
        else if (col->maxlen)
            snprintf(buf, cap, "不超过 %d 个字", col->maxlen);
        break;
    case ZX_COL_CODE:
        zx_codes_describe(zx_codes_get(col->codelist), 1, buf, cap);
        break;
    case ZX_COL_INT:
    case ZX_COL_DEC:
        snprintf(buf, cap, "%g～%g", col->min, col->max);
        break;
    case ZX_COL_YEAR:
        snprintf(buf, cap, "%g～%d", col->min, zx_sheetdef_year_max(col));
        break;
    case ZX_COL_MONTH:
        snprintf(buf, cap, "不晚于当前月份");
        break;
    }
}

/* The pieces the values template (valtemplate.c) shares; see template.h. */

/* Lines a comment box of 40 half-width characters per line needs. */
static int comment_lines(const char *s)
{
    int lines = 1, w = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') {
            lines++;
            w = 0;
        } else if ((c & 0xC0) != 0x80) {
            w += c >= 0xE0 ? 2 : 1;
            if (w > 40) {
                lines++;
                w = c >= 0xE0 ? 2 : 1;
            }
        }
    }
    return lines;
}

lxw_error zx_template_note(lxw_worksheet *ws, lxw_col_t col, const char *note)
{
    lxw_comment_options copt = { 0 };

    copt.author = "zhenxing";
    copt.width = 320;
    copt.height = (uint16_t)(comment_lines(note) * 17 + 8);
    return worksheet_write_comment_opt(ws, 0, col, note, &copt);
}

lxw_error zx_template_list(lxw_worksheet *codes, lxw_col_t col,
                           lxw_format *bold, const char *title,
                           const char *const *items, int n)
{
    lxw_error err;
    int i;

    worksheet_set_column(codes, col, col, 20, NULL);
    err = worksheet_write_string(codes, 0, col, title, bold);
    for (i = 0; i < n && !err; i++)
        err = worksheet_write_string(codes, (lxw_row_t)(i + 1), col,
                                     items[i], NULL);
    return err;
}

void zx_template_dropdown(lxw_data_validation *v, lxw_col_t col, int n,
                          char *formula, size_t cap)
{
    char range[32];

    lxw_rowcol_to_range_abs(range, 1, col, (lxw_row_t)n, col);
    snprintf(formula, cap, "='%s'!%s", ZX_TEMPLATE_CODES_SHEET, range);
    v->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v->value_formula = formula;
    v->error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
}

int zx_template_finish(lxw_workbook *wb, lxw_error err, zx_export_file *out)
{
    if (err) {
        lxw_workbook_free(wb);
        zx_export_file_close(out, 0);
        return err == LXW_ERROR_MEMORY_MALLOC_FAILED ? ZX_ENOMEM : ZX_EIO;
    }
    if (workbook_close(wb)) { /* which frees wb, whatever it returns */
        zx_export_file_close(out, 0);
        return ZX_EIO;
    }
    return zx_export_file_close(out, 1);
}

static void write_header(tpl *t, int i)
{
    const zx_coldef *col = &t->def->cols[i];
    char type[128], values[2048], note[2560];
    lxw_col_t c = (lxw_col_t)i;

    worksheet_set_column(t->data, c, c, zx_export_col_width(col),
                         col->type == ZX_COL_TEXT ||
                                 col->type == ZX_COL_MONTH
                             ? t->text
                             : NULL);
    check(t, worksheet_write_string(t->data, 0, c, col->header,
                                    col->required ? t->required : NULL));
    zx_template_type(col, type, sizeof(type));
    zx_template_values(col, values, sizeof(values));
    snprintf(note, sizeof(note), "%s（%s）%s%s\n类型：%s%s%s", col->header,
             zx_template_need(col), *col->help ? "\n" : "",
             col->help, type, *values ? "\n取值：" : "", values);
    check(t, zx_template_note(t->data, c, note));
}

/* Excel's checks for column i, as far as Excel can express them; the
 * importer checks everything again.  Code lists only warn, because the
 * importer also takes codes and other spellings the list does not show.
 * (libxlsxwriter 1.1.4 leaks one copy of each list's formula, a few bytes
 * per template; LeakSanitizer runs must suppress "leak:lxw_strdup".) */
static void add_validation(tpl *t, int i)
{
    const zx_coldef *col = &t->def->cols[i];
    lxw_data_validation v = { 0 };
    char title[] = "输入有误", msg[256], formula[128];
    const zx_codelist *list;

    v.error_title = title;
    v.error_message = msg;
    v.input_title = (char *)col->header;
    v.input_message = *col->help ? (char *)col->help : NULL;
    switch (col->type) {
    case ZX_COL_CODE:
        list = zx_codes_get(col->codelist);
        zx_template_dropdown(&v, list_column(t, list), list->n, formula,
                             sizeof(formula));
        snprintf(msg, sizeof(msg), "“%s”请从下拉列表中选择%s。", col->header,
                 list->numeric ? "，或填写代码" : "");
        break;
    case ZX_COL_INT:
    case ZX_COL_YEAR:
        v.validate = LXW_VALIDATION_TYPE_INTEGER;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = col->min;
        v.maximum_number = col->type == ZX_COL_YEAR
                               ? (double)zx_sheetdef_year_max(col)
                               : col->max;
        snprintf(msg, sizeof(msg), "“%s”须为 %g～%g 之间的%s。", col->header,
                 v.minimum_number, v.maximum_number,
                 col->type == ZX_COL_YEAR ? "年份" : "整数");
        break;
    case ZX_COL_DEC:
        v.validate = LXW_VALIDATION_TYPE_DECIMAL;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = col->min;
        v.maximum_number = col->max;
        snprintf(msg, sizeof(msg), "“%s”须为 %g～%g 之间的数。", col->header,
                 col->min, col->max);
        break;
    case ZX_COL_TEXT:
        if (!col->maxlen)
            return;
        v.validate = LXW_VALIDATION_TYPE_LENGTH;
        if (col->digits > 0) {
            v.criteria = LXW_VALIDATION_CRITERIA_EQUAL_TO;
            v.value_number = col->digits;
            snprintf(msg, sizeof(msg), "“%s”须为 %d 位数字。", col->header,
                     col->digits);
        } else {
            v.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
            v.value_number = col->maxlen;
            snprintf(msg, sizeof(msg), "“%s”不能超过 %d 个%s。",
                     col->header, col->maxlen,
                     col->digits < 0 ? "字符" : "字");
        }
        break;
    case ZX_COL_MONTH:
        return; /* typed in many forms; only the importer can tell */
    }
    check(t, worksheet_data_validation_range(t->data, FIRST_ROW,
                                             (lxw_col_t)i, LAST_ROW,
                                             (lxw_col_t)i, &v));
}

static void write_notes(tpl *t)
{
    static const char *const heads[] = { "表头", "必填/选填", "类型",
                                         "允许的取值", "说明" };
    static const double widths[] = { 20, 10, 26, 60, 50 };
    const zx_sheetdef *def = t->def;
    char buf[2048];
    lxw_row_t r;
    int i;

    for (i = 0; i < 5; i++)
        worksheet_set_column(t->notes, (lxw_col_t)i, (lxw_col_t)i, widths[i],
                             i >= 3 ? t->wrap : NULL);
    snprintf(buf, sizeof(buf), "%s导入模板填写说明", def->title);
    check(t, worksheet_write_string(t->notes, 0, 0, buf, t->bold));
    for (i = 0; i < 5; i++)
        check(t, worksheet_write_string(t->notes, 2, (lxw_col_t)i, heads[i],
                                        t->required));
    for (i = 0, r = 3; i < def->n; i++, r++) {
        const zx_coldef *col = &def->cols[i];
        check(t, worksheet_write_string(t->notes, r, 0, col->header, NULL));
        check(t, worksheet_write_string(t->notes, r, 1, zx_template_need(col),
                                        NULL));
        zx_template_type(col, buf, sizeof(buf));
        check(t, worksheet_write_string(t->notes, r, 2, buf, NULL));
        zx_template_values(col, buf, sizeof(buf));
        if (*buf)
            check(t, worksheet_write_string(t->notes, r, 3, buf, NULL));
        if (*col->help)
            check(t, worksheet_write_string(t->notes, r, 4, col->help,
                                            NULL));
    }

    r++;
    check(t, worksheet_write_string(t->notes, r++, 0, "更新规则", t->bold));
    snprintf(buf, sizeof(buf),
             "按 %s 更新：已有的记录改为新填的值，重复导入不会重复新增",
             def->key);
    check(t, worksheet_write_string(t->notes, r++, 0, buf, NULL));
    r++;
    check(t, worksheet_write_string(t->notes, r++, 0, "填写规则", t->bold));
    snprintf(buf, sizeof(buf),
             "1. 只导入第一个工作表“%s”，本说明及其他工作表不会导入",
             def->title);
    check(t, worksheet_write_string(t->notes, r++, 0, buf, NULL));
    check(t, worksheet_write_string(t->notes, r++, 0,
                                    "2. 第 1 行是表头，请勿修改表头文字；"
                                    "从第 2 行起每行填写一条记录",
                                    NULL));
    check(t, worksheet_write_string(t->notes, r++, 0,
                                    "3. 表头有底色的列不能删除，其中“必填”的"
                                    "每行都要填写；选填列可以删除或留空；"
                                    "鼠标移到表头上可看提示",
                                    NULL));
    check(t, worksheet_write_string(t->notes, r++, 0,
                                    "4. 代码类的列从下拉列表中选择名称，"
                                    "也可直接填写代码",
                                    NULL));
    check(t, worksheet_write_string(t->notes, r++, 0,
                                    "5. 整个文件全部通过检查才会导入：任何一行"
                                    "有错，都不会写入任何数据，并会列出每个错误"
                                    "所在的行和列，改正后重新导入即可",
                                    NULL));
    check(t, worksheet_write_string(t->notes, r++, 0,
                                    "6. 也可另存为 CSV 文件（UTF-8 或 GBK 编码）"
                                    "后导入",
                                    NULL));
}

int zx_template_write(const char *kind, const char *path)
{
    zx_export_file out;
    tpl t;
    int rc, i;

    memset(&t, 0, sizeof(t));
    t.def = zx_sheetdef_get(kind);
    if (!t.def)
        return ZX_EINVAL;
    rc = zx_export_file_open(&out, path, 1);
    if (rc)
        return rc;
    t.wb = workbook_new(out.name);
    if (!t.wb) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    t.data = workbook_add_worksheet(t.wb, t.def->title);
    t.notes = workbook_add_worksheet(t.wb, ZX_TEMPLATE_NOTES_SHEET);
    t.codes = workbook_add_worksheet(t.wb, ZX_TEMPLATE_CODES_SHEET);
    t.required = workbook_add_format(t.wb);
    t.text = workbook_add_format(t.wb);
    t.wrap = workbook_add_format(t.wb);
    t.bold = workbook_add_format(t.wb);
    if (!t.data || !t.notes || !t.codes || !t.required || !t.text ||
        !t.wrap || !t.bold) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    format_set_bold(t.required);
    format_set_pattern(t.required, LXW_PATTERN_SOLID);
    format_set_bg_color(t.required, 0xDDEBF7);
    format_set_num_format(t.text, "@");
    format_set_text_wrap(t.wrap);
    format_set_align(t.wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(t.bold);

    for (i = 0; i < t.def->n; i++) {
        write_header(&t, i);
        add_validation(&t, i);
    }
    worksheet_freeze_panes(t.data, 1, 0);
    write_notes(&t);
    worksheet_hide(t.codes);
    worksheet_protect(t.codes, NULL, NULL);
    return zx_template_finish(t.wb, t.err, &out);

fail:
    if (t.wb)
        lxw_workbook_free(t.wb);
    zx_export_file_close(&out, 0);
    return rc;
}
