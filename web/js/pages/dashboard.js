// dashboard.js - 总览 (#/dashboard[?unit=CODE][&year=Y]): the plan's
// indicators for one unit and year under the three goals of clause 2,
// each a card with its value, the year's milestone, the final target, its
// status and a sparkline from the baseline to the last plan year; the
// counts of each status; and the units one level down ranked by how many
// indicators lag, each a link to the same page for that unit.
//
// Without ?unit the page shows the caller's own unit; an inspector's is
// the city, of which it sees only the schools assigned, so its overview
// shows those schools side by side on every card.
//
// Speed: one request (the unit and the level below, which the API gives
// by default) paints the cards and the ranking; the other years, which
// only the sparklines need, are asked for after that first paint.
//
// The chart helpers at the end are shared with indicator.js.
import { api } from '../api.js';
import { h, fmt, statusBadge, pageHead, notice, loadCss, routeHash } from '../ui.js';

const INSPECTOR = '督学';
export const LEVEL_NAME = { city: '全市', town: '区镇', group: '集团', school: '学校' };
// The statuses the summary counts, in the order it shows them; 仅供参考
// (info) is added only where some indicator has it.
const COUNTED = ['met', 'on_track', 'behind', 'no_data'];
const STATUS_NAME = { met: '达标', on_track: '按期推进', behind: '滞后', no_data: '无数据', info: '仅供参考' };

// A hash of this page or of an indicator's page; empty arguments are
// left out, so that the default unit and year keep short links.
export const dashHash = (query) => routeHash('/dashboard', query);
export const indicatorHash = (id, query) => routeHash(`/indicator/${encodeURIComponent(id)}`, query);

// The plan's years for the indicators' year selector and the trends: the baseline,
// then each plan year.
export const planYears = (plan) => [plan.baseline, ...plan.years];

export function indicatorYearSelect(plan, year, onChange) {
  const sel = h('select', { name: 'year', 'aria-label': '年度' },
    planYears(plan).map((y) => h('option', { value: y, selected: y === year },
      y === plan.baseline ? `${y} 年（基线）` : `${y} 年`)));
  sel.addEventListener('change', () => onChange(Number(sel.value)));
  return h('label', '年度 ', sel);
}

// The final target as the plan states it: a range, an upper bound when
// lower is better, else the value to reach.
export function targetText(ind) {
  if (ind.target === null) return '—';
  if (ind.target_max !== null) return `${fmt(ind.target)}–${fmt(ind.target_max, ind.unit)}`;
  return `${ind.lower_is_better ? '≤ ' : ''}${fmt(ind.target, ind.unit)}`;
}

// The name of the caller's own overview: its unit, or an inspector's
// schools.
const rootName = (me) => (me.role === INSPECTOR ? '督导学校' : me.unit.name);

// The name and level of the unit a page is about: from its own first
// result, else (no indicator has a result for it) from the registry.
export async function unitInfo(query, me, first) {
  if (first) return { name: first.name, level: first.level };
  if (!query.unit) return { name: rootName(me), level: me.role === INSPECTOR ? 'school' : me.unit.kind };
  const found = (await api.get('/api/units', { q: query.unit })).items
    .find((u) => u.code === query.unit || u.name === query.unit);
  return found ? { name: found.name, level: found.kind } : { name: query.unit, level: null };
}

// The results a page is about: those of the unit asked for, or, for an
// inspector's overview (no unit), every school it sees.  Returns a
// predicate over results.
export function ownOf(query, me) {
  const code = query.unit || (me.role === INSPECTOR ? null : me.unit.code);
  return code ? (r) => r.code === code : (r) => r.level === 'school';
}

// Results by indicator id: {id: [result, ...]} of those keep() keeps.
export function byIndicator(answer, keep) {
  const out = new Map();
  for (const ind of answer.indicators) {
    const rs = ind.results.filter(keep);
    if (rs.length) out.set(ind.id, rs);
  }
  return out;
}

// The colour of a status, from the stylesheet's variables (app.css), so
// that charts and badges agree.
export function statusColor(id) {
  const v = { met: '--met', on_track: '--on', behind: '--behind' }[id] || '--none';
  return getComputedStyle(document.documentElement).getPropertyValue(v).trim();
}

// ---- breadcrumbs ------------------------------------------------------------

