/*
 * cmd_training.c - `zhenxing training`: the training ledger of clauses
 * 3.4.2-T2, T3 and T5 (training.h) from the shell: bases and the course
 * catalogue, enrolment in electives, completions one by one or from a
 * sheet, and the accounting of the 180 hours of special training.
 */
#include "audit.h"
#include "cli.h"
#include "codes.h"
#include "indicator.h"
#include "planstore.h"
#include "training.h"
#include "zx.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_usage_training[] =
    "用法: zhenxing [--db 路径] training 操作 [参数...]\n"
    "\n"
    "乡村教师培训台账（条款 3.4.2-T2 培训基地、T3 180学时专项培训、T5 自主选学）。\n"
    "\n"
    "  bases [--format 格式]\n"
    "      列出培训基地\n"
    "  base add 名称 --kind 学校基地|学科基地|培训机构 [--school 学校标识码]\n"
    "           [--subject 学科]\n"
    "      新增或修改培训基地（按名称）；学校基地、学科基地须填所在学校，\n"
    "      学科基地还须填学科\n"
    "  courses [--format 格式]\n"
    "      列出选学课程目录：学时、学科、学段、必修/选修、专项/继续教育、\n"
    "      已选人数与名额、开课与结课日期\n"
    "  course add 课程编号 [--name 名称] [--hours 学时] [--from 开课日期]\n"
    "             [--to 结课日期] [--base 基地] [--subject 学科] [--stage 学段]\n"
    "             [--required | --elective] [--capacity 名额]\n"
    "             [--special | --continuing]\n"
    "      新增或修改课程（按课程编号）。新课程须给出名称、学时和起止日期，\n"
    "      默认为选修、计入专项培训、不限名额；修改时未给出的项保持原值。\n"
    "      学科、学段填代码或名称，“不限”表示不限；名额 0 表示不限。\n"
    "      已有结业记录的课程不能再改学时和专项属性\n"
    "  enrol 教师编号 课程编号\n"
    "      乡村教师选修一门课程：必修课程无需选课；只有乡村学校的教师可以\n"
    "      选课；开课日之后、名额已满或已选过的，不能再选\n"
    "  withdraw 教师编号 课程编号\n"
    "      退选；已有该课程结业记录的不能退选\n"
    "  record 教师编号 (--course 课程编号 | --name 课程名称) --date 完成日期\n"
    "         [--hours 学时] [--special | --continuing]\n"
    "      登记一条结业记录。目录中的课程：学时默认为课程学时，专项属性\n"
    "      随课程；选修课须已选课；同一教师在同一课程累计的学时不超过课程\n"
    "      学时。目录外的培训须给出名称、学时（不超过 360）和 --special 或\n"
    "      --continuing。同一教师、同一课程、同一天只能登记一次\n"
    "  import 文件 [--dry-run]\n"
    "      从 CSV 或 XLSX 导入结业记录，表头为 教师编号、课程编号、课程名称、\n"
    "      学时、完成日期、专项培训（是/否），规则同 record；全部无误才写入，\n"
    "      每个问题报告为 文件:行:列；同一教师、课程、日期的记录再次导入时\n"
    "      更新学时\n"
    "  hours [--unit 单位] [--year 年度] [--behind] [--teacher 教师编号]\n"
    "        [--format 格式]\n"
    "      专项培训学时统计：全市、各区镇、各集团、各学校的乡村教师人数、\n"
    "      完成 180 学时的比例和达到当年进度节点的比例；--behind 列出未达到\n"
    "      节点的教师（学校、学时、差额）；--teacher 显示一名教师的学时和记录\n"
    "\n"
    "口径:\n"
    "  乡村教师  计划中“乡村”城乡类型学校的在岗教师（岗位为“其他”的除外），\n"
    "            与指标 training-180 一致\n"
    "  计入学时  专项培训、完成日期在计划期内（海门为 2020-01-01～2022-12-31）\n"
    "            且不晚于所查年度年底的学时；计划期外的专项学时照常登记，\n"
    "            单列为“期外”，不计入 180 学时；非专项的为继续教育学时\n"
    "  进度节点  计划设置 training_milestones（每个计划年度一个数）；未设置\n"
    "            时按目标学时（training_hours，默认 180）逐年平均：60、120、180\n"
    "\n"
    "选项:\n"
    "  --unit 单位     市、区镇、集团的编码或名称，或学校标识码\n"
    "  --year 年度     计划年度，默认为不晚于今年的最后一个计划年度\n"
    "  --format 格式   table（默认）、json 或 csv\n"
    "  --dry-run       只检查，不写入数据库\n"
    "\n"
    "退出码: 0 成功；64 用法错误；65 数据有误或不符合规则，未写入；\n"
    "        66 数据库、计划、教师、课程、基地或单位不存在\n";

/* ---- arguments -------------------------------------------------------- */

/* Options taking a value, and flags. */
enum {
    O_NAME, O_HOURS, O_FROM, O_TO, O_BASE, O_SUBJECT, O_STAGE, O_CAPACITY,
    O_KIND, O_SCHOOL, O_COURSE, O_DATE, O_UNIT, O_YEAR, O_TEACHER, O_FORMAT,
    NOPTS
};
enum { G_REQUIRED, G_ELECTIVE, G_SPECIAL, G_CONTINUING, G_DRY, G_BEHIND,
       NFLAGS };

