/*
 * cmd_indicators.c - `zhenxing indicators`: where each target of the plan
 * stands, for a year, at a level, within a unit.
 */
#include "cli.h"
#include "indicator.h"
#include "planstore.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char zx_usage_indicators[] =
    "用法: zhenxing [--db 路径] indicators [--year 年度] [--unit 编码]\n"
    "                [--level city|town|group|school|all] [--id 指标]\n"
    "                [--format table|json|csv] [--accepted]\n"
    "\n"
    "按数据库中现行的计划计算各项指标：分子、分母、值、目标、当年里程碑和状态\n"
    "（达标 / 按期推进 / 滞后 / 无数据）。结果总是读取最新数据。\n"
    "\n"
    "选项:\n"
    "  --year 年度     默认为计划年度中不晚于今年的最后一年\n"
    "  --unit 编码     只看该单位及其下属（市、区镇、集团编码或学校标识码）\n"
    "  --level 层级    city 市、town 区镇、group 集团、school 学校、all 全部；\n"
    "                  默认为 --unit 所在层级，未指定单位时为 city\n"
    "  --id 指标       只算这一项指标（如 seed-teachers）\n"
    "  --format 格式   table（默认）、json 或 csv\n"
    "  --accepted      数据项只计已确认（review accept）的数据：未确认的单位\n"
    "                  视为未填报；学校、教师、在校生等名册数据不受影响\n";

struct out {
    int format;           /* ZX_CLI_* */
    json_t *arr;
    long n;
};

static void num_text(double v, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.1f", v);
}


