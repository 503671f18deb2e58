/*
 * cmd_funding.c - `zhenxing funding`: public funds per student per school
 * for a year (funding.h), with town and stage totals, what-ifs on the
 * rule values, and --save into the funding table the indicators read.
 */
#include "audit.h"
#include "cli.h"
#include "demo.h"
#include "export.h"
#include "funding.h"
#include "fundsheet.h"
#include "planstore.h"
#include "rules.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_funding[] =
    "用法: zhenxing [--db 路径] funding [--year 年度]\n"
    "                [--format table|csv|xlsx|json] [--out 文件]\n"
    "                [--what-if 规则=取值 ...] [--save]\n"
    "\n"
    "按当年的经费规则（zhenxing rules list funding）计算每所学校的生均公用\n"
    "经费（条款 3.3-F1、3.3-F2）：\n"
    "  核定学生数  计划所定的乡村义务教育学校在校生不足 floor（500）人的，\n"
    "              按 floor 人核定；城区学校不设下限\n"
    "  基本经费    （核定学生数 − 特教学生数）× 学段生均标准；九年一贯制等\n"
    "              跨学段学校按学制年数（years.*）分摊学生\n"
    "  特教经费    特教学生数 × per_student.special（特殊教育学校为全部学生）\n"
    "  寄宿经费    寄宿生数 × boarder\n"
    "  倾斜系数    非建制镇所在地学校乘 tilt.not_seat；当年填报为薄弱学校\n"
    "              （学校数据项 weak_school）的再乘 tilt.weak\n"
    "  公用经费    （基本 + 特教 + 寄宿）× 倾斜系数，精确到分\n"
    "并按区镇、学段合计。\n"
    "\n"
    "选项:\n"
    "  --year 年度          默认为计划年度中不晚于今年的最后一年\n"
    "  --format 格式        table（默认）、csv、xlsx 或 json\n"
    "  --out 文件           写入文件（xlsx 默认写到标准输出）\n"
    "  --what-if 规则=取值  假设某项规则取另一值（可重复），列出每校和合计的\n"
    "                       变化；不写入数据库\n"
    "  --save               把计算结果写入经费表（指标读取的数据），一次写入、\n"
    "                       记一条审计；不能与 --what-if 同用\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库或计划不存在；74 文件无法写入\n";

#define MAXWHATIF 32

static void print_csv(const zx_funding *f, const zx_funding *was)
{
    char v[64];
    int i, c, n = was ? ZX_FUNDSHEET_WHATIF_COLS : ZX_FUNDSHEET_COLS;

    fputs("\xef\xbb\xbf", stdout);
    for (c = 0; c < n; c++)
        zx_cli_csv_cell(zx_fundsheet_head(c), c == n - 1);
    for (i = 0; i < f->nschools; i++)
        for (c = 0; c < n; c++) {
            zx_fundsheet_cell(&f->schools[i], was ? &was->schools[i] : NULL,
                              c, v, sizeof(v));
            zx_cli_csv_cell(v, c == n - 1);
        }
}

static void print_table(const zx_funding *f, const zx_funding *was,
                        const char *plan_name)
{
    char a[32], b[32];
    int i, s;

    printf("%s：生均公用经费（%d 年%s）\n", plan_name, f->year,
           was ? "，假设测算" : "");
    zx_cli_pad("学校标识码", 12);
    zx_cli_pad("学校名称", 30);
    zx_cli_pad("区镇", 12);
    printf("%8s %10s %16s%s\n", "在校生数", "核定学生数", "公用经费(元)",
           was ? "        变化(元)" : "");
    for (i = 0; i < f->nschools; i++) {
        const zx_funding_school *sc = &f->schools[i];

        zx_cli_pad(sc->code, 12);
        zx_cli_pad(sc->name, 30);
        zx_cli_pad(*sc->town ? sc->town : "-", 12);
        printf("%12s %15s %16.2f", zx_cli_grouped(sc->students, a),
               zx_cli_grouped(sc->funded, b), sc->total);
        if (was)
            printf(" %15.2f", sc->total - was->schools[i].total);
        putchar('\n');
    }
    puts("\n按区镇合计：");
    for (i = 0; i < f->ntowns; i++) {
        zx_cli_pad(*f->towns[i].name ? f->towns[i].name : "（未属区镇）", 16);
        printf("%16.2f", f->towns[i].total);
        if (was)
            printf(" %15.2f", f->towns[i].total - was->towns[i].total);
        putchar('\n');
    }
    puts("\n按学段合计：");
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++) {
        zx_cli_pad(zx_funding_stage_title((enum zx_funding_stage)s), 16);
        printf("%16.2f", f->stage[s]);
        if (was)
            printf(" %15.2f", f->stage[s] - was->stage[s]);
        putchar('\n');
    }
    printf("\n全市：%d 所学校，在校生 %s 人，核定学生 %s 人，公用经费 %.2f 元",
           f->nschools, zx_cli_grouped(f->students, a),
           zx_cli_grouped(f->funded, b), f->total);
    if (was)
        printf("（调整前 %.2f 元，变化 %.2f 元）", was->total,
               f->total - was->total);
    putchar('\n');
}

