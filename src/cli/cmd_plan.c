/*
 * cmd_plan.c - `zhenxing plan check FILE`, `zhenxing plan show [FILE]`
 * and `zhenxing plan load FILE`.
 *
 * A plan's problems are placed by line and column of a text file, so they
 * are printed here as FILE:LINE:COLUMN with a numeric column, the form
 * editors jump to, not with the spreadsheet letters of zx_cli_print_diag.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "indicator.h"
#include "plan.h"
#include "planstore.h"
#include "zx.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PLAN "plans/haimen-2020-2022.yaml"

const char zx_usage_plan[] =
    "用法: zhenxing plan check 文件\n"
    "      zhenxing plan show [文件]\n"
    "      zhenxing [--db 路径] plan load 文件\n"
    "\n"
    "计划文件（YAML，格式见 docs/plan-format.md）写明目标、章节、填报项、\n"
    "指标和任务；修改目标值、年度节点或增加指标都不需要重新编译程序。\n"
    "\n"
    "  check   检查计划文件：格式、编号、相互引用和每个指标的表达式，\n"
    "          逐条列出“文件:行:列: 问题”，没有问题时给出各部分的数目\n"
    "  show    以中文列出计划的内容（默认 " DEFAULT_PLAN "）\n"
    "  load    检查无误后存入数据库，作为现行计划（以前的版本保留备查）\n"
    "\n"
    "退出码: 0 成功；65 计划文件有误；64 用法错误；66 文件或数据库不存在；\n"
    "        74 文件无法读取\n";

static const char *const kind_zh[] = {
    "占比", "计数", "合计", "比率", "最小值", "最大值"
};
static const char *const entity_zh[] = {
    "学校", "教师", "区镇", "教育集团", "结对导师", "整改事项"
};
static const char *const level_zh[ZX_NLEVELS] = {
    "市", "区镇", "集团", "学校", "教师"
};
static const char *const type_zh[] = {
    "是/否", "整数", "小数", "选项", "日期", "文本"
};

/* Diagnostics as FILE:LINE:COLUMN: message, the column 1-based. */
static void print_diag(const zx_diag *d)
{
    size_t i, n = zx_diag_count(d);

    for (i = 0; i < n; i++) {
        const zx_diag_item *it = zx_diag_get(d, i);

        if (it->row > 0 && it->col >= 0)
            fprintf(stderr, "%s:%ld:%d: %s\n", it->file, it->row,
                    it->col + 1, it->msg);
        else if (it->row > 0)
            fprintf(stderr, "%s:%ld: %s\n", it->file, it->row, it->msg);
        else if (*it->file)
            fprintf(stderr, "%s: %s\n", it->file, it->msg);
        else
            fprintf(stderr, "zhenxing: %s\n", it->msg);
    }
}

static void print_counts(const zx_plan *p)
{
    int ng, ni, nt, ne;

    zx_plan_goals(p, &ng);
    zx_plan_indicators(p, &ni);
    zx_plan_tasks(p, &nt);
    zx_plan_elements(p, &ne);
    printf("%d 个目标、%d 个指标、%d 项任务、%d 个数据项\n", ng, ni, nt, ne);
}

/* The closing line after problems, by what went wrong. */
static void print_failure(const char *file, int rc, const zx_diag *d,
                          const char *what)
{
    if (rc == ZX_EDATA)
        fprintf(stderr, "%s: 发现 %zu 处问题，%s\n", file, zx_diag_count(d),
                what);
    else if (rc != ZX_ENOTFOUND && rc != ZX_EIO)
        fprintf(stderr, "%s: %s（%s）\n", file, what, zx_strerror(rc));
}

static int plan_check(const char *file)
{
    zx_diag *diag = zx_diag_new();
    zx_plan *plan = NULL;
    int rc;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    rc = zx_plan_load(file, file, &plan, diag);
    if (rc == ZX_OK)
        rc = zx_indicator_check(plan, diag);
    print_diag(diag);
    if (rc == ZX_OK) {
        fputs("计划文件检查通过：", stdout);
        print_counts(plan);
    } else {
        print_failure(file, rc, diag, "请修改后重新检查");
    }
    zx_plan_free(plan);
    zx_diag_free(diag);
    return zx_cli_exit_code(rc);
}

