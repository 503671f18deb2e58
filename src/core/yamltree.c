/*
 * yamltree.c - a YAML document as a tree of positioned nodes (see
 * yamltree.h).
 *
 * libyaml's event parser is driven in a loop; open collections sit on a
 * fixed stack (plans nest a handful of levels; a file nesting deeper than
 * the stack is refused rather than allowed to grow memory without bound).
 * Nodes are linked lists in an arena: a plan has a few thousand nodes and
 * is read once, so one free per 16 KiB beats one per node.
 */
#include "yamltree.h"
#include "zx.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define CHUNK_SIZE (16 * 1024)
#define MAX_DEPTH 64
#define STR_TAG "tag:yaml.org,2002:str"

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct zx_yaml_doc {
    struct chunk *chunks;
    const zx_yaml_node *root;
};

/* An open collection.  In a mapping, key is the key read last while its
 * value is awaited; drop says that pair is left out of the tree (its key
 * was a duplicate or not a scalar, already reported). */
typedef struct frame {
    zx_yaml_node *node, *last, *key;
    int drop;
} frame;

typedef struct parser {
    zx_yaml_doc *doc;
    const char *text;
    size_t len;
    const char *file;
    zx_diag *diag;
    frame stack[MAX_DEPTH];
    int depth;
    int problems;
} parser;

