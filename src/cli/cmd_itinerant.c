/*
 * cmd_itinerant.c - `zhenxing itinerant`: the year's pool of itinerant
 * teachers of scarce subjects, the plan of their week, the timetables and
 * the needs with their coverage (clauses 3.4.3-T10, 3.5.2-R4).  Everything
 * is done by itinerant.h; this file parses and prints.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "demo.h"
#include "export.h"
#include "itinerant.h"
#include "values.h"
#include "zx.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_itinerant[] =
    "用法: zhenxing [--db 路径] itinerant pool fill|list [--year 年度]\n"
    "                  [--format table|csv|json]\n"
    "      zhenxing itinerant pool add 教师编号 [--max-hours 课时] [--year 年度]\n"
    "      zhenxing itinerant pool remove 教师编号 [--year 年度]\n"
    "      zhenxing itinerant plan [--year 年度]\n"
    "      zhenxing itinerant timetable [--year 年度] [--teacher 教师编号 |\n"
    "                  --school 学校标识码] [--format table|csv|xlsx|json]\n"
    "                  [--out 文件]\n"
    "      zhenxing itinerant needs [--year 年度] [--format table|csv|json]\n"
    "\n"
    "紧缺学科教师走教（条款 3.4.3-T10、3.5.2-R4）。乡村学校每周缺少的紧缺学科\n"
    "课时见走教需求表（由编制测算 zhenxing staffing --save 写入）；标准见\n"
    "zhenxing rules list itinerant。\n"
    "\n"
    "  pool fill    从登记数据推荐走教教师：城区学校、建制镇所在地学校和教育\n"
    "               集团总校中任教计划所定紧缺学科（scarce_subjects）的在编或\n"
    "               备案制教师，每校每学科至多 pool.per_school 人（本校任教年限\n"
    "               长者优先），每周课时上限取 load.week；已在名单中的不变\n"
    "  pool add     把一名教师加入当年走教名单，或修改其每周课时上限\n"
    "  pool remove  把一名教师移出当年走教名单（已排的课表在重新排课前不变）\n"
    "  pool list    列出走教名单及已排课时\n"
    "  plan         排出当年走教安排并写入（替换此前的安排，记一条审计）：\n"
    "               教师只教本学科、不去本校，单程路程时间（学校间直线距离按\n"
    "               travel.speed_kmh 折算）不超过 travel.max_min，每周不超过\n"
    "               课时上限、走教学校不超过 schools.max 所；先求覆盖课时最多，\n"
    "               再求路程最短（最小费用流）。每周 5 天，每天只去一所学校、\n"
    "               至多 load.day 节，排不进 5 天的部分削减后再交其他教师；\n"
    "               同时写入各校各学科已覆盖课时（指标“紧缺学科走教课时满足率”）\n"
    "  timetable    课表：按教师（--teacher）或按学校（--school），不给则列出\n"
    "               全部教师；xlsx 每位教师（或每所学校）一个工作表\n"
    "  needs        各校各紧缺学科每周缺口课时和已覆盖课时\n"
    "\n"
    "选项:\n"
    "  --year 年度        默认为计划年度中不晚于今年的最后一年\n"
    "  --max-hours 课时   pool add 时的每周课时上限（默认 load.week）\n"
    "  --format 格式      table（默认）、csv、json，timetable 另有 xlsx\n"
    "  --out 文件         写入文件（xlsx 默认写到标准输出）\n"
    "\n"
    "退出码: 0 成功；64 用法错误；65 数据不符；66 数据库、计划或教师不存在；\n"
    "74 文件无法写入\n";

static const char *subject_name(int code)
{
    const char *s = zx_codes_name_of(zx_codes_get("subject"), code);

    return s ? s : "";
}

/* ---- pool ------------------------------------------------------------- */

struct out {
    int fmt;
    json_t *arr;
    int n;
};