static const char *const opt_names[NOPTS] = {
    "--name", "--hours", "--from", "--to", "--base", "--subject", "--stage",
    "--capacity", "--kind", "--school", "--course", "--date", "--unit",
    "--year", "--teacher", "--format",
};
static const char *const flag_names[NFLAGS] = {
    "--required", "--elective", "--special", "--continuing", "--dry-run",
    "--behind",
};

struct args {
    const char *opt[NOPTS];
    int flag[NFLAGS];
    const char *pos[3];
    int npos;
    int format;           /* ZX_CLI_* */
};

#define OPT(o) (1u << (o))

/* Reads argv[from..]: the options and flags whose bits are set, and
 * exactly npos other arguments.  Returns 0 or a usage error's status. */
static int parse(int argc, char **argv, int from, unsigned opts,
                 unsigned flags, int npos, struct args *a)
{
    const char *v;
    int i, o, r;

    memset(a, 0, sizeof(*a));
    for (i = from; i < argc; i++) {
        for (o = 0, r = 0; o < NOPTS && !r; o++)
            if ((opts & OPT(o)) &&
                (r = zx_cli_option(argc, argv, &i, opt_names[o], NULL,
                                   &v)) > 0)
                a->opt[o] = v;
        if (r < 0)
            return zx_cli_usage_error("training", "选项“%s”缺少取值",
                                      argv[i]);
        if (r)
            continue;
        for (o = 0; o < NFLAGS; o++)
            if ((flags & OPT(o)) && strcmp(argv[i], flag_names[o]) == 0)
                break;
        if (o < NFLAGS) {
            a->flag[o] = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return zx_cli_usage_error("training", "无法识别的选项“%s”",
                                      argv[i]);
        if (a->npos == npos)
            return zx_cli_usage_error("training", "多余的参数“%s”", argv[i]);
        a->pos[a->npos++] = argv[i];
    }
    if (a->npos < npos)
        return zx_cli_usage_error("training", "参数不足");
    if ((flags & OPT(G_REQUIRED)) && a->flag[G_REQUIRED] &&
        a->flag[G_ELECTIVE])
        return zx_cli_usage_error("training",
                                  "--required 和 --elective 只能选一个");
    if ((flags & OPT(G_SPECIAL)) && a->flag[G_SPECIAL] &&
        a->flag[G_CONTINUING])
        return zx_cli_usage_error("training",
                                  "--special 和 --continuing 只能选一个");
    return zx_cli_format("training", a->opt[O_FORMAT], 1u << ZX_CLI_TABLE | 1u << ZX_CLI_JSON | 1u << ZX_CLI_CSV, &a->format);
}

/* A number of hours, capacity or year; -1 when s is not one. */
static double parse_num(const char *s)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    return *s && !*end && !errno && v >= 0 && isfinite(v) ? v : -1;
}

/* A code of list (subject or stage) by code or name; 0 for 不限; -1 when
 * unknown. */
static int parse_code(const char *list, const char *s)
{
    const zx_codelist *l = zx_codes_get(list);
    int k;

    if (strcmp(s, "不限") == 0 || strcmp(s, "0") == 0)
        return 0;
    k = zx_codes_find(l, s);
    return k < 0 ? -1 : atoi(l->items[k].code);
}

static const char *code_name(const char *list, int code)
{
    const char *n = code ? zx_codes_name_of(zx_codes_get(list), code) : NULL;

    return n ? n : "不限";
}

/* ---- shared ------------------------------------------------------------ */

/* Opens the database and loads the plan in force when plan is not NULL.
 * Returns an exit status; the caller closes *db and frees *plan either
 * way. */
static int open_db(zx_cli *cli, zx_db **db, zx_plan **plan)
{
    *db = NULL;
    if (!plan)
        return zx_cli_open_db(cli, 0, db);
    return zx_cli_open_plan(cli, "training", db, plan);
}

/* Prints what a zx_training call explained, or the error itself, and
 * returns the exit status (a duplicate is bad input, like a rule
 * broken). */
static int report(int rc, zx_db *db, const zx_diag *diag)
{
    size_t i, n = zx_diag_count(diag);

    for (i = 0; i < n; i++)
        fprintf(stderr, "zhenxing training: %s\n", zx_diag_get(diag, i)->msg);
    if (n == 0)
        fprintf(stderr, "zhenxing training: %s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
    return rc == ZX_EEXIST ? ZX_EXIT_DATA : zx_cli_exit_code(rc);
}

static const char *const change_words[] = { "未变（与原值相同）", "已新增",
                                            "已更新" };

/* A JSON array being filled, or NULL for table and CSV. */
static int json_out(json_t *root)
{
    char *s = json_dumps(root, JSON_INDENT(2));

    if (!s)
        return ZX_EXIT_SOFTWARE;
    puts(s);
    free(s);
    return ZX_EXIT_OK;
}

static const char *hours_text(double h, char buf[32])
{
    snprintf(buf, 32, "%g", h);
    return buf;
}

/* ---- bases ------------------------------------------------------------ */

struct listing {
    int format;
    json_t *arr;
    long n;
    /* hours: what the heading says, printed with the first row (or at the
     * end of an empty listing), so that nothing precedes a refusal */
    void (*head)(const struct listing *l);
    const zx_plan *plan;
    int year;
};

static int print_base(void *ctx, const zx_training_base *b)
{
    struct listing *l = ctx;
    const char *subject = b->subject ? code_name("subject", b->subject) : "";
    char n[32];

    l->n++;
    snprintf(n, sizeof(n), "%lld", b->courses);
    if (l->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:I}", "name",
                              b->name, "kind", b->kind, "school",
                              b->school_code, "school_name", b->school_name,
                              "subject", b->subject ? subject : NULL,
                              "courses", (json_int_t)b->courses);
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (l->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(b->name, 0);
        zx_cli_csv_cell(b->kind, 0);
        zx_cli_csv_cell(b->school_code ? b->school_code : "", 0);
        zx_cli_csv_cell(b->school_name ? b->school_name : "", 0);
        zx_cli_csv_cell(subject, 0);
        zx_cli_csv_cell(n, 1);
        return 0;
    }
    zx_cli_pad(b->name, 28);
    zx_cli_pad(b->kind, 10);
    zx_cli_pad(b->school_name ? b->school_name : "-", 24);
    zx_cli_pad(*subject ? subject : "-", 14);
    printf("%s\n", n);
    return 0;
}