// The way from the caller's own overview down to the unit shown: the
// overview, then for a school seen from the city its town (or the group
// it was reached through, ?via=), then the unit (of level `level`), then
// `tail` (text).  The town of a school needs one more request, made
// after the first paint.
export function breadcrumbs({ query, me }, unitName, level, tail) {
  const year = query.year;
  const own = !query.unit || query.unit === me.unit.code;
  const link = (q, text) => h('a', { href: dashHash({ ...q, year }) }, text);
  // the town or group goes between the overview and the unit, once known
  const middle = h('span.crumb-middle');
  const el = h('nav.crumbs', { 'aria-label': '位置' }, own && !tail ? h('span', rootName(me)) : link({}, rootName(me)));
  if (!own) el.append(' › ', middle, tail ? link({ unit: query.unit, via: query.via }, unitName) : h('span', unitName));
  if (tail) el.append(' › ', h('span', tail));
  if (!own && level === 'school' && me.unit.kind === 'city' && me.role !== INSPECTOR) {
    api.get(`/api/schools/${encodeURIComponent(query.unit)}`).then((s) => {
      const [code, name] = query.via && query.via === s.group_code
        ? [s.group_code, s.group] : [s.town_code, s.town];
      if (code) middle.append(link({ unit: code }, name), ' › ');
    }, () => {});   // the crumbs stay shorter; the page itself is whole
  }
  return el;
}

// ---- the page ---------------------------------------------------------------

export async function render(main, ctx) {
  loadCss('dashboard');
  const { query, me, go } = ctx;
  // The page's own element: the requests below take time, and if another
  // page is shown meanwhile this one is no longer in the document and
  // must not write into main.
  const root = h('div.dash', notice('正在加载……'));
  main.replaceChildren(root);
  const by = query.by === 'group' ? 'group' : null;
  const [plan, cur, groups] = await Promise.all([
    api.get('/api/plan'),
    api.get('/api/indicators', { unit: query.unit, year: query.year }),
    // the city's groups, when the ranking is asked by group
    by ? api.get('/api/indicators', { unit: query.unit, year: query.year, level: 'group' }) : null,
  ]);
  if (!root.isConnected) return;
  const year = cur.year;
  const isOwn = ownOf(query, me);
  const own = byIndicator(cur, isOwn);
  const first = [...own.values()][0];
  const { name: unitName, level: ownLevel } = await unitInfo(query, me, first && first[0]);
  if (!root.isConnected) return;
  // the units to rank: an inspector's overview ranks the same schools its
  // cards show; a school has none below it
  let ranked = null;
  if (!query.unit && me.role === INSPECTOR) ranked = cur;
  else if (ownLevel && ownLevel !== 'school') {
    ranked = groups || { indicators: cur.indicators.map((i) => ({ ...i, results: i.results.filter((r) => !isOwn(r)) })) };
  }
  const to = (changes) => go(dashHash({ ...query, ...changes }));

  const cards = new Map();      // indicator id -> its card's sparkline element
  const counts = countStatuses(own);
  root.replaceChildren(
    breadcrumbs(ctx, unitName, ownLevel),
    pageHead(`${unitName} · 指标总览（${year} 年）`,
      indicatorYearSelect(plan, year, (y) => to({ year: y }))),
    h('p.plan-name', plan.name),
    summaryBar(counts, query),
    own.size === 0 ? notice('该单位在这一年没有可计算的指标。') : '',
    h('div.dash-body',
      h('div.dash-goals', goalSections(plan, own, query, year, cards)),
      ranked ? ranking(ranked, { query, year, by, ownLevel }) : null));
  fillSparklines(root, plan, query, year, ownLevel, own, cards).catch(() => {
    for (const el of cards.values()) el.replaceChildren(h('span.spark-none', '趋势暂不可用'));
  });
}

function countStatuses(own) {
  const counts = Object.fromEntries([...COUNTED, 'info'].map((s) => [s, 0]));
  for (const rs of own.values()) for (const r of rs) counts[r.status] += 1;
  return counts;
}

