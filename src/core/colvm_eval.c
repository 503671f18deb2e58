/*
 * colvm_eval.c - an indicator's expressions over the columns (see
 * colvm.h).
 *
 * Each node evaluates to a whole vector over the entity set in scope, so
 * the inner loops are over plain arrays.  SQL NULL is NaN: arithmetic and
 * comparisons pass it on, and/or/not follow SQL's three-valued logic, a
 * condition counts only when true.  Text (names, codes, option values)
 * is a vector of string pointers, NULL for NULL.  Names resolve in the
 * order compile.c resolves them, and what compile.c reads from the
 * mechanisms' tables is declined when the indicator is prepared; a
 * combination of types met only at run time (a text compared with a
 * number) declines at run time, with ZX_ENOTFOUND.
 */
#include "codes.h"
#include "colvm_int.h"
#include "expr.h"
#include "zx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct zx_colvm_prog {
    const zx_plan *plan;
    const zx_indicator *ind;
    zx_expr *where, *num, *den, *ok;
    int teachers, roles;         /* what must be loaded */
    unsigned tcols;              /* the teacher columns read */
};

/* ---- names -------------------------------------------------------------- */

enum rk {
    R_SCOL,      /* school integer column `col` (0 type, 1 urban_rural,
                    2 town_seat, 3 hq) */
    R_PRIVATE,   /* owner = 22 */
    R_INSET,     /* school type_code or urban_rural (col) in ints */
    R_ENROL,     /* enrolment column `col` of the year */
    R_STEXT,     /* school name (0) or code (1) */
    R_TCOL,      /* teacher column `col` */
    R_YIS,       /* year - since_year */
    R_WTEXT,     /* town name (0) or code (1) */
    R_GTEXT,     /* group name, code, type */
    R_ELEM,      /* data element of the set's level */
    R_SETNUM,    /* setting.X, a number */
    R_SETLIST,   /* setting.X, a list */
    R_SCHOOL,    /* school.X of a teacher: sub */
    R_TOWNNAME,  /* town.name */
    R_TOWNELEM   /* town.X, a town-level element */
};

struct ref {
    enum rk k;
    int col;
    const int *ints;
    int nints;
    const zx_codelist *codes;
    const zx_data_element *de;
    const zx_setting *st;
    const char *sub;             /* R_SCHOOL: the school's field */
};

/* The mechanisms' columns (compile.c reads them from their tables): a
 * name among them is theirs, never a data element's. */
static const char *const declined_school[] = {
    "funded_students", "staff_norm", "staff_actual", "itinerant_lacking",
    "itinerant_covered", "inspector_assigned", "substitute_count"
};
static const char *const declined_teacher[] = {
    "name", "no", "training_hours", "subsidy_eligible", "subsidy_paid",
    "rotated"
};

static const char *const families[] = {
    "kindergarten", "primary", "junior", "senior", "compulsory", "special",
    "vocational"
};

static int in_list(const char *name, const char *const *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(name, v[i]) == 0)
            return 1;
    return 0;
}

#define IN_LIST(name, v) in_list(name, v, sizeof(v) / sizeof(v[0]))

/* A bare name of set, as emit_field of compile.c: 1 when known here. */
static int resolve_field(const zx_plan *plan, int set, const char *name,
                         struct ref *r)
{
    static const char *const scols[] = { "type", "urban_rural", "town_seat",
                                         "hq" };
    static const char *const scodes[] = { "school_type", "urban_rural", NULL,
                                          NULL };
    static const char *const enrol[] = { "students", "classes", "boarders",
                                         "special_students" };
    static const char *const tcols[] = { "gender", "birth_year", "stage",
                                         "subject", "title", "employment",
                                         "post", "since_year", "political" };
    static const char *const tcodes[] = { "gender", NULL, "stage", "subject",
                                          "title", "employment", "post",
                                          NULL, "political" };
    const zx_data_element *de;
    int i;