static int cmd_bases(zx_db *db, const struct args *a)
{
    struct listing l = { a->format, NULL, 0, NULL, NULL, 0 };
    int rc, code;

    if (a->format == ZX_CLI_JSON && !(l.arr = json_array()))
        return ZX_EXIT_SOFTWARE;
    if (a->format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "基地名称,类型,学校标识码,学校,学科,课程数\r\n",
              stdout);
    if (a->format == ZX_CLI_TABLE) {
        zx_cli_pad("基地名称", 28);
        zx_cli_pad("类型", 10);
        zx_cli_pad("所在学校", 24);
        zx_cli_pad("学科", 14);
        puts("课程数");
    }
    if ((rc = zx_training_bases(db, print_base, &l))) {
        fprintf(stderr, "zhenxing training: 无法列出培训基地：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        json_decref(l.arr);
        return zx_cli_exit_code(rc);
    }
    code = ZX_EXIT_OK;
    if (a->format == ZX_CLI_JSON)
        code = json_out(l.arr);
    else if (a->format == ZX_CLI_TABLE)
        printf("共 %ld 个培训基地\n", l.n);
    json_decref(l.arr);
    return code;
}

static int cmd_base_add(zx_db *db, const struct args *a)
{
    zx_training_base b;
    zx_diag *diag = zx_diag_new();
    int rc, change;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    memset(&b, 0, sizeof(b));
    b.name = a->pos[0];
    b.kind = a->opt[O_KIND];
    b.school_code = a->opt[O_SCHOOL];
    if (a->opt[O_SUBJECT] &&
        (b.subject = parse_code("subject", a->opt[O_SUBJECT])) < 0) {
        zx_diag_free(diag);
        return zx_cli_usage_error("training", "学科“%s”无效",
                                  a->opt[O_SUBJECT]);
    }
    if (!b.kind) {
        zx_diag_free(diag);
        return zx_cli_usage_error("training", "需要 --kind（%s）",
                                  ZX_TRAINING_BASE_KINDS);
    }
    rc = zx_training_base_put(db, &b, zx_audit_cli_actor(), diag, &change);
    if (rc == ZX_OK)
        printf("%s：培训基地 %s（%s）\n", change_words[change], b.name,
               b.kind);
    else
        rc = report(rc, db, diag);
    zx_diag_free(diag);
    return rc;
}

/* ---- courses ---------------------------------------------------------- */

static int print_course(void *ctx, const zx_course *c)
{
    struct listing *l = ctx;
    char h[32], seats[48], en[32], done[32], cap[32];
    const char *kind = c->required ? "必修" : "选修";
    const char *sp = c->special ? "专项培训" : "继续教育";

    l->n++;
    hours_text(c->hours, h);
    snprintf(en, sizeof(en), "%ld", c->enrolled);
    snprintf(done, sizeof(done), "%ld", c->completed);
    snprintf(cap, sizeof(cap), "%ld", c->capacity);
    if (c->required)
        snprintf(seats, sizeof(seats), "-");
    else if (c->capacity)
        snprintf(seats, sizeof(seats), "%ld/%ld", c->enrolled, c->capacity);
    else
        snprintf(seats, sizeof(seats), "%ld/不限", c->enrolled);
    if (l->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s?, s:f, s:s?, s:s?, s:b, s:b,"
                              " s:o, s:I, s:I, s:s, s:s}",
                              "code", c->code, "name", c->name, "base",
                              c->base, "hours", c->hours, "subject",
                              c->subject ? code_name("subject", c->subject)
                                         : NULL,
                              "stage", c->stage ? code_name("stage", c->stage)
                                                : NULL,
                              "required", c->required, "special", c->special,
                              "capacity",
                              c->capacity ? json_integer(c->capacity)
                                          : json_null(),
                              "enrolled", (json_int_t)c->enrolled,
                              "completed", (json_int_t)c->completed,
                              "starts_on", c->starts_on, "ends_on",
                              c->ends_on);
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (l->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(c->code, 0);
        zx_cli_csv_cell(c->name, 0);
        zx_cli_csv_cell(c->base ? c->base : "", 0);
        zx_cli_csv_cell(h, 0);
        zx_cli_csv_cell(c->subject ? code_name("subject", c->subject) : "", 0);
        zx_cli_csv_cell(c->stage ? code_name("stage", c->stage) : "", 0);
        zx_cli_csv_cell(kind, 0);
        zx_cli_csv_cell(sp, 0);
        zx_cli_csv_cell(c->capacity ? cap : "", 0);
        zx_cli_csv_cell(en, 0);
        zx_cli_csv_cell(done, 0);
        zx_cli_csv_cell(c->starts_on, 0);
        zx_cli_csv_cell(c->ends_on, 1);
        return 0;
    }
    zx_cli_pad(c->code, 12);
    zx_cli_pad(c->name, 32);
    zx_cli_pad(h, 6);
    zx_cli_pad(code_name("subject", c->subject), 12);
    zx_cli_pad(code_name("stage", c->stage), 6);
    zx_cli_pad(kind, 6);
    zx_cli_pad(sp, 10);
    zx_cli_pad(seats, 12);
    zx_cli_pad(done, 6);
    printf("%s～%s  %s\n", c->starts_on, c->ends_on, c->base ? c->base : "");
    return 0;
}

static int cmd_courses(zx_db *db, const struct args *a)
{
    struct listing l = { a->format, NULL, 0, NULL, NULL, 0 };
    int rc, code;

    if (a->format == ZX_CLI_JSON && !(l.arr = json_array()))
        return ZX_EXIT_SOFTWARE;
    if (a->format == ZX_CLI_CSV)
        fputs("\xef\xbb\xbf" "课程编号,课程名称,培训基地,学时,学科,学段,类别,"
              "性质,名额,已选,已结业,开课日期,结课日期\r\n", stdout);
    if (a->format == ZX_CLI_TABLE) {
        zx_cli_pad("编号", 12);
        zx_cli_pad("课程名称", 32);
        zx_cli_pad("学时", 6);
        zx_cli_pad("学科", 12);
        zx_cli_pad("学段", 6);
        zx_cli_pad("类别", 6);
        zx_cli_pad("性质", 10);
        zx_cli_pad("已选/名额", 12);
        zx_cli_pad("结业", 6);
        puts("起止日期                培训基地");
    }
    if ((rc = zx_training_courses(db, NULL, print_course, &l))) {
        fprintf(stderr, "zhenxing training: 无法列出课程：%s\n",
                rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        json_decref(l.arr);
        return zx_cli_exit_code(rc);
    }
    code = ZX_EXIT_OK;
    if (a->format == ZX_CLI_JSON)
        code = json_out(l.arr);
    else if (a->format == ZX_CLI_TABLE)
        printf("共 %ld 门课程\n", l.n);
    json_decref(l.arr);
    return code;
}

/* A course as stored, copied for `course add` to change. */
struct stored {
    int found;
    zx_course c;
    char name[512], base[256], from[11], to[11];
};

static int keep_course(void *ctx, const zx_course *c)
{
    struct stored *s = ctx;

    s->found = 1;
    s->c = *c;
    snprintf(s->name, sizeof(s->name), "%s", c->name);
    snprintf(s->base, sizeof(s->base), "%s", c->base ? c->base : "");
    snprintf(s->from, sizeof(s->from), "%s", c->starts_on);
    snprintf(s->to, sizeof(s->to), "%s", c->ends_on);
    s->c.name = s->name;
    s->c.base = c->base ? s->base : NULL;
    s->c.starts_on = s->from;
    s->c.ends_on = s->to;
    return 0;
}

static int cmd_course_add(zx_db *db, const struct args *a)
{
    struct stored s;
    zx_course *c = &s.c;
    zx_diag *diag;
    double v;
    int rc, change;

    memset(&s, 0, sizeof(s));
    rc = zx_training_courses(db, a->pos[0], keep_course, &s);
    if (rc && rc != ZX_ENOTFOUND) {
        fprintf(stderr, "zhenxing training: %s\n", zx_db_errmsg(db));
        return zx_cli_exit_code(rc);
    }
    if (!s.found) {
        if (!a->opt[O_NAME] || !a->opt[O_HOURS] || !a->opt[O_FROM] ||
            !a->opt[O_TO])
            return zx_cli_usage_error("training", "新课程须给出 --name、"
                                      "--hours、--from 和 --to");
        c->special = 1;
    }
    c->code = a->pos[0];
    if (a->opt[O_NAME])
        c->name = a->opt[O_NAME];
    if (a->opt[O_HOURS]) {
        if ((v = parse_num(a->opt[O_HOURS])) <= 0)
            return zx_cli_usage_error("training", "学时“%s”无效",
                                      a->opt[O_HOURS]);
        c->hours = v;
    }
    if (a->opt[O_FROM])
        c->starts_on = a->opt[O_FROM];
    if (a->opt[O_TO])
        c->ends_on = a->opt[O_TO];
    if (a->opt[O_BASE])
        c->base = *a->opt[O_BASE] ? a->opt[O_BASE] : NULL;
    if (a->opt[O_SUBJECT] &&
        (c->subject = parse_code("subject", a->opt[O_SUBJECT])) < 0)
        return zx_cli_usage_error("training", "学科“%s”无效",
                                  a->opt[O_SUBJECT]);
    if (a->opt[O_STAGE] &&
        (c->stage = parse_code("stage", a->opt[O_STAGE])) < 0)
        return zx_cli_usage_error("training", "学段“%s”无效",
                                  a->opt[O_STAGE]);
    if (a->opt[O_CAPACITY]) {
        v = parse_num(a->opt[O_CAPACITY]);
        if (v < 0 || v != floor(v) || v > 1e9)
            return zx_cli_usage_error("training", "名额“%s”无效，应为非负"
                                      "整数（0 为不限）", a->opt[O_CAPACITY]);
        c->capacity = (long)v;
    }
    if (a->flag[G_REQUIRED] || a->flag[G_ELECTIVE])
        c->required = a->flag[G_REQUIRED];
    if (c->required && !a->opt[O_CAPACITY])
        c->capacity = 0; /* a required course has no places to count */
    if (a->flag[G_SPECIAL] || a->flag[G_CONTINUING])
        c->special = a->flag[G_SPECIAL];
    if (!(diag = zx_diag_new()))
        return ZX_EXIT_SOFTWARE;
    rc = zx_training_course_put(db, c, zx_audit_cli_actor(), diag, &change);
    if (rc == ZX_OK)
        printf("%s：课程 %s %s（%g 学时，%s，%s）\n", change_words[change],
               a->pos[0], c->name, c->hours, c->required ? "必修" : "选修",
               c->special ? "专项培训" : "继续教育");
    else
        rc = report(rc, db, diag);
    zx_diag_free(diag);
    return rc;
}

/* ---- enrolment and completions ----------------------------------------- */

static int cmd_enrol(zx_db *db, const zx_plan *plan, const struct args *a,
                     int withdraw)
{
    zx_diag *diag = zx_diag_new();
    int rc;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    if (withdraw)
        rc = zx_training_withdraw(db, a->pos[1], a->pos[0],
                                  zx_audit_cli_actor(), diag);
    else
        rc = zx_training_enrol(db, plan, a->pos[1], a->pos[0], NULL,
                               zx_audit_cli_actor(), diag);
    if (rc == ZX_OK)
        printf("%s：教师 %s，课程 %s\n", withdraw ? "已退选" : "已选课",
               a->pos[0], a->pos[1]);
    else
        rc = report(rc, db, diag);
    zx_diag_free(diag);
    return rc;
}

static int cmd_record(zx_db *db, const zx_plan *plan, const struct args *a)
{
    zx_training_completion c;
    zx_diag *diag;
    int rc;

    memset(&c, 0, sizeof(c));
    c.teacher = a->pos[0];
    c.course = a->opt[O_COURSE];
    c.name = a->opt[O_NAME];
    c.done_on = a->opt[O_DATE];
    c.special = a->flag[G_SPECIAL] ? 1 : a->flag[G_CONTINUING] ? 0 : -1;
    if (!c.course && !c.name)
        return zx_cli_usage_error("training", "需要 --course 课程编号 或 "
                                  "--name 课程名称");
    if (!c.done_on)
        return zx_cli_usage_error("training", "需要 --date 完成日期");
    if (a->opt[O_HOURS] && (c.hours = parse_num(a->opt[O_HOURS])) <= 0)
        return zx_cli_usage_error("training", "学时“%s”无效，应为正数",
                                  a->opt[O_HOURS]);
    if (!(diag = zx_diag_new()))
        return ZX_EXIT_SOFTWARE;
    rc = zx_training_record(db, plan, &c, NULL, zx_audit_cli_actor(), diag);
    if (rc == ZX_OK)
        printf("已登记：教师 %s 于 %s 完成 %s\n", a->pos[0], c.done_on,
               c.course ? c.course : c.name);
    else
        rc = report(rc, db, diag);
    zx_diag_free(diag);
    return rc;
}

static int cmd_import(zx_db *db, const zx_plan *plan, const struct args *a)
{
    const char *file = a->pos[0];
    zx_training_import_result res;
    zx_progress *bar;
    zx_diag *diag = zx_diag_new();
    int rc;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    bar = zx_progress_new("导入");
    rc = zx_training_import(db, plan, file, file, a->flag[G_DRY], NULL,
                            zx_audit_cli_actor(), zx_progress_update, bar,
                            diag, &res);
    zx_progress_end(bar);
    zx_cli_print_diag(diag);
    if (rc == ZX_OK)
        printf("%s: 读取 %ld 行（%s）：新增 %ld，更新 %ld，未变 %ld%s\n", file,
               res.rows, res.format, res.inserted, res.updated, res.unchanged,
               a->flag[G_DRY] ? "（试运行，未写入数据库）" : "");
    else if (rc == ZX_EDATA || rc == ZX_EFORMAT)
        fprintf(stderr, "%s: 导入未完成：发现 %zu 处问题，数据库未做任何修改\n",
                file, zx_diag_count(diag));
    else
        fprintf(stderr, "%s: 导入失败（%s），数据库未做任何修改\n", file,
                zx_strerror(rc));
    zx_diag_free(diag);
    return zx_cli_exit_code(rc);
}

/* ---- hours ------------------------------------------------------------ */

static const char *const level_words[] = { "全市", "区镇", "集团", "学校",
                                           "教师" };

static const char *share_text(double v, char buf[32])
{
    if (isnan(v))
        snprintf(buf, 32, "-");
    else
        snprintf(buf, 32, "%.1f%%", v);
    return buf;
}

/* The heading above a table of hours, or the header row of CSV. */
static void head_title(const struct listing *l)
{
    printf("%s：乡村教师 %g 学时专项培训，截至 %d 年底（当年进度节点 %g "
           "学时）\n", zx_plan_name(l->plan), zx_training_target(l->plan),
           l->year, zx_training_milestone(l->plan, l->year));
}

static void head_units(const struct listing *l)
{
    if (l->format == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf" "层级,编码,单位,乡村教师,完成人数,完成率,"
              "达到节点人数,按期率\r\n", stdout);
        return;
    }
    head_title(l);
    zx_cli_pad("层级", 6);
    zx_cli_pad("编码", 12);
    zx_cli_pad("单位", 28);
    printf("%s  %s  %s  %s  %s\n", "乡村教师", "完成人数", "完成率",
           "达到节点", "按期率");
}

static void head_teachers(const struct listing *l)
{
    if (l->format == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf" "教师编号,姓名,学校标识码,学校,区镇,专项学时,"
              "继续教育学时,计划期外专项学时,差额\r\n", stdout);
        return;
    }
    head_title(l);
    zx_cli_pad("教师编号", 12);
    zx_cli_pad("姓名", 10);
    zx_cli_pad("学校", 28);
    printf("%s  %s  %s  %s\n", "专项学时", "继续教育", "期外", "差额");
}

