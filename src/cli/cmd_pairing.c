/*
 * cmd_pairing.c - `zhenxing pairing`: the pairing programmes of clause 4.2
 * (结对帮扶): their pools and settings, the proposal of pairs with each
 * pair's reasons, acceptance and edits, activities and the figures.
 * Everything is done by pairing.c; this file parses and prints.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "indicator.h"
#include "pairing.h"
#include "planstore.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char zx_usage_pairing[] =
    "用法: zhenxing [--db 路径] pairing pools 项目 [--fill] [--year 年度]\n"
    "                  [--add mentor|mentee:编号] [--add-person mentor|mentee:姓名]\n"
    "                  [--remove 编号]\n"
    "      zhenxing pairing settings 项目 [--weight 名称=值 ...]\n"
    "                  [--pin 带教方:受援方 ...] [--unpin 带教方:受援方 ...]\n"
    "                  [--forbid 带教方:受援方 ...] [--unforbid 带教方:受援方 ...]\n"
    "      zhenxing pairing propose 项目 [--year 年度]\n"
    "      zhenxing pairing accept 项目 [结对编号...] [--date 日期]\n"
    "      zhenxing pairing edit 结对编号 [--mentor 编号] [--mentee 编号]\n"
    "      zhenxing pairing list 项目 [--year 年度] [--format table|csv|json]\n"
    "      zhenxing pairing activity 结对编号 --kind 类型 --date 日期 [--note 说明]\n"
    "      zhenxing pairing stats [项目] [--date 日期]\n"
    "\n"
    "结对帮扶（计划 4.2，一对一）。项目为计划规定的四类名单:\n"
    "  leaders          领导小组成员结对乡村薄弱学校（4.2-K1；成员按姓名添加）\n"
    "  studios          海门市级名师工作室结对乡村学校（4.2-K2）\n"
    "  subject_leaders  城区海门市级以上学科带头人帮扶乡村青年教师（4.2-K3，\n"
    "                   即“青蓝结对”）\n"
    "  cadres           机关中层以上干部、集团总校班子挂职蹲点乡村学校（4.2-K4）\n"
    "\n"
    "  pools     查看带教方、受援方名单；--fill 按设置中的名单定义从登记数据\n"
    "            重新生成（已确认结对的成员和按姓名添加的人员保留）；也可逐个\n"
    "            添加（教师编号或学校标识码；--add-person 为登记之外的人员）、移出\n"
    "  settings  查看或修改项目设置（JSON）：权重 group（同集团减分）、\n"
    "            distance（每公里加分）、weak（受援学校每项“滞后”指标减分）；\n"
    "            指定结对（pin）和禁止结对（forbid）\n"
    "  propose   按必备条件（同学科、同学段）和权重求总代价最小的一对一方案，\n"
    "            替换此前未确认的方案；已确认的结对保持不变、其成员不再参与\n"
    "  accept    确认所列结对（不列则确认全部待确认结对）\n"
    "  edit      调整一对待确认结对的带教方或受援方（重新检查必备条件）\n"
    "  list      列出结对及每对的理由（各项得分，合计即代价）\n"
    "  activity  为已确认的结对记录一次活动：visit 走访、lesson 听评课、\n"
    "            help 帮扶事项\n"
    "  stats     覆盖率（受援方已确认结对的比例）、本学期（日期所在半年）\n"
    "            有活动记录的结对比例\n"
    "\n"
    "选项:\n"
    "  --year 年度     名单和“滞后”指标的年度；默认为计划年度中不晚于今年的\n"
    "                  最后一年\n"
    "  --date 日期     YYYY-MM-DD；默认今天\n"
    "  --format 格式   table（默认）、csv 或 json\n"
    "\n"
    "退出码: 0 成功；1 无法按要求结对；64 用法错误；65 设置或输入无效；\n"
    "        66 数据库、计划、项目、成员或结对不存在\n";

/* Options; each but --fill takes a value, and the repeatable ones are
 * gathered in order. */
enum { O_FILL, O_YEAR, O_ADD, O_ADD_PERSON, O_REMOVE, O_WEIGHT, O_PIN,
       O_UNPIN, O_FORBID, O_UNFORBID, O_DATE, O_MENTOR, O_MENTEE, O_FORMAT,
       O_KIND, O_NOTE, NOPTS };

