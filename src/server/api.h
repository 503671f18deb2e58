/*
 * api.h - what the API's handlers share: the call they are given, the
 * route table they fill, and the helpers that answer in JSON.
 *
 * A handler is a plain function of one call.  By the time it runs the
 * server has matched its route, checked the session, the CSRF token and
 * the route's roles, and loaded the caller's scope; the handler checks
 * only what depends on the data it touches (is this unit in scope?).  A
 * unit outside the caller's sight is answered exactly like one that does
 * not exist (404), so that guessing ids reveals nothing.
 *
 * Every answer is JSON.  An error is {"error": {"code", "message",
 * "details"}}: code is a stable English word the browser can test,
 * message is Chinese for the user, details (when any) list the problems
 * of an upload as {file, row, column, message}.
 *
 * The handlers live in one file per area (api_auth.c, api_registry.c,
 * api_files.c, api_plan.c, api_tasks.c, api_audit.c, api_review.c,
 * api_training.c, api_pairing.c, api_funding.c, api_rotation.c,
 * api_itinerant.c);
 * each exports its routes as an array the server concatenates.
 */
#ifndef ZX_API_H
#define ZX_API_H

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>

#include "db.h"
#include "diag.h"
#include "http.h"
#include "indicator.h"
#include "map.h"
#include "plan.h"
#include "scope.h"
#include "sessions.h"

/* Roles as bits, for route tables. */
enum {
    ZX_ROLE_ADMIN = 1 << 0,      /* 管理员 */
    ZX_ROLE_TOWN = 1 << 1,       /* 区镇 */
    ZX_ROLE_SCHOOL = 1 << 2,     /* 学校 */
    ZX_ROLE_INSPECTOR = 1 << 3,  /* 督学 */
    ZX_ROLE_LEADER = 1 << 4,     /* 领导 */
    ZX_ROLE_ANY = 0x1f,
    ZX_ROLE_PUBLIC = 1 << 8      /* no session needed */
};

/* The bit of a role name, or 0. */
unsigned zx_api_role_bit(const char *role);

/* What one request may use.  db, plan and engine belong to the thread
 * serving it and live across its requests. */
typedef struct zx_call {
    const zx_http_req *req;
    zx_http_resp *resp;
    zx_db *db;
    const zx_plan *plan;         /* the plan in force; NULL if none */
    zx_engine *engine;           /* all data; NULL if no plan */
    zx_engine *accepted;         /* accepted data only; NULL if no plan */
    const zx_session_policy *policy;
    /* the caller, when the route needs a session */
    long long account_id;
    const char *account;         /* login name */
    const char *actor;           /* "user:NAME", for the audit log */
    unsigned role;               /* ZX_ROLE_* bit */
    zx_scope *scope;
    const char *csrf;
    const char *params[4];       /* the route's :parameters, in order */
    long long now;               /* seconds since the epoch */
} zx_call;

typedef void (*zx_api_fn)(zx_call *c);

/* Route flags. */
enum {
    /* A GET whose answer depends only on the caller's account, the URL
     * and the data: the server keeps it per thread until the database
     * changes (server.c). */
    ZX_ROUTE_CACHED = 1
};

typedef struct zx_route {
    const char *method;
    const char *pattern;         /* "/api/schools/:code"; ":x" = a segment */
    unsigned roles;              /* ZX_ROLE_* bits allowed */
    zx_api_fn fn;
    unsigned flags;              /* ZX_ROUTE_* */
} zx_route;

/* Route tables of each area, ended by an entry with method NULL. */
extern const zx_route zx_api_auth_routes[];
extern const zx_route zx_api_registry_routes[];
extern const zx_route zx_api_files_routes[];
extern const zx_route zx_api_plan_routes[];
extern const zx_route zx_api_tasks_routes[];
extern const zx_route zx_api_audit_routes[];
extern const zx_route zx_api_review_routes[];
extern const zx_route zx_api_training_routes[];
extern const zx_route zx_api_pairing_routes[];
extern const zx_route zx_api_funding_routes[];
extern const zx_route zx_api_rotation_routes[];
extern const zx_route zx_api_itinerant_routes[];
extern const zx_route zx_api_staffing_routes[];

/* Answers with j (stolen) as JSON and the status. */
void zx_api_json(zx_call *c, int status, json_t *j);

/* Answers {"ok": true}. */
void zx_api_ok(zx_call *c);

