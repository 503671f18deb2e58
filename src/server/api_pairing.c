/*
 * api_pairing.c - the pairing programmes over HTTP (/api/pairing,
 * pairing.h): settings, pools, proposals solved exactly, acceptance,
 * activities.
 *
 * The rules are the core's; this file adds the caller's sight, as
 * api_training.c does.  A pair joins two sides that may lie in different
 * towns (an urban mentor, a rural mentee).  A caller who sees either side
 * sees the pair, but of the other side only what names no unit: a
 * teacher's or a person's name, never a key, a school or a code
 * (member_json).
 */
#include "api.h"
#include "codes.h"
#include "map.h"
#include "pairing.h"
#include "sheetout.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- pairing: the programmes --------------------------------------------------- */

/* The programme of :programme; -1 after answering 404. */
static int programme_of(zx_call *c)
{
    int p = zx_pairing_programme_parse(c->params[0]);

    if (p < 0)
        zx_api_error(c, 404, "not_found", "没有这个结对项目：%s（应为 "
                     "leaders、studios、subject_leaders 或 cadres）",
                     c->params[0]);
    return p;
}

static json_t *stats_json(const zx_pairing_stats *s)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:s,"
                     " s:o, s:o}",
                     "mentors", s->mentors, "mentees", s->mentees,
                     "mentors_accepted", s->mentors_accepted,
                     "mentees_accepted", s->mentees_accepted,
                     "mentees_proposed", s->mentees_proposed, "accepted",
                     s->accepted, "proposed", s->proposed, "active",
                     s->active, "term_from", s->term_from, "term_to",
                     s->term_to, "coverage", zx_result_figure_json(s->coverage),
                     "active_share", zx_result_figure_json(s->active_share));
}

/* Every programme with its figures today: counts over the whole city,
 * which name no unit. */
static void list_programmes(zx_call *c)
{
    json_t *items = json_array();
    zx_pairing_stats s;
    char day[11];
    int p, rc;

    zx_api_today(c, day);
    for (p = 0; items && p < ZX_PAIRING_NPROGRAMMES; p++) {
        if ((rc = zx_pairing_stats_get(c->db, zx_pairing_programme_id(p), day,
                                       &s))) {
            json_decref(items);
            zx_api_fail(c, rc, NULL);
            return;
        }
        if (json_array_append_new(
                items, json_pack("{s:s, s:s, s:s, s:o}", "id",
                                 zx_pairing_programme_id(p), "title",
                                 zx_pairing_programme_title(p), "clause",
                                 zx_pairing_programme_clause(p), "stats",
                                 stats_json(&s)))) {
            json_decref(items);
            items = NULL;
        }
    }
    zx_api_json(c, 200, json_pack("{s:s, s:o}", "date", day, "items", items));
}

/* Whether the caller sees the pool member keyed key: a teacher's school,
 * a school, or (a person, known by name) the city. */
static int key_seen(zx_call *c, const char *key)
{
    sqlite3_stmt *st;
    long long id = 0;
    int found = 0;

    if (!key || !(st = zx_db_prepare(c->db,
                                     "SELECT school_id FROM teacher"
                                     " WHERE teacher_no = ?1 UNION ALL"
                                     " SELECT id FROM org_unit WHERE code = ?1"
                                     " AND kind = 'school' LIMIT 1")))
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        found = 1;
    }
    sqlite3_reset(st);
    return found && zx_scope_sees(c->scope, id);
}

/* Drops from the array field of doc the [mentor, mentee] pairs naming a
 * member the caller does not see. */
static void filter_pairs(zx_call *c, json_t *doc, const char *field)
{
    json_t *arr = json_object_get(doc, field), *p;
    size_t i = 0;

    while (i < json_array_size(arr)) {
        p = json_array_get(arr, i);
        if (key_seen(c, json_string_value(json_array_get(p, 0))) &&
            key_seen(c, json_string_value(json_array_get(p, 1))))
            i++;
        else
            json_array_remove(arr, i);
    }
}

static void answer_settings(zx_call *c, int p)
{
    json_t *doc = NULL;
    int rc = zx_pairing_settings_get(c->db, zx_pairing_programme_id(p), &doc);

    if (rc) {
        zx_api_fail(c, rc, NULL);
        return;
    }
    /* pins and forbids name members by key: a town leader sees those of
     * its town only */
    if (!zx_api_sees_all(c)) {
        filter_pairs(c, doc, "pins");
        filter_pairs(c, doc, "forbids");
    }
    zx_api_json(c, 200, json_pack("{s:s, s:s, s:s, s:o}", "programme",
                                  zx_pairing_programme_id(p), "title",
                                  zx_pairing_programme_title(p), "clause",
                                  zx_pairing_programme_clause(p), "settings",
                                  doc));
}

