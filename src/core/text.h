/*
 * text.h - UTF-8 text as Chinese users type it: validation, encoding
 * detection and normalisation.
 *
 * Files come from Excel, WPS and hand-edited CSV on Chinese Windows, so the
 * same value arrives as "１２", "12 " or "12"; as UTF-8 with or without a
 * BOM, or as GBK.  Everything is turned into UTF-8 once, at the edge, and
 * compared in a normalised form.
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

#endif