static int print_unit(void *ctx, const zx_training_unit *u)
{
    struct listing *l = ctx;
    char n[32], c[32], o[32], cs[32], os[32];

    if (l->n++ == 0 && l->head)
        l->head(l);
    if (l->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o, s:o}",
                              "level", zx_level_name(u->level), "code",
                              u->code, "name", u->name, "teachers",
                              (json_int_t)u->teachers, "complete",
                              (json_int_t)u->complete, "on_track",
                              (json_int_t)u->on_track, "complete_share",
                              zx_result_figure_json(u->complete_share),
                              "on_track_share",
                              zx_result_figure_json(u->on_track_share));
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    snprintf(n, sizeof(n), "%lld", u->teachers);
    snprintf(c, sizeof(c), "%lld", u->complete);
    snprintf(o, sizeof(o), "%lld", u->on_track);
    snprintf(cs, sizeof(cs), "%.1f", u->complete_share);
    snprintf(os, sizeof(os), "%.1f", u->on_track_share);
    if (l->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(level_words[u->level], 0);
        zx_cli_csv_cell(u->code, 0);
        zx_cli_csv_cell(u->name, 0);
        zx_cli_csv_cell(n, 0);
        zx_cli_csv_cell(c, 0);
        zx_cli_csv_cell(cs, 0);
        zx_cli_csv_cell(o, 0);
        zx_cli_csv_cell(os, 1);
        return 0;
    }
    zx_cli_pad(level_words[u->level], 6);
    zx_cli_pad(u->code, 12);
    zx_cli_pad(u->name, 28);
    printf("%8s  %8s  %7s  %8s  %7s\n", n, c,
           share_text(u->complete_share, cs), o,
           share_text(u->on_track_share, os));
    return 0;
}

