/*
 * cmd_summary.c - `zhenxing summary`: what the database holds, in a few
 * Chinese lines: the city, towns, groups, schools by kind, teachers by
 * employment, students per year, teachers' roles, and the small rural
 * schools the funding floor of clause 3.3-F2 is about.
 *
 * Read-only; every figure is one aggregate query, so the summary of a
 * province-sized database still takes only moments.
 */
#include "cli.h"
#include "codes.h"
#include "demo.h"
#include "indicator.h"
#include "planstore.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_summary[] =
    "用法: zhenxing [--db 路径] summary\n"
    "\n"
    "显示数据库概况：城市、区镇、教育集团，按办学类型统计的学校（及其中的\n"
    "乡村学校）、按用工类型统计的教师、各年度在校生、教师称号，以及最近\n"
    "一年在校生不足 500 人的乡村义务教育学校（条款 3.3-F2）。\n"
    "乡村学校指城乡类型不是 111 主城区、112 城乡结合区的学校。\n"
    "数据库中是合成数据时，会在开头注明。\n";

/* Small rural schools listed by name; the rest are only counted. */
#define MAX_LISTED 40

/* SQL for a school's family: 0 幼儿园 .. 5 其他, as in families[]. */
#define FAMILY_SQL                                                        \
    "CASE WHEN type_code IN (111, 119) THEN 0"                            \
    " WHEN type_code IN (211, 218, 219) THEN 1"                           \
    " WHEN type_code IN (311, 319) THEN 2 WHEN type_code = 312 THEN 3"    \
    " WHEN type_code IN (341, 342, 345) THEN 4 ELSE 5 END"
#define RURAL_SQL "urban_rural NOT IN (111, 112)"

static const char *const families[] = { "幼儿园", "小学", "初中",
                                        "九年一贯制", "高中", "其他" };
#define NFAMILIES 6

static sqlite3_stmt *prepare(zx_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(zx_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static const char *text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);

    return s ? s : "";
}

static int print_units(zx_db *db)
{
    sqlite3_stmt *st;
    char a[32];
    int first = 1;

    printf("  ");
    zx_cli_pad("区镇", 12);
    printf("%s 个\n  ", zx_cli_grouped(zx_db_int(db, "SELECT count(*) FROM org_unit"
                                             " WHERE kind = 'town'",
                                         NULL, 0), a));
    zx_cli_pad("教育集团等", 12);
    printf("%s 个", zx_cli_grouped(zx_db_int(db, "SELECT count(*) FROM org_unit"
                                          " WHERE kind = 'group'", NULL, 0),
                            a));
    st = prepare(db, "SELECT group_type, count(*) FROM org_unit"
                     " WHERE kind = 'group' GROUP BY group_type"
                     " ORDER BY count(*) DESC, group_type");
    if (!st)
        return ZX_EDB;
    while (sqlite3_step(st) == SQLITE_ROW) {
        printf("%s%s %s", first ? "（" : "、", text(st, 0),
               zx_cli_grouped(sqlite3_column_int64(st, 1), a));
        first = 0;
    }
    printf("%s\n", first ? "" : "）");
    sqlite3_finalize(st);
    return ZX_OK;
}

static int print_schools(zx_db *db)
{
    sqlite3_stmt *st;
    long long n[NFAMILIES] = { 0 }, rural[NFAMILIES] = { 0 }, total = 0,
              total_rural = 0;
    char a[32], b[32], line[64];
    int f;

    st = prepare(db, "SELECT " FAMILY_SQL ", count(*), sum(" RURAL_SQL ")"
                     " FROM school GROUP BY 1");
    if (!st)
        return ZX_EDB;
    while (sqlite3_step(st) == SQLITE_ROW) {
        f = sqlite3_column_int(st, 0);
        n[f] = sqlite3_column_int64(st, 1);
        rural[f] = sqlite3_column_int64(st, 2);
        total += n[f];
        total_rural += rural[f];
    }
    sqlite3_finalize(st);

    printf("  ");
    zx_cli_pad("学校", 12);
    printf("%s 所（乡村 %s 所，民办 %s 所）\n", zx_cli_grouped(total, a),
           zx_cli_grouped(total_rural, b),
           zx_cli_grouped(zx_db_int(db, "SELECT count(*) FROM school"
                                 " WHERE owner = 22", NULL, 0), line));
    for (f = 0; f < NFAMILIES; f++) {
        printf("    ");
        zx_cli_pad(families[f], 12);
        printf("%6s 所（乡村 %s", zx_cli_grouped(n[f], a), zx_cli_grouped(rural[f], b));
        if (f == 1) {
            long long tp = zx_db_int(db, "SELECT count(*) FROM school"
                                         " WHERE type_code = 218", NULL, 0);
            if (tp)
                printf("，其中教学点 %s", zx_cli_grouped(tp, a));
        }
        printf("）\n");
    }
    return ZX_OK;
}

