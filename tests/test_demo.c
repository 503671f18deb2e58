/*
 * test_demo.c - tests of the synthetic data generator (src/core/demo.c)
 * and of the demo and summary commands.
 *
 * The figures checked are the ones domain.md promises for a Haimen-sized
 * city, plus the structure later modules rely on: the 12 towns, the three
 * schools named by clause 3.3.1-I2, one HQ per group, small rural schools
 * around the 500-student floor of clause 3.3-F2, substitute teachers, and
 * determinism for a seed.
 */
#include "demo.h"
#include "testutil.h"

#include <stdint.h>

struct fixture {
    char dir[64];
    zx_db *db;
    zx_demo_stats st;
};

/* A fresh database (city created) filled at `scale` with `seed`. */
static void fill(struct fixture *f, int scale, unsigned long long seed)
{
    zx_demo_opts o = { scale, seed, "test" };

    snprintf(f->dir, sizeof(f->dir), "%s", tu_tmpdir());
    f->db = tu_db(f->dir);
    cr_assert_eq(zx_demo_generate(f->db, &o, NULL, NULL, &f->st), ZX_OK,
                 "%s", zx_db_errmsg(f->db));
}

static void drop(struct fixture *f)
{
    char cmd[128];

    zx_db_close(f->db);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    tu_sh(cmd);
}

static long long q(zx_db *db, const char *sql)
{
    long long v = zx_db_int(db, sql, NULL, -1);

    cr_assert_neq(v, -1, "query failed: %s", sql);
    return v;
}

/* FNV-1a over every value of every registry table, in key order: equal
 * hashes mean equal contents. */
static uint64_t content_hash(zx_db *db)
{
    static const char *const sql[] = {
        "SELECT * FROM org_unit ORDER BY id",
        "SELECT * FROM school ORDER BY unit_id",
        "SELECT * FROM enrolment ORDER BY school_id, year",
        "SELECT * FROM teacher ORDER BY id",
        "SELECT * FROM teacher_role ORDER BY id",
        "SELECT key, value FROM meta WHERE key LIKE 'synthetic%' ORDER BY key",
    };
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(zx_db_sqlite(db), sql[i], -1, &st,
                                        NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int c, n = sqlite3_column_count(st);
            for (c = 0; c < n; c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                for (; v && *v; v++)
                    h = (h ^ *v) * 1099511628211ULL;
                h = (h ^ 0x1f) * 1099511628211ULL; /* field separator */
            }
        }
        sqlite3_finalize(st);
    }
    return h;
}

Test(demo, city_totals)
{
    struct fixture f;
    int y;

    fill(&f, 1, 1);
    cr_assert(f.st.schools >= 120 && f.st.schools <= 140, "%lld schools",
              f.st.schools);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school"), f.st.schools);
    cr_assert(f.st.teachers >= 7000 && f.st.teachers <= 9000,
              "%lld teachers", f.st.teachers);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher"), f.st.teachers);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher_role"), f.st.roles);
    for (y = 0; y < ZX_DEMO_NYEARS; y++) {
        char sql[128];
        long long n;
        snprintf(sql, sizeof(sql),
                 "SELECT sum(students) FROM enrolment WHERE year = %d",
                 ZX_DEMO_FIRST_YEAR + y);
        n = q(f.db, sql);
        cr_assert(n >= 90000 && n <= 110000, "%lld students in %d", n,
                  ZX_DEMO_FIRST_YEAR + y);
        cr_assert_eq(n, f.st.students[y]);
    }
    /* every school has every year */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM enrolment"),
                 f.st.schools * ZX_DEMO_NYEARS);
    cr_assert_eq(f.st.towns, 12);
    cr_assert(f.st.groups >= 5);
    drop(&f);
}