static const char *const opt_names[NOPTS] = {
    "--fill", "--year", "--add", "--add-person", "--remove", "--weight",
    "--pin", "--unpin", "--forbid", "--unforbid", "--date", "--mentor",
    "--mentee", "--format", "--kind", "--note",
};

#define MAXPOS 64
#define MAXREP 32

struct args {
    const char *cmd;
    const char *opt[NOPTS];        /* the last value given */
    const char *rep[NOPTS][MAXREP];
    int nrep[NOPTS];
    const char *pos[MAXPOS];
    int npos;
};

static int parse(const char *cmd, int argc, char **argv, unsigned allowed,
                 struct args *a)
{
    const char *v;
    int i, o, r;

    memset(a, 0, sizeof(*a));
    a->cmd = cmd;
    for (i = 2; i < argc; i++) {
        if ((allowed & 1u << O_FILL) && strcmp(argv[i], "--fill") == 0) {
            a->opt[O_FILL] = "";
            continue;
        }
        for (o = 1, r = 0; o < NOPTS && !r; o++)
            if ((allowed & 1u << o) &&
                (r = zx_cli_option(argc, argv, &i, opt_names[o], NULL,
                                   &v)) > 0) {
                a->opt[o] = v;
                if (a->nrep[o] == MAXREP)
                    return zx_cli_usage_error(cmd, "选项“%s”最多 %d 次",
                                              opt_names[o], MAXREP);
                a->rep[o][a->nrep[o]++] = v;
            }
        if (r < 0)
            return zx_cli_usage_error(cmd, "选项“%s”缺少取值", argv[i]);
        if (r)
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return zx_cli_usage_error(cmd, "无法识别的选项“%s”", argv[i]);
        if (a->npos == MAXPOS)
            return zx_cli_usage_error(cmd, "多余的参数“%s”", argv[i]);
        a->pos[a->npos++] = argv[i];
    }
    return 0;
}

