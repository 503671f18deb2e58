/*
 * test_colvm.c - the columnar fast path (colvm.h) against the SQL it
 * stands in for: every indicator of the built-in plan, the benchmark's
 * plan and the other county's, on the demo city, for 2019-2022 at every
 * level, gives exactly the SQL's results; and hand-checked cases of SQL's
 * NULL logic (a missing value in not, or, and, comparisons, has, sums)
 * and of role levels and dates.
 */
#include "testutil.h"

#include <math.h>

#include "demo.h"
#include "demoplan.h"
#include "indicator.h"
#include "plan.h"

#define HAIMEN "plans/haimen-2020-2022.yaml"
#define BENCH "bench/indicators/plan.yaml"
#define OTHER "tests/data/other-county.yaml"

static zx_db *db;

static void teardown(void)
{
    zx_db_close(db);
    db = NULL;
}

TestSuite(colvm, .fini = teardown);

static zx_plan *load(const char *path)
{
    zx_plan *p = NULL;
    zx_diag *d = zx_diag_new();

    cr_assert_eq(zx_plan_load(path, path, &p, d), ZX_OK, "%s: %s", path,
                 zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
    zx_diag_free(d);
    return p;
}

static zx_db *demo_city(void)
{
    zx_db *d = tu_db(tu_tmpdir());
    zx_demo_opts o = { 1, 7, "test" };

    cr_assert_eq(zx_demo_generate(d, &o, NULL, NULL, NULL), ZX_OK);
    return d;
}

/* ---- every indicator, both ways ----------------------------------------- */

struct res {
    const zx_indicator *ind;
    int level;
    long long unit, entities;
    double n, d, v, ms, base;
    enum zx_status status;
    int above;
};

struct all {
    struct res *r;
    int n, cap;
};

static int collect(void *ctx, const zx_result *r)
{
    struct all *a = ctx;
    struct res *x;

    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->r = realloc(a->r, (size_t)a->cap * sizeof(*a->r));
        cr_assert(a->r);
    }
    x = &a->r[a->n++];
    x->ind = r->ind;
    x->level = r->level;
    x->unit = r->unit_id;
    x->entities = r->entities;
    x->n = r->numerator;
    x->d = r->denominator;
    x->v = r->value;
    x->ms = r->milestone;
    x->base = r->baseline;
    x->status = r->status;
    x->above = r->above_range;
    return 0;
}

/* Equal as results: the same number, or both unknown. */
static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Every indicator of plan for 2019-2022 at every level: the columns give
 * what the SQL gives.  Returns how many indicators the columns computed. */
static int compare_plan(zx_plan *plan)
{
    zx_engine *fast = NULL, *ref = NULL;
    zx_diag *d = zx_diag_new();
    const zx_indicator *inds;
    int year, i, n, columnar = 0;

    cr_assert_eq(zx_engine_open(db, plan, &fast, d), ZX_OK);
    cr_assert_eq(zx_engine_open(db, plan, &ref, d), ZX_OK);
    zx_engine_sql_only(ref, 1);
    inds = zx_plan_indicators(plan, &n);
    for (i = 0; i < n; i++)
        columnar += zx_engine_columnar(fast, &inds[i]);
    for (year = 2019; year <= 2022; year++) {
        struct all a = { 0 }, b = { 0 };
        cr_assert_eq(zx_engine_eval(fast, NULL, year, 0x1f, 0, collect, &a),
                     ZX_OK);
        cr_assert_eq(zx_engine_eval(ref, NULL, year, 0x1f, 0, collect, &b),
                     ZX_OK);
        cr_assert_eq(a.n, b.n, "%d: %d results, SQL %d", year, a.n, b.n);
        for (i = 0; i < a.n; i++) {
            const struct res *x = &a.r[i], *y = &b.r[i];
            cr_assert(x->ind == y->ind && x->level == y->level &&
                      x->unit == y->unit, "%d: result %d", year, i);
            cr_assert(x->entities == y->entities && same(x->n, y->n) &&
                      same(x->d, y->d) && same(x->v, y->v) &&
                      same(x->ms, y->ms) && same(x->base, y->base) &&
                      x->status == y->status && x->above == y->above,
                      "%s %d unit %lld: n %g/%g d %g/%g v %g/%g e %lld/%lld"
                      " status %d/%d base %g/%g", x->ind->id, year, x->unit,
                      x->n, y->n, x->d, y->d, x->v, y->v, x->entities,
                      y->entities, (int)x->status, (int)y->status, x->base,
                      y->base);
        }
        free(a.r);
        free(b.r);
    }
    zx_engine_close(fast);
    zx_engine_close(ref);
    zx_diag_free(d);
    return columnar;
}

