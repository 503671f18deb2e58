/*
 * values.c - data element values one at a time: what a value of an element
 * may be, how it is stored and audited, and zx_values_set/get (see
 * values.h).
 *
 * One parser (zx_values_parse) and one writer (zx_values_write) serve every
 * way in, so a value typed on the command line and the same value in a
 * sheet (valimport.c) are stored alike and audited alike; the template
 * (valtemplate.c) describes values with the same words the parser's
 * messages use.
 */
#include "valint.h"
#include "audit.h"
#include "codes.h"
#include "review.h"
#include "text.h"
#include "xlsx.h"
#include "zx.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const level_titles[ZX_NLEVELS] = {
    "全市", "区镇", "集团", "学校", "教师"
};

/* What identifies a unit of each level, for messages. */
static const char *const level_refs[ZX_NLEVELS] = {
    "市编码", "区镇编码或名称", "集团编码或名称", "学校标识码", "教师编号"
};

const char *zx_values_level_title(enum zx_level level)
{
    return (unsigned)level < ZX_NLEVELS ? level_titles[level] : "?";
}

/* ---- small text helpers ------------------------------------------------ */

/* Appends to the string in buf, or nothing when the piece does not fit
 * whole (so a long list is shortened, never cut inside a character). */
static void append(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    int w;

    va_start(ap, fmt);
    w = vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= cap - used)
        buf[used] = '\0';
}

/* A number as a clerk writes it: 5000, 0.5 (never 5e+03). */
static void num_text(double v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.15g", v);
}

char *zx_values_norm(const char *s, char **buf, size_t *cap, int flags)
{
    size_t need = strlen(s) + 32; /* room for a reformatted date */

    if (need > *cap) {
        char *b = realloc(*buf, need);
        if (!b)
            return NULL;
        *buf = b;
        *cap = need;
    }
    zx_text_norm(s, *buf, flags);
    return *buf;
}

/* ---- elements, years --------------------------------------------------- */

