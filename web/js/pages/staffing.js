// staffing.js - 编制核定 (#/staffing): each school's staffing norm against
// its actual staff for a year (staffing.h), 超编 and 缺编 highlighted, with
// filters by status and town, a bar chart of norm and actual staff per
// town, and per school the need and the teachers of each subject
// (#/staffing?school=CODE).  The office saves the year for the plan's
// indicator 超编比较严重的乡村学校数 and the itinerant needs.
//
// What the caller sees is its scope's schools (the server decides, and
// sums the town totals over those alone); filters live in the hash's
// query so that a reload shows the same rows.
import { api, download } from '../api.js';
import { h, fmt, table, toast, pageHead, notice, loadCss, yearSelect, routeHash } from '../ui.js';
import { mountChart } from './dashboard.js';

const STATUS = ['超编', '缺编', '持平', '无标准'];
const STATUS_CLASS = { 超编: 'stf-over', 缺编: 'stf-under', 持平: 'stf-even', 无标准: 'stf-none' };

const hashOf = (query) => routeHash('/staffing', query);

const signed = (v) => (v > 0 ? `+${fmt(v)}` : fmt(v));

export function statusCell(s) {
  const text = s.serious ? '超编（比较严重）' : s.status;
  return h(`span.badge.${STATUS_CLASS[s.status] || 'stf-none'}${s.serious ? '.stf-serious' : ''}`, text);
}

export async function render(main, { query, me, go }) {
  loadCss('dashboard');
  loadCss('staffing');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const to = (change) => go(hashOf({ year, status: query.status || '', town: query.town || '', ...change }));
  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y, school: '' }));
  if (query.school) return subjects(main, query.school, year, yearSel, to);

  const data = await api.get('/api/staffing', { year });
  const towns = data.towns.map((t) => t.town);
  const rows = data.schools.filter((s) => (!query.status || s.status === query.status)
    && (!query.town || s.town === query.town));

  const statusSel = h('select', { name: 'status', 'aria-label': '状态', onchange: (e) => to({ status: e.target.value }) },
    h('option', { value: '' }, '全部状态'),
    STATUS.map((s) => h('option', { value: s, selected: s === query.status }, s)));
  const townSel = towns.length > 1
    ? h('label', '区镇 ', h('select', { name: 'town', onchange: (e) => to({ town: e.target.value }) },
      h('option', { value: '' }, '全部区镇'),
      towns.map((t) => h('option', { value: t, selected: t === query.town }, t || '（未属区镇）'))))
    : null;
  const filters = h('div.filters.stf-filters', h('label', '年度 ', yearSel), h('label', '状态 ', statusSel), townSel);

  const t = data.totals;
  const summary = h('p.sub.stf-summary',
    `${year} 年度：${data.schools.length} 所公办学校，编制 ${fmt(t.norm)} 人，实有 ${fmt(t.actual)} 人；`
    + `超编 ${t.over} 所（其中超编比较严重 ${t.serious} 所，实有超过编制 ${fmt(data.overstaffed_ratio)} 倍），`
    + `缺编 ${t.under} 所；代课教师 ${fmt(t.substitutes)} 人另列，不计入实有数。`);

  const chart = h('div.chart.stf-chart', { role: 'img', 'aria-label': '各区镇编制数与实有数' });
  const grid = table([
    { title: '学校', get: (s) => h('a', { href: hashOf({ year, school: s.code }) }, s.name) },
    { title: '区镇', get: (s) => s.town || '—' },
    { title: '在校生', num: true, get: (s) => fmt(s.students) },
    { title: '班级', num: true, get: (s) => fmt(s.classes) },
    { title: '编制数', num: true, get: (s) => fmt(s.norm) },
    { title: '实有数', num: true, get: (s) => fmt(s.actual) },
    { title: '差额', num: true, get: (s) => signed(s.diff) },
    { title: '状态', get: statusCell },
    { title: '核定方式', get: (s) => (s.by_class ? '按班师比' : '按生师比') },
    { title: '代课', num: true, get: (s) => fmt(s.substitutes) },
  ], rows, {
    empty: '没有符合条件的学校',
    rowAttrs: (s) => ({ class: STATUS_CLASS[s.status], dataset: { code: s.code, status: s.status } }),
  });

  const actions = [h('button', { type: 'button', class: 'stf-export', onclick: () => download('/api/staffing', { year, format: 'xlsx' }) }, '导出 Excel')];
  if (me.role === '管理员') {
    actions.unshift(h('button', {
      type: 'button', class: 'primary stf-save',
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          const r = await api.post('/api/staffing/save', { year });
          toast(`已保存 ${r.year} 年 ${r.schools} 所学校的编制核定结果（超编 ${r.over} 所，缺编 ${r.under} 所）`);
        } catch (err) {
          toast(err.message, 'error');
        } finally {
          e.target.disabled = false;
        }
      },
    }, '保存核定结果'));
  }
  main.replaceChildren(h('div.page-staffing', pageHead('编制核定', actions), filters, summary,
    data.towns.length ? h('div', h('div.chart-title', '各区镇编制数与实有数（人）'), chart) : null, grid));
  if (data.towns.length) {
    mountChart(chart, {
      tooltip: { trigger: 'axis' },
      legend: { data: ['编制数', '实有数'] },
      grid: { left: 50, right: 20, bottom: 60, top: 40 },
      xAxis: { type: 'category', data: data.towns.map((x) => x.town || '（未属区镇）'), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value' },
      series: [
        { name: '编制数', type: 'bar', data: data.towns.map((x) => x.norm) },
        { name: '实有数', type: 'bar', data: data.towns.map((x) => x.actual) },
      ],
    });
  }
}

// One school's subjects: need, teachers, surplus or shortage, weekly
// lessons no teacher covers.
async function subjects(main, code, year, yearSel, to) {
  const [all, list] = await Promise.all([
    api.get('/api/staffing', { year, unit: code }),
    api.get('/api/staffing/subjects', { year, unit: code }),
  ]);
  const s = all.schools[0];
  if (!s) {
    main.replaceChildren(pageHead('编制核定'), notice(`${year} 年没有该校的编制核定数据。`));
    return;
  }
  const grid = table([
    { title: '学科', get: (x) => x.name },
    { title: '需求（人）', num: true, get: (x) => fmt(x.need) },
    { title: '实有（人）', num: true, get: (x) => fmt(x.actual) },
    { title: '余缺', num: true, get: (x) => signed(x.diff) },
    { title: '每周课时', num: true, get: (x) => fmt(x.lessons) },
    { title: '每周缺口课时', num: true, get: (x) => fmt(x.hours_lacking) },
  ], list.items, {
    empty: '该校没有分学科的课程标准（如幼儿园、特教学校）',
    rowAttrs: (x) => ({ class: x.diff < 0 ? 'stf-under' : x.diff >= 1 ? 'stf-over' : null, dataset: { subject: x.subject } }),
  });
  main.replaceChildren(h('div.page-staffing.stf-school',
    pageHead(`${s.name}：分学科编制`,
      h('a', { href: hashOf({ year }), class: 'button' }, '返回全部学校'),
      h('button', { type: 'button', onclick: () => download('/api/staffing/subjects', { year, unit: code, format: 'xlsx' }) }, '导出 Excel')),
    h('div.filters', h('label', '年度 ', yearSel)),
    h('p.sub', `编制 ${fmt(s.norm)} 人，实有 ${fmt(s.actual)} 人，差额 ${signed(s.diff)}，`, statusCell(s),
      `。需求 = 班级数 × 每班每周课时 ÷ 教师周课时量（规则见 zhenxing rules list curriculum）。`),
    grid));
}
