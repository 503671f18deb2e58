/*
 * server.c - the server: per-thread state, the route table, the checks
 * every API request passes, and the static files of the UI (server.h).
 *
 * The order of the checks is fixed here, once, so that no handler can
 * forget one: route found, session valid, CSRF token for anything but
 * GET/HEAD, role allowed; only then does the handler run, with the
 * caller's scope loaded.
 */
#include "server.h"
#include "api.h"
#include "audit.h"
#include "http.h"
#include "indicator.h"
#include "planstore.h"
#include "zx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Answers kept per thread (ZX_ROUTE_CACHED). */
#define CACHE_SLOTS 64
#define CACHE_MAX_BODY (4 * 1024 * 1024)

struct cached {
    char *key;                 /* "ACCOUNT URL?QUERY" */
    char *body;
    size_t len;
    int status;
};

/* Sessions checked on this thread, kept like answers while the database
 * does not change (zx_sessions_step says for how long at most). */
#define SESSION_SLOTS 16

struct known {
    char token[ZX_SESSIONS_TOKEN_LEN + 1];   /* "" for a free slot */
    zx_session sess;
    char name[128];
    char actor[160];
    zx_scope *scope;
};

struct worker {
    struct worker *next;
    zx_db *db;
    zx_plan *plan;
    long long plan_id;         /* plan_version id of plan */
    zx_engine *engine, *accepted;
    long long data_version;    /* PRAGMA data_version when last checked */
    long long changes;         /* own writes then (total_changes) */
    struct cached cache[CACHE_SLOTS];
    unsigned next_slot;
    struct known known[SESSION_SLOTS];
    unsigned next_known;
};

struct zx_server {
    zx_http *http;
    char db_path[PATH_MAX];
    char web_dir[PATH_MAX];
    char vendor_dir[PATH_MAX];
    zx_session_policy policy;
    size_t max_body, max_upload;       /* as the HTTP layer applies them */
    pthread_mutex_t lock;      /* guards workers */
    struct worker *workers;
};

static _Thread_local struct worker *tw;

static void cache_clear(struct worker *w)
{
    int i;

    for (i = 0; i < CACHE_SLOTS; i++) {
        free(w->cache[i].key);
        free(w->cache[i].body);
        memset(&w->cache[i], 0, sizeof(w->cache[i]));
    }
    for (i = 0; i < SESSION_SLOTS; i++) {
        zx_scope_free(w->known[i].scope);
        memset(&w->known[i], 0, sizeof(w->known[i]));
    }
}

static void worker_free(struct worker *w)
{
    cache_clear(w);
    zx_engine_close(w->engine);
    zx_engine_close(w->accepted);
    zx_plan_free(w->plan);
    zx_db_close(w->db);
    free(w);
}

static struct worker *worker_get(zx_server *s)
{
    struct worker *w = tw;

    if (w)
        return w;
    if (!(w = calloc(1, sizeof(*w))))
        return NULL;
    if (zx_db_open(s->db_path, 0, &w->db, NULL, 0) != ZX_OK) {
        free(w);
        return NULL;
    }
    w->data_version = -1;
    pthread_mutex_lock(&s->lock);
    w->next = s->workers;
    s->workers = w;
    pthread_mutex_unlock(&s->lock);
    tw = w;
    return w;
}

/* Brings the thread's plan up to date and drops its cached answers when
 * anything changed since the last look: another connection's commit
 * moves data_version, this one's own writes move total_changes.  Returns
 * 1 when something had changed. */
static void db_state(struct worker *w, long long *dv, long long *changes)
{
    sqlite3_stmt *st = zx_db_prepare(w->db, "PRAGMA data_version");

    *dv = -2;
    *changes = sqlite3_total_changes64(zx_db_sqlite(w->db));
    if (st && sqlite3_step(st) == SQLITE_ROW)
        *dv = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
}