static void get_settings(zx_call *c)
{
    int p = programme_of(c);

    if (p >= 0)
        answer_settings(c, p);
}

/* Body: the whole settings document, checked in full by the core. */
static void put_settings(zx_call *c)
{
    json_t *b;
    zx_diag *d;
    int p = programme_of(c), rc;

    if (p < 0 || !(b = zx_api_body(c)))
        return;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
    } else if ((rc = zx_pairing_settings_put(c->db,
                                             zx_pairing_programme_id(p), b,
                                             c->actor, d))) {
        zx_api_fail(c, rc, d);
    } else {
        answer_settings(c, p);
    }
    zx_diag_free(d);
    json_decref(b);
}

/* ---- pairing: pools and pairs ---------------------------------------------------- */

static const char *const member_kinds[] = { "teacher", "school", "person" };

/* The unit of every pool member of programme p, as {"ID": [code, name]},
 * read before a core listing runs. */
static json_t *member_units(zx_call *c, int p)
{
    sqlite3_stmt *st = zx_db_prepare(c->db,
        "SELECT p.id, u.code, u.name FROM pairing_pool p"
        " JOIN org_unit u ON u.id = p.unit_id WHERE p.programme = ?1");
    json_t *m = json_object();
    char key[24];
    int step = SQLITE_DONE;

    if (!st || !m) {
        json_decref(m);
        zx_api_fail(c, st ? ZX_ENOMEM : ZX_EDB, NULL);
        return NULL;
    }
    sqlite3_bind_text(st, 1, zx_pairing_programme_id(p), -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(key, sizeof(key), "%lld", sqlite3_column_int64(st, 0));
        if (json_object_set_new(
                m, key, json_pack("[s, s]",
                                  (const char *)sqlite3_column_text(st, 1),
                                  (const char *)sqlite3_column_text(st, 2)))) {
            step = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        json_decref(m);
        zx_api_fail(c, step == SQLITE_NOMEM ? ZX_ENOMEM : ZX_EDB, NULL);
        return NULL;
    }
    return m;
}

/* What the listings share: the sight, the members' units. */
struct pairview {
    const zx_map *sight;
    json_t *units;
};

static json_t *unit_of(const struct pairview *v, long long member)
{
    char key[24];

    snprintf(key, sizeof(key), "%lld", member);
    return json_object_get(v->units, key);
}

static int member_seen(const struct pairview *v, const zx_pairing_member *m)
{
    return zx_api_sight_has(v->sight, json_string_value(json_array_get(
                              unit_of(v, m->id), 0)));
}

/* A member as the caller may know it: in sight, everything; out of sight
 * (the far side of a pair), only a teacher's or person's name, and of a
 * school not even that. */
static json_t *member_json(const struct pairview *v,
                           const zx_pairing_member *m)
{
    json_t *u = unit_of(v, m->id);
    int shown = member_seen(v, m);

    return json_pack("{s:s, s:s?, s:s, s:s?, s:o, s:i, s:s?, s:i, s:s?,"
                     " s:s, s:b}",
                     "kind", member_kinds[m->kind], "key",
                     shown ? m->key : NULL, "name",
                     shown || m->kind != ZX_PAIRING_SCHOOL ? m->name
                                                           : "（辖区外学校）",
                     "school", shown && *m->school ? m->school : NULL,
                     "unit",
                     shown && u ? json_pack("{s:O, s:O}", "code",
                                            json_array_get(u, 0), "name",
                                            json_array_get(u, 1))
                                : json_null(),
                     "subject", m->subject, "subject_name",
                     zx_api_code_name("subject", m->subject), "stage", m->stage,
                     "stage_name", zx_api_code_name("stage", m->stage), "status",
                     m->status, "hidden", !shown);
}

static json_t *pair_json(const struct pairview *v, const zx_pairing_pair *p)
{
    json_t *terms = json_array();
    int i;

    for (i = 0; terms && i < p->nterms; i++)
        if (json_array_append_new(
                terms, json_pack("{s:s, s:s, s:o}", "id", p->terms[i].id,
                                 "label", p->terms[i].label, "cost",
                                 zx_result_figure_json(p->terms[i].cost)))) {
            json_decref(terms);
            terms = NULL;
        }
    if (!terms)
        return NULL;
    return json_pack("{s:I, s:s, s:s?, s:b, s:o, s:o, s:o, s:o, s:s, s:i,"
                     " s:s?}",
                     "id", (json_int_t)p->id, "status", p->status,
                     "accepted_on", p->accepted_on, "pinned", p->pinned,
                     "mentor", member_json(v, &p->mentor), "mentee",
                     member_json(v, &p->mentee), "cost",
                     zx_result_figure_json(p->cost), "terms", terms,
                     "explain", p->explain, "activities", p->activities,
                     "last_activity", p->last_activity);
}

/* A view of programme p for the caller; 0, or -1 after answering. */
static int view_open(zx_call *c, int p, struct pairview *v)
{
    zx_map *sight;

    v->sight = NULL;
    v->units = NULL;
    if (!(sight = zx_api_sight_load(c)))
        return -1;
    if (!(v->units = member_units(c, p))) {
        zx_map_free(sight);
        return -1;
    }
    v->sight = sight;
    return 0;
}

static void view_close(struct pairview *v)
{
    zx_map_free((zx_map *)v->sight);
    json_decref(v->units);
}

/* GET pools: both sides, each member the caller sees (a town leader:
 * those of its town's schools). */
struct pools {
    struct pairview v;
    json_t *side[2];           /* mentees, mentors */
};

static int pool_member(void *ctx, const zx_pairing_member *m)
{
    struct pools *s = ctx;

    if (!member_seen(&s->v, m))
        return 0;
    return json_array_append_new(s->side[m->mentor], member_json(&s->v, m))
               ? ZX_ENOMEM : 0;
}

static void get_pools(zx_call *c)
{
    struct pools s;
    int p = programme_of(c), rc = ZX_ENOMEM;

    memset(&s, 0, sizeof(s));
    if (p < 0 || view_open(c, p, &s.v))
        return;
    if ((s.side[0] = json_array()) && (s.side[1] = json_array()) &&
        !(rc = zx_pairing_pool_list(c->db, zx_pairing_programme_id(p),
                                    pool_member, &s)))
        zx_api_json(c, 200, json_pack("{s:s, s:O, s:O}", "programme",
                                      zx_pairing_programme_id(p), "mentors",
                                      s.side[1], "mentees", s.side[0]));
    else
        zx_api_fail(c, rc, NULL);
    json_decref(s.side[0]);
    json_decref(s.side[1]);
    view_close(&s.v);
}

/* The year of ?year= or of the body's "year" (the body may be empty);
 * the plan's current year by default.  Returns 0, or -1 after
 * answering. */
static int body_year(zx_call *c, int *year)
{
    json_t *b;
    int rc;

    if (!zx_api_need_plan(c) || zx_api_year_param(c, zx_values_current_year(c->plan), year))
        return -1;
    if (!c->req->body_len)
        return 0;
    if (!(b = zx_api_body(c)))
        return -1;
    rc = zx_api_body_year(c, b, *year, year);
    json_decref(b);
    return rc;
}

static void fill_pools(zx_call *c)
{
    zx_diag *d;
    int p = programme_of(c), year, added = 0, removed = 0, rc;

    if (p < 0 || body_year(c, &year))
        return;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        return;
    }
    rc = zx_pairing_pool_fill(c->db, c->plan, zx_pairing_programme_id(p),
                              year, c->actor, &added, &removed, d);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_json(c, 200, json_pack("{s:s, s:i, s:i, s:i}", "programme",
                                      zx_pairing_programme_id(p), "year",
                                      year, "added", added, "removed",
                                      removed));
    zx_diag_free(d);
}

