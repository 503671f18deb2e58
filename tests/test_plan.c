/*
 * test_plan.c - the plan loader and its YAML reader: a full plan read
 * back through the accessors, milestones of every kind, each kind of
 * problem reported at its exact line and column, and `zhenxing plan`.
 */
#include "testutil.h"

#include <math.h>

#include "plan.h"
#include "yamltree.h"

static zx_diag *diag;
static zx_plan *plan;

static void setup(void)
{
    diag = zx_diag_new();
    plan = NULL;
}

static void teardown(void)
{
    zx_plan_free(plan);
    zx_diag_free(diag);
}

TestSuite(plan, .init = setup, .fini = teardown);

static int load(const char *text)
{
    zx_plan_free(plan);
    plan = NULL;
    zx_diag_clear(diag);
    return zx_plan_load_text(text, strlen(text), "t.yaml", &plan, diag);
}

/* Loads text, expecting it to fail with a problem at line:col whose
 * message contains phrase. */
#define assert_problem(text, line, col, phrase)                           \
    do {                                                                  \
        char want_[512];                                                  \
        cr_assert_eq(load(text), ZX_EDATA, "%s", tu_diag_text(diag, 1));            \
        cr_assert_null(plan);                                             \
        snprintf(want_, sizeof(want_), "%d:%d: ", line, col);             \
        cr_assert(strstr(tu_diag_text(diag, 1), want_) &&                           \
                      strstr(strstr(tu_diag_text(diag, 1), want_), phrase),         \
                  "want %s%s, got:\n%s", want_, phrase, tu_diag_text(diag, 1));     \
    } while (0)

/* Thirteen lines every test plan starts with. */
#define HEAD                                                              \
    "plan:\n"                                                 /*  1 */    \
    "  id: t-plan\n"                                          /*  2 */    \
    "  name: 测试计划\n"                                      /*  3 */    \
    "  baseline: 2019\n"                                      /*  4 */    \
    "  years: [2020, 2021, 2022]\n"                           /*  5 */    \
    "  rural: [121, 220]\n"                                   /*  6 */    \
    "goals:\n"                                                /*  7 */    \
    "  - id: conditions\n"                                    /*  8 */    \
    "    clause: \"2.1\"\n"                                   /*  9 */    \
    "    name: 办学条件持续改善\n"                            /* 10 */    \
    "  - id: quality\n"                                       /* 11 */    \
    "    clause: \"2.3\"\n"                                   /* 12 */    \
    "    name: 育人质量显著提升\n"                            /* 13 */

/* One sound indicator, lines 14 to 24. */
#define INDICATOR                                                         \
    "indicators:\n"                                           /* 14 */    \
    "  - id: counselling-room\n"                              /* 15 */    \
    "    clause: 3.3.2-E3\n"                                  /* 16 */    \
    "    goal: conditions\n"                                  /* 17 */    \
    "    name: 乡村学校心理咨询室覆盖率\n"                    /* 18 */    \
    "    kind: share\n"                                       /* 19 */    \
    "    over: schools\n"                                     /* 20 */    \
    "    where: \"rural\"\n"                                  /* 21 */    \
    "    numerator: counselling_room\n"                       /* 22 */    \
    "    unit: \"%\"\n"                                       /* 23 */    \
    "    target: 100\n"                                       /* 24 */

/* Its data element, lines 25 to 30. */
#define ELEMENT                                                           \
    "data_elements:\n"                                        /* 25 */    \
    "  - id: counselling_room\n"                              /* 26 */    \
    "    name: 心理咨询室\n"                                  /* 27 */    \
    "    type: bool\n"                                        /* 28 */    \
    "    level: school\n"                                     /* 29 */    \
    "    yearly: true\n"                                      /* 30 */