// The counts of each status; each is a link that shows only the cards of
// that status (and back, when followed again).
function summaryBar(counts, query) {
  const shown = COUNTED.concat(counts.info ? ['info'] : []);
  return h('div.dash-summary', shown.map((s) => {
    const on = query.status === s;
    return h('a', {
      href: dashHash({ ...query, status: on ? '' : s }),
      class: `sum sum-${s}${on ? ' active' : ''}`,
      dataset: { status: s },
      title: on ? '显示全部指标' : `只显示“${STATUS_NAME[s]}”的指标`,
    }, h('span.n', String(counts[s])), h('span.label', STATUS_NAME[s]));
  }));
}

function goalSections(plan, own, query, year, cards) {
  const goals = plan.goals.map((g) => ({ ...g, inds: [] }));
  const other = { id: null, clause: '', name: '其他指标', inds: [] };
  for (const ind of plan.indicators) {
    const rs = own.get(ind.id);
    if (!rs || (query.status && !rs.some((r) => r.status === query.status))) continue;
    (goals.find((g) => g.id === ind.goal) || other).inds.push(ind);
  }
  return goals.concat(other.inds.length ? [other] : []).map((g) => h('section.section.goal', { dataset: { goal: g.id || '' } },
    h('h3', g.clause ? `${g.clause} ${g.name}` : g.name, h('span.goal-count', `${g.inds.length} 项指标`)),
    g.text ? h('p.goal-text', g.text) : null,
    g.inds.length
      ? h('div.cards', g.inds.map((ind) => card(ind, own.get(ind.id), query, year, cards)))
      : notice(query.status ? '这一目标下没有该状态的指标。' : '这一目标下没有本单位可计算的指标。')));
}

function card(ind, rs, query, year, cards) {
  const spark = h('div.spark', { 'aria-hidden': 'true' });
  cards.set(ind.id, spark);
  const href = indicatorHash(ind.id, { unit: query.unit, year: query.year, via: query.via });
  const target = h('div.ind-meta', h('span', `${year} 年阶段目标 `, h('b', fmt(rs[0].milestone, ind.unit))),
    h('span', '最终目标 ', h('b', targetText(ind))));
  if (rs.length === 1) {
    const r = rs[0];
    return h('a.card.ind-card', { href, dataset: { id: ind.id, status: r.status } },
      h('div.ind-head', h('span.clause', ind.clause), statusBadge(r.status, r.status_name)),
      h('div.ind-name', ind.name),
      h('div.ind-value', fmt(r.value), ind.unit && r.value !== null ? h('small', ind.unit) : null,
        r.above_range ? h('span.above', '高于目标区间') : null),
      target, spark);
  }
  // an inspector's overview: one line per school
  return h('a.card.ind-card', { href, dataset: { id: ind.id, status: worst(rs) } },
    h('div.ind-head', h('span.clause', ind.clause)),
    h('div.ind-name', ind.name),
    h('ul.ind-units', rs.map((r) => h('li', h('span.u', r.name), h('span.v', fmt(r.value, ind.unit)),
      statusBadge(r.status, r.status_name)))),
    h('div.ind-meta', h('span', '最终目标 ', h('b', targetText(ind)))), spark);
}

// The status that matters most among several schools' results.
function worst(rs) {
  return ['behind', 'on_track', 'met', 'no_data', 'info'].find((s) => rs.some((r) => r.status === s));
}

