/*
 * sheetdef.c - the registry sheets (see sheetdef.h).  Required headers
 * follow the foundation issue exactly; English aliases are the field names.
 */
#include "sheetdef.h"
#include "text.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#define DEF(kind, title, cols, key) \
    { kind, title, cols, (int)(sizeof(cols) / sizeof(cols[0])), key }

static const zx_coldef schools[] = {
    { "school_code", "学校标识码", "标识码|school_id", 1, ZX_COL_TEXT, NULL,
      0, 0, 10, 10, "10 位数字的全国学校标识码，每校唯一" },
    { "name", "学校名称", "名称|学校", 1, ZX_COL_TEXT, NULL, 0, 0, 60, 0,
      "学校全称" },
    { "town", "区镇", "所属区镇|区/镇", 1, ZX_COL_TEXT, NULL, 0, 0, 30, 0,
      "学校所在区镇；首次出现的区镇会自动新建，并在导入结果中列出" },
    { "school_type", "办学类型", "", 1, ZX_COL_CODE, "school_type", 0, 0, 0,
      0, "办学类型代码或名称" },
    { "urban_rural", "城乡类型", "所在地城乡类型", 1, ZX_COL_CODE,
      "urban_rural", 0, 0, 0, 0, "所在地城乡类型代码或名称" },
    { "town_seat", "建制镇所在地", "town_seat", 1, ZX_COL_CODE, "yesno", 0,
      0, 0, 0, "学校是否位于建制镇所在地（是/否）" },
    { "owner", "办学性质", "学校办别", 1, ZX_COL_CODE, "owner", 0, 0, 0, 0,
      "公办或民办" },
    { "group", "所属集团", "集团|所属联盟|所属共同体", 0, ZX_COL_TEXT,
      NULL, 0, 0, 60, 0,
      "所属教育集团、联盟或共同体名称；首次出现的会自动新建" },
    { "group_hq", "集团总校", "是否集团总校", 0, ZX_COL_CODE, "yesno", 0, 0,
      0, 0, "是否为所属集团的总校（是/否）；每个集团只有一所总校" },
    { "lon", "经度", "longitude", 0, ZX_COL_DEC, NULL, 73, 136, 0, 0,
      "十进制度数，73～136" },
    { "lat", "纬度", "latitude", 0, ZX_COL_DEC, NULL, 3, 54, 0, 0,
      "十进制度数，3～54" },
};

static const zx_coldef enrolment[] = {
    { "school_code", "学校标识码", "标识码|school_id", 1, ZX_COL_TEXT, NULL,
      0, 0, 10, 10, "须为已导入的学校" },
    { "year", "年度", "学年|年份", 1, ZX_COL_YEAR, NULL, 2000, 2100, 0, 0,
      "统计年度，如 2020" },
    { "students", "在校生数", "学生数", 1, ZX_COL_INT, NULL, 0, 100000, 0, 0,
      "在校学生总数" },
    { "classes", "班级数", "班数", 1, ZX_COL_INT, NULL, 0, 2000, 0, 0,
      "教学班数" },
    { "boarders", "寄宿生数", "住校生数", 0, ZX_COL_INT, NULL, 0, 100000, 0,
      0, "寄宿学生数，不超过在校生数；空为 0" },
    { "special", "随班就读残疾学生数", "随班就读学生数", 0, ZX_COL_INT, NULL,
      0, 100000, 0, 0, "随班就读的残疾学生数，不超过在校生数；空为 0" },
};

