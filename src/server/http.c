/*
 * http.c - libmicrohttpd glue (see http.h).
 *
 * libmicrohttpd calls the access handler once when the headers are in,
 * once per piece of body, and once more at the end; a `pending` request
 * gathers the pieces in between.  Multipart bodies go through its own
 * post processor, which splits the fields; every other body is kept as
 * bytes.  A declared Content-Length over the limit is answered at once;
 * an undeclared one that grows past it is dropped piece by piece and
 * answered at the end.
 */
#include "http.h"
#include "zx.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct zx_http {
    struct MHD_Daemon *d;
    zx_http_handler handler, admit;
    void *ctx;
    size_t max_body, max_upload;
    int port;
};

struct pending {
    char *body;
    size_t len, cap, limit, received;
    struct MHD_PostProcessor *pp;
    zx_http_part *parts;
    int nparts, cap_parts;
    int too_large, bad;
    int answered;              /* a response is queued already */
    char addr[INET6_ADDRSTRLEN];
};

const char *zx_http_query(const zx_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *zx_http_header(const zx_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *zx_http_cookie(const zx_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

struct qs {
    char *buf;
    size_t cap, len;
};

/* Appends n bytes to q; -1 (q marked full) when they do not fit. */
static int put(struct qs *q, const char *s, size_t n)
{
    if (q->len + n + 1 > q->cap) {
        q->len = q->cap - 1;
        q->buf[q->len] = '\0';
        return -1;
    }
    memcpy(q->buf + q->len, s, n);
    q->len += n;
    q->buf[q->len] = '\0';
    return 0;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct qs *q = cls;
    const char *parts[2] = { key, value ? value : "" };
    int i;

    (void)kind;
    /* the separators are escaped inside names and values, so that
     * "q=a%26b" and "q=a&b" never come out alike */
    if (q->len && put(q, "&", 1))
        return MHD_NO;
    for (i = 0; i < 2; i++) {
        const char *p;

        if (i && put(q, "=", 1))
            return MHD_NO;
        for (p = parts[i]; *p; p++) {
            char esc[4];

            if (strchr("%&=", *p)) {
                snprintf(esc, sizeof(esc), "%%%02X", (unsigned char)*p);
                if (put(q, esc, 3))
                    return MHD_NO;
            } else if (put(q, p, 1)) {
                return MHD_NO;
            }
        }
    }
    return MHD_YES;
}

int zx_http_query_string(const zx_http_req *r, char *buf, size_t cap)
{
    struct qs q = { buf, cap, 0 };

    buf[0] = '\0';
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    return q.len + 1 >= cap ? -1 : 0;
}

const zx_http_part *zx_http_part_get(const zx_http_req *r, const char *name)
{
    int i;

    for (i = 0; i < r->nparts; i++)
        if (strcmp(r->parts[i].name, name) == 0)
            return &r->parts[i];
    return NULL;
}

int zx_http_resp_header(zx_http_resp *resp, const char *name,
                        const char *value)
{
    char *n, *v;

    if (resp->nheaders == ZX_HTTP_MAX_HEADERS)
        return -1;
    n = strdup(name);
    v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    resp->headers[resp->nheaders][0] = n;
    resp->headers[resp->nheaders][1] = v;
    resp->nheaders++;
    return 0;
}

static void drop_body(struct pending *p)
{
    int i;

    free(p->body);
    p->body = NULL;
    p->len = p->cap = 0;
    for (i = 0; i < p->nparts; i++) {
        free(p->parts[i].name);
        free(p->parts[i].filename);
        free(p->parts[i].type);
        free(p->parts[i].data);
    }
    free(p->parts);
    p->parts = NULL;
    p->nparts = p->cap_parts = 0;
}

static int append(char **buf, size_t *len, size_t *cap, const char *data,
                  size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 1024;
        char *b;

        while (c < *len + n + 1)
            c *= 2;
        if (!(b = realloc(*buf, c)))
            return -1;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

/* The post processor hands over each field in pieces, in order; a piece
 * at offset 0 with a new name starts a new field. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *filename,
                               const char *content_type,
                               const char *transfer_encoding,
                               const char *data, uint64_t off, size_t size)
{
    struct pending *p = cls;
    zx_http_part *f;
    size_t cap;

    (void)kind;
    (void)transfer_encoding;
    if (off == 0 || p->nparts == 0 ||
        strcmp(p->parts[p->nparts - 1].name, key) != 0) {
        if (p->nparts == p->cap_parts) {
            int c = p->cap_parts ? p->cap_parts * 2 : 4;
            zx_http_part *v = realloc(p->parts, (size_t)c * sizeof(*v));

            if (!v)
                return MHD_NO;
            p->parts = v;
            p->cap_parts = c;
        }
        f = &p->parts[p->nparts++];
        memset(f, 0, sizeof(*f));
        f->name = strdup(key ? key : "");
        f->filename = filename ? strdup(filename) : NULL;
        f->type = content_type ? strdup(content_type) : NULL;
        f->data = calloc(1, 1);
        if (!f->name || !f->data || (filename && !f->filename) ||
            (content_type && !f->type))
            return MHD_NO;
    }
    f = &p->parts[p->nparts - 1];
    /* the capacity is not kept per part: grow to the next power of two */
    for (cap = 1; cap <= f->len; cap *= 2)
        ;
    return append(&f->data, &f->len, &cap, data, size) ? MHD_NO : MHD_YES;
}

static void client_addr(struct MHD_Connection *conn, char *buf, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    socklen_t len = sizeof(struct sockaddr_in6);

    buf[0] = '\0';
    if (!sa)
        return;
    if (sa->sa_family == AF_INET)
        len = sizeof(struct sockaddr_in);
    if (getnameinfo(sa, len, buf, (socklen_t)cap, NULL, 0, NI_NUMERICHOST))
        buf[0] = '\0';
}

/* Calls fn (the handler, or the admission check) and queues what it
 * answers.  *answered (may be NULL) is cleared when the admission check
 * let the request through without answering. */
static enum MHD_Result respond(struct zx_http *h, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               struct pending *p, zx_http_handler fn,
                               int *answered)
{
    zx_http_req req = { 0 };
    zx_http_resp resp = { 0 };
    struct MHD_Response *r;
    enum MHD_Result ret;
    int i;

    req.method = method;
    req.path = url;
    req.addr = p->addr;
    req.body = p->body ? p->body : "";
    req.body_len = p->len;
    req.parts = p->parts;
    req.nparts = p->nparts;
    req.too_large = p->too_large;
    req.conn = conn;
    resp.status = fn == h->admit ? 0 : 200;
    resp.fd = -1;
    fn(h->ctx, &req, &resp);
    if (answered)
        *answered = resp.status != 0;
    if (resp.status == 0)
        return MHD_YES; /* admitted: the body is read next */

    if (resp.fd >= 0) {
        r = MHD_create_response_from_fd((uint64_t)resp.fd_size, resp.fd);
        free(resp.body);
    } else if (resp.body) {
        r = MHD_create_response_from_buffer(resp.len, resp.body,
                                            MHD_RESPMEM_MUST_FREE);
    } else {
        r = MHD_create_response_from_buffer(0, (void *)"",
                                            MHD_RESPMEM_PERSISTENT);
    }
    if (r && resp.type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp.type);
    for (i = 0; i < resp.nheaders; i++) {
        if (r)
            MHD_add_response_header(r, resp.headers[i][0], resp.headers[i][1]);
        free(resp.headers[i][0]);
        free(resp.headers[i][1]);
    }
    if (!r)
        return MHD_NO;
    ret = MHD_queue_response(conn, (unsigned)resp.status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct zx_http *h = cls;
    struct pending *p = *con_cls;

    (void)version;
    if (!p) {
        const char *ct = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        const char *cl = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

        if (!(p = calloc(1, sizeof(*p))))
            return MHD_NO;
        *con_cls = p;
        client_addr(conn, p->addr, sizeof(p->addr));
        p->limit = h->max_body;
        if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
            p->limit = h->max_upload;
            if (h->admit) {
                int answered;
                enum MHD_Result r = respond(h, conn, url, method, p,
                                            h->admit, &answered);

                if (answered) {
                    p->too_large = 1; /* drop the body unread */
                    p->answered = 1;
                    return r;
                }
            }
            if (!(p->pp = MHD_create_post_processor(conn, 64 * 1024, on_part,
                                                    p)))
                p->bad = 1;
        }
        if (cl && strtoull(cl, NULL, 10) > p->limit) {
            p->too_large = 1;
            p->answered = 1;
            return respond(h, conn, url, method, p, h->handler, NULL);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        if (p->too_large || p->bad)
            return MHD_YES;
        p->received += n;
        if (p->received > p->limit) {
            p->too_large = 1;
            drop_body(p);
        } else if (p->pp) {
            if (MHD_post_process(p->pp, upload_data, n) != MHD_YES)
                p->bad = 1;
        } else if (append(&p->body, &p->len, &p->cap, upload_data, n)) {
            return MHD_NO;
        }
        return MHD_YES;
    }
    if (p->bad) {
        /* a multipart body that does not parse is answered like a body
         * the handler cannot use: with no fields at all */
        drop_body(p);
    }
    if (p->answered)
        return MHD_YES;
    return respond(h, conn, url, method, p, h->handler, NULL);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    struct pending *p = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (!p)
        return;
    if (p->pp)
        MHD_destroy_post_processor(p->pp);
    drop_body(p);
    free(p);
    *con_cls = NULL;
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" or "PORT" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss,
                        socklen_t *len)
{
    char host[128] = "0.0.0.0";
    const char *port = s, *colon = strrchr(s, ':');
    struct addrinfo hints = { 0 }, *ai = NULL;
    char *end;
    long p;

    if (colon) {
        size_t n = (size_t)(colon - s);

        if (n >= sizeof(host))
            return -1;
        if (n) {
            if (s[0] == '[' && n >= 2 && s[n - 1] == ']') {
                memcpy(host, s + 1, n - 2);
                host[n - 2] = '\0';
            } else {
                memcpy(host, s, n);
                host[n] = '\0';
            }
        }
        port = colon + 1;
    }
    p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        return -1;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &ai) || !ai)
        return -1;
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

int zx_http_start(const zx_http_config *cfg, zx_http **out, char *err,
                  size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    struct zx_http *h;
    const union MHD_DaemonInfo *di;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cfg->threads > 0 ? cfg->threads
                                   : (int)(cores > 0 ? cores * 2 : 4);

    *out = NULL;
    if (parse_listen(cfg->listen, &ss, &sslen)) {
        snprintf(err, errlen, "监听地址“%s”无效：应为 地址:端口，如 "
                              "127.0.0.1:8080", cfg->listen);
        return ZX_EINVAL;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (!(h = calloc(1, sizeof(*h))))
        return ZX_ENOMEM;
    h->handler = cfg->handler;
    h->admit = cfg->admit;
    h->ctx = cfg->ctx;
    h->max_body = cfg->max_body;
    h->max_upload = cfg->max_upload;
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "无法在 %s 上监听（端口已被占用，或没有权限）",
                 cfg->listen);
        free(h);
        return ZX_EIO;
    }
    di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : 0;
    *out = h;
    return ZX_OK;
}

int zx_http_port(const zx_http *h)
{
    return h->port;
}

void zx_http_stop(zx_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
