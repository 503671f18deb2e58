/*
 * codes.c - the code lists (see codes.h).  Sources: ../shared/domain.md
 * (national education management base codes and statistics-bureau
 * urban-rural codes); local additions are marked.
 */
#include "codes.h"
#include "map.h"
#include "text.h"

#include <pthread.h>
#include <stdlib.h>

#include <stdio.h>
#include <string.h>

#define LIST(id, title, numeric, items) \
    { id, title, numeric, items, (int)(sizeof(items) / sizeof(items[0])) }

static const zx_code school_type[] = {
    { "111", "幼儿园", "" },
    { "119", "附设幼儿班", "" },
    { "211", "小学", "" },
    { "218", "小学教学点", "教学点" },
    { "219", "附设小学班", "" },
    { "311", "初级中学", "初中" },
    { "312", "九年一贯制学校", "九年一贯制" },
    { "319", "附设普通初中班", "" },
    { "341", "完全中学", "" },
    { "342", "高级中学", "高中" },
    { "345", "十二年一贯制学校", "十二年一贯制" },
    { "365", "职业高中学校", "职业高中|中职" },
    { "511", "盲人学校", "" },
    { "512", "聋人学校", "" },
    { "513", "弱智学校", "培智学校" },
    { "514", "其他特殊教育学校", "特殊教育学校|特教学校" },
    { "519", "附设特教班", "" },
};

static const zx_code urban_rural[] = {
    { "111", "主城区", "" },
    { "112", "城乡结合区", "" },
    { "121", "镇中心区", "" },
    { "122", "镇乡结合区", "" },
    { "123", "特殊区域", "" },
    { "210", "乡中心区", "" },
    { "220", "村庄", "" },
};

static const zx_code subject[] = {
    { "11", "品德与生活(社会)", "品德与生活|品德与社会|道德与法治" },
    { "12", "思想品德(政治)", "思想品德|政治|思想政治" },
    { "13", "语文", "" },
    { "14", "数学", "" },
    { "15", "科学", "" },
    { "16", "物理", "" },
    { "17", "化学", "" },
    { "18", "生物", "" },
    { "19", "历史与社会", "" },
    { "20", "地理", "" },
    { "21", "历史", "" },
    { "22", "体育与健康", "体育" },
    { "23", "艺术", "" },
    { "24", "音乐", "" },
    { "25", "美术", "" },
    { "26", "信息技术(高中)", "" },
    { "27", "通用技术", "" },
    { "40", "外语", "" },
    { "41", "英语", "" },
    { "42", "日语", "" },
    { "43", "俄语", "" },
    { "49", "其他外国语", "" },
    { "60", "综合实践活动", "综合实践" },
    { "61", "信息技术(小学/初中)", "信息技术" },
    { "62", "劳动与技术", "劳动" },
    /* local codes: the national list has no preschool, mental-health or
     * special-education subject, which the plan needs */
    { "90", "学前教育", "幼儿教育|学前" },
    { "91", "心理健康", "心理健康教育|心理" },
    { "92", "特殊教育", "特教" },
};

/* Local codes from here on: the registry stores every coded value as a
 * small integer (national code where there is one), which keeps a
 * million-teacher table compact and fast to filter. */
static const zx_code stage[] = {
    { "1", "学前", "幼儿园|学前教育" },
    { "2", "小学", "" },
    { "3", "初中", "初级中学" },
    { "4", "高中", "普通高中|高级中学" },
    { "5", "中职", "职业高中|中等职业" },
    { "6", "特教", "特殊教育" },
};

static const zx_code owner[] = {
    { "21", "公办", "" },
    { "22", "民办", "" },
};

static const zx_code yesno[] = {
    { "是", "是", "Y|YES|TRUE|1|√" },
    { "否", "否", "N|NO|FALSE|0|×" },
};

/* GB/T 2261.1 */
static const zx_code gender[] = {
    { "1", "男", "M" },
    { "2", "女", "F" },
};

static const zx_code title[] = {
    { "1", "正高级教师", "正高级|正高" },
    { "2", "高级教师", "高级|中学高级教师|副高" },
    { "3", "一级教师", "一级|中学一级教师|小学高级教师" },
    { "4", "二级教师", "二级|中学二级教师|小学一级教师" },
    { "5", "三级教师", "三级" },
    { "9", "未定职级", "未定级|无|无职称" },
};

static const zx_code employment[] = {
    { "1", "在编", "编制内|正式" },
    { "2", "备案制", "备案" },
    { "3", "代课", "代课教师" },
    { "4", "银龄", "银龄教师|银龄助学" },
    { "9", "其他", "" },
};

static const zx_code post[] = {
    { "1", "专任教师", "教师" },
    { "2", "校长", "园长" },
    { "3", "副校长", "副园长" },
    { "4", "中层干部", "中层" },
    { "9", "其他", "" },
};

/* GB/T 4762 */
static const zx_code political[] = {
    { "1", "中共党员", "党员|中国共产党党员" },
    { "2", "中共预备党员", "预备党员|中国共产党预备党员" },
    { "3", "共青团员", "团员|中国共产主义青年团团员" },
    { "4", "民革党员", "民革" },
    { "5", "民盟盟员", "民盟" },
    { "6", "民建会员", "民建" },
    { "7", "民进会员", "民进" },
    { "8", "农工党党员", "农工党" },
    { "9", "致公党党员", "致公党" },
    { "10", "九三学社社员", "九三学社" },
    { "11", "台盟盟员", "台盟" },
    { "12", "无党派人士", "无党派民主人士|无党派" },
    { "13", "群众", "" },
};

