/*
 * cmd_redistribution.c - `zhenxing redistribution`: propose the year's
 * moves of surplus teachers (redistrib.h, clause 3.4.3-T8), list them
 * with their reasons, accept them, and keep the office's forbidden
 * moves.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "export.h"
#include "redistrib.h"
#include "values.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_redistribution[] =
    "用法: zhenxing [--db 路径] redistribution propose [--year 年度]\n"
    "       zhenxing redistribution list [--year 年度] [--status proposed|"
    "accepted]\n"
    "                [--format table|csv|xlsx|json] [--out 文件]\n"
    "       zhenxing redistribution accept (--all | 编号 ...) [--year 年度]\n"
    "       zhenxing redistribution forbid 调出学校 调入学校 [--remove]\n"
    "\n"
    "超编学校的富余教师向缺编学校调配（条款 3.4.3-T8）。\n"
    "  propose  按当年编制核定（zhenxing staffing）逐学科求出最优调配方案：\n"
    "           能补的缺额尽量补上，其次总距离最短、调动人次最少（每次调动\n"
    "           计固定代价 move_km），为精确的最小费用流；只调在编教师，每人\n"
    "           至多调一次；只从超编学校调出（serious_only 为 1 时只从超编比\n"
    "           较严重的学校），每校调出不超过其超编人数和该学科富余人数；\n"
    "           调入学校每学科至多补足缺额（四舍五入）；遵守年度总名额\n"
    "           quota.total、每校名额 quota.school、距离上限 max_km 和禁止\n"
    "           调配的学校对；小学、初中同学科可跨学段（cross_stage）。同一\n"
    "           学校、学科、学段中，到本校年限最短者先调，其次年龄最小者。\n"
    "           重新提出时替换当年未确认的方案，保留已确认的调配。\n"
    "  list     列出当年的调配及理由\n"
    "  accept   确认调配（全部或按编号）；确认只记录决定，不改变教师名册，\n"
    "           教师调动由办公室通过教师信息修改或导入办理\n"
    "  forbid   把“从某校调往某校”列入（--remove 移出）禁止调配名单\n"
    "规则见 zhenxing rules list redistribution；每次提出、确认都记入审计。\n"
    "\n"
    "选项:\n"
    "  --year 年度      默认为计划年度中不晚于今年的最后一年\n"
    "  --status 状态    list 只列 proposed（待确认）或 accepted（已确认）\n"
    "  --format 格式    list 的格式：table（默认）、csv、xlsx 或 json\n"
    "  --out 文件       xlsx 写入文件（默认写到标准输出）\n"
    "  --all            accept 确认全部待确认的调配\n"
    "\n"
    "退出码: 0 成功；1 编号不是当年待确认的调配；64 用法错误；66 数据库或\n"
    "计划不存在；74 文件无法写入\n";

static const char *const move_keys[] = {
    "id", "status_title", "teacher_no", "teacher", "subject_name",
    "stage_name", "from_name", "from_town", "to_name", "to_town", "km",
    "cross_stage", "reason"
};
static const char *const move_heads[] = {
    "编号", "状态", "教师编号", "教师", "学科", "学段", "调出学校", "调出区镇",
    "调入学校", "调入区镇", "距离(km)", "跨学段", "理由"
};
static const int move_widths[] = { 5, 7, 11, 7, 11, 5, 27, 9, 27, 9, 8, 6,
                                   40 };
static const char *const move_reals[] = {
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "%.1f",
    NULL, NULL
};

struct listing {
    json_t *items;
    const char *status;
    int n;
    double km;
};

static int add_move(void *ctx, const zx_redistrib_move *m)
{
    struct listing *l = ctx;
    const char *subject = zx_codes_name_of(zx_codes_get("subject"),
                                           m->subject);
    const char *stage = zx_codes_name_of(zx_codes_get("stage"), m->stage);

    if (l->status && strcmp(m->status, l->status))
        return 0;
    l->n++;
    if (!isnan(m->km))
        l->km += m->km;
    return json_array_append_new(l->items, json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:s, s:s, s:s, s:s, s:s,"
        " s:s, s:s, s:o, s:b, s:s}",
        "id", (json_int_t)m->id, "status", m->status, "status_title",
        strcmp(m->status, "accepted") == 0 ? "已确认" : "待确认",
        "teacher_no", m->teacher_no, "teacher", m->teacher, "subject",
        m->subject, "subject_name", subject ? subject : "", "stage",
        m->stage, "stage_name", stage ? stage : "", "from_code",
        m->from_code, "from_name", m->from_name, "from_town", m->from_town,
        "to_code", m->to_code, "to_name", m->to_name, "to_town", m->to_town,
        "km", isnan(m->km) ? json_null() : json_real(m->km), "cross_stage",
        m->cross_stage, "reason", m->reason)) ? ZX_ENOMEM : 0;
}

static int run_list(zx_db *db, int year, int fmt, const char *status,
                    const char *out)
{
    struct listing l;
    char title[64], *text;
    zx_cli_grid g = { .title = title, .sheet = "教师调配", .keys = move_keys,
                      .heads = move_heads, .widths = move_widths,
                      .ncols = (int)(sizeof(move_keys) /
                                     sizeof(move_keys[0])),
                      .reals = move_reals };
    int rc, code = ZX_EXIT_SOFTWARE;

    memset(&l, 0, sizeof(l));
    l.status = status;
    if (!(l.items = json_array()))
        goto done;
    if ((rc = zx_redistrib_list(db, year, add_move, &l))) {
        fprintf(stderr, "zhenxing redistribution: 无法读取调配：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    if (fmt == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:i, s:b, s:i, s:f, s:O}", "year", year,
                              "synthetic", zx_export_synthetic(db), "count",
                              l.n, "km", round(l.km * 10) / 10, "moves",
                              l.items);

        if (!j || !(text = json_dumps(j, JSON_INDENT(2)))) {
            json_decref(j);
            goto done;
        }
        puts(text);
        free(text);
        json_decref(j);
        code = ZX_EXIT_OK;
        goto done;
    }
    snprintf(title, sizeof(title), "教师调配（%d 年）", year);
    g.items = l.items;
    if ((code = zx_cli_grid_write("redistribution", &g, fmt, out,
                                  zx_export_synthetic(db))))
        goto done;
    if (fmt == ZX_CLI_TABLE)
        printf("\n共 %d 人次，总距离 %.1f km；确认调配不改变教师名册，调动由"
               "办公室另行办理\n", l.n, l.km);

done:
    json_decref(l.items);
    return code;
}

int zx_cmd_redistribution(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = "table", *out = NULL, *v;
    const char *status = NULL, *pos[64];
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    long long *ids = NULL;
    int i, r, rc, fmt, year = 0, all = 0, remove = 0, npos = 0, done;
    int code;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else if (strcmp(argv[i], "--remove") == 0) {
            remove = 1;
        } else if ((r = zx_cli_option(argc, argv, &i, "--year", "-y",
                                      &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                            &v)) > 0) {
            out = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--status", NULL,
                                            &v)) > 0) {
            status = v;
        } else if (r < 0) {
            return zx_cli_usage_error("redistribution", "选项“%s”缺少取值",
                                      argv[i]);
        } else if (argv[i][0] == '-' || npos == 64) {
            return zx_cli_usage_error("redistribution", "无法识别的参数“%s”",
                                      argv[i]);
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (!npos)
        return zx_cli_usage_error("redistribution", "请给出子命令：propose、"
                                  "list、accept 或 forbid");
    if ((code = zx_cli_format("redistribution", fmt_s, 1u << ZX_CLI_TABLE |
                              1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV |
                              1u << ZX_CLI_XLSX, &fmt)))
        return code;
    if (out && fmt != ZX_CLI_XLSX)
        return zx_cli_usage_error("redistribution", "--out 只用于 xlsx 格式");
    if (status && strcmp(status, "proposed") && strcmp(status, "accepted"))
        return zx_cli_usage_error("redistribution", "--status 应为 proposed "
                                  "或 accepted");
    if (strcmp(pos[0], "accept") == 0) {
        if (all == (npos > 1))
            return zx_cli_usage_error("redistribution", "accept 需要 --all "
                                      "或调配编号（二者取一）");
        if (npos > 1 && !(ids = calloc((size_t)npos, sizeof(*ids))))
            return ZX_EXIT_SOFTWARE;
        for (i = 1; i < npos; i++) {
            char *end;

            ids[i - 1] = strtoll(pos[i], &end, 10);
            if (!*pos[i] || *end || ids[i - 1] <= 0) {
                free(ids);
                return zx_cli_usage_error("redistribution", "“%s”不是调配"
                                          "编号", pos[i]);
            }
        }
    } else if (strcmp(pos[0], "forbid") == 0 ? npos != 3
               : (strcmp(pos[0], "propose") && strcmp(pos[0], "list")) ||
                     npos != 1) {
        return zx_cli_usage_error("redistribution", "无法识别的子命令或参数"
                                  "“%s”；见 zhenxing redistribution --help",
                                  pos[npos > 1 ? 1 : 0]);
    }
    if ((year_s && (code = zx_cli_year("redistribution", year_s, &year))) ||
        (code = zx_cli_open_plan(cli, "redistribution", &db, &plan))) {
        free(ids);
        return code;
    }
    if (!year)
        year = zx_values_current_year(plan);
    if (strcmp(pos[0], "list") == 0) {
        code = run_list(db, year, fmt, status, out);
        goto out;
    }
    if (strcmp(pos[0], "propose") == 0) {
        zx_redistrib_outcome o;

        if ((rc = zx_redistrib_propose(db, plan, year, zx_audit_cli_actor(),
                                       &o)))
            goto fail;
        printf("已提出 %d 年调配方案：%d 人次，总距离 %.1f km，保留已确认 %d "
               "人次，未能补足的缺额 %d 人\n", year, o.moves, o.km, o.kept,
               o.unfilled);
        code = ZX_EXIT_OK;
        goto out;
    }
    if (strcmp(pos[0], "forbid") == 0) {
        if ((rc = zx_redistrib_forbid(db, pos[1], pos[2], remove,
                                      zx_audit_cli_actor())) ==
            ZX_ENOTFOUND) {
            fprintf(stderr, "zhenxing redistribution: “%s”或“%s”不是已登记"
                            "的学校标识码\n", pos[1], pos[2]);
            code = ZX_EXIT_FAIL;
            goto out;
        }
        if (rc)
            goto fail;
        printf("已%s禁止调配名单：%s → %s\n", remove ? "移出" : "列入",
               pos[1], pos[2]);
        code = ZX_EXIT_OK;
        goto out;
    }
    rc = zx_redistrib_accept(db, year, ids, all ? 0 : npos - 1,
                             zx_audit_cli_actor(), &done);
    if (rc == ZX_ENOTFOUND) {
        fprintf(stderr, "zhenxing redistribution: 有编号不是 %d 年待确认的"
                        "调配，未作任何确认\n", year);
        code = ZX_EXIT_FAIL;
        goto out;
    }
    if (rc)
        goto fail;
    printf("已确认 %d 人次调配（%d 年）；教师名册未改变，调动请通过教师信息"
           "修改或导入办理\n", done, year);
    code = ZX_EXIT_OK;
    goto out;

fail:
    fprintf(stderr, "zhenxing redistribution: %s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    code = zx_cli_exit_code(rc);
out:
    free(ids);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