/* The demo city with the built-in plan's values for 2019-2022, and values
 * for the other plans' own elements: about a third missing, some entered
 * as NULL. */
static void fill(void)
{
    zx_plan *h = load(HAIMEN);
    int year;

    db = demo_city();
    cr_assert_eq(zx_demoplan_fill(db, h, 7, 2022, NULL), ZX_OK);
    zx_plan_free(h);
    for (year = 2019; year <= 2022; year++) {
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT OR IGNORE INTO data_value(element, unit_id, year,"
                 " num, entered_by, entered_at)"
                 " SELECT e.column1, unit_id, %d,"
                 " CASE (unit_id * 7 + %d) %% 5 WHEN 0 THEN NULL"
                 " ELSE (unit_id + %d) %% 2 END, 't', 'now'"
                 " FROM school, (VALUES ('school_bus_coverage'),"
                 " ('resource_classroom'), ('counselling_room')) e"
                 " WHERE (unit_id + %d) %% 3 != 0", year, year, year, year);
        cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
        snprintf(sql, sizeof(sql),
                 "INSERT OR IGNORE INTO data_value(element, unit_id, year,"
                 " num, entered_by, entered_at)"
                 " SELECT 'renrentong_accounts', unit_id, %d,"
                 " (unit_id * 37 + %d) %% 1500, 't', 'now' FROM school"
                 " WHERE (unit_id + %d) %% 4 != 0", year, year, year);
        cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
    }
}

Test(colvm, every_indicator_equals_sql, .timeout = 600)
{
    const char *paths[] = { HAIMEN, BENCH, OTHER };
    int i, n, columnar;

    fill();
    for (i = 0; i < 3; i++) {
        zx_plan *p = load(paths[i]);
        zx_plan_indicators(p, &n);
        columnar = compare_plan(p);
        cr_assert(columnar > 0, "%s: the columns compute none", paths[i]);
        if (i == 1)
            cr_assert_eq(columnar, n, "every benchmark indicator");
        zx_plan_free(p);
    }
}

/* ---- hand-checked cases ------------------------------------------------- */

static const char head[] =
    "plan:\n"
    "  id: colvm-test\n"
    "  name: 测试计划\n"
    "  baseline: 2019\n"
    "  years: [2020, 2021, 2022]\n"
    "  rural: [121, 122, 123, 210, 220]\n"
    "goals:\n"
    "  - id: conditions\n"
    "    clause: \"2.1\"\n"
    "    name: 办学条件\n"
    "data_elements:\n"
    "  - id: flag\n"
    "    name: 标志\n"
    "    type: bool\n"
    "    level: school\n"
    "    yearly: false\n"
    "  - id: score\n"
    "    name: 分数\n"
    "    type: int\n"
    "    level: school\n"
    "    yearly: false\n"
    "indicators:\n"
    "  - id: x\n"
    "    clause: 3.3.2-E3\n"
    "    goal: conditions\n"
    "    name: 测试\n"
    "    unit: \"%%\"\n"
    "    target: 100\n";

/* The city result of one indicator (kind, over, where, numerator) for
 * year, by the columns or the SQL, checking that both agree. */
