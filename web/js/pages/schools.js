// schools.js - 学校: the schools the caller sees (search, filters by
// town, type and rural, paging) and one school's record: its fields,
// every year of its enrolment, its teachers counted, and for the roles
// that change data an edit form checked by the server as an import row.
import { api } from '../api.js';
import { h, fmt, table, pageHead, loadCss, toast } from '../ui.js';
import { listView, filterSelect, searchBox, facts, editForm, exportButtons, unitChoices } from './registry.js';

// The code lists of the school sheet by name (src/core/codes.c).  The
// API has no list of codes to ask, and the server accepts a name as
// well as a code, so a name here that drifted from the server would come
// back as a 422 beside its field rather than change anything.
const SCHOOL_TYPES = ['幼儿园', '附设幼儿班', '小学', '小学教学点', '附设小学班', '初级中学',
  '九年一贯制学校', '附设普通初中班', '完全中学', '高级中学', '十二年一贯制学校', '职业高中学校',
  '盲人学校', '聋人学校', '弱智学校', '其他特殊教育学校', '附设特教班'];
const URBAN_RURAL = ['主城区', '城乡结合区', '镇中心区', '镇乡结合区', '特殊区域', '乡中心区', '村庄'];
const OWNERS = ['公办', '民办'];
const YES_NO = ['是', '否'];

// The stage families the server filters by (zx_codes_family): a family
// takes in the through-train schools that teach the stage.
const FAMILIES = [
  ['compulsory', '义务教育学校'], ['kindergarten', '幼儿园（含附设班）'],
  ['primary', '有小学学段'], ['junior', '有初中学段'], ['senior', '有高中学段'],
  ['special', '特殊教育学校'], ['vocational', '职业学校'],
];

// The school sheet as the edit form shows it (README, 学校).
const SPECS = [
  { name: 'name', label: '学校名称', help: '学校全称，不超过 60 个字' },
  { name: 'town', label: '区镇', adminOnly: true, help: '首次出现的区镇会自动新建' },
  { name: 'school_type', label: '办学类型', options: SCHOOL_TYPES },
  { name: 'urban_rural', label: '城乡类型', options: URBAN_RURAL },
  { name: 'town_seat', label: '建制镇所在地', options: YES_NO },
  { name: 'owner', label: '办学性质', options: OWNERS },
  { name: 'group', label: '所属集团', optional: true, adminOnly: true, help: '首次出现的集团会自动新建' },
  { name: 'group_hq', label: '集团总校', optional: true, adminOnly: true, options: YES_NO },
  { name: 'lon', label: '经度', optional: true, help: '十进制度数，73～136；与纬度同时填写' },
  { name: 'lat', label: '纬度', optional: true, help: '十进制度数，3～54；与经度同时填写' },
];

export async function render(main, ctx) {
  loadCss('registry');
  if (ctx.params.code) await renderSchool(main, ctx);
  else await renderList(main, ctx);
}

const schoolLink = (s, text) => h('a', { href: `#/school/${encodeURIComponent(s.school_code)}` }, text);

async function renderList(main, { query, me }) {
  const state = {
    q: query.q || '', town: query.town || '', type: query.type || '', rural: query.rural || '',
    page: +query.page || 1, sort: query.sort || '', desc: query.desc || '',
  };
  const columns = [
    { title: '学校标识码', sort: 'code', value: (s) => s.school_code, get: (s) => schoolLink(s, s.school_code) },
    { title: '学校名称', sort: 'name', value: (s) => s.name, get: (s) => schoolLink(s, s.name) },
    { title: '区镇', sort: 'town', value: (s) => s.town, get: (s) => s.town },
    { title: '办学类型', sort: 'type', value: (s) => s.school_type, get: (s) => s.school_type },
    { title: '城乡类型', sort: 'urban', value: (s) => s.urban_rural,
      get: (s) => [s.urban_rural, s.rural ? h('span.tag.rural', '乡村') : null] },
    { title: '办学性质', sort: 'owner', value: (s) => s.owner, get: (s) => s.owner },
    { title: '在校生数', num: true, sort: 'students', value: (s) => s.latest && s.latest.students,
      get: (s) => fmt(s.latest && s.latest.students) },
    { title: '班级数', num: true, sort: 'classes', value: (s) => s.latest && s.latest.classes,
      get: (s) => fmt(s.latest && s.latest.classes) },
    { title: '统计年度', num: true, sort: 'year', value: (s) => s.latest && s.latest.year,
      get: (s) => (s.latest ? String(s.latest.year) : '—') },
  ];
  const view = listView({
    hashPath: '/schools', state, columns, empty: '没有符合条件的学校',
    fetch: (st) => api.get('/api/schools', { q: st.q, town: st.town, type: st.type, rural: st.rural, page: st.page }),
  });
  const set = (key) => (v) => { state[key] = v; view.reload(true); };

  // a town filter only where there is a choice of towns: a city-wide
  // account; an inspector's assigned schools are not whole towns
  const towns = me.unit && me.unit.kind === 'city' ? await unitChoices('town') : [];
  const toolbar = h('div.toolbar',
    searchBox('学校名称或标识码', state.q, set('q')),
    towns.length > 1 ? filterSelect('town', [['', '全部区镇'], ...towns], state.town, set('town')) : null,
    filterSelect('type', [['', '全部类型'],
      { group: '按学段', options: FAMILIES },
      { group: '按办学类型', options: SCHOOL_TYPES.map((t) => [t, t]) }], state.type, set('type')),
    filterSelect('rural', [['', '城乡不限'], ['1', '乡村学校'], ['0', '城镇学校']], state.rural, set('rural')),
    h('span.hint', '点击表头可对本页排序'));

  main.replaceChildren(pageHead('学校', ...exportButtons(me, 'schools')), toolbar, view.el);
  await view.reload();
}

