/*
 * tasks.h - supervising the plan's tasks (任务督办, clause 4.1-O1): which
 * units answer for each task, where each of them stands, their progress
 * notes and the evidence files they hand in.
 *
 * A task names its lead unit (牵头单位) and its responsible units (责任单
 * 位) as the plan's text does, and the text says "各区镇" for every town.
 * Such names are expanded against the registry at the moment of asking,
 * so a school registered next year answers for the tasks of "各学校"
 * without anyone editing the plan:
 *
 *   各区镇    every town (org unit of kind town)
 *   各学校    every school
 *   各幼儿园  every kindergarten (办学类型 111, 119)
 *   各中小学  every school of a type 2xx or 3xx
 *
 * Any other name (人事科, 市教育体育局, ...) is a unit by itself: offices
 * have no place in the registry, so units are identified by name, not by
 * registry id.
 *
 * Status is kept per (plan, task, unit); a unit with no record is 未启动.
 * 逾期 is never stored: it is computed on reading (deadline before today's
 * local date and not 已完成), so a task falls overdue at midnight without
 * any job having to run.
 *
 * Evidence files are stored by content: the SHA-256 of the bytes keys the
 * blob, kept once however often it is attached; each attachment is a row
 * with the file name the unit gave it.  Only document and image types are
 * accepted (detected from the bytes, never from the name), up to 20 MiB.
 *
 * Every change is one transaction together with its audit entry.  Problems
 * the user can fix (an unknown task or unit, a bad status, a note too long,
 * a file too big or of a refused type) come back as an error code with a
 * Chinese explanation added to diag (which may be NULL).
 */
#ifndef ZX_TASKS_H
#define ZX_TASKS_H

#include <stddef.h>

#include "db.h"
#include "diag.h"
#include "plan.h"

enum zx_task_status {
    ZX_TASK_TODO,       /* 未启动 */
    ZX_TASK_DOING,      /* 推进中 */
    ZX_TASK_DONE,       /* 已完成 */
    ZX_TASK_OVERDUE     /* 逾期: computed, never stored */
};

/* "未启动", "推进中", "已完成", "逾期" (static). */
const char *zx_tasks_status_name(enum zx_task_status s);
/* The status of that Chinese name, or -1. */
int zx_tasks_status_parse(const char *name);

#define ZX_TASKS_NOTE_MAX 2000                    /* characters */
#define ZX_TASKS_FILE_MAX (20 * 1024 * 1024)      /* bytes */

/* The units answerable for task t: its lead unit first, then the
 * responsible units in the plan's order with the group names expanded
 * (each group in registry code order), every name once.  A group with no
 * member in the registry yields nothing.  On success *names is a single
 * malloc'd block holding the array and the strings: free(*names) frees
 * both.  Returns ZX_OK, ZX_EDB or ZX_ENOMEM. */
int zx_tasks_units(zx_db *db, const zx_task *t, const char ***names, int *n);

/* The task of plan with that id, or NULL after adding to diag a message
 * naming the closest id (or clause number) when there is one.  Owned by
 * plan. */
const zx_task *zx_tasks_find(const zx_plan *plan, const char *id,
                             zx_diag *diag);

/* The name of the unit typed answering for t, as zx_tasks_units gives it,
 * typed matched regardless of spaces and full-width forms: *name is a
 * malloc'd copy the caller frees.  Returns ZX_OK, ZX_ENOTFOUND (with the
 * units that do answer for t in diag), ZX_EDB or ZX_ENOMEM. */
int zx_tasks_find_unit(zx_db *db, const zx_task *t, const char *typed,
                       char **name, zx_diag *diag);

/* Records a change for one unit of one task, in one transaction with its
 * audit entries: the new status (status: "未启动", "推进中" or "已完成";
 * NULL to keep it) and/or a progress note (note: 1 to ZX_TASKS_NOTE_MAX
 * characters of UTF-8; NULL for none).  unit is matched as by
 * zx_tasks_find_unit.  Setting the
 * status a unit already has writes nothing.
 *
 * Returns ZX_OK; ZX_ENOTFOUND for an unknown task (with a close match when
 * there is one) or a unit that does not answer for it (with the units
 * that do); ZX_EINVAL for a bad status (逾期 included: it is computed),
 * a bad note or neither given; ZX_EDB, ZX_ENOMEM.  Messages go to diag. */
int zx_tasks_update(zx_db *db, const zx_plan *plan, const char *task_id,
                    const char *unit, const char *status, const char *note,
                    const char *actor, zx_diag *diag);

/* zx_tasks_update with only a status, or only a note. */
int zx_tasks_set_status(zx_db *db, const zx_plan *plan, const char *task_id,
                        const char *unit, const char *status,
                        const char *actor, zx_diag *diag);
int zx_tasks_add_note(zx_db *db, const zx_plan *plan, const char *task_id,
                      const char *unit, const char *text, const char *actor,
                      zx_diag *diag);