    memset(r, 0, sizeof(*r));
    if (set == ZX_SET_SCHOOLS) {
        if (IN_LIST(name, declined_school))
            return 0;
        for (i = 0; i < 2; i++)
            if (strcmp(name, i ? "code" : "name") == 0) {
                r->k = R_STEXT;
                r->col = i;
                return 1;
            }
        for (i = 0; i < 4; i++)
            if (strcmp(name, scols[i]) == 0) {
                r->k = R_SCOL;
                r->col = i;
                r->codes = scodes[i] ? zx_codes_get(scodes[i]) : NULL;
                return 1;
            }
        if (strcmp(name, "private") == 0) {
            r->k = R_PRIVATE;
            return 1;
        }
        for (i = 0; i < 4; i++)
            if (strcmp(name, enrol[i]) == 0) {
                r->k = R_ENROL;
                r->col = i;
                return 1;
            }
        if (strcmp(name, "rural") == 0) {
            r->k = R_INSET;
            r->col = 1;
            r->ints = zx_plan_rural(plan, &r->nints);
            return 1;
        }
        if (IN_LIST(name, families)) {
            r->k = R_INSET;
            r->col = 0;
            r->ints = zx_codes_family(name, &r->nints);
            return 1;
        }
    } else if (set == ZX_SET_TEACHERS) {
        if (IN_LIST(name, declined_teacher))
            return 0;
        for (i = 0; i < NTC; i++)
            if (strcmp(name, tcols[i]) == 0) {
                r->k = R_TCOL;
                r->col = i;
                r->codes = tcodes[i] ? zx_codes_get(tcodes[i]) : NULL;
                return 1;
            }
        if (strcmp(name, "years_in_school") == 0) {
            r->k = R_YIS;
            return 1;
        }
    } else if (set == ZX_SET_TOWNS || set == ZX_SET_GROUPS) {
        static const char *const texts[] = { "name", "code", "type" };
        for (i = 0; i < (set == ZX_SET_TOWNS ? 2 : 3); i++)
            if (strcmp(name, texts[i]) == 0) {
                r->k = set == ZX_SET_TOWNS ? R_WTEXT : R_GTEXT;
                r->col = i;
                return 1;
            }
    } else {
        return 0;
    }
    de = zx_plan_element(plan, name);
    if (!de || (int)de->level != zx_entity_level(set))
        return 0;
    r->k = R_ELEM;
    r->de = de;
    return 1;
}

/* A name node (bare or a.b) in set. */
static int resolve(const zx_plan *plan, int set, const zx_node *n,
                   struct ref *r)
{
    const zx_data_element *de;
    struct ref sub;

    if (!n->member)
        return resolve_field(plan, set, n->str, r);
    memset(r, 0, sizeof(*r));
    if (strcmp(n->str, "setting") == 0) {
        if (!(r->st = zx_plan_setting(plan, n->member)))
            return 0;
        r->k = r->st->is_list ? R_SETLIST : R_SETNUM;
        return 1;
    }
    if (strcmp(n->str, "school") == 0 && set == ZX_SET_TEACHERS) {
        if (!resolve_field(plan, ZX_SET_SCHOOLS, n->member, &sub))
            return 0;
        *r = sub;
        r->k = R_SCHOOL;
        r->sub = n->member;
        return 1;
    }
    if (strcmp(n->str, "town") == 0 &&
        (set == ZX_SET_SCHOOLS || set == ZX_SET_TEACHERS)) {
        de = zx_plan_element(plan, n->member);
        if (strcmp(n->member, "name") == 0) {
            r->k = R_TOWNNAME;
            return 1;
        }
        if (de && de->level == ZX_LEVEL_TOWN) {
            r->k = R_TOWNELEM;
            r->de = de;
            return 1;
        }
    }
    return 0;
}

/* ---- preparing ---------------------------------------------------------- */

static int literal(const zx_node *n)
{
    return n->kind == ZX_N_NUM || n->kind == ZX_N_STR || n->kind == ZX_N_BOOL;
}

/* The index of role(...)'s title and level arguments (level -1: none). */
static int role_args(const zx_node *n, int *title, int *level)
{
    int since = strcmp(n->str, "role_since") == 0;

    *level = -1;
    if (n->nargs < 1 || n->nargs > (since ? 1 : 2) ||
        n->args[0]->kind != ZX_N_STR)
        return 0;
    if ((*title = zx_codes_find(zx_codes_get("role_title"),
                                n->args[0]->str)) < 0)
        return 0;
    if (n->nargs == 2 &&
        (n->args[1]->kind != ZX_N_STR ||
         (*level = zx_codes_find(zx_codes_get("role_level"),
                                 n->args[1]->str)) < 0))
        return 0;
    return 1;
}

