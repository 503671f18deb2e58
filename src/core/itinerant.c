/*
 * itinerant.c - the itinerant-teaching week: assignment by min-cost flow,
 * a per-teacher cut to what fits five days, and the day layout (see
 * itinerant.h for the rules).  The pool, loading, saving and the
 * listings are in itinstore.c, the workbook in itinxlsx.c.
 */
#include "itinerant.h"

#include "geo.h"
#include "mcflow.h"
#include "zx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NDAYS ZX_ITINERANT_DAYS

int zx_itinerant_limits_of(const zx_rules *r, zx_itinerant_limits *out)
{
    double v = zx_rules_value(r, "load.week");

    if (isnan(v))
        return ZX_EINVAL;
    out->max_travel_min = zx_rules_value(r, "travel.max_min");
    out->speed_kmh = zx_rules_value(r, "travel.speed_kmh");
    out->load_week = (int)floor(v + 1e-9);
    out->load_day = (int)floor(zx_rules_value(r, "load.day") + 1e-9);
    out->max_schools = (int)floor(zx_rules_value(r, "schools.max") + 1e-9);
    out->per_school = (int)floor(zx_rules_value(r, "pool.per_school") + 1e-9);
    return ZX_OK;
}

const char *zx_itinerant_day_name(int day)
{
    static const char *const names[NDAYS] = {
        "星期一", "星期二", "星期三", "星期四", "星期五"
    };

    return day >= 1 && day <= NDAYS ? names[day - 1] : "";
}

static void clear_solution(zx_itinerant *it)
{
    int i;

    free(it->visits);
    free(it->slots);
    it->visits = NULL;
    it->slots = NULL;
    it->nvisits = it->nslots = 0;
    it->covered = it->travel_min = 0;
    it->cut = it->rounds = 0;
    for (i = 0; i < it->nteachers; i++)
        it->teachers[i].hours = 0;
    for (i = 0; i < it->nneeds; i++)
        it->needs[i].covered = 0;
}

void zx_itinerant_free(zx_itinerant *it)
{
    int i;

    if (!it)
        return;
    for (i = 0; i < it->nteachers; i++) {
        free(it->teachers[i].no);
        free(it->teachers[i].name);
        free(it->teachers[i].school_code);
        free(it->teachers[i].school_name);
    }
    for (i = 0; i < it->nneeds; i++) {
        free(it->needs[i].code);
        free(it->needs[i].name);
        free(it->needs[i].town);
    }
    free(it->teachers);
    free(it->needs);
    free(it->visits);
    free(it->slots);
    free(it);
}

/* ---- solving ---------------------------------------------------------- */

/* One-way minutes from teacher t's school to need n's, or -1 when the
 * pair is not allowed (other subject, own school, no coordinates, beyond
 * the limit). */
static double travel(const zx_itinerant_teacher *t,
                     const zx_itinerant_need *n,
                     const zx_itinerant_limits *lim)
{
    double min;

    if (t->subject != n->subject || t->school_id == n->school_id ||
        !t->has_lonlat || !n->has_lonlat)
        return -1;
    min = zx_geo_km(t->lon, t->lat, n->lon, n->lat) / lim->speed_kmh * 60;
    return min <= lim->max_travel_min + 1e-9 ? min : -1;
}

static int days_for(int hours, int per_day)
{
    return (hours + per_day - 1) / per_day;
}

/* A teacher's kept visits while solving: at most one per day. */
typedef struct kept {
    int need[NDAYS], hours[NDAYS], n;
} kept;

typedef struct cand {
    int need, hours;
    double travel;
} cand;

/* The best of a DP state: most lessons, then least lesson-weighted
 * travel, then fewest days. */
typedef struct best {
    int lessons, days, ok;
    double cost;
} best;

static int better(const best *a, const best *b)
{
    if (!b->ok)
        return a->ok;
    if (!a->ok)
        return 0;
    if (a->lessons != b->lessons)
        return a->lessons > b->lessons;
    if (fabs(a->cost - b->cost) > 1e-9)
        return a->cost < b->cost;
    return a->days < b->days;
}

