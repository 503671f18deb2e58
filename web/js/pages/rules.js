// rules.js - 机制参数 (#/rules): every rate, ratio and threshold the
// mechanisms compute from, for a year, kind by kind, with the source of
// each default; the office sets a year's value (audited, with a note such
// as the document number), which takes effect at once.
import { api } from '../api.js';
import { h, fmt, table, pageHead, toast, loadCss, yearSelect, routeHash } from '../ui.js';

const ADMIN = '管理员';
const KIND_NAME = {
  funding: '公用经费', subsidy: '乡村教师补贴', staffing: '编制标准', curriculum: '课程课时',
  rotation: '交流轮岗', redistribution: '教师调配', substitutes: '代课教师', itinerant: '走教',
};

const hashOf = (query) => routeHash('/rules', query);

export async function render(main, { query, me, go }) {
  loadCss('mechanisms');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const all = await api.get('/api/rules', { year });
  const kind = all.kinds.includes(query.kind) ? query.kind : all.kinds[0];
  const rows = all.items.filter((r) => r.kind === kind);
  const admin = me.role === ADMIN;

  const yearSel = yearSelect(plan.years, year, (y) => go(hashOf({ kind, year: y })));

  const editor = (r) => {
    const input = h('input.mech-rule-input', { type: 'number', step: 'any', value: r.value, min: r.min, max: r.max, 'aria-label': r.title });
    const note = h('input', { type: 'text', placeholder: '依据（文号等）', value: r.note || '', 'aria-label': `${r.title}依据` });
    const err = h('span.mech-err');
    const save = h('button', {
      type: 'button',
      onclick: async () => {
        err.textContent = '';
        save.disabled = true;
        try {
          await api.put(`/api/rules/${encodeURIComponent(r.kind)}/${encodeURIComponent(r.key)}`,
            { year, value: Number(input.value), note: note.value || undefined });
          toast(`已设定 ${year} 年“${r.title}”为 ${input.value}`);
          go(hashOf({ kind, year }));
        } catch (e) {
          err.textContent = e.message;
        } finally {
          save.disabled = false;
        }
      },
    }, '保存');
    return h('div.rule-edit', input, ' ', note, ' ', save, err);
  };

  main.replaceChildren(h('div.page-rules',
    pageHead(`机制参数 · ${year} 年`, yearSel),
    h('p.muted', '各项机制按年度规则计算；未设定的年份使用内置默认值（注明来源）。无公开来源的金额默认为 0，须由工作专班按文件设定。'),
    h('nav.mech-tabs', all.kinds.map((k) => h('a', { href: hashOf({ kind: k, year }), class: k === kind ? 'on' : null },
      KIND_NAME[k] || k))),
    table([
      { title: '参数', get: (r) => h('span', r.title, h('br'), h('code', r.key)) },
      { title: '当年取值', num: true, get: (r) => (admin ? editor(r) : h('strong', fmt(r.value))) },
      { title: '默认值', num: true, get: (r) => fmt(r.default) },
      { title: '状态', get: (r) => (r.is_set ? h('span.tag.warn', '已设定') : h('span.tag', '默认')) },
      { title: '来源 / 依据', get: (r) => h('div.mech-source', r.note ? `${r.note}；` : '', r.source) },
    ], rows, { rowAttrs: (r) => ({ dataset: { key: r.key } }) })));
}
