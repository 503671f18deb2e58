/*
 * cmd_tasks.c - `zhenxing tasks`: where every task of the plan stands, unit
 * by unit, overdue first; and `zhenxing task show|update|attach|get`: one
 * task in full, a unit's status and progress notes, its evidence files.
 */
#include "audit.h"
#include "cli.h"
#include "planstore.h"
#include "tasks.h"
#include "text.h"
#include "zx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char zx_usage_tasks[] =
    "用法: zhenxing [--db 路径] tasks [--unit 名称]\n"
    "                [--status 未启动|推进中|已完成|逾期]\n"
    "                [--format table|json|csv]\n"
    "\n"
    "列出计划中每项任务在每个承担单位（牵头单位和责任单位）的进展：状态、\n"
    "进展记录数、佐证文件数和最新进展。逾期的排在最前，其余按截止日期。\n"
    "“逾期”按截止日期自动判定：截止日期已过而未完成。计划写“各区镇”“各学校”\n"
    "“各幼儿园”“各中小学”时，按现有登记展开为每个区镇、学校。\n"
    "\n"
    "选项:\n"
    "  --unit 名称     只看该单位（如 三厂街道、人事科）\n"
    "  --status 状态   只看该状态：未启动、推进中、已完成 或 逾期\n"
    "  --format 格式   table（默认）、json 或 csv\n"
    "\n"
    "退出码: 0 成功；64 用法错误；66 数据库、计划或单位不存在\n";

const char zx_usage_task[] =
    "用法: zhenxing [--db 路径] task show 任务 [--unit 名称]\n"
    "      zhenxing [--db 路径] task update 任务 --unit 名称 [--status 状态]\n"
    "                                       [--note 文字]\n"
    "      zhenxing [--db 路径] task attach 任务 --unit 名称 文件\n"
    "      zhenxing [--db 路径] task get SHA256 --out 文件\n"
    "\n"
    "查看和督办计划中的一项任务（任务为计划中的编号，如 party-organisation；\n"
    "zhenxing tasks 列出全部任务）。\n"
    "\n"
    "  show     任务的条款、名称、牵头与责任单位、截止日期、应交佐证、\n"
    "           相关指标，以及各单位的状态、进展记录和佐证文件\n"
    "  update   设置某单位的状态（未启动、推进中、已完成；“逾期”\n"
    "           自动判定，不能设置），和/或记录一条进展说明（不超过\n"
    "           2000 字）\n"
    "  attach   为某单位附加一个佐证文件，并显示其 SHA-256。接受 PDF、\n"
    "           PNG、JPEG、docx、xlsx、pptx、doc、xls 和 UTF-8 纯文本，\n"
    "           不超过 20 MB；内容相同的文件只保存一份\n"
    "  get      按 SHA-256（可只写前 8 位以上）取回佐证文件；\n"
    "           --out - 写到标准输出\n"
    "\n"
    "选项:\n"
    "  --unit 名称     承担单位，须为该任务的牵头或责任单位之一\n"
    "  --status 状态   未启动、推进中 或 已完成\n"
    "  --note 文字     进展说明\n"
    "  --out 文件      取回的文件写到哪里\n"
    "\n"
    "退出码: 0 成功；64 用法错误；65 文件过大或类型不被接受；\n"
    "        66 数据库、计划、任务、单位或文件不存在；74 读写文件失败\n";

/* ---- shared ---- */

/* Prints what a zx_tasks call explained, or the error itself. */
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

/* The options of the subcommands; each takes a value. */
enum { O_UNIT, O_STATUS, O_NOTE, O_OUT, O_FORMAT, NOPTS };

static const struct {
    const char *lng, *shrt;
} opts[NOPTS] = {
    { "--unit", "-u" }, { "--status", "-s" }, { "--note", "-m" },
    { "--out", "-o" }, { "--format", "-f" },
};

struct args {
    const char *opt[NOPTS];
    const char *pos[2];
    int npos;
};

/* Reads argv[1..]: the options whose bits are in allowed and up to maxpos
 * other arguments.  Returns 0, or the exit status of a usage error. */
