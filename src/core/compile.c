/*
 * compile.c - indicator to SQL (see compile.h).
 *
 * Each expression is parsed (expr.c) and walked once, emitting SQL text
 * while inferring the type of every node, so that a Chinese code name
 * compared with a coded column ("employment = '代课'") becomes the code,
 * an option is checked against the data element's options, and a
 * condition used as a number (or the reverse) is reported at its place.
 * Nested count()/sum() walk the same code one alias level deeper.
 */
#include "compile.h"
#include "codes.h"
#include "expr.h"
#include "zx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string building -------------------------------------------------- */

struct sb {
    char *p;
    size_t n, cap;
    int oom;
};

static void sb_add(struct sb *b, const char *s)
{
    size_t len = strlen(s);

    if (b->oom)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        char *p;
        while (cap < b->n + len + 1)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, len + 1);
    b->n += len;
}

static void sb_addf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats straight into the buffer: fragments nest, so a %s may be a
 * whole compiled expression of any length. */
static void sb_addf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    int len;

    if (b->oom)
        return;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || b->n + (size_t)len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (len >= 0 && cap < b->n + (size_t)len + 1)
            cap *= 2;
        p = len < 0 ? NULL : realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

/* ---- types ------------------------------------------------------------ */

enum ty { TY_BOOL, TY_NUM, TY_TEXT, TY_CODED, TY_OPTION, TY_LIST, TY_BAD };

struct type {
    enum ty ty;
    const zx_codelist *codes;       /* TY_CODED */
    const zx_data_element *de;      /* TY_OPTION */
};

static const char *ty_name(enum ty t)
{
    switch (t) {
    case TY_BOOL:   return "条件（是/否）";
    case TY_NUM:    return "数值";
    case TY_TEXT:   return "文字";
    case TY_CODED:  return "代码";
    case TY_OPTION: return "选项";
    case TY_LIST:   return "列表";
    case TY_BAD:    break;
    }
    return "?";
}

/* ---- compilation state ------------------------------------------------ */

struct cc {
    const zx_plan *plan;
    const zx_indicator *ind;
    const zx_expr_src *src;         /* expression being compiled */
    const char *values;             /* the table data elements are read
                                       from (ZX_COMPILE_ACCEPTED) */
    zx_diag *diag;
    zx_param *params;
    int nparams, capparams;
    struct sb hasdata;              /* "x IS NOT NULL OR ..." (depth 0) */
    int measuring;                  /* compiling the numerator */
    unsigned enrol;                 /* bit d: enrolment read at depth d */
    struct sb ctes;                 /* WITH tables, "q1(k, c) AS (...)" */
    int nctes;
    char **deps;                    /* stamp keys read, without repeats */
    int ndeps, capdeps;
    int reads_data;
    int errors;
    int oom;
};

/* Where a name is being resolved: an entity set at an alias depth. */
struct scope {
    enum zx_entity set;
    int d;
};

