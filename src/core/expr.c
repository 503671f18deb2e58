/*
 * expr.c - expression parser (see expr.h): a hand-written tokenizer and
 * recursive descent, one function per grammar rule.  Nodes and strings
 * live in an arena freed at once.
 */
#include "expr.h"
#include "zx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok {
    T_END, T_NUM, T_STR, T_NAME, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_DOT,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_PLUS, T_MINUS, T_STAR, T_SLASH
};

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct zx_expr {
    struct chunk *chunks;
    zx_node *root;
    int oom;
};

struct parser {
    const char *src;
    size_t pos;           /* next byte to read */
    enum tok tok;         /* current token */
    int tok_off;
    double num;
    char *text;           /* T_STR, T_NAME: arena copy */
    zx_expr *e;
    jmp_buf fail;
    /* results of a failure live outside this frame, since longjmp leaves
     * the parser's own automatic variables indeterminate */
    int *err_off;
    char *err;
    size_t errlen;
};

static void *alloc(struct parser *p, size_t n)
{
    struct chunk *c = p->e->chunks;
    void *r;

    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 4096 ? n : 4096;
        c = malloc(sizeof(*c) + cap);
        if (!c) {
            p->e->oom = 1;
            longjmp(p->fail, 1);
        }
        c->used = 0;
        c->cap = cap;
        c->next = p->e->chunks;
        p->e->chunks = c;
    }
    r = (char *)c->data + c->used;
    c->used += n;
    return r;
}

static void fail(struct parser *p, int off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

static void fail(struct parser *p, int off, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    *p->err_off = off;
    longjmp(p->fail, 1);
}

static int is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static const char *tok_desc(enum tok t)
{
    static const char *const d[] = {
        "表达式结尾", "数字", "字符串", "名称", "“(”", "“)”", "“[”", "“]”",
        "“,”", "“.”", "“=”", "“!=”", "“<”", "“<=”", "“>”", "“>=”", "“+”",
        "“-”", "“*”", "“/”"
    };
    return d[t];
}

static void next(struct parser *p)
{
    const char *s = p->src;
    size_t start;

    while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' ||
           s[p->pos] == '\r')
        p->pos++;
    p->tok_off = (int)p->pos;
    start = p->pos;
    switch (s[p->pos]) {
    case '\0': p->tok = T_END; return;
    case '(': p->pos++; p->tok = T_LP; return;
    case ')': p->pos++; p->tok = T_RP; return;
    case '[': p->pos++; p->tok = T_LB; return;
    case ']': p->pos++; p->tok = T_RB; return;
    case ',': p->pos++; p->tok = T_COMMA; return;
    case '.': p->pos++; p->tok = T_DOT; return;
    case '+': p->pos++; p->tok = T_PLUS; return;
    case '-': p->pos++; p->tok = T_MINUS; return;
    case '*': p->pos++; p->tok = T_STAR; return;
    case '/': p->pos++; p->tok = T_SLASH; return;
    case '=':
        p->pos += s[p->pos + 1] == '=' ? 2 : 1;
        p->tok = T_EQ;
        return;
    case '!':
        if (s[p->pos + 1] != '=')
            fail(p, p->tok_off, "无法识别的符号“!”，不等于请写 !=");
        p->pos += 2;
        p->tok = T_NE;
        return;
    case '<':
        if (s[p->pos + 1] == '=') {
            p->pos += 2;
            p->tok = T_LE;
        } else if (s[p->pos + 1] == '>') {
            p->pos += 2;
            p->tok = T_NE;
        } else {
            p->pos++;
            p->tok = T_LT;
        }
        return;
    case '>':
        p->pos += s[p->pos + 1] == '=' ? 2 : 1;
        p->tok = s[p->pos - 1] == '=' ? T_GE : T_GT;
        return;
    case '\'':
    case '"': {
        char q = s[p->pos++];
        size_t b = p->pos;
        while (s[p->pos] && s[p->pos] != q)
            p->pos++;
        if (!s[p->pos])
            fail(p, p->tok_off, "字符串缺少结尾的引号");
        p->text = alloc(p, p->pos - b + 1);
        memcpy(p->text, s + b, p->pos - b);
        p->text[p->pos - b] = '\0';
        p->pos++;
        p->tok = T_STR;
        return;
    }
    }
    if (s[p->pos] >= '0' && s[p->pos] <= '9') {
        char *end;
        p->num = strtod(s + p->pos, &end);
        p->pos = (size_t)(end - s);
        if (s[p->pos] == '%') /* "100%" reads as 100 */
            p->pos++;
        if (is_name_char((unsigned char)s[p->pos]))
            fail(p, (int)p->pos, "数字后面紧跟着字母");
        p->tok = T_NUM;
        return;
    }
    if (is_name_start((unsigned char)s[p->pos])) {
        while (is_name_char((unsigned char)s[p->pos]))
            p->pos++;
        p->text = alloc(p, p->pos - start + 1);
        memcpy(p->text, s + start, p->pos - start);
        p->text[p->pos - start] = '\0';
        p->tok = T_NAME;
        return;
    }
    fail(p, p->tok_off, "无法识别的字符（名称只能用字母、数字和下划线，"
                        "中文请放在引号里）");
}

