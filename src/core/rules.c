/*
 * rules.c - rule values per kind, year and key, with built-in defaults
 * (see rules.h).
 *
 * The table below is the only place in zhenxing where the mechanisms'
 * figures are written.  Each row names its source; a figure no public
 * source gives is 0 (the mechanism then pays nothing for it) or, for a
 * coefficient, 1 (no effect), so that nothing unsourced is paid out
 * until the office sets the year's value with `zhenxing rules set`.
 */
#include "rules.h"

#include "audit.h"
#include "zx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DM "domain.md 生均公用经费"
#define DS "domain.md 编制标准"
#define CP "义务教育课程方案（2022）：按科目课时比例与周课时总量（1–2 年级 26、" \
    "3–6 年级 30、7–9 年级 34 节）折算为学段各年级平均每班周课时，本程序" \
    "折算，待核定"

static const struct rule_def {
    const char *kind, *key, *title;
    double def, lo, hi;
    const char *source;
} defs[] = {
    /* funding (funding.h, clauses 3.3-F1, 3.3-F2), yuan per student per
     * year unless said otherwise */
    { "funding", "per_student.kindergarten", "幼儿园生均公用经费（元/生·年）",
      0, 0, 1e6, "domain.md 未给出幼儿园标准：0 表示本机制不拨付，待设定" },
    { "funding", "per_student.primary", "小学生均公用经费（元/生·年）",
      650, 0, 1e6, DM "：国家基准，东部（江苏）小学 650 元" },
    { "funding", "per_student.junior", "初中生均公用经费（元/生·年）",
      850, 0, 1e6, DM "：国家基准，东部（江苏）初中 850 元" },
    { "funding", "per_student.senior", "高中生均公用经费（元/生·年）",
      0, 0, 1e6, "domain.md 未给出高中标准：0 表示本机制不拨付，待设定" },
    { "funding", "per_student.vocational", "中职生均公用经费（元/生·年）",
      0, 0, 1e6, "domain.md 未给出中职标准：0 表示本机制不拨付，待设定" },
    { "funding", "per_student.special",
      "特殊教育学校及随班就读残疾学生生均公用经费（元/生·年）",
      6000, 0, 1e6, DM "：特殊教育 6,000 元" },
    { "funding", "boarder", "寄宿生生均增加（元/生·年）",
      200, 0, 1e6, DM "：寄宿生每生每年增加 200 元" },
    { "funding", "floor", "乡村义务教育学校核定学生数下限（人）",
      500, 0, 1e5, "条款 3.3-F2：不足 500 人的乡村学校按 500 人拨付"
      "（国家标准为 100 人）" },
    { "funding", "years.kindergarten", "学段学制年数：学前（跨学段学校按此分摊）",
      3, 0, 12, "学制：幼儿园 3 年" },
    { "funding", "years.primary", "学段学制年数：小学",
      6, 0, 12, "学制：小学 6 年" },
    { "funding", "years.junior", "学段学制年数：初中",
      3, 0, 12, "学制：初中 3 年" },
    { "funding", "years.senior", "学段学制年数：高中",
      3, 0, 12, "学制：高中 3 年" },
    { "funding", "tilt.not_seat", "非建制镇所在地学校倾斜系数",
      1, 0.01, 100, "条款 3.3-F1 要求倾斜但未给系数：1 表示不倾斜，待设定" },
    { "funding", "tilt.weak", "薄弱学校倾斜系数",
      1, 0.01, 100, "条款 3.3-F1 要求倾斜但未给系数：1 表示不倾斜，待设定" },

    /* subsidy (subsidy.h, clause 3.3-F3), yuan per teacher per year */
    { "subsidy", "amount.seat", "建制镇所在地乡村学校教师补贴（元/人·年）",
      0, 0, 1e6, "计划与 domain.md 均未给出金额：0 表示未定，待设定" },
    { "subsidy", "amount.town", "非建制镇所在地镇区学校教师补贴（元/人·年）",
      0, 0, 1e6, "计划与 domain.md 均未给出金额：0 表示未定，待设定" },
    { "subsidy", "amount.village", "非建制镇所在地乡村（村庄、乡中心区）学校"
      "教师补贴（元/人·年）",
      0, 0, 1e6, "计划与 domain.md 均未给出金额：0 表示未定，待设定" },
    { "subsidy", "service.years1", "乡村任教年限第一档起点（年）",
      10, 0, 60, "无公开来源：常见的分档起点，待核定" },
    { "subsidy", "service.extra1", "乡村任教年限第一档加发（元/人·年）",
      0, 0, 1e6, "计划与 domain.md 均未给出金额：0 表示未定，待设定" },
    { "subsidy", "service.years2", "乡村任教年限第二档起点（年）",
      20, 0, 60, "无公开来源：常见的分档起点，待核定" },
    { "subsidy", "service.extra2", "乡村任教年限第二档加发（元/人·年，"
      "代替第一档）",
      0, 0, 1e6, "计划与 domain.md 均未给出金额：0 表示未定，待设定" },
    { "subsidy", "employment.1", "在编教师享受补贴（1 是，0 否）",
      1, 0, 1, "乡村教师补贴的通常范围：在编在岗教师" },
    { "subsidy", "employment.2", "备案制教师享受补贴（1 是，0 否）",
      1, 0, 1, "乡村教师补贴的通常范围：备案制教师同在编" },
    { "subsidy", "employment.3", "代课教师享受补贴（1 是，0 否）",
      0, 0, 1, "乡村教师补贴的通常范围不含代课教师" },
    { "subsidy", "employment.4", "银龄教师享受补贴（1 是，0 否）",
      0, 0, 1, "银龄教师另有讲学补助，不含在内" },
    { "subsidy", "employment.9", "其他用工享受补贴（1 是，0 否）",
      0, 0, 1, "乡村教师补贴的通常范围不含其他用工" },

    /* rotation (rotation.h, clause 3.4.3-T7): the mechanism's figures of
     * the year; the plan's settings rotation_years, rotation_share and
     * backbone_share are what its indicators are measured against */
    { "rotation", "years", "列入交流范围的同校任教年限（年）",
      6, 1, 60, "domain.md 交流轮岗：在同一学校任教满 6 年的教师列入交流范围" },
    { "rotation", "share", "城镇学校和优质学校每年交流的符合条件教师比例（%）",
      10, 0, 100, "domain.md 交流轮岗：每年交流比例不低于符合条件教师的 10%" },
    { "rotation", "backbone_share", "交流教师中骨干教师的最低比例（%）",
      20, 0, 100, "domain.md 交流轮岗：骨干教师不低于交流教师的 20%" },
    { "rotation", "hq_strong", "教育集团总校（牵头学校）视为优质学校（1 是，0 否）",
      1, 0, 1, "domain.md 只说“优质学校”，未给判定办法：本系统以集团总校为"
      "优质学校，待核定" },
    { "rotation", "dest_max", "每所乡村学校每年接收交流教师上限（人）",
      2, 1, 100, "无公开来源：为免交流教师集中于少数学校而设，待设定" },

    /* substitutes (substitutes.h, clause 3.4.3-T9) */
    { "substitutes", "baseline_year", "代课教师消除的基数年度",
      2019, 2000, 2100, "indicators.md substitutes：以 2019 年人数为基数" },
    { "substitutes", "target_year", "代课教师清零年度",
      2024, 2000, 2100, "条款 3.4.3-T9：用 5 年左右时间逐步消除代课教师；"
      "indicators.md：2024 年为 0" },

    /* itinerant teaching (itinerant.h, clauses 3.4.3-T10, 3.5.2-R4) */
    { "itinerant", "travel.max_min", "走教单程路程时间上限（分钟）",
      30, 1, 240, "无公开来源：计划未给出走教半径，按单程半小时拟定，待核定" },
    { "itinerant", "travel.speed_kmh", "走教平均行车速度（公里/小时，"
      "按学校间直线距离折算路程时间）",
      30, 1, 120, "无公开来源：县域乡村道路的常见车速，待核定" },
    { "itinerant", "load.week", "走教教师每周课时上限（节）",
      16, 1, 40, "无公开来源：小学专任教师周课时常见 14～18 节，取 16，待核定" },
    { "itinerant", "load.day", "走教教师在一所学校每天课时上限（节）",
      6, 1, 10, "无公开来源：每天至多 6 节，待核定" },
    { "itinerant", "schools.max", "走教教师每周最多走教学校数（所）",
      3, 1, 5, "无公开来源：每天一校、每周 5 天之内，取 3 所，待核定" },
    { "itinerant", "pool.per_school", "每所派出学校每门紧缺学科推荐走教"
      "教师人数上限（人）",
      1, 0, 20, "无公开来源：不使派出学校本学科无人任教，取 1 人，待核定" },

    /* staffing (staffing.h, 编制 of issue 7 item 3): staff per student
     * and per class; which employment counts toward the norm */
    { "staffing", "years.kindergarten", "学段学制年数：学前（跨学段学校按此分摊"
      "学生和班级）",
      3, 0, 12, "学制：幼儿园 3 年（与经费规则同义）" },
    { "staffing", "years.primary", "学段学制年数：小学",
      6, 0, 12, "学制：小学 6 年" },
    { "staffing", "years.junior", "学段学制年数：初中",
      3, 0, 12, "学制：初中 3 年" },
    { "staffing", "years.senior", "学段学制年数：高中",
      3, 0, 12, "学制：高中 3 年" },
    { "staffing", "ratio.kindergarten", "学前师生比：每名教职工对应幼儿数"
      "（0 为按班核定）",
      0, 0, 100, "domain.md 编制标准：幼儿园按班核定（每班 2 教 1 保），"
      "不按生师比" },
    { "staffing", "ratio.primary", "小学生师比：每名教职工对应学生数",
      19, 0, 100, DS "：城乡统一，小学 1:19" },
    { "staffing", "ratio.junior", "初中生师比：每名教职工对应学生数",
      13.5, 0, 100, DS "：城乡统一，初中 1:13.5" },
    { "staffing", "ratio.senior", "高中生师比：每名教职工对应学生数",
      12.5, 0, 100, DS "：城乡统一，高中 1:12.5" },
    { "staffing", "ratio.vocational", "中职生师比：每名教师对应学生数",
      20, 0, 100, "domain.md 未给出；《中等职业学校设置标准》（2010）生师比 "
      "20:1，待核定" },
    { "staffing", "ratio.special", "特教学校生师比（0 为不核定）",
      0, 0, 100, "domain.md 未给出特教学校标准：0 表示不核定，待设定" },
    { "staffing", "per_class.kindergarten", "幼儿园每班教职工数",
      3, 0, 10, DS "：幼儿园每班 2 名教师 + 1 名保育员（或 3 名教师）" },
    { "staffing", "per_class.primary", "小规模学校小学每班教职工数（班师比）",
      2, 0, 10, "无公开来源：domain.md 只说小规模乡村学校按班师比核定，"
      "比值待核定" },
    { "staffing", "per_class.junior", "小规模学校初中每班教职工数（班师比）",
      3, 0, 10, "无公开来源：domain.md 只说小规模乡村学校按班师比核定，"
      "比值待核定" },
    { "staffing", "per_class.senior", "小规模学校高中每班教职工数（0 为不按班"
      "核定）",
      0, 0, 10, "无公开来源：0 表示高中不按班核定，待设定" },
    { "staffing", "boarding_class.kindergarten", "幼儿园寄宿班每班增加教职工数",
      2, 0, 10, DS "：寄宿制幼儿园每班增加 1 名教师和 1 名保育员" },
    { "staffing", "small.students", "按班师比核定的学校规模上限（在校生少于"
      "此数的学校取生师比、班师比核定数之大者）",
      500, 0, 1e5, "无公开来源：以计划条款 3.3-F2 的 500 人为小规模学校界限，"
      "待核定" },
    { "staffing", "employment.1", "在编教师计入实有数（1 是，0 否）",
      1, 0, 1, "编制核定的通常口径：在编人员" },
    { "staffing", "employment.2", "备案制教师计入实有数（1 是，0 否）",
      1, 0, 1, "条款 3.4.3-T9：备案制教师按编制管理" },
    { "staffing", "employment.3", "代课教师计入实有数（1 是，0 否）",
      0, 0, 1, "代课教师不占编制，另行列出（条款 3.4.3-T9）" },
    { "staffing", "employment.4", "银龄教师计入实有数（1 是，0 否）",
      0, 0, 1, "银龄讲学教师不占编制" },
    { "staffing", "employment.9", "其他用工计入实有数（1 是，0 否）",
      0, 0, 1, "其他用工不占编制" },

    /* curriculum (staffing.h): lessons per class and week by stage and
     * subject, a teacher's weekly load; subject needs come from them */
    { "curriculum", "load.primary", "小学专任教师周课时量（节）",
      14, 0, 40, "无公开来源：常见的小学教师周课时量，待核定" },
    { "curriculum", "load.junior", "初中专任教师周课时量（节）",
      12, 0, 40, "无公开来源：常见的初中教师周课时量，待核定" },
    { "curriculum", "lessons.primary.11", "小学每班每周课时：道德与法治（节）",
      2, 0, 20, CP },
    { "curriculum", "lessons.primary.13", "小学每班每周课时：语文（节）",
      7, 0, 20, CP },
    { "curriculum", "lessons.primary.14", "小学每班每周课时：数学（节）",
      4.5, 0, 20, CP },
    { "curriculum", "lessons.primary.41", "小学每班每周课时：英语（节）",
      1.5, 0, 20, CP },
    { "curriculum", "lessons.primary.15", "小学每班每周课时：科学（节）",
      1.7, 0, 20, CP },
    { "curriculum", "lessons.primary.22", "小学每班每周课时：体育与健康（节）",
      3.3, 0, 20, CP },
    { "curriculum", "lessons.primary.24", "小学每班每周课时：音乐（节）",
      2, 0, 20, CP },
    { "curriculum", "lessons.primary.25", "小学每班每周课时：美术（节）",
      2, 0, 20, CP },
    { "curriculum", "lessons.primary.61", "小学每班每周课时：信息科技（节）",
      0.7, 0, 20, CP },
    { "curriculum", "lessons.primary.60", "小学每班每周课时：综合实践活动（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.primary.62", "小学每班每周课时：劳动（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.primary.91", "小学每班每周课时：心理健康（节）",
      0.5, 0, 20, "无公开来源：地方课程，暂按隔周一节，待核定" },
    { "curriculum", "lessons.junior.12", "初中每班每周课时：道德与法治（节）",
      2, 0, 20, CP },
    { "curriculum", "lessons.junior.13", "初中每班每周课时：语文（节）",
      5, 0, 20, CP },
    { "curriculum", "lessons.junior.14", "初中每班每周课时：数学（节）",
      5, 0, 20, CP },
    { "curriculum", "lessons.junior.41", "初中每班每周课时：英语（节）",
      4, 0, 20, CP },
    { "curriculum", "lessons.junior.21", "初中每班每周课时：历史（节）",
      2, 0, 20, CP },
    { "curriculum", "lessons.junior.20", "初中每班每周课时：地理（节）",
      1.3, 0, 20, CP },
    { "curriculum", "lessons.junior.16", "初中每班每周课时：物理（节）",
      1.7, 0, 20, CP },
    { "curriculum", "lessons.junior.17", "初中每班每周课时：化学（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.18", "初中每班每周课时：生物（节）",
      1.3, 0, 20, CP },
    { "curriculum", "lessons.junior.22", "初中每班每周课时：体育与健康（节）",
      3, 0, 20, CP },
    { "curriculum", "lessons.junior.24", "初中每班每周课时：音乐（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.25", "初中每班每周课时：美术（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.61", "初中每班每周课时：信息科技（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.60", "初中每班每周课时：综合实践活动（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.62", "初中每班每周课时：劳动（节）",
      1, 0, 20, CP },
    { "curriculum", "lessons.junior.91", "初中每班每周课时：心理健康（节）",
      0.5, 0, 20, "无公开来源：地方课程，暂按隔周一节，待核定" },

    /* redistribution (redistrib.h, clause 3.4.3-T8) */
    { "redistribution", "serious_only", "只从超编比较严重的学校调出（1 是，"
      "0 凡超编学校皆可）",
      0, 0, 1, "条款 3.4.3-T8 指超编比较严重的乡村学校；0 表示凡超编学校"
      "皆可调出，待设定" },
    { "redistribution", "max_km", "调配距离上限（公里，0 为不限）",
      0, 0, 1000, "无公开来源：0 表示不限距离，待设定" },
    { "redistribution", "move_km", "每次调动的固定代价（折合公里）",
      5, 0, 1000, "无公开来源：使少调动者优先的固定代价，待核定" },
    { "redistribution", "unfilled_km", "每个缺额未补的代价（折合公里）",
      1000, 0, 100000, "无公开来源：大于全市任意两校距离，即能补尽补，"
      "待核定" },
    { "redistribution", "quota.total", "年度调配总名额（人，0 为不限）",
      0, 0, 1e5, "无公开来源：0 表示不限，待设定" },
    { "redistribution", "quota.school", "每校年度调出上限（人，0 为不限）",
      0, 0, 1e4, "无公开来源：0 表示不限，待设定" },
    { "redistribution", "cross_stage", "允许小学、初中同学科跨学段调配"
      "（1 是，0 否）",
      1, 0, 1, "条款 3.4.3-T8：探索教师跨学段交流" },
};

