/*
 * cmd_substitutes.c - `zhenxing substitutes`: the yearly substitute
 * teacher counts (snapshot of the registry, one set by hand, an import)
 * and the trajectory to zero with the schools behind it
 * (substitutes.h).
 */
#include "audit.h"
#include "cli.h"
#include "export.h"
#include "rules.h"
#include "substitutes.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_substitutes[] =
    "用法: zhenxing [--db 路径] substitutes 子命令 [--year 年度] [选项]\n"
    "\n"
    "逐步消除代课教师（条款 3.4.3-T9）。按当年的规则（zhenxing rules list\n"
    "substitutes）以基数年度 baseline_year（2019）的人数为基数，至\n"
    "target_year（2024）直线降为 0：Y 年控制数 = 基数 × (目标年度 − Y) ÷\n"
    "(目标年度 − 基数年度)；全市按此计，各校按本校基数计并向上取整。实有\n"
    "人数超过控制数的学校为进度落后，差额为应减人数。\n"
    "\n"
    "子命令:\n"
    "  trajectory                  逐年控制数与实有人数、各区镇合计、各校\n"
    "                              （table 全部列出；csv、xlsx、json 见下）\n"
    "  snapshot                    按教师名册当前的代课教师人数记为该年度各校\n"
    "                              人数（含 0），记一条审计\n"
    "  set 学校标识码 年度 人数    设定一所学校某年度的人数\n"
    "  import 文件 [--dry-run]     从 CSV 或 XLSX 导入，表头为 学校标识码、\n"
    "                              年度、代课教师数；--dry-run 只检查不写入；\n"
    "                              有任何错误则全部不写入，错误按\n"
    "                              文件:行:列 列出\n"
    "\n"
    "选项:\n"
    "  --year 年度   默认为计划年度中不晚于今年的最后一年\n"
    "  --format 格式 trajectory：table（默认）、csv、xlsx（各校）或 json（全部）\n"
    "  --out 文件    xlsx 写入文件（默认写到标准输出）\n"
    "\n"
    "退出码: 0 成功；64 用法错误；65 导入文件有错误；66 数据库、计划或学校\n"
    "不存在\n";

static const char *const school_keys[] = {
    "code", "name", "town", "baseline", "allowance", "actual", "behind",
    "shed"
};
static const char *const school_heads[] = {
    "学校标识码", "学校名称", "区镇", "基数", "控制数", "实有", "落后",
    "应减人数"
};
static const int school_widths[] = { 12, 26, 12, 6, 6, 6, 4, 8 };

static const char *const town_keys[] = {
    "name", "baseline", "allowance", "actual", "behind", "shed"
};
static const char *const town_heads[] = {
    "区镇", "基数", "控制数", "实有", "落后学校", "应减人数"
};
static const int town_widths[] = { 16, 6, 6, 6, 8, 8 };

static const char *const point_keys[] = { "year", "allowance", "actual" };
static const char *const point_heads[] = { "年度", "全市控制数", "实有" };
static const int point_widths[] = { 6, 10, 6 };

