/*
 * expr.h - the plan's expression language: parsing text such as
 * "rural and count(teachers, role('种子教师')) >= 2" into a syntax tree.
 *
 * Only syntax lives here; what names mean (fields, data elements,
 * functions) is decided by the compiler (compile.h), which turns a tree
 * into SQL.  Each node keeps its byte offset in the source so that every
 * error can point at the exact character.  Grammar: docs/plan-format.md.
 */
#ifndef ZX_EXPR_H
#define ZX_EXPR_H

#include <stddef.h>

enum zx_node_kind {
    ZX_N_NUM,     /* num */
    ZX_N_STR,     /* str */
    ZX_N_BOOL,    /* num: 1 or 0 */
    ZX_N_YEAR,    /* the year being evaluated */
    ZX_N_NAME,    /* str; a.b is a ZX_N_NAME with str "a" and member "b" */
    ZX_N_CALL,    /* str = function name, args */
    ZX_N_LIST,    /* args */
    ZX_N_NOT,     /* a */
    ZX_N_NEG,     /* a */
    ZX_N_AND, ZX_N_OR,                       /* a, b */
    ZX_N_EQ, ZX_N_NE, ZX_N_LT, ZX_N_LE, ZX_N_GT, ZX_N_GE,   /* a, b */
    ZX_N_ADD, ZX_N_SUB, ZX_N_MUL, ZX_N_DIV,  /* a, b */
    ZX_N_IN,      /* a in list b */
    ZX_N_BETWEEN  /* a between b and c */
};

typedef struct zx_node zx_node;
struct zx_node {
    enum zx_node_kind kind;
    int off;              /* byte offset of the node's first token */
    double num;
    const char *str;      /* ZX_N_STR, ZX_N_NAME, ZX_N_CALL */
    const char *member;   /* ZX_N_NAME: "b" of "a.b", else NULL */
    zx_node *a, *b, *c;
    zx_node **args;       /* ZX_N_CALL, ZX_N_LIST */
    int nargs;
};

typedef struct zx_expr zx_expr;

/* Parses src.  On success *out holds the tree (free with zx_expr_free).
 * On a syntax error returns ZX_EDATA, sets *err_off to the byte offset of
 * the problem and writes a Chinese message into err. */
int zx_expr_parse(const char *src, zx_expr **out, int *err_off, char *err,
                  size_t errlen);

/* The root node; owned by e. */
const zx_node *zx_expr_root(const zx_expr *e);

void zx_expr_free(zx_expr *e);

#endif
