/*
 * cmd_export.c - `zhenxing export KIND [--format csv|xlsx|json] [--out F]`.
 */
#include "cli.h"
#include "demo.h"
#include "export.h"
#include "sheetdef.h"
#include "zx.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char zx_usage_export[] =
    "用法: zhenxing [--db 路径] export 类别 [--format csv|xlsx|json] "
    "[--out 文件]\n"
    "\n"
    "把数据库中的一类记录导出，列与导入模板相同，按唯一键排序。导出的文件\n"
    "可以原样再导入：不会产生任何改动。类别:\n"
    "  schools     学校\n"
    "  enrolment   在校生\n"
    "  teachers    教师\n"
    "  roles       教师称号\n"
    "\n"
    "选项:\n"
    "  -f, --format 格式   csv（UTF-8 带 BOM，Excel 可直接打开）、xlsx 或 json；\n"
    "                      省略时按 --out 的扩展名判断，都没有时为 csv\n"
    "  -o, --out 文件      写入该文件（默认写到标准输出）；导出完成后文件才出现\n"
    "\n"
    "示例:\n"
    "  zhenxing export teachers --out 教师.xlsx\n"
    "  zhenxing export schools --format json > schools.json\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库不存在；74 文件无法写入\n";

int zx_cmd_export(zx_cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *out = NULL, *fmtname = NULL;
    const zx_sheetdef *def;
    enum zx_export_format fmt = ZX_EXPORT_CSV;
    zx_progress *bar = NULL;
    zx_db *db = NULL;
    char kinds[256], label[64], err[512];
    struct stat st_out, st_db;
    long rows = 0;
    int i, r, rc, code;

    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--format", "-f", &fmtname)) ||
            (r = zx_cli_option(argc, argv, &i, "--out", "-o", &out))) {
            if (r < 0)
                return zx_cli_usage_error("export", "选项“%s”缺少取值",
                                          argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return zx_cli_usage_error("export", "无法识别的选项“%s”",
                                      argv[i]);
        } else if (!kind) {
            kind = argv[i];
        } else {
            return zx_cli_usage_error("export", "多余的参数“%s”", argv[i]);
        }
    }
    zx_cli_kinds_text(kinds, sizeof(kinds));
    if (!kind)
        return zx_cli_usage_error("export", "需要指定类别：%s", kinds);
    def = zx_sheetdef_get(kind);
    if (!def)
        return zx_cli_usage_error("export", "未知的类别“%s”，应为 %s", kind,
                                  kinds);
    if (fmtname) {
        if (zx_export_format_parse(fmtname, &fmt) != ZX_OK)
            return zx_cli_usage_error("export",
                                      "未知的格式“%s”，应为 csv、xlsx 或 json",
                                      fmtname);
    } else if (out && zx_export_format_of_path(out, &fmt) != ZX_OK) {
        return zx_cli_usage_error("export",
                                  "无法从文件名“%s”判断格式，请用 --format "
                                  "指定 csv、xlsx 或 json",
                                  out);
    }
    if (fmt == ZX_EXPORT_XLSX && !out && isatty(STDOUT_FILENO))
        return zx_cli_usage_error("export",
                                  "XLSX 文件不能输出到终端，请用 --out 文件名，"
                                  "或重定向：zhenxing export %s --format xlsx "
                                  "> %s.xlsx",
                                  kind, kind);

    /* the export is renamed over its destination: never over the data */
    if (out && stat(out, &st_out) == 0 && stat(cli->db_path, &st_db) == 0 &&
        st_out.st_dev == st_db.st_dev && st_out.st_ino == st_db.st_ino)
        return zx_cli_usage_error("export", "“%s”是数据库文件本身，"
                                  "请换一个输出文件名", out);
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    if (fmt == ZX_EXPORT_CSV && zx_export_synthetic(db))
        fprintf(stderr, "%s\n", zx_demo_banner);
    /* a bar would garble rows printed to the same terminal */
    if (out || !isatty(STDOUT_FILENO)) {
        snprintf(label, sizeof(label), "导出%s", def->title);
        bar = zx_progress_new(label);
    }
    rc = zx_export(db, kind, fmt, out, bar ? zx_progress_update : NULL, bar,
                   &rows, err, sizeof(err));
    zx_progress_end(bar);
    zx_db_close(db);
    if (rc) {
        fprintf(stderr, "zhenxing export: %s\n", err);
        return zx_cli_exit_code(rc);
    }
    fprintf(stderr, "已导出 %ld 条%s记录到 %s\n", rows, def->title,
            out ? out : "标准输出");
    return ZX_EXIT_OK;
}