/*
 * Cuts a teacher's candidate visits c[0..k) to a week: chooses days d per
 * visit (sum <= 5, at most max_schools visits with d > 0) keeping
 * min(hours, d x load_day) lessons, exactly, by a DP over the visits with
 * state (days used, schools used).  Writes the kept visits to *out and
 * returns the lessons kept, or -1 when memory is short.
 */
static int cut_week(const cand *c, int k, const zx_itinerant_limits *lim,
                    kept *out)
{
    enum { S = NDAYS + 1 };
    best cur[S][S], nxt[S][S];
    signed char *choice = calloc((size_t)(k ? k : 1) * S * S, 1);
    int i, d, s, dd, bd = 0, bs = 0, maxs = lim->max_schools < NDAYS
                                              ? lim->max_schools : NDAYS;

    if (!choice)
        return -1;
    memset(cur, 0, sizeof(cur));
    cur[0][0].ok = 1;
    for (i = 0; i < k; i++) {
        int need_days = days_for(c[i].hours, lim->load_day);

        memset(nxt, 0, sizeof(nxt));
        for (d = 0; d < S; d++)
            for (s = 0; s <= maxs; s++) {
                if (!cur[d][s].ok)
                    continue;
                for (dd = 0; dd <= need_days && d + dd < S; dd++) {
                    int ns = s + (dd > 0);
                    int got = dd * lim->load_day < c[i].hours
                                  ? dd * lim->load_day : c[i].hours;
                    best b = cur[d][s];

                    if (ns > maxs)
                        break;
                    b.lessons += got;
                    b.cost += got * c[i].travel;
                    b.days += dd;
                    if (better(&b, &nxt[d + dd][ns])) {
                        nxt[d + dd][ns] = b;
                        choice[((size_t)i * S + (size_t)(d + dd)) * S +
                               (size_t)ns] = (signed char)dd;
                    }
                }
            }
        memcpy(cur, nxt, sizeof(cur));
    }
    for (d = 0; d < S; d++)
        for (s = 0; s <= maxs; s++)
            if (better(&cur[d][s], &cur[bd][bs]))
                bd = d, bs = s;
    out->n = 0;
    for (i = k - 1; i >= 0; i--) {
        dd = choice[((size_t)i * S + (size_t)bd) * S + (size_t)bs];
        if (dd > 0) {
            out->need[out->n] = c[i].need;
            out->hours[out->n] = dd * lim->load_day < c[i].hours
                                     ? dd * lim->load_day : c[i].hours;
            out->n++;
            bs--;
        }
        bd -= dd;
    }
    free(choice);
    for (i = 0, d = 0; i < out->n; i++)
        d += out->hours[i];
    return d;
}

static int kept_days(const kept *kp, int per_day)
{
    int i, d = 0;

    for (i = 0; i < kp->n; i++)
        d += days_for(kp->hours[i], per_day);
    return d;
}

static int kept_hours(const kept *kp)
{
    int i, h = 0;

    for (i = 0; i < kp->n; i++)
        h += kp->hours[i];
    return h;
}

/* Arc of one round: teacher t may take more of need n. */
typedef struct arc {
    int teacher, need, id;
} arc;

/*
 * One round: offers what is left of every need to what is left of every
 * teacher as a max-flow-first min-cost flow, then cuts each teacher's
 * week.  *gain gets the lessons added overall (never negative: the old
 * visits are candidates of the cut at no fewer lessons).
 */
