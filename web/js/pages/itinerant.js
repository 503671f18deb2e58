// itinerant.js - 走教安排 (#/itinerant): itinerant teaching of scarce
// subjects (clauses 3.4.3-T10, 3.5.2-R4, itinerant.h).  The weekly lessons
// each school lacks and those covered, as a chart and a table; for the
// office (管理员) filling the pool of itinerant teachers and planning the
// week; the week itself as a grid Monday to Friday per teacher or per
// school (one school a teacher a day, which the server guarantees); and
// the timetables as Excel workbooks.
//
// What a role sees is decided by the server: a school clerk gets only
// its own school's needs and days, and of a teacher from a school out of
// sight only the name.
import { api, download } from '../api.js';
import { h, fmt, table, toast, pageHead, notice, loadCss, yearSelect } from '../ui.js';
import { mountChart } from './dashboard.js';

const ADMIN = '管理员';
const DAYS = ['星期一', '星期二', '星期三', '星期四', '星期五'];
const CHART_SCHOOLS = 40;

const pct = (v) => (v === null || v === undefined ? '—' : `${fmt(Math.round(v * 10) / 10)}%`);
// A teacher as the grid keys them: the number, or the name when the
// server gives no number (a teacher from a school out of sight).
const teacherKey = (d) => d.teacher_no || `name:${d.teacher_name}`;

export async function render(main, ctx) {
  loadCss('teaching');
  loadCss('itinerant');
  const { query, me, go } = ctx;
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const [needs, pool, week] = await Promise.all([
    api.get('/api/itinerant/needs', { year }),
    api.get('/api/itinerant/pool', { year }),
    api.get('/api/itinerant/timetable', { year }),
  ]);
  const admin = me.role === ADMIN;
  const reload = () => (main.isConnected ? render(main, ctx) : null);

  const yearSel = yearSelect(plan.years, year, (y) => go(`#/itinerant?year=${y}`));

  main.replaceChildren(h('div.page-teaching.page-itinerant',
    pageHead('走教安排', yearSel),
    summary(needs, pool, week),
    admin ? tools(year, reload) : null,
    needsSection(needs, year),
    weekSection(week, year, query),
    poolSection(pool)));
  drawChart(main.querySelector('.it-chart'), needs.items);
}

function summary(needs, pool, week) {
  const stat = (cls, label, value, small) => h(`div.${cls}`, h('dt', label), h('dd', h('span.v', value), small ? h('small', small) : null));
  const teachers = new Set(week.items.map(teacherKey)).size;
  return h('div.card.it-summary', h('dl.tch-stats',
    stat('it-lacking', '每周缺口课时', fmt(needs.lacking), '节'),
    stat('it-covered', '走教已覆盖', fmt(needs.covered), `节 · ${pct(needs.share)}`),
    stat('it-teachers', '走教教师', fmt(teachers), `人（名单 ${pool.items.length} 人）`),
    stat('it-days', '每周走教', fmt(week.items.length), '天次')));
}

// The office's tools: the pool from the rule, then the week.
function tools(year, reload) {
  const result = h('p.tch-result.it-result', { role: 'status' });
  const run = (btn, fn) => async () => {
    btn.disabled = true;
    result.className = 'tch-result it-result';
    result.textContent = '处理中…';
    try {
      result.textContent = await fn();
      result.classList.add('ok');
      toast(result.textContent);
      setTimeout(reload, 600);
    } catch (e) {
      result.textContent = e.message;
      result.classList.add('error');
    } finally {
      btn.disabled = false;
    }
  };
  const fill = h('button', { type: 'button' }, '生成走教名单');
  fill.addEventListener('click', run(fill, async () => {
    const r = await api.post('/api/itinerant/pool', { action: 'fill', year });
    return `走教名单已按规则生成：新加入 ${r.added} 名教师`;
  }));
  const planBtn = h('button.primary', { type: 'button' }, '排出走教安排');
  planBtn.addEventListener('click', run(planBtn, async () => {
    const r = await api.post('/api/itinerant/plan', { year });
    return `已排出 ${r.year} 年走教安排：${r.teachers} 名教师、${r.days} 天次，`
      + `覆盖 ${fmt(r.covered)} / ${fmt(r.lacking)} 节（${pct(r.share)}）`;
  }));
  return h('div.card.it-tools',
    h('p.muted', '名单取城区学校、建制镇所在地学校和集团总校中任教紧缺学科的教师；'
      + '排课时教师只教本学科，单程路程、每周课时、每天课时和每周学校数不超过规则'
      + '（规则见 zhenxing rules list itinerant），每天只去一所学校。'),
    h('div.tch-buttons', fill, planBtn), result);
}