Test(plan, minimal_plan_loads)
{
    const zx_indicator *ind;
    const zx_goal *g;
    const int *v;
    int n;

    cr_assert_eq(load(HEAD INDICATOR), ZX_OK, "%s", tu_diag_text(diag, 1));
    cr_assert_eq(zx_diag_count(diag), 0);
    cr_assert_str_eq(zx_plan_file(plan), "t.yaml");
    cr_assert_str_eq(zx_plan_id(plan), "t-plan");
    cr_assert_str_eq(zx_plan_name(plan), "测试计划");
    cr_assert_null(zx_plan_issuer(plan));
    cr_assert_null(zx_plan_document(plan));
    cr_assert_null(zx_plan_preamble(plan));
    cr_assert_eq(zx_plan_baseline(plan), 2019);
    v = zx_plan_years(plan, &n);
    cr_assert_eq(n, 3);
    cr_assert(v[0] == 2020 && v[1] == 2021 && v[2] == 2022);
    v = zx_plan_rural(plan, &n);
    cr_assert(n == 2 && v[0] == 121 && v[1] == 220);

    g = zx_plan_goals(plan, &n);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(g[1].id, "quality");
    cr_assert_str_eq(g[1].clause, "2.3");
    cr_assert_str_eq(g[1].name, "育人质量显著提升");
    cr_assert_null(g[1].text);
    cr_assert(g[1].pos.line == 11 && g[1].pos.col == 5);
    cr_assert_eq(zx_plan_goal(plan, "quality"), &g[1]);
    cr_assert_null(zx_plan_goal(plan, "nope"));

    zx_plan_sections(plan, &n);
    cr_assert_eq(n, 0);
    zx_plan_elements(plan, &n);
    cr_assert_eq(n, 0);
    zx_plan_tasks(plan, &n);
    cr_assert_eq(n, 0);
    zx_plan_settings(plan, &n);
    cr_assert_eq(n, 0);

    ind = zx_plan_indicators(plan, &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(zx_plan_indicator(plan, "counselling-room"), ind);
    cr_assert_str_eq(ind->clause, "3.3.2-E3");
    cr_assert_str_eq(ind->goal, "conditions");
    cr_assert_null(ind->section);
    cr_assert_null(ind->description);
    cr_assert_str_eq(ind->unit, "%");
    cr_assert_eq(ind->kind, ZX_IND_SHARE);
    cr_assert_eq(ind->over, ZX_SET_SCHOOLS);
    /* a quoted expression starts past its quote, a plain one at once */
    cr_assert_str_eq(ind->where.text, "rural");
    cr_assert(ind->where.pos.line == 21 && ind->where.pos.col == 13,
              "%d:%d", ind->where.pos.line, ind->where.pos.col);
    cr_assert_str_eq(ind->numerator.text, "counselling_room");
    cr_assert(ind->numerator.pos.line == 22 &&
              ind->numerator.pos.col == 16);
    cr_assert_null(ind->denominator.text);
    cr_assert_null(ind->on_track.text);
    cr_assert_eq(ind->lower_is_better, 0);
    cr_assert_eq(ind->target_is_range, 0);
    cr_assert_eq(ind->target, 100);
    cr_assert_eq(ind->milestones.kind, ZX_MS_RAMP);
    cr_assert_eq(ind->levels, 1u << ZX_LEVEL_CITY | 1u << ZX_LEVEL_TOWN |
                                  1u << ZX_LEVEL_GROUP |
                                  1u << ZX_LEVEL_SCHOOL);
    cr_assert_eq(ind->nmechanism, 0);
    cr_assert(ind->pos.line == 15 && ind->pos.col == 5);
}

static const char full_plan[] =
    "# 注释不影响读取\n"                                          /*  1 */
    "plan:\n"                                                     /*  2 */
    "  id: haimen-test\n"                                         /*  3 */
    "  name: 海门市乡村教育振兴三年行动计划（测试）\n"            /*  4 */
    "  issuer: 海门市人民政府办公室\n"                            /*  5 */
    "  document: 海政办发〔2019〕53号\n"                          /*  6 */
    "  baseline: 2019\n"                                          /*  7 */
    "  years:\n"                                                  /*  8 */
    "    - 2020\n"                                                /*  9 */
    "    - 2021\n"                                                /* 10 */
    "    - 2022\n"                                                /* 11 */
    "  rural: [121, 122, 123, 210, 220]\n"                        /* 12 */
    "  preamble: |\n"                                             /* 13 */
    "    指导思想。\n"                                            /* 14 */
    "  settings:\n"                                               /* 15 */
    "    rotation_years: 6\n"                                     /* 16 */
    "    overstaffed_ratio: 1.1\n"                                /* 17 */
    "    scarce_subjects: [24, 25, 22]\n"                         /* 18 */
    "goals:\n"                                                    /* 19 */
    "  - id: conditions\n"                                        /* 20 */
    "    clause: \"2.1\"\n"                                       /* 21 */
    "    name: 办学条件持续改善\n"                                /* 22 */
    "    text: 聚焦乡村教育振兴。\n"                              /* 23 */
    "sections:\n"                                                 /* 24 */
    "  - id: \"3\"\n"                                             /* 25 */
    "    name: 重点工作\n"                                        /* 26 */
    "    sections:\n"                                             /* 27 */
    "      - id: \"3.3\"\n"                                       /* 28 */
    "        name: 注重加大教育投入\n"                            /* 29 */
    "        goal: conditions\n"                                  /* 30 */
    "        sections:\n"                                         /* 31 */
    "          - id: \"3.3.2\"\n"                                 /* 32 */
    "            name: 提升装备水平\n"                            /* 33 */
    "      - id: \"3.4\"\n"                                       /* 34 */
    "        name: 注重加强队伍建设\n"                            /* 35 */
    "  - id: \"4\"\n"                                             /* 36 */
    "    name: 保障机制\n"                                        /* 37 */
    "data_elements:\n"                                            /* 38 */
    "  - id: equipment_class\n"                                   /* 39 */
    "    name: 装备类别\n"                                        /* 40 */
    "    type: option\n"                                          /* 41 */
    "    level: school\n"                                         /* 42 */
    "    yearly: true\n"                                          /* 43 */
    "    options: [Ⅰ类, Ⅱ类, Ⅲ类, 未达标]\n"                      /* 44 */
    "    clause: 3.3.2-E1\n"                                      /* 45 */
    "    help: 按省标准认定\n"                                    /* 46 */
    "  - id: online_hours\n"                                      /* 47 */
    "    name: 网络研修学时\n"                                    /* 48 */
    "    type: decimal\n"                                         /* 49 */
    "    level: teacher\n"                                        /* 50 */
    "    yearly: false\n"                                         /* 51 */
    "    min: 0\n"                                                /* 52 */
    "    max: 500.5\n"                                            /* 53 */
    "indicators:\n"                                               /* 54 */
    "  - id: equipment\n"                                         /* 55 */
    "    clause: 3.3.2-E1\n"                                      /* 56 */
    "    goal: conditions\n"                                      /* 57 */
    "    section: \"3.3.2\"\n"                                    /* 58 */
    "    name: 装备Ⅰ类达标率\n"                                   /* 59 */
    "    description: 全部学校中的占比\n"                         /* 60 */
    "    kind: share\n"                                           /* 61 */
    "    over: schools\n"                                         /* 62 */
    "    numerator: \"equipment_class = 'Ⅰ类'\"\n"                /* 63 */
    "    unit: \"%\"\n"                                           /* 64 */
    "    target: 100\n"                                           /* 65 */
    "    milestones: {2020: 40, 2022: 100}\n"                     /* 66 */
    "    levels: [city, town]\n"                                  /* 67 */
    "    mechanism: [3.4.2-T3, \"4.2\"]\n"                        /* 68 */
    "  - id: substitutes\n"                                       /* 69 */
    "    clause: 3.4.1-T1\n"                                      /* 70 */
    "    goal: conditions\n"                                      /* 71 */
    "    name: 代课教师人数\n"                                    /* 72 */
    "    kind: count\n"                                           /* 73 */
    "    over: teachers\n"                                        /* 74 */
    "    where: employment = '代课'\n"                            /* 75 */
    "    unit: 人\n"                                              /* 76 */
    "    direction: lower\n"                                      /* 77 */
    "    target: 0\n"                                             /* 78 */
    "    milestones: {ramp_to: 0, by: 2024}\n"                    /* 79 */
    "  - id: seed-teachers\n"                                     /* 80 */
    "    clause: 3.4.2-T5\n"                                      /* 81 */
    "    goal: conditions\n"                                      /* 82 */
    "    name: 种子教师\n"                                        /* 83 */
    "    kind: ratio\n"                                           /* 84 */
    "    over: schools\n"                                         /* 85 */
    "    numerator: students\n"                                   /* 86 */
    "    denominator: classes\n"                                  /* 87 */
    "    unit: 人\n"                                              /* 88 */
    "    target: {min: 2, max: 3}\n"                              /* 89 */
    "    on_track: >\n"                                           /* 90 */
    "\n"                                                          /* 91 */
    "      training_hours >= 60\n"                                /* 92 */
    "tasks:\n"                                                    /* 93 */
    "  - id: party-organisation\n"                                /* 94 */
    "    clause: 3.1-P1\n"                                        /* 95 */
    "    goal: conditions\n"                                      /* 96 */
    "    name: 乡村学校党组织规范化建设\n"                        /* 97 */
    "    lead: 市委教育工委\n"                                    /* 98 */
    "    responsible: [各区镇, 各学校]\n"                         /* 99 */
    "    deadline: 2022-12-31\n"                                  /* 100 */
    "    evidence: 党组织建设台账\n"                              /* 101 */
    "    indicators: [equipment, substitutes]\n";                 /* 102 */

Test(plan, full_plan_reads_back)
{
    const zx_section *s;
    const zx_data_element *e;
    const zx_indicator *ind;
    const zx_task *t;
    const zx_setting *st;
    int n;

    cr_assert_eq(load(full_plan), ZX_OK, "%s", tu_diag_text(diag, 1));
    cr_assert_str_eq(zx_plan_issuer(plan), "海门市人民政府办公室");
    cr_assert_str_eq(zx_plan_document(plan), "海政办发〔2019〕53号");
    cr_assert_str_eq(zx_plan_preamble(plan), "指导思想。\n");
    cr_assert_str_eq(zx_plan_goal(plan, "conditions")->text,
                     "聚焦乡村教育振兴。");

    st = zx_plan_settings(plan, &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(st[0].name, "rotation_years");
    cr_assert(!st[0].is_list && st[0].value == 6);
    cr_assert(st[0].pos.line == 16 && st[0].pos.col == 5);
    cr_assert_eq(zx_plan_setting(plan, "overstaffed_ratio")->value, 1.1);
    st = zx_plan_setting(plan, "scarce_subjects");
    cr_assert(st && st->is_list && st->nlist == 3);
    cr_assert(st->list[0] == 24 && st->list[1] == 25 && st->list[2] == 22);
    cr_assert_null(zx_plan_setting(plan, "nope"));

    /* nested sections flattened in order, each with its parent */
    s = zx_plan_sections(plan, &n);
    cr_assert_eq(n, 5);
    cr_assert(strcmp(s[0].id, "3") == 0 && s[0].parent == -1);
    cr_assert(strcmp(s[1].id, "3.3") == 0 && s[1].parent == 0);
    cr_assert_str_eq(s[1].goal, "conditions");
    cr_assert(strcmp(s[2].id, "3.3.2") == 0 && s[2].parent == 1);
    cr_assert_null(s[2].goal);
    cr_assert(strcmp(s[3].id, "3.4") == 0 && s[3].parent == 0);
    cr_assert(strcmp(s[4].id, "4") == 0 && s[4].parent == -1);
    cr_assert_eq(zx_plan_section(plan, "3.4"), &s[3]);
    cr_assert(s[2].pos.line == 32 && s[2].pos.col == 13);

    e = zx_plan_elements(plan, &n);
    cr_assert_eq(n, 2);
    cr_assert_eq(e[0].type, ZX_DE_OPTION);
    cr_assert_eq(e[0].level, ZX_LEVEL_SCHOOL);
    cr_assert_eq(e[0].yearly, 1);
    cr_assert_eq(e[0].noptions, 4);
    cr_assert_str_eq(e[0].options[0], "Ⅰ类");
    cr_assert_str_eq(e[0].options[3], "未达标");
    cr_assert_str_eq(e[0].clause, "3.3.2-E1");
    cr_assert_str_eq(e[0].help, "按省标准认定");
    cr_assert_eq(zx_plan_element(plan, "online_hours"), &e[1]);
    cr_assert(e[1].type == ZX_DE_DECIMAL && e[1].level == ZX_LEVEL_TEACHER);
    cr_assert_eq(e[1].yearly, 0);
    cr_assert(e[1].has_min && e[1].min == 0);
    cr_assert(e[1].has_max && e[1].max == 500.5);
    cr_assert(!e[0].has_min && !e[0].has_max);

    ind = zx_plan_indicator(plan, "equipment");
    cr_assert_str_eq(ind->section, "3.3.2");
    cr_assert_str_eq(ind->description, "全部学校中的占比");
    cr_assert_str_eq(ind->numerator.text, "equipment_class = 'Ⅰ类'");
    cr_assert(ind->numerator.pos.line == 63 &&
              ind->numerator.pos.col == 17);
    cr_assert_eq(ind->milestones.kind, ZX_MS_EXPLICIT);
    cr_assert_eq(ind->milestones.n, 2);
    cr_assert_eq(ind->levels, 1u << ZX_LEVEL_CITY | 1u << ZX_LEVEL_TOWN);
    cr_assert_eq(ind->nmechanism, 2);
    cr_assert_str_eq(ind->mechanism[0], "3.4.2-T3");
    cr_assert_str_eq(ind->mechanism[1], "4.2");

    ind = zx_plan_indicator(plan, "substitutes");
    cr_assert_eq(ind->kind, ZX_IND_COUNT);
    cr_assert_eq(ind->over, ZX_SET_TEACHERS);
    cr_assert_null(ind->numerator.text);
    cr_assert_str_eq(ind->where.text, "employment = '代课'");
    cr_assert_eq(ind->lower_is_better, 1);
    cr_assert_eq(ind->milestones.kind, ZX_MS_RAMP_TO);
    cr_assert(ind->milestones.ramp_to == 0 && ind->milestones.by == 2024);

    ind = zx_plan_indicator(plan, "seed-teachers");
    cr_assert_eq(ind->kind, ZX_IND_RATIO);
    cr_assert_str_eq(ind->denominator.text, "classes");
    cr_assert(ind->target_is_range && ind->target_min == 2 &&
              ind->target_max == 3);
    /* a block scalar starts on the line after its '>', at the block's
     * indentation; a blank first line is a newline of the text */
    cr_assert_str_eq(ind->on_track.text, "\ntraining_hours >= 60\n");
    cr_assert(ind->on_track.pos.line == 91 && ind->on_track.pos.col == 7,
              "%d:%d", ind->on_track.pos.line, ind->on_track.pos.col);

    t = zx_plan_tasks(plan, &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(zx_plan_task(plan, "party-organisation"), t);
    cr_assert_str_eq(t->clause, "3.1-P1");
    cr_assert_str_eq(t->lead, "市委教育工委");
    cr_assert_eq(t->nresponsible, 2);
    cr_assert_str_eq(t->responsible[1], "各学校");
    cr_assert_str_eq(t->deadline, "2022-12-31");
    cr_assert_str_eq(t->evidence, "党组织建设台账");
    cr_assert_eq(t->nindicators, 2);
    cr_assert_str_eq(t->indicators[1], "substitutes");
}

Test(plan, milestones)
{
    const zx_indicator *ind;

    cr_assert_eq(load(full_plan), ZX_OK, "%s", tu_diag_text(diag, 1));

    /* ramp: from the baseline value to the target in the last year */
    ind = zx_plan_indicator(plan, "seed-teachers");
    cr_assert_eq(ind->milestones.kind, ZX_MS_RAMP);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2019, 0.5), 0.5);
    /* a range target ramps to its bottom */
    cr_assert_eq(zx_plan_milestone(plan, ind, 2022, 0.5), 2);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2025, 0.5), 2);
    cr_assert(isnan(zx_plan_milestone(plan, ind, 2021, NAN)));

    /* ramp_to 0 by 2024 from 250 */
    ind = zx_plan_indicator(plan, "substitutes");
    cr_assert_eq(zx_plan_milestone(plan, ind, 2019, 250), 250);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2020, 250), 200);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2021, 250), 150);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2022, 250), 100);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2024, 250), 0);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2030, 250), 0);
    cr_assert(isnan(zx_plan_milestone(plan, ind, 2020, NAN)));

    /* explicit {2020: 40, 2022: 100}: 2021 keeps 2020's value */
    ind = zx_plan_indicator(plan, "equipment");
    cr_assert_eq(ind->milestones.years[0], 2020);
    cr_assert_eq(ind->milestones.values[1], 100);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2019, 10), 10);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2020, 10), 40);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2021, NAN), 40);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2022, NAN), 100);
}