Test(demo, city_structure)
{
    static const char *const towns[] = {
        "海门街道", "三厂街道", "滨江街道", "海永镇", "常乐镇", "悦来镇",
        "四甲镇", "余东镇", "正余镇", "包场镇", "临江镇", "海门港新区",
    };
    static const char *const named[] = { "包场小学", "天补小学",
                                         "证大小学" };
    struct fixture f;
    size_t i;

    fill(&f, 1, 1);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM org_unit WHERE kind='town'"),
                 12);
    for (i = 0; i < 12; i++)
        cr_assert_eq(zx_db_int(f.db, "SELECT count(*) FROM org_unit"
                                     " WHERE kind = 'town' AND name = ?1",
                               towns[i], 0), 1, "town %s", towns[i]);
    for (i = 0; i < 3; i++)
        cr_assert_eq(zx_db_int(f.db, "SELECT count(*) FROM org_unit u"
                                     " JOIN school s ON s.unit_id = u.id"
                                     " WHERE u.name = '海门市' || ?1"
                                     " AND s.type_code = 211"
                                     " AND s.urban_rural NOT IN (111, 112)",
                               named[i], 0), 1, "school %s", named[i]);

    /* exactly one HQ per group, and members besides */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM org_unit g WHERE g.kind ="
                         " 'group' AND (SELECT count(*) FROM school s"
                         " WHERE s.group_id = g.id AND s.group_hq = 1) != 1"),
                 0);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM org_unit g WHERE g.kind ="
                         " 'group' AND (SELECT count(*) FROM school s"
                         " WHERE s.group_id = g.id) < 3"), 0);
    cr_assert(q(f.db, "SELECT count(*) FROM org_unit WHERE kind = 'group'"
                      " AND group_type = '共同体'") >= 1);

    /* school types of domain.md */
    cr_assert(q(f.db, "SELECT count(*) FROM school WHERE type_code = 111")
              >= 50);
    cr_assert(q(f.db, "SELECT count(*) FROM school WHERE type_code IN"
                      " (211, 218, 311, 312)") >= 55);
    cr_assert(q(f.db, "SELECT count(*) FROM school WHERE type_code = 218")
              >= 1);
    cr_assert(q(f.db, "SELECT count(*) FROM school WHERE type_code IN"
                      " (341, 342)") >= 5);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school WHERE type_code = 514"),
                 1);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school WHERE type_code = 365"),
                 1);
    cr_assert(q(f.db, "SELECT count(*) FROM school WHERE owner = 22") >= 3);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM org_unit WHERE kind ="
                         " 'school' AND (length(code) != 10 OR code GLOB"
                         " '*[^0-9]*')"), 0);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school WHERE town_seat !="
                         " (urban_rural <= 121)"), 0);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school WHERE lon NOT BETWEEN"
                         " 121.0 AND 121.7 OR lat NOT BETWEEN 31.7 AND"
                         " 32.2"), 0);

    /* clause 3.3-F2: the 500 floor needs schools on both sides of it */
    cr_assert(q(f.db, "SELECT count(*) FROM enrolment e JOIN school s"
                      " ON s.unit_id = e.school_id WHERE e.year = 2022"
                      " AND e.students < 500 AND s.urban_rural NOT IN"
                      " (111, 112) AND s.type_code IN (211, 218, 311, 312)")
              >= 10);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM enrolment WHERE year = 2022"
                         " AND students BETWEEN 499 AND 501"), 3);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM enrolment WHERE classes < 1"
                         " OR boarders > students OR special > students"),
                 0);
    cr_assert(q(f.db, "SELECT sum(boarders) FROM enrolment") > 0);
    cr_assert(q(f.db, "SELECT sum(special) FROM enrolment") > 0);
    drop(&f);
}