static void error_at(struct cc *c, int off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports at the line and column of byte off of the current expression:
 * YAML columns count characters, so the bytes before off are counted as
 * UTF-8 characters. */
static void error_at(struct cc *c, int off, const char *fmt, ...)
{
    const char *t = c->src->text;
    int line = c->src->pos.line, col = c->src->pos.col, i;
    char buf[768];
    va_list ap;

    for (i = 0; i < off && t[i]; i++) {
        if (t[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    zx_diag_add(c->diag, zx_plan_file(c->plan), line, col - 1, "指标 %s：%s",
                c->ind->id, buf);
    c->errors++;
}

static int push_param(struct cc *c, zx_param p)
{
    if (c->nparams == c->capparams) {
        int cap = c->capparams ? c->capparams * 2 : 16;
        zx_param *a = realloc(c->params, (size_t)cap * sizeof(*a));
        if (!a) {
            c->oom = 1;
            return 0;
        }
        c->params = a;
        c->capparams = cap;
    }
    c->params[c->nparams++] = p;
    return c->nparams + 2; /* ?1 is the year, ?2 the plan's first day */
}

/* Notes that the query reads what stamp key covers. */
static void add_dep(struct cc *c, const char *kind, const char *name)
{
    char key[160];
    int i;

    snprintf(key, sizeof(key), "%s:%s", kind, name);
    for (i = 0; i < c->ndeps; i++)
        if (strcmp(c->deps[i], key) == 0)
            return;
    if (c->ndeps == c->capdeps) {
        int cap = c->capdeps ? c->capdeps * 2 : 8;
        char **a = realloc(c->deps, (size_t)cap * sizeof(*a));
        if (!a) {
            c->oom = 1;
            return;
        }
        c->deps = a;
        c->capdeps = cap;
    }
    if (!(c->deps[c->ndeps] = strdup(key))) {
        c->oom = 1;
        return;
    }
    c->ndeps++;
}

static void free_deps(char **d, int n)
{
    int i;

    for (i = 0; i < n; i++)
        free(d[i]);
    free(d);
}

static void free_params(zx_param *p, int n)
{
    int i;

    for (i = 0; i < n; i++)
        free(p[i].text);
    free(p);
}

static void add_int(struct cc *c, struct sb *out, long long v)
{
    zx_param p = { ZX_PARAM_INT, v, 0, NULL };
    sb_addf(out, "?%d", push_param(c, p));
}

static void add_real(struct cc *c, struct sb *out, double v)
{
    zx_param p = { ZX_PARAM_REAL, 0, v, NULL };
    sb_addf(out, "?%d", push_param(c, p));
}

/* The text is copied: literals live in the expression's tree, which is
 * freed once compiled. */
static void add_text(struct cc *c, struct sb *out, const char *v)
{
    zx_param p = { ZX_PARAM_TEXT, 0, 0, strdup(v) };
    int k;

    if (!p.text) {
        c->oom = 1;
        return;
    }
    k = push_param(c, p);
    if (!k) {
        free(p.text);
        return;
    }
    sb_addf(out, "?%d", k);
}

static void add_int_list(struct cc *c, struct sb *out, const int *v, int n)
{
    int i;

    sb_add(out, "(");
    for (i = 0; i < n; i++) {
        if (i)
            sb_add(out, ", ");
        add_int(c, out, v[i]);
    }
    sb_add(out, ")");
}

/* ---- entity sets ------------------------------------------------------ */

/* The enrolment of the year, joined only where an expression reads it:
 * over a million teachers the join alone triples the query's time. */
static void emit_enrol(struct sb *o, int d, int with)
{
    if (with)
        sb_addf(o, " LEFT JOIN enrolment e%d ON e%d.school_id = s%d.unit_id"
                   " AND e%d.year = ?1",
                d, d, d, d);
}

/* FROM clause of set at depth d, and the condition every row meets. */
static void emit_from(struct sb *o, enum zx_entity set, int d, int enrol)
{
    switch (set) {
    case ZX_SET_SCHOOLS:
        sb_addf(o, "school s%d JOIN org_unit u%d ON u%d.id = s%d.unit_id",
                d, d, d, d);
        emit_enrol(o, d, enrol);
        sb_add(o, " WHERE 1");
        break;
    case ZX_SET_TEACHERS:
        sb_addf(o, "teacher t%d JOIN school s%d ON s%d.unit_id ="
                   " t%d.school_id JOIN org_unit u%d ON u%d.id = s%d.unit_id",
                d, d, d, d, d, d, d);
        emit_enrol(o, d, enrol);
        sb_add(o, " WHERE 1");
        break;
    case ZX_SET_TOWNS:
        sb_addf(o, "org_unit w%d WHERE w%d.kind = 'town'", d, d);
        break;
    case ZX_SET_GROUPS:
        sb_addf(o, "org_unit g%d WHERE g%d.kind = 'group'", d, d);
        break;
    case ZX_SET_PAIRING_MENTORS:
        sb_addf(o, "pairing_pool p%d JOIN org_unit u%d ON u%d.id ="
                   " p%d.unit_id WHERE p%d.side = 'mentor'",
                d, d, d, d, d);
        break;
    case ZX_SET_RECTIFICATIONS:
        sb_addf(o, "rectification r%d JOIN school s%d ON s%d.unit_id ="
                   " r%d.school_id JOIN org_unit u%d ON u%d.id = s%d.unit_id",
                d, d, d, d, d, d, d);
        emit_enrol(o, d, enrol);
        sb_add(o, " WHERE 1");
        break;
    }
}

/* The entity rows are grouped per the smallest unit they roll up to, so
 * that SQLite, not the caller, sums a school's thousand teachers. */
static const char *group_key(enum zx_entity set)
{
    switch (set) {
    case ZX_SET_TOWNS:           return "w0.id";
    case ZX_SET_GROUPS:          return "g0.id";
    case ZX_SET_PAIRING_MENTORS: return "u0.id";
    default:                     return "s0.unit_id";
    }
}

/* The school, town and group ids of a row of set at depth 0. */
static void emit_ids(struct sb *o, enum zx_entity set)
{
    switch (set) {
    case ZX_SET_SCHOOLS:
    case ZX_SET_TEACHERS:
    case ZX_SET_RECTIFICATIONS:
        sb_add(o, "s0.unit_id, u0.parent_id, s0.group_id");
        break;
    case ZX_SET_TOWNS:
        sb_add(o, "NULL, w0.id, NULL");
        break;
    case ZX_SET_GROUPS:
        sb_add(o, "NULL, NULL, g0.id");
        break;
    case ZX_SET_PAIRING_MENTORS:
        sb_add(o, "CASE u0.kind WHEN 'school' THEN u0.id END,"
                  " CASE u0.kind WHEN 'school' THEN u0.parent_id"
                  " WHEN 'town' THEN u0.id END,"
                  " CASE u0.kind WHEN 'school' THEN (SELECT group_id FROM"
                  " school WHERE unit_id = u0.id) WHEN 'group' THEN u0.id"
                  " END");
        break;
    }
}

/* The id a data element of `level` is recorded against, in scope sc. */
static int emit_unit_of(struct sb *o, const struct scope *sc, int level)
{
    int d = sc->d;

    switch (level) {
    case ZX_LEVEL_SCHOOL:
        if (sc->set == ZX_SET_SCHOOLS || sc->set == ZX_SET_TEACHERS ||
            sc->set == ZX_SET_RECTIFICATIONS) {
            sb_addf(o, "s%d.unit_id", d);
            return 1;
        }
        return 0;
    case ZX_LEVEL_TEACHER:
        if (sc->set != ZX_SET_TEACHERS)
            return 0;
        sb_addf(o, "t%d.id", d);
        return 1;
    case ZX_LEVEL_TOWN:
        if (sc->set == ZX_SET_TOWNS)
            sb_addf(o, "w%d.id", d);
        else if (sc->set == ZX_SET_SCHOOLS || sc->set == ZX_SET_TEACHERS ||
                 sc->set == ZX_SET_RECTIFICATIONS)
            sb_addf(o, "u%d.parent_id", d);
        else
            return 0;
        return 1;
    case ZX_LEVEL_GROUP:
        if (sc->set == ZX_SET_GROUPS)
            sb_addf(o, "g%d.id", d);
        else if (sc->set == ZX_SET_SCHOOLS || sc->set == ZX_SET_TEACHERS ||
                 sc->set == ZX_SET_RECTIFICATIONS)
            sb_addf(o, "s%d.group_id", d);
        else
            return 0;
        return 1;
    case ZX_LEVEL_CITY:
        sb_add(o, "(SELECT id FROM org_unit WHERE kind = 'city' LIMIT 1)");
        return 1;
    }
    return 0;
}

/* ---- fields ----------------------------------------------------------- */

enum { S_SCH = 1, S_TEA = 2, S_TOWN = 4, S_GRP = 8, S_PAIR = 16, S_RECT = 32 };

struct field {
    const char *name;
    int sets;             /* where the name is a field */
    enum ty ty;
    const char *codes;    /* TY_CODED: code list id */
    int data;             /* read from a mechanism table: counts as data */
    const char *sql;      /* $s $u $e $t $w $g $p $r = aliases at depth */
    const char *stamp;    /* the table whose stamp covers it (stamp.h), or
                             NULL for the registry, which every query reads */
};

static const struct field fields[] = {
    { "name", S_SCH | S_RECT, TY_TEXT, NULL, 0, "$u.name", NULL },
    { "code", S_SCH | S_RECT, TY_TEXT, NULL, 0, "$u.code", NULL },
    { "type", S_SCH | S_RECT, TY_CODED, "school_type", 0, "$s.type_code", NULL },
    { "urban_rural", S_SCH | S_RECT, TY_CODED, "urban_rural", 0,
      "$s.urban_rural", NULL },
    { "town_seat", S_SCH | S_RECT, TY_BOOL, NULL, 0, "$s.town_seat", NULL },
    { "private", S_SCH | S_RECT, TY_BOOL, NULL, 0, "($s.owner = 22)", NULL },
    { "hq", S_SCH | S_RECT, TY_BOOL, NULL, 0, "$s.group_hq", NULL },
    { "students", S_SCH | S_RECT, TY_NUM, NULL, 1, "$e.students", NULL },
    { "classes", S_SCH | S_RECT, TY_NUM, NULL, 1, "$e.classes", NULL },
    { "boarders", S_SCH | S_RECT, TY_NUM, NULL, 1, "$e.boarders", NULL },
    { "special_students", S_SCH | S_RECT, TY_NUM, NULL, 1, "$e.special", NULL },
    { "funded_students", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT funded_students FROM funding WHERE school_id = $s.unit_id"
      " AND year = ?1)", "funding" },
    { "staff_norm", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT norm FROM staffing WHERE school_id = $s.unit_id"
      " AND year = ?1)", "staffing" },
    { "staff_actual", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT actual FROM staffing WHERE school_id = $s.unit_id"
      " AND year = ?1)", "staffing" },
    { "itinerant_lacking", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT sum(hours_lacking) FROM itinerant_need"
      " WHERE school_id = $s.unit_id AND year = ?1)", "itinerant_need" },
    { "itinerant_covered", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT sum(hours_covered) FROM itinerant_need"
      " WHERE school_id = $s.unit_id AND year = ?1)", "itinerant_need" },
    { "substitute_count", S_SCH | S_RECT, TY_NUM, NULL, 1,
      "(SELECT count FROM substitute_count WHERE school_id = $s.unit_id"
      " AND year = ?1)", "substitute_count" },
    { "inspector_assigned", S_SCH | S_RECT, TY_BOOL, NULL, 0,
      "EXISTS (SELECT 1 FROM inspector_assignment"
      " WHERE school_id = $s.unit_id)", "inspector_assignment" },

    { "name", S_TEA, TY_TEXT, NULL, 0, "$t.name", NULL },
    { "no", S_TEA, TY_TEXT, NULL, 0, "$t.teacher_no", NULL },
    { "gender", S_TEA, TY_CODED, "gender", 0, "$t.gender", NULL },
    { "birth_year", S_TEA, TY_NUM, NULL, 0,
      "CAST(substr($t.birth, 1, 4) AS INTEGER)", NULL },
    { "stage", S_TEA, TY_CODED, "stage", 0, "$t.stage", NULL },
    { "subject", S_TEA, TY_CODED, "subject", 0, "$t.subject", NULL },
    { "title", S_TEA, TY_CODED, "title", 0, "$t.title", NULL },
    { "employment", S_TEA, TY_CODED, "employment", 0, "$t.employment", NULL },
    { "post", S_TEA, TY_CODED, "post", 0, "$t.post", NULL },
    { "since_year", S_TEA, TY_NUM, NULL, 0, "$t.since_year", NULL },
    { "years_in_school", S_TEA, TY_NUM, NULL, 0, "(?1 - $t.since_year)", NULL },
    { "political", S_TEA, TY_CODED, "political", 0, "$t.political", NULL },
    { "training_hours", S_TEA, TY_NUM, NULL, 0,
      "(SELECT coalesce(sum(hours), 0) FROM training_record"
      " WHERE teacher_id = $t.id AND special = 1 AND done_on >= ?2"
      " AND done_on <= ?1 || '-12-31')", "training_record" },
    { "subsidy_eligible", S_TEA, TY_BOOL, NULL, 1,
      "(SELECT eligible FROM subsidy WHERE teacher_id = $t.id"
      " AND year = ?1)", "subsidy" },
    { "subsidy_paid", S_TEA, TY_BOOL, NULL, 1,
      "(SELECT paid FROM subsidy WHERE teacher_id = $t.id AND year = ?1)", "subsidy" },
    { "rotated", S_TEA, TY_BOOL, NULL, 0,
      "EXISTS (SELECT 1 FROM rotation WHERE teacher_id = $t.id"
      " AND year = ?1)", "rotation" },

    { "name", S_TOWN, TY_TEXT, NULL, 0, "$w.name", NULL },
    { "code", S_TOWN, TY_TEXT, NULL, 0, "$w.code", NULL },
    { "name", S_GRP, TY_TEXT, NULL, 0, "$g.name", NULL },
    { "code", S_GRP, TY_TEXT, NULL, 0, "$g.code", NULL },
    { "type", S_GRP, TY_TEXT, NULL, 0, "$g.group_type", NULL },

    { "name", S_PAIR, TY_TEXT, NULL, 0, "$p.name", NULL },
    { "programme", S_PAIR, TY_TEXT, NULL, 0, "$p.programme", NULL },
    { "paired", S_PAIR, TY_BOOL, NULL, 0,
      "EXISTS (SELECT 1 FROM pairing x WHERE x.mentor_id = $p.id"
      " AND x.status = 'accepted')", "pairing" },
    { "active", S_PAIR, TY_BOOL, NULL, 0,
      "EXISTS (SELECT 1 FROM pairing x JOIN pairing_activity a"
      " ON a.pairing_id = x.id WHERE x.mentor_id = $p.id"
      " AND x.status = 'accepted'"
      " AND substr(a.on_date, 1, 4) = CAST(?1 AS TEXT))", "pairing_activity" },

    { "due_year", S_RECT, TY_NUM, NULL, 0,
      "CAST(substr($r.due, 1, 4) AS INTEGER)", NULL },
    { "closed_on_time", S_RECT, TY_BOOL, NULL, 0,
      "($r.closed_on IS NOT NULL AND $r.closed_on <= $r.due)", NULL },
};

/* Stage families are fields of schools (and of a teacher's school). */
static const char *const families[] = {
    "kindergarten", "primary", "junior", "senior", "compulsory", "special",
    "vocational"
};

static int set_bit(enum zx_entity set)
{
    return 1 << set;
}

/* Appends tmpl with $x replaced by alias x at depth d. */
static void emit_tmpl(struct sb *o, const char *tmpl, int d)
{
    char buf[16];

    for (; *tmpl; tmpl++) {
        if (*tmpl == '$' && strchr("suetwgpr", tmpl[1])) {
            snprintf(buf, sizeof(buf), "%c%d", tmpl[1], d);
            sb_add(o, buf);
            tmpl++;
        } else {
            char ch[2] = { *tmpl, '\0' };
            sb_add(o, ch);
        }
    }
}

/* ---- expressions ------------------------------------------------------ */

static void emit(struct cc *c, const struct scope *sc, const zx_node *n,
                 const struct type *hint, struct sb *o, struct type *t);

static int is_school_like(enum zx_entity set)
{
    return set == ZX_SET_SCHOOLS || set == ZX_SET_TEACHERS ||
           set == ZX_SET_RECTIFICATIONS;
}

/* Data read by the numerator decide whether a unit has data: a share of
 * rural schools with a counselling room has none until some school's
 * answer is entered, however complete the enrolment in its scope. */
static void note_data(struct cc *c, const struct scope *sc, const char *sql)
{
    if (!c->measuring)
        return;
    c->reads_data = 1;
    if (sc->d != 0)
        return; /* nested reads count through the outer entity */
    if (c->hasdata.n)
        sb_add(&c->hasdata, " OR ");
    sb_addf(&c->hasdata, "(%s) IS NOT NULL", sql);
}

/* A data element's value for the entity in scope. */
static int emit_element(struct cc *c, const struct scope *sc,
                        const zx_data_element *de, int off, struct sb *o,
                        struct type *t)
{
    struct sb v = { 0 };
    int numeric = de->type == ZX_DE_BOOL || de->type == ZX_DE_INT ||
                  de->type == ZX_DE_DECIMAL;

    sb_addf(&v, "(SELECT %s FROM %s WHERE element = ",
            numeric ? "num" : "text", c->values);
    add_text(c, &v, de->id);
    sb_add(&v, " AND unit_id = ");
    if (!emit_unit_of(&v, sc, de->level)) {
        error_at(c, off, "数据项“%s”记录在%s一级，不能在%s中使用", de->id,
                 zx_level_name(de->level), zx_entity_name(sc->set));
        free(v.p);
        t->ty = TY_BAD;
        return 0;
    }
    sb_addf(&v, " AND year = %s)", de->yearly ? "?1" : "0");
    add_dep(c, "value", de->id);
    if (v.oom)
        c->oom = 1;
    else {
        sb_add(o, v.p);
        note_data(c, sc, v.p);
    }
    free(v.p);
    t->ty = de->type == ZX_DE_BOOL ? TY_BOOL
            : numeric              ? TY_NUM
            : de->type == ZX_DE_OPTION ? TY_OPTION
                                       : TY_TEXT;
    t->de = de;
    return 1;
}

/* A field or data element named `name` of scope sc. */
static int emit_field(struct cc *c, const struct scope *sc, const char *name,
                      int off, struct sb *o, struct type *t)
{
    const zx_data_element *de;
    size_t i;
    int n;

    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const struct field *f = &fields[i];
        if (strcmp(f->name, name) != 0 || !(f->sets & set_bit(sc->set)))
            continue;
        if (strstr(f->sql, "$e"))
            c->enrol |= 1u << sc->d;
        if (f->stamp)
            add_dep(c, "table", f->stamp + strlen(""));
        if (f->data) {
            struct sb v = { 0 };
            emit_tmpl(&v, f->sql, sc->d);
            if (!v.oom) {
                sb_add(o, v.p);
                note_data(c, sc, v.p);
            }
            free(v.p);
        } else {
            emit_tmpl(o, f->sql, sc->d);
        }
        t->ty = f->ty;
        t->codes = f->codes ? zx_codes_get(f->codes) : NULL;
        return 1;
    }
    if (is_school_like(sc->set)) {
        if (strcmp(name, "rural") == 0) {
            const int *r = zx_plan_rural(c->plan, &n);
            sb_addf(o, "(s%d.urban_rural IN ", sc->d);
            add_int_list(c, o, r, n);
            sb_add(o, ")");
            t->ty = TY_BOOL;
            return 1;
        }
        for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
            if (strcmp(name, families[i]) == 0) {
                const int *codes = zx_codes_family(name, &n);
                sb_addf(o, "(s%d.type_code IN ", sc->d);
                add_int_list(c, o, codes, n);
                sb_add(o, ")");
                t->ty = TY_BOOL;
                return 1;
            }
    }
    de = zx_plan_element(c->plan, name);
    if (de && (int)de->level == zx_entity_level(sc->set))
        return emit_element(c, sc, de, off, o, t);
    if (de) {
        error_at(c, off, "数据项“%s”记录在%s一级，%s中不能直接使用%s", name,
                 zx_level_name(de->level), zx_entity_name(sc->set),
                 de->level == ZX_LEVEL_SCHOOL ? "（教师的学校请写 school.）"
                 : de->level == ZX_LEVEL_TOWN ? "（所在区镇请写 town.）"
                                               : "");
    } else {
        error_at(c, off, "未知的名称“%s”：%s没有这个字段，计划中也没有这个"
                         "数据项", name, zx_entity_name(sc->set));
    }
    t->ty = TY_BAD;
    return 0;
}

static void emit_name(struct cc *c, const struct scope *sc, const zx_node *n,
                      struct sb *o, struct type *t)
{
    const zx_setting *set;

    if (!n->member) {
        emit_field(c, sc, n->str, n->off, o, t);
        return;
    }
    if (strcmp(n->str, "setting") == 0) {
        set = zx_plan_setting(c->plan, n->member);
        if (!set) {
            error_at(c, n->off, "计划中没有名为“%s”的设定", n->member);
            t->ty = TY_BAD;
        } else if (set->is_list) {
            int i;
            sb_add(o, "(");
            for (i = 0; i < set->nlist; i++) {
                if (i)
                    sb_add(o, ", ");
                add_real(c, o, set->list[i]);
            }
            sb_add(o, ")");
            t->ty = TY_LIST;
        } else {
            add_real(c, o, set->value);
            t->ty = TY_NUM;
        }
        return;
    }
    if (strcmp(n->str, "school") == 0 &&
        (sc->set == ZX_SET_TEACHERS || sc->set == ZX_SET_RECTIFICATIONS)) {
        struct scope s2 = { ZX_SET_SCHOOLS, sc->d };
        emit_field(c, &s2, n->member, n->off, o, t);
        return;
    }
    if (strcmp(n->str, "town") == 0 && is_school_like(sc->set)) {
        const zx_data_element *de = zx_plan_element(c->plan, n->member);
        if (strcmp(n->member, "name") == 0) {
            sb_addf(o, "(SELECT name FROM org_unit WHERE id = u%d.parent_id)",
                    sc->d);
            t->ty = TY_TEXT;
        } else if (de && de->level == ZX_LEVEL_TOWN) {
            emit_element(c, sc, de, n->off, o, t);
        } else {
            error_at(c, n->off, "town. 后面应为 name 或区镇一级的数据项，"
                                "“%s”不是", n->member);
            t->ty = TY_BAD;
        }
        return;
    }
    error_at(c, n->off, "无法识别“%s.%s”：%s中只能用 setting.、school.、"
                        "town. 开头的名称", n->str, n->member,
             zx_entity_name(sc->set));
    t->ty = TY_BAD;
}

static int want(struct cc *c, const zx_node *n, const struct type *t,
                enum ty ty)
{
    if (t->ty == TY_BAD || t->ty == ty ||
        (ty == TY_NUM && t->ty == TY_CODED))
        return 1;
    error_at(c, n->off, "此处应为%s，实为%s", ty_name(ty), ty_name(t->ty));
    return 0;
}

static int role_pred(struct cc *c, const zx_node *n, const char *r,
                     struct sb *o);

/* The conjunct of cond that is a role() call, or NULL. */
static const zx_node *role_conjunct(const zx_node *cond)
{
    const zx_node *r;

    if (!cond)
        return NULL;
    if (cond->kind == ZX_N_CALL && strcmp(cond->str, "role") == 0)
        return cond;
    if (cond->kind != ZX_N_AND)
        return NULL;
    return (r = role_conjunct(cond->a)) ? r : role_conjunct(cond->b);
}

/* cond without the conjunct `skip`, into o ("1" when nothing is left). */
static void emit_without(struct cc *c, const struct scope *sc,
                         const zx_node *cond, const zx_node *skip,
                         struct sb *o)
{
    struct type t;

    if (cond == skip) {
        sb_add(o, "1");
    } else if (cond->kind == ZX_N_AND) {
        sb_add(o, "(");
        emit_without(c, sc, cond->a, skip, o);
        sb_add(o, ") AND (");
        emit_without(c, sc, cond->b, skip, o);
        sb_add(o, ")");
    } else {
        emit(c, sc, cond, NULL, o, &t);
        want(c, cond, &t, TY_BOOL);
    }
}

/* count(teachers, ... role(T) ...): a few thousand teachers hold a title
 * among a million, so the count starts from teacher_role, once for all
 * units, in a WITH table the outer query looks up by unit.  Probing each
 * teacher of each school for the title instead costs a second at
 * province scale. */
static void emit_role_count(struct cc *c, const struct scope *sc,
                            const zx_node *cond, const zx_node *role,
                            struct sb *o)
{
    struct scope s2 = { ZX_SET_TEACHERS, sc->d + 1 };
    struct sb rest = { 0 }, pred = { 0 };
    const char *key = sc->set == ZX_SET_SCHOOLS ? "t%d.school_id"
                      : sc->set == ZX_SET_TOWNS ? "u%d.parent_id"
                                                : "s%d.group_id";
    char r[16];
    int d = s2.d, q = ++c->nctes;

    snprintf(r, sizeof(r), "rq%d", q);
    c->enrol &= ~(1u << d);
    emit_without(c, &s2, cond, role, &rest);
    role_pred(c, role, r, &pred);
    sb_addf(&c->ctes, "%sq%d(k, c) AS MATERIALIZED (SELECT ",
            c->ctes.n ? ", " : "", q);
    sb_addf(&c->ctes, key, d);
    sb_addf(&c->ctes, ", count(DISTINCT t%d.id) FROM teacher_role %s"
                      " JOIN teacher t%d ON t%d.id = %s.teacher_id"
                      " JOIN school s%d ON s%d.unit_id = t%d.school_id"
                      " JOIN org_unit u%d ON u%d.id = s%d.unit_id",
            d, r, d, d, r, d, d, d, d, d, d);
    emit_enrol(&c->ctes, d, c->enrol & (1u << d));
    sb_addf(&c->ctes, " WHERE %s AND (%s) GROUP BY 1)", pred.p ? pred.p : "1",
            rest.p ? rest.p : "1");
    c->enrol &= ~(1u << d);
    sb_addf(o, "coalesce((SELECT c FROM q%d WHERE k = %s%d.%s), 0)", q,
            sc->set == ZX_SET_SCHOOLS ? "s" : sc->set == ZX_SET_TOWNS ? "w"
                                                                      : "g",
            sc->d, sc->set == ZX_SET_SCHOOLS ? "unit_id" : "id");
    if (rest.oom || pred.oom)
        c->oom = 1;
    free(rest.p);
    free(pred.p);
}

/* count(SET[, COND]) and sum(SET, EXPR[, COND]) over the schools or
 * teachers under the entity in scope. */
static void emit_aggregate(struct cc *c, const struct scope *sc,
                           const zx_node *n, struct sb *o, struct type *t)
{
    int is_sum = strcmp(n->str, "sum") == 0, d = sc->d + 1, inner;
    const zx_node *setn = n->nargs ? n->args[0] : NULL;
    struct sb val = { 0 }, cond = { 0 };
    struct scope s2;
    struct type t2;

    t->ty = TY_NUM;
    if (!setn || setn->kind != ZX_N_NAME || setn->member ||
        (strcmp(setn->str, "schools") != 0 &&
         strcmp(setn->str, "teachers") != 0)) {
        error_at(c, setn ? setn->off : n->off,
                 "%s 的第一个参数应为 schools 或 teachers", n->str);
        return;
    }
    inner = strcmp(setn->str, "schools") == 0 ? ZX_SET_SCHOOLS
                                               : ZX_SET_TEACHERS;
    if ((is_sum && (n->nargs < 2 || n->nargs > 3)) ||
        (!is_sum && n->nargs > 2)) {
        error_at(c, n->off, is_sum ? "sum 的用法：sum(集合, 数值[, 条件])"
                                   : "count 的用法：count(集合[, 条件])");
        return;
    }
    s2.set = inner;
    s2.d = d;
    if (!is_sum && inner == ZX_SET_TEACHERS && n->nargs == 2 &&
        (sc->set == ZX_SET_SCHOOLS || sc->set == ZX_SET_TOWNS ||
         sc->set == ZX_SET_GROUPS) &&
        role_conjunct(n->args[1])) {
        emit_role_count(c, sc, n->args[1], role_conjunct(n->args[1]), o);
        return;
    }
    /* the inner expressions first: they tell whether the FROM needs the
     * enrolment join */
    c->enrol &= ~(1u << d);
    if (is_sum) {
        emit(c, &s2, n->args[1], NULL, &val, &t2);
        want(c, n->args[1], &t2, TY_NUM);
    }
    if (n->nargs == (is_sum ? 3 : 2)) {
        const zx_node *cnd = n->args[n->nargs - 1];
        emit(c, &s2, cnd, NULL, &cond, &t2);
        want(c, cnd, &t2, TY_BOOL);
    }
    if (is_sum)
        sb_addf(o, "(SELECT coalesce(sum(%s), 0)", val.p ? val.p : "0");
    else
        sb_add(o, "(SELECT count(*)");
    sb_add(o, " FROM ");
    emit_from(o, inner, d, c->enrol & (1u << d));
    c->enrol &= ~(1u << d);
    /* link the inner rows to the entity in scope */
    if (sc->set == ZX_SET_TOWNS)
        sb_addf(o, " AND u%d.parent_id = w%d.id", d, sc->d);
    else if (sc->set == ZX_SET_GROUPS)
        sb_addf(o, " AND s%d.group_id = g%d.id", d, sc->d);
    else if (sc->set == ZX_SET_SCHOOLS && inner == ZX_SET_TEACHERS)
        sb_addf(o, " AND t%d.school_id = s%d.unit_id", d, sc->d);
    else
        error_at(c, n->off, "%s中不能统计 %s", zx_entity_name(sc->set),
                 setn->str);
    if (cond.p)
        sb_addf(o, " AND (%s)", cond.p);
    sb_add(o, ")");
    if (val.oom || cond.oom)
        c->oom = 1;
    free(val.p);
    free(cond.p);
}

static const char *str_arg(struct cc *c, const zx_node *n, int i,
                           const char *what)
{
    if (i >= n->nargs || n->args[i]->kind != ZX_N_STR) {
        error_at(c, i < n->nargs ? n->args[i]->off : n->off,
                 "%s 的第 %d 个参数应为%s（加引号的文字）", n->str, i + 1,
                 what);
        return NULL;
    }
    return n->args[i]->str;
}

/* The conditions on teacher_role row `r` (an alias) that role(TITLE[,
 * LEVEL]) or role_since(TITLE) asks for: the title, for role() held in
 * the year, at LEVEL or above.  Returns 0 after reporting a bad call. */
static int role_pred(struct cc *c, const zx_node *n, const char *r,
                     struct sb *o)
{
    const zx_codelist *titles = zx_codes_get("role_title");
    const zx_codelist *levels = zx_codes_get("role_level");
    int since = strcmp(n->str, "role_since") == 0, k, i;
    const char *title, *level;

    if (n->nargs < 1 || n->nargs > (since ? 1 : 2)) {
        error_at(c, n->off, since ? "role_since 的用法：role_since('称号')"
                                  : "role 的用法：role('称号'[, '级别'])");
        return 0;
    }
    if (!(title = str_arg(c, n, 0, "称号")))
        return 0;
    if ((k = zx_codes_find(titles, title)) < 0) {
        error_at(c, n->args[0]->off, "“%s”不是教师称号", title);
        return 0;
    }
    sb_addf(o, "%s.title = ", r);
    add_text(c, o, titles->items[k].name);
    if (!since)
        sb_addf(o, " AND %s.start_year <= ?1 AND (%s.end_year IS NULL"
                   " OR %s.end_year >= ?1)", r, r, r);
    if (n->nargs == 2) {
        if (!(level = str_arg(c, n, 1, "级别")))
            return 0;
        if ((k = zx_codes_find(levels, level)) < 0) {
            error_at(c, n->args[1]->off, "“%s”不是称号级别", level);
            return 0;
        }
        /* the list runs from the highest level down */
        sb_addf(o, " AND %s.level IN (", r);
        for (i = 0; i <= k; i++) {
            if (i)
                sb_add(o, ", ");
            add_text(c, o, levels->items[i].name);
        }
        sb_add(o, ")");
    }
    return 1;
}

/* role(TITLE[, LEVEL]) and role_since(TITLE) of a teacher. */
static void emit_role(struct cc *c, const struct scope *sc, const zx_node *n,
                      struct sb *o, struct type *t)
{
    int since = strcmp(n->str, "role_since") == 0;
    char r[16];

    t->ty = since ? TY_NUM : TY_BOOL;
    if (sc->set != ZX_SET_TEACHERS) {
        error_at(c, n->off, "%s 只能用于教师", n->str);
        return;
    }
    snprintf(r, sizeof(r), "r%d", sc->d + 1);
    sb_addf(o, since ? "(SELECT min(start_year) FROM teacher_role %s"
                       " WHERE %s.teacher_id = t%d.id AND "
                     : "EXISTS (SELECT 1 FROM teacher_role %s"
                       " WHERE %s.teacher_id = t%d.id AND ",
            r, r, sc->d);
    role_pred(c, n, r, o);
    sb_add(o, ")");
}

static void emit_call(struct cc *c, const struct scope *sc, const zx_node *n,
                      struct sb *o, struct type *t)
{
    struct type ta;

    if (strcmp(n->str, "has") == 0) {
        /* has(x): a value was entered, whatever it is */
        t->ty = TY_BOOL;
        if (n->nargs != 1) {
            error_at(c, n->off, "has 的用法：has(数据项)");
            return;
        }
        sb_add(o, "((");
        emit(c, sc, n->args[0], NULL, o, &ta);
        sb_add(o, ") IS NOT NULL)");
        return;
    }
    if (strcmp(n->str, "count") == 0 || strcmp(n->str, "sum") == 0)
        emit_aggregate(c, sc, n, o, t);
    else if (strcmp(n->str, "role") == 0 || strcmp(n->str, "role_since") == 0)
        emit_role(c, sc, n, o, t);
    else {
        error_at(c, n->off, "未知的函数“%s”：可用 count、sum、role、"
                            "role_since、has", n->str);
        t->ty = TY_BAD;
    }
}

/* A string literal where a code or an option is expected. */
static void emit_string(struct cc *c, const zx_node *n,
                        const struct type *hint, struct sb *o, struct type *t)
{
    int i;

    if (hint && hint->ty == TY_CODED && hint->codes) {
        i = zx_codes_find(hint->codes, n->str);
        if (i < 0) {
            error_at(c, n->off, "“%s”不是“%s”的取值", n->str,
                     hint->codes->title);
            t->ty = TY_BAD;
            return;
        }
        add_int(c, o, atoll(hint->codes->items[i].code));
        *t = *hint;
        return;
    }
    if (hint && hint->ty == TY_OPTION && hint->de) {
        for (i = 0; i < hint->de->noptions; i++)
            if (strcmp(hint->de->options[i], n->str) == 0)
                break;
        if (i == hint->de->noptions) {
            error_at(c, n->off, "“%s”不是数据项“%s”的选项", n->str,
                     hint->de->id);
            t->ty = TY_BAD;
            return;
        }
        add_text(c, o, n->str);
        *t = *hint;
        return;
    }
    add_text(c, o, n->str);
    t->ty = TY_TEXT;
}

static int comparable(const struct type *a, const struct type *b)
{
    if (a->ty == TY_BAD || b->ty == TY_BAD)
        return 1;
    if (a->ty == b->ty)
        return a->ty != TY_CODED || !a->codes || !b->codes ||
               a->codes == b->codes;
    return (a->ty == TY_CODED && b->ty == TY_NUM) ||
           (a->ty == TY_NUM && b->ty == TY_CODED) ||
           (a->ty == TY_OPTION && b->ty == TY_TEXT) ||
           (a->ty == TY_TEXT && b->ty == TY_OPTION);
}

static void emit_compare(struct cc *c, const struct scope *sc,
                         const zx_node *n, struct sb *o, struct type *t)
{
    static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=" };
    struct sb a = { 0 }, b = { 0 };
    struct type ta = { 0 }, tb = { 0 };

    emit(c, sc, n->a, NULL, &a, &ta);
    emit(c, sc, n->b, &ta, &b, &tb);
    if (n->a->kind == ZX_N_STR && (tb.ty == TY_CODED || tb.ty == TY_OPTION)) {
        free(a.p);
        memset(&a, 0, sizeof(a));
        emit(c, sc, n->a, &tb, &a, &ta); /* '代课' = employment */
    }
    if (!comparable(&ta, &tb))
        error_at(c, n->off, "不能比较%s与%s", ty_name(ta.ty), ty_name(tb.ty));
    else if (n->kind != ZX_N_EQ && n->kind != ZX_N_NE &&
             (ta.ty == TY_BOOL || ta.ty == TY_OPTION))
        error_at(c, n->off, "%s只能比较相等或不等", ty_name(ta.ty));
    sb_addf(o, "((%s) %s (%s))", a.p ? a.p : "", ops[n->kind - ZX_N_EQ],
            b.p ? b.p : "");
    if (a.oom || b.oom)
        c->oom = 1;
    free(a.p);
    free(b.p);
    t->ty = TY_BOOL;
}

static void emit_in(struct cc *c, const struct scope *sc, const zx_node *n,
                    struct sb *o, struct type *t)
{
    struct type ta = { 0 }, te = { 0 };
    int i;

    sb_add(o, "((");
    emit(c, sc, n->a, NULL, o, &ta);
    sb_add(o, ") IN (");
    for (i = 0; i < n->b->nargs; i++) {
        if (i)
            sb_add(o, ", ");
        emit(c, sc, n->b->args[i], &ta, o, &te);
        if (!comparable(&ta, &te))
            error_at(c, n->b->args[i]->off, "列表元素是%s，不能与%s比较",
                     ty_name(te.ty), ty_name(ta.ty));
    }
    if (n->b->nargs == 0)
        sb_add(o, "NULL");
    sb_add(o, "))");
    t->ty = TY_BOOL;
}

static void emit(struct cc *c, const struct scope *sc, const zx_node *n,
                 const struct type *hint, struct sb *o, struct type *t)
{
    static const char *const arith[] = { "+", "-", "*", "/" };
    struct type ta = { 0 }, tb = { 0 }, tc = { 0 };

    memset(t, 0, sizeof(*t));
    switch (n->kind) {
    case ZX_N_NUM:
        add_real(c, o, n->num);
        t->ty = TY_NUM;
        return;
    case ZX_N_STR:
        emit_string(c, n, hint, o, t);
        return;
    case ZX_N_BOOL:
        sb_add(o, n->num ? "1" : "0");
        t->ty = TY_BOOL;
        return;
    case ZX_N_YEAR:
        sb_add(o, "?1");
        t->ty = TY_NUM;
        return;
    case ZX_N_NAME:
        emit_name(c, sc, n, o, t);
        return;
    case ZX_N_CALL:
        emit_call(c, sc, n, o, t);
        return;
    case ZX_N_LIST:
        error_at(c, n->off, "列表只能用在 in 后面");
        t->ty = TY_BAD;
        return;
    case ZX_N_NOT:
        sb_add(o, "(NOT (");
        emit(c, sc, n->a, NULL, o, &ta);
        want(c, n->a, &ta, TY_BOOL);
        sb_add(o, "))");
        t->ty = TY_BOOL;
        return;
    case ZX_N_NEG:
        sb_add(o, "(-(");
        emit(c, sc, n->a, NULL, o, &ta);
        want(c, n->a, &ta, TY_NUM);
        sb_add(o, "))");
        t->ty = TY_NUM;
        return;
    case ZX_N_AND:
    case ZX_N_OR:
        sb_add(o, "((");
        emit(c, sc, n->a, NULL, o, &ta);
        want(c, n->a, &ta, TY_BOOL);
        sb_add(o, n->kind == ZX_N_AND ? ") AND (" : ") OR (");
        emit(c, sc, n->b, NULL, o, &tb);
        want(c, n->b, &tb, TY_BOOL);
        sb_add(o, "))");
        t->ty = TY_BOOL;
        return;
    case ZX_N_EQ: case ZX_N_NE: case ZX_N_LT: case ZX_N_LE: case ZX_N_GT:
    case ZX_N_GE:
        emit_compare(c, sc, n, o, t);
        return;
    case ZX_N_ADD: case ZX_N_SUB: case ZX_N_MUL: case ZX_N_DIV:
        /* real division: 1/2 is 0.5, as a clerk expects */
        sb_add(o, "((");
        emit(c, sc, n->a, NULL, o, &ta);
        want(c, n->a, &ta, TY_NUM);
        sb_addf(o, ") %s (1.0 * ", arith[n->kind - ZX_N_ADD]);
        emit(c, sc, n->b, NULL, o, &tb);
        want(c, n->b, &tb, TY_NUM);
        sb_add(o, "))");
        t->ty = TY_NUM;
        return;
    case ZX_N_IN:
        if (n->b->kind == ZX_N_LIST) {
            emit_in(c, sc, n, o, t);
            return;
        }
        sb_add(o, "((");
        emit(c, sc, n->a, NULL, o, &ta);
        sb_add(o, ") IN ");
        emit(c, sc, n->b, NULL, o, &tb);
        if (tb.ty != TY_LIST && tb.ty != TY_BAD)
            error_at(c, n->b->off, "in 后面应为列表");
        sb_add(o, ")");
        t->ty = TY_BOOL;
        return;
    case ZX_N_BETWEEN:
        sb_add(o, "((");
        emit(c, sc, n->a, NULL, o, &ta);
        want(c, n->a, &ta, TY_NUM);
        sb_add(o, ") BETWEEN (");
        emit(c, sc, n->b, NULL, o, &tb);
        want(c, n->b, &tb, TY_NUM);
        sb_add(o, ") AND (");
        emit(c, sc, n->c, NULL, o, &tc);
        want(c, n->c, &tc, TY_NUM);
        sb_add(o, "))");
        t->ty = TY_BOOL;
        return;
    }
}

/* Parses and emits one expression of the indicator; want_ty is the type
 * it must have.  Returns 0 when it could not be compiled. */
static int emit_source(struct cc *c, const zx_expr_src *src,
                       enum ty want_ty, struct sb *o)
{
    zx_expr *e = NULL;
    struct scope sc = { c->ind->over, 0 };
    struct type t;
    char err[256];
    int off, rc, before = c->errors;

    c->src = src;
    rc = zx_expr_parse(src->text, &e, &off, err, sizeof(err));
    if (rc == ZX_ENOMEM) {
        c->oom = 1;
        return 0;
    }
    if (rc) {
        error_at(c, off, "%s", err);
        return 0;
    }
    emit(c, &sc, zx_expr_root(e), NULL, o, &t);
    if (t.ty != TY_BAD && !(t.ty == want_ty ||
                            (want_ty == TY_NUM && t.ty == TY_CODED))) {
        error_at(c, 0, "这里需要%s，表达式的结果是%s", ty_name(want_ty),
                 ty_name(t.ty));
    }
    zx_expr_free(e);
    return c->errors == before;
}

int zx_compile_indicator(const zx_plan *plan, const zx_indicator *ind,
                         unsigned flags, zx_sql *out, zx_diag *diag)
{
    struct cc c;
    struct sb q = { 0 }, num = { 0 }, den = { 0 }, ok = { 0 }, wh = { 0 };
    struct sb n = { 0 };
    int cond = ind->kind == ZX_IND_SHARE || ind->kind == ZX_IND_COUNT;
    int minmax = ind->kind == ZX_IND_MIN || ind->kind == ZX_IND_MAX;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    c.plan = plan;
    c.ind = ind;
    c.values = flags & ZX_COMPILE_ACCEPTED ? "data_value_accepted"
                                           : "data_value";
    c.diag = diag;
    /* the sets kept in the mechanisms' tables */
    if (ind->over == ZX_SET_PAIRING_MENTORS) {
        add_dep(&c, "table", "pairing_pool");
        add_dep(&c, "table", "pairing");
        add_dep(&c, "table", "pairing_activity");
    } else if (ind->over == ZX_SET_RECTIFICATIONS) {
        add_dep(&c, "table", "rectification");
    }

    if (ind->where.text)
        emit_source(&c, &ind->where, TY_BOOL, &wh);
    if (ind->numerator.text) {
        c.measuring = 1;
        emit_source(&c, &ind->numerator, cond ? TY_BOOL : TY_NUM, &num);
        c.measuring = 0;
    }
    if (ind->denominator.text)
        emit_source(&c, &ind->denominator, TY_NUM, &den);
    if (ind->on_track.text)
        emit_source(&c, &ind->on_track, TY_BOOL, &ok);

    /* per entity: n (a condition counts 1 when true, 0 when false or
     * unknown), d, ok and has, summed per group_key */
    if (cond)
        sb_addf(&n, "CASE WHEN %s THEN 1 ELSE 0 END", num.p ? num.p : "1");
    else if (ind->kind == ZX_IND_MIN || ind->kind == ZX_IND_MAX)
        sb_add(&n, num.p ? num.p : "NULL");
    else
        sb_addf(&n, "coalesce(%s, 0)", num.p ? num.p : "0");
    if (c.ctes.n)
        sb_addf(&q, "WITH %s ", c.ctes.p);
    sb_add(&q, "SELECT ");
    emit_ids(&q, ind->over);
    /* SQLite evaluates an expression once per use, and n may hold a
     * subquery per entity: it appears once or twice, as the kind needs */
    if (minmax)
        sb_add(&q, ", count(*), NULL, ");
    else
        sb_addf(&q, ", count(*), sum(%s), ", n.p);
    if (ind->kind == ZX_IND_SHARE)
        sb_add(&q, "count(*)");
    else if (ind->kind == ZX_IND_RATIO)
        sb_addf(&q, "sum(coalesce(%s, 0))", den.p ? den.p : "0");
    else
        sb_add(&q, "NULL");
    if (ind->kind == ZX_IND_MIN)
        sb_addf(&q, ", min(%s), NULL, count(%s)", n.p, n.p);
    else if (ind->kind == ZX_IND_MAX)
        sb_addf(&q, ", NULL, max(%s), count(%s)", n.p, n.p);
    else
        sb_add(&q, ", NULL, NULL, 0");
    if (ok.p)
        sb_addf(&q, ", sum(CASE WHEN %s THEN 0 ELSE 1 END)", ok.p);
    else
        sb_add(&q, ", 0");
    if (c.hasdata.n)
        sb_addf(&q, ", sum(CASE WHEN %s THEN 1 ELSE 0 END)", c.hasdata.p);
    else
        sb_add(&q, ", count(*)");
    sb_add(&q, " FROM ");
    emit_from(&q, ind->over, 0, c.enrol & 1u);
    if (wh.p)
        sb_addf(&q, " AND (%s)", wh.p);
    sb_addf(&q, " GROUP BY %s", group_key(ind->over));

    if (c.oom || q.oom || num.oom || den.oom || ok.oom || wh.oom || n.oom ||
        c.hasdata.oom || c.ctes.oom) {
        rc = ZX_ENOMEM;
    } else if (c.errors) {
        rc = ZX_EDATA;
    } else {
        out->text = q.p;
        q.p = NULL;
        out->params = c.params;
        out->nparams = c.nparams;
        c.params = NULL;
        c.nparams = 0;
        out->reads_data = c.reads_data;
        out->deps = c.deps;
        out->ndeps = c.ndeps;
        c.deps = NULL;
        c.ndeps = 0;
        rc = ZX_OK;
    }
    free(q.p);
    free(n.p);
    free(num.p);
    free(den.p);
    free(ok.p);
    free(wh.p);
    free(c.hasdata.p);
    free(c.ctes.p);
    free_params(c.params, c.nparams);
    free_deps(c.deps, c.ndeps);
    return rc;
}

void zx_sql_free(zx_sql *sql)
{
    free(sql->text);
    free_params(sql->params, sql->nparams);
    free_deps(sql->deps, sql->ndeps);
    memset(sql, 0, sizeof(*sql));
}
