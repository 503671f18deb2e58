/*
 * plan.c - reading and checking a plan file (see plan.h and
 * docs/plan-format.md).
 *
 * The file becomes a yamltree document that the plan keeps: every string
 * of the plan points into it and every array lives in its arena, so a plan
 * is freed with two calls whatever its size.
 *
 * The checks walk the tree in dependency order (plan, goals, sections,
 * data elements, indicators, tasks) whatever the order in the file, so a
 * reference is checked once what it names is known.  Every problem is
 * reported and the walk goes on: the office fixes a file in one round.  An
 * item with problems still registers a well-formed id, so one mistake is
 * not echoed by every reference to it.
 */
#include "plan.h"
#include "codes.h"
#include "yamltree.h"
#include "zx.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zx_plan {
    zx_yaml_doc *doc;           /* owns every string and array below */
    const char *file;
    const char *id, *name, *issuer, *document, *preamble;
    int baseline;
    int years[ZX_MAX_YEARS];
    int nyears;
    int *rural;
    int nrural;
    zx_goal *goals;
    int ngoals;
    zx_section *sections;
    int nsections;
    zx_data_element *elements;
    int nelements;
    zx_indicator *indicators;
    int nindicators;
    zx_task *tasks;
    int ntasks;
    zx_setting *settings;
    int nsettings;
};

typedef struct loader {
    zx_yaml_reader rd;
    zx_plan *p;
    int oom;
} loader;

static const char *const level_names[ZX_NLEVELS] = {
    "city", "town", "group", "school", "teacher"
};
static const char *const entity_names[] = {
    "schools", "teachers", "towns", "groups", "pairing_mentors",
    "rectifications"
};
static const char *const kind_names[] = {
    "share", "count", "sum", "ratio", "min", "max"
};
static const char *const type_names[] = {
    "bool", "int", "decimal", "option", "date", "text"
};

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define JUDGED_LEVELS                                                    \
    (1u << ZX_LEVEL_CITY | 1u << ZX_LEVEL_TOWN | 1u << ZX_LEVEL_GROUP |  \
     1u << ZX_LEVEL_SCHOOL)

/* Names a bare word of an expression may already mean (docs/plan-format.md,
 * "Expressions"): a data element by one of them could never be reached. */
static const struct {
    const char *what, *words;
} reserved[] = {
    { "学校的字段",
      " name code type urban_rural rural town_seat private hq kindergarten"
      " primary junior senior compulsory special vocational students classes"
      " boarders special_students funded_students staff_norm staff_actual"
      " itinerant_lacking itinerant_covered inspector_assigned"
      " substitute_count " },
    { "教师的字段",
      " name no gender birth_year stage subject title employment post"
      " since_year years_in_school political training_hours"
      " subsidy_eligible subsidy_paid rotated " },
    { "区镇和集团的字段", " name code type " },
    { "结对导师的字段", " programme paired active " },
    { "整改事项的字段", " due_year closed_on_time " },
    { "函数", " count sum role role_since has " },
    { "关键字", " and or not in between true false year setting " },
    { "实体集或单位",
      " schools teachers towns groups pairing_mentors rectifications"
      " city town group school teacher " },
};

static int find_name(const char *const *names, int n, const char *s)
{
    int i;

    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *zx_level_name(enum zx_level l)
{
    return (unsigned)l < ZX_NLEVELS ? level_names[l] : "?";
}

int zx_level_parse(const char *s)
{
    return find_name(level_names, ZX_NLEVELS, s);
}

const char *zx_entity_name(enum zx_entity e)
{
    return (unsigned)e < COUNT_OF(entity_names) ? entity_names[e] : "?";
}

int zx_entity_parse(const char *s)
{
    return find_name(entity_names, COUNT_OF(entity_names), s);
}

int zx_entity_level(enum zx_entity set)
{
    switch (set) {
    case ZX_SET_SCHOOLS:  return ZX_LEVEL_SCHOOL;
    case ZX_SET_TEACHERS: return ZX_LEVEL_TEACHER;
    case ZX_SET_TOWNS:    return ZX_LEVEL_TOWN;
    case ZX_SET_GROUPS:   return ZX_LEVEL_GROUP;
    default:              return -1;
    }
}

const char *zx_ind_kind_name(enum zx_ind_kind k)
{
    return (unsigned)k < COUNT_OF(kind_names) ? kind_names[k] : "?";
}

const char *zx_de_type_name(enum zx_de_type t)
{
    return (unsigned)t < COUNT_OF(type_names) ? type_names[t] : "?";
}

/* Every item struct of plan.h starts with its id (a setting with its
 * name), so one search serves every list. */
static int find_id(const void *base, int n, size_t size, const char *id)
{
    int i;

    for (i = 0; i < n; i++) {
        const char *s = *(const char *const *)((const char *)base +
                                               (size_t)i * size);
        if (s && strcmp(s, id) == 0)
            return i;
    }
    return -1;
}

/* ---- reporting and small readers ---- */

static void *ld_alloc(loader *ld, size_t size)
{
    void *m = zx_yaml_alloc(ld->p->doc, size);

    if (!m)
        ld->oom = 1;
    return m;
}

static zx_pos pos_of(const zx_yaml_node *n)
{
    return (zx_pos){ n->line, n->col };
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int all_of(const char *s, const char *set)
{
    return *s && strspn(s, set) == strlen(s);
}

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"

static int id_ok(const char *s)
{
    return all_of(s, LOWER_DIGITS "-");
}

static int name_ok(const char *s)
{
    return *s >= 'a' && *s <= 'z' && all_of(s, LOWER_DIGITS "_");
}

static int section_id_ok(const char *s)
{
    return all_of(s, LOWER_DIGITS ".-");
}

/* 2.1, 3.3.2-E3, 4.2-K1: ^[0-9]+(\.[0-9]+)*(-[A-Z][0-9]+)?$ */
static int clause_ok(const char *s)
{
    if (!is_digit(*s))
        return 0;
    for (;;) {
        while (is_digit(*s))
            s++;
        if (*s != '.' || !is_digit(s[1]))
            break;
        s++;
    }
    if (*s == '-') {
        if (s[1] < 'A' || s[1] > 'Z' || !is_digit(s[2]))
            return 0;
        for (s += 2; is_digit(*s); s++)
            ;
    }
    return *s == '\0';
}

static int date_ok(const char *s)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };
    int y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
        strspn(s + 8, "0123456789") != 2)
        return 0;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static const char *get_clause(loader *ld, const zx_yaml_node *map,
                              int required)
{
    const char *s = zx_yaml_get_text(&ld->rd, map, "clause", required);

    if (s && !clause_ok(s)) {
        zx_yaml_bad(&ld->rd, zx_yaml_get(map, "clause"),
                    "条款编号“%s”格式不正确（应如 2.1、3.3.2-E3、4.2-K1）", s);
        return NULL;
    }
    return s;
}

