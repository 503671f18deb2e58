/*
 * cmd_values.c - data element values from the shell:
 *
 *   zhenxing values get ELEMENT UNIT [--year Y]
 *   zhenxing values set ELEMENT UNIT VALUE [--year Y]
 *   zhenxing import values FILE [--dry-run]        (zx_cli_import_values)
 *   zhenxing template values [--level L] [--out F]  (zx_cli_template_values)
 *
 * All of them read the plan in force from the database, since what an
 * element is (its type, level, range) is the plan's to say.
 */
#include "audit.h"
#include "cli.h"
#include "export.h"
#include "planstore.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char zx_usage_values[] =
    "用法: zhenxing [--db 路径] values get 数据项 单位 [--year 年度]\n"
    "      zhenxing [--db 路径] values set 数据项 单位 值 [--year 年度]\n"
    "\n"
    "查看或填写现行计划中数据项（data_elements）的值。\n"
    "  数据项   数据项的标识（如 counselling_room）或中文名称\n"
    "  单位     学校标识码；区镇、集团的编码或名称；市编码或名称；\n"
    "           按教师填报的数据项填教师编号\n"
    "  值       按数据项的类型：是/否（也可 Y/N、1/0、√/×）、整数、数字、\n"
    "           选项（或其序号）、日期（2020-09-01 或 2020年9月1日）、文本；\n"
    "           空字符串 \"\" 删除已填的值\n"
    "\n"
    "get 输出值（是/否、数字、选项名称、日期或文本）；未填报时不输出，退出码 1。\n"
    "每次修改都记入审计日志；与原值相同时不做任何改动。\n"
    "\n"
    "选项:\n"
    "  --year 年度   按年度填报的数据项的年度（基线年或计划年度），默认为计划\n"
    "                年度中不晚于今年的最后一年；不按年度的数据项忽略此项\n"
    "\n"
    "批量填报: zhenxing template values [--level 层级] --out 模板.xlsx 生成模板，\n"
    "填好后用 zhenxing import values 文件 [--dry-run] 导入。\n"
    "\n"
    "退出码: 0 成功；1 未填报（get）；65 值有误，未写入；64 用法错误；\n"
    "        66 数据项、单位或数据库不存在\n";

/* A year as given to --year, or -1. */
static int parse_year(const char *s)
{
    char *end;
    long y = strtol(s, &end, 10);

    return *s && *end == '\0' && y > 0 && y < 10000 ? (int)y : -1;
}

/* Indexed by enum zx_values_change. */
static const char *const change_words[] = {
    "未变（与原值相同）", "已新增", "已更新", "已删除"
};

int zx_cmd_values(zx_cli *cli, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : NULL, *args[3] = { NULL };
    const char *yeartext = NULL, *a;
    const zx_data_element *de;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_diag *diag = NULL;
    zx_value *v = NULL;
    char yr[32] = "";
    int set, need, nargs = 0, year, i, r, rc, change, code;

    if (!verb)
        return zx_cli_usage_error("values", "需要指定 get 或 set");
    if (strcmp(verb, "get") != 0 && strcmp(verb, "set") != 0)
        return zx_cli_usage_error("values", "未知的操作“%s”，应为 get 或 set",
                                  verb);
    set = verb[0] == 's';
    need = set ? 3 : 2;
    for (i = 2; i < argc; i++) {
        a = argv[i];
        if ((r = zx_cli_option(argc, argv, &i, "--year", NULL, &yeartext))) {
            if (r < 0)
                return zx_cli_usage_error("values", "选项“%s”缺少取值", a);
        } else if (strcmp(a, "--") == 0) {
            /* everything after "--" is an argument, e.g. a value "-1" */
            for (i++; i < argc; i++) {
                if (nargs == need)
                    return zx_cli_usage_error("values", "多余的参数“%s”",
                                              argv[i]);
                args[nargs++] = argv[i];
            }
        } else if (a[0] == '-' && a[1] &&
                   /* a negative number where VALUE goes is the value */
                   !(set && nargs == 2 && strchr("0123456789.", a[1]))) {
            return zx_cli_usage_error("values", "无法识别的选项“%s”", a);
        } else if (nargs == need) {
            return zx_cli_usage_error("values", "多余的参数“%s”", a);
        } else {
            args[nargs++] = a;
        }
    }
    if (nargs < need)
        return zx_cli_usage_error("values", set ? "需要指定数据项、单位和值"
                                                : "需要指定数据项和单位");
    if (yeartext && parse_year(yeartext) < 0)
        return zx_cli_usage_error("values", "年度“%s”无效，应为 4 位数字",
                                  yeartext);
    if ((code = zx_cli_open_plan(cli, "values", &db, &plan)))
        return code;

    rc = ZX_ENOMEM;
    if (!(diag = zx_diag_new()) || !(v = calloc(1, sizeof(*v))))
        goto done;
    de = zx_values_element(plan, args[0]);
    year = yeartext ? parse_year(yeartext) : zx_values_current_year(plan);
    if (set)
        rc = zx_values_set(db, plan, args[0], args[1], year, args[2],
                           zx_audit_cli_actor(), diag, &change);
    else
        rc = zx_values_get(db, plan, args[0], args[1], year, v, diag);
    /* echo the value as stored: "Y" was stored as 是 */
    if (rc == ZX_OK && set && change != ZX_VALUES_DELETED)
        rc = zx_values_get(db, plan, args[0], args[1], year, v, diag);
    zx_cli_print_diag(diag);
    if (rc)
        goto done;
    if (de->yearly)
        snprintf(yr, sizeof(yr), " %d 年度", year);
    if (set && !v->present)
        printf("%s：%s %s%s\n",
               change == ZX_VALUES_DELETED ? change_words[change]
                                           : "未变（原本未填报）",
               de->name, args[1], yr);
    else if (set)
        printf("%s：%s %s%s = %s\n", change_words[change], de->name, args[1],
               yr, v->text);
    else if (v->present)
        printf("%s\n", v->text);
    else {
        fprintf(stderr, "zhenxing values: %s %s%s 未填报\n", de->name,
                args[1], yr);
        code = ZX_EXIT_FAIL;
    }

done:
    if (rc == ZX_ENOMEM)
        fprintf(stderr, "zhenxing values: %s\n", zx_strerror(rc));
    if (rc)
        code = zx_cli_exit_code(rc);
    free(v);
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}

