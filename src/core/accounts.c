/*
 * accounts.c - accounts, roles and passwords (see accounts.h).
 */
#include "accounts.h"
#include "audit.h"
#include "text.h"
#include "zx.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The unit kinds each role may be scoped to. */
static const struct role {
    const char *name;
    const char *kinds;    /* space-separated org_unit kinds */
    const char *say;      /* Chinese, for the error message */
} roles[] = {
    { "管理员", " city ", "全市（根单位）" },
    { "区镇", " town ", "区镇" },
    { "学校", " school ", "学校" },
    { "督学", " city ", "全市（所负责的学校另行指派）" },
    { "领导", " city town ", "全市或区镇" },
};

static const struct role *find_role(const char *name)
{
    size_t i;

    for (i = 0; name && i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(roles[i].name, name) == 0)
            return &roles[i];
    return NULL;
}

static void now_text(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int check_password(const char *password, zx_diag *diag)
{
    if (!password || zx_text_chars(password) < ZX_ACCOUNTS_MIN_PASSWORD) {
        zx_diag_add(diag, "", 0, -1, "密码至少 %d 个字符",
                    ZX_ACCOUNTS_MIN_PASSWORD);
        return ZX_EINVAL;
    }
    return ZX_OK;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
    if (sodium_init() < 0)
        return ZX_ENOMEM;
    return crypto_pwhash_str(out, password, strlen(password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? ZX_OK : ZX_ENOMEM;
}

static int audit_account(zx_db *db, const char *actor, const char *action,
                         const char *name, json_t *old, json_t *new_)
{
    return zx_audit_append_json(db, actor, action, "account", name, old,
                                new_);
}

int zx_accounts_add(zx_db *db, const char *name, const char *role,
                    const char *unit_code, const char *password,
                    const char *actor, zx_diag *diag)
{
    const struct role *r = find_role(role);
    char hash[crypto_pwhash_STRBYTES], at[32], kind[16] = "";
    sqlite3_stmt *st;
    long long unit = 0;
    json_t *j = NULL;
    int rc;

    if (!name || !*name || zx_text_chars(name) > 32 ||
        strpbrk(name, " \t\r\n")) {
        zx_diag_add(diag, "", 0, -1, "用户名应为 1～32 个字符，不含空格");
        return ZX_EINVAL;
    }
    if (!r) {
        zx_diag_add(diag, "", 0, -1, "角色“%s”无效：应为 管理员、区镇、学校、"
                    "督学 或 领导", role ? role : "");
        return ZX_EINVAL;
    }
    if ((rc = check_password(password, diag)))
        return rc;
    if (!unit_code || !*unit_code) {
        zx_diag_add(diag, "", 0, -1, "请指定账户所属单位的编码");
        return ZX_EINVAL;
    }
    st = zx_db_prepare(db, "SELECT id, kind FROM org_unit WHERE code = ?1");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, unit_code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        unit = sqlite3_column_int64(st, 0);
        snprintf(kind, sizeof(kind), " %s ", sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (!unit) {
        zx_diag_add(diag, "", 0, -1, "没有编码为“%s”的单位", unit_code);
        return ZX_ENOTFOUND;
    }
    if (!strstr(r->kinds, kind)) {
        zx_diag_add(diag, "", 0, -1, "角色“%s”的单位应为%s，“%s”不是", role,
                    r->say, unit_code);
        return ZX_EINVAL;
    }
    if (zx_db_int(db, "SELECT count(*) FROM account WHERE name = ?1", name,
                  0)) {
        zx_diag_add(diag, "", 0, -1, "用户名“%s”已被使用", name);
        return ZX_EEXIST;
    }
    if ((rc = hash_password(password, hash)))
        return rc;
    now_text(at, sizeof(at));
    if ((rc = zx_db_begin(db)))
        return rc;
    rc = ZX_EDB;
    st = zx_db_prepare(db, "INSERT INTO account(name, role, unit_id,"
                           " pass_hash, created_at, changed_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, unit);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    j = json_pack("{s:s, s:s}", "role", role, "unit", unit_code);
    if ((rc = audit_account(db, actor, "insert", name, NULL, j)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    json_decref(j);
    return ZX_OK;

fail:
    json_decref(j);
    zx_db_rollback(db);
    return rc;
}

/* Runs one UPDATE of the account `name` with its audit entry; with
 * end_sessions its sessions end in the same transaction (a new password
 * or a disabled account must not leave an old login open). */
static int update_account(zx_db *db, const char *sql, const char *name,
                          const char *text, int num, int end_sessions,
                          const char *actor, json_t *old, json_t *new_)
{
    sqlite3_stmt *st;
    char at[32];
    int rc;

    now_text(at, sizeof(at));
    if ((rc = zx_db_begin(db)))
        return rc;
    rc = ZX_EDB;
    st = zx_db_prepare(db, sql);
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 2, num);
    sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    if (sqlite3_changes(zx_db_sqlite(db)) == 0) {
        rc = ZX_ENOTFOUND;
        goto fail;
    }
    if (end_sessions) {
        st = zx_db_prepare(db, "DELETE FROM session WHERE account_id ="
                               " (SELECT id FROM account WHERE name = ?1)");
        if (!st)
            goto fail;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
    }
    if ((rc = audit_account(db, actor, "update", name, old, new_)) ||
        (rc = zx_db_commit(db)))
        goto fail;
    return ZX_OK;

fail:
    zx_db_rollback(db);
    return rc;
}

int zx_accounts_set_password(zx_db *db, const char *name,
                             const char *password, const char *actor,
                             zx_diag *diag)
{
    char hash[crypto_pwhash_STRBYTES];
    json_t *j;
    int rc;

    if ((rc = check_password(password, diag)) ||
        (rc = hash_password(password, hash)))
        return rc;
    /* the audit says that the password changed, never what to */
    j = json_pack("{s:b}", "password_changed", 1);
    rc = j ? update_account(db, "UPDATE account SET pass_hash = ?2,"
                                " changed_at = ?3 WHERE name = ?1",
                            name, hash, 0, 1, actor, NULL, j)
           : ZX_ENOMEM;
    json_decref(j);
    if (rc == ZX_ENOTFOUND)
        zx_diag_add(diag, "", 0, -1, "没有名为“%s”的用户", name);
    return rc;
}

int zx_accounts_set_disabled(zx_db *db, const char *name, int disabled,
                             const char *actor)
{
    json_t *o = json_pack("{s:b}", "disabled", !disabled);
    json_t *n = json_pack("{s:b}", "disabled", disabled);
    int rc = o && n ? update_account(db, "UPDATE account SET disabled = ?2,"
                                         " changed_at = ?3 WHERE name = ?1",
                                     name, NULL, disabled != 0, disabled != 0,
                                     actor, o, n)
                    : ZX_ENOMEM;

    json_decref(o);
    json_decref(n);
    return rc;
}

int zx_accounts_check(zx_db *db, const char *name, const char *password,
                      long long *id)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT id, pass_hash, disabled"
                                         " FROM account WHERE name = ?1");
    int rc = ZX_EINVAL;

    *id = 0;
    if (!st)
        return ZX_EDB;
    if (sodium_init() < 0)
        return ZX_ENOMEM;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && !sqlite3_column_int(st, 2) &&
        crypto_pwhash_str_verify((const char *)sqlite3_column_text(st, 1),
                                 password, strlen(password)) == 0) {
        *id = sqlite3_column_int64(st, 0);
        rc = ZX_OK;
    }
    sqlite3_reset(st);
    return rc;
}

int zx_accounts_list(zx_db *db, int (*fn)(void *ctx, const zx_account *a),
                     void *ctx)
{
    sqlite3_stmt *st = NULL;
    zx_account a;
    int rc = ZX_OK, step;

    if (sqlite3_prepare_v2(zx_db_sqlite(db),
                           "SELECT a.id, a.name, a.role, u.code, u.name,"
                           " a.disabled, a.created_at, a.changed_at"
                           " FROM account a JOIN org_unit u ON u.id = a.unit_id"
                           " ORDER BY a.name", -1, &st, NULL) != SQLITE_OK)
        return ZX_EDB;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        a.id = sqlite3_column_int64(st, 0);
        a.name = (const char *)sqlite3_column_text(st, 1);
        a.role = (const char *)sqlite3_column_text(st, 2);
        a.unit_code = (const char *)sqlite3_column_text(st, 3);
        a.unit_name = (const char *)sqlite3_column_text(st, 4);
        a.disabled = sqlite3_column_int(st, 5);
        a.created_at = (const char *)sqlite3_column_text(st, 6);
        a.changed_at = (const char *)sqlite3_column_text(st, 7);
        rc = fn(ctx, &a);
    }
    if (!rc && step != SQLITE_DONE)
        rc = ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

void zx_accounts_random_password(char out[ZX_ACCOUNTS_RANDOM_LEN + 1])
{
    static const char alphabet[] =
        "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    int i;

    if (sodium_init() < 0)
        abort(); /* libsodium cannot start: no safe password possible */
    for (i = 0; i < ZX_ACCOUNTS_RANDOM_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[ZX_ACCOUNTS_RANDOM_LEN] = '\0';
}

int zx_accounts_bootstrap(zx_db *db,
                          char password[ZX_ACCOUNTS_RANDOM_LEN + 1])
{
    sqlite3_stmt *st;
    char city[64] = "";

    if (zx_db_int(db, "SELECT count(*) FROM account", NULL, 0))
        return ZX_EEXIST;
    st = zx_db_prepare(db, "SELECT code FROM org_unit WHERE kind = 'city'"
                           " LIMIT 1");
    if (!st)
        return ZX_EDB;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(city, sizeof(city), "%s", sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (!city[0])
        return ZX_ENOTFOUND;
    zx_accounts_random_password(password);
    return zx_accounts_add(db, "admin", "管理员", city, password,
                           "server:first-start", NULL);
}

int zx_accounts_assign_schools(zx_db *db, const char *inspector,
                               const char *const *codes, int n,
                               const char *actor, zx_diag *diag)
{
    sqlite3_stmt *st;
    json_t *list = json_array(), *old = json_array();
    char at[32];
    int i, rc;

    if (!list || !old) {
        rc = ZX_ENOMEM;
        goto out;
    }
    if (!zx_db_int(db, "SELECT count(*) FROM account WHERE name = ?1"
                       " AND role = '督学' AND disabled = 0", inspector, 0)) {
        zx_diag_add(diag, "", 0, -1, "没有名为“%s”的督学账户", inspector);
        rc = ZX_ENOTFOUND;
        goto out;
    }
    now_text(at, sizeof(at));
    if ((rc = zx_db_begin(db)))
        goto out;
    rc = ZX_EDB;
    if (!(st = zx_db_prepare(db, "SELECT o.code FROM inspector_assignment a"
                                 " JOIN org_unit o ON o.id = a.school_id"
                                 " WHERE a.inspector = ?1 ORDER BY o.code")))
        goto fail;
    sqlite3_bind_text(st, 1, inspector, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(old, json_string((const char *)
                                               sqlite3_column_text(st, 0)));
    sqlite3_reset(st);
    if (!(st = zx_db_prepare(db, "DELETE FROM inspector_assignment"
                                 " WHERE inspector = ?1")))
        goto fail;
    sqlite3_bind_text(st, 1, inspector, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    if (!(st = zx_db_prepare(db, "INSERT INTO inspector_assignment"
                                 "(school_id, inspector, since)"
                                 " SELECT unit_id, ?2, ?3 FROM school s"
                                 " JOIN org_unit o ON o.id = s.unit_id"
                                 " WHERE o.code = ?1"
                                 " ON CONFLICT(school_id) DO UPDATE SET"
                                 " inspector = ?2, since = ?3")))
        goto fail;
    for (i = 0; i < n; i++) {
        sqlite3_bind_text(st, 1, codes[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, inspector, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
        if (sqlite3_changes(zx_db_sqlite(db)) == 0) {
            zx_diag_add(diag, "", 0, -1, "没有学校标识码为“%s”的学校",
                        codes[i]);
            rc = ZX_ENOTFOUND;
        }
        json_array_append_new(list, json_string(codes[i]));
    }
    if (rc == ZX_ENOTFOUND)
        goto fail;
    {
        json_t *o = json_pack("{s:O}", "schools", old);
        json_t *nw = json_pack("{s:O}", "schools", list);

        rc = o && nw ? audit_account(db, actor, "assign", inspector, o, nw)
                     : ZX_ENOMEM;
        json_decref(o);
        json_decref(nw);
    }
    if (rc || (rc = zx_db_commit(db)))
        goto fail;
    goto out;

fail:
    zx_db_rollback(db);
out:
    json_decref(list);
    json_decref(old);
    return rc;
}
