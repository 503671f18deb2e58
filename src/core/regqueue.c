/*
 * regqueue.c - the registry write queue (see regqueue.h).
 *
 * Records travel in batches of a few thousand, their strings copied into
 * the batch's arena.  Three batches circulate: one filling, one waiting,
 * one being written, so neither side waits while the other keeps pace.
 */
#include "regqueue.h"
#include "audit.h"
#include "zx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 4096
#define NBATCHES 3

union rec {
    zx_school_rec s;
    zx_enrol_rec e;
    zx_teacher_rec t;
    zx_role_rec r;
};

struct job {
    union rec rec;
    long tag;
    /* string fields as offsets into the arena until the writer resolves
     * them: the arena may move while the batch fills */
    size_t off[4];
};

struct batch {
    struct job jobs[BATCH];
    int n;
    char *arena;
    size_t used, cap;
};

struct zx_regqueue {
    char origin[64];                 /* the caller's, for the audit log */
    zx_registry *reg;
    enum zx_rec_kind kind;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *free_[NBATCHES];   /* batches ready to fill */
    int nfree;
    struct batch *ready[NBATCHES];   /* filled, in order */
    int head, nready;
    struct batch *cur;               /* being filled by the caller */
    int done;                        /* no more batches will come */
    zx_regqueue_result res;          /* written by the writer only */
    int failed;                      /* res.rc != 0, under mu */
};

/* The string fields of each kind, in a fixed order. */
static const char **field(union rec *u, enum zx_rec_kind kind, int i)
{
    switch (kind) {
    case ZX_REC_SCHOOL:
        return i == 0 ? &u->s.code : i == 1 ? &u->s.name
             : i == 2 ? &u->s.town : &u->s.group;
    case ZX_REC_ENROL:
        return i == 0 ? &u->e.school_code : NULL;
    case ZX_REC_TEACHER:
        return i == 0 ? &u->t.teacher_no : i == 1 ? &u->t.name
             : i == 2 ? &u->t.birth : &u->t.school_code;
    case ZX_REC_ROLE:
        return i == 0 ? &u->r.teacher_no : i == 1 ? &u->r.title
             : i == 2 ? &u->r.level : NULL;
    }
    return NULL;
}

static int apply(zx_regqueue *q, struct batch *b)
{
    int i, k, put = ZX_PUT_UNCHANGED, rc = ZX_OK;

    for (i = 0; i < b->n; i++) {
        struct job *j = &b->jobs[i];
        for (k = 0; k < 4; k++) {
            const char **f = field(&j->rec, q->kind, k);
            if (f)
                *f = j->off[k] == (size_t)-1 ? NULL : b->arena + j->off[k];
        }
        switch (q->kind) {
        case ZX_REC_SCHOOL:
            rc = zx_registry_put_school(q->reg, &j->rec.s, &put);
            break;
        case ZX_REC_ENROL:
            rc = zx_registry_put_enrolment(q->reg, &j->rec.e, &put);
            break;
        case ZX_REC_TEACHER:
            rc = zx_registry_put_teacher(q->reg, &j->rec.t, &put);
            break;
        case ZX_REC_ROLE:
            rc = zx_registry_put_role(q->reg, &j->rec.r, &put);
            break;
        }
        if (rc) {
            q->res.rc = rc;
            q->res.fail_tag = j->tag;
            return rc;
        }
        if (put == ZX_PUT_INSERTED)
            q->res.inserted++;
        else if (put == ZX_PUT_UPDATED)
            q->res.updated++;
        else
            q->res.unchanged++;
    }
    return ZX_OK;
}

static void *writer(void *arg)
{
    zx_regqueue *q = arg;
    struct batch *b;
    int rc = ZX_OK;

    /* the audit entries it writes come from where the caller's do */
    zx_audit_set_origin(q->origin);

    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (q->nready == 0 && !q->done)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->nready == 0) {
            pthread_mutex_unlock(&q->mu);
            return NULL;
        }
        b = q->ready[q->head];
        q->head = (q->head + 1) % NBATCHES;
        q->nready--;
        pthread_mutex_unlock(&q->mu);

        if (rc == ZX_OK)
            rc = apply(q, b); /* after a failure batches are only drained */
        b->n = 0;
        b->used = 0;

        pthread_mutex_lock(&q->mu);
        q->free_[q->nfree++] = b;
        q->failed = rc != ZX_OK;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
    }
}

