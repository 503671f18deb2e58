/*
 * ingest.c - registry import (see ingest.h).
 *
 * One pass: each row is validated and, while the file is still clean,
 * written through the registry inside the one transaction; after the first
 * bad row writing stops but validation goes on, so every problem is
 * reported.  Any problem, or a dry run, rolls everything back.
 */
#include "ingest.h"
#include "audit.h"
#include "codes.h"
#include "map.h"
#include "regqueue.h"
#include "registry.h"
#include "sheetdef.h"
#include "text.h"
#include "xlsx.h"
#include "zx.h"

#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MAXCOLS 32

enum field {
    F_BIRTH,
    F_BOARDERS,
    F_CLASSES,
    F_EMPLOYMENT,
    F_END_YEAR,
    F_GENDER,
    F_GROUP,
    F_GROUP_HQ,
    F_LAT,
    F_LEVEL,
    F_LON,
    F_NAME,
    F_OWNER,
    F_POLITICAL,
    F_POST,
    F_ROLE,
    F_SCHOOL_CODE,
    F_SCHOOL_TYPE,
    F_SINCE_YEAR,
    F_SPECIAL,
    F_STAGE,
    F_START_YEAR,
    F_STUDENTS,
    F_SUBJECT,
    F_TEACHER_NO,
    F_TITLE,
    F_TOWN,
    F_TOWN_SEAT,
    F_URBAN_RURAL,
    F_YEAR,
    NFIELDS
};

/* English field names of the sheetdef columns, by enum field. */
static const char *const field_names[NFIELDS] = {
    "birth",
    "boarders",
    "classes",
    "employment",
    "end_year",
    "gender",
    "group",
    "group_hq",
    "lat",
    "level",
    "lon",
    "name",
    "owner",
    "political",
    "post",
    "role",
    "school_code",
    "school_type",
    "since_year",
    "special",
    "stage",
    "start_year",
    "students",
    "subject",
    "teacher_no",
    "title",
    "town",
    "town_seat",
    "urban_rural",
    "year",
};

/* One validated cell. */
struct ingest {
    zx_db *db;
    const zx_sheetdef *def;
    const char *name;
    zx_diag *diag;
    zx_registry *reg;
    zx_regqueue *q;          /* writes validated rows on a second thread */
    int header_done;
    int pos[MAXCOLS + 1];    /* sheetdef column -> file column, or -1 */
    const zx_codelist *list[MAXCOLS];
    char *text[MAXCOLS];     /* normalised cell text per sheetdef column */
    size_t textcap[MAXCOLS];
    zx_cell v[MAXCOLS + 1];
    zx_map *seen;            /* key -> first row, for duplicates in file */
    zx_map *hq;              /* group name key -> row setting it HQ */
    long rows, inserted, updated, unchanged; /* counts once joined */
    long bad;                /* rows with a problem */
    int now_ym;                 /* this month, as YYYYMM */
    int fx[NFIELDS];         /* field -> sheetdef column (a spare slot
                                when the sheet has no such field) */
};

