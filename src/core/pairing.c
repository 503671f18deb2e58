/*
 * pairing.c - the pairing programmes, their settings and their pools (see
 * pairing.h), and the helpers the module's other files share (pairint.h).
 *
 * A programme's settings are checked in full before they are stored or
 * used: every problem goes to the diagnostics at once.  Filling a pool
 * asks the registry for the members its definition gives and brings the
 * pool to them in one transaction; members in an accepted pair stay.
 * Proposing, accepting and listing pairs are in pairprop.c; activities
 * and statistics in pairact.c.
 */
#include "pairint.h"
#include "audit.h"
#include "codes.h"
#include "map.h"
#include "text.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- programmes and their defaults ---- */

static const struct programme {
    const char *id, *title, *clause, *defaults;
} programmes[ZX_PAIRING_NPROGRAMMES] = {
    { "leaders", "领导小组成员结对帮扶乡村薄弱学校", "4.2-K1",
      "{\"mentors\": {\"member\": \"person\"},"
      " \"mentees\": {\"member\": \"school\", \"where\": \"rural\"},"
      " \"require\": {\"subject\": false, \"stage\": false},"
      " \"weights\": {\"group\": 0, \"distance\": 0, \"weak\": 10},"
      " \"pins\": [], \"forbids\": []}" },
    { "studios", "名师工作室结对乡村学校", "4.2-K2",
      "{\"mentors\": {\"member\": \"teacher\", \"where\": \"all\","
      " \"role\": \"名师工作室领衔人\", \"min_level\": \"县级\","
      " \"name_suffix\": \"名师工作室\"},"
      " \"mentees\": {\"member\": \"school\", \"where\": \"rural\"},"
      " \"require\": {\"subject\": true, \"stage\": true},"
      " \"weights\": {\"group\": 20, \"distance\": 1, \"weak\": 5},"
      " \"pins\": [], \"forbids\": []}" },
    { "subject_leaders", "城区学科带头人一对一帮扶乡村教师（青蓝结对）",
      "4.2-K3",
      "{\"mentors\": {\"member\": \"teacher\", \"where\": \"urban\","
      " \"role\": \"学科带头人\", \"min_level\": \"县级\"},"
      " \"mentees\": {\"member\": \"teacher\", \"where\": \"rural\","
      " \"max_age\": 35, \"not_role\": \"学科带头人\","
      " \"same_subjects\": true},"
      " \"require\": {\"subject\": true, \"stage\": true},"
      " \"weights\": {\"group\": 20, \"distance\": 1, \"weak\": 5},"
      " \"pins\": [], \"forbids\": []}" },
    { "cadres", "机关及集团总校干部挂职蹲点乡村学校", "4.2-K4",
      "{\"mentors\": {\"member\": \"teacher\", \"where\": \"group_hq\","
      " \"posts\": [\"校长\", \"副校长\"]},"
      " \"mentees\": {\"member\": \"school\", \"where\": \"rural\"},"
      " \"require\": {\"subject\": false, \"stage\": true},"
      " \"weights\": {\"group\": 30, \"distance\": 1, \"weak\": 5},"
      " \"pins\": [], \"forbids\": []}" },
};

const char *zx_pairing_programme_id(int p)
{
    return p >= 0 && p < ZX_PAIRING_NPROGRAMMES ? programmes[p].id : NULL;
}

int zx_pairing_programme_parse(const char *s)
{
    int p;

    for (p = 0; s && p < ZX_PAIRING_NPROGRAMMES; p++)
        if (strcmp(s, programmes[p].id) == 0)
            return p;
    return -1;
}

const char *zx_pairing_programme_title(int p)
{
    return p >= 0 && p < ZX_PAIRING_NPROGRAMMES ? programmes[p].title : NULL;
}

const char *zx_pairing_programme_clause(int p)
{
    return p >= 0 && p < ZX_PAIRING_NPROGRAMMES ? programmes[p].clause : NULL;
}

/* ---- helpers the module shares (pairint.h) ---- */

int zx_pair_audit(zx_db *db, const char *actor, const char *action,
                  const char *tbl, const char *key, json_t *old,
                  json_t *new_)
{
    /* a NULL new value is a failed allocation of the caller's */
    int rc = new_ ? zx_audit_append_json(db, actor, action, tbl, key, old,
                                         new_)
                  : ZX_ENOMEM;

    json_decref(old);
    json_decref(new_);
    return rc;
}

