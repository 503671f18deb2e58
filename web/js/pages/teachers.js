// teachers.js - 教师: the teachers of the schools the caller sees
// (search, filters by town, school, subject, stage and title, paging)
// and one teacher's record with the titles (称号) held over the years,
// and for the roles that change data an edit form checked by the server
// as an import row.
import { api } from '../api.js';
import { h, table, pageHead, loadCss, toast } from '../ui.js';
import { listView, filterSelect, searchBox, facts, editForm, exportButtons, unitChoices } from './registry.js';

// The code lists of the teacher sheet by name (src/core/codes.c); as in
// schools.js, the API has none to ask and accepts names, so a drift here
// shows as a 422 beside its field.
const GENDERS = ['男', '女'];
const STAGES = ['学前', '小学', '初中', '高中', '中职', '特教'];
const SUBJECTS = ['品德与生活(社会)', '思想品德(政治)', '语文', '数学', '科学', '物理', '化学', '生物',
  '历史与社会', '地理', '历史', '体育与健康', '艺术', '音乐', '美术', '信息技术(高中)', '通用技术',
  '外语', '英语', '日语', '俄语', '其他外国语', '综合实践活动', '信息技术(小学/初中)', '劳动与技术',
  '学前教育', '心理健康', '特殊教育'];
const TITLES = ['正高级教师', '高级教师', '一级教师', '二级教师', '三级教师', '未定职级'];
const EMPLOYMENT = ['在编', '备案制', '代课', '银龄', '其他'];
const POSTS = ['专任教师', '校长', '副校长', '中层干部', '其他'];
const POLITICAL = ['中共党员', '中共预备党员', '共青团员', '民革党员', '民盟盟员', '民建会员', '民进会员',
  '农工党党员', '致公党党员', '九三学社社员', '台盟盟员', '无党派人士', '群众'];

// The teacher sheet as the edit form shows it (README, 教师).
const SPECS = [
  { name: 'name', label: '姓名', help: '不超过 30 个字' },
  { name: 'gender', label: '性别', options: GENDERS },
  { name: 'birth', label: '出生年月', help: '如 1985-03 或 1985年3月' },
  { name: 'school_code', label: '学校标识码', help: '调往其他学校时填写新学校的 10 位标识码' },
  { name: 'stage', label: '任教学段', options: STAGES },
  { name: 'subject', label: '任教学科', options: SUBJECTS },
  { name: 'title', label: '职称', options: TITLES },
  { name: 'employment', label: '用工类型', options: EMPLOYMENT },
  { name: 'post', label: '岗位', options: POSTS },
  { name: 'since_year', label: '本校任职起始年份', help: '到本校任职的年份，如 2015' },
  { name: 'political', label: '政治面貌', optional: true, options: POLITICAL },
];

export async function render(main, ctx) {
  loadCss('registry');
  if (ctx.params.no) await renderTeacher(main, ctx);
  else await renderList(main, ctx);
}

const teacherLink = (t, text) => h('a', { href: `#/teacher/${encodeURIComponent(t.teacher_no)}` }, text);
const names = (list) => list.map((n) => [n, n]);