struct collect {
    struct pairview v;
    json_t *items;
};

static int collect_pair(void *ctx, const zx_pairing_pair *p)
{
    struct collect *l = ctx;

    return json_array_append_new(l->items, pair_json(&l->v, p)) ? ZX_ENOMEM
                                                                : 0;
}

/* Proposes pairs with the thread's engine judging the mentee schools'
 * indicators (the weakness term), and answers the outcome with every
 * pair proposed.  A proposal changes no pool, so the members' units are
 * read before it and the pairs dressed as the core gives them. */
static void propose(zx_call *c)
{
    struct collect l;
    zx_pairing_outcome o;
    zx_diag *d = NULL;
    int p = programme_of(c), year, rc;

    memset(&l, 0, sizeof(l));
    if (p < 0 || body_year(c, &year) || view_open(c, p, &l.v))
        return;
    if (!(d = zx_diag_new()) || !(l.items = json_array())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_pairing_propose(c->db, c->engine,
                                 zx_pairing_programme_id(p), year, c->actor,
                                 &o, collect_pair, &l, d))) {
        zx_api_fail(c, rc, d);
        goto out;
    }
    zx_api_json(c, 200,
                json_pack("{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:o}, s:O}",
                          "programme", zx_pairing_programme_id(p), "year",
                          year, "outcome", "pairs", o.pairs, "kept", o.kept,
                          "mentors_left", o.mentors_left, "mentees_left",
                          o.mentees_left, "total",
                          zx_result_figure_json(o.total), "pairs", l.items));