static int pool_row(void *ctx, const zx_itinerant_pool_row *r)
{
    struct out *o = ctx;
    char h[32], a[32];

    snprintf(h, sizeof(h), "%g", r->max_hours);
    snprintf(a, sizeof(a), "%g", r->assigned);
    o->n++;
    if (o->fmt == ZX_CLI_JSON)
        return json_array_append_new(o->arr, json_pack(
            "{s:s, s:s, s:s, s:s, s:i, s:s, s:f, s:f, s:i}", "teacher_no",
            r->no, "name", r->name, "school_code", r->school_code,
            "school_name", r->school_name, "subject", r->subject,
            "subject_name", subject_name(r->subject), "max_hours",
            r->max_hours, "assigned", r->assigned, "schools", r->schools))
                   ? ZX_ENOMEM : 0;
    if (o->fmt == ZX_CLI_CSV) {
        zx_cli_csv_cell(r->no, 0);
        zx_cli_csv_cell(r->name, 0);
        zx_cli_csv_cell(r->school_code, 0);
        zx_cli_csv_cell(r->school_name, 0);
        zx_cli_csv_cell(subject_name(r->subject), 0);
        zx_cli_csv_cell(h, 0);
        zx_cli_csv_cell(a, 0);
        snprintf(h, sizeof(h), "%d", r->schools);
        zx_cli_csv_cell(h, 1);
        return 0;
    }
    zx_cli_pad(r->no, 14);
    zx_cli_pad(r->name, 10);
    zx_cli_pad(r->school_name, 28);
    zx_cli_pad(subject_name(r->subject), 14);
    printf("%8s %8s %6d\n", h, a, r->schools);
    return 0;
}

static int print_pool(zx_db *db, int year, int fmt)
{
    static const char *const heads[] = {
        "教师编号", "姓名", "所在学校标识码", "所在学校", "学科",
        "每周课时上限", "已排课时", "走教学校数"
    };
    struct out o = { fmt, NULL, 0 };
    int rc, c;

    if (fmt == ZX_CLI_JSON && !(o.arr = json_array()))
        return ZX_ENOMEM;
    if (fmt == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf", stdout);
        for (c = 0; c < 8; c++)
            zx_cli_csv_cell(heads[c], c == 7);
    } else if (fmt == ZX_CLI_TABLE) {
        printf("%d 年走教教师名单\n", year);
        zx_cli_pad("教师编号", 14);
        zx_cli_pad("姓名", 10);
        zx_cli_pad("所在学校", 28);
        zx_cli_pad("学科", 14);
        printf("%8s %8s %6s\n", "上限", "已排", "学校数");
    }
    rc = zx_itinerant_pool_list(db, year, pool_row, &o);
    if (!rc && fmt == ZX_CLI_JSON) {
        char *s = json_dumps(o.arr, JSON_INDENT(2));

        if (!s)
            rc = ZX_ENOMEM;
        else
            puts(s);
        free(s);
    } else if (!rc && fmt == ZX_CLI_TABLE) {
        printf("共 %d 人\n", o.n);
    }
    json_decref(o.arr);
    return rc;
}

/* ---- needs ------------------------------------------------------------ */

static int need_row(void *ctx, const zx_itinerant_need_row *r)
{
    struct out *o = ctx;
    char l[32], c[32];

    snprintf(l, sizeof(l), "%g", r->lacking);
    snprintf(c, sizeof(c), "%g", r->covered);
    o->n++;
    if (o->fmt == ZX_CLI_JSON)
        return json_array_append_new(o->arr, json_pack(
            "{s:s, s:s, s:s, s:i, s:s, s:f, s:f}", "school_code",
            r->school_code, "school_name", r->school_name, "town", r->town,
            "subject", r->subject, "subject_name", subject_name(r->subject),
            "lacking", r->lacking, "covered", r->covered)) ? ZX_ENOMEM : 0;
    if (o->fmt == ZX_CLI_CSV) {
        zx_cli_csv_cell(r->school_code, 0);
        zx_cli_csv_cell(r->school_name, 0);
        zx_cli_csv_cell(r->town, 0);
        zx_cli_csv_cell(subject_name(r->subject), 0);
        zx_cli_csv_cell(l, 0);
        zx_cli_csv_cell(c, 1);
        return 0;
    }
    zx_cli_pad(r->school_code, 12);
    zx_cli_pad(r->school_name, 28);
    zx_cli_pad(*r->town ? r->town : "-", 12);
    zx_cli_pad(subject_name(r->subject), 14);
    printf("%8s %8s\n", l, c);
    return 0;
}

/* Sums of the needs, for the table's last line. */
struct sums {
    struct out o;
    double lacking, covered;
};

static int need_sum(void *ctx, const zx_itinerant_need_row *r)
{
    struct sums *s = ctx;

    s->lacking += r->lacking;
    s->covered += r->covered;
    return need_row(&s->o, r);
}

