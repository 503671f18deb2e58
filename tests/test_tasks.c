/*
 * test_tasks.c - task supervision: expansion of "各区镇" and the like
 * against the registry, status per unit with 逾期 computed from the
 * deadline, progress notes, evidence files stored by content with their
 * size and type limits, the audit trail, the listing's order and filters,
 * and the tasks / task commands.
 *
 * The plan: town-task (lead 市教育体育局, responsible 各区镇, deadline
 * 2020-06-30, long past) and office-task (lead 人事科, responsible offices,
 * deadline 2099-12-31).  The registry: two towns, five schools.
 *   3206840001 甲小学     甲镇  211 小学
 *   3206840002 甲幼儿园   甲镇  111 幼儿园
 *   3206840003 乙中学     乙镇  311 初中
 *   3206840004 乙幼儿班   乙镇  119 附设幼儿班
 *   3206840005 乙特教学校 乙镇  514 特殊教育学校
 */
#include "testutil.h"

#include <ctype.h>
#include <jansson.h>
#include <strings.h>
#include <sodium.h>
#include <zip.h>

#include "audit.h"
#include "tasks.h"

static const char plan_text[] =
    TU_PLAN_HEAD("test-plan")
    "goals:\n"
    "  - id: conditions\n"
    "    clause: \"2.1\"\n"
    "    name: 办学条件\n"
    "indicators:\n"
    "  - id: school-count\n"
    "    clause: 3.3-Q1\n"
    "    goal: conditions\n"
    "    name: 学校数\n"
    "    kind: count\n"
    "    over: schools\n"
    "    unit: 所\n"
    "    direction: higher\n"
    "    target: 1\n"
    "    milestones: ramp\n"
    "    levels: [city]\n"
    "tasks:\n"
    "  - id: town-task\n"
    "    clause: 4.1-O1\n"
    "    goal: conditions\n"
    "    name: 区镇任务\n"
    "    lead: 市教育体育局\n"
    "    responsible: [各区镇]\n"
    "    deadline: 2020-06-30\n"
    "    evidence: 工作台账\n"
    "    indicators: [school-count]\n"
    "  - id: office-task\n"
    "    clause: 4.1-O2\n"
    "    goal: conditions\n"
    "    name: 科室任务\n"
    "    lead: 人事科\n"
    "    responsible: [计划财务科, 市教育体育局, 人事科]\n"
    "    deadline: 2099-12-31\n";

static const char *dir;
static zx_db *db;
static zx_plan *plan;
static zx_diag *diag;

static void school(zx_registry *reg, const char *code, const char *name,
                   const char *town, int type)
{
    zx_school_rec s = { code, name, town, NULL, type, 220, 0, 21, 0, 0, 0,
                        0 };
    int put;

    cr_assert_eq(zx_registry_put_school(reg, &s, &put), ZX_OK);
}

static void setup(void)
{
    zx_registry *reg;

    dir = tu_tmpdir();
    db = tu_db(dir);
    cr_assert_not_null(diag = zx_diag_new());
    reg = tu_registry_begin(db);
    school(reg, "3206840001", "甲小学", "甲镇", 211);
    school(reg, "3206840002", "甲幼儿园", "甲镇", 111);
    school(reg, "3206840003", "乙中学", "乙镇", 311);
    school(reg, "3206840004", "乙幼儿班", "乙镇", 119);
    school(reg, "3206840005", "乙特教学校", "乙镇", 514);
    tu_registry_end(db, reg);
    plan = tu_plan_stored(db, plan_text);
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
    zx_db_close(db);
}

TestSuite(tasks, .init = setup, .fini = teardown);

static long long count(const char *sql)
{
    return zx_db_int(db, sql, NULL, -1);
}

/* Non-zero when some diagnostic contains s. */
static int said(const char *s)
{
    size_t i;

    for (i = 0; i < zx_diag_count(diag); i++)
        if (strstr(zx_diag_get(diag, i)->msg, s))
            return 1;
    return 0;
}

static const char *said_all(void)
{
    return zx_diag_count(diag) ? zx_diag_get(diag, 0)->msg : "(nothing)";
}

/* ---- expansion ---- */

static void expect_units(const zx_task *t, const char *const *want, int n)
{
    const char **names;
    int got, i;

    cr_assert_eq(zx_tasks_units(db, t, &names, &got), ZX_OK);
    cr_assert_eq(got, n, "%s: %d units, want %d", t->id, got, n);
    for (i = 0; i < n; i++)
        cr_assert_str_eq(names[i], want[i], "%s unit %d", t->id, i);
    free(names);
}