static int is_word(struct parser *p, const char *w)
{
    return p->tok == T_NAME && strcmp(p->text, w) == 0;
}

static void expect(struct parser *p, enum tok t)
{
    if (p->tok != t)
        fail(p, p->tok_off, "此处应为%s，实为%s", tok_desc(t),
             tok_desc(p->tok));
    next(p);
}

static zx_node *node(struct parser *p, enum zx_node_kind k, int off)
{
    zx_node *n = alloc(p, sizeof(*n));

    memset(n, 0, sizeof(*n));
    n->kind = k;
    n->off = off;
    return n;
}

static zx_node *binary(struct parser *p, enum zx_node_kind k, zx_node *a,
                       zx_node *b)
{
    zx_node *n = node(p, k, a->off);

    n->a = a;
    n->b = b;
    return n;
}

static zx_node *parse_or(struct parser *p);

/* Comma-separated expressions up to the closing token. */
static void parse_args(struct parser *p, zx_node *n, enum tok close)
{
    zx_node *buf[32];
    int i;

    n->nargs = 0;
    if (p->tok != close) {
        for (;;) {
            if (n->nargs == 32)
                fail(p, p->tok_off, "参数或列表元素过多（最多 32 个）");
            buf[n->nargs++] = parse_or(p);
            if (p->tok != T_COMMA)
                break;
            next(p);
        }
    }
    expect(p, close);
    n->args = alloc(p, sizeof(zx_node *) * (size_t)(n->nargs ? n->nargs : 1));
    for (i = 0; i < n->nargs; i++)
        n->args[i] = buf[i];
}

static zx_node *parse_factor(struct parser *p)
{
    zx_node *n;
    int off = p->tok_off;

    switch (p->tok) {
    case T_NUM:
        n = node(p, ZX_N_NUM, off);
        n->num = p->num;
        next(p);
        return n;
    case T_STR:
        n = node(p, ZX_N_STR, off);
        n->str = p->text;
        next(p);
        return n;
    case T_LP:
        next(p);
        n = parse_or(p);
        expect(p, T_RP);
        return n;
    case T_LB:
        next(p);
        n = node(p, ZX_N_LIST, off);
        parse_args(p, n, T_RB);
        return n;
    case T_MINUS:
        next(p);
        n = node(p, ZX_N_NEG, off);
        n->a = parse_factor(p);
        return n;
    case T_NAME:
        break;
    default:
        fail(p, off, "此处应为数值、名称或括号，实为%s", tok_desc(p->tok));
    }
    if (is_word(p, "true") || is_word(p, "false")) {
        n = node(p, ZX_N_BOOL, off);
        n->num = is_word(p, "true");
        next(p);
        return n;
    }
    if (is_word(p, "year")) {
        next(p);
        return node(p, ZX_N_YEAR, off);
    }
    if (is_word(p, "and") || is_word(p, "or") || is_word(p, "not") ||
        is_word(p, "in") || is_word(p, "between"))
        fail(p, off, "此处缺少数值或名称（“%s”是关键字）", p->text);
    n = node(p, ZX_N_NAME, off);
    n->str = p->text;
    next(p);
    if (p->tok == T_LP) {
        n->kind = ZX_N_CALL;
        next(p);
        parse_args(p, n, T_RP);
    } else if (p->tok == T_DOT) {
        next(p);
        if (p->tok != T_NAME)
            fail(p, p->tok_off, "“.”后面应为名称");
        n->member = p->text;
        next(p);
    }
    return n;
}

