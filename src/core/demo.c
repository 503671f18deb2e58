/*
 * demo.c - the synthetic city (see demo.h).
 *
 * A county is a fixed template of 129 schools (names, towns, types,
 * urban-rural codes, groups and rough sizes, set by hand after
 * ../shared/domain.md so that the city reads like Haimen); everything else
 * - sizes within +-12%, trends, coordinates, every teacher and role - is
 * drawn from a xoshiro256** stream seeded per county.  County 0 is the
 * Haimen-like city itself; counties 1.. of a larger scale repeat the
 * template under synthetic county names, so county 0 of every scale is the
 * same city for the same seed.
 *
 * No floating-point library call is used (no pow, no round), only IEEE
 * arithmetic, so the output is the same wherever the program runs.
 */
#include "demo.h"
#include "registry.h"
#include "zx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char zx_demo_banner[] =
    "（合成数据：仅供演示和测试，不代表任何真实学校或教师）";

/* Teachers are a snapshot of the latest enrolment year: ages, titles and
 * years of service are counted to it. */
#define NOW (ZX_DEMO_FIRST_YEAR + ZX_DEMO_NYEARS - 1)

/* More teachers than any template school can have (the largest has about
 * 350); staff_count clamps to it. */
#define MAX_STAFF 1024

/* The plan's default notion of rural: outside the main urban area. */
#define RURAL(ur) ((ur) != 111 && (ur) != 112)

/* ---- PRNG: xoshiro256**, seeded through splitmix64 ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* One independent stream per (seed, county). */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    int i;

    x = splitmix64(&x) ^ (stream * 0xd1b54a32d192ed03ULL);
    for (i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n), n < 2^32 (Lemire's multiply; the bias is far below
 * anything a demo could show). */
