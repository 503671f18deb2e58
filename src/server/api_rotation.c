/*
 * api_rotation.c - teacher rotation (/api/rotation, rotation.h, clause
 * 3.4.3-T7) and substitute teachers (/api/substitutes, substitutes.h,
 * clause 3.4.3-T9) over HTTP.
 *
 * The mechanisms are the core's, city-wide; this file adds the caller's
 * sight.  Quotas, eligible teachers and substitute counts are of schools,
 * kept when the caller sees the school; totals are recounted over what is
 * kept.  A rotation joins two schools: it is listed when the caller sees
 * either, and the side out of sight is named only as 其他学校 (with its
 * teacher, when the teacher comes from there, and the reason, which names
 * both schools, left out), so that no answer names what the caller does
 * not see.  Proposing, accepting and snapshots are the city office's.
 */
#include "api.h"
#include "map.h"
#include "rotation.h"
#include "rules.h"
#include "sheetout.h"
#include "substitutes.h"
#include "values.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a JSON listing as a workbook ------------------------------------------ */

struct sheet {
    const json_t *items;
    const char *const *keys;
    const zx_sheetout_col *cols;
    int ncols;
};

static int fill_items(zx_sheetout *w, void *ctx)
{
    const struct sheet *s = ctx;
    const json_t *it, *v;
    size_t i;
    int k;

    json_array_foreach(s->items, i, it) {
        if (!zx_sheetout_row(w))
            continue;
        for (k = 0; k < s->ncols; k++) {
            v = json_object_get(it, s->keys[k]);
            if (json_is_string(v))
                zx_sheetout_text(w, k, json_string_value(v));
            else if (json_is_number(v))
                zx_sheetout_num(w, k, json_number_value(v));
            else if (json_is_boolean(v))
                zx_sheetout_yes(w, k, json_is_true(v));
        }
    }
    return zx_sheetout_status(w);
}

static void answer_sheet(zx_call *c, const char *title, int year,
                         const json_t *items, const char *const *keys,
                         const zx_sheetout_col *cols, int ncols)
{
    char filename[256];
    struct sheet s = { items, keys, cols, ncols };
    zx_sheetout_spec spec = { title, cols, ncols, filename };

    zx_sheetout_filename(c, filename, sizeof(filename), NULL, "%s_%d年.xlsx",
                         title, year);
    zx_sheetout_answer(c, &spec, fill_items, &s, NULL);
}

/* ?year= (default the plan's current year) and ?format=; -1 after
 * answering. */
static int list_params(zx_call *c, int *year, int *xlsx)
{
    if ((*xlsx = zx_sheetout_wanted(c)) < 0 || !zx_api_need_plan(c) ||
        zx_api_year_param(c, zx_values_current_year(c->plan), year))
        return -1;
    return 0;
}

static zx_rotation *rotation_of(zx_call *c, int year)
{
    zx_rules *rules = NULL;
    zx_rotation *r = NULL;
    int rc;

    if ((rc = zx_rules_load(c->db, "rotation", year, &rules)) ||
        (rc = zx_rotation_compute(c->db, c->plan, year, rules, &r)))
        zx_api_fail(c, rc, NULL);
    zx_rules_free(rules);
    return r;
}

/* ---- GET /api/rotation/quota ------------------------------------------------ */

static const char *const quota_keys[] = {
    "code", "name", "town", "eligible", "backbone", "quota",
    "backbone_quota", "proposed", "done", "done_backbone", "meets"
};
static const zx_sheetout_col quota_cols[] = {
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "符合条件", ZX_SHEETOUT_NUM, 0 },
    { "其中骨干", ZX_SHEETOUT_NUM, 0 }, { "指标", ZX_SHEETOUT_NUM, 0 },
    { "骨干指标", ZX_SHEETOUT_NUM, 0 }, { "已提议", ZX_SHEETOUT_NUM, 0 },
    { "已交流", ZX_SHEETOUT_NUM, 0 }, { "已交流骨干", ZX_SHEETOUT_NUM, 0 },
    { "达标", ZX_SHEETOUT_TEXT, 0 },
};

