/*
 * rotation.c - eligibility, quotas, proposals and records of teacher
 * rotation (see rotation.h for the rule).  Every figure comes from the
 * year's "rotation" rules; the titles and levels that make a backbone
 * teacher come from codes.c, as the indicator's role() reads them.
 */
#include "rotation.h"

#include "audit.h"
#include "codes.h"
#include "geo.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_titles[] = { "待交流", "已提议", "已交流",
                                            "近年已交流" };

const char *zx_rotation_state_title(enum zx_rotation_state s)
{
    return state_titles[s];
}

static int is_rural(const zx_plan *plan, int urban_rural)
{
    int i, n;
    const int *codes = zx_plan_rural(plan, &n);

    for (i = 0; i < n; i++)
        if (codes[i] == urban_rural)
            return 1;
    return 0;
}

/* The numeric code of name in code list id, or -1. */
static int code_of(const char *id, const char *name)
{
    const zx_codelist *l = zx_codes_get(id);
    int k = l ? zx_codes_find(l, name) : -1;

    return k < 0 ? -1 : atoi(l->items[k].code);
}

/* The SQL condition "teacher `t` is a backbone teacher in year ?1": the
 * indicator rotation-backbone's role('骨干教师', '县级') or
 * role('学科带头人', '县级'), the levels from the highest down to 县级. */
static void backbone_sql(char *buf, size_t cap, const char *t)
{
    const zx_codelist *levels = zx_codes_get("role_level");
    int k = zx_codes_find(levels, "县级"), i;
    size_t used;

    used = (size_t)snprintf(buf, cap,
                            "EXISTS (SELECT 1 FROM teacher_role r"
                            " WHERE r.teacher_id = %s.id"
                            " AND r.title IN ('骨干教师', '学科带头人')"
                            " AND r.start_year <= ?1 AND (r.end_year IS NULL"
                            " OR r.end_year >= ?1) AND r.level IN (",
                            t);
    for (i = 0; i <= k && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s'%s'",
                                 i ? ", " : "", levels->items[i].name);
    if (used < cap)
        snprintf(buf + used, cap - used, "))");
}

/* ceil(pct% of n), exact for whole pct (pct x n is formed first). */
static long long share_of(double pct, long long n)
{
    return (long long)ceil(pct * (double)n / 100.0 - 1e-9);
}