Test(tasks, expansion)
{
    static const char *const towns[] = { "市教育体育局", "甲镇", "乙镇" };
    static const char *const offices[] = { "人事科", "计划财务科",
                                           "市教育体育局" };
    static const char *const schools[] = { "局", "甲小学", "甲幼儿园",
                                           "乙中学", "乙幼儿班",
                                           "乙特教学校" };
    static const char *const kinder[] = { "局", "甲幼儿园", "乙幼儿班" };
    static const char *const k12[] = { "局", "甲小学", "乙中学" };
    static const char *const mixed[] = { "局", "甲镇", "乙镇", "甲小学",
                                         "乙中学", "人事科" };
    const char *r_schools[] = { "各学校" }, *r_kinder[] = { "各幼儿园" },
               *r_k12[] = { "各中小学" },
               *r_mixed[] = { "各区镇", "各中小学", "人事科", "各区镇" };
    zx_task t;
    zx_registry *reg;

    expect_units(zx_plan_task(plan, "town-task"), towns, 3);
    /* the lead also listed as responsible counts once */
    expect_units(zx_plan_task(plan, "office-task"), offices, 3);

    memset(&t, 0, sizeof(t));
    t.id = "hand-made";
    t.lead = "局";
    t.nresponsible = 1;
    t.responsible = r_schools;
    expect_units(&t, schools, 6);
    t.responsible = r_kinder;
    expect_units(&t, kinder, 3);
    t.responsible = r_k12;
    expect_units(&t, k12, 3);
    t.responsible = r_mixed;
    t.nresponsible = 4;
    expect_units(&t, mixed, 6);

    /* the registry as it is now: a new town answers at once */
    reg = tu_registry_begin(db);
    school(reg, "3206840006", "丙小学", "丙镇", 211);
    tu_registry_end(db, reg);
    {
        static const char *const now[] = { "市教育体育局", "甲镇", "乙镇",
                                           "丙镇" };
        expect_units(zx_plan_task(plan, "town-task"), now, 4);
    }
}

/* ---- listing helper ---- */

struct got {
    char task[32], unit[64], last[64], by[64];
    int status, overdue, lead;
    long notes, files;
};

struct gots {
    struct got r[32];
    int n;
};

static int collect(void *ctx, const zx_task_row *r)
{
    struct gots *g = ctx;
    struct got *x;

    cr_assert_lt(g->n, 32);
    x = &g->r[g->n++];
    snprintf(x->task, sizeof(x->task), "%s", r->task->id);
    snprintf(x->unit, sizeof(x->unit), "%s", r->unit);
    snprintf(x->last, sizeof(x->last), "%s", r->last_note ? r->last_note : "");
    snprintf(x->by, sizeof(x->by), "%s", r->updated_by ? r->updated_by : "");
    x->status = r->status;
    x->overdue = r->overdue;
    x->lead = r->lead;
    x->notes = r->notes;
    x->files = r->files;
    cr_assert_eq(r->updated_at == NULL, r->updated_by == NULL);
    return 0;
}

static int list(const char *task, const char *unit, const char *status,
                const char *today, struct gots *g)
{
    zx_tasks_filter f = { task, unit, status, today };

    g->n = 0;
    return zx_tasks_list(db, plan, &f, collect, g);
}

static const struct got *row(const struct gots *g, const char *task,
                             const char *unit)
{
    int i;

    for (i = 0; i < g->n; i++)
        if (strcmp(g->r[i].task, task) == 0 && strcmp(g->r[i].unit, unit) == 0)
            return &g->r[i];
    cr_assert_fail("no row %s / %s", task, unit);
    return NULL;
}

/* ---- status ---- */

Test(tasks, default_status_and_overdue)
{
    struct gots g;
    const struct got *r;
    int i;

    cr_assert_eq(list(NULL, NULL, NULL, NULL, &g), ZX_OK);
    cr_assert_eq(g.n, 6);
    for (i = 0; i < g.n; i++) {
        cr_assert_eq(g.r[i].status, ZX_TASK_TODO, "%s", g.r[i].unit);
        /* town-task's deadline is long past, office-task's far ahead */
        cr_assert_eq(g.r[i].overdue, strcmp(g.r[i].task, "town-task") == 0);
        cr_assert_eq(g.r[i].notes, 0);
        cr_assert_eq(g.r[i].files, 0);
        cr_assert_str_eq(g.r[i].by, "");
    }
    cr_assert(row(&g, "town-task", "市教育体育局")->lead);
    cr_assert_not(row(&g, "town-task", "甲镇")->lead);

    /* done is never overdue; in progress still is */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "已完成",
                                     "user:wang", diag), ZX_OK, "%s",
                 said_all());
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "乙镇", "推进中",
                                     "user:wang", diag), ZX_OK);
    cr_assert_eq(list("town-task", NULL, NULL, NULL, &g), ZX_OK);
    r = row(&g, "town-task", "甲镇");
    cr_assert_eq(r->status, ZX_TASK_DONE);
    cr_assert_not(r->overdue);
    cr_assert_str_eq(r->by, "user:wang");
    r = row(&g, "town-task", "乙镇");
    cr_assert_eq(r->status, ZX_TASK_DOING);
    cr_assert(r->overdue);

    /* the day decides: before the deadline nothing is overdue, on the
     * deadline day neither, the day after it is */
    cr_assert_eq(list("town-task", NULL, NULL, "2020-06-30", &g), ZX_OK);
    for (i = 0; i < g.n; i++)
        cr_assert_not(g.r[i].overdue);
    cr_assert_eq(list("town-task", NULL, "逾期", "2020-07-01", &g), ZX_OK);
    cr_assert_eq(g.n, 2);

    cr_assert_str_eq(zx_tasks_status_name(ZX_TASK_OVERDUE), "逾期");
    cr_assert_eq(zx_tasks_status_parse("推进中"), ZX_TASK_DOING);
    cr_assert_eq(zx_tasks_status_parse("完成"), -1);
}