/* ---- plan load ---- */

/* Reads the whole of path into a new NUL-terminated buffer. */
static int slurp(const char *path, char **out, size_t *len, zx_diag *diag)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *nb;
    size_t cap = 0, got;
    int rc = ZX_OK;

    *out = NULL;
    *len = 0;
    if (!f) {
        zx_diag_add(diag, path, 0, -1, "%s",
                    errno == ENOENT ? "文件不存在" : "无法打开该文件");
        return errno == ENOENT ? ZX_ENOTFOUND : ZX_EIO;
    }
    do {
        if (cap - *len < 65536 + 1) {
            cap = cap ? cap * 2 : 65536 * 2;
            if (!(nb = realloc(buf, cap))) {
                rc = ZX_ENOMEM;
                goto fail;
            }
            buf = nb;
        }
        got = fread(buf + *len, 1, cap - *len - 1, f);
        *len += got;
    } while (got > 0);
    if (ferror(f)) {
        zx_diag_add(diag, path, 0, -1, "读取文件失败");
        rc = ZX_EIO;
        goto fail;
    }
    buf[*len] = '\0';
    *out = buf;
    buf = NULL;

fail:
    free(buf);
    fclose(f);
    return rc;
}

static int plan_load(zx_cli *cli, const char *file)
{
    zx_diag *diag = zx_diag_new();
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    char *text = NULL;
    size_t len;
    int rc, code;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    rc = slurp(file, &text, &len, diag);
    if (rc == ZX_OK && (code = zx_cli_open_db(cli, 0, &db)))
        goto out;
    if (rc == ZX_OK)
        rc = zx_planstore_put(db, text, len, file, zx_audit_cli_actor(),
                              diag);
    /* the text was just checked in full: loading it again cannot fail
     * but for memory, and gives the counts for the summary */
    if (rc == ZX_OK)
        rc = zx_plan_load_text(text, len, file, &plan, diag);
    print_diag(diag);
    if (rc == ZX_OK) {
        printf("已载入计划“%s”（%s）作为现行计划：", zx_plan_name(plan),
               zx_plan_id(plan));
        print_counts(plan);
    } else {
        print_failure(file, rc, diag, "数据库未做任何修改");
    }
    code = zx_cli_exit_code(rc);

out:
    zx_plan_free(plan);
    free(text);
    zx_db_close(db);
    zx_diag_free(diag);
    return code;
}

/* ---- plan show ---- */

static const char *num(double v, char *buf)
{
    snprintf(buf, 32, "%.10g", v);
    return buf;
}

static void print_list(const char *const *items, int n)
{
    int i;

    for (i = 0; i < n; i++)
        printf("%s%s", i ? "、" : "", items[i]);
}

static void print_levels(unsigned levels)
{
    int l, first = 1;

    for (l = 0; l < ZX_NLEVELS; l++) {
        if (levels & 1u << l) {
            printf("%s%s", first ? "" : "、", level_zh[l]);
            first = 0;
        }
    }
}

static int gcd(int a, int b)
{
    return b ? gcd(b, a % b) : a;
}

/* "1/3" of the way from the baseline year to year `to`, reduced. */
static void print_share(int b, int y, int to)
{
    int g = gcd(y - b, to - b);

    printf("%d 年完成全程的 %d/%d", y, (y - b) / g, (to - b) / g);
}

static void print_milestones(const zx_plan *p, const zx_indicator *ind)
{
    const zx_milestones *ms = &ind->milestones;
    const int *years;
    int n, i, b = zx_plan_baseline(p), to;
    double v;
    char buf[32];

    years = zx_plan_years(p, &n);
    fputs("    里程碑    ", stdout);
    if (ms->kind == ZX_MS_EXPLICIT) {
        for (i = 0; i < n; i++) {
            v = zx_plan_milestone(p, ind, years[i], NAN);
            printf("%s%d 年 %s", i ? "，" : "", years[i],
                   isnan(v) ? "保持基准年水平" : num(v, buf));
        }
        putchar('\n');
        return;
    }
    to = ms->kind == ZX_MS_RAMP_TO ? ms->by : years[n - 1];
    v = ms->kind == ZX_MS_RAMP_TO ? ms->ramp_to : ind->target;
    printf("自基准年（%d）的数值直线推进，%d 年达到 %s%s", b, to,
           num(v, buf), ind->unit);
    for (i = 0; i < n && years[i] < to; i++) {
        fputs(i ? "，" : "：", stdout);
        print_share(b, years[i], to);
    }
    putchar('\n');
}

