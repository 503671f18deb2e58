// subsidy.js - 乡村教师补贴 (#/subsidy): the rural teacher subsidy of a
// year (clause 3.3-F3): per town and school the teachers considered, the
// eligible and the amount due; the roster page by page, or one school's;
// the office writes the year's roster (the indicator subsidy-paid reads
// it) and records it paid.
import { api, download } from '../api.js';
import { h, fmt, table, pager, pageHead, notice, toast, loadCss, yearSelect, routeHash } from '../ui.js';

const ADMIN = '管理员';

const hashOf = (query) => routeHash('/subsidy', query);

const yuan = (v) => fmt(Math.round(Number(v) * 100) / 100);

export async function render(main, { query, me, go }) {
  loadCss('mechanisms');
  const plan = await api.get('/api/plan');
  const year = plan.years.includes(Number(query.year)) ? Number(query.year) : plan.current_year;
  const school = query.school || '';
  const page = Number(query.page) > 0 ? Number(query.page) : 1;
  const to = (c) => go(hashOf({ year, school, page: '', ...c }));
  const s = await api.get('/api/subsidy', { year, school, page, size: 20 });
  const unset = Object.entries(s.rules).filter(([k, v]) => k.startsWith('amount.') && !v).length;

  const yearSel = yearSelect(plan.years, year, (y) => to({ year: y }));
  const saveBtn = (paid) => h(`button.sub-save${paid ? '-paid' : ''}`, {
    type: 'button',
    onclick: async (e) => {
      if (paid && !window.confirm(`确认 ${year} 年名册上的补贴已全部发放？`)) return;
      e.target.disabled = true;
      try {
        const r = await api.post('/api/subsidy/save', { year, paid });
        toast(`已写入 ${r.year} 年名册：享受补贴 ${fmt(r.eligible)} 人，合计 ${yuan(r.total)} 元${r.paid ? '，已记为发放' : ''}`);
      } catch (err) {
        toast(err.message, 'error');
      } finally {
        e.target.disabled = false;
      }
    },
  }, paid ? '记为已发放' : '生成名册');
  const exportBtn = h('button.sub-export', {
    type: 'button',
    onclick: () => download('/api/subsidy', Object.fromEntries(Object.entries({ year, school, format: 'xlsx' })
      .filter(([, v]) => v !== ''))),
  }, '导出 Excel');
  const stat = (label, value, small) => h('div', h('dt', label), h('dd', value, small ? h('small', small) : null));
  const current = school ? s.schools.find((x) => x.code === school) : null;

  main.replaceChildren(h('div.page-subsidy',
    pageHead(`乡村教师补贴 · ${year} 年`, yearSel,
      me.role === ADMIN ? saveBtn(false) : null, me.role === ADMIN ? saveBtn(true) : null, exportBtn),
    unset ? notice(h('span', `有 ${unset} 档补贴标准尚为 0（计划和公开资料均未给出金额），请在`,
      h('a', { href: `#/rules?kind=subsidy&year=${year}` }, '机制参数'), '中按文件设定。'), 'warn') : null,
    h('div.card', h('dl.mech-stats',
      stat('乡村学校教师', fmt(s.teachers), '人'),
      stat('享受补贴', fmt(s.eligible), '人'),
      stat('补贴合计', yuan(s.total), '元'))),
    s.towns.length > 1 ? h('div.section', h('h3', '各区镇'), table([
      { title: '区镇', get: (t) => t.name || '（未属区镇）' },
      { title: '教师', num: true, get: (t) => fmt(t.teachers) },
      { title: '享受补贴', num: true, get: (t) => fmt(t.eligible) },
      { title: '补贴合计(元)', num: true, get: (t) => yuan(t.total) },
    ], s.towns)) : null,
    h('details.section', { open: s.schools.length <= 12 ? true : null },
      h('summary', h('strong', `各学校（${s.schools.length} 所）`)),
      table([
        { title: '学校', get: (x) => h('a', { href: hashOf({ year, school: x.code }) }, x.name) },
        { title: '区镇', get: (x) => x.town || '—' },
        { title: '教师', num: true, get: (x) => fmt(x.teachers) },
        { title: '享受补贴', num: true, get: (x) => fmt(x.eligible) },
        { title: '补贴合计(元)', num: true, get: (x) => yuan(x.total) },
      ], s.schools, { rowAttrs: (x) => ({ dataset: { school: x.code } }) })),
    h('div.section.sub-roster',
      h('div.page-head', h('h3', `名册${current ? ` · ${current.name}` : ''}`, h('span.n', `${s.roster.total} 人`)),
        current ? h('a', { href: hashOf({ year }) }, '全部学校') : null),
      table([
        { title: '工号', get: (t) => t.no },
        { title: '姓名', get: (t) => h('a', { href: `#/teacher/${encodeURIComponent(t.no)}` }, t.name) },
        { title: '学校', get: (t) => t.school_name },
        { title: '学校位置', get: (t) => t.location },
        { title: '用工类型', get: (t) => t.employment_name || t.employment },
        { title: '任教年限', num: true, get: (t) => fmt(t.years) },
        { title: '享受补贴', get: (t) => (t.eligible ? '是' : h('span.tag', '否')) },
        { title: '金额(元)', num: true, get: (t) => yuan(t.amount) },
      ], s.roster.items, { empty: '没有乡村学校教师', rowAttrs: (t) => ({ dataset: { teacher: t.no } }) }),
      pager(s.roster, (p) => to({ school, page: p > 1 ? String(p) : '' })))));
}