static int print_teacher(void *ctx, const zx_training_hours *h)
{
    struct listing *l = ctx;
    char sp[32], co[32], ou[32], sh[32];

    if (l->n++ == 0 && l->head)
        l->head(l);
    hours_text(h->special, sp);
    hours_text(h->continuing, co);
    hours_text(h->outside, ou);
    hours_text(h->shortfall, sh);
    if (l->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:f, s:f, s:f,"
                              " s:b, s:b, s:f}",
                              "teacher_no", h->teacher_no, "name", h->name,
                              "school", h->school_code, "school_name",
                              h->school_name, "town", h->town_name, "rural",
                              h->rural, "special", h->special, "continuing",
                              h->continuing, "outside", h->outside,
                              "complete", h->complete, "on_track",
                              h->on_track, "shortfall", h->shortfall);
        return j && json_array_append_new(l->arr, j) == 0 ? 0 : ZX_ENOMEM;
    }
    if (l->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(h->teacher_no, 0);
        zx_cli_csv_cell(h->name, 0);
        zx_cli_csv_cell(h->school_code, 0);
        zx_cli_csv_cell(h->school_name, 0);
        zx_cli_csv_cell(h->town_name, 0);
        zx_cli_csv_cell(sp, 0);
        zx_cli_csv_cell(co, 0);
        zx_cli_csv_cell(ou, 0);
        zx_cli_csv_cell(sh, 1);
        return 0;
    }
    zx_cli_pad(h->teacher_no, 12);
    zx_cli_pad(h->name, 10);
    zx_cli_pad(h->school_name, 28);
    printf("%8s  %8s  %6s  %6s\n", sp, co, ou, sh);
    return 0;
}