/* Writes "2020、2021、2022" into buf. */
static const char *years_text(const zx_plan *p, char *buf, size_t cap)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < p->nyears && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%d",
                                 i ? "、" : "", p->years[i]);
    return buf;
}

/* The id at "id" if well-formed, else NULL (reported).  A repeat of an
 * id among the n items before it at base (structs of size bytes with a
 * zx_pos at pos_off) is reported with the line of the first, and gives
 * NULL so that lookups find the first. */
static const char *item_id(loader *ld, const zx_yaml_node *map,
                           const void *base, int n, size_t size,
                           size_t pos_off, int (*ok)(const char *),
                           const char *rule)
{
    const char *id = zx_yaml_get_text(&ld->rd, map, "id", 1);
    const zx_yaml_node *v = zx_yaml_get(map, "id");
    const zx_pos *first;
    int i;

    if (!id)
        return NULL;
    if (!ok(id)) {
        zx_yaml_bad(&ld->rd, v, "id“%s”格式不正确：%s", id, rule);
        return NULL;
    }
    if ((i = find_id(base, n, size, id)) >= 0) {
        first = (const zx_pos *)((const char *)base + (size_t)i * size +
                                 pos_off);
        zx_yaml_bad(&ld->rd, v, "重复的 id“%s”（第 %d 行已定义）", id,
                    first->line);
        return NULL;
    }
    return id;
}

#define ITEM_ID(ld, map, arr, n, type, ok, rule)                          \
    item_id(ld, map, arr, n, sizeof(type), offsetof(type, pos), ok, rule)

#define ID_RULE "只能由小写字母、数字和“-”组成"
#define NAME_RULE "应以小写字母开头，只含小写字母、数字和“_”"
#define SECTION_RULE "只能由小写字母、数字、“.”和“-”组成（如 3.1、3.3.2）"

/* ---- references and lists ---- */

enum ref { REF_GOAL, REF_SECTION, REF_INDICATOR };

/* Reports v's text unless it names an existing item of kind r. */
static int ref_ok(loader *ld, const zx_yaml_node *v, enum ref r)
{
    static const char *const what[] = { "目标", "章节", "指标" };
    const zx_plan *p = ld->p;
    int found;

    switch (r) {
    case REF_GOAL:
        found = zx_plan_goal(p, v->text) != NULL;
        break;
    case REF_SECTION:
        found = zx_plan_section(p, v->text) != NULL;
        break;
    default:
        found = zx_plan_indicator(p, v->text) != NULL;
        break;
    }
    if (!found)
        zx_yaml_bad(&ld->rd, v, "未知的%s“%s”", what[r], v->text);
    return found;
}

static const char *get_ref(loader *ld, const zx_yaml_node *map,
                           const char *key, int required, enum ref r)
{
    const char *s = zx_yaml_get_text(&ld->rd, map, key, required);

    return s && ref_ok(ld, zx_yaml_get(map, key), r) ? s : NULL;
}

static int clause_item(loader *ld, const zx_yaml_node *v)
{
    if (clause_ok(v->text))
        return 1;
    zx_yaml_bad(&ld->rd, v,
                "条款编号“%s”格式不正确（应如 2.1、3.3.2-E3、4.2-K1）",
                v->text);
    return 0;
}

static int indicator_item(loader *ld, const zx_yaml_node *v)
{
    return ref_ok(ld, v, REF_INDICATOR);
}

/* The texts of the list v (NULL: absent) as an array in the plan; a
 * repeated item is an error, and so is an empty list when nonempty is
 * set; check, when given, reports a bad item. */
static const char *const *strings_of(loader *ld, const zx_yaml_node *v,
                                     const char *key, int nonempty,
                                     int (*check)(loader *,
                                                  const zx_yaml_node *),
                                     int *n)
{
    const zx_yaml_node *it;
    const char **out;
    int i;

    *n = 0;
    if (!v || !zx_yaml_want_list(&ld->rd, v, key))
        return NULL;
    if (nonempty && v->n == 0)
        zx_yaml_bad(&ld->rd, v, "“%s”至少要有一项", key);
    if (!(out = ld_alloc(ld, (size_t)v->n * sizeof(*out))))
        return NULL;
    for (it = v->first; it; it = it->next) {
        const char *s = zx_yaml_text(&ld->rd, it, key);

        if (!s)
            continue;
        if (!*s) {
            zx_yaml_bad(&ld->rd, it, "“%s”中有空白项", key);
            continue;
        }
        for (i = 0; i < *n && strcmp(out[i], s) != 0; i++)
            ;
        if (i < *n) {
            zx_yaml_bad(&ld->rd, it, "“%s”中重复的“%s”", key, s);
            continue;
        }
        if (check && !check(ld, it))
            continue;
        out[(*n)++] = s;
    }
    return out;
}

