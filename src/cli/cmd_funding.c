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
#include "planstore.h"
#include "rules.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

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

/* The columns of csv, json and xlsx; what-if adds the last two. */
static const char *const heads[] = {
    "学校标识码", "学校名称", "区镇", "乡村学校", "建制镇所在地", "薄弱学校",
    "在校生数", "核定学生数", "寄宿生数", "特教学生数", "基本经费(元)",
    "特教经费(元)", "寄宿经费(元)", "倾斜系数", "公用经费(元)",
    "调整前公用经费(元)", "变化(元)"
};
#define NBASECOLS 15
#define FIRSTNUM 6

/* The cells of school i as text; was (what-if baseline) or NULL. */
static int cells(const zx_funding_school *sc, const zx_funding_school *was,
                 char out[][40])
{
    snprintf(out[0], 40, "%s", sc->code);
    out[1][0] = out[2][0] = 0;  /* names are long: printed by the caller */
    snprintf(out[3], 40, "%s", sc->rural ? "是" : "否");
    snprintf(out[4], 40, "%s", sc->town_seat ? "是" : "否");
    snprintf(out[5], 40, "%s", sc->weak ? "是" : "否");
    snprintf(out[6], 40, "%lld", sc->students);
    snprintf(out[7], 40, "%lld", sc->funded);
    snprintf(out[8], 40, "%lld", sc->boarders);
    snprintf(out[9], 40, "%lld", sc->special);
    snprintf(out[10], 40, "%.2f", sc->base);
    snprintf(out[11], 40, "%.2f", sc->special_amount);
    snprintf(out[12], 40, "%.2f", sc->boarding);
    snprintf(out[13], 40, "%.4g", sc->coefficient);
    snprintf(out[14], 40, "%.2f", sc->total);
    if (!was)
        return NBASECOLS;
    snprintf(out[15], 40, "%.2f", was->total);
    snprintf(out[16], 40, "%.2f", sc->total - was->total);
    return NBASECOLS + 2;
}

static const char *name_cell(const zx_funding_school *sc, int c)
{
    return c == 1 ? sc->name : sc->town;
}

static void print_csv(const zx_funding *f, const zx_funding *was)
{
    char v[NBASECOLS + 2][40];
    int i, c, n = was ? NBASECOLS + 2 : NBASECOLS;

    fputs("\xef\xbb\xbf", stdout);
    for (c = 0; c < n; c++)
        zx_cli_csv_cell(heads[c], c == n - 1);
    for (i = 0; i < f->nschools; i++) {
        cells(&f->schools[i], was ? &was->schools[i] : NULL, v);
        for (c = 0; c < n; c++)
            zx_cli_csv_cell(c == 1 || c == 2 ? name_cell(&f->schools[i], c)
                                             : v[c], c == n - 1);
    }
}

static void print_table(const zx_funding *f, const zx_funding *was,
                        const char *plan_name)
{
    char v[NBASECOLS + 2][40], a[32], b[32];
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

        cells(sc, was ? &was->schools[i] : NULL, v);
        zx_cli_pad(sc->code, 12);
        zx_cli_pad(sc->name, 30);
        zx_cli_pad(*sc->town ? sc->town : "-", 12);
        printf("%12s %15s %16s", zx_cli_grouped(sc->students, a),
               zx_cli_grouped(sc->funded, b), v[14]);
        if (was)
            printf(" %15s", v[16]);
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

static json_t *stages_json(const double stage[])
{
    json_t *j = json_object();
    int s;

    for (s = 0; j && s < ZX_FUNDING_NSTAGES; s++)
        if (json_object_set_new(j, zx_funding_stage_title(
                                       (enum zx_funding_stage)s),
                                json_real(stage[s]))) {
            json_decref(j);
            return NULL;
        }
    return j;
}

static json_t *to_json(const zx_funding *f, const zx_funding *was,
                       const zx_rules *rules, int synthetic)
{
    json_t *schools = json_array(), *towns = json_array(), *j;
    int i;

    for (i = 0; schools && i < f->nschools; i++) {
        const zx_funding_school *sc = &f->schools[i];

        j = json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:I, s:I, s:I,"
                      " s:I, s:f, s:f, s:f, s:f, s:f, s:o}",
                      "code", sc->code, "name", sc->name, "town", sc->town,
                      "type_code", sc->type_code, "rural", sc->rural,
                      "town_seat", sc->town_seat, "weak", sc->weak,
                      "students", (json_int_t)sc->students, "funded",
                      (json_int_t)sc->funded, "boarders",
                      (json_int_t)sc->boarders, "special",
                      (json_int_t)sc->special, "base", sc->base,
                      "special_amount", sc->special_amount, "boarding",
                      sc->boarding, "coefficient", sc->coefficient, "total",
                      sc->total, "stages", stages_json(sc->stage));
        if (j && was &&
            json_object_set_new(j, "change",
                                json_real(sc->total - was->schools[i].total)))
            json_decref(j), j = NULL;
        if (!j || json_array_append_new(schools, j))
            goto fail;
    }
    for (i = 0; towns && i < f->ntowns; i++) {
        j = json_pack("{s:s, s:I, s:I, s:f, s:o}", "town", f->towns[i].name,
                      "students", (json_int_t)f->towns[i].students, "funded",
                      (json_int_t)f->towns[i].funded, "total",
                      f->towns[i].total, "stages",
                      stages_json(f->towns[i].stage));
        if (!j || json_array_append_new(towns, j))
            goto fail;
    }
    if (!schools || !towns)
        goto fail;
    j = json_pack("{s:i, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:f}", "year",
                  f->year, "synthetic", synthetic, "rules",
                  zx_rules_json(rules), "schools", schools, "towns", towns,
                  "stages", stages_json(f->stage), "students",
                  (json_int_t)f->students, "funded", (json_int_t)f->funded,
                  "total", f->total);
    if (j && was &&
        json_object_set_new(j, "total_before", json_real(was->total)))
        json_decref(j), j = NULL;
    return j;

fail:
    json_decref(schools);
    json_decref(towns);
    return NULL;
}