static void complain(struct ingest *in, long row, int c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds a problem in sheetdef column c (or -1) of row. */
static void complain(struct ingest *in, long row, int c, const char *fmt, ...)
{
    char buf[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    zx_diag_add(in->diag, in->name, row, c >= 0 ? in->pos[c] : -1, "%s", buf);
}

int zx_ingest_header(const zx_sheetdef *def, const zx_row *row, int *pos,
                     const char *file, const char *unknown, zx_diag *diag)
{
    char first[8];
    int i, c, bad = 0;

    for (c = 0; c < def->n; c++)
        pos[c] = -1;
    for (i = 0; i < row->n; i++) {
        const char *h = row->cell[i];
        if (!*h)
            continue;
        c = zx_sheetdef_match(def, h);
        if (c < 0) {
            zx_diag_add(diag, file, row->line, i, "未知的表头“%s”：%s", h,
                        unknown);
            bad = 1;
        } else if (pos[c] >= 0) {
            zx_diag_colname(pos[c], first);
            zx_diag_add(diag, file, row->line, i,
                        "表头“%s”重复（与第 %s 列相同）", h, first);
            bad = 1;
        } else {
            pos[c] = i;
        }
    }
    for (c = 0; c < def->n; c++)
        if (def->cols[c].required && pos[c] < 0) {
            zx_diag_add(diag, file, row->line, -1, "缺少必需的表头“%s”",
                        def->cols[c].header);
            bad = 1;
        }
    return bad ? ZX_INGEST_STOP_HEADER : 0;
}

static int header(struct ingest *in, const zx_row *row)
{
    char unknown[256];

    snprintf(unknown, sizeof(unknown), "%s表不认识这一列（请对照模板检查"
             "拼写，或删除这一列）", in->def->title);
    in->header_done = 1;
    return zx_ingest_header(in->def, row, in->pos, in->name, unknown,
                            in->diag);
}

/* Year and month from the ways people write a month or a date (1985-03,
 * 1985年3月, 198503, 1985-03-12: see zx_text_parse_date; a day is checked
 * but not kept), or from an Excel serial number in an XLSX number cell. */
static int parse_month(const char *s, int kind, int *y, int *m)
{
    int d, secs;

    if (kind == ZX_CELL_NUMBER) {
        char *end;
        double serial = strtod(s, &end);
        if (*end == '\0' && serial > 366 && serial < 2958466)
            return zx_xlsx_serial_to_date(serial, 0, y, m, &d, &secs) ? -1
                                                                       : 0;
    }
    if (kind == ZX_CELL_DATE && strlen(s) > 10) {
        /* a date-time cell, "1986-04-15 08:30:00" with the space squashed
         * by normalisation: the date is its first ten characters */
        char day[11];
        memcpy(day, s, 10);
        day[10] = '\0';
        return zx_text_parse_date(day, 0, y, m, &d);
    }
    return zx_text_parse_date(s, 0, y, m, &d);
}

int zx_ingest_check(const zx_coldef *col, const char *raw, int kind,
                    int now_ym, char *buf, zx_cell *v, char *err,
                    size_t errcap)
{
    const zx_codelist *list;
    char desc[1024];
    int y, m;

    memset(v, 0, sizeof(*v));
    zx_text_norm(raw, buf, col->type == ZX_COL_TEXT && col->digits == 0
                               ? 0 : ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    v->s = buf;
    if (!*v->s) {
        if (col->required == 1) {
            snprintf(err, errcap, "“%s”不能为空", col->header);
            return -1;
        }
        return 0;
    }
    v->set = 1;

    switch (col->type) {
    case ZX_COL_TEXT:
        if (col->digits > 0 && (strlen(v->s) != (size_t)col->digits ||
                                strspn(v->s, "0123456789") != strlen(v->s))) {
            snprintf(err, errcap, "“%s”应为 %d 位数字，实为“%s”",
                     col->header, col->digits, v->s);
            return -1;
        }
        if (col->digits < 0 &&
            strspn(v->s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "abcdefghijklmnopqrstuvwxyz-_") != strlen(v->s)) {
            snprintf(err, errcap, "“%s”只能包含字母、数字、- 和 _，实为“%s”",
                     col->header, v->s);
            return -1;
        }
        if (col->maxlen && zx_text_chars(v->s) > (size_t)col->maxlen) {
            snprintf(err, errcap, "“%s”过长（最多 %d 个字）", col->header,
                     col->maxlen);
            return -1;
        }
        return 0;
    case ZX_COL_CODE: {
        int k;

        list = zx_codes_get(col->codelist);
        if ((k = zx_codes_find(list, v->s)) < 0) {
            zx_codes_describe(list, 1, desc, sizeof(desc));
            snprintf(err, errcap, "“%s”的值“%s”无效，应为：%s", col->header,
                     v->s, desc);
            return -1;
        }
        v->code = &list->items[k];
        if (list->numeric)
            v->i = atoll(v->code->code);
        return 0;
    }
    case ZX_COL_INT:
    case ZX_COL_YEAR: {
        double max = col->type == ZX_COL_YEAR ? zx_sheetdef_year_max(col)
                                              : col->max;
        size_t n = strlen(buf);

        if (col->type == ZX_COL_YEAR && n > 3 &&
            strcmp(buf + n - 3, "年") == 0)
            buf[n - 3] = '\0';
        if (zx_text_parse_int(buf, &v->i) != 0) {
            snprintf(err, errcap, "“%s”应为整数，实为“%s”", col->header,
                     raw);
            return -1;
        }
        if (v->i < col->min || v->i > max) {
            snprintf(err, errcap, "“%s”为 %lld，超出允许范围 %g～%g",
                     col->header, v->i, col->min, max);
            return -1;
        }
        return 0;
    }
    case ZX_COL_DEC: {
        char *end;

        v->d = strtod(v->s, &end);
        if (*end != '\0' || end == v->s) {
            snprintf(err, errcap, "“%s”应为数字，实为“%s”", col->header,
                     raw);
            return -1;
        }
        if (v->d < col->min || v->d > col->max) {
            snprintf(err, errcap, "“%s”为 %s，超出允许范围 %g～%g",
                     col->header, v->s, col->min, col->max);
            return -1;
        }
        return 0;
    }
    case ZX_COL_MONTH:
        if (parse_month(v->s, kind, &y, &m) != 0) {
            snprintf(err, errcap,
                     "“%s”无法识别“%s”，请写成 1985-03 或 1985年3月",
                     col->header, raw);
            return -1;
        }
        if (y * 100 + m > now_ym) {
            snprintf(err, errcap, "“%s”为 %04d-%02d，晚于当前日期",
                     col->header, y, m);
            return -1;
        }
        if (y < 1930) {
            snprintf(err, errcap, "“%s”为 %04d-%02d，早于 1930 年，请检查",
                     col->header, y, m);
            return -1;
        }
        snprintf(v->month, sizeof(v->month), "%04d-%02d", y, m);
        return 0;
    }
    return 0;
}

/* Validates cell c of row into in->v[c]; returns 0 or -1 (complained). */
static int check_cell(struct ingest *in, const zx_row *row, int c)
{
    const char *raw = in->pos[c] >= 0 && in->pos[c] < row->n
                          ? row->cell[in->pos[c]] : "";
    int kind = in->pos[c] >= 0 && in->pos[c] < row->n
                   ? row->kind[in->pos[c]] : ZX_CELL_TEXT;
    size_t len = strlen(raw);
    char err[768];

    if (len + 1 > in->textcap[c]) {
        char *t = realloc(in->text[c], len + 64);
        if (!t)
            return -1;
        in->text[c] = t;
        in->textcap[c] = len + 64;
    }
    if (zx_ingest_check(&in->def->cols[c], raw, kind, in->now_ym,
                        in->text[c], &in->v[c], err, sizeof(err))) {
        complain(in, row->line, c, "%s", err);
        return -1;
    }
    return 0;
}

static int col_of(const struct ingest *in, const char *field)
{
    int c;

    for (c = 0; c < in->def->n; c++)
        if (strcmp(in->def->cols[c].field, field) == 0)
            return c;
    return -1;
}

#define V(f) (&in->v[in->fx[f]])

/* Rejects a second row with the same key; key is built by the caller. */
static int check_dup(struct ingest *in, const zx_row *row, const char *key,
                     int c, const char *what)
{
    long long first;

    if (zx_map_get(in->seen, key, &first)) {
        complain(in, row->line, c, "%s与第 %lld 行重复", what, first);
        return -1;
    }
    return zx_map_put(in->seen, key, row->line) == 0 ? 0 : -1;
}

static int need_school(struct ingest *in, const zx_row *row)
{
    if (zx_registry_has_school(in->reg, V(F_SCHOOL_CODE)->s))
        return 0;
    complain(in, row->line, in->fx[F_SCHOOL_CODE],
             "学校标识码“%s”不存在，请先导入该学校", V(F_SCHOOL_CODE)->s);
    return -1;
}

static int need_teacher(struct ingest *in, const zx_row *row)
{
    if (zx_registry_has_teacher(in->reg, V(F_TEACHER_NO)->s))
        return 0;
    complain(in, row->line, in->fx[F_TEACHER_NO],
             "教师编号“%s”不存在，请先导入该教师", V(F_TEACHER_NO)->s);
    return -1;
}

/* Cross-field checks and the write, per kind.  Returns 0, -1 when the row
 * is invalid (already reported), or ZX_INGEST_STOP_DB. */
static int put_row(struct ingest *in, const zx_row *row, int write)
{
    const char *kind = in->def->kind;
    char key[160];
    int rc = ZX_OK, bad = 0;

    if (strcmp(kind, "schools") == 0) {
        zx_school_rec r;
        bad |= check_dup(in, row, V(F_SCHOOL_CODE)->s,
                         in->fx[F_SCHOOL_CODE], "学校标识码");
        if (V(F_GROUP_HQ)->set && strcmp(V(F_GROUP_HQ)->code->name, "是") == 0) {
            if (!V(F_GROUP)->set) {
                complain(in, row->line, in->fx[F_GROUP_HQ],
                         "填写了“集团总校”为“是”，但“所属集团”为空");
                bad = 1;
            } else {
                char gkey[256];
                long long first;
                zx_text_norm(V(F_GROUP)->s, gkey,
                             ZX_NORM_PUNCT | ZX_NORM_SQUASH);
                if (zx_map_get(in->hq, gkey, &first)) {
                    complain(in, row->line, in->fx[F_GROUP_HQ],
                             "集团“%s”的总校已在第 %lld 行指定，"
                             "每个集团只能有一所总校", V(F_GROUP)->s, first);
                    bad = 1;
                } else if (zx_map_put(in->hq, gkey, row->line)) {
                    return ZX_INGEST_STOP_DB;
                }
            }
        }
        if (V(F_LON)->set != V(F_LAT)->set) {
            complain(in, row->line,
                     V(F_LON)->set ? in->fx[F_LAT] : in->fx[F_LON],
                     "经度和纬度须同时填写");
            bad = 1;
        }
        if (bad || !write)
            return bad ? -1 : 0;
        memset(&r, 0, sizeof(r));
        r.code = V(F_SCHOOL_CODE)->s;
        r.name = V(F_NAME)->s;
        r.town = V(F_TOWN)->s;
        r.group = V(F_GROUP)->set ? V(F_GROUP)->s : NULL;
        r.type_code = (int)V(F_SCHOOL_TYPE)->i;
        r.urban_rural = (int)V(F_URBAN_RURAL)->i;
        r.town_seat = strcmp(V(F_TOWN_SEAT)->code->name, "是") == 0;
        r.owner = (int)V(F_OWNER)->i;
        r.group_hq = V(F_GROUP_HQ)->set &&
                     strcmp(V(F_GROUP_HQ)->code->name, "是") == 0;
        r.has_lonlat = V(F_LON)->set && V(F_LAT)->set;
        r.lon = V(F_LON)->d;
        r.lat = V(F_LAT)->d;
        rc = zx_regqueue_put(in->q, &r, row->line);
    } else if (strcmp(kind, "enrolment") == 0) {
        zx_enrol_rec r;
        snprintf(key, sizeof(key), "%s/%lld", V(F_SCHOOL_CODE)->s,
                 V(F_YEAR)->i);
        bad |= check_dup(in, row, key, in->fx[F_YEAR],
                         "学校标识码与年度");
        bad |= need_school(in, row);
        if (V(F_BOARDERS)->i > V(F_STUDENTS)->i) {
            complain(in, row->line, in->fx[F_BOARDERS],
                     "寄宿生数 %lld 大于在校生数 %lld", V(F_BOARDERS)->i,
                     V(F_STUDENTS)->i);
            bad = 1;
        }
        if (V(F_SPECIAL)->i > V(F_STUDENTS)->i) {
            complain(in, row->line, in->fx[F_SPECIAL],
                     "随班就读残疾学生数 %lld 大于在校生数 %lld",
                     V(F_SPECIAL)->i, V(F_STUDENTS)->i);
            bad = 1;
        }
        if (bad || !write)
            return bad ? -1 : 0;
        r.school_code = V(F_SCHOOL_CODE)->s;
        r.year = (int)V(F_YEAR)->i;
        r.students = (int)V(F_STUDENTS)->i;
        r.classes = (int)V(F_CLASSES)->i;
        r.boarders = (int)V(F_BOARDERS)->i;
        r.special = (int)V(F_SPECIAL)->i;
        rc = zx_regqueue_put(in->q, &r, row->line);
    } else if (strcmp(kind, "teachers") == 0) {
        zx_teacher_rec r;
        bad |= check_dup(in, row, V(F_TEACHER_NO)->s,
                         in->fx[F_TEACHER_NO], "教师编号");
        bad |= need_school(in, row);
        if (V(F_SINCE_YEAR)->i < atoi(V(F_BIRTH)->month) + 16) {
            complain(in, row->line, in->fx[F_SINCE_YEAR],
                     "本校任职起始年份 %lld 早于该教师 16 岁", V(F_SINCE_YEAR)->i);
            bad = 1;
        }
        if (bad || !write)
            return bad ? -1 : 0;
        r.teacher_no = V(F_TEACHER_NO)->s;
        r.name = V(F_NAME)->s;
        r.gender = (int)V(F_GENDER)->i;
        r.birth = V(F_BIRTH)->month;
        r.school_code = V(F_SCHOOL_CODE)->s;
        r.stage = (int)V(F_STAGE)->i;
        r.subject = (int)V(F_SUBJECT)->i;
        r.title = (int)V(F_TITLE)->i;
        r.employment = (int)V(F_EMPLOYMENT)->i;
        r.post = (int)V(F_POST)->i;
        r.since_year = (int)V(F_SINCE_YEAR)->i;
        r.political = (int)V(F_POLITICAL)->i; /* 0 when blank */
        rc = zx_regqueue_put(in->q, &r, row->line);
    } else {
        zx_role_rec r;
        const char *title = V(F_ROLE)->code->name;
        const char *level = V(F_LEVEL)->set ? V(F_LEVEL)->code->name : "";
        snprintf(key, sizeof(key), "%s/%s/%s/%lld", V(F_TEACHER_NO)->s,
                 title, level, V(F_START_YEAR)->i);
        bad |= check_dup(in, row, key, in->fx[F_START_YEAR],
                         "教师编号、称号、级别与起始年份");
        bad |= need_teacher(in, row);
        if (!*level && (strcmp(title, "学科带头人") == 0 ||
                        strcmp(title, "骨干教师") == 0 ||
                        strcmp(title, "教学能手") == 0 ||
                        strcmp(title, "名师工作室领衔人") == 0)) {
            complain(in, row->line, in->fx[F_LEVEL],
                     "称号“%s”须填写级别", title);
            bad = 1;
        }
        if (V(F_END_YEAR)->set && V(F_END_YEAR)->i < V(F_START_YEAR)->i) {
            complain(in, row->line, in->fx[F_END_YEAR],
                     "截止年份 %lld 早于起始年份 %lld", V(F_END_YEAR)->i,
                     V(F_START_YEAR)->i);
            bad = 1;
        }
        if (bad || !write)
            return bad ? -1 : 0;
        r.teacher_no = V(F_TEACHER_NO)->s;
        r.title = title;
        r.level = level;
        r.start_year = (int)V(F_START_YEAR)->i;
        r.end_year = V(F_END_YEAR)->set ? (int)V(F_END_YEAR)->i : 0;
        rc = zx_regqueue_put(in->q, &r, row->line);
    }

    /* the writer's own failure is reported once, when it is joined */
    return rc ? ZX_INGEST_STOP_DB : 0;
}

static int on_row(void *ctx, const zx_row *row)
{
    struct ingest *in = ctx;
    int c, bad = 0, rc;

    if (!in->header_done)
        return header(in, row);
    in->rows++;
    for (c = 0; c < in->def->n; c++)
        if (check_cell(in, row, c) != 0)
            bad = 1;
    /* cross-field checks need valid cells; writing stops at the first bad
     * row since everything will be rolled back anyway */
    if (!bad) {
        rc = put_row(in, row, in->bad == 0);
        if (rc == ZX_INGEST_STOP_DB)
            return ZX_INGEST_STOP_DB;
        bad = rc != 0;
    }
    if (bad)
        in->bad++;
    return 0;
}

static enum zx_rec_kind rec_kind(const char *kind)
{
    return strcmp(kind, "schools") == 0     ? ZX_REC_SCHOOL
           : strcmp(kind, "enrolment") == 0 ? ZX_REC_ENROL
           : strcmp(kind, "teachers") == 0  ? ZX_REC_TEACHER
                                            : ZX_REC_ROLE;
}

/* Waits for the writer to apply every queued row and takes its counts;
 * reports a failed write at its row.  Safe to call twice. */
static int join_writer(struct ingest *in)
{
    zx_regqueue_result r;

    if (!in->q)
        return ZX_OK;
    zx_regqueue_finish(in->q, &r);
    in->q = NULL;
    in->inserted = r.inserted;
    in->updated = r.updated;
    in->unchanged = r.unchanged;
    if (r.rc == ZX_EDB)
        zx_diag_add(in->diag, in->name, r.fail_tag, -1,
                    "数据库写入失败：%s", zx_db_errmsg(in->db));
    else if (r.rc)
        zx_diag_add(in->diag, in->name, r.fail_tag, -1, "写入失败：%s",
                    zx_strerror(r.rc));
    return r.rc;
}

static void on_hq_conflict(void *ctx, const char *group, const char *schools)
{
    struct ingest *in = ctx;
    char gkey[256];
    long long row = 0;

    if (strlen(group) < sizeof(gkey)) {
        zx_text_norm(group, gkey, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
        zx_map_get(in->hq, gkey, &row);
    }
    zx_diag_add(in->diag, in->name, row,
                row ? in->pos[in->fx[F_GROUP_HQ]] : -1,
                "集团“%s”将有不止一所总校（学校标识码 %s），每个集团只能有一所"
                "总校：请把原总校的“集团总校”改为“否”", group, schools);
    in->bad++;
}

/* BLAKE2b-256 of the file, recorded with the import so that the audit log
 * identifies exactly which file was loaded.  Read in blocks rather than
 * mapped, so that a pipe or a special file hashes too. */
static int file_digest(const char *path, char hex[65])
{
    unsigned char h[32], buf[65536];
    crypto_generichash_state st;
    ssize_t n;
    int fd;

    if (sodium_init() < 0)
        return ZX_ENOMEM;
    if ((fd = open(path, O_RDONLY)) < 0)
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

int zx_ingest_record(zx_db *db, const zx_ingest_batch *b)
{
    char digest[65], now[32], key[32], *js = NULL;
    const char *at = b->at;
    sqlite3_stmt *st;
    zx_audit_entry e;
    json_t *j = NULL;
    int rc;

    if ((rc = file_digest(b->path, digest)))
        return rc;
    if (!at) {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
        at = now;
    }
    st = zx_db_prepare(db, "INSERT INTO import_batch(at, actor, kind, file,"
                           " sha256, rows, inserted, updated, unchanged)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, b->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, b->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, b->rows);
    sqlite3_bind_int64(st, 7, b->inserted);
    sqlite3_bind_int64(st, 8, b->updated);
    sqlite3_bind_int64(st, 9, b->unchanged);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return ZX_EDB;
    snprintf(key, sizeof(key), "%lld",
             (long long)sqlite3_last_insert_rowid(zx_db_sqlite(db)));

    rc = ZX_ENOMEM;
    j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "kind", b->kind,
                  "file", b->name, "blake2b", digest, "rows",
                  (json_int_t)b->rows, "inserted", (json_int_t)b->inserted,
                  "updated", (json_int_t)b->updated, "unchanged",
                  (json_int_t)b->unchanged);
    if (!j || (b->extra && json_object_update(j, b->extra)))
        goto fail;
    /* sorted keys: the entry does not depend on who added which field */
    if (!(js = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)))
        goto fail;
    e.actor = b->actor;
    e.addr = "";
    e.action = "import";
    e.tbl = b->kind;
    e.key = key;
    e.old = NULL;
    e.new_ = js;
    rc = zx_audit_append(db, &e);

fail:
    json_decref(j);
    free(js);
    return rc;
}

const char *zx_ingest_format(const char *path)
{
    size_t n = strlen(path);

    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0 ? "XLSX" : "CSV";
}

/* zx_ingest_run's row callback: the importer's header callback for the
 * first row, its row callback after. */
struct run {
    const zx_ingest_job *job;
    int header_done;
};

static int run_row(void *ctx, const zx_row *row)
{
    struct run *r = ctx;

    if (r->header_done)
        return r->job->importer->row(r->job->ctx, row);
    r->header_done = 1;
    return r->job->importer->header(r->job->ctx, row);
}

/* Reads the file through the importer's callbacks: ZX_OK when it had a header
 * and no bad row, else why not (said in diag). */
static int run_read(const zx_ingest_job *job)
{
    struct run r = { .job = job };
    int rc = zx_table_read(job->path, job->name, run_row, &r, job->progress,
                           job->pctx, job->diag);

    switch (rc) {
    case ZX_INGEST_STOP_HEADER:
        return ZX_EDATA;
    case ZX_INGEST_STOP_DB:
        return ZX_EDB;
    case ZX_INGEST_STOP_NOMEM:
        return ZX_ENOMEM;
    }
    if (rc)
        return rc;
    if (!r.header_done) {
        zx_diag_add(job->diag, job->name, 0, -1, "文件是空的：没有表头行");
        return ZX_EDATA;
    }
    return job->counts->bad ? ZX_EDATA : ZX_OK;
}

/* Records the batch and commits, saying in diag what failed. */
static int run_commit(zx_db *db, const zx_ingest_job *job)
{
    const zx_ingest_counts *n = job->counts;
    zx_ingest_batch b = { .kind = job->importer->kind, .path = job->path,
                          .name = job->name, .actor = job->actor,
                          .at = job->at, .rows = n->rows,
                          .inserted = n->inserted, .updated = n->updated,
                          .unchanged = n->unchanged };
    json_t *(*extra)(void *ctx) = job->importer->extra;
    int rc = ZX_ENOMEM;

    if (!extra || (b.extra = extra(job->ctx)))
        rc = zx_ingest_record(db, &b);
    json_decref(b.extra);
    if (rc) {
        zx_diag_add(job->diag, job->name, 0, -1, "无法记录本次导入：%s",
                    rc == ZX_EDB ? zx_db_errmsg(db) : zx_strerror(rc));
        return rc;
    }
    if ((rc = zx_db_commit(db)))
        zx_diag_add(job->diag, job->name, 0, -1, "数据库提交失败：%s",
                    zx_db_errmsg(db));
    return rc;
}

int zx_ingest_run(zx_db *db, const zx_ingest_job *job)
{
    int rc;

    memset(job->counts, 0, sizeof(*job->counts));
    if ((rc = zx_db_begin(db))) {
        zx_diag_add(job->diag, job->name, 0, -1, "无法开始写入数据库：%s",
                    zx_db_errmsg(db));
        return rc;
    }
    /* a dry run ends like a failure: rolled back */
    if ((rc = run_read(job)) || job->dry_run || (rc = run_commit(db, job)))
        zx_db_rollback(db);
    return rc;
}

static void collect_created(struct ingest *in, zx_ingest_result *res)
{
    int n = zx_registry_created_count(in->reg), i;

    if (n == 0)
        return;
    res->created = calloc((size_t)n, sizeof(char *));
    if (!res->created)
        return;
    for (i = 0; i < n; i++) {
        const char *kind, *name, *code;
        char buf[512];
        zx_registry_created(in->reg, i, &kind, &name, &code);
        snprintf(buf, sizeof(buf), "%s %s（编码 %s）",
                 strcmp(kind, "town") == 0 ? "区镇" : "集团", name, code);
        res->created[i] = strdup(buf);
        if (res->created[i])
            res->ncreated++;
    }
}

int zx_ingest_file(zx_db *db, const char *kind, const char *path,
                   const char *name, int dry_run, const char *actor,
                   zx_progress_fn progress, void *pctx, zx_diag *diag,
                   zx_ingest_result *res)
{
    struct ingest in;
    time_t now = time(NULL);
    struct tm tm;
    int rc, c, began = 0;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    in.db = db;
    in.def = zx_sheetdef_get(kind);
    in.name = name ? name : path;
    in.diag = diag;
    if (!in.def || in.def->n > MAXCOLS)
        return ZX_EINVAL;
    localtime_r(&now, &tm);
    in.now_ym = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
    /* fields the sheet lacks point at an always-empty spare cell */
    in.pos[MAXCOLS] = -1;
    for (c = 0; c < NFIELDS; c++) {
        int k = col_of(&in, field_names[c]);
        in.fx[c] = k >= 0 ? k : MAXCOLS;
    }
    for (c = 0; c < in.def->n; c++)
        if (in.def->cols[c].type == ZX_COL_CODE)
            in.list[c] = zx_codes_get(in.def->cols[c].codelist);
    snprintf(res->format, sizeof(res->format), "%s", zx_ingest_format(path));

    rc = ZX_ENOMEM;
    in.seen = zx_map_new();
    in.hq = zx_map_new();
    if (!in.seen || !in.hq)
        goto fail;
    if ((rc = zx_db_begin(db))) {
        zx_diag_add(diag, in.name, 0, -1, "无法开始写入数据库：%s",
                    zx_db_errmsg(db));
        goto fail;
    }
    began = 1;
    rc = zx_registry_open(db, actor, &in.reg);
    if (rc == ZX_ENOTFOUND) {
        zx_diag_add(diag, in.name, 0, -1,
                    "数据库尚未初始化，请先运行 zhenxing init");
        goto fail;
    } else if (rc) {
        goto fail;
    }
    if ((rc = zx_regqueue_start(in.reg, rec_kind(kind), &in.q)))
        goto fail;

    rc = zx_table_read(path, in.name, on_row, &in, progress, pctx, diag);
    if (join_writer(&in) != ZX_OK &&
        (rc == ZX_OK || rc == ZX_INGEST_STOP_DB)) {
        rc = ZX_EDB;
        goto fail;
    }
    if (rc == ZX_INGEST_STOP_HEADER) {
        rc = ZX_EDATA;
        goto fail;
    } else if (rc == ZX_INGEST_STOP_DB) {
        rc = ZX_EDB;
        goto fail;
    } else if (rc) {
        goto fail;
    }
    if (!in.header_done) {
        zx_diag_add(diag, in.name, 0, -1, "文件是空的：没有表头行");
        rc = ZX_EDATA;
        goto fail;
    }
    if (strcmp(kind, "schools") == 0 && in.bad == 0 &&
        (rc = zx_registry_hq_conflicts(in.reg, on_hq_conflict, &in)))
        goto fail;
    res->rows = in.rows;
    res->inserted = in.inserted;
    res->updated = in.updated;
    res->unchanged = in.unchanged;
    collect_created(&in, res);
    if (in.bad) {
        rc = ZX_EDATA;
        goto fail;
    }
    if (dry_run) {
        rc = ZX_OK;
        goto fail; /* a dry run ends like a failure: rolled back */
    }
    {
        zx_ingest_batch b = { .kind = in.def->kind, .path = path,
                              .name = in.name, .actor = actor,
                              .rows = in.rows, .inserted = in.inserted,
                              .updated = in.updated,
                              .unchanged = in.unchanged };
        if ((rc = zx_ingest_record(db, &b)))
            goto fail;
    }
    if ((rc = zx_db_commit(db)))
        goto fail;
    began = 0;
    rc = ZX_OK;

fail:
    join_writer(&in);
    if (began)
        zx_db_rollback(db);
    zx_registry_close(in.reg);
    zx_map_free(in.seen);
    zx_map_free(in.hq);
    for (c = 0; c < MAXCOLS; c++)
        free(in.text[c]);
    return rc;
}

void zx_ingest_result_free(zx_ingest_result *res)
{
    int i;

    for (i = 0; i < res->ncreated; i++)
        free(res->created[i]);
    free(res->created);
    res->created = NULL;
    res->ncreated = 0;
}