static int worker_refresh(struct worker *w)
{
    long long dv, changes, pid;

    db_state(w, &dv, &changes);
    if (dv == w->data_version && changes == w->changes)
        return 0;
    w->data_version = dv;
    w->changes = changes;
    cache_clear(w);
    pid = zx_db_int(w->db, "SELECT max(id) FROM plan_version", NULL, 0);
    if (pid != w->plan_id || !w->plan) {
        zx_plan *plan = NULL;
        zx_engine *e = NULL;

        if (zx_planstore_get(w->db, &plan, NULL) == ZX_OK &&
            zx_engine_open(w->db, plan, &e, NULL) == ZX_OK) {
            zx_engine_close(w->engine);
            zx_engine_close(w->accepted);
            zx_plan_free(w->plan);
            w->plan = plan;
            w->engine = e;
            w->accepted = NULL;
            w->plan_id = pid;
        } else {
            zx_plan_free(plan);
        }
    }
    return 1;
}

/* ---- routes ------------------------------------------------------------- */

static const zx_route *const tables[] = {
    zx_api_auth_routes, zx_api_registry_routes, zx_api_files_routes,
    zx_api_plan_routes,
    zx_api_tasks_routes, zx_api_audit_routes, zx_api_review_routes,
    zx_api_training_routes, zx_api_pairing_routes,
    zx_api_funding_routes,
    zx_api_rotation_routes,
    zx_api_itinerant_routes,
    zx_api_staffing_routes,
};

/* Matches path against pattern, capturing ":x" segments into params
 * (pointing into buf, a copy of path).  Returns 1 on a match. */
static int match(const char *pattern, const char *path, char *buf,
                 size_t cap, const char *params[4])
{
    const char *p = pattern;
    char *q;
    int np = 0;

    if (strlen(path) >= cap)
        return 0;
    strcpy(buf, path);
    q = buf;
    while (*p && *q) {
        if (*p == ':') {
            char *end = strchr(q, '/');

            if (np == 4 || end == q)
                return 0;
            params[np++] = q;
            while (*p && *p != '/')
                p++;
            if (!end) {
                q += strlen(q);
                break;
            }
            *end = '\0';
            q = end + 1;
            if (*p != '/')
                return 0;
            p++;
            continue;
        }
        if (*p != *q)
            return 0;
        p++;
        q++;
    }
    if (*p || *q)
        return 0;
    for (; np < 4; np++)
        params[np] = NULL;
    return 1;
}

/* The route for the request; *path_known is set when some route has the
 * path but not the method (405 rather than 404). */
static const zx_route *find_route(const zx_http_req *req, char *buf,
                                  size_t cap, const char *params[4],
                                  int *path_known)
{
    size_t t;
    const zx_route *r;
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET"
                                                          : req->method;

    *path_known = 0;
    for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (r = tables[t]; r->method; r++)
            if (match(r->pattern, req->path, buf, cap, params)) {
                if (strcmp(r->method, method) == 0)
                    return r;
                *path_known = 1;
            }
    return NULL;
}

/* ---- the API ------------------------------------------------------------ */

/* Resets any statement a handler left on a row.  Such a statement keeps
 * its read snapshot, so on this connection, which outlives the request,
 * later reads would see old data and the next write would fail as busy.
 * Once a handler has returned nothing may be mid-way. */
static void release_reads(struct worker *w)
{
    sqlite3 *h = zx_db_sqlite(w->db);
    sqlite3_stmt *st = NULL;

    while ((st = sqlite3_next_stmt(h, st)))
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
}

/* Fills the caller's part of c from the session cookie: from the thread's
 * known sessions when one is still good, else from the database (and
 * then remembered).  c->scope stays owned by the worker.  Returns 0, or
 * -1 when there is no valid session. */