static void rotation_quota(zx_call *c)
{
    zx_rotation *r;
    json_t *items = NULL, *j;
    long long eligible = 0, quota = 0, done = 0, bq = 0, bd = 0, prop = 0;
    int year, xlsx, i, meeting = 0, n = 0;

    if (list_params(c, &year, &xlsx) || !(r = rotation_of(c, year)))
        return;
    if (!(items = json_array()))
        goto nomem;
    for (i = 0; i < r->nschools; i++) {
        const zx_rotation_school *s = &r->schools[i];

        if (!zx_scope_sees(c->scope, s->id))
            continue;
        if (!(j = zx_rotation_school_json(r, i)) ||
            json_array_append_new(items, j))
            goto nomem;
        n++;
        eligible += s->eligible;
        quota += s->quota;
        done += s->done;
        bq += s->backbone_quota;
        bd += s->done_backbone;
        prop += s->proposed;
        meeting += s->meets;
    }
    if (xlsx)
        answer_sheet(c, "交流轮岗指标", year, items, quota_keys, quota_cols,
                     11);
    else
        zx_api_json(c, 200, json_pack("{s:i, s:O, s:{s:i, s:i, s:I, s:I,"
                                      " s:I, s:I, s:I, s:I}}",
                                      "year", year, "items", items, "totals",
                                      "schools", n, "meeting", meeting,
                                      "eligible", (json_int_t)eligible,
                                      "quota", (json_int_t)quota,
                                      "backbone_quota", (json_int_t)bq,
                                      "proposed", (json_int_t)prop, "done",
                                      (json_int_t)done, "done_backbone",
                                      (json_int_t)bd));
    json_decref(items);
    zx_rotation_free(r);
    return;
nomem:
    json_decref(items);
    zx_rotation_free(r);
    zx_api_fail(c, ZX_ENOMEM, NULL);
}

/* ---- GET /api/rotation/eligible --------------------------------------------- */

static const char *const eligible_keys[] = {
    "no", "name", "school", "school_name", "town", "stage", "subject",
    "years", "backbone", "state"
};
static const zx_sheetout_col eligible_cols[] = {
    { "教师编号", ZX_SHEETOUT_TEXT, 0 }, { "姓名", ZX_SHEETOUT_TEXT, 0 },
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "学段", ZX_SHEETOUT_TEXT, 0 },
    { "学科", ZX_SHEETOUT_TEXT, 0 }, { "任教年限", ZX_SHEETOUT_NUM, 0 },
    { "骨干", ZX_SHEETOUT_TEXT, 0 }, { "状态", ZX_SHEETOUT_TEXT, 0 },
};

/* Eligible teachers of the schools in sight (?school= one of them, 404
 * alike for unknown and out of sight), one page. */
static void rotation_eligible(zx_call *c)
{
    const char *school = zx_http_query(c->req, "school");
    zx_rotation *r;
    zx_api_pager page;
    json_t *items = NULL, *j;
    char code[64], kind[16];
    long long uid = 0;
    int year, xlsx, i;

    memset(&page, 0, sizeof(page));
    if (list_params(c, &year, &xlsx) ||
        (!xlsx && zx_api_page(c, &page.offset, &page.limit)))
        return;
    if (school && *school && zx_api_unit_code(c, school, &uid, code, kind))
        return;
    if (!(r = rotation_of(c, year)))
        return;
    if (!(items = json_array()))
        goto nomem;
    for (i = 0; i < r->nteachers; i++) {
        const zx_rotation_school *s = &r->schools[r->teachers[i].school];

        if (!zx_scope_sees(c->scope, s->id) || (uid && s->id != uid))
            continue;
        if (!xlsx && !zx_api_pager_take(&page))
            continue;
        if (!(j = zx_rotation_teacher_json(r, i)) ||
            json_array_append_new(items, j))
            goto nomem;
    }
    if (xlsx) {
        answer_sheet(c, "交流轮岗符合条件教师", year, items, eligible_keys,
                     eligible_cols, 10);
        json_decref(items);
    } else {
        j = zx_api_list_json(items, page.total, page.offset, page.limit);
        if (j && json_object_set_new(j, "year", json_integer(year))) {
            json_decref(j);
            j = NULL;
        }
        if (!j) {
            items = NULL;
            goto nomem;
        }
        zx_api_json(c, 200, j);
    }
    zx_rotation_free(r);
    return;
nomem:
    json_decref(items);
    zx_rotation_free(r);
    zx_api_fail(c, ZX_ENOMEM, NULL);
}

/* ---- GET /api/rotation ------------------------------------------------------ */