#define NDEFS ((int)(sizeof(defs) / sizeof(defs[0])))

static const struct rule_def *find_def(const char *kind, const char *key)
{
    int i;

    for (i = 0; i < NDEFS; i++)
        if (strcmp(defs[i].kind, kind) == 0 && strcmp(defs[i].key, key) == 0)
            return &defs[i];
    return NULL;
}

int zx_rules_kind_known(const char *kind)
{
    int i;

    for (i = 0; i < NDEFS; i++)
        if (strcmp(defs[i].kind, kind) == 0)
            return 1;
    return 0;
}

int zx_rules_kinds(const char **out, int cap)
{
    int i, j, n = 0;

    for (i = 0; i < NDEFS; i++) {
        for (j = 0; j < n && strcmp(out[j], defs[i].kind) != 0; j++)
            ;
        if (j == n && n < cap)
            out[n++] = defs[i].kind;
    }
    return n;
}

int zx_rules_range(const char *kind, const char *key, double *lo,
                   double *hi)
{
    const struct rule_def *d = find_def(kind, key);

    if (!d)
        return ZX_ENOTFOUND;
    *lo = d->lo;
    *hi = d->hi;
    return ZX_OK;
}

/* The stored rule into *value and its note (malloc'd, or NULL) into
 * *note when note is not NULL; returns 1 when found, 0 when not, -1 on a
 * database error. */