static int print_needs(zx_db *db, int year, int fmt)
{
    static const char *const heads[] = {
        "学校标识码", "学校名称", "区镇", "学科", "每周缺口课时", "已覆盖课时"
    };
    struct sums s;
    int rc, c;

    memset(&s, 0, sizeof(s));
    s.o.fmt = fmt;
    if (fmt == ZX_CLI_JSON && !(s.o.arr = json_array()))
        return ZX_ENOMEM;
    if (fmt == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf", stdout);
        for (c = 0; c < 6; c++)
            zx_cli_csv_cell(heads[c], c == 5);
    } else if (fmt == ZX_CLI_TABLE) {
        printf("%d 年紧缺学科走教需求\n", year);
        zx_cli_pad("学校标识码", 12);
        zx_cli_pad("学校名称", 28);
        zx_cli_pad("区镇", 12);
        zx_cli_pad("学科", 14);
        printf("%8s %8s\n", "缺口", "已覆盖");
    }
    rc = zx_itinerant_needs_list(db, year, need_sum, &s);
    if (!rc && fmt == ZX_CLI_JSON) {
        char *t = json_dumps(s.o.arr, JSON_INDENT(2));

        if (!t)
            rc = ZX_ENOMEM;
        else
            puts(t);
        free(t);
    } else if (!rc && fmt == ZX_CLI_TABLE) {
        printf("共 %d 项，每周缺口 %g 节，已覆盖 %g 节（%.1f%%）\n", s.o.n,
               s.lacking, s.covered,
               s.lacking > 0 ? 100 * s.covered / s.lacking : 0.0);
    }
    json_decref(s.o.arr);
    return rc;
}

/* ---- timetable -------------------------------------------------------- */

struct tt {
    struct out o;
    int by_school;
    char last[64];
};

static int slot_row(void *ctx, const zx_itinerant_slot_row *r)
{
    struct tt *t = ctx;
    char h[32], m[32];
    const char *key = t->by_school ? r->school_code : r->teacher_no;

    snprintf(h, sizeof(h), "%g", r->hours);
    if (isnan(r->travel_min))
        m[0] = 0;
    else
        snprintf(m, sizeof(m), "%.1f", r->travel_min);
    t->o.n++;
    if (t->o.fmt == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i,"
                              " s:s, s:f}", "day", r->day, "day_name",
                              zx_itinerant_day_name(r->day), "teacher_no",
                              r->teacher_no, "teacher_name", r->teacher_name,
                              "home_code", r->home_code, "home_name",
                              r->home_name, "school_code", r->school_code,
                              "school_name", r->school_name, "subject",
                              r->subject, "subject_name",
                              subject_name(r->subject), "hours", r->hours);

        if (j && json_object_set_new(j, "travel_min",
                                     isnan(r->travel_min)
                                         ? json_null()
                                         : json_real(r->travel_min)))
            json_decref(j), j = NULL;
        return json_array_append_new(t->o.arr, j) ? ZX_ENOMEM : 0;
    }
    if (t->o.fmt == ZX_CLI_CSV) {
        zx_cli_csv_cell(zx_itinerant_day_name(r->day), 0);
        zx_cli_csv_cell(r->teacher_no, 0);
        zx_cli_csv_cell(r->teacher_name, 0);
        zx_cli_csv_cell(r->home_name, 0);
        zx_cli_csv_cell(r->school_code, 0);
        zx_cli_csv_cell(r->school_name, 0);
        zx_cli_csv_cell(subject_name(r->subject), 0);
        zx_cli_csv_cell(h, 0);
        zx_cli_csv_cell(m, 1);
        return 0;
    }
    if (strcmp(t->last, key)) {
        snprintf(t->last, sizeof(t->last), "%s", key);
        if (t->by_school)
            printf("\n%s %s\n", r->school_code, r->school_name);
        else
            printf("\n%s %s（%s，%s）\n", r->teacher_no, r->teacher_name,
                   subject_name(r->subject), r->home_name);
    }
    printf("  %s  ", zx_itinerant_day_name(r->day));
    if (t->by_school) {
        zx_cli_pad(r->teacher_no, 14);
        zx_cli_pad(r->teacher_name, 10);
    } else {
        zx_cli_pad(r->school_name, 28);
    }
    zx_cli_pad(subject_name(r->subject), 14);
    printf("%4s 节  单程 %s 分钟\n", h, *m ? m : "-");
    return 0;
}

