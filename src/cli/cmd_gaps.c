/*
 * cmd_gaps.c - `zhenxing gaps`: the gap lists of the development roles
 * (devroles.h): which rural school lacks seed or model teachers, a
 * subject leader or a research project in a subject, a young reserve
 * cadre, or a mentor for a young teacher, in a year.
 */
#include "cli.h"
#include "devroles.h"
#include "planstore.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_gaps[] =
    "用法: zhenxing [--db 路径] gaps [--check 检查[,检查...]] [--unit 编码]\n"
    "                [--year 年度] [--format table|csv|json]\n"
    "\n"
    "按数据库中现行的计划，逐校列出乡村学校在教师发展角色上的缺口：哪所学校\n"
    "缺什么、现有多少、应有多少。只计计划所定的乡村学校；称号按当年在任计：\n"
    "起始年份不晚于该年，且截止年份为空或不早于该年。人数要求取自计划的设置\n"
    "（settings），括号中为海门计划的取值。\n"
    "\n"
    "检查（--check，可用逗号列出多项；默认 all，即全部）:\n"
    "  seed            种子教师：每校 seed_teachers 名（2—3 名，条款 3.5.3-N3）；\n"
    "                  少于下限为缺口，多于上限注明“超出”（可与其他学校共享）\n"
    "  model           榜样教师：每校 model_teachers 名（1—2 名，条款 3.5.3-N2）\n"
    "  subject-leader  学校开设的每个学科（本校教师任教的学科）都有本校该学科的\n"
    "                  学科带头人（任一级别，含校级；条款 3.4.2-T6）\n"
    "  project         开设的每个学科都有在研课题：本校该学科有教师填报了当年的\n"
    "                  “在研课题”（教师数据项 research_project；条款 3.4.2-T6）\n"
    "  cadres          每校至少 1 名 reserve_cadre_decade 年代出生的青年后备干部\n"
    "                  （90 后）；全市提拔任用 80 后青年后备干部人数（指标\n"
    "                  promoted-80s，按全市判定）未达到当年节点或无数据时，\n"
    "                  在全市的清单中另列一行（条款 3.1-P5）\n"
    "  mentor          当年不超过 young_teacher_age 周岁（35 周岁）、本人不是\n"
    "                  学科带头人的青年教师没有青蓝结对的师傅：结对名单中没有\n"
    "                  以其为帮扶对象、在当年或之前已确认的结对（任一结对项目；\n"
    "                  条款 3.4.2-T4）\n"
    "  all             以上全部\n"
    "\n"
    "选项:\n"
    "  --check 检查    见上\n"
    "  --unit 编码     只看该单位内的学校（市、区镇、集团编码或学校标识码）\n"
    "  --year 年度     默认为计划年度中不晚于今年的最后一年\n"
    "  --format 格式   table（默认）、csv 或 json\n"
    "\n"
    "计划没有某项检查所需的设置或数据项时，跳过该项并在标准错误中说明。\n"
    "\n"
    "退出码: 0 成功（有无缺口都是 0）；64 用法错误；65 计划中的设置有误；\n"
    "        66 数据库、计划或单位不存在\n";

struct out {
    int format;           /* ZX_CLI_* */
    int year;
    json_t *arr;
    long gaps[ZX_DEVROLES_NCHECKS], over[ZX_DEVROLES_NCHECKS];
};

static const char *kind_name(enum zx_devroles_kind k)
{
    return k == ZX_DEVROLES_OVER ? "超出" : "缺口";
}

