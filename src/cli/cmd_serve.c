/*
 * cmd_serve.c - `zhenxing serve`: the web UI and the JSON API.
 *
 * Runs until SIGINT or SIGTERM.  Those are blocked before the server's
 * threads start, so that they inherit the mask and the main thread alone
 * takes them (sigwait) and stops the server in order: requests in hand
 * finish, connections close, the database is left clean.
 */
#include "accounts.h"
#include "cli.h"
#include "server.h"
#include "zx.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char zx_usage_serve[] =
    "用法: zhenxing [--db 路径] serve [--listen 地址:端口] [--threads N]\n"
    "                [--web 目录] [--vendor 目录] [--port-file 文件]\n"
    "                [--admin-password-file 文件] [--session-idle 秒]\n"
    "\n"
    "启动网页界面和 JSON 接口（/api/），直到按 Ctrl-C 或收到 SIGTERM。\n"
    "数据库中还没有任何账户时，创建管理员 admin 并打印一次随机初始密码。\n"
    "\n"
    "选项:\n"
    "  --listen 地址:端口  监听地址（默认 127.0.0.1:8080；端口 0 表示任选\n"
    "                      一个空闲端口；对外服务用 0.0.0.0:8080）\n"
    "  --threads N        工作线程数（默认 CPU 核数的两倍）\n"
    "  --web 目录         网页文件目录（默认 ./web）\n"
    "  --vendor 目录      npm 依赖目录，提供图表库（默认 ./node_modules）\n"
    "  --port-file 文件   启动后把实际端口写入该文件（供测试脚本使用）\n"
    "  --max-upload MB    上传文件大小上限（默认 200）\n"
    "  --session-idle 秒  登录闲置多久后失效（默认 1800，即 30 分钟）\n"
    "  --admin-password-file 文件\n"
    "                     首次启动创建管理员时，把初始密码也写入该文件（仅\n"
    "                     本人可读；供演示库 make run 再次显示）\n";

int zx_cmd_serve(zx_cli *cli, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *web = "web";
    const char *vendor = "node_modules", *port_file = NULL, *v;
    const char *threads_s = "0", *upload_s = "200", *pw_file = NULL;
    const char *idle_s = NULL;
    zx_session_policy policy = zx_sessions_default_policy;
    zx_server_config cfg = { 0 };
    zx_server *srv = NULL;
    zx_db *db = NULL;
    char err[512], pw[ZX_ACCOUNTS_RANDOM_LEN + 1];
    sigset_t set;
    int i, r, rc, code, sig = 0;

    for (i = 1; i < argc; i++) {
        static const char *const opts[] = { "--listen", "--threads", "--web",
                                            "--vendor", "--port-file",
                                            "--max-upload",
                                            "--admin-password-file",
                                            "--session-idle" };
        const char **dsts[] = { &listen, &threads_s, &web, &vendor,
                                &port_file, &upload_s, &pw_file, &idle_s };
        const char **dst = NULL;
        size_t k;

        for (k = 0, r = 0; k < sizeof(opts) / sizeof(opts[0]) && !r; k++)
            if ((r = zx_cli_option(argc, argv, &i, opts[k], NULL, &v)) > 0)
                dst = dsts[k];
        if (r < 0)
            return zx_cli_usage_error("serve", "选项“%s”缺少取值", argv[i]);
        if (!dst)
            return zx_cli_usage_error("serve", "无法识别的参数“%s”", argv[i]);
        *dst = v;
    }
    if (atoi(threads_s) < 0 || atoi(threads_s) > 256)
        return zx_cli_usage_error("serve", "--threads 应为 1～256");
    if (atoi(upload_s) <= 0)
        return zx_cli_usage_error("serve", "--max-upload 应为正整数（MB）");
    if (idle_s && (atoi(idle_s) < 1 || atoi(idle_s) > 86400))
        return zx_cli_usage_error("serve", "--session-idle 应为 1～86400 秒");
    if (idle_s)
        policy.idle = atoi(idle_s);

    if ((code = zx_cli_open_db(cli, 0, &db)))
        return code;
    rc = zx_accounts_bootstrap(db, pw);
    zx_db_close(db);
    if (rc == ZX_OK) {
        printf("首次启动：已创建管理员账户 admin，初始密码 %s\n"
               "（只显示这一次，请登录后在“修改密码”中更换）\n", pw);
        if (pw_file) {
            int fd = open(pw_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

            if (fd < 0 || dprintf(fd, "%s\n", pw) < 0)
                fprintf(stderr, "zhenxing serve: 无法写入 %s\n", pw_file);
            if (fd >= 0)
                close(fd);
        }
    }
    else if (rc == ZX_ENOTFOUND)
        fprintf(stderr, "zhenxing serve: 数据库中还没有单位，请先运行 "
                        "zhenxing init\n");
    else if (rc != ZX_EEXIST)
        fprintf(stderr, "zhenxing serve: 无法检查账户\n");
    if (rc != ZX_OK && rc != ZX_EEXIST)
        return zx_cli_exit_code(rc);

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    cfg.db_path = cli->db_path;
    cfg.listen = listen;
    cfg.web_dir = web;
    cfg.vendor_dir = vendor;
    cfg.threads = atoi(threads_s);
    cfg.max_upload = (size_t)atoi(upload_s) * 1024 * 1024;
    cfg.policy = &policy;
    if ((rc = zx_server_start(&cfg, &srv, err, sizeof(err)))) {
        fprintf(stderr, "zhenxing serve: %s\n", err);
        return zx_cli_exit_code(rc);
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");

        if (f) {
            fprintf(f, "%d\n", zx_server_port(srv));
            fclose(f);
        }
    }
    {
        /* the address to type into a browser: the host listened on, or
         * this machine when listening on every address */
        const char *colon = strrchr(listen, ':');
        int n = colon ? (int)(colon - listen) : 0;

        if (n == 0 || (n == 7 && strncmp(listen, "0.0.0.0", 7) == 0) ||
            (n == 4 && strncmp(listen, "[::]", 4) == 0))
            printf("振兴 zhenxing 已启动：http://127.0.0.1:%d/\n",
                   zx_server_port(srv));
        else
            printf("振兴 zhenxing 已启动：http://%.*s:%d/\n", n, listen,
                   zx_server_port(srv));
    }
    printf("按 Ctrl-C 停止。\n");
    fflush(stdout);
    sigwait(&set, &sig);
    printf("正在停止……\n");
    zx_server_stop(srv);
    return ZX_EXIT_OK;
}
