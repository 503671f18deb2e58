/*
 * pairprop.c - the pairs of a programme (see pairing.h): the cost of a
 * pair, the proposal, the office's acceptance and edits, and the listings
 * of pairs and of pools.
 *
 * A programme is read whole into memory (its settings, both pools with
 * what the costs need, and its pairs) before anything is computed or
 * called back, so the cached statements of zx_db_prepare are never
 * stepped under a callback.  The proposal is one assignment problem:
 * rows are the free mentors, columns the free mentees, and each row (or,
 * with more mentors than mentees, each column) gets a private "nobody"
 * partner at a cost so high that one more real pair always beats any
 * saving on the others.  The solver then returns the largest set of
 * pairs and, among the largest, the cheapest, whatever the pools' sizes
 * and however many pairs are impossible.
 */
#include "pairint.h"

#include "assign.h"
#include "geo.h"
#include "map.h"
#include "zx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a programme in memory ---- */

#define NSUBJ_BYTES 16        /* subject codes 0..127 */

/* Stage families of a teacher's stage (codes.h "stage"): 学前, 小学,
 * 中学 (初中, 高中, 中职: the secondary family of the school type codes),
 * 特教. */
static unsigned family_of(int stage)
{
    switch (stage) {
    case 1: return 1u;
    case 2: return 2u;
    case 3: case 4: case 5: return 4u;
    case 6: return 8u;
    default: return 0;
    }
}

struct member {
    long long id, school, group;
    enum zx_pairing_kind kind;
    char *key, *name, *school_name;
    int subject, stage;
    unsigned fams;             /* stage families taught (a school: by its
                                  teachers) */
    unsigned char subj[NSUBJ_BYTES];  /* subjects taught, likewise */
    int has_ll;
    double lon, lat;
    int behind;                /* indicators 滞后 at the member's school */
    long long pair;            /* its pair (0 none) */
    int accepted;              /* that pair is accepted */
};

struct side {
    struct member *v;
    int n;
};

struct pair {
    long long id, mentor, mentee;
    const char *mkey;          /* the mentor's key, owned by its member */
    int accepted;
    char *accepted_on, *last;
    int activities;
};

struct prog {
    int p;
    json_t *doc;
    struct zx_pair_settings s;
    struct side side[2];       /* [0] mentees, [1] mentors */
    struct pair *pairs;
    int npairs;
};

static void prog_free(struct prog *g)
{
    int k, i;

    for (k = 0; k < 2; k++) {
        for (i = 0; i < g->side[k].n; i++) {
            free(g->side[k].v[i].key);
            free(g->side[k].v[i].name);
            free(g->side[k].v[i].school_name);
        }
        free(g->side[k].v);
    }
    for (i = 0; i < g->npairs; i++) {
        free(g->pairs[i].accepted_on);
        free(g->pairs[i].last);
    }
    free(g->pairs);
    json_decref(g->doc);
}

static char *dup_col(sqlite3_stmt *st, int c)
{
    const char *s = (const char *)sqlite3_column_text(st, c);

    return strdup(s ? s : "");
}

static void set_subject(struct member *m, int subject)
{
    if (subject > 0 && subject < NSUBJ_BYTES * 8)
        m->subj[subject / 8] |= (unsigned char)(1u << (subject % 8));
}

/* What a school member teaches, from its teachers. */
static int load_taught(zx_db *db, struct member *m)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT DISTINCT subject, stage"
                                         " FROM teacher WHERE school_id = ?1");
    int r;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, m->school);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        set_subject(m, sqlite3_column_int(st, 0));
        m->fams |= family_of(sqlite3_column_int(st, 1));
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

