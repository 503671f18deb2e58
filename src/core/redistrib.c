/*
 * redistrib.c - redistribution of surplus teachers (see redistrib.h):
 * the flow network, the instance read from staffing, the stored moves.
 *
 * The network, for N shortage units in all:
 *   S (supply N) -> T (demand N) directly at [unfilled_km] per unit: a
 *     shortage left open;
 *   S -> Q, capacity [quota.total] (or N): the year's quota;
 *   Q -> site, capacity min(its spare, [quota.school]);
 *   site -> offer (school x subject), capacity the offer's units;
 *   offer -> offer x stage, capacity the movable teachers of that stage;
 *   offer x stage -> need (school x subject), for each allowed move, at
 *     its distance plus [move_km];
 *   need -> T, capacity the need's units.
 * Every unit through an offer x stage node is one teacher of it, who
 * therefore moves once; the balanced flow is exact (zx_mcflow_solve).
 */
#include "redistrib.h"

#include "audit.h"
#include "codes.h"
#include "geo.h"
#include "mcflow.h"
#include "staffing.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define META_FORBIDDEN "redistribution.forbidden"

/* ---- the solver ------------------------------------------------------- */

static int64_t tenths(double km)
{
    return (int64_t)llround(km * 10);
}

int64_t zx_redistrib_move_cost(const zx_rules *r, double km)
{
    return tenths(km) + tenths(zx_rules_value(r, "move_km"));
}

int64_t zx_redistrib_unfilled_cost(const zx_rules *r)
{
    return tenths(zx_rules_value(r, "unfilled_km"));
}

double zx_redistrib_km(const zx_redistrib_site *a,
                       const zx_redistrib_site *b)
{
    if (isnan(a->lon) || isnan(a->lat) || isnan(b->lon) || isnan(b->lat))
        return 0;
    return zx_geo_km(a->lon, a->lat, b->lon, b->lat);
}

int zx_redistrib_stage_ok(const zx_rules *r, int stage,
                          const zx_redistrib_site *to, int *cross)
{
    *cross = 0;
    if (stage < 0 || stage > 7)
        return 0;
    if (to->stages & 1u << stage)
        return 1;
    /* primary (2) and junior (3) of the same subject only */
    if (zx_rules_value(r, "cross_stage") != 0 &&
        ((stage == 2 && (to->stages & 1u << 3)) ||
         (stage == 3 && (to->stages & 1u << 2)))) {
        *cross = 1;
        return 1;
    }
    return 0;
}

static int forbidden(const zx_redistrib_instance *in, int from, int to)
{
    int i;

    for (i = 0; i < in->nforbidden; i++)
        if (in->forbidden[2 * i] == from && in->forbidden[2 * i + 1] == to)
            return 1;
    return 0;
}