void *zx_yaml_alloc(zx_yaml_doc *doc, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    struct chunk *c = doc->chunks;
    char *p;

    size = (size + align - 1) / align * align;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;

        c = calloc(1, sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->cap = cap;
        c->next = doc->chunks;
        doc->chunks = c;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

void zx_yaml_free(zx_yaml_doc *doc)
{
    struct chunk *c, *next;

    if (!doc)
        return;
    for (c = doc->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    free(doc);
}

const zx_yaml_node *zx_yaml_root(const zx_yaml_doc *doc)
{
    return doc->root;
}

const zx_yaml_node *zx_yaml_get(const zx_yaml_node *map, const char *key)
{
    const zx_yaml_node *k;

    if (!map || map->kind != ZX_YAML_MAP)
        return NULL;
    for (k = map->first; k; k = k->next)
        if (strcmp(k->text, key) == 0)
            return k->value;
    return NULL;
}

int zx_yaml_is_null(const zx_yaml_node *node)
{
    return node->kind == ZX_YAML_SCALAR && node->plain &&
           (node->len == 0 || strcmp(node->text, "~") == 0 ||
            strcmp(node->text, "null") == 0 ||
            strcmp(node->text, "Null") == 0 ||
            strcmp(node->text, "NULL") == 0);
}

static void problem(parser *pp, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(parser *pp, int line, int col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    zx_diag_add(pp->diag, pp->file, line, col - 1, "%s", msg);
    pp->problems++;
}

/* libyaml's problems in the words of the people who edit plans, with the
 * likely cause; the rare rest keep libyaml's English after a Chinese
 * lead-in. */
static const struct {
    const char *en, *zh;
} syntax_texts[] = {
    { "did not find expected key",
      "此处应为“键: 值”（常见原因：缩进没有对齐，或值中含有未加引号的“:”）" },
    { "mapping values are not allowed in this context",
      "此处不能出现“键: 值”（常见原因：值中含有“: ”却没有加引号，"
      "或缩进有误）" },
    { "could not find expected ':'", "缺少“:”" },
    { "did not find expected '-' indicator",
      "此处应为列表项“- ”（常见原因：缩进没有对齐）" },
    { "block sequence entries are not allowed in this context",
      "此处不能出现列表项“- ”（常见原因：缩进有误）" },
    { "found character that cannot start any token",
      "出现了不能开始一个值的字符（常见原因：用 Tab 缩进，"
      "或值以“@”“`”开头却没有加引号）" },
    { "found a tab character that violates indentation",
      "缩进中有 Tab 字符，请改用空格缩进" },
    { "found a tab character where an indentation space is expected",
      "缩进中有 Tab 字符，请改用空格缩进" },
    { "found unexpected end of stream",
      "文件意外结束（常见原因：引号没有闭合）" },
    { "did not find expected ',' or ']'", "“[”列表缺少“,”或“]”" },
    { "did not find expected ',' or '}'", "“{”映射缺少“,”或“}”" },
    { "did not find expected node content", "此处缺少值" },
    { "found unknown escape character",
      "双引号中有无法识别的转义字符“\\”（需要反斜杠时请改用单引号）" },
    { "found unexpected ':'", "出现了多余的“:”" },
    { "found undefined tag handle", "未定义的标签" },
    { "invalid leading UTF-8 octet",
      "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8" },
    { "invalid trailing UTF-8 octet",
      "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8" },
    { "incomplete UTF-8 octet sequence",
      "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8" },
    { "control characters are not allowed", "文件中有不允许的控制字符" },
};

/* The reader reports a byte offset, not a mark: turn it into a line and a
 * column counted in characters, as libyaml counts its marks. */
static void offset_mark(const parser *pp, size_t off, int *line, int *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off && i < pp->len; i++) {
        unsigned char c = (unsigned char)pp->text[i];

        if (c == '\n') {
            ++*line;
            *col = 1;
        } else if ((c & 0xc0) != 0x80) {
            ++*col;
        }
    }
}

static int syntax_error(parser *pp, const yaml_parser_t *yp)
{
    const char *what = yp->problem ? yp->problem : "";
    char where[96] = "";
    int line, col;
    size_t i;

    if (yp->error == YAML_MEMORY_ERROR)
        return ZX_ENOMEM;
    if (yp->error == YAML_READER_ERROR) {
        offset_mark(pp, yp->problem_offset, &line, &col);
    } else {
        line = (int)yp->problem_mark.line + 1;
        col = (int)yp->problem_mark.column + 1;
    }
    for (i = 0; i < sizeof(syntax_texts) / sizeof(syntax_texts[0]); i++)
        if (strcmp(what, syntax_texts[i].en) == 0)
            break;
    /* The context mark is where the construct the error broke began (an
     * unclosed quote, the mapping a key is missing from): worth naming
     * when it is on another line. */
    if (yp->context && yp->error != YAML_READER_ERROR &&
        (int)yp->context_mark.line + 1 != line)
        snprintf(where, sizeof(where), "（相关位置：第 %d 行第 %d 列）",
                 (int)yp->context_mark.line + 1,
                 (int)yp->context_mark.column + 1);
    if (i < sizeof(syntax_texts) / sizeof(syntax_texts[0]))
        problem(pp, line, col, "YAML 语法错误：%s%s", syntax_texts[i].zh,
                where);
    else
        problem(pp, line, col, "YAML 语法错误（%s）%s", what, where);
    return ZX_EDATA;
}

/* Where the value of a block scalar ('|' or '>' on line line0, 0-based)
 * starts: the line after the indicator, at the block's indentation (that
 * of its first line that is not blank). */
static void block_start(const parser *pp, int line0, zx_yaml_node *n)
{
    const char *s = pp->text, *end = pp->text + pp->len;
    int line = 0, indent;

    while (s < end && line <= line0)
        if (*s++ == '\n')
            line++;
    n->tline = line0 + 2;
    n->tcol = 1;
    while (s < end) {
        for (indent = 0; s < end && *s == ' '; s++)
            indent++;
        if (s < end && *s != '\n' && *s != '\r') {
            n->tcol = indent + 1;
            return;
        }
        while (s < end && *s++ != '\n')
            ;
    }
}

static zx_yaml_node *new_node(parser *pp, enum zx_yaml_kind kind,
                              yaml_mark_t mark)
{
    zx_yaml_node *n = zx_yaml_alloc(pp->doc, sizeof(*n));

    if (!n)
        return NULL;
    n->kind = kind;
    n->line = (int)mark.line + 1;
    n->col = (int)mark.column + 1;
    n->tline = n->line;
    n->tcol = n->col;
    n->text = "";
    return n;
}

static zx_yaml_node *scalar_node(parser *pp, const yaml_event_t *ev)
{
    zx_yaml_node *n = new_node(pp, ZX_YAML_SCALAR, ev->start_mark);
    size_t len = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    char *text;

    if (!n || !(text = zx_yaml_alloc(pp->doc, len + 1)))
        return NULL;
    memcpy(text, ev->data.scalar.value, len);
    n->text = text;
    n->len = len;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
               (!tag || strcmp(tag, STR_TAG) != 0);
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->tcol = n->col + 1;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        block_start(pp, n->line - 1, n);
        break;
    default:
        break;
    }
    return n;
}

static void check_decor(parser *pp, const zx_yaml_node *n,
                        const yaml_char_t *anchor, const yaml_char_t *tag)
{
    if (anchor)
        problem(pp, n->line, n->col, "不支持锚点“&%s”，请直接写出内容",
                (const char *)anchor);
    if (tag && (n->kind != ZX_YAML_SCALAR ||
                strcmp((const char *)tag, STR_TAG) != 0))
        problem(pp, n->line, n->col, "不支持标签“%s”（只可用 !!str）",
                (const char *)tag);
}

static void link_child(frame *f, zx_yaml_node *child)
{
    if (f->last)
        f->last->next = child;
    else
        f->node->first = child;
    f->last = child;
    f->node->n++;
}

/* Hangs a finished or just opened node under the innermost collection. */
static void attach(parser *pp, zx_yaml_node *n)
{
    frame *f;
    const zx_yaml_node *k;

    if (pp->depth == 0) {
        pp->doc->root = n;
        return;
    }
    f = &pp->stack[pp->depth - 1];
    if (f->node->kind == ZX_YAML_SEQ) {
        link_child(f, n);
        return;
    }
    if (f->key) {
        if (!f->drop) {
            f->key->value = n;
            link_child(f, f->key);
        }
        f->key = NULL;
        return;
    }
    f->key = n;
    f->drop = 0;
    if (n->kind != ZX_YAML_SCALAR) {
        problem(pp, n->line, n->col, "映射的键必须是文本");
        f->drop = 1;
        return;
    }
    for (k = f->node->first; k; k = k->next) {
        if (strcmp(k->text, n->text) == 0) {
            problem(pp, n->line, n->col, "重复的键“%s”（第 %d 行已出现）",
                    n->text, k->line);
            f->drop = 1;
            return;
        }
    }
}

/* Handles one event; returns ZX_OK, ZX_ENOMEM, or ZX_EDATA for a problem
 * that ends the reading. */
static int on_event(parser *pp, const yaml_event_t *ev, int *ndocs)
{
    zx_yaml_node *n;
    enum zx_yaml_kind kind;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*ndocs > 1) {
            problem(pp, (int)ev->start_mark.line + 1,
                    (int)ev->start_mark.column + 1,
                    "一个文件只能包含一个 YAML 文档（第二个“---”之后的内容"
                    "不会被读取）");
            return ZX_EDATA;
        }
        return ZX_OK;
    case YAML_ALIAS_EVENT:
        if (!(n = new_node(pp, ZX_YAML_SCALAR, ev->start_mark)))
            return ZX_ENOMEM;
        n->plain = 1;
        problem(pp, n->line, n->col, "不支持别名“*%s”，请直接写出内容",
                (const char *)ev->data.alias.anchor);
        attach(pp, n);
        return ZX_OK;
    case YAML_SCALAR_EVENT:
        if (!(n = scalar_node(pp, ev)))
            return ZX_ENOMEM;
        check_decor(pp, n, ev->data.scalar.anchor, ev->data.scalar.tag);
        attach(pp, n);
        return ZX_OK;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        kind = ev->type == YAML_SEQUENCE_START_EVENT ? ZX_YAML_SEQ
                                                     : ZX_YAML_MAP;
        if (!(n = new_node(pp, kind, ev->start_mark)))
            return ZX_ENOMEM;
        if (kind == ZX_YAML_SEQ)
            check_decor(pp, n, ev->data.sequence_start.anchor,
                        ev->data.sequence_start.tag);
        else
            check_decor(pp, n, ev->data.mapping_start.anchor,
                        ev->data.mapping_start.tag);
        if (pp->depth == MAX_DEPTH) {
            problem(pp, n->line, n->col, "嵌套超过 %d 层，无法读取",
                    MAX_DEPTH);
            return ZX_EDATA;
        }
        attach(pp, n);
        pp->stack[pp->depth++] = (frame){ n, NULL, NULL, 0 };
        return ZX_OK;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        pp->depth--;
        return ZX_OK;
    default:
        return ZX_OK;
    }
}

