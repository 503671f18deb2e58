/*
 * csvfile.c - CSV input (see csvfile.h).
 *
 * The file is mapped whole, converted to UTF-8 if it is GB18030 (the check
 * needs every byte anyway), and fed to libcsv in blocks.  libcsv reports
 * each unquoted CR and LF, which is what lets us count rows exactly.
 */
#include "csvfile.h"
#include "text.h"
#include "zx.h"

#include <csv.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct reader {
    zx_row_fn fn;
    void *ctx;
    /* the fields of the row being read, as offsets into buf */
    char *buf;
    size_t len, cap;
    size_t *off;
    int n, ncap;
    int nonempty;    /* the row has a non-empty field */
    long line;       /* spreadsheet row number of the row being read */
    int after_cr;    /* last terminator was CR with no field since */
    int stop;        /* the callback's non-zero return */
    int oom;
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->stop || r->oom)
        return;
    r->after_cr = 0;
    if (r->n == r->ncap) {
        int ncap = r->ncap ? r->ncap * 2 : 32;
        size_t *off = realloc(r->off, (size_t)ncap * sizeof(*off));
        if (!off) {
            r->oom = 1;
            return;
        }
        r->off = off;
        r->ncap = ncap;
    }
    if (r->len + len + 1 > r->cap) {
        size_t cap = (r->len + len + 1) * 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->oom = 1;
            return;
        }
        r->buf = b;
        r->cap = cap;
    }
    r->off[r->n++] = r->len;
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->buf[r->len + len] = '\0';
    r->len += len + 1;
    if (len)
        r->nonempty = 1;
}

static int emit(struct reader *r)
{
    const char *cells[256], **cellp = cells;
    unsigned char kinds[256], *kindp = kinds;
    zx_row row;
    int i, rc;

    if (r->n > 256) {
        cellp = malloc((size_t)r->n * sizeof(*cellp));
        kindp = calloc((size_t)r->n, 1);
        if (!cellp || !kindp) {
            if (cellp != cells)
                free((void *)cellp);
            if (kindp != kinds)
                free(kindp);
            r->oom = 1;
            return ZX_ENOMEM;
        }
    } else {
        memset(kinds, ZX_CELL_TEXT, (size_t)r->n);
    }
    for (i = 0; i < r->n; i++)
        cellp[i] = r->buf + r->off[i];
    row.line = r->line;
    row.n = r->n;
    row.cell = cellp;
    row.kind = kindp;
    rc = r->fn(r->ctx, &row);
    if (cellp != cells)
        free((void *)cellp);
    if (kindp != kinds)
        free(kindp);
    return rc;
}

static void on_row(int c, void *data)
{
    struct reader *r = data;
    int had_fields = r->n > 0;

    if (r->stop || r->oom)
        return;
    if (r->nonempty) {
        int rc = emit(r);
        if (rc)
            r->stop = rc;
    }
    r->n = 0;
    r->len = 0;
    r->nonempty = 0;
    /* CR LF is one line end; a lone CR or LF is one too. */
    if (c == '\n' && r->after_cr && !had_fields) {
        r->after_cr = 0;
        return;
    }
    r->after_cr = c == '\r';
    r->line++;
}

int zx_csv_read(const char *path, const char *name, zx_row_fn fn, void *ctx,
                zx_progress_fn progress, void *pctx, zx_diag *diag)
{
    struct reader r;
    struct csv_parser p;
    struct stat st;
    char *map = NULL, *text = NULL;
    size_t textlen = 0, done = 0, step;
    int fd = -1, owned = 0, rc = ZX_OK, parser_ok = 0;
    enum zx_encoding enc;
    long badline;

    memset(&r, 0, sizeof(r));
    r.fn = fn;
    r.ctx = ctx;
    r.line = 1;

    fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        zx_diag_add(diag, name, 0, -1, "无法打开文件");
        rc = ZX_EIO;
        goto fail;
    }
    if (st.st_size > 0) {
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            map = NULL;
            zx_diag_add(diag, name, 0, -1, "无法读取文件");
            rc = ZX_EIO;
            goto fail;
        }
        madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
        rc = zx_text_to_utf8(map, (size_t)st.st_size, &text, &textlen,
                             &owned, &enc, &badline);
        if (rc == ZX_EFORMAT && badline == 0) {
            zx_diag_add(diag, name, 0, -1,
                        "文件是 UTF-16/UTF-32 编码，请在 Excel 中另存为"
                        "“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV");
            goto fail;
        } else if (rc == ZX_EFORMAT) {
            zx_diag_add(diag, name, badline, -1,
                        "文件编码无法识别：既不是 UTF-8 也不是 GBK/GB18030，"
                        "请另存为 UTF-8 编码的 CSV");
            goto fail;
        } else if (rc) {
            goto fail;
        }
    }

    if (csv_init(&p, CSV_REPALL_NL | CSV_APPEND_NULL) != 0) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    parser_ok = 1;
    step = 1 << 20;
    while (done < textlen) {
        size_t n = textlen - done < step ? textlen - done : step;
        if (csv_parse(&p, text + done, n, on_field, on_row, &r) != n) {
            zx_diag_add(diag, name, r.line, -1, "CSV 解析失败：%s",
                        csv_strerror(csv_error(&p)));
            rc = csv_error(&p) == CSV_ENOMEM ? ZX_ENOMEM : ZX_EFORMAT;
            goto fail;
        }
        done += n;
        if (r.stop || r.oom)
            break;
        if (progress)
            progress(pctx, (long long)done, (long long)textlen);
    }
    if (!r.stop && !r.oom)
        csv_fini(&p, on_field, on_row, &r);
    if (r.oom)
        rc = ZX_ENOMEM;
    else
        rc = r.stop;

fail:
    if (parser_ok)
        csv_free(&p);
    if (owned)
        free(text);
    if (map)
        munmap(map, (size_t)st.st_size);
    if (fd >= 0)
        close(fd);
    free(r.buf);
    free(r.off);
    return rc;
}
