/*
 * cmd_staffing.c - `zhenxing staffing`: each school's staffing norm and
 * actual staff for a year (staffing.h), per subject with --subject, the
 * 超编 and 缺编 lists, town totals, and --save into the tables the plan's
 * indicators read.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "demo.h"
#include "export.h"
#include "staffing.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_staffing[] =
    "用法: zhenxing [--db 路径] staffing [--year 年度] [--unit 代码]\n"
    "                [--subject] [--save] [--format table|csv|xlsx|json]\n"
    "                [--out 文件]\n"
    "\n"
    "按当年的编制规则（zhenxing rules list staffing）和课程规则（zhenxing\n"
    "rules list curriculum）核定每所学校的编制数，与实有教职工数比较：\n"
    "  编制数    各学段在校生数 ÷ 生师比（小学 1:19、初中 1:13.5、高中\n"
    "            1:12.5）；幼儿园按班核定（每班 3 人，寄宿班另加）；在校生\n"
    "            少于 small.students（500）的学校取按生师比、按班师比二者之\n"
    "            大者；九年一贯制等跨学段学校按学制年数分摊学生和班级\n"
    "  实有数    在编、备案制教师（规则 employment.*）；代课教师另列\n"
    "  状态      实有数多于编制数为超编，少于为缺编，相等为持平；多于编制\n"
    "            数 × 计划设定 overstaffed_ratio（1.1）为超编比较严重\n"
    "  分学科    小学、初中各学科需求 = 班级数 × 每班每周课时 ÷ 教师周课时\n"
    "            量，与该学科实有教师比较；乡村学校紧缺学科（计划设定\n"
    "            scarce_subjects）每周缺口课时写入走教需求\n"
    "并列出超编、缺编学校名单和各区镇合计。\n"
    "\n"
    "选项:\n"
    "  --year 年度      默认为计划年度中不晚于今年的最后一年\n"
    "  --unit 代码      只列出该学校（学校标识码）或该区镇（代码或名称）\n"
    "  --subject        分学科列出需求、实有和余缺\n"
    "  --save           把全市结果写入编制表（指标“超编比较严重的乡村学校\n"
    "                   数”读取）、分学科编制表和走教需求表（保留已安排的\n"
    "                   走教课时），一次写入、记一条审计；不受 --unit 限制\n"
    "  --format 格式    table（默认）、csv、xlsx 或 json\n"
    "  --out 文件       xlsx 写入文件（默认写到标准输出）\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库或计划不存在；74 文件无法写入\n";

static int in_unit(const zx_staffing_school *sc, const char *unit)
{
    return !unit || strcmp(sc->code, unit) == 0 ||
           strcmp(sc->town_code, unit) == 0 || strcmp(sc->town, unit) == 0;
}

static const char *status_text(const zx_staffing_school *sc)
{
    return sc->serious ? "超编（比较严重）"
                       : zx_staffing_status_name(sc->status);
}

#define NCOLS(a) ((int)(sizeof(a) / sizeof(a[0])))

/* The columns of a school; with --subject those of a school's subjects,
 * each array's first line from the school and its second from the
 * subject. */
static const char *const school_keys[] = {
    "code", "name", "town", "students", "classes", "norm", "actual",
    "diff", "status_title", "by_class", "substitutes"
};
static const char *const school_heads[] = {
    "学校标识码", "学校名称", "区镇", "在校生数", "班级数", "编制数",
    "实有数", "差额", "状态", "按班核定", "代课教师"
};
static const int school_widths[] = { 11, 29, 11, 8, 6, 8, 6, 7, 17, 8, 7 };
static const char *const school_reals[] = {
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "%+.2f", NULL, NULL, NULL
};

static const char *const subject_keys[] = {
    "code", "name", "town",
    "name", "need", "actual", "diff", "hours_lacking"
};
static const char *const subject_heads[] = {
    "学校标识码", "学校名称", "区镇",
    "学科", "需求", "实有", "余缺", "每周缺口课时"
};
static const int subject_widths[] = { 11, 29, 11, 19, 7, 5, 7, 11 };
static const char *const subject_reals[] = {
    NULL, NULL, NULL,
    NULL, NULL, NULL, "%+.2f", NULL
};