struct one {
    int format;
    int found;
    zx_training_hours h;
    char no[64], name[128], school[256], town[128];
    json_t *records;
};

static int keep_teacher(void *ctx, const zx_training_hours *h)
{
    struct one *o = ctx;

    o->found = 1;
    o->h = *h;
    snprintf(o->no, sizeof(o->no), "%s", h->teacher_no);
    snprintf(o->name, sizeof(o->name), "%s", h->name);
    snprintf(o->school, sizeof(o->school), "%s", h->school_name);
    snprintf(o->town, sizeof(o->town), "%s", h->town_name);
    return 0;
}

static int print_entry(void *ctx, const zx_training_entry *e)
{
    struct one *o = ctx;
    char h[32];

    hours_text(e->hours, h);
    if (o->format == ZX_CLI_JSON) {
        json_t *j = json_pack("{s:s?, s:s, s:f, s:s, s:b, s:b}",
                              "course_code", e->course_code, "course",
                              e->course, "hours", e->hours, "done_on",
                              e->done_on, "special", e->special, "counted",
                              e->counted);
        return j && json_array_append_new(o->records, j) == 0 ? 0
                                                              : ZX_ENOMEM;
    }
    if (o->format == ZX_CLI_CSV) {
        zx_cli_csv_cell(e->done_on, 0);
        zx_cli_csv_cell(e->course_code ? e->course_code : "", 0);
        zx_cli_csv_cell(e->course, 0);
        zx_cli_csv_cell(h, 0);
        zx_cli_csv_cell(e->special ? "是" : "否", 0);
        zx_cli_csv_cell(e->counted ? "是" : "否", 1);
        return 0;
    }
    printf("  %s  ", e->done_on);
    zx_cli_pad(e->course_code ? e->course_code : "-", 12);
    zx_cli_pad(e->course, 32);
    printf("%6s  %s%s\n", h, e->special ? "专项" : "继续教育",
           e->special && !e->counted ? "（计划期外，不计入）" : "");
    return 0;
}