int zx_pair_step_done(sqlite3_stmt *st)
{
    return st && sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_pair_check_date(const char *s, char out[11])
{
    char norm[64];
    int y, m, d;

    if (!s || strlen(s) >= sizeof(norm))
        return -1;
    zx_text_norm(s, norm, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    if (zx_text_parse_date(norm, ZX_TEXT_DATE_DAY, &y, &m, &d) || y > 9999)
        return -1;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u);
    return 0;
}

/* ---- settings ---- */

enum member_kind { MK_TEACHER, MK_SCHOOL, MK_PERSON };
enum where { W_ALL, W_URBAN, W_RURAL, W_HQ };

static const char *const member_names[] = { "teacher", "school", "person" };
static const char *const where_names[] = { "all", "urban", "rural",
                                           "group_hq" };

static int name_index(const char *const *names, int n, const char *s)
{
    int i;

    for (i = 0; s && i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

#define BAD(...) (zx_diag_add(diag, "", 0, -1, __VA_ARGS__), bad = 1)

/* Reads one pool's definition; every problem goes to diag. */
static int parse_def(const json_t *o, const char *what, int mentor,
                     struct zx_pair_def *d, zx_diag *diag)
{
    const zx_codelist *titles = zx_codes_get("role_title");
    const zx_codelist *levels = zx_codes_get("role_level");
    const zx_codelist *posts = zx_codes_get("post");
    const char *k;
    json_t *v;
    int bad = 0, i;

    memset(d, 0, sizeof(*d));
    if (!json_is_object(o))
        return BAD("设置中的“%s”应为对象", what), -1;
    json_object_foreach((json_t *)o, k, v) {
        if (strcmp(k, "member") == 0) {
            if ((d->member = name_index(member_names, 3,
                                        json_string_value(v))) < 0)
                BAD("%s.member 应为 teacher、school 或 person", what);
        } else if (strcmp(k, "where") == 0) {
            if ((d->where = name_index(where_names, 4,
                                       json_string_value(v))) < 0)
                BAD("%s.where 应为 all、urban、rural 或 group_hq", what);
        } else if (strcmp(k, "role") == 0 || strcmp(k, "not_role") == 0) {
            const char *t = json_string_value(v);

            if (!t || zx_codes_find(titles, t) < 0)
                BAD("%s.%s 应为称号之一（如 学科带头人）", what, k);
            else
                *(k[0] == 'r' ? &d->role : &d->not_role) =
                    titles->items[zx_codes_find(titles, t)].name;
        } else if (strcmp(k, "min_level") == 0) {
            int top = json_is_string(v) ?
                zx_codes_find(levels, json_string_value(v)) : -1;
            size_t used = 1;

            if (top < 0) {
                BAD("%s.min_level 应为级别之一（国家级、省级、地市级、县级、"
                    "区镇级、校级）", what);
                continue;
            }
            /* the list runs from the highest level down */
            d->levels[0] = '[';
            for (i = 0; i <= top; i++)
                used += (size_t)snprintf(d->levels + used,
                                         sizeof(d->levels) - used, "%s\"%s\"",
                                         i ? "," : "", levels->items[i].name);
            snprintf(d->levels + used, sizeof(d->levels) - used, "]");
        } else if (strcmp(k, "posts") == 0) {
            size_t idx, used = 1;
            json_t *p;

            if (!json_is_array(v) || json_array_size(v) == 0 ||
                json_array_size(v) > 5) {
                BAD("%s.posts 应为 1 至 5 个岗位名称的数组", what);
                continue;
            }
            d->posts[0] = '[';
            json_array_foreach(v, idx, p) {
                i = json_is_string(p) ?
                    zx_codes_find(posts, json_string_value(p)) : -1;
                if (i < 0) {
                    BAD("%s.posts 中的岗位无效：应为 专任教师、校长、副校长、"
                        "中层干部 或 其他", what);
                    break;
                }
                used += (size_t)snprintf(d->posts + used,
                                         sizeof(d->posts) - used, "%s%s",
                                         idx ? "," : "", posts->items[i].code);
            }
            snprintf(d->posts + used, sizeof(d->posts) - used, "]");
        } else if (strcmp(k, "max_age") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 18 ||
                json_integer_value(v) > 80)
                BAD("%s.max_age 应为 18 至 80 的整数", what);
            else
                d->max_age = (int)json_integer_value(v);
        } else if (strcmp(k, "same_subjects") == 0 && !mentor) {
            if (!json_is_boolean(v))
                BAD("%s.same_subjects 应为 true 或 false", what);
            else
                d->same_subjects = json_is_true(v);
        } else if (strcmp(k, "name_suffix") == 0) {
            if (!json_is_string(v) ||
                zx_text_chars(json_string_value(v)) > 20)
                BAD("%s.name_suffix 应为不超过 20 字的文字", what);
            else
                d->suffix = json_string_value(v);
        } else {
            BAD("设置中的“%s.%s”无法识别", what, k);
        }
    }
    if (!json_object_get(o, "member"))
        BAD("%s.member 必须填写（teacher、school 或 person）", what);
    if (d->levels[0] && !d->role)
        BAD("%s.min_level 须与 role 一同使用", what);
    if (d->member != MK_TEACHER &&
        (d->role || d->not_role || d->posts[0] || d->max_age ||
         d->same_subjects || d->suffix))
        BAD("%s：role、not_role、posts、max_age、same_subjects、"
            "name_suffix 只适用于 member 为 teacher 的名单", what);
    if (d->member == MK_PERSON && d->where)
        BAD("%s：member 为 person 的名单按姓名逐个添加，不能设 where", what);
    return bad ? -1 : 0;
}

/* Reads [[mentor, mentee], ...]. */
static int check_pairs(const json_t *a, const char *what, zx_diag *diag)
{
    size_t i;
    json_t *p;
    int bad = 0;

    if (!json_is_array(a))
        return BAD("设置中的“%s”应为数组", what), -1;
    json_array_foreach(a, i, p)
        if (json_array_size(p) != 2 ||
            !json_is_string(json_array_get(p, 0)) ||
            !json_is_string(json_array_get(p, 1)) ||
            !*json_string_value(json_array_get(p, 0)) ||
            !*json_string_value(json_array_get(p, 1)))
            BAD("%s 的第 %zu 项应为 [带教方, 受援方] 两个编号", what, i + 1);
    return bad ? -1 : 0;
}

static int same_pair(const json_t *a, const json_t *b)
{
    return strcmp(json_string_value(json_array_get(a, 0)),
                  json_string_value(json_array_get(b, 0))) == 0 &&
           strcmp(json_string_value(json_array_get(a, 1)),
                  json_string_value(json_array_get(b, 1))) == 0;
}

/* Reads a whole settings document into s (pointing into doc); every
 * problem goes to diag.  Returns ZX_OK or ZX_EDATA. */
static int parse_settings(const json_t *doc, struct zx_pair_settings *s,
                          zx_diag *diag)
{
    static const char *const weights[] = { "group", "distance", "weak" };
    double *w[3];
    const char *k;
    json_t *v, *x;
    size_t i, j;
    int bad = 0, n;

    memset(s, 0, sizeof(*s));
    w[0] = &s->w_group;
    w[1] = &s->w_distance;
    w[2] = &s->w_weak;
    if (!json_is_object(doc))
        return BAD("结对设置应为一个 JSON 对象"), ZX_EDATA;
    json_object_foreach((json_t *)doc, k, v) {
        if (strcmp(k, "mentors") == 0 || strcmp(k, "mentees") == 0) {
            int m = k[4] == 'o';

            if (parse_def(v, k, m, &s->side[m], diag))
                bad = 1;
        } else if (strcmp(k, "require") == 0) {
            const char *rk;

            if (!json_is_object(v)) {
                BAD("设置中的“require”应为对象");
                continue;
            }
            json_object_foreach(v, rk, x) {
                if (!json_is_boolean(x) || (strcmp(rk, "subject") &&
                                            strcmp(rk, "stage")))
                    BAD("require 只接受 subject、stage，取值 true 或 false");
                else
                    *(rk[1] == 'u' ? &s->req_subject : &s->req_stage) =
                        json_is_true(x);
            }
        } else if (strcmp(k, "weights") == 0) {
            const char *wk;

            if (!json_is_object(v)) {
                BAD("设置中的“weights”应为对象");
                continue;
            }
            json_object_foreach(v, wk, x) {
                n = name_index(weights, 3, wk);
                if (n < 0)
                    BAD("权重“%s”无法识别：可设 group、distance、weak", wk);
                else if (!json_is_number(x) ||
                         !isfinite(json_number_value(x)) ||
                         fabs(json_number_value(x)) > 10000)
                    BAD("权重 %s 应为 -10000 至 10000 的数", wk);
                else
                    *w[n] = json_number_value(x);
            }
        } else if (strcmp(k, "pins") == 0 || strcmp(k, "forbids") == 0) {
            if (check_pairs(v, k, diag))
                bad = 1;
            else
                *(k[0] == 'p' ? &s->pins : &s->forbids) = v;
        } else {
            BAD("设置中的“%s”无法识别", k);
        }
    }
    if (!json_object_get(doc, "mentors") || !json_object_get(doc, "mentees"))
        BAD("结对设置须有 mentors 和 mentees 两个名单的定义");
    /* one partner per member: two pins may not share a side (pins and
     * forbids are set only when well formed) */
    for (i = 0; s->pins && i < json_array_size(s->pins); i++) {
        json_t *a = json_array_get(s->pins, i);

        for (j = 0; j < i; j++) {
            json_t *b = json_array_get(s->pins, j);

            for (n = 0; n < 2; n++)
                if (strcmp(json_string_value(json_array_get(a, n)),
                           json_string_value(json_array_get(b, n))) == 0)
                    BAD("“%s”被指定了两次结对：每人（每校）只能结一对",
                        json_string_value(json_array_get(a, n)));
        }
        for (j = 0; s->forbids && j < json_array_size(s->forbids); j++)
            if (same_pair(a, json_array_get(s->forbids, j)))
                BAD("%s:%s 既被指定又被禁止",
                    json_string_value(json_array_get(a, 0)),
                    json_string_value(json_array_get(a, 1)));
    }
    return bad ? ZX_EDATA : ZX_OK;
}

#undef BAD

static void meta_key(int p, char out[64])
{
    snprintf(out, 64, "pairing:%s", programmes[p].id);
}

int zx_pairing_settings_get(zx_db *db, const char *programme, json_t **out)
{
    int p = zx_pairing_programme_parse(programme);
    char key[64], *text;

    *out = NULL;
    if (p < 0)
        return ZX_ENOTFOUND;
    meta_key(p, key);
    text = zx_db_meta_get(db, key);
    *out = json_loads(text ? text : programmes[p].defaults, 0, NULL);
    free(text);
    if (!*out)
        return text ? ZX_EDATA : ZX_ENOMEM;
    return ZX_OK;
}

int zx_pair_load_settings(zx_db *db, int p, json_t **doc,
                          struct zx_pair_settings *s, zx_diag *diag)
{
    int rc = zx_pairing_settings_get(db, programmes[p].id, doc);

    if (rc == ZX_EDATA)
        zx_diag_add(diag, "", 0, -1, "结对项目 %s 保存的设置不是有效的 JSON",
                    programmes[p].id);
    if (rc)
        return rc;
    return parse_settings(*doc, s, diag);
}

int zx_pairing_settings_put(zx_db *db, const char *programme,
                            const json_t *doc, const char *actor,
                            zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    struct zx_pair_settings s;
    json_t *old = NULL;
    char key[64], *text = NULL, *was = NULL;
    int rc;

    if (p < 0)
        return ZX_ENOTFOUND;
    if ((rc = parse_settings(doc, &s, diag)))
        return rc;
    if (!(text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS)))
        return ZX_ENOMEM;
    meta_key(p, key);
    if ((rc = zx_db_begin(db)))
        goto fail;
    was = zx_db_meta_get(db, key);
    if (was && strcmp(was, text) == 0) {
        rc = zx_db_rollback(db);
        goto fail;
    }
    old = json_loads(was ? was : programmes[p].defaults, 0, NULL);
    if ((rc = zx_db_meta_set(db, key, text))) {
        zx_db_rollback(db);
        goto fail;
    }
    rc = zx_pair_audit(db, actor, was ? "update" : "insert", "meta", key,
                       old, json_deep_copy(doc));
    old = NULL;
    if (rc) {
        zx_db_rollback(db);
        goto fail;
    }
    rc = zx_db_commit(db);

fail:
    json_decref(old);
    free(was);
    free(text);
    return rc;
}

/* ---- pools ---- */

/* What a fill found: registry ids (teacher or school) with key and name. */
struct cand {
    long long id, unit;
    char *key, *name;
};

struct cands {
    struct cand *v;
    int n, cap;
};

static void cands_free(struct cands *c)
{
    int i;

    for (i = 0; i < c->n; i++) {
        free(c->v[i].key);
        free(c->v[i].name);
    }
    free(c->v);
    memset(c, 0, sizeof(*c));
}

static int cands_add(struct cands *c, long long id, long long unit,
                     const char *key, const char *name, const char *suffix)
{
    struct cand *x;

    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        struct cand *v = realloc(c->v, (size_t)cap * sizeof(*v));

        if (!v)
            return ZX_ENOMEM;
        c->v = v;
        c->cap = cap;
    }
    x = &c->v[c->n];
    x->id = id;
    x->unit = unit;
    x->key = strdup(key);
    if (asprintf(&x->name, "%s%s", name, suffix ? suffix : "") < 0)
        x->name = NULL;
    if (!x->key || !x->name) {
        free(x->key);
        free(x->name);
        return ZX_ENOMEM;
    }
    c->n++;
    return ZX_OK;
}

