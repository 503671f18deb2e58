/*
 * text.c - encoding detection, normalisation, and numbers and dates as
 * typed (see text.h).
 */
#include "text.h"
#include "zx.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one code point at s (at most len bytes); returns its length, or
 * 0 when the sequence is malformed. */
static int utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (len < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        *cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        *cp = ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) |
              ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (*cp < 0x10000 || *cp > 0x10FFFF)
            return 0;
        return 4;
    }
    return 0;
}

/* Offset of the first malformed byte, or len when all is well. */
static size_t utf8_bad_offset(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    unsigned cp;

    while (i < len) {
        int n;
        /* ASCII runs dominate CSV files: skip them eight at a time. */
        while (i + 8 <= len) {
            unsigned long long w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        n = utf8_decode(p + i, len - i, &cp);
        if (!n)
            return i;
        i += (size_t)n;
    }
    return len;
}

int zx_utf8_valid(const char *s, size_t len)
{
    return utf8_bad_offset(s, len) == len;
}

int zx_text_width(const char *s)
{
    int w = 0;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue;
        w += c >= 0xE0 ? 2 : 1;
    }
    return w;
}

int zx_utf8_put(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static long line_of(const char *buf, size_t off)
{
    long line = 1;
    size_t i;

    for (i = 0; i < off; i++)
        if (buf[i] == '\n')
            line++;
    return line;
}

const char *zx_encoding_name(enum zx_encoding enc)
{
    switch (enc) {
    case ZX_ENC_UTF8:     return "UTF-8";
    case ZX_ENC_UTF8_BOM: return "UTF-8 (BOM)";
    case ZX_ENC_GB18030:  return "GB18030/GBK";
    }
    return "?";
}

int zx_text_to_utf8(const char *buf, size_t len, char **out, size_t *outlen,
                    int *owned, enum zx_encoding *enc, long *badline)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t bad, cap, inleft, outleft;
    char *dst = NULL, *ip, *op;
    iconv_t cd = (iconv_t)-1;
    int rc = ZX_EFORMAT;

    *badline = 0;
    *owned = 0;
    if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                      (u[0] == 0xFE && u[1] == 0xFF))) ||
        (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF))
        return ZX_EFORMAT; /* UTF-16/32: caller says how to re-save */
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        bad = utf8_bad_offset(buf + 3, len - 3);
        if (bad != len - 3) {
            *badline = line_of(buf, bad + 3);
            return ZX_EFORMAT;
        }
        *enc = ZX_ENC_UTF8_BOM;
        *out = (char *)buf + 3;
        *outlen = len - 3;
        return ZX_OK;
    }
    bad = utf8_bad_offset(buf, len);
    if (bad == len) {
        *enc = ZX_ENC_UTF8;
        *out = (char *)buf;
        *outlen = len;
        return ZX_OK;
    }

    /* Not UTF-8: GB18030 is a superset of GBK and GB2312, which is what
     * Excel and WPS write on Chinese Windows. */
    cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return ZX_EFORMAT;
    cap = len * 2 + 16; /* a GB18030 character never grows past 2x */
    dst = malloc(cap);
    if (!dst) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    ip = (char *)buf;
    inleft = len;
    op = dst;
    outleft = cap - 1;
    if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
        /* Of the two failures the later one is the real culprit: a GBK
         * file fails as UTF-8 at its first Chinese character, a UTF-8
         * file fails as GB18030 early too. */
        size_t gbbad = (size_t)(ip - buf);
        *badline = line_of(buf, gbbad > bad ? gbbad : bad);
        goto fail;
    }
    *op = '\0';
    iconv_close(cd);
    *enc = ZX_ENC_GB18030;
    *out = dst;
    *outlen = (size_t)(op - dst);
    *owned = 1;
    return ZX_OK;

fail:
    free(dst);
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    return rc;
}

static int is_space_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
           cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0xFEFF;
}