out:
    json_decref(l.items);
    zx_diag_free(d);
    view_close(&l.v);
}

/* GET pairs: the pairs of the programme of which the caller sees the
 * mentor's or the mentee's unit, one page, ?status= to keep one status;
 * counts by status over every pair in sight. */
struct listing {
    struct pairview v;
    const char *status;
    json_t *items;
    zx_api_pager page;
    int proposed, accepted;
};

static int list_pair(void *ctx, const zx_pairing_pair *p)
{
    struct listing *l = ctx;

    if (!member_seen(&l->v, &p->mentor) && !member_seen(&l->v, &p->mentee))
        return 0;
    if (strcmp(p->status, "accepted") == 0)
        l->accepted++;
    else
        l->proposed++;
    if ((l->status && strcmp(p->status, l->status)) ||
        !zx_api_pager_take(&l->page))
        return 0;
    return json_array_append_new(l->items, pair_json(&l->v, p)) ? ZX_ENOMEM
                                                                 : 0;
}

/* ---- the pairs as a workbook (?format=xlsx) ---- */

enum { PX_ID, PX_STATUS, PX_ACCEPTED_ON, PX_PINNED, PX_MENTOR_KEY,
       PX_MENTOR, PX_MENTOR_UNIT, PX_MENTOR_SUBJECT, PX_MENTEE_KEY,
       PX_MENTEE, PX_MENTEE_UNIT, PX_MENTEE_SUBJECT, PX_COST, PX_GROUP,
       PX_DISTANCE, PX_WEAK, PX_EXPLAIN, PX_ACTIVITIES, PX_LAST, PX_NCOLS };

static const zx_sheetout_col pair_cols[PX_NCOLS] = {
    { "编号", ZX_SHEETOUT_NUM, 0 }, { "状态", ZX_SHEETOUT_TEXT, 0 },
    { "确认日期", ZX_SHEETOUT_TEXT, 0 }, { "指定结对", ZX_SHEETOUT_TEXT, 0 },
    { "带教方编号", ZX_SHEETOUT_TEXT, 0 }, { "带教方", ZX_SHEETOUT_TEXT, 0 },
    { "带教方单位", ZX_SHEETOUT_TEXT, 0 },
    { "带教方学科", ZX_SHEETOUT_TEXT, 0 },
    { "受援方编号", ZX_SHEETOUT_TEXT, 0 }, { "受援方", ZX_SHEETOUT_TEXT, 0 },
    { "受援方单位", ZX_SHEETOUT_TEXT, 0 },
    { "受援方学科", ZX_SHEETOUT_TEXT, 0 },
    { "代价", ZX_SHEETOUT_FIG, 0 }, { "同集团项", ZX_SHEETOUT_FIG, 0 },
    { "距离项", ZX_SHEETOUT_FIG, 0 }, { "薄弱学校项", ZX_SHEETOUT_FIG, 0 },
    { "代价构成", ZX_SHEETOUT_TEXT, 0 }, { "活动次数", ZX_SHEETOUT_NUM, 0 },
    { "最近活动", ZX_SHEETOUT_TEXT, 0 },
};

/* Short names of the programmes, for the file name. */
static const char *const short_titles[ZX_PAIRING_NPROGRAMMES] = {
    "名校长", "名师工作室", "学科带头人", "干部"
};

struct pairx {
    zx_call *c;
    struct pairview v;
    const char *status;
    int programme, year;
    zx_sheetout *w;
    zx_diag *d;
};