Test(plan, ramp_and_explicit_order)
{
    const zx_indicator *ind;

    /* ramp from 40 in 2019 to 100 in 2022 */
    cr_assert_eq(load(HEAD INDICATOR), ZX_OK, "%s", tu_diag_text(diag, 1));
    ind = zx_plan_indicator(plan, "counselling-room");
    cr_assert_eq(zx_plan_milestone(plan, ind, 2020, 40), 60);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2021, 40), 80);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2022, 40), 100);

    /* explicit years written out of order; the baseline before them */
    cr_assert_eq(load(HEAD INDICATOR
                      "    milestones:\n"
                      "      2022: 100\n"
                      "      2021: 70\n"),
                 ZX_OK, "%s", tu_diag_text(diag, 1));
    ind = zx_plan_indicator(plan, "counselling-room");
    cr_assert(ind->milestones.years[0] == 2021 &&
              ind->milestones.values[0] == 70);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2020, 12), 12);
    cr_assert(isnan(zx_plan_milestone(plan, ind, 2020, NAN)));
    cr_assert_eq(zx_plan_milestone(plan, ind, 2021, 12), 70);
    cr_assert_eq(zx_plan_milestone(plan, ind, 2022, 12), 100);
}

Test(plan, names)
{
    cr_assert_str_eq(zx_level_name(ZX_LEVEL_GROUP), "group");
    cr_assert_eq(zx_level_parse("teacher"), ZX_LEVEL_TEACHER);
    cr_assert_eq(zx_level_parse("county"), -1);
    cr_assert_str_eq(zx_entity_name(ZX_SET_PAIRING_MENTORS),
                     "pairing_mentors");
    cr_assert_eq(zx_entity_parse("rectifications"), ZX_SET_RECTIFICATIONS);
    cr_assert_eq(zx_entity_parse("school"), -1);
    cr_assert_str_eq(zx_ind_kind_name(ZX_IND_RATIO), "ratio");
    cr_assert_str_eq(zx_de_type_name(ZX_DE_DATE), "date");
}