/* Answers an error: status, code (e.g. "not_found") and a message. */
void zx_api_error(zx_call *c, int status, const char *code, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

/* The error object zx_api_diag answers with, for a handler that adds to
 * it before answering. */
json_t *zx_api_diag_json(const char *code, const char *message,
                         const zx_diag *diag);

/* The same for problems in a text file (a plan): "row" is the line and
 * "column" a 1-based number, not a letter. */
json_t *zx_api_diag_text_json(const char *code, const char *message,
                              const zx_diag *diag);

/* Answers an error whose details are the problems in diag; message is the
 * summary (the first problem when NULL). */
void zx_api_diag(zx_call *c, int status, const char *code,
                 const char *message, const zx_diag *diag);

/* Answers for a core error code rc with the problems in diag (which may
 * be NULL): ZX_ENOTFOUND 404, ZX_EINVAL/ZX_EDATA/ZX_EFORMAT 400 or 422,
 * ZX_EEXIST 409, ZX_EDB and others 500. */
void zx_api_fail(zx_call *c, int rc, const zx_diag *diag);

/* Answers 404 "未找到<what>". */
void zx_api_not_found(zx_call *c, const char *what);

/* Answers with bytes (malloc'd, stolen) of type, offered for download as
 * filename (UTF-8; NULL: shown inline). */
void zx_api_bytes(zx_call *c, char *data, size_t len, const char *type,
                  const char *filename);

/* The request body as a JSON object, or NULL after answering 400. */
json_t *zx_api_body(zx_call *c);

/* Text field name of object o, or NULL when absent or not a string. */
const char *zx_api_str(json_t *o, const char *name);

/* Query argument name as an integer in [lo, hi]; def when absent.  On a
 * bad value answers 400 and returns 0 with *ok cleared. */
long long zx_api_query_int(zx_call *c, const char *name, long long def,
                           long long lo, long long hi, int *ok);

/* The integer field "year" of body o, or def when absent: *year.
 * Returns 0, or -1 after answering 400 for a year that is not an
 * integer in 1900..2100. */
int zx_api_body_year(zx_call *c, json_t *o, int def, int *year);

/* Pagination from ?page= (from 1) and ?size= (default 50, at most 500):
 * *offset and *limit.  Returns 0, or -1 after answering 400. */
int zx_api_page(zx_call *c, long long *offset, long long *limit);

/* A page of a list that a callback fills one item at a time: every item
 * offered is counted in total, those on the page are taken. */
typedef struct zx_api_pager {
    long long offset, limit;   /* of the page, from zx_api_page */
    long long total;
} zx_api_pager;

/* Counts one more item of p; 1 when it falls on the page. */
int zx_api_pager_take(zx_api_pager *p);

/* A JSON array of the n strings v. */
json_t *zx_api_strings(const char *const *v, int n);

/* {"items": items, "total": total, "page": p, "size": s}, answered. */
void zx_api_list(zx_call *c, json_t *items, long long total,
                 long long offset, long long limit);

/* The object zx_api_list answers (items stolen), for a handler that adds
 * to it before answering; NULL when memory is short. */
json_t *zx_api_list_json(json_t *items, long long total, long long offset,
                         long long limit);

/* The org unit of code (or, for towns and groups, name) that the caller
 * sees:
 * *id, and *kind ("city", "town", "group", "school") into kind (16
 * bytes, may be NULL).  Returns 0, or -1 after answering 404 when there
 * is no such unit or the caller does not see it. */
int zx_api_unit(zx_call *c, const char *code, long long *id, char *kind);

/* Whether the caller sees the whole city (管理员, a city-level 领导). */
int zx_api_sees_all(zx_call *c);

/* Whether the caller may change data of unit id; answers 403 when not. */
int zx_api_may_write(zx_call *c, long long unit_id);

/* Whether the database has a plan (with its engine); answers 503 when
 * not. */
int zx_api_need_plan(zx_call *c);

/* Today's local date "YYYY-MM-DD", from the request's clock. */
void zx_api_today(const zx_call *c, char out[11]);

/* The name of code in code list `list` (subject, stage), or NULL. */
const char *zx_api_code_name(const char *list, int code);

/* The codes of every unit the caller sees, mapped to their ids, for
 * filtering a core listing that names units by code without querying
 * while it steps.  Free with zx_map_free; NULL after answering. */
zx_map *zx_api_sight_load(zx_call *c);

/* Whether code is in a sight from zx_api_sight_load. */
int zx_api_sight_has(const zx_map *sight, const char *code);

/* The unit typed in a parameter (a code, or a town's or group's name)
 * that the caller sees: *id, its code into code (64 bytes) and its kind
 * into kind (16 bytes).  Returns 0, or -1 after answering 404. */
int zx_api_unit_code(zx_call *c, const char *typed, long long *id,
                     char *code, char *kind);

/* ?year=, def when absent.  Returns 0, or -1 after answering 400. */
int zx_api_year_param(zx_call *c, int def, int *year);

/* The teacher numbered no, when the caller may change its school's data:
 * 404 alike for none and out of sight, 403 in sight but not writable.
 * Returns 0, or -1 after answering. */
int zx_api_teacher_writable(zx_call *c, const char *no);

/* Text field name of b, required: NULL after answering 400. */
const char *zx_api_need_str(zx_call *c, json_t *b, const char *name);

/* Optional fields of a body: each leaves *out as it is when the field is
 * absent or null, and returns -1 after answering 400 when it has the
 * wrong type (or, for an integer, is outside lo..hi). */
int zx_api_opt_str(zx_call *c, json_t *b, const char *name, const char **out);
int zx_api_opt_num(zx_call *c, json_t *b, const char *name, double *out);
int zx_api_opt_int(zx_call *c, json_t *b, const char *name, long long lo,
                   long long hi, long long *out);
int zx_api_opt_bool(zx_call *c, json_t *b, const char *name, int *out);

/* A private directory (mode 0700, under $TMPDIR or /tmp) for the one
 * file a request reads or writes: an upload or a generated workbook
 * holds personal data, and libxlsxwriter writes only to a named file. */
typedef struct zx_api_scratch {
    char dir[PATH_MAX];
    char path[PATH_MAX + 64];    /* dir/leaf: the file to use */
} zx_api_scratch;

/* Makes the directory, with s->path naming leaf in it.  Returns 0, or
 * -1 after answering 500. */
int zx_api_scratch_open(zx_call *c, zx_api_scratch *s, const char *leaf);

/* Removes the file and the directory; safe to call twice. */
void zx_api_scratch_close(zx_api_scratch *s);

/* Answers with the file at s->path (type, offered as filename) and
 * removes it and s at once: the open descriptor keeps it readable until
 * the HTTP layer has sent it, so a big export is never copied into
 * memory and nothing is left behind. */
void zx_api_answer_file(zx_call *c, zx_api_scratch *s, const char *type,
                        const char *filename);

#endif