int zx_yaml_parse(const char *text, size_t len, const char *file,
                  zx_diag *diag, zx_yaml_doc **out)
{
    parser pp;
    yaml_parser_t yp;
    yaml_event_t ev;
    int rc = ZX_OK, ndocs = 0, done = 0;

    *out = NULL;
    /* With the encoding given, libyaml would take a UTF-8 BOM (Notepad
     * writes one) for a character of the first line. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    memset(&pp, 0, sizeof(pp));
    pp.text = text;
    pp.len = len;
    pp.file = file;
    pp.diag = diag;
    if (!yaml_parser_initialize(&yp))
        return ZX_ENOMEM;
    pp.doc = calloc(1, sizeof(*pp.doc));
    if (!pp.doc) {
        rc = ZX_ENOMEM;
        goto fail;
    }
    /* Input is UTF-8: saying so stops libyaml from reading a UTF-16 file
     * as text, whose columns would not be those of the bytes here. */
    yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    while (!done) {
        if (!yaml_parser_parse(&yp, &ev)) {
            rc = syntax_error(&pp, &yp);
            goto fail;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&pp, &ev, &ndocs);
        yaml_event_delete(&ev);
        if (rc)
            goto fail;
    }
    yaml_parser_delete(&yp);
    *out = pp.doc;
    return pp.problems ? ZX_EDATA : ZX_OK;

fail:
    yaml_parser_delete(&yp);
    zx_yaml_free(pp.doc);
    return rc;
}

