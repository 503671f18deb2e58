/*
 * server.h - `zhenxing serve`: the JSON API and the web UI over one
 * database.
 *
 * Each thread of the HTTP pool (http.h) opens its own connection to the
 * database and its own indicator engine on first use, and keeps them: the
 * engine's caches then serve that thread's later requests, and no lock is
 * held between threads but SQLite's own (WAL: readers never wait;
 * writers queue on the busy timeout, each change one short transaction).
 * When another connection loads a new plan, each thread notices at its
 * next request and reloads it.
 */
#ifndef ZX_SERVER_H
#define ZX_SERVER_H

#include <stddef.h>

#include "sessions.h"

typedef struct zx_server zx_server;

typedef struct zx_server_config {
    const char *db_path;
    const char *listen;          /* "ADDR:PORT"; port 0: any free port */
    const char *web_dir;         /* static files of the UI, or NULL */
    const char *vendor_dir;      /* npm packages (node_modules), or NULL */
    int threads;                 /* 0: twice the cores */
    size_t max_body;             /* bytes; 0: 1 MiB */
    size_t max_upload;           /* bytes; 0: 200 MiB */
    const zx_session_policy *policy;   /* NULL: the default */
} zx_server_config;

/* Starts serving cfg (copied).  Returns ZX_OK with *out, or an error code
 * with a Chinese message in err. */
int zx_server_start(const zx_server_config *cfg, zx_server **out, char *err,
                    size_t errlen);

/* The port it listens on. */
int zx_server_port(const zx_server *s);

/* Stops serving, closes every thread's connection and frees s. */
void zx_server_stop(zx_server *s);

#endif