/* Rows of a "SELECT value, count, count2 ... GROUP BY value" query, read
 * once (the scan may cover millions of teachers) and printed in the order
 * of a code list, values outside the list last. */
#define MAX_GROUPS 64

struct group_row {
    char value[64];
    long long n, n2;
};

static int read_groups(zx_db *db, const char *sql, struct group_row *rows,
                       int *nrows)
{
    sqlite3_stmt *st = prepare(db, sql);
    int step;

    *nrows = 0;
    if (!st)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && *nrows < MAX_GROUPS) {
        struct group_row *g = &rows[(*nrows)++];
        snprintf(g->value, sizeof(g->value), "%s", text(st, 0));
        g->n = sqlite3_column_int64(st, 1);
        g->n2 = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* Moves rows into the order of list. */
static void order_groups(const zx_codelist *list, struct group_row *rows,
                         int nrows)
{
    int i, j, k = 0;

    for (i = 0; i < list->n; i++)
        for (j = k; j < nrows; j++)
            if (strcmp(rows[j].value, list->items[i].code) == 0) {
                struct group_row tmp = rows[k];
                rows[k++] = rows[j];
                rows[j] = tmp;
                break;
            }
}

static int print_teachers(zx_db *db)
{
    struct group_row rows[MAX_GROUPS];
    char a[32];
    int i, n, rc;

    printf("  ");
    zx_cli_pad("教师", 12);
    printf("%s 名\n", zx_cli_grouped(zx_db_int(db, "SELECT count(*) FROM teacher",
                                        NULL, 0), a));
    if ((rc = read_groups(db, "SELECT employment, count(*), 0 FROM teacher"
                              " GROUP BY employment", rows, &n)))
        return rc;
    order_groups(zx_codes_get("employment"), rows, n);
    for (i = 0; i < n; i++) {
        const char *name = zx_codes_name_of(zx_codes_get("employment"),
                                            atoi(rows[i].value));
        printf("%s%s %s", i ? " · " : "    ", name ? name : rows[i].value,
               zx_cli_grouped(rows[i].n, a));
    }
    if (n)
        putchar('\n');
    return ZX_OK;
}

static int print_students(zx_db *db)
{
    sqlite3_stmt *st;
    char a[32], b[32], c[32], d[32], e[32];
    int any = 0;

    st = prepare(db, "SELECT year, sum(students), sum(classes),"
                     " sum(boarders), sum(special), count(*)"
                     " FROM enrolment GROUP BY year ORDER BY year");
    if (!st)
        return ZX_EDB;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!any)
            printf("  在校生\n");
        any = 1;
        printf("    %d 年  %9s 人  %7s 个班  寄宿生 %7s  随班就读 %5s"
               "  （%s 所学校）\n",
               sqlite3_column_int(st, 0),
               zx_cli_grouped(sqlite3_column_int64(st, 1), a),
               zx_cli_grouped(sqlite3_column_int64(st, 2), b),
               zx_cli_grouped(sqlite3_column_int64(st, 3), c),
               zx_cli_grouped(sqlite3_column_int64(st, 4), d),
               zx_cli_grouped(sqlite3_column_int64(st, 5), e));
    }
    if (!any)
        printf("  在校生        尚无数据\n");
    sqlite3_finalize(st);
    return ZX_OK;
}