/* ---- plan: identity, years, rural codes, settings ---- */

static void load_years(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_yaml_node *it;
    int y;

    if (v->n == 0)
        zx_yaml_bad(&ld->rd, v, "“years”至少要有一个年度");
    if (v->n > ZX_MAX_YEARS) {
        zx_yaml_bad(&ld->rd, v, "计划年度最多 %d 个", ZX_MAX_YEARS);
        return;
    }
    for (it = v->first; it; it = it->next) {
        if (!zx_yaml_year(&ld->rd, it, "years", &y))
            continue;
        if (p->baseline && y <= p->baseline)
            zx_yaml_bad(&ld->rd, it, "计划年度 %d 应晚于基准年 %d", y,
                        p->baseline);
        else if (p->nyears && y <= p->years[p->nyears - 1])
            zx_yaml_bad(&ld->rd, it, "计划年度应从早到晚排列且不重复："
                        "%d 排在了 %d 之后", y, p->years[p->nyears - 1]);
        else
            p->years[p->nyears++] = y;
    }
}

static void load_rural(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_codelist *ur = zx_codes_get("urban_rural");
    const zx_yaml_node *it;
    char codes[512];
    int i, c;

    if (v->n == 0)
        zx_yaml_bad(&ld->rd, v, "“rural”至少要有一个城乡类型代码");
    if (!(p->rural = ld_alloc(ld, (size_t)v->n * sizeof(int))))
        return;
    for (it = v->first; it; it = it->next) {
        if (it->kind != ZX_YAML_SCALAR || !all_of(it->text, "0123456789") ||
            !zx_codes_by_code(ur, it->text)) {
            zx_codes_describe(ur, 1, codes, sizeof(codes));
            zx_yaml_bad(&ld->rd, it, "“%s”不是城乡类型代码，应为以下之一：%s",
                        it->kind == ZX_YAML_SCALAR ? it->text : "", codes);
            continue;
        }
        c = atoi(it->text);
        for (i = 0; i < p->nrural && p->rural[i] != c; i++)
            ;
        if (i < p->nrural)
            zx_yaml_bad(&ld->rd, it, "重复的城乡类型代码 %d", c);
        else
            p->rural[p->nrural++] = c;
    }
}

static void load_settings(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_yaml_node *k, *it;
    zx_setting *s;
    double *list;

    if (!zx_yaml_want_map(&ld->rd, v, "“settings”"))
        return;
    if (!(p->settings = ld_alloc(ld, (size_t)v->n * sizeof(*s))))
        return;
    for (k = v->first; k; k = k->next) {
        s = &p->settings[p->nsettings];
        if (!name_ok(k->text)) {
            zx_yaml_bad(&ld->rd, k, "参数名“%s”格式不正确：%s", k->text,
                        NAME_RULE);
            continue;
        }
        s->name = k->text;
        s->pos = pos_of(k);
        p->nsettings++;
        if (k->value->kind == ZX_YAML_MAP || zx_yaml_is_null(k->value)) {
            zx_yaml_bad(&ld->rd, k, "参数“%s”应为一个数字或数字列表", k->text);
        } else if (k->value->kind == ZX_YAML_SCALAR) {
            zx_yaml_number(&ld->rd, k->value, k->text, &s->value);
        } else {
            s->is_list = 1;
            if (!(list = ld_alloc(ld, (size_t)k->value->n * sizeof(*list))))
                return;
            for (it = k->value->first; it; it = it->next)
                if (zx_yaml_number(&ld->rd, it, k->text, &list[s->nlist]))
                    s->nlist++;
            s->list = list;
        }
    }
}

static void load_plan(loader *ld, const zx_yaml_node *m)
{
    static const char *const keys[] = {
        "id", "name", "issuer", "document", "baseline", "years", "rural",
        "preamble", "settings", NULL
    };
    zx_plan *p = ld->p;
    const zx_yaml_node *v;
    const char *id;

    if (!zx_yaml_want_map(&ld->rd, m, "“plan”"))
        return;
    zx_yaml_check_keys(&ld->rd, m, keys);
    if ((id = zx_yaml_get_text(&ld->rd, m, "id", 1)) && !id_ok(id))
        zx_yaml_bad(&ld->rd, zx_yaml_get(m, "id"), "id“%s”格式不正确：%s",
                    id, ID_RULE);
    p->id = id;
    p->name = zx_yaml_get_text(&ld->rd, m, "name", 1);
    p->issuer = zx_yaml_get_text(&ld->rd, m, "issuer", 0);
    p->document = zx_yaml_get_text(&ld->rd, m, "document", 0);
    p->preamble = zx_yaml_get_text(&ld->rd, m, "preamble", 0);
    if ((v = zx_yaml_field(&ld->rd, m, "baseline", 1)))
        zx_yaml_year(&ld->rd, v, "baseline", &p->baseline);
    if ((v = zx_yaml_field(&ld->rd, m, "years", 1)) &&
        zx_yaml_want_list(&ld->rd, v, "years"))
        load_years(ld, v);
    if ((v = zx_yaml_field(&ld->rd, m, "rural", 1)) &&
        zx_yaml_want_list(&ld->rd, v, "rural"))
        load_rural(ld, v);
    if ((v = zx_yaml_field(&ld->rd, m, "settings", 0)))
        load_settings(ld, v);
}