// The units one level down (or the inspector's schools) ranked by how
// many of their indicators lag; ties share a rank.  The city's list can
// be of towns or of groups (?by=group).
function ranking(answer, { query, year, by, ownLevel }) {
  const units = new Map();
  for (const ind of answer.indicators) {
    for (const r of ind.results) {
      if (!units.has(r.code)) units.set(r.code, { code: r.code, name: r.name, level: r.level, met: 0, on_track: 0, behind: 0, no_data: 0, info: 0 });
      units.get(r.code)[r.status] += 1;
    }
  }
  const rows = [...units.values()].sort((a, b) => b.behind - a.behind || a.code.localeCompare(b.code));
  const max = Math.max(1, ...rows.map((u) => u.behind));
  const level = rows[0] ? rows[0].level : (by || 'school');
  const tabs = ownLevel === 'city'
    ? h('span.rank-tabs', [['', '区镇'], ['group', '集团']].map(([b, label]) =>
      h('a', { href: dashHash({ ...query, by: b }), class: (by || '') === b ? 'active' : null }, label)))
    : null;
  // from a group the school's crumbs go back through the group
  const via = ownLevel === 'group' ? query.unit : undefined;
  let rank = 0;
  const body = rows.map((u, i) => {
    if (i === 0 || u.behind !== rows[i - 1].behind) rank = i + 1;
    return h('tr', { dataset: { code: u.code } },
      h('td.num', String(rank)),
      h('td', { title: u.name }, h('a.drill', { href: dashHash({ unit: u.code, year: query.year, via }) }, u.name)),
      h('td.num.behind', h('span.bar', { style: `width:${(100 * u.behind) / max}%` }), h('span.n', String(u.behind))),
      h('td.num', String(u.on_track)), h('td.num', String(u.met)), h('td.num', String(u.no_data)));
  });
  return h('section.section.dash-rank',
    h('h3', `${LEVEL_NAME[level]}滞后指标排名`, tabs),
    h('p.rank-note', `${year} 年各${LEVEL_NAME[level]}“滞后”指标的项数，多者在前；点击名称查看该单位的总览。`),
    rows.length
      ? h('table.grid.rank', h('thead', h('tr', ['排名', LEVEL_NAME[level], '滞后', '按期推进', '达标', '无数据']
        .map((t, i) => h('th', { class: i === 1 ? null : 'num' }, t)))), h('tbody', body))
      : notice('没有下一级单位的数据。'));
}

// After the first paint: the other years of the unit's own results, and
// one sparkline per card.
async function fillSparklines(root, plan, query, year, ownLevel, own, cards) {
  if (!ownLevel || !cards.size) return;
  const years = planYears(plan);
  const answers = await Promise.all(years.map((y) => (y === year ? null
    : api.get('/api/indicators', { unit: query.unit, year: y, level: ownLevel }))));
  if (!root.isConnected) return;
  const series = years.map((y, i) => (answers[i] ? byIndicator(answers[i], (r) => r.level === ownLevel) : own));
  // A sparkline takes ECharts a few milliseconds, forty of them a fifth
  // of a second: they are drawn in slices of about a frame, so that the
  // page answers clicks and scrolling meanwhile.
  let slice = performance.now();
  for (const [id, el] of cards) {
    if (performance.now() - slice > 12) {
      await new Promise((resolve) => { setTimeout(resolve, 0); });
      if (!root.isConnected) return;
      slice = performance.now();
    }
    const subjects = own.get(id);
    const lines = subjects.map((s) => ({
      name: s.name,
      data: series.map((m, i) => {
        const r = (m.get(id) || []).find((x) => x.code === s.code);
        const v = r ? r.value : null;
        // the year shown is marked in the colour of its status
        return years[i] === year ? { value: v, symbolSize: 7, itemStyle: { color: statusColor(s.status) } } : v;
      }),
    }));
    mountChart(el, sparkOption(years, lines, subjects.length === 1), { renderer: 'svg' });
  }
}

function sparkOption(years, lines, single) {
  return {
    animation: false,
    grid: { left: 4, right: 4, top: 6, bottom: 4 },
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => fmt(v) },
    xAxis: { type: 'category', data: years.map(String), show: false, boundaryGap: false },
    yAxis: { type: 'value', show: false, scale: true },
    series: lines.map((l) => ({
      type: 'line', name: l.name, data: l.data, symbol: 'circle', symbolSize: 4,
      lineStyle: { width: 2 }, ...(single ? { color: statusColor('on_track') } : {}),
    })),
  };
}

// ---- charts ------------------------------------------------------------------

// Every chart drawn, so that charts follow the window's size and the
// printed page's, and are disposed of once their page is left (the
// router drops the page's elements; ECharts would keep them alive).
const charts = new Set();

export function mountChart(el, option, opts) {
  const chart = echarts.init(el, null, opts);
  chart.setOption(option);
  charts.add(chart);
  return chart;
}

function resizeAll() {
  for (const c of charts) c.resize();
}

window.addEventListener('hashchange', () => {
  for (const c of charts) {
    if (!c.getDom().isConnected) {
      c.dispose();
      charts.delete(c);
    }
  }
});
window.addEventListener('resize', resizeAll);
// Printing lays the page out anew on A4 (print.css): the charts are
// redrawn at their printed width, and at the screen's after.  Not on
// 'beforeprint', which comes while the page still has the screen's layout;
// the print media query changes once the page has the paper's.
window.matchMedia('print').addEventListener('change', resizeAll);
