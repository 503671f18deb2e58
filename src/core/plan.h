/*
 * plan.h - a plan as data: identity and years, goals, sections, data
 * elements, indicators with yearly targets, and tasks, read from a YAML
 * file (docs/plan-format.md).
 *
 * Loading checks the file's shape and every reference by id (goal,
 * section, data element, indicator, clause format); the indicators'
 * expressions are kept as text with their position and checked when the
 * engine compiles them (indicator.h).  Every problem goes to a zx_diag as
 * FILE:LINE:COLUMN, the line and column of the offending YAML node.
 *
 * A loaded plan is immutable: the structs below are read-only views whose
 * strings and arrays belong to the plan and live until zx_plan_free.
 */
#ifndef ZX_PLAN_H
#define ZX_PLAN_H

#include <stddef.h>

#include "diag.h"

typedef struct zx_plan zx_plan;

typedef struct zx_pos {
    int line, col;             /* 1-based; 0 when unknown */
} zx_pos;

enum zx_level {
    ZX_LEVEL_CITY, ZX_LEVEL_TOWN, ZX_LEVEL_GROUP, ZX_LEVEL_SCHOOL,
    ZX_LEVEL_TEACHER
};
#define ZX_NLEVELS 5

/* "city", "town", ... and back; -1 for an unknown name. */
const char *zx_level_name(enum zx_level l);
int zx_level_parse(const char *s);

typedef struct zx_goal {
    const char *id, *clause, *name;
    const char *text;          /* or NULL */
    zx_pos pos;
} zx_goal;

typedef struct zx_section {
    const char *id, *name;
    const char *goal;          /* or NULL: inherits the parent's */
    int parent;                /* index into the sections array, or -1 */
    zx_pos pos;
} zx_section;

enum zx_de_type {
    ZX_DE_BOOL, ZX_DE_INT, ZX_DE_DECIMAL, ZX_DE_OPTION, ZX_DE_DATE,
    ZX_DE_TEXT
};

/* "bool", "int", ... as written in a plan; static. */
const char *zx_de_type_name(enum zx_de_type t);

typedef struct zx_data_element {
    const char *id, *name;
    const char *clause, *help;         /* or NULL */
    enum zx_de_type type;
    enum zx_level level;               /* where values are recorded */
    int yearly;
    int has_min, has_max;
    double min, max;
    const char *const *options;        /* ZX_DE_OPTION: allowed values */
    int noptions;
    zx_pos pos;
} zx_data_element;

enum zx_ind_kind {
    ZX_IND_SHARE, ZX_IND_COUNT, ZX_IND_SUM, ZX_IND_RATIO, ZX_IND_MIN,
    ZX_IND_MAX
};

/* "share", "count", ... as written in a plan; static. */
const char *zx_ind_kind_name(enum zx_ind_kind k);

enum zx_entity {
    ZX_SET_SCHOOLS, ZX_SET_TEACHERS, ZX_SET_TOWNS, ZX_SET_GROUPS,
    ZX_SET_PAIRING_MENTORS, ZX_SET_RECTIFICATIONS
};

/* "schools", "teachers", ... and back; -1 for an unknown name. */
const char *zx_entity_name(enum zx_entity e);
int zx_entity_parse(const char *s);

/* The level whose data elements an entity of set carries (schools:
 * school, teachers: teacher, towns: town, groups: group), or -1 for the
 * sets that carry none. */
int zx_entity_level(enum zx_entity set);

/* An expression of the plan: its text and where it starts in the file. */
typedef struct zx_expr_src {
    const char *text;          /* NULL when absent */
    zx_pos pos;                /* of the first character of text */
} zx_expr_src;

enum zx_ms_kind {
    ZX_MS_RAMP,                /* baseline value -> target in the last year */
    ZX_MS_EXPLICIT,            /* a value per year */
    ZX_MS_RAMP_TO              /* baseline value -> ramp_to in year `by` */
};

#define ZX_MAX_YEARS 16