async function renderList(main, { query, me }) {
  const state = {
    q: query.q || '', town: query.town || '', school: query.school || '',
    subject: query.subject || '', stage: query.stage || '', title: query.title || '',
    page: +query.page || 1, sort: query.sort || '', desc: query.desc || '',
  };
  const col = (title, key) => ({ title, sort: key, value: (t) => t[key], get: (t) => t[key] || '—' });
  const columns = [
    { title: '教师编号', sort: 'teacher_no', value: (t) => t.teacher_no, get: (t) => teacherLink(t, t.teacher_no) },
    { title: '姓名', sort: 'name', value: (t) => t.name, get: (t) => teacherLink(t, t.name) },
    col('性别', 'gender'), col('出生年月', 'birth'),
    { title: '学校', sort: 'school_name', value: (t) => t.school_name,
      get: (t) => h('a', { href: `#/school/${encodeURIComponent(t.school_code)}` }, t.school_name || t.school_code) },
    col('任教学段', 'stage'), col('任教学科', 'subject'), col('职称', 'title'),
    col('岗位', 'post'), col('用工类型', 'employment'),
  ];
  const view = listView({
    hashPath: '/teachers', state, columns, empty: '没有符合条件的教师',
    fetch: (st) => api.get('/api/teachers', {
      q: st.q, town: st.town, school: st.school, subject: st.subject, stage: st.stage,
      title: st.title, page: st.page,
    }),
  });
  const set = (key) => (v) => { state[key] = v; view.reload(true); };

  // Towns to choose from for a city-wide account; the school choice is
  // then the chosen town's schools, or for any other account every
  // school it sees (a town's, an inspector's), so that neither list is
  // the whole city at once.
  const towns = me.unit && me.unit.kind === 'city' ? await unitChoices('town') : [];
  const byTown = towns.length > 1;
  if (byTown && state.school && !state.town) {
    // arriving from a school's record: its town opens the school choice
    const found = (await api.get('/api/units', { kind: 'school', q: state.school })).items
      .find((u) => u.code === state.school);
    if (found) state.town = found.parent;
  }
  const schoolSlot = h('span.slot');
  let fills = 0;
  const fillSchools = async () => {
    const mine = ++fills;
    const schools = !byTown ? await unitChoices('school')
      : state.town ? await unitChoices('school', state.town) : [];
    if (mine !== fills) return;   // the town changed again meanwhile
    schoolSlot.replaceChildren(byTown && !state.town
      ? h('select', { name: 'school', disabled: true }, h('option', '全部学校（先选区镇）'))
      : schools.length > 1 ? filterSelect('school', [['', '全部学校'], ...schools], state.school, set('school')) : '');
  };
  await fillSchools();

  const toolbar = h('div.toolbar',
    searchBox('教师编号或姓名', state.q, set('q')),
    byTown ? filterSelect('town', [['', '全部区镇'], ...towns], state.town, (v) => {
      state.town = v;
      state.school = '';
      fillSchools().catch((e) => toast(e.message, 'error'));
      view.reload(true);
    }) : null,
    schoolSlot,
    filterSelect('stage', [['', '全部学段'], ...names(STAGES)], state.stage, set('stage')),
    filterSelect('subject', [['', '全部学科'], ...names(SUBJECTS)], state.subject, set('subject')),
    filterSelect('title', [['', '全部职称'], ...names(TITLES)], state.title, set('title')),
    h('span.hint', '点击表头可对本页排序'));

  main.replaceChildren(pageHead('教师', ...exportButtons(me, 'teachers')), toolbar, view.el);
  await view.reload();
}

async function renderTeacher(main, { params, me }) {
  const show = (t) => {
    const editing = h('section.section', { hidden: true }, h('h3', '修改教师信息'),
      editForm(SPECS, t, {
        me,
        cancel: () => show(t),
        save: (body) => api.put(`/api/teachers/${encodeURIComponent(t.teacher_no)}`, body),
        saved: (r) => {
          toast(r.changed ? '已保存' : '内容没有变化');
          show(r.teacher);
        },
      }));
    const edit = me.writes ? h('button', {
      type: 'button',
      onclick: () => {
        editing.hidden = false;
        edit.disabled = true;
        editing.querySelector('input, select').focus();
      },
    }, '修改信息') : null;

    main.replaceChildren(
      h('div.crumbs', h('a', { href: '#/teachers' }, '教师'), '› ', `${t.name}（${t.teacher_no}）`),
      pageHead(`${t.name}（${t.teacher_no}）`, edit),
      h('div.record',
        h('section.section', h('h3', '基本信息'), facts([
          ['教师编号', t.teacher_no], ['姓名', t.name], ['性别', t.gender], ['出生年月', t.birth],
          ['学校', h('a', { href: `#/school/${encodeURIComponent(t.school_code)}` },
            `${t.school_name || ''}（${t.school_code}）`)],
          ['任教学段', t.stage], ['任教学科', t.subject], ['职称', t.title],
          ['用工类型', t.employment], ['岗位', t.post], ['本校任职起始年份', String(t.since_year)],
          ['政治面貌', t.political],
        ])),
        h('section.section', h('h3', '称号'), table([
          { title: '称号', get: (r) => r.role },
          { title: '级别', get: (r) => r.level || '—' },
          { title: '起始年份', get: (r) => String(r.start_year) },
          { title: '截止年份', get: (r) => (r.end_year === null ? '至今' : String(r.end_year)) },
        ], t.roles, { empty: '没有称号记录' }))),
      editing);
  };
  show(await api.get(`/api/teachers/${encodeURIComponent(params.no)}`));
}
