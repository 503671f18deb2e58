/*
 * cmd_user.c - `zhenxing user add|list|disable|enable|passwd`.
 *
 * A password comes from standard input when that is not a terminal (for
 * scripts: `echo 密码 | zhenxing user add ...`), else it is asked for
 * twice with echo off.  It is never taken from the command line, where
 * other users of the machine could read it.
 */
#include "accounts.h"
#include "audit.h"
#include "cli.h"
#include "zx.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

const char zx_usage_user[] =
    "用法: zhenxing [--db 路径] user add 用户名 --role 角色 --unit 单位编码\n"
    "       zhenxing [--db 路径] user list\n"
    "       zhenxing [--db 路径] user disable|enable 用户名\n"
    "       zhenxing [--db 路径] user passwd 用户名\n"
    "\n"
    "管理登录账户。角色及其单位:\n"
    "  管理员   计划办公室，单位为全市（根单位编码）\n"
    "  区镇     区镇工作人员，单位为区镇编码\n"
    "  学校     学校填报员，单位为学校标识码\n"
    "  督学     责任督学，单位为全市；负责的学校另行指派\n"
    "  领导     只读查看，单位为全市或区镇\n"
    "\n"
    "密码从标准输入读取（不是终端时，如 echo 密码 | zhenxing user add ...），\n"
    "否则提示输入两次；密码至少 8 个字符，以 argon2id 散列保存。\n";

/* Reads a line into buf without its line end; echo off on a terminal. */
static int read_line(const char *prompt, char *buf, size_t cap)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO), ok;
    size_t n;

    if (tty) {
        fputs(prompt, stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    ok = fgets(buf, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return -1;
    n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    return 0;
}

static int read_password(char *buf, size_t cap)
{
    char again[256];

    if (read_line("新密码：", buf, cap) != 0) {
        fprintf(stderr, "zhenxing user: 没有读到密码\n");
        return -1;
    }
    if (!isatty(STDIN_FILENO))
        return 0;
    if (read_line("再输入一次：", again, sizeof(again)) != 0 ||
        strcmp(buf, again) != 0) {
        fprintf(stderr, "zhenxing user: 两次输入的密码不一致\n");
        return -1;
    }
    return 0;
}

static int print_account(void *ctx, const zx_account *a)
{
    (void)ctx;
    zx_cli_pad(a->name, 16);
    zx_cli_pad(a->role, 8);
    zx_cli_pad(a->unit_name, 26);
    printf("%-12s %s%s\n", a->unit_code, a->created_at,
           a->disabled ? "  已停用" : "");
    return 0;
}

int zx_cmd_user(zx_cli *cli, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : NULL, *name = NULL;
    const char *role = NULL, *unit = NULL, *v;
    char password[256];
    zx_db *db = NULL;
    zx_diag *diag = NULL;
    int i, r, rc = ZX_OK, code;

    if (!verb)
        return zx_cli_usage_error("user", "需要指定 add、list、disable、"
                                  "enable 或 passwd");
    for (i = 2; i < argc; i++) {
        if ((r = zx_cli_option(argc, argv, &i, "--role", NULL, &v)) > 0)
            role = v;
        else if (!r && (r = zx_cli_option(argc, argv, &i, "--unit", NULL,
                                          &v)) > 0)
            unit = v;
        else if (r < 0)
            return zx_cli_usage_error("user", "选项“%s”缺少取值", argv[i]);
        else if (argv[i][0] == '-' || name)
            return zx_cli_usage_error("user", "无法识别的参数“%s”", argv[i]);
        else
            name = argv[i];
    }
    if (strcmp(verb, "list") != 0 && !name)
        return zx_cli_usage_error("user", "需要指定用户名");
    if (strcmp(verb, "add") == 0 && (!role || !unit))
        return zx_cli_usage_error("user", "user add 需要 --role 和 --unit");
    if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
        strcmp(verb, "disable") != 0 && strcmp(verb, "enable") != 0 &&
        strcmp(verb, "passwd") != 0)
        return zx_cli_usage_error("user", "未知的操作“%s”", verb);
    if ((strcmp(verb, "add") == 0 || strcmp(verb, "passwd") == 0) &&
        read_password(password, sizeof(password)) != 0)
        return ZX_EXIT_USAGE;
    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    diag = zx_diag_new();
    if (strcmp(verb, "list") == 0)
        rc = zx_accounts_list(db, print_account, NULL);
    else if (strcmp(verb, "add") == 0)
        rc = zx_accounts_add(db, name, role, unit, password,
                             zx_audit_cli_actor(), diag);
    else if (strcmp(verb, "passwd") == 0)
        rc = zx_accounts_set_password(db, name, password,
                                      zx_audit_cli_actor(), diag);
    else
        rc = zx_accounts_set_disabled(db, name, strcmp(verb, "disable") == 0,
                                      zx_audit_cli_actor());
    sodium_memzero(password, sizeof(password));
    zx_cli_print_diag(diag);
    if (rc == ZX_ENOTFOUND && zx_diag_count(diag) == 0)
        fprintf(stderr, "zhenxing user: 没有名为“%s”的用户\n", name);
    else if (rc == ZX_OK && strcmp(verb, "list") != 0)
        printf("已%s用户 %s\n",
               strcmp(verb, "add") == 0      ? "创建"
               : strcmp(verb, "passwd") == 0 ? "修改密码："
               : strcmp(verb, "disable") == 0 ? "停用"
                                              : "启用",
               name);
    zx_diag_free(diag);
    zx_db_close(db);
    return rc == ZX_EINVAL ? ZX_EXIT_DATA
           : rc == ZX_EEXIST ? ZX_EXIT_FAIL
                             : zx_cli_exit_code(rc);
}