void zx_rotation_free(zx_rotation *r)
{
    int i;

    if (!r)
        return;
    for (i = 0; i < r->nschools; i++) {
        free(r->schools[i].code);
        free(r->schools[i].name);
        free(r->schools[i].town);
    }
    for (i = 0; i < r->nteachers; i++) {
        free(r->teachers[i].no);
        free(r->teachers[i].name);
    }
    free(r->schools);
    free(r->teachers);
    free(r);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

/* The index of the school of the current row in r, appended when it is
 * not the last one; -1 when memory is short. */
static int school_for(zx_rotation *r, sqlite3_stmt *st, int rural)
{
    zx_rotation_school *s;
    long long id = sqlite3_column_int64(st, 7);

    if (r->nschools && r->schools[r->nschools - 1].id == id)
        return r->nschools - 1;
    if (!(s = realloc(r->schools, (size_t)(r->nschools + 1) * sizeof(*s))))
        return -1;
    r->schools = s;
    s = &s[r->nschools++];
    memset(s, 0, sizeof(*s));
    s->id = id;
    s->rural = rural;
    s->hq = sqlite3_column_int(st, 12);
    s->located = sqlite3_column_type(st, 17) != SQLITE_NULL &&
                 sqlite3_column_type(st, 18) != SQLITE_NULL;
    s->lon = sqlite3_column_double(st, 17);
    s->lat = sqlite3_column_double(st, 18);
    s->code = strdup(col(st, 8));
    s->name = strdup(col(st, 9));
    s->town = strdup(col(st, 10));
    return s->code && s->name && s->town ? r->nschools - 1 : -1;
}

int zx_rotation_compute(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, zx_rotation **out)
{
    char sql[2048], bb[768];
    sqlite3_stmt *st = NULL;
    zx_rotation *r;
    zx_rotation_teacher *t;
    double years = zx_rules_value(rules, "years"),
           share = zx_rules_value(rules, "share"),
           bshare = zx_rules_value(rules, "backbone_share"),
           hq_strong = zx_rules_value(rules, "hq_strong");
    int rc = ZX_EDB, step, cap = 0, i, rural, sc;

    *out = NULL;
    if (isnan(years) || isnan(share) || isnan(bshare) || isnan(hq_strong))
        return ZX_EINVAL;
    if (!(r = calloc(1, sizeof(*r))))
        return ZX_ENOMEM;
    r->year = year;
    backbone_sql(bb, sizeof(bb), "t");
    snprintf(sql, sizeof(sql),
             "SELECT t.id, t.teacher_no, t.name, t.stage, t.subject, t.post,"
             "  t.since_year, u.id, u.code, u.name, coalesce(w.name, ''),"
             "  s.urban_rural, s.group_hq, %s,"
             "  EXISTS (SELECT 1 FROM rotation WHERE teacher_id = t.id"
             "    AND year = ?1),"
             "  EXISTS (SELECT 1 FROM rotation WHERE teacher_id = t.id"
             "    AND year < ?1 AND year > ?1 - ?3),"
             "  EXISTS (SELECT 1 FROM rotation_proposal WHERE teacher_id ="
             "    t.id AND year = ?1 AND status = 'proposed'),"
             "  s.lon, s.lat"
             " FROM teacher t JOIN school s ON s.unit_id = t.school_id"
             " JOIN org_unit u ON u.id = s.unit_id"
             " LEFT JOIN org_unit w ON w.id = u.parent_id AND w.kind = 'town'"
             " WHERE t.employment = ?2 AND ?1 - t.since_year >= ?3"
             " ORDER BY coalesce(w.code, ''), u.code, t.since_year,"
             "  t.teacher_no",
             bb);
    if (!(st = zx_db_prepare(db, sql)))
        goto fail;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int(st, 2, code_of("employment", "在编"));
    sqlite3_bind_double(st, 3, years);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rural = is_rural(plan, sqlite3_column_int(st, 11));
        if (rural && !(hq_strong != 0 && sqlite3_column_int(st, 12)))
            continue;
        rc = ZX_ENOMEM;
        if (!(t = zx_push((void **)&r->teachers, &r->nteachers, &cap,
                          sizeof(*t))) ||
            (sc = school_for(r, st, rural)) < 0 ||
            !(t->no = strdup(col(st, 1))) || !(t->name = strdup(col(st, 2))))
            goto fail;
        t->id = sqlite3_column_int64(st, 0);
        t->school = sc;
        t->stage = sqlite3_column_int(st, 3);
        t->subject = sqlite3_column_int(st, 4);
        t->post = sqlite3_column_int(st, 5);
        t->years = year - sqlite3_column_int(st, 6);
        t->backbone = sqlite3_column_int(st, 13);
        t->state = sqlite3_column_int(st, 14)   ? ZX_ROTATION_DONE
                   : sqlite3_column_int(st, 15) ? ZX_ROTATION_RECENT
                   : sqlite3_column_int(st, 16) ? ZX_ROTATION_PROPOSED
                                                : ZX_ROTATION_OPEN;
        rc = ZX_EDB;
    }
    if (step != SQLITE_DONE)
        goto fail;
    sqlite3_reset(st);
    for (i = 0; i < r->nteachers; i++) {
        zx_rotation_school *s = &r->schools[r->teachers[i].school];

        t = &r->teachers[i];
        s->eligible++;
        s->backbone += t->backbone;
        s->done += t->state == ZX_ROTATION_DONE;
        s->done_backbone += t->state == ZX_ROTATION_DONE && t->backbone;
        s->proposed += t->state == ZX_ROTATION_PROPOSED;
        s->proposed_backbone += t->state == ZX_ROTATION_PROPOSED &&
                                t->backbone;
    }
    for (i = 0; i < r->nschools; i++) {
        zx_rotation_school *s = &r->schools[i];

        s->quota = share_of(share, s->eligible);
        s->backbone_quota = share_of(bshare, s->quota);
        if (s->backbone_quota > s->backbone)
            s->backbone_quota = s->backbone;
        s->meets = s->done >= s->quota && s->done_backbone >= s->backbone_quota;
        r->eligible += s->eligible;
        r->backbone += s->backbone;
        r->quota += s->quota;
        r->backbone_quota += s->backbone_quota;
        r->done += s->done;
        r->done_backbone += s->done_backbone;
        r->proposed += s->proposed;
        r->meeting += s->meets;
    }
    *out = r;
    return ZX_OK;

fail:
    if (st)
        sqlite3_reset(st);
    zx_rotation_free(r);
    return rc;
}

