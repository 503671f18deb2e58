// funding.js - 公用经费 (#/funding): each school's public funds per
// student for a year (clauses 3.3-F1, 3.3-F2), from the year's funding
// rules, with the rural small-school floor, boarders, special education
// and the tilts; totals per town in a chart; a what-if that changes rule
// values in memory and shows every school's and town's change; the
// office writes the year's figures into the table the indicator reads.
//
// The year, the what-if and the filter live in the hash's query, so that
// a reload shows the same figures.
import { api, download } from '../api.js';
import { h, fmt, table, pageHead, notice, toast, loadCss, yearSelect, routeHash } from '../ui.js';
import { mountChart } from './dashboard.js';

const ADMIN = '管理员';

const hashOf = (query) => routeHash('/funding', query);

const yuan = (v) => fmt(Math.round(Number(v) * 100) / 100);

function change(v) {
  if (v === undefined || v === null) return '';
  const r = Math.round(v * 100) / 100;
  if (!r) return h('span', '0');
  return h(`span.${r > 0 ? 'mech-up' : 'mech-down'}`, `${r > 0 ? '+' : ''}${fmt(r)}`);
}

export async function render(main, { query, me, go }) {
  loadCss('mechanisms');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const whatIf = query.what_if || '';
  const only = query.only || '';
  const to = (c) => go(hashOf({ year, what_if: whatIf, only, ...c }));

  const [rules, f] = await Promise.all([
    api.get('/api/rules', { kind: 'funding', year }),
    api.get('/api/funding', { year, what_if: whatIf }),
  ]);
  const wanted = new Map(whatIf.split(',').filter(Boolean).map((kv) => kv.split('=')));

  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y }));
  const exportBtn = h('button.fund-export', {
    type: 'button',
    onclick: () => download('/api/funding', Object.fromEntries(Object.entries({ year, what_if: whatIf, format: 'xlsx' })
      .filter(([, v]) => v !== ''))),
  }, '导出 Excel');

  // the what-if form: every rule of the year, changed ones marked
  const inputs = rules.items.map((r) => {
    const input = h('input', {
      type: 'number', step: 'any', name: r.key, min: r.min, max: r.max,
      value: wanted.has(r.key) ? wanted.get(r.key) : r.value,
      class: wanted.has(r.key) ? 'changed' : null,
      dataset: { value: r.value },
    });
    return h('label', { title: r.source }, r.title, input);
  });
  const runWhatIf = () => {
    const changed = [...main.querySelectorAll('.mech-whatif input')]
      .filter((i) => i.value !== '' && Number(i.value) !== Number(i.dataset.value))
      .map((i) => `${i.name}=${i.value}`);
    to({ what_if: changed.join(',') });
  };
  const save = me.role === ADMIN && !whatIf ? h('button.fund-save', {
    type: 'button',
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        const r = await api.post('/api/funding/save', { year });
        toast(`已写入 ${r.year} 年 ${fmt(r.schools)} 所学校的公用经费，合计 ${yuan(r.total)} 元`);
      } catch (err) {
        toast(err.message, 'error');
      } finally {
        e.target.disabled = false;
      }
    },
  }, '写入经费表') : null;

  const schools = f.schools.filter((s) => (only === 'floor' ? s.funded > s.students
    : only === 'changed' ? Math.abs(s.change || 0) >= 0.005 : true));
  const chart = h('div.mech-chart.fund-chart', { role: 'img', 'aria-label': '各区镇公用经费柱状图', style: 'height:320px' });
  const stat = (label, value, small) => h('div', h('dt', label), h('dd', value, small ? h('small', small) : null));

  main.replaceChildren(h('div.page-funding',
    pageHead(`生均公用经费 · ${year} 年${whatIf ? '（测算）' : ''}`, yearSel, save, exportBtn),
    f.synthetic ? notice('合成数据：仅供演示和测试，不代表任何真实学校') : null,
    h('div.card', h('dl.mech-stats',
      stat('学校', fmt(f.schools.length), '所'),
      stat('在校生', fmt(f.students), '人'),
      stat('核定学生', fmt(f.funded), '人'),
      stat('公用经费合计', yuan(f.total), '元'),
      whatIf ? stat('测算变化', change(f.total - f.total_before), `元（调整前 ${yuan(f.total_before)}）`) : null)),
    h('details.section', { open: whatIf ? true : null },
      h('summary', h('strong', '假设测算：修改规则取值，查看每所学校和合计的变化（不写入）')),
      h('div.mech-whatif', inputs),
      h('div.mech-buttons',
        h('button.fund-whatif', { type: 'button', onclick: runWhatIf }, '测算'),
        whatIf ? h('button.link', { type: 'button', onclick: () => to({ what_if: '' }) }, '恢复当年规则') : null,
        h('a', { href: `#/rules?kind=funding&year=${year}` }, '查看规则来源'))),
    h('div.section', h('h3', '各区镇合计'), chart,
      table([
        { title: '区镇', get: (t) => t.town || '（未属区镇）' },
        { title: '在校生数', num: true, get: (t) => fmt(t.students) },
        { title: '核定学生数', num: true, get: (t) => fmt(t.funded) },
        { title: '公用经费(元)', num: true, get: (t) => yuan(t.total) },
        ...(whatIf ? [{ title: '变化(元)', num: true, get: (t) => change(t.change) }] : []),
      ], f.towns, { rowAttrs: (t) => ({ dataset: { town: t.town } }) })),
    h('div.section',
      h('div.page-head', h('h3', `学校（${schools.length} 所）`),
        h('div.mech-filter',
          h('select', { name: 'only', 'aria-label': '筛选', onchange: (e) => to({ only: e.target.value }) },
            [['', '全部学校'], ['floor', '按下限核定的学校'], ['changed', '测算有变化的学校']]
              .map(([v, t]) => h('option', { value: v, selected: v === only }, t))))),
      table([
        { title: '学校标识码', get: (s) => s.code },
        { title: '学校名称', get: (s) => h('a', { href: `#/school/${encodeURIComponent(s.code)}` }, s.name) },
        { title: '区镇', get: (s) => s.town || '—' },
        { title: '在校生数', num: true, get: (s) => fmt(s.students) },
        { title: '核定学生数', num: true, get: (s) => (s.funded > s.students
          ? h('strong', { title: '乡村学校不足下限，按下限核定' }, fmt(s.funded)) : fmt(s.funded)) },
        { title: '寄宿生', num: true, get: (s) => fmt(s.boarders) },
        { title: '特教学生', num: true, get: (s) => fmt(s.special) },
        { title: '倾斜系数', num: true, get: (s) => fmt(s.coefficient) },
        { title: '公用经费(元)', num: true, get: (s) => yuan(s.total) },
        ...(whatIf ? [{ title: '变化(元)', num: true, get: (s) => change(s.change) }] : []),
      ], schools, { empty: '没有符合条件的学校', rowAttrs: (s) => ({ dataset: { school: s.code } }) }))));

  const names = f.towns.map((t) => t.town || '（未属区镇）');
  const series = [{ name: whatIf ? '测算' : '公用经费', type: 'bar', data: f.towns.map((t) => Math.round(t.total)) }];
  if (whatIf) series.unshift({ name: '调整前', type: 'bar', data: f.towns.map((t) => Math.round(t.total - (t.change || 0))) });
  mountChart(chart, {
    tooltip: { trigger: 'axis' },
    legend: { show: !!whatIf },
    grid: { left: 90, right: 20, top: 30, bottom: 60 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', name: '元' },
    series,
  });
}
