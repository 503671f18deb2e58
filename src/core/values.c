/*
 * values.c - data element values: one at a time, a sheet at a time, and
 * the sheet's template (see values.h).
 *
 * One parser (parse_value) and one writer (write_value) serve every way
 * in, so a value typed on the command line and the same value in a sheet
 * are stored alike and audited alike.  The import follows ingest.c: the
 * whole file in one transaction, writing only while it is clean but
 * checking every cell, so that all its problems are reported at once and
 * any of them rolls everything back.  Unlike the registry import it needs
 * no writer thread: a sheet has a row per unit, far fewer than a registry
 * has teachers, and a cell costs one indexed read and at most one write.
 */
#include "values.h"
#include "audit.h"
#include "codes.h"
#include "demo.h"
#include "export.h"
#include "map.h"
#include "text.h"
#include "xlsx.h"
#include "zx.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define STOP_HEADER 1000  /* row callback: the header is unusable */
#define STOP_DB 1001      /* row callback: the database failed */
#define STOP_NOMEM 1002   /* row callback: out of memory */

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

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* s, or its first cap - 4 bytes (cut at a character) and "…", for
 * quoting a cell in a message. */
static const char *clip(const char *s, char *buf, size_t cap)
{
    size_t n = strlen(s);

    if (n < cap)
        return s;
    n = cap - 4;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "…", 4);
    return buf;
}

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

/* Normalises s into the buffer *buf (grown as needed); NULL when out of
 * memory. */
static char *norm_into(const char *s, char **buf, size_t *cap, int flags)
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