static int authenticate(zx_server *s, struct worker *w, zx_call *c)
{
    const char *token = zx_http_cookie(c->req, "zx_session");
    long long step = zx_sessions_step(&s->policy);
    struct known *k = NULL;
    sqlite3_stmt *st;
    zx_session sess;
    int i;

    if (!token || strlen(token) != ZX_SESSIONS_TOKEN_LEN)
        return -1;
    for (i = 0; i < SESSION_SLOTS && !k; i++)
        if (w->known[i].token[0] &&
            sodium_memcmp(w->known[i].token, token,
                          ZX_SESSIONS_TOKEN_LEN) == 0 &&
            c->now < w->known[i].sess.expires_at &&
            c->now - w->known[i].sess.seen_at < step)
            k = &w->known[i];
    if (!k) {
        if (zx_sessions_check(c->db, &s->policy, token, c->now, &sess))
            return -1;
        k = &w->known[w->next_known++ % SESSION_SLOTS];
        zx_scope_free(k->scope);
        memset(k, 0, sizeof(*k));
        if (zx_scope_load(c->db, sess.account_id, &k->scope) != ZX_OK)
            return -1;
        st = zx_db_prepare(c->db, "SELECT name FROM account WHERE id = ?1");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, sess.account_id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);

            snprintf(k->name, sizeof(k->name), "%s", name);
            snprintf(k->actor, sizeof(k->actor), "user:%s", name);
        }
        sqlite3_reset(st);
        if (!k->name[0])
            return -1;
        k->sess = sess;
        memcpy(k->token, token, sizeof(k->token));
    }
    c->account_id = k->sess.account_id;
    c->account = k->name;
    c->actor = k->actor;
    c->csrf = k->sess.csrf;
    c->scope = k->scope;
    c->role = zx_api_role_bit(zx_scope_role(c->scope));
    return 0;
}

static int csrf_ok(const zx_call *c)
{
    const char *t = zx_http_header(c->req, "X-CSRF-Token");

    return t && strlen(t) == ZX_SESSIONS_TOKEN_LEN &&
           sodium_memcmp(t, c->csrf, ZX_SESSIONS_TOKEN_LEN) == 0;
}

static struct cached *cache_find(struct worker *w, const char *key)
{
    int i;

    for (i = 0; i < CACHE_SLOTS; i++)
        if (w->cache[i].key && strcmp(w->cache[i].key, key) == 0)
            return &w->cache[i];
    return NULL;
}

static void cache_put(struct worker *w, const char *key,
                      const zx_http_resp *resp)
{
    struct cached *e;

    if (resp->status != 200 || !resp->body || resp->len > CACHE_MAX_BODY)
        return;
    e = &w->cache[w->next_slot++ % CACHE_SLOTS];
    free(e->key);
    free(e->body);
    e->key = strdup(key);
    e->body = malloc(resp->len ? resp->len : 1);
    if (!e->key || !e->body) {
        free(e->key);
        free(e->body);
        memset(e, 0, sizeof(*e));
        return;
    }
    memcpy(e->body, resp->body, resp->len);
    e->len = resp->len;
    e->status = resp->status;
}

