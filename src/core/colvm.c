/*
 * colvm.c - the registry as columns (see colvm.h): loading each part the
 * first time a program needs it and again when its stamp moves.
 *
 * Every part is read with one scan of its table; the indices between
 * parts (a teacher's school, a school's town and group) are resolved here
 * once, so that evaluation never looks an id up.  Expressions over the
 * columns live in colvm_eval.c.
 */
#include "colvm_int.h"
#include "codes.h"
#include "stamp.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zx_colvm_open(zx_db *db, const zx_plan *plan, int accepted,
                  zx_colvm **out)
{
    zx_colvm *vm = calloc(1, sizeof(*vm));

    *out = NULL;
    if (!vm)
        return ZX_ENOMEM;
    vm->db = db;
    vm->plan = plan;
    vm->accepted = accepted;
    *out = vm;
    return ZX_OK;
}

static void free_strs(char **s, int n)
{
    int i;

    if (!s)
        return;
    for (i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

static void free_data(zx_colvm *vm)
{
    int i;

    for (i = 0; i < vm->ndata; i++) {
        const zx_data_element *de = vm->data[i].de;
        free(vm->data[i].num);
        free_strs(vm->data[i].text,
                  vm->data[i].text ? zx_colvm_level_size(vm, de->level) : 0);
    }
    free(vm->data);
    vm->data = NULL;
    vm->ndata = 0;
}

static void free_enrol(zx_colvm *vm)
{
    int i, j;

    for (i = 0; i < vm->nenrol; i++)
        for (j = 0; j < 4; j++)
            free(vm->enrol[i].col[j]);
    free(vm->enrol);
    vm->enrol = NULL;
    vm->nenrol = 0;
}

static void free_roles(zx_colvm *vm)
{
    int i;

    for (i = 0; i < vm->ntitles; i++) {
        struct cv_title *t = &vm->titles[i];
        free(t->title);
        free(t->teacher);
        free(t->level);
        free(t->start);
        free(t->end);
    }
    free(vm->titles);
    vm->titles = NULL;
    vm->ntitles = 0;
    vm->have_roles = 0;
}

static void free_teachers(zx_colvm *vm)
{
    int i;

    free_roles(vm);
    free(vm->tidx);
    free(vm->t_school);
    for (i = 0; i < NTC; i++)
        free(vm->t_col[i]);
    memset(vm->t_col, 0, sizeof(vm->t_col));
    vm->tidx = vm->t_school = NULL;
    vm->nt = vm->tcap = 0;
    vm->t_cols = 0;
    vm->have_teachers = 0;
}

static void free_units(zx_colvm *vm)
{
    /* every other part is indexed by schools, towns or groups; the data
     * first, while the teachers' count still sizes their texts */
    free_data(vm);
    free_teachers(vm);
    free_enrol(vm);
    free(vm->uidx);
    free(vm->s_id);
    free(vm->s_parent);
    free(vm->s_groupid);
    free(vm->s_town);
    free(vm->s_group);
    free(vm->s_type);
    free(vm->s_ur);
    free(vm->s_owner);
    free(vm->s_seat);
    free(vm->s_hq);
    free_strs(vm->s_name, vm->ns);
    free_strs(vm->s_code, vm->ns);
    free(vm->w_id);
    free(vm->g_id);
    free_strs(vm->w_name, vm->nw);
    free_strs(vm->w_code, vm->nw);
    free_strs(vm->g_name, vm->ng);
    free_strs(vm->g_code, vm->ng);
    free_strs(vm->g_type, vm->ng);
    vm->uidx = NULL;
    vm->s_id = vm->s_parent = vm->s_groupid = vm->w_id = vm->g_id = NULL;
    vm->s_town = vm->s_group = vm->s_type = vm->s_ur = vm->s_owner = NULL;
    vm->s_seat = vm->s_hq = NULL;
    vm->s_name = vm->s_code = vm->w_name = vm->w_code = NULL;
    vm->g_name = vm->g_code = vm->g_type = NULL;
    vm->ns = vm->nw = vm->ng = 0;
    vm->have_units = 0;
}

void zx_colvm_close(zx_colvm *vm)
{
    int i;

    if (!vm)
        return;
    free_units(vm);
    for (i = 0; i < vm->nblocks; i++)
        free(vm->blocks[i].p);
    free(vm->blocks);
    free(vm);
}

void *zx_colvm_scratch(zx_colvm *vm, size_t size)
{
    struct cv_block *b, *best = NULL;
    int i;

    /* the smallest free block that fits: vectors come in the few sizes
     * of the entity sets */
    for (i = 0; i < vm->nblocks; i++) {
        b = &vm->blocks[i];
        if (!b->busy && b->size >= size && (!best || b->size < best->size))
            best = b;
    }
    if (best) {
        best->busy = 1;
        return best->p;
    }
    b = realloc(vm->blocks, (size_t)(vm->nblocks + 1) * sizeof(*b));
    if (!b)
        return NULL;
    vm->blocks = b;
    b = &b[vm->nblocks];
    if (!(b->p = malloc(size ? size : 1)))
        return NULL;
    b->size = size;
    b->busy = 1;
    vm->nblocks++;
    return b->p;
}

void zx_colvm_scratch_release(zx_colvm *vm)
{
    int i;

    for (i = 0; i < vm->nblocks; i++)
        vm->blocks[i].busy = 0;
}

int zx_colvm_level_size(const zx_colvm *vm, int level)
{
    switch (level) {
    case ZX_LEVEL_SCHOOL:  return vm->ns;
    case ZX_LEVEL_TOWN:    return vm->nw;
    case ZX_LEVEL_GROUP:   return vm->ng;
    case ZX_LEVEL_TEACHER: return vm->nt;
    default:               return 0;
    }
}

/* A copy of column i of the row, or of "" for NULL (the columns copied
 * are NOT NULL but group_type, which keeps its NULL). */
static char *col_dup(sqlite3_stmt *st, int i, int keep_null, int *oom)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    char *p;

    if (!s && keep_null)
        return NULL;
    p = strdup(s ? (const char *)s : "");
    if (!p)
        *oom = 1;
    return p;
}

static int uidx_of(const zx_colvm *vm, long long id)
{
    return id > 0 && id <= vm->maxid ? vm->uidx[id] : -1;
}

static int load_units(zx_colvm *vm)
{
    sqlite3_stmt *st = NULL;
    long long i;
    int ns, nw, ng, oom = 0, step, rc = ZX_ENOMEM;
    size_t z;

    vm->maxid = zx_db_int(vm->db, "SELECT coalesce(max(id), 0) FROM org_unit",
                          NULL, 0);
    ns = (int)zx_db_int(vm->db, "SELECT count(*) FROM school s JOIN org_unit"
                                " u ON u.id = s.unit_id", NULL, 0);
    nw = (int)zx_db_int(vm->db, "SELECT count(*) FROM org_unit WHERE kind ="
                                " 'town'", NULL, 0);
    ng = (int)zx_db_int(vm->db, "SELECT count(*) FROM org_unit WHERE kind ="
                                " 'group'", NULL, 0);
    z = (size_t)(ns ? ns : 1);
    vm->uidx = malloc((size_t)(vm->maxid + 1) * sizeof(int));
    vm->s_id = calloc(z, sizeof(long long));
    vm->s_parent = calloc(z, sizeof(long long));
    vm->s_groupid = calloc(z, sizeof(long long));
    vm->s_town = calloc(z, sizeof(int));
    vm->s_group = calloc(z, sizeof(int));
    vm->s_type = calloc(z, sizeof(int));
    vm->s_ur = calloc(z, sizeof(int));
    vm->s_owner = calloc(z, sizeof(int));
    vm->s_seat = calloc(z, sizeof(int));
    vm->s_hq = calloc(z, sizeof(int));
    vm->s_name = calloc(z, sizeof(char *));
    vm->s_code = calloc(z, sizeof(char *));
    vm->w_id = calloc((size_t)(nw ? nw : 1), sizeof(long long));
    vm->w_name = calloc((size_t)(nw ? nw : 1), sizeof(char *));
    vm->w_code = calloc((size_t)(nw ? nw : 1), sizeof(char *));
    vm->g_id = calloc((size_t)(ng ? ng : 1), sizeof(long long));
    vm->g_name = calloc((size_t)(ng ? ng : 1), sizeof(char *));
    vm->g_code = calloc((size_t)(ng ? ng : 1), sizeof(char *));
    vm->g_type = calloc((size_t)(ng ? ng : 1), sizeof(char *));
    if (!vm->uidx || !vm->s_id || !vm->s_parent || !vm->s_groupid ||
        !vm->s_town || !vm->s_group || !vm->s_type || !vm->s_ur ||
        !vm->s_owner || !vm->s_seat || !vm->s_hq || !vm->s_name ||
        !vm->s_code || !vm->w_id || !vm->w_name || !vm->w_code ||
        !vm->g_id || !vm->g_name || !vm->g_code || !vm->g_type)
        goto fail;
    for (i = 0; i <= vm->maxid; i++)
        vm->uidx[i] = -1;

    /* towns and groups first: schools point at them */
    rc = ZX_EDB;
    st = zx_db_prepare(vm->db, "SELECT id, kind, name, code, group_type"
                               " FROM org_unit WHERE kind IN ('town',"
                               " 'group') ORDER BY id");
    if (!st)
        goto fail;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int town = sqlite3_column_text(st, 1)[0] == 't';
        int k = town ? vm->nw : vm->ng;
        if (k >= (town ? nw : ng) || id < 1 || id > vm->maxid)
            goto fail;
        vm->uidx[id] = k;
        if (town) {
            vm->w_id[k] = id;
            vm->w_name[k] = col_dup(st, 2, 0, &oom);
            vm->w_code[k] = col_dup(st, 3, 0, &oom);
            vm->nw++;
        } else {
            vm->g_id[k] = id;
            vm->g_name[k] = col_dup(st, 2, 0, &oom);
            vm->g_code[k] = col_dup(st, 3, 0, &oom);
            vm->g_type[k] = col_dup(st, 4, 1, &oom);
            vm->ng++;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    st = zx_db_prepare(vm->db, "SELECT s.unit_id, u.parent_id, s.group_id,"
                               " s.type_code, s.urban_rural, s.owner,"
                               " s.town_seat, s.group_hq, u.name, u.code"
                               " FROM school s JOIN org_unit u ON u.id ="
                               " s.unit_id ORDER BY s.unit_id");
    if (!st)
        goto fail;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int k = vm->ns;
        if (k >= ns || id < 1 || id > vm->maxid)
            goto fail;
        vm->s_id[k] = id;
        vm->s_parent[k] = sqlite3_column_int64(st, 1);
        vm->s_groupid[k] = sqlite3_column_int64(st, 2);
        vm->s_town[k] = uidx_of(vm, vm->s_parent[k]);
        /* a parent that is no town (the city) reaches no town */
        if (vm->s_town[k] >= 0 && (vm->s_town[k] >= vm->nw ||
                                   vm->w_id[vm->s_town[k]] != vm->s_parent[k]))
            vm->s_town[k] = -1;
        vm->s_group[k] = uidx_of(vm, vm->s_groupid[k]);
        if (vm->s_group[k] >= 0 &&
            (vm->s_group[k] >= vm->ng ||
             vm->g_id[vm->s_group[k]] != vm->s_groupid[k]))
            vm->s_group[k] = -1;
        vm->s_type[k] = sqlite3_column_int(st, 3);
        vm->s_ur[k] = sqlite3_column_int(st, 4);
        vm->s_owner[k] = sqlite3_column_int(st, 5);
        vm->s_seat[k] = sqlite3_column_int(st, 6);
        vm->s_hq[k] = sqlite3_column_int(st, 7);
        vm->s_name[k] = col_dup(st, 8, 0, &oom);
        vm->s_code[k] = col_dup(st, 9, 0, &oom);
        vm->uidx[id] = k;
        vm->ns++;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    if (oom) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    vm->have_units = 1;
    return ZX_OK;

fail:
    free_units(vm);
    return rc;
}

int zx_colvm_need_units(zx_colvm *vm, const zx_map *snap)
{
    long long v = zx_stamp_version(snap, "registry:school");
    int rc;

    if (vm->have_units && v == vm->v_school)
        return ZX_OK;
    free_units(vm);
    if ((rc = load_units(vm)))
        return rc;
    vm->v_school = v;
    return ZX_OK;
}

/* CAST(substr(birth, 1, 4) AS INTEGER), as the query computes
 * birth_year, without a function call per row: leading spaces, a sign,
 * then digits, within the first four characters (a byte of a multi-byte
 * character is no digit, so bytes count as characters here). */
static int birth_year(const unsigned char *s)
{
    int i = 0, neg = 0, v = 0;

    if (!s)
        return 0;
    while (i < 4 && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        i++;
    if (i < 4 && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return neg ? -v : v;
}

static const char *const tcol_sql[NTC] = {
    "gender", "birth", "stage", "subject", "title", "employment", "post",
    "since_year", "political"
};

/* Reads the teacher columns in mask `cols`: on the first read every
 * teacher with its school, later only the columns still missing.  A scan
 * costs per column decoded, so columns no program reads stay unread. */
static int load_teachers(zx_colvm *vm, unsigned cols)
{
    char sql[256];
    sqlite3_stmt *st;
    int first = !vm->have_teachers, c[NTC], nc = 0, j, step, base, rc;
    size_t z;
    long long i;

    cols = (cols | vm->t_expect) & ~vm->t_cols;
    if (!first && !cols)
        return ZX_OK;
    if (first) {
        vm->tmaxid = zx_db_int(vm->db, "SELECT coalesce(max(id), 0) FROM"
                                       " teacher", NULL, 0);
        vm->tcap = (int)zx_db_int(vm->db, "SELECT count(*) FROM teacher",
                                  NULL, 0);
        /* ids far beyond the rows would make the id index huge: the SQL
         * serves such a registry, as it does ids below 1 */
        if (vm->tmaxid > 4LL * vm->tcap + 1024 ||
            zx_db_int(vm->db, "SELECT coalesce(min(id), 1) FROM teacher",
                      NULL, 1) < 1)
            return ZX_ENOTFOUND;
        vm->tidx = malloc((size_t)(vm->tmaxid + 1) * sizeof(int));
        vm->t_school = malloc((size_t)(vm->tcap ? vm->tcap : 1) *
                              sizeof(int));
        if (!vm->tidx || !vm->t_school)
            goto oom;
        for (i = 0; i <= vm->tmaxid; i++)
            vm->tidx[i] = -1;
    }
    z = (size_t)(vm->tcap ? vm->tcap : 1);
    snprintf(sql, sizeof(sql), "SELECT id%s", first ? ", school_id" : "");
    for (j = 0; j < NTC; j++)
        if (cols & (1u << j)) {
            if (!(vm->t_col[j] = malloc(z * sizeof(int))))
                goto oom;
            c[nc++] = j;
            snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), ", %s",
                     tcol_sql[j]);
        }
    snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " FROM teacher");
    base = first ? 2 : 1;
    /* prepared here, not through zx_db_prepare: the column list follows
     * the plan, and a load runs once per registry version */
    if (sqlite3_prepare_v2(zx_db_sqlite(vm->db), sql, -1, &st, NULL) !=
        SQLITE_OK)
        goto db;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int k;
        if (first) {
            /* a teacher whose school is not in the registry is in no
             * set: the query joins teachers to their school */
            long long sid = sqlite3_column_int64(st, 1);
            int s = uidx_of(vm, sid);
            if (vm->nt >= vm->tcap || id < 1 || id > vm->tmaxid) {
                sqlite3_finalize(st);
                goto db;
            }
            if (s < 0 || s >= vm->ns || vm->s_id[s] != sid)
                continue;
            k = vm->nt++;
            vm->t_school[k] = s;
            vm->tidx[id] = k;
        } else if (id < 1 || id > vm->tmaxid || (k = vm->tidx[id]) < 0) {
            continue;
        }
        for (j = 0; j < nc; j++) {
            int col = base + j;
            int *v = &vm->t_col[c[j]][k];
            if (c[j] == TC_BIRTH)
                *v = birth_year(sqlite3_column_text(st, col));
            else if (c[j] == TC_POLITICAL &&
                     sqlite3_column_type(st, col) == SQLITE_NULL)
                *v = CV_NULL;
            else
                *v = sqlite3_column_int(st, col);
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        goto db;
    vm->t_cols |= cols;
    vm->have_teachers = 1;
    return ZX_OK;

oom:
    rc = ZX_ENOMEM;
    goto fail;
db:
    rc = ZX_EDB;
fail:
    free_teachers(vm);
    return rc;
}

/* Teacher-level data values are indexed by teacher: they go with them. */
static void drop_teacher_data(zx_colvm *vm)
{
    int i, k = 0;

    for (i = 0; i < vm->ndata; i++) {
        struct cv_data *d = &vm->data[i];
        if (d->de->level == ZX_LEVEL_TEACHER) {
            free(d->num);
            free_strs(d->text, d->text ? vm->nt : 0);
        } else {
            vm->data[k++] = *d;
        }
    }
    vm->ndata = k;
}

int zx_colvm_need_teachers(zx_colvm *vm, const zx_map *snap, unsigned cols)
{
    long long v = zx_stamp_version(snap, "registry:teacher");
    int rc;

    if ((rc = zx_colvm_need_units(vm, snap)))
        return rc;
    if (vm->have_teachers && v != vm->v_teacher) {
        drop_teacher_data(vm);
        free_teachers(vm);
    }
    if ((rc = load_teachers(vm, cols)))
        return rc;
    vm->v_teacher = v;
    return ZX_OK;
}

static struct cv_title *title_of(zx_colvm *vm, const char *title)
{
    struct cv_title *t;
    int i;

    for (i = 0; i < vm->ntitles; i++)
        if (strcmp(vm->titles[i].title, title) == 0)
            return &vm->titles[i];
    t = realloc(vm->titles, (size_t)(vm->ntitles + 1) * sizeof(*t));
    if (!t)
        return NULL;
    vm->titles = t;
    t = &t[vm->ntitles];
    memset(t, 0, sizeof(*t));
    if (!(t->title = strdup(title)))
        return NULL;
    vm->ntitles++;
    return t;
}

static int push_role(struct cv_title *t, int teacher, int level, int start,
                     int end)
{
    /* grown by powers of two: n is the count */
    if ((t->n & (t->n - 1)) == 0) {
        size_t cap = (size_t)(t->n ? t->n * 2 : 1);
        int *a = realloc(t->teacher, cap * sizeof(int));
        int *b, *c, *d;
        if (!a)
            return ZX_ENOMEM;
        t->teacher = a;
        if (!(b = realloc(t->level, cap * sizeof(int))))
            return ZX_ENOMEM;
        t->level = b;
        if (!(c = realloc(t->start, cap * sizeof(int))))
            return ZX_ENOMEM;
        t->start = c;
        if (!(d = realloc(t->end, cap * sizeof(int))))
            return ZX_ENOMEM;
        t->end = d;
    }
    t->teacher[t->n] = teacher;
    t->level[t->n] = level;
    t->start[t->n] = start;
    t->end[t->n] = end;
    t->n++;
    return ZX_OK;
}

static int load_roles(zx_colvm *vm)
{
    const zx_codelist *levels = zx_codes_get("role_level");
    sqlite3_stmt *st;
    int step, rc = ZX_EDB;

    st = zx_db_prepare(vm->db, "SELECT teacher_id, title, level, start_year,"
                               " end_year FROM teacher_role");
    if (!st)
        return ZX_EDB;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *title = (const char *)sqlite3_column_text(st, 1);
        const char *level = (const char *)sqlite3_column_text(st, 2);
        struct cv_title *t;
        int k = id > 0 && id <= vm->tmaxid ? vm->tidx[id] : -1, lv = -1, i;
        if (k < 0 || !title)
            continue;
        /* the query compares the stored text with the list's names */
        for (i = 0; levels && level && i < levels->n; i++)
            if (strcmp(levels->items[i].name, level) == 0)
                lv = i;
        if (!(t = title_of(vm, title)) ||
            push_role(t, k, lv, sqlite3_column_int(st, 3),
                      sqlite3_column_type(st, 4) == SQLITE_NULL
                          ? CV_NULL : sqlite3_column_int(st, 4))) {
            rc = ZX_ENOMEM;
            goto fail;
        }
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto fail;
    vm->have_roles = 1;
    return ZX_OK;

fail:
    sqlite3_reset(st);
    free_roles(vm);
    return rc;
}

int zx_colvm_need_roles(zx_colvm *vm, const zx_map *snap)
{
    long long v = zx_stamp_version(snap, "registry:role");
    int rc;

    if ((rc = zx_colvm_need_teachers(vm, snap, 0)))
        return rc;
    if (vm->have_roles && v == vm->v_role)
        return ZX_OK;
    free_roles(vm);
    if ((rc = load_roles(vm)))
        return rc;
    vm->v_role = v;
    return ZX_OK;
}

int zx_colvm_need_enrol(zx_colvm *vm, const zx_map *snap, int year,
                        const struct cv_enrol **out)
{
    long long v = zx_stamp_version(snap, "registry:enrolment");
    struct cv_enrol *e;
    sqlite3_stmt *st;
    int i, j, step, rc;

    if ((rc = zx_colvm_need_units(vm, snap)))
        return rc;
    if (v != vm->v_enrol) {
        free_enrol(vm);
        vm->v_enrol = v;
    }
    for (i = 0; i < vm->nenrol; i++)
        if (vm->enrol[i].year == year) {
            *out = &vm->enrol[i];
            return ZX_OK;
        }
    e = realloc(vm->enrol, (size_t)(vm->nenrol + 1) * sizeof(*e));
    if (!e)
        return ZX_ENOMEM;
    vm->enrol = e;
    e = &e[vm->nenrol];
    memset(e, 0, sizeof(*e));
    e->year = year;
    for (j = 0; j < 4; j++) {
        e->col[j] = malloc((size_t)(vm->ns ? vm->ns : 1) * sizeof(double));
        if (!e->col[j])
            goto oom;
        for (i = 0; i < vm->ns; i++)
            e->col[j][i] = NAN;
    }
    st = zx_db_prepare(vm->db, "SELECT school_id, students, classes,"
                               " boarders, special FROM enrolment"
                               " WHERE year = ?");
    if (!st)
        goto db;
    sqlite3_bind_int(st, 1, year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int k = uidx_of(vm, id);
        if (k < 0 || k >= vm->ns || vm->s_id[k] != id)
            continue;
        for (j = 0; j < 4; j++)
            e->col[j][k] = sqlite3_column_double(st, 1 + j);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        goto db;
    vm->nenrol++;
    *out = e;
    return ZX_OK;

oom:
    for (j = 0; j < 4; j++)
        free(e->col[j]);
    return ZX_ENOMEM;
db:
    for (j = 0; j < 4; j++)
        free(e->col[j]);
    return ZX_EDB;
}

/* The index of unit id among the entities of level, or -1. */
static int level_index(const zx_colvm *vm, int level, long long id)
{
    int k;

    if (level == ZX_LEVEL_TEACHER)
        return id > 0 && id <= vm->tmaxid ? vm->tidx[id] : -1;
    k = uidx_of(vm, id);
    if (k < 0)
        return -1;
    switch (level) {
    case ZX_LEVEL_SCHOOL: return k < vm->ns && vm->s_id[k] == id ? k : -1;
    case ZX_LEVEL_TOWN:   return k < vm->nw && vm->w_id[k] == id ? k : -1;
    case ZX_LEVEL_GROUP:  return k < vm->ng && vm->g_id[k] == id ? k : -1;
    default:              return -1;
    }
}

static int load_data(zx_colvm *vm, struct cv_data *d)
{
    int numeric = d->de->type == ZX_DE_BOOL || d->de->type == ZX_DE_INT ||
                  d->de->type == ZX_DE_DECIMAL;
    int n = zx_colvm_level_size(vm, d->de->level), i, step;
    sqlite3_stmt *st;

    if (numeric) {
        if (!(d->num = malloc((size_t)(n ? n : 1) * sizeof(double))))
            return ZX_ENOMEM;
        for (i = 0; i < n; i++)
            d->num[i] = NAN;
    } else if (!(d->text = calloc((size_t)(n ? n : 1), sizeof(char *)))) {
        return ZX_ENOMEM;
    }
    /* one of two fixed texts: a table name is never spliced into SQL */
    st = zx_db_prepare(vm->db, vm->accepted
                                   ? "SELECT unit_id, num, text"
                                     " FROM data_value_accepted"
                                     " WHERE element = ? AND year = ?"
                                   : "SELECT unit_id, num, text FROM data_value"
                                     " WHERE element = ? AND year = ?");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, d->de->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, d->year);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int k = level_index(vm, d->de->level, sqlite3_column_int64(st, 0));
        if (k < 0)
            continue;
        if (numeric) {
            if (sqlite3_column_type(st, 1) != SQLITE_NULL)
                d->num[k] = sqlite3_column_double(st, 1);
        } else if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            free(d->text[k]);
            d->text[k] = strdup((const char *)sqlite3_column_text(st, 2));
            if (!d->text[k]) {
                sqlite3_reset(st);
                return ZX_ENOMEM;
            }
        }
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

int zx_colvm_need_data(zx_colvm *vm, const zx_map *snap,
                       const zx_data_element *de, int year,
                       const struct cv_data **out)
{
    char key[160];
    long long v;
    struct cv_data *d;
    int i, rc, n;

    rc = de->level == ZX_LEVEL_TEACHER ? zx_colvm_need_teachers(vm, snap, 0)
                                       : zx_colvm_need_units(vm, snap);
    if (rc)
        return rc;
    snprintf(key, sizeof(key), "value:%s", de->id);
    v = zx_stamp_version(snap, key);
    year = de->yearly ? year : 0;
    n = zx_colvm_level_size(vm, de->level);
    for (i = 0; i < vm->ndata; i++) {
        d = &vm->data[i];
        if (d->de != de || d->year != year)
            continue;
        if (d->version == v) {
            *out = d;
            return ZX_OK;
        }
        /* a value was written: read the element's year again */
        free(d->num);
        free_strs(d->text, d->text ? n : 0);
        d->num = NULL;
        d->text = NULL;
        d->version = v;
        if ((rc = load_data(vm, d))) {
            free(d->num);
            free_strs(d->text, d->text ? n : 0);
            vm->data[i] = vm->data[--vm->ndata];
            return rc;
        }
        *out = d;
        return ZX_OK;
    }
    d = realloc(vm->data, (size_t)(vm->ndata + 1) * sizeof(*d));
    if (!d)
        return ZX_ENOMEM;
    vm->data = d;
    d = &d[vm->ndata];
    memset(d, 0, sizeof(*d));
    d->de = de;
    d->year = year;
    d->version = v;
    if ((rc = load_data(vm, d))) {
        free(d->num);
        free_strs(d->text, d->text ? n : 0);
        return rc;
    }
    vm->ndata++;
    *out = d;
    return ZX_OK;
}
