/*
 * cmd_rotation.c - `zhenxing rotation`: teacher rotation of a year
 * (rotation.h): the eligible teachers, each source school's quota, the
 * proposal, its acceptance and rotations recorded outside it.
 */
#include "audit.h"
#include "cli.h"
#include "export.h"
#include "rotation.h"
#include "rules.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_rotation[] =
    "用法: zhenxing [--db 路径] rotation 子命令 [--year 年度] [选项]\n"
    "\n"
    "交流轮岗（条款 3.4.3-T7）。按当年的交流规则（zhenxing rules list\n"
    "rotation）：城镇学校（城乡类型不属计划所定乡村）和教育集团总校（优质\n"
    "学校，hq_strong）的在编教师，在本校任教年限（年度 − 入校年份）满\n"
    "years 年的列入交流范围；每校每年交流 ceil(share% × 符合条件人数) 人，\n"
    "其中骨干教师（县级及以上骨干教师、学科带头人）不少于\n"
    "ceil(backbone_share% × 指标)（以该校骨干人数为限）。\n"
    "\n"
    "子命令:\n"
    "  eligible [--school 标识码]  符合条件的教师及其状态\n"
    "  quota                       各校指标：符合条件、指标、骨干指标、已提议、\n"
    "                              已交流、其中骨干、是否达标\n"
    "  propose                     生成交流方案（替换尚未确认的方案，保留已确认\n"
    "                              的）：先骨干教师至骨干指标，再按任教年限由长\n"
    "                              到短；去向为同学段的乡村学校，该学科缺编的\n"
    "                              优先，其次最近，每校每年至多 dest_max 人\n"
    "  list                        当年的方案与交流记录，附理由\n"
    "  accept [编号...]            确认方案（不写编号则确认全部未确认的），\n"
    "                              写入交流记录（指标“城区学校教师交流轮岗比\n"
    "                              例”“交流轮岗教师中骨干教师占比”读取）\n"
    "  record 教师编号 学校标识码 [--kind 轮岗|支教|挂职]\n"
    "                              记录方案之外完成的交流\n"
    "\n"
    "选项:\n"
    "  --year 年度   默认为计划年度中不晚于今年的最后一年\n"
    "  --format 格式 eligible、quota、list：table（默认）、csv、xlsx 或 json\n"
    "  --out 文件    xlsx 写入文件（默认写到标准输出）\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库、计划、教师或学校不存在\n";

static const char *const school_keys[] = {
    "code", "name", "town", "eligible", "quota", "backbone_quota",
    "proposed", "done", "done_backbone", "meets"
};
static const char *const school_heads[] = {
    "学校标识码", "学校名称", "区镇", "符合条件", "指标", "骨干指标",
    "已提议", "已交流", "其中骨干", "达标"
};
static const int school_widths[] = { 12, 26, 12, 8, 6, 8, 6, 6, 8, 4 };

static const char *const teacher_keys[] = {
    "no", "name", "school", "school_name", "town", "subject", "years",
    "backbone", "state"
};
static const char *const teacher_heads[] = {
    "教师编号", "姓名", "学校标识码", "学校名称", "区镇", "学科", "任教年限",
    "骨干", "状态"
};
static const int teacher_widths[] = { 10, 8, 12, 26, 12, 10, 8, 4, 10 };

static const char *const entry_keys[] = {
    "id", "status_title", "teacher_no", "teacher_name", "from_name",
    "to_name", "kind", "backbone", "km", "reason"
};
static const char *const entry_heads[] = {
    "编号", "状态", "教师编号", "姓名", "原学校", "交流学校", "形式", "骨干",
    "距离(公里)", "理由"
};
static const int entry_widths[] = { 6, 6, 10, 8, 26, 26, 4, 4, 10, 40 };

struct args {
    const char *year_s, *fmt_s, *out, *school, *kind;
    const char *pos[64];
    int npos;
};

