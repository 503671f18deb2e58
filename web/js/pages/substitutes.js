// substitutes.js - 代课教师 (#/substitutes, clause 3.4.3-T9): the count
// of substitute teachers against the plan's straight line from the
// baseline year's count to zero, as a chart of the years, then the
// towns and the schools behind their own allowance with the number each
// has to shed.  The caller's own schools only (the server decides); the
// schools download as a workbook.
import { api, download } from '../api.js';
import { h, fmt, table, pageHead, loadCss, yearSelect } from '../ui.js';
import { mountChart } from './dashboard.js';

export async function render(main, { query, go }) {
  loadCss('teaching');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const s = await api.get('/api/substitutes', { year });

  const yearSel = yearSelect(plan.years, year, (y) => go(`#/substitutes?year=${y}`));
  const chartEl = h('div.sub-chart', { style: 'height: 320px', role: 'img', 'aria-label': '代课教师人数与控制线' });
  const summary = h('p.sub.sub-summary', s.actual === null
    ? `${year} 年度尚无人数记录。`
    : `${year} 年度：实有代课教师 ${fmt(s.actual)} 人，控制数 ${fmt(s.allowance)} 人`
      + `（${s.baseline_year} 年基数 ${fmt(s.baseline)} 人，至 ${s.target_year} 年降为 0）；`
      + `进度落后的学校 ${fmt(s.behind)} 所，应减 ${fmt(s.shed)} 人。`);
  const towns = table([
    { title: '区镇', get: (t) => t.name || '（未属区镇）' },
    { title: '基数', num: true, get: (t) => fmt(t.baseline) },
    { title: '控制数', num: true, get: (t) => fmt(t.allowance) },
    { title: '实有', num: true, get: (t) => fmt(t.actual) },
    { title: '落后学校', num: true, get: (t) => fmt(t.behind) },
    { title: '应减人数', num: true, get: (t) => fmt(t.shed) },
  ], s.towns, { empty: '没有数据' });
  const behind = table([
    { title: '学校', get: (x) => h('a', { href: `#/school/${encodeURIComponent(x.code)}` }, x.name) },
    { title: '区镇', get: (x) => x.town || '—' },
    { title: '基数', num: true, get: (x) => fmt(x.baseline) },
    { title: '控制数', num: true, get: (x) => fmt(x.allowance) },
    { title: '实有', num: true, get: (x) => fmt(x.actual) },
    { title: '应减人数', num: true, get: (x) => h('strong', fmt(x.shed)) },
  ], s.schools.filter((x) => x.behind), {
    empty: '没有进度落后的学校',
    rowAttrs: (x) => ({ dataset: { code: x.code } }),
  });
  const exportBtn = h('button', { type: 'button', class: 'sub-export', onclick: () => download('/api/substitutes', { year, format: 'xlsx' }) },
    '导出 Excel');

  main.replaceChildren(h('div.page-teaching.page-substitutes',
    pageHead('代课教师', exportBtn),
    h('div.toolbar', h('label', '年度 ', yearSel)),
    summary, chartEl,
    h('div.section.sub-towns', h('h3', '各区镇'), towns),
    h('div.section.sub-behind', h('h3', '进度落后的学校'),
      h('p.sub', '各校控制数 = 本校基数 × 当年比例，向上取整；实有人数超过控制数即为落后。'), behind)));

  mountChart(chartEl, {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 4, data: ['控制数', '实有'] },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: s.points.map((p) => String(p.year)) },
    yAxis: { type: 'value', name: '人', minInterval: 1 },
    series: [
      { name: '控制数', type: 'line', data: s.points.map((p) => Math.round(p.allowance * 10) / 10), lineStyle: { type: 'dashed' } },
      { name: '实有', type: 'line', data: s.points.map((p) => p.actual), connectNulls: false },
    ],
  });
}