/* Prints what the library explained, or the error itself. */
static int report(const char *cmd, int rc, zx_db *db, const zx_diag *diag)
{
    size_t i, n = zx_diag_count(diag);

    for (i = 0; i < n; i++)
        fprintf(stderr, "zhenxing %s: %s\n", cmd, zx_diag_get(diag, i)->msg);
    if (n == 0)
        fprintf(stderr, "zhenxing %s: %s\n", cmd,
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    return zx_cli_exit_code(rc);
}

static int programme_arg(const struct args *a, int i, const char **out)
{
    if (a->npos <= i)
        return zx_cli_usage_error(a->cmd, "缺少项目：leaders、studios、"
                                  "subject_leaders 或 cadres");
    if (zx_pairing_programme_parse(a->pos[i]) < 0)
        return zx_cli_usage_error(a->cmd, "项目“%s”无效：应为 leaders、studios、"
                                  "subject_leaders 或 cadres", a->pos[i]);
    *out = a->pos[i];
    return 0;
}

static int id_arg(const char *cmd, const char *s, long long *out)
{
    char *end;

    *out = strtoll(s, &end, 10);
    if (!*s || *end || *out <= 0)
        return zx_cli_usage_error(cmd, "结对编号“%s”无效", s);
    return 0;
}

static void today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Loads the plan in force; prints why not. */
static int load_plan(zx_db *db, const char *cmd, zx_plan **plan)
{
    zx_diag *diag = zx_diag_new();
    int rc;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    rc = zx_planstore_get(db, plan, diag);
    if (rc == ZX_ENOTFOUND)
        fprintf(stderr, "zhenxing %s: 数据库中还没有计划，请先运行 zhenxing "
                        "init 或 zhenxing plan load 文件\n", cmd);
    else if (rc)
        zx_cli_print_diag(diag);
    zx_diag_free(diag);
    return rc ? zx_cli_exit_code(rc) : 0;
}

/* --year, else the last plan year not after this calendar year. */
static int year_of(const struct args *a, const zx_plan *plan, int *year)
{
    time_t now = time(NULL);
    struct tm tm;
    const int *years;
    int n, i;

    if (a->opt[O_YEAR]) {
        *year = atoi(a->opt[O_YEAR]);
        if (*year < 1990 || *year > 2100)
            return zx_cli_usage_error(a->cmd, "年度“%s”无效",
                                      a->opt[O_YEAR]);
        return 0;
    }
    localtime_r(&now, &tm);
    years = zx_plan_years(plan, &n);
    *year = n ? years[0] : zx_plan_baseline(plan);
    for (i = 0; i < n; i++)
        if (years[i] <= tm.tm_year + 1900)
            *year = years[i];
    return 0;
}

static const char *subject_name(int code)
{
    const char *s = code ? zx_codes_name_of(zx_codes_get("subject"), code) :
                    NULL;

    return s ? s : "";
}

static const char *stage_name(int code)
{
    const char *s = code ? zx_codes_name_of(zx_codes_get("stage"), code) :
                    NULL;

    return s ? s : "";
}

static const char *status_text(const char *s)
{
    return strcmp(s, "accepted") == 0 ? "已确认" :
           strcmp(s, "proposed") == 0 ? "待确认" : "未结对";
}

/* "M:E" into two strings, in buf. */
static int split_pair(const char *cmd, const char *s, char *buf, size_t cap,
                      const char **m, const char **e)
{
    char *colon;

    snprintf(buf, cap, "%s", s);
    colon = strchr(buf, ':');
    if (!colon || colon == buf || !colon[1])
        return zx_cli_usage_error(cmd, "“%s”应写作 带教方:受援方", s);
    *colon = '\0';
    *m = buf;
    *e = colon + 1;
    return 0;
}

/* ---- pools ---- */

static int print_member(void *ctx, const zx_pairing_member *m)
{
    (void)ctx;
    zx_cli_pad(m->mentor ? "带教方" : "受援方", 8);
    zx_cli_pad(m->key, 14);
    zx_cli_pad(m->name, 26);
    zx_cli_pad(m->school, 20);
    zx_cli_pad(subject_name(m->subject), 10);
    zx_cli_pad(stage_name(m->stage), 6);
    puts(status_text(m->status));
    return 0;
}

static int side_arg(const char *cmd, const char *s, int *mentor,
                    const char **rest)
{
    if (strncmp(s, "mentor:", 7) == 0)
        *mentor = 1, *rest = s + 7;
    else if (strncmp(s, "mentee:", 7) == 0)
        *mentor = 0, *rest = s + 7;
    else
        return zx_cli_usage_error(cmd, "“%s”应写作 mentor:编号 或 "
                                  "mentee:编号", s);
    return 0;
}

static int do_pools(zx_db *db, const struct args *a, zx_diag *diag)
{
    const char *prog, *who = NULL;
    zx_plan *plan = NULL;
    int code, rc, i, k, mentor = 0, year, added, removed;

    if ((code = programme_arg(a, 0, &prog)))
        return code;
    if (a->npos > 1)
        return zx_cli_usage_error(a->cmd, "多余的参数“%s”", a->pos[1]);
    if (a->opt[O_FILL]) {
        if ((code = load_plan(db, a->cmd, &plan)) ||
            (code = year_of(a, plan, &year)))
            goto done;
        if ((rc = zx_pairing_pool_fill(db, plan, prog, year,
                                       zx_audit_cli_actor(), &added,
                                       &removed, diag))) {
            code = report(a->cmd, rc, db, diag);
            goto done;
        }
        printf("已按 %d 年的名单定义生成：新增 %d，移出 %d\n", year, added,
               removed);
    }
    for (k = 0; k < 2; k++)
        for (i = 0; i < a->nrep[k ? O_ADD_PERSON : O_ADD]; i++) {
            if ((code = side_arg(a->cmd, a->rep[k ? O_ADD_PERSON : O_ADD][i],
                                 &mentor, &who)))
                goto done;
            if ((rc = zx_pairing_pool_add(db, prog, mentor, who, k,
                                          zx_audit_cli_actor(), diag))) {
                code = report(a->cmd, rc, db, diag);
                goto done;
            }
        }
    for (i = 0; i < a->nrep[O_REMOVE]; i++)
        if ((rc = zx_pairing_pool_remove(db, prog, a->rep[O_REMOVE][i],
                                         zx_audit_cli_actor(), diag))) {
            code = report(a->cmd, rc, db, diag);
            goto done;
        }
    zx_cli_pad("名单", 8);
    zx_cli_pad("编号", 14);
    zx_cli_pad("名称", 26);
    zx_cli_pad("学校", 20);
    zx_cli_pad("学科", 10);
    zx_cli_pad("学段", 6);
    puts("结对");
    if ((rc = zx_pairing_pool_list(db, prog, print_member, NULL))) {
        code = report(a->cmd, rc, db, diag);
        goto done;
    }
    code = ZX_EXIT_OK;

done:
    zx_plan_free(plan);
    return code;
}

/* ---- settings ---- */

/* Adds or (with drop) removes pair M:E of the array. */
static int edit_pairs(const char *cmd, json_t *arr, const char *s, int drop)
{
    const char *m = NULL, *e = NULL;
    char buf[256];
    size_t i;
    json_t *p;
    int code;

    if ((code = split_pair(cmd, s, buf, sizeof(buf), &m, &e)))
        return code;
    json_array_foreach(arr, i, p)
        if (json_is_string(json_array_get(p, 0)) &&
            json_is_string(json_array_get(p, 1)) &&
            strcmp(json_string_value(json_array_get(p, 0)), m) == 0 &&
            strcmp(json_string_value(json_array_get(p, 1)), e) == 0) {
            if (drop)
                json_array_remove(arr, i);
            return 0;
        }
    if (drop)
        return zx_cli_usage_error(cmd, "设置中没有 %s", s);
    return json_array_append_new(arr, json_pack("[s, s]", m, e)) ?
           ZX_EXIT_SOFTWARE : 0;
}

static int do_settings(zx_db *db, const struct args *a, zx_diag *diag)
{
    static const int lists[4] = { O_PIN, O_UNPIN, O_FORBID, O_UNFORBID };
    const char *prog;
    json_t *doc = NULL, *arr;
    char *text = NULL, *end;
    int code, rc, i, k, changed = 0;

    if ((code = programme_arg(a, 0, &prog)))
        return code;
    if (a->npos > 1)
        return zx_cli_usage_error(a->cmd, "多余的参数“%s”", a->pos[1]);
    if ((rc = zx_pairing_settings_get(db, prog, &doc))) {
        code = report(a->cmd, rc, db, diag);
        goto done;
    }
    for (i = 0; i < a->nrep[O_WEIGHT]; i++) {
        const char *eq = strchr(a->rep[O_WEIGHT][i], '=');
        char name[32];
        double v;

        if (!eq || eq == a->rep[O_WEIGHT][i] ||
            (size_t)(eq - a->rep[O_WEIGHT][i]) >= sizeof(name)) {
            code = zx_cli_usage_error(a->cmd, "“%s”应写作 名称=值（如 "
                                      "group=20）", a->rep[O_WEIGHT][i]);
            goto done;
        }
        v = strtod(eq + 1, &end);
        if (!eq[1] || *end || !isfinite(v)) {
            code = zx_cli_usage_error(a->cmd, "权重“%s”的值不是数",
                                      a->rep[O_WEIGHT][i]);
            goto done;
        }
        snprintf(name, sizeof(name), "%.*s",
                 (int)(eq - a->rep[O_WEIGHT][i]), a->rep[O_WEIGHT][i]);
        if (!json_is_object(json_object_get(doc, "weights")))
            json_object_set_new(doc, "weights", json_object());
        json_object_set_new(json_object_get(doc, "weights"), name,
                            v == floor(v) && fabs(v) < 1e15 ?
                            json_integer((json_int_t)v) : json_real(v));
        changed = 1;
    }
    for (k = 0; k < 4; k++) {
        const char *field = k < 2 ? "pins" : "forbids";

        for (i = 0; i < a->nrep[lists[k]]; i++) {
            if (!json_is_array(json_object_get(doc, field)))
                json_object_set_new(doc, field, json_array());
            arr = json_object_get(doc, field);
            if ((code = edit_pairs(a->cmd, arr, a->rep[lists[k]][i], k & 1)))
                goto done;
            changed = 1;
        }
    }
    if (changed && (rc = zx_pairing_settings_put(db, prog, doc,
                                                 zx_audit_cli_actor(),
                                                 diag))) {
        code = report(a->cmd, rc, db, diag);
        goto done;
    }
    code = ZX_EXIT_SOFTWARE;
    if (!(text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS)))
        goto done;
    printf("%s（%s）\n%s\n", zx_pairing_programme_title(
               zx_pairing_programme_parse(prog)),
           zx_pairing_programme_clause(zx_pairing_programme_parse(prog)),
           text);
    code = ZX_EXIT_OK;

done:
    free(text);
    json_decref(doc);
    return code;
}