/* The school condition shared by both candidate queries: ?2 where,
 * ?3 the plan's rural codes as a JSON array. */
#define WHERE_SCHOOL                                                       \
    " (?2 = 0 OR (?2 = 1 AND s.urban_rural NOT IN"                         \
    "   (SELECT value FROM json_each(?3)))"                                \
    " OR (?2 = 2 AND s.urban_rural IN (SELECT value FROM json_each(?3)))"  \
    " OR (?2 = 3 AND s.group_hq = 1))"

/* A role held in year ?1. */
#define HELD(title)                                                        \
    "SELECT 1 FROM teacher_role r WHERE r.teacher_id = t.id"               \
    " AND r.title = " title " AND r.start_year <= ?1"                      \
    " AND (r.end_year IS NULL OR r.end_year >= ?1)"

static int find_candidates(zx_db *db, const zx_plan *plan, int p, int year,
                           const struct zx_pair_def *d, struct cands *out)
{
    sqlite3_stmt *st;
    const int *rural;
    char codes[256];
    size_t used = 1;
    int i, n, r, rc = ZX_OK;

    rural = zx_plan_rural(plan, &n);
    codes[0] = '[';
    for (i = 0; i < n && used < sizeof(codes) - 16; i++)
        used += (size_t)snprintf(codes + used, sizeof(codes) - used, "%s%d",
                                 i ? "," : "", rural[i]);
    snprintf(codes + used, sizeof(codes) - used, "]");

    if (d->member == MK_SCHOOL)
        st = zx_db_prepare(db, "SELECT u.id, u.id, u.code, u.name FROM school s"
                               " JOIN org_unit u ON u.id = s.unit_id WHERE"
                               WHERE_SCHOOL " ORDER BY u.code");
    else
        st = zx_db_prepare(db,
            "SELECT t.id, t.school_id, t.teacher_no, t.name FROM teacher t"
            " JOIN school s ON s.unit_id = t.school_id WHERE" WHERE_SCHOOL
            " AND (?4 IS NULL OR EXISTS (" HELD("?4")
            "  AND (?5 IS NULL OR r.level IN"
            "   (SELECT value FROM json_each(?5)))))"
            " AND (?6 IS NULL OR t.post IN (SELECT value FROM json_each(?6)))"
            " AND (?7 IS NULL OR"
            "  ?1 - CAST(substr(t.birth, 1, 4) AS INTEGER) <= ?7)"
            " AND (?8 IS NULL OR NOT EXISTS (" HELD("?8") "))"
            " AND (?9 IS NULL OR t.subject IN (SELECT t2.subject FROM"
            "  pairing_pool q JOIN teacher t2 ON t2.id = q.teacher_id"
            "  WHERE q.programme = ?9 AND q.side = 'mentor'))"
            " ORDER BY t.teacher_no");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int(st, 2, d->where);
    sqlite3_bind_text(st, 3, codes, -1, SQLITE_TRANSIENT);
    if (d->member == MK_TEACHER) {
        if (d->role)
            sqlite3_bind_text(st, 4, d->role, -1, SQLITE_STATIC);
        if (d->levels[0])
            sqlite3_bind_text(st, 5, d->levels, -1, SQLITE_STATIC);
        if (d->posts[0])
            sqlite3_bind_text(st, 6, d->posts, -1, SQLITE_STATIC);
        if (d->max_age)
            sqlite3_bind_int(st, 7, d->max_age);
        if (d->not_role)
            sqlite3_bind_text(st, 8, d->not_role, -1, SQLITE_STATIC);
        if (d->same_subjects)
            sqlite3_bind_text(st, 9, programmes[p].id, -1, SQLITE_STATIC);
    }
    while (rc == ZX_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = cands_add(out, sqlite3_column_int64(st, 0),
                       sqlite3_column_int64(st, 1),
                       (const char *)sqlite3_column_text(st, 2),
                       (const char *)sqlite3_column_text(st, 3),
                       d->member == MK_TEACHER ? d->suffix : NULL);
    if (rc == ZX_OK && r != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_reset(st);
    return rc;
}

/* Whether pool member id is in an accepted pair (1), not (0), or -1. */
static int in_accepted(zx_db *db, long long id)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT 1 FROM pairing WHERE"
                                         " (mentor_id = ?1 OR mentee_id = ?1)"
                                         " AND status = 'accepted'");
    int r;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

/* Deletes pool member id and its proposed pairs (not in accepted ones). */
static int delete_member(zx_db *db, long long id)
{
    sqlite3_stmt *st;

    st = zx_db_prepare(db, "DELETE FROM pairing WHERE (mentor_id = ?1 OR"
                           " mentee_id = ?1) AND status = 'proposed'");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (zx_pair_step_done(st))
        return ZX_EDB;
    st = zx_db_prepare(db, "DELETE FROM pairing_pool WHERE id = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_int64(st, 1, id);
    return zx_pair_step_done(st);
}

static int insert_member(zx_db *db, int p, int mentor, const char *name,
                         long long teacher, long long school, long long unit)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "INSERT INTO pairing_pool(programme, side, name, teacher_id,"
        " school_id, unit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, programmes[p].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mentor ? "mentor" : "mentee", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
    if (teacher)
        sqlite3_bind_int64(st, 4, teacher);
    if (school)
        sqlite3_bind_int64(st, 5, school);
    sqlite3_bind_int64(st, 6, unit);
    return zx_pair_step_done(st);
}

/* Brings one side of the pool to the candidates; names of what was added
 * and removed go to the arrays. */
static int fill_side(zx_db *db, int p, int mentor, int member,
                     const struct cands *c,
                     json_t *added, json_t *removed, json_t *kept)
{
    sqlite3_stmt *st;
    zx_map *want = zx_map_new(), *have = zx_map_new();
    long long *gone = NULL, v;
    char **gone_key = NULL;
    int ngone = 0, cap = 0, i, r, rc = ZX_ENOMEM;

    if (!want || !have)
        goto fail;
    for (i = 0; i < c->n; i++)
        if (zx_map_put(want, c->v[i].key, i))
            goto fail;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "SELECT p.id, " ZX_PAIR_MEMBER_KEY ","
                           " p.teacher_id IS NULL"
                           " AND p.school_id IS NULL FROM pairing_pool p"
                           ZX_PAIR_MEMBER_JOINS " WHERE p.programme = ?1"
                           " AND p.side = ?2");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, programmes[p].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mentor ? "mentor" : "mentee", -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 1);

        if (zx_map_put(have, key, 1)) {
            rc = ZX_ENOMEM;
            break;
        }
        /* people added by name stay, and so do the wanted */
        if (sqlite3_column_int(st, 2) || zx_map_get(want, key, &v))
            continue;
        if (ngone == cap) {
            void *a, *b;

            cap = cap ? cap * 2 : 16;
            a = realloc(gone, (size_t)cap * sizeof(*gone));
            if (a)
                gone = a;
            b = realloc(gone_key, (size_t)cap * sizeof(*gone_key));
            if (b)
                gone_key = b;
            if (!a || !b) {
                rc = ZX_ENOMEM;
                break;
            }
        }
        gone[ngone] = sqlite3_column_int64(st, 0);
        if (!(gone_key[ngone] = strdup(key))) {
            rc = ZX_ENOMEM;
            break;
        }
        ngone++;
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        goto fail;
    for (i = 0; i < ngone; i++) {
        int acc = in_accepted(db, gone[i]);

        rc = ZX_EDB;
        if (acc < 0 || (!acc && delete_member(db, gone[i])))
            goto fail;
        rc = ZX_ENOMEM;
        if (json_array_append_new(acc ? kept : removed,
                                  json_string(gone_key[i])))
            goto fail;
    }
    for (i = 0; i < c->n; i++) {
        const struct cand *x = &c->v[i];
        int teacher = member == MK_TEACHER;

        if (zx_map_get(have, x->key, &v))
            continue;
        /* a school stands for itself; a teacher rolls up to the school */
        rc = insert_member(db, p, mentor, x->name, teacher ? x->id : 0,
                           teacher ? 0 : x->id, x->unit);
        if (rc)
            goto fail;
        rc = ZX_ENOMEM;
        if (json_array_append_new(added, json_string(x->key)))
            goto fail;
    }
    rc = ZX_OK;