static zx_result city(const char *kind, const char *over, const char *where,
                      const char *num, int year)
{
    char text[4096];
    zx_plan *plan = NULL;
    zx_diag *d = zx_diag_new();
    zx_result out[2];
    int k;

    snprintf(text, sizeof(text), head);
    snprintf(text + strlen(text), sizeof(text) - strlen(text),
             "    kind: %s\n    over: %s\n    where: \"%s\"\n"
             "    numerator: \"%s\"\n", kind, over, where, num);
    cr_assert_eq(zx_plan_load_text(text, strlen(text), "t.yaml", &plan, d),
                 ZX_OK, "%s", zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
    for (k = 0; k < 2; k++) {
        struct all a = { 0 };
        zx_engine *e = NULL;
        cr_assert_eq(zx_engine_open(db, plan, &e, d), ZX_OK, "%s",
                     zx_diag_count(d) ? zx_diag_get(d, 0)->msg : "");
        cr_assert_eq(zx_engine_columnar(e, &zx_plan_indicators(plan,
                                                               &(int){0})[0]),
                     1, "%s", num);
        zx_engine_sql_only(e, k);
        cr_assert_eq(zx_engine_eval(e, NULL, year, 1u << ZX_LEVEL_CITY, 0,
                                    collect, &a), ZX_OK);
        cr_assert_eq(a.n, 1);
        memset(&out[k], 0, sizeof(out[k]));
        out[k].numerator = a.r[0].n;
        out[k].denominator = a.r[0].d;
        out[k].value = a.r[0].v;
        out[k].entities = a.r[0].entities;
        out[k].status = a.r[0].status;
        free(a.r);
        zx_engine_close(e);
    }
    cr_assert(same(out[0].numerator, out[1].numerator) &&
              same(out[0].denominator, out[1].denominator) &&
              same(out[0].value, out[1].value) &&
              out[0].status == out[1].status, "%s: columns %g, SQL %g", num,
              out[0].value, out[1].value);
    zx_plan_free(plan);
    zx_diag_free(d);
    return out[0];
}

static char codes[4][32];

/* Four schools: flag 1, 0, missing, entered as NULL; score 10, missing,
 * 3, 7. */
static void four_schools(void)
{
    static const char *const vals[4][2] = {
        { "1", "10" }, { "0", NULL }, { NULL, "3" }, { "NULL", "7" }
    };
    sqlite3_stmt *st;
    char sql[512];
    int i, j;

    db = demo_city();
    st = zx_db_prepare(db, "SELECT code, id FROM org_unit WHERE kind ="
                           " 'school' ORDER BY code LIMIT 4");
    for (i = 0; i < 4 && sqlite3_step(st) == SQLITE_ROW; i++) {
        long long id = sqlite3_column_int64(st, 1);
        snprintf(codes[i], sizeof(codes[i]), "%s",
                 (const char *)sqlite3_column_text(st, 0));
        for (j = 0; j < 2; j++) {
            if (!vals[i][j])
                continue;
            snprintf(sql, sizeof(sql),
                     "INSERT INTO data_value(element, unit_id, year, num,"
                     " entered_by, entered_at) VALUES ('%s', %lld, 0, %s,"
                     " 't', 'now')", j ? "score" : "flag", id, vals[i][j]);
            cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
        }
    }
    sqlite3_reset(st);
    cr_assert_eq(i, 4);
}

Test(colvm, null_logic_of_missing_values)
{
    char where[256];
    zx_result r;

    four_schools();
    snprintf(where, sizeof(where), "code in ['%s', '%s', '%s', '%s']",
             codes[0], codes[1], codes[2], codes[3]);
    /* not NULL is NULL: only the school that answered 0 */
    r = city("share", "schools", where, "not flag", 2021);
    cr_assert_eq(r.numerator, 1);
    cr_assert_eq(r.denominator, 4);
    /* NULL or true is true, NULL or false unknown */
    r = city("share", "schools", where, "flag or score > 5", 2021);
    cr_assert_eq(r.numerator, 2);
    /* not (NULL and true) is unknown, not (NULL and false) true */
    r = city("share", "schools", where, "not (flag and score > 5)", 2021);
    cr_assert_eq(r.numerator, 2);
    /* a comparison with NULL is NULL either way */
    r = city("share", "schools", where, "score != 3", 2021);
    cr_assert_eq(r.numerator, 2);
    r = city("share", "schools", where, "not (score = 3)", 2021);
    cr_assert_eq(r.numerator, 2);
    r = city("share", "schools", where, "score between 3 and 7", 2021);
    cr_assert_eq(r.numerator, 2);
    /* a value entered as NULL is no value */
    r = city("share", "schools", where, "has(flag)", 2021);
    cr_assert_eq(r.numerator, 2);
    /* missing values add nothing to a sum */
    r = city("sum", "schools", where, "score", 2021);
    cr_assert_eq(r.value, 20);
    r = city("sum", "schools", where, "score / (score - 3)", 2021);
    cr_assert_eq(r.value, 10.0 / 7 + 7.0 / 4, "x / 0 is NULL");
    r = city("min", "schools", where, "score", 2021);
    cr_assert_eq(r.value, 3);
    r = city("max", "schools", where, "score", 2021);
    cr_assert_eq(r.value, 10);
    /* no school in scope answered: no data */
    snprintf(where, sizeof(where), "code = '%s'", codes[3]);
    r = city("share", "schools", where, "flag", 2021);
    cr_assert_eq(r.status, ZX_STATUS_NO_DATA);
}

Test(colvm, role_levels_and_dates)
{
    static const char *const roles[] = {
        "0, '骨干教师', '县级', 2018, 2020",
        "1, '骨干教师', '省级', 2021, NULL",
        "2, '骨干教师', '校级', 2015, NULL",
        "3, '学科带头人', '地市级', 2022, 2022",
        "3, '骨干教师', '', 2010, 2011",
        "4, '骨干教师', '国家级', 2019, 2019",
    };
    long long t[5];
    char sql[512], where[128];
    sqlite3_stmt *st;
    size_t i;
    int k;

    db = demo_city();
    st = zx_db_prepare(db, "SELECT u.code, u.id FROM org_unit u WHERE"
                           " kind = 'school' AND (SELECT count(*) FROM"
                           " teacher WHERE school_id = u.id) >= 5"
                           " ORDER BY code LIMIT 1");
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(codes[0], sizeof(codes[0]), "%s",
             (const char *)sqlite3_column_text(st, 0));
    snprintf(sql, sizeof(sql), "DELETE FROM teacher_role WHERE teacher_id IN"
                               " (SELECT id FROM teacher WHERE school_id ="
                               " %lld)", sqlite3_column_int64(st, 1));
    cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
    snprintf(sql, sizeof(sql), "SELECT id FROM teacher WHERE school_id = %lld"
                               " ORDER BY id LIMIT 5",
             sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    st = zx_db_prepare(db, sql);
    for (k = 0; k < 5; k++) {
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        t[k] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        snprintf(sql, sizeof(sql), "INSERT INTO teacher_role(teacher_id,"
                                   " title, level, start_year, end_year)"
                                   " VALUES (%lld%s)",
                 t[roles[i][0] - '0'], roles[i] + 1);
        cr_assert_eq(zx_db_exec(db, sql), ZX_OK);
    }
    snprintf(where, sizeof(where), "school.code = '%s'", codes[0]);
    /* county level or above, held in the year */
    cr_assert_eq(city("count", "teachers", where,
                      "role('骨干教师', '县级')", 2017).value, 0);
    cr_assert_eq(city("count", "teachers", where,
                      "role('骨干教师', '县级')", 2019).value, 2);
    cr_assert_eq(city("count", "teachers", where,
                      "role('骨干教师', '县级')", 2021).value, 1);
    cr_assert_eq(city("count", "teachers", where,
                      "role('骨干教师', '国家级')", 2020).value, 0);
    /* any level, a level left empty included */
    cr_assert_eq(city("count", "teachers", where, "role('骨干教师')",
                      2011).value, 1);
    cr_assert_eq(city("count", "teachers", where, "role('骨干教师')",
                      2019).value, 3);
    /* an end year is the last year held */
    cr_assert_eq(city("count", "teachers", where,
                      "role('学科带头人', '地市级')", 2022).value, 1);
    cr_assert_eq(city("count", "teachers", where,
                      "role('学科带头人', '地市级')", 2023).value, 0);
    /* the first year, whatever the level */
    cr_assert_eq(city("count", "teachers", where,
                      "role_since('骨干教师') <= 2015", 2021).value, 2);
    cr_assert_eq(city("count", "teachers", where,
                      "not (role_since('学科带头人') > 0)", 2021).value, 0);
    /* counted from the school */
    snprintf(where, sizeof(where), "code = '%s'", codes[0]);
    cr_assert_eq(city("share", "schools", where,
                      "count(teachers, role('骨干教师', '县级')) >= 2",
                      2019).numerator, 1);
    cr_assert_eq(city("share", "schools", where,
                      "count(teachers, role('骨干教师', '县级')) >= 2",
                      2020).numerator, 0);
}