static int print_timetable(zx_db *db, int year, const char *teacher,
                           const char *school, int fmt)
{
    static const char *const heads[] = {
        "星期", "教师编号", "教师姓名", "所在学校", "走教学校标识码",
        "走教学校名称", "学科", "课时(节)", "单程路程(分钟)"
    };
    struct tt t;
    int rc, c;

    memset(&t, 0, sizeof(t));
    t.o.fmt = fmt;
    t.by_school = school != NULL;
    if (fmt == ZX_CLI_JSON && !(t.o.arr = json_array()))
        return ZX_ENOMEM;
    if (fmt == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf", stdout);
        for (c = 0; c < 9; c++)
            zx_cli_csv_cell(heads[c], c == 8);
    } else if (fmt == ZX_CLI_TABLE) {
        printf("%d 年走教课表\n", year);
    }
    rc = zx_itinerant_slots_list(db, year, teacher, school, t.by_school,
                                 slot_row, &t);
    if (!rc && fmt == ZX_CLI_JSON) {
        char *s = json_dumps(t.o.arr, JSON_INDENT(2));

        if (!s)
            rc = ZX_ENOMEM;
        else
            puts(s);
        free(s);
    } else if (!rc && fmt == ZX_CLI_TABLE && !t.o.n) {
        puts("（没有走教安排：先运行 zhenxing itinerant plan）");
    }
    json_decref(t.o.arr);
    return rc;
}

/* ---- the command ------------------------------------------------------ */