json_t *zx_rotation_school_json(const zx_rotation *r, int i)
{
    const zx_rotation_school *s = &r->schools[i];

    return json_pack("{s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I,"
                     " s:I, s:I, s:I, s:b}",
                     "code", s->code, "name", s->name, "town", s->town,
                     "rural", s->rural, "hq", s->hq, "eligible",
                     (json_int_t)s->eligible, "backbone",
                     (json_int_t)s->backbone, "quota", (json_int_t)s->quota,
                     "backbone_quota", (json_int_t)s->backbone_quota,
                     "proposed", (json_int_t)s->proposed,
                     "proposed_backbone", (json_int_t)s->proposed_backbone,
                     "done", (json_int_t)s->done, "done_backbone",
                     (json_int_t)s->done_backbone, "meets", s->meets);
}

json_t *zx_rotation_teacher_json(const zx_rotation *r, int i)
{
    const zx_rotation_teacher *t = &r->teachers[i];
    const zx_rotation_school *s = &r->schools[t->school];
    const char *subj = zx_codes_name_of(zx_codes_get("subject"), t->subject);
    const char *stage = zx_codes_name_of(zx_codes_get("stage"), t->stage);

    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s}",
                     "no", t->no, "name", t->name, "school", s->code,
                     "school_name", s->name, "town", s->town, "stage",
                     stage ? stage : "", "subject", subj ? subj : "",
                     "years", t->years, "backbone", t->backbone, "state",
                     zx_rotation_state_title(t->state));
}

/* ---- the proposal ------------------------------------------------------ */

/* A rural school that may receive teachers. */
struct dest {
    long long id;
    char *code, *name;
    unsigned stages;           /* see stages_of */
    int located, taken;
    double lon, lat;
};

/* A subject a destination is short of, in staffing_subject. */
struct short_row {
    long long school;
    int subject;
    double lack;
};

struct proposer {
    zx_db *db;
    const zx_rotation *r;
    struct dest *dests;
    int ndests;
    struct short_row *shorts;
    int nshorts;
    double *km;                /* the source school's distance to each
                                  dest, INFINITY when unknown */
    double years;
    int dest_max;
};

static void proposer_free(struct proposer *p)
{
    int i;

    for (i = 0; i < p->ndests; i++) {
        free(p->dests[i].code);
        free(p->dests[i].name);
    }
    free(p->dests);
    free(p->shorts);
    free(p->km);
}

/* The stages (bit s for codes.c's stage s: 1 学前 .. 6 特教) a school of
 * type_code teaches, from the type families. */
static unsigned stages_of(int type_code)
{
    static const char *const fam[] = { NULL, "kindergarten", "primary",
                                       "junior", "senior", "vocational",
                                       "special" };
    const int *codes;
    unsigned bits = 0;
    int s, i, n;

    for (s = 1; s <= 6; s++)
        if ((codes = zx_codes_family(fam[s], &n)))
            for (i = 0; i < n; i++)
                if (codes[i] == type_code)
                    bits |= 1u << s;
    return bits;
}

static int by_school_subject(const void *a, const void *b)
{
    const struct short_row *x = a, *y = b;

    if (x->school != y->school)
        return x->school < y->school ? -1 : 1;
    return (x->subject > y->subject) - (x->subject < y->subject);
}