/* ---- problems, each at its line and column ---- */

Test(plan, unknown_goal)
{
    const char *t = HEAD
        "indicators:\n"                                       /* 14 */
        "  - id: counselling-room\n"                          /* 15 */
        "    clause: 3.3.2-E3\n"                              /* 16 */
        "    goal: condition\n"                               /* 17 */
        "    name: 覆盖率\n"                                  /* 18 */
        "    kind: count\n"                                   /* 19 */
        "    over: schools\n"                                 /* 20 */
        "    unit: 所\n"                                      /* 21 */
        "    target: 10\n";                                   /* 22 */

    assert_problem(t, 17, 11, "未知的目标“condition”");
    cr_assert_eq(zx_diag_count(diag), 1, "%s", tu_diag_text(diag, 1));
    cr_assert_str_eq(zx_diag_get(diag, 0)->file, "t.yaml");
}

Test(plan, unknown_references)
{
    assert_problem(HEAD INDICATOR "    section: \"9.9\"\n", 25, 14,
                   "未知的章节“9.9”");
    assert_problem(HEAD INDICATOR
                   "tasks:\n"                                 /* 25 */
                   "  - id: t1\n"                             /* 26 */
                   "    clause: 3.1-P1\n"                     /* 27 */
                   "    goal: quality\n"                      /* 28 */
                   "    name: 任务\n"                         /* 29 */
                   "    lead: 市教育局\n"                     /* 30 */
                   "    responsible: [各学校]\n"              /* 31 */
                   "    deadline: 2022-12-31\n"               /* 32 */
                   "    indicators: [counselling-room, nope]\n", /* 33 */
                   33, 36, "未知的指标“nope”");
    assert_problem(HEAD INDICATOR
                   "sections:\n"                              /* 25 */
                   "  - id: \"3\"\n"                          /* 26 */
                   "    name: 重点工作\n"                     /* 27 */
                   "    goal: nope\n",                        /* 28 */
                   28, 11, "未知的目标“nope”");
}