static const char *const entry_keys[] = {
    "id", "status_title", "teacher_no", "teacher_name", "from_name",
    "to_name", "kind", "backbone", "km", "reason"
};
static const zx_sheetout_col entry_cols[] = {
    { "编号", ZX_SHEETOUT_NUM, 0 }, { "状态", ZX_SHEETOUT_TEXT, 0 },
    { "教师编号", ZX_SHEETOUT_TEXT, 0 }, { "姓名", ZX_SHEETOUT_TEXT, 0 },
    { "原学校", ZX_SHEETOUT_TEXT, 0 }, { "交流学校", ZX_SHEETOUT_TEXT, 0 },
    { "形式", ZX_SHEETOUT_TEXT, 0 }, { "骨干", ZX_SHEETOUT_TEXT, 0 },
    { "距离(公里)", ZX_SHEETOUT_FIG, 0 }, { "理由", ZX_SHEETOUT_TEXT, 60 },
};

struct entries {
    const zx_map *sight;
    json_t *items;
    long long proposed, accepted, recorded;
};

/* Names side ("from" or "to") of j as 其他学校 when out of sight. */
static int hide_side(json_t *j, const char *side)
{
    char k[16];

    snprintf(k, sizeof(k), "%s", side);
    if (json_object_set_new(j, k, json_string("")))
        return -1;
    snprintf(k, sizeof(k), "%s_name", side);
    if (json_object_set_new(j, k, json_string("其他学校")))
        return -1;
    snprintf(k, sizeof(k), "%s_town", side);
    return json_object_set_new(j, k, json_string(""));
}

static int collect_entry(void *ctx, const zx_rotation_entry *e)
{
    struct entries *x = ctx;
    int from = zx_api_sight_has(x->sight, e->from_code),
        to = zx_api_sight_has(x->sight, e->to_code);
    json_t *j;

    if (!from && !to)
        return 0;
    if (!(j = zx_rotation_entry_json(e)))
        return ZX_ENOMEM;
    if ((!from && (hide_side(j, "from") ||
                   json_object_set_new(j, "teacher_no", json_string("")) ||
                   json_object_set_new(j, "teacher_name",
                                       json_string("（外校教师）")))) ||
        (!to && hide_side(j, "to")) ||
        ((!from || !to) &&
         (json_object_set_new(j, "reason", json_string("")) ||
          json_object_set_new(j, "km", json_null())))) {
        json_decref(j);
        return ZX_ENOMEM;
    }
    if (strcmp(e->status, "proposed") == 0)
        x->proposed++;
    else if (strcmp(e->status, "accepted") == 0)
        x->accepted++;
    else
        x->recorded++;
    return json_array_append_new(x->items, j) ? ZX_ENOMEM : 0;
}

static void rotation_list(zx_call *c)
{
    struct entries x;
    zx_map *sight;
    int year, xlsx, rc;

    memset(&x, 0, sizeof(x));
    if (list_params(c, &year, &xlsx) || !(sight = zx_api_sight_load(c)))
        return;
    x.sight = sight;
    if (!(x.items = json_array())) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    if ((rc = zx_rotation_list(c->db, year, collect_entry, &x)))
        goto fail;
    if (xlsx)
        answer_sheet(c, "交流轮岗方案与记录", year, x.items, entry_keys,
                     entry_cols, 10);
    else
        zx_api_json(c, 200, json_pack("{s:i, s:O, s:{s:I, s:I, s:I}}",
                                      "year", year, "items", x.items,
                                      "counts", "proposed",
                                      (json_int_t)x.proposed, "accepted",
                                      (json_int_t)x.accepted, "recorded",
                                      (json_int_t)x.recorded));
    json_decref(x.items);
    zx_map_free(sight);
    return;
fail:
    json_decref(x.items);
    zx_map_free(sight);
    zx_api_fail(c, rc, NULL);
}

/* ---- POST /api/rotation/propose, /api/rotation/accept ----------------------- */

static void rotation_propose(zx_call *c)
{
    json_t *b = zx_api_body(c);
    zx_rules *rules = NULL;
    int year, n = 0, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year))
        goto out;
    if ((rc = zx_rules_load(c->db, "rotation", year, &rules)) ||
        (rc = zx_rotation_propose(c->db, c->plan, year, rules, c->actor,
                                  &n))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:i, s:i}", "ok", 1, "year", year,
                                  "proposed", n));
out:
    zx_rules_free(rules);
    json_decref(b);
}

