/*
 * cmd_init.c - `zhenxing init`: create or upgrade the database.
 */
#include "audit.h"
#include "cli.h"
#include "planstore.h"
#include "registry.h"
#include "zx.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char zx_usage_init[] =
    "用法: zhenxing [--db 路径] init [--city 名称] [--code 行政区划代码]\n"
    "\n"
    "创建数据库（已存在时升级到本程序的结构版本），并建立根单位（市）。\n"
    "重复运行是安全的：已有数据不会改变。\n"
    "\n"
    "选项:\n"
    "  --city 名称   根单位名称（默认 海门市）\n"
    "  --code 代码   根单位编码，通常为 6 位行政区划代码（默认 320684）\n";

/* Creates the directory part of path if missing (one level, as var/). */
static void make_parent(const char *path)
{
    char dir[1024];
    char *slash;

    if (strlen(path) >= sizeof(dir))
        return;
    strcpy(dir, path);
    slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    mkdir(dir, 0755);
}

int zx_cmd_init(zx_cli *cli, int argc, char **argv)
{
    const char *city = "海门市", *code = "320684";
    zx_db *db = NULL;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--city") == 0 && i + 1 < argc)
            city = argv[++i];
        else if (strcmp(argv[i], "--code") == 0 && i + 1 < argc)
            code = argv[++i];
        else
            return zx_cli_usage_error("init", "无法识别的参数“%s”", argv[i]);
    }
    make_parent(cli->db_path);
    if ((rc = zx_cli_open_db(cli, 1, &db)))
        return rc;
    rc = zx_registry_init_city(db, code, city);
    if (rc) {
        fprintf(stderr, "zhenxing init: 无法建立根单位：%s\n",
                zx_db_errmsg(db));
        zx_db_close(db);
        return zx_cli_exit_code(rc);
    }
    /* a new database starts with the built-in plan */
    if (zx_db_int(db, "SELECT count(*) FROM plan_version", NULL, 0) == 0) {
        zx_diag *diag = zx_diag_new();
        rc = diag ? zx_planstore_put(db, zx_builtin_plan,
                                     zx_builtin_plan_len,
                                     "plans/haimen-2020-2022.yaml",
                                     zx_audit_cli_actor(), diag)
                  : ZX_ENOMEM;
        zx_cli_print_diag(diag);
        zx_diag_free(diag);
        if (rc) {
            fprintf(stderr, "zhenxing init: 内置计划无法载入\n");
            zx_db_close(db);
            return zx_cli_exit_code(rc);
        }
    }
    printf("数据库 %s 已就绪（结构版本 %d）\n", cli->db_path,
           zx_db_schema_version());
    zx_db_close(db);
    return ZX_EXIT_OK;
}