static const zx_coldef teachers[] = {
    { "teacher_no", "教师编号", "工号|teacher_id", 1, ZX_COL_TEXT, NULL, 0,
      0, 32, -1, "全市唯一的教师编号（字母、数字、-、_）" },
    { "name", "姓名", "教师姓名", 1, ZX_COL_TEXT, NULL, 0, 0, 30, 0, "" },
    { "gender", "性别", "", 1, ZX_COL_CODE, "gender", 0, 0, 0, 0, "男或女" },
    { "birth", "出生年月", "出生日期", 1, ZX_COL_MONTH, NULL, 0, 0, 0, 0,
      "如 1985-03、1985年3月、1985/3/12；Excel 日期亦可" },
    { "school_code", "学校标识码", "标识码|school_id", 1, ZX_COL_TEXT, NULL,
      0, 0, 10, 10, "任职学校，须为已导入的学校" },
    { "stage", "任教学段", "学段", 1, ZX_COL_CODE, "stage", 0, 0, 0, 0, "" },
    { "subject", "任教学科", "学科", 1, ZX_COL_CODE, "subject", 0, 0, 0, 0,
      "学科代码或名称" },
    { "title", "职称", "专业技术职务", 1, ZX_COL_CODE, "title", 0, 0, 0, 0,
      "" },
    { "employment", "用工类型", "用工形式", 1, ZX_COL_CODE, "employment", 0,
      0, 0, 0, "" },
    { "post", "岗位", "职务", 1, ZX_COL_CODE, "post", 0, 0, 0, 0, "" },
    { "since_year", "本校任职起始年份", "到校年份|本校任职年份", 1,
      ZX_COL_YEAR, NULL, 1950, 0, 0, 0, "到本校任职的年份，如 2015" },
    { "political", "政治面貌", "", 0, ZX_COL_CODE, "political", 0, 0, 0, 0,
      "" },
};

static const zx_coldef roles[] = {
    { "teacher_no", "教师编号", "工号|teacher_id", 1, ZX_COL_TEXT, NULL, 0,
      0, 32, -1, "须为已导入的教师" },
    { "role", "称号", "荣誉称号|角色", 1, ZX_COL_CODE, "role_title", 0, 0, 0,
      0, "" },
    { "level", "级别", "", 2, ZX_COL_CODE, "role_level", 0, 0, 0, 0,
      "学科带头人、骨干教师、教学能手、名师工作室领衔人须填写；其余可空" },
    { "start_year", "起始年份", "获得年份|认定年份", 1, ZX_COL_YEAR, NULL,
      1980, 0, 0, 0, "" },
    { "end_year", "截止年份", "", 0, ZX_COL_YEAR, NULL, 1980, 2100, 0, 0,
      "空表示仍然有效；不早于起始年份" },
};

static const zx_sheetdef defs[] = {
    DEF("schools", "学校", schools, "学校标识码"),
    DEF("enrolment", "在校生", enrolment, "学校标识码 + 年度"),
    DEF("teachers", "教师", teachers, "教师编号"),
    DEF("roles", "教师称号", roles, "教师编号 + 称号 + 级别 + 起始年份"),
};

const zx_sheetdef *zx_sheetdef_all(int *n)
{
    *n = (int)(sizeof(defs) / sizeof(defs[0]));
    return defs;
}

const zx_sheetdef *zx_sheetdef_get(const char *kind)
{
    size_t i;

    for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
        if (strcmp(defs[i].kind, kind) == 0)
            return &defs[i];
    return NULL;
}

static int in_list(const char *list, const char *v)
{
    size_t vlen = strlen(v);
    const char *p = list;

    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == vlen && strncasecmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

int zx_sheetdef_match(const zx_sheetdef *def, const char *text)
{
    char buf[256];
    size_t len;
    char *paren;
    int i;

    if (strlen(text) >= sizeof(buf))
        return -1;
    len = zx_text_norm(text, buf, ZX_NORM_PUNCT | ZX_NORM_SQUASH);
    /* "建制镇所在地(是/否)": the note in brackets is not part of the name */
    paren = strchr(buf, '(');
    if (paren && paren != buf && buf[len - 1] == ')')
        *paren = '\0';
    for (i = 0; i < def->n; i++) {
        const zx_coldef *c = &def->cols[i];
        if (strcmp(c->header, buf) == 0 || strcasecmp(c->field, buf) == 0 ||
            in_list(c->aliases, buf))
            return i;
    }
    return -1;
}

int zx_sheetdef_year_max(const zx_coldef *col)
{
    time_t now;
    struct tm tm;

    if (col->max > 0)
        return (int)col->max;
    now = time(NULL);
    localtime_r(&now, &tm);
    return tm.tm_year + 1900;
}
