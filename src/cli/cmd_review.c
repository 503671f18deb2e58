/*
 * cmd_review.c - `zhenxing review`: the approval workflow of a year's
 * data (review.h) from the shell.
 *
 *   zhenxing review list [--year Y] [--level school|town] [--state S]
 *                        [--unit CODE[,CODE...]] [--as NAME]
 *   zhenxing review submit|approve|return|accept|reopen
 *                        --unit CODE[,CODE...] [--year Y] [--comment TEXT]
 *                        [--as NAME]
 *
 * The command line is the operator on the server machine, so it acts as
 * 管理员; --as NAME acts with the scope of that account instead (to do a
 * town's review for it, or to see what a school would be refused).  Every
 * rule is the core's: this file parses, resolves codes and prints.
 */
#include "audit.h"
#include "cli.h"
#include "planstore.h"
#include "review.h"
#include "scope.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_review[] =
    "用法: zhenxing [--db 路径] review list [--year 年度] [--level school|town]\n"
    "                [--state 状态] [--unit 编码[,编码...]] [--as 用户名]\n"
    "      zhenxing [--db 路径] review submit|approve|return|accept|reopen\n"
    "                --unit 编码[,编码...] [--year 年度] [--comment 说明]\n"
    "                [--as 用户名]\n"
    "\n"
    "年度数据的上报与审核：学校上报（submit），区镇审核（approve）或退回\n"
    "（return），市教育局确认（accept）；已确认的数据可由市教育局重新打开\n"
    "（reopen，回到已退回）。区镇本级数据上报后直接由市教育局确认或退回。\n"
    "已上报、已审核、已确认的数据不能修改（values set、import values 均会拒绝），\n"
    "退回后才能修改。确认时保存一份数据副本，indicators --accepted 只按已确认\n"
    "的数据计算。\n"
    "\n"
    "  list      列出各单位的状态：草稿、已上报、已审核、已退回、已确认\n"
    "  submit    上报              approve   审核通过（区镇）\n"
    "  return    退回，须 --comment 说明原因\n"
    "  accept    确认（市教育局）  reopen    重新打开，须 --comment 说明原因\n"
    "\n"
    "选项:\n"
    "  --unit 编码     学校标识码或区镇编码，多个用逗号分隔（批量操作，逐个处理，\n"
    "                  各自成败）；list 中为范围：区镇编码列出其学校\n"
    "  --year 年度     默认为计划年度中不晚于今年的最后一年\n"
    "  --comment 说明  退回、重新打开的原因（必填）；其他操作可选\n"
    "  --level 层级    list 列出 school 学校（默认）或 town 区镇\n"
    "  --state 状态    list 只列出这些状态，多个用逗号分隔，如 已上报,已审核\n"
    "  --as 用户名     以该账户的角色和范围操作；默认以管理员身份\n"
    "\n"
    "退出码: 0 全部成功；1 有单位被拒绝（状态不符、无权操作、缺少说明）；\n"
    "        64 用法错误；66 单位、账户或数据库不存在\n";

struct args {
    int action;                 /* -1: list */
    const char *year, *level, *state, *comment, *as;
    char *units;                /* the --unit values joined by commas */
};

/* Appends v to the comma-separated list *list (malloc'd). */
static int add_units(char **list, const char *v)
{
    size_t old = *list ? strlen(*list) : 0;
    char *p = realloc(*list, old + strlen(v) + 2);

    if (!p)
        return -1;
    if (old)
        p[old++] = ',';
    strcpy(p + old, v);
    *list = p;
    return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
    const char *v;
    int i, r;

    memset(a, 0, sizeof(*a));
    if (argc < 2)
        return zx_cli_usage_error("review", "需要指定 list、submit、approve、"
                                  "return、accept 或 reopen");
    a->action = strcmp(argv[1], "list") == 0 ? -1
                                             : zx_review_action_parse(argv[1]);
    if (a->action == -1 && strcmp(argv[1], "list") != 0)
        return zx_cli_usage_error("review", "未知的操作“%s”", argv[1]);
    for (i = 2; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--year", NULL, &v)) > 0)
            a->year = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--unit", NULL,
                                          &v)) > 0) {
            if (add_units(&a->units, v))
                return ZX_EXIT_SOFTWARE;
        } else if (!r && (r = zx_cli_option(argc, argv, &i, "--comment",
                                            NULL, &v)) > 0)
            a->comment = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--level", NULL,
                                          &v)) > 0)
            a->level = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--state", NULL,
                                          &v)) > 0)
            a->state = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--as", NULL,
                                          &v)) > 0)
            a->as = v;
        else if (r < 0)
            return zx_cli_usage_error("review", "选项“%s”缺少取值", argv[i]);
        else
            return zx_cli_usage_error("review", "无法识别的参数“%s”",
                                      argv[i]);
    }
    if (a->action >= 0 && !a->units)
        return zx_cli_usage_error("review", "需要用 --unit 指定单位");
    if (a->action >= 0 && (a->level || a->state))
        return zx_cli_usage_error("review", "--level 和 --state 只用于 list");
    if (a->action < 0 && a->comment)
        return zx_cli_usage_error("review", "--comment 不用于 list");
    return ZX_EXIT_OK;
}

