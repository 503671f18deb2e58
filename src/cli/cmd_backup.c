/*
 * cmd_backup.c - `zhenxing backup FILE`: a consistent copy of the
 * database, taken while it is in use.
 */
#include "cli.h"
#include "zx.h"

#include <stdio.h>
#include <string.h>

const char zx_usage_backup[] =
    "用法: zhenxing [--db 路径] backup 文件\n"
    "\n"
    "在系统运行期间为数据库做一份一致的副本（其他人可以继续查看和填报）。\n"
    "副本写完后才出现在目标位置；恢复时直接用 --db 指向副本即可。\n";

int zx_cmd_backup(zx_cli *cli, int argc, char **argv)
{
    zx_db *db = NULL;
    int rc, code;

    if (argc != 2 || argv[1][0] == '-')
        return zx_cli_usage_error("backup", "需要指定一个目标文件");
    if (strcmp(argv[1], cli->db_path) == 0)
        return zx_cli_usage_error("backup", "目标文件不能是数据库本身");
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    rc = zx_db_backup(db, argv[1]);
    if (rc == ZX_OK)
        printf("已备份到 %s\n", argv[1]);
    else
        fprintf(stderr, "zhenxing backup: 备份失败%s：%s\n",
                rc == ZX_EIO ? "（目标文件无法写入）" : "",
                zx_db_errmsg(db));
    zx_db_close(db);
    return zx_cli_exit_code(rc);
}