/* ---- goals and sections ---- */

static void load_goals(loader *ld, const zx_yaml_node *v)
{
    static const char *const keys[] = { "id", "clause", "name", "text",
                                        NULL };
    zx_plan *p = ld->p;
    const zx_yaml_node *it;
    zx_goal *g;

    if (!zx_yaml_want_list(&ld->rd, v, "goals") ||
        !(p->goals = ld_alloc(ld, (size_t)v->n * sizeof(*g))))
        return;
    for (it = v->first; it; it = it->next) {
        if (!zx_yaml_want_map(&ld->rd, it, "每个目标"))
            continue;
        zx_yaml_check_keys(&ld->rd, it, keys);
        g = &p->goals[p->ngoals];
        g->id = ITEM_ID(ld, it, p->goals, p->ngoals, zx_goal, id_ok,
                        ID_RULE);
        g->clause = get_clause(ld, it, 1);
        g->name = zx_yaml_get_text(&ld->rd, it, "name", 1);
        g->text = zx_yaml_get_text(&ld->rd, it, "text", 0);
        g->pos = pos_of(it);
        p->ngoals++;
    }
}

/* Items of the section list v and of every list nested in it: an upper
 * bound of the sections, to allocate the flat array once. */
static int count_sections(const zx_yaml_node *v)
{
    const zx_yaml_node *it, *sub;
    int n = 0;

    if (v->kind != ZX_YAML_SEQ)
        return 0;
    for (it = v->first; it; it = it->next) {
        n++;
        if ((sub = zx_yaml_get(it, "sections")))
            n += count_sections(sub);
    }
    return n;
}

/* Appends the sections of v, each followed by its subsections. */
static void load_sections(loader *ld, const zx_yaml_node *v, int parent)
{
    static const char *const keys[] = { "id", "name", "goal", "sections",
                                        NULL };
    zx_plan *p = ld->p;
    const zx_yaml_node *it, *sub;
    zx_section *s;
    int idx;

    if (!zx_yaml_want_list(&ld->rd, v, "sections"))
        return;
    for (it = v->first; it; it = it->next) {
        if (!zx_yaml_want_map(&ld->rd, it, "每个章节"))
            continue;
        zx_yaml_check_keys(&ld->rd, it, keys);
        idx = p->nsections;
        s = &p->sections[idx];
        s->id = ITEM_ID(ld, it, p->sections, idx, zx_section,
                        section_id_ok, SECTION_RULE);
        s->name = zx_yaml_get_text(&ld->rd, it, "name", 1);
        s->goal = get_ref(ld, it, "goal", 0, REF_GOAL);
        s->parent = parent;
        s->pos = pos_of(it);
        p->nsections++;
        if ((sub = zx_yaml_field(&ld->rd, it, "sections", 0)))
            load_sections(ld, sub, idx);
    }
}

/* ---- data elements ---- */

/* What the expression language already means by the word s, or NULL. */
static const char *reserved_as(const char *s)
{
    char word[64];
    int i;

    if (strlen(s) > sizeof(word) - 3)
        return NULL;
    snprintf(word, sizeof(word), " %s ", s);
    for (i = 0; i < COUNT_OF(reserved); i++)
        if (strstr(reserved[i].words, word))
            return reserved[i].what;
    return NULL;
}

/* min and max of a numeric element. */
static void load_range(loader *ld, const zx_yaml_node *it,
                       zx_data_element *e, int type)
{
    const zx_yaml_node *lo = zx_yaml_field(&ld->rd, it, "min", 0);
    const zx_yaml_node *hi = zx_yaml_field(&ld->rd, it, "max", 0);

    if ((lo || hi) && type >= 0 && type != ZX_DE_INT &&
        type != ZX_DE_DECIMAL) {
        zx_yaml_bad(&ld->rd, lo ? lo : hi,
                    "只有 int 和 decimal 类型的数据项可以设“%s”",
                    lo ? "min" : "max");
        return;
    }
    e->has_min = lo && zx_yaml_number(&ld->rd, lo, "min", &e->min);
    e->has_max = hi && zx_yaml_number(&ld->rd, hi, "max", &e->max);
    if (e->has_min && e->has_max && e->min > e->max)
        zx_yaml_bad(&ld->rd, hi, "“min”（%g）大于“max”（%g）", e->min, e->max);
}

