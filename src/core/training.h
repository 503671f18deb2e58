/*
 * training.h - the training ledger of clauses 3.4.2-T2, T3 and T5: the
 * training bases (培训基地), the course catalogue rural teachers choose
 * their electives from (选学课程目录), their enrolments, the completions
 * that give them hours, and the accounting of the 180 hours of special
 * training (180学时专项培训) every rural teacher and principal completes
 * over the plan's years.
 *
 * The rules live here, in one place, so that the command line, the import
 * and later the server apply the same ones:
 *
 *   Rural teacher (乡村教师): a teacher of a school whose urban-rural code
 *     is one of the plan's rural codes (zx_plan_rural), in any post but
 *     9 其他 — the population of the built-in plan's training-180
 *     indicator (专任教师, 校长, 副校长, 中层干部), so that the ledger and
 *     the indicator count the same people.
 *   Window: 1 January of the plan's first year to 31 December of its last
 *     (2020-01-01..2022-12-31 for Haimen), the days the indicator's
 *     training_hours counts from.
 *   Target: the plan's setting training_hours (ZX_TRAINING_HOURS_DEFAULT
 *     when the plan has none).  Milestones: the setting
 *     training_milestones, one figure per plan year, when the plan gives
 *     it; otherwise a straight ramp, target x k / n by the end of the k-th
 *     of n plan years (60, 120, 180), as the indicator's on_track reads.
 *   Catalogue: a course is keyed by its code.  A required course (必修)
 *     is taken by every rural teacher without enrolling; an elective (选修)
 *     by those who enrol.  Once a course has completions its hours and its
 *     special flag stay as they are, so that no hours already counted
 *     change behind anyone's back; its capacity never drops below its
 *     enrolments.
 *   Enrolment: only in an elective, only by a rural teacher, once, while
 *     the course has places left and has not started (enrolment closes at
 *     the end of its first day).  Withdrawing is refused once the teacher
 *     has a completion of the course.
 *   Completion: a teacher, a catalogue course (by code) or a course outside
 *     the catalogue (by name), hours, the day it was completed, and
 *     whether it is special training.  A catalogue course gives the name,
 *     the special flag and, when hours are not given, the hours; an
 *     elective needs the teacher's enrolment; the day is not before the
 *     course starts; and the hours a teacher gets from one course, over
 *     all records, never exceed the course's hours.  A course outside the
 *     catalogue needs its name, hours (at most ZX_TRAINING_MAX_HOURS) and
 *     the special flag.  No completion is dated after today.  The same
 *     teacher, course and day is one record: `record` refuses a second
 *     (ZX_EEXIST), an import updates it (keyed upsert, as every import).
 *   Hours outside the window are accepted and kept (they are the
 *     teacher's training all the same) but never count toward the target;
 *     the accounting shows them apart.
 *
 * Every change is one transaction with its audit entry (tbl
 * "training_base", "course", "course_enrolment", "training_record"); an
 * import is all or nothing and recorded like the registry imports
 * (ingest.h, kind "training_record").  Problems a user can fix come back
 * as ZX_EDATA, ZX_ENOTFOUND or ZX_EEXIST with a Chinese explanation added
 * to diag (FILE:ROW:COLUMN for an import).
 *
 * This is the one public header of the module, which is three files:
 * training.c (the plan's figures, bases, courses and enrolment),
 * trainrec.c (completions: zx_training_record, zx_training_import,
 * zx_training_entries) and trainacct.c (the accounting:
 * zx_training_teachers, zx_training_units); what they share among
 * themselves is in trainint.h.
 */
#ifndef ZX_TRAINING_H
#define ZX_TRAINING_H

#include "db.h"
#include "diag.h"
#include "plan.h"
#include "table.h"

/* Clause 3.4.2-T3: 180 hours of special training, when the plan's
 * settings do not say otherwise. */
#define ZX_TRAINING_HOURS_DEFAULT 180
/* Most hours one record may carry: the national continuing-education
 * requirement for five years (360), so that a typo such as 1800 is caught
 * while a long residential programme still fits. */
#define ZX_TRAINING_MAX_HOURS 360

enum zx_training_change {
    ZX_TRAINING_UNCHANGED = 0, ZX_TRAINING_INSERTED, ZX_TRAINING_UPDATED
};

/* ---- the plan's figures ---------------------------------------------- */

/* The target (setting training_hours, else the default). */
double zx_training_target(const zx_plan *plan);

/* The hours a rural teacher should have by the end of year: 0 before the
 * first plan year, the target after the last. */
double zx_training_milestone(const zx_plan *plan, int year);