Test(demo, teachers)
{
    struct fixture f;
    long long subs;

    fill(&f, 1, 1);
    /* one principal per school */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM school s WHERE (SELECT"
                         " count(*) FROM teacher t WHERE t.school_id ="
                         " s.unit_id AND t.post = 2 /* 校长 */) != 1"), 0);
    subs = q(f.db, "SELECT count(*) FROM teacher WHERE employment = 3 /* 代课 */");
    cr_assert(subs >= 100 && subs <= 600, "%lld substitutes", subs);
    cr_assert_eq(subs, f.st.substitutes);
    /* substitutes concentrate in rural schools */
    cr_assert(q(f.db, "SELECT count(*) FROM teacher t JOIN school s ON"
                      " s.unit_id = t.school_id WHERE t.employment = 3 /* 代课 */"
                      " AND s.urban_rural NOT IN (111, 112)") * 2 > subs);
    cr_assert(q(f.db, "SELECT count(*) FROM teacher WHERE employment ="
                      " 1 /* 在编 */") * 10 > f.st.teachers * 8);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher WHERE birth NOT"
                         " GLOB '[12][09][0-9][0-9]-[01][0-9]' OR birth <"
                         " '1960-01' OR birth > '2000-12'"), 0);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher WHERE teacher_no NOT"
                         " GLOB 'T[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"), 0);
    /* kindergartens teach 学前 (local code 90); nine-year schools have
     * both stages */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher t JOIN school s ON"
                         " s.unit_id = t.school_id WHERE s.type_code = 111"
                         " AND (t.stage != 1 /* 学前 */ OR t.subject != 90)"), 0);
    cr_assert_eq(q(f.db, "SELECT count(DISTINCT t.stage) FROM teacher t"
                         " JOIN school s ON s.unit_id = t.school_id"
                         " WHERE s.type_code = 312"), 2);
    /* 语文 and 数学 lead; scarce subjects are missing somewhere rural */
    cr_assert_eq(q(f.db, "SELECT subject FROM teacher WHERE stage = 2 /* 小学 */"
                         " GROUP BY subject ORDER BY count(*) DESC"), 13);
    cr_assert(q(f.db, "SELECT count(*) FROM school s WHERE s.type_code ="
                      " 211 AND s.urban_rural NOT IN (111, 112) AND NOT"
                      " EXISTS (SELECT 1 FROM teacher t WHERE t.school_id ="
                      " s.unit_id AND t.subject = 24)") >= 3);
    cr_assert(q(f.db, "SELECT count(*) FROM teacher WHERE since_year <="
                      " 2016") > 1000);
    cr_assert(q(f.db, "SELECT count(*) FROM teacher WHERE gender = 1 /* 男 */")
              > 1000);
    drop(&f);
}

Test(demo, roles)
{
    struct fixture f;

    fill(&f, 1, 1);
    cr_assert(q(f.db, "SELECT count(DISTINCT level) FROM teacher_role"
                      " WHERE title = '学科带头人'") >= 3);
    cr_assert(q(f.db, "SELECT count(*) FROM teacher_role WHERE end_year IS"
                      " NOT NULL") > 0);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher_role WHERE start_year"
                         " NOT BETWEEN 2015 AND 2022"), 0);
    /* reserve cadres are born in the 1980s or 1990s */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher_role r JOIN teacher t"
                         " ON t.id = r.teacher_id WHERE r.title = '后备干部'"
                         " AND substr(t.birth, 1, 3) NOT IN ('198', '199')"),
                 0);
    /* seed teachers only in rural schools, and unevenly: some rural
     * schools have none, some 2 or more (the plan's target starts unmet) */
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher_role r JOIN teacher t"
                         " ON t.id = r.teacher_id JOIN school s ON s.unit_id"
                         " = t.school_id WHERE r.title IN ('种子教师',"
                         " '榜样教师') AND s.urban_rural IN (111, 112)"), 0);
    cr_assert(q(f.db, "SELECT count(*) FROM school s WHERE s.urban_rural NOT"
                      " IN (111, 112) AND (SELECT count(*) FROM teacher_role"
                      " r JOIN teacher t ON t.id = r.teacher_id WHERE"
                      " t.school_id = s.unit_id AND r.title = '种子教师') < 2")
              >= 10);
    cr_assert(q(f.db, "SELECT count(*) FROM school s WHERE (SELECT count(*)"
                      " FROM teacher_role r JOIN teacher t ON t.id ="
                      " r.teacher_id WHERE t.school_id = s.unit_id AND"
                      " r.title = '种子教师') >= 2") >= 5);
    cr_assert(q(f.db, "SELECT count(*) FROM teacher_role WHERE title ="
                      " '名师工作室领衔人'") >= 5);
    drop(&f);
}

Test(demo, deterministic)
{
    struct fixture a, b, c;
    char *v;

    fill(&a, 1, 1);
    fill(&b, 1, 1);
    fill(&c, 1, 2);
    cr_assert_eq(content_hash(a.db), content_hash(b.db));
    cr_assert_neq(content_hash(a.db), content_hash(c.db));
    v = zx_db_meta_get(a.db, "synthetic");
    cr_assert_str_eq(v, "1");
    free(v);
    drop(&a);
    drop(&b);
    drop(&c);
}

Test(demo, refuses_non_empty)
{
    struct fixture f;
    zx_demo_opts o = { 1, 1, "test" };
    zx_demo_stats st;
    long long teachers;

    fill(&f, 1, 1);
    teachers = q(f.db, "SELECT count(*) FROM teacher");
    cr_assert_eq(zx_demo_generate(f.db, &o, NULL, NULL, &st), ZX_EEXIST);
    cr_assert_eq(q(f.db, "SELECT count(*) FROM teacher"), teachers);
    o.seed = 2;
    cr_assert_eq(zx_demo_generate(f.db, &o, NULL, NULL, &st), ZX_EEXIST);
    drop(&f);
}

