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

struct listing {
    json_t *arr;           /* JSON output, or NULL for a table */
    int n;
};

static int print_row(void *ctx, const zx_audit_row *r)
{
    struct listing *l = ctx;

    l->n++;
    if (l->arr) {
        json_t *o = zx_audit_row_json(r);

        return !o || json_array_append_new(l->arr, o) ? ZX_ENOMEM : ZX_OK;
    }
    printf("#%lld  %.19s  %-12s %-7s %-14s %s", r->id, r->at, r->actor,
           r->action, r->tbl, r->key);
    if (r->old || r->new_)
        printf("  %s → %s", r->old ? r->old : "（无）",
               r->new_ ? r->new_ : "（无）");
    putchar('\n');
    return ZX_OK;
}

int zx_cmd_audit(zx_cli *cli, int argc, char **argv)
{
    const char *limit_s = "50", *fmt = "table", *v;
    zx_audit_filter f = { 0 };
    struct listing l = { 0 };
    zx_db *db = NULL;
    int i, r, rc, code;

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
        const char **dsts[] = { &f.table, &f.actor, &f.unit, &f.since,
                                &f.until, &limit_s, &fmt };
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
        l.arr = json_array();
    else if (strcmp(fmt, "table") != 0)
        return zx_cli_usage_error("audit", "格式“%s”无效：应为 table 或 json",
                                  fmt);
    if (atoi(limit_s) <= 0) {
        json_decref(l.arr);
        return zx_cli_usage_error("audit", "--limit 应为正整数");
    }
    if ((code = zx_cli_open_db(cli, 0, &db))) {
        json_decref(l.arr);
        return code;
    }
    rc = zx_audit_list(db, &f, 0, atoi(limit_s), NULL, print_row, &l);
    if (l.arr) {
        char *s = rc ? NULL : json_dumps(l.arr, JSON_INDENT(2));
        if (s) {
            puts(s);
            free(s);
        }
        json_decref(l.arr);
    } else if (rc == ZX_OK && l.n == 0) {
        printf("没有符合条件的审计记录\n");
    }
    code = zx_cli_exit_code(rc);
    if (rc)
        fprintf(stderr, "zhenxing audit: 读取中断：%s\n", zx_db_errmsg(db));
    zx_db_close(db);
    return code;
}