static void load_element(loader *ld, const zx_yaml_node *it)
{
    static const char *const keys[] = {
        "id", "name", "type", "level", "yearly", "min", "max", "options",
        "clause", "help", NULL
    };
    zx_plan *p = ld->p;
    zx_data_element *e = &p->elements[p->nelements];
    const zx_yaml_node *v;
    const char *s, *why;
    int type = -1, level;

    zx_yaml_check_keys(&ld->rd, it, keys);
    e->id = ITEM_ID(ld, it, p->elements, p->nelements, zx_data_element,
                    name_ok, NAME_RULE);
    if (e->id && (why = reserved_as(e->id))) {
        zx_yaml_bad(&ld->rd, zx_yaml_get(it, "id"),
                    "数据项 id“%s”是表达式的保留名称（%s），请换一个 id",
                    e->id, why);
        e->id = NULL;
    }
    e->name = zx_yaml_get_text(&ld->rd, it, "name", 1);
    if ((s = zx_yaml_get_text(&ld->rd, it, "type", 1)) &&
        (type = find_name(type_names, COUNT_OF(type_names), s)) < 0)
        zx_yaml_bad(&ld->rd, zx_yaml_get(it, "type"), "未知的数据类型“%s”，"
                    "应为 bool、int、decimal、option、date 或 text", s);
    e->type = type < 0 ? ZX_DE_TEXT : (enum zx_de_type)type;
    if ((s = zx_yaml_get_text(&ld->rd, it, "level", 1))) {
        if ((level = zx_level_parse(s)) < 0)
            zx_yaml_bad(&ld->rd, zx_yaml_get(it, "level"), "未知的层级“%s”，"
                        "应为 city、town、group、school 或 teacher", s);
        else
            e->level = (enum zx_level)level;
    }
    if ((s = zx_yaml_get_text(&ld->rd, it, "yearly", 1))) {
        if (strcmp(s, "true") == 0)
            e->yearly = 1;
        else if (strcmp(s, "false") != 0)
            zx_yaml_bad(&ld->rd, zx_yaml_get(it, "yearly"),
                        "“yearly”应为 true 或 false");
    }
    load_range(ld, it, e, type);
    v = zx_yaml_field(&ld->rd, it, "options", 0);
    if (type == ZX_DE_OPTION && !v)
        zx_yaml_bad(&ld->rd, it,
                    "option 类型的数据项必须给出“options”（可选的值）");
    else if (v && type >= 0 && type != ZX_DE_OPTION)
        zx_yaml_bad(&ld->rd, v, "只有 option 类型的数据项可以设“options”");
    else
        e->options = strings_of(ld, v, "options", 1, NULL, &e->noptions);
    e->clause = get_clause(ld, it, 0);
    e->help = zx_yaml_get_text(&ld->rd, it, "help", 0);
    e->pos = pos_of(it);
    p->nelements++;
}

static void load_elements(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_yaml_node *it;

    if (!zx_yaml_want_list(&ld->rd, v, "data_elements") ||
        !(p->elements = ld_alloc(ld, (size_t)v->n * sizeof(*p->elements))))
        return;
    for (it = v->first; it; it = it->next)
        if (zx_yaml_want_map(&ld->rd, it, "每个数据项"))
            load_element(ld, it);
}

/* ---- indicators ---- */

static int get_expr(loader *ld, const zx_yaml_node *map, const char *key,
                    zx_expr_src *out)
{
    const zx_yaml_node *v = zx_yaml_field(&ld->rd, map, key, 0);
    const char *s = v ? zx_yaml_text(&ld->rd, v, key) : NULL;

    if (!s)
        return 0;
    if (!*s) {
        zx_yaml_bad(&ld->rd, v, "表达式“%s”不能为空", key);
        return 0;
    }
    out->text = s;
    out->pos = (zx_pos){ v->tline, v->tcol };
    return 1;
}

static void load_target(loader *ld, zx_indicator *ind,
                        const zx_yaml_node *v)
{
    static const char *const keys[] = { "min", "max", NULL };
    const zx_yaml_node *lo, *hi;

    if (v->kind == ZX_YAML_SCALAR) {
        zx_yaml_number(&ld->rd, v, "target", &ind->target);
        return;
    }
    if (v->kind == ZX_YAML_SEQ) {
        zx_yaml_bad(&ld->rd, v, "“target”应为数字，或 {min: 下限, max: 上限}");
        return;
    }
    zx_yaml_check_keys(&ld->rd, v, keys);
    lo = zx_yaml_field(&ld->rd, v, "min", 1);
    hi = zx_yaml_field(&ld->rd, v, "max", 1);
    if (!lo || !hi || !zx_yaml_number(&ld->rd, lo, "min", &ind->target_min) ||
        !zx_yaml_number(&ld->rd, hi, "max", &ind->target_max))
        return;
    if (ind->target_min > ind->target_max)
        zx_yaml_bad(&ld->rd, v, "目标下限 %g 大于上限 %g", ind->target_min,
                    ind->target_max);
    ind->target_is_range = 1;
    ind->target = ind->target_min;
}

static void load_explicit(loader *ld, zx_milestones *ms,
                          const zx_yaml_node *v)
{
    const zx_plan *p = ld->p;
    const zx_yaml_node *k;
    char years[128];
    double val;
    int y, i;

    ms->kind = ZX_MS_EXPLICIT;
    if (v->n == 0)
        zx_yaml_bad(&ld->rd, v, "“milestones”中没有任何年份");
    for (k = v->first; k; k = k->next) {
        if (!zx_yaml_parse_year(k->text, &y)) {
            zx_yaml_bad(&ld->rd, k, "里程碑的键“%s”应为计划年度"
                        "（或写作 {ramp_to: 数值, by: 年份}）", k->text);
            continue;
        }
        for (i = 0; i < p->nyears && p->years[i] != y; i++)
            ;
        if (p->nyears && i == p->nyears) {
            zx_yaml_bad(&ld->rd, k, "里程碑年份 %d 不在计划年度内（%s）", y,
                        years_text(p, years, sizeof(years)));
            continue;
        }
        if (!zx_yaml_number(&ld->rd, k->value, k->text, &val) ||
            ms->n == ZX_MAX_YEARS)
            continue;
        /* keep them in year order, however they were written */
        for (i = ms->n; i > 0 && ms->years[i - 1] > y; i--) {
            ms->years[i] = ms->years[i - 1];
            ms->values[i] = ms->values[i - 1];
        }
        ms->years[i] = y;
        ms->values[i] = val;
        ms->n++;
    }
}