size_t zx_text_norm(const char *in, char *out, int flags)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t len = strlen(in), i = 0, o = 0;
    int pending_space = 0;

    while (i < len) {
        unsigned cp;
        int n;

        if (p[i] > ' ' && p[i] < 0x7F) { /* plain ASCII, the common case */
            if (pending_space && o > 0 && !(flags & ZX_NORM_SQUASH))
                out[o++] = ' ';
            pending_space = 0;
            out[o++] = (char)p[i++];
            continue;
        }
        n = utf8_decode(p + i, len - i, &cp);
        if (!n) { /* cannot happen on validated input; copy the byte */
            cp = p[i];
            n = 1;
            if (pending_space && o > 0)
                out[o++] = ' ';
            pending_space = 0;
            out[o++] = (char)cp;
            i++;
            continue;
        }
        i += (size_t)n;
        if (is_space_cp(cp)) {
            pending_space = 1;
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            unsigned a = cp - 0xFF01 + 0x21;
            int alnum = (a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z') ||
                        (a >= 'a' && a <= 'z') || a == '.' || a == '-' ||
                        a == '+' || a == '/' || a == '@' || a == '_';
            if (alnum || (flags & ZX_NORM_PUNCT))
                cp = a;
        }
        if (pending_space && o > 0 && !(flags & ZX_NORM_SQUASH))
            out[o++] = ' ';
        pending_space = 0;
        o += (size_t)zx_utf8_put(out + o, cp);
    }
    out[o] = '\0';
    return o;
}

size_t zx_text_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

const char *zx_text_clip(const char *s, char *buf, size_t cap)
{
    size_t n = strlen(s);

    if (n < cap)
        return s;
    n = cap - 4;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    memcpy(buf + n, "…", 4);
    return buf;
}

int zx_text_parse_int(const char *s, long long *out)
{
    char digits[32], *end;
    size_t n = 0;
    double d;

    for (; *s; s++) {
        if (*s == ',')
            continue;
        if (n + 1 == sizeof(digits))
            return -1;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    /* strtod alone would also take "1e3", "0x10" and "inf" */
    if (n == 0 || strspn(digits, "+-0123456789.") != n)
        return -1;
    errno = 0;
    *out = strtoll(digits, &end, 10);
    if (*end == '\0' && errno == 0)
        return 0;
    d = strtod(digits, &end);
    if (*end != '\0' || d != floor(d) || fabs(d) > 1e15)
        return -1;
    *out = (long long)d;
    return 0;
}

/* Reads 1 to `max` digits at *p; returns the number or -1. */
static int take_digits(const char **p, int max)
{
    int v = 0, n = 0;

    while (n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n ? v : -1;
}

static int take(const char **p, const char *lit)
{
    size_t n = strlen(lit);

    if (strncmp(*p, lit, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static int take_sep(const char **p)
{
    return take(p, "-") || take(p, "/") || take(p, ".");
}

static int days_in(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

int zx_text_parse_date(const char *s, int flags, int *y, int *m, int *d)
{
    int whole = flags & ZX_TEXT_DATE_DAY;
    size_t len = strlen(s);
    const char *p = s;

    *d = 0;
    if (len == (whole ? 8u : 6u) && strspn(s, "0123456789") == len) {
        long v = atol(s);
        if (whole) {
            *d = (int)(v % 100);
            v /= 100;
        }
        *y = (int)(v / 100);
        *m = (int)(v % 100);
        if (*y < 1000 || *m < 1 || *m > 12)
            return -1;
        return !whole || (*d >= 1 && *d <= days_in(*y, *m)) ? 0 : -1;
    }
    if ((*y = take_digits(&p, 4)) < 1000 || (!take_sep(&p) && !take(&p, "年")))
        return -1;
    if ((*m = take_digits(&p, 2)) < 1 || *m > 12)
        return -1;
    if (whole) {
        if (!take(&p, "月") && !take_sep(&p))
            return -1;
    } else {
        take(&p, "月");
        if (!take_sep(&p) && !(*p >= '0' && *p <= '9'))
            return *p == '\0' ? 0 : -1; /* a month without a day */
    }
    if ((*d = take_digits(&p, 2)) < 1 || *d > (whole ? days_in(*y, *m) : 31))
        return -1;
    take(&p, "日");
    return *p == '\0' ? 0 : -1;
}
