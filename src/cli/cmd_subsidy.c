/*
 * cmd_subsidy.c - `zhenxing subsidy`: the rural teacher subsidy of a year
 * (subsidy.h) per teacher, school and town, and --save of the roster into
 * the subsidy table the indicator subsidy-paid reads.
 */
#include "audit.h"
#include "cli.h"
#include "demo.h"
#include "export.h"
#include "planstore.h"
#include "rules.h"
#include "subsidy.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_subsidy[] =
    "用法: zhenxing [--db 路径] subsidy [--year 年度]\n"
    "                [--format table|csv|json] [--save [--paid]]\n"
    "\n"
    "按当年的补贴规则（zhenxing rules list subsidy）计算乡村教师补贴（条款\n"
    "3.3-F3）：计划所定乡村学校中当年在校任教（入校年份不晚于该年）的教师，\n"
    "用工类型在补贴范围内（employment.*）的符合条件；每人补贴 = 学校所在地\n"
    "档次的金额（建制镇所在地 amount.seat、其他镇区 amount.town、乡村\n"
    "amount.village）+ 任教年限加发（年度 − 入校年份 ≥ service.years2 加\n"
    "service.extra2，否则 ≥ service.years1 加 service.extra1）。\n"
    "table 列出各校、各区镇合计，csv 和 json 列出每位教师。\n"
    "\n"
    "选项:\n"
    "  --year 年度   默认为计划年度中不晚于今年的最后一年\n"
    "  --format 格式 table（默认）、csv 或 json\n"
    "  --save        把名册写入补贴表（指标“乡村教师补贴发放率”读取的数据），\n"
    "                一次写入、记一条审计；资格和金额未变的教师保留“已足额\n"
    "                发放”，其余记为未发放\n"
    "  --paid        与 --save 同用：记录当年名册已全部足额发放\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库或计划不存在\n";

static void print_table(const zx_subsidy *s, const char *plan_name)
{
    char a[32], b[32];
    int i;

    printf("%s：乡村教师补贴（%d 年）\n", plan_name, s->year);
    zx_cli_pad("学校标识码", 12);
    zx_cli_pad("学校名称", 30);
    printf("%10s %10s %16s\n", "教师数", "符合条件", "补贴合计(元)");
    for (i = 0; i < s->nschools; i++) {
        zx_cli_pad(s->schools[i].code, 12);
        zx_cli_pad(s->schools[i].name, 30);
        printf("%10s %12s %16.2f\n", zx_cli_grouped(s->schools[i].teachers, a),
               zx_cli_grouped(s->schools[i].eligible, b),
               s->schools[i].total);
    }
    puts("\n按区镇合计：");
    for (i = 0; i < s->ntowns; i++) {
        zx_cli_pad(*s->towns[i].name ? s->towns[i].name : "（未属区镇）", 42);
        printf("%10s %12s %16.2f\n", zx_cli_grouped(s->towns[i].teachers, a),
               zx_cli_grouped(s->towns[i].eligible, b), s->towns[i].total);
    }
    printf("\n全市：乡村学校教师 %d 人，符合条件 %lld 人，补贴合计 %.2f 元\n",
           s->nteachers, s->eligible, s->total);
}

static void print_csv(const zx_subsidy *s)
{
    static const char *const heads[] = {
        "教师编号", "姓名", "学校标识码", "学校名称", "区镇", "所在地档次",
        "任教年限", "用工类型代码", "符合条件", "补贴金额(元)"
    };
    char years[16], emp[16], amount[32];
    int i, c;

    fputs("\xef\xbb\xbf", stdout);
    for (c = 0; c < 10; c++)
        zx_cli_csv_cell(heads[c], c == 9);
    for (i = 0; i < s->nteachers; i++) {
        const zx_subsidy_teacher *t = &s->teachers[i];
        const zx_subsidy_unit *sc = &s->schools[t->school];

        snprintf(years, sizeof(years), "%d", t->years);
        snprintf(emp, sizeof(emp), "%d", t->employment);
        snprintf(amount, sizeof(amount), "%.2f", t->amount);
        zx_cli_csv_cell(t->no, 0);
        zx_cli_csv_cell(t->name, 0);
        zx_cli_csv_cell(sc->code, 0);
        zx_cli_csv_cell(sc->name, 0);
        zx_cli_csv_cell(s->towns[sc->town].name, 0);
        zx_cli_csv_cell(zx_subsidy_location_title(t->location), 0);
        zx_cli_csv_cell(years, 0);
        zx_cli_csv_cell(emp, 0);
        zx_cli_csv_cell(t->eligible ? "是" : "否", 0);
        zx_cli_csv_cell(amount, 1);
    }
}