static int parse(int argc, char **argv, struct args *a)
{
    const char *v;
    int i, r;

    memset(a, 0, sizeof(*a));
    a->fmt_s = "table";
    a->kind = "轮岗";
    for (i = 2; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--year", "-y", &v)) > 0)
            a->year_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                          &v)) > 0)
            a->fmt_s = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                          &v)) > 0)
            a->out = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--school", NULL,
                                          &v)) > 0)
            a->school = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--kind", NULL,
                                          &v)) > 0)
            a->kind = v;
        else if (r < 0)
            return zx_cli_usage_error("rotation", "选项“%s”缺少取值",
                                      argv[i]);
        else if (argv[i][0] == '-' ||
                 a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
            return zx_cli_usage_error("rotation", "无法识别的参数“%s”",
                                      argv[i]);
        else
            a->pos[a->npos++] = argv[i];
    }
    return 0;
}

/* Prints items as fmt: JSON with the year, or the grid. */
static int emit(const struct args *a, int fmt, int year, json_t *items,
                const zx_cli_grid *g, int synthetic)
{
    json_t *j;
    char *text;

    if (fmt != ZX_CLI_JSON)
        return zx_cli_grid_write("rotation", g, fmt, a->out, synthetic);
    if (!(j = json_pack("{s:i, s:b, s:O}", "year", year, "synthetic",
                        synthetic, "items", items)) ||
        !(text = json_dumps(j, JSON_INDENT(2)))) {
        json_decref(j);
        return ZX_EXIT_SOFTWARE;
    }
    puts(text);
    free(text);
    json_decref(j);
    return ZX_EXIT_OK;
}

static int collect(void *ctx, const zx_rotation_entry *e)
{
    json_t *j = zx_rotation_entry_json(e);

    return !j || json_array_append_new(ctx, j) ? ZX_ENOMEM : 0;
}