const zx_data_element *zx_values_element(const zx_plan *plan, const char *ref)
{
    const zx_data_element *de;
    char key[256], name[256];
    int n, i;

    if (!ref || strlen(ref) >= sizeof(key))
        return NULL;
    if (zx_text_norm(ref, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH) == 0)
        return NULL;
    de = zx_plan_elements(plan, &n);
    for (i = 0; i < n; i++)
        if (strcasecmp(de[i].id, key) == 0)
            return &de[i];
    for (i = 0; i < n; i++) {
        if (strlen(de[i].name) >= sizeof(name))
            continue;
        zx_text_norm(de[i].name, name, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
        if (strcmp(name, key) == 0)
            return &de[i];
    }
    return NULL;
}

int zx_values_current_year(const zx_plan *plan)
{
    time_t now = time(NULL);
    struct tm tm;
    const int *years;
    int n, i, best = zx_plan_baseline(plan);

    localtime_r(&now, &tm);
    years = zx_plan_years(plan, &n);
    for (i = 0; i < n; i++)
        if (years[i] <= tm.tm_year + 1900)
            best = years[i];
    return best;
}

int zx_values_has_year(const zx_plan *plan, int year)
{
    const int *years;
    int n, i;

    if (year == zx_plan_baseline(plan))
        return 1;
    years = zx_plan_years(plan, &n);
    for (i = 0; i < n; i++)
        if (years[i] == year)
            return 1;
    return 0;
}

void zx_values_years_text(const zx_plan *plan, char *buf, size_t cap)
{
    const int *years;
    int n, i;

    years = zx_plan_years(plan, &n);
    snprintf(buf, cap, "%d（基线）", zx_plan_baseline(plan));
    for (i = 0; i < n; i++)
        append(buf, cap, "、%d", years[i]);
}

/* The year a value of de is kept under: year itself for a yearly element
 * (which must then be the baseline or a plan year), 0 otherwise. */
static int stored_year(const zx_plan *plan, const zx_data_element *de,
                       int year, int *out, char *err, size_t cap)
{
    char years[256];

    *out = 0;
    if (!de->yearly)
        return ZX_OK;
    if (zx_values_has_year(plan, year)) {
        *out = year;
        return ZX_OK;
    }
    zx_values_years_text(plan, years, sizeof(years));
    if (year == 0)
        snprintf(err, cap, "数据项“%s”按年度填报，须指定年度：%s", de->name,
                 years);
    else
        snprintf(err, cap, "年度 %d 不在计划之内，应为 %s 之一", year, years);
    return ZX_EDATA;
}

void zx_values_range_text(const zx_data_element *de, char *buf, size_t cap)
{
    char lo[32], hi[32];

    num_text(de->min, lo, sizeof(lo));
    num_text(de->max, hi, sizeof(hi));
    if (de->has_min && de->has_max)
        snprintf(buf, cap, "%s～%s", lo, hi);
    else if (de->has_min)
        snprintf(buf, cap, "不小于 %s", lo);
    else if (de->has_max)
        snprintf(buf, cap, "不大于 %s", hi);
    else
        buf[0] = '\0';
}

void zx_values_describe(const zx_data_element *de, char *buf, size_t cap)
{
    char range[96];
    int i;

    zx_values_range_text(de, range, sizeof(range));
    buf[0] = '\0';
    switch (de->type) {
    case ZX_DE_BOOL:
        append(buf, cap, "是/否（也可填 Y/N、1/0、√/×）");
        break;
    case ZX_DE_INT:
    case ZX_DE_DECIMAL:
        append(buf, cap, "%s%s%s", de->type == ZX_DE_INT ? "整数" : "数字",
               *range ? "，" : "", range);
        break;
    case ZX_DE_OPTION:
        append(buf, cap, "选项：");
        for (i = 0; i < de->noptions; i++)
            append(buf, cap, "%s%s", i ? "、" : "", de->options[i]);
        append(buf, cap, "（也可填序号 1～%d）", de->noptions);
        break;
    case ZX_DE_DATE:
        append(buf, cap, "日期，如 2020-09-01、2020/9/1 或 2020年9月1日");
        break;
    case ZX_DE_TEXT:
        append(buf, cap, "文本，不超过 %d 个字", ZX_VALUES_MAXTEXT);
        break;
    }
}

/* ---- parsing a value --------------------------------------------------- */

/* A date in the ways people write one (zx_text_parse_date with a day),
 * or an Excel serial number from an XLSX cell of kind ZX_CELL_NUMBER; a
 * year from 1900 to 2100. */
static int parse_date(const char *s, int kind, int *y, int *m, int *d)
{
    int secs, serial = 0;

    /* a number in a cell without a date format; 20200901 typed as a
     * number is no serial and is read as digits */
    if (kind == ZX_CELL_NUMBER) {
        char *end;
        double v = strtod(s, &end);
        serial = *end == '\0' && end != s && v == floor(v) &&
                 zx_xlsx_serial_to_date(v, 0, y, m, d, &secs) == 0;
    }
    if (!serial && zx_text_parse_date(s, ZX_TEXT_DATE_DAY, y, m, d) != 0)
        return -1;
    return *y >= 1900 && *y <= 2100 ? 0 : -1;
}

int zx_values_parse(const zx_data_element *de, const char *raw, int kind,
                    zx_values_parsed *p, char *err, size_t errcap)
{
    char shown[128], range[96], desc[1024], lo[32], day[11];
    const char *s;
    long long i;
    char *end;
    int y, m, d, k;

    p->empty = 0;
    p->has_num = 0;
    p->num = 0;
    p->text = NULL;
    if (!raw)
        raw = "";
    /* a date-time cell: the time of day is not part of a date */
    if (kind == ZX_CELL_DATE && de->type == ZX_DE_DATE && strlen(raw) > 10 &&
        raw[10] == ' ') {
        memcpy(day, raw, 10);
        day[10] = '\0';
        raw = day;
    }
    s = zx_values_norm(raw, &p->buf, &p->cap,
                       de->type == ZX_DE_TEXT ? 0 : ZX_NORM_PUNCT |
                                                    ZX_NORM_SQUASH);
    if (!s)
        return ZX_ENOMEM;
    if (!*s) {
        p->empty = 1;
        return ZX_OK;
    }
    if (kind == ZX_CELL_ERROR) {
        snprintf(err, errcap, "“%s”的单元格是公式错误“%s”，请填写数值",
                 de->name, zx_text_clip(s, shown, sizeof(shown)));
        return ZX_EDATA;
    }
    zx_values_range_text(de, range, sizeof(range));

    switch (de->type) {
    case ZX_DE_BOOL:
        k = zx_codes_find(zx_codes_get("yesno"), s);
        if (k < 0) {
            snprintf(err, errcap, "“%s”应填 是 或 否，实为“%s”", de->name,
                     zx_text_clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        p->has_num = 1;
        p->num = strcmp(zx_codes_get("yesno")->items[k].name, "是") == 0;
        return ZX_OK;
    case ZX_DE_INT:
        if (zx_text_parse_int(s, &i) != 0) {
            snprintf(err, errcap, "“%s”应为整数，实为“%s”", de->name,
                     zx_text_clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        if ((de->has_min && (double)i < de->min) ||
            (de->has_max && (double)i > de->max)) {
            snprintf(err, errcap, "“%s”为 %lld，超出允许范围 %s", de->name, i,
                     range);
            return ZX_EDATA;
        }
        p->has_num = 1;
        p->num = (double)i;
        return ZX_OK;
    case ZX_DE_DECIMAL: {
        size_t o = 0, n;
        /* drop thousands separators in place */
        for (n = 0; p->buf[n]; n++)
            if (p->buf[n] != ',')
                p->buf[o++] = p->buf[n];
        p->buf[o] = '\0';
        if (strspn(s, "+-0123456789.eE") != strlen(s) ||
            (p->num = strtod(s, &end), *end != '\0') || !isfinite(p->num)) {
            snprintf(err, errcap, "“%s”应为数字，实为“%s”", de->name,
                     zx_text_clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        if ((de->has_min && p->num < de->min) ||
            (de->has_max && p->num > de->max)) {
            num_text(p->num, lo, sizeof(lo));
            snprintf(err, errcap, "“%s”为 %s，超出允许范围 %s", de->name, lo,
                     range);
            return ZX_EDATA;
        }
        p->has_num = 1;
        return ZX_OK;
    }
    case ZX_DE_OPTION: {
        char label[512];
        for (k = 0; k < de->noptions; k++) {
            if (strlen(de->options[k]) >= sizeof(label))
                continue;
            zx_text_norm(de->options[k], label,
                         ZX_NORM_PUNCT | ZX_NORM_SQUASH);
            if (strcasecmp(label, s) == 0)
                break;
        }
        /* a label is matched first, so a list of numbers still works */
        if (k == de->noptions && zx_text_parse_int(s, &i) == 0 && i >= 1 &&
            i <= de->noptions)
            k = (int)i - 1;
        if (k == de->noptions) {
            zx_values_describe(de, desc, sizeof(desc));
            snprintf(err, errcap, "“%s”的值“%s”无效，应为%s", de->name,
                     zx_text_clip(s, shown, sizeof(shown)), desc);
            return ZX_EDATA;
        }
        p->has_num = 1;
        p->num = k + 1;
        p->text = de->options[k];
        return ZX_OK;
    }
    case ZX_DE_DATE:
        if (parse_date(s, kind, &y, &m, &d) != 0) {
            snprintf(err, errcap, "“%s”不是有效的日期：“%s”，请写成 2020-09-01"
                     " 或 2020年9月1日", de->name,
                     zx_text_clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        /* zx_values_norm left room for the longer form ("2020/9/1" grows) */
        snprintf(p->buf, p->cap, "%04d-%02d-%02d", y, m, d);
        p->text = p->buf;
        return ZX_OK;
    case ZX_DE_TEXT:
        if (zx_text_chars(s) > ZX_VALUES_MAXTEXT) {
            snprintf(err, errcap, "“%s”过长（%zu 个字），最多 %d 个字",
                     de->name, zx_text_chars(s), ZX_VALUES_MAXTEXT);
            return ZX_EDATA;
        }
        p->text = s;
        return ZX_OK;
    }
    snprintf(err, errcap, "“%s”的类型无法识别", de->name);
    return ZX_EDATA;
}

/* ---- reading and writing one value ------------------------------------- */

/* A stored value; text malloc'd. */
struct stored {
    int present, has_num;
    double num;
    char *text;
    char by[128], at[32];
};

static int read_stored(zx_db *db, const zx_values_target *t,
                       struct stored *s)
{
    sqlite3_stmt *st;
    int step;

    memset(s, 0, sizeof(*s));
    st = zx_db_prepare(db, "SELECT num, text, entered_by, entered_at"
                           " FROM data_value WHERE element = ?1"
                           " AND unit_id = ?2 AND year = ?3");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, t->de->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->unit_id);
    sqlite3_bind_int(st, 3, t->year);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        s->present = 1;
        s->has_num = sqlite3_column_type(st, 0) != SQLITE_NULL;
        s->num = sqlite3_column_double(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
            !(s->text = strdup((const char *)sqlite3_column_text(st, 1)))) {
            sqlite3_reset(st);
            return ZX_ENOMEM;
        }
        snprintf(s->by, sizeof(s->by), "%s", sqlite3_column_text(st, 2));
        snprintf(s->at, sizeof(s->at), "%s", sqlite3_column_text(st, 3));
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? ZX_OK : ZX_EDB;
}

/* The value in the form a clerk writes it (see zx_value.text). */
static void display(const zx_data_element *de, const struct stored *s,
                    char *buf, size_t cap)
{
    int k = (int)s->num;

    if (de->type == ZX_DE_BOOL && s->has_num)
        snprintf(buf, cap, "%s", s->num != 0 ? "是" : "否");
    else if (de->type == ZX_DE_INT && s->has_num)
        snprintf(buf, cap, "%.0f", s->num);
    else if (de->type == ZX_DE_DECIMAL && s->has_num)
        num_text(s->num, buf, cap);
    else if (s->text)
        snprintf(buf, cap, "%s", s->text);
    else if (de->type == ZX_DE_OPTION && s->has_num && k >= 1 &&
             k <= de->noptions)
        snprintf(buf, cap, "%s", de->options[k - 1]);
    else
        buf[0] = '\0';
}

/* {"value": V} with V typed after the element: true, 12, 3.5, "文本". */
static char *value_json(const zx_data_element *de, int has_num, double num,
                        const char *text)
{
    json_t *v, *j;
    char *s;

    if ((de->type == ZX_DE_BOOL || de->type == ZX_DE_INT ||
         de->type == ZX_DE_DECIMAL) && !has_num)
        v = json_null();
    else if (de->type == ZX_DE_BOOL)
        v = json_boolean(num != 0);
    else if (de->type == ZX_DE_INT)
        v = json_integer((json_int_t)num);
    else if (de->type == ZX_DE_DECIMAL)
        v = json_real(num);
    else
        v = text ? json_string(text) : json_null();
    j = json_pack("{s:o}", "value", v);
    s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

static int same_value(const struct stored *o, const zx_values_parsed *p)
{
    if (o->has_num != p->has_num || (p->has_num && o->num != p->num))
        return 0;
    if (!o->text != !p->text)
        return 0;
    return !p->text || strcmp(o->text, p->text) == 0;
}

int zx_values_write(zx_db *db, const zx_values_target *t,
                    const zx_values_parsed *p, const char *actor,
                    const char *at, int *change)
{
    struct stored old;
    sqlite3_stmt *st;
    zx_audit_entry e;
    char key[512], *jo = NULL, *jn = NULL;
    int rc;

    *change = ZX_VALUES_UNCHANGED;
    if ((rc = read_stored(db, t, &old)))
        return rc;
    if ((p->empty && !old.present) ||
        (!p->empty && old.present && same_value(&old, p)))
        goto done;
    rc = ZX_EDB;
    if (p->empty) {
        st = zx_db_prepare(db, "DELETE FROM data_value WHERE element = ?1"
                               " AND unit_id = ?2 AND year = ?3");
        if (!st)
            goto done;
    } else {
        st = zx_db_prepare(db, "INSERT INTO data_value(element, unit_id, year,"
                               " num, text, entered_by, entered_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                               " ON CONFLICT(element, unit_id, year) DO UPDATE"
                               " SET num = excluded.num, text = excluded.text,"
                               " entered_by = excluded.entered_by,"
                               " entered_at = excluded.entered_at");
        if (!st)
            goto done;
        if (p->has_num)
            sqlite3_bind_double(st, 4, p->num);
        if (p->text)
            sqlite3_bind_text(st, 5, p->text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, at, -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(st, 1, t->de->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, t->unit_id);
    sqlite3_bind_int(st, 3, t->year);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        goto done;
    }
    sqlite3_reset(st);

    rc = ZX_ENOMEM;
    if (old.present &&
        !(jo = value_json(t->de, old.has_num, old.num, old.text)))
        goto done;
    if (!p->empty && !(jn = value_json(t->de, p->has_num, p->num, p->text)))
        goto done;
    snprintf(key, sizeof(key), "%s/%s/%d", t->de->id, t->unit_code, t->year);
    e.actor = actor;
    e.addr = "";
    e.action = p->empty ? "delete" : old.present ? "update" : "insert";
    e.tbl = "data_value";
    e.key = key;
    e.old = jo;
    e.new_ = jn;
    if ((rc = zx_audit_append(db, &e)))
        goto done;
    *change = p->empty       ? ZX_VALUES_DELETED
              : old.present ? ZX_VALUES_UPDATED
                            : ZX_VALUES_INSERTED;

done:
    free(old.text);
    free(jo);
    free(jn);
    return rc;
}

int zx_values_check_lock(zx_db *db, const zx_plan *plan,
                         const zx_values_target *t,
                         const zx_values_parsed *p, char *err,
                         size_t errcap)
{
    struct stored old;
    int rc, same;

    rc = zx_review_lock(db, plan, t->de->level, t->unit_id, t->year, err,
                        errcap);
    if (rc != ZX_EDATA)
        return rc;
    if ((rc = read_stored(db, t, &old)))
        return rc;
    same = (p->empty && !old.present) ||
           (!p->empty && old.present && same_value(&old, p));
    free(old.text);
    return same ? ZX_OK : ZX_EDATA;
}

void zx_values_now(char *buf, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- one value: set and get -------------------------------------------- */

/* Finds the unit ref names for an element of de's level: its id, and its
 * code (or teacher number) in code.  A unit of another kind is a level
 * mismatch (ZX_EDATA), none at all ZX_ENOTFOUND; both explained in diag. */
static int find_unit(zx_db *db, const zx_data_element *de, const char *ref,
                     long long *id, char *code, size_t cap, zx_diag *diag)
{
    char key[256], shown[128], name[256];
    const char *want = level_refs[de->level];
    sqlite3_stmt *st;
    int lvl = -1, found = 0;

    if (!ref || strlen(ref) >= sizeof(key) ||
        zx_text_norm(ref, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH) == 0) {
        zx_diag_add(diag, "", 0, -1, "须指定单位：数据项“%s”按%s填报，"
                    "应填写%s", de->name, level_titles[de->level], want);
        return ZX_EDATA;
    }

    st = zx_db_prepare(db, "SELECT id, kind, code, name FROM org_unit"
                           " WHERE code = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        lvl = zx_level_parse((const char *)sqlite3_column_text(st, 1));
        *id = sqlite3_column_int64(st, 0);
        snprintf(code, cap, "%s", sqlite3_column_text(st, 2));
        snprintf(name, sizeof(name), "%s", sqlite3_column_text(st, 3));
    }
    sqlite3_reset(st);
    if (found && lvl == (int)de->level)
        return ZX_OK;
    if (found) {
        zx_diag_add(diag, "", 0, -1, "“%s”是%s“%s”的编码，而数据项“%s”按%s"
                    "填报，应填写%s", key, zx_values_level_title(lvl), name,
                    de->name, level_titles[de->level], want);
        return ZX_EDATA;
    }

    st = zx_db_prepare(db, "SELECT id, teacher_no FROM teacher"
                           " WHERE teacher_no = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        *id = sqlite3_column_int64(st, 0);
        snprintf(code, cap, "%s", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (found && de->level == ZX_LEVEL_TEACHER)
        return ZX_OK;
    if (found) {
        zx_diag_add(diag, "", 0, -1, "“%s”是教师编号，而数据项“%s”按%s填报，"
                    "应填写%s", key, de->name, level_titles[de->level], want);
        return ZX_EDATA;
    }

    /* towns, groups and the city have unique names too */
    if (de->level == ZX_LEVEL_TOWN || de->level == ZX_LEVEL_GROUP ||
        de->level == ZX_LEVEL_CITY) {
        st = zx_db_prepare(db, "SELECT id, code FROM org_unit"
                               " WHERE kind = ?1 AND name_key = ?2");
        if (!st)
            return ZX_EDB;
        sqlite3_bind_text(st, 1, zx_level_name(de->level), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            found = 1;
            *id = sqlite3_column_int64(st, 0);
            snprintf(code, cap, "%s", sqlite3_column_text(st, 1));
        }
        sqlite3_reset(st);
        if (found)
            return ZX_OK;
    }
    zx_diag_add(diag, "", 0, -1, "没有%s为“%s”的%s", want,
                zx_text_clip(key, shown, sizeof(shown)),
                level_titles[de->level]);
    return ZX_ENOTFOUND;
}

/* Element, unit and year of a set or get, into *t (unit code in code). */
static int resolve(zx_db *db, const zx_plan *plan, const char *element,
                   const char *unit, int year, zx_values_target *t, char *code,
                   size_t cap, zx_diag *diag)
{
    char err[512], shown[128];
    int rc;

    t->de = zx_values_element(plan, element);
    if (!t->de) {
        zx_diag_add(diag, "", 0, -1, "计划中没有数据项“%s”（可填数据项的"
                    "标识或中文名称）", zx_text_clip(element ? element : "", shown,
                                                      sizeof(shown)));
        return ZX_ENOTFOUND;
    }
    if (stored_year(plan, t->de, year, &t->year, err, sizeof(err))) {
        zx_diag_add(diag, "", 0, -1, "%s", err);
        return ZX_EDATA;
    }
    if ((rc = find_unit(db, t->de, unit, &t->unit_id, code, cap, diag)))
        return rc;
    t->unit_code = code;
    return ZX_OK;
}

int zx_values_set(zx_db *db, const zx_plan *plan, const char *element,
                  const char *unit, int year, const char *value,
                  const char *actor, zx_diag *diag, int *change)
{
    zx_values_parsed p = { 0 };
    zx_values_target t;
    char code[128], err[1536], at[32];
    int rc, ch = ZX_VALUES_UNCHANGED, began = 0;

    if (change)
        *change = ZX_VALUES_UNCHANGED;
    if ((rc = resolve(db, plan, element, unit, year, &t, code, sizeof(code),
                      diag)))
        goto fail;
    rc = zx_values_parse(t.de, value, ZX_CELL_TEXT, &p, err, sizeof(err));
    if (rc == ZX_EDATA)
        zx_diag_add(diag, "", 0, -1, "%s", err);
    if (rc)
        goto fail;
    zx_values_now(at, sizeof(at));
    if ((rc = zx_db_begin(db)))
        goto fail;
    began = 1;
    /* inside the transaction: a submission cannot slip in between */
    rc = zx_values_check_lock(db, plan, &t, &p, err, sizeof(err));
    if (rc == ZX_EDATA)
        zx_diag_add(diag, "", 0, -1, "%s", err);
    if (rc || (rc = zx_values_write(db, &t, &p, actor, at, &ch)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    began = 0;
    if (change)
        *change = ch;

fail:
    if (rc == ZX_EDB)
        zx_diag_add(diag, "", 0, -1, "数据库写入失败：%s", zx_db_errmsg(db));
    if (began)
        zx_db_rollback(db);
    free(p.buf);
    return rc;
}

int zx_values_get(zx_db *db, const zx_plan *plan, const char *element,
                  const char *unit, int year, zx_value *out, zx_diag *diag)
{
    struct stored s;
    zx_values_target t;
    char code[128];
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = resolve(db, plan, element, unit, year, &t, code, sizeof(code),
                      diag)))
        return rc;
    if ((rc = read_stored(db, &t, &s))) {
        if (rc == ZX_EDB)
            zx_diag_add(diag, "", 0, -1, "数据库读取失败：%s",
                        zx_db_errmsg(db));
        return rc;
    }
    if (s.present) {
        out->present = 1;
        out->year = t.year;
        out->num = s.num;
        display(t.de, &s, out->text, sizeof(out->text));
        snprintf(out->entered_by, sizeof(out->entered_by), "%s", s.by);
        snprintf(out->entered_at, sizeof(out->entered_at), "%s", s.at);
    }
    free(s.text);
    return ZX_OK;
}

