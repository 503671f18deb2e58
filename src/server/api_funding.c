/*
 * api_funding.c - the money mechanisms over HTTP: public funds per
 * student (/api/funding, funding.h), the rural teacher subsidy
 * (/api/subsidy, subsidy.h) and the rules both compute from (/api/rules,
 * rules.h).
 *
 * Computing is the core's; this file adds the caller's sight.  Funding
 * and the subsidy are computed city-wide (a what-if compares every
 * school), then narrowed to the schools the caller sees, with totals
 * summed again over those only: a town officer's page shows the town's
 * schools and the town's total, never the city's.  Saving and rule
 * changes are the office's (管理员); the figures themselves are policy
 * every role may read.
 */
#include "api.h"
#include "export.h"
#include "fundsheet.h"
#include "map.h"
#include "rules.h"
#include "sheetout.h"
#include "subsidy.h"
#include "values.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?year=, the plan's current year when absent; -1 after answering. */
static int year_of(zx_call *c, int *year)
{
    if (!zx_api_need_plan(c))
        return -1;
    return zx_api_year_param(c, zx_values_current_year(c->plan), year);
}

/* ---- GET /api/funding ----------------------------------------------------- */

/* Applies ?what_if=KEY=VALUE,KEY=VALUE to r; -1 after answering 400. */
static int apply_what_if(zx_call *c, zx_rules *r, const char *spec)
{
    char buf[1024], *tok, *save = NULL, *eq, *end;
    double v, lo, hi;

    if (strlen(spec) >= sizeof(buf)) {
        zx_api_error(c, 400, "bad_parameter", "what_if 过长");
        return -1;
    }
    snprintf(buf, sizeof(buf), "%s", spec);
    for (tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (!(eq = strchr(tok, '=')) || eq == tok) {
            zx_api_error(c, 400, "bad_parameter",
                         "what_if 的“%s”应写作 规则=取值", tok);
            return -1;
        }
        *eq = 0;
        v = strtod(eq + 1, &end);
        if (end == eq + 1 || *end) {
            zx_api_error(c, 400, "bad_parameter",
                         "what_if 中规则 %s 的取值不是数", tok);
            return -1;
        }
        switch (zx_rules_override(r, tok, v)) {
        case ZX_OK:
            break;
        case ZX_ENOTFOUND:
            zx_api_error(c, 400, "bad_parameter", "没有名为“%s”的经费规则",
                         tok);
            return -1;
        default:
            zx_rules_range("funding", tok, &lo, &hi);
            zx_api_error(c, 400, "bad_parameter",
                         "规则 %s 的取值应在 %g～%g 之间", tok, lo, hi);
            return -1;
        }
    }
    return 0;
}

static int school_in_sight(void *ctx, const zx_funding_school *sc)
{
    return zx_api_sight_has(ctx, sc->code);
}

static void get_funding(zx_call *c)
{
    const char *spec = zx_http_query(c->req, "what_if");
    zx_rules *rules = NULL, *alt = NULL;
    zx_funding *f = NULL, *was = NULL;
    zx_map *sight = NULL;
    zx_api_scratch s;
    char name[160];
    int year, xlsx, rc;

    memset(&s, 0, sizeof(s));
    if ((xlsx = zx_sheetout_wanted(c)) < 0 || year_of(c, &year))
        return;
    if ((rc = zx_rules_load(c->db, "funding", year, &rules)))
        goto fail;
    if (spec && *spec) {
        rc = ZX_ENOMEM;
        if (!(alt = zx_rules_copy(rules)))
            goto fail;
        if (apply_what_if(c, alt, spec))
            goto out;
        if ((rc = zx_funding_compute(c->db, c->plan, year, rules, &was)))
            goto fail;
    }
    if ((rc = zx_funding_compute(c->db, c->plan, year, alt ? alt : rules,
                                 &f)))
        goto fail;
    if (!zx_api_sees_all(c)) {
        if (!(sight = zx_api_sight_load(c)))
            goto out;
        if ((rc = zx_funding_keep(f, school_in_sight, sight)) ||
            (was && (rc = zx_funding_keep(was, school_in_sight, sight))))
            goto fail;
    }
    if (!xlsx) {
        json_t *j = zx_fundsheet_json(f, was, alt ? alt : rules,
                                      zx_export_synthetic(c->db));

        if (!j) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        zx_api_json(c, 200, j);
        goto out;
    }
    if (zx_api_scratch_open(c, &s, "funding.xlsx"))
        goto out;
    if ((rc = zx_fundsheet_write_xlsx(s.path, f, was,
                                      zx_export_synthetic(c->db))))
        goto fail;
    zx_sheetout_filename(c, name, sizeof(name), NULL, "生均公用经费_%d年%s.xlsx",
                         year, was ? "_测算" : "");
    zx_api_answer_file(c, &s, "application/vnd.openxmlformats-officedocument"
                       ".spreadsheetml.sheet", name);
    goto out;

fail:
    zx_api_fail(c, rc, NULL);
out:
    zx_api_scratch_close(&s);
    zx_map_free(sight);
    zx_funding_free(f);
    zx_funding_free(was);
    zx_rules_free(rules);
    zx_rules_free(alt);
}