static int parse(const char *cmd, int argc, char **argv, unsigned allowed,
                 int maxpos, struct args *a)
{
    const char *v;
    int i, o, r;

    memset(a, 0, sizeof(*a));
    for (i = 1; i < argc; i++) {
        for (o = 0, r = 0; o < NOPTS && !r; o++)
            if ((allowed & 1u << o) &&
                (r = zx_cli_option(argc, argv, &i, opts[o].lng,
                                   opts[o].shrt, &v)) > 0)
                a->opt[o] = v;
        if (r < 0)
            return zx_cli_usage_error(cmd, "选项“%s”缺少取值", argv[i]);
        if (r)
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return zx_cli_usage_error(cmd, "无法识别的选项“%s”", argv[i]);
        if (a->npos == maxpos)
            return zx_cli_usage_error(cmd, "多余的参数“%s”", argv[i]);
        a->pos[a->npos++] = argv[i];
    }
    return 0;
}

/* "2024-05-01 16:30" in local time from a stored UTC stamp. */
static const char *local_time(const char *utc, char out[32])
{
    struct tm tm;
    time_t t;

    memset(&tm, 0, sizeof(tm));
    if (!utc || !strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        snprintf(out, 32, "%s", utc ? utc : "-");
        return out;
    }
    t = timegm(&tm);
    localtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
    return out;
}

static const char *size_text(long long n, char out[32])
{
    if (n < 1024)
        snprintf(out, 32, "%lld B", n);
    else if (n < 1024 * 1024)
        snprintf(out, 32, "%.1f KB", (double)n / 1024);
    else
        snprintf(out, 32, "%.1f MB", (double)n / (1024 * 1024));
    return out;
}

/* s on one line, cut to width display columns with "…" marking a cut. */
static const char *clip(const char *s, int width, char *out, size_t cap)
{
    size_t o = 0, len;
    int w = 0, cw;

    for (; *s; s += len) {
        unsigned char c = (unsigned char)*s;

        len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (strnlen(s, len) < len)
            break;
        cw = len >= 3 ? 2 : 1;
        /* leave room for the two columns of the ellipsis */
        if (w + cw > width - 2 && zx_text_width(s) > width - w) {
            if (o + 4 <= cap) {
                memcpy(out + o, "…", 3);
                o += 3;
            }
            break;
        }
        if (o + len + 4 > cap)
            break;
        if (c == '\n' || c == '\r' || c == '\t')
            out[o] = ' ';
        else
            memcpy(out + o, s, len);
        o += len;
        w += cw;
    }
    out[o] = '\0';
    return out;
}

/* The status as shown: 逾期 when overdue. */
static enum zx_task_status shown(const zx_task_row *r)
{
    return r->overdue ? ZX_TASK_OVERDUE : r->status;
}

/* ---- zhenxing tasks ---- */

struct listing {
    int format;           /* ZX_CLI_* */
    json_t *arr;
    long count[4], total;
};

static int count_row(void *ctx, const zx_task_row *r)
{
    struct listing *l = ctx;

    l->count[shown(r)]++;
    l->total++;
    return 0;
}

static int print_row(void *ctx, const zx_task_row *r)
{
    struct listing *l = ctx;
    const char *st = zx_tasks_status_name(shown(r));
    char when[32], label[160], unit[160], note[160], num[24];

    count_row(ctx, r);
    if (l->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:b,"
                              " s:s?, s:s?, s:I, s:I, s:s?}",
                              "task", r->task->id, "clause", r->task->clause,
                              "name", r->task->name, "deadline",
                              r->task->deadline, "unit", r->unit, "lead",
                              r->lead, "status", st, "recorded_status",
                              zx_tasks_status_name(r->status), "overdue",
                              r->overdue, "updated_at", r->updated_at,
                              "updated_by", r->updated_by, "notes",
                              (json_int_t)r->notes, "files",
                              (json_int_t)r->files, "last_note",
                              r->last_note);
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (l->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(st, 0);
        zx_cli_csv_cell(r->task->deadline, 0);
        zx_cli_csv_cell(r->task->id, 0);
        zx_cli_csv_cell(r->task->clause, 0);
        zx_cli_csv_cell(r->task->name, 0);
        zx_cli_csv_cell(r->unit, 0);
        zx_cli_csv_cell(r->lead ? "是" : "", 0);
        snprintf(num, sizeof(num), "%ld", r->notes);
        zx_cli_csv_cell(num, 0);
        snprintf(num, sizeof(num), "%ld", r->files);
        zx_cli_csv_cell(num, 0);
        zx_cli_csv_cell(r->updated_at ? local_time(r->updated_at, when) : "", 0);
        zx_cli_csv_cell(r->updated_by ? r->updated_by : "", 0);
        zx_cli_csv_cell(r->last_note ? r->last_note : "", 1);
        return 0;
    }
    snprintf(label, sizeof(label), "%s%s", r->unit, r->lead ? "（牵头）" : "");
    zx_cli_pad(st, 8);
    zx_cli_pad(r->task->deadline, 12);
    zx_cli_pad(r->task->id, 26);
    zx_cli_pad(clip(label, 30, unit, sizeof(unit)), 32);
    printf("%4ld  %4ld  ", r->notes, r->files);
    if (!r->last_note) {
        puts(r->updated_at ? local_time(r->updated_at, when) : "-");
        return 0;
    }
    zx_cli_pad(r->updated_at ? local_time(r->updated_at, when) : "-", 18);
    puts(clip(r->last_note, 40, note, sizeof(note)));
    return 0;
}

