/*
 * fundsheet.c - public funds as JSON and as a workbook (see fundsheet.h).
 */
#include "fundsheet.h"

#include "demo.h"
#include "zx.h"

#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

static const char *const heads[ZX_FUNDSHEET_WHATIF_COLS] = {
    "学校标识码", "学校名称", "区镇", "乡村学校", "建制镇所在地", "薄弱学校",
    "在校生数", "核定学生数", "寄宿生数", "特教学生数", "基本经费(元)",
    "特教经费(元)", "寄宿经费(元)", "倾斜系数", "公用经费(元)",
    "调整前公用经费(元)", "变化(元)"
};

const char *zx_fundsheet_head(int c)
{
    return c >= 0 && c < ZX_FUNDSHEET_WHATIF_COLS ? heads[c] : "";
}

int zx_fundsheet_cell(const zx_funding_school *sc,
                      const zx_funding_school *was, int c, char *out,
                      size_t cap)
{
    static const char *const yn[] = { "否", "是" };

    switch (c) {
    case 0: snprintf(out, cap, "%s", sc->code); return 0;
    case 1: snprintf(out, cap, "%s", sc->name); return 0;
    case 2: snprintf(out, cap, "%s", sc->town); return 0;
    case 3: snprintf(out, cap, "%s", yn[sc->rural != 0]); return 0;
    case 4: snprintf(out, cap, "%s", yn[sc->town_seat != 0]); return 0;
    case 5: snprintf(out, cap, "%s", yn[sc->weak != 0]); return 0;
    case 6: snprintf(out, cap, "%lld", sc->students); return 1;
    case 7: snprintf(out, cap, "%lld", sc->funded); return 1;
    case 8: snprintf(out, cap, "%lld", sc->boarders); return 1;
    case 9: snprintf(out, cap, "%lld", sc->special); return 1;
    case 10: snprintf(out, cap, "%.2f", sc->base); return 1;
    case 11: snprintf(out, cap, "%.2f", sc->special_amount); return 1;
    case 12: snprintf(out, cap, "%.2f", sc->boarding); return 1;
    case 13: snprintf(out, cap, "%.4g", sc->coefficient); return 1;
    case 14: snprintf(out, cap, "%.2f", sc->total); return 1;
    case 15: snprintf(out, cap, "%.2f", was ? was->total : 0); return 1;
    case 16:
        snprintf(out, cap, "%.2f", was ? sc->total - was->total : 0);
        return 1;
    }
    if (cap)
        *out = 0;
    return 0;
}

static json_t *stages_json(const double stage[])
{
    json_t *j = json_object();
    int s;

    for (s = 0; j && s < ZX_FUNDING_NSTAGES; s++)
        if (json_object_set_new(j, zx_funding_stage_title(
                                       (enum zx_funding_stage)s),
                                json_real(stage[s]))) {
            json_decref(j);
            return NULL;
        }
    return j;
}

json_t *zx_fundsheet_json(const zx_funding *f, const zx_funding *was,
                          const zx_rules *rules, int synthetic)
{
    json_t *schools = json_array(), *towns = json_array(), *j;
    int i;

    for (i = 0; schools && i < f->nschools; i++) {
        const zx_funding_school *sc = &f->schools[i];

        j = json_pack("{s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:I, s:I, s:I,"
                      " s:I, s:f, s:f, s:f, s:f, s:f, s:o}",
                      "code", sc->code, "name", sc->name, "town", sc->town,
                      "type_code", sc->type_code, "rural", sc->rural,
                      "town_seat", sc->town_seat, "weak", sc->weak,
                      "students", (json_int_t)sc->students, "funded",
                      (json_int_t)sc->funded, "boarders",
                      (json_int_t)sc->boarders, "special",
                      (json_int_t)sc->special, "base", sc->base,
                      "special_amount", sc->special_amount, "boarding",
                      sc->boarding, "coefficient", sc->coefficient, "total",
                      sc->total, "stages", stages_json(sc->stage));
        if (j && was &&
            json_object_set_new(j, "change",
                                json_real(sc->total - was->schools[i].total)))
            json_decref(j), j = NULL;
        if (!j || json_array_append_new(schools, j))
            goto fail;
    }
    for (i = 0; towns && i < f->ntowns; i++) {
        j = json_pack("{s:s, s:I, s:I, s:f, s:o}", "town", f->towns[i].name,
                      "students", (json_int_t)f->towns[i].students, "funded",
                      (json_int_t)f->towns[i].funded, "total",
                      f->towns[i].total, "stages",
                      stages_json(f->towns[i].stage));
        if (j && was &&
            json_object_set_new(j, "change",
                                json_real(f->towns[i].total -
                                          was->towns[i].total)))
            json_decref(j), j = NULL;
        if (!j || json_array_append_new(towns, j))
            goto fail;
    }
    if (!schools || !towns)
        goto fail;
    j = json_pack("{s:i, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:f}", "year",
                  f->year, "synthetic", synthetic, "rules",
                  zx_rules_json(rules), "schools", schools, "towns", towns,
                  "stages", stages_json(f->stage), "students",
                  (json_int_t)f->students, "funded", (json_int_t)f->funded,
                  "total", f->total);
    if (j && was &&
        json_object_set_new(j, "total_before", json_real(was->total)))
        json_decref(j), j = NULL;
    return j;

fail:
    json_decref(schools);
    json_decref(towns);
    return NULL;
}