/* Whether node n of set can be evaluated here; notes what to load. */
static int supported(zx_colvm_prog *p, int set, const zx_node *n)
{
    struct ref r;
    int i, a, b;

    if (set == ZX_SET_TEACHERS)
        p->teachers = 1;
    switch (n->kind) {
    case ZX_N_NUM: case ZX_N_STR: case ZX_N_BOOL: case ZX_N_YEAR:
        return 1;
    case ZX_N_NAME:
        if (!resolve(p->plan, set, n, &r))
            return 0;
        if (r.k == R_TCOL)
            p->tcols |= 1u << r.col;
        else if (r.k == R_YIS)
            p->tcols |= 1u << TC_SINCE;
        return 1;
    case ZX_N_LIST:
        return 0;
    case ZX_N_CALL:
        if (strcmp(n->str, "has") == 0)
            return n->nargs == 1 && supported(p, set, n->args[0]);
        if (strcmp(n->str, "role") == 0 || strcmp(n->str, "role_since") == 0) {
            p->roles = 1;
            return set == ZX_SET_TEACHERS && role_args(n, &a, &b);
        }
        if (strcmp(n->str, "count") == 0 || strcmp(n->str, "sum") == 0) {
            int is_sum = n->str[0] == 's', inner;
            if (n->nargs < (is_sum ? 2 : 1) || n->nargs > (is_sum ? 3 : 2) ||
                n->args[0]->kind != ZX_N_NAME || n->args[0]->member)
                return 0;
            if (strcmp(n->args[0]->str, "schools") == 0)
                inner = ZX_SET_SCHOOLS;
            else if (strcmp(n->args[0]->str, "teachers") == 0)
                inner = ZX_SET_TEACHERS;
            else
                return 0;
            if (!(set == ZX_SET_TOWNS || set == ZX_SET_GROUPS ||
                  (set == ZX_SET_SCHOOLS && inner == ZX_SET_TEACHERS)))
                return 0;
            if (inner == ZX_SET_TEACHERS)
                p->teachers = 1;
            for (i = 1; i < n->nargs; i++)
                if (!supported(p, inner, n->args[i]))
                    return 0;
            return 1;
        }
        return 0;
    case ZX_N_IN:
        if (!supported(p, set, n->a))
            return 0;
        if (n->b->kind == ZX_N_LIST) {
            for (i = 0; i < n->b->nargs; i++)
                if (!literal(n->b->args[i]))
                    return 0;
            return 1;
        }
        return n->b->kind == ZX_N_NAME && resolve(p->plan, set, n->b, &r) &&
               r.k == R_SETLIST;
    case ZX_N_NOT: case ZX_N_NEG:
        return supported(p, set, n->a);
    case ZX_N_BETWEEN:
        return supported(p, set, n->a) && supported(p, set, n->b) &&
               supported(p, set, n->c);
    default:
        return supported(p, set, n->a) && supported(p, set, n->b);
    }
}

void zx_colvm_prog_free(zx_colvm_prog *p)
{
    if (!p)
        return;
    zx_expr_free(p->where);
    zx_expr_free(p->num);
    zx_expr_free(p->den);
    zx_expr_free(p->ok);
    free(p);
}

/* Parses src into *e (NULL when absent); 0 when not supported. */
static int prepare_one(zx_colvm_prog *p, const zx_expr_src *src, zx_expr **e,
                       int *oom)
{
    char err[256];
    int off, rc;

    if (!src->text)
        return 1;
    rc = zx_expr_parse(src->text, e, &off, err, sizeof(err));
    if (rc == ZX_ENOMEM)
        *oom = 1;
    return rc == ZX_OK && supported(p, p->ind->over, zx_expr_root(*e));
}

int zx_colvm_prepare(const zx_plan *plan, const zx_indicator *ind,
                     zx_colvm_prog **out)
{
    zx_colvm_prog *p;
    int oom = 0;

    *out = NULL;
    if (zx_entity_level(ind->over) < 0)
        return ZX_OK; /* the mechanisms' sets */
    if (!(p = calloc(1, sizeof(*p))))
        return ZX_ENOMEM;
    p->plan = plan;
    p->ind = ind;
    if (ind->over == ZX_SET_TEACHERS)
        p->teachers = 1;
    if (prepare_one(p, &ind->where, &p->where, &oom) &&
        prepare_one(p, &ind->numerator, &p->num, &oom) &&
        prepare_one(p, &ind->denominator, &p->den, &oom) &&
        prepare_one(p, &ind->on_track, &p->ok, &oom)) {
        *out = p;
        return ZX_OK;
    }
    zx_colvm_prog_free(p);
    return oom ? ZX_ENOMEM : ZX_OK;
}

void zx_colvm_expect(zx_colvm *vm, const zx_colvm_prog *p)
{
    vm->t_expect |= p->tcols;
}

/* ---- values ------------------------------------------------------------- */

enum vk { V_NUM, V_TEXT, V_STR, V_LIST };

struct val {
    enum vk k;
    double *v;                   /* V_NUM: per entity, or NULL: c */
    double c;
    const char **s;              /* V_TEXT: per entity, NULL for NULL */
    const char *lit;             /* V_STR */
    const double *list;          /* V_LIST */
    int nlist;
    const zx_codelist *codes;    /* V_NUM of a coded field */
};

struct ev {
    zx_colvm *vm;
    const zx_map *snap;
    const zx_plan *plan;
    int year;
    int measuring;               /* evaluating the numerator */
    struct val *notes;           /* its data reads at depth 0 */
    int nnotes, capnotes;
};

static void *ev_alloc(struct ev *e, size_t size)
{
    return zx_colvm_scratch(e->vm, size);
}