/* ---- POST /api/funding/save, /api/subsidy/save ------------------------------ */

static void save_funding(zx_call *c)
{
    json_t *b = zx_api_body(c);
    zx_rules *rules = NULL;
    zx_funding *f = NULL;
    int year, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year))
        goto out;
    if ((rc = zx_rules_load(c->db, "funding", year, &rules)) ||
        (rc = zx_funding_compute(c->db, c->plan, year, rules, &f)) ||
        (rc = zx_funding_save(c->db, f, rules, c->actor))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:i, s:f}", "year", year, "schools",
                                  f->nschools, "total", f->total));
out:
    json_decref(b);
    zx_funding_free(f);
    zx_rules_free(rules);
}

static void save_subsidy(zx_call *c)
{
    json_t *b = zx_api_body(c);
    zx_rules *rules = NULL;
    zx_subsidy *s = NULL;
    int year, paid = 0, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year) ||
        zx_api_opt_bool(c, b, "paid", &paid))
        goto out;
    if ((rc = zx_rules_load(c->db, "subsidy", year, &rules)) ||
        (rc = zx_subsidy_compute(c->db, c->plan, year, rules, &s)) ||
        (rc = zx_subsidy_save(c->db, s, rules, paid, c->actor))) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    zx_api_json(c, 200, json_pack("{s:i, s:I, s:f, s:b}", "year", year,
                                  "eligible", (json_int_t)s->eligible,
                                  "total", s->total, "paid", paid));
out:
    json_decref(b);
    zx_subsidy_free(s);
    zx_rules_free(rules);
}

/* ---- GET /api/subsidy ------------------------------------------------------- */

/* The subsidy narrowed to the caller's sight: per school and town sums
 * of the schools kept, and the teachers of those schools. */
struct subview {
    const zx_subsidy *s;
    const zx_map *sight;       /* NULL: the whole city */
    char *keep;                /* per school of s: 1 when in sight */
    zx_subsidy_unit *towns;    /* sums over kept schools, per town of s */
    long long teachers, eligible;
    double total;
};

static int subview_open(struct subview *v, const zx_subsidy *s,
                        const zx_map *sight)
{
    int i, k;

    memset(v, 0, sizeof(*v));
    v->s = s;
    v->sight = sight;
    if (!(v->keep = calloc((size_t)s->nschools + 1, 1)) ||
        !(v->towns = calloc((size_t)s->ntowns + 1, sizeof(*v->towns))))
        return ZX_ENOMEM;
    for (i = 0; i < s->nschools; i++) {
        const zx_subsidy_unit *sc = &s->schools[i];

        if (sight && !zx_api_sight_has(sight, sc->code))
            continue;
        v->keep[i] = 1;
        k = sc->town;
        v->towns[k].teachers += sc->teachers;
        v->towns[k].eligible += sc->eligible;
        v->towns[k].total += sc->total;
        v->teachers += sc->teachers;
        v->eligible += sc->eligible;
        v->total += sc->total;
    }
    return ZX_OK;
}

static void subview_close(struct subview *v)
{
    free(v->keep);
    free(v->towns);
}

static json_t *unit_json(const char *code, const char *name,
                         long long teachers, long long eligible, double total)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:f}", "code", code, "name", name,
                     "teachers", (json_int_t)teachers, "eligible",
                     (json_int_t)eligible, "total", total);
}

static const zx_sheetout_col subsidy_cols[] = {
    { "工号", ZX_SHEETOUT_TEXT, 0 }, { "姓名", ZX_SHEETOUT_TEXT, 0 },
    { "学校标识码", ZX_SHEETOUT_TEXT, 0 }, { "学校名称", ZX_SHEETOUT_TEXT, 0 },
    { "区镇", ZX_SHEETOUT_TEXT, 0 }, { "学校位置", ZX_SHEETOUT_TEXT, 0 },
    { "用工类型", ZX_SHEETOUT_TEXT, 0 }, { "任教年限", ZX_SHEETOUT_NUM, 0 },
    { "享受补贴", ZX_SHEETOUT_TEXT, 0 }, { "补贴金额(元)", ZX_SHEETOUT_FIG, 0 },
};