/* A member's cells, with what member_json shows of it: of one out of
 * sight a teacher's or person's name only. */
static void member_cells(zx_sheetout *w, const struct pairview *v,
                         const zx_pairing_member *m, int col)
{
    json_t *u = unit_of(v, m->id);
    int shown = member_seen(v, m);

    zx_sheetout_text(w, col, shown ? m->key : NULL);
    zx_sheetout_text(w, col + 1, shown || m->kind != ZX_PAIRING_SCHOOL
                                     ? m->name : "（辖区外学校）");
    zx_sheetout_text(w, col + 2, shown && u ? json_string_value(
                                                 json_array_get(u, 1))
                                            : NULL);
    zx_sheetout_text(w, col + 3, zx_api_code_name("subject", m->subject));
}

/* The cost of the terms of p with that id. */
static double term_cost(const zx_pairing_pair *p, const char *id)
{
    double sum = 0;
    int i;

    for (i = 0; i < p->nterms; i++)
        if (strcmp(p->terms[i].id, id) == 0)
            sum += p->terms[i].cost;
    return sum;
}

static int pair_cells(void *ctx, const zx_pairing_pair *p)
{
    struct pairx *x = ctx;
    zx_sheetout *w = x->w;

    if ((!member_seen(&x->v, &p->mentor) && !member_seen(&x->v, &p->mentee)) ||
        (x->status && strcmp(p->status, x->status)) || !zx_sheetout_row(w))
        return 0;
    zx_sheetout_num(w, PX_ID, (double)p->id);
    zx_sheetout_text(w, PX_STATUS, strcmp(p->status, "accepted") == 0
                                       ? "已确认" : "待确认");
    zx_sheetout_text(w, PX_ACCEPTED_ON, p->accepted_on);
    zx_sheetout_yes(w, PX_PINNED, p->pinned);
    member_cells(w, &x->v, &p->mentor, PX_MENTOR_KEY);
    member_cells(w, &x->v, &p->mentee, PX_MENTEE_KEY);
    zx_sheetout_num(w, PX_COST, p->cost);
    zx_sheetout_num(w, PX_GROUP, term_cost(p, "group"));
    zx_sheetout_num(w, PX_DISTANCE, term_cost(p, "distance"));
    zx_sheetout_num(w, PX_WEAK, term_cost(p, "weak"));
    zx_sheetout_text(w, PX_EXPLAIN, p->explain);
    zx_sheetout_num(w, PX_ACTIVITIES, p->activities);
    zx_sheetout_text(w, PX_LAST, p->last_activity);
    return zx_sheetout_status(w);
}

static int pair_fill(zx_sheetout *w, void *ctx)
{
    struct pairx *x = ctx;

    x->w = w;
    return zx_pairing_list(x->c->db, x->c->engine,
                           zx_pairing_programme_id(x->programme), x->year,
                           pair_cells, x, x->d);
}

/* The pairs GET pairs lists for the same arguments, every page. */
static void export_pairs(zx_call *c, int p, int year, const char *status)
{
    struct pairx x;
    char filename[512];
    zx_sheetout_spec spec = { "结对名单", pair_cols, PX_NCOLS, filename };

    memset(&x, 0, sizeof(x));
    x.c = c;
    x.status = status;
    x.programme = p;
    x.year = year;
    if (view_open(c, p, &x.v))
        return;
    if (!(x.d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
    } else {
        zx_sheetout_filename(c, filename, sizeof(filename), NULL,
                             "结对帮扶_%s%s_%d年.xlsx", short_titles[p],
                             !status ? ""
                             : strcmp(status, "accepted") == 0 ? "_已确认"
                                                               : "_待确认",
                             year);
        zx_sheetout_answer(c, &spec, pair_fill, &x, x.d);
    }
    zx_diag_free(x.d);
    view_close(&x.v);
}

static void list_pairs(zx_call *c)
{
    struct listing l;
    zx_diag *d = NULL;
    json_t *j;
    int p = programme_of(c), year, rc = ZX_ENOMEM, xlsx;

    memset(&l, 0, sizeof(l));
    if (p < 0 || (xlsx = zx_sheetout_wanted(c)) < 0 ||
        !zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), &year) ||
        zx_api_page(c, &l.page.offset, &l.page.limit))
        return;
    l.status = zx_http_query(c->req, "status");
    if (l.status && !*l.status)
        l.status = NULL;
    if (l.status && strcmp(l.status, "proposed") &&
        strcmp(l.status, "accepted")) {
        zx_api_error(c, 400, "bad_parameter", "status 的值“%s”无效：应为 "
                     "proposed 或 accepted", l.status);
        return;
    }
    if (xlsx) {
        export_pairs(c, p, year, l.status);
        return;
    }
    if (view_open(c, p, &l.v))
        return;
    if (!(l.items = json_array()) || !(d = zx_diag_new()))
        goto out;
    if ((rc = zx_pairing_list(c->db, c->engine, zx_pairing_programme_id(p),
                              year, list_pair, &l, d)))
        goto out;
    j = zx_api_list_json(l.items, l.page.total, l.page.offset, l.page.limit);
    l.items = NULL;
    if (j && json_object_update_new(
                 j, json_pack("{s:s, s:i, s:{s:i, s:i}}", "programme",
                              zx_pairing_programme_id(p), "year", year,
                              "counts", "proposed", l.proposed, "accepted",
                              l.accepted))) {
        json_decref(j);
        j = NULL;
    }
    zx_api_json(c, 200, j);