/* The table's tail: town totals and the 超编 / 缺编 lists (by school, or
 * with --subject the shortages by subject). */
static void print_lists(const zx_staffing *s, const char *unit,
                        int by_subject)
{
    const zx_codelist *subjects = zx_codes_get("subject");
    int i, k, c, n;

    if (!unit) {
        puts("\n按区镇合计：");
        zx_cli_pad("区镇", 16);
        zx_cli_pad("编制数", 11);
        zx_cli_pad("实有数", 11);
        zx_cli_pad("超编校", 11);
        zx_cli_pad("缺编校", 11);
        zx_cli_pad("代课", 9);
        puts("其中严重");
        for (i = 0; i < s->ntowns; i++) {
            const zx_staffing_town *t = &s->towns[i];

            zx_cli_pad(*t->name ? t->name : "（未属区镇）", 16);
            printf("%-10.2f %-10lld %-10d %-10d %-8lld %d\n", t->norm,
                   t->actual, t->over, t->under, t->substitutes, t->serious);
        }
    }
    if (by_subject) {
        puts("\n分学科缺编（学校数，缺额合计）：");
        for (c = 0; c < subjects->n; c++) {
            int code = atoi(subjects->items[c].code), schools = 0;
            double short_ = 0;

            for (i = 0; i < s->nschools; i++) {
                const zx_staffing_subject *x =
                    zx_staffing_subject_of(&s->schools[i], code);

                if (x && x->diff < 0 && in_unit(&s->schools[i], unit)) {
                    schools++;
                    short_ -= x->diff;
                }
            }
            if (schools)
                printf("  %s：%d 所，缺 %.2f 人\n", subjects->items[c].name,
                       schools, short_);
        }
        return;
    }
    for (k = 0; k < 2; k++) {
        enum zx_staffing_status want = k ? ZX_STAFFING_UNDER
                                         : ZX_STAFFING_OVER;

        printf("\n%s学校：\n", k ? "缺编" : "超编");
        for (i = n = 0; i < s->nschools; i++) {
            const zx_staffing_school *sc = &s->schools[i];

            if (sc->status != want || !in_unit(sc, unit))
                continue;
            printf("  %s %s（%s）%s %+.2f 人\n", sc->code, sc->name,
                   *sc->town ? sc->town : "-", status_text(sc), sc->diff);
            n++;
        }
        if (!n)
            puts("  （无）");
    }
    if (!unit)
        printf("\n全市：%d 所学校，编制 %.2f 人，实有 %lld 人，超编 %d 所"
               "（其中比较严重 %d 所），缺编 %d 所，代课教师 %lld 人\n",
               s->nschools, s->norm, s->actual, s->over, s->serious,
               s->under, s->substitutes);
}

static json_t *to_json(const zx_staffing *s, const char *unit,
                       int by_subject, int synthetic)
{
    json_t *schools = json_array(), *towns = json_array();
    int i;

    for (i = 0; schools && i < s->nschools; i++) {
        const zx_staffing_school *sc = &s->schools[i];
        json_t *o;

        /* status_title is the 状态 a table shows, which tells the serious
         * cases apart. */
        if (in_unit(sc, unit) &&
            (json_array_append_new(schools, o = zx_staffing_school_json(
                                                sc, by_subject)) ||
             json_object_set_new(o, "status_title",
                                 json_string(status_text(sc)))))
            goto fail;
    }
    for (i = 0; towns && !unit && i < s->ntowns; i++)
        if (json_array_append_new(towns, zx_staffing_town_json(
                                             &s->towns[i])))
            goto fail;
    if (!schools || !towns)
        goto fail;
    return json_pack("{s:i, s:b, s:f, s:o, s:o, s:f, s:I, s:i, s:i, s:i}",
                     "year", s->year, "synthetic", synthetic,
                     "overstaffed_ratio", s->overstaffed_ratio, "schools",
                     schools, "towns", towns, "norm", s->norm, "actual",
                     (json_int_t)s->actual, "over", s->over, "under",
                     s->under, "serious", s->serious);
fail:
    json_decref(schools);
    json_decref(towns);
    return NULL;
}