/* The MIME type of an accepted evidence file judged from its first bytes
 * (PDF, PNG, JPEG, Word/Excel/PowerPoint 2007+ files, Word/Excel 97-2003
 * files, UTF-8 text), or NULL when the content is not one of them.
 * Static string. */
const char *zx_tasks_file_type(const void *data, size_t len);

/* Attaches the file data[0..len) named `name` (its last path component is
 * kept) to one unit of one task.  The blob is stored under its SHA-256
 * unless already there; the attachment row and its audit entry are always
 * added.  sha_out receives the lowercase hex SHA-256.
 *
 * Returns ZX_OK; ZX_ENOTFOUND for an unknown task or unit (as
 * zx_tasks_update); ZX_EINVAL for an empty file, one over
 * ZX_TASKS_FILE_MAX bytes or a bad name; ZX_EFORMAT for a type not
 * accepted; ZX_EDB, ZX_ENOMEM.  Messages go to diag. */
int zx_tasks_add_evidence(zx_db *db, const zx_plan *plan,
                          const char *task_id, const char *unit,
                          const char *name, const void *data, size_t len,
                          const char *actor, char sha_out[65], zx_diag *diag);

/* The full SHA-256 of the one stored file whose hash starts with prefix
 * (8 to 64 hex digits, either case), for commands that print shortened
 * hashes.  Returns ZX_OK, ZX_EINVAL (not such a prefix), ZX_ENOTFOUND,
 * ZX_EEXIST (more than one file starts with it) or ZX_EDB. */
int zx_tasks_find_evidence(zx_db *db, const char *prefix, char sha_out[65]);

/* The stored file with that SHA-256 (64 hex digits): *data (malloc'd, the
 * caller frees) and *len; *mime, when mime is not NULL, a malloc'd copy of
 * its type the caller frees.  The bytes are hashed again on the way out.
 * Returns ZX_OK, ZX_EINVAL (not a SHA-256), ZX_ENOTFOUND, ZX_EDATA (the
 * stored bytes no longer match their hash), ZX_EDB or ZX_ENOMEM. */
int zx_tasks_get_evidence(zx_db *db, const char *sha, void **data,
                          size_t *len, char **mime);

/* What zx_tasks_list reports; every field NULL / 0 means "all". */
typedef struct zx_tasks_filter {
    const char *task_id;
    const char *unit;     /* matched as by zx_tasks_find_unit */
    const char *status;   /* "未启动", "推进中", "已完成" or "逾期", as
                             shown: an overdue row is only 逾期 */
    const char *today;    /* "YYYY-MM-DD"; NULL: today's local date */
} zx_tasks_filter;

/* One (task, unit) row.  Strings are valid during the callback only. */
typedef struct zx_task_row {
    const zx_task *task;              /* owned by the plan */
    const char *unit;
    int lead;                         /* unit is the task's lead unit */
    enum zx_task_status status;       /* as recorded: never OVERDUE */
    int overdue;                      /* past the deadline, not done */
    const char *updated_at;           /* UTC "YYYY-MM-DDTHH:MM:SSZ" of the
                                         status, or NULL: never set */
    const char *updated_by;           /* or NULL */
    long notes, files;                /* counts */
    const char *last_note;            /* text of the newest note, or NULL */
} zx_task_row;

/* Called per row; a non-zero return stops the listing and is returned. */
typedef int (*zx_task_row_fn)(void *ctx, const zx_task_row *r);

/* Calls fn for every (task, unit) of plan that passes filter (NULL: all),
 * overdue rows first, then by deadline, then in plan order, then in the
 * order of zx_tasks_units.  Returns ZX_OK, ZX_EINVAL (a bad filter
 * status), ZX_EDB, ZX_ENOMEM or fn's non-zero return. */
int zx_tasks_list(zx_db *db, const zx_plan *plan,
                  const zx_tasks_filter *filter, zx_task_row_fn fn,
                  void *ctx);

/* A progress note or an attached file of one task; strings valid during
 * the callback only; at is UTC "YYYY-MM-DDTHH:MM:SSZ". */
typedef struct zx_task_note {
    long long id;
    const char *unit, *at, *author, *text;
} zx_task_note;

typedef struct zx_task_file {
    long long id;
    const char *unit, *name, *sha256, *mime, *at, *author;
    long long size;
} zx_task_file;

/* Call fn for each note / file of task_id in plan, oldest first, of one
 * unit (its name as zx_tasks_units and zx_task_row give it) or of all
 * (unit NULL).  The callback may call other zx_tasks functions.  Return
 * ZX_OK, ZX_EDB or fn's non-zero return. */
int zx_tasks_notes(zx_db *db, const zx_plan *plan, const char *task_id,
                   const char *unit,
                   int (*fn)(void *ctx, const zx_task_note *n), void *ctx);
int zx_tasks_files(zx_db *db, const zx_plan *plan, const char *task_id,
                   const char *unit,
                   int (*fn)(void *ctx, const zx_task_file *f), void *ctx);

#endif
