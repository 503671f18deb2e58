/*
 * api_auth.c - logging in and out, the caller's own account, and the
 * accounts the plan office manages (/api/login, /api/me, /api/users).
 *
 * The session token travels only in an HttpOnly, SameSite=Strict cookie,
 * out of reach of the page's scripts; the CSRF token is given to the page
 * in the login answer and in /api/me, and must come back in the
 * X-CSRF-Token header of every request that changes anything.
 */
#include "accounts.h"
#include "api.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *unit_json(zx_db *db, long long id)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT code, name, kind"
                                         " FROM org_unit WHERE id = ?1");
    json_t *j = NULL;

    if (!st)
        return json_null();
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        j = json_pack("{s:s, s:s, s:s}",
                      "code", (const char *)sqlite3_column_text(st, 0),
                      "name", (const char *)sqlite3_column_text(st, 1),
                      "kind", (const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return j ? j : json_null();
}

static json_t *me_json(zx_call *c, const char *name, zx_scope *scope,
                       const char *csrf)
{
    return json_pack("{s:s, s:s, s:o, s:s, s:b}", "name", name, "role",
                     zx_scope_role(scope), "unit",
                     unit_json(c->db, zx_scope_unit(scope)), "csrf", csrf,
                     "writes", !!(zx_api_role_bit(zx_scope_role(scope)) &
                                  (ZX_ROLE_ADMIN | ZX_ROLE_TOWN |
                                   ZX_ROLE_SCHOOL)));
}

static void set_cookie(zx_call *c, const char *token, long long max_age)
{
    char h[256];

    snprintf(h, sizeof(h),
             "zx_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld",
             token, max_age);
    zx_http_resp_header(c->resp, "Set-Cookie", h);
}

static void login(zx_call *c)
{
    json_t *b = zx_api_body(c);
    const char *name, *pw;
    char token[ZX_SESSIONS_TOKEN_LEN + 1], csrf[ZX_SESSIONS_TOKEN_LEN + 1];
    long long id = 0;
    zx_scope *scope = NULL;
    int rc;

    if (!b)
        return;
    name = zx_api_str(b, "name");
    pw = zx_api_str(b, "password");
    if (!name || !pw || !*name || !*pw) {
        zx_api_error(c, 400, "invalid", "请输入用户名和密码");
        goto out;
    }
    rc = zx_sessions_login(c->db, c->policy, name, pw, c->req->addr, c->now,
                           token, csrf);
    if (rc == ZX_EEXIST) {
        zx_api_error(c, 429, "rate_limited",
                     "登录失败次数过多，请 %lld 分钟后再试",
                     c->policy->window / 60);
        goto out;
    }
    if (rc == ZX_EINVAL) {
        zx_api_error(c, 401, "bad_login", "用户名或密码错误");
        goto out;
    }
    if (rc) {
        zx_api_fail(c, rc, NULL);
        goto out;
    }
    if (zx_accounts_check(c->db, name, pw, &id) ||
        zx_scope_load(c->db, id, &scope)) {
        zx_api_fail(c, ZX_EDB, NULL);
        goto out;
    }
    set_cookie(c, token, c->policy->max_age);
    zx_api_json(c, 200, me_json(c, name, scope, csrf));
out:
    zx_scope_free(scope);
    json_decref(b);
}

static void logout(zx_call *c)
{
    const char *token = zx_http_cookie(c->req, "zx_session");

    if (token)
        zx_sessions_logout(c->db, token);
    set_cookie(c, "", 0);
    zx_api_ok(c);
}

static void me(zx_call *c)
{
    zx_api_json(c, 200, me_json(c, c->account, c->scope, c->csrf));
}

static void change_password(zx_call *c)
{
    json_t *b = zx_api_body(c);
    const char *old, *nw;
    long long id;
    zx_diag *d = zx_diag_new();
    int rc;

    if (!b || !d)
        goto out;
    old = zx_api_str(b, "old");
    nw = zx_api_str(b, "new");
    if (!old || !nw) {
        zx_api_error(c, 400, "invalid", "请输入原密码和新密码");
        goto out;
    }
    /* guessing the old password is limited like guessing at login */
    rc = zx_sessions_verify(c->db, c->policy, c->account, old, c->req->addr,
                            c->now, &id);
    if (rc == ZX_EEXIST) {
        zx_api_error(c, 429, "rate_limited",
                     "密码错误次数过多，请 %lld 分钟后再试",
                     c->policy->window / 60);
        goto out;
    }
    if (rc) {
        zx_api_error(c, 403, "bad_password", "原密码不正确");
        goto out;
    }
    /* a new password ends every session of the account, this one too */
    if ((rc = zx_accounts_set_password(c->db, c->account, nw, c->actor, d))) {
        zx_api_fail(c, rc, d);
        goto out;
    }
    set_cookie(c, "", 0);
    zx_api_ok(c);
out:
    zx_diag_free(d);
    json_decref(b);
}

struct users {
    json_t *items;
    zx_api_pager page;
};

static int add_user(void *ctx, const zx_account *a)
{
    struct users *u = ctx;

    if (!zx_api_pager_take(&u->page))
        return 0;
    return json_array_append_new(
               u->items,
               json_pack("{s:s, s:s, s:{s:s, s:s}, s:b, s:s, s:s}", "name",
                         a->name, "role", a->role, "unit", "code",
                         a->unit_code, "name", a->unit_name, "disabled",
                         a->disabled, "created_at", a->created_at,
                         "changed_at", a->changed_at))
               ? ZX_ENOMEM : 0;
}

static void list_users(zx_call *c)
{
    struct users u = { 0 };
    int rc;

    if (zx_api_page(c, &u.page.offset, &u.page.limit))
        return;
    u.items = json_array();
    if ((rc = zx_accounts_list(c->db, add_user, &u))) {
        json_decref(u.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_list(c, u.items, u.page.total, u.page.offset, u.page.limit);
}

static void add_account(zx_call *c)
{
    json_t *b = zx_api_body(c);
    zx_diag *d = zx_diag_new();
    char pw[ZX_ACCOUNTS_RANDOM_LEN + 1];
    const char *given;
    int rc;

    if (!b || !d)
        goto out;
    given = zx_api_str(b, "password");
    if (!given)
        zx_accounts_random_password(pw);
    rc = zx_accounts_add(c->db, zx_api_str(b, "name"), zx_api_str(b, "role"),
                         zx_api_str(b, "unit"), given ? given : pw, c->actor,
                         d);
    if (rc) {
        zx_api_fail(c, rc == ZX_ENOTFOUND ? ZX_EINVAL : rc, d);
        goto out;
    }
    /* a generated password is shown this once and never again */
    zx_api_json(c, 201, json_pack("{s:s, s:s?}", "name",
                                  zx_api_str(b, "name"), "password",
                                  given ? NULL : pw));
out:
    zx_diag_free(d);
    json_decref(b);
}

static void change_account(zx_call *c)
{
    json_t *b = zx_api_body(c), *dis;
    zx_diag *d = zx_diag_new();
    const char *pw;
    int rc = ZX_OK;

    if (!b || !d)
        goto out;
    dis = json_object_get(b, "disabled");
    pw = zx_api_str(b, "password");
    if (!dis && !pw) {
        zx_api_error(c, 400, "invalid", "请给出 disabled 或 password");
        goto out;
    }
    if (dis && !json_is_boolean(dis)) {
        zx_api_error(c, 400, "invalid", "disabled 应为 true 或 false");
        goto out;
    }
    if (dis && strcmp(c->params[0], c->account) == 0 && json_is_true(dis)) {
        zx_api_error(c, 400, "invalid", "不能停用自己的账户");
        goto out;
    }
    /* the password first: it is the change that can be refused, and a
     * refused request must change nothing */
    if (pw)
        rc = zx_accounts_set_password(c->db, c->params[0], pw, c->actor, d);
    if (!rc && dis)
        rc = zx_accounts_set_disabled(c->db, c->params[0], json_is_true(dis),
                                      c->actor);
    if (rc == ZX_ENOTFOUND)
        zx_api_not_found(c, "该用户");
    else if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_ok(c);
out:
    zx_diag_free(d);
    json_decref(b);
}

static void assign_schools(zx_call *c)
{
    json_t *b = zx_api_body(c), *arr;
    zx_diag *d = zx_diag_new();
    const char **codes = NULL;
    size_t i, n;
    int rc;

    if (!b || !d)
        goto out;
    arr = json_object_get(b, "schools");
    n = json_array_size(arr);
    if (!json_is_array(arr) || n > 10000) {
        zx_api_error(c, 400, "invalid", "schools 应为学校标识码的数组");
        goto out;
    }
    if (!(codes = calloc(n + 1, sizeof(*codes))))
        goto out;
    for (i = 0; i < n; i++)
        if (!(codes[i] = json_string_value(json_array_get(arr, i)))) {
            zx_api_error(c, 400, "invalid", "schools 应为学校标识码的数组");
            goto out;
        }
    rc = zx_accounts_assign_schools(c->db, c->params[0], codes, (int)n,
                                    c->actor, d);
    if (rc)
        zx_api_fail(c, rc, d);
    else
        zx_api_ok(c);
out:
    free(codes);
    zx_diag_free(d);
    json_decref(b);
}

const zx_route zx_api_auth_routes[] = {
    { "POST", "/api/login", ZX_ROLE_PUBLIC, login, 0 },
    { "POST", "/api/logout", ZX_ROLE_ANY, logout, 0 },
    { "GET", "/api/me", ZX_ROLE_ANY, me, 0 },
    { "POST", "/api/me/password", ZX_ROLE_ANY, change_password, 0 },
    { "GET", "/api/users", ZX_ROLE_ADMIN, list_users, 0 },
    { "POST", "/api/users", ZX_ROLE_ADMIN, add_account, 0 },
    { "PATCH", "/api/users/:name", ZX_ROLE_ADMIN, change_account, 0 },
    { "PUT", "/api/users/:name/schools", ZX_ROLE_ADMIN, assign_schools, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