/* The scope of account name into *out, and the actor recorded for it. */
static int load_as(zx_db *db, const char *name, zx_scope **out,
                   char *actor, size_t cap)
{
    long long id = zx_db_int(db, "SELECT id FROM account WHERE name = ?1",
                             name, 0);
    int rc = id ? zx_scope_load(db, id, out) : ZX_ENOTFOUND;

    if (rc == ZX_ENOTFOUND) {
        fprintf(stderr, "zhenxing review: 没有名为“%s”的启用账户\n", name);
        return ZX_EXIT_NOINPUT;
    }
    if (rc) {
        fprintf(stderr, "zhenxing review: 无法读取账户“%s”：%s\n", name,
                zx_strerror(rc));
        return zx_cli_exit_code(rc);
    }
    /* the account acted, through the operator's shell */
    snprintf(actor, cap, "user:%s via %s", name, zx_audit_cli_actor());
    return ZX_EXIT_OK;
}

/* ---- list ---------------------------------------------------------------- */

struct listing {
    long count[ZX_REVIEW_NSTATES];
    long n;
};

static int print_item(void *ctx, const zx_review_item *it)
{
    struct listing *l = ctx;

    if (l->n++ == 0) {
        zx_cli_pad("编码", 12);
        zx_cli_pad("单位", 26);
        zx_cli_pad("区镇", 14);
        zx_cli_pad("状态", 8);
        zx_cli_pad("更新时间", 22);
        zx_cli_pad("操作人", 18);
        puts("说明");
    }
    l->count[it->state]++;
    zx_cli_pad(it->unit_code, 12);
    zx_cli_pad(it->unit_name, 26);
    zx_cli_pad(it->town_name, 14);
    zx_cli_pad(zx_review_state_name(it->state), 8);
    zx_cli_pad(it->updated_at, 22);
    zx_cli_pad(it->updated_by, 18);
    puts(it->comment);
    return 0;
}

/* The bit set of states named in s ("已上报,已审核"), or -1. */
static long parse_states(const char *s)
{
    char buf[256], *tok, *save = NULL;
    unsigned bits = 0;
    int st;

    snprintf(buf, sizeof(buf), "%s", s);
    for (tok = strtok_r(buf, ",，", &save); tok;
         tok = strtok_r(NULL, ",，", &save)) {
        if ((st = zx_review_state_parse(tok)) < 0)
            return -1;
        bits |= 1u << st;
    }
    return bits;
}

