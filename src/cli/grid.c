/*
 * grid.c - one listing written as a table, CSV or XLSX (cli.h,
 * zx_cli_grid_write), for commands whose items are already JSON objects
 * for --format json: rotation, substitutes, staffing and redistribution
 * print every format from the same items, so the formats cannot
 * disagree.
 */
#include "cli.h"
#include "demo.h"
#include "export.h"
#include "zx.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* Walks the rows of a grid: the items, or the elements of each item's
 * array g->rows (an item without elements gives no row). */
struct walk {
    const zx_cli_grid *g;
    size_t i, k;
    const json_t *item, *row;
};

/* Steps to the next row; 0 after the last. */
static int next_row(struct walk *w)
{
    const zx_cli_grid *g = w->g;

    for (; w->i < json_array_size(g->items); w->i++, w->k = 0) {
        w->item = json_array_get(g->items, w->i);
        if (!g->rows) {
            w->row = w->item;
            w->i++;
            return 1;
        }
        if ((w->row = json_array_get(json_object_get(w->item, g->rows),
                                     w->k))) {
            w->k++;
            return 1;
        }
    }
    return 0;
}

static const json_t *cell(const struct walk *w, int c)
{
    return json_object_get(c < w->g->lead ? w->item : w->row,
                           w->g->keys[c]);
}

/* Cell c as text: "" for null, integers plain, reals in the column's
 * format (2 decimals unless told). */
static const char *cell_text(const struct walk *w, int c, char *buf,
                             size_t cap)
{
    const json_t *v = cell(w, c);
    const char *real = w->g->reals && w->g->reals[c] ? w->g->reals[c]
                                                       : "%.2f";

    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, cap, real, json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, cap, "%s", json_is_true(v) ? "是" : "否");
    else
        buf[0] = 0;
    return buf;
}

/* The padding of column c in a table: none for the last, so that lines
 * carry no trailing blanks. */
static int pad_of(const zx_cli_grid *g, int c)
{
    return c == g->ncols - 1 ? 0 : g->widths[c] + 1;
}

static lxw_error write_xlsx(const char *name, const zx_cli_grid *g,
                            int synthetic)
{
    lxw_workbook *wb = workbook_new(name);
    lxw_worksheet *ws;
    lxw_format *bold;
    struct walk w = { g, 0, 0, NULL, NULL };
    lxw_row_t at = 0;
    char buf[64];
    int c;

    if (!wb)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    ws = workbook_add_worksheet(wb, g->sheet);
    bold = workbook_add_format(wb);
    if (!ws || !bold)
        return workbook_close(wb);
    format_set_bold(bold);
    for (c = 0; c < g->ncols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, g->heads[c], bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             g->widths[c] > 12 ? g->widths[c] : 12, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    while (next_row(&w)) {
        at++;
        for (c = 0; c < g->ncols; c++) {
            const json_t *v = cell(&w, c);

            if (json_is_number(v))
                worksheet_write_number(ws, at, (lxw_col_t)c,
                                       json_number_value(v), NULL);
            else if (v && !json_is_null(v))
                worksheet_write_string(ws, at, (lxw_col_t)c,
                                       cell_text(&w, c, buf, sizeof(buf)),
                                       NULL);
        }
    }
    if (synthetic) {
        lxw_worksheet *wn = workbook_add_worksheet(wb, "说明");

        if (wn)
            worksheet_write_string(wn, 0, 0, zx_demo_banner, NULL);
    }
    return workbook_close(wb);
}

int zx_cli_grid_write(const char *cmd, const zx_cli_grid *g, int fmt,
                      const char *out, int synthetic)
{
    zx_export_file ef;
    struct walk w = { g, 0, 0, NULL, NULL };
    char buf[64];
    int c;

    if (fmt == ZX_CLI_XLSX) {
        memset(&ef, 0, sizeof(ef));
        if (zx_export_file_open(&ef, out, 1) != ZX_OK ||
            write_xlsx(ef.name, g, synthetic) != LXW_NO_ERROR ||
            zx_export_file_close(&ef, 1) != ZX_OK) {
            fprintf(stderr, "zhenxing %s: 无法写入 %s：%s\n", cmd,
                    out ? out : "标准输出", zx_export_strerror(errno));
            zx_export_file_close(&ef, 0);
            return ZX_EXIT_IO;
        }
        return ZX_EXIT_OK;
    }
    if (fmt == ZX_CLI_CSV) {
        fputs("\xef\xbb\xbf", stdout);
        for (c = 0; c < g->ncols; c++)
            zx_cli_csv_cell(g->heads[c], c == g->ncols - 1);
        while (next_row(&w))
            for (c = 0; c < g->ncols; c++)
                zx_cli_csv_cell(cell_text(&w, c, buf, sizeof(buf)),
                                c == g->ncols - 1);
    } else {
        if (g->title)
            printf("%s\n", g->title);
        for (c = 0; c < g->ncols; c++)
            zx_cli_pad(g->heads[c], pad_of(g, c));
        putchar('\n');
        /* An empty cell shows as "-": a blank reads as a misaligned row. */
        while (next_row(&w)) {
            for (c = 0; c < g->ncols; c++) {
                const char *t = cell_text(&w, c, buf, sizeof(buf));

                zx_cli_pad(*t ? t : "-", pad_of(g, c));
            }
            putchar('\n');
        }
    }
    if (synthetic)
        fprintf(stderr, "%s\n", zx_demo_banner);
    return ZX_EXIT_OK;
}
