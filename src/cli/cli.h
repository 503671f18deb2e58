/*
 * cli.h - what the subcommands of the zhenxing binary share: the global
 * options, the database opener that reports its own errors, exit codes,
 * and the terminal progress bar.
 *
 * Subcommands are thin: parse arguments, call the core library, print.
 */
#ifndef ZX_CLI_H
#define ZX_CLI_H

#include <stddef.h>

#include <jansson.h>

#include "db.h"
#include "plan.h"
#include "table.h"

/* Exit statuses (BSD sysexits, as git and curl users expect). */
enum {
    ZX_EXIT_OK = 0,
    ZX_EXIT_FAIL = 1,     /* the command ran but found a problem */
    ZX_EXIT_USAGE = 64,
    ZX_EXIT_DATA = 65,    /* input data invalid: nothing written */
    ZX_EXIT_NOINPUT = 66,
    ZX_EXIT_SOFTWARE = 70,
    ZX_EXIT_IO = 74
};

typedef struct zx_cli {
    const char *db_path;  /* --db, $ZHENXING_DB or var/zhenxing.db */
    const char *prog;     /* "zhenxing" */
} zx_cli;

typedef struct zx_cmd {
    const char *name;
    int (*run)(zx_cli *cli, int argc, char **argv); /* argv[0] = name */
    const char *summary;  /* one line, Chinese */
    const char *usage;    /* full help text, Chinese */
} zx_cmd;

/* Opens cli->db_path (creating it when create is set); prints a Chinese
 * message to stderr on failure.  Returns an exit status. */
int zx_cli_open_db(zx_cli *cli, int create, zx_db **out);

/* Opens the database and loads the plan in force, for command cmd; on
 * failure says why on stderr ("run zhenxing init" when there is no plan),
 * closes what it opened and returns the exit status (*db, *plan NULL).
 * On success both are the caller's (zx_plan_free, zx_db_close). */
int zx_cli_open_plan(zx_cli *cli, const char *cmd, zx_db **db,
                     zx_plan **plan);

/* Reads the --year text s of command cmd into *year (1990..2100).
 * Returns 0, or ZX_EXIT_USAGE after saying why. */
int zx_cli_year(const char *cmd, const char *s, int *year);

/* Output formats of the listing commands, as --format names them. */
enum zx_cli_format { ZX_CLI_TABLE, ZX_CLI_JSON, ZX_CLI_CSV, ZX_CLI_XLSX };

/* Reads --format text s (NULL: table) of command cmd into *fmt, among
 * the formats in the bit set allowed (1u << ZX_CLI_*).  Returns 0, or
 * ZX_EXIT_USAGE after naming the formats allowed. */
int zx_cli_format(const char *cmd, const char *s, unsigned allowed,
                  int *fmt);

/* Maps a library error code to an exit status. */
int zx_cli_exit_code(int err);

/* Prints diagnostics as "FILE:ROW:COLUMN: message" to stderr. */
void zx_cli_print_diag(const zx_diag *d);

/* Prints "zhenxing CMD: message" to stderr and returns ZX_EXIT_USAGE. */
int zx_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes v with thousands separators ("1,234,567") into buf, which needs
 * 32 bytes; returns buf. */
const char *zx_cli_grouped(long long v, char *buf);

/* Writes s to stdout as one CSV field (quoted when it needs to be),
 * followed by a comma, or by CRLF when last is set. */
void zx_cli_csv_cell(const char *s, int last);

/* Prints s to stdout padded with spaces to `width` display columns (a
 * Chinese character takes two). */
void zx_cli_pad(const char *s, int width);

/* Matches argv[*i] against an option taking a value, written as
 * "--long V", "--long=V" or "-s V" (short may be NULL).  Returns 1 and
 * sets *val (advancing *i past the value) on a match, -1 when the value
 * is missing, 0 when argv[*i] is another argument. */
int zx_cli_option(int argc, char **argv, int *i, const char *lng,
                  const char *shrt, const char **val);

/* Writes "schools（学校）、enrolment（在校生）、..." into buf: the sheet
 * kinds, for usage errors. */
void zx_cli_kinds_text(char *buf, size_t cap);

/* A progress bar on stderr, drawn only when stderr is a terminal. */
typedef struct zx_progress zx_progress;
zx_progress *zx_progress_new(const char *label); /* NULL is a valid bar */
void zx_progress_update(void *bar, long long done, long long total);
void zx_progress_end(zx_progress *bar);