/* Applies "KEY=VALUE" to rules; returns an exit status. */
static int what_if(zx_rules *rules, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char key[64], *end;
    double v, lo, hi;

    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(key))
        return zx_cli_usage_error("funding", "--what-if“%s”应写作 规则=取值",
                                  arg);
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = 0;
    v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end)
        return zx_cli_usage_error("funding", "--what-if“%s”的取值不是数",
                                  arg);
    switch (zx_rules_override(rules, key, v)) {
    case ZX_OK:
        return ZX_EXIT_OK;
    case ZX_ENOTFOUND:
        return zx_cli_usage_error("funding", "没有名为“%s”的经费规则；"
                                  "见 zhenxing rules list funding", key);
    default:
        zx_rules_range("funding", key, &lo, &hi);
        return zx_cli_usage_error("funding", "规则 %s 的取值应在 %g～%g 之间",
                                  key, lo, hi);
    }
}

int zx_cmd_funding(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = "table", *out = NULL, *v;
    const char *ifs[MAXWHATIF];
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_rules *rules = NULL, *alt = NULL;
    zx_funding *f = NULL, *was = NULL;
    zx_export_file ef;
    json_t *j = NULL;
    int i, r, rc, nifs = 0, save = 0, fmt, year = 0, synthetic;
    int code = ZX_EXIT_SOFTWARE;

    memset(&ef, 0, sizeof(ef));
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--save") == 0) {
            save = 1;
        } else if ((r = zx_cli_option(argc, argv, &i, "--year", "-y",
                                      &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                            &v)) > 0) {
            out = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--what-if",
                                            NULL, &v)) > 0) {
            if (nifs == MAXWHATIF) {
                code = zx_cli_usage_error("funding", "--what-if 最多 %d 项",
                                          MAXWHATIF);
                goto done;
            }
            ifs[nifs++] = v;
        } else if (r < 0) {
            code = zx_cli_usage_error("funding", "选项“%s”缺少取值", argv[i]);
            goto done;
        } else {
            code = zx_cli_usage_error("funding", "无法识别的参数“%s”",
                                      argv[i]);
            goto done;
        }
    }
    if ((code = zx_cli_format("funding", fmt_s, 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV | 1u << ZX_CLI_XLSX,
                              &fmt)))
        goto done;
    if (save && nifs) {
        code = zx_cli_usage_error("funding", "--save 不能与 --what-if 同用："
                                  "假设测算不写入；要改变规则请用 zhenxing "
                                  "rules set");
        goto done;
    }
    if (out && fmt != ZX_CLI_XLSX) {
        code = zx_cli_usage_error("funding", "--out 只用于 xlsx 格式");
        goto done;
    }
    if ((year_s && (code = zx_cli_year("funding", year_s, &year))) ||
        (code = zx_cli_open_plan(cli, "funding", &db, &plan)))
        goto done;
    if (!year)
        year = zx_values_current_year(plan);
    code = ZX_EXIT_SOFTWARE;
    if ((rc = zx_rules_load(db, "funding", year, &rules)))
        goto dberr;
    if (nifs) {
        if (!(alt = zx_rules_copy(rules)))
            goto done;
        for (i = 0; i < nifs; i++)
            if ((code = what_if(alt, ifs[i])))
                goto done;
        code = ZX_EXIT_SOFTWARE;
        if ((rc = zx_funding_compute(db, plan, year, rules, &was)))
            goto dberr;
    }
    if ((rc = zx_funding_compute(db, plan, year, alt ? alt : rules, &f)))
        goto dberr;
    synthetic = zx_export_synthetic(db);
    if (fmt == ZX_CLI_TABLE)
        print_table(f, was, zx_plan_name(plan));
    else if (fmt == ZX_CLI_CSV)
        print_csv(f, was);
    else if (fmt == ZX_CLI_JSON) {
        char *s;

        if (!(j = zx_fundsheet_json(f, was, alt ? alt : rules, synthetic)) ||
            !(s = json_dumps(j, JSON_INDENT(2))))
            goto done;
        puts(s);
        free(s);
    } else {
        if (zx_export_file_open(&ef, out, 1) != ZX_OK ||
            zx_fundsheet_write_xlsx(ef.name, f, was, synthetic) != ZX_OK ||
            zx_export_file_close(&ef, 1) != ZX_OK) {
            fprintf(stderr, "zhenxing funding: 无法写入 %s：%s\n",
                    out ? out : "标准输出", zx_export_strerror(errno));
            zx_export_file_close(&ef, 0);
            code = ZX_EXIT_IO;
            goto done;
        }
    }
    if (synthetic && fmt == ZX_CLI_CSV)
        fprintf(stderr, "%s\n", zx_demo_banner);
    if (save) {
        if ((rc = zx_funding_save(db, f, rules, zx_audit_cli_actor())))
            goto dberr;
        fprintf(stderr, "已写入 %d 年 %d 所学校的公用经费，合计 %.2f 元\n",
                year, f->nschools, f->total);
    }
    code = ZX_EXIT_OK;
    goto done;

dberr:
    fprintf(stderr, "zhenxing funding: 无法计算经费：%s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    code = zx_cli_exit_code(rc);

done:
    json_decref(j);
    zx_funding_free(f);
    zx_funding_free(was);
    zx_rules_free(rules);
    zx_rules_free(alt);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
