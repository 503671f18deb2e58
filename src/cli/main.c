/*
 * main.c - the zhenxing binary: global options and the command table.
 *
 *   zhenxing [--db PATH] COMMAND [ARGS...]
 *
 * As with git -C, global options come before the command.  Every command
 * answers --help from its usage text here, so help never drifts from the
 * table.
 */
#include "cli.h"
#include "lsan.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int cmd_help(zx_cli *cli, int argc, char **argv);

static const char usage_help[] =
    "用法: zhenxing help [命令]\n"
    "\n"
    "列出全部命令，或显示某个命令的帮助。\n";

static const zx_cmd commands[] = {
    { "init", zx_cmd_init, "创建或升级数据库", zx_usage_init },
    { "demo", zx_cmd_demo, "生成合成的演示数据（海门规模）", zx_usage_demo },
    { "import", zx_cmd_import, "从 CSV/XLSX 导入学校、在校生、教师、称号",
      zx_usage_import },
    { "export", zx_cmd_export, "导出为 CSV、XLSX 或 JSON", zx_usage_export },
    { "template", zx_cmd_template, "生成空白的 Excel 导入模板",
      zx_usage_template },
    { "summary", zx_cmd_summary, "显示数据库概况", zx_usage_summary },
    { "plan", zx_cmd_plan, "检查、查看或载入计划文件", zx_usage_plan },
    { "indicators", zx_cmd_indicators, "计算各项指标的完成情况",
      zx_usage_indicators },
    { "tasks", zx_cmd_tasks, "各项任务在各单位的进展（逾期在前）",
      zx_usage_tasks },
    { "gaps", zx_cmd_gaps, "乡村学校教师发展角色的缺口清单",
      zx_usage_gaps },
    { "task", zx_cmd_task, "查看、更新任务，附加或取回佐证文件",
      zx_usage_task },
    { "values", zx_cmd_values, "查看或填写数据项的值", zx_usage_values },
    { "training", zx_cmd_training, "乡村教师培训台账：基地、课程、选课、学时",
      zx_usage_training },
    { "rules", zx_cmd_rules, "按年度查看或设定经费、补贴等机制的规则",
      zx_usage_rules },
    { "funding", zx_cmd_funding, "生均公用经费：逐校核定、按区镇学段合计、假设测算",
      zx_usage_funding },
    { "subsidy", zx_cmd_subsidy, "乡村教师补贴：逐人核定、按校按区镇合计",
      zx_usage_subsidy },
    { "rotation", zx_cmd_rotation, "交流轮岗：符合条件教师、各校指标、方案、确认与记录",
      zx_usage_rotation },
    { "substitutes", zx_cmd_substitutes, "代课教师：逐年人数、消除进度与落后学校",
      zx_usage_substitutes },
    { "itinerant", zx_cmd_itinerant, "紧缺学科走教：走教名单、排课、课表、需求覆盖",
      zx_usage_itinerant },
    { "staffing", zx_cmd_staffing, "编制核定：逐校、分学科的编制数与实有数，"
      "超编缺编名单", zx_usage_staffing },
    { "redistribution", zx_cmd_redistribution, "超编教师调配：最优调配方案、"
      "确认", zx_usage_redistribution },
    { "pairing", zx_cmd_pairing, "结对帮扶：名单、设置、结对方案、确认与活动",
      zx_usage_pairing },
    { "review", zx_cmd_review, "年度数据的上报、审核、退回与确认",
      zx_usage_review },
    { "audit", zx_cmd_audit, "查阅审计日志，或校验其哈希链", zx_usage_audit },
    { "user", zx_cmd_user, "管理登录账户（角色、单位、密码）", zx_usage_user },
    { "backup", zx_cmd_backup, "运行中为数据库做一致的副本", zx_usage_backup },
    { "serve", zx_cmd_serve, "启动网页界面和 JSON 接口", zx_usage_serve },
    { "help", cmd_help, "显示帮助", usage_help },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const zx_cmd *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    size_t i;

    fputs("振兴 zhenxing —— 乡村教育振兴行动计划管理与督查\n"
          "\n"
          "用法: zhenxing [--db 路径] 命令 [参数...]\n"
          "\n"
          "全局选项:\n"
          "  --db 路径      数据库文件（也可用环境变量 ZHENXING_DB；"
          "默认 var/zhenxing.db）\n"
          "  -h, --help     显示本帮助\n"
          "\n"
          "命令:\n",
          out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n用 zhenxing 命令 --help 查看某个命令的详细用法。\n", out);
}

static int cmd_help(zx_cli *cli, int argc, char **argv)
{
    const zx_cmd *c;

    (void)cli;
    if (argc < 2) {
        print_overview(stdout);
        return ZX_EXIT_OK;
    }
    c = find_command(argv[1]);
    if (!c)
        return zx_cli_usage_error("help", "没有名为“%s”的命令", argv[1]);
    fputs(c->usage, stdout);
    return ZX_EXIT_OK;
}

int main(int argc, char **argv)
{
    zx_cli cli;
    const zx_cmd *c;
    int i = 1, j;

    setlocale(LC_ALL, "C.UTF-8");
    cli.prog = "zhenxing";
    cli.db_path = getenv("ZHENXING_DB");
    if (!cli.db_path || !*cli.db_path)
        cli.db_path = "var/zhenxing.db";

    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db_path = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            print_overview(stdout);
            return ZX_EXIT_OK;
        } else {
            fprintf(stderr, "zhenxing: 未知的全局选项“%s”\n\n", argv[i]);
            print_overview(stderr);
            return ZX_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_overview(stderr);
        return ZX_EXIT_USAGE;
    }
    c = find_command(argv[i]);
    if (!c) {
        fprintf(stderr, "zhenxing: 没有名为“%s”的命令；"
                        "运行 zhenxing help 查看全部命令\n", argv[i]);
        return ZX_EXIT_USAGE;
    }
    for (j = i + 1; j < argc; j++) {
        if (strcmp(argv[j], "--") == 0)
            break;
        if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
            fputs(c->usage, stdout);
            return ZX_EXIT_OK;
        }
    }
    return c->run(&cli, argc - i, argv + i);
}
