/*
 * cmd_demo.c - `zhenxing demo [--scale city|province|N] [--seed S]`: fill
 * a new database with a synthetic Haimen-sized city (see demo.h).
 */
#include "audit.h"
#include "cli.h"
#include "demoplan.h"
#include "planstore.h"
#include "demo.h"
#include "zx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char zx_usage_demo[] =
    "用法: zhenxing [--db 路径] demo [--scale city|province|N] [--seed S]\n"
    "\n"
    "在已初始化（zhenxing init）且还没有学校的数据库中，生成一个海门规模的\n"
    "合成城市：12 个区镇、约 130 所学校（幼儿园、小学和教学点、初中、九年\n"
    "一贯制、高中、中职、特教）、教育集团和共同体、2019～2022 年在校生、\n"
    "7000～9000 名教师及其称号。数据经与导入相同的登记接口写入，遵守同样的\n"
    "规则；数据库标记为合成数据，概况和导出都会注明。\n"
    "\n"
    "合成数据不代表任何真实学校或教师，只能写入空数据库，以免与真实数据\n"
    "混在一起。\n"
    "\n"
    "选项:\n"
    "  --scale 规模   city：一个城市（默认）；province：约 100 个城市的规模\n"
    "                 （约 1.3 万所学校、80 万名教师，用于性能测试）；\n"
    "                 整数 N：N 个城市（1～1000）。多出的城市以“合成县NN”\n"
    "                 命名，区镇名称前加县名，例如“合成县07·常乐镇”\n"
    "  --seed S       随机种子，非负整数（默认 1）。同一种子、同一规模生成\n"
    "                 完全相同的数据\n"
    "\n"
    "示例:\n"
    "  zhenxing --db var/demo.db init\n"
    "  zhenxing --db var/demo.db demo --seed 7\n"
    "\n"
    "退出码: 0 成功；1 数据库已有学校或尚未初始化；64 用法错误\n";

static int parse_scale(const char *s, int *scale)
{
    char *end;
    long v;

    if (strcmp(s, "city") == 0) {
        *scale = 1;
        return 0;
    }
    if (strcmp(s, "province") == 0) {
        *scale = ZX_DEMO_PROVINCE;
        return 0;
    }
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > ZX_DEMO_MAX_SCALE)
        return -1;
    *scale = (int)v;
    return 0;
}

static int parse_seed(const char *s, unsigned long long *seed)
{
    char *end;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    *seed = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static void print_stats(const zx_cli *cli, const zx_demo_opts *o,
                        const zx_demo_stats *st, double secs)
{
    char a[32], b[32], c[32];
    int y;

    printf("%s\n", zx_demo_banner);
    printf("已在 %s 生成合成数据（种子 %llu，规模 %d 个城市，用时 %.2f 秒）：\n",
           cli->db_path, o->seed, o->scale, secs);
    printf("  区镇 %lld 个，教育集团、共同体和联盟 %lld 个，学校 %s 所\n",
           st->towns, st->groups, zx_cli_grouped(st->schools, a));
    printf("  教师 %s 名（其中代课教师 %s 名），教师称号 %s 条\n",
           zx_cli_grouped(st->teachers, a), zx_cli_grouped(st->substitutes, b),
           zx_cli_grouped(st->roles, c));
    printf("  在校生：");
    for (y = 0; y < ZX_DEMO_NYEARS; y++)
        printf("%s%d 年 %s 人", y ? "，" : "", ZX_DEMO_FIRST_YEAR + y,
               zx_cli_grouped(st->students[y], a));
    printf("\n查看概况: zhenxing --db %s summary\n", cli->db_path);
}

/* The plan in force, set in motion: data values for the baseline and the
 * plan years up to DEMO_AS_OF, and task progress as it stood then. */
#define DEMO_AS_OF 2021

static int fill_plan(zx_db *db, const zx_demo_opts *o)
{
    zx_plan *plan = NULL;
    zx_diag *diag = zx_diag_new();
    zx_demoplan_stats ps;
    int rc;

    rc = diag ? zx_planstore_get(db, &plan, diag) : ZX_ENOMEM;
    if (rc == ZX_ENOTFOUND) {
        zx_diag_free(diag);
        return ZX_EXIT_OK; /* a database made before plans: registry only */
    }
    if (rc == ZX_OK)
        rc = zx_demoplan_fill(db, plan, o->seed, DEMO_AS_OF, &ps);
    if (rc == ZX_OK)
        printf("  计划进展（截至 %d 年底）：数据项取值 %lld 条，任务进展 %lld 条，"
               "进展说明 %lld 条；结对帮扶候选 %lld 人（校）\n",
               DEMO_AS_OF, ps.values, ps.task_rows, ps.notes,
               ps.pool_members);
    else
        fprintf(stderr, "zhenxing demo: 计划进展未能生成：%s\n",
                zx_strerror(rc));
    zx_plan_free(plan);
    zx_diag_free(diag);
    return rc ? zx_cli_exit_code(rc) : ZX_EXIT_OK;
}

int zx_cmd_demo(zx_cli *cli, int argc, char **argv)
{
    zx_demo_opts o = { 1, 1, NULL };
    zx_demo_stats st;
    zx_db *db = NULL;
    zx_progress *bar;
    struct timespec t0, t1;
    const char *v;
    int i, r, rc, code;

    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--scale", NULL, &v)) > 0) {
            if (parse_scale(v, &o.scale))
                return zx_cli_usage_error("demo", "规模“%s”无效：应为 city、"
                                          "province 或 1～%d 的整数", v,
                                          ZX_DEMO_MAX_SCALE);
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--seed", NULL,
                                            &v)) > 0) {
            if (parse_seed(v, &o.seed))
                return zx_cli_usage_error("demo", "种子“%s”无效：应为非负整数",
                                          v);
        } else if (r < 0)
            return zx_cli_usage_error("demo", "选项“%s”需要一个值", argv[i]);
        else
            return zx_cli_usage_error("demo", "无法识别的参数“%s”", argv[i]);
    }
    o.actor = zx_audit_cli_actor();

    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bar = zx_progress_new("生成合成数据");
    rc = zx_demo_generate(db, &o, zx_progress_update, bar, &st);
    zx_progress_end(bar);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    switch (rc) {
    case ZX_OK:
        print_stats(cli, &o, &st,
                    (double)(t1.tv_sec - t0.tv_sec) +
                        (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        code = fill_plan(db, &o);
        break;
    case ZX_EEXIST:
        fprintf(stderr,
                "zhenxing demo: 数据库 %s 已有 %lld 所学校，未写入任何数据。\n"
                "合成数据只能写入新的空数据库，以免与真实数据混在一起；"
                "请用 --db 指定一个新文件，例如:\n"
                "  zhenxing --db 新文件.db init\n"
                "  zhenxing --db 新文件.db demo\n",
                cli->db_path,
                zx_db_int(db, "SELECT count(*) FROM school", NULL, 0));
        code = ZX_EXIT_FAIL;
        break;
    case ZX_ENOTFOUND:
        fprintf(stderr, "zhenxing demo: 数据库 %s 尚未初始化，请先运行:\n"
                        "  zhenxing --db %s init\n",
                cli->db_path, cli->db_path);
        code = ZX_EXIT_FAIL;
        break;
    default:
        fprintf(stderr, "zhenxing demo: 生成失败，未写入任何数据：%s（%s）\n",
                zx_strerror(rc), zx_db_errmsg(db));
        code = zx_cli_exit_code(rc);
    }
    zx_db_close(db);
    return code;
}