out:
    if (rc)
        zx_api_fail(c, rc, d);
    json_decref(l.items);
    zx_diag_free(d);
    view_close(&l.v);
}

/* Body {"pairs": [ids]} or {"all": true}. */
static void accept(zx_call *c)
{
    json_t *b, *ids;
    long long *v = NULL;
    zx_diag *d = NULL;
    char day[11];
    size_t i, n;
    int p = programme_of(c), all = 0, done = 0, rc;

    if (p < 0 || !(b = zx_api_body(c)))
        return;
    ids = json_object_get(b, "pairs");
    n = json_array_size(ids);
    if (zx_api_opt_bool(c, b, "all", &all))
        goto out;
    if (all == (n > 0) || (ids && !json_is_array(ids)) || n > 100000) {
        zx_api_error(c, 400, "invalid", "请给出要确认的结对编号数组 pairs，"
                     "或 all: true 确认全部待确认结对（二者取一）");
        goto out;
    }
    if (n && !(v = calloc(n, sizeof(*v)))) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (!json_is_integer(json_array_get(ids, i))) {
            zx_api_error(c, 400, "invalid", "pairs 中应为结对编号（整数）");
            goto out;
        }
        v[i] = json_integer_value(json_array_get(ids, i));
    }
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    zx_api_today(c, day);
    rc = zx_pairing_accept(c->db, zx_pairing_programme_id(p), v, (int)n, day,
                           c->actor, &done, d);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:i, s:s}", "ok", 1, "accepted",
                                      done, "accepted_on", day));
out:
    free(v);
    zx_diag_free(d);
    json_decref(b);
}

/* ---- pairing: one pair ------------------------------------------------------------ */

/* Pair :id as the caller may reach it: *prog its programme, *mentee_unit
 * the mentee's unit.  404 alike for no such pair and for one of which
 * the caller sees neither side.  Returns 0, or -1 after answering. */
static int pair_target(zx_call *c, long long *id, int *prog,
                       long long *mentee_unit)
{
    sqlite3_stmt *st;
    const char *s = c->params[0];
    char *end;
    int found = 0;

    *id = strtoll(s, &end, 10);
    if (*s && !*end && *id > 0 &&
        (st = zx_db_prepare(c->db,
                            "SELECT pr.programme, me.unit_id, mo.unit_id"
                            " FROM pairing pr"
                            " JOIN pairing_pool me ON me.id = pr.mentee_id"
                            " JOIN pairing_pool mo ON mo.id = pr.mentor_id"
                            " WHERE pr.id = ?1"))) {
        sqlite3_bind_int64(st, 1, *id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *prog = zx_pairing_programme_parse(
                (const char *)sqlite3_column_text(st, 0));
            *mentee_unit = sqlite3_column_int64(st, 1);
            found = *prog >= 0 &&
                    (zx_scope_sees(c->scope, *mentee_unit) ||
                     zx_scope_sees(c->scope, sqlite3_column_int64(st, 2)));
        }
        sqlite3_reset(st);
    }
    if (!found)
        zx_api_error(c, 404, "not_found", "未找到结对 %s", s);
    return found ? 0 : -1;
}

struct one {
    struct pairview v;
    long long id;
    json_t *pair;
};