static int print_row(void *ctx, const zx_devroles_row *r)
{
    struct out *o = ctx;
    const char *title = zx_devroles_check_title(r->check);
    char have[24], need[24], subject[16];

    if (r->kind == ZX_DEVROLES_OVER)
        o->over[r->check]++;
    else
        o->gaps[r->check]++;
    snprintf(have, sizeof(have), "%lld", r->have);
    snprintf(need, sizeof(need), "%lld", r->need);
    if (o->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s?, s:s, s:i, s:s, s:s, s:s, s:s,"
                              " s:s, s:o, s:s?, s:s?, s:s?, s:s, s:I, s:I}",
                              "check", zx_devroles_check_id(r->check),
                              "check_name", title, "indicator", r->indicator,
                              "clause", zx_devroles_check_clause(r->check),
                              "year", o->year, "kind",
                              r->kind == ZX_DEVROLES_OVER ? "over" : "gap",
                              "kind_name", kind_name(r->kind), "unit",
                              r->unit_code, "unit_name", r->unit_name, "town",
                              r->town, "subject",
                              r->subject ? json_integer(r->subject)
                                         : json_null(),
                              "subject_name", r->subject_name, "teacher_no",
                              r->teacher_no, "teacher_name", r->teacher_name,
                              "what", r->what, "have", (json_int_t)r->have,
                              "need", (json_int_t)r->need);
        return j && json_array_append_new(o->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (o->format == ZX_CLI_CSV) {
        snprintf(subject, sizeof(subject), "%d", r->subject);
        zx_cli_csv_cell(title, 0);
        zx_cli_csv_cell(zx_devroles_check_id(r->check), 0);
        zx_cli_csv_cell(r->indicator ? r->indicator : "", 0);
        zx_cli_csv_cell(zx_devroles_check_clause(r->check), 0);
        zx_cli_csv_cell(kind_name(r->kind), 0);
        zx_cli_csv_cell(r->unit_code, 0);
        zx_cli_csv_cell(r->unit_name, 0);
        zx_cli_csv_cell(r->town, 0);
        zx_cli_csv_cell(r->subject ? subject : "", 0);
        zx_cli_csv_cell(r->subject_name ? r->subject_name : "", 0);
        zx_cli_csv_cell(r->teacher_no ? r->teacher_no : "", 0);
        zx_cli_csv_cell(r->teacher_name ? r->teacher_name : "", 0);
        zx_cli_csv_cell(r->what, 0);
        zx_cli_csv_cell(have, 0);
        zx_cli_csv_cell(need, 1);
        return 0;
    }
    zx_cli_pad(title, 14);
    zx_cli_pad(kind_name(r->kind), 6);
    zx_cli_pad(r->unit_code, 12);
    zx_cli_pad(r->unit_name, 30);
    zx_cli_pad(*r->town ? r->town : "-", 12);
    zx_cli_pad(r->subject_name ? r->subject_name : "-", 16);
    printf("%4s %4s  %s\n", have, need, r->what);
    return 0;
}

/* Reads --check: ids separated by commas, or all.  Returns the bit set,
 * or 0 after a usage message. */
static unsigned parse_checks(const char *s)
{
    unsigned bits = 0;
    char buf[128], *p, *save = NULL;
    int c;

    if (strlen(s) >= sizeof(buf)) {
        zx_cli_usage_error("gaps", "检查项“%s”太长", s);
        return 0;
    }
    strcpy(buf, s);
    for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (strcmp(p, "all") == 0) {
            bits |= ZX_DEVROLES_ALL;
            continue;
        }
        if ((c = zx_devroles_check_parse(p)) < 0) {
            zx_cli_usage_error("gaps", "未知的检查“%s”：应为 seed、model、"
                               "subject-leader、project、cadres、mentor 或 "
                               "all", p);
            return 0;
        }
        bits |= 1u << c;
    }
    if (!bits)
        zx_cli_usage_error("gaps", "--check 需要至少一项检查");
    return bits;
}

/* The id and name of the unit with code (the city when code is NULL);
 * *name is malloc'd.  Returns an exit status. */
static int find_unit(zx_db *db, const char *code, long long *id, char **name)
{
    sqlite3_stmt *st;
    int status = ZX_EXIT_SOFTWARE;

    st = zx_db_prepare(db, code ? "SELECT id, name FROM org_unit"
                                  " WHERE code = ?1"
                                : "SELECT id, name FROM org_unit"
                                  " WHERE kind = 'city'");
    if (!st)
        goto fail;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        *id = sqlite3_column_int64(st, 0);
        if (!(*name = strdup((const char *)sqlite3_column_text(st, 1))))
            goto fail;
        status = ZX_EXIT_OK;
        break;
    case SQLITE_DONE:
        if (code)
            fprintf(stderr, "zhenxing gaps: 没有编码为“%s”的单位\n", code);
        else
            fputs("zhenxing gaps: 数据库中还没有市级单位，请先运行 zhenxing "
                  "init\n", stderr);
        status = ZX_EXIT_NOINPUT;
        break;
    default:
        fprintf(stderr, "zhenxing gaps: %s\n", zx_db_errmsg(db));
    }

fail:
    if (st)
        sqlite3_reset(st);
    return status;
}

