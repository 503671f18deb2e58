/*
 * itinxlsx.c - the itinerant timetables as a workbook (itinerant.h): a
 * sheet 总表 listing every day, then one sheet per teacher (or school)
 * laid out Monday to Friday, so that a teacher or a school clerk can
 * print their own week.  The CLI and the API both write it, so the two
 * give the same file.
 */
#include "itinerant.h"

#include "codes.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* A slot row copied out of the listing. */
typedef struct row {
    int day, subject;
    double hours, travel;
    char *tno, *tname, *hcode, *hname, *scode, *sname;
} row;

typedef struct rows {
    row *v;
    int n, cap, err;
    int (*keep)(void *ctx, zx_itinerant_slot_row *r);
    void *kctx;
} rows;

static void free_rows(rows *rs)
{
    int i;

    for (i = 0; i < rs->n; i++) {
        free(rs->v[i].tno);
        free(rs->v[i].tname);
        free(rs->v[i].hcode);
        free(rs->v[i].hname);
        free(rs->v[i].scode);
        free(rs->v[i].sname);
    }
    free(rs->v);
}

static int collect(void *ctx, const zx_itinerant_slot_row *given)
{
    rows *rs = ctx;
    zx_itinerant_slot_row copy = *given, *r = &copy;
    row *x;

    if (rs->keep && !rs->keep(rs->kctx, r))
        return 0;
    if (!(x = zx_push((void **)&rs->v, &rs->n, &rs->cap, sizeof(*x))))
        return ZX_ENOMEM;
    x->day = r->day;
    x->subject = r->subject;
    x->hours = r->hours;
    x->travel = r->travel_min;
    x->tno = strdup(r->teacher_no);
    x->tname = strdup(r->teacher_name);
    x->hcode = strdup(r->home_code);
    x->hname = strdup(r->home_name);
    x->scode = strdup(r->school_code);
    x->sname = strdup(r->school_name);
    if (!x->tno || !x->tname || !x->hcode || !x->hname || !x->scode ||
        !x->sname)
        return ZX_ENOMEM;
    return 0;
}

static const char *subject_name(int code)
{
    const char *s = zx_codes_name_of(zx_codes_get("subject"), code);

    return s ? s : "";
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters (cut at
 * a UTF-8 boundary). */
static void sheet_name(const char *a, const char *b, char out[128])
{
    size_t n = 0, chars = 0;
    const char *p;

    snprintf(out, 128, "%s %s", a, b);
    for (p = out; *p && chars < 31; chars++) {
        size_t len = 1;

        while ((p[len] & 0xc0) == 0x80)
            len++;
        p += len;
    }
    n = (size_t)(p - out);
    out[n] = 0;
    for (p = out; *p; p++)
        if (strchr("[]:*?/\\", *p))
            out[p - out] = '_';
}

static void write_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v)
{
    if (!isnan(v))
        worksheet_write_number(ws, r, c, v, NULL);
}

/* One sheet per key (teacher number, or school code): a title line, a
 * header and the five days, a day with nothing shown empty. */
static void write_week(lxw_workbook *wb, const rows *rs, int a, int b,
                       int by_school, lxw_format *bold, int seq)
{
    const row *f = &rs->v[a];
    char name[128], title[512];
    lxw_worksheet *ws;
    lxw_row_t r = 2;
    int day, i;

    if (by_school)
        sheet_name(f->scode, f->sname, name);
    else
        sheet_name(f->tno, f->tname, name);
    if (!(ws = workbook_add_worksheet(wb, name))) {
        snprintf(name, sizeof(name), "表%d", seq);
        if (!(ws = workbook_add_worksheet(wb, name)))
            return;
    }
    if (by_school)
        snprintf(title, sizeof(title), "%s %s 走教课表", f->scode, f->sname);
    else
        snprintf(title, sizeof(title), "%s %s（%s，%s）走教课表", f->tno,
                 f->tname, subject_name(f->subject), f->hname);
    worksheet_write_string(ws, 0, 0, title, bold);
    worksheet_write_string(ws, 1, 0, "星期", bold);
    worksheet_write_string(ws, 1, 1, by_school ? "教师工号" : "学校标识码",
                           bold);
    worksheet_write_string(ws, 1, 2, by_school ? "教师姓名" : "学校名称",
                           bold);
    worksheet_write_string(ws, 1, 3, "学科", bold);
    worksheet_write_string(ws, 1, 4, "课时(节)", bold);
    worksheet_write_string(ws, 1, 5, "单程路程(分钟)", bold);
    worksheet_set_column(ws, 0, 0, 8, NULL);
    worksheet_set_column(ws, 1, 1, 14, NULL);
    worksheet_set_column(ws, 2, 2, 28, NULL);
    worksheet_set_column(ws, 3, 5, 14, NULL);
    for (day = 1; day <= ZX_ITINERANT_DAYS; day++) {
        int any = 0;

        for (i = a; i < b; i++) {
            const row *x = &rs->v[i];

            if (x->day != day)
                continue;
            worksheet_write_string(ws, r, 0, zx_itinerant_day_name(day),
                                   NULL);
            worksheet_write_string(ws, r, 1, by_school ? x->tno : x->scode,
                                   NULL);
            worksheet_write_string(ws, r, 2, by_school ? x->tname : x->sname,
                                   NULL);
            worksheet_write_string(ws, r, 3, subject_name(x->subject), NULL);
            write_num(ws, r, 4, x->hours);
            write_num(ws, r, 5, x->travel);
            r++;
            any = 1;
        }
        if (!any)
            worksheet_write_string(ws, r++, 0, zx_itinerant_day_name(day),
                                   NULL);
    }
}