static int round_once(zx_itinerant *it, const zx_itinerant_limits *lim,
                      kept *wk, const int *demand, int *gain)
{
    zx_mcflow *g = zx_mcflow_new();
    int *rem = calloc((size_t)it->nneeds + 1, sizeof(int));
    int *tnode = calloc((size_t)it->nteachers + 1, sizeof(int));
    int *nnode = calloc((size_t)it->nneeds + 1, sizeof(int));
    arc *arcs = NULL;
    cand *c = NULL;
    int narcs = 0, cap = 0, i, j, a, rc = ZX_ENOMEM;
    int64_t flow = 0;

    *gain = 0;
    if (!g || !rem || !tnode || !nnode)
        goto done;
    for (j = 0; j < it->nneeds; j++)
        rem[j] = demand[j];
    for (i = 0; i < it->nteachers; i++)
        for (a = 0; a < wk[i].n; a++)
            rem[wk[i].need[a]] -= wk[i].hours[a];
    for (i = 0; i < it->nteachers; i++) {
        int left = it->teachers[i].max_hours - kept_hours(&wk[i]);

        tnode[i] = -1;
        if (left > 0 && zx_mcflow_add_node(g, left, &tnode[i]))
            goto done;
    }
    for (j = 0; j < it->nneeds; j++) {
        nnode[j] = -1;
        if (rem[j] > 0 && zx_mcflow_add_node(g, -rem[j], &nnode[j]))
            goto done;
    }
    for (i = 0; i < it->nteachers; i++) {
        int free_days = NDAYS - kept_days(&wk[i], lim->load_day);

        if (tnode[i] < 0)
            continue;
        for (j = 0; j < it->nneeds; j++) {
            double t;
            long long room = -1;
            arc *x;

            if (nnode[j] < 0 ||
                (t = travel(&it->teachers[i], &it->needs[j], lim)) < 0)
                continue;
            for (a = 0; a < wk[i].n; a++)
                if (wk[i].need[a] == j)
                    room = (long long)days_for(wk[i].hours[a], lim->load_day) *
                           lim->load_day - wk[i].hours[a] +
                           (long long)free_days * lim->load_day;
            if (room < 0 && wk[i].n < lim->max_schools)
                room = (long long)free_days * lim->load_day;
            if (room <= 0)
                continue;
            if (!(x = zx_push((void **)&arcs, &narcs, &cap, sizeof(*x))))
                goto done;
            x->teacher = i;
            x->need = j;
            /* tenths of a minute per lesson: integral costs */
            if ((rc = zx_mcflow_add_arc(g, tnode[i], nnode[j], room,
                                        llround(t * 10), &x->id)))
                goto done;
            rc = ZX_ENOMEM;
        }
    }
    if ((rc = zx_mcflow_solve_max(g, &flow, NULL)))
        goto done;
    rc = ZX_ENOMEM;
    if (flow == 0) {
        rc = ZX_OK;
        goto done;
    }
    if (!(c = malloc(((size_t)narcs + NDAYS) * sizeof(*c))))
        goto done;
    /* arcs are grouped by teacher: merge each teacher's flows with the
     * visits kept so far and cut the week again */
    for (a = 0; a < narcs;) {
        int t = arcs[a].teacher, k = 0, before = kept_hours(&wk[t]), b, got;

        for (b = 0; b < wk[t].n; b++) {
            c[k].need = wk[t].need[b];
            c[k].hours = wk[t].hours[b];
            c[k].travel = travel(&it->teachers[t], &it->needs[c[k].need], lim);
            k++;
        }
        for (; a < narcs && arcs[a].teacher == t; a++) {
            int f = (int)zx_mcflow_flow(g, arcs[a].id);

            if (f <= 0)
                continue;
            for (b = 0; b < k && c[b].need != arcs[a].need; b++)
                ;
            if (b == k) {
                c[k].need = arcs[a].need;
                c[k].hours = 0;
                c[k].travel = travel(&it->teachers[t], &it->needs[c[k].need],
                                     lim);
                k++;
            }
            c[b].hours += f;
            it->cut += f;
        }
        if ((got = cut_week(c, k, lim, &wk[t])) < 0)
            goto done;
        it->cut -= got - before;
        *gain += got - before;
    }
    rc = ZX_OK;

done:
    zx_mcflow_free(g);
    free(rem);
    free(tnode);
    free(nnode);
    free(arcs);
    free(c);
    return rc;
}

static int cmp_visit(const void *a, const void *b)
{
    const zx_itinerant_visit *x = a, *y = b;

    return x->teacher != y->teacher ? (x->teacher > y->teacher) -
                                      (x->teacher < y->teacher)
                                    : (x->need > y->need) - (x->need < y->need);
}

/* Lays out teacher t's visits v[0..n) (at most 5 days in all) into
 * it->slots, see itinerant.h. */