static int stored(zx_db *db, const char *kind, int year, const char *key,
                  double *value, char **note)
{
    sqlite3_stmt *st = zx_db_prepare(db, "SELECT value, note FROM rule"
                                         " WHERE kind = ?1 AND year = ?2"
                                         " AND key = ?3");
    int rc;

    if (note)
        *note = NULL;
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *value = sqlite3_column_double(st, 0);
        if (note && sqlite3_column_type(st, 1) != SQLITE_NULL &&
            !(*note = strdup((const char *)sqlite3_column_text(st, 1)))) {
            sqlite3_reset(st);
            return -1;
        }
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int zx_rules_get(zx_db *db, const char *kind, int year, const char *key,
                 double *value, int *is_set)
{
    const struct rule_def *d = find_def(kind, key);
    int found;

    if (!d)
        return ZX_ENOTFOUND;
    found = stored(db, kind, year, key, value, NULL);
    if (found < 0)
        return ZX_EDB;
    if (!found)
        *value = d->def;
    if (is_set)
        *is_set = found;
    return ZX_OK;
}

/* {"value": v, "note": note} (note left out when NULL), or NULL. */
static json_t *rule_json(double v, const char *note)
{
    json_t *j = json_pack("{s:f}", "value", v);

    if (j && note && json_object_set_new(j, "note", json_string(note))) {
        json_decref(j);
        return NULL;
    }
    return j;
}

int zx_rules_set(zx_db *db, const char *kind, int year, const char *key,
                 double value, const char *note, const char *actor)
{
    const struct rule_def *d = find_def(kind, key);
    sqlite3_stmt *st;
    json_t *old = NULL, *new_ = NULL;
    char *old_note = NULL, akey[160];
    double old_value;
    int found, rc = ZX_EDB;

    if (!d)
        return ZX_ENOTFOUND;
    if (!isfinite(value) || value < d->lo || value > d->hi)
        return ZX_EINVAL;
    if (zx_db_begin(db) != ZX_OK)
        return ZX_EDB;
    found = stored(db, kind, year, key, &old_value, &old_note);
    if (found < 0)
        goto fail;
    /* the same value and note again is no change: nothing to record */
    if (found && old_value == value &&
        (old_note ? note && strcmp(old_note, note) == 0 : !note)) {
        rc = ZX_OK;
        goto fail;
    }
    st = zx_db_prepare(db, "INSERT INTO rule(kind, year, key, value, note)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)"
                           " ON CONFLICT(kind, year, key) DO UPDATE"
                           " SET value = ?4, note = ?5");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, value);
    if (note)
        sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        goto fail;
    }
    sqlite3_reset(st);
    /* the old value of a year without a rule is the default it used */
    rc = ZX_ENOMEM;
    if (!(old = found ? rule_json(old_value, old_note)
                      : json_pack("{s:f, s:b}", "value", d->def,
                                  "default", 1)) ||
        !(new_ = rule_json(value, note)))
        goto fail;
    snprintf(akey, sizeof(akey), "%s/%d/%s", kind, year, key);
    rc = zx_audit_append_json(db, actor, found ? "update" : "insert", "rule",
                              akey, old, new_);
    if (rc)
        goto fail;
    if (zx_db_commit(db) != ZX_OK) {
        rc = ZX_EDB;
        goto fail;
    }
    json_decref(old);
    json_decref(new_);
    free(old_note);
    return ZX_OK;