/* Prints the notes of checks the plan left out. */
static void print_notes(const zx_diag *diag)
{
    size_t i, n = zx_diag_count(diag);

    for (i = 0; i < n; i++)
        fprintf(stderr, "zhenxing gaps: 提示：%s\n", zx_diag_get(diag, i)->msg);
}

static void print_summary(const struct out *o)
{
    long gaps = 0, over = 0;
    int c, first = 1;

    for (c = 0; c < ZX_DEVROLES_NCHECKS; c++) {
        gaps += o->gaps[c];
        over += o->over[c];
    }
    if (gaps + over == 0) {
        puts("没有缺口");
        return;
    }
    printf("共 %ld 处缺口、%ld 处超出：", gaps, over);
    for (c = 0; c < ZX_DEVROLES_NCHECKS; c++) {
        if (o->gaps[c] + o->over[c] == 0)
            continue;
        printf("%s%s 缺口 %ld", first ? "" : "；",
               zx_devroles_check_title((enum zx_devroles_check)c),
               o->gaps[c]);
        if (o->over[c])
            printf("、超出 %ld", o->over[c]);
        first = 0;
    }
    putchar('\n');
}

int zx_cmd_gaps(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *unit = NULL, *fmt = "table", *v;
    unsigned checks = ZX_DEVROLES_ALL;
    struct out o;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_diag *diag = zx_diag_new();
    char *unit_name = NULL;
    long long unit_id = 0;
    int i, r, rc, code = ZX_EXIT_SOFTWARE;

    memset(&o, 0, sizeof(o));
    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--check", "-c", &v)) > 0) {
            if (!(checks = parse_checks(v))) {
                code = ZX_EXIT_USAGE;
                goto done;
            }
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--unit", "-u",
                                            &v)) > 0) {
            unit = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--year", "-y",
                                            &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt = v;
        } else if (r < 0) {
            code = zx_cli_usage_error("gaps", "选项“%s”缺少取值", argv[i]);
            goto done;
        } else {
            code = zx_cli_usage_error("gaps", "无法识别的参数“%s”", argv[i]);
            goto done;
        }
    }
    if ((code = zx_cli_format("gaps", fmt, 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV, &o.format)))
        goto done;
    if (!diag || (year_s && (code = zx_cli_year("gaps", year_s, &o.year))) ||
        (code = zx_cli_open_plan(cli, "gaps", &db, &plan)))
        goto done;
    if (!year_s)
        o.year = zx_values_current_year(plan);
    if ((code = find_unit(db, unit, &unit_id, &unit_name)))
        goto done;

    code = ZX_EXIT_SOFTWARE;
    if (o.format == ZX_CLI_JSON && !(o.arr = json_array()))
        goto done;
    if (o.format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "检查,检查编号,指标,条款,类型,单位编码,单位,区镇,"
              "学科代码,学科,教师编号,教师,说明,现有,要求\r\n", stdout);
    if (o.format == ZX_CLI_TABLE) {
        printf("%s：教师发展角色缺口（%d 年，%s）\n", zx_plan_name(plan),
               o.year, unit_name);
        zx_cli_pad("检查", 14);
        zx_cli_pad("类型", 6);
        zx_cli_pad("单位编码", 12);
        zx_cli_pad("单位", 30);
        zx_cli_pad("区镇", 12);
        zx_cli_pad("学科", 16);
        printf("%s %s  %s\n", "现有", "要求", "说明");
    }
    rc = zx_devroles_gaps(db, plan, checks, o.year, unit_id, print_row, &o,
                          diag);
    if (rc == ZX_EDATA) {
        fputs("zhenxing gaps: 计划中的设置有误：\n", stderr);
        zx_cli_print_diag(diag);
        code = ZX_EXIT_DATA;
        goto done;
    }
    if (rc) {
        fprintf(stderr, "zhenxing gaps: 无法列出缺口：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    if (o.format == ZX_CLI_JSON) {
        char *s = json_dumps(o.arr, JSON_INDENT(2));

        if (!s)
            goto done;
        puts(s);
        free(s);
    } else if (o.format == ZX_CLI_TABLE) {
        print_summary(&o);
    }
    print_notes(diag);
    code = ZX_EXIT_OK;

done:
    json_decref(o.arr);
    free(unit_name);
    zx_plan_free(plan);
    zx_db_close(db);
    zx_diag_free(diag);
    return code;
}