static int load_side(zx_db *db, struct prog *g, int mentor)
{
    struct side *sd = &g->side[mentor];
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT p.id, " ZX_PAIR_MEMBER_KEY ", p.name,"
        " p.teacher_id IS NOT NULL,"
        " p.school_id IS NOT NULL, COALESCE(t.school_id, p.school_id),"
        " ou.name, s.group_id, s.lon, s.lat, t.subject, t.stage"
        " FROM pairing_pool p" ZX_PAIR_MEMBER_JOINS
        " LEFT JOIN school s ON s.unit_id = COALESCE(t.school_id, p.school_id)"
        " LEFT JOIN org_unit ou ON ou.id = s.unit_id"
        " WHERE p.programme = ?1 AND p.side = ?2 ORDER BY 2");
    int r, cap = 0, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, zx_pairing_programme_id(g->p), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mentor ? "mentor" : "mentee", -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct member *m = zx_push((void **)&sd->v, &sd->n, &cap,
                                   sizeof(*m));

        if (!m) {
            rc = ZX_ENOMEM;
            break;
        }
        m->id = sqlite3_column_int64(st, 0);
        m->kind = sqlite3_column_int(st, 3) ? ZX_PAIRING_TEACHER :
                  sqlite3_column_int(st, 4) ? ZX_PAIRING_SCHOOL :
                  ZX_PAIRING_PERSON;
        m->school = sqlite3_column_int64(st, 5);
        m->group = sqlite3_column_int64(st, 7);
        m->has_ll = sqlite3_column_type(st, 8) != SQLITE_NULL &&
                    sqlite3_column_type(st, 9) != SQLITE_NULL;
        m->lon = sqlite3_column_double(st, 8);
        m->lat = sqlite3_column_double(st, 9);
        m->subject = sqlite3_column_int(st, 10);
        m->stage = sqlite3_column_int(st, 11);
        m->behind = -1;
        m->key = dup_col(st, 1);
        m->name = dup_col(st, 2);
        m->school_name = dup_col(st, 6);
        if (!m->key || !m->name || !m->school_name) {
            rc = ZX_ENOMEM;
            break;
        }
        set_subject(m, m->subject);
        m->fams = family_of(m->stage);
    }
    sqlite3_reset(st);
    if (rc)
        return rc;
    if (r != SQLITE_DONE)
        return ZX_EDB;
    for (r = 0; r < sd->n; r++)
        if (sd->v[r].kind == ZX_PAIRING_SCHOOL &&
            (rc = load_taught(db, &sd->v[r])))
            return rc;
    return ZX_OK;
}

/* The member of side with pool id, or NULL. */
static struct member *by_id(struct side *sd, long long id)
{
    int i;

    for (i = 0; i < sd->n; i++)
        if (sd->v[i].id == id)
            return &sd->v[i];
    return NULL;
}

static struct member *by_key(struct side *sd, const char *key)
{
    int i;

    for (i = 0; i < sd->n; i++)
        if (strcmp(sd->v[i].key, key) == 0)
            return &sd->v[i];
    return NULL;
}

static int load_pairs(zx_db *db, struct prog *g)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT x.id, x.mentor_id, x.mentee_id, x.status = 'accepted',"
        " x.accepted_on, (SELECT count(*) FROM pairing_activity a"
        "  WHERE a.pairing_id = x.id), (SELECT max(on_date) FROM"
        "  pairing_activity a WHERE a.pairing_id = x.id)"
        " FROM pairing x WHERE x.programme = ?1 ORDER BY x.id");
    int r, cap = 0, rc = ZX_OK;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, zx_pairing_programme_id(g->p), -1,
                      SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct pair *x = zx_push((void **)&g->pairs, &g->npairs, &cap,
                                 sizeof(*x));
        struct member *a, *b;

        if (!x) {
            rc = ZX_ENOMEM;
            break;
        }
        x->id = sqlite3_column_int64(st, 0);
        x->mentor = sqlite3_column_int64(st, 1);
        x->mentee = sqlite3_column_int64(st, 2);
        x->accepted = sqlite3_column_int(st, 3);
        x->activities = sqlite3_column_int(st, 5);
        if ((sqlite3_column_type(st, 4) != SQLITE_NULL &&
             !(x->accepted_on = dup_col(st, 4))) ||
            (sqlite3_column_type(st, 6) != SQLITE_NULL &&
             !(x->last = dup_col(st, 6)))) {
            rc = ZX_ENOMEM;
            break;
        }
        a = by_id(&g->side[1], x->mentor);
        b = by_id(&g->side[0], x->mentee);
        x->mkey = a ? a->key : "";
        if (a) {
            a->pair = x->id;
            a->accepted = x->accepted;
        }
        if (b) {
            b->pair = x->id;
            b->accepted = x->accepted;
        }
    }
    sqlite3_reset(st);
    return rc ? rc : r == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* The indicators judged 滞后 at school level in year, per school. */
struct weakness {
    zx_map *behind;
};

static int count_behind(void *ctx, const zx_result *r)
{
    struct weakness *w = ctx;
    char key[24];
    long long n = 0;

    if (r->status != ZX_STATUS_BEHIND)
        return 0;
    snprintf(key, sizeof(key), "%lld", r->unit_id);
    zx_map_get(w->behind, key, &n);
    return zx_map_put(w->behind, key, n + 1) ? ZX_ENOMEM : 0;
}

