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
 */
#ifndef ZX_TEMPLATE_H
#define ZX_TEMPLATE_H

#include <stddef.h>

#include "sheetdef.h"

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

#endif