static int cmd_teacher(zx_db *db, const zx_plan *plan, const struct args *a,
                       const zx_training_query *q, zx_diag *diag)
{
    struct one o;
    char sp[32], co[32], ou[32], ms[32];
    json_t *root = NULL;
    int rc, code = ZX_EXIT_OK;

    memset(&o, 0, sizeof(o));
    o.format = a->format;
    if ((rc = zx_training_teachers(db, plan, q, keep_teacher, &o, diag)))
        return report(rc, db, diag);
    if (a->format == ZX_CLI_JSON && !(o.records = json_array()))
        return ZX_EXIT_SOFTWARE;
    hours_text(o.h.special, sp);
    hours_text(o.h.continuing, co);
    hours_text(o.h.outside, ou);
    hours_text(o.h.milestone, ms);
    if (a->format == ZX_CLI_TABLE) {
        printf("教师 %s %s（%s·%s%s）截至 %d 年底：专项培训 %s 学时（计入 %g "
               "学时目标），继续教育 %s 学时，计划期外专项 %s 学时\n",
               o.no, o.name, o.town, o.school, o.h.rural ? "，乡村教师" : "",
               q->year ? q->year : zx_training_year(plan), sp, o.h.target,
               co, ou);
        printf("本年进度节点 %s 学时：%s\n", ms,
               o.h.complete   ? "已完成"
               : o.h.on_track ? "按期推进"
                              : "滞后");
    } else if (a->format == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf" "完成日期,课程编号,课程名称,学时,专项培训,"
              "计入\r\n", stdout);
    }
    if ((rc = zx_training_entries(db, plan, o.no, print_entry, &o))) {
        json_decref(o.records);
        return report(rc, db, diag);
    }
    if (a->format == ZX_CLI_JSON) {
        root = json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:f, s:f, s:f, s:f,"
                         " s:f, s:b, s:b, s:f, s:o}",
                         "teacher_no", o.no, "name", o.name, "school",
                         o.school, "town", o.town, "rural", o.h.rural,
                         "year", q->year ? q->year : zx_training_year(plan),
                         "special", o.h.special, "continuing",
                         o.h.continuing, "outside", o.h.outside, "milestone",
                         o.h.milestone, "target", o.h.target, "complete",
                         o.h.complete, "on_track", o.h.on_track, "shortfall",
                         o.h.shortfall, "records", o.records);
        code = root ? json_out(root) : ZX_EXIT_SOFTWARE;
        json_decref(root);
    }
    return code;
}

static int cmd_hours(zx_db *db, const zx_plan *plan, const struct args *a)
{
    struct listing l = { a->format, NULL, 0, NULL, NULL, 0 };
    zx_training_query q;
    zx_diag *diag = zx_diag_new();
    json_t *root = NULL;
    double v;
    int rc, code = ZX_EXIT_OK, year;

    if (!diag)
        return ZX_EXIT_SOFTWARE;
    memset(&q, 0, sizeof(q));
    if (a->opt[O_YEAR]) {
        v = parse_num(a->opt[O_YEAR]);
        if (v < 1000 || v > 9999 || v != floor(v)) {
            zx_diag_free(diag);
            return zx_cli_usage_error("training", "年度“%s”无效，应为 4 位"
                                      "数字", a->opt[O_YEAR]);
        }
        q.year = (int)v;
    }
    q.unit = a->opt[O_UNIT];
    q.teacher = a->opt[O_TEACHER];
    q.behind_only = a->flag[G_BEHIND];
    if (q.teacher && (q.unit || q.behind_only)) {
        zx_diag_free(diag);
        return zx_cli_usage_error("training", "--teacher 不能与 --unit 或 "
                                  "--behind 同用");
    }
    if (q.teacher) {
        code = cmd_teacher(db, plan, a, &q, diag);
        zx_diag_free(diag);
        return code;
    }
    year = q.year ? q.year : zx_training_year(plan);
    if (a->format == ZX_CLI_JSON && !(l.arr = json_array())) {
        zx_diag_free(diag);
        return ZX_EXIT_SOFTWARE;
    }
    l.plan = plan;
    l.year = year;
    if (a->format != ZX_CLI_JSON)
        l.head = q.behind_only ? head_teachers : head_units;
    rc = q.behind_only
             ? zx_training_teachers(db, plan, &q, print_teacher, &l, diag)
             : zx_training_units(db, plan, &q, print_unit, &l, diag);
    if (rc) {
        code = report(rc, db, diag);
        goto done;
    }
    if (a->format == ZX_CLI_JSON) {
        root = json_pack("{s:i, s:f, s:f, s:O}", "year", year, "target",
                         zx_training_target(plan), "milestone",
                         zx_training_milestone(plan, year),
                         q.behind_only ? "teachers" : "units", l.arr);
        code = root ? json_out(root) : ZX_EXIT_SOFTWARE;
    } else {
        if (l.n == 0)
            l.head(&l);
        if (a->format == ZX_CLI_TABLE && q.behind_only)
            printf("共 %ld 名乡村教师未达到当年进度节点\n", l.n);
        else if (a->format == ZX_CLI_TABLE && l.n == 0)
            puts("没有乡村教师");
    }

done:
    json_decref(root);
    json_decref(l.arr);
    zx_diag_free(diag);
    return code;
}