static int print_roles(zx_db *db)
{
    struct group_row rows[MAX_GROUPS];
    char a[32], b[32];
    int i, n, rc;

    if ((rc = read_groups(db, "SELECT title, count(*), sum(end_year IS NULL)"
                              " FROM teacher_role GROUP BY title",
                          rows, &n)))
        return rc;
    order_groups(zx_codes_get("role_title"), rows, n);
    printf("  教师称号%s\n", n ? "（记录数，其中仍有效）" : "      尚无数据");
    for (i = 0; i < n; i++) {
        printf("    ");
        zx_cli_pad(rows[i].value, 18);
        printf("%6s 条（有效 %s）\n", zx_cli_grouped(rows[i].n, a),
               zx_cli_grouped(rows[i].n2, b));
    }
    return ZX_OK;
}

static int print_small_schools(zx_db *db)
{
    sqlite3_stmt *st;
    char a[32];
    int year, listed = 0;
    long long total;

    year = (int)zx_db_int(db, "SELECT max(year) FROM enrolment", NULL, 0);
    if (!year)
        return ZX_OK;
    st = prepare(db, "SELECT u.name, t.name, e.students, count(*) OVER ()"
                     " FROM enrolment e"
                     " JOIN school s ON s.unit_id = e.school_id"
                     " JOIN org_unit u ON u.id = s.unit_id"
                     " JOIN org_unit t ON t.id = u.parent_id"
                     " WHERE e.year = ?1 AND e.students < 500"
                     " AND s." RURAL_SQL " AND (s.type_code / 100 = 2"
                     " OR s.type_code IN (311, 312, 319))"
                     " ORDER BY e.students DESC, u.code");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while (sqlite3_step(st) == SQLITE_ROW) {
        total = sqlite3_column_int64(st, 3);
        if (listed == 0)
            printf("\n%d 年在校生不足 500 人的乡村义务教育学校：%s 所\n"
                   "（条款 3.3-F2：按 500 人核定生均公用经费）\n",
                   year, zx_cli_grouped(total, a));
        if (listed == MAX_LISTED) {
            printf("    ……另有 %s 所\n", zx_cli_grouped(total - listed, a));
            break;
        }
        printf("    ");
        zx_cli_pad(text(st, 0), 30);
        zx_cli_pad(text(st, 1), 22);
        printf("%5d 人\n", sqlite3_column_int(st, 2));
        listed++;
    }
    if (listed == 0)
        printf("\n%d 年没有在校生不足 500 人的乡村义务教育学校\n", year);
    sqlite3_finalize(st);
    return ZX_OK;
}

struct plan_tally {
    int n[5];                  /* by zx_status */
    const zx_goal *goals;
    int ngoals;
    int by_goal[16][5];
};

static int tally(void *ctx, const zx_result *r)
{
    struct plan_tally *t = ctx;
    int g;

    t->n[r->status]++;
    for (g = 0; g < t->ngoals && g < 16; g++)
        if (strcmp(t->goals[g].id, r->ind->goal) == 0)
            t->by_goal[g][r->status]++;
    return 0;
}