static void api(zx_server *s, struct worker *w, const zx_http_req *req,
                zx_http_resp *resp)
{
    zx_call c = { 0 };
    const zx_route *r;
    char buf[1024], key[2048];
    long long dv, dv2, changes, changes2;
    int known = 0;
    struct cached *hit;

    c.req = req;
    c.resp = resp;
    c.policy = &s->policy;
    c.now = (long long)time(NULL);
    zx_http_resp_header(resp, "Cache-Control", "no-store");
    if (!w) {
        zx_api_error(&c, 503, "unavailable", "服务器无法打开数据库，请稍后再试");
        return;
    }
    worker_refresh(w);
    c.db = w->db;
    c.plan = w->plan;
    c.engine = w->engine;
    zx_audit_set_origin(req->addr);
    if (!(r = find_route(req, buf, sizeof(buf), c.params, &known))) {
        if (known)
            zx_api_error(&c, 405, "method_not_allowed", "不支持该请求方法");
        else
            zx_api_error(&c, 404, "not_found", "没有这个接口：%s", req->path);
        return;
    }
    if (req->too_large) {
        const char *ct = zx_http_header(req, "Content-Type");
        size_t limit = ct && strncasecmp(ct, "multipart/form-data", 19) == 0
                           ? s->max_upload : s->max_body;

        zx_api_error(&c, 413, "too_large", "请求内容过大（上限 %zu KB）",
                     limit / 1024);
        return;
    }
    if (!(r->roles & ZX_ROLE_PUBLIC)) {
        if (authenticate(s, w, &c)) {
            zx_api_error(&c, 401, "unauthenticated",
                         "未登录或登录已过期，请重新登录");
            return;
        }
        if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD") &&
            !csrf_ok(&c)) {
            zx_api_error(&c, 403, "csrf",
                         "页面已过期（安全令牌不符），请刷新后重试");
            return;
        }
        if (!(r->roles & c.role)) {
            zx_api_error(&c, 403, "forbidden", "您的角色（%s）无权执行此操作",
                         zx_scope_role(c.scope));
            return;
        }
    }
    key[0] = '\0';
    if (r->flags & ZX_ROUTE_CACHED) {
        char q[1536];

        time_t t = (time_t)c.now;
        struct tm tm;

        /* today's date is part of the key: what is overdue changes at
         * midnight without any write */
        localtime_r(&t, &tm);
        if (zx_http_query_string(req, q, sizeof(q)) == 0)
            snprintf(key, sizeof(key), "%lld %d-%d-%d %s?%s", c.account_id,
                     tm.tm_year, tm.tm_mon, tm.tm_mday, req->path, q);
        if (key[0] && (hit = cache_find(w, key))) {
            if ((resp->body = malloc(hit->len ? hit->len : 1))) {
                memcpy(resp->body, hit->body, hit->len);
                resp->len = hit->len;
                resp->status = hit->status;
                resp->type = "application/json; charset=utf-8";
                return;
            }
        }
    }
    c.accepted = w->accepted;
    db_state(w, &dv, &changes);
    r->fn(&c);
    release_reads(w);
    if (c.accepted && !w->accepted)
        w->accepted = c.accepted;
    /* an answer is kept only if nothing changed while it was made, so
     * that it is never filed under data newer than it read; the refresh
     * may free the caller's scope, so c is not used after it */
    db_state(w, &dv2, &changes2);
    worker_refresh(w);
    if (key[0] && dv == dv2 && changes == changes2)
        cache_put(w, key, resp);
}

/* ---- static files ------------------------------------------------------- */

static const char *mime_of(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".yaml", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(path, '.');
    size_t i;

    for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static void static_error(zx_http_resp *resp, int status, const char *msg)
{
    resp->status = status;
    resp->type = "text/plain; charset=utf-8";
    resp->body = strdup(msg);
    resp->len = resp->body ? strlen(resp->body) : 0;
}

/* Serves the UI: "/" is index.html; "/vendor/PKG/dist/FILE" comes from
 * the npm packages (ECharts), everything else from the web directory.
 * Paths with "..", hidden names or a backslash are refused outright. */
static void static_file(zx_server *s, const zx_http_req *req,
                        zx_http_resp *resp)
{
    char path[PATH_MAX * 2];
    const char *p = req->path;
    struct stat sb;
    int fd, n;

    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
        static_error(resp, 405, "不支持该请求方法");
        return;
    }
    if (strstr(p, "..") || strstr(p, "/.") || strchr(p, '\\')) {
        static_error(resp, 404, "未找到");
        return;
    }
    if (strcmp(p, "/") == 0)
        p = "/index.html";
    if (strncmp(p, "/vendor/", 8) == 0) {
        const char *rest = p + 8, *slash = strchr(rest, '/');

        if (!s->vendor_dir[0] || !slash || strncmp(slash, "/dist/", 6)) {
            static_error(resp, 404, "未找到");
            return;
        }
        n = snprintf(path, sizeof(path), "%s/%s", s->vendor_dir, rest);
    } else {
        if (!s->web_dir[0]) {
            static_error(resp, 404, "本服务器未配置网页目录（--web）");
            return;
        }
        n = snprintf(path, sizeof(path), "%s%s", s->web_dir, p);
    }
    if (n < 0 || (size_t)n >= sizeof(path) ||
        (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        static_error(resp, 404, "未找到");
        return;
    }
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        static_error(resp, 404, "未找到");
        return;
    }
    resp->fd = fd;
    resp->fd_size = sb.st_size;
    resp->type = mime_of(path);
    zx_http_resp_header(resp, "Cache-Control", "no-cache");
    if (strstr(resp->type, "text/html"))
        zx_http_resp_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self' 'unsafe-inline'; "
                            "frame-ancestors 'none'");
}