static void load_milestones(loader *ld, zx_milestones *ms,
                            const zx_yaml_node *v)
{
    static const char *const keys[] = { "ramp_to", "by", NULL };
    const zx_plan *p = ld->p;
    const zx_yaml_node *to, *by;

    if (v->kind != ZX_YAML_MAP) {
        if (v->kind != ZX_YAML_SCALAR || strcmp(v->text, "ramp") != 0)
            zx_yaml_bad(&ld->rd, v, "“milestones”应为 ramp、按年份的映射"
                        "（如 {2020: 40, 2021: 70}）或 "
                        "{ramp_to: 数值, by: 年份}");
        return;
    }
    if (!zx_yaml_get(v, "ramp_to") && !zx_yaml_get(v, "by")) {
        load_explicit(ld, ms, v);
        return;
    }
    ms->kind = ZX_MS_RAMP_TO;
    zx_yaml_check_keys(&ld->rd, v, keys);
    if ((to = zx_yaml_field(&ld->rd, v, "ramp_to", 1)))
        zx_yaml_number(&ld->rd, to, "ramp_to", &ms->ramp_to);
    if ((by = zx_yaml_field(&ld->rd, v, "by", 1)) &&
        zx_yaml_year(&ld->rd, by, "by", &ms->by) && p->baseline &&
        ms->by <= p->baseline)
        zx_yaml_bad(&ld->rd, by, "“by”的年份 %d 应晚于基准年 %d", ms->by,
                    p->baseline);
}

static void load_levels(loader *ld, zx_indicator *ind,
                        const zx_yaml_node *v)
{
    const zx_yaml_node *it;
    int l;

    if (!zx_yaml_want_list(&ld->rd, v, "levels"))
        return;
    if (v->n == 0)
        zx_yaml_bad(&ld->rd, v, "“levels”至少要有一个层级");
    for (it = v->first; it; it = it->next) {
        if (!zx_yaml_text(&ld->rd, it, "levels"))
            continue;
        l = zx_level_parse(it->text);
        if (l < 0 || l == ZX_LEVEL_TEACHER)
            zx_yaml_bad(&ld->rd, it, "“%s”不能作为评判层级，"
                        "应为 city、town、group 或 school", it->text);
        else if (ind->levels & 1u << l)
            zx_yaml_bad(&ld->rd, it, "重复的层级“%s”", it->text);
        else
            ind->levels |= 1u << l;
    }
}

/* kind, over, the expressions and which of them the kind needs. */
static void load_formula(loader *ld, const zx_yaml_node *it,
                         zx_indicator *ind)
{
    const zx_yaml_node *den;
    const char *s;
    int kind = -1, over;

    if ((s = zx_yaml_get_text(&ld->rd, it, "kind", 1)) &&
        (kind = find_name(kind_names, COUNT_OF(kind_names), s)) < 0)
        zx_yaml_bad(&ld->rd, zx_yaml_get(it, "kind"), "未知的指标类型“%s”，"
                    "应为 share、count、sum、ratio、min 或 max", s);
    ind->kind = kind < 0 ? ZX_IND_SHARE : (enum zx_ind_kind)kind;
    if ((s = zx_yaml_get_text(&ld->rd, it, "over", 1))) {
        if ((over = zx_entity_parse(s)) < 0)
            zx_yaml_bad(&ld->rd, zx_yaml_get(it, "over"), "未知的实体集“%s”，"
                        "应为 schools、teachers、towns、groups、"
                        "pairing_mentors 或 rectifications", s);
        else
            ind->over = (enum zx_entity)over;
    }
    get_expr(ld, it, "where", &ind->where);
    get_expr(ld, it, "on_track", &ind->on_track);
    get_expr(ld, it, "numerator", &ind->numerator);
    if (!zx_yaml_field(&ld->rd, it, "numerator", 0) && kind >= 0 &&
        kind != ZX_IND_COUNT)
        zx_yaml_bad(&ld->rd, it, "%s 类型的指标必须给出“numerator”",
                    kind_names[kind]);
    den = zx_yaml_field(&ld->rd, it, "denominator", 0);
    if (!den && kind == ZX_IND_RATIO)
        zx_yaml_bad(&ld->rd, it, "ratio 类型的指标必须给出“denominator”");
    else if (den && kind >= 0 && kind != ZX_IND_RATIO)
        zx_yaml_bad(&ld->rd, den, "只有 ratio 类型的指标可以设“denominator”");
    else
        get_expr(ld, it, "denominator", &ind->denominator);
}

static void load_indicator(loader *ld, const zx_yaml_node *it)
{
    static const char *const keys[] = {
        "id", "clause", "goal", "section", "name", "description", "kind",
        "over", "where", "numerator", "denominator", "unit", "direction",
        "target", "milestones", "on_track", "levels", "mechanism", NULL
    };
    zx_plan *p = ld->p;
    zx_indicator *ind = &p->indicators[p->nindicators];
    const zx_yaml_node *v;
    const char *s;

    zx_yaml_check_keys(&ld->rd, it, keys);
    ind->id = ITEM_ID(ld, it, p->indicators, p->nindicators, zx_indicator,
                      id_ok, ID_RULE);
    ind->clause = get_clause(ld, it, 1);
    ind->goal = get_ref(ld, it, "goal", 1, REF_GOAL);
    ind->section = get_ref(ld, it, "section", 0, REF_SECTION);
    ind->name = zx_yaml_get_text(&ld->rd, it, "name", 1);
    ind->description = zx_yaml_get_text(&ld->rd, it, "description", 0);
    ind->unit = zx_yaml_get_text(&ld->rd, it, "unit", 1);
    load_formula(ld, it, ind);
    if ((s = zx_yaml_get_text(&ld->rd, it, "direction", 0))) {
        if (strcmp(s, "lower") == 0)
            ind->lower_is_better = 1;
        else if (strcmp(s, "higher") != 0)
            zx_yaml_bad(&ld->rd, zx_yaml_get(it, "direction"),
                        "“direction”应为 higher（越高越好）"
                        "或 lower（越低越好）");
    }
    if ((v = zx_yaml_field(&ld->rd, it, "target", 1)))
        load_target(ld, ind, v);
    ind->milestones.kind = ZX_MS_RAMP;
    if ((v = zx_yaml_field(&ld->rd, it, "milestones", 0)))
        load_milestones(ld, &ind->milestones, v);
    if ((v = zx_yaml_field(&ld->rd, it, "levels", 0)))
        load_levels(ld, ind, v);
    else
        ind->levels = JUDGED_LEVELS;
    ind->mechanism = strings_of(ld, zx_yaml_field(&ld->rd, it, "mechanism", 0),
                                "mechanism", 0, clause_item,
                                &ind->nmechanism);
    ind->pos = pos_of(it);
    p->nindicators++;
}

