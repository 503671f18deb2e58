/*
 * api_review.c - the approval workflow over HTTP (/api/review): lists of
 * submissions for the review screens, and the actions, one unit or many
 * at once.
 *
 * Who may do what is decided by review.c against the caller's scope; a
 * bulk action answers per unit, so that "10 accepted, 2 in the wrong
 * state" can be shown.  Codes of units that do not exist come back
 * exactly like units outside the caller's sight.
 */
#include "api.h"
#include "review.h"
#include "values.h"
#include "zx.h"

#include <stdlib.h>
#include <string.h>

static json_t *item_json(const zx_review_item *it)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}",
                     "code", it->unit_code, "name", it->unit_name, "level",
                     zx_level_name(it->level), "town", it->town_name, "year",
                     it->year, "state", zx_review_state_id(it->state),
                     "state_name", zx_review_state_name(it->state),
                     "comment", it->comment, "updated_by", it->updated_by,
                     "updated_at", it->updated_at);
}

/* Counts are over every state, so that the tabs of a review screen keep
 * their numbers while one state is listed. */
struct listing {
    json_t *items;
    unsigned states;           /* listed: 1u << state; 0 = all */
    zx_api_pager page;
    long long counts[ZX_REVIEW_NSTATES];
};

static int add_item(void *ctx, const zx_review_item *it)
{
    struct listing *l = ctx;

    l->counts[it->state]++;
    if (l->states && !(l->states & (1u << it->state)))
        return 0;
    if (!zx_api_pager_take(&l->page))
        return 0;
    return json_array_append_new(l->items, item_json(it)) ? ZX_ENOMEM : 0;
}

static int year_of(zx_call *c, int *year)
{
    int ok = 1;

    if (!zx_api_need_plan(c))
        return -1;
    *year = (int)zx_api_query_int(c, "year", zx_values_current_year(c->plan),
                                  1900, 2100, &ok);
    return ok ? 0 : -1;
}

