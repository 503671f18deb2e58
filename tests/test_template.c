/*
 * test_template.c - the blank import workbooks (src/core/template.c) and
 * `zhenxing template`.
 *
 * Each template is read back with the project's own XLSX reader, and its
 * parts (validations, notes, the hidden code sheet) are looked for in the
 * zip with libzip.  Expectations come from sheetdef.h and codes.h, so the
 * tests follow the definitions rather than repeat them.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <zip.h>

#include "codes.h"
#include "sheetdef.h"
#include "template.h"
#include "xlsx.h"

static int member_has(const char *path, const char *name, const char *text)
{
    char *xml = tu_zip_member(path, name);
    int yes = strstr(xml, text) != NULL;

    free(xml);
    return yes;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;

    while ((hay = strstr(hay, needle))) {
        n++;
        hay += strlen(needle);
    }
    return n;
}


static const char *dir;

static void setup(void)
{
    dir = tu_tmpdir();
}

TestSuite(template, .init = setup);

Test(template, header_row_is_the_sheet_definition)
{
    const zx_sheetdef *defs;
    int n, k, i;

    defs = zx_sheetdef_all(&n);
    for (k = 0; k < n; k++) {
        const char *p = tu_path(dir, defs[k].kind);
        tu_sheet s;

        cr_assert_eq(zx_template_write(defs[k].kind, p), ZX_OK);
        tu_read_table(p, 1, &s);
        cr_assert_eq(s.nrows, 1, "%s: only the header row", defs[k].kind);
        cr_assert_eq(s.n[0], defs[k].n);
        for (i = 0; i < defs[k].n; i++)
            cr_assert_str_eq(s.cell[0][i], defs[k].cols[i].header);
        /* the first sheet is named after the sheet, then notes and codes */
        cr_assert(member_has(p, "xl/workbook.xml", defs[k].title));
    }
    cr_assert_eq(tu_entries(dir), n, "no staging files left behind");
}

Test(template, validations_follow_the_column_types)
{
    const zx_sheetdef *def = zx_sheetdef_get("teachers");
    const char *p = tu_path(dir, "t.xlsx");
    char *xml, want[64];
    int i, expect = 0, lists = 0;

    for (i = 0; i < def->n; i++) {
        const zx_coldef *c = &def->cols[i];
        if (c->type == ZX_COL_CODE)
            lists++;
        if (c->type != ZX_COL_MONTH && !(c->type == ZX_COL_TEXT &&
                                         c->maxlen == 0))
            expect++;
    }
    cr_assert_eq(zx_template_write("teachers", p), ZX_OK);
    xml = tu_zip_member(p, "xl/worksheets/sheet1.xml");
    snprintf(want, sizeof(want), "<dataValidations count=\"%d\">", expect);
    cr_assert(strstr(xml, want), "expected %s", want);
    cr_assert_eq(count_of(xml, "type=\"list\""), lists);
    cr_assert(strstr(xml, "type=\"whole\""));
    cr_assert(strstr(xml, "type=\"textLength\""));
    cr_assert(strstr(xml, "代码表"), "drop-downs refer to the code sheet");
    cr_assert(strstr(xml, "sqref=\"A2:A100000\""), "rows 2..100000");
    /* since_year: up to the current year */
    for (i = 0; i < def->n; i++)
        if (def->cols[i].type == ZX_COL_YEAR) {
            snprintf(want, sizeof(want), "<formula2>%d</formula2>",
                     zx_sheetdef_year_max(&def->cols[i]));
            cr_assert(strstr(xml, want), "expected %s", want);
        }
    cr_assert(strstr(xml, "state=\"frozen\""), "header row frozen");
    free(xml);

    cr_assert(member_has(p, "xl/workbook.xml",
                         "name=\"代码表\" sheetId=\"3\" state=\"hidden\""));
    cr_assert(member_has(p, "xl/workbook.xml", "name=\"填写说明\""));
}

Test(template, decimal_and_digits_checks)
{
    const char *p = tu_path(dir, "s.xlsx");
    char *xml;

    cr_assert_eq(zx_template_write("schools", p), ZX_OK);
    xml = tu_zip_member(p, "xl/worksheets/sheet1.xml");
    cr_assert(strstr(xml, "type=\"decimal\""));
    cr_assert(strstr(xml, "type=\"textLength\" operator=\"equal\""),
              "school codes: exactly 10 characters");
    free(xml);
}

Test(template, notes_and_comments)
{
    const zx_sheetdef *def = zx_sheetdef_get("schools");
    const zx_codelist *types = zx_codes_get("school_type");
    const char *p = tu_path(dir, "s.xlsx");
    char *strings, want[256];
    int i;

    cr_assert_eq(zx_template_write("schools", p), ZX_OK);
    strings = tu_zip_member(p, "xl/sharedStrings.xml");
    /* every allowed value, as "code name" for national code lists */
    for (i = 0; i < types->n; i++) {
        snprintf(want, sizeof(want), "%s %s", types->items[i].code,
                 types->items[i].name);
        cr_assert(strstr(strings, want), "notes lack %s", want);
    }
    cr_assert(strstr(strings, "211 小学"));
    snprintf(want, sizeof(want), "按 %s 更新", def->key);
    cr_assert(strstr(strings, want), "the key is explained");
    cr_assert(strstr(strings, "必填"));
    cr_assert(strstr(strings, "选填"));
    free(strings);
    /* a note on every header, with the column's help */
    strings = tu_zip_member(p, "xl/comments1.xml");
    cr_assert_eq(count_of(strings, "<comment "), def->n);
    for (i = 0; i < def->n; i++)
        cr_assert(strstr(strings, def->cols[i].help));
    free(strings);
}