static void load_indicators(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_yaml_node *it;

    if (!zx_yaml_want_list(&ld->rd, v, "indicators") ||
        !(p->indicators = ld_alloc(ld, (size_t)v->n *
                                           sizeof(*p->indicators))))
        return;
    for (it = v->first; it; it = it->next)
        if (zx_yaml_want_map(&ld->rd, it, "每个指标"))
            load_indicator(ld, it);
}

/* ---- tasks ---- */

static void load_task(loader *ld, const zx_yaml_node *it)
{
    static const char *const keys[] = {
        "id", "clause", "goal", "name", "lead", "responsible", "deadline",
        "evidence", "indicators", NULL
    };
    zx_plan *p = ld->p;
    zx_task *t = &p->tasks[p->ntasks];
    const zx_yaml_node *v;

    zx_yaml_check_keys(&ld->rd, it, keys);
    t->id = ITEM_ID(ld, it, p->tasks, p->ntasks, zx_task, id_ok, ID_RULE);
    t->clause = get_clause(ld, it, 1);
    t->goal = get_ref(ld, it, "goal", 1, REF_GOAL);
    t->name = zx_yaml_get_text(&ld->rd, it, "name", 1);
    t->lead = zx_yaml_get_text(&ld->rd, it, "lead", 1);
    if ((v = zx_yaml_field(&ld->rd, it, "responsible", 1)))
        t->responsible = strings_of(ld, v, "responsible", 1, NULL,
                                    &t->nresponsible);
    if ((t->deadline = zx_yaml_get_text(&ld->rd, it, "deadline", 1)) &&
        !date_ok(t->deadline)) {
        zx_yaml_bad(&ld->rd, zx_yaml_get(it, "deadline"), "“%s”不是有效的"
                    "日期，应为 YYYY-MM-DD（如 2022-12-31）", t->deadline);
        t->deadline = NULL;
    }
    t->evidence = zx_yaml_get_text(&ld->rd, it, "evidence", 0);
    t->indicators = strings_of(ld, zx_yaml_field(&ld->rd, it, "indicators", 0),
                               "indicators", 0, indicator_item,
                               &t->nindicators);
    t->pos = pos_of(it);
    p->ntasks++;
}

static void load_tasks(loader *ld, const zx_yaml_node *v)
{
    zx_plan *p = ld->p;
    const zx_yaml_node *it;

    if (!zx_yaml_want_list(&ld->rd, v, "tasks") ||
        !(p->tasks = ld_alloc(ld, (size_t)v->n * sizeof(*p->tasks))))
        return;
    for (it = v->first; it; it = it->next)
        if (zx_yaml_want_map(&ld->rd, it, "每项任务"))
            load_task(ld, it);
}

/* ---- loading ---- */

static void load_root(loader *ld, const zx_yaml_node *root)
{
    static const char *const keys[] = {
        "plan", "goals", "sections", "data_elements", "indicators", "tasks",
        NULL
    };
    zx_plan *p = ld->p;
    const zx_yaml_node *v;

    if (!root) {
        zx_diag_add(ld->rd.diag, p->file, 1, 0, "计划文件是空的");
        return;
    }
    if (!zx_yaml_want_map(&ld->rd, root, "计划文件的顶层"))
        return;
    zx_yaml_check_keys(&ld->rd, root, keys);
    if ((v = zx_yaml_field(&ld->rd, root, "plan", 1)))
        load_plan(ld, v);
    if ((v = zx_yaml_field(&ld->rd, root, "goals", 1)))
        load_goals(ld, v);
    if ((v = zx_yaml_field(&ld->rd, root, "sections", 0)) &&
        (p->sections = ld_alloc(ld, (size_t)count_sections(v) *
                                        sizeof(*p->sections))))
        load_sections(ld, v, -1);
    if ((v = zx_yaml_field(&ld->rd, root, "data_elements", 0)))
        load_elements(ld, v);
    if ((v = zx_yaml_field(&ld->rd, root, "indicators", 1)))
        load_indicators(ld, v);
    if ((v = zx_yaml_field(&ld->rd, root, "tasks", 0)))
        load_tasks(ld, v);
}

int zx_plan_load_text(const char *text, size_t len, const char *name,
                      zx_plan **out, zx_diag *diag)
{
    size_t before = zx_diag_count(diag), nlen;
    zx_yaml_doc *doc = NULL;
    zx_plan *p = NULL;
    loader ld;
    char *file;
    int rc;

    *out = NULL;
    if (!name)
        name = "";
    rc = zx_yaml_parse(text, len, name, diag, &doc);
    if (!doc)
        goto fail;
    if (!(p = calloc(1, sizeof(*p)))) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    p->doc = doc;
    doc = NULL;
    nlen = strlen(name);
    if (!(file = zx_yaml_alloc(p->doc, nlen + 1))) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    memcpy(file, name, nlen + 1);
    p->file = file;
    ld = (loader){ { p->file, diag }, p, 0 };
    load_root(&ld, zx_yaml_root(p->doc));
    if (ld.oom) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    if (zx_diag_count(diag) > before) {
        rc = ZX_EDATA;
        goto fail;
    }
    *out = p;
    return ZX_OK;

fail:
    zx_yaml_free(doc);
    zx_plan_free(p);
    return rc;
}