Test(plan, duplicate_id)
{
    assert_problem(HEAD INDICATOR
                   "  - id: counselling-room\n"               /* 25 */
                   "    clause: 3.3.2-E3\n"
                   "    goal: conditions\n"
                   "    name: 重复\n"
                   "    kind: count\n"
                   "    over: schools\n"
                   "    unit: 所\n"
                   "    target: 1\n",
                   25, 9, "重复的 id“counselling-room”（第 15 行已定义）");
    /* a repeated id is not echoed as an unknown reference */
    cr_assert_eq(zx_diag_count(diag), 1, "%s", tu_diag_text(diag, 1));
}

Test(plan, milestone_year_outside_plan)
{
    assert_problem(HEAD INDICATOR
                   "    milestones: {2020: 40, 2023: 100}\n",     /* 25 */
                   25, 28, "里程碑年份 2023 不在计划年度内");
    assert_problem(HEAD INDICATOR
                   "    milestones: {ramp_to: 0, by: 2019}\n",
                   25, 34, "“by”的年份 2019 应晚于基准年 2019");
    assert_problem(HEAD INDICATOR "    milestones: linear\n", 25, 17,
                   "“milestones”应为 ramp");
    assert_problem(HEAD INDICATOR "    milestones: {2020: 四十}\n", 25, 24,
                   "“2020”应为数字");
}

Test(plan, bad_clause_id)
{
    assert_problem(HEAD
                   "indicators:\n"                            /* 14 */
                   "  - id: counselling-room\n"               /* 15 */
                   "    clause: 3.3.2E3\n"                    /* 16 */
                   "    goal: conditions\n"
                   "    name: 覆盖率\n"
                   "    kind: count\n"
                   "    over: schools\n"
                   "    unit: 所\n"
                   "    target: 10\n"
                   "    mechanism: [3.4.2-T3, 3.4.2-t3]\n",   /* 23 */
                   16, 13, "条款编号“3.3.2E3”格式不正确");
    cr_assert(strstr(tu_diag_text(diag, 1), "23:27: 条款编号“3.4.2-t3”格式不正确"),
              "%s", tu_diag_text(diag, 1));
    assert_problem("plan:\n  id: t\n  name: 测试\n  baseline: 2019\n"
                   "  years: [2020]\n  rural: [220]\n"
                   "goals:\n  - id: g\n    clause: 2.a\n    name: 目标\n"
                   "indicators: []\n",
                   9, 13, "条款编号“2.a”格式不正确");
}

Test(plan, option_without_options)
{
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"                         /* 25 */
                   "  - id: equipment_class\n"                /* 26 */
                   "    name: 装备类别\n"
                   "    type: option\n"
                   "    level: school\n"
                   "    yearly: true\n",
                   26, 5, "option 类型的数据项必须给出“options”");
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"                         /* 25 */
                   "  - id: equipment_class\n"
                   "    name: 装备类别\n"
                   "    type: option\n"
                   "    level: school\n"
                   "    yearly: true\n"
                   "    options: [Ⅰ类, Ⅱ类, Ⅰ类]\n",           /* 31 */
                   31, 23, "重复的“Ⅰ类”");
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"
                   "  - id: flag\n"
                   "    name: 标志\n"
                   "    type: bool\n"
                   "    level: school\n"
                   "    yearly: true\n"
                   "    options: [是, 否]\n",                 /* 31 */
                   31, 14, "只有 option 类型的数据项可以设“options”");
}

Test(plan, reserved_element_id)
{
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"                         /* 25 */
                   "  - id: students\n"                       /* 26 */
                   "    name: 学生数\n"
                   "    type: int\n"
                   "    level: school\n"
                   "    yearly: true\n",
                   26, 9, "保留名称（学校的字段）");
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"
                   "  - id: role_since\n"                     /* 26 */
                   "    name: 称号\n"
                   "    type: int\n"
                   "    level: teacher\n"
                   "    yearly: true\n",
                   26, 9, "保留名称（函数）");
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"
                   "  - id: closed_on_time\n"
                   "    name: 按期\n"
                   "    type: bool\n"
                   "    level: school\n"
                   "    yearly: true\n",
                   26, 9, "保留名称（整改事项的字段）");
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"
                   "  - id: Room-1\n"
                   "    name: 教室\n"
                   "    type: bool\n"
                   "    level: school\n"
                   "    yearly: true\n",
                   26, 9, "id“Room-1”格式不正确");
}

Test(plan, unknown_key)
{
    assert_problem(HEAD INDICATOR "    nmae: 覆盖率\n", 25, 5,
                   "未知的键“nmae”");
    cr_assert(strstr(tu_diag_text(diag, 1), "此处可用的键：id、clause"), "%s",
              tu_diag_text(diag, 1));
    assert_problem(HEAD INDICATOR "report: {}\n", 25, 1,
                   "未知的键“report”");
    assert_problem(HEAD INDICATOR
                   "    milestones: {ramp_to: 0, by: 2024, step: 1}\n", 25,
                   40, "未知的键“step”（此处可用的键：ramp_to、by）");
}

Test(plan, yaml_syntax_error)
{
    /* a value indented less than its key's siblings */
    assert_problem(HEAD INDICATOR "   unit: 所\n", 25, 4, "YAML 语法错误");
    cr_assert_eq(zx_diag_count(diag), 1, "%s", tu_diag_text(diag, 1));
    /* an unclosed flow list */
    assert_problem("plan:\n  years: [2020, 2021\n  rural: [220]\n", 3, 8,
                   "YAML 语法错误");
    /* a tab in the indentation */
    assert_problem("plan:\n\tid: x\n", 2, 1, "Tab");
    /* bytes that are not UTF-8 (GBK 海门) */
    assert_problem("plan:\n  name: \xba\xa3\xc3\xc5\n", 2, 9, "UTF-8");
}

