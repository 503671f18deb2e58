/*
 * fundsheet.h - a year's public funds (funding.h) as the bureau reads
 * them: JSON for the API and the CLI, and a workbook with a sheet of
 * schools, a sheet of towns and a native column chart of the towns'
 * totals (issue 7 asks funding's Excel output for a chart per town).
 *
 * Both the CLI and the server render through here, so the file a clerk
 * downloads from the page is the file `zhenxing funding --format xlsx`
 * writes.  A what-if passes the computation with the year's own rules as
 * was (same schools, same order: computed from the same data), and the
 * outputs add each school's total before and its change.
 */
#ifndef ZX_FUNDSHEET_H
#define ZX_FUNDSHEET_H

#include <jansson.h>

#include "funding.h"

/* The columns of the school rows, in order: 学校标识码, 学校名称, 区镇, …,
 * 公用经费(元), and with a what-if 调整前公用经费(元), 变化(元). */
#define ZX_FUNDSHEET_COLS 15
#define ZX_FUNDSHEET_WHATIF_COLS 17

/* The title of column c (0 <= c < ZX_FUNDSHEET_WHATIF_COLS); static. */
const char *zx_fundsheet_head(int c);

/* The text of column c for school sc (was: its what-if baseline, or
 * NULL), into out (cap bytes); numbers plain, amounts to the fen.  Returns
 * 1 when the column is a number, 0 when text. */
int zx_fundsheet_cell(const zx_funding_school *sc,
                      const zx_funding_school *was, int c, char *out,
                      size_t cap);

/* f as JSON: year, synthetic, rules, schools (each with its stage split,
 * and "change" in a what-if), towns, stages and totals ("total_before"
 * in a what-if).  The caller owns the result; NULL when memory is short. */
json_t *zx_fundsheet_json(const zx_funding *f, const zx_funding *was,
                          const zx_rules *rules, int synthetic);

/* Writes the workbook of f to path (see above), with a sheet 说明 holding
 * the demo banner when synthetic.  Returns ZX_OK, or ZX_EIO when the file
 * cannot be written. */
int zx_fundsheet_write_xlsx(const char *path, const zx_funding *f,
                            const zx_funding *was, int synthetic);

#endif