// Per school: lacking and covered summed over subjects.
function bySchool(items) {
  const m = new Map();
  for (const n of items) {
    if (!m.has(n.school_code)) m.set(n.school_code, { code: n.school_code, name: n.school_name, lacking: 0, covered: 0 });
    const s = m.get(n.school_code);
    s.lacking += n.lacking;
    s.covered += n.covered;
  }
  return [...m.values()];
}

function needsSection(needs, year) {
  const exportBtn = h('button', {
    type: 'button', class: 'it-export-needs',
    onclick: () => download('/api/itinerant/needs', { year, format: 'xlsx' }),
  }, '导出 Excel');
  const schools = bySchool(needs.items);
  return h('div.section.it-needs',
    h('div.page-head', h('h3', '各校紧缺学科缺口与走教覆盖', h('span.n', `${schools.length} 所学校`)),
      h('div.actions', needs.items.length ? exportBtn : null)),
    needs.items.length
      ? [
        h('p.chart-title', schools.length > CHART_SCHOOLS ? `每周缺口课时最多的 ${CHART_SCHOOLS} 所学校` : '各校每周缺口课时'),
        h('div.chart.it-chart', { style: `height: ${Math.max(220, Math.min(schools.length, CHART_SCHOOLS) * 22 + 60)}px` }),
        h('details.it-needs-table', h('summary', '逐校逐学科明细'), table([
          { title: '学校', get: (n) => n.school_name },
          { title: '区镇', get: (n) => n.town || '—' },
          { title: '学科', get: (n) => n.subject_name },
          { title: '每周缺口', num: true, get: (n) => fmt(n.lacking) },
          { title: '已覆盖', num: true, get: (n) => fmt(n.covered) },
          { title: '覆盖率', num: true, get: (n) => pct(n.lacking > 0 ? (100 * n.covered) / n.lacking : null) },
        ], needs.items)),
      ]
      : notice('当年没有紧缺学科缺口数据（由编制测算写入）。'));
}