Test(plan, yaml_refusals)
{
    char deep[71];

    assert_problem(HEAD INDICATOR "    unit: 所\n", 25, 5,
                   "重复的键“unit”（第 23 行已出现）");
    assert_problem(HEAD "x: &a 1\ny: *a\n" INDICATOR, 14, 4,
                   "不支持锚点“&a”");
    cr_assert(strstr(tu_diag_text(diag, 1), "15:4: 不支持别名“*a”"), "%s",
              tu_diag_text(diag, 1));
    assert_problem(HEAD INDICATOR "    target: !!float 100\n", 25, 13,
                   "不支持标签“tag:yaml.org,2002:float”");
    assert_problem("---\na: 1\n---\nb: 2\n", 3, 1, "只能包含一个 YAML 文档");
    assert_problem("# 只有注释\n", 1, 1, "计划文件是空的");
    assert_problem("- 1\n- 2\n", 1, 1, "计划文件的顶层应为映射");
    memset(deep, '[', 70);
    deep[70] = '\0';
    assert_problem(deep, 1, 65, "嵌套超过 64 层");
    /* !!str makes a plain scalar text; a plain one stays a number */
    cr_assert_eq(load(HEAD INDICATOR "    description: !!str 100\n"), ZX_OK,
                 "%s", tu_diag_text(diag, 1));
}

/* HEAD INDICATOR and a task due on `deadline` (line 32). */
static const char *with_task(const char *deadline)
{
    static char t[2048];

    snprintf(t, sizeof(t), "%s%s%s\n", HEAD INDICATOR,
             "tasks:\n"                                       /* 25 */
             "  - id: t1\n"                                   /* 26 */
             "    clause: 3.1-P1\n"                           /* 27 */
             "    goal: quality\n"                            /* 28 */
             "    name: 任务\n"                               /* 29 */
             "    lead: 市教育局\n"                           /* 30 */
             "    responsible: [各区镇]\n"                    /* 31 */
             "    deadline: ",                                /* 32 */
             deadline);
    return t;
}

Test(plan, bad_date)
{
    assert_problem(with_task("2022-02-30"), 32, 15,
                   "“2022-02-30”不是有效的日期");
    assert_problem(with_task("2022/12/31"), 32, 15, "不是有效的日期");
    assert_problem(with_task("2100-02-29"), 32, 15, "不是有效的日期");
    cr_assert_eq(load(with_task("2024-02-29")), ZX_OK, "%s", tu_diag_text(diag, 1));
    assert_problem(HEAD INDICATOR
                   "tasks:\n"                                 /* 25 */
                   "  - id: t1\n"                             /* 26 */
                   "    clause: 3.1-P1\n"                     /* 27 */
                   "    goal: quality\n"                      /* 28 */
                   "    name: 任务\n"                         /* 29 */
                   "    responsible: []\n"                    /* 30 */
                   "    deadline: 2022-12-31\n",              /* 31 */
                   26, 5, "缺少“lead”");
    cr_assert(strstr(tu_diag_text(diag, 1), "30:18: “responsible”至少要有一项"), "%s",
              tu_diag_text(diag, 1));
}

Test(plan, plan_section_problems)
{
    assert_problem("plan:\n"                                  /* 1 */
                   "  id: T_plan\n"                           /* 2 */
                   "  name: 测试\n"                           /* 3 */
                   "  baseline: 19\n"                         /* 4 */
                   "  years: [2021, 2020, 2022]\n"            /* 5 */
                   "  rural: [121, 111, 999, 121]\n"          /* 6 */
                   "  settings:\n"                            /* 7 */
                   "    Max: 1\n"                             /* 8 */
                   "    list: [1, x]\n"                       /* 9 */
                   "goals: []\n"                              /* 10 */
                   "indicators: []\n",                        /* 11 */
                   2, 7, "id“T_plan”格式不正确");
    cr_assert(strstr(tu_diag_text(diag, 1), "4:13: “baseline”应为四位数字的年份"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "5:17: 计划年度应从早到晚排列"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "6:21: “999”不是城乡类型代码"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "6:26: 重复的城乡类型代码 121"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "8:5: 参数名“Max”格式不正确"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "9:15: “list”应为数字，而不是“x”"), "%s",
              tu_diag_text(diag, 1));
    cr_assert_eq(zx_diag_count(diag), 7, "%s", tu_diag_text(diag, 1));

    assert_problem("plan:\n  id: t\n  name: 测试\n  baseline: 2019\n"
                   "  years: [2019, 2020]\n  rural: [220]\n"
                   "goals: []\nindicators: []\n",
                   5, 11, "计划年度 2019 应晚于基准年 2019");
    assert_problem("plan:\n  id: t\n  name: 测试\n  baseline: 2019\n"
                   "  years: [2020]\n"
                   "goals: []\nindicators: []\n",
                   2, 3, "缺少“rural”");
    assert_problem("plan:\n  id: t\n  name:\n  baseline: 2019\n"
                   "  years: [2020]\n  rural: [220]\n"
                   "goals: []\n",
                   3, 3, "“name”不能为空");
    cr_assert(strstr(tu_diag_text(diag, 1), "1:1: 缺少“indicators”"), "%s",
              tu_diag_text(diag, 1));
}