/* Reads the rural schools with what they already took in the year, and
 * the year's subject shortages. */
static int load_dests(struct proposer *p, const zx_plan *plan, int year)
{
    sqlite3_stmt *st;
    struct dest *d;
    struct short_row *sr;
    int step, cap = 0;

    st = zx_db_prepare(p->db,
        "SELECT s.unit_id, u.code, u.name, s.type_code, s.urban_rural,"
        "  s.lon, s.lat, (SELECT count(*) FROM rotation"
        "   WHERE to_school = s.unit_id AND year = ?1)"
        " FROM school s JOIN org_unit u ON u.id = s.unit_id"
        " ORDER BY u.code");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!is_rural(plan, sqlite3_column_int(st, 4)))
            continue;
        if (!(d = zx_push((void **)&p->dests, &p->ndests, &cap,
                          sizeof(*d)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
        d->id = sqlite3_column_int64(st, 0);
        d->stages = stages_of(sqlite3_column_int(st, 3));
        d->located = sqlite3_column_type(st, 5) != SQLITE_NULL &&
                     sqlite3_column_type(st, 6) != SQLITE_NULL;
        d->lon = sqlite3_column_double(st, 5);
        d->lat = sqlite3_column_double(st, 6);
        d->taken = sqlite3_column_int(st, 7);
        if (!(d->code = strdup(col(st, 1))) ||
            !(d->name = strdup(col(st, 2)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    st = zx_db_prepare(p->db, "SELECT school_id, subject, need - actual"
                              " FROM staffing_subject"
                              " WHERE year = ?1 AND need > actual");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(sr = zx_push((void **)&p->shorts, &p->nshorts, &cap,
                           sizeof(*sr)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
        sr->school = sqlite3_column_int64(st, 0);
        sr->subject = sqlite3_column_int(st, 1);
        sr->lack = sqlite3_column_double(st, 2);
    }
    sqlite3_reset(st);
    if (p->nshorts)
        qsort(p->shorts, (size_t)p->nshorts, sizeof(*p->shorts),
              by_school_subject);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* The shortage of school in subject still open, or NULL. */
static struct short_row *short_of(struct proposer *p, long long school,
                                  int subject)
{
    struct short_row key = { school, subject, 0 }, *r;

    if (!p->nshorts)
        return NULL;
    r = bsearch(&key, p->shorts, (size_t)p->nshorts, sizeof(key),
                by_school_subject);
    return r && r->lack > 0 ? r : NULL;
}

/* The destination for teacher t: one short of the subject first, then
 * the nearest (unlocated last, by code); -1 when none is open. */
static int pick_dest(struct proposer *p, const zx_rotation_teacher *t,
                     double *km)
{
    const zx_rotation_school *from = &p->r->schools[t->school];
    int i, best = -1, best_short = 0;
    double best_km = INFINITY, k;

    for (i = 0; i < p->ndests; i++) {
        const struct dest *d = &p->dests[i];
        int sh;

        if (d->id == from->id || d->taken >= p->dest_max ||
            t->stage < 0 || t->stage > 6 || !(d->stages & 1u << t->stage))
            continue;
        sh = short_of(p, d->id, t->subject) != NULL;
        k = p->km[i];
        /* dests are by code, so a tie keeps the lower code */
        if (best < 0 || sh > best_short || (sh == best_short && k < best_km)) {
            best = i;
            best_short = sh;
            best_km = k;
        }
    }
    *km = best_km;
    return best;
}

static int insert_proposal(struct proposer *p, sqlite3_stmt *ins,
                           const zx_rotation_teacher *t)
{
    const zx_rotation_school *from = &p->r->schools[t->school];
    const zx_codelist *subjects = zx_codes_get("subject");
    struct short_row *sh;
    struct dest *d;
    const char *kind, *subj;
    char reason[1024], dist[64], lack[160];
    double km;
    int di, leader;

    if ((di = pick_dest(p, t, &km)) < 0)
        return ZX_ENOTFOUND;
    d = &p->dests[di];
    sh = short_of(p, d->id, t->subject);
    subj = zx_codes_name_of(subjects, t->subject);
    leader = t->post == code_of("post", "校长") ||
             t->post == code_of("post", "副校长") ||
             t->post == code_of("post", "中层干部");
    kind = leader ? "挂职" : sh ? "支教" : "轮岗";
    if (isinf(km))
        snprintf(dist, sizeof(dist), "距离不详");
    else
        snprintf(dist, sizeof(dist), "相距 %.1f 公里", km);
    if (sh)
        snprintf(lack, sizeof(lack), "，该校%s教师缺 %g 人",
                 subj ? subj : "本学科", sh->lack);
    else
        lack[0] = 0;
    snprintf(reason, sizeof(reason),
             "在%s任教 %d 年（满 %g 年列入交流范围）%s；赴乡村学校%s（%s%s）%s%s",
             from->name, t->years, p->years,
             t->backbone ? "，县级及以上骨干教师或学科带头人，计入骨干比例"
                         : "",
             d->name, dist, lack, kind,
             leader ? "（学校领导）" : "");
    sqlite3_reset(ins);
    sqlite3_bind_int64(ins, 2, t->id);
    sqlite3_bind_int64(ins, 3, from->id);
    sqlite3_bind_int64(ins, 4, d->id);
    sqlite3_bind_text(ins, 5, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 6, t->backbone);
    sqlite3_bind_text(ins, 7, reason, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        sqlite3_reset(ins);
        return ZX_EDB;
    }
    sqlite3_reset(ins);
    d->taken++;
    if (sh)
        sh->lack -= 1;
    return ZX_OK;
}

/* Proposes school s's open quota from its teachers, r->teachers[first]
 * to [end - 1]: backbone teachers first, up to the backbone quota still
 * open, then everyone by years in school.  used marks who is taken. */
static int propose_school(struct proposer *p, sqlite3_stmt *ins, int s,
                          int first, int end, unsigned char *used, int *n)
{
    const zx_rotation *r = p->r;
    const zx_rotation_school *sc = &r->schools[s];
    long long need = sc->quota - sc->done,
              bneed = sc->backbone_quota - sc->done_backbone;
    int pass, i, rc;

    if (need <= 0)
        return ZX_OK;
    /* the distances once per school, not per teacher: a province has
     * thousands of rural schools */
    for (i = 0; i < p->ndests; i++)
        p->km[i] = sc->located && p->dests[i].located
                       ? zx_geo_km(sc->lon, sc->lat, p->dests[i].lon,
                                   p->dests[i].lat)
                       : INFINITY;
    for (pass = 0; pass < 2 && need > 0; pass++)
        for (i = first; i < end && need > 0; i++) {
            const zx_rotation_teacher *t = &r->teachers[i];

            if (used[i] ||
                (t->state != ZX_ROTATION_OPEN &&
                 t->state != ZX_ROTATION_PROPOSED) ||
                (pass == 0 && (!t->backbone || bneed <= 0)))
                continue;
            used[i] = 1;
            rc = insert_proposal(p, ins, t);
            if (rc == ZX_ENOTFOUND)
                continue;       /* no destination open for the stage */
            if (rc)
                return rc;
            need--;
            bneed -= t->backbone;
            (*n)++;
        }
    return ZX_OK;
}

int zx_rotation_propose(zx_db *db, const zx_plan *plan, int year,
                        const zx_rules *rules, const char *actor, int *n)
{
    struct proposer p;
    zx_rotation *r = NULL;
    sqlite3_stmt *st, *ins;
    json_t *old = NULL, *new_ = NULL;
    char key[16];
    long long before;
    unsigned char *used = NULL;
    int rc, i, first, end, count = 0;
    double dest_max = zx_rules_value(rules, "dest_max");

    memset(&p, 0, sizeof(p));
    if (n)
        *n = 0;
    if (isnan(dest_max))
        return ZX_EINVAL;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if ((rc = zx_rotation_compute(db, plan, year, rules, &r)))
        goto fail;
    p.db = db;
    p.r = r;
    p.years = zx_rules_value(rules, "years");
    p.dest_max = (int)dest_max;
    if ((rc = load_dests(&p, plan, year)))
        goto fail;
    rc = ZX_ENOMEM;
    if (p.ndests && !(p.km = calloc((size_t)p.ndests, sizeof(*p.km))))
        goto fail;
    rc = ZX_EDB;
    before = r->proposed;
    st = zx_db_prepare(db, "DELETE FROM rotation_proposal"
                           " WHERE year = ?1 AND status = 'proposed'");
    if (!st)
        goto fail;
    sqlite3_bind_int(st, 1, year);
    i = sqlite3_step(st);
    sqlite3_reset(st);
    if (i != SQLITE_DONE)
        goto fail;
    ins = zx_db_prepare(db, "INSERT INTO rotation_proposal(year, teacher_id,"
                            " from_school, to_school, kind, backbone, reason,"
                            " status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                            " 'proposed')");
    if (!ins)
        goto fail;
    sqlite3_bind_int(ins, 1, year);
    rc = ZX_ENOMEM;
    if (r->nteachers && !(used = calloc((size_t)r->nteachers, 1)))
        goto fail;
    /* teachers come school by school, in the schools' order */
    for (i = 0, first = 0; i < r->nschools; i++, first = end) {
        for (end = first; end < r->nteachers && r->teachers[end].school == i;
             end++)
            ;
        if ((rc = propose_school(&p, ins, i, first, end, used, &count)))
            goto fail;
    }
    rc = ZX_ENOMEM;
    if (!(old = json_pack("{s:I}", "proposed", (json_int_t)before)) ||
        !(new_ = json_pack("{s:i, s:I, s:I, s:o}", "proposed", count,
                           "eligible", (json_int_t)r->eligible, "quota",
                           (json_int_t)r->quota, "rules",
                           zx_rules_json(rules))))
        goto fail;
    snprintf(key, sizeof(key), "%d", year);
    if ((rc = zx_audit_append_json(db, actor, "propose", "rotation_proposal",
                                   key, old, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    if (n)
        *n = count;
    rc = ZX_OK;
    goto done;

fail:
    zx_db_rollback(db);
done:
    json_decref(old);
    json_decref(new_);
    free(used);
    proposer_free(&p);
    zx_rotation_free(r);
    return rc;
}

/* ---- listing, accepting, recording -------------------------------------- */

int zx_rotation_list(zx_db *db, int year,
                     int (*fn)(void *ctx, const zx_rotation_entry *e),
                     void *ctx)
{
    char sql[4096], bb[768];
    sqlite3_stmt *st;
    zx_rotation_entry e;
    int step, rc = ZX_OK;

    backbone_sql(bb, sizeof(bb), "t");
    snprintf(sql, sizeof(sql),
        "SELECT p.id, coalesce(r.id, 0), p.status, t.teacher_no, t.name,"
        "  f.code, f.name, d.code, d.name, coalesce(fw.name, ''),"
        "  coalesce(dw.name, ''), p.kind, p.reason, p.backbone,"
        "  fs.lon, fs.lat, ds.lon, ds.lat"
        " FROM rotation_proposal p JOIN teacher t ON t.id = p.teacher_id"
        " JOIN org_unit f ON f.id = p.from_school"
        " JOIN org_unit d ON d.id = p.to_school"
        " JOIN school fs ON fs.unit_id = p.from_school"
        " JOIN school ds ON ds.unit_id = p.to_school"
        " LEFT JOIN org_unit fw ON fw.id = f.parent_id AND fw.kind = 'town'"
        " LEFT JOIN org_unit dw ON dw.id = d.parent_id AND dw.kind = 'town'"
        " LEFT JOIN rotation r ON r.teacher_id = p.teacher_id"
        "  AND r.year = p.year AND p.status = 'accepted'"
        " WHERE p.year = ?1"
        " UNION ALL "
        "SELECT 0, r.id, 'recorded', t.teacher_no, t.name,"
        "  f.code, f.name, d.code, d.name, coalesce(fw.name, ''),"
        "  coalesce(dw.name, ''), r.kind, '', %s,"
        "  fs.lon, fs.lat, ds.lon, ds.lat"
        " FROM rotation r JOIN teacher t ON t.id = r.teacher_id"
        " JOIN org_unit f ON f.id = r.from_school"
        " JOIN org_unit d ON d.id = r.to_school"
        " JOIN school fs ON fs.unit_id = r.from_school"
        " JOIN school ds ON ds.unit_id = r.to_school"
        " LEFT JOIN org_unit fw ON fw.id = f.parent_id AND fw.kind = 'town'"
        " LEFT JOIN org_unit dw ON dw.id = d.parent_id AND dw.kind = 'town'"
        " WHERE r.year = ?1 AND NOT EXISTS (SELECT 1 FROM rotation_proposal q"
        "  WHERE q.year = r.year AND q.teacher_id = r.teacher_id"
        "  AND q.status = 'accepted')"
        " ORDER BY 6, 4",
        bb);
    if (!(st = zx_db_prepare(db, sql)))
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(st, 0);
        e.record_id = sqlite3_column_int64(st, 1);
        e.status = col(st, 2);
        e.teacher_no = col(st, 3);
        e.teacher_name = col(st, 4);
        e.from_code = col(st, 5);
        e.from_name = col(st, 6);
        e.to_code = col(st, 7);
        e.to_name = col(st, 8);
        e.from_town = col(st, 9);
        e.to_town = col(st, 10);
        e.kind = col(st, 11);
        e.reason = col(st, 12);
        e.backbone = sqlite3_column_int(st, 13);
        e.km = sqlite3_column_type(st, 14) == SQLITE_NULL ||
                       sqlite3_column_type(st, 15) == SQLITE_NULL ||
                       sqlite3_column_type(st, 16) == SQLITE_NULL ||
                       sqlite3_column_type(st, 17) == SQLITE_NULL
                   ? NAN
                   : zx_geo_km(sqlite3_column_double(st, 14),
                               sqlite3_column_double(st, 15),
                               sqlite3_column_double(st, 16),
                               sqlite3_column_double(st, 17));
        if ((rc = fn(ctx, &e)))
            break;
    }
    sqlite3_reset(st);
    if (rc)
        return rc;
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

json_t *zx_rotation_entry_json(const zx_rotation_entry *e)
{
    const char *st = strcmp(e->status, "proposed") == 0   ? "已提议"
                     : strcmp(e->status, "accepted") == 0 ? "已确认"
                                                          : "已记录";

    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
                     " s:s, s:s, s:s, s:b, s:o, s:s}",
                     "id", (json_int_t)e->id, "record_id",
                     (json_int_t)e->record_id, "status", e->status,
                     "status_title", st, "teacher_no", e->teacher_no,
                     "teacher_name", e->teacher_name, "from", e->from_code,
                     "from_name", e->from_name, "from_town", e->from_town,
                     "to", e->to_code, "to_name", e->to_name, "to_town",
                     e->to_town, "kind", e->kind, "backbone", e->backbone,
                     "km", isnan(e->km) ? json_null()
                                        : json_real(round(e->km * 10) / 10),
                     "reason", e->reason);
}

/* Accepts proposal id of year: ZX_ENOTFOUND unless it is open. */
static int accept_one(zx_db *db, int year, long long id)
{
    sqlite3_stmt *st;
    int step;

    st = zx_db_prepare(db, "INSERT INTO rotation(teacher_id, year,"
                           " from_school, to_school, kind)"
                           " SELECT teacher_id, year, from_school, to_school,"
                           " kind FROM rotation_proposal WHERE id = ?1"
                           " AND year = ?2 AND status = 'proposed'");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    if (sqlite3_changes(zx_db_sqlite(db)) != 1)
        return ZX_ENOTFOUND;
    st = zx_db_prepare(db, "UPDATE rotation_proposal SET status = 'accepted'"
                           " WHERE id = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_rotation_accept(zx_db *db, int year, const long long *ids, int n,
                       const char *actor, int *accepted)
{
    sqlite3_stmt *st;
    json_t *list = NULL, *new_ = NULL;
    long long *all = NULL, *p;
    int rc = ZX_EDB, i, cap = 0, step;
    char key[16];

    if (accepted)
        *accepted = 0;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if (n == 0) {
        st = zx_db_prepare(db, "SELECT id FROM rotation_proposal"
                               " WHERE year = ?1 AND status = 'proposed'"
                               " ORDER BY id");
        if (!st)
            goto fail;
        sqlite3_bind_int(st, 1, year);
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            if (!(p = zx_push((void **)&all, &n, &cap, sizeof(*p)))) {
                sqlite3_reset(st);
                rc = ZX_ENOMEM;
                goto fail;
            }
            *p = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
        if (step != SQLITE_DONE)
            goto fail;
        ids = all;
    }
    rc = ZX_ENOMEM;
    if (!(list = json_array()))
        goto fail;
    for (i = 0; i < n; i++) {
        if ((rc = accept_one(db, year, ids[i])))
            goto fail;
        if (json_array_append_new(list, json_integer(ids[i]))) {
            rc = ZX_ENOMEM;
            goto fail;
        }
    }
    if (!(new_ = json_pack("{s:i, s:O}", "accepted", n, "proposals", list))) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    snprintf(key, sizeof(key), "%d", year);
    if (n && (rc = zx_audit_append_json(db, actor, "accept", "rotation", key,
                                        NULL, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    if (accepted)
        *accepted = n;
    rc = ZX_OK;
    goto done;

fail:
    zx_db_rollback(db);
done:
    free(all);
    json_decref(list);
    json_decref(new_);
    return rc;
}

int zx_rotation_record(zx_db *db, int year, const char *teacher_no,
                       const char *to_code, const char *kind,
                       const char *actor)
{
    sqlite3_stmt *st;
    json_t *new_ = NULL;
    long long teacher, from, to;
    char key[32];
    int rc = ZX_EDB, step;

    if (strcmp(kind, "轮岗") && strcmp(kind, "支教") && strcmp(kind, "挂职"))
        return ZX_EINVAL;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    st = zx_db_prepare(db, "SELECT t.id, t.school_id, (SELECT s.unit_id"
                           " FROM school s JOIN org_unit u ON u.id = s.unit_id"
                           " WHERE u.code = ?2)"
                           " FROM teacher t WHERE t.teacher_no = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, teacher_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to_code, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    if (step != SQLITE_ROW || sqlite3_column_type(st, 2) == SQLITE_NULL) {
        sqlite3_reset(st);
        rc = step == SQLITE_ROW || step == SQLITE_DONE ? ZX_ENOTFOUND
                                                       : ZX_EDB;
        goto fail;
    }
    teacher = sqlite3_column_int64(st, 0);
    from = sqlite3_column_int64(st, 1);
    to = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    if (from == to) {
        rc = ZX_EINVAL;
        goto fail;
    }
    st = zx_db_prepare(db, "SELECT count(*) FROM rotation"
                           " WHERE teacher_id = ?1 AND year = ?2");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, teacher);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    rc = step != SQLITE_ROW ? ZX_EDB
         : sqlite3_column_int(st, 0) ? ZX_EEXIST : ZX_OK;
    sqlite3_reset(st);
    if (rc)
        goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "DELETE FROM rotation_proposal WHERE teacher_id ="
                           " ?1 AND year = ?2 AND status = 'proposed'");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, teacher);
    sqlite3_bind_int(st, 2, year);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    st = zx_db_prepare(db, "INSERT INTO rotation(teacher_id, year,"
                           " from_school, to_school, kind)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, teacher);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_text(st, 5, kind, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(db)));
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:s, s:i, s:I, s:s, s:s}", "teacher",
                           teacher_no, "year", year, "from", (json_int_t)from,
                           "to", to_code, "kind", kind)))
        goto fail;
    if ((rc = zx_audit_append_json(db, actor, "insert", "rotation", key, NULL,
                                   new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    json_decref(new_);
    return rc;
}