Test(tasks, set_status_rejects)
{
    long long audits = count("SELECT count(*) FROM audit");

    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "完成",
                                     "t", diag), ZX_EINVAL);
    cr_assert(said("完成"), "%s", said_all());
    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "逾期",
                                     "t", diag), ZX_EINVAL);
    cr_assert(said("自动判定"), "%s", said_all());
    zx_diag_clear(diag);

    /* a unit that does not answer for the task: the message lists those
     * that do, group members included, and the close one */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "丙镇", "推进中",
                                     "t", diag), ZX_ENOTFOUND);
    cr_assert(said("丙镇") && said("甲镇") && said("乙镇") &&
              said("市教育体育局"), "%s", said_all());
    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_set_status(db, plan, "office-task", "人事", "推进中",
                                     "t", diag), ZX_ENOTFOUND);
    cr_assert(said("是否指“人事科”"), "%s", said_all());
    zx_diag_clear(diag);
    /* a school is no unit of a town task */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲小学", "推进中",
                                     "t", diag), ZX_ENOTFOUND);
    zx_diag_clear(diag);

    /* unknown task: a close id, or the task of a clause number */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-tsak", "甲镇", "推进中",
                                     "t", diag), ZX_ENOTFOUND);
    cr_assert(said("是否指“town-task”"), "%s", said_all());
    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_set_status(db, plan, "4.1-O2", "人事科", "推进中",
                                     "t", diag), ZX_ENOTFOUND);
    cr_assert(said("office-task"), "%s", said_all());
    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_set_status(db, plan, "zzzzzzzzzzzz", "甲镇",
                                     "推进中", "t", diag), ZX_ENOTFOUND);
    cr_assert(said("zzzzzzzzzzzz") && !said("是否指"), "%s", said_all());
    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_update(db, plan, "town-task", "甲镇", NULL, NULL,
                                 "t", diag), ZX_EINVAL);

    cr_assert_eq(count("SELECT count(*) FROM task_progress"), 0);
    cr_assert_eq(count("SELECT count(*) FROM audit"), audits);

    /* units are matched as typed by hand: spaces, full-width forms */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", " 甲 镇 ",
                                     "推进中", "t", diag), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM task_progress"
                       " WHERE unit = '甲镇'"), 1);
    /* the same status again is no change */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "推进中",
                                     "t", diag), ZX_OK);
    /* nor is 未启动 for a unit never touched */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "乙镇", "未启动",
                                     "t", diag), ZX_OK);
    cr_assert_eq(count("SELECT count(*) FROM task_progress"), 1);
    cr_assert_eq(count("SELECT count(*) FROM audit"), audits + 1);
}

/* ---- notes ---- */

static int collect_note(void *ctx, const zx_task_note *n)
{
    struct gots *g = ctx;

    snprintf(g->r[g->n].unit, sizeof(g->r[0].unit), "%s", n->unit);
    snprintf(g->r[g->n].last, sizeof(g->r[0].last), "%s", n->text);
    snprintf(g->r[g->n].by, sizeof(g->r[0].by), "%s", n->author);
    g->n++;
    return 0;
}