/* The workbook: a sheet of schools, a sheet of towns with a column chart
 * of their totals, and the demo banner on synthetic data. */
static lxw_error write_xlsx(const char *name, const zx_funding *f,
                            const zx_funding *was, int synthetic)
{
    lxw_workbook *wb = workbook_new(name);
    lxw_worksheet *ws, *wt;
    lxw_format *bold;
    lxw_chart *ch;
    lxw_chart_series *ser;
    char v[NBASECOLS + 2][40];
    int i, c, s, n = was ? NBASECOLS + 2 : NBASECOLS;

    if (!wb)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    ws = workbook_add_worksheet(wb, "学校");
    wt = workbook_add_worksheet(wb, "区镇");
    bold = workbook_add_format(wb);
    ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
    if (!ws || !wt || !bold || !ch)
        goto done;
    format_set_bold(bold);
    for (c = 0; c < n; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             c == 1 ? 30 : 14, NULL);
    }
    for (i = 0; i < f->nschools; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;

        cells(&f->schools[i], was ? &was->schools[i] : NULL, v);
        for (c = 0; c < n; c++) {
            if (c == 1 || c == 2)
                worksheet_write_string(ws, r, (lxw_col_t)c,
                                       name_cell(&f->schools[i], c), NULL);
            else if (c >= FIRSTNUM)
                worksheet_write_number(ws, r, (lxw_col_t)c,
                                       strtod(v[c], NULL), NULL);
            else
                worksheet_write_string(ws, r, (lxw_col_t)c, v[c], NULL);
        }
    }
    worksheet_write_string(wt, 0, 0, "区镇", bold);
    worksheet_write_string(wt, 0, 1, "在校生数", bold);
    worksheet_write_string(wt, 0, 2, "核定学生数", bold);
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
        worksheet_write_string(wt, 0, (lxw_col_t)(3 + s),
                               zx_funding_stage_title(
                                   (enum zx_funding_stage)s), bold);
    worksheet_write_string(wt, 0, 3 + ZX_FUNDING_NSTAGES, "公用经费(元)",
                           bold);
    worksheet_set_column(wt, 0, 3 + ZX_FUNDING_NSTAGES, 14, NULL);
    for (i = 0; i < f->ntowns; i++) {
        const zx_funding_town *t = &f->towns[i];
        lxw_row_t r = (lxw_row_t)i + 1;

        worksheet_write_string(wt, r, 0, *t->name ? t->name : "（未属区镇）",
                               NULL);
        worksheet_write_number(wt, r, 1, (double)t->students, NULL);
        worksheet_write_number(wt, r, 2, (double)t->funded, NULL);
        for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
            worksheet_write_number(wt, r, (lxw_col_t)(3 + s), t->stage[s],
                                   NULL);
        worksheet_write_number(wt, r, 3 + ZX_FUNDING_NSTAGES, t->total,
                               NULL);
    }
    if (f->ntowns) {
        chart_title_set_name(ch, "各区镇公用经费（元）");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        ser = chart_add_series(ch, NULL, NULL);
        if (ser) {
            chart_series_set_categories(ser, "区镇", 1, 0,
                                        (lxw_row_t)f->ntowns, 0);
            chart_series_set_values(ser, "区镇", 1, 3 + ZX_FUNDING_NSTAGES,
                                    (lxw_row_t)f->ntowns,
                                    3 + ZX_FUNDING_NSTAGES);
        }
        worksheet_insert_chart(wt, (lxw_row_t)f->ntowns + 2, 0, ch);
    }
    if (synthetic) {
        lxw_worksheet *wn = workbook_add_worksheet(wb, "说明");

        if (wn)
            worksheet_write_string(wn, 0, 0, zx_demo_banner, NULL);
    }

done:
    return workbook_close(wb);
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

        if (!(j = to_json(f, was, alt ? alt : rules, synthetic)) ||
            !(s = json_dumps(j, JSON_INDENT(2))))
            goto done;
        puts(s);
        free(s);
    } else {
        if (zx_export_file_open(&ef, out, 1) != ZX_OK ||
            write_xlsx(ef.name, f, was, synthetic) != LXW_NO_ERROR ||
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