/* ---- reading with diagnostics ---- */

void zx_yaml_bad(const zx_yaml_reader *r, const zx_yaml_node *n,
                 const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    zx_diag_add(r->diag, r->file, n->line, n->col - 1, "%s", msg);
}

/* The known keys are listed in the message: the usual cause is a typo. */
void zx_yaml_check_keys(const zx_yaml_reader *r, const zx_yaml_node *map,
                        const char *const *allowed)
{
    const zx_yaml_node *k;
    const char *const *a;
    char list[256];
    size_t used;

    for (k = map->first; k; k = k->next) {
        for (a = allowed; *a && strcmp(*a, k->text) != 0; a++)
            ;
        if (*a)
            continue;
        used = 0;
        list[0] = '\0';
        for (a = allowed; *a && used < sizeof(list); a++)
            used += (size_t)snprintf(list + used, sizeof(list) - used,
                                     "%s%s", a == allowed ? "" : "、", *a);
        zx_yaml_bad(r, k, "未知的键“%s”（此处可用的键：%s）", k->text, list);
    }
}

int zx_yaml_want_map(const zx_yaml_reader *r, const zx_yaml_node *n,
                     const char *what)
{
    if (n->kind == ZX_YAML_MAP)
        return 1;
    zx_yaml_bad(r, n, "%s应为映射（“键: 值”的形式）", what);
    return 0;
}

int zx_yaml_want_list(const zx_yaml_reader *r, const zx_yaml_node *n,
                      const char *key)
{
    if (n->kind == ZX_YAML_SEQ)
        return 1;
    zx_yaml_bad(r, n, "“%s”应为列表（每项以“- ”开头，或写作 [甲, 乙]）",
                key);
    return 0;
}

const zx_yaml_node *zx_yaml_field(const zx_yaml_reader *r,
                                  const zx_yaml_node *map, const char *key,
                                  int required)
{
    const zx_yaml_node *k;

    for (k = map->first; k && strcmp(k->text, key) != 0; k = k->next)
        ;
    if (!k) {
        if (required)
            zx_yaml_bad(r, map, "缺少“%s”", key);
        return NULL;
    }
    if (zx_yaml_is_null(k->value)) {
        if (required)
            zx_yaml_bad(r, k, "“%s”不能为空", key);
        return NULL;
    }
    return k->value;
}

const char *zx_yaml_text(const zx_yaml_reader *r, const zx_yaml_node *v,
                         const char *key)
{
    if (v->kind == ZX_YAML_SCALAR)
        return v->text;
    zx_yaml_bad(r, v, "“%s”应为文本，而不是%s", key,
                v->kind == ZX_YAML_SEQ ? "列表" : "映射");
    return NULL;
}

const char *zx_yaml_get_text(const zx_yaml_reader *r,
                             const zx_yaml_node *map, const char *key,
                             int required)
{
    const zx_yaml_node *v = zx_yaml_field(r, map, key, required);
    const char *s = v ? zx_yaml_text(r, v, key) : NULL;

    if (s && !*s) {
        if (required)
            zx_yaml_bad(r, v, "“%s”不能为空", key);
        return NULL;
    }
    return s;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int zx_yaml_parse_number(const char *s, double *out)
{
    const char *d = *s == '+' || *s == '-' ? s + 1 : s;
    char *end;
    double v;

    /* strtod alone would also take "0x1p3", "inf" and "nan" */
    if (!*s || strspn(s, "0123456789.eE+-") != strlen(s) ||
        !(is_digit(*d) || (*d == '.' && is_digit(d[1]))))
        return 0;
    errno = 0;
    v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int zx_yaml_parse_year(const char *s, int *out)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4 || s[0] == '0')
        return 0;
    *out = atoi(s);
    return 1;
}

int zx_yaml_number(const zx_yaml_reader *r, const zx_yaml_node *v,
                   const char *key, double *out)
{
    if (v->kind == ZX_YAML_SCALAR && zx_yaml_parse_number(v->text, out))
        return 1;
    if (v->kind == ZX_YAML_SCALAR)
        zx_yaml_bad(r, v, "“%s”应为数字，而不是“%s”", key, v->text);
    else
        zx_yaml_bad(r, v, "“%s”应为数字", key);
    return 0;
}

int zx_yaml_year(const zx_yaml_reader *r, const zx_yaml_node *v,
                 const char *key, int *out)
{
    if (v->kind == ZX_YAML_SCALAR && zx_yaml_parse_year(v->text, out))
        return 1;
    zx_yaml_bad(r, v, "“%s”应为四位数字的年份", key);
    return 0;
}
