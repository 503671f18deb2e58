/*
 * zx.c - shared definitions: the text of each error code, the growable
 * array.
 */
#include "zx.h"

#include <stdlib.h>
#include <string.h>

const char *zx_strerror(int err)
{
    switch (err) {
    case ZX_OK:        return "成功";
    case ZX_EINVAL:    return "参数错误";
    case ZX_EIO:       return "文件读写失败";
    case ZX_EDB:       return "数据库错误";
    case ZX_ENOMEM:    return "内存不足";
    case ZX_EDATA:     return "数据校验未通过";
    case ZX_ENOTFOUND: return "未找到";
    case ZX_EEXIST:    return "已存在";
    case ZX_EFORMAT:   return "文件格式无法识别";
    }
    return "未知错误";
}

void *zx_push(void **arr, int *n, int *cap, size_t sz)
{
    char *p;

    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 32;

        if (!(p = realloc(*arr, (size_t)ncap * sz)))
            return NULL;
        *arr = p;
        *cap = ncap;
    }
    p = (char *)*arr + (size_t)*n * sz;
    memset(p, 0, sz);
    (*n)++;
    return p;
}