/* "1,234" as typed, "12.0" as some spreadsheets store whole numbers. */
static int parse_int(const char *s, long long *out)
{
    char digits[32], *end;
    size_t n = 0;
    double d;

    for (; *s; s++) {
        if (*s == ',')
            continue;
        if (n + 1 == sizeof(digits))
            return -1;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    if (n == 0 || strspn(digits, "+-0123456789.") != n)
        return -1;
    errno = 0;
    *out = strtoll(digits, &end, 10);
    if (*end == '\0' && errno == 0)
        return 0;
    d = strtod(digits, &end);
    if (*end != '\0' || d != floor(d) || fabs(d) > 1e15)
        return -1;
    *out = (long long)d;
    return 0;
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

static int plan_has_year(const zx_plan *plan, int year)
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

/* "2019（基线）、2020、2021、2022" */
static void years_text(const zx_plan *plan, char *buf, size_t cap)
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
    if (plan_has_year(plan, year)) {
        *out = year;
        return ZX_OK;
    }
    years_text(plan, years, sizeof(years));
    if (year == 0)
        snprintf(err, cap, "数据项“%s”按年度填报，须指定年度：%s", de->name,
                 years);
    else
        snprintf(err, cap, "年度 %d 不在计划之内，应为 %s 之一", year, years);
    return ZX_EDATA;
}

static void range_text(const zx_data_element *de, char *buf, size_t cap)
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

    range_text(de, range, sizeof(range));
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

/* A value as it will be stored. */
struct parsed {
    int empty;          /* nothing given: delete (set) or no change (sheet) */
    int has_num;
    double num;
    const char *text;   /* NULL, buf, or an option label of the plan */
    char *buf;          /* the normalised input; malloc'd, reused */
    size_t cap;
};

static int days_in(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int take_digits(const char **p, int max)
{
    int v = 0, n = 0;

    while (n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

/* One of the separators that may follow a year or a month. */
static int take_sep(const char **p, const char *unit)
{
    static const char *const seps[] = { "-", "/", "." };
    size_t i, n = strlen(unit);

    if (strncmp(*p, unit, n) == 0) {
        *p += n;
        return 1;
    }
    for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
        if (**p == seps[i][0]) {
            (*p)++;
            return 1;
        }
    return 0;
}

/* A date in the ways people write one (normalised text): 2020-09-01,
 * 2020/9/1, 2020.9.1, 2020年9月1日, 20200901; or an Excel serial number
 * from an XLSX cell of kind ZX_CELL_NUMBER. */
static int parse_date(const char *s, int kind, int *y, int *m, int *d)
{
    const char *p = s;
    int secs;

    /* a number in a cell without a date format; 20200901 typed as a
     * number is no serial and is read as digits below */
    if (kind == ZX_CELL_NUMBER) {
        char *end;
        double serial = strtod(s, &end);
        if (*end == '\0' && end != s && serial == floor(serial) &&
            zx_xlsx_serial_to_date(serial, 0, y, m, d, &secs) == 0)
            return *y >= 1900 && *y <= 2100 ? 0 : -1;
    }
    if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
        *y = atoi(s) / 10000;
        *m = atoi(s) / 100 % 100;
        *d = atoi(s) % 100;
    } else {
        if ((*y = take_digits(&p, 4)) < 0 || !take_sep(&p, "年") ||
            (*m = take_digits(&p, 2)) < 0 || !take_sep(&p, "月") ||
            (*d = take_digits(&p, 2)) < 0)
            return -1;
        if (strncmp(p, "日", strlen("日")) == 0)
            p += strlen("日");
        if (*p)
            return -1;
    }
    return *y >= 1900 && *y <= 2100 && *m >= 1 && *m <= 12 && *d >= 1 &&
                   *d <= days_in(*y, *m)
               ? 0
               : -1;
}

/* Checks raw (the text of a cell of the given zx_cell_kind) as a value of
 * de into *p.  Returns ZX_OK, ZX_EDATA with a Chinese message in err, or
 * ZX_ENOMEM. */
static int parse_value(const zx_data_element *de, const char *raw, int kind,
                       struct parsed *p, char *err, size_t errcap)
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
    s = norm_into(raw, &p->buf, &p->cap,
                  de->type == ZX_DE_TEXT ? 0 : ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    if (!s)
        return ZX_ENOMEM;
    if (!*s) {
        p->empty = 1;
        return ZX_OK;
    }
    if (kind == ZX_CELL_ERROR) {
        snprintf(err, errcap, "“%s”的单元格是公式错误“%s”，请填写数值",
                 de->name, clip(s, shown, sizeof(shown)));
        return ZX_EDATA;
    }
    range_text(de, range, sizeof(range));

    switch (de->type) {
    case ZX_DE_BOOL:
        k = zx_codes_find(zx_codes_get("yesno"), s);
        if (k < 0) {
            snprintf(err, errcap, "“%s”应填 是 或 否，实为“%s”", de->name,
                     clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        p->has_num = 1;
        p->num = strcmp(zx_codes_get("yesno")->items[k].name, "是") == 0;
        return ZX_OK;
    case ZX_DE_INT:
        if (parse_int(s, &i) != 0) {
            snprintf(err, errcap, "“%s”应为整数，实为“%s”", de->name,
                     clip(s, shown, sizeof(shown)));
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
                     clip(s, shown, sizeof(shown)));
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
        if (k == de->noptions && parse_int(s, &i) == 0 && i >= 1 &&
            i <= de->noptions)
            k = (int)i - 1;
        if (k == de->noptions) {
            zx_values_describe(de, desc, sizeof(desc));
            snprintf(err, errcap, "“%s”的值“%s”无效，应为%s", de->name,
                     clip(s, shown, sizeof(shown)), desc);
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
                     clip(s, shown, sizeof(shown)));
            return ZX_EDATA;
        }
        /* norm_into left room for the longer form ("2020/9/1" grows) */
        snprintf(p->buf, p->cap, "%04d-%02d-%02d", y, m, d);
        p->text = p->buf;
        return ZX_OK;
    case ZX_DE_TEXT:
        if (utf8_chars(s) > ZX_VALUES_MAXTEXT) {
            snprintf(err, errcap, "“%s”过长（%zu 个字），最多 %d 个字",
                     de->name, utf8_chars(s), ZX_VALUES_MAXTEXT);
            return ZX_EDATA;
        }
        p->text = s;
        return ZX_OK;
    }
    snprintf(err, errcap, "“%s”的类型无法识别", de->name);
    return ZX_EDATA;
}

/* ---- reading and writing one value ------------------------------------- */

/* Where a value goes. */
struct target {
    const zx_data_element *de;
    long long unit_id;        /* org_unit id, or teacher id */
    const char *unit_code;    /* its code or teacher number, for the audit */
    int year;                 /* as stored: 0 when not yearly */
};

/* A stored value; text malloc'd. */
struct stored {
    int present, has_num;
    double num;
    char *text;
    char by[128], at[32];
};

static int read_stored(zx_db *db, const struct target *t, struct stored *s)
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

static int same_value(const struct stored *o, const struct parsed *p)
{
    if (o->has_num != p->has_num || (p->has_num && o->num != p->num))
        return 0;
    if (!o->text != !p->text)
        return 0;
    return !p->text || strcmp(o->text, p->text) == 0;
}

/* Inserts, updates or deletes (p->empty) the value at t, inside the
 * caller's transaction, with its audit entry; an identical value is left
 * alone.  *change receives what happened. */
static int write_value(zx_db *db, const struct target *t,
                       const struct parsed *p, const char *actor,
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

/* "2020-09-01T08:00:00Z", as import_batch and data_value record times. */
static void now_text(char *buf, size_t cap)
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
                clip(key, shown, sizeof(shown)), level_titles[de->level]);
    return ZX_ENOTFOUND;
}

/* Element, unit and year of a set or get, into *t (unit code in code). */
static int resolve(zx_db *db, const zx_plan *plan, const char *element,
                   const char *unit, int year, struct target *t, char *code,
                   size_t cap, zx_diag *diag)
{
    char err[512], shown[128];
    int rc;

    t->de = zx_values_element(plan, element);
    if (!t->de) {
        zx_diag_add(diag, "", 0, -1, "计划中没有数据项“%s”（可填数据项的"
                    "标识或中文名称）", clip(element ? element : "", shown,
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
    struct parsed p = { 0 };
    struct target t;
    char code[128], err[1536], at[32];
    int rc, ch = ZX_VALUES_UNCHANGED, began = 0;

    if (change)
        *change = ZX_VALUES_UNCHANGED;
    if ((rc = resolve(db, plan, element, unit, year, &t, code, sizeof(code),
                      diag)))
        goto fail;
    rc = parse_value(t.de, value, ZX_CELL_TEXT, &p, err, sizeof(err));
    if (rc == ZX_EDATA)
        zx_diag_add(diag, "", 0, -1, "%s", err);
    if (rc)
        goto fail;
    now_text(at, sizeof(at));
    if ((rc = zx_db_begin(db)))
        goto fail;
    began = 1;
    if ((rc = write_value(db, &t, &p, actor, at, &ch)) ||
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
    struct target t;
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

/* ---- the sheet: headers ------------------------------------------------ */

/* What the first column of a sheet may be called, and the level it names
 * (the template writes the first of each level). */
static const struct keyhead {
    const char *header;
    enum zx_level level;
} key_heads[] = {
    { "学校标识码", ZX_LEVEL_SCHOOL }, { "school_code", ZX_LEVEL_SCHOOL },
    { "区镇编码", ZX_LEVEL_TOWN },     { "区镇", ZX_LEVEL_TOWN },
    { "town_code", ZX_LEVEL_TOWN },    { "town", ZX_LEVEL_TOWN },
    { "集团编码", ZX_LEVEL_GROUP },    { "集团", ZX_LEVEL_GROUP },
    { "group_code", ZX_LEVEL_GROUP },  { "group", ZX_LEVEL_GROUP },
    { "教师编号", ZX_LEVEL_TEACHER },  { "teacher_no", ZX_LEVEL_TEACHER },
};

/* Columns that only help a clerk find the row; ignored on import. */
static const char *const info_heads[] = {
    "学校名称", "区镇名称", "集团名称", "姓名", "教师姓名", "所在学校",
    "学校", "名称", "name", "school", "school_name",
};

/* Header text normalised, with a trailing note in brackets cut off
 * ("心理咨询室(是/否)") into bare; both empty when too long. */
static void norm_header(const char *raw, char *full, char *bare, size_t cap)
{
    size_t len;
    char *paren;

    full[0] = bare[0] = '\0';
    if (strlen(raw) >= cap)
        return;
    len = zx_text_norm(raw, full, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    memcpy(bare, full, len + 1);
    paren = strchr(bare, '(');
    if (paren && paren != bare && bare[len - 1] == ')')
        *paren = '\0';
}

static int key_level(const char *h)
{
    size_t i;

    for (i = 0; i < sizeof(key_heads) / sizeof(key_heads[0]); i++)
        if (strcasecmp(key_heads[i].header, h) == 0)
            return (int)key_heads[i].level;
    return -1;
}

static int is_info(const char *h)
{
    size_t i;

    for (i = 0; i < sizeof(info_heads) / sizeof(info_heads[0]); i++)
        if (strcasecmp(info_heads[i], h) == 0)
            return 1;
    return 0;
}

/* ---- the sheet: rows --------------------------------------------------- */

enum role { COL_IGNORE = 0, COL_KEY, COL_YEAR, COL_ELEMENT };

/* The units of the sheet's level, loaded once: a lookup per row. */
struct units {
    zx_map *index;         /* code, and town/group name key -> position */
    long long *ids;
    size_t *code_at;       /* offset of each unit's code in arena */
    char *arena;
    size_t n, cap, used, arenacap;
};

struct imp {
    zx_db *db;
    const zx_plan *plan;
    const char *name, *actor;
    zx_diag *diag;
    char at[32];
    int header_done;
    enum zx_level level;
    char key_header[256];  /* the first column's header, for messages */
    int ncols;
    unsigned char *role;   /* per file column */
    const zx_data_element **de; /* per file column, for COL_ELEMENT */
    int year_col;          /* or -1 */
    struct units u;
    zx_map *seen;          /* "element/unit/year" -> first row */
    struct parsed p;
    char *norm;            /* normalised key and year cells */
    size_t normcap;
    long rows, inserted, updated, unchanged, blank, bad;
};

static void complain(struct imp *in, long row, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void complain(struct imp *in, long row, int col, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    zx_diag_add(in->diag, in->name, row, col, "%s", buf);
}

static int units_add(struct units *u, long long id, const char *code)
{
    size_t len = strlen(code) + 1;

    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 256;
        long long *ids = realloc(u->ids, cap * sizeof(*ids));
        size_t *offs;
        if (!ids)
            return ZX_ENOMEM;
        u->ids = ids;
        if (!(offs = realloc(u->code_at, cap * sizeof(*offs))))
            return ZX_ENOMEM;
        u->code_at = offs;
        u->cap = cap;
    }
    if (u->used + len > u->arenacap) {
        size_t cap = u->arenacap ? u->arenacap * 2 : 4096;
        char *a;
        while (cap < u->used + len)
            cap *= 2;
        if (!(a = realloc(u->arena, cap)))
            return ZX_ENOMEM;
        u->arena = a;
        u->arenacap = cap;
    }
    memcpy(u->arena + u->used, code, len);
    u->ids[u->n] = id;
    u->code_at[u->n] = u->used;
    u->used += len;
    return zx_map_put(u->index, code, (long long)u->n++) ? ZX_ENOMEM : ZX_OK;
}

static int units_load(struct imp *in)
{
    struct units *u = &in->u;
    sqlite3_stmt *st;
    int step, rc = ZX_OK;

    if (!(u->index = zx_map_new()))
        return ZX_ENOMEM;
    if (in->level == ZX_LEVEL_TEACHER)
        st = zx_db_prepare(in->db, "SELECT id, teacher_no, NULL FROM teacher");
    else
        st = zx_db_prepare(in->db, "SELECT id, code, name_key FROM org_unit"
                                   " WHERE kind = ?1");
    if (!st)
        return ZX_EDB;
    if (in->level != ZX_LEVEL_TEACHER)
        sqlite3_bind_text(st, 1, zx_level_name(in->level), -1,
                          SQLITE_STATIC);
    while (rc == ZX_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *nk = (const char *)sqlite3_column_text(st, 2);
        rc = units_add(u, sqlite3_column_int64(st, 0),
                       (const char *)sqlite3_column_text(st, 1));
        /* a town or group also by its name; the code maps to the same
         * unit, so the name only adds a key */
        if (rc == ZX_OK && nk && (in->level == ZX_LEVEL_TOWN ||
                                  in->level == ZX_LEVEL_GROUP) &&
            zx_map_put(u->index, nk, (long long)u->n - 1))
            rc = ZX_ENOMEM;
    }
    if (rc == ZX_OK && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_reset(st);
    return rc;
}

static void units_free(struct units *u)
{
    zx_map_free(u->index);
    free(u->ids);
    free(u->code_at);
    free(u->arena);
}

static int header(struct imp *in, const zx_row *row)
{
    char full[256], bare[256], first[8], shown[128], keyfull[256];
    const zx_data_element *de;
    int c, k, bad = 0, nel = 0, yearly = 0, lvl;

    in->header_done = 1;
    in->ncols = row->n;
    in->role = calloc((size_t)row->n + 1, 1);
    in->de = calloc((size_t)row->n + 1, sizeof(*in->de));
    if (!in->role || !in->de)
        return STOP_NOMEM;
    norm_header(row->n ? row->cell[0] : "", keyfull, bare, sizeof(bare));
    lvl = key_level(bare);
    if (lvl < 0) {
        complain(in, row->line, 0, "第一列应为单位的标识：学校标识码（学校）、"
                 "区镇编码或区镇（区镇）、集团编码或集团（集团）或教师编号"
                 "（教师），实为“%s”", clip(keyfull, shown, sizeof(shown)));
        return STOP_HEADER;
    }
    in->level = (enum zx_level)lvl;
    in->role[0] = COL_KEY;
    snprintf(in->key_header, sizeof(in->key_header), "%s", bare);

    for (c = 1; c < row->n; c++) {
        norm_header(row->cell[c], full, bare, sizeof(full));
        if (!*full && strlen(row->cell[c]) >= sizeof(full)) {
            complain(in, row->line, c, "未知的表头“%s”：过长",
                     clip(row->cell[c], shown, sizeof(shown)));
            bad = 1;
            continue;
        }
        if (!*full)
            continue; /* a column without a header is not read */
        if (strcmp(bare, "年度") == 0 || strcasecmp(bare, "year") == 0) {
            if (in->year_col >= 0) {
                zx_diag_colname(in->year_col, first);
                complain(in, row->line, c, "表头“年度”重复（与第 %s 列相同）",
                         first);
                bad = 1;
            } else {
                in->year_col = c;
                in->role[c] = COL_YEAR;
            }
            continue;
        }
        de = zx_values_element(in->plan, full);
        if (!de)
            de = zx_values_element(in->plan, bare);
        if (de) {
            if (de->level != in->level) {
                if (de->level == ZX_LEVEL_CITY)
                    complain(in, row->line, c, "“%s”是按全市填报的数据项，不能"
                             "填在%s表中：请用 zhenxing values set %s 填写",
                             de->name, level_titles[in->level], de->id);
                else
                    complain(in, row->line, c, "“%s”是按%s填报的数据项，不能"
                             "填在%s表中：请使用%s模板（zhenxing template "
                             "values --level %s）", de->name,
                             level_titles[de->level], level_titles[in->level],
                             level_titles[de->level],
                             zx_level_name(de->level));
                bad = 1;
                continue;
            }
            for (k = 1; k < c; k++)
                if (in->de[k] == de) {
                    zx_diag_colname(k, first);
                    complain(in, row->line, c, "数据项“%s”重复（与第 %s 列"
                             "相同）", de->name, first);
                    bad = 1;
                }
            in->role[c] = COL_ELEMENT;
            in->de[c] = de;
            nel++;
            yearly |= de->yearly;
            continue;
        }
        if (strcmp(full, keyfull) == 0) {
            complain(in, row->line, c, "表头“%s”重复（与第 A 列相同）",
                     clip(full, shown, sizeof(shown)));
            bad = 1;
        } else if (key_level(bare) < 0 && !is_info(bare)) {
            complain(in, row->line, c, "未知的表头“%s”：不是计划中的数据项（"
                     "请对照模板检查拼写，或删除这一列）",
                     clip(full, shown, sizeof(shown)));
            bad = 1;
        }
    }
    if (!bad && nel == 0) {
        complain(in, row->line, -1, "表中没有数据项列：第一行应在单位标识之后"
                 "列出要填报的数据项（中文名称或标识）");
        bad = 1;
    }
    if (yearly && in->year_col < 0) {
        complain(in, row->line, -1, "缺少“年度”列：表中有按年度填报的"
                 "数据项，须注明年度");
        bad = 1;
    }
    if (bad)
        return STOP_HEADER;
    switch (units_load(in)) {
    case ZX_OK:
        return 0;
    case ZX_ENOMEM:
        return STOP_NOMEM;
    default:
        complain(in, row->line, -1, "数据库读取失败：%s",
                 zx_db_errmsg(in->db));
        return STOP_DB;
    }
}

/* Cell c of row normalised for matching (a key or a year), in in->norm;
 * NULL when out of memory. */
static const char *cell_key(struct imp *in, const zx_row *row, int c)
{
    return norm_into(c < row->n ? row->cell[c] : "", &in->norm, &in->normcap,
                     ZX_NORM_PUNCT | ZX_NORM_SQUASH);
}

/* Checks the row's year cell: 0 and *year (0 when blank), or -1. */
static int row_year(struct imp *in, const zx_row *row, int *year)
{
    char years[256], shown[128];
    const char *s;
    char *t;
    long long y;
    size_t n;

    *year = 0;
    if (in->year_col < 0)
        return 0;
    if (!(s = cell_key(in, row, in->year_col)))
        return -1;
    if (!*s)
        return 0;
    t = in->norm;
    n = strlen(t);
    if (n > strlen("年") && strcmp(t + n - strlen("年"), "年") == 0)
        t[n - strlen("年")] = '\0';
    if (parse_int(t, &y) != 0 || !plan_has_year(in->plan, (int)y) ||
        y != (int)y) {
        years_text(in->plan, years, sizeof(years));
        complain(in, row->line, in->year_col, "“年度”应为 %s 之一，实为“%s”",
                 years, clip(s, shown, sizeof(shown)));
        return -1;
    }
    *year = (int)y;
    return 0;
}

static int data_row(struct imp *in, const zx_row *row)
{
    static const char *const what[ZX_NLEVELS] = {
        "", "区镇", "集团", "学校标识码", "教师编号"
    };
    static const char *const hint[ZX_NLEVELS] = {
        "", "（应为区镇编码或名称）", "（应为集团编码或名称）",
        "，请先导入该学校", "，请先导入该教师"
    };
    char err[1536], shown[128], dkey[512];
    const char *s;
    long long pos = -1, first;
    int c, rc, bad = 0, year, year_bad, year_blank, change;

    /* a row of spaces is as blank as an empty one */
    for (c = 0; c < row->n; c++) {
        if (!(s = cell_key(in, row, c)))
            return STOP_NOMEM;
        if (*s)
            break;
    }
    if (c == row->n)
        return 0;
    in->rows++;

    if (!(s = cell_key(in, row, 0)))
        return STOP_NOMEM;
    if (!*s) {
        complain(in, row->line, 0, "“%s”不能为空", in->key_header);
        bad = 1;
    } else if (!zx_map_get(in->u.index, s, &pos)) {
        complain(in, row->line, 0, "%s“%s”不存在%s", what[in->level],
                 clip(s, shown, sizeof(shown)), hint[in->level]);
        bad = 1;
    }
    year_bad = row_year(in, row, &year) != 0;
    bad |= year_bad;
    year_blank = !year_bad && year == 0;

    for (c = 1; c < in->ncols; c++) {
        const zx_data_element *de = in->de[c];
        struct target t;

        if (in->role[c] != COL_ELEMENT)
            continue;
        rc = parse_value(de, c < row->n ? row->cell[c] : "",
                         c < row->n ? row->kind[c] : ZX_CELL_TEXT, &in->p,
                         err, sizeof(err));
        if (rc == ZX_ENOMEM)
            return STOP_NOMEM;
        if (rc) {
            complain(in, row->line, c, "%s", err);
            bad = 1;
            continue;
        }
        if (in->p.empty) {
            in->blank++;
            continue;
        }
        if (de->yearly && year_blank) {
            complain(in, row->line, in->year_col, "“年度”不能为空：本行填写了"
                     "按年度填报的数据项“%s”", de->name);
            year_blank = 0; /* once per row */
            year_bad = bad = 1;
            continue;
        }
        if (pos < 0 || (de->yearly && year_bad))
            continue;
        t.de = de;
        t.unit_id = in->u.ids[pos];
        t.unit_code = in->u.arena + in->u.code_at[pos];
        t.year = de->yearly ? year : 0;
        snprintf(dkey, sizeof(dkey), "%s/%lld/%d", de->id, pos, t.year);
        if (zx_map_get(in->seen, dkey, &first)) {
            complain(in, row->line, c, "与第 %lld 行重复：同一%s的“%s”%s只能"
                     "填写一次", first, level_titles[in->level], de->name,
                     de->yearly ? "在同一年度" : "");
            bad = 1;
            continue;
        }
        if (zx_map_put(in->seen, dkey, row->line))
            return STOP_NOMEM;
        /* once the file is known to be bad nothing will be kept */
        if (bad || in->bad)
            continue;
        if ((rc = write_value(in->db, &t, &in->p, in->actor, in->at,
                              &change))) {
            complain(in, row->line, c, "数据库写入失败：%s",
                     zx_db_errmsg(in->db));
            return rc == ZX_ENOMEM ? STOP_NOMEM : STOP_DB;
        }
        if (change == ZX_VALUES_INSERTED)
            in->inserted++;
        else if (change == ZX_VALUES_UPDATED)
            in->updated++;
        else
            in->unchanged++;
    }
    if (bad)
        in->bad++;
    return 0;
}

static int on_row(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;

    return in->header_done ? data_row(in, row) : header(in, row);
}

/* BLAKE2b-256 of the file, as the registry import records it, so that the
 * log identifies exactly which file was loaded. */
static int file_digest(const char *path, char hex[65])
{
    unsigned char h[32], buf[65536];
    crypto_generichash_state st;
    ssize_t n;
    int fd = open(path, O_RDONLY);

    if (fd < 0)
        return ZX_EIO;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        crypto_generichash_update(&st, buf, (unsigned long long)n);
    close(fd);
    if (n < 0)
        return ZX_EIO;
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(hex, 65, h, sizeof(h));
    return ZX_OK;
}

static int record_batch(struct imp *in, const char *path)
{
    char digest[65], key[32], *js;
    sqlite3_stmt *st;
    zx_audit_entry e;
    json_t *j;
    int rc;

    if ((rc = file_digest(path, digest)))
        return rc;
    st = zx_db_prepare(in->db, "INSERT INTO import_batch(at, actor, kind,"
                               " file, sha256, rows, inserted, updated,"
                               " unchanged) VALUES (?1, ?2, 'values', ?3, ?4,"
                               " ?5, ?6, ?7, ?8)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, in->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, in->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, in->rows);
    sqlite3_bind_int64(st, 6, in->inserted);
    sqlite3_bind_int64(st, 7, in->updated);
    sqlite3_bind_int64(st, 8, in->unchanged);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        return ZX_EDB;
    }
    sqlite3_reset(st);
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(in->db)));
    j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "kind",
                  "values", "level", zx_level_name(in->level), "file",
                  in->name, "blake2b", digest, "rows", (json_int_t)in->rows,
                  "inserted", (json_int_t)in->inserted, "updated",
                  (json_int_t)in->updated, "unchanged",
                  (json_int_t)in->unchanged, "blank", (json_int_t)in->blank);
    js = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    if (!js)
        return ZX_ENOMEM;
    e.actor = in->actor;
    e.addr = "";
    e.action = "import";
    e.tbl = "values";
    e.key = key;
    e.old = NULL;
    e.new_ = js;
    rc = zx_audit_append(in->db, &e);
    free(js);
    return rc;
}

int zx_values_import(zx_db *db, const zx_plan *plan, const char *path,
                     const char *name, int dry_run, const char *actor,
                     zx_progress_fn progress, void *pctx, zx_diag *diag,
                     zx_values_result *res)
{
    struct imp in;
    size_t plen = strlen(path);
    int rc, began = 0;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    in.db = db;
    in.plan = plan;
    in.name = name ? name : path;
    in.actor = actor;
    in.diag = diag;
    in.year_col = -1;
    now_text(in.at, sizeof(in.at));
    snprintf(res->format, sizeof(res->format), "%s",
             plen > 5 && strcasecmp(path + plen - 5, ".xlsx") == 0 ? "XLSX"
                                                                   : "CSV");
    rc = ZX_ENOMEM;
    if (!(in.seen = zx_map_new()) || sodium_init() < 0)
        goto fail;
    if ((rc = zx_db_begin(db))) {
        zx_diag_add(diag, in.name, 0, -1, "无法开始写入数据库：%s",
                    zx_db_errmsg(db));
        goto fail;
    }
    began = 1;

    rc = zx_table_read(path, in.name, on_row, &in, progress, pctx, diag);
    res->rows = in.rows;
    res->inserted = in.inserted;
    res->updated = in.updated;
    res->unchanged = in.unchanged;
    res->blank = in.blank;
    if (rc == STOP_HEADER)
        rc = ZX_EDATA;
    else if (rc == STOP_DB)
        rc = ZX_EDB;
    else if (rc == STOP_NOMEM)
        rc = ZX_ENOMEM;
    if (rc)
        goto fail;
    if (!in.header_done) {
        zx_diag_add(diag, in.name, 0, -1, "文件是空的：没有表头行");
        rc = ZX_EDATA;
        goto fail;
    }
    if (in.bad) {
        rc = ZX_EDATA;
        goto fail;
    }
    if (dry_run)
        goto fail; /* a dry run ends like a failure: rolled back */
    if ((rc = record_batch(&in, path))) {
        zx_diag_add(diag, in.name, 0, -1, "无法记录本次导入：%s",
                    rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        goto fail;
    }
    if ((rc = zx_db_commit(db))) {
        zx_diag_add(diag, in.name, 0, -1, "数据库提交失败：%s",
                    zx_db_errmsg(db));
        goto fail;
    }
    began = 0;

fail:
    if (began)
        zx_db_rollback(db);
    units_free(&in.u);
    zx_map_free(in.seen);
    free(in.role);
    free(in.de);
    free(in.p.buf);
    free(in.norm);
    return rc;
}

/* ---- the template ------------------------------------------------------ */

#define NOTES_SHEET "填写说明"
#define CODES_SHEET "代码表"
#define LAST_ROW 99999     /* checks cover spreadsheet rows 2..100000 */
#define MAX_ROW 1048575    /* Excel's last row, 0-based */

/* The sheet of each level: its title, the key column, the grey name
 * columns and the query listing the units (key, name, extra) in order. */
static const struct sheet {
    const char *title, *key, *name, *extra;
    double keywidth, namewidth;
    const char *sql;
} sheets[ZX_NLEVELS] = {
    [ZX_LEVEL_TOWN] = { "区镇数据", "区镇编码", "区镇名称", NULL, 14, 16,
                        "SELECT code, name, NULL FROM org_unit"
                        " WHERE kind = 'town' ORDER BY code" },
    [ZX_LEVEL_GROUP] = { "集团数据", "集团编码", "集团名称", NULL, 14, 24,
                         "SELECT code, name, NULL FROM org_unit"
                         " WHERE kind = 'group' ORDER BY code" },
    [ZX_LEVEL_SCHOOL] = { "学校数据", "学校标识码", "学校名称", NULL, 13, 30,
                          "SELECT code, name, NULL FROM org_unit"
                          " WHERE kind = 'school' ORDER BY code" },
    /* teachers listed school by school, as a clerk goes through them */
    [ZX_LEVEL_TEACHER] = { "教师数据", "教师编号", "姓名", "所在学校", 12, 10,
                           "SELECT t.teacher_no, t.name, u.name"
                           " FROM teacher t JOIN org_unit u"
                           " ON u.id = t.school_id"
                           " ORDER BY u.code, t.teacher_no" },
};

struct tpl {
    zx_db *db;
    const zx_plan *plan;
    const struct sheet *sh;
    const zx_data_element **els;
    int nels, year;
    int year_col, first_el;     /* columns; year_col -1 when none */
    lxw_workbook *wb;
    lxw_worksheet *data, *notes, *codes;
    lxw_format *head, *info_head, *info, *text, *date, *wrap, *bold;
    int ncodes;                 /* columns used in the code sheet */
    int nrules;                 /* rules written in the notes so far */
    int yesno_col;              /* code sheet column of 是/否, or -1 */
    lxw_row_t last;             /* last row the checks cover */
    lxw_error err;
};

static void check(struct tpl *t, lxw_error e)
{
    if (e && !t->err)
        t->err = e;
}

/* Lines a comment box of 40 half-width characters per line needs. */
static int comment_lines(const char *s)
{
    int lines = 1, w = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n') {
            lines++;
            w = 0;
        } else if ((c & 0xC0) != 0x80) {
            w += c >= 0xE0 ? 2 : 1;
            if (w > 40) {
                lines++;
                w = c >= 0xE0 ? 2 : 1;
            }
        }
    }
    return lines;
}

/* s when it has at most max characters (Excel's limit for a validation's
 * title or message), else NULL: better no prompt than a refused file. */
static char *fits(const char *s, size_t max)
{
    return s && utf8_chars(s) <= max ? (char *)s : NULL;
}

/* Writes a list (title, then items) into a new column of the hidden code
 * sheet; returns the column, or -1 (error recorded). */
static int code_column(struct tpl *t, const char *title,
                       const char *const *items, int n)
{
    lxw_col_t c = (lxw_col_t)t->ncodes;
    int i;

    if (!t->codes) {
        t->codes = workbook_add_worksheet(t->wb, CODES_SHEET);
        if (!t->codes) {
            check(t, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return -1;
        }
        worksheet_hide(t->codes);
        worksheet_protect(t->codes, NULL, NULL);
    }
    worksheet_set_column(t->codes, c, c, 20, NULL);
    check(t, worksheet_write_string(t->codes, 0, c, title, t->bold));
    for (i = 0; i < n; i++)
        check(t, worksheet_write_string(t->codes, (lxw_row_t)(i + 1), c,
                                        items[i], NULL));
    return t->ncodes++;
}

static void list_validation(struct tpl *t, lxw_col_t col,
                            const zx_data_element *de)
{
    static const char *const yesno[] = { "是", "否" };
    lxw_data_validation v = { 0 };
    char formula[160], range[32], title[] = "输入有误", msg[512];
    int cc, n;

    if (de->type == ZX_DE_BOOL) {
        if (t->yesno_col < 0)
            t->yesno_col = code_column(t, "是否", yesno, 2);
        cc = t->yesno_col;
        n = 2;
    } else {
        cc = code_column(t, de->name, de->options, de->noptions);
        n = de->noptions;
    }
    if (cc < 0 || n == 0)
        return;
    lxw_rowcol_to_range_abs(range, 1, (lxw_col_t)cc, (lxw_row_t)n,
                            (lxw_col_t)cc);
    snprintf(formula, sizeof(formula), "='%s'!%s", CODES_SHEET, range);
    snprintf(msg, sizeof(msg), "请从下拉列表中选择%s。",
             de->type == ZX_DE_OPTION ? "，或填写选项的序号" : "");
    v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v.value_formula = formula;
    /* only a warning: the importer also takes Y/N, 1/0 and numbers */
    v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    v.error_title = title;
    v.error_message = msg;
    v.input_title = fits(de->name, 32);
    v.input_message = fits(de->help, 255);
    check(t, worksheet_data_validation_range(t->data, 1, col, t->last, col,
                                             &v));
}

/* Excel's own check of a number or text column; the importer checks
 * everything again. */
static void value_validation(struct tpl *t, lxw_col_t col,
                             const zx_data_element *de)
{
    lxw_data_validation v = { 0 };
    char title[] = "输入有误", msg[512], range[96];

    range_text(de, range, sizeof(range));
    switch (de->type) {
    case ZX_DE_INT:
    case ZX_DE_DECIMAL:
        v.validate = de->type == ZX_DE_INT ? LXW_VALIDATION_TYPE_INTEGER
                                           : LXW_VALIDATION_TYPE_DECIMAL;
        /* without bounds Excel still refuses text in a number column */
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = de->has_min ? de->min : -1e15;
        v.maximum_number = de->has_max ? de->max : 1e15;
        snprintf(msg, sizeof(msg), "须为%s%s%s。",
                 de->type == ZX_DE_INT ? "整数" : "数字", *range ? "，" : "",
                 range);
        break;
    case ZX_DE_TEXT:
        v.validate = LXW_VALIDATION_TYPE_LENGTH;
        v.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
        v.value_number = ZX_VALUES_MAXTEXT;
        snprintf(msg, sizeof(msg), "不能超过 %d 个字。", ZX_VALUES_MAXTEXT);
        break;
    default:
        return; /* dates are typed in many forms; only the importer can tell */
    }
    v.error_title = title;
    v.error_message = msg;
    v.input_title = fits(de->name, 32);
    v.input_message = fits(de->help, 255);
    check(t, worksheet_data_validation_range(t->data, 1, col, t->last, col,
                                             &v));
}

static void element_column(struct tpl *t, lxw_col_t col,
                           const zx_data_element *de)
{
    lxw_comment_options copt = { 0 };
    char desc[1024], note[3072];
    int w = zx_text_width(de->name) + 2;

    zx_values_describe(de, desc, sizeof(desc));
    snprintf(note, sizeof(note), "%s\n标识：%s\n类型：%s\n%s%s%s%s%s%s"
             "留空表示不修改已填的值", de->name, de->id, desc,
             de->yearly ? "按年度填报：填写“年度”列所示年份的值\n"
                        : "不按年度：一个值，修改前一直有效\n",
             de->clause ? "条款：" : "", de->clause ? de->clause : "",
             de->clause ? "\n" : "", de->help ? de->help : "",
             de->help ? "\n" : "");
    worksheet_set_column(t->data, col, col, w < 10 ? 10 : w > 40 ? 40 : w,
                         de->type == ZX_DE_TEXT   ? t->text
                         : de->type == ZX_DE_DATE ? t->date
                                                  : NULL);
    check(t, worksheet_write_string(t->data, 0, col, de->name, t->head));
    copt.author = "zhenxing";
    copt.width = 320;
    copt.height = (uint16_t)(comment_lines(note) * 17 + 8);
    check(t, worksheet_write_comment_opt(t->data, 0, col, note, &copt));
    if (de->type == ZX_DE_BOOL || de->type == ZX_DE_OPTION)
        list_validation(t, col, de);
    else
        value_validation(t, col, de);
}

/* The pre-filled rows: every unit of the level.  Returns the count, or -1
 * when the database fails. */
static long write_units(struct tpl *t)
{
    sqlite3_stmt *st = zx_db_prepare(t->db, t->sh->sql);
    lxw_row_t r = 1;
    int step;

    if (!st)
        return -1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && !t->err) {
        if (r > MAX_ROW) {
            check(t, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
            break;
        }
        check(t, worksheet_write_string(t->data, r, 0,
                                        (const char *)sqlite3_column_text(st, 0),
                                        t->text));
        check(t, worksheet_write_string(t->data, r, 1,
                                        (const char *)sqlite3_column_text(st, 1),
                                        t->info));
        if (t->sh->extra)
            check(t, worksheet_write_string(
                         t->data, r, 2,
                         (const char *)sqlite3_column_text(st, 2), t->info));
        if (t->year_col >= 0)
            check(t, worksheet_write_number(t->data, r,
                                            (lxw_col_t)t->year_col, t->year,
                                            NULL));
        r++;
    }
    sqlite3_reset(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? (long)r - 1 : -1;
}

static void notes_row(struct tpl *t, lxw_row_t r, const char *const cells[6])
{
    int i;

    for (i = 0; i < 6; i++)
        if (cells[i] && *cells[i])
            check(t, worksheet_write_string(t->notes, r, (lxw_col_t)i,
                                            cells[i], NULL));
}

/* Writes text as the next numbered rule at row *r, moving *r on; rules
 * are numbered as written, so an omitted one leaves no gap. */
static void rule(struct tpl *t, lxw_row_t *r, const char *text)
{
    char buf[1100]; /* a note of write_notes' 1024 and the number */

    snprintf(buf, sizeof(buf), "%d. %s", ++t->nrules, text);
    check(t, worksheet_write_string(t->notes, (*r)++, 0, buf, NULL));
}

static void write_notes(struct tpl *t)
{
    static const char *const heads[6] = { "表头", "数据项标识", "按年度",
                                          "类型与取值", "条款", "说明" };
    static const double widths[6] = { 24, 22, 8, 50, 12, 50 };
    char buf[1024], years[256], desc[1024];
    lxw_row_t r = 0;
    int i;

    for (i = 0; i < 6; i++)
        worksheet_set_column(t->notes, (lxw_col_t)i, (lxw_col_t)i, widths[i],
                             i >= 3 ? t->wrap : NULL);
    snprintf(buf, sizeof(buf), "%s数据填报模板填写说明",
             level_titles[t->sh - sheets]);
    check(t, worksheet_write_string(t->notes, r++, 0, buf, t->bold));
    snprintf(buf, sizeof(buf), "计划：%s", zx_plan_name(t->plan));
    check(t, worksheet_write_string(t->notes, r++, 0, buf, NULL));
    if (zx_export_synthetic(t->db))
        check(t, worksheet_write_string(t->notes, r++, 0, zx_demo_banner,
                                        t->bold));
    r++;
    for (i = 0; i < 6; i++)
        check(t, worksheet_write_string(t->notes, r, (lxw_col_t)i, heads[i],
                                        t->head));
    r++;
    {
        const char *key[6] = { t->sh->key, "", "", "必填：每行一个单位，"
                               "已按登记信息预填", "", "" };
        const char *name[6] = { t->sh->name, "", "", "仅供核对（灰色），导入"
                                "时忽略", "", "" };
        notes_row(t, r++, key);
        notes_row(t, r++, name);
        if (t->sh->extra) {
            name[0] = t->sh->extra;
            notes_row(t, r++, name);
        }
    }
    years_text(t->plan, years, sizeof(years));
    if (t->year_col >= 0) {
        const char *year[6] = { "年度", "", "", buf, "", "" };
        snprintf(buf, sizeof(buf), "%s 之一；已预填 %d 年，填报其他年度时请"
                 "修改", years, t->year);
        notes_row(t, r++, year);
    }
    for (i = 0; i < t->nels; i++) {
        const zx_data_element *de = t->els[i];
        const char *row[6] = { de->name, de->id, de->yearly ? "是" : "否",
                               desc, de->clause, de->help };
        zx_values_describe(de, desc, sizeof(desc));
        notes_row(t, r++, row);
    }

    r++;
    check(t, worksheet_write_string(t->notes, r++, 0, "填写规则", t->bold));
    snprintf(buf, sizeof(buf), "只导入第一个工作表“%s”，本说明及其他工作表"
             "不会导入", t->sh->title);
    rule(t, &r, buf);
    snprintf(buf, sizeof(buf), "第 1 行是表头，请勿修改表头文字；第一列"
             "“%s”标识单位，不能修改或留空；灰色的列仅供核对", t->sh->key);
    rule(t, &r, buf);
    rule(t, &r, "留空的格子表示“不修改”：只填需要填报或更正的值；不需要的"
                "数据项列和单位行可以删除");
    if (t->year_col >= 0)
        rule(t, &r, "按年度填报的数据项填“年度”列所示年份的值；同一单位填报"
                    "多个年度时，可复制该行并修改年度");
    rule(t, &r, "是/否和选项类的列可从下拉列表选择，选项也可填序号；鼠标移到"
                "表头上可看说明");
    rule(t, &r, "整个文件全部通过检查才会导入：任何一处有错，都不会写入任何"
                "数据，并会列出每个错误所在的行和列，改正后重新导入即可");
    rule(t, &r, "导入：zhenxing import values 文件；也可另存为 CSV 文件"
                "（UTF-8 或 GBK 编码）后导入");
}

int zx_values_template(zx_db *db, const zx_plan *plan, enum zx_level level,
                       const char *path, long *units)
{
    const zx_data_element *all;
    zx_export_file out;
    struct tpl t;
    long n = 0;
    int rc, i, nall, opened = 0, yearly = 0;
    lxw_col_t c;

    if (units)
        *units = 0;
    if ((unsigned)level >= ZX_NLEVELS || !sheets[level].sql)
        return ZX_EINVAL;
    memset(&t, 0, sizeof(t));
    t.db = db;
    t.plan = plan;
    t.sh = &sheets[level];
    t.year = zx_values_current_year(plan);
    t.year_col = -1;
    t.yesno_col = -1;
    all = zx_plan_elements(plan, &nall);
    if (!(t.els = calloc((size_t)nall + 1, sizeof(*t.els))))
        return ZX_ENOMEM;
    for (i = 0; i < nall; i++)
        if (all[i].level == level) {
            t.els[t.nels++] = &all[i];
            yearly |= all[i].yearly;
        }
    rc = ZX_ENOTFOUND;
    if (t.nels == 0)
        goto fail;
    /* key, name(s), then 年度 when needed, then the elements */
    t.first_el = t.sh->extra ? 3 : 2;
    if (yearly)
        t.year_col = t.first_el++;

    if ((rc = zx_export_file_open(&out, path, 1)))
        goto fail;
    opened = 1;
    rc = ZX_ENOMEM;
    if (!(t.wb = workbook_new(out.name)) ||
        !(t.data = workbook_add_worksheet(t.wb, t.sh->title)) ||
        !(t.notes = workbook_add_worksheet(t.wb, NOTES_SHEET)) ||
        !(t.head = workbook_add_format(t.wb)) ||
        !(t.info_head = workbook_add_format(t.wb)) ||
        !(t.info = workbook_add_format(t.wb)) ||
        !(t.text = workbook_add_format(t.wb)) ||
        !(t.date = workbook_add_format(t.wb)) ||
        !(t.wrap = workbook_add_format(t.wb)) ||
        !(t.bold = workbook_add_format(t.wb)))
        goto fail;
    format_set_bold(t.head);
    format_set_pattern(t.head, LXW_PATTERN_SOLID);
    format_set_bg_color(t.head, 0xDDEBF7);
    format_set_bold(t.info_head);
    format_set_pattern(t.info_head, LXW_PATTERN_SOLID);
    format_set_bg_color(t.info_head, 0xEDEDED);
    format_set_font_color(t.info_head, 0x808080);
    format_set_font_color(t.info, 0x808080);
    format_set_num_format(t.info, "@");
    format_set_num_format(t.text, "@");
    format_set_num_format(t.date, "yyyy-mm-dd");
    format_set_text_wrap(t.wrap);
    format_set_align(t.wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(t.bold);

    /* the key in text format, so Excel keeps "0123" as typed */
    worksheet_set_column(t.data, 0, 0, t.sh->keywidth, t.text);
    check(&t, worksheet_write_string(t.data, 0, 0, t.sh->key, t.head));
    worksheet_set_column(t.data, 1, 1, t.sh->namewidth, t.info);
    check(&t, worksheet_write_string(t.data, 0, 1, t.sh->name, t.info_head));
    if (t.sh->extra) {
        worksheet_set_column(t.data, 2, 2, 30, t.info);
        check(&t, worksheet_write_string(t.data, 0, 2, t.sh->extra,
                                         t.info_head));
    }
    if ((n = write_units(&t)) < 0) {
        rc = ZX_EDB;
        goto fail;
    }
    t.last = (lxw_row_t)(n > LAST_ROW ? n : LAST_ROW);
    if (t.year_col >= 0) {
        lxw_data_validation v = { 0 };
        char title[] = "输入有误", msg[320], years[256];
        const int *py;
        int ny;
        c = (lxw_col_t)t.year_col;
        py = zx_plan_years(plan, &ny);
        years_text(plan, years, sizeof(years));
        snprintf(msg, sizeof(msg), "年度应为 %s 之一。", years);
        worksheet_set_column(t.data, c, c, 8, NULL);
        check(&t, worksheet_write_string(t.data, 0, c, "年度", t.head));
        v.validate = LXW_VALIDATION_TYPE_INTEGER;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = zx_plan_baseline(plan);
        v.maximum_number = ny ? py[ny - 1] : zx_plan_baseline(plan);
        v.error_title = title;
        v.error_message = msg;
        check(&t, worksheet_data_validation_range(t.data, 1, c, t.last, c,
                                                  &v));
    }
    for (i = 0; i < t.nels; i++)
        element_column(&t, (lxw_col_t)(t.first_el + i), t.els[i]);
    worksheet_freeze_panes(t.data, 1, (lxw_col_t)t.first_el);
    write_notes(&t);
    if (t.err) {
        rc = t.err == LXW_ERROR_MEMORY_MALLOC_FAILED ? ZX_ENOMEM : ZX_EIO;
        goto fail;
    }
    t.err = workbook_close(t.wb);
    t.wb = NULL;
    if (t.err) {
        rc = ZX_EIO;
        goto fail;
    }
    opened = 0;
    if ((rc = zx_export_file_close(&out, 1)))
        goto fail;
    if (units)
        *units = n;

fail:
    if (t.wb)
        lxw_workbook_free(t.wb);
    if (opened)
        zx_export_file_close(&out, 0);
    free(t.els);
    return rc;
}