void zx_redistrib_solution_free(zx_redistrib_solution *s)
{
    if (!s)
        return;
    free(s->flows);
    memset(s, 0, sizeof(*s));
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* A need by subject, for finding an offer's needs without a scan. */
struct by_subject {
    int subject, need;
};

static int cmp_subject(const void *a, const void *b)
{
    const struct by_subject *x = a, *y = b;

    return x->subject != y->subject ? (x->subject > y->subject) -
                                          (x->subject < y->subject)
                                    : x->need - y->need;
}

/* Doubles the arrays of move arcs. */
static int grow(zx_redistrib_flow **arcs, int **ids, int *cap)
{
    int ncap = *cap ? *cap * 2 : 256;
    zx_redistrib_flow *a = realloc(*arcs, (size_t)ncap * sizeof(*a));
    int *b;

    if (!a)
        return -1;
    *arcs = a;
    if (!(b = realloc(*ids, (size_t)ncap * sizeof(*b))))
        return -1;
    *ids = b;
    *cap = ncap;
    return 0;
}

int zx_redistrib_solve(const zx_redistrib_instance *in, const zx_rules *r,
                       zx_redistrib_solution *out)
{
    zx_mcflow *g = NULL;
    zx_redistrib_flow *arcs = NULL;   /* per move arc, its description */
    int *arc_id = NULL, *need_node = NULL;
    struct by_subject *order = NULL;
    int64_t n = 0, cap, quota = (int64_t)zx_rules_value(r, "quota.total");
    int64_t per_school = (int64_t)zx_rules_value(r, "quota.school");
    double max_km = zx_rules_value(r, "max_km");
    int s_node, t_node, q_node, bypass, site0, k, j, st, narcs = 0;
    int cap_arcs = 0;
    int rc = ZX_ENOMEM, node, id;

    memset(out, 0, sizeof(*out));
    if (isnan(max_km))
        return ZX_EINVAL;
    for (j = 0; j < in->nneeds; j++)
        n += in->needs[j].units > 0 ? in->needs[j].units : 0;
    if (n == 0)
        return ZX_OK;
    if (!(g = zx_mcflow_new()) ||
        !(need_node = calloc((size_t)in->nneeds, sizeof(*need_node))) ||
        !(order = calloc((size_t)in->nneeds, sizeof(*order))))
        goto fail;
    for (j = 0; j < in->nneeds; j++) {
        order[j].subject = in->needs[j].subject;
        order[j].need = j;
    }
    qsort(order, (size_t)in->nneeds, sizeof(*order), cmp_subject);
    if ((rc = zx_mcflow_add_node(g, n, &s_node)) ||
        (rc = zx_mcflow_add_node(g, -n, &t_node)) ||
        (rc = zx_mcflow_add_node(g, 0, &q_node)) ||
        (rc = zx_mcflow_add_arc(g, s_node, t_node, n,
                                zx_redistrib_unfilled_cost(r), &bypass)) ||
        (rc = zx_mcflow_add_arc(g, s_node, q_node,
                                quota > 0 ? min64(quota, n) : n, 0, NULL)))
        goto fail;
    site0 = zx_mcflow_nodes(g);
    for (k = 0; k < in->nsites; k++) {
        cap = in->sites[k].spare > 0 ? in->sites[k].spare : 0;
        if (per_school > 0)
            cap = min64(cap, per_school);
        if ((rc = zx_mcflow_add_node(g, 0, NULL)) ||
            (rc = zx_mcflow_add_arc(g, q_node, site0 + k, cap, 0, NULL)))
            goto fail;
    }
    for (j = 0; j < in->nneeds; j++)
        if ((rc = zx_mcflow_add_node(g, 0, &need_node[j])) ||
            (rc = zx_mcflow_add_arc(g, need_node[j], t_node,
                                    in->needs[j].units > 0
                                        ? in->needs[j].units : 0,
                                    0, NULL)))
            goto fail;
    for (k = 0; k < in->noffers; k++) {
        const zx_redistrib_offer *o = &in->offers[k];
        int onode, first, k2;

        if (o->site < 0 || o->site >= in->nsites) {
            rc = ZX_EINVAL;
            goto fail;
        }
        if ((rc = zx_mcflow_add_node(g, 0, &onode)) ||
            (rc = zx_mcflow_add_arc(g, site0 + o->site, onode,
                                    o->units > 0 ? o->units : 0, 0, NULL)))
            goto fail;
        for (st = 0; st < 8; st++) {
            if (o->by_stage[st] <= 0)
                continue;
            if ((rc = zx_mcflow_add_node(g, 0, &node)) ||
                (rc = zx_mcflow_add_arc(g, onode, node, o->by_stage[st], 0,
                                        NULL)))
                goto fail;
            for (first = 0, k2 = in->nneeds; first < k2;) {
                int mid = (first + k2) / 2;

                if (order[mid].subject < o->subject)
                    first = mid + 1;
                else
                    k2 = mid;
            }
            for (; first < in->nneeds && order[first].subject == o->subject;
                 first++) {
                const zx_redistrib_need *d;
                zx_redistrib_flow *a;
                double km;

                j = order[first].need;
                d = &in->needs[j];

                if (narcs == cap_arcs && grow(&arcs, &arc_id, &cap_arcs)) {
                    rc = ZX_ENOMEM;
                    goto fail;
                }
                a = &arcs[narcs];
                memset(a, 0, sizeof(*a));
                if (d->subject != o->subject || d->site == o->site ||
                    d->units <= 0 || d->site < 0 || d->site >= in->nsites ||
                    forbidden(in, o->site, d->site) ||
                    !zx_redistrib_stage_ok(r, st, &in->sites[d->site],
                                           &a->cross))
                    continue;
                km = zx_redistrib_km(&in->sites[o->site],
                                     &in->sites[d->site]);
                if (max_km > 0 && km > max_km)
                    continue;
                a->offer = k;
                a->stage = st;
                a->need = j;
                a->km = km;
                if ((rc = zx_mcflow_add_arc(g, node, need_node[j],
                                            min64(o->by_stage[st], d->units),
                                            zx_redistrib_move_cost(r, km),
                                            &id)))
                    goto fail;
                arc_id[narcs++] = id;
            }
        }
    }
    if ((rc = zx_mcflow_solve(g, &out->cost)))
        goto fail;
    out->unfilled = (int)zx_mcflow_flow(g, bypass);
    for (k = 0; k < narcs; k++) {
        int64_t f = zx_mcflow_flow(g, arc_id[k]);

        if (f <= 0)
            continue;
        arcs[k].count = (int)f;
        arcs[out->nflows++] = arcs[k];
        out->moves += (int)f;
        out->km += (double)f * arcs[k].km;
    }
    out->flows = arcs;
    arcs = NULL;
    rc = ZX_OK;

fail:
    zx_mcflow_free(g);
    free(arcs);
    free(arc_id);
    free(need_node);
    free(order);
    if (rc)
        zx_redistrib_solution_free(out);
    return rc;
}

/* ---- the instance from the database ------------------------------------ */

/* The stage bits of a school type (codes.c families -> stage codes). */
static unsigned type_stages(int type_code)
{
    static const char *const fam[] = { "kindergarten", "primary", "junior",
                                       "senior", "vocational", "special" };
    unsigned bits = 0;
    int f, i, n;

    for (f = 0; f < 6; f++) {
        const int *codes = zx_codes_family(fam[f], &n);

        for (i = 0; codes && i < n; i++)
            if (codes[i] == type_code)
                bits |= 1u << (f + 1);
    }
    return bits;
}

static const char *subject_name(int code)
{
    const char *n = zx_codes_name_of(zx_codes_get("subject"), code);

    return n ? n : "";
}

static const char *stage_name(int code)
{
    const char *n = zx_codes_name_of(zx_codes_get("stage"), code);

    return n ? n : "";
}

/* An accepted move of the year: its teacher is out of the proposal and
 * uses up a unit of its school's surplus and of its target's shortage. */
struct kept {
    long long teacher, from, to;
    int subject, stage;
};

/* What propose keeps beside the instance: where each offer and need
 * came from, and the year's accepted moves (read once: the proposal
 * looks them up for every school and subject). */
struct build {
    const zx_staffing *s;
    zx_redistrib_site *sites;
    zx_redistrib_offer *offers;
    zx_redistrib_need *needs;
    const zx_staffing_subject **osub, **nsub;
    int *forbidden;
    struct kept *kept;               /* by teacher id */
    int noffers, nneeds, nforbidden, nkept;
};

static void build_free(struct build *b)
{
    free(b->sites);
    free(b->offers);
    free(b->needs);
    free(b->osub);
    free(b->nsub);
    free(b->forbidden);
    free(b->kept);
}

static int load_kept(zx_db *db, int year, struct build *b)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT r.teacher_id, r.from_school, r.to_school, r.subject,"
        "  t.stage FROM redistribution r JOIN teacher t"
        " ON t.id = r.teacher_id WHERE r.year = ?1"
        " AND r.status = 'accepted' ORDER BY r.teacher_id");
    int step, cap = 0;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct kept *k;

        if (!(k = zx_push((void **)&b->kept, &b->nkept, &cap, sizeof(*k)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
        k->teacher = sqlite3_column_int64(st, 0);
        k->from = sqlite3_column_int64(st, 1);
        k->to = sqlite3_column_int64(st, 2);
        k->subject = sqlite3_column_int(st, 3);
        k->stage = sqlite3_column_int(st, 4);
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* Accepted moves of the year from (or, from 0, to) a school in a
 * subject (any when subject < 0); by_stage (may be NULL) counts them by
 * stage. */
static int kept_count(const struct build *b, long long school, int subject,
                      int from, int by_stage[8])
{
    int i, n = 0;

    for (i = 0; i < b->nkept; i++) {
        const struct kept *k = &b->kept[i];

        if ((subject >= 0 && k->subject != subject) ||
            (from ? k->from : k->to) != school)
            continue;
        n++;
        if (by_stage && k->stage >= 0 && k->stage < 8)
            by_stage[k->stage]++;
    }
    return n;
}

static int is_kept(const struct build *b, long long teacher)
{
    int lo = 0, hi = b->nkept - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;

        if (b->kept[mid].teacher == teacher)
            return 1;
        if (b->kept[mid].teacher < teacher)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

/* The movable (在编, no accepted move of the year) teachers of a school
 * and subject by stage into o->by_stage. */
static int movable(zx_db *db, const struct build *b, long long school,
                   zx_redistrib_offer *o)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT stage, count(*) FROM teacher WHERE school_id = ?1"
        " AND subject = ?2 AND employment = 1 GROUP BY stage");
    int step, gone[8] = { 0 }, i;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, school);
    sqlite3_bind_int(st, 2, o->subject);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int stage = sqlite3_column_int(st, 0);

        if (stage >= 0 && stage < 8)
            o->by_stage[stage] = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return ZX_EDB;
    kept_count(b, school, o->subject, 1, gone);
    for (i = 0; i < 8; i++)
        o->by_stage[i] = o->by_stage[i] > gone[i] ? o->by_stage[i] - gone[i]
                                                  : 0;
    return ZX_OK;
}

static int site_of(const zx_staffing *s, const char *code)
{
    int i;

    for (i = 0; i < s->nschools; i++)
        if (strcmp(s->schools[i].code, code) == 0)
            return i;
    return -1;
}

/* The office's forbidden pairs as site indices; pairs naming a school
 * without enrolment this year are left out. */
static int load_forbidden(zx_db *db, struct build *b)
{
    char *text = zx_db_meta_get(db, META_FORBIDDEN);
    json_t *j, *p;
    size_t i;

    if (!text)
        return ZX_OK;
    j = json_loads(text, 0, NULL);
    free(text);
    if (!j)
        return ZX_OK;
    if (json_array_size(j) &&
        !(b->forbidden = calloc(2 * json_array_size(j), sizeof(int)))) {
        json_decref(j);
        return ZX_ENOMEM;
    }
    json_array_foreach(j, i, p) {
        const char *f = json_string_value(json_array_get(p, 0));
        const char *t = json_string_value(json_array_get(p, 1));
        int a = f ? site_of(b->s, f) : -1, c = t ? site_of(b->s, t) : -1;

        if (a >= 0 && c >= 0) {
            b->forbidden[2 * b->nforbidden] = a;
            b->forbidden[2 * b->nforbidden + 1] = c;
            b->nforbidden++;
        }
    }
    json_decref(j);
    return ZX_OK;
}

static int build_instance(zx_db *db, const zx_staffing *s,
                          const zx_rules *r, struct build *b)
{
    int serious_only = zx_rules_value(r, "serious_only") != 0;
    int i, k, n = 0, rc, used;

    memset(b, 0, sizeof(*b));
    b->s = s;
    if ((rc = load_kept(db, s->year, b)))
        return rc;
    for (i = 0; i < s->nschools; i++)
        n += s->schools[i].nsubjects;
    if (!(b->sites = calloc((size_t)s->nschools + 1, sizeof(*b->sites))) ||
        !(b->offers = calloc((size_t)n + 1, sizeof(*b->offers))) ||
        !(b->needs = calloc((size_t)n + 1, sizeof(*b->needs))) ||
        !(b->osub = calloc((size_t)n + 1, sizeof(*b->osub))) ||
        !(b->nsub = calloc((size_t)n + 1, sizeof(*b->nsub))))
        return ZX_ENOMEM;
    for (i = 0; i < s->nschools; i++) {
        const zx_staffing_school *sc = &s->schools[i];
        zx_redistrib_site *site = &b->sites[i];
        int gives = sc->status == ZX_STAFFING_OVER &&
                    (!serious_only || sc->serious);

        site->lon = sc->lon;
        site->lat = sc->lat;
        site->stages = type_stages(sc->type_code);
        site->spare = gives ? (int)floor(sc->diff) -
                                  kept_count(b, sc->id, -1, 1, NULL)
                            : 0;
        for (k = 0; k < sc->nsubjects; k++) {
            const zx_staffing_subject *x = &sc->subjects[k];

            if (gives && x->diff >= 1) {
                zx_redistrib_offer *o = &b->offers[b->noffers];

                memset(o, 0, sizeof(*o));
                used = kept_count(b, sc->id, x->subject, 1, NULL);
                o->site = i;
                o->subject = x->subject;
                o->units = (int)floor(x->diff) - used;
                if ((rc = movable(db, b, sc->id, o)))
                    return rc;
                if (o->units > 0)
                    b->osub[b->noffers++] = x;
            } else if (x->diff < 0) {
                zx_redistrib_need *d = &b->needs[b->nneeds];

                used = kept_count(b, sc->id, x->subject, 0, NULL);
                d->site = i;
                d->subject = x->subject;
                d->units = (int)floor(-x->diff + 0.5) - used;
                if (d->units > 0)
                    b->nsub[b->nneeds++] = x;
            }
        }
    }
    return load_forbidden(db, b);
}

/* ---- proposing --------------------------------------------------------- */

static int exec_year(zx_db *db, const char *sql, int year)
{
    sqlite3_stmt *st = zx_db_prepare(db, sql);
    int step;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* Writes the count teachers of flow f, the next in the documented order
 * after skip of them, as proposed moves. */
static int write_flow(zx_db *db, const struct build *b,
                      const zx_redistrib_flow *f, int skip)
{
    const zx_redistrib_offer *o = &b->offers[f->offer];
    const zx_redistrib_need *d = &b->needs[f->need];
    const zx_staffing_school *from = &b->s->schools[o->site];
    const zx_staffing_school *to = &b->s->schools[d->site];
    sqlite3_stmt *st, *ins;
    char reason[512], cross[128] = "";
    long long *ids;
    int i, n = 0, step, rc = ZX_EDB;

    st = zx_db_prepare(db,
        "SELECT id FROM teacher WHERE school_id = ?1 AND subject = ?2"
        " AND stage = ?3 AND employment = 1"
        " ORDER BY since_year DESC, birth DESC, teacher_no");
    if (!st)
        return ZX_EDB;
    if (!(ids = calloc((size_t)f->count, sizeof(*ids))))
        return ZX_ENOMEM;
    sqlite3_bind_int64(st, 1, from->id);
    sqlite3_bind_int(st, 2, o->subject);
    sqlite3_bind_int(st, 3, f->stage);
    while (n < f->count && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);

        if (is_kept(b, id))
            continue;
        if (skip > 0)
            skip--;
        else
            ids[n++] = id;
    }
    sqlite3_reset(st);
    if (n < f->count)
        goto fail;
    if (f->cross)
        snprintf(cross, sizeof(cross), "（跨学段：%s→%s）",
                 stage_name(f->stage), stage_name(f->stage == 2 ? 3 : 2));
    snprintf(reason, sizeof(reason),
             "%s学校 %s %s超 %g 人 → %s %s缺 %g 人，距离 %.1f km%s",
             from->serious ? "超编比较严重" : "超编", from->name,
             subject_name(o->subject), b->osub[f->offer]->diff, to->name,
             subject_name(d->subject), -b->nsub[f->need]->diff, f->km,
             cross);
    ins = zx_db_prepare(db, "INSERT INTO redistribution(year, teacher_id,"
                            " from_school, to_school, subject, cross_stage,"
                            " distance_km, reason, status)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                            " 'proposed')");
    if (!ins)
        goto fail;
    for (i = 0; i < n; i++) {
        sqlite3_bind_int(ins, 1, b->s->year);
        sqlite3_bind_int64(ins, 2, ids[i]);
        sqlite3_bind_int64(ins, 3, from->id);
        sqlite3_bind_int64(ins, 4, to->id);
        sqlite3_bind_int(ins, 5, o->subject);
        sqlite3_bind_int(ins, 6, f->cross);
        sqlite3_bind_double(ins, 7, round(f->km * 10) / 10);
        sqlite3_bind_text(ins, 8, reason, -1, SQLITE_STATIC);
        step = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (step != SQLITE_DONE)
            goto fail;
    }
    rc = ZX_OK;

fail:
    free(ids);
    return rc;
}

int zx_redistrib_propose(zx_db *db, const zx_plan *plan, int year,
                         const char *actor, zx_redistrib_outcome *out)
{
    zx_rules *rules = NULL, *cur = NULL, *r = NULL;
    zx_staffing *s = NULL;
    zx_redistrib_instance in;
    zx_redistrib_solution sol;
    struct build b;
    json_t *new_ = NULL;
    char key[16];
    int rc, i, skip = 0, began = 0;

    memset(out, 0, sizeof(*out));
    memset(&sol, 0, sizeof(sol));
    memset(&b, 0, sizeof(b));
    if ((rc = zx_staffing_rules(db, year, &rules, &cur)) ||
        (rc = zx_rules_load(db, "redistribution", year, &r)) ||
        (rc = zx_staffing_compute(db, plan, year, rules, cur, &s)))
        goto fail;
    if (zx_db_begin(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    began = 1;
    if ((rc = build_instance(db, s, r, &b)))
        goto fail;
    memset(&in, 0, sizeof(in));
    in.sites = b.sites;
    in.nsites = s->nschools;
    in.offers = b.offers;
    in.noffers = b.noffers;
    in.needs = b.needs;
    in.nneeds = b.nneeds;
    in.forbidden = b.forbidden;
    in.nforbidden = b.nforbidden;
    if ((rc = zx_redistrib_solve(&in, r, &sol)))
        goto fail;
    if ((rc = exec_year(db, "DELETE FROM redistribution WHERE year = ?1"
                            " AND status = 'proposed'", year)))
        goto fail;
    for (i = 0; i < sol.nflows; i++) {
        /* flows come by offer and stage: skip counts the teachers of the
         * same offer and stage already written */
        if (i > 0 && (sol.flows[i - 1].offer != sol.flows[i].offer ||
                      sol.flows[i - 1].stage != sol.flows[i].stage))
            skip = 0;
        if ((rc = write_flow(db, &b, &sol.flows[i], skip)))
            goto fail;
        skip += sol.flows[i].count;
    }
    out->moves = sol.moves;
    out->unfilled = sol.unfilled;
    out->km = round(sol.km * 10) / 10;
    snprintf(key, sizeof(key), "%d", year);
    out->kept = (int)zx_db_int(db, "SELECT count(*) FROM redistribution"
                                   " WHERE status = 'accepted' AND year = "
                                   "CAST(?1 AS INTEGER)", key, 0);
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:i, s:i, s:i, s:f, s:I, s:o}", "proposed",
                           out->moves, "kept", out->kept, "unfilled",
                           out->unfilled, "km", out->km, "cost",
                           (json_int_t)sol.cost, "rules", zx_rules_json(r))))
        goto fail;
    if ((rc = zx_audit_append_json(db, actor, "propose", "redistribution",
                                   key, NULL, new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    began = 0;

fail:
    if (began)
        zx_db_rollback(db);
    json_decref(new_);
    zx_redistrib_solution_free(&sol);
    build_free(&b);
    zx_staffing_free(s);
    zx_rules_free(rules);
    zx_rules_free(cur);
    zx_rules_free(r);
    return rc;
}

/* ---- listing, accepting, forbidding -------------------------------------- */

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

int zx_redistrib_list(zx_db *db, int year,
                      int (*fn)(void *ctx, const zx_redistrib_move *m),
                      void *ctx)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT r.id, r.year, t.teacher_no, t.name, fu.code, fu.name,"
        "  coalesce(ft.name, ''), tu.code, tu.name, coalesce(tt.name, ''),"
        "  r.subject, t.stage, r.cross_stage, r.distance_km, r.reason,"
        "  r.status"
        " FROM redistribution r JOIN teacher t ON t.id = r.teacher_id"
        " JOIN org_unit fu ON fu.id = r.from_school"
        " LEFT JOIN org_unit ft ON ft.id = fu.parent_id AND ft.kind = 'town'"
        " JOIN org_unit tu ON tu.id = r.to_school"
        " LEFT JOIN org_unit tt ON tt.id = tu.parent_id AND tt.kind = 'town'"
        " WHERE r.year = ?1"
        " ORDER BY r.status = 'proposed', fu.code, t.teacher_no");
    zx_redistrib_move m;
    int step, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        m.id = sqlite3_column_int64(st, 0);
        m.year = sqlite3_column_int(st, 1);
        m.teacher_no = col(st, 2);
        m.teacher = col(st, 3);
        m.from_code = col(st, 4);
        m.from_name = col(st, 5);
        m.from_town = col(st, 6);
        m.to_code = col(st, 7);
        m.to_name = col(st, 8);
        m.to_town = col(st, 9);
        m.subject = sqlite3_column_int(st, 10);
        m.stage = sqlite3_column_int(st, 11);
        m.cross_stage = sqlite3_column_int(st, 12);
        m.km = sqlite3_column_type(st, 13) == SQLITE_NULL
                   ? NAN : sqlite3_column_double(st, 13);
        m.reason = col(st, 14);
        m.status = col(st, 15);
        if ((rc = fn(ctx, &m)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_reset(st);
    return rc;
}

int zx_redistrib_accept(zx_db *db, int year, const long long *ids, int n,
                        const char *actor, int *done)
{
    sqlite3_stmt *st;
    json_t *list = NULL, *new_ = NULL;
    char key[16];
    int i, rc = ZX_EDB, ch;

    *done = 0;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    if (!(list = json_array())) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    if (n == 0) {
        st = zx_db_prepare(db, "UPDATE redistribution SET status = 'accepted'"
                               " WHERE year = ?1 AND status = 'proposed'"
                               " RETURNING id");
        if (!st)
            goto fail;
        sqlite3_bind_int(st, 1, year);
        while ((ch = sqlite3_step(st)) == SQLITE_ROW) {
            if (json_array_append_new(list, json_integer(
                                                sqlite3_column_int64(st, 0))))
                ch = SQLITE_NOMEM;
            (*done)++;
        }
        sqlite3_reset(st);
        if (ch != SQLITE_DONE)
            goto fail;
    }
    for (i = 0; i < n; i++) {
        st = zx_db_prepare(db, "UPDATE redistribution SET status = 'accepted'"
                               " WHERE id = ?1 AND year = ?2"
                               " AND status = 'proposed'");
        if (!st)
            goto fail;
        sqlite3_bind_int64(st, 1, ids[i]);
        sqlite3_bind_int(st, 2, year);
        ch = sqlite3_step(st);
        sqlite3_reset(st);
        if (ch != SQLITE_DONE)
            goto fail;
        if (sqlite3_changes(zx_db_sqlite(db)) != 1) {
            rc = ZX_ENOTFOUND;
            goto fail;
        }
        if (json_array_append_new(list, json_integer(ids[i]))) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        (*done)++;
    }
    rc = ZX_ENOMEM;
    if (!(new_ = json_pack("{s:O, s:s}", "accepted", list, "note",
                           "确认调配不改变教师名册，调动由办公室另行办理")))
        goto fail;
    snprintf(key, sizeof(key), "%d", year);
    if (*done && (rc = zx_audit_append_json(db, actor, "accept",
                                            "redistribution", key, NULL,
                                            new_)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    json_decref(list);
    json_decref(new_);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    *done = 0;
    json_decref(list);
    json_decref(new_);
    return rc;
}

int zx_redistrib_forbid(zx_db *db, const char *from, const char *to,
                        int remove, const char *actor)
{
    char *was = NULL, *text = NULL;
    json_t *list = NULL, *p, *old = NULL;
    size_t i;
    int rc = ZX_ENOTFOUND, found = -1;

    if (zx_db_int(db, "SELECT count(*) FROM school s JOIN org_unit u"
                      " ON u.id = s.unit_id WHERE u.code = ?1", from, 0) != 1 ||
        zx_db_int(db, "SELECT count(*) FROM school s JOIN org_unit u"
                      " ON u.id = s.unit_id WHERE u.code = ?1", to, 0) != 1)
        return ZX_ENOTFOUND;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    was = zx_db_meta_get(db, META_FORBIDDEN);
    list = was ? json_loads(was, 0, NULL) : NULL;
    if (!json_is_array(list)) {
        json_decref(list);
        list = json_array();
    }
    rc = ZX_ENOMEM;
    if (!list || !(old = json_deep_copy(list)))
        goto fail;
    json_array_foreach(list, i, p) {
        const char *f = json_string_value(json_array_get(p, 0));
        const char *t = json_string_value(json_array_get(p, 1));

        if (f && t && strcmp(f, from) == 0 && strcmp(t, to) == 0)
            found = (int)i;
    }
    if (remove && found >= 0)
        json_array_remove(list, (size_t)found);
    else if (!remove && found < 0 &&
             json_array_append_new(list, json_pack("[s, s]", from, to)))
        goto fail;
    if (!(text = json_dumps(list, JSON_COMPACT)))
        goto fail;
    if ((rc = zx_db_meta_set(db, META_FORBIDDEN, text)) ||
        (rc = zx_audit_append_json(db, actor, was ? "update" : "insert",
                                   "meta", META_FORBIDDEN, old, list)))
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    rc = ZX_OK;
    goto done;

fail:
    zx_db_rollback(db);
done:
    free(was);
    free(text);
    json_decref(list);
    json_decref(old);
    return rc;
}