static int trajectory(zx_db *db, const zx_plan *plan, int year, int fmt,
                      const char *out, int synthetic)
{
    zx_rules *rules = NULL;
    zx_substitutes *s = NULL;
    json_t *j = NULL;
    zx_cli_grid g;
    char title[200], *text;
    int rc, code = ZX_EXIT_SOFTWARE;

    if ((rc = zx_rules_load(db, "substitutes", year, &rules)) ||
        (rc = zx_substitutes_compute(db, year, rules, NULL, NULL, &s))) {
        fprintf(stderr, "zhenxing substitutes: 无法计算：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    if (!(j = zx_substitutes_json(s)))
        goto done;
    if (fmt == ZX_CLI_JSON) {
        if (json_object_set_new(j, "synthetic", json_boolean(synthetic)) ||
            !(text = json_dumps(j, JSON_INDENT(2))))
            goto done;
        puts(text);
        free(text);
        code = ZX_EXIT_OK;
        goto done;
    }
    memset(&g, 0, sizeof(g));
    g.sheet = "各校代课教师";
    g.keys = school_keys;
    g.heads = school_heads;
    g.widths = school_widths;
    g.ncols = 8;
    g.items = json_object_get(j, "schools");
    if (fmt != ZX_CLI_TABLE) {
        code = zx_cli_grid_write("substitutes", &g, fmt, out, synthetic);
        goto done;
    }
    printf("%s：代课教师消除进度（%d 年基数 %lld 人，%d 年降为 0）\n\n",
           zx_plan_name(plan), s->baseline_year, s->baseline, s->target_year);
    {
        zx_cli_grid p = { .sheet = "", .keys = point_keys,
                          .heads = point_heads, .widths = point_widths,
                          .ncols = 3, .items = json_object_get(j, "points") };
        zx_cli_grid t = { .title = "\n按区镇合计：", .sheet = "",
                          .keys = town_keys, .heads = town_heads,
                          .widths = town_widths, .ncols = 6,
                          .items = json_object_get(j, "towns") };

        zx_cli_grid_write("substitutes", &p, fmt, NULL, 0);
        zx_cli_grid_write("substitutes", &t, fmt, NULL, 0);
    }
    snprintf(title, sizeof(title), "\n%d 年各校（控制数 = 基数 × %.2f，"
             "向上取整）：", year, s->factor);
    g.title = title;
    code = zx_cli_grid_write("substitutes", &g, fmt, NULL, synthetic);
    if (s->actual < 0)
        printf("\n%d 年尚无人数记录（zhenxing substitutes snapshot --year %d"
               "）\n", year, year);
    else
        printf("\n%d 年全市实有 %lld 人，控制数 %.1f 人；进度落后的学校 %d "
               "所，应减 %lld 人\n", year, s->actual, s->allowance, s->behind,
               s->shed);

done:
    json_decref(j);
    zx_substitutes_free(s);
    zx_rules_free(rules);
    return code;
}

static int import(zx_cli *cli, zx_db *db, const char *file, int dry_run)
{
    zx_subst_import_result res;
    zx_diag *d = zx_diag_new();
    const char *name = strrchr(file, '/');
    int rc;

    (void)cli;
    if (!d)
        return ZX_EXIT_SOFTWARE;
    rc = zx_substitutes_import(db, file, name ? name + 1 : file, dry_run,
                               zx_audit_cli_actor(), NULL, NULL, d, &res);
    zx_cli_print_diag(d);
    zx_diag_free(d);
    if (rc) {
        fprintf(stderr, "zhenxing substitutes: %s 未导入：%s\n", file,
                zx_strerror(rc));
        return zx_cli_exit_code(rc);
    }
    printf("%s（%s）%ld 行：新增 %ld，更新 %ld，未变 %ld%s\n", file,
           res.format, res.rows, res.inserted, res.updated, res.unchanged,
           dry_run ? "；只检查未写入，去掉 --dry-run 即写入" : "，已写入");
    return ZX_EXIT_OK;
}

int zx_cmd_substitutes(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = "table", *out = NULL, *v;
    const char *pos[4];
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    long long count = 0, total = 0;
    char *end;
    int i, r, rc, fmt, year = 0, npos = 0, dry_run = 0, n, code;
    const char *sub;

    if (argc < 2)
        return zx_cli_usage_error("substitutes", "缺少子命令：trajectory、"
                                  "snapshot、set 或 import");
    sub = argv[1];
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = 1;
        else if ((r = zx_cli_option(argc, argv, &i, "--year", "-y", &v)) > 0)
            year_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                          &v)) > 0)
            fmt_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                          &v)) > 0)
            out = v;
        else if (r < 0)
            return zx_cli_usage_error("substitutes", "选项“%s”缺少取值",
                                      argv[i]);
        else if (argv[i][0] == '-' || npos == 4)
            return zx_cli_usage_error("substitutes", "无法识别的参数“%s”",
                                      argv[i]);
        else
            pos[npos++] = argv[i];
    }
    if ((code = zx_cli_format("substitutes", fmt_s,
                              1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON |
                                  1u << ZX_CLI_CSV | 1u << ZX_CLI_XLSX,
                              &fmt)))
        return code;
    if (out && fmt != ZX_CLI_XLSX)
        return zx_cli_usage_error("substitutes", "--out 只用于 xlsx 格式");
    if (strcmp(sub, "trajectory") && strcmp(sub, "snapshot") &&
        strcmp(sub, "set") && strcmp(sub, "import"))
        return zx_cli_usage_error("substitutes", "没有子命令“%s”", sub);
    if (npos != (strcmp(sub, "set") == 0      ? 3
                 : strcmp(sub, "import") == 0 ? 1
                                              : 0))
        return zx_cli_usage_error("substitutes", "子命令 %s 的参数个数不对；"
                                  "见 zhenxing substitutes --help", sub);
    if (dry_run && strcmp(sub, "import"))
        return zx_cli_usage_error("substitutes", "--dry-run 只用于 import");
    if (year_s && (code = zx_cli_year("substitutes", year_s, &year)))
        return code;
    if (strcmp(sub, "set") == 0) {
        if ((code = zx_cli_year("substitutes", pos[1], &year)))
            return code;
        count = strtoll(pos[2], &end, 10);
        if (*end || end == pos[2] || count < 0)
            return zx_cli_usage_error("substitutes", "人数“%s”应为不小于 0 "
                                      "的整数", pos[2]);
    }
    if ((code = zx_cli_open_plan(cli, "substitutes", &db, &plan)))
        return code;
    if (!year)
        year = zx_values_current_year(plan);
    if (strcmp(sub, "trajectory") == 0) {
        code = trajectory(db, plan, year, fmt, out, zx_export_synthetic(db));
    } else if (strcmp(sub, "import") == 0) {
        code = import(cli, db, pos[0], dry_run);
    } else if (strcmp(sub, "snapshot") == 0) {
        if ((rc = zx_substitutes_snapshot(db, year, zx_audit_cli_actor(), &n,
                                          &total))) {
            fprintf(stderr, "zhenxing substitutes: 无法记录：%s\n",
                    rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
            code = zx_cli_exit_code(rc);
        } else {
            printf("已按教师名册记录 %d 年 %d 所学校的代课教师人数，合计 %lld "
                   "人\n", year, n, total);
        }
    } else {
        rc = zx_substitutes_set(db, pos[0], year, count,
                                zx_audit_cli_actor());
        if (rc == ZX_ENOTFOUND) {
            fprintf(stderr, "zhenxing substitutes: 没有标识码为 %s 的学校\n",
                    pos[0]);
            code = ZX_EXIT_NOINPUT;
        } else if (rc) {
            fprintf(stderr, "zhenxing substitutes: 无法写入：%s\n",
                    rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
            code = zx_cli_exit_code(rc);
        } else {
            printf("已设定 %s %d 年代课教师 %lld 人\n", pos[0], year, count);
        }
    }
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