int zx_cmd_rotation(zx_cli *cli, int argc, char **argv)
{
    struct args a;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_rules *rules = NULL;
    zx_rotation *r = NULL;
    json_t *items = NULL, *j;
    zx_cli_grid g;
    long long *ids = NULL;
    char title[160], *end;
    const char *sub;
    int i, rc, fmt, year = 0, n, synthetic, code;

    if (argc < 2)
        return zx_cli_usage_error("rotation", "缺少子命令：eligible、quota、"
                                  "propose、list、accept 或 record");
    sub = argv[1];
    if (strcmp(sub, "eligible") && strcmp(sub, "quota") &&
        strcmp(sub, "propose") && strcmp(sub, "list") &&
        strcmp(sub, "accept") && strcmp(sub, "record"))
        return zx_cli_usage_error("rotation", "没有子命令“%s”", sub);
    if ((code = parse(argc, argv, &a)) ||
        (code = zx_cli_format("rotation", a.fmt_s,
                              1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON |
                                  1u << ZX_CLI_CSV | 1u << ZX_CLI_XLSX,
                              &fmt)))
        return code;
    if (a.out && fmt != ZX_CLI_XLSX)
        return zx_cli_usage_error("rotation", "--out 只用于 xlsx 格式");
    if (strcmp(sub, "record") == 0 ? a.npos != 2
        : strcmp(sub, "accept") == 0 ? 0 : a.npos != 0)
        return zx_cli_usage_error("rotation", "子命令 %s 的参数个数不对；见 "
                                  "zhenxing rotation --help", sub);
    if (a.year_s && (code = zx_cli_year("rotation", a.year_s, &year)))
        return code;
    if ((code = zx_cli_open_plan(cli, "rotation", &db, &plan)))
        return code;
    if (!year)
        year = zx_values_current_year(plan);
    code = ZX_EXIT_SOFTWARE;
    synthetic = zx_export_synthetic(db);
    memset(&g, 0, sizeof(g));
    g.title = title;
    if ((rc = zx_rules_load(db, "rotation", year, &rules)))
        goto dberr;
    if (strcmp(sub, "propose") == 0) {
        if ((rc = zx_rotation_propose(db, plan, year, rules,
                                      zx_audit_cli_actor(), &n)))
            goto dberr;
        printf("已生成 %d 年交流方案：%d 人（未确认的旧方案已替换）；用 "
               "zhenxing rotation list --year %d 查看\n", year, n, year);
        code = ZX_EXIT_OK;
        goto done;
    }
    if (strcmp(sub, "accept") == 0) {
        if (a.npos && !(ids = calloc((size_t)a.npos, sizeof(*ids))))
            goto done;
        for (i = 0; i < a.npos; i++) {
            ids[i] = strtoll(a.pos[i], &end, 10);
            if (*end || end == a.pos[i] || ids[i] <= 0) {
                code = zx_cli_usage_error("rotation", "方案编号“%s”无效",
                                          a.pos[i]);
                goto done;
            }
        }
        rc = zx_rotation_accept(db, year, ids, a.npos, zx_audit_cli_actor(),
                                &n);
        if (rc == ZX_ENOTFOUND) {
            fprintf(stderr, "zhenxing rotation: 有编号不是 %d 年未确认的方案，"
                            "一条也未确认\n", year);
            code = ZX_EXIT_NOINPUT;
            goto done;
        }
        if (rc)
            goto dberr;
        printf("已确认 %d 年交流方案 %d 条，写入交流记录\n", year, n);
        code = ZX_EXIT_OK;
        goto done;
    }
    if (strcmp(sub, "record") == 0) {
        rc = zx_rotation_record(db, year, a.pos[0], a.pos[1], a.kind,
                                zx_audit_cli_actor());
        if (rc == ZX_ENOTFOUND || rc == ZX_EINVAL || rc == ZX_EEXIST) {
            fprintf(stderr, "zhenxing rotation: %s\n",
                    rc == ZX_ENOTFOUND ? "没有这位教师或这所学校"
                    : rc == ZX_EEXIST  ? "该教师当年已有交流记录"
                                       : "交流形式应为 轮岗、支教 或 挂职，"
                                         "且不能交流到本校");
            code = rc == ZX_ENOTFOUND ? ZX_EXIT_NOINPUT : ZX_EXIT_USAGE;
            goto done;
        }
        if (rc)
            goto dberr;
        printf("已记录 %d 年教师 %s 交流到 %s（%s）\n", year, a.pos[0],
               a.pos[1], a.kind);
        code = ZX_EXIT_OK;
        goto done;
    }
    if (!(items = json_array()))
        goto done;
    if (strcmp(sub, "list") == 0) {
        if ((rc = zx_rotation_list(db, year, collect, items)))
            goto dberr;
        snprintf(title, sizeof(title), "%s：%d 年交流方案与记录",
                 zx_plan_name(plan), year);
        g.sheet = "交流方案";
        g.keys = entry_keys;
        g.heads = entry_heads;
        g.widths = entry_widths;
        g.ncols = 10;
    } else {
        if ((rc = zx_rotation_compute(db, plan, year, rules, &r)))
            goto dberr;
        if (strcmp(sub, "quota") == 0) {
            for (i = 0; i < r->nschools; i++)
                if (!(j = zx_rotation_school_json(r, i)) ||
                    json_array_append_new(items, j))
                    goto done;
            snprintf(title, sizeof(title),
                     "%s：%d 年交流轮岗指标（符合条件 %lld 人，指标 %lld 人，"
                     "已交流 %lld 人，达标学校 %d / %d）",
                     zx_plan_name(plan), year, r->eligible, r->quota, r->done,
                     r->meeting, r->nschools);
            g.sheet = "各校指标";
            g.keys = school_keys;
            g.heads = school_heads;
            g.widths = school_widths;
            g.ncols = 10;
        } else {
            for (i = 0; i < r->nteachers; i++) {
                if (a.school &&
                    strcmp(r->schools[r->teachers[i].school].code, a.school))
                    continue;
                if (!(j = zx_rotation_teacher_json(r, i)) ||
                    json_array_append_new(items, j))
                    goto done;
            }
            snprintf(title, sizeof(title), "%s：%d 年列入交流范围的教师",
                     zx_plan_name(plan), year);
            g.sheet = "符合条件教师";
            g.keys = teacher_keys;
            g.heads = teacher_heads;
            g.widths = teacher_widths;
            g.ncols = 9;
        }
    }
    g.items = items;
    code = emit(&a, fmt, year, items, &g, synthetic);
    goto done;

dberr:
    fprintf(stderr, "zhenxing rotation: 无法完成：%s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    code = zx_cli_exit_code(rc);

done:
    free(ids);
    json_decref(items);
    zx_rotation_free(r);
    zx_rules_free(rules);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
