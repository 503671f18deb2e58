/*
 * db.c - database handle and migrations (see db.h).
 *
 * Migrations are append-only: a released step is never edited, a change
 * is a new step.  Each runs in its own transaction with user_version.
 */
#include "db.h"
#include "zx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cached {
    const char *src;    /* the caller's pointer: the usual match */
    char *sql;          /* our copy: what decides */
    sqlite3_stmt *st;
};

struct zx_db {
    sqlite3 *h;
    struct cached *cache;
    int ncache, capcache;
};

/* Raises stamp "table:T" on any change of table T (migration 4). */
#define STAMP_TRIGGER(t, ev)                                              \
    "CREATE TRIGGER " t "_" ev " AFTER " ev " ON " t " BEGIN"             \
    "  INSERT INTO stamp VALUES ('table:" t "', 1)"                       \
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
#define STAMP_TRIGGERS(t)                                                 \
    STAMP_TRIGGER(t, "INSERT") STAMP_TRIGGER(t, "UPDATE")                 \
    STAMP_TRIGGER(t, "DELETE")

static const char *const migrations[] = {
    /* 1: the registry (org tree, schools, enrolment, teachers, roles), the
     * audit log and the import ledger. */
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") STRICT;"

    /* city -> town -> school is the tree (parent_id); education groups
     * hang off the city and schools point at them from school.group_id,
     * since a group may span towns. */
    "CREATE TABLE org_unit ("
    "  id         INTEGER PRIMARY KEY,"
    "  code       TEXT NOT NULL UNIQUE,"
    "  name       TEXT NOT NULL,"
    "  name_key   TEXT NOT NULL,"
    "  kind       TEXT NOT NULL CHECK (kind IN ('city','town','group','school')),"
    "  parent_id  INTEGER REFERENCES org_unit(id),"
    "  group_type TEXT CHECK (group_type IN ('集团','联盟','共同体')),"
    "  CHECK ((kind = 'city') = (parent_id IS NULL))"
    ") STRICT;"
    "CREATE INDEX org_unit_parent ON org_unit(parent_id);"
    "CREATE UNIQUE INDEX org_unit_named ON org_unit(kind, name_key)"
    "  WHERE kind IN ('town','group');"

    "CREATE TABLE school ("
    "  unit_id     INTEGER PRIMARY KEY REFERENCES org_unit(id),"
    "  type_code   INTEGER NOT NULL,"
    "  urban_rural INTEGER NOT NULL,"
    "  town_seat   INTEGER NOT NULL CHECK (town_seat IN (0,1)),"
    "  owner       INTEGER NOT NULL CHECK (owner IN (21,22)),"
    "  group_id    INTEGER REFERENCES org_unit(id),"
    "  group_hq    INTEGER NOT NULL DEFAULT 0 CHECK (group_hq IN (0,1)),"
    "  lon         REAL,"
    "  lat         REAL,"
    "  CHECK (group_hq = 0 OR group_id IS NOT NULL)"
    ") STRICT;"
    "CREATE INDEX school_group ON school(group_id);"

    "CREATE TABLE enrolment ("
    "  school_id INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year      INTEGER NOT NULL,"
    "  students  INTEGER NOT NULL CHECK (students >= 0),"
    "  classes   INTEGER NOT NULL CHECK (classes >= 0),"
    "  boarders  INTEGER NOT NULL DEFAULT 0 CHECK (boarders >= 0),"
    "  special   INTEGER NOT NULL DEFAULT 0 CHECK (special >= 0),"
    "  PRIMARY KEY (school_id, year)"
    ") STRICT, WITHOUT ROWID;"

    /* coded columns hold the codes of codes.c (gender 1/2, stage,
     * subject, title, employment, post, political) */
    "CREATE TABLE teacher ("
    "  id         INTEGER PRIMARY KEY,"
    "  teacher_no TEXT NOT NULL UNIQUE,"
    "  name       TEXT NOT NULL,"
    "  gender     INTEGER NOT NULL CHECK (gender IN (1, 2)),"
    "  birth      TEXT NOT NULL,"
    "  school_id  INTEGER NOT NULL REFERENCES school(unit_id),"
    "  stage      INTEGER NOT NULL,"
    "  subject    INTEGER NOT NULL,"
    "  title      INTEGER NOT NULL,"
    "  employment INTEGER NOT NULL,"
    "  post       INTEGER NOT NULL,"
    "  since_year INTEGER NOT NULL,"
    "  political  INTEGER"
    ") STRICT;"
    "CREATE INDEX teacher_school ON teacher(school_id);"

    /* Honours and roles are dated: a teacher becomes a 学科带头人 in one
     * year and may stop being one in another. */
    "CREATE TABLE teacher_role ("
    "  id         INTEGER PRIMARY KEY,"
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  title      TEXT NOT NULL,"
    "  level      TEXT NOT NULL DEFAULT '',"
    "  start_year INTEGER NOT NULL,"
    "  end_year   INTEGER CHECK (end_year IS NULL OR end_year >= start_year),"
    "  UNIQUE (teacher_id, title, level, start_year)"
    ") STRICT;"

    /* Append-only and hash-chained: hash = SHA-256(prev hash || entry). */
    "CREATE TABLE audit ("
    "  id        INTEGER PRIMARY KEY,"
    "  at        TEXT NOT NULL,"
    "  actor     TEXT NOT NULL,"
    "  addr      TEXT NOT NULL DEFAULT '',"
    "  action    TEXT NOT NULL,"
    "  tbl       TEXT NOT NULL,"
    "  key       TEXT NOT NULL,"
    "  old       TEXT,"
    "  new       TEXT,"
    "  hash      BLOB NOT NULL"
    ") STRICT;"
    "CREATE INDEX audit_tbl ON audit(tbl, key);"

    "CREATE TABLE import_batch ("
    "  id        INTEGER PRIMARY KEY,"
    "  at        TEXT NOT NULL,"
    "  actor     TEXT NOT NULL,"
    "  kind      TEXT NOT NULL,"
    "  file      TEXT NOT NULL,"
    "  sha256    TEXT NOT NULL,"
    "  rows      INTEGER NOT NULL,"
    "  inserted  INTEGER NOT NULL,"
    "  updated   INTEGER NOT NULL,"
    "  unchanged INTEGER NOT NULL"
    ") STRICT;",

    /* 2: what the plan reads besides the registry.  Data values of the
     * plan's data elements, and the tables the mechanisms fill (training,
     * funding, staffing, subsidy, rotation, itinerant teaching,
     * inspection, pairing): indicators read them from the start, the
     * mechanisms' own issues fill them. */
    "CREATE TABLE data_value ("
    "  element    TEXT NOT NULL,"
    /* an org_unit id, or a teacher id for teacher-level elements */
    "  unit_id    INTEGER NOT NULL,"
    /* the year, or 0 for an element that is not yearly */
    "  year       INTEGER NOT NULL,"
    /* bool 0/1, int, decimal; option: index from 1 */
    "  num        REAL,"
    /* option label, date YYYY-MM-DD, text */
    "  text       TEXT,"
    "  entered_by TEXT NOT NULL,"
    "  entered_at TEXT NOT NULL,"
    "  PRIMARY KEY (element, unit_id, year)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE training_record ("
    "  id         INTEGER PRIMARY KEY,"
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  course     TEXT NOT NULL,"
    "  hours      REAL NOT NULL CHECK (hours > 0),"
    "  done_on    TEXT NOT NULL,"
    "  special    INTEGER NOT NULL DEFAULT 1 CHECK (special IN (0,1))"
    ") STRICT;"
    "CREATE INDEX training_teacher ON training_record(teacher_id, done_on);"

    "CREATE TABLE funding ("
    "  school_id       INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year            INTEGER NOT NULL,"
    "  students        INTEGER NOT NULL,"
    "  funded_students INTEGER NOT NULL,"
    "  total           REAL NOT NULL,"
    "  PRIMARY KEY (school_id, year)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE staffing ("
    "  school_id INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year      INTEGER NOT NULL,"
    "  norm      REAL NOT NULL,"
    "  actual    INTEGER NOT NULL,"
    "  PRIMARY KEY (school_id, year)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE subsidy ("
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  year       INTEGER NOT NULL,"
    "  eligible   INTEGER NOT NULL CHECK (eligible IN (0,1)),"
    "  paid       INTEGER NOT NULL CHECK (paid IN (0,1)),"
    "  amount     REAL NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (teacher_id, year)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE rotation ("
    "  id          INTEGER PRIMARY KEY,"
    "  teacher_id  INTEGER NOT NULL REFERENCES teacher(id),"
    "  year        INTEGER NOT NULL,"
    "  from_school INTEGER NOT NULL REFERENCES school(unit_id),"
    "  to_school   INTEGER NOT NULL REFERENCES school(unit_id)"
    ") STRICT;"
    "CREATE INDEX rotation_teacher ON rotation(teacher_id, year);"

    "CREATE TABLE itinerant_need ("
    "  school_id     INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year          INTEGER NOT NULL,"
    "  subject       INTEGER NOT NULL,"
    "  hours_lacking REAL NOT NULL CHECK (hours_lacking >= 0),"
    "  hours_covered REAL NOT NULL DEFAULT 0 CHECK (hours_covered >= 0),"
    "  PRIMARY KEY (school_id, year, subject)"
    ") STRICT, WITHOUT ROWID;"

    "CREATE TABLE inspector_assignment ("
    "  school_id INTEGER PRIMARY KEY REFERENCES school(unit_id),"
    "  inspector TEXT NOT NULL,"
    "  since     TEXT NOT NULL"
    ") STRICT;"

    "CREATE TABLE rectification ("
    "  id        INTEGER PRIMARY KEY,"
    "  school_id INTEGER NOT NULL REFERENCES school(unit_id),"
    "  item      TEXT NOT NULL,"
    "  found_on  TEXT NOT NULL,"
    "  due       TEXT NOT NULL,"
    "  closed_on TEXT"
    ") STRICT;"
    "CREATE INDEX rectification_school ON rectification(school_id);"

    /* Pairing (4.2): each programme has a mentor pool and a mentee pool;
     * a member may be a teacher, a school or a named person (a bureau
     * cadre); unit_id is where the member rolls up. */
    "CREATE TABLE pairing_pool ("
    "  id         INTEGER PRIMARY KEY,"
    "  programme  TEXT NOT NULL,"
    "  side       TEXT NOT NULL CHECK (side IN ('mentor','mentee')),"
    "  name       TEXT NOT NULL,"
    "  teacher_id INTEGER REFERENCES teacher(id),"
    "  school_id  INTEGER REFERENCES school(unit_id),"
    "  unit_id    INTEGER NOT NULL REFERENCES org_unit(id)"
    ") STRICT;"
    "CREATE INDEX pairing_pool_programme ON pairing_pool(programme, side);"
    "CREATE TABLE pairing ("
    "  id          INTEGER PRIMARY KEY,"
    "  programme   TEXT NOT NULL,"
    "  mentor_id   INTEGER NOT NULL REFERENCES pairing_pool(id),"
    "  mentee_id   INTEGER NOT NULL REFERENCES pairing_pool(id),"
    "  status      TEXT NOT NULL CHECK (status IN ('proposed','accepted')),"
    "  accepted_on TEXT"
    ") STRICT;"
    "CREATE INDEX pairing_mentor ON pairing(mentor_id);"
    "CREATE TABLE pairing_activity ("
    "  id         INTEGER PRIMARY KEY,"
    "  pairing_id INTEGER NOT NULL REFERENCES pairing(id),"
    "  on_date    TEXT NOT NULL,"
    "  kind       TEXT NOT NULL,"
    "  note       TEXT"
    ") STRICT;"
    "CREATE INDEX pairing_activity_pairing ON pairing_activity(pairing_id,"
    " on_date);"

    /* The plan in force is the newest version; older ones are kept so
     * that any past report can be traced to the targets it used. */
    "CREATE TABLE plan_version ("
    "  id        INTEGER PRIMARY KEY,"
    "  plan_id   TEXT NOT NULL,"
    "  name      TEXT NOT NULL,"
    "  file      TEXT NOT NULL,"
    "  sha256    TEXT NOT NULL,"
    "  text      TEXT NOT NULL,"
    "  loaded_at TEXT NOT NULL,"
    "  loaded_by TEXT NOT NULL"
    ") STRICT;",

    /* 3: tasks of the plan (任务督办): status per responsible unit,
     * progress notes and evidence files, stored by content (SHA-256) so a
     * file uploaded twice is kept once. */
    "CREATE TABLE task_progress ("
    "  plan_id    TEXT NOT NULL,"
    "  task_id    TEXT NOT NULL,"
    "  unit       TEXT NOT NULL,"
    "  status     TEXT NOT NULL CHECK (status IN ('未启动','推进中','已完成')),"
    "  updated_at TEXT NOT NULL,"
    "  updated_by TEXT NOT NULL,"
    "  PRIMARY KEY (plan_id, task_id, unit)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE task_note ("
    "  id      INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL,"
    "  task_id TEXT NOT NULL,"
    "  unit    TEXT NOT NULL,"
    "  at      TEXT NOT NULL,"
    "  author  TEXT NOT NULL,"
    "  text    TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX task_note_task ON task_note(plan_id, task_id, unit);"
    "CREATE TABLE evidence_blob ("
    "  sha256 TEXT PRIMARY KEY,"
    "  size   INTEGER NOT NULL,"
    "  mime   TEXT NOT NULL,"
    "  data   BLOB NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE task_evidence ("
    "  id      INTEGER PRIMARY KEY,"
    "  plan_id TEXT NOT NULL,"
    "  task_id TEXT NOT NULL,"
    "  unit    TEXT NOT NULL,"
    "  sha256  TEXT NOT NULL REFERENCES evidence_blob(sha256),"
    "  name    TEXT NOT NULL,"
    "  at      TEXT NOT NULL,"
    "  author  TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX task_evidence_task ON task_evidence(plan_id, task_id, unit);",

    /* 4: change stamps.  A version per kind of data the indicators read,
     * raised by every write, so that a cached result is reused exactly
     * while nothing it depends on has changed.  The registry raises its
     * own once per session (a trigger per row would cost a million-row
     * import a second); the other tables raise theirs through triggers,
     * so no writer can forget. */
    "CREATE TABLE stamp ("
    "  key     TEXT PRIMARY KEY,"
    "  version INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER data_value_ins AFTER INSERT ON data_value BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || new.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
    "CREATE TRIGGER data_value_upd AFTER UPDATE ON data_value BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || new.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
    "CREATE TRIGGER data_value_del AFTER DELETE ON data_value BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || old.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
    STAMP_TRIGGERS("training_record")
    STAMP_TRIGGERS("funding")
    STAMP_TRIGGERS("staffing")
    STAMP_TRIGGERS("subsidy")
    STAMP_TRIGGERS("rotation")
    STAMP_TRIGGERS("itinerant_need")
    STAMP_TRIGGERS("inspector_assignment")
    STAMP_TRIGGERS("rectification")
    STAMP_TRIGGERS("pairing_pool")
    STAMP_TRIGGERS("pairing")
    STAMP_TRIGGERS("pairing_activity"),

    /* 5: accounts.  One role each, scoped to an org unit (the city, a town,
     * a school); an inspector's scope is the schools assigned to them.
     * Passwords are argon2id strings (libsodium's crypto_pwhash_str). */
    "CREATE TABLE account ("
    "  id         INTEGER PRIMARY KEY,"
    "  name       TEXT NOT NULL UNIQUE,"
    "  role       TEXT NOT NULL"
    "             CHECK (role IN ('管理员','区镇','学校','督学','领导')),"
    "  unit_id    INTEGER NOT NULL REFERENCES org_unit(id),"
    "  pass_hash  TEXT NOT NULL,"
    "  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),"
    "  created_at TEXT NOT NULL,"
    "  changed_at TEXT NOT NULL"
    ") STRICT;",

    /* 6: sessions and login attempts.  A session is known by the SHA-256
     * of its token, so a copy of the database does not let anyone in;
     * its CSRF token is kept to compare with each state-changing request.
     * Failed logins are counted per account and per address for rate
     * limiting. */
    "CREATE TABLE session ("
    "  token_hash TEXT PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES account(id),"
    "  csrf       TEXT NOT NULL,"
    "  addr       TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  seen_at    INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX session_account ON session(account_id);"
    "CREATE TABLE login_failure ("
    "  id      INTEGER PRIMARY KEY,"
    "  name    TEXT NOT NULL,"
    "  addr    TEXT NOT NULL,"
    "  at      INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX login_failure_name ON login_failure(name, at);"
    "CREATE INDEX login_failure_addr ON login_failure(addr, at);",

    /* 7: the approval workflow (review.h).  A unit's submission of a
     * year's data: no row is a draft; state 1 已上报, 2 已审核, 3 已退回,
     * 4 已确认; the comment of the last action (a return's reason).
     * data_value_accepted holds the values as the city accepted them,
     * with exactly data_value's columns so that the engine reads either
     * table with the same query; it raises the same value:ELEMENT stamps,
     * so a cached result of either kind is dropped when either moves. */
    "CREATE TABLE submission ("
    "  unit_id    INTEGER NOT NULL REFERENCES org_unit(id),"
    "  year       INTEGER NOT NULL,"
    "  state      INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),"
    "  comment    TEXT,"
    "  updated_by TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (unit_id, year)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX submission_year ON submission(year, state);"
    "CREATE TABLE data_value_accepted ("
    "  element    TEXT NOT NULL,"
    "  unit_id    INTEGER NOT NULL,"
    "  year       INTEGER NOT NULL,"
    "  num        REAL,"
    "  text       TEXT,"
    "  entered_by TEXT NOT NULL,"
    "  entered_at TEXT NOT NULL,"
    "  PRIMARY KEY (element, unit_id, year)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TRIGGER data_value_accepted_ins AFTER INSERT"
    " ON data_value_accepted BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || new.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
    "CREATE TRIGGER data_value_accepted_upd AFTER UPDATE"
    " ON data_value_accepted BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || new.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;"
    "CREATE TRIGGER data_value_accepted_del AFTER DELETE"
    " ON data_value_accepted BEGIN"
    "  INSERT INTO stamp VALUES ('value:' || old.element, 1)"
    "  ON CONFLICT(key) DO UPDATE SET version = version + 1; END;",

    /* 8: the training ledger (training.h, clauses 3.4.2-T2, T3, T5).
     * Bases, the course catalogue and enrolments in electives; the
     * completions stay in training_record, which the indicators read,
     * now linked to their course when it is in the catalogue (NULL for a
     * course outside it, known by its name).  One teacher, course and
     * day is one record: the index keys a catalogue course by id and any
     * other by name (an integer never equals a text in SQLite, so the
     * two cannot collide).  The new tables raise stamps like the other
     * mechanisms' tables, so an indicator may read them as soon as the
     * compiler knows them. */
    "CREATE TABLE training_base ("
    "  id      INTEGER PRIMARY KEY,"
    "  name    TEXT NOT NULL UNIQUE,"
    "  kind    TEXT NOT NULL"
    "          CHECK (kind IN ('学校基地','学科基地','培训机构')),"
    "  unit_id INTEGER REFERENCES school(unit_id),"
    "  subject INTEGER,"
    "  CHECK ((kind = '培训机构') = (unit_id IS NULL)),"
    "  CHECK ((kind = '学科基地') = (subject IS NOT NULL))"
    ") STRICT;"
    "CREATE TABLE course ("
    "  id        INTEGER PRIMARY KEY,"
    "  code      TEXT NOT NULL UNIQUE,"
    "  name      TEXT NOT NULL,"
    "  base_id   INTEGER REFERENCES training_base(id),"
    "  hours     REAL NOT NULL CHECK (hours > 0),"
    "  subject   INTEGER,"
    "  stage     INTEGER,"
    "  required  INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0,1)),"
    "  capacity  INTEGER CHECK (capacity IS NULL OR capacity > 0),"
    "  starts_on TEXT NOT NULL,"
    "  ends_on   TEXT NOT NULL,"
    "  special   INTEGER NOT NULL DEFAULT 1 CHECK (special IN (0,1)),"
    "  CHECK (ends_on >= starts_on),"
    "  CHECK (required = 0 OR capacity IS NULL)"
    ") STRICT;"
    "CREATE INDEX course_base ON course(base_id);"
    "CREATE TABLE course_enrolment ("
    "  course_id   INTEGER NOT NULL REFERENCES course(id),"
    "  teacher_id  INTEGER NOT NULL REFERENCES teacher(id),"
    "  enrolled_at TEXT NOT NULL,"
    "  PRIMARY KEY (course_id, teacher_id)"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX course_enrolment_teacher ON course_enrolment(teacher_id);"
    "ALTER TABLE training_record ADD COLUMN"
    "  course_id INTEGER REFERENCES course(id);"
    "CREATE UNIQUE INDEX training_record_once ON training_record("
    "  teacher_id, coalesce(course_id, course), done_on);"
    "CREATE INDEX training_record_course ON training_record(course_id,"
    "  teacher_id);"
    STAMP_TRIGGERS("training_base")
    STAMP_TRIGGERS("course")
    STAMP_TRIGGERS("course_enrolment"),

    /* 9: rules (rules.h): the rates, ratios and thresholds of the
     * mechanisms, per kind ("funding", "subsidy", ...) and year, edited by
     * the office; a year without a row uses the built-in default of
     * rules.c.  Who changed what is in the audit log, not here.  Stamps
     * as the other mechanisms' tables, so an indicator may read a rule.
     * The funding table (migration 2) keeps its columns, which the
     * indicators read, and gains the components of its total
     * (funding.h): total = (base + boarding + special) * coefficient. */
    "CREATE TABLE rule ("
    "  kind  TEXT NOT NULL,"
    "  year  INTEGER NOT NULL,"
    "  key   TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  note  TEXT,"
    "  PRIMARY KEY (kind, year, key)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("rule")
    "ALTER TABLE funding ADD COLUMN base REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE funding ADD COLUMN boarding REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE funding ADD COLUMN special REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE funding ADD COLUMN coefficient REAL NOT NULL DEFAULT 1;",

    /* 10: the teaching-force mechanisms (clauses 3.4.3-T7 to T10).
     * staffing (migration 2) keeps a school's norm and actual head count;
     * staffing_subject splits both by subject.  A rotation row is a
     * rotation done (the indicators count it); proposals wait in
     * rotation_proposal until accepted.  A redistribution move is
     * proposed, then accepted, with its reason in words.  substitute_count
     * is the yearly head count of substitute teachers per school, since the
     * teacher table holds only the present.  Itinerant teaching: the
     * year's pool of itinerant teachers with their weekly cap, the hours
     * each takes at each school, and the week laid out one school per
     * teacher per day, so that the key itself forbids a double booking. */
    "CREATE TABLE staffing_subject ("
    "  school_id INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year      INTEGER NOT NULL,"
    "  subject   INTEGER NOT NULL,"
    "  need      REAL NOT NULL,"
    "  actual    INTEGER NOT NULL,"
    "  PRIMARY KEY (school_id, year, subject)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("staffing_subject")
    "ALTER TABLE rotation ADD COLUMN kind TEXT NOT NULL DEFAULT '轮岗'"
    "  CHECK (kind IN ('轮岗','支教','挂职'));"
    "CREATE TABLE rotation_proposal ("
    "  id          INTEGER PRIMARY KEY,"
    "  year        INTEGER NOT NULL,"
    "  teacher_id  INTEGER NOT NULL REFERENCES teacher(id),"
    "  from_school INTEGER NOT NULL REFERENCES school(unit_id),"
    "  to_school   INTEGER NOT NULL REFERENCES school(unit_id),"
    "  kind        TEXT NOT NULL DEFAULT '轮岗'"
    "    CHECK (kind IN ('轮岗','支教','挂职')),"
    "  backbone    INTEGER NOT NULL DEFAULT 0 CHECK (backbone IN (0,1)),"
    "  reason      TEXT NOT NULL DEFAULT '',"
    "  status      TEXT NOT NULL CHECK (status IN ('proposed','accepted')),"
    "  UNIQUE (year, teacher_id)"
    ") STRICT;"
    STAMP_TRIGGERS("rotation_proposal")
    "CREATE TABLE redistribution ("
    "  id          INTEGER PRIMARY KEY,"
    "  year        INTEGER NOT NULL,"
    "  teacher_id  INTEGER NOT NULL REFERENCES teacher(id),"
    "  from_school INTEGER NOT NULL REFERENCES school(unit_id),"
    "  to_school   INTEGER NOT NULL REFERENCES school(unit_id),"
    "  subject     INTEGER NOT NULL,"
    "  cross_stage INTEGER NOT NULL DEFAULT 0 CHECK (cross_stage IN (0,1)),"
    "  distance_km REAL,"
    "  reason      TEXT NOT NULL,"
    "  status      TEXT NOT NULL CHECK (status IN ('proposed','accepted')),"
    "  UNIQUE (year, teacher_id)"
    ") STRICT;"
    STAMP_TRIGGERS("redistribution")
    "CREATE TABLE substitute_count ("
    "  school_id INTEGER NOT NULL REFERENCES school(unit_id),"
    "  year      INTEGER NOT NULL,"
    "  count     INTEGER NOT NULL CHECK (count >= 0),"
    "  PRIMARY KEY (school_id, year)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("substitute_count")
    "CREATE TABLE itinerant_teacher ("
    "  year       INTEGER NOT NULL,"
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  max_hours  REAL NOT NULL CHECK (max_hours > 0),"
    "  PRIMARY KEY (year, teacher_id)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("itinerant_teacher")
    "CREATE TABLE itinerant_assignment ("
    "  year       INTEGER NOT NULL,"
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  school_id  INTEGER NOT NULL REFERENCES school(unit_id),"
    "  subject    INTEGER NOT NULL,"
    "  hours      REAL NOT NULL CHECK (hours > 0),"
    "  travel_min REAL,"
    "  PRIMARY KEY (year, teacher_id, school_id, subject)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("itinerant_assignment")
    "CREATE TABLE itinerant_slot ("
    "  year       INTEGER NOT NULL,"
    "  teacher_id INTEGER NOT NULL REFERENCES teacher(id),"
    "  day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 5),"
    "  school_id  INTEGER NOT NULL REFERENCES school(unit_id),"
    "  subject    INTEGER NOT NULL,"
    "  hours      REAL NOT NULL CHECK (hours > 0),"
    "  PRIMARY KEY (year, teacher_id, day)"
    ") STRICT, WITHOUT ROWID;"
    STAMP_TRIGGERS("itinerant_slot"),
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int zx_db_schema_version(void)
{
    return NMIGRATIONS;
}

sqlite3 *zx_db_sqlite(zx_db *db)
{
    return db->h;
}

const char *zx_db_errmsg(zx_db *db)
{
    return db && db->h ? sqlite3_errmsg(db->h) : "no database";
}

int zx_db_exec(zx_db *db, const char *sql)
{
    return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? ZX_OK
                                                                    : ZX_EDB;
}

int zx_db_begin(zx_db *db)
{
    return zx_db_exec(db, "BEGIN IMMEDIATE");
}

int zx_db_commit(zx_db *db)
{
    return zx_db_exec(db, "COMMIT");
}

int zx_db_rollback(zx_db *db)
{
    if (sqlite3_get_autocommit(db->h))
        return ZX_OK;
    return zx_db_exec(db, "ROLLBACK");
}

long long zx_db_int(zx_db *db, const char *sql, const char *param,
                    long long def)
{
    sqlite3_stmt *st = NULL;
    long long v = def;

    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return def;
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

char *zx_db_meta_get(zx_db *db, const char *key)
{
    sqlite3_stmt *st = NULL;
    char *v = NULL;

    if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

int zx_db_meta_set(zx_db *db, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(db->h,
                           "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                           "ON CONFLICT(key) DO UPDATE SET value = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? ZX_OK : ZX_EDB;
    sqlite3_finalize(st);
    return rc;
}

static int migrate(zx_db *db, char *errbuf, size_t errlen)
{
    int version = (int)zx_db_int(db, "PRAGMA user_version", NULL, 0);
    char sql[64];

    if (version > NMIGRATIONS) {
        if (errbuf)
            snprintf(errbuf, errlen,
                     "数据库版本 %d 高于本程序支持的 %d，请升级 zhenxing",
                     version, NMIGRATIONS);
        return ZX_EDB;
    }
    while (version < NMIGRATIONS) {
        if (zx_db_begin(db) != ZX_OK)
            goto fail;
        if (zx_db_exec(db, migrations[version]) != ZX_OK)
            goto fail;
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
        if (zx_db_exec(db, sql) != ZX_OK || zx_db_commit(db) != ZX_OK)
            goto fail;
        version++;
    }
    return ZX_OK;

fail:
    if (errbuf)
        snprintf(errbuf, errlen, "数据库升级到第 %d 版失败：%s", version + 1,
                 sqlite3_errmsg(db->h));
    zx_db_rollback(db);
    return ZX_EDB;
}

/* Memory statistics cost SQLite a global mutex per allocation; we never
 * read them.  Must run before SQLite initialises. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int zx_db_open(const char *path, int flags, zx_db **out, char *errbuf,
               size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    zx_db *db;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    int rc;

    *out = NULL;
    pthread_once(&once, configure_sqlite);
    db = calloc(1, sizeof(*db));
    if (!db)
        return ZX_ENOMEM;
    if (flags & ZX_DB_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
        if (errbuf)
            snprintf(errbuf, errlen, "无法打开数据库 %s：%s%s", path,
                     sqlite3_errmsg(db->h),
                     flags & ZX_DB_CREATE ? ""
                                          : "（请先运行 zhenxing init）");
        rc = ZX_EDB;
        goto fail;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    /* WAL lets readers run beside the one writer; NORMAL sync is safe in
     * WAL mode (a crash loses at most the last commits, never integrity).
     * Reads through a memory map skip a copy per page: a cold evaluation
     * of the plan reads hundreds of megabytes at province scale. */
    if (zx_db_exec(db, "PRAGMA journal_mode = WAL") ||
        zx_db_exec(db, "PRAGMA synchronous = NORMAL") ||
        zx_db_exec(db, "PRAGMA foreign_keys = ON") ||
        zx_db_exec(db, "PRAGMA cache_size = -262144") ||
        zx_db_exec(db, "PRAGMA temp_store = MEMORY") ||
        zx_db_exec(db, "PRAGMA mmap_size = 1073741824")) {
        if (errbuf)
            snprintf(errbuf, errlen, "无法打开数据库 %s：%s", path,
                     sqlite3_errmsg(db->h));
        rc = ZX_EDB;
        goto fail;
    }
    rc = migrate(db, errbuf, errlen);
    if (rc)
        goto fail;
    *out = db;
    return ZX_OK;

fail:
    zx_db_close(db);
    return rc;
}

sqlite3_stmt *zx_db_prepare(zx_db *db, const char *sql)
{
    sqlite3_stmt *st;
    int i;

    /* hot callers pass the same literal every time: match the pointer
     * first, the copy confirms it (a reused buffer could hold other SQL) */
    for (i = 0; i < db->ncache; i++)
        if (db->cache[i].src == sql && strcmp(db->cache[i].sql, sql) == 0)
            break;
    if (i == db->ncache)
        for (i = 0; i < db->ncache; i++)
            if (strcmp(db->cache[i].sql, sql) == 0)
                break;
    if (i < db->ncache) {
        st = db->cache[i].st;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (db->ncache == db->capcache) {
        int cap = db->capcache ? db->capcache * 2 : 32;
        struct cached *c = realloc(db->cache, (size_t)cap * sizeof(*c));
        if (!c)
            return NULL;
        db->cache = c;
        db->capcache = cap;
    }
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    /* the text is kept, so callers may pass SQL built in a buffer */
    db->cache[db->ncache].src = sql;
    db->cache[db->ncache].sql = strdup(sql);
    if (!db->cache[db->ncache].sql) {
        sqlite3_finalize(st);
        return NULL;
    }
    db->cache[db->ncache].st = st;
    db->ncache++;
    return st;
}

int zx_db_backup(zx_db *db, const char *path)
{
    char part[4096];
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    int rc = ZX_EDB, step;

    if (snprintf(part, sizeof(part), "%s.part", path) >= (int)sizeof(part))
        return ZX_EIO;
    remove(part);
    if (sqlite3_open_v2(part, &dst, SQLITE_OPEN_READWRITE |
                        SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = ZX_EIO;
        goto fail;
    }
    b = sqlite3_backup_init(dst, "main", db->h, "main");
    if (!b)
        goto fail;
    /* small steps with a pause let writers in; the busy timeout covers
     * the moments the source is locked */
    do {
        step = sqlite3_backup_step(b, 1024);
        if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (step == SQLITE_OK || step == SQLITE_BUSY ||
             step == SQLITE_LOCKED);
    if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE)
        goto fail;
    if (sqlite3_close(dst) != SQLITE_OK) {
        dst = NULL;
        goto fail;
    }
    dst = NULL;
    if (rename(part, path) != 0) {
        rc = ZX_EIO;
        goto fail;
    }
    return ZX_OK;

fail:
    if (dst)
        sqlite3_close(dst);
    remove(part);
    return rc;
}

void zx_db_close(zx_db *db)
{
    int i;

    if (!db)
        return;
    for (i = 0; i < db->ncache; i++) {
        sqlite3_finalize(db->cache[i].st);
        free(db->cache[i].sql);
    }
    free(db->cache);
    sqlite3_close_v2(db->h);
    free(db);
}