static void write_all(lxw_worksheet *ws, const rows *rs, lxw_format *bold)
{
    static const char *const heads[] = {
        "星期", "教师工号", "教师姓名", "所在学校", "走教学校标识码",
        "走教学校名称", "学科", "课时(节)", "单程路程(分钟)"
    };
    int i, c;

    for (c = 0; c < 9; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             c == 3 || c == 5 ? 28 : 14, NULL);
    }
    for (i = 0; i < rs->n; i++) {
        const row *x = &rs->v[i];
        lxw_row_t r = (lxw_row_t)i + 1;

        worksheet_write_string(ws, r, 0, zx_itinerant_day_name(x->day), NULL);
        worksheet_write_string(ws, r, 1, x->tno, NULL);
        worksheet_write_string(ws, r, 2, x->tname, NULL);
        worksheet_write_string(ws, r, 3, x->hname, NULL);
        worksheet_write_string(ws, r, 4, x->scode, NULL);
        worksheet_write_string(ws, r, 5, x->sname, NULL);
        worksheet_write_string(ws, r, 6, subject_name(x->subject), NULL);
        write_num(ws, r, 7, x->hours);
        write_num(ws, r, 8, x->travel);
    }
    if (rs->n)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)rs->n, 8);
    worksheet_freeze_panes(ws, 1, 0);
}

int zx_itinerant_write_xlsx(zx_db *db, int year, const char *teacher,
                            const char *school, int by_school,
                            int (*keep)(void *ctx, zx_itinerant_slot_row *r),
                            void *kctx, const char *banner,
                            const char *path)
{
    rows rs;
    lxw_workbook *wb = NULL;
    lxw_worksheet *all;
    lxw_format *bold;
    int a, b, seq = 0, rc;

    memset(&rs, 0, sizeof(rs));
    rs.keep = keep;
    rs.kctx = kctx;
    if ((rc = zx_itinerant_slots_list(db, year, teacher, school, by_school,
                                      collect, &rs)))
        goto done;
    rc = ZX_EIO;
    if (!(wb = workbook_new(path)))
        goto done;
    all = workbook_add_worksheet(wb, "总表");
    bold = workbook_add_format(wb);
    if (!all || !bold)
        goto done;
    format_set_bold(bold);
    write_all(all, &rs, bold);
    for (a = 0; a < rs.n; a = b) {
        for (b = a; b < rs.n &&
                    strcmp(by_school ? rs.v[b].scode : rs.v[b].tno,
                           by_school ? rs.v[a].scode : rs.v[a].tno) == 0;
             b++)
            ;
        write_week(wb, &rs, a, b, by_school, bold, ++seq);
    }
    if (banner) {
        lxw_worksheet *wn = workbook_add_worksheet(wb, "说明");

        if (wn)
            worksheet_write_string(wn, 0, 0, banner, NULL);
    }
    rc = workbook_close(wb) == LXW_NO_ERROR ? ZX_OK : ZX_EIO;
    wb = NULL;

done:
    if (wb)
        workbook_close(wb);
    free_rows(&rs);
    return rc;
}
