/*
 * test_plans.c - the shipped plan files against the shared documents.
 *
 * plans/haimen-2020-2022.yaml must cover every clause of
 * ../shared/seed/clauses.md (a Q clause by an indicator, a T clause by a
 * task, an M clause by an indicator's clause or mechanism), hold every
 * indicator of ../shared/indicators.md with its clause, target and
 * milestones, and load without a single diagnostic.  The second plan,
 * tests/data/other-county.yaml, must load as cleanly: a different county
 * is only a different file.  Tests run from the repository root.
 */
#include "testutil.h"

#include "demo.h"
#include "indicator.h"
#include "plan.h"
#include "substitutes.h"

#include <ctype.h>
#include <math.h>

#define HAIMEN "plans/haimen-2020-2022.yaml"
#define OTHER "tests/data/other-county.yaml"
#define CLAUSES "../shared/seed/clauses.md"
#define INDICATORS "../shared/indicators.md"

/* ---- reading the shared documents ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    cr_assert_not_null(f, "cannot read %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The next line of *p (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **p)
{
    char *s = *p, *e;

    if (!s || !*s)
        return NULL;
    e = strchr(s, '\n');
    if (e) {
        *e = '\0';
        *p = e + 1;
    } else {
        *p = s + strlen(s);
    }
    if (e && e > s && e[-1] == '\r')
        e[-1] = '\0';
    return s;
}

#define MAXCLAUSES 128

typedef struct clause {
    char id[32];
    char mark[16];      /* "Q", "M/Q", "T/Q", ... */
} clause;

/* Every "- ID **MARK** ..." line of clauses.md, nested ones included. */
static int read_clauses(clause *out, int max)
{
    char *text = slurp(CLAUSES), *p = text, *line;
    int n = 0;

    while ((line = next_line(&p))) {
        char *s = line, *id, *mark, *end;
        size_t idlen, marklen;

        while (*s == ' ' || *s == '\t')
            s++;
        if (strncmp(s, "- ", 2) != 0)
            continue;
        id = s + 2;
        idlen = strcspn(id, " ");
        if (!idlen || !isdigit((unsigned char)id[0]) ||
            strncmp(id + idlen, " **", 3) != 0)
            continue;
        mark = id + idlen + 3;
        end = strstr(mark, "**");
        if (!end)
            continue;
        marklen = (size_t)(end - mark);
        if (!marklen || strspn(mark, "QTM/") != marklen)
            continue;
        cr_assert_lt(n, max, "too many clauses in %s", CLAUSES);
        cr_assert_lt(idlen, sizeof(out[n].id));
        cr_assert_lt(marklen, sizeof(out[n].mark));
        memcpy(out[n].id, id, idlen);
        out[n].id[idlen] = '\0';
        memcpy(out[n].mark, mark, marklen);
        out[n].mark[marklen] = '\0';
        n++;
    }
    free(text);
    return n;
}

static const clause *find_clause(const clause *cl, int n, const char *id)
{
    int i;

    for (i = 0; i < n; i++)
        if (strcmp(cl[i].id, id) == 0)
            return &cl[i];
    return NULL;
}

#define MAXROWS 128

typedef struct row {
    char id[64], clause[32];
    char target[160], milestones[160];
} row;

static void trim_copy(char *dst, size_t size, const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    cr_assert_lt(len, size, "cell too long: %.*s", (int)len, s);
    memcpy(dst, s, len);
    dst[len] = '\0';
}

/* The rows of the indicator table of indicators.md:
 * | id | clause | numerator / denominator | final target | milestones | */