int zx_plan_load(const char *path, const char *name, zx_plan **out,
                 zx_diag *diag)
{
    FILE *f;
    char *buf = NULL, *nb;
    size_t len = 0, cap = 0, got;
    int rc;

    *out = NULL;
    if (!name)
        name = path;
    if (!(f = fopen(path, "rb"))) {
        rc = errno == ENOENT ? ZX_ENOTFOUND : ZX_EIO;
        zx_diag_add(diag, name, 0, -1, "%s",
                    errno == ENOENT ? "文件不存在"
                    : errno == EACCES ? "没有读取该文件的权限"
                                      : "无法打开该文件");
        return rc;
    }
    do {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 65536;
            if (!(nb = realloc(buf, cap))) {
                rc = ZX_ENOMEM;
                goto fail;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f)) {
        zx_diag_add(diag, name, 0, -1, "读取文件失败%s",
                    errno == EISDIR ? "：这是一个目录" : "");
        rc = ZX_EIO;
        goto fail;
    }
    rc = zx_plan_load_text(buf, len, name, out, diag);

fail:
    fclose(f);
    free(buf);
    return rc;
}

void zx_plan_free(zx_plan *p)
{
    if (!p)
        return;
    zx_yaml_free(p->doc);
    free(p);
}

/* ---- accessors ---- */

const char *zx_plan_file(const zx_plan *p)
{
    return p->file;
}

const char *zx_plan_id(const zx_plan *p)
{
    return p->id;
}

const char *zx_plan_name(const zx_plan *p)
{
    return p->name;
}

const char *zx_plan_issuer(const zx_plan *p)
{
    return p->issuer;
}

const char *zx_plan_document(const zx_plan *p)
{
    return p->document;
}

const char *zx_plan_preamble(const zx_plan *p)
{
    return p->preamble;
}

int zx_plan_baseline(const zx_plan *p)
{
    return p->baseline;
}

const int *zx_plan_years(const zx_plan *p, int *n)
{
    *n = p->nyears;
    return p->years;
}

const int *zx_plan_rural(const zx_plan *p, int *n)
{
    *n = p->nrural;
    return p->rural;
}

const zx_goal *zx_plan_goals(const zx_plan *p, int *n)
{
    *n = p->ngoals;
    return p->goals;
}

const zx_section *zx_plan_sections(const zx_plan *p, int *n)
{
    *n = p->nsections;
    return p->sections;
}

const zx_data_element *zx_plan_elements(const zx_plan *p, int *n)
{
    *n = p->nelements;
    return p->elements;
}

const zx_indicator *zx_plan_indicators(const zx_plan *p, int *n)
{
    *n = p->nindicators;
    return p->indicators;
}

const zx_task *zx_plan_tasks(const zx_plan *p, int *n)
{
    *n = p->ntasks;
    return p->tasks;
}

const zx_setting *zx_plan_settings(const zx_plan *p, int *n)
{
    *n = p->nsettings;
    return p->settings;
}

/* The item with that id among the n items of size bytes at base. */
static const void *lookup(const void *base, int n, size_t size,
                          const char *id)
{
    int i = find_id(base, n, size, id);

    return i < 0 ? NULL : (const char *)base + (size_t)i * size;
}

const zx_goal *zx_plan_goal(const zx_plan *p, const char *id)
{
    return lookup(p->goals, p->ngoals, sizeof(zx_goal), id);
}

const zx_section *zx_plan_section(const zx_plan *p, const char *id)
{
    return lookup(p->sections, p->nsections, sizeof(zx_section), id);
}

const zx_data_element *zx_plan_element(const zx_plan *p, const char *id)
{
    return lookup(p->elements, p->nelements, sizeof(zx_data_element), id);
}

const zx_indicator *zx_plan_indicator(const zx_plan *p, const char *id)
{
    return lookup(p->indicators, p->nindicators, sizeof(zx_indicator), id);
}

const zx_task *zx_plan_task(const zx_plan *p, const char *id)
{
    return lookup(p->tasks, p->ntasks, sizeof(zx_task), id);
}

const zx_setting *zx_plan_setting(const zx_plan *p, const char *name)
{
    return lookup(p->settings, p->nsettings, sizeof(zx_setting), name);
}

double zx_plan_milestone(const zx_plan *p, const zx_indicator *ind, int y,
                         double baseline)
{
    const zx_milestones *ms = &ind->milestones;
    int b = p->baseline, last = p->years[p->nyears - 1], i;
    double target = ind->target_is_range ? ind->target_min : ind->target;

    if (y <= b)
        return baseline;
    if (ms->kind == ZX_MS_EXPLICIT) {
        /* the last value set on or before y; the baseline before any */
        for (i = ms->n - 1; i >= 0 && ms->years[i] > y; i--)
            ;
        return i >= 0 ? ms->values[i] : baseline;
    }
    /* a straight line, which needs its starting point */
    if (isnan(baseline))
        return baseline;
    if (ms->kind == ZX_MS_RAMP_TO) {
        target = ms->ramp_to;
        last = ms->by;
    }
    if (y >= last)
        return target;
    return baseline + (target - baseline) * (y - b) / (last - b);
}