static int load_weakness(zx_engine *eng, int year, struct side *sd)
{
    struct weakness w;
    char key[24];
    long long n;
    int i, rc;

    if (!eng)
        return ZX_OK;
    if (!(w.behind = zx_map_new()))
        return ZX_ENOMEM;
    rc = zx_engine_eval(eng, NULL, year, 1u << ZX_LEVEL_SCHOOL, 0,
                        count_behind, &w);
    for (i = 0; rc == ZX_OK && i < sd->n; i++) {
        if (!sd->v[i].school)
            continue;
        snprintf(key, sizeof(key), "%lld", sd->v[i].school);
        sd->v[i].behind = zx_map_get(w.behind, key, &n) ? (int)n : 0;
    }
    zx_map_free(w.behind);
    return rc;
}

static int load_prog(zx_db *db, zx_engine *eng, int p, int year,
                     struct prog *g, zx_diag *diag)
{
    int rc;

    memset(g, 0, sizeof(*g));
    g->p = p;
    if ((rc = zx_pair_load_settings(db, p, &g->doc, &g->s, diag)) ||
        (rc = load_side(db, g, 1)) || (rc = load_side(db, g, 0)) ||
        (rc = load_pairs(db, g)))
        return rc;
    return load_weakness(eng, year, &g->side[0]);
}

/* ---- the cost of a pair ---- */

#define MAXTERMS 6

struct terms {
    zx_pairing_term t[MAXTERMS];
    char label[MAXTERMS][64];
    int n;
    double cost;
    int impossible;            /* a required match fails */
    int text;                  /* write the labels and explain */
    char explain[MAXTERMS * 96];
};