/* ---- the command ------------------------------------------------------ */

int zx_cmd_training(zx_cli *cli, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : NULL;
    const char *sub = argc > 2 ? argv[2] : NULL;
    struct args a;
    zx_db *db = NULL;
    zx_plan *plan = NULL;
    int code, need_plan = 1, kind;

    enum { BASES, BASE_ADD, COURSES, COURSE_ADD, ENROL, WITHDRAW, RECORD,
           IMPORT, HOURS };

    if (!verb)
        return zx_cli_usage_error("training", "需要指定操作：bases、base add、"
                                  "courses、course add、enrol、withdraw、"
                                  "record、import 或 hours");
    if (strcmp(verb, "bases") == 0) {
        kind = BASES;
        code = parse(argc, argv, 2, OPT(O_FORMAT), 0, 0, &a);
    } else if (strcmp(verb, "base") == 0 && sub && strcmp(sub, "add") == 0) {
        kind = BASE_ADD;
        code = parse(argc, argv, 3,
                     OPT(O_KIND) | OPT(O_SCHOOL) | OPT(O_SUBJECT), 0, 1, &a);
    } else if (strcmp(verb, "courses") == 0) {
        kind = COURSES;
        code = parse(argc, argv, 2, OPT(O_FORMAT), 0, 0, &a);
    } else if (strcmp(verb, "course") == 0 && sub &&
               strcmp(sub, "add") == 0) {
        kind = COURSE_ADD;
        code = parse(argc, argv, 3,
                     OPT(O_NAME) | OPT(O_HOURS) | OPT(O_FROM) | OPT(O_TO) |
                         OPT(O_BASE) | OPT(O_SUBJECT) | OPT(O_STAGE) |
                         OPT(O_CAPACITY),
                     OPT(G_REQUIRED) | OPT(G_ELECTIVE) | OPT(G_SPECIAL) |
                         OPT(G_CONTINUING),
                     1, &a);
    } else if (strcmp(verb, "enrol") == 0 || strcmp(verb, "withdraw") == 0) {
        kind = verb[0] == 'e' ? ENROL : WITHDRAW;
        code = parse(argc, argv, 2, 0, 0, 2, &a);
    } else if (strcmp(verb, "record") == 0) {
        kind = RECORD;
        code = parse(argc, argv, 2,
                     OPT(O_COURSE) | OPT(O_NAME) | OPT(O_HOURS) | OPT(O_DATE),
                     OPT(G_SPECIAL) | OPT(G_CONTINUING), 1, &a);
    } else if (strcmp(verb, "import") == 0) {
        kind = IMPORT;
        code = parse(argc, argv, 2, 0, OPT(G_DRY), 1, &a);
    } else if (strcmp(verb, "hours") == 0) {
        kind = HOURS;
        code = parse(argc, argv, 2,
                     OPT(O_UNIT) | OPT(O_YEAR) | OPT(O_TEACHER) |
                         OPT(O_FORMAT),
                     OPT(G_BEHIND), 0, &a);
    } else {
        return zx_cli_usage_error("training", "未知的操作“%s%s%s”", verb,
                                  sub ? " " : "", sub ? sub : "");
    }
    if (code)
        return code;
    if (kind == BASES || kind == BASE_ADD || kind == COURSES ||
        kind == COURSE_ADD || kind == WITHDRAW)
        need_plan = 0;
    if ((code = open_db(cli, &db, need_plan ? &plan : NULL)))
        goto done;
    switch (kind) {
    case BASES:      code = cmd_bases(db, &a); break;
    case BASE_ADD:   code = cmd_base_add(db, &a); break;
    case COURSES:    code = cmd_courses(db, &a); break;
    case COURSE_ADD: code = cmd_course_add(db, &a); break;
    case ENROL:      code = cmd_enrol(db, plan, &a, 0); break;
    case WITHDRAW:   code = cmd_enrol(db, plan, &a, 1); break;
    case RECORD:     code = cmd_record(db, plan, &a); break;
    case IMPORT:     code = cmd_import(db, plan, &a); break;
    default:         code = cmd_hours(db, plan, &a); break;
    }

done:
    zx_plan_free(plan);
    zx_db_close(db);
    return code;
}
