/*
 * rowgrid.c - a listing held as rows of text cells, printed as an aligned
 * table, CSV or a one-sheet workbook (see cli.h).  The staffing and
 * redistribution commands build their rows once and let the format
 * decide the rest; JSON they write themselves, with English field names.
 */
#include "cli.h"
#include "demo.h"
#include "export.h"
#include "text.h"
#include "zx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct zx_cli_rows {
    const zx_cli_col *cols;
    int ncols, nrows, cap;
    char **cells;              /* nrows x ncols, malloc'd strings */
    int failed;
};

zx_cli_rows *zx_cli_rows_new(const zx_cli_col *cols, int ncols)
{
    zx_cli_rows *g = calloc(1, sizeof(*g));

    if (g) {
        g->cols = cols;
        g->ncols = ncols;
    }
    return g;
}

void zx_cli_rows_free(zx_cli_rows *g)
{
    int i;

    if (!g)
        return;
    for (i = 0; i < g->nrows * g->ncols; i++)
        free(g->cells[i]);
    free(g->cells);
    free(g);
}

int zx_cli_rows_row(zx_cli_rows *g, ...)
{
    va_list ap;
    char **p;
    int c;

    if (g->nrows == g->cap) {
        int ncap = g->cap ? g->cap * 2 : 64;

        if (!(p = realloc(g->cells, (size_t)ncap * (size_t)g->ncols *
                                        sizeof(*p)))) {
            g->failed = 1;
            return ZX_ENOMEM;
        }
        g->cells = p;
        g->cap = ncap;
    }
    p = &g->cells[g->nrows * g->ncols];
    va_start(ap, g);
    for (c = 0; c < g->ncols; c++) {
        const char *s = va_arg(ap, const char *);

        if (!(p[c] = strdup(s ? s : "")))
            g->failed = 1;
    }
    va_end(ap);
    g->nrows++;
    return g->failed ? ZX_ENOMEM : ZX_OK;
}

int zx_cli_rows_count(const zx_cli_rows *g)
{
    return g->nrows;
}

static void print_table(const zx_cli_rows *g)
{
    int r, c;

    for (c = 0; c < g->ncols; c++)
        zx_cli_pad(g->cols[c].title, c == g->ncols - 1 ? 0
                                                        : g->cols[c].width);
    putchar('\n');
    for (r = 0; r < g->nrows; r++) {
        for (c = 0; c < g->ncols; c++) {
            const char *s = g->cells[r * g->ncols + c];

            zx_cli_pad(*s ? s : "-", c == g->ncols - 1 ? 0
                                                       : g->cols[c].width);
        }
        putchar('\n');
    }
}

static void print_csv(const zx_cli_rows *g)
{
    int r, c;

    fputs("\xef\xbb\xbf", stdout);
    for (c = 0; c < g->ncols; c++)
        zx_cli_csv_cell(g->cols[c].title, c == g->ncols - 1);
    for (r = 0; r < g->nrows; r++)
        for (c = 0; c < g->ncols; c++)
            zx_cli_csv_cell(g->cells[r * g->ncols + c], c == g->ncols - 1);
}

static lxw_error write_xlsx(const zx_cli_rows *g, const char *name,
                            const char *sheet, int synthetic)
{
    lxw_workbook *wb = workbook_new(name);
    lxw_worksheet *ws;
    lxw_format *bold;
    int r, c;

    if (!wb)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    ws = workbook_add_worksheet(wb, sheet);
    bold = workbook_add_format(wb);
    if (ws && bold) {
        format_set_bold(bold);
        for (c = 0; c < g->ncols; c++) {
            worksheet_write_string(ws, 0, (lxw_col_t)c, g->cols[c].title,
                                   bold);
            worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                 g->cols[c].width + 2, NULL);
        }
        for (r = 0; r < g->nrows; r++)
            for (c = 0; c < g->ncols; c++) {
                const char *s = g->cells[r * g->ncols + c];

                if (g->cols[c].num && *s)
                    worksheet_write_number(ws, (lxw_row_t)r + 1,
                                           (lxw_col_t)c, strtod(s, NULL),
                                           NULL);
                else
                    worksheet_write_string(ws, (lxw_row_t)r + 1,
                                           (lxw_col_t)c, s, NULL);
            }
        worksheet_freeze_panes(ws, 1, 0);
    }
    if (synthetic) {
        lxw_worksheet *wn = workbook_add_worksheet(wb, "说明");

        if (wn)
            worksheet_write_string(wn, 0, 0, zx_demo_banner, NULL);
    }
    return workbook_close(wb);
}

int zx_cli_rows_print(const zx_cli_rows *g, const char *cmd, int fmt,
                      const char *sheet, const char *out, int synthetic)
{
    zx_export_file ef;

    if (g->failed)
        return ZX_EXIT_SOFTWARE;
    if (fmt == ZX_CLI_TABLE) {
        print_table(g);
        return ZX_EXIT_OK;
    }
    if (fmt == ZX_CLI_CSV) {
        print_csv(g);
        if (synthetic)
            fprintf(stderr, "%s\n", zx_demo_banner);
        return ZX_EXIT_OK;
    }
    memset(&ef, 0, sizeof(ef));
    if (zx_export_file_open(&ef, out, 1) != ZX_OK ||
        write_xlsx(g, ef.name, sheet, synthetic) != LXW_NO_ERROR ||
        zx_export_file_close(&ef, 1) != ZX_OK) {
        fprintf(stderr, "zhenxing %s: 无法写入 %s：%s\n", cmd,
                out ? out : "标准输出", zx_export_strerror(errno));
        zx_export_file_close(&ef, 0);
        return ZX_EXIT_IO;
    }
    return ZX_EXIT_OK;
}