Test(tasks, notes)
{
    char *longest = malloc(ZX_TASKS_NOTE_MAX * 3 + 4);
    struct gots g;
    const struct got *r;
    int i;

    cr_assert_not_null(longest);
    cr_assert_eq(zx_tasks_add_note(db, plan, "town-task", "甲镇",
                                   "已召开部署会", "user:li", diag), ZX_OK);
    cr_assert_eq(zx_tasks_add_note(db, plan, "town-task", "甲镇", "方案已印发",
                                   "user:li", diag), ZX_OK);
    cr_assert_eq(zx_tasks_update(db, plan, "town-task", "乙镇", "推进中",
                                 "开始摸底", "user:zhao", diag), ZX_OK);

    /* 2000 characters (6000 bytes) pass, 2001 do not; blank, bad UTF-8 */
    for (i = 0; i < ZX_TASKS_NOTE_MAX; i++)
        memcpy(longest + 3 * i, "字", 3);
    longest[3 * i] = '\0';
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "人事科", longest,
                                   "t", diag), ZX_OK, "%s", said_all());
    strcat(longest, "字");
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "人事科", longest,
                                   "t", diag), ZX_EINVAL);
    cr_assert(said("2001"), "%s", said_all());
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "人事科", " \n ",
                                   "t", diag), ZX_EINVAL);
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "人事科", "",
                                   "t", diag), ZX_EINVAL);
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "人事科",
                                   "\xff\xfe", "t", diag), ZX_EINVAL);
    cr_assert_eq(zx_tasks_add_note(db, plan, "office-task", "外单位", "x",
                                   "t", diag), ZX_ENOTFOUND);
    free(longest);
    cr_assert_eq(count("SELECT count(*) FROM task_note"), 4);

    cr_assert_eq(list("town-task", NULL, NULL, NULL, &g), ZX_OK);
    r = row(&g, "town-task", "甲镇");
    cr_assert_eq(r->notes, 2);
    cr_assert_str_eq(r->last, "方案已印发");
    r = row(&g, "town-task", "乙镇");
    cr_assert_eq(r->notes, 1);
    cr_assert_eq(r->status, ZX_TASK_DOING);
    cr_assert_str_eq(r->by, "user:zhao");

    g.n = 0;
    cr_assert_eq(zx_tasks_notes(db, plan, "town-task", "甲镇", collect_note,
                                &g), ZX_OK);
    cr_assert_eq(g.n, 2);
    cr_assert_str_eq(g.r[0].last, "已召开部署会");
    cr_assert_str_eq(g.r[1].last, "方案已印发");
    cr_assert_str_eq(g.r[1].by, "user:li");
    g.n = 0;
    cr_assert_eq(zx_tasks_notes(db, plan, "town-task", NULL, collect_note,
                                &g), ZX_OK);
    cr_assert_eq(g.n, 3);
    cr_assert_str_eq(g.r[2].unit, "乙镇");
}

/* ---- evidence ---- */

static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

static void sha_of(const void *data, size_t len, char hex[65])
{
    unsigned char h[32];

    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, 32);
}

Test(tasks, evidence_by_content)
{
    char sha1[65], sha2[65], want[65], full[65], *mime = NULL;
    void *back = NULL;
    size_t len = 0;
    struct gots g;

    sha_of(pdf, sizeof(pdf) - 1, want);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇",
                                       "/home/li/材料/部署会.pdf", pdf,
                                       sizeof(pdf) - 1, "user:li", sha1,
                                       diag), ZX_OK, "%s", said_all());
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "office-task", "人事科",
                                       "C:\\文件\\同一份.pdf", pdf,
                                       sizeof(pdf) - 1, "user:wu", sha2,
                                       diag), ZX_OK);
    cr_assert_str_eq(sha1, want);
    cr_assert_str_eq(sha2, want);
    cr_assert_eq(count("SELECT count(*) FROM evidence_blob"), 1);
    cr_assert_eq(count("SELECT count(*) FROM task_evidence"), 2);
    cr_assert_eq(count("SELECT count(*) FROM task_evidence WHERE name IN"
                       " ('部署会.pdf', '同一份.pdf')"), 2);

    cr_assert_eq(list(NULL, NULL, NULL, NULL, &g), ZX_OK);
    cr_assert_eq(row(&g, "town-task", "甲镇")->files, 1);
    cr_assert_eq(row(&g, "office-task", "人事科")->files, 1);
    cr_assert_eq(row(&g, "town-task", "乙镇")->files, 0);

    /* back, byte for byte, by the full hash or a unique prefix */
    cr_assert_eq(zx_tasks_find_evidence(db, "ABCDEF", full), ZX_EINVAL);
    cr_assert_eq(zx_tasks_find_evidence(db, want[0] == '0' ? "1111111111"
                                                           : "0000000000",
                                        full), ZX_ENOTFOUND);
    sha1[10] = '\0';
    cr_assert_eq(zx_tasks_find_evidence(db, sha1, full), ZX_OK);
    cr_assert_str_eq(full, want);
    cr_assert_eq(zx_tasks_get_evidence(db, full, &back, &len, &mime), ZX_OK);
    cr_assert_eq(len, sizeof(pdf) - 1);
    cr_assert_eq(memcmp(back, pdf, len), 0);
    cr_assert_str_eq(mime, "application/pdf");
    free(back);
    free(mime);
    cr_assert_eq(zx_tasks_get_evidence(db, "not-a-hash", &back, &len, NULL),
                 ZX_EINVAL);
    cr_assert_eq(zx_tasks_get_evidence(db, "00000000000000000000000000000000"
                                           "00000000000000000000000000000000",
                                       &back, &len, NULL), ZX_ENOTFOUND);
    cr_assert_null(back);

    /* a blob altered behind zhenxing's back is refused on the way out */
    cr_assert_eq(zx_db_exec(db, "UPDATE evidence_blob SET data = X'00'"),
                 ZX_OK);
    cr_assert_eq(zx_tasks_get_evidence(db, full, &back, &len, NULL),
                 ZX_EDATA);
    cr_assert_null(back);
}

