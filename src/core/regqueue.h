/*
 * regqueue.h - registry puts applied on a second thread, in order.
 *
 * A big import is half parsing and validating, half SQLite writing; with
 * the writes on their own thread the two halves overlap on two cores.
 * The caller queues validated records and goes on with the next rows; a
 * writer thread applies them through the registry in the order queued.
 *
 * Thread safety rests on who touches what while the queue runs: the
 * writer alone uses the database connection and the registry's put
 * functions; the caller may still use zx_registry_has_school and
 * zx_registry_has_teacher only for the maps the queued kind does not
 * change (schools while putting enrolment or teachers; teachers while
 * putting roles).
 */
#ifndef ZX_REGQUEUE_H
#define ZX_REGQUEUE_H

#include "registry.h"

typedef struct zx_regqueue zx_regqueue;

enum zx_rec_kind { ZX_REC_SCHOOL, ZX_REC_ENROL, ZX_REC_TEACHER, ZX_REC_ROLE };

typedef struct zx_regqueue_result {
    int rc;           /* ZX_OK, or the first failing put's error */
    long fail_tag;    /* tag of the record that failed */
    long inserted, updated, unchanged;
} zx_regqueue_result;

/* Starts a writer for records of one kind over reg.  Free by
 * zx_regqueue_finish. */
int zx_regqueue_start(zx_registry *reg, enum zx_rec_kind kind,
                      zx_regqueue **out);

/* Queues a copy of rec (a zx_school_rec, zx_enrol_rec, zx_teacher_rec or
 * zx_role_rec, as the kind says); tag is handed back if it fails (the
 * row number, say).  Returns ZX_OK, ZX_ENOMEM, or the writer's error once
 * it has failed, after which nothing more is written. */
int zx_regqueue_put(zx_regqueue *q, const void *rec, long tag);

/* Applies everything queued, stops the thread, fills res and frees q. */
void zx_regqueue_finish(zx_regqueue *q, zx_regqueue_result *res);

#endif