fail:
    for (i = 0; i < ngone; i++)
        free(gone_key[i]);
    free(gone_key);
    free(gone);
    zx_map_free(want);
    zx_map_free(have);
    return rc;
}

int zx_pairing_pool_fill(zx_db *db, const zx_plan *plan,
                         const char *programme, int year, const char *actor,
                         int *added, int *removed, zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    struct zx_pair_settings s;
    struct cands c = { NULL, 0, 0 };
    json_t *doc = NULL, *log = NULL;
    int rc, side, in_tx = 0;

    if (added)
        *added = 0;
    if (removed)
        *removed = 0;
    if (p < 0)
        return ZX_ENOTFOUND;
    if ((rc = zx_pair_load_settings(db, p, &doc, &s, diag)))
        goto fail;
    rc = ZX_ENOMEM;
    if (!(log = json_pack("{s:i, s:{s:[], s:[], s:[]}, s:{s:[], s:[], s:[]}}",
                          "year", year, "mentors", "added", "removed",
                          "kept_paired", "mentees", "added", "removed",
                          "kept_paired")))
        goto fail;
    if ((rc = zx_db_begin(db)))
        goto fail;
    in_tx = 1;
    /* mentors first: a mentee definition may follow their subjects */
    for (side = 1; side >= 0; side--) {
        json_t *o = json_object_get(log, side ? "mentors" : "mentees");

        if (s.side[side].member == MK_PERSON)
            continue;
        cands_free(&c);
        if ((rc = find_candidates(db, plan, p, year, &s.side[side], &c)) ||
            (rc = fill_side(db, p, side, s.side[side].member, &c,
                            json_object_get(o, "added"),
                            json_object_get(o, "removed"),
                            json_object_get(o, "kept_paired"))))
            goto fail;
        if (added)
            *added += (int)json_array_size(json_object_get(o, "added"));
        if (removed)
            *removed += (int)json_array_size(json_object_get(o, "removed"));
    }
    rc = zx_pair_audit(db, actor, "fill", "pairing_pool", programmes[p].id,
                       NULL, log);
    log = NULL;
    if (rc)
        goto fail;
    in_tx = 0;
    rc = zx_db_commit(db);

fail:
    if (in_tx)
        zx_db_rollback(db);
    cands_free(&c);
    json_decref(log);
    json_decref(doc);
    return rc;
}