static void add_term(struct terms *x, const char *id, double cost,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_term(struct terms *x, const char *id, double cost,
                     const char *fmt, ...)
{
    va_list ap;

    if (x->text) {
        va_start(ap, fmt);
        vsnprintf(x->label[x->n], sizeof(x->label[0]), fmt, ap);
        va_end(ap);
    }
    x->t[x->n].id = id;
    x->t[x->n].label = x->label[x->n];
    x->t[x->n].cost = cost;
    x->n++;
}

/* A figure as people write it: whole numbers bare, else one decimal. */
static void fmt_num(double v, char out[32])
{
    double a = fabs(v);

    if (a == floor(a))
        snprintf(out, 32, "%.0f", a);
    else
        snprintf(out, 32, "%.1f", a);
}

static int overlap(const unsigned char *a, const unsigned char *b)
{
    int i;

    for (i = 0; i < NSUBJ_BYTES; i++)
        if (a[i] & b[i])
            return 1;
    return 0;
}

static int has_subjects(const struct member *m)
{
    static const unsigned char none[NSUBJ_BYTES];

    return memcmp(m->subj, none, NSUBJ_BYTES) != 0;
}

/* The terms of pair (a mentor, b mentee), in a fixed order, and their
 * sum; with text, their labels and the line explaining them (the cost
 * matrix needs only the sums).  A person, who teaches nothing, matches
 * any subject and stage; a school matches the subjects and stages its
 * teachers teach. */
static void terms_of(const struct zx_pair_settings *s,
                     const struct member *a, const struct member *b,
                     int text, struct terms *x)
{
    char num[32], num2[32];
    size_t used = 0;
    int i;

    x->n = 0;
    x->cost = 0;
    x->impossible = 0;
    x->text = text;
    if (s->req_subject && a->kind != ZX_PAIRING_PERSON &&
        b->kind != ZX_PAIRING_PERSON) {
        int ok = has_subjects(a) && has_subjects(b) &&
                 overlap(a->subj, b->subj);

        add_term(x, "subject", 0, ok ? "同学科 ✓" : "学科不同 ✗");
        x->impossible |= !ok;
    }
    if (s->req_stage && a->kind != ZX_PAIRING_PERSON &&
        b->kind != ZX_PAIRING_PERSON) {
        int ok = (a->fams & b->fams) != 0;

        add_term(x, "stage", 0, ok ? "同学段 ✓" : "学段不同 ✗");
        x->impossible |= !ok;
    }
    if (s->w_group != 0 && a->group && a->group == b->group)
        add_term(x, "group", -s->w_group, "同集团");
    if (s->w_distance != 0 && a->school && b->school) {
        if (a->has_ll && b->has_ll) {
            /* rounded to what the label shows, so that it explains the
             * cost exactly */
            double km = round(zx_geo_km(a->lon, a->lat, b->lon, b->lat) *
                              10) / 10;

            add_term(x, "distance", s->w_distance * km, "距离 %.1f km", km);
        } else {
            add_term(x, "distance", 0, "距离未知");
        }
    }
    if (s->w_weak != 0 && b->behind > 0)
        add_term(x, "weak", -s->w_weak * b->behind, "薄弱学校（滞后 %d 项）",
                 b->behind);
    for (i = 0; i < x->n; i++)
        x->cost += x->t[i].cost;
    if (!text)
        return;
    for (i = 0; i < x->n; i++) {
        if (x->t[i].cost == 0) {
            used += (size_t)snprintf(x->explain + used,
                                     sizeof(x->explain) - used, "%s%s",
                                     i ? ", " : "", x->t[i].label);
            continue;
        }
        fmt_num(x->t[i].cost, num);
        used += (size_t)snprintf(x->explain + used, sizeof(x->explain) - used,
                                 "%s%s %s%s", i ? ", " : "", x->t[i].label,
                                 x->t[i].cost < 0 ? "−" : "+", num);
    }
    fmt_num(x->cost, num2);
    snprintf(x->explain + used, sizeof(x->explain) - used, "%s合计 %s%s",
             x->n ? "；" : "", x->cost < 0 ? "−" : "", num2);
}

static int listed(const json_t *arr, const char *mentor, const char *mentee)
{
    size_t i;
    json_t *p;

    json_array_foreach(arr, i, p)
        if (strcmp(json_string_value(json_array_get(p, 0)), mentor) == 0 &&
            strcmp(json_string_value(json_array_get(p, 1)), mentee) == 0)
            return 1;
    return 0;
}

static void to_public(const struct member *m, int mentor, const char *status,
                      zx_pairing_member *out)
{
    out->id = m->id;
    out->mentor = mentor;
    out->kind = m->kind;
    out->key = m->key;
    out->name = m->name;
    out->school = m->school_name;
    out->subject = m->kind == ZX_PAIRING_TEACHER ? m->subject : 0;
    out->stage = m->kind == ZX_PAIRING_TEACHER ? m->stage : 0;
    out->status = status;
}

/* Calls fn with pair x of g. */
static int emit_pair(const struct prog *g, const struct pair *x,
                     struct member *a, struct member *b,
                     zx_pairing_pair_fn fn, void *ctx)
{
    const char *status = x->accepted ? "accepted" : "proposed";
    zx_pairing_pair out;
    struct terms t;

    terms_of(&g->s, a, b, 1, &t);
    memset(&out, 0, sizeof(out));
    out.id = x->id;
    out.status = status;
    out.accepted_on = x->accepted_on;
    to_public(a, 1, status, &out.mentor);
    to_public(b, 0, status, &out.mentee);
    out.pinned = g->s.pins && listed(g->s.pins, a->key, b->key);
    out.terms = t.t;
    out.nterms = t.n;
    out.cost = t.cost;
    out.explain = t.explain;
    out.activities = x->activities;
    out.last_activity = x->last;
    return fn(ctx, &out);
}

/* ---- propose ---- */

/* The assignment: mentors (rows) against mentees (columns), both those
 * not in an accepted pair. */
struct problem {
    int n, m, rows, cols;
    struct member **r, **c;
    double *cost;
    unsigned char *forbidden;
    int *pin_row, *pin_col, npins;
    int *row_to_col;
};

static void problem_free(struct problem *q)
{
    free(q->r);
    free(q->c);
    free(q->cost);
    free(q->forbidden);
    free(q->pin_row);
    free(q->pin_col);
    free(q->row_to_col);
}

static int index_of(struct member **v, int n, const struct member *m)
{
    int i;

    for (i = 0; i < n; i++)
        if (v[i] == m)
            return i;
    return -1;
}

/* Resolves the settings' pins to rows and columns; every problem to
 * diag. */
static int place_pins(struct prog *g, struct problem *q, zx_diag *diag)
{
    size_t k, np = g->s.pins ? json_array_size(g->s.pins) : 0;
    int bad = 0;

    if (np && (!(q->pin_row = malloc(np * sizeof(int))) ||
               !(q->pin_col = malloc(np * sizeof(int)))))
        return ZX_ENOMEM;
    for (k = 0; k < np; k++) {
        json_t *pin = json_array_get(g->s.pins, k);
        const char *mk = json_string_value(json_array_get(pin, 0));
        const char *ek = json_string_value(json_array_get(pin, 1));
        struct member *a = by_key(&g->side[1], mk);
        struct member *b = by_key(&g->side[0], ek);
        struct terms t;
        int i, j;

        if (!a || !b) {
            zx_diag_add(diag, "", 0, -1, "指定结对 %s:%s 中的“%s”不在%s名单中",
                        mk, ek, a ? ek : mk, a ? "受援方" : "带教方");
            bad = 1;
            continue;
        }
        i = index_of(q->r, q->n, a);
        j = index_of(q->c, q->m, b);
        if (i < 0 || j < 0) {
            /* already together: the pin is kept as it stands */
            if (a->accepted && b->accepted && a->pair == b->pair)
                continue;
            zx_diag_add(diag, "", 0, -1, "指定结对 %s:%s 无法安排：“%s”已有确认"
                        "的结对", mk, ek, i < 0 ? mk : ek);
            bad = 1;
            continue;
        }
        terms_of(&g->s, a, b, 1, &t);
        if (t.impossible) {
            zx_diag_add(diag, "", 0, -1, "指定结对 %s:%s 不满足必备条件：%s",
                        mk, ek, t.explain);
            bad = 1;
            continue;
        }
        q->pin_row[q->npins] = i;
        q->pin_col[q->npins] = j;
        q->npins++;
    }
    return bad ? ZX_EDATA : ZX_OK;
}

/* Builds the matrix: real pairs, then a private "nobody" for each row
 * (n <= m: a column of its own) or each column (n > m: a row of its
 * own), at a cost above any saving the other pairs could make. */
static int build(struct prog *g, struct problem *q, zx_diag *diag)
{
    double big, maxabs = 0;
    size_t cells;
    int i, j, rc, k;

    for (k = 1; k >= 0; k--) {
        struct side *sd = &g->side[k];
        struct member ***v = k ? &q->r : &q->c;
        int *n = k ? &q->n : &q->m;

        if (!(*v = malloc((size_t)(sd->n ? sd->n : 1) * sizeof(**v))))
            return ZX_ENOMEM;
        for (i = 0; i < sd->n; i++)
            if (!sd->v[i].accepted)
                (*v)[(*n)++] = &sd->v[i];
    }
    q->rows = q->n + (q->n > q->m ? q->m : 0);
    q->cols = q->m + (q->n > q->m ? 0 : q->n);
    cells = (size_t)q->rows * (size_t)q->cols;
    if (!(q->cost = malloc((cells ? cells : 1) * sizeof(double))) ||
        !(q->forbidden = calloc(cells ? cells : 1, 1)) ||
        !(q->row_to_col = malloc((size_t)(q->rows ? q->rows : 1) *
                                 sizeof(int))))
        return ZX_ENOMEM;
    for (i = 0; i < q->n; i++)
        for (j = 0; j < q->m; j++) {
            size_t c = (size_t)i * (size_t)q->cols + (size_t)j;
            struct terms t;

            terms_of(&g->s, q->r[i], q->c[j], 0, &t);
            q->cost[c] = t.cost;
            if (t.impossible || (g->s.forbids &&
                                 listed(g->s.forbids, q->r[i]->key,
                                        q->c[j]->key)))
                q->forbidden[c] = 1;
            else if (fabs(t.cost) > maxabs)
                maxabs = fabs(t.cost);
        }
    /* one real pair more outweighs any change of the others' costs */
    big = (2.0 * (q->n < q->m ? q->n : q->m) + 2) * (maxabs + 1);
    for (i = 0; i < q->rows; i++)
        for (j = 0; j < q->cols; j++) {
            size_t c = (size_t)i * (size_t)q->cols + (size_t)j;

            if (i < q->n && j < q->m)
                continue;
            q->cost[c] = big;
            /* nobody of row i is column m + i; of column j, row n + j */
            q->forbidden[c] = !(q->n <= q->m ? j - q->m == i : i - q->n == j);
        }
    if ((rc = place_pins(g, q, diag)))
        return rc;
    return ZX_OK;
}

int zx_pairing_propose(zx_db *db, zx_engine *eng, const char *programme,
                       int year, const char *actor, zx_pairing_outcome *out,
                       zx_pairing_pair_fn fn, void *ctx, zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    struct problem q;
    struct prog g;
    sqlite3_stmt *st;
    json_t *log = NULL, *list;
    long long *ids = NULL;
    double total;
    int rc, i, in_tx = 0, unmatched;

    memset(&q, 0, sizeof(q));
    memset(&g, 0, sizeof(g));
    if (out)
        memset(out, 0, sizeof(*out));
    if (p < 0)
        return ZX_ENOTFOUND;
    if ((rc = load_prog(db, eng, p, year, &g, diag)) ||
        (rc = build(&g, &q, diag)))
        goto fail;
    rc = zx_assign_solve(q.cost, q.rows, q.cols, q.forbidden, q.pin_row,
                         q.pin_col, q.npins, q.row_to_col, &total,
                         &unmatched);
    if (rc) {
        /* every row and column has its own nobody: only a bug lands here */
        zx_diag_add(diag, "", 0, -1, "结对求解失败：%s", zx_strerror(rc));
        goto fail;
    }

    rc = ZX_ENOMEM;
    if (!(log = json_pack("{s:i, s:[]}", "year", year, "pairs")) ||
        !(ids = calloc((size_t)(q.n ? q.n : 1), sizeof(*ids))))
        goto fail;
    list = json_object_get(log, "pairs");
    if ((rc = zx_db_begin(db)))
        goto fail;
    in_tx = 1;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "DELETE FROM pairing WHERE programme = ?1"
                           " AND status = 'proposed'");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, zx_pairing_programme_id(p), -1,
                      SQLITE_STATIC);
    if (zx_pair_step_done(st))
        goto fail;
    for (i = 0; i < q.n; i++) {
        int j = q.row_to_col[i];
        struct terms t;

        if (j < 0 || j >= q.m)
            continue;
        st = zx_db_prepare(db, "INSERT INTO pairing(programme, mentor_id,"
                               " mentee_id, status) VALUES (?1, ?2, ?3,"
                               " 'proposed')");
        if (!st)
            goto fail;
        sqlite3_bind_text(st, 1, zx_pairing_programme_id(p), -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, q.r[i]->id);
        sqlite3_bind_int64(st, 3, q.c[j]->id);
        if (zx_pair_step_done(st))
            goto fail;
        ids[i] = sqlite3_last_insert_rowid(zx_db_sqlite(db));
        terms_of(&g.s, q.r[i], q.c[j], 0, &t);
        rc = ZX_ENOMEM;
        if (json_array_append_new(list, json_pack("[s, s, f]", q.r[i]->key,
                                                  q.c[j]->key, t.cost)))
            goto fail;
        rc = ZX_EDB;
        if (out) {
            out->pairs++;
            out->total += t.cost;
        }
    }
    rc = zx_pair_audit(db, actor, "propose", "pairing",
                       zx_pairing_programme_id(p), NULL, log);
    log = NULL;
    if (rc)
        goto fail;
    in_tx = 0;
    if ((rc = zx_db_commit(db)))
        goto fail;

    if (out) {
        for (i = 0; i < g.npairs; i++)
            out->kept += g.pairs[i].accepted;
        out->mentors_left = q.n - out->pairs;
        out->mentees_left = q.m - out->pairs;
    }
    /* mentors are in key order, so the new pairs come as a listing has
     * them */
    for (i = 0; fn && rc == ZX_OK && i < q.n; i++) {
        struct pair x;

        if (!ids[i])
            continue;
        memset(&x, 0, sizeof(x));
        x.id = ids[i];
        x.mentor = q.r[i]->id;
        x.mentee = q.c[q.row_to_col[i]]->id;
        rc = emit_pair(&g, &x, q.r[i], q.c[q.row_to_col[i]], fn, ctx);
    }

