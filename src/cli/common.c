/*
 * common.c - helpers shared by the subcommands (see cli.h): opening the
 * database, exit codes, printing diagnostics, the progress bar.
 */
#include "cli.h"
#include "planstore.h"
#include "sheetdef.h"
#include "text.h"
#include "zx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int zx_cli_open_db(zx_cli *cli, int create, zx_db **out)
{
    char err[512];
    int rc = zx_db_open(cli->db_path, create ? ZX_DB_CREATE : 0, out, err,
                        sizeof(err));

    if (rc) {
        fprintf(stderr, "zhenxing: %s\n", err);
        return rc == ZX_EDB ? ZX_EXIT_NOINPUT : zx_cli_exit_code(rc);
    }
    return ZX_EXIT_OK;
}

int zx_cli_open_plan(zx_cli *cli, const char *cmd, zx_db **db,
                     zx_plan **plan)
{
    zx_diag *diag = zx_diag_new();
    int code, rc;

    *db = NULL;
    *plan = NULL;
    if (!diag)
        return ZX_EXIT_SOFTWARE;
    if ((code = zx_cli_open_db(cli, 0, db)))
        goto out;
    if ((rc = zx_planstore_get(*db, plan, diag)) == ZX_ENOTFOUND)
        fprintf(stderr, "zhenxing %s: 数据库中还没有计划，请先运行 zhenxing "
                        "init 或 zhenxing plan load 文件\n", cmd);
    else if (rc)
        zx_cli_print_diag(diag);
    if (rc) {
        code = zx_cli_exit_code(rc);
        zx_db_close(*db);
        *db = NULL;
    }
out:
    zx_diag_free(diag);
    return code;
}

int zx_cli_format(const char *cmd, const char *s, unsigned allowed,
                  int *fmt)
{
    static const char *const names[] = { "table", "json", "csv", "xlsx" };
    char list[64] = "";
    int i, n = 0, left;

    for (i = 0; i < 4; i++)
        if ((allowed & (1u << i)) && strcmp(s ? s : "table", names[i]) == 0) {
            *fmt = i;
            return 0;
        }
    for (i = 0; i < 4; i++)
        n += (allowed >> i) & 1;
    for (i = 0, left = n; i < 4; i++)
        if (allowed & (1u << i)) {
            left--;
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                     names[i], left > 1 ? "、" : left == 1 ? " 或 " : "");
        }
    return zx_cli_usage_error(cmd, "格式“%s”无效：应为 %s", s, list);
}

int zx_cli_year(const char *cmd, const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);

    if (*end || end == s || y < 1990 || y > 2100)
        return zx_cli_usage_error(cmd, "年度“%s”无效：应为 1990～2100 的年份",
                                  s);
    *year = (int)y;
    return 0;
}

int zx_cli_exit_code(int err)
{
    switch (err) {
    case ZX_OK:        return ZX_EXIT_OK;
    case ZX_EINVAL:    return ZX_EXIT_USAGE;
    case ZX_EDATA:
    case ZX_EFORMAT:   return ZX_EXIT_DATA;
    case ZX_EIO:       return ZX_EXIT_IO;
    case ZX_ENOTFOUND: return ZX_EXIT_NOINPUT;
    default:           return ZX_EXIT_SOFTWARE;
    }
}

void zx_cli_print_diag(const zx_diag *d)
{
    size_t i, n = zx_diag_count(d);

    for (i = 0; i < n; i++) {
        const zx_diag_item *it = zx_diag_get(d, i);
        char col[8];

        zx_diag_colname(it->col, col);
        if (it->row > 0 && it->col >= 0)
            fprintf(stderr, "%s:%ld:%s: %s\n", it->file, it->row, col,
                    it->msg);
        else if (it->row > 0)
            fprintf(stderr, "%s:%ld: %s\n", it->file, it->row, it->msg);
        else if (*it->file)
            fprintf(stderr, "%s: %s\n", it->file, it->msg);
        else
            fprintf(stderr, "zhenxing: %s\n", it->msg);
    }
}

int zx_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "zhenxing %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n（运行 zhenxing %s --help 查看用法）\n", cmd);
    return ZX_EXIT_USAGE;
}

const char *zx_cli_grouped(long long v, char *buf)
{
    char tmp[32];
    int len, i, o = 0;

    len = snprintf(tmp, sizeof(tmp), "%lld", v);
    for (i = 0; i < len; i++) {
        if (i > 0 && tmp[i - 1] != '-' && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
    return buf;
}

void zx_cli_csv_cell(const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

void zx_cli_pad(const char *s, int width)
{
    int w = zx_text_width(s);

    fputs(s, stdout);
    for (; w < width; w++)
        putchar(' ');
}

int zx_cli_option(int argc, char **argv, int *i, const char *lng,
                  const char *shrt, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(lng);

    if (strncmp(a, lng, n) == 0 && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (strcmp(a, lng) != 0 && !(shrt && strcmp(a, shrt) == 0))
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

void zx_cli_kinds_text(char *buf, size_t cap)
{
    const zx_sheetdef *defs;
    size_t used = 0;
    int n, i, w;

    defs = zx_sheetdef_all(&n);
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        w = snprintf(buf + used, cap - used, "%s%s（%s）", i ? "、" : "",
                     defs[i].kind, defs[i].title);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
}

struct zx_progress {
    const char *label;
    struct timespec last;
    int drawn;
};

zx_progress *zx_progress_new(const char *label)
{
    zx_progress *p;

    if (!isatty(STDERR_FILENO))
        return NULL;
    p = calloc(1, sizeof(*p));
    if (p)
        p->label = label;
    return p;
}

static void draw(zx_progress *p, long long done, long long total)
{
    int width = 30, fill, pct, i;

    if (total <= 0)
        total = 1;
    pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    fill = pct * width / 100;
    fprintf(stderr, "\r%s [", p->label);
    for (i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", pct);
    fflush(stderr);
    p->drawn = 1;
}

/* Redraws at most ten times a second: a million-row import calls often. */
void zx_progress_update(void *bar, long long done, long long total)
{
    zx_progress *p = bar;
    struct timespec now;

    if (!p)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->drawn && done < total &&
        (now.tv_sec - p->last.tv_sec) * 1000000000L +
                (now.tv_nsec - p->last.tv_nsec) < 100000000L)
        return;
    p->last = now;
    draw(p, done, total);
}

void zx_progress_end(zx_progress *p)
{
    if (!p)
        return;
    if (p->drawn)
        fputc('\n', stderr);
    free(p);
}