/* ---- propose and list ---- */

struct listing {
    int format;                    /* ZX_CLI_* */
    json_t *arr;
};

static int print_pair(void *ctx, const zx_pairing_pair *p)
{
    struct listing *l = ctx;
    char num[32];
    int i;

    if (l->format == ZX_CLI_JSON) {
        json_t *terms = json_array(), *j;

        if (!terms)
            return ZX_ENOMEM;
        for (i = 0; i < p->nterms; i++)
            if (json_array_append_new(terms, json_pack("{s:s, s:s, s:o}",
                                      "id", p->terms[i].id, "label",
                                      p->terms[i].label, "cost",
                                      zx_result_figure_json(
                                          p->terms[i].cost)))) {
                json_decref(terms);
                return ZX_ENOMEM;
            }
        j = json_pack("{s:I, s:s, s:s?, s:b, s:{s:s, s:s, s:s}, "
                      "s:{s:s, s:s, s:s}, s:o, s:o, s:s, s:i, s:s?}",
                      "id", (json_int_t)p->id, "status", p->status,
                      "accepted_on", p->accepted_on, "pinned", p->pinned,
                      "mentor", "key", p->mentor.key, "name", p->mentor.name,
                      "school", p->mentor.school,
                      "mentee", "key", p->mentee.key, "name", p->mentee.name,
                      "school", p->mentee.school,
                      "cost", zx_result_figure_json(p->cost), "terms", terms,
                      "explain", p->explain, "activities", p->activities,
                      "last_activity", p->last_activity);
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    snprintf(num, sizeof(num), "%.1f", p->cost);
    if (l->format == ZX_CLI_CSV) {
        char id[24], acts[16];

        snprintf(id, sizeof(id), "%lld", p->id);
        snprintf(acts, sizeof(acts), "%d", p->activities);
        zx_cli_csv_cell(id, 0);
        zx_cli_csv_cell(status_text(p->status), 0);
        zx_cli_csv_cell(p->mentor.key, 0);
        zx_cli_csv_cell(p->mentor.name, 0);
        zx_cli_csv_cell(p->mentor.school, 0);
        zx_cli_csv_cell(p->mentee.key, 0);
        zx_cli_csv_cell(p->mentee.name, 0);
        zx_cli_csv_cell(p->mentee.school, 0);
        zx_cli_csv_cell(num, 0);
        zx_cli_csv_cell(p->explain, 0);
        zx_cli_csv_cell(p->accepted_on ? p->accepted_on : "", 0);
        zx_cli_csv_cell(acts, 0);
        zx_cli_csv_cell(p->last_activity ? p->last_activity : "", 1);
        return 0;
    }
    printf("%6lld  ", p->id);
    zx_cli_pad(status_text(p->status), 8);
    printf("%s %s（%s）→ %s %s（%s）%s\n        %s\n", p->mentor.key,
           p->mentor.name, *p->mentor.school ? p->mentor.school : "-",
           p->mentee.key, p->mentee.name,
           *p->mentee.school ? p->mentee.school : "-",
           p->pinned ? " [指定]" : "", p->explain);
    return 0;
}

/* Opens the plan and its engine, for the weakness of mentee schools. */
static int open_engine(zx_db *db, const struct args *a, zx_plan **plan,
                       zx_engine **eng, int *year, zx_diag *diag)
{
    int code, rc;

    if ((code = load_plan(db, a->cmd, plan)) ||
        (code = year_of(a, *plan, year)))
        return code;
    if ((rc = zx_engine_open(db, *plan, eng, diag)))
        return report(a->cmd, rc, db, diag);
    return 0;
}

static int do_propose(zx_db *db, const struct args *a, zx_diag *diag)
{
    struct listing l = { 0, NULL };
    zx_pairing_outcome o;
    zx_plan *plan = NULL;
    zx_engine *eng = NULL;
    const char *prog;
    int code, rc, year;

    if ((code = programme_arg(a, 0, &prog)))
        return code;
    if (a->npos > 1)
        return zx_cli_usage_error(a->cmd, "多余的参数“%s”", a->pos[1]);
    if ((code = open_engine(db, a, &plan, &eng, &year, diag)))
        goto done;
    printf("%s：%d 年结对方案\n", zx_pairing_programme_title(
               zx_pairing_programme_parse(prog)), year);
    if ((rc = zx_pairing_propose(db, eng, prog, year, zx_audit_cli_actor(),
                                 &o, print_pair, &l, diag))) {
        code = report(a->cmd, rc, db, diag);
        goto done;
    }
    printf("新方案 %d 对（总代价 %.1f）；保留已确认 %d 对；"
           "未能结对：带教方 %d，受援方 %d\n",
           o.pairs, o.total, o.kept, o.mentors_left, o.mentees_left);
    puts("用 zhenxing pairing accept 项目 [结对编号...] 确认。");
    code = ZX_EXIT_OK;

done:
    zx_engine_close(eng);
    zx_plan_free(plan);
    return code;
}

static int do_list(zx_db *db, const struct args *a, zx_diag *diag)
{
    struct listing l = { 0, NULL };
    zx_plan *plan = NULL;
    zx_engine *eng = NULL;
    const char *prog, *f = a->opt[O_FORMAT];
    int code, rc, year;

    if ((code = programme_arg(a, 0, &prog)))
        return code;
    if (a->npos > 1)
        return zx_cli_usage_error(a->cmd, "多余的参数“%s”", a->pos[1]);
    if ((code = zx_cli_format(a->cmd, f, 1u << ZX_CLI_TABLE |
                              1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV,
                              &l.format)))
        return code;
    if ((code = open_engine(db, a, &plan, &eng, &year, diag)))
        goto done;
    code = ZX_EXIT_SOFTWARE;
    if (l.format == ZX_CLI_JSON && !(l.arr = json_array()))
        goto done;
    if (l.format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "结对编号,状态,带教方编号,带教方,带教方学校,"
              "受援方编号,受援方,受援方学校,代价,理由,确认日期,活动次数,"
              "最近活动\r\n", stdout);
    if (l.format == ZX_CLI_TABLE)
        printf("%s（%d 年）\n", zx_pairing_programme_title(
                   zx_pairing_programme_parse(prog)), year);
    if ((rc = zx_pairing_list(db, eng, prog, year, print_pair, &l, diag))) {
        code = report(a->cmd, rc, db, diag);
        goto done;
    }
    if (l.format == ZX_CLI_JSON) {
        char *s = json_dumps(l.arr, JSON_INDENT(2) |
                             JSON_REAL_PRECISION(12));

        if (!s)
            goto done;
        puts(s);
        free(s);
    }
    code = ZX_EXIT_OK;

done:
    json_decref(l.arr);
    zx_engine_close(eng);
    zx_plan_free(plan);
    return code;
}

/* ---- accept, edit, activity, stats ---- */

static int do_accept(zx_db *db, const struct args *a, zx_diag *diag)
{
    long long ids[MAXPOS];
    const char *prog;
    char day[11];
    int code, rc, i, n;

    if ((code = programme_arg(a, 0, &prog)))
        return code;
    for (i = 1; i < a->npos; i++)
        if ((code = id_arg(a->cmd, a->pos[i], &ids[i - 1])))
            return code;
    today(day);
    if ((rc = zx_pairing_accept(db, prog, ids, a->npos - 1,
                                a->opt[O_DATE] ? a->opt[O_DATE] : day,
                                zx_audit_cli_actor(), &n, diag)))
        return report(a->cmd, rc, db, diag);
    printf("已确认 %d 对结对\n", n);
    return ZX_EXIT_OK;
}

static int do_edit(zx_db *db, const struct args *a, zx_diag *diag)
{
    long long id;
    int code, rc;

    if (a->npos != 1)
        return zx_cli_usage_error(a->cmd, "需要一个结对编号");
    if ((code = id_arg(a->cmd, a->pos[0], &id)))
        return code;
    if (!a->opt[O_MENTOR] && !a->opt[O_MENTEE])
        return zx_cli_usage_error(a->cmd, "需要 --mentor 或 --mentee");
    if ((rc = zx_pairing_edit(db, id, a->opt[O_MENTOR], a->opt[O_MENTEE],
                              zx_audit_cli_actor(), diag)))
        return report(a->cmd, rc, db, diag);
    printf("已调整结对 %lld\n", id);
    return ZX_EXIT_OK;
}

static int do_activity(zx_db *db, const struct args *a, zx_diag *diag)
{
    long long pair, id;
    int code, rc;

    if (a->npos != 1)
        return zx_cli_usage_error(a->cmd, "需要一个结对编号");
    if ((code = id_arg(a->cmd, a->pos[0], &pair)))
        return code;
    if (!a->opt[O_KIND] || !a->opt[O_DATE])
        return zx_cli_usage_error(a->cmd, "需要 --kind 和 --date");
    if ((rc = zx_pairing_activity_add(db, pair, a->opt[O_KIND],
                                      a->opt[O_DATE], a->opt[O_NOTE],
                                      zx_audit_cli_actor(), &id, diag)))
        return report(a->cmd, rc, db, diag);
    printf("已记录活动 %lld（结对 %lld，%s，%s）\n", id, pair,
           zx_pairing_kind_name(zx_pairing_kind_parse(a->opt[O_KIND])),
           a->opt[O_DATE]);
    return ZX_EXIT_OK;
}

static void share(double v, char out[16])
{
    if (isnan(v))
        snprintf(out, 16, "-");
    else
        snprintf(out, 16, "%.1f%%", v * 100);
}

static int do_stats(zx_db *db, const struct args *a, zx_diag *diag)
{
    char day[11], cov[16], act[16];
    int code, rc, p, from = 0, to = ZX_PAIRING_NPROGRAMMES;

    if (a->npos > 1)
        return zx_cli_usage_error(a->cmd, "多余的参数“%s”", a->pos[1]);
    if (a->npos == 1) {
        const char *prog;

        if ((code = programme_arg(a, 0, &prog)))
            return code;
        from = zx_pairing_programme_parse(prog);
        to = from + 1;
    }
    today(day);
    for (p = from; p < to; p++) {
        zx_pairing_stats s;

        if ((rc = zx_pairing_stats_get(db, zx_pairing_programme_id(p),
                                       a->opt[O_DATE] ? a->opt[O_DATE] : day,
                                       &s))) {
            if (rc == ZX_EINVAL)
                return zx_cli_usage_error(a->cmd, "日期“%s”无效：应为 "
                                          "YYYY-MM-DD", a->opt[O_DATE]);
            return report(a->cmd, rc, db, diag);
        }
        share(s.coverage, cov);
        share(s.active_share, act);
        printf("%s（%s，%s）\n"
               "  带教方 %d，已确认结对 %d；受援方 %d，已确认 %d，待确认 %d\n"
               "  覆盖率 %s；结对 %d 对（待确认 %d）；"
               "本学期（%s 至 %s）有活动 %d 对，占 %s\n",
               zx_pairing_programme_title(p), zx_pairing_programme_id(p),
               zx_pairing_programme_clause(p), s.mentors, s.mentors_accepted,
               s.mentees, s.mentees_accepted, s.mentees_proposed, cov,
               s.accepted, s.proposed, s.term_from, s.term_to, s.active,
               act);
    }
    return ZX_EXIT_OK;
}

int zx_cmd_pairing(zx_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned opts;
        int (*run)(zx_db *db, const struct args *a, zx_diag *diag);
    } subs[] = {
        { "pools", 1u << O_FILL | 1u << O_YEAR | 1u << O_ADD |
                   1u << O_ADD_PERSON | 1u << O_REMOVE, do_pools },
        { "settings", 1u << O_WEIGHT | 1u << O_PIN | 1u << O_UNPIN |
                      1u << O_FORBID | 1u << O_UNFORBID, do_settings },
        { "propose", 1u << O_YEAR, do_propose },
        { "accept", 1u << O_DATE, do_accept },
        { "edit", 1u << O_MENTOR | 1u << O_MENTEE, do_edit },
        { "list", 1u << O_YEAR | 1u << O_FORMAT, do_list },
        { "activity", 1u << O_KIND | 1u << O_DATE | 1u << O_NOTE,
          do_activity },
        { "stats", 1u << O_DATE, do_stats },
    };
    struct args *a = NULL;
    zx_diag *diag = NULL;
    zx_db *db = NULL;
    char cmd[32];
    size_t i;
    int code;

    if (argc < 2)
        return zx_cli_usage_error("pairing", "缺少子命令：pools、settings、"
                                  "propose、accept、edit、list、activity "
                                  "或 stats");
    for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            break;
    if (i == sizeof(subs) / sizeof(subs[0]))
        return zx_cli_usage_error("pairing", "未知的子命令“%s”", argv[1]);
    snprintf(cmd, sizeof(cmd), "pairing %s", subs[i].name);
    code = ZX_EXIT_SOFTWARE;
    if (!(a = malloc(sizeof(*a))) || !(diag = zx_diag_new()))
        goto done;
    if ((code = parse(cmd, argc, argv, subs[i].opts, a)))
        goto done;
    if ((code = zx_cli_open_db(cli, 0, &db)))
        goto done;
    code = subs[i].run(db, a, diag);

done:
    zx_db_close(db);
    zx_diag_free(diag);
    free(a);
    return code;
}