static int run_list(zx_db *db, const zx_scope *scope, const struct args *a,
                    int year)
{
    struct listing l;
    const char *sep;
    char *save = NULL, *code;
    long states = 0;
    int level = ZX_LEVEL_SCHOOL, rc = ZX_OK, i;

    memset(&l, 0, sizeof(l));
    if (a->level && (level = zx_level_parse(a->level)) < 0)
        level = strcmp(a->level, "学校") == 0   ? ZX_LEVEL_SCHOOL
                : strcmp(a->level, "区镇") == 0 ? ZX_LEVEL_TOWN
                                                : -1;
    if (level != ZX_LEVEL_SCHOOL && level != ZX_LEVEL_TOWN)
        return zx_cli_usage_error("review", "层级“%s”无效：应为 school 或 "
                                  "town", a->level);
    if (a->state && (states = parse_states(a->state)) < 0)
        return zx_cli_usage_error("review", "状态“%s”无效：应为 草稿、已上报、"
                                  "已审核、已退回、已确认", a->state);
    if (!a->units)
        rc = zx_review_list(db, scope, (enum zx_level)level, 0, year,
                            (unsigned)states, print_item, &l);
    for (code = a->units ? strtok_r(a->units, ",", &save) : NULL;
         code && rc == ZX_OK; code = strtok_r(NULL, ",", &save)) {
        long long within = zx_db_int(db, "SELECT id FROM org_unit"
                                         " WHERE code = ?1", code, 0);
        if (!within || (scope && !zx_scope_sees(scope, within))) {
            fprintf(stderr, "zhenxing review: %s：没有这个单位，或不在您的"
                            "查看范围内\n", code);
            return ZX_EXIT_NOINPUT;
        }
        rc = zx_review_list(db, scope, (enum zx_level)level, within, year,
                            (unsigned)states, print_item, &l);
    }
    if (rc) {
        fprintf(stderr, "zhenxing review: 读取失败：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        return zx_cli_exit_code(rc);
    }
    printf("%d 年度，共 %ld 个%s", year, l.n,
           level == ZX_LEVEL_SCHOOL ? "学校" : "区镇");
    for (i = 0, sep = "："; i < ZX_REVIEW_NSTATES; i++)
        if (l.count[i]) {
            printf("%s%s %ld", sep,
                   zx_review_state_name((enum zx_review_state)i),
                   l.count[i]);
            sep = "，";
        }
    putchar('\n');
    return ZX_EXIT_OK;
}

/* ---- actions ----------------------------------------------------------- */

static int run_action(zx_db *db, const zx_plan *plan, const zx_scope *scope,
                      const struct args *a, int year, const char *actor)
{
    long long *ids = NULL;
    char **codes = NULL, *save = NULL, *code;
    zx_review_outcome *out = NULL;
    long count[ZX_REVIEW_NWHY] = { 0 };
    size_t n = 0, cap = 0, i, done = 0;
    int rc, code_rc = ZX_EXIT_SOFTWARE, w, first_rc = ZX_OK;

    for (code = strtok_r(a->units, ",", &save); code;
         code = strtok_r(NULL, ",", &save)) {
        if (n == cap) {
            size_t c2 = cap ? cap * 2 : 16;
            long long *ni = realloc(ids, c2 * sizeof(*ids));
            char **nc;
            if (!ni)
                goto fail;
            ids = ni;
            if (!(nc = realloc(codes, c2 * sizeof(*codes))))
                goto fail;
            codes = nc;
            cap = c2;
        }
        codes[n] = code;
        /* an unknown code is id 0, which the core refuses as unknown */
        ids[n++] = zx_db_int(db, "SELECT id FROM org_unit WHERE code = ?1",
                             code, 0);
    }
    if (!n) {
        code_rc = zx_cli_usage_error("review", "需要用 --unit 指定单位");
        goto fail;
    }
    if (!(out = calloc(n, sizeof(*out))))
        goto fail;
    rc = zx_review_bulk(db, plan, scope, (enum zx_review_action)a->action,
                        ids, n, year, a->comment, actor, out, &done);
    for (i = 0; i < n; i++) {
        zx_review_item it;
        count[out[i].why]++;
        if (out[i].rc) {
            if (!first_rc)
                first_rc = out[i].rc;
            fprintf(stderr, "%s：%s：%s\n", codes[i],
                    zx_review_why_name(out[i].why), out[i].msg);
        } else if (zx_review_get(db, NULL, ids[i], year, &it) == ZX_OK) {
            printf("%s %s %d 年度：%s → %s\n", codes[i], it.unit_name, year,
                   zx_review_state_name(out[i].from),
                   zx_review_state_name(out[i].to));
        }
    }
    if (n > 1) {
        printf("共 %zu 个单位：%s %zu 个", n,
               zx_review_action_name((enum zx_review_action)a->action),
               done);
        for (w = 1; w < ZX_REVIEW_NWHY; w++)
            if (count[w])
                printf("，%s %ld 个", zx_review_why_name(
                                         (enum zx_review_why)w), count[w]);
        putchar('\n');
    }
    if (rc || first_rc == ZX_EDB || first_rc == ZX_ENOMEM)
        code_rc = ZX_EXIT_SOFTWARE;
    else if (first_rc == ZX_ENOTFOUND && n == 1)
        code_rc = ZX_EXIT_NOINPUT;
    else
        code_rc = first_rc ? ZX_EXIT_FAIL : ZX_EXIT_OK;

fail:
    if (code_rc == ZX_EXIT_SOFTWARE && !out)
        fprintf(stderr, "zhenxing review: %s\n", zx_strerror(ZX_ENOMEM));
    free(out);
    free(ids);
    free(codes);
    return code_rc;
}

int zx_cmd_review(zx_cli *cli, int argc, char **argv)
{
    struct args a;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    zx_scope *scope = NULL;
    zx_diag *diag = NULL;
    char actor[256];
    char *end;
    int code, rc, year;

    if ((code = parse_args(argc, argv, &a)))
        goto done;
    code = ZX_EXIT_SOFTWARE;
    if (!(diag = zx_diag_new()))
        goto done;
    if ((code = zx_cli_open_db(cli, 0, &db)))
        goto done;
    rc = zx_planstore_get(db, &plan, diag);
    if (rc) {
        zx_cli_print_diag(diag);
        fprintf(stderr, "zhenxing review: %s\n", rc == ZX_ENOTFOUND
                ? "数据库中没有计划，请先运行 zhenxing init 或 zhenxing plan "
                  "load" : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto done;
    }
    year = zx_values_current_year(plan);
    if (a.year && ((year = (int)strtol(a.year, &end, 10)) < 1990 ||
                   year > 2100 || *end)) {
        code = zx_cli_usage_error("review", "年度“%s”无效，应为 4 位数字",
                                  a.year);
        goto done;
    }
    snprintf(actor, sizeof(actor), "%s", zx_audit_cli_actor());
    if (a.as && (code = load_as(db, a.as, &scope, actor, sizeof(actor))))
        goto done;
    code = a.action < 0 ? run_list(db, scope, &a, year)
                        : run_action(db, plan, scope, &a, year, actor);

done:
    free(a.units);
    zx_scope_free(scope);
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
