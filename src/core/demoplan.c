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
        struct unit *u;
        if (*n == cap) {
            int c2 = cap ? cap * 2 : 1024;
            struct unit *w = realloc(v, (size_t)c2 * sizeof(*w));
            if (!w) {
                free(v);
                sqlite3_finalize(st);
                return ZX_ENOMEM;
            }
            v = w;
            cap = c2;
        }
        u = &v[(*n)++];
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
    if ((rc = fill_tasks(&g)))
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
    if ((rc = zx_audit_append(db, &e)) || (rc = zx_db_commit(db)))
        goto fail;
    if (st)
        *st = g.st;
    free(js);
    json_decref(j);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    free(js);
    json_decref(j);
    return rc;
}