static int list_failed(zx_db *db, int rc)
{
    fprintf(stderr, "zhenxing tasks: 无法列出任务：%s\n",
            rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    return zx_cli_exit_code(rc);
}

int zx_cmd_tasks(zx_cli *cli, int argc, char **argv)
{
    struct listing l;
    struct args a;
    zx_tasks_filter f;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    char today[11];
    time_t now = time(NULL);
    struct tm tm;
    int code, rc;

    memset(&l, 0, sizeof(l));
    if ((code = parse("tasks", argc, argv,
                      1u << O_UNIT | 1u << O_STATUS | 1u << O_FORMAT, 0, &a)))
        return code;
    if ((code = zx_cli_format("tasks", a.opt[O_FORMAT], 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV, &l.format)))
        return code;
    if (a.opt[O_STATUS] && zx_tasks_status_parse(a.opt[O_STATUS]) < 0)
        return zx_cli_usage_error("tasks", "状态“%s”无效：应为 未启动、推进中、"
                                  "已完成 或 逾期", a.opt[O_STATUS]);
    if ((code = zx_cli_open_plan(cli, "tasks", &db, &plan)))
        goto fail;

    /* one date for the heading and for what counts as overdue, even when
     * the listing runs across midnight */
    localtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    memset(&f, 0, sizeof(f));
    f.unit = a.opt[O_UNIT];
    f.today = today;
    /* a unit no task knows is a mistake to point out; a known unit with
     * nothing in the status asked for is just an empty answer */
    if (f.unit) {
        struct listing any;

        memset(&any, 0, sizeof(any));
        if ((rc = zx_tasks_list(db, plan, &f, count_row, &any))) {
            code = list_failed(db, rc);
            goto fail;
        }
        if (any.total == 0) {
            fprintf(stderr, "zhenxing tasks: 没有由“%s”承担的任务（单位名称须"
                            "与计划或学校登记中的名称一致）\n", f.unit);
            code = ZX_EXIT_NOINPUT;
            goto fail;
        }
    }
    f.status = a.opt[O_STATUS];
    if (l.format == ZX_CLI_JSON && !(l.arr = json_array())) {
        code = ZX_EXIT_SOFTWARE;
        goto fail;
    }
    if (l.format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "状态,截止日期,任务,条款,任务名称,单位,牵头,"
              "进展记录,佐证文件,状态更新时间,更新人,最新进展\r\n", stdout);
    if (l.format == ZX_CLI_TABLE) {
        printf("%s：任务进展（截至 %s）\n", zx_plan_name(plan), today);
        zx_cli_pad("状态", 8);
        zx_cli_pad("截止日期", 12);
        zx_cli_pad("任务", 26);
        zx_cli_pad("单位", 32);
        printf("%s  %s  ", "进展", "佐证");
        zx_cli_pad("状态更新", 18);
        puts("最新进展");
    }
    if ((rc = zx_tasks_list(db, plan, &f, print_row, &l))) {
        code = list_failed(db, rc);
        goto fail;
    }
    if (l.format == ZX_CLI_JSON) {
        char *s = json_dumps(l.arr, JSON_INDENT(2));

        if (!s) {
            code = ZX_EXIT_SOFTWARE;
            goto fail;
        }
        puts(s);
        free(s);
    } else if (l.format == ZX_CLI_TABLE) {
        printf("共 %ld 项：未启动 %ld，推进中 %ld，已完成 %ld，逾期 %ld\n",
               l.total, l.count[ZX_TASK_TODO], l.count[ZX_TASK_DOING],
               l.count[ZX_TASK_DONE], l.count[ZX_TASK_OVERDUE]);
    }
    code = ZX_EXIT_OK;

fail:
    json_decref(l.arr);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}

/* ---- zhenxing task show ---- */

struct show {
    zx_db *db;
    const zx_plan *plan;
    long count[4], total;
};

static int show_note(void *ctx, const zx_task_note *n)
{
    char when[32];

    (void)ctx;
    printf("    进展 %s %s：%s\n", local_time(n->at, when), n->author,
           n->text);
    return 0;
}

static int show_file(void *ctx, const zx_task_file *f)
{
    char size[32];

    (void)ctx;
    printf("    佐证 %s  %s  %.12s\n", f->name, size_text(f->size, size),
           f->sha256);
    return 0;
}

static int show_row(void *ctx, const zx_task_row *r)
{
    struct show *s = ctx;
    char when[32];
    int rc;

    s->count[shown(r)]++;
    s->total++;
    printf("  %s%s  ", r->unit, r->lead ? "（牵头）" : "");
    if (r->overdue)
        printf("逾期（%s）", zx_tasks_status_name(r->status));
    else
        fputs(zx_tasks_status_name(r->status), stdout);
    if (r->updated_at)
        printf("  %s 由 %s 更新", local_time(r->updated_at, when),
               r->updated_by);
    putchar('\n');
    if ((rc = zx_tasks_notes(s->db, s->plan, r->task->id, r->unit,
                             show_note, NULL)))
        return rc;
    return zx_tasks_files(s->db, s->plan, r->task->id, r->unit, show_file,
                          NULL);
}

static int task_show(zx_cli *cli, int argc, char **argv)
{
    struct show s;
    struct args a;
    zx_tasks_filter f;
    const zx_task *t;
    const zx_goal *goal;
    zx_diag *diag = NULL;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    char *unit = NULL, today[11];
    time_t now = time(NULL);
    struct tm tm;
    int code, rc = ZX_OK, i;

    memset(&s, 0, sizeof(s));
    if ((code = parse("task show", argc, argv, 1u << O_UNIT, 1, &a)))
        return code;
    if (a.npos != 1)
        return zx_cli_usage_error("task show", "需要指定任务编号");
    if ((code = zx_cli_open_plan(cli, "task show", &db, &plan)))
        goto fail;
    code = ZX_EXIT_SOFTWARE;
    if (!(diag = zx_diag_new()))
        goto fail;
    if (!(t = zx_tasks_find(plan, a.pos[0], diag)))
        rc = ZX_ENOTFOUND;
    else if (a.opt[O_UNIT])
        rc = zx_tasks_find_unit(db, t, a.opt[O_UNIT], &unit, diag);
    if (rc) {
        code = report("task show", rc, db, diag);
        goto fail;
    }

    localtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    goal = t->goal ? zx_plan_goal(plan, t->goal) : NULL;
    printf("任务 %s（条款 %s）\n", t->id, t->clause);
    printf("名称：%s\n", t->name);
    if (goal)
        printf("目标：%s %s\n", goal->clause, goal->name);
    printf("牵头单位：%s\n", t->lead ? t->lead : "（未写明）");
    fputs("责任单位：", stdout);
    for (i = 0; i < t->nresponsible; i++)
        printf("%s%s", i ? "、" : "", t->responsible[i]);
    printf("\n截止日期：%s%s\n", t->deadline,
           strcmp(t->deadline, today) < 0 ? "（已过）" : "");
    printf("应交佐证：%s\n", t->evidence ? t->evidence : "（未写明）");
    fputs("相关指标：", stdout);
    for (i = 0; i < t->nindicators; i++) {
        const zx_indicator *ind = zx_plan_indicator(plan, t->indicators[i]);

        printf("%s%s%s%s", i ? "；" : "", t->indicators[i], ind ? " " : "",
               ind ? ind->name : "");
    }
    puts(t->nindicators ? "" : "无");

    s.db = db;
    s.plan = plan;
    memset(&f, 0, sizeof(f));
    f.task_id = t->id;
    f.unit = unit;
    f.today = today;
    puts("\n各单位进展：");
    if ((rc = zx_tasks_list(db, plan, &f, show_row, &s))) {
        code = report("task show", rc, db, diag);
        goto fail;
    }
    printf("共 %ld 个单位：未启动 %ld，推进中 %ld，已完成 %ld，逾期 %ld\n",
           s.total, s.count[ZX_TASK_TODO], s.count[ZX_TASK_DOING],
           s.count[ZX_TASK_DONE], s.count[ZX_TASK_OVERDUE]);
    code = ZX_EXIT_OK;

fail:
    free(unit);
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}

/* ---- zhenxing task update / attach ---- */

/* Prints where the unit stands now, after a change. */
static int print_state(void *ctx, const zx_task_row *r)
{
    (void)ctx;
    printf("任务 %s · %s：", r->task->id, r->unit);
    if (r->overdue)
        printf("逾期（%s）", zx_tasks_status_name(r->status));
    else
        fputs(zx_tasks_status_name(r->status), stdout);
    printf("，进展记录 %ld 条，佐证文件 %ld 个\n", r->notes, r->files);
    return 0;
}

static void state_after(zx_db *db, const zx_plan *plan, const char *task_id,
                        const char *unit)
{
    zx_tasks_filter f;

    memset(&f, 0, sizeof(f));
    f.task_id = task_id;
    f.unit = unit;
    zx_tasks_list(db, plan, &f, print_state, NULL);
}

static int task_update(zx_cli *cli, int argc, char **argv)
{
    struct args a;
    zx_diag *diag = NULL;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    int code, rc;

    if ((code = parse("task update", argc, argv,
                      1u << O_UNIT | 1u << O_STATUS | 1u << O_NOTE, 1, &a)))
        return code;
    if (a.npos != 1)
        return zx_cli_usage_error("task update", "需要指定任务编号");
    if (!a.opt[O_UNIT])
        return zx_cli_usage_error("task update", "需要用 --unit 指定承担单位");
    if (!a.opt[O_STATUS] && !a.opt[O_NOTE])
        return zx_cli_usage_error("task update", "需要 --status 或 --note");
    if ((code = zx_cli_open_plan(cli, "task update", &db, &plan)))
        goto fail;
    code = ZX_EXIT_SOFTWARE;
    if (!(diag = zx_diag_new()))
        goto fail;
    rc = zx_tasks_update(db, plan, a.pos[0], a.opt[O_UNIT], a.opt[O_STATUS],
                         a.opt[O_NOTE], zx_audit_cli_actor(), diag);
    if (rc) {
        code = report("task update", rc, db, diag);
        goto fail;
    }
    state_after(db, plan, a.pos[0], a.opt[O_UNIT]);
    code = ZX_EXIT_OK;

fail:
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}

/* Reads the whole of path into *data (malloc'd), stopping one byte past
 * the evidence limit: the size check needs no more. */
static int read_file(const char *path, void **data, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    size_t cap = 65536, n = 0, got;
    char *buf = NULL, *p;

    *data = NULL;
    *len = 0;
    if (!fp)
        return ZX_EIO;
    for (;;) {
        if (!(p = realloc(buf, cap))) {
            free(buf);
            fclose(fp);
            return ZX_ENOMEM;
        }
        buf = p;
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap || n > ZX_TASKS_FILE_MAX)
            break;
        cap *= 2;
        if (cap > (size_t)ZX_TASKS_FILE_MAX + 1)
            cap = (size_t)ZX_TASKS_FILE_MAX + 1;
    }
    if (ferror(fp)) {
        free(buf);
        fclose(fp);
        return ZX_EIO;
    }
    fclose(fp);
    *data = buf;
    *len = n;
    return ZX_OK;
}