/* The pool row of key in programme p (either side, or only the side
 * `mentor` when it is 0 or 1): its id, or 0 when absent, -1 on error. */
static long long find_member(zx_db *db, int p, int mentor, const char *key)
{
    sqlite3_stmt *st = zx_db_prepare(db,
        "SELECT p.id FROM pairing_pool p" ZX_PAIR_MEMBER_JOINS
        " WHERE p.programme = ?1 AND " ZX_PAIR_MEMBER_KEY " = ?2"
        " AND (?3 IS NULL OR p.side = ?3) ORDER BY p.side = 'mentee'");
    long long id;
    int r;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, programmes[p].id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    if (mentor >= 0)
        sqlite3_bind_text(st, 3, mentor ? "mentor" : "mentee", -1,
                          SQLITE_STATIC);
    r = sqlite3_step(st);
    id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) :
         r == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return id;
}

int zx_pairing_pool_add(zx_db *db, const char *programme, int mentor,
                        const char *key, int person, const char *actor,
                        zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    sqlite3_stmt *st;
    long long teacher = 0, school = 0, unit = 0, have;
    char *name = NULL;
    int rc, r;

    mentor = mentor != 0;
    if (p < 0)
        return ZX_ENOTFOUND;
    if (!key || !*key || zx_text_chars(key) > 60) {
        zx_diag_add(diag, "", 0, -1, "编号或姓名不能为空，且不超过 60 字");
        return ZX_EINVAL;
    }
    if ((rc = zx_db_begin(db)))
        return rc;
    rc = ZX_EDB;
    if ((have = find_member(db, p, mentor, key)) < 0)
        goto fail;
    if (have) {
        zx_diag_add(diag, "", 0, -1, "“%s”已在%s名单中", key,
                    mentor ? "带教方" : "受援方");
        rc = ZX_EEXIST;
        goto fail;
    }
    /* a teacher rolls up to the school, a school to itself, a person to
     * the city */
    st = person ?
        zx_db_prepare(db, "SELECT NULL, NULL, id, ?1 FROM org_unit"
                          " WHERE kind = 'city'") :
        zx_db_prepare(db, "SELECT id, NULL, school_id, name FROM teacher"
                          " WHERE teacher_no = ?1 UNION ALL"
                          " SELECT NULL, u.id, u.id, u.name FROM org_unit u"
                          " JOIN school s ON s.unit_id = u.id"
                          " WHERE u.code = ?1");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        teacher = sqlite3_column_int64(st, 0);
        school = sqlite3_column_int64(st, 1);
        unit = sqlite3_column_int64(st, 2);
        name = strdup((const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_reset(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        goto fail;
    if (r == SQLITE_DONE) {
        zx_diag_add(diag, "", 0, -1, person ? "数据库中还没有市级单位" :
                    "没有教师编号或学校标识码为“%s”的教师或学校", key);
        rc = ZX_ENOTFOUND;
        goto fail;
    }
    rc = ZX_ENOMEM;
    if (!name)
        goto fail;
    if ((rc = insert_member(db, p, mentor, name, teacher, school, unit)) ||
        (rc = zx_pair_audit(db, actor, "insert", "pairing_pool",
                            programmes[p].id, NULL,
                            json_pack("{s:s, s:s, s:s, s:s}", "side",
                                      mentor ? "mentor" : "mentee", "key",
                                      key, "name", name, "kind",
                                      teacher ? "teacher" :
                                      school ? "school" : "person"))))
        goto fail;
    free(name);
    return zx_db_commit(db);

fail:
    free(name);
    zx_db_rollback(db);
    return rc;
}

int zx_pairing_pool_remove(zx_db *db, const char *programme,
                           const char *key, const char *actor,
                           zx_diag *diag)
{
    int p = zx_pairing_programme_parse(programme);
    long long id;
    int rc, acc;

    if (p < 0)
        return ZX_ENOTFOUND;
    if ((rc = zx_db_begin(db)))
        return rc;
    rc = ZX_EDB;
    if ((id = find_member(db, p, -1, key)) < 0 ||
        (id && (acc = in_accepted(db, id)) < 0))
        goto fail;
    if (!id) {
        zx_diag_add(diag, "", 0, -1, "结对项目 %s 的名单中没有“%s”",
                    programmes[p].id, key);
        rc = ZX_ENOTFOUND;
        goto fail;
    }
    if (acc) {
        zx_diag_add(diag, "", 0, -1, "“%s”已有确认的结对，不能移出名单", key);
        rc = ZX_EDATA;
        goto fail;
    }
    if ((rc = delete_member(db, id)) ||
        (rc = zx_pair_audit(db, actor, "delete", "pairing_pool",
                            programmes[p].id, json_pack("{s:s}", "key", key),
                            json_object())))
        goto fail;
    return zx_db_commit(db);

fail:
    zx_db_rollback(db);
    return rc;
}