/* The subcommands. */
int zx_cmd_init(zx_cli *cli, int argc, char **argv);
int zx_cmd_demo(zx_cli *cli, int argc, char **argv);
int zx_cmd_import(zx_cli *cli, int argc, char **argv);
int zx_cmd_export(zx_cli *cli, int argc, char **argv);
int zx_cmd_template(zx_cli *cli, int argc, char **argv);
int zx_cmd_summary(zx_cli *cli, int argc, char **argv);
int zx_cmd_plan(zx_cli *cli, int argc, char **argv);
int zx_cmd_indicators(zx_cli *cli, int argc, char **argv);
int zx_cmd_tasks(zx_cli *cli, int argc, char **argv);
int zx_cmd_task(zx_cli *cli, int argc, char **argv);
int zx_cmd_values(zx_cli *cli, int argc, char **argv);
int zx_cmd_audit(zx_cli *cli, int argc, char **argv);
int zx_cmd_user(zx_cli *cli, int argc, char **argv);
int zx_cmd_backup(zx_cli *cli, int argc, char **argv);
int zx_cmd_review(zx_cli *cli, int argc, char **argv);
int zx_cmd_serve(zx_cli *cli, int argc, char **argv);
int zx_cmd_pairing(zx_cli *cli, int argc, char **argv);
int zx_cmd_training(zx_cli *cli, int argc, char **argv);
int zx_cmd_gaps(zx_cli *cli, int argc, char **argv);
int zx_cmd_rules(zx_cli *cli, int argc, char **argv);
int zx_cmd_funding(zx_cli *cli, int argc, char **argv);
int zx_cmd_subsidy(zx_cli *cli, int argc, char **argv);
int zx_cmd_rotation(zx_cli *cli, int argc, char **argv);
int zx_cmd_substitutes(zx_cli *cli, int argc, char **argv);
int zx_cmd_itinerant(zx_cli *cli, int argc, char **argv);
int zx_cmd_staffing(zx_cli *cli, int argc, char **argv);
int zx_cmd_redistribution(zx_cli *cli, int argc, char **argv);

/* A listing of a command (grid.c): items as JSON objects, and per column
 * the item's key, title and display width; values are strings, numbers
 * (numbers in a workbook too), booleans (是/否) or null (a table shows
 * "-" for null or ""). */
typedef struct zx_cli_grid {
    const char *title;         /* printed above a table, or NULL */
    const char *sheet;         /* the XLSX sheet's name */
    const char *const *keys;
    const char *const *heads;
    const int *widths;         /* display columns in a table, then a
                                  blank; the last column is not padded */
    int ncols;
    const json_t *items;
    /* Per column the printf format of a real value in a table or CSV
     * (one double: "%+.2f"), NULL for "%.2f"; NULL for all columns. */
    const char *const *reals;
    /* NULL for a row per item; else a row per element of each item's
     * array under this key, the first `lead` columns from the item and
     * the others from the element. */
    const char *rows;
    int lead;
} zx_cli_grid;

/* Writes g as fmt (ZX_CLI_TABLE, CSV or XLSX to out, NULL = stdout),
 * with the demo banner on stderr (or a sheet 说明) when synthetic.
 * Returns an exit status. */
int zx_cli_grid_write(const char *cmd, const zx_cli_grid *g, int fmt,
                      const char *out, int synthetic);

/* `import values FILE` and `template values ...` (cmd_values.c). */
int zx_cli_import_values(zx_cli *cli, const char *file, int dry_run);
int zx_cli_template_values(zx_cli *cli, int argc, char **argv);

extern const char zx_usage_init[], zx_usage_demo[], zx_usage_import[],
    zx_usage_export[], zx_usage_template[], zx_usage_summary[],
    zx_usage_plan[], zx_usage_indicators[], zx_usage_tasks[],
    zx_usage_task[], zx_usage_values[], zx_usage_audit[], zx_usage_user[],
    zx_usage_backup[], zx_usage_review[], zx_usage_serve[];
extern const char zx_usage_pairing[];
extern const char zx_usage_training[];
extern const char zx_usage_gaps[];
extern const char zx_usage_rules[], zx_usage_funding[], zx_usage_subsidy[];
extern const char zx_usage_rotation[], zx_usage_substitutes[];
extern const char zx_usage_itinerant[];
extern const char zx_usage_staffing[], zx_usage_redistribution[];

#endif
