/*
 * pairact.c - the activities that show an accepted pair at work and the
 * programme's figures for a term (see pairing.h).
 */
#include "pairint.h"
#include "text.h"
#include "zx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- activities ---- */

static const char *const kinds[][2] = {
    { "visit", "走访" }, { "lesson", "听评课" }, { "help", "帮扶事项" },
};

#define NKINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))

int zx_pairing_kind_parse(const char *s)
{
    int k;

    for (k = 0; s && k < NKINDS; k++)
        if (strcmp(s, kinds[k][0]) == 0 || strcmp(s, kinds[k][1]) == 0)
            return k;
    return -1;
}

const char *zx_pairing_kind_name(int k)
{
    return k >= 0 && k < NKINDS ? kinds[k][1] : NULL;
}

int zx_pairing_activity_add(zx_db *db, long long pair, const char *kind,
                            const char *date, const char *note,
                            const char *actor, long long *out_id,
                            zx_diag *diag)
{
    sqlite3_stmt *st;
    char day[11], key[24];
    int k = zx_pairing_kind_parse(kind), accepted = 0, p, rc;
    long long id;

    if (k < 0) {
        zx_diag_add(diag, "", 0, -1, "活动类型“%s”无效：应为 走访（visit）、"
                    "听评课（lesson）或 帮扶事项（help）", kind ? kind : "");
        return ZX_EINVAL;
    }
    if (zx_pair_check_date(date, day)) {
        zx_diag_add(diag, "", 0, -1, "日期“%s”无效：应为 YYYY-MM-DD",
                    date ? date : "");
        return ZX_EINVAL;
    }
    if (note && (!zx_utf8_valid(note, strlen(note)) ||
                 zx_text_chars(note) > 2000)) {
        zx_diag_add(diag, "", 0, -1, "说明应为不超过 2000 字的 UTF-8 文字");
        return ZX_EINVAL;
    }
    if ((rc = zx_db_begin(db)))
        return rc;
    if ((p = zx_pair_programme_of(db, pair, &accepted)) < 0) {
        if (p == -1)
            zx_diag_add(diag, "", 0, -1, "没有编号为 %lld 的结对", pair);
        rc = p == -1 ? ZX_ENOTFOUND : ZX_EDB;
        goto fail;
    }
    if (!accepted) {
        zx_diag_add(diag, "", 0, -1, "结对 %lld 尚未确认，确认后才能记录活动",
                    pair);
        rc = ZX_EDATA;
        goto fail;
    }
    rc = ZX_EDB;
    st = zx_db_prepare(db, "INSERT INTO pairing_activity(pairing_id, on_date,"
                           " kind, note) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, pair);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kinds[k][1], -1, SQLITE_STATIC);
    if (note && *note)
        sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
    if (zx_pair_step_done(st))
        goto fail;
    id = sqlite3_last_insert_rowid(zx_db_sqlite(db));
    snprintf(key, sizeof(key), "%lld", id);
    if ((rc = zx_pair_audit(db, actor, "insert", "pairing_activity", key,
                            NULL,
                            json_pack("{s:I, s:s, s:s, s:s?}", "pairing",
                                      (json_int_t)pair, "on_date", day,
                                      "kind", kinds[k][1], "note",
                                      note && *note ? note : NULL))))
        goto fail;
    if ((rc = zx_db_commit(db)))
        goto fail;
    if (out_id)
        *out_id = id;
    return ZX_OK;

fail:
    zx_db_rollback(db);
    return rc;
}

/* ---- statistics ---- */

int zx_pairing_stats_get(zx_db *db, const char *programme, const char *date,
                         zx_pairing_stats *out)
{
    int p = zx_pairing_programme_parse(programme);
    sqlite3_stmt *st;
    char day[11];
    int r, y, m;

    memset(out, 0, sizeof(*out));
    if (p < 0)
        return ZX_ENOTFOUND;
    if (zx_pair_check_date(date, day))
        return ZX_EINVAL;
    y = atoi(day);
    m = atoi(day + 5);
    snprintf(out->term_from, sizeof(out->term_from), "%04d-%s", y,
             m <= 6 ? "01-01" : "07-01");
    snprintf(out->term_to, sizeof(out->term_to), "%04d-%s", y,
             m <= 6 ? "06-30" : "12-31");
    st = zx_db_prepare(db,
        "SELECT"
        " (SELECT count(*) FROM pairing_pool WHERE programme = ?1"
        "  AND side = 'mentor'),"
        " (SELECT count(*) FROM pairing_pool WHERE programme = ?1"
        "  AND side = 'mentee'),"
        " (SELECT count(DISTINCT mentor_id) FROM pairing WHERE programme = ?1"
        "  AND status = 'accepted'),"
        " (SELECT count(DISTINCT mentee_id) FROM pairing WHERE programme = ?1"
        "  AND status = 'accepted'),"
        " (SELECT count(DISTINCT mentee_id) FROM pairing WHERE programme = ?1"
        "  AND status = 'proposed'),"
        " (SELECT count(*) FROM pairing WHERE programme = ?1"
        "  AND status = 'accepted'),"
        " (SELECT count(*) FROM pairing WHERE programme = ?1"
        "  AND status = 'proposed'),"
        " (SELECT count(*) FROM pairing x WHERE x.programme = ?1"
        "  AND x.status = 'accepted' AND EXISTS (SELECT 1 FROM"
        "  pairing_activity a WHERE a.pairing_id = x.id"
        "  AND a.on_date BETWEEN ?2 AND ?3))");
    if (!st)
        return ZX_EDB;
    sqlite3_bind_text(st, 1, zx_pairing_programme_id(p), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 2, out->term_from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, out->term_to, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->mentors = sqlite3_column_int(st, 0);
        out->mentees = sqlite3_column_int(st, 1);
        out->mentors_accepted = sqlite3_column_int(st, 2);
        out->mentees_accepted = sqlite3_column_int(st, 3);
        out->mentees_proposed = sqlite3_column_int(st, 4);
        out->accepted = sqlite3_column_int(st, 5);
        out->proposed = sqlite3_column_int(st, 6);
        out->active = sqlite3_column_int(st, 7);
    }
    sqlite3_reset(st);
    if (r != SQLITE_ROW)
        return ZX_EDB;
    out->coverage = out->mentees ?
        (double)out->mentees_accepted / out->mentees : NAN;
    out->active_share = out->accepted ?
        (double)out->active / out->accepted : NAN;
    return ZX_OK;
}