static void lay_out(zx_itinerant *it, int t, const zx_itinerant_visit *v,
                    int n)
{
    int left[NDAYS], given[NDAYS], seq[NDAYS];
    int i, p, total = 0, prev = -1;

    for (i = 0; i < n; i++) {
        left[i] = v[i].days;
        given[i] = 0;
        total += v[i].days;
    }
    /* the visit with most days left that is not the one before; ties to
     * the earlier visit */
    for (p = 0; p < total; p++) {
        int pick = -1;

        for (i = 0; i < n; i++)
            if (left[i] > 0 && i != prev &&
                (pick < 0 || left[i] > left[pick]))
                pick = i;
        if (pick < 0)
            pick = prev;
        seq[p] = pick;
        left[pick]--;
        prev = pick;
    }
    for (p = 0; p < total; p++) {
        const zx_itinerant_visit *x = &v[seq[p]];
        zx_itinerant_slot *s = &it->slots[it->nslots++];
        int k = given[seq[p]]++;

        s->teacher = t;
        s->need = x->need;
        s->day = 1 + p * NDAYS / total;
        /* the first (hours mod days) days take one lesson more */
        s->hours = x->hours / x->days + (k < x->hours % x->days);
        it->travel_min += x->travel_min;
    }
}

int zx_itinerant_solve(zx_itinerant *it, const zx_itinerant_limits *lim)
{
    kept *wk = NULL;
    int *demand = NULL;
    int i, j, a, gain, rc = ZX_ENOMEM;

    if (!(lim->speed_kmh > 0) || !(lim->max_travel_min >= 0) ||
        lim->load_day < 1 || lim->load_week < 1 || lim->max_schools < 1)
        return ZX_EINVAL;
    clear_solution(it);
    wk = calloc((size_t)it->nteachers + 1, sizeof(*wk));
    demand = calloc((size_t)it->nneeds + 1, sizeof(int));
    if (!wk || !demand)
        goto done;
    it->lacking = 0;
    for (j = 0; j < it->nneeds; j++) {
        /* whole lessons; a fraction of one is a lesson to cover */
        demand[j] = it->needs[j].lacking > 0
                        ? (int)ceil(it->needs[j].lacking - 1e-9) : 0;
        it->lacking += it->needs[j].lacking;
    }
    /* each round adds at least one lesson, and the lessons are bounded */
    do {
        if ((rc = round_once(it, lim, wk, demand, &gain)))
            goto done;
        it->rounds++;
    } while (gain > 0);
    rc = ZX_ENOMEM;
    for (i = 0; i < it->nteachers; i++)
        it->nvisits += wk[i].n;
    it->visits = calloc((size_t)it->nvisits + 1, sizeof(*it->visits));
    it->slots = calloc((size_t)it->nvisits * NDAYS + 1, sizeof(*it->slots));
    if (!it->visits || !it->slots)
        goto done;
    it->nvisits = 0;
    for (i = 0; i < it->nteachers; i++)
        for (a = 0; a < wk[i].n; a++) {
            zx_itinerant_visit *v = &it->visits[it->nvisits++];

            v->teacher = i;
            v->need = wk[i].need[a];
            v->hours = wk[i].hours[a];
            v->days = days_for(v->hours, lim->load_day);
            v->travel_min = travel(&it->teachers[i], &it->needs[v->need], lim);
            it->teachers[i].hours += v->hours;
            it->needs[v->need].covered += v->hours;
        }
    qsort(it->visits, (size_t)it->nvisits, sizeof(*it->visits), cmp_visit);
    for (a = 0; a < it->nvisits;) {
        int b = a;

        while (b < it->nvisits && it->visits[b].teacher == it->visits[a].teacher)
            b++;
        lay_out(it, it->visits[a].teacher, &it->visits[a], b - a);
        a = b;
    }
    for (j = 0; j < it->nneeds; j++) {
        if (it->needs[j].covered > it->needs[j].lacking)
            it->needs[j].covered = it->needs[j].lacking;
        it->covered += it->needs[j].covered;
    }
    rc = ZX_OK;

done:
    free(wk);
    free(demand);
    return rc;
}