static void list(zx_call *c)
{
    const char *lv = zx_http_query(c->req, "level");
    const char *within_code = zx_http_query(c->req, "within");
    const char *st = zx_http_query(c->req, "state");
    struct listing l = { 0 };
    long long within = 0;
    unsigned states = 0;
    json_t *counts;
    int year, level = ZX_LEVEL_SCHOOL, rc, i;

    if (year_of(c, &year) || zx_api_page(c, &l.page.offset, &l.page.limit))
        return;
    if (lv && *lv && (level = zx_level_parse(lv)) != ZX_LEVEL_SCHOOL &&
        level != ZX_LEVEL_TOWN) {
        zx_api_error(c, 400, "bad_parameter",
                     "level 的值“%s”无效：应为 school 或 town", lv);
        return;
    }
    if (within_code && *within_code &&
        zx_api_unit(c, within_code, &within, NULL))
        return;
    if (st && *st) {
        char buf[128], *tok, *save = NULL;

        snprintf(buf, sizeof(buf), "%s", st);
        for (tok = strtok_r(buf, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            int s = zx_review_state_parse(tok);

            if (s < 0) {
                zx_api_error(c, 400, "bad_parameter",
                             "state 的值“%s”无效：应为 draft、submitted、"
                             "approved、returned 或 accepted", tok);
                return;
            }
            states |= 1u << s;
        }
    }
    l.items = json_array();
    l.states = states;
    rc = zx_review_list(c->db, c->scope, (enum zx_level)level, within, year,
                        0, add_item, &l);
    if (rc) {
        json_decref(l.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    counts = json_object();
    for (i = 0; i < ZX_REVIEW_NSTATES; i++)
        json_object_set_new(counts, zx_review_state_id(i),
                            json_integer(l.counts[i]));
    zx_api_json(c, 200,
                json_pack("{s:o, s:I, s:I, s:I, s:i, s:o}", "items", l.items,
                          "total", (json_int_t)l.page.total, "page",
                          (json_int_t)(l.page.offset / l.page.limit + 1),
                          "size", (json_int_t)l.page.limit, "year", year,
                          "counts", counts));
}

static void get_one(zx_call *c)
{
    zx_review_item it;
    long long id;
    int year, rc;

    if (year_of(c, &year) || zx_api_unit(c, c->params[0], &id, NULL))
        return;
    if ((rc = zx_review_get(c->db, c->scope, id, year, &it))) {
        if (rc == ZX_EINVAL)
            zx_api_error(c, 400, "invalid", "只有学校和区镇上报数据");
        else
            zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200, item_json(&it));
}

/* Body {"year", "units": [codes], "comment"}. */
static void act(zx_call *c)
{
    json_t *b = zx_api_body(c), *units, *outs = NULL;
    int action = zx_review_action_parse(c->params[0]), year;
    zx_review_outcome *out = NULL;
    long long *ids = NULL;
    const char *comment;
    size_t i, n, done = 0;
    sqlite3_stmt *st;
    int rc;

    if (!b)
        return;
    if (action < 0) {
        zx_api_error(c, 404, "not_found", "没有这个审核操作：%s",
                     c->params[0]);
        goto out;
    }
    if (!zx_api_need_plan(c))
        goto out;
    units = json_object_get(b, "units");
    n = json_array_size(units);
    if (zx_api_body_year(c, b, zx_values_current_year(c->plan), &year))
        goto out;
    comment = zx_api_str(b, "comment");
    if (!json_is_array(units) || n == 0 || n > 20000) {
        zx_api_error(c, 400, "invalid", "units 应为 1～20000 个单位编码的数组");
        goto out;
    }
    ids = calloc(n, sizeof(*ids));
    out = calloc(n, sizeof(*out));
    if (!ids || !out) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    /* an unknown code becomes id 0, which review.c refuses like a unit
     * outside the scope */
    st = zx_db_prepare(c->db, "SELECT id FROM org_unit WHERE code = ?1");
    for (i = 0; st && i < n; i++) {
        const char *code = json_string_value(json_array_get(units, i));

        if (!code)
            continue;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            ids[i] = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    rc = zx_review_bulk(c->db, c->plan, c->scope,
                        (enum zx_review_action)action, ids, n, year, comment,
                        c->actor, out, &done);
    if (rc) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    outs = json_array();
    for (i = 0; i < n; i++) {
        const char *code = json_string_value(json_array_get(units, i));

        json_array_append_new(
            outs, json_pack("{s:s, s:b, s:s, s:s, s:s, s:s}", "unit",
                            code ? code : "", "ok", out[i].rc == ZX_OK,
                            "why", zx_review_why_name(out[i].why), "from",
                            zx_review_state_id(out[i].from), "to",
                            zx_review_state_id(out[i].to), "message",
                            out[i].msg));
    }
    /* one unit refused alone is an error of the request; in bulk the
     * answer lists each unit's outcome */
    if (n == 1 && out[0].rc != ZX_OK) {
        zx_api_error(c, out[0].rc == ZX_ENOTFOUND ? 404 : 409,
                     out[0].rc == ZX_ENOTFOUND ? "not_found" : "refused",
                     "%s", out[0].msg);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:I, s:I, s:O}", "done", (json_int_t)done,
                                  "refused", (json_int_t)(n - done),
                                  "outcomes", outs));
out:
    json_decref(outs);
    free(ids);
    free(out);
    json_decref(b);
}

const zx_route zx_api_review_routes[] = {
    { "GET", "/api/review", ZX_ROLE_ANY, list, ZX_ROUTE_CACHED },
    { "GET", "/api/review/:unit", ZX_ROLE_ANY, get_one, ZX_ROUTE_CACHED },
    { "POST", "/api/review/:action", ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
      ZX_ROLE_SCHOOL, act, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