/* Where the plan in force stands at the city level, per goal. */
static int print_plan(zx_db *db)
{
    zx_plan *plan = NULL;
    zx_engine *e = NULL;
    zx_diag *diag = zx_diag_new();
    struct plan_tally t;
    int rc, g, year, ntasks;

    memset(&t, 0, sizeof(t));
    rc = diag ? zx_planstore_get(db, &plan, diag) : ZX_ENOMEM;
    if (rc == ZX_ENOTFOUND) {
        rc = ZX_OK;
        goto done;
    }
    if (rc || (rc = zx_engine_open(db, plan, &e, diag)))
        goto done;
    /* the plan's current year, or the last year anything was entered
     * for when that is earlier (a plan whose data stop in 2021) */
    year = zx_values_current_year(plan);
    g = (int)zx_db_int(db, "SELECT max(year) FROM data_value", NULL, 0);
    if (g > zx_plan_baseline(plan) && g < year)
        year = g;
    t.goals = zx_plan_goals(plan, &t.ngoals);
    if ((rc = zx_engine_eval(e, NULL, year, 1u << ZX_LEVEL_CITY, 0, tally,
                             &t)))
        goto done;
    zx_plan_tasks(plan, &ntasks);
    printf("\n%s\n  %d 年全市 %d 项指标：达标 %d · 按期推进 %d · 滞后 %d · "
           "无数据 %d；任务 %d 项\n",
           zx_plan_name(plan), year,
           t.n[0] + t.n[1] + t.n[2] + t.n[3] + t.n[4], t.n[ZX_STATUS_MET],
           t.n[ZX_STATUS_ON_TRACK], t.n[ZX_STATUS_BEHIND],
           t.n[ZX_STATUS_NO_DATA], ntasks);
    for (g = 0; g < t.ngoals && g < 16; g++)
        printf("    %s：达标 %d · 按期推进 %d · 滞后 %d · 无数据 %d\n",
               t.goals[g].name, t.by_goal[g][ZX_STATUS_MET],
               t.by_goal[g][ZX_STATUS_ON_TRACK],
               t.by_goal[g][ZX_STATUS_BEHIND],
               t.by_goal[g][ZX_STATUS_NO_DATA]);
    printf("  （明细：zhenxing indicators；任务：zhenxing tasks）\n");

done:
    zx_engine_close(e);
    zx_plan_free(plan);
    zx_diag_free(diag);
    return rc;
}

int zx_cmd_summary(zx_cli *cli, int argc, char **argv)
{
    zx_db *db = NULL;
    char *synthetic = NULL, *seed = NULL, *scale = NULL, *city = NULL;
    sqlite3_stmt *st;
    int code, rc = ZX_OK;

    if (argc > 1)
        return zx_cli_usage_error("summary", "无法识别的参数“%s”", argv[1]);
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;

    rc = ZX_EDB;
    st = prepare(db, "SELECT name FROM org_unit WHERE kind = 'city'"
                     " ORDER BY id LIMIT 1");
    if (!st)
        goto fail;
    if (sqlite3_step(st) == SQLITE_ROW)
        city = strdup(text(st, 0));
    sqlite3_finalize(st);
    rc = ZX_OK;
    if (!city) {
        fprintf(stderr, "zhenxing summary: 数据库 %s 尚未初始化，请先运行:\n"
                        "  zhenxing --db %s init\n",
                cli->db_path, cli->db_path);
        code = ZX_EXIT_FAIL;
        goto fail;
    }

    synthetic = zx_db_meta_get(db, "synthetic");
    if (synthetic && strcmp(synthetic, "1") == 0) {
        seed = zx_db_meta_get(db, "synthetic_seed");
        scale = zx_db_meta_get(db, "synthetic_scale");
        printf("%s\n", zx_demo_banner);
        if (seed && scale)
            printf("（由 zhenxing demo 生成：种子 %s，规模 %s 个城市）\n",
                   seed, scale);
        putchar('\n');
    }
    printf("%s 数据概况（%s）\n", city, cli->db_path);
    if ((rc = print_units(db)) || (rc = print_schools(db)) ||
        (rc = print_teachers(db)) || (rc = print_students(db)) ||
        (rc = print_roles(db)) || (rc = print_small_schools(db)))
        goto fail;
    printf("\n乡村学校：城乡类型不是 111 主城区、112 城乡结合区的学校。\n");
    if (zx_db_int(db, "SELECT count(*) FROM school", NULL, 0) == 0)
        printf("还没有学校数据：用 zhenxing import 导入，"
               "或在新数据库中用 zhenxing demo 生成合成数据。\n");
    rc = print_plan(db);

fail:
    if (rc) {
        fprintf(stderr, "zhenxing summary: 读取数据库失败：%s\n",
                zx_db_errmsg(db));
        code = zx_cli_exit_code(rc);
    }
    free(city);
    free(synthetic);
    free(seed);
    free(scale);
    zx_db_close(db);
    return code;
}