static const zx_code role_title[] = {
    { "学科带头人", "学科带头人", "" },
    { "骨干教师", "骨干教师", "骨干" },
    { "教学能手", "教学能手", "" },
    { "种子教师", "种子教师", "" },
    { "榜样教师", "榜样教师", "" },
    { "后备干部", "后备干部", "青年后备干部" },
    { "名师工作室领衔人", "名师工作室领衔人", "工作室领衔人" },
};

static const zx_code role_level[] = {
    { "国家级", "国家级", "全国" },
    { "省级", "省级", "江苏省级" },
    { "地市级", "地市级", "南通市级|大市级" },
    { "县级", "县级", "海门市级|县市级|区级" },
    { "区镇级", "区镇级", "镇级|乡镇级" },
    { "校级", "校级", "" },
};

static const zx_codelist lists[] = {
    LIST("school_type", "办学类型", 1, school_type),
    LIST("urban_rural", "城乡类型", 1, urban_rural),
    LIST("subject", "学科", 1, subject),
    LIST("stage", "学段", 1, stage),
    LIST("owner", "办学性质", 1, owner),
    LIST("yesno", "是否", 0, yesno),
    LIST("gender", "性别", 1, gender),
    LIST("title", "职称", 1, title),
    LIST("employment", "用工类型", 1, employment),
    LIST("post", "岗位", 1, post),
    LIST("political", "政治面貌", 1, political),
    LIST("role_title", "称号", 0, role_title),
    LIST("role_level", "级别", 0, role_level),
};

#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static const int fam_kindergarten[] = { 111, 119 };
static const int fam_primary[] = { 211, 218, 219, 312, 345 };
static const int fam_junior[] = { 311, 312, 319, 341, 345 };
static const int fam_senior[] = { 341, 342, 345 };
/* indicators.md: 小学, 初中, 九年一贯制, 教学点 and the compulsory part
 * of 十二年一贯制 and 完全中学 */
static const int fam_compulsory[] = { 211, 218, 219, 311, 312, 319, 341,
                                      345 };
static const int fam_special[] = { 511, 512, 513, 514, 519 };
static const int fam_vocational[] = { 365 };

#define FAMILY(name, a) { name, a, (int)(sizeof(a) / sizeof(a[0])) }

static const struct family {
    const char *name;
    const int *codes;
    int n;
} families[] = {
    FAMILY("kindergarten", fam_kindergarten),
    FAMILY("primary", fam_primary),
    FAMILY("junior", fam_junior),
    FAMILY("senior", fam_senior),
    FAMILY("compulsory", fam_compulsory),
    FAMILY("special", fam_special),
    FAMILY("vocational", fam_vocational),
};

const int *zx_codes_family(const char *family, int *n)
{
    size_t i;

    for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        if (strcmp(families[i].name, family) == 0) {
            *n = families[i].n;
            return families[i].codes;
        }
    return NULL;
}

const zx_codelist *zx_codes_all(int *n)
{
    *n = (int)NLISTS;
    return lists;
}

const zx_codelist *zx_codes_get(const char *id)
{
    size_t i;

    for (i = 0; i < NLISTS; i++)
        if (strcmp(lists[i].id, id) == 0)
            return &lists[i];
    return NULL;
}

/* Every accepted spelling of every list, normalised and upper-cased, to
 * the item's index: imports look values up millions of times. */
static zx_map *index_of[NLISTS];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void upcase(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

static void index_add(zx_map *m, const char *spelling, size_t len, int i)
{
    char raw[128], key[128];

    if (len >= sizeof(raw))
        return;
    memcpy(raw, spelling, len);
    raw[len] = '\0';
    zx_text_norm(raw, key, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    upcase(key);
    zx_map_put(m, key, i);
}

static void build_index(void)
{
    size_t l;
    int i;

    for (l = 0; l < NLISTS; l++) {
        zx_map *m = zx_map_new();
        if (!m)
            return; /* lookups then fail: reported as invalid values */
        for (i = 0; i < lists[l].n; i++) {
            const zx_code *c = &lists[l].items[i];
            const char *p = c->aliases;
            index_add(m, c->code, strlen(c->code), i);
            index_add(m, c->name, strlen(c->name), i);
            while (*p) {
                const char *bar = strchr(p, '|');
                size_t n = bar ? (size_t)(bar - p) : strlen(p);
                index_add(m, p, n, i);
                p += n + (bar != NULL);
            }
        }
        index_of[l] = m;
    }
}

int zx_codes_find(const zx_codelist *list, const char *value)
{
    char buf[256];
    long long i;
    zx_map *m;

    if (strlen(value) >= sizeof(buf))
        return -1;
    pthread_once(&index_once, build_index);
    m = index_of[list - lists];
    if (!m || zx_text_norm(value, buf, ZX_NORM_PUNCT | ZX_NORM_SQUASH) == 0)
        return -1;
    upcase(buf);
    return zx_map_get(m, buf, &i) ? (int)i : -1;
}

const zx_code *zx_codes_by_code(const zx_codelist *list, const char *code)
{
    int i;

    for (i = 0; i < list->n; i++)
        if (strcmp(list->items[i].code, code) == 0)
            return &list->items[i];
    return NULL;
}

const char *zx_codes_name_of(const zx_codelist *list, int code)
{
    char buf[16];
    const zx_code *c;

    snprintf(buf, sizeof(buf), "%d", code);
    c = zx_codes_by_code(list, buf);
    return c ? c->name : NULL;
}

void zx_codes_describe(const zx_codelist *list, int with_codes, char *buf,
                       unsigned long cap)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < list->n && used + 1 < cap; i++) {
        const zx_code *c = &list->items[i];
        int w;
        if (with_codes && list->numeric)
            w = snprintf(buf + used, cap - used, "%s%s %s", i ? "、" : "",
                         c->code, c->name);
        else
            w = snprintf(buf + used, cap - used, "%s%s", i ? "、" : "",
                         c->name);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
}