int zx_cli_import_values(zx_cli *cli, const char *file, int dry_run)
{
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_diag *diag;
    zx_progress *bar;
    zx_values_result res;
    int rc, code;

    if ((code = zx_cli_open_plan(cli, "import", &db, &plan)))
        return code;
    diag = zx_diag_new();
    if (!diag) {
        zx_plan_free(plan);
        zx_db_close(db);
        return ZX_EXIT_SOFTWARE;
    }
    bar = zx_progress_new("导入");
    rc = zx_values_import(db, plan, file, file, dry_run, zx_audit_cli_actor(),
                          zx_progress_update, bar, diag, &res);
    zx_progress_end(bar);

    zx_cli_print_diag(diag);
    if (rc == ZX_OK)
        printf("%s: 读取 %ld 行（%s）：新增 %ld，更新 %ld，未变 %ld，留空 %ld 格"
               "%s\n", file, res.rows, res.format, res.inserted, res.updated,
               res.unchanged, res.blank,
               dry_run ? "（试运行，未写入数据库）" : "");
    else if (rc == ZX_EDATA || rc == ZX_EFORMAT)
        fprintf(stderr, "%s: 导入未完成：发现 %zu 处问题，数据库未做任何修改\n",
                file, zx_diag_count(diag));
    else
        fprintf(stderr, "%s: 导入失败（%s），数据库未做任何修改\n", file,
                zx_strerror(rc));
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return zx_cli_exit_code(rc);
}

/* "school", "学校", ... to a level that has a template; -1 otherwise. */
static int parse_level(const char *s)
{
    static const char *const chinese[ZX_NLEVELS] = { NULL, "区镇", "集团",
                                                     "学校", "教师" };
    int l = zx_level_parse(s), i;

    for (i = 0; l < 0 && i < ZX_NLEVELS; i++)
        if (chinese[i] && strcmp(chinese[i], s) == 0)
            l = i;
    return l == ZX_LEVEL_CITY ? -1 : l;
}

int zx_cli_template_values(zx_cli *cli, int argc, char **argv)
{
    const char *out = NULL, *leveltext = "school", *a;
    enum zx_export_format fmt;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    long units = 0;
    int i, r, rc, code, level;

    for (i = 1; i < argc; i++) {
        a = argv[i];
        if ((r = zx_cli_option(argc, argv, &i, "--out", "-o", &out)) ||
            (r = zx_cli_option(argc, argv, &i, "--level", NULL,
                               &leveltext))) {
            if (r < 0)
                return zx_cli_usage_error("template", "选项“%s”缺少取值", a);
        } else if (a[0] == '-' && a[1]) {
            return zx_cli_usage_error("template", "无法识别的选项“%s”", a);
        } else {
            return zx_cli_usage_error("template", "多余的参数“%s”", a);
        }
    }
    if ((level = parse_level(leveltext)) < 0)
        return zx_cli_usage_error("template", "未知的层级“%s”，应为 school"
                                  "（学校）、town（区镇）、group（集团）或 "
                                  "teacher（教师）", leveltext);
    if (out && zx_export_format_of_path(out, &fmt) == ZX_OK &&
        fmt != ZX_EXPORT_XLSX)
        return zx_cli_usage_error("template",
                                  "模板是 Excel 文件，文件名应以 .xlsx 结尾");
    if (!out && isatty(STDOUT_FILENO))
        return zx_cli_usage_error("template",
                                  "模板是 XLSX 文件，不能输出到终端，请用 "
                                  "--out 文件名，或重定向：zhenxing template "
                                  "values --level %s > values-%s.xlsx",
                                  zx_level_name((enum zx_level)level),
                                  zx_level_name((enum zx_level)level));
    if ((code = zx_cli_open_plan(cli, "template", &db, &plan)))
        return code;

    rc = zx_values_template(db, plan, (enum zx_level)level, out, &units);
    if (rc == ZX_OK) {
        fprintf(stderr, "已生成%s数据填报模板（%ld 个%s）：%s\n",
                zx_values_level_title((enum zx_level)level), units,
                level == ZX_LEVEL_TEACHER ? "教师" : "单位",
                out ? out : "标准输出");
        code = ZX_EXIT_OK;
    } else if (rc == ZX_ENOTFOUND) {
        fprintf(stderr, "zhenxing template: 现行计划中没有按%s填报的数据项\n",
                zx_values_level_title((enum zx_level)level));
        code = ZX_EXIT_FAIL;
    } else if (rc == ZX_EIO) {
        fprintf(stderr, "zhenxing template: 无法写入 %s：%s\n",
                out ? out : "标准输出", zx_export_strerror(errno));
        code = ZX_EXIT_IO;
    } else {
        fprintf(stderr, "zhenxing template: 生成模板失败：%s%s%s\n",
                zx_strerror(rc), rc == ZX_EDB ? "：" : "",
                rc == ZX_EDB ? zx_db_errmsg(db) : "");
        code = zx_cli_exit_code(rc);
    }
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
