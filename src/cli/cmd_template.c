/*
 * cmd_template.c - `zhenxing template KIND [--out F]`.
 */
#include "cli.h"
#include "export.h"
#include "sheetdef.h"
#include "template.h"
#include "zx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char zx_usage_template[] =
    "用法: zhenxing template 类别 [--out 文件.xlsx]\n"
    "\n"
    "生成空白的 Excel 导入模板：第一个工作表是要填写的表头（必填列有底色，\n"
    "鼠标移到表头上可看说明），代码类的列有下拉列表，数字和年份有范围检查；\n"
    "“填写说明”工作表列出每一列的要求和全部可选值。类别:\n"
    "  schools     学校\n"
    "  enrolment   在校生\n"
    "  teachers    教师\n"
    "  roles       教师称号\n"
    "  values      计划数据项（zhenxing template values [--level school|town|\n"
    "              group|teacher]，预先列出该层级的全部单位）\n"
    "\n"
    "选项:\n"
    "  -o, --out 文件   写入该文件（默认写到标准输出，须重定向到文件）\n"
    "  --doc            不生成文件，改为以 Markdown 表格列出全部类别的各列\n"
    "                   要求（README 中的模板说明即由此生成）\n"
    "\n"
    "示例:\n"
    "  zhenxing template teachers --out 教师导入模板.xlsx\n"
    "  zhenxing template schools > 学校导入模板.xlsx\n";

/* Every sheet's columns as Markdown tables, for the README. */
static int print_doc(void)
{
    const zx_sheetdef *defs;
    char type[256], values[2048];
    int n, i, c;

    defs = zx_sheetdef_all(&n);
    for (i = 0; i < n; i++) {
        printf("#### %s（`zhenxing import %s`）\n\n按 %s 新增或更新。\n\n"
               "| 表头 | 字段名 | 要求 | 类型 | 允许的取值 | 说明 |\n"
               "|---|---|---|---|---|---|\n",
               defs[i].title, defs[i].kind, defs[i].key);
        for (c = 0; c < defs[i].n; c++) {
            const zx_coldef *col = &defs[i].cols[c];
            zx_template_type(col, type, sizeof(type));
            zx_template_values(col, values, sizeof(values));
            printf("| %s | %s | %s | %s | %s | %s |\n", col->header,
                   col->field, zx_template_need(col), type, values,
                   col->help);
        }
        printf("\n");
    }
    return ZX_EXIT_OK;
}

int zx_cmd_template(zx_cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *out = NULL, *a;
    const zx_sheetdef *def;
    enum zx_export_format fmt;
    char kinds[256];
    int i, r, rc;

    if (argc > 1 && strcmp(argv[1], "values") == 0)
        return zx_cli_template_values(cli, argc - 1, argv + 1);

    for (i = 1; i < argc; i++) {
        a = argv[i];
        if ((r = zx_cli_option(argc, argv, &i, "--out", "-o", &out))) {
            if (r < 0)
                return zx_cli_usage_error("template", "选项“%s”缺少取值", a);
        } else if (strcmp(a, "--doc") == 0) {
            return print_doc();
        } else if (a[0] == '-' && a[1]) {
            return zx_cli_usage_error("template", "无法识别的选项“%s”", a);
        } else if (!kind) {
            kind = a;
        } else {
            return zx_cli_usage_error("template", "多余的参数“%s”", a);
        }
    }
    zx_cli_kinds_text(kinds, sizeof(kinds));
    if (!kind)
        return zx_cli_usage_error("template", "需要指定类别：%s", kinds);
    def = zx_sheetdef_get(kind);
    if (!def)
        return zx_cli_usage_error("template", "未知的类别“%s”，应为 %s",
                                  kind, kinds);
    if (out && zx_export_format_of_path(out, &fmt) == ZX_OK &&
        fmt != ZX_EXPORT_XLSX)
        return zx_cli_usage_error("template",
                                  "模板是 Excel 文件，文件名应以 .xlsx 结尾");
    if (!out && isatty(STDOUT_FILENO))
        return zx_cli_usage_error("template",
                                  "模板是 XLSX 文件，不能输出到终端，请用 "
                                  "--out 文件名，或重定向：zhenxing template "
                                  "%s > %s.xlsx",
                                  kind, kind);

    rc = zx_template_write(kind, out);
    if (rc == ZX_EIO) {
        fprintf(stderr, "zhenxing template: 无法写入 %s：%s\n",
                out ? out : "标准输出", zx_export_strerror(errno));
        return ZX_EXIT_IO;
    }
    if (rc) {
        fprintf(stderr, "zhenxing template: 生成模板失败：%s\n",
                zx_strerror(rc));
        return zx_cli_exit_code(rc);
    }
    fprintf(stderr, "已生成%s导入模板：%s\n", def->title,
            out ? out : "标准输出");
    return ZX_EXIT_OK;
}