static double *vec(struct ev *e, int n)
{
    return ev_alloc(e, (size_t)n * sizeof(double));
}

static int set_size(const zx_colvm *vm, int set)
{
    return zx_colvm_level_size(vm, zx_entity_level(set));
}

static double at(const struct val *x, int i)
{
    return x->v ? x->v[i] : x->c;
}

static const char *text_at(const struct val *x, int i)
{
    return x->k == V_STR ? x->lit : x->s[i];
}

/* SQL truth: a condition holds when it is neither NULL nor 0. */
static int truth(double x)
{
    return !isnan(x) && x != 0;
}

static int note(struct ev *e, int depth, const struct val *x)
{
    struct val *a;

    if (!e->measuring || depth != 0)
        return ZX_OK;
    if (e->nnotes == e->capnotes) {
        int cap = e->capnotes ? e->capnotes * 2 : 4;
        if (!(a = realloc(e->notes, (size_t)cap * sizeof(*a))))
            return ZX_ENOMEM;
        e->notes = a;
        e->capnotes = cap;
    }
    e->notes[e->nnotes++] = *x;
    return ZX_OK;
}

/* A school vector brought to the teachers, or a town's to the schools
 * or teachers: map[i] is the source index of entity i, or -1 (NULL). */
static int gather(struct ev *e, const struct val *src, const int *map,
                  int n, struct val *out)
{
    int i;

    *out = *src;
    if (src->k == V_NUM && src->v) {
        if (!(out->v = vec(e, n)))
            return ZX_ENOMEM;
        for (i = 0; i < n; i++)
            out->v[i] = map[i] < 0 ? NAN : src->v[map[i]];
    } else if (src->k == V_TEXT) {
        if (!(out->s = ev_alloc(e, (size_t)n * sizeof(char *))))
            return ZX_ENOMEM;
        for (i = 0; i < n; i++)
            out->s[i] = map[i] < 0 ? NULL : src->s[map[i]];
    }
    return ZX_OK;
}

/* The town index of each entity of set (schools or teachers) into *out.
 * The query reads town.X from the school's parent whatever its kind: a
 * school hanging off the city directly declines (ZX_ENOTFOUND). */
static int town_map(struct ev *e, int set, int **out)
{
    const zx_colvm *vm = e->vm;
    int n = set_size(vm, set), i, s;
    int *m = ev_alloc(e, (size_t)n * sizeof(int));

    if (!m)
        return ZX_ENOMEM;
    for (i = 0; i < n; i++) {
        s = set == ZX_SET_SCHOOLS ? i : vm->t_school[i];
        if ((m[i] = vm->s_town[s]) < 0 && vm->s_parent[s])
            return ZX_ENOTFOUND;
    }
    *out = m;
    return ZX_OK;
}

static int element(struct ev *e, const zx_data_element *de, struct val *out)
{
    const struct cv_data *d;
    int rc;

    if ((rc = zx_colvm_need_data(e->vm, e->snap, de, e->year, &d)))
        return rc;
    memset(out, 0, sizeof(*out));
    if (d->num) {
        out->k = V_NUM;
        out->v = d->num;
    } else {
        out->k = V_TEXT;
        out->s = (const char **)d->text;
    }
    return ZX_OK;
}

static int ints_to(struct ev *e, const int *src, int n, struct val *out)
{
    int i;

    out->k = V_NUM;
    if (!(out->v = vec(e, n)))
        return ZX_ENOMEM;
    for (i = 0; i < n; i++)
        out->v[i] = src[i] == CV_NULL ? NAN : src[i];
    return ZX_OK;
}

/* Field r of the entities of set. */
static int field(struct ev *e, int set, int depth, const struct ref *r,
                 struct val *out)
{
    zx_colvm *vm = e->vm;
    int n = set_size(vm, set), i, j, rc = ZX_OK;
    const int *col;
    struct ref sub;
    struct val x;

