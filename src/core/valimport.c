/*
 * valimport.c - importing a sheet of data values (zx_values_import, see
 * values.h): one row per unit, one column per data element.
 *
 * The import follows ingest.c: the whole file in one transaction, writing
 * only while it is clean but checking every cell, so that all its problems
 * are reported at once and any of them rolls everything back; it runs
 * through zx_ingest_run, which records it like a registry import.  Unlike
 * the registry import it needs no writer thread: a sheet has a row per
 * unit, far fewer than a registry has teachers, and a cell costs one
 * indexed read and at most one write.  Each cell goes through the parser
 * and writer of values.c (valint.h), so it is stored and audited as
 * zx_values_set would.
 */
#include "valint.h"
#include "ingest.h"
#include "map.h"
#include "text.h"
#include "zx.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int zx_values_sheet_level(const char *header)
{
    char full[256], bare[256];

    norm_header(header, full, bare, sizeof(full));
    return key_level(bare);
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
    enum zx_level level;
    char key_header[256];  /* the first column's header, for messages */
    int ncols;
    unsigned char *role;   /* per file column */
    const zx_data_element **de; /* per file column, for COL_ELEMENT */
    int year_col;          /* or -1 */
    struct units u;
    zx_map *seen;          /* "element/unit/year" -> first row */
    zx_values_parsed p;
    char *norm;            /* normalised key and year cells */
    size_t normcap;
    zx_ingest_counts n;
    long blank;            /* element cells left blank */
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

static int header(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;
    char full[256], bare[256], first[8], shown[128], keyfull[256];
    const zx_data_element *de;
    int c, k, bad = 0, nel = 0, yearly = 0, lvl;

    in->ncols = row->n;
    in->role = calloc((size_t)row->n + 1, 1);
    in->de = calloc((size_t)row->n + 1, sizeof(*in->de));
    if (!in->role || !in->de)
        return ZX_INGEST_STOP_NOMEM;
    norm_header(row->n ? row->cell[0] : "", keyfull, bare, sizeof(bare));
    lvl = key_level(bare);
    if (lvl < 0) {
        complain(in, row->line, 0, "第一列应为单位的标识：学校标识码（学校）、"
                 "区镇编码或区镇（区镇）、集团编码或集团（集团）或教师编号"
                 "（教师），实为“%s”",
                 zx_text_clip(keyfull, shown, sizeof(shown)));
        return ZX_INGEST_STOP_HEADER;
    }
    in->level = (enum zx_level)lvl;
    in->role[0] = COL_KEY;
    snprintf(in->key_header, sizeof(in->key_header), "%s", bare);

    for (c = 1; c < row->n; c++) {
        norm_header(row->cell[c], full, bare, sizeof(full));
        if (!*full && strlen(row->cell[c]) >= sizeof(full)) {
            complain(in, row->line, c, "未知的表头“%s”：过长",
                     zx_text_clip(row->cell[c], shown, sizeof(shown)));
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
                             de->name, zx_values_level_title(in->level),
                             de->id);
                else
                    complain(in, row->line, c, "“%s”是按%s填报的数据项，不能"
                             "填在%s表中：请使用%s模板（zhenxing template "
                             "values --level %s）", de->name,
                             zx_values_level_title(de->level),
                             zx_values_level_title(in->level),
                             zx_values_level_title(de->level),
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
                     zx_text_clip(full, shown, sizeof(shown)));
            bad = 1;
        } else if (key_level(bare) < 0 && !is_info(bare)) {
            complain(in, row->line, c, "未知的表头“%s”：不是计划中的数据项（"
                     "请对照模板检查拼写，或删除这一列）",
                     zx_text_clip(full, shown, sizeof(shown)));
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
        return ZX_INGEST_STOP_HEADER;
    switch (units_load(in)) {
    case ZX_OK:
        return 0;
    case ZX_ENOMEM:
        return ZX_INGEST_STOP_NOMEM;
    default:
        complain(in, row->line, -1, "数据库读取失败：%s",
                 zx_db_errmsg(in->db));
        return ZX_INGEST_STOP_DB;
    }
}

/* Cell c of row normalised for matching (a key or a year), in in->norm;
 * NULL when out of memory. */
static const char *cell_key(struct imp *in, const zx_row *row, int c)
{
    return zx_values_norm(c < row->n ? row->cell[c] : "", &in->norm,
                          &in->normcap, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
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
    if (zx_text_parse_int(t, &y) != 0 ||
        !zx_values_has_year(in->plan, (int)y) || y != (int)y) {
        zx_values_years_text(in->plan, years, sizeof(years));
        complain(in, row->line, in->year_col, "“年度”应为 %s 之一，实为“%s”",
                 years, zx_text_clip(s, shown, sizeof(shown)));
        return -1;
    }
    *year = (int)y;
    return 0;
}

static int data_row(void *ctx, const zx_row *row)
{
    struct imp *in = ctx;
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
    unsigned locked = 0;   /* bit 1: the row's year, bit 0: year 0 */

    /* a row of spaces is as blank as an empty one */
    for (c = 0; c < row->n; c++) {
        if (!(s = cell_key(in, row, c)))
            return ZX_INGEST_STOP_NOMEM;
        if (*s)
            break;
    }
    if (c == row->n)
        return 0;
    in->n.rows++;

    if (!(s = cell_key(in, row, 0)))
        return ZX_INGEST_STOP_NOMEM;
    if (!*s) {
        complain(in, row->line, 0, "“%s”不能为空", in->key_header);
        bad = 1;
    } else if (!zx_map_get(in->u.index, s, &pos)) {
        complain(in, row->line, 0, "%s“%s”不存在%s", what[in->level],
                 zx_text_clip(s, shown, sizeof(shown)), hint[in->level]);
        bad = 1;
    }
    year_bad = row_year(in, row, &year) != 0;
    bad |= year_bad;
    year_blank = !year_bad && year == 0;

    for (c = 1; c < in->ncols; c++) {
        const zx_data_element *de = in->de[c];
        zx_values_target t;

        if (in->role[c] != COL_ELEMENT)
            continue;
        rc = zx_values_parse(de, c < row->n ? row->cell[c] : "",
                         c < row->n ? row->kind[c] : ZX_CELL_TEXT, &in->p,
                         err, sizeof(err));
        if (rc == ZX_ENOMEM)
            return ZX_INGEST_STOP_NOMEM;
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
                     "填写一次", first, zx_values_level_title(in->level),
                     de->name, de->yearly ? "在同一年度" : "");
            bad = 1;
            continue;
        }
        if (zx_map_put(in->seen, dkey, row->line))
            return ZX_INGEST_STOP_NOMEM;
        /* checked even in a bad file, so that every locked row shows */
        rc = zx_values_check_lock(in->db, in->plan, &t, &in->p, err,
                                  sizeof(err));
        if (rc == ZX_EDATA) {
            unsigned bit = de->yearly ? 2u : 1u;
            if (!(locked & bit))
                complain(in, row->line, c, "%s", err);
            locked |= bit;
            bad = 1;
            continue;
        }
        if (rc) {
            complain(in, row->line, c, "数据库读取失败：%s",
                     zx_db_errmsg(in->db));
            return rc == ZX_ENOMEM ? ZX_INGEST_STOP_NOMEM : ZX_INGEST_STOP_DB;
        }
        /* once the file is known to be bad nothing will be kept */
        if (bad || in->n.bad)
            continue;
        if ((rc = zx_values_write(in->db, &t, &in->p, in->actor, in->at,
                                  &change))) {
            complain(in, row->line, c, "数据库写入失败：%s",
                     zx_db_errmsg(in->db));
            return rc == ZX_ENOMEM ? ZX_INGEST_STOP_NOMEM : ZX_INGEST_STOP_DB;
        }
        if (change == ZX_VALUES_INSERTED)
            in->n.inserted++;
        else if (change == ZX_VALUES_UPDATED)
            in->n.updated++;
        else
            in->n.unchanged++;
    }
    if (bad)
        in->n.bad++;
    return 0;
}

/* What the record of a values import has besides a registry import's:
 * the level and the count of blank cells. */
static json_t *batch_extra(void *ctx)
{
    struct imp *in = ctx;

    return json_pack("{s:s, s:I}", "level", zx_level_name(in->level),
                     "blank", (json_int_t)in->blank);
}

static const zx_ingest_importer importer = {
    "values", header, data_row, batch_extra
};

int zx_values_import(zx_db *db, const zx_plan *plan, const char *path,
                     const char *name, int dry_run, const char *actor,
                     zx_progress_fn progress, void *pctx, zx_diag *diag,
                     zx_values_result *res)
{
    struct imp in;
    /* the batch is recorded at the time its values carry (in.at) */
    zx_ingest_job job = { .importer = &importer, .ctx = &in, .counts = &in.n,
                          .path = path, .name = name ? name : path,
                          .actor = actor, .at = in.at, .dry_run = dry_run,
                          .progress = progress, .pctx = pctx, .diag = diag };
    int rc = ZX_ENOMEM;

    memset(res, 0, sizeof(*res));
    memset(&in, 0, sizeof(in));
    in.db = db;
    in.plan = plan;
    in.name = job.name;
    in.actor = actor;
    in.diag = diag;
    in.year_col = -1;
    zx_values_now(in.at, sizeof(in.at));
    snprintf(res->format, sizeof(res->format), "%s", zx_ingest_format(path));
    if (!(in.seen = zx_map_new()))
        goto fail;
    rc = zx_ingest_run(db, &job);
    res->rows = in.n.rows;
    res->inserted = in.n.inserted;
    res->updated = in.n.updated;
    res->unchanged = in.n.unchanged;
    res->blank = in.blank;

fail:
    units_free(&in.u);
    zx_map_free(in.seen);
    free(in.role);
    free(in.de);
    free(in.p.buf);
    free(in.norm);
    return rc;
}