static int one_pair(void *ctx, const zx_pairing_pair *p)
{
    struct one *o = ctx;

    if (p->id != o->id)
        return 0;
    o->pair = pair_json(&o->v, p);
    return o->pair ? 0 : ZX_ENOMEM;
}

/* Body {mentor?, mentee?}: keys of members of the programme's pool. */
static void edit_pair(zx_call *c)
{
    json_t *b = NULL;
    struct one o;
    zx_diag *d = NULL;
    const char *mentor = NULL, *mentee = NULL;
    long long unit;
    int p, rc;

    memset(&o, 0, sizeof(o));
    if (!zx_api_need_plan(c) || pair_target(c, &o.id, &p, &unit) ||
        !(b = zx_api_body(c)))
        return;
    if (zx_api_opt_str(c, b, "mentor", &mentor) || zx_api_opt_str(c, b, "mentee", &mentee))
        goto out;
    if (!mentor && !mentee) {
        zx_api_error(c, 400, "invalid", "请给出新的带教方（mentor）或受援方"
                     "（mentee）编号");
        goto out;
    }
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_pairing_edit(c->db, o.id, mentor, mentee, c->actor, d))) {
        zx_api_fail(c, rc, d);
        goto out;
    }
    if (view_open(c, p, &o.v))
        goto out;
    rc = zx_pairing_list(c->db, c->engine, zx_pairing_programme_id(p),
                         zx_values_current_year(c->plan), one_pair, &o, d);
    view_close(&o.v);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:O}", "ok", 1, "pair",
                                      o.pair ? o.pair : json_null()));
out:
    json_decref(o.pair);
    zx_diag_free(d);
    json_decref(b);
}

/* Body {kind (visit|lesson|help or 走访|听评课|帮扶事项), date, note?}: for
 * an accepted pair whose mentee's unit the caller may change. */
static void add_activity(zx_call *c)
{
    json_t *b = NULL;
    zx_diag *d = NULL;
    const char *kind, *date, *note = NULL;
    long long id, unit, act = 0;
    int p, rc;

    if (pair_target(c, &id, &p, &unit) || !zx_api_may_write(c, unit) ||
        !(b = zx_api_body(c)))
        return;
    if (!(kind = zx_api_need_str(c, b, "kind")) || !(date = zx_api_need_str(c, b, "date")) ||
        zx_api_opt_str(c, b, "note", &note))
        goto out;
    if (!(d = zx_diag_new())) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if ((rc = zx_pairing_activity_add(c->db, id, kind, date, note, c->actor,
                                      &act, d)))
        zx_api_fail(c, rc, d);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:I, s:I, s:s, s:s}", "ok", 1,
                                      "id", (json_int_t)act, "pair",
                                      (json_int_t)id, "kind",
                                      zx_pairing_kind_name(
                                          zx_pairing_kind_parse(kind)),
                                      "date", date));
out:
    zx_diag_free(d);
    json_decref(b);
}

const zx_route zx_api_pairing_routes[] = {
    { "GET", "/api/pairing", ZX_ROLE_ANY, list_programmes, ZX_ROUTE_CACHED },
    { "GET", "/api/pairing/:programme/settings", ZX_ROLE_ADMIN |
      ZX_ROLE_LEADER, get_settings, ZX_ROUTE_CACHED },
    { "PUT", "/api/pairing/:programme/settings", ZX_ROLE_ADMIN, put_settings,
      0 },
    { "GET", "/api/pairing/:programme/pools", ZX_ROLE_ADMIN | ZX_ROLE_LEADER,
      get_pools, ZX_ROUTE_CACHED },
    { "POST", "/api/pairing/:programme/pools/fill", ZX_ROLE_ADMIN,
      fill_pools, 0 },
    { "POST", "/api/pairing/:programme/propose", ZX_ROLE_ADMIN, propose, 0 },
    { "GET", "/api/pairing/:programme/pairs", ZX_ROLE_ANY, list_pairs,
      ZX_ROUTE_CACHED },
    { "POST", "/api/pairing/:programme/accept", ZX_ROLE_ADMIN, accept, 0 },
    { "PATCH", "/api/pairing/pairs/:id", ZX_ROLE_ADMIN, edit_pair, 0 },
    { "POST", "/api/pairing/pairs/:id/activities", ZX_ROLE_ADMIN |
      ZX_ROLE_TOWN | ZX_ROLE_SCHOOL, add_activity, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