int zx_cmd_itinerant(zx_cli *cli, int argc, char **argv)
{
    const char *year_s = NULL, *fmt_s = NULL, *out = NULL, *teacher = NULL,
               *school = NULL, *hours_s = NULL, *v, *pos[3] = { 0 };
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_itinerant *it = NULL;
    zx_export_file ef;
    double hours = 0;
    int i, r, rc = ZX_OK, npos = 0, fmt, year = 0, code = ZX_EXIT_SOFTWARE;
    unsigned allowed = 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON |
                       1u << ZX_CLI_CSV;

    memset(&ef, 0, sizeof(ef));
    for (i = 1; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--year", "-y", &v)) > 0) {
            year_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--format", "-f",
                                            &v)) > 0) {
            fmt_s = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--out", "-o",
                                            &v)) > 0) {
            out = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--teacher", NULL,
                                            &v)) > 0) {
            teacher = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--school", NULL,
                                            &v)) > 0) {
            school = v;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--max-hours",
                                            NULL, &v)) > 0) {
            hours_s = v;
        } else if (r < 0) {
            return zx_cli_usage_error("itinerant", "选项“%s”缺少取值",
                                      argv[i]);
        } else if (argv[i][0] == '-' || npos == 3) {
            return zx_cli_usage_error("itinerant", "无法识别的参数“%s”",
                                      argv[i]);
        } else {
            pos[npos++] = argv[i];
        }
    }
    if (!npos)
        return zx_cli_usage_error("itinerant", "缺少子命令：pool、plan、"
                                  "timetable 或 needs");
    if (strcmp(pos[0], "timetable") == 0)
        allowed |= 1u << ZX_CLI_XLSX;
    if ((code = zx_cli_format("itinerant", fmt_s, allowed, &fmt)))
        return code;
    if (out && fmt != ZX_CLI_XLSX)
        return zx_cli_usage_error("itinerant", "--out 只用于 xlsx 格式");
    if (teacher && school)
        return zx_cli_usage_error("itinerant", "--teacher 与 --school 只能"
                                  "给一个");
    if (hours_s) {
        char *end;

        hours = strtod(hours_s, &end);
        if (end == hours_s || *end || !(hours > 0) || hours > 40)
            return zx_cli_usage_error("itinerant", "--max-hours“%s”应为 "
                                      "0～40 之间的课时数", hours_s);
    }
    if (strcmp(pos[0], "pool") == 0) {
        const char *sub = pos[1];
        int need_no = sub && (strcmp(sub, "add") == 0 ||
                              strcmp(sub, "remove") == 0);

        if (!sub || (!need_no && strcmp(sub, "fill") &&
                     strcmp(sub, "list")))
            return zx_cli_usage_error("itinerant", "pool 之后应为 fill、add、"
                                      "remove 或 list");
        if (need_no != (pos[2] != NULL))
            return zx_cli_usage_error("itinerant", need_no
                                      ? "pool %s 需要一个教师编号"
                                      : "pool %s 不带其他参数", sub);
    } else if (strcmp(pos[0], "plan") && strcmp(pos[0], "timetable") &&
               strcmp(pos[0], "needs")) {
        return zx_cli_usage_error("itinerant", "没有子命令“%s”：应为 pool、"
                                  "plan、timetable 或 needs", pos[0]);
    } else if (npos > 1) {
        return zx_cli_usage_error("itinerant", "无法识别的参数“%s”", pos[1]);
    }
    if (hours_s && !(strcmp(pos[0], "pool") == 0 && pos[1] &&
                     strcmp(pos[1], "add") == 0))
        return zx_cli_usage_error("itinerant", "--max-hours 只用于 pool add");
    if ((teacher || school) && strcmp(pos[0], "timetable"))
        return zx_cli_usage_error("itinerant", "--teacher、--school 只用于 "
                                  "timetable");
    if ((year_s && (code = zx_cli_year("itinerant", year_s, &year))) ||
        (code = zx_cli_open_plan(cli, "itinerant", &db, &plan)))
        goto done;
    if (!year)
        year = zx_values_current_year(plan);
    code = ZX_EXIT_SOFTWARE;
    if (strcmp(pos[0], "pool") == 0) {
        if (strcmp(pos[1], "fill") == 0) {
            int added = 0;

            rc = zx_itinerant_pool_fill(db, plan, year, zx_audit_cli_actor(),
                                        &added);
            if (rc == ZX_EDATA) {
                fprintf(stderr, "zhenxing itinerant: 计划没有设定紧缺学科"
                        "（settings.scarce_subjects）\n");
                code = ZX_EXIT_DATA;
                goto done;
            }
            if (!rc)
                printf("已向 %d 年走教名单加入 %d 名教师\n", year, added);
        } else if (strcmp(pos[1], "add") == 0) {
            rc = zx_itinerant_pool_add(db, year, pos[2], hours,
                                       zx_audit_cli_actor());
            if (!rc)
                printf("已把教师 %s 列入 %d 年走教名单\n", pos[2], year);
        } else if (strcmp(pos[1], "remove") == 0) {
            rc = zx_itinerant_pool_remove(db, year, pos[2],
                                          zx_audit_cli_actor());
            if (!rc)
                printf("已把教师 %s 移出 %d 年走教名单\n", pos[2], year);
        } else {
            rc = print_pool(db, year, fmt);
        }
        if (rc == ZX_ENOTFOUND) {
            fprintf(stderr, "zhenxing itinerant: %s %s\n", pos[2],
                    strcmp(pos[1], "add") == 0 ? "不是登记在册的教师编号"
                                               : "不在当年走教名单中");
            code = ZX_EXIT_NOINPUT;
            goto done;
        }
    } else if (strcmp(pos[0], "plan") == 0) {
        rc = zx_itinerant_plan(db, year, zx_audit_cli_actor(), &it);
        if (!rc)
            printf("%d 年走教安排：%d 名教师、%d 项走教，每周缺口 %g 节，"
                   "覆盖 %g 节（%.1f%%）；削减排不进一周的 %d 节，"
                   "单程路程合计 %.1f 分钟\n", year, it->nteachers,
                   it->nvisits, it->lacking, it->covered,
                   it->lacking > 0 ? 100 * it->covered / it->lacking : 0.0,
                   it->cut, it->travel_min);
    } else if (strcmp(pos[0], "needs") == 0) {
        rc = print_needs(db, year, fmt);
    } else if (fmt != ZX_CLI_XLSX) {
        rc = print_timetable(db, year, teacher, school, fmt);
    } else {
        int synthetic = zx_export_synthetic(db);

        if (zx_export_file_open(&ef, out, 1) != ZX_OK ||
            (rc = zx_itinerant_write_xlsx(db, year, teacher, school,
                                          school != NULL, NULL, NULL,
                                          synthetic ? zx_demo_banner : NULL,
                                          ef.name)) == ZX_EIO ||
            (!rc && zx_export_file_close(&ef, 1) != ZX_OK)) {
            fprintf(stderr, "zhenxing itinerant: 无法写入 %s：%s\n",
                    out ? out : "标准输出", zx_export_strerror(errno));
            zx_export_file_close(&ef, 0);
            code = ZX_EXIT_IO;
            goto done;
        }
        if (rc)
            zx_export_file_close(&ef, 0);
    }
    if (rc) {
        fprintf(stderr, "zhenxing itinerant: %s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    code = ZX_EXIT_OK;

done:
    zx_itinerant_free(it);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