static int rng_below(rng *r, int n)
{
    return (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(rng *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

/* Index drawn with probability w[i] / sum(w); n > 0, sum > 0. */
static int rng_pick(rng *r, const int *w, int n)
{
    int i, sum = 0, x;

    for (i = 0; i < n; i++)
        sum += w[i];
    x = rng_below(r, sum);
    for (i = 0; i < n - 1; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- the county template ---- */

enum { HM, SC, BJ, HY, CL, YL, SJ, YD, ZY, BC, LJ, GX, NTOWNS };

static const struct town {
    const char *name;
    double lon, lat;
} towns[NTOWNS] = {
    { "海门街道", 121.175, 31.895 },   { "三厂街道", 121.235, 31.880 },
    { "滨江街道", 121.120, 31.880 },   { "海永镇", 121.440, 31.810 },
    { "常乐镇", 121.300, 31.905 },     { "悦来镇", 121.360, 31.950 },
    { "四甲镇", 121.310, 32.020 },     { "余东镇", 121.400, 32.030 },
    { "正余镇", 121.200, 31.990 },     { "包场镇", 121.505, 31.980 },
    { "临江镇", 121.110, 31.935 },     { "海门港新区", 121.560, 32.050 },
};

/* Centre of the template, to move it elsewhere for synthetic counties. */
#define HAIMEN_LON 121.25
#define HAIMEN_LAT 31.93

/* Education groups: HQ in the urban area (or a town seat), members rural.
 * Names follow the county's full prefix; the registry takes the kind
 * (集团 / 共同体 / 联盟) from the name. */
enum {
    G_NONE, G_DZXX, G_SYXX, G_SCXX, G_SJXX, G_DZZX, G_NRZX, G_SYYEY,
    G_DZYEY, G_SCYEY, G_GZLM, NGROUPS
};

static const char *const group_names[NGROUPS] = {
    NULL,
    "东洲小学教育集团",
    "实验小学教育集团",
    "三厂小学教育集团",
    "四甲镇中心小学教育集团",
    "东洲中学教育集团",
    "能仁中学教育集团",
    "实验幼儿园共同体",
    "东洲幼儿园共同体",
    "三厂幼儿园共同体",
    "高中教学联盟",
};

enum { FULL = 0, SHORT = 1 }; /* "海门市东洲小学" or "海门中学" */
enum { PUB = 21, PRI = 22 };
enum { MEMBER = 0, HQ = 1 };

struct tpl {
    unsigned char town;
    short type, ur, owner;
    unsigned char group, hq;
    unsigned char pin;  /* latest-year students exactly `students` */
    unsigned char pfx;  /* FULL or SHORT county prefix */
    int students;       /* latest year, before jitter */
    const char *name;   /* after the county prefix */
};

#define K(t, ur, n, name) { t, 111, ur, PUB, G_NONE, 0, 0, FULL, n, name }
#define KP(t, ur, n, name) { t, 111, ur, PRI, G_NONE, 0, 0, FULL, n, name }
#define KG(t, ur, n, g, hq, name) { t, 111, ur, PUB, g, hq, 0, FULL, n, name }
#define S(t, ty, ur, n, name) { t, ty, ur, PUB, G_NONE, 0, 0, FULL, n, name }
#define SG(t, ty, ur, n, g, hq, name) { t, ty, ur, PUB, g, hq, 0, FULL, n, name }

static const struct tpl tpl[] = {
    /* kindergartens (111): 58, six of them private */
    KG(HM, 111, 1400, G_SYYEY, HQ, "实验幼儿园"),
    KG(HM, 111, 1100, G_DZYEY, HQ, "东洲幼儿园"),
    K(HM, 111, 800, "育才幼儿园"),
    K(HM, 111, 700, "秀山幼儿园"),
    K(HM, 111, 650, "新海幼儿园"),
    K(HM, 111, 520, "海南幼儿园"),
    K(HM, 111, 600, "长江路幼儿园"),
    K(HM, 112, 420, "城北幼儿园"),
    KP(HM, 111, 380, "蓓蕾幼儿园"),
    KP(HM, 111, 300, "金色童年幼儿园"),
    KG(SC, 111, 750, G_SCYEY, HQ, "三厂幼儿园"),
    K(SC, 111, 650, "三厂街道中心幼儿园"),
    K(SC, 112, 280, "江心沙幼儿园"),
    KG(SC, 112, 320, G_SCYEY, MEMBER, "三星幼儿园"),
    KP(SC, 112, 260, "小天鹅幼儿园"),
    K(BJ, 111, 720, "滨江幼儿园"),
    K(BJ, 111, 600, "滨江街道中心幼儿园"),
    K(BJ, 111, 500, "开发区幼儿园"),
    K(BJ, 112, 300, "青龙幼儿园"),
    K(BJ, 112, 260, "江滨幼儿园"),
    KP(BJ, 111, 340, "港城双语幼儿园"),
    K(HY, 121, 240, "海永镇中心幼儿园"),
    K(HY, 220, 60, "永隆幼儿园"),
    K(CL, 121, 600, "常乐镇中心幼儿园"),
    K(CL, 121, 380, "常乐镇实验幼儿园"),
    KG(CL, 210, 220, G_SYYEY, MEMBER, "麒麟幼儿园"),
    KG(CL, 220, 110, G_SYYEY, MEMBER, "平山幼儿园"),
    K(CL, 220, 90, "汤家幼儿园"),
    K(CL, 220, 70, "颐生幼儿园"),
    K(YL, 121, 520, "悦来镇中心幼儿园"),
    KG(YL, 210, 170, G_SYYEY, MEMBER, "王浩幼儿园"),
    KG(YL, 220, 95, G_SYYEY, MEMBER, "万年幼儿园"),
    KP(YL, 121, 180, "悦来镇阳光幼儿园"),
    K(SJ, 121, 560, "四甲镇中心幼儿园"),
    K(SJ, 121, 360, "四甲镇实验幼儿园"),
    KG(SJ, 210, 180, G_SYYEY, MEMBER, "天补幼儿园"),
    K(SJ, 220, 120, "树勋幼儿园"),
    K(SJ, 220, 80, "德胜幼儿园"),
    K(YD, 121, 500, "余东镇中心幼儿园"),
    K(YD, 121, 280, "余东镇实验幼儿园"),
    KG(YD, 210, 160, G_DZYEY, MEMBER, "货隆幼儿园"),
    KG(YD, 220, 100, G_DZYEY, MEMBER, "三阳幼儿园"),
    KG(YD, 220, 90, G_DZYEY, MEMBER, "刘浩幼儿园"),
    K(ZY, 121, 480, "正余镇中心幼儿园"),
    KG(ZY, 210, 150, G_DZYEY, MEMBER, "证大幼儿园"),
    KG(ZY, 220, 95, G_DZYEY, MEMBER, "六匡幼儿园"),
    KP(ZY, 122, 120, "正余镇小星星幼儿园"),
    K(BC, 121, 470, "包场镇中心幼儿园"),
    K(BC, 121, 300, "包场镇实验幼儿园"),
    KG(BC, 210, 130, G_SCYEY, MEMBER, "东兴幼儿园"),
    KG(BC, 220, 85, G_SCYEY, MEMBER, "海洪幼儿园"),
    K(BC, 220, 70, "兴仁幼儿园"),
    K(LJ, 121, 450, "临江镇中心幼儿园"),
    KG(LJ, 210, 140, G_SCYEY, MEMBER, "灵甸幼儿园"),
    KG(LJ, 220, 85, G_SCYEY, MEMBER, "新江幼儿园"),
    { GX, 111, 121, PUB, G_NONE, 0, 0, SHORT, 380, "港新区中心幼儿园" },
    { GX, 111, 121, PUB, G_NONE, 0, 0, SHORT, 260, "港新区实验幼儿园" },
    K(GX, 210, 150, "东灶港幼儿园"),

    /* primary schools (211) and teaching points (218): 43; the three of
     * clause 3.3.1-I2 are 包场小学, 天补小学 and 证大小学, and 证大, 兴仁
     * and 货隆 sit at 499 / 500 / 501 students for clause 3.3-F2 */
    SG(HM, 211, 111, 3400, G_DZXX, HQ, "东洲小学"),
    SG(HM, 211, 111, 3100, G_SYXX, HQ, "实验小学"),
    S(HM, 211, 111, 2500, "育才小学"),
    S(HM, 211, 111, 1800, "秀山小学"),
    S(HM, 211, 111, 1600, "海南小学"),
    S(HM, 211, 111, 2100, "长江路小学"),
    S(HM, 211, 112, 900, "城北小学"),
    { HM, 211, 111, PRI, G_NONE, 0, 0, FULL, 1100, "育英小学" },
    SG(SC, 211, 111, 2400, G_SCXX, HQ, "三厂小学"),
    S(SC, 211, 111, 1500, "三厂街道中心小学"),
    S(SC, 211, 112, 640, "三星小学"),
    S(BJ, 211, 111, 2400, "滨江小学"),
    S(BJ, 211, 112, 700, "青龙小学"),
    S(BJ, 211, 112, 610, "江滨小学"),
    S(CL, 211, 121, 1250, "常乐镇中心小学"),
    SG(CL, 211, 210, 530, G_DZXX, MEMBER, "麒麟小学"),
    SG(CL, 211, 220, 260, G_DZXX, MEMBER, "平山小学"),
    SG(CL, 211, 220, 190, G_DZXX, MEMBER, "颐生小学"),
    S(CL, 218, 220, 60, "平山小学汤家教学点"),
    S(YL, 211, 121, 1050, "悦来镇中心小学"),
    SG(YL, 211, 210, 420, G_SYXX, MEMBER, "王浩小学"),
    SG(YL, 211, 220, 230, G_SYXX, MEMBER, "万年小学"),
    S(YL, 218, 220, 50, "万年小学新南教学点"),
    SG(SJ, 211, 121, 1200, G_SJXX, HQ, "四甲镇中心小学"),
    SG(SJ, 211, 210, 380, G_SJXX, MEMBER, "天补小学"),
    SG(SJ, 211, 220, 290, G_SJXX, MEMBER, "树勋小学"),
    SG(SJ, 218, 220, 45, G_SJXX, MEMBER, "树勋小学德胜教学点"),
    S(YD, 211, 121, 1000, "余东镇中心小学"),
    { YD, 211, 210, PUB, G_SCXX, MEMBER, 1, FULL, 501, "货隆小学" },
    SG(YD, 211, 220, 310, G_SCXX, MEMBER, "刘浩小学"),
    S(YD, 211, 210, 260, "聚星小学"),
    S(ZY, 211, 121, 950, "正余镇中心小学"),
    { ZY, 211, 210, PUB, G_SYXX, MEMBER, 1, FULL, 499, "证大小学" },
    SG(ZY, 211, 220, 240, G_SYXX, MEMBER, "六匡小学"),
    S(BC, 211, 121, 900, "包场小学"),
    SG(BC, 211, 210, 360, G_DZXX, MEMBER, "东兴小学"),
    { BC, 211, 220, PUB, G_SCXX, MEMBER, 1, FULL, 500, "兴仁小学" },
    SG(BC, 211, 220, 160, G_SCXX, MEMBER, "海洪小学"),
    S(LJ, 211, 121, 880, "临江镇中心小学"),
    S(LJ, 211, 210, 340, "灵甸小学"),
    S(LJ, 218, 220, 70, "灵甸小学新江教学点"),
    { GX, 211, 121, PUB, G_NONE, 0, 0, SHORT, 760, "港新区实验小学" },
    S(GX, 211, 220, 210, "三和小学"),

    /* junior schools (311): 14 */
    SG(HM, 311, 111, 2700, G_DZZX, HQ, "东洲中学"),
    SG(HM, 311, 111, 2300, G_NRZX, HQ, "能仁中学"),
    S(HM, 311, 111, 1200, "海南中学"),
    S(HM, 311, 112, 700, "城北初级中学"),
    S(SC, 311, 111, 1300, "三厂中学"),
    S(BJ, 311, 111, 2000, "实验初级中学"),
    SG(CL, 311, 121, 900, G_DZZX, MEMBER, "常乐中学"),
    SG(YL, 311, 121, 700, G_DZZX, MEMBER, "悦来中学"),
    SG(YL, 311, 210, 380, G_DZZX, MEMBER, "王浩初级中学"),
    SG(SJ, 311, 220, 320, G_NRZX, MEMBER, "德胜初级中学"),
    SG(YD, 311, 121, 650, G_NRZX, MEMBER, "余东中学"),
    SG(ZY, 311, 121, 560, G_NRZX, MEMBER, "正余初级中学"),
    S(BC, 311, 121, 620, "包场中学"),
    S(LJ, 311, 121, 540, "临江中学"),

    /* nine-year schools (312): 6 */
    { HM, 312, 111, PRI, G_NONE, 0, 0, FULL, 1600, "东洲国际学校" },
    S(SC, 312, 112, 900, "江心沙学校"),
    S(BJ, 312, 111, 2400, "开发区学校"),
    S(HY, 312, 121, 620, "海永学校"),
    SG(YD, 312, 220, 420, G_NRZX, MEMBER, "三阳学校"),
    SG(GX, 312, 210, 480, G_DZZX, MEMBER, "东灶港学校"),

    /* senior high (342) and complete secondary (341) schools: 6 */
    { HM, 342, 111, PUB, G_GZLM, HQ, 0, SHORT, 3200, "中学" },
    S(SC, 342, 111, 2400, "第一中学"),
    S(BJ, 342, 111, 1900, "实验高级中学"),
    SG(SJ, 341, 121, 2000, G_GZLM, MEMBER, "四甲中学"),
    SG(BC, 342, 121, 1500, G_GZLM, MEMBER, "包场高级中学"),
    SG(CL, 341, 121, 1600, G_GZLM, MEMBER, "麒麟中学"),

    /* vocational and special */
    { BJ, 365, 112, PUB, G_NONE, 0, 0, SHORT, 4500, "中等专业学校" },
    S(HM, 514, 111, 180, "特殊教育学校"),
};

#define NTPL ((int)(sizeof(tpl) / sizeof(tpl[0])))

/* ---- teachers ---- */

enum { ST_PRE, ST_PRI, ST_JUN, ST_SEN, ST_VOC, ST_SPE, NSTAGES };

/* codes of codes.c's "stage" list, by ST_ */
static const int stage_codes[NSTAGES] = { 1, 2, 3, 4, 5, 6 };

/* Share of women by stage (rural primary and junior a little lower). */
static const double female_share[NSTAGES] = {
    0.97, 0.80, 0.60, 0.50, 0.46, 0.75
};

struct subj {
    int code, w;
};

/* Subject weights per stage, after typical staffing: 语文 and 数学 most. */
static const struct subj subj_pre[] = { { 90, 1 } };
static const struct subj subj_pri[] = {
    { 13, 300 }, { 14, 240 }, { 41, 100 }, { 11, 40 }, { 15, 55 },
    { 22, 65 }, { 24, 50 }, { 25, 45 }, { 61, 25 }, { 60, 20 },
    { 62, 10 }, { 91, 10 },
};
static const struct subj subj_jun[] = {
    { 13, 150 }, { 14, 150 }, { 41, 140 }, { 12, 55 }, { 21, 50 },
    { 20, 40 }, { 16, 70 }, { 17, 45 }, { 18, 45 }, { 22, 65 },
    { 24, 25 }, { 25, 25 }, { 61, 25 }, { 60, 10 }, { 91, 10 },
};
static const struct subj subj_sen[] = {
    { 13, 120 }, { 14, 120 }, { 41, 115 }, { 12, 60 }, { 21, 55 },
    { 20, 50 }, { 16, 80 }, { 17, 70 }, { 18, 65 }, { 22, 60 },
    { 24, 20 }, { 25, 20 }, { 26, 25 }, { 27, 20 }, { 42, 8 }, { 91, 10 },
};
static const struct subj subj_voc[] = {
    { 13, 110 }, { 14, 110 }, { 41, 90 }, { 12, 40 }, { 22, 50 },
    { 26, 150 }, { 27, 250 }, { 62, 100 }, { 25, 50 }, { 24, 20 },
    { 91, 10 },
};
static const struct subj subj_spe[] = {
    { 92, 600 }, { 13, 100 }, { 14, 100 }, { 22, 60 }, { 24, 60 },
    { 25, 60 }, { 62, 20 },
};

static const struct {
    const struct subj *s;
    int n;
} subjects[NSTAGES] = {
#define SUBJ(a) { a, (int)(sizeof(a) / sizeof(a[0])) }
    SUBJ(subj_pre), SUBJ(subj_pri), SUBJ(subj_jun),
    SUBJ(subj_sen), SUBJ(subj_voc), SUBJ(subj_spe),
#undef SUBJ
};

/* The subjects rural schools lack (music, art, PE, science, IT, mental
 * health): bit index, or -1 for a subject every school has. */
static int scarce_bit(int code)
{
    switch (code) {
    case 15: return 0;
    case 22: return 1;
    case 24: return 2;
    case 25: return 3;
    case 26: case 61: return 4;
    case 91: return 5;
    default: return -1;
    }
}

/* Names: common surnames of the region, weighted, and given-name
 * characters by sex and generation.  Pools are strings of 3-byte UTF-8
 * characters. */
static const char *const surnames[] = {
    "施", "黄", "陆", "沈", "张", "王", "陈", "顾", "倪", "龚", "季", "茅",
    "蔡", "袁", "曹", "杨", "朱", "徐", "范", "郁", "刘", "周", "吴", "李",
    "钱", "姜", "秦", "邱", "丁", "成", "赵", "孙", "邢", "宋", "严", "汤",
    "唐", "陶", "瞿", "郭", "俞", "葛", "邵", "卢", "冯", "欧阳",
};
static const int surname_w[] = {
    40, 35, 35, 35, 40, 40, 35, 30, 20, 18, 18, 12,
    18, 15, 18, 20, 25, 25, 12, 10, 20, 20, 18, 18,
    12, 12, 10, 8,  12, 8,  12, 15, 6,  8,  8,  8,
    10, 8,  6,  8,  8,  8,  8,  6,  6,  2,
};
#define NSURNAMES ((int)(sizeof(surnames) / sizeof(surnames[0])))
_Static_assert(sizeof(surname_w) / sizeof(surname_w[0]) == NSURNAMES,
               "one weight per surname");

static const char f_old[] = "红梅英芳兰琴霞萍燕丽华娟敏静玲艳凤云秀珍美春"
                            "金菊慧洁莉晓亚琳";
static const char f_new[] = "婷雪佳颖倩蕾晶娜悦雯欣怡薇瑶璐丹月涵萱诗雨梦"
                            "思彤琪晨心楠";
static const char m_old[] = "伟强军勇杰涛斌明华峰磊刚平辉建国东海波林成新"
                            "荣祥龙锋健兵忠卫";
static const char m_new[] = "超鹏俊宇浩洋飞晨凯亮昊博轩泽皓杰鑫帅阳哲睿晖"
                            "磊涛";

/* Appends one random character of pool to *p. */
static void put_char(rng *r, const char *pool, size_t len, char **p)
{
    int i = rng_below(r, (int)(len / 3));

    memcpy(*p, pool + 3 * i, 3);
    *p += 3;
}

/* out needs 16 bytes: a 2-character surname and 2 given characters. */
static void make_name(rng *r, int female, int byear, char *out)
{
    int modern = byear >= 1988;
    const char *pool = female ? (modern ? f_new : f_old)
                              : (modern ? m_new : m_old);
    size_t len = female ? (modern ? sizeof(f_new) : sizeof(f_old)) - 1
                        : (modern ? sizeof(m_new) : sizeof(m_old)) - 1;
    const char *sn = surnames[rng_pick(r, surname_w, NSURNAMES)];
    size_t snlen = strlen(sn);
    char *p = out;

    memcpy(p, sn, snlen);
    p += snlen;
    put_char(r, pool, len, &p);
    if (rng_chance(r, modern ? 0.85 : 0.7))
        put_char(r, pool, len, &p);
    *p = '\0';
}

enum { EMP_REG, EMP_REC, EMP_SUB, EMP_SILVER, EMP_OTHER };
static const int emp_codes[] = { 1, 2, 3, 4, 9 }; /* "employment" */

enum { POST_HEAD, POST_VICE, POST_MID, POST_TEACHER };
static const int post_codes[] = { 2, 3, 4, 1 }; /* "post" */

enum { T_NONE, T_3, T_2, T_1, T_SENIOR, T_FULL };
static const int title_codes[] = { 9, 5, 4, 3, 2, 1 }; /* "title" */

/* codes of codes.c's "political" list (GB/T 4762) */
enum { POL_CPC = 1, POL_PROBATION = 2, POL_CYL = 3, POL_MINJIN = 7,
       POL_MASSES = 13 };

struct staff {
    char no[12];
    char name[16];
    char birth[16];
    int female, byear, age, stage, subject, title, emp, post, since;
    int political;
    int leader_start;         /* 学科带头人 held since, 0 = not one */
    const char *leader_level;
};

/* One school's stream of decisions, shared by its teachers. */
struct school_ctx {
    const struct tpl *t;
    int rural, strong;   /* strong: urban school or senior high */
    int stage2;          /* second stage of 312 / 341, or -1 */
    double stage2_share; /* share of teachers in stage2 */
    unsigned scarce;     /* bits of scarce subjects the school has */
    char code[32];
};

struct gen {
    zx_registry *reg;
    rng r;
    struct staff *staff; /* MAX_STAFF, reused for every school */
    int *idx;            /* MAX_STAFF, for sampling */
    long long next_no;
    zx_demo_stats st;
    char full[32], shrt[32], codepfx[16];
    char town_names[NTOWNS][64];
    double dlon, dlat;
};

/* The first stage of a school type; 312 and 341 add a second one
 * (school_ctx.stage2). */
static int stage_of_type(int type)
{
    switch (type) {
    case 312: return ST_PRI;
    case 342: return ST_SEN;
    case 365: return ST_VOC;
    default:
        return type / 100 == 1 ? ST_PRE : type / 100 == 2 ? ST_PRI
             : type / 100 == 5 ? ST_SPE : ST_JUN;
    }
}

static int age_in(rng *r, int lo, int hi, int older)
{
    double u = (rng_unit(r) + rng_unit(r)) / 2;

    if (older) {
        double v = rng_unit(r);
        u = u > v ? u : v;
    }
    return lo + (int)(u * (hi - lo + 1));
}

static int pick_title(rng *r, int age, int stage, int emp)
{
    double hi = stage == ST_PRE ? 0.25
              : stage == ST_PRI || stage == ST_SPE ? 0.4 : 0.6;
    double u = rng_unit(r);

    if (emp == EMP_SUB)
        return u < 0.9 ? T_NONE : T_3;
    if (emp == EMP_SILVER)
        return u < 0.6 ? T_SENIOR : T_1;
    if (age < 26)
        return u < 0.5 ? T_NONE : T_2;
    if (age < 33 || emp == EMP_REC)
        return u < (stage == ST_PRE ? 0.75 : 0.6) ? T_2 : T_1;
    if (age < 43)
        return u < 0.1 ? T_2 : u < 0.1 + hi * 0.45 ? T_SENIOR : T_1;
    if (u < (stage == ST_JUN || stage == ST_SEN ? 0.01 : 0.003))
        return T_FULL;
    return u < hi ? T_SENIOR : T_1;
}

/* Teachers in democratic parties mostly belong to 民进 (the China
 * Association for Promoting Democracy, the educators' party). */
static int pick_political(rng *r, int age, int post, int emp)
{
    double u = rng_unit(r);

    if (post == POST_HEAD || post == POST_VICE)
        return u < 0.9 ? POL_CPC : u < 0.94 ? POL_MINJIN : POL_MASSES;
    if (emp == EMP_SUB)
        return u < 0.08 ? POL_CPC : u < 0.15 && age < 28 ? POL_CYL
                                                         : POL_MASSES;
    if (age < 28)
        return u < 0.45 ? POL_CYL : u < 0.5 ? POL_PROBATION
             : u < 0.6 ? POL_CPC : POL_MASSES;
    if (u < (post == POST_MID ? 0.6 : 0.36))
        return POL_CPC;
    return u >= 0.99 ? POL_PROBATION : u >= 0.965 ? POL_MINJIN : POL_MASSES;
}

/* Fills one teacher of school s; post is decided by the caller. */
static void make_teacher(struct gen *g, const struct school_ctx *s,
                         struct staff *t, int post)
{
    rng *r = &g->r;
    const struct tpl *tp = s->t;
    int stage = stage_of_type(tp->type), emp = EMP_REG, kg = tp->type == 111;
    double fem;
    int hi, years, month, i, n, w[16];
    const struct subj *sub;

    if (s->stage2 >= 0 && rng_chance(r, s->stage2_share))
        stage = s->stage2;
    if (post == POST_HEAD)
        fem = kg ? 0.95 : 0.3;
    else if (post == POST_VICE)
        fem = kg ? 0.9 : 0.45;
    else
        fem = female_share[stage] -
              (s->rural && (stage == ST_PRI || stage == ST_JUN) ? 0.08 : 0);
    t->female = rng_chance(r, fem);

    if (tp->owner == PRI)
        emp = post == POST_TEACHER && rng_chance(r, 0.25)
                  ? (rng_chance(r, 0.4) ? EMP_REC : EMP_REG)
                  : EMP_OTHER;
    else if (post == POST_TEACHER) {
        double u = rng_unit(r);
        double sub_p = s->rural ? (kg ? 0.09 : 0.07) : (kg ? 0.02 : 0.006);
        double silver_p = s->rural && stage <= ST_JUN && !kg ? 0.006 : 0;
        double rec_p = kg ? 0.10 : 0.03;
        emp = u < sub_p ? EMP_SUB : u < sub_p + silver_p ? EMP_SILVER
            : u < sub_p + silver_p + rec_p ? EMP_REC : EMP_REG;
    }
    t->emp = emp;
    t->post = post;

    hi = t->female ? 55 : 59;
    switch (post) {
    case POST_HEAD: t->age = rng_range(r, 42, t->female ? 55 : 57); break;
    case POST_VICE: t->age = rng_range(r, 35, hi - 2); break;
    case POST_MID:  t->age = rng_range(r, 30, hi - 3); break;
    default:
        t->age = emp == EMP_REC      ? rng_range(r, 22, 34)
               : emp == EMP_SUB      ? rng_range(r, 22, hi)
               : emp == EMP_SILVER   ? rng_range(r, 60, 62)
                                     : age_in(r, 23, hi,
                                              s->rural && rng_chance(r, 0.35));
    }
    t->byear = NOW - t->age;
    month = rng_range(r, 1, 12);
    snprintf(t->birth, sizeof(t->birth), "%04d-%02d", t->byear, month);
    make_name(r, t->female, t->byear, t->name);
    snprintf(t->no, sizeof(t->no), "T%07lld", g->next_no++);

    switch (emp) {
    case EMP_SILVER: t->since = rng_range(r, 2019, NOW); break;
    case EMP_SUB:    years = rng_range(r, 0, t->age - 22 < 8 ? t->age - 22 : 8);
                     t->since = NOW - years; break;
    case EMP_REC:    years = rng_range(r, 0, t->age - 22 < 6 ? t->age - 22 : 6);
                     t->since = NOW - years; break;
    default: {
        /* skewed to recent arrivals, yet many have 6+ years (rotation) */
        double u = rng_unit(r);
        int span = t->age - 22 < 35 ? t->age - 22 : 35;
        if (post == POST_HEAD && span > 10)
            span = 10;
        t->since = NOW - (int)(u * u * (span + 1));
    }
    }

    sub = subjects[stage].s;
    n = subjects[stage].n;
    for (i = 0; i < n; i++) {
        int bit = scarce_bit(sub[i].code);
        w[i] = sub[i].w;
        if (s->rural && bit >= 0)
            w[i] = (s->scarce >> bit & 1) ? w[i] * 6 / 10 : 0;
    }
    t->stage = stage;
    t->subject = sub[rng_pick(r, w, n)].code;
    t->title = pick_title(r, t->age, stage, emp);
    t->political = pick_political(r, t->age, post, emp);
    t->leader_start = 0;
    t->leader_level = NULL;
}

/* ---- schools and enrolment ---- */

static double round6(double x)
{
    double y = x * 1e6;

    return (double)(long long)(y < 0 ? y - 0.5 : y + 0.5) / 1e6;
}

static int classes_for(int type, int students)
{
    int cap = 40, grades = 6, minsize = 12, c, m;

    switch (type) {
    case 111: cap = 30; grades = 3; minsize = 10; break;
    case 218: grades = 3; minsize = 8; break;
    case 311: grades = 3; minsize = 15; break;
    case 312: grades = 9; break;
    case 341: cap = 45; grades = 6; minsize = 30; break;
    case 342: cap = 45; grades = 3; minsize = 30; break;
    case 365: grades = 3; minsize = 30; break;
    case 514: cap = 10; grades = 9; minsize = 5; break;
    }
    if (students <= 0)
        return 0;
    c = (students + cap - 1) / cap;
    m = (students + minsize - 1) / minsize;
    if (m > grades)
        m = grades;
    return c > m ? c : m;
}

/* Teachers a school has for its latest enrolment: by students, or by
 * classes where that gives more (small rural schools). */
static int staff_count(rng *r, const struct school_ctx *s, int students,
                       int classes)
{
    double ratio, per_class, n;

    switch (s->t->type) {
    case 111: ratio = 0; per_class = 2.2 + 0.6 * rng_unit(r); break;
    case 211: ratio = s->rural ? 13 : 16.5; per_class = 1.9; break;
    case 218: ratio = 0; per_class = 1.6; break;
    case 311: ratio = s->rural ? 10 : 11.5; per_class = 3.0; break;
    case 312: ratio = s->rural ? 11 : 13; per_class = 2.4; break;
    case 365: ratio = 11; per_class = 2.5; break;
    case 514: ratio = 3; per_class = 1.5; break;
    default:  ratio = 9.5; per_class = 3.2; break;
    }
    n = ratio > 0 ? students / ratio : 0;
    if (classes * per_class > n)
        n = classes * per_class;
    n *= 0.95 + 0.1 * rng_unit(r);
    if (n < 2)
        n = 2;
    return n > MAX_STAFF ? MAX_STAFF : (int)(n + 0.5);
}

/* Yearly change of enrolment: urban schools grow, rural ones shrink,
 * kindergartens feel the falling birth rate, senior highs expand. */
static double growth(rng *r, const struct tpl *t)
{
    double gr;

    if (t->type == 341 || t->type == 342)
        return 0.01 + 0.02 * rng_unit(r);
    if (!RURAL(t->ur))
        gr = 0.005 + 0.025 * rng_unit(r);
    else if (t->ur == 121)
        gr = -0.015 + 0.025 * rng_unit(r);
    else
        gr = -0.06 + 0.04 * rng_unit(r);
    return t->type == 111 ? gr - 0.03 : gr;
}

static double boarding_share(rng *r, const struct tpl *t)
{
    double u = rng_unit(r);

    switch (t->type) {
    case 311: return t->ur >= 122 ? 0.25 + 0.25 * u
                   : t->ur == 121 ? 0.05 + 0.15 * u : 0;
    case 312: return t->ur >= 122 ? (0.25 + 0.25 * u) / 3
                   : t->ur == 121 ? (0.05 + 0.1 * u) / 3 : 0;
    case 341: return 0.4 + 0.2 * u;
    case 342: return RURAL(t->ur) ? 0.5 + 0.3 * u : 0.3 + 0.3 * u;
    case 365: return 0.2 + 0.3 * u;
    case 514: return 0.1 + 0.2 * u;
    default:  return 0;
    }
}

/* Share of disabled students in regular classes (随班就读). */
static double special_share(rng *r, const struct tpl *t)
{
    switch (t->type / 100) {
    case 2: return 0.001 + 0.005 * rng_unit(r);
    case 3: return t->type == 342 || t->type == 365 ? 0.001 * rng_unit(r)
                                                    : 0.001 + 0.004 * rng_unit(r);
    default: return 0;
    }
}

static int put_enrolment(struct gen *g, const struct school_ctx *s,
                         int *latest_students, int *latest_classes)
{
    const struct tpl *t = s->t;
    rng *r = &g->r;
    int students[ZX_DEMO_NYEARS], y, put, rc;
    double gr = growth(r, t), bs = boarding_share(r, t),
           ss = special_share(r, t);
    zx_enrol_rec e;

    students[ZX_DEMO_NYEARS - 1] =
        t->pin ? t->students
               : (int)(t->students * (0.88 + 0.24 * rng_unit(r)) + 0.5);
    for (y = ZX_DEMO_NYEARS - 2; y >= 0; y--)
        students[y] = (int)(students[y + 1] / (1 + gr) + 0.5);
    for (y = 0; y < ZX_DEMO_NYEARS; y++) {
        e.school_code = s->code;
        e.year = ZX_DEMO_FIRST_YEAR + y;
        e.students = students[y];
        e.classes = classes_for(t->type, students[y]);
        e.boarders = (int)(students[y] * bs + 0.5);
        e.special = (int)(students[y] * ss + 0.5);
        if ((rc = zx_registry_put_enrolment(g->reg, &e, &put)))
            return rc;
        g->st.students[y] += students[y];
        *latest_students = e.students;
        *latest_classes = e.classes;
    }
    return ZX_OK;
}

/* ---- roles ---- */

static int put_role(struct gen *g, const struct staff *t, const char *title,
                    const char *level, int start, int end)
{
    zx_role_rec rr;
    int put, rc;

    rr.teacher_no = t->no;
    rr.title = title;
    rr.level = level;
    rr.start_year = start;
    rr.end_year = end;
    if ((rc = zx_registry_put_role(g->reg, &rr, &put)))
        return rc;
    g->st.roles++;
    return ZX_OK;
}

/* A start year in 2015..NOW, not before the teacher is 26; 0 = too
 * young for the honour. */
static int role_start(rng *r, const struct staff *t, int from)
{
    int y = rng_range(r, from, NOW);

    if (y < t->byear + 26)
        y = t->byear + 26;
    return y > NOW ? 0 : y;
}

/* 学科带头人 > 骨干教师 > 教学能手: the career ladder, at most one rung
 * per teacher.  Honours run in three-year terms: some lapsed, some were
 * renewed (the renewal is a new dated record). */
static int ladder_role(struct gen *g, const struct school_ctx *s,
                       struct staff *t)
{
    static const char *const lead_lv[] = { "县级", "地市级", "省级" };
    static const int lead_w[] = { 74, 22, 4 };
    static const char *const back_lv[] = { "县级", "地市级" };
    static const int back_w[] = { 80, 20 };
    static const char *const able_lv[] = { "区镇级", "县级", "地市级" };
    static const int able_w[] = { 25, 65, 10 };
    rng *r = &g->r;
    double k = s->t->type == 111 ? 0.6 : 1;
    double pl = (s->strong ? 0.045 : 0.012) * k,
           pb = (s->strong ? 0.09 : 0.045) * k,
           ps = (s->strong ? 0.05 : 0.035) * k;
    double u = rng_unit(r);
    const char *title, *level;
    int start, end = 0, rc;

    if (t->emp != EMP_REG)
        return ZX_OK;
    if (u < pl && t->age >= 33 && t->age <= 57 && t->title >= T_1) {
        title = "学科带头人";
        level = lead_lv[rng_pick(r, lead_w, 3)];
        if (strcmp(level, "省级") == 0 && t->title < T_SENIOR)
            level = "地市级";
    } else if (u < pl + pb && t->age >= 28 && t->age <= 55 &&
               t->title >= T_1) {
        title = "骨干教师";
        level = back_lv[rng_pick(r, back_w, 2)];
    } else if (u < pl + pb + ps && t->age >= 25 && t->age <= 45 &&
               t->title >= T_2) {
        title = "教学能手";
        level = able_lv[rng_pick(r, able_w, 3)];
    } else
        return ZX_OK;

    if (!(start = role_start(r, t, 2015)))
        return ZX_OK;
    if (start <= NOW - 3 && rng_chance(r, 0.35))
        end = start + 2;
    if ((rc = put_role(g, t, title, level, start, end)))
        return rc;
    if (end && rng_chance(r, 0.6)) {
        start += 3;
        end = 0;
        if (strcmp(level, "县级") == 0 && rng_chance(r, 0.2))
            level = "地市级";
        if ((rc = put_role(g, t, title, level, start, 0)))
            return rc;
    }
    if (strcmp(title, "学科带头人") == 0 && !end) {
        t->leader_start = start;
        t->leader_level = level;
    }
    return ZX_OK;
}

/* Master-teacher studios are led by serving subject leaders. */
static int studio_role(struct gen *g, const struct staff *t)
{
    rng *r = &g->r;
    int start;

    if (!t->leader_start)
        return ZX_OK;
    if (!rng_chance(r, strcmp(t->leader_level, "县级") != 0 ? 0.5
                       : t->age >= 40 ? 0.15 : 0))
        return ZX_OK;
    start = rng_range(r, 2016, NOW);
    if (start < t->leader_start)
        start = t->leader_start;
    return put_role(g, t, "名师工作室领衔人", t->leader_level, start, 0);
}

/* Picks up to k of the school's teachers that pass ok(), at random, and
 * gives each the role, starting in 2017 + i with weight yw[i]. */
static int sample_role(struct gen *g, int n, int k,
                       int (*ok)(const struct staff *), const char *title,
                       const char *level, const int *yw)
{
    rng *r = &g->r;
    int m = 0, i, rc;

    for (i = 0; i < n; i++)
        if (ok(&g->staff[i]))
            g->idx[m++] = i;
    for (i = 0; i < k && i < m; i++) {
        int j = i + rng_below(r, m - i), tmp = g->idx[i];
        const struct staff *t;
        int start;
        g->idx[i] = g->idx[j];
        g->idx[j] = tmp;
        t = &g->staff[g->idx[i]];
        start = 2017 + rng_pick(r, yw, NOW - 2017 + 1);
        if (start < t->byear + 24)
            start = t->byear + 24;
        if (start > NOW)
            continue;
        if ((rc = put_role(g, t, title, level, start, 0)))
            return rc;
    }
    return ZX_OK;
}

static int ok_seed(const struct staff *t)
{
    return (t->emp == EMP_REG || t->emp == EMP_REC) && t->age <= 40;
}

static int ok_model(const struct staff *t)
{
    return t->emp == EMP_REG && t->age >= 33 && t->age <= 55;
}

static int ok_reserve(const struct staff *t)
{
    return t->emp == EMP_REG && t->post != POST_HEAD && t->byear >= 1980 &&
           t->byear <= 1999;
}

/* Rural schools get 种子教师 and 榜样教师 unevenly (the plan wants 2-3 and
 * 1-2 in every one, so its targets start unmet); 后备干部 born in the
 * 1980s and 1990s everywhere. */
static int school_roles(struct gen *g, const struct school_ctx *s, int n)
{
    /* start-year weights for 2017..NOW: the plan's stations opened 2020 */
    static const int seed_years[] = { 0, 0, 15, 35, 30, 20 };
    static const int reserve_years[] = { 15, 15, 15, 20, 20, 15 };
    static const int seed_k[] = { 30, 35, 22, 13 };
    static const int model_k[] = { 35, 45, 20 };
    static const int reserve_k[] = { 45, 40, 15 };
    rng *r = &g->r;
    int rc, k;

    if (s->rural) {
        if ((rc = sample_role(g, n, rng_pick(r, seed_k, 4), ok_seed,
                              "种子教师", "", seed_years)) ||
            (rc = sample_role(g, n, rng_pick(r, model_k, 3), ok_model,
                              "榜样教师", "", seed_years)))
            return rc;
        k = rng_pick(r, reserve_k, 3);
    } else
        k = n / 50 + rng_below(r, 2);
    return sample_role(g, n, k, ok_reserve, "后备干部", "县级",
                       reserve_years);
}

_Static_assert(NOW - 2017 + 1 == 6, "school_roles has a weight per year");

/* ---- one school ---- */

static int gen_school(struct gen *g, int seq, const struct tpl *t)
{
    rng *r = &g->r;
    struct school_ctx s;
    zx_school_rec sr;
    zx_teacher_rec tr;
    char name[128], group[128];
    double spread;
    int put, rc, students = 0, classes = 0, n, nvice, nmid, i;

    memset(&s, 0, sizeof(s));
    s.t = t;
    s.rural = RURAL(t->ur);
    s.strong = !s.rural || t->type == 342 || t->type == 341;
    s.stage2 = t->type == 312 ? ST_JUN : t->type == 341 ? ST_SEN : -1;
    s.stage2_share = t->type == 312 ? 0.4 : 0.6;
    /* small rural schools are likelier to miss a scarce subject */
    for (i = 0; i < 6; i++)
        if (rng_chance(r, t->students < 600 ? 0.45 : 0.75))
            s.scarce |= 1u << i;
    snprintf(s.code, sizeof(s.code), "%s%04d", g->codepfx, seq + 1);
    snprintf(name, sizeof(name), "%s%s", t->pfx == SHORT ? g->shrt : g->full,
             t->name);

    memset(&sr, 0, sizeof(sr));
    sr.code = s.code;
    sr.name = name;
    sr.town = g->town_names[t->town];
    if (t->group) {
        snprintf(group, sizeof(group), "%s%s", g->full,
                 group_names[t->group]);
        sr.group = group;
    }
    sr.type_code = t->type;
    sr.urban_rural = t->ur;
    sr.town_seat = t->ur <= 121;
    sr.owner = t->owner;
    sr.group_hq = t->hq;
    sr.has_lonlat = 1;
    spread = s.rural ? 0.035 : 0.012;
    sr.lon = round6(towns[t->town].lon + g->dlon +
                    (2 * rng_unit(r) - 1) * spread);
    sr.lat = round6(towns[t->town].lat + g->dlat +
                    (2 * rng_unit(r) - 1) * spread);
    if ((rc = zx_registry_put_school(g->reg, &sr, &put)))
        return rc;
    g->st.schools++;

    if ((rc = put_enrolment(g, &s, &students, &classes)))
        return rc;

    n = staff_count(r, &s, students, classes);
    nvice = n < 6 ? 0 : n < 40 ? 1 : n < 120 ? 2 : 3;
    nmid = n < 12 ? 0 : n / 18 + 1;
    for (i = 0; i < n; i++) {
        struct staff *t2 = &g->staff[i];
        make_teacher(g, &s, t2,
                     i == 0                ? POST_HEAD
                     : i <= nvice          ? POST_VICE
                     : i <= nvice + nmid   ? POST_MID
                                           : POST_TEACHER);
        tr.teacher_no = t2->no;
        tr.name = t2->name;
        tr.gender = t2->female ? 2 : 1;
        tr.birth = t2->birth;
        tr.school_code = s.code;
        tr.stage = stage_codes[t2->stage];
        tr.subject = t2->subject;
        tr.title = title_codes[t2->title];
        tr.employment = emp_codes[t2->emp];
        tr.post = post_codes[t2->post];
        tr.since_year = t2->since;
        tr.political = t2->political;
        if ((rc = zx_registry_put_teacher(g->reg, &tr, &put)))
            return rc;
        g->st.teachers++;
        g->st.substitutes += t2->emp == EMP_SUB;
    }
    for (i = 0; i < n; i++)
        if ((rc = ladder_role(g, &s, &g->staff[i])) ||
            (rc = studio_role(g, &g->staff[i])))
            return rc;
    return school_roles(g, &s, n);
}

/* Names, codes and place of county c. */
static void county_setup(struct gen *g, int c, int width)
{
    int i;

    if (c == 0) {
        strcpy(g->full, "海门市");
        strcpy(g->shrt, "海门");
        strcpy(g->codepfx, "320684");
        for (i = 0; i < NTOWNS; i++)
            snprintf(g->town_names[i], sizeof(g->town_names[i]), "%s",
                     towns[i].name);
        g->dlon = g->dlat = 0;
        return;
    }
    snprintf(g->full, sizeof(g->full), "合成县%0*d", width, c);
    strcpy(g->shrt, g->full);
    snprintf(g->codepfx, sizeof(g->codepfx), "329%03d", c);
    for (i = 0; i < NTOWNS; i++)
        snprintf(g->town_names[i], sizeof(g->town_names[i]), "%s·%s",
                 g->full, towns[i].name);
    /* somewhere in Jiangsu */
    g->dlon = 116.8 + 4.0 * rng_unit(&g->r) - HAIMEN_LON;
    g->dlat = 31.6 + 3.0 * rng_unit(&g->r) - HAIMEN_LAT;
}

int zx_demo_generate(zx_db *db, const zx_demo_opts *o,
                     zx_progress_fn progress, void *pctx,
                     zx_demo_stats *stats)
{
    struct gen g;
    char buf[32];
    int rc, c, i, width;
    long long done = 0, total;

    if (!o || o->scale < 1 || o->scale > ZX_DEMO_MAX_SCALE)
        return ZX_EINVAL;
    memset(&g, 0, sizeof(g));
    g.next_no = 1;
    total = (long long)o->scale * NTPL;
    width = o->scale <= 100 ? 2 : 3;

    rc = ZX_ENOMEM;
    g.staff = malloc(MAX_STAFF * sizeof(*g.staff));
    g.idx = malloc(MAX_STAFF * sizeof(*g.idx));
    if (!g.staff || !g.idx)
        goto fail;
    if ((rc = zx_db_begin(db)))
        goto fail;
    /* Demo data mixed into real data would pass for real: refuse. */
    if (zx_db_int(db, "SELECT count(*) FROM school", NULL, 0) != 0) {
        rc = ZX_EEXIST;
        goto fail;
    }
    if ((rc = zx_registry_open(db, o->actor ? o->actor : "demo", &g.reg)))
        goto fail;

    for (c = 0; c < o->scale; c++) {
        rng_seed(&g.r, o->seed, (uint64_t)c);
        county_setup(&g, c, width);
        for (i = 0; i < NTPL; i++) {
            if ((rc = gen_school(&g, i, &tpl[i])))
                goto fail;
            if (progress)
                progress(pctx, ++done, total);
        }
    }
    for (i = 0; i < zx_registry_created_count(g.reg); i++) {
        const char *kind, *name, *code;
        zx_registry_created(g.reg, i, &kind, &name, &code);
        if (strcmp(kind, "town") == 0)
            g.st.towns++;
        else
            g.st.groups++;
    }

    rc = ZX_EDB;
    snprintf(buf, sizeof(buf), "%llu", o->seed);
    if (zx_db_meta_set(db, "synthetic", "1") ||
        zx_db_meta_set(db, "synthetic_seed", buf))
        goto fail;
    snprintf(buf, sizeof(buf), "%d", o->scale);
    if (zx_db_meta_set(db, "synthetic_scale", buf))
        goto fail;
    zx_registry_close(g.reg);
    g.reg = NULL;
    if (zx_db_commit(db))
        goto fail;
    if (stats)
        *stats = g.st;
    free(g.staff);
    free(g.idx);
    return ZX_OK;

fail:
    zx_registry_close(g.reg);
    zx_db_rollback(db);
    free(g.staff);
    free(g.idx);
    return rc;
}