static json_t *units_json(const zx_subsidy_unit *u, int n)
{
    json_t *arr = json_array(), *j;
    int i;

    for (i = 0; arr && i < n; i++) {
        j = json_pack("{s:s, s:s, s:I, s:I, s:f}", "code", u[i].code, "name",
                      u[i].name, "teachers", (json_int_t)u[i].teachers,
                      "eligible", (json_int_t)u[i].eligible, "total",
                      u[i].total);
        if (!j || json_array_append_new(arr, j)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *to_json(const zx_subsidy *s, const zx_rules *rules,
                       int synthetic)
{
    json_t *teachers = json_array(), *j;
    int i;

    for (i = 0; teachers && i < s->nteachers; i++) {
        const zx_subsidy_teacher *t = &s->teachers[i];

        j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:f}", "no", t->no,
                      "name", t->name, "school", s->schools[t->school].code,
                      "location", zx_subsidy_location_title(t->location),
                      "years", t->years, "employment", t->employment,
                      "eligible", t->eligible, "amount", t->amount);
        if (!j || json_array_append_new(teachers, j)) {
            json_decref(teachers);
            return NULL;
        }
    }
    if (!teachers)
        return NULL;
    return json_pack("{s:i, s:b, s:o, s:o, s:o, s:o, s:i, s:I, s:f}", "year",
                     s->year, "synthetic", synthetic, "rules",
                     zx_rules_json(rules), "teachers", teachers, "schools",
                     units_json(s->schools, s->nschools), "towns",
                     units_json(s->towns, s->ntowns), "considered",
                     s->nteachers, "eligible", (json_int_t)s->eligible,
                     "total", s->total);
}

int zx_cmd_subsidy(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = "table", *v;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_rules *rules = NULL;
    zx_subsidy *s = NULL;
    json_t *j = NULL;
    char *text;
    int i, r, rc, save = 0, paid = 0, fmt, year = 0, synthetic;
    int code = ZX_EXIT_SOFTWARE;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--save") == 0) {
            save = 1;
        } else if (strcmp(argv[i], "--paid") == 0) {
            paid = 1;
        } else if ((r = zx_cli_option(argc, argv, &i, "--year", "-y",
                                      &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt_s = v;
        } else if (r < 0) {
            code = zx_cli_usage_error("subsidy", "选项“%s”缺少取值", argv[i]);
            goto done;
        } else {
            code = zx_cli_usage_error("subsidy", "无法识别的参数“%s”",
                                      argv[i]);
            goto done;
        }
    }
    if ((code = zx_cli_format("subsidy", fmt_s, 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV, &fmt)))
        goto done;
    if (paid && !save) {
        code = zx_cli_usage_error("subsidy", "--paid 须与 --save 同用");
        goto done;
    }
    if ((year_s && (code = zx_cli_year("subsidy", year_s, &year))) ||
        (code = zx_cli_open_plan(cli, "subsidy", &db, &plan)))
        goto done;
    if (!year)
        year = zx_values_current_year(plan);
    code = ZX_EXIT_SOFTWARE;
    if ((rc = zx_rules_load(db, "subsidy", year, &rules)) ||
        (rc = zx_subsidy_compute(db, plan, year, rules, &s)))
        goto dberr;
    synthetic = zx_export_synthetic(db);
    if (fmt == ZX_CLI_TABLE) {
        print_table(s, zx_plan_name(plan));
    } else if (fmt == ZX_CLI_CSV) {
        print_csv(s);
    } else {
        if (!(j = to_json(s, rules, synthetic)) ||
            !(text = json_dumps(j, JSON_INDENT(2))))
            goto done;
        puts(text);
        free(text);
    }
    if (synthetic && fmt != ZX_CLI_JSON)
        fprintf(stderr, "%s\n", zx_demo_banner);
    if (s->eligible && s->total == 0)
        fprintf(stderr, "zhenxing subsidy: 提示：%d 年的补贴金额规则尚未设定"
                        "（zhenxing rules set subsidy amount.seat 金额 "
                        "--year %d 等）\n", year, year);
    if (save) {
        if ((rc = zx_subsidy_save(db, s, rules, paid, zx_audit_cli_actor())))
            goto dberr;
        fprintf(stderr, "已写入 %d 年乡村教师补贴名册：%d 人，符合条件 %lld "
                        "人，合计 %.2f 元%s\n", year, s->nteachers,
                s->eligible, s->total, paid ? "，已记为足额发放" : "");
    }
    code = ZX_EXIT_OK;
    goto done;

dberr:
    fprintf(stderr, "zhenxing subsidy: 无法计算补贴：%s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    code = zx_cli_exit_code(rc);

done:
    json_decref(j);
    zx_subsidy_free(s);
    zx_rules_free(rules);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