static int task_attach(zx_cli *cli, int argc, char **argv)
{
    struct args a;
    zx_diag *diag = NULL;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    void *data = NULL;
    size_t len = 0;
    char sha[65], size[32];
    int code, rc;

    if ((code = parse("task attach", argc, argv, 1u << O_UNIT, 2, &a)))
        return code;
    if (a.npos != 2)
        return zx_cli_usage_error("task attach", "需要指定任务编号和文件");
    if (!a.opt[O_UNIT])
        return zx_cli_usage_error("task attach", "需要用 --unit 指定承担单位");
    if ((rc = read_file(a.pos[1], &data, &len))) {
        fprintf(stderr, "zhenxing task attach: 无法读取文件“%s”\n", a.pos[1]);
        return rc == ZX_EIO ? ZX_EXIT_NOINPUT : ZX_EXIT_SOFTWARE;
    }
    if ((code = zx_cli_open_plan(cli, "task attach", &db, &plan)))
        goto fail;
    code = ZX_EXIT_SOFTWARE;
    if (!(diag = zx_diag_new()))
        goto fail;
    rc = zx_tasks_add_evidence(db, plan, a.pos[0], a.opt[O_UNIT], a.pos[1],
                               data, len, zx_audit_cli_actor(), sha, diag);
    if (rc) {
        code = report("task attach", rc, db, diag);
        /* too big or empty: the file is what is wrong, not the command */
        if (rc == ZX_EINVAL)
            code = ZX_EXIT_DATA;
        goto fail;
    }
    printf("已附加 %s（%s）\n", a.pos[1], size_text((long long)len, size));
    state_after(db, plan, a.pos[0], a.opt[O_UNIT]);
    printf("sha256 %s\n", sha);
    code = ZX_EXIT_OK;

fail:
    free(data);
    zx_diag_free(diag);
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}

