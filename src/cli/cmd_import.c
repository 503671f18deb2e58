/*
 * cmd_import.c - `zhenxing import KIND FILE [--dry-run]`.
 */
#include "audit.h"
#include "cli.h"
#include "ingest.h"
#include "sheetdef.h"
#include "zx.h"

#include <stdio.h>
#include <string.h>

const char zx_usage_import[] =
    "用法: zhenxing [--db 路径] import 类别 文件 [--dry-run]\n"
    "\n"
    "从 CSV 或 XLSX 文件导入登记数据。类别:\n"
    "  schools     学校（按 学校标识码 新增或更新）\n"
    "  enrolment   在校生（按 学校标识码 + 年度）\n"
    "  teachers    教师（按 教师编号）\n"
    "  roles       教师称号（按 教师编号 + 称号 + 级别 + 起始年份）\n"
    "  values      计划数据项的值（第一列为单位标识，其余每列一个数据项；\n"
    "              模板: zhenxing template values --level school）\n"
    "\n"
    "CSV 可为 UTF-8（带或不带 BOM）或 GBK/GB18030 编码；XLSX 读取第一个工作表。\n"
    "第一行为表头（列的顺序不限）。文件中任何一行有错误时，整个文件都不写入，\n"
    "并逐条列出“文件:行:列: 问题”，行号与 Excel 中显示的一致。\n"
    "重复导入同一文件不会产生任何改动。空白模板: zhenxing template 类别\n"
    "\n"
    "选项:\n"
    "  --dry-run   只检查，不写入数据库\n"
    "\n"
    "退出码: 0 成功；65 数据有误（未写入）；64 用法错误；66 文件或数据库不存在\n";

int zx_cmd_import(zx_cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *file = NULL;
    int dry = 0, i, rc, code;
    zx_db *db = NULL;
    zx_diag *diag = NULL;
    zx_progress *bar;
    zx_ingest_result res;
    size_t n;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return zx_cli_usage_error("import", "无法识别的选项“%s”",
                                      argv[i]);
        else if (!kind)
            kind = argv[i];
        else if (!file)
            file = argv[i];
        else
            return zx_cli_usage_error("import", "多余的参数“%s”", argv[i]);
    }
    if (!kind || !file)
        return zx_cli_usage_error("import", "需要指定类别和文件");
    if (strcmp(kind, "values") == 0)
        return zx_cli_import_values(cli, file, dry);
    if (!zx_sheetdef_get(kind))
        return zx_cli_usage_error("import", "未知的类别“%s”，应为 schools、"
                                  "enrolment、teachers、roles 或 values",
                                  kind);
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    diag = zx_diag_new();
    if (!diag) {
        zx_db_close(db);
        return ZX_EXIT_SOFTWARE;
    }

    bar = zx_progress_new("导入");
    rc = zx_ingest_file(db, kind, file, file, dry, zx_audit_cli_actor(),
                        zx_progress_update, bar, diag, &res);
    zx_progress_end(bar);

    zx_cli_print_diag(diag);
    n = zx_diag_count(diag);
    if (rc == ZX_OK) {
        printf("%s: 读取 %ld 行（%s）：新增 %ld，更新 %ld，未变 %ld%s\n", file,
               res.rows, res.format, res.inserted, res.updated, res.unchanged,
               dry ? "（试运行，未写入数据库）" : "");
    } else if (rc == ZX_EDATA || rc == ZX_EFORMAT) {
        fprintf(stderr, "%s: 导入未完成：发现 %zu 处问题，数据库未做任何修改\n",
                file, n);
    } else {
        fprintf(stderr, "%s: 导入失败（%s），数据库未做任何修改\n", file,
                zx_strerror(rc));
    }
    if (res.ncreated) {
        printf("%s新建的单位（请核对名称，若为笔误请修正文件后重新导入）:\n",
               rc == ZX_OK && !dry ? "" : "将会");
        for (i = 0; i < res.ncreated; i++)
            printf("  %s\n", res.created[i]);
    }
    zx_ingest_result_free(&res);
    zx_diag_free(diag);
    zx_db_close(db);
    return zx_cli_exit_code(rc);
}