Test(plan, indicator_problems)
{
    const char *t = HEAD
        "indicators:\n"                                       /* 14 */
        "  - id: x\n"                                         /* 15 */
        "    clause: \"4.2\"\n"                               /* 16 */
        "    goal: quality\n"                                 /* 17 */
        "    name: 指标\n"                                    /* 18 */
        "    kind: ratio\n"                                   /* 19 */
        "    over: school\n"                                  /* 20 */
        "    unit: 人\n"                                      /* 21 */
        "    direction: up\n"                                 /* 22 */
        "    target: {min: 3, max: 2}\n"                      /* 23 */
        "    levels: [city, teacher, city]\n"                 /* 24 */
        "    where: ''\n"                                     /* 25 */
        "  - id: y\n"                                         /* 26 */
        "    clause: \"4.2\"\n"                               /* 27 */
        "    goal: quality\n"                                 /* 28 */
        "    name: 指标\n"                                    /* 29 */
        "    kind: average\n"                                 /* 30 */
        "    over: towns\n"                                   /* 31 */
        "    unit: 人\n"                                      /* 32 */
        "    target: 0x10\n"                                  /* 33 */
        "    levels: []\n"                                    /* 34 */
        "  - id: z\n"                                         /* 35 */
        "    clause: \"4.2\"\n"                               /* 36 */
        "    goal: quality\n"                                 /* 37 */
        "    name: 指标\n"                                    /* 38 */
        "    kind: sum\n"                                     /* 39 */
        "    over: towns\n"                                   /* 40 */
        "    denominator: students\n"                         /* 41 */
        "    unit: 人\n"                                      /* 42 */
        "    target: [1]\n";                                  /* 43 */
    static const char *const want[] = {
        "15:5: ratio 类型的指标必须给出“numerator”",
        "15:5: ratio 类型的指标必须给出“denominator”",
        "20:11: 未知的实体集“school”",
        "22:16: “direction”应为 higher",
        "23:13: 目标下限 3 大于上限 2",
        "24:20: “teacher”不能作为评判层级",
        "24:29: 重复的层级“city”",
        "25:12: 表达式“where”不能为空",
        "30:11: 未知的指标类型“average”",
        "33:13: “target”应为数字，而不是“0x10”",
        "34:13: “levels”至少要有一个层级",
        "35:5: sum 类型的指标必须给出“numerator”",
        "41:18: 只有 ratio 类型的指标可以设“denominator”",
        "43:13: “target”应为数字，或 {min: 下限, max: 上限}",
    };
    size_t i;

    cr_assert_eq(load(t), ZX_EDATA);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_assert(strstr(tu_diag_text(diag, 1), want[i]), "want %s, got:\n%s", want[i],
                  tu_diag_text(diag, 1));
    cr_assert_eq(zx_diag_count(diag), sizeof(want) / sizeof(want[0]), "%s",
                 tu_diag_text(diag, 1));
}

Test(plan, null_expression)
{
    /* "numerator:" with nothing after it is as good as absent */
    assert_problem(HEAD
                   "indicators:\n"                            /* 14 */
                   "  - id: x\n"                              /* 15 */
                   "    clause: \"4.2\"\n"
                   "    goal: quality\n"
                   "    name: 指标\n"
                   "    kind: share\n"
                   "    over: schools\n"
                   "    numerator:\n"
                   "    unit: \"%\"\n"
                   "    target: 100\n",
                   15, 5, "share 类型的指标必须给出“numerator”");
    cr_assert_eq(zx_diag_count(diag), 1, "%s", tu_diag_text(diag, 1));
}

Test(plan, element_problems)
{
    assert_problem(HEAD INDICATOR
                   "data_elements:\n"                         /* 25 */
                   "  - id: hours\n"                          /* 26 */
                   "    name: 学时\n"                         /* 27 */
                   "    type: float\n"                        /* 28 */
                   "    level: county\n"                      /* 29 */
                   "    yearly: yes\n"                        /* 30 */
                   "  - id: days\n"                           /* 31 */
                   "    name: 天数\n"                         /* 32 */
                   "    type: int\n"                          /* 33 */
                   "    level: teacher\n"                     /* 34 */
                   "    yearly: true\n"                       /* 35 */
                   "    min: 10\n"                            /* 36 */
                   "    max: 5\n"                             /* 37 */
                   "  - id: day\n"                            /* 38 */
                   "    name: 日期\n"                         /* 39 */
                   "    type: date\n"                         /* 40 */
                   "    level: school\n"                      /* 41 */
                   "    yearly: true\n"                       /* 42 */
                   "    max: 5\n",                            /* 43 */
                   28, 11, "未知的数据类型“float”");
    cr_assert(strstr(tu_diag_text(diag, 1), "29:12: 未知的层级“county”"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "30:13: “yearly”应为 true 或 false"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "37:10: “min”（10）大于“max”（5）"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "43:10: 只有 int 和 decimal 类型的数据项"),
              "%s", tu_diag_text(diag, 1));
    cr_assert_eq(zx_diag_count(diag), 5, "%s", tu_diag_text(diag, 1));
}

Test(plan, many_problems_at_once)
{
    const char *t = HEAD
        "indicators:\n"                                       /* 14 */
        "  - id: counselling-room\n"                          /* 15 */
        "    clause: E3\n"                                    /* 16 */
        "    goal: nowhere\n"                                 /* 17 */
        "    name: 覆盖率\n"                                  /* 18 */
        "    kind: count\n"                                   /* 19 */
        "    over: schools\n"                                 /* 20 */
        "    unit: 所\n"                                      /* 21 */
        "    target: 10\n"                                    /* 22 */
        "    milestones: {2030: 1}\n"                         /* 23 */
        "    colour: red\n";                                  /* 24 */

    assert_problem(t, 16, 13, "条款编号“E3”格式不正确");
    cr_assert(strstr(tu_diag_text(diag, 1), "17:11: 未知的目标“nowhere”"), "%s",
              tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "23:18: 里程碑年份 2030 不在计划年度内"),
              "%s", tu_diag_text(diag, 1));
    cr_assert(strstr(tu_diag_text(diag, 1), "24:5: 未知的键“colour”"), "%s",
              tu_diag_text(diag, 1));
    cr_assert_eq(zx_diag_count(diag), 4, "%s", tu_diag_text(diag, 1));
}