static int subsidy_fill(zx_sheetout *w, void *ctx)
{
    const struct subview *v = ctx;
    const zx_subsidy *s = v->s;
    const char *emp;
    int i;

    for (i = 0; i < s->nteachers; i++) {
        const zx_subsidy_teacher *t = &s->teachers[i];
        const zx_subsidy_unit *sc = &s->schools[t->school];

        if (!v->keep[t->school] || !zx_sheetout_row(w))
            continue;
        emp = zx_api_code_name("employment", t->employment);
        zx_sheetout_text(w, 0, t->no);
        zx_sheetout_text(w, 1, t->name);
        zx_sheetout_text(w, 2, sc->code);
        zx_sheetout_text(w, 3, sc->name);
        zx_sheetout_text(w, 4, s->towns[sc->town].name);
        zx_sheetout_text(w, 5, zx_subsidy_location_title(t->location));
        zx_sheetout_text(w, 6, emp ? emp : "");
        zx_sheetout_num(w, 7, t->years);
        zx_sheetout_text(w, 8, t->eligible ? "是" : "否");
        zx_sheetout_num(w, 9, t->amount);
    }
    return zx_sheetout_status(w);
}

static void get_subsidy(zx_call *c)
{
    const char *school = zx_http_query(c->req, "school");
    zx_rules *rules = NULL;
    zx_subsidy *s = NULL;
    zx_map *sight = NULL;
    struct subview v;
    zx_api_pager pg;
    json_t *towns = NULL, *schools = NULL, *teachers = NULL, *j;
    char name[160];
    int year, xlsx, rc, i, only = -1;

    memset(&v, 0, sizeof(v));
    memset(&pg, 0, sizeof(pg));
    if ((xlsx = zx_sheetout_wanted(c)) < 0 || year_of(c, &year) ||
        zx_api_page(c, &pg.offset, &pg.limit))
        return;
    if (!zx_api_sees_all(c) && !(sight = zx_api_sight_load(c)))
        return;
    if ((rc = zx_rules_load(c->db, "subsidy", year, &rules)) ||
        (rc = zx_subsidy_compute(c->db, c->plan, year, rules, &s)) ||
        (rc = subview_open(&v, s, sight)))
        goto fail;
    if (school && *school) {
        for (i = 0; i < s->nschools && strcmp(s->schools[i].code, school);
             i++)
            ;
        if (i == s->nschools || !v.keep[i]) {
            zx_api_not_found(c, "学校");
            goto out;
        }
        only = i;
    }
    if (xlsx) {
        zx_sheetout_spec spec = { "乡村教师补贴", subsidy_cols,
                                  (int)(sizeof(subsidy_cols) /
                                        sizeof(subsidy_cols[0])),
                                  name };

        if (only >= 0)
            for (i = 0; i < s->nschools; i++)
                v.keep[i] = i == only;
        zx_sheetout_filename(c, name, sizeof(name), only >= 0 ? school : NULL,
                             "乡村教师补贴_%d年.xlsx", year);
        zx_sheetout_answer(c, &spec, subsidy_fill, &v, NULL);
        goto out;
    }
    rc = ZX_ENOMEM;
    if (!(towns = json_array()) || !(schools = json_array()) ||
        !(teachers = json_array()))
        goto fail;
    for (i = 0; i < s->ntowns; i++) {
        const zx_subsidy_unit *t = &v.towns[i];

        if (!t->teachers)
            continue;
        if (!(j = unit_json(s->towns[i].code, s->towns[i].name, t->teachers,
                            t->eligible, t->total)) ||
            json_array_append_new(towns, j))
            goto fail;
    }
    for (i = 0; i < s->nschools; i++) {
        const zx_subsidy_unit *sc = &s->schools[i];

        if (!v.keep[i])
            continue;
        j = unit_json(sc->code, sc->name, sc->teachers, sc->eligible,
                      sc->total);
        if (j && json_object_set_new(j, "town",
                                     json_string(s->towns[sc->town].name)))
            json_decref(j), j = NULL;
        if (!j || json_array_append_new(schools, j))
            goto fail;
    }
    for (i = 0; i < s->nteachers; i++) {
        const zx_subsidy_teacher *t = &s->teachers[i];
        const zx_subsidy_unit *sc = &s->schools[t->school];

        if (!v.keep[t->school] || (only >= 0 && t->school != only) ||
            !zx_api_pager_take(&pg))
            continue;
        j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:i, s:b, s:f}",
                      "no", t->no, "name", t->name, "school", sc->code,
                      "school_name", sc->name, "location",
                      zx_subsidy_location_title(t->location), "employment",
                      t->employment, "employment_name",
                      zx_api_code_name("employment", t->employment), "years",
                      t->years, "eligible", t->eligible, "amount", t->amount);
        if (!j || json_array_append_new(teachers, j))
            goto fail;
    }
    j = json_pack("{s:i, s:b, s:o, s:I, s:I, s:f, s:O, s:O,"
                  " s:{s:O, s:I, s:I, s:I}}",
                  "year", year, "synthetic", zx_export_synthetic(c->db),
                  "rules", zx_rules_json(rules), "teachers",
                  (json_int_t)v.teachers, "eligible", (json_int_t)v.eligible,
                  "total", v.total, "towns", towns, "schools", schools,
                  "roster", "items", teachers, "total", (json_int_t)pg.total,
                  "page", (json_int_t)(pg.limit ? pg.offset / pg.limit + 1
                                                : 1),
                  "size", (json_int_t)pg.limit);
    if (!j)
        goto fail;
    zx_api_json(c, 200, j);
    goto out;