/* ---- zhenxing task get ---- */

/* Writes data to path ("-": standard output); 0 or -1. */
static int write_file(const char *path, const void *data, size_t len)
{
    FILE *fp;
    int ok;

    if (strcmp(path, "-") == 0)
        return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0
               ? 0 : -1;
    if (!(fp = fopen(path, "wb")))
        return -1;
    ok = fwrite(data, 1, len, fp) == len;
    if (fclose(fp) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int task_get(zx_cli *cli, int argc, char **argv)
{
    struct args a;
    zx_db *db = NULL;
    void *data = NULL;
    size_t len = 0;
    char sha[65], size[32], *mime = NULL;
    const char *out;
    int code, rc;

    if ((code = parse("task get", argc, argv, 1u << O_OUT, 1, &a)))
        return code;
    if (a.npos != 1)
        return zx_cli_usage_error("task get", "需要指定文件的 SHA-256");
    if (!(out = a.opt[O_OUT]))
        return zx_cli_usage_error("task get", "需要用 --out 指定写到哪个文件"
                                  "（- 为标准输出）");
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    rc = zx_tasks_find_evidence(db, a.pos[0], sha);
    if (rc == ZX_OK)
        rc = zx_tasks_get_evidence(db, sha, &data, &len, &mime);
    switch (rc) {
    case ZX_OK:
        break;
    case ZX_EINVAL:
        code = zx_cli_usage_error("task get", "“%s”不是 SHA-256：应为 8 到 64 "
                                  "位十六进制数字", a.pos[0]);
        goto fail;
    case ZX_ENOTFOUND:
        fprintf(stderr, "zhenxing task get: 没有 SHA-256 为 %s 的佐证文件\n",
                a.pos[0]);
        code = ZX_EXIT_NOINPUT;
        goto fail;
    case ZX_EEXIST:
        code = zx_cli_usage_error("task get", "有多个佐证文件的 SHA-256 以 %s "
                                  "开头，请多写几位", a.pos[0]);
        goto fail;
    case ZX_EDATA:
        fprintf(stderr, "zhenxing task get: 佐证文件 %s 已损坏：内容与 SHA-256 "
                        "不符\n", sha);
        code = ZX_EXIT_DATA;
        goto fail;
    default:
        fprintf(stderr, "zhenxing task get: %s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        code = zx_cli_exit_code(rc);
        goto fail;
    }

    if (write_file(out, data, len) != 0) {
        fprintf(stderr, "zhenxing task get: 无法写入“%s”\n", out);
        code = ZX_EXIT_IO;
        goto fail;
    }
    if (strcmp(out, "-") != 0)
        printf("已写出 %s（%s，%s）\n", out, size_text((long long)len, size),
               mime);
    code = ZX_EXIT_OK;

fail:
    free(data);
    free(mime);
    zx_db_close(db);
    return code;
}

int zx_cmd_task(zx_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(zx_cli *cli, int argc, char **argv);
    } subs[] = {
        { "show", task_show }, { "update", task_update },
        { "attach", task_attach }, { "get", task_get },
    };
    size_t i;

    if (argc < 2)
        return zx_cli_usage_error("task", "需要子命令：show、update、attach "
                                  "或 get");
    for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(cli, argc - 1, argv + 1);
    return zx_cli_usage_error("task", "未知的子命令“%s”：应为 show、update、"
                              "attach 或 get", argv[1]);
}