async function renderSchool(main, { params, me }) {
  const show = (s) => {
    const editing = h('section.section', { hidden: true }, h('h3', '修改学校信息'),
      editForm(SPECS, s, {
        me,
        cancel: () => show(s),
        save: (body) => api.put(`/api/schools/${encodeURIComponent(s.school_code)}`, body),
        saved: (r) => {
          const made = r.created.map((u) => `${u.kind === 'town' ? '区镇' : '集团'}“${u.name}”`);
          toast(r.changed ? `已保存${made.length ? `，并新建了${made.join('、')}` : ''}` : '内容没有变化');
          show(r.school);
        },
      }));
    const edit = me.writes ? h('button', {
      type: 'button',
      onclick: () => {
        editing.hidden = false;
        edit.disabled = true;
        editing.querySelector('input:not([disabled]), select:not([disabled])').focus();
      },
    }, '修改信息') : null;

    main.replaceChildren(
      h('div.crumbs', h('a', { href: '#/schools' }, '学校'), '› ', s.name),
      pageHead(s.name, edit),
      h('div.record',
        h('section.section', h('h3', '基本信息'), facts([
          ['学校标识码', s.school_code], ['学校名称', s.name], ['区镇', s.town],
          ['办学类型', s.school_type],
          ['城乡类型', [s.urban_rural, s.rural ? h('span.tag.rural', '乡村') : null]],
          ['建制镇所在地', s.town_seat], ['办学性质', s.owner], ['所属集团', s.group],
          ['集团总校', s.group_hq],
          ['经纬度', s.lon === null ? null : `${s.lon}, ${s.lat}`],
        ])),
        teachersSection(s)),
      h('section.section', h('h3', '在校生'), enrolmentTable(s.enrolment)),
      editing);
  };
  show(await api.get(`/api/schools/${encodeURIComponent(params.code)}`));
}

function enrolmentTable(years) {
  return table([
    { title: '年度', get: (y) => String(y.year) },
    { title: '在校生数', num: true, get: (y) => fmt(y.students) },
    { title: '班级数', num: true, get: (y) => fmt(y.classes) },
    { title: '寄宿生数', num: true, get: (y) => fmt(y.boarders) },
    { title: '随班就读残疾学生数', num: true, get: (y) => fmt(y.special) },
  ], [...years].reverse(), { empty: '还没有在校生数据' });
}

// The school's teachers counted by stage and by title, with the way to
// the list of them.
function teachersSection(s) {
  const counts = (title, by) => table([
    { title, get: ([k]) => k },
    { title: '人数', num: true, get: ([, n]) => fmt(n) },
  ], Object.entries(by), { empty: '—' });
  const list = `#/teachers?school=${encodeURIComponent(s.school_code)}`;
  return h('section.section', h('h3', '教师'),
    h('p', `共 ${fmt(s.teachers.total)} 人 `, s.teachers.total ? h('a', { href: list }, '查看教师名单') : null),
    h('div.counts', counts('任教学段', s.teachers.by_stage), counts('职称', s.teachers.by_title)));
}