fail:
    zx_db_rollback(db);
    json_decref(old);
    json_decref(new_);
    free(old_note);
    return rc;
}

int zx_rules_list(zx_db *db, const char *kind, int year,
                  int (*fn)(void *ctx, const zx_rule_row *r), void *ctx)
{
    zx_rule_row row;
    char *note;
    int i, found, rc;

    if (!zx_rules_kind_known(kind))
        return ZX_ENOTFOUND;
    for (i = 0; i < NDEFS; i++) {
        if (strcmp(defs[i].kind, kind) != 0)
            continue;
        memset(&row, 0, sizeof(row));
        row.kind = kind;
        row.key = defs[i].key;
        row.title = defs[i].title;
        row.source = defs[i].source;
        row.def = defs[i].def;
        found = stored(db, kind, year, defs[i].key, &row.value, &note);
        if (found < 0)
            return ZX_EDB;
        if (!found)
            row.value = defs[i].def;
        row.is_set = found;
        row.note = note;
        rc = fn(ctx, &row);
        free(note);
        if (rc)
            return rc;
    }
    return ZX_OK;
}

/* ---- a kind's values in memory ------------------------------------- */

struct zx_rules {
    int n;
    const struct rule_def **def;   /* static rows of the kind */
    double *value;
};

void zx_rules_free(zx_rules *r)
{
    if (!r)
        return;
    free(r->def);
    free(r->value);
    free(r);
}

