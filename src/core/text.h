/*
 * text.h - UTF-8 text as Chinese users type it: validation, encoding
 * detection and normalisation.
 *
 * Files come from Excel, WPS and hand-edited CSV on Chinese Windows, so the
 * same value arrives as "１２", "12 " or "12"; as UTF-8 with or without a
 * BOM, or as GBK.  Everything is turned into UTF-8 once, at the edge, and
 * compared in a normalised form.
 *
 * Numbers and dates are read here too, in the forms clerks type them, so
 * that the registry import (ingest.c) and the data values (values.c) agree
 * on what "1,234" or "1985年3月" means.
 */
#ifndef ZX_TEXT_H
#define ZX_TEXT_H

#include <stddef.h>

/* Non-zero when s[0..len) is well-formed UTF-8 (no overlongs, surrogates
 * or code points above U+10FFFF). */
int zx_utf8_valid(const char *s, size_t len);

enum zx_encoding { ZX_ENC_UTF8, ZX_ENC_UTF8_BOM, ZX_ENC_GB18030 };

/* Turns the bytes of a text file into UTF-8.  On success *out points either
 * into buf (UTF-8 input, past any BOM; *owned = 0) or to a new buffer the
 * caller frees (*owned = 1), NUL-terminated either way.  Returns ZX_EFORMAT
 * for UTF-16/32 files and for bytes that are neither UTF-8 nor GB18030, with
 * the 1-based line of the first bad byte in *badline. */
int zx_text_to_utf8(const char *buf, size_t len, char **out, size_t *outlen,
                    int *owned, enum zx_encoding *enc, long *badline);

/* Human name of an encoding, e.g. "GB18030/GBK". */
const char *zx_encoding_name(enum zx_encoding enc);

enum {
    ZX_NORM_PUNCT  = 1, /* also fold full-width punctuation （），：to ASCII */
    ZX_NORM_SQUASH = 2  /* drop every space instead of collapsing runs */
};

/* Normalises UTF-8 text: full-width letters and digits become ASCII, the
 * ideographic space and other Unicode spaces become spaces, leading and
 * trailing spaces go, inner runs collapse to one space.  The output is
 * never longer than the input, so out needs strlen(in) + 1 bytes; in and
 * out may be the same buffer.  Returns the output length. */
size_t zx_text_norm(const char *in, char *out, int flags);

/* Columns s takes on a terminal or in a spreadsheet: two for a character
 * of three or more UTF-8 bytes (CJK), one otherwise. */
int zx_text_width(const char *s);

/* Appends the UTF-8 encoding of code point cp to out; returns its length
 * (1 to 4).  out needs 4 bytes. */
int zx_utf8_put(char *out, unsigned cp);

/* Number of characters (code points) in the UTF-8 string s. */
size_t zx_text_chars(const char *s);

/* s itself when it is shorter than cap bytes; otherwise its first cap - 4
 * bytes, cut back to a whole character, and "…", written into buf (cap
 * bytes, at least 4).  For quoting a cell in a message. */
const char *zx_text_clip(const char *s, char *buf, size_t cap);

/* Reads normalised text (zx_text_norm with ZX_NORM_PUNCT | ZX_NORM_SQUASH)
 * as a whole number into *out: "1,234" as typed, "-5", and "12.0" (within
 * ±1e15) as some spreadsheets store whole numbers.  Only digits, a sign,
 * commas and a decimal point are read (so neither "1e3" nor "0x10"), at
 * most 31 besides the commas.  Returns 0, or -1 when s is not such a
 * number. */
int zx_text_parse_int(const char *s, long long *out);

/* Flags of zx_text_parse_date. */
enum {
    /* A whole date: 20200901 rather than 202009 for the digits-only form,
     * one of 月 - / . between month and day, and a day that exists in that
     * month.  Without it the day is optional: a month (198503, 1985-03,
     * 1985年3月) or a date whose day is only checked to be 1 to 31, after
     * 月, a separator, both or neither. */
    ZX_TEXT_DATE_DAY = 1
};

/* Year, month and day from normalised text (as for zx_text_parse_int) in
 * the ways people write a date: 2020-09-01, 2020/9/1, 2020.9.1,
 * 2020年9月1日 and the digits-only form, the year always of four digits
 * from 1000 on.  *d is 0 when the text gives no day.  An Excel serial
 * number is not a date here: callers that read XLSX cells convert one
 * with zx_xlsx_serial_to_date first.  Returns 0, or -1 when s is not a
 * date in these forms. */
int zx_text_parse_date(const char *s, int flags, int *y, int *m, int *d);

#endif
