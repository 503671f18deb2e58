/*
 * cmd_rules.c - `zhenxing rules`: list and set the rates, ratios and
 * thresholds of the mechanisms per year (rules.h).
 */
#include "audit.h"
#include "cli.h"
#include "planstore.h"
#include "rules.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_rules[] =
    "用法: zhenxing [--db 路径] rules list 类别 [--year 年度]\n"
    "       zhenxing [--db 路径] rules set 类别 规则 取值 --year 年度"
    " [--note 说明]\n"
    "\n"
    "机制所用的标准、比例和门槛都是按年度保存的规则，由办公室修改，每次修改\n"
    "连同原值记入审计日志。某年没有设定的规则取内置默认值（来源见 list 的\n"
    "“来源”列）。\n"
    "\n"
    "类别:\n"
    "  funding   生均公用经费（zhenxing funding，条款 3.3-F1、3.3-F2）\n"
    "  subsidy   乡村教师补贴（zhenxing subsidy，条款 3.3-F3）\n"
    "  rotation  交流轮岗（zhenxing rotation，条款 3.4.3-T7）\n"
    "  substitutes 代课教师消除（zhenxing substitutes，条款 3.4.3-T9）\n"
    "  itinerant 紧缺学科走教（zhenxing itinerant，条款 3.4.3-T10）\n"
    "  staffing  编制标准（zhenxing staffing）\n"
    "  curriculum 各学段每班每周课时与教师周课时量（zhenxing staffing 分学科）\n"
    "  redistribution 超编教师调配（zhenxing redistribution，条款 3.4.3-T8）\n"
    "\n"
    "  list      列出该类别每条规则当年的取值、默认值、是否已设定和来源\n"
    "  set       设定当年某条规则的取值（--note 可写文件号等说明）\n"
    "\n"
    "选项:\n"
    "  --year 年度   list 默认为计划年度中不晚于今年的最后一年；set 必须给出\n"
    "  --note 说明   set 时记下的说明\n"
    "\n"
    "退出码: 0 成功；64 用法错误；65 取值超出范围；66 数据库或规则不存在\n";

static int print_rule(void *ctx, const zx_rule_row *r)
{
    (void)ctx;
    zx_cli_pad(r->key, 26);
    printf("%12g %12g  %-4s ", r->value, r->def, r->is_set ? "已设" : "默认");
    printf("%s；来源：%s%s%s\n", r->title, r->source,
           r->note ? "；说明：" : "", r->note ? r->note : "");
    return 0;
}

static int parse_year(const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);

    if (*end || end == s || y < 1990 || y > 2100)
        return zx_cli_usage_error("rules", "年度“%s”无效：应为 1990～2100 "
                                  "的年份", s);
    *year = (int)y;
    return ZX_EXIT_OK;
}

int zx_cmd_rules(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *note = NULL, *v, *pos[4];
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_diag *diag = NULL;
    double value, lo, hi;
    char *end;
    int i, r, rc, npos = 0, year = 0, code;

    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--year", "-y", &v)) > 0)
            year_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--note", NULL,
                                          &v)) > 0)
            note = v;
        else if (r < 0)
            return zx_cli_usage_error("rules", "选项“%s”缺少取值", argv[i]);
        else if (argv[i][0] == '-' && argv[i][1] && npos != 3)
            return zx_cli_usage_error("rules", "无法识别的参数“%s”",
                                      argv[i]);
        else if (npos == 4)
            return zx_cli_usage_error("rules", "多余的参数“%s”", argv[i]);
        else
            pos[npos++] = argv[i];
    }
    if (npos < 2)
        return zx_cli_usage_error("rules", "用法：rules list 类别 或 rules "
                                  "set 类别 规则 取值 --year 年度");
    if (!zx_rules_kind_known(pos[1])) {
        const char *kinds[32];
        char list[512] = "";
        int k, n = zx_rules_kinds(kinds, 32);

        for (k = 0; k < n; k++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list),
                     "%s%s", k ? "、" : "", kinds[k]);
        return zx_cli_usage_error("rules", "没有“%s”类别的规则：应为 %s",
                                  pos[1], list);
    }
    if (year_s && (code = parse_year(year_s, &year)))
        return code;
    if (strcmp(pos[0], "list") == 0) {
        if (npos != 2)
            return zx_cli_usage_error("rules", "rules list 只需一个类别");
        if ((code = zx_cli_open_db(cli, 0, &db)))
            return code;
        code = ZX_EXIT_SOFTWARE;
        if (!year) {
            if (!(diag = zx_diag_new()))
                goto done;
            if ((rc = zx_planstore_get(db, &plan, diag))) {
                zx_cli_print_diag(diag);
                code = zx_cli_exit_code(rc);
                goto done;
            }
            year = zx_values_current_year(plan);
        }
        printf("%s 类规则（%d 年）\n", pos[1], year);
        zx_cli_pad("规则", 26);
        printf("%12s %12s  %-4s %s\n", "取值", "默认值", "状态", "说明");
        if ((rc = zx_rules_list(db, pos[1], year, print_rule, NULL))) {
            fprintf(stderr, "zhenxing rules: %s\n", zx_db_errmsg(db));
            code = zx_cli_exit_code(rc);
            goto done;
        }
        code = ZX_EXIT_OK;
        goto done;
    }
    if (strcmp(pos[0], "set") != 0)
        return zx_cli_usage_error("rules", "未知的子命令“%s”：应为 list 或 "
                                  "set", pos[0]);
    if (npos != 4)
        return zx_cli_usage_error("rules", "用法：rules set 类别 规则 取值 "
                                  "--year 年度");
    if (!year)
        return zx_cli_usage_error("rules", "rules set 需要 --year 年度");
    value = strtod(pos[3], &end);
    if (end == pos[3] || *end)
        return zx_cli_usage_error("rules", "取值“%s”不是数", pos[3]);
    if (zx_rules_range(pos[1], pos[2], &lo, &hi) != ZX_OK) {
        fprintf(stderr, "zhenxing rules: %s 类没有名为“%s”的规则；见 "
                        "zhenxing rules list %s\n", pos[1], pos[2], pos[1]);
        return ZX_EXIT_NOINPUT;
    }
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    rc = zx_rules_set(db, pos[1], year, pos[2], value, note,
                      zx_audit_cli_actor());
    if (rc == ZX_EINVAL) {
        fprintf(stderr, "zhenxing rules: 规则 %s 的取值应在 %g～%g 之间\n",
                pos[2], lo, hi);
        code = ZX_EXIT_DATA;
    } else if (rc) {
        fprintf(stderr, "zhenxing rules: 无法保存：%s\n", zx_db_errmsg(db));
        code = zx_cli_exit_code(rc);
    } else {
        printf("已设定 %d 年 %s 规则 %s = %g\n", year, pos[1], pos[2], value);
        code = ZX_EXIT_OK;
    }

done:
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
    return code;
}