Test(tasks, evidence_ambiguous_prefix)
{
    char sha[65], p8[9], full[65];
    int i;

    cr_assert_eq(zx_tasks_add_evidence(db, plan, "office-task", "人事科",
                                       "说明.txt", "说明\n", 7, "t", sha,
                                       diag), ZX_OK);
    memcpy(p8, sha, 8);
    p8[8] = '\0';
    cr_assert_eq(zx_tasks_find_evidence(db, p8, full), ZX_OK);
    cr_assert_str_eq(full, sha);
    /* two hashes sharing eight digits are too rare to meet by chance:
     * store a twin key by hand */
    cr_assert_eq(zx_db_exec(db, "INSERT INTO evidence_blob(sha256, size,"
                                " mime, data) SELECT substr(sha256, 1, 8)"
                                " || 'ffffffff', size, mime, data FROM"
                                " evidence_blob"), ZX_OK);
    cr_assert_eq(zx_tasks_find_evidence(db, p8, full), ZX_EEXIST);
    cr_assert_str_eq(full, "");
    /* a longer prefix tells them apart again, in either case */
    for (i = 0; i < 12; i++)
        sha[i] = (char)toupper((unsigned char)sha[i]);
    sha[12] = '\0';
    cr_assert_eq(zx_tasks_find_evidence(db, sha, full), ZX_OK);
    cr_assert_eq(strncasecmp(full, sha, 12), 0);
}

/* The bytes of a ZIP archive holding the given (name, text) entries. */
static void *zip_of(const char *const *entries, int n, size_t *len)
{
    const char *path = tu_path(dir, "archive.zip");
    zip_t *za;
    FILE *f;
    void *buf;
    long size;
    int i, err;

    cr_assert_not_null(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err));
    for (i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, entries[2 * i + 1],
                                            strlen(entries[2 * i + 1]), 0);
        cr_assert_not_null(s);
        cr_assert_geq(zip_file_add(za, entries[2 * i], s, 0), 0);
    }
    cr_assert_eq(zip_close(za), 0);
    cr_assert_not_null(f = fopen(path, "rb"));
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    cr_assert_not_null(buf = malloc((size_t)size));
    cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

/* A 1 KiB compound file whose only directory entry names stream. */
static void ole_of(unsigned char buf[1024], const char *stream, int type)
{
    static const unsigned char magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1,
                                            0xB1, 0x1A, 0xE1 };
    size_t i, n = strlen(stream);

    memset(buf, 0, 1024);
    memcpy(buf, magic, 8);
    buf[30] = 9;                     /* 512-byte sectors */
    for (i = 0; i < n; i++)
        buf[512 + 128 + 2 * i] = (unsigned char)stream[i];
    buf[512 + 128 + 64] = (unsigned char)(2 * (n + 1));
    buf[512 + 128 + 66] = (unsigned char)type;
}