int zx_cmd_staffing(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = "table", *out = NULL, *unit = NULL;
    const char *v;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_rules *rules = NULL, *cur = NULL;
    zx_staffing *s = NULL;
    json_t *j = NULL;
    char title[512];
    int i, r, rc, save = 0, by_subject = 0, fmt, year = 0, synthetic, found;
    int code = ZX_EXIT_SOFTWARE;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--save") == 0) {
            save = 1;
        } else if (strcmp(argv[i], "--subject") == 0) {
            by_subject = 1;
        } else if ((r = zx_cli_option(argc, argv, &i, "--year", "-y",
                                      &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                            &v)) > 0) {
            out = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--unit", "-u",
                                            &v)) > 0) {
            unit = v;
        } else if (r < 0) {
            return zx_cli_usage_error("staffing", "选项“%s”缺少取值",
                                      argv[i]);
        } else {
            return zx_cli_usage_error("staffing", "无法识别的参数“%s”",
                                      argv[i]);
        }
    }
    if ((code = zx_cli_format("staffing", fmt_s, 1u << ZX_CLI_TABLE |
                              1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV |
                              1u << ZX_CLI_XLSX, &fmt)))
        return code;
    if (out && fmt != ZX_CLI_XLSX)
        return zx_cli_usage_error("staffing", "--out 只用于 xlsx 格式");
    if ((year_s && (code = zx_cli_year("staffing", year_s, &year))) ||
        (code = zx_cli_open_plan(cli, "staffing", &db, &plan)))
        return code;
    if (!year)
        year = zx_values_current_year(plan);
    code = ZX_EXIT_SOFTWARE;
    if ((rc = zx_staffing_rules(db, year, &rules, &cur)) ||
        (rc = zx_staffing_compute(db, plan, year, rules, cur, &s)))
        goto dberr;
    for (i = found = 0; unit && i < s->nschools; i++)
        found |= in_unit(&s->schools[i], unit);
    if (unit && !found) {
        fprintf(stderr, "zhenxing staffing: %d 年没有学校“%s”或该区镇的在校生"
                        "数据\n", year, unit);
        code = ZX_EXIT_FAIL;
        goto done;
    }
    synthetic = zx_export_synthetic(db);
    if (!(j = to_json(s, unit, by_subject, synthetic)))
        goto done;
    if (fmt == ZX_CLI_JSON) {
        char *text = json_dumps(j, JSON_INDENT(2));

        if (!text)
            goto done;
        puts(text);
        free(text);
    } else {
        zx_cli_grid g = { .title = title, .sheet = "编制核定",
                          .keys = school_keys, .heads = school_heads,
                          .widths = school_widths,
                          .ncols = NCOLS(school_keys),
                          .items = json_object_get(j, "schools"),
                          .reals = school_reals };

        snprintf(title, sizeof(title), "%s：编制核定（%d 年%s）",
                 zx_plan_name(plan), year, by_subject ? "，分学科" : "");
        if (by_subject) {
            g.sheet = "分学科编制";
            g.keys = subject_keys;
            g.heads = subject_heads;
            g.widths = subject_widths;
            g.ncols = NCOLS(subject_keys);
            g.reals = subject_reals;
            g.rows = "subjects";
            g.lead = 3;
        }
        if ((code = zx_cli_grid_write("staffing", &g, fmt, out, synthetic)))
            goto done;
        code = ZX_EXIT_SOFTWARE;
        if (fmt == ZX_CLI_TABLE)
            print_lists(s, unit, by_subject);
    }
    if (save) {
        if ((rc = zx_staffing_save(db, plan, s, rules, cur,
                                   zx_audit_cli_actor())))
            goto dberr;
        fprintf(stderr, "已写入 %d 年 %d 所学校的编制数和实有数（超编 %d 所，"
                        "缺编 %d 所）\n", year, s->nschools, s->over,
                s->under);
    }
    code = ZX_EXIT_OK;
    goto done;

dberr:
    fprintf(stderr, "zhenxing staffing: 无法核定编制：%s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    code = zx_cli_exit_code(rc);

done:
    json_decref(j);
    zx_staffing_free(s);
    zx_rules_free(rules);
    zx_rules_free(cur);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