    memset(out, 0, sizeof(*out));
    out->codes = r->codes;
    switch (r->k) {
    case R_SCOL:
        col = r->col == 0 ? vm->s_type : r->col == 1 ? vm->s_ur
              : r->col == 2 ? vm->s_seat : vm->s_hq;
        return ints_to(e, col, n, out);
    case R_PRIVATE:
        if ((rc = ints_to(e, vm->s_owner, n, out)))
            return rc;
        for (i = 0; i < n; i++)
            out->v[i] = out->v[i] == 22;
        return ZX_OK;
    case R_INSET:
        col = r->col == 0 ? vm->s_type : vm->s_ur;
        out->k = V_NUM;
        if (!(out->v = vec(e, n)))
            return ZX_ENOMEM;
        for (i = 0; i < n; i++) {
            out->v[i] = 0;
            for (j = 0; j < r->nints; j++)
                if (col[i] == r->ints[j])
                    out->v[i] = 1;
        }
        return ZX_OK;
    case R_ENROL: {
        const struct cv_enrol *en;
        if ((rc = zx_colvm_need_enrol(vm, e->snap, e->year, &en)))
            return rc;
        out->k = V_NUM;
        out->v = en->col[r->col];
        return note(e, depth, out);
    }
    case R_STEXT:
        out->k = V_TEXT;
        out->s = (const char **)(r->col ? vm->s_code : vm->s_name);
        return ZX_OK;
    case R_TCOL:
        return ints_to(e, vm->t_col[r->col], n, out);
    case R_YIS:
        if ((rc = ints_to(e, vm->t_col[TC_SINCE], n, out)))
            return rc;
        for (i = 0; i < n; i++)
            out->v[i] = e->year - out->v[i];
        return ZX_OK;
    case R_WTEXT:
        out->k = V_TEXT;
        out->s = (const char **)(r->col ? vm->w_code : vm->w_name);
        return ZX_OK;
    case R_GTEXT:
        out->k = V_TEXT;
        out->s = (const char **)(r->col == 0 ? vm->g_name : r->col == 1
                                 ? vm->g_code : vm->g_type);
        return ZX_OK;
    case R_ELEM:
        if ((rc = element(e, r->de, out)))
            return rc;
        return note(e, depth, out);
    case R_SETNUM:
        out->k = V_NUM;
        out->c = r->st->value;
        return ZX_OK;
    case R_SETLIST:
        out->k = V_LIST;
        out->list = r->st->list;
        out->nlist = r->st->nlist;
        return ZX_OK;
    case R_SCHOOL:
        resolve_field(e->plan, ZX_SET_SCHOOLS, r->sub, &sub);
        /* depth -1: noted once, as the teachers' vector, not the
         * schools' */
        if ((rc = field(e, ZX_SET_SCHOOLS, -1, &sub, &x)) ||
            (rc = gather(e, &x, vm->t_school, n, out)))
            return rc;
        return sub.k == R_ELEM || sub.k == R_ENROL ? note(e, depth, out)
                                                   : ZX_OK;
    case R_TOWNNAME:
    case R_TOWNELEM: {
        int *m = NULL;
        if ((rc = town_map(e, set, &m)))
            return rc;
        if (r->k == R_TOWNNAME) {
            memset(&x, 0, sizeof(x));
            x.k = V_TEXT;
            x.s = (const char **)vm->w_name;
            return gather(e, &x, m, n, out);
        }
        if ((rc = element(e, r->de, &x)) || (rc = gather(e, &x, m, n, out)))
            return rc;
        return note(e, depth, out);
    }
    }
    return ZX_EINVAL;
}

static int eval(struct ev *e, int set, int depth, const zx_node *n,
                struct val *out);

/* A string literal where a number of a coded field is: the code. */
static int coded(struct val *x, const struct val *other)
{
    int i;

    if (x->k != V_STR || other->k != V_NUM || !other->codes)
        return 0;
    if ((i = zx_codes_find(other->codes, x->lit)) < 0)
        return ZX_ENOTFOUND;
    x->k = V_NUM;
    x->c = atoll(other->codes->items[i].code);
    x->codes = other->codes;
    return 0;
}

static double cmp_result(enum zx_node_kind k, int c)
{
    switch (k) {
    case ZX_N_EQ: return c == 0;
    case ZX_N_NE: return c != 0;
    case ZX_N_LT: return c < 0;
    case ZX_N_LE: return c <= 0;
    case ZX_N_GT: return c > 0;
    default:      return c >= 0;
    }
}

static int compare(struct ev *e, int set, enum zx_node_kind k,
                   struct val *a, struct val *b, struct val *out)
{
    int n = set_size(e->vm, set), i, rc;

    if ((rc = coded(a, b)) || (rc = coded(b, a)))
        return rc;
    memset(out, 0, sizeof(*out));
    out->k = V_NUM;
    if (!(out->v = vec(e, n)))
        return ZX_ENOMEM;
    if (a->k == V_NUM && b->k == V_NUM) {
        for (i = 0; i < n; i++) {
            double x = at(a, i), y = at(b, i);
            out->v[i] = isnan(x) || isnan(y) ? NAN
                        : cmp_result(k, (x > y) - (x < y));
        }
        return ZX_OK;
    }
    if ((a->k != V_TEXT && a->k != V_STR) || (b->k != V_TEXT && b->k != V_STR))
        return ZX_ENOTFOUND; /* SQLite's mixed-type order: the SQL's */
    for (i = 0; i < n; i++) {
        const char *x = text_at(a, i), *y = text_at(b, i);
        out->v[i] = !x || !y ? NAN : cmp_result(k, strcmp(x, y));
    }
    return ZX_OK;
}