static void free_batches(zx_regqueue *q)
{
    int i;

    for (i = 0; i < q->nfree; i++) {
        free(q->free_[i]->arena);
        free(q->free_[i]);
    }
    q->nfree = 0;
}

int zx_regqueue_start(zx_registry *reg, enum zx_rec_kind kind,
                      zx_regqueue **out)
{
    zx_regqueue *q = calloc(1, sizeof(*q));
    int i;

    *out = NULL;
    if (!q)
        return ZX_ENOMEM;
    q->reg = reg;
    q->kind = kind;
    snprintf(q->origin, sizeof(q->origin), "%s", zx_audit_origin());
    for (i = 0; i < NBATCHES; i++) {
        struct batch *b = calloc(1, sizeof(*b));
        if (!b)
            goto fail;
        q->free_[q->nfree++] = b;
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    if (pthread_create(&q->thread, NULL, writer, q) != 0) {
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->cv);
        goto fail;
    }
    *out = q;
    return ZX_OK;

fail:
    free_batches(q);
    free(q);
    return ZX_ENOMEM;
}

/* Hands the batch being filled to the writer. */
static void submit(zx_regqueue *q)
{
    pthread_mutex_lock(&q->mu);
    q->ready[(q->head + q->nready) % NBATCHES] = q->cur;
    q->nready++;
    q->cur = NULL;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static size_t arena_copy(struct batch *b, const char *s)
{
    size_t len = strlen(s) + 1, off = b->used;

    if (b->used + len > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256 * 1024;
        char *a;
        while (cap < b->used + len)
            cap *= 2;
        a = realloc(b->arena, cap);
        if (!a)
            return (size_t)-2;
        b->arena = a;
        b->cap = cap;
    }
    memcpy(b->arena + off, s, len);
    b->used += len;
    return off;
}

int zx_regqueue_put(zx_regqueue *q, const void *rec, long tag)
{
    struct job *j;
    int k, failed;

    if (!q->cur) {
        pthread_mutex_lock(&q->mu);
        while (q->nfree == 0)
            pthread_cond_wait(&q->cv, &q->mu);
        q->cur = q->free_[--q->nfree];
        failed = q->failed;
        pthread_mutex_unlock(&q->mu);
        if (failed)
            return q->res.rc ? q->res.rc : ZX_EDB;
    }
    j = &q->cur->jobs[q->cur->n];
    switch (q->kind) {
    case ZX_REC_SCHOOL:  j->rec.s = *(const zx_school_rec *)rec; break;
    case ZX_REC_ENROL:   j->rec.e = *(const zx_enrol_rec *)rec; break;
    case ZX_REC_TEACHER: j->rec.t = *(const zx_teacher_rec *)rec; break;
    case ZX_REC_ROLE:    j->rec.r = *(const zx_role_rec *)rec; break;
    }
    j->tag = tag;
    for (k = 0; k < 4; k++) {
        const char **f = field(&j->rec, q->kind, k);
        j->off[k] = (size_t)-1;
        if (f && *f) {
            j->off[k] = arena_copy(q->cur, *f);
            if (j->off[k] == (size_t)-2)
                return ZX_ENOMEM;
        }
    }
    if (++q->cur->n == BATCH)
        submit(q);
    return ZX_OK;
}

void zx_regqueue_finish(zx_regqueue *q, zx_regqueue_result *res)
{
    if (q->cur && q->cur->n)
        submit(q);
    pthread_mutex_lock(&q->mu);
    if (q->cur)
        q->free_[q->nfree++] = q->cur;
    q->done = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    *res = q->res;
    free_batches(q);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    free(q);
}
