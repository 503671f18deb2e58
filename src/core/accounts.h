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

/* A new random password of ZX_ACCOUNTS_RANDOM_LEN characters (letters
 * and digits, the look-alikes 0/O, 1/l/I left out) into out. */
#define ZX_ACCOUNTS_RANDOM_LEN 14
void zx_accounts_random_password(char out[ZX_ACCOUNTS_RANDOM_LEN + 1]);

/* On a database with no account at all, creates "admin" (管理员 of the
 * city) with a random password written to password, for the server's
 * first start to print once.  Returns ZX_OK when created, ZX_EEXIST when
 * accounts exist already (nothing done), ZX_ENOTFOUND without a city,
 * ZX_EDB or ZX_ENOMEM. */
int zx_accounts_bootstrap(zx_db *db,
                          char password[ZX_ACCOUNTS_RANDOM_LEN + 1]);

/* Makes the schools of the codes (n of them) the ones the inspector
 * (an enabled 督学 account) is assigned, replacing earlier assignments
 * of theirs; a school assigned to another inspector moves.  One
 * transaction with an audit entry.  Returns ZX_OK; ZX_ENOTFOUND (no such
 * inspector or school, in diag); ZX_EDB. */
int zx_accounts_assign_schools(zx_db *db, const char *inspector,
                               const char *const *codes, int n,
                               const char *actor, zx_diag *diag);

#endif