/* a IN (list): NULL for a NULL a, 1 when found, else 0 (the literals
 * are never NULL); an empty literal list is compiled as IN (NULL). */
static int in(struct ev *e, int set, int depth, const zx_node *n,
              struct val *out)
{
    int sz = set_size(e->vm, set), i, j, rc, m;
    struct val a, b, items[64];

    if ((rc = eval(e, set, depth, n->a, &a)))
        return rc;
    memset(out, 0, sizeof(*out));
    out->k = V_NUM;
    if (!(out->v = vec(e, sz)))
        return ZX_ENOMEM;
    if (n->b->kind != ZX_N_LIST) {
        if ((rc = eval(e, set, depth, n->b, &b)))
            return rc;
        if (a.k != V_NUM)
            return ZX_ENOTFOUND;
        for (i = 0; i < sz; i++) {
            double x = at(&a, i), f = 0;
            for (j = 0; j < b.nlist; j++)
                if (x == b.list[j])
                    f = 1;
            /* SQLite: x IN () is false whatever x */
            out->v[i] = b.nlist && isnan(x) ? NAN : f;
        }
        return ZX_OK;
    }
    m = n->b->nargs;
    if (m > (int)(sizeof(items) / sizeof(items[0])))
        return ZX_ENOTFOUND;
    for (j = 0; j < m; j++) {
        if ((rc = eval(e, set, depth, n->b->args[j], &items[j])) ||
            (rc = coded(&items[j], &a)))
            return rc;
        if ((a.k == V_NUM) != (items[j].k == V_NUM))
            return ZX_ENOTFOUND;
    }
    for (i = 0; i < sz; i++) {
        double f = 0;
        if (a.k == V_NUM) {
            double x = at(&a, i);
            if (isnan(x) || m == 0) {
                out->v[i] = NAN;
                continue;
            }
            for (j = 0; j < m && !f; j++)
                f = x == items[j].c;
        } else {
            const char *x = text_at(&a, i);
            if (!x || m == 0) {
                out->v[i] = NAN;
                continue;
            }
            for (j = 0; j < m && !f; j++)
                f = strcmp(x, items[j].lit) == 0;
        }
        out->v[i] = f;
    }
    return ZX_OK;
}

/* role(TITLE[, LEVEL]): held in the year at LEVEL or above;
 * role_since(TITLE): the first start year, or NULL. */
static int role(struct ev *e, const zx_node *n, struct val *out)
{
    const zx_codelist *titles = zx_codes_get("role_title");
    const zx_colvm *vm = e->vm;
    int since = strcmp(n->str, "role_since") == 0, ti, lv, i;
    const struct cv_title *t = NULL;

    role_args(n, &ti, &lv);
    memset(out, 0, sizeof(*out));
    out->k = V_NUM;
    if (!(out->v = vec(e, vm->nt)))
        return ZX_ENOMEM;
    for (i = 0; i < vm->nt; i++)
        out->v[i] = since ? NAN : 0;
    for (i = 0; i < vm->ntitles; i++)
        if (strcmp(vm->titles[i].title, titles->items[ti].name) == 0)
            t = &vm->titles[i];
    for (i = 0; t && i < t->n; i++) {
        double *x = &out->v[t->teacher[i]];
        if (since) {
            if (isnan(*x) || t->start[i] < *x)
                *x = t->start[i];
        } else if (t->start[i] <= e->year &&
                   (t->end[i] == CV_NULL || t->end[i] >= e->year) &&
                   (lv < 0 || (t->level[i] >= 0 && t->level[i] <= lv))) {
            *x = 1;
        }
    }
    return ZX_OK;
}

/* count(SET[, COND]) and sum(SET, EXPR[, COND]) per entity of set. */
static int aggregate(struct ev *e, int set, int depth, const zx_node *n,
                     struct val *out)
{
    const zx_colvm *vm = e->vm;
    int is_sum = n->str[0] == 's', ncond = is_sum ? 3 : 2, i, o, rc;
    int inner = strcmp(n->args[0]->str, "schools") == 0 ? ZX_SET_SCHOOLS
                                                         : ZX_SET_TEACHERS;
    int nin = set_size(vm, inner), nout = set_size(vm, set);
    struct val v = { 0 }, c = { 0 };

