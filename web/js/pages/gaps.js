// gaps.js - 队伍建设 (#/gaps): the gap lists of the development roles the
// plan asks of every rural school (devroles.h): which school lacks what in
// a year - seed and model teachers, a subject leader and a research
// project per subject taught, young reserve cadres, and young teachers
// without a mentor - one row per school, subject or teacher, with the
// counts per check as tabs.
//
// What the caller sees is its scope's schools (the server decides); the
// check, unit, year and page live in the hash's query, so that a reload
// or the back button shows the same rows again.
import { api, download } from '../api.js';
import { h, fmt, table, pager, pageHead, notice, loadCss, yearSelect, routeHash } from '../ui.js';

// The checks in the server's order, with the names the command line uses.
export const CHECKS = [
  ['seed', '种子教师'], ['model', '榜样教师'], ['subject-leader', '学科带头人'],
  ['project', '课题研究'], ['cadres', '青年后备干部'], ['mentor', '青蓝结对'],
];
const CHECK_NAME = Object.fromEntries(CHECKS);

// A check's count in the answer's counts, whatever its shape: a number,
// or {gap, over} (the notes over the norm counted apart).
function countOf(counts, id) {
  const c = counts && counts[id];
  if (c === undefined || c === null) return null;
  if (typeof c === 'number') return { gap: c, over: 0 };
  return { gap: Number(c.gap) || 0, over: Number(c.over) || 0 };
}

const hashOf = (query) => routeHash('/gaps', query);

export async function render(main, { query, me, go }) {
  loadCss('teaching');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const check = CHECK_NAME[query.check] ? query.check : 'all';
  const page = Number(query.page) > 0 ? Number(query.page) : 1;
  const to = (change) => go(hashOf({
    check: check === 'all' ? '' : check, town: query.town || '', unit: query.unit || '', year, page: '', ...change,
  }));

  // the answer counts the checks asked for: one check's tab asks the
  // counts of all of them besides, so that every tab shows its figure
  const [list, every] = await Promise.all([
    api.get('/api/gaps', { check, unit: query.unit, year, page, size: 50 }),
    check === 'all' ? null : api.get('/api/gaps', { check: 'all', unit: query.unit, year, size: 1 }),
  ]);

  // the tabs: every check with its count, 全部 first
  const counts = CHECKS.map(([id]) => countOf((every || list).counts, id));
  const all = (every || list).total;
  const tabs = h('div.tch-tabs.gap-checks', { role: 'tablist', 'aria-label': '检查项' },
    [['all', '全部', { gap: all, over: 0 }], ...CHECKS.map(([id, name], i) => [id, name, counts[i]])]
      .map(([id, name, c]) => h('button', {
        type: 'button', role: 'tab', class: id === check ? 'active' : null,
        'aria-selected': String(id === check), dataset: { check: id },
        onclick: () => to({ check: id === 'all' ? '' : id }),
      }, name, c ? h('span.n', c.over ? `${c.gap}+${c.over}` : String(c.gap)) : null)));

  const filters = await unitFilter(me, query, year, plan, to);

  const columns = [
    { title: '检查项', get: (r) => checkCell(r) },
    { title: '类别', get: (r) => h(`span.badge.${r.kind === 'over' ? 'st-none' : 'st-behind'}`,
      r.kind_name || (r.kind === 'over' ? '超出' : '缺口')) },
    { title: '学校', get: (r) => schoolCell(r) },
    { title: '区镇', get: (r) => r.town || '—' },
    { title: '学科', get: (r) => r.subject_name || '—' },
    { title: '教师', get: (r) => (r.teacher_no
      ? h('a', { href: `#/teacher/${encodeURIComponent(r.teacher_no)}` }, r.teacher_name || r.teacher_no) : '—') },
    { title: '现有', num: true, get: (r) => fmt(r.have) },
    { title: '应有', num: true, get: (r) => fmt(r.need) },
    { title: '说明', get: (r) => r.what },
  ];
  const grid = table(columns, list.items, {
    empty: '所选范围内没有缺口',
    rowAttrs: (r) => ({
      class: r.kind === 'over' ? 'over' : 'gap',
      dataset: { check: r.check, unit: unitCode(r) || '', kind: r.kind },
    }),
  });

  const notes = (list.notes || []).map((n) => notice(typeof n === 'string' ? n : n.message || JSON.stringify(n)));
  const summary = h('p.sub.gap-summary', `${year} 年度，${check === 'all' ? '全部检查项' : CHECK_NAME[check]}：`
    + `共 ${list.total} 条。只计乡村学校；称号按当年在任计。`);

  // every row of the list shown, not one page, as a workbook
  const exportArgs = Object.fromEntries(Object.entries({ check, unit: query.unit, year, format: 'xlsx' })
    .filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const exportBtn = h('button', { type: 'button', class: 'gap-export', onclick: () => download('/api/gaps', exportArgs) },
    '导出 Excel');

  main.replaceChildren(h('div.page-teaching.page-gaps',
    pageHead('队伍建设', exportBtn), tabs, filters, summary, notes, grid,
    pager(list, (p) => to({ page: p > 1 ? String(p) : '' }))));
}

const unitCode = (r) => r.unit_code || r.unit;

function checkCell(r) {
  const name = r.check_name || CHECK_NAME[r.check] || r.check;
  return r.indicator
    ? h('a', { href: `#/indicator/${encodeURIComponent(r.indicator)}`, title: `指标 ${r.indicator}` }, name)
    : name;
}

function schoolCell(r) {
  const code = unitCode(r);
  // the city's own row (the 80后 cadres count) is no school
  if (!r.town) return r.unit_name || code || '—';
  return h('a', { href: `#/school/${encodeURIComponent(code)}` }, r.unit_name || code);
}

// The unit and year choosers: a town (for a city-wide account) and a
// school of the town (or of the caller's own town); a school's clerk has
// no choice to make.
async function unitFilter(me, query, year, plan, to) {
  const kind = me.unit ? me.unit.kind : '';
  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y }));
  const parts = [h('label', '年度 ', yearSel)];
  if (kind === 'city' || kind === 'town' || kind === 'group') {
    const towns = kind === 'city'
      ? (await api.get('/api/units', { kind: 'town', size: 500 })).items : [];
    const within = kind === 'city' ? (query.town || '') : me.unit.code;
    const schools = within
      ? (await api.get('/api/units', { kind: 'school', parent: within, size: 500 })).items : [];
    if (towns.length) {
      parts.push(h('label', '区镇 ', h('select', {
        name: 'town', onchange: (e) => to({ town: e.target.value, unit: e.target.value }),
      }, h('option', { value: '' }, '全部区镇'),
      towns.map((t) => h('option', { value: t.code, selected: t.code === within }, t.name)))));
    }
    if (schools.length) {
      parts.push(h('label', '学校 ', h('select', {
        name: 'unit', onchange: (e) => to({ town: query.town || '', unit: e.target.value || within }),
      }, h('option', { value: '' }, '全部学校'),
      schools.map((s) => h('option', { value: s.code, selected: s.code === query.unit }, s.name)))));
    }
  }
  return h('div.toolbar', parts);
}