fail:
    if (in_tx)
        zx_db_rollback(db);
    free(ids);
    json_decref(log);
    problem_free(&q);
    prog_free(&g);
    return rc;
}

/* ---- accept, edit, list ---- */

static int accept_one(zx_db *db, int p, long long id, const char *today,
                      const char *actor, zx_diag *diag)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT status FROM pairing"
                                         " WHERE id = ?1 AND programme = ?2");
    char key[24];
    int r, accepted = 0;

    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, zx_pairing_programme_id(p), -1,
                      SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        accepted = strcmp((const char *)sqlite3_column_text(st, 0),
                          "accepted") == 0;
    sqlite3_reset(st);
    if (r == SQLITE_DONE) {
        zx_diag_add(diag, "", 0, -1, "结对项目 %s 中没有编号为 %lld 的结对",
                    zx_pairing_programme_id(p), id);
        return ZX_ENOTFOUND;
    }
    if (r != SQLITE_ROW)
        return ZX_EDB;
    if (accepted) {
        zx_diag_add(diag, "", 0, -1, "结对 %lld 已经确认过", id);
        return ZX_EDATA;
    }
    st = zx_db_prepare(db, "UPDATE pairing SET status = 'accepted',"
                           " accepted_on = ?2 WHERE id = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
    if (zx_pair_step_done(st))
        return ZX_EDB;
    snprintf(key, sizeof(key), "%lld", id);
    return zx_pair_audit(db, actor, "accept", "pairing", key,
                         json_pack("{s:s}", "status", "proposed"),
                         json_pack("{s:s, s:s}", "status", "accepted",
                                   "accepted_on", today));
}