static int read_rows(row *out, int max)
{
    char *text = slurp(INDICATORS), *p = text, *line;
    int n = 0;

    while ((line = next_line(&p))) {
        const char *cell[6];
        size_t len[6];
        char *s = line;
        int k = 0;

        if (line[0] != '|')
            continue;
        s++;
        while (k < 6 && *s) {
            char *bar = strchr(s, '|');

            if (!bar)
                break;
            cell[k] = s;
            len[k] = (size_t)(bar - s);
            k++;
            s = bar + 1;
        }
        if (k != 5)
            continue;
        cr_assert_lt(n, max);
        trim_copy(out[n].id, sizeof(out[n].id), cell[0], len[0]);
        if (!islower((unsigned char)out[n].id[0]) ||
            strcmp(out[n].id, "id") == 0 ||
            strspn(out[n].id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                strlen(out[n].id))
            continue;           /* header or separator */
        trim_copy(out[n].clause, sizeof(out[n].clause), cell[1], len[1]);
        trim_copy(out[n].target, sizeof(out[n].target), cell[3], len[3]);
        trim_copy(out[n].milestones, sizeof(out[n].milestones), cell[4],
                  len[4]);
        n++;
    }
    free(text);
    return n;
}

/* ---- loading ---- */

static zx_plan *load(const char *path)
{
    zx_diag *d = zx_diag_new();
    zx_plan *p = NULL;
    size_t i;
    int rc;

    cr_assert_not_null(d);
    rc = zx_plan_load(path, NULL, &p, d);
    for (i = 0; i < zx_diag_count(d); i++) {
        const zx_diag_item *it = zx_diag_get(d, i);

        cr_log_error("%s:%ld:%d: %s", it->file, it->row, it->col + 1,
                     it->msg);
    }
    cr_expect_eq(zx_diag_count(d), 0, "%s: %zu diagnostics", path,
                 zx_diag_count(d));
    zx_diag_free(d);
    cr_assert_eq(rc, ZX_OK, "%s: %s", path, zx_strerror(rc));
    cr_assert_not_null(p);
    return p;
}

/* ---- (c) both plans load without diagnostics ---- */

Test(plans, haimen_loads_cleanly)
{
    zx_plan *p = load(HAIMEN);
    const int *years, *rural;
    const zx_goal *g;
    int n, i;
    static const char *const settings[] = {
        "rotation_years", "rotation_share", "backbone_share",
        "training_hours", "overstaffed_ratio", "scarce_subjects",
        "funds_floor",
    };

    cr_expect_str_eq(zx_plan_id(p), "haimen-2020-2022");
    cr_expect_str_eq(zx_plan_name(p),
                     "海门市乡村教育振兴三年行动计划（2020—2022年）");
    cr_assert_not_null(zx_plan_document(p));
    cr_expect_str_eq(zx_plan_document(p), "海政办发〔2019〕53号");
    cr_assert_not_null(zx_plan_preamble(p));
    cr_expect_not_null(strstr(zx_plan_preamble(p), "推动城乡教育优质均衡发展"));
    cr_expect_eq(zx_plan_baseline(p), 2019);
    years = zx_plan_years(p, &n);
    cr_assert_eq(n, 3);
    for (i = 0; i < 3; i++)
        cr_expect_eq(years[i], 2020 + i);
    rural = zx_plan_rural(p, &n);
    cr_assert_eq(n, 5);
    cr_expect_eq(rural[0], 121);
    cr_expect_eq(rural[1], 122);
    cr_expect_eq(rural[2], 123);
    cr_expect_eq(rural[3], 210);
    cr_expect_eq(rural[4], 220);

    g = zx_plan_goals(p, &n);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(g[0].id, "conditions");
    cr_expect_str_eq(g[0].clause, "2.1");
    cr_expect_str_eq(g[1].id, "teachers");
    cr_expect_str_eq(g[1].clause, "2.2");
    cr_expect_str_eq(g[2].id, "quality");
    cr_expect_str_eq(g[2].clause, "2.3");

    for (i = 0; i < (int)(sizeof(settings) / sizeof(settings[0])); i++)
        cr_assert_not_null(zx_plan_setting(p, settings[i]), "setting %s",
                           settings[i]);
    cr_expect_eq(zx_plan_setting(p, "rotation_years")->value, 6);
    cr_expect_eq(zx_plan_setting(p, "training_hours")->value, 180);
    cr_expect_eq(zx_plan_setting(p, "funds_floor")->value, 500);
    cr_expect(zx_plan_setting(p, "scarce_subjects")->is_list);
    zx_plan_free(p);
}

Test(plans, other_county_loads_cleanly)
{
    zx_plan *p = load(OTHER), *h = load(HAIMEN);
    const zx_indicator *ind;
    const int *years, *rural;
    int n, i, uses = 0;

    cr_expect_str_eq(zx_plan_name(p),
                     "示例县乡村教育振兴三年行动计划（2021—2023年）");
    cr_expect_eq(zx_plan_baseline(p), 2020);
    years = zx_plan_years(p, &n);
    cr_assert_eq(n, 3);
    cr_expect_eq(years[0], 2021);
    cr_expect_eq(years[2], 2023);
    rural = zx_plan_rural(p, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(rural[0], 210);
    cr_expect_eq(rural[1], 220);

    /* a data element the Haimen plan does not have, read by an indicator */
    cr_expect_not_null(zx_plan_element(p, "school_bus_coverage"));
    cr_expect_null(zx_plan_element(h, "school_bus_coverage"));
    ind = zx_plan_indicators(p, &n);
    cr_expect_leq(n, 8, "the second plan is a small one");
    for (i = 0; i < n; i++)
        if (ind[i].numerator.text &&
            strstr(ind[i].numerator.text, "school_bus_coverage"))
            uses++;
    cr_expect_eq(uses, 1);
    zx_plan_free(h);
    zx_plan_free(p);
}

/* ---- (a) every clause of clauses.md is covered ---- */

static int is_indicator_clause(const zx_plan *p, const char *id)
{
    const zx_indicator *ind;
    int n, i;

    ind = zx_plan_indicators(p, &n);
    for (i = 0; i < n; i++)
        if (strcmp(ind[i].clause, id) == 0)
            return 1;
    return 0;
}

static int is_mechanism(const zx_plan *p, const char *id)
{
    const zx_indicator *ind;
    int n, i, j;

    ind = zx_plan_indicators(p, &n);
    for (i = 0; i < n; i++)
        for (j = 0; j < ind[i].nmechanism; j++)
            if (strcmp(ind[i].mechanism[j], id) == 0)
                return 1;
    return 0;
}

static int is_task_clause(const zx_plan *p, const char *id)
{
    const zx_task *t;
    int n, i;

    t = zx_plan_tasks(p, &n);
    for (i = 0; i < n; i++)
        if (strcmp(t[i].clause, id) == 0)
            return 1;
    return 0;
}

Test(plans, every_clause_is_covered)
{
    static clause cl[MAXCLAUSES];
    int n = read_clauses(cl, MAXCLAUSES), i, q = 0, t = 0, m = 0;
    zx_plan *p = load(HAIMEN);

    cr_assert_gt(n, 50, "%s: only %d clauses read", CLAUSES, n);
    cr_expect_not_null(find_clause(cl, n, "4.2"), "\"4.2 **M/Q**\" counts");
    for (i = 0; i < n; i++) {
        if (strchr(cl[i].mark, 'Q')) {
            q++;
            cr_expect(is_indicator_clause(p, cl[i].id),
                      "Q clause %s is no indicator's clause", cl[i].id);
        }
        if (strchr(cl[i].mark, 'T')) {
            t++;
            cr_expect(is_task_clause(p, cl[i].id),
                      "T clause %s is no task's clause", cl[i].id);
        }
        if (strchr(cl[i].mark, 'M')) {
            m++;
            cr_expect(is_indicator_clause(p, cl[i].id) ||
                          is_mechanism(p, cl[i].id),
                      "M clause %s is neither an indicator's clause nor "
                      "a mechanism", cl[i].id);
        }
    }
    cr_expect_gt(q, 0);
    cr_expect_gt(t, 0);
    cr_expect_gt(m, 0);
    zx_plan_free(p);
}

/* Every clause the plan cites is one of clauses.md, and a mechanism entry
 * is an M clause: a typo in a clause id would otherwise go unnoticed. */
Test(plans, cited_clauses_exist)
{
    static clause cl[MAXCLAUSES];
    int n = read_clauses(cl, MAXCLAUSES), k, i, j;
    zx_plan *p = load(HAIMEN);
    const zx_indicator *ind = zx_plan_indicators(p, &k);
    const zx_task *t;
    const clause *c;

    for (i = 0; i < k; i++) {
        cr_expect_not_null(find_clause(cl, n, ind[i].clause),
                           "indicator %s: no clause %s", ind[i].id,
                           ind[i].clause);
        for (j = 0; j < ind[i].nmechanism; j++) {
            c = find_clause(cl, n, ind[i].mechanism[j]);
            cr_expect(c && strchr(c->mark, 'M'),
                      "indicator %s: mechanism %s is no M clause",
                      ind[i].id, ind[i].mechanism[j]);
        }
    }
    t = zx_plan_tasks(p, &k);
    for (i = 0; i < k; i++) {
        cr_expect_not_null(find_clause(cl, n, t[i].clause),
                           "task %s: no clause %s", t[i].id, t[i].clause);
        cr_expect(t[i].lead && t[i].lead[0], "task %s: no lead unit",
                  t[i].id);
        cr_expect_gt(t[i].nresponsible, 0, "task %s: no responsible unit",
                     t[i].id);
        cr_expect(t[i].evidence && t[i].evidence[0], "task %s: no evidence",
                  t[i].id);
        cr_assert_not_null(t[i].deadline);
        cr_expect(strcmp(t[i].deadline, "2020-01-01") >= 0 &&
                      strcmp(t[i].deadline, "2022-12-31") <= 0,
                  "task %s: deadline %s outside the plan years", t[i].id,
                  t[i].deadline);
    }
    zx_plan_free(p);
}

/* ---- (b) every indicator of indicators.md, as that row says ---- */

Test(plans, every_indicator_of_indicators_md)
{
    static row r[MAXROWS];
    int n = read_rows(r, MAXROWS), i;
    zx_plan *p = load(HAIMEN);

    cr_assert_gt(n, 30, "%s: only %d rows read", INDICATORS, n);
    for (i = 0; i < n; i++) {
        const zx_indicator *ind = zx_plan_indicator(p, r[i].id);

        cr_expect_not_null(ind, "no indicator %s", r[i].id);
        if (ind)
            cr_expect_str_eq(ind->clause, r[i].clause,
                             "indicator %s: clause %s, not %s", r[i].id,
                             ind->clause, r[i].clause);
    }
    zx_plan_free(p);
}

/* The value of an explicit milestone for year y, or NaN. */
static double explicit_at(const zx_indicator *ind, int y)
{
    int i;

    for (i = 0; i < ind->milestones.n; i++)
        if (ind->milestones.years[i] == y)
            return ind->milestones.values[i];
    return NAN;
}

static void check_target(const zx_indicator *ind, const row *r)
{
    const char *s = r->target, *d;
    char *end;
    double lo, hi;

    cr_expect_eq(ind->lower_is_better,
                 strstr(s, "lower is better") != NULL,
                 "%s: direction against \"%s\"", r->id, s);
    if ((d = strstr(s, "default "))) {
        /* "office sets (default 80%)": the default is the target */
        lo = strtod(d + strlen("default "), &end);
        cr_assert_neq(end, d + strlen("default "), "%s: \"%s\"", r->id, s);
        cr_expect(!ind->target_is_range && ind->target == lo,
                  "%s: target %g, not the default %g", r->id, ind->target,
                  lo);
        return;
    }
    if (strncmp(s, "rising", 6) == 0)
        return;                 /* the office sets it; any number will do */
    if (strncmp(s, "≥", strlen("≥")) == 0)
        s += strlen("≥");
    lo = strtod(s, &end);
    cr_assert_neq(end, s, "%s: unrecognised target \"%s\"", r->id,
                  r->target);
    if (strncmp(end, " to ", 4) == 0) {
        hi = strtod(end + 4, NULL);
        cr_expect(ind->target_is_range && ind->target_min == lo &&
                      ind->target_max == hi,
                  "%s: target should be %g to %g", r->id, lo, hi);
        return;
    }
    cr_expect(!ind->target_is_range && ind->target == lo,
              "%s: target %g, not %g", r->id, ind->target, lo);
}

static void check_milestones(const zx_plan *p, const zx_indicator *ind,
                             const row *r)
{
    const char *s = r->milestones;
    const int *years;
    char *end;
    int ny, i;
    double v;

    years = zx_plan_years(p, &ny);
    if (strcmp(s, "ramp") == 0) {
        cr_expect_eq(ind->milestones.kind, ZX_MS_RAMP, "%s: not a ramp",
                     r->id);
    } else if (strncmp(s, "on track if", 11) == 0) {
        cr_expect_eq(ind->milestones.kind, ZX_MS_RAMP, "%s: not a ramp",
                     r->id);
        cr_expect_not_null(ind->on_track.text, "%s: no on_track", r->id);
    } else if (strstr(s, "each year")) {
        /* "100% each year" */
        v = strtod(s, &end);
        cr_assert_neq(end, s, "%s: \"%s\"", r->id, s);
        cr_assert_eq(ind->milestones.kind, ZX_MS_EXPLICIT,
                     "%s: milestones should be explicit", r->id);
        for (i = 0; i < ny; i++)
            cr_expect_eq(explicit_at(ind, years[i]), v,
                         "%s: milestone %d should be %g", r->id, years[i],
                         v);
    } else if (strcmp(s, "same") == 0) {
        /* the target of every year, its bottom for a range */
        v = ind->target_is_range ? ind->target_min : ind->target;
        cr_assert_eq(ind->milestones.kind, ZX_MS_EXPLICIT,
                     "%s: milestones should be explicit", r->id);
        for (i = 0; i < ny; i++)
            cr_expect_eq(explicit_at(ind, years[i]), v,
                         "%s: milestone %d should be %g", r->id, years[i],
                         v);
    } else if (strncmp(s, "baseline", 8) == 0) {
        /* "baseline × (1 − (Y − 2019)/5)": to the target in 2019 + 5 */
        const char *slash = strrchr(s, '/');

        cr_assert_not_null(slash, "%s: \"%s\"", r->id, s);
        cr_assert_eq(ind->milestones.kind, ZX_MS_RAMP_TO,
                     "%s: milestones should be {ramp_to, by}", r->id);
        cr_expect_eq(ind->milestones.ramp_to, ind->target, "%s", r->id);
        cr_expect_eq(ind->milestones.by,
                     zx_plan_baseline(p) + atoi(slash + 1), "%s", r->id);
    } else if (isdigit((unsigned char)s[0])) {
        /* "2020: 1, 2021: 2, 2022: 3": each listed year as listed */
        const char *q = s;

        cr_assert_eq(ind->milestones.kind, ZX_MS_EXPLICIT,
                     "%s: milestones should be explicit", r->id);
        while (*q) {
            long y = strtol(q, &end, 10);

            cr_assert(end != q && *end == ':', "%s: \"%s\"", r->id, s);
            v = strtod(end + 1, &end);
            cr_expect_eq(explicit_at(ind, (int)y), v,
                         "%s: milestone %ld should be %g", r->id, y, v);
            q = end;
            while (*q == ',' || *q == ' ')
                q++;
        }
    } else {
        cr_expect_fail("%s: unrecognised milestones \"%s\" in %s", r->id, s,
                       INDICATORS);
    }
}

Test(plans, targets_and_milestones_follow_indicators_md)
{
    static row r[MAXROWS];
    int n = read_rows(r, MAXROWS), i;
    zx_plan *p = load(HAIMEN);

    for (i = 0; i < n; i++) {
        const zx_indicator *ind = zx_plan_indicator(p, r[i].id);

        if (!ind)
            continue;           /* reported by the test above */
        check_target(ind, &r[i]);
        check_milestones(p, ind, &r[i]);
    }
    zx_plan_free(p);
}

/* ---- both plans compute on a demo city ---- */

struct tally {
    int results, city;
    const char *want;       /* an indicator id whose city result we keep */
    zx_result kept;
};

static int tally(void *ctx, const zx_result *r)
{
    struct tally *t = ctx;

    t->results++;
    if (r->level == ZX_LEVEL_CITY) {
        t->city++;
        if (t->want && strcmp(r->ind->id, t->want) == 0)
            t->kept = *r;
    }
    return 0;
}

static zx_db *demo_city(void)
{
    zx_db *db = tu_db(tu_tmpdir());
    zx_demo_opts o = { 1, 1, "test" };

    cr_assert_eq(zx_demo_generate(db, &o, NULL, NULL, NULL), ZX_OK);
    return db;
}

/* A neighbouring county's plan, with its own years, rural codes, targets
 * and a data element the Haimen plan lacks, computes on the same program:
 * a county is a file, not code. */
Test(plans, other_county_computes_without_code_change)
{
    zx_db *db = demo_city();
    zx_plan *p = load(OTHER);
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    struct tally t = { 0, 0, "school-bus", { 0 } };
    long long schools;
    int n;

    /* school buses in every rural (210/220) compulsory school but one */
    schools = zx_db_int(db, "SELECT count(*) FROM school WHERE urban_rural IN"
                            " (210, 220) AND type_code IN (211, 218, 219,"
                            " 311, 312, 319, 341, 345)", NULL, 0);
    cr_assert(schools > 1);
    cr_assert_eq(zx_db_exec(db, "INSERT INTO data_value(element, unit_id, year,"
                                " num, entered_by, entered_at)"
                                " SELECT 'school_bus_coverage', unit_id, 2022,"
                                " unit_id != (SELECT min(unit_id) FROM school"
                                " WHERE urban_rural IN (210, 220)"
                                " AND type_code IN (211, 218, 219, 311, 312,"
                                " 319, 341, 345)), 'test', 'now' FROM school"), ZX_OK);
    cr_assert_eq(zx_engine_open(db, p, &e, d), ZX_OK);
    cr_assert_eq(zx_engine_eval(e, NULL, 2022, 0x1f, 0, tally, &t), ZX_OK);
    zx_plan_indicators(p, &n);
    cr_assert_eq(t.city, n, "one city result per indicator");
    cr_assert_eq((long long)t.kept.denominator, schools);
    cr_assert_eq((long long)t.kept.numerator, schools - 1);
    cr_assert_neq(t.kept.status, ZX_STATUS_NO_DATA);
    zx_engine_close(e);
    zx_plan_free(p);
    zx_diag_free(d);
    zx_db_close(db);
}

/* Every indicator of the built-in plan evaluates on the demo city, at
 * every level, without an engine error; substitutes (3.4.3-T9) reads the
 * year's recorded counts, here the registry's 代课 teachers snapshotted. */
Test(plans, haimen_computes_on_the_demo_city)
{
    zx_db *db = demo_city();
    zx_plan *p = load(HAIMEN);
    zx_engine *e = NULL;
    zx_diag *d = zx_diag_new();
    struct tally t = { 0, 0, "substitutes", { 0 } };
    int n;

    cr_assert_eq(zx_substitutes_snapshot(db, 2021, "test", NULL, NULL), ZX_OK);
    cr_assert_eq(zx_engine_open(db, p, &e, d), ZX_OK);
    cr_assert_eq(zx_engine_eval(e, NULL, 2021, 0x1f, 0, tally, &t), ZX_OK);
    zx_plan_indicators(p, &n);
    cr_assert_eq(t.city, n);
    cr_assert(t.results > 20 * n, "towns, groups and schools too");
    cr_assert_eq((long long)t.kept.value,
                 zx_db_int(db, "SELECT count(*) FROM teacher"
                               " WHERE employment = 3", NULL, -1));
    zx_engine_close(e);
    zx_plan_free(p);
    zx_diag_free(d);
    zx_db_close(db);
}
