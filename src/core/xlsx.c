/*
 * xlsx.c - streaming reader for the first worksheet of an .xlsx workbook.
 *
 * An .xlsx file is a zip of XML parts.  To find and decode the first sheet
 * we read, in order: xl/workbook.xml (which sheet comes first, which date
 * system), xl/_rels/workbook.xml.rels (where that sheet is stored),
 * xl/sharedStrings.xml (the text most cells point to), xl/styles.xml (which
 * cells are dates) and finally the sheet.  Every part goes through the same
 * loop - zip_fread chunks fed straight into expat - so a sheet is never
 * held in memory; only the shared strings and the current row are.
 *
 * Element names are compared without their namespace prefix, because some
 * writers emit "x:row" where Excel emits "row".
 */
#include "xlsx.h"
#include "zx.h"

#include <expat.h>
#include <zip.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XL_CHUNK (64 * 1024)
#define XL_PROGRESS_STEP (1024 * 1024)
#define XL_MAX_COLS 16384 /* "XFD" + 1 */
#define XL_NOZIP "不是有效的 XLSX 文件（无法作为 zip 打开）"

typedef struct xl_buf {
    char *p;
    size_t len, cap;
} xl_buf;

/* A non-empty cell of the current row; its text is at row.p + off (an
 * offset, not a pointer, because the row buffer moves as it grows). */
typedef struct xl_cell {
    int col;
    unsigned char kind;
    size_t off;
} xl_cell;

typedef struct xl_numfmt {
    long id;
    unsigned char date;
} xl_numfmt;

/* Cell types of the t attribute that need distinct handling. */
enum { XL_T_NUM, XL_T_SST, XL_T_TEXT, XL_T_BOOL, XL_T_ERR };

typedef struct xl {
    zip_t *za;
    const char *name;
    zx_diag *diag;
    XML_Parser parser;      /* parser of the part being read */
    int rc;                 /* set by a handler to abort the parse */
    xl_buf *collect;        /* where character data goes, or NULL */
    int in_rph;             /* depth inside <rPh> phonetic runs */

    /* workbook.xml and its relationships */
    int date1904;
    char *sheet_rid;
    char *sheet_path;

    /* sharedStrings.xml: NUL-terminated strings back to back in one buffer,
     * so that hundreds of thousands of strings cost two allocations */
    xl_buf sst;
    size_t *sst_off, nsst, sst_cap;
    int in_si;

    /* styles.xml: custom formats, then a date flag per cellXfs entry */
    xl_numfmt *fmts;
    size_t nfmts, fmts_cap;
    unsigned char *xf_date;
    size_t nxf, xf_cap;
    int in_numfmts, in_cellxfs;

    /* the sheet */
    zx_row_fn fn;
    void *ctx;
    long line;
    int in_row, in_c, in_is, col, ctype;
    size_t cstyle, coff;
    xl_buf row;             /* text of the current row's cells */
    xl_cell *cells;
    size_t ncells, cells_cap;
    const char **cellp;     /* the dense row handed to fn */
    unsigned char *kinds;
    size_t cellp_cap, kinds_cap;
} xl;

/* Makes room for need elements in the array *pp of capacity *cap.  pp is
 * the address of any object pointer; it is accessed through memcpy so that
 * one function serves every element type. */
static int xl_reserve(void *pp, size_t *cap, size_t need, size_t size)
{
    void *p;
    size_t n = *cap ? *cap : 16;

    if (need <= *cap)
        return ZX_OK;
    while (n < need)
        n *= 2;
    if (n > (size_t)-1 / size)
        return ZX_ENOMEM;
    memcpy(&p, pp, sizeof p);
    if (!(p = realloc(p, n * size)))
        return ZX_ENOMEM;
    memcpy(pp, &p, sizeof p);
    *cap = n;
    return ZX_OK;
}

#define XL_RESERVE(arr, cap, need) \
    xl_reserve(&(arr), &(cap), (need), sizeof *(arr))

static int xl_buf_add(xl_buf *b, const char *s, size_t n)
{
    if (XL_RESERVE(b->p, b->cap, b->len + n))
        return ZX_ENOMEM;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return ZX_OK;
}