int zx_pairing_accept(zx_db *db, const char *programme, const long long *ids,
                      int n, const char *today, const char *actor,
                      int *accepted, zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    long long *all = NULL;
    char day[11];
    int rc, i, r, cap = 0;

    if (accepted)
        *accepted = 0;
    if (p < 0)
        return ZX_ENOTFOUND;
    if (zx_pair_check_date(today, day)) {
        zx_diag_add(diag, "", 0, -1, "日期“%s”无效：应为 YYYY-MM-DD",
                    today ? today : "");
        return ZX_EINVAL;
    }
    if ((rc = zx_db_begin(db)))
        return rc;
    if (n == 0) {
        sqlite3_stmt *st = zx_db_prepare(db, "SELECT id FROM pairing WHERE"
                                             " programme = ?1 AND status ="
                                             " 'proposed' ORDER BY id");

        rc = ZX_EDB;
        if (!st)
            goto fail;
        sqlite3_bind_text(st, 1, zx_pairing_programme_id(p), -1,
                          SQLITE_STATIC);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            long long *v = zx_push((void **)&all, &n, &cap, sizeof(*v));

            if (!v) {
                rc = ZX_ENOMEM;
                break;
            }
            *v = sqlite3_column_int64(st, 0);
        }
        sqlite3_reset(st);
        if (r != SQLITE_DONE)
            goto fail;
        ids = all;
    }
    for (i = 0; i < n; i++)
        if ((rc = accept_one(db, p, ids[i], day, actor, diag)))
            goto fail;
    if ((rc = zx_db_commit(db)))
        goto fail;
    if (accepted)
        *accepted = n;
    free(all);
    return ZX_OK;