int zx_fundsheet_write_xlsx(const char *path, const zx_funding *f,
                            const zx_funding *was, int synthetic)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws, *wt;
    lxw_format *bold;
    lxw_chart *ch;
    lxw_chart_series *ser;
    char v[64];
    int i, c, s, n = was ? ZX_FUNDSHEET_WHATIF_COLS : ZX_FUNDSHEET_COLS;
    lxw_col_t last = 3 + ZX_FUNDING_NSTAGES;

    if (!wb)
        return ZX_EIO;
    ws = workbook_add_worksheet(wb, "学校");
    wt = workbook_add_worksheet(wb, "区镇");
    bold = workbook_add_format(wb);
    ch = workbook_add_chart(wb, LXW_CHART_COLUMN);
    if (!ws || !wt || !bold || !ch)
        goto done;
    format_set_bold(bold);
    for (c = 0; c < n; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             c == 1 ? 30 : 14, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (i = 0; i < f->nschools; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;

        for (c = 0; c < n; c++) {
            if (zx_fundsheet_cell(&f->schools[i],
                                  was ? &was->schools[i] : NULL, c, v,
                                  sizeof(v)))
                worksheet_write_number(ws, r, (lxw_col_t)c,
                                       strtod(v, NULL), NULL);
            else
                worksheet_write_string(ws, r, (lxw_col_t)c, v, NULL);
        }
    }
    worksheet_write_string(wt, 0, 0, "区镇", bold);
    worksheet_write_string(wt, 0, 1, "在校生数", bold);
    worksheet_write_string(wt, 0, 2, "核定学生数", bold);
    for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
        worksheet_write_string(wt, 0, (lxw_col_t)(3 + s),
                               zx_funding_stage_title(
                                   (enum zx_funding_stage)s), bold);
    worksheet_write_string(wt, 0, last, "公用经费(元)", bold);
    worksheet_set_column(wt, 0, last, 14, NULL);
    for (i = 0; i < f->ntowns; i++) {
        const zx_funding_town *t = &f->towns[i];
        lxw_row_t r = (lxw_row_t)i + 1;

        worksheet_write_string(wt, r, 0, *t->name ? t->name : "（未属区镇）",
                               NULL);
        worksheet_write_number(wt, r, 1, (double)t->students, NULL);
        worksheet_write_number(wt, r, 2, (double)t->funded, NULL);
        for (s = 0; s < ZX_FUNDING_NSTAGES; s++)
            worksheet_write_number(wt, r, (lxw_col_t)(3 + s), t->stage[s],
                                   NULL);
        worksheet_write_number(wt, r, last, t->total, NULL);
    }
    if (f->ntowns) {
        chart_title_set_name(ch, "各区镇公用经费（元）");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        ser = chart_add_series(ch, NULL, NULL);
        if (ser) {
            chart_series_set_categories(ser, "区镇", 1, 0,
                                        (lxw_row_t)f->ntowns, 0);
            chart_series_set_values(ser, "区镇", 1, last,
                                    (lxw_row_t)f->ntowns, last);
        }
        worksheet_insert_chart(wt, (lxw_row_t)f->ntowns + 2, 0, ch);
    }
    if (synthetic) {
        lxw_worksheet *wn = workbook_add_worksheet(wb, "说明");

        if (wn)
            worksheet_write_string(wn, 0, 0, zx_demo_banner, NULL);
    }

done:
    return workbook_close(wb) == LXW_NO_ERROR ? ZX_OK : ZX_EIO;
}