    if (is_sum && (rc = eval(e, inner, depth + 1, n->args[1], &v)))
        return rc;
    if (is_sum && v.k != V_NUM)
        return ZX_ENOTFOUND;
    if (n->nargs == ncond &&
        (rc = eval(e, inner, depth + 1, n->args[ncond - 1], &c)))
        return rc;
    if (n->nargs == ncond && c.k != V_NUM)
        return ZX_ENOTFOUND;
    memset(out, 0, sizeof(*out));
    out->k = V_NUM;
    if (!(out->v = vec(e, nout)))
        return ZX_ENOMEM;
    for (i = 0; i < nout; i++)
        out->v[i] = 0;
    for (i = 0; i < nin; i++) {
        int s = inner == ZX_SET_SCHOOLS ? i : vm->t_school[i];
        o = set == ZX_SET_SCHOOLS ? s
            : set == ZX_SET_TOWNS ? vm->s_town[s] : vm->s_group[s];
        if (o < 0 || (n->nargs == ncond && !truth(at(&c, i))))
            continue;
        if (!is_sum)
            out->v[o] += 1;
        else if (!isnan(at(&v, i)))
            out->v[o] += at(&v, i);
    }
    return ZX_OK;
}

static int eval(struct ev *e, int set, int depth, const zx_node *n,
                struct val *out)
{
    int sz = set_size(e->vm, set), i, rc;
    struct val a, b, c;
    struct ref r;

    memset(out, 0, sizeof(*out));
    switch (n->kind) {
    case ZX_N_NUM:
    case ZX_N_BOOL:
        out->c = n->num;
        return ZX_OK;
    case ZX_N_YEAR:
        out->c = e->year;
        return ZX_OK;
    case ZX_N_STR:
        out->k = V_STR;
        out->lit = n->str;
        return ZX_OK;
    case ZX_N_NAME:
        resolve(e->plan, set, n, &r);
        return field(e, set, depth, &r, out);
    case ZX_N_CALL:
        if (strcmp(n->str, "has") == 0) {
            if ((rc = eval(e, set, depth, n->args[0], &a)))
                return rc;
            if (a.k == V_STR || a.k == V_LIST)
                return ZX_ENOTFOUND;
            if (!(out->v = vec(e, sz)))
                return ZX_ENOMEM;
            for (i = 0; i < sz; i++)
                out->v[i] = a.k == V_TEXT ? a.s[i] != NULL : !isnan(at(&a, i));
            return ZX_OK;
        }
        if (n->str[0] == 'r')
            return role(e, n, out);
        return aggregate(e, set, depth, n, out);
    case ZX_N_LIST:
        return ZX_ENOTFOUND;
    case ZX_N_IN:
        return in(e, set, depth, n, out);
    default:
        break;
    }
    if ((rc = eval(e, set, depth, n->a, &a)))
        return rc;
    if (n->kind != ZX_N_NOT && n->kind != ZX_N_NEG &&
        (rc = eval(e, set, depth, n->b, &b)))
        return rc;
    if (n->kind == ZX_N_BETWEEN && (rc = eval(e, set, depth, n->c, &c)))
        return rc;
    if (n->kind >= ZX_N_EQ && n->kind <= ZX_N_GE)
        return compare(e, set, n->kind, &a, &b, out);
    if (a.k != V_NUM || ((n->kind != ZX_N_NOT && n->kind != ZX_N_NEG) &&
                         b.k != V_NUM) ||
        (n->kind == ZX_N_BETWEEN && c.k != V_NUM))
        return ZX_ENOTFOUND;
    if (!(out->v = vec(e, sz)))
        return ZX_ENOMEM;
    for (i = 0; i < sz; i++) {
        double x = at(&a, i), y = n->kind == ZX_N_NOT || n->kind == ZX_N_NEG
                                      ? 0 : at(&b, i), z;
        switch (n->kind) {
        case ZX_N_NOT:
            out->v[i] = isnan(x) ? NAN : x == 0;
            break;
        case ZX_N_NEG:
            out->v[i] = -x;
            break;
        case ZX_N_AND:
            out->v[i] = (!isnan(x) && x == 0) || (!isnan(y) && y == 0) ? 0
                        : isnan(x) || isnan(y) ? NAN : 1;
            break;
        case ZX_N_OR:
            out->v[i] = truth(x) || truth(y) ? 1
                        : isnan(x) || isnan(y) ? NAN : 0;
            break;
        case ZX_N_ADD: out->v[i] = x + y; break;
        case ZX_N_SUB: out->v[i] = x - y; break;
        case ZX_N_MUL: out->v[i] = x * y; break;
        case ZX_N_DIV:
            /* SQLite: division by zero is NULL */
            out->v[i] = y == 0 ? NAN : x / y;
            break;
        default: /* ZX_N_BETWEEN */
            z = at(&c, i);
            {
                double lo = isnan(x) || isnan(y) ? NAN : x >= y;
                double hi = isnan(x) || isnan(z) ? NAN : x <= z;
                out->v[i] = lo == 0 || hi == 0 ? 0
                            : isnan(lo) || isnan(hi) ? NAN : 1;
            }
            break;
        }
    }
    return ZX_OK;
}

/* ---- running ------------------------------------------------------------ */

