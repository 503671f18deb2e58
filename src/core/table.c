/*
 * table.c - picks the reader for a tabular file by its extension.
 */
#include "table.h"
#include "csvfile.h"
#include "xlsx.h"
#include "zx.h"

#include <string.h>
#include <strings.h>

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);

    return n > e && strcasecmp(path + n - e, ext) == 0;
}

int zx_table_read(const char *path, const char *name, zx_row_fn fn,
                  void *ctx, zx_progress_fn progress, void *pctx,
                  zx_diag *diag)
{
    if (has_ext(path, ".csv") || has_ext(path, ".txt"))
        return zx_csv_read(path, name, fn, ctx, progress, pctx, diag);
    if (has_ext(path, ".xlsx"))
        return zx_xlsx_read(path, name, fn, ctx, progress, pctx, diag);
    if (has_ext(path, ".xls"))
        zx_diag_add(diag, name, 0, -1,
                    "不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV");
    else
        zx_diag_add(diag, name, 0, -1,
                    "无法识别的文件类型，请使用 .csv 或 .xlsx 文件");
    return ZX_EFORMAT;
}
