// indicator.js - one indicator across units (#/indicator/:id?unit=&year=):
// what the plan says of it (clause, description, targets), the unit's own
// result, the units below it (towns, groups or schools) as a sortable
// table and a bar chart against the target and the year's milestone, the
// unit's trend over the plan's years, and the table as an Excel file.
//
// One request with level=all brings the unit and every unit below it,
// whatever the unit's level (which the page learns from the answer); the
// trend's other years are asked for after the first paint.
import { api, download } from '../api.js';
import { h, table, fmt, statusBadge, pageHead, notice, loadCss } from '../ui.js';
import {
  LEVEL_NAME, breadcrumbs, byIndicator, indicatorHash, mountChart, ownOf, planYears,
  statusColor, targetText, unitInfo, indicatorYearSelect,
} from './dashboard.js';

// Sorting by status puts what needs attention first.
const STATUS_ORDER = { behind: 0, on_track: 1, no_data: 2, met: 3, info: 4 };
const LEVELS = ['town', 'group', 'school'];

export async function render(main, ctx) {
  loadCss('dashboard');
  const { params, query, me, go } = ctx;
  const root = h('div.dash.ind-page', notice('正在加载……'));
  main.replaceChildren(root);
  const [plan, cur] = await Promise.all([
    api.get('/api/plan'),
    api.get('/api/indicators', { id: params.id, unit: query.unit, year: query.year, level: 'all' }),
  ]);
  if (!root.isConnected) return;
  const ind = plan.indicators.find((i) => i.id === params.id);
  const year = cur.year;
  const isOwn = ownOf(query, me);
  const results = cur.indicators.length ? cur.indicators[0].results : [];
  const own = results.filter(isOwn);
  const single = own.length === 1 ? own[0] : null;
  const { name: unitName, level: ownLevel } = await unitInfo(query, me, own[0]);
  if (!root.isConnected) return;
  // the levels below the unit that this indicator has; where there are
  // none (a school, an inspector's overview) the table lists the unit's
  // own results
  const levels = own.length > 1 ? [] : LEVELS.filter((l) => results.some((r) => r.level === l && !isOwn(r)));
  const level = levels.includes(query.by) ? query.by : levels[0] || ownLevel;
  const rows = levels.length ? results.filter((r) => r.level === level && !isOwn(r)) : own;
  const to = (changes) => go(indicatorHash(params.id, { ...query, ...changes }));

  const tableBox = h('div.ind-table');
  const sort = { key: null, desc: false };
  const drawTable = () => tableBox.replaceChildren(unitTable(ind, sortRows(rows, sort), query, sort, (key) => {
    sort.desc = sort.key === key ? !sort.desc : key !== 'name';
    sort.key = key;
    drawTable();
  }));
  drawTable();

  const exportArgs = Object.fromEntries(Object.entries({ id: ind.id, year, unit: query.unit, level })
    .filter(([, v]) => v !== undefined && v !== null));
  const bars = h('div.chart.chart-bars', { role: 'img', 'aria-label': `${ind.name}柱状图` });
  const trend = h('div.chart.chart-trend', { role: 'img', 'aria-label': `${unitName}${ind.name}历年趋势` });
  root.replaceChildren(
    breadcrumbs(ctx, unitName, ownLevel, ind.name),
    pageHead(`${ind.clause} ${ind.name}`,
      indicatorYearSelect(plan, year, (y) => to({ year: y })),
      levels.length > 1 ? levelSelect(levels, level, (l) => to({ by: l })) : null,
      rows.length ? h('button.primary', { type: 'button', onclick: () => download('/api/indicators/export', exportArgs) }, '导出 Excel') : null),
    about(plan, ind),
    single ? ownLine(ind, single, year) : '',
    rows.length
      ? h('section.section', h('h3', `${year} 年${level === 'city' ? '' : '各'}${LEVEL_NAME[level]}情况`),
        h('div.ind-charts',
          h('div', h('div.chart-title', `各${LEVEL_NAME[level]}的值（虚线：最终目标与阶段目标）`), bars),
          h('div', h('div.chart-title', `${unitName}历年趋势`), trend)),
        tableBox)
      : notice(ind.levels.includes(ownLevel)
        ? `${unitName}及其下级单位 ${year} 年没有该指标的结果。`
        : `该指标不按${LEVEL_NAME[ownLevel] || '这一级单位'}计算（计算层级：${ind.levels.map((l) => LEVEL_NAME[l]).join('、')}）。`));
  if (!rows.length) return;
  mountChart(bars, barOption(ind, rows, single, year));
  if (!own.length) {
    trend.replaceChildren(notice(`${unitName}没有该指标的结果，无历年趋势。`));
    return;
  }
  fillTrend(trend, root, plan, ind, query, year, ownLevel, own).catch(() => {
    trend.replaceChildren(notice('趋势暂不可用'));
  });
}

function levelSelect(levels, level, onChange) {
  const sel = h('select', { name: 'by', 'aria-label': '下级单位' },
    levels.map((l) => h('option', { value: l, selected: l === level }, LEVEL_NAME[l])));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', '按 ', sel);
}

// The plan's words for the indicator: its goal, description, targets (a
// year without a milestone of its own ramps from the baseline value, so
// each unit's differs).
function about(plan, ind) {
  const goal = plan.goals.find((g) => g.id === ind.goal);
  const years = Object.keys(ind.milestones);
  return h('div.ind-about',
    h('p', h('b', '条款：'), ind.clause, goal ? `（${goal.clause} ${goal.name}）` : ''),
    ind.description ? h('p', h('b', '指标说明：'), ind.description) : null,
    h('table.grid.milestones', h('thead', h('tr', h('th', '年度'), years.map((y) => h('th.num', `${y} 年阶段目标`)), h('th.num', '最终目标'))),
      h('tbody', h('tr', h('td', '计划'),
        years.map((y) => h('td.num', ind.milestones[y] === null ? '按基线推算' : fmt(ind.milestones[y], ind.unit))),
        h('td.num', targetText(ind))))));
}