fail:
    zx_api_fail(c, rc, NULL);
out:
    json_decref(towns);
    json_decref(schools);
    json_decref(teachers);
    subview_close(&v);
    zx_map_free(sight);
    zx_subsidy_free(s);
    zx_rules_free(rules);
}

/* ---- /api/rules -------------------------------------------------------------- */

static int rule_row(void *ctx, const zx_rule_row *r)
{
    json_t *j;
    double lo = 0, hi = 0;

    zx_rules_range(r->kind, r->key, &lo, &hi);
    j = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:b, s:s?, s:f, s:f}",
                  "kind", r->kind, "key", r->key, "title", r->title,
                  "source", r->source, "value", r->value, "default", r->def,
                  "is_set", r->is_set, "note", r->note, "min", lo, "max", hi);
    return !j || json_array_append_new(ctx, j) ? ZX_ENOMEM : 0;
}

static void get_rules(zx_call *c)
{
    const char *kind = zx_http_query(c->req, "kind");
    const char *kinds[32];
    json_t *items = NULL;
    int year, n, i, rc = ZX_ENOMEM;

    if (year_of(c, &year))
        return;
    n = zx_rules_kinds(kinds, 32);
    if (kind && *kind && !zx_rules_kind_known(kind)) {
        zx_api_error(c, 400, "bad_parameter", "没有“%s”类规则", kind);
        return;
    }
    if (!(items = json_array()))
        goto fail;
    for (i = 0; i < n; i++)
        if ((!kind || !*kind || strcmp(kind, kinds[i]) == 0) &&
            (rc = zx_rules_list(c->db, kinds[i], year, rule_row, items)))
            goto fail;
    zx_api_json(c, 200, json_pack("{s:i, s:o, s:o}", "year", year, "kinds",
                                  zx_api_strings(kinds, n), "items", items));
    return;

fail:
    json_decref(items);
    zx_api_fail(c, rc, NULL);
}

static void put_rule(zx_call *c)
{
    json_t *b = zx_api_body(c);
    const char *kind = c->params[0], *key = c->params[1], *note = NULL;
    double value = NAN, lo, hi;
    int year, rc;

    if (!b || !zx_api_need_plan(c) ||
        zx_api_body_year(c, b, zx_values_current_year(c->plan), &year) ||
        zx_api_opt_num(c, b, "value", &value) ||
        zx_api_opt_str(c, b, "note", &note))
        goto out;
    if (zx_rules_range(kind, key, &lo, &hi)) {
        zx_api_not_found(c, "规则");
        goto out;
    }
    if (isnan(value)) {
        zx_api_error(c, 400, "invalid", "缺少字段 value（规则取值）");
        goto out;
    }
    switch ((rc = zx_rules_set(c->db, kind, year, key, value, note,
                               c->actor))) {
    case ZX_OK:
        zx_api_json(c, 200, json_pack("{s:s, s:s, s:i, s:f}", "kind", kind,
                                      "key", key, "year", year, "value",
                                      value));
        break;
    case ZX_EINVAL:
        zx_api_error(c, 422, "out_of_range", "规则 %s 的取值应在 %g～%g 之间",
                     key, lo, hi);
        break;
    default:
        zx_api_fail(c, rc, NULL);
    }
out:
    json_decref(b);
}

const zx_route zx_api_funding_routes[] = {
    { "GET", "/api/funding", ZX_ROLE_ANY, get_funding, ZX_ROUTE_CACHED },
    { "POST", "/api/funding/save", ZX_ROLE_ADMIN, save_funding, 0 },
    { "GET", "/api/subsidy", ZX_ROLE_ANY, get_subsidy, ZX_ROUTE_CACHED },
    { "POST", "/api/subsidy/save", ZX_ROLE_ADMIN, save_subsidy, 0 },
    { "GET", "/api/rules", ZX_ROLE_ANY, get_rules, ZX_ROUTE_CACHED },
    { "PUT", "/api/rules/:kind/:key", ZX_ROLE_ADMIN, put_rule, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
