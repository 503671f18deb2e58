/*
 * test_scope.c - every role against units inside and outside its scope.
 */
#include "testutil.h"

#include "accounts.h"
#include "scope.h"

static zx_db *db;

static long long unit(const char *code)
{
    return zx_db_int(db, "SELECT id FROM org_unit WHERE code = ?1", code, 0);
}

static zx_scope *scope_of(const char *name, const char *role,
                          const char *code)
{
    zx_diag *d = zx_diag_new();
    zx_scope *s = NULL;

    cr_assert_eq(zx_accounts_add(db, name, role, code, "long enough",
                                 "test", d), ZX_OK);
    zx_diag_free(d);
    cr_assert_eq(zx_scope_load(db, zx_db_int(db, "SELECT id FROM account"
                                                 " WHERE name = ?1", name,
                                             0), &s), ZX_OK);
    return s;
}

static void setup(void)
{
    static const zx_school_rec schools[] = {
        { "3206840001", "甲小学", "甲镇", "东洲集团", 211, 121, 1, 21, 1, 0, 0,
          0 },
        { "3206840002", "乙小学", "甲镇", NULL, 211, 220, 0, 21, 0, 0, 0, 0 },
        { "3206840003", "丙小学", "乙镇", NULL, 211, 220, 0, 21, 0, 0, 0, 0 },
    };

    db = tu_db(tu_tmpdir());
    tu_registry_fill(db, &(tu_city){ .schools = TU_LIST(schools) });
    cr_assert_eq(zx_db_exec(db, "INSERT INTO inspector_assignment VALUES"
                                " ((SELECT id FROM org_unit WHERE code ="
                                " '3206840003'), 'insp', '2020-09-01')"),
                 ZX_OK);
}

static void teardown(void)
{
    zx_db_close(db);
}

TestSuite(scope, .init = setup, .fini = teardown);

#define A unit("3206840001")
#define B unit("3206840002")
#define C unit("3206840003")
#define T1 unit("320684T001")
#define T2 unit("320684T002")
#define G unit("320684G001")

Test(scope, every_role_inside_and_outside)
{
    zx_scope *s;

    s = scope_of("office", "管理员", "320684");
    cr_assert(zx_scope_sees(s, C) && zx_scope_writes(s, C));
    cr_assert(zx_scope_sees(s, G) && zx_scope_writes(s, T2));
    zx_scope_free(s);

    s = scope_of("town", "区镇", "320684T001");
    cr_assert(zx_scope_sees(s, T1) && zx_scope_writes(s, A) &&
              zx_scope_writes(s, B));
    cr_assert(!zx_scope_sees(s, C), "another town's school");
    cr_assert(!zx_scope_sees(s, T2) && !zx_scope_sees(s, G));
    cr_assert(!zx_scope_sees(s, unit("320684")), "not the city");
    zx_scope_free(s);

    s = scope_of("clerk", "学校", "3206840002");
    cr_assert(zx_scope_writes(s, B));
    cr_assert(!zx_scope_sees(s, A), "a neighbour in the same town");
    cr_assert(!zx_scope_sees(s, T1));
    zx_scope_free(s);

    s = scope_of("insp", "督学", "320684");
    cr_assert(zx_scope_sees(s, C) && !zx_scope_writes(s, C));
    cr_assert(!zx_scope_sees(s, A), "not assigned");
    zx_scope_free(s);

    s = scope_of("mayor", "领导", "320684");
    cr_assert(zx_scope_sees(s, A) && zx_scope_sees(s, G));
    cr_assert(!zx_scope_writes(s, A), "leaders only read");
    zx_scope_free(s);

    s = scope_of("townlead", "领导", "320684T002");
    cr_assert(zx_scope_sees(s, C) && !zx_scope_sees(s, A));
    zx_scope_free(s);

    cr_assert_eq(zx_accounts_set_disabled(db, "clerk", 1, "test"), ZX_OK);
    cr_assert_eq(zx_scope_load(db, zx_db_int(db, "SELECT id FROM account"
                                                 " WHERE name = 'clerk'",
                                             NULL, 0), &s), ZX_ENOTFOUND,
                 "a disabled account has no scope");
}