Test(template, code_sheet_holds_each_list_once)
{
    const zx_sheetdef *def = zx_sheetdef_get("schools");
    const zx_codelist *yesno = zx_codes_get("yesno");
    const char *p = tu_path(dir, "s.xlsx"), *seen[TU_MAXCELLS];
    char *xml, want[64], col = 0;
    int i, j, nseen = 0;

    /* lists take code-sheet columns in order of first use */
    for (i = 0; i < def->n; i++) {
        if (def->cols[i].type != ZX_COL_CODE)
            continue;
        for (j = 0; j < nseen && strcmp(seen[j], def->cols[i].codelist); j++)
            ;
        if (j == nseen)
            seen[nseen++] = def->cols[i].codelist;
        if (strcmp(def->cols[i].codelist, "yesno") == 0)
            col = (char)('A' + j);
    }
    cr_assert(col);
    cr_assert_eq(zx_template_write("schools", p), ZX_OK);
    /* the two yes/no columns share one list */
    xml = tu_zip_member(p, "xl/worksheets/sheet1.xml");
    snprintf(want, sizeof(want), "'代码表'!$%c$2:$%c$%d", col, col,
             yesno->n + 1);
    cr_assert_eq(count_of(xml, want), 2, "expected %s twice", want);
    free(xml);
    xml = tu_zip_member(p, "xl/worksheets/sheet3.xml");
    cr_assert(strstr(xml, "<sheetProtection"), "code sheet protected");
    free(xml);
}

Test(template, errors)
{
    char bad[600];

    cr_assert_eq(zx_template_write("pupils", tu_path(dir, "x.xlsx")),
                 ZX_EINVAL);
    snprintf(bad, sizeof(bad), "%s/no/such/dir/t.xlsx", dir);
    errno = 0;
    cr_assert_eq(zx_template_write("teachers", bad), ZX_EIO);
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(tu_entries(dir), 0, "nothing left behind");
}

Test(template, replaces_an_existing_file)
{
    const char *p = tu_path(dir, "t.xlsx");
    tu_sheet s;

    tu_write_str(p, "old");
    cr_assert_eq(zx_template_write("roles", p), ZX_OK);
    tu_read_table(p, 1, &s);
    cr_assert_str_eq(s.cell[0][0], zx_sheetdef_get("roles")->cols[0].header);
    cr_assert_eq(tu_entries(dir), 1);
}

/* Runs `zhenxing template ARGS` (ARGS may redirect stdout); stderr goes
 * to dir/err. */
static int run(const char *args)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "%s template %s 2>%s", ZX_BIN, args,
             tu_path(dir, "err"));
    return tu_sh(cmd);
}

Test(template, cli)
{
    char args[1024];
    tu_sheet s;

    snprintf(args, sizeof(args), "teachers > %s", tu_path(dir, "out.xlsx"));
    cr_assert_eq(run(args), 0);
    tu_read_table(tu_path(dir, "out.xlsx"), 1, &s);
    cr_assert_str_eq(s.cell[0][1], zx_sheetdef_get("teachers")->cols[1].header);

    snprintf(args, sizeof(args), "enrolment --out %s", tu_path(dir, "e.xlsx"));
    cr_assert_eq(run(args), 0);
    tu_read_table(tu_path(dir, "e.xlsx"), 1, &s);
    cr_assert_eq(s.n[0], zx_sheetdef_get("enrolment")->n);

    cr_assert_eq(run("pupils"), 64);
    cr_assert_eq(run(""), 64);
    snprintf(args, sizeof(args), "roles --out %s", tu_path(dir, "r.csv"));
    cr_assert_eq(run(args), 64, "a template is never CSV");
    snprintf(args, sizeof(args), "roles --out %s/no/r.xlsx", dir);
    cr_assert_eq(run(args), 74);
}

/* The README's template tables come from `zhenxing template --doc`; every
 * column of every sheet must be there with its current requirement. */
Test(template, readme_documents_every_column)
{
    FILE *f = fopen("README.md", "r");
    static char readme[1 << 18];
    const zx_sheetdef *defs;
    size_t len;
    int n, i, c;

    cr_assert_not_null(f, "run the tests from the repository root");
    len = fread(readme, 1, sizeof(readme) - 1, f);
    fclose(f);
    readme[len] = '\0';
    defs = zx_sheetdef_all(&n);
    for (i = 0; i < n; i++)
        for (c = 0; c < defs[i].n; c++) {
            const zx_coldef *col = &defs[i].cols[c];
            char line[512];
            snprintf(line, sizeof(line), "\n| %s | %s | %s |", col->header,
                     col->field, zx_template_need(col));
            cr_expect(strstr(readme, line) != NULL,
                      "README lacks the row of %s/%s: run zhenxing template "
                      "--doc", defs[i].kind, col->field);
        }
}