Test(demo, bad_options_and_no_city)
{
    const char *dir = tu_tmpdir();
    zx_demo_opts o = { 0, 1, NULL };
    zx_db *db = NULL;
    char err[256], cmd[128];

    cr_assert_eq(zx_db_open(tu_path(dir, "zx.db"), ZX_DB_CREATE, &db, err,
                            sizeof(err)), ZX_OK, "%s", err);
    cr_assert_eq(zx_demo_generate(db, &o, NULL, NULL, NULL), ZX_EINVAL);
    o.scale = ZX_DEMO_MAX_SCALE + 1;
    cr_assert_eq(zx_demo_generate(db, &o, NULL, NULL, NULL), ZX_EINVAL);
    o.scale = 1;
    cr_assert_eq(zx_demo_generate(db, &o, NULL, NULL, NULL), ZX_ENOTFOUND);
    cr_assert_eq(zx_db_int(db, "SELECT count(*) FROM org_unit", NULL, -1), 0);
    zx_db_close(db);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    tu_sh(cmd);
}

static long long progress_last, progress_total, progress_calls;

static void on_progress(void *ctx, long long done, long long total)
{
    (void)ctx;
    cr_assert(done > progress_last && done <= total);
    progress_last = done;
    progress_total = total;
    progress_calls++;
}

/* Two counties: the second one's towns and groups carry its name. */
Test(demo, scale_two)
{
    struct fixture f;
    zx_demo_opts o = { 2, 1, "test" };

    snprintf(f.dir, sizeof(f.dir), "%s", tu_tmpdir());
    f.db = tu_db(f.dir);
    cr_assert_eq(zx_demo_generate(f.db, &o, on_progress, NULL, &f.st), ZX_OK);
    cr_assert_eq(progress_last, progress_total);
    cr_assert_eq(progress_calls, f.st.schools);
    cr_assert_eq(f.st.towns, 24);
    cr_assert_eq(f.st.groups, 2 * q(f.db, "SELECT count(*) FROM org_unit"
                                          " WHERE kind = 'group' AND name"
                                          " LIKE '海门市%'"));
    cr_assert_eq(zx_db_int(f.db, "SELECT count(*) FROM org_unit WHERE"
                                 " kind = 'town' AND name = ?1",
                           "合成县01·常乐镇", 0), 1);
    cr_assert(f.st.teachers >= 14000 && f.st.teachers <= 18000);
    cr_assert_eq(q(f.db, "SELECT count(DISTINCT teacher_no) FROM teacher"),
                 f.st.teachers);
    drop(&f);
}

/* The commands, end to end through the binary. */
Test(demo, cli)
{
    const char *dir = tu_tmpdir();
    char cmd[1024], out[512];
    FILE *fp;
    char line[512];
    int banner = 0, small = 0;

    snprintf(out, sizeof(out), "%s/summary.txt", dir);
    snprintf(cmd, sizeof(cmd), ZX_BIN " --db %s/zx.db init >/dev/null", dir);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), ZX_BIN " --db %s/zx.db demo --scale x"
                               " 2>/dev/null", dir);
    cr_assert_eq(tu_sh(cmd), 64);
    snprintf(cmd, sizeof(cmd), ZX_BIN " --db %s/zx.db demo --scale city"
                               " --seed 3 >/dev/null", dir);
    cr_assert_eq(tu_sh(cmd), 0);
    snprintf(cmd, sizeof(cmd), ZX_BIN " --db %s/zx.db demo 2>/dev/null",
             dir);
    cr_assert_eq(tu_sh(cmd), 1);
    snprintf(cmd, sizeof(cmd), ZX_BIN " --db %s/zx.db summary > %s", dir,
             out);
    cr_assert_eq(tu_sh(cmd), 0);

    fp = fopen(out, "r");
    cr_assert_not_null(fp);
    while (fgets(line, sizeof(line), fp)) {
        banner |= strstr(line, zx_demo_banner) != NULL;
        small |= strstr(line, "证大小学") != NULL;
    }
    fclose(fp);
    cr_assert(banner, "summary lacks the synthetic banner");
    cr_assert(small, "summary lacks the small rural schools");
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    tu_sh(cmd);
}