static void print_expr(const char *label, const zx_expr_src *e)
{
    if (e->text)
        printf("    %s  %s\n", label, e->text);
}

static void print_indicator(const zx_plan *p, const zx_indicator *ind)
{
    const zx_section *sec;
    char a[32], b[32];

    printf("\n  指标 %s %s [%s]\n", ind->clause, ind->name, ind->id);
    if (ind->description)
        printf("    说明      %s\n", ind->description);
    if (ind->section && (sec = zx_plan_section(p, ind->section)))
        printf("    章节      %s %s\n", sec->id, sec->name);
    printf("    计算      %s（%s），对象：%s（%s）\n", kind_zh[ind->kind],
           zx_ind_kind_name(ind->kind), entity_zh[ind->over],
           zx_entity_name(ind->over));
    print_expr("范围    ", &ind->where);
    print_expr("分子    ", &ind->numerator);
    print_expr("分母    ", &ind->denominator);
    if (ind->target_is_range)
        printf("    目标      %s–%s%s\n", num(ind->target_min, a),
               num(ind->target_max, b), ind->unit);
    else
        printf("    目标      %s %s%s（越%s越好）\n",
               ind->lower_is_better ? "≤" : "≥", num(ind->target, a),
               ind->unit, ind->lower_is_better ? "低" : "高");
    print_milestones(p, ind);
    print_expr("按期条件", &ind->on_track);
    fputs("    评判层级  ", stdout);
    print_levels(ind->levels);
    putchar('\n');
    if (ind->nmechanism) {
        fputs("    机制条款  ", stdout);
        print_list(ind->mechanism, ind->nmechanism);
        putchar('\n');
    }
}

static void print_task(const zx_task *t)
{
    printf("\n  任务 %s %s [%s]\n", t->clause, t->name, t->id);
    printf("    牵头单位  %s\n", t->lead);
    fputs("    责任单位  ", stdout);
    print_list(t->responsible, t->nresponsible);
    printf("\n    完成时限  %s\n", t->deadline);
    if (t->evidence)
        printf("    佐证材料  %s\n", t->evidence);
    if (t->nindicators) {
        fputs("    关联指标  ", stdout);
        print_list(t->indicators, t->nindicators);
        putchar('\n');
    }
}

static void print_identity(const zx_plan *p)
{
    const zx_codelist *ur = zx_codes_get("urban_rural");
    const zx_setting *st;
    const int *v;
    int n, i, j;
    char buf[32];

    printf("%s\n", zx_plan_name(p));
    printf("  编号      %s\n", zx_plan_id(p));
    if (zx_plan_issuer(p))
        printf("  发文单位  %s\n", zx_plan_issuer(p));
    if (zx_plan_document(p))
        printf("  文号      %s\n", zx_plan_document(p));
    printf("  基准年    %d\n  计划年度  ", zx_plan_baseline(p));
    v = zx_plan_years(p, &n);
    for (i = 0; i < n; i++)
        printf("%s%d", i ? "、" : "", v[i]);
    fputs("\n  乡村范围  ", stdout);
    v = zx_plan_rural(p, &n);
    for (i = 0; i < n; i++)
        printf("%s%d %s", i ? "、" : "", v[i], zx_codes_name_of(ur, v[i]));
    putchar('\n');
    st = zx_plan_settings(p, &n);
    for (i = 0; i < n; i++) {
        printf("  %s  %s = ", i ? "        " : "参数    ", st[i].name);
        if (!st[i].is_list)
            fputs(num(st[i].value, buf), stdout);
        for (j = 0; st[i].is_list && j < st[i].nlist; j++)
            printf("%s%s", j ? "、" : "[", num(st[i].list[j], buf));
        fputs(st[i].is_list ? (st[i].nlist ? "]\n" : "[]\n") : "\n", stdout);
    }
    if (zx_plan_preamble(p))
        printf("  指导思想  %s", zx_plan_preamble(p));
}

