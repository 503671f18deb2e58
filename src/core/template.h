/*
 * template.h - the blank Excel workbooks clerks fill in for import, one
 * per registry sheet.
 *
 * Most import errors are avoidable at typing time, so a template carries
 * everything sheetdef.h and codes.h know: the exact headers (required ones
 * highlighted), a note on each header, drop-down lists for coded columns,
 * range and length checks, and a sheet of instructions listing every
 * column and every allowed value.  Being generated from the same
 * definitions as the importer, a template can never ask for something the
 * importer refuses.
 *
 * The data-value template (valtemplate.c) is laid out the same way, and
 * shares the pieces below that decide how a template looks: the sheet
 * names, the header notes and the code sheet behind the drop-downs.
 */
#ifndef ZX_TEMPLATE_H
#define ZX_TEMPLATE_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "export.h"
#include "sheetdef.h"

/* The instructions sheet, and the hidden, protected sheet of the lists the
 * drop-downs refer to: Excel caps an inline list at 255 characters, which
 * the subject list exceeds. */
#define ZX_TEMPLATE_NOTES_SHEET "填写说明"
#define ZX_TEMPLATE_CODES_SHEET "代码表"

/* Writes the template for kind ("schools", "enrolment", "teachers",
 * "roles") to path, or to stdout when path is NULL.  The file appears
 * only when complete.  Returns ZX_OK, ZX_EINVAL for an unknown kind,
 * ZX_EIO when the file cannot be written (errno telling why, see
 * zx_export_strerror) or ZX_ENOMEM. */
int zx_template_write(const char *kind, const char *path);

/* The Chinese words the template uses for a column: whether it is needed
 * (static string), its type and its allowed values (written into the
 * buffers).  Also used to print the README's column tables. */
const char *zx_template_need(const zx_coldef *col);
void zx_template_type(const zx_coldef *col, char *buf, size_t cap);
void zx_template_values(const zx_coldef *col, char *buf, size_t cap);

/* Writes note as the comment of header cell col (row 0) of ws, in a box
 * 320 pixels wide and tall enough for its lines.  Returns the
 * libxlsxwriter error. */
lxw_error zx_template_note(lxw_worksheet *ws, lxw_col_t col,
                           const char *note);

/* Writes a list into column col of the code sheet codes: title (in the
 * format bold) on the first row and the n items below it, a column 20
 * wide.  Returns the first libxlsxwriter error. */
lxw_error zx_template_list(lxw_worksheet *codes, lxw_col_t col,
                           lxw_format *bold, const char *title,
                           const char *const *items, int n);

/* Makes *v a drop-down of the n items zx_template_list wrote into column
 * col of the code sheet.  It only warns, because the importers also take
 * codes, numbers and spellings the list does not show.  The reference is
 * written into formula (cap bytes; 64 are enough), which v points to. */
void zx_template_dropdown(lxw_data_validation *v, lxw_col_t col, int n,
                          char *formula, size_t cap);

/* Ends a template built in wb, which writes into out: when err (the first
 * libxlsxwriter error met while building it) is none, closes wb and puts
 * the file in place; otherwise, or when closing fails, discards both.
 * Releases wb and out either way.  Returns ZX_OK, ZX_ENOMEM, or ZX_EIO
 * (errno telling why, see zx_export_strerror). */
int zx_template_finish(lxw_workbook *wb, lxw_error err, zx_export_file *out);

#endif