Test(tasks, evidence_types)
{
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1A, '\n', 0, 0, 0, 13 };
    static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 };
    static const unsigned char elf[] = { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0,
                                         0, 0, 0, 0, 0, 0, 0 };
    static const char *const docx[] = { "[Content_Types].xml", "<Types/>",
                                        "word/document.xml", "<w:document/>" };
    static const char *const xlsx[] = { "[Content_Types].xml", "<Types/>",
                                        "xl/workbook.xml", "<workbook/>" };
    static const char *const pptx[] = { "[Content_Types].xml", "<Types/>",
                                        "ppt/presentation.xml", "<p/>" };
    static const char *const plain[] = { "setup.exe", "MZ" };
    unsigned char ole[1024];
    char sha[65];
    void *z;
    size_t len;

    cr_assert_str_eq(zx_tasks_file_type(pdf, sizeof(pdf) - 1),
                     "application/pdf");
    cr_assert_str_eq(zx_tasks_file_type(png, sizeof(png)), "image/png");
    cr_assert_str_eq(zx_tasks_file_type(jpeg, sizeof(jpeg)), "image/jpeg");
    cr_assert_str_eq(zx_tasks_file_type("会议纪要\r\n\t一、部署\n", 29),
                     "text/plain; charset=utf-8");
    cr_assert_null(zx_tasks_file_type(elf, sizeof(elf)));
    cr_assert_null(zx_tasks_file_type("MZ\x90\0\3\0\0\0", 8));
    /* GBK text is not UTF-8 */
    cr_assert_null(zx_tasks_file_type("\xbb\xe1\xd2\xe9", 4));

    z = zip_of(docx, 2, &len);
    cr_assert_str_eq(zx_tasks_file_type(z, len), "application/vnd."
                     "openxmlformats-officedocument.wordprocessingml."
                     "document");
    free(z);
    z = zip_of(xlsx, 2, &len);
    cr_assert_str_eq(zx_tasks_file_type(z, len), "application/vnd."
                     "openxmlformats-officedocument.spreadsheetml.sheet");
    free(z);
    z = zip_of(pptx, 2, &len);
    cr_assert(strstr(zx_tasks_file_type(z, len), "presentationml"));
    free(z);
    /* any other archive could carry a program */
    z = zip_of(plain, 1, &len);
    cr_assert_null(zx_tasks_file_type(z, len));
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇",
                                       "材料.zip", z, len, "t", sha, diag),
                 ZX_EFORMAT);
    cr_assert(said("材料.zip") && said("不被接受"), "%s", said_all());
    free(z);
    /* a truncated archive is no document either */
    cr_assert_null(zx_tasks_file_type("PK\3\4\0\0", 6));

    ole_of(ole, "WordDocument", 2);
    cr_assert_str_eq(zx_tasks_file_type(ole, sizeof(ole)),
                     "application/msword");
    ole_of(ole, "Workbook", 2);
    cr_assert_str_eq(zx_tasks_file_type(ole, sizeof(ole)),
                     "application/vnd.ms-excel");
    /* an installer package is a compound file without a document stream;
     * a storage named like the stream is not the stream */
    ole_of(ole, "!_StringPool", 2);
    cr_assert_null(zx_tasks_file_type(ole, sizeof(ole)));
    ole_of(ole, "WordDocument", 1);
    cr_assert_null(zx_tasks_file_type(ole, sizeof(ole)));

    zx_diag_clear(diag);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇",
                                       "程序.pdf", elf, sizeof(elf), "t", sha,
                                       diag), ZX_EFORMAT);
    cr_assert_str_eq(sha, "");
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇",
                                       "空.txt", "", 0, "t", sha, diag),
                 ZX_EINVAL);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇", "dir/",
                                       pdf, sizeof(pdf) - 1, "t", sha, diag),
                 ZX_EINVAL);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "外星",
                                       "a.pdf", pdf, sizeof(pdf) - 1, "t",
                                       sha, diag), ZX_ENOTFOUND);
    cr_assert_eq(count("SELECT count(*) FROM evidence_blob"), 0);
    cr_assert_eq(count("SELECT count(*) FROM task_evidence"), 0);
}

Test(tasks, evidence_size_limit)
{
    size_t max = ZX_TASKS_FILE_MAX;
    char *big = malloc(max + 1), sha[65];

    cr_assert_not_null(big);
    memset(big, 'a', max + 1);
    memcpy(big, "%PDF-1.7\n", 9);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇", "大.pdf",
                                       big, max + 1, "t", sha, diag),
                 ZX_EINVAL);
    cr_assert(said("大.pdf") && said("20 MB"), "%s", said_all());
    cr_assert_eq(count("SELECT count(*) FROM evidence_blob"), 0);
    /* exactly at the limit is accepted */
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇", "大.pdf",
                                       big, max, "t", sha, diag), ZX_OK);
    cr_assert_eq(count("SELECT size FROM evidence_blob"), (long long)max);
    free(big);
}

/* ---- audit ---- */

Test(tasks, audit_entries)
{
    char sha[65];
    long long bad = -1;
    sqlite3_stmt *st;
    const char *want[][4] = {
        { "insert", "task_progress", NULL, "{\"status\":\"推进中\"}" },
        { "update", "task_progress", "{\"status\":\"推进中\"}",
          "{\"status\":\"已完成\"}" },
        { "insert", "task_note", NULL, NULL },
        { "insert", "task_evidence", NULL, NULL },
    };
    int i = 0;

    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "推进中",
                                     "user:li", diag), ZX_OK);
    cr_assert_eq(zx_tasks_update(db, plan, "town-task", "甲镇", "已完成",
                                 "验收通过", "user:li", diag), ZX_OK);
    cr_assert_eq(zx_tasks_add_evidence(db, plan, "town-task", "甲镇",
                                       "验收.pdf", pdf, sizeof(pdf) - 1,
                                       "user:li", sha, diag), ZX_OK);

    cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db),
                                    "SELECT action, tbl, old, new, key, actor"
                                    " FROM audit WHERE tbl LIKE 'task%'"
                                    " ORDER BY id", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 2);
        const char *nw = (const char *)sqlite3_column_text(st, 3);

        cr_assert_lt(i, 4);
        cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), want[i][0]);
        cr_assert_str_eq((const char *)sqlite3_column_text(st, 1), want[i][1]);
        cr_assert_str_eq((const char *)sqlite3_column_text(st, 5), "user:li");
        if (want[i][2])
            cr_assert_str_eq(old, want[i][2]);
        else
            cr_assert_null(old);
        if (want[i][3])
            cr_assert_str_eq(nw, want[i][3]);
        if (i < 2)
            cr_assert_str_eq((const char *)sqlite3_column_text(st, 4),
                             "test-plan/town-task/甲镇");
        if (i == 2)
            cr_assert(strstr(nw, "验收通过"), "%s", nw);
        if (i == 3)
            cr_assert(strstr(nw, sha) && strstr(nw, "验收.pdf") &&
                      strstr(nw, "\"new_blob\":true"), "%s", nw);
        i++;
    }
    sqlite3_finalize(st);
    cr_assert_eq(i, 4);
    cr_assert_eq(zx_audit_verify(db, &bad), ZX_OK);
}

