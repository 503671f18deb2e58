/*
 * demoplan.c - synthetic data values and task progress (see demoplan.h).
 *
 * Rows are written straight into data_value, task_progress and task_note
 * in the stored forms values.c and tasks.c use, inside one transaction
 * with one audit entry for the lot: at province scale a value-by-value
 * path would take minutes for what is only demonstration data.
 */
#include "demoplan.h"
#include "audit.h"
#include "funding.h"
#include "codes.h"
#include "itinerant.h"
#include "pairing.h"
#include "rotation.h"
#include "rules.h"
#include "substitutes.h"
#include "redistrib.h"
#include "staffing.h"
#include "tasks.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: small, fast and good enough for demonstration data */
static unsigned long long mix(unsigned long long x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* A uniform number in [0, 1) fixed by the seed and the three keys, so a
 * school keeps its character from one year to the next. */
static double draw(unsigned long long seed, const char *key, long long a,
                   long long b)
{
    unsigned long long h = seed;

    for (; *key; key++)
        h = mix(h ^ (unsigned char)*key);
    h = mix(h ^ (unsigned long long)a);
    h = mix(h ^ (unsigned long long)b);
    return (double)(h >> 11) / 9007199254740992.0;
}

struct gen {
    zx_db *db;
    const zx_plan *plan;
    unsigned long long seed;
    int first, last;           /* years filled */
    zx_demoplan_stats st;
    long long training_records, training_enrolments;
};

/* One unit of an element's level with what the values depend on. */
struct unit {
    long long id;
    int rural;                 /* town schools pass on more, sooner */
    double size;               /* students + teachers, or 0 */
    double students;
    double subjects;           /* distinct subjects taught */
    int birth_1980s, lead_post;/* teachers: for promoted_year */
    int compulsory;
};

static int put_value(struct gen *g, const char *element, long long unit,
                     int year, const double *num, const char *text)
{
    char at[32];
    sqlite3_stmt *st = zx_db_prepare(g->db,
                                     "INSERT INTO data_value(element, unit_id,"
                                     " year, num, text, entered_by,"
                                     " entered_at) VALUES (?1, ?2, ?3, ?4,"
                                     " ?5, 'demo', ?6)");

    if (!st)
        return ZX_EDB;
    snprintf(at, sizeof(at), "%04d-12-01T08:00:00Z", year ? year : g->last);
    sqlite3_bind_text(st, 1, element, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, unit);
    sqlite3_bind_int(st, 3, year);
    if (num)
        sqlite3_bind_double(st, 4, *num);
    if (text)
        sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    g->st.values++;
    return ZX_OK;
}

/* How far along unit u is with element de in year y: a number that
 * grows about 0.25 a year, higher in town schools and for easy elements. */
static double progress(const struct gen *g, const zx_data_element *de,
                       const struct unit *u, int y)
{
    double difficulty = draw(g->seed, de->id, 0, 0);
    double base = draw(g->seed, de->id, u->id, 1);

    return base * 0.6 + (u->rural ? 0.0 : 0.3) - difficulty * 0.3 +
           0.25 * (y - g->first);
}

/* The value of de for u in year y; returns 0 when there is none. */
static int value_of(const struct gen *g, const zx_data_element *de,
                    const struct unit *u, int y, double *num,
                    const char **text)
{
    double p = progress(g, de, u, y), r = draw(g->seed, de->id, u->id, y);

    *text = NULL;
    if (strcmp(de->id, "renrentong_accounts") == 0) {
        *num = floor(u->size * fmin(0.95, 0.4 + 0.5 * p));
        return u->size > 0;
    }
    if (strcmp(de->id, "nutrition_students") == 0) {
        *num = floor(u->students * fmin(1.0, 0.85 + 0.1 * p));
        return u->rural && u->compulsory;
    }
    if (strcmp(de->id, "subjects_taught") == 0) {
        *num = u->subjects;
        return u->subjects > 0;
    }
    if (strcmp(de->id, "subjects_led") == 0) {
        *num = floor(u->subjects * fmin(1.0, 0.3 + 0.4 * p));
        return u->subjects > 0;
    }
    if (strcmp(de->id, "promoted_year") == 0) {
        /* a few leaders born in the 1980s were promoted during the plan */
        *num = g->first + (int)(r * (g->last - g->first + 1));
        return u->birth_1980s && u->lead_post && r < 0.5;
    }
    if (strcmp(de->id, "online_research_count") == 0) {
        *num = floor(fmax(0, p) * 4);
        return 1;
    }
    /* rare events: a couple of buy-backs in all, a handful of schools
     * newly supported by New Education each year */
    if (strcmp(de->id, "bought_back") == 0) {
        *num = draw(g->seed, de->id, u->id, 0) < 0.015 && y > g->first;
        return 1;
    }
    if (strcmp(de->id, "new_education_supported") == 0) {
        *num = r < 0.06 && y > g->first;
        return 1;
    }
    switch (de->type) {
    case ZX_DE_BOOL:
        *num = p > 0.55;
        return 1;
    case ZX_DE_OPTION: {
        /* the first option is the best; the last the worst */
        int k = p > 0.8 ? 0 : p > 0.55 ? 1 : p > 0.3 ? 2 : de->noptions - 1;
        if (k > de->noptions - 1)
            k = de->noptions - 1;
        *num = k + 1;
        *text = de->options[k];
        return 1;
    }
    case ZX_DE_INT:
    case ZX_DE_DECIMAL: {
        double lo = de->has_min ? de->min : 0;
        double hi = de->has_max ? de->max : lo + 100;
        *num = lo + (hi - lo) * fmin(1.0, 0.4 + 0.5 * fmax(0, p)) *
                        (strcmp(de->id, "bundled_score") == 0 ? 1 : 0.05);
        if (de->type == ZX_DE_INT)
            *num = floor(*num);
        return 1;
    }
    default:
        return 0; /* dates and free text are left to the clerks */
    }
}

/* The units of a level with the facts values depend on. */
static int load_units(struct gen *g, enum zx_level level, int year,
                      struct unit **out, int *n)
{
    static const char *const sql[] = {
        /* school */
        "SELECT s.unit_id, s.urban_rural IN (111, 112) = 0,"
        " coalesce(e.students, 0) + (SELECT count(*) FROM teacher t"
        "  WHERE t.school_id = s.unit_id),"
        " coalesce(e.students, 0),"
        " (SELECT count(DISTINCT subject) FROM teacher t"
        "  WHERE t.school_id = s.unit_id), 0, 0,"
        " s.type_code IN (211, 218, 219, 311, 312, 319, 341, 345)"
        " FROM school s LEFT JOIN enrolment e ON e.school_id = s.unit_id"
        " AND e.year = ?1 ORDER BY s.unit_id",
        /* teacher */
        "SELECT t.id, s.urban_rural IN (111, 112) = 0, 0, 0, 0,"
        " substr(t.birth, 1, 3) = '198', t.post IN (2, 3, 4), 0"
        " FROM teacher t JOIN school s ON s.unit_id = t.school_id"
        " ORDER BY t.id",
        /* town or group */
        "SELECT id, 1, 0, 0, 0, 0, 0, 0 FROM org_unit WHERE kind = ?2"
        " ORDER BY id",
    };
    sqlite3_stmt *st = NULL;
    int cap = 0, step, which;
    struct unit *v = NULL;

    *out = NULL;
    *n = 0;
    which = level == ZX_LEVEL_SCHOOL ? 0 : level == ZX_LEVEL_TEACHER ? 1 : 2;
    if (sqlite3_prepare_v2(zx_db_sqlite(g->db), sql[which], -1, &st,
                           NULL) != SQLITE_OK)
        return ZX_EDB;
    if (which == 0)
        sqlite3_bind_int(st, 1, year);
    if (which == 2)
        sqlite3_bind_text(st, 2, level == ZX_LEVEL_TOWN ? "town" : "group",
                          -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct unit *u = zx_push((void **)&v, n, &cap, sizeof(*u));

        if (!u) {
            free(v);
            sqlite3_finalize(st);
            return ZX_ENOMEM;
        }
        u->id = sqlite3_column_int64(st, 0);
        u->rural = sqlite3_column_int(st, 1);
        u->size = sqlite3_column_double(st, 2);
        u->students = sqlite3_column_double(st, 3);
        u->subjects = sqlite3_column_double(st, 4);
        u->birth_1980s = sqlite3_column_int(st, 5);
        u->lead_post = sqlite3_column_int(st, 6);
        u->compulsory = sqlite3_column_int(st, 7);
    }
    sqlite3_finalize(st);
    *out = v;
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

static int fill_element(struct gen *g, const zx_data_element *de)
{
    struct unit *u = NULL;
    int n = 0, i, y, rc;

    if (de->level == ZX_LEVEL_CITY)
        return ZX_OK;
    for (y = de->yearly ? g->first : g->last; y <= g->last; y++) {
        if ((rc = load_units(g, de->level, y, &u, &n)))
            return rc;
        for (i = 0; i < n; i++) {
            double num;
            const char *text;
            if (!value_of(g, de, &u[i], y, &num, &text))
                continue;
            if ((rc = put_value(g, de->id, u[i].id, de->yearly ? y : 0, &num,
                                text)))
                break;
        }
        free(u);
        if (rc)
            return rc;
    }
    return ZX_OK;
}

static const char *const notes[] = {
    "已制定实施方案，正在按计划推进。",
    "阶段性工作已完成，相关材料已归档。",
    "已召开专题推进会，明确分工和时间节点。",
    "经费已落实，项目进入实施阶段。",
};

/* Task progress as it stood at the end of g->last: tasks due by then are
 * mostly done, later ones mostly under way. */
static int fill_tasks(struct gen *g)
{
    const zx_task *tasks;
    int nt, k, rc = ZX_OK;
    char at[32];

    tasks = zx_plan_tasks(g->plan, &nt);
    snprintf(at, sizeof(at), "%04d-11-20T09:00:00Z", g->last);
    for (k = 0; k < nt && rc == ZX_OK; k++) {
        const zx_task *t = &tasks[k];
        const char **units = NULL;
        int nu = 0, i, due = atoi(t->deadline) <= g->last;

        if ((rc = zx_tasks_units(g->db, t, &units, &nu)))
            break;
        for (i = 0; i < nu && rc == ZX_OK; i++) {
            double r = draw(g->seed, t->id, i, 7);
            const char *status = due ? (r < 0.85   ? "已完成"
                                        : r < 0.95 ? "推进中"
                                                   : "未启动")
                                     : (r < 0.25   ? "已完成"
                                        : r < 0.8  ? "推进中"
                                                   : "未启动");
            sqlite3_stmt *st;

            if (strcmp(status, "未启动") == 0)
                continue; /* the default: nothing is stored */
            rc = ZX_EDB;
            st = zx_db_prepare(g->db,
                               "INSERT INTO task_progress(plan_id, task_id,"
                               " unit, status, updated_at, updated_by)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, 'demo')");
            if (!st)
                break;
            sqlite3_bind_text(st, 1, zx_plan_id(g->plan), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, units[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                break;
            g->st.task_rows++;
            rc = ZX_OK;
            if (r < 0.3) {
                rc = ZX_EDB;
                st = zx_db_prepare(g->db,
                                   "INSERT INTO task_note(plan_id, task_id,"
                                   " unit, at, author, text)"
                                   " VALUES (?1, ?2, ?3, ?4, 'demo', ?5)");
                if (!st)
                    break;
                sqlite3_bind_text(st, 1, zx_plan_id(g->plan), -1,
                                  SQLITE_STATIC);
                sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 3, units[i], -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 5, notes[i % 4], -1, SQLITE_STATIC);
                if (sqlite3_step(st) != SQLITE_DONE)
                    break;
                g->st.notes++;
                rc = ZX_OK;
            }
        }
        free(units);
    }
    return rc;
}

/* ---- the training ledger (3.4.2-T2, T3, T5; training.h) --------------- */

/* The demo's catalogue: three required courses, one a year, and electives
 * in spring (March to June) or autumn (September to December).  base: 0
 * the teacher development centre, 1 the school base, 2 the subject base
 * (both fall back to the centre in a city without such a school). */
static const struct demo_course {
    const char *code, *name;
    int hours, year, autumn, required, special, capacity, base;
} demo_courses[] = {
    { "BX2020", "乡村教师师德师风专题", 30, 2020, 0, 1, 1, 0, 0 },
    { "BX2021", "新课程标准与乡村课堂", 30, 2021, 0, 1, 1, 0, 0 },
    { "BX2022", "乡村教育振兴专题研修", 30, 2022, 0, 1, 1, 0, 0 },
    { "XX2020-1", "乡村小班化教学", 30, 2020, 1, 0, 1, 400, 1 },
    { "XX2020-2", "心理健康教育与家校沟通", 30, 2020, 1, 0, 1, 0, 0 },
    { "XX2020-3", "信息技术与学科融合", 20, 2020, 1, 0, 0, 0, 0 },
    { "XX2021-1", "小学数学单元整体教学", 30, 2021, 1, 0, 1, 300, 2 },
    { "XX2021-2", "作业设计与课后服务", 30, 2021, 1, 0, 1, 0, 1 },
    { "XX2021-3", "课题研究方法", 20, 2021, 1, 0, 0, 0, 0 },
    { "XX2022-1", "跨学科主题学习设计", 30, 2022, 1, 0, 1, 400, 1 },
};
#define NDEMO_COURSES (sizeof(demo_courses) / sizeof(demo_courses[0]))

/* A training base; *id receives its id, 0 when the school is missing. */
static int demo_base(struct gen *g, const char *name, const char *kind,
                     long long school, int subject, long long *id)
{
    sqlite3_stmt *st = zx_db_prepare(g->db, "INSERT INTO training_base(name,"
                                            " kind, unit_id, subject)"
                                            " VALUES (?1, ?2, ?3, ?4)");

    *id = 0;
    if (!st)
        return ZX_EDB;
    if (strcmp(kind, "培训机构") != 0 && !school)
        return ZX_OK;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    if (school)
        sqlite3_bind_int64(st, 3, school);
    if (subject)
        sqlite3_bind_int(st, 4, subject);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    *id = sqlite3_last_insert_rowid(zx_db_sqlite(g->db));
    return ZX_OK;
}

/* The first urban school of the types (a JSON array), by code: its id
 * (0 when none or on a database error, which the next write reports) and
 * name. */
static long long demo_school(struct gen *g, const char *types, char *name,
                             size_t cap)
{
    sqlite3_stmt *st = zx_db_prepare(g->db, "SELECT s.unit_id, u.name"
                                            " FROM school s JOIN org_unit u"
                                            " ON u.id = s.unit_id"
                                            " WHERE s.urban_rural = 111 AND"
                                            " s.type_code IN (SELECT value"
                                            " FROM json_each(?1))"
                                            " ORDER BY u.code LIMIT 1");
    long long id = 0;

    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, types, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        snprintf(name, cap, "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    return id;
}

static int demo_record(struct gen *g, long long teacher, const char *course,
                       long long course_id, int hours, const char *day,
                       int special)
{
    sqlite3_stmt *st = zx_db_prepare(g->db, "INSERT INTO training_record("
                                            "teacher_id, course, hours,"
                                            " done_on, special, course_id)"
                                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, teacher);
    sqlite3_bind_text(st, 2, course, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, hours);
    sqlite3_bind_text(st, 4, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, special);
    if (course_id)
        sqlite3_bind_int64(st, 6, course_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return ZX_EDB;
    g->training_records++;
    return ZX_OK;
}

/* Bases, the catalogue, and the rural teachers' training up to the end
 * of g->last, under the ledger's rules (electives only for rural
 * teachers, enrolled before the start and within the places; a course's
 * hours at most once): each teacher has a diligence of their own, so the
 * schools spread from behind to on track on the 180 hours. */
static int fill_training(struct gen *g)
{
    long long base[3], course[NDEMO_COURSES], taken[NDEMO_COURSES], school;
    char name[256] = "", bname[300], rural[128], day[11], at[32];
    const int *codes, *years;
    sqlite3_stmt *st = NULL;
    size_t k;
    int n, i, y, step, rc;
    size_t o;

    memset(taken, 0, sizeof(taken));
    if ((rc = demo_base(g, "海门市教师发展中心", "培训机构", 0, 0, &base[0])))
        return rc;
    school = demo_school(g, "[211]", name, sizeof(name));
    snprintf(bname, sizeof(bname), "%s基地", name);
    if ((rc = demo_base(g, bname, "学校基地", school, 0, &base[1])))
        return rc;
    school = demo_school(g, "[311,312]", name, sizeof(name));
    snprintf(bname, sizeof(bname), "%s数学学科基地", name);
    if ((rc = demo_base(g, bname, "学科基地", school, 14, &base[2])))
        return rc;
    for (k = 0; k < NDEMO_COURSES; k++) {
        const struct demo_course *c = &demo_courses[k];
        char from[11], to[11];

        snprintf(from, sizeof(from), "%04d-%s", c->year,
                 c->autumn ? "09-01" : "03-01");
        snprintf(to, sizeof(to), "%04d-%s", c->year,
                 c->autumn ? "12-31" : "06-30");
        if (!(st = zx_db_prepare(g->db, "INSERT INTO course(code, name,"
                                        " base_id, hours, subject, required,"
                                        " capacity, starts_on, ends_on,"
                                        " special) VALUES (?1, ?2, ?3, ?4,"
                                        " ?5, ?6, ?7, ?8, ?9, ?10)")))
            return ZX_EDB;
        sqlite3_bind_text(st, 1, c->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, base[c->base] ? base[c->base] : base[0]);
        sqlite3_bind_int(st, 4, c->hours);
        if (c->base == 2)
            sqlite3_bind_int(st, 5, 14);
        sqlite3_bind_int(st, 6, c->required);
        if (c->capacity)
            sqlite3_bind_int(st, 7, c->capacity);
        sqlite3_bind_text(st, 8, from, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 9, to, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 10, c->special);
        if (sqlite3_step(st) != SQLITE_DONE)
            return ZX_EDB;
        course[k] = sqlite3_last_insert_rowid(zx_db_sqlite(g->db));
    }

    /* the rural teachers: the plan's rural codes, any post but 其他 */
    codes = zx_plan_rural(g->plan, &n);
    o = (size_t)snprintf(rural, sizeof(rural), "[");
    for (i = 0; i < n && o < sizeof(rural); i++)
        o += (size_t)snprintf(rural + o, sizeof(rural) - o, "%s%d",
                              i ? "," : "", codes[i]);
    if (o < sizeof(rural))
        snprintf(rural + o, sizeof(rural) - o, "]");
    if (sqlite3_prepare_v2(zx_db_sqlite(g->db),
                           "SELECT t.id FROM teacher t JOIN school s"
                           " ON s.unit_id = t.school_id WHERE s.urban_rural"
                           " IN (SELECT value FROM json_each(?1))"
                           " AND t.post <> 9 ORDER BY t.id", -1, &st,
                           NULL) != SQLITE_OK)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, rural, -1, SQLITE_STATIC);
    years = zx_plan_years(g->plan, &n);
    rc = ZX_OK;
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long long t = sqlite3_column_int64(st, 0);
        double diligence = draw(g->seed, "training", t, 0);

        for (k = 0; k < NDEMO_COURSES && rc == ZX_OK; k++) {
            const struct demo_course *c = &demo_courses[k];
            double r = draw(g->seed, c->code, t, 1);
            sqlite3_stmt *en;

            if (c->year > g->last)
                continue;
            snprintf(day, sizeof(day), "%04d-%s", c->year,
                     c->autumn ? "12-31" : "06-30");
            if (c->required) {
                if (r < 0.8 + 0.2 * diligence)
                    rc = demo_record(g, t, c->name, course[k], c->hours, day,
                                     c->special);
                continue;
            }
            if (r > 0.15 + 0.45 * diligence ||
                (c->capacity && taken[k] >= c->capacity))
                continue;
            rc = ZX_EDB;
            if (!(en = zx_db_prepare(g->db, "INSERT INTO course_enrolment("
                                            "course_id, teacher_id,"
                                            " enrolled_at) VALUES (?1, ?2,"
                                            " ?3)")))
                break;
            snprintf(at, sizeof(at), "%04d-%s", c->year,
                     c->autumn ? "08-20T08:00:00Z" : "02-20T08:00:00Z");
            sqlite3_bind_int64(en, 1, course[k]);
            sqlite3_bind_int64(en, 2, t);
            sqlite3_bind_text(en, 3, at, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(en) != SQLITE_DONE)
                break;
            taken[k]++;
            g->training_enrolments++;
            rc = ZX_OK;
            if (draw(g->seed, c->code, t, 2) < 0.9)
                rc = demo_record(g, t, c->name, course[k], c->hours, day,
                                 c->special);
        }
        /* school-based special training (校本研修), 10 to 40 hours a year */
        for (i = 0; i < n && rc == ZX_OK && years[i] <= g->last; i++) {
            y = years[i];
            if (draw(g->seed, "school-based", t, y) > 0.5 + 0.5 * diligence)
                continue;
            snprintf(name, sizeof(name), "校本研修（%d年）", y);
            snprintf(day, sizeof(day), "%04d-12-20", y);
            rc = demo_record(g, t, name, 0,
                             10 * (1 + (int)(4 * draw(g->seed, "hours", t,
                                                      y))),
                             day, 1);
        }
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

/* The pairing programmes' candidate pools (4.2-K1..K4), filled from the
 * registry by each programme's default definitions.  Proposing and
 * accepting pairs is left to the office, as in life. */
static int fill_pools(zx_db *db, const zx_plan *plan, int last_year,
                      zx_demoplan_stats *st)
{
    int p, rc = ZX_OK;

    for (p = 0; rc == ZX_OK && zx_pairing_programme_id(p); p++) {
        int added = 0;

        rc = zx_pairing_pool_fill(db, plan, zx_pairing_programme_id(p),
                                  last_year, "demo", &added, NULL, NULL);
        st->pool_members += added;
    }
    return rc;
}

/* Public funds (3.3-F1, F2) computed with each year's rules and written
 * for the baseline and the plan years so far, as the office would have
 * done each year: the indicator funds-floor reads them. */
static int fill_funds(zx_db *db, const zx_plan *plan, int first, int last)
{
    zx_rules *rules = NULL;
    zx_funding *f = NULL;
    int y, rc = ZX_OK;

    for (y = first; rc == ZX_OK && y <= last; y++) {
        if ((rc = zx_rules_load(db, "funding", y, &rules)) == ZX_OK &&
            (rc = zx_funding_compute(db, plan, y, rules, &f)) == ZX_OK)
            rc = zx_funding_save(db, f, rules, "demo");
        zx_funding_free(f);
        zx_rules_free(rules);
        f = NULL;
        rules = NULL;
    }
    return rc;
}

/* Rotation and substitute teachers (3.4.3-T7, T9), through their own
 * modules, each step audited as "demo": the year before last_year's
 * rotations proposed and accepted, so the indicators have a history,
 * and last_year's proposal left for the office; substitute counts with
 * last_year's from the registry and earlier years higher, from the
 * baseline year on, a school in four or so shedding too slowly and so
 * behind the trajectory. */
static int fill_rotation_substitutes(zx_db *db, const zx_plan *plan,
                                     unsigned long long seed, int last_year)
{
    sqlite3_stmt *st;
    zx_rules *rules = NULL;
    json_t *j = NULL;
    long long now, base, total = 0;
    int y, first = zx_plan_baseline(plan), step, rc, n, written = 0;
    char key[16];

    for (y = last_year - 1; y <= last_year; y++) {
        if ((rc = zx_rules_load(db, "rotation", y, &rules)) ||
            (rc = zx_rotation_propose(db, plan, y, rules, "demo", &n)) ||
            (y < last_year &&
             (rc = zx_rotation_accept(db, y, NULL, 0, "demo", &n))))
            goto done;
        zx_rules_free(rules);
        rules = NULL;
    }
    if ((rc = zx_substitutes_snapshot(db, last_year, "demo", NULL, NULL)) ||
        (rc = zx_db_begin(db)))
        goto done;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "SELECT school_id, count FROM substitute_count"
                           " WHERE year = ?1 ORDER BY school_id");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, last_year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        sqlite3_stmt *ins;
        int slow = draw(seed, "substitutes.slow", id, 0) < 0.25;

        now = sqlite3_column_int64(st, 1);
        /* the baseline year's count: about 1.8 times today's plus up to
         * two more; a slow school has shed none, so with three or more
         * today it is above last_year's allowance (3 x 0.6 -> 2) */
        base = slow ? now
                    : now + (long long)ceil(now * 0.8) +
                          (long long)(draw(seed, "substitutes.base", id, 0) *
                                      3);
        ins = zx_db_prepare(db, "INSERT INTO substitute_count(school_id,"
                                " year, count) VALUES (?1, ?2, ?3)");
        for (y = first; ins && y < last_year; y++) {
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, id);
            sqlite3_bind_int(ins, 2, y);
            /* straight from the baseline count down to today's */
            sqlite3_bind_int64(ins, 3, base - (base - now) * (y - first) /
                                                  (last_year - first));
            if (sqlite3_step(ins) != SQLITE_DONE)
                break;
            total += base - (base - now) * (y - first) / (last_year - first);
            written++;
        }
        if (!ins || y < last_year) {
            if (ins)
                sqlite3_reset(ins);
            sqlite3_reset(st);
            goto fail;
        }
        sqlite3_reset(ins);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    rc = ZX_ENOMEM;
    snprintf(key, sizeof(key), "%d-%d", first, last_year - 1);
    if (!(j = json_pack("{s:i, s:I}", "rows", written, "total",
                        (json_int_t)total)))
        goto fail;
    if ((rc = zx_audit_append_json(db, "demo", "demo", "substitute_count",
                                   key, NULL, j)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    rc = ZX_OK;
    goto done;

fail:
    zx_db_rollback(db);
done:
    json_decref(j);
    zx_rules_free(rules);
    return rc;
}

/* A JSON array of n ints, as text for json_each; NULL when memory is
 * short (the caller frees). */
static char *int_array(const int *v, int n)
{
    json_t *a = json_array();
    char *s;
    int i;

    for (i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_integer(v[i])))
            break;
    s = a && i == n ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

/*
 * Itinerant teaching (3.4.3-T10) for 2021 (or the last year, if earlier):
 * the pool filled by its rule and the week planned, so that the UI shows
 * timetables.  The needs are the staffing mechanism's; only when the year
 * has none does the demo derive its own, in one line of rule: a rural
 * compulsory school without a teacher of a scarce subject lacks 2
 * lessons a week per class of it (the usual weekly hours of music or
 * art, an assumption of the demo, not a figure of the plan).
 */
static int fill_itinerant(zx_db *db, const zx_plan *plan, int last_year)
{
    const zx_setting *scarce = zx_plan_setting(plan, "scarce_subjects");
    const int *rural, *comp;
    sqlite3_stmt *st;
    json_t *j = NULL;
    char *rj = NULL, *cj = NULL, ys[16];
    int year = last_year < 2021 ? last_year : 2021, nr, nc, i, rc = ZX_OK;

    if (!scarce || !scarce->is_list)
        return ZX_OK;
    snprintf(ys, sizeof(ys), "%d", year);
    if (!zx_db_int(db, "SELECT count(*) FROM itinerant_need"
                       " WHERE year = CAST(?1 AS INTEGER)", ys, 0)) {
        rural = zx_plan_rural(plan, &nr);
        comp = zx_codes_family("compulsory", &nc);
        rc = ZX_ENOMEM;
        if (!(rj = int_array(rural, nr)) || !(cj = int_array(comp, nc)))
            goto done;
        rc = ZX_EDB;
        if (zx_db_begin(db))
            goto done;
        if (!(st = zx_db_prepare(db,
                "INSERT INTO itinerant_need(school_id, year, subject,"
                "  hours_lacking)"
                " SELECT s.unit_id, ?1, ?2, 2 * e.classes"
                " FROM school s JOIN enrolment e ON e.school_id = s.unit_id"
                "  AND e.year = ?1"
                " WHERE e.classes > 0"
                "  AND s.urban_rural IN (SELECT value FROM json_each(?3))"
                "  AND s.type_code IN (SELECT value FROM json_each(?4))"
                "  AND NOT EXISTS (SELECT 1 FROM teacher t"
                "    WHERE t.school_id = s.unit_id AND t.subject = ?2)"))) {
            zx_db_rollback(db);
            goto done;
        }
        for (i = 0; i < scarce->nlist; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int(st, 1, year);
            sqlite3_bind_int(st, 2, (int)scarce->list[i]);
            sqlite3_bind_text(st, 3, rj, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, cj, -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                break;
        }
        sqlite3_reset(st);
        j = json_pack("{s:I, s:s}", "needs", (json_int_t)zx_db_int(db,
                          "SELECT count(*) FROM itinerant_need"
                          " WHERE year = CAST(?1 AS INTEGER)", ys, 0),
                      "rule", "乡村义务教育学校无该紧缺学科教师的，"
                      "每班每周缺 2 节（演示数据的假设）");
        if (i < scarce->nlist || !j ||
            zx_audit_append_json(db, "demo", "demo", "itinerant_need", ys,
                                 NULL, j) ||
            zx_db_commit(db)) {
            zx_db_rollback(db);
            goto done;
        }
    }
    if (!(rc = zx_itinerant_pool_fill(db, plan, year, "demo", NULL)))
        rc = zx_itinerant_plan(db, year, "demo", NULL);

done:
    json_decref(j);
    free(rj);
    free(cj);
    return rc;
}

/* Staffing (staffing.h) computed and saved for every year from the
 * baseline to last_year, so that the indicator overstaffed and the
 * itinerant needs have data, and a redistribution proposed for last_year
 * (redistrib.h, 3.4.3-T8) and left for the office to accept.  Each save
 * is a transaction of its own, audited as the actor "demo". */
static int fill_staffing(zx_db *db, const zx_plan *plan, int last_year)
{
    zx_rules *r = NULL, *cur = NULL;
    zx_staffing *s = NULL;
    zx_redistrib_outcome o;
    int y, rc = ZX_OK;

    for (y = zx_plan_baseline(plan); !rc && y <= last_year; y++) {
        if (!(rc = zx_staffing_rules(db, y, &r, &cur)) &&
            !(rc = zx_staffing_compute(db, plan, y, r, cur, &s)))
            rc = zx_staffing_save(db, plan, s, r, cur, "demo");
        zx_staffing_free(s);
        zx_rules_free(r);
        zx_rules_free(cur);
        s = NULL;
        r = cur = NULL;
    }
    if (!rc)
        rc = zx_redistrib_propose(db, plan, last_year, "demo", &o);
    return rc;
}

int zx_demoplan_fill(zx_db *db, const zx_plan *plan, unsigned long long seed,
                     int last_year, zx_demoplan_stats *st)
{
    struct gen g;
    const zx_data_element *des;
    zx_audit_entry e;
    json_t *j = NULL;
    char *js = NULL;
    int n, i, rc;

    memset(&g, 0, sizeof(g));
    g.db = db;
    g.plan = plan;
    g.seed = seed;
    g.first = zx_plan_baseline(plan);
    g.last = last_year;
    if ((rc = zx_db_begin(db)))
        return rc;
    if (zx_db_int(db, "SELECT (SELECT count(*) FROM data_value) +"
                      " (SELECT count(*) FROM task_progress)", NULL, 0)) {
        rc = ZX_EEXIST;
        goto fail;
    }
    des = zx_plan_elements(plan, &n);
    for (i = 0; i < n; i++)
        if ((rc = fill_element(&g, &des[i])))
            goto fail;
    if ((rc = fill_tasks(&g)) || (rc = fill_training(&g)))
        goto fail;
    rc = ZX_ENOMEM;
    j = json_pack("{s:s, s:I, s:I, s:I, s:i}", "plan", zx_plan_id(plan),
                  "values", (json_int_t)g.st.values, "task_rows",
                  (json_int_t)g.st.task_rows, "notes",
                  (json_int_t)g.st.notes, "as_of", last_year);
    js = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!js)
        goto fail;
    e.actor = "demo";
    e.addr = "";
    e.action = "demo";
    e.tbl = "data_value";
    e.key = zx_plan_id(plan);
    e.old = NULL;
    e.new_ = js;
    if ((rc = zx_audit_append(db, &e)))
        goto fail;
    free(js);
    json_decref(j);
    rc = ZX_ENOMEM;
    j = json_pack("{s:s, s:I, s:I, s:i}", "plan", zx_plan_id(plan),
                  "records", (json_int_t)g.training_records, "enrolments",
                  (json_int_t)g.training_enrolments, "as_of", last_year);
    js = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!js)
        goto fail;
    e.tbl = "training_record";
    e.new_ = js;
    if ((rc = zx_audit_append(db, &e)) || (rc = zx_db_commit(db)))
        goto fail;
    free(js);
    json_decref(j);
    if ((rc = fill_pools(db, plan, last_year, &g.st)))
        return rc;
    if ((rc = fill_staffing(db, plan, last_year)))
        return rc;
    if ((rc = fill_funds(db, plan, g.first, last_year)))
        return rc;
    if ((rc = fill_rotation_substitutes(db, plan, seed, last_year)))
        return rc;
    if ((rc = fill_itinerant(db, plan, last_year)))
        return rc;
    if (st)
        *st = g.st;
    return ZX_OK;

fail:
    zx_db_rollback(db);
    free(js);
    json_decref(j);
    return rc;
}