fail:
    free(all);
    zx_db_rollback(db);
    return rc;
}

int zx_pair_programme_of(zx_db *db, long long id, int *accepted)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT programme, status ="
                                         " 'accepted' FROM pairing"
                                         " WHERE id = ?1");
    int r, p = -1;

    if (!st)
        return -2;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        p = zx_pairing_programme_parse((const char *)
                                       sqlite3_column_text(st, 0));
        *accepted = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? p : -2;
}

int zx_pairing_edit(zx_db *db, long long id, const char *mentor_key,
                    const char *mentee_key, const char *actor,
                    zx_diag *diag)
{
    struct member *a, *b, *was_a, *was_b;
    struct pair *x = NULL;
    struct prog g;
    struct terms t;
    sqlite3_stmt *st;
    char key[24];
    int p, accepted = 0, rc, i;

    memset(&g, 0, sizeof(g));
    if ((rc = zx_db_begin(db)))
        return rc;
    if ((p = zx_pair_programme_of(db, id, &accepted)) < 0) {
        if (p == -1)
            zx_diag_add(diag, "", 0, -1, "没有编号为 %lld 的结对", id);
        rc = p == -1 ? ZX_ENOTFOUND : ZX_EDB;
        goto fail;
    }
    if (accepted) {
        zx_diag_add(diag, "", 0, -1, "结对 %lld 已经确认，不能再调整", id);
        rc = ZX_EDATA;
        goto fail;
    }
    if ((rc = load_prog(db, NULL, p, 0, &g, diag)))
        goto fail;
    for (i = 0; i < g.npairs; i++)
        if (g.pairs[i].id == id)
            x = &g.pairs[i];
    was_a = x ? by_id(&g.side[1], x->mentor) : NULL;
    was_b = x ? by_id(&g.side[0], x->mentee) : NULL;
    rc = ZX_EDB;
    if (!was_a || !was_b)
        goto fail;
    a = mentor_key ? by_key(&g.side[1], mentor_key) : was_a;
    b = mentee_key ? by_key(&g.side[0], mentee_key) : was_b;
    rc = ZX_EDATA;
    if (!a || !b) {
        zx_diag_add(diag, "", 0, -1, "“%s”不在结对项目 %s 的%s名单中",
                    a ? mentee_key : mentor_key, zx_pairing_programme_id(p),
                    a ? "受援方" : "带教方");
        goto fail;
    }
    if ((a != was_a && a->pair) || (b != was_b && b->pair)) {
        zx_diag_add(diag, "", 0, -1, "“%s”已在另一对结对中",
                    a != was_a && a->pair ? a->key : b->key);
        goto fail;
    }
    terms_of(&g.s, a, b, 1, &t);
    if (t.impossible) {
        zx_diag_add(diag, "", 0, -1, "%s:%s 不满足必备条件：%s", a->key,
                    b->key, t.explain);
        goto fail;
    }
    if (g.s.forbids && listed(g.s.forbids, a->key, b->key)) {
        zx_diag_add(diag, "", 0, -1, "%s:%s 在设置中被禁止结对", a->key,
                    b->key);
        goto fail;
    }
    rc = ZX_EDB;
    st = zx_db_prepare(db, "UPDATE pairing SET mentor_id = ?2, mentee_id = ?3"
                           " WHERE id = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, a->id);
    sqlite3_bind_int64(st, 3, b->id);
    if (zx_pair_step_done(st))
        goto fail;
    snprintf(key, sizeof(key), "%lld", id);
    if ((rc = zx_pair_audit(db, actor, "update", "pairing", key,
                            json_pack("{s:s, s:s}", "mentor", was_a->key,
                                      "mentee", was_b->key),
                            json_pack("{s:s, s:s}", "mentor", a->key,
                                      "mentee", b->key))))
        goto fail;
    prog_free(&g);
    return zx_db_commit(db);

fail:
    prog_free(&g);
    zx_db_rollback(db);
    return rc;
}

/* Accepted pairs first, then by mentor key. */
static int pair_order(const void *x, const void *y)
{
    const struct pair *a = *(const struct pair *const *)x;
    const struct pair *b = *(const struct pair *const *)y;

    if (a->accepted != b->accepted)
        return b->accepted - a->accepted;
    return strcmp(a->mkey, b->mkey);
}

int zx_pairing_list(zx_db *db, zx_engine *eng, const char *programme,
                    int year, zx_pairing_pair_fn fn, void *ctx,
                    zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    struct pair **order = NULL;
    struct prog g;
    int rc, i, n = 0;

    if (p < 0)
        return ZX_ENOTFOUND;
    if ((rc = load_prog(db, eng, p, year, &g, diag)))
        goto fail;
    rc = ZX_ENOMEM;
    if (!(order = malloc((size_t)(g.npairs ? g.npairs : 1) *
                         sizeof(*order))))
        goto fail;
    for (i = 0; i < g.npairs; i++)
        order[n++] = &g.pairs[i];
    qsort(order, (size_t)n, sizeof(*order), pair_order);
    rc = ZX_OK;
    for (i = 0; rc == ZX_OK && i < n; i++) {
        struct member *a = by_id(&g.side[1], order[i]->mentor);
        struct member *b = by_id(&g.side[0], order[i]->mentee);

        if (a && b)
            rc = emit_pair(&g, order[i], a, b, fn, ctx);
    }

fail:
    free(order);
    prog_free(&g);
    return rc;
}

int zx_pairing_pool_list(zx_db *db, const char *programme,
                         zx_pairing_member_fn fn, void *ctx)
{
    int p = zx_pairing_programme_parse(programme);
    struct prog g;
    zx_diag *diag = zx_diag_new();
    int rc, k, i;

    if (p < 0) {
        zx_diag_free(diag);
        return ZX_ENOTFOUND;
    }
    if (!diag)
        return ZX_ENOMEM;
    rc = load_prog(db, NULL, p, 0, &g, diag);
    for (k = 1; rc == ZX_OK && k >= 0; k--)
        for (i = 0; rc == ZX_OK && i < g.side[k].n; i++) {
            const struct member *m = &g.side[k].v[i];
            zx_pairing_member out;

            to_public(m, k, !m->pair ? "" : m->accepted ? "accepted" :
                      "proposed", &out);
            rc = fn(ctx, &out);
        }
    prog_free(&g);
    zx_diag_free(diag);
    return rc;
}