/* ---- listing ---- */

static int stop_at_two(void *ctx, const zx_task_row *r)
{
    int *n = ctx;

    (void)r;
    return ++*n == 2 ? 42 : 0;
}

Test(tasks, listing_order_and_filters)
{
    struct gots g;
    int n = 0;

    /* town-task (past): 局 to do, 甲镇 in progress, 乙镇 done;
     * office-task (future): 人事科 in progress */
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "甲镇", "推进中",
                                     "t", diag), ZX_OK);
    cr_assert_eq(zx_tasks_set_status(db, plan, "town-task", "乙镇", "已完成",
                                     "t", diag), ZX_OK);
    cr_assert_eq(zx_tasks_set_status(db, plan, "office-task", "人事科",
                                     "推进中", "t", diag), ZX_OK);

    cr_assert_eq(list(NULL, NULL, NULL, "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 6);
    /* overdue first (in unit order), then by deadline */
    cr_assert_str_eq(g.r[0].unit, "市教育体育局");
    cr_assert(g.r[0].overdue);
    cr_assert_str_eq(g.r[1].unit, "甲镇");
    cr_assert(g.r[1].overdue);
    cr_assert_str_eq(g.r[2].unit, "乙镇");
    cr_assert_not(g.r[2].overdue);
    cr_assert_str_eq(g.r[3].task, "office-task");
    cr_assert_str_eq(g.r[3].unit, "人事科");
    cr_assert_str_eq(g.r[4].unit, "计划财务科");
    cr_assert_str_eq(g.r[5].unit, "市教育体育局");

    /* before town-task's deadline: plain deadline order */
    cr_assert_eq(list(NULL, NULL, NULL, "2020-01-01", &g), ZX_OK);
    cr_assert_str_eq(g.r[0].task, "town-task");
    cr_assert_str_eq(g.r[1].unit, "甲镇");
    cr_assert_str_eq(g.r[2].unit, "乙镇");
    /* after both: office-task's units are overdue, after town-task's */
    cr_assert_eq(list(NULL, NULL, "逾期", "2100-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 5);
    cr_assert_str_eq(g.r[1].unit, "甲镇");
    cr_assert_str_eq(g.r[2].task, "office-task");

    /* filters: status as shown (甲镇 is 逾期, not 推进中) */
    cr_assert_eq(list(NULL, NULL, "逾期", "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 2);
    cr_assert_eq(list(NULL, NULL, "推进中", "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 1);
    cr_assert_str_eq(g.r[0].unit, "人事科");
    cr_assert_eq(list(NULL, NULL, "已完成", "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 1);
    cr_assert_str_eq(g.r[0].unit, "乙镇");
    cr_assert_eq(list(NULL, NULL, "未启动", "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 2);
    cr_assert_eq(list(NULL, "市教育体育局", NULL, "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 2);
    cr_assert(g.r[0].lead);
    cr_assert_not(g.r[1].lead);
    cr_assert_eq(list(NULL, "市教育体育局 ", "未启动", "2021-01-01", &g),
                 ZX_OK);
    cr_assert_eq(g.n, 1);
    cr_assert_str_eq(g.r[0].task, "office-task");
    cr_assert_eq(list("office-task", NULL, NULL, "2021-01-01", &g), ZX_OK);
    cr_assert_eq(g.n, 3);
    cr_assert_eq(list(NULL, "火星", NULL, NULL, &g), ZX_OK);
    cr_assert_eq(g.n, 0);
    cr_assert_eq(list(NULL, NULL, "完成", NULL, &g), ZX_EINVAL);

    /* a callback's non-zero return stops the listing */
    cr_assert_eq(zx_tasks_list(db, plan, NULL, stop_at_two, &n), 42);
    cr_assert_eq(n, 2);
}

/* ---- the commands ---- */

static int run(const char *args)
{
    char cmd[4096];

    snprintf(cmd, sizeof(cmd), "%s --db %s %s >%s 2>%s", ZX_BIN,
             tu_path(dir, "zx.db"), args, tu_path(dir, "out"),
             tu_path(dir, "err"));
    return tu_sh(cmd);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    cr_assert_not_null(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    cr_assert_not_null(buf = malloc((size_t)n + 1));
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static int out_has(const char *which, const char *s)
{
    char *text = slurp(tu_path(dir, which), NULL);
    int yes = strstr(text, s) != NULL;

    free(text);
    return yes;
}

#define OUT_HAS(which, s) \
    cr_assert(out_has(which, s), "%s lacks “%s”", which, s)

Test(tasks, cli_list)
{
    json_t *j;
    json_error_t e;
    char *text;

    cr_assert_eq(run("tasks"), 0);
    OUT_HAS("out", "测试计划");
    OUT_HAS("out", "town-task");
    OUT_HAS("out", "市教育体育局（牵头）");
    OUT_HAS("out", "共 6 项：未启动 3，推进中 0，已完成 0，逾期 3");

    cr_assert_eq(run("tasks --status 逾期 --format json"), 0);
    text = slurp(tu_path(dir, "out"), NULL);
    j = json_loads(text, 0, &e);
    free(text);
    cr_assert_not_null(j, "%s", e.text);
    cr_assert_eq(json_array_size(j), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0),
                                                       "task")), "town-task");
    cr_assert(json_is_true(json_object_get(json_array_get(j, 0), "overdue")));
    json_decref(j);

    cr_assert_eq(run("tasks --unit 人事科 --format csv"), 0);
    OUT_HAS("out", "状态,截止日期,任务");
    OUT_HAS("out", "未启动,2099-12-31,office-task,4.1-O2,科室任务,人事科,是");

    cr_assert_eq(run("tasks --status 完成"), 64);
    OUT_HAS("err", "未启动、推进中、已完成 或 逾期");
    cr_assert_eq(run("tasks --format xml"), 64);
    cr_assert_eq(run("tasks --unit 火星"), 66);
    OUT_HAS("err", "火星");
}

Test(tasks, cli_update_attach_get_show)
{
    char file[512], args[1024], want[65], line[128];
    char *back;
    size_t len;

    cr_assert_eq(run("task update town-task --unit 甲镇 --status 推进中"
                     " --note 已召开部署会"), 0);
    OUT_HAS("out", "逾期（推进中）");
    cr_assert_eq(count("SELECT count(*) FROM task_note WHERE text ="
                       " '已召开部署会'"), 1);
    cr_assert_eq(count("SELECT count(*) FROM task_progress WHERE status ="
                       " '推进中'"), 1);

    cr_assert_eq(run("task update town-task --unit 丙镇 --status 推进中"), 66);
    OUT_HAS("err", "甲镇");
    cr_assert_eq(run("task update town-tsak --unit 甲镇 --note x"), 66);
    OUT_HAS("err", "town-task");
    cr_assert_eq(run("task update town-task --unit 甲镇 --status 逾期"), 64);
    cr_assert_eq(run("task update town-task --unit 甲镇"), 64);
    cr_assert_eq(run("task update town-task --status 推进中"), 64);
    cr_assert_eq(run("task frob"), 64);
    cr_assert_eq(run("task"), 64);

    snprintf(file, sizeof(file), "%s", tu_path(dir, "部署会.pdf"));
    tu_write(file, pdf, sizeof(pdf) - 1);
    snprintf(args, sizeof(args), "task attach town-task --unit 甲镇 %s", file);
    cr_assert_eq(run(args), 0);
    sha_of(pdf, sizeof(pdf) - 1, want);
    snprintf(line, sizeof(line), "sha256 %s", want);
    OUT_HAS("out", line);
    tu_write(tu_path(dir, "a.out"), "\x7f" "ELF\2\1\1\0\0\0\0\0", 12);
    snprintf(args, sizeof(args), "task attach town-task --unit 甲镇 %s",
             tu_path(dir, "a.out"));
    cr_assert_eq(run(args), 65);
    OUT_HAS("err", "a.out");
    snprintf(args, sizeof(args), "task attach town-task --unit 甲镇 %s",
             tu_path(dir, "missing.pdf"));
    cr_assert_eq(run(args), 66);

    snprintf(args, sizeof(args), "task get %.12s --out %s", want,
             tu_path(dir, "back.pdf"));
    cr_assert_eq(run(args), 0);
    back = slurp(tu_path(dir, "back.pdf"), &len);
    cr_assert_eq(len, sizeof(pdf) - 1);
    cr_assert_eq(memcmp(back, pdf, len), 0);
    free(back);
    cr_assert_eq(run("task get 0000000000 --out x"), 66);
    cr_assert_eq(run("task get xyz --out x"), 64);
    cr_assert_eq(run("task get 00000000"), 64);

    cr_assert_eq(run("task show town-task"), 0);
    OUT_HAS("out", "区镇任务");
    OUT_HAS("out", "4.1-O1");
    OUT_HAS("out", "工作台账");
    OUT_HAS("out", "school-count 学校数");
    OUT_HAS("out", "已召开部署会");
    OUT_HAS("out", "部署会.pdf");
    snprintf(line, sizeof(line), "%.12s", want);
    OUT_HAS("out", line);
    OUT_HAS("out", "共 3 个单位");
    cr_assert_eq(run("task show town-task --unit 乙镇"), 0);
    OUT_HAS("out", "共 1 个单位");
    cr_assert_eq(run("task show nothing-like-it"), 66);
    cr_assert_eq(run("task show"), 64);
}
