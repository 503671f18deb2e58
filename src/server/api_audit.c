/*
 * api_audit.c - the audit log, read and verified (/api/audit), for the
 * plan office: who changed what, when, from where, old and new values.
 */
#include "api.h"
#include "audit.h"
#include "zx.h"

#include <stdlib.h>

struct rows {
    json_t *items;
};

static int add_row(void *ctx, const zx_audit_row *r)
{
    struct rows *rs = ctx;
    json_t *o = zx_audit_row_json(r);

    return !o || json_array_append_new(rs->items, o) ? ZX_ENOMEM : ZX_OK;
}

/* A filter argument; an empty one filters nothing, as a form sends it. */
static const char *arg(zx_call *c, const char *name)
{
    const char *v = zx_http_query(c->req, name);

    return v && *v ? v : NULL;
}

static void list(zx_call *c)
{
    zx_audit_filter f = { 0 };
    struct rows rs = { 0 };
    long long off, lim, total = 0;
    int rc;

    if (zx_api_page(c, &off, &lim))
        return;
    f.table = arg(c, "table");
    f.actor = arg(c, "actor");
    f.unit = arg(c, "unit");
    f.since = arg(c, "since");
    f.until = arg(c, "until");
    rs.items = json_array();
    if ((rc = zx_audit_list(c->db, &f, off, lim, &total, add_row, &rs))) {
        json_decref(rs.items);
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_list(c, rs.items, total, off, lim);
}

static void verify(zx_call *c)
{
    long long bad = 0;
    int rc = zx_audit_verify(c->db, &bad);

    if (rc && rc != ZX_EDATA) {
        zx_api_fail(c, rc, NULL);
        return;
    }
    zx_api_json(c, 200,
                json_pack("{s:b, s:I, s:I, s:s}", "intact", rc == ZX_OK,
                          "entries",
                          (json_int_t)zx_db_int(c->db,
                                                "SELECT count(*) FROM audit",
                                                NULL, 0),
                          "first_bad", (json_int_t)bad, "message",
                          rc == ZX_OK ? "审计日志完好，哈希链首尾一致"
                                      : "审计日志被改动：哈希链在所示记录处断开"));
}

const zx_route zx_api_audit_routes[] = {
    { "GET", "/api/audit", ZX_ROLE_ADMIN, list, 0 },
    { "GET", "/api/audit/verify", ZX_ROLE_ADMIN, verify, 0 },
    { NULL, NULL, 0, NULL, 0 }
};
