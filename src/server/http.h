/*
 * http.h - the HTTP layer: libmicrohttpd with a pool of threads, each
 * request collected whole (within a size limit) and handed to one handler.
 *
 * It knows nothing of zhenxing's API: the server (server.c) gives it one
 * handler and gets back a request with its body, its multipart fields and
 * its client address already gathered, so that handlers are plain
 * functions of a request to a response and never see libmicrohttpd's
 * incremental upload calls.  A body over the limit is read and dropped,
 * never buffered, and the handler is told (too_large) so that it can
 * answer 413 in its own words.
 *
 * Each pool thread runs its own epoll loop and calls the handler on that
 * thread, so a handler may keep per-thread state (a database connection)
 * without locks.
 */
#ifndef ZX_HTTP_H
#define ZX_HTTP_H

#include <stddef.h>
#include <sys/types.h>

typedef struct zx_http zx_http;

/* A field of a multipart/form-data body. */
typedef struct zx_http_part {
    char *name;
    char *filename;           /* or NULL for a plain field */
    char *type;               /* the part's Content-Type, or NULL */
    char *data;               /* NUL-terminated (the NUL not counted) */
    size_t len;
} zx_http_part;

typedef struct zx_http_req {
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* URL path, percent-decoded, no query */
    const char *addr;         /* client address, e.g. "127.0.0.1" */
    const char *body;         /* NUL-terminated; "" when none */
    size_t body_len;
    const zx_http_part *parts;  /* multipart fields, in order */
    int nparts;
    int too_large;            /* the body exceeded the limit: dropped */
    void *conn;               /* private */
} zx_http_req;

/* A query argument, header or cookie of r; NULL when absent.  Owned by
 * the layer, valid during the handler. */
const char *zx_http_query(const zx_http_req *r, const char *name);
const char *zx_http_header(const zx_http_req *r, const char *name);
const char *zx_http_cookie(const zx_http_req *r, const char *name);
/* The query arguments of r as "a=1&b=2", in the order given (not
 * escaped: for use as a cache key).  Returns 0, or -1 when they do not
 * fit in cap bytes (buf then holds a clipped part). */
int zx_http_query_string(const zx_http_req *r, char *buf, size_t cap);

/* The first multipart field called name, or NULL. */
const zx_http_part *zx_http_part_get(const zx_http_req *r, const char *name);

#define ZX_HTTP_MAX_HEADERS 8

typedef struct zx_http_resp {
    int status;               /* 200 unless set */
    const char *type;         /* Content-Type; static string */
    char *body;               /* malloc'd; the layer frees it */
    size_t len;
    int fd;                   /* >= 0: send this file instead of body
                                 (fd_size bytes); the layer closes it */
    off_t fd_size;
    int nheaders;             /* extra headers, copied in */
    char *headers[ZX_HTTP_MAX_HEADERS][2];
} zx_http_resp;

/* Adds a header to resp (name and value copied).  Returns 0, or -1 when
 * the table is full or memory is short (the header is then left out). */
int zx_http_resp_header(zx_http_resp *resp, const char *name,
                        const char *value);

typedef void (*zx_http_handler)(void *ctx, const zx_http_req *req,
                                zx_http_resp *resp);

typedef struct zx_http_config {
    const char *listen;       /* "ADDR:PORT", ":PORT" or "PORT"; port 0 =
                                 any free port (see zx_http_port) */
    int threads;              /* pool size; 0 = twice the cores */
    size_t max_body;          /* limit for bodies other than uploads */
    size_t max_upload;        /* limit for multipart/form-data bodies */
    zx_http_handler handler;
    /* Called, when not NULL, as an upload (a multipart body) begins, with
     * the request's headers but no body yet: setting resp->status
     * answers at once and drops the body unread, so that only callers
     * worth hearing can make the server hold an upload. */
    zx_http_handler admit;
    void *ctx;
} zx_http_config;

/* Starts serving.  Returns ZX_OK with *out to stop with zx_http_stop, or
 * ZX_EINVAL (a listen address that does not parse) / ZX_EIO (cannot
 * listen) with a Chinese message in err. */
int zx_http_start(const zx_http_config *cfg, zx_http **out, char *err,
                  size_t errlen);

/* The port the server listens on. */
int zx_http_port(const zx_http *h);

/* Stops accepting, finishes the requests in hand, and frees h. */
void zx_http_stop(zx_http *h);

#endif