static zx_rules *rules_new(int n)
{
    zx_rules *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->def = calloc((size_t)n, sizeof(*r->def));
    r->value = calloc((size_t)n, sizeof(*r->value));
    if (!r->def || !r->value) {
        zx_rules_free(r);
        return NULL;
    }
    r->n = n;
    return r;
}

int zx_rules_load(zx_db *db, const char *kind, int year, zx_rules **out)
{
    zx_rules *r;
    int i, n = 0, found;

    *out = NULL;
    for (i = 0; i < NDEFS; i++)
        n += strcmp(defs[i].kind, kind) == 0;
    if (!n)
        return ZX_ENOTFOUND;
    if (!(r = rules_new(n)))
        return ZX_ENOMEM;
    n = 0;
    for (i = 0; i < NDEFS; i++) {
        if (strcmp(defs[i].kind, kind) != 0)
            continue;
        r->def[n] = &defs[i];
        found = stored(db, kind, year, defs[i].key, &r->value[n], NULL);
        if (found < 0) {
            zx_rules_free(r);
            return ZX_EDB;
        }
        if (!found)
            r->value[n] = defs[i].def;
        n++;
    }
    *out = r;
    return ZX_OK;
}

zx_rules *zx_rules_copy(const zx_rules *r)
{
    zx_rules *c = rules_new(r->n);

    if (!c)
        return NULL;
    memcpy(c->def, r->def, (size_t)r->n * sizeof(*r->def));
    memcpy(c->value, r->value, (size_t)r->n * sizeof(*r->value));
    return c;
}

static int index_of(const zx_rules *r, const char *key)
{
    int i;

    for (i = 0; i < r->n; i++)
        if (strcmp(r->def[i]->key, key) == 0)
            return i;
    return -1;
}

double zx_rules_value(const zx_rules *r, const char *key)
{
    int i = index_of(r, key);

    return i < 0 ? NAN : r->value[i];
}

int zx_rules_override(zx_rules *r, const char *key, double value)
{
    int i = index_of(r, key);

    if (i < 0)
        return ZX_ENOTFOUND;
    if (!isfinite(value) || value < r->def[i]->lo || value > r->def[i]->hi)
        return ZX_EINVAL;
    r->value[i] = value;
    return ZX_OK;
}

json_t *zx_rules_json(const zx_rules *r)
{
    json_t *j = json_object();
    int i;

    for (i = 0; j && i < r->n; i++)
        if (json_object_set_new(j, r->def[i]->key, json_real(r->value[i]))) {
            json_decref(j);
            return NULL;
        }
    return j;
}