static int print_result(void *ctx, const zx_result *r)
{
    struct out *o = ctx;
    char v[32], t[32], m[32], nu[32], de[32], frac[72];
    const char *unit = r->ind->unit ? r->ind->unit : "";

    num_text(r->value, v, sizeof(v));
    num_text(r->target, t, sizeof(t));
    num_text(r->milestone, m, sizeof(m));
    num_text(r->numerator, nu, sizeof(nu));
    num_text(r->denominator, de, sizeof(de));
    o->n++;
    if (o->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:o,"
                              " s:o, s:o, s:o, s:o, s:s, s:s, s:I, s:b}",
                              "id", r->ind->id, "clause", r->ind->clause,
                              "name", r->ind->name, "year", r->year,
                              "level", zx_level_name(r->level), "unit",
                              r->unit_code, "unit_name", r->unit_name,
                              "numerator", zx_result_figure_json(r->numerator),
                              "denominator", zx_result_figure_json(r->denominator),
                              "value", zx_result_figure_json(r->value), "target",
                              zx_result_figure_json(r->target), "milestone",
                              zx_result_figure_json(r->milestone), "baseline",
                              zx_result_figure_json(r->baseline), "status",
                              zx_status_id(r->status), "status_name",
                              zx_status_name(r->status), "entities",
                              (json_int_t)r->entities, "above_range",
                              r->above_range);
        return j && json_array_append_new(o->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (o->format == ZX_CLI_CSV) {
        char year[8];
        snprintf(year, sizeof(year), "%d", r->year);
        zx_cli_csv_cell(r->ind->id, 0);
        zx_cli_csv_cell(r->ind->clause, 0);
        zx_cli_csv_cell(r->ind->name, 0);
        zx_cli_csv_cell(year, 0);
        zx_cli_csv_cell(zx_level_name(r->level), 0);
        zx_cli_csv_cell(r->unit_code, 0);
        zx_cli_csv_cell(r->unit_name, 0);
        zx_cli_csv_cell(nu, 0);
        zx_cli_csv_cell(de, 0);
        zx_cli_csv_cell(v, 0);
        zx_cli_csv_cell(t, 0);
        zx_cli_csv_cell(m, 0);
        zx_cli_csv_cell(zx_status_name(r->status), 1);
        return 0;
    }
    if (isnan(r->denominator))
        snprintf(frac, sizeof(frac), "%s", nu);
    else
        snprintf(frac, sizeof(frac), "%s/%s", nu, de);
    zx_cli_pad(r->ind->id, 22);
    zx_cli_pad(r->ind->clause, 10);
    zx_cli_pad(r->unit_name, 24);
    zx_cli_pad(frac, 14);
    printf("%8s%-3s %6s%-3s %6s  %s%s\n", v, isnan(r->value) ? "" : unit, t,
           unit, m, zx_status_name(r->status),
           r->above_range ? "（超出区间上限）" : "");
    return 0;
}

/* The last plan year not after this calendar year. */
static int default_year(const zx_plan *plan)
{
    time_t now = time(NULL);
    struct tm tm;
    const int *years;
    int n, i, y;

    localtime_r(&now, &tm);
    years = zx_plan_years(plan, &n);
    y = n ? years[0] : zx_plan_baseline(plan);
    for (i = 0; i < n; i++)
        if (years[i] <= tm.tm_year + 1900)
            y = years[i];
    return y;
}

int zx_cmd_indicators(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *unit = NULL, *level_s = NULL, *id = NULL;
    const char *fmt = "table", *v;
    const zx_indicator *ind = NULL;
    struct out o = { 0, NULL, 0 };
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_engine *eng = NULL;
    zx_diag *diag = zx_diag_new();
    long long within = 0;
    unsigned flags = 0;
    int i, r, rc, code = ZX_EXIT_SOFTWARE, year, level = -1;

    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--year", NULL, &v)) > 0)
            year_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--unit", NULL,
                                          &v)) > 0)
            unit = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--level", NULL,
                                          &v)) > 0)
            level_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--id", NULL,
                                          &v)) > 0)
            id = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                          &v)) > 0)
            fmt = v;
        else if (!r && strcmp(argv[i], "--accepted") == 0)
            flags |= ZX_ENGINE_ACCEPTED;
        else if (r < 0) {
            code = zx_cli_usage_error("indicators", "选项“%s”缺少取值",
                                      argv[i]);
            goto done;
        } else {
            code = zx_cli_usage_error("indicators", "无法识别的参数“%s”",
                                      argv[i]);
            goto done;
        }
    }
    if ((code = zx_cli_format("indicators", fmt, 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV, &o.format)))
        goto done;
    if (level_s && strcmp(level_s, "all") == 0)
        level = ZX_NLEVELS;
    else if (level_s && (level = zx_level_parse(level_s)) < 0) {
        code = zx_cli_usage_error("indicators", "层级“%s”无效：应为 city、"
                                  "town、group、school 或 all", level_s);
        goto done;
    }
    if (!diag || (code = zx_cli_open_db(cli, 0, &db)))
        goto done;
    rc = zx_planstore_get(db, &plan, diag);
    if (rc == ZX_ENOTFOUND) {
        fprintf(stderr, "zhenxing indicators: 数据库中还没有计划，请先运行 "
                        "zhenxing init 或 zhenxing plan load 文件\n");
        code = ZX_EXIT_FAIL;
        goto done;
    }
    if (rc || (rc = zx_engine_open_mode(db, plan, flags, &eng, diag))) {
        zx_cli_print_diag(diag);
        code = zx_cli_exit_code(rc);
        goto done;
    }
    if (id && !(ind = zx_plan_indicator(plan, id))) {
        code = zx_cli_usage_error("indicators", "计划中没有指标“%s”", id);
        goto done;
    }
    year = year_s ? atoi(year_s) : default_year(plan);
    if (year < 1990 || year > 2100) {
        code = zx_cli_usage_error("indicators", "年度“%s”无效", year_s);
        goto done;
    }
    if (unit) {
        within = zx_db_int(db, "SELECT id FROM org_unit WHERE code = ?1",
                           unit, 0);
        if (!within) {
            fprintf(stderr, "zhenxing indicators: 没有编码为“%s”的单位\n",
                    unit);
            code = ZX_EXIT_NOINPUT;
            goto done;
        }
        if (level < 0) {
            char *kind = NULL;
            sqlite3_stmt *st = zx_db_prepare(db, "SELECT kind FROM org_unit"
                                                 " WHERE id = ?1");
            if (st) {
                sqlite3_bind_int64(st, 1, within);
                if (sqlite3_step(st) == SQLITE_ROW)
                    kind = strdup((const char *)sqlite3_column_text(st, 0));
                sqlite3_reset(st);
            }
            level = kind ? zx_level_parse(kind) : ZX_LEVEL_CITY;
            free(kind);
        }
    }
    if (level < 0)
        level = ZX_LEVEL_CITY;

    if (o.format == ZX_CLI_JSON)
        o.arr = json_array();
    else if (o.format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "指标,条款,名称,年度,层级,单位编码,单位,分子,分母,"
              "值,目标,里程碑,状态\r\n", stdout);
    else {
        printf("%s（%d 年%s）\n", zx_plan_name(plan), year,
               flags & ZX_ENGINE_ACCEPTED ? "，仅计已确认的数据" : "");
        zx_cli_pad("指标", 22);
        zx_cli_pad("条款", 10);
        zx_cli_pad("单位", 24);
        zx_cli_pad("分子/分母", 14);
        printf("%9s %10s %6s  %s\n", "值", "目标", "里程碑", "状态");
    }
    rc = zx_engine_eval(eng, ind, year,
                        level == ZX_NLEVELS ? ~0u : 1u << level, within,
                        print_result, &o);
    if (rc) {
        fprintf(stderr, "zhenxing indicators: 计算失败：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    if (o.format == ZX_CLI_JSON) {
        char *s = json_dumps(o.arr, JSON_INDENT(2));
        if (s) {
            puts(s);
            free(s);
        }
    }
    code = ZX_EXIT_OK;

done:
    json_decref(o.arr);
    zx_engine_close(eng);
    zx_plan_free(plan);
    zx_db_close(db);
    zx_diag_free(diag);
    return code;
}