static zx_node *parse_term(struct parser *p)
{
    zx_node *n = parse_factor(p);

    while (p->tok == T_STAR || p->tok == T_SLASH) {
        enum zx_node_kind k = p->tok == T_STAR ? ZX_N_MUL : ZX_N_DIV;
        next(p);
        n = binary(p, k, n, parse_factor(p));
    }
    return n;
}

static zx_node *parse_arith(struct parser *p)
{
    zx_node *n = parse_term(p);

    while (p->tok == T_PLUS || p->tok == T_MINUS) {
        enum zx_node_kind k = p->tok == T_PLUS ? ZX_N_ADD : ZX_N_SUB;
        next(p);
        n = binary(p, k, n, parse_term(p));
    }
    return n;
}

static zx_node *parse_compare(struct parser *p)
{
    zx_node *n = parse_arith(p), *r;
    enum zx_node_kind k;

    switch (p->tok) {
    case T_EQ: k = ZX_N_EQ; break;
    case T_NE: k = ZX_N_NE; break;
    case T_LT: k = ZX_N_LT; break;
    case T_LE: k = ZX_N_LE; break;
    case T_GT: k = ZX_N_GT; break;
    case T_GE: k = ZX_N_GE; break;
    default:
        if (is_word(p, "in")) {
            next(p);
            if (p->tok != T_LB)
                fail(p, p->tok_off, "in 后面应为方括号列表，如 [1, 2]");
            return binary(p, ZX_N_IN, n, parse_factor(p));
        }
        if (is_word(p, "between")) {
            next(p);
            r = binary(p, ZX_N_BETWEEN, n, parse_arith(p));
            if (!is_word(p, "and"))
                fail(p, p->tok_off, "between 的两个值之间应有 and");
            next(p);
            r->c = parse_arith(p);
            return r;
        }
        return n;
    }
    next(p);
    return binary(p, k, n, parse_arith(p));
}

static zx_node *parse_not(struct parser *p)
{
    zx_node *n;

    if (is_word(p, "not")) {
        n = node(p, ZX_N_NOT, p->tok_off);
        next(p);
        n->a = parse_not(p);
        return n;
    }
    return parse_compare(p);
}

static zx_node *parse_and(struct parser *p)
{
    zx_node *n = parse_not(p);

    while (is_word(p, "and")) {
        next(p);
        n = binary(p, ZX_N_AND, n, parse_not(p));
    }
    return n;
}

static zx_node *parse_or(struct parser *p)
{
    zx_node *n = parse_and(p);

    while (is_word(p, "or")) {
        next(p);
        n = binary(p, ZX_N_OR, n, parse_and(p));
    }
    return n;
}

int zx_expr_parse(const char *src, zx_expr **out, int *err_off, char *err,
                  size_t errlen)
{
    struct parser p;
    zx_expr *e;

    *out = NULL;
    *err_off = 0;
    if (errlen)
        err[0] = '\0';
    e = calloc(1, sizeof(*e));
    if (!e)
        return ZX_ENOMEM;
    memset(&p, 0, sizeof(p));
    p.src = src;
    p.e = e;
    p.err = err;
    p.errlen = errlen;
    p.err_off = err_off;
    if (setjmp(p.fail)) {
        int rc = e->oom ? ZX_ENOMEM : ZX_EDATA;
        zx_expr_free(e);
        return rc;
    }
    next(&p);
    if (p.tok == T_END)
        fail(&p, 0, "表达式为空");
    e->root = parse_or(&p);
    if (p.tok != T_END)
        fail(&p, p.tok_off, "表达式在此处多出了内容（%s）", tok_desc(p.tok));
    *out = e;
    return ZX_OK;
}

const zx_node *zx_expr_root(const zx_expr *e)
{
    return e->root;
}

void zx_expr_free(zx_expr *e)
{
    struct chunk *c, *n;

    if (!e)
        return;
    for (c = e->chunks; c; c = n) {
        n = c->next;
        free(c);
    }
    free(e);
}