/* An upload is heard only from a valid session: anyone else is answered
 * before the server holds a byte of it. */
static void admit(void *ctx, const zx_http_req *req, zx_http_resp *resp)
{
    zx_server *s = ctx;
    struct worker *w = worker_get(s);
    zx_call c = { 0 };

    c.req = req;
    c.resp = resp;
    c.now = (long long)time(NULL);
    if (!w) {
        zx_api_error(&c, 503, "unavailable", "服务器无法打开数据库，请稍后再试");
        return;
    }
    worker_refresh(w);
    c.db = w->db;
    if (strncmp(req->path, "/api/", 5) || authenticate(s, w, &c))
        zx_api_error(&c, 401, "unauthenticated",
                     "未登录或登录已过期，请重新登录");
}

static void handle(void *ctx, const zx_http_req *req, zx_http_resp *resp)
{
    zx_server *s = ctx;

    zx_http_resp_header(resp, "X-Content-Type-Options", "nosniff");
    zx_http_resp_header(resp, "X-Frame-Options", "DENY");
    zx_http_resp_header(resp, "Referrer-Policy", "no-referrer");
    if (strncmp(req->path, "/api/", 5) == 0 || strcmp(req->path, "/api") == 0)
        api(s, worker_get(s), req, resp);
    else
        static_file(s, req, resp);
}

/* ---- life --------------------------------------------------------------- */

static void copy_dir(char *dst, const char *src)
{
    char *real;

    dst[0] = '\0';
    if (!src)
        return;
    /* a canonical prefix, so that what is served stays under it */
    if ((real = realpath(src, NULL))) {
        snprintf(dst, PATH_MAX, "%s", real);
        free(real);
    }
}

int zx_server_start(const zx_server_config *cfg, zx_server **out, char *err,
                    size_t errlen)
{
    zx_server *s;
    zx_http_config hc = { 0 };
    zx_db *db = NULL;
    int rc;

    *out = NULL;
    /* fail now, not at the first request, on a database that is not ours */
    if ((rc = zx_db_open(cfg->db_path, 0, &db, err, errlen)))
        return rc;
    zx_db_close(db);
    if (!(s = calloc(1, sizeof(*s))))
        return ZX_ENOMEM;
    snprintf(s->db_path, sizeof(s->db_path), "%s", cfg->db_path);
    copy_dir(s->web_dir, cfg->web_dir);
    copy_dir(s->vendor_dir, cfg->vendor_dir);
    s->policy = cfg->policy ? *cfg->policy : zx_sessions_default_policy;
    pthread_mutex_init(&s->lock, NULL);
    hc.listen = cfg->listen;
    hc.threads = cfg->threads;
    hc.max_body = cfg->max_body ? cfg->max_body : 1024 * 1024;
    hc.max_upload = cfg->max_upload ? cfg->max_upload : 200u * 1024 * 1024;
    s->max_body = hc.max_body;
    s->max_upload = hc.max_upload;
    hc.handler = handle;
    hc.admit = admit;
    hc.ctx = s;
    if ((rc = zx_http_start(&hc, &s->http, err, errlen))) {
        pthread_mutex_destroy(&s->lock);
        free(s);
        return rc;
    }
    *out = s;
    return ZX_OK;
}

int zx_server_port(const zx_server *s)
{
    return zx_http_port(s->http);
}

void zx_server_stop(zx_server *s)
{
    struct worker *w, *next;

    if (!s)
        return;
    zx_http_stop(s->http);
    for (w = s->workers; w; w = next) {
        next = w->next;
        worker_free(w);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}
