/*
 * cmd_audit.c - `zhenxing audit`: read the audit log with filters, and
 * `zhenxing audit verify`: check its hash chain.
 */
#include "audit.h"
#include "cli.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_audit[] =
    "用法: zhenxing [--db 路径] audit [--table 表] [--actor 人员] [--unit 编码]\n"
    "                [--since 日期] [--until 日期] [--limit N]\n"
    "                [--format table|json]\n"
    "       zhenxing [--db 路径] audit verify\n"
    "\n"
    "审计日志记录每一次修改：何人、何时、从何处、改了什么、旧值和新值。\n"
    "日志逐条以哈希相连，事后修改或删除任何一条都能被 audit verify 发现。\n"
    "\n"
    "选项:\n"
    "  --table 表      只看某类记录，如 teacher、school、data_value、\n"
    "                  task_progress、plan_version、org_unit\n"
    "  --actor 人员    只看某人的操作（如 cli:root、demo）\n"
    "  --unit 编码     只看与该单位（学校标识码、区镇编码）有关的记录，\n"
    "                  包括其教师的记录\n"
    "  --since 日期    起始日期（含），如 2021-09-01\n"
    "  --until 日期    截止日期（含）\n"
    "  --limit N       最多列出 N 条，最新的在前（默认 50）\n"
    "  --format 格式   table（默认）或 json\n"
    "\n"
    "退出码: audit verify 完好时为 0，发现篡改时为 1\n";

static int verify(zx_cli *cli)
{
    zx_db *db = NULL;
    long long bad = 0, n;
    int rc, code;

    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    n = zx_db_int(db, "SELECT count(*) FROM audit", NULL, 0);
    rc = zx_audit_verify(db, &bad);
    if (rc == ZX_OK) {
        printf("审计日志完好：共 %lld 条，哈希链首尾一致\n", n);
        code = ZX_EXIT_OK;
    } else if (rc == ZX_EDATA) {
        fprintf(stderr, "审计日志被改动：第 %lld 条记录与哈希链不符"
                        "（被修改、删除，或其后的记录被截去）\n", bad);
        code = ZX_EXIT_FAIL;
    } else {
        fprintf(stderr, "zhenxing audit: 无法读取审计日志：%s\n",
                zx_db_errmsg(db));
        code = zx_cli_exit_code(rc);
    }
    zx_db_close(db);
    return code;
}

int zx_cmd_audit(zx_cli *cli, int argc, char **argv)
{
    const char *table = NULL, *actor = NULL, *unit = NULL, *since = NULL;
    const char *until = NULL, *limit_s = "50", *fmt = "table", *v;
    char until_end[32];
    zx_db *db = NULL;
    sqlite3_stmt *st = NULL;
    json_t *arr = NULL;
    int i, r, code, step, json = 0, n = 0;

    if (argc > 1 && strcmp(argv[1], "verify") == 0) {
        if (argc > 2)
            return zx_cli_usage_error("audit", "多余的参数“%s”", argv[2]);
        return verify(cli);
    }
    for (i = 1; i < argc; i++) {
        const char **dst = NULL;
        static const char *const opts[] = { "--table", "--actor", "--unit",
                                            "--since", "--until", "--limit",
                                            "--format" };
        const char **dsts[] = { &table, &actor, &unit, &since, &until,
                                &limit_s, &fmt };
        size_t k;

        for (k = 0, r = 0; k < sizeof(opts) / sizeof(opts[0]) && !r; k++)
            if ((r = zx_cli_option(argc, argv, &i, opts[k], NULL, &v)) > 0)
                dst = dsts[k];
        if (r < 0)
            return zx_cli_usage_error("audit", "选项“%s”缺少取值", argv[i]);
        if (!dst)
            return zx_cli_usage_error("audit", "无法识别的参数“%s”",
                                      argv[i]);
        *dst = v;
    }
    if (strcmp(fmt, "json") == 0)
        json = 1;
    else if (strcmp(fmt, "table") != 0)
        return zx_cli_usage_error("audit", "格式“%s”无效：应为 table 或 json",
                                  fmt);
    if (atoi(limit_s) <= 0)
        return zx_cli_usage_error("audit", "--limit 应为正整数");
    /* "until 2021-09-30" means the whole of that day */
    snprintf(until_end, sizeof(until_end), "%s~", until ? until : "");
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    if (sqlite3_prepare_v2(
            zx_db_sqlite(db),
            "SELECT id, at, actor, addr, action, tbl, key, old, new"
            " FROM audit WHERE (?1 IS NULL OR tbl = ?1)"
            " AND (?2 IS NULL OR actor = ?2)"
            " AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at <= ?4)"
            " AND (?5 IS NULL OR key = ?5 OR key LIKE ?5 || '/%'"
            "  OR key IN (SELECT t.teacher_no FROM teacher t"
            "   JOIN org_unit u ON u.id = t.school_id"
            "   WHERE u.code = ?5 OR u.parent_id ="
            "   (SELECT id FROM org_unit WHERE code = ?5))"
            "  OR key IN (SELECT u.code FROM org_unit u WHERE u.parent_id ="
            "   (SELECT id FROM org_unit WHERE code = ?5)))"
            " ORDER BY id DESC LIMIT ?6",
            -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "zhenxing audit: 无法读取审计日志：%s\n",
                zx_db_errmsg(db));
        zx_db_close(db);
        return ZX_EXIT_SOFTWARE;
    }
    if (table)
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (actor)
        sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
    if (since)
        sqlite3_bind_text(st, 3, since, -1, SQLITE_STATIC);
    if (until)
        sqlite3_bind_text(st, 4, until_end, -1, SQLITE_STATIC);
    if (unit)
        sqlite3_bind_text(st, 5, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, atoi(limit_s));
    if (json)
        arr = json_array();
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[9];
        int c;

        for (c = 0; c < 9; c++)
            f[c] = (const char *)sqlite3_column_text(st, c);
        n++;
        if (json) {
            json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
                                  "id", (json_int_t)sqlite3_column_int64(st, 0),
                                  "at", f[1], "actor", f[2], "addr", f[3],
                                  "action", f[4], "table", f[5], "key", f[6]);
            if (o) {
                json_object_set_new(o, "old", f[7] ? json_loads(f[7], 0, NULL)
                                                   : json_null());
                json_object_set_new(o, "new", f[8] ? json_loads(f[8], 0, NULL)
                                                   : json_null());
                json_array_append_new(arr, o);
            }
            continue;
        }
        printf("#%s  %.19s  %-12s %-7s %-14s %s", f[0], f[1], f[2], f[4],
               f[5], f[6]);
        if (f[7] || f[8])
            printf("  %s → %s", f[7] ? f[7] : "（无）", f[8] ? f[8] : "（无）");
        putchar('\n');
    }
    sqlite3_finalize(st);
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        if (s) {
            puts(s);
            free(s);
        }
        json_decref(arr);
    } else if (n == 0) {
        printf("没有符合条件的审计记录\n");
    }
    code = step == SQLITE_DONE ? ZX_EXIT_OK : ZX_EXIT_SOFTWARE;
    if (code)
        fprintf(stderr, "zhenxing audit: 读取中断：%s\n", zx_db_errmsg(db));
    zx_db_close(db);
    return code;
}
