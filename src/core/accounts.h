/*
 * accounts.h - the people who use zhenxing: one role each, scoped to an
 * org unit, with an argon2id password.
 *
 * Roles (issue 4): 管理员 the plan office (scope: the city), 区镇 a town
 * officer (a town), 学校 a school clerk (a school), 督学 an inspector (the
 * schools assigned to them; their unit is the city), 领导 a read-only
 * leader (the city or a town).  A role's unit must be of the kind the role
 * works at.  Passwords are hashed with libsodium's crypto_pwhash_str
 * (argon2id, interactive limits) and never stored or logged in clear; every
 * change of an account goes to the audit log without the hash.
 */
#ifndef ZX_ACCOUNTS_H
#define ZX_ACCOUNTS_H

#include "db.h"
#include "diag.h"

#define ZX_ACCOUNTS_MIN_PASSWORD 8   /* characters */

typedef struct zx_account {
    long long id;
    const char *name, *role;
    const char *unit_code, *unit_name;
    int disabled;
    const char *created_at, *changed_at;
} zx_account;

/* Creates account name with role and the unit of code unit_code.  Returns
 * ZX_OK; ZX_EEXIST (name taken); ZX_ENOTFOUND (no such unit); ZX_EINVAL (a
 * role unknown, a unit of the wrong kind, a name or password that does not
 * fit: a Chinese message in diag); ZX_EDB; ZX_ENOMEM. */
int zx_accounts_add(zx_db *db, const char *name, const char *role,
                    const char *unit_code, const char *password,
                    const char *actor, zx_diag *diag);

/* Sets a new password.  Returns ZX_OK, ZX_ENOTFOUND, ZX_EINVAL (too short,
 * in diag) or ZX_EDB. */
int zx_accounts_set_password(zx_db *db, const char *name,
                             const char *password, const char *actor,
                             zx_diag *diag);

/* Disables (or, with disabled 0, enables again) an account.  Returns
 * ZX_OK, ZX_ENOTFOUND or ZX_EDB. */
int zx_accounts_set_disabled(zx_db *db, const char *name, int disabled,
                             const char *actor);

/* Checks a password: ZX_OK when name exists, is enabled and the password
 * matches; ZX_EINVAL otherwise (the caller says only "wrong name or
 * password"); ZX_EDB.  *id receives the account id on success. */
int zx_accounts_check(zx_db *db, const char *name, const char *password,
                      long long *id);

/* Calls fn for every account, by name.  The strings live for the call. */
int zx_accounts_list(zx_db *db, int (*fn)(void *ctx, const zx_account *a),
                     void *ctx);

#endif