function drawChart(el, items) {
  if (!el || typeof echarts === 'undefined') return;
  const rows = bySchool(items).sort((a, b) => b.lacking - a.lacking).slice(0, CHART_SCHOOLS).reverse();
  mountChart(el, {
    animation: false,
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${fmt(v)} 节` },
    xAxis: { type: 'value', name: '节/周' },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      { name: '已覆盖', type: 'bar', stack: 'h', data: rows.map((r) => r.covered), color: '#2e7d32' },
      { name: '未覆盖', type: 'bar', stack: 'h', data: rows.map((r) => Math.max(0, r.lacking - r.covered)), color: '#c62828' },
    ],
  });
}

// The week: pick a teacher or a school; the grid has one column a day.
function weekSection(week, year, query) {
  const teachers = new Map();
  const schools = new Map();
  for (const d of week.items) {
    if (!teachers.has(teacherKey(d))) teachers.set(teacherKey(d), { key: teacherKey(d), no: d.teacher_no, name: d.teacher_name, subject: d.subject_name, home: d.home_name });
    if (!schools.has(d.school_code)) schools.set(d.school_code, { key: d.school_code, name: d.school_name });
  }
  if (!week.items.length)
    return h('div.section.it-week', h('h3', '走教周课表'), notice('当年没有走教安排。'));
  const state = {
    view: query.view === 'school' || !teachers.size ? 'school' : 'teacher',
    teacher: query.teacher && teachers.has(query.teacher) ? query.teacher : [...teachers.keys()][0],
    school: query.school && schools.has(query.school) ? query.school : [...schools.keys()][0],
  };
  const holder = h('div.it-grid-holder');
  const tabs = h('nav.tch-tabs.it-views', { 'aria-label': '课表视图' });
  const picker = h('span.it-picker');
  const exportBtn = h('button', { type: 'button', class: 'it-export' }, '导出课表 Excel');
  exportBtn.addEventListener('click', () => {
    const t = teachers.get(state.teacher);
    const args = state.view === 'teacher' && t && t.no ? { year, teacher: t.no, format: 'xlsx' }
      : state.view === 'school' ? { year, school: state.school, format: 'xlsx' } : { year, format: 'xlsx' };
    download('/api/itinerant/timetable', args);
  });

  const draw = () => {
    tabs.replaceChildren(...[['teacher', '按教师'], ['school', '按学校']].map(([v, label]) => h('button', {
      type: 'button', class: state.view === v ? 'active' : null, dataset: { view: v },
      onclick: () => { state.view = v; draw(); },
    }, label)));
    const list = state.view === 'teacher' ? [...teachers.values()] : [...schools.values()];
    const sel = h('select', {
      name: state.view, 'aria-label': state.view === 'teacher' ? '教师' : '学校',
      onchange: (e) => { state[state.view] = e.target.value; draw(); },
    }, list.map((x) => h('option', { value: x.key, selected: x.key === state[state.view] },
      state.view === 'teacher' ? `${x.name}（${x.subject}${x.home ? `，${x.home}` : ''}）` : x.name)));
    picker.replaceChildren(sel);
    holder.replaceChildren(state.view === 'teacher'
      ? teacherGrid(week.items.filter((d) => teacherKey(d) === state.teacher))
      : schoolGrid(week.items.filter((d) => d.school_code === state.school)));
  };
  draw();
  return h('div.section.it-week',
    h('div.page-head', h('h3', '走教周课表'), h('div.actions', exportBtn)),
    h('div.it-controls', tabs, picker), holder);
}

const dayHead = () => h('thead', h('tr', DAYS.map((d) => h('th', d))));

// One teacher's week: every day at most one school (the server's key);
// the grid shows whatever a day holds, so a double booking would show.
function teacherGrid(days) {
  const cell = (i) => {
    const list = days.filter((x) => x.day === i + 1);
    return h(`td.it-day.${list.length ? 'busy' : 'free'}`, { dataset: { day: i + 1 } },
      list.length ? list.map((d) => h('div.it-visit', { dataset: { school: d.school_code } },
        h('strong.it-school', d.school_name), h('div', `${d.subject_name} ${fmt(d.hours)} 节`),
        h('div.muted', d.travel_min === null ? '' : `单程约 ${fmt(Math.round(d.travel_min))} 分钟`))) : '—');
  };
  return h('table.grid.it-grid.it-teacher-grid', dayHead(), h('tbody', h('tr', DAYS.map((_, i) => cell(i)))));
}

// One school's week: every teacher who comes that day.
function schoolGrid(days) {
  const cell = (i) => {
    const list = days.filter((x) => x.day === i + 1);
    return h(`td.it-day.${list.length ? 'busy' : 'free'}`, { dataset: { day: i + 1 } },
      list.length ? list.map((d) => h('div.it-visit', { dataset: { teacher: d.teacher_no || '' } },
        h('strong', d.teacher_name), ` ${d.subject_name} ${fmt(d.hours)} 节`)) : '—');
  };
  return h('table.grid.it-grid.it-school-grid', dayHead(), h('tbody', h('tr', DAYS.map((_, i) => cell(i)))));
}

function poolSection(pool) {
  return h('details.section.it-pool', h('summary', h('strong', `走教教师名单（${pool.items.length} 人）`)), table([
    { title: '教师编号', get: (t) => t.teacher_no },
    { title: '姓名', get: (t) => t.name },
    { title: '所在学校', get: (t) => t.school_name },
    { title: '学科', get: (t) => t.subject_name },
    { title: '每周上限', num: true, get: (t) => fmt(t.max_hours) },
    { title: '已排课时', num: true, get: (t) => fmt(t.assigned) },
    { title: '走教学校', num: true, get: (t) => fmt(t.schools) },
  ], pool.items, { empty: '名单为空' }));
}