static void rotation_accept(zx_call *c)
{
    json_t *b = zx_api_body(c), *ids, *v;
    long long *list = NULL;
    size_t i, n = 0;
    int year, accepted = 0, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year))
        goto out;
    ids = json_object_get(b, "ids");
    if (ids && !json_is_array(ids)) {
        zx_api_error(c, 400, "invalid", "ids 应为方案编号的数组");
        goto out;
    }
    n = ids ? json_array_size(ids) : 0;
    if (n && !(list = calloc(n, sizeof(*list)))) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    json_array_foreach(ids, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            zx_api_error(c, 400, "invalid", "ids 应为方案编号的数组");
            goto out;
        }
        list[i] = json_integer_value(v);
    }
    rc = zx_rotation_accept(c->db, year, list, (int)n, c->actor, &accepted);
    if (rc == ZX_ENOTFOUND)
        zx_api_error(c, 404, "not_found", "有编号不是 %d 年未确认的交流方案，"
                     "一条也未确认", year);
    else if (rc)
        zx_api_fail(c, rc, NULL);
    else
        zx_api_json(c, 200, json_pack("{s:b, s:i, s:i}", "ok", 1, "year",
                                      year, "accepted", accepted));
out:
    free(list);
    json_decref(b);
}

/* ---- /api/substitutes --------------------------------------------------------- */

static int sees_school(void *ctx, long long id)
{
    return zx_scope_sees(((zx_call *)ctx)->scope, id);
}

static const char *const subst_keys[] = {
    "code", "name", "town", "baseline", "allowance", "actual", "behind",
    "shed"
};
static const zx_sheetout_col subst_cols[] = {
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "基数", ZX_SHEETOUT_NUM, 0 },
    { "控制数", ZX_SHEETOUT_NUM, 0 }, { "实有", ZX_SHEETOUT_NUM, 0 },
    { "进度落后", ZX_SHEETOUT_TEXT, 0 }, { "应减人数", ZX_SHEETOUT_NUM, 0 },
};

/* The trajectory and the schools the caller sees, their towns and the
 * city's figures counted over them only. */
static void substitutes_get(zx_call *c)
{
    zx_rules *rules = NULL;
    zx_substitutes *s = NULL;
    json_t *j = NULL;
    int year, xlsx, rc;

    if (list_params(c, &year, &xlsx))
        return;
    if ((rc = zx_rules_load(c->db, "substitutes", year, &rules)) ||
        (rc = zx_substitutes_compute(c->db, year, rules,
                                     zx_api_sees_all(c) ? NULL : sees_school,
                                     c, &s))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    if (!(j = zx_substitutes_json(s))) {
        zx_api_fail(c, ZX_ENOMEM, NULL);
        goto out;
    }
    if (xlsx)
        answer_sheet(c, "代课教师消除进度", year, json_object_get(j, "schools"),
                     subst_keys, subst_cols, 8);
    else
        zx_api_json(c, 200, json_incref(j));
out:
    json_decref(j);
    zx_substitutes_free(s);
    zx_rules_free(rules);
}

static void substitutes_snapshot(zx_call *c)
{
    json_t *b = zx_api_body(c);
    long long total = 0;
    int year, n = 0, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year))
        goto out;
    if ((rc = zx_substitutes_snapshot(c->db, year, c->actor, &n, &total))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:b, s:i, s:i, s:I}", "ok", 1, "year",
                                  year, "schools", n, "total",
                                  (json_int_t)total));
out:
    json_decref(b);
}

const zx_route zx_api_rotation_routes[] = {
    { "GET", "/api/rotation/eligible", ZX_ROLE_ANY, rotation_eligible,
      ZX_ROUTE_CACHED },
    { "GET", "/api/rotation/quota", ZX_ROLE_ANY, rotation_quota,
      ZX_ROUTE_CACHED },
    { "GET", "/api/rotation", ZX_ROLE_ANY, rotation_list, ZX_ROUTE_CACHED },
    { "POST", "/api/rotation/propose", ZX_ROLE_ADMIN, rotation_propose, 0 },
    { "POST", "/api/rotation/accept", ZX_ROLE_ADMIN, rotation_accept, 0 },
    { "GET", "/api/substitutes", ZX_ROLE_ANY, substitutes_get,
      ZX_ROUTE_CACHED },
    { "POST", "/api/substitutes/snapshot", ZX_ROLE_ADMIN,
      substitutes_snapshot, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