function ownLine(ind, r, year) {
  return h('div.ind-own', { dataset: { status: r.status } },
    h('span', `${r.name} ${year} 年`),
    h('span.big', fmt(r.value, ind.unit)),
    r.numerator !== null ? h('span', `分子 ${fmt(r.numerator)} / 分母 ${fmt(r.denominator)}`) : null,
    h('span', `阶段目标 ${fmt(r.milestone, ind.unit)}`),
    statusBadge(r.status, r.status_name));
}

function sortRows(rows, { key, desc }) {
  if (!key) return rows;
  const val = (r) => (key === 'status' ? STATUS_ORDER[r.status] : r[key]);
  const sign = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = val(a), y = val(b);
    // units without a figure go last either way
    if (x === null || y === null) return (x === null) - (y === null);
    return sign * (typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y);
  });
}

function unitTable(ind, rows, query, sort, onSort) {
  const unit = ind.unit;
  return table([
    { title: '单位', sort: 'name', get: (r) => h('a', { href: indicatorHash(ind.id, { unit: r.code, year: query.year }) }, r.name) },
    { title: '分子', sort: 'numerator', num: true, get: (r) => fmt(r.numerator) },
    { title: '分母', sort: 'denominator', num: true, get: (r) => fmt(r.denominator) },
    { title: '值', sort: 'value', num: true, get: (r) => fmt(r.value, unit) },
    { title: '阶段目标', sort: 'milestone', num: true, get: (r) => fmt(r.milestone, unit) },
    { title: '状态', sort: 'status', get: (r) => statusBadge(r.status, r.status_name) },
  ], rows, { sort, onSort, rowAttrs: (r) => ({ dataset: { code: r.code } }) });
}

// The units' values, best first, coloured by status, with the final
// target and the year's milestone (the unit's own, else the plan's) as
// lines across.
function barOption(ind, rows, single, year) {
  const sorted = [...rows].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  if (ind.lower_is_better) sorted.reverse();
  const milestone = single ? single.milestone : ind.milestones[year] ?? null;
  const lines = [];
  if (ind.target !== null) lines.push({ yAxis: ind.target, name: '最终目标', lineStyle: { color: statusColor('met') } });
  if (milestone !== null) lines.push({ yAxis: milestone, name: '阶段目标', lineStyle: { color: statusColor('on_track') } });
  const short = (s) => (s.length > 8 ? `${s.slice(0, 8)}…` : s);
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: 8 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => fmt(v, ind.unit) },
    xAxis: {
      type: 'category', data: sorted.map((r) => r.name),
      axisLabel: { interval: 0, rotate: sorted.length > 6 ? 40 : 0, formatter: short, show: sorted.length <= 40 },
    },
    yAxis: { type: 'value', name: ind.unit || '', max: (e) => Math.max(e.max, ind.target_max ?? ind.target ?? e.max) },
    series: [{
      type: 'bar', name: ind.name, barMaxWidth: 36,
      data: sorted.map((r) => ({ value: r.value, itemStyle: { color: statusColor(r.status) } })),
      markLine: {
        symbol: 'none', silent: true, data: lines,
        label: { formatter: (p) => `${p.name} ${fmt(p.value, ind.unit)}`, position: 'insideEndTop' },
        lineStyle: { type: 'dashed', width: 2 },
      },
    }],
  };
}

// The unit's value and milestone over the plan's years (for an
// inspector's overview, each school's value), with the final target.
async function fillTrend(el, root, plan, ind, query, year, ownLevel, own) {
  const years = planYears(plan);
  const answers = await Promise.all(years.map((y) => (y === year ? null
    : api.get('/api/indicators', { id: ind.id, unit: query.unit, year: y, level: ownLevel }))));
  if (!root.isConnected) return;
  const per = years.map((y, i) => (answers[i] ? byIndicator(answers[i], (r) => r.level === ownLevel) : new Map([[ind.id, own]])));
  const at = (i, code) => ((per[i].get(ind.id) || []).find((r) => r.code === code) || null);
  const series = own.map((s) => ({
    type: 'line', name: own.length === 1 ? '值' : s.name, symbolSize: 7,
    data: years.map((y, i) => (at(i, s.code) || {}).value ?? null),
    ...(own.length === 1 ? { color: statusColor('on_track') } : {}),
  }));
  if (own.length === 1) {
    series.push({
      type: 'line', name: '阶段目标', color: statusColor('no_data'), lineStyle: { type: 'dashed' },
      data: years.map((y, i) => (at(i, own[0].code) || {}).milestone ?? null),
    });
  }
  if (ind.target !== null) {
    series[0].markLine = {
      symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: statusColor('met'), width: 2 },
      label: { formatter: `最终目标 ${fmt(ind.target, ind.unit)}`, position: 'insideEndTop' },
      data: [{ yAxis: ind.target }],
    };
  }
  mountChart(el, {
    animation: false,
    legend: { top: 4, left: 'center' },
    grid: { left: 8, right: 16, top: 44, bottom: 8 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => fmt(v, ind.unit) },
    xAxis: { type: 'category', data: years.map((y) => (y === plan.baseline ? `${y}（基线）` : String(y))) },
    yAxis: { type: 'value', name: ind.unit || '', max: (e) => Math.max(e.max, ind.target_max ?? ind.target ?? e.max) },
    series,
  });
}