static void print_sections(const zx_plan *p)
{
    const zx_section *s;
    int n, i, depth, up;

    s = zx_plan_sections(p, &n);
    if (n)
        fputs("\n章节\n", stdout);
    for (i = 0; i < n; i++) {
        for (depth = 0, up = s[i].parent; up >= 0; up = s[up].parent)
            depth++;
        printf("%*s%s %s\n", 2 + 2 * depth, "", s[i].id, s[i].name);
    }
}

static void print_elements(const zx_plan *p)
{
    const zx_data_element *e;
    int n, i;
    char a[32], b[32];

    e = zx_plan_elements(p, &n);
    if (n)
        printf("\n数据项（%d 个）\n", n);
    for (i = 0; i < n; i++) {
        printf("\n  %s %s\n    %s，按%s填报，%s", e[i].id, e[i].name,
               type_zh[e[i].type], level_zh[e[i].level],
               e[i].yearly ? "每年一个值" : "一个值，变化时更新");
        if (e[i].has_min || e[i].has_max)
            printf("，取值 %s–%s", e[i].has_min ? num(e[i].min, a) : "",
                   e[i].has_max ? num(e[i].max, b) : "");
        if (e[i].clause)
            printf("，条款 %s", e[i].clause);
        putchar('\n');
        if (e[i].noptions) {
            fputs("    选项      ", stdout);
            print_list(e[i].options, e[i].noptions);
            putchar('\n');
        }
        if (e[i].help)
            printf("    说明      %s\n", e[i].help);
    }
}

static void print_plan(const zx_plan *p)
{
    const zx_goal *g;
    const zx_indicator *ind;
    const zx_task *t;
    int ng, ni, nt, i, j;

    print_identity(p);
    g = zx_plan_goals(p, &ng);
    ind = zx_plan_indicators(p, &ni);
    t = zx_plan_tasks(p, &nt);
    for (i = 0; i < ng; i++) {
        printf("\n目标 %s %s [%s]\n", g[i].clause, g[i].name, g[i].id);
        if (g[i].text)
            printf("  %s\n", g[i].text);
        for (j = 0; j < ni; j++)
            if (strcmp(ind[j].goal, g[i].id) == 0)
                print_indicator(p, &ind[j]);
        for (j = 0; j < nt; j++)
            if (strcmp(t[j].goal, g[i].id) == 0)
                print_task(&t[j]);
    }
    print_sections(p);
    print_elements(p);
}

static int plan_show(const char *file)
{
    zx_diag *diag = zx_diag_new();
    zx_plan *plan = NULL;
    int rc;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    rc = zx_plan_load(file, file, &plan, diag);
    print_diag(diag);
    if (rc == ZX_OK)
        print_plan(plan);
    else
        print_failure(file, rc, diag, "请先用 zhenxing plan check 检查");
    zx_plan_free(plan);
    zx_diag_free(diag);
    return zx_cli_exit_code(rc);
}

int zx_cmd_plan(zx_cli *cli, int argc, char **argv)
{
    const char *sub, *file = NULL;
    int i;

    if (argc < 2)
        return zx_cli_usage_error("plan", "需要指定 check、show 或 load");
    sub = argv[1];
    for (i = 2; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return zx_cli_usage_error("plan", "无法识别的选项“%s”", argv[i]);
        if (file)
            return zx_cli_usage_error("plan", "多余的参数“%s”", argv[i]);
        file = argv[i];
    }
    if (strcmp(sub, "show") == 0)
        return plan_show(file ? file : DEFAULT_PLAN);
    if (strcmp(sub, "check") != 0 && strcmp(sub, "load") != 0)
        return zx_cli_usage_error("plan", "未知的子命令“%s”，应为 check、"
                                  "show 或 load", sub);
    if (!file)
        return zx_cli_usage_error("plan", "需要指定计划文件");
    return strcmp(sub, "check") == 0 ? plan_check(file)
                                     : plan_load(cli, file);
}