/* The window's first and last days, "YYYY-MM-DD". */
void zx_training_window(const zx_plan *plan, char first[11], char last[11]);

/* The year asked by default: the last plan year not later than this
 * calendar year, or the first plan year before the plan starts. */
int zx_training_year(const zx_plan *plan);

/* ---- bases and courses ------------------------------------------------ */

/* Kinds of base: a school (学校基地), a subject at a school (学科基地), or
 * a training institution such as the city's teacher development centre
 * (培训机构), which has no school. */
#define ZX_TRAINING_BASE_KINDS "学校基地、学科基地、培训机构"

typedef struct zx_training_base {
    const char *name;          /* unique */
    const char *kind;          /* one of ZX_TRAINING_BASE_KINDS */
    const char *school_code;   /* 学校基地, 学科基地: the school; else NULL */
    int subject;               /* 学科基地: its subject code; else 0 */
    /* as listed only */
    const char *school_name;   /* or NULL */
    long long courses;
} zx_training_base;

/* Adds the base b, or updates the one of that name.  *change (may be
 * NULL) receives a zx_training_change.  Returns ZX_OK, ZX_EDATA (a field
 * does not fit), ZX_ENOTFOUND (no such school), ZX_EDB or ZX_ENOMEM. */
int zx_training_base_put(zx_db *db, const zx_training_base *b,
                         const char *actor, zx_diag *diag, int *change);

/* Calls fn for every base, by name; strings valid during the call.  A
 * non-zero return of fn stops the listing and is returned. */
int zx_training_bases(zx_db *db,
                      int (*fn)(void *ctx, const zx_training_base *b),
                      void *ctx);

typedef struct zx_course {
    const char *code;          /* letters, digits, '-', '_'; unique */
    const char *name;
    const char *base;          /* the base's name, or NULL */
    double hours;              /* > 0, at most ZX_TRAINING_MAX_HOURS */
    int subject, stage;        /* codes of those lists; 0 = any */
    int required;              /* 1 必修, 0 选修 */
    long capacity;             /* electives: places; 0 = unlimited */
    const char *starts_on, *ends_on;   /* "YYYY-MM-DD" */
    int special;               /* 1: counts toward the target */
    /* as listed only */
    long enrolled;             /* enrolments */
    long completed;            /* teachers with a completion */
} zx_course;

/* Adds course c, or updates the one with its code (under the catalogue
 * rules above).  Dates may be written as clerks do (2020年9月1日).
 * Returns ZX_OK, ZX_EDATA, ZX_ENOTFOUND (no such base), ZX_EDB or
 * ZX_ENOMEM; *change as for bases. */
int zx_training_course_put(zx_db *db, const zx_course *c, const char *actor,
                           zx_diag *diag, int *change);

/* Calls fn for the course with that code, or every course by code when
 * code is NULL; strings valid during the call.  Returns ZX_OK,
 * ZX_ENOTFOUND (code given and unknown), ZX_EDB, or fn's non-zero
 * return. */
int zx_training_courses(zx_db *db, const char *code,
                        int (*fn)(void *ctx, const zx_course *c), void *ctx);

/* ---- enrolment ------------------------------------------------------- */

/* Enrols teacher (teacher number) in the elective course (code), under
 * the rules above; today is "YYYY-MM-DD" (NULL: today's local date).
 * Returns ZX_OK; ZX_ENOTFOUND (no such course or teacher); ZX_EEXIST
 * (already enrolled); ZX_EDATA (required course, not a rural teacher,
 * course started or full); ZX_EDB. */
int zx_training_enrol(zx_db *db, const zx_plan *plan, const char *course,
                      const char *teacher, const char *today,
                      const char *actor, zx_diag *diag);

/* Withdraws teacher from course.  Returns ZX_OK, ZX_ENOTFOUND (no such
 * course, teacher or enrolment), ZX_EDATA (a completion is recorded),
 * ZX_EDB. */
int zx_training_withdraw(zx_db *db, const char *course, const char *teacher,
                         const char *actor, zx_diag *diag);

/* ---- completions ----------------------------------------------------- */

typedef struct zx_training_completion {
    const char *teacher;       /* teacher number */
    const char *course;        /* a catalogue course's code, or NULL */
    const char *name;          /* NULL with a code (or the course's name);
                                  a course outside the catalogue */
    double hours;              /* 0: the catalogue course's hours */
    const char *done_on;       /* the day, as typed */
    int special;               /* 1 / 0; -1: the catalogue course's */
} zx_training_completion;

/* Records one completion under the rules above (today as for enrolment).
 * Returns ZX_OK; ZX_ENOTFOUND (no such teacher or course); ZX_EEXIST (the
 * same teacher, course and day is recorded); ZX_EDATA; ZX_EDB. */