typedef struct zx_milestones {
    enum zx_ms_kind kind;
    int n;                     /* ZX_MS_EXPLICIT: entries in years/values */
    int years[ZX_MAX_YEARS];
    double values[ZX_MAX_YEARS];
    double ramp_to;            /* ZX_MS_RAMP_TO */
    int by;                    /* ZX_MS_RAMP_TO */
} zx_milestones;

typedef struct zx_indicator {
    const char *id, *clause, *goal, *name, *unit;
    const char *section, *description;  /* or NULL */
    enum zx_ind_kind kind;
    enum zx_entity over;
    zx_expr_src where, numerator, denominator, on_track;
    int lower_is_better;
    int target_is_range;       /* target_min..target_max (target is then
                                  target_min), else target */
    double target, target_min, target_max;
    zx_milestones milestones;
    unsigned levels;           /* bit (1u << zx_level) per judged level */
    const char *const *mechanism;       /* M clause ids */
    int nmechanism;
    zx_pos pos;
} zx_indicator;

typedef struct zx_task {
    const char *id, *clause, *goal, *name;
    const char *lead;                   /* 牵头单位 */
    const char *const *responsible;     /* 责任单位 */
    int nresponsible;
    const char *deadline;               /* "YYYY-MM-DD" */
    const char *evidence;               /* or NULL */
    const char *const *indicators;      /* ids of indicators */
    int nindicators;
    zx_pos pos;
} zx_task;

typedef struct zx_setting {
    const char *name;
    int is_list;
    double value;              /* when not a list */
    const double *list;        /* when a list */
    int nlist;
    zx_pos pos;
} zx_setting;

/* Reads and checks the plan at path.  name is the file name used in
 * diagnostics (NULL: path).  On success *out is a plan to free with
 * zx_plan_free; on ZX_EDATA (problems in the file, all reported in diag),
 * ZX_ENOTFOUND (no such file), ZX_EIO (it cannot be read; both also
 * explained in diag) or ZX_ENOMEM, *out is NULL. */
int zx_plan_load(const char *path, const char *name, zx_plan **out,
                 zx_diag *diag);

/* The same from text in memory (for tests and the server); name NULL
 * stands for "". */
int zx_plan_load_text(const char *text, size_t len, const char *name,
                      zx_plan **out, zx_diag *diag);

void zx_plan_free(zx_plan *p);

/* The file name given to the loader, for diagnostics; owned by p. */
const char *zx_plan_file(const zx_plan *p);

const char *zx_plan_id(const zx_plan *p);
const char *zx_plan_name(const zx_plan *p);
const char *zx_plan_issuer(const zx_plan *p);     /* or NULL */
const char *zx_plan_document(const zx_plan *p);   /* or NULL */
const char *zx_plan_preamble(const zx_plan *p);   /* or NULL */
int zx_plan_baseline(const zx_plan *p);
/* The plan years, ascending; *n receives their count. */
const int *zx_plan_years(const zx_plan *p, int *n);
/* The urban-rural codes the plan counts as rural. */
const int *zx_plan_rural(const zx_plan *p, int *n);

const zx_goal *zx_plan_goals(const zx_plan *p, int *n);
const zx_section *zx_plan_sections(const zx_plan *p, int *n);
const zx_data_element *zx_plan_elements(const zx_plan *p, int *n);
const zx_indicator *zx_plan_indicators(const zx_plan *p, int *n);
const zx_task *zx_plan_tasks(const zx_plan *p, int *n);
const zx_setting *zx_plan_settings(const zx_plan *p, int *n);

/* Lookups by id; NULL when absent. */
const zx_goal *zx_plan_goal(const zx_plan *p, const char *id);
const zx_section *zx_plan_section(const zx_plan *p, const char *id);
const zx_data_element *zx_plan_element(const zx_plan *p, const char *id);
const zx_indicator *zx_plan_indicator(const zx_plan *p, const char *id);
const zx_task *zx_plan_task(const zx_plan *p, const char *id);
const zx_setting *zx_plan_setting(const zx_plan *p, const char *name);

/* The milestone of ind for year y given its baseline value (NaN when the
 * baseline is unknown and the milestones need it): the value the
 * indicator should have reached by y. */
double zx_plan_milestone(const zx_plan *p, const zx_indicator *ind, int y,
                         double baseline);

#endif
