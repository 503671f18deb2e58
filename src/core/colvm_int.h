/*
 * colvm_int.h - what colvm.c (the columns and their loading) shares with
 * colvm_eval.c (expressions over them).  Not for other modules.
 */
#ifndef ZX_COLVM_INT_H
#define ZX_COLVM_INT_H

#include "colvm.h"

#include <limits.h>

/* An integer column's NULL. */
#define CV_NULL INT_MIN

/* Teacher columns, as the fields of compile.c. */
enum {
    TC_GENDER, TC_BIRTH, TC_STAGE, TC_SUBJECT, TC_TITLE, TC_EMPLOYMENT,
    TC_POST, TC_SINCE, TC_POLITICAL, NTC
};

/* The roles of one title, a row per teacher_role row. */
struct cv_title {
    char *title;
    int n;
    int *teacher;                /* teacher index */
    int *level;                  /* index in role_level, -1: none */
    int *start, *end;            /* end CV_NULL: still held */
};

/* Enrolment of one year, per school index; NaN without a row. */
struct cv_enrol {
    int year;
    double *col[4];              /* students, classes, boarders, special */
};

/* Values of one data element in one year (0: not yearly), per entity of
 * the element's level; the version of its "value:ELEMENT" stamp. */
struct cv_data {
    const zx_data_element *de;
    int year;
    long long version;
    double *num;                 /* numeric types: NaN when absent */
    char **text;                 /* other types: NULL when absent */
};

/* A vector's memory, kept between runs: a fresh vector of a million
 * doubles costs more in page faults than the loop that fills it. */
struct cv_block {
    void *p;
    size_t size;
    int busy;
};

struct zx_colvm {
    zx_db *db;
    const zx_plan *plan;
    int accepted;                /* data values from data_value_accepted */

    /* org units and schools: loaded at the registry:school version */
    int have_units;
    long long v_school;
    long long maxid;
    int *uidx;                   /* org_unit id -> index in its kind, -1 */
    int ns, nw, ng;
    long long *s_id, *s_parent, *s_groupid;   /* 0 for NULL */
    int *s_town, *s_group;       /* index among towns / groups, or -1 */
    int *s_type, *s_ur, *s_owner, *s_seat, *s_hq;
    char **s_name, **s_code;
    long long *w_id, *g_id;
    char **w_name, **w_code, **g_name, **g_code, **g_type;

    /* teachers: at the registry:teacher and registry:school versions */
    int have_teachers;
    long long v_teacher;
    int nt, tcap;
    unsigned t_cols;             /* bit per t_col read so far */
    unsigned t_expect;           /* bits the expected programs read */
    long long tmaxid;
    int *tidx;                   /* teacher id -> index, or -1 */
    int *t_school;               /* school index */
    int *t_col[NTC];             /* NULL until a program reads it */

    /* roles: at the registry:role version, with the teachers */
    int have_roles;
    long long v_role;
    struct cv_title *titles;
    int ntitles;

    /* enrolment, per year asked: at the registry:enrolment version */
    long long v_enrol;
    struct cv_enrol *enrol;
    int nenrol;

    /* data values, per (element, year) asked */
    struct cv_data *data;
    int ndata;

    struct cv_block *blocks;
    int nblocks;
};

/* Loading (colvm.c): each brings its part up to the snapshot's versions
 * and returns ZX_OK, ZX_ENOMEM or ZX_EDB, or ZX_ENOTFOUND for a
 * registry the columns decline (teacher ids the index cannot hold). */
int zx_colvm_need_units(zx_colvm *vm, const zx_map *snap);
/* need_teachers also reads the teacher columns in the bit set cols. */
int zx_colvm_need_teachers(zx_colvm *vm, const zx_map *snap, unsigned cols);
int zx_colvm_need_roles(zx_colvm *vm, const zx_map *snap);
int zx_colvm_need_enrol(zx_colvm *vm, const zx_map *snap, int year,
                        const struct cv_enrol **out);
int zx_colvm_need_data(zx_colvm *vm, const zx_map *snap,
                       const zx_data_element *de, int year,
                       const struct cv_data **out);

/* Memory for a vector of one run, NULL when out of memory; valid until
 * zx_colvm_scratch_release, which makes every block free again. */
void *zx_colvm_scratch(zx_colvm *vm, size_t size);
void zx_colvm_scratch_release(zx_colvm *vm);

/* Entities at an element's level, once the units (and, for teachers,
 * the teachers) are loaded. */
int zx_colvm_level_size(const zx_colvm *vm, int level);

#endif