int zx_training_record(zx_db *db, const zx_plan *plan,
                       const zx_training_completion *c, const char *today,
                       const char *actor, zx_diag *diag);

typedef struct zx_training_import_result {
    long rows;                 /* data rows read */
    long inserted, updated, unchanged;
    char format[8];            /* "CSV" or "XLSX" */
} zx_training_import_result;

/* Imports completions from path (CSV or XLSX, first sheet), one per row,
 * with the headers 教师编号, 课程编号, 课程名称, 学时, 完成日期 and 专项培训
 * (the English field names teacher_no, course_code, course_name, hours,
 * done_on, special are accepted too), under the rules above, keyed by
 * teacher, course and day.  All or nothing in one transaction like the
 * registry import (ingest.h): every problem goes to diag as
 * FILE:ROW:COLUMN (name is the file name shown); any problem, or dry_run,
 * leaves the database as it was.  Returns ZX_OK, ZX_EDATA, ZX_EFORMAT,
 * ZX_EDB or ZX_ENOMEM; res is filled in every case. */
int zx_training_import(zx_db *db, const zx_plan *plan, const char *path,
                       const char *name, int dry_run, const char *today,
                       const char *actor, zx_progress_fn progress,
                       void *pctx, zx_diag *diag,
                       zx_training_import_result *res);

/* One completion as stored; strings valid during the call. */
typedef struct zx_training_entry {
    const char *course_code;   /* or NULL: outside the catalogue */
    const char *course;        /* the course's name */
    double hours;
    const char *done_on;
    int special;
    int counted;               /* special and inside the window */
} zx_training_entry;

/* Calls fn for every completion of teacher, by day.  Returns ZX_OK,
 * ZX_ENOTFOUND (no such teacher), ZX_EDB or fn's non-zero return. */
int zx_training_entries(zx_db *db, const zx_plan *plan, const char *teacher,
                        int (*fn)(void *ctx, const zx_training_entry *e),
                        void *ctx);

/* ---- accounting ------------------------------------------------------ */

/* What the accounting looks at. */
typedef struct zx_training_query {
    int year;                  /* hours up to 31 December of year (a plan
                                  year); 0: zx_training_year */
    const char *unit;          /* code of the city, a town, a group or a
                                  school; NULL: everything */
    const char *teacher;       /* zx_training_teachers: only this teacher
                                  number, rural or not; NULL: every rural
                                  teacher under unit */
    int behind_only;           /* zx_training_teachers: only those behind */
} zx_training_query;

/* One teacher's hours; strings valid during the call. */
typedef struct zx_training_hours {
    const char *teacher_no, *name;
    const char *school_code, *school_name, *town_name;
    int rural;
    double special;            /* special, inside the window, up to the
                                  year's end: what counts */
    double continuing;         /* not special, same days */
    double outside;            /* special but outside the window: kept,
                                  not counted */
    double milestone;          /* the year's */
    double target;
    int complete;              /* special >= target */
    int on_track;              /* special >= milestone */
    double shortfall;          /* milestone - special when behind, else 0 */
} zx_training_hours;

/* Calls fn per teacher of q, by school code then teacher number.
 * Returns ZX_OK; ZX_EINVAL (year not a plan year) or ZX_ENOTFOUND (unit
 * or teacher unknown), explained in diag; ZX_EDB; fn's non-zero
 * return. */
int zx_training_teachers(zx_db *db, const zx_plan *plan,
                         const zx_training_query *q,
                         int (*fn)(void *ctx, const zx_training_hours *h),
                         void *ctx, zx_diag *diag);

/* One unit's rural teachers; strings valid during the call. */
typedef struct zx_training_unit {
    enum zx_level level;       /* city, town, group or school */
    const char *code, *name;
    long long teachers;        /* rural teachers */
    long long complete;        /* with special >= target */
    long long on_track;        /* with special >= the year's milestone
                                  (the complete ones included) */
    double complete_share;     /* percent of teachers */
    double on_track_share;
    double milestone, target;
} zx_training_unit;

/* Calls fn for q's unit (the city when NULL) and the units under it that
 * have rural teachers: the city, then towns, groups and schools, each by
 * code (towns and groups only under the city).  A unit's shares are its
 * teachers' counts over its teachers, never an average of shares.
 * Returns as zx_training_teachers. */
int zx_training_units(zx_db *db, const zx_plan *plan,
                      const zx_training_query *q,
                      int (*fn)(void *ctx, const zx_training_unit *u),
                      void *ctx, zx_diag *diag);

#endif