Test(plan, load_from_file)
{
    const char *dir = tu_tmpdir();
    const char *path = tu_path(dir, "p.yaml");

    tu_write_str(path, "\xef\xbb\xbf" HEAD INDICATOR);
    cr_assert_eq(zx_plan_load(path, NULL, &plan, diag), ZX_OK, "%s",
                 tu_diag_text(diag, 1));
    cr_assert_str_eq(zx_plan_file(plan), path);
    cr_assert_str_eq(zx_plan_id(plan), "t-plan");
    zx_plan_free(plan);
    plan = NULL;

    cr_assert_eq(zx_plan_load(tu_path(dir, "none.yaml"), "none.yaml", &plan,
                              diag),
                 ZX_ENOTFOUND);
    cr_assert_null(plan);
    cr_assert_str_eq(zx_diag_get(diag, 0)->file, "none.yaml");
    cr_assert(strstr(zx_diag_get(diag, 0)->msg, "文件不存在"));
}

Test(plan, yaml_tree)
{
    static const char text[] = "a: [1, 'two']\nb:\n  c: ~\n";
    zx_yaml_doc *doc;
    const zx_yaml_node *root, *a, *c;

    cr_assert_eq(zx_yaml_parse(text, strlen(text), "x", diag, &doc), ZX_OK);
    root = zx_yaml_root(doc);
    cr_assert_eq(root->kind, ZX_YAML_MAP);
    cr_assert_eq(root->n, 2);
    a = zx_yaml_get(root, "a");
    cr_assert(a->kind == ZX_YAML_SEQ && a->n == 2);
    cr_assert(a->first->plain && strcmp(a->first->text, "1") == 0);
    cr_assert(!a->first->next->plain && a->first->next->col == 8 &&
              a->first->next->tcol == 9);
    c = zx_yaml_get(zx_yaml_get(root, "b"), "c");
    cr_assert(c && zx_yaml_is_null(c));
    cr_assert_null(zx_yaml_get(root, "z"));
    cr_assert_null(zx_yaml_get(a, "a"));
    zx_yaml_free(doc);
}

/* ---- the command ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 16);

    cr_assert(f && buf);
    cr_assert_lt(fread(buf, 1, (1 << 16) - 1, f), (size_t)(1 << 16) - 1);
    fclose(f);
    return buf;
}

static int run(const char *dir, const char *args)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "cd %s && %s --db %s/zx.db plan %s >out 2>err",
             dir, ZX_BIN, dir, args);
    return tu_sh(cmd);
}

Test(plan, cli_check)
{
    const char *dir = tu_tmpdir();
    char *out, *err;

    tu_write_str(tu_path(dir, "good.yaml"), HEAD INDICATOR ELEMENT);
    cr_assert_eq(run(dir, "check good.yaml"), 0, "%s",
                 (err = slurp(tu_path(dir, "err"))));
    out = slurp(tu_path(dir, "out"));
    cr_assert_str_eq(out, "计划文件检查通过：2 个目标、1 个指标、0 项任务、"
                          "1 个数据项\n");
    free(out);

    tu_write_str(tu_path(dir, "bad.yaml"),
                 HEAD INDICATOR ELEMENT "    type: text\n");
    cr_assert_eq(run(dir, "check bad.yaml"), 65);
    err = slurp(tu_path(dir, "err"));
    cr_assert(strstr(err, "bad.yaml:31:5: 重复的键“type”（第 28 行已出现）"),
              "%s", err);
    cr_assert(strstr(err, "bad.yaml: 发现 1 处问题"), "%s", err);
    free(err);

    cr_assert_eq(run(dir, "check missing.yaml"), 66);
    err = slurp(tu_path(dir, "err"));
    cr_assert(strstr(err, "missing.yaml: 文件不存在"), "%s", err);
    free(err);

    cr_assert_eq(run(dir, "check"), 64);
    cr_assert_eq(run(dir, "frobnicate good.yaml"), 64);
}

Test(plan, cli_load)
{
    const char *dir = tu_tmpdir();
    char cmd[1024], *out, *err;

    snprintf(cmd, sizeof(cmd), "%s --db %s/zx.db init >/dev/null", ZX_BIN,
             dir);
    cr_assert_eq(tu_sh(cmd), 0);
    tu_write_str(tu_path(dir, "good.yaml"), HEAD INDICATOR ELEMENT);
    tu_write_str(tu_path(dir, "bad.yaml"), HEAD INDICATOR);
    /* the loader passes bad.yaml; the engine finds the unknown name */
    cr_assert_eq(run(dir, "load bad.yaml"), 65);
    err = slurp(tu_path(dir, "err"));
    cr_assert(strstr(err, "bad.yaml:22:16: "), "%s", err);
    cr_assert(strstr(err, "数据库未做任何修改"), "%s", err);
    free(err);
    cr_assert_eq(run(dir, "load good.yaml"), 0);
    out = slurp(tu_path(dir, "out"));
    cr_assert(strstr(out, "已载入计划“测试计划”（t-plan）作为现行计划："
                          "2 个目标、1 个指标"), "%s", out);
    free(out);
}

Test(plan, cli_show)
{
    const char *dir = tu_tmpdir();
    char *out;

    tu_write_str(tu_path(dir, "full.yaml"), full_plan);
    cr_assert_eq(run(dir, "show full.yaml"), 0);
    out = slurp(tu_path(dir, "out"));
    cr_assert(strstr(out, "海门市乡村教育振兴三年行动计划（测试）\n"), "%s",
              out);
    cr_assert(strstr(out, "计划年度  2020、2021、2022"), "%s", out);
    cr_assert(strstr(out, "121 镇中心区"), "%s", out);
    cr_assert(strstr(out, "目标 2.1 办学条件持续改善 [conditions]"), "%s",
              out);
    cr_assert(strstr(out, "指标 3.3.2-E1 装备Ⅰ类达标率 [equipment]"), "%s",
              out);
    cr_assert(strstr(out, "2020 年 40，2021 年 40，2022 年 100"), "%s", out);
    cr_assert(strstr(out, "2024 年达到 0人"), "%s", out);
    cr_assert(strstr(out, "2020 年完成全程的 1/5"), "%s", out);
    cr_assert(strstr(out, "目标      2–3人"), "%s", out);
    cr_assert(strstr(out, "任务 3.1-P1 乡村学校党组织规范化建设"), "%s", out);
    cr_assert(strstr(out, "\n      3.3.2 提升装备水平"), "%s", out);
    cr_assert(strstr(out, "equipment_class 装备类别"), "%s", out);
    free(out);
}