/* Per group (the smallest unit an entity rolls up to), the query's sums. */
struct grp {
    long long entities, nvals, notok, has;
    double n, d, mn, mx;
};

int zx_colvm_run(zx_colvm *vm, const zx_colvm_prog *p, int year,
                 const zx_map *snap, zx_colvm_row_fn fn, void *ctx)
{
    const zx_indicator *ind = p->ind;
    int set = ind->over, i, j, sz, ng, rc;
    int cond = ind->kind == ZX_IND_SHARE || ind->kind == ZX_IND_COUNT;
    int minmax = ind->kind == ZX_IND_MIN || ind->kind == ZX_IND_MAX;
    struct ev e;
    struct val w = { 0 }, num = { 0 }, den = { 0 }, ok = { 0 };
    struct grp *g = NULL;

    memset(&e, 0, sizeof(e));
    e.vm = vm;
    e.snap = snap;
    e.plan = p->plan;
    e.year = year;
    if ((rc = zx_colvm_need_units(vm, snap)) ||
        (p->teachers &&
         (rc = zx_colvm_need_teachers(vm, snap, p->tcols))) ||
        (p->roles && (rc = zx_colvm_need_roles(vm, snap))))
        goto fail;
    sz = set_size(vm, set);
    if ((p->where && (rc = eval(&e, set, 0, zx_expr_root(p->where), &w))))
        goto fail;
    e.measuring = 1;
    if (p->num && (rc = eval(&e, set, 0, zx_expr_root(p->num), &num)))
        goto fail;
    e.measuring = 0;
    if ((p->den && (rc = eval(&e, set, 0, zx_expr_root(p->den), &den))) ||
        (p->ok && (rc = eval(&e, set, 0, zx_expr_root(p->ok), &ok))))
        goto fail;
    rc = ZX_ENOTFOUND;
    if ((p->where && w.k != V_NUM) || (p->num && num.k != V_NUM) ||
        (p->den && den.k != V_NUM) || (p->ok && ok.k != V_NUM))
        goto fail;
    rc = ZX_ENOMEM;
    ng = set == ZX_SET_TOWNS ? vm->nw : set == ZX_SET_GROUPS ? vm->ng : vm->ns;
    if (!(g = calloc((size_t)(ng ? ng : 1), sizeof(*g))))
        goto fail;
    for (i = 0; i < sz; i++) {
        struct grp *x;
        double v;
        int has = e.nnotes == 0;
        if (p->where && !truth(at(&w, i)))
            continue;
        x = &g[set == ZX_SET_TEACHERS ? vm->t_school[i] : i];
        x->entities++;
        if (cond) {
            v = !p->num || truth(at(&num, i));
        } else if (minmax) {
            v = p->num ? at(&num, i) : NAN;
        } else {
            v = p->num ? at(&num, i) : 0;
            v = isnan(v) ? 0 : v;
        }
        if (minmax) {
            if (!isnan(v)) {
                if (x->nvals == 0 || v < x->mn)
                    x->mn = v;
                if (x->nvals == 0 || v > x->mx)
                    x->mx = v;
                x->nvals++;
            }
        } else {
            x->n += v;
        }
        if (ind->kind == ZX_IND_SHARE)
            x->d += 1;
        else if (ind->kind == ZX_IND_RATIO && p->den && !isnan(at(&den, i)))
            x->d += at(&den, i);
        if (p->ok && !truth(at(&ok, i)))
            x->notok++;
        for (j = 0; j < e.nnotes && !has; j++)
            has = e.notes[j].k == V_TEXT ? e.notes[j].s[i] != NULL
                                         : !isnan(at(&e.notes[j], i));
        x->has += has;
    }
    for (i = 0; i < ng; i++) {
        zx_colvm_row row;
        if (!g[i].entities)
            continue;
        memset(&row, 0, sizeof(row));
        if (set == ZX_SET_TOWNS) {
            row.town_id = vm->w_id[i];
        } else if (set == ZX_SET_GROUPS) {
            row.group_id = vm->g_id[i];
        } else {
            row.school_id = vm->s_id[i];
            row.town_id = vm->s_parent[i];
            row.group_id = vm->s_groupid[i];
        }
        row.entities = g[i].entities;
        row.n = g[i].n;
        row.d = g[i].d;
        /* min/max: the unused side is NULL in the query, 0 when read */
        row.mn = ind->kind == ZX_IND_MIN ? g[i].mn : 0;
        row.mx = ind->kind == ZX_IND_MAX ? g[i].mx : 0;
        row.nvals = minmax ? g[i].nvals : 0;
        row.notok = g[i].notok;
        row.has = g[i].has;
        fn(ctx, &row);
    }
    rc = ZX_OK;

fail:
    free(g);
    zx_colvm_scratch_release(vm);
    free(e.notes);
    return rc;
}