static int xl_fail(xl *x, int rc, long row, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records a diagnostic and returns rc, so callers can `return xl_fail()`. */
static int xl_fail(xl *x, int rc, long row, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    zx_diag_add(x->diag, x->name, row, col, "%s", msg);
    return rc;
}

/* Aborts the running parse from inside a handler; xl_parse returns rc. */
static void xl_stop(xl *x, int rc)
{
    if (x->rc == ZX_OK)
        x->rc = rc;
    XML_StopParser(x->parser, XML_FALSE);
}

static const char *xl_local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *xl_attr(const char **a, const char *name)
{
    for (; *a; a += 2)
        if (!strcmp(a[0], name))
            return a[1];
    return NULL;
}

static void XMLCALL xl_text(void *ud, const XML_Char *s, int len)
{
    xl *x = ud;

    if (x->collect && !x->rc && xl_buf_add(x->collect, s, (size_t)len))
        xl_stop(x, ZX_ENOMEM);
}

/* Inside <si> and <is>: the text is the <t> elements, whether direct or in
 * rich-text runs <r>, except those of phonetic runs <rPh>. */
static void xl_str_start(xl *x, const char *el, xl_buf *into)
{
    if (!strcmp(el, "rPh"))
        x->in_rph++;
    else if (!strcmp(el, "t") && !x->in_rph)
        x->collect = into;
}

static void xl_str_end(xl *x, const char *el)
{
    if (!strcmp(el, "rPh"))
        x->in_rph--;
    else if (!strcmp(el, "t"))
        x->collect = NULL;
}

/* ---- workbook.xml and workbook.xml.rels ---- */

static void XMLCALL xl_wb_start(void *ud, const XML_Char *name,
                                const XML_Char **a)
{
    xl *x = ud;
    const char *el = xl_local(name), *v;

    if (!strcmp(el, "workbookPr")) {
        v = xl_attr(a, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(el, "sheet") && !x->sheet_rid) {
        /* r:id, whatever prefix the relationships namespace was given */
        for (; *a; a += 2) {
            if (strchr(a[0], ':') && !strcmp(xl_local(a[0]), "id")) {
                if (!(x->sheet_rid = strdup(a[1])))
                    xl_stop(x, ZX_ENOMEM);
                break;
            }
        }
    }
}

static void XMLCALL xl_rel_start(void *ud, const XML_Char *name,
                                 const XML_Char **a)
{
    xl *x = ud;
    const char *id = xl_attr(a, "Id"), *t = xl_attr(a, "Target");

    if (x->sheet_path || strcmp(xl_local(name), "Relationship") || !id ||
        !t || strcmp(id, x->sheet_rid))
        return;
    /* Targets are relative to xl/ unless absolute within the package. */
    if (asprintf(&x->sheet_path, "%s%s", *t == '/' ? "" : "xl/",
                 *t == '/' ? t + 1 : t) < 0) {
        x->sheet_path = NULL;
        xl_stop(x, ZX_ENOMEM);
    }
}

/* ---- sharedStrings.xml ---- */

static void XMLCALL xl_sst_start(void *ud, const XML_Char *name,
                                 const XML_Char **a)
{
    xl *x = ud;
    const char *el = xl_local(name);

    ZX_UNUSED(a);
    if (x->rc)
        return;
    if (x->in_si) {
        xl_str_start(x, el, &x->sst);
    } else if (!strcmp(el, "si")) {
        if (XL_RESERVE(x->sst_off, x->sst_cap, x->nsst + 1))
            xl_stop(x, ZX_ENOMEM);
        else
            x->sst_off[x->nsst] = x->sst.len;
        x->in_si = 1;
    }
}

static void XMLCALL xl_sst_end(void *ud, const XML_Char *name)
{
    xl *x = ud;
    const char *el = xl_local(name);

    if (x->rc || !x->in_si)
        return;
    if (strcmp(el, "si")) {
        xl_str_end(x, el);
        return;
    }
    x->in_si = 0;
    if (xl_buf_add(&x->sst, "", 1))
        xl_stop(x, ZX_ENOMEM);
    else
        x->nsst++;
}

/* ---- styles.xml ---- */

/* Whether a custom format code shows a date or time: it has a d, m, y, h
 * or s that is a format token, not literal text ("..."), a bracketed
 * colour or locale ([Red], [$-804]), an escaped character (\d) or the
 * character after a padding _ or fill *.  "General" has none of these. */
static int xl_code_is_date(const char *c)
{
    for (; *c; c++) {
        switch (*c) {
        case '"':
            if (!(c = strchr(c + 1, '"')))
                return 0;
            break;
        case '[':
            if (!(c = strchr(c + 1, ']')))
                return 0;
            break;
        case '\\': case '_': case '*':
            if (!*++c)
                return 0;
            break;
        default:
            if (strchr("dmyhsDMYHS", *c))
                return 1;
        }
    }
    return 0;
}

static int xl_fmt_is_date(const xl *x, long id)
{
    size_t i;

    for (i = 0; i < x->nfmts; i++)
        if (x->fmts[i].id == id)
            return x->fmts[i].date;
    /* Built-in date and time formats, CJK ones included. */
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
           (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void XMLCALL xl_st_start(void *ud, const XML_Char *name,
                                const XML_Char **a)
{
    xl *x = ud;
    const char *el = xl_local(name), *id = xl_attr(a, "numFmtId"), *code;

    if (x->rc)
        return;
    if (!strcmp(el, "numFmts")) {
        x->in_numfmts = 1;
    } else if (!strcmp(el, "cellXfs")) {
        x->in_cellxfs = 1;
    } else if (!strcmp(el, "numFmt") && x->in_numfmts && id &&
               (code = xl_attr(a, "formatCode"))) {
        /* <numFmt> also occurs in <dxfs>; only <numFmts> defines ids. */
        if (XL_RESERVE(x->fmts, x->fmts_cap, x->nfmts + 1)) {
            xl_stop(x, ZX_ENOMEM);
            return;
        }
        x->fmts[x->nfmts].id = strtol(id, NULL, 10);
        x->fmts[x->nfmts++].date = (unsigned char)xl_code_is_date(code);
    } else if (!strcmp(el, "xf") && x->in_cellxfs) {
        /* The s attribute of a cell indexes cellXfs, not cellStyleXfs. */
        if (XL_RESERVE(x->xf_date, x->xf_cap, x->nxf + 1)) {
            xl_stop(x, ZX_ENOMEM);
            return;
        }
        x->xf_date[x->nxf++] =
            (unsigned char)(id && xl_fmt_is_date(x, strtol(id, NULL, 10)));
    }
}

static void XMLCALL xl_st_end(void *ud, const XML_Char *name)
{
    xl *x = ud;
    const char *el = xl_local(name);

    if (!strcmp(el, "numFmts"))
        x->in_numfmts = 0;
    else if (!strcmp(el, "cellXfs"))
        x->in_cellxfs = 0;
}

/* ---- the sheet ---- */

/* Parses the column letters of a cell reference such as "AB12". */
static int xl_col(const char *r, int *col)
{
    int c = 0, n = 0;

    for (; *r >= 'A' && *r <= 'Z' && n < 3; r++, n++)
        c = c * 26 + (*r - 'A' + 1);
    if (n == 0 || c > XL_MAX_COLS)
        return -1;
    for (; *r; r++)
        if (*r < '0' || *r > '9')
            return -1;
    *col = c - 1;
    return 0;
}

/* Turns the serial v of a date-formatted cell into text in out; returns 0
 * when v is no valid date, leaving the cell a number. */
static int xl_date_text(const xl *x, const char *v, char *out, size_t n)
{
    char *end;
    double s = strtod(v, &end);
    int y, m, d, t;

    if (end == v || *end ||
        zx_xlsx_serial_to_date(s, x->date1904, &y, &m, &d, &t))
        return 0;
    if (t)
        snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
                 t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
    return 1;
}

static void xl_cell_start(xl *x, const char **a)
{
    const char *r = xl_attr(a, "r"), *t = xl_attr(a, "t");
    const char *s = xl_attr(a, "s");

    if (r ? xl_col(r, &x->col) : ++x->col >= XL_MAX_COLS) {
        xl_stop(x, xl_fail(x, ZX_EFORMAT, x->line, -1,
                           "单元格引用无效: %s", r ? r : "（超出 XFD 列）"));
        return;
    }
    if (!t || !strcmp(t, "n"))
        x->ctype = XL_T_NUM;
    else if (!strcmp(t, "s"))
        x->ctype = XL_T_SST;
    else if (!strcmp(t, "b"))
        x->ctype = XL_T_BOOL;
    else if (!strcmp(t, "e"))
        x->ctype = XL_T_ERR;
    else /* "str", "inlineStr", and anything newer: text as stored */
        x->ctype = XL_T_TEXT;
    x->cstyle = s ? strtoul(s, NULL, 10) : 0;
    x->coff = x->row.len;
    x->in_c = 1;
}

static int xl_cell_end(xl *x)
{
    char tmp[64], *v, *end;
    const char *rep = NULL;
    unsigned char kind = ZX_CELL_TEXT;
    unsigned long i;

    if (xl_buf_add(&x->row, "", 1))
        return ZX_ENOMEM;
    v = x->row.p + x->coff;
    if (*v) {
        switch (x->ctype) {
        case XL_T_SST:
            i = strtoul(v, &end, 10);
            if (end == v || *end || i >= x->nsst)
                return xl_fail(x, ZX_EFORMAT, x->line, x->col,
                               "共享字符串索引 %s 超出范围（共 %zu 个）",
                               v, x->nsst);
            rep = x->sst.p + x->sst_off[i];
            break;
        case XL_T_BOOL:
            rep = strcmp(v, "0") ? "TRUE" : "FALSE";
            kind = ZX_CELL_BOOL;
            break;
        case XL_T_ERR:
            kind = ZX_CELL_ERROR;
            break;
        case XL_T_NUM:
            kind = ZX_CELL_NUMBER;
            if (x->cstyle < x->nxf && x->xf_date[x->cstyle] &&
                xl_date_text(x, v, tmp, sizeof tmp)) {
                rep = tmp;
                kind = ZX_CELL_DATE;
            }
            break;
        }
    }
    if (rep) {
        x->row.len = x->coff;
        if (xl_buf_add(&x->row, rep, strlen(rep) + 1))
            return ZX_ENOMEM;
    }
    if (!x->row.p[x->coff]) {
        x->row.len = x->coff; /* empty cells only make gaps */
        return ZX_OK;
    }
    if (XL_RESERVE(x->cells, x->cells_cap, x->ncells + 1))
        return ZX_ENOMEM;
    x->cells[x->ncells].col = x->col;
    x->cells[x->ncells].kind = kind;
    x->cells[x->ncells++].off = x->coff;
    return ZX_OK;
}

/* Hands a finished row to the callback as a dense array of cells. */
static int xl_row_end(xl *x)
{
    zx_row r;
    size_t i, n = 0;

    if (!x->ncells)
        return ZX_OK;
    for (i = 0; i < x->ncells; i++)
        if ((size_t)x->cells[i].col + 1 > n)
            n = (size_t)x->cells[i].col + 1;
    if (XL_RESERVE(x->cellp, x->cellp_cap, n) ||
        XL_RESERVE(x->kinds, x->kinds_cap, n))
        return ZX_ENOMEM;
    for (i = 0; i < n; i++) {
        x->cellp[i] = "";
        x->kinds[i] = ZX_CELL_TEXT;
    }
    for (i = 0; i < x->ncells; i++) {
        x->cellp[x->cells[i].col] = x->row.p + x->cells[i].off;
        x->kinds[x->cells[i].col] = x->cells[i].kind;
    }
    r.line = x->line;
    r.n = (int)n;
    r.cell = x->cellp;
    r.kind = x->kinds;
    return x->fn(x->ctx, &r);
}

static void XMLCALL xl_sh_start(void *ud, const XML_Char *name,
                                const XML_Char **a)
{
    xl *x = ud;
    const char *el = xl_local(name), *r;
    char *end;

    if (x->rc)
        return;
    if (x->in_is) {
        xl_str_start(x, el, &x->row);
    } else if (!strcmp(el, "row")) {
        r = xl_attr(a, "r");
        x->line = r ? strtol(r, &end, 10) : x->line + 1;
        if (r && (end == r || *end || x->line < 1)) {
            xl_stop(x, xl_fail(x, ZX_EFORMAT, 0, -1, "行号无效: %s", r));
            return;
        }
        x->in_row = 1;
        x->col = -1;
        x->ncells = 0;
        x->row.len = 0;
    } else if (!strcmp(el, "c") && x->in_row) {
        xl_cell_start(x, a);
    } else if (!strcmp(el, "v") && x->in_c) {
        x->collect = &x->row; /* <f> is skipped: only its cached <v> */
    } else if (!strcmp(el, "is") && x->in_c) {
        x->in_is = 1;
    }
}

static void XMLCALL xl_sh_end(void *ud, const XML_Char *name)
{
    xl *x = ud;
    const char *el = xl_local(name);
    int rc = ZX_OK;

    if (x->rc)
        return;
    if (x->in_is) {
        if (!strcmp(el, "is"))
            x->in_is = 0;
        else
            xl_str_end(x, el);
    } else if (!strcmp(el, "v")) {
        x->collect = NULL;
    } else if (!strcmp(el, "c") && x->in_c) {
        x->in_c = 0;
        rc = xl_cell_end(x);
    } else if (!strcmp(el, "row") && x->in_row) {
        x->in_row = 0;
        rc = xl_row_end(x);
    }
    if (rc)
        xl_stop(x, rc);
}

/* ---- reading parts ---- */

/* Streams the zip entry part through expat with the given handlers.  A
 * missing part is an error unless optional.  progress is only given for
 * the sheet. */
static int xl_parse(xl *x, const char *part, int optional,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    zx_progress_fn progress, void *pctx)
{
    zip_int64_t idx = zip_name_locate(x->za, part, ZIP_FL_NOCASE), n;
    zip_file_t *zf = NULL;
    zip_stat_t st;
    XML_Parser p = NULL;
    long long done = 0, total = 0, last = 0;
    void *chunk;
    int rc = ZX_OK;

    if (idx < 0)
        return optional ? ZX_OK
                        : xl_fail(x, ZX_EFORMAT, 0, -1,
                                  "不是有效的 XLSX 文件（缺少 %s）", part);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 &&
        (st.valid & ZIP_STAT_SIZE))
        total = (long long)st.size;
    if (!(zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0))) {
        rc = xl_fail(x, ZX_EFORMAT, 0, -1, "无法读取 %s: %s", part,
                     zip_strerror(x->za));
        goto fail;
    }
    if (!(x->parser = p = XML_ParserCreate(NULL))) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, xl_text);
    do {
        if (!(chunk = XML_GetBuffer(p, XL_CHUNK))) {
            rc = ZX_ENOMEM;
            goto fail;
        }
        if ((n = zip_fread(zf, chunk, XL_CHUNK)) < 0) {
            rc = xl_fail(x, ZX_EFORMAT, 0, -1, "无法读取 %s: %s", part,
                         zip_file_strerror(zf));
            goto fail;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            if ((rc = x->rc) != ZX_OK) /* stopped by a handler */
                goto fail;
            rc = xl_fail(x, ZX_EFORMAT, 0, -1,
                         "%s XML 格式错误（第 %lu 行）: %s",
                         part == x->sheet_path ? "工作表" : part,
                         (unsigned long)XML_GetCurrentLineNumber(p),
                         XML_ErrorString(XML_GetErrorCode(p)));
            goto fail;
        }
        done += n;
        if (progress && (n == 0 || done - last >= XL_PROGRESS_STEP)) {
            progress(pctx, done, total);
            last = done;
        }
    } while (n > 0);

fail:
    if (p)
        XML_ParserFree(p);
    x->parser = NULL;
    x->collect = NULL;
    if (zf)
        zip_fclose(zf);
    return rc;
}

static int xl_open_error(xl *x, int err)
{
    zip_error_t ze;
    int rc;

    if (err == ZIP_ER_MEMORY)
        return ZX_ENOMEM;
    if (err == ZIP_ER_NOZIP || err == ZIP_ER_INCONS)
        return xl_fail(x, ZX_EFORMAT, 0, -1, XL_NOZIP);
    /* Picks up errno for system errors such as ZIP_ER_OPEN. */
    zip_error_init_with_code(&ze, err);
    rc = xl_fail(x, ZX_EIO, 0, -1, "无法读取文件 %s: %s", x->name,
                 zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
}

int zx_xlsx_read(const char *path, const char *name, zx_row_fn fn, void *ctx,
                 zx_progress_fn progress, void *pctx, zx_diag *diag)
{
    xl x;
    int err = 0, rc;

    memset(&x, 0, sizeof x);
    x.name = name ? name : path;
    x.diag = diag;
    x.fn = fn;
    x.ctx = ctx;
    if (!(x.za = zip_open(path, ZIP_RDONLY, &err))) {
        rc = xl_open_error(&x, err);
        goto fail;
    }
    /* libzip opens an empty file as an empty archive. */
    if (zip_get_num_entries(x.za, 0) <= 0) {
        rc = xl_fail(&x, ZX_EFORMAT, 0, -1, XL_NOZIP);
        goto fail;
    }
    if ((rc = xl_parse(&x, "xl/workbook.xml", 0, xl_wb_start, NULL, NULL,
                       NULL)))
        goto fail;
    if (!x.sheet_rid) {
        rc = xl_fail(&x, ZX_EFORMAT, 0, -1, "工作簿中没有工作表");
        goto fail;
    }
    if ((rc = xl_parse(&x, "xl/_rels/workbook.xml.rels", 0, xl_rel_start,
                       NULL, NULL, NULL)))
        goto fail;
    if (!x.sheet_path) {
        rc = xl_fail(&x, ZX_EFORMAT, 0, -1,
                     "找不到第一个工作表（关系 %s）", x.sheet_rid);
        goto fail;
    }
    if ((rc = xl_parse(&x, "xl/sharedStrings.xml", 1, xl_sst_start,
                       xl_sst_end, NULL, NULL)) ||
        (rc = xl_parse(&x, "xl/styles.xml", 1, xl_st_start, xl_st_end, NULL,
                       NULL)))
        goto fail;
    rc = xl_parse(&x, x.sheet_path, 0, xl_sh_start, xl_sh_end, progress,
                  pctx);

fail:
    if (x.za)
        zip_discard(x.za);
    free(x.sheet_rid);
    free(x.sheet_path);
    free(x.sst.p);
    free(x.sst_off);
    free(x.fmts);
    free(x.xf_date);
    free(x.row.p);
    free(x.cells);
    free(x.cellp);
    free(x.kinds);
    return rc;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days); z is never below 1899-12-31 here. */
static void xl_civil(long long z, int *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int zx_xlsx_serial_to_date(double serial, int date1904, int *y, int *m,
                           int *d, int *secs_of_day)
{
    long long t, days, z;
    int yy, mm, dd;

    if (!(serial >= 0 && serial < 2958466.0)) /* also rejects NaN */
        return ZX_EINVAL;
    /* Round the whole serial, so 0.9999999 of a day becomes the next day. */
    t = llround(serial * 86400.0);
    days = t / 86400;
    if (date1904) {
        z = days - 24107; /* 1904-01-01 is day 0 */
    } else if (days == 60) {
        return ZX_EINVAL; /* 1900-02-29, which Excel invents */
    } else {
        /* Day 1 is 1900-01-01; from day 61 on, the phantom day shifts
         * everything by one.  Day 0 (pure times) becomes 1899-12-31. */
        z = days - (days < 60 ? 25568 : 25569);
    }
    xl_civil(z, &yy, &mm, &dd);
    if (yy > 9999)
        return ZX_EINVAL;
    *y = yy;
    *m = mm;
    *d = dd;
    *secs_of_day = (int)(t % 86400);
    return ZX_OK;
}
